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
