package web

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestBrowserMemberLogsAndIssuePrints: a member on duty logs a citizen's
// matter on a phone and takes the category the system suggests as they
// type; the office's issue of 《社情民意》 prints as an A4 page without the
// site's navigation.
func TestBrowserMemberLogsAndIssuePrints(t *testing.T) {
	browser := e2eBrowser(t, 390, 844)
	env := newE2EEnv(t)
	fx := env.Fx
	ctx := context.Background()
	st := &zhengxie.Station{Kind: zhengxie.StationLiaison, Name: "城南街道委员联络站", Address: "城南街道党群服务中心"}
	if err := fx.Svc.SaveStation(ctx, fx.Actor(fx.Admin), st); err != nil {
		t.Fatal(err)
	}
	office := fx.Actor(fx.Office)
	member := fx.Members[0]
	rc := &zhengxie.Reception{StationID: st.ID, Day: zhengxie.DateOf(fx.Svc.Clock(), zhengxie.ChinaTime()), Start: "09:00", End: "11:30",
		Place: st.Address, MemberIDs: []int64{member.ID}}
	if err := fx.Svc.ScheduleReception(ctx, office, rc); err != nil {
		t.Fatal(err)
	}
	// Past matters the suggestion learns from.
	past := []struct{ title, body, cat string }{
		{"路灯损坏", "小区门口路灯损坏多日，夜间出行不便", "城乡建设"}, {"道路破损", "人行道路面破损坑洼，需要修补", "城乡建设"},
		{"井盖缺失", "小区道路井盖缺失，行人容易摔倒", "城乡建设"}, {"楼道漏水", "老旧小区楼道漏水，墙面脱落", "城乡建设"},
		{"违章搭建", "小区内有违章搭建，占用公共通道", "城乡建设"}, {"公交班次少", "公交线路班次少，等车时间长", "交通运输"},
		{"红绿灯太短", "路口绿灯时间太短，老人过马路危险", "交通运输"}, {"停车难", "学校门口停车难，上下学拥堵", "交通运输"},
		{"公交站远", "公交站离小区太远，出行不便", "交通运输"}, {"货车噪音", "夜间货车通行噪音大", "交通运输"},
		{"河道污染", "河道漂浮垃圾，水体发臭", "环境保护"}, {"工地扬尘", "工地扬尘严重，空气很差", "环境保护"},
	}
	err := fx.Svc.Store.InTx(ctx, func(tx *store.Tx) error {
		for _, p := range past {
			if err := tx.CreateMatter(&zhengxie.Matter{CommitteeID: fx.Committee.ID, Code: zhengxie.NewTrackingCode(), Source: zhengxie.SourceMessage,
				StationID: st.ID, Title: p.title, Body: p.body, Category: p.cat, Urgency: zhengxie.UrgencyNormal, State: zhengxie.MatterReceived}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	body := "城南小区门口的路灯坏了两个多星期，晚上路面很黑，老人出门不方便，希望尽快修好路灯。"
	rep, err := fx.Svc.FileReport(ctx, fx.Actor(member), app.ReportInput{Title: "关于加强老旧小区路灯维护的建议",
		Body: strings.Repeat("老旧小区路灯损坏后报修渠道不畅，维修周期长，群众夜间出行存在安全隐患。", 3) + "建议建立路灯巡查和快速维修机制。"})
	if err != nil {
		t.Fatal(err)
	}
	iss := &zhengxie.Issue{Title: "城市管理专刊", Recipients: []string{"区委", "区政府"}, ReportIDs: []int64{rep.ID}}
	if err := fx.Svc.CompileIssue(ctx, office, iss); err != nil {
		t.Fatal(err)
	}

	login := func(b *e2eTab, username string) {
		b.open("/login")
		b.do("type credentials "+username, chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), testenv.Password))
		b.click("log in as "+username, `#login-submit`)
	}
	// 1. The member on duty, on a phone.
	m := newE2ETab(t, browser, env.URL, true, 60*time.Second)
	m.do("phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	login(m, member.Username)
	m.open("/receptions/" + sid(rc.ID))
	m.sees("h1", st.Name)
	m.do("type the matter",
		chromedp.SendKeys(chromedp.ID("m-title"), "小区门口路灯坏了"),
		chromedp.SendKeys(chromedp.ID("m-body"), body),
		chromedp.SendKeys(chromedp.ID("m-phone"), "13712345678"),
	)
	m.do("wait for the suggestion", chromedp.WaitVisible(`#category-hint button`))
	m.do("take the first suggestion", chromedp.Click(`#category-hint button`))
	if got := m.value("#m-cat"); got != "城乡建设" {
		t.Errorf("the suggested category set the select to %q, want 城乡建设", got)
	}
	m.click("log", `#log-submit`)
	m.sees("#logged-code", "小区门口路灯坏了", "137****5678")
	m.sees("#reception-matters", "小区门口路灯坏了", "城乡建设")

	// 2. The office prints the issue.
	o := newE2ETab(t, browser, env.URL, true, 60*time.Second)
	login(o, fx.Office.Username)
	o.open("/issues/" + sid(iss.ID))
	o.sees(".issue-name", "社情民意")
	o.sees(".issue-no", "第1期")
	if _, err := chromedp.Call(o.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{".topnav": "none", ".issue-actions": "none", ".issue-report": "block"} {
		if got := e2eEval[string](o, `getComputedStyle(document.querySelector('`+sel+`')).display`); got != want {
			t.Errorf("printed, %s has display %q, want %q", sel, got, want)
		}
	}
	yes := true
	pdf, err := chromedp.Call(o.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatal(err)
	}
	box := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindSubmatch(pdf.Data)
	if box == nil {
		t.Fatalf("no page size in the PDF (%d bytes)", len(pdf.Data))
	}
	w, _ := strconv.ParseFloat(string(box[1]), 64)
	h, _ := strconv.ParseFloat(string(box[2]), 64)
	if w < 590 || w > 600 || h < 838 || h > 848 {
		t.Errorf("the issue prints on %.0f × %.0f pt, want A4 (595 × 842)", w, h)
	}
	for _, tab := range []*e2eTab{m, o} {
		if p := tab.problems(); len(p) > 0 {
			t.Errorf("console problems: %v", p)
		}
	}
}
