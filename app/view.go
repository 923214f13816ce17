package app

import (
	"context"

	"zhengxie"
	"zhengxie/store"
)

// ProposalView is everything a page or the API shows about one proposal,
// already cut to what the viewer may see.
type ProposalView struct {
	P           *zhengxie.Proposal
	Cosigners   []zhengxie.Cosigner
	Tasks       []zhengxie.Task
	Events      []zhengxie.Event
	Attachments []store.Attachment
	Contacts    []store.Contact
	Actions     []zhengxie.Action
	TaskActions map[int64][]zhengxie.TaskAction
	Relation    zhengxie.Relation
	// Public is true when the viewer sees the published version: contact
	// details removed, internal notes and the timeline's comments hidden.
	Public bool
	// MergedInto is the proposal this one was merged into, if any.
	MergedInto *zhengxie.Proposal
	// ProposerPhone is shown to those who need to reach the proposer (the
	// office, leaders, the units handling it) and masked for the others.
	ProposerPhone string
}

// Proposal returns the view of one proposal for actor a, or not-found when
// a may not see it (the same answer as for an id that does not exist).
func (s *Service) Proposal(ctx context.Context, a zhengxie.Actor, id int64) (*ProposalView, error) {
	var p *zhengxie.Proposal
	var err error
	if a.IsAnonymous() {
		p, err = s.Store.ProposalAny(ctx, id)
	} else {
		p, err = s.Store.Proposal(ctx, a.CommitteeID, id)
	}
	if err != nil {
		return nil, err
	}
	rel, err := s.Store.Relation(ctx, a, p)
	if err != nil {
		return nil, err
	}
	if !zhengxie.CanSee(a, p, rel) {
		return nil, zhengxie.NotFound("提案")
	}
	v := &ProposalView{P: p, Relation: rel, TaskActions: map[int64][]zhengxie.TaskAction{}}
	parties := zhengxie.Parties(a, p, rel)
	v.Public = len(parties) == 0 && !(zhengxie.SeesAll(a.Role) && a.CommitteeID == p.CommitteeID)
	if v.Cosigners, err = s.Store.Cosigners(ctx, p.ID); err != nil {
		return nil, err
	}
	if v.Tasks, err = s.Store.Tasks(ctx, p.ID); err != nil {
		return nil, err
	}
	if v.Attachments, err = s.Store.Attachments(ctx, p.CommitteeID, p.ID); err != nil {
		return nil, err
	}
	if p.MergedInto != 0 {
		if m, err := s.Store.Proposal(ctx, p.CommitteeID, p.MergedInto); err == nil {
			v.MergedInto = m
		}
	}
	if v.Public {
		redactView(v)
		return v, nil
	}
	if u, err := s.Store.User(ctx, p.ProposerID); err == nil && u.Phone != "" {
		v.ProposerPhone = zhengxie.MaskPhone(u.Phone)
		if (zhengxie.SeesAll(a.Role) && a.Role != zhengxie.RoleSystem) || rel.UnitHasTask || rel.IsProposer {
			v.ProposerPhone = u.Phone
		}
	}
	if v.Events, err = s.Store.ProposalEvents(ctx, p.CommitteeID, p.ID); err != nil {
		return nil, err
	}
	if v.Contacts, err = s.Store.Contacts(ctx, p.ID); err != nil {
		return nil, err
	}
	v.Actions = zhengxie.Allowed(p.State, parties...)
	if p.State != zhengxie.StateArchived && p.State != zhengxie.StateConcluded {
		for _, t := range v.Tasks {
			tp := parties
			if a.Role == zhengxie.RoleUnit && a.UnitID != t.UnitID {
				tp = removeParty(tp, zhengxie.PartyUnit)
			}
			t := t
			if acts := zhengxie.AllowedTask(&t, tp...); len(acts) > 0 {
				if t.Feedback != "" {
					acts = removeTaskAction(acts, zhengxie.TaskActFeedback)
				}
				v.TaskActions[t.ID] = acts
			}
		}
	}
	return v, nil
}

func removeTaskAction(as []zhengxie.TaskAction, x zhengxie.TaskAction) []zhengxie.TaskAction {
	out := as[:0:0]
	for _, a := range as {
		if a != x {
			out = append(out, a)
		}
	}
	return out
}

// redactView strips what the public must not see.
func redactView(v *ProposalView) {
	p := *v.P
	p.Body = zhengxie.Redact(p.Body)
	p.Reason = zhengxie.Redact(p.Reason)
	v.P = &p
	var ts []zhengxie.Task
	for _, t := range v.Tasks {
		if !t.Counts() {
			continue
		}
		t.ReplyText = zhengxie.Redact(t.ReplyText)
		t.ReturnReason = ""
		t.FeedbackNote = ""
		ts = append(ts, t)
	}
	v.Tasks = ts
	kept := map[int64]bool{}
	for _, t := range ts {
		kept[t.ID] = true
	}
	var as []store.Attachment
	for _, a := range v.Attachments {
		// Reply letters are public with the reply; the proposer's own
		// attachments may hold contact details, and co-handling opinions
		// are internal letters to the lead unit: both stay internal.
		if kept[a.TaskID] {
			as = append(as, a)
		}
	}
	v.Attachments = as
}

// CanDownload reports whether actor a may download an attachment.
func (s *Service) CanDownload(ctx context.Context, a zhengxie.Actor, att *store.Attachment) error {
	if att.CommitteeID != a.CommitteeID {
		// Another committee's file: what the public may have, nothing more.
		a = zhengxie.Actor{}
	}
	v, err := s.Proposal(ctx, a, att.ProposalID)
	if err != nil {
		return zhengxie.NotFound("附件")
	}
	for _, x := range v.Attachments {
		if x.ID == att.ID {
			return nil
		}
	}
	return zhengxie.NotFound("附件")
}
