package app

import (
	"context"
	"strings"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/search"
	"zhengxie/store"
)

// today is the civil date now in the committee's time zone.
func (s *Service) today(ctx context.Context, committeeID int64) zhengxie.Date {
	loc := s.location(ctx, committeeID)
	return zhengxie.DateOf(s.now(), loc)
}

func (s *Service) location(ctx context.Context, committeeID int64) *time.Location {
	c, err := s.Store.Committee(ctx, committeeID)
	if err != nil {
		return (&zhengxie.Committee{}).Location()
	}
	return c.Location()
}

// dueFor computes a new task's deadline from the committee's rules.
func (s *Service) dueFor(rules zhengxie.DeadlineRules, cal *zhengxie.Calendar, kind string, assigned zhengxie.Date) zhengxie.Date {
	if kind == zhengxie.TaskCo {
		return zhengxie.CoHandleDue(rules, cal, assigned)
	}
	return zhengxie.TaskDue(rules, cal, assigned)
}

// Assign hands an accepted proposal to units (交办), or adds units to one in
// handling (改办 after a return).
func (s *Service) Assign(ctx context.Context, a zhengxie.Actor, id int64, as []zhengxie.Assignment, comment string) (*zhengxie.Proposal, error) {
	today := s.today(ctx, a.CommitteeID)
	rules, cal := s.Deadlines(ctx, a.CommitteeID)
	var names []string
	return s.act(ctx, a, id, zhengxie.ActAssign, comment, as, func(c *change) error {
		existing, err := c.tx.Tasks(c.p.ID)
		if err != nil {
			return err
		}
		if len(as) == 0 && len(existing) == 0 {
			// A proposal from a topic order goes to the unit that ordered it
			// unless the office says otherwise.
			if as, err = s.topicDefaultAssignment(c.tx, c.p); err != nil {
				return err
			}
		}
		if err := zhengxie.CheckAssignments(as, existing); err != nil {
			return err
		}
		// Returned tasks are replaced by this assignment.
		for i := range existing {
			t := &existing[i]
			if t.State != zhengxie.TaskReturned {
				continue
			}
			to, err := zhengxie.NextTask(t, zhengxie.TaskActCancel, zhengxie.PartyOffice)
			if err != nil {
				return err
			}
			t.State = to
			if err := c.tx.UpdateTask(t); err != nil {
				return err
			}
		}
		for _, x := range as {
			u, err := c.tx.Unit(c.p.CommitteeID, x.UnitID)
			if err != nil {
				return zhengxie.FieldError("assignments", "承办单位不存在")
			}
			due := s.dueFor(rules, cal, x.Kind, today)
			if x.Due != "" {
				d, err := zhengxie.ParseDate(x.Due)
				if err != nil {
					return zhengxie.FieldError("due", "办理期限格式应为2026-03-31")
				}
				if err := zhengxie.ExtensionAllowed(rules, today, d); err != nil {
					return zhengxie.FieldError("due", "%s", zhengxie.ErrorMessage(err))
				}
				if d.Before(today) {
					return zhengxie.FieldError("due", "办理期限不能早于今天")
				}
				due = d
			}
			t := &zhengxie.Task{CommitteeID: c.p.CommitteeID, ProposalID: c.p.ID, UnitID: u.ID, UnitName: u.Name, Kind: x.Kind,
				State: zhengxie.TaskPending, AssignedAt: s.now(), Due: due}
			if err := c.tx.CreateTask(t); err != nil {
				return err
			}
			names = append(names, u.Name+"（"+zhengxie.TaskKindName(x.Kind)+"）")
			n := s.taskNotice(c.tx, c.p, t, ntf.TaskAssigned, ntf.Data{Due: due})
			n.Event, n.Payload = "task.assigned", taskEventOf(c.p, t)
			if err := s.send(c.tx, n); err != nil {
				return err
			}
		}
		return s.send(c.tx, s.proposalNotice(c.tx, c.p, ntf.ProposalAssigned, ntf.Data{Unit: strings.Join(names, "、")}, ""))
	})
}

// taskChange is one step on a unit's task inside a transaction.
type taskChange struct {
	tx   *store.Tx
	p    *zhengxie.Proposal
	t    *zhengxie.Task
	from zhengxie.TaskState
	// then is a system transition of the proposal that the task step
	// causes; it is applied after the step's own event, so that the
	// timeline reads in cause-and-effect order.
	then zhengxie.Action
}

// taskAct runs action on a task: it locks the task and its proposal,
// checks both transition tables, applies fn and writes the event.
func (s *Service) taskAct(ctx context.Context, a zhengxie.Actor, taskID int64, action zhengxie.TaskAction, comment string, payload any,
	fn func(c *taskChange) error) (*zhengxie.Task, error) {
	if err := zhengxie.CheckText("comment", "说明", comment, 6000); err != nil {
		return nil, err
	}
	var out *zhengxie.Task
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		t, err := tx.LockTask(a.CommitteeID, taskID)
		if err != nil {
			return err
		}
		p, err := tx.LockProposal(a.CommitteeID, t.ProposalID)
		if err != nil {
			return err
		}
		rel, err := tx.Relation(a, p)
		if err != nil {
			return err
		}
		if !zhengxie.CanSee(a, p, rel) {
			return zhengxie.NotFound("办理任务")
		}
		// A unit sees only its own task of a proposal: another unit's task
		// is not found, whatever its state.
		if a.Role == zhengxie.RoleUnit && a.UnitID != t.UnitID {
			return zhengxie.NotFound("办理任务")
		}
		parties := zhengxie.Parties(a, p, rel)
		to, err := zhengxie.NextTask(t, action, parties...)
		if zhengxie.ErrorCode(err) == zhengxie.EForbidden {
			return err
		}
		// After 办结 the task's own state no longer matters: say why nothing may change.
		if zhengxie.Frozen(p.State) {
			return zhengxie.Errorf(zhengxie.EIllegal, "提案%s，办理任务不能再更改。", p.State.Name())
		}
		if err != nil {
			return err
		}
		c := &taskChange{tx: tx, p: p, t: t, from: t.State}
		t.State = to
		if err := fn(c); err != nil {
			return err
		}
		if err := tx.UpdateTask(t); err != nil {
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, t.ID, string(action), string(c.from), string(t.State), comment, payload); err != nil {
			return err
		}
		if c.then != "" {
			if err := s.moveProposal(tx, p, c.then); err != nil {
				return err
			}
		}
		out = t
		return nil
	})
	return out, err
}

// closeOpenTasks closes, after 办结, every task still waiting for its unit,
// each with its own event, so that nothing stays on a unit's desk with a
// live deadline.
func (s *Service) closeOpenTasks(tx *store.Tx, p *zhengxie.Proposal, ts []zhengxie.Task) error {
	sys := zhengxie.SystemActor(p.CommitteeID)
	for i := range ts {
		t := &ts[i]
		if !t.State.Open() {
			continue
		}
		to, err := zhengxie.NextTask(t, zhengxie.TaskActClose, zhengxie.PartySystem)
		if err != nil {
			return err
		}
		from := t.State
		t.State = to
		if err := tx.UpdateTask(t); err != nil {
			return err
		}
		if err := s.event(tx, sys, p.CommitteeID, p.ID, t.ID, string(zhengxie.TaskActClose), string(from), string(to), "提案已办结，未完成的办理任务随之关闭。", nil); err != nil {
			return err
		}
		if err := s.send(tx, s.taskNotice(tx, p, t, ntf.TaskClosed, ntf.Data{})); err != nil {
			return err
		}
	}
	return nil
}

// ReleaseLead lets the lead unit reply before every co-handling unit has
// sent its opinion (提案委员会准予主办单位先行答复); the reason is recorded.
func (s *Service) ReleaseLead(ctx context.Context, a zhengxie.Actor, taskID int64, reason string) (*zhengxie.Task, error) {
	reason = strings.TrimSpace(reason)
	return s.taskAct(ctx, a, taskID, zhengxie.TaskActRelease, reason, nil, func(c *taskChange) error {
		if err := zhengxie.CheckRelease(reason); err != nil {
			return err
		}
		if c.t.LeadReleased {
			return zhengxie.Errorf(zhengxie.EIllegal, "已准予主办单位先行答复，无需重复操作。")
		}
		c.t.LeadReleased = true
		return s.send(c.tx, s.taskNotice(c.tx, c.p, c.t, ntf.LeadReleased, ntf.Data{Reason: reason}))
	})
}

func removeParty(ps []zhengxie.Party, p zhengxie.Party) []zhengxie.Party {
	out := ps[:0:0]
	for _, x := range ps {
		if x != p {
			out = append(out, x)
		}
	}
	return out
}

// AcceptTask is a unit signing for its task (签收).
func (s *Service) AcceptTask(ctx context.Context, a zhengxie.Actor, taskID int64) (*zhengxie.Task, error) {
	return s.taskAct(ctx, a, taskID, zhengxie.TaskActAccept, "", nil, func(c *taskChange) error { return nil })
}

// ReturnTask is a unit disputing its assignment (退回) within the return window.
func (s *Service) ReturnTask(ctx context.Context, a zhengxie.Actor, taskID int64, reason string) (*zhengxie.Task, error) {
	today := s.today(ctx, a.CommitteeID)
	rules, cal := s.Deadlines(ctx, a.CommitteeID)
	return s.taskAct(ctx, a, taskID, zhengxie.TaskActReturn, reason, nil, func(c *taskChange) error {
		assigned := zhengxie.DateOf(c.t.AssignedAt, s.location(ctx, a.CommitteeID))
		if err := zhengxie.CheckReturn(reason, today.String(), zhengxie.ReturnBy(rules, cal, assigned).String()); err != nil {
			return err
		}
		c.t.ReturnReason = reason
		return s.taskReturned(c.tx, c.p, c.t, reason)
	})
}

// Contact methods.
var ContactMethods = []string{"面商", "电话沟通", "座谈", "实地调研", "书面沟通"}

// RecordContact stores a unit's contact with the proposer (沟通 / 面商).
func (s *Service) RecordContact(ctx context.Context, a zhengxie.Actor, taskID int64, method, on, note string) (*zhengxie.Task, error) {
	method, note = strings.TrimSpace(method), strings.TrimSpace(note)
	if !contains(ContactMethods, method) {
		return nil, zhengxie.FieldError("method", "请选择沟通方式")
	}
	d, err := zhengxie.ParseDate(on)
	if err != nil {
		return nil, zhengxie.FieldError("date", "沟通日期格式应为2026-03-31")
	}
	if d.After(s.today(ctx, a.CommitteeID)) {
		return nil, zhengxie.FieldError("date", "沟通日期不能晚于今天")
	}
	if err := zhengxie.CheckText("note", "沟通情况", note, 5000); err != nil {
		return nil, err
	}
	return s.taskAct(ctx, a, taskID, zhengxie.TaskActContact, method+" "+d.String()+" "+note, nil, func(c *taskChange) error {
		c.t.Contacted = true
		return c.tx.AddContact(c.p.CommitteeID, &store.Contact{TaskID: c.t.ID, Method: method, ContactedOn: d.String(), Note: note, CreatedBy: a.UserID})
	})
}

// Reply sends a unit's written reply (答复), or a co-handling unit's opinion
// to the lead unit. When the last reply that counts is in, the proposal
// becomes replied.
func (s *Service) Reply(ctx context.Context, a zhengxie.Actor, taskID int64, r zhengxie.Reply, file *Upload) (*zhengxie.Task, error) {
	r.Text = strings.TrimSpace(r.Text)
	var stored *StoredFile
	if file != nil {
		var err error
		if stored, err = Check(file); err != nil {
			return nil, err
		}
	}
	undo := func() {}
	replyTokens := search.Tokens(r.Text)
	t, err := s.taskAct(ctx, a, taskID, zhengxie.TaskActReply, "", map[string]string{"result_class": r.ResultClass}, func(c *taskChange) error {
		if err := zhengxie.CheckReply(c.t, r); err != nil {
			return err
		}
		ts, err := c.tx.Tasks(c.p.ID)
		if err != nil {
			return err
		}
		if err := zhengxie.CheckLeadReply(c.t, ts); err != nil {
			return err
		}
		c.t.ResultClass, c.t.ReplyText, c.t.RepliedAt = r.ResultClass, r.Text, s.now()
		if c.t.Kind == zhengxie.TaskCo {
			c.t.ResultClass = ""
		}
		rv := &store.ReplyVersion{CommitteeID: c.p.CommitteeID, ProposalID: c.p.ID, TaskID: c.t.ID, ResultClass: c.t.ResultClass,
			Text: c.t.ReplyText, RepliedAt: c.t.RepliedAt, RepliedBy: a.UserID}
		if stored != nil {
			att := stored.attachment(c.p.CommitteeID, c.p.ID, c.t.ID, a.UserID)
			if err := c.tx.AddAttachment(att); err != nil {
				return err
			}
			rv.AttachmentID = att.ID
			// The letter reaches the disk only once every check passed.
			if undo, err = s.keepUpload(ctx, stored, file.Data); err != nil {
				return err
			}
		}
		if err := c.tx.AddReplyVersion(rv); err != nil {
			return err
		}
		words := replyTokens
		for i := range ts {
			if ts[i].ID == c.t.ID {
				ts[i] = *c.t
			} else if ts[i].Counts() && ts[i].ReplyText != "" {
				words = append(words, search.Tokens(ts[i].ReplyText)...)
			}
		}
		if c.t.Kind == zhengxie.TaskCo {
			return nil
		}
		if err := c.tx.IndexReplies(c.p.ID, words); err != nil {
			return err
		}
		n := s.proposalNotice(c.tx, c.p, ntf.ReplyReceived, ntf.Data{Unit: c.t.UnitName, Result: zhengxie.ResultClassName(c.t.ResultClass)}, "")
		ev := taskEventOf(c.p, c.t)
		ev.ResultClass = c.t.ResultClass
		n.Event, n.Payload = "task.replied", ev
		if err := s.send(c.tx, n); err != nil {
			return err
		}
		if err := s.topicAfterReply(c.tx, c.p, c.t); err != nil {
			return err
		}
		if zhengxie.AllReplied(ts) && c.p.State == zhengxie.StateHandling {
			c.then = zhengxie.ActAllReplied
		}
		return nil
	})
	if err != nil {
		undo()
		return nil, err
	}
	return t, nil
}

// moveProposal applies a system transition to a proposal inside a task's transaction.
func (s *Service) moveProposal(tx *store.Tx, p *zhengxie.Proposal, action zhengxie.Action) error {
	to, err := zhengxie.Next(p.State, action, zhengxie.PartySystem)
	if err != nil {
		return err
	}
	from := p.State
	p.State = to
	if err := tx.UpdateProposal(p); err != nil {
		return err
	}
	return s.event(tx, zhengxie.SystemActor(p.CommitteeID), p.CommitteeID, p.ID, 0, string(action), string(from), string(to), "", nil)
}

// Feedback is the proposer's rating of a reply (满意度测评). 不满意 sends the
// task back to the unit for re-handling with a new deadline, once.
func (s *Service) Feedback(ctx context.Context, a zhengxie.Actor, taskID int64, value, note string) (*zhengxie.Task, error) {
	note = strings.TrimSpace(note)
	if err := zhengxie.CheckFeedback(value, note); err != nil {
		return nil, err
	}
	today := s.today(ctx, a.CommitteeID)
	rules, cal := s.Deadlines(ctx, a.CommitteeID)
	return s.taskAct(ctx, a, taskID, zhengxie.TaskActFeedback, note, map[string]string{"feedback": value}, func(c *taskChange) error {
		if err := zhengxie.CheckFeedbackState(c.p.State, c.t); err != nil {
			return err
		}
		c.t.Feedback, c.t.FeedbackNote, c.t.FeedbackAt = value, note, s.now()
		if err := c.tx.RateReplyVersion(c.t.ID, value, note); err != nil {
			return err
		}
		if !zhengxie.FeedbackRehandles(c.t, value) {
			return s.send(c.tx, s.taskNotice(c.tx, c.p, c.t, ntf.FeedbackReceived, ntf.Data{Result: zhengxie.FeedbackName(value), Reason: note}))
		}
		// The first rating stays in the event log; the task waits for a new reply and a new rating.
		to, err := zhengxie.NextTask(c.t, zhengxie.TaskActRehandle, zhengxie.PartySystem)
		if err != nil {
			return err
		}
		c.t.State, c.t.Rehandled = to, true
		// The superseded letter stays in the case file, no longer public.
		if err := c.tx.SupersedeReplyAttachments(c.t.ID); err != nil {
			return err
		}
		c.t.Feedback, c.t.FeedbackNote, c.t.FeedbackAt = "", "", time.Time{}
		c.t.Due = zhengxie.RehandleDue(rules, cal, today)
		if err := s.send(c.tx, s.taskNotice(c.tx, c.p, c.t, ntf.RehandleRequested, ntf.Data{Reason: note})); err != nil {
			return err
		}
		if c.p.State == zhengxie.StateReplied {
			c.then = zhengxie.ActRehandle
		}
		return nil
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
