package app_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
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
