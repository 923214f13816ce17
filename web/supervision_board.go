package web

import (
	"net/http"
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
