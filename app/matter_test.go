package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// contact is a world with a liaison station, its staff account and two
// members of the station, and a second station nobody here manages.
type contact struct {
	*world
	station, other *zhengxie.Station
	staff          *zhengxie.User
}

func newContact(t *testing.T, dsn string) *contact {
	w := newWorld(t, dsn)
	c := &contact{world: w}
	admin := w.f.Actor(w.f.Admin)
	c.station = &zhengxie.Station{Kind: zhengxie.StationLiaison, Name: "城南街道委员联络站", Address: "城南街道党群服务中心"}
	w.must(w.svc.SaveStation(w.ctx, admin, c.station))
	c.other = &zhengxie.Station{Kind: zhengxie.StationLiaison, Name: "城北街道委员联络站"}
	w.must(w.svc.SaveStation(w.ctx, admin, c.other))
	c.staff = &zhengxie.User{Username: "station-s", Name: "城南联络站工作人员", Role: zhengxie.RoleStation, Phone: "13900000001"}
	w.must(w.svc.CreateUser(w.ctx, zhengxie.SystemActor(w.f.Committee.ID), c.staff, testenv.Password))
	w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
		p, err := tx.Profile(w.f.Committee.ID, c.staff.ID)
		if err != nil {
			return err
		}
		p.Memberships = []zhengxie.Membership{{OrgKind: zhengxie.OrgStation, OrgID: c.station.ID, Role: zhengxie.OrgRoleStaff}}
		return tx.SaveProfile(p)
	}))
	return c
}

func (c *contact) staffActor() zhengxie.Actor { return zhengxie.ActorOf(c.staff) }

// reception schedules a reception day today with members 0 and 1 on duty.
func (c *contact) reception() *zhengxie.Reception {
	c.t.Helper()
	r := &zhengxie.Reception{StationID: c.station.ID, Day: zhengxie.DateOf(c.now, zhengxie.ChinaTime()), Start: "09:00", End: "11:30",
		Place: "城南街道党群服务中心一楼", Topic: "老旧小区改造", MemberIDs: []int64{c.f.Members[0].ID, c.f.Members[1].ID}}
	c.must(c.svc.ScheduleReception(c.ctx, c.staffActor(), r))
	return r
}

func (c *contact) logged(r *zhengxie.Reception, title string) *zhengxie.Matter {
	c.t.Helper()
	m, err := c.svc.LogMatter(c.ctx, c.member(0), r.ID, app.MatterInput{Title: title, Body: "群众反映：" + title + "，已经持续一个多月，影响附近居民出行，希望尽快解决。",
		Category: "城乡建设", CitizenName: "王阿姨", CitizenPhone: "13712345678"})
	c.must(err)
	return m
}

func TestMatterFlow(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		c := newContact(t, dsn)
		r := c.reception()
		m := c.logged(r, "小区门口路灯损坏")
		if m.State != zhengxie.MatterReceived || m.Code == "" || m.MemberID != c.f.Members[0].ID {
			t.Fatalf("logged: %+v", m)
		}
		// Who sees what.
		v, err := c.svc.Matter(c.ctx, c.office(), m.ID)
		c.must(err)
		if v.SeesCitizen || v.M.CitizenPhone != "" {
			t.Error("the office sees the citizen of a station's matter")
		}
		v, err = c.svc.Matter(c.ctx, c.staffActor(), m.ID)
		c.must(err)
		if !v.SeesCitizen || v.M.CitizenPhone != "13712345678" {
			t.Error("the station's staff does not see the citizen")
		}
		if _, err := c.svc.Matter(c.ctx, c.member(2), m.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("another member: %v", err)
		}
		if _, err := c.svc.Matter(c.ctx, c.unit(0), m.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("a unit before forwarding: %v", err)
		}
		// A member on duty may not forward; the staff does.
		if _, err := c.svc.MatterAct(c.ctx, c.member(0), m.ID, zhengxie.MatterActForward, app.MatterActInput{UnitID: c.f.Units[0].ID}); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
			t.Errorf("member forwards: %v", err)
		}
		m, err = c.svc.MatterAct(c.ctx, c.staffActor(), m.ID, zhengxie.MatterActForward, app.MatterActInput{UnitID: c.f.Units[0].ID})
		c.must(err)
		if m.State != zhengxie.MatterForwarded || m.Due != "2026-03-17" {
			t.Fatalf("forwarded: %s due %s", m.State, m.Due)
		}
		if _, err := c.svc.Matter(c.ctx, c.unit(1), m.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("another unit: %v", err)
		}
		if _, err := c.svc.MatterAct(c.ctx, c.unit(0), m.ID, zhengxie.MatterActReply, app.MatterActInput{Answer: "已修复。"}); zhengxie.ErrorCode(err) != zhengxie.EIllegal {
			t.Errorf("reply before signing: %v", err)
		}
		_, err = c.svc.MatterAct(c.ctx, c.unit(0), m.ID, zhengxie.MatterActSign, app.MatterActInput{})
		c.must(err)
		c.now = c.now.AddDate(0, 0, 3)
		m, err = c.svc.MatterAct(c.ctx, c.unit(0), m.ID, zhengxie.MatterActReply, app.MatterActInput{Answer: "已安排维修人员更换灯具，路灯已恢复照明。"})
		c.must(err)
		if m.State != zhengxie.MatterAnswered || !m.OnTime {
			t.Fatalf("replied: %s on time %v", m.State, m.OnTime)
		}
		// The citizen reads the answer by code, without any personal data.
		p, err := c.svc.TrackMatter(c.ctx, strings.ToLower(m.Code))
		c.must(err)
		if !strings.Contains(p.Answer, "路灯已恢复") || !p.CanFeedback {
			t.Errorf("tracking: %+v", p)
		}
		// Not settled: back to the unit once, with a new deadline.
		p, err = c.svc.CitizenFeedback(c.ctx, m.Code, false, "只修了一盏，另外两盏还是不亮")
		c.must(err)
		if p.State != zhengxie.MatterHandling {
			t.Fatalf("first unsettled: %s", p.State)
		}
		_, err = c.svc.MatterAct(c.ctx, c.unit(0), m.ID, zhengxie.MatterActReply, app.MatterActInput{Answer: "另外两盏路灯已于今日全部修复。"})
		c.must(err)
		p, err = c.svc.CitizenFeedback(c.ctx, m.Code, false, "还是有一盏不亮")
		c.must(err)
		if p.State != zhengxie.MatterDisputed {
			t.Fatalf("second unsettled: %s", p.State)
		}
		if _, err := c.svc.CitizenFeedback(c.ctx, m.Code, true, ""); zhengxie.ErrorCode(err) != zhengxie.EIllegal {
			t.Errorf("feedback on a disputed matter: %v", err)
		}
		m, err = c.svc.MatterAct(c.ctx, c.office(), m.ID, zhengxie.MatterActDecide, app.MatterActInput{Comment: "经现场核实，路灯均已修复，予以办结。"})
		c.must(err)
		if m.State != zhengxie.MatterClosed {
			t.Fatalf("decided: %s", m.State)
		}
		// The history is in the chain, without the citizen's phone or name.
		evs, err := c.st.SubjectEvents(c.ctx, c.f.Committee.ID, "matter", m.ID)
		c.must(err)
		if len(evs) < 8 {
			t.Errorf("%d events", len(evs))
		}
		for _, e := range evs {
			if strings.Contains(e.Payload+e.Comment, "13712345678") || strings.Contains(e.Payload+e.Comment, "王阿姨") {
				t.Errorf("event %s carries personal data", e.Action)
			}
		}
		res, err := c.st.VerifyEvents(c.ctx)
		c.must(err)
		for _, v := range res {
			if v.Break != nil {
				t.Errorf("chain of committee %d broken: %+v", v.CommitteeID, v.Break)
			}
		}
		// The reception counts for the members on duty when held.
		r2, err := c.svc.ReceptionAct(c.ctx, c.member(1), r.ID, zhengxie.ActHoldReception, 12, "")
		c.must(err)
		if r2.State != zhengxie.ReceptionHeld || r2.Visitors != 12 {
			t.Errorf("held: %+v", r2)
		}
		counts, err := c.svc.StationCounts(c.ctx, c.f.Committee.ID, c.station.ID)
		c.must(err)
		if counts.Receptions != 1 || counts.Citizens != 12 || counts.Matters != 1 || counts.Answered != 1 {
			t.Errorf("counts %+v", counts)
		}
		// Lists: the other station sees nothing, a unit only its matters.
		ms, err := c.svc.Matters(c.ctx, c.unit(1), app.MatterQuery{})
		c.must(err)
		if len(ms) != 0 {
			t.Errorf("unit 2 lists %d matters", len(ms))
		}
		ms, err = c.svc.Matters(c.ctx, c.unit(0), app.MatterQuery{})
		c.must(err)
		if len(ms) != 1 || ms[0].CitizenPhone == "" {
			t.Errorf("unit 1 lists %d matters (phone %q)", len(ms), ms[0].CitizenPhone)
		}
	})
}

func TestMatterDeadlineScan(t *testing.T) {
	c := newContact(t, testenv.SQLiteDSN(t))
	m := c.logged(c.reception(), "小区积水严重")
	_, err := c.svc.MatterAct(c.ctx, c.staffActor(), m.ID, zhengxie.MatterActForward, app.MatterActInput{UnitID: c.f.Units[0].ID})
	c.must(err)
	scan := func() app.MatterScanReport {
		rep, err := c.svc.ScanMatterDeadlines(c.ctx)
		c.must(err)
		return rep
	}
	if rep := scan(); rep.Reminders+rep.Overdues+rep.Escalations != 0 {
		t.Errorf("day 0: %+v", rep)
	}
	c.now = c.now.AddDate(0, 0, 12) // 3 days before the deadline of 17 March
	if rep := scan(); rep.Reminders != 1 {
		t.Errorf("3 days before: %+v", rep)
	}
	if rep := scan(); rep.Reminders != 0 {
		t.Errorf("second scan sent again: %+v", rep)
	}
	c.now = c.now.AddDate(0, 0, 11) // 8 days overdue
	if rep := scan(); rep.Overdues != 1 || rep.Escalations != 1 {
		t.Errorf("overdue: %+v", rep)
	}
	n, err := c.st.UnreadCount(c.ctx, c.f.Leader.ID)
	c.must(err)
	if n == 0 {
		t.Error("the unit's supervising leader was not told of the escalation")
	}
	counts, err := c.svc.StationCounts(c.ctx, c.f.Committee.ID, c.station.ID)
	c.must(err)
	if counts.Overdue != 1 {
		t.Errorf("overdue count %d", counts.Overdue)
	}
	if ms, err := c.svc.Matters(c.ctx, c.office(), app.MatterQuery{Overdue: true}); err != nil || len(ms) != 1 {
		t.Errorf("overdue list: %d %v", len(ms), err)
	}
	m, err = c.svc.MatterAct(c.ctx, c.unit(0), m.ID, zhengxie.MatterActSign, app.MatterActInput{})
	c.must(err)
	m, err = c.svc.MatterAct(c.ctx, c.unit(0), m.ID, zhengxie.MatterActReply, app.MatterActInput{Answer: "已疏通排水管道，积水已排除。"})
	c.must(err)
	if m.OnTime {
		t.Error("a late answer counts as on time")
	}
}

// syncBuffer is a log sink the job workers may write to concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCitizenSMSThroughGateway: the tracking code and then the answer go
// to the citizen through the configured HTTP gateway, and the phone number
// never appears in clear in the log or the job queue, even when the
// gateway fails and echoes it back.
func TestCitizenSMSThroughGateway(t *testing.T) {
	c := newContact(t, testenv.SQLiteDSN(t))
	logs := &syncBuffer{}
	c.svc.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var mu sync.Mutex
	var bodies []string
	fail := false
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(b))
		if fail {
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("号码 13712345678 暂时无法送达：" + string(b)))
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer gw.Close()
	c.svc.Jobs().SetChannels(app.Channels{SMS: &ntf.HTTPGateway{URL: gw.URL, Signature: "【测试区政协】"}, SMSName: "测试网关"})
	m, err := c.svc.LeaveMessage(c.ctx, c.f.Committee.ID, app.MatterInput{StationID: c.station.ID, Title: "公交站台破损",
		Body: "城南路公交站的候车亭玻璃碎了，下雨天没法躲雨，希望尽快修理。", CitizenName: "李先生", CitizenPhone: "13712345678"})
	c.must(err)
	if _, err := c.svc.Jobs().RunDue(c.ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(bodies) != 1 || !strings.Contains(bodies[0], "13712345678") || !strings.Contains(bodies[0], m.Code) {
		t.Fatalf("gateway got %q, want the phone and the code %s", bodies, m.Code)
	}
	mu.Unlock()
	_, err = c.svc.MatterAct(c.ctx, c.staffActor(), m.ID, zhengxie.MatterActAnswer, app.MatterActInput{Answer: "已联系公交公司，候车亭玻璃将于本周内更换。"})
	c.must(err)
	mu.Lock()
	fail = true
	mu.Unlock()
	if _, err := c.svc.Jobs().RunDue(c.ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(bodies) != 2 || !strings.Contains(bodies[1], "候车亭") && !strings.Contains(bodies[1], "已有答复") {
		t.Errorf("answer SMS: %q", bodies)
	}
	mu.Unlock()
	out := logs.String()
	if !strings.Contains(out, "job will be retried") {
		t.Errorf("the failed send was not logged: %s", out)
	}
	if strings.Contains(out, "13712345678") {
		t.Errorf("the phone is in the log in clear:\n%s", out)
	}
	jobs, _, err := c.st.Jobs(c.ctx, store.JobFilter{CommitteeID: c.f.Committee.ID})
	c.must(err)
	for _, j := range jobs {
		if strings.Contains(j.Label+j.Payload+j.LastError, "13712345678") {
			t.Errorf("job %d keeps the phone in clear: %s | %s | %s", j.ID, j.Label, j.Payload, j.LastError)
		}
	}
}

// TestMatterCategoryOnCitizenMessages measures the category suggestion on
// real citizens' messages: trained on four fifths of citizen_messages.csv
// (as categorised matters of the committee), asked for the fifth.
// Measured: top-1 0.859, top-3 0.990 (train 396 / test 99).
func TestMatterCategoryOnCitizenMessages(t *testing.T) {
	path := testenv.SharedData(t, "citizen_messages.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes, r.FieldsPerRecord = true, -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	type msg struct{ title, body, class string }
	var msgs []msg
	for _, rec := range recs[1:] {
		if len(rec) <= col["一级分类"] {
			continue
		}
		msgs = append(msgs, msg{strings.TrimSpace(rec[col["留言主题"]]), strings.TrimSpace(rec[col["留言详情"]]), strings.TrimSpace(rec[col["一级分类"]])})
	}
	if len(msgs) < 400 {
		t.Fatalf("%d messages", len(msgs))
	}
	w := newWorld(t, testenv.SQLiteDSN(t))
	cid := w.f.Committee.ID
	var test []msg
	w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
		for i, m := range msgs {
			if i%5 == 0 {
				test = append(test, m)
				continue
			}
			body := m.body
			if body == "" {
				body = m.title
			}
			if err := tx.CreateMatter(&zhengxie.Matter{CommitteeID: cid, Code: zhengxie.NewTrackingCode(), Source: zhengxie.SourceMessage,
				Title: m.title, Body: body, Category: m.class, Urgency: zhengxie.UrgencyNormal, State: zhengxie.MatterReceived}); err != nil {
				return err
			}
		}
		return nil
	}))
	var top1, top3 int
	for _, m := range test {
		sg, err := w.svc.SuggestMatterCategory(w.ctx, cid, m.title, m.body)
		w.must(err)
		for i, s := range sg {
			if s.Value == m.class {
				if i == 0 {
					top1++
				}
				top3++
			}
		}
	}
	n := float64(len(test))
	p1, p3 := float64(top1)/n, float64(top3)/n
	t.Logf("matter category on citizen_messages.csv, train %d / test %d: top-1 %.3f, top-3 %.3f", len(msgs)-len(test), len(test), p1, p3)
	if p1 < 0.80 || p3 < 0.95 {
		t.Errorf("top-1 %.3f (want ≥ 0.80), top-3 %.3f (want ≥ 0.95)", p1, p3)
	}
}

var _ = context.Background
var _ = time.Second

// TestContactWebhooks: matter.created, matter.answered and report.adopted
// reach a subscribed integration through the webhook jobs, without the
// citizen's name or phone.
func TestContactWebhooks(t *testing.T) {
	c := newContact(t, testenv.SQLiteDSN(t))
	sub := &store.WebhookSubscription{Name: "区政协门户网站", URL: "https://portal.example.cn/hook", Events: []string{"matter.created", "matter.answered", "report.adopted"}, Active: true}
	c.must(c.svc.SaveWebhook(c.ctx, c.f.Actor(c.f.Admin), sub))
	m := c.logged(c.reception(), "健身步道破损")
	_, err := c.svc.MatterAct(c.ctx, c.staffActor(), m.ID, zhengxie.MatterActAnswer, app.MatterActInput{Answer: "已安排维修健身步道破损路段，本周内完工。"})
	c.must(err)
	r, err := c.svc.FileReport(c.ctx, c.member(0), app.ReportInput{Title: "关于完善社区健身设施的建议", Body: strings.Repeat("社区健身设施老化，缺少维护，群众反映强烈。", 4)})
	c.must(err)
	iss := &zhengxie.Issue{Recipients: []string{"区委"}, ReportIDs: []int64{r.ID}}
	c.must(c.svc.CompileIssue(c.ctx, c.office(), iss))
	_, err = c.svc.ReportAct(c.ctx, c.office(), r.ID, zhengxie.ReportActAdopt, app.ReportActInput{Record: zhengxie.ReportRecord{Level: zhengxie.LevelNational, Place: "全国政协办公厅"}})
	c.must(err)
	// Each event is queued in its change's transaction as a notice job,
	// which fans out to one delivery per subscription when it runs (not
	// run here: the subscription's address is not on this machine).
	jobs, _, err := c.st.Jobs(c.ctx, store.JobFilter{CommitteeID: c.f.Committee.ID, Kind: app.JobNotice})
	c.must(err)
	got := map[string]bool{}
	for _, j := range jobs {
		for _, e := range []string{"matter.created", "matter.answered", "report.adopted"} {
			if strings.Contains(j.Payload, `"event":"`+e+`"`) {
				got[e] = true
			}
		}
		if strings.Contains(j.Payload, "13712345678") || strings.Contains(j.Payload, "王阿姨") || strings.Contains(j.Payload, m.Code) {
			t.Errorf("webhook job carries personal data or the tracking code: %s", j.Payload)
		}
	}
	if len(got) != 3 {
		t.Errorf("webhook events queued: %v (%d jobs)", got, len(jobs))
	}
}

// TestMatterScanRunsInTheBackgroundLoop: the supervision loop's scan also
// scans forwarded matters.
func TestMatterScanRunsInTheBackgroundLoop(t *testing.T) {
	c := newContact(t, testenv.SQLiteDSN(t))
	m := c.logged(c.reception(), "排水井盖缺失")
	_, err := c.svc.MatterAct(c.ctx, c.staffActor(), m.ID, zhengxie.MatterActForward, app.MatterActInput{UnitID: c.f.Units[0].ID})
	c.must(err)
	c.svc.EnableSupervision()
	loop, cancel := context.WithCancel(c.ctx)
	defer func() { cancel(); c.svc.Jobs().Stop() }()
	c.now = c.now.AddDate(0, 0, 20)
	c.svc.Tick(loop)
	// Every overdue day is accounted for, folded into one notice to the unit.
	got, err := c.st.Matter(c.ctx, c.f.Committee.ID, m.ID)
	c.must(err)
	due, err := zhengxie.ParseDate(got.Due)
	c.must(err)
	days := zhengxie.DateOf(c.now, zhengxie.ChinaTime()).Sub(due)
	n, err := c.st.MatterAlerts(c.ctx, m.ID, store.AlertOverdue)
	c.must(err)
	if days < 1 || n != days {
		t.Errorf("overdue alerts after one round of the loop: %d, want one per overdue day (%d)", n, days)
	}
	notes, err := c.st.Notifications(c.ctx, c.f.UnitUsers[0].ID, 50)
	c.must(err)
	overdue := 0
	for _, x := range notes {
		if strings.Contains(x.Title, "群众诉求已超期") {
			overdue++
		}
	}
	if overdue != 1 {
		t.Errorf("the unit got %d overdue notices for one matter in one round, want 1", overdue)
	}
	c.svc.Tick(loop)
	if n2, err := c.st.MatterAlerts(c.ctx, m.ID, store.AlertOverdue); err != nil || n2 != n {
		t.Errorf("a second round recorded overdue alerts again: %d → %d (%v)", n, n2, err)
	}
}
