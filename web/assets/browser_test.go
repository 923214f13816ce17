package assets

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The strictest policy the real server is expected to send: if the assets
// work under it, they work under any looser one.
const testCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

const testToken = "tok-3f9a1c"

// findBrowser returns the Chromium to drive, or skips, or fails when CI
// requires a browser (ZHENGXIE_REQUIRE_BROWSER=1).
func findBrowser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ZHENGXIE_REQUIRE_BROWSER") == "1" {
		t.Fatal("ZHENGXIE_REQUIRE_BROWSER=1 but no Chromium found on PATH")
	}
	t.Skip("no Chromium on PATH: browser test skipped (install chromium to run it)")
	return ""
}

// recorder keeps what the fake application endpoints received.
type recorder struct {
	mu        sync.Mutex
	similar   []string // query strings
	tokens    []string // X-CSRF-Token of every request to the endpoints
	confirmed int
}

func (r *recorder) note(req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, req.URL.Path+"="+req.Header.Get("X-CSRF-Token"))
}

func (r *recorder) snapshot() (similar, tokens []string, confirmed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.similar...), append([]string(nil), r.tokens...), r.confirmed
}

func testServer(t *testing.T, rec *recorder) *httptest.Server {
	t.Helper()
	tmpl := template.Must(template.New("page.html").Funcs(template.FuncMap{"asset": URL}).
		ParseFiles("testdata/page.html"))
	mux := http.NewServeMux()
	mux.Handle("GET /static/", Handler())
	mux.HandleFunc("GET /probe.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		http.ServeFile(w, r, "testdata/probe.js")
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := tmpl.Execute(w, map[string]string{"Token": testToken}); err != nil {
			t.Error(err)
		}
	})
	mux.HandleFunc("GET /similar", func(w http.ResponseWriter, r *http.Request) {
		rec.note(r)
		rec.mu.Lock()
		rec.similar = append(rec.similar, r.URL.RawQuery)
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"items": []map[string]any{
			{"id": 1, "title": "关于完善<b>生物岛</b>交通体系的建议", "number": "第0001号", "score": 0.83, "url": "/proposals/1"},
			{"id": 7, "title": "关于生物岛公交接驳的建议", "number": "第0007号", "score": 0.415, "url": "javascript:alert(1)"},
		}})
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		rec.note(r)
		w.Write([]byte("ok:" + r.Header.Get("X-CSRF-Token")))
	})
	mux.HandleFunc("POST /confirmed", func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.confirmed++
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>done</title><p id="done">已撤回</p>`))
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", testCSP)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// newBrowser starts Chromium (width × height window) and returns a tab
// context limited to timeout.
func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	browser := findBrowser(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	// The first Do starts the browser and must not carry the timeout, which
	// would stop the browser with it; later actions get the limit.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", browser, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func must[T any](t *testing.T, step string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
}

func do(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// TestAssetsInBrowser loads a page built like the real ones under a strict
// CSP and checks, as a user's browser sees it, that the script's behaviours
// work and that nothing is blocked or fails.
func TestAssetsInBrowser(t *testing.T) {
	ctx := newBrowser(t, 1280, 900)
	rec := &recorder{}
	srv := testServer(t, rec)

	var (
		mu         sync.Mutex
		acceptNext bool
		dialogs    []string
		console    []string
	)
	dialogEvents := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogEvents {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Message)
			accept := acceptNext
			mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
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
				mu.Lock()
				console = append(console, string(m.Type)+": "+m.Text)
				mu.Unlock()
			}
		}
	}()

	do(t, ctx, "load page",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("title")),
	)
	if !must[bool](t, "js class")(chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.classList.contains('js')`))) {
		t.Error("app.js did not run: <html> has no js class")
	}

	// Charts: both forms of data-chart end up as an ECharts canvas; the
	// fallback table stays in the DOM for screen readers.
	do(t, ctx, "charts",
		chromedp.WaitReady(chromedp.CSS("#chart canvas")),
		chromedp.WaitReady(chromedp.CSS("#chart2 canvas")),
	)
	canvases := must[int](t, "count canvases")(chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.chart canvas').length`)))
	fallbackRows := must[int](t, "fallback")(chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#chart .visually-hidden tr').length`)))
	if canvases < 2 || fallbackRows != 1 {
		t.Errorf("charts: %d canvases, %d fallback rows", canvases, fallbackRows)
	}

	// Similar proposals: typing quickly makes one debounced request, the
	// answer is listed with numbers and percentages, a hostile URL gets no href.
	do(t, ctx, "similar lookup",
		// Two bursts 150 ms apart: with the 400 ms debounce they make one
		// request, without it two.
		chromedp.SendKeys(chromedp.ID("title"), "生物岛"),
		chromedp.Sleep(150*time.Millisecond),
		chromedp.SendKeys(chromedp.ID("title"), "交通体系"),
		chromedp.WaitVisible(chromedp.CSS("#similar .similar-list li:nth-child(2)")),
	)
	similarText := must[string](t, "similar text")(chromedp.Run(ctx, chromedp.Text(chromedp.ID("similar"))))
	hrefs := must[[]string](t, "similar links")(chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('#similar a')).map(a => a.getAttribute('href') || '')`)))
	for _, want := range []string{"第0001号", "关于完善<b>生物岛</b>交通体系的建议", "83%", "第0007号", "42%"} {
		if !strings.Contains(similarText, want) {
			t.Errorf("#similar shows %q, missing %q", similarText, want)
		}
	}
	if len(hrefs) != 2 || hrefs[0] != "/proposals/1" || hrefs[1] != "" {
		t.Errorf("similar links %q, want [/proposals/1 \"\"]", hrefs)
	}
	similar, _, _ := rec.snapshot()
	if len(similar) != 1 {
		t.Errorf("typing in two quick bursts made %d lookups, want 1 (debounce): %q", len(similar), similar)
	} else if !strings.Contains(similar[0], "title=%E7%94%9F%E7%89%A9%E5%B2%9B%E4%BA%A4%E9%80%9A%E4%BD%93%E7%B3%BB") {
		t.Errorf("lookup query %q lacks the typed title", similar[0])
	}

	// CSRF token on htmx requests and on fetch.
	do(t, ctx, "htmx",
		chromedp.Click(chromedp.ID("htmx-btn")),
		chromedp.WaitVisible(`//span[@id="echo-out" and starts-with(text(), "ok:")]`),
	)
	echo := must[string](t, "htmx result")(chromedp.Run(ctx, chromedp.Text(chromedp.ID("echo-out"))))
	fetched := must[string](t, "fetch")(chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch('/echo', {method: 'POST'}).then(r => r.text())`, chromedp.EvalAwaitPromise)))
	if echo != "ok:"+testToken || fetched != "ok:"+testToken {
		t.Errorf("CSRF header: htmx got %q, fetch got %q, want ok:%s", echo, fetched, testToken)
	}
	_, tokens, _ := rec.snapshot()
	for _, tok := range tokens {
		if !strings.HasSuffix(tok, "="+testToken) {
			t.Errorf("request without CSRF token: %s", tok)
		}
	}

	csp := must[[]string](t, "csp")(chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp`)))
	errs := must[[]string](t, "errors")(chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__errors`)))
	if len(csp) > 0 {
		t.Errorf("CSP violations: %q", csp)
	}
	if len(errs) > 0 {
		t.Errorf("script errors: %q", errs)
	}

	// data-confirm: refusing keeps the form from being sent, accepting sends it.
	do(t, ctx, "confirm refused", chromedp.Click(chromedp.ID("withdraw")), chromedp.Sleep(500*time.Millisecond))
	if _, _, n := rec.snapshot(); n != 0 {
		t.Errorf("form sent %d times although the confirm was refused", n)
	}
	mu.Lock()
	acceptNext = true
	mu.Unlock()
	do(t, ctx, "confirm accepted", chromedp.Click(chromedp.ID("withdraw")), chromedp.WaitVisible(chromedp.ID("done")))
	if _, _, n := rec.snapshot(); n != 1 {
		t.Errorf("form sent %d times after the confirm was accepted, want 1", n)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) != 2 || dialogs[0] != "确定撤回该提案吗？" {
		t.Errorf("dialogs shown: %q", dialogs)
	}
	if len(console) > 0 {
		t.Errorf("console errors and warnings: %q", console)
	}
}

// TestPhoneLayout checks the page on a 375 px wide screen: the menu is
// collapsed behind its button, a wide table scrolls inside itself instead of
// widening the page, and inputs take the full width.
func TestPhoneLayout(t *testing.T) {
	ctx := newBrowser(t, 375, 812)
	srv := testServer(t, &recorder{})

	eval := func(expr string) float64 {
		t.Helper()
		return must[float64](t, expr)(chromedp.Run(ctx, chromedp.Evaluate[float64](expr)))
	}
	display := func() string {
		t.Helper()
		return must[string](t, "display")(chromedp.Run(ctx, chromedp.Evaluate[string](
			`getComputedStyle(document.querySelector('.nav-links')).display`)))
	}
	do(t, ctx, "load",
		chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("title")),
	)
	before := display()
	do(t, ctx, "open menu", chromedp.Click(chromedp.CSS(".nav-toggle")))
	after := display()
	expanded := must[chromedp.AttributeResult](t, "aria-expanded")(chromedp.Run(ctx,
		chromedp.AttributeValue(chromedp.CSS(".nav-toggle"), "aria-expanded")))
	if before != "none" || after != "flex" || expanded.Value != "true" {
		t.Errorf("menu on a phone: display %q, after toggle %q, aria-expanded %q", before, after, expanded.Value)
	}
	if w := eval(`document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("page is %v px wide on a 375 px screen", w)
	}
	box := eval(`document.getElementById('wide-table').getBoundingClientRect().width`)
	content := eval(`document.getElementById('wide-table').scrollWidth`)
	if box > 375 || content <= box {
		t.Errorf("wide table: box %v px, content %v px; want it to scroll inside the screen", box, content)
	}
	input := eval(`document.getElementById('title').getBoundingClientRect().width`)
	form := eval(`document.querySelector('form.form').getBoundingClientRect().width`)
	if input < form-2 {
		t.Errorf("input %v px in a %v px form: not full width", input, form)
	}
}
