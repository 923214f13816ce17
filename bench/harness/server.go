package harness

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"zhengxie"
	"zhengxie/bench/load"
	"zhengxie/store"
)

// Process is a server running as a child process, as in production: its
// start-up and its memory are its own, not the benchmark's.
type Process struct {
	Base    string        // http://127.0.0.1:port
	Startup time.Duration // from exec to the first answer of /healthz
	Started time.Time     // when it was executed
	cmd     *exec.Cmd
	done    chan error
}

// Start runs name with args plus "-addr 127.0.0.1:<free port>" and waits
// until path answers 200, at most timeout. The child's output goes to log.
func Start(ctx context.Context, name string, args []string, path string, log *os.File, timeout time.Duration) (*Process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(name, append(append([]string{}, args...), "-addr", addr)...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	p := &Process{Base: "http://" + addr, cmd: cmd, done: make(chan error, 1)}
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.Started = start
	go func() { p.done <- cmd.Wait() }()
	deadline := start.Add(timeout)
	for {
		resp, err := client.Get(p.Base + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				p.Startup = time.Since(start)
				return p, nil
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			return nil, fmt.Errorf("%s 启动失败（%v），日志见 %s", name, err, log.Name())
		case <-ctx.Done():
			p.Stop()
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.Stop()
			return nil, fmt.Errorf("%s 在 %v 内没有就绪，日志见 %s", name, timeout, log.Name())
		}
	}
}

// PID of the child.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// PeakRSS is the most memory the child has held so far.
func (p *Process) PeakRSS() int64 {
	n, _ := load.PeakRSS(p.PID())
	return n
}

// Stop asks the child to shut down gracefully and waits for it; it is
// killed after ten seconds.
func (p *Process) Stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil // a signal ends it; that is what we asked for
		}
		return err
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		return <-p.done
	}
}

// WaitIdle waits until the child has used almost no CPU for a whole
// second: the end of what a server does in the background after it starts
// answering (loading the segmentation dictionary, building the similarity
// indexes, the first round of deadline jobs). It returns the time since
// exec. Measuring before that would charge the warm-up to the first
// scenario.
func (p *Process) WaitIdle(ctx context.Context, timeout time.Duration, started time.Time) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	last, quiet := cpuTicks(p.PID()), 0
	for quiet < 4 {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
		now := cpuTicks(p.PID())
		// Clock ticks are hundredths of a second: at most one in a quarter
		// second is under 4 % of a core.
		if now-last <= 1 {
			quiet++
		} else {
			quiet = 0
		}
		last = now
		if time.Now().After(deadline) {
			return time.Since(started), fmt.Errorf("服务进程在 %v 内没有空闲下来", timeout)
		}
	}
	return time.Since(started) - time.Second, nil
}

// cpuTicks is the user and system time of process pid, in clock ticks.
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces; the fields after it do not.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return u + k
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// baselinePage is the smallest page a server can render from its database.
var baselinePage = template.Must(template.New("baseline").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p>编号 {{.ID}}</p></body></html>
`))

// BaselineHandler is the machine's own limit: one row read through the
// store's reader pool and one small template, with nothing else
// (no session, no middleware). The server's pages are measured against it.
func BaselineHandler(st *store.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /baseline/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		title, err := st.ProposalTitle(r.Context(), id)
		if err != nil {
			if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
				http.NotFound(w, r)
				return
			}
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var b strings.Builder
		if err := baselinePage.Execute(&b, struct {
			ID    int64
			Title string
		}{id, title}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(b.String()))
	})
	return mux
}

// ServeBaseline serves BaselineHandler on addr until ctx ends, with the
// same http.Server settings as `zhengxie serve`.
func ServeBaseline(ctx context.Context, dsn, addr string) error {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: BaselineHandler(st), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}
