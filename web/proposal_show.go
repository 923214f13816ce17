package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
)

type showData struct {
	*app.ProposalView
	Units     []zhengxie.Unit
	Err       formErr
	ErrTask   int64 // the task whose form failed
	Form      map[string]string
	Results   any
	Feedbacks []string
	Methods   []string
	Today     string
	Intel     *proposalIntel // key terms and suggestions, see search.go
}

func (s *Server) proposalShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if viewerOf(r).User == nil {
		http.Redirect(w, r, "/public/proposals/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	s.renderShow(w, r, id, http.StatusOK, "", formErr{}, 0)
}

// renderShow renders a proposal page, optionally with a failed form's
// error and the values the user typed, so that nothing is lost.
func (s *Server) renderShow(w http.ResponseWriter, r *http.Request, id int64, status int, errMsg string, fe formErr, taskID int64) {
	v, err := s.Svc.Proposal(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Actions = offeredActions(v.Actions)
	d := &showData{ProposalView: v, Err: fe, ErrTask: taskID, Form: map[string]string{}, Results: zhengxie.ResultClasses,
		Feedbacks: []string{zhengxie.FeedbackSatisfied, zhengxie.FeedbackBasically, zhengxie.FeedbackUnsatisfied},
		Methods:   app.ContactMethods, Today: zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime()).String()}
	if r.Method == http.MethodPost {
		for k, vs := range r.PostForm {
			if k != csrfField && len(vs) > 0 {
				d.Form[k] = vs[0]
			}
		}
	}
	d.Intel = s.proposalIntel(r, v)
	prefillLead(r, d.Form)
	// A proposal from a topic order: the unit that ordered it is the
	// preselected lead of the first assignment.
	if o := v.Order; o != nil && o.UnitID != 0 && r.Method == http.MethodGet && v.P.State == zhengxie.StateAccepted && len(v.Tasks) == 0 {
		if _, chosen := d.Form["kind_"+r.URL.Query().Get("lead")]; !chosen {
			d.Form["kind_"+strconv.FormatInt(o.UnitID, 10)] = zhengxie.TaskLead
		}
	}
	if has(v.Actions, zhengxie.ActAssign) {
		if d.Units, err = s.Svc.Store.Units(r.Context(), v.P.CommitteeID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, "proposal", &Page{Title: v.P.Title, Nav: "proposals", Error: errMsg, D: d})
}

func has(as []zhengxie.Action, a zhengxie.Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// assignmentsOf reads the 交办 form: one kind select (and optional due date) per unit.
func assignmentsOf(r *http.Request) []zhengxie.Assignment {
	var as []zhengxie.Assignment
	for key, vals := range r.PostForm {
		if !strings.HasPrefix(key, "kind_") || len(vals) == 0 || vals[0] == "" {
			continue
		}
		uid, err := strconv.ParseInt(strings.TrimPrefix(key, "kind_"), 10, 64)
		if err != nil {
			continue
		}
		as = append(as, zhengxie.Assignment{UnitID: uid, Kind: vals[0], Due: strings.TrimSpace(r.PostForm.Get("due_" + strconv.FormatInt(uid, 10)))})
	}
	// Map iteration order is random; keep a stable order (lead first, then by unit).
	sortAssignments(as)
	return as
}

func sortAssignments(as []zhengxie.Assignment) {
	rank := map[string]int{zhengxie.TaskLead: 0, zhengxie.TaskSeparate: 1, zhengxie.TaskCo: 2}
	for i := 1; i < len(as); i++ {
		for j := i; j > 0; j-- {
			a, b := as[j-1], as[j]
			if rank[a.Kind] > rank[b.Kind] || (rank[a.Kind] == rank[b.Kind] && a.UnitID > b.UnitID) {
				as[j-1], as[j] = b, a
			}
		}
	}
}
