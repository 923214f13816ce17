package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/sheet"
	"zhengxie/internal/testenv"
)

// Our own small history: twelve accepted proposals of two subjects with
// their lead units, enough for the suggestions to have something to learn.
const historyCSV = `案由,正文,提案人,类别,编号,日期,届次,主办单位
关于缓解老城区停车难的建议,老城区停车位严重不足，车辆乱停乱放，建议挖潜增设停车位、推行错时共享停车。,陈委员,城乡建设,1,2024-01-10,二届二次会议,区交通运输局
关于增设社区停车位的建议,社区停车位供需矛盾突出，建议利用边角地建设停车场，规范路边停车。,林委员,城乡建设,2,2024-01-10,二届二次会议,区交通运输局
关于规范路边停车收费的建议,路边停车收费标准不一、管理混乱，建议统一收费标准，推广电子收费。,黄委员,城乡建设,3,2024-01-10,二届二次会议,区交通运输局
关于建设立体停车库的建议,中心城区土地紧张，停车难日益突出，建议规划建设立体停车库。,周委员,城乡建设,4,2024-01-10,二届二次会议,区交通运输局
关于治理违规停车的建议,违规停车占用消防通道和人行道，建议加强执法，设置停车诱导系统。,吴委员,城乡建设,5,2024-01-10,二届二次会议,区交通运输局
关于医院周边停车秩序的建议,医院周边停车难、排队长，建议错峰停车、增设临时停车位。,陈委员,城乡建设,6,2024-01-10,二届二次会议,区交通运输局
关于减轻中小学生课业负担的建议,中小学生作业多、睡眠少，建议控制作业总量，丰富课后服务。,林委员,教育事业,7,2024-01-10,二届二次会议,区教育局
关于加强学校心理健康教育的建议,学生心理问题增多，建议学校配齐心理教师，开设心理健康课程。,黄委员,教育事业,8,2024-01-10,二届二次会议,区教育局
关于扩大学前教育资源的建议,幼儿园学位紧张，建议新建公办幼儿园，扶持普惠性民办幼儿园。,周委员,教育事业,9,2024-01-10,二届二次会议,区教育局
关于改善乡村学校办学条件的建议,乡村学校设施陈旧、教师流失，建议加大投入，改善办学条件。,吴委员,教育事业,10,2024-01-10,二届二次会议,区教育局
关于加强教师队伍建设的建议,学校教师结构性缺编，建议补充教师编制，加强教师培训。,陈委员,教育事业,11,2024-01-10,二届二次会议,区教育局
关于推进学校体育工作的建议,学生体质下降，建议保证学校体育课时，开放学校体育场地。,林委员,教育事业,12,2024-01-10,二届二次会议,区教育局
`

func TestSearchPages(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		ctx := context.Background()
		svc, f := ts.F.Svc, ts.F
		office := f.Actor(f.Office)
		tb, err := sheet.ReadCSV(strings.NewReader(historyCSV))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ImportProposals(ctx, office, tb, app.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		anon, member, officeC := ts.visitor(), ts.session(roleProposer), ts.session(roleOffice)

		// Everyone has the search box.
		r := ts.do(req{Method: "GET", Path: "/search", As: anon})
		ts.expect(r, http.StatusOK, `href="/search"`, `id="s-q"`)

		// The public finds the imported (published) history, highlighted, with public links.
		r = ts.do(req{Method: "GET", Path: "/search?q=" + url.QueryEscape("停车位"), As: anon})
		ts.expect(r, http.StatusOK, "<mark>停车位</mark>", `href="/public/proposals/`, "共找到 <strong>3</strong> 件提案")
		// Facets link to the filtered search, and filtering agrees with the count.
		r = ts.do(req{Method: "GET", Path: "/search?q=" + url.QueryEscape("学校") + "&category=" + url.QueryEscape("教育事业"), As: anon})
		ts.expect(r, http.StatusOK, "共找到 <strong>4</strong> 件提案", "（取消）")

		// A proposal under review: the office finds it, the public does not.
		p, err := svc.CreateDraft(ctx, f.Actor(ts.users[roleProposer]), zhengxie.Draft{Title: "关于增设学校周边停车位的建议",
			Body: "学校周边接送车辆多、停车位少，上下学时段交通拥堵，建议增设临时停车位并错峰放学。", Category: "社会事业"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Submit(ctx, f.Actor(ts.users[roleProposer]), p.ID); err != nil {
			t.Fatal(err)
		}
		var out apiSearchResult
		ts.do(req{Method: "GET", Path: "/api/v1/search?q=" + url.QueryEscape("学校 停车位"), As: anon}).decode(t, &out)
		if out.Total != 0 {
			t.Errorf("the public finds a proposal under review: %+v", out)
		}
		r = ts.do(req{Method: "GET", Path: "/api/v1/search?q=" + url.QueryEscape("学校 停车位"), As: officeC})
		ts.expect(r, http.StatusOK, `"total_estimated":false`)
		r.decode(t, &out)
		if out.Total != 1 || out.Items[0].ID != p.ID || !strings.Contains(out.Items[0].TitleHTML, "<mark>") ||
			out.Items[0].URL != "/proposals/"+sid(p.ID) || len(out.Facets["state"]) != 1 {
			t.Errorf("office search: %+v", out)
		}
		// A malformed filter is the user's error, in words.
		r = ts.do(req{Method: "GET", Path: "/api/v1/search?q=x&from=2024-13-01", As: officeC})
		if code, field := r.errCode(t); r.Status != http.StatusUnprocessableEntity || code != zhengxie.EInvalid || field != "from" {
			t.Errorf("bad date: %s", r)
		}
		ts.expect(ts.do(req{Method: "GET", Path: "/search?q=x&session=abc", As: officeC}), http.StatusUnprocessableEntity, "筛选条件")

		// Similar proposals while writing: members only, visible ones only.
		sim := "/api/v1/proposals/similar?title=" + url.QueryEscape("关于解决老城区停车难问题的建议") + "&body=" + url.QueryEscape("停车位不足，建议增设停车位")
		ts.expect(ts.do(req{Method: "GET", Path: sim, As: anon}), http.StatusUnauthorized)
		r = ts.do(req{Method: "GET", Path: sim, As: member})
		var simOut struct {
			Items []apiSimilarItem `json:"items"`
		}
		r.decode(t, &simOut)
		if r.Status != http.StatusOK || len(simOut.Items) == 0 || simOut.Items[0].Title != "关于缓解老城区停车难的建议" || simOut.Items[0].Score <= 0 ||
			!strings.HasPrefix(simOut.Items[0].Number, "第") {
			t.Errorf("similar: %s", r)
		}
		// Another member writing the same is not shown the proposal under
		// review (not theirs, not published); its author is.
		same := "/api/v1/proposals/similar?title=" + url.QueryEscape("关于增设学校周边停车位的建议") + "&body=" + url.QueryEscape("学校周边停车位少，上下学拥堵")
		for _, x := range []struct {
			c    *caller
			want bool
		}{{ts.session(roleMember2), false}, {member, true}} {
			r := ts.do(req{Method: "GET", Path: same, As: x.c})
			r.decode(t, &simOut)
			found := false
			for _, it := range simOut.Items {
				found = found || it.ID == p.ID
			}
			if found != x.want {
				t.Errorf("%s: proposal under review hinted = %v, want %v", x.c.Role, found, x.want)
			}
		}

		// The office's proposal page: key terms and category suggestions.
		r = ts.do(req{Method: "GET", Path: "/proposals/" + sid(p.ID), As: officeC})
		ts.expect(r, http.StatusOK, `id="key-terms"`, `id="suggest-category"`, `name="category" value="城乡建设"`)
		// The member sees key terms but no suggestions.
		r = ts.do(req{Method: "GET", Path: "/proposals/" + sid(p.ID), As: member})
		ts.expect(r, http.StatusOK, `id="key-terms"`)
		if strings.Contains(r.Body, "suggest-category") {
			t.Errorf("the member is offered category suggestions")
		}
		// Choosing one: only the office, and only by posting.
		form := url.Values{"category": {"城乡建设"}, "suggested": {"1"}}
		ts.expect(ts.do(req{Method: "POST", Path: "/proposals/" + sid(p.ID) + "/category", As: member, Form: form}), http.StatusForbidden)
		r = ts.do(req{Method: "POST", Path: "/proposals/" + sid(p.ID) + "/category", As: officeC, Form: form})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("set category: %s", r)
		}
		ts.expect(ts.do(req{Method: "GET", Path: r.Location(), As: officeC}), http.StatusOK, "类别已调整。", "<dd>城乡建设</dd>")

		// Accepted: the lead unit is suggested; 采用 fills the form, not more.
		if _, err := svc.Accept(ctx, office, p.ID, ""); err != nil {
			t.Fatal(err)
		}
		r = ts.do(req{Method: "GET", Path: "/proposals/" + sid(p.ID), As: officeC})
		ts.expect(r, http.StatusOK, `id="suggest-units"`)
		m := regexp.MustCompile(`href="(/proposals/\d+\?lead=(\d+))#assign"`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no 采用 link for the lead unit")
		}
		r = ts.do(req{Method: "GET", Path: m[1], As: officeC})
		sel := regexp.MustCompile(`(?s)<select[^>]*id="kind_` + m[2] + `".*?</select>`).FindString(r.Body)
		if !strings.Contains(sel, `value="lead" selected`) {
			t.Errorf("采用 did not preselect the lead unit: %q", sel)
		}
		if ts2, _ := svc.Store.Tasks(ctx, p.ID); len(ts2) != 0 {
			t.Errorf("采用 assigned the proposal by itself")
		}

		// The office's search page without a query shows what the session is about.
		r = ts.do(req{Method: "GET", Path: "/search?session=" + sid(tb2session(t, ts)), As: officeC})
		ts.expect(r, http.StatusOK, `id="session-terms"`, `data-chart=`, "停车")
		if strings.Contains(ts.do(req{Method: "GET", Path: "/search", As: member}).Body, "session-terms") {
			t.Errorf("a member sees the session's terms")
		}
	})
}

// tb2session returns the session the history was imported into.
func tb2session(t *testing.T, ts *testServer) int64 {
	ss, err := ts.F.Svc.Store.Sessions(context.Background(), ts.F.Committee.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if s.Name == "二届二次会议" {
			return s.ID
		}
	}
	t.Fatal("no imported session")
	return 0
}

// The review queue groups near-duplicates, and 并案 is one click.
func TestReviewMergeSuggestions(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	ctx := context.Background()
	svc, f := ts.F.Svc, ts.F
	body := "调研发现，我区老旧小区普遍没有电梯，老年人上下楼困难。加装电梯涉及资金分摊、管线迁改和审批，群众意见难统一。建议简化审批流程，给予财政补贴，建立协商议事机制，推动加装电梯。"
	a, err := svc.CreateDraft(ctx, f.Actor(f.Members[0]), zhengxie.Draft{Title: "关于推进老旧小区加装电梯的建议", Body: body, Category: "城乡建设"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.CreateDraft(ctx, f.Actor(f.Members[1]), zhengxie.Draft{Title: "关于加快老旧小区加装电梯工作的建议",
		Body: strings.ReplaceAll(body, "建议", "提议"), Category: "城乡建设"})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range []*zhengxie.Proposal{a, b} {
		if _, err := svc.Submit(ctx, f.Actor(f.Members[i]), p.ID); err != nil {
			t.Fatal(err)
		}
	}
	office := ts.session(roleOffice)
	r := ts.do(req{Method: "GET", Path: "/review", As: office})
	ts.expect(r, http.StatusOK, `id="merge-suggestions"`, "疑似重复提案（1组）", `action="/proposals/`+sid(b.ID)+`/merge"`, `name="into_id" value="`+sid(a.ID)+`"`)
	leader := ts.session(roleLeader)
	r = ts.do(req{Method: "GET", Path: "/review", As: leader})
	ts.expect(r, http.StatusOK, `id="merge-suggestions"`)
	if strings.Contains(r.Body, "/merge\"") {
		t.Errorf("the leader is offered the 并案 button")
	}
	r = ts.do(req{Method: "POST", Path: "/proposals/" + sid(b.ID) + "/merge", As: office, Form: url.Values{"into_id": {sid(a.ID)}, "comment": {"内容相近，并案办理"}}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("merge: %s", r)
	}
	if p, _ := svc.Store.Proposal(ctx, f.Committee.ID, b.ID); p.State != zhengxie.StateMerged || p.MergedInto != a.ID {
		t.Errorf("after 并案: %s into %d", p.State, p.MergedInto)
	}
	r = ts.do(req{Method: "GET", Path: "/review", As: office})
	if strings.Contains(r.Body, "merge-suggestions") {
		t.Errorf("the merged pair is still suggested")
	}
}

// TestThousands: the estimated total is shown as 约 12,000.
func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 12000: "12,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
