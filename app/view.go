package app

import (
	"context"
	"time"

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
	// NextStep is the one-sentence hint of what comes next for this viewer.
	NextStep string
	// CoOpinions are the co-handling units' opinions, shown to the lead
	// unit while it writes its reply (and to the office).
	CoOpinions []CoOpinion
	// Replies are every reply version of the case file (第一次答复,
	// 重新办理后答复); the public sees only each task's current reply.
	Replies []ReplyVersion
	// Matter is the citizen's matter the draft was made from (接访转提案),
	// only for those who may see that matter.
	Matter *SourceMatter
	// Order is the topic order the proposal was drafted from (订单来源).
	Order *ProposalOrder
}

// CoOpinion is one co-handling unit's part, as the lead unit reads it.
type CoOpinion struct {
	TaskID    int64
	UnitName  string
	State     zhengxie.TaskState
	Text      string // empty while the unit has not sent its opinion
	RepliedAt time.Time
}

// ReplyVersion is one numbered reply of a task.
type ReplyVersion struct {
	store.ReplyVersion
	UnitName string
	Label    string // 第一次答复, 重新办理后答复 …
	Current  bool   // the reply now in force
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
	nv := zhengxie.Viewer{Parties: parties, UnitID: a.UnitID}
	if p.State == zhengxie.StateDraft {
		for _, e := range zhengxie.DraftProblems(DraftOf(p, v.Cosigners), true) {
			nv.Missing = append(nv.Missing, e.Message)
		}
	}
	v.NextStep = zhengxie.NextStep(p, v.Tasks, nv)
	if v.Public {
		redactView(v)
		return v, nil
	}
	if err := s.caseFile(ctx, a, v); err != nil {
		return nil, err
	}
	if v.Matter, err = s.MatterOfProposal(ctx, a, p); err != nil {
		return nil, err
	}
	if v.Order, err = s.OrderOfProposal(ctx, p); err != nil {
		return nil, err
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
	if !zhengxie.Frozen(p.State) {
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

// caseFile fills the reply versions and, for the lead unit and those who
// see everything, the co-handling opinions.
func (s *Service) caseFile(ctx context.Context, a zhengxie.Actor, v *ProposalView) error {
	rs, err := s.Store.ReplyVersions(ctx, v.P.CommitteeID, v.P.ID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	lead := false
	for _, t := range v.Tasks {
		names[t.ID] = t.UnitName
		lead = lead || (t.Kind == zhengxie.TaskLead && a.Role == zhengxie.RoleUnit && t.UnitID == a.UnitID)
	}
	last := map[int64]int{}
	for _, r := range rs {
		last[r.TaskID] = max(last[r.TaskID], r.Version)
	}
	for _, r := range rs {
		v.Replies = append(v.Replies, ReplyVersion{ReplyVersion: r, UnitName: names[r.TaskID], Label: zhengxie.ReplyVersionLabel(r.Version),
			Current: r.Version == last[r.TaskID]})
	}
	if lead || zhengxie.SeesAll(a.Role) {
		for _, t := range v.Tasks {
			if t.Kind == zhengxie.TaskCo && t.State != zhengxie.TaskCancelled {
				v.CoOpinions = append(v.CoOpinions, CoOpinion{TaskID: t.ID, UnitName: t.UnitName, State: t.State, Text: t.ReplyText, RepliedAt: t.RepliedAt})
			}
		}
	}
	return nil
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
		// are internal letters to the lead unit: both stay internal, as do
		// letters superseded by the reply after re-handling.
		if kept[a.TaskID] && !a.Superseded {
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
