package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"zhengxie"
	"zhengxie/internal/sheet"
	"zhengxie/store"
)

// Importing members from a spreadsheet (XLSX/CSV: 姓名, 性别, 界别, 专委会,
// 联络站, 工作单位及职务, 手机), like the proposal import: every row is
// checked first and the file is written in one transaction, so one bad row
// changes nothing. A row whose mobile number is already a member's updates
// that member; any other row adds a member whose login is the mobile number.

// memberColumns maps each field to the headers it may have.
var memberColumns = []struct {
	Key      string
	Names    []string
	Required bool
}{
	{"name", []string{"姓名", "委员姓名"}, true},
	{"gender", []string{"性别"}, false},
	{"sector", []string{"界别", "所属界别"}, false},
	{"special_committee", []string{"专委会", "专门委员会", "所属专委会"}, false},
	{"station", []string{"联络站", "委员联络站", "所属联络站"}, false},
	{"employer", []string{"工作单位及职务", "工作单位", "单位及职务"}, false},
	{"phone", []string{"手机", "手机号码", "联系电话"}, true},
}

// MemberImportOptions say what an import may create.
type MemberImportOptions struct {
	// CreateOrgs adds sectors, special committees and stations the file
	// names but the committee does not have yet; otherwise they are errors.
	CreateOrgs bool
	DryRun     bool
}

// MemberImportReport says what an import did.
type MemberImportReport struct {
	Rows, Created, Updated int
	NewOrgs                []string
}

// MemberImportError lists every bad row of a file that was not imported.
type MemberImportError struct{ Rows []RowError }

func (e *MemberImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d处错误，未导入任何委员：", len(e.Rows))
	for i, r := range e.Rows {
		if i == 50 {
			fmt.Fprintf(&b, "\n……另有%d处", len(e.Rows)-50)
			break
		}
		b.WriteString("\n  " + r.String())
	}
	return b.String()
}

var listSep = regexp.MustCompile(`[、，,;；/]+`)

type memberRow struct {
	line                     int
	name, gender, employer   string
	phone, sector            string
	committees, stationNames []string
}

// ImportMembers imports a member list. The error of a file with bad rows
// is a *MemberImportError inside a zhengxie.Error of code invalid.
func (s *Service) ImportMembers(ctx context.Context, a zhengxie.Actor, t *sheet.Table, opt MemberImportOptions) (*MemberImportReport, error) {
	if err := requireRole(a, "导入委员名单", zhengxie.RoleAdmin, zhengxie.RoleSystem); err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range t.Header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for _, c := range memberColumns {
			for _, n := range c.Names {
				if h == n {
					if _, dup := col[c.Key]; !dup {
						col[c.Key] = i
					}
				}
			}
		}
	}
	for _, c := range memberColumns {
		if _, ok := col[c.Key]; c.Required && !ok {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "表头缺少“%s”列（需要：姓名、性别、界别、专委会、联络站、工作单位及职务、手机）", c.Names[0])
		}
	}
	cell := func(r []string, key string) string {
		i, ok := col[key]
		if !ok || i >= len(r) {
			return ""
		}
		return strings.TrimSpace(r[i])
	}
	var rows []memberRow
	var bad []RowError
	phones := map[string]int{}
	for i, r := range t.Rows {
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		mr := memberRow{line: t.Lines[i], name: cell(r, "name"), gender: cell(r, "gender"), employer: cell(r, "employer"),
			phone: cell(r, "phone"), sector: cell(r, "sector")}
		for _, key := range []string{"special_committee", "station"} {
			for _, v := range listSep.Split(cell(r, key), -1) {
				if v = strings.TrimSpace(v); v != "" {
					if key == "station" {
						mr.stationNames = append(mr.stationNames, v)
					} else {
						mr.committees = append(mr.committees, v)
					}
				}
			}
		}
		p := &zhengxie.MemberProfile{User: zhengxie.User{Name: mr.name, Phone: mr.phone}, Gender: mr.gender, Employer: mr.employer}
		if err := zhengxie.CheckProfile(p); err != nil {
			bad = append(bad, RowError{Line: mr.line, Field: importFieldName(zhengxie.ErrorField(err)), Msg: zhengxie.ErrorMessage(err)})
			continue
		}
		if mr.phone == "" {
			bad = append(bad, RowError{Line: mr.line, Field: "手机", Msg: "请填写手机号码（用作登录名和通知）"})
			continue
		}
		if first, dup := phones[mr.phone]; dup {
			bad = append(bad, RowError{Line: mr.line, Field: "手机", Msg: fmt.Sprintf("与第%d行的手机号码重复", first)})
			continue
		}
		phones[mr.phone] = mr.line
		rows = append(rows, mr)
	}
	if len(rows) == 0 && len(bad) == 0 {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "文件中没有委员数据")
	}
	rep := &MemberImportReport{}
	errDry := zhengxie.Errorf(zhengxie.EConflict, "dry run")
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		cid := a.CommitteeID
		sectors, err := tx.SectorsTx(cid)
		if err != nil {
			return err
		}
		scs, err := tx.SpecialCommittees(cid)
		if err != nil {
			return err
		}
		sts, err := tx.Stations(cid, "")
		if err != nil {
			return err
		}
		sectorID := map[string]int64{}
		for _, se := range sectors {
			sectorID[se.Name] = se.ID
		}
		scID := map[string]int64{}
		for _, sc := range scs {
			scID[sc.Name] = sc.ID
		}
		stID := map[string]int64{}
		for _, st := range sts {
			stID[st.Name] = st.ID
		}
		members, err := tx.Profiles(store.ProfileFilter{CommitteeID: cid})
		if err != nil {
			return err
		}
		byPhone := map[string]*zhengxie.MemberProfile{}
		for i := range members {
			if members[i].User.Phone != "" {
				byPhone[members[i].User.Phone] = &members[i]
			}
		}
		ensure := func(line int, field, name string, ids map[string]int64, create func() (int64, error)) int64 {
			if id, ok := ids[name]; ok {
				return id
			}
			if !opt.CreateOrgs {
				bad = append(bad, RowError{Line: line, Field: field, Msg: fmt.Sprintf("“%s”不存在：请先在组织管理中添加，或勾选“自动添加不存在的界别、专委会和联络站”", name)})
				return 0
			}
			if err := zhengxie.CheckOrgName(field, name); err != nil {
				bad = append(bad, RowError{Line: line, Field: field, Msg: zhengxie.ErrorMessage(err)})
				return 0
			}
			id, err := create()
			if err != nil {
				bad = append(bad, RowError{Line: line, Field: field, Msg: zhengxie.ErrorMessage(err)})
				return 0
			}
			ids[name] = id
			rep.NewOrgs = append(rep.NewOrgs, field+"："+name)
			return id
		}
		var profiles []*zhengxie.MemberProfile
		for _, mr := range rows {
			p := &zhengxie.MemberProfile{User: zhengxie.User{CommitteeID: cid, Name: mr.name, Phone: mr.phone, Role: zhengxie.RoleMember},
				Gender: mr.gender, Employer: mr.employer}
			if old := byPhone[mr.phone]; old != nil {
				p.User = old.User
				p.User.Name = mr.name
				p.Standing, p.Term = old.Standing, old.Term
				// Station staff roles and other memberships the file does not
				// speak of are kept.
				for _, m := range old.Memberships {
					if m.Role != zhengxie.OrgRoleMember {
						p.Memberships = append(p.Memberships, m)
					}
				}
				if old.User.Role != zhengxie.RoleMember {
					bad = append(bad, RowError{Line: mr.line, Field: "手机", Msg: "该手机号码属于非委员账号（" + zhengxie.RoleName(old.User.Role) + "）"})
					continue
				}
			}
			if mr.sector != "" {
				name := mr.sector
				p.User.SectorID = ensure(mr.line, "界别", name, sectorID, func() (int64, error) {
					se := &zhengxie.Sector{CommitteeID: cid, Name: name}
					err := tx.CreateSector(se)
					return se.ID, err
				})
			}
			for _, n := range mr.committees {
				name := n
				id := ensure(mr.line, "专委会", name, scID, func() (int64, error) {
					sc := &zhengxie.SpecialCommittee{CommitteeID: cid, Name: name}
					err := tx.CreateSpecialCommittee(sc)
					return sc.ID, err
				})
				if id != 0 {
					p.Memberships = appendMembership(p.Memberships, zhengxie.Membership{CommitteeID: cid, OrgKind: zhengxie.OrgSpecialCommittee, OrgID: id, Role: zhengxie.OrgRoleMember})
				}
			}
			for _, n := range mr.stationNames {
				name := n
				id := ensure(mr.line, "联络站", name, stID, func() (int64, error) {
					st := &zhengxie.Station{CommitteeID: cid, Kind: zhengxie.StationLiaison, Name: name}
					err := tx.SaveStation(st)
					return st.ID, err
				})
				if id != 0 {
					p.Memberships = appendMembership(p.Memberships, zhengxie.Membership{CommitteeID: cid, OrgKind: zhengxie.OrgStation, OrgID: id, Role: zhengxie.OrgRoleMember})
				}
			}
			profiles = append(profiles, p)
		}
		if len(bad) > 0 {
			return &zhengxie.Error{Code: zhengxie.EInvalid, Message: (&MemberImportError{Rows: bad}).Error()}
		}
		for _, p := range profiles {
			if p.User.ID == 0 {
				p.User.Username = p.User.Phone
				if err := tx.CreateUser(&p.User, HashPassword(TempPassword())); err != nil {
					if zhengxie.ErrorCode(err) == zhengxie.EConflict {
						return zhengxie.Errorf(zhengxie.EInvalid, "手机号码%s已被其他账号用作登录名，未导入任何委员", p.User.Phone)
					}
					return err
				}
				if err := tx.SetMustChangePassword(p.User.ID, true); err != nil {
					return err
				}
				rep.Created++
			} else {
				rep.Updated++
			}
			if err := tx.SaveProfile(p); err != nil {
				return err
			}
		}
		rep.Rows = len(profiles)
		if err := s.subjectEvent(tx, a, "member", 0, "member.imported", "", "", fmt.Sprintf("导入委员%d名（新增%d，更新%d）", rep.Rows, rep.Created, rep.Updated),
			map[string]any{"created": rep.Created, "updated": rep.Updated, "new_orgs": rep.NewOrgs}); err != nil {
			return err
		}
		if opt.DryRun {
			return errDry
		}
		return nil
	})
	if err == errDry {
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func appendMembership(ms []zhengxie.Membership, m zhengxie.Membership) []zhengxie.Membership {
	for _, x := range ms {
		if x.OrgKind == m.OrgKind && x.OrgID == m.OrgID {
			return ms
		}
	}
	return append(ms, m)
}

func importFieldName(field string) string {
	switch field {
	case "name":
		return "姓名"
	case "gender":
		return "性别"
	case "phone":
		return "手机"
	case "employer":
		return "工作单位及职务"
	}
	return ""
}
