package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// A member's duty record (履职档案) per year, the office's ranked table,
// the rules (points and 10件作业), the office's records of speeches and
// deeds, and the same over the API.

func init() {
	for k, v := range map[string]string{
		"duty_rules_saved": "规则已保存，正在按新规则重新计算本年度积分。",
		"duty_recompute":   "已开始重新计算，请稍候刷新。",
		"duty_record_done": "履职记录已保存，积分已更新。",
	} {
		flashes[k] = v
	}
	funcs["dutyJSON"] = func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	funcs["joinKinds"] = func(ks []string) string { return strings.Join(ks, ",") }
	funcs["allDutyKinds"] = zhengxie.DutyKinds
	funcs["now"] = time.Now
}

func (s *Server) dutyHome(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if zhengxie.SeesAll(actorOf(r).Role) {
		http.Redirect(w, r, "/duty/ranking", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/duty/record", http.StatusSeeOther)
}

// memberOf reads ?member= (the caller by default).
func memberOf(r *http.Request) int64 {
	if id, err := strconv.ParseInt(r.URL.Query().Get("member"), 10, 64); err == nil && id > 0 {
		return id
	}
	return actorOf(r).UserID
}

type recordPage struct {
	*app.MemberYear
	ItemRows   template.HTML
	SectorName string
	Years      []int
	Staff      bool
}

// recordItemRows writes the record page's item lines, as the template
// would, in one go: a member with a thousand proposals has thousands of
// lines, and html/template's per-cell calls (the escapers are calls too)
// were half of the page's time. Every text is escaped here.
func recordItemRows(m *app.MemberYear) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	for i, it := range m.Items {
		date := ""
		if !it.At.IsZero() {
			date = it.At.In(zhengxie.ChinaTime()).Format("2006-01-02")
		}
		b.WriteString(`<tr data-ref="` + esc(it.Ref) + `"><td class="nowrap">` + date + `</td><td class="nowrap">` + esc(it.Kind.Name()) + `</td><td>`)
		if link := app.ItemLink(it); link != "" {
			b.WriteString(`<a href="` + esc(link) + `">` + esc(it.Title) + `</a>`)
		} else {
			b.WriteString(esc(it.Title))
		}
		b.WriteString(`</td><td class="text-right">` + strconv.Itoa(m.ItemPoints[i]) + "</td></tr>")
	}
	return template.HTML(b.String())
}

func (s *Server) dutyRecordPage(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	if a.Role != zhengxie.RoleMember && r.URL.Query().Get("member") == "" {
		// Only members have a record of their own; the others pick one from the table.
		http.Redirect(w, r, "/duty/ranking", http.StatusSeeOther)
		return
	}
	m, err := s.Svc.MemberYear(r.Context(), a, memberOf(r), yearOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &recordPage{MemberYear: m, Staff: zhengxie.SeesAll(a.Role), ItemRows: recordItemRows(m)}
	sectors, err := s.Svc.Store.Sectors(r.Context(), a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, se := range sectors {
		if se.ID == m.Profile.User.SectorID {
			d.SectorName = se.Name
		}
	}
	now := time.Now().Year()
	d.Years = []int{now, now - 1, now - 2}
	s.render(w, r, "duty_record", &Page{Title: fmt.Sprintf("%s %d年度履职档案", m.Profile.User.Name, m.Year), Nav: "duty_record", D: d})
}

type rankingPage struct {
	*app.Ranking
	Pager  pager
	Org    *orgData
	Filter store.ProfileFilter
	Behind bool
	Query  string
	Chart  string
}

// ranking reads the page of the ranked table the request asks for (the
// page lenient about ?page= like the other lists, the API strict).
func (s *Server) ranking(r *http.Request, strict bool) (rk *app.Ranking, f store.ProfileFilter, behind bool, page, limit int, err error) {
	a := actorOf(r)
	f = profileFilterOf(r, a.CommitteeID)
	behind = r.URL.Query().Get("behind") == "1" || r.URL.Query().Get("behind") == "true"
	page, limit = pageOf(r), rankingPerPage
	if strict {
		if limit, err = queryInt(r, "limit", rankingPerPage, 1, rankingMaxLimit); err != nil {
			return
		}
		if page, err = queryInt(r, "page", 1, 1, 100000); err != nil {
			return
		}
	}
	rk, err = s.Svc.RankingPage(r.Context(), a, f, yearOf(r), behind, page, limit)
	return
}

// The ranked table is paged: a national committee has 2,200 members, and
// reading and encoding every row on every request was what made the table
// slow. Ranks, the distribution and the low-attendance count stay those of
// all the selected members; the export keeps all rows.
const rankingPerPage, rankingMaxLimit = 50, 500

func (s *Server) dutyRankingPage(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	rk, f, behind, _, limit, err := s.ranking(r, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	org, err := s.loadOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	labels, counts := []string{}, []int{}
	for _, b := range rk.Buckets {
		labels = append(labels, b.Label)
		counts = append(counts, b.Count)
	}
	chart, _ := json.Marshal(map[string]any{
		"tooltip": map[string]any{}, "grid": map[string]any{"left": 40, "right": 10, "top": 20, "bottom": 40},
		"xAxis": map[string]any{"type": "category", "data": labels}, "yAxis": map[string]any{"type": "value", "minInterval": 1},
		"series": []any{map[string]any{"type": "bar", "name": "人数", "data": counts}},
	})
	q := r.URL.Query()
	q.Del("flash")
	q.Del("page")
	s.render(w, r, "duty_ranking", &Page{Title: fmt.Sprintf("%d年度委员履职排名", rk.Year), Nav: "duty_ranking",
		D: &rankingPage{Ranking: rk, Pager: newPager(r, rk.Total, limit), Org: org, Filter: f, Behind: behind, Query: q.Encode(), Chart: string(chart)}})
}

func (s *Server) dutyRankingXLSX(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	year := yearOf(r)
	f := profileFilterOf(r, a.CommitteeID)
	perMember := r.URL.Query().Get("per_member") == "1" || r.URL.Query().Get("per_member") == "true"
	if id, err := strconv.ParseInt(r.URL.Query().Get("member"), 10, 64); err == nil && id > 0 {
		f.IDs, perMember = []int64{id}, true
	}
	b, err := s.Svc.DutyXLSX(r.Context(), a, f, year, perMember)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("%d年度委员履职档案.xlsx", year)
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"duty-%d.xlsx\"; filename*=UTF-8''%s", year, url.PathEscape(name)))
	w.Write(b)
}

// ---- rules ----

type rulesPage struct {
	Rules  zhengxie.DutyRules
	Saved  bool
	Run    store.DutyRun
	Edit   bool
	Err    formErr
	Years  []int
	Reason string
}

func (s *Server) renderRules(w http.ResponseWriter, r *http.Request, status int, rules *zhengxie.DutyRules, e formErr) {
	a := actorOf(r)
	year := yearOf(r)
	d := &rulesPage{Edit: a.Role == zhengxie.RoleAdmin, Err: e}
	var err error
	if rules != nil {
		d.Rules = *rules
		year = rules.Year
	} else if d.Rules, d.Saved, err = s.Svc.Store.DutyRules(r.Context(), a.CommitteeID, year); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Run, err = s.Svc.Store.DutyRun(r.Context(), a.CommitteeID, year); err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now().Year()
	d.Years = []int{now + 1, now, now - 1}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	page := &Page{Title: fmt.Sprintf("%d年度履职积分规则和10件作业", year), Nav: "duty_rules", D: d}
	if e.Msg != "" {
		page.Error = e.Msg
	}
	s.render(w, r, "duty_rules", page)
}

func (s *Server) dutyRulesPage(w http.ResponseWriter, r *http.Request) {
	if err := requireStaff(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderRules(w, r, http.StatusOK, nil, formErr{})
}

// rulesFromForm reads the rules form: points_<kind>, cap_<kind>, the task
// rows and the reminder days.
func rulesFromForm(r *http.Request) (*zhengxie.DutyRules, error) {
	r.ParseForm()
	year, err := strconv.Atoi(r.FormValue("year"))
	if err != nil {
		return nil, zhengxie.FieldError("year", "请选择年度")
	}
	out := &zhengxie.DutyRules{Year: year}
	num := func(name string) (int, error) {
		v := strings.TrimSpace(r.FormValue(name))
		if v == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, zhengxie.FieldError("points", "“%s”应填写整数", v)
		}
		return n, nil
	}
	for _, k := range zhengxie.DutyKinds() {
		p, err := num("points_" + string(k))
		if err != nil {
			return nil, err
		}
		c, err := num("cap_" + string(k))
		if err != nil {
			return nil, err
		}
		if p != 0 || c != 0 {
			out.Points = append(out.Points, zhengxie.PointRule{Kind: k, Points: p, Cap: c})
		}
	}
	codes, names, kinds, mins := r.Form["task_code"], r.Form["task_name"], r.Form["task_kinds"], r.Form["task_min"]
	for i := range codes {
		if i >= len(names) || i >= len(kinds) || i >= len(mins) {
			break
		}
		if strings.TrimSpace(codes[i]) == "" && strings.TrimSpace(names[i]) == "" {
			continue
		}
		m, err := strconv.Atoi(strings.TrimSpace(mins[i]))
		if err != nil {
			return nil, zhengxie.FieldError("tasks", "“%s”的最少件数应填写整数", names[i])
		}
		var ks []string
		for _, k := range strings.Split(kinds[i], ",") {
			if k = strings.TrimSpace(k); k != "" {
				ks = append(ks, k)
			}
		}
		out.Tasks = append(out.Tasks, zhengxie.DutyTask{Code: strings.TrimSpace(codes[i]), Name: strings.TrimSpace(names[i]), Kinds: ks, Min: m})
	}
	for _, d := range strings.FieldsFunc(r.FormValue("reminder_dates"), func(c rune) bool { return c == ',' || c == '，' || c == ' ' || c == '、' }) {
		out.ReminderDates = append(out.ReminderDates, d)
	}
	if out.LowAttendance, err = num("low_attendance"); err != nil {
		return nil, zhengxie.FieldError("low_attendance", "出勤率提示线应填写整数")
	}
	return out, nil
}

func (s *Server) dutyRulesSave(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if actorOf(r).Role != zhengxie.RoleAdmin {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以设置履职积分规则和10件作业。"))
		return
	}
	rules, err := rulesFromForm(r)
	if err == nil {
		err = s.Svc.SaveDutyRules(r.Context(), actorOf(r), rules)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid || rules == nil {
			s.fail(w, r, err)
			return
		}
		s.renderRules(w, r, http.StatusUnprocessableEntity, rules, formErrOf(err))
		return
	}
	redirect(w, r, fmt.Sprintf("/duty/rules?year=%d", rules.Year), "duty_rules_saved")
}

func (s *Server) dutyRecompute(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.FormValue("year"))
	if year == 0 {
		year = time.Now().Year()
	}
	if err := s.Svc.RecomputeNow(r.Context(), actorOf(r), year); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/duty/rules?year=%d", year), "duty_recompute")
}

// dutyProgress is the fragment the rules page polls while a recomputation runs.
func (s *Server) dutyProgress(w http.ResponseWriter, r *http.Request) {
	if err := requireStaff(r); err != nil {
		s.fail(w, r, err)
		return
	}
	run, err := s.Svc.Store.DutyRun(r.Context(), actorOf(r).CommitteeID, yearOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	t := s.pages.set["duty_rules"]
	t.ExecuteTemplate(w, "duty_progress", map[string]any{"Run": run, "Year": yearOf(r)})
}

// ---- the office's records ----

type recordsPage struct {
	Year    int
	Records []zhengxie.DutyRecord
	Members []zhengxie.MemberProfile
	Err     formErr
	Form    map[string]string
	CanAdd  bool
}

func (s *Server) renderRecords(w http.ResponseWriter, r *http.Request, status int, d *recordsPage) {
	a := actorOf(r)
	var err error
	if d.Year == 0 {
		d.Year = yearOf(r)
	}
	if d.Records, err = s.Svc.DutyRecords(r.Context(), a, d.Year, 0); err != nil {
		s.fail(w, r, err)
		return
	}
	d.CanAdd = a.Role == zhengxie.RoleOffice || a.Role == zhengxie.RoleAdmin
	if d.CanAdd {
		if d.Members, err = s.Svc.Store.Profiles(r.Context(), store.ProfileFilter{CommitteeID: a.CommitteeID}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	page := &Page{Title: "大会发言、调研报告和为群众办实事", Nav: "duty_records", D: d}
	if d.Err.Msg != "" {
		page.Error = d.Err.Msg
	}
	s.render(w, r, "duty_records", page)
}

func (s *Server) dutyRecordsPage(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderRecords(w, r, http.StatusOK, &recordsPage{})
}

func (s *Server) dutyRecordCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	form := map[string]string{}
	for _, k := range []string{"user_id", "kind", "title", "detail", "beneficiary", "on", "activity_id"} {
		form[k], _ = formText(r, k)
	}
	rec := &zhengxie.DutyRecord{Kind: zhengxie.RecordKind(form["kind"]), Title: form["title"], Detail: form["detail"], Beneficiary: form["beneficiary"]}
	rec.UserID, _ = strconv.ParseInt(form["user_id"], 10, 64)
	rec.ActivityID, _ = strconv.ParseInt(form["activity_id"], 10, 64)
	var err error
	if form["on"] != "" {
		if rec.On, err = zhengxie.ParseDate(form["on"]); err != nil {
			err = zhengxie.FieldError("on", "日期格式应为2026-03-05")
		}
	}
	if err == nil {
		err = s.Svc.AddDutyRecord(r.Context(), actorOf(r), rec)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderRecords(w, r, http.StatusUnprocessableEntity, &recordsPage{Err: formErrOf(err), Form: form})
		return
	}
	redirect(w, r, fmt.Sprintf("/duty/records?year=%d", rec.Year), "duty_record_done")
}

// ---- API ----

type apiDutyItem struct {
	Kind     string    `json:"kind"`
	KindName string    `json:"kind_name"`
	Sub      string    `json:"sub,omitempty"`
	Ref      string    `json:"ref"`
	Link     string    `json:"link,omitempty"`
	Title    string    `json:"title"`
	At       time.Time `json:"at"`
	Points   int       `json:"points"`
}

type apiPointLine struct {
	Kind     string `json:"kind"`
	KindName string `json:"kind_name"`
	Count    int    `json:"count"`
	Per      int    `json:"per"`
	Points   int    `json:"points"`
	Capped   bool   `json:"capped"`
}

type apiTaskProgress struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Min   int    `json:"min"`
	Count int    `json:"count"`
	Done  bool   `json:"done"`
}

type apiDutyRecordYear struct {
	Member     apiMember         `json:"member"`
	Year       int               `json:"year"`
	Points     int               `json:"points"`
	Rank       int               `json:"rank"`
	Of         int               `json:"of"`
	SectorRank int               `json:"sector_rank"`
	SectorOf   int               `json:"sector_of"`
	Attendance map[string]int    `json:"attendance"`
	LowAttend  bool              `json:"low_attendance"`
	Lines      []apiPointLine    `json:"lines"`
	Items      []apiDutyItem     `json:"items"`
	Checklist  []apiTaskProgress `json:"checklist"`
}

func toAPIMemberYear(m *app.MemberYear) apiDutyRecordYear {
	out := apiDutyRecordYear{Member: toAPIMember(m.Profile, true), Year: m.Year, Points: m.Score.Total, Rank: m.Rank, Of: m.Of, SectorRank: m.SectorRank, SectorOf: m.SectorOf,
		Attendance: map[string]int{"invited": m.Attendance.Invited, "attended": m.Attendance.Attended, "leaves": m.Attendance.Leaves, "absences": m.Attendance.Absences, "rate": m.Attendance.Rate()},
		LowAttend:  m.Low, Lines: []apiPointLine{}, Items: []apiDutyItem{}, Checklist: []apiTaskProgress{}}
	for _, l := range m.Score.Lines {
		out.Lines = append(out.Lines, apiPointLine{string(l.Kind), l.Kind.Name(), l.Count, l.Per, l.Points, l.Capped})
	}
	for i, it := range m.Items {
		out.Items = append(out.Items, apiDutyItem{string(it.Kind), it.Kind.Name(), it.Sub, it.Ref, app.ItemLink(it), it.Title, it.At.UTC(), m.ItemPoints[i]})
	}
	for _, t := range m.Checklist {
		out.Checklist = append(out.Checklist, apiTaskProgress{t.Task.Code, t.Task.Name, t.Task.Min, t.Count, t.Done})
	}
	return out
}

func (s *Server) apiDutyRecord(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.Svc.MemberYear(r.Context(), actorOf(r), memberOf(r), yearOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIMemberYear(m))
}

type apiRankRow struct {
	Rank       int    `json:"rank"`
	UserID     int64  `json:"user_id"`
	Name       string `json:"name"`
	SectorID   int64  `json:"sector_id"`
	SectorName string `json:"sector_name"`
	Points     int    `json:"points"`
	Invited    int    `json:"invited"`
	Attended   int    `json:"attended"`
	Leaves     int    `json:"leaves"`
	Absences   int    `json:"absences"`
	Rate       int    `json:"attendance_rate"`
	Low        bool   `json:"low_attendance"`
	TasksDone  int    `json:"tasks_done"`
	TasksTotal int    `json:"tasks_total"`
}

func (s *Server) apiDutyRanking(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	rk, _, _, page, limit, err := s.ranking(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]apiRankRow, 0, len(rk.Rows))
	for _, x := range rk.Rows {
		rows = append(rows, apiRankRow{x.Rank, x.UserID, x.Name, x.SectorID, x.SectorName, x.Points, x.Invited, x.Attended, x.Leaves, x.Absences, x.Rate, x.Low, x.TasksDone, x.TasksTotal})
	}
	buckets := []map[string]any{}
	for _, b := range rk.Buckets {
		buckets = append(buckets, map[string]any{"label": b.Label, "count": b.Count})
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": rk.Year, "items": rows, "distribution": buckets, "low_attendance": rk.Low,
		"total": rk.Total, "page": page, "limit": limit})
}

type apiRulesBody struct {
	Year          int                  `json:"year"`
	Points        []zhengxie.PointRule `json:"points"`
	Tasks         []zhengxie.DutyTask  `json:"tasks"`
	ReminderDates []string             `json:"reminder_dates"`
	LowAttendance int                  `json:"low_attendance"`
}

func (s *Server) apiDutyRules(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	rules, _, err := s.Svc.Store.DutyRules(r.Context(), actorOf(r).CommitteeID, yearOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiRulesBody(rules))
}

func (s *Server) apiSaveDutyRules(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiRulesBody
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	rules := zhengxie.DutyRules(in)
	if err := s.Svc.SaveDutyRules(r.Context(), actorOf(r), &rules); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiRulesBody(rules))
}

type apiRun struct {
	Year       int       `json:"year"`
	State      string    `json:"state"`
	Done       int       `json:"done"`
	Total      int       `json:"total"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Error      string    `json:"error,omitempty"`
}

func (s *Server) apiDutyRun(w http.ResponseWriter, r *http.Request) {
	if err := requireStaff(r); err != nil {
		s.fail(w, r, err)
		return
	}
	year := yearOf(r)
	if r.Method == http.MethodPost {
		var in struct {
			Year int `json:"year"`
		}
		if err := decode(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		if in.Year != 0 {
			year = in.Year
		}
		if err := s.Svc.RecomputeNow(r.Context(), actorOf(r), year); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	run, err := s.Svc.Store.DutyRun(r.Context(), actorOf(r).CommitteeID, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusAccepted
	}
	writeJSON(w, status, apiRun{year, run.State, run.Done, run.Total, run.FinishedAt, run.Error})
}

type apiRecord struct {
	ID          int64  `json:"id"`
	UserID      int64  `json:"user_id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	KindName    string `json:"kind_name"`
	Title       string `json:"title"`
	Detail      string `json:"detail"`
	Beneficiary string `json:"beneficiary"`
	On          string `json:"on"`
	ActivityID  int64  `json:"activity_id"`
}

func toAPIRecord(r *zhengxie.DutyRecord) apiRecord {
	return apiRecord{r.ID, r.UserID, r.UserName, string(r.Kind), r.Kind.Name(), r.Title, r.Detail, r.Beneficiary, r.On.String(), r.ActivityID}
}

func (s *Server) apiDutyRecords(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var uid int64
	if v, err := strconv.ParseInt(r.URL.Query().Get("member"), 10, 64); err == nil {
		uid = v
	}
	recs, err := s.Svc.DutyRecords(r.Context(), actorOf(r), yearOf(r), uid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]apiRecord, 0, len(recs))
	for i := range recs {
		items = append(items, toAPIRecord(&recs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) apiCreateDutyRecord(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		UserID      int64  `json:"user_id"`
		Kind        string `json:"kind"`
		Title       string `json:"title"`
		Detail      string `json:"detail"`
		Beneficiary string `json:"beneficiary"`
		On          string `json:"on"`
		ActivityID  int64  `json:"activity_id"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	rec := &zhengxie.DutyRecord{UserID: in.UserID, Kind: zhengxie.RecordKind(in.Kind), Title: in.Title, Detail: in.Detail, Beneficiary: in.Beneficiary, ActivityID: in.ActivityID}
	if in.On != "" {
		var err error
		if rec.On, err = zhengxie.ParseDate(in.On); err != nil {
			s.fail(w, r, zhengxie.FieldError("on", "日期格式应为2026-03-05"))
			return
		}
	}
	if err := s.Svc.AddDutyRecord(r.Context(), actorOf(r), rec); err != nil {
		s.fail(w, r, err)
		return
	}
	u, _ := s.Svc.Store.User(r.Context(), rec.UserID)
	if u != nil {
		rec.UserName = u.Name
	}
	writeJSON(w, http.StatusCreated, toAPIRecord(rec))
}
