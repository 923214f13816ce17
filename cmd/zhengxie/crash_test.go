package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/demo"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestMain lets the test binary run as the zhengxie command itself, so that
// tests can start the real server as a separate process and kill it.
func TestMain(m *testing.M) {
	if args := os.Getenv("ZX_RUN_MAIN"); args != "" {
		os.Args = append([]string{"zhengxie"}, strings.Split(args, "\x1f")...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is the zhengxie command running in its own process.
type child struct {
	cmd *exec.Cmd
	url string
	out *bytes.Buffer
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// runCmd runs a zhengxie subcommand to completion.
func runCmd(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "ZX_RUN_MAIN="+strings.Join(args, "\x1f"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("zhengxie %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// startServer starts `zhengxie serve` and waits for /healthz.
func startServer(t *testing.T, db, dataDir string) *child {
	t.Helper()
	addr := freeAddr(t)
	c := &child{out: &bytes.Buffer{}, url: "http://" + addr}
	c.cmd = exec.Command(os.Args[0])
	c.cmd.Env = append(os.Environ(), "ZX_RUN_MAIN="+strings.Join([]string{"serve", "-db", db, "-data", dataDir, "-addr", addr}, "\x1f"))
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.cmd.Process.Kill(); c.cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(c.url + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return c
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not start:\n%s", c.out)
	return nil
}

// apiClient is a logged-in API client.
type apiClient struct {
	base   string
	http   *http.Client
	csrf   string
	served bool // the session got at least one 2xx (used by the load test)
}

func login(base, user string) (*apiClient, error) {
	jar, _ := cookiejar.New(nil)
	c := &apiClient{base: base, http: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if _, err := c.call("POST", "/api/v1/login", map[string]string{"username": user, "password": demo.Password}, &out); err != nil {
		return nil, err
	}
	c.csrf = out.CSRF
	return c, nil
}

func (c *apiClient) call(method, path string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	if out != nil {
		return res.StatusCode, json.Unmarshal(data, out)
	}
	return res.StatusCode, nil
}

// acked is what the server acknowledged with a 2xx before the crash.
type acked struct {
	mu       sync.Mutex
	created  map[int64]string // proposal id → state acknowledged
	accepted map[int64]int    // proposal id → number
	replied  map[int64]bool   // task id
}

// TestCrashSafety drives concurrent submissions, acceptances and replies,
// kills the server with SIGKILL in the middle, restarts it, and checks that
// everything acknowledged is there, numbers are gap-free and unique, and the
// audit chain verifies.
func TestCrashSafety(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		runCmd(t, "demo", "-seed-only", "-db", dsn, "-data", dir)
		srv := startServer(t, dsn, dir)
		ack := &acked{created: map[int64]string{}, accepted: map[int64]int{}, replied: map[int64]bool{}}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var errs sync.Map
		var lastErr atomic.Value
		// Members submit; the office accepts what it sees; the traffic unit replies.
		for m := 1; m <= 6; m++ {
			wg.Add(1)
			go func(m int) {
				defer wg.Done()
				c, err := login(srv.url, fmt.Sprintf("member%02d", m))
				if err != nil {
					errs.Store("login", err)
					return
				}
				for i := 0; ctx.Err() == nil; i++ {
					var p struct {
						ID    int64  `json:"id"`
						State string `json:"state"`
					}
					_, err := c.call("POST", "/api/v1/proposals", map[string]any{"title": fmt.Sprintf("关于第%d号委员第%d件测试提案的建议", m, i),
						"body": "调研情况：居民反映停车难。问题分析：车位不足。具体建议：建设立体停车场，推动错时共享停车。", "category": "城乡建设", "submit": true}, &p)
					if err == nil {
						ack.mu.Lock()
						ack.created[p.ID] = p.State
						ack.mu.Unlock()
					} else if ctx.Err() == nil {
						lastErr.Store(err.Error())
					}
				}
			}(m)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := login(srv.url, "office")
			if err != nil {
				errs.Store("office login", err)
				return
			}
			for ctx.Err() == nil {
				var list struct {
					Items []struct {
						ID int64 `json:"id"`
					} `json:"items"`
				}
				if _, err := c.call("GET", "/api/v1/proposals?state=under_review", nil, &list); err != nil {
					continue
				}
				for _, it := range list.Items {
					var p struct {
						Number int `json:"number"`
					}
					if _, err := c.call("POST", fmt.Sprintf("/api/v1/proposals/%d/accept", it.ID), map[string]string{}, &p); err == nil {
						ack.mu.Lock()
						ack.accepted[it.ID] = p.Number
						ack.mu.Unlock()
						c.call("POST", fmt.Sprintf("/api/v1/proposals/%d/assign", it.ID), map[string]any{"assignments": []map[string]any{{"unit_id": 12, "kind": "lead"}}}, nil)
					}
				}
			}
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := login(srv.url, "unit-jtj")
			if err != nil {
				errs.Store("unit login", err)
				return
			}
			for ctx.Err() == nil {
				var list struct {
					Items []struct {
						ID    int64  `json:"id"`
						State string `json:"state"`
					} `json:"items"`
				}
				if _, err := c.call("GET", "/api/v1/tasks?state=pending", nil, &list); err != nil {
					continue
				}
				for _, it := range list.Items {
					if _, err := c.call("POST", fmt.Sprintf("/api/v1/tasks/%d/accept", it.ID), map[string]string{}, nil); err != nil {
						continue
					}
					if _, err := c.call("POST", fmt.Sprintf("/api/v1/tasks/%d/reply", it.ID), map[string]string{"result_class": "B", "text": "已列入明年计划。"}, nil); err == nil {
						ack.mu.Lock()
						ack.replied[it.ID] = true
						ack.mu.Unlock()
					}
				}
			}
		}()
		// Kill in the middle of steady traffic: once enough has been
		// acknowledged, with writes still in flight.
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			ack.mu.Lock()
			enough := len(ack.created) >= 30 && len(ack.accepted) >= 5
			ack.mu.Unlock()
			if enough {
				break
			}
		}
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		srv.cmd.Wait()
		time.Sleep(300 * time.Millisecond)
		cancel()
		wg.Wait()
		errs.Range(func(k, v any) bool { t.Fatalf("%v: %v", k, v); return false })
		if len(ack.created) < 5 || len(ack.accepted) < 2 {
			t.Fatalf("too little traffic before the crash to mean anything: %d created, %d accepted (last error: %v)", len(ack.created), len(ack.accepted), lastErr.Load())
		}
		t.Logf("acknowledged before SIGKILL: %d submitted, %d accepted, %d replies", len(ack.created), len(ack.accepted), len(ack.replied))

		// Restart on the same database: everything acknowledged must be there.
		srv2 := startServer(t, dsn, dir)
		_ = srv2
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		c, err := st.CommitteeByCode(context.Background(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		office := zhengxie.Actor{CommitteeID: c.ID, Role: zhengxie.RoleOffice, UserID: -1}
		for id, state := range ack.created {
			p, err := st.Proposal(context.Background(), c.ID, id)
			if err != nil {
				t.Fatalf("acknowledged proposal %d (%s) lost after the crash: %v", id, state, err)
			}
			if p.State == zhengxie.StateDraft {
				t.Fatalf("proposal %d was acknowledged as submitted but is a draft", id)
			}
			if n, ok := ack.accepted[id]; ok && p.Number != n {
				t.Fatalf("proposal %d acknowledged as number %d, now %d", id, n, p.Number)
			}
		}
		for tid := range ack.replied {
			task, err := st.Task(context.Background(), c.ID, tid)
			if err != nil || task.State != zhengxie.TaskReplied {
				t.Fatalf("acknowledged reply of task %d lost: %v %v", tid, task, err)
			}
		}
		// Numbers per session: 1..n, no gap, no duplicate.
		all, _, err := st.Proposals(context.Background(), store.ProposalFilter{Viewer: office, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		bySession := map[int64][]int{}
		total := 0
		for off := 0; ; off += 200 {
			page, n, err := st.Proposals(context.Background(), store.ProposalFilter{Viewer: office, Limit: 200, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			total = n
			for _, p := range page {
				if p.Number > 0 {
					bySession[p.SessionID] = append(bySession[p.SessionID], p.Number)
				}
			}
			if off+200 >= n {
				break
			}
		}
		_ = all
		for sid, nums := range bySession {
			sort.Ints(nums)
			for i, n := range nums {
				if n != i+1 {
					t.Fatalf("session %d numbers not gap-free and unique: %v", sid, nums)
				}
			}
		}
		out := runCmd(t, "audit", "verify", "-db", dsn, "-data", dir)
		if !strings.Contains(out, "哈希链完整") {
			t.Fatalf("audit verify after the crash: %s", out)
		}
		t.Logf("after restart: %d proposals visible to the office, audit chain intact", total)
	})
}

var _ = filepath.Join
