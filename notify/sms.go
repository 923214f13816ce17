package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"text/template"
	"time"
)

// SMSSender sends one text message to one mobile phone.
type SMSSender interface {
	SendSMS(ctx context.Context, phone, text string) error
}

// DefaultSMSTemplate is the request body HTTPGateway sends when Template is
// empty.
const DefaultSMSTemplate = `{"phone":"{{.Phone}}","sign":"{{.Sign}}","text":"{{.Text}}"}`

// HTTPGateway posts each message to an SMS gateway's HTTP API. Every
// gateway wants its own body, so the body is a template the admin writes;
// the request is signed like our webhooks so the gateway (or a relay in
// front of it) can tell it comes from us.
type HTTPGateway struct {
	URL string
	// Template renders the request body from .Phone, .Text, .Sign and
	// .Timestamp (Unix seconds). Values are escaped for ContentType: with
	// JSON they come escaped for use inside "…", with a form body they come
	// URL-encoded, so an admin cannot break the body with a quote in a text.
	Template string
	// ContentType of the body; empty means "application/json; charset=utf-8".
	ContentType string
	// Signature is the SMS signature the carriers require, e.g. 【某某区政协】.
	Signature string
	// Secret keys the HMAC-SHA256 of the X-Zhengxie-Signature header; empty
	// means no header.
	Secret  string
	Timeout time.Duration // 0 means 10 s
	Client  *http.Client  // nil means a client with Timeout
}

type smsFields struct {
	Phone, Text, Sign string
	Timestamp         int64
}

// SendSMS posts one message; a response outside 2xx is an error that
// carries the start of the gateway's answer.
func (g *HTTPGateway) SendSMS(ctx context.Context, phone, text string) error {
	if g.URL == "" {
		return fmt.Errorf("未配置短信网关地址")
	}
	phone, err := normalizePhone(phone)
	if err != nil {
		return err
	}
	contentType := g.ContentType
	if contentType == "" {
		contentType = "application/json; charset=utf-8"
	}
	src := g.Template
	if src == "" {
		src = DefaultSMSTemplate
	}
	tmpl, err := template.New("sms").Option("missingkey=error").Parse(src)
	if err != nil {
		return fmt.Errorf("短信网关请求模板有误：%w", err)
	}
	now := time.Now()
	esc := escaperFor(contentType)
	var body bytes.Buffer
	err = tmpl.Execute(&body, smsFields{Phone: esc(phone), Text: esc(text), Sign: esc(g.Signature), Timestamp: now.Unix()})
	if err != nil {
		return fmt.Errorf("短信网关请求模板有误：%w", err)
	}

	timeout := g.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body.Bytes()))
	if err != nil {
		return fmt.Errorf("短信网关地址“%s”无效：%w", g.URL, err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", userAgent)
	if g.Secret != "" {
		req.Header.Set(SignatureHeader, Sign([]byte(g.Secret), body.Bytes(), now))
	}
	client := g.Client
	if client == nil {
		client = http.DefaultClient // the context carries the timeout
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("无法连接短信网关：%w", err)
	}
	defer resp.Body.Close()
	snippet := readSnippet(resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("短信网关返回 %d：%s", resp.StatusCode, snippet)
	}
	return nil
}

func escaperFor(contentType string) func(string) string {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "json"):
		return func(s string) string {
			b, _ := json.Marshal(s)
			return string(b[1 : len(b)-1])
		}
	case strings.Contains(ct, "x-www-form-urlencoded"):
		return url.QueryEscape
	}
	return func(s string) string { return s }
}

// normalizePhone accepts the ways people write a mobile number
// (138 0013 8000, 138-0013-8000, +86 13800138000) and returns the digits.
func normalizePhone(phone string) (string, error) {
	p := strings.NewReplacer(" ", "", "-", "", "\u00a0", "", "(", "", ")", "").Replace(strings.TrimSpace(phone))
	digits := strings.TrimPrefix(p, "+")
	ok := len(digits) >= 5 && len(digits) <= 15
	for _, r := range digits {
		if r < '0' || r > '9' {
			ok = false
		}
	}
	if !ok {
		return "", Permanent(fmt.Errorf("手机号码“%s”格式不正确", phone))
	}
	return p, nil
}

// readSnippet keeps the start of a response for the delivery log and reads
// a little more so the connection can be reused.
func readSnippet(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}

// LogSMS writes messages to the log instead of sending them, for
// development and demos.
type LogSMS struct {
	Logger *slog.Logger // nil means slog.Default()
}

// SendSMS logs the message; the phone number is masked because logs are
// read by more people than the members' contact details are meant for.
func (l LogSMS) SendSMS(ctx context.Context, phone, text string) error {
	p, err := normalizePhone(phone)
	if err != nil {
		return err
	}
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.InfoContext(ctx, "短信（开发模式，未实际发送）", "phone", MaskPhone(p), "text", text)
	return nil
}

// MaskPhone hides the middle of a phone number: 138****8000.
func MaskPhone(phone string) string {
	r := []rune(phone)
	if len(r) < 7 {
		return strings.Repeat("*", len(r))
	}
	keep := 3
	if len(r) > 11 { // +86… keeps the country code visible
		keep = len(r) - 8
	}
	return string(r[:keep]) + strings.Repeat("*", len(r)-keep-4) + string(r[len(r)-4:])
}
