package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// Supervision pages (督办): the dashboard, the overdue board, deadlines and
// extensions, key proposals, the evaluation of units, notification
// settings, and the admin pages of jobs, webhooks and the holiday calendar.

func init() {
	for k, v := range map[string]string{
		"sv_extension_requested": "延期申请已提交，等待提案委员会审批。",
		"sv_extension_approved":  "已同意延期，新的办理期限已生效并通知承办单位。",
		"sv_extension_refused":   "已作不同意延期处理，理由已告知承办单位。",
		"sv_key_proposed":        "已提交重点提案建议，等待主席会议审定。",
		"sv_key_decided":         "重点提案审定结果已保存并通知有关单位。",
		"sv_key_saved":           "督办信息已保存。",
		"sv_criteria":            "考评指标已保存，排名已按新指标计算。",
		"sv_notify":              "通知设置已保存。",
		"sv_retry":               "任务已重新排队，将立即执行。",
		"sv_webhook_saved":       "Webhook订阅已保存。",
		"sv_webhook_deleted":     "Webhook订阅已删除。",
		"sv_ping":                "测试消息已排队发送，请稍后刷新查看投递记录。",
		"sv_redeliver":           "已重新排队投递，请稍后刷新查看结果。",
		"sv_holidays":            "办理期限规则和节假日安排已保存。",
		"sv_unit_leader":         "单位督办领导已保存。",
	} {
		flashes[k] = v
	}
	funcs["svPercent"] = app.Percent
	funcs["svScore"] = app.Score
	funcs["svJobKind"] = app.JobKindName
	funcs["svJobState"] = app.JobStateName
	funcs["svEvent"] = app.WebhookEventName
	funcs["svBucket"] = app.BucketName
	funcs["svNeg"] = func(n int) int { return -n }
	funcs["svHasEvent"] = func(events []string, e string) bool {
		for _, x := range events {
			if x == e {
				return true
			}
		}
		return false
	}
	funcs["svAlertKind"] = func(k string) string {
		switch k {
		case store.AlertRemind:
			return "到期提醒"
		case store.AlertOverdue:
			return "超期通知"
		case store.AlertEscalate:
			return "报督办领导"
		}
		return k
	}
	funcs["svMask"] = func(secret string) string {
		if len(secret) <= 4 {
			return "****"
		}
		return secret[:4] + strings.Repeat("*", 8)
	}
}

func (s *Server) superviseRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /supervision", s.svDashboard)
	m.HandleFunc("GET /supervision/tasks", s.svTasks)
	m.HandleFunc("GET /supervision/overdue", s.svOverdue)
	m.HandleFunc("GET /supervision/deadlines", s.svDeadlines)
	m.HandleFunc("GET /supervision/tasks/{id}", s.svTask)
	m.HandleFunc("POST /supervision/tasks/{id}/extension", s.svRequestExtension)
	m.HandleFunc("GET /supervision/extensions", s.svExtensions)
	m.HandleFunc("POST /supervision/extensions/{id}/{decision}", s.svDecideExtension)

	m.HandleFunc("GET /key-proposals", s.svKeyBoard)
	m.HandleFunc("POST /key-proposals", s.svProposeKey)
	m.HandleFunc("POST /key-proposals/decide", s.svDecideKeys)
	m.HandleFunc("GET /key-proposals/{id}", s.svKey)
	m.HandleFunc("POST /key-proposals/{id}/leader", s.svKeyLeader)
	m.HandleFunc("POST /key-proposals/{id}/steps", s.svKeyStep)
	m.HandleFunc("POST /key-proposals/{id}/steps/{step}/done", s.svKeyStepDone)
	m.HandleFunc("POST /key-proposals/{id}/notes", s.svKeyNote)

	m.HandleFunc("GET /evaluation", s.svEvaluation)
	m.HandleFunc("GET /evaluation/export.xlsx", s.svEvaluationXLSX)
	m.HandleFunc("GET /evaluation/units/{id}", s.svEvaluationUnit)
	m.HandleFunc("POST /evaluation/criteria", s.svSaveCriteria)

	m.HandleFunc("GET /settings/notifications", s.svNotifySettings)
	m.HandleFunc("POST /settings/notifications", s.svSaveNotifySettings)

	m.HandleFunc("GET /admin/jobs", s.svJobs)
	m.HandleFunc("POST /admin/jobs/{id}/retry", s.svRetryJob)
	m.HandleFunc("GET /admin/webhooks", s.svWebhooks)
	m.HandleFunc("POST /admin/webhooks", s.svSaveWebhook)
	m.HandleFunc("GET /admin/webhooks/{id}", s.svWebhook)
	m.HandleFunc("POST /admin/webhooks/{id}", s.svSaveWebhook)
	m.HandleFunc("POST /admin/webhooks/{id}/delete", s.svDeleteWebhook)
	m.HandleFunc("POST /admin/webhooks/{id}/ping", s.svPingWebhook)
	m.HandleFunc("POST /admin/deliveries/{id}/redeliver", s.svRedeliver)
	m.HandleFunc("GET /admin/holidays", s.svHolidays)
	m.HandleFunc("POST /admin/holidays", s.svSaveHolidays)
	m.HandleFunc("POST /admin/units/{id}/leader", s.svUnitLeader)
}

// svForm keeps what the user typed, to fill the form again after an error.
func svForm(r *http.Request) map[string]string {
	out := map[string]string{}
	for k, vs := range r.PostForm {
		if k != csrfField && len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}

// svPostErr answers a failed form post: errors the user can fix are shown
// on the page again (rerender), others are the error page.
func (s *Server) svPostErr(w http.ResponseWriter, r *http.Request, err error, rerender func(status int, fe formErr)) {
	switch zhengxie.ErrorCode(err) {
	case zhengxie.EInvalid, zhengxie.EIllegal, zhengxie.EConflict:
		rerender(statusOf[zhengxie.ErrorCode(err)], formErrOf(err))
	default:
		s.fail(w, r, err)
	}
}

func svID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id
}

func svQueryID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return id
}

func (s *Server) svPage(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, fe formErr, d any) {
	p := &Page{Title: title, Nav: nav, D: d}
	if fe.Msg != "" && fe.Field == "" {
		p.Error = fe.Msg
	} else if fe.Msg != "" {
		p.Error = "请检查下面标出的内容：" + fe.Msg
	}
	if status != 0 && status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, name, p)
}

// ---------- dashboard and boards ----------

func (s *Server) svDashboard(w http.ResponseWriter, r *http.Request) {
	d, err := s.Svc.Dashboard(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, 0, "supervise_dashboard", "督办", "supervision", formErr{}, d)
}

type svTasksData struct {
	Tasks   []app.SupervisedTask
	Today   zhengxie.Date
	Filter  app.TaskQuery
	Units   []zhengxie.Unit
	Buckets any
	States  []zhengxie.TaskState
	Heading string
}

func (s *Server) svTaskList(w http.ResponseWriter, r *http.Request, q app.TaskQuery, name, title, nav string) {
	a := actorOf(r)
	tasks, today, err := s.Svc.SupervisedTasks(r.Context(), a, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.Svc.Store.Units(r.Context(), a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &svTasksData{Tasks: tasks, Today: today, Filter: q, Units: units, Buckets: app.Buckets, States: store.OpenTaskStates, Heading: title}
	var parts []string
	for _, u := range units {
		if u.ID == q.UnitID {
			parts = append(parts, u.Name)
		}
	}
	if q.Bucket != "" {
		parts = append(parts, app.BucketName(q.Bucket))
	}
	if q.State != "" {
		parts = append(parts, q.State.Name())
	}
	if len(parts) > 0 && name == "supervise_tasks" {
		d.Heading = "未答复任务：" + strings.Join(parts, " · ")
	}
	s.svPage(w, r, 0, name, title, nav, formErr{}, d)
}

// svUnitToOwn sends unit staff from the office's boards to their own
// deadlines page; it reports whether it did.
func svUnitToOwn(w http.ResponseWriter, r *http.Request) bool {
	if actorOf(r).Role == zhengxie.RoleUnit {
		http.Redirect(w, r, "/supervision/deadlines", http.StatusSeeOther)
		return true
	}
	return false
}

func (s *Server) svTasks(w http.ResponseWriter, r *http.Request) {
	if svUnitToOwn(w, r) {
		return
	}
	q := r.URL.Query()
	s.svTaskList(w, r, app.TaskQuery{UnitID: svQueryID(r, "unit"), Bucket: q.Get("bucket"), State: zhengxie.TaskState(q.Get("state")),
		KeyOnly: q.Get("key") == "1"}, "supervise_tasks", "未答复任务", "supervision")
}

func (s *Server) svOverdue(w http.ResponseWriter, r *http.Request) {
	if svUnitToOwn(w, r) {
		return
	}
	s.svTaskList(w, r, app.TaskQuery{Bucket: app.BucketOverdue, UnitID: svQueryID(r, "unit")}, "supervise_overdue", "超期督办", "supervision")
}

func (s *Server) svDeadlines(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if actorOf(r).Role != zhengxie.RoleUnit {
		http.Redirect(w, r, "/supervision/tasks", http.StatusSeeOther)
		return
	}
	s.svTaskList(w, r, app.TaskQuery{}, "supervise_deadlines", "办理期限", "deadlines")
}

// ---------- a task's deadline and extensions ----------

type svTaskData struct {
	*app.TaskDeadline
	Err  formErr
	Form map[string]string
}

func (s *Server) svRenderTask(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.TaskDeadline(r.Context(), actorOf(r), svID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nav := "supervision"
	if actorOf(r).Role == zhengxie.RoleUnit {
		nav = "deadlines"
	}
	s.svPage(w, r, status, "supervise_task", "办理期限", nav, fe, &svTaskData{TaskDeadline: v, Err: fe, Form: svForm(r)})
}

func (s *Server) svTask(w http.ResponseWriter, r *http.Request) { s.svRenderTask(w, r, 0, formErr{}) }

func (s *Server) svRequestExtension(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := svID(r, "id")
	due, _ := formText(r, "due")
	reason, _ := formText(r, "reason")
	if _, err := s.Svc.RequestExtension(r.Context(), actorOf(r), id, due, reason); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderTask(w, r, status, fe) })
		return
	}
	redirect(w, r, fmt.Sprintf("/supervision/tasks/%d", id), "sv_extension_requested")
}

type svExtData struct {
	Items []store.Extension
	State string
	Err   formErr
	ErrID int64
}

func (s *Server) svRenderExtensions(w http.ResponseWriter, r *http.Request, status int, fe formErr, errID int64) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	state := r.URL.Query().Get("state")
	if state == "" && r.URL.Query().Get("all") != "1" {
		state = store.ExtPending
	}
	items, err := s.Svc.PendingExtensions(r.Context(), actorOf(r), state)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "supervise_extensions", "延期申请", "supervision", fe, &svExtData{Items: items, State: state, Err: fe, ErrID: errID})
}

func (s *Server) svExtensions(w http.ResponseWriter, r *http.Request) {
	s.svRenderExtensions(w, r, 0, formErr{}, 0)
}

func (s *Server) svDecideExtension(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := svID(r, "id")
	decision := r.PathValue("decision")
	if decision != "approve" && decision != "refuse" {
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	note, _ := formText(r, "note")
	if _, err := s.Svc.DecideExtension(r.Context(), actorOf(r), id, decision == "approve", note); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderExtensions(w, r, status, fe, id) })
		return
	}
	to := "/supervision/extensions"
	if back := r.FormValue("back"); strings.HasPrefix(back, "/supervision/") {
		to = back
	}
	redirect(w, r, to, "sv_extension_"+map[string]string{"approve": "approved", "refuse": "refused"}[decision])
}

// ---------- key proposals ----------

type svKeyBoardData struct {
	Rows       []app.KeyRow
	Candidates []zhengxie.Proposal
	Leaders    []zhengxie.User
	Today      zhengxie.Date
	Err        formErr
	Form       map[string]string
	Approved   int
	Proposed   int
	Late       int
}

func (s *Server) svRenderKeyBoard(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	a, ctx := actorOf(r), r.Context()
	rows, err := s.Svc.KeyBoard(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &svKeyBoardData{Rows: rows, Err: fe, Form: svForm(r), Today: zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime())}
	for _, k := range rows {
		switch k.State {
		case store.KeyProposed:
			d.Proposed++
		case store.KeyApproved:
			d.Approved++
			if k.Late {
				d.Late++
			}
		}
	}
	if a.Role == zhengxie.RoleOffice {
		if d.Candidates, err = s.Svc.KeyCandidates(ctx, a); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Leaders, err = s.Svc.Store.Users(ctx, store.UserFilter{CommitteeID: a.CommitteeID, Role: zhengxie.RoleLeader}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.svPage(w, r, status, "supervise_keys", "重点提案", "keys", fe, d)
}

func (s *Server) svKeyBoard(w http.ResponseWriter, r *http.Request) {
	s.svRenderKeyBoard(w, r, 0, formErr{})
}

func (s *Server) svProposeKey(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	pid, _ := strconv.ParseInt(r.FormValue("proposal"), 10, 64)
	leader, _ := strconv.ParseInt(r.FormValue("leader"), 10, 64)
	reason, _ := formText(r, "reason")
	if pid == 0 {
		s.svRenderKeyBoard(w, r, http.StatusUnprocessableEntity, formErr{Field: "proposal", Msg: "请选择提案"})
		return
	}
	if _, err := s.Svc.ProposeKey(r.Context(), actorOf(r), pid, leader, reason); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderKeyBoard(w, r, status, fe) })
		return
	}
	redirect(w, r, "/key-proposals", "sv_key_proposed")
}

func (s *Server) svDecideKeys(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	var ids []int64
	for _, v := range r.PostForm["ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	note, _ := formText(r, "note")
	if _, err := s.Svc.DecideKeys(r.Context(), actorOf(r), ids, r.FormValue("decision") != "refuse", note); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderKeyBoard(w, r, status, fe) })
		return
	}
	to := "/key-proposals"
	if back := r.FormValue("back"); strings.HasPrefix(back, "/key-proposals/") {
		to = back
	}
	redirect(w, r, to, "sv_key_decided")
}

type svKeyData struct {
	*app.KeyDetail
	Kinds []string
	Err   formErr
	Form  map[string]string
	Today string
}

func (s *Server) svRenderKey(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Svc.KeyDetail(r.Context(), actorOf(r), svID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "supervise_key", d.Row.Title, "keys", fe, &svKeyData{KeyDetail: d, Kinds: app.KeyStepKinds, Err: fe, Form: svForm(r), Today: d.Today.String()})
}

func (s *Server) svKey(w http.ResponseWriter, r *http.Request) { s.svRenderKey(w, r, 0, formErr{}) }

func (s *Server) svKeyPost(w http.ResponseWriter, r *http.Request, do func(a zhengxie.Actor, id int64) error) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := svID(r, "id")
	if err := do(actorOf(r), id); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderKey(w, r, status, fe) })
		return
	}
	redirect(w, r, fmt.Sprintf("/key-proposals/%d", id), "sv_key_saved")
}

func (s *Server) svKeyLeader(w http.ResponseWriter, r *http.Request) {
	s.svKeyPost(w, r, func(a zhengxie.Actor, id int64) error {
		leader, _ := strconv.ParseInt(r.FormValue("leader"), 10, 64)
		return s.Svc.SetKeyLeader(r.Context(), a, id, leader)
	})
}

func (s *Server) svKeyStep(w http.ResponseWriter, r *http.Request) {
	s.svKeyPost(w, r, func(a zhengxie.Actor, id int64) error {
		title, _ := formText(r, "title")
		_, err := s.Svc.AddKeyStep(r.Context(), a, id, r.FormValue("kind"), title, r.FormValue("planned_on"))
		return err
	})
}

func (s *Server) svKeyStepDone(w http.ResponseWriter, r *http.Request) {
	s.svKeyPost(w, r, func(a zhengxie.Actor, id int64) error {
		note, _ := formText(r, "note")
		return s.Svc.CompleteKeyStep(r.Context(), a, id, svID(r, "step"), r.FormValue("done_on"), note)
	})
}

func (s *Server) svKeyNote(w http.ResponseWriter, r *http.Request) {
	s.svKeyPost(w, r, func(a zhengxie.Actor, id int64) error {
		text, _ := formText(r, "text")
		return s.Svc.AddKeyNote(r.Context(), a, id, text)
	})
}

// ---------- evaluation ----------

type svEvalData struct {
	*app.Evaluation
	Infos []app.CriterionInfo
	Err   formErr
	Form  map[string]string
	Edit  bool
}

func (s *Server) svRenderEvaluation(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	a := actorOf(r)
	e, err := s.Svc.Evaluate(r.Context(), a, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &svEvalData{Evaluation: e, Infos: e.Criteria.Infos(), Err: fe, Form: svForm(r),
		Edit: a.Role == zhengxie.RoleOffice || a.Role == zhengxie.RoleAdmin}
	s.svPage(w, r, status, "supervise_eval", "承办单位考评", "evaluation", fe, d)
}

func (s *Server) svEvaluation(w http.ResponseWriter, r *http.Request) {
	s.svRenderEvaluation(w, r, 0, formErr{})
}

func (s *Server) svEvaluationXLSX(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	var buf bytes.Buffer
	e, err := s.Svc.EvaluationXLSX(r.Context(), actorOf(r), year, &buf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("承办单位考评-%d.xlsx", e.Year)
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"evaluation-%d.xlsx\"; filename*=UTF-8''%s", e.Year, url.PathEscape(name)))
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func (s *Server) svEvaluationUnit(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	b, err := s.Svc.UnitBreakdown(r.Context(), actorOf(r), svID(r, "id"), year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, 0, "supervise_eval_unit", b.Unit.Name+"考评明细", "evaluation", formErr{}, b)
}

func (s *Server) svSaveCriteria(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	n := func(k string) int { v, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(k))); return v }
	c := app.Criteria{OnTime: n("on_time"), Contact: n("contact"), Satisfaction: n("satisfaction"), Returns: n("returns"),
		Rehandle: n("rehandle"), Basically: n("basically")}
	if err := s.Svc.SaveCriteria(r.Context(), actorOf(r), c); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderEvaluation(w, r, status, fe) })
		return
	}
	redirect(w, r, "/evaluation", "sv_criteria")
}

// ---------- notification settings ----------

type svNotifyData struct {
	*app.NotifySettings
	Err  formErr
	Form map[string]string
}

func (s *Server) svRenderNotify(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ns, err := s.Svc.NotifySettings(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "settings_notify", "通知设置", "settings", fe, &svNotifyData{NotifySettings: ns, Err: fe, Form: svForm(r)})
}

func (s *Server) svNotifySettings(w http.ResponseWriter, r *http.Request) {
	s.svRenderNotify(w, r, 0, formErr{})
}

func (s *Server) svSaveNotifySettings(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	email, _ := formText(r, "email")
	phone, _ := formText(r, "phone")
	if err := s.Svc.SaveNotifySettings(r.Context(), actorOf(r), email, phone, r.FormValue("want_email") == "1", r.FormValue("want_sms") == "1"); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderNotify(w, r, status, fe) })
		return
	}
	redirect(w, r, "/settings/notifications", "sv_notify")
}

// ---------- admin: jobs ----------

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

// ---------- admin: webhooks ----------

type svWebhooksData struct {
	Subs       []store.WebhookSubscription
	Sub        *store.WebhookSubscription
	Deliveries []store.WebhookDelivery
	Events     any
	Err        formErr
	Form       map[string]string
}

// svAdmin fails unless the viewer is the committee's admin.
func svAdmin(r *http.Request) error {
	if err := requireUser(r); err != nil {
		return err
	}
	if actorOf(r).Role != zhengxie.RoleAdmin {
		return zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以管理Webhook订阅")
	}
	return nil
}

func (s *Server) svRenderWebhooks(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	subs, err := s.Svc.Store.Webhooks(r.Context(), a.CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "admin_webhooks", "Webhook订阅", "webhooks", fe, &svWebhooksData{Subs: subs, Events: app.WebhookEvents, Err: fe, Form: svForm(r)})
}

func (s *Server) svWebhooks(w http.ResponseWriter, r *http.Request) {
	s.svRenderWebhooks(w, r, 0, formErr{})
}

func (s *Server) svRenderWebhook(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	sub, err := s.Svc.Store.Webhook(r.Context(), a.CommitteeID, svID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, err := s.Svc.Store.WebhookDeliveries(r.Context(), a.CommitteeID, sub.ID, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "admin_webhook", sub.Name, "webhooks", fe, &svWebhooksData{Sub: sub, Deliveries: ds, Events: app.WebhookEvents, Err: fe, Form: svForm(r)})
}

func (s *Server) svWebhook(w http.ResponseWriter, r *http.Request) {
	s.svRenderWebhook(w, r, 0, formErr{})
}

func (s *Server) svSaveWebhook(w http.ResponseWriter, r *http.Request) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	name, _ := formText(r, "name")
	u, _ := formText(r, "url")
	secret, _ := formText(r, "secret")
	sub := &store.WebhookSubscription{ID: svID(r, "id"), Name: name, URL: u, Secret: secret, Events: r.PostForm["events"], Active: r.FormValue("active") == "1"}
	if err := s.Svc.SaveWebhook(r.Context(), actorOf(r), sub); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) {
			if sub.ID != 0 {
				s.svRenderWebhook(w, r, status, fe)
			} else {
				s.svRenderWebhooks(w, r, status, fe)
			}
		})
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/webhooks/%d", sub.ID), "sv_webhook_saved")
}

func (s *Server) svDeleteWebhook(w http.ResponseWriter, r *http.Request) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.DeleteWebhook(r.Context(), actorOf(r), svID(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/webhooks", "sv_webhook_deleted")
}

func (s *Server) svPingWebhook(w http.ResponseWriter, r *http.Request) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id := svID(r, "id")
	if err := s.Svc.PingWebhook(r.Context(), actorOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/webhooks/%d", id), "sv_ping")
}

func (s *Server) svRedeliver(w http.ResponseWriter, r *http.Request) {
	if err := svAdmin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	d, err := s.Svc.Store.WebhookDelivery(r.Context(), a.CommitteeID, svID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.Redeliver(r.Context(), a, d.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/webhooks/%d", d.SubscriptionID), "sv_redeliver")
}

// ---------- admin: deadline rules, holidays, unit leaders ----------

type svHolidaysData struct {
	*app.DeadlineSettings
	Remind  string
	Units   []zhengxie.Unit
	Leaders []zhengxie.User
	Err     formErr
	Form    map[string]string
	Text    string
}

func (s *Server) svRenderHolidays(w http.ResponseWriter, r *http.Request, status int, fe formErr) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, ctx := actorOf(r), r.Context()
	ds, err := s.Svc.DeadlineSettings(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &svHolidaysData{DeadlineSettings: ds, Err: fe, Form: svForm(r), Text: ds.CalendarText}
	var nums []string
	for _, n := range ds.Rules.RemindDaysBefore {
		nums = append(nums, strconv.Itoa(n))
	}
	d.Remind = strings.Join(nums, ",")
	if t, ok := d.Form["calendar"]; ok {
		d.Text = t // what the admin typed stays after an error
	}
	if d.Units, err = s.Svc.Store.Units(ctx, a.CommitteeID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Leaders, err = s.Svc.Store.Users(ctx, store.UserFilter{CommitteeID: a.CommitteeID, Role: zhengxie.RoleLeader}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.svPage(w, r, status, "admin_holidays", "办理期限与节假日", "holidays", fe, d)
}

func (s *Server) svHolidays(w http.ResponseWriter, r *http.Request) {
	s.svRenderHolidays(w, r, 0, formErr{})
}

func (s *Server) svSaveHolidays(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	n := func(k string) int { v, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(k))); return v }
	rules := zhengxie.DeadlineRules{Counting: r.FormValue("counting"), TaskMonths: n("task_months"), CoHandleMonths: n("cohandle_months"),
		ReturnDays: n("return_days"), RehandleMonths: n("rehandle_months"), MaxMonths: n("max_months"), EscalateAfterDays: n("escalate_after_days")}
	for _, f := range strings.FieldsFunc(r.FormValue("remind_days_before"), func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '、' }) {
		v, err := strconv.Atoi(f)
		if err != nil {
			s.svRenderHolidays(w, r, http.StatusUnprocessableEntity, formErr{Field: "remind_days_before", Msg: "提醒天数应为用逗号分隔的整数，如“15,3”"})
			return
		}
		rules.RemindDaysBefore = append(rules.RemindDaysBefore, v)
	}
	text := r.FormValue("calendar")
	if err := s.Svc.SaveDeadlineSettings(r.Context(), actorOf(r), rules, text); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) {
			if fe.Field == "" && strings.HasPrefix(fe.Msg, "节假日安排有误") {
				fe.Field = "calendar"
			}
			s.svRenderHolidays(w, r, status, fe)
		})
		return
	}
	redirect(w, r, "/admin/holidays", "sv_holidays")
}

func (s *Server) svUnitLeader(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	leader, _ := strconv.ParseInt(r.FormValue("leader"), 10, 64)
	if err := s.Svc.SetUnitLeader(r.Context(), actorOf(r), svID(r, "id"), leader); err != nil {
		s.svPostErr(w, r, err, func(status int, fe formErr) { s.svRenderHolidays(w, r, status, fe) })
		return
	}
	redirect(w, r, "/admin/holidays", "sv_unit_leader")
}
