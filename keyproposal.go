package zhengxie

// KeyState is the state of a proposal on the key-proposal list (重点提案).
type KeyState string

const (
	KeyNone     KeyState = ""         // not proposed
	KeyProposed KeyState = "proposed" // the office proposed it, waiting for the chairs' council
	KeyApproved KeyState = "approved"
	KeyRefused  KeyState = "refused"
)

var keyStateNames = map[KeyState]string{KeyNone: "未提出", KeyProposed: "待主席会议审定", KeyApproved: "已确定", KeyRefused: "未列入"}

// Name is the Chinese name of the state.
func (s KeyState) Name() string {
	if n, ok := keyStateNames[s]; ok {
		return n
	}
	return string(s)
}

// KeyAction is a step of the key-proposal selection.
type KeyAction string

const (
	KeyActPropose KeyAction = "propose_key"
	KeyActApprove KeyAction = "approve_key"
	KeyActRefuse  KeyAction = "refuse_key"
)

var keyActionNames = map[KeyAction]string{KeyActPropose: "提出重点提案建议", KeyActApprove: "审定为重点提案", KeyActRefuse: "不列入重点提案"}

// Name is the Chinese name of the step.
func (a KeyAction) Name() string { return keyActionNames[a] }

// KeyTable says who may do what in the selection: the office proposes,
// the chairs' council (a leader) decides once. A key proposal exists only
// through this table.
var KeyTable = &Table[KeyState, KeyAction]{
	Subject:    "重点提案",
	StateName:  KeyState.Name,
	ActionName: KeyAction.Name,
	Rows: []Row[KeyState, KeyAction]{
		{KeyNone, KeyActPropose, PartyOffice, KeyProposed},
		{KeyProposed, KeyActApprove, PartyLeader, KeyApproved},
		{KeyProposed, KeyActRefuse, PartyLeader, KeyRefused},
	},
}

// KeyDecision is the table's action for the council's answer.
func KeyDecision(approve bool) KeyAction {
	if approve {
		return KeyActApprove
	}
	return KeyActRefuse
}

// CheckKeyProposal is the guard on the proposal itself: proposing and
// approving ask the proposal's lifecycle whether it may be marked key now,
// so that a proposal concluded before the council decides is refused.
func CheckKeyProposal(p State, action KeyAction) error {
	if action == KeyActRefuse {
		return nil
	}
	party := PartyOffice
	if action == KeyActApprove {
		party = PartyLeader
	}
	if _, err := Next(p, ActMarkKey, party); err != nil {
		return Errorf(EIllegal, "提案当前状态为“%s”，只有已立案、尚未办结的提案可以列为重点提案。", p.Name())
	}
	return nil
}
