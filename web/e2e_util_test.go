package web

// Helpers of the browser tests (browser_test.go): the real server on a
// random port over a seeded SQLite store, and a Chromium tab that records
// what a user would not want to see (console errors, CSP violations).

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"zhengxie/internal/testenv"
)

// e2eBrowserPath returns the Chromium to drive. Without one the test is
// skipped, except where a browser is required (CI, or
// ZHENGXIE_REQUIRE_BROWSER=1): there a missing browser is a failure, so that
// the browser test can never be skipped silently.
func e2eBrowserPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if os.Getenv("ZHENGXIE_REQUIRE_BROWSER") == "1" || os.Getenv("CI") != "" {
		t.Fatal("no Chromium found, but the browser test is required here (CI or ZHENGXIE_REQUIRE_BROWSER=1): install chromium")
	}
	t.Skip("no Chromium found on PATH: browser end-to-end test skipped (install chromium to run it)")
	return ""
}

// e2eLog collects the server's warnings and errors; an error logged while a
// user clicks through the pages fails the test.
type e2eLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *e2eLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *e2eLog) errors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range strings.Split(l.buf.String(), "\n") {
		if strings.Contains(line, "level=ERROR") {
			out = append(out, line)
		}
	}
	return out
}

// e2eEnv is a running server with its seeded committee.
type e2eEnv struct {
	URL string
	Fx  *testenv.Fixture
}

func newE2EEnv(t *testing.T) *e2eEnv {
	t.Helper()
	st := testenv.Open(t, testenv.SQLiteDSN(t))
	fx := testenv.Seed(t, st)
	logs := &e2eLog{}
	srv := httptest.NewServer(New(fx.Svc, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))).Handler())
	t.Cleanup(func() {
		srv.Close()
		for _, l := range logs.errors() {
			t.Errorf("server logged an error: %s", l)
		}
	})
	return &e2eEnv{URL: srv.URL, Fx: fx}
}

// e2eBrowser starts a headless Chromium with a throw-away profile and
// returns its root context; tabs are made from it with newE2ETab.
func e2eBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	path := e2eBrowserPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// The first Do starts the browser; it must not carry a timeout, which
	// would stop the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// e2eWatcher is injected into every page before its own scripts: it records
// CSP violations and uncaught errors, which a user never sees but which
// mean that something on the page does not work.
const e2eWatcher = `window.__csp = []; window.__errors = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + (e.lineNumber || 0));
});
window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); });`

// e2eTab is one browser tab of one person.
type e2eTab struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu      sync.Mutex
	console []string // console errors and warnings, with the page they came from
	dialogs []string // confirm() questions, all answered yes
}

// newE2ETab opens a tab. isolated gives it a browser context of its own
// (no cookies shared with other tabs), as a different person's browser.
func newE2ETab(t *testing.T, browser context.Context, base string, isolated bool, timeout time.Duration) *e2eTab {
	t.Helper()
	var opts []chromedp.ContextOption
	if isolated {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(browser, opts...)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: e2eWatcher}); err != nil {
		t.Fatalf("installing the page watcher: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, timeout)
	t.Cleanup(tcancel)
	tab := &e2eTab{t: t, ctx: tctx, base: base}

	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			tab.mu.Lock()
			tab.dialogs = append(tab.dialogs, ev.Message)
			tab.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleError, chromedp.ConsoleWarning, chromedp.ConsoleException:
				tab.mu.Lock()
				tab.console = append(tab.console, fmt.Sprintf("%s %s: %s", m.Type, m.URL, m.Text))
				tab.mu.Unlock()
			}
		}
	}()
	return tab
}

// fatal stops the test with what the page showed, to make a failure readable.
func (b *e2eTab) fatal(step string, err error) {
	b.t.Helper()
	url, _ := chromedp.Run(b.ctx, chromedp.Location())
	text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	if r := []rune(text); len(r) > 1500 {
		text = string(r[:1500]) + "…"
	}
	b.t.Fatalf("%s: %v\npage %s shows:\n%s", step, err, url, text)
}

// do runs actions that return nothing.
func (b *e2eTab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatal(step, err)
	}
}

// open goes to a path of the site, as typing an address.
func (b *e2eTab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
	b.settled()
}

// click clicks what sel finds and waits for the page that the click loads
// (a link, or a form answered with a redirect).
func (b *e2eTab) click(step, sel string) {
	b.t.Helper()
	click := chromedp.Click(chromedp.CSS(sel))
	if isXPath(sel) {
		click = chromedp.Click(sel)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, click)); err != nil {
		b.fatal(step, err)
	}
	b.settled()
}

// settled checks the page just loaded for script trouble.
func (b *e2eTab) settled() {
	b.t.Helper()
	b.do("page loaded", chromedp.WaitReady(chromedp.CSS("footer.site-footer")))
	csp, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		b.fatal("read CSP violations", err)
	}
	errs, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.__errors || []`))
	if err != nil {
		b.fatal("read script errors", err)
	}
	if len(csp) > 0 || len(errs) > 0 {
		url, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Errorf("page %s: CSP violations %q, script errors %q", url, csp, errs)
	}
}

// text is the visible text of the first element sel finds.
func (b *e2eTab) text(sel string) string {
	b.t.Helper()
	text := chromedp.Text(chromedp.CSS(sel))
	if isXPath(sel) {
		text = chromedp.Text(sel)
	}
	s, err := chromedp.Run(b.ctx, text)
	if err != nil {
		b.fatal("read text of "+sel, err)
	}
	return s
}

// value is the current value of a form field.
func (b *e2eTab) value(sel string) string {
	b.t.Helper()
	value := chromedp.Value(chromedp.CSS(sel))
	if isXPath(sel) {
		value = chromedp.Value(sel)
	}
	s, err := chromedp.Run(b.ctx, value)
	if err != nil {
		b.fatal("read value of "+sel, err)
	}
	return s
}

// pageText is the whole visible text of the page.
func (b *e2eTab) pageText() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		b.fatal("read page text", err)
	}
	return s
}

// eval evaluates a JavaScript expression in the page.
func e2eEval[T any](b *e2eTab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fatal(expr, err)
	}
	return v
}

// sees fails the test unless the element sel finds shows every one of wants.
func (b *e2eTab) sees(sel string, wants ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			url, _ := chromedp.Run(b.ctx, chromedp.Location())
			b.t.Errorf("%s on %s shows %q; want it to contain %q", sel, url, abbreviate(got, 600), w)
		}
	}
}

// seesNot fails the test if the page shows any of texts.
func (b *e2eTab) seesNot(texts ...string) {
	b.t.Helper()
	got := b.pageText()
	for _, w := range texts {
		if strings.Contains(got, w) {
			url, _ := chromedp.Run(b.ctx, chromedp.Location())
			b.t.Errorf("page %s shows %q, which it must not", url, w)
		}
	}
}

// login logs in through the login form, as a person does: from the link in
// the top bar.
func (b *e2eTab) login(username, password string) {
	b.t.Helper()
	b.open("/public")
	b.click("follow 登录", `//header//a[normalize-space()="登录"]`)
	b.do("type credentials "+username,
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	b.click("log in as "+username, `#login-submit`)
	b.sees(".nav-user", "退出")
}

// logout clicks 退出 in the top bar.
func (b *e2eTab) logout() {
	b.t.Helper()
	b.click("log out", `//header//button[normalize-space()="退出"]`)
	b.sees(".flash.ok", "您已退出登录")
}

// expected takes out of the console record the messages containing substr
// that a step provoked on purpose (the browser reports every 4xx answer,
// also a form sent back with its errors), waiting briefly for them to
// arrive, and returns how many there were.
func (b *e2eTab) expected(substr string) int {
	deadline := time.Now().Add(2 * time.Second)
	for {
		b.mu.Lock()
		kept, n := b.console[:0], 0
		for _, m := range b.console {
			if strings.Contains(m, substr) {
				n++
			} else {
				kept = append(kept, m)
			}
		}
		b.console = kept
		b.mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// problems returns the console errors and warnings seen so far.
func (b *e2eTab) problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

// isXPath tells the selectors of these helpers apart: an XPath starts with
// a slash, anything else is CSS. (A plain string would be a DevTools search,
// which also matches page text.)
func isXPath(sel string) bool { return strings.HasPrefix(sel, "/") }

func abbreviate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// e2ePDF writes a small one-page PDF (a reply letter) into dir and returns
// its path. The upload check sniffs content, so it must really be a PDF.
func e2ePDF(t *testing.T, dir, name string) string {
	t.Helper()
	content := "BT /F1 18 Tf 72 720 Td (Reply letter) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
