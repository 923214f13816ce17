package web

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
)

// Matters over the JSON API. The citizen's name and phone, and the tracking
// code, are in an answer only for those who may see the person; the public
// endpoints never carry them.

type apiMatter struct {
	ID           int64    `json:"id"`
	Code         string   `json:"code,omitempty"`
	Source       string   `json:"source"`
	StationID    int64    `json:"station_id"`
	Station      string   `json:"station"`
	ReceptionID  int64    `json:"reception_id"`
	MemberID     int64    `json:"member_id"`
	Title        string   `json:"title"`
	Body         string   `json:"body"`
	Category     string   `json:"category"`
	Urgency      string   `json:"urgency"`
	CitizenName  string   `json:"citizen_name,omitempty"`
	CitizenPhone string   `json:"citizen_phone,omitempty"`
	Address      string   `json:"address"`
	State        string   `json:"state"`
	StateName    string   `json:"state_name"`
	UnitID       int64    `json:"unit_id"`
	Unit         string   `json:"unit"`
	Due          string   `json:"due"`
	Answer       string   `json:"answer"`
	AnsweredBy   string   `json:"answered_by"`
	AnsweredAt   string   `json:"answered_at,omitempty"`
	OnTime       bool     `json:"on_time"`
	Rehandled    bool     `json:"rehandled"`
	CitizenNote  string   `json:"citizen_note"`
	Decision     string   `json:"decision"`
	Published    bool     `json:"published"`
	ReportID     int64    `json:"report_id"`
	ProposalID   int64    `json:"proposal_id"`
	Files        int      `json:"files"`
	CreatedAt    string   `json:"created_at"`
	Allowed      []string `json:"allowed,omitempty"`
	// Photos are in the detail only, each with the URL that serves it to
	// those who may see the matter (the page's photos use the same URL).
	Photos []apiMatterPhoto `json:"photos,omitzero"`
}

type apiMatterPhoto struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	MIME string `json:"mime"`
	Size int64  `json:"size"`
	URL  string `json:"url"`
}

func apiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func toAPIMatter(m *zhengxie.Matter, seesCitizen bool) apiMatter {
	out := apiMatter{ID: m.ID, Source: m.Source, StationID: m.StationID, Station: m.StationName, ReceptionID: m.ReceptionID, MemberID: m.MemberID,
		Title: m.Title, Body: m.Body, Category: m.Category, Urgency: m.Urgency, Address: m.Address, State: string(m.State), StateName: m.State.Name(),
		UnitID: m.UnitID, Unit: m.UnitName, Due: m.Due, Answer: m.Answer, AnsweredBy: m.AnsweredBy, AnsweredAt: apiTime(m.AnsweredAt),
		OnTime: m.OnTime, Rehandled: m.Rehandled, CitizenNote: m.CitizenNote, Decision: m.Decision, Published: m.Published,
		ReportID: m.ReportID, ProposalID: m.ProposalID, Files: m.Files, CreatedAt: apiTime(m.CreatedAt)}
	if seesCitizen {
		out.Code, out.CitizenName, out.CitizenPhone = m.Code, m.CitizenName, m.CitizenPhone
	}
	return out
}

func (s *Server) apiMatters(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	mq := app.MatterQuery{State: zhengxie.MatterState(q.Get("state")), Open: q.Get("open") == "1", Overdue: q.Get("overdue") == "1",
		StationID: parseID(q.Get("station_id")), UnitID: parseID(q.Get("unit_id")), Forwarded: q.Get("forwarded") == "1", Bucket: q.Get("bucket")}
	if mq.Bucket != "" && app.BucketName(mq.Bucket) == mq.Bucket {
		s.fail(w, r, zhengxie.FieldError("bucket", "未知的期限分组“%s”（overdue、d3、d15、later）", mq.Bucket))
		return
	}
	ms, err := s.Svc.Matters(r.Context(), actorOf(r), mq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]apiMatter, 0, len(ms))
	for i := range ms {
		// Matters lists only what the viewer may see, with the person
		// already removed where they may not.
		out = append(out, toAPIMatter(&ms[i], ms[i].CitizenPhone != "" || ms[i].CitizenName != ""))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

func (s *Server) apiMatter(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Matter(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := toAPIMatter(v.M, v.SeesCitizen)
	out.Allowed = []string{}
	for _, a := range v.Allowed {
		out.Allowed = append(out.Allowed, string(a))
	}
	out.Photos = []apiMatterPhoto{}
	for _, f := range v.Files {
		out.Photos = append(out.Photos, apiMatterPhoto{f.ID, f.Name, f.MIME, f.Size, "/matter-files/" + strconv.FormatInt(f.ID, 10)})
	}
	writeJSON(w, http.StatusOK, out)
}

type apiMatterActInput struct {
	Comment  string `json:"comment"`
	Answer   string `json:"answer"`
	UnitID   int64  `json:"unit_id"`
	Due      string `json:"due"`
	Category string `json:"category"`
}

func (s *Server) apiMatterAction(w http.ResponseWriter, r *http.Request) {
	var in apiMatterActInput
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	var action zhengxie.MatterAction
	switch r.PathValue("action") {
	case "set_category", "answer", "forward", "sign", "return", "reply", "decide", "close", "reject", "publish", "unpublish", "to_report", "to_draft":
		action = zhengxie.MatterAction(r.PathValue("action"))
	default:
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	a := actorOf(r)
	if _, err := s.Svc.MatterAct(r.Context(), a, id, action, app.MatterActInput{Comment: in.Comment, Answer: in.Answer, UnitID: in.UnitID, Due: in.Due, Category: in.Category}); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Matter(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIMatter(v.M, v.SeesCitizen))
}

type apiCategorySuggestion struct {
	Category   string  `json:"category"`
	Confidence float64 `json:"confidence"`
}

func (s *Server) apiMatterSuggest(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := zhengxie.CheckText("body", "内容", in.Title+in.Body, 2100); err != nil {
		s.fail(w, r, err)
		return
	}
	sg, err := s.Svc.SuggestMatterCategory(r.Context(), actorOf(r).CommitteeID, in.Title, in.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []apiCategorySuggestion{}
	for _, x := range sg {
		out = append(out, apiCategorySuggestion{x.Value, x.Confidence})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

// ---- the public ----

type apiMessageInput struct {
	Committee    string `json:"committee"`
	StationID    int64  `json:"station_id"`
	Title        string `json:"title"`
	Body         string `json:"body"`
	CitizenName  string `json:"citizen_name"`
	CitizenPhone string `json:"citizen_phone"`
	Address      string `json:"address"`
	Photos       []struct {
		Name string `json:"name"`
		Data string `json:"data"` // base64
	} `json:"photos"`
}

func (s *Server) apiMessageCreate(w http.ResponseWriter, r *http.Request) {
	if !s.limits().messages.allow("msg:"+clientAddr(r), time.Now()) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.ETooMany, "留言过于频繁，请10分钟后再试"))
		return
	}
	var in apiMessageInput
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.apiPublicCommittee(r, in.Committee)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mi := app.MatterInput{StationID: in.StationID, Title: in.Title, Body: in.Body, CitizenName: in.CitizenName, CitizenPhone: in.CitizenPhone, Address: in.Address}
	for _, p := range in.Photos {
		b, err := base64.StdEncoding.DecodeString(p.Data)
		if err != nil {
			s.fail(w, r, zhengxie.FieldError("photos", "照片应为base64编码"))
			return
		}
		mi.Files = append(mi.Files, app.Upload{Name: p.Name, Data: b})
	}
	m, err := s.Svc.LeaveMessage(r.Context(), c.ID, mi)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"code": m.Code, "state": string(m.State), "state_name": m.State.Name()})
}

func (s *Server) apiPublicCommittee(r *http.Request, code string) (*zhengxie.Committee, error) {
	if code != "" {
		return s.Svc.Store.CommitteeByCode(r.Context(), code)
	}
	return s.publicCommittee(r)
}

type apiStep struct {
	At   string `json:"at"`
	What string `json:"what"`
}

type apiPublicMatter struct {
	Code        string    `json:"code"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	Station     string    `json:"station"`
	State       string    `json:"state"`
	StateName   string    `json:"state_name"`
	Unit        string    `json:"unit"`
	Due         string    `json:"due"`
	Answer      string    `json:"answer"`
	AnsweredBy  string    `json:"answered_by"`
	AnsweredAt  string    `json:"answered_at,omitempty"`
	CreatedAt   string    `json:"created_at"`
	CanFeedback bool      `json:"can_feedback"`
	Steps       []apiStep `json:"steps"`
}

func toAPIPublicMatter(p *app.PublicMatter) apiPublicMatter {
	out := apiPublicMatter{Code: p.Code, Title: p.Title, Body: p.Body, Station: p.Station, State: string(p.State), StateName: p.State.Name(), Unit: p.Unit,
		Due: p.Due, Answer: p.Answer, AnsweredBy: p.AnsweredBy, AnsweredAt: apiTime(p.AnsweredAt), CreatedAt: apiTime(p.CreatedAt),
		CanFeedback: p.CanFeedback, Steps: []apiStep{}}
	for _, st := range p.Steps {
		out.Steps = append(out.Steps, apiStep{apiTime(st.At), st.What})
	}
	return out
}

func (s *Server) apiTrack(w http.ResponseWriter, r *http.Request) {
	if !s.limits().lookups.allow("track:"+clientAddr(r), time.Now()) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.ETooMany, "查询过于频繁，请10分钟后再试"))
		return
	}
	p, err := s.Svc.TrackMatter(r.Context(), r.PathValue("code"))
	if zhengxie.ErrorCode(err) == zhengxie.EInvalid {
		err = zhengxie.NotFound("查询码对应的诉求")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIPublicMatter(p))
}

func (s *Server) apiTrackFeedback(w http.ResponseWriter, r *http.Request) {
	if !s.limits().lookups.allow("track:"+clientAddr(r), time.Now()) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.ETooMany, "操作过于频繁，请10分钟后再试"))
		return
	}
	var in struct {
		Settled bool   `json:"settled"`
		Note    string `json:"note"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	if zhengxie.NormalizeTrackingCode(code) == "" {
		s.fail(w, r, zhengxie.NotFound("查询码对应的诉求"))
		return
	}
	p, err := s.Svc.CitizenFeedback(r.Context(), code, in.Settled, in.Note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIPublicMatter(p))
}

type apiPublished struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	Body       string `json:"body"`
	Category   string `json:"category"`
	Station    string `json:"station"`
	Answer     string `json:"answer"`
	AnsweredBy string `json:"answered_by"`
	AnsweredAt string `json:"answered_at,omitempty"`
	CreatedAt  string `json:"created_at"`
}

func (s *Server) apiPublicMessages(w http.ResponseWriter, r *http.Request) {
	c, err := s.apiPublicCommittee(r, strings.TrimSpace(r.URL.Query().Get("committee")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ms, err := s.Svc.PublishedMatters(r.Context(), c.ID, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []apiPublished{}
	for _, m := range ms {
		out = append(out, apiPublished{m.ID, m.Title, m.Body, m.Category, m.Station, m.Answer, m.AnsweredBy, apiTime(m.AnsweredAt), apiTime(m.CreatedAt)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}
