package zhengxie

import (
	"strings"
	"time"
)

// Activities (协商活动、视察调研、会议 …) of the duty module (履职), which
// members are invited to and sign in at: what may happen to an activity and
// to an attendance is in the two tables below. The office's records and the
// year's points and checklist are in duty.go.

// ActivityKind is the kind of an activity.
type ActivityKind string

const (
	ActivityPlenary      ActivityKind = "plenary"      // 全体会议
	ActivityConsultation ActivityKind = "consultation" // 协商活动
	ActivityTopic        ActivityKind = "topic"        // 专题协商
	ActivityCommunity    ActivityKind = "community"    // 协商进社区
	ActivityInspection   ActivityKind = "inspection"   // 视察调研
	ActivityMeeting      ActivityKind = "meeting"      // 会议
	ActivityStudy        ActivityKind = "study"        // 学习培训
)

// ActivityKinds lists the kinds in display order.
var ActivityKinds = []ActivityKind{ActivityPlenary, ActivityConsultation, ActivityTopic, ActivityCommunity, ActivityInspection, ActivityMeeting, ActivityStudy}

// Name is the Chinese name of the kind.
func (k ActivityKind) Name() string {
	switch k {
	case ActivityPlenary:
		return "全体会议"
	case ActivityConsultation:
		return "协商活动"
	case ActivityTopic:
		return "专题协商"
	case ActivityCommunity:
		return "协商进社区"
	case ActivityInspection:
		return "视察调研"
	case ActivityMeeting:
		return "会议"
	case ActivityStudy:
		return "学习培训"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k ActivityKind) Valid() bool {
	for _, x := range ActivityKinds {
		if x == k {
			return true
		}
	}
	return false
}

// ActivityState is where an activity is.
type ActivityState string

const (
	ActivityDraft     ActivityState = "draft"
	ActivityPublished ActivityState = "published" // invitations sent, answers and sign-in open
	ActivityHeld      ActivityState = "held"      // took place; attendance counts
	ActivityClosed    ActivityState = "closed"    // outcome recorded
	ActivityCancelled ActivityState = "cancelled"
)

// Name is the Chinese name of the state.
func (s ActivityState) Name() string {
	switch s {
	case ActivityDraft:
		return "草稿"
	case ActivityPublished:
		return "已发布"
	case ActivityHeld:
		return "已举行"
	case ActivityClosed:
		return "已办结"
	case ActivityCancelled:
		return "已取消"
	}
	return string(s)
}

// Counts reports whether attendance of an activity in this state counts
// toward duty: it has taken place.
func (s ActivityState) Counts() bool { return s == ActivityHeld || s == ActivityClosed }

// ActivityAction is what is done to an activity.
type ActivityAction string

const (
	ActPublishActivity ActivityAction = "publish"
	ActHoldActivity    ActivityAction = "hold"
	ActCloseActivity   ActivityAction = "close"
	ActCancelActivity  ActivityAction = "cancel"
	ActEditActivity    ActivityAction = "edit"
)

// Name is the Chinese name of the action.
func (a ActivityAction) Name() string {
	switch a {
	case ActPublishActivity:
		return "发布"
	case ActHoldActivity:
		return "确认已举行"
	case ActCloseActivity:
		return "记录活动成果"
	case ActCancelActivity:
		return "取消"
	case ActEditActivity:
		return "修改"
	}
	return string(a)
}

// Parties of the duty module.
const (
	PartyOrganiser Party = "organiser" // the office, or the managers of the organising station or special committee
	PartyInvitee   Party = "invitee"   // the member invited (acting for themselves)
)

func init() {
	partyNames[PartyOrganiser] = "活动组织方"
	partyNames[PartyInvitee] = "受邀委员本人"
}

// ActivityTable says who may do what to an activity when.
var ActivityTable = &Table[ActivityState, ActivityAction]{
	Subject: "活动",
	Rows: []Row[ActivityState, ActivityAction]{
		{ActivityDraft, ActEditActivity, PartyOrganiser, ActivityDraft},
		{ActivityDraft, ActPublishActivity, PartyOrganiser, ActivityPublished},
		{ActivityDraft, ActCancelActivity, PartyOrganiser, ActivityCancelled},
		{ActivityPublished, ActEditActivity, PartyOrganiser, ActivityPublished},
		{ActivityPublished, ActHoldActivity, PartyOrganiser, ActivityHeld},
		{ActivityPublished, ActCancelActivity, PartyOrganiser, ActivityCancelled},
		{ActivityHeld, ActCloseActivity, PartyOrganiser, ActivityClosed},
		{ActivityClosed, ActCloseActivity, PartyOrganiser, ActivityClosed},
	},
	StateName:  func(s ActivityState) string { return s.Name() },
	ActionName: func(a ActivityAction) string { return a.Name() },
}

// AttendanceState is a member's answer to an invitation and what came of it.
type AttendanceState string

const (
	AttendInvited  AttendanceState = "invited"
	AttendAttend   AttendanceState = "attending" // answered 参加
	AttendLeave    AttendanceState = "leave"     // 请假 (with a reason)
	AttendSignedIn AttendanceState = "signed_in"
	AttendAbsent   AttendanceState = "absent" // 缺席 without leave
)

// Name is the Chinese name of the state.
func (s AttendanceState) Name() string {
	switch s {
	case AttendInvited:
		return "待回复"
	case AttendAttend:
		return "参加"
	case AttendLeave:
		return "请假"
	case AttendSignedIn:
		return "已签到"
	case AttendAbsent:
		return "缺席"
	}
	return string(s)
}

// AttendanceAction is what is done to an attendance.
type AttendanceAction string

const (
	ActAttend      AttendanceAction = "attend"
	ActLeave       AttendanceAction = "leave"
	ActSignIn      AttendanceAction = "sign_in"
	ActMarkPresent AttendanceAction = "mark_present"
	ActMarkLeave   AttendanceAction = "mark_leave"
	ActMarkAbsent  AttendanceAction = "mark_absent"
)

// Name is the Chinese name of the action.
func (a AttendanceAction) Name() string {
	switch a {
	case ActAttend:
		return "报名参加"
	case ActLeave:
		return "请假"
	case ActSignIn:
		return "签到"
	case ActMarkPresent:
		return "补记到会"
	case ActMarkLeave:
		return "记为请假"
	case ActMarkAbsent:
		return "记为缺席"
	}
	return string(a)
}

// ByHand reports whether the action is the organiser's record, which needs a reason.
func (a AttendanceAction) ByHand() bool {
	return a == ActMarkPresent || a == ActMarkLeave || a == ActMarkAbsent
}

// AttendanceTable says who may answer, sign in and mark attendance when.
// A member signs in once: signed_in has no sign_in row.
var AttendanceTable = &Table[AttendanceState, AttendanceAction]{
	Subject: "出席记录",
	Rows: func() []Row[AttendanceState, AttendanceAction] {
		rows := []Row[AttendanceState, AttendanceAction]{
			{AttendInvited, ActAttend, PartyInvitee, AttendAttend},
			{AttendLeave, ActAttend, PartyInvitee, AttendAttend},
			{AttendInvited, ActLeave, PartyInvitee, AttendLeave},
			{AttendAttend, ActLeave, PartyInvitee, AttendLeave},
			{AttendLeave, ActLeave, PartyInvitee, AttendLeave},
			{AttendInvited, ActSignIn, PartyInvitee, AttendSignedIn},
			{AttendAttend, ActSignIn, PartyInvitee, AttendSignedIn},
			{AttendLeave, ActSignIn, PartyInvitee, AttendSignedIn},
		}
		for _, from := range []AttendanceState{AttendInvited, AttendAttend, AttendLeave, AttendSignedIn, AttendAbsent} {
			rows = append(rows,
				Row[AttendanceState, AttendanceAction]{from, ActMarkPresent, PartyOrganiser, AttendSignedIn},
				Row[AttendanceState, AttendanceAction]{from, ActMarkLeave, PartyOrganiser, AttendLeave},
				Row[AttendanceState, AttendanceAction]{from, ActMarkAbsent, PartyOrganiser, AttendAbsent})
		}
		return rows
	}(),
	StateName:  func(s AttendanceState) string { return s.Name() },
	ActionName: func(a AttendanceAction) string { return a.Name() },
}

// Activity is one 协商活动 / 视察调研 / 会议 … of a committee.
type Activity struct {
	ID            int64
	CommitteeID   int64
	Year          int
	Kind          ActivityKind
	Title         string
	State         ActivityState
	StartsAt      time.Time
	EndsAt        time.Time
	Place         string
	OrganizerKind string // "office", OrgSpecialCommittee or OrgStation
	OrganizerID   int64
	OrganizerName string // filled by reads
	RegisterBy    time.Time
	Description   string
	Minutes       string // 纪要
	Suggestions   string // 形成的意见建议
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Attendance is one invited member's row of an activity.
type Attendance struct {
	CommitteeID int64
	ActivityID  int64
	UserID      int64
	UserName    string // filled by reads
	SectorID    int64  // filled by reads
	State       AttendanceState
	Reason      string
	ByHand      bool
	MarkedBy    int64
	SignedAt    time.Time
	UpdatedAt   time.Time
}

// SignInWindow is when members may sign in at an activity: from an hour
// before it starts until an hour after it ends.
func (a *Activity) SignInWindow() (from, to time.Time) {
	end := a.EndsAt
	if end.Before(a.StartsAt) {
		end = a.StartsAt
	}
	return a.StartsAt.Add(-time.Hour), end.Add(time.Hour)
}

// CheckSignIn says whether a member may sign in at now, in Chinese when not.
func (a *Activity) CheckSignIn(now time.Time, loc *time.Location) error {
	if a.State != ActivityPublished && a.State != ActivityHeld {
		return Errorf(EIllegal, "活动%s，不能签到。", a.State.Name())
	}
	from, to := a.SignInWindow()
	f := func(t time.Time) string { return t.In(loc).Format("1月2日 15:04") }
	if now.Before(from) {
		return Errorf(EIllegal, "签到尚未开始：本次活动的签到时间为%s至%s，请在活动开始前一小时内扫码签到。", f(from), f(to))
	}
	if now.After(to) {
		return Errorf(EIllegal, "签到已经结束：本次活动的签到时间为%s至%s。如确已到会，请联系活动组织方补记。", f(from), f(to))
	}
	return nil
}

// CheckActivity checks what the organiser writes into an activity.
func CheckActivity(a *Activity) error {
	a.Title, a.Place = strings.TrimSpace(a.Title), strings.TrimSpace(a.Place)
	switch {
	case !a.Kind.Valid():
		return FieldError("kind", "请选择活动类型")
	case a.Title == "" || len([]rune(a.Title)) > 80 || !ValidText(a.Title):
		return FieldError("title", "请填写活动名称（不超过80个字）")
	case a.StartsAt.IsZero():
		return FieldError("starts_at", "请填写活动开始时间")
	case !a.EndsAt.IsZero() && a.EndsAt.Before(a.StartsAt):
		return FieldError("ends_at", "结束时间不能早于开始时间")
	case !a.EndsAt.IsZero() && a.EndsAt.Sub(a.StartsAt) > 7*24*time.Hour:
		return FieldError("ends_at", "一次活动不超过7天，多日活动请分次发布")
	case len([]rune(a.Place)) > 100 || !ValidText(a.Place):
		return FieldError("place", "地点不超过100个字")
	case !a.RegisterBy.IsZero() && a.RegisterBy.After(a.StartsAt):
		return FieldError("register_by", "报名截止时间应早于活动开始时间")
	}
	if a.EndsAt.IsZero() {
		a.EndsAt = a.StartsAt.Add(2 * time.Hour)
	}
	for _, t := range []struct{ field, label, s string }{{"description", "活动内容", a.Description}, {"minutes", "活动纪要", a.Minutes}, {"suggestions", "形成的意见建议", a.Suggestions}} {
		if err := CheckText(t.field, t.label, t.s, 5000); err != nil {
			return err
		}
	}
	return nil
}
