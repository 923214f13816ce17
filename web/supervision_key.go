package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

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
	pid, _ := strconv.ParseInt(r.FormValue("proposal_id"), 10, 64)
	leader, _ := strconv.ParseInt(r.FormValue("leader_id"), 10, 64)
	reason, _ := formText(r, "reason")
	if pid == 0 {
		s.svRenderKeyBoard(w, r, http.StatusUnprocessableEntity, formErr{Field: "proposal_id", Msg: "请选择提案"})
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
		leader, _ := strconv.ParseInt(r.FormValue("leader_id"), 10, 64)
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

// ---- API ----

type apiKeyStep struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	PlannedOn string `json:"planned_on"`
	Done      bool   `json:"done"`
	DoneOn    string `json:"done_on,omitempty"`
	Note      string `json:"note,omitempty"`
}

func toAPIKeyStep(st *store.KeyStep) apiKeyStep {
	return apiKeyStep{ID: st.ID, Kind: st.Kind, Title: st.Title, PlannedOn: st.PlannedOn, Done: st.DoneOn != "", DoneOn: st.DoneOn, Note: st.Note}
}

// apiKeyProposal is a line of the key-proposal board.
type apiKeyProposal struct {
	ID            int64       `json:"id"`
	ProposalID    int64       `json:"proposal_id"`
	Title         string      `json:"title"`
	Number        int         `json:"number"`
	ProposalState string      `json:"proposal_state"`
	Proposer      string      `json:"proposer"`
	State         string      `json:"state"`
	StateName     string      `json:"state_name"`
	Reason        string      `json:"reason,omitempty"`
	LeaderID      int64       `json:"leader_id,omitempty"`
	LeaderName    string      `json:"leader_name,omitempty"`
	ProposedAt    time.Time   `json:"proposed_at"`
	DecidedAt     time.Time   `json:"decided_at,omitzero"`
	DecisionNote  string      `json:"decision_note,omitempty"`
	Units         []string    `json:"units"`
	Replied       int         `json:"replied"`
	Counting      int         `json:"counting"`
	Stage         string      `json:"stage"`
	StepsDone     int         `json:"steps_done"`
	StepsTotal    int         `json:"steps_total"`
	Next          *apiKeyStep `json:"next,omitempty"`
	Late          bool        `json:"late"`
	LateWhy       []string    `json:"late_why,omitempty"`
}

func toAPIKey(k *app.KeyRow) apiKeyProposal {
	out := apiKeyProposal{ID: k.ID, ProposalID: k.ProposalID, Title: k.Title, Number: k.Number, ProposalState: string(k.ProposalState),
		Proposer: k.Proposer, State: string(k.State), StateName: k.StateName(), Reason: k.Reason, LeaderID: k.LeaderID, LeaderName: k.LeaderName,
		ProposedAt: k.ProposedAt, DecidedAt: k.DecidedAt, DecisionNote: k.DecisionNote, Units: append([]string{}, k.Units...), Replied: k.Replied,
		Counting: k.Counting, Stage: k.Stage, StepsDone: k.StepsDone, StepsTotal: k.StepsTotal, Late: k.Late, LateWhy: k.LateWhy}
	if k.Next != nil {
		n := toAPIKeyStep(k.Next)
		out.Next = &n
	}
	return out
}

type apiKeyBoard struct {
	Proposed int              `json:"proposed"`
	Approved int              `json:"approved"`
	Late     int              `json:"late"`
	Items    []apiKeyProposal `json:"items"`
}

// apiKeyBoard is GET /api/v1/key-proposals: the board of key proposals,
// those waiting for the chairs' council included.
func (s *Server) apiKeyBoard(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		rows, err := s.Svc.KeyBoard(r.Context(), a)
		if err != nil {
			return nil, err
		}
		out := apiKeyBoard{Items: []apiKeyProposal{}}
		for i := range rows {
			k := &rows[i]
			switch k.State {
			case store.KeyProposed:
				out.Proposed++
			case store.KeyApproved:
				out.Approved++
				if k.Late {
					out.Late++
				}
			}
			out.Items = append(out.Items, toAPIKey(k))
		}
		return out, nil
	})
}

// apiKeyCandidates is GET /api/v1/key-proposals/candidates: the proposals
// the office may propose, and the leaders who may supervise them.
func (s *Server) apiKeyCandidates(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		ps, err := s.Svc.KeyCandidates(r.Context(), a)
		if err != nil {
			return nil, err
		}
		items := []apiProposal{}
		for i := range ps {
			items = append(items, toAPIProposal(&ps[i], false))
		}
		leaders, err := s.Svc.Store.Users(r.Context(), store.UserFilter{CommitteeID: a.CommitteeID, Role: zhengxie.RoleLeader})
		if err != nil {
			return nil, err
		}
		ls := []apiUser{}
		for i := range leaders {
			ls = append(ls, toAPIUser(&leaders[i]))
		}
		return map[string]any{"items": items, "leaders": ls}, nil
	})
}

type apiKeyProposeInput struct {
	ProposalID int64  `json:"proposal_id"`
	LeaderID   int64  `json:"leader_id"`
	Reason     string `json:"reason"`
}

// apiProposeKey is POST /api/v1/key-proposals: the office proposes a
// proposal to the chairs' council; it is key once a leader approves.
func (s *Server) apiProposeKey(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusCreated, func(a zhengxie.Actor) (any, error) {
		in, err := apiInput[apiKeyProposeInput](w, r)
		if err != nil {
			return nil, err
		}
		k, err := s.Svc.ProposeKey(r.Context(), a, in.ProposalID, in.LeaderID, strings.TrimSpace(in.Reason))
		if err != nil {
			return nil, err
		}
		d, err := s.Svc.KeyDetail(r.Context(), a, k.ID)
		if err != nil {
			return nil, err
		}
		return toAPIKey(&d.Row), nil
	})
}

type apiKeyDecideInput struct {
	IDs      []int64 `json:"ids"`
	Decision string  `json:"decision"`
	Note     string  `json:"note"`
}

// apiDecideKeys is POST /api/v1/key-proposals/decide: a leader records the
// chairs' council's decision on proposed key proposals.
func (s *Server) apiDecideKeys(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		in, err := apiInput[apiKeyDecideInput](w, r)
		if err != nil {
			return nil, err
		}
		if in.Decision != "approve" && in.Decision != "refuse" {
			// Who comes before what: the service says whether the caller may
			// decide at all (nothing is decided without ids).
			if _, err := s.Svc.DecideKeys(r.Context(), a, nil, false, ""); zhengxie.ErrorCode(err) != zhengxie.EInvalid {
				return nil, err
			}
			return nil, zhengxie.FieldError("decision", "decision 应为 approve（同意列为重点提案）或 refuse（不同意）")
		}
		n, err := s.Svc.DecideKeys(r.Context(), a, in.IDs, in.Decision == "approve", in.Note)
		if err != nil {
			return nil, err
		}
		return map[string]any{"decided": n}, nil
	})
}

type apiKeyNote struct {
	ID         int64     `json:"id"`
	AuthorName string    `json:"author_name"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
}

type apiKeyDetail struct {
	Key       apiKeyProposal `json:"key"`
	Tasks     []apiTask      `json:"tasks"`
	Steps     []apiKeyStep   `json:"steps"`
	Notes     []apiKeyNote   `json:"notes"`
	Leaders   []apiUser      `json:"leaders"`
	CanPlan   bool           `json:"can_plan"`
	CanNote   bool           `json:"can_note"`
	CanDecide bool           `json:"can_decide"`
}

func (s *Server) keyDetailOf(r *http.Request, a zhengxie.Actor) (any, error) {
	id, err := idOf(r, "id")
	if err != nil {
		return nil, err
	}
	d, err := s.Svc.KeyDetail(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	out := apiKeyDetail{Key: toAPIKey(&d.Row), Tasks: []apiTask{}, Steps: []apiKeyStep{}, Notes: []apiKeyNote{}, Leaders: []apiUser{},
		CanPlan: d.CanPlan, CanNote: d.CanNote, CanDecide: d.CanDecide}
	for i := range d.Tasks {
		out.Tasks = append(out.Tasks, toAPITask(&d.Tasks[i], nil))
	}
	for i := range d.Steps {
		out.Steps = append(out.Steps, toAPIKeyStep(&d.Steps[i]))
	}
	for _, n := range d.Notes {
		out.Notes = append(out.Notes, apiKeyNote{n.ID, n.AuthorName, n.Text, n.CreatedAt})
	}
	for i := range d.Leaders {
		out.Leaders = append(out.Leaders, toAPIUser(&d.Leaders[i]))
	}
	return out, nil
}

// apiKey is GET /api/v1/key-proposals/{id}: one key proposal's file.
func (s *Server) apiKey(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) { return s.keyDetailOf(r, a) })
}

// apiKeyChange runs one change to a key proposal's file and answers the
// file as it is afterwards.
func apiKeyChange[T any](s *Server, status int, do func(r *http.Request, a zhengxie.Actor, id int64, in *T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.apiAnswer(w, r, status, func(a zhengxie.Actor) (any, error) {
			id, err := idOf(r, "id")
			if err != nil {
				return nil, err
			}
			// Who comes before what: a file the caller may not see is not
			// found, whatever the body says.
			if _, err := s.Svc.KeyDetail(r.Context(), a, id); err != nil {
				return nil, err
			}
			in, err := apiInput[T](w, r)
			if err != nil {
				return nil, err
			}
			if err := do(r, a, id, in); err != nil {
				return nil, err
			}
			return s.keyDetailOf(r, a)
		})
	}
}

type apiKeyLeaderInput struct {
	LeaderID int64 `json:"leader_id"`
}

type apiKeyStepInput struct {
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	PlannedOn string `json:"planned_on"`
}

type apiKeyStepDoneInput struct {
	DoneOn string `json:"done_on"`
	Note   string `json:"note"`
}

type apiKeyNoteInput struct {
	Text string `json:"text"`
}

// The changes to a key proposal's file: its supervising leader, the plan's
// steps and their completion, progress notes.
func (s *Server) apiKeyLeader() http.HandlerFunc {
	return apiKeyChange(s, http.StatusOK, func(r *http.Request, a zhengxie.Actor, id int64, in *apiKeyLeaderInput) error {
		return s.Svc.SetKeyLeader(r.Context(), a, id, in.LeaderID)
	})
}

func (s *Server) apiKeyStep() http.HandlerFunc {
	return apiKeyChange(s, http.StatusCreated, func(r *http.Request, a zhengxie.Actor, id int64, in *apiKeyStepInput) error {
		_, err := s.Svc.AddKeyStep(r.Context(), a, id, strings.TrimSpace(in.Kind), strings.TrimSpace(in.Title), strings.TrimSpace(in.PlannedOn))
		return err
	})
}

func (s *Server) apiKeyStepDone() http.HandlerFunc {
	return apiKeyChange(s, http.StatusOK, func(r *http.Request, a zhengxie.Actor, id int64, in *apiKeyStepDoneInput) error {
		step, err := idOf(r, "step")
		if err != nil {
			return err
		}
		return s.Svc.CompleteKeyStep(r.Context(), a, id, step, strings.TrimSpace(in.DoneOn), strings.TrimSpace(in.Note))
	})
}

func (s *Server) apiKeyNote() http.HandlerFunc {
	return apiKeyChange(s, http.StatusCreated, func(r *http.Request, a zhengxie.Actor, id int64, in *apiKeyNoteInput) error {
		return s.Svc.AddKeyNote(r.Context(), a, id, strings.TrimSpace(in.Text))
	})
}
