package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengxie/internal/testenv/smtpd"
)

// The e-mail tests talk to a real SMTP server in another process (package
// smtpd, shared with the other packages' e-mail tests).

const (
	smtpUser = smtpd.User
	smtpPass = smtpd.Password
)

func TestMain(m *testing.M) {
	smtpd.ServeIfChild()
	os.Exit(m.Run())
}

// received is one message as the server saw it.
type received = smtpd.Message

type smtpServer struct {
	host string
	port int
	dir  string
}

// startSMTPServer starts the server process and waits for its address.
func startSMTPServer(t *testing.T, tlsMode string) *smtpServer {
	t.Helper()
	s := smtpd.Start(t, tlsMode)
	return &smtpServer{host: s.Host, port: s.Port, dir: s.Dir}
}

func (s *smtpServer) messages(t *testing.T) []received {
	t.Helper()
	return (&smtpd.Server{Dir: s.dir}).Messages(t)
}

// decoded is what a mail client shows.
type decoded struct {
	from, fromName, to, subject, body string
	header                            mail.Header
}

func decodeMail(t *testing.T, raw string) decoded {
	t.Helper()
	for _, line := range strings.Split(raw, "\r\n") {
		if len(line) > 998 {
			t.Errorf("line longer than 998 bytes: %.80s…", line)
		}
		for _, r := range line {
			if r > 127 {
				t.Fatalf("raw message is not 7-bit ASCII: %q", line)
			}
		}
	}
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("From %q: %v", m.Header.Get("From"), err)
	}
	if ct := m.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cte := m.Header.Get("Content-Transfer-Encoding"); cte != "base64" {
		t.Fatalf("Content-Transfer-Encoding = %q", cte)
	}
	body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return decoded{from: from[0].Address, fromName: from[0].Name, to: m.Header.Get("To"),
		subject: subject, body: string(body), header: m.Header}
}

func TestMailerDeliversChinese(t *testing.T) {
	for _, tlsMode := range []string{"", "starttls", "implicit"} {
		t.Run("tls="+tlsMode, func(t *testing.T) {
			srv := startSMTPServer(t, tlsMode)
			m := &Mailer{
				Host: srv.host, Port: srv.port,
				Username: smtpUser, Password: smtpPass,
				From:    "某某区政协提案委员会 <tian@zx.example.cn>",
				Timeout: 10 * time.Second,
			}
			if tlsMode != "" {
				m.ImplicitTLS = tlsMode == "implicit"
				pool := x509.NewCertPool()
				ca, err := os.ReadFile(filepath.Join(srv.dir, "ca.pem"))
				if err != nil || !pool.AppendCertsFromPEM(ca) {
					t.Fatalf("ca.pem: %v", err)
				}
				m.TLSConfig = &tls.Config{RootCAs: pool}
			}
			subject := "新的交办任务：第0012号《关于加快推进老旧小区加装电梯工作的建议》，请于2026年6月5日前答复"
			text := "区住房和城乡建设局：\n\n区政协提案委员会已将第0012号提案交由贵单位主办。\n办理期限：2026年6月5日前。\n"
			before := time.Now()
			if err := m.Send(context.Background(), Message{To: "zhujianju@zx.example.cn", Subject: subject, Text: text}); err != nil {
				t.Fatal(err)
			}
			msgs := srv.messages(t)
			if len(msgs) != 1 {
				t.Fatalf("server received %d messages", len(msgs))
			}
			got := msgs[0]
			if got.TLS != (tlsMode != "") {
				t.Errorf("message over TLS = %v with tls=%q", got.TLS, tlsMode)
			}
			if got.User != smtpUser || got.From != "tian@zx.example.cn" || len(got.To) != 1 || got.To[0] != "zhujianju@zx.example.cn" {
				t.Errorf("envelope = %+v", got)
			}
			d := decodeMail(t, got.Data)
			if d.subject != subject {
				t.Errorf("subject = %q, want %q", d.subject, subject)
			}
			if want := strings.ReplaceAll(text, "\n", "\r\n"); d.body != want {
				t.Errorf("body = %q, want %q", d.body, want)
			}
			if d.fromName != "某某区政协提案委员会" || d.from != "tian@zx.example.cn" {
				t.Errorf("From = %q <%s>", d.fromName, d.from)
			}
			if d.to != "<zhujianju@zx.example.cn>" {
				t.Errorf("To = %q", d.to)
			}
			date, err := d.header.Date()
			if err != nil || date.Before(before.Add(-time.Second)) || date.After(time.Now().Add(time.Second)) {
				t.Errorf("Date = %v, %v", date, err)
			}
			if id := d.header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@zx.example.cn>") {
				t.Errorf("Message-ID = %q", id)
			}
		})
	}
}

func TestMailerErrors(t *testing.T) {
	srv := startSMTPServer(t, "")
	base := Mailer{Host: srv.host, Port: srv.port, Username: smtpUser, Password: smtpPass, From: "tian@zx.example.cn", Timeout: 5 * time.Second}
	ctx := context.Background()

	wrong := base
	wrong.Password = "wrong"
	err := wrong.Send(ctx, Message{To: "a@zx.example.cn", Subject: "测试", Text: "测试"})
	if err == nil || !strings.Contains(err.Error(), "登录邮件服务器失败") || IsPermanent(err) {
		t.Errorf("wrong password: %v (permanent %v)", err, IsPermanent(err))
	}

	err = base.Send(ctx, Message{To: "nobody@zx.example.cn", Subject: "测试", Text: "测试"})
	if err == nil || !strings.Contains(err.Error(), "拒绝了收件人 nobody@zx.example.cn") || !IsPermanent(err) {
		t.Errorf("refused recipient: %v (permanent %v)", err, IsPermanent(err))
	}

	err = base.Send(ctx, Message{To: "不是邮箱", Subject: "测试", Text: "测试"})
	if err == nil || !strings.Contains(err.Error(), "收件人邮箱“不是邮箱”格式不正确") || !IsPermanent(err) {
		t.Errorf("bad address: %v", err)
	}
	if n := len(srv.messages(t)); n != 0 {
		t.Errorf("server received %d messages from failed sends", n)
	}
}

func TestMailerUnreachable(t *testing.T) {
	// A port nobody listens on: refused at once.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().(*net.TCPAddr).Port
	l.Close()
	m := &Mailer{Host: "127.0.0.1", Port: closedPort, From: "tian@zx.example.cn", Timeout: 2 * time.Second}
	start := time.Now()
	err = m.Send(context.Background(), Message{To: "a@zx.example.cn", Subject: "测试", Text: "测试"})
	if err == nil || !strings.Contains(err.Error(), "无法连接邮件服务器 127.0.0.1:"+strconv.Itoa(closedPort)) {
		t.Errorf("closed port: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("closed port took %s", d)
	}

	// A server that accepts and never greets: bounded by Timeout.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	m.Port = silent.Addr().(*net.TCPAddr).Port
	m.Timeout = 700 * time.Millisecond
	start = time.Now()
	err = m.Send(context.Background(), Message{To: "a@zx.example.cn", Subject: "测试", Text: "测试"})
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "没有完成响应") {
		t.Errorf("silent server: %v", err)
	}
	if took < 600*time.Millisecond || took > 15*time.Second {
		t.Errorf("silent server took %s, want about 700ms", took)
	}

	// Cancelling the context stops a send that is waiting.
	m.Timeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start = time.Now()
	err = m.Send(ctx, Message{To: "a@zx.example.cn", Subject: "测试", Text: "测试"})
	if err == nil || time.Since(start) > 15*time.Second {
		t.Errorf("cancelled send: %v after %s", err, time.Since(start))
	}
}

func TestComposeMailFoldsLongSubject(t *testing.T) {
	from := &mail.Address{Name: "Office, Zhengxie", Address: "tian@zx.example.cn"}
	subject := strings.Repeat("关于加强社区养老服务设施建设的建议", 6)
	raw := string(composeMail(from, "a@zx.example.cn", Message{Subject: subject + "\r\nBcc: x@evil.example", Text: "正文"}, time.Now()))
	d := decodeMail(t, raw)
	if d.subject != subject+" Bcc: x@evil.example" {
		t.Errorf("subject = %q", d.subject)
	}
	if d.header.Get("Bcc") != "" {
		t.Error("a newline in the subject injected a header")
	}
	if d.fromName != "Office, Zhengxie" {
		t.Errorf("ASCII From name = %q", d.fromName)
	}
	for _, line := range strings.Split(raw, "\r\n") {
		if len(line) > 78 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
}
