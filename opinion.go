package zhengxie

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// 社情民意信息: short reports (≤ 1,500 characters, one matter each) by
// members, sectors or stations; the office edits them (every version kept),
// merges similar ones, rejects with a reason, or compiles them into a
// numbered issue (期) of the committee's 《社情民意》; then records what came
// of them: adoption (采用) by a level, leaders' instructions (批示) and the
// departments' feedback. Adoption and instructions are duty points.

// ReportState is where an opinion report is.
type ReportState string

const (
	ReportSubmitted ReportState = "submitted" // filed, with the office
	ReportCompiled  ReportState = "compiled"  // compiled into an issue and sent
	ReportAdopted   ReportState = "adopted"   // adopted by at least one level
	ReportRejected  ReportState = "rejected"
	ReportMerged    ReportState = "merged" // merged into another report
	ReportWithdrawn ReportState = "withdrawn"
)

var reportStateNames = map[ReportState]string{ReportSubmitted: "已报送待编辑", ReportCompiled: "已编发", ReportAdopted: "已采用",
	ReportRejected: "未采用", ReportMerged: "已合并", ReportWithdrawn: "已撤回"}

// Name is the Chinese name of the state.
func (s ReportState) Name() string {
	if n, ok := reportStateNames[s]; ok {
		return n
	}
	return string(s)
}

// ReportAction is what is done to a report.
type ReportAction string

const (
	ReportActEdit     ReportAction = "edit"
	ReportActMerge    ReportAction = "merge"
	ReportActReject   ReportAction = "reject"
	ReportActCompile  ReportAction = "compile" // into an issue
	ReportActAdopt    ReportAction = "adopt"
	ReportActInstruct ReportAction = "instruct"
	ReportActFeedback ReportAction = "feedback"
	ReportActWithdraw ReportAction = "withdraw"
)

var reportActionNames = map[ReportAction]string{ReportActEdit: "编辑", ReportActMerge: "合并", ReportActReject: "不予采用",
	ReportActCompile: "编入期刊", ReportActAdopt: "记录采用", ReportActInstruct: "记录领导批示", ReportActFeedback: "记录部门反馈",
	ReportActWithdraw: "撤回"}

// Name is the Chinese name of the action.
func (a ReportAction) Name() string {
	if n, ok := reportActionNames[a]; ok {
		return n
	}
	return string(a)
}

// ReportTable says who may do what to a report when.
var ReportTable = &Table[ReportState, ReportAction]{
	Subject: "社情民意信息",
	Rows: []Row[ReportState, ReportAction]{
		{ReportSubmitted, ReportActEdit, PartyOffice, ReportSubmitted},
		{ReportSubmitted, ReportActMerge, PartyOffice, ReportMerged},
		{ReportSubmitted, ReportActReject, PartyOffice, ReportRejected},
		{ReportSubmitted, ReportActCompile, PartyOffice, ReportCompiled},
		{ReportSubmitted, ReportActWithdraw, PartyReporter, ReportWithdrawn},
		{ReportCompiled, ReportActAdopt, PartyOffice, ReportAdopted},
		{ReportAdopted, ReportActAdopt, PartyOffice, ReportAdopted},
		{ReportCompiled, ReportActInstruct, PartyOffice, ReportCompiled},
		{ReportAdopted, ReportActInstruct, PartyOffice, ReportAdopted},
		{ReportCompiled, ReportActInstruct, PartyLeader, ReportCompiled},
		{ReportAdopted, ReportActInstruct, PartyLeader, ReportAdopted},
		{ReportCompiled, ReportActFeedback, PartyOffice, ReportCompiled},
		{ReportAdopted, ReportActFeedback, PartyOffice, ReportAdopted},
	},
	StateName:  func(s ReportState) string { return s.Name() },
	ActionName: func(a ReportAction) string { return a.Name() },
}

// MaxReportChars is the longest report text (正文).
const MaxReportChars = 1500

// Report is one 社情民意信息.
type Report struct {
	ID           int64
	CommitteeID  int64
	Title        string
	Body         string
	Sources      string // 信息来源 (where it was heard, which data)
	ReporterID   int64
	ReporterName string
	MemberIDs    []int64 // who is credited: the reporter and those of merged reports
	OnBehalf     string  // a sector's or station's name when it files as a body
	MatterID     int64   // the citizen's matter it came from
	State        ReportState
	Version      int // number of the current version (1 = the original)
	MergedInto   int64
	Reason       string // of a rejection
	IssueID      int64
	IssueLabel   string // filled by reads: 2026年第3期
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Credits reports whether user is credited with the report.
func (r *Report) Credits(userID int64) bool {
	if userID == 0 {
		return false
	}
	if r.ReporterID == userID {
		return true
	}
	for _, id := range r.MemberIDs {
		if id == userID {
			return true
		}
	}
	return false
}

// ReportVersion is one version of a report's text: the member's original
// (1) and each edit of the office.
type ReportVersion struct {
	ReportID  int64
	N         int
	Title     string
	Body      string
	Editor    string
	Note      string
	CreatedAt time.Time
}

var (
	severalRe = regexp.MustCompile(`[；;]|、.{1,12}等(几|多|若干)?(个|方面|项)?问题`)
	anotherRe = regexp.MustCompile(`另(外)?一个问题|还有一个问题|另一方面的问题|其次，关于|再反映一个`)
)

// CheckReport checks a report's title and text: a title, at most 1,500
// characters, and one matter: a title that lists several problems, or a
// text that moves on to “another problem”, is to be split in two.
func CheckReport(title, body, sources string) error {
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if title == "" {
		return FieldError("title", "请填写标题，一句话说明反映的问题")
	}
	if err := CheckText("title", "标题", title, 60); err != nil {
		return err
	}
	n := utf8.RuneCountInString(body)
	if n < 50 {
		return FieldError("body", "正文至少50个字：说明情况、问题和建议")
	}
	if n > MaxReportChars {
		return FieldError("body", "正文%d字，超过%d字的上限，请精简", n, MaxReportChars)
	}
	if !ValidText(body) {
		return FieldError("body", "正文包含无效字符，请重新输入")
	}
	if severalRe.MatchString(title) {
		return FieldError("title", "一篇社情民意信息只反映一件事：标题列举了几个问题，请分开报送")
	}
	if anotherRe.MatchString(body) {
		return FieldError("body", "一篇社情民意信息只反映一件事：正文转到了另一个问题，请分开报送")
	}
	return CheckText("sources", "信息来源", sources, 200)
}

// Kinds of what happened to a compiled report.
const (
	RecordAdoption    = "adoption"    // 采用
	RecordInstruction = "instruction" // 批示
	RecordFeedback    = "feedback"    // 部门反馈
)

// LevelName is the Chinese name of a level of adoption.
func LevelName(l string) string {
	switch l {
	case LevelDistrict:
		return "区级"
	case LevelCity:
		return "市级"
	case LevelProvincial:
		return "省级"
	case LevelNational:
		return "全国"
	}
	return l
}

// Levels lists the levels of adoption from the bottom.
var Levels = []string{LevelDistrict, LevelCity, LevelProvincial, LevelNational}

// ReportRecord is an adoption, an instruction or a department's feedback.
type ReportRecord struct {
	ID          int64
	CommitteeID int64
	ReportID    int64
	Kind        string
	Level       string // adoption: district, city, provincial, national
	Place       string // adoption: by whom or where (全国政协办公厅《社情民意》); feedback: the department
	Person      string // instruction: the leader
	Text        string
	On          Date
	By          string
	CreatedAt   time.Time
}

// CheckReportRecord checks an adoption, instruction or feedback.
func CheckReportRecord(r *ReportRecord) error {
	r.Place, r.Person, r.Text = strings.TrimSpace(r.Place), strings.TrimSpace(r.Person), strings.TrimSpace(r.Text)
	if r.On.IsZero() {
		return FieldError("on", "请填写日期")
	}
	switch r.Kind {
	case RecordAdoption:
		if LevelName(r.Level) == r.Level {
			return FieldError("level", "采用级别应为区级、市级、省级或全国（district, city, provincial, national）")
		}
		if r.Place == "" {
			return FieldError("place", "请填写采用单位或刊物，如“市政协办公厅《社情民意》”")
		}
	case RecordInstruction:
		if r.Person == "" {
			return FieldError("person", "请填写批示领导，如“区委书记张某某”")
		}
		if r.Text == "" {
			return FieldError("text", "请填写批示内容")
		}
	case RecordFeedback:
		if r.Place == "" {
			return FieldError("place", "请填写反馈部门")
		}
		if r.Text == "" {
			return FieldError("text", "请填写部门反馈的办理情况")
		}
	default:
		return FieldError("kind", "未知的记录类型")
	}
	for _, f := range []struct{ field, label, s string }{{"place", "单位", r.Place}, {"person", "领导", r.Person}} {
		if err := CheckText(f.field, f.label, f.s, 100); err != nil {
			return err
		}
	}
	return CheckText("text", "内容", r.Text, 2000)
}

// Issue is one numbered issue (期) of the committee's 《社情民意》.
type Issue struct {
	ID          int64
	CommitteeID int64
	Year        int
	Number      int // per committee and year, from 1, without gaps
	Title       string
	Recipients  []string // 报送对象: 区委、区政府、市政协 …
	ReportIDs   []int64
	SentAt      time.Time
	CreatedBy   string
	CreatedAt   time.Time
}

// Label is how the issue is cited: 2026年第3期.
func (i *Issue) Label() string {
	return strconv.Itoa(i.Year) + "年第" + strconv.Itoa(i.Number) + "期"
}

// DefaultRecipients are whom an issue usually goes to.
var DefaultRecipients = []string{"区委", "区人大常委会", "区政府", "市政协", "区政协主席、副主席"}

// CheckIssue checks an issue before it is compiled.
func CheckIssue(i *Issue) error {
	i.Title = strings.TrimSpace(i.Title)
	if len(i.ReportIDs) == 0 {
		return FieldError("report_ids", "请至少选择一篇社情民意信息编入本期")
	}
	if len(i.ReportIDs) > 30 {
		return FieldError("report_ids", "一期最多编入30篇")
	}
	if len(i.Recipients) == 0 {
		return FieldError("recipients", "请选择报送对象")
	}
	for _, r := range i.Recipients {
		if err := CheckText("recipients", "报送对象", r, 40); err != nil || strings.TrimSpace(r) == "" {
			return FieldError("recipients", "报送对象不能为空，每个不超过40个字")
		}
	}
	return CheckText("title", "本期标题", i.Title, 60)
}
