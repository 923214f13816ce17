package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"zhengxie"
	"zhengxie/store"
)

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
		due := t.Due
		if due.IsZero() {
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
	// The citizens' matters forwarded to the unit and waiting for it, and
	// those of them overdue, with their lists.
	Matters, MattersOverdue         int
	MattersLink, MattersOverdueLink string
}

// MatterBoard is the citizens' matters forwarded to units, counted beside
// the proposal tasks: a forwarded matter is the unit's task as well.
type MatterBoard struct {
	Open    int
	Link    string
	Buckets []Count // in the order of Buckets
}

// matterListLink is the matters list of a filter (the overdue one has its
// own, older parameter).
func matterListLink(unitID int64, bucket string) string {
	q := "forwarded=1"
	switch bucket {
	case "":
	case BucketOverdue:
		q = "overdue=1"
	default:
		q = "bucket=" + bucket
	}
	if unitID != 0 {
		q = fmt.Sprintf("unit=%d&%s", unitID, q)
	}
	return "/matters?" + q
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
	Matters    MatterBoard
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
	// The matters are the contact module's: read through its own service,
	// which keeps to who may see what.
	matters, err := s.Matters(ctx, a, MatterQuery{Forwarded: true})
	if err != nil {
		return nil, err
	}
	mBucket := map[string]int{}
	mUnit, mUnitLate := map[int64]int{}, map[int64]int{}
	for i := range matters {
		b := MatterBucket(&matters[i], today)
		mBucket[b]++
		mUnit[matters[i].UnitID]++
		if b == BucketOverdue {
			mUnitLate[matters[i].UnitID]++
		}
	}
	d.Matters = MatterBoard{Open: len(matters), Link: matterListLink(0, "")}
	for _, b := range Buckets {
		d.Matters.Buckets = append(d.Matters.Buckets, Count{Code: b.Code, Name: b.Name, N: mBucket[b.Code], Link: matterListLink(0, b.Code)})
	}
	units, err := s.Store.Units(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		m := byUnit[u.ID]
		if len(m) == 0 && mUnit[u.ID] == 0 {
			continue
		}
		l := UnitLoad{UnitID: u.ID, Name: u.Name, Matters: mUnit[u.ID], MattersOverdue: mUnitLate[u.ID],
			MattersLink: matterListLink(u.ID, ""), MattersOverdueLink: matterListLink(u.ID, BucketOverdue)}
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
		if c := y.Open - x.Open; c != 0 {
			return c
		}
		return y.MattersOverdue - x.MattersOverdue
	})
	board, err := s.KeyBoard(ctx, a)
	if err != nil {
		return nil, err
	}
	for _, k := range board {
		switch {
		case k.State == zhengxie.KeyProposed:
			d.Proposed++
		case k.State == zhengxie.KeyApproved:
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
