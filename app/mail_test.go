package app_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/internal/testenv/smtpd"
	"zhengxie/notify"
)

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
