package zhengxie

import (
	"sync"
	"time"
)

// Role is what a user does in a committee. A user has exactly one role.
type Role string

const (
	RoleAnonymous Role = ""       // the public, not logged in
	RoleMember    Role = "member" // 委员
	RoleOffice    Role = "office" // 提案委员会 / 提案科
	RoleUnit      Role = "unit"   // 承办单位 staff
	RoleLeader    Role = "leader" // 主席 / 副主席 / 区领导
	RoleStation   Role = "station"
	RoleAdmin     Role = "admin" // 系统管理员
	RoleSystem    Role = "system"
)

// Roles lists the roles a user can be given, in display order.
var Roles = []Role{RoleMember, RoleOffice, RoleUnit, RoleLeader, RoleStation, RoleAdmin}

// RoleName is the Chinese name of a role.
func RoleName(r Role) string {
	switch r {
	case RoleMember:
		return "委员"
	case RoleOffice:
		return "提案委员会"
	case RoleUnit:
		return "承办单位"
	case RoleLeader:
		return "领导"
	case RoleStation:
		return "联络站"
	case RoleAdmin:
		return "系统管理员"
	case RoleSystem:
		return "系统"
	}
	return "公众"
}

// Level of a committee.
const (
	LevelNational   = "national"
	LevelProvincial = "provincial"
	LevelCity       = "city"
	LevelDistrict   = "district"
)

// Committee is a tenant: one CPPCC committee. Every row of data belongs to one.
type Committee struct {
	ID       int64
	Code     string // short unique code used in URLs and logins
	Name     string // e.g. 政协广州市黄埔区委员会
	Level    string
	ParentID int64
	TimeZone string // IANA name, Asia/Shanghai by default
}

// Location returns the committee's time zone (Asia/Shanghai when unset or unknown).
func (c *Committee) Location() *time.Location {
	name := c.TimeZone
	if name == "" {
		name = "Asia/Shanghai"
	}
	// time.LoadLocation reads the zone file from disk on every call, and
	// pages format every date through here.
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	locations.Store(name, loc)
	return loc
}

var locations sync.Map // zone name → *time.Location

// Session is a plenary session of a term (届次), e.g. 二届二次会议. Proposals
// are numbered per committee and session.
type Session struct {
	ID          int64
	CommitteeID int64
	Term        int // 届
	Number      int // 次
	Name        string
	Year        int
	Current     bool
}

// Sector is a 界别.
type Sector struct {
	ID          int64
	CommitteeID int64
	Name        string
}

// Unit is a handling unit (承办单位).
type Unit struct {
	ID          int64
	CommitteeID int64
	Name        string
	LeaderID    int64 // supervising leader, for escalation
}

// User is anyone who logs in: member, office staff, unit staff, leader, admin.
type User struct {
	ID          int64
	CommitteeID int64
	Username    string
	Name        string
	Role        Role
	UnitID      int64 // for RoleUnit
	SectorID    int64 // for members
	Phone       string
	Email       string
	Disabled    bool
	CreatedAt   time.Time
}

// Actor is who performs an action: the user plus the committee they act in.
// The zero Actor is the anonymous public.
type Actor struct {
	UserID      int64
	CommitteeID int64
	Role        Role
	UnitID      int64
	Name        string
}

// IsAnonymous reports whether the actor is the public.
func (a Actor) IsAnonymous() bool { return a.UserID == 0 && a.Role != RoleSystem }

// ActorOf returns the actor for a user.
func ActorOf(u *User) Actor {
	return Actor{UserID: u.ID, CommitteeID: u.CommitteeID, Role: u.Role, UnitID: u.UnitID, Name: u.Name}
}

// SystemActor is the actor of background jobs of a committee.
func SystemActor(committeeID int64) Actor {
	return Actor{CommitteeID: committeeID, Role: RoleSystem, Name: "系统"}
}

// ChinaTime is Asia/Shanghai, the default time zone of committees.
func ChinaTime() *time.Location { return (&Committee{}).Location() }
