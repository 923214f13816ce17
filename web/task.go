package web

import (
	"net/http"
	"strconv"

	"zhengxie"
	"zhengxie/store"
)

// taskFilterOf reads a task list's filters: a unit sees its own tasks, the
// office, leaders and admins any unit's.
func (s *Server) taskFilterOf(r *http.Request) (store.TaskFilter, error) {
	a := actorOf(r)
	f := store.TaskFilter{CommitteeID: a.CommitteeID}
	switch a.Role {
	case zhengxie.RoleUnit:
		f.UnitID = a.UnitID
	case zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin:
		f.UnitID, _ = strconv.ParseInt(r.URL.Query().Get("unit"), 10, 64)
	default:
		return f, zhengxie.Errorf(zhengxie.EForbidden, "只有承办单位和提案委员会可以查看办理任务")
	}
	if st := r.URL.Query().Get("state"); st != "" {
		f.States = []zhengxie.TaskState{zhengxie.TaskState(st)}
	}
	return f, nil
}

// taskList is a unit's inbox, or the office's view of all tasks.
func (s *Server) taskList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.taskFilterOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("overdue") == "1" {
		f.DueBefore = zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime()).String()
		f.States = []zhengxie.TaskState{zhengxie.TaskPending, zhengxie.TaskAccepted, zhengxie.TaskContacted}
	}
	rows, err := s.Svc.Store.TaskRows(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "tasks", &Page{Title: "办理任务", Nav: "tasks", D: rows})
}
