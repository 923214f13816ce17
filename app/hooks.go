package app

import (
	"zhengxie"
	"zhengxie/store"
)

// ---------- hooks of the lifecycle (called inside its transactions) ----------

func (s *Service) committeeName(tx *store.Tx, id int64) string {
	if c, err := tx.CommitteeTx(id); err == nil {
		return c.Name
	}
	return ""
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
	return s.emit(tx, p.CommitteeID, event, proposalEventOf(p))
}
