package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/notify"
	"zhengxie/store"
)

// The supervision pages against a real server and store. Names start with
// sv to stay clear of the other test files of this package.

// svEnv is a seeded committee with supervision data, served over HTTP.
type svEnv struct {
	t   *testing.T
	ctx context.Context
	f   *testenv.Fixture
	svc *app.Service
	url string
	log *svLog

	mu  sync.Mutex
	now time.Time

	// The data the pages show.
	p1, p2       *zhengxie.Proposal
	lead1, co1   zhengxie.Task
	lead2        zhengxie.Task
	key1, key2   *store.KeyProposal
	sessions     map[int64]*svClient
	webhookCalls chan string
}

// svLog fails the test on any error the server logs.
type svLog struct {
	mu   sync.Mutex
	recs []string
}

func (l *svLog) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelError }
func (l *svLog) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	l.mu.Lock()
	l.recs = append(l.recs, b.String())
	l.mu.Unlock()
	return nil
}
func (l *svLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *svLog) WithGroup(string) slog.Handler      { return l }

func (e *svEnv) at(day string) {
	d, err := zhengxie.ParseDate(day)
	if err != nil {
		e.t.Fatal(err)
	}
	e.mu.Lock()
	e.now = d.In(zhengxie.ChinaTime()).Add(10 * time.Hour)
	e.mu.Unlock()
}

func (e *svEnv) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// newSvEnv builds the committee of the supervision pages: on 2 March P1 is
// assigned to unit 1 (lead) and unit 2 (co), P2 to unit 3; P1 is a key
// proposal with a plan whose second step is late, P2 is proposed; on 9
// April the scan has run: P1's co-handling task is 7 days overdue and
// escalated to the leader.
func newSvEnv(t *testing.T, dsn string) *svEnv {
	t.Helper()
	st := testenv.Open(t, dsn)
	f := testenv.Seed(t, st)
	e := &svEnv{t: t, ctx: context.Background(), f: f, svc: f.Svc, log: &svLog{}, sessions: map[int64]*svClient{}}
	e.at("2026-03-02")
	f.Svc.Clock = func() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }
	s := New(f.Svc, slog.New(e.log))
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	t.Cleanup(func() {
		e.log.mu.Lock()
		defer e.log.mu.Unlock()
		for _, r := range e.log.recs {
			t.Errorf("server logged an error: %s", r)
		}
	})
	e.url = hs.URL
	ctx, svc := e.ctx, e.svc
	office := zhengxie.ActorOf(f.Office)
	assign := func(member int, title string, as ...zhengxie.Assignment) (*zhengxie.Proposal, []zhengxie.Task) {
		m := zhengxie.ActorOf(f.Members[member])
		p, err := svc.CreateDraft(ctx, m, testenv.Draft(title))
		e.must(err)
		_, err = svc.Submit(ctx, m, p.ID)
		e.must(err)
		_, err = svc.Accept(ctx, office, p.ID, "")
		e.must(err)
		p, err = svc.Assign(ctx, office, p.ID, as, "")
		e.must(err)
		ts, err := f.Svc.Store.Tasks(ctx, p.ID)
		e.must(err)
		return p, ts
	}
	var ts []zhengxie.Task
	e.p1, ts = assign(0, "关于完善生物岛交通体系的建议", zhengxie.Assignment{UnitID: f.Units[0].ID, Kind: zhengxie.TaskLead},
		zhengxie.Assignment{UnitID: f.Units[1].ID, Kind: zhengxie.TaskCo})
	e.lead1, e.co1 = ts[0], ts[1]
	e.p2, ts = assign(1, "关于加强社区安全治理的建议", zhengxie.Assignment{UnitID: f.Units[2].ID, Kind: zhengxie.TaskLead})
	e.lead2 = ts[0]
	var err error
	e.key1, err = svc.ProposeKey(ctx, office, e.p1.ID, f.Leader.ID, "涉及全区交通规划")
	e.must(err)
	e.key2, err = svc.ProposeKey(ctx, office, e.p2.ID, 0, "社区治理重点")
	e.must(err)
	_, err = svc.DecideKeys(ctx, zhengxie.ActorOf(f.Leader), []int64{e.key1.ID}, true, "同意")
	e.must(err)
	st1, err := svc.AddKeyStep(ctx, office, e.key1.ID, "座谈", "召开专题座谈会", "2026-03-20")
	e.must(err)
	_, err = svc.AddKeyStep(ctx, office, e.key1.ID, "视察", "视察过江通道选址", "2026-04-01")
	e.must(err)
	_, err = svc.AddKeyStep(ctx, office, e.key1.ID, "面商", "与提案者面商", "2026-05-15")
	e.must(err)
	e.at("2026-04-09")
	e.must(svc.CompleteKeyStep(ctx, office, e.key1.ID, st1.ID, "2026-03-20", "形成问题清单"))
	_, err = svc.ScanDeadlines(ctx)
	e.must(err)
	return e
}

// svClient is a logged-in browser session (cookie and CSRF token).
type svClient struct {
	e     *svEnv
	token string
	csrf  string
	cli   *http.Client
}

func (e *svEnv) as(u *zhengxie.User) *svClient {
	e.t.Helper()
	if c := e.sessions[u.ID]; c != nil {
		return c
	}
	tok, sess, _, err := e.svc.Login(e.ctx, u.Username, testenv.Password, "127.0.0.1")
	e.must(err)
	c := &svClient{e: e, token: tok, csrf: sess.CSRFToken,
		cli: &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	e.sessions[u.ID] = c
	return c
}

type svResp struct {
	status   int
	body     string
	location string
	header   http.Header
	raw      []byte
}

func (c *svClient) do(method, path string, form url.Values) svResp {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set(csrfField, c.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.e.url+path, body)
	c.e.must(err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.token})
	}
	res, err := c.cli.Do(req)
	c.e.must(err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 {
		c.e.t.Errorf("%s %s: %d\n%s", method, path, res.StatusCode, b)
	}
	// API answers get the same checks as those of testServer.do.
	if strings.HasPrefix(path, "/api/") {
		r := &resp{Method: method, Path: path, Status: res.StatusCode, Body: string(b), Header: res.Header}
		if err := conform(method, path, r); err != nil {
			c.e.t.Errorf("answer does not match openapi.json: %s: %v", r, err)
		}
		if err := errorFieldOfRequest(method, path, requestKeys(apiRequest(method, path, form)), r); err != nil {
			c.e.t.Errorf("%s: %v", r, err)
		}
	}
	return svResp{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header, raw: b}
}

func (c *svClient) get(path string) svResp { return c.do("GET", path, nil) }

func (c *svClient) post(path string, kv ...string) svResp {
	f := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return c.do("POST", path, f)
}

func (e *svEnv) expect(r svResp, what string, status int, contains ...string) {
	e.t.Helper()
	if r.status != status {
		e.t.Errorf("%s: status %d, want %d\n%.600s", what, r.status, status, r.body)
		return
	}
	for _, c := range contains {
		if !strings.Contains(r.body, c) {
			e.t.Errorf("%s: page lacks %q", what, c)
		}
	}
}

var svInlineStyle = regexp.MustCompile(`(?i)\sstyle\s*=|<script(\s[^>]*)?>[^<]`)

// TestSvPages goes through the supervision pages as the people who use them.
func TestSvPages(t *testing.T) {
	e := newSvEnv(t, testenv.SQLiteDSN(t))
	f := e.f
	office, leader, admin := e.as(f.Office), e.as(f.Leader), e.as(f.Admin)
	unit1, unit2 := e.as(f.UnitUsers[0]), e.as(f.UnitUsers[1])

	// The dashboard: every number links to its list, and the lists hold what the numbers say.
	r := office.get("/supervision")
	e.expect(r, "dashboard", 200, `id="bucket-overdue"><span class="stat-value">1</span>`, `id="bucket-d15"`,
		`id="open-total">3<`, `有 1 件重点提案建议待主席会议审定`, `data-chart="`,
		fmt.Sprintf(`href="/supervision/tasks?unit=%d&amp;bucket=overdue" data-bucket="overdue">1</a>`, f.Units[1].ID))
	for _, c := range []struct {
		path  string
		tasks []int64
	}{
		{"/supervision/tasks?bucket=overdue", []int64{e.co1.ID}},
		{"/supervision/tasks?bucket=later", []int64{e.lead1.ID, e.lead2.ID}},
		{fmt.Sprintf("/supervision/tasks?unit=%d", f.Units[2].ID), []int64{e.lead2.ID}},
		{"/supervision/tasks?state=pending", []int64{e.co1.ID, e.lead1.ID, e.lead2.ID}}, // by due date
	} {
		r := office.get(c.path)
		var got []string
		for _, m := range regexp.MustCompile(`data-task="(\d+)"`).FindAllStringSubmatch(r.body, -1) {
			got = append(got, m[1])
		}
		if want := fmt.Sprint(c.tasks); fmt.Sprint("[", strings.Join(got, " "), "]") != want {
			t.Errorf("%s lists %v, want %s", c.path, got, want)
		}
	}
	// The overdue board.
	r = leader.get("/supervision/overdue")
	e.expect(r, "overdue board", 200, `id="overdue-count">1<`, fmt.Sprintf(`data-task="%d"`, e.co1.ID), "区卫生健康局", "7天", "已报"+f.Leader.Name)

	// A unit's deadline page, its extension request, the office's decision.
	path := fmt.Sprintf("/supervision/tasks/%d", e.lead1.ID)
	e.expect(unit1.get(path), "own task", 200, "申请延期", "2026年6月2日", "最晚可延至2026-09-02")
	e.expect(unit2.get(path), "another unit's task", 404)
	e.expect(e.as(f.Members[0]).get(path), "a member", 404)
	r = unit1.post(path+"/extension", "due", "2026-09-30", "reason", "需要专项调研")
	e.expect(r, "too late", 422, "超过了自交办之日起6个月的上限", `>需要专项调研</textarea>`)
	r = unit1.post(path+"/extension", "due", "2026-07-15", "reason", "需要会同规划部门论证")
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "flash=sv_extension_requested") {
		t.Fatalf("extension request: %d %s", r.status, r.location)
	}
	e.expect(unit1.get(r.location), "after the request", 200, "延期申请已提交", "待审批")
	r = office.get("/supervision/extensions")
	e.expect(r, "office's list", 200, "需要会同规划部门论证", "2026-07-15")
	exts, _ := e.svc.Store.Extensions(e.ctx, store.ExtensionFilter{CommitteeID: f.Committee.ID})
	e.expect(office.post(fmt.Sprintf("/supervision/extensions/%d/refuse", exts[0].ID), "note", ""), "refuse without reason", 422, "请填写不同意延期的理由")
	e.expect(unit1.post(fmt.Sprintf("/supervision/extensions/%d/approve", exts[0].ID)), "a unit approving", 403)
	r = office.post(fmt.Sprintf("/supervision/extensions/%d/approve", exts[0].ID), "note", "同意")
	e.expect(r, "approve", 303)
	if k, _ := e.svc.Store.Task(e.ctx, f.Committee.ID, e.lead1.ID); k.Due.String() != "2026-07-15" {
		t.Errorf("due after approval: %s", k.Due)
	}
	// The proposal's timeline names these steps in Chinese.
	r = office.get(fmt.Sprintf("/proposals/%d", e.p1.ID))
	e.expect(r, "timeline", 200, `<span class="ev-action">申请延期</span>`, `<span class="ev-action">同意延期</span>`, `<span class="ev-action">提出重点提案建议</span>`)
	if strings.Contains(r.body, "request_extension") {
		t.Error("the timeline shows an event code")
	}

	// Key proposals: the board, the council's approval, a step.
	r = office.get("/key-proposals")
	e.expect(r, "key board", 200, `id="key-board"`, "滞后", "视察“视察过江通道选址”计划于2026-04-01，尚未完成", "2026-04-01 视察：视察过江通道选址",
		"待审定的建议名单", "社区治理重点", "等待主席会议（领导）审定")
	e.expect(leader.get("/key-proposals"), "leader's board", 200, fmt.Sprintf(`name="ids" value="%d"`, e.key2.ID))
	e.expect(office.post("/key-proposals/decide", "ids", fmt.Sprint(e.key2.ID), "decision", "approve"), "office approving", 403)
	e.expect(leader.post("/key-proposals/decide", "ids", fmt.Sprint(e.key2.ID), "decision", "approve", "note", "同意"), "leader approving", 303)
	kp := fmt.Sprintf("/key-proposals/%d", e.key2.ID)
	e.expect(office.post(kp+"/steps", "kind", "调研", "title", "", "planned_on", "2026-05-01"), "a step without a title", 422, "请填写事项内容")
	e.expect(office.post(kp+"/steps", "kind", "调研", "title", "社区网格化治理调研", "planned_on", "2026-05-01"), "a step", 303)
	e.expect(office.get(kp), "key file", 200, "社区网格化治理调研", "待开展", f.Leader.Name)
	e.expect(unit2.get(kp), "a unit without a task", 404)

	// Evaluation and its export.
	e.expect(office.get("/evaluation"), "ranking", 200, `id="ranking-table"`, "区交通运输局", "按期答复率")
	r = leader.get("/evaluation/export.xlsx?year=2026")
	if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", r.status, r.header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(bytes.NewReader(r.raw))
	e.must(err)
	rows, _ := x.GetRows("考评排名")
	if len(rows) < 5 || !strings.HasPrefix(rows[0][0], "2026年度承办单位提案办理考评") {
		t.Errorf("export rows %q", rows)
	}
	e.expect(office.post("/evaluation/criteria", "on_time", "0", "contact", "0", "satisfaction", "0", "returns", "0", "rehandle", "0", "basically", "60"),
		"criteria all zero", 422, "至少要有一项指标的权重大于0")
	e.expect(unit1.get(fmt.Sprintf("/evaluation/units/%d?year=2026", f.Units[0].ID)), "own breakdown", 200, "交办任务明细")
	e.expect(unit1.get(fmt.Sprintf("/evaluation/units/%d?year=2026", f.Units[1].ID)), "another unit's breakdown", 403)

	// Notification settings.
	m := e.as(f.Members[0])
	e.expect(m.get("/settings/notifications"), "settings", 200, "本系统尚未配置邮件服务器", f.Members[0].Email)
	e.expect(m.post("/settings/notifications", "want_email", "1", "email", "not-an-address", "phone", ""), "bad e-mail", 422, "邮箱地址“not-an-address”格式不正确", `value="not-an-address"`)
	e.expect(m.post("/settings/notifications", "want_sms", "1", "email", "", "phone", "138 0013 8000"), "sms", 303)
	if p, _ := e.svc.Store.NotifyPrefs(e.ctx, f.Members[0].ID); p.Email || !p.SMS {
		t.Errorf("prefs %+v", p)
	}

	// Admin: a broken mail server shows on the jobs page, and can be retried.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	deadPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	e.svc.Jobs().SetChannels(app.Channels{Mailer: &notify.Mailer{Host: "127.0.0.1", Port: deadPort, From: "tian@zx.example.cn", Timeout: time.Second}})
	start := time.Now()
	_, err = e.svc.Reject(e.ctx, zhengxie.ActorOf(f.Office), svUnderReview(e, 2, "关于设立社区食堂的建议").ID, "建议通过社情民意渠道反映")
	e.must(err)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("rejecting took %s with the mail server down", d)
	}
	e.svc.Jobs().RunDue(e.ctx)
	r = admin.get("/admin/jobs?kind=email")
	e.expect(r, "jobs page", 200, "无法连接邮件服务器", "立即执行", "提案不予立案", `<span class="badge task-pending">等待执行</span>`)
	jobs, _, _ := e.svc.Store.Jobs(e.ctx, store.JobFilter{CommitteeID: f.Committee.ID, Kind: app.JobEmail})
	e.expect(admin.post(fmt.Sprintf("/admin/jobs/%d/retry", jobs[0].ID)), "retry", 303)
	e.expect(office.get("/admin/jobs"), "office on the jobs page", 403)

	// Admin: a webhook subscription, a test delivery and its log.
	calls := make(chan string, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls <- r.Header.Get(notify.EventHeader)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer recv.Close()
	e.expect(admin.post("/admin/webhooks", "name", "门户网站", "url", "javascript:alert(1)", "events", "task.assigned"), "bad url", 422, "接收地址应为完整的")
	r = admin.post("/admin/webhooks", "name", "门户网站", "url", recv.URL, "events", "task.assigned", "events", "proposal.published", "active", "1")
	e.expect(r, "new subscription", 303)
	subPath := strings.SplitN(r.location, "?", 2)[0]
	e.expect(admin.post(subPath+"/ping"), "ping", 303)
	e.svc.Jobs().RunDue(e.ctx)
	if ev := <-calls; ev != "ping" {
		t.Errorf("receiver got %q", ev)
	}
	e.expect(admin.get(subPath), "delivery log", 200, `<span class="badge task-replied">202</span>`, "测试", "重新投递")

	// Admin: the holiday calendar, with its mistakes shown by line.
	e.expect(office.get("/admin/holidays"), "office reading the calendar", 200, "2026-10-01 放假 国庆节")
	r = admin.post("/admin/holidays", "counting", "working", "task_months", "3", "cohandle_months", "1", "return_days", "10", "rehandle_months", "1",
		"max_months", "6", "remind_days_before", "15,3", "escalate_after_days", "7", "calendar", "2026-10-01 holiday 国庆节\n2026-10-02 休假 国庆节\n")
	e.expect(r, "bad calendar", 422, "第2行", "2026-10-02 休假 国庆节")
	r = admin.post("/admin/holidays", "counting", "working", "task_months", "3", "cohandle_months", "1", "return_days", "10", "rehandle_months", "1",
		"max_months", "6", "remind_days_before", "15，3", "escalate_after_days", "7", "calendar", "2026-10-01 holiday 国庆节\n")
	e.expect(r, "calendar saved", 303)
	if rules, cal := e.svc.Deadlines(e.ctx, f.Committee.ID); rules.Counting != zhengxie.CountWorking || cal.IsWorkday(zhengxie.MakeDate(2026, 10, 1)) ||
		!cal.IsWorkday(zhengxie.MakeDate(2026, 10, 2)) {
		t.Errorf("saved rules %+v", rules)
	}
	e.expect(admin.post(fmt.Sprintf("/admin/units/%d/leader", f.Units[2].ID), "leader_id", fmt.Sprint(f.Office.ID)), "an office user as leader", 422, "督办领导应为本会的领导用户")

	// No page of ours has inline script or style (the CSP would block it).
	for _, p := range []string{"/supervision", "/supervision/overdue", "/key-proposals", "/evaluation", "/supervision/extensions?all=1", path, kp} {
		if m := svInlineStyle.FindString(office.get(p).body); m != "" {
			t.Errorf("%s has inline %q", p, m)
		}
	}
	for _, p := range []string{"/admin/jobs", "/admin/webhooks", subPath, "/admin/holidays"} {
		if m := svInlineStyle.FindString(admin.get(p).body); m != "" {
			t.Errorf("%s has inline %q", p, m)
		}
	}
}

func svUnderReview(e *svEnv, member int, title string) *zhengxie.Proposal {
	m := zhengxie.ActorOf(e.f.Members[member])
	p, err := e.svc.CreateDraft(e.ctx, m, testenv.Draft(title))
	e.must(err)
	p, err = e.svc.Submit(e.ctx, m, p.ID)
	e.must(err)
	return p
}

// TestSvPermissions: who may open each supervision page.
func TestSvPermissions(t *testing.T) {
	e := newSvEnv(t, testenv.SQLiteDSN(t))
	f := e.f
	other := &svClient{e: e}
	{
		tok, sess, _, err := e.svc.Login(e.ctx, f.Other.Username, testenv.Password, "127.0.0.1")
		e.must(err)
		other = &svClient{e: e, token: tok, csrf: sess.CSRFToken, cli: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	}
	anon := &svClient{e: e, cli: other.cli}
	callers := []struct {
		name string
		c    *svClient
	}{{"anon", anon}, {"member", e.as(f.Members[0])}, {"unit1", e.as(f.UnitUsers[0])}, {"unit3", e.as(f.UnitUsers[2])},
		{"office", e.as(f.Office)}, {"leader", e.as(f.Leader)}, {"admin", e.as(f.Admin)}, {"other", other}}
	// Columns: anon member unit1 unit3 office leader admin other. 303 is the
	// login page for anon; units are sent from the office's lists to their
	// own deadlines page, the others from that page to the office's list.
	rows := []struct{ path, want string }{
		{"/supervision", "303 403 403 403 200 200 200 200"},
		{"/supervision/overdue", "303 403 303 303 200 200 200 200"},
		{"/supervision/tasks?bucket=overdue", "303 403 303 303 200 200 200 200"},
		{"/supervision/deadlines", "303 303 200 200 303 303 303 303"},
		{fmt.Sprintf("/supervision/tasks/%d", e.lead1.ID), "303 404 200 404 200 200 200 404"},
		{"/supervision/extensions", "303 403 403 403 200 200 200 200"},
		{"/key-proposals", "303 403 403 403 200 200 200 200"},
		{fmt.Sprintf("/key-proposals/%d", e.key1.ID), "303 404 200 404 200 200 200 404"},
		{"/evaluation", "303 403 403 403 200 200 200 200"},
		{"/evaluation/export.xlsx", "303 403 403 403 200 200 200 200"},
		{fmt.Sprintf("/evaluation/units/%d", f.Units[0].ID), "303 403 200 403 200 200 200 404"},
		{"/settings/notifications", "303 200 200 200 200 200 200 200"},
		{"/admin/jobs", "303 403 403 403 403 403 200 403"},
		{"/admin/webhooks", "303 403 403 403 403 403 200 403"},
		{"/admin/holidays", "303 403 403 403 200 403 200 200"},
	}
	for _, row := range rows {
		var got []string
		for _, c := range callers {
			got = append(got, fmt.Sprint(c.c.get(row.path).status))
		}
		if g := strings.Join(got, " "); g != row.want {
			t.Errorf("%s:\n got  %s\n want %s", row.path, g, row.want)
		}
	}
	// The other committee's office sees its own (empty) boards, never ours.
	if r := other.get("/supervision/overdue"); strings.Contains(r.body, e.p1.Title) {
		t.Error("another committee sees our overdue board")
	}
}

// svBrowser starts Chromium, or skips (fails when ZHENGXIE_REQUIRE_BROWSER=1).
func svBrowser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("ZHENGXIE_REQUIRE_BROWSER") == "1" || os.Getenv("CI") != "" {
			t.Fatal("no Chromium found, but ZHENGXIE_REQUIRE_BROWSER=1 (or CI) requires the browser test")
		}
		t.Skip("no Chromium on PATH: browser test of the boards skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(tcancel)
	return tctx
}

// TestSvBrowserBoards opens the overdue board, the key-proposal board and
// the dashboard in Chromium as the office and checks that they show what
// the data says, and that the chart is drawn under the site's CSP.
func TestSvBrowserBoards(t *testing.T) {
	ctx := svBrowser(t)
	e := newSvEnv(t, testenv.SQLiteDSN(t))
	c := e.as(e.f.Office)
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: sessionCookie, Value: c.token, URL: e.url}); err != nil {
		t.Fatal(err)
	}
	cells := func(path, rowsSel, js string) [][]string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(e.url+path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('`+rowsSel+`')).map(function (tr) { return `+js+`; })`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return got
	}
	text := `function (el) { return el ? el.innerText.trim().replace(/\s+/g, ' ') : ''; }`

	// The overdue board shows every overdue task, with the days and the leader it went to.
	tasks, _, err := e.svc.SupervisedTasks(e.ctx, zhengxie.ActorOf(e.f.Office), app.TaskQuery{Bucket: app.BucketOverdue})
	e.must(err)
	var want [][]string
	for _, st := range tasks {
		want = append(want, []string{fmt.Sprint(st.ID), st.UnitName, fmt.Sprintf("%d天", st.DaysOverdue()), "已报" + st.Leader})
	}
	got := cells("/supervision/overdue", "#overdue-board tbody tr",
		`[tr.dataset.task, (`+text+`)(tr.querySelector('.unit')), (`+text+`)(tr.querySelector('.days')), (`+text+`)(tr.querySelector('.escalation'))]`)
	if len(want) != 1 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("overdue board:\n got  %q\n want %q", got, want)
	}

	// The key-proposal board: stage, next step and lateness of each approved one.
	board, err := e.svc.KeyBoard(e.ctx, zhengxie.ActorOf(e.f.Office))
	e.must(err)
	want = nil
	for _, k := range board {
		if k.State != store.KeyApproved {
			continue
		}
		next, late := "—", "正常"
		if k.Next != nil {
			next = k.Next.PlannedOn + " " + k.Next.Kind + "：" + k.Next.Title
		}
		if k.Late {
			late = "滞后"
		}
		want = append(want, []string{fmt.Sprint(k.ID), k.LeaderName, k.Stage, next, late})
	}
	got = cells("/key-proposals", "#key-board tbody tr",
		`[tr.dataset.key, (`+text+`)(tr.querySelector('.leader')), (`+text+`)(tr.querySelector('.stage')), (`+text+`)(tr.querySelector('.next')), tr.querySelector('.late .badge').innerText.trim()]`)
	if len(want) != 1 || want[0][4] != "滞后" || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("key board:\n got  %q\n want %q", got, want)
	}

	// The dashboard's chart is drawn (ECharts loaded and allowed by the CSP),
	// and the overdue number leads to the overdue list.
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/supervision"), chromedp.WaitVisible(`.chart[data-chart-ready="1"] .chart-canvas canvas`)); err != nil {
		t.Fatalf("dashboard chart: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#bucket-overdue`), chromedp.WaitVisible(`#task-list`)); err != nil {
		t.Fatalf("clicking the overdue count: %v", err)
	}
	ids := cells("/supervision/tasks?bucket=overdue", "#task-list tbody tr", `[tr.dataset.task]`)
	if fmt.Sprint(ids) != fmt.Sprintf("[[%d]]", e.co1.ID) {
		t.Errorf("overdue list %q", ids)
	}
}
