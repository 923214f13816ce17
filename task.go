package zhengxie

import (
	"strings"
	"time"
)

// Task kinds: how a unit takes part in handling a proposal.
const (
	TaskLead     = "lead"     // 主办
	TaskCo       = "co"       // 会办
	TaskSeparate = "separate" // 分办
)

// TaskKindName is the Chinese name of a task kind.
func TaskKindName(k string) string {
	switch k {
	case TaskLead:
		return "主办"
	case TaskCo:
		return "会办"
	case TaskSeparate:
		return "分办"
	}
	return k
}

// TaskState of one unit's task.
type TaskState string

const (
	TaskPending   TaskState = "pending"
	TaskAccepted  TaskState = "accepted"
	TaskReturned  TaskState = "returned"
	TaskContacted TaskState = "contacted"
	TaskReplied   TaskState = "replied"
	TaskCancelled TaskState = "cancelled" // replaced by a reassignment
)

var taskStateNames = map[TaskState]string{TaskPending: "待签收", TaskAccepted: "办理中", TaskReturned: "已退回",
	TaskContacted: "已沟通", TaskReplied: "已答复", TaskCancelled: "已改办"}

// Name is the Chinese name of the task state.
func (s TaskState) Name() string {
	if n, ok := taskStateNames[s]; ok {
		return n
	}
	return string(s)
}

// TaskAction is something done to a task.
type TaskAction string

const (
	TaskActAccept   TaskAction = "accept_task"
	TaskActReturn   TaskAction = "return_task"
	TaskActContact  TaskAction = "contact"
	TaskActReply    TaskAction = "reply"
	TaskActFeedback TaskAction = "feedback"
	TaskActCancel   TaskAction = "cancel" // the office reassigns a returned task
)

var taskActionNames = map[TaskAction]string{TaskActAccept: "签收", TaskActReturn: "退回", TaskActContact: "沟通",
	TaskActReply: "答复", TaskActFeedback: "测评", TaskActCancel: "改办"}

// Name is the Chinese name of the task action.
func (a TaskAction) Name() string { return taskActionNames[a] }

// TaskTransition is one row of the task lifecycle.
type TaskTransition struct {
	From   TaskState
	Action TaskAction
	Party  Party
	To     TaskState
}

// TaskLifecycle is the transition table of a unit's task. Feedback with 不满意
// sends a replied task back to accepted (re-handling); see FeedbackRehandles.
var TaskLifecycle = []TaskTransition{
	{TaskPending, TaskActAccept, PartyUnit, TaskAccepted},
	{TaskPending, TaskActReturn, PartyUnit, TaskReturned},
	{TaskAccepted, TaskActReturn, PartyUnit, TaskReturned},
	{TaskReturned, TaskActCancel, PartyOffice, TaskCancelled},
	{TaskAccepted, TaskActContact, PartyUnit, TaskContacted},
	{TaskContacted, TaskActContact, PartyUnit, TaskContacted},
	{TaskAccepted, TaskActReply, PartyUnit, TaskReplied},
	{TaskContacted, TaskActReply, PartyUnit, TaskReplied},
	{TaskReplied, TaskActFeedback, PartyProposer, TaskReplied},
}

// NextTask returns the task state after party does action, or a plain-words error.
func NextTask(t *Task, action TaskAction, parties ...Party) (TaskState, error) {
	var allowed []Party
	for _, tr := range TaskLifecycle {
		if tr.From != t.State || tr.Action != action {
			continue
		}
		if hasParty(parties, tr.Party) {
			if action == TaskActFeedback && t.Kind == TaskCo {
				return t.State, Errorf(EIllegal, "会办单位的意见送主办单位，不单独测评。")
			}
			return tr.To, nil
		}
		allowed = append(allowed, tr.Party)
	}
	if len(allowed) == 0 {
		var names []string
		for _, tr := range TaskLifecycle {
			if tr.From == t.State {
				names = append(names, "“"+tr.Action.Name()+"”")
			}
		}
		msg := "任务当前状态为“" + t.State.Name() + "”，不能" + action.Name() + "。"
		if len(names) > 0 {
			msg += "此状态下可以进行的操作：" + strings.Join(dedupe(names), "、") + "。"
		}
		return t.State, &Error{Code: EIllegal, Message: msg}
	}
	var names []string
	for _, p := range allowed {
		names = append(names, partyNames[p])
	}
	return t.State, &Error{Code: EForbidden, Message: "只有" + strings.Join(dedupe(names), "或") + "可以" + action.Name() + "。"}
}

// AllowedTask lists what parties may do with a task now.
func AllowedTask(t *Task, parties ...Party) []TaskAction {
	var out []TaskAction
	seen := map[TaskAction]bool{}
	for _, tr := range TaskLifecycle {
		if tr.From == t.State && hasParty(parties, tr.Party) && !seen[tr.Action] {
			if _, err := NextTask(t, tr.Action, parties...); err == nil {
				seen[tr.Action] = true
				out = append(out, tr.Action)
			}
		}
	}
	return out
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// Task is one unit's part in handling one proposal.
type Task struct {
	ID           int64
	CommitteeID  int64
	ProposalID   int64
	UnitID       int64
	UnitName     string
	Kind         string
	State        TaskState
	AssignedAt   time.Time
	Due          string // civil date YYYY-MM-DD in the committee's time zone
	ReturnReason string
	Rehandled    bool // re-handling happens at most once
	ResultClass  string
	ReplyText    string
	RepliedAt    time.Time
	Feedback     string
	FeedbackNote string
	FeedbackAt   time.Time
	Contacted    bool // the unit recorded contact with the proposer before replying
}

// Counts reports whether the task is one whose reply completes the proposal.
func (t *Task) Counts() bool {
	return t.State != TaskCancelled && (t.Kind == TaskLead || t.Kind == TaskSeparate)
}

// Result classes of a reply (configurable names later).
var ResultClasses = []struct{ Code, Name string }{
	{"A", "已解决或采纳"},
	{"B", "正在解决或列入计划"},
	{"C", "因条件限制留作参考"},
}

// ResultClassName is the Chinese name of a result class.
func ResultClassName(c string) string {
	for _, r := range ResultClasses {
		if r.Code == c {
			return c + " " + r.Name
		}
	}
	return c
}

// Feedback values of the proposer's rating of a reply.
const (
	FeedbackSatisfied   = "satisfied"
	FeedbackBasically   = "basically"
	FeedbackUnsatisfied = "unsatisfied"
)

// FeedbackName is the Chinese name of a rating.
func FeedbackName(f string) string {
	switch f {
	case FeedbackSatisfied:
		return "满意"
	case FeedbackBasically:
		return "基本满意"
	case FeedbackUnsatisfied:
		return "不满意"
	}
	return ""
}

// Assignment is one line of a 交办 decision.
type Assignment struct {
	UnitID int64
	Kind   string
	Due    string // optional override, YYYY-MM-DD
}

// CheckAssignments validates a 交办 decision: at least one unit that answers
// (lead or separate), at most one lead, no unit twice, lead and separate not
// mixed. existing are the tasks still alive on the proposal (for 改办).
func CheckAssignments(as []Assignment, existing []Task) error {
	if len(as) == 0 {
		return FieldError("assignments", "请至少选择一个承办单位")
	}
	seen := map[int64]bool{}
	leads, separates, cos := 0, 0, 0
	for _, t := range existing {
		if t.State == TaskCancelled || t.State == TaskReturned {
			continue
		}
		seen[t.UnitID] = true
		switch t.Kind {
		case TaskLead:
			leads++
		case TaskSeparate:
			separates++
		}
	}
	for _, a := range as {
		if a.UnitID <= 0 {
			return FieldError("assignments", "请选择承办单位")
		}
		if seen[a.UnitID] {
			return FieldError("assignments", "同一承办单位不能重复交办")
		}
		seen[a.UnitID] = true
		switch a.Kind {
		case TaskLead:
			leads++
		case TaskSeparate:
			separates++
		case TaskCo:
			cos++
		default:
			return FieldError("assignments", "承办方式只能是主办、会办或分办")
		}
		if a.Due != "" {
			if _, err := time.Parse("2006-01-02", a.Due); err != nil {
				return FieldError("due", "办理期限“%s”不是有效日期（格式：2026-03-31）", a.Due)
			}
		}
	}
	if leads > 1 {
		return FieldError("assignments", "主办单位只能有一个")
	}
	if leads == 0 && separates == 0 {
		return FieldError("assignments", "请指定一个主办单位，或一个以上分办单位")
	}
	if leads > 0 && separates > 0 {
		return FieldError("assignments", "主办与分办不能同时使用：分办时每个单位各自答复")
	}
	if cos > 0 && leads == 0 {
		return FieldError("assignments", "有会办单位时必须指定主办单位")
	}
	return nil
}

// Reply is a unit's written answer; for a co-handling unit it is the opinion
// sent to the lead unit and carries no result class.
type Reply struct {
	ResultClass string
	Text        string
}

// CheckReply is the guard of 答复.
func CheckReply(t *Task, r Reply) error {
	if strings.TrimSpace(r.Text) == "" {
		if t.Kind == TaskCo {
			return FieldError("text", "请填写会办意见")
		}
		return FieldError("text", "请填写答复正文")
	}
	if err := CheckText("text", "答复正文", r.Text, MaxBodyRunes); err != nil {
		return err
	}
	if t.Kind == TaskCo {
		return nil
	}
	for _, c := range ResultClasses {
		if c.Code == r.ResultClass {
			return nil
		}
	}
	return FieldError("result_class", "请选择办理结果（A、B或C类）")
}

// CheckFeedback is the guard of 测评.
func CheckFeedback(value, note string) error {
	switch value {
	case FeedbackSatisfied, FeedbackBasically:
	case FeedbackUnsatisfied:
		if strings.TrimSpace(note) == "" {
			return FieldError("note", "选择“不满意”时请写明意见，承办单位将据此重新办理")
		}
	default:
		return FieldError("feedback", "请选择满意、基本满意或不满意")
	}
	if err := CheckText("note", "意见", note, 2000); err != nil {
		return err
	}
	return nil
}

// FeedbackRehandles reports whether a rating sends the task back for
// re-handling: 不满意, and only the first time.
func FeedbackRehandles(t *Task, value string) bool {
	return value == FeedbackUnsatisfied && !t.Rehandled
}

// CheckReturn is the guard of 退回: a reason, and within the return window.
func CheckReturn(reason string, today, returnBy string) error {
	if err := CheckReason(Action(TaskActReturn), reason); err != nil {
		return err
	}
	if returnBy != "" && today > returnBy {
		return Errorf(EIllegal, "已超过退回期限（%s），不能再退回；如确需调整，请与提案委员会联系。", returnBy)
	}
	return nil
}

// AllReplied reports whether every task that counts has replied.
func AllReplied(ts []Task) bool {
	n := 0
	for _, t := range ts {
		if !t.Counts() {
			continue
		}
		n++
		if t.State != TaskReplied {
			return false
		}
	}
	return n > 0
}

// AllRated reports whether the proposer rated every reply that counts.
func AllRated(ts []Task) bool {
	for _, t := range ts {
		if t.Counts() && t.Feedback == "" {
			return false
		}
	}
	return true
}

// CheckConclude is the guard of 办结.
func CheckConclude(ts []Task) error {
	if !AllReplied(ts) {
		return Errorf(EIllegal, "还有承办单位未答复，不能办结。")
	}
	if !AllRated(ts) {
		return Errorf(EIllegal, "提案人尚未对全部答复进行满意度测评，不能办结。")
	}
	return nil
}
