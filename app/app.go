// Package app runs the actions of Zhengxie: each one loads what it needs,
// asks the domain whether it is allowed, and writes the change, its event
// and its notifications in one store transaction. Handlers (web pages, the
// JSON API, the command line) call only this package to change anything.
package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/store"
)

// Service is the application. It is safe for concurrent use.
type Service struct {
	Store  *store.Store
	Files  *Files
	Log    *slog.Logger
	Clock  func() time.Time
	Config Config
	// Rules and Calendar compute deadlines (see the domain's calendar.go).
	Rules    zhengxie.DeadlineRules
	Calendar *zhengxie.Calendar
	// Periodic jobs run by the background loop (reminders, escalations…).
	Periodic []func(context.Context) error

	bg  *background
	sim similarity
}

// Config holds the committee-wide rules the service applies.
type Config struct {
	CosignDays int // days co-signers have to confirm; default 7
	TokenDays  int // lifetime of an API token made without one; default zhengxie.DefaultTokenDays
}

// New returns a service over st storing files under dataDir.
func New(st *store.Store, files *Files, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{Store: st, Files: files, Log: log, Clock: time.Now, Config: Config{CosignDays: 7},
		Rules: zhengxie.DefaultDeadlineRules(), Calendar: zhengxie.DefaultCalendar()}
	st.Now = func() time.Time { return s.Clock() }
	return s
}

func (s *Service) now() time.Time { return s.Clock() }

// change is one lifecycle step on a proposal inside a transaction.
type change struct {
	tx      *store.Tx
	p       *zhengxie.Proposal
	from    zhengxie.State
	rel     zhengxie.Relation
	parties []zhengxie.Party
	// after runs once the action's own event is written, for the changes
	// it causes (the tasks 办结 closes), so the timeline reads cause first.
	after []func() error
}

// act runs action on proposal id for actor a: it locks the proposal, checks
// the transition table, lets fn apply the change, saves the proposal and
// appends the event, all in one transaction.
func (s *Service) act(ctx context.Context, a zhengxie.Actor, id int64, action zhengxie.Action, comment string, payload any,
	fn func(c *change) error) (*zhengxie.Proposal, error) {
	if err := zhengxie.CheckText("comment", "说明", comment, 2000); err != nil {
		return nil, err
	}
	var out *zhengxie.Proposal
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.LockProposal(a.CommitteeID, id)
		if err != nil {
			return err
		}
		rel, err := tx.Relation(a, p)
		if err != nil {
			return err
		}
		if !zhengxie.CanSee(a, p, rel) {
			return zhengxie.NotFound("提案")
		}
		parties := zhengxie.Parties(a, p, rel)
		to, err := zhengxie.Next(p.State, action, parties...)
		if err != nil {
			return err
		}
		c := &change{tx: tx, p: p, from: p.State, rel: rel, parties: parties}
		p.State = to
		if fn != nil {
			if err := fn(c); err != nil {
				return err
			}
		}
		if err := tx.UpdateProposal(p); err != nil {
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, 0, string(action), string(c.from), string(p.State), comment, payload); err != nil {
			return err
		}
		if err := s.topicAfterProposal(tx, p, action); err != nil {
			return err
		}
		for _, f := range c.after {
			if err := f(); err != nil {
				return err
			}
		}
		out = p
		return nil
	})
	return out, err
}

// event appends one event to the log.
func (s *Service) event(tx *store.Tx, a zhengxie.Actor, committeeID, proposalID, taskID int64, action, from, to, comment string, payload any) error {
	var body string
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		body = string(b)
	}
	return tx.AppendEvent(&zhengxie.Event{
		CommitteeID: committeeID, ProposalID: proposalID, TaskID: taskID, ActorID: a.UserID, ActorName: a.Name,
		Action: action, FromState: from, ToState: to, Comment: comment, Payload: body,
	})
}

// Audit records an action that is not a proposal's (login, permission change).
func (s *Service) Audit(ctx context.Context, a zhengxie.Actor, committeeID int64, action, comment string, payload any) error {
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		return s.event(tx, a, committeeID, 0, 0, action, "", "", comment, payload)
	})
}

// requireRole fails unless the actor has one of the roles.
func requireRole(a zhengxie.Actor, what string, roles ...zhengxie.Role) error {
	if a.IsAnonymous() {
		return zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if slices.Contains(roles, a.Role) {
		return nil
	}
	var names []string
	for _, r := range roles {
		names = append(names, zhengxie.RoleName(r))
	}
	return zhengxie.Errorf(zhengxie.EForbidden, "只有%s可以%s。", strings.Join(names, "、"), what)
}
