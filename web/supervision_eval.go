package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
)

// The evaluation of units (承办单位考评).

type svEvalData struct {
	*app.Evaluation
	Infos []app.CriterionInfo
	Err   formErr
	Form  map[string]string
	Edit  bool
}

func (s *Server) svRenderEvaluation(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	a := actorOf(r)
	e, err := s.Svc.Evaluate(r.Context(), a, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &svEvalData{Evaluation: e, Infos: e.Criteria.Infos(), Err: fe, Form: svForm(r),
		Edit: a.Role == zhengxie.RoleOffice || a.Role == zhengxie.RoleAdmin}
	s.svPage(w, r, status, "supervise_eval", "承办单位考评", "evaluation", fe, d)
}

func (s *Server) svEvaluation(w http.ResponseWriter, r *http.Request) {
	s.svRenderEvaluation(w, r, 0, formErr{})
}

func (s *Server) svEvaluationXLSX(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	var buf bytes.Buffer
	e, err := s.Svc.EvaluationXLSX(r.Context(), actorOf(r), year, &buf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("承办单位考评-%d.xlsx", e.Year)
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"evaluation-%d.xlsx\"; filename*=UTF-8''%s", e.Year, url.PathEscape(name)))
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func (s *Server) svEvaluationUnit(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	b, err := s.Svc.UnitBreakdown(r.Context(), actorOf(r), svID(r, "id"), year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, 0, "supervise_eval_unit", b.Unit.Name+"考评明细", "evaluation", formErr{}, b)
}

func (s *Server) svSaveCriteria(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	n := func(k string) int { v, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(k))); return v }
	c := app.Criteria{OnTime: n("on_time"), Contact: n("contact"), Satisfaction: n("satisfaction"), Returns: n("returns"),
		Rehandle: n("rehandle"), Basically: n("basically")}
	if err := s.Svc.SaveCriteria(r.Context(), actorOf(r), c); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderEvaluation(w, r, status, fe) })
		return
	}
	redirect(w, r, "/evaluation", "sv_criteria")
}

// ---- API ----

// apiEvalRow is a unit's line of the ranking. Rates are in [0,1], -1 when
// nothing counts yet for the criterion; score is 0–100, -1 without data.
type apiEvalRow struct {
	Rank             int     `json:"rank"`
	UnitID           int64   `json:"unit_id"`
	UnitName         string  `json:"unit_name"`
	Assigned         int     `json:"assigned"`
	Due              int     `json:"due"`
	OnTime           int     `json:"on_time"`
	Replied          int     `json:"replied"`
	Contacted        int     `json:"contacted"`
	Rated            int     `json:"rated"`
	Satisfied        int     `json:"satisfied"`
	Basically        int     `json:"basically"`
	Unsatisfied      int     `json:"unsatisfied"`
	Returned         int     `json:"returned"`
	Rehandled        int     `json:"rehandled"`
	OnTimeRate       float64 `json:"on_time_rate"`
	ContactRate      float64 `json:"contact_rate"`
	SatisfactionRate float64 `json:"satisfaction_rate"`
	ReturnRate       float64 `json:"return_rate"`
	RehandleRate     float64 `json:"rehandle_rate"`
	Score            float64 `json:"score"`
}

func toAPIEvalRow(e *app.EvalRow) apiEvalRow {
	t := e.UnitTally
	return apiEvalRow{Rank: e.Rank, UnitID: t.UnitID, UnitName: t.UnitName, Assigned: t.Assigned, Due: t.Due, OnTime: t.OnTime, Replied: t.Replied,
		Contacted: t.Contacted, Rated: t.Rated, Satisfied: t.Satisfied, Basically: t.Basically, Unsatisfied: t.Unsatisfied, Returned: t.Returned,
		Rehandled: t.Rehandled, OnTimeRate: t.OnTimeRate, ContactRate: t.ContactRate, SatisfactionRate: t.SatisfactionRate, ReturnRate: t.ReturnRate,
		RehandleRate: t.RehandleRate, Score: t.Score}
}

type apiCriterion struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Rule   string `json:"rule"`
	Weight int    `json:"weight"`
}

type apiCriteria struct {
	Weights app.Criteria   `json:"weights"`
	Items   []apiCriterion `json:"items"`
}

func toAPICriteria(c app.Criteria) apiCriteria {
	out := apiCriteria{Weights: c, Items: []apiCriterion{}}
	for _, i := range c.Infos() {
		out.Items = append(out.Items, apiCriterion{i.Code, i.Name, i.Rule, i.Weight})
	}
	return out
}

type apiEvaluation struct {
	Year     int          `json:"year"`
	Today    string       `json:"today"`
	Years    []int        `json:"years"`
	Criteria apiCriteria  `json:"criteria"`
	Items    []apiEvalRow `json:"items"`
}

func evalYear(r *http.Request) (int, error) { return queryInt(r, "year", 0, 2000, 2999) }

// apiEvaluation is GET /api/v1/evaluation?year=: the ranking of the units.
func (s *Server) apiEvaluation(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		year, err := evalYear(r)
		if err != nil {
			return nil, err
		}
		e, err := s.Svc.Evaluate(r.Context(), a, year)
		if err != nil {
			return nil, err
		}
		out := apiEvaluation{Year: e.Year, Today: e.Today.String(), Years: append([]int{}, e.Years...), Criteria: toAPICriteria(e.Criteria), Items: []apiEvalRow{}}
		for i := range e.Rows {
			out.Items = append(out.Items, toAPIEvalRow(&e.Rows[i]))
		}
		return out, nil
	})
}

// apiCriteria is GET /api/v1/evaluation/criteria: the weights in force.
func (s *Server) apiCriteria(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		e, err := s.Svc.Evaluate(r.Context(), a, 0) // the same permission as the ranking
		if err != nil {
			return nil, err
		}
		return toAPICriteria(e.Criteria), nil
	})
}

// apiSaveCriteria is PUT /api/v1/evaluation/criteria (the office, the admin).
func (s *Server) apiSaveCriteria(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		in, err := apiInput[app.Criteria](w, r)
		if err != nil {
			return nil, err
		}
		if err := s.Svc.SaveCriteria(r.Context(), a, *in); err != nil {
			return nil, err
		}
		return toAPICriteria(s.Svc.Criteria(r.Context(), a.CommitteeID)), nil
	})
}

type apiBreakdownTask struct {
	TaskID       int64  `json:"task_id"`
	ProposalID   int64  `json:"proposal_id"`
	Title        string `json:"title"`
	Number       int    `json:"number"`
	Kind         string `json:"kind"`
	State        string `json:"state"`
	Due          string `json:"due"`
	RepliedOn    string `json:"replied_on,omitempty"`
	DueNow       bool   `json:"due_now"`
	OnTime       bool   `json:"on_time"`
	ContactBase  bool   `json:"contact_base"`
	Contacted    bool   `json:"contacted"`
	Returned     bool   `json:"returned"`
	RehandleBase bool   `json:"rehandle_base"`
	Rehandled    bool   `json:"rehandled"`
	Feedback     string `json:"feedback,omitempty"`
}

type apiBreakdown struct {
	Year     int                `json:"year"`
	Row      apiEvalRow         `json:"row"`
	Criteria apiCriteria        `json:"criteria"`
	Tasks    []apiBreakdownTask `json:"tasks"`
}

// apiEvaluationUnit is GET /api/v1/evaluation/units/{id}?year=: one unit's
// score and the tasks behind it (the unit's own staff may read theirs).
func (s *Server) apiEvaluationUnit(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		year, err := evalYear(r)
		if err != nil {
			return nil, err
		}
		b, err := s.Svc.UnitBreakdown(r.Context(), a, id, year)
		if err != nil {
			return nil, err
		}
		out := apiBreakdown{Year: b.Evaluation.Year, Row: toAPIEvalRow(&b.Row), Criteria: toAPICriteria(b.Evaluation.Criteria), Tasks: []apiBreakdownTask{}}
		for _, t := range b.Tasks {
			out.Tasks = append(out.Tasks, apiBreakdownTask{TaskID: t.ID, ProposalID: t.ProposalID, Title: t.Title, Number: t.Number, Kind: t.Kind,
				State: string(t.State), Due: t.Due.String(), RepliedOn: dateText(t.RepliedOn), DueNow: t.DueNow, OnTime: t.OnTime, ContactBase: t.ContactBase,
				Contacted: t.Contacted, Returned: t.Returned, RehandleBase: t.RehandleBase, Rehandled: t.Rehandled, Feedback: t.Feedback})
		}
		return out, nil
	})
}

// apiEvaluationXLSX is GET /api/v1/evaluation/export.xlsx: the ranking as
// the spreadsheet the page offers.
func (s *Server) apiEvaluationXLSX(w http.ResponseWriter, r *http.Request) {
	if _, err := evalYear(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.svEvaluationXLSX(w, r)
}
