package zhengxie

// ExtState is the state of a unit's request for a later deadline (申请延期).
type ExtState string

const (
	ExtNone     ExtState = ""         // not requested yet
	ExtPending  ExtState = "pending"  // waiting for the office
	ExtApproved ExtState = "approved" // the task's due date moved
	ExtRefused  ExtState = "refused"
)

var extStateNames = map[ExtState]string{ExtNone: "未申请", ExtPending: "待审批", ExtApproved: "已同意", ExtRefused: "未同意"}

// Name is the Chinese name of the request's state.
func (s ExtState) Name() string {
	if n, ok := extStateNames[s]; ok {
		return n
	}
	return string(s)
}

// ExtAction is a step of an extension request; the names are the events'.
type ExtAction string

const (
	ExtActRequest ExtAction = "request_extension"
	ExtActApprove ExtAction = "approve_extension"
	ExtActRefuse  ExtAction = "refuse_extension"
)

// Name is the Chinese name of the step.
func (a ExtAction) Name() string { return Action(a).Name() }

// ExtensionTable says who may do what with an extension request: the unit
// of the task asks, the office decides once.
var ExtensionTable = &Table[ExtState, ExtAction]{
	Subject:    "延期申请",
	StateName:  ExtState.Name,
	ActionName: ExtAction.Name,
	Rows: []Row[ExtState, ExtAction]{
		{ExtNone, ExtActRequest, PartyUnit, ExtPending},
		{ExtPending, ExtActApprove, PartyOffice, ExtApproved},
		{ExtPending, ExtActRefuse, PartyOffice, ExtRefused},
	},
}

// ExtensionDecision is the table's action for the office's answer.
func ExtensionDecision(approve bool) ExtAction {
	if approve {
		return ExtActApprove
	}
	return ExtActRefuse
}

// CheckExtensionTask is the guard on the task: only a task still waiting
// for its reply, on a proposal not concluded, has a deadline to move.
func CheckExtensionTask(p State, t *Task) error {
	if Frozen(p) {
		return Errorf(EIllegal, "提案%s，办理期限不能再延长。", p.Name())
	}
	if t.State != TaskPending && t.State != TaskAccepted && t.State != TaskContacted {
		return Errorf(EIllegal, "任务当前状态为“%s”，不需要延期。", t.State.Name())
	}
	return nil
}
