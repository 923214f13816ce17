package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// draftOf reads the proposal form.
func draftOf(r *http.Request) (zhengxie.Draft, error) {
	var d zhengxie.Draft
	var err error
	for _, f := range []struct {
		name string
		dst  *string
	}{{"title", &d.Title}, {"body", &d.Body}, {"category", &d.Category}, {"kind", &d.Kind}, {"body_name", &d.BodyName}} {
		if *f.dst, err = formText(r, f.name); err != nil {
			return d, err
		}
	}
	for _, v := range r.Form["cosigners"] {
		for _, part := range strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == ' ' }) {
			id, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return d, zhengxie.FieldError("cosigners", "附议人选择有误")
			}
			d.Cosigners = append(d.Cosigners, id)
		}
	}
	return d, nil
}

type formData struct {
	P        *zhengxie.Proposal // nil for a new proposal
	Draft    zhengxie.Draft
	Err      formErr
	Errs     map[string]string // every field's problem, shown all at once
	Saved    string            // the draft was saved, but "file" (the upload) or "submit" failed
	failure  error
	Members  []zhengxie.User
	Selected map[int64]bool
	Cats     []string
	Limits   formLimits
	// Order is the topic order the new draft is written against (订单来源),
	// from /proposals/new?order=ID; it travels in the form as order_id.
	Order *zhengxie.TopicOrder
}

// formLimits are the limits the checks use, for the hints and for the
// checks app.js runs before asking to confirm a submission.
type formLimits struct{ MaxTitle, MinBody, MaxBody, MaxCosigners int }

var proposalLimits = formLimits{zhengxie.MaxTitleRunes, zhengxie.MinBodyRunes, zhengxie.MaxBodyRunes, zhengxie.MaxCosigners}

// formFieldOrder is the order of the fields on the form, for the summary.
var formFieldOrder = []string{"title", "kind", "category", "body_name", "body", "cosigners", "file"}

// problems fills Errs from err and, when the member asked to submit, adds
// what submission needs beyond saving, so that one answer lists everything
// to correct.
func (fd *formData) problems(err error, submit bool) []string {
	fd.Err = formErrOf(err)
	fd.Errs = map[string]string{}
	for _, e := range zhengxie.FieldErrors(err) {
		fd.Errs[e.Field] = e.Message
	}
	if submit && zhengxie.ErrorCode(err) == zhengxie.EInvalid {
		d := fd.Draft
		d.Normalize()
		for _, e := range zhengxie.DraftProblems(d, true) {
			if _, ok := fd.Errs[e.Field]; !ok {
				fd.Errs[e.Field] = e.Message
			}
		}
	}
	if fd.Err.Field != "" && fd.Errs[fd.Err.Field] == "" {
		fd.Errs[fd.Err.Field] = fd.Err.Msg
	}
	var msgs []string
	for _, f := range formFieldOrder {
		if m := fd.Errs[f]; m != "" {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		msgs = []string{fd.Err.Msg}
	}
	return msgs
}

func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, status int, fd *formData) {
	a := actorOf(r)
	ms, err := s.Svc.Store.Users(r.Context(), store.UserFilter{CommitteeID: a.CommitteeID, Role: zhengxie.RoleMember})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range ms {
		if m.ID != a.UserID {
			fd.Members = append(fd.Members, m)
		}
	}
	fd.Selected = map[int64]bool{}
	for _, id := range fd.Draft.Cosigners {
		fd.Selected[id] = true
	}
	fd.Cats = zhengxie.Categories
	fd.Limits = proposalLimits
	title := "撰写提案"
	if fd.P != nil {
		title = "修改提案"
	}
	page := &Page{Title: title, Nav: "new", D: fd}
	if fd.failure != nil {
		msgs := strings.Join(fd.problems(fd.failure, r.FormValue("submit") == "1" && fd.Saved != "file"), "；")
		switch fd.Saved {
		case "submit":
			page.Error = "草稿已保存，但尚未提交。提交前还需：" + msgs + "。改好后再点击“提交提案”。"
		case "file":
			page.Error = "草稿已保存，但附件未能上传：" + msgs
		default:
			page.Error = "提案未能保存：" + msgs + "（您填写的内容已保留）"
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, "proposal_form", page)
}

func (s *Server) proposalNew(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if role := actorOf(r).Role; role != zhengxie.RoleMember && role != zhengxie.RoleOffice {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有委员（或代集体提案录入的提案委员会）可以撰写提案。"))
		return
	}
	d := zhengxie.Draft{Kind: zhengxie.KindIndividual}
	if actorOf(r).Role == zhengxie.RoleOffice {
		d.Kind = zhengxie.KindBody
	}
	fd := &formData{Draft: d}
	if id := parseID(r.URL.Query().Get("order")); id != 0 {
		o, claim, err := s.Svc.TopicForDraft(r.Context(), actorOf(r), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		fd.Order = o
		if t := "关于" + strings.TrimSuffix(strings.TrimPrefix(o.Title, "关于"), "的建议") + "的建议"; utf8.RuneCountInString(t) <= zhengxie.MaxTitleRunes {
			fd.Draft.Title = t
		}
		if len(claim.MemberIDs) > 1 {
			fd.Draft.Kind, fd.Draft.Cosigners = zhengxie.KindJoint, claim.MemberIDs[1:]
		}
	}
	s.renderForm(w, r, http.StatusOK, fd)
}

// orderOfForm is the order a new draft's form was opened from, read back
// for a form shown again.
func (s *Server) orderOfForm(r *http.Request) *zhengxie.TopicOrder {
	id := parseID(r.FormValue("order_id"))
	if id == 0 {
		return nil
	}
	o, _, err := s.Svc.TopicForDraft(r.Context(), actorOf(r), id)
	if err != nil {
		return nil
	}
	return o
}

// proposalCreate saves a new draft, and submits it when asked. If the
// submission fails, the draft is kept and the form shows why.
func (s *Server) proposalCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := draftOf(r)
	if err != nil {
		s.renderForm(w, r, http.StatusUnprocessableEntity, &formData{Draft: d, failure: err, Order: s.orderOfForm(r)})
		return
	}
	var p *zhengxie.Proposal
	if order := parseID(r.FormValue("order_id")); order != 0 {
		p, err = s.Svc.CreateDraftFromTopic(r.Context(), actorOf(r), order, d)
	} else {
		p, err = s.Svc.CreateDraft(r.Context(), actorOf(r), d)
	}
	if err != nil {
		s.renderForm(w, r, statusOf[zhengxie.ErrorCode(err)], &formData{Draft: d, failure: err, Order: s.orderOfForm(r)})
		return
	}
	s.afterSave(w, r, p, d)
}

func (s *Server) afterSave(w http.ResponseWriter, r *http.Request, p *zhengxie.Proposal, d zhengxie.Draft) {
	if f, h, err := r.FormFile("file"); err == nil {
		data, rerr := io.ReadAll(io.LimitReader(f, app.MaxUpload+1))
		f.Close()
		if rerr == nil {
			_, err = s.Svc.AddAttachment(r.Context(), actorOf(r), p.ID, &app.Upload{Name: h.Filename, Data: data})
		} else {
			err = rerr
		}
		if err != nil {
			s.renderForm(w, r, statusOf[zhengxie.ErrorCode(err)], &formData{P: p, Draft: d, failure: err, Saved: "file"})
			return
		}
	}
	if r.FormValue("submit") == "1" {
		if _, err := s.Svc.Submit(r.Context(), actorOf(r), p.ID); err != nil {
			s.renderForm(w, r, statusOf[zhengxie.ErrorCode(err)], &formData{P: p, Draft: d, failure: err, Saved: "submit"})
			return
		}
		redirect(w, r, "/proposals/"+strconv.FormatInt(p.ID, 10), "submitted")
		return
	}
	redirect(w, r, "/proposals/"+strconv.FormatInt(p.ID, 10), "saved")
}

func (s *Server) proposalEdit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Proposal(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !v.Relation.IsProposer || !v.P.Editable() {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EIllegal, "只有提案人可以修改草稿；已提交的提案不能再修改。"))
		return
	}
	s.renderForm(w, r, http.StatusOK, &formData{P: v.P, Draft: app.DraftOf(v.P, v.Cosigners)})
}

func (s *Server) proposalUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := draftOf(r)
	p := &zhengxie.Proposal{ID: id}
	if err == nil {
		var saved *zhengxie.Proposal
		saved, err = s.Svc.SaveDraft(r.Context(), actorOf(r), id, d)
		if err == nil {
			s.afterSave(w, r, saved, d)
			return
		}
	}
	if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
		s.fail(w, r, err)
		return
	}
	s.renderForm(w, r, statusOf[zhengxie.ErrorCode(err)], &formData{P: p, Draft: d, failure: err})
}
