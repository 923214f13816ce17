package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// The proposal the lifecycle test walks, in a member's own words. The body
// carries a phone number that must not reach the public.
const (
	e2eTitle     = "关于完善生物岛微循环公交接驳的建议"
	e2eLongTitle = "关于进一步完善生物岛与周边地铁站之间微循环公交接驳线路、站点设置和发车班次，方便园区职工日常通勤的建议"
	e2ePhone     = "13912345678"
	e2eBody      = "调研情况：生物岛园区现有企业一百余家、从业人员约一万人，岛内仅有两条公交线路，高峰时段候车时间超过二十分钟。职工反映的情况可致电园区服务中心" + e2ePhone + "了解。\n" +
		"问题分析：一是公交线路与地铁站之间缺少接驳；二是发车班次与上下班时间不匹配；三是岛内候车设施不足。\n" +
		"具体建议：一是开通地铁站至园区的微循环公交；二是高峰时段加密班次；三是增设带遮阳棚的候车亭。"
	e2eReply   = "陈委员：您提出的关于完善生物岛微循环公交接驳的建议收悉。我局经认真研究，已于本月开通地铁站至园区的微循环公交线路，高峰时段每十分钟一班。感谢您对交通工作的关心。"
	e2eOpinion = "我局同意主办单位的办理意见，将配合做好园区职工通勤的健康宣传。"
	e2eContact = "与陈委员当面商谈接驳线路和站点方案。"
)

// e2eTaskCard is the XPath of a unit's task card on the proposal page.
func e2eTaskCard(unit string) string {
	return `//article[contains(concat(" ", @class, " "), " task ")][.//h3[contains(., "` + unit + `")]]`
}

// TestBrowserProposalLifecycle walks one proposal from a member's draft to
// the archive through the pages of every role, by clicking and typing, and
// checks what each person sees, and finally what the public sees.
func TestBrowserProposalLifecycle(t *testing.T) {
	started := time.Now()
	browser := e2eBrowser(t, 1280, 900)
	env := newE2EEnv(t)
	fx := env.Fx
	if n := utf8.RuneCountInString(e2eLongTitle); n != zhengxie.MaxTitleRunes+1 {
		t.Fatalf("the over-long title has %d characters, want %d", n, zhengxie.MaxTitleRunes+1)
	}
	proposer, cosigner := fx.Members[0], fx.Members[1]
	lead, co := fx.Units[0], fx.Units[1]
	b := newE2ETab(t, browser, env.URL, false, 90*time.Second)

	// 1. The member writes the proposal and saves a draft.
	b.login(proposer.Username, testenv.Password)
	b.sees("h1", "工作台")
	b.click("open the form", `//nav//a[normalize-space()="撰写提案"]`)
	b.sees("h1", "撰写提案")
	b.do("write the proposal",
		chromedp.SendKeys(chromedp.ID("title"), e2eTitle),
		chromedp.SetValue(chromedp.ID("kind"), zhengxie.KindJoint),
		chromedp.SetValue(chromedp.ID("category"), "城乡建设"),
		chromedp.SendKeys(chromedp.ID("body"), e2eBody),
		chromedp.Click(`//label[normalize-space()="`+cosigner.Name+`"]/input`),
	)
	b.click("save the draft", `#btn-save`)
	b.sees(".flash.ok", "草稿已保存")
	b.sees("#proposal-title", e2eTitle)
	b.sees(".page-header .meta", "草稿", "联名提案")
	b.sees("#next-step", "尚未提交")
	b.sees("#cosigners", cosigner.Name, "待确认")
	b.sees("#proposal-body", "调研情况", "问题分析", "具体建议")

	// 2. A failed save: the message is next to the field and nothing typed is
	// lost. (保存草稿 goes to the server as it is; 提交提案 would be stopped by
	// the page's own check first, see TestBrowserProposalFormHelps.)
	b.click("edit the draft", `//a[normalize-space()="修改草稿"]`)
	if got := b.value("#title"); got != e2eTitle {
		t.Errorf("the edit form shows title %q, want the saved %q", got, e2eTitle)
	}
	b.do("type a title of 51 characters", chromedp.Clear(chromedp.ID("title")), chromedp.SendKeys(chromedp.ID("title"), e2eLongTitle))
	b.click("save with the long title", `#btn-save`)
	b.sees("#title-error", "案由不能超过50个字", "现为51个字")
	b.sees(".flash.error", "您填写的内容已保留")
	if n := b.expected("status of 422"); n != 1 {
		t.Errorf("the failed save was answered %d times with 422 Unprocessable Entity, want once", n)
	}
	if !e2eEval[bool](b, `document.getElementById('title').closest('.field').contains(document.getElementById('title-error'))`) {
		t.Error("the title's error message is not next to the title field")
	}
	if got := b.value("#title"); got != e2eLongTitle {
		t.Errorf("after the failed save the title field holds %q, want what was typed", got)
	}
	if got := strings.ReplaceAll(b.value("#body"), "\r\n", "\n"); got != e2eBody {
		t.Errorf("after the failed save the body holds %q, want what was typed", abbreviate(got, 80))
	}
	if got := e2eEval[[]string](b, `Array.from(document.querySelectorAll('input[name=cosigners]:checked')).map(i => i.parentElement.textContent.trim())`); !slices.Equal(got, []string{cosigner.Name}) {
		t.Errorf("after the failed save the co-signers ticked are %q, want [%s]", got, cosigner.Name)
	}

	// 3. The member corrects the title and submits.
	b.do("correct the title", chromedp.Clear(chromedp.ID("title")), chromedp.SendKeys(chromedp.ID("title"), e2eTitle))
	b.click("submit", `#btn-submit`)
	b.sees(".flash.ok", "提案已提交")
	b.sees(".page-header .meta", "待附议")
	b.sees("#next-step", "等待附议人确认")
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.fatal("read location", err)
	}
	var pid int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(loc, env.URL), "/proposals/%d", &pid); err != nil {
		t.Fatalf("after submitting the browser is at %s, not on the proposal page", loc)
	}
	b.logout()

	// 4. The co-signer confirms from the invitation on the home page.
	b.login(cosigner.Username, testenv.Password)
	b.sees("#cosign-invitations", e2eTitle)
	b.click("open the invitation", `//section[@id="cosign-invitations"]//a[normalize-space()="`+e2eTitle+`"]`)
	b.sees("#next-step", proposer.Name+"邀请您作为本提案的附议人")
	b.click("confirm co-signing", `#btn-cosign`)
	b.sees(".flash.ok", "已确认附议")
	b.sees(".page-header .meta", "待审查")
	b.sees("#cosigners", cosigner.Name, "已确认")
	b.logout()

	// 5. The office finds it in 审查交办, accepts it and assigns it.
	b.login("office", testenv.Password)
	b.click("open 审查交办", `//nav//a[normalize-space()="审查交办"]`)
	b.sees("#queue-review", e2eTitle, proposer.Name)
	b.click("open the proposal from the review queue", `//section[@id="queue-review"]//a[normalize-space()="`+e2eTitle+`"]`)
	b.sees("#next-step", "请审阅提案正文")
	b.do("write a review note", chromedp.SendKeys(chromedp.ID("accept-comment"), "符合立案条件"))
	b.click("accept", `#btn-accept`)
	b.sees(".flash.ok", "已立案")
	b.sees("#proposal-number", "第0001号")
	b.sees(".page-header .meta", "已立案")
	b.sees("#next-step", "请在下方“交办”中确定主办单位")
	b.do("choose the lead and the co-handling unit",
		chromedp.SetValue(`//section[@id="assign"]//tr[.//label[normalize-space()="`+lead.Name+`"]]//select`, zhengxie.TaskLead),
		chromedp.SetValue(`//section[@id="assign"]//tr[.//label[normalize-space()="`+co.Name+`"]]//select`, zhengxie.TaskCo),
	)
	b.click("assign", `#btn-assign`)
	b.sees(".flash.ok", "已交办")
	b.sees(".page-header .meta", "办理中")
	b.sees(e2eTaskCard(lead.Name), lead.Name+"（主办）", "待签收")
	b.sees(e2eTaskCard(co.Name), co.Name+"（会办）", "待签收")
	b.logout()

	// 6. The co-handling unit signs and sends its opinion first: the lead
	// unit's reply waits for it.
	b.login(fx.UnitUsers[1].Username, testenv.Password)
	b.click("open the co-handling task", `//section[@id="unit-tasks"]//a[normalize-space()="`+e2eTitle+`"]`)
	b.click("sign for the co-handling task", e2eTaskCard(co.Name)+`//button[normalize-space()="签收"]`)
	b.sees(".flash.ok", "已签收")
	b.do("write the opinion", chromedp.SendKeys(e2eTaskCard(co.Name)+`//textarea[@name="text"]`, e2eOpinion))
	b.click("send the opinion", e2eTaskCard(co.Name)+`//button[normalize-space()="提交会办意见"]`)
	b.sees(".flash.ok", "答复已提交")
	b.sees(e2eTaskCard(co.Name), "会办意见", e2eOpinion)
	b.logout()

	// 7. The lead unit signs, reads the co-handling opinion, meets the
	// proposer and replies with a letter.
	b.login(fx.UnitUsers[0].Username, testenv.Password)
	b.sees("#unit-tasks", e2eTitle, "主办", "待签收")
	b.click("open the task", `//section[@id="unit-tasks"]//a[normalize-space()="`+e2eTitle+`"]`)
	b.sees("#next-step", "本提案已交本单位办理")
	b.click("sign for the task", e2eTaskCard(lead.Name)+`//button[normalize-space()="签收"]`)
	b.sees(".flash.ok", "已签收")
	b.sees(e2eTaskCard(lead.Name), "办理中", "会办意见", co.Name, e2eOpinion)
	b.do("record the meeting",
		chromedp.SetValue(e2eTaskCard(lead.Name)+`//select[@name="method"]`, "面商"),
		chromedp.SendKeys(e2eTaskCard(lead.Name)+`//textarea[@name="note"]`, e2eContact),
	)
	b.click("save the meeting", e2eTaskCard(lead.Name)+`//button[normalize-space()="保存沟通记录"]`)
	b.sees(".flash.ok", "沟通记录已保存")
	b.sees(e2eTaskCard(lead.Name), "已沟通", "沟通记录", "面商", e2eContact)
	letter := e2ePDF(t, t.TempDir(), "生物岛公交接驳答复函.pdf")
	b.do("write the reply",
		chromedp.Click(e2eTaskCard(lead.Name)+`//input[@name="result_class" and @value="A"]`),
		chromedp.SendKeys(e2eTaskCard(lead.Name)+`//textarea[@name="text"]`, e2eReply),
		chromedp.SetUploadFiles(e2eTaskCard(lead.Name)+`//input[@type="file"]`, []string{letter}),
	)
	b.click("send the reply", e2eTaskCard(lead.Name)+`//button[normalize-space()="提交答复"]`)
	b.sees(".flash.ok", "答复已提交")
	b.sees(".page-header .meta", "已答复")
	b.sees(e2eTaskCard(lead.Name), "已答复", "A 已解决或采纳", "每十分钟一班", "答复函：生物岛公交接驳答复函.pdf")
	b.logout()

	// 8. The member reads the reply and rates it 满意.
	b.login(proposer.Username, testenv.Password)
	b.sees("#my-proposals", e2eTitle, "已答复")
	b.click("open my proposal", `//section[@id="my-proposals"]//a[normalize-space()="`+e2eTitle+`"]`)
	b.sees("#next-step", "满意度测评")
	b.do("rate the reply",
		chromedp.Click(e2eTaskCard(lead.Name)+`//input[@name="feedback" and @value="satisfied"]`),
		chromedp.SendKeys(e2eTaskCard(lead.Name)+`//textarea[@name="note"]`, "办理及时，效果明显。"),
	)
	b.click("send the rating", e2eTaskCard(lead.Name)+`//button[normalize-space()="提交测评"]`)
	b.sees(".flash.ok", "测评已提交")
	b.sees(e2eTaskCard(lead.Name), "提案人测评：满意", "办理及时，效果明显。")
	b.logout()

	// 9. The office concludes, publishes and archives.
	b.login("office", testenv.Password)
	b.click("open 审查交办", `//nav//a[normalize-space()="审查交办"]`)
	b.sees("#queue-conclude", e2eTitle)
	b.click("open the proposal to conclude", `//section[@id="queue-conclude"]//a[normalize-space()="`+e2eTitle+`"]`)
	b.click("conclude", `#btn-conclude`)
	b.sees(".flash.ok", "已办结")
	b.sees(".page-header .meta", "已办结")
	b.click("publish", `#btn-publish`)
	b.sees(".flash.ok", "已公开")
	b.sees(".page-header .meta", "已公开")
	b.click("archive", `#btn-archive`)
	b.sees(".flash.ok", "已归档")
	b.sees(".page-header .meta", "已归档", "第0001号")
	b.sees("#next-step", "案卷不可再更改")
	if n := e2eEval[int](b, `document.querySelectorAll('.page-header .actions form, #review, #assign, #tasks form').length`); n != 0 {
		t.Errorf("the archived proposal still offers %d forms to change it", n)
	}

	// The timeline lists every step, in order.
	steps := e2eEval[[]string](b, `Array.from(document.querySelectorAll('#timeline .ev-action')).map(e => e.textContent.trim())`)
	want := []string{"新建草稿", "提交", "确认附议", "附议截止", "立案", "交办", "签收", "沟通", "答复", "测评", "办结", "公开", "归档"}
	if !e2eInOrder(want, steps) {
		t.Errorf("办理轨迹 lists %q; want these steps in this order: %q", steps, want)
	}
	for _, s := range []string{"全部答复", "签收", "答复"} {
		if e2eCount(steps, s) == 0 {
			t.Errorf("办理轨迹 lacks %q: %q", s, steps)
		}
	}
	if n := e2eCount(steps, "签收"); n != 2 {
		t.Errorf("办理轨迹 lists 签收 %d times, want 2 (lead and co-handling unit): %q", n, steps)
	}
	b.sees("#timeline", "符合立案条件", e2eContact)
	b.logout()

	// 10. The public, in a browser of its own, finds the proposal and reads the reply.
	pub := newE2ETab(t, browser, env.URL, true, 30*time.Second)
	pub.open("/")
	pub.sees("h1", "公开提案")
	pub.sees(".topnav", "登录")
	pub.do("search", chromedp.SendKeys(chromedp.ID("p-q"), "生物岛"))
	pub.click("search published proposals", `//form[@action="/public"]//button`)
	pub.sees("#public-list", e2eTitle, "第0001号", proposer.Name)
	pub.click("open the published proposal", `//table[@id="public-list"]//a[normalize-space()="`+e2eTitle+`"]`)
	pub.sees("#proposal-title", e2eTitle)
	pub.sees("#proposal-number", "第0001号")
	pub.sees("#proposal-body", "[电话已隐去]", "具体建议")
	pub.sees("main", lead.Name+"的答复", "A 已解决或采纳", "每十分钟一班", "答复函")
	pub.seesNot(e2ePhone, e2eOpinion, "退出", e2eContact)
	status := e2eMust[string](t, "download the reply letter")(chromedp.Run(pub.ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector('a[href^="/attachments/"]').href).then(r => r.status + ' ' + r.headers.get('Content-Type'))`,
		chromedp.EvalAwaitPromise)))
	if status != "200 application/pdf" {
		t.Errorf("the public downloading the reply letter gets %q, want 200 application/pdf", status)
	}

	for _, tab := range []*e2eTab{b, pub} {
		if p := tab.problems(); len(p) > 0 {
			t.Errorf("browser console errors and warnings: %q", p)
		}
	}
	b.mu.Lock()
	if !slices.Contains(b.dialogs, "提交后不能再修改，确定提交吗？") {
		t.Errorf("submitting did not ask for confirmation; dialogs shown: %q", b.dialogs)
	}
	b.mu.Unlock()
	t.Logf("walked proposal %d from draft to archive in %s", pid, time.Since(started).Round(time.Millisecond))
}

// TestBrowserPhoneLayout logs the office in on a 375 px wide phone screen and
// checks the main pages: nothing wider than the screen, and no CSP
// violation, script error or console error.
func TestBrowserPhoneLayout(t *testing.T) {
	browser := e2eBrowser(t, 375, 812)
	env := newE2EEnv(t)
	fx := env.Fx
	ctx := context.Background()
	member, office := fx.Actor(fx.Members[0]), fx.Actor(fx.Office)

	// One proposal waiting for assignment (the widest form) and one in handling.
	mk := func(title string) int64 {
		p, err := fx.Svc.CreateDraft(ctx, member, testenv.Draft(title))
		if err == nil {
			_, err = fx.Svc.Submit(ctx, member, p.ID)
		}
		if err == nil {
			_, err = fx.Svc.Accept(ctx, office, p.ID, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	accepted := mk("关于推进社区老年食堂建设的建议")
	handling := mk("关于加强危化品运输车辆通行管理的建议")
	if _, err := fx.Svc.Assign(ctx, office, handling, []zhengxie.Assignment{
		{UnitID: fx.Units[0].ID, Kind: zhengxie.TaskLead}, {UnitID: fx.Units[2].ID, Kind: zhengxie.TaskCo}}, ""); err != nil {
		t.Fatal(err)
	}

	b := newE2ETab(t, browser, env.URL, false, 60*time.Second)
	b.do("phone screen", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	b.open("/login")
	b.do("type credentials",
		chromedp.SendKeys(chromedp.ID("username"), "office"),
		chromedp.SendKeys(chromedp.ID("password"), testenv.Password),
	)
	b.click("log in", `#login-submit`)

	// The menu is folded behind its button and opens on a tap.
	if d := e2eEval[string](b, `getComputedStyle(document.querySelector('.nav-links')).display`); d != "none" {
		t.Errorf("on a phone the menu shows (display %q) before it is opened", d)
	}
	b.do("open the menu", chromedp.Click(chromedp.CSS(`.nav-toggle`)), chromedp.WaitVisible(`//nav//a[normalize-space()="审查交办"]`))
	b.click("go to 审查交办 from the menu", `//nav//a[normalize-space()="审查交办"]`)
	b.sees("h1", "审查交办")

	for _, path := range []string{"/", "/proposals", fmt.Sprintf("/proposals/%d", accepted), fmt.Sprintf("/proposals/%d", handling), "/review", "/tasks", "/public"} {
		b.open(path)
		if w := e2eEval[int](b, `document.documentElement.scrollWidth`); w > 375 {
			wide := e2eEval[[]string](b, `Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.table-wrap') &&
				(e.getBoundingClientRect().right > 376 || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'))).
				slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 20))`)
			t.Errorf("%s is %d px wide on a 375 px screen; too wide: %q", path, w, wide)
		}
	}
	b.open(fmt.Sprintf("/proposals/%d", accepted))
	b.sees("#assign", fx.Units[0].Name)
	b.sees("#proposal-title", "关于推进社区老年食堂建设的建议")
	if p := b.problems(); len(p) > 0 {
		t.Errorf("browser console errors and warnings: %q", p)
	}
}

func e2eMust[T any](t *testing.T, step string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
}

// e2eInOrder reports whether want appears in got in order, not
// necessarily next to each other.
func e2eInOrder(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func e2eCount(xs []string, x string) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}
