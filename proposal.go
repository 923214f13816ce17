package zhengxie

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// State of a proposal. See lifecycle.go for the transitions.
type State string

const (
	StateDraft       State = "draft"
	StateSubmitted   State = "submitted" // waiting for co-signers to confirm
	StateUnderReview State = "under_review"
	StateAccepted    State = "accepted"
	StateHandling    State = "handling"
	StateReplied     State = "replied"
	StateConcluded   State = "concluded"
	StateArchived    State = "archived"
	StateRejected    State = "rejected"
	StateMerged      State = "merged"
	StateConverted   State = "converted"
	StateWithdrawn   State = "withdrawn"
)

// States lists every proposal state in lifecycle order.
var States = []State{StateDraft, StateSubmitted, StateUnderReview, StateAccepted, StateHandling,
	StateReplied, StateConcluded, StateArchived, StateRejected, StateMerged, StateConverted, StateWithdrawn}

var stateNames = map[State]string{
	StateDraft: "草稿", StateSubmitted: "待附议", StateUnderReview: "待审查", StateAccepted: "已立案",
	StateHandling: "办理中", StateReplied: "已答复", StateConcluded: "已办结", StateArchived: "已归档",
	StateRejected: "不予立案", StateMerged: "已并案", StateConverted: "转意见建议", StateWithdrawn: "已撤回",
}

// Name is the Chinese name of the state.
func (s State) Name() string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return string(s)
}

// Proposal kinds.
const (
	KindIndividual = "individual" // 个人
	KindJoint      = "joint"      // 联名: lead proposer + co-signers
	KindBody       = "body"       // 党派团体、专门委员会、界别、委员小组
)

// KindName is the Chinese name of a proposal kind.
func KindName(k string) string {
	switch k {
	case KindJoint:
		return "联名提案"
	case KindBody:
		return "集体提案"
	}
	return "个人提案"
}

// Categories are the default proposal categories (configurable per committee later).
var Categories = []string{"经济发展", "工业商贸", "财税金融", "城乡建设", "资源环境", "农林水利",
	"科学技术", "教育事业", "文化宣传", "医卫体育", "社会事业", "法制建设", "政治建设", "统战综合"}

// Proposal is a 提案.
type Proposal struct {
	ID           int64
	CommitteeID  int64
	SessionID    int64
	Number       int // official number within the session, 0 until accepted
	Title        string
	Body         string
	Category     string
	Kind         string
	BodyName     string // the proposing body, for KindBody
	ProposerID   int64  // the lead member, or the user filing for a body
	ProposerName string
	State        State
	Published    bool
	Key          bool
	MergedInto   int64
	Reason       string // why rejected / merged / converted
	CosignDue    time.Time
	SubmittedAt  time.Time
	AcceptedAt   time.Time
	ConcludedAt  time.Time
	PublishedAt  time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NumberText is the official number as shown to people, e.g. 第0001号.
func (p *Proposal) NumberText() string { return FormatNumber(p.Number) }

// FormatNumber formats an official proposal number; 0 means not yet numbered.
func FormatNumber(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("第%04d号", n)
}

// Editable reports whether the proposer may still change the text.
func (p *Proposal) Editable() bool { return p.State == StateDraft }

// Cosigner statuses.
const (
	CosignInvited   = "invited"
	CosignConfirmed = "confirmed"
	CosignDeclined  = "declined"
)

// Cosigner is a 附议人 of a joint proposal.
type Cosigner struct {
	ProposalID  int64
	UserID      int64
	Name        string
	Status      string
	RespondedAt time.Time
}

// Limits of a proposal's text.
const (
	MaxTitleRunes = 50
	MaxBodyRunes  = 20000
	MinBodyRunes  = 20
	MaxCosigners  = 50
)

// Draft is what a member writes; ValidateDraft checks it before submission.
type Draft struct {
	Title     string
	Body      string
	Category  string
	Kind      string
	BodyName  string
	Cosigners []int64
}

// Normalize trims the draft's text fields.
func (d *Draft) Normalize() {
	d.Title = strings.TrimSpace(d.Title)
	d.Body = strings.TrimSpace(strings.ReplaceAll(d.Body, "\r\n", "\n"))
	d.Category = strings.TrimSpace(d.Category)
	d.BodyName = strings.TrimSpace(d.BodyName)
	if d.Kind == "" {
		d.Kind = KindIndividual
		if len(d.Cosigners) > 0 {
			d.Kind = KindJoint
		}
	}
}

// ValidateSave checks what may be saved as a draft: little is required, so
// that a half-written proposal is never lost. It returns the first problem;
// the error's Fields carries all of them (see DraftProblems).
func ValidateSave(d Draft) error { return firstProblem(DraftProblems(d, false)) }

// ValidateSubmit checks a draft before it is submitted, as ValidateSave does.
func ValidateSubmit(d Draft) error { return firstProblem(DraftProblems(d, true)) }

// DraftProblems returns every problem of d, at most one per field: what
// stops saving, and with submit also what stops submission. The checks run
// in a fixed order, the first of them being the error ValidateSave and
// ValidateSubmit return.
func DraftProblems(d Draft, submit bool) []*Error {
	var out []*Error
	seen := map[string]bool{}
	add := func(e *Error) {
		if !seen[e.Field] {
			seen[e.Field] = true
			out = append(out, e)
		}
	}
	for _, f := range []struct{ name, text string }{{"title", d.Title}, {"body", d.Body}, {"body_name", d.BodyName}} {
		if !utf8.ValidString(f.text) || strings.ContainsRune(f.text, 0) {
			add(FieldError(f.name, "文字包含无效字符，请检查编码后重新输入"))
		}
	}
	if d.Title == "" {
		add(FieldError("title", "请填写案由"))
	}
	if n := utf8.RuneCountInString(d.Title); n > MaxTitleRunes {
		add(FieldError("title", "案由不能超过%d个字（现为%d个字）", MaxTitleRunes, n))
	}
	if n := utf8.RuneCountInString(d.Body); n > MaxBodyRunes {
		add(FieldError("body", "正文不能超过%d个字（现为%d个字）", MaxBodyRunes, n))
	}
	switch d.Kind {
	case KindIndividual, KindJoint, KindBody:
	default:
		add(FieldError("kind", "提案类型无效"))
	}
	if d.Kind == KindBody && d.BodyName == "" {
		add(FieldError("body_name", "集体提案请填写提案单位（党派团体、专门委员会或界别）"))
	}
	if len(d.Cosigners) > MaxCosigners {
		add(FieldError("cosigners", "附议人不能超过%d人", MaxCosigners))
	}
	if d.Kind == KindJoint && len(d.Cosigners) == 0 {
		add(FieldError("cosigners", "联名提案请至少邀请一位附议人"))
	}
	if !submit {
		return out
	}
	if n := utf8.RuneCountInString(d.Body); n < MinBodyRunes {
		add(FieldError("body", "正文过短（至少%d个字），请写明调研情况、问题分析和具体建议", MinBodyRunes))
	}
	if d.Category == "" {
		add(FieldError("category", "请选择提案类别"))
	} else if !validCategory(d.Category) {
		add(FieldError("category", "提案类别“%s”不存在，请从列表中选择", d.Category))
	}
	return out
}

// firstProblem is the error of a list of problems: the first, carrying all.
func firstProblem(ps []*Error) error {
	if len(ps) == 0 {
		return nil
	}
	e := *ps[0]
	if len(ps) > 1 {
		e.Fields = ps
	}
	return &e
}

func validCategory(c string) bool {
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}
