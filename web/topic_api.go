package web

import (
	"net/http"
	"strconv"
	"time"

	"zhengxie"
	"zhengxie/app"
)

// Topic orders (订单式提案) over the JSON API (documented in
// openapi/topic.json). The contact phone is in an answer only for the
// office, the poster and the claimants.

type apiTopic struct {
	ID           int64  `json:"id"`
	UnitID       int64  `json:"unit_id"`
	Unit         string `json:"unit"`
	Title        string `json:"title"`
	Background   string `json:"background"`
	Needs        string `json:"needs"`
	Deadline     string `json:"deadline"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone,omitempty"`
	State        string `json:"state"`
	StateName    string `json:"state_name"`
	Reason       string `json:"reason,omitempty"`
	Claims       int    `json:"claims"`
	Proposals    int    `json:"proposals"`
	PublishedAt  string `json:"published_at,omitempty"`
	CreatedAt    string `json:"created_at"`
}

func toAPITopic(o *zhengxie.TopicOrder) apiTopic {
	return apiTopic{ID: o.ID, UnitID: o.UnitID, Unit: o.UnitName, Title: o.Title, Background: o.Background, Needs: o.Needs, Deadline: o.Deadline,
		ContactName: o.ContactName, ContactPhone: o.ContactPhone, State: string(o.State), StateName: o.State.Name(), Reason: o.Reason,
		Claims: o.Claims, Proposals: o.Proposals, PublishedAt: apiTime(o.PublishedAt), CreatedAt: apiTime(o.CreatedAt)}
}

type apiTopicClaim struct {
	ID         int64    `json:"id"`
	ClaimantID int64    `json:"claimant_id"`
	Claimant   string   `json:"claimant"`
	Kind       string   `json:"kind"`
	KindName   string   `json:"kind_name"`
	SectorID   int64    `json:"sector_id,omitempty"`
	Sector     string   `json:"sector,omitempty"`
	MemberIDs  []int64  `json:"member_ids"`
	Members    []string `json:"members"`
	Note       string   `json:"note"`
	State      string   `json:"state"`
	StateName  string   `json:"state_name"`
	ProposalID int64    `json:"proposal_id,omitempty"`
	CreatedAt  string   `json:"created_at"`
}

type apiTopicStudy struct {
	ID          int64  `json:"id"`
	ClaimID     int64  `json:"claim_id"`
	RequestedBy string `json:"requested_by"`
	Note        string `json:"note"`
	State       string `json:"state"`
	StateName   string `json:"state_name"`
	Date        string `json:"date,omitempty"`
	Answer      string `json:"answer,omitempty"`
	CreatedAt   string `json:"created_at"`
	AnsweredAt  string `json:"answered_at,omitempty"`
}

type apiTopicProposal struct {
	ID       int64  `json:"id"`
	Number   string `json:"number,omitempty"`
	Title    string `json:"title"`
	Proposer string `json:"proposer"`
	State    string `json:"state"`
	ClaimID  int64  `json:"claim_id"`
}

type apiTopicEvent struct {
	Action  string    `json:"action"`
	Name    string    `json:"name"`
	Actor   string    `json:"actor"`
	From    string    `json:"from_state,omitempty"`
	To      string    `json:"to_state,omitempty"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

type apiTopicDetail struct {
	apiTopic
	Allowed       []string           `json:"allowed"`
	CanClaim      bool               `json:"can_claim"`
	MyClaimID     int64              `json:"my_claim_id,omitempty"`
	ClaimList     []apiTopicClaim    `json:"claim_list"`
	Studies       []apiTopicStudy    `json:"studies"`
	ProposalList  []apiTopicProposal `json:"proposal_list"`
	Events        []apiTopicEvent    `json:"events"`
	SeesContact   bool               `json:"sees_contact"`
	DraftURL      string             `json:"draft_url,omitempty"`
	MultiClaimTip string             `json:"multi_claim_tip"`
}

// multiClaimTip says on every order what members often ask.
const multiClaimTip = "一个订单可以由多位委员（或多个界别）分别认领，每次认领对应一件提案；提案提交前可以撤回认领。"

func toAPITopicDetail(v *app.TopicView) apiTopicDetail {
	d := apiTopicDetail{apiTopic: toAPITopic(v.O), Allowed: []string{}, CanClaim: v.CanClaim, ClaimList: []apiTopicClaim{}, Studies: []apiTopicStudy{},
		ProposalList: []apiTopicProposal{}, Events: []apiTopicEvent{}, SeesContact: v.SeesContact, MultiClaimTip: multiClaimTip}
	for _, a := range v.Allowed {
		d.Allowed = append(d.Allowed, string(a))
	}
	if v.MyClaim != nil {
		d.MyClaimID = v.MyClaim.ID
		if v.MyClaim.ProposalID == 0 {
			d.DraftURL = "/proposals/new?order=" + strconv.FormatInt(v.O.ID, 10)
		}
	}
	for _, c := range v.Claims {
		d.ClaimList = append(d.ClaimList, apiTopicClaim{ID: c.ID, ClaimantID: c.ClaimantID, Claimant: c.Claimant, Kind: c.Kind, KindName: zhengxie.ClaimKindName(c.Kind),
			SectorID: c.SectorID, Sector: c.SectorName, MemberIDs: c.MemberIDs, Members: c.MemberNames, Note: c.Note, State: c.State,
			StateName: zhengxie.ClaimStateName(c.State), ProposalID: c.ProposalID, CreatedAt: apiTime(c.CreatedAt)})
	}
	for _, st := range v.Studies {
		d.Studies = append(d.Studies, apiTopicStudy{ID: st.ID, ClaimID: st.ClaimID, RequestedBy: st.Requester, Note: st.Note, State: st.State,
			StateName: zhengxie.StudyStateName(st.State), Date: st.Date, Answer: st.Answer, CreatedAt: apiTime(st.CreatedAt), AnsweredAt: apiTime(st.AnsweredAt)})
	}
	for _, p := range v.Proposals {
		d.ProposalList = append(d.ProposalList, apiTopicProposal{ID: p.ID, Number: zhengxie.FormatNumber(p.Number), Title: p.Title, Proposer: p.Proposer,
			State: string(p.State), ClaimID: p.ClaimID})
	}
	for _, e := range v.Events {
		d.Events = append(d.Events, apiTopicEvent{Action: e.Action, Name: zhengxie.Action(e.Action).Name(), Actor: e.ActorName, From: e.FromState, To: e.ToState,
			Comment: e.Comment, At: e.CreatedAt})
	}
	return d
}

// topicQueryOf reads the list's filters (the page's, the export's and the API's).
func topicQueryOf(r *http.Request) app.TopicQuery {
	q := r.URL.Query()
	return app.TopicQuery{Query: q.Get("q"), UnitID: parseID(q.Get("unit_id")), State: zhengxie.TopicState(q.Get("state"))}
}

func (s *Server) apiTopics(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	os, err := s.Svc.Topics(r.Context(), actorOf(r), topicQueryOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]apiTopic, 0, len(os))
	for i := range os {
		out = append(out, toAPITopic(&os[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

type apiTopicInput struct {
	UnitID       int64  `json:"unit_id"`
	Title        string `json:"title"`
	Background   string `json:"background"`
	Needs        string `json:"needs"`
	Deadline     string `json:"deadline"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone"`
	Submit       bool   `json:"submit"`
}

func (in apiTopicInput) input() app.TopicInput {
	return app.TopicInput{UnitID: in.UnitID, Title: in.Title, Background: in.Background, Needs: in.Needs, Deadline: in.Deadline,
		ContactName: in.ContactName, ContactPhone: in.ContactPhone}
}

func (s *Server) apiTopicCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiTopicInput
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	o, err := s.Svc.PostTopic(r.Context(), a, in.input())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Submit {
		if _, err := s.Svc.TopicAct(r.Context(), a, o.ID, zhengxie.TopicActSubmit, app.TopicActInput{}); err != nil {
			// The draft is kept: the answer says so and carries its id.
			body := apiErrorOf(err)
			body.Error.Message += "（草稿已保存）"
			w.Header().Set("Location", "/api/v1/topics/"+strconv.FormatInt(o.ID, 10))
			writeJSON(w, statusOf[zhengxie.ErrorCode(err)], map[string]any{"error": body.Error, "draft_id": o.ID})
			return
		}
	}
	s.writeTopic(w, r, o.ID, http.StatusCreated)
}

func (s *Server) writeTopic(w http.ResponseWriter, r *http.Request, id int64, status int) {
	v, err := s.Svc.Topic(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/topics/"+strconv.FormatInt(id, 10))
	}
	writeJSON(w, status, toAPITopicDetail(v))
}

func (s *Server) apiTopic(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeTopic(w, r, id, http.StatusOK)
}

func (s *Server) apiTopicSave(w http.ResponseWriter, r *http.Request) {
	var in apiTopicInput
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	if _, err := s.Svc.SaveTopic(r.Context(), actorOf(r), id, in.input()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeTopic(w, r, id, http.StatusOK)
}

// apiTopicActInput is the input of a step on an order; each step reads its
// own fields.
type apiTopicActInput struct {
	Reason    string  `json:"reason"`
	Note      string  `json:"note"`
	Kind      string  `json:"kind"`
	MemberIDs []int64 `json:"member_ids"`
	SectorID  int64   `json:"sector_id"`
}

// topicStep runs one step of the order's table for pages and API alike.
func (s *Server) topicStep(r *http.Request, id int64, action string, in apiTopicActInput) error {
	ctx, a := r.Context(), actorOf(r)
	var err error
	switch action {
	case "submit", "publish", "return", "reject", "withdraw", "close":
		_, err = s.Svc.TopicAct(ctx, a, id, zhengxie.TopicAction(action), app.TopicActInput{Reason: in.Reason})
	case "claim":
		_, err = s.Svc.ClaimTopic(ctx, a, id, app.ClaimInput{Kind: in.Kind, MemberIDs: in.MemberIDs, SectorID: in.SectorID, Note: in.Note})
	case "unclaim":
		_, err = s.Svc.UnclaimTopic(ctx, a, id, in.Reason)
	case "study":
		_, err = s.Svc.RequestStudy(ctx, a, id, in.Note)
	default:
		err = zhengxie.NotFound("操作")
	}
	return err
}

func (s *Server) apiTopicAction(w http.ResponseWriter, r *http.Request) {
	var in apiTopicActInput
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	switch action := r.PathValue("action"); action {
	case "submit", "publish", "return", "reject", "withdraw", "close", "claim", "unclaim", "study":
		if err := s.topicStep(r, id, action, in); err != nil {
			s.fail(w, r, err)
			return
		}
	default:
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	s.writeTopic(w, r, id, http.StatusOK)
}

type apiStudyAnswer struct {
	Accept bool   `json:"accept"`
	Date   string `json:"date"`
	Note   string `json:"note"`
}

func (s *Server) apiTopicStudyAnswer(w http.ResponseWriter, r *http.Request) {
	var in apiStudyAnswer
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	study, err := strconv.ParseInt(r.PathValue("study"), 10, 64)
	if err != nil || study <= 0 {
		s.fail(w, r, zhengxie.NotFound("联合调研申请"))
		return
	}
	if _, err := s.Svc.AnswerStudy(r.Context(), actorOf(r), id, study, app.StudyAnswer{Accept: in.Accept, Date: in.Date, Note: in.Note}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeTopic(w, r, id, http.StatusOK)
}

// exportTopics exports the order list (/topics?q=&unit_id=&state=) as the
// list's other exports do.
func (s *Server) exportTopics(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	os, err := s.Svc.Topics(r.Context(), actorOf(r), topicQueryOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := newRowWriter(w, r, "订单式提案", len(os), []string{"订单ID", "题目", "提出单位", "状态", "征集截止", "认领数", "成案数", "发布时间"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range os {
		o := &os[i]
		if err = out.Row([]any{o.ID, o.Title, o.UnitName, o.State.Name(), o.Deadline, o.Claims, o.Proposals, o.PublishedAt}); err != nil {
			break
		}
	}
	s.closeExport(r, out, err)
}
