package web

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"zhengxie"
	"zhengxie/app"
)

// reportYear is ?year=, or the year of the committee's current session.
func (s *Server) reportYear(r *http.Request, committeeID int64) (int, error) {
	if v := r.FormValue("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1990 || y > 2200 {
			return 0, zhengxie.FieldError("year", "年度无效，请填写四位年份（如 2026）")
		}
		return y, nil
	}
	sessions, err := s.Svc.Store.Sessions(r.Context(), committeeID)
	if err != nil {
		return 0, err
	}
	for _, se := range sessions {
		if se.Current {
			return se.Year, nil
		}
	}
	if len(sessions) > 0 {
		return sessions[0].Year, nil
	}
	return zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime()).Year, nil
}

func (s *Server) annualReportOf(r *http.Request) (*app.AnnualReport, error) {
	if err := requireUser(r); err != nil {
		return nil, err
	}
	a := actorOf(r)
	year, err := s.reportYear(r, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	return s.Svc.AnnualReport(r.Context(), a, a.CommitteeID, year)
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	rep, err := s.annualReportOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "report_annual", &Page{Title: "年度提案工作报告", Nav: "report", D: map[string]any{
		"R": rep, "CanEdit": app.CanEditReport(actorOf(r), rep.Committee.ID), "Edit": r.URL.Query().Get("edit") == "1"}})
}

func (s *Server) reportPrint(w http.ResponseWriter, r *http.Request) {
	rep, err := s.annualReportOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "report_annual_print", &Page{Title: rep.Title, Nav: "report", D: rep})
}

func (s *Server) reportSave(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	year, err := s.reportYear(r, a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	chapters := map[string]string{}
	reset := r.FormValue("reset") == "1"
	var current *app.AnnualReport
	if reset {
		if current, err = s.Svc.AnnualReport(r.Context(), a, a.CommitteeID, year); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	for _, sec := range zhengxie.ReportSections {
		if v, ok := r.PostForm["chapter_"+sec.Key]; ok && len(v) > 0 {
			chapters[sec.Key] = v[0]
			if reset {
				chapters[sec.Key] = current.Draft(sec.Key)
			}
		}
	}
	rep, err := s.Svc.SaveAnnualReport(r.Context(), a, a.CommitteeID, year, chapters)
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		// Show the page again with the office's text and the message.
		if rep, err2 := s.Svc.AnnualReport(r.Context(), a, a.CommitteeID, year); err2 == nil {
			for i := range rep.Chapters {
				if v, ok := chapters[rep.Chapters[i].Key]; ok {
					rep.Chapters[i].Source = v
				}
			}
			w.WriteHeader(http.StatusUnprocessableEntity)
			s.render(w, r, "report_annual", &Page{Title: "年度提案工作报告", Nav: "report", Error: zhengxie.ErrorMessage(err),
				D: map[string]any{"R": rep, "CanEdit": true, "Edit": true, "Field": zhengxie.ErrorField(err)}})
			return
		}
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/reports/annual?year="+strconv.Itoa(rep.Year), "report_saved")
}

func (s *Server) reportDOCX(w http.ResponseWriter, r *http.Request) {
	rep, err := s.annualReportOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteDOCX(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	attachment(w, strconv.Itoa(rep.Year)+"年度提案工作情况报告.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Write(buf.Bytes())
}

// API.

type apiReportFigure struct {
	Name  string  `json:"name"`
	Text  string  `json:"text"`
	Value float64 `json:"value"`
	Kind  string  `json:"kind"`
}

type apiReportChapter struct {
	Key    string `json:"key"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Text   string `json:"text"`
	Edited bool   `json:"edited"`
}

type apiAnnualReport struct {
	Committee string             `json:"committee"`
	Year      int                `json:"year"`
	Title     string             `json:"title"`
	Date      string             `json:"date"`
	Edited    bool               `json:"edited"`
	UpdatedBy string             `json:"updated_by,omitempty"`
	UpdatedAt time.Time          `json:"updated_at,omitzero"`
	Figures   []apiReportFigure  `json:"figures"`
	Chapters  []apiReportChapter `json:"chapters"`
}

func toAPIAnnualReport(rep *app.AnnualReport) apiAnnualReport {
	out := apiAnnualReport{Committee: rep.Committee.Code, Year: rep.Year, Title: rep.Title, Date: rep.Today.String(),
		Figures: []apiReportFigure{}, Chapters: []apiReportChapter{}}
	if rep.Edited != nil {
		out.Edited, out.UpdatedBy, out.UpdatedAt = true, rep.Edited.UpdatedByName, rep.Edited.UpdatedAt
	}
	for _, f := range rep.Figures {
		out.Figures = append(out.Figures, apiReportFigure{f.Name, f.Text, f.Value, f.Kind})
	}
	for _, c := range rep.Chapters {
		out.Chapters = append(out.Chapters, apiReportChapter{c.Key, c.Title, c.Source, c.Text, c.Edited})
	}
	return out
}

func (s *Server) apiAnnualReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.annualReportOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIAnnualReport(rep))
}

type apiAnnualReportInput struct {
	Year     int               `json:"year"`
	Chapters map[string]string `json:"chapters"`
}

func (s *Server) apiAnnualReportSave(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiAnnualReportInput
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	if in.Year == 0 {
		y, err := s.reportYear(r, a.CommitteeID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		in.Year = y
	}
	rep, err := s.Svc.SaveAnnualReport(r.Context(), a, a.CommitteeID, in.Year, in.Chapters)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIAnnualReport(rep))
}
