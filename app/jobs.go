package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// Jobs are what happens after a commit: e-mails, SMS and webhook
// deliveries. Each is a row of the jobs table written in the transaction
// of the change that causes it (see store/jobs.go for why a table of our
// own), and a pool of workers runs them once committed, retrying with
// ntf.Backoff. A failure (an unreachable mail server, a webhook that
// times out) stays in the table for the admin page and the log; the user
// whose action caused the job never waits for it.

// Kinds of jobs.
const (
	JobEmail   = "email"
	JobSMS     = "sms"
	JobWebhook = "webhook"
	// JobNotice (notice.go) fans one notice out into the three above.
)

// JobKindName is the Chinese name of a job kind.
func JobKindName(kind string) string {
	switch kind {
	case JobEmail:
		return "邮件"
	case JobSMS:
		return "短信"
	case JobWebhook:
		return "Webhook"
	case JobNotice:
		return "通知分发"
	case JobReindex:
		return "重建检索索引"
	}
	return kind
}

// JobStateName is the Chinese name of a job state.
func JobStateName(state string) string {
	switch state {
	case store.JobPending:
		return "等待执行"
	case store.JobRunning:
		return "执行中"
	case store.JobDone:
		return "已完成"
	case store.JobFailed:
		return "失败"
	}
	return state
}

// Channels are the senders the jobs use. A nil Mailer (or one without a
// host) turns e-mail off, a nil SMS turns SMS off: nothing is queued for a
// channel that cannot deliver.
type Channels struct {
	Mailer  *ntf.Mailer
	SMS     ntf.SMSSender
	SMSName string       // how the settings page names the SMS channel, e.g. "短信网关"
	Webhook *http.Client // nil: notify's client (15 s, no redirects)
	// BaseURL is the address of the site as users reach it, for links in
	// e-mails ("https://zx.example.cn"); empty leaves links out.
	BaseURL string
}

// MailOn reports whether e-mail can be sent.
func (c Channels) MailOn() bool { return c.Mailer != nil && c.Mailer.Host != "" }

// SMSOn reports whether SMS can be sent.
func (c Channels) SMSOn() bool { return c.SMS != nil }

// initialChannels are the development defaults until the command sets the
// configured ones (JobRunner.SetChannels): SMS goes to the log, e-mail is
// off until a server is configured.
func initialChannels(s *Service) Channels {
	return Channels{SMS: ntf.LogSMS{Logger: s.Log}, SMSName: "开发模式（仅写入日志，不实际发送）"}
}

// JobHandler runs one job. An error marked ntf.Permanent is not retried.
type JobHandler func(ctx context.Context, j *store.Job) error

// JobRunner is the worker pool of a service.
type JobRunner struct {
	svc *Service
	// Workers is the size of the pool; Poll how often an idle worker looks
	// for due jobs when nobody wakes it (a retry's time has come, or a job
	// was queued by another instance); Lease how long a claimed job is held
	// before another worker may take it over; Timeout the limit of one run.
	Workers int
	Poll    time.Duration
	Lease   time.Duration
	Timeout time.Duration

	id       string
	handlers map[string]JobHandler
	wake     chan struct{}

	mu       sync.Mutex
	channels Channels
	enabled  bool
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	lastScan ScanReport
}

// runners holds the JobRunner of each Service. It lives beside the Service
// rather than in it so that this feature stays in its own files; a Service
// is long-lived, so the map does not grow in a server.
var runners sync.Map // *Service → *JobRunner

// Jobs returns the service's job runner, creating it on first use.
func (s *Service) Jobs() *JobRunner {
	if r, ok := runners.Load(s); ok {
		return r.(*JobRunner)
	}
	r := &JobRunner{svc: s, Workers: 2, Poll: 5 * time.Second, Lease: 2 * time.Minute, Timeout: time.Minute,
		id: "w-" + RandomToken()[:10], wake: make(chan struct{}, 8), channels: initialChannels(s)}
	// Every module's kinds of job, registered with the runner itself:
	// handling a job starts nothing; the workers run only once serve
	// enables the background loop.
	r.handlers = map[string]JobHandler{JobEmail: r.sendEmail, JobSMS: r.sendSMS, JobWebhook: r.sendWebhook, JobNotice: r.runNotice, JobReindex: r.runReindex,
		JobDutyRecompute: s.runRecompute, JobDutyReminder: s.runReminder, JobCitizenSMS: r.sendCitizenSMS}
	actual, _ := runners.LoadOrStore(s, r)
	return actual.(*JobRunner)
}

// EnableSupervision adds the deadline scan and the job workers to the
// service's background loop; the command that serves calls it (nothing
// else starts background work) (StartBackground runs Periodic every minute;
// the first round starts the workers with the loop's context, so that
// StopBackground stops them). Calling it again does nothing.
func (s *Service) EnableSupervision() {
	r := s.Jobs()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.enabled {
		return
	}
	r.enabled = true
	// Alerts are per day, so the full scan runs every ten minutes (to pick
	// up new and extended tasks soon enough) and at once when the day
	// changes; the loop calls Periodic every minute from one goroutine.
	var last time.Time
	s.Periodic = append(s.Periodic, func(ctx context.Context) error {
		r.Start(ctx)
		return nil
	}, func(ctx context.Context) error {
		now := s.now()
		sameDay := zhengxie.DateOf(now, zhengxie.ChinaTime()) == zhengxie.DateOf(last, zhengxie.ChinaTime())
		if sameDay && now.Sub(last) < 10*time.Minute && now.After(last) {
			return nil
		}
		last = now
		_, err := s.ScanDeadlines(ctx)
		if _, terr := s.ScanTokenExpiry(ctx); terr != nil && err == nil {
			err = terr
		}
		return errors.Join(err, s.scanContact(ctx)) // forwarded matters' deadlines (app/matter_scan.go)
	})
}

// SetChannels replaces the senders.
func (r *JobRunner) SetChannels(c Channels) {
	r.mu.Lock()
	r.channels = c
	r.mu.Unlock()
}

// Channels returns the senders.
func (r *JobRunner) Channels() Channels {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.channels
}

// Handle registers the handler of a kind of job (tests, future kinds).
func (r *JobRunner) Handle(kind string, h JobHandler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[kind] = h
}

// Wake tells idle workers that a job was queued.
func (r *JobRunner) Wake() {
	for i := 0; i < cap(r.wake); i++ {
		select {
		case r.wake <- struct{}{}:
		default:
			return
		}
	}
}

// Start runs the workers until ctx ends or Stop. Jobs left pending by an
// earlier run (a restart, a crash) are picked up at once, and jobs whose
// worker died are taken over when their lease runs out.
func (r *JobRunner) Start(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		return
	}
	ctx, r.cancel = context.WithCancel(ctx)
	for i := 0; i < max(r.Workers, 1); i++ {
		r.wg.Add(1)
		go r.work(ctx)
	}
}

// Stop stops the workers and waits for the jobs they are running; a job
// interrupted by the stop goes back to the queue without losing an attempt.
func (r *JobRunner) Stop() {
	r.mu.Lock()
	cancel := r.cancel
	r.cancel = nil
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		r.wg.Wait()
	}
}

func (r *JobRunner) work(ctx context.Context) {
	defer r.wg.Done()
	idle := time.NewTimer(0)
	defer idle.Stop()
	for {
		ran, err := r.RunOne(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.svc.Log.Warn("job queue", "err", err)
		}
		if ran && err == nil {
			continue
		}
		idle.Reset(r.Poll)
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-idle.C:
		}
	}
}

// RunDue runs due jobs one after the other until none is left, and returns
// how many ran. Tests and the command line use it instead of the pool.
func (r *JobRunner) RunDue(ctx context.Context) (int, error) {
	n := 0
	for {
		ran, err := r.RunOne(ctx)
		if err != nil || !ran {
			return n, err
		}
		n++
	}
}

// RunOne claims one due job and runs it; it reports false when none was due.
func (r *JobRunner) RunOne(ctx context.Context) (bool, error) {
	st := r.svc.Store
	j, err := st.ClaimJob(ctx, r.id, r.svc.now(), r.Lease)
	if err != nil || j == nil {
		return false, err
	}
	r.mu.Lock()
	h := r.handlers[j.Kind]
	r.mu.Unlock()
	var runErr error
	if h == nil {
		runErr = ntf.Permanent(fmt.Errorf("未知的任务类型“%s”", j.Kind))
	} else {
		timeout := r.Timeout
		if j.Kind == JobReindex {
			// A rebuild reads every proposal; it keeps its lease as it goes.
			timeout = reindexTimeout
		}
		jctx, cancel := context.WithTimeout(ctx, timeout)
		runErr = safeRun(h, jctx, j)
		cancel()
	}
	// The queue must be updated even when ctx was cancelled by a shutdown.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now := r.svc.now()
	switch {
	case runErr == nil:
		_, err = st.FinishJob(sctx, j, r.id, now)
	case ctx.Err() != nil:
		_, err = st.ReleaseJob(sctx, j, r.id, now)
	case ntf.IsPermanent(runErr) || j.Attempts >= j.MaxAttempts:
		r.svc.Log.Warn("job failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", runErr)
		_, err = st.FailJob(sctx, j, r.id, runErr.Error(), now)
	default:
		next := now.Add(ntf.Backoff(j.Attempts))
		r.svc.Log.Warn("job will be retried", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "retry_at", next.Format(time.DateTime), "err", runErr)
		_, err = st.RetryJob(sctx, j, r.id, runErr.Error(), next, now)
	}
	return true, err
}

// safeRun keeps a panicking handler from taking the worker down with it.
func safeRun(h JobHandler, ctx context.Context, j *store.Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("任务执行时发生内部错误：%v", v)
		}
	}()
	return h(ctx, j)
}

// LastScan reports the latest deadline scan, for the admin page.
func (r *JobRunner) LastScan() ScanReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastScan
}

func (r *JobRunner) setLastScan(rep ScanReport) {
	r.mu.Lock()
	r.lastScan = rep
	r.mu.Unlock()
}

// ---------- queueing, inside the transaction of the change ----------

// enqueue adds a job to tx and wakes the workers once tx commits.
func (s *Service) enqueue(tx *store.Tx, j *store.Job) error {
	added, err := tx.Enqueue(j)
	if err != nil {
		return err
	}
	if added {
		tx.AfterCommit(s.Jobs().Wake)
	}
	return nil
}

// RetryJob is the admin's retry button.
func (s *Service) RetryJob(ctx context.Context, a zhengxie.Actor, id int64) error {
	if err := requireRole(a, "重试后台任务", zhengxie.RoleAdmin); err != nil {
		return err
	}
	if err := s.Store.RetryJobNow(ctx, a.CommitteeID, id, s.now()); err != nil {
		return err
	}
	s.Jobs().Wake()
	return nil
}
