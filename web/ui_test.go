package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// Tests of what the pages show, for the smaller defects of issue 9
// (browser behaviour is in ui_browser_test.go).

func uiServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServer(t, testenv.SQLiteDSN(t))
}

func (ts *testServer) get(as *caller, path string) *resp {
	ts.t.Helper()
	return ts.do(req{Method: "GET", Path: path, As: as})
}

func (ts *testServer) postForm(as *caller, path string, kv ...string) *resp {
	ts.t.Helper()
	f := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return ts.do(req{Method: "POST", Path: path, As: as, Form: f})
}

// TestAuditLogNamesEveryEvent: the admin's audit log shows what was done in
// Chinese, not the event code.
func TestAuditLogNamesEveryEvent(t *testing.T) {
	ts := uiServer(t)
	admin := ts.session(roleAdmin)
	if err := ts.F.Svc.SaveNotifySettings(context.Background(), ts.F.Actor(ts.F.Admin), "admin@example.cn", "", true, false); err != nil {
		t.Fatal(err)
	}
	r := ts.get(admin, "/admin/users")
	ts.expect(r, 200, "修改通知方式")
	for _, code := range []string{"notify_settings", "save_webhook"} {
		if strings.Contains(r.Body, ">"+code+"<") {
			t.Errorf("the audit log shows the raw code %s", code)
		}
	}
}

// TestHolidayEditorInChinese: the calendar is shown and taken in Chinese
// words (放假/上班, or 休/班), and the English words of older texts still work.
func TestHolidayEditorInChinese(t *testing.T) {
	ts := uiServer(t)
	admin := ts.session(roleAdmin)
	r := ts.get(admin, "/admin/holidays")
	ts.expect(r, 200, "2026-10-01 放假 国庆节", "“休”", "“班”")
	if strings.Contains(r.Body, " holiday ") || strings.Contains(r.Body, " workday ") {
		t.Errorf("the holiday editor still shows the English words:\n%s", abbreviate(r.Body, 400))
	}
	rules := []string{"counting", "working", "task_months", "3", "cohandle_months", "1", "return_days", "10", "rehandle_months", "1",
		"max_months", "6", "remind_days_before", "15,3", "escalate_after_days", "7"}
	save := func(calendar string) *resp {
		return ts.postForm(admin, "/admin/holidays", append(rules, "calendar", calendar)...)
	}
	ts.expect(save("2027-01-01 休 元旦\n2027-01-02 放假 元旦\n2027-01-03 holiday 元旦\n2027-01-09 班 元旦调休\n2027-01-10 workday 元旦调休\n"), 303)
	_, cal := ts.F.Svc.Deadlines(context.Background(), ts.F.Committee.ID)
	if cal.IsWorkday(mustDate(t, "2027-01-01")) || cal.IsWorkday(mustDate(t, "2027-01-03")) || !cal.IsWorkday(mustDate(t, "2027-01-09")) || !cal.IsWorkday(mustDate(t, "2027-01-10")) {
		t.Error("the calendar saved with 休/班 and the old English words does not hold those days")
	}
	r = ts.get(admin, "/admin/holidays")
	ts.expect(r, 200, "2027-01-01 休 元旦", "2027-01-03 放假 元旦", "2027-01-10 上班 元旦调休")
	ts.expect(save("2027-01-01 放 元旦\n"), 422, "第1行", "“放假”", "“上班”")
}

func mustDate(t *testing.T, s string) zhengxie.Date {
	t.Helper()
	d, err := zhengxie.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestUnknownURL: an address nobody serves gets a Chinese page in the
// layout (with the navigation back), and JSON under /api/.
func TestUnknownURL(t *testing.T) {
	ts := uiServer(t)
	for _, as := range []*caller{ts.visitor(), ts.session(roleProposer)} {
		r := ts.get(as, "/no/such/page")
		ts.expect(r, 404, "页面不存在", "请从首页", `class="site-footer"`, "回到首页")
		if strings.Contains(r.Body, "404 page not found") {
			t.Errorf("%s: Go's bare 404 text", as.Role)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: Content-Type %q", as.Role, ct)
		}
	}
	r := ts.get(ts.session(roleProposer), "/api/v1/no-such-resource")
	ts.expect(r, 404, `"code":"not_found"`)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("API 404: Content-Type %q", ct)
	}
}

// TestDraftIsDiscardedNotWithdrawn: a draft's button says what it does
// (作废草稿: kept, closed, never submitted); a submitted proposal's says 撤回提案.
func TestDraftIsDiscardedNotWithdrawn(t *testing.T) {
	ts := uiServer(t)
	proposer := ts.session(roleProposer)
	draft, review := ts.build(kDraft), ts.build(kReview)
	r := ts.get(proposer, "/proposals/"+sid(draft.P))
	ts.expect(r, 200, `id="btn-withdraw"`, ">作废草稿</button>", "确定作废该草稿吗")
	if strings.Contains(r.Body, ">撤回</button>") || strings.Contains(r.Body, ">撤回提案</button>") {
		t.Error("a draft offers 撤回")
	}
	r = ts.get(proposer, "/proposals/"+sid(review.P))
	ts.expect(r, 200, ">撤回提案</button>")
	if strings.Contains(r.Body, "作废草稿") {
		t.Error("a submitted proposal offers 作废草稿")
	}
	ts.expect(ts.postForm(proposer, "/proposals/"+sid(draft.P)+"/withdraw"), 303)
	ts.expect(ts.get(proposer, "/proposals/"+sid(draft.P)), 200, "这份草稿已由提案人作废，未曾提交")
}

// TestProposalFormShowsEveryProblem: the hints give the limits the checks
// use; a submission with several problems shows all of them at once; a
// failed submission from the edit page says the draft was saved and what is
// missing; the API lists every problem too.
func TestProposalFormShowsEveryProblem(t *testing.T) {
	ts := uiServer(t)
	member := ts.session(roleProposer)
	r := ts.get(member, "/proposals/new")
	ts.expect(r, 200, fmt.Sprintf("不超过%d个字。", zhengxie.MaxTitleRunes),
		fmt.Sprintf("正文不少于%d个字、不超过%d个字", zhengxie.MinBodyRunes, zhengxie.MaxBodyRunes),
		fmt.Sprintf(`data-min="%d"`, zhengxie.MinBodyRunes), fmt.Sprintf(`data-max="%d"`, zhengxie.MaxTitleRunes))

	// Nothing filled in, submitted: the three problems together.
	r = ts.postForm(member, "/proposals", "title", "", "body", "", "category", "", "kind", "individual", "submit", "1")
	ts.expect(r, 422, `id="title-error">请填写案由`, `id="body-error">正文过短`, `id="category-error">请选择提案类别`, "提案未能保存：请填写案由；")
	if n := strings.Count(r.Body, `class="field-error"`); n != 3 {
		t.Errorf("the empty form shows %d field errors, want 3", n)
	}

	// From the edit page: the text is saved, the submission is not.
	draft := ts.build(kDraft)
	r = ts.postForm(member, "/proposals/"+sid(draft.P)+"/edit", "title", "关于改善老城区停车难的建议", "body", "太短", "category", "", "kind", "individual", "submit", "1")
	ts.expect(r, 422, "草稿已保存，但尚未提交", "正文过短", "请选择提案类别", `id="body-error"`, `id="category-error"`)
	if strings.Contains(r.Body, "提案未能保存") {
		t.Error("a failed submission of a saved draft says 提案未能保存")
	}
	if p, err := ts.F.Svc.Store.Proposal(context.Background(), ts.F.Committee.ID, draft.P); err != nil || p.Title != "关于改善老城区停车难的建议" || p.State != zhengxie.StateDraft {
		t.Errorf("after the failed submission the draft is %+v, %v; want the new title saved, still a draft", p, err)
	}

	// The API: the first problem as before, and all of them in errors.
	r = ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: ts.bearer(roleProposer),
		JSON: map[string]any{"title": "关于改善老城区停车难的建议", "body": "太短", "kind": "individual", "submit": true}})
	var body struct {
		Error struct {
			Code, Message, Field string
			Errors               []struct{ Field, Message string }
		}
		DraftID int64 `json:"draft_id"`
	}
	r.decode(t, &body)
	if r.Status != 422 || body.DraftID == 0 || body.Error.Field != "body" || len(body.Error.Errors) != 2 ||
		body.Error.Errors[0].Field != "body" || body.Error.Errors[1].Field != "category" || body.Error.Errors[1].Message != "请选择提案类别" {
		t.Errorf("API submission with two problems: %s", r)
	}
}

// TestLeaderDeskShowsKeyProposalsToDecide: the key proposals the office
// proposed are on the leader's home page, each with a link, and a link to
// the decision.
func TestLeaderDeskShowsKeyProposalsToDecide(t *testing.T) {
	ts := uiServer(t)
	leader := ts.session(roleLeader)
	ts.expect(ts.get(leader, "/"), 200, `id="key-pending"`, "暂无待审定的重点提案建议")
	o := ts.build(kAccepted)
	k, err := ts.F.Svc.ProposeKey(context.Background(), ts.F.Actor(ts.F.Office), o.P, ts.F.Leader.ID, "群众关注度高，涉及多个部门。")
	if err != nil {
		t.Fatal(err)
	}
	r := ts.get(leader, "/")
	ts.expect(r, 200, `id="key-pending"`, "待审定的重点提案（1）", fmt.Sprintf(`href="/key-proposals/%d">%s</a>`, k.ID, o.Title),
		`href="/key-proposals#proposed"`, "群众关注度高")
	if strings.Contains(ts.get(ts.session(roleProposer), "/").Body, `id="key-pending"`) {
		t.Error("a member's desk shows the key proposals to decide")
	}
}

// TestDraftPageSaysWhatIsMissing: a draft that could not be submitted yet
// does not offer 提交 (with its confirmation) but says what is missing.
func TestDraftPageSaysWhatIsMissing(t *testing.T) {
	ts := uiServer(t)
	member := ts.session(roleProposer)
	p, err := ts.F.Svc.CreateDraft(context.Background(), ts.F.Actor(ts.F.Members[0]), zhengxie.Draft{Title: "关于增设口袋公园的建议", Body: "太短"})
	if err != nil {
		t.Fatal(err)
	}
	r := ts.get(member, "/proposals/"+sid(p.ID))
	ts.expect(r, 200, "提交前还需：正文过短", "请选择提案类别", "请点击“修改草稿”补充后提交")
	if strings.Contains(r.Body, `id="btn-submit"`) {
		t.Error("an incomplete draft offers 提交, which would ask to confirm and then fail")
	}
	ready := ts.build(kDraft)
	r = ts.get(member, "/proposals/"+sid(ready.P))
	ts.expect(r, 200, `id="btn-submit"`, "确认无误后点击“提交”")
	if strings.Contains(r.Body, "提交前还需") {
		t.Error("a complete draft says something is missing")
	}
}
