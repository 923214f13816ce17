package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// dialogCount is how many confirm() questions the tab was asked so far.
func (b *e2eTab) dialogCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.dialogs)
}

// visibleLabels are the names of the co-signer checkboxes shown.
const visibleLabels = `Array.from(document.querySelectorAll('#cosigner-choices label')).filter(l => !l.hidden && l.offsetParent !== null).map(l => l.textContent.trim())`

// TestBrowserProposalFormHelps writes a proposal as a member does and checks
// the help the form gives in the browser: an empty submission shows every
// problem at once and asks no confirmation; a valid one asks once; the
// co-signer list filters as one types.
func TestBrowserProposalFormHelps(t *testing.T) {
	browser := e2eBrowser(t, 1280, 900)
	env := newE2EEnv(t)
	fx := env.Fx
	b := newE2ETab(t, browser, env.URL, false, 90*time.Second)
	b.login(fx.Members[0].Username, testenv.Password)
	b.open("/proposals/new")

	// 1. Submit the empty form: nothing is sent, nothing is asked, and all
	// three problems show together.
	b.do("submit the empty form", chromedp.Click(chromedp.ID("btn-submit")), chromedp.WaitVisible(chromedp.ID("category-error")))
	if n := b.dialogCount(); n != 0 {
		t.Errorf("the empty form asked %d confirmation(s) before showing what is missing", n)
	}
	b.sees("#title-error", "请填写案由")
	b.sees("#body-error", "请填写正文")
	b.sees("#category-error", "请选择提案类别")
	b.sees("#proposal-form-problems", "还不能提交，请先修改以下3处")
	if got := e2eEval[string](b, `location.pathname`); got != "/proposals/new" {
		t.Errorf("the empty form was sent: the browser is at %s", got)
	}
	if got := e2eEval[string](b, `document.activeElement.id`); got != "title" {
		t.Errorf("after the check the cursor is in #%s, want the first field with a problem (#title)", got)
	}

	// 2. A body under the minimum is caught with the count, the rest clears.
	b.do("fill in too short a body",
		chromedp.SendKeys(chromedp.ID("title"), "关于完善老旧小区充电设施的建议"),
		chromedp.SendKeys(chromedp.ID("body"), "充电桩太少。"),
		chromedp.SetValue(chromedp.ID("category"), "城乡建设"),
		chromedp.Click(chromedp.ID("btn-submit")),
		chromedp.Sleep(200*time.Millisecond),
	)
	b.sees("#body-error", fmt.Sprintf("至少%d个字", zhengxie.MinBodyRunes), "现为6个字")
	if n := e2eEval[int](b, `document.querySelectorAll('.field-error').length`); n != 1 {
		t.Errorf("after correcting the title and the category %d problems are shown, want 1 (the body)", n)
	}
	if n := b.dialogCount(); n != 0 {
		t.Errorf("an invalid form asked %d confirmation(s)", n)
	}

	// 3. The co-signer search box filters as one types; who is ticked stays.
	all := e2eEval[[]string](b, visibleLabels)
	if len(all) != len(fx.Members)-1 {
		t.Fatalf("the co-signer list shows %q, want the %d other members", all, len(fx.Members)-1)
	}
	want := fx.Members[2].Name
	b.do("search a co-signer", chromedp.SendKeys(chromedp.ID("cosigner-choices-filter"), want))
	if got := e2eEval[[]string](b, visibleLabels); !slices.Equal(got, []string{want}) {
		t.Errorf("typing %q in the co-signer search shows %q, want only %s", want, got, want)
	}
	b.do("tick the one found", chromedp.Click(`//div[@id="cosigner-choices"]//label[normalize-space()="`+want+`"]/input`))
	e2eEval[bool](b, `(f => { f.value = ''; f.dispatchEvent(new Event('input', {bubbles: true})); return true; })(document.getElementById('cosigner-choices-filter'))`)
	b.do("search another, pressing Enter", chromedp.SendKeys(chromedp.ID("cosigner-choices-filter"), fx.Members[3].Name+"\r"), chromedp.Sleep(300*time.Millisecond))
	if got := e2eEval[[]string](b, visibleLabels); !slices.Equal(got, []string{want, fx.Members[3].Name}) && !slices.Equal(got, []string{fx.Members[3].Name, want}) {
		t.Errorf("searching %s after ticking %s shows %q, want both", fx.Members[3].Name, want, got)
	}
	if got := e2eEval[string](b, `location.pathname`); got != "/proposals/new" {
		t.Errorf("Enter in the co-signer search sent the form: the browser is at %s", got)
	}

	// 4. A valid form asks once, then is sent.
	b.do("write a body long enough", chromedp.SendKeys(chromedp.ID("body"), strings.Repeat("小区里能充电的车位不足，居民只能拉线充电，存在安全隐患。", 2)),
		chromedp.SetValue(chromedp.ID("kind"), zhengxie.KindJoint))
	b.click("submit", "#btn-submit")
	b.sees(".flash.ok", "提案已提交")
	if n := b.dialogCount(); n != 1 {
		t.Errorf("the valid submission asked %d confirmation(s), want 1", n)
	}
	b.sees("#cosigners", want)
	if p := b.problems(); len(p) > 0 {
		t.Errorf("browser console errors and warnings: %q", p)
	}
}

// TestBrowserMergePicksFromSearch: the office merges a proposal by
// searching for the target and clicking it, not by typing an internal id.
func TestBrowserMergePicksFromSearch(t *testing.T) {
	browser := e2eBrowser(t, 1280, 900)
	env := newE2EEnv(t)
	fx := env.Fx
	ctx := context.Background()
	member, office := fx.Actor(fx.Members[0]), fx.Actor(fx.Office)
	submit := func(i int, title string) *zhengxie.Proposal {
		p, err := fx.Svc.CreateDraft(ctx, fx.Actor(fx.Members[i]), testenv.Draft(title))
		if err == nil {
			p, err = fx.Svc.Submit(ctx, fx.Actor(fx.Members[i]), p.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	target := submit(1, "关于规范共享单车停放管理的建议")
	if _, err := fx.Svc.Accept(ctx, office, target.ID, ""); err != nil {
		t.Fatal(err)
	}
	_ = member
	dup := submit(0, "关于加强共享单车停放秩序治理的建议")

	b := newE2ETab(t, browser, env.URL, false, 90*time.Second)
	b.login("office", testenv.Password)
	b.open(fmt.Sprintf("/proposals/%d", dup.ID))
	b.do("open 并案", chromedp.Click(`//summary[normalize-space()="并案"]`))
	b.do("search the target",
		chromedp.WaitVisible(chromedp.ID("merge-into-search")),
		chromedp.SendKeys(chromedp.ID("merge-into-search"), "共享单车"),
		chromedp.WaitVisible(`//ul[@id="merge-into-results"]//button[contains(., "规范共享单车停放管理")]`),
	)
	if got := e2eEval[[]string](b, `Array.from(document.querySelectorAll('#merge-into-results .pick-result')).map(x => x.textContent)`); len(got) != 1 || !strings.Contains(got[0], "第0001号") {
		t.Errorf("the search offers %q, want only the target, with its number (not the proposal being merged)", got)
	}
	b.do("pick it", chromedp.Click(`//ul[@id="merge-into-results"]//button[contains(., "规范共享单车停放管理")]`))
	if got := b.value("#merge-into"); got != "第0001号" {
		t.Errorf("picking the target filled the field with %q, want 第0001号", got)
	}
	b.sees("#merge-pick", "已选择：第0001号 关于规范共享单车停放管理的建议")
	b.click("merge", "#btn-merge")
	b.sees(".flash.ok", "已并案")
	b.sees("#decision-reason", "关于规范共享单车停放管理的建议")
	if p := b.problems(); len(p) > 0 {
		t.Errorf("browser console errors and warnings: %q", p)
	}
}

// TestBrowserPhoneListsShowState: on a 390 px phone the state of every row
// of the lists is on the screen, not past its right edge.
func TestBrowserPhoneListsShowState(t *testing.T) {
	const width = 390
	browser := e2eBrowser(t, width, 844)
	env := newE2EEnv(t)
	fx := env.Fx
	ctx := context.Background()
	member, office := fx.Actor(fx.Members[0]), fx.Actor(fx.Office)
	for i, title := range []string{"关于推进社区老年食堂建设的建议", "关于加强危化品运输车辆通行管理的建议", "关于优化中小学课后服务的建议"} {
		p, err := fx.Svc.CreateDraft(ctx, member, testenv.Draft(title))
		if err == nil && i > 0 {
			_, err = fx.Svc.Submit(ctx, member, p.ID)
		}
		if err == nil && i > 1 {
			_, err = fx.Svc.Accept(ctx, office, p.ID, "")
			if err == nil {
				_, err = fx.Svc.Assign(ctx, office, p.ID, []zhengxie.Assignment{{UnitID: fx.Units[0].ID, Kind: zhengxie.TaskLead}}, "")
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	check := func(b *e2eTab, path string) {
		t.Helper()
		b.open(path)
		cells := e2eEval[[]map[string]float64](b, `Array.from(document.querySelectorAll('.cell-state')).map(c => {
			const r = c.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width}; })`)
		if len(cells) == 0 {
			t.Errorf("%s shows no list with a 状态 cell", path)
		}
		for i, c := range cells {
			if c["width"] <= 0 || c["left"] < 0 || c["right"] > width {
				t.Errorf("%s: the 状态 cell of row %d spans %.0f–%.0f px, off a %d px screen", path, i+1, c["left"], c["right"], width)
			}
		}
		if w := e2eEval[int](b, `document.documentElement.scrollWidth`); w > width {
			t.Errorf("%s is %d px wide on a %d px screen", path, w, width)
		}
	}
	// Each person on a phone of their own: on a phone the login link and
	// 退出 are folded into the menu.
	for _, c := range []struct {
		user  string
		paths []string
	}{
		{fx.Members[0].Username, []string{"/", "/proposals?mine=1"}},
		{"office", []string{"/proposals", "/review"}},
		{fx.UnitUsers[0].Username, []string{"/", "/tasks"}},
	} {
		b := newE2ETab(t, browser, env.URL, true, 60*time.Second)
		b.do("phone screen", chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
		b.open("/login")
		b.do("type credentials", chromedp.SendKeys(chromedp.ID("username"), c.user), chromedp.SendKeys(chromedp.ID("password"), testenv.Password))
		b.click("log in as "+c.user, `#login-submit`)
		for _, path := range c.paths {
			check(b, path)
		}
		if p := b.problems(); len(p) > 0 {
			t.Errorf("%s: browser console errors and warnings: %q", c.user, p)
		}
	}
}
