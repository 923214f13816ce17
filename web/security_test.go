package web

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// secEnv is a server over a seeded SQLite committee with a movable clock.
type secEnv struct {
	f   *testenv.Fixture
	srv *httptest.Server
	now time.Time
}

func newSecEnv(t *testing.T, useTLS bool) *secEnv {
	t.Helper()
	f := testenv.Seed(t, testenv.Open(t, testenv.SQLiteDSN(t)))
	e := &secEnv{f: f, now: time.Now()}
	f.Svc.Clock = func() time.Time { return e.now }
	s := New(f.Svc, nil)
	if useTLS {
		s.TLS = true
		e.srv = httptest.NewTLSServer(s.Handler())
	} else {
		e.srv = httptest.NewServer(s.Handler())
	}
	t.Cleanup(e.srv.Close)
	return e
}

// secClient is a browser-like client with its own cookies.
type secClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (e *secEnv) client(t *testing.T) *secClient {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if strings.HasPrefix(e.srv.URL, "https") {
		hc.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	}
	return &secClient{t: t, base: e.srv.URL, c: hc}
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (c *secClient) get(path string) (*http.Response, string) {
	c.t.Helper()
	res, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// post submits a form from page (taking its CSRF token) unless noCSRF.
func (c *secClient) post(page, action string, form url.Values, noCSRF bool) (*http.Response, string) {
	c.t.Helper()
	if !noCSRF {
		_, body := c.get(page)
		m := csrfRe.FindStringSubmatch(body)
		if m == nil {
			c.t.Fatalf("no CSRF token on %s", page)
		}
		form.Set("csrf_token", m[1])
	}
	res, err := c.c.PostForm(c.base+action, form)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

func (c *secClient) login(user, pw, code string) *http.Response {
	c.t.Helper()
	res, _ := c.post("/login", "/login", url.Values{"username": {user}, "password": {pw}, "code": {code}}, false)
	return res
}

func TestSecurityHeadersAndNoInlineScript(t *testing.T) {
	e := newSecEnv(t, false)
	c := e.client(t)
	if res := c.login("office", testenv.Password, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]|\sstyle="|\son[a-z]+="`)
	for _, p := range []string{"/", "/proposals", "/review", "/tasks", "/public", "/proposals/new", "/me", "/login", "/notifications"} {
		res, body := c.get(p)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or Referrer-Policy", p)
		}
		if m := inline.FindString(body); m != "" {
			t.Errorf("%s: inline script or style %q", p, m)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", p)
		}
	}
}

func TestCookiesAndHSTSUnderTLS(t *testing.T) {
	e := newSecEnv(t, true)
	c := e.client(t)
	res := c.login("office", testenv.Password, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login over TLS: %d", res.StatusCode)
	}
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			found = true
			if !ck.HttpOnly || !ck.Secure || ck.SameSite == http.SameSiteDefaultMode || ck.SameSite == http.SameSiteNoneMode {
				t.Fatalf("session cookie flags: %+v", ck)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Fatalf("HSTS missing under TLS: %q", hsts)
	}
}

func TestCSRFRequiredOnStateChanges(t *testing.T) {
	e := newSecEnv(t, false)
	c := e.client(t)
	c.login("member1", testenv.Password, "")
	res, body := c.post("", "/proposals", url.Values{"title": {"关于CSRF测试的建议"}, "body": {"正文"}}, true)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
		t.Fatalf("post without CSRF: %d", res.StatusCode)
	}
	ps, total, _ := e.f.Svc.Store.Proposals(context.Background(), storeFilterMine(e.f))
	if total != 0 || len(ps) != 0 {
		t.Fatal("a request without CSRF token changed data")
	}
	// A wrong token is as bad as none.
	res, _ = c.post("", "/proposals", url.Values{"title": {"关于CSRF测试的建议"}, "csrf_token": {"forged"}}, true)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("forged CSRF token: %d", res.StatusCode)
	}
}

func TestSessionExpiresAfterInactivityAndForceLogout(t *testing.T) {
	e := newSecEnv(t, false)
	c := e.client(t)
	c.login("member1", testenv.Password, "")
	if res, _ := c.get("/proposals"); res.StatusCode != http.StatusOK {
		t.Fatalf("logged in: %d", res.StatusCode)
	}
	e.now = e.now.Add(31 * time.Minute)
	if res, _ := c.get("/proposals"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("after 31 idle minutes: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// Two sessions of one user; the admin ends both.
	c1, c2 := e.client(t), e.client(t)
	c1.login("member2", testenv.Password, "")
	c2.login("member2", testenv.Password, "")
	if err := e.f.Svc.ForceLogout(context.Background(), e.f.Actor(e.f.Admin), e.f.Members[1].ID); err != nil {
		t.Fatal(err)
	}
	for _, cl := range []*secClient{c1, c2} {
		if res, _ := cl.get("/proposals"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("session alive after forced logout: %d", res.StatusCode)
		}
	}
	evs, _ := e.f.Svc.Store.AccountEvents(context.Background(), e.f.Committee.ID, 100)
	var logins, forced int
	for _, ev := range evs {
		switch ev.Action {
		case "login":
			logins++
		case "force_logout":
			forced++
		}
	}
	if logins < 3 || forced != 1 {
		t.Fatalf("audit log: %d logins, %d forced logouts", logins, forced)
	}
}

func TestLockoutPerAccountAndPerAddress(t *testing.T) {
	e := newSecEnv(t, false)
	c := e.client(t)
	for i := 0; i < 5; i++ {
		c.login("member3", "wrong-password-1", "")
	}
	res, body := c.post("/login", "/login", url.Values{"username": {"member3"}, "password": {testenv.Password}}, false)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "锁定") {
		t.Fatalf("right password on a locked account: %d", res.StatusCode)
	}
	e.now = e.now.Add(16 * time.Minute)
	if res := c.login("member3", testenv.Password, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the lock expired: %d", res.StatusCode)
	}
	// Per address: 20 attempts a minute, whatever the account.
	c = e.client(t)
	var last int
	for i := 0; i < 25; i++ {
		res, _ := c.post("/login", "/login", url.Values{"username": {"nobody"}, "password": {"x"}}, false)
		last = res.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("25 attempts from one address: last status %d", last)
	}
}

func TestTOTPSecondFactor(t *testing.T) {
	e := newSecEnv(t, false)
	ctx := context.Background()
	office := e.f.Actor(e.f.Office)
	setup, err := e.f.Svc.BeginTOTP(ctx, office)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.f.Svc.EnableTOTP(ctx, office, setup.Secret, "000000"); zhengxie.ErrorField(err) != "code" {
		t.Fatalf("wrong first code: %v", err)
	}
	code, _ := totp.GenerateCode(setup.Secret, e.now)
	if err := e.f.Svc.EnableTOTP(ctx, office, setup.Secret, code); err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.Svc.BeginTOTP(ctx, e.f.Actor(e.f.Members[0])); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Fatalf("members do not use TOTP: %v", err)
	}
	c := e.client(t)
	res, body := c.post("/login", "/login", url.Values{"username": {"office"}, "password": {testenv.Password}}, false)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "动态验证码") {
		t.Fatalf("password alone: %d", res.StatusCode)
	}
	if res := c.login("office", testenv.Password, "123456"); res.StatusCode == http.StatusSeeOther {
		t.Fatal("wrong code accepted")
	}
	code, _ = totp.GenerateCode(setup.Secret, e.now)
	if res := c.login("office", testenv.Password, code); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("right code: %d", res.StatusCode)
	}
}

func TestPasswordResetAndDataExport(t *testing.T) {
	e := newSecEnv(t, false)
	ctx := context.Background()
	m := e.f.Members[0]
	if _, err := e.f.Svc.CreateDraft(ctx, e.f.Actor(m), testenv.Draft("关于我的数据导出测试的建议")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.Svc.CreateDraft(ctx, e.f.Actor(e.f.Members[1]), testenv.Draft("关于别人的提案的建议")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.f.Svc.ResetPassword(ctx, e.f.Actor(e.f.Members[1]), m.ID); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Fatalf("a member resetting a password: %v", err)
	}
	if _, err := e.f.Svc.ResetPassword(ctx, e.f.Actor(e.f.Other), m.ID); zhengxie.ErrorCode(err) == "" {
		t.Fatal("another committee's user reset a password")
	}
	pw, err := e.f.Svc.ResetPassword(ctx, e.f.Actor(e.f.Admin), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := e.client(t)
	if res := c.login(m.Username, testenv.Password, ""); res.StatusCode == http.StatusSeeOther {
		t.Fatal("old password still works after reset")
	}
	res := c.login(m.Username, pw, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/me" {
		t.Fatalf("temporary password must lead to /me: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := c.get("/me/export")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d", res.StatusCode)
	}
	if !strings.Contains(body, "关于我的数据导出测试的建议") || strings.Contains(body, "关于别人的提案的建议") {
		t.Fatal("data export must hold the member's own proposals and nobody else's")
	}
}
