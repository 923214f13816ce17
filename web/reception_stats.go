package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"zhengxie"
	"zhengxie/app"
)

// Statistics of contact with the people: page with charts, XLSX, JSON.

func statsYear(r *http.Request) int {
	y, _ := strconv.Atoi(r.URL.Query().Get("year"))
	if y < 2000 || y > 2100 {
		return 0
	}
	return y
}

func (s *Server) contactStats(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.Svc.ContactStatistics(r.Context(), actorOf(r), statsYear(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "reception_stats", &Page{Title: "联系群众统计", Nav: "contact", D: map[string]any{"S": st, "Levels": zhengxie.Levels}})
}

func (s *Server) contactStatsXLSX(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	year := statsYear(r)
	if err := s.Svc.ContactStatsXLSX(r.Context(), actorOf(r), year, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	if year == 0 {
		year = zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime()).Year
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="contact-%d.xlsx"`, year))
	w.Write(buf.Bytes())
}

type apiContactRow struct {
	Key        string         `json:"key"`
	Name       string         `json:"name"`
	Receptions int            `json:"receptions"`
	Citizens   int            `json:"citizens"`
	Matters    int            `json:"matters"`
	Answered   int            `json:"answered"`
	OnTime     int            `json:"on_time"`
	Settled    int            `json:"settled"`
	Filed      int            `json:"reports_filed"`
	Compiled   int            `json:"reports_compiled"`
	Adopted    map[string]int `json:"reports_adopted"`
	Instructed int            `json:"reports_instructed"`
}

func toAPIContactRows(rs []app.ContactRow) []apiContactRow {
	out := []apiContactRow{}
	for _, r := range rs {
		out = append(out, apiContactRow{r.Key, r.Name, r.Receptions, r.Citizens, r.Matters, r.Answered, r.OnTime, r.Settled, r.Filed, r.Compiled, r.Adopted, r.Instructed})
	}
	return out
}

func (s *Server) apiContactStats(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.Svc.ContactStatistics(r.Context(), actorOf(r), statsYear(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": st.Year, "total": toAPIContactRows([]app.ContactRow{st.Total})[0],
		"stations": toAPIContactRows(st.Stations), "members": toAPIContactRows(st.Members), "categories": toAPIContactRows(st.Categories),
		"months": toAPIContactRows(st.Months)})
}
