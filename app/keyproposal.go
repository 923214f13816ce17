package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// ---------- key proposals (重点提案) ----------

// KeyStepKinds are the kinds of supervision activities.
var KeyStepKinds = []string{"座谈", "视察", "调研", "面商"}

// ProposeKey is the office proposing a proposal for the key list, with the
// leader it suggests to supervise it.
func (s *Service) ProposeKey(ctx context.Context, a zhengxie.Actor, proposalID, leaderID int64, reason string) (*store.KeyProposal, error) {
	if err := requireRole(a, "提出重点提案建议", zhengxie.RoleOffice); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := zhengxie.CheckText("reason", "推荐理由", reason, 1000); err != nil {
		return nil, err
	}
	var k *store.KeyProposal
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.LockProposal(a.CommitteeID, proposalID)
		if err != nil {
			return zhengxie.FieldError("proposal_id", "提案不存在")
		}
		to, err := zhengxie.KeyTable.Next(zhengxie.KeyNone, zhengxie.KeyActPropose, zhengxie.PartyOffice)
		if err != nil {
			return err
		}
		if err := zhengxie.CheckKeyProposal(p.State, zhengxie.KeyActPropose); err != nil {
			return err
		}
		if err := s.checkLeader(tx, a.CommitteeID, leaderID); err != nil {
			return err
		}
		k = &store.KeyProposal{CommitteeID: a.CommitteeID, ProposalID: p.ID, State: to, Reason: reason, LeaderID: leaderID, ProposedBy: a.UserID,
			Title: p.Title, Number: p.Number, ProposalState: p.State}
		if err := tx.CreateKeyProposal(k); err != nil {
			if zhengxie.ErrorCode(err) == zhengxie.EConflict {
				return zhengxie.Errorf(zhengxie.EConflict, "该提案已在重点提案名单或建议名单中。")
			}
			return err
		}
		if err := s.event(tx, a, p.CommitteeID, p.ID, 0, "propose_key", string(p.State), string(p.State), reason, map[string]int64{"leader": leaderID}); err != nil {
			return err
		}
		n := s.proposalNotice(tx, p, ntf.KeyProposalProposed, ntf.Data{Reason: reason}, "/key-proposals")
		n.To = []Recipient{toRole(zhengxie.RoleLeader)}
		return s.send(tx, n)
	})
	return k, err
}

func (s *Service) checkLeader(tx *store.Tx, committeeID, leaderID int64) error {
	if leaderID == 0 {
		return nil
	}
	u, err := tx.User(leaderID)
	if err != nil || u.CommitteeID != committeeID || u.Role != zhengxie.RoleLeader {
		return zhengxie.FieldError("leader_id", "督办领导应为本会的领导用户")
	}
	return nil
}

// DecideKeys is the chairs' council (a leader) approving or refusing
// proposed key proposals. Approved ones become key proposals: the lead
// units, the proposer and the supervising leader are told.
func (s *Service) DecideKeys(ctx context.Context, a zhengxie.Actor, ids []int64, approve bool, note string) (int, error) {
	if err := requireRole(a, "审定重点提案", zhengxie.RoleLeader); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, zhengxie.FieldError("ids", "请勾选要审定的提案")
	}
	note = strings.TrimSpace(note)
	if err := zhengxie.CheckText("note", "审定意见", note, 1000); err != nil {
		return 0, err
	}
	n := 0
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		cname := s.committeeName(tx, a.CommitteeID)
		for _, id := range ids {
			k, err := tx.LockKeyProposal(a.CommitteeID, id)
			if err != nil {
				return err
			}
			action := zhengxie.KeyDecision(approve)
			to, err := zhengxie.KeyTable.Next(k.State, action, zhengxie.PartyLeader)
			if err != nil {
				return zhengxie.Errorf(zhengxie.EIllegal, "《%s》：%s", k.Title, zhengxie.ErrorMessage(err))
			}
			p, err := tx.LockProposal(a.CommitteeID, k.ProposalID)
			if err != nil {
				return err
			}
			// The proposal may have moved on (办结) since the office proposed it.
			if err := zhengxie.CheckKeyProposal(p.State, action); err != nil {
				return zhengxie.Errorf(zhengxie.EIllegal, "《%s》：%s", k.Title, zhengxie.ErrorMessage(err))
			}
			k.DecidedBy, k.DecidedAt, k.DecisionNote = a.UserID, s.now(), note
			k.State = to
			if approve {
				if k.LeaderID == 0 {
					k.LeaderID = a.UserID // the approving leader supervises it unless the office named another
				}
				from := p.State
				if _, err := zhengxie.Next(p.State, zhengxie.ActMarkKey, zhengxie.PartyLeader); err != nil {
					return err
				}
				p.Key = true
				if err := tx.UpdateProposal(p); err != nil {
					return err
				}
				if err := s.event(tx, a, p.CommitteeID, p.ID, 0, string(zhengxie.ActMarkKey), string(from), string(p.State), note, map[string]bool{"key": true}); err != nil {
					return err
				}
				if err := s.announceKey(tx, cname, p, k); err != nil {
					return err
				}
			} else if err := s.event(tx, a, p.CommitteeID, p.ID, 0, string(zhengxie.KeyActRefuse), string(p.State), string(p.State), note, nil); err != nil {
				return err
			}
			if err := tx.UpdateKeyProposal(k); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// announceKey tells the lead units, the proposer and the supervising
// leader that a proposal is now a key proposal, and integrations too.
func (s *Service) announceKey(tx *store.Tx, committee string, p *zhengxie.Proposal, k *store.KeyProposal) error {
	leader := ""
	var leaderUser *zhengxie.User
	if u, err := tx.User(k.LeaderID); err == nil {
		leader, leaderUser = u.Name, u
	}
	ts, err := tx.Tasks(p.ID)
	if err != nil {
		return err
	}
	var units []string
	for _, t := range ts {
		if t.Counts() {
			units = append(units, t.UnitName)
		}
	}
	data := ntf.Data{Committee: committee, Number: p.NumberText(), Title: p.Title, Leader: leader, Unit: strings.Join(units, "、")}
	n := Notice{CommitteeID: p.CommitteeID, Template: ntf.KeyProposalApproved, Data: data, Link: fmt.Sprintf("/key-proposals/%d", k.ID),
		Event: "key_proposal.approved", Payload: map[string]any{"proposal_id": p.ID, "number": p.NumberText(), "title": p.Title, "leader": leader, "units": units}}
	for _, t := range ts {
		if t.Counts() {
			n.To = append(n.To, toUnit(t.UnitID, t.UnitName))
		}
	}
	if leaderUser != nil {
		n.To = append(n.To, toUser(leaderUser.ID))
	}
	if err := s.send(tx, n); err != nil {
		return err
	}
	// The proposer is pointed at the proposal, not at the supervision page.
	return s.send(tx, Notice{CommitteeID: p.CommitteeID, Template: ntf.KeyProposalApproved, Data: data, Link: proposalLink(p.ID), To: toUsers(p.ProposerID)})
}

// canWorkOnKey: the office and leaders plan and record supervision.
func canWorkOnKey(a zhengxie.Actor) error {
	return requireRole(a, "填写督办计划和进展", zhengxie.RoleOffice, zhengxie.RoleLeader)
}

// SetKeyLeader changes the supervising leader of a key proposal.
func (s *Service) SetKeyLeader(ctx context.Context, a zhengxie.Actor, keyID, leaderID int64) error {
	if err := canWorkOnKey(a); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LockKeyProposal(a.CommitteeID, keyID)
		if err != nil {
			return err
		}
		if leaderID == 0 {
			return zhengxie.FieldError("leader_id", "请选择督办领导")
		}
		if err := s.checkLeader(tx, a.CommitteeID, leaderID); err != nil {
			return err
		}
		k.LeaderID = leaderID
		if err := tx.UpdateKeyProposal(k); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, k.ProposalID, 0, "key_leader", "", "", "", map[string]int64{"leader": leaderID})
	})
}

// AddKeyStep adds a step with its date to a key proposal's plan.
func (s *Service) AddKeyStep(ctx context.Context, a zhengxie.Actor, keyID int64, kind, title, plannedOn string) (*store.KeyStep, error) {
	if err := canWorkOnKey(a); err != nil {
		return nil, err
	}
	title = strings.TrimSpace(title)
	if !slices.Contains(KeyStepKinds, kind) {
		return nil, zhengxie.FieldError("kind", "请选择督办方式（座谈、视察、调研或面商）")
	}
	if title == "" || !zhengxie.ValidText(title) || utf8.RuneCountInString(title) > 100 {
		return nil, zhengxie.FieldError("title", "请填写事项内容（不超过100个字），如“赴现场视察老旧小区加装电梯进展”")
	}
	d, err := zhengxie.ParseDate(plannedOn)
	if err != nil {
		return nil, zhengxie.FieldError("planned_on", "计划日期格式应为2026-03-31")
	}
	st := &store.KeyStep{CommitteeID: a.CommitteeID, KeyID: keyID, Kind: kind, Title: title, PlannedOn: d.String(), CreatedBy: a.UserID}
	err = s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LockKeyProposal(a.CommitteeID, keyID)
		if err != nil {
			return err
		}
		if k.State == zhengxie.KeyRefused {
			return zhengxie.Errorf(zhengxie.EIllegal, "该提案未列入重点提案，不需要督办计划。")
		}
		if err := tx.AddKeyStep(st); err != nil {
			return err
		}
		if err := s.event(tx, a, a.CommitteeID, k.ProposalID, 0, "key_step", "", "", kind+" "+st.PlannedOn+" "+title, nil); err != nil {
			return err
		}
		ts, err := tx.Tasks(k.ProposalID)
		if err != nil {
			return err
		}
		n := Notice{CommitteeID: a.CommitteeID, Template: ntf.KeyStepPlanned, Link: fmt.Sprintf("/key-proposals/%d", k.ID),
			Data: ntf.Data{Committee: s.committeeName(tx, a.CommitteeID), Number: zhengxie.FormatNumber(k.Number), Title: k.Title, Leader: k.LeaderName, Due: d, Activity: kind + "：" + title}}
		for _, t := range ts {
			if t.Counts() {
				n.To = append(n.To, toUnit(t.UnitID, t.UnitName))
			}
		}
		return s.send(tx, n)
	})
	return st, err
}

// CompleteKeyStep records that a planned step took place.
func (s *Service) CompleteKeyStep(ctx context.Context, a zhengxie.Actor, keyID, stepID int64, doneOn, note string) error {
	if err := canWorkOnKey(a); err != nil {
		return err
	}
	d, err := zhengxie.ParseDate(doneOn)
	if err != nil {
		return zhengxie.FieldError("done_on", "完成日期格式应为2026-03-31")
	}
	if d.After(s.today(ctx, a.CommitteeID)) {
		return zhengxie.FieldError("done_on", "完成日期不能晚于今天")
	}
	note = strings.TrimSpace(note)
	if err := zhengxie.CheckText("note", "情况说明", note, 2000); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LockKeyProposal(a.CommitteeID, keyID)
		if err != nil {
			return err
		}
		if err := tx.CompleteKeyStep(a.CommitteeID, keyID, stepID, d.String(), note); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, k.ProposalID, 0, "key_step_done", "", "", d.String()+" "+note, map[string]int64{"step": stepID})
	})
}

// AddKeyNote adds a progress note. The office, leaders and the units
// handling the proposal may write.
func (s *Service) AddKeyNote(ctx context.Context, a zhengxie.Actor, keyID int64, text string) error {
	if err := requireRole(a, "填写督办进展", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleUnit); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || !zhengxie.ValidText(text) || utf8.RuneCountInString(text) > 2000 {
		return zhengxie.FieldError("text", "请填写进展情况（不超过2000个字）")
	}
	return s.Store.InTx(ctx, func(tx *store.Tx) error {
		k, err := tx.LockKeyProposal(a.CommitteeID, keyID)
		if err != nil {
			return err
		}
		if a.Role == zhengxie.RoleUnit {
			p, err := tx.LockProposal(a.CommitteeID, k.ProposalID)
			if err != nil {
				return err
			}
			rel, err := tx.Relation(a, p)
			if err != nil {
				return err
			}
			if !rel.UnitHasTask {
				return zhengxie.NotFound("重点提案")
			}
		}
		if err := tx.AddKeyNote(a.CommitteeID, &store.KeyNote{KeyID: k.ID, AuthorID: a.UserID, AuthorName: a.Name, Text: text}); err != nil {
			return err
		}
		return s.event(tx, a, a.CommitteeID, k.ProposalID, 0, "key_note", "", "", text, nil)
	})
}

// KeyRow is one line of the key-proposal board.
type KeyRow struct {
	store.KeyProposal
	Units      []string // lead and separate units
	Replied    int
	Counting   int
	Stage      string
	Next       *store.KeyStep
	StepsDone  int
	StepsTotal int
	Late       bool
	LateWhy    []string
	Legacy     bool // marked key on the proposal page, without a supervision file
}

// KeyBoard lists key proposals with their stage, next step and whether
// they are late: a planned step whose date passed without being done, or a
// unit past its deadline.
func (s *Service) KeyBoard(ctx context.Context, a zhengxie.Actor) ([]KeyRow, error) {
	if err := requireRole(a, "查看重点提案", zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin); err != nil {
		return nil, err
	}
	today := s.today(ctx, a.CommitteeID)
	keys, err := s.Store.KeyProposals(ctx, a.CommitteeID, "")
	if err != nil {
		return nil, err
	}
	steps, err := s.Store.KeySteps(ctx, a.CommitteeID, 0)
	if err != nil {
		return nil, err
	}
	byKey := map[int64][]store.KeyStep{}
	for _, st := range steps {
		byKey[st.KeyID] = append(byKey[st.KeyID], st)
	}
	seen := map[int64]bool{}
	var out []KeyRow
	for _, k := range keys {
		seen[k.ProposalID] = true
		row, err := s.keyRow(ctx, k, byKey[k.ID], today)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	marked, _, err := s.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, Key: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, p := range marked {
		if seen[p.ID] {
			continue
		}
		k := store.KeyProposal{CommitteeID: p.CommitteeID, ProposalID: p.ID, State: zhengxie.KeyApproved, Title: p.Title, Number: p.Number,
			ProposalState: p.State, Proposer: p.ProposerName}
		row, err := s.keyRow(ctx, k, nil, today)
		if err != nil {
			return nil, err
		}
		row.Legacy = true
		out = append(out, row)
	}
	return out, nil
}

func (s *Service) keyRow(ctx context.Context, k store.KeyProposal, steps []store.KeyStep, today zhengxie.Date) (KeyRow, error) {
	row := KeyRow{KeyProposal: k, StepsTotal: len(steps)}
	ts, err := s.Store.Tasks(ctx, k.ProposalID)
	if err != nil {
		return row, err
	}
	for _, t := range ts {
		if !t.Counts() {
			continue
		}
		row.Units = append(row.Units, t.UnitName)
		row.Counting++
		if t.State == zhengxie.TaskReplied {
			row.Replied++
		}
		if due := t.Due; !due.IsZero() && isOpen(t.State) && zhengxie.OverdueOn(due, today) {
			row.Late = true
			row.LateWhy = append(row.LateWhy, fmt.Sprintf("%s已超期%d天", t.UnitName, today.Sub(due)))
		}
	}
	for i := range steps {
		st := &steps[i]
		if st.DoneOn != "" {
			row.StepsDone++
			continue
		}
		if row.Next == nil {
			row.Next = st
		}
		if planned, err := zhengxie.ParseDate(st.PlannedOn); err == nil && planned.Before(today) {
			row.Late = true
			row.LateWhy = append(row.LateWhy, fmt.Sprintf("%s“%s”计划于%s，尚未完成", st.Kind, st.Title, st.PlannedOn))
		}
	}
	switch {
	case k.State == zhengxie.KeyProposed:
		row.Stage = "待主席会议审定"
	case k.State == zhengxie.KeyRefused:
		row.Stage = "未列入重点提案"
	case k.ProposalState == zhengxie.StateHandling && row.Counting > 0:
		row.Stage = fmt.Sprintf("办理中（%d/%d个单位已答复）", row.Replied, row.Counting)
	default:
		row.Stage = k.ProposalState.Name()
	}
	if k.State == zhengxie.KeyApproved && row.StepsTotal == 0 && k.ProposalState != zhengxie.StateConcluded && k.ProposalState != zhengxie.StateArchived {
		row.LateWhy = append(row.LateWhy, "尚未制定督办计划")
	}
	if k.State == zhengxie.KeyRefused {
		row.Late, row.LateWhy = false, nil
	}
	return row, nil
}

// KeyDetail is one key proposal's supervision file.
type KeyDetail struct {
	Row       KeyRow
	Proposal  *zhengxie.Proposal
	Tasks     []zhengxie.Task
	Steps     []store.KeyStep
	Notes     []store.KeyNote
	Leaders   []zhengxie.User
	Today     zhengxie.Date
	CanPlan   bool
	CanNote   bool
	CanDecide bool
}

// KeyDetail returns a key proposal's file: its plan, notes and tasks.
func (s *Service) KeyDetail(ctx context.Context, a zhengxie.Actor, keyID int64) (*KeyDetail, error) {
	if a.IsAnonymous() {
		return nil, zhengxie.Errorf(zhengxie.EUnauthorized, "请先登录")
	}
	k, err := s.Store.KeyProposal(ctx, a.CommitteeID, keyID)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.Proposal(ctx, a.CommitteeID, k.ProposalID)
	if err != nil {
		return nil, err
	}
	rel, err := s.Store.Relation(ctx, a, p)
	if err != nil {
		return nil, err
	}
	if !zhengxie.SeesAll(a.Role) && !(a.Role == zhengxie.RoleUnit && rel.UnitHasTask) {
		return nil, zhengxie.NotFound("重点提案")
	}
	d := &KeyDetail{Proposal: p, Today: s.today(ctx, a.CommitteeID)}
	if d.Steps, err = s.Store.KeySteps(ctx, a.CommitteeID, keyID); err != nil {
		return nil, err
	}
	if d.Row, err = s.keyRow(ctx, *k, d.Steps, d.Today); err != nil {
		return nil, err
	}
	if d.Tasks, err = s.Store.Tasks(ctx, p.ID); err != nil {
		return nil, err
	}
	if d.Notes, err = s.Store.KeyNotes(ctx, a.CommitteeID, keyID); err != nil {
		return nil, err
	}
	if d.Leaders, err = s.Store.Users(ctx, store.UserFilter{CommitteeID: a.CommitteeID, Role: zhengxie.RoleLeader}); err != nil {
		return nil, err
	}
	d.CanPlan = canWorkOnKey(a) == nil && k.State != zhengxie.KeyRefused
	d.CanNote = d.CanPlan || (a.Role == zhengxie.RoleUnit && rel.UnitHasTask)
	d.CanDecide = a.Role == zhengxie.RoleLeader && k.State == zhengxie.KeyProposed
	return d, nil
}

// KeyCandidates lists the proposals the office may propose for the key
// list: accepted and not concluded, not yet proposed.
func (s *Service) KeyCandidates(ctx context.Context, a zhengxie.Actor) ([]zhengxie.Proposal, error) {
	if err := requireRole(a, "提出重点提案建议", zhengxie.RoleOffice); err != nil {
		return nil, err
	}
	ps, _, err := s.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, Limit: 200,
		States: []zhengxie.State{zhengxie.StateAccepted, zhengxie.StateHandling, zhengxie.StateReplied}})
	if err != nil {
		return nil, err
	}
	keys, err := s.Store.KeyProposals(ctx, a.CommitteeID, "")
	if err != nil {
		return nil, err
	}
	taken := map[int64]bool{}
	for _, k := range keys {
		taken[k.ProposalID] = true
	}
	var out []zhengxie.Proposal
	for _, p := range ps {
		if !taken[p.ID] {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y zhengxie.Proposal) int { return x.Number - y.Number })
	return out, nil
}
