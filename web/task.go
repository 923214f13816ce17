package web

import (
	"io"
	"net/http"
	"strconv"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// taskAction runs one step on a unit's task, posted from the proposal page.
func (s *Server) taskAction(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, ctx := actorOf(r), r.Context()
	t, err := s.Svc.Store.Task(ctx, a.CommitteeID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text := func(name string) string { v, _ := formText(r, name); return v }
	action := r.PathValue("action")
	switch action {
	case "accept_task":
		_, err = s.Svc.AcceptTask(ctx, a, id)
	case "return_task":
		_, err = s.Svc.ReturnTask(ctx, a, id, text("reason"))
	case "contact":
		_, err = s.Svc.RecordContact(ctx, a, id, text("method"), text("date"), text("note"))
	case "reply":
		var up *app.Upload
		if f, h, ferr := r.FormFile("file"); ferr == nil {
			data, rerr := io.ReadAll(io.LimitReader(f, app.MaxUpload+1))
			f.Close()
			if rerr != nil {
				err = rerr
				break
			}
			up = &app.Upload{Name: h.Filename, Data: data}
		}
		_, err = s.Svc.Reply(ctx, a, id, zhengxie.Reply{ResultClass: text("result_class"), Text: text("text")}, up)
	case "feedback":
		_, err = s.Svc.Feedback(ctx, a, id, text("feedback"), text("note"))
	case "release_lead":
		_, err = s.Svc.ReleaseLead(ctx, a, id, text("reason"))
	default:
		err = zhengxie.NotFound("操作")
	}
	if err != nil {
		if c := zhengxie.ErrorCode(err); c == zhengxie.ENotFound || c == zhengxie.EInternal {
			s.fail(w, r, err)
			return
		}
		s.renderShow(w, r, t.ProposalID, statusOf[zhengxie.ErrorCode(err)], zhengxie.ErrorMessage(err), formErrOf(err), id)
		return
	}
	redirect(w, r, "/proposals/"+strconv.FormatInt(t.ProposalID, 10), action)
}

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
