package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// statsScopeOf reads the statistics filters: ?session=ID, ?year=YYYY,
// ?from=YYYY-MM-DD&to=YYYY-MM-DD (to inclusive). With none of them the
// scope is the year of the committee's current session, so that the page
// opens on "this year compared with last year".
func (s *Server) statsScopeOf(r *http.Request, c *zhengxie.Committee) (zhengxie.StatsScope, []zhengxie.Session, error) {
	q := r.URL.Query()
	sc := zhengxie.StatsScope{CommitteeID: c.ID}
	sessions, err := s.Svc.Store.Sessions(r.Context(), c.ID)
	if err != nil {
		return sc, nil, err
	}
	if v := q.Get("session"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		found := false
		for _, se := range sessions {
			found = found || se.ID == id
		}
		if err != nil || !found {
			return sc, sessions, zhengxie.FieldError("session", "所选会议不存在，请从列表中选择")
		}
		sc.SessionID = id
	}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1990 || y > 2200 {
			return sc, sessions, zhengxie.FieldError("year", "年度无效，请填写四位年份（如 2026）")
		}
		sc.Year = y
	}
	loc := zhengxie.ChinaTime()
	for _, f := range []struct {
		name string
		dst  *time.Time
		add  int
	}{{"from", &sc.Since, 0}, {"to", &sc.Until, 1}} {
		v := q.Get(f.name)
		if v == "" {
			continue
		}
		d, err := zhengxie.ParseDate(v)
		if err != nil {
			return sc, sessions, zhengxie.FieldError(f.name, "日期格式应为 2026-01-31")
		}
		*f.dst = d.AddDays(f.add).In(loc)
	}
	if !sc.Since.IsZero() && !sc.Until.IsZero() && !sc.Until.After(sc.Since) {
		return sc, sessions, zhengxie.FieldError("to", "结束日期不能早于开始日期")
	}
	if q.Get("session") == "" && q.Get("year") == "" && q.Get("from") == "" && q.Get("to") == "" && q.Get("all") != "1" {
		for _, se := range sessions {
			if se.Current {
				sc.Year = se.Year
			}
		}
		if sc.Year == 0 && len(sessions) > 0 {
			sc.Year = sessions[0].Year
		}
	}
	return sc, sessions, nil
}

// statsOf computes the statistics the request asks for: the viewer's own
// committee, or for the public pages the committee of ?c=.
func (s *Server) statsOf(r *http.Request, public bool) (*app.Stats, *zhengxie.Committee, []zhengxie.Session, error) {
	var c *zhengxie.Committee
	var err error
	if public {
		c, err = s.publicCommittee(r)
	} else {
		if err = requireUser(r); err == nil {
			c, err = s.Svc.Store.Committee(r.Context(), actorOf(r).CommitteeID)
		}
	}
	if err != nil {
		return nil, nil, nil, err
	}
	sc, sessions, err := s.statsScopeOf(r, c)
	if err != nil {
		return nil, c, sessions, err
	}
	sc.Public = public
	st, err := s.Svc.Stats(r.Context(), actorOf(r), sc, c.Code)
	return st, c, sessions, err
}

// statsTableView is a table with its chart, ready for the template.
type statsTableView struct {
	zhengxie.StatsTable
	ChartJSON string
	LinksJSON string
}

type statsSectionView struct {
	Key, Title string
	Tables     []statsTableView
}

func chartJSON(t *zhengxie.StatsTable, compare bool) (string, string) {
	if t.Chart == "" || len(t.Rows) == 0 || len(t.Columns) == 0 {
		return "", ""
	}
	labels := make([]string, len(t.Rows))
	links := make([]string, len(t.Rows))
	for i, r := range t.Rows {
		labels[i] = r.Label
		if len(r.Cells) > 0 {
			links[i] = r.Cells[0].Link
		}
	}
	var opt map[string]any
	switch t.Chart {
	case "pie":
		data := []map[string]any{}
		for i, v := range t.Column(0) {
			data = append(data, map[string]any{"name": labels[i], "value": v})
		}
		opt = map[string]any{"tooltip": map[string]any{"trigger": "item", "formatter": "{b}：{c}（{d}%）"},
			"legend": map[string]any{"bottom": 0, "type": "scroll"},
			"series": []any{map[string]any{"type": "pie", "radius": []string{"35%", "65%"}, "name": t.Columns[0], "data": data}}}
	case "line":
		series := []any{}
		for i, c := range t.Columns {
			series = append(series, map[string]any{"type": "line", "name": c, "data": t.Column(i), "smooth": false, "symbolSize": 8})
		}
		opt = map[string]any{"tooltip": map[string]any{"trigger": "axis"}, "legend": map[string]any{"top": 0},
			"grid":  map[string]any{"left": 8, "right": 16, "bottom": 8, "top": 32, "containLabel": true},
			"xAxis": map[string]any{"type": "category", "data": labels}, "yAxis": map[string]any{"type": "value", "minInterval": 1}, "series": series}
	default:
		series := []any{map[string]any{"type": "bar", "name": t.Columns[0], "data": t.Column(0)}}
		// The previous year's column, when the table has one.
		for i, c := range t.Columns {
			if c == "上年提交" && compare {
				series = append(series, map[string]any{"type": "bar", "name": c, "data": t.Column(i)})
			}
		}
		opt = map[string]any{"tooltip": map[string]any{"trigger": "axis"}, "legend": map[string]any{"top": 0},
			"grid":  map[string]any{"left": 8, "right": 8, "bottom": 8, "top": 32, "containLabel": true},
			"xAxis": map[string]any{"type": "category", "data": labels, "axisLabel": map[string]any{"interval": 0, "rotate": 30}},
			"yAxis": map[string]any{"type": "value", "minInterval": 1}, "series": series}
	}
	a, _ := json.Marshal(opt)
	b, _ := json.Marshal(links)
	return string(a), string(b)
}

func statsViews(st *app.Stats) []statsSectionView {
	var out []statsSectionView
	for _, sec := range st.Sections {
		v := statsSectionView{Key: sec.Key, Title: sec.Title}
		for _, t := range sec.Tables {
			tv := statsTableView{StatsTable: t}
			tv.ChartJSON, tv.LinksJSON = chartJSON(&t, st.Compare)
			v.Tables = append(v.Tables, tv)
		}
		out = append(out, v)
	}
	return out
}

func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) {
	s.renderStats(w, r, false)
}

func (s *Server) publicStatsPage(w http.ResponseWriter, r *http.Request) {
	s.renderStats(w, r, true)
}

func (s *Server) renderStats(w http.ResponseWriter, r *http.Request, public bool) {
	st, c, sessions, err := s.statsOf(r, public)
	if err != nil && c == nil {
		s.fail(w, r, err)
		return
	}
	nav := "stats"
	if public {
		nav = "public"
	}
	p := &Page{Title: "提案统计", Nav: nav}
	d := map[string]any{"Committee": c, "Sessions": sessions, "Q": r.URL.Query(), "PublicPage": public,
		"Query": r.URL.RawQuery, "Stats": st, "Today": zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime())}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		p.Error = zhengxie.ErrorMessage(err)
		w.WriteHeader(http.StatusUnprocessableEntity)
	} else {
		d["Views"] = statsViews(st)
		d["Scope"] = scopeText(st.Scope, sessions)
	}
	p.D = d
	s.render(w, r, "stats_index", p)
}

// scopeText names the scope in words: "2026年（二届三次会议）".
func scopeText(sc zhengxie.StatsScope, sessions []zhengxie.Session) string {
	var t string
	if sc.Year != 0 {
		t = strconv.Itoa(sc.Year) + "年"
	}
	for _, se := range sessions {
		if se.ID == sc.SessionID {
			t += se.Name
		}
	}
	loc := zhengxie.ChinaTime()
	if !sc.Since.IsZero() || !sc.Until.IsZero() {
		from, to := "", ""
		if !sc.Since.IsZero() {
			from = zhengxie.DateOf(sc.Since, loc).Chinese()
		}
		if !sc.Until.IsZero() {
			to = zhengxie.DateOf(sc.Until.AddDate(0, 0, -1), loc).Chinese()
		}
		t += "提交于" + from + "至" + to
	}
	if t == "" {
		t = "全部年度"
	}
	if sc.Public {
		t += "，已公开的提案"
	}
	return t
}

func (s *Server) statsXLSX(w http.ResponseWriter, r *http.Request) {
	st, c, sessions, err := s.statsOf(r, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F3E2E3"}}})
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	first := true
	used := map[string]bool{}
	addSheet := func(title string) string {
		name := sheetName(title, used)
		if first {
			f.SetSheetName("Sheet1", name)
			first = false
		} else {
			f.NewSheet(name)
		}
		return name
	}
	sh := addSheet("概况")
	f.SetSheetRow(sh, "A1", &[]any{c.Name + "提案统计：" + scopeText(st.Scope, sessions)})
	f.SetSheetRow(sh, "A2", &[]any{"指标", "数值", "上年", "比较"})
	f.SetCellStyle(sh, "A2", "D2", head)
	for i, fg := range st.Summary {
		row := []any{fg.Label, fg.Value}
		if fg.HasPrev {
			row = append(row, fg.Prev, fg.ChangeText())
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		f.SetSheetRow(sh, cell, &row)
		if fg.Percent {
			b, _ := excelize.CoordinatesToCellName(2, i+3)
			cc, _ := excelize.CoordinatesToCellName(3, i+3)
			f.SetCellStyle(sh, b, cc, pct)
		}
	}
	f.SetColWidth(sh, "A", "A", 28)
	f.SetColWidth(sh, "D", "D", 30)
	for _, sec := range st.Sections {
		for _, t := range sec.Tables {
			sh := addSheet(t.Title)
			header := []any{"项目"}
			for _, col := range t.Columns {
				header = append(header, col)
			}
			f.SetSheetRow(sh, "A1", &header)
			last, _ := excelize.CoordinatesToCellName(len(header), 1)
			f.SetCellStyle(sh, "A1", last, head)
			for i, row := range t.Rows {
				vals := []any{row.Label}
				for _, cell := range row.Cells {
					vals = append(vals, cell.Value)
				}
				cell, _ := excelize.CoordinatesToCellName(1, i+2)
				f.SetSheetRow(sh, cell, &vals)
				for j, cl := range row.Cells {
					if cl.Percent {
						ref, _ := excelize.CoordinatesToCellName(j+2, i+2)
						f.SetCellStyle(sh, ref, ref, pct)
					}
				}
			}
			f.SetColWidth(sh, "A", "A", 36)
		}
	}
	if len(st.Pending) > 0 {
		sh := addSheet("说明")
		f.SetSheetRow(sh, "A1", &[]any{"以下模块尚未上线，其统计将在上线后加入："})
		for i, m := range st.Pending {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			f.SetSheetRow(sh, cell, &[]any{m.Title})
		}
	}
	attachment(w, "提案统计.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	if err := f.Write(w); err != nil {
		s.Log.Warn("stats xlsx", "err", err)
	}
}

// sheetName makes a valid, unique sheet name (at most 31 characters, none
// of : \ / ? * [ ]).
func sheetName(title string, used map[string]bool) string {
	rs := []rune{}
	for _, c := range title {
		switch c {
		case ':', '\\', '/', '?', '*', '[', ']', '：':
			c = '_'
		}
		rs = append(rs, c)
	}
	if len(rs) > 28 {
		rs = rs[:28]
	}
	name := string(rs)
	for i := 2; used[name]; i++ {
		name = string(rs) + strconv.Itoa(i)
	}
	used[name] = true
	return name
}

// attachment sets the headers of a download with a Chinese file name.
func attachment(w http.ResponseWriter, name, ctype string) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
}

// API representations of the statistics.

type apiStatsCell struct {
	Value   float64 `json:"value"`
	Percent bool    `json:"percent"`
	Text    string  `json:"text"`
	Link    string  `json:"link,omitempty"`
}

type apiStatsRow struct {
	Label string         `json:"label"`
	Cells []apiStatsCell `json:"cells"`
}

type apiStatsTable struct {
	Key     string        `json:"key"`
	Title   string        `json:"title"`
	Columns []string      `json:"columns"`
	Chart   string        `json:"chart,omitempty"`
	Rows    []apiStatsRow `json:"rows"`
}

type apiStatsSection struct {
	Key    string          `json:"key"`
	Title  string          `json:"title"`
	Tables []apiStatsTable `json:"tables"`
}

type apiStatsFigure struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Value   float64  `json:"value"`
	Percent bool     `json:"percent"`
	Text    string   `json:"text"`
	Prev    *float64 `json:"prev,omitempty"`
	Change  string   `json:"change,omitempty"`
	Link    string   `json:"link,omitempty"`
}

type apiStatsModule struct {
	Key   string `json:"key"`
	Title string `json:"title"`
}

type apiStats struct {
	Committee string            `json:"committee"`
	Scope     string            `json:"scope"`
	Public    bool              `json:"public"`
	Compare   bool              `json:"compare"`
	Summary   []apiStatsFigure  `json:"summary"`
	Sections  []apiStatsSection `json:"sections"`
	Pending   []apiStatsModule  `json:"pending"`
}

func toAPIStats(st *app.Stats, c *zhengxie.Committee, sessions []zhengxie.Session) apiStats {
	out := apiStats{Committee: c.Code, Scope: scopeText(st.Scope, sessions), Public: st.Public, Compare: st.Compare,
		Summary: []apiStatsFigure{}, Sections: []apiStatsSection{}, Pending: []apiStatsModule{}}
	for _, f := range st.Summary {
		a := apiStatsFigure{Key: f.Key, Label: f.Label, Value: f.Value, Percent: f.Percent, Text: f.Text(), Link: f.Link}
		if f.HasPrev {
			p := f.Prev
			a.Prev, a.Change = &p, f.ChangeText()
		}
		out.Summary = append(out.Summary, a)
	}
	for _, sec := range st.Sections {
		as := apiStatsSection{Key: sec.Key, Title: sec.Title, Tables: []apiStatsTable{}}
		for _, t := range sec.Tables {
			at := apiStatsTable{Key: t.Key, Title: t.Title, Columns: t.Columns, Chart: t.Chart, Rows: []apiStatsRow{}}
			if at.Columns == nil {
				at.Columns = []string{}
			}
			for _, r := range t.Rows {
				ar := apiStatsRow{Label: r.Label, Cells: []apiStatsCell{}}
				for _, cl := range r.Cells {
					ar.Cells = append(ar.Cells, apiStatsCell{Value: cl.Value, Percent: cl.Percent, Text: cl.Text(), Link: cl.Link})
				}
				at.Rows = append(at.Rows, ar)
			}
			as.Tables = append(as.Tables, at)
		}
		out.Sections = append(out.Sections, as)
	}
	for _, m := range st.Pending {
		out.Pending = append(out.Pending, apiStatsModule{m.Key, m.Title})
	}
	return out
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	st, c, sessions, err := s.statsOf(r, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIStats(st, c, sessions))
}

func (s *Server) apiPublicStats(w http.ResponseWriter, r *http.Request) {
	// Public figures change only when a publication does (the clock's
	// "overdue" is not in the public subset), so they carry validators.
	if c, err := s.publicCommittee(r); err == nil {
		etag, last, err := s.publishedValidator(r, c, "stats?"+r.URL.RawQuery)
		if err == nil && notModified(w, r, etag, last) {
			return
		}
	}
	st, c, sessions, err := s.statsOf(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIStats(st, c, sessions))
}

// statsFilterOf adds the statistics' filters to a proposal list's, so that
// each figure's link shows the proposals it counts.
func statsFilterOf(r *http.Request, f *store.ProposalFilter) {
	q := r.URL.Query()
	f.Kind = q.Get("kind")
	f.SectorID, _ = strconv.ParseInt(q.Get("sector"), 10, 64)
	f.Year, _ = strconv.Atoi(q.Get("year"))
	f.ResultClass = q.Get("result")
	f.Feedback = q.Get("feedback")
	f.Rehandled = q.Get("rehandled") == "1"
	loc := zhengxie.ChinaTime()
	if d, err := zhengxie.ParseDate(q.Get("from")); err == nil {
		f.Since = d.In(loc)
	}
	if d, err := zhengxie.ParseDate(q.Get("to")); err == nil {
		f.Until = d.AddDays(1).In(loc)
	}
}
