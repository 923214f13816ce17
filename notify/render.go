package notify

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"
)

// Names of the message templates (files templates/<name>.tmpl).
const (
	TaskAssigned        = "task_assigned"         // 新的交办任务, to the unit
	DeadlineReminder    = "deadline_reminder"     // 办理期限提醒, to the unit
	TaskOverdue         = "task_overdue"          // 已超期, to the unit
	Escalation          = "escalation"            // 超期督办, to the supervising leader
	ReplyReceived       = "reply_received"        // 答复已送达, to the member
	FeedbackReceived    = "feedback_received"     // 测评结果, to the unit
	ProposalRejected    = "proposal_rejected"     // 不予立案, to the member
	KeyProposalApproved = "key_proposal_approved" // 重点提案确定, to units, proposers, leader
	TokenExpiring       = "token_expiring"        // API令牌即将到期, to the token's owner
	ActivityInvited     = "activity_invited"      // 活动邀请, to the invited members
	DutyReminder        = "duty_reminder"         // 履职作业提醒, to members behind on the checklist
	CosignInvited       = "cosign_invited"        // 附议邀请, to a co-signer
	ProposalAccepted    = "proposal_accepted"     // 立案, to the member
	ProposalConverted   = "proposal_converted"    // 转为意见建议, to the member
	ProposalMerged      = "proposal_merged"       // 并案, to the member
	ProposalConcluded   = "proposal_concluded"    // 办结, to the member
	ProposalAssigned    = "proposal_assigned"     // 交办, to the member
	TaskReturned        = "task_returned"         // 退回申请, to the office
	RehandleRequested   = "rehandle_requested"    // 不满意、重新办理, to the unit
	ExtensionRequested  = "extension_requested"   // 延期申请, to the office
	ExtensionApproved   = "extension_approved"    // 同意延期, to the unit
	ExtensionRefused    = "extension_refused"     // 不同意延期, to the unit
	KeyProposalProposed = "key_proposal_proposed" // 重点提案建议, to the leaders
	KeyStepPlanned      = "key_step_planned"      // 督办安排, to the units
	TaskClosed          = "task_closed"           // 办结时关闭未完成的任务, to the unit
	LeadReleased        = "lead_released"         // 准予主办单位先行答复, to the lead unit
	TopicReturned       = "topic_returned"        // 订单退回修改 or 不予发布 (Result), to the posting unit
	TopicPublished      = "topic_published"       // 订单已发布, to the posting unit
	TopicNew            = "topic_new"             // 新的订单, to every member (in-app only)
	TopicClaimed        = "topic_claimed"         // 订单被认领, to the posting unit
	StudyRequested      = "study_requested"       // 联合调研申请, to the posting unit
	StudyAnswered       = "study_answered"        // 联合调研答复 (Result), to the claim's members
	// ContactNotice carries the contact module's notices (接访、群众诉求、
	// 社情民意), whose subject and text are still composed where they happen.
	ContactNotice = "contact_notice"
)

// Data is what the templates use. Render accepts any value with these
// fields (or a map); each template uses the fields that make sense for it.
type Data struct {
	Committee   string // 某某区政协
	Recipient   string // how the letter opens: a member's name or a unit's name
	Number      string // 第0012号
	Title       string // 案由
	Proposer    string // 提案者
	Unit        string // 承办单位
	Role        string // 主办, 会办 or 分办
	Due         any    // a zhengxie.Date, time.Time or "2026-03-05"
	PreviousDue any    // the deadline before an extension
	DaysLeft    int
	DaysOverdue int
	Leader      string // 督办领导
	Reason      string // 不予立案理由, proposer's comment …
	Result      string // 答复类别 or 满意度 (满意, 基本满意, 不满意)
	Missed      string // the alerts missed while the server was down, folded into this one
	Activity    string // a key proposal's planned step: 座谈：题目
	URL         string
	Place       string // 活动地点
	Time        string // 活动时间, as it should read
	Items       string // what is still to do (a checklist reminder)
	Subject     string // ContactNotice: the subject line
	Body        string // ContactNotice: the text
}

// Each template file is the subject on its first line, then the body: an
// admin reading the file sees the message as it will arrive.
//
//go:embed templates/*.tmpl
var templateFiles embed.FS

type message struct{ subject, text *template.Template }

var templates = mustParseTemplates()

var funcs = template.FuncMap{"cndate": cnDate, "sentence": sentence}

func mustParseTemplates() map[string]message {
	out := map[string]message{}
	paths, err := fs.Glob(templateFiles, "templates/*.tmpl")
	if err != nil {
		panic(err)
	}
	for _, p := range paths {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".tmpl")
		b, err := templateFiles.ReadFile(p)
		if err != nil {
			panic(err)
		}
		subject, body, _ := strings.Cut(string(b), "\n")
		m := message{
			subject: template.Must(template.New(name).Funcs(funcs).Option("missingkey=error").Parse(subject)),
			text:    template.Must(template.New(name).Funcs(funcs).Option("missingkey=error").Parse(body)),
		}
		out[name] = m
	}
	return out
}

// Names lists the available templates.
func Names() []string {
	var names []string
	for n := range templates {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// Render fills template name with data. The subject is one short line, fit
// for an SMS as well as an e-mail subject.
func Render(name string, data any) (subject, text string, err error) {
	m, ok := templates[name]
	if !ok {
		return "", "", fmt.Errorf("没有名为“%s”的消息模板", name)
	}
	var s, t bytes.Buffer
	if err := m.subject.Execute(&s, data); err != nil {
		return "", "", fmt.Errorf("消息模板“%s”的标题无法生成：%w", name, err)
	}
	if err := m.text.Execute(&t, data); err != nil {
		return "", "", fmt.Errorf("消息模板“%s”的正文无法生成：%w", name, err)
	}
	// Optional parts leave empty lines behind; one blank line between
	// paragraphs is what a letter has.
	text = blankLines.ReplaceAllString(strings.TrimSpace(t.String()), "\n\n")
	return oneLine(s.String()), text + "\n", nil
}

// cnDate writes a date the way letters do: 2026年3月5日.
func cnDate(v any) string {
	switch d := v.(type) {
	case nil:
		return ""
	case interface{ Chinese() string }:
		return d.Chinese()
	case time.Time:
		return d.Format("2006年1月2日")
	case string:
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return t.Format("2006年1月2日")
		}
		return d
	case fmt.Stringer:
		return cnDate(d.String())
	}
	return fmt.Sprint(v)
}

// sentence ends a text a person wrote with 。 unless it already ends a
// sentence, so that a notice quoting it never reads “……。。” nor leaves
// it without its full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsRune("。！？!?.…", []rune(s)[len([]rune(s))-1]) {
		return s
	}
	return s + "。"
}
