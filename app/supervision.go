package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// Supervision (督办): deadlines that drive the work. A periodic scan
// (ScanDeadlines, run every minute by the background loop) looks at every
// task that still owes a reply and decides, from the committee's rules and
// calendar and the date today, which reminder, overdue notice or escalation
// is due. Each one is recorded in task_alerts under a unique (task, kind,
// day) key in the same transaction that writes its messages and queues its
// e-mails, so that running the scan twice, on two servers, or after a
// crash never sends anything twice, and a scan after downtime sends what
// is still due.

// ---------- the committee's deadline rules and calendar ----------

// Deadlines returns the deadline rules and holiday calendar of a committee:
// what the admin saved, or the service's defaults.
func (s *Service) Deadlines(ctx context.Context, committeeID int64) (zhengxie.DeadlineRules, *zhengxie.Calendar) {
	rules, cal := s.Rules, s.Calendar
	cs, err := s.Store.Settings(ctx, committeeID)
	if err != nil {
		s.Log.Warn("committee settings", "committee", committeeID, "err", err)
		return rules, cal
	}
	if cs.Rules != "" {
		var r zhengxie.DeadlineRules
		if err := json.Unmarshal([]byte(cs.Rules), &r); err == nil && r.Validate() == nil {
			rules = r
		}
	}
	if cs.Calendar != "" {
		if c, err := zhengxie.ParseCalendar(strings.NewReader(cs.Calendar)); err == nil {
			cal = c
		}
	}
	return rules, cal
}

// DeadlineSettings is what the admin page edits.
type DeadlineSettings struct {
	Rules        zhengxie.DeadlineRules
	CalendarText string
	Default      bool // the calendar is the one shipped with the binary
	Calendar     *zhengxie.Calendar
	Year         int
	CoversYear   bool
	CoversNext   bool
	UpdatedAt    time.Time
}

// DeadlineSettings returns a committee's rules and the text of its calendar.
func (s *Service) DeadlineSettings(ctx context.Context, a zhengxie.Actor) (*DeadlineSettings, error) {
	if err := requireRole(a, "设置办理期限和节假日", zhengxie.RoleAdmin, zhengxie.RoleOffice); err != nil {
		return nil, err
	}
	cs, err := s.Store.Settings(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	rules, cal := s.Deadlines(ctx, a.CommitteeID)
	d := &DeadlineSettings{Rules: rules, Calendar: cal, CalendarText: cs.Calendar, UpdatedAt: cs.UpdatedAt}
	if d.CalendarText == "" {
		var b strings.Builder
		cal.Format(&b)
		d.CalendarText, d.Default = b.String(), true
	}
	d.Year = s.today(ctx, a.CommitteeID).Year
	d.CoversYear, d.CoversNext = cal.Covers(d.Year), cal.Covers(d.Year+1)
	return d, nil
}

// SaveDeadlineSettings stores the rules and the calendar text. Deadlines
// already given keep their date; new assignments, reminders and
// escalations follow the new settings.
func (s *Service) SaveDeadlineSettings(ctx context.Context, a zhengxie.Actor, rules zhengxie.DeadlineRules, calendarText string) error {
	if err := requireRole(a, "设置办理期限和节假日", zhengxie.RoleAdmin); err != nil {
		return err
	}
	if err := rules.Validate(); err != nil {
		return err
	}
	slices.Sort(rules.RemindDaysBefore)
	rules.RemindDaysBefore = slices.Compact(rules.RemindDaysBefore)
	calendarText = strings.ReplaceAll(calendarText, "\r\n", "\n")
	if _, err := zhengxie.ParseCalendar(strings.NewReader(calendarText)); err != nil {
		return err
	}
	rj, _ := json.Marshal(rules)
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSetting(a.CommitteeID, store.SettingRules, string(rj), a.UserID); err != nil {
			return err
		}
		if err := tx.SaveSetting(a.CommitteeID, store.SettingCalendar, calendarText, a.UserID); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "save_deadline_settings", "", "", "", rules)
	})
}

// ---------- the scan ----------

// ScanReport says what one scan did.
type ScanReport struct {
	At          time.Time
	Committees  int
	Tasks       int
	Reminders   int
	Overdues    int
	Escalations int
	Err         string
}

// plannedAlert is an alert the rules call for on a day.
type plannedAlert struct {
	kind string
	on   zhengxie.Date
}

// planAlerts decides which alerts a task due on due, assigned on assigned,
// calls for on today. It is pure, so that the rules can be read and tested
// apart from the storage:
//
//   - before the deadline, the latest reminder day (RemindDaysBefore) that
//     has come; a reminder day missed while the server was down is sent
//     late, unless a later one has come, which says more;
//   - from the day after the deadline, one overdue notice a day (a missed
//     day is not made up: yesterday's notice has nothing to add);
//   - from EscalationDate on, the escalation, once per deadline, keyed by
//     the deadline itself so that an extension followed by a new delay
//     escalates again.
func planAlerts(r zhengxie.DeadlineRules, cal *zhengxie.Calendar, assigned, due, today zhengxie.Date) []plannedAlert {
	if !zhengxie.OverdueOn(due, today) {
		var last zhengxie.Date
		for _, d := range zhengxie.ReminderDates(r, cal, due) {
			if d.After(assigned) && !d.After(today) {
				last = d
			}
		}
		if last.IsZero() {
			return nil
		}
		return []plannedAlert{{store.AlertRemind, last}}
	}
	out := []plannedAlert{{store.AlertOverdue, today}}
	if !today.Before(zhengxie.EscalationDate(r, due)) {
		out = append(out, plannedAlert{store.AlertEscalate, due})
	}
	return out
}

// ScanDeadlines runs the scan over every committee.
func (s *Service) ScanDeadlines(ctx context.Context) (ScanReport, error) {
	rep := ScanReport{At: s.now()}
	cs, err := s.Store.Committees(ctx)
	if err != nil {
		return rep, err
	}
	var errs []string
	for _, c := range cs {
		if err := s.scanCommittee(ctx, &c, &rep); err != nil {
			errs = append(errs, c.Code+": "+err.Error())
		}
		rep.Committees++
	}
	if len(errs) > 0 {
		rep.Err = strings.Join(errs, "; ")
		err = fmt.Errorf("deadline scan: %s", rep.Err)
	}
	// Finished jobs are kept a month for the admin page, then removed.
	if _, perr := s.Store.PurgeJobs(ctx, s.now().AddDate(0, 0, -30)); perr != nil && err == nil {
		err = perr
	}
	s.Jobs().setLastScan(rep)
	if n := rep.Reminders + rep.Overdues + rep.Escalations; n > 0 {
		s.Log.Info("deadline scan", "reminders", rep.Reminders, "overdue", rep.Overdues, "escalations", rep.Escalations)
	}
	return rep, err
}

func (s *Service) scanCommittee(ctx context.Context, c *zhengxie.Committee, rep *ScanReport) error {
	loc := c.Location()
	today := zhengxie.DateOf(s.now(), loc)
	rules, cal := s.Deadlines(ctx, c.ID)
	tasks, err := s.Store.OpenTasks(ctx, c.ID, 0)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		rep.Tasks++
		due, err := zhengxie.ParseDate(t.Due)
		if err != nil {
			continue
		}
		for _, pa := range planAlerts(rules, cal, zhengxie.DateOf(t.AssignedAt, loc), due, today) {
			sent, err := s.sendAlert(ctx, c, &t, pa, due, today)
			if err != nil {
				return fmt.Errorf("task %d: %w", t.ID, err)
			}
			if !sent {
				continue
			}
			switch pa.kind {
			case store.AlertRemind:
				rep.Reminders++
			case store.AlertOverdue:
				rep.Overdues++
			case store.AlertEscalate:
				rep.Escalations++
			}
		}
	}
	return nil
}

// taskEvent is the data of task.* webhook events.
type taskEvent struct {
	TaskID      int64  `json:"task_id"`
	ProposalID  int64  `json:"proposal_id"`
	Number      string `json:"number"`
	Title       string `json:"title"`
	Unit        string `json:"unit"`
	Kind        string `json:"kind"`
	State       string `json:"state"`
	Due         string `json:"due"`
	DaysOverdue int    `json:"days_overdue,omitempty"`
	Leader      string `json:"leader,omitempty"`
	PreviousDue string `json:"previous_due,omitempty"`
	ResultClass string `json:"result_class,omitempty"`
}

func taskEventOf(p *zhengxie.Proposal, t *zhengxie.Task) taskEvent {
	return taskEvent{TaskID: t.ID, ProposalID: p.ID, Number: p.NumberText(), Title: p.Title, Unit: t.UnitName, Kind: t.Kind, State: string(t.State), Due: t.Due}
}

// sendAlert records one alert and, if it is new, sends its messages, all
// in one transaction.
func (s *Service) sendAlert(ctx context.Context, c *zhengxie.Committee, t *store.OpenTask, pa plannedAlert, due, today zhengxie.Date) (bool, error) {
	var sent bool
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		al := &store.TaskAlert{CommitteeID: c.ID, TaskID: t.ID, Kind: pa.kind, OnDate: pa.on.String(), Due: t.Due}
		added, err := tx.AddAlert(al)
		if err != nil || !added {
			return err
		}
		sent = true
		p := &zhengxie.Proposal{ID: t.ProposalID, CommitteeID: c.ID, Number: t.Number, Title: t.Title, ProposerName: t.Proposer}
		ev := taskEventOf(p, &t.Task)
		m := s.taskNotice(tx, p, &t.Task, "", ntf.Data{Due: due})
		m.Link, m.Dedupe = proposalLink(t.ProposalID)+fmt.Sprintf("#task-%d", t.ID), fmt.Sprintf("alert:%d", al.ID)
		n := 0
		switch pa.kind {
		case store.AlertRemind:
			m.Template, m.Data.DaysLeft = ntf.DeadlineReminder, due.Sub(today)
		case store.AlertOverdue:
			m.Template, m.Data.DaysOverdue = ntf.TaskOverdue, today.Sub(due)
			// Integrations hear of the delay once, not every day.
			var first int
			if first, err = tx.AlertCount(t.ID, store.AlertOverdue, t.Due); err != nil {
				return err
			}
			if first == 1 {
				ev.DaysOverdue = today.Sub(due)
				m.Event, m.Payload = "task.overdue", ev
			}
		case store.AlertEscalate:
			m.Template, m.Data.DaysOverdue = ntf.Escalation, today.Sub(due)
			m.Link = "/supervision/overdue"
			// No supervising leader set for the unit: the office supervises it.
			m.To = []Recipient{toRole(zhengxie.RoleOffice)}
			if t.LeaderID != 0 {
				if u, err := tx.User(t.LeaderID); err == nil && u.CommitteeID == c.ID && !u.Disabled {
					m.To, m.Data.Leader, ev.Leader = toUsers(u.ID), u.Name, u.Name
				}
			}
			ev.DaysOverdue = today.Sub(due)
			m.Event, m.Payload = "task.escalated", ev
		}
		if n, err = s.notice(tx, m); err != nil {
			return err
		}
		return tx.SetAlertRecipients(al.ID, n)
	})
	return sent, err
}

// ---------- hooks of the lifecycle (called inside its transactions) ----------

func (s *Service) committeeName(tx *store.Tx, id int64) string {
	if c, err := tx.CommitteeTx(id); err == nil {
		return c.Name
	}
	return ""
}

// proposalEvent is the data of proposal.* webhook events.
type proposalEvent struct {
	ProposalID int64  `json:"proposal_id"`
	Number     string `json:"number"`
	Title      string `json:"title"`
	Category   string `json:"category"`
	Proposer   string `json:"proposer"`
	State      string `json:"state"`
	Published  bool   `json:"published"`
	Key        bool   `json:"key"`
}

// afterProposal tells integrations about a proposal's step (event is
// proposal.accepted, proposal.published, proposal.concluded …).
func (s *Service) afterProposal(tx *store.Tx, p *zhengxie.Proposal, event string) error {
	return s.emit(tx, p.CommitteeID, event, proposalEventOf(p))
}

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
		if !isOpen(t.State) {
			return zhengxie.Errorf(zhengxie.EIllegal, "任务当前状态为“%s”，不需要申请延期。", t.State.Name())
		}
		p, err := tx.LockProposal(a.CommitteeID, t.ProposalID)
		if err != nil {
			return err
		}
		cur, _ := zhengxie.ParseDate(t.Due)
		if !d.After(cur) {
			return zhengxie.FieldError("due", "延期后的期限应晚于当前期限（%s）", cur)
		}
		if err := zhengxie.ExtensionAllowed(rules, zhengxie.DateOf(t.AssignedAt, loc), d); err != nil {
			return err
		}
		e = &store.Extension{CommitteeID: a.CommitteeID, TaskID: t.ID, ProposalID: p.ID, UnitID: t.UnitID, UnitName: t.UnitName,
			Title: p.Title, Number: p.Number, RequestedBy: a.UserID, RequestedByName: a.Name, Reason: reason, OldDue: t.Due, NewDue: d.String()}
		if err := tx.CreateExtension(e); err != nil {
			if zhengxie.ErrorCode(err) == zhengxie.EConflict {
				return zhengxie.Errorf(zhengxie.EConflict, "该任务已有一份待审批的延期申请，请等待提案委员会审批。")
			}
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, t.ID, "request_extension", string(t.State), string(t.State), reason,
			map[string]string{"from": t.Due, "to": e.NewDue}); err != nil {
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
		if e.State != store.ExtPending {
			return zhengxie.Errorf(zhengxie.EIllegal, "该延期申请已%s，不能重复审批。", e.StateName())
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
		action := "refuse_extension"
		e.State = store.ExtRefused
		if approve {
			if !isOpen(t.State) {
				return zhengxie.Errorf(zhengxie.EIllegal, "任务当前状态为“%s”，不需要延期。", t.State.Name())
			}
			d, _ := zhengxie.ParseDate(e.NewDue)
			if err := zhengxie.ExtensionAllowed(rules, zhengxie.DateOf(t.AssignedAt, loc), d); err != nil {
				return err
			}
			previous := t.Due
			t.Due = e.NewDue
			if err := tx.UpdateTask(t); err != nil {
				return err
			}
			e.State, action = store.ExtApproved, "approve_extension"
			ev := taskEventOf(p, t)
			ev.PreviousDue = previous
			n.Template, n.Event, n.Payload = ntf.ExtensionApproved, "task.extended", ev
		}
		if err := tx.DecideExtension(e); err != nil {
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, t.ID, action, string(t.State), string(t.State), note,
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
	v.Due, _ = zhengxie.ParseDate(t.Due)
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
		if v.Extensions[i].State == store.ExtPending {
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

// ---------- the dashboard and the boards ----------

// Deadline buckets of open tasks.
const (
	BucketOverdue = "overdue" // 已超期
	BucketDays3   = "d3"      // 3日内到期
	BucketDays15  = "d15"     // 15日内到期
	BucketLater   = "later"   // 15日以后
)

// Buckets lists the buckets in display order.
var Buckets = []struct{ Code, Name string }{
	{BucketOverdue, "已超期"}, {BucketDays3, "3日内到期"}, {BucketDays15, "15日内到期"}, {BucketLater, "15日以后到期"},
}

// BucketName is the Chinese name of a bucket.
func BucketName(code string) string {
	for _, b := range Buckets {
		if b.Code == code {
			return b.Name
		}
	}
	return code
}

// BucketOf puts a deadline in its bucket as seen on today.
func BucketOf(due, today zhengxie.Date) string {
	switch left := due.Sub(today); {
	case left < 0:
		return BucketOverdue
	case left <= 3:
		return BucketDays3
	case left <= 15:
		return BucketDays15
	}
	return BucketLater
}

// SupervisedTask is an open task as the boards show it.
type SupervisedTask struct {
	store.OpenTask
	DueDate    zhengxie.Date
	DaysLeft   int // negative: days overdue
	Bucket     string
	EscalateOn zhengxie.Date
	Alerts     store.AlertSummary
	Leader     string
}

// DaysOverdue is -DaysLeft for overdue tasks.
func (t SupervisedTask) DaysOverdue() int { return -t.DaysLeft }

// TaskQuery selects open tasks for the boards.
type TaskQuery struct {
	UnitID  int64
	Bucket  string
	State   zhengxie.TaskState
	Kind    string
	KeyOnly bool
}

// SupervisedTasks lists open tasks with their deadline situation. The
// office, leaders and admins see every unit; a unit sees its own.
func (s *Service) SupervisedTasks(ctx context.Context, a zhengxie.Actor, q TaskQuery) ([]SupervisedTask, zhengxie.Date, error) {
	switch {
	case zhengxie.SeesAll(a.Role) && a.Role != zhengxie.RoleSystem:
	case a.Role == zhengxie.RoleUnit:
		q.UnitID = a.UnitID
	default:
		return nil, zhengxie.Date{}, requireRole(a, "查看督办情况", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin, zhengxie.RoleUnit)
	}
	loc := s.location(ctx, a.CommitteeID)
	today := zhengxie.DateOf(s.now(), loc)
	rules, _ := s.Deadlines(ctx, a.CommitteeID)
	open, err := s.Store.OpenTasks(ctx, a.CommitteeID, q.UnitID)
	if err != nil {
		return nil, today, err
	}
	sums, err := s.Store.AlertSummaries(ctx, a.CommitteeID)
	if err != nil {
		return nil, today, err
	}
	leaders := map[int64]string{}
	var out []SupervisedTask
	for _, t := range open {
		due, err := zhengxie.ParseDate(t.Due)
		if err != nil {
			continue
		}
		st := SupervisedTask{OpenTask: t, DueDate: due, DaysLeft: due.Sub(today), Bucket: BucketOf(due, today),
			EscalateOn: zhengxie.EscalationDate(rules, due), Alerts: sums[t.ID]}
		if (q.Bucket != "" && st.Bucket != q.Bucket) || (q.State != "" && t.State != q.State) || (q.Kind != "" && t.Kind != q.Kind) || (q.KeyOnly && !t.IsKey) {
			continue
		}
		if t.LeaderID != 0 {
			name, ok := leaders[t.LeaderID]
			if !ok {
				if u, err := s.Store.User(ctx, t.LeaderID); err == nil {
					name = u.Name
				}
				leaders[t.LeaderID] = name
			}
			st.Leader = name
		}
		out = append(out, st)
	}
	if q.Bucket == BucketOverdue {
		slices.SortStableFunc(out, func(x, y SupervisedTask) int { return x.DaysLeft - y.DaysLeft })
	}
	return out, today, nil
}

// Count is one number of the dashboard with the list behind it.
type Count struct {
	Code, Name string
	N          int
	Link       string
}

// UnitLoad is one unit's open tasks by bucket.
type UnitLoad struct {
	UnitID  int64
	Name    string
	Open    int
	Buckets []Count // in the order of Buckets
}

// Dashboard is the supervision dashboard.
type Dashboard struct {
	Today      zhengxie.Date
	States     []Count // proposals by state
	TaskStates []Count // open tasks by state
	Buckets    []Count
	Units      []UnitLoad
	Open       int
	Key        int
	KeyLate    int
	Pending    int // extension requests waiting
	Proposed   int // key proposals waiting for the chairs' council
	Chart      string
}

// Dashboard counts proposals by state, open tasks by deadline bucket and by
// unit, each with the link to the list it counts.
func (s *Service) Dashboard(ctx context.Context, a zhengxie.Actor) (*Dashboard, error) {
	if err := requireRole(a, "查看督办情况", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin); err != nil {
		return nil, err
	}
	counts, err := s.Store.StateCounts(ctx, store.ProposalFilter{Viewer: a})
	if err != nil {
		return nil, err
	}
	d := &Dashboard{}
	for _, st := range zhengxie.States {
		if counts[st] > 0 {
			d.States = append(d.States, Count{Code: string(st), Name: st.Name(), N: counts[st], Link: "/proposals?state=" + string(st)})
		}
	}
	tasks, today, err := s.SupervisedTasks(ctx, a, TaskQuery{})
	if err != nil {
		return nil, err
	}
	d.Today, d.Open = today, len(tasks)
	byBucket := map[string]int{}
	byState := map[zhengxie.TaskState]int{}
	byUnit := map[int64]map[string]int{}
	for _, t := range tasks {
		byBucket[t.Bucket]++
		byState[t.State]++
		if byUnit[t.UnitID] == nil {
			byUnit[t.UnitID] = map[string]int{}
		}
		byUnit[t.UnitID][t.Bucket]++
	}
	for _, b := range Buckets {
		d.Buckets = append(d.Buckets, Count{Code: b.Code, Name: b.Name, N: byBucket[b.Code], Link: "/supervision/tasks?bucket=" + b.Code})
	}
	for _, st := range store.OpenTaskStates {
		d.TaskStates = append(d.TaskStates, Count{Code: string(st), Name: st.Name(), N: byState[st], Link: "/supervision/tasks?state=" + string(st)})
	}
	units, err := s.Store.Units(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		m := byUnit[u.ID]
		if len(m) == 0 {
			continue
		}
		l := UnitLoad{UnitID: u.ID, Name: u.Name}
		for _, b := range Buckets {
			l.Open += m[b.Code]
			l.Buckets = append(l.Buckets, Count{Code: b.Code, Name: b.Name, N: m[b.Code], Link: fmt.Sprintf("/supervision/tasks?unit=%d&bucket=%s", u.ID, b.Code)})
		}
		d.Units = append(d.Units, l)
	}
	slices.SortStableFunc(d.Units, func(x, y UnitLoad) int {
		if c := y.Buckets[0].N - x.Buckets[0].N; c != 0 {
			return c
		}
		return y.Open - x.Open
	})
	board, err := s.KeyBoard(ctx, a)
	if err != nil {
		return nil, err
	}
	for _, k := range board {
		switch {
		case k.State == store.KeyProposed:
			d.Proposed++
		case k.State == store.KeyApproved:
			d.Key++
			if k.Late {
				d.KeyLate++
			}
		}
	}
	pend, err := s.Store.Extensions(ctx, store.ExtensionFilter{CommitteeID: a.CommitteeID, State: store.ExtPending})
	if err != nil {
		return nil, err
	}
	d.Pending = len(pend)
	d.Chart = unitChart(d.Units)
	return d, nil
}

// unitChart is the ECharts option of the open tasks per unit, stacked by
// bucket (the page script renders it; see app.js).
func unitChart(units []UnitLoad) string {
	names := []string{}
	series := []map[string]any{}
	colors := map[string]string{BucketOverdue: "#a4161a", BucketDays3: "#c98500", BucketDays15: "#1d4f91", BucketLater: "#7cae7a"}
	for _, b := range Buckets {
		data := []int{}
		for _, u := range units {
			for _, c := range u.Buckets {
				if c.Code == b.Code {
					data = append(data, c.N)
				}
			}
		}
		series = append(series, map[string]any{"name": b.Name, "type": "bar", "stack": "open", "data": data,
			"itemStyle": map[string]string{"color": colors[b.Code]}, "emphasis": map[string]string{"focus": "series"}})
	}
	for _, u := range units {
		names = append(names, u.Name)
	}
	opt := map[string]any{
		"tooltip": map[string]any{"trigger": "axis", "axisPointer": map[string]string{"type": "shadow"}},
		"legend":  map[string]any{"top": 0},
		"grid":    map[string]any{"left": 8, "right": 16, "bottom": 8, "top": 40, "containLabel": true},
		"xAxis":   map[string]any{"type": "value", "minInterval": 1},
		"yAxis":   map[string]any{"type": "category", "data": names, "inverse": true},
		"series":  series,
	}
	b, _ := json.Marshal(opt)
	return string(b)
}

// ---------- key proposals (重点提案) ----------

// KeyStepKinds are the kinds of supervision activities.
var KeyStepKinds = []string{"座谈", "视察", "调研", "面商"}

// ProposeKey is the office proposing a proposal for the key list, with the
// leader it suggests to supervise it.
func (s *Service) ProposeKey(ctx context.Context, a zhengxie.Actor, proposalID, leaderID int64, reason string) (*store.KeyProposal, error) {
	if err := requireRole(a, "提出重点提案建议", zhengxie.RoleOffice); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := zhengxie.CheckText("reason", "推荐理由", reason, 1000); err != nil {
		return nil, err
	}
	var k *store.KeyProposal
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.LockProposal(a.CommitteeID, proposalID)
		if err != nil {
			return zhengxie.FieldError("proposal", "提案不存在")
		}
		switch p.State {
		case zhengxie.StateAccepted, zhengxie.StateHandling, zhengxie.StateReplied:
		default:
			return zhengxie.Errorf(zhengxie.EIllegal, "提案当前状态为“%s”，只有已立案、尚未办结的提案可以列为重点提案。", p.State.Name())
		}
		if err := s.checkLeader(tx, a.CommitteeID, leaderID); err != nil {
			return err
		}
		k = &store.KeyProposal{CommitteeID: a.CommitteeID, ProposalID: p.ID, Reason: reason, LeaderID: leaderID, ProposedBy: a.UserID,
			Title: p.Title, Number: p.Number, ProposalState: p.State}
		if err := tx.CreateKeyProposal(k); err != nil {
			if zhengxie.ErrorCode(err) == zhengxie.EConflict {
				return zhengxie.Errorf(zhengxie.EConflict, "该提案已在重点提案名单或建议名单中。")
			}
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, 0, "propose_key", string(p.State), string(p.State), reason, map[string]int64{"leader": leaderID}); err != nil {
			return err
		}
		n := s.proposalNotice(tx, p, ntf.KeyProposalProposed, ntf.Data{Reason: reason}, "/key-proposals")
		n.To = []Recipient{toRole(zhengxie.RoleLeader)}
		return s.send(tx, n)
	})
	return k, err
}

func (s *Service) checkLeader(tx *store.Tx, committeeID, leaderID int64) error {
	if leaderID == 0 {
		return nil
	}
	u, err := tx.User(leaderID)
	if err != nil || u.CommitteeID != committeeID || u.Role != zhengxie.RoleLeader {
		return zhengxie.FieldError("leader", "督办领导应为本会的领导用户")
	}
	return nil
}

// DecideKeys is the chairs' council (a leader) approving or refusing
// proposed key proposals. Approved ones become key proposals: the lead
// units, the proposer and the supervising leader are told.
func (s *Service) DecideKeys(ctx context.Context, a zhengxie.Actor, ids []int64, approve bool, note string) (int, error) {
	if err := requireRole(a, "审定重点提案", zhengxie.RoleLeader); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, zhengxie.FieldError("ids", "请勾选要审定的提案")
	}
	note = strings.TrimSpace(note)
	if err := zhengxie.CheckText("note", "审定意见", note, 1000); err != nil {
		return 0, err
	}
	n := 0
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		cname := s.committeeName(tx, a.CommitteeID)
		for _, id := range ids {
			k, err := tx.LockKeyProposal(a.CommitteeID, id)
			if err != nil {
				return err
			}
			if k.State != store.KeyProposed {
				return zhengxie.Errorf(zhengxie.EIllegal, "《%s》已%s，不能重复审定。", k.Title, k.StateName())
			}
			p, err := tx.LockProposal(a.CommitteeID, k.ProposalID)
			if err != nil {
				return err
			}
			k.DecidedBy, k.DecidedAt, k.DecisionNote = a.UserID, s.now(), note
			k.State = store.KeyRefused
			if approve {
				k.State = store.KeyApproved
				if k.LeaderID == 0 {
					k.LeaderID = a.UserID // the approving leader supervises it unless the office named another
				}
				from := p.State
				p.Key = true
				if err := tx.UpdateProposal(p); err != nil {
					return err
				}
				if err := s.event(tx, a, p.CommitteeID, p.ID, 0, string(zhengxie.ActMarkKey), string(from), string(p.State), note, map[string]bool{"key": true}); err != nil {
					return err
				}
				if err := s.announceKey(tx, cname, p, k); err != nil {
					return err
				}
			} else if err := s.event(tx, a, p.CommitteeID, p.ID, 0, "refuse_key", string(p.State), string(p.State), note, nil); err != nil {
				return err
			}
			if err := tx.UpdateKeyProposal(k); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// announceKey tells the lead units, the proposer and the supervising
// leader that a proposal is now a key proposal, and integrations too.
func (s *Service) announceKey(tx *store.Tx, committee string, p *zhengxie.Proposal, k *store.KeyProposal) error {
	leader := ""
	var leaderUser *zhengxie.User
	if u, err := tx.User(k.LeaderID); err == nil {
		leader, leaderUser = u.Name, u
	}
	ts, err := tx.Tasks(p.ID)
	if err != nil {
		return err
	}
	var units []string
	for _, t := range ts {
		if t.Counts() {
			units = append(units, t.UnitName)
		}
	}
	data := ntf.Data{Committee: committee, Number: p.NumberText(), Title: p.Title, Leader: leader, Unit: strings.Join(units, "、")}
	n := Notice{CommitteeID: p.CommitteeID, Template: ntf.KeyProposalApproved, Data: data, Link: fmt.Sprintf("/key-proposals/%d", k.ID),
		Event: "key_proposal.approved", Payload: map[string]any{"proposal_id": p.ID, "number": p.NumberText(), "title": p.Title, "leader": leader, "units": units}}
	for _, t := range ts {
		if t.Counts() {
			n.To = append(n.To, toUnit(t.UnitID, t.UnitName))
		}
	}
	if leaderUser != nil {
		n.To = append(n.To, toUser(leaderUser.ID))
	}
	if err := s.send(tx, n); err != nil {
		return err
	}
	// The proposer is pointed at the proposal, not at the supervision page.
	return s.send(tx, Notice{CommitteeID: p.CommitteeID, Template: ntf.KeyProposalApproved, Data: data, Link: proposalLink(p.ID), To: toUsers(p.ProposerID)})
}

// canWorkOnKey: the office and leaders plan and record supervision.
func canWorkOnKey(a zhengxie.Actor) error {
	return requireRole(a, "填写督办计划和进展", zhengxie.RoleOffice, zhengxie.RoleLeader)
}

// SetKeyLeader changes the supervising leader of a key proposal.
func (s *Service) SetKeyLeader(ctx context.Context, a zhengxie.Actor, keyID, leaderID int64) error {
	if err := canWorkOnKey(a); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LockKeyProposal(a.CommitteeID, keyID)
		if err != nil {
			return err
		}
		if leaderID == 0 {
			return zhengxie.FieldError("leader", "请选择督办领导")
		}
		if err := s.checkLeader(tx, a.CommitteeID, leaderID); err != nil {
			return err
		}
		k.LeaderID = leaderID
		if err := tx.UpdateKeyProposal(k); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, k.ProposalID, 0, "key_leader", "", "", "", map[string]int64{"leader": leaderID})
	})
}

// AddKeyStep adds a step with its date to a key proposal's plan.
func (s *Service) AddKeyStep(ctx context.Context, a zhengxie.Actor, keyID int64, kind, title, plannedOn string) (*store.KeyStep, error) {
	if err := canWorkOnKey(a); err != nil {
		return nil, err
	}
	title = strings.TrimSpace(title)
	if !slices.Contains(KeyStepKinds, kind) {
		return nil, zhengxie.FieldError("kind", "请选择督办方式（座谈、视察、调研或面商）")
	}
	if title == "" || !zhengxie.ValidText(title) || utf8.RuneCountInString(title) > 100 {
		return nil, zhengxie.FieldError("title", "请填写事项内容（不超过100个字），如“赴现场视察老旧小区加装电梯进展”")
	}
	d, err := zhengxie.ParseDate(plannedOn)
	if err != nil {
		return nil, zhengxie.FieldError("planned_on", "计划日期格式应为2026-03-31")
	}
	st := &store.KeyStep{CommitteeID: a.CommitteeID, KeyID: keyID, Kind: kind, Title: title, PlannedOn: d.String(), CreatedBy: a.UserID}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LockKeyProposal(a.CommitteeID, keyID)
		if err != nil {
			return err
		}
		if k.State == store.KeyRefused {
			return zhengxie.Errorf(zhengxie.EIllegal, "该提案未列入重点提案，不需要督办计划。")
		}
		if err := tx.AddKeyStep(st); err != nil {
			return err
		}
		if err := s.event(tx, a, a.CommitteeID, k.ProposalID, 0, "key_step", "", "", kind+" "+st.PlannedOn+" "+title, nil); err != nil {
			return err
		}
		ts, err := tx.Tasks(k.ProposalID)
		if err != nil {
			return err
		}
		n := Notice{CommitteeID: a.CommitteeID, Template: ntf.KeyStepPlanned, Link: fmt.Sprintf("/key-proposals/%d", k.ID),
			Data: ntf.Data{Committee: s.committeeName(tx, a.CommitteeID), Number: zhengxie.FormatNumber(k.Number), Title: k.Title, Leader: k.LeaderName, Due: d, Activity: kind + "：" + title}}
		for _, t := range ts {
			if t.Counts() {
				n.To = append(n.To, toUnit(t.UnitID, t.UnitName))
			}
		}
		return s.send(tx, n)
	})
	return st, err
}

// CompleteKeyStep records that a planned step took place.
func (s *Service) CompleteKeyStep(ctx context.Context, a zhengxie.Actor, keyID, stepID int64, doneOn, note string) error {
	if err := canWorkOnKey(a); err != nil {
		return err
	}
	d, err := zhengxie.ParseDate(doneOn)
	if err != nil {
		return zhengxie.FieldError("done_on", "完成日期格式应为2026-03-31")
	}
	if d.After(s.today(ctx, a.CommitteeID)) {
		return zhengxie.FieldError("done_on", "完成日期不能晚于今天")
	}
	note = strings.TrimSpace(note)
	if err := zhengxie.CheckText("note", "情况说明", note, 2000); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LockKeyProposal(a.CommitteeID, keyID)
		if err != nil {
			return err
		}
		if err := tx.CompleteKeyStep(a.CommitteeID, keyID, stepID, d.String(), note); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, k.ProposalID, 0, "key_step_done", "", "", d.String()+" "+note, map[string]int64{"step": stepID})
	})
}

// AddKeyNote adds a progress note. The office, leaders and the units
// handling the proposal may write.
func (s *Service) AddKeyNote(ctx context.Context, a zhengxie.Actor, keyID int64, text string) error {
	if err := requireRole(a, "填写督办进展", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleUnit); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || !zhengxie.ValidText(text) || utf8.RuneCountInString(text) > 2000 {
		return zhengxie.FieldError("text", "请填写进展情况（不超过2000个字）")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LockKeyProposal(a.CommitteeID, keyID)
		if err != nil {
			return err
		}
		if a.Role == zhengxie.RoleUnit {
			p, err := tx.LockProposal(a.CommitteeID, k.ProposalID)
			if err != nil {
				return err
			}
			rel, err := tx.Relation(a, p)
			if err != nil {
				return err
			}
			if !rel.UnitHasTask {
				return zhengxie.NotFound("重点提案")
			}
		}
		if err := tx.AddKeyNote(a.CommitteeID, &store.KeyNote{KeyID: k.ID, AuthorID: a.UserID, AuthorName: a.Name, Text: text}); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, k.ProposalID, 0, "key_note", "", "", text, nil)
	})
}

// KeyRow is one line of the key-proposal board.
type KeyRow struct {
	store.KeyProposal
	Units      []string // lead and separate units
	Replied    int
	Counting   int
	Stage      string
	Next       *store.KeyStep
	StepsDone  int
	StepsTotal int
	Late       bool
	LateWhy    []string
	Legacy     bool // marked key on the proposal page, without a supervision file
}

// KeyBoard lists key proposals with their stage, next step and whether
// they are late: a planned step whose date passed without being done, or a
// unit past its deadline.
func (s *Service) KeyBoard(ctx context.Context, a zhengxie.Actor) ([]KeyRow, error) {
	if err := requireRole(a, "查看重点提案", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin); err != nil {
		return nil, err
	}
	today := s.today(ctx, a.CommitteeID)
	keys, err := s.Store.KeyProposals(ctx, a.CommitteeID, "")
	if err != nil {
		return nil, err
	}
	steps, err := s.Store.KeySteps(ctx, a.CommitteeID, 0)
	if err != nil {
		return nil, err
	}
	byKey := map[int64][]store.KeyStep{}
	for _, st := range steps {
		byKey[st.KeyID] = append(byKey[st.KeyID], st)
	}
	seen := map[int64]bool{}
	var out []KeyRow
	for _, k := range keys {
		seen[k.ProposalID] = true
		row, err := s.keyRow(ctx, k, byKey[k.ID], today)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	marked, _, err := s.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, Key: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, p := range marked {
		if seen[p.ID] {
			continue
		}
		k := store.KeyProposal{CommitteeID: p.CommitteeID, ProposalID: p.ID, State: store.KeyApproved, Title: p.Title, Number: p.Number,
			ProposalState: p.State, Proposer: p.ProposerName}
		row, err := s.keyRow(ctx, k, nil, today)
		if err != nil {
			return nil, err
		}
		row.Legacy = true
		out = append(out, row)
	}
	return out, nil
}

func (s *Service) keyRow(ctx context.Context, k store.KeyProposal, steps []store.KeyStep, today zhengxie.Date) (KeyRow, error) {
	row := KeyRow{KeyProposal: k, StepsTotal: len(steps)}
	ts, err := s.Store.Tasks(ctx, k.ProposalID)
	if err != nil {
		return row, err
	}
	for _, t := range ts {
		if !t.Counts() {
			continue
		}
		row.Units = append(row.Units, t.UnitName)
		row.Counting++
		if t.State == zhengxie.TaskReplied {
			row.Replied++
		}
		if due, err := zhengxie.ParseDate(t.Due); err == nil && isOpen(t.State) && zhengxie.OverdueOn(due, today) {
			row.Late = true
			row.LateWhy = append(row.LateWhy, fmt.Sprintf("%s已超期%d天", t.UnitName, today.Sub(due)))
		}
	}
	for i := range steps {
		st := &steps[i]
		if st.DoneOn != "" {
			row.StepsDone++
			continue
		}
		if row.Next == nil {
			row.Next = st
		}
		if planned, err := zhengxie.ParseDate(st.PlannedOn); err == nil && planned.Before(today) {
			row.Late = true
			row.LateWhy = append(row.LateWhy, fmt.Sprintf("%s“%s”计划于%s，尚未完成", st.Kind, st.Title, st.PlannedOn))
		}
	}
	switch {
	case k.State == store.KeyProposed:
		row.Stage = "待主席会议审定"
	case k.State == store.KeyRefused:
		row.Stage = "未列入重点提案"
	case k.ProposalState == zhengxie.StateHandling && row.Counting > 0:
		row.Stage = fmt.Sprintf("办理中（%d/%d个单位已答复）", row.Replied, row.Counting)
	default:
		row.Stage = k.ProposalState.Name()
	}
	if k.State == store.KeyApproved && row.StepsTotal == 0 && k.ProposalState != zhengxie.StateConcluded && k.ProposalState != zhengxie.StateArchived {
		row.LateWhy = append(row.LateWhy, "尚未制定督办计划")
	}
	if k.State == store.KeyRefused {
		row.Late, row.LateWhy = false, nil
	}
	return row, nil
}

// KeyDetail is one key proposal's supervision file.
type KeyDetail struct {
	Row       KeyRow
	Proposal  *zhengxie.Proposal
	Tasks     []zhengxie.Task
	Steps     []store.KeyStep
	Notes     []store.KeyNote
	Leaders   []zhengxie.User
	Today     zhengxie.Date
	CanPlan   bool
	CanNote   bool
	CanDecide bool
}

// KeyDetail returns a key proposal's file: its plan, notes and tasks.
func (s *Service) KeyDetail(ctx context.Context, a zhengxie.Actor, keyID int64) (*KeyDetail, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	k, err := s.Store.KeyProposal(ctx, a.CommitteeID, keyID)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.Proposal(ctx, a.CommitteeID, k.ProposalID)
	if err != nil {
		return nil, err
	}
	rel, err := s.Store.Relation(ctx, a, p)
	if err != nil {
		return nil, err
	}
	if !zhengxie.SeesAll(a.Role) && !(a.Role == zhengxie.RoleUnit && rel.UnitHasTask) {
		return nil, zhengxie.NotFound("重点提案")
	}
	d := &KeyDetail{Proposal: p, Today: s.today(ctx, a.CommitteeID)}
	if d.Steps, err = s.Store.KeySteps(ctx, a.CommitteeID, keyID); err != nil {
		return nil, err
	}
	if d.Row, err = s.keyRow(ctx, *k, d.Steps, d.Today); err != nil {
		return nil, err
	}
	if d.Tasks, err = s.Store.Tasks(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.Notes, err = s.Store.KeyNotes(ctx, a.CommitteeID, keyID); err != nil {
		return nil, err
	}
	if d.Leaders, err = s.Store.Users(ctx, store.UserFilter{CommitteeID: a.CommitteeID, Role: zhengxie.RoleLeader}); err != nil {
		return nil, err
	}
	d.CanPlan = canWorkOnKey(a) == nil && k.State != store.KeyRefused
	d.CanNote = d.CanPlan || (a.Role == zhengxie.RoleUnit && rel.UnitHasTask)
	d.CanDecide = a.Role == zhengxie.RoleLeader && k.State == store.KeyProposed
	return d, nil
}

// KeyCandidates lists the proposals the office may propose for the key
// list: accepted and not concluded, not yet proposed.
func (s *Service) KeyCandidates(ctx context.Context, a zhengxie.Actor) ([]zhengxie.Proposal, error) {
	if err := requireRole(a, "提出重点提案建议", zhengxie.RoleOffice); err != nil {
		return nil, err
	}
	ps, _, err := s.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, Limit: 200,
		States: []zhengxie.State{zhengxie.StateAccepted, zhengxie.StateHandling, zhengxie.StateReplied}})
	if err != nil {
		return nil, err
	}
	keys, err := s.Store.KeyProposals(ctx, a.CommitteeID, "")
	if err != nil {
		return nil, err
	}
	taken := map[int64]bool{}
	for _, k := range keys {
		taken[k.ProposalID] = true
	}
	var out []zhengxie.Proposal
	for _, p := range ps {
		if !taken[p.ID] {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y zhengxie.Proposal) int { return x.Number - y.Number })
	return out, nil
}

// ---------- notification settings ----------

// NotifySettings is a user's settings page.
type NotifySettings struct {
	User    *zhengxie.User
	Prefs   store.NotifyPrefs
	MailOn  bool
	SMSOn   bool
	SMSName string
}

// NotifySettings returns the actor's channels.
func (s *Service) NotifySettings(ctx context.Context, a zhengxie.Actor) (*NotifySettings, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	u, err := s.Store.User(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.NotifyPrefs(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	ch := s.Jobs().Channels()
	return &NotifySettings{User: u, Prefs: p, MailOn: ch.MailOn(), SMSOn: ch.SMSOn(), SMSName: ch.SMSName}, nil
}

// SaveNotifySettings stores the actor's channels with the e-mail address
// and mobile number they go to.
func (s *Service) SaveNotifySettings(ctx context.Context, a zhengxie.Actor, email, phone string, wantEmail, wantSMS bool) error {
	if a.IsAnonymous() {
		return zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	email, phone = strings.TrimSpace(email), strings.TrimSpace(phone)
	if email != "" {
		addr, err := mail.ParseAddress(email)
		if err != nil || addr.Address != email || len(email) > 200 {
			return zhengxie.FieldError("email", "邮箱地址“%s”格式不正确，应类似 name@example.gov.cn", email)
		}
	}
	if phone != "" {
		digits := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimPrefix(phone, "+"))
		ok := len(digits) >= 5 && len(digits) <= 15
		for _, r := range digits {
			ok = ok && r >= '0' && r <= '9'
		}
		if !ok {
			return zhengxie.FieldError("phone", "手机号码“%s”格式不正确，应类似 13800138000", phone)
		}
	}
	if wantEmail && email == "" {
		return zhengxie.FieldError("email", "选择邮件通知时，请填写邮箱地址")
	}
	if wantSMS && phone == "" {
		return zhengxie.FieldError("phone", "选择短信通知时，请填写手机号码")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetContactDetails(a.UserID, email, phone); err != nil {
			return err
		}
		if err := tx.SaveNotifyPrefs(a.CommitteeID, store.NotifyPrefs{UserID: a.UserID, Email: wantEmail, SMS: wantSMS}); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "notify_settings", "", "", "", map[string]bool{"email": wantEmail, "sms": wantSMS})
	})
}

// SetUnitLeader names the leader who supervises a unit (escalations go to
// them).
func (s *Service) SetUnitLeader(ctx context.Context, a zhengxie.Actor, unitID, leaderID int64) error {
	if err := requireRole(a, "设置单位的督办领导", zhengxie.RoleAdmin, zhengxie.RoleOffice); err != nil {
		return err
	}
	if _, err := s.Store.Unit(ctx, a.CommitteeID, unitID); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := s.checkLeader(tx, a.CommitteeID, leaderID); err != nil {
			return err
		}
		if err := tx.SetUnitLeader(a.CommitteeID, unitID, leaderID); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, 0, 0, "unit_leader", "", "", "", map[string]int64{"unit": unitID, "leader": leaderID})
	})
}
