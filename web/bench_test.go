package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/bench/harness"
	"zhengxie/internal/testenv"
)

// benchServer is a generated district committee behind the real handler,
// called without a network: what these benchmarks measure is the handler's
// own work (queries, rendering), the part a profile can improve.
type benchServer struct {
	h      http.Handler
	info   *harness.Info
	cookie string
}

func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	ctx := context.Background()
	st := testenv.Open(b, testenv.SQLiteDSN(b))
	// ZHENGXIE_BENCH_SCALE=city profiles a bigger committee; district by default.
	name := os.Getenv("ZHENGXIE_BENCH_SCALE")
	if name == "" {
		name = "district"
	}
	sc, err := harness.ScaleByName(name)
	if err != nil {
		b.Fatal(err)
	}
	if _, err = harness.Generate(ctx, st, sc, harness.GenOptions{Seed: 1, Quiet: true}); err != nil {
		b.Fatal(err)
	}
	info, err := harness.Inspect(ctx, st, sc)
	if err != nil {
		b.Fatal(err)
	}
	svc := app.New(st, &app.Files{Dir: b.TempDir()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	tok, _, _, err := svc.Login(ctx, info.Office, harness.Password, "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	s := New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &benchServer{h: s.Handler(), info: info, cookie: sessionCookie + "=" + tok}
}

func (bs *benchServer) run(b *testing.B, path func(i int) string, loggedIn bool) {
	// The first pages train the office's suggestion classifiers and load
	// the segmentation dictionary: once per server, not per page.
	bs.do(b, path(0), loggedIn)
	if loggedIn {
		for _, id := range bs.info.SuggestIDs {
			bs.do(b, "/proposals/"+strconv.FormatInt(id, 10), true)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bs.do(b, path(i), loggedIn)
	}
}

func (bs *benchServer) do(b *testing.B, path string, loggedIn bool) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if loggedIn {
		req.Header.Set("Cookie", bs.cookie)
	}
	w := httptest.NewRecorder()
	bs.h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("%s: %d %.300s", path, w.Code, w.Body.String())
	}
}

// BenchmarkProposalPage renders the proposal page the office sees: the
// proposal, co-signers, tasks, timeline and action forms.
func BenchmarkProposalPage(b *testing.B) {
	bs := newBenchServer(b)
	ids := bs.info.DetailIDs
	bs.run(b, func(i int) string { return "/proposals/" + strconv.FormatInt(ids[i%len(ids)], 10) }, true)
}

// BenchmarkPublicPage renders a published proposal for the public.
func BenchmarkPublicPage(b *testing.B) {
	bs := newBenchServer(b)
	ids := bs.info.PublishedIDs
	bs.run(b, func(i int) string { return "/public/proposals/" + strconv.FormatInt(ids[i%len(ids)], 10) }, false)
}

// BenchmarkProposalList renders a filtered list page of 20.
func BenchmarkProposalList(b *testing.B) {
	bs := newBenchServer(b)
	states := []zhengxie.State{zhengxie.StateHandling, zhengxie.StateConcluded, zhengxie.StateUnderReview}
	bs.run(b, func(i int) string {
		q := url.Values{"category": {zhengxie.Categories[i%len(zhengxie.Categories)]}, "state": {string(states[i%len(states)])}}
		return "/proposals?" + q.Encode()
	}, true)
}
