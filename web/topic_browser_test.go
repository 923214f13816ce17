package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhengxie/internal/testenv"
)

// TestBrowserTopicOrderToProposal: a unit posts a topic order, the office
// publishes it, a member claims it and files a proposal from it, and the
// office accepts the proposal and finds the unit that ordered it
// preselected as the lead unit of the assignment.
func TestBrowserTopicOrderToProposal(t *testing.T) {
	browser := e2eBrowser(t, 1280, 900)
	env := newE2EEnv(t)
	fx := env.Fx
	const (
		title = "中心城区早晚高峰公交准点率提升"
		phone = "020-83001101"
	)
	unit := fx.Units[0]
	login := func(b *e2eTab, username string) {
		b.open("/login")
		b.do("type credentials "+username, chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), testenv.Password))
		b.click("log in as "+username, `#login-submit`)
	}

	// 1. The unit writes the order and submits it.
	u := newE2ETab(t, browser, env.URL, true, 90*time.Second)
	login(u, fx.UnitUsers[0].Username)
	u.open("/topics")
	u.click("new order", `#new-topic`)
	u.do("write the order",
		chromedp.SendKeys(chromedp.ID("t-title"), title),
		chromedp.SendKeys(chromedp.ID("t-bg"), "早晚高峰主干道公交车平均时速不足15公里，乘客反映等车久、换乘不便。"),
		chromedp.SendKeys(chromedp.ID("t-needs"), "希望委员就公交专用道布局、线网优化和地铁接驳提出建议。"),
		chromedp.SetValue(chromedp.ID("t-deadline"), "2030-06-30"),
		chromedp.SendKeys(chromedp.ID("t-cname"), "公交科钱科长"),
		chromedp.SendKeys(chromedp.ID("t-cphone"), phone),
	)
	u.click("submit for review", `#topic-submit`)
	u.sees(".flash.ok", "等待提案委员会审核")
	u.sees("#topic-state", "待审核")
	path := e2eEval[string](u, `location.pathname`)

	// 2. The office publishes it.
	office := newE2ETab(t, browser, env.URL, true, 90*time.Second)
	login(office, fx.Office.Username)
	office.open(path)
	office.sees("#topic-phone", phone)
	office.click("publish", `#topic-publish`)
	office.sees("#topic-state", "已发布")

	// 3. A member finds it in the list, claims it and writes the proposal from it.
	m := newE2ETab(t, browser, env.URL, true, 90*time.Second)
	login(m, fx.Members[0].Username)
	m.open("/topics")
	m.sees("#topics", title, unit.Name)
	m.click("open the order", `//table[@id="topics"]//a[normalize-space()="`+title+`"]`)
	m.sees("#topic-phone", "认领后可见")
	m.sees(".card-body", "可以由多位委员")
	m.click("claim", `#topic-claim`)
	m.sees(".flash.ok", "认领成功")
	m.sees("#topic-phone", phone)
	m.click("write the proposal", `#write-proposal`)
	m.sees("#order-source", "订单来源", title, unit.Name)
	if got := m.value("#title"); !strings.HasPrefix(got, "关于") {
		t.Errorf("the title is not prefilled from the order: %q", got)
	}
	m.do("write the proposal",
		chromedp.SetValue(chromedp.ID("category"), "城乡建设"),
		chromedp.SendKeys(chromedp.ID("body"), "调研情况：乘坐三条主干线发现早高峰平均候车12分钟。\n问题分析：专用道不连续，换乘站距离远。\n具体建议：一是连通专用道；二是优化接驳线路；三是公布实时到站信息。"),
	)
	m.click("submit", "#btn-submit")
	m.sees(".flash.ok", "提案已提交")
	m.sees("#order-source", title)
	proposal := e2eEval[string](m, `location.pathname`)

	// 4. The office accepts it and sees the ordering unit preselected as lead.
	office.open(proposal)
	office.sees("#order-source", title)
	office.click("accept", `//form[contains(@action, "/accept")]//button[@type="submit"]`)
	office.sees(".flash.ok", "已立案")
	if got := office.value("#kind_" + sid(unit.ID)); got != "lead" {
		t.Errorf("the ordering unit %s is %q in the assignment form, want lead", unit.Name, got)
	}
	if got := office.value("#kind_" + sid(fx.Units[1].ID)); got != "" {
		t.Errorf("another unit is %q in the assignment form", got)
	}
	office.click("assign", `#btn-assign`)
	office.sees(".flash.ok", "已交办")
	office.open(path)
	office.sees("#topic-state", "已立案")

	for _, tab := range []*e2eTab{u, office, m} {
		if p := tab.problems(); len(p) > 0 {
			t.Errorf("console problems: %v", p)
		}
	}
}
