package app

import (
	"zhengxie"
	ntf "zhengxie/notify"
	"zhengxie/store"
)

// ---------- hooks of the lifecycle (called inside its transactions) ----------

func (s *Service) committeeName(tx *store.Tx, id int64) string {
	if c, err := tx.CommitteeTx(id); err == nil {
		return c.Name
	}
	return ""
}

// afterAssign sends the assignment to the unit's e-mail and SMS (Assign
// writes the in-app message) and tells integrations.
func (s *Service) afterAssign(tx *store.Tx, p *zhengxie.Proposal, t *zhengxie.Task) error {
	due := t.Due
	m := message{committeeID: p.CommitteeID, template: ntf.TaskAssigned, link: proposalLink(p.ID),
		data: ntf.Data{Committee: s.committeeName(tx, p.CommitteeID), Recipient: t.UnitName, Number: p.NumberText(), Title: p.Title,
			Proposer: p.ProposerName, Unit: t.UnitName, Role: zhengxie.TaskKindName(t.Kind), Due: due}}
	if _, err := s.sendToUnit(tx, t.UnitID, m); err != nil {
		return err
	}
	return s.emit(tx, p.CommitteeID, "task.assigned", taskEventOf(p, t))
}

// afterReply sends the reply notice to the proposer's e-mail and SMS and
// tells integrations.
func (s *Service) afterReply(tx *store.Tx, p *zhengxie.Proposal, t *zhengxie.Task) error {
	if u, err := tx.User(p.ProposerID); err == nil {
		m := message{committeeID: p.CommitteeID, user: *u, template: ntf.ReplyReceived, link: proposalLink(p.ID),
			data: ntf.Data{Committee: s.committeeName(tx, p.CommitteeID), Number: p.NumberText(), Title: p.Title, Unit: t.UnitName,
				Result: zhengxie.ResultClassName(t.ResultClass)}}
		if err := s.send(tx, m); err != nil {
			return err
		}
	}
	ev := taskEventOf(p, t)
	ev.ResultClass = t.ResultClass
	return s.emit(tx, p.CommitteeID, "task.replied", ev)
}

// afterFeedback sends the proposer's rating to the unit's e-mail and SMS.
func (s *Service) afterFeedback(tx *store.Tx, p *zhengxie.Proposal, t *zhengxie.Task, value, note string) error {
	m := message{committeeID: p.CommitteeID, template: ntf.FeedbackReceived, link: proposalLink(p.ID),
		data: ntf.Data{Committee: s.committeeName(tx, p.CommitteeID), Recipient: t.UnitName, Number: p.NumberText(), Title: p.Title,
			Proposer: p.ProposerName, Unit: t.UnitName, Result: zhengxie.FeedbackName(value), Reason: note}}
	_, err := s.sendToUnit(tx, t.UnitID, m)
	return err
}

// afterReject sends the decision to the proposer's e-mail and SMS.
func (s *Service) afterReject(tx *store.Tx, p *zhengxie.Proposal) error {
	u, err := tx.User(p.ProposerID)
	if err != nil {
		return nil
	}
	return s.send(tx, message{committeeID: p.CommitteeID, user: *u, template: ntf.ProposalRejected, link: proposalLink(p.ID),
		data: ntf.Data{Committee: s.committeeName(tx, p.CommitteeID), Title: p.Title, Reason: p.Reason}})
}

// proposalEvent is the data of proposal.* webhook events.
type proposalEvent struct {
	ProposalID int64  `json:"proposal_id"`
	Number     string `json:"number"`
	Title      string `json:"title"`
	Category   string `json:"category"`
	Proposer   string `json:"proposer"`
	State      string `json:"state"`
	Published  bool   `json:"published"`
	Key        bool   `json:"key"`
}

// afterProposal tells integrations about a proposal's step (event is
// proposal.accepted, proposal.published, proposal.concluded …).
func (s *Service) afterProposal(tx *store.Tx, p *zhengxie.Proposal, event string) error {
	return s.emit(tx, p.CommitteeID, event, proposalEvent{ProposalID: p.ID, Number: p.NumberText(), Title: p.Title, Category: p.Category,
		Proposer: p.ProposerName, State: string(p.State), Published: p.Published, Key: p.Key})
}
