package web

import (
	"net/http"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// The admin's view of background jobs (任务队列).

type svJobsData struct {
	Jobs   []store.Job
	Counts map[string]int
	State  string
	Kind   string
	Pager  pager
	Scan   app.ScanReport
	Mail   bool
	SMS    string
	States []string
	Kinds  []string
}

func (s *Server) svJobs(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	if a.Role != zhengxie.RoleAdmin {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以查看后台任务"))
		return
	}
	const per = 50
	q := r.URL.Query()
	f := store.JobFilter{CommitteeID: a.CommitteeID, State: q.Get("state"), Kind: q.Get("kind"), Limit: per, Offset: (pageOf(r) - 1) * per}
	jobs, total, err := s.Svc.Store.Jobs(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.Svc.Store.JobCounts(r.Context(), a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch := s.Svc.Jobs().Channels()
	d := &svJobsData{Jobs: jobs, Counts: counts, State: f.State, Kind: f.Kind, Pager: newPager(r, total, per), Scan: s.Svc.Jobs().LastScan(),
		Mail: ch.MailOn(), States: []string{store.JobPending, store.JobRunning, store.JobFailed, store.JobDone},
		Kinds: []string{app.JobEmail, app.JobSMS, app.JobWebhook}}
	if ch.SMSOn() {
		d.SMS = ch.SMSName
		if d.SMS == "" {
			d.SMS = "已配置"
		}
	}
	s.svPage(w, r, 0, "admin_jobs", "任务队列", "jobs", formErr{}, d)
}

func (s *Server) svRetryJob(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.RetryJob(r.Context(), actorOf(r), svID(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	to := "/admin/jobs"
	if back := r.FormValue("back"); strings.HasPrefix(back, "/admin/jobs") {
		to = back
	}
	redirect(w, r, to, "sv_retry")
}

// ---- API ----

type apiJob struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	KindName    string    `json:"kind_name"`
	Label       string    `json:"label"`
	State       string    `json:"state"`
	StateName   string    `json:"state_name"`
	RunAt       time.Time `json:"run_at"`
	Attempts    int       `json:"attempts"`
	MaxAttempts int       `json:"max_attempts"`
	LastError   string    `json:"last_error,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	FinishedAt  time.Time `json:"finished_at,omitzero"`
}

// apiChannels says which channels the jobs can use.
type apiChannels struct {
	Email   bool   `json:"email"`
	SMS     bool   `json:"sms"`
	SMSName string `json:"sms_name,omitempty"`
}

// apiScan is the last deadline scan (reminders, overdue notices, escalations).
type apiScan struct {
	At          time.Time `json:"at,omitzero"`
	Committees  int       `json:"committees"`
	Tasks       int       `json:"tasks"`
	Reminders   int       `json:"reminders"`
	Overdues    int       `json:"overdues"`
	Escalations int       `json:"escalations"`
	Error       string    `json:"error,omitempty"`
}

// apiJobs is GET /api/v1/admin/jobs?state=&kind=&page=: the queue, its
// counts by state and which channels are configured.
func (s *Server) apiJobs(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusOK, func(a zhengxie.Actor) (any, error) {
		if a.Role != zhengxie.RoleAdmin {
			return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以查看后台任务")
		}
		const per = 50
		q := r.URL.Query()
		f := store.JobFilter{CommitteeID: a.CommitteeID, State: q.Get("state"), Kind: q.Get("kind"), Limit: per, Offset: (pageOf(r) - 1) * per}
		jobs, total, err := s.Svc.Store.Jobs(r.Context(), f)
		if err != nil {
			return nil, err
		}
		counts, err := s.Svc.Store.JobCounts(r.Context(), a.CommitteeID)
		if err != nil {
			return nil, err
		}
		items := []apiJob{}
		for _, j := range jobs {
			items = append(items, apiJob{ID: j.ID, Kind: j.Kind, KindName: app.JobKindName(j.Kind), Label: j.Label, State: j.State, StateName: app.JobStateName(j.State),
				RunAt: j.RunAt, Attempts: j.Attempts, MaxAttempts: j.MaxAttempts, LastError: j.LastError, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt, FinishedAt: j.FinishedAt})
		}
		ch := s.Svc.Jobs().Channels()
		sc := s.Svc.Jobs().LastScan()
		return map[string]any{"items": items, "total": total, "page": pageOf(r), "per_page": per, "counts": counts,
			"channels": apiChannels{Email: ch.MailOn(), SMS: ch.SMSOn(), SMSName: ch.SMSName},
			"last_scan": apiScan{At: sc.At, Committees: sc.Committees, Tasks: sc.Tasks, Reminders: sc.Reminders, Overdues: sc.Overdues,
				Escalations: sc.Escalations, Error: sc.Err}}, nil
	})
}

// apiRetryJob is POST /api/v1/admin/jobs/{id}/retry: a failed job runs again now.
func (s *Server) apiRetryJob(w http.ResponseWriter, r *http.Request) {
	s.apiAnswer(w, r, http.StatusAccepted, func(a zhengxie.Actor) (any, error) {
		id, err := idOf(r, "id")
		if err != nil {
			return nil, err
		}
		if err := s.Svc.RetryJob(r.Context(), a, id); err != nil {
			return nil, err
		}
		return map[string]any{"queued": true}, nil
	})
}
