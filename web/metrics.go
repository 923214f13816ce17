package web

import (
	"fmt"
	"net"
	"net/http"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"zhengxie"
)

// metrics counts requests for Prometheus's text format. A handful of
// counters does not justify the client library.
type metrics struct {
	mu       sync.Mutex
	byStatus map[int]*atomic.Int64
	duration atomic.Int64 // total microseconds
	requests atomic.Int64
	started  time.Time
}

func newMetrics() *metrics {
	return &metrics{byStatus: map[int]*atomic.Int64{}, started: time.Now()}
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

func (s *Server) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		m := s.metrics
		m.requests.Add(1)
		m.duration.Add(time.Since(start).Microseconds())
		m.mu.Lock()
		c := m.byStatus[sw.status]
		if c == nil {
			c = &atomic.Int64{}
			m.byStatus[sw.status] = c
		}
		m.mu.Unlock()
		c.Add(1)
		if sw.status >= 500 {
			s.Log.Warn("server error", "method", r.Method, "path", r.URL.Path, "status", sw.status)
		}
	})
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	// Scrapers run beside the server; from elsewhere only an admin may look.
	if ip := net.ParseIP(clientAddr(r)); (ip == nil || !ip.IsLoopback()) && actorOf(r).Role != zhengxie.RoleAdmin {
		s.fail(w, r, zhengxie.NotFound("页面"))
		return
	}
	m := s.metrics
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	fmt.Fprintln(w, "# HELP zhengxie_http_requests_total HTTP requests by status code.")
	fmt.Fprintln(w, "# TYPE zhengxie_http_requests_total counter")
	m.mu.Lock()
	codes := make([]int, 0, len(m.byStatus))
	for c := range m.byStatus {
		codes = append(codes, c)
	}
	m.mu.Unlock()
	sort.Ints(codes)
	for _, c := range codes {
		m.mu.Lock()
		v := m.byStatus[c].Load()
		m.mu.Unlock()
		fmt.Fprintf(w, "zhengxie_http_requests_total{code=\"%d\"} %d\n", c, v)
	}
	fmt.Fprintln(w, "# TYPE zhengxie_http_request_duration_seconds_sum counter")
	fmt.Fprintf(w, "zhengxie_http_request_duration_seconds_sum %g\n", float64(m.duration.Load())/1e6)
	fmt.Fprintf(w, "zhengxie_http_request_duration_seconds_count %d\n", m.requests.Load())
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintln(w, "# TYPE zhengxie_go_heap_bytes gauge")
	fmt.Fprintf(w, "zhengxie_go_heap_bytes %d\n", ms.HeapAlloc)
	fmt.Fprintf(w, "zhengxie_go_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(w, "zhengxie_uptime_seconds %g\n", time.Since(m.started).Seconds())
}
