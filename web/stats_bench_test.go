package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengxie/app"
	"zhengxie/bench/harness"
	"zhengxie/internal/testenv"
)

// BenchmarkStatsPage renders one committee's statistics page (this year,
// compared with last year): every table's grouped query, charts, links.
func BenchmarkStatsPage(b *testing.B) {
	bs := newBenchServer(b)
	bs.run(b, func(int) string { return "/stats?year=" + strconv.Itoa(bs.info.Year) }, true)
}

// BenchmarkStatsAPI is the same statistics as JSON.
func BenchmarkStatsAPI(b *testing.B) {
	bs := newBenchServer(b)
	bs.run(b, func(int) string { return "/api/v1/stats?year=" + strconv.Itoa(bs.info.Year) }, true)
}

// BenchmarkAnnualReportDraft composes the year's report (every figure) and
// renders it; BenchmarkAnnualReportDOCX writes the Word document.
func BenchmarkAnnualReportDraft(b *testing.B) {
	bs := newBenchServer(b)
	bs.run(b, func(int) string { return "/reports/annual?year=" + strconv.Itoa(bs.info.Year) }, true)
}

func BenchmarkAnnualReportDOCX(b *testing.B) {
	bs := newBenchServer(b)
	bs.run(b, func(int) string { return "/reports/annual.docx?year=" + strconv.Itoa(bs.info.Year) }, true)
}

// BenchmarkProposalExportXLSX exports every proposal of a committee as XLSX
// (and CSV) at two sizes. Allocations per row stay flat and the peak live heap above
// the idle server's (live-heap-MB) does not grow with the
// number of rows: the rows stream from the database through excelize's
// stream writer.
func BenchmarkProposalExportXLSX(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		ctx := context.Background()
		var h http.Handler
		var tok string
		parent := b
		for _, format := range []string{"xlsx", "csv"} {
			b.Run(format+"/"+strconv.Itoa(n)+"rows", func(b *testing.B) {
				if h == nil {
					// The corpus lives as long as the parent: both formats export it.
					st := testenv.Open(parent, testenv.SQLiteDSN(parent))
					sc := harness.Scale{Name: "export", Committees: 1, Members: 200, Years: 1, Proposals: n, Level: "区"}
					if _, err := harness.Generate(ctx, st, sc, harness.GenOptions{Seed: 1, Quiet: true}); err != nil {
						b.Fatal(err)
					}
					info, err := harness.Inspect(ctx, st, sc)
					if err != nil {
						b.Fatal(err)
					}
					log := slog.New(slog.NewTextHandler(io.Discard, nil))
					svc := app.New(st, &app.Files{Dir: parent.TempDir()}, log)
					tok, _, _, err = svc.Login(ctx, info.Office, harness.Password, "127.0.0.1")
					if err != nil {
						b.Fatal(err)
					}
					h = New(svc, log).Handler()
				}
				do := func() int {
					req := httptest.NewRequest(http.MethodGet, "/proposals/export."+format, nil)
					req.Header.Set("Cookie", sessionCookie+"="+tok)
					w := &countingWriter{h: http.Header{}}
					h.ServeHTTP(w, req)
					if w.code != 0 && w.code != http.StatusOK {
						b.Fatalf("export: %d", w.code)
					}
					return w.n
				}
				do()
				b.ReportAllocs()
				b.ResetTimer()
				size := 0
				for i := 0; i < b.N; i++ {
					size = do()
				}
				b.StopTimer()
				// One more export, outside the timing, with a sampler that
				// collects garbage before each reading: the peak of the live
				// heap above the idle server's is what the export holds.
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				base := m.HeapAlloc
				var peak atomic.Uint64
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Add(1)
				go func() {
					defer wg.Done()
					var m runtime.MemStats
					for {
						select {
						case <-stop:
							return
						case <-time.After(10 * time.Millisecond):
						}
						runtime.GC()
						runtime.ReadMemStats(&m)
						if m.HeapAlloc > peak.Load() {
							peak.Store(m.HeapAlloc)
						}
					}
				}()
				do()
				close(stop)
				wg.Wait()
				b.ReportMetric(float64(peak.Load()-min(peak.Load(), base))/(1<<20), "live-heap-MB")
				b.ReportMetric(float64(size)/1024, "file-KB")
				b.ReportMetric(float64(n), "rows")
			})
		}
	}
}

// countingWriter discards the answer and counts its bytes, so that the
// benchmark measures the export, not a buffer holding it.
type countingWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *countingWriter) Header() http.Header         { return w.h }
func (w *countingWriter) WriteHeader(code int)        { w.code = code }
func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
