package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rivo/uniseg"
)

// server answers /?s=<status>&body=<text>&sleep=<ms> and counts what it
// served and how many connections it accepted.
type server struct {
	*httptest.Server
	hits, conns atomic.Int64
}

func newServer(t *testing.T) *server {
	s := &server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if ms, _ := strconv.Atoi(r.FormValue("sleep")); ms > 0 {
			time.Sleep(time.Duration(ms) * time.Millisecond)
		}
		status, _ := strconv.Atoi(r.FormValue("s"))
		if status == 0 {
			status = 200
		}
		w.WriteHeader(status)
		fmt.Fprint(w, r.FormValue("body"))
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func get(url string) func(worker, i int) (*http.Request, error) {
	return func(worker, i int) (*http.Request, error) { return http.NewRequest("GET", url, nil) }
}

func TestCountsAddUp(t *testing.T) {
	s := newServer(t)
	const n, workers = 500, 8
	var seen [n]atomic.Int32
	var badWorker atomic.Bool
	target := Target{
		Name: "mixed",
		// Per ten requests: a 404, a 500, one that cannot be built, one whose
		// body fails the check, and six good ones.
		Request: func(worker, i int) (*http.Request, error) {
			seen[i].Add(1)
			if worker < 0 || worker >= workers {
				badWorker.Store(true)
			}
			switch i % 10 {
			case 0:
				return http.NewRequest("GET", s.URL+"/?s=404", nil)
			case 1:
				return http.NewRequest("GET", s.URL+"/?s=500", nil)
			case 2:
				return nil, errors.New("no such proposal")
			case 3:
				return http.NewRequest("GET", s.URL+"/?body=bad", nil)
			}
			return http.NewRequest("GET", s.URL+"/?body=ok", nil)
		},
		Check: func(resp *http.Response, body []byte) error {
			if string(body) != "ok" {
				return fmt.Errorf("body %q", body)
			}
			return nil
		},
	}
	r, err := Run(context.Background(), Config{Concurrency: workers, MaxRequests: n, MaxDuration: time.Minute}, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	for i := range seen {
		if c := seen[i].Load(); c != 1 {
			t.Fatalf("request %d was built %d times", i, c)
		}
	}
	if badWorker.Load() {
		t.Error("a worker index was out of range")
	}
	want := Result{Requests: n, Errors: 100, Non2xx: 100, StatusCounts: map[int]int{200: 200 + 150, 404: 50, 500: 50}}
	if r.Requests != want.Requests || r.Errors != want.Errors || r.Non2xx != want.Non2xx || r.OK() != 300 ||
		fmt.Sprint(r.StatusCounts) != fmt.Sprint(want.StatusCounts) {
		t.Errorf("got requests %d errors %d non-2xx %d ok %d statuses %v, want 500 100 100 300 %v",
			r.Requests, r.Errors, r.Non2xx, r.OK(), r.StatusCounts, want.StatusCounts)
	}
	if h := s.hits.Load(); h != 450 {
		t.Errorf("server served %d requests, want 450", h)
	}
	if got := r.Throughput * r.Elapsed.Seconds(); got < 299.5 || got > 300.5 {
		t.Errorf("throughput × elapsed = %.1f, want the 300 successful requests", got)
	}
	if !(0 < r.P50 && r.P50 <= r.P95 && r.P95 <= r.P99 && r.P99 <= r.Max) {
		t.Errorf("latencies out of order: %v %v %v %v", r.P50, r.P95, r.P99, r.Max)
	}
	if r.FirstError == "" {
		t.Error("no first error recorded")
	}
}

func TestStopsAtMaxRequests(t *testing.T) {
	s := newServer(t)
	begin := time.Now()
	r, err := Run(context.Background(), Config{Concurrency: 16, MaxRequests: 137, MaxDuration: time.Hour},
		Target{Name: "count", Request: get(s.URL)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 137 || s.hits.Load() != 137 || r.OK() != 137 {
		t.Errorf("%d requests, %d served, want 137", r.Requests, s.hits.Load())
	}
	if time.Since(begin) > 20*time.Second {
		t.Errorf("took %v for 137 requests", time.Since(begin))
	}
}

func TestStopsAtMaxDuration(t *testing.T) {
	s := newServer(t)
	const d = 400 * time.Millisecond
	r, err := Run(context.Background(), Config{Concurrency: 4, MaxDuration: d},
		Target{Name: "time", Request: get(s.URL + "/?sleep=10")})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.Elapsed < d || r.Elapsed > d+5*time.Second {
		t.Errorf("ran %v, want about %v", r.Elapsed, d)
	}
	// Each worker finishes at most one request per 10 ms.
	if r.Requests < 8 || r.Requests > 4*(int(d/(10*time.Millisecond))+1) {
		t.Errorf("%d requests in %v with 4 workers and 10 ms each", r.Requests, d)
	}
	if r.Errors != 0 || int64(r.Requests) != s.hits.Load() {
		t.Errorf("requests in flight at the deadline were lost: %d errors, %d counted, %d served",
			r.Errors, r.Requests, s.hits.Load())
	}
}

func TestStopsWhenCancelled(t *testing.T) {
	s := newServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	begin := time.Now()
	r, err := Run(ctx, Config{Concurrency: 4, MaxDuration: time.Hour},
		Target{Name: "cancel", Request: get(s.URL + "/?sleep=50")})
	if err != nil {
		t.Fatal(err)
	}
	if e := time.Since(begin); e > 2*time.Second {
		t.Errorf("ran %v after a cancel at 150 ms", e)
	}
	if r.Errors != 0 {
		t.Errorf("requests cut short by the caller counted as %d errors", r.Errors)
	}
}

func TestRefusedConnectionsAreErrors(t *testing.T) {
	s := newServer(t)
	url := s.URL
	s.Close()
	r, err := Run(context.Background(), Config{Concurrency: 2, MaxRequests: 20}, Target{Name: "down", Request: get(url)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 20 || r.Errors != 20 || r.Throughput != 0 || r.FirstError == "" {
		t.Errorf("against a closed port: %v, first error %q", r, r.FirstError)
	}
}

func TestNeedsABound(t *testing.T) {
	if _, err := Run(context.Background(), Config{Concurrency: 1}, Target{Request: get("http://127.0.0.1:1")}); err == nil {
		t.Error("a run without MaxRequests nor MaxDuration was accepted")
	}
}

// TestConnectionsAreReused: the client keeps one connection per worker
// instead of opening one per request.
func TestConnectionsAreReused(t *testing.T) {
	s := newServer(t)
	const workers = 8
	// The server takes a moment, so that all workers are in flight at once
	// and a client keeping fewer idle connections than workers would have
	// to open new ones.
	r, err := Run(context.Background(), Config{Concurrency: workers, MaxRequests: 400},
		Target{Name: "reuse", Request: get(s.URL + "/?sleep=1&body=" + strings.Repeat("x", 2000))})
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() != 400 {
		t.Fatalf("%d of 400 succeeded: %s", r.OK(), r.FirstError)
	}
	t.Logf("%d connections for %d workers", s.conns.Load(), workers)
	if c := s.conns.Load(); c > 2*workers {
		t.Errorf("%d connections for %d workers: connections are not kept alive", c, workers)
	}
	// Bursts of simultaneous completions, rarer than in this test, close
	// connections beyond the idle limit: keep one per worker.
	tr := NewClient(64).Transport.(*http.Transport)
	if tr.MaxIdleConnsPerHost < 64 || tr.MaxIdleConns < 64 || tr.DisableKeepAlives {
		t.Errorf("transport keeps %d idle connections per host (%d in all) for 64 workers",
			tr.MaxIdleConnsPerHost, tr.MaxIdleConns)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]int{50: 50, 95: 95, 99: 99, 100: 100, 0.5: 1} {
		if got := Percentile(d, p); got != time.Duration(want)*time.Millisecond {
			t.Errorf("p%v = %v, want %d ms", p, got, want)
		}
	}
	if Percentile(d[:1], 99) != time.Millisecond || Percentile(nil, 50) != 0 {
		t.Error("percentile of one value or none")
	}
}

var sink []byte

func TestRSS(t *testing.T) {
	before, err := PeakRSS(0)
	if err != nil {
		t.Fatal(err)
	}
	// Touch 64 MB so that the peak must rise by about that much.
	sink = make([]byte, 64<<20)
	for i := 0; i < len(sink); i += 4096 {
		sink[i] = 1
	}
	cur, err := CurrentRSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	peak, err := PeakRSS(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("peak %d MB before, %d MB after; current %d MB", before>>20, peak>>20, cur>>20)
	if cur < 64<<20 || peak < cur || peak < before+48<<20 {
		t.Errorf("peak %d, current %d, before %d: 64 MB allocation not seen", peak, cur, before)
	}
	sink = nil
	if _, err := PeakRSS(1 << 30); err == nil {
		t.Error("no error for a process that does not exist")
	}
}

func sampleTable() *Table {
	t := &Table{Meta: map[string]string{"commit": "abc123"}}
	t.Add(Row{Scenario: "baseline", Engine: "sqlite", Scale: "national", Throughput: 40000,
		P50: 150 * time.Microsecond, P95: 400 * time.Microsecond, P99: 900 * time.Microsecond, Note: "最小处理器"})
	t.Add(Row{Scenario: "提案详情页", Engine: "sqlite", Scale: "national", Throughput: 12000,
		P50: 1234567, P95: 3 * time.Millisecond, P99: 12 * time.Millisecond, RSS: 85 << 20, Note: "目标 ≥ 10,000"})
	t.Add(Row{Scenario: "baseline", Engine: "postgres", Scale: "national", Throughput: 20000, Note: "x"})
	t.Add(Row{Scenario: "detail page", Engine: "postgres", Scale: "national", Throughput: 5000, Note: "y"})
	t.Add(Row{Scenario: "write path", Engine: "sqlite", Scale: "city", Throughput: 650, Unit: "proposals", Note: "z"})
	t.Add(Row{Scenario: "annual statistics", Engine: "sqlite", Scale: "large", P50: 800 * time.Millisecond, Note: "≤ 1 s"})
	return t
}

func TestTableRatios(t *testing.T) {
	tb := sampleTable()
	tb.SetRatios("baseline")
	for i, want := range []float64{1, 0.3, 1, 0.25, 650.0 / 40000, 0} {
		if got := tb.Rows[i].Ratio; got < want-1e-9 || got > want+1e-9 {
			t.Errorf("row %d (%s %s): ratio %v, want %v", i, tb.Rows[i].Scenario, tb.Rows[i].Engine, got, want)
		}
	}
}

func TestTableText(t *testing.T) {
	tb := sampleTable()
	tb.SetRatios("baseline")
	var b bytes.Buffer
	if err := tb.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2+len(tb.Rows) {
		t.Fatalf("%d lines for %d rows", len(lines), len(tb.Rows))
	}
	// Every column but the last (note) ends at the same display column,
	// Chinese scenario names included.
	notes := append([]string{"note", ""}, func() (n []string) {
		for _, r := range tb.Rows {
			n = append(n, r.Note)
		}
		return
	}()...)
	width := -1
	for i, l := range lines {
		if i == 1 {
			continue
		}
		w := uniseg.StringWidth(l) - uniseg.StringWidth(notes[i])
		if width >= 0 && w != width {
			t.Errorf("line %d is misaligned:\n%s", i, b.String())
		}
		width = w
	}
	for _, want := range []string{"12,000 req/s", "1.23 ms", "0.30", "85 MB", "650 proposals/s", "800.0 ms", "0.15 ms"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func TestTableJSONRoundTrip(t *testing.T) {
	tb := sampleTable()
	tb.SetRatios("baseline")
	var b bytes.Buffer
	if err := tb.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"p50_ms": 1.234567`) || !strings.Contains(b.String(), `"commit": "abc123"`) {
		t.Errorf("unexpected JSON:\n%s", b.String())
	}
	back, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back) != fmt.Sprint(tb) {
		t.Errorf("round trip changed the table:\n%v\n%v", back, tb)
	}
	if _, err := ReadJSON(strings.NewReader("{")); err == nil {
		t.Error("broken JSON accepted")
	}
}

func TestRowOf(t *testing.T) {
	r := Result{Throughput: 123, P50: 1, P95: 2, P99: 3, Max: 4}
	row := RowOf("s", "sqlite", "city", r)
	if row.Throughput != 123 || row.P50 != 1 || row.P95 != 2 || row.P99 != 3 || row.Scale != "city" {
		t.Errorf("%+v", row)
	}
}

func TestMachine(t *testing.T) {
	m := Machine()
	if m["cpus"] == "" || m["go"] == "" || m["cpu"] == "" || !strings.HasSuffix(m["memory"], "MB") {
		t.Errorf("machine description incomplete: %v", m)
	}
}

func TestProgress(t *testing.T) {
	var b syncBuffer
	p := newProgress(&b, 100, "生成提案", true)
	for i := 0; i < 10; i++ {
		p.Add(10)
	}
	p.Finish()
	if out := b.String(); !strings.Contains(out, "生成提案") || !strings.Contains(out, "100/100") {
		t.Errorf("progress bar output %q", out)
	}
	var quiet syncBuffer
	q := newProgress(&quiet, 100, "x", false)
	q.Add(100)
	q.Describe("y")
	q.Finish()
	if quiet.Len() != 0 {
		t.Errorf("quiet progress wrote %q", quiet.String())
	}
	// Under go test standard error is not a terminal.
	if NewProgress(10, "x", false).bar != nil {
		t.Error("progress bar drawn on a non-terminal")
	}
	var none *Progress
	none.Add(1)
	none.Finish()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
func (s *syncBuffer) Len() int       { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Len() }
