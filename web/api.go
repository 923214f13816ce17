package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// decode reads a JSON body strictly: bounded size, valid UTF-8, known
// fields, right types. Every failure is a 4xx with a clear message.
func decode(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return zhengxie.Errorf(zhengxie.EInvalid, "请求体须为JSON（Content-Type: application/json）")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return zhengxie.Errorf(zhengxie.EInvalid, "请求体过大（上限1MB）")
	}
	if len(body) == 0 {
		return nil
	}
	if !utf8.Valid(body) {
		return zhengxie.Errorf(zhengxie.EInvalid, "请求体不是有效的UTF-8编码")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te) && te.Field != "": // a top-level array or string falls to the generic message
			return &zhengxie.Error{Code: zhengxie.EInvalid, Field: te.Field, Message: fmt.Sprintf("字段“%s”的类型错误，应为%s", te.Field, jsonTypeName(te.Type.Kind().String()))}
		case errors.As(err, &se):
			return zhengxie.Errorf(zhengxie.EInvalid, "JSON格式错误（第%d字节附近）", se.Offset)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return zhengxie.Errorf(zhengxie.EInvalid, "未知字段：%s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return zhengxie.Errorf(zhengxie.EInvalid, "JSON格式错误")
	}
	if _, err := dec.Token(); err != io.EOF { // dec.More() misses a stray "}" or "]"
		return zhengxie.Errorf(zhengxie.EInvalid, "请求体只能包含一个JSON对象")
	}
	return checkSurrogates(body)
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "字符串"
	case "int", "int64", "int32", "float64":
		return "数字"
	case "bool":
		return "布尔值"
	case "slice":
		return "数组"
	case "struct", "map":
		return "对象"
	}
	return kind
}

// API representations.

type apiProposal struct {
	ID           int64     `json:"id"`
	CommitteeID  int64     `json:"committee_id"`
	SessionID    int64     `json:"session_id"`
	Number       int       `json:"number"`
	NumberText   string    `json:"number_text,omitempty"`
	Title        string    `json:"title"`
	Body         string    `json:"body"`
	Category     string    `json:"category"`
	Kind         string    `json:"kind"`
	BodyName     string    `json:"body_name,omitempty"`
	ProposerID   int64     `json:"proposer_id,omitempty"`
	ProposerName string    `json:"proposer_name"`
	State        string    `json:"state"`
	StateName    string    `json:"state_name"`
	Published    bool      `json:"published"`
	Key          bool      `json:"key"`
	MergedInto   int64     `json:"merged_into,omitempty"`
	Reason       string    `json:"reason,omitempty"`
	SubmittedAt  time.Time `json:"submitted_at,omitzero"`
	AcceptedAt   time.Time `json:"accepted_at,omitzero"`
	CosignDue    time.Time `json:"cosign_due,omitzero"`
	UpdatedAt    time.Time `json:"updated_at"`
	OrderID      int64     `json:"order_id,omitempty"` // the topic order it was drafted from (detail only)
}

func toAPIProposal(p *zhengxie.Proposal, public bool) apiProposal {
	out := apiProposal{ID: p.ID, CommitteeID: p.CommitteeID, SessionID: p.SessionID, Number: p.Number, NumberText: p.NumberText(),
		Title: p.Title, Body: p.Body, Category: p.Category, Kind: p.Kind, BodyName: p.BodyName, ProposerID: p.ProposerID,
		ProposerName: p.ProposerName, State: string(p.State), StateName: p.State.Name(), Published: p.Published, Key: p.Key,
		MergedInto: p.MergedInto, Reason: p.Reason, SubmittedAt: p.SubmittedAt, AcceptedAt: p.AcceptedAt, CosignDue: p.CosignDue, UpdatedAt: p.UpdatedAt}
	if public {
		out.ProposerID = 0
	}
	return out
}

type apiTask struct {
	ID           int64     `json:"id"`
	ProposalID   int64     `json:"proposal_id"`
	UnitID       int64     `json:"unit_id"`
	UnitName     string    `json:"unit_name"`
	Kind         string    `json:"kind"`
	State        string    `json:"state"`
	StateName    string    `json:"state_name"`
	Due          string    `json:"due"`
	AssignedAt   time.Time `json:"assigned_at"`
	ReturnReason string    `json:"return_reason,omitempty"`
	Rehandled    bool      `json:"rehandled"`
	ResultClass  string    `json:"result_class,omitempty"`
	ReplyText    string    `json:"reply_text,omitempty"`
	RepliedAt    time.Time `json:"replied_at,omitzero"`
	Feedback     string    `json:"feedback,omitempty"`
	FeedbackNote string    `json:"feedback_note,omitempty"`
	Contacted    bool      `json:"contacted"`
	LeadReleased bool      `json:"lead_released,omitempty"`
	Actions      []string  `json:"actions,omitempty"`
	Title        string    `json:"title,omitempty"`
}

func toAPITask(t *zhengxie.Task, acts []zhengxie.TaskAction) apiTask {
	out := apiTask{ID: t.ID, ProposalID: t.ProposalID, UnitID: t.UnitID, UnitName: t.UnitName, Kind: t.Kind, State: string(t.State),
		StateName: t.State.Name(), Due: t.Due.String(), AssignedAt: t.AssignedAt, ReturnReason: t.ReturnReason, Rehandled: t.Rehandled,
		ResultClass: t.ResultClass, ReplyText: t.ReplyText, RepliedAt: t.RepliedAt, Feedback: t.Feedback, FeedbackNote: t.FeedbackNote, Contacted: t.Contacted,
		LeadReleased: t.LeadReleased}
	for _, a := range acts {
		out.Actions = append(out.Actions, string(a))
	}
	return out
}

type apiEvent struct {
	Seq       int64     `json:"seq"`
	Action    string    `json:"action"`
	Name      string    `json:"name"`
	Actor     string    `json:"actor"`
	FromState string    `json:"from_state,omitempty"`
	ToState   string    `json:"to_state,omitempty"`
	Comment   string    `json:"comment,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	At        time.Time `json:"at"`
	TaskID    int64     `json:"task_id,omitempty"`
}

type apiCoOpinion struct {
	TaskID    int64     `json:"task_id"`
	UnitName  string    `json:"unit_name"`
	State     string    `json:"state"`
	Text      string    `json:"text,omitempty"`
	RepliedAt time.Time `json:"replied_at,omitzero"`
}

type apiReplyVersion struct {
	TaskID       int64     `json:"task_id"`
	UnitName     string    `json:"unit_name"`
	Version      int       `json:"version"`
	Label        string    `json:"label"`
	Current      bool      `json:"current"`
	ResultClass  string    `json:"result_class,omitempty"`
	Text         string    `json:"text"`
	RepliedAt    time.Time `json:"replied_at"`
	Feedback     string    `json:"feedback,omitempty"`
	AttachmentID int64     `json:"attachment_id,omitempty"`
}

type apiAttachment struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	MIME   string `json:"mime"`
	TaskID int64  `json:"task_id,omitempty"`
	URL    string `json:"url"`
}

type apiCosigner struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

type apiProposalDetail struct {
	apiProposal
	Cosigners   []apiCosigner     `json:"cosigners"`
	Tasks       []apiTask         `json:"tasks"`
	Events      []apiEvent        `json:"events,omitempty"`
	Attachments []apiAttachment   `json:"attachments"`
	Actions     []string          `json:"actions"`
	NextStep    string            `json:"next_step"`
	CoOpinions  []apiCoOpinion    `json:"co_opinions,omitempty"`
	Replies     []apiReplyVersion `json:"replies,omitempty"`
	// SourceMatter is the citizen's matter the draft was made from, only
	// for those who may see that matter.
	SourceMatter *apiSourceMatter `json:"source_matter,omitempty"`
}

// apiSourceMatter is the link back from a proposal or a report to the
// citizen's matter it was made from: never the person.
type apiSourceMatter struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Link  string `json:"link"`
}

func toAPISourceMatter(m *app.SourceMatter) *apiSourceMatter {
	if m == nil {
		return nil
	}
	return &apiSourceMatter{m.ID, m.Title, m.Link}
}

func toAPIDetail(v *app.ProposalView) apiProposalDetail {
	d := apiProposalDetail{apiProposal: toAPIProposal(v.P, v.Public), Cosigners: []apiCosigner{}, Tasks: []apiTask{}, Attachments: []apiAttachment{}, Actions: []string{}}
	for _, c := range v.Cosigners {
		d.Cosigners = append(d.Cosigners, apiCosigner{c.UserID, c.Name, c.Status})
	}
	for i := range v.Tasks {
		d.Tasks = append(d.Tasks, toAPITask(&v.Tasks[i], v.TaskActions[v.Tasks[i].ID]))
	}
	for _, e := range v.Events {
		d.Events = append(d.Events, apiEvent{Seq: e.Seq, Action: e.Action, Name: zhengxie.Action(e.Action).Name(), Actor: e.ActorName,
			FromState: e.FromState, ToState: e.ToState, Comment: e.Comment, Detail: e.Detail(), At: e.CreatedAt, TaskID: e.TaskID})
	}
	d.NextStep = v.NextStep
	d.SourceMatter = toAPISourceMatter(v.Matter)
	if v.Order != nil {
		d.OrderID = v.Order.ID
	}
	for _, c := range v.CoOpinions {
		d.CoOpinions = append(d.CoOpinions, apiCoOpinion{c.TaskID, c.UnitName, string(c.State), c.Text, c.RepliedAt})
	}
	for _, r := range v.Replies {
		d.Replies = append(d.Replies, apiReplyVersion{r.TaskID, r.UnitName, r.Version, r.Label, r.Current, r.ResultClass, r.Text, r.RepliedAt, r.Feedback, r.AttachmentID})
	}
	for _, a := range v.Attachments {
		d.Attachments = append(d.Attachments, apiAttachment{a.ID, a.Name, a.Size, a.MIME, a.TaskID, "/attachments/" + strconv.FormatInt(a.ID, 10)})
	}
	for _, a := range offeredActions(v.Actions) {
		d.Actions = append(d.Actions, string(a))
	}
	return d
}

type apiUser struct {
	ID          int64  `json:"id"`
	CommitteeID int64  `json:"committee_id"`
	Username    string `json:"username"`
	Name        string `json:"name"`
	Role        string `json:"role"`
	UnitID      int64  `json:"unit_id,omitempty"`
}

func toAPIUser(u *zhengxie.User) apiUser {
	return apiUser{u.ID, u.CommitteeID, u.Username, u.Name, string(u.Role), u.UnitID}
}

// Handlers.

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		Code     string `json:"code"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	addr := clientAddr(r)
	if !s.limiter.allow("login:"+addr, time.Now()) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.ETooMany, "登录尝试过于频繁，请一分钟后再试"))
		return
	}
	tok, sess, u, err := s.Svc.LoginWithCode(r.Context(), in.Username, in.Password, in.Code, addr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, tok)
	writeJSON(w, http.StatusOK, map[string]any{"user": toAPIUser(u), "csrf_token": sess.CSRFToken})
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	if v := viewerOf(r); v.Token != "" {
		s.Svc.Logout(r.Context(), v.Token)
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	v := viewerOf(r)
	if v.User == nil {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": toAPIUser(v.User), "csrf_token": v.CSRFToken})
}

func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	us, err := s.Svc.Store.Units(r.Context(), actorOf(r).CommitteeID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []map[string]any{}
	for _, u := range us {
		out = append(out, map[string]any{"id": u.ID, "name": u.Name})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (s *Server) writeProposalList(w http.ResponseWriter, r *http.Request, f store.ProposalFilter, public bool) {
	ps, total, err := s.Svc.Store.Proposals(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]apiProposal, 0, len(ps))
	for i := range ps {
		p := &ps[i]
		if public {
			cp := *p
			cp.Body = zhengxie.Redact(cp.Body)
			p = &cp
		}
		items = append(items, toAPIProposal(p, public))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total, "page": pageOf(r), "per_page": perPage})
}

func (s *Server) apiProposals(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeProposalList(w, r, filterOf(r), false)
}

func (s *Server) apiPublicProposals(w http.ResponseWriter, r *http.Request) {
	c, err := s.publicCommittee(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeProposalList(w, r, publicFilterOf(r, c), true)
}

func (s *Server) apiPublicProposal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Proposal(r.Context(), zhengxie.Actor{}, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIDetail(v))
}

type apiDraft struct {
	Title     string  `json:"title"`
	Body      string  `json:"body"`
	Category  string  `json:"category"`
	Kind      string  `json:"kind"`
	BodyName  string  `json:"body_name"`
	Cosigners []int64 `json:"cosigners"`
	Submit    bool    `json:"submit"`
	OrderID   int64   `json:"order_id"` // drafted from this topic order (the caller's claim of it)
}

func (d apiDraft) draft() zhengxie.Draft {
	return zhengxie.Draft{Title: d.Title, Body: d.Body, Category: d.Category, Kind: d.Kind, BodyName: d.BodyName, Cosigners: d.Cosigners}
}

func (s *Server) apiCreateProposal(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiDraft
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	var p *zhengxie.Proposal
	var err error
	if in.OrderID != 0 {
		p, err = s.Svc.CreateDraftFromTopic(r.Context(), a, in.OrderID, in.draft())
	} else {
		p, err = s.Svc.CreateDraft(r.Context(), a, in.draft())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Submit {
		// A failed submission keeps the draft: the answer says so and carries its id.
		sp, err := s.Svc.Submit(r.Context(), a, p.ID)
		if err != nil {
			body := apiErrorOf(err)
			body.Error.Message += "（草稿已保存）"
			w.Header().Set("Location", "/api/v1/proposals/"+strconv.FormatInt(p.ID, 10))
			writeJSON(w, statusOf[zhengxie.ErrorCode(err)], map[string]any{"error": body.Error, "draft_id": p.ID})
			return
		}
		p = sp
	}
	w.Header().Set("Location", "/api/v1/proposals/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, toAPIProposal(p, false))
}

func (s *Server) apiProposal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Proposal(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIDetail(v))
}

func (s *Server) apiSaveProposal(w http.ResponseWriter, r *http.Request) {
	var in apiDraft
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	p, err := s.Svc.SaveDraft(r.Context(), actorOf(r), id, in.draft())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIProposal(p, false))
}

func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, app.MaxUpload+1<<20)
	f, h, err := r.FormFile("file")
	if err != nil {
		s.fail(w, r, zhengxie.FieldError("file", "请以multipart/form-data上传文件（字段名file，不超过%dMB）", app.MaxUpload>>20))
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, app.MaxUpload+1))
	f.Close()
	if err != nil {
		s.fail(w, r, zhengxie.FieldError("file", "文件读取失败"))
		return
	}
	att, err := s.Svc.AddAttachment(r.Context(), actorOf(r), id, &app.Upload{Name: h.Filename, Data: data})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, apiAttachment{att.ID, att.Name, att.Size, att.MIME, att.TaskID, "/attachments/" + strconv.FormatInt(att.ID, 10)})
}

// objectInput reads what every action on one object needs: the id in the
// path, a logged-in user and the JSON body. It answers the error itself.
func (s *Server) objectInput(w http.ResponseWriter, r *http.Request, in any) (int64, bool) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err == nil {
		err = decode(w, r, in)
	}
	if err != nil {
		s.fail(w, r, err)
		return 0, false
	}
	return id, true
}

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.taskFilterOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.Svc.Store.TaskRows(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]apiTask, 0, len(rows))
	for i := range rows {
		t := toAPITask(&rows[i].Task, nil)
		t.Title = rows[i].Title
		items = append(items, t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

// apiAnswer runs a read or an action for a logged-in caller and writes its
// answer as JSON with status (0 means 200), or 204 No Content for nil.
func (s *Server) apiAnswer(w http.ResponseWriter, r *http.Request, status int, f func(a zhengxie.Actor) (any, error)) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := f(actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if status == 0 {
		status = http.StatusOK
	}
	writeJSON(w, status, v)
}

// apiInput decodes a JSON body for apiAnswer's callers.
func apiInput[T any](w http.ResponseWriter, r *http.Request) (*T, error) {
	in := new(T)
	if err := requireUser(r); err != nil {
		return nil, err
	}
	return in, decode(w, r, in)
}

// queryInt reads an optional integer query parameter; a malformed one is a
// field error, not a silent default.
func queryInt(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, zhengxie.FieldError(name, "参数 %s 应为%d到%d的整数", name, lo, hi)
	}
	return n, nil
}

func idOf(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, zhengxie.NotFound("对象")
	}
	return id, nil
}
