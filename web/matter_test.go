package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// The contact module over HTTP: who reaches which route. A citizen with a
// tracking code sees only that matter and never a person; a unit only the
// matters it handles; a station's staff only its own station's; another
// committee nothing.

const (
	roleStaffA = "staffA" // staff of station A, where the matters are
	roleStaffB = "staffB" // staff of station B
)

type contactWorld struct {
	ts               *testServer
	stA, stB         *zhengxie.Station
	rec              *zhengxie.Reception
	m1, m2, m3, mPub *zhengxie.Matter // m1 forwarded to unit1, m2 at A received, m3 message to B, mPub published answer at A
	report, report2  *zhengxie.Report
	issue            *zhengxie.Issue
}

const citizenPhone = "13712345678"
const citizenName = "王秀英"

func newContactWorld(t *testing.T, dsn string) *contactWorld {
	ts := newTestServer(t, dsn)
	f := ts.F
	ctx := context.Background()
	admin := f.Actor(f.Admin)
	w := &contactWorld{ts: ts}
	w.stA = &zhengxie.Station{Kind: zhengxie.StationLiaison, Name: "城南街道委员联络站"}
	w.stB = &zhengxie.Station{Kind: zhengxie.StationLiaison, Name: "城北街道委员联络站"}
	for _, st := range []*zhengxie.Station{w.stA, w.stB} {
		if err := f.Svc.SaveStation(ctx, admin, st); err != nil {
			t.Fatal(err)
		}
	}
	for role, st := range map[string]*zhengxie.Station{roleStaffA: w.stA, roleStaffB: w.stB} {
		u := &zhengxie.User{Username: "station-" + role, Name: st.Name + "工作人员", Role: zhengxie.RoleStation}
		if err := f.Svc.CreateUser(ctx, zhengxie.SystemActor(f.Committee.ID), u, testenv.Password); err != nil {
			t.Fatal(err)
		}
		err := f.Svc.Store.InTx(ctx, func(tx *store.Tx) error {
			p, err := tx.Profile(f.Committee.ID, u.ID)
			if err != nil {
				return err
			}
			p.Memberships = []zhengxie.Membership{{OrgKind: zhengxie.OrgStation, OrgID: st.ID, Role: zhengxie.OrgRoleStaff}}
			return tx.SaveProfile(p)
		})
		if err != nil {
			t.Fatal(err)
		}
		ts.users[role] = u
	}
	staffA := zhengxie.ActorOf(ts.users[roleStaffA])
	w.rec = &zhengxie.Reception{StationID: w.stA.ID, Day: zhengxie.DateOf(f.Svc.Clock(), zhengxie.ChinaTime()), Start: "09:00", End: "11:30",
		Place: "城南街道党群服务中心", MemberIDs: []int64{f.Members[0].ID, f.Members[2].ID}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.Svc.ScheduleReception(ctx, staffA, w.rec))
	logm := func(title string) *zhengxie.Matter {
		m, err := f.Svc.LogMatter(ctx, f.Actor(f.Members[0]), w.rec.ID, app.MatterInput{Title: title,
			Body: "群众反映" + title + "，已有一个多月，影响出行，希望尽快解决。", Category: "城乡建设", CitizenName: citizenName, CitizenPhone: citizenPhone})
		must(err)
		return m
	}
	w.m1 = logm("城南路路灯不亮")
	w.m2 = logm("小区垃圾清运不及时")
	w.mPub = logm("公园健身器材损坏")
	var err error
	_, err = f.Svc.MatterAct(ctx, staffA, w.m1.ID, zhengxie.MatterActForward, app.MatterActInput{UnitID: f.Units[0].ID})
	must(err)
	_, err = f.Svc.MatterAct(ctx, staffA, w.mPub.ID, zhengxie.MatterActAnswer, app.MatterActInput{Answer: "已通知公园管理处，健身器材已于本周修复。住" + citizenName + "家附近的幸福小区3栋2单元501室也已回访。"})
	must(err)
	_, err = f.Svc.MatterAct(ctx, f.Actor(f.Office), w.mPub.ID, zhengxie.MatterActPublish, app.MatterActInput{})
	must(err)
	w.m3, err = f.Svc.LeaveMessage(ctx, f.Committee.ID, app.MatterInput{StationID: w.stB.ID, Title: "菜市场周边占道经营",
		Body: "城北菜市场周边每天早上占道经营，车辆无法通行。", CitizenName: "赵先生", CitizenPhone: "13600000000"})
	must(err)
	body := "城南街道多个老旧小区居民反映，加装电梯意愿强烈，但审批环节多、低层住户意见难统一、资金分摊缺少标准，导致项目推进缓慢。建议区住建局牵头制定资金分摊指引。"
	w.report, err = f.Svc.FileReport(ctx, f.Actor(f.Members[0]), app.ReportInput{Title: "关于加快老旧小区加装电梯的建议", Body: body})
	must(err)
	w.report2, err = f.Svc.FileReport(ctx, f.Actor(f.Members[0]), app.ReportInput{Title: "关于规范农贸市场周边秩序的建议", Body: strings.Repeat("农贸市场周边占道经营影响交通和环境卫生。", 4)})
	must(err)
	w.issue = &zhengxie.Issue{Recipients: []string{"区委", "区政府"}, ReportIDs: []int64{w.report.ID}}
	must(f.Svc.CompileIssue(ctx, f.Actor(f.Office), w.issue))
	return w
}

type contactCase struct {
	route  string // the route pattern it covers
	method string
	path   string
	as     string
	form   url.Values
	json   any
	status int
	has    []string
	hasNot []string
}

func TestContactPermissions(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newContactWorld(t, dsn)
		ts := w.ts
		id := func(n int64) string { return fmt.Sprint(n) }
		m1, m2, m3, mp := id(w.m1.ID), id(w.m2.ID), id(w.m3.ID), id(w.mPub.ID)
		rec, rep, rep2, iss := id(w.rec.ID), id(w.report.ID), id(w.report2.ID), id(w.issue.ID)
		noPerson := []string{citizenPhone, citizenName}
		matterBody := map[string]any{"title": "楼道灯坏了", "body": "三号楼楼道灯坏了两个星期，老人上下楼不方便。"}
		cases := []contactCase{
			// Contact home, stats.
			{"GET /contact", "GET", "/contact", roleAnon, nil, nil, 303, nil, nil},
			{"GET /contact", "GET", "/contact", roleStaffA, nil, nil, 200, []string{"城南街道委员联络站", "城南路路灯不亮"}, []string{"城北街道委员联络站", "菜市场周边占道经营"}},
			{"GET /contact", "GET", "/contact", roleUnit1, nil, nil, 200, []string{"城南路路灯不亮"}, []string{"小区垃圾清运不及时"}},
			{"GET /contact", "GET", "/contact", roleProposer, nil, nil, 200, []string{"我的接访值班"}, nil},
			{"GET /contact/stats", "GET", "/contact/stats", roleOffice, nil, nil, 200, []string{"联系群众工作统计", "data-chart"}, noPerson},
			{"GET /contact/stats", "GET", "/contact/stats", roleProposer, nil, nil, 403, nil, nil},
			{"GET /contact/stats.xlsx", "GET", "/contact/stats.xlsx", roleLeader, nil, nil, 200, nil, noPerson},
			{"GET /contact/stats.xlsx", "GET", "/contact/stats.xlsx", roleUnit1, nil, nil, 403, nil, nil},
			{"GET /api/v1/contact/stats", "GET", "/api/v1/contact/stats", roleOffice, nil, nil, 200, []string{`"matters":3`}, noPerson},
			{"GET /api/v1/contact/stats", "GET", "/api/v1/contact/stats", roleStaffA, nil, nil, 403, nil, nil},
			{"GET /api/v1/contact/stats/export", "GET", "/api/v1/contact/stats/export", roleLeader, nil, nil, 200, nil, noPerson},
			{"GET /api/v1/contact/stats/export", "GET", "/api/v1/contact/stats/export", roleStaffA, nil, nil, 403, nil, nil},
			// Reception days.
			{"GET /receptions/new", "GET", "/receptions/new", roleStaffA, nil, nil, 200, []string{"城南街道委员联络站"}, []string{"城北街道委员联络站"}},
			{"GET /receptions/new", "GET", "/receptions/new", roleProposer, nil, nil, 403, nil, nil},
			{"POST /receptions", "POST", "/receptions", roleStaffB, url.Values{"station_id": {id(w.stA.ID)}, "day": {"2030-01-02"}, "start": {"09:00"}, "end": {"10:00"}, "member_ids": {id(ts.F.Members[1].ID)}}, nil, 403, nil, nil},
			{"POST /receptions", "POST", "/receptions", roleStaffA, url.Values{"station_id": {id(w.stA.ID)}, "day": {"2030-01-02"}, "start": {"09:00"}, "end": {"10:00"}, "member_ids": {id(ts.F.Members[1].ID)}}, nil, 303, nil, nil},
			{"GET /receptions/{id}", "GET", "/receptions/" + rec, roleProposer, nil, nil, 200, []string{"登记群众诉求", "城南路路灯不亮"}, nil},
			{"GET /receptions/{id}", "GET", "/receptions/" + rec, roleUnit1, nil, nil, 404, nil, nil},
			{"GET /receptions/{id}", "GET", "/receptions/" + rec, roleOther, nil, nil, 404, nil, nil},
			{"POST /receptions/{id}/matters", "POST", "/receptions/" + rec + "/matters", roleMember2, url.Values{"title": {"楼道灯坏了"}, "body": {"三号楼楼道灯坏了两个星期，老人上下楼不方便。"}}, nil, 404, nil, nil},
			{"POST /receptions/{id}/matters", "POST", "/receptions/" + rec + "/matters", roleProposer, url.Values{"title": {"楼道灯坏了"}, "body": {"三号楼楼道灯坏了两个星期，老人上下楼不方便。"}}, nil, 303, nil, nil},
			{"POST /receptions/{id}/hold", "POST", "/receptions/" + rec + "/hold", roleUnit1, url.Values{"visitors": {"5"}}, nil, 404, nil, nil},
			{"POST /receptions/{id}/cancel", "POST", "/receptions/" + rec + "/cancel", roleProposer, url.Values{"note": {"有事"}}, nil, 403, nil, nil},
			{"GET /contact/stations/{id}", "GET", "/contact/stations/" + id(w.stA.ID), roleAnon, nil, nil, 200, []string{"城南街道委员联络站", "给委员留言"}, noPerson},
			{"GET /contact/stations/{id}", "GET", "/contact/stations/999999", roleAnon, nil, nil, 404, nil, nil},
			{"GET /api/v1/public/stations/{id}", "GET", "/api/v1/public/stations/" + id(w.stA.ID), roleAnon, nil, nil, 200, []string{"城南街道委员联络站", "城南街道党群服务中心", `"counts":{`}, append(noPerson, "城南路路灯不亮")},
			{"GET /api/v1/public/stations/{id}", "GET", "/api/v1/public/stations/" + id(w.stA.ID), roleOther, nil, nil, 404, nil, nil},
			{"GET /api/v1/receptions", "GET", "/api/v1/receptions?station_id=" + id(w.stA.ID), roleProposer, nil, nil, 200, []string{"城南街道党群服务中心"}, nil},
			{"POST /api/v1/receptions", "POST", "/api/v1/receptions", roleProposer, nil, map[string]any{"station_id": w.stA.ID, "day": "2030-01-03", "start": "09:00", "end": "10:00", "member_ids": []int64{ts.F.Members[1].ID}}, 403, nil, nil},
			{"POST /api/v1/receptions", "POST", "/api/v1/receptions", roleStaffA, nil, map[string]any{"station_id": w.stA.ID, "day": "2030-01-03", "start": "09:00", "end": "10:00", "member_ids": []int64{ts.F.Members[1].ID}}, 201, nil, nil},
			{"GET /api/v1/receptions/{id}", "GET", "/api/v1/receptions/" + rec, roleStaffA, nil, nil, 200, []string{`"matters":`}, nil},
			{"GET /api/v1/receptions/{id}", "GET", "/api/v1/receptions/" + rec, roleOther, nil, nil, 404, nil, nil},
			{"POST /api/v1/receptions/{id}/matters", "POST", "/api/v1/receptions/" + rec + "/matters", roleStaffB, nil, matterBody, 404, nil, nil},
			{"POST /api/v1/receptions/{id}/matters", "POST", "/api/v1/receptions/" + rec + "/matters", roleStaffA, nil, matterBody, 201, []string{`"code":`}, nil},
			{"POST /api/v1/receptions/{id}/hold", "POST", "/api/v1/receptions/" + rec + "/hold", roleStaffB, nil, map[string]any{}, 404, nil, nil},
			{"POST /api/v1/receptions/{id}/cancel", "POST", "/api/v1/receptions/" + rec + "/cancel", roleStaffA, nil, map[string]any{}, 422, nil, nil},
			// Matters: lists and details.
			{"GET /matters", "GET", "/matters", roleUnit2, nil, nil, 200, nil, []string{"城南路路灯不亮", "小区垃圾清运不及时"}},
			{"GET /matters", "GET", "/matters", roleStaffB, nil, nil, 200, []string{"菜市场周边占道经营"}, []string{"城南路路灯不亮"}},
			// The exports show what the list shows, and never the citizen.
			{"GET /matters/export.csv", "GET", "/matters/export.csv", roleUnit2, nil, nil, 200, nil, []string{"城南路路灯不亮", "小区垃圾清运不及时"}},
			{"GET /matters/export.csv", "GET", "/matters/export.csv", roleStaffB, nil, nil, 200, []string{"菜市场周边占道经营"}, []string{"城南路路灯不亮", "赵先生", "13600000000"}},
			{"GET /matters/export.csv", "GET", "/matters/export.csv", roleStaffA, nil, nil, 200, []string{"城南路路灯不亮"}, []string{citizenName, citizenPhone}},
			{"GET /matters/export.xlsx", "GET", "/matters/export.xlsx", roleUnit1, nil, nil, 200, nil, nil},
			{"GET /matters/{id}", "GET", "/matters/" + m1, roleUnit1, nil, nil, 200, []string{citizenPhone, "签收"}, nil},
			{"GET /matters/{id}", "GET", "/matters/" + m1, roleUnit2, nil, nil, 404, nil, nil},
			{"GET /matters/{id}", "GET", "/matters/" + m1, roleStaffB, nil, nil, 404, nil, nil},
			{"GET /matters/{id}", "GET", "/matters/" + m1, roleOffice, nil, nil, 200, []string{"城南路路灯不亮"}, noPerson},
			{"GET /matters/{id}", "GET", "/matters/" + m1, roleLeader, nil, nil, 200, nil, noPerson},
			{"GET /matters/{id}", "GET", "/matters/" + m1, roleMember2, nil, nil, 404, nil, nil},
			{"GET /matters/{id}", "GET", "/matters/" + m1, roleOther, nil, nil, 404, nil, nil},
			{"GET /matters/{id}", "GET", "/matters/" + m1, roleAnon, nil, nil, 303, nil, nil},
			{"GET /matters/{id}", "GET", "/matters/" + m2, roleProposer, nil, nil, 200, []string{citizenPhone, "转为社情民意信息"}, nil},
			{"GET /api/v1/matters", "GET", "/api/v1/matters", roleUnit1, nil, nil, 200, []string{"城南路路灯不亮"}, []string{"小区垃圾清运不及时"}},
			{"GET /api/v1/matters", "GET", "/api/v1/matters", roleOffice, nil, nil, 200, []string{"菜市场周边占道经营"}, []string{citizenPhone, "13600000000"}},
			{"GET /api/v1/matters/{id}", "GET", "/api/v1/matters/" + m3, roleStaffA, nil, nil, 404, nil, nil},
			{"GET /api/v1/matters/{id}", "GET", "/api/v1/matters/" + m3, roleStaffB, nil, nil, 200, []string{"13600000000"}, nil},
			{"GET /api/v1/matters/{id}", "GET", "/api/v1/matters/" + m1, roleUnit1, nil, nil, 200, []string{`"photos":[]`}, nil},
			{"POST /api/v1/matters/suggest-category", "POST", "/api/v1/matters/suggest-category", roleStaffA, nil, map[string]any{"title": "路灯", "body": "路灯坏了"}, 200, []string{`"items"`}, nil},
			{"POST /api/v1/matters/suggest-category", "POST", "/api/v1/matters/suggest-category", roleAnon, nil, map[string]any{"title": "路灯"}, 401, nil, nil},
			// Matter actions: the unit signs and answers only its own.
			{"POST /matters/{id}/sign", "POST", "/matters/" + m1 + "/sign", roleUnit2, url.Values{}, nil, 404, nil, nil},
			{"POST /matters/{id}/sign", "POST", "/matters/" + m1 + "/sign", roleUnit1, url.Values{}, nil, 303, nil, nil},
			{"POST /matters/{id}/reply", "POST", "/matters/" + m1 + "/reply", roleStaffA, url.Values{"answer": {"已修复路灯。"}}, nil, 403, nil, nil},
			{"POST /api/v1/matters/{id}/reply", "POST", "/api/v1/matters/" + m1 + "/reply", roleUnit1, nil, map[string]any{"answer": "已安排维修，城南路路灯已全部恢复照明。"}, 200, []string{"answered"}, nil},
			{"POST /api/v1/matters/{id}/sign", "POST", "/api/v1/matters/" + m1 + "/sign", roleUnit1, nil, map[string]any{}, 409, nil, nil},
			{"POST /matters/{id}/forward", "POST", "/matters/" + m2 + "/forward", roleStaffB, url.Values{"unit_id": {id(ts.F.Units[1].ID)}}, nil, 404, nil, nil},
			{"POST /api/v1/matters/{id}/forward", "POST", "/api/v1/matters/" + m2 + "/forward", roleProposer, nil, map[string]any{"unit_id": ts.F.Units[1].ID}, 403, nil, nil},
			{"POST /api/v1/matters/{id}/forward", "POST", "/api/v1/matters/" + m2 + "/forward", roleStaffA, nil, map[string]any{"unit_id": 0}, 422, nil, nil},
			{"POST /api/v1/matters/{id}/set_category", "POST", "/api/v1/matters/" + m2 + "/set_category", roleStaffA, nil, map[string]any{"category": "环境保护"}, 200, []string{"环境保护"}, nil},
			{"POST /matters/{id}/set_category", "POST", "/matters/" + m2 + "/set_category", roleUnit1, url.Values{"category": {"环境保护"}}, nil, 404, nil, nil},
			{"POST /matters/{id}/answer", "POST", "/matters/" + m2 + "/answer", roleLeader, url.Values{"answer": {"已经处理好了。"}}, nil, 403, nil, nil},
			{"POST /api/v1/matters/{id}/answer", "POST", "/api/v1/matters/" + m2 + "/answer", roleOther, nil, map[string]any{"answer": "已经处理好了。"}, 404, nil, nil},
			{"POST /matters/{id}/return", "POST", "/matters/" + m2 + "/return", roleUnit1, url.Values{"comment": {"不属于本单位"}}, nil, 404, nil, nil},
			{"POST /api/v1/matters/{id}/return", "POST", "/api/v1/matters/" + m2 + "/return", roleStaffA, nil, map[string]any{"comment": "x"}, 403, nil, nil},
			{"POST /matters/{id}/decide", "POST", "/matters/" + m2 + "/decide", roleStaffA, url.Values{"comment": {"办结"}}, nil, 403, nil, nil},
			{"POST /api/v1/matters/{id}/decide", "POST", "/api/v1/matters/" + m2 + "/decide", roleOffice, nil, map[string]any{"comment": "办结"}, 409, nil, nil},
			{"POST /matters/{id}/close", "POST", "/matters/" + m2 + "/close", roleStaffA, url.Values{}, nil, 409, nil, nil},
			{"POST /api/v1/matters/{id}/close", "POST", "/api/v1/matters/" + m2 + "/close", roleUnit1, nil, map[string]any{}, 404, nil, nil},
			{"POST /matters/{id}/reject", "POST", "/matters/" + m3 + "/reject", roleStaffA, url.Values{"comment": {"x"}}, nil, 404, nil, nil},
			{"POST /api/v1/matters/{id}/reject", "POST", "/api/v1/matters/" + m3 + "/reject", roleStaffB, nil, map[string]any{}, 422, nil, nil},
			{"POST /matters/{id}/publish", "POST", "/matters/" + m2 + "/publish", roleOffice, url.Values{}, nil, 409, nil, nil},
			{"POST /api/v1/matters/{id}/publish", "POST", "/api/v1/matters/" + mp + "/publish", roleStaffA, nil, map[string]any{}, 403, nil, nil},
			{"POST /matters/{id}/unpublish", "POST", "/matters/" + mp + "/unpublish", roleStaffA, url.Values{}, nil, 403, nil, nil},
			{"POST /api/v1/matters/{id}/unpublish", "POST", "/api/v1/matters/" + mp + "/unpublish", roleOther, nil, map[string]any{}, 404, nil, nil},
			{"POST /matters/{id}/to_report", "POST", "/matters/" + m2 + "/to_report", roleStaffA, url.Values{}, nil, 403, nil, nil},
			{"POST /api/v1/matters/{id}/to_report", "POST", "/api/v1/matters/" + m2 + "/to_report", roleMember2, nil, map[string]any{}, 404, nil, nil},
			{"POST /matters/{id}/to_draft", "POST", "/matters/" + m2 + "/to_draft", roleUnit1, url.Values{}, nil, 404, nil, nil},
			{"POST /api/v1/matters/{id}/to_draft", "POST", "/api/v1/matters/" + m2 + "/to_draft", roleProposer, nil, map[string]any{}, 200, []string{"converted"}, nil},
			{"GET /matter-files/{id}", "GET", "/matter-files/999999", roleStaffA, nil, nil, 404, nil, nil},
			// The public.
			{"GET /messages/new", "GET", "/messages/new", roleAnon, nil, nil, 200, []string{"给委员留言", "城南街道委员联络站"}, nil},
			{"POST /messages", "POST", "/messages", roleAnon, url.Values{"station_id": {id(w.stA.ID)}, "title": {"骂人"}, "body": {"你们这些狗官什么都不管，路灯坏了两周了"}}, nil, 422, []string{"文明表达"}, nil},
			{"POST /messages", "POST", "/messages", roleAnon, url.Values{"station_id": {id(w.stA.ID)}, "title": {"公交站台破损"}, "body": {"城南公交站候车亭玻璃碎了，下雨天无法避雨。"}}, nil, 200, []string{"查询码"}, nil},
			{"GET /track", "GET", "/track?code=" + w.mPub.Code, roleAnon, nil, nil, 200, []string{"公园健身器材损坏", "本周修复", "[姓名已隐去]"}, append(noPerson, "501室")},
			{"GET /track", "GET", "/track?code=ZZZZ-ZZZZ", roleAnon, nil, nil, 404, nil, nil},
			{"POST /track/feedback", "POST", "/track/feedback", roleAnon, url.Values{"code": {w.m2.Code}, "settled": {"1"}}, nil, 422, nil, nil},
			{"GET /public/messages", "GET", "/public/messages", roleAnon, nil, nil, 200, []string{"公园健身器材损坏", "[姓名已隐去]", "[地址已隐去]"}, append(noPerson, "501室", "小区垃圾清运不及时")},
			{"GET /api/v1/public/messages", "GET", "/api/v1/public/messages", roleAnon, nil, nil, 200, []string{"公园健身器材损坏"}, append(noPerson, "501室")},
			{"GET /api/v1/public/matters/{code}", "GET", "/api/v1/public/matters/" + w.m1.Code, roleAnon, nil, nil, 200, []string{"城南路路灯不亮", "已全部恢复照明"}, append(noPerson, "小区垃圾清运不及时", w.m2.Code)},
			{"GET /api/v1/public/matters/{code}", "GET", "/api/v1/public/matters/ABCD-EFGH", roleAnon, nil, nil, 404, nil, nil},
			{"POST /api/v1/public/matters/{code}/feedback", "POST", "/api/v1/public/matters/" + w.m3.Code + "/feedback", roleAnon, nil, map[string]any{"settled": true}, 409, nil, nil},
			{"POST /api/v1/public/matters/{code}/feedback", "POST", "/api/v1/public/matters/" + w.m1.Code + "/feedback", roleAnon, nil, map[string]any{"settled": true}, 200, []string{"settled"}, noPerson},
			{"POST /api/v1/public/messages", "POST", "/api/v1/public/messages", roleAnon, nil, map[string]any{"station_id": w.stB.ID, "title": "路面塌陷", "body": "城北大道中段路面塌陷，夜间很危险。", "citizen_phone": "123"}, 422, nil, nil},
			// Reports and issues.
			{"GET /reports", "GET", "/reports", roleMember2, nil, nil, 200, nil, []string{"加装电梯"}},
			{"GET /reports", "GET", "/reports", roleProposer, nil, nil, 200, []string{"加装电梯"}, nil},
			{"GET /reports/export.csv", "GET", "/reports/export.csv", roleMember2, nil, nil, 200, nil, []string{"加装电梯"}},
			{"GET /reports/export.csv", "GET", "/reports/export.csv", roleProposer, nil, nil, 200, []string{"加装电梯"}, nil},
			{"GET /reports/export.xlsx", "GET", "/reports/export.xlsx", roleOffice, nil, nil, 200, nil, nil},
			{"GET /reports/new", "GET", "/reports/new", roleProposer, nil, nil, 200, []string{"1500"}, nil},
			{"POST /reports", "POST", "/reports", roleUnit1, url.Values{"title": {"x"}, "body": {"y"}}, nil, 403, nil, nil},
			{"POST /reports", "POST", "/reports", roleProposer, url.Values{"title": {"关于路灯的建议"}, "body": {strings.Repeat("长", 1501)}}, nil, 422, []string{"1500"}, nil},
			{"GET /reports/{id}", "GET", "/reports/" + rep, roleProposer, nil, nil, 200, []string{"第1稿"}, nil},
			{"GET /reports/{id}", "GET", "/reports/" + rep, roleMember2, nil, nil, 404, nil, nil},
			{"GET /reports/{id}", "GET", "/reports/" + rep, roleOther, nil, nil, 404, nil, nil},
			{"POST /reports/{id}/edit", "POST", "/reports/" + rep2 + "/edit", roleProposer, url.Values{"title": {"x"}, "body": {"y"}}, nil, 403, nil, nil},
			{"POST /reports/{id}/merge", "POST", "/reports/" + rep2 + "/merge", roleLeader, url.Values{"into": {rep}}, nil, 403, nil, nil},
			{"POST /reports/{id}/reject", "POST", "/reports/" + rep2 + "/reject", roleOffice, url.Values{}, nil, 422, nil, nil},
			{"POST /reports/{id}/adopt", "POST", "/reports/" + rep + "/adopt", roleProposer, url.Values{"level": {"city"}, "place": {"市政协"}}, nil, 403, nil, nil},
			{"POST /reports/{id}/instruct", "POST", "/reports/" + rep + "/instruct", roleLeader, url.Values{"text": {"请研究落实。"}}, nil, 303, nil, nil},
			{"POST /reports/{id}/feedback", "POST", "/reports/" + rep + "/feedback", roleUnit1, url.Values{"place": {"区住建局"}, "text": {"已落实。"}}, nil, 404, nil, nil},
			{"POST /reports/{id}/withdraw", "POST", "/reports/" + rep + "/withdraw", roleProposer, url.Values{}, nil, 409, nil, nil},
			{"GET /api/v1/reports", "GET", "/api/v1/reports", roleOffice, nil, nil, 200, []string{"加装电梯"}, nil},
			{"POST /api/v1/reports", "POST", "/api/v1/reports", roleMember2, nil, map[string]any{"title": "关于加装电梯、停车、垃圾分类等问题的建议", "body": strings.Repeat("问题较多。", 12)}, 422, []string{"一件事"}, nil},
			{"GET /api/v1/reports/{id}", "GET", "/api/v1/reports/" + rep, roleLeader, nil, nil, 200, []string{"versions"}, nil},
			{"GET /api/v1/reports/{id}/similar", "GET", "/api/v1/reports/" + rep2 + "/similar", roleOffice, nil, nil, 200, nil, nil},
			{"GET /api/v1/reports/{id}/similar", "GET", "/api/v1/reports/" + rep2 + "/similar", roleProposer, nil, nil, 403, nil, nil},
			{"POST /api/v1/reports/{id}/edit", "POST", "/api/v1/reports/" + rep2 + "/edit", roleOffice, nil, map[string]any{"title": "关于规范农贸市场周边经营秩序的建议", "body": strings.Repeat("农贸市场周边占道经营影响交通和环境卫生。", 5), "note": "补充"}, 200, []string{`"version":2`}, nil},
			{"POST /api/v1/reports/{id}/merge", "POST", "/api/v1/reports/" + rep2 + "/merge", roleOffice, nil, map[string]any{"into": w.report.ID}, 422, nil, nil},
			{"POST /api/v1/reports/{id}/reject", "POST", "/api/v1/reports/" + rep2 + "/reject", roleOther, nil, map[string]any{"note": "x"}, 404, nil, nil},
			{"POST /api/v1/reports/{id}/adopt", "POST", "/api/v1/reports/" + rep + "/adopt", roleOffice, nil, map[string]any{"level": "provincial", "place": "省政协办公厅"}, 200, []string{"adoption"}, nil},
			{"POST /api/v1/reports/{id}/instruct", "POST", "/api/v1/reports/" + rep + "/instruct", roleMember2, nil, map[string]any{"text": "x"}, 404, nil, nil},
			{"POST /api/v1/reports/{id}/feedback", "POST", "/api/v1/reports/" + rep + "/feedback", roleOffice, nil, map[string]any{"place": "区住建局", "text": "已出台指引。"}, 200, nil, nil},
			{"POST /api/v1/reports/{id}/withdraw", "POST", "/api/v1/reports/" + rep2 + "/withdraw", roleMember2, nil, map[string]any{}, 404, nil, nil},
			{"GET /issues", "GET", "/issues", roleOffice, nil, nil, 200, []string{"第1期"}, nil},
			{"GET /issues", "GET", "/issues", roleProposer, nil, nil, 403, nil, nil},
			{"POST /issues", "POST", "/issues", roleLeader, url.Values{"report_ids": {rep2}, "recipients": {"区委"}}, nil, 403, nil, nil},
			{"GET /issues/{id}", "GET", "/issues/" + iss, roleProposer, nil, nil, 200, []string{"社情民意", "加装电梯", "data-print"}, nil},
			{"GET /issues/{id}", "GET", "/issues/" + iss, roleMember2, nil, nil, 404, nil, nil},
			{"POST /issues/{id}/send", "POST", "/issues/" + iss + "/send", roleProposer, url.Values{}, nil, 403, nil, nil},
			{"GET /api/v1/opinion-issues", "GET", "/api/v1/opinion-issues", roleLeader, nil, nil, 200, []string{"2026年第1期"}, nil},
			{"POST /api/v1/opinion-issues", "POST", "/api/v1/opinion-issues", roleOffice, nil, map[string]any{"recipients": []string{"区委"}, "report_ids": []int64{w.report2.ID}}, 201, []string{`"number":2`}, nil},
			{"GET /api/v1/opinion-issues/{id}", "GET", "/api/v1/opinion-issues/" + iss, roleOther, nil, nil, 404, nil, nil},
			{"POST /api/v1/opinion-issues/{id}/send", "POST", "/api/v1/opinion-issues/" + iss + "/send", roleOffice, nil, map[string]any{}, 200, []string{"sent_at"}, nil},
			{"POST /issues", "POST", "/issues", roleOffice, url.Values{"report_ids": {rep2}, "recipients": {"区委"}}, nil, 422, nil, nil},
			{"POST /issues/{id}/send", "POST", "/issues/" + iss + "/send", roleOffice, url.Values{}, nil, 409, nil, nil},
		}
		callers := map[string]*caller{}
		covered := map[string]bool{}
		for _, c := range cases {
			who := callers[c.as]
			if who == nil {
				who = ts.session(c.as)
				callers[c.as] = who
			}
			r := ts.do(req{Method: c.method, Path: c.path, As: who, Form: c.form, JSON: c.json})
			covered[c.route] = true
			if r.Status != c.status {
				t.Errorf("%s as %s: %d, want %d: %.300s", c.route, c.as, r.Status, c.status, r.Body)
				continue
			}
			for _, s := range c.has {
				if !strings.Contains(r.Body, s) {
					t.Errorf("%s %s as %s: body lacks %q", c.method, c.path, c.as, s)
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(r.Body, s) {
					t.Errorf("%s %s as %s: body shows %q", c.method, c.path, c.as, s)
				}
			}
		}
		for _, rt := range parseRoutes(t, "routes") {
			if !isContactRoute(rt) {
				continue
			}
			if !covered[rt] {
				t.Errorf("route %s has no permission scenario", rt)
			}
		}
	})
}

func TestMessageBoxLimitsAndPhotos(t *testing.T) {
	w := newContactWorld(t, testenv.SQLiteDSN(t))
	ts := w.ts
	v := ts.visitor()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	form := url.Values{"station_id": {fmt.Sprint(w.stA.ID)}, "title": {"人行道砖松动"}, "body": {"城南路人行道多块地砖松动，雨天踩下去会溅水。"}}
	r := ts.do(req{Method: "POST", Path: "/messages", As: v, Form: form, File: &fileUpload{Field: "photos", Name: "a.png", Data: png}})
	ts.expect(r, http.StatusOK, "查询码")
	// The photo is in the matter's API answer, with the URL that serves it.
	ms, err := ts.F.Svc.Store.Matters(context.Background(), store.MatterFilter{CommitteeID: ts.F.Committee.ID, StationIDs: []int64{w.stA.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var withPhoto int64
	for _, m := range ms {
		if m.Title == "人行道砖松动" {
			withPhoto = m.ID
		}
	}
	staff := ts.login(roleStaffA)
	r = ts.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/matters/%d", withPhoto), As: staff})
	ts.expect(r, http.StatusOK, `"photos":[{"id":`, `"url":"/matter-files/`)
	r = ts.do(req{Method: "POST", Path: "/messages", As: v, Form: form, File: &fileUpload{Field: "photos", Name: "x.png", Data: []byte("#!/bin/sh\nrm -rf /\n")}})
	ts.expect(r, http.StatusUnprocessableEntity, "只能上传照片")
	n := 2
	for ; n < 10; n++ {
		r = ts.do(req{Method: "POST", Path: "/messages", As: v, Form: form})
		if r.Status == http.StatusTooManyRequests {
			break
		}
	}
	if n != 5 {
		t.Errorf("the message box let %d messages through from one address in ten minutes, want 5", n)
	}
	// No account was created by any message.
	users, err := ts.F.Svc.Store.Users(context.Background(), store.UserFilter{CommitteeID: ts.F.Committee.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Role == zhengxie.RoleAnonymous || strings.Contains(u.Name, "公众") {
			t.Errorf("a message created the account %+v", u)
		}
	}
}

// isContactRoute reports whether a route of routes() belongs to the contact
// module (接访、群众留言、社情民意).
func isContactRoute(rt string) bool {
	_, path, _ := strings.Cut(rt, " ")
	path = strings.TrimPrefix(path, "/api/v1")
	if strings.HasPrefix(path, "/reports/annual") {
		return false // the annual work report (stats)
	}
	for _, p := range []string{"/contact", "/receptions", "/matters", "/matter-files/", "/messages", "/track", "/public/messages", "/public/matters",
		"/reports", "/issues", "/opinion-issues", "/public/stations"} {
		if path == p || strings.HasPrefix(path, p+"/") || strings.HasPrefix(path, p+".") || (strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) {
			return true
		}
	}
	return false
}
