package web

import (
	"crypto/subtle"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"zhengxie"
)

// durationBuckets are the upper bounds (seconds) of the request-duration
// histogram: from a cached page to a slow export.
var durationBuckets = [...]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts requests for Prometheus's text format. A handful of
// counters and one histogram do not justify the client library.
type metrics struct {
	mu       sync.Mutex
	byStatus map[int]*atomic.Int64
	byRoute  map[string]*histogram
	started  time.Time
}

// histogram is one route's request durations.
type histogram struct {
	counts [len(durationBuckets) + 1]atomic.Int64 // the last is +Inf
	sumUS  atomic.Int64                           // microseconds
}

func (h *histogram) observe(d time.Duration) {
	i := sort.SearchFloat64s(durationBuckets[:], d.Seconds()) // first bound >= d
	h.counts[i].Add(1)
	h.sumUS.Add(d.Microseconds())
}

func newMetrics() *metrics {
	return &metrics{byStatus: map[int]*atomic.Int64{}, byRoute: map[string]*histogram{}, started: time.Now()}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// routeOf is the mux pattern that serves r ("GET /proposals/{id}"), so that
// the histogram has one series per route, not one per URL; requests no
// route matches share "unmatched" (routes ends with two catch-alls, "/"
// and "/api/", that only answer 404: what they serve matched no route).
func (s *Server) routeOf(r *http.Request) string {
	if _, pattern := s.mux.Handler(r); pattern != "" && pattern != "/" && pattern != "/api/" {
		return pattern
	}
	return "unmatched"
}

func (s *Server) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := s.routeOf(r)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		m := s.metrics
		m.mu.Lock()
		c := m.byStatus[sw.status]
		if c == nil {
			c = &atomic.Int64{}
			m.byStatus[sw.status] = c
		}
		h := m.byRoute[route]
		if h == nil {
			h = &histogram{}
			m.byRoute[route] = h
		}
		m.mu.Unlock()
		c.Add(1)
		h.observe(time.Since(start))
		if sw.status >= 500 {
			s.Log.Warn("server error", "method", r.Method, "path", r.URL.Path, "status", sw.status)
		}
	})
}

// MetricsHandler serves the metrics alone, for a listen address of its own
// (-metrics-addr): whoever reaches that address may read them.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) { s.metrics.write(w) })
	return mux
}

// metricsAllowed decides who reads /metrics on the main address. With a
// token (-metrics-token) only a request bearing it; with a metrics address
// of its own, nobody here; otherwise only a caller on this machine that no
// proxy forwarded (a reverse proxy on the same host would make every
// outside visitor look local).
func (s *Server) metricsAllowed(r *http.Request) bool {
	if s.MetricsToken != "" {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		return ok && subtle.ConstantTimeCompare([]byte(tok), []byte(s.MetricsToken)) == 1
	}
	if s.MetricsOwnAddr {
		return false
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-Ip", "Forwarded"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	ip := net.ParseIP(clientAddr(r))
	return ip != nil && ip.IsLoopback()
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if !s.metricsAllowed(r) {
		// Not found rather than forbidden: outsiders learn nothing.
		s.fail(w, r, zhengxie.NotFound("页面"))
		return
	}
	s.metrics.write(w)
}

// labelValue escapes a label value for the text format.
func labelValue(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}

func (m *metrics) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	m.writeTo(w)
}

func (m *metrics) writeTo(w io.Writer) {
	m.mu.Lock()
	codes := make([]int, 0, len(m.byStatus))
	for c := range m.byStatus {
		codes = append(codes, c)
	}
	routes := make([]string, 0, len(m.byRoute))
	for r := range m.byRoute {
		routes = append(routes, r)
	}
	m.mu.Unlock()
	sort.Ints(codes)
	sort.Strings(routes)

	fmt.Fprintln(w, "# HELP zhengxie_http_requests_total HTTP requests by status code.")
	fmt.Fprintln(w, "# TYPE zhengxie_http_requests_total counter")
	for _, c := range codes {
		m.mu.Lock()
		v := m.byStatus[c].Load()
		m.mu.Unlock()
		fmt.Fprintf(w, "zhengxie_http_requests_total{code=\"%d\"} %d\n", c, v)
	}
	fmt.Fprintln(w, "# HELP zhengxie_http_request_duration_seconds Time to answer an HTTP request, by route pattern.")
	fmt.Fprintln(w, "# TYPE zhengxie_http_request_duration_seconds histogram")
	for _, route := range routes {
		m.mu.Lock()
		h := m.byRoute[route]
		m.mu.Unlock()
		lv := labelValue(route)
		var cum int64
		for i, le := range durationBuckets {
			cum += h.counts[i].Load()
			fmt.Fprintf(w, "zhengxie_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %d\n", lv, le, cum)
		}
		cum += h.counts[len(durationBuckets)].Load()
		fmt.Fprintf(w, "zhengxie_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %d\n", lv, cum)
		fmt.Fprintf(w, "zhengxie_http_request_duration_seconds_sum{route=\"%s\"} %g\n", lv, float64(h.sumUS.Load())/1e6)
		fmt.Fprintf(w, "zhengxie_http_request_duration_seconds_count{route=\"%s\"} %d\n", lv, cum)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintln(w, "# HELP zhengxie_go_heap_bytes Bytes of allocated heap objects.")
	fmt.Fprintln(w, "# TYPE zhengxie_go_heap_bytes gauge")
	fmt.Fprintf(w, "zhengxie_go_heap_bytes %d\n", ms.HeapAlloc)
	fmt.Fprintln(w, "# HELP zhengxie_go_goroutines Goroutines that exist now.")
	fmt.Fprintln(w, "# TYPE zhengxie_go_goroutines gauge")
	fmt.Fprintf(w, "zhengxie_go_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintln(w, "# HELP zhengxie_uptime_seconds Seconds since the server started.")
	fmt.Fprintln(w, "# TYPE zhengxie_uptime_seconds gauge")
	fmt.Fprintf(w, "zhengxie_uptime_seconds %g\n", time.Since(m.started).Seconds())
}
