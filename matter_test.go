package zhengxie_test

import (
	"strings"
	"testing"

	"zhengxie"
)

// TestMatterTable walks the rows that carry the flow: who may move a matter
// where, and the typed errors for the rest (403 before 409).
func TestMatterTable(t *testing.T) {
	T := zhengxie.MatterTable
	cases := []struct {
		from    zhengxie.MatterState
		action  zhengxie.MatterAction
		parties []zhengxie.Party
		to      zhengxie.MatterState
		code    string
	}{
		{zhengxie.MatterReceived, zhengxie.MatterActForward, []zhengxie.Party{zhengxie.PartyStationStaff}, zhengxie.MatterForwarded, ""},
		{zhengxie.MatterReceived, zhengxie.MatterActForward, []zhengxie.Party{zhengxie.PartyOffice}, zhengxie.MatterForwarded, ""},
		{zhengxie.MatterReceived, zhengxie.MatterActAnswer, []zhengxie.Party{zhengxie.PartyDutyMember}, zhengxie.MatterAnswered, ""},
		{zhengxie.MatterReceived, zhengxie.MatterActToReport, []zhengxie.Party{zhengxie.PartyDutyMember}, zhengxie.MatterConverted, ""},
		{zhengxie.MatterReceived, zhengxie.MatterActToDraft, []zhengxie.Party{zhengxie.PartyStationStaff}, zhengxie.MatterReceived, zhengxie.EForbidden},
		{zhengxie.MatterReceived, zhengxie.MatterActForward, []zhengxie.Party{zhengxie.PartyDutyMember}, zhengxie.MatterReceived, zhengxie.EForbidden},
		{zhengxie.MatterForwarded, zhengxie.MatterActSign, []zhengxie.Party{zhengxie.PartyUnit}, zhengxie.MatterHandling, ""},
		{zhengxie.MatterForwarded, zhengxie.MatterActReturn, []zhengxie.Party{zhengxie.PartyUnit}, zhengxie.MatterReceived, ""},
		{zhengxie.MatterForwarded, zhengxie.MatterActReply, []zhengxie.Party{zhengxie.PartyUnit}, zhengxie.MatterForwarded, zhengxie.EIllegal},
		{zhengxie.MatterHandling, zhengxie.MatterActReply, []zhengxie.Party{zhengxie.PartyUnit}, zhengxie.MatterAnswered, ""},
		{zhengxie.MatterHandling, zhengxie.MatterActReply, []zhengxie.Party{zhengxie.PartyStationStaff}, zhengxie.MatterHandling, zhengxie.EForbidden},
		{zhengxie.MatterAnswered, zhengxie.MatterActSettle, []zhengxie.Party{zhengxie.PartyCitizen}, zhengxie.MatterSettled, ""},
		{zhengxie.MatterAnswered, zhengxie.MatterActRehandle, []zhengxie.Party{zhengxie.PartyCitizen}, zhengxie.MatterHandling, ""},
		{zhengxie.MatterAnswered, zhengxie.MatterActReopen, []zhengxie.Party{zhengxie.PartyCitizen}, zhengxie.MatterReceived, ""},
		{zhengxie.MatterAnswered, zhengxie.MatterActDispute, []zhengxie.Party{zhengxie.PartyCitizen}, zhengxie.MatterDisputed, ""},
		{zhengxie.MatterSettled, zhengxie.MatterActSettle, []zhengxie.Party{zhengxie.PartyCitizen}, zhengxie.MatterSettled, zhengxie.EIllegal},
		{zhengxie.MatterDisputed, zhengxie.MatterActDecide, []zhengxie.Party{zhengxie.PartyOffice}, zhengxie.MatterClosed, ""},
		{zhengxie.MatterDisputed, zhengxie.MatterActDecide, []zhengxie.Party{zhengxie.PartyStationStaff}, zhengxie.MatterDisputed, zhengxie.EForbidden},
		{zhengxie.MatterSettled, zhengxie.MatterActPublish, []zhengxie.Party{zhengxie.PartyOffice}, zhengxie.MatterSettled, ""},
		{zhengxie.MatterReceived, zhengxie.MatterActPublish, []zhengxie.Party{zhengxie.PartyOffice}, zhengxie.MatterReceived, zhengxie.EIllegal},
		{zhengxie.MatterHandling, zhengxie.MatterActSettle, nil, zhengxie.MatterHandling, zhengxie.EForbidden},
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
	// The illegal answer names what the caller may do instead, in words.
	_, err := T.Next(zhengxie.MatterForwarded, zhengxie.MatterActReply, zhengxie.PartyUnit)
	if msg := zhengxie.ErrorMessage(err); !strings.Contains(msg, "签收") || !strings.Contains(msg, "已转办待签收") {
		t.Errorf("illegal reply: %q", msg)
	}
	for _, s := range T.States() {
		if s.Name() == string(s) {
			t.Errorf("state %s has no Chinese name", s)
		}
	}
	for _, r := range T.Rows {
		if r.Action.Name() == string(r.Action) {
			t.Errorf("action %s has no Chinese name", r.Action)
		}
	}
}

func TestUnsettledGoesBackOnceThenToTheOffice(t *testing.T) {
	m := &zhengxie.Matter{UnitID: 3}
	if a := zhengxie.UnsettledAction(m); a != zhengxie.MatterActRehandle {
		t.Errorf("first time with a unit: %s", a)
	}
	if a := zhengxie.UnsettledAction(&zhengxie.Matter{}); a != zhengxie.MatterActReopen {
		t.Errorf("first time without a unit: %s", a)
	}
	m.Rehandled = true
	if a := zhengxie.UnsettledAction(m); a != zhengxie.MatterActDispute {
		t.Errorf("second time: %s", a)
	}
}

func TestCheckMatterText(t *testing.T) {
	cases := []struct {
		title, body string
		field       string
	}{
		{"小区门口路灯损坏", "小区南门外的三盏路灯已经坏了两周，晚上出行不安全，希望尽快修复。", ""},
		{"", "小区南门外的三盏路灯已经坏了两周。", "title"},
		{"路灯", "坏了", "body"},
		{"路灯坏了", "你们这些狗官什么都不管，路灯坏了两周了", "body"},
		{"路灯坏了", "请看 http://example.com/x 路灯坏了两周了没人修", "body"},
		{"路灯坏了", "啊啊啊啊啊啊啊啊啊啊啊啊路灯坏了两周了", "body"},
		{strings.Repeat("长", 51), "小区南门外的三盏路灯已经坏了两周。", "title"},
	}
	for _, c := range cases {
		err := zhengxie.CheckMatterText(c.title, c.body)
		if got := zhengxie.ErrorField(err); got != c.field {
			t.Errorf("CheckMatterText(%q, %q): field %q (%v), want %q", c.title, c.body, got, err, c.field)
		}
	}
	if err := zhengxie.CheckCitizen("张三", "1380013800"); zhengxie.ErrorField(err) != "citizen_phone" {
		t.Errorf("short phone: %v", err)
	}
}

func TestTrackingCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c := zhengxie.NewTrackingCode()
		if len(c) != 9 || c[4] != '-' || strings.ContainsAny(c, "01OIL") {
			t.Fatalf("code %q", c)
		}
		if seen[c] {
			t.Fatalf("duplicate code %q in 1000", c)
		}
		seen[c] = true
		if got := zhengxie.NormalizeTrackingCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))); got != c {
			t.Fatalf("normalize %q: %q", c, got)
		}
	}
	for _, bad := range []string{"", "ABCD", "ABCD-EFG0", "ABCD-EFGH-J", "ABCD'EFGH"} {
		if got := zhengxie.NormalizeTrackingCode(bad); got != "" {
			t.Errorf("NormalizeTrackingCode(%q) = %q", bad, got)
		}
	}
}

func TestMatterDue(t *testing.T) {
	r := zhengxie.DefaultDeadlineRules()
	cal := zhengxie.DefaultCalendar()
	from := zhengxie.MakeDate(2026, 3, 2)
	if got := zhengxie.MatterDue(r, cal, from, zhengxie.UrgencyNormal); got != zhengxie.MakeDate(2026, 3, 17) {
		t.Errorf("calendar days: %s", got)
	}
	if got := zhengxie.MatterDue(r, cal, from, zhengxie.UrgencyUrgent); got != zhengxie.MakeDate(2026, 3, 7) {
		t.Errorf("urgent: %s", got)
	}
	r.Counting = zhengxie.CountWorking
	// 15 working days from Monday 2 March: three weeks later, Monday 23 March.
	if got := zhengxie.MatterDue(r, cal, from, zhengxie.UrgencyNormal); got != zhengxie.MakeDate(2026, 3, 23) {
		t.Errorf("working days: %s", got)
	}
}

// TestMatterVisibility: who reads a matter, and who reads the person.
func TestMatterVisibility(t *testing.T) {
	m := &zhengxie.Matter{CommitteeID: 1, StationID: 7, UnitID: 3}
	cases := []struct {
		name      string
		a         zhengxie.Actor
		rel       zhengxie.MatterRelation
		see, whom bool
	}{
		{"station staff", zhengxie.Actor{UserID: 1, CommitteeID: 1, Role: zhengxie.RoleStation}, zhengxie.MatterRelation{Staff: true}, true, true},
		{"other station's staff", zhengxie.Actor{UserID: 2, CommitteeID: 1, Role: zhengxie.RoleStation}, zhengxie.MatterRelation{}, false, false},
		{"member on duty", zhengxie.Actor{UserID: 3, CommitteeID: 1, Role: zhengxie.RoleMember}, zhengxie.MatterRelation{DutyMember: true}, true, true},
		{"another member", zhengxie.Actor{UserID: 4, CommitteeID: 1, Role: zhengxie.RoleMember}, zhengxie.MatterRelation{}, false, false},
		{"handling unit", zhengxie.Actor{UserID: 5, CommitteeID: 1, Role: zhengxie.RoleUnit, UnitID: 3}, zhengxie.MatterRelation{}, true, true},
		{"another unit", zhengxie.Actor{UserID: 6, CommitteeID: 1, Role: zhengxie.RoleUnit, UnitID: 4}, zhengxie.MatterRelation{}, false, false},
		{"office", zhengxie.Actor{UserID: 7, CommitteeID: 1, Role: zhengxie.RoleOffice}, zhengxie.MatterRelation{}, true, false},
		{"leader", zhengxie.Actor{UserID: 8, CommitteeID: 1, Role: zhengxie.RoleLeader}, zhengxie.MatterRelation{}, true, false},
		{"other committee's office", zhengxie.Actor{UserID: 9, CommitteeID: 2, Role: zhengxie.RoleOffice}, zhengxie.MatterRelation{Staff: true}, false, false},
		{"the public", zhengxie.Actor{}, zhengxie.MatterRelation{}, false, false},
	}
	for _, c := range cases {
		if got := zhengxie.CanSeeMatter(c.a, m, c.rel); got != c.see {
			t.Errorf("%s: sees %v, want %v", c.name, got, c.see)
		}
		if got := zhengxie.SeesCitizen(c.a, m, c.rel); got != c.whom {
			t.Errorf("%s: sees the citizen %v, want %v", c.name, got, c.whom)
		}
	}
	box := &zhengxie.Matter{CommitteeID: 1}
	if !zhengxie.SeesCitizen(zhengxie.Actor{UserID: 7, CommitteeID: 1, Role: zhengxie.RoleOffice}, box, zhengxie.MatterRelation{}) {
		t.Error("the office is the staff of the committee's own message box")
	}
}
