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

// Supervision (督办): deadlines that drive the work. A periodic scan
// (ScanDeadlines, run every minute by the background loop) looks at every
// task that still owes a reply and decides, from the committee's rules and
// calendar and the date today, which reminder, overdue notice or escalation
// is due. Each one is recorded in task_alerts under a unique (task, kind,
// day) key in the same transaction that writes its messages and queues its
// e-mails, so that running the scan twice, on two servers, or after a
// crash never sends anything twice, and a scan after downtime sends what
// is still due.
//
// Supervision is one file per concern, named as in store/: deadline.go
// (rules, calendar, the scan), extension.go, keyproposal.go,
// dashboard.go (the dashboard and the boards), notification.go (each
// user's channels), hooks.go (webhook events of the lifecycle) and
// evaluation.go. What may happen is the domain's: alert.go,
// extension.go, keyproposal.go and evaluation.go at the root.

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
		due := t.Due
		if due.IsZero() {
			continue
		}
		for _, g := range alertGroups(zhengxie.PlanAlerts(rules, cal, zhengxie.DateOf(t.AssignedAt, loc), due, today)) {
			sent, err := s.sendAlert(ctx, c, &t, g, due, today)
			if err != nil {
				return fmt.Errorf("task %d: %w", t.ID, err)
			}
			if !sent {
				continue
			}
			switch g.kind {
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

// alertGroup is one message of a scan and the alerts it stands for: the
// reminders and daily notices missed while the server was down are folded
// into the message sent now, so each is sent once and the unit gets one
// letter, not one per missed day.
type alertGroup struct {
	kind   string
	alerts []zhengxie.PlannedAlert
}

// alertGroups folds a task's planned alerts into the messages to send:
// the reminders (or, once overdue, the overdue notice with the reminders
// it supersedes) and the escalation.
func alertGroups(pas []zhengxie.PlannedAlert) []alertGroup {
	var main alertGroup
	var out []alertGroup
	for _, pa := range pas {
		switch pa.Kind {
		case zhengxie.AlertEscalate:
			out = append(out, alertGroup{kind: pa.Kind, alerts: []zhengxie.PlannedAlert{pa}})
		default:
			if pa.Kind == zhengxie.AlertOverdue || main.kind == "" {
				main.kind = pa.Kind
			}
			main.alerts = append(main.alerts, pa)
		}
	}
	if main.kind != "" {
		out = append([]alertGroup{main}, out...)
	}
	return out
}

// missedText lists, in Chinese, the alerts of a group sent late.
func missedText(late []zhengxie.PlannedAlert) string {
	if len(late) == 0 {
		return ""
	}
	var parts []string
	for _, pa := range late {
		what := "到期前提醒"
		if pa.Kind == zhengxie.AlertOverdue {
			what = "超期通知"
		}
		parts = append(parts, pa.On.Chinese()+what)
	}
	return "系统停机期间未能按时发送的" + strings.Join(parts, "、") + "已合并在本通知中。"
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
	return taskEvent{TaskID: t.ID, ProposalID: p.ID, Number: p.NumberText(), Title: p.Title, Unit: t.UnitName, Kind: t.Kind, State: string(t.State), Due: t.Due.String()}
}

// sendAlert records one alert and, if it is new, sends its messages, all
// in one transaction.
func (s *Service) sendAlert(ctx context.Context, c *zhengxie.Committee, t *store.OpenTask, g alertGroup, due, today zhengxie.Date) (bool, error) {
	var sent bool
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		var ids []int64
		var added []zhengxie.PlannedAlert
		for _, pa := range g.alerts {
			al := &store.TaskAlert{CommitteeID: c.ID, TaskID: t.ID, Kind: pa.Kind, OnDate: pa.On.String(), Due: t.Due.String()}
			ok, err := tx.AddAlert(al)
			if err != nil {
				return err
			}
			if ok {
				ids, added = append(ids, al.ID), append(added, pa)
			}
		}
		if len(added) == 0 {
			return nil
		}
		// The message is of the group's kind, dated now: when only older
		// alerts are new, it still goes out once, saying so.
		late := added
		if last := added[len(added)-1]; last.Kind == g.kind && last.On == today {
			late = added[:len(added)-1]
		}
		sent = true
		p := &zhengxie.Proposal{ID: t.ProposalID, CommitteeID: c.ID, Number: t.Number, Title: t.Title, ProposerName: t.Proposer}
		ev := taskEventOf(p, &t.Task)
		m := s.taskNotice(tx, p, &t.Task, "", ntf.Data{Due: due})
		m.Link, m.Dedupe = proposalLink(t.ProposalID)+fmt.Sprintf("#task-%d", t.ID), fmt.Sprintf("alert:%d", ids[len(ids)-1])
		if g.kind != zhengxie.AlertEscalate {
			m.Data.Missed = missedText(late)
		}
		switch g.kind {
		case store.AlertRemind:
			m.Template, m.Data.DaysLeft = ntf.DeadlineReminder, due.Sub(today)
		case store.AlertOverdue:
			m.Template, m.Data.DaysOverdue = ntf.TaskOverdue, today.Sub(due)
			// Integrations hear of the delay once, not every day.
			first, err := tx.AlertCount(t.ID, store.AlertOverdue, t.Due.String())
			if err != nil {
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
		n, err := s.notice(tx, m)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.SetAlertRecipients(id, n); err != nil {
				return err
			}
		}
		return nil
	})
	return sent, err
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
