package zhengxie

import (
	"strconv"
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
	TaskClosed    TaskState = "closed"    // still open when the proposal was concluded
)

var taskStateNames = map[TaskState]string{TaskPending: "待签收", TaskAccepted: "办理中", TaskReturned: "已退回",
	TaskContacted: "已沟通", TaskReplied: "已答复", TaskCancelled: "已改办", TaskClosed: "已随提案办结关闭"}

// Name is the Chinese name of the task state.
func (s TaskState) Name() string {
	if n, ok := taskStateNames[s]; ok {
		return n
	}
	return string(s)
}

// Open reports whether the task still waits for its unit.
func (s TaskState) Open() bool {
	return s == TaskPending || s == TaskAccepted || s == TaskContacted || s == TaskReturned
}

// TaskAction is something done to a task.
type TaskAction string

const (
	TaskActAccept   TaskAction = "accept_task"
	TaskActReturn   TaskAction = "return_task"
	TaskActContact  TaskAction = "contact"
	TaskActReply    TaskAction = "reply"
	TaskActFeedback TaskAction = "feedback"
	TaskActCancel   TaskAction = "cancel"        // the office reassigns a returned task
	TaskActRehandle TaskAction = "rehandle_task" // 不满意: the replied task goes back to the unit, once
	TaskActClose    TaskAction = "close_task"    // 办结 closes what is still open
	TaskActRelease  TaskAction = "release_lead"  // the office lets the lead unit reply without every co-handling opinion
)

var taskActionNames = map[TaskAction]string{TaskActAccept: "签收", TaskActReturn: "退回", TaskActContact: "沟通",
	TaskActReply: "答复", TaskActFeedback: "测评", TaskActCancel: "改办", TaskActRehandle: "重新办理",
	TaskActClose: "随提案办结关闭", TaskActRelease: "准予主办单位先行答复"}

// Name is the Chinese name of the task action.
func (a TaskAction) Name() string { return taskActionNames[a] }

// TaskTransition is one row of the task lifecycle.
type TaskTransition = Row[TaskState, TaskAction]

// TaskLifecycle is the transition table of a unit's task. Feedback with
// 不满意 is followed by the system's re-handling row; concluding the
// proposal closes every open task, and no row leaves a closed one.
var TaskLifecycle = &Table[TaskState, TaskAction]{
	Subject:    "办理任务",
	StateName:  TaskState.Name,
	ActionName: TaskAction.Name,
	Rows: []TaskTransition{
		{TaskPending, TaskActAccept, PartyUnit, TaskAccepted},
		{TaskPending, TaskActReturn, PartyUnit, TaskReturned},
		{TaskAccepted, TaskActReturn, PartyUnit, TaskReturned},
		{TaskReturned, TaskActCancel, PartyOffice, TaskCancelled},
		{TaskAccepted, TaskActContact, PartyUnit, TaskContacted},
		{TaskContacted, TaskActContact, PartyUnit, TaskContacted},
		{TaskAccepted, TaskActReply, PartyUnit, TaskReplied},
		{TaskContacted, TaskActReply, PartyUnit, TaskReplied},
		{TaskPending, TaskActRelease, PartyOffice, TaskPending},
		{TaskAccepted, TaskActRelease, PartyOffice, TaskAccepted},
		{TaskContacted, TaskActRelease, PartyOffice, TaskContacted},
		{TaskReplied, TaskActFeedback, PartyProposer, TaskReplied},
		{TaskReplied, TaskActRehandle, PartySystem, TaskAccepted},
		{TaskPending, TaskActClose, PartySystem, TaskClosed},
		{TaskAccepted, TaskActClose, PartySystem, TaskClosed},
		{TaskContacted, TaskActClose, PartySystem, TaskClosed},
		{TaskReturned, TaskActClose, PartySystem, TaskClosed},
	},
}

// NextTask returns the task state after parties do action, or a
// plain-words error: forbidden first, then illegal in this state, then the
// guards that depend on the kind of task.
func NextTask(t *Task, action TaskAction, parties ...Party) (TaskState, error) {
	to, err := TaskLifecycle.Next(t.State, action, parties...)
	if err != nil {
		return t.State, err
	}
	switch {
	case action == TaskActFeedback && t.Kind == TaskCo:
		return t.State, Errorf(EIllegal, "会办单位的意见送主办单位，不单独测评。")
	case action == TaskActRelease && t.Kind != TaskLead:
		return t.State, Errorf(EIllegal, "只有主办单位的答复需要等待会办意见。")
	}
	return to, nil
}

// AllowedTask lists what parties may do with a task now.
func AllowedTask(t *Task, parties ...Party) []TaskAction {
	var out []TaskAction
	for _, a := range TaskLifecycle.Allowed(t.State, parties...) {
		if _, err := NextTask(t, a, parties...); err == nil {
			out = append(out, a)
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
	Due          Date // the civil date in the committee's time zone; zero for a historical task without one
	ReturnReason string
	Rehandled    bool // re-handling happens at most once
	ResultClass  string
	ReplyText    string
	RepliedAt    time.Time
	Feedback     string
	FeedbackNote string
	FeedbackAt   time.Time
	Contacted    bool // the unit recorded contact with the proposer before replying
	// LeadReleased: the office let the lead unit reply before every
	// co-handling opinion was in.
	LeadReleased bool
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

// CheckLeadReply is the guard of the lead unit's 答复: it waits for the
// opinions of the co-handling units (会办意见), unless the office released it.
func CheckLeadReply(t *Task, all []Task) error {
	if t.Kind != TaskLead || t.LeadReleased {
		return nil
	}
	var waiting []string
	for _, o := range all {
		if o.Kind == TaskCo && o.ID != t.ID && o.State.Open() && o.State != TaskReturned {
			waiting = append(waiting, o.UnitName)
		}
	}
	if len(waiting) == 0 {
		return nil
	}
	return Errorf(EIllegal, "会办单位（%s）尚未提交会办意见，主办单位请在收到全部会办意见后答复；如确需先行答复，请联系提案委员会准予先行答复。",
		strings.Join(waiting, "、"))
}

// CheckRelease is the guard of 准予主办单位先行答复: the office says why.
func CheckRelease(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return FieldError("reason", "请填写准予主办单位先行答复的理由，理由将记入办理轨迹")
	}
	return CheckText("reason", "理由", reason, 2000)
}

// FeedbackStates are the proposal states in which a reply may be rated:
// while other units still handle it, and once all replied.
var FeedbackStates = []State{StateHandling, StateReplied}

// CheckFeedbackState is the guard of 测评 on the proposal and the task: the
// proposal still in handling, the reply not rated yet.
func CheckFeedbackState(p State, t *Task) error {
	ok := false
	for _, s := range FeedbackStates {
		ok = ok || s == p
	}
	if !ok {
		return Errorf(EIllegal, "提案当前状态为“%s”，不能测评。", p.Name())
	}
	if t.Feedback != "" {
		return Errorf(EIllegal, "您已对该答复测评过。")
	}
	return nil
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

// ReplyVersionLabel names the n-th reply of a task in the case file.
func ReplyVersionLabel(n int) string {
	switch n {
	case 1:
		return "第一次答复"
	case 2:
		return "重新办理后答复"
	}
	return "第" + strconv.Itoa(n) + "次答复"
}
