package zhengxie

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Duty (履职): the office's records of speeches and deeds, and the year's
// points and checklist (10件作业), pure functions over DutyItems computed
// from what the system records (activities are in activity.go).

// ---- duty records kept by the office ----

// RecordKind is the kind of a duty record the office keeps.
type RecordKind string

const (
	RecordSpeechPlenary  RecordKind = "speech_plenary"  // 大会发言（口头）
	RecordSpeechWritten  RecordKind = "speech_written"  // 书面发言
	RecordResearch       RecordKind = "research_report" // 调研报告
	RecordSectorConsult  RecordKind = "sector_consult"  // 界别协商发言
	RecordDeed           RecordKind = "deed"            // 为群众办实事
	RecordOtherDutyShown RecordKind = "other"           // 其他履职
)

// RecordKinds lists the kinds in display order.
var RecordKinds = []RecordKind{RecordSpeechPlenary, RecordSpeechWritten, RecordResearch, RecordSectorConsult, RecordDeed, RecordOtherDutyShown}

// Name is the Chinese name of the kind.
func (k RecordKind) Name() string {
	switch k {
	case RecordSpeechPlenary:
		return "大会发言"
	case RecordSpeechWritten:
		return "书面发言"
	case RecordResearch:
		return "调研报告"
	case RecordSectorConsult:
		return "界别协商发言"
	case RecordDeed:
		return "为群众办实事"
	case RecordOtherDutyShown:
		return "其他履职"
	}
	return string(k)
}

// DutyRecord is a speech, report or deed the office records for a member.
type DutyRecord struct {
	ID          int64
	CommitteeID int64
	Year        int
	UserID      int64
	UserName    string // filled by reads
	Kind        RecordKind
	Title       string
	Detail      string // what was done
	Beneficiary string // for whom (deeds)
	On          Date
	ActivityID  int64
	CreatedBy   int64
	CreatedAt   time.Time
}

// CheckRecord checks a duty record.
func CheckRecord(r *DutyRecord) error {
	r.Title, r.Beneficiary = strings.TrimSpace(r.Title), strings.TrimSpace(r.Beneficiary)
	valid := false
	for _, k := range RecordKinds {
		valid = valid || k == r.Kind
	}
	switch {
	case !valid:
		return FieldError("kind", "请选择履职类型（大会发言、书面发言、调研报告、界别协商发言、为群众办实事、其他履职）")
	case r.UserID == 0:
		return FieldError("user_id", "请选择委员")
	case r.Title == "" || len([]rune(r.Title)) > 100 || !ValidText(r.Title):
		return FieldError("title", "请填写题目或事项（不超过100个字）")
	case r.On.IsZero():
		return FieldError("on", "请填写日期，如2026-03-05")
	case r.Kind == RecordDeed && r.Beneficiary == "":
		return FieldError("beneficiary", "为群众办实事须写明为谁办（如：某社区居民）")
	case len([]rune(r.Beneficiary)) > 100 || !ValidText(r.Beneficiary):
		return FieldError("beneficiary", "服务对象不超过100个字")
	}
	if err := CheckText("detail", "具体内容", r.Detail, 5000); err != nil {
		return err
	}
	r.Year = r.On.Year
	return nil
}

// ---- points and the checklist ----

// DutyKind is what one countable item of a member's year is.
type DutyKind string

const (
	DutyAttendPlenary     DutyKind = "attend_plenary"
	DutyAttendActivity    DutyKind = "attend_activity"
	DutyAbsent            DutyKind = "absent" // absence without leave: a deduction
	DutyLeave             DutyKind = "leave"
	DutyProposalFiled     DutyKind = "proposal_filed"
	DutyProposalCosigned  DutyKind = "proposal_cosigned"
	DutyProposalAccepted  DutyKind = "proposal_accepted"
	DutyProposalKey       DutyKind = "proposal_key"
	DutyProposalExcellent DutyKind = "proposal_excellent"
	DutyReportFiled       DutyKind = "report_filed"
	DutyReportDistrict    DutyKind = "report_adopted_district"
	DutyReportCity        DutyKind = "report_adopted_city"
	DutyReportProvince    DutyKind = "report_adopted_province"
	DutyReportNational    DutyKind = "report_adopted_national"
	DutyReportInstructed  DutyKind = "report_instructed"
	DutyReception         DutyKind = "reception"
	DutyJointStudy        DutyKind = "topic_study" // a joint study with the unit that posted a topic order, accepted by it
	DutySpeechPlenary     DutyKind = DutyKind(RecordSpeechPlenary)
	DutySpeechWritten     DutyKind = DutyKind(RecordSpeechWritten)
	DutyResearch          DutyKind = DutyKind(RecordResearch)
	DutySectorConsult     DutyKind = DutyKind(RecordSectorConsult)
	DutyDeed              DutyKind = DutyKind(RecordDeed)
	DutyOther             DutyKind = DutyKind(RecordOtherDutyShown)
)

var dutyKindNames = []struct {
	Kind DutyKind
	Name string
}{
	{DutyAttendPlenary, "出席全体会议"}, {DutyAttendActivity, "参加活动"}, {DutyAbsent, "无故缺席"}, {DutyLeave, "请假"},
	{DutyProposalFiled, "提交提案（领衔）"}, {DutyProposalCosigned, "联名附议提案"}, {DutyProposalAccepted, "提案立案"},
	{DutyProposalKey, "重点提案"}, {DutyProposalExcellent, "优秀提案"},
	{DutyReportFiled, "报送社情民意"}, {DutyReportDistrict, "社情民意被区级采用"}, {DutyReportCity, "社情民意被市级采用"},
	{DutyReportProvince, "社情民意被省级采用"}, {DutyReportNational, "社情民意被全国政协采用"}, {DutyReportInstructed, "社情民意获领导批示"},
	{DutyReception, "接待群众"}, {DutyJointStudy, "订单联合调研"},
	{DutySpeechPlenary, "大会发言"}, {DutySpeechWritten, "书面发言"}, {DutyResearch, "调研报告"}, {DutySectorConsult, "界别协商发言"},
	{DutyDeed, "为群众办实事"}, {DutyOther, "其他履职"},
}

// DutyKinds lists every kind in display order.
func DutyKinds() []DutyKind {
	out := make([]DutyKind, len(dutyKindNames))
	for i, k := range dutyKindNames {
		out[i] = k.Kind
	}
	return out
}

// Name is the Chinese name of the kind.
func (k DutyKind) Name() string {
	for _, x := range dutyKindNames {
		if x.Kind == k {
			return x.Name
		}
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k DutyKind) Valid() bool { return k.Name() != string(k) }

// DutyItem is one thing a member did in a year, as the system recorded
// it: an attendance, a proposal, a report, a speech, a deed. Ref names the
// record it comes from ("activity:12", "proposal:5", "record:3", "event:88"),
// so that every point links to its source.
type DutyItem struct {
	UserID int64
	Kind   DutyKind
	Sub    string // the activity kind of an attendance, the level of an adoption
	Ref    string
	Title  string
	At     time.Time
}

// PointRule gives Points for each item of Kind, at most Cap points in all
// (0: no cap). A deduction has negative Points; its Cap bounds the total
// deducted.
type PointRule struct {
	Kind   DutyKind `json:"kind"`
	Points int      `json:"points"`
	Cap    int      `json:"cap"`
}

// DutyTask is one duty of the yearly checklist (10件作业): at least Min
// items of one of Kinds ("kind", or "kind:sub" for one activity kind).
type DutyTask struct {
	Code  string   `json:"code"`
	Name  string   `json:"name"`
	Kinds []string `json:"kinds"`
	Min   int      `json:"min"`
}

// DutyRules are a committee's rules for one year.
type DutyRules struct {
	Year   int         `json:"year"`
	Points []PointRule `json:"points"`
	Tasks  []DutyTask  `json:"tasks"`
	// ReminderDates are the days ("07-01") members behind on the checklist
	// are reminded.
	ReminderDates []string `json:"reminder_dates"`
	// LowAttendance flags members whose attendance rate (percent) is below it.
	LowAttendance int `json:"low_attendance"`
}

// DefaultDutyRules are the district's rules for a year: the 10件作业 and
// points a district committee typically uses.
func DefaultDutyRules(year int) DutyRules {
	return DutyRules{
		Year: year,
		Points: []PointRule{
			{DutyAttendPlenary, 5, 0}, {DutyAttendActivity, 2, 30}, {DutyAbsent, -3, 15},
			{DutyProposalFiled, 5, 20}, {DutyProposalCosigned, 1, 5}, {DutyProposalAccepted, 3, 15}, {DutyProposalKey, 5, 10}, {DutyProposalExcellent, 10, 20},
			{DutyReportFiled, 2, 10}, {DutyReportDistrict, 3, 0}, {DutyReportCity, 5, 0}, {DutyReportProvince, 8, 0}, {DutyReportNational, 15, 0}, {DutyReportInstructed, 10, 0},
			{DutyReception, 3, 15}, {DutyJointStudy, 3, 9},
			{DutySpeechPlenary, 8, 0}, {DutySpeechWritten, 4, 12}, {DutyResearch, 5, 15}, {DutySectorConsult, 3, 9}, {DutyDeed, 5, 20}, {DutyOther, 1, 5},
		},
		Tasks: []DutyTask{
			{"deed", "为群众办实事", []string{string(DutyDeed)}, 1},
			{"proposal", "提交提案", []string{string(DutyProposalFiled), string(DutyProposalCosigned)}, 1},
			{"report", "报送社情民意信息", []string{string(DutyReportFiled)}, 1},
			{"plenary", "出席全体会议", []string{string(DutyAttendPlenary)}, 1},
			{"consultation", "参加协商活动", []string{"attend_activity:consultation", "attend_activity:topic", "attend_activity:community"}, 2},
			{"inspection", "参加视察调研", []string{"attend_activity:inspection"}, 1},
			{"study", "参加学习培训", []string{"attend_activity:study"}, 1},
			{"speech", "大会发言或书面发言", []string{string(DutySpeechPlenary), string(DutySpeechWritten), string(DutySectorConsult)}, 1},
			{"research", "撰写调研报告", []string{string(DutyResearch)}, 1},
			{"reception", "到联络站接待群众", []string{string(DutyReception)}, 1},
		},
		ReminderDates: []string{"07-01", "10-01"},
		LowAttendance: 60,
	}
}

var reminderDateRe = regexp.MustCompile(`^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`)
var taskCodeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,30}$`)

// Check validates rules an admin saves.
func (r *DutyRules) Check() error {
	if r.Year < 2000 || r.Year > 2100 {
		return FieldError("year", "年度应在2000至2100之间")
	}
	seen := map[DutyKind]bool{}
	for _, p := range r.Points {
		switch {
		case !p.Kind.Valid():
			return FieldError("points", "未知的积分项目“%s”", p.Kind)
		case seen[p.Kind]:
			return FieldError("points", "积分项目“%s”重复", p.Kind.Name())
		case p.Points < -100 || p.Points > 100:
			return FieldError("points", "“%s”每项分值应在-100至100之间", p.Kind.Name())
		case p.Cap < 0 || p.Cap > 1000:
			return FieldError("points", "“%s”的上限应在0至1000之间（0为不设上限）", p.Kind.Name())
		}
		seen[p.Kind] = true
	}
	codes := map[string]bool{}
	if len(r.Tasks) > 20 {
		return FieldError("tasks", "作业不超过20项")
	}
	for _, t := range r.Tasks {
		switch {
		case !taskCodeRe.MatchString(t.Code):
			return FieldError("tasks", "作业代码“%s”应为小写英文字母、数字或下划线", t.Code)
		case codes[t.Code]:
			return FieldError("tasks", "作业代码“%s”重复", t.Code)
		case strings.TrimSpace(t.Name) == "" || len([]rune(t.Name)) > 30:
			return FieldError("tasks", "请填写作业名称（不超过30个字）")
		case t.Min < 1 || t.Min > 100:
			return FieldError("tasks", "“%s”的最少件数应在1至100之间", t.Name)
		case len(t.Kinds) == 0:
			return FieldError("tasks", "“%s”须至少对应一种履职记录", t.Name)
		}
		for _, k := range t.Kinds {
			kind, sub, _ := strings.Cut(k, ":")
			if !DutyKind(kind).Valid() || (sub != "" && !ActivityKind(sub).Valid() && !levelValid(sub)) {
				return FieldError("tasks", "“%s”对应的履职记录“%s”未知", t.Name, k)
			}
		}
		codes[t.Code] = true
	}
	for _, d := range r.ReminderDates {
		if !reminderDateRe.MatchString(d) {
			return FieldError("reminder_dates", "提醒日期“%s”应写作月-日，如07-01", d)
		}
	}
	if r.LowAttendance < 0 || r.LowAttendance > 100 {
		return FieldError("low_attendance", "出勤率提示线应在0至100之间")
	}
	return nil
}

// Rule returns the rule of a kind (zero points when there is none).
func (r *DutyRules) Rule(k DutyKind) PointRule {
	for _, p := range r.Points {
		if p.Kind == k {
			return p
		}
	}
	return PointRule{Kind: k}
}

// PointLine is the points of one kind in a member's year.
type PointLine struct {
	Kind    DutyKind
	Count   int // items of the kind
	Counted int // items that earned points before the cap ran out
	Per     int
	Raw     int // Count × Per
	Points  int // after the cap
	Capped  bool
}

// DutyScore is a member's points in a year: the total, a line per kind
// and the points each item earned (same order as the items given).
type DutyScore struct {
	Total      int
	Lines      []PointLine
	ItemPoints []int
}

// Score computes a member's points from the items of the year. Items
// earn points in time order, so that the cap cuts the latest ones.
func Score(r *DutyRules, items []DutyItem) DutyScore {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return items[order[a]].At.Before(items[order[b]].At) })
	out := DutyScore{ItemPoints: make([]int, len(items))}
	lines := map[DutyKind]*PointLine{}
	for _, i := range order {
		it := items[i]
		l := lines[it.Kind]
		if l == nil {
			rule := r.Rule(it.Kind)
			l = &PointLine{Kind: it.Kind, Per: rule.Points}
			lines[it.Kind] = l
		}
		l.Count++
		l.Raw += l.Per
		p := l.Per
		if cap := r.Rule(it.Kind).Cap; cap > 0 {
			room := cap - abs(l.Points)
			if room <= 0 {
				p = 0
			} else if abs(p) > room {
				p = sign(p) * room
			}
			if p != l.Per {
				l.Capped = true
			}
		}
		if p != 0 {
			l.Counted++
		}
		l.Points += p
		out.ItemPoints[i] = p
	}
	for _, k := range DutyKinds() {
		if l := lines[k]; l != nil {
			out.Total += l.Points
			out.Lines = append(out.Lines, *l)
		}
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func sign(n int) int {
	if n < 0 {
		return -1
	}
	return 1
}

// TaskProgress is one duty of the checklist for one member.
type TaskProgress struct {
	Task  DutyTask
	Count int
	Done  bool
}

// matches reports whether an item counts for a task kind ("kind" or "kind:sub").
func matches(k string, it DutyItem) bool {
	kind, sub, hasSub := strings.Cut(k, ":")
	return DutyKind(kind) == it.Kind && (!hasSub || sub == it.Sub)
}

// Checklist matches a member's items to the year's duties.
func Checklist(r *DutyRules, items []DutyItem) []TaskProgress {
	out := make([]TaskProgress, 0, len(r.Tasks))
	for _, t := range r.Tasks {
		n := 0
		for _, it := range items {
			for _, k := range t.Kinds {
				if matches(k, it) {
					n++
					break
				}
			}
		}
		out = append(out, TaskProgress{Task: t, Count: n, Done: n >= t.Min})
	}
	return out
}

// Attendance sums a member's attendance over the activities that took place.
type AttendanceSummary struct {
	Invited, Attended, Leaves, Absences int
}

// Rate is the attendance rate in percent (100 when nobody invited the member).
func (a AttendanceSummary) Rate() int {
	if a.Invited == 0 {
		return 100
	}
	return a.Attended * 100 / a.Invited
}

// Low reports whether the rate is below the rules' line (with at least
// three invitations, so that one missed meeting in January flags no one).
func (a AttendanceSummary) Low(r *DutyRules) bool {
	return a.Invited >= 3 && a.Rate() < r.LowAttendance
}

// SummariseAttendance counts attendance items.
func SummariseAttendance(items []DutyItem, invited int) AttendanceSummary {
	s := AttendanceSummary{Invited: invited}
	for _, it := range items {
		switch it.Kind {
		case DutyAttendPlenary, DutyAttendActivity:
			s.Attended++
		case DutyLeave:
			s.Leaves++
		case DutyAbsent:
			s.Absences++
		}
	}
	return s
}

// AttendanceItem turns one attendance of an activity that took place into
// a duty item; ok is false for an attendance that counts nothing (an
// unanswered invitation of an activity that has not happened).
func AttendanceItem(act *Activity, at *Attendance) (DutyItem, bool) {
	if !act.State.Counts() {
		return DutyItem{}, false
	}
	it := DutyItem{UserID: at.UserID, Sub: string(act.Kind), Ref: fmt.Sprintf("activity:%d", act.ID), Title: act.Title, At: act.StartsAt}
	switch at.State {
	case AttendSignedIn:
		it.Kind = DutyAttendActivity
		if act.Kind == ActivityPlenary {
			it.Kind = DutyAttendPlenary
		}
	case AttendLeave:
		it.Kind = DutyLeave
	default: // invited, attending: did not sign in and was not excused
		it.Kind = DutyAbsent
	}
	return it, true
}

// Event kinds other modules emit that count toward duty. The contact
// module (社情民意, 接访) writes events with these actions; the payload
// may name the members ({"member_ids": [3, 7]}) and, for an adoption, the
// level ({"level": "city"}). Without member_ids the event's actor is the
// member. Each subject counts once per kind: the same report adopted twice
// at city level is one adoption.
const (
	EventReportFiled      = "report.filed"
	EventReportAdopted    = "report.adopted"
	EventReportInstructed = "report.instructed"
	EventReceptionHeld    = "reception.held"
	EventProposalExcel    = "proposal.excellent"
)

// DutyEventActions lists the actions ItemsFromEvent reads.
var DutyEventActions = []string{EventReportFiled, EventReportAdopted, EventReportInstructed, EventReceptionHeld, EventProposalExcel, EventStudyAccepted}

func levelValid(l string) bool {
	return l == LevelDistrict || l == LevelCity || l == LevelProvincial || l == LevelNational || l == "province"
}

// ItemsFromEvent turns an event of another module into duty items.
func ItemsFromEvent(e *Event) []DutyItem {
	var p struct {
		MemberIDs []int64 `json:"member_ids"`
		Level     string  `json:"level"`
		Title     string  `json:"title"`
	}
	if e.Payload != "" {
		_ = json.Unmarshal([]byte(e.Payload), &p)
	}
	var kind DutyKind
	switch e.Action {
	case EventReportFiled:
		kind = DutyReportFiled
	case EventReportInstructed:
		kind = DutyReportInstructed
	case EventReceptionHeld:
		kind = DutyReception
	case EventProposalExcel:
		kind = DutyProposalExcellent
	case EventStudyAccepted:
		kind = DutyJointStudy
	case EventReportAdopted:
		switch p.Level {
		case LevelDistrict, "":
			kind = DutyReportDistrict
		case LevelCity:
			kind = DutyReportCity
		case LevelProvincial, "province":
			kind = DutyReportProvince
		case LevelNational:
			kind = DutyReportNational
		default:
			return nil
		}
	default:
		return nil
	}
	ids := p.MemberIDs
	if len(ids) == 0 && e.ActorID != 0 {
		ids = []int64{e.ActorID}
	}
	subject := e.SubjectKind
	if subject == "" {
		subject = "event"
	}
	id := e.SubjectID
	if id == 0 {
		id = e.ID
		subject = "event"
	}
	title := p.Title
	if title == "" {
		title = e.Comment
	}
	var out []DutyItem
	for _, uid := range ids {
		out = append(out, DutyItem{UserID: uid, Kind: kind, Sub: p.Level, Ref: fmt.Sprintf("%s:%d", subject, id), Title: title, At: e.CreatedAt})
	}
	return out
}

// DedupeItems keeps one item per member, kind and source record, so that
// a report adopted twice at one level, or an event replayed, counts once.
func DedupeItems(items []DutyItem) []DutyItem {
	type key struct {
		u    int64
		k    DutyKind
		ref  string
		sub  string
		kind bool
	}
	seen := map[key]bool{}
	out := items[:0:0]
	for _, it := range items {
		k := key{it.UserID, it.Kind, it.Ref, it.Sub, true}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, it)
	}
	return out
}
