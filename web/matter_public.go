package web

import (
	"net/http"
	"time"

	"zhengxie"
	"zhengxie/app"
)

// The public's pages: the message box (no login; a limit per address), the
// tracking page that shows a matter's answer by its code, and the answered
// messages the office published, with personal data removed.

type messageData struct {
	Committee *zhengxie.Committee
	Stations  []zhengxie.Station
	StationID int64
	In        app.MatterInput
	Err       formErr
	Matter    *zhengxie.Matter // after sending: the code to keep
	Phone     bool
}

func (s *Server) messageForm(w http.ResponseWriter, r *http.Request, status int, d *messageData) {
	c, err := s.publicCommittee(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Committee = c
	if d.Stations, err = s.Svc.Store.Stations(r.Context(), c.ID, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.visitorCSRF(w, r)
	s.render(w, r, "matter_message", &Page{Title: "给委员留言", Nav: "messages", D: d, Error: d.Err.Msg})
}

func (s *Server) messageNew(w http.ResponseWriter, r *http.Request) {
	s.messageForm(w, r, http.StatusOK, &messageData{StationID: parseID(r.URL.Query().Get("station"))})
}

func (s *Server) messageCreate(w http.ResponseWriter, r *http.Request) {
	if !s.limits().messages.allow("msg:"+clientAddr(r), time.Now()) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.ETooMany, "留言过于频繁，请10分钟后再试"))
		return
	}
	c, err := s.publicCommittee(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := matterInputOf(r)
	var m *zhengxie.Matter
	if err == nil {
		m, err = s.Svc.LeaveMessage(r.Context(), c.ID, in)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		in.Files = nil
		s.messageForm(w, r, http.StatusUnprocessableEntity, &messageData{In: in, StationID: in.StationID, Err: formErrOf(err)})
		return
	}
	s.render(w, r, "matter_sent", &Page{Title: "留言已提交", Nav: "messages", D: &messageData{Committee: c, Matter: m, Phone: in.CitizenPhone != ""}})
}

type trackData struct {
	Code   string
	M      *app.PublicMatter
	Err    formErr
	Thanks bool
}

func (s *Server) trackPage(w http.ResponseWriter, r *http.Request) {
	d := &trackData{Code: r.URL.Query().Get("code")}
	status := http.StatusOK
	if d.Code != "" {
		if !s.limits().lookups.allow("track:"+clientAddr(r), time.Now()) {
			s.fail(w, r, zhengxie.Errorf(zhengxie.ETooMany, "查询过于频繁，请10分钟后再试"))
			return
		}
		m, err := s.Svc.TrackMatter(r.Context(), d.Code)
		switch zhengxie.ErrorCode(err) {
		case "":
			d.M = m
		case zhengxie.EInvalid, zhengxie.ENotFound:
			d.Err = formErr{Field: "code", Msg: "没有找到这个查询码对应的留言，请核对后重新输入（查询码为8位字母和数字，如K7M2-Q9XA）"}
			status = http.StatusNotFound
		default:
			s.fail(w, r, err)
			return
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.visitorCSRF(w, r)
	s.render(w, r, "matter_track", &Page{Title: "诉求查询", Nav: "track", D: d})
}

func (s *Server) trackFeedback(w http.ResponseWriter, r *http.Request) {
	if !s.limits().lookups.allow("track:"+clientAddr(r), time.Now()) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.ETooMany, "操作过于频繁，请10分钟后再试"))
		return
	}
	code, err := formText(r, "code")
	note, err2 := formText(r, "note")
	if err == nil {
		err = err2
	}
	var m *app.PublicMatter
	if err == nil {
		m, err = s.Svc.CitizenFeedback(r.Context(), code, r.FormValue("settled") == "1", note)
	}
	if err != nil {
		if c := zhengxie.ErrorCode(err); c != zhengxie.EInvalid && c != zhengxie.EIllegal {
			s.fail(w, r, err)
			return
		}
		m, _ = s.Svc.TrackMatter(r.Context(), code)
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, "matter_track", &Page{Title: "诉求查询", Nav: "track", Error: zhengxie.ErrorMessage(err), D: &trackData{Code: code, M: m, Err: formErrOf(err)}})
		return
	}
	s.render(w, r, "matter_track", &Page{Title: "诉求查询", Nav: "track", Flash: flashes["feedback_thanks"], D: &trackData{Code: code, M: m, Thanks: true}})
}

func (s *Server) publicMessages(w http.ResponseWriter, r *http.Request) {
	c, err := s.publicCommittee(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ms, err := s.Svc.PublishedMatters(r.Context(), c.ID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "matter_public", &Page{Title: "留言答复公开", Nav: "messages", D: map[string]any{"Committee": c, "Matters": ms}})
}
