package harness

import (
	"context"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestGenerate generates a small corpus on each engine and checks what the
// benchmark relies on: every state present, a valid hash chain per
// committee, gap-free numbers matching the counters, and the corpus found
// again by Inspect.
func TestGenerate(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := testenv.Open(t, dsn)
		sc, _ := ScaleByName("tiny")
		now := time.Date(2026, 11, 20, 10, 0, 0, 0, zhengxie.ChinaTime())
		stats, err := Generate(ctx, st, sc, GenOptions{Seed: 1, Quiet: true, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if stats.Proposals != int64(sc.Proposals) || stats.Events < stats.Proposals || stats.Tasks == 0 || stats.Cosigners == 0 {
			t.Fatalf("stats: %v", stats)
		}
		res, err := st.VerifyEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != sc.Committees {
			t.Fatalf("%d chains, want %d", len(res), sc.Committees)
		}
		var events int64
		for _, r := range res {
			if r.Break != nil {
				t.Fatalf("committee %d: chain broken at %d: %s", r.CommitteeID, r.Break.Seq, r.Break.Reason)
			}
			events += r.Events
		}
		if events != stats.Events {
			t.Fatalf("chains hold %d events, generated %d", events, stats.Events)
		}
		db := st.DB()
		// Numbers: 1..n per committee and session, n the counter.
		rows, err := db.Query(`SELECT p.committee_id, p.session_id, COUNT(*), MIN(p.number), MAX(p.number), c.last
			FROM proposals p JOIN number_counters c ON c.committee_id = p.committee_id AND c.session_id = p.session_id
			WHERE p.number > 0 GROUP BY p.committee_id, p.session_id, c.last`)
		if err != nil {
			t.Fatal(err)
		}
		groups := 0
		for rows.Next() {
			var cid, sid, n, lo, hi, last int64
			if err := rows.Scan(&cid, &sid, &n, &lo, &hi, &last); err != nil {
				t.Fatal(err)
			}
			if lo != 1 || hi != n || last != n {
				t.Errorf("committee %d session %d: %d numbers from %d to %d, counter %d", cid, sid, n, lo, hi, last)
			}
			groups++
		}
		rows.Close()
		if groups != sc.Committees*sc.Years {
			t.Errorf("%d numbered sessions, want %d", groups, sc.Committees*sc.Years)
		}
		states := map[string]int{}
		rows, err = db.Query(`SELECT state, COUNT(*) FROM proposals GROUP BY state`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			var n int
			rows.Scan(&s, &n)
			states[s] = n
		}
		rows.Close()
		for _, s := range []zhengxie.State{zhengxie.StateDraft, zhengxie.StateUnderReview, zhengxie.StateHandling, zhengxie.StateReplied,
			zhengxie.StateConcluded, zhengxie.StateArchived, zhengxie.StateRejected, zhengxie.StateConverted} {
			if states[string(s)] == 0 {
				t.Errorf("no proposal in state %s: %v", s, states)
			}
		}
		// The full-text index finds a title word.
		info, err := Inspect(ctx, st, sc)
		if err != nil {
			t.Fatal(err)
		}
		if len(info.DetailIDs) == 0 || len(info.PublishedIDs) == 0 || len(info.Units) == 0 {
			t.Fatalf("inspect: %+v", info)
		}
		p, err := st.Proposal(ctx, info.Committee.ID, info.DetailIDs[0])
		if err != nil {
			t.Fatal(err)
		}
		// A new event chains onto the loaded ones.
		err = st.InTx(ctx, func(tx *store.Tx) error {
			return tx.AppendEvent(&zhengxie.Event{CommitteeID: p.CommitteeID, ProposalID: p.ID, Action: "bench_check"})
		})
		if err != nil {
			t.Fatal(err)
		}
		if res, err := st.VerifyEvents(ctx); err != nil || res[0].Break != nil {
			t.Fatalf("after append: %v %+v", err, res[0].Break)
		}
		// Annual statistics agree with a count by hand.
		year := now.Year()
		a, err := st.AnnualStats(ctx, info.Committee.ID, year)
		if err != nil {
			t.Fatal(err)
		}
		var received, accepted int
		q := `SELECT COUNT(*), SUM(CASE WHEN p.number > 0 THEN 1 ELSE 0 END) FROM proposals p JOIN sessions s ON s.id = p.session_id
			WHERE p.committee_id = $1 AND s.year = $2 AND p.state <> 'draft'`
		if st.Engine() == "sqlite" {
			q = strings.NewReplacer("$1", "?", "$2", "?").Replace(q)
		}
		if err := db.QueryRow(q, info.Committee.ID, year).Scan(&received, &accepted); err != nil {
			t.Fatal(err)
		}
		if a.Received != received || a.Accepted != accepted || received == 0 {
			t.Errorf("annual: received %d accepted %d, by hand %d %d", a.Received, a.Accepted, received, accepted)
		}
		if a.Replied == 0 || a.OnTime == 0 || a.OnTime > a.Replied || a.SatisfactionRate() <= 0.5 || len(a.ByUnit) == 0 {
			t.Errorf("annual: %+v", a)
		}
		// The duty year: every attendance row counted in the recomputed
		// scores, every member of the committee ranked.
		if stats.Activities != int64(sc.Activities) || stats.Attendance != int64(sc.Attendance) || stats.DutyRecords == 0 {
			t.Fatalf("duty stats: %v", stats)
		}
		if info.DutyActivities != sc.Activities || info.DutyAttendance != sc.Attendance {
			t.Fatalf("inspect found %d activities and %d attendance rows", info.DutyActivities, info.DutyAttendance)
		}
		svc := app.New(st, &app.Files{Dir: t.TempDir()}, nil)
		n, err := svc.RecomputeYear(ctx, info.Committee.ID, year, nil)
		if err != nil || n != sc.Members {
			t.Fatalf("recomputed %d members: %v", n, err)
		}
		scores, err := st.DutyScores(ctx, store.ProfileFilter{CommitteeID: info.Committee.ID}, year)
		if err != nil {
			t.Fatal(err)
		}
		var invited, attended, leaves, points int
		for _, r := range scores {
			invited += r.Invited
			attended += r.Attended
			leaves += r.Leaves
			points += r.Points
		}
		if len(scores) != sc.Members || invited != sc.Attendance || attended == 0 || leaves == 0 || attended+leaves >= invited || points <= 0 {
			t.Errorf("scores of %d members: invited %d, attended %d, leaves %d, points %d", len(scores), invited, attended, leaves, points)
		}
		all, err := st.AnnualStats(ctx, 0, year)
		if err != nil {
			t.Fatal(err)
		}
		if all.Received <= a.Received {
			t.Errorf("all committees received %d, one %d", all.Received, a.Received)
		}
	})
}
