package web

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/sheet"
	"zhengxie/store"
)

// The committee's organisation: pages for the admin (sectors, special
// committees, stations and studios, members and their import) and the same
// over the API.

func init() {
	for k, v := range map[string]string{
		"duty_org_saved":    "已保存。",
		"duty_member_saved": "委员信息已保存。",
	} {
		flashes[k] = v
	}
	funcs["orgRoleName"] = zhengxie.OrgRoleName
	funcs["stationKindName"] = zhengxie.StationKindName
	funcs["orgRoles"] = func() []string { return zhengxie.OrgRoles }
}

// orgData is everything the organisation pages show.
type orgData struct {
	Sectors     []zhengxie.Sector
	Committees  []zhengxie.SpecialCommittee
	Stations    []zhengxie.Station
	SectorName  map[int64]string
	CanEdit     bool
	Err         formErr
	ErrSection  string
	ImportRep   *app.MemberImportReport
	ImportError string
}

func (s *Server) loadOrg(r *http.Request) (*orgData, error) {
	a := actorOf(r)
	d := &orgData{SectorName: map[int64]string{}, CanEdit: a.Role == zhengxie.RoleAdmin}
	var err error
	ctx := r.Context()
	if d.Sectors, err = s.Svc.Store.Sectors(ctx, a.CommitteeID); err != nil {
		return nil, err
	}
	for _, se := range d.Sectors {
		d.SectorName[se.ID] = se.Name
	}
	if d.Committees, err = s.Svc.Store.SpecialCommittees(ctx, a.CommitteeID); err != nil {
		return nil, err
	}
	if d.Stations, err = s.Svc.Store.Stations(ctx, a.CommitteeID, ""); err != nil {
		return nil, err
	}
	return d, nil
}

func requireStaff(r *http.Request) error {
	if err := requireUser(r); err != nil {
		return err
	}
	if a := actorOf(r); !zhengxie.SeesAll(a.Role) {
		return zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员、政协机关和领导可以查看组织和委员信息")
	}
	return nil
}

func (s *Server) renderOrg(w http.ResponseWriter, r *http.Request, status int, d *orgData) {
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	page := &Page{Title: "组织管理", Nav: "duty_org", D: d}
	if d.Err.Msg != "" && d.ErrSection == "" {
		page.Error = d.Err.Msg
	}
	s.render(w, r, "duty_org", page)
}

func (s *Server) dutyOrgPage(w http.ResponseWriter, r *http.Request) {
	if err := requireStaff(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.loadOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderOrg(w, r, http.StatusOK, d)
}

// dutyOrgSave handles the organisation forms: POST /duty/org/{kind} adds,
// POST /duty/org/{kind}/{id} changes.
func (s *Server) dutyOrgSave(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	kind := r.PathValue("kind")
	var id int64
	if v := r.PathValue("id"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			s.fail(w, r, zhengxie.NotFound("对象"))
			return
		}
	}
	a := actorOf(r)
	name, err := formText(r, "name")
	if err == nil {
		switch kind {
		case "sectors":
			_, err = s.Svc.SaveSector(r.Context(), a, id, name)
		case "special-committees":
			_, err = s.Svc.SaveSpecialCommittee(r.Context(), a, id, name)
		case "stations":
			st := &zhengxie.Station{ID: id, Kind: r.FormValue("kind"), Name: name}
			st.SectorID, _ = strconv.ParseInt(r.FormValue("sector_id"), 10, 64)
			if st.Address, err = formText(r, "address"); err == nil {
				st.Phone, err = formText(r, "phone")
			}
			if err == nil {
				err = s.Svc.SaveStation(r.Context(), a, st)
			}
		default:
			err = zhengxie.NotFound("页面")
		}
	}
	if err != nil {
		if c := zhengxie.ErrorCode(err); c != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		d, lerr := s.loadOrg(r)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		d.Err = formErrOf(err)
		s.renderOrg(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	redirect(w, r, "/duty/org#"+kind, "duty_org_saved")
}

// ---- members ----

type membersData struct {
	ExportQuery template.URL // the list's filters, for its export links
	Org         *orgData
	Members     []zhengxie.MemberProfile
	Filter      store.ProfileFilter
	Edit        *zhengxie.MemberProfile
	Err         formErr
	IsAdmin     bool
	Imported    *app.MemberImportReport
	ImpErr      string
}

func profileFilterOf(r *http.Request, committeeID int64) store.ProfileFilter {
	q := r.URL.Query()
	f := store.ProfileFilter{CommitteeID: committeeID, Query: strings.TrimSpace(q.Get("q"))}
	f.SectorID, _ = strconv.ParseInt(q.Get("sector"), 10, 64)
	f.SpecialCommitteeID, _ = strconv.ParseInt(q.Get("special_committee"), 10, 64)
	f.StationID, _ = strconv.ParseInt(q.Get("station"), 10, 64)
	if len([]rune(f.Query)) > 20 {
		f.Query = string([]rune(f.Query)[:20])
	}
	return f
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, d *membersData) {
	a := actorOf(r)
	var err error
	if d.Org, err = s.loadOrg(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Filter.CommitteeID == 0 {
		d.Filter = profileFilterOf(r, a.CommitteeID)
	}
	d.ExportQuery = template.URL(r.URL.RawQuery)
	if d.Members, err = s.Svc.Store.Profiles(r.Context(), d.Filter); err != nil {
		s.fail(w, r, err)
		return
	}
	d.IsAdmin = a.Role == zhengxie.RoleAdmin
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	page := &Page{Title: "委员信息", Nav: "duty_members", D: d}
	if d.Err.Msg != "" {
		page.Error = d.Err.Msg
	}
	s.render(w, r, "duty_members", page)
}

func (s *Server) dutyMembersPage(w http.ResponseWriter, r *http.Request) {
	if err := requireStaff(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderMembers(w, r, http.StatusOK, &membersData{})
}

func (s *Server) dutyMemberEditPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireAdmin(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Svc.MemberProfile(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderMemberEdit(w, r, http.StatusOK, p, formErr{})
}

func (s *Server) renderMemberEdit(w http.ResponseWriter, r *http.Request, status int, p *zhengxie.MemberProfile, e formErr) {
	org, err := s.loadOrg(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	page := &Page{Title: "修改委员信息：" + p.User.Name, Nav: "duty_members", D: map[string]any{"P": p, "Org": org, "Err": e}}
	if e.Msg != "" {
		page.Error = e.Msg
	}
	s.render(w, r, "duty_member_edit", page)
}

func (s *Server) dutyMemberUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireAdmin(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	p, err := s.Svc.MemberProfile(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	for _, f := range []struct {
		dst  *string
		name string
	}{{&p.User.Name, "name"}, {&p.User.Phone, "phone"}, {&p.User.Email, "email"}, {&p.Gender, "gender"}, {&p.Employer, "employer"}, {&p.Term, "term"}} {
		if *f.dst, err = formText(r, f.name); err != nil {
			break
		}
	}
	p.User.SectorID, _ = strconv.ParseInt(r.FormValue("sector_id"), 10, 64)
	p.Standing = r.FormValue("standing") == "1"
	p.Memberships = nil
	for _, kind := range []string{zhengxie.OrgSpecialCommittee, zhengxie.OrgStation} {
		for _, v := range r.Form[kind] {
			oid, _ := strconv.ParseInt(v, 10, 64)
			role := r.FormValue(kind + "_role_" + v)
			if role == "" {
				role = zhengxie.OrgRoleMember
			}
			p.Memberships = append(p.Memberships, zhengxie.Membership{OrgKind: kind, OrgID: oid, Role: role})
		}
	}
	if err == nil {
		err = s.Svc.UpdateMember(r.Context(), a, p)
	}
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderMemberEdit(w, r, http.StatusUnprocessableEntity, p, formErrOf(err))
		return
	}
	redirect(w, r, "/duty/members", "duty_member_saved")
}

// readUpload reads the "file" field of a multipart form (at most 10 MB).
func readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 11<<20)
	f, h, err := r.FormFile("file")
	if err != nil {
		return "", nil, zhengxie.FieldError("file", "请选择要上传的文件（multipart/form-data，字段名file，不超过10MB）")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 10<<20+1))
	if err != nil || len(data) > 10<<20 {
		return "", nil, zhengxie.FieldError("file", "文件读取失败或超过10MB")
	}
	return h.Filename, data, nil
}

func (s *Server) importMembers(w http.ResponseWriter, r *http.Request) (*app.MemberImportReport, error) {
	if err := requireAdmin(r); err != nil {
		return nil, err
	}
	name, data, err := readUpload(w, r)
	if err != nil {
		return nil, err
	}
	t, err := sheet.ReadBytes(name, data)
	if err != nil {
		return nil, err
	}
	opt := app.MemberImportOptions{CreateOrgs: r.FormValue("create_orgs") == "1" || r.FormValue("create_orgs") == "true",
		DryRun: r.FormValue("dry_run") == "1" || r.FormValue("dry_run") == "true"}
	return s.Svc.ImportMembers(r.Context(), actorOf(r), t, opt)
}

func (s *Server) dutyMembersImport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.importMembers(w, r)
	if err != nil {
		if zhengxie.ErrorCode(err) != zhengxie.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderMembers(w, r, http.StatusUnprocessableEntity, &membersData{ImpErr: zhengxie.ErrorMessage(err)})
		return
	}
	s.renderMembers(w, r, http.StatusOK, &membersData{Imported: rep})
}

// ---- API ----

type apiSector struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type apiStation struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	KindName string `json:"kind_name"`
	Name     string `json:"name"`
	SectorID int64  `json:"sector_id"`
	Address  string `json:"address"`
	Phone    string `json:"phone"`
}

type apiStationInput struct {
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	SectorID int64  `json:"sector_id"`
	Address  string `json:"address"`
	Phone    string `json:"phone"`
}

type apiMembership struct {
	OrgKind  string `json:"org_kind"`
	OrgID    int64  `json:"org_id"`
	OrgName  string `json:"org_name"`
	Role     string `json:"role"`
	RoleName string `json:"role_name"`
}

type apiMember struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Username    string          `json:"username"`
	SectorID    int64           `json:"sector_id"`
	Gender      string          `json:"gender"`
	Employer    string          `json:"employer"`
	Standing    bool            `json:"standing"`
	Term        string          `json:"term"`
	Phone       string          `json:"phone,omitempty"`
	Email       string          `json:"email,omitempty"`
	Disabled    bool            `json:"disabled"`
	Memberships []apiMembership `json:"memberships"`
}

type apiMemberInput struct {
	Name        *string `json:"name"`
	SectorID    *int64  `json:"sector_id"`
	Gender      *string `json:"gender"`
	Employer    *string `json:"employer"`
	Standing    *bool   `json:"standing"`
	Term        *string `json:"term"`
	Phone       *string `json:"phone"`
	Email       *string `json:"email"`
	Memberships *[]struct {
		OrgKind string `json:"org_kind"`
		OrgID   int64  `json:"org_id"`
		Role    string `json:"role"`
	} `json:"memberships"`
}

func toAPIStation(st *zhengxie.Station) apiStation {
	return apiStation{st.ID, st.Kind, zhengxie.StationKindName(st.Kind), st.Name, st.SectorID, st.Address, st.Phone}
}

// toAPIMember leaves the contact details out unless withContact: members
// see each other's names and organisations only.
func toAPIMember(p *zhengxie.MemberProfile, withContact bool) apiMember {
	out := apiMember{ID: p.User.ID, Name: p.User.Name, Username: p.User.Username, SectorID: p.User.SectorID, Gender: p.Gender, Employer: p.Employer,
		Standing: p.Standing, Term: p.Term, Disabled: p.User.Disabled, Memberships: []apiMembership{}}
	if withContact {
		out.Phone, out.Email = p.User.Phone, p.User.Email
	}
	for _, m := range p.Memberships {
		out.Memberships = append(out.Memberships, apiMembership{m.OrgKind, m.OrgID, m.OrgName, m.Role, zhengxie.OrgRoleName(m.Role)})
	}
	return out
}

func (s *Server) apiOrgList(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	ctx := r.Context()
	switch {
	case strings.HasSuffix(r.URL.Path, "/sectors"):
		ss, err := s.Svc.Store.Sectors(ctx, a.CommitteeID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := []apiSector{}
		for _, se := range ss {
			out = append(out, apiSector{se.ID, se.Name})
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": out})
	case strings.HasSuffix(r.URL.Path, "/special-committees"):
		ss, err := s.Svc.Store.SpecialCommittees(ctx, a.CommitteeID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := []apiSector{}
		for _, se := range ss {
			out = append(out, apiSector{se.ID, se.Name})
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": out})
	default:
		ss, err := s.Svc.Store.Stations(ctx, a.CommitteeID, r.URL.Query().Get("kind"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := []apiStation{}
		for i := range ss {
			out = append(out, toAPIStation(&ss[i]))
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": out})
	}
}

// apiOrgSave creates (POST on the collection) or changes (PUT on {id}) a
// sector, special committee or station.
func (s *Server) apiOrgSave(w http.ResponseWriter, r *http.Request) {
	if err := requireUser(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	a := actorOf(r)
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/")
	status := http.StatusCreated
	if id != 0 {
		status = http.StatusOK
	}
	switch {
	case strings.HasPrefix(path, "stations"):
		var in apiStationInput
		if err := decode(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		st := &zhengxie.Station{ID: id, Kind: in.Kind, Name: in.Name, SectorID: in.SectorID, Address: in.Address, Phone: in.Phone}
		if err := s.Svc.SaveStation(r.Context(), a, st); err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, status, toAPIStation(st))
	default:
		var in struct {
			Name string `json:"name"`
		}
		if err := decode(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		var out apiSector
		var err error
		if strings.HasPrefix(path, "sectors") {
			var se *zhengxie.Sector
			if se, err = s.Svc.SaveSector(r.Context(), a, id, in.Name); err == nil {
				out = apiSector{se.ID, se.Name}
			}
		} else {
			var sc *zhengxie.SpecialCommittee
			if sc, err = s.Svc.SaveSpecialCommittee(r.Context(), a, id, in.Name); err == nil {
				out = apiSector{sc.ID, sc.Name}
			}
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, status, out)
	}
}

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request) {
	if err := requireStaff(r); err != nil {
		s.fail(w, r, err)
		return
	}
	a := actorOf(r)
	ps, err := s.Svc.Store.Profiles(r.Context(), profileFilterOf(r, a.CommitteeID))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]apiMember, 0, len(ps))
	for i := range ps {
		out = append(out, toAPIMember(&ps[i], true))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

func (s *Server) apiMember(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = requireUser(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Svc.MemberProfile(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIMember(p, true))
}

func (s *Server) apiUpdateMember(w http.ResponseWriter, r *http.Request) {
	var in apiMemberInput
	id, ok := s.objectInput(w, r, &in)
	if !ok {
		return
	}
	a := actorOf(r)
	p, err := s.Svc.MemberProfile(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Role != zhengxie.RoleAdmin {
		s.fail(w, r, zhengxie.Errorf(zhengxie.EForbidden, "只有系统管理员可以修改委员信息"))
		return
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.User.Name, in.Name)
	set(&p.Gender, in.Gender)
	set(&p.Employer, in.Employer)
	set(&p.Term, in.Term)
	set(&p.User.Phone, in.Phone)
	set(&p.User.Email, in.Email)
	if in.SectorID != nil {
		p.User.SectorID = *in.SectorID
	}
	if in.Standing != nil {
		p.Standing = *in.Standing
	}
	if in.Memberships != nil {
		p.Memberships = nil
		for _, m := range *in.Memberships {
			p.Memberships = append(p.Memberships, zhengxie.Membership{OrgKind: m.OrgKind, OrgID: m.OrgID, Role: m.Role})
		}
	}
	if err := s.Svc.UpdateMember(r.Context(), a, p); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err = s.Svc.MemberProfile(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIMember(p, true))
}

func (s *Server) apiImportMembers(w http.ResponseWriter, r *http.Request) {
	rep, err := s.importMembers(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rep.NewOrgs == nil {
		rep.NewOrgs = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"rows": rep.Rows, "created": rep.Created, "updated": rep.Updated, "new_orgs": rep.NewOrgs})
}
