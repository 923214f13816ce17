package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// dutyWorld is the test committee with a liaison station whose director
// (member5) organises its activities, an office activity and a station
// activity, both published and starting in half an hour.
type dutyWorld struct {
	ts                *testServer
	station           *zhengxie.Station
	officeAct, stAct  int64
	director          *caller
	m1, m2, m3, m5    *zhengxie.User
	office, admin, ot *caller
}

func newDutyWorld(t *testing.T, dsn string) *dutyWorld {
	ts := newTestServer(t, dsn)
	ctx := context.Background()
	f := ts.F
	svc := f.Svc
	w := &dutyWorld{ts: ts, m1: f.Members[0], m2: f.Members[1], m3: f.Members[2], m5: f.Members[4]}
	admin := f.Actor(f.Admin)
	w.station = &zhengxie.Station{Kind: zhengxie.StationLiaison, Name: "城东委员联络站"}
	if err := svc.SaveStation(ctx, admin, w.station); err != nil {
		t.Fatal(err)
	}
	p, err := svc.MemberProfile(ctx, admin, w.m5.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.Memberships = []zhengxie.Membership{{OrgKind: zhengxie.OrgStation, OrgID: w.station.ID, Role: zhengxie.OrgRoleDirector}}
	if err := svc.UpdateMember(ctx, admin, p); err != nil {
		t.Fatal(err)
	}
	ts.users["member5"] = w.m5
	w.director, w.office, w.admin, w.ot = ts.session("member5"), ts.session(roleOffice), ts.session(roleAdmin), ts.session(roleOther)
	start := time.Now().Add(30 * time.Minute).Format(time.RFC3339)
	r := ts.do(req{Method: "POST", Path: "/api/v1/activities", As: w.office, JSON: map[string]any{"kind": "inspection", "title": "城区河涌整治视察", "starts_at": start, "place": "区政府",
		"invite": map[string]any{"user_ids": []int64{w.m1.ID, w.m2.ID}}}})
	ts.expect(r, http.StatusCreated, `"state":"draft"`)
	var a apiActivityDetail
	r.decode(t, &a)
	w.officeAct = a.ID
	r = ts.do(req{Method: "POST", Path: "/api/v1/activities", As: w.director, JSON: map[string]any{"kind": "community", "title": "协商进社区：停车难", "starts_at": start,
		"organizer_kind": "station", "organizer_id": w.station.ID, "invite": map[string]any{"user_ids": []int64{w.m1.ID, w.m3.ID}}}})
	ts.expect(r, http.StatusCreated)
	r.decode(t, &a)
	w.stAct = a.ID
	for _, c := range []struct {
		as *caller
		id int64
	}{{w.office, w.officeAct}, {w.director, w.stAct}} {
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + sid(c.id) + "/publish", As: c.as, JSON: map[string]any{}}), http.StatusOK, `"state":"published"`)
	}
	return w
}

func (w *dutyWorld) token(t *testing.T, as *caller, id int64) string {
	r := w.ts.do(req{Method: "GET", Path: "/api/v1/activities/" + sid(id) + "/signin-token", As: as})
	w.ts.expect(r, http.StatusOK, "/signin?t=")
	var out struct {
		Token string `json:"token"`
	}
	r.decode(t, &out)
	return out.Token
}

// TestDutyPermissions: a member sees only their own record and answer, an
// organiser only their activities' attendance, the office all, another
// committee nothing; and every duty route answers as documented.
func TestDutyPermissions(t *testing.T) {
	w := newDutyWorld(t, testenv.SQLiteDSN(t))
	ts := w.ts
	m1, m2, m3 := ts.session(roleProposer), ts.session(roleMember2), ts.session(roleCosigner)
	leader := ts.session(roleLeader)
	oa, sa := sid(w.officeAct), sid(w.stAct)
	cases := []struct {
		name   string
		q      req
		status int
		has    []string
		lacks  []string
	}{
		{"invitee sees the activity and only their row", req{Method: "GET", Path: "/api/v1/activities/" + oa, As: m1}, 200, []string{`"mine"`}, []string{`"attendance"`, w.m2.Name}},
		{"invitee may not read the attendance", req{Method: "GET", Path: "/api/v1/activities/" + oa + "/attendance", As: m1}, 403, nil, nil},
		{"member not invited: not found", req{Method: "GET", Path: "/api/v1/activities/" + oa, As: m3}, 404, nil, []string{"河涌"}},
		{"organiser reads their attendance", req{Method: "GET", Path: "/api/v1/activities/" + sa + "/attendance", As: w.director}, 200, []string{w.m1.Name, w.m3.Name}, nil},
		{"organiser: not another organiser's activity", req{Method: "GET", Path: "/api/v1/activities/" + oa + "/attendance", As: w.director}, 404, nil, []string{w.m2.Name}},
		{"organiser cannot mark another's", req{Method: "POST", Path: "/api/v1/activities/" + oa + "/attendance", As: w.director, JSON: map[string]any{"user_id": w.m1.ID, "mark": "mark_absent", "reason": "x"}}, 404, nil, nil},
		{"office reads every attendance", req{Method: "GET", Path: "/api/v1/activities/" + sa + "/attendance", As: w.office}, 200, []string{w.m3.Name}, nil},
		{"leader reads attendance", req{Method: "GET", Path: "/api/v1/activities/" + sa + "/attendance", As: leader}, 200, nil, nil},
		{"another committee: not found", req{Method: "GET", Path: "/api/v1/activities/" + oa, As: w.ot}, 404, nil, nil},
		{"another committee's list is empty", req{Method: "GET", Path: "/api/v1/activities", As: w.ot}, 200, nil, []string{"河涌"}},
		{"member's list has only theirs", req{Method: "GET", Path: "/api/v1/activities", As: m2}, 200, []string{"河涌"}, []string{"停车难"}},
		{"member marks attendance: forbidden", req{Method: "POST", Path: "/api/v1/activities/" + oa + "/attendance", As: m1, JSON: map[string]any{"user_id": w.m2.ID, "mark": "mark_absent", "reason": "x"}}, 403, nil, nil},
		{"member publishes: forbidden", req{Method: "POST", Path: "/api/v1/activities/" + oa + "/hold", As: m1, JSON: map[string]any{}}, 403, []string{"活动组织方"}, nil},
		{"member token: forbidden", req{Method: "GET", Path: "/api/v1/activities/" + oa + "/signin-token", As: m1}, 403, nil, nil},
		{"member creates an office activity: forbidden", req{Method: "POST", Path: "/api/v1/activities", As: m1, JSON: map[string]any{"kind": "study", "title": "x", "starts_at": "2026-05-01T09:00", "invite": map[string]any{"all": true}}}, 403, nil, nil},
		{"own record", req{Method: "GET", Path: "/api/v1/duty/record", As: m1}, 200, []string{w.m1.Name, `"checklist"`}, nil},
		{"another member's record: not found", req{Method: "GET", Path: "/api/v1/duty/record?member=" + sid(w.m2.ID), As: m1}, 404, nil, []string{w.m2.Name}},
		{"office reads any record", req{Method: "GET", Path: "/api/v1/duty/record?member=" + sid(w.m2.ID), As: w.office}, 200, []string{w.m2.Name}, nil},
		{"another committee's record: not found", req{Method: "GET", Path: "/api/v1/duty/record?member=" + sid(w.m2.ID), As: w.ot}, 404, nil, nil},
		{"member: no ranking", req{Method: "GET", Path: "/api/v1/duty/ranking", As: m1}, 403, nil, nil},
		{"office: ranking", req{Method: "GET", Path: "/api/v1/duty/ranking", As: w.office}, 200, nil, nil},
		{"member: no export", req{Method: "GET", Path: "/api/v1/duty/ranking/export", As: m1}, 403, nil, nil},
		{"member records a deed: forbidden", req{Method: "POST", Path: "/api/v1/duty/records", As: m1, JSON: map[string]any{"user_id": w.m1.ID, "kind": "deed", "title": "x", "on": "2026-03-01", "beneficiary": "y"}}, 403, nil, nil},
		{"office changes rules: forbidden", req{Method: "PUT", Path: "/api/v1/duty/rules", As: w.office, JSON: apiRulesBody(zhengxie.DefaultDutyRules(2026))}, 403, nil, nil},
		{"member's records are their own", req{Method: "GET", Path: "/api/v1/duty/records", As: m1}, 200, nil, nil},
		{"anonymous", req{Method: "GET", Path: "/api/v1/duty/record"}, 401, nil, nil},
		{"member page: own record", req{Method: "GET", Path: "/duty/record", As: m1}, 200, []string{"10件作业", w.m1.Name}, nil},
		{"member page: another's record", req{Method: "GET", Path: "/duty/record?member=" + sid(w.m2.ID), As: m1}, 404, nil, nil},
		{"member page: ranking", req{Method: "GET", Path: "/duty/ranking", As: m1}, 403, nil, nil},
		{"office page: ranking", req{Method: "GET", Path: "/duty/ranking", As: w.office}, 200, []string{"履职排名"}, nil},
		{"organiser QR page", req{Method: "GET", Path: "/activities/" + sa + "/qr", As: w.director}, 200, []string{"签到二维码", "/signin?t="}, nil},
		{"member QR page", req{Method: "GET", Path: "/activities/" + sa + "/qr", As: m1}, 403, nil, nil},
		{"other QR page", req{Method: "GET", Path: "/activities/" + sa + "/qr", As: w.ot}, 404, nil, nil},
		{"activity page for the invitee", req{Method: "GET", Path: "/activities/" + oa, As: m1}, 200, []string{"我的回复", "参加"}, []string{"出席情况"}},
		{"activity page for the office", req{Method: "GET", Path: "/activities/" + oa, As: w.office}, 200, []string{"出席情况", w.m2.Name}, nil},
		{"rules page", req{Method: "GET", Path: "/duty/rules", As: w.office}, 200, []string{"10件作业", "为群众办实事"}, nil},
		{"records page", req{Method: "GET", Path: "/duty/records", As: w.office}, 200, []string{"新增记录"}, nil},
		{"activity list page", req{Method: "GET", Path: "/activities", As: m1}, 200, []string{"河涌", "停车难"}, nil},
		{"new activity form for a member", req{Method: "GET", Path: "/activities/new", As: m1}, 403, nil, nil},
		{"new activity form for the director", req{Method: "GET", Path: "/activities/new", As: w.director}, 200, []string{"城东委员联络站"}, []string{"政协机关</option>"}},
	}
	for _, c := range cases {
		r := ts.do(c.q)
		if r.Status != c.status {
			t.Errorf("%s: %s, want %d", c.name, r, c.status)
			continue
		}
		for _, s := range c.has {
			if !strings.Contains(r.Body, s) {
				t.Errorf("%s: lacks %q", c.name, s)
			}
		}
		for _, s := range c.lacks {
			if strings.Contains(r.Body, s) {
				t.Errorf("%s: shows %q", c.name, s)
			}
		}
	}
	if n, _ := ts.F.Svc.Store.UnreadCount(context.Background(), w.m1.ID); n < 2 {
		t.Errorf("member1 has %d notifications, want the two invitations", n)
	}
}

// TestDutyYear: answers, sign-in (once, for oneself, in the window, with a
// real token), the organiser's marks, holding the activity, a deed, a rule
// change, and the record, the points and the ranking that follow.
func TestDutyYear(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newDutyWorld(t, dsn)
		ts := w.ts
		ctx := context.Background()
		m1, m2 := ts.session(roleProposer), ts.session(roleMember2)
		oa := sid(w.officeAct)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/answer", As: m2, JSON: map[string]any{"answer": "leave"}}), http.StatusUnprocessableEntity, "请假须说明理由")
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/answer", As: m1, JSON: map[string]any{"answer": "attend"}}), http.StatusOK, `"state":"attending"`)
		tok := w.token(t, w.office, w.officeAct)
		stTok := w.token(t, w.director, w.stAct)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/signin", As: m1, JSON: map[string]any{"token": stTok}}), http.StatusForbidden, "签到二维码无效")
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/signin", As: m1, JSON: map[string]any{"token": tok[:len(tok)-2] + "xx"}}), http.StatusForbidden)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/signin", As: m1, JSON: map[string]any{"token": tok}}), http.StatusOK, `"state":"signed_in"`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/signin", As: m1, JSON: map[string]any{"token": tok}}), http.StatusConflict, "无需重复签到")
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/signin", As: ts.session(roleCosigner), JSON: map[string]any{"token": tok}}), http.StatusNotFound)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/signin", As: w.office, JSON: map[string]any{"token": tok}}), http.StatusForbidden, "本人")
		// The token expires: an hour later it is refused with a clear message.
		svc := ts.F.Svc
		real := svc.Clock
		svc.Clock = func() time.Time { return real().Add(2 * time.Hour) }
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/signin", As: ts.session(roleMember2), JSON: map[string]any{"token": tok}}), http.StatusConflict, "二维码已过期")
		svc.Clock = func() time.Time { return real().Add(5 * time.Hour) }
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/activities/" + oa + "/signin-token", As: ts.session(roleOffice)}), http.StatusConflict, "签到时间已过")
		svc.Clock = real
		// Sessions idle past their limit under the moved clock: log in again.
		m1, m2 = ts.session(roleProposer), ts.session(roleMember2)
		w.office, w.admin, w.director = ts.session(roleOffice), ts.session(roleAdmin), ts.session("member5")
		// An activity three days away: the code is shown, the sign-in refused.
		r := ts.do(req{Method: "POST", Path: "/api/v1/activities", As: w.office, JSON: map[string]any{"kind": "study", "title": "履职能力培训", "starts_at": time.Now().Add(72 * time.Hour).Format(time.RFC3339),
			"invite": map[string]any{"user_ids": []int64{w.m1.ID}}}})
		var later apiActivityDetail
		r.decode(t, &later)
		ts.do(req{Method: "POST", Path: "/api/v1/activities/" + sid(later.ID) + "/publish", As: w.office, JSON: map[string]any{}})
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + sid(later.ID) + "/signin", As: m1, JSON: map[string]any{"token": w.token(t, w.office, later.ID)}}), http.StatusConflict, "签到尚未开始")
		// The organiser marks by hand, with a reason.
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/attendance", As: w.office, JSON: map[string]any{"user_id": w.m2.ID, "mark": "mark_absent"}}), http.StatusUnprocessableEntity, "理由")
		// Held: member1 attended, member2 absent (no sign-in, no leave).
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/hold", As: w.office, JSON: map[string]any{}}), http.StatusOK, `"state":"held"`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/close", As: w.office, JSON: map[string]any{}}), http.StatusUnprocessableEntity, "活动纪要")
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/close", As: w.office, JSON: map[string]any{"minutes": "视察了三条河涌，提出五条建议。"}}), http.StatusOK, `"state":"closed"`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/cancel", As: w.office, JSON: map[string]any{}}), http.StatusConflict, "已办结")
		year := sid(int64(time.Now().In(zhengxie.ChinaTime()).Year()))
		rec := func(as *caller, member *zhengxie.User) apiDutyRecordYear {
			r := ts.do(req{Method: "GET", Path: "/api/v1/duty/record?year=" + year + "&member=" + sid(member.ID), As: as})
			ts.expect(r, http.StatusOK)
			var out apiDutyRecordYear
			r.decode(t, &out)
			return out
		}
		if got := rec(m1, w.m1); got.Points != 2 || got.Attendance["attended"] != 1 || len(got.Items) != 1 || got.Items[0].Link != "/activities/"+oa {
			t.Errorf("member1 after the inspection: %+v", got)
		}
		if got := rec(w.office, w.m2); got.Points != -3 || got.Attendance["absences"] != 1 {
			t.Errorf("member2 absent: %+v", got)
		}
		// The office corrects member2 by hand: present after all.
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/activities/" + oa + "/attendance", As: w.office, JSON: map[string]any{"user_id": w.m2.ID, "mark": "mark_present", "reason": "现场签到表有签名"}}),
			http.StatusOK, `"by_hand":true`)
		if got := rec(w.office, w.m2); got.Points != 2 {
			t.Errorf("member2 marked present: %d points", got.Points)
		}
		// A deed recorded by the office.
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/duty/records", As: w.office, JSON: map[string]any{"user_id": w.m1.ID, "kind": "deed", "title": "协调解决小区路灯维修", "on": year + "-03-15"}}),
			http.StatusUnprocessableEntity, "为谁办")
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/duty/records", As: w.office, JSON: map[string]any{"user_id": w.m1.ID, "kind": "deed", "title": "协调解决小区路灯维修", "on": year + "-03-15", "beneficiary": "幸福里小区居民"}}),
			http.StatusCreated)
		got := rec(m1, w.m1)
		if got.Points != 7 {
			t.Errorf("member1 with a deed: %d points", got.Points)
		}
		for _, c := range got.Checklist {
			if (c.Code == "deed" || c.Code == "inspection") != c.Done {
				t.Errorf("checklist %s done=%v", c.Code, c.Done)
			}
		}
		// A report adopted at city level by the module to come counts once.
		for i := 0; i < 2; i++ {
			err := ts.F.Svc.Store.InTx(ctx, func(tx *store.Tx) error {
				return tx.AppendEvent(&zhengxie.Event{CommitteeID: ts.F.Committee.ID, SubjectKind: "report", SubjectID: 41, ActorID: w.m1.ID, ActorName: w.m1.Name,
					Action: zhengxie.EventReportAdopted, Comment: "关于加强校园周边交通管理的建议", Payload: `{"level":"city"}`})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := rec(m1, w.m1); got.Points != 12 {
			t.Errorf("member1 with a report adopted by the city (twice): %d points", got.Points)
		}
		// A rule change recomputes the year as a job; the ranking follows.
		rules := zhengxie.DefaultDutyRules(time.Now().In(zhengxie.ChinaTime()).Year())
		for i := range rules.Points {
			if rules.Points[i].Kind == zhengxie.DutyDeed {
				rules.Points[i].Points = 20
			}
		}
		ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/duty/rules", As: w.admin, JSON: apiRulesBody(rules)}), http.StatusOK)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/duty/recompute?year=" + year, As: w.office}), http.StatusOK, `"state":"pending"`)
		if _, err := ts.F.Svc.Jobs().RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/duty/recompute?year=" + year, As: w.office}), http.StatusOK, `"state":"done"`)
		r = ts.do(req{Method: "GET", Path: "/api/v1/duty/ranking?year=" + year, As: w.office})
		var rk struct {
			Items []apiRankRow `json:"items"`
		}
		r.decode(t, &rk)
		if len(rk.Items) != len(ts.F.Members) || rk.Items[0].UserID != w.m1.ID || rk.Items[0].Points != 27 || rk.Items[0].Rank != 1 {
			t.Errorf("ranking after the rule change: %+v", rk.Items)
		}
		if got := rec(m1, w.m1); got.Rank != 1 || got.Of != len(ts.F.Members) {
			t.Errorf("member1's rank %d of %d", got.Rank, got.Of)
		}
		// Paged: a page holds the rows of the whole table at its place, with
		// their ranks, and the counts of the whole table.
		type rankPage struct {
			Items        []apiRankRow     `json:"items"`
			Distribution []map[string]any `json:"distribution"`
			Low          int              `json:"low_attendance"`
			Total        int              `json:"total"`
			Page         int              `json:"page"`
			Limit        int              `json:"limit"`
		}
		var all rankPage
		ts.do(req{Method: "GET", Path: "/api/v1/duty/ranking?limit=500&year=" + year, As: w.office}).decode(t, &all)
		if all.Total != len(ts.F.Members) || len(all.Items) != all.Total || all.Limit != 500 || all.Page != 1 {
			t.Fatalf("whole ranking: total %d, %d items, page %d of %d", all.Total, len(all.Items), all.Page, all.Limit)
		}
		for i := range all.Items {
			var p rankPage
			ts.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/duty/ranking?limit=1&page=%d&year=%s", i+1, year), As: w.office}).decode(t, &p)
			if len(p.Items) != 1 || p.Items[0] != all.Items[i] || p.Total != all.Total || p.Low != all.Low || fmt.Sprint(p.Distribution) != fmt.Sprint(all.Distribution) {
				t.Errorf("page %d of one row: %+v, want %+v of the whole table", i+1, p, all.Items[i])
			}
		}
		var past rankPage
		ts.do(req{Method: "GET", Path: "/api/v1/duty/ranking?page=99&year=" + year, As: w.office}).decode(t, &past)
		if len(past.Items) != 0 || past.Total != all.Total {
			t.Errorf("a page past the end: %+v", past)
		}
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/duty/ranking?limit=0&year=" + year, As: w.office}), http.StatusUnprocessableEntity)
		ts.expect(ts.do(req{Method: "GET", Path: "/duty/ranking?page=2&year=" + year, As: w.office}), http.StatusOK, fmt.Sprintf("%d名委员", all.Total))
		r = ts.do(req{Method: "GET", Path: "/api/v1/duty/ranking/export?year=" + year + "&per_member=1", As: w.office})
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("xlsx export: %d %.40q", r.Status, r.Body)
		}
		evs, err := ts.F.Svc.Store.SubjectEvents(ctx, ts.F.Committee.ID, app.SubjectActivity, w.officeAct)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range evs {
			actions = append(actions, e.Action)
		}
		want := "activity.created activity.publish attendance.attend attendance.sign_in activity.hold activity.close attendance.mark_present"
		if strings.Join(actions, " ") != want {
			t.Errorf("events of the activity:\n got %s\nwant %s", strings.Join(actions, " "), want)
		}
		if vs, err := ts.F.Svc.Store.VerifyEvents(ctx); err != nil || vs[0].Break != nil {
			t.Errorf("the chain does not verify: %v %+v", err, vs)
		}
	})
}

// TestDutyActivityEdit: the organiser moves an activity; a member may not;
// a closed one stays as it was.
func TestDutyActivityEdit(t *testing.T) {
	w := newDutyWorld(t, testenv.SQLiteDSN(t))
	ts := w.ts
	path := "/api/v1/activities/" + sid(w.officeAct)
	body := map[string]any{"kind": "inspection", "title": "城区河涌整治视察（改期）", "starts_at": time.Now().Add(48 * time.Hour).Format(time.RFC3339), "place": "区水务局",
		"invite": map[string]any{"user_ids": []int64{w.m3.ID}}}
	ts.expect(ts.do(req{Method: "PUT", Path: path, As: ts.session(roleProposer), JSON: body}), http.StatusForbidden)
	ts.expect(ts.do(req{Method: "PUT", Path: path, As: w.ot, JSON: body}), http.StatusNotFound)
	r := ts.do(req{Method: "PUT", Path: path, As: w.office, JSON: body})
	ts.expect(r, http.StatusOK, "（改期）", "区水务局", w.m3.Name)
	body["starts_at"] = "明天"
	ts.expect(ts.do(req{Method: "PUT", Path: path, As: w.office, JSON: body}), http.StatusUnprocessableEntity, "时间格式")
}

// TestDutyActivityPageEdit: the organiser's page moves the activity and
// invites one more member, who is told.
func TestDutyActivityPageEdit(t *testing.T) {
	w := newDutyWorld(t, testenv.SQLiteDSN(t))
	ts := w.ts
	page := "/activities/" + sid(w.officeAct)
	ts.expect(ts.do(req{Method: "GET", Path: page, As: w.office}), http.StatusOK, "修改活动或增加受邀委员", w.m3.Name)
	ts.expect(ts.do(req{Method: "GET", Path: page, As: ts.session(roleProposer)}), http.StatusOK)
	when := time.Now().Add(50 * time.Hour).In(zhengxie.ChinaTime()).Format("2006-01-02T15:04")
	ts.expect(ts.do(req{Method: "POST", Path: page + "/edit", As: w.office, Form: map[string][]string{"kind": {"inspection"}, "title": {"河涌整治视察（改期）"}, "starts_at": {when}}}), http.StatusSeeOther)
	ts.expect(ts.do(req{Method: "POST", Path: page + "/edit", As: w.office, Form: map[string][]string{"kind": {"inspection"}, "title": {""}, "starts_at": {when}}}), http.StatusUnprocessableEntity, "请填写活动名称")
	ts.expect(ts.do(req{Method: "POST", Path: page + "/edit", As: ts.session(roleProposer), Form: map[string][]string{"kind": {"inspection"}, "title": {"x"}, "starts_at": {when}}}), http.StatusForbidden)
	before, _ := ts.F.Svc.Store.UnreadCount(context.Background(), w.m3.ID)
	ts.expect(ts.do(req{Method: "POST", Path: page + "/invite", As: w.office, Form: map[string][]string{"invite_user": {sid(w.m3.ID)}}}), http.StatusSeeOther)
	after, _ := ts.F.Svc.Store.UnreadCount(context.Background(), w.m3.ID)
	if after != before+1 {
		t.Errorf("the member invited later got %d new notices, want 1", after-before)
	}
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/activities/" + sid(w.officeAct), As: ts.session(roleCosigner)}), http.StatusOK, "（改期）")
}
