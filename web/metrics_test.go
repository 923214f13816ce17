package web

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"zhengxie/internal/testenv"
)

// series is one parsed sample.
type series struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	labelPair  = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\["\\n])*)"(?:,|$)`)
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
)

// parseExposition checks text against Prometheus's text format 0.0.4 the
// way a scraper reads it: every family typed once before its samples and
// never resumed after another began, label syntax and escapes, values that
// parse, no duplicate series, and histograms whose buckets are cumulative
// and end in +Inf equal to _count. It returns the samples.
func parseExposition(t *testing.T, text string) []series {
	t.Helper()
	types := map[string]string{}
	helps := map[string]bool{}
	closed := map[string]bool{}
	current := ""
	seen := map[string]bool{}
	var out []series
	family := func(name string) string {
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suf); ok && types[base] == "histogram" {
				return base
			}
		}
		return name
	}
	enter := func(fam string, line int) {
		if fam == current {
			return
		}
		if closed[fam] {
			t.Fatalf("line %d: family %s resumes after another family began", line, fam)
		}
		if current != "" {
			closed[current] = true
		}
		current = fam
	}
	if !strings.HasSuffix(text, "\n") {
		t.Fatal("exposition does not end with a newline")
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n := i + 1
		if strings.HasPrefix(line, "#") {
			f := strings.Fields(line)
			if len(f) >= 3 && (f[1] == "HELP" || f[1] == "TYPE") {
				if !metricName.MatchString(f[2]) {
					t.Fatalf("line %d: bad metric name %q", n, f[2])
				}
				enter(f[2], n)
				if f[1] == "HELP" {
					if helps[f[2]] {
						t.Fatalf("line %d: second HELP for %s", n, f[2])
					}
					helps[f[2]] = true
					continue
				}
				if len(f) != 4 {
					t.Fatalf("line %d: TYPE needs one type: %q", n, line)
				}
				switch f[3] {
				case "counter", "gauge", "histogram", "summary", "untyped":
				default:
					t.Fatalf("line %d: unknown type %q", n, f[3])
				}
				if _, dup := types[f[2]]; dup {
					t.Fatalf("line %d: second TYPE for %s", n, f[2])
				}
				types[f[2]] = f[3]
			}
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %d is no sample: %q", n, line)
		}
		s := series{name: m[1], labels: map[string]string{}}
		for rest := m[2]; rest != ""; {
			p := labelPair.FindStringSubmatch(rest)
			if p == nil {
				t.Fatalf("line %d: bad labels %q", n, m[2])
			}
			if _, dup := s.labels[p[1]]; dup {
				t.Fatalf("line %d: label %s twice", n, p[1])
			}
			s.labels[p[1]] = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n").Replace(p[2])
			rest = rest[len(p[0]):]
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Fatalf("line %d: value %q: %v", n, m[3], err)
		}
		s.value = v
		fam := family(s.name)
		if types[fam] == "" {
			t.Fatalf("line %d: sample of %s before its TYPE", n, fam)
		}
		enter(fam, n)
		key := s.name + fmt.Sprint(sortedLabels(s.labels))
		if seen[key] {
			t.Fatalf("line %d: duplicate series %s", n, key)
		}
		seen[key] = true
		out = append(out, s)
	}
	// Histograms: per label set without le, cumulative buckets ending in +Inf = _count.
	type hist struct {
		les      []float64
		counts   []float64
		count    float64
		hasCount bool
		hasSum   bool
	}
	hs := map[string]*hist{}
	get := func(fam string, labels map[string]string) *hist {
		l := map[string]string{}
		for k, v := range labels {
			if k != "le" {
				l[k] = v
			}
		}
		key := fam + fmt.Sprint(sortedLabels(l))
		if hs[key] == nil {
			hs[key] = &hist{}
		}
		return hs[key]
	}
	for _, s := range out {
		fam := family(s.name)
		if types[fam] != "histogram" {
			continue
		}
		h := get(fam, s.labels)
		switch s.name {
		case fam + "_bucket":
			le, err := strconv.ParseFloat(s.labels["le"], 64)
			if err != nil {
				t.Fatalf("%s: le %q: %v", s.name, s.labels["le"], err)
			}
			if n := len(h.les); n > 0 && (le <= h.les[n-1] || s.value < h.counts[n-1]) {
				t.Fatalf("%s%v: buckets not increasing or not cumulative", s.name, s.labels)
			}
			h.les, h.counts = append(h.les, le), append(h.counts, s.value)
		case fam + "_count":
			h.count, h.hasCount = s.value, true
		case fam + "_sum":
			h.hasSum = true
		default:
			t.Fatalf("histogram %s has a stray sample %s", fam, s.name)
		}
	}
	for key, h := range hs {
		n := len(h.les)
		if n == 0 || !strings.Contains(fmt.Sprint(h.les[n-1]), "Inf") || !h.hasCount || !h.hasSum || h.counts[n-1] != h.count {
			t.Fatalf("histogram %s is incomplete: les %v counts %v count %v sum %v", key, h.les, h.counts, h.count, h.hasSum)
		}
	}
	return out
}

func sortedLabels(l map[string]string) []string {
	var out []string
	for k, v := range l {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// TestMetricsExpositionParses: after pages, API calls and an unknown URL,
// /metrics is valid text format with one duration histogram per route
// pattern, never per URL.
func TestMetricsExpositionParses(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	office := ts.login(roleOffice)
	for i := 0; i < 3; i++ {
		ts.do(req{Method: "GET", Path: "/login"})
		ts.do(req{Method: "GET", Path: fmt.Sprintf("/proposals/%d", 900000+i), As: office})
		ts.do(req{Method: "GET", Path: fmt.Sprintf("/no/such/page/%d", i)})
	}
	r := ts.do(req{Method: "GET", Path: "/metrics"})
	ts.expect(r, 200)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Fatalf("Content-Type %q", ct)
	}
	samples := parseExposition(t, r.Body)
	counts := map[string]float64{}
	for _, s := range samples {
		if s.name == "zhengxie_http_request_duration_seconds_count" {
			counts[s.labels["route"]] = s.value
		}
	}
	if counts["GET /login"] < 3 || counts["GET /proposals/{id}"] != 3 || counts["unmatched"] != 3 {
		t.Fatalf("per-route counts: %v", counts)
	}
	for route := range counts {
		if strings.Contains(route, "900000") || strings.Contains(route, "/no/such") {
			t.Fatalf("a URL became a route label: %q", route)
		}
	}
}

// TestMetricsAccess: who may read /metrics on the main address.
func TestMetricsAccess(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	get := func(h map[string]string) int { return ts.do(req{Method: "GET", Path: "/metrics", Header: h}).Status }
	// No token configured: this machine only, and not through a proxy.
	if s := get(nil); s != 200 {
		t.Fatalf("loopback without a token: %d", s)
	}
	if s := get(map[string]string{"X-Forwarded-For": "203.0.113.9"}); s != 404 {
		t.Fatalf("forwarded by a proxy: %d, want 404", s)
	}
	// With a token: the token, from everywhere, loopback included.
	ts.S.MetricsToken = "m-7f3c9e21"
	for _, c := range []struct {
		auth string
		want int
	}{{"", 404}, {"Bearer wrong", 404}, {"Bearer m-7f3c9e21x", 404}, {"m-7f3c9e21", 404}, {"Bearer m-7f3c9e21", 200}} {
		h := map[string]string{}
		if c.auth != "" {
			h["Authorization"] = c.auth
		}
		if s := get(h); s != c.want {
			t.Fatalf("Authorization %q: %d, want %d", c.auth, s, c.want)
		}
	}
	// A session of the admin is no metrics credential.
	admin := ts.login(roleAdmin)
	if r := ts.do(req{Method: "GET", Path: "/metrics", As: admin}); r.Status != 404 {
		t.Fatalf("admin session with a token configured: %d", r.Status)
	}
	// A listen address of its own: the main address serves none.
	ts.S.MetricsToken = ""
	ts.S.MetricsOwnAddr = true
	if s := get(nil); s != 404 {
		t.Fatalf("main address with -metrics-addr: %d, want 404", s)
	}
}
