package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestHTTPGatewaySignedJSON(t *testing.T) {
	secret := "gateway-secret"
	type req struct {
		Mobile  string `json:"mobile"`
		Content string `json:"content"`
	}
	got := make(chan req, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := Verify([]byte(secret), r.Header.Get(SignatureHeader), body, time.Now(), time.Minute); err != nil {
			http.Error(w, "bad signature: "+err.Error(), http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			http.Error(w, "want JSON POST", http.StatusBadRequest)
			return
		}
		var v req
		if err := json.Unmarshal(body, &v); err != nil {
			http.Error(w, "bad json: "+err.Error(), http.StatusBadRequest)
			return
		}
		got <- v
		w.Write([]byte(`{"code":0}`))
	}))
	defer srv.Close()

	g := &HTTPGateway{
		URL:       srv.URL,
		Template:  `{"mobile":"{{.Phone}}","content":"{{.Sign}}{{.Text}}"}`,
		Signature: "【某某区政协】",
		Secret:    secret,
		Timeout:   5 * time.Second,
	}
	// Quotes, backslashes and a newline must not break the JSON body.
	text := "您有新的交办任务：第0012号《关于\"老旧小区\"加装电梯的建议》\\请登录查看\n谢谢"
	if err := g.SendSMS(context.Background(), "138 0013-8000", text); err != nil {
		t.Fatal(err)
	}
	v := <-got
	if v.Mobile != "13800138000" || v.Content != "【某某区政协】"+text {
		t.Errorf("gateway received %+v", v)
	}

	// The same request with the wrong secret is refused by the gateway,
	// and the error carries the gateway's answer.
	g.Secret = "wrong"
	err := g.SendSMS(context.Background(), "13800138000", "测试")
	if err == nil || !strings.Contains(err.Error(), "短信网关返回 401") || !strings.Contains(err.Error(), "签名不正确") {
		t.Errorf("wrong secret: %v", err)
	}
}

func TestHTTPGatewayForm(t *testing.T) {
	got := make(chan url.Values, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got <- r.PostForm
	}))
	defer srv.Close()
	g := &HTTPGateway{
		URL:         srv.URL,
		ContentType: "application/x-www-form-urlencoded",
		Template:    "to={{.Phone}}&msg={{.Sign}}{{.Text}}&ts={{.Timestamp}}",
		Signature:   "【政协】",
	}
	if err := g.SendSMS(context.Background(), "+86 13800138000", "期限提醒 & 请办理=今天"); err != nil {
		t.Fatal(err)
	}
	f := <-got
	if f.Get("to") != "+8613800138000" || f.Get("msg") != "【政协】期限提醒 & 请办理=今天" || f.Get("ts") == "" {
		t.Errorf("form = %v", f)
	}
}

func TestHTTPGatewayFailures(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// With the body read, the server notices the client hanging up.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	g := &HTTPGateway{URL: slow.URL, Timeout: 300 * time.Millisecond}
	start := time.Now()
	err := g.SendSMS(context.Background(), "13800138000", "测试")
	if err == nil || !strings.Contains(err.Error(), "无法连接短信网关") || time.Since(start) > 15*time.Second {
		t.Errorf("slow gateway: %v after %s", err, time.Since(start))
	}

	err = (&HTTPGateway{URL: slow.URL}).SendSMS(context.Background(), "call me", "测试")
	if err == nil || !IsPermanent(err) || !strings.Contains(err.Error(), "手机号码“call me”格式不正确") {
		t.Errorf("bad phone: %v", err)
	}
	err = (&HTTPGateway{URL: slow.URL, Template: "{{.Nope}}"}).SendSMS(context.Background(), "13800138000", "测试")
	if err == nil || !strings.Contains(err.Error(), "短信网关请求模板有误") {
		t.Errorf("bad template: %v", err)
	}
}

func TestLogSMSMasksPhone(t *testing.T) {
	var buf bytes.Buffer
	l := LogSMS{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	var s SMSSender = l
	if err := s.SendSMS(context.Background(), "13800138000", "办理期限提醒"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "phone=138****8000") || !strings.Contains(out, "办理期限提醒") || strings.Contains(out, "13800138000") {
		t.Errorf("log = %s", out)
	}
	if got := MaskPhone("+8613800138000"); got != "+86138****8000" {
		t.Errorf("MaskPhone = %s", got)
	}
}
