package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// ---------- extensions (延期) ----------

func isOpen(st zhengxie.TaskState) bool { return slices.Contains(store.OpenTaskStates, st) }

// RequestExtension is a unit asking for a later deadline, with a reason.
// The new deadline may be at most MaxMonths after the assignment, however
// many extensions came before.
func (s *Service) RequestExtension(ctx context.Context, a zhengxie.Actor, taskID int64, newDue, reason string) (*store.Extension, error) {
	if err := requireRole(a, "申请延期", zhengxie.RoleUnit); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, zhengxie.FieldError("reason", "请填写延期理由，说明需要延期的原因和办理进展")
	}
	if err := zhengxie.CheckText("reason", "延期理由", reason, 1000); err != nil {
		return nil, err
	}
	d, err := zhengxie.ParseDate(newDue)
	if err != nil {
		return nil, zhengxie.FieldError("due", "%s", zhengxie.ErrorMessage(err))
	}
	loc := s.location(ctx, a.CommitteeID)
	rules, _ := s.Deadlines(ctx, a.CommitteeID)
	var e *store.Extension
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		t, err := tx.LockTask(a.CommitteeID, taskID)
		if err != nil {
			return err
		}
		if t.UnitID != a.UnitID {
			return zhengxie.NotFound("办理任务")
		}
		p, err := tx.LockProposal(a.CommitteeID, t.ProposalID)
		if err != nil {
			return err
		}
		to, err := zhengxie.ExtensionTable.Next(zhengxie.ExtNone, zhengxie.ExtActRequest, zhengxie.PartyUnit)
		if err != nil {
			return err
		}
		if err := zhengxie.CheckExtensionTask(p.State, t); err != nil {
			return err
		}
		cur := t.Due
		if !d.After(cur) {
			return zhengxie.FieldError("due", "延期后的期限应晚于当前期限（%s）", cur)
		}
		if err := zhengxie.ExtensionAllowed(rules, zhengxie.DateOf(t.AssignedAt, loc), d); err != nil {
			return err
		}
		e = &store.Extension{CommitteeID: a.CommitteeID, TaskID: t.ID, ProposalID: p.ID, UnitID: t.UnitID, UnitName: t.UnitName,
			Title: p.Title, Number: p.Number, RequestedBy: a.UserID, RequestedByName: a.Name, Reason: reason, OldDue: t.Due.String(), NewDue: d.String(), State: to}
		if err := tx.CreateExtension(e); err != nil {
			if zhengxie.ErrorCode(err) == zhengxie.EConflict {
				return zhengxie.Errorf(zhengxie.EConflict, "该任务已有一份待审批的延期申请，请等待提案委员会审批。")
			}
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, t.ID, string(zhengxie.ExtActRequest), string(t.State), string(t.State), reason,
			map[string]string{"from": t.Due.String(), "to": e.NewDue}); err != nil {
			return err
		}
		n := s.taskNotice(tx, p, t, ntf.ExtensionRequested, ntf.Data{Due: d, PreviousDue: cur, Reason: reason})
		n.To, n.Link = []Recipient{toRole(zhengxie.RoleOffice)}, "/supervision/extensions"
		return s.send(tx, n)
	})
	return e, err
}

// DecideExtension is the office approving or refusing a request; a refusal
// needs a reason, which the unit sees.
func (s *Service) DecideExtension(ctx context.Context, a zhengxie.Actor, id int64, approve bool, note string) (*store.Extension, error) {
	if err := requireRole(a, "审批延期申请", zhengxie.RoleOffice); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return nil, zhengxie.FieldError("note", "请填写不同意延期的理由，承办单位将看到")
	}
	if err := zhengxie.CheckText("note", "审批意见", note, 1000); err != nil {
		return nil, err
	}
	loc := s.location(ctx, a.CommitteeID)
	rules, _ := s.Deadlines(ctx, a.CommitteeID)
	var e *store.Extension
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if e, err = tx.LockExtension(a.CommitteeID, id); err != nil {
			return err
		}
		action := zhengxie.ExtensionDecision(approve)
		to, err := zhengxie.ExtensionTable.Next(e.State, action, zhengxie.PartyOffice)
		if err != nil {
			return err
		}
		t, err := tx.LockTask(a.CommitteeID, e.TaskID)
		if err != nil {
			return err
		}
		p, err := tx.LockProposal(a.CommitteeID, e.ProposalID)
		if err != nil {
			return err
		}
		e.DecidedBy, e.DecidedByName, e.DecisionNote = a.UserID, a.Name, note
		newDue, _ := zhengxie.ParseDate(e.NewDue)
		oldDue, _ := zhengxie.ParseDate(e.OldDue)
		n := s.taskNotice(tx, p, t, ntf.ExtensionRefused, ntf.Data{Due: newDue, PreviousDue: oldDue, Reason: note})
		n.Link = "/supervision/tasks/" + fmt.Sprint(t.ID)
		e.State = to
		if approve {
			if err := zhengxie.CheckExtensionTask(p.State, t); err != nil {
				return err
			}
			d, _ := zhengxie.ParseDate(e.NewDue)
			if err := zhengxie.ExtensionAllowed(rules, zhengxie.DateOf(t.AssignedAt, loc), d); err != nil {
				return err
			}
			previous := t.Due.String()
			t.Due = d
			if err := tx.UpdateTask(t); err != nil {
				return err
			}
			ev := taskEventOf(p, t)
			ev.PreviousDue = previous
			n.Template, n.Event, n.Payload = ntf.ExtensionApproved, "task.extended", ev
		}
		if err := tx.DecideExtension(e); err != nil {
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, t.ID, string(action), string(t.State), string(t.State), note,
			map[string]string{"from": e.OldDue, "to": e.NewDue}); err != nil {
			return err
		}
		return s.send(tx, n)
	})
	return e, err
}

// TaskDeadline is everything about one task's deadline.
type TaskDeadline struct {
	Task        *zhengxie.Task
	Proposal    *zhengxie.Proposal
	Today       zhengxie.Date
	Assigned    zhengxie.Date
	Due         zhengxie.Date
	DaysLeft    int // negative when overdue
	Open        bool
	Reminders   []zhengxie.Date
	EscalateOn  zhengxie.Date
	Limit       zhengxie.Date // the latest an extension may reach
	Rules       zhengxie.DeadlineRules
	Alerts      []store.TaskAlert
	Extensions  []store.Extension
	Pending     *store.Extension
	CanRequest  bool
	CanDecide   bool
	LeaderName  string
	CountingWay string
}

// TaskDeadline returns the deadline page of a task: the office, leaders and
// admins see every task, a unit only its own.
func (s *Service) TaskDeadline(ctx context.Context, a zhengxie.Actor, taskID int64) (*TaskDeadline, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	t, err := s.Store.Task(ctx, a.CommitteeID, taskID)
	if err != nil {
		return nil, err
	}
	if !zhengxie.SeesAll(a.Role) && !(a.Role == zhengxie.RoleUnit && a.UnitID == t.UnitID) {
		return nil, zhengxie.NotFound("办理任务")
	}
	p, err := s.Store.Proposal(ctx, a.CommitteeID, t.ProposalID)
	if err != nil {
		return nil, err
	}
	loc := s.location(ctx, a.CommitteeID)
	rules, cal := s.Deadlines(ctx, a.CommitteeID)
	v := &TaskDeadline{Task: t, Proposal: p, Today: zhengxie.DateOf(s.now(), loc), Assigned: zhengxie.DateOf(t.AssignedAt, loc), Rules: rules,
		Open: isOpen(t.State) && (p.State == zhengxie.StateHandling || p.State == zhengxie.StateReplied)}
	v.Due = t.Due
	v.DaysLeft = v.Due.Sub(v.Today)
	v.Limit = zhengxie.ExtensionLimit(rules, v.Assigned)
	v.EscalateOn = zhengxie.EscalationDate(rules, v.Due)
	for _, d := range zhengxie.ReminderDates(rules, cal, v.Due) {
		if d.After(v.Assigned) {
			v.Reminders = append(v.Reminders, d)
		}
	}
	v.CountingWay = "自然日"
	if rules.Counting == zhengxie.CountWorking {
		v.CountingWay = "工作日（节假日顺延）"
	}
	if v.Alerts, err = s.Store.Alerts(ctx, store.AlertFilter{CommitteeID: a.CommitteeID, TaskID: t.ID}); err != nil {
		return nil, err
	}
	if v.Extensions, err = s.Store.Extensions(ctx, store.ExtensionFilter{CommitteeID: a.CommitteeID, TaskID: t.ID}); err != nil {
		return nil, err
	}
	for i := range v.Extensions {
		if v.Extensions[i].State == zhengxie.ExtPending {
			v.Pending = &v.Extensions[i]
		}
	}
	v.CanRequest = v.Open && a.Role == zhengxie.RoleUnit && v.Pending == nil && v.Due.Before(v.Limit)
	v.CanDecide = a.Role == zhengxie.RoleOffice && v.Pending != nil
	if u, err := s.Store.Unit(ctx, a.CommitteeID, t.UnitID); err == nil && u.LeaderID != 0 {
		if l, err := s.Store.User(ctx, u.LeaderID); err == nil {
			v.LeaderName = l.Name
		}
	}
	return v, nil
}

// PendingExtensions lists the requests waiting for the office.
func (s *Service) PendingExtensions(ctx context.Context, a zhengxie.Actor, state string) ([]store.Extension, error) {
	if err := requireRole(a, "查看延期申请", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin); err != nil {
		return nil, err
	}
	return s.Store.Extensions(ctx, store.ExtensionFilter{CommitteeID: a.CommitteeID, State: state})
}
