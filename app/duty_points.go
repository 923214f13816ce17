package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// Duty points (履职积分) and the checklist are computed, never typed in:
// from attendance, proposals, the office's records and other modules'
// events (store.YearItems), by the domain's Score and Checklist under the
// year's rules. A change of one member's attendance or records rescores
// that member in its transaction; a rule change, and the periodic scan
// when the event log has moved, recompute the whole year as a job whose
// progress the rules page shows.

// Job kinds of the duty module.
const (
	JobDutyRecompute = "duty_recompute"
	JobDutyReminder  = "duty_reminder"
)

// scoreRow turns a member's items into the kept row.
func scoreRow(r *zhengxie.DutyRules, uid int64, items []zhengxie.DutyItem, invited int) store.DutyScoreRow {
	sc := zhengxie.Score(r, items)
	att := zhengxie.SummariseAttendance(items, invited)
	done := 0
	for _, p := range zhengxie.Checklist(r, items) {
		if p.Done {
			done++
		}
	}
	return store.DutyScoreRow{UserID: uid, Points: sc.Total, Invited: att.Invited, Attended: att.Attended, Leaves: att.Leaves, Absences: att.Absences,
		TasksDone: done, TasksTotal: len(r.Tasks)}
}

// rescoreMember recomputes one member's year inside the change's transaction.
func (s *Service) rescoreMember(tx *store.Tx, committeeID int64, year int, userID int64) error {
	c, err := tx.CommitteeTx(committeeID)
	if err != nil {
		return err
	}
	rules, _, err := tx.DutyRules(committeeID, year)
	if err != nil {
		return err
	}
	items, invited, err := tx.YearItems(committeeID, year, userID, c.Location())
	if err != nil {
		return err
	}
	return tx.UpsertDutyScore(committeeID, year, scoreRow(&rules, userID, items, invited[userID]))
}

// rescoreActivity recomputes every invitee of an activity.
func (s *Service) rescoreActivity(tx *store.Tx, act *zhengxie.Activity) error {
	ids, err := tx.AttendanceUsers(act.CommitteeID, act.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.rescoreMember(tx, act.CommitteeID, act.Year, id); err != nil {
			return err
		}
	}
	return nil
}

// RecomputeYear recomputes a committee's year for every member and keeps
// the result for the ranked table; progress, if not nil, hears how far it is.
func (s *Service) RecomputeYear(ctx context.Context, committeeID int64, year int, progress func(done, total int)) (int, error) {
	st := s.Store
	c, err := st.Committee(ctx, committeeID)
	if err != nil {
		return 0, err
	}
	seq, err := st.EventSeq(ctx, committeeID)
	if err != nil {
		return 0, err
	}
	rules, _, err := st.DutyRules(ctx, committeeID, year)
	if err != nil {
		return 0, err
	}
	members, err := st.Profiles(ctx, store.ProfileFilter{CommitteeID: committeeID})
	if err != nil {
		return 0, err
	}
	items, invited, err := st.YearItems(ctx, committeeID, year, 0, c.Location())
	if err != nil {
		return 0, err
	}
	byUser := map[int64][]zhengxie.DutyItem{}
	for _, it := range items {
		byUser[it.UserID] = append(byUser[it.UserID], it)
	}
	rows := make([]store.DutyScoreRow, 0, len(members))
	step := max(len(members)/10, 50)
	for i, m := range members {
		rows = append(rows, scoreRow(&rules, m.User.ID, byUser[m.User.ID], invited[m.User.ID]))
		if progress != nil && (i+1)%step == 0 {
			progress(i+1, len(members))
		}
	}
	err = st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.ReplaceDutyScores(committeeID, year, rows); err != nil {
			return err
		}
		return tx.SetDutyRun(committeeID, year, store.DutyRun{State: "done", Done: len(rows), Total: len(rows), EventSeq: seq, FinishedAt: s.now()})
	})
	if progress != nil {
		progress(len(rows), len(rows))
	}
	return len(rows), err
}

type recomputePayload struct {
	Year int `json:"year"`
}

// queueRecompute asks for a recomputation of a year, in tx.
func (s *Service) queueRecompute(tx *store.Tx, committeeID int64, year int, key string) error {
	body, _ := json.Marshal(recomputePayload{year})
	if err := tx.SetDutyRun(committeeID, year, store.DutyRun{State: "pending", StartedAt: s.now()}); err != nil {
		return err
	}
	return s.enqueue(tx, &store.Job{CommitteeID: committeeID, Kind: JobDutyRecompute, DedupeKey: key, Payload: string(body),
		Label: fmt.Sprintf("重新计算%d年度履职积分", year)})
}

func (s *Service) runRecompute(ctx context.Context, j *store.Job) error {
	var p recomputePayload
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
		return ntf.Permanent(fmt.Errorf("任务内容无法解析：%w", err))
	}
	started := s.now()
	_, err := s.RecomputeYear(ctx, j.CommitteeID, p.Year, func(done, total int) {
		if done < total {
			s.Store.SetDutyRun(ctx, j.CommitteeID, p.Year, store.DutyRun{State: "running", Done: done, Total: total, StartedAt: started})
		}
	})
	if err != nil {
		s.Store.SetDutyRun(context.WithoutCancel(ctx), j.CommitteeID, p.Year, store.DutyRun{State: "failed", StartedAt: started, Error: err.Error()})
	}
	return err
}

// SaveDutyRules stores the year's rules (admin) and recomputes the year.
func (s *Service) SaveDutyRules(ctx context.Context, a zhengxie.Actor, r *zhengxie.DutyRules) error {
	if err := requireRole(a, "设置履职积分规则和10件作业", zhengxie.RoleAdmin); err != nil {
		return err
	}
	if err := r.Check(); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		old, _, err := tx.DutyRules(a.CommitteeID, r.Year)
		if err != nil {
			return err
		}
		if err := tx.SaveDutyRules(a.CommitteeID, r, a.UserID); err != nil {
			return err
		}
		if err := s.subjectEvent(tx, a, "duty_rules", int64(r.Year), "duty_rules.saved", "", "", fmt.Sprintf("%d年度履职规则", r.Year),
			map[string]any{"old": old, "new": r}); err != nil {
			return err
		}
		if err := s.queueRecompute(tx, a.CommitteeID, r.Year, ""); err != nil {
			return err
		}
		return s.scheduleReminders(tx, a.CommitteeID, r)
	})
}

// RecomputeNow queues a recomputation on the office's or admin's request.
func (s *Service) RecomputeNow(ctx context.Context, a zhengxie.Actor, year int) error {
	if err := requireRole(a, "重新计算履职积分", zhengxie.RoleAdmin, zhengxie.RoleOffice); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error { return s.queueRecompute(tx, a.CommitteeID, year, "") })
}

var dutyEnabled sync.Map // *Service → bool

// EnableDuty adds to the periodic scan (serve calls it): recompute the current year when the committee's event log
// has moved since the last run (proposals filed or accepted elsewhere,
// reports adopted), and queue the checklist reminders of the year.
func (s *Service) EnableDuty() {
	if _, loaded := dutyEnabled.LoadOrStore(s, true); loaded {
		return
	}
	var last time.Time
	s.Periodic = append(s.Periodic, func(ctx context.Context) error {
		now := s.now()
		if now.Sub(last) < 10*time.Minute && now.After(last) {
			return nil
		}
		last = now
		return s.DutyScan(ctx)
	})
}

// DutyScan is one round of the duty module's periodic work.
func (s *Service) DutyScan(ctx context.Context) error {
	cs, err := s.Store.Committees(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		year := s.now().In(c.Location()).Year()
		run, err := s.Store.DutyRun(ctx, c.ID, year)
		if err != nil {
			return err
		}
		seq, err := s.Store.EventSeq(ctx, c.ID)
		if err != nil {
			return err
		}
		rules, _, err := s.Store.DutyRules(ctx, c.ID, year)
		if err != nil {
			return err
		}
		err = s.Store.InTx(ctx, func(tx *store.Tx) error {
			if run.State != "pending" && run.State != "running" && seq > run.EventSeq {
				if err := s.queueRecompute(tx, c.ID, year, fmt.Sprintf("duty-recompute:%d:%d:%d", c.ID, year, seq)); err != nil {
					return err
				}
			}
			return s.scheduleReminders(tx, c.ID, &rules)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ---- one member's year ----

// MemberYear is everything of one member's year: the items with their
// points, the point lines, the checklist, attendance and rank.
type MemberYear struct {
	Profile    *zhengxie.MemberProfile
	Year       int
	Rules      zhengxie.DutyRules
	Items      []zhengxie.DutyItem
	ItemPoints []int
	Score      zhengxie.DutyScore
	Checklist  []zhengxie.TaskProgress
	Attendance zhengxie.AttendanceSummary
	Low        bool
	// Rank within the committee and within the member's sector (0 when the
	// year has not been computed yet), of how many.
	Rank, Of             int
	SectorRank, SectorOf int
	Activities           []zhengxie.Activity
	AttendanceOf         map[int64]zhengxie.AttendanceState
	Records              []zhengxie.DutyRecord
	Behind               []zhengxie.TaskProgress
}

// MemberYear computes a member's year live: a member sees their own, the
// office, leaders and admin anyone's of their committee.
func (s *Service) MemberYear(ctx context.Context, a zhengxie.Actor, userID int64, year int) (*MemberYear, error) {
	p, err := s.MemberProfile(ctx, a, userID)
	if err != nil {
		return nil, err
	}
	if p.User.Role != zhengxie.RoleMember {
		return nil, zhengxie.NotFound("委员")
	}
	c, err := s.Store.Committee(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	rules, _, err := s.Store.DutyRules(ctx, a.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	items, invited, err := s.Store.YearItems(ctx, a.CommitteeID, year, userID, c.Location())
	if err != nil {
		return nil, err
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].At.Before(items[j].At) })
	m := &MemberYear{Profile: p, Year: year, Rules: rules, Items: items}
	m.Score = zhengxie.Score(&rules, items)
	m.ItemPoints = m.Score.ItemPoints
	m.Checklist = zhengxie.Checklist(&rules, items)
	for _, t := range m.Checklist {
		if !t.Done {
			m.Behind = append(m.Behind, t)
		}
	}
	m.Attendance = zhengxie.SummariseAttendance(items, invited[userID])
	m.Low = m.Attendance.Low(&rules)
	// The standing is counted in the kept scores, not by reading them all.
	st, err := s.Store.DutyStanding(ctx, a.CommitteeID, year, userID, p.User.SectorID)
	if err != nil {
		return nil, err
	}
	m.Rank, m.Of, m.SectorRank, m.SectorOf = st.Rank, st.Of, st.SectorRank, st.SectorOf
	if m.Activities, err = s.Store.Activities(ctx, store.ActivityFilter{CommitteeID: a.CommitteeID, Year: year, InvitedUser: userID, Limit: 1000}); err != nil {
		return nil, err
	}
	if m.AttendanceOf, err = s.Store.MyAttendances(ctx, a.CommitteeID, year, userID); err != nil {
		return nil, err
	}
	if m.Records, err = s.Store.DutyRecords(ctx, a.CommitteeID, year, userID); err != nil {
		return nil, err
	}
	return m, nil
}

// Ranks gives competition ranks (1, 2, 2, 4) to rows sorted by points.
func Ranks(rows []store.DutyScoreRow) []int {
	out := make([]int, len(rows))
	for i := range rows {
		if i > 0 && rows[i].Points == rows[i-1].Points {
			out[i] = out[i-1]
		} else {
			out[i] = i + 1
		}
	}
	return out
}

// ItemLink is where a duty item's record is shown.
func ItemLink(it zhengxie.DutyItem) string {
	kind, v, _ := strings.Cut(it.Ref, ":")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return ""
	}
	switch kind {
	case "activity":
		return fmt.Sprintf("/activities/%d", id)
	case "proposal":
		return fmt.Sprintf("/proposals/%d", id)
	case "record":
		return fmt.Sprintf("/duty/records#record-%d", id)
	case "report":
		return fmt.Sprintf("/reports/%d", id)
	}
	return ""
}
