package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// Notices are the one outbox of what people and integrations hear of an
// event. Every kind of event has one template (notify/templates), rendered
// once per recipient inside the transaction of the change: the text is
// written to the recipient's in-app centre there (it is a row of the same
// database, so it needs no outbox), and one job row, written in the same
// transaction, carries the same text to e-mail and SMS and the event to
// the webhooks. When that job runs it fans out into one delivery job per
// e-mail, SMS and subscription, each retried on its own and keyed by the
// notice, so that a rerun of the notice queues nothing twice.

// JobNotice is the kind of the job row of a notice.
const JobNotice = "notice"

// Notice is one event's message.
type Notice struct {
	CommitteeID int64
	Template    string // a notify template; "" when only integrations hear of it
	Data        ntf.Data
	Link        string // the page the message points at
	To          []Recipient
	Event       string // the webhook event ("task.assigned"); "" for none
	Payload     any    // the webhook event's data
	Dedupe      string // not empty: the notice is queued once per key
	// InAppOnly keeps the message in the recipients' in-app centres: a
	// notice to every member (a new topic order) is no e-mail or SMS.
	InAppOnly bool
}

// Recipient is who a notice is for: one user, every user of a unit (the
// letter is addressed to the unit), or every user of a role.
type Recipient struct {
	userID   int64
	unitID   int64
	unitName string
	role     zhengxie.Role
}

func toUser(id int64) Recipient              { return Recipient{userID: id} }
func toUnit(id int64, name string) Recipient { return Recipient{unitID: id, unitName: name} }
func toRole(role zhengxie.Role) Recipient    { return Recipient{role: role} }
func toUsers(ids ...int64) (out []Recipient) {
	for _, id := range ids {
		out = append(out, toUser(id))
	}
	return out
}

// noticeJob is the payload of a notice's job row: the rendered texts for
// the outside channels and the webhook event.
type noticeJob struct {
	Mail          []noticeText    `json:"mail,omitempty"`
	SMS           []noticeText    `json:"sms,omitempty"`
	Event         string          `json:"event,omitempty"`
	Subscriptions []int64         `json:"subscriptions,omitempty"`
	Data          json.RawMessage `json:"data,omitempty"`
	At            time.Time       `json:"at"`
}

type noticeText struct {
	UserID  int64  `json:"user_id"`
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Text    string `json:"text,omitempty"`
}

type addressee struct {
	user zhengxie.User
	as   string // how the letter opens
}

// recipients resolves n.To to active users of the committee, each once.
func (s *Service) recipients(tx *store.Tx, n Notice) ([]addressee, error) {
	var out []addressee
	seen := map[int64]bool{}
	add := func(u zhengxie.User, as string) {
		if u.ID == 0 || seen[u.ID] || u.Disabled || u.CommitteeID != n.CommitteeID {
			return
		}
		seen[u.ID] = true
		out = append(out, addressee{u, as})
	}
	for _, r := range n.To {
		switch {
		case r.userID != 0:
			if u, err := tx.User(r.userID); err == nil {
				add(*u, u.Name)
			}
		case r.unitID != 0:
			us, err := tx.Users(store.UserFilter{CommitteeID: n.CommitteeID, Role: zhengxie.RoleUnit, UnitID: r.unitID, Active: true})
			if err != nil {
				return nil, err
			}
			for _, u := range us {
				add(u, r.unitName)
			}
		case r.role != "":
			us, err := tx.Users(store.UserFilter{CommitteeID: n.CommitteeID, Role: r.role, Active: true})
			if err != nil {
				return nil, err
			}
			for _, u := range us {
				add(u, u.Name)
			}
		}
	}
	return out, nil
}

// notice renders n for each recipient, writes the in-app messages and
// queues the job row for the other channels and the webhooks, all in tx.
// It returns how many people it reached.
func (s *Service) notice(tx *store.Tx, n Notice) (int, error) {
	ch := s.Jobs().Channels()
	if n.Data.URL == "" && ch.BaseURL != "" && n.Link != "" {
		n.Data.URL = strings.TrimRight(ch.BaseURL, "/") + n.Link
	}
	job := noticeJob{Event: n.Event, At: s.now().UTC().Truncate(time.Second)}
	label := WebhookEventName(n.Event)
	var people []addressee
	if n.Template != "" {
		var err error
		if people, err = s.recipients(tx, n); err != nil {
			return 0, err
		}
	}
	for _, p := range people {
		d := n.Data
		d.Recipient = p.as
		subject, text, err := ntf.Render(n.Template, d)
		if err != nil {
			return 0, err
		}
		label = subject
		if err := tx.Notify(&store.Notification{CommitteeID: n.CommitteeID, UserID: p.user.ID, Title: subject, Body: text, Link: n.Link}); err != nil {
			return 0, err
		}
		prefs, err := tx.NotifyPrefs(p.user.ID)
		if err != nil {
			return 0, err
		}
		if n.InAppOnly {
			continue
		}
		if prefs.Email && p.user.Email != "" && ch.MailOn() {
			job.Mail = append(job.Mail, noticeText{UserID: p.user.ID, Name: p.user.Name, Subject: subject, Text: text})
		}
		if prefs.SMS && p.user.Phone != "" && ch.SMSOn() {
			job.SMS = append(job.SMS, noticeText{UserID: p.user.ID, Name: p.user.Name, Subject: subject})
		}
	}
	if n.Event != "" {
		subs, err := tx.ActiveWebhooks(n.CommitteeID)
		if err != nil {
			return 0, err
		}
		for _, sub := range subs {
			if sub.Wants(n.Event) {
				job.Subscriptions = append(job.Subscriptions, sub.ID)
			}
		}
		if len(job.Subscriptions) > 0 {
			if job.Data, err = json.Marshal(n.Payload); err != nil {
				return 0, err
			}
		}
	}
	if len(job.Mail)+len(job.SMS)+len(job.Subscriptions) == 0 {
		return len(people), nil
	}
	body, err := json.Marshal(job)
	if err != nil {
		return 0, err
	}
	key := ""
	if n.Dedupe != "" {
		key = "notice:" + n.Dedupe
	}
	return len(people), s.enqueue(tx, &store.Job{CommitteeID: n.CommitteeID, Kind: JobNotice, DedupeKey: key, Payload: string(body),
		Label: fmt.Sprintf("通知（邮件%d、短信%d、Webhook%d）：%s", len(job.Mail), len(job.SMS), len(job.Subscriptions), label)})
}

// emit is a notice that only integrations hear of.
func (s *Service) emit(tx *store.Tx, committeeID int64, event string, data any) error {
	_, err := s.notice(tx, Notice{CommitteeID: committeeID, Event: event, Payload: data})
	return err
}

// runNotice fans a notice's job row out into its deliveries, in one
// transaction; the keys make a second run queue nothing new.
func (r *JobRunner) runNotice(ctx context.Context, j *store.Job) error {
	var p noticeJob
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return ntf.Permanent(fmt.Errorf("任务内容无法解析：%w", err))
	}
	s := r.svc
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		for _, m := range p.Mail {
			body, _ := json.Marshal(emailPayload{UserID: m.UserID, Subject: m.Subject, Text: m.Text})
			if err := s.enqueue(tx, &store.Job{CommitteeID: j.CommitteeID, Kind: JobEmail, DedupeKey: fmt.Sprintf("notice:%d:email:%d", j.ID, m.UserID),
				Payload: string(body), Label: "邮件 → " + m.Name + "：" + m.Subject}); err != nil {
				return err
			}
		}
		for _, m := range p.SMS {
			body, _ := json.Marshal(smsPayload{UserID: m.UserID, Text: m.Subject})
			if err := s.enqueue(tx, &store.Job{CommitteeID: j.CommitteeID, Kind: JobSMS, DedupeKey: fmt.Sprintf("notice:%d:sms:%d", j.ID, m.UserID),
				Payload: string(body), Label: "短信 → " + m.Name + "：" + m.Subject}); err != nil {
				return err
			}
		}
		if len(p.Subscriptions) == 0 {
			return nil
		}
		subs, err := tx.ActiveWebhooks(j.CommitteeID)
		if err != nil {
			return err
		}
		c, err := tx.CommitteeTx(j.CommitteeID)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			if slices.Contains(p.Subscriptions, sub.ID) {
				if err := s.queueDeliveryAt(tx, c, &sub, p.Event, p.Data, p.At, fmt.Sprintf("notice:%d:webhook:%d", j.ID, sub.ID)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ---------- the notices of the lifecycle ----------

// proposalNotice is a notice to the proposer about their proposal.
func (s *Service) proposalNotice(tx *store.Tx, p *zhengxie.Proposal, template string, d ntf.Data, link string) Notice {
	d.Committee, d.Number, d.Title = s.committeeName(tx, p.CommitteeID), p.NumberText(), p.Title
	if d.Proposer == "" {
		d.Proposer = p.ProposerName
	}
	if link == "" {
		link = proposalLink(p.ID)
	}
	return Notice{CommitteeID: p.CommitteeID, Template: template, Data: d, Link: link, To: toUsers(p.ProposerID)}
}

// taskNotice is a notice about a unit's task, to the unit by default.
func (s *Service) taskNotice(tx *store.Tx, p *zhengxie.Proposal, t *zhengxie.Task, template string, d ntf.Data) Notice {
	d.Committee, d.Number, d.Title = s.committeeName(tx, p.CommitteeID), p.NumberText(), p.Title
	d.Proposer, d.Unit, d.Role = p.ProposerName, t.UnitName, zhengxie.TaskKindName(t.Kind)
	if d.Due == nil {
		d.Due = t.Due
	}
	return Notice{CommitteeID: p.CommitteeID, Template: template, Data: d, Link: proposalLink(p.ID), To: []Recipient{toUnit(t.UnitID, t.UnitName)}}
}

// send queues n and drops the count.
func (s *Service) send(tx *store.Tx, n Notice) error {
	_, err := s.notice(tx, n)
	return err
}

// taskReturned is a unit's 退回 to the office, and to integrations.
func (s *Service) taskReturned(tx *store.Tx, p *zhengxie.Proposal, t *zhengxie.Task, reason string) error {
	n := s.taskNotice(tx, p, t, ntf.TaskReturned, ntf.Data{Reason: reason})
	n.To = []Recipient{toRole(zhengxie.RoleOffice)}
	n.Event, n.Payload = "task.returned", struct {
		taskEvent
		Reason string `json:"reason"`
	}{taskEventOf(p, t), reason}
	return s.send(tx, n)
}

func proposalEventOf(p *zhengxie.Proposal) proposalEvent {
	return proposalEvent{ProposalID: p.ID, Number: p.NumberText(), Title: p.Title, Category: p.Category,
		Proposer: p.ProposerName, State: string(p.State), Published: p.Published, Key: p.Key}
}
