package web

import (
	"net/http"
	"strings"

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
