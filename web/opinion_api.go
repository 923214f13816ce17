package web

import (
	"net/http"

	"zhengxie"
	"zhengxie/app"
)

// Opinion reports and issues over the JSON API.

type apiReport struct {
	ID         int64   `json:"id"`
	Title      string  `json:"title"`
	Body       string  `json:"body"`
	Sources    string  `json:"sources"`
	ReporterID int64   `json:"reporter_id"`
	Reporter   string  `json:"reporter"`
	MemberIDs  []int64 `json:"member_ids"`
	OnBehalf   string  `json:"on_behalf"`
	MatterID   int64   `json:"matter_id"`
	State      string  `json:"state"`
	StateName  string  `json:"state_name"`
	Version    int     `json:"version"`
	MergedInto int64   `json:"merged_into"`
	Reason     string  `json:"reason"`
	IssueID    int64   `json:"issue_id"`
	Issue      string  `json:"issue"`
	CreatedAt  string  `json:"created_at"`
}

type apiReportVersion struct {
	N         int    `json:"n"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Editor    string `json:"editor"`
	Note      string `json:"note"`
	CreatedAt string `json:"created_at"`
}

type apiReportRecord struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Level  string `json:"level"`
	Place  string `json:"place"`
	Person string `json:"person"`
	Text   string `json:"text"`
	On     string `json:"on"`
	By     string `json:"by"`
}

type apiReportDetail struct {
	apiReport
	Versions []apiReportVersion `json:"versions"`
	Records  []apiReportRecord  `json:"records"`
	Allowed  []string           `json:"allowed"`
	// SourceMatter: the matter it was made from, for those who may see it.
	SourceMatter *apiSourceMatter `json:"source_matter,omitempty"`
}

func toAPIReport(r *zhengxie.Report) apiReport {
	out := apiReport{ID: r.ID, Title: r.Title, Body: r.Body, Sources: r.Sources, ReporterID: r.ReporterID, Reporter: r.ReporterName, MemberIDs: r.MemberIDs,
		OnBehalf: r.OnBehalf, MatterID: r.MatterID, State: string(r.State), StateName: r.State.Name(), Version: r.Version, MergedInto: r.MergedInto,
		Reason: r.Reason, IssueID: r.IssueID, Issue: r.IssueLabel, CreatedAt: apiTime(r.CreatedAt)}
	if out.MemberIDs == nil {
		out.MemberIDs = []int64{}
	}
	return out
}

func toAPIReportDetail(v *app.ReportView) apiReportDetail {
	out := apiReportDetail{apiReport: toAPIReport(v.R), Versions: []apiReportVersion{}, Records: []apiReportRecord{}, Allowed: []string{},
		SourceMatter: toAPISourceMatter(v.Matter)}
	for _, x := range v.Versions {
		out.Versions = append(out.Versions, apiReportVersion{x.N, x.Title, x.Body, x.Editor, x.Note, apiTime(x.CreatedAt)})
	}
	for _, x := range v.Records {
		out.Records = append(out.Records, apiReportRecord{x.ID, x.Kind, x.Level, x.Place, x.Person, x.Text, x.On.String(), x.By})
	}
	for _, a := range v.Allowed {
		if a != zhengxie.ReportActCompile {
			out.Allowed = append(out.Allowed, string(a))
		}
	}
	return out
}

func (s *Server) apiReports(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := s.Svc.Reports(r.Context(), actorOf(r), zhengxie.ReportState(r.URL.Query().Get("state")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []apiReport{}
	for i := range rs {
		out = append(out, toAPIReport(&rs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

type apiReportInput struct {
	Title    string `json:"title"`
	Body     string `json:"body"`
	Sources  string `json:"sources"`
	OnBehalf string `json:"on_behalf"`
}

func (s *Server) apiReportCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiReportInput
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.Svc.FileReport(r.Context(), actorOf(r), app.ReportInput{Title: in.Title, Body: in.Body, Sources: in.Sources, OnBehalf: in.OnBehalf})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIReport(rep))
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Report(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIReportDetail(v))
}

func (s *Server) apiReportSimilar(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sim, err := s.Svc.SimilarReports(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type item struct {
		ID    int64   `json:"id"`
		Title string  `json:"title"`
		Score float64 `json:"score"`
	}
	out := []item{}
	for _, x := range sim {
		out = append(out, item{x.R.ID, x.R.Title, x.Score})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

type apiReportActInput struct {
	Title  string `json:"title"`
	Body   string `json:"body"`
	Note   string `json:"note"`
	Into   int64  `json:"into"`
	Level  string `json:"level"`
	Place  string `json:"place"`
	Person string `json:"person"`
	Text   string `json:"text"`
	On     string `json:"on"`
}

func (s *Server) apiReportAction(w http.ResponseWriter, r *http.Request) {
	var in apiReportActInput
	id, ok := s.objectInput(w, r, &in)
	if !ok {
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
	ai := app.ReportActInput{Title: in.Title, Body: in.Body, Note: in.Note, Into: in.Into,
		Record: zhengxie.ReportRecord{Level: in.Level, Place: in.Place, Person: in.Person, Text: in.Text}}
	if in.On != "" {
		d, err := zhengxie.ParseDate(in.On)
		if err != nil {
			s.fail(w, r, zhengxie.FieldError("on", "日期格式应为2026-03-05"))
			return
		}
		ai.Record.On = d
	}
	a := actorOf(r)
	if _, err := s.Svc.ReportAct(r.Context(), a, id, action, ai); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Report(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIReportDetail(v))
}

type apiIssue struct {
	ID         int64       `json:"id"`
	Year       int         `json:"year"`
	Number     int         `json:"number"`
	Label      string      `json:"label"`
	Title      string      `json:"title"`
	Recipients []string    `json:"recipients"`
	ReportIDs  []int64     `json:"report_ids"`
	SentAt     string      `json:"sent_at,omitempty"`
	Reports    []apiReport `json:"reports,omitempty"`
}

func toAPIIssue(i *zhengxie.Issue) apiIssue {
	out := apiIssue{ID: i.ID, Year: i.Year, Number: i.Number, Label: i.Label(), Title: i.Title, Recipients: i.Recipients, ReportIDs: i.ReportIDs, SentAt: apiTime(i.SentAt)}
	if out.Recipients == nil {
		out.Recipients = []string{}
	}
	if out.ReportIDs == nil {
		out.ReportIDs = []int64{}
	}
	return out
}

func (s *Server) apiIssues(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	if !zhengxie.SeesAll(a.Role) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有政协机关和领导可以查看《社情民意》期刊列表"))
		return
	}
	is, err := s.Svc.Store.Issues(r.Context(), a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []apiIssue{}
	for i := range is {
		out = append(out, toAPIIssue(&is[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (s *Server) apiIssueCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Title      string   `json:"title"`
		Recipients []string `json:"recipients"`
		ReportIDs  []int64  `json:"report_ids"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	i := &zhengxie.Issue{Title: in.Title, Recipients: in.Recipients, ReportIDs: in.ReportIDs}
	if err := s.Svc.CompileIssue(r.Context(), actorOf(r), i); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeIssue(w, r, i.ID, http.StatusCreated)
}

func (s *Server) writeIssue(w http.ResponseWriter, r *http.Request, id int64, status int) {
	v, err := s.Svc.Issue(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := toAPIIssue(v.I)
	out.Reports = []apiReport{}
	for i := range v.Reports {
		out.Reports = append(out.Reports, toAPIReport(&v.Reports[i]))
	}
	writeJSON(w, status, out)
}

func (s *Server) apiIssue(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeIssue(w, r, id, http.StatusOK)
}

func (s *Server) apiIssueSend(w http.ResponseWriter, r *http.Request) {
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
	s.writeIssue(w, r, id, http.StatusOK)
}
