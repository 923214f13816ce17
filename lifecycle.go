package zhengxie

import "strings"

// Action is something done to a proposal.
type Action string

const (
	ActCreate       Action = "create"
	ActSave         Action = "save"
	ActSubmit       Action = "submit"
	ActCosign       Action = "cosign"         // a co-signer confirms
	ActDeclineCosig Action = "decline_cosign" // a co-signer declines
	ActCloseCosign  Action = "close_cosign"   // every co-signer answered, or the deadline passed
	ActWithdraw     Action = "withdraw"
	ActAccept       Action = "accept"
	ActReject       Action = "reject"
	ActMerge        Action = "merge"
	ActConvert      Action = "convert"
	ActAssign       Action = "assign"
	ActAllReplied   Action = "all_replied" // the last lead/separate unit replied
	ActRehandle     Action = "rehandle"    // 不满意: back to the unit, once
	ActConclude     Action = "conclude"
	ActPublish      Action = "publish"
	ActUnpublish    Action = "unpublish"
	ActArchive      Action = "archive"
	ActMarkKey      Action = "mark_key"
	ActUnmarkKey    Action = "unmark_key"
	ActSetCategory  Action = "set_category"
)

var actionNames = map[Action]string{
	ActCreate: "新建草稿", ActSave: "保存草稿", ActSubmit: "提交", ActCosign: "确认附议", ActDeclineCosig: "谢绝附议",
	ActCloseCosign: "附议截止", ActWithdraw: "撤回", ActAccept: "立案", ActReject: "不予立案", ActMerge: "并案",
	ActConvert: "转为意见建议", ActAssign: "交办", ActAllReplied: "全部答复", ActRehandle: "重新办理",
	ActConclude: "办结", ActPublish: "公开", ActUnpublish: "撤销公开", ActArchive: "归档", ActMarkKey: "列为重点提案", ActUnmarkKey: "取消重点提案", ActSetCategory: "调整类别",
}

// eventNames names the events that are not lifecycle actions: supervision
// and account events, as the timeline and the audit log show them.
var eventNames = map[string]string{
	"request_extension": "申请延期", "approve_extension": "同意延期", "refuse_extension": "不同意延期",
	"propose_key": "提出重点提案建议", "refuse_key": "未列入重点提案", "key_leader": "更换督办领导",
	"key_step": "制定督办计划", "key_step_done": "完成督办事项", "key_note": "记录督办进展",
	"login": "登录", "login_failed": "登录失败", "user_created": "添加用户", "password_reset": "重置密码",
	"password_changed": "修改密码", "force_logout": "强制下线", "user_disabled": "停用账号", "user_enabled": "启用账号",
	"role_changed": "调整角色", "totp_enabled": "启用动态验证码", "totp_disabled": "关闭动态验证码",
	"api_token_created": "创建API令牌", "api_token_revoked": "撤销API令牌", "api_tokens_revoked": "撤销全部API令牌",
	"data_export":     "下载个人数据",
	"notify_settings": "修改通知方式", "unit_leader": "设置承办单位督办领导", "save_criteria": "修改考评指标",
	"save_webhook": "保存Webhook订阅", "delete_webhook": "删除Webhook订阅", "save_deadline_settings": "修改办理期限规则和节假日",
	"dict_words_added": "添加分词词典词语", "index_rebuild_requested": "重建检索索引",
}

// Name is the Chinese name of the action.
func (a Action) Name() string {
	if n, ok := actionNames[a]; ok {
		return n
	}
	if n, ok := eventNames[string(a)]; ok {
		return n
	}
	if n, ok := taskActionNames[TaskAction(a)]; ok {
		return n
	}
	return string(a)
}

// Party is the relation of an actor to a proposal. The transition table is
// written in parties rather than roles because "a member" is not enough: only
// the proposer may submit, only an invited co-signer may confirm.
type Party string

const (
	PartyProposer Party = "proposer"
	PartyCosigner Party = "cosigner"
	PartyOffice   Party = "office"
	PartyUnit     Party = "unit" // the unit of the task acted on
	PartyLeader   Party = "leader"
	PartySystem   Party = "system"
)

var partyNames = map[Party]string{PartyProposer: "提案人", PartyCosigner: "附议人", PartyOffice: "提案委员会",
	PartyUnit: "承办单位", PartyLeader: "领导", PartySystem: "系统"}

// Transition is one row of the proposal lifecycle.
type Transition = Row[State, Action]

// publishable states: the text may be published once accepted; archived
// proposals are frozen and keep the flag they had.
var publishable = []State{StateAccepted, StateHandling, StateReplied, StateConcluded}

// markable: key proposals are chosen among accepted ones still in work.
var markable = []State{StateAccepted, StateHandling, StateReplied}

// Lifecycle is the whole proposal transition table. It is the one place that
// says who may do what when; guards that need input (a reason, a target)
// are the Check* functions below.
var Lifecycle = &Table[State, Action]{
	Subject:    "提案",
	Rows:       lifecycleRows(),
	StateName:  State.Name,
	ActionName: Action.Name,
}

func lifecycleRows() []Transition {
	rows := []Transition{
		{StateDraft, ActSave, PartyProposer, StateDraft},
		{StateDraft, ActSubmit, PartyProposer, StateSubmitted}, // to under_review directly when nobody is invited; see SubmitTarget
		{StateDraft, ActWithdraw, PartyProposer, StateWithdrawn},

		{StateSubmitted, ActCosign, PartyCosigner, StateSubmitted},
		{StateSubmitted, ActDeclineCosig, PartyCosigner, StateSubmitted},
		{StateSubmitted, ActCloseCosign, PartySystem, StateUnderReview},
		{StateSubmitted, ActCloseCosign, PartyOffice, StateUnderReview},
		{StateSubmitted, ActWithdraw, PartyProposer, StateWithdrawn},

		{StateUnderReview, ActSetCategory, PartyOffice, StateUnderReview},
		{StateUnderReview, ActAccept, PartyOffice, StateAccepted},
		{StateUnderReview, ActReject, PartyOffice, StateRejected},
		{StateUnderReview, ActMerge, PartyOffice, StateMerged},
		{StateUnderReview, ActConvert, PartyOffice, StateConverted},
		{StateUnderReview, ActWithdraw, PartyProposer, StateWithdrawn},

		{StateAccepted, ActSetCategory, PartyOffice, StateAccepted},
		{StateAccepted, ActAssign, PartyOffice, StateHandling},
		{StateHandling, ActAssign, PartyOffice, StateHandling}, // 改办: a returned task goes to another unit
		{StateHandling, ActAllReplied, PartySystem, StateReplied},
		{StateReplied, ActRehandle, PartySystem, StateHandling},
		{StateReplied, ActAssign, PartyOffice, StateHandling},
		{StateReplied, ActConclude, PartyOffice, StateConcluded},
		{StateConcluded, ActArchive, PartyOffice, StateArchived},
	}
	for _, s := range publishable {
		rows = append(rows, Transition{s, ActPublish, PartyOffice, s}, Transition{s, ActUnpublish, PartyOffice, s})
	}
	for _, s := range markable {
		for _, p := range []Party{PartyOffice, PartyLeader} {
			rows = append(rows, Transition{s, ActMarkKey, p, s}, Transition{s, ActUnmarkKey, p, s})
		}
	}
	return rows
}

// Next returns the state after parties do action on a proposal in state
// from, or an *Error in plain Chinese: forbidden when these parties may
// never take the action, illegal (listing what they may do now) when they
// may, but not in this state.
func Next(from State, action Action, parties ...Party) (State, error) {
	return Lifecycle.Next(from, action, parties...)
}

// Allowed lists the actions parties may take on a proposal in state s, for
// showing the right buttons.
func Allowed(s State, parties ...Party) []Action {
	return Lifecycle.Allowed(s, parties...)
}

// ActionsFrom lists the actions anyone may take in state s.
func ActionsFrom(s State) []Action {
	seen := map[Action]bool{}
	var out []Action
	for _, t := range Lifecycle.Rows {
		if t.From == s && !seen[t.Action] {
			seen[t.Action] = true
			out = append(out, t.Action)
		}
	}
	return out
}

// Frozen reports whether a proposal in state s is closed for its units:
// after 办结 no task may change any more.
func Frozen(s State) bool {
	return s == StateConcluded || s == StateArchived
}

func hasParty(ps []Party, p Party) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// SubmitTarget is where a submitted proposal goes: it waits for co-signers
// only when someone was invited; otherwise the table's close_cosign row
// takes it on to review at once.
func SubmitTarget(invited int) State {
	to, _ := Next(StateDraft, ActSubmit, PartyProposer)
	if invited > 0 {
		return to
	}
	next, err := Next(to, ActCloseCosign, PartySystem)
	if err != nil {
		return to
	}
	return next
}

// CheckReason is the guard of actions that need a reason shown to the proposer.
func CheckReason(action Action, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return FieldError("reason", "请填写%s的理由，理由将告知提案人", action.Name())
	}
	return CheckText("reason", "理由", reason, 2000)
}

// CheckMerge is the guard of 并案: the target must be another proposal of the
// same committee and session that is still alive.
func CheckMerge(p, into *Proposal) error {
	if into == nil || into.ID == p.ID {
		return FieldError("into", "请选择要并入的另一件提案")
	}
	if into.CommitteeID != p.CommitteeID || into.SessionID != p.SessionID {
		return FieldError("into", "只能并入本届本次会议的提案")
	}
	switch into.State {
	case StateUnderReview, StateAccepted, StateHandling:
		return nil
	}
	return FieldError("into", "目标提案状态为“%s”，不能并入", into.State.Name())
}

// CosignComplete reports whether every invited co-signer has answered.
func CosignComplete(cs []Cosigner) bool {
	for _, c := range cs {
		if c.Status == CosignInvited {
			return false
		}
	}
	return true
}
