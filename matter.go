package zhengxie

import (
	"crypto/rand"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// A Matter (接访事项 / 群众留言) is one citizen's matter, raised at a
// reception or left in the public message box, tracked until it has an
// answer and the citizen says whether it was settled (事事有回音、件件有
// 着落). A matter forwarded to a handling unit is that unit's task: it signs
// for it, answers by a deadline counted by the committee's rules, and is
// reminded and escalated by the deadline scan like a proposal's task.

// MatterState is where a matter is.
type MatterState string

const (
	MatterReceived  MatterState = "received"  // logged or left, waiting for the station
	MatterForwarded MatterState = "forwarded" // sent to a unit, waiting for it to sign
	MatterHandling  MatterState = "handling"  // the unit signed and is handling it
	MatterAnswered  MatterState = "answered"  // an answer went to the citizen
	MatterSettled   MatterState = "settled"   // the citizen says it is settled
	MatterDisputed  MatterState = "disputed"  // still unsettled after a second handling: the office decides
	MatterClosed    MatterState = "closed"    // closed by the office (decision, no reply from the citizen, not admissible)
	MatterConverted MatterState = "converted" // turned into an opinion report or a proposal draft by the member
)

var matterStateNames = map[MatterState]string{MatterReceived: "待处理", MatterForwarded: "已转办待签收", MatterHandling: "办理中",
	MatterAnswered: "已答复", MatterSettled: "已解决", MatterDisputed: "待机关决定", MatterClosed: "已办结", MatterConverted: "已转委员跟进"}

// Name is the Chinese name of the state.
func (s MatterState) Name() string {
	if n, ok := matterStateNames[s]; ok {
		return n
	}
	return string(s)
}

// MatterStates lists the states in the order of the flow.
var MatterStates = []MatterState{MatterReceived, MatterForwarded, MatterHandling, MatterAnswered, MatterSettled, MatterDisputed, MatterClosed, MatterConverted}

// Open reports whether the matter still waits for someone's answer.
func (s MatterState) Open() bool {
	return s == MatterReceived || s == MatterForwarded || s == MatterHandling || s == MatterDisputed
}

// MatterAction is what is done to a matter.
type MatterAction string

const (
	MatterActCategory  MatterAction = "set_category"
	MatterActAnswer    MatterAction = "answer"  // answered on the spot or by the station
	MatterActForward   MatterAction = "forward" // to a handling unit with a deadline
	MatterActSign      MatterAction = "sign"
	MatterActReturn    MatterAction = "return" // the unit says it is not theirs
	MatterActReply     MatterAction = "reply"
	MatterActSettle    MatterAction = "settle"
	MatterActRehandle  MatterAction = "rehandle" // unsettled, first time, with a unit: back to it
	MatterActReopen    MatterAction = "reopen"   // unsettled, first time, no unit: back to the station
	MatterActDispute   MatterAction = "dispute"  // unsettled the second time: the office decides
	MatterActDecide    MatterAction = "decide"
	MatterActClose     MatterAction = "close"
	MatterActReject    MatterAction = "reject" // 不予受理 with a reason
	MatterActPublish   MatterAction = "publish"
	MatterActUnpublish MatterAction = "unpublish"
	MatterActToReport  MatterAction = "to_report"
	MatterActToDraft   MatterAction = "to_draft"
)

var matterActionNames = map[MatterAction]string{MatterActCategory: "设置类别", MatterActAnswer: "直接答复", MatterActForward: "转办",
	MatterActSign: "签收", MatterActReturn: "退回", MatterActReply: "答复", MatterActSettle: "确认已解决", MatterActRehandle: "反映未解决",
	MatterActReopen: "反映未解决", MatterActDispute: "反映未解决", MatterActDecide: "作出处理决定", MatterActClose: "办结",
	MatterActReject: "不予受理", MatterActPublish: "公开", MatterActUnpublish: "撤销公开", MatterActToReport: "转为社情民意信息",
	MatterActToDraft: "转为提案草稿"}

// Name is the Chinese name of the action.
func (a MatterAction) Name() string {
	if n, ok := matterActionNames[a]; ok {
		return n
	}
	return string(a)
}

// MatterTable says who may do what to a matter when.
var MatterTable = &Table[MatterState, MatterAction]{
	Subject: "群众诉求",
	Rows: func() []Row[MatterState, MatterAction] {
		var rows []Row[MatterState, MatterAction]
		staff := []Party{PartyStationStaff, PartyOffice}
		for _, p := range staff {
			rows = append(rows,
				Row[MatterState, MatterAction]{MatterReceived, MatterActCategory, p, MatterReceived},
				Row[MatterState, MatterAction]{MatterReceived, MatterActAnswer, p, MatterAnswered},
				Row[MatterState, MatterAction]{MatterReceived, MatterActForward, p, MatterForwarded},
				Row[MatterState, MatterAction]{MatterReceived, MatterActReject, p, MatterClosed},
				Row[MatterState, MatterAction]{MatterForwarded, MatterActForward, p, MatterForwarded}, // 改办 to another unit
				Row[MatterState, MatterAction]{MatterAnswered, MatterActClose, p, MatterClosed},
			)
		}
		rows = append(rows,
			Row[MatterState, MatterAction]{MatterReceived, MatterActAnswer, PartyDutyMember, MatterAnswered},
			Row[MatterState, MatterAction]{MatterReceived, MatterActToReport, PartyDutyMember, MatterConverted},
			Row[MatterState, MatterAction]{MatterReceived, MatterActToDraft, PartyDutyMember, MatterConverted},
			Row[MatterState, MatterAction]{MatterForwarded, MatterActSign, PartyUnit, MatterHandling},
			Row[MatterState, MatterAction]{MatterForwarded, MatterActReturn, PartyUnit, MatterReceived},
			Row[MatterState, MatterAction]{MatterHandling, MatterActReply, PartyUnit, MatterAnswered},
			Row[MatterState, MatterAction]{MatterAnswered, MatterActSettle, PartyCitizen, MatterSettled},
			Row[MatterState, MatterAction]{MatterAnswered, MatterActRehandle, PartyCitizen, MatterHandling},
			Row[MatterState, MatterAction]{MatterAnswered, MatterActReopen, PartyCitizen, MatterReceived},
			Row[MatterState, MatterAction]{MatterAnswered, MatterActDispute, PartyCitizen, MatterDisputed},
			Row[MatterState, MatterAction]{MatterDisputed, MatterActDecide, PartyOffice, MatterClosed},
		)
		for _, s := range []MatterState{MatterAnswered, MatterSettled, MatterClosed} {
			rows = append(rows, Row[MatterState, MatterAction]{s, MatterActPublish, PartyOffice, s},
				Row[MatterState, MatterAction]{s, MatterActUnpublish, PartyOffice, s})
		}
		return rows
	}(),
	StateName:  func(s MatterState) string { return s.Name() },
	ActionName: func(a MatterAction) string { return a.Name() },
}

// Sources of a matter.
const (
	SourceReception = "reception" // raised at a reception day
	SourceMessage   = "message"   // left in the public message box
)

// Urgencies of a matter.
const (
	UrgencyNormal = "normal"
	UrgencyUrgent = "urgent"
)

// UrgencyName is the Chinese name of an urgency.
func UrgencyName(u string) string {
	if u == UrgencyUrgent {
		return "紧急"
	}
	return "一般"
}

// MatterCategories are the classes a matter is filed under: the classes
// of the municipal message boards, which the classifier learns.
var MatterCategories = []string{"城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生", "其他"}

// Matter is one citizen's matter.
type Matter struct {
	ID          int64
	CommitteeID int64
	Code        string // tracking code (查询码) given to the citizen
	Source      string
	StationID   int64 // 0: the committee's own message box
	StationName string
	ReceptionID int64
	MemberID    int64 // the member on duty who logged it
	Title       string
	Body        string
	Category    string
	Urgency     string
	// The citizen: private to the station's staff, the member on duty and
	// the handling unit; never in public pages, exports or webhooks.
	CitizenName  string
	CitizenPhone string
	Address      string // the place the matter is about (may be redacted on publication)
	State        MatterState
	UnitID       int64
	UnitName     string
	Due          string // answer deadline of the unit (YYYY-MM-DD)
	ForwardedAt  time.Time
	SignedAt     time.Time
	Answer       string
	AnsweredAt   time.Time
	AnsweredBy   string // the unit's or the station's name
	OnTime       bool   // answered by the deadline (or without one)
	Rehandled    bool   // sent back once already
	CitizenNote  string // what the citizen said about the answer
	Decision     string // the office's decision on a disputed matter, or the reason of 不予受理
	Published    bool
	ReportID     int64 // the opinion report it became
	ProposalID   int64 // the proposal draft it became
	Files        int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// UnsettledAction is what a citizen's “not settled” means for m: the first
// time it goes back to the unit (or the station), the second time to the
// office, which decides.
func UnsettledAction(m *Matter) MatterAction {
	switch {
	case m.Rehandled:
		return MatterActDispute
	case m.UnitID != 0:
		return MatterActRehandle
	}
	return MatterActReopen
}

var (
	abuseWords = []string{"操你", "傻逼", "傻B", "草泥马", "去死", "杀了你", "炸死", "狗官", "妈的", "贱人"}
	linkRe     = regexp.MustCompile(`(?i)(https?://|www\.)\S+`)
)

// CheckMatterText checks a matter's title and text, from a member's phone
// or from anyone in the public box: the text check against obvious abuse
// (insults, threats, links, one character repeated), which the office can
// still overrule by editing nothing: a refused message is simply not stored.
func CheckMatterText(title, body string) error {
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if title == "" {
		return FieldError("title", "请用一句话概括反映的问题，如“小区门口路灯损坏”")
	}
	if err := CheckText("title", "标题", title, 50); err != nil {
		return err
	}
	if utf8.RuneCountInString(body) < 10 {
		return FieldError("body", "请具体说明反映的问题（至少10个字）：发生在哪里、什么情况、希望怎么解决")
	}
	if err := CheckText("body", "内容", body, 2000); err != nil {
		return err
	}
	text := title + "\n" + body
	for _, w := range abuseWords {
		if strings.Contains(text, w) {
			return FieldError("body", "内容含有辱骂或威胁性的词语，请文明表达后再提交")
		}
	}
	if len(linkRe.FindAllString(text, -1)) > 0 {
		return FieldError("body", "内容不能包含网址链接，请直接用文字说明")
	}
	if longRun(text, 10) {
		return FieldError("body", "内容包含大量重复字符，请直接说明问题")
	}
	return nil
}

// CheckCitizen checks the citizen's name and phone (both optional in the
// public box; a phone is needed for the SMS answer).
func CheckCitizen(name, phone string) error {
	if err := CheckText("citizen_name", "姓名", name, 20); err != nil {
		return err
	}
	if phone != "" && !mobileRe.MatchString(phone) {
		return FieldError("citizen_phone", "手机号码应为11位数字，如13800138000")
	}
	return nil
}

// trackingAlphabet has no 0/O, 1/I/L: codes are read out over the phone.
const trackingAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewTrackingCode returns a random tracking code such as “K7M2-Q9XA”
// (31⁸ ≈ 8.5·10¹¹ codes; lookups are rate-limited).
func NewTrackingCode() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	out := make([]byte, 0, 9)
	for i, x := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, trackingAlphabet[int(x)%len(trackingAlphabet)])
	}
	return string(out)
}

// NormalizeTrackingCode accepts a code as people type it (lower case,
// without the dash, with spaces) and returns it in its stored form, or "".
func NormalizeTrackingCode(s string) string {
	var b []byte
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\u00a0':
		case r < 128 && strings.ContainsRune(trackingAlphabet, r):
			b = append(b, byte(r))
		default:
			return ""
		}
	}
	if len(b) != 8 {
		return ""
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// MatterDue is a forwarded matter's answer deadline: 15 days (working days
// when the committee counts working days), 5 when urgent.
func MatterDue(r DeadlineRules, cal *Calendar, forwarded Date, urgency string) Date {
	n := 15
	if urgency == UrgencyUrgent {
		n = 5
	}
	return r.days(cal, forwarded, n)
}

// CheckAnswer is the guard of an answer or a reply.
func CheckAnswer(text string) error {
	if utf8.RuneCountInString(strings.TrimSpace(text)) < 5 {
		return FieldError("answer", "请填写答复内容（至少5个字），写明办理情况和结果")
	}
	return CheckText("answer", "答复内容", text, 3000)
}

// CheckMatterReason is the guard of actions that need a reason (退回, 不予受理, 处理决定).
func CheckMatterReason(action MatterAction, text string) error {
	if strings.TrimSpace(text) == "" {
		return FieldError("comment", "请填写%s的理由或说明", action.Name())
	}
	return CheckText("comment", "说明", text, 1000)
}

// longRun reports whether some character repeats n times in a row.
func longRun(s string, n int) bool {
	var prev rune
	run := 0
	for _, r := range s {
		if r == prev {
			run++
		} else {
			prev, run = r, 1
		}
		if run >= n {
			return true
		}
	}
	return false
}

// MatterRelation is what the store knows about an actor and one matter;
// MatterParties, CanSeeMatter and SeesCitizen turn it into rights.
type MatterRelation struct {
	Staff      bool // manages the matter's station or studio
	DutyMember bool // the member on duty who took the matter
}

// unitHandles reports whether the actor's unit is the matter's handling
// unit now.
func unitHandles(a Actor, m *Matter) bool {
	return a.Role == RoleUnit && a.UnitID != 0 && a.UnitID == m.UnitID
}

// MatterParties returns the parties the actor is in for one matter. The
// office is staff of every station; the citizen is never an actor here
// (the tracking code is its own path).
func MatterParties(a Actor, m *Matter, rel MatterRelation) []Party {
	if a.CommitteeID != m.CommitteeID {
		return nil
	}
	var ps []Party
	switch a.Role {
	case RoleOffice:
		ps = append(ps, PartyOffice)
	case RoleSystem:
		ps = append(ps, PartySystem)
	}
	if rel.Staff {
		ps = append(ps, PartyStationStaff)
	}
	if rel.DutyMember {
		ps = append(ps, PartyDutyMember)
	}
	if unitHandles(a, m) {
		ps = append(ps, PartyUnit)
	}
	return ps
}

// CanSeeMatter reports whether the actor may read the matter at all: the
// office, leaders and admins of its committee, the station's staff, the
// member on duty and the unit handling it.
func CanSeeMatter(a Actor, m *Matter, rel MatterRelation) bool {
	if a.IsAnonymous() || a.CommitteeID != m.CommitteeID {
		return false
	}
	return SeesAll(a.Role) || rel.Staff || rel.DutyMember || unitHandles(a, m)
}

// SeesCitizen reports whether the actor may read the citizen's name and
// phone: the station's staff, the member on duty and the unit handling it
// (and the office for messages left to the committee itself, whose staff
// it is). Leaders, admins and the office for a station's matters see the
// matter without the person.
func SeesCitizen(a Actor, m *Matter, rel MatterRelation) bool {
	if a.CommitteeID != m.CommitteeID || a.IsAnonymous() {
		return false
	}
	return rel.Staff || rel.DutyMember || unitHandles(a, m) || (a.Role == RoleOffice && m.StationID == 0)
}

func init() {
	// The names of the contact module's events in timelines, beside the
	// proposal's (a proposal drafted from a matter shows where it came from).
	for k, v := range map[string]string{
		"from_matter": "由群众诉求转为提案草稿", "matter.created": "登记诉求", "matter.escalated": "超期报督办",
		"reception.scheduled": "安排接访", EventReceptionHeld: "确认已接访", "reception.cancelled": "取消接访",
		EventReportFiled: "报送", "report.submitted": "报送", EventReportAdopted: "记录采用", EventReportInstructed: "记录领导批示", "report.compiled": "编入期刊",
		"report.absorbed": "合并其他信息", "issue.compiled": "编发", "issue.sent": "报送",
	} {
		eventNames[k] = v
	}
	for a, n := range matterActionNames {
		eventNames["matter."+string(a)] = n
	}
	for a, n := range reportActionNames {
		if _, ok := eventNames["report."+string(a)]; !ok {
			eventNames["report."+string(a)] = n
		}
	}
}
