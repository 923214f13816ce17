package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// Reception days: the contact home page of each role, scheduling, the day
// itself on a member's phone (logging each citizen's matter), and the
// public page of a station with its next reception days and its figures.

type contactHomeData struct {
	Stations  []stationCard
	Mine      []zhengxie.Reception // the member's duty days
	Matters   []zhengxie.Matter
	Counts    *app.MatterCounts
	CanPlan   bool
	IsUnit    bool
	Committee *zhengxie.Committee
}

type stationCard struct {
	S        zhengxie.Station
	Counts   *app.MatterCounts
	Upcoming []zhengxie.Reception
}

func (s *Server) contactHome(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	ctx := r.Context()
	d := &contactHomeData{IsUnit: a.Role == zhengxie.RoleUnit}
	var err error
	if d.Committee, err = s.Svc.Store.Committee(ctx, a.CommitteeID); err != nil {
		s.fail(w, r, err)
		return
	}
	managed, err := s.Svc.ManagedStations(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.CanPlan = len(managed) > 0
	if zhengxie.SeesAll(a.Role) || len(managed) > 0 {
		sts, err := s.Svc.Store.Stations(ctx, a.CommitteeID, "")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, st := range sts {
			if !zhengxie.SeesAll(a.Role) && !containsInt(managed, st.ID) {
				continue
			}
			c, err := s.Svc.StationCounts(ctx, a.CommitteeID, st.ID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			up, err := s.Svc.UpcomingReceptions(ctx, a.CommitteeID, st.ID, 3)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.Stations = append(d.Stations, stationCard{S: st, Counts: c, Upcoming: up})
		}
		if d.Counts, err = s.Svc.StationCounts(ctx, a.CommitteeID, 0); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if a.Role == zhengxie.RoleMember {
		if d.Mine, err = s.Svc.Store.Receptions(ctx, store.ReceptionFilter{CommitteeID: a.CommitteeID, MemberID: a.UserID, Desc: true, Limit: 20}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if d.Matters, err = s.Svc.Matters(ctx, a, app.MatterQuery{Open: true, Limit: 20}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "reception_home", &Page{Title: "联系群众", Nav: "contact", D: d})
}

func containsInt(xs []int64, x int64) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

type receptionFormData struct {
	Stations []zhengxie.Station
	Members  []zhengxie.MemberProfile
	R        *zhengxie.Reception
	Err      formErr
}

func (s *Server) receptionForm(w http.ResponseWriter, r *http.Request, status int, d *receptionFormData) {
	a := actorOf(r)
	managed, err := s.Svc.ManagedStations(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(managed) == 0 && a.Role != zhengxie.RoleOffice {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有联络站（工作室）工作人员或政协机关可以安排接访"))
		return
	}
	if len(managed) == 0 && d.Err.Msg == "" {
		d.Err = formErr{Field: "station_id", Msg: "本委员会还没有委员联络站或界别委员工作室：请先由管理员在“组织机构”中添加，再安排接访"}
	}
	sts, err := s.Svc.Store.Stations(r.Context(), a.CommitteeID, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, st := range sts {
		if containsInt(managed, st.ID) {
			d.Stations = append(d.Stations, st)
		}
	}
	f := store.ProfileFilter{CommitteeID: a.CommitteeID}
	if len(d.Stations) == 1 {
		f.StationID = d.Stations[0].ID
	}
	if d.Members, err = s.Svc.Store.Profiles(r.Context(), f); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.R == nil {
		d.R = &zhengxie.Reception{Start: "09:00", End: "11:30"}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, "reception_form", &Page{Title: "安排接访", Nav: "contact", D: d, Error: d.Err.Msg})
}

func (s *Server) receptionNew(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.receptionForm(w, r, http.StatusOK, &receptionFormData{})
}

func receptionOf(r *http.Request) (*zhengxie.Reception, error) {
	rc := &zhengxie.Reception{StationID: formInt(r, "station_id")}
	var err error
	for _, f := range []struct {
		dst  *string
		name string
	}{{&rc.Start, "start"}, {&rc.End, "end"}, {&rc.Place, "place"}, {&rc.Topic, "topic"}, {&rc.Note, "note"}} {
		if *f.dst, err = formText(r, f.name); err != nil {
			return rc, err
		}
	}
	if v := strings.TrimSpace(r.FormValue("day")); v != "" {
		if rc.Day, err = zhengxie.ParseDate(v); err != nil {
			return rc, zhengxie.FieldError("day", "日期格式应为2026-03-05")
		}
	}
	for _, v := range r.Form["member_ids"] {
		if id := parseID(v); id != 0 {
			rc.MemberIDs = append(rc.MemberIDs, id)
		}
	}
	return rc, nil
}

func (s *Server) receptionCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	rc, err := receptionOf(r)
	if err == nil {
		err = s.Svc.ScheduleReception(r.Context(), actorOf(r), rc)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.receptionForm(w, r, http.StatusUnprocessableEntity, &receptionFormData{R: rc, Err: formErrOf(err)})
		return
	}
	redirect(w, r, "/receptions/"+strconv.FormatInt(rc.ID, 10), "reception_created")
}

type receptionShowData struct {
	R          *zhengxie.Reception
	Parties    []zhengxie.Party
	Allowed    []zhengxie.ReceptionAction
	Matters    []zhengxie.Matter
	Categories []string
	In         app.MatterInput
	Err        formErr
	Logged     *zhengxie.Matter
}

func (s *Server) loadReception(r *http.Request, id int64) (*receptionShowData, error) {
	a := actorOf(r)
	rc, ps, err := s.Svc.Reception(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	d := &receptionShowData{R: rc, Parties: ps, Allowed: zhengxie.ReceptionTable.Allowed(rc.State, ps...), Categories: zhengxie.MatterCategories}
	if len(ps) > 0 || zhengxie.SeesAll(a.Role) {
		all, err := s.Svc.Matters(r.Context(), a, app.MatterQuery{StationID: rc.StationID})
		if err != nil {
			return nil, err
		}
		for _, m := range all {
			if m.ReceptionID == rc.ID {
				d.Matters = append(d.Matters, m)
			}
		}
	}
	return d, nil
}

func (s *Server) receptionShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.loadReception(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if code := r.URL.Query().Get("logged"); code != "" {
		for i := range d.Matters {
			if strconv.FormatInt(d.Matters[i].ID, 10) == code {
				d.Logged = &d.Matters[i]
			}
		}
	}
	s.render(w, r, "reception_show", &Page{Title: d.R.StationName + " 接访", Nav: "contact", D: d})
}

func (s *Server) receptionLogMatter(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := matterInputOf(r)
	var m *zhengxie.Matter
	if err == nil {
		m, err = s.Svc.LogMatter(r.Context(), actorOf(r), id, in)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		d, lerr := s.loadReception(r, id)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		in.Files = nil
		d.In, d.Err = in, formErrOf(err)
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, "reception_show", &Page{Title: d.R.StationName + " 接访", Nav: "contact", D: d, Error: d.Err.Msg})
		return
	}
	redirect(w, r, "/receptions/"+strconv.FormatInt(id, 10)+"?logged="+strconv.FormatInt(m.ID, 10), "matter_logged")
}

func (s *Server) receptionAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
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
	note, err := formText(r, "note")
	if err == nil {
		_, err = s.Svc.ReceptionAct(r.Context(), actorOf(r), id, action, int(formInt(r, "visitors")), note)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/receptions/"+strconv.FormatInt(id, 10), "reception_"+string(action))
}

// stationPublic is a station's public page: where it is, its next reception
// days and the figures of its work.
func (s *Server) stationPublic(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.publicCommittee(r)
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
	counts, err := s.Svc.StationCounts(r.Context(), c.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "reception_station", &Page{Title: st.Name, Nav: "messages", D: map[string]any{"Committee": c, "S": st, "Upcoming": up, "Counts": counts}})
}
