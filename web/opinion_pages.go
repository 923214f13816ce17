package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
)

// Opinion reports (社情民意信息) and the issues of 《社情民意》: the member
// files and follows each step; the office edits, merges, rejects, compiles
// issues, prints and sends them, and records adoption, instructions and
// feedback.

func (s *Server) reportList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	state := zhengxie.ReportState(r.URL.Query().Get("state"))
	rs, err := s.Svc.Reports(r.Context(), a, state)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "opinion_list", &Page{Title: "社情民意信息", Nav: "reports", D: map[string]any{
		"Reports": rs, "State": string(state), "ExportQuery": template.URL(r.URL.RawQuery), "Office": a.Role == zhengxie.RoleOffice, "CanFile": app.MayFileReport(a) == nil,
		"States": []zhengxie.ReportState{zhengxie.ReportSubmitted, zhengxie.ReportCompiled, zhengxie.ReportAdopted, zhengxie.ReportRejected, zhengxie.ReportMerged}}})
}

type reportFormData struct {
	In  app.ReportInput
	Err formErr
}

func (s *Server) reportNew(w http.ResponseWriter, r *http.Request) {
	err := requireUser(r)
	if err == nil {
		err = app.MayFileReport(actorOf(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "opinion_form", &Page{Title: "报送社情民意信息", Nav: "reports", D: &reportFormData{}})
}

func (s *Server) reportCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in app.ReportInput
	var err error
	for _, f := range []struct {
		dst  *string
		name string
	}{{&in.Title, "title"}, {&in.Body, "body"}, {&in.Sources, "sources"}, {&in.OnBehalf, "on_behalf"}} {
		if err == nil {
			*f.dst, err = formText(r, f.name)
		}
	}
	var rep *zhengxie.Report
	if err == nil {
		rep, err = s.Svc.FileReport(r.Context(), actorOf(r), in)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, "opinion_form", &Page{Title: "报送社情民意信息", Nav: "reports", Error: zhengxie.ErrorMessage(err), D: &reportFormData{In: in, Err: formErrOf(err)}})
		return
	}
	redirect(w, r, "/reports/"+strconv.FormatInt(rep.ID, 10), "report_filed")
}

type reportShowData struct {
	V       *app.ReportView
	Similar []app.SimilarReport
	Levels  []string
	Err     formErr
	Today   string
}

func (s *Server) loadReport(r *http.Request, id int64) (*reportShowData, error) {
	a := actorOf(r)
	v, err := s.Svc.Report(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	d := &reportShowData{V: v, Levels: zhengxie.Levels, Today: zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime()).String()}
	if a.Role == zhengxie.RoleOffice && v.R.State == zhengxie.ReportSubmitted {
		d.Similar, _ = s.Svc.SimilarReports(r.Context(), a, id)
	}
	return d, nil
}

func (s *Server) reportShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.loadReport(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "opinion_show", &Page{Title: d.V.R.Title, Nav: "reports", D: d})
}

func reportActInputOf(r *http.Request) (app.ReportActInput, error) {
	in := app.ReportActInput{Into: formInt(r, "into")}
	rec := &in.Record
	var err error
	var on string
	for _, f := range []struct {
		dst  *string
		name string
	}{{&in.Title, "title"}, {&in.Body, "body"}, {&in.Note, "note"}, {&rec.Level, "level"}, {&rec.Place, "place"}, {&rec.Person, "person"}, {&rec.Text, "text"}, {&on, "on"}} {
		if err == nil {
			*f.dst, err = formText(r, f.name)
		}
	}
	if err == nil && on != "" {
		if rec.On, err = zhengxie.ParseDate(on); err != nil {
			err = zhengxie.FieldError("on", "日期格式应为2026-03-05")
		}
	}
	return in, err
}

func (s *Server) reportAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var action zhengxie.ReportAction
	switch r.PathValue("action") {
	case "edit", "merge", "reject", "adopt", "instruct", "feedback", "withdraw":
		action = zhengxie.ReportAction(r.PathValue("action"))
	default:
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	in, err := reportActInputOf(r)
	if err == nil {
		_, err = s.Svc.ReportAct(r.Context(), actorOf(r), id, action, in)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		d, lerr := s.loadReport(r, id)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		d.Err = formErrOf(err)
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, "opinion_show", &Page{Title: d.V.R.Title, Nav: "reports", D: d, Error: d.Err.Msg})
		return
	}
	redirect(w, r, "/reports/"+strconv.FormatInt(id, 10), "report_done")
}

type issueListData struct {
	Issues     []zhengxie.Issue
	Ready      []zhengxie.Report
	Recipients []string
	Err        formErr
}

func (s *Server) renderIssues(w http.ResponseWriter, r *http.Request, status int, errMsg error) {
	a := actorOf(r)
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if !zhengxie.SeesAll(a.Role) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有政协机关和领导可以查看《社情民意》期刊列表"))
		return
	}
	d := &issueListData{Recipients: zhengxie.DefaultRecipients}
	var err error
	if d.Issues, err = s.Svc.Store.Issues(r.Context(), a.CommitteeID); err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Role == zhengxie.RoleOffice {
		if d.Ready, err = s.Svc.Reports(r.Context(), a, zhengxie.ReportSubmitted); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	page := &Page{Title: "《社情民意》", Nav: "issues", D: d}
	if errMsg != nil {
		d.Err = formErrOf(errMsg)
		page.Error = d.Err.Msg
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, "opinion_issues", page)
}

func (s *Server) issueList(w http.ResponseWriter, r *http.Request) {
	s.renderIssues(w, r, http.StatusOK, nil)
}

func (s *Server) issueCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	i := &zhengxie.Issue{}
	var err error
	if i.Title, err = formText(r, "title"); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, v := range r.Form["report_ids"] {
		if id := parseID(v); id != 0 {
			i.ReportIDs = append(i.ReportIDs, id)
		}
	}
	for _, v := range r.Form["recipients"] {
		if v = strings.TrimSpace(v); v != "" {
			i.Recipients = append(i.Recipients, v)
		}
	}
	if extra := strings.TrimSpace(r.FormValue("other_recipients")); extra != "" {
		for _, v := range strings.FieldsFunc(extra, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == '\n' }) {
			i.Recipients = append(i.Recipients, strings.TrimSpace(v))
		}
	}
	if err := s.Svc.CompileIssue(r.Context(), actorOf(r), i); err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderIssues(w, r, http.StatusUnprocessableEntity, err)
		return
	}
	redirect(w, r, "/issues/"+strconv.FormatInt(i.ID, 10), "issue_created")
}

func (s *Server) issueShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Issue(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Svc.Store.Committee(r.Context(), actorOf(r).CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "opinion_issue", &Page{Title: "《社情民意》" + v.I.Label(), Nav: "issues", D: map[string]any{"V": v, "Committee": c,
		"Office": actorOf(r).Role == zhengxie.RoleOffice}})
}

func (s *Server) issueSend(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err == nil {
		_, err = s.Svc.SendIssue(r.Context(), actorOf(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/issues/"+strconv.FormatInt(id, 10), "issue_sent")
}
