// Package load is the benchmark harness's measuring side: a load generator
// that drives a server over real HTTP with many concurrent clients, bounded
// by a number of requests and a time so that it always stops by itself;
// the server's memory from /proc; the result table as text and JSON; and a
// progress bar for long corpus generation.
package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Target is what a run requests.
type Target struct {
	Name string
	// Request builds the i-th request of the run (i counts from 0 over all
	// workers), issued by worker (0 ≤ worker < Concurrency). It is called
	// concurrently. An error counts as a failed request.
	Request func(worker, i int) (*http.Request, error)
	// Check, if set, inspects each response with its whole body, so that a
	// fast error page is not mistaken for a fast page. An error counts the
	// request as failed. Without Check the body is read and discarded.
	Check func(resp *http.Response, body []byte) error
}

// Config bounds a run. At least one of MaxRequests and MaxDuration must be
// set; the run stops at whichever comes first.
type Config struct {
	Concurrency int           // simultaneous clients; 1 if less
	MaxRequests int           // requests in all, 0 for no limit
	MaxDuration time.Duration // no request starts after this, 0 for no limit
	Client      *http.Client  // nil for NewClient(Concurrency)
}

// Result of a run. Latencies are of requests that got a response (any
// status); failed requests have none.
type Result struct {
	Name         string
	Requests     int         // requests issued and finished
	Errors       int         // no response, a request that could not be built, or a failed Check
	Non2xx       int         // responses with a status outside 200–299
	StatusCounts map[int]int // responses by status
	Elapsed      time.Duration
	Throughput   float64 // successful requests (2xx, Check passed) per second
	P50, P95     time.Duration
	P99, Max     time.Duration
	FirstError   string // the first failure, to tell why a run went wrong
}

// OK is the number of successful requests.
func (r Result) OK() int { return r.Requests - r.Errors - r.Non2xx }

// NewClient returns a client for loopback load: keep-alive connections, one
// idle connection kept per worker so that no request pays for a new TCP
// connection, no proxy, no compression (the client's gunzip would compete
// with the server for the same cores), and a timeout so that a stuck server
// cannot hold a run forever.
func NewClient(concurrency int) *http.Client {
	concurrency = max(concurrency, 1)
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        2 * concurrency,
			MaxIdleConnsPerHost: concurrency,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// worker's own tallies, merged at the end so that the hot path shares
// nothing but one atomic counter.
type tally struct {
	requests, errors, non2xx, ok int
	status                       map[int]int
	lat                          []time.Duration
	firstErr                     error
	firstAt                      time.Time
}

func (t *tally) fail(err error) {
	t.errors++
	if t.firstErr == nil {
		t.firstErr, t.firstAt = err, time.Now()
	}
}

// Run drives target until cfg's bounds are reached or ctx ends. Requests in
// flight when the time is up are allowed to finish and are counted; those
// cut short by ctx are not counted at all. The error is for a bad Config.
func Run(ctx context.Context, cfg Config, target Target) (Result, error) {
	if cfg.MaxRequests <= 0 && cfg.MaxDuration <= 0 {
		return Result{}, errors.New("load: set MaxRequests or MaxDuration, or the run would not stop")
	}
	if target.Request == nil {
		return Result{}, errors.New("load: target has no Request function")
	}
	workers := max(cfg.Concurrency, 1)
	if cfg.MaxRequests > 0 {
		workers = min(workers, cfg.MaxRequests)
	}
	client := cfg.Client
	if client == nil {
		client = NewClient(workers)
	}
	var next atomic.Int64
	tallies := make([]tally, workers)
	start := time.Now()
	var deadline time.Time
	if cfg.MaxDuration > 0 {
		deadline = start.Add(cfg.MaxDuration)
	}
	var wg sync.WaitGroup
	for w := range tallies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			t.status = map[int]int{}
			var buf bytes.Buffer
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if cfg.MaxRequests > 0 && i >= int64(cfg.MaxRequests) {
					return
				}
				if !deadline.IsZero() && !time.Now().Before(deadline) {
					return
				}
				do(ctx, client, target, w, int(i), t, &buf)
			}
		}()
	}
	wg.Wait()
	return merge(target.Name, tallies, time.Since(start)), nil
}

func do(ctx context.Context, client *http.Client, target Target, w, i int, t *tally, buf *bytes.Buffer) {
	req, err := target.Request(w, i)
	if err != nil {
		t.requests++
		t.fail(fmt.Errorf("building request %d: %w", i, err))
		return
	}
	req = req.WithContext(ctx)
	begin := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return // cut short by the caller: not the server's doing
		}
		t.requests++
		t.fail(err)
		return
	}
	buf.Reset()
	_, err = io.Copy(buf, resp.Body)
	resp.Body.Close()
	lat := time.Since(begin)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		t.requests++
		t.fail(fmt.Errorf("reading %s: %w", req.URL.Path, err))
		return
	}
	t.requests++
	t.lat = append(t.lat, lat)
	t.status[resp.StatusCode]++
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		t.non2xx++
		if t.firstErr == nil {
			t.firstErr, t.firstAt = fmt.Errorf("%s %s: status %d", req.Method, req.URL.Path, resp.StatusCode), time.Now()
		}
		return
	}
	if target.Check != nil {
		if err := target.Check(resp, buf.Bytes()); err != nil {
			t.fail(fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err))
			return
		}
	}
	t.ok++
}

func merge(name string, tallies []tally, elapsed time.Duration) Result {
	r := Result{Name: name, StatusCounts: map[int]int{}, Elapsed: elapsed}
	var lat []time.Duration
	var firstAt time.Time
	ok := 0
	for i := range tallies {
		t := &tallies[i]
		r.Requests += t.requests
		r.Errors += t.errors
		r.Non2xx += t.non2xx
		ok += t.ok
		for s, c := range t.status {
			r.StatusCounts[s] += c
		}
		lat = append(lat, t.lat...)
		if t.firstErr != nil && (firstAt.IsZero() || t.firstAt.Before(firstAt)) {
			r.FirstError, firstAt = t.firstErr.Error(), t.firstAt
		}
	}
	if elapsed > 0 {
		r.Throughput = float64(ok) / elapsed.Seconds()
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		r.P50, r.P95, r.P99 = Percentile(lat, 50), Percentile(lat, 95), Percentile(lat, 99)
		r.Max = lat[len(lat)-1]
	}
	return r
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method: the smallest value with at least p % of the sample
// at or below it. It is exact, not estimated from buckets.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// String is a one-line summary, for logs.
func (r Result) String() string {
	return fmt.Sprintf("%s: %d requests in %v (%d errors, %d non-2xx), %.0f/s, p50 %v p95 %v p99 %v max %v",
		r.Name, r.Requests, r.Elapsed.Round(time.Millisecond), r.Errors, r.Non2xx, r.Throughput,
		r.P50, r.P95, r.P99, r.Max)
}
