package zhengxie

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// A TopicOrder (订单式提案) is a subject a handling unit (or the office, for
// the party committee or the government office) wants members' advice on.
// The office reviews and publishes it; members claim it, alone, together or
// for a sector, may ask the unit for a joint study, and file proposals
// against it. The order then follows its proposals: filed, accepted, and
// adopted when the unit's reply to one of them is of class A. The files
// and names use "topic" because "topics" already means search key terms.

// TopicState is where an order is.
type TopicState string

const (
	TopicDraft     TopicState = "draft"     // the poster is still writing it
	TopicPending   TopicState = "pending"   // 待审核: waiting for the office
	TopicReturned  TopicState = "returned"  // 退回修改, with the office's reason
	TopicRejected  TopicState = "rejected"  // 不予发布, with the office's reason
	TopicPublished TopicState = "published" // 已发布: members may claim it
	TopicClaimed   TopicState = "claimed"   // 已认领 by at least one claim
	TopicFiled     TopicState = "filed"     // 已成案: a proposal was submitted against it
	TopicAccepted  TopicState = "accepted"  // 已立案: one of its proposals was accepted
	TopicAdopted   TopicState = "adopted"   // 已采纳: a reply of class A to one of its proposals
	TopicWithdrawn TopicState = "withdrawn" // 已撤回 by the poster
	TopicClosed    TopicState = "closed"    // 已关闭 by the office after the deadline
)

var topicStateNames = map[TopicState]string{TopicDraft: "草稿", TopicPending: "待审核", TopicReturned: "退回修改",
	TopicRejected: "不予发布", TopicPublished: "已发布", TopicClaimed: "已认领", TopicFiled: "已成案", TopicAccepted: "已立案",
	TopicAdopted: "已采纳", TopicWithdrawn: "已撤回", TopicClosed: "已关闭"}

// Name is the Chinese name of the state.
func (s TopicState) Name() string {
	if n, ok := topicStateNames[s]; ok {
		return n
	}
	return string(s)
}

// TopicStates lists the states in the order of the flow.
var TopicStates = []TopicState{TopicDraft, TopicPending, TopicReturned, TopicRejected, TopicPublished, TopicClaimed, TopicFiled,
	TopicAccepted, TopicAdopted, TopicWithdrawn, TopicClosed}

// Listed reports whether members see the order in the order list.
func (s TopicState) Listed() bool {
	switch s {
	case TopicPublished, TopicClaimed, TopicFiled, TopicAccepted, TopicAdopted, TopicClosed:
		return true
	}
	return false
}

// TopicAction is what is done to an order.
type TopicAction string

const (
	TopicActSave     TopicAction = "save"
	TopicActSubmit   TopicAction = "submit"
	TopicActPublish  TopicAction = "publish"
	TopicActReturn   TopicAction = "return"
	TopicActReject   TopicAction = "reject"
	TopicActWithdraw TopicAction = "withdraw"
	TopicActClose    TopicAction = "close"
	TopicActClaim    TopicAction = "claim"
	TopicActUnclaim  TopicAction = "unclaim"  // a claimant withdraws their claim
	TopicActRelease  TopicAction = "release"  // the system: the last claim withdrawn, the order is open again
	TopicActStudy    TopicAction = "study"    // a claimant asks the unit for a joint study
	TopicActFile     TopicAction = "file"     // the system: a claim's proposal was submitted
	TopicActAccepted TopicAction = "accepted" // the system: a proposal from the order was accepted
	TopicActAdopted  TopicAction = "adopted"  // the system: a class A reply to a proposal from the order
)

var topicActionNames = map[TopicAction]string{TopicActSave: "修改", TopicActSubmit: "提交审核", TopicActPublish: "发布",
	TopicActReturn: "退回修改", TopicActReject: "不予发布", TopicActWithdraw: "撤回", TopicActClose: "关闭", TopicActClaim: "认领",
	TopicActUnclaim: "撤回认领", TopicActRelease: "恢复待认领", TopicActStudy: "申请联合调研", TopicActFile: "成案",
	TopicActAccepted: "立案", TopicActAdopted: "采纳"}

// Name is the Chinese name of the action.
func (a TopicAction) Name() string {
	if n, ok := topicActionNames[a]; ok {
		return n
	}
	return string(a)
}

// The parties of an order.
const (
	PartyPoster   Party = "poster"   // the posting unit's staff, or the office for an order it posted
	PartyClaimant Party = "claimant" // a member named in a live claim of the order
	PartyMember   Party = "member"   // any member of the committee
)

func init() {
	partyNames[PartyPoster] = "发布订单的单位"
	partyNames[PartyClaimant] = "认领订单的委员"
	partyNames[PartyMember] = "委员"
}

// TopicTable says who may do what to an order when.
var TopicTable = &Table[TopicState, TopicAction]{
	Subject: "订单",
	Rows: func() []Row[TopicState, TopicAction] {
		type R = Row[TopicState, TopicAction]
		rows := []R{
			{TopicDraft, TopicActSave, PartyPoster, TopicDraft},
			{TopicReturned, TopicActSave, PartyPoster, TopicReturned},
			{TopicDraft, TopicActSubmit, PartyPoster, TopicPending},
			{TopicReturned, TopicActSubmit, PartyPoster, TopicPending},
			{TopicPending, TopicActPublish, PartyOffice, TopicPublished},
			{TopicPending, TopicActReturn, PartyOffice, TopicReturned},
			{TopicPending, TopicActReject, PartyOffice, TopicRejected},
			{TopicPublished, TopicActClose, PartyOffice, TopicClosed},
			{TopicClaimed, TopicActClose, PartyOffice, TopicClosed},
			{TopicPublished, TopicActClaim, PartyMember, TopicClaimed},
			{TopicClaimed, TopicActClaim, PartyMember, TopicClaimed},
			{TopicFiled, TopicActClaim, PartyMember, TopicFiled},
			{TopicAccepted, TopicActClaim, PartyMember, TopicAccepted},
			{TopicClaimed, TopicActRelease, PartySystem, TopicPublished},
			{TopicClaimed, TopicActFile, PartySystem, TopicFiled},
			{TopicFiled, TopicActFile, PartySystem, TopicFiled},
			{TopicAccepted, TopicActFile, PartySystem, TopicAccepted},
			{TopicAdopted, TopicActFile, PartySystem, TopicAdopted},
			{TopicFiled, TopicActAccepted, PartySystem, TopicAccepted},
			{TopicAccepted, TopicActAccepted, PartySystem, TopicAccepted},
			{TopicAdopted, TopicActAccepted, PartySystem, TopicAdopted},
			{TopicAccepted, TopicActAdopted, PartySystem, TopicAdopted},
			{TopicAdopted, TopicActAdopted, PartySystem, TopicAdopted},
		}
		for _, s := range []TopicState{TopicDraft, TopicPending, TopicReturned, TopicPublished} {
			rows = append(rows, R{s, TopicActWithdraw, PartyPoster, TopicWithdrawn})
		}
		// A claim's own steps leave the order where it is; the rows say in
		// which states of the order they may happen.
		for _, s := range []TopicState{TopicClaimed, TopicFiled, TopicAccepted} {
			rows = append(rows, R{s, TopicActUnclaim, PartyClaimant, s}, R{s, TopicActStudy, PartyClaimant, s})
		}
		return rows
	}(),
	StateName:  func(s TopicState) string { return s.Name() },
	ActionName: func(a TopicAction) string { return a.Name() },
}

// Claim kinds.
const (
	ClaimIndividual = "individual" // 个人认领
	ClaimJoint      = "joint"      // 委员联合认领
	ClaimSector     = "sector"     // 以界别名义认领
)

// ClaimKindName is the Chinese name of a claim kind.
func ClaimKindName(k string) string {
	switch k {
	case ClaimJoint:
		return "联合认领"
	case ClaimSector:
		return "界别认领"
	}
	return "个人认领"
}

// Claim states.
const (
	ClaimActive    = "active"    // claimed, no proposal submitted yet
	ClaimFiled     = "filed"     // its proposal was submitted
	ClaimWithdrawn = "withdrawn" // withdrawn by the claimant before filing
)

// ClaimStateName is the Chinese name of a claim state.
func ClaimStateName(s string) string {
	switch s {
	case ClaimFiled:
		return "已成案"
	case ClaimWithdrawn:
		return "已撤回"
	}
	return "已认领"
}

// Joint study (联合调研) states.
const (
	StudyRequested = "requested"
	StudyAccepted  = "accepted"
	StudyDeclined  = "declined"
)

// StudyStateName is the Chinese name of a joint study request's state.
func StudyStateName(s string) string {
	switch s {
	case StudyAccepted:
		return "已同意"
	case StudyDeclined:
		return "已婉拒"
	}
	return "待答复"
}

// TopicOrder is one order.
type TopicOrder struct {
	ID           int64
	CommitteeID  int64
	UnitID       int64 // the unit that wants advice (the default lead unit of its proposals)
	UnitName     string
	PostedBy     int64
	Title        string
	Background   string
	Needs        string // 需求: what the unit wants the proposals to address
	Deadline     string // YYYY-MM-DD: by when the unit wants proposals
	ContactName  string
	ContactPhone string // private: the office, the poster and the claimants
	State        TopicState
	Reason       string // the office's reason for returning or rejecting, or the closing note
	Claims       int    // live claims (not withdrawn)
	Proposals    int    // proposals submitted against it
	PublishedAt  time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TopicClaim is one claim of an order.
type TopicClaim struct {
	ID          int64
	CommitteeID int64
	OrderID     int64
	ClaimantID  int64 // the member who claimed (and files)
	Claimant    string
	Kind        string
	SectorID    int64
	SectorName  string
	MemberIDs   []int64 // every member the claim names, the claimant first
	MemberNames []string
	Note        string
	State       string
	ProposalID  int64
	CreatedAt   time.Time
}

// Names reports whether the claim names member id.
func (c *TopicClaim) Names(id int64) bool {
	for _, m := range c.MemberIDs {
		if m == id && id != 0 {
			return true
		}
	}
	return false
}

// TopicStudy is a claimant's request for a joint study with the unit.
type TopicStudy struct {
	ID          int64
	CommitteeID int64
	OrderID     int64
	ClaimID     int64
	RequestedBy int64
	Requester   string
	Note        string
	State       string
	Date        string // the agreed day (YYYY-MM-DD) when accepted
	Answer      string // the unit's note, or its reason when declined
	AnsweredBy  int64
	CreatedAt   time.Time
	AnsweredAt  time.Time
}

// TopicRelation is what the store knows about an actor and an order.
type TopicRelation struct {
	Poster   bool // the actor's unit posted it, or the actor posted it
	Claimant bool // named in a live claim
}

// TopicParties returns the parties the actor is in for one order.
func TopicParties(a Actor, o *TopicOrder, rel TopicRelation) []Party {
	if a.CommitteeID != o.CommitteeID {
		return nil
	}
	var ps []Party
	switch a.Role {
	case RoleOffice:
		ps = append(ps, PartyOffice)
	case RoleMember:
		ps = append(ps, PartyMember)
	case RoleSystem:
		ps = append(ps, PartySystem)
	}
	if rel.Poster {
		ps = append(ps, PartyPoster)
	}
	if rel.Claimant {
		ps = append(ps, PartyClaimant)
	}
	return ps
}

// CanSeeTopic reports whether the actor may read the order: the poster
// always, the office and leaders and admins once it was submitted, every
// user of the committee once it is listed. The public sees none: an order
// is a request of a department to the members, not an open call.
func CanSeeTopic(a Actor, o *TopicOrder, rel TopicRelation) bool {
	if a.IsAnonymous() || a.CommitteeID != o.CommitteeID {
		return false
	}
	if rel.Poster || rel.Claimant {
		return true
	}
	if SeesAll(a.Role) && o.State != TopicDraft {
		return true
	}
	return o.State.Listed()
}

// SeesTopicContact reports whether the actor may read the contact phone.
func SeesTopicContact(a Actor, o *TopicOrder, rel TopicRelation) bool {
	return a.CommitteeID == o.CommitteeID && (rel.Poster || rel.Claimant || a.Role == RoleOffice || a.Role == RoleAdmin)
}

var phonePattern = regexp.MustCompile(`^[0-9+\- ]{7,20}$`)

// CheckTopic is the guard of an order's text. Saving needs a title only;
// submit needs everything (complete true).
func CheckTopic(o *TopicOrder, complete bool) error {
	var errs []*Error
	add := func(err error) {
		if e, ok := err.(*Error); ok && e != nil {
			errs = append(errs, e)
		}
	}
	req := func(field, label, v string) {
		if complete && strings.TrimSpace(v) == "" {
			add(FieldError(field, "请填写%s", label))
		}
	}
	if strings.TrimSpace(o.Title) == "" {
		add(FieldError("title", "请填写订单题目"))
	} else if utf8.RuneCountInString(o.Title) > 60 {
		add(FieldError("title", "订单题目不能超过60个字，现有%d个字", utf8.RuneCountInString(o.Title)))
	}
	add(CheckText("title", "订单题目", o.Title, 0))
	add(CheckText("background", "背景", o.Background, 3000))
	add(CheckText("needs", "需求", o.Needs, 3000))
	add(CheckText("contact_name", "联系人", o.ContactName, 30))
	req("background", "背景（为什么需要委员的建议）", o.Background)
	req("needs", "需求（希望提案回答什么问题）", o.Needs)
	req("deadline", "征集截止日期", o.Deadline)
	req("contact_name", "联系人", o.ContactName)
	req("contact_phone", "联系电话", o.ContactPhone)
	if o.Deadline != "" {
		if _, err := ParseDate(o.Deadline); err != nil {
			add(FieldError("deadline", "征集截止日期格式应为2026-06-30"))
		}
	}
	if o.ContactPhone != "" && !phonePattern.MatchString(o.ContactPhone) {
		add(FieldError("contact_phone", "联系电话只能包含数字、空格、“-”和“+”，7到20位"))
	}
	if len(errs) == 0 {
		return nil
	}
	first := *errs[0]
	first.Fields = errs
	return &first
}

// Event codes of the order module beyond "order.<action>".
const (
	EventOrderPosted     = "order.posted"
	EventStudyRequested  = "order.study_requested"
	EventStudyAccepted   = "order.study_accepted"
	EventStudyDeclined   = "order.study_declined"
	EventProposalOrdered = "from_order" // on the proposal: drafted from an order
)

func init() {
	for a, n := range topicActionNames {
		eventNames["order."+string(a)] = n
	}
	for k, v := range map[string]string{EventOrderPosted: "起草订单", EventStudyRequested: "申请联合调研",
		EventStudyAccepted: "同意联合调研", EventStudyDeclined: "婉拒联合调研", EventProposalOrdered: "由订单式提案起草"} {
		eventNames[k] = v
	}
}
