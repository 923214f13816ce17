package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// TestBrowserDutySignIn: the organiser confirms the activity and opens its
// QR page; a member, on a phone-sized screen, opens the sign-in address
// the code carries, signs in, and sees the record and points change.
func TestBrowserDutySignIn(t *testing.T) {
	browser := e2eBrowser(t, 1280, 900)
	env := newE2EEnv(t)
	fx := env.Fx
	ctx := context.Background()
	office, member := fx.Actor(fx.Office), fx.Members[0]
	act := &zhengxie.Activity{Kind: zhengxie.ActivityCommunity, Title: "协商进社区：小区充电桩安装", Place: "城东街道幸福里社区", StartsAt: time.Now().Add(20 * time.Minute)}
	if err := fx.Svc.CreateActivity(ctx, office, act, app.Invitation{UserIDs: []int64{member.ID, fx.Members[1].ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.Svc.ActOnActivity(ctx, office, act.ID, zhengxie.ActPublishActivity, app.ActivityInput{}); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/activities/%d", act.ID)

	// The organiser: confirm the activity took place, then show the code.
	org := newE2ETab(t, browser, env.URL, false, 90*time.Second)
	org.login(fx.Office.Username, testenv.Password)
	org.open(path)
	org.sees("#activity-state", "已发布")
	org.click("confirm held", "#btn-hold")
	org.sees(".flash.ok", "已确认活动举行")
	org.sees("#activity-state", "已举行")
	org.click("open the QR page", "#btn-qr")
	org.sees("h1", act.Title)
	if w := e2eEval[int](org, `document.getElementById('qr').naturalWidth`); w < 200 {
		t.Errorf("the QR image did not load (natural width %d)", w)
	}
	link := org.text("#signin-link")
	if !strings.HasPrefix(link, env.URL+path+"/signin?t=") {
		t.Fatalf("the QR page's sign-in address is %q", link)
	}

	// The member, on a phone.
	m := newE2ETab(t, browser, env.URL, true, 90*time.Second)
	m.open("/login")
	m.do("phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	m.do("type credentials", chromedp.SendKeys(chromedp.ID("username"), member.Username), chromedp.SendKeys(chromedp.ID("password"), testenv.Password))
	m.click("log in", "#login-submit")
	m.open("/duty/record")
	m.sees("h1", member.Name, "履职档案")
	before := m.text("#points")
	if before != "-3" {
		t.Errorf("before signing in the member's points read %q, want -3 (absent from a held activity)", before)
	}
	m.open(strings.TrimPrefix(link, env.URL))
	m.sees("h1", act.Title)
	m.sees(".duty-signin", member.Name)
	m.click("sign in", "#btn-signin")
	m.sees(".flash.ok", "签到成功")
	m.sees("#signin-done", "您已签到")
	if w := e2eEval[int](m, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the sign-in page is %d px wide on a 390 px phone", w)
	}
	// Scanning again signs nobody in twice.
	m.open(strings.TrimPrefix(link, env.URL))
	m.sees("#signin-done", "您已签到")
	m.open("/duty/record")
	m.sees("#points", "2")
	m.sees("#item-table", act.Title, "参加活动")
	m.sees("#checklist", "参加协商活动")
	if w := e2eEval[int](m, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the record page is %d px wide on a 390 px phone", w)
	}

	// The organiser sees the sign-in on the attendance list.
	org.open(path)
	org.sees(fmt.Sprintf(`#attendance-table tr[data-user="%d"] .state`, member.ID), "已签到")
	for _, tab := range []*e2eTab{org, m} {
		if p := tab.problems(); len(p) > 0 {
			t.Errorf("browser console errors and warnings: %q", p)
		}
	}
}
