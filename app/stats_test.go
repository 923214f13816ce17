package app_test

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

func statsWorld(t *testing.T, dsn string) (*testenv.Fixture, *testenv.StatsData) {
	st := testenv.Open(t, dsn)
	f := testenv.Seed(t, st)
	return f, testenv.SeedStats(t, f)
}

func figure(t *testing.T, st *app.Stats, key string) zhengxie.StatsFigure {
	t.Helper()
	for _, f := range st.Summary {
		if f.Key == key {
			return f
		}
	}
	t.Fatalf("no figure %s in %+v", key, st.Summary)
	return zhengxie.StatsFigure{}
}

func table(st *app.Stats, key string) *zhengxie.StatsTable {
	for _, s := range st.Sections {
		for i := range s.Tables {
			if s.Tables[i].Key == key {
				return &s.Tables[i]
			}
		}
	}
	return nil
}

func rowOf(t *testing.T, tb *zhengxie.StatsTable, label string) zhengxie.StatsRow {
	t.Helper()
	for _, r := range tb.Rows {
		if r.Label == label {
			return r
		}
	}
	t.Fatalf("table %s has no row %q: %+v", tb.Key, label, tb.Rows)
	return zhengxie.StatsRow{}
}

func TestStatsFigures(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		f, d := statsWorld(t, dsn)
		ctx := context.Background()
		sc := zhengxie.StatsScope{CommitteeID: f.Committee.ID, Year: 2026}
		st, err := f.Svc.Stats(ctx, f.Actor(f.Office), sc, f.Committee.Code)
		if err != nil {
			t.Fatal(err)
		}
		if st.Public || !st.Compare {
			t.Fatalf("office stats: public %v compare %v", st.Public, st.Compare)
		}
		for key, want := range map[string]float64{"received": 6, "accepted": 5, "replied": 4, "on_time_rate": 0.75,
			"satisfaction": 1, "rehandled": 1, "overdue": 1, "key": 3} {
			if got := figure(t, st, key).Value; got != want {
				t.Errorf("figure %s = %v, want %v", key, got, want)
			}
		}
		rec := figure(t, st, "received")
		if !rec.HasPrev || rec.Prev != 2 || rec.ChangeText() != "比上年增加4件（增长200%）" {
			t.Errorf("received vs last year: %+v %q", rec, rec.ChangeText())
		}
		if !strings.Contains(rec.Link, "year=2026") {
			t.Errorf("received links to %q", rec.Link)
		}
		// The trend over the years ignores the year filter.
		yr := table(st, "by_year")
		if yr == nil || yr.Chart != "line" || len(yr.Rows) != 2 || yr.Rows[0].Label != "2025年" || yr.Rows[0].Cells[0].Value != 2 || yr.Rows[1].Cells[0].Value != 6 ||
			!strings.Contains(yr.Rows[1].Cells[0].Link, "year=2026") {
			t.Errorf("by year: %+v", yr)
		}
		cat := table(st, "by_category")
		city := rowOf(t, cat, "城乡建设")
		if city.Cells[0].Value != 2 || city.Cells[2].Value != 1 || !strings.Contains(city.Cells[0].Link, "category=") {
			t.Errorf("城乡建设 row: %+v", city)
		}
		sec := rowOf(t, table(st, "by_sector"), "经济界")
		if sec.Cells[0].Value != 3 || !strings.Contains(sec.Cells[0].Link, "sector="+strconv.FormatInt(d.Sectors[0].ID, 10)) { // members 1 and 3: p1, p4? no: members 0 and 2
			t.Errorf("经济界 row: %+v", sec)
		}
		if r := rowOf(t, table(st, "by_kind"), "联名提案"); r.Cells[0].Value != 2 {
			t.Errorf("joint proposals: %+v", r)
		}
		if r := rowOf(t, table(st, "by_state"), "不予立案"); r.Cells[0].Value != 1 {
			t.Errorf("rejected: %+v", r)
		}
		unit := rowOf(t, table(st, "by_unit"), f.Units[0].Name)
		// 区交通运输局: p1 (on time) and p4 (late) as lead; p1's co-handling is 区卫生健康局.
		if unit.Cells[0].Value != 2 || unit.Cells[2].Value != 2 || unit.Cells[3].Value != 1 || unit.Cells[4].Value != 0.5 {
			t.Errorf("unit row: %+v", unit)
		}
		if r := rowOf(t, table(st, "by_unit"), f.Units[1].Name); r.Cells[1].Value != 1 || r.Cells[8].Value != 1 {
			t.Errorf("区卫生健康局 (co-handles p1, re-handled p2): %+v", r)
		}
		if r := rowOf(t, table(st, "by_result"), zhengxie.ResultClassName("A")); r.Cells[0].Value != 3 || r.Cells[1].Value != 0.75 {
			t.Errorf("class A: %+v", r)
		}
		keys := table(st, "key_proposals")
		if len(keys.Rows) != 3 || !strings.HasPrefix(keys.Rows[0].Label, "关于推进城市更新中历史街区保护的建议") {
			t.Errorf("key proposals: %+v", keys.Rows)
		}
		var pending []string
		for _, m := range st.Pending {
			pending = append(pending, m.Key)
		}
		if strings.Join(pending, ",") != "linkage" {
			t.Errorf("pending modules: %v", pending)
		}

		// Every link filters the proposal list to exactly the proposals counted.
		for _, row := range cat.Rows {
			lf := listFilter(t, f, row.Cells[0].Link)
			_, n, err := f.Svc.Store.Proposals(ctx, lf)
			if err != nil {
				t.Fatal(err)
			}
			if float64(n) != row.Cells[0].Value {
				t.Errorf("%s: link %s lists %d, figure says %v", row.Label, row.Cells[0].Link, n, row.Cells[0].Value)
			}
		}
		for _, row := range table(st, "by_result").Rows {
			lf := listFilter(t, f, row.Cells[0].Link)
			_, n, _ := f.Svc.Store.Proposals(ctx, lf)
			if float64(n) != row.Cells[0].Value { // one answering task per proposal here
				t.Errorf("%s: link lists %d, figure %v", row.Label, n, row.Cells[0].Value)
			}
		}

		// A session scope compares with the previous year's sessions.
		st2, err := f.Svc.Stats(ctx, f.Actor(f.Office), zhengxie.StatsScope{CommitteeID: f.Committee.ID, SessionID: f.Session.ID}, f.Committee.Code)
		if err != nil {
			t.Fatal(err)
		}
		if r := figure(t, st2, "received"); r.Value != 6 || r.Prev != 2 {
			t.Errorf("session scope: %+v", r)
		}
		// A date range: nothing was submitted in 2026-01.
		jan := time.Date(2026, 1, 1, 0, 0, 0, 0, zhengxie.ChinaTime())
		st3, err := f.Svc.Stats(ctx, f.Actor(f.Office), zhengxie.StatsScope{CommitteeID: f.Committee.ID, Since: jan, Until: jan.AddDate(0, 1, 0)}, f.Committee.Code)
		if err != nil {
			t.Fatal(err)
		}
		if r := figure(t, st3, "received"); r.Value != 0 {
			t.Errorf("January: %+v", r)
		}

		// A member sees the public subset: published proposals, public tables.
		pub, err := f.Svc.Stats(ctx, f.Actor(f.Members[1]), sc, f.Committee.Code)
		if err != nil {
			t.Fatal(err)
		}
		if !pub.Public || figure(t, pub, "received").Value != float64(len(d.Published)) {
			t.Errorf("member's subset: public %v, %+v", pub.Public, pub.Summary)
		}
		if table(pub, "by_unit") != nil || table(pub, "by_sector") != nil || table(pub, "key_proposals") != nil {
			t.Error("the public subset shows internal tables")
		}
		for _, s := range pub.Sections {
			for _, tb := range s.Tables {
				for _, r := range tb.Rows {
					for _, c := range r.Cells {
						if c.Link != "" && !strings.HasPrefix(c.Link, "/public?") {
							t.Errorf("public figure links to %s", c.Link)
						}
					}
				}
			}
		}
		// Another committee's office: its own (empty) committee, never this one's numbers.
		other, err := f.Svc.Stats(ctx, f.Actor(f.Other), zhengxie.StatsScope{CommitteeID: f.Committee.ID, Year: 2026}, f.Committee.Code)
		if err != nil {
			t.Fatal(err)
		}
		if !other.Public {
			t.Error("another committee's office sees this committee's full statistics")
		}
	})
}

// listFilter reads a figure's link as the proposal list would.
func listFilter(t *testing.T, f *testenv.Fixture, link string) store.ProposalFilter {
	t.Helper()
	_, raw, _ := strings.Cut(link, "?")
	lf := store.ProposalFilter{Viewer: f.Actor(f.Office)}
	for _, kv := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(kv, "=")
		v = unescape(v)
		switch k {
		case "category":
			lf.Category = v
		case "year":
			lf.Year, _ = strconv.Atoi(v)
		case "session":
			lf.SessionID, _ = strconv.ParseInt(v, 10, 64)
		case "result":
			lf.ResultClass = v
		case "feedback":
			lf.Feedback = v
		case "kind":
			lf.Kind = v
		case "state":
			lf.States = []zhengxie.State{zhengxie.State(v)}
		case "sector":
			lf.SectorID, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return lf
}

func unescape(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			n, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b = append(b, byte(n))
			i += 2
			continue
		}
		if s[i] == '+' {
			b = append(b, ' ')
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// TestAnnualReportFiguresFromTheDatabase recomputes every figure of the
// draft with its own SQL and its own arithmetic, and checks that every
// number in the text is one of those figures.
func TestAnnualReportFiguresFromTheDatabase(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		f, d := statsWorld(t, dsn)
		ctx := context.Background()
		rep, err := f.Svc.AnnualReport(ctx, f.Actor(f.Office), f.Committee.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		st := f.Svc.Store
		db := st.DB()
		cid := f.Committee.ID
		one := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(ctx, testenv.Rebind(st, q), args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		year := `FROM proposals p JOIN sessions s ON s.id = p.session_id WHERE p.committee_id = ? AND s.year = ? AND p.state <> 'draft'`
		tasks := `FROM tasks t JOIN proposals p ON p.id = t.proposal_id JOIN sessions s ON s.id = p.session_id
			WHERE p.committee_id = ? AND s.year = ? AND t.state <> 'cancelled'`
		ans := tasks + ` AND t.kind <> 'co'`
		pc := func(extra string) int { return one(`SELECT COUNT(*) `+year+extra, cid, 2026) }
		tc := func(extra string) int { return one(`SELECT COUNT(*) `+ans+extra, cid, 2026) }
		today := zhengxie.DateOf(d.Now, zhengxie.ChinaTime()).String()

		// On time, by the task's civil deadline, computed here in Go.
		type unitRec struct{ replied, onTime int }
		units := map[string]*unitRec{}
		rows, err := db.QueryContext(ctx, testenv.Rebind(st, `SELECT u.name, t.replied_at, t.due `+strings.Replace(ans, "FROM tasks t", "FROM tasks t JOIN units u ON u.id = t.unit_id", 1)+` AND t.state = 'replied'`), cid, 2026)
		if err != nil {
			t.Fatal(err)
		}
		replied, onTime := 0, 0
		for rows.Next() {
			var name, due string
			var at int64
			if err := rows.Scan(&name, &at, &due); err != nil {
				t.Fatal(err)
			}
			if units[name] == nil {
				units[name] = &unitRec{}
			}
			replied++
			units[name].replied++
			if zhengxie.DateOf(time.UnixMilli(at), zhengxie.ChinaTime()).String() <= due {
				onTime++
				units[name].onTime++
			}
		}
		rows.Close()
		rate := func(n, d int) string { return zhengxie.FormatRate(float64(n) / float64(max(d, 1))) }
		a, b, c := tc(` AND t.result_class = 'A'`), tc(` AND t.result_class = 'B'`), tc(` AND t.result_class = 'C'`)
		sat, basic, unsat := tc(` AND t.feedback = 'satisfied'`), tc(` AND t.feedback = 'basically'`), tc(` AND t.feedback = 'unsatisfied'`)
		received, accepted := pc(""), pc(` AND p.number > 0`)
		want := map[string]string{
			"年度":     "2026",
			"统计截止日":  zhengxie.DateOf(d.Now, zhengxie.ChinaTime()).Chinese(),
			"收到提案":   strconv.Itoa(received),
			"上年收到提案": strconv.Itoa(one(`SELECT COUNT(*) `+year, cid, 2025)),
			"立案":     strconv.Itoa(accepted),
			"立案率":    rate(accepted, received),
			"个人提案":   strconv.Itoa(pc(` AND p.kind = 'individual'`)),
			"联名提案":   strconv.Itoa(pc(` AND p.kind = 'joint'`)),
			"集体提案":   strconv.Itoa(pc(` AND p.kind = 'body'`)),
			"不予立案":   strconv.Itoa(pc(` AND p.state = 'rejected'`)),
			"并案":     strconv.Itoa(pc(` AND p.state = 'merged'`)),
			"转意见建议":  strconv.Itoa(pc(` AND p.state = 'converted'`)),
			"已办结":    strconv.Itoa(pc(` AND p.state IN ('concluded', 'archived')`)),
			"已公开":    strconv.Itoa(pc(` AND p.published = 1`)),
			"承办单位数":  strconv.Itoa(one(`SELECT COUNT(DISTINCT t.unit_id) `+tasks, cid, 2026)),
			"主办任务":   strconv.Itoa(tc("")),
			"会办任务":   strconv.Itoa(one(`SELECT COUNT(*) `+tasks+` AND t.kind = 'co'`, cid, 2026)),
			"答复前沟通":  strconv.Itoa(tc(` AND t.contacted = 1`)),
			"已答复":    strconv.Itoa(replied),
			"按时答复":   strconv.Itoa(onTime),
			"按时答复率":  rate(onTime, replied),
			"逾期未答复":  strconv.Itoa(one(`SELECT COUNT(*) `+ans+` AND t.state <> 'replied' AND t.due < ?`, cid, 2026, today)),
			"重点提案数":  strconv.Itoa(pc(` AND p.is_key = 1`)),
			"A类答复":   strconv.Itoa(a),
			"B类答复":   strconv.Itoa(b),
			"C类答复":   strconv.Itoa(c),
			"A类占比":   rate(a, a+b+c),
			"B类占比":   rate(b, a+b+c),
			"C类占比":   rate(c, a+b+c),
			"已测评":    strconv.Itoa(sat + basic + unsat),
			"满意":     strconv.Itoa(sat),
			"基本满意":   strconv.Itoa(basic),
			"不满意":    strconv.Itoa(unsat),
			"满意率":    rate(sat+basic, sat+basic+unsat),
			"重新办理":   strconv.Itoa(tc(` AND t.rehandled = 1`)),
		}
		// Best and worst units by on-time rate.
		var names []string
		for n := range units {
			names = append(names, n)
		}
		sort.Slice(names, func(i, j int) bool {
			ri := float64(units[names[i]].onTime) / float64(units[names[i]].replied)
			rj := float64(units[names[j]].onTime) / float64(units[names[j]].replied)
			if ri != rj {
				return ri > rj
			}
			if units[names[i]].replied != units[names[j]].replied {
				return units[names[i]].replied > units[names[j]].replied
			}
			return names[i] < names[j]
		})
		u := func(n string) string { return fmt.Sprintf("%s（%s）", n, rate(units[n].onTime, units[n].replied)) }
		want["按时答复率最高的单位"] = u(names[0])
		want["按时答复率最低的单位"] = u(names[len(names)-1])
		got := rep.FigureMap()
		for name, w := range want {
			if got[name] != w {
				t.Errorf("【%s】 = %q, recomputed %q", name, got[name], w)
			}
		}
		// The numbers of this fixture, so that the recomputation itself is checked.
		if got["收到提案"] != "6" || got["按时答复率"] != "75%" || got["按时答复率最低的单位"] != "区交通运输局（50%）" || got["重新办理"] != "1" {
			t.Errorf("fixture figures: %v", got)
		}
		// Key proposals by title, the most co-signed first.
		var titles []string
		for _, id := range d.Keys {
			p, err := st.Proposal(ctx, cid, id)
			if err != nil {
				t.Fatal(err)
			}
			titles = append(titles, "《"+p.Title+"》")
		}
		if got["重点提案"] != strings.Join(titles, "、") {
			t.Errorf("key proposals: %q, want %q", got["重点提案"], strings.Join(titles, "、"))
		}
		// Every number in the text is a figure's (or part of one).
		var figureNumbers []string
		for _, fg := range rep.Figures {
			figureNumbers = append(figureNumbers, regexp.MustCompile(`\d+(\.\d+)?`).FindAllString(fg.Text, -1)...)
		}
		var keys []string
		for _, ch := range rep.Chapters {
			keys = append(keys, ch.Key)
			if strings.Contains(ch.Text, "【") {
				t.Errorf("chapter %s has an unfilled figure: %s", ch.Key, ch.Text)
			}
			for _, n := range regexp.MustCompile(`\d+(\.\d+)?`).FindAllString(ch.Text, -1) {
				found := false
				for _, fnum := range figureNumbers {
					found = found || fnum == n
				}
				if !found {
					t.Errorf("chapter %s: number %s is no figure's", ch.Key, n)
				}
			}
		}
		if strings.Join(keys, ",") != "overview,filing,handling,supervision,results,problems,next" {
			t.Errorf("chapters %v (linkage only where present)", keys)
		}
		for i, want := range map[int]string{4: "共重新办理1项。全年办结提案1件", 5: "二是办理工作还不够平衡，仍有1项任务逾期未答复"} {
			if !strings.Contains(rep.Chapters[i].Text, want) {
				t.Errorf("chapter %s lacks %q: %s", rep.Chapters[i].Key, want, rep.Chapters[i].Text)
			}
		}
		if !strings.Contains(rep.Chapters[5].Text, "有1项答复经提案者测评不满意后重新办理") {
			t.Errorf("problems: %s", rep.Chapters[5].Text)
		}
		if !strings.Contains(rep.Chapters[0].Text, "全年共收到委员和各参加单位提案6件，比上年增加4件（增长200%）") {
			t.Errorf("overview: %s", rep.Chapters[0].Text)
		}
	})
}

func TestAnnualReportEditing(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		f, _ := statsWorld(t, dsn)
		ctx := context.Background()
		office := f.Actor(f.Office)
		cid := f.Committee.ID
		text := "本年度共收到提案【收到提案】件，按时答复率【按时答复率】。"
		draft, err := f.Svc.AnnualReport(ctx, office, cid, 2026)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := f.Svc.SaveAnnualReport(ctx, office, cid, 2026, map[string]string{"overview": text, "next": draft.Draft("next")})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Edited == nil || rep.Chapters[0].Text != "本年度共收到提案6件，按时答复率75%。" || !rep.Chapters[0].Edited {
			t.Fatalf("after saving: %+v", rep.Chapters[0])
		}
		if _, ok := rep.Edited.Sections["next"]; ok {
			t.Error("a chapter equal to the draft was kept as an edit")
		}
		// The figures follow the data after the edit.
		p, err := f.Svc.CreateDraft(ctx, f.Actor(f.Members[4]), testenv.Draft("关于增设社区养老服务站的建议"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.Submit(ctx, f.Actor(f.Members[4]), p.ID); err != nil {
			t.Fatal(err)
		}
		rep, err = f.Svc.AnnualReport(ctx, f.Actor(f.Leader), cid, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Chapters[0].Text != "本年度共收到提案7件，按时答复率75%。" {
			t.Errorf("edited text after a new proposal: %s", rep.Chapters[0].Text)
		}
		_, err = f.Svc.SaveAnnualReport(ctx, office, cid, 2026, map[string]string{"overview": "共收到【提案总数】件"})
		wantField(t, "unknown figure", err, "overview")
		if !strings.Contains(zhengxie.ErrorMessage(err), "【提案总数】") {
			t.Errorf("message: %v", err)
		}
		_, err = f.Svc.SaveAnnualReport(ctx, f.Actor(f.Leader), cid, 2026, map[string]string{"overview": text})
		wantCode(t, "leader edits", err, zhengxie.EForbidden)
		_, err = f.Svc.AnnualReport(ctx, f.Actor(f.UnitUsers[0]), cid, 2026)
		wantCode(t, "unit reads", err, zhengxie.EForbidden)
		_, err = f.Svc.AnnualReport(ctx, f.Actor(f.Other), cid, 2026)
		wantCode(t, "other committee reads", err, zhengxie.EForbidden)
		_, err = f.Svc.AnnualReport(ctx, zhengxie.Actor{}, cid, 2026)
		wantCode(t, "public reads", err, zhengxie.EUnauthorized)
		// Back to the draft: saving every chapter as drafted drops the edits.
		all := map[string]string{}
		for _, ch := range rep.Chapters {
			all[ch.Key] = rep.Draft(ch.Key)
		}
		rep, err = f.Svc.SaveAnnualReport(ctx, office, cid, 2026, all)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Edited != nil {
			t.Errorf("edits left after resetting: %+v", rep.Edited)
		}
	})
}
