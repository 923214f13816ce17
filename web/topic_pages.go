package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// Topic orders for people: the order list (/topics) with search and
// filters, the form a unit (or the office) writes an order in, and one
// order with what the viewer may do now — review, claim, ask for a joint
// study, answer one, or write the proposal from it.

func init() {
	funcs["topicState"] = func(s zhengxie.TopicState) string { return s.Name() }
	funcs["topicAction"] = func(a zhengxie.TopicAction) string { return a.Name() }
	funcs["claimKindName"] = zhengxie.ClaimKindName
	funcs["claimStateName"] = zhengxie.ClaimStateName
	funcs["studyStateName"] = zhengxie.StudyStateName
	funcs["topicMay"] = func(list []zhengxie.TopicAction, x string) bool {
		for _, a := range list {
			if string(a) == x {
				return true
			}
		}
		return false
	}
	for k, v := range map[string]string{
		"topic_saved": "订单草稿已保存。", "topic_submit": "订单已提交，等待提案委员会审核。", "topic_publish": "订单已发布，已通知全体委员。",
		"topic_return": "订单已退回修改，理由已告知发布单位。", "topic_reject": "订单不予发布，理由已告知发布单位。", "topic_withdraw": "订单已撤回。",
		"topic_close": "订单已关闭。", "topic_claim": "认领成功，已通知发布订单的单位。现在可以根据订单撰写提案。", "topic_unclaim": "认领已撤回。",
		"topic_study": "联合调研申请已发送给发布订单的单位。", "topic_answer": "已答复联合调研申请，已通知委员。",
	} {
		flashes[k] = v
	}
}

type topicListData struct {
	Orders      []zhengxie.TopicOrder
	States      []zhengxie.TopicState
	Units       []zhengxie.Unit
	Q           app.TopicQuery
	ExportQuery template.URL
	CanPost     bool
	Tip         string
}

func (s *Server) topicList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	q := topicQueryOf(r)
	d := &topicListData{Q: q, States: zhengxie.TopicStates, Tip: multiClaimTip, CanPost: a.Role == zhengxie.RoleUnit || a.Role == zhengxie.RoleOffice}
	var err error
	if d.Orders, err = s.Svc.Topics(r.Context(), a, q); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Units, err = s.Svc.Store.Units(r.Context(), a.CommitteeID); err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	for k, x := range map[string]string{"q": q.Query, "state": string(q.State)} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if q.UnitID != 0 {
		v.Set("unit_id", strconv.FormatInt(q.UnitID, 10))
	}
	d.ExportQuery = template.URL(v.Encode())
	s.render(w, r, "topic_list", &Page{Title: "订单式提案", Nav: "topics", D: d})
}

type topicFormData struct {
	O     *zhengxie.TopicOrder // nil for a new order
	In    app.TopicInput
	Units []zhengxie.Unit
	Err   formErr
	Errs  map[string]string
}

func topicInputOf(r *http.Request) (app.TopicInput, error) {
	in := app.TopicInput{UnitID: formInt(r, "unit_id")}
	var err error
	for _, f := range []struct {
		dst  *string
		name string
	}{{&in.Title, "title"}, {&in.Background, "background"}, {&in.Needs, "needs"}, {&in.Deadline, "deadline"},
		{&in.ContactName, "contact_name"}, {&in.ContactPhone, "contact_phone"}} {
		if *f.dst, err = formText(r, f.name); err != nil {
			return in, err
		}
	}
	return in, nil
}

func (s *Server) renderTopicForm(w http.ResponseWriter, r *http.Request, status int, d *topicFormData, failure error) {
	if failure != nil {
		d.Err = formErrOf(failure)
		d.Errs = map[string]string{}
		for _, e := range zhengxie.FieldErrors(failure) {
			if _, ok := d.Errs[e.Field]; !ok {
				d.Errs[e.Field] = e.Message
			}
		}
	}
	if actorOf(r).Role == zhengxie.RoleOffice {
		var err error
		if d.Units, err = s.Svc.Store.Units(r.Context(), actorOf(r).CommitteeID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	msg := ""
	if failure != nil && d.Err.Field == "" {
		msg = d.Err.Msg
	}
	s.render(w, r, "topic_form", &Page{Title: "发布订单式提案需求", Nav: "topics", Error: msg, D: d})
}

func (s *Server) topicNew(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if role := actorOf(r).Role; role != zhengxie.RoleUnit && role != zhengxie.RoleOffice {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有承办单位或提案委员会可以发布订单式提案需求。"))
		return
	}
	s.renderTopicForm(w, r, http.StatusOK, &topicFormData{}, nil)
}

// topicCreate saves a new order, and submits it when asked; a failed
// submission keeps the draft and shows why.
func (s *Server) topicCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := topicInputOf(r)
	if err != nil {
		s.renderTopicForm(w, r, http.StatusUnprocessableEntity, &topicFormData{In: in}, err)
		return
	}
	a := actorOf(r)
	o, err := s.Svc.PostTopic(r.Context(), a, in)
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderTopicForm(w, r, http.StatusUnprocessableEntity, &topicFormData{In: in}, err)
		return
	}
	s.afterTopicSave(w, r, o, in)
}

func (s *Server) afterTopicSave(w http.ResponseWriter, r *http.Request, o *zhengxie.TopicOrder, in app.TopicInput) {
	link := "/topics/" + strconv.FormatInt(o.ID, 10)
	if r.FormValue("submit") == "1" {
		if _, err := s.Svc.TopicAct(r.Context(), actorOf(r), o.ID, zhengxie.TopicActSubmit, app.TopicActInput{}); err != nil {
			if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
				s.fail(w, r, err)
				return
			}
			s.renderTopicForm(w, r, http.StatusUnprocessableEntity, &topicFormData{O: o, In: in}, err)
			return
		}
		redirect(w, r, link, "topic_submit")
		return
	}
	redirect(w, r, link, "topic_saved")
}

func (s *Server) topicEdit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Topic(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !slicesContains(v.Allowed, zhengxie.TopicActSave) {
		_, err := zhengxie.TopicTable.Next(v.O.State, zhengxie.TopicActSave, zhengxie.TopicParties(actorOf(r), v.O, v.Rel)...)
		s.fail(w, r, err)
		return
	}
	o := v.O
	s.renderTopicForm(w, r, http.StatusOK, &topicFormData{O: o, In: app.TopicInput{UnitID: o.UnitID, Title: o.Title, Background: o.Background,
		Needs: o.Needs, Deadline: o.Deadline, ContactName: o.ContactName, ContactPhone: o.ContactPhone}}, nil)
}

func slicesContains(list []zhengxie.TopicAction, a zhengxie.TopicAction) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

type topicShowData struct {
	V       *app.TopicView
	Err     formErr
	Members []zhengxie.User
	Sectors []zhengxie.Sector
	Tip     string
	Today   string
}

func (s *Server) renderTopic(w http.ResponseWriter, r *http.Request, id int64, status int, failure error) {
	v, err := s.Svc.Topic(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &topicShowData{V: v, Tip: multiClaimTip, Today: zhengxie.DateOf(s.Svc.Clock(), zhengxie.ChinaTime()).String()}
	if failure != nil {
		d.Err = formErrOf(failure)
	}
	if v.CanClaim && !v.Rel.Claimant {
		ms, err := s.Svc.Store.Users(r.Context(), store.UserFilter{CommitteeID: v.O.CommitteeID, Role: zhengxie.RoleMember, Active: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, m := range ms {
			if m.ID != actorOf(r).UserID {
				d.Members = append(d.Members, m)
			}
		}
		if d.Sectors, err = s.Svc.Store.Sectors(r.Context(), v.O.CommitteeID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	msg := ""
	if failure != nil {
		msg = d.Err.Msg
	}
	s.render(w, r, "topic_show", &Page{Title: v.O.Title, Nav: "topics", Error: msg, D: d})
}

func (s *Server) topicShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderTopic(w, r, id, http.StatusOK, nil)
}

// topicAction runs a step posted from the order's page: the same steps as
// POST /api/v1/topics/{id}/{action}, and "edit" (PUT /api/v1/topics/{id}).
func (s *Server) topicAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	action := r.PathValue("action")
	switch action {
	case "edit":
		in, err := topicInputOf(r)
		var o *zhengxie.TopicOrder
		if err == nil {
			o, err = s.Svc.SaveTopic(r.Context(), actorOf(r), id, in)
		}
		if err != nil {
			if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
				s.fail(w, r, err)
				return
			}
			v, verr := s.Svc.Topic(r.Context(), actorOf(r), id)
			if verr != nil {
				s.fail(w, r, verr)
				return
			}
			s.renderTopicForm(w, r, http.StatusUnprocessableEntity, &topicFormData{O: v.O, In: in}, err)
			return
		}
		s.afterTopicSave(w, r, o, in)
		return
	case "submit", "publish", "return", "reject", "withdraw", "close", "claim", "unclaim", "study":
	default:
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	in := apiTopicActInput{Kind: strings.TrimSpace(r.FormValue("kind")), SectorID: formInt(r, "sector_id")}
	for _, f := range []struct {
		dst  *string
		name string
	}{{&in.Reason, "reason"}, {&in.Note, "note"}} {
		if *f.dst, err = formText(r, f.name); err != nil {
			s.renderTopic(w, r, id, http.StatusUnprocessableEntity, err)
			return
		}
	}
	for _, m := range r.Form["member_ids"] {
		if n, err := strconv.ParseInt(m, 10, 64); err == nil && n > 0 {
			in.MemberIDs = append(in.MemberIDs, n)
		}
	}
	if err := s.topicStep(r, id, action, in); err != nil {
		if c := zhengxie.ErrorCode(err); c != zhengxie.EInvalid && c != zhengxie.EIllegal && c != zhengxie.EConflict {
			s.fail(w, r, err)
			return
		}
		s.renderTopic(w, r, id, statusOf[zhengxie.ErrorCode(err)], err)
		return
	}
	redirect(w, r, "/topics/"+strconv.FormatInt(id, 10), "topic_"+action)
}

func (s *Server) topicStudyAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	study, err := strconv.ParseInt(r.PathValue("study"), 10, 64)
	if err != nil || study <= 0 {
		s.fail(w, r, zhengxie.NotFound("联合调研申请"))
		return
	}
	in := app.StudyAnswer{Accept: r.FormValue("accept") == "1"}
	if in.Date, err = formText(r, "date"); err == nil {
		in.Note, err = formText(r, "note")
	}
	if err == nil {
		_, err = s.Svc.AnswerStudy(r.Context(), actorOf(r), id, study, in)
	}
	if err != nil {
		if c := zhengxie.ErrorCode(err); c != zhengxie.EInvalid && c != zhengxie.EIllegal {
			s.fail(w, r, err)
			return
		}
		s.renderTopic(w, r, id, statusOf[zhengxie.ErrorCode(err)], err)
		return
	}
	redirect(w, r, "/topics/"+strconv.FormatInt(id, 10), "topic_answer")
}
