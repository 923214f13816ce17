package web

import (
	"net/http"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// Reception days over the JSON API.

type apiReception struct {
	ID        int64    `json:"id"`
	StationID int64    `json:"station_id"`
	Station   string   `json:"station"`
	Day       string   `json:"day"`
	Start     string   `json:"start"`
	End       string   `json:"end"`
	Place     string   `json:"place"`
	Topic     string   `json:"topic"`
	State     string   `json:"state"`
	StateName string   `json:"state_name"`
	MemberIDs []int64  `json:"member_ids"`
	Members   []string `json:"members"`
	Visitors  int      `json:"visitors"`
	Note      string   `json:"note"`
	Matters   int      `json:"matters"`
}

func toAPIReception(r *zhengxie.Reception) apiReception {
	out := apiReception{ID: r.ID, StationID: r.StationID, Station: r.StationName, Day: r.Day.String(), Start: r.Start, End: r.End, Place: r.Place,
		Topic: r.Topic, State: string(r.State), StateName: r.State.Name(), MemberIDs: r.MemberIDs, Members: r.MemberNames, Visitors: r.Visitors,
		Note: r.Note, Matters: r.Matters}
	if out.MemberIDs == nil {
		out.MemberIDs = []int64{}
	}
	if out.Members == nil {
		out.Members = []string{}
	}
	return out
}

// apiReceptions lists reception days: a station's (?station_id), the
// member's own duty days (?mine=1), or the committee's upcoming ones.
func (s *Server) apiReceptions(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	q := r.URL.Query()
	f := store.ReceptionFilter{CommitteeID: a.CommitteeID, StationID: parseID(q.Get("station_id")), From: q.Get("from"), To: q.Get("to"), Limit: 200}
	if q.Get("mine") == "1" {
		f.MemberID = a.UserID
	}
	rs, err := s.Svc.Store.Receptions(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []apiReception{}
	for i := range rs {
		out = append(out, toAPIReception(&rs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

type apiReceptionInput struct {
	StationID int64   `json:"station_id"`
	Day       string  `json:"day"`
	Start     string  `json:"start"`
	End       string  `json:"end"`
	Place     string  `json:"place"`
	Topic     string  `json:"topic"`
	MemberIDs []int64 `json:"member_ids"`
	Note      string  `json:"note"`
}

func (s *Server) apiReceptionCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiReceptionInput
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	rc := &zhengxie.Reception{StationID: in.StationID, Start: in.Start, End: in.End, Place: in.Place, Topic: in.Topic, MemberIDs: in.MemberIDs, Note: in.Note}
	if in.Day != "" {
		d, err := zhengxie.ParseDate(in.Day)
		if err != nil {
			s.fail(w, r, zhengxie.FieldError("day", "日期格式应为2026-03-05"))
			return
		}
		rc.Day = d
	}
	if err := s.Svc.ScheduleReception(r.Context(), actorOf(r), rc); err != nil {
		s.fail(w, r, err)
		return
	}
	out, _, err := s.Svc.Reception(r.Context(), actorOf(r), rc.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIReception(out))
}

func (s *Server) apiReception(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rc, _, err := s.Svc.Reception(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIReception(rc))
}

func (s *Server) apiReceptionAction(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Visitors int    `json:"visitors"`
		Note     string `json:"note"`
	}
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	var action zhengxie.ReceptionAction
	switch r.PathValue("action") {
	case "hold", "cancel":
		action = zhengxie.ReceptionAction(r.PathValue("action"))
	default:
		s.fail(w, r, zhengxie.NotFound("操作"))
		return
	}
	rc, err := s.Svc.ReceptionAct(r.Context(), actorOf(r), id, action, in.Visitors, in.Note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIReception(rc))
}

type apiMatterInput struct {
	Title        string `json:"title"`
	Body         string `json:"body"`
	Category     string `json:"category"`
	Urgency      string `json:"urgency"`
	CitizenName  string `json:"citizen_name"`
	CitizenPhone string `json:"citizen_phone"`
	Address      string `json:"address"`
	MemberID     int64  `json:"member_id"`
}

func (s *Server) apiReceptionLogMatter(w http.ResponseWriter, r *http.Request) {
	var in apiMatterInput
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	a := actorOf(r)
	m, err := s.Svc.LogMatter(r.Context(), a, id, app.MatterInput{Title: in.Title, Body: in.Body, Category: in.Category, Urgency: in.Urgency,
		CitizenName: in.CitizenName, CitizenPhone: in.CitizenPhone, Address: in.Address, MemberID: in.MemberID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIMatter(m, true))
}

type apiStationCounts struct {
	Receptions int `json:"receptions"`
	Citizens   int `json:"citizens"`
	Matters    int `json:"matters"`
	Answered   int `json:"answered"`
	OnTime     int `json:"on_time"`
	Settled    int `json:"settled"`
	Messages   int `json:"messages"`
}

// apiPublicStation is the station's public page over the API: where it
// is, its next reception days and the figures of its work. Like the page,
// it names no citizen and no matter.
func (s *Server) apiPublicStation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.apiPublicCommittee(r, r.URL.Query().Get("committee"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.Svc.Store.Station(r.Context(), c.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up, err := s.Svc.UpcomingReceptions(r.Context(), c.ID, id, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.Svc.StationCounts(r.Context(), c.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	days := []map[string]any{}
	for _, u := range up {
		days = append(days, map[string]any{"day": u.Day.String(), "start": u.Start, "end": u.End, "place": u.Place, "topic": u.Topic, "members": nonNil(u.MemberNames)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": st.ID, "kind": st.Kind, "name": st.Name, "address": st.Address, "phone": st.Phone, "upcoming": days,
		"counts": apiStationCounts{n.Receptions, n.Citizens, n.Matters, n.Answered, n.OnTime, n.Settled, n.Messages}})
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
