package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

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

// ---- API ----

type apiExtension struct {
	ID              int64     `json:"id"`
	TaskID          int64     `json:"task_id"`
	ProposalID      int64     `json:"proposal_id"`
	Title           string    `json:"title"`
	Number          int       `json:"number"`
	UnitID          int64     `json:"unit_id"`
	UnitName        string    `json:"unit_name"`
	RequestedByName string    `json:"requested_by_name"`
	Reason          string    `json:"reason"`
	OldDue          string    `json:"old_due"`
	NewDue          string    `json:"new_due"`
	State           string    `json:"state"`
	StateName       string    `json:"state_name"`
	DecidedByName   string    `json:"decided_by_name,omitempty"`
	DecisionNote    string    `json:"decision_note,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	DecidedAt       time.Time `json:"decided_at,omitzero"`
}

func toAPIExtension(e *store.Extension) apiExtension {
	return apiExtension{ID: e.ID, TaskID: e.TaskID, ProposalID: e.ProposalID, Title: e.Title, Number: e.Number, UnitID: e.UnitID, UnitName: e.UnitName,
		RequestedByName: e.RequestedByName, Reason: e.Reason, OldDue: e.OldDue, NewDue: e.NewDue, State: string(e.State), StateName: e.StateName(),
		DecidedByName: e.DecidedByName, DecisionNote: e.DecisionNote, CreatedAt: e.CreatedAt, DecidedAt: e.DecidedAt}
}

type apiAlert struct {
	Kind       string `json:"kind"`
	OnDate     string `json:"on_date"`
	Due        string `json:"due"`
	Recipients int    `json:"recipients"`
}

// apiTaskDeadline is a task's deadline: its dates, reminders and extensions.
type apiTaskDeadline struct {
	Task       apiTask        `json:"task"`
	Title      string         `json:"title"`
	Today      string         `json:"today"`
	Assigned   string         `json:"assigned"`
	Due        string         `json:"due"`
	DaysLeft   int            `json:"days_left"`
	Open       bool           `json:"open"`
	Reminders  []string       `json:"reminders"`
	EscalateOn string         `json:"escalate_on,omitempty"`
	Limit      string         `json:"limit,omitempty"`
	Counting   string         `json:"counting"`
	Leader     string         `json:"leader,omitempty"`
	CanRequest bool           `json:"can_request"`
	CanDecide  bool           `json:"can_decide"`
	Pending    *apiExtension  `json:"pending,omitempty"`
	Extensions []apiExtension `json:"extensions"`
	Alerts     []apiAlert     `json:"alerts"`
}

// apiTaskDeadline is GET /api/v1/tasks/{id}/deadline.
func (s *Server) apiTaskDeadline(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		v, err := s.Svc.TaskDeadline(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		out := apiTaskDeadline{Task: toAPITask(v.Task, nil), Title: v.Proposal.Title, Today: v.Today.String(), Assigned: dateText(v.Assigned),
			Due: dateText(v.Due), DaysLeft: v.DaysLeft, Open: v.Open, Reminders: []string{}, EscalateOn: dateText(v.EscalateOn), Limit: dateText(v.Limit),
			Counting: v.CountingWay, Leader: v.LeaderName, CanRequest: v.CanRequest, CanDecide: v.CanDecide, Extensions: []apiExtension{}, Alerts: []apiAlert{}}
		for _, d := range v.Reminders {
			out.Reminders = append(out.Reminders, d.String())
		}
		for i := range v.Extensions {
			out.Extensions = append(out.Extensions, toAPIExtension(&v.Extensions[i]))
		}
		if v.Pending != nil {
			p := toAPIExtension(v.Pending)
			out.Pending = &p
		}
		for _, al := range v.Alerts {
			out.Alerts = append(out.Alerts, apiAlert{al.Kind, al.OnDate, al.Due, al.Recipients})
		}
		return out, nil
	})
}

type apiExtensionInput struct {
	Due    string `json:"due"`
	Reason string `json:"reason"`
}

// apiRequestExtension is POST /api/v1/tasks/{id}/extensions: the unit asks
// for a later deadline.
func (s *Server) apiRequestExtension(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusCreated, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		in, err := apiInput[apiExtensionInput](w, r)
		if err != nil {
			return nil, err
		}
		e, err := s.Svc.RequestExtension(r.Context(), a, id, strings.TrimSpace(in.Due), strings.TrimSpace(in.Reason))
		if err != nil {
			return nil, err
		}
		return toAPIExtension(e), nil
	})
}

// apiExtensions is GET /api/v1/extensions?state=: the requests waiting for
// the office (state=pending, the default), or those of another state, or
// all (state=all).
func (s *Server) apiExtensions(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		state := r.URL.Query().Get("state")
		switch state {
		case "":
			state = store.ExtPending
		case "all":
			state = ""
		case store.ExtPending, store.ExtApproved, store.ExtRefused:
		default:
			return nil, zhengxie.FieldError("state", "state 应为 pending、approved、refused 或 all")
		}
		items, err := s.Svc.PendingExtensions(r.Context(), a, state)
		if err != nil {
			return nil, err
		}
		out := []apiExtension{}
		for i := range items {
			out = append(out, toAPIExtension(&items[i]))
		}
		return map[string]any{"items": out, "total": len(out)}, nil
	})
}

type apiDecisionInput struct {
	Note string `json:"note"`
}

// apiDecideExtension is POST /api/v1/extensions/{id}/approve and …/refuse.
func (s *Server) apiDecideExtension(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
			id, err := idOf(r, "id")
			if err != nil {
				return nil, err
			}
			in, err := apiInput[apiDecisionInput](w, r)
			if err != nil {
				return nil, err
			}
			e, err := s.Svc.DecideExtension(r.Context(), a, id, approve, strings.TrimSpace(in.Note))
			if err != nil {
				return nil, err
			}
			return toAPIExtension(e), nil
		})
	}
}
