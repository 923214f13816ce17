package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// Key proposals (重点提案): the office proposes, the chairs' council (a
// leader) decides, the supervising leader plans steps and notes progress.

type svKeyBoardData struct {
	Rows       []app.KeyRow
	Candidates []zhengxie.Proposal
	Leaders    []zhengxie.User
	Today      zhengxie.Date
	Err        formErr
	Form       map[string]string
	Approved   int
	Proposed   int
	Late       int
}

func (s *Server) svRenderKeyBoard(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	a, ctx := actorOf(r), r.Context()
	rows, err := s.Svc.KeyBoard(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &svKeyBoardData{Rows: rows, Err: fe, Form: svForm(r), Today: zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime())}
	for _, k := range rows {
		switch k.State {
		case store.KeyProposed:
			d.Proposed++
		case store.KeyApproved:
			d.Approved++
			if k.Late {
				d.Late++
			}
		}
	}
	if a.Role == zhengxie.RoleOffice {
		if d.Candidates, err = s.Svc.KeyCandidates(ctx, a); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Leaders, err = s.Svc.Store.Users(ctx, store.UserFilter{CommitteeID: a.CommitteeID, Role: zhengxie.RoleLeader}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.svPage(w, r, status, "supervise_keys", "重点提案", "keys", fe, d)
}

func (s *Server) svKeyBoard(w http.ResponseWriter, r *http.Request) {
	s.svRenderKeyBoard(w, r, 0, formErr{})
}

func (s *Server) svProposeKey(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	pid, _ := strconv.ParseInt(r.FormValue("proposal"), 10, 64)
	leader, _ := strconv.ParseInt(r.FormValue("leader"), 10, 64)
	reason, _ := formText(r, "reason")
	if pid == 0 {
		s.svRenderKeyBoard(w, r, http.StatusUnprocessableEntity, formErr{Field: "proposal", Msg: "请选择提案"})
		return
	}
	if _, err := s.Svc.ProposeKey(r.Context(), actorOf(r), pid, leader, reason); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderKeyBoard(w, r, status, fe) })
		return
	}
	redirect(w, r, "/key-proposals", "sv_key_proposed")
}

func (s *Server) svDecideKeys(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	var ids []int64
	for _, v := range r.PostForm["ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	note, _ := formText(r, "note")
	if _, err := s.Svc.DecideKeys(r.Context(), actorOf(r), ids, r.FormValue("decision") != "refuse", note); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderKeyBoard(w, r, status, fe) })
		return
	}
	to := "/key-proposals"
	if back := r.FormValue("back"); strings.HasPrefix(back, "/key-proposals/") {
		to = back
	}
	redirect(w, r, to, "sv_key_decided")
}

type svKeyData struct {
	*app.KeyDetail
	Kinds []string
	Err   formErr
	Form  map[string]string
	Today string
}

func (s *Server) svRenderKey(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Svc.KeyDetail(r.Context(), actorOf(r), svID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "supervise_key", d.Row.Title, "keys", fe, &svKeyData{KeyDetail: d, Kinds: app.KeyStepKinds, Err: fe, Form: svForm(r), Today: d.Today.String()})
}

func (s *Server) svKey(w http.ResponseWriter, r *http.Request) { s.svRenderKey(w, r, 0, formErr{}) }

func (s *Server) svKeyPost(w http.ResponseWriter, r *http.Request, do func(a zhengxie.Actor, id int64) error) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := svID(r, "id")
	if err := do(actorOf(r), id); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderKey(w, r, status, fe) })
		return
	}
	redirect(w, r, fmt.Sprintf("/key-proposals/%d", id), "sv_key_saved")
}

func (s *Server) svKeyLeader(w http.ResponseWriter, r *http.Request) {
	s.svKeyPost(w, r, func(a zhengxie.Actor, id int64) error {
		leader, _ := strconv.ParseInt(r.FormValue("leader"), 10, 64)
		return s.Svc.SetKeyLeader(r.Context(), a, id, leader)
	})
}

func (s *Server) svKeyStep(w http.ResponseWriter, r *http.Request) {
	s.svKeyPost(w, r, func(a zhengxie.Actor, id int64) error {
		title, _ := formText(r, "title")
		_, err := s.Svc.AddKeyStep(r.Context(), a, id, r.FormValue("kind"), title, r.FormValue("planned_on"))
		return err
	})
}

func (s *Server) svKeyStepDone(w http.ResponseWriter, r *http.Request) {
	s.svKeyPost(w, r, func(a zhengxie.Actor, id int64) error {
		note, _ := formText(r, "note")
		return s.Svc.CompleteKeyStep(r.Context(), a, id, svID(r, "step"), r.FormValue("done_on"), note)
	})
}

func (s *Server) svKeyNote(w http.ResponseWriter, r *http.Request) {
	s.svKeyPost(w, r, func(a zhengxie.Actor, id int64) error {
		text, _ := formText(r, "text")
		return s.Svc.AddKeyNote(r.Context(), a, id, text)
	})
}
