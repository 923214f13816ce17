package web

import (
	"html/template"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/store"
)

// Activities: the list, the organiser's form, the page of one activity
// (answers, attendance, outcome), and the same over the API.

func init() {
	for k, v := range map[string]string{
		"duty_activity_created": "活动已创建（草稿）。核对后点击“发布”，受邀委员将收到通知。",
		"duty_activity_publish": "活动已发布，邀请已发送给受邀委员。",
		"duty_activity_hold":    "已确认活动举行，出席情况计入履职。",
		"duty_activity_close":   "活动成果已记录。",
		"duty_activity_cancel":  "活动已取消。",
		"duty_activity_edit":    "活动已修改。",
		"duty_answer_attend":    "已回复参加。",
		"duty_answer_leave":     "已请假，理由已告知组织方。",
		"duty_marked":           "出席记录已保存。",
		"duty_signed_in":        "签到成功！",
	} {
		flashes[k] = v
	}
	funcs["activityKindName"] = func(k zhengxie.ActivityKind) string { return k.Name() }
	funcs["activityStateName"] = func(s zhengxie.ActivityState) string { return s.Name() }
	funcs["activityActionName"] = func(a zhengxie.ActivityAction) string { return a.Name() }
	funcs["attendName"] = func(s zhengxie.AttendanceState) string { return s.Name() }
	funcs["activityKinds"] = func() []zhengxie.ActivityKind { return zhengxie.ActivityKinds }
	funcs["dutyKindName"] = func(k zhengxie.DutyKind) string { return k.Name() }
	funcs["recordKindName"] = func(k zhengxie.RecordKind) string { return k.Name() }
	funcs["recordKinds"] = func() []zhengxie.RecordKind { return zhengxie.RecordKinds }
	funcs["itemLink"] = app.ItemLink
	funcs["dutyEventName"] = dutyEventName
	funcs["localInput"] = func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(zhengxie.ChinaTime()).Format("2006-01-02T15:04")
	}
}

func yearOf(r *http.Request) int {
	y, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || y < 2000 || y > 2100 {
		return time.Now().In(zhengxie.ChinaTime()).Year()
	}
	return y
}

// ---- pages ----

type activitiesData struct {
	ExportQuery template.URL // the list's filters, for its export links
	Year        int
	Activities  []zhengxie.Activity
	CanCreate   bool
	Mine        bool
	Kind        string
}

func (s *Server) activityFilter(r *http.Request) (store.ActivityFilter, bool, error) {
	a := actorOf(r)
	f := store.ActivityFilter{CommitteeID: a.CommitteeID, Year: yearOf(r), Kind: zhengxie.ActivityKind(r.URL.Query().Get("kind")),
		State: zhengxie.ActivityState(r.URL.Query().Get("state"))}
	orgs, office, err := s.Svc.ManagedOrgs(r.Context(), a)
	if err != nil {
		return f, false, err
	}
	canCreate := office || len(orgs) > 0
	if !zhengxie.SeesAll(a.Role) {
		// Members see what they are invited to and what they organise.
		f.InvitedUser = a.UserID
		f.Organizers = orgs
	}
	return f, canCreate, nil
}

func (s *Server) activityList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, canCreate, err := s.activityFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts, err := s.Svc.Store.Activities(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "duty_activities", &Page{Title: "履职活动", Nav: "duty_activities",
		D: &activitiesData{Year: f.Year, Activities: acts, CanCreate: canCreate, Mine: f.InvitedUser != 0, Kind: string(f.Kind), ExportQuery: template.URL(r.URL.RawQuery)}})
}

type activityFormData struct {
	Org        *orgData
	Members    []zhengxie.MemberProfile
	Office     bool
	Managed    []string
	Err        formErr
	Form       map[string]string
	Activity   *zhengxie.Activity
	OrgChoices []orgChoice
}

type orgChoice struct{ Value, Name string }

func (s *Server) renderActivityForm(w http.ResponseWriter, r *http.Request, status int, d *activityFormData) {
	a := actorOf(r)
	var err error
	if d.Org, err = s.loadOrg(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Managed, d.Office, err = s.Svc.ManagedOrgs(r.Context(), a); err != nil {
		s.fail(w, r, err)
		return
	}
	if !d.Office && len(d.Managed) == 0 {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有政协机关，或联络站、专门委员会的负责人和工作人员可以发起活动。"))
		return
	}
	if d.Office {
		d.OrgChoices = append(d.OrgChoices, orgChoice{"office", "政协机关"})
	}
	for _, sc := range d.Org.Committees {
		v := zhengxie.OrgSpecialCommittee + ":" + strconv.FormatInt(sc.ID, 10)
		if d.Office || contains(d.Managed, v) {
			d.OrgChoices = append(d.OrgChoices, orgChoice{v, sc.Name})
		}
	}
	for _, st := range d.Org.Stations {
		v := zhengxie.OrgStation + ":" + strconv.FormatInt(st.ID, 10)
		if d.Office || contains(d.Managed, v) {
			d.OrgChoices = append(d.OrgChoices, orgChoice{v, st.Name})
		}
	}
	if d.Members, err = s.Svc.Store.Profiles(r.Context(), store.ProfileFilter{CommitteeID: a.CommitteeID}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	page := &Page{Title: "发起履职活动", Nav: "duty_activities", D: d}
	if d.Err.Msg != "" {
		page.Error = d.Err.Msg
	}
	s.render(w, r, "duty_activity_form", page)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (s *Server) activityNew(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderActivityForm(w, r, http.StatusOK, &activityFormData{})
}

// parseLocal reads a datetime-local field in the committee's zone.
func parseLocal(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, zhengxie.ChinaTime()); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, zhengxie.FieldError(field, "时间格式应为 2026-05-12 09:00")
}

func ids(vs []string) []int64 {
	var out []int64
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil && id > 0 {
				out = append(out, id)
			}
		}
	}
	return out
}

func (s *Server) activityCreate(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	form := map[string]string{}
	for _, k := range []string{"kind", "title", "starts_at", "ends_at", "place", "organizer", "register_by", "description"} {
		form[k] = r.FormValue(k)
	}
	act := &zhengxie.Activity{Kind: zhengxie.ActivityKind(form["kind"]), Title: form["title"], Place: form["place"], Description: strings.TrimSpace(form["description"])}
	kind, id, _ := strings.Cut(form["organizer"], ":")
	act.OrganizerKind = kind
	act.OrganizerID, _ = strconv.ParseInt(id, 10, 64)
	var err error
	if act.StartsAt, err = parseLocal("starts_at", form["starts_at"]); err == nil {
		if act.EndsAt, err = parseLocal("ends_at", form["ends_at"]); err == nil {
			act.RegisterBy, err = parseLocal("register_by", form["register_by"])
		}
	}
	inv := app.Invitation{All: r.FormValue("invite_all") == "1", SectorIDs: ids(r.Form["invite_sector"]), SpecialCommitteeID: ids(r.Form["invite_special_committee"]),
		StationIDs: ids(r.Form["invite_station"]), UserIDs: ids(r.Form["invite_user"])}
	if err == nil {
		err = s.Svc.CreateActivity(r.Context(), actorOf(r), act, inv)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderActivityForm(w, r, http.StatusUnprocessableEntity, &activityFormData{Err: formErrOf(err), Form: form})
		return
	}
	redirect(w, r, "/activities/"+strconv.FormatInt(act.ID, 10), "duty_activity_created")
}

func (s *Server) activityShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Activity(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderActivity(w, r, http.StatusOK, v, "")
}

// activityPage is the activity with, for its organiser, what the invite
// and edit forms offer.
type activityPage struct {
	*app.ActivityView
	Org     *orgData
	Members []zhengxie.MemberProfile
}

func (s *Server) renderActivity(w http.ResponseWriter, r *http.Request, status int, v *app.ActivityView, problem string) {
	d := &activityPage{ActivityView: v}
	if v.Organiser {
		var err error
		if d.Org, err = s.loadOrg(r); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Members, err = s.Svc.Store.Profiles(r.Context(), store.ProfileFilter{CommitteeID: v.Activity.CommitteeID}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	s.render(w, r, "duty_activity", &Page{Title: v.Activity.Title, Nav: "duty_activities", D: d, Error: problem})
}

// activityAction handles the organiser's buttons and the member's answers:
// POST /activities/{id}/{action}.
func (s *Server) activityAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	back := "/activities/" + strconv.FormatInt(id, 10)
	flash := ""
	reason, _ := formText(r, "reason")
	switch action := r.PathValue("action"); action {
	case "publish", "hold", "cancel":
		_, err = s.Svc.ActOnActivity(r.Context(), a, id, zhengxie.ActivityAction(action), app.ActivityInput{Comment: reason})
		flash = "duty_activity_" + action
	case "close":
		minutes, suggestions := strings.TrimSpace(r.FormValue("minutes")), strings.TrimSpace(r.FormValue("suggestions"))
		in := app.ActivityInput{Minutes: &minutes, Suggestions: &suggestions}
		for _, pid := range ids(r.Form["link_proposal"]) {
			in.Links = append(in.Links, store.ActivityLink{RefKind: "proposal", RefID: pid})
		}
		_, err = s.Svc.ActOnActivity(r.Context(), a, id, zhengxie.ActCloseActivity, in)
		flash = "duty_activity_close"
	case "edit":
		e := &zhengxie.Activity{Kind: zhengxie.ActivityKind(r.FormValue("kind")), Place: r.FormValue("place"), Description: strings.TrimSpace(r.FormValue("description"))}
		if e.Title, err = formText(r, "title"); err == nil {
			if e.StartsAt, err = parseLocal("starts_at", r.FormValue("starts_at")); err == nil {
				if e.EndsAt, err = parseLocal("ends_at", r.FormValue("ends_at")); err == nil {
					e.RegisterBy, err = parseLocal("register_by", r.FormValue("register_by"))
				}
			}
		}
		if err == nil {
			_, err = s.Svc.ActOnActivity(r.Context(), a, id, zhengxie.ActEditActivity, app.ActivityInput{Edit: e})
		}
		flash = "duty_activity_edit"
	case "invite":
		inv := app.Invitation{SectorIDs: ids(r.Form["invite_sector"]), SpecialCommitteeID: ids(r.Form["invite_special_committee"]),
			StationIDs: ids(r.Form["invite_station"]), UserIDs: ids(r.Form["invite_user"])}
		_, err = s.Svc.ActOnActivity(r.Context(), a, id, zhengxie.ActEditActivity, app.ActivityInput{Invite: &inv})
		flash = "duty_activity_edit"
	case "attend", "leave":
		_, err = s.Svc.Answer(r.Context(), a, id, zhengxie.AttendanceAction(action), reason)
		flash = "duty_answer_" + action
	case "mark":
		uid, _ := strconv.ParseInt(r.FormValue("user_id"), 10, 64)
		_, err = s.Svc.MarkAttendance(r.Context(), a, id, uid, zhengxie.AttendanceAction(r.FormValue("mark")), reason)
		flash = "duty_marked"
		back += "#attendance"
	case "files":
		var name string
		var data []byte
		if _, err = s.Svc.Activity(r.Context(), a, id); err != nil {
			break
		}
		if name, data, err = readUpload(w, r); err == nil {
			_, err = s.Svc.AddActivityFile(r.Context(), a, id, &app.Upload{Name: name, Data: data})
		}
		flash = "uploaded"
	default:
		err = zhengxie.NotFound("操作")
	}
	if err != nil {
		if zhengxie.ErrorCode(err) == zhengxie.EInvalid || zhengxie.ErrorCode(err) == zhengxie.EIllegal {
			v, verr := s.Svc.Activity(r.Context(), a, id)
			if verr == nil {
				s.renderActivity(w, r, statusOf[zhengxie.ErrorCode(err)], v, zhengxie.ErrorMessage(err))
				return
			}
		}
		s.fail(w, r, err)
		return
	}
	redirect(w, r, back, flash)
}

func (s *Server) activityFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, rd, err := s.Svc.OpenActivityFile(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rd.Close()
	w.Header().Set("Content-Type", f.MIME)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", f.CreatedAt, rd)
}

// ---- API ----

type apiActivity struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	KindName      string    `json:"kind_name"`
	Title         string    `json:"title"`
	State         string    `json:"state"`
	StateName     string    `json:"state_name"`
	Year          int       `json:"year"`
	StartsAt      time.Time `json:"starts_at"`
	EndsAt        time.Time `json:"ends_at"`
	Place         string    `json:"place"`
	OrganizerKind string    `json:"organizer_kind"`
	OrganizerID   int64     `json:"organizer_id"`
	OrganizerName string    `json:"organizer_name"`
	RegisterBy    time.Time `json:"register_by,omitzero"`
	Description   string    `json:"description"`
	Minutes       string    `json:"minutes"`
	Suggestions   string    `json:"suggestions"`
}

type apiAttendance struct {
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	State     string    `json:"state"`
	StateName string    `json:"state_name"`
	Reason    string    `json:"reason"`
	ByHand    bool      `json:"by_hand"`
	SignedAt  time.Time `json:"signed_at,omitzero"`
}

type apiActivityDetail struct {
	apiActivity
	Organiser  bool            `json:"organiser"`
	Mine       *apiAttendance  `json:"mine,omitempty"`
	Attendance []apiAttendance `json:"attendance,omitempty"`
	Counts     map[string]int  `json:"counts"`
	Actions    []string        `json:"actions"`
	Links      []apiLink       `json:"links"`
	Files      []apiAttachment `json:"files"`
}

type apiLink struct {
	RefKind string `json:"ref_kind"`
	RefID   int64  `json:"ref_id"`
}

type apiInvitation struct {
	All                 bool    `json:"all"`
	SectorIDs           []int64 `json:"sector_ids"`
	SpecialCommitteeIDs []int64 `json:"special_committee_ids"`
	StationIDs          []int64 `json:"station_ids"`
	UserIDs             []int64 `json:"user_ids"`
}

func (i *apiInvitation) invitation() app.Invitation {
	return app.Invitation{All: i.All, SectorIDs: i.SectorIDs, SpecialCommitteeID: i.SpecialCommitteeIDs, StationIDs: i.StationIDs, UserIDs: i.UserIDs}
}

type apiActivityInput struct {
	Kind          string        `json:"kind"`
	Title         string        `json:"title"`
	StartsAt      string        `json:"starts_at"`
	EndsAt        string        `json:"ends_at"`
	Place         string        `json:"place"`
	OrganizerKind string        `json:"organizer_kind"`
	OrganizerID   int64         `json:"organizer_id"`
	RegisterBy    string        `json:"register_by"`
	Description   string        `json:"description"`
	Invite        apiInvitation `json:"invite"`
}

type apiActivityAction struct {
	Comment     string         `json:"comment"`
	Minutes     *string        `json:"minutes"`
	Suggestions *string        `json:"suggestions"`
	Invite      *apiInvitation `json:"invite"`
	Links       []apiLink      `json:"links"`
}

func toAPIActivity(a *zhengxie.Activity) apiActivity {
	return apiActivity{ID: a.ID, Kind: string(a.Kind), KindName: a.Kind.Name(), Title: a.Title, State: string(a.State), StateName: a.State.Name(), Year: a.Year,
		StartsAt: a.StartsAt.UTC(), EndsAt: a.EndsAt.UTC(), Place: a.Place, OrganizerKind: a.OrganizerKind, OrganizerID: a.OrganizerID, OrganizerName: a.OrganizerName,
		RegisterBy: a.RegisterBy, Description: a.Description, Minutes: a.Minutes, Suggestions: a.Suggestions}
}

func toAPIAttendance(at *zhengxie.Attendance) apiAttendance {
	return apiAttendance{UserID: at.UserID, Name: at.UserName, State: string(at.State), StateName: at.State.Name(), Reason: at.Reason, ByHand: at.ByHand, SignedAt: at.SignedAt}
}

func toAPIActivityDetail(v *app.ActivityView) apiActivityDetail {
	out := apiActivityDetail{apiActivity: toAPIActivity(v.Activity), Organiser: v.Organiser, Counts: map[string]int{}, Actions: []string{}, Links: []apiLink{}}
	if v.Mine != nil {
		m := toAPIAttendance(v.Mine)
		out.Mine = &m
	}
	for i := range v.Attendance {
		out.Attendance = append(out.Attendance, toAPIAttendance(&v.Attendance[i]))
	}
	for k, n := range v.Counts {
		out.Counts[k] = n
	}
	for _, a := range v.Actions {
		out.Actions = append(out.Actions, string(a))
	}
	for _, a := range v.MyActions {
		out.Actions = append(out.Actions, string(a))
	}
	for _, l := range v.Links {
		out.Links = append(out.Links, apiLink{l.RefKind, l.RefID})
	}
	out.Files = []apiAttachment{}
	for _, f := range v.Files {
		out.Files = append(out.Files, toAPIActivityFile(&f))
	}
	return out
}

func toAPIActivityFile(f *store.ActivityFile) apiAttachment {
	return apiAttachment{ID: f.ID, Name: f.Name, Size: f.Size, MIME: f.MIME, URL: "/activity-files/" + strconv.FormatInt(f.ID, 10)}
}

// apiActivityFileUpload is POST /api/v1/activities/{id}/files: the
// organiser adds a photo or the minutes' scan (multipart/form-data, field
// file), as the activity page's upload form does.
func (s *Server) apiActivityFileUpload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	if _, err := s.Svc.Activity(r.Context(), a, id); err != nil {
		s.fail(w, r, err)
		return
	}
	name, data, err := readUpload(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.Svc.AddActivityFile(r.Context(), a, id, &app.Upload{Name: name, Data: data})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIActivityFile(f))
}

func (s *Server) apiActivities(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, _, err := s.activityFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts, err := s.Svc.Store.Activities(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]apiActivity, 0, len(acts))
	for i := range acts {
		items = append(items, toAPIActivity(&acts[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "year": f.Year})
}

func (s *Server) apiCreateActivity(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiActivityInput
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	act := &zhengxie.Activity{Kind: zhengxie.ActivityKind(in.Kind), Title: in.Title, Place: in.Place, OrganizerKind: in.OrganizerKind, OrganizerID: in.OrganizerID, Description: in.Description}
	var err error
	if act.StartsAt, err = parseLocal("starts_at", in.StartsAt); err == nil {
		if act.EndsAt, err = parseLocal("ends_at", in.EndsAt); err == nil {
			act.RegisterBy, err = parseLocal("register_by", in.RegisterBy)
		}
	}
	if err == nil {
		err = s.Svc.CreateActivity(r.Context(), actorOf(r), act, in.Invite.invitation())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Activity(r.Context(), actorOf(r), act.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toAPIActivityDetail(v))
}

// apiUpdateActivity changes a draft's or a published activity's fields (the organiser).
func (s *Server) apiUpdateActivity(w http.ResponseWriter, r *http.Request) {
	var in apiActivityInput
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	a := actorOf(r)
	// Seen first: a guessed id is not found whatever the body says.
	if _, err := s.Svc.Activity(r.Context(), a, id); err != nil {
		s.fail(w, r, err)
		return
	}
	e := &zhengxie.Activity{Kind: zhengxie.ActivityKind(in.Kind), Title: in.Title, Place: in.Place, Description: in.Description}
	var err error
	if e.StartsAt, err = parseLocal("starts_at", in.StartsAt); err == nil {
		if e.EndsAt, err = parseLocal("ends_at", in.EndsAt); err == nil {
			e.RegisterBy, err = parseLocal("register_by", in.RegisterBy)
		}
	}
	ai := app.ActivityInput{Edit: e}
	if in.Invite.All || len(in.Invite.UserIDs)+len(in.Invite.SectorIDs)+len(in.Invite.StationIDs)+len(in.Invite.SpecialCommitteeIDs) > 0 {
		inv := in.Invite.invitation()
		ai.Invite = &inv
	}
	if err == nil {
		_, err = s.Svc.ActOnActivity(r.Context(), a, id, zhengxie.ActEditActivity, ai)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Activity(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIActivityDetail(v))
}

func (s *Server) apiActivity(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Activity(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIActivityDetail(v))
}

// apiActivityAct runs publish, hold, close, cancel or invite.
func (s *Server) apiActivityAct(w http.ResponseWriter, r *http.Request) {
	var in apiActivityAction
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	action := zhengxie.ActivityAction(path.Base(r.URL.Path))
	if action == "invite" {
		action = zhengxie.ActEditActivity
	}
	ai := app.ActivityInput{Comment: in.Comment, Minutes: in.Minutes, Suggestions: in.Suggestions}
	if in.Invite != nil {
		inv := in.Invite.invitation()
		ai.Invite = &inv
	}
	for _, l := range in.Links {
		ai.Links = append(ai.Links, store.ActivityLink{RefKind: l.RefKind, RefID: l.RefID})
	}
	a := actorOf(r)
	if _, err := s.Svc.ActOnActivity(r.Context(), a, id, action, ai); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Svc.Activity(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIActivityDetail(v))
}

func (s *Server) apiActivityAttendance(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	v, err := s.Svc.Activity(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !v.Organiser && !zhengxie.SeesAll(a.Role) {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有活动组织方和政协机关可以查看全部出席情况；您的回复见活动详情。"))
		return
	}
	items := make([]apiAttendance, 0, len(v.Attendance))
	for i := range v.Attendance {
		items = append(items, toAPIAttendance(&v.Attendance[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// apiAttendanceAct: a member's answer (attend, leave), QR sign-in
// (sign_in, with the token) or the organiser's record (mark).
func (s *Server) apiAttendanceAct(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Answer string `json:"answer"`
		Reason string `json:"reason"`
		Token  string `json:"token"`
		UserID int64  `json:"user_id"`
		Mark   string `json:"mark"`
	}
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	a := actorOf(r)
	var at *zhengxie.Attendance
	var err error
	switch path.Base(r.URL.Path) {
	case "answer":
		at, err = s.Svc.Answer(r.Context(), a, id, zhengxie.AttendanceAction(in.Answer), in.Reason)
	case "signin":
		at, err = s.Svc.SignIn(r.Context(), a, id, in.Token)
	case "attendance":
		at, err = s.Svc.MarkAttendance(r.Context(), a, id, in.UserID, zhengxie.AttendanceAction(in.Mark), in.Reason)
	default:
		err = zhengxie.NotFound("接口")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIAttendance(at))
}

// dutyEventName is how an activity's history names an event.
func dutyEventName(action string) string {
	kind, rest, _ := strings.Cut(action, ".")
	switch kind {
	case "activity":
		switch rest {
		case "created":
			return "创建活动"
		case "file_added":
			return "上传材料"
		}
		return zhengxie.ActivityAction(rest).Name()
	case "attendance":
		return zhengxie.AttendanceAction(rest).Name()
	}
	return action
}
