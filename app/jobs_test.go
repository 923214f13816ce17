package app_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/internal/testenv/smtpd"
	"zhengxie/notify"
	"zhengxie/store"
)

// svWaitJobs waits until no job of the committee is pending or running,
// or fails after a while.
func (w *svWorld) waitJobs(st *store.Store, what string) {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		c, err := st.JobCounts(w.ctx, w.f.Committee.ID)
		w.must(err)
		if c[store.JobPending]+c[store.JobRunning] == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	w.t.Fatalf("%s: jobs still waiting after 15 s", what)
}

// TestSvJobsSurviveRestart queues jobs, stops the server before they run
// (one of them claimed by a worker that then died), and checks that a new
// service on the same database sends every one, once.
func TestSvJobsSurviveRestart(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newSvWorld(t, dsn)
		ctx := w.ctx
		for i := range 3 {
			w.must(w.svc.SaveNotifySettings(ctx, w.unit(i), "", fmt.Sprintf("1380013800%d", i), false, true))
		}
		// Three assignments queue three notices (each to become an SMS);
		// nothing runs them yet.
		for i := range 3 {
			w.assigned(i, fmt.Sprintf("关于第%d件重启测试事项的建议", i+1), w.lead(i))
		}
		if got := len(w.jobs(app.JobNotice, store.JobPending)); got != 3 {
			t.Fatalf("pending notices: %d", got)
		}
		// A worker of the old process claimed one and died with it.
		claimed, err := w.st.ClaimJob(ctx, "dead-worker", w.now, 2*time.Minute)
		w.must(err)
		if claimed == nil || claimed.Attempts != 1 {
			t.Fatalf("claim: %+v", claimed)
		}
		w.st.Close()

		// The new process: a new store and service on the same database.
		st2 := testenv.Open(t, dsn)
		svc2 := app.New(st2, &app.Files{Dir: t.TempDir()}, nil)
		svc2.Clock = w.svc.Clock
		sms := &svSMS{}
		r := svc2.Jobs()
		r.SetChannels(app.Channels{SMS: sms})
		r.Poll = 20 * time.Millisecond
		runCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		r.Start(runCtx)
		defer r.Stop()
		// The two pending ones go at once; the claimed one waits for its lease.
		deadline := time.Now().Add(10 * time.Second)
		for len(sms.messages()) < 2 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if got := sms.messages(); len(got) != 2 {
			t.Fatalf("after restart: %q", got)
		}
		w.advance(3 * time.Minute)
		r.Wake()
		w.waitJobs(st2, "after the lease")
		got := sms.messages()
		if len(got) != 3 {
			t.Fatalf("sent %q", got)
		}
		seen := map[string]bool{}
		for _, m := range got {
			if seen[m] || !strings.Contains(m, "新的交办任务") {
				t.Errorf("message %q (twice, or not the assignment)", m)
			}
			seen[m] = true
		}
		j, err := st2.Job(ctx, w.f.Committee.ID, claimed.ID)
		w.must(err)
		if j.State != store.JobDone || j.Attempts != 2 {
			t.Errorf("the job of the dead worker: %+v", j)
		}
		// The dead worker's late answer changes nothing.
		if ok, err := st2.FinishJob(ctx, claimed, "dead-worker", w.now); ok || err != nil {
			t.Errorf("a worker without the lease finished a job: %v %v", ok, err)
		}
	})
}

// ---------- a real SMTP server in its own process (package smtpd) ----------

const (
	svSMTPUser = smtpd.User
	svSMTPPass = smtpd.Password
)

type svReceived = smtpd.Message

// svStartSMTP starts the server process and returns its port and folder.
func svStartSMTP(t *testing.T) (int, string) {
	t.Helper()
	srv := smtpd.Start(t, "")
	return srv.Port, srv.Dir
}

// svMails reads what the server received, in order.
func svMails(t *testing.T, dir string) []svReceived {
	t.Helper()
	return (&smtpd.Server{Dir: dir}).Messages(t)
}

func svDecode(t *testing.T, raw string) (subject, body string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	if subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n")
}

// TestSvEmailThroughSMTP sends the assignment and a deadline reminder, both
// rendered from the notify templates, through the job workers to a real
// SMTP server process.
func TestSvEmailThroughSMTP(t *testing.T) {
	port, dir := svStartSMTP(t)
	w := newSvWorld(t, testenv.SQLiteDSN(t))
	ctx, s := w.ctx, w.svc
	r := s.Jobs()
	r.SetChannels(app.Channels{BaseURL: "https://zx.example.cn", Mailer: &notify.Mailer{Host: "127.0.0.1", Port: port,
		Username: svSMTPUser, Password: svSMTPPass, From: "政协测试区委员会提案委员会 <tian@zx.example.cn>", Timeout: 5 * time.Second}})
	r.Poll = 50 * time.Millisecond
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.Start(runCtx)
	defer r.Stop()
	// Unit 1's user keeps the default (e-mail on); unit 2's user turns it
	// off. The proposers, told of acceptance and assignment by the same
	// outbox, turn it off too: only the units' mail is looked at here.
	w.must(s.SaveNotifySettings(ctx, w.unit(1), "unit2@example.test", "", false, false))
	for _, m := range w.f.Members[:2] {
		w.must(s.SaveNotifySettings(ctx, w.actor(m), m.Email, "", false, false))
	}

	p, ts := w.assigned(0, "关于推进老旧小区加装电梯的建议", w.lead(0))
	w.assigned(1, "关于增加中小学学位供给的建议", w.lead(1))
	w.waitJobs(w.st, "assignment")
	mails := svMails(t, dir)
	if len(mails) != 1 {
		t.Fatalf("received %d mails, want 1 (unit 2 turned e-mail off)", len(mails))
	}
	m := mails[0]
	if m.User != svSMTPUser || m.From != "tian@zx.example.cn" || len(m.To) != 1 || m.To[0] != w.f.UnitUsers[0].Email {
		t.Errorf("envelope %+v", m)
	}
	subject, body := svDecode(t, m.Data)
	wantSubject, wantBody, err := notify.Render(notify.TaskAssigned, notify.Data{Committee: w.f.Committee.Name, Recipient: w.f.Units[0].Name,
		Number: "第0001号", Title: p.Title, Proposer: w.f.Members[0].Name, Unit: w.f.Units[0].Name, Role: "主办",
		Due: zhengxie.MakeDate(2026, 6, 2), URL: fmt.Sprintf("https://zx.example.cn/proposals/%d", p.ID)})
	w.must(err)
	if subject != wantSubject || body != wantBody {
		t.Errorf("mail:\n%s\n%s\nwant:\n%s\n%s", subject, body, wantSubject, wantBody)
	}

	// Fifteen days before the deadline the scan e-mails the reminder.
	w.at("2026-05-18")
	if _, err := s.ScanDeadlines(ctx); err != nil {
		t.Fatal(err)
	}
	w.waitJobs(w.st, "reminder")
	mails = svMails(t, dir)
	if len(mails) != 2 {
		t.Fatalf("received %d mails", len(mails))
	}
	subject, body = svDecode(t, mails[1].Data)
	if subject != "办理期限提醒：第0001号《关于推进老旧小区加装电梯的建议》还剩15天" || !strings.Contains(body, "办理期限为2026年6月2日，距到期还有15天") ||
		!strings.Contains(body, fmt.Sprintf("https://zx.example.cn/proposals/%d#task-%d", p.ID, ts[0].ID)) {
		t.Errorf("reminder mail:\n%s\n%s", subject, body)
	}
	// Scanning again sends nothing more.
	s.ScanDeadlines(ctx)
	w.waitJobs(w.st, "second scan")
	if got := len(svMails(t, dir)); got != 2 {
		t.Errorf("after a second scan: %d mails", got)
	}
}

// TestSvBrokenChannelsDoNotBlock: an SMTP server that does not answer and a
// webhook receiver that hangs never hold up the user's action; the
// failures are kept on the job for the admin page and retried later.
func TestSvBrokenChannelsDoNotBlock(t *testing.T) {
	w := newSvWorld(t, testenv.SQLiteDSN(t))
	ctx, s := w.ctx, w.svc
	// A port where nobody listens.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	w.must(err)
	deadPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	hang := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer hang.Close()
	s.Jobs().SetChannels(app.Channels{Mailer: &notify.Mailer{Host: "127.0.0.1", Port: deadPort, From: "tian@zx.example.cn", Timeout: time.Second},
		Webhook: &http.Client{Timeout: 300 * time.Millisecond}})
	w.must(s.SaveWebhook(ctx, w.actor(w.f.Admin), &store.WebhookSubscription{Name: "门户网站", URL: hang.URL, Events: []string{"task.assigned"}, Active: true}))
	// Only the unit's mail and the webhook are looked at here.
	w.must(s.SaveNotifySettings(ctx, w.actor(w.f.Members[0]), w.f.Members[0].Email, "", false, false))

	start := time.Now()
	w.assigned(0, "关于加强校园周边食品安全监管的建议", w.lead(0))
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the assignment took %s", d)
	}
	if _, err := s.Jobs().RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	// The notice fanned out at once; its two deliveries wait for a retry.
	if ns := w.jobs(app.JobNotice, store.JobDone); len(ns) != 1 {
		t.Fatalf("notice jobs done: %+v", ns)
	}
	jobs := append(w.jobs(app.JobEmail, ""), w.jobs(app.JobWebhook, "")...)
	if len(jobs) != 2 || len(w.jobs("", "")) != 3 {
		t.Fatalf("%d deliveries, %d jobs", len(jobs), len(w.jobs("", "")))
	}
	for _, j := range jobs {
		if j.State != store.JobPending || j.Attempts != 1 || !j.RunAt.After(w.now) {
			t.Errorf("job %s: %+v", j.Kind, j)
		}
		switch j.Kind {
		case app.JobEmail:
			if !strings.Contains(j.LastError, "无法连接邮件服务器") {
				t.Errorf("e-mail error: %q", j.LastError)
			}
		case app.JobWebhook:
			if !strings.Contains(j.LastError, "webhook 发送失败") {
				t.Errorf("webhook error: %q", j.LastError)
			}
		}
	}
	subs, _ := w.st.Webhooks(ctx, w.f.Committee.ID)
	ds, _ := w.st.WebhookDeliveries(ctx, w.f.Committee.ID, subs[0].ID, 10)
	if len(ds) != 1 || ds[0].StatusCode != 0 || ds[0].Error == "" {
		t.Errorf("delivery log: %+v", ds)
	}
	// After the last attempt the job is failed, and the admin's retry
	// gives it new attempts.
	for range store.DefaultMaxAttempts {
		w.advance(2 * time.Hour)
		s.Jobs().RunDue(ctx)
	}
	var failed *store.Job
	for _, j := range w.jobs(app.JobEmail, "") {
		if j.State == store.JobFailed && j.Attempts == store.DefaultMaxAttempts {
			failed = &j
		}
	}
	if failed == nil {
		t.Fatalf("e-mail job after %d attempts: %+v", store.DefaultMaxAttempts, w.jobs(app.JobEmail, ""))
	}
	svCode(t, "a unit retrying", s.RetryJob(ctx, w.unit(0), failed.ID), zhengxie.EForbidden)
	w.must(s.RetryJob(ctx, w.actor(w.f.Admin), failed.ID))
	j, _ := w.st.Job(ctx, w.f.Committee.ID, failed.ID)
	if j.State != store.JobPending || j.MaxAttempts <= j.Attempts {
		t.Errorf("after retry: %+v", j)
	}
}

// TestSvWebhookRetries delivers an event to a receiver that checks the
// signature and fails twice before it accepts; the delivery log shows
// 500, 500, 200 with one delivery ID, and a redelivery repeats it.
func TestSvWebhookRetries(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newSvWorld(t, dsn)
		ctx, s := w.ctx, w.svc
		secret := "s3cret-for-the-portal-0123456789"
		var mu sync.Mutex
		var got []string // "status event delivery"
		var bodies [][]byte
		calls := 0
		recv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			if err := notify.Verify([]byte(secret), r.Header.Get(notify.SignatureHeader), body, time.Now(), 0); err != nil {
				rw.WriteHeader(http.StatusUnauthorized)
				got = append(got, "401 "+err.Error())
				return
			}
			calls++
			status := http.StatusOK
			if calls <= 2 {
				status = http.StatusInternalServerError
			}
			rw.WriteHeader(status)
			got = append(got, fmt.Sprintf("%d %s %s", status, r.Header.Get(notify.EventHeader), r.Header.Get(notify.DeliveryHeader)))
			bodies = append(bodies, body)
		}))
		defer recv.Close()
		admin := w.actor(w.f.Admin)
		sub := &store.WebhookSubscription{Name: "政协云平台", URL: recv.URL, Secret: secret, Events: []string{"task.assigned"}, Active: true}
		w.must(s.SaveWebhook(ctx, admin, sub))
		err := s.SaveWebhook(ctx, admin, &store.WebhookSubscription{Name: "坏地址", URL: "ftp://example.test", Events: []string{"task.assigned"}})
		svCode(t, "an ftp URL", err, zhengxie.EInvalid)

		// Accepting (not subscribed) sends nothing; assigning sends one
		// event, which fails twice and then goes through.
		_, ts := w.assigned(0, "关于完善社区居家养老服务的建议", w.lead(0))
		if got := len(w.jobs(app.JobNotice, "")); got != 1 {
			t.Fatalf("%d notice jobs, want 1", got)
		}
		for i := range 3 {
			if _, err := s.Jobs().RunDue(ctx); err != nil {
				t.Fatal(err)
			}
			if got := len(w.jobs(app.JobWebhook, "")); i == 0 && got != 1 {
				t.Fatalf("the notice fanned out into %d webhook jobs, want 1", got)
			}
			w.advance(2 * time.Hour)
		}
		ds, err := w.st.WebhookDeliveries(ctx, w.f.Committee.ID, sub.ID, 100)
		w.must(err)
		var log []string
		for _, d := range ds {
			log = append(log, fmt.Sprintf("%d:%d", d.Attempt, d.StatusCode))
			if d.DeliveryID != ds[0].DeliveryID || d.Event != "task.assigned" {
				t.Errorf("delivery %+v is not the same delivery", d)
			}
		}
		svWant(t, "delivery log (attempt:status)", log, []string{"1:500", "2:500", "3:200"})
		mu.Lock()
		received := append([]string(nil), got...)
		mu.Unlock()
		id := ds[0].DeliveryID
		svWant(t, "receiver", received, []string{"500 task.assigned " + id, "500 task.assigned " + id, "200 task.assigned " + id})
		if js := w.jobs(app.JobWebhook, store.JobDone); len(js) != 1 || js[0].Attempts != 3 {
			t.Errorf("webhook job %+v", js)
		}
		// The body is the task, and says which committee it comes from.
		var b struct {
			ID, Event, Committee string
			Data                 struct {
				TaskID int64  `json:"task_id"`
				Unit   string `json:"unit"`
				Due    string `json:"due"`
			}
		}
		w.must(json.Unmarshal(bodies[2], &b))
		if b.ID != id || b.Event != "task.assigned" || b.Committee != w.f.Committee.Code || b.Data.TaskID != ts[0].ID || b.Data.Unit != w.f.Units[0].Name || b.Data.Due != "2026-06-02" {
			t.Errorf("task.assigned body %+v", b)
		}
		// Redelivery from the admin page sends the same delivery again.
		last := ds[len(ds)-1]
		w.must(s.Redeliver(ctx, admin, last.ID))
		s.Jobs().RunDue(ctx)
		ds2, _ := w.st.WebhookDeliveries(ctx, w.f.Committee.ID, sub.ID, 100)
		if len(ds2) != len(ds)+1 || ds2[len(ds2)-1].DeliveryID != last.DeliveryID || ds2[len(ds2)-1].StatusCode != 200 {
			t.Errorf("redelivery: %+v", ds2[len(ds2)-1])
		}
		// Deleting the subscription fails its waiting deliveries for good.
		w.must(s.PingWebhook(ctx, admin, sub.ID))
		w.must(s.DeleteWebhook(ctx, admin, sub.ID))
		s.Jobs().RunDue(ctx)
		if fs := w.jobs(app.JobWebhook, store.JobFailed); len(fs) != 1 || !strings.Contains(fs[0].LastError, "已删除") {
			t.Errorf("ping after deletion: %+v", fs)
		}
	})
}

// TestSvBackgroundLoop: EnableSupervision puts the scan and the workers in
// the service's background round (Tick), once however often it is called.
func TestSvBackgroundLoop(t *testing.T) {
	w := newSvWorld(t, testenv.SQLiteDSN(t))
	ctx, s := w.ctx, w.svc
	w.must(s.SaveNotifySettings(ctx, w.unit(0), "", "13800138001", false, true))
	w.assigned(0, "关于推进智慧停车建设的建议", w.lead(0))
	n := len(s.Periodic)
	s.EnableSupervision()
	s.EnableSupervision()
	if len(s.Periodic) != n+2 {
		t.Fatalf("Periodic grew by %d", len(s.Periodic)-n)
	}
	r := s.Jobs()
	r.Poll = 20 * time.Millisecond
	loop, cancel := context.WithCancel(ctx)
	defer func() { cancel(); r.Stop() }()
	w.at("2026-06-03")
	s.Tick(loop) // starts the workers and scans: the task is overdue
	w.waitJobs(w.st, "first round")
	// The two notices fan out on two workers: their SMS may come in either order.
	got := w.sms.messages()
	has := func(part string) bool {
		return slices.ContainsFunc(got, func(m string) bool { return strings.Contains(m, part) })
	}
	if len(got) != 2 || !has("新的交办任务：第0001号") || !has("已超期：第0001号") {
		t.Fatalf("SMS after the first round: %q", got)
	}
	first := r.LastScan().At
	w.advance(5 * time.Minute)
	s.Tick(loop)
	if r.LastScan().At != first {
		t.Error("scanned again within ten minutes")
	}
	w.at("2026-06-04")
	s.Tick(loop)
	w.waitJobs(w.st, "next day")
	if rep := r.LastScan(); rep.At == first || rep.Overdues != 1 || len(w.sms.messages()) != 3 {
		t.Errorf("next day: %+v, %q", rep, w.sms.messages())
	}
}
