package web

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
)

// The action tables: every lifecycle step of a proposal or a task, once,
// with how its input is read and which app call it makes. The proposal page
// (POST /proposals/{id}/{action}) and the API (POST
// /api/v1/proposals/{id}/{action}) dispatch through the same row, so the two
// cannot drift apart: what a form may send, a JSON body may send too.
// Marking a proposal key is not a step: key proposals exist only through
// the office's proposal and the chairs' approval (supervision_key.go).

// actCtx is what every step's app call needs.
type actCtx struct {
	ctx context.Context
	svc *app.Service
	a   zhengxie.Actor
}

// apiActionInput is the input of a proposal step. The API decodes it from
// JSON; a page form fills it from fields of the same names (see
// proposalFormInput). Each step reads only its own fields.
type apiActionInput struct {
	Comment     string `json:"comment"`
	Reason      string `json:"reason"`
	Into        int64  `json:"into"`
	IntoNumber  int    `json:"into_number"`
	Assignments []struct {
		UnitID int64  `json:"unit_id"`
		Kind   string `json:"kind"`
		Due    string `json:"due"`
	} `json:"assignments"`

	assignments []zhengxie.Assignment // from a form, or from Assignments
}

// proposalStep is one row of the proposal table.
type proposalStep struct {
	name string
	run  func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error)
}

var proposalSteps = []proposalStep{
	{"submit", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Submit(c.ctx, c.a, id)
	}},
	{"withdraw", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Withdraw(c.ctx, c.a, id, in.Comment)
	}},
	{"cosign", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Cosign(c.ctx, c.a, id, true)
	}},
	{"decline_cosign", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Cosign(c.ctx, c.a, id, false)
	}},
	{"close_cosign", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.CloseCosign(c.ctx, c.a, id)
	}},
	{"accept", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Accept(c.ctx, c.a, id, in.Comment)
	}},
	{"reject", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Reject(c.ctx, c.a, id, in.Reason)
	}},
	{"convert", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Convert(c.ctx, c.a, id, in.Reason)
	}},
	{"merge", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		// The office knows accepted proposals by their official number.
		if in.Into == 0 && in.IntoNumber > 0 {
			return c.svc.MergeByNumber(c.ctx, c.a, id, in.IntoNumber, in.Comment)
		}
		return c.svc.Merge(c.ctx, c.a, id, in.Into, in.Comment)
	}},
	{"assign", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Assign(c.ctx, c.a, id, in.assignments, in.Comment)
	}},
	{"conclude", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Conclude(c.ctx, c.a, id, in.Comment)
	}},
	{"publish", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Publish(c.ctx, c.a, id)
	}},
	{"unpublish", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Unpublish(c.ctx, c.a, id, in.Comment)
	}},
	{"archive", func(c actCtx, id int64, in *apiActionInput) (*zhengxie.Proposal, error) {
		return c.svc.Archive(c.ctx, c.a, id)
	}},
}

func proposalStepOf(name string) *proposalStep {
	for i := range proposalSteps {
		if proposalSteps[i].name == name {
			return &proposalSteps[i]
		}
	}
	return nil
}

// proposalFormInput reads a page form into the step input: the same names
// as the JSON fields, except the 交办 form (one kind select and due date per
// unit) and the 并案 form, where the office types an id (35) or an official
// number (第12号), or a merge suggestion's button sends the id as into_id.
func proposalFormInput(r *http.Request, step string) (*apiActionInput, error) {
	text := func(name string) string { v, _ := formText(r, name); return v }
	for _, f := range []string{"comment", "reason", "into", "into_id"} {
		if _, err := formText(r, f); err != nil {
			return nil, err
		}
	}
	in := &apiActionInput{Comment: text("comment"), Reason: text("reason")}
	switch step {
	case "assign":
		in.assignments = assignmentsOf(r)
	case "merge":
		if into, err := strconv.ParseInt(text("into_id"), 10, 64); err == nil {
			in.Into = into
			break
		}
		raw := text("into")
		n, err := strconv.Atoi(strings.Trim(raw, "第号 "))
		switch {
		case err != nil || n <= 0:
			return nil, zhengxie.FieldError("into", "请填写要并入的提案：系统序号（如 35），或已立案提案的编号（如 第12号）")
		case strings.ContainsAny(raw, "第号"):
			in.IntoNumber = n
		default:
			in.Into = int64(n)
		}
	}
	return in, nil
}

// proposalJSONInput reads an API body into the step input.
func proposalJSONInput(w http.ResponseWriter, r *http.Request) (*apiActionInput, error) {
	in := &apiActionInput{}
	if err := decode(w, r, in); err != nil {
		return nil, err
	}
	for _, x := range in.Assignments {
		in.assignments = append(in.assignments, zhengxie.Assignment{UnitID: x.UnitID, Kind: x.Kind, Due: x.Due})
	}
	return in, nil
}

// apiTaskInput is the input of a task step: JSON, or the fields of a form
// (the page's, or an API call's multipart/form-data carrying the letter).
type apiTaskInput struct {
	Reason      string `json:"reason"`
	Method      string `json:"method"`
	Date        string `json:"date"`
	Note        string `json:"note"`
	ResultClass string `json:"result_class"`
	Text        string `json:"text"`
	Feedback    string `json:"feedback"`

	file *app.Upload // the reply letter, from a multipart form only
}

// taskStep is one row of the task table. The page and the task's actions
// list use the domain's names (accept_task); the API's paths drop the
// suffix (/tasks/{id}/accept) and take both spellings.
type taskStep struct {
	name, api string
	run       func(c actCtx, id int64, in *apiTaskInput) (*zhengxie.Task, error)
}

var taskSteps = []taskStep{
	{"accept_task", "accept", func(c actCtx, id int64, in *apiTaskInput) (*zhengxie.Task, error) {
		return c.svc.AcceptTask(c.ctx, c.a, id)
	}},
	{"return_task", "return", func(c actCtx, id int64, in *apiTaskInput) (*zhengxie.Task, error) {
		return c.svc.ReturnTask(c.ctx, c.a, id, in.Reason)
	}},
	{"contact", "contact", func(c actCtx, id int64, in *apiTaskInput) (*zhengxie.Task, error) {
		return c.svc.RecordContact(c.ctx, c.a, id, in.Method, in.Date, in.Note)
	}},
	{"reply", "reply", func(c actCtx, id int64, in *apiTaskInput) (*zhengxie.Task, error) {
		return c.svc.Reply(c.ctx, c.a, id, zhengxie.Reply{ResultClass: in.ResultClass, Text: in.Text}, in.file)
	}},
	{"feedback", "feedback", func(c actCtx, id int64, in *apiTaskInput) (*zhengxie.Task, error) {
		return c.svc.Feedback(c.ctx, c.a, id, in.Feedback, in.Note)
	}},
	{"release_lead", "release_lead", func(c actCtx, id int64, in *apiTaskInput) (*zhengxie.Task, error) {
		return c.svc.ReleaseLead(c.ctx, c.a, id, in.Reason)
	}},
}

// taskStepOf finds a row by its page name or its API name.
func taskStepOf(name string, api bool) *taskStep {
	for i := range taskSteps {
		st := &taskSteps[i]
		if st.name == name || (api && st.api == name) {
			return st
		}
	}
	return nil
}

// taskFormInput reads a form (urlencoded or multipart) into the step input;
// a file in the field "file" is the reply letter.
func taskFormInput(r *http.Request) (*apiTaskInput, error) {
	in := &apiTaskInput{}
	for name, dst := range map[string]*string{"reason": &in.Reason, "method": &in.Method, "date": &in.Date, "note": &in.Note,
		"result_class": &in.ResultClass, "text": &in.Text, "feedback": &in.Feedback} {
		v, err := formText(r, name)
		if err != nil {
			return nil, err
		}
		*dst = v
	}
	f, h, err := r.FormFile("file")
	if err == http.ErrMissingFile || err == http.ErrNotMultipart {
		return in, nil
	}
	if err != nil {
		return nil, zhengxie.FieldError("file", "文件读取失败，请重新选择答复函（不超过%dMB）", app.MaxUpload>>20)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, app.MaxUpload+1))
	if err != nil {
		return nil, zhengxie.FieldError("file", "文件读取失败，请重新选择答复函（不超过%dMB）", app.MaxUpload>>20)
	}
	in.file = &app.Upload{Name: h.Filename, Data: data}
	return in, nil
}

// taskAPIInput reads an API call's input: JSON, or multipart/form-data when
// the call carries a file (the reply letter beside result_class and text).
func taskAPIInput(w http.ResponseWriter, r *http.Request) (*apiTaskInput, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.Body = http.MaxBytesReader(w, r.Body, app.MaxUpload+1<<20)
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return nil, zhengxie.FieldError("file", "请求体无法读取：multipart/form-data 的文件不能超过%dMB", app.MaxUpload>>20)
		}
		return taskFormInput(r)
	}
	in := &apiTaskInput{}
	return in, decode(w, r, in)
}

// proposalAction runs one lifecycle step posted from the proposal page.
func (s *Server) proposalAction(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	action := r.PathValue("action")
	step := proposalStepOf(action)
	if step == nil {
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	in, err := proposalFormInput(r, action)
	if err == nil {
		_, err = step.run(actCtx{r.Context(), s.Svc, actorOf(r)}, id, in)
	}
	if err != nil {
		if c := zhengxie.ErrorCode(err); c == zhengxie.ENotFound || c == zhengxie.EInternal {
			s.fail(w, r, err)
			return
		}
		s.renderShow(w, r, id, statusOf[zhengxie.ErrorCode(err)], zhengxie.ErrorMessage(err), formErrOf(err), 0)
		return
	}
	redirect(w, r, "/proposals/"+strconv.FormatInt(id, 10), action)
}

// apiProposalAction is the same step over the API.
func (s *Server) apiProposalAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	step := proposalStepOf(r.PathValue("action"))
	if err == nil && step == nil {
		err = zhengxie.NotFound("操作")
	}
	var in *apiActionInput
	if err == nil {
		in, err = proposalJSONInput(w, r)
	}
	var p *zhengxie.Proposal
	if err == nil {
		p, err = step.run(actCtx{r.Context(), s.Svc, actorOf(r)}, id, in)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIProposal(p, false))
}

// taskAction runs one step on a unit's task, posted from the proposal page.
func (s *Server) taskAction(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, ctx := actorOf(r), r.Context()
	t, err := s.Svc.Store.Task(ctx, a.CommitteeID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	action := r.PathValue("action")
	step := taskStepOf(action, false)
	if step == nil {
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	in, err := taskFormInput(r)
	if err == nil {
		_, err = step.run(actCtx{ctx, s.Svc, a}, id, in)
	}
	if err != nil {
		if c := zhengxie.ErrorCode(err); c == zhengxie.ENotFound || c == zhengxie.EInternal {
			s.fail(w, r, err)
			return
		}
		s.renderShow(w, r, t.ProposalID, statusOf[zhengxie.ErrorCode(err)], zhengxie.ErrorMessage(err), formErrOf(err), id)
		return
	}
	redirect(w, r, "/proposals/"+strconv.FormatInt(t.ProposalID, 10), action)
}

// apiTaskAction is the same step over the API.
func (s *Server) apiTaskAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	step := taskStepOf(r.PathValue("action"), true)
	if err == nil && step == nil {
		err = zhengxie.NotFound("操作")
	}
	var in *apiTaskInput
	if err == nil {
		in, err = taskAPIInput(w, r)
	}
	var t *zhengxie.Task
	if err == nil {
		t, err = step.run(actCtx{r.Context(), s.Svc, actorOf(r)}, id, in)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPITask(t, nil))
}

// offeredActions drops, from the domain's actions for the caller, the
// direct key marking: a proposal becomes key only through the office's
// proposal and the chairs' approval, so neither the page nor the API offer it.
func offeredActions(acts []zhengxie.Action) []zhengxie.Action {
	var out []zhengxie.Action
	for _, a := range acts {
		if a != zhengxie.ActMarkKey && a != zhengxie.ActUnmarkKey {
			out = append(out, a)
		}
	}
	return out
}
