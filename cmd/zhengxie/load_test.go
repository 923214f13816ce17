package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestMixedLoad runs hundreds of concurrent sessions of every role against
// the real server for a bounded time (ZHENGXIE_LOAD_SECONDS, default 8; CI
// runs 60) and requires zero 5xx answers and zero lost writes.
func TestMixedLoad(t *testing.T) {
	seconds := 8
	if v, err := strconv.Atoi(os.Getenv("ZHENGXIE_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	testenv.Engines(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		runCmd(t, "demo", "-seed-only", "-db", dsn, "-data", dir)
		srv := startServer(t, dsn, dir)
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second)
		defer cancel()
		var (
			wg        sync.WaitGroup
			requests  atomic.Int64
			fivexx    atomic.Int64
			mu        sync.Mutex
			latencies []time.Duration
			created   []int64
			firstErr  atomic.Value
		)
		record := func(d time.Duration, status int, err error) {
			requests.Add(1)
			if status >= 500 {
				fivexx.Add(1)
				firstErr.CompareAndSwap(nil, fmt.Sprintf("%d: %v", status, err))
			}
			mu.Lock()
			latencies = append(latencies, d)
			mu.Unlock()
		}
		timed := func(c *apiClient, method, path string, in, out any) error {
			start := time.Now()
			status, err := c.call(method, path, in, out)
			record(time.Since(start), status, err)
			return err
		}
		session := func(user string, loop func(c *apiClient, i int)) {
			defer wg.Done()
			var c *apiClient
			var err error
			if user == "" {
				c = &apiClient{base: srv.url, http: &http.Client{Timeout: 30 * time.Second}}
			} else if c, err = login(srv.url, user); err != nil {
				firstErr.CompareAndSwap(nil, "login "+user+": "+err.Error())
				return
			}
			for i := 0; ctx.Err() == nil; i++ {
				loop(c, i)
			}
		}
		// 120 public readers, 40 members, 20 office clerks, 20 unit clerks.
		for i := 0; i < 120; i++ {
			wg.Add(1)
			go session("", func(c *apiClient, i int) {
				if i%2 == 0 {
					timed(c, "GET", "/api/v1/public/proposals?page=1", nil, nil)
				} else {
					timed(c, "GET", "/public", nil, nil)
				}
			})
		}
		for m := 1; m <= 40; m++ {
			wg.Add(1)
			go session(fmt.Sprintf("member%02d", m), func(c *apiClient, i int) {
				if i%3 != 0 {
					timed(c, "GET", "/api/v1/proposals?mine=1", nil, nil)
					return
				}
				var p struct {
					ID int64 `json:"id"`
				}
				if err := timed(c, "POST", "/api/v1/proposals", map[string]any{"title": fmt.Sprintf("关于完善社区服务的建议（%d）", i),
					"body": "调研情况：社区服务设施不足。问题分析：投入分散。具体建议：统筹建设社区综合服务中心。", "category": "社会事业", "submit": true}, &p); err == nil {
					mu.Lock()
					created = append(created, p.ID)
					mu.Unlock()
				}
			})
		}
		for o := 0; o < 20; o++ {
			wg.Add(1)
			go session("office", func(c *apiClient, i int) {
				var list struct {
					Items []struct {
						ID int64 `json:"id"`
					} `json:"items"`
				}
				if timed(c, "GET", "/api/v1/proposals?state=under_review", nil, &list) != nil || len(list.Items) == 0 {
					return
				}
				id := list.Items[i%len(list.Items)].ID
				// Several clerks race for the same proposal: losers get 409, never 5xx.
				timed(c, "POST", fmt.Sprintf("/api/v1/proposals/%d/accept", id), map[string]string{}, nil)
			})
		}
		for u := 0; u < 20; u++ {
			wg.Add(1)
			go session("unit-jtj", func(c *apiClient, i int) {
				timed(c, "GET", "/api/v1/tasks", nil, nil)
			})
		}
		wg.Wait()
		if v := firstErr.Load(); v != nil && fivexx.Load() > 0 {
			t.Fatalf("%d answers were 5xx; first: %v", fivexx.Load(), v)
		}
		if fivexx.Load() != 0 {
			t.Fatalf("%d answers were 5xx", fivexx.Load())
		}
		if len(created) == 0 {
			t.Fatalf("no writes went through (first error: %v)", firstErr.Load())
		}
		sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
		p := func(q float64) time.Duration { return latencies[int(q*float64(len(latencies)-1))] }
		t.Logf("%d requests from 200 sessions in %ds: %.0f req/s, 0 5xx, %d proposals submitted; p50 %v p95 %v p99 %v",
			requests.Load(), seconds, float64(requests.Load())/float64(seconds), len(created), p(0.5), p(0.95), p(0.99))
		// Zero lost writes: every acknowledged proposal is in the database.
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		c, err := st.CommitteeByCode(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range created {
			if _, err := st.Proposal(context.Background(), c.ID, id); err != nil {
				t.Fatalf("acknowledged proposal %d is missing: %v", id, err)
			}
		}
	})
}
