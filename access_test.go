package zhengxie_test

import (
	"slices"
	"testing"

	"zhengxie"
)

// TestAccess checks who sees a proposal and as which party, for every role
// and the states where the answer changes.
func TestAccess(t *testing.T) {
	const committee, other = 1, 2
	proposer := zhengxie.Actor{UserID: 10, CommitteeID: committee, Role: zhengxie.RoleMember}
	cosigner := zhengxie.Actor{UserID: 11, CommitteeID: committee, Role: zhengxie.RoleMember}
	stranger := zhengxie.Actor{UserID: 12, CommitteeID: committee, Role: zhengxie.RoleMember}
	unit := zhengxie.Actor{UserID: 20, CommitteeID: committee, Role: zhengxie.RoleUnit, UnitID: 5}
	office := zhengxie.Actor{UserID: 30, CommitteeID: committee, Role: zhengxie.RoleOffice}
	leader := zhengxie.Actor{UserID: 31, CommitteeID: committee, Role: zhengxie.RoleLeader}
	admin := zhengxie.Actor{UserID: 32, CommitteeID: committee, Role: zhengxie.RoleAdmin}
	station := zhengxie.Actor{UserID: 33, CommitteeID: committee, Role: zhengxie.RoleStation}
	system := zhengxie.SystemActor(committee)
	otherOffice := zhengxie.Actor{UserID: 40, CommitteeID: other, Role: zhengxie.RoleOffice}
	// A member of another committee who happens to have the same relation
	// flags must still see nothing unpublished.
	otherMember := zhengxie.Actor{UserID: 10, CommitteeID: other, Role: zhengxie.RoleMember}
	public := zhengxie.Actor{}

	none := zhengxie.Relation{}
	asProposer := zhengxie.Relation{IsProposer: true}
	asCosigner := zhengxie.Relation{IsCosigner: true}
	withTask := zhengxie.Relation{UnitHasTask: true}

	type row struct {
		name    string
		a       zhengxie.Actor
		rel     zhengxie.Relation
		state   zhengxie.State
		pub     bool
		sees    bool
		parties []zhengxie.Party
	}
	P := func(ps ...zhengxie.Party) []zhengxie.Party { return ps }
	rows := []row{
		{"public, draft", public, none, zhengxie.StateDraft, false, false, nil},
		{"public, under review", public, none, zhengxie.StateUnderReview, false, false, nil},
		{"public, handling", public, none, zhengxie.StateHandling, false, false, nil},
		{"public, published", public, none, zhengxie.StateConcluded, true, true, nil},
		{"proposer, draft", proposer, asProposer, zhengxie.StateDraft, false, true, P(zhengxie.PartyProposer)},
		{"proposer, handling", proposer, asProposer, zhengxie.StateHandling, false, true, P(zhengxie.PartyProposer)},
		{"proposer, rejected", proposer, asProposer, zhengxie.StateRejected, false, true, P(zhengxie.PartyProposer)},
		{"cosigner, before submission", cosigner, asCosigner, zhengxie.StateDraft, false, false, P(zhengxie.PartyCosigner)},
		{"cosigner, submitted", cosigner, asCosigner, zhengxie.StateSubmitted, false, true, P(zhengxie.PartyCosigner)},
		{"cosigner, archived", cosigner, asCosigner, zhengxie.StateArchived, false, true, P(zhengxie.PartyCosigner)},
		{"other member, under review", stranger, none, zhengxie.StateUnderReview, false, false, nil},
		{"other member, draft", stranger, none, zhengxie.StateDraft, false, false, nil},
		{"other member, published", stranger, none, zhengxie.StateHandling, true, true, nil},
		{"unit with task", unit, withTask, zhengxie.StateHandling, false, true, P(zhengxie.PartyUnit)},
		{"unit without task", unit, none, zhengxie.StateHandling, false, false, nil},
		{"unit without task, accepted", unit, none, zhengxie.StateAccepted, false, false, nil},
		{"unit without task, published", unit, none, zhengxie.StateHandling, true, true, nil},
		{"office, draft", office, none, zhengxie.StateDraft, false, false, P(zhengxie.PartyOffice)},
		{"office, under review", office, none, zhengxie.StateUnderReview, false, true, P(zhengxie.PartyOffice)},
		{"office, withdrawn", office, none, zhengxie.StateWithdrawn, false, true, P(zhengxie.PartyOffice)},
		{"office filing for a body", office, asProposer, zhengxie.StateDraft, false, true, P(zhengxie.PartyOffice, zhengxie.PartyProposer)},
		{"leader, draft", leader, none, zhengxie.StateDraft, false, false, P(zhengxie.PartyLeader)},
		{"leader, handling", leader, none, zhengxie.StateHandling, false, true, P(zhengxie.PartyLeader)},
		{"admin, under review", admin, none, zhengxie.StateUnderReview, false, true, nil},
		{"station, under review", station, none, zhengxie.StateUnderReview, false, false, nil},
		{"system, submitted", system, none, zhengxie.StateSubmitted, false, true, P(zhengxie.PartySystem)},
		{"other committee's office, under review", otherOffice, none, zhengxie.StateUnderReview, false, false, nil},
		{"other committee's office, published", otherOffice, none, zhengxie.StateConcluded, true, true, nil},
		{"other committee's member with a forged relation", otherMember, asProposer, zhengxie.StateHandling, false, false, nil},
	}
	for _, r := range rows {
		p := &zhengxie.Proposal{ID: 1, CommitteeID: committee, ProposerID: proposer.UserID, State: r.state, Published: r.pub}
		if got := zhengxie.CanSee(r.a, p, r.rel); got != r.sees {
			t.Errorf("%s: CanSee = %v, want %v", r.name, got, r.sees)
		}
		got := zhengxie.Parties(r.a, p, r.rel)
		if !slices.Equal(got, r.parties) {
			t.Errorf("%s: Parties = %v, want %v", r.name, got, r.parties)
		}
	}
}

// TestAccessDrivesTheTable joins access and the transition table the way the
// application does: what a role can actually do to a proposal under review.
func TestAccessDrivesTheTable(t *testing.T) {
	p := &zhengxie.Proposal{ID: 1, CommitteeID: 1, ProposerID: 10, State: zhengxie.StateUnderReview}
	office := zhengxie.Actor{UserID: 30, CommitteeID: 1, Role: zhengxie.RoleOffice}
	otherOffice := zhengxie.Actor{UserID: 40, CommitteeID: 2, Role: zhengxie.RoleOffice}
	proposer := zhengxie.Actor{UserID: 10, CommitteeID: 1, Role: zhengxie.RoleMember}
	if _, err := zhengxie.Next(p.State, zhengxie.ActAccept, zhengxie.Parties(office, p, zhengxie.Relation{})...); err != nil {
		t.Errorf("the office reviews: %v", err)
	}
	if _, err := zhengxie.Next(p.State, zhengxie.ActAccept, zhengxie.Parties(otherOffice, p, zhengxie.Relation{})...); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Errorf("another committee's office must not review: %v", err)
	}
	if _, err := zhengxie.Next(p.State, zhengxie.ActAccept, zhengxie.Parties(proposer, p, zhengxie.Relation{IsProposer: true})...); zhengxie.ErrorCode(err) != zhengxie.EForbidden {
		t.Errorf("a proposer must not accept their own proposal: %v", err)
	}
	if _, err := zhengxie.Next(p.State, zhengxie.ActWithdraw, zhengxie.Parties(proposer, p, zhengxie.Relation{IsProposer: true})...); err != nil {
		t.Errorf("the proposer withdraws: %v", err)
	}
}

func TestSeesAll(t *testing.T) {
	for _, r := range []zhengxie.Role{zhengxie.RoleOffice, zhengxie.RoleLeader, zhengxie.RoleAdmin, zhengxie.RoleSystem} {
		if !zhengxie.SeesAll(r) {
			t.Errorf("%s should see the whole committee", r)
		}
	}
	for _, r := range []zhengxie.Role{zhengxie.RoleAnonymous, zhengxie.RoleMember, zhengxie.RoleUnit, zhengxie.RoleStation} {
		if zhengxie.SeesAll(r) {
			t.Errorf("%s must not see the whole committee", r)
		}
	}
}
