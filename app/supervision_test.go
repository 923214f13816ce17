package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// svWorld is a seeded committee whose clock the test moves, with an SMS
// channel that records what it is given. (Names start with sv so that
// they stay clear of the other test files of this package.)
type svWorld struct {
	t   *testing.T
	ctx context.Context
	f   *testenv.Fixture
	svc *app.Service
	st  *store.Store
	now time.Time
	sms *svSMS
	mu  sync.Mutex
}

func newSvWorld(t *testing.T, dsn string) *svWorld {
	t.Helper()
	st := testenv.Open(t, dsn)
	f := testenv.Seed(t, st)
	w := &svWorld{t: t, ctx: context.Background(), f: f, svc: f.Svc, st: st, sms: &svSMS{}}
	w.at("2026-03-02")
	f.Svc.Clock = func() time.Time { w.mu.Lock(); defer w.mu.Unlock(); return w.now }
	f.Svc.Jobs().SetChannels(app.Channels{SMS: w.sms, SMSName: "测试"})
	return w
}

// at moves the clock to 10:00 on a day in the committee's time zone.
func (w *svWorld) at(day string) {
	d, err := zhengxie.ParseDate(day)
	if err != nil {
		w.t.Fatal(err)
	}
	w.mu.Lock()
	w.now = d.In(zhengxie.ChinaTime()).Add(10 * time.Hour)
	w.mu.Unlock()
}

func (w *svWorld) advance(d time.Duration) {
	w.mu.Lock()
	w.now = w.now.Add(d)
	w.mu.Unlock()
}

func (w *svWorld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *svWorld) actor(u *zhengxie.User) zhengxie.Actor { return zhengxie.ActorOf(u) }
func (w *svWorld) office() zhengxie.Actor                { return w.actor(w.f.Office) }
func (w *svWorld) unit(i int) zhengxie.Actor             { return w.actor(w.f.UnitUsers[i]) }

// assigned files, accepts and assigns a proposal of member i; it returns
// the proposal and its tasks in the order of as.
func (w *svWorld) assigned(i int, title string, as ...zhengxie.Assignment) (*zhengxie.Proposal, []zhengxie.Task) {
	w.t.Helper()
	m := w.actor(w.f.Members[i])
	p, err := w.svc.CreateDraft(w.ctx, m, testenv.Draft(title))
	w.must(err)
	_, err = w.svc.Submit(w.ctx, m, p.ID)
	w.must(err)
	_, err = w.svc.Accept(w.ctx, w.office(), p.ID, "")
	w.must(err)
	p, err = w.svc.Assign(w.ctx, w.office(), p.ID, as, "")
	w.must(err)
	ts, err := w.st.Tasks(w.ctx, p.ID)
	w.must(err)
	return p, ts
}

func (w *svWorld) lead(i int) zhengxie.Assignment {
	return zhengxie.Assignment{UnitID: w.f.Units[i].ID, Kind: zhengxie.TaskLead}
}

func (w *svWorld) co(i int) zhengxie.Assignment {
	return zhengxie.Assignment{UnitID: w.f.Units[i].ID, Kind: zhengxie.TaskCo}
}

// scan runs the deadline scan and returns the alerts it added, as
// "task kind day" with the task's name from names.
func (w *svWorld) scan(names map[int64]string) []string {
	w.t.Helper()
	before, err := w.st.Alerts(w.ctx, store.AlertFilter{CommitteeID: w.f.Committee.ID})
	w.must(err)
	_, err = w.svc.ScanDeadlines(w.ctx)
	w.must(err)
	after, err := w.st.Alerts(w.ctx, store.AlertFilter{CommitteeID: w.f.Committee.ID})
	w.must(err)
	var out []string
	for _, a := range after[len(before):] {
		out = append(out, names[a.TaskID]+" "+a.Kind+" "+a.OnDate)
	}
	slices.Sort(out)
	return out
}

// overdueDays lists the daily overdue alerts of a task from one day to another.
func overdueDays(name, from, to string) []string {
	var out []string
	d, _ := zhengxie.ParseDate(from)
	end, _ := zhengxie.ParseDate(to)
	for ; !d.After(end); d = d.AddDays(1) {
		out = append(out, name+" overdue "+d.String())
	}
	return out
}

// noticeBody fails unless the newest notification of u titled prefix… says every one of want.
func (w *svWorld) noticeBody(u *zhengxie.User, prefix string, want ...string) {
	w.t.Helper()
	ns, err := w.st.Notifications(w.ctx, u.ID, 500)
	w.must(err)
	for _, n := range ns {
		if strings.HasPrefix(n.Title, prefix) {
			for _, x := range want {
				if !strings.Contains(n.Body, x) {
					w.t.Errorf("%s: %q lacks %q", n.Title, n.Body, x)
				}
			}
			return
		}
	}
	w.t.Errorf("%s got no notification titled %q…", u.Name, prefix)
}

// titles lists the titles of a user's notifications starting with prefix, oldest first.
func (w *svWorld) titles(u *zhengxie.User, prefix string) []string {
	w.t.Helper()
	ns, err := w.st.Notifications(w.ctx, u.ID, 500)
	w.must(err)
	var out []string
	for i := len(ns) - 1; i >= 0; i-- {
		if strings.HasPrefix(ns[i].Title, prefix) {
			out = append(out, ns[i].Title)
		}
	}
	return out
}

func (w *svWorld) jobs(kind, state string) []store.Job {
	w.t.Helper()
	js, _, err := w.st.Jobs(w.ctx, store.JobFilter{CommitteeID: w.f.Committee.ID, Kind: kind, State: state, Limit: 500})
	w.must(err)
	return js
}

// svSMS records the messages it is asked to send.
type svSMS struct {
	mu   sync.Mutex
	sent []string // "phone text"
	fail error
}

func (s *svSMS) SendSMS(_ context.Context, phone, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.sent = append(s.sent, phone+" "+text)
	return nil
}

func (s *svSMS) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.sent...)
}

func svWant(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func svCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := zhengxie.ErrorCode(err); got != code {
		t.Errorf("%s: got %v, want %s", what, err, code)
	}
}

// TestSvDeadlineScenario assigns proposals, moves the clock through three
// months with days when the server was down, and checks exactly which
// reminders, overdue notices and escalations are sent, that running the
// scan again sends nothing, and that an approved extension moves them.
func TestSvDeadlineScenario(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newSvWorld(t, dsn)
		ctx, s := w.ctx, w.svc
		admin := w.actor(w.f.Admin)
		// Unit 3 has no supervising leader: its escalations go to the office.
		w.must(s.SetUnitLeader(ctx, admin, w.f.Units[2].ID, 0))
		// Unit 1's staff also want SMS.
		w.must(s.SaveNotifySettings(ctx, w.unit(0), "unit1@example.test", "13800138001", true, true))

		// Monday 2 March 2026: P1 to unit 1 (lead) and unit 2 (co), P2 to unit 3.
		p1, t1 := w.assigned(0, "关于完善生物岛交通体系的建议", w.lead(0), w.co(1))
		p2, t2 := w.assigned(1, "关于加强社区安全治理的建议", w.lead(2))
		lead1, co1, lead2 := t1[0], t1[1], t2[0]
		if lead1.Due.String() != "2026-06-02" || co1.Due.String() != "2026-04-02" || lead2.Due.String() != "2026-06-02" {
			t.Fatalf("dues %s %s %s", lead1.Due, co1.Due, lead2.Due)
		}
		names := map[int64]string{lead1.ID: "P1主办", co1.ID: "P1会办", lead2.ID: "P2主办"}

		steps := []struct {
			day  string
			want []string
		}{
			{"2026-03-17", nil},
			{"2026-03-18", []string{"P1会办 remind 2026-03-18"}}, // 15 days before the co-handling deadline
			{"2026-03-18", nil}, // the same day again: nothing twice
			// Down from 19 March to 1 April: the 3-day reminder of 30 March is sent late, once.
			{"2026-04-01", []string{"P1会办 remind 2026-03-30"}},
			{"2026-04-02", nil}, // due today: still in time
			{"2026-04-03", []string{"P1会办 overdue 2026-04-03"}},
			// Down on 4 April: that day's notice is folded into the 5th's.
			{"2026-04-05", []string{"P1会办 overdue 2026-04-04", "P1会办 overdue 2026-04-05"}},
			{"2026-04-05", nil},
			{"2026-04-08", []string{"P1会办 overdue 2026-04-06", "P1会办 overdue 2026-04-07", "P1会办 overdue 2026-04-08"}},
			{"2026-04-09", []string{"P1会办 escalate 2026-04-02", "P1会办 overdue 2026-04-09"}}, // 7 days overdue
			{"2026-04-09", nil},
		}
		for _, st := range steps {
			w.at(st.day)
			svWant(t, "scan on "+st.day, w.scan(names), st.want)
		}
		// The escalation went to the unit's supervising leader, once.
		svWant(t, "leader's escalations", w.titles(w.f.Leader, "超期督办"), []string{"超期督办：区卫生健康局办理的第0001号《关于完善生物岛交通体系的建议》已超期7天"})
		svWant(t, "co unit's reminders", w.titles(w.f.UnitUsers[1], "办理期限提醒"), []string{
			"办理期限提醒：第0001号《关于完善生物岛交通体系的建议》还剩15天",
			"办理期限提醒：第0001号《关于完善生物岛交通体系的建议》还剩1天"})
		if got := len(w.titles(w.f.UnitUsers[1], "已超期")); got != 4 {
			t.Errorf("co unit got %d overdue notices, want 4", got)
		}
		// The overdue board on 9 April.
		board, today, err := s.SupervisedTasks(ctx, w.office(), app.TaskQuery{Bucket: app.BucketOverdue})
		w.must(err)
		if today.String() != "2026-04-09" || len(board) != 1 || board[0].ID != co1.ID || board[0].DaysOverdue() != 7 ||
			board[0].Alerts.EscalatedOn != "2026-04-02" || board[0].Alerts.Overdues != 7 || board[0].Leader != w.f.Leader.Name {
			t.Fatalf("overdue board on %s: %+v", today, board)
		}

		// The co-handling unit replies: no more alerts for its task.
		_, err = s.AcceptTask(ctx, w.unit(1), co1.ID)
		w.must(err)
		_, err = s.Reply(ctx, w.unit(1), co1.ID, zhengxie.Reply{Text: "会办意见：同意主办单位的方案。"}, nil)
		w.must(err)
		w.at("2026-04-10")
		svWant(t, "after the reply", w.scan(names), nil)

		// Down from 11 April to 31 May: both missed reminders of each lead
		// task (18 and 30 May) are accounted for, in one message per task
		// that says which were missed.
		w.at("2026-05-31")
		svWant(t, "scan on 2026-05-31", w.scan(names), []string{"P1主办 remind 2026-05-18", "P1主办 remind 2026-05-30",
			"P2主办 remind 2026-05-18", "P2主办 remind 2026-05-30"})
		if got := w.titles(w.f.UnitUsers[0], "办理期限提醒"); len(got) != 1 {
			t.Errorf("unit 1 got %d reminders for two missed dates, want one: %q", len(got), got)
		}
		w.noticeBody(w.f.UnitUsers[0], "办理期限提醒", "5月18日到期前提醒", "5月30日到期前提醒", "已合并")

		// Unit 1 asks for an extension; the office approves it.
		_, err = s.RequestExtension(ctx, w.unit(0), lead1.ID, "2026-09-03", "需要会同有关部门开展专项调研")
		svCode(t, "beyond six months", err, zhengxie.EInvalid)
		if zhengxie.ErrorField(err) != "due" || !strings.Contains(zhengxie.ErrorMessage(err), "2026-09-02") {
			t.Errorf("beyond six months: %v", err)
		}
		_, err = s.RequestExtension(ctx, w.unit(1), lead1.ID, "2026-07-15", "理由")
		svCode(t, "another unit's task", err, zhengxie.ENotFound)
		_, err = s.RequestExtension(ctx, w.actor(w.f.Members[0]), lead1.ID, "2026-07-15", "理由")
		svCode(t, "a member", err, zhengxie.EForbidden)
		_, err = s.RequestExtension(ctx, w.unit(0), lead1.ID, "2026-07-15", " ")
		svCode(t, "no reason", err, zhengxie.EInvalid)
		_, err = s.RequestExtension(ctx, w.unit(0), lead1.ID, "2026-05-20", "理由")
		svCode(t, "earlier than the deadline", err, zhengxie.EInvalid)
		ext, err := s.RequestExtension(ctx, w.unit(0), lead1.ID, "2026-07-15", "需要会同规划部门论证第三条过江通道的可行性")
		w.must(err)
		_, err = s.RequestExtension(ctx, w.unit(0), lead1.ID, "2026-07-20", "再申请一次")
		svCode(t, "a second pending request", err, zhengxie.EConflict)
		if got := w.titles(w.f.Office, "延期申请："); len(got) != 1 {
			t.Errorf("office notices of the request: %q", got)
		}
		_, err = s.DecideExtension(ctx, w.unit(0), ext.ID, true, "")
		svCode(t, "a unit deciding", err, zhengxie.EForbidden)
		_, err = s.DecideExtension(ctx, w.office(), ext.ID, false, "")
		svCode(t, "refusing without a reason", err, zhengxie.EInvalid)
		ext, err = s.DecideExtension(ctx, w.office(), ext.ID, true, "同意")
		w.must(err)
		if ext.State != store.ExtApproved {
			t.Fatalf("extension %+v", ext)
		}
		_, err = s.DecideExtension(ctx, w.office(), ext.ID, false, "改变主意")
		svCode(t, "deciding twice", err, zhengxie.EIllegal)
		if k, _ := w.st.Task(ctx, w.f.Committee.ID, lead1.ID); k.Due.String() != "2026-07-15" {
			t.Fatalf("due after the extension: %s", k.Due)
		}

		// 10 June: P2 is 8 days overdue and escalated to the office (no
		// leader); P1's new deadline is far.
		w.at("2026-06-10")
		svWant(t, "scan on 2026-06-10", w.scan(names), append([]string{"P2主办 escalate 2026-06-02"}, overdueDays("P2主办", "2026-06-03", "2026-06-10")...))
		svWant(t, "scan again", w.scan(names), nil)
		svWant(t, "office's escalations", w.titles(w.f.Office, "超期督办"), []string{"超期督办：区教育局办理的第0002号《关于加强社区安全治理的建议》已超期8天"})
		if got := w.titles(w.f.Leader, "超期督办"); len(got) != 1 {
			t.Errorf("the leader was told again: %q", got)
		}
		// 30 June: P1 is reminded for its new deadline (15 days before 15 July).
		w.at("2026-06-30")
		svWant(t, "scan on 2026-06-30", w.scan(names), append([]string{"P1主办 remind 2026-06-30"}, overdueDays("P2主办", "2026-06-11", "2026-06-30")...))

		// Unit 1's SMS: the assignment and the two reminders, nothing twice.
		if got := w.jobs(app.JobEmail, ""); len(got) != 0 {
			t.Errorf("e-mail jobs without a mail server: %d", len(got))
		}
		n, err := s.Jobs().RunDue(ctx)
		w.must(err)
		want := []string{
			"13800138001 新的交办任务：第0001号《关于完善生物岛交通体系的建议》",
			"13800138001 办理期限提醒：第0001号《关于完善生物岛交通体系的建议》还剩2天",
			"13800138001 延期申请已同意：第0001号《关于完善生物岛交通体系的建议》",
			"13800138001 办理期限提醒：第0001号《关于完善生物岛交通体系的建议》还剩15天",
		}
		svWant(t, "SMS sent", w.sms.messages(), want)
		// Four notices, each fanned out into one SMS.
		if n != 8 || len(w.jobs(app.JobSMS, store.JobDone)) != 4 || len(w.jobs(app.JobNotice, store.JobDone)) != 4 {
			t.Errorf("ran %d jobs", n)
		}
		w.scan(names)
		if n, _ := s.Jobs().RunDue(ctx); n != 0 {
			t.Errorf("a second scan on the same day queued %d jobs", n)
		}
		_ = p1
		_ = p2
	})
}

// TestSvWorkingDays counts deadlines in working days across the National
// Day holiday and its adjusted working weekend, with the calendar each
// committee's admin keeps.
func TestSvWorkingDays(t *testing.T) {
	w := newSvWorld(t, testenv.SQLiteDSN(t))
	ctx, s := w.ctx, w.svc
	admin := w.actor(w.f.Admin)
	set, err := s.DeadlineSettings(ctx, admin)
	w.must(err)
	if !set.Default || !strings.Contains(set.CalendarText, "2026-10-10 上班 国庆节调休") {
		t.Fatalf("default calendar text:\n%s", set.CalendarText)
	}
	rules := set.Rules
	rules.Counting = zhengxie.CountWorking
	w.must(s.SaveDeadlineSettings(ctx, admin, rules, set.CalendarText))

	// 1 July + 3 months is 1 October, a holiday: the deadline moves to the
	// first working day after the National Day holiday.
	w.at("2026-07-01")
	_, ts := w.assigned(0, "关于推进老旧小区加装电梯的建议", w.lead(0), w.co(1))
	if ts[0].Due.String() != "2026-10-08" || ts[1].Due.String() != "2026-08-03" {
		t.Fatalf("working-day dues: lead %s, co %s", ts[0].Due, ts[1].Due)
	}
	// Reminders count working days back: 15 working days before 8 October
	// skip the Mid-Autumn holiday and count the adjusted Sunday 20 September.
	v, err := s.TaskDeadline(ctx, w.office(), ts[0].ID)
	w.must(err)
	var rem []string
	for _, d := range v.Reminders {
		rem = append(rem, d.String())
	}
	svWant(t, "reminder days", rem, []string{"2026-09-10", "2026-09-28"})
	// A return is possible for 10 working days.
	w.at("2026-07-16")
	_, err = s.ReturnTask(ctx, w.unit(0), ts[0].ID, "不属于本单位职责")
	svCode(t, "return on the 11th working day", err, zhengxie.EIllegal)

	// The admin adds a district holiday on 8 October: new assignments move
	// on, the other committee keeps the official calendar.
	w.must(s.SaveDeadlineSettings(ctx, admin, rules, set.CalendarText+"\n2026-10-08 holiday 区级调整\n"))
	w.at("2026-07-01")
	_, ts = w.assigned(1, "关于增加中小学学位供给的建议", w.lead(0))
	if ts[0].Due.String() != "2026-10-09" {
		t.Fatalf("due with the district holiday: %s", ts[0].Due)
	}
	_, cal := s.Deadlines(ctx, w.f.Other.CommitteeID)
	if !cal.IsWorkday(zhengxie.MakeDate(2026, 10, 8)) {
		t.Error("the other committee's calendar changed")
	}
	// A mistake in the text is reported with its line, and nothing is saved.
	err = s.SaveDeadlineSettings(ctx, admin, rules, "2026-10-08 holiday 区级调整\n2026-10-32 holiday 错误\n")
	if zhengxie.ErrorField(err) != "calendar" || !strings.Contains(zhengxie.ErrorMessage(err), "第2行") {
		t.Errorf("bad calendar: %v", err)
	}
	_, err = s.DeadlineSettings(ctx, w.unit(0))
	svCode(t, "a unit reading the settings", err, zhengxie.EForbidden)
	err = s.SaveDeadlineSettings(ctx, w.office(), rules, set.CalendarText)
	svCode(t, "the office saving the settings", err, zhengxie.EForbidden)
}

// TestSvKeyProposals walks key proposals from the office's proposal to the
// chairs' council's approval, a plan with dates and progress notes, and
// checks what the board says about each.
func TestSvKeyProposals(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newSvWorld(t, dsn)
		ctx, s := w.ctx, w.svc
		leader := w.actor(w.f.Leader)
		p1, _ := w.assigned(0, "关于有序推进碳达峰行动的建议", w.lead(0), w.co(1))
		p2, _ := w.assigned(1, "关于促进夜间经济规范发展的建议", w.lead(2))
		p3, _ := w.assigned(2, "关于打造书香街区文化品牌的建议", w.lead(1))

		_, err := s.ProposeKey(ctx, w.actor(w.f.Members[0]), p1.ID, 0, "")
		svCode(t, "a member proposing", err, zhengxie.EForbidden)
		_, err = s.ProposeKey(ctx, w.office(), p1.ID, w.f.Office.ID, "")
		svCode(t, "an office user as leader", err, zhengxie.EInvalid)
		k1, err := s.ProposeKey(ctx, w.office(), p1.ID, w.f.Leader.ID, "涉及全区产业结构调整")
		w.must(err)
		k2, err := s.ProposeKey(ctx, w.office(), p2.ID, 0, "")
		w.must(err)
		k3, err := s.ProposeKey(ctx, w.office(), p3.ID, 0, "")
		w.must(err)
		_, err = s.ProposeKey(ctx, w.office(), p1.ID, 0, "")
		svCode(t, "proposing twice", err, zhengxie.EConflict)
		if got := w.titles(w.f.Leader, "重点提案建议待审定"); len(got) != 3 {
			t.Errorf("leader's notices: %q", got)
		}
		_, err = s.DecideKeys(ctx, w.office(), []int64{k1.ID}, true, "")
		svCode(t, "the office approving", err, zhengxie.EForbidden)
		n, err := s.DecideKeys(ctx, leader, []int64{k1.ID, k2.ID}, true, "同意")
		w.must(err)
		_, err = s.DecideKeys(ctx, leader, []int64{k3.ID}, false, "本年度不列入")
		w.must(err)
		if n != 2 {
			t.Fatalf("approved %d", n)
		}
		_, err = s.DecideKeys(ctx, leader, []int64{k1.ID}, true, "")
		svCode(t, "approving twice", err, zhengxie.EIllegal)
		for _, c := range []struct {
			id  int64
			key bool
		}{{p1.ID, true}, {p2.ID, true}, {p3.ID, false}} {
			p, _ := w.st.Proposal(ctx, w.f.Committee.ID, c.id)
			if p.Key != c.key {
				t.Errorf("proposal %s key = %v", p.Title, p.Key)
			}
		}
		// The lead unit, the proposer and the leader were told (rendered from
		// the template key_proposal_approved).
		for _, u := range []*zhengxie.User{w.f.UnitUsers[0], w.f.Members[0], w.f.Leader} {
			if got := w.titles(u, "重点提案确定：第0001号"); len(got) != 1 {
				t.Errorf("%s: %q", u.Name, got)
			}
		}

		// The plan: a 座谈 done, a 视察 past its date, a 面商 to come.
		step := func(key int64, kind, title, day string) *store.KeyStep {
			st, err := s.AddKeyStep(ctx, w.office(), key, kind, title, day)
			w.must(err)
			return st
		}
		w.at("2026-03-10")
		s1 := step(k1.ID, "座谈", "召开专题座谈会", "2026-03-20")
		step(k1.ID, "视察", "视察重点用能企业", "2026-04-10")
		step(k1.ID, "面商", "与提案者面商", "2026-05-10")
		step(k2.ID, "调研", "街区夜间经济调研", "2026-04-20")
		_, err = s.AddKeyStep(ctx, w.office(), k1.ID, "聚餐", "不是督办方式", "2026-04-01")
		svCode(t, "an unknown kind", err, zhengxie.EInvalid)
		_, err = s.AddKeyStep(ctx, w.unit(0), k1.ID, "座谈", "单位不能安排", "2026-04-01")
		svCode(t, "a unit planning", err, zhengxie.EForbidden)
		w.at("2026-04-15")
		w.must(s.CompleteKeyStep(ctx, leader, k1.ID, s1.ID, "2026-03-20", "形成问题清单十二项"))
		w.must(s.AddKeyNote(ctx, w.unit(0), k1.ID, "已完成重点企业排查"))
		err = s.AddKeyNote(ctx, w.unit(2), k1.ID, "别的单位")
		svCode(t, "a unit without a task writing a note", err, zhengxie.ENotFound)

		board, err := s.KeyBoard(ctx, w.office())
		w.must(err)
		rows := map[int64]app.KeyRow{}
		for _, r := range board {
			rows[r.ProposalID] = r
		}
		r1, r2, r3 := rows[p1.ID], rows[p2.ID], rows[p3.ID]
		if r1.State != store.KeyApproved || r1.LeaderName != w.f.Leader.Name || r1.StepsDone != 1 || r1.StepsTotal != 3 ||
			r1.Next == nil || r1.Next.Kind != "视察" || !r1.Late || !strings.Contains(strings.Join(r1.LateWhy, ""), "视察“视察重点用能企业”计划于2026-04-10") ||
			r1.Stage != "办理中（0/1个单位已答复）" {
			t.Errorf("row 1: %+v", r1)
		}
		if r2.Late || r2.Next == nil || r2.Next.PlannedOn != "2026-04-20" || r2.LeaderName != w.f.Leader.Name {
			t.Errorf("row 2 (leader defaults to the approver, step to come): %+v", r2)
		}
		if r3.State != store.KeyRefused || r3.Late {
			t.Errorf("row 3: %+v", r3)
		}
		d, err := s.KeyDetail(ctx, w.unit(0), k1.ID)
		w.must(err)
		if len(d.Notes) != 1 || d.CanPlan || !d.CanNote {
			t.Errorf("unit's view of the file: %+v", d)
		}
		_, err = s.KeyDetail(ctx, w.unit(2), k1.ID)
		svCode(t, "another unit's view", err, zhengxie.ENotFound)
		// After the lead unit's deadline the proposal is late for that too.
		w.at("2026-06-05")
		board, err = s.KeyBoard(ctx, leader)
		w.must(err)
		for _, r := range board {
			if r.ProposalID == p2.ID && !strings.Contains(strings.Join(r.LateWhy, ""), "区教育局已超期3天") {
				t.Errorf("row 2 after the deadline: %+v", r.LateWhy)
			}
		}
		_ = fmt.Sprint
	})
}
