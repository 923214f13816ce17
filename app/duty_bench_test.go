package app_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// The duty benchmarks build one committee's year in bulk and measure the
// recomputation of every member's points (the job a rule change runs), the
// ranked table the office opens and one member's record page. The default
// size runs in seconds; ZHENGXIE_BENCH_DUTY=national builds the national
// committee of the issue (2,200 members, 30,000 proposals, 5,000
// activities, 100,000 attendance rows). ZHENGXIE_BENCH_DB picks PostgreSQL.

type dutyScale struct{ members, proposals, activities, attendance int }

func benchScale() dutyScale {
	if os.Getenv("ZHENGXIE_BENCH_DUTY") == "national" {
		return dutyScale{2200, 30000, 5000, 100000}
	}
	return dutyScale{500, 5000, 800, 20000}
}

type dutyBench struct {
	svc     *app.Service
	cid     int64
	year    int
	office  zhengxie.Actor
	member  int64
	members []int64
}

func newDutyBench(b *testing.B) *dutyBench {
	b.Helper()
	sc := benchScale()
	ctx := context.Background()
	dsn := os.Getenv("ZHENGXIE_BENCH_DB")
	if dsn == "" {
		dsn = testenv.SQLiteDSN(b)
	}
	st := testenv.Open(b, dsn)
	svc := app.New(st, &app.Files{Dir: b.TempDir()}, nil)
	c, se, err := testenv.SeedCommittee(ctx, svc, fmt.Sprintf("bench%d", time.Now().UnixNano()), "政协基准委员会")
	if err != nil {
		b.Fatal(err)
	}
	loc := c.Location()
	year := time.Now().In(loc).Year()
	jan := time.Date(year, 1, 2, 9, 0, 0, 0, loc)
	bl, err := st.NewBulkLoader(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var sectors []int64
	for i := 0; i < 30; i++ {
		se := &zhengxie.Sector{ID: bl.NextID("sectors"), CommitteeID: c.ID, Name: fmt.Sprintf("界别%02d", i)}
		if err := bl.AddSector(se); err != nil {
			b.Fatal(err)
		}
		sectors = append(sectors, se.ID)
	}
	d := &dutyBench{svc: svc, cid: c.ID, year: year}
	office := &zhengxie.User{ID: bl.NextID("users"), CommitteeID: c.ID, Username: fmt.Sprintf("office-%d", c.ID), Name: "办公室", Role: zhengxie.RoleOffice, CreatedAt: jan}
	if err := bl.AddUser(office, "x"); err != nil {
		b.Fatal(err)
	}
	d.office = zhengxie.ActorOf(office)
	for i := 0; i < sc.members; i++ {
		u := &zhengxie.User{ID: bl.NextID("users"), CommitteeID: c.ID, Username: fmt.Sprintf("m%d-%d", c.ID, i), Name: fmt.Sprintf("委员%04d", i),
			Role: zhengxie.RoleMember, SectorID: sectors[i%len(sectors)], CreatedAt: jan}
		if err := bl.AddUser(u, "x"); err != nil {
			b.Fatal(err)
		}
		d.members = append(d.members, u.ID)
	}
	for i := 0; i < sc.proposals; i++ {
		at := jan.Add(time.Duration(i%330) * 24 * time.Hour)
		p := &zhengxie.Proposal{ID: bl.NextID("proposals"), CommitteeID: c.ID, SessionID: se.ID, Title: fmt.Sprintf("关于第%d项工作的建议", i), Kind: zhengxie.KindIndividual,
			ProposerID: d.members[(i*7)%len(d.members)], State: zhengxie.StateUnderReview, SubmittedAt: at, CreatedAt: at, UpdatedAt: at, Key: i%97 == 0}
		if i%3 != 0 {
			p.State, p.Number, p.AcceptedAt = zhengxie.StateAccepted, i+1, at.Add(72*time.Hour)
		}
		if err := bl.AddProposal(p); err != nil {
			b.Fatal(err)
		}
	}
	if err := bl.Close(); err != nil {
		b.Fatal(err)
	}
	per := max(sc.attendance/sc.activities, 1)
	err = st.InTx(ctx, func(tx *store.Tx) error {
		var rows []zhengxie.Attendance
		for i := 0; i < sc.activities; i++ {
			start := jan.Add(time.Duration(i) * (330 * 24 * time.Hour / time.Duration(sc.activities)))
			act := &zhengxie.Activity{CommitteeID: c.ID, Year: year, Kind: zhengxie.ActivityKinds[i%len(zhengxie.ActivityKinds)], Title: fmt.Sprintf("活动%d", i),
				State: zhengxie.ActivityHeld, StartsAt: start, EndsAt: start.Add(2 * time.Hour), OrganizerKind: "office", CreatedBy: office.ID}
			if err := tx.CreateActivity(act); err != nil {
				return err
			}
			for j := 0; j < per; j++ {
				state := zhengxie.AttendSignedIn
				switch (i + j) % 10 {
				case 0:
					state = zhengxie.AttendLeave
				case 1:
					state = zhengxie.AttendInvited
				}
				rows = append(rows, zhengxie.Attendance{CommitteeID: c.ID, ActivityID: act.ID, UserID: d.members[(i*per+j)%len(d.members)], State: state})
			}
		}
		if err := tx.BulkAttendance(rows); err != nil {
			return err
		}
		for i, m := range d.members {
			if err := tx.CreateDutyRecord(&zhengxie.DutyRecord{CommitteeID: c.ID, Year: year, UserID: m, Kind: zhengxie.RecordKinds[i%len(zhengxie.RecordKinds)],
				Title: "履职记录", On: zhengxie.DateOf(jan.AddDate(0, 0, i%300), loc), CreatedBy: office.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	d.member = d.members[len(d.members)/2]
	b.Logf("committee of %d members, %d proposals, %d activities, %d attendance rows on %s", sc.members, sc.proposals, sc.activities, sc.activities*per, st.Engine())
	return d
}

func BenchmarkDutyRecomputeYear(b *testing.B) {
	d := newDutyBench(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		n, err := d.svc.RecomputeYear(ctx, d.cid, d.year, nil)
		if err != nil || n != len(d.members) {
			b.Fatalf("recomputed %d members: %v", n, err)
		}
	}
}

func BenchmarkDutyRanking(b *testing.B) {
	d := newDutyBench(b)
	ctx := context.Background()
	if _, err := d.svc.RecomputeYear(ctx, d.cid, d.year, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rk, err := d.svc.Ranking(ctx, d.office, store.ProfileFilter{}, d.year)
		if err != nil || len(rk.Rows) != len(d.members) {
			b.Fatalf("ranking: %v", err)
		}
	}
}

func BenchmarkDutyMemberRecord(b *testing.B) {
	d := newDutyBench(b)
	ctx := context.Background()
	if _, err := d.svc.RecomputeYear(ctx, d.cid, d.year, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		m, err := d.svc.MemberYear(ctx, d.office, d.member, d.year)
		if err != nil || m.Rank == 0 {
			b.Fatalf("record: %v", err)
		}
	}
}
