package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// The supervision dashboard and the boards of open tasks (督办).

func (s *Server) svDashboard(w http.ResponseWriter, r *http.Request) {
	d, err := s.Svc.Dashboard(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, 0, "supervise_dashboard", "督办", "supervision", formErr{}, d)
}

type svTasksData struct {
	Tasks   []app.SupervisedTask
	Today   zhengxie.Date
	Filter  app.TaskQuery
	Units   []zhengxie.Unit
	Buckets any
	States  []zhengxie.TaskState
	Heading string
	// Matters are the citizens' matters forwarded to the unit (its own
	// deadlines page only), with their deadline buckets.
	Matters []svMatter
}

type svMatter struct {
	M        zhengxie.Matter
	Bucket   string
	DaysLeft int
}

// Situation says where the matter stands against its deadline, in the
// words of the task boards.
func (m svMatter) Situation() string {
	if m.DaysLeft < 0 {
		return "已超期" + strconv.Itoa(-m.DaysLeft) + "天"
	}
	return app.BucketName(m.Bucket)
}

func (s *Server) svTaskList(w http.ResponseWriter, r *http.Request, q app.TaskQuery, name, title, nav string) {
	a := actorOf(r)
	tasks, today, err := s.Svc.SupervisedTasks(r.Context(), a, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.Svc.Store.Units(r.Context(), a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &svTasksData{Tasks: tasks, Today: today, Filter: q, Units: units, Buckets: app.Buckets, States: store.OpenTaskStates, Heading: title}
	var parts []string
	for _, u := range units {
		if u.ID == q.UnitID {
			parts = append(parts, u.Name)
		}
	}
	if q.Bucket != "" {
		parts = append(parts, app.BucketName(q.Bucket))
	}
	if q.State != "" {
		parts = append(parts, q.State.Name())
	}
	if len(parts) > 0 && name == "supervise_tasks" {
		d.Heading = "未答复任务：" + strings.Join(parts, " · ")
	}
	if name == "supervise_deadlines" {
		ms, err := s.Svc.Matters(r.Context(), a, app.MatterQuery{Forwarded: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, m := range ms {
			sm := svMatter{M: m, Bucket: app.MatterBucket(&m, today)}
			if due, err := zhengxie.ParseDate(m.Due); err == nil {
				sm.DaysLeft = due.Sub(today)
			}
			d.Matters = append(d.Matters, sm)
		}
		slices.SortStableFunc(d.Matters, func(x, y svMatter) int { return x.DaysLeft - y.DaysLeft })
	}
	s.svPage(w, r, 0, name, title, nav, formErr{}, d)
}

// svUnitToOwn sends unit staff from the office's boards to their own
// deadlines page; it reports whether it did.
func svUnitToOwn(w http.ResponseWriter, r *http.Request) bool {
	if actorOf(r).Role == zhengxie.RoleUnit {
		http.Redirect(w, r, "/supervision/deadlines", http.StatusSeeOther)
		return true
	}
	return false
}

func (s *Server) svTasks(w http.ResponseWriter, r *http.Request) {
	if svUnitToOwn(w, r) {
		return
	}
	q := r.URL.Query()
	s.svTaskList(w, r, app.TaskQuery{UnitID: svQueryID(r, "unit"), Bucket: q.Get("bucket"), State: zhengxie.TaskState(q.Get("state")),
		KeyOnly: q.Get("key") == "1"}, "supervise_tasks", "未答复任务", "supervision")
}

func (s *Server) svOverdue(w http.ResponseWriter, r *http.Request) {
	if svUnitToOwn(w, r) {
		return
	}
	s.svTaskList(w, r, app.TaskQuery{Bucket: app.BucketOverdue, UnitID: svQueryID(r, "unit")}, "supervise_overdue", "超期督办", "supervision")
}

func (s *Server) svDeadlines(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if actorOf(r).Role != zhengxie.RoleUnit {
		http.Redirect(w, r, "/supervision/tasks", http.StatusSeeOther)
		return
	}
	s.svTaskList(w, r, app.TaskQuery{}, "supervise_deadlines", "办理期限", "deadlines")
}

// ---- API ----

type apiCount struct {
	Code string `json:"code"`
	Name string `json:"name"`
	N    int    `json:"n"`
	Link string `json:"link,omitempty"`
}

func toAPICounts(cs []app.Count) []apiCount {
	out := []apiCount{}
	for _, c := range cs {
		out = append(out, apiCount{c.Code, c.Name, c.N, c.Link})
	}
	return out
}

type apiUnitLoad struct {
	UnitID  int64      `json:"unit_id"`
	Name    string     `json:"name"`
	Open    int        `json:"open"`
	Buckets []apiCount `json:"buckets"`
	// The unit's forwarded citizens' matters (all waiting, and overdue).
	Matters        int `json:"matters"`
	MattersOverdue int `json:"matters_overdue"`
}

type apiMatterBoard struct {
	Open    int        `json:"open"`
	Link    string     `json:"link"`
	Buckets []apiCount `json:"buckets"`
}

type apiDashboard struct {
	Today             string         `json:"today"`
	Open              int            `json:"open"`
	Key               int            `json:"key"`
	KeyLate           int            `json:"key_late"`
	PendingExtensions int            `json:"pending_extensions"`
	ProposedKeys      int            `json:"proposed_keys"`
	States            []apiCount     `json:"states"`
	TaskStates        []apiCount     `json:"task_states"`
	Buckets           []apiCount     `json:"buckets"`
	Units             []apiUnitLoad  `json:"units"`
	Matters           apiMatterBoard `json:"matters"`
}

// apiDashboard is GET /api/v1/supervision/dashboard: the dashboard's counts.
func (s *Server) apiDashboard(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		d, err := s.Svc.Dashboard(r.Context(), a)
		if err != nil {
			return nil, err
		}
		out := apiDashboard{Today: d.Today.String(), Open: d.Open, Key: d.Key, KeyLate: d.KeyLate, PendingExtensions: d.Pending,
			ProposedKeys: d.Proposed, States: toAPICounts(d.States), TaskStates: toAPICounts(d.TaskStates), Buckets: toAPICounts(d.Buckets), Units: []apiUnitLoad{},
			Matters: apiMatterBoard{Open: d.Matters.Open, Link: d.Matters.Link, Buckets: toAPICounts(d.Matters.Buckets)}}
		for _, u := range d.Units {
			out.Units = append(out.Units, apiUnitLoad{u.UnitID, u.Name, u.Open, toAPICounts(u.Buckets), u.Matters, u.MattersOverdue})
		}
		return out, nil
	})
}

// apiSupervisedTask is an open task on a board, with its deadline.
type apiSupervisedTask struct {
	ID             int64  `json:"id"`
	ProposalID     int64  `json:"proposal_id"`
	Title          string `json:"title"`
	Number         int    `json:"number"`
	UnitID         int64  `json:"unit_id"`
	UnitName       string `json:"unit_name"`
	Kind           string `json:"kind"`
	State          string `json:"state"`
	StateName      string `json:"state_name"`
	Due            string `json:"due"`
	DaysLeft       int    `json:"days_left"`
	Bucket         string `json:"bucket"`
	BucketName     string `json:"bucket_name"`
	Key            bool   `json:"key"`
	EscalateOn     string `json:"escalate_on,omitempty"`
	Reminders      int    `json:"reminders"`
	OverdueNotices int    `json:"overdue_notices"`
	EscalatedOn    string `json:"escalated_on,omitempty"`
	Leader         string `json:"leader,omitempty"`
}

type apiSupervisedTasks struct {
	Today string              `json:"today"`
	Total int                 `json:"total"`
	Items []apiSupervisedTask `json:"items"`
}

func dateText(d zhengxie.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// apiBoard answers a board: the open tasks of the query, or of several
// buckets (the due-soon board is two).
func (s *Server) apiBoard(w http.ResponseWriter, r *http.Request, q app.TaskQuery, buckets ...string) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		tasks, today, err := s.Svc.SupervisedTasks(r.Context(), a, q)
		if err != nil {
			return nil, err
		}
		out := apiSupervisedTasks{Today: today.String(), Items: []apiSupervisedTask{}}
		for _, t := range tasks {
			if len(buckets) > 0 && !slices.Contains(buckets, t.Bucket) {
				continue
			}
			out.Items = append(out.Items, apiSupervisedTask{ID: t.ID, ProposalID: t.ProposalID, Title: t.Title, Number: t.Number, UnitID: t.UnitID,
				UnitName: t.UnitName, Kind: t.Kind, State: string(t.State), StateName: t.State.Name(), Due: t.DueDate.String(), DaysLeft: t.DaysLeft,
				Bucket: t.Bucket, BucketName: app.BucketName(t.Bucket), Key: t.IsKey, EscalateOn: dateText(t.EscalateOn), Reminders: t.Alerts.Reminders,
				OverdueNotices: t.Alerts.Overdues, EscalatedOn: t.Alerts.EscalatedOn, Leader: t.Leader})
		}
		out.Total = len(out.Items)
		return out, nil
	})
}

// boardQuery reads a board's filters; a unit's staff always get their own unit.
func boardQuery(r *http.Request) (app.TaskQuery, error) {
	q := r.URL.Query()
	tq := app.TaskQuery{Bucket: q.Get("bucket"), State: zhengxie.TaskState(q.Get("state")), KeyOnly: q.Get("key") == "1" || q.Get("key") == "true"}
	if v := q.Get("unit"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return tq, zhengxie.FieldError("unit", "参数 unit 应为承办单位序号")
		}
		tq.UnitID = n
	}
	if tq.Bucket != "" && app.BucketName(tq.Bucket) == tq.Bucket {
		return tq, zhengxie.FieldError("bucket", "未知的期限分组“%s”（overdue、d3、d15、later）", tq.Bucket)
	}
	if tq.State != "" && !slices.Contains(store.OpenTaskStates, tq.State) {
		return tq, zhengxie.FieldError("state", "未答复任务的状态只能是 pending、accepted 或 contacted")
	}
	return tq, nil
}

// apiSupervisionTasks is GET /api/v1/supervision/tasks: the open tasks and
// their deadlines (a unit's staff see their own unit's: 办理期限).
func (s *Server) apiSupervisionTasks(w http.ResponseWriter, r *http.Request) {
	q, err := boardQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.apiBoard(w, r, q)
}

// apiOverdue is GET /api/v1/supervision/overdue: the overdue board.
func (s *Server) apiOverdue(w http.ResponseWriter, r *http.Request) {
	q, err := boardQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.Bucket = app.BucketOverdue
	s.apiBoard(w, r, q)
}

// apiDueSoon is GET /api/v1/supervision/due-soon: the tasks due within 15 days.
func (s *Server) apiDueSoon(w http.ResponseWriter, r *http.Request) {
	q, err := boardQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.Bucket = ""
	s.apiBoard(w, r, q, app.BucketDays3, app.BucketDays15)
}
