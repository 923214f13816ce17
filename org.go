package zhengxie

import (
	"regexp"
	"strings"
)

// The committee's organisation: 界别 (Sector, in user.go), 专门委员会
// (SpecialCommittee), 委员联络站 and 界别委员工作室 (Station), the members'
// memberships of them and each member's profile. Duty (履职) counts what
// members do inside this organisation; the contact module (接访) fills the
// stations with receptions.

// SpecialCommittee is a 专门委员会 (提案委员会, 经济委员会 …).
type SpecialCommittee struct {
	ID          int64
	CommitteeID int64
	Name        string
}

// Kinds of stations.
const (
	StationLiaison = "station" // 委员联络站
	StationStudio  = "studio"  // 界别委员工作室
)

// StationKindName is the Chinese name of a kind of station.
func StationKindName(kind string) string {
	switch kind {
	case StationLiaison:
		return "委员联络站"
	case StationStudio:
		return "界别委员工作室"
	}
	return kind
}

// Station is a 委员联络站 or a 界别委员工作室 (a studio belongs to a sector).
type Station struct {
	ID          int64
	CommitteeID int64
	Kind        string
	Name        string
	SectorID    int64 // studios: the sector it serves
	Address     string
	Phone       string
}

// Kinds of organisations a member belongs to.
const (
	OrgSpecialCommittee = "special_committee"
	OrgStation          = "station"
	OrgSector           = "sector"
)

// Roles inside an organisation.
const (
	OrgRoleMember   = "member"   // 成员
	OrgRoleConvener = "convener" // 召集人
	OrgRoleDirector = "director" // 主任 / 站长
	OrgRoleDeputy   = "deputy"   // 副主任 / 副站长
	OrgRoleStaff    = "staff"    // 工作人员 (a station's staff user)
)

// OrgRoles lists the roles in display order.
var OrgRoles = []string{OrgRoleMember, OrgRoleConvener, OrgRoleDirector, OrgRoleDeputy, OrgRoleStaff}

// OrgRoleName is the Chinese name of a role in an organisation.
func OrgRoleName(r string) string {
	switch r {
	case OrgRoleMember:
		return "成员"
	case OrgRoleConvener:
		return "召集人"
	case OrgRoleDirector:
		return "主任"
	case OrgRoleDeputy:
		return "副主任"
	case OrgRoleStaff:
		return "工作人员"
	}
	return r
}

// Manages reports whether a role in an organisation may organise its
// activities and keep their attendance.
func Manages(role string) bool {
	return role == OrgRoleConvener || role == OrgRoleDirector || role == OrgRoleDeputy || role == OrgRoleStaff
}

// Membership is one member's place in a special committee or a station.
type Membership struct {
	CommitteeID int64
	OrgKind     string
	OrgID       int64
	OrgName     string // filled by reads
	UserID      int64
	Role        string
}

// Genders of a profile.
const (
	GenderMale   = "男"
	GenderFemale = "女"
)

// MemberProfile is what the committee keeps about a member beyond the
// account: sector (users.sector_id), gender, employer and position, whether
// a standing committee member (常委), the term, and the memberships.
type MemberProfile struct {
	User        User
	Gender      string
	Employer    string // 工作单位及职务
	Standing    bool   // 常委
	Term        string // 届别, e.g. 第二届
	Memberships []Membership
}

// In reports the member's membership of one organisation, if any.
func (p *MemberProfile) In(kind string, id int64) (Membership, bool) {
	for _, m := range p.Memberships {
		if m.OrgKind == kind && m.OrgID == id {
			return m, true
		}
	}
	return Membership{}, false
}

// MembershipOf returns the member's membership of one organisation, or the
// zero Membership (OrgID 0) when there is none; for templates.
func (p *MemberProfile) MembershipOf(kind string, id int64) Membership {
	m, _ := p.In(kind, id)
	return m
}

// OrgIDs lists the ids of the organisations of one kind the member belongs to.
func (p *MemberProfile) OrgIDs(kind string) []int64 {
	var out []int64
	for i := range p.Memberships {
		m := &p.Memberships[i]
		if m.Role == "" {
			m.Role = OrgRoleMember
		}
		if m.OrgKind == kind {
			out = append(out, m.OrgID)
		}
	}
	return out
}

var mobileRe = regexp.MustCompile(`^1[3-9]\d{9}$`)
var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// CheckOrgName checks the name of a sector, special committee or station.
func CheckOrgName(what, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return FieldError("name", "请填写%s名称", what)
	}
	if !ValidText(name) || len([]rune(name)) > 40 {
		return FieldError("name", "%s名称不超过40个字，且不能包含控制字符", what)
	}
	return nil
}

// CheckProfile checks what an admin or an import writes into a profile.
func CheckProfile(p *MemberProfile) error {
	p.User.Name = strings.TrimSpace(p.User.Name)
	p.User.Phone = strings.TrimSpace(p.User.Phone)
	p.User.Email = strings.TrimSpace(p.User.Email)
	p.Employer = strings.TrimSpace(p.Employer)
	p.Term = strings.TrimSpace(p.Term)
	switch {
	case p.User.Name == "" || len([]rune(p.User.Name)) > 20 || !ValidText(p.User.Name):
		return FieldError("name", "请填写姓名（不超过20个字）")
	case p.Gender != "" && p.Gender != GenderMale && p.Gender != GenderFemale:
		return FieldError("gender", "性别应填写“男”或“女”")
	case p.User.Phone != "" && !mobileRe.MatchString(p.User.Phone):
		return FieldError("phone", "手机号码应为11位数字，如13800138000")
	case p.User.Email != "" && !emailRe.MatchString(p.User.Email):
		return FieldError("email", "电子邮箱格式不正确，如 name@example.cn")
	case len([]rune(p.Employer)) > 100 || !ValidText(p.Employer):
		return FieldError("employer", "工作单位及职务不超过100个字")
	case len([]rune(p.Term)) > 20 || !ValidText(p.Term):
		return FieldError("term", "届别不超过20个字，如“第二届”")
	}
	for i := range p.Memberships {
		m := &p.Memberships[i]
		if m.Role == "" {
			m.Role = OrgRoleMember
		}
		if m.OrgKind != OrgSpecialCommittee && m.OrgKind != OrgStation {
			return FieldError("memberships", "未知的组织类型“%s”", m.OrgKind)
		}
		if OrgRoleName(m.Role) == m.Role {
			return FieldError("memberships", "未知的职务“%s”", m.Role)
		}
	}
	return nil
}
