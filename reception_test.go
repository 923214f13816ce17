package zhengxie_test

import (
	"testing"

	"zhengxie"
)

func TestReceptionTable(t *testing.T) {
	T := zhengxie.ReceptionTable
	cases := []struct {
		from   zhengxie.ReceptionState
		action zhengxie.ReceptionAction
		party  zhengxie.Party
		to     zhengxie.ReceptionState
		code   string
	}{
		{zhengxie.ReceptionScheduled, zhengxie.ActHoldReception, zhengxie.PartyStationStaff, zhengxie.ReceptionHeld, ""},
		{zhengxie.ReceptionScheduled, zhengxie.ActHoldReception, zhengxie.PartyDutyMember, zhengxie.ReceptionHeld, ""},
		{zhengxie.ReceptionScheduled, zhengxie.ActCancelReception, zhengxie.PartyDutyMember, zhengxie.ReceptionScheduled, zhengxie.EForbidden},
		{zhengxie.ReceptionHeld, zhengxie.ActCancelReception, zhengxie.PartyStationStaff, zhengxie.ReceptionHeld, zhengxie.EIllegal},
		{zhengxie.ReceptionHeld, zhengxie.ActLogMatter, zhengxie.PartyDutyMember, zhengxie.ReceptionHeld, ""},
		{zhengxie.ReceptionCancelled, zhengxie.ActLogMatter, zhengxie.PartyDutyMember, zhengxie.ReceptionCancelled, zhengxie.EIllegal},
		{zhengxie.ReceptionScheduled, zhengxie.ActLogMatter, zhengxie.PartyUnit, zhengxie.ReceptionScheduled, zhengxie.EForbidden},
	}
	for _, c := range cases {
		to, err := T.Next(c.from, c.action, c.party)
		if got := zhengxie.ErrorCode(err); got != c.code || to != c.to {
			t.Errorf("%s --%s--> by %s: %s %q (%v), want %s %q", c.from, c.action, c.party, to, got, err, c.to, c.code)
		}
	}
}

func TestCheckReception(t *testing.T) {
	ok := func() *zhengxie.Reception {
		return &zhengxie.Reception{StationID: 1, Day: zhengxie.MakeDate(2026, 3, 5), Start: "09:00", End: "11:30", MemberIDs: []int64{3}}
	}
	cases := []struct {
		edit  func(*zhengxie.Reception)
		field string
	}{
		{func(*zhengxie.Reception) {}, ""},
		{func(r *zhengxie.Reception) { r.StationID = 0 }, "station_id"},
		{func(r *zhengxie.Reception) { r.Day = zhengxie.Date{} }, "day"},
		{func(r *zhengxie.Reception) { r.Start = "9点" }, "start"},
		{func(r *zhengxie.Reception) { r.End = "08:00" }, "end"},
		{func(r *zhengxie.Reception) { r.MemberIDs = nil }, "member_ids"},
	}
	for i, c := range cases {
		r := ok()
		c.edit(r)
		if got := zhengxie.ErrorField(zhengxie.CheckReception(r)); got != c.field {
			t.Errorf("case %d: field %q, want %q", i, got, c.field)
		}
	}
}
