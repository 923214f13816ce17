package zhengxie

import (
	"regexp"
	"strings"
)

// Contact with the people (1站1室): liaison stations and sector studios
// hold reception days (接访) at which members on duty meet citizens; each
// matter a citizen raises is a Matter (matter.go) tracked to its answer.
// What may happen to a reception day is the table below.

// Parties of the contact module.
const (
	PartyStationStaff Party = "station_staff" // the staff of the station or studio (and the office, for every station)
	PartyDutyMember   Party = "duty_member"   // a member on duty at the reception, or the member a matter was raised with
	PartyCitizen      Party = "citizen"       // whoever holds a matter's tracking code
	PartyReporter     Party = "reporter"      // the member who filed an opinion report
)

func init() {
	partyNames[PartyStationStaff] = "联络站（工作室）工作人员"
	partyNames[PartyDutyMember] = "值班委员"
	partyNames[PartyCitizen] = "反映问题的群众"
	partyNames[PartyReporter] = "报送委员本人"
}

// ReceptionState is where a reception day is.
type ReceptionState string

const (
	ReceptionScheduled ReceptionState = "scheduled"
	ReceptionHeld      ReceptionState = "held"
	ReceptionCancelled ReceptionState = "cancelled"
)

// Name is the Chinese name of the state.
func (s ReceptionState) Name() string {
	switch s {
	case ReceptionScheduled:
		return "待接访"
	case ReceptionHeld:
		return "已接访"
	case ReceptionCancelled:
		return "已取消"
	}
	return string(s)
}

// ReceptionAction is what is done to a reception day.
type ReceptionAction string

const (
	ActHoldReception   ReceptionAction = "hold"
	ActCancelReception ReceptionAction = "cancel"
	ActLogMatter       ReceptionAction = "log_matter"
)

// Name is the Chinese name of the action.
func (a ReceptionAction) Name() string {
	switch a {
	case ActHoldReception:
		return "确认已接访"
	case ActCancelReception:
		return "取消接访"
	case ActLogMatter:
		return "登记群众诉求"
	}
	return string(a)
}

// ReceptionTable says who may do what to a reception day when. Matters
// are logged on the day (or when held, for what was written on paper).
var ReceptionTable = &Table[ReceptionState, ReceptionAction]{
	Subject: "接访活动",
	Rows: []Row[ReceptionState, ReceptionAction]{
		{ReceptionScheduled, ActHoldReception, PartyStationStaff, ReceptionHeld},
		{ReceptionScheduled, ActHoldReception, PartyDutyMember, ReceptionHeld},
		{ReceptionScheduled, ActCancelReception, PartyStationStaff, ReceptionCancelled},
		{ReceptionScheduled, ActLogMatter, PartyStationStaff, ReceptionScheduled},
		{ReceptionScheduled, ActLogMatter, PartyDutyMember, ReceptionScheduled},
		{ReceptionHeld, ActLogMatter, PartyStationStaff, ReceptionHeld},
		{ReceptionHeld, ActLogMatter, PartyDutyMember, ReceptionHeld},
	},
	StateName:  func(s ReceptionState) string { return s.Name() },
	ActionName: func(a ReceptionAction) string { return a.Name() },
}

// Reception is one reception day (接访日 / 协商进社区) of a station or studio.
type Reception struct {
	ID          int64
	CommitteeID int64
	StationID   int64
	StationName string // filled by reads
	Day         Date
	Start, End  string // "09:00"
	Place       string
	Topic       string
	MemberIDs   []int64 // the members on duty
	MemberNames []string
	State       ReceptionState
	Visitors    int // 接待群众人次, recorded when held
	Note        string
	Matters     int // filled by reads
	CreatedBy   int64
}

var clockRe = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// CheckReception checks a reception day before it is scheduled.
func CheckReception(r *Reception) error {
	r.Place, r.Topic, r.Note = strings.TrimSpace(r.Place), strings.TrimSpace(r.Topic), strings.TrimSpace(r.Note)
	switch {
	case r.StationID == 0:
		return FieldError("station_id", "请选择委员联络站或界别委员工作室")
	case r.Day.IsZero():
		return FieldError("day", "请填写接访日期，如2026-03-05")
	case !clockRe.MatchString(r.Start) || !clockRe.MatchString(r.End):
		return FieldError("start", "接访时间应为“09:00”这样的时分")
	case r.End <= r.Start:
		return FieldError("end", "结束时间应晚于开始时间")
	case len(r.MemberIDs) == 0:
		return FieldError("member_ids", "请至少安排一名值班委员")
	case len(r.MemberIDs) > 20:
		return FieldError("member_ids", "一次接访最多安排20名值班委员")
	}
	if err := CheckText("place", "接访地点", r.Place, 100); err != nil {
		return err
	}
	if err := CheckText("topic", "接访主题", r.Topic, 100); err != nil {
		return err
	}
	return CheckText("note", "备注", r.Note, 1000)
}

// OnDuty reports whether user is one of the members on duty.
func (r *Reception) OnDuty(userID int64) bool {
	for _, id := range r.MemberIDs {
		if id == userID && id != 0 {
			return true
		}
	}
	return false
}
