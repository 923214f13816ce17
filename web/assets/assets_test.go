package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestURLCarriesContentHash(t *testing.T) {
	for _, name := range []string{"app.css", "app.js", "vendor/htmx.min.js", "vendor/echarts.min.js"} {
		data, err := os.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		want := "/static/" + name + "?v=" + hex.EncodeToString(sum[:])[:hashLen]
		if got := URL(name); got != want {
			t.Errorf("URL(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestURLPanicsOnUnknownName(t *testing.T) {
	for _, name := range []string{"nope.css", "/app.css", "static/app.css", "vendor", ""} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("URL(%q) did not panic", name)
				}
			}()
			URL(name)
		}()
	}
}

func TestServesEveryFileWithTypeAndHeaders(t *testing.T) {
	wantType := map[string]string{
		"app.css":                 "text/css; charset=utf-8",
		"app.js":                  "text/javascript; charset=utf-8",
		"vendor/htmx.min.js":      "text/javascript; charset=utf-8",
		"vendor/echarts.min.js":   "text/javascript; charset=utf-8",
		"vendor/README.md":        "text/markdown; charset=utf-8",
		"vendor/htmx.LICENSE.txt": "text/plain; charset=utf-8",
	}
	names := Names()
	if len(names) < len(wantType) {
		t.Fatalf("only %d embedded files: %v", len(names), names)
	}
	for _, name := range names {
		disk, err := os.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		res := get(t, "GET", URL(name), nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", name, res.StatusCode)
		}
		if got := body(t, res); !bytes.Equal(got, disk) {
			t.Errorf("%s: served %d bytes, file has %d", name, len(got), len(disk))
		}
		h := res.Header
		if want, ok := wantType[name]; ok && h.Get("Content-Type") != want {
			t.Errorf("%s: Content-Type %q, want %q", name, h.Get("Content-Type"), want)
		}
		if h.Get("Content-Type") == "" || h.Get("Content-Type") == "application/octet-stream" {
			t.Errorf("%s: no useful Content-Type (%q)", name, h.Get("Content-Type"))
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", name, h.Get("X-Content-Type-Options"))
		}
		if h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q with current v=", name, h.Get("Cache-Control"))
		}
		if !regexp.MustCompile(`^"[0-9a-f]{24}"$`).MatchString(h.Get("ETag")) {
			t.Errorf("%s: ETag %q", name, h.Get("ETag"))
		}
		if h.Get("Last-Modified") != "" {
			t.Errorf("%s: unexpected Last-Modified %q", name, h.Get("Last-Modified"))
		}
	}
}

func TestCacheLifetimeDependsOnVersion(t *testing.T) {
	for _, tc := range []struct{ target, want string }{
		{URL("app.css"), "public, max-age=31536000, immutable"},
		{"/static/app.css", "public, max-age=300"},
		{"/static/app.css?v=000000000000", "public, max-age=300"},
		{"/static/app.css?v=", "public, max-age=300"},
	} {
		res := get(t, "GET", tc.target, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", tc.target, res.StatusCode)
		}
		if got := res.Header.Get("Cache-Control"); got != tc.want {
			t.Errorf("%s: Cache-Control %q, want %q", tc.target, got, tc.want)
		}
	}
}

func TestETagRevalidation(t *testing.T) {
	first := get(t, "GET", URL("app.js"), nil)
	etag := first.Header.Get("ETag")
	res := get(t, "GET", URL("app.js"), map[string]string{"If-None-Match": etag})
	if res.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match %s: status %d, want 304", etag, res.StatusCode)
	}
	if b := body(t, res); len(b) != 0 {
		t.Errorf("304 with %d bytes of body", len(b))
	}
	if res.Header.Get("Cache-Control") == "" || res.Header.Get("ETag") != etag {
		t.Errorf("304 lost its headers: %v", res.Header)
	}
	res = get(t, "GET", URL("app.js"), map[string]string{"If-None-Match": `"0123456789abcdef01234567"`})
	if res.StatusCode != 200 {
		t.Errorf("stale ETag: status %d, want 200", res.StatusCode)
	}
	// Another file's validator must not match.
	other := get(t, "GET", URL("app.css"), nil).Header.Get("ETag")
	if other == etag {
		t.Fatalf("app.css and app.js share ETag %s", etag)
	}
	if res := get(t, "GET", URL("app.js"), map[string]string{"If-None-Match": other}); res.StatusCode != 200 {
		t.Errorf("foreign ETag: status %d, want 200", res.StatusCode)
	}
}

func TestGzip(t *testing.T) {
	disk, err := os.ReadFile("static/vendor/echarts.min.js")
	if err != nil {
		t.Fatal(err)
	}
	plain := get(t, "GET", URL("vendor/echarts.min.js"), nil)
	res := get(t, "GET", URL("vendor/echarts.min.js"), map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	if res.Header.Get("Vary") != "Accept-Encoding" || plain.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary %q / %q", res.Header.Get("Vary"), plain.Header.Get("Vary"))
	}
	if res.Header.Get("ETag") == plain.Header.Get("ETag") {
		t.Errorf("gzip and identity share ETag %s", res.Header.Get("ETag"))
	}
	if res.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
	}
	compressed := body(t, res)
	if len(compressed) > len(disk)/2 {
		t.Errorf("gzip body %d bytes for %d: not compressed", len(compressed), len(disk))
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, disk) {
		t.Error("gunzipped body differs from the file")
	}
	res = get(t, "GET", URL("vendor/echarts.min.js"), map[string]string{
		"Accept-Encoding": "gzip", "If-None-Match": res.Header.Get("ETag")})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("gzip revalidation: status %d", res.StatusCode)
	}

	for _, ae := range []string{"", "identity", "gzip;q=0", "gzip; q=0.0", "br", "x-gzip2"} {
		res := get(t, "GET", URL("app.css"), map[string]string{"Accept-Encoding": ae})
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q: got Content-Encoding %q", ae, res.Header.Get("Content-Encoding"))
		}
	}
	for _, ae := range []string{"gzip", "GZIP", "deflate, gzip", "gzip;q=0.5", "gzip, deflate, br, zstd"} {
		if res := get(t, "GET", URL("app.css"), map[string]string{"Accept-Encoding": ae}); res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding %q: not compressed", ae)
		}
	}
}

func TestHeadAndRange(t *testing.T) {
	disk, _ := os.ReadFile("static/app.js")
	res := get(t, "HEAD", URL("app.js"), nil)
	if res.StatusCode != 200 || len(body(t, res)) != 0 {
		t.Errorf("HEAD: status %d", res.StatusCode)
	}
	if res.Header.Get("Content-Length") == "" || res.Header.Get("ETag") == "" {
		t.Errorf("HEAD headers: %v", res.Header)
	}
	res = get(t, "GET", URL("app.js"), map[string]string{"Range": "bytes=0-9"})
	if res.StatusCode != http.StatusPartialContent {
		t.Fatalf("Range: status %d", res.StatusCode)
	}
	if got := body(t, res); !bytes.Equal(got, disk[:10]) {
		t.Errorf("Range body %q", got)
	}
}

func TestRefusesWhatIsNotAnAsset(t *testing.T) {
	for _, target := range []string{
		"/static/", "/static/vendor", "/static/vendor/", "/static/nope.js",
		"/static/../assets.go", "/static/static/app.css", "/static//app.css",
		"/app.css", "/static/APP.CSS", "/static/app.css/",
	} {
		res := get(t, "GET", target, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, res.StatusCode)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff on the error", target)
		}
		if strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: error cached as immutable", target)
		}
	}
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		res := get(t, m, URL("app.css"), nil)
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: status %d Allow %q", m, res.StatusCode, res.Header.Get("Allow"))
		}
	}
}

// The stylesheet is the contract with the templates: every state the domain
// knows needs its badge, and every component the pages use needs its class.
func TestStylesheetCoversTheMarkupContract(t *testing.T) {
	css := string(mustRead(t, "static/app.css"))
	var want []string
	for _, s := range []string{"draft", "submitted", "under_review", "accepted", "handling", "replied",
		"concluded", "archived", "rejected", "merged", "converted", "withdrawn"} {
		want = append(want, ".status-"+s)
	}
	for _, s := range []string{"pending", "accepted", "returned", "contacted", "replied"} {
		want = append(want, ".task-"+s)
	}
	want = append(want, ".topnav", ".nav-links", ".nav-toggle", ".user-name", ".nav-badge",
		".page-header", ".card", ".card-header", ".card-body", ".table", ".table-wrap", ".badge",
		".field", ".field-error", ".flash.ok", ".flash.error", ".timeline", ".btn", ".btn-primary",
		".btn-danger", ".btn-secondary", ".pagination", "progress.progress", "mark", ".chart",
		".similar-list", ".htmx-indicator", "@media print", "@media (max-width: 760px)")
	for _, sel := range want {
		if !regexp.MustCompile(regexp.QuoteMeta(sel) + `[\s,{:.\[]`).MatchString(css) {
			t.Errorf("app.css has no rule for %s", sel)
		}
	}
}

// Government intranets have no internet: nothing we ship may reach out.
func TestOwnAssetsAreSelfContained(t *testing.T) {
	css := string(mustRead(t, "static/app.css"))
	for _, bad := range []string{"@font-face", "@import", "url(", "http://", "https://"} {
		if strings.Contains(css, bad) {
			t.Errorf("app.css contains %q", bad)
		}
	}
	for _, font := range []string{`"PingFang SC"`, `"Microsoft YaHei"`, `"Noto Sans CJK SC"`, "sans-serif"} {
		if !strings.Contains(css, font) {
			t.Errorf("app.css font stack lacks %s", font)
		}
	}
	js := string(mustRead(t, "static/app.js"))
	for _, bad := range []string{"http://", "https://", "eval(", "new Function", "innerHTML", "document.write"} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js contains %q", bad)
		}
	}
}

// The vendor README is the record of what we ship; it must match the files.
func TestVendorRecordMatchesFiles(t *testing.T) {
	readme := string(mustRead(t, "static/vendor/README.md"))
	for _, tc := range []struct{ file, version, marker, licence string }{
		{"htmx.min.js", "2.0.11", `version:"2.0.11"`, "htmx.LICENSE.txt"},
		{"echarts.min.js", "6.1.0", `version="6.1.0"`, "echarts.LICENSE.txt"},
	} {
		data := mustRead(t, "static/vendor/"+tc.file)
		if !strings.Contains(string(data), tc.marker) {
			t.Errorf("%s does not contain %s: README version out of date?", tc.file, tc.marker)
		}
		if !regexp.MustCompile("`" + regexp.QuoteMeta(tc.file) + "` \\|[^|]*\\| " + regexp.QuoteMeta(tc.version) + " \\|").MatchString(readme) {
			t.Errorf("README does not list %s at version %s", tc.file, tc.version)
		}
		sum := sha256.Sum256(data)
		if !strings.Contains(readme, hex.EncodeToString(sum[:])+"  "+tc.file) {
			t.Errorf("README checksum of %s is not %x", tc.file, sum)
		}
		if _, ok := catalog["vendor/"+tc.licence]; !ok {
			t.Errorf("licence file %s is not embedded", tc.licence)
		}
	}
	for _, f := range []string{"zrender.LICENSE.txt", "echarts.NOTICE.txt", "echarts.LICENSE-d3.txt"} {
		if _, ok := catalog["vendor/"+f]; !ok {
			t.Errorf("%s is not embedded", f)
		}
	}
	if !strings.Contains(string(mustRead(t, "static/vendor/htmx.LICENSE.txt")), "Zero-Clause BSD") ||
		!strings.Contains(string(mustRead(t, "static/vendor/echarts.LICENSE.txt")), "Apache License") {
		t.Error("licence texts are not the expected ones")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for ae, want := range map[string]bool{
		"": false, "gzip": true, " gzip ": true, "Gzip": true, "gzip;q=1.0": true, "gzip;q=0.001": true,
		"gzip;q=0": false, "gzip;q=0.000": false, "gzip;q=bad": false, "deflate": false,
		"x-gzip": false, "gzipx": false, "br;q=1, gzip;q=0.1": true, "*": false,
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", ae)
		if got := acceptsGzip(req); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", ae, got, want)
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
