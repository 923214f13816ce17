package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhengxie/internal/docx"
	"zhengxie/internal/testenv"
)

// statsPolicies are the permission matrix rows of the statistics routes
// (roles: anon proposer cosigner member2 unit1 unit2 office leader admin other).
func statsPolicies() []policy {
	all := "A A A A A A A A A A"
	users := "L A A A A A A A A A"
	report := "L D D D D D A A A A" // the other committee's office reads its own committee's report
	edit := "L D D D D D A D D A"
	tasks := "L D D D A A A A A A"
	var ps []policy
	for _, p := range []string{"/stats", "/stats/export.xlsx", "/api/v1/stats", "/proposals/export.csv", "/proposals/export.xlsx"} {
		ps = append(ps, policy{name: "stats " + p, method: "GET", path: p, expect: users})
	}
	for _, p := range []string{"/public/stats", "/api/v1/public/stats", "/public/feed.atom", "/public/open-data",
		"/public/open-data/proposals.csv", "/public/open-data/proposals.xlsx", "/public/open-data/proposals.json"} {
		ps = append(ps, policy{name: "public " + p, method: "GET", path: p, expect: all})
	}
	for _, p := range []string{"/reports/annual", "/reports/annual.docx", "/reports/annual/print", "/api/v1/reports/annual"} {
		ps = append(ps, policy{name: "report " + p, method: "GET", path: p, expect: report})
	}
	ps = append(ps,
		policy{name: "report save", method: "POST", path: "/reports/annual", expect: edit, body: formBody("year", "2026")},
		policy{name: "api report save", method: "PUT", path: "/api/v1/reports/annual", expect: edit, body: jsonBody(map[string]any{"year": 2026, "chapters": map[string]any{}})},
		policy{name: "print register", method: "GET", path: "/proposals/{p}/print", kind: kTaskPending, expect: "L A N N A N A A A N"},
		policy{name: "print reply letter", method: "GET", path: "/tasks/{task}/reply-form", kind: kTaskPending, expect: "L D N N A N A A A N"},
		policy{name: "print feedback form", method: "GET", path: "/tasks/{task}/feedback-form", kind: kTaskPending, expect: "L A N N A N A A A N"},
	)
	for _, p := range []string{"/tasks/export.csv", "/tasks/export.xlsx", "/supervision/overdue/export.csv", "/supervision/overdue/export.xlsx"} {
		ps = append(ps, policy{name: "export " + p, method: "GET", path: p, expect: tasks})
	}
	return ps
}

func statsServer(t *testing.T, dsn string) (*testServer, *testenv.StatsData) {
	ts := newTestServer(t, dsn)
	return ts, testenv.SeedStats(t, ts.F)
}

func TestStatsPagesAndAPI(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts, d := statsServer(t, dsn)
		office, member, other := ts.session(roleOffice), ts.session(roleMember2), ts.session(roleOther)

		r := ts.do(req{Method: "GET", Path: "/stats", As: office})
		ts.expect(r, 200, `id="scope">2026年`, `id="fig-received"`, `<span class="stat-value">6</span>`, "比上年增加4件（增长200%）",
			`href="/proposals?category=%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE&amp;year=2026"`, "区交通运输局", "按时答复率", "75%",
			"订单式提案与四级联动统计尚未提供", "委员履职（2026年）", "联系群众与社情民意（2026年）", `href="/matters?overdue=1"`, `href="/activities?kind=plenary&amp;year=2026"`, `data-chart=`, `data-chart-links=`, "关于推进城市更新中历史街区保护的建议")
		if !strings.Contains(r.Body, `<a href="/stats" aria-current="page">统计与报告</a>`) {
			t.Error("the office's navigation has no 统计与报告")
		}
		if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " style=") {
			t.Error("inline script or style on the statistics page")
		}
		// The member sees the public subset, the other committee its own.
		r = ts.do(req{Method: "GET", Path: "/stats", As: member})
		ts.expect(r, 200, `id="public-subset"`, `<span class="stat-value">2</span>`)
		for _, leak := range []string{"区交通运输局", "按界别", "关于推动义务教育优质均衡发展的建议"} {
			if strings.Contains(r.Body, leak) {
				t.Errorf("member's statistics show %q", leak)
			}
		}
		r = ts.do(req{Method: "GET", Path: "/stats", As: other})
		ts.expect(r, 200)
		if strings.Contains(r.Body, "区交通运输局") || strings.Contains(r.Body, "历史街区") {
			t.Error("another committee's statistics show this committee's data")
		}
		r = ts.do(req{Method: "GET", Path: "/public?c=hp", As: ts.visitor()})
		ts.expect(r, 200, `href="/public/stats?c=hp"`, `href="/public/open-data?c=hp"`, `href="/public/feed.atom?c=hp"`)
		r = ts.do(req{Method: "GET", Path: "/public/stats?c=" + ts.F.Committee.Code, As: ts.visitor()})
		ts.expect(r, 200, "提案公开统计", "按类别", `href="/public?c=hp&amp;category=`)
		if strings.Contains(r.Body, "区交通运输局") {
			t.Error("the public statistics show units")
		}
		// Filters: a bad date is a message, a session scope works.
		r = ts.do(req{Method: "GET", Path: "/stats?from=2026-13-01", As: office})
		ts.expect(r, 422, "日期格式应为 2026-01-31")
		r = ts.do(req{Method: "GET", Path: "/stats?session=" + sid(d.Prev.ID), As: office})
		ts.expect(r, 200, "二届二次会议", `<span class="stat-value">2</span>`)

		// The API says the same.
		r = ts.do(req{Method: "GET", Path: "/api/v1/stats?year=2026", As: office})
		ts.expect(r, 200)
		var st apiStats
		r.decode(t, &st)
		if st.Public || len(st.Summary) == 0 || st.Summary[0].Key != "received" || st.Summary[0].Value != 6 || *st.Summary[0].Prev != 2 || len(st.Pending) != 1 {
			t.Errorf("api stats: %+v", st)
		}
		r = ts.do(req{Method: "GET", Path: "/api/v1/public/stats?c=hp", As: ts.visitor()})
		ts.expect(r, 200, `"public":true`)
		if strings.Contains(r.Body, "by_unit") {
			t.Error("public API shows the unit table")
		}
		etag := r.Header.Get("ETag")
		r = ts.do(req{Method: "GET", Path: "/api/v1/public/stats?c=hp", As: ts.visitor(), Header: map[string]string{"If-None-Match": etag}})
		ts.expect(r, 304)
		r = ts.do(req{Method: "GET", Path: "/api/v1/stats", As: ts.visitor()})
		ts.expect(r, 401)

		// XLSX: one sheet per table.
		r = ts.do(req{Method: "GET", Path: "/stats/export.xlsx?year=2026", As: office})
		ts.expect(r, 200)
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		sheets := strings.Join(x.GetSheetList(), ",")
		for _, want := range []string{"概况", "按会议", "按类别", "按提案者类型", "按界别（提案人所在界别）", "按办理状态", "按承办单位", "答复结果分类", "满意度测评", "答复时效", "出席情况", "已举行的履职活动（按类型）", "接访与群众诉求", "社情民意信息", "说明"} {
			if !strings.Contains(sheets, want) {
				t.Errorf("sheet %s missing from %s", want, sheets)
			}
		}
		rows, _ := x.GetRows("概况")
		if len(rows) < 3 || rows[2][0] != "收到提案" || rows[2][1] != "6" || rows[2][2] != "2" {
			t.Errorf("summary sheet: %v", rows)
		}

		// The links lead to lists that show the proposals counted.
		r = ts.do(req{Method: "GET", Path: "/proposals?year=2026&result=B", As: office})
		ts.expect(r, 200, "关于推动义务教育优质均衡发展的建议")
		if strings.Contains(r.Body, "历史街区") {
			t.Error("result=B lists a class A proposal")
		}
		r = ts.do(req{Method: "GET", Path: "/proposals?rehandled=1", As: office})
		ts.expect(r, 200, "关于推动义务教育优质均衡发展的建议")
		r = ts.do(req{Method: "GET", Path: "/proposals?kind=joint&year=2026", As: office})
		ts.expect(r, 200, "历史街区", "基层医疗卫生")
		r = ts.do(req{Method: "GET", Path: "/proposals?sector=" + sid(d.Sectors[1].ID), As: office})
		ts.expect(r, 200, "义务教育")
	})
}

// TestStatsSchemasMatchStructs holds the statistics schemas to the Go types.
func TestStatsSchemasMatchStructs(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		schema string
		typ    reflect.Type
	}{{"Stats", reflect.TypeOf(apiStats{})}, {"StatsFigure", reflect.TypeOf(apiStatsFigure{})}, {"StatsSection", reflect.TypeOf(apiStatsSection{})},
		{"StatsTable", reflect.TypeOf(apiStatsTable{})}, {"StatsRow", reflect.TypeOf(apiStatsRow{})}, {"StatsCell", reflect.TypeOf(apiStatsCell{})},
		{"StatsModule", reflect.TypeOf(apiStatsModule{})}, {"AnnualReport", reflect.TypeOf(apiAnnualReport{})}, {"ReportFigure", reflect.TypeOf(apiReportFigure{})},
		{"ReportChapter", reflect.TypeOf(apiReportChapter{})}, {"AnnualReportInput", reflect.TypeOf(apiAnnualReportInput{})}} {
		ref := doc.Components.Schemas[c.schema]
		if ref == nil {
			t.Errorf("schema %s missing", c.schema)
			continue
		}
		props, required := flatten(ref.Value)
		fields := jsonFields(c.typ)
		output := c.schema != "AnnualReportInput"
		for name, f := range fields {
			if props[name] == nil {
				t.Errorf("%s.%s is not documented", c.schema, name)
				continue
			}
			if output && !f.omit && !required[name] {
				t.Errorf("%s.%s is always present but not required", c.schema, name)
			}
			if output && f.omit && required[name] {
				t.Errorf("%s.%s may be omitted but is required", c.schema, name)
			}
		}
		for name := range props {
			if _, ok := fields[name]; !ok {
				t.Errorf("schema %s has %s, which %s does not have", c.schema, name, c.typ)
			}
		}
	}
}

func TestAnnualReportHTTP(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts, _ := statsServer(t, dsn)
		office, leader := ts.session(roleOffice), ts.session(roleLeader)
		title := "政协测试区委员会关于2026年度提案工作情况的报告"
		r := ts.do(req{Method: "GET", Path: "/reports/annual", As: office})
		ts.expect(r, 200, title, "一、总体情况", "二、提案提出与审查", "七、下一步工作", "全年共收到委员和各参加单位提案6件", `id="edit"`,
			"《关于推进城市更新中历史街区保护的建议》")
		if strings.Contains(r.Body, "订单式提案与四级联动") {
			t.Error("the linkage chapter appears without the linkage module")
		}
		r = ts.do(req{Method: "GET", Path: "/reports/annual", As: leader})
		ts.expect(r, 200, title)
		if strings.Contains(r.Body, `id="edit"`) {
			t.Error("the leader is offered to edit")
		}
		r = ts.do(req{Method: "GET", Path: "/reports/annual?edit=1", As: office})
		ts.expect(r, 200, `name="chapter_overview"`, "【收到提案】", "可引用的数据项")

		// The office edits; the figures stay the data's.
		r = ts.do(req{Method: "POST", Path: "/reports/annual", As: office, Form: url.Values{"year": {"2026"},
			"chapter_overview": {"今年收到提案【收到提案】件，立案【立案】件。"}}})
		ts.expect(r, 303)
		r = ts.do(req{Method: "GET", Path: "/reports/annual?year=2026", As: office})
		ts.expect(r, 200, "今年收到提案6件，立案5件。", "已由提案科王科长")
		r = ts.do(req{Method: "POST", Path: "/reports/annual", As: office, Form: url.Values{"year": {"2026"}, "chapter_overview": {"共【提案数】件"}}})
		ts.expect(r, 422, "【提案数】", "共【提案数】件")
		r = ts.do(req{Method: "PUT", Path: "/api/v1/reports/annual", As: office, JSON: map[string]any{"year": 2026, "chapters": map[string]string{"next": "明年将【不存在】"}}})
		ts.expect(r, 422)
		if code, field := r.errCode(t); code != "invalid" || field != "next" {
			t.Errorf("api error %s %s", code, field)
		}
		r = ts.do(req{Method: "POST", Path: "/reports/annual", As: leader, Form: url.Values{"year": {"2026"}, "chapter_overview": {"改"}}})
		ts.expect(r, 403)
		r = ts.do(req{Method: "GET", Path: "/api/v1/reports/annual?year=2026", As: leader})
		ts.expect(r, 200, `"edited":true`, `"text":"今年收到提案6件，立案5件。"`)

		// The Word document: a real zip with the parts Word and LibreOffice need.
		r = ts.do(req{Method: "GET", Path: "/reports/annual.docx?year=2026", As: office})
		ts.expect(r, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Errorf("docx Content-Type %s", ct)
		}
		raw := []byte(r.Body)
		text, err := docx.Text(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{title + "\n", "一、总体情况\n今年收到提案6件，立案5件。\n", "三、交办与办理", "最低的是区交通运输局（50%）"} {
			if !strings.Contains(text, want) {
				t.Errorf("docx text lacks %q:\n%s", want, text)
			}
		}
		checkWithLibreOffice(t, raw, "今年收到提案6件，立案5件。")

		r = ts.do(req{Method: "GET", Path: "/reports/annual/print?year=2026", As: office})
		ts.expect(r, 200, `data-print`, "今年收到提案6件")
		// Back to the system's draft.
		r = ts.do(req{Method: "POST", Path: "/reports/annual", As: office, Form: url.Values{"year": {"2026"}, "reset": {"1"}, "chapter_overview": {"随便"}}})
		ts.expect(r, 303)
		r = ts.do(req{Method: "GET", Path: "/reports/annual?year=2026", As: office})
		ts.expect(r, 200, "全年共收到委员和各参加单位提案6件", "系统根据数据生成的草稿")
	})
}

// checkWithLibreOffice converts the document to text with LibreOffice where
// it is installed (CI installs it), proving the file opens there.
func checkWithLibreOffice(t *testing.T, data []byte, want string) {
	bin := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		if os.Getenv("ZHENGXIE_REQUIRE_LIBREOFFICE") == "1" {
			t.Error("LibreOffice is required here (ZHENGXIE_REQUIRE_LIBREOFFICE=1) but not installed")
		}
		t.Log("LibreOffice is not installed here: the .docx was checked with a zip and XML reader only")
		return
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "txt:Text (encoded):UTF8", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice could not convert the report: %v\n%s", err, out)
	}
	txt, err := os.ReadFile(filepath.Join(dir, "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(txt), want) {
		t.Errorf("LibreOffice reads the report as:\n%s", txt)
	}
}

func TestListExports(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts, d := statsServer(t, dsn)
		office, unit := ts.session(roleOffice), ts.session(roleUnit1)
		r := ts.do(req{Method: "GET", Path: "/proposals/export.csv?category=%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE", As: office})
		ts.expect(r, 200)
		if !strings.HasPrefix(r.Body, "\xEF\xBB\xBF") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV without BOM or type: %q %s", r.Body[:10], r.Header.Get("Content-Type"))
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\xEF\xBB\xBF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// 城乡建设: two this year and one last year.
		if len(recs) != 4 || recs[0][3] != "案由" || r.Header.Get("X-Total-Count") != "3" {
			t.Fatalf("CSV: %d records, total %s: %v", len(recs), r.Header.Get("X-Total-Count"), recs)
		}
		found := false
		for _, rec := range recs[1:] {
			if rec[3] == "关于推进城市更新中历史街区保护的建议" {
				found = true
				if rec[10] != "区交通运输局" || rec[8] != "是" || rec[2] == "" {
					t.Errorf("row: %v", rec)
				}
			}
		}
		if !found {
			t.Errorf("export lacks the proposal: %v", recs)
		}
		r = ts.do(req{Method: "GET", Path: "/proposals/export.xlsx?year=2026", As: office})
		ts.expect(r, 200)
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("数据")
		if len(rows) != 7 {
			t.Errorf("xlsx rows: %d", len(rows))
		}
		// A unit exports its own tasks; the overdue board lists the open one.
		r = ts.do(req{Method: "GET", Path: "/tasks/export.csv", As: unit})
		ts.expect(r, 200, "区交通运输局")
		for _, other := range []string{"区卫生健康局", "区教育局"} {
			if strings.Contains(r.Body, other) {
				t.Errorf("unit 1's export has %s's task", other)
			}
		}
		r = ts.do(req{Method: "GET", Path: "/supervision/overdue/export.xlsx", As: office})
		ts.expect(r, 200)
		x, err = excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ = x.GetRows("数据")
		// p3's lead task only: p1's co-handling unit sent its opinion
		// before the lead unit could reply.
		if len(rows) != 2 || rows[1][2] != "关于完善基层医疗卫生服务体系的建议" || rows[1][5] != "主办" {
			t.Errorf("overdue export: %v", rows)
		}
		r = ts.do(req{Method: "GET", Path: "/proposals", As: office})
		ts.expect(r, 200, `href="/proposals/export.xlsx`, `data-export`, `class="export-progress"`)
		r = ts.do(req{Method: "GET", Path: "/proposals/" + sid(d.Keys[0]), As: office})
		ts.expect(r, 200, `href="/proposals/`+sid(d.Keys[0])+`/print"`, "区交通运输局答复函", "区交通运输局办理情况反馈表")
		r = ts.do(req{Method: "GET", Path: "/proposals/" + sid(d.Keys[0]), As: unit})
		ts.expect(r, 200, "区交通运输局答复函")
		if strings.Contains(r.Body, "办理情况反馈表") {
			t.Error("the unit is offered the proposer's rating form")
		}
		// A title that a spreadsheet would run as a formula stays text.
		ctx := context.Background()
		mem := ts.F.Actor(ts.F.Members[4])
		p, err := ts.F.Svc.CreateDraft(ctx, mem, testenv.Draft("=HYPERLINK(\"http://x\",\"点击\")关于加强社区服务的建议"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.F.Svc.Submit(ctx, mem, p.ID); err != nil {
			t.Fatal(err)
		}
		r = ts.do(req{Method: "GET", Path: "/proposals/export.csv?q=HYPERLINK", As: office})
		ts.expect(r, 200, "\"'=HYPERLINK(")
	})
}

func TestOpenDataAndFeed(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts, d := statsServer(t, dsn)
		v := ts.visitor()
		r := ts.do(req{Method: "GET", Path: "/public/feed.atom?c=hp", As: v})
		ts.expect(r, 200)
		var feed struct {
			Title   string `xml:"title"`
			Entries []struct {
				Title   string `xml:"title"`
				Content string `xml:"content"`
				Link    struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal([]byte(r.Body), &feed); err != nil {
			t.Fatal(err)
		}
		if len(feed.Entries) != len(d.Published) || !strings.Contains(feed.Title, "政协测试区委员会") {
			t.Fatalf("feed: %+v", feed)
		}
		if !strings.Contains(r.Body, "区交通运输局答复") || strings.Contains(r.Body, "义务教育优质均衡") {
			t.Errorf("feed content: replies of published proposals only")
		}
		etag := r.Header.Get("ETag")
		r = ts.do(req{Method: "GET", Path: "/public/feed.atom?c=hp", As: v, Header: map[string]string{"If-None-Match": etag}})
		ts.expect(r, 304)
		r = ts.do(req{Method: "GET", Path: "/public/feed.atom?c=hp&category=%E6%95%99%E8%82%B2%E4%BA%8B%E4%B8%9A", As: v})
		ts.expect(r, 200, "心理健康教育")
		if strings.Contains(r.Body, "历史街区") {
			t.Error("category feed has another category")
		}

		r = ts.do(req{Method: "GET", Path: "/public/open-data/proposals.json?c=hp", As: v})
		ts.expect(r, 200)
		var od struct {
			Total int              `json:"total"`
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal([]byte(r.Body), &od); err != nil {
			t.Fatal(err)
		}
		if od.Total != 2 || len(od.Items) != 2 || od.Items[0]["name"] == nil || od.Items[0]["underDirectionOf"] == nil {
			t.Fatalf("open data: %+v", od)
		}
		for _, it := range od.Items {
			for k := range it {
				ok := false
				for _, f := range openDataFields {
					ok = ok || f.Key == k
				}
				if !ok {
					t.Errorf("undocumented open-data field %s", k)
				}
			}
		}
		r = ts.do(req{Method: "GET", Path: "/public/open-data/proposals.json?c=hp&page=2&per_page=1", As: v})
		ts.expect(r, 200, `"page":2`, `"per_page":1`)
		if err := json.Unmarshal([]byte(r.Body), &od); err != nil || len(od.Items) != 1 {
			t.Errorf("page 2: %v %+v", err, od)
		}
		last := r.Header.Get("Last-Modified")
		r = ts.do(req{Method: "GET", Path: "/public/open-data/proposals.csv?c=hp", As: v, Header: map[string]string{"If-Modified-Since": last}})
		ts.expect(r, 304)
		r = ts.do(req{Method: "GET", Path: "/public/open-data/proposals.csv?c=hp", As: v})
		ts.expect(r, 200, "\xEF\xBB\xBFID,会议,编号,案由")
		r = ts.do(req{Method: "GET", Path: "/public/open-data?c=hp", As: v})
		ts.expect(r, 200, "underDirectionOf", "主办（分办）单位", `href="/public/feed.atom?c=hp"`)
		if r := ts.do(req{Method: "GET", Path: "/public/open-data/proposals.json?c=nope", As: v}); r.Status != http.StatusNotFound {
			t.Errorf("unknown committee: %d", r.Status)
		}
	})
}
