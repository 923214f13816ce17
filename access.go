package zhengxie

// Relation is what the store knows about an actor and one proposal; Parties
// and CanSee turn it into rights. Kept apart from the store so that the
// rules of who sees what live here, beside the transition table.
type Relation struct {
	IsProposer  bool
	IsCosigner  bool // invited or confirmed
	UnitHasTask bool // the actor's unit has a live task on the proposal
}

// Parties returns the parties the actor is in for one proposal.
func Parties(a Actor, p *Proposal, rel Relation) []Party {
	if a.CommitteeID != p.CommitteeID {
		return nil
	}
	var ps []Party
	switch a.Role {
	case RoleOffice:
		ps = append(ps, PartyOffice)
	case RoleLeader:
		ps = append(ps, PartyLeader)
	case RoleSystem:
		ps = append(ps, PartySystem)
	case RoleUnit:
		if rel.UnitHasTask {
			ps = append(ps, PartyUnit)
		}
	}
	if rel.IsProposer {
		ps = append(ps, PartyProposer)
	}
	if rel.IsCosigner {
		ps = append(ps, PartyCosigner)
	}
	return ps
}

// CanSee reports whether the actor may read the proposal at all. The public
// sees published proposals; members see their own, those they were invited
// to co-sign, and published ones; units see those assigned to them; the
// office, leaders and admins see all of their committee.
func CanSee(a Actor, p *Proposal, rel Relation) bool {
	if a.IsAnonymous() {
		return p.Published
	}
	if a.CommitteeID != p.CommitteeID {
		return p.Published
	}
	if rel.IsProposer || (rel.IsCosigner && p.State != StateDraft) || (a.Role == RoleUnit && rel.UnitHasTask) {
		return true
	}
	// Drafts are the proposer's own, private even to the office until submitted.
	if SeesAll(a.Role) {
		return p.State != StateDraft
	}
	return p.Published
}

// SeesAll reports whether the actor's role sees every proposal of its committee.
func SeesAll(r Role) bool {
	return r == RoleOffice || r == RoleLeader || r == RoleAdmin || r == RoleSystem
}
