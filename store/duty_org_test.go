package store_test

import (
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestOrgStore keeps and reads the organisation on both engines: names
// unique per committee, memberships replaced as a whole, filters by
// sector, special committee and station, and nothing of another committee.
func TestOrgStore(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		var sec zhengxie.Sector
		var sc zhengxie.SpecialCommittee
		var st zhengxie.Station
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			sec = zhengxie.Sector{CommitteeID: cid, Name: "医药卫生界"}
			if err := tx.CreateSector(&sec); err != nil {
				return err
			}
			sc = zhengxie.SpecialCommittee{CommitteeID: cid, Name: "经济委员会"}
			if err := tx.CreateSpecialCommittee(&sc); err != nil {
				return err
			}
			st = zhengxie.Station{CommitteeID: cid, Kind: zhengxie.StationLiaison, Name: "城南委员联络站", Address: "城南街道1号"}
			return tx.SaveStation(&st)
		}))
		err := w.st.InTx(w.ctx, func(tx *store.Tx) error {
			return tx.CreateSpecialCommittee(&zhengxie.SpecialCommittee{CommitteeID: cid, Name: "经济委员会"})
		})
		if zhengxie.ErrorCode(err) != zhengxie.EConflict {
			t.Fatalf("duplicate special committee: %v", err)
		}
		m := w.f.Members[0]
		p, err := w.st.Profile(w.ctx, cid, m.ID)
		w.must(err)
		if p.Gender != "" || len(p.Memberships) != 0 {
			t.Fatalf("fresh profile %+v", p)
		}
		p.User.SectorID, p.Gender, p.Employer, p.Standing = sec.ID, zhengxie.GenderFemale, "区人民医院副院长", true
		p.Memberships = []zhengxie.Membership{{CommitteeID: cid, OrgKind: zhengxie.OrgSpecialCommittee, OrgID: sc.ID, Role: zhengxie.OrgRoleConvener},
			{CommitteeID: cid, OrgKind: zhengxie.OrgStation, OrgID: st.ID, Role: zhengxie.OrgRoleMember}}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.SaveProfile(p) }))
		got, err := w.st.Profile(w.ctx, cid, m.ID)
		w.must(err)
		if got.User.SectorID != sec.ID || got.Gender != "女" || !got.Standing || len(got.Memberships) != 2 {
			t.Fatalf("saved profile %+v", got)
		}
		if mm := got.MembershipOf(zhengxie.OrgSpecialCommittee, sc.ID); mm.Role != zhengxie.OrgRoleConvener || mm.OrgName != "经济委员会" {
			t.Errorf("membership %+v", mm)
		}
		for _, c := range []struct {
			name string
			f    store.ProfileFilter
			want int
		}{
			{"all", store.ProfileFilter{CommitteeID: cid}, len(w.f.Members)},
			{"sector", store.ProfileFilter{CommitteeID: cid, SectorID: sec.ID}, 1},
			{"special committee", store.ProfileFilter{CommitteeID: cid, SpecialCommitteeID: sc.ID}, 1},
			{"station", store.ProfileFilter{CommitteeID: cid, StationID: st.ID}, 1},
			{"name", store.ProfileFilter{CommitteeID: cid, Query: "陈"}, 1},
			{"other committee", store.ProfileFilter{CommitteeID: w.f.Other.CommitteeID}, 0},
		} {
			ps, err := w.st.Profiles(w.ctx, c.f)
			w.must(err)
			if len(ps) != c.want {
				t.Errorf("%s: %d members, want %d", c.name, len(ps), c.want)
			}
		}
		// The memberships are replaced, not added to.
		got.Memberships = got.Memberships[1:]
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.SaveProfile(got) }))
		again, err := w.st.Profile(w.ctx, cid, m.ID)
		w.must(err)
		if len(again.Memberships) != 1 || again.Memberships[0].OrgKind != zhengxie.OrgStation {
			t.Errorf("memberships after replace %+v", again.Memberships)
		}
		if _, err := w.st.Profile(w.ctx, w.f.Other.CommitteeID, m.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("profile through another committee: %v", err)
		}
		if _, err := w.st.Station(w.ctx, w.f.Other.CommitteeID, st.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("station through another committee: %v", err)
		}
	})
}
