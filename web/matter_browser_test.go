package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestBrowserCitizenMessageToAnswer: on a phone-sized window a citizen
// leaves a message for a liaison station and keeps the tracking code; the
// station's staff forwards it to a unit; the unit signs and answers; the
// citizen reads the answer by the code (and never sees anyone's phone), and
// says it is settled.
func TestBrowserCitizenMessageToAnswer(t *testing.T) {
	browser := e2eBrowser(t, 390, 844)
	env := newE2EEnv(t)
	fx := env.Fx
	ctx := context.Background()
	st := &zhengxie.Station{Kind: zhengxie.StationLiaison, Name: "城南街道委员联络站", Address: "城南街道党群服务中心"}
	if err := fx.Svc.SaveStation(ctx, fx.Actor(fx.Admin), st); err != nil {
		t.Fatal(err)
	}
	staff := &zhengxie.User{Username: "station-south", Name: "城南联络站刘站长", Role: zhengxie.RoleStation}
	if err := fx.Svc.CreateUser(ctx, zhengxie.SystemActor(fx.Committee.ID), staff, testenv.Password); err != nil {
		t.Fatal(err)
	}
	err := fx.Svc.Store.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.Profile(fx.Committee.ID, staff.ID)
		if err != nil {
			return err
		}
		p.Memberships = []zhengxie.Membership{{OrgKind: zhengxie.OrgStation, OrgID: st.ID, Role: zhengxie.OrgRoleStaff}}
		return tx.SaveProfile(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	const (
		title  = "城南路口红绿灯时间太短"
		body   = "城南路与文化路交叉口的人行横道绿灯只有15秒，老人和带孩子的家长走到一半就变红灯，很危险，希望延长。"
		phone  = "13712345678"
		answer = "经现场测量，已将城南路与文化路交叉口人行绿灯时间由15秒延长至30秒，并增设语音提示。"
	)
	unit := fx.Units[0]

	// 1. The citizen, on a phone, without an account.
	citizen := newE2ETab(t, browser, env.URL, true, 90*time.Second)
	citizen.do("phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	citizen.open("/contact/stations/" + sid(st.ID))
	citizen.sees("h1", st.Name)
	citizen.click("leave a message", `//a[normalize-space()="给委员留言"]`)
	citizen.sees("h1", "给委员留言")
	if w := e2eEval[int](citizen, `document.documentElement.scrollWidth`); w > 390 {
		wide := e2eEval[[]string](citizen, `Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 391).
			slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 20))`)
		t.Errorf("the message form is %dpx wide on a 390px phone, it scrolls sideways: %q", w, wide)
	}
	citizen.do("write the message",
		chromedp.SendKeys(chromedp.ID("g-title"), title),
		chromedp.SendKeys(chromedp.ID("g-body"), body),
		chromedp.SendKeys(chromedp.ID("g-phone"), phone),
	)
	if got := citizen.value("#g-station"); got != sid(st.ID) {
		t.Errorf("the form is addressed to %q, want the station %d", got, st.ID)
	}
	citizen.click("send", `#send-message`)
	citizen.sees("h1", "留言已提交")
	code := strings.TrimSpace(citizen.text("#tracking-code"))
	if zhengxie.NormalizeTrackingCode(code) != code {
		t.Fatalf("tracking code %q", code)
	}

	// 2. The station's staff forwards it to a unit.
	office := newE2ETab(t, browser, env.URL, true, 90*time.Second)
	login := func(b *e2eTab, username string) {
		b.open("/login")
		b.do("type credentials "+username, chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), testenv.Password))
		b.click("log in as "+username, `#login-submit`)
	}
	login(office, staff.Username)
	office.open("/contact")
	office.sees("#open-matters", title)
	office.click("open the matter", `//section[@id="open-matters"]//a[normalize-space()="`+title+`"]`)
	office.sees("#citizen", phone)
	office.do("choose the unit", chromedp.SetValue(chromedp.ID("f-unit"), sid(unit.ID)))
	office.click("forward", `#forward`)
	office.sees(".flash.ok", "已完成")
	office.sees("#matter-state", "已转办待签收")
	office.sees("#matter-unit", unit.Name)

	// 3. The unit signs and answers.
	u := newE2ETab(t, browser, env.URL, true, 90*time.Second)
	login(u, fx.UnitUsers[0].Username)
	u.open("/contact")
	u.click("open the matter", `//section[@id="open-matters"]//a[normalize-space()="`+title+`"]`)
	u.click("sign", `#sign`)
	u.sees("#matter-state", "办理中")
	u.do("write the answer", chromedp.SendKeys(chromedp.ID("a-text"), answer))
	u.click("answer", `#answer`)
	u.sees("#matter-state", "已答复")
	u.sees("#matter-answer", "延长至30秒")

	// 4. The citizen reads the answer by the code, and says it is settled.
	citizen.open("/track")
	citizen.do("type the code", chromedp.SendKeys(chromedp.ID("t-code"), strings.ToLower(code)))
	citizen.click("look up", `#track-submit`)
	citizen.sees("#track-result", title)
	citizen.sees("#track-state", "已答复")
	citizen.sees("#track-answer", "延长至30秒", unit.Name)
	citizen.seesNot(phone)
	citizen.click("settled", `#settled`)
	citizen.sees(".flash.ok", "感谢您的反馈")
	citizen.sees("#track-state", "已解决")

	for _, tab := range []*e2eTab{citizen, office, u} {
		if p := tab.problems(); len(p) > 0 {
			t.Errorf("console problems: %v", p)
		}
	}
}
