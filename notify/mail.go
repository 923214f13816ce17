package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Mailer sends e-mail through one SMTP server (the committee's own mail
// server or a relay on the intranet).
type Mailer struct {
	Host     string
	Port     int // 0 means 465 with ImplicitTLS, 25 otherwise
	Username string
	Password string
	// From is the sender, a bare address or "某某区政协提案委员会 <tian@example.gov.cn>".
	From string
	// ImplicitTLS speaks TLS from the first byte (SMTPS, usually port 465),
	// which many Chinese mail services expect. Without it, the connection
	// is upgraded with STARTTLS whenever the server offers it.
	ImplicitTLS bool
	// TLSConfig verifies the server; nil means the system roots and Host
	// as the server name. Intranet servers with a private CA set RootCAs.
	TLSConfig *tls.Config
	// Timeout bounds the whole conversation, so that a server that accepts
	// the connection and then says nothing cannot hold a worker; 0 means 30 s.
	Timeout time.Duration
	// HelloName is the name sent with EHLO; empty means "localhost".
	HelloName string
}

func (m *Mailer) addr() string {
	port := m.Port
	if port == 0 {
		port = 25
		if m.ImplicitTLS {
			port = 465
		}
	}
	return net.JoinHostPort(m.Host, strconv.Itoa(port))
}

func (m *Mailer) tlsConfig() *tls.Config {
	if m.TLSConfig != nil {
		c := m.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = m.Host
		}
		return c
	}
	return &tls.Config{ServerName: m.Host}
}

// Send delivers msg to msg.To. The error says, in Chinese, which step
// failed, for the admin page; IsPermanent tells whether retrying may help.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	if m.Host == "" {
		return errors.New("未配置邮件服务器")
	}
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return fmt.Errorf("发件人地址“%s”格式不正确：%w", m.From, err)
	}
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return Permanent(fmt.Errorf("收件人邮箱“%s”格式不正确", msg.To))
	}
	data := composeMail(from, to.Address, msg, time.Now())

	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	addr := m.addr()
	conn, err := m.dial(ctx, addr, deadline)
	if err != nil {
		return fmt.Errorf("无法连接邮件服务器 %s：%w", addr, describeNetErr(err))
	}
	defer conn.Close()
	// The deadline covers every read and write of the conversation; closing
	// on cancellation unblocks a read that is waiting for the server.
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	err = m.converse(conn, from.Address, to.Address, data)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("发送邮件已取消：%w", ctx.Err())
	}
	if err != nil && isTimeout(err) {
		return fmt.Errorf("邮件服务器 %s 在%s内没有完成响应：%w", addr, timeout, err)
	}
	return err
}

func (m *Mailer) dial(ctx context.Context, addr string, deadline time.Time) (net.Conn, error) {
	d := &net.Dialer{Deadline: deadline}
	if m.ImplicitTLS {
		td := &tls.Dialer{NetDialer: d, Config: m.tlsConfig()}
		return td.DialContext(ctx, "tcp", addr)
	}
	return d.DialContext(ctx, "tcp", addr)
}

func (m *Mailer) converse(conn net.Conn, from, to string, data []byte) error {
	c, err := smtp.NewClient(conn, m.Host)
	if err != nil {
		return fmt.Errorf("邮件服务器没有正常应答：%w", err)
	}
	defer c.Close()
	if m.HelloName != "" {
		if err := c.Hello(m.HelloName); err != nil {
			return fmt.Errorf("邮件服务器拒绝了问候（EHLO）：%w", err)
		}
	}
	if !m.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tlsConfig()); err != nil {
				return fmt.Errorf("与邮件服务器建立加密连接（STARTTLS）失败：%w", err)
			}
		}
	}
	if m.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("邮件服务器不支持登录认证（AUTH），请检查端口和加密设置，或清空用户名")
		}
		// PlainAuth refuses to send the password over a connection that is
		// neither encrypted nor to localhost, which is what we want.
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, m.Host)); err != nil {
			return fmt.Errorf("登录邮件服务器失败，请检查用户名、密码和加密设置：%w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("邮件服务器拒绝了发件人 %s：%w", from, err)
	}
	if err := c.Rcpt(to); err != nil {
		return smtpRefusal(fmt.Errorf("邮件服务器拒绝了收件人 %s：%w", to, err))
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("邮件服务器拒绝接收正文：%w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("发送邮件正文失败：%w", err)
	}
	if err := w.Close(); err != nil {
		return smtpRefusal(fmt.Errorf("邮件服务器拒绝了这封邮件：%w", err))
	}
	// The message is accepted once DATA is acknowledged; a failed QUIT
	// must not make the job send it a second time.
	_ = c.Quit()
	return nil
}

// smtpRefusal marks 5xx replies permanent: the server has judged this
// message or recipient, and the same message would be refused again.
func smtpRefusal(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return Permanent(err)
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func describeNetErr(err error) error {
	if isTimeout(err) {
		return fmt.Errorf("连接超时：%w", err)
	}
	return err
}

// composeMail builds the message in the form every mail client reads:
// headers in ASCII, Chinese words as RFC 2047 "B" encoded-words (shorter
// than "Q" for CJK text), and the UTF-8 body in base64 so that no relay
// can mangle it.
func composeMail(from *mail.Address, to string, msg Message, now time.Time) []byte {
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	fromHeader := "<" + from.Address + ">"
	if from.Name != "" && isASCII(from.Name) {
		fromHeader = from.String() // quotes names like "Office, Zhengxie"
	} else if from.Name != "" {
		fromHeader = encodeWords(from.Name) + " " + fromHeader
	}
	header("From", fromHeader)
	header("To", "<"+to+">")
	header("Subject", encodeWords(oneLine(msg.Subject)))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+NewDeliveryID()+"@"+domainOf(from.Address)+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")

	text := strings.ReplaceAll(strings.ReplaceAll(msg.Text, "\r\n", "\n"), "\n", "\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// encodeWords encodes s as RFC 2047 "B" encoded-words of at most 42 bytes
// of UTF-8 each (14 Chinese characters), folded one per line, so that every
// header line stays within the recommended 78 characters even after
// "Subject: ". mime.BEncoding makes words up to the 75 character maximum,
// which overflows the first line. Runes are never split across words, as
// RFC 2047 requires.
func encodeWords(s string) string {
	if isASCII(s) && !strings.ContainsAny(s, "\r\n") && !strings.Contains(s, "=?") {
		return s
	}
	const chunk = 42
	var words []string
	for len(s) > 0 {
		n := 0
		for n < len(s) {
			_, l := utf8.DecodeRuneInString(s[n:])
			if n+l > chunk && n > 0 {
				break
			}
			n += l
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, "\r\n ")
}

// oneLine keeps a subject on one header line whatever a template produced.
func oneLine(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "zhengxie.invalid"
}
