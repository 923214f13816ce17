package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// Topic orders (订单式提案) from posting to adoption. A unit's staff (or the
// office, for the party committee or the government office) writes an
// order and submits it; the office publishes, returns or rejects it;
// members claim it and may ask the unit for a joint study; a claimant
// drafts a proposal from it (CreateDraftFromTopic), and the order follows
// that proposal: filed when it is submitted, accepted when the office
// accepts it, adopted when a unit's reply to it is of class A (the hooks
// at the end of this file, called from the proposal's own transactions).
// Every step is an event about the subject ("topic_order", id).

// SubjectTopic is the subject kind of an order's events.
const SubjectTopic = "topic_order"

func init() {
	WebhookEvents = append(WebhookEvents,
		struct{ Code, Name string }{"order.published", "订单式提案发布"},
		struct{ Code, Name string }{"order.claimed", "订单式提案认领"},
	)
}

func topicLink(id int64) string { return fmt.Sprintf("/topics/%d", id) }

// topicRelation is what the actor is to the order.
func (s *Service) topicRelation(tx *store.Tx, a zhengxie.Actor, o *zhengxie.TopicOrder) (zhengxie.TopicRelation, []zhengxie.TopicClaim, error) {
	var rel zhengxie.TopicRelation
	if a.IsAnonymous() || a.CommitteeID != o.CommitteeID {
		return rel, nil, nil
	}
	rel.Poster = (a.Role == zhengxie.RoleUnit && a.UnitID != 0 && a.UnitID == o.UnitID) || (a.UserID != 0 && a.UserID == o.PostedBy)
	cs, err := tx.TopicClaims(o.CommitteeID, o.ID, 0)
	if err != nil {
		return rel, nil, err
	}
	if a.Role == zhengxie.RoleMember {
		for _, c := range cs {
			if c.State != zhengxie.ClaimWithdrawn && c.Names(a.UserID) {
				rel.Claimant = true
			}
		}
	}
	return rel, cs, nil
}

// TopicView is an order as one actor may see it.
type TopicView struct {
	O           *zhengxie.TopicOrder
	Rel         zhengxie.TopicRelation
	SeesContact bool
	Allowed     []zhengxie.TopicAction
	Claims      []zhengxie.TopicClaim
	Studies     []zhengxie.TopicStudy
	Proposals   []store.TopicProposal // those the actor may see: submitted ones, and their own drafts
	Events      []zhengxie.Event
	MyClaim     *zhengxie.TopicClaim // the actor's live claim that has no proposal yet
	CanClaim    bool
}

// Topic returns one order for the actor.
func (s *Service) Topic(ctx context.Context, a zhengxie.Actor, id int64) (*TopicView, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	o, err := s.Store.Topic(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	v := &TopicView{O: o}
	if err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		v.Rel, v.Claims, err = s.topicRelation(tx, a, o)
		return err
	}); err != nil {
		return nil, err
	}
	if !zhengxie.CanSeeTopic(a, o, v.Rel) {
		return nil, zhengxie.NotFound("订单")
	}
	v.SeesContact = zhengxie.SeesTopicContact(a, o, v.Rel)
	if !v.SeesContact {
		o.ContactPhone = ""
	}
	v.Allowed = zhengxie.TopicTable.Allowed(o.State, zhengxie.TopicParties(a, o, v.Rel)...)
	v.CanClaim = slices.Contains(v.Allowed, zhengxie.TopicActClaim)
	for i := range v.Claims {
		c := &v.Claims[i]
		if c.State == zhengxie.ClaimActive && c.Names(a.UserID) && a.Role == zhengxie.RoleMember {
			v.MyClaim = c
		}
	}
	if v.Studies, err = s.Store.TopicStudies(ctx, a.CommitteeID, id); err != nil {
		return nil, err
	}
	ps, err := s.Store.TopicProposals(ctx, a.CommitteeID, id)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		mine := false
		for _, c := range v.Claims {
			if c.ID == p.ClaimID && c.Names(a.UserID) {
				mine = true
			}
		}
		if p.State != zhengxie.StateDraft && p.State != zhengxie.StateWithdrawn || mine {
			v.Proposals = append(v.Proposals, p)
		}
	}
	if v.Events, err = s.Store.SubjectEvents(ctx, a.CommitteeID, SubjectTopic, id); err != nil {
		return nil, err
	}
	return v, nil
}

// TopicQuery selects the orders of a list.
type TopicQuery struct {
	Query  string
	UnitID int64
	State  zhengxie.TopicState
	Limit  int
}

// Topics lists the orders the actor may see: the listed ones for everyone
// of the committee; the office, leaders and admins also those waiting for
// review and the decided ones; a unit also its own in every state.
func (s *Service) Topics(ctx context.Context, a zhengxie.Actor, q TopicQuery) ([]zhengxie.TopicOrder, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if q.State != "" && q.State.Name() == string(q.State) {
		return nil, zhengxie.FieldError("state", "未知的订单状态“%s”", q.State)
	}
	if err := zhengxie.CheckText("q", "搜索词", q.Query, 50); err != nil {
		return nil, err
	}
	f := store.TopicFilter{CommitteeID: a.CommitteeID, UnitID: q.UnitID, Query: q.Query, Limit: q.Limit}
	if q.State != "" {
		f.States = []zhengxie.TopicState{q.State}
	}
	os, err := s.Store.Topics(ctx, f)
	if err != nil {
		return nil, err
	}
	out := os[:0]
	for i := range os {
		o := &os[i]
		rel := zhengxie.TopicRelation{Poster: (a.Role == zhengxie.RoleUnit && a.UnitID != 0 && a.UnitID == o.UnitID) || a.UserID == o.PostedBy}
		if !zhengxie.CanSeeTopic(a, o, rel) {
			continue
		}
		if !zhengxie.SeesTopicContact(a, o, rel) {
			o.ContactPhone = "" // a claimant reads the phone on the order's page
		}
		out = append(out, *o)
	}
	return out, nil
}

// TopicInput is what the poster writes.
type TopicInput struct {
	UnitID       int64 // the office posting for a unit; a unit's staff post for their own
	Title        string
	Background   string
	Needs        string
	Deadline     string
	ContactName  string
	ContactPhone string
}

func (in *TopicInput) apply(o *zhengxie.TopicOrder) {
	o.Title, o.Background = strings.TrimSpace(in.Title), strings.TrimSpace(strings.ReplaceAll(in.Background, "\r\n", "\n"))
	o.Needs = strings.TrimSpace(strings.ReplaceAll(in.Needs, "\r\n", "\n"))
	o.Deadline, o.ContactName, o.ContactPhone = strings.TrimSpace(in.Deadline), strings.TrimSpace(in.ContactName), strings.TrimSpace(in.ContactPhone)
}

// PostTopic saves a new order as a draft of its poster.
func (s *Service) PostTopic(ctx context.Context, a zhengxie.Actor, in TopicInput) (*zhengxie.TopicOrder, error) {
	if err := requireRole(a, "发布订单式提案需求", zhengxie.RoleUnit, zhengxie.RoleOffice); err != nil {
		return nil, err
	}
	o := &zhengxie.TopicOrder{CommitteeID: a.CommitteeID, PostedBy: a.UserID, State: zhengxie.TopicDraft}
	in.apply(o)
	if err := zhengxie.CheckTopic(o, false); err != nil {
		return nil, err
	}
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		unit, err := s.topicUnit(tx, a, in.UnitID)
		if err != nil {
			return err
		}
		o.UnitID, o.UnitName = unit.ID, unit.Name
		if err := tx.CreateTopic(o); err != nil {
			return err
		}
		return s.subjectEvent(tx, a, SubjectTopic, o.ID, zhengxie.EventOrderPosted, "", string(o.State), o.Title, map[string]any{"unit_id": o.UnitID})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// topicUnit is the unit an order is for: a unit's own, or the one the
// office names.
func (s *Service) topicUnit(tx *store.Tx, a zhengxie.Actor, unitID int64) (*zhengxie.Unit, error) {
	if a.Role == zhengxie.RoleUnit {
		if a.UnitID == 0 {
			return nil, zhengxie.Errorf(zhengxie.EForbidden, "您的账号未关联承办单位，请联系系统管理员。")
		}
		unitID = a.UnitID
	}
	if unitID == 0 {
		return nil, zhengxie.FieldError("unit_id", "请选择提出需求的单位（订单所成提案默认由该单位主办）")
	}
	u, err := tx.Unit(a.CommitteeID, unitID)
	if err != nil {
		return nil, zhengxie.FieldError("unit_id", "所选单位不存在，请重新选择")
	}
	return u, nil
}

// topicChange runs one step on an order inside a transaction: it locks the
// order, checks visibility and the table, applies fn, saves and writes the
// event "order.<action>".
func (s *Service) topicChange(ctx context.Context, a zhengxie.Actor, id int64, action zhengxie.TopicAction, comment string,
	fn func(tx *store.Tx, o *zhengxie.TopicOrder, rel zhengxie.TopicRelation, claims []zhengxie.TopicClaim) (any, error)) (*zhengxie.TopicOrder, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	if err := zhengxie.CheckText("reason", "说明", comment, 1000); err != nil {
		return nil, err
	}
	var out *zhengxie.TopicOrder
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.LockTopic(a.CommitteeID, id)
		if err != nil {
			return err
		}
		rel, claims, err := s.topicRelation(tx, a, o)
		if err != nil {
			return err
		}
		if !zhengxie.CanSeeTopic(a, o, rel) {
			return zhengxie.NotFound("订单")
		}
		from := o.State
		if o.State, err = zhengxie.TopicTable.Next(o.State, action, zhengxie.TopicParties(a, o, rel)...); err != nil {
			return err
		}
		var payload any
		if fn != nil {
			if payload, err = fn(tx, o, rel, claims); err != nil {
				return err
			}
		}
		if err := tx.UpdateTopic(o); err != nil {
			return err
		}
		if err := s.subjectEvent(tx, a, SubjectTopic, o.ID, "order."+string(action), string(from), string(o.State), comment, payload); err != nil {
			return err
		}
		out = o
		return nil
	})
	return out, err
}

// SaveTopic replaces the text of a draft or returned order.
func (s *Service) SaveTopic(ctx context.Context, a zhengxie.Actor, id int64, in TopicInput) (*zhengxie.TopicOrder, error) {
	return s.topicChange(ctx, a, id, zhengxie.TopicActSave, "", func(tx *store.Tx, o *zhengxie.TopicOrder, _ zhengxie.TopicRelation, _ []zhengxie.TopicClaim) (any, error) {
		in.apply(o)
		if a.Role == zhengxie.RoleOffice && in.UnitID != 0 && in.UnitID != o.UnitID {
			u, err := s.topicUnit(tx, a, in.UnitID)
			if err != nil {
				return nil, err
			}
			o.UnitID, o.UnitName = u.ID, u.Name
		}
		return nil, zhengxie.CheckTopic(o, false)
	})
}

// TopicActInput is what a review step may carry.
type TopicActInput struct {
	Reason string
}

// TopicAct runs a step of the poster or the office: submit, publish,
// return, reject, withdraw, close.
func (s *Service) TopicAct(ctx context.Context, a zhengxie.Actor, id int64, action zhengxie.TopicAction, in TopicActInput) (*zhengxie.TopicOrder, error) {
	reason := strings.TrimSpace(in.Reason)
	switch action {
	case zhengxie.TopicActSubmit, zhengxie.TopicActPublish, zhengxie.TopicActReturn, zhengxie.TopicActReject, zhengxie.TopicActWithdraw, zhengxie.TopicActClose:
	default:
		return nil, zhengxie.Errorf(zhengxie.EIllegal, "不支持“%s”操作。", action.Name())
	}
	return s.topicChange(ctx, a, id, action, reason, func(tx *store.Tx, o *zhengxie.TopicOrder, _ zhengxie.TopicRelation, _ []zhengxie.TopicClaim) (any, error) {
		switch action {
		case zhengxie.TopicActSubmit:
			if err := zhengxie.CheckTopic(o, true); err != nil {
				return nil, err
			}
			o.Reason = ""
			return nil, s.contactNotifyOffice(tx, o.CommitteeID, "订单待审核：《"+o.Title+"》",
				o.UnitName+"提交了订单式提案需求，请审核后发布、退回修改或不予发布。", topicLink(o.ID))
		case zhengxie.TopicActReturn, zhengxie.TopicActReject:
			if reason == "" {
				return nil, zhengxie.FieldError("reason", "请填写%s的理由，理由会告知发布单位", action.Name())
			}
			o.Reason = reason
			return nil, s.topicNotice(tx, o, ntf.TopicReturned, ntf.Data{Result: action.Name(), Reason: reason}, s.posterRecipients(o))
		case zhengxie.TopicActPublish:
			o.PublishedAt, o.Reason = s.now(), ""
			if err := s.topicNotice(tx, o, ntf.TopicPublished, ntf.Data{}, s.posterRecipients(o)); err != nil {
				return nil, err
			}
			n := s.topicNoticeOf(tx, o, ntf.TopicNew, ntf.Data{}, []Recipient{toRole(zhengxie.RoleMember)})
			n.InAppOnly, n.Event, n.Payload = true, "order.published", topicEventOf(o)
			_, err := s.notice(tx, n)
			return nil, err
		case zhengxie.TopicActClose:
			if d, err := zhengxie.ParseDate(o.Deadline); err == nil && !s.today(context.Background(), o.CommitteeID).After(d) {
				return nil, zhengxie.Errorf(zhengxie.EIllegal, "订单的征集截止日期（%s）尚未到，到期后才能关闭。", o.Deadline)
			}
			o.Reason = reason
		}
		return nil, nil
	})
}

// posterRecipients are the users of the posting unit, and the poster (the
// office user who posted for a unit).
func (s *Service) posterRecipients(o *zhengxie.TopicOrder) []Recipient {
	return []Recipient{toUnit(o.UnitID, o.UnitName), toUser(o.PostedBy)}
}

func (s *Service) topicNoticeOf(tx *store.Tx, o *zhengxie.TopicOrder, template string, d ntf.Data, to []Recipient) Notice {
	d.Committee, d.Title, d.Unit = s.committeeName(tx, o.CommitteeID), o.Title, o.UnitName
	if d.Due == nil {
		d.Due = o.Deadline
	}
	return Notice{CommitteeID: o.CommitteeID, Template: template, Data: d, Link: topicLink(o.ID), To: to}
}

func (s *Service) topicNotice(tx *store.Tx, o *zhengxie.TopicOrder, template string, d ntf.Data, to []Recipient) error {
	_, err := s.notice(tx, s.topicNoticeOf(tx, o, template, d, to))
	return err
}

// topicEvent is the data of the order.* webhooks: what the order asks and
// of whom, never the contact phone.
type topicEvent struct {
	OrderID  int64    `json:"order_id"`
	Title    string   `json:"title"`
	Unit     string   `json:"unit"`
	Deadline string   `json:"deadline"`
	State    string   `json:"state"`
	ClaimID  int64    `json:"claim_id,omitempty"`
	Kind     string   `json:"claim_kind,omitempty"`
	Members  []string `json:"members,omitempty"`
	Sector   string   `json:"sector,omitempty"`
}

func topicEventOf(o *zhengxie.TopicOrder) topicEvent {
	return topicEvent{OrderID: o.ID, Title: o.Title, Unit: o.UnitName, Deadline: o.Deadline, State: string(o.State)}
}

// ClaimInput is a member's claim: alone, with other members, or for a
// sector (naming the members who will write).
type ClaimInput struct {
	Kind      string
	MemberIDs []int64 // the other members named (the claimant is always first)
	SectorID  int64
	Note      string
}

// ClaimTopic records a member's claim of a published order. An order may be
// claimed by several claims; a member may hold one live claim of an order.
func (s *Service) ClaimTopic(ctx context.Context, a zhengxie.Actor, id int64, in ClaimInput) (*zhengxie.TopicClaim, error) {
	in.Note = strings.TrimSpace(in.Note)
	if in.Kind == "" {
		in.Kind = zhengxie.ClaimIndividual
		if len(in.MemberIDs) > 0 {
			in.Kind = zhengxie.ClaimJoint
		}
	}
	if err := zhengxie.CheckText("note", "认领说明", in.Note, 500); err != nil {
		return nil, err
	}
	var c *zhengxie.TopicClaim
	_, err := s.topicChange(ctx, a, id, zhengxie.TopicActClaim, in.Note, func(tx *store.Tx, o *zhengxie.TopicOrder, rel zhengxie.TopicRelation, claims []zhengxie.TopicClaim) (any, error) {
		if rel.Claimant {
			return nil, zhengxie.Errorf(zhengxie.EConflict, "您已认领这个订单，无需重复认领；如需增加共同认领的委员，请先撤回原认领再重新认领。")
		}
		if d, err := zhengxie.ParseDate(o.Deadline); err == nil && s.today(context.Background(), o.CommitteeID).After(d) {
			return nil, zhengxie.Errorf(zhengxie.EIllegal, "订单的征集截止日期（%s）已过，不能再认领。", o.Deadline)
		}
		c = &zhengxie.TopicClaim{CommitteeID: o.CommitteeID, OrderID: o.ID, ClaimantID: a.UserID, Claimant: a.Name, Kind: in.Kind,
			Note: in.Note, State: zhengxie.ClaimActive, MemberIDs: []int64{a.UserID}, MemberNames: []string{a.Name}}
		switch in.Kind {
		case zhengxie.ClaimIndividual:
			if len(in.MemberIDs) > 0 {
				return nil, zhengxie.FieldError("member_ids", "个人认领不需要填写其他委员；与其他委员一起认领请选择“联合认领”")
			}
		case zhengxie.ClaimJoint, zhengxie.ClaimSector:
			if in.Kind == zhengxie.ClaimSector {
				sec, err := tx.Sector(o.CommitteeID, in.SectorID)
				if err != nil || in.SectorID == 0 {
					return nil, zhengxie.FieldError("sector_id", "请选择以哪个界别的名义认领")
				}
				c.SectorID, c.SectorName = sec.ID, sec.Name
			}
			for _, m := range in.MemberIDs {
				if m == a.UserID || slices.Contains(c.MemberIDs, m) {
					continue
				}
				u, err := tx.User(m)
				if err != nil || u.CommitteeID != o.CommitteeID || u.Role != zhengxie.RoleMember || u.Disabled {
					return nil, zhengxie.FieldError("member_ids", "共同认领的委员（编号%d）不存在或不是本会委员", m)
				}
				c.MemberIDs, c.MemberNames = append(c.MemberIDs, u.ID), append(c.MemberNames, u.Name)
			}
			if in.Kind == zhengxie.ClaimJoint && len(c.MemberIDs) < 2 {
				return nil, zhengxie.FieldError("member_ids", "联合认领请至少选择一位共同认领的委员")
			}
		default:
			return nil, zhengxie.FieldError("kind", "认领方式应为个人认领（individual）、联合认领（joint）或界别认领（sector）")
		}
		if err := tx.CreateTopicClaim(c); err != nil {
			return nil, err
		}
		who := strings.Join(c.MemberNames, "、")
		if c.SectorName != "" {
			who = c.SectorName + "（" + who + "）"
		}
		n := s.topicNoticeOf(tx, o, ntf.TopicClaimed, ntf.Data{Proposer: who, Role: zhengxie.ClaimKindName(c.Kind)}, s.posterRecipients(o))
		ev := topicEventOf(o)
		ev.ClaimID, ev.Kind, ev.Members, ev.Sector = c.ID, c.Kind, c.MemberNames, c.SectorName
		n.Event, n.Payload = "order.claimed", ev
		if _, err := s.notice(tx, n); err != nil {
			return nil, err
		}
		return map[string]any{"claim_id": c.ID, "kind": c.Kind, "member_ids": c.MemberIDs, "sector_id": c.SectorID}, nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UnclaimTopic withdraws the actor's live claim before its proposal was
// submitted; when it was the order's last, the order is open again.
func (s *Service) UnclaimTopic(ctx context.Context, a zhengxie.Actor, id int64, reason string) (*zhengxie.TopicOrder, error) {
	reason = strings.TrimSpace(reason)
	release := false
	o, err := s.topicChange(ctx, a, id, zhengxie.TopicActUnclaim, reason, func(tx *store.Tx, o *zhengxie.TopicOrder, rel zhengxie.TopicRelation, claims []zhengxie.TopicClaim) (any, error) {
		var mine *zhengxie.TopicClaim
		live := 0
		for i := range claims {
			c := &claims[i]
			if c.State == zhengxie.ClaimWithdrawn {
				continue
			}
			live++
			if c.Names(a.UserID) {
				mine = c
			}
		}
		if mine == nil {
			return nil, zhengxie.Errorf(zhengxie.EIllegal, "您没有可撤回的认领。")
		}
		if mine.ClaimantID != a.UserID {
			return nil, zhengxie.Errorf(zhengxie.EForbidden, "只有发起认领的%s委员可以撤回这次认领。", mine.Claimant)
		}
		if mine.State == zhengxie.ClaimFiled {
			return nil, zhengxie.Errorf(zhengxie.EIllegal, "已根据这次认领提交了提案，不能再撤回认领；如需撤回，请撤回提案。")
		}
		if mine.ProposalID != 0 {
			return nil, zhengxie.Errorf(zhengxie.EIllegal, "已根据这次认领起草了提案（草稿），请先处理草稿再撤回认领。")
		}
		mine.State = zhengxie.ClaimWithdrawn
		if err := tx.UpdateTopicClaim(mine); err != nil {
			return nil, err
		}
		release = live == 1 && o.State == zhengxie.TopicClaimed
		return map[string]any{"claim_id": mine.ID}, nil
	})
	if err != nil || !release {
		return o, err
	}
	return s.topicSystem(ctx, o.CommitteeID, o.ID, zhengxie.TopicActRelease)
}

// topicSystem runs a system step on an order in its own transaction.
func (s *Service) topicSystem(ctx context.Context, committeeID, id int64, action zhengxie.TopicAction) (*zhengxie.TopicOrder, error) {
	var o *zhengxie.TopicOrder
	err := s.Store.InTx(ctx, func(tx *store.Tx) (err error) {
		o, err = s.topicStep(tx, committeeID, id, action, "")
		return err
	})
	return o, err
}

// topicStep applies a system transition inside tx.
func (s *Service) topicStep(tx *store.Tx, committeeID, id int64, action zhengxie.TopicAction, comment string) (*zhengxie.TopicOrder, error) {
	o, err := tx.LockTopic(committeeID, id)
	if err != nil {
		return nil, err
	}
	from := o.State
	if o.State, err = zhengxie.TopicTable.Next(o.State, action, zhengxie.PartySystem); err != nil {
		return nil, err
	}
	if from == o.State {
		return o, nil // a second proposal of the order: the order stays, the proposal's own events tell
	}
	if err := tx.UpdateTopic(o); err != nil {
		return nil, err
	}
	return o, s.subjectEvent(tx, zhengxie.SystemActor(committeeID), SubjectTopic, o.ID, "order."+string(action), string(from), string(o.State), comment, nil)
}

// RequestStudy records a claimant's request for a joint study (联合调研)
// with the unit that posted the order.
func (s *Service) RequestStudy(ctx context.Context, a zhengxie.Actor, id int64, note string) (*zhengxie.TopicStudy, error) {
	note = strings.TrimSpace(note)
	var st *zhengxie.TopicStudy
	_, err := s.topicChange(ctx, a, id, zhengxie.TopicActStudy, note, func(tx *store.Tx, o *zhengxie.TopicOrder, rel zhengxie.TopicRelation, claims []zhengxie.TopicClaim) (any, error) {
		if note == "" {
			return nil, zhengxie.FieldError("note", "请写明调研的内容、希望的时间和参加的委员，便于单位安排")
		}
		if err := zhengxie.CheckText("note", "调研申请", note, 500); err != nil {
			return nil, err
		}
		var claim *zhengxie.TopicClaim
		for i := range claims {
			if claims[i].State != zhengxie.ClaimWithdrawn && claims[i].Names(a.UserID) {
				claim = &claims[i]
			}
		}
		st = &zhengxie.TopicStudy{CommitteeID: o.CommitteeID, OrderID: o.ID, ClaimID: claim.ID, RequestedBy: a.UserID, Requester: a.Name,
			Note: note, State: zhengxie.StudyRequested}
		if err := tx.CreateTopicStudy(st); err != nil {
			return nil, err
		}
		if err := s.topicNotice(tx, o, ntf.StudyRequested, ntf.Data{Proposer: strings.Join(claim.MemberNames, "、"), Reason: note}, s.posterRecipients(o)); err != nil {
			return nil, err
		}
		return map[string]any{"study_id": st.ID, "claim_id": claim.ID}, nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// StudyAnswer is the unit's answer to a joint study request.
type StudyAnswer struct {
	Accept bool
	Date   string // the agreed day, when accepted
	Note   string // arrangements, or the reason when declined
}

// AnswerStudy records the posting unit's answer. An accepted study is an
// event (order.study_accepted) naming the claim's members, from which the
// duty module counts it (zhengxie.ItemsFromEvent).
func (s *Service) AnswerStudy(ctx context.Context, a zhengxie.Actor, id, studyID int64, in StudyAnswer) (*zhengxie.TopicStudy, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	in.Note, in.Date = strings.TrimSpace(in.Note), strings.TrimSpace(in.Date)
	if err := zhengxie.CheckText("note", "答复", in.Note, 500); err != nil {
		return nil, err
	}
	var st *zhengxie.TopicStudy
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.LockTopic(a.CommitteeID, id)
		if err != nil {
			return err
		}
		rel, claims, err := s.topicRelation(tx, a, o)
		if err != nil {
			return err
		}
		if !zhengxie.CanSeeTopic(a, o, rel) {
			return zhengxie.NotFound("订单")
		}
		if !rel.Poster {
			return zhengxie.Errorf(zhengxie.EForbidden, "只有发布订单的单位可以答复联合调研申请。")
		}
		if st, err = tx.TopicStudy(a.CommitteeID, id, studyID); err != nil {
			return err
		}
		if st.State != zhengxie.StudyRequested {
			return zhengxie.Errorf(zhengxie.EIllegal, "这项联合调研申请已经答复（%s），不能再次答复。", zhengxie.StudyStateName(st.State))
		}
		action, label := zhengxie.EventStudyDeclined, "婉拒"
		if in.Accept {
			d, err := zhengxie.ParseDate(in.Date)
			if err != nil {
				return zhengxie.FieldError("date", "请填写调研日期，格式如2026-04-10")
			}
			if d.Before(s.today(ctx, a.CommitteeID)) {
				return zhengxie.FieldError("date", "调研日期不能早于今天")
			}
			st.State, st.Date, action, label = zhengxie.StudyAccepted, d.String(), zhengxie.EventStudyAccepted, "同意"
		} else {
			if in.Note == "" {
				return zhengxie.FieldError("note", "请填写婉拒的理由，理由会告知委员")
			}
			st.State = zhengxie.StudyDeclined
		}
		st.Answer, st.AnsweredBy, st.AnsweredAt = in.Note, a.UserID, s.now()
		if err := tx.UpdateTopicStudy(st); err != nil {
			return err
		}
		var members []int64
		for _, c := range claims {
			if c.ID == st.ClaimID {
				members = c.MemberIDs
			}
		}
		if err := s.subjectEvent(tx, a, SubjectTopic, o.ID, action, string(o.State), string(o.State), in.Note,
			map[string]any{"study_id": st.ID, "member_ids": members, "title": "联合调研：" + o.Title, "date": st.Date}); err != nil {
			return err
		}
		result := label
		if in.Accept {
			result += "，调研日期" + st.Date
		}
		return s.topicNotice(tx, o, ntf.StudyAnswered, ntf.Data{Result: result, Reason: in.Note}, toUsers(members...))
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// ---------- the order's proposals ----------

// TopicForDraft is what the proposal form shows and prefills when opened
// from an order: the order, if the actor holds a live claim of it that has
// no proposal yet.
func (s *Service) TopicForDraft(ctx context.Context, a zhengxie.Actor, orderID int64) (*zhengxie.TopicOrder, *zhengxie.TopicClaim, error) {
	v, err := s.Topic(ctx, a, orderID)
	if err != nil {
		return nil, nil, err
	}
	if v.MyClaim == nil || v.MyClaim.ProposalID != 0 {
		return nil, nil, zhengxie.Errorf(zhengxie.EIllegal, "请先认领订单《%s》，再根据订单撰写提案；每次认领对应一件提案。", v.O.Title)
	}
	return v.O, v.MyClaim, nil
}

// CreateDraftFromTopic saves a new draft drafted from an order the actor
// claimed; the proposal carries the order for life.
func (s *Service) CreateDraftFromTopic(ctx context.Context, a zhengxie.Actor, orderID int64, d zhengxie.Draft) (*zhengxie.Proposal, error) {
	o, claim, err := s.TopicForDraft(ctx, a, orderID)
	if err != nil {
		return nil, zhengxie.FieldError("order_id", "%s", zhengxie.ErrorMessage(err))
	}
	if d.Kind == "" && len(claim.MemberIDs) > 1 {
		d.Kind = zhengxie.KindJoint
	}
	if d.Kind == zhengxie.KindJoint && len(d.Cosigners) == 0 {
		d.Cosigners = claim.MemberIDs[1:] // the members the claim names are invited to co-sign
	}
	return s.createDraft(ctx, a, d, func(tx *store.Tx, p *zhengxie.Proposal) error {
		c, err := s.liveClaim(tx, a, orderID, claim.ID)
		if err != nil {
			return err
		}
		c.ProposalID = p.ID
		if err := tx.UpdateTopicClaim(c); err != nil {
			return err
		}
		if err := tx.LinkProposalTopic(p.CommitteeID, store.TopicLink{ProposalID: p.ID, OrderID: o.ID, ClaimID: c.ID}); err != nil {
			return err
		}
		return s.event(tx, a, p.CommitteeID, p.ID, 0, zhengxie.EventProposalOrdered, "", string(p.State), "订单："+o.Title,
			map[string]any{"order_id": o.ID, "claim_id": c.ID})
	})
}

// liveClaim re-reads the claim in the transaction: it must still be live
// and without a proposal.
func (s *Service) liveClaim(tx *store.Tx, a zhengxie.Actor, orderID, claimID int64) (*zhengxie.TopicClaim, error) {
	cs, err := tx.TopicClaims(a.CommitteeID, orderID, 0)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].ID == claimID && cs[i].State == zhengxie.ClaimActive && cs[i].ProposalID == 0 {
			return &cs[i], nil
		}
	}
	return nil, zhengxie.FieldError("order_id", "这次认领已撤回或已起草提案，请回到订单页面查看")
}

// ProposalOrder is the order a proposal came from, as the proposal's page
// and JSON show it.
type ProposalOrder struct {
	ID     int64
	Title  string
	UnitID int64
	Unit   string
	Link   string
}

// OrderOfProposal returns the order a proposal came from, or nil. Whoever
// may read the proposal may read where it came from: the order's title and
// unit, not its contact.
func (s *Service) OrderOfProposal(ctx context.Context, p *zhengxie.Proposal) (*ProposalOrder, error) {
	l, ok, err := s.Store.ProposalTopic(ctx, p.CommitteeID, p.ID)
	if err != nil || !ok {
		return nil, err
	}
	o, err := s.Store.Topic(ctx, p.CommitteeID, l.OrderID)
	if err != nil {
		return nil, err
	}
	return &ProposalOrder{ID: o.ID, Title: o.Title, UnitID: o.UnitID, Unit: o.UnitName, Link: topicLink(o.ID)}, nil
}

// topicDefaultAssignment is the assignment when the office gives none: the
// unit that ordered the proposal leads it.
func (s *Service) topicDefaultAssignment(tx *store.Tx, p *zhengxie.Proposal) ([]zhengxie.Assignment, error) {
	l, ok, err := tx.ProposalTopic(p.CommitteeID, p.ID)
	if err != nil || !ok {
		return nil, err
	}
	o, err := tx.LockTopic(p.CommitteeID, l.OrderID)
	if err != nil || o.UnitID == 0 {
		return nil, err
	}
	return []zhengxie.Assignment{{UnitID: o.UnitID, Kind: zhengxie.TaskLead}}, nil
}

// topicAfterProposal moves the order of a proposal along with it, inside
// the proposal's transaction: submitted → the claim and the order are
// filed; accepted → the order is accepted.
func (s *Service) topicAfterProposal(tx *store.Tx, p *zhengxie.Proposal, action zhengxie.Action) error {
	var step zhengxie.TopicAction
	switch {
	case action == zhengxie.ActSubmit:
		step = zhengxie.TopicActFile
	case action == zhengxie.ActAccept:
		step = zhengxie.TopicActAccepted
	default:
		return nil
	}
	l, ok, err := tx.ProposalTopic(p.CommitteeID, p.ID)
	if err != nil || !ok {
		return err
	}
	if step == zhengxie.TopicActFile {
		cs, err := tx.TopicClaims(p.CommitteeID, l.OrderID, 0)
		if err != nil {
			return err
		}
		for i := range cs {
			if cs[i].ID == l.ClaimID && cs[i].State == zhengxie.ClaimActive {
				cs[i].State = zhengxie.ClaimFiled
				if err := tx.UpdateTopicClaim(&cs[i]); err != nil {
					return err
				}
			}
		}
	}
	o, err := tx.LockTopic(p.CommitteeID, l.OrderID)
	if err != nil {
		return err
	}
	if _, err := zhengxie.TopicTable.Next(o.State, step, zhengxie.PartySystem); err != nil {
		return nil // a withdrawn or closed order does not hold its proposals back
	}
	_, err = s.topicStep(tx, p.CommitteeID, o.ID, step, p.Title)
	return err
}

// topicAfterReply marks the order adopted when a lead or separate unit's
// reply to one of its proposals is of class A (已解决或采纳).
func (s *Service) topicAfterReply(tx *store.Tx, p *zhengxie.Proposal, t *zhengxie.Task) error {
	if t.Kind == zhengxie.TaskCo || t.ResultClass != "A" {
		return nil
	}
	l, ok, err := tx.ProposalTopic(p.CommitteeID, p.ID)
	if err != nil || !ok {
		return err
	}
	o, err := tx.LockTopic(p.CommitteeID, l.OrderID)
	if err != nil {
		return err
	}
	if _, err := zhengxie.TopicTable.Next(o.State, zhengxie.TopicActAdopted, zhengxie.PartySystem); err != nil {
		return nil
	}
	_, err = s.topicStep(tx, p.CommitteeID, o.ID, zhengxie.TopicActAdopted, p.Title)
	return err
}
