package zhengxie_test

import (
	"strings"
	"testing"

	"zhengxie"
)

// TestTopicTable walks the order's flow and the typed errors (403 before 409).
func TestTopicTable(t *testing.T) {
	T := zhengxie.TopicTable
	P := func(ps ...zhengxie.Party) []zhengxie.Party { return ps }
	poster, office, member, claimant, system := zhengxie.PartyPoster, zhengxie.PartyOffice, zhengxie.PartyMember, zhengxie.PartyClaimant, zhengxie.PartySystem
	cases := []struct {
		from    zhengxie.TopicState
		action  zhengxie.TopicAction
		parties []zhengxie.Party
		to      zhengxie.TopicState
		code    string
	}{
		{zhengxie.TopicDraft, zhengxie.TopicActSubmit, P(poster), zhengxie.TopicPending, ""},
		{zhengxie.TopicDraft, zhengxie.TopicActSubmit, P(member), zhengxie.TopicDraft, zhengxie.EForbidden},
		{zhengxie.TopicPending, zhengxie.TopicActPublish, P(office), zhengxie.TopicPublished, ""},
		{zhengxie.TopicPending, zhengxie.TopicActPublish, P(poster), zhengxie.TopicPending, zhengxie.EForbidden},
		{zhengxie.TopicPending, zhengxie.TopicActReturn, P(office), zhengxie.TopicReturned, ""},
		{zhengxie.TopicPending, zhengxie.TopicActReject, P(office), zhengxie.TopicRejected, ""},
		{zhengxie.TopicReturned, zhengxie.TopicActSave, P(poster), zhengxie.TopicReturned, ""},
		{zhengxie.TopicReturned, zhengxie.TopicActSubmit, P(poster), zhengxie.TopicPending, ""},
		{zhengxie.TopicPending, zhengxie.TopicActSave, P(poster), zhengxie.TopicPending, zhengxie.EIllegal},
		{zhengxie.TopicDraft, zhengxie.TopicActClaim, P(member), zhengxie.TopicDraft, zhengxie.EIllegal},
		{zhengxie.TopicPublished, zhengxie.TopicActClaim, P(member), zhengxie.TopicClaimed, ""},
		{zhengxie.TopicPublished, zhengxie.TopicActClaim, P(poster, office), zhengxie.TopicPublished, zhengxie.EForbidden},
		{zhengxie.TopicClaimed, zhengxie.TopicActClaim, P(member), zhengxie.TopicClaimed, ""},
		{zhengxie.TopicClaimed, zhengxie.TopicActUnclaim, P(claimant), zhengxie.TopicClaimed, ""},
		{zhengxie.TopicClaimed, zhengxie.TopicActUnclaim, P(member), zhengxie.TopicClaimed, zhengxie.EForbidden},
		{zhengxie.TopicClaimed, zhengxie.TopicActRelease, P(system), zhengxie.TopicPublished, ""},
		{zhengxie.TopicClaimed, zhengxie.TopicActRelease, P(office), zhengxie.TopicClaimed, zhengxie.EForbidden},
		{zhengxie.TopicClaimed, zhengxie.TopicActStudy, P(claimant), zhengxie.TopicClaimed, ""},
		{zhengxie.TopicPublished, zhengxie.TopicActStudy, P(claimant), zhengxie.TopicPublished, zhengxie.EIllegal},
		{zhengxie.TopicClaimed, zhengxie.TopicActFile, P(system), zhengxie.TopicFiled, ""},
		{zhengxie.TopicPublished, zhengxie.TopicActFile, P(system), zhengxie.TopicPublished, zhengxie.EIllegal},
		{zhengxie.TopicFiled, zhengxie.TopicActAccepted, P(system), zhengxie.TopicAccepted, ""},
		{zhengxie.TopicAccepted, zhengxie.TopicActAdopted, P(system), zhengxie.TopicAdopted, ""},
		{zhengxie.TopicFiled, zhengxie.TopicActAdopted, P(system), zhengxie.TopicFiled, zhengxie.EIllegal},
		{zhengxie.TopicPublished, zhengxie.TopicActWithdraw, P(poster), zhengxie.TopicWithdrawn, ""},
		{zhengxie.TopicClaimed, zhengxie.TopicActWithdraw, P(poster), zhengxie.TopicClaimed, zhengxie.EIllegal},
		{zhengxie.TopicClaimed, zhengxie.TopicActClose, P(office), zhengxie.TopicClosed, ""},
		{zhengxie.TopicClaimed, zhengxie.TopicActClose, P(poster), zhengxie.TopicClaimed, zhengxie.EForbidden},
		{zhengxie.TopicFiled, zhengxie.TopicActClose, P(office), zhengxie.TopicFiled, zhengxie.EIllegal},
		{zhengxie.TopicPublished, zhengxie.TopicActPublish, nil, zhengxie.TopicPublished, zhengxie.EForbidden},
	}
	for _, c := range cases {
		to, err := T.Next(c.from, c.action, c.parties...)
		if got := zhengxie.ErrorCode(err); got != c.code {
			t.Errorf("%s --%s--> by %v: error %q (%v), want %q", c.from, c.action, c.parties, got, err, c.code)
			continue
		}
		if to != c.to {
			t.Errorf("%s --%s--> by %v: %s, want %s", c.from, c.action, c.parties, to, c.to)
		}
	}
	_, err := T.Next(zhengxie.TopicClaimed, zhengxie.TopicActWithdraw, poster)
	if msg := zhengxie.ErrorMessage(err); !strings.Contains(msg, "已认领") || !strings.Contains(msg, "不能撤回") {
		t.Errorf("illegal withdraw: %q", msg)
	}
	_, err = T.Next(zhengxie.TopicPending, zhengxie.TopicActPublish, poster)
	if msg := zhengxie.ErrorMessage(err); !strings.Contains(msg, "提案委员会") {
		t.Errorf("forbidden publish names who may: %q", msg)
	}
	for _, s := range T.States() {
		if s.Name() == string(s) {
			t.Errorf("state %s has no Chinese name", s)
		}
	}
	for _, r := range T.Rows {
		if r.Action.Name() == string(r.Action) || zhengxie.Action("order."+string(r.Action)).Name() == "order."+string(r.Action) {
			t.Errorf("action %s has no Chinese name", r.Action)
		}
	}
}

func TestTopicVisibilityAndCheck(t *testing.T) {
	o := &zhengxie.TopicOrder{CommitteeID: 1, State: zhengxie.TopicDraft}
	member := zhengxie.Actor{UserID: 5, CommitteeID: 1, Role: zhengxie.RoleMember}
	office := zhengxie.Actor{UserID: 6, CommitteeID: 1, Role: zhengxie.RoleOffice}
	other := zhengxie.Actor{UserID: 7, CommitteeID: 2, Role: zhengxie.RoleOffice}
	if zhengxie.CanSeeTopic(office, o, zhengxie.TopicRelation{}) || zhengxie.CanSeeTopic(member, o, zhengxie.TopicRelation{}) {
		t.Error("a draft is the poster's own")
	}
	if !zhengxie.CanSeeTopic(member, o, zhengxie.TopicRelation{Poster: true}) {
		t.Error("the poster sees the draft")
	}
	o.State = zhengxie.TopicPending
	if !zhengxie.CanSeeTopic(office, o, zhengxie.TopicRelation{}) || zhengxie.CanSeeTopic(member, o, zhengxie.TopicRelation{}) {
		t.Error("pending: office yes, members no")
	}
	o.State = zhengxie.TopicPublished
	if !zhengxie.CanSeeTopic(member, o, zhengxie.TopicRelation{}) || zhengxie.CanSeeTopic(other, o, zhengxie.TopicRelation{}) || zhengxie.CanSeeTopic(zhengxie.Actor{}, o, zhengxie.TopicRelation{}) {
		t.Error("published: the committee's users, not the public or another committee")
	}
	if zhengxie.SeesTopicContact(member, o, zhengxie.TopicRelation{}) || !zhengxie.SeesTopicContact(member, o, zhengxie.TopicRelation{Claimant: true}) {
		t.Error("the phone: claimants, not every member")
	}
	err := zhengxie.CheckTopic(&zhengxie.TopicOrder{Title: "关于社区养老服务", ContactPhone: "abc", Deadline: "6月底"}, true)
	fields := map[string]bool{}
	for _, e := range zhengxie.FieldErrors(err) {
		fields[e.Field] = true
	}
	for _, f := range []string{"background", "needs", "contact_name", "contact_phone", "deadline"} {
		if !fields[f] {
			t.Errorf("no error on %s: %v", f, err)
		}
	}
	if err := zhengxie.CheckTopic(&zhengxie.TopicOrder{Title: "关于社区养老服务"}, false); err != nil {
		t.Errorf("a draft needs only a title: %v", err)
	}
}
