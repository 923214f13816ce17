package store_test

import (
	"strconv"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestDutyStore keeps activities, attendance, records, rules and scores on
// both engines and reads a member's year from everything the system
// recorded: attendance of activities that took place, proposals led and
// accepted, the office's records and other modules' events, each once.
func TestDutyStore(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		loc := zhengxie.ChinaTime()
		year := time.Now().In(loc).Year()
		m1, m2 := w.f.Members[0], w.f.Members[1]
		start := time.Date(year, 3, 5, 9, 0, 0, 0, loc)
		held := &zhengxie.Activity{CommitteeID: cid, Year: year, Kind: zhengxie.ActivityInspection, Title: "视察河涌", State: zhengxie.ActivityHeld,
			StartsAt: start, EndsAt: start.Add(2 * time.Hour), OrganizerKind: "office", CreatedBy: w.f.Office.ID}
		future := &zhengxie.Activity{CommitteeID: cid, Year: year, Kind: zhengxie.ActivityStudy, Title: "培训", State: zhengxie.ActivityPublished,
			StartsAt: start.AddDate(0, 1, 0), EndsAt: start.AddDate(0, 1, 0).Add(time.Hour), OrganizerKind: "office", CreatedBy: w.f.Office.ID}
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			for _, a := range []*zhengxie.Activity{held, future} {
				if err := tx.CreateActivity(a); err != nil {
					return err
				}
				added, err := tx.Invite(cid, a.ID, []int64{m1.ID, m2.ID})
				if err != nil || len(added) != 2 {
					t.Errorf("invite: %v %v", added, err)
				}
				if again, _ := tx.Invite(cid, a.ID, []int64{m1.ID}); len(again) != 0 {
					t.Errorf("invited twice: %v", again)
				}
			}
			at, err := tx.LockAttendance(cid, held.ID, m1.ID)
			if err != nil {
				return err
			}
			at.State, at.SignedAt = zhengxie.AttendSignedIn, start
			if err := tx.SaveAttendance(at); err != nil {
				return err
			}
			return tx.CreateDutyRecord(&zhengxie.DutyRecord{CommitteeID: cid, Year: year, UserID: m1.ID, Kind: zhengxie.RecordDeed, Title: "修路灯", Beneficiary: "居民",
				On: zhengxie.Date{Year: year, Month: 4, Day: 1}, CreatedBy: w.f.Office.ID})
		}))
		w.accepted(m1, "关于加快推进老旧小区加装电梯工作的建议")
		// Another module's report, adopted twice at the same level, once at another.
		for _, level := range []string{"city", "city", "provincial"} {
			w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
				return tx.AppendEvent(&zhengxie.Event{CommitteeID: cid, SubjectKind: "report", SubjectID: 9, ActorID: w.f.Office.ID, Action: zhengxie.EventReportAdopted,
					Payload: `{"level":"` + level + `","member_ids":[` + strconv.FormatInt(m1.ID, 10) + `]}`})
			}))
		}
		items, invited, err := w.st.YearItems(w.ctx, cid, year, m1.ID, loc)
		w.must(err)
		kinds := map[zhengxie.DutyKind]int{}
		for _, it := range items {
			if it.UserID != m1.ID {
				t.Errorf("item of another member: %+v", it)
			}
			kinds[it.Kind]++
		}
		want := map[zhengxie.DutyKind]int{zhengxie.DutyAttendActivity: 1, zhengxie.DutyDeed: 1, zhengxie.DutyProposalFiled: 1, zhengxie.DutyProposalAccepted: 1,
			zhengxie.DutyReportCity: 1, zhengxie.DutyReportProvince: 1}
		for k, n := range want {
			if kinds[k] != n {
				t.Errorf("%s: %d items, want %d (all: %v)", k, kinds[k], n, kinds)
			}
		}
		if len(kinds) != len(want) || invited[m1.ID] != 1 {
			t.Errorf("kinds %v, invited %v (the future activity must not count)", kinds, invited)
		}
		all, invitedAll, err := w.st.YearItems(w.ctx, cid, year, 0, loc)
		w.must(err)
		absent := 0
		for _, it := range all {
			if it.UserID == m2.ID && it.Kind == zhengxie.DutyAbsent {
				absent++
			}
		}
		if absent != 1 || invitedAll[m2.ID] != 1 {
			t.Errorf("member2: %d absences, %d invitations", absent, invitedAll[m2.ID])
		}
		// Rules: defaults until saved, then what was saved.
		r, saved, err := w.st.DutyRules(w.ctx, cid, year)
		w.must(err)
		if saved || len(r.Tasks) != 10 {
			t.Fatalf("default rules: saved=%v, %d tasks", saved, len(r.Tasks))
		}
		r.LowAttendance = 75
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.SaveDutyRules(cid, &r, w.f.Admin.ID) }))
		r2, saved, err := w.st.DutyRules(w.ctx, cid, year)
		w.must(err)
		if !saved || r2.LowAttendance != 75 {
			t.Errorf("saved rules %+v", r2)
		}
		// Scores: replaced as a whole, ranked, filtered, per committee.
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			return tx.ReplaceDutyScores(cid, year, []store.DutyScoreRow{{UserID: m1.ID, Points: 20}, {UserID: m2.ID, Points: 30}})
		}))
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			return tx.UpsertDutyScore(cid, year, store.DutyScoreRow{UserID: m1.ID, Points: 40})
		}))
		rows, err := w.st.DutyScores(w.ctx, store.ProfileFilter{CommitteeID: cid}, year)
		w.must(err)
		if len(rows) != 2 || rows[0].UserID != m1.ID || rows[0].Points != 40 {
			t.Errorf("scores %+v", rows)
		}
		if rows, _ := w.st.DutyScores(w.ctx, store.ProfileFilter{CommitteeID: w.f.Other.CommitteeID}, year); len(rows) != 0 {
			t.Errorf("another committee sees %d scores", len(rows))
		}
		// The signing secret is made once and kept.
		a, err := w.st.Secret(w.ctx, "test")
		w.must(err)
		b, err := w.st.Secret(w.ctx, "test")
		w.must(err)
		if len(a) != 32 || string(a) != string(b) {
			t.Error("the secret changes between reads")
		}
		acts, err := w.st.Activities(w.ctx, store.ActivityFilter{CommitteeID: cid, Year: year, InvitedUser: m1.ID})
		w.must(err)
		if len(acts) != 2 || acts[0].ID != future.ID || acts[0].OrganizerName != "政协机关" {
			t.Errorf("activities %+v", acts)
		}
		if _, err := w.st.Activity(w.ctx, w.f.Other.CommitteeID, held.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("activity through another committee: %v", err)
		}
	})
}

// TestDutyActivitiesByOrganizer: a station's managers list their station's
// activities beside those they are invited to, on both engines.
func TestDutyActivitiesByOrganizer(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cid := w.f.Committee.ID
		st := &zhengxie.Station{CommitteeID: cid, Kind: zhengxie.StationLiaison, Name: "西湖委员联络站"}
		start := time.Now()
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			if err := tx.SaveStation(st); err != nil {
				return err
			}
			for _, a := range []*zhengxie.Activity{
				{CommitteeID: cid, Year: start.Year(), Kind: zhengxie.ActivityCommunity, Title: "站里的活动", State: zhengxie.ActivityDraft, StartsAt: start, EndsAt: start, OrganizerKind: zhengxie.OrgStation, OrganizerID: st.ID, CreatedBy: w.f.Office.ID},
				{CommitteeID: cid, Year: start.Year(), Kind: zhengxie.ActivityMeeting, Title: "机关的活动", State: zhengxie.ActivityDraft, StartsAt: start, EndsAt: start, OrganizerKind: "office", CreatedBy: w.f.Office.ID},
			} {
				if err := tx.CreateActivity(a); err != nil {
					return err
				}
			}
			return nil
		}))
		acts, err := w.st.Activities(w.ctx, store.ActivityFilter{CommitteeID: cid, InvitedUser: w.f.Members[0].ID, Organizers: []string{"station:" + strconv.FormatInt(st.ID, 10)}})
		w.must(err)
		if len(acts) != 1 || acts[0].Title != "站里的活动" || acts[0].OrganizerName != "西湖委员联络站" {
			t.Errorf("activities of the station: %+v", acts)
		}
	})
}
