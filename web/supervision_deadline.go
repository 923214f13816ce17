package web

import (
	"fmt"
	"net/http"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// A task's deadline and the requests to extend it (延期申请).

type svTaskData struct {
	*app.TaskDeadline
	Err  formErr
	Form map[string]string
}

func (s *Server) svRenderTask(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.TaskDeadline(r.Context(), actorOf(r), svID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nav := "supervision"
	if actorOf(r).Role == zhengxie.RoleUnit {
		nav = "deadlines"
	}
	s.svPage(w, r, status, "supervise_task", "办理期限", nav, fe, &svTaskData{TaskDeadline: v, Err: fe, Form: svForm(r)})
}

func (s *Server) svTask(w http.ResponseWriter, r *http.Request) { s.svRenderTask(w, r, 0, formErr{}) }

func (s *Server) svRequestExtension(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := svID(r, "id")
	due, _ := formText(r, "due")
	reason, _ := formText(r, "reason")
	if _, err := s.Svc.RequestExtension(r.Context(), actorOf(r), id, due, reason); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderTask(w, r, status, fe) })
		return
	}
	redirect(w, r, fmt.Sprintf("/supervision/tasks/%d", id), "sv_extension_requested")
}

type svExtData struct {
	Items []store.Extension
	State string
	Err   formErr
	ErrID int64
}

func (s *Server) svRenderExtensions(w http.ResponseWriter, r *http.Request, status int, fe formErr, errID int64) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	state := r.URL.Query().Get("state")
	if state == "" && r.URL.Query().Get("all") != "1" {
		state = store.ExtPending
	}
	items, err := s.Svc.PendingExtensions(r.Context(), actorOf(r), state)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "supervise_extensions", "延期申请", "supervision", fe, &svExtData{Items: items, State: state, Err: fe, ErrID: errID})
}

func (s *Server) svExtensions(w http.ResponseWriter, r *http.Request) {
	s.svRenderExtensions(w, r, 0, formErr{}, 0)
}

func (s *Server) svDecideExtension(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := svID(r, "id")
	decision := r.PathValue("decision")
	if decision != "approve" && decision != "refuse" {
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	note, _ := formText(r, "note")
	if _, err := s.Svc.DecideExtension(r.Context(), actorOf(r), id, decision == "approve", note); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderExtensions(w, r, status, fe, id) })
		return
	}
	to := "/supervision/extensions"
	if back := r.FormValue("back"); strings.HasPrefix(back, "/supervision/") {
		to = back
	}
	redirect(w, r, to, "sv_extension_"+map[string]string{"approve": "approved", "refuse": "refused"}[decision])
}
