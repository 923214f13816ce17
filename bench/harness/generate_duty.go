package harness

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"zhengxie"
	"zhengxie/store"
)

// genDuty writes the first committee's duty year (履职): held activities
// spread from January to the present, their attendance (mostly signed in,
// some on leave, a few absent), and speeches and deeds recorded by the
// office. Points are not stored: the benchmark recomputes them, as a rule
// change would. Attendance goes in through the duty store's bulk path;
// activities and records are a few thousand single inserts in the same
// transaction. No events: nothing the recomputation, the ranked table or
// the record page reads comes from them, and the chain stays the
// proposals' own.
func genDuty(ctx context.Context, st *store.Store, c *committee, sc Scale, opt GenOptions, stats *GenStats) error {
	if sc.Activities == 0 || len(c.members) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(opt.Seed)^0xd0d0, uint64(c.c.ID)|1))
	loc := zhengxie.ChinaTime()
	// The current session's year, the one Inspect and the scenarios ask for.
	year := c.sessions[len(c.sessions)-1].Year
	jan := time.Date(year, 1, 3, 9, 0, 0, 0, loc)
	// Up to yesterday, so that every activity has been held.
	span := max(opt.Now.Add(-24*time.Hour).Sub(jan), 24*time.Hour)
	per := min(max(sc.Attendance/sc.Activities, 1), len(c.members))
	places := []string{"政协机关会议室", "委员之家", "委员联络站", "区行政服务中心", "街道社区活动中心", "产业园区"}
	return st.InTx(ctx, func(tx *store.Tx) error {
		rows := make([]zhengxie.Attendance, 0, sc.Activities*per)
		for i := 0; i < sc.Activities; i++ {
			start := jan.Add(time.Duration(float64(span) * float64(i) / float64(sc.Activities))).Truncate(time.Hour)
			kind := zhengxie.ActivityKinds[r.IntN(len(zhengxie.ActivityKinds))]
			a := &zhengxie.Activity{CommitteeID: c.c.ID, Year: year, Kind: kind, Title: fmt.Sprintf("%d年第%d次%s", year, i+1, kind.Name()),
				State: zhengxie.ActivityHeld, StartsAt: start, EndsAt: start.Add(time.Duration(1+r.IntN(3)) * time.Hour),
				Place: places[r.IntN(len(places))], OrganizerKind: "office", CreatedBy: c.office.ID, RegisterBy: start.Add(-48 * time.Hour)}
			if err := tx.CreateActivity(a); err != nil {
				return err
			}
			// Invited: a run of members from a random one on, so that no one
			// is invited twice to the same activity.
			first := r.IntN(len(c.members))
			for j := 0; j < per; j++ {
				m := c.members[(first+j)%len(c.members)]
				at := zhengxie.Attendance{CommitteeID: c.c.ID, ActivityID: a.ID, UserID: m.ID, State: zhengxie.AttendSignedIn,
					SignedAt: start.Add(-time.Duration(r.IntN(40)) * time.Minute)}
				switch x := r.IntN(100); {
				case x < 8:
					at.State, at.Reason, at.SignedAt = zhengxie.AttendLeave, "因公出差，无法参加。", time.Time{}
				case x < 12:
					at.State, at.SignedAt = zhengxie.AttendAbsent, time.Time{}
				case x < 15:
					at.ByHand, at.MarkedBy, at.Reason = true, c.office.ID, "手机未能扫码，现场登记。"
				}
				rows = append(rows, at)
			}
		}
		if err := tx.BulkAttendance(rows); err != nil {
			return err
		}
		// Two records a member on average: speeches, reports, deeds.
		records := 0
		for i := 0; i < 2*len(c.members); i++ {
			m := c.members[r.IntN(len(c.members))]
			kind := zhengxie.RecordKinds[r.IntN(len(zhengxie.RecordKinds))]
			on := zhengxie.DateOf(jan.Add(time.Duration(r.Int64N(int64(span)))), loc)
			rec := &zhengxie.DutyRecord{CommitteeID: c.c.ID, Year: year, UserID: m.ID, Kind: kind, Title: fmt.Sprintf("%s：%d年第%d项", kind.Name(), year, i+1),
				Detail: "围绕群众关心的问题开展调研并提出建议。", On: on, CreatedBy: c.office.ID}
			if kind == zhengxie.RecordDeed {
				rec.Beneficiary = "社区居民"
			}
			if err := tx.CreateDutyRecord(rec); err != nil {
				return err
			}
			records++
		}
		stats.Activities += int64(sc.Activities)
		stats.Attendance += int64(len(rows))
		stats.DutyRecords += int64(records)
		stats.Rows += int64(sc.Activities + len(rows) + records)
		return nil
	})
}
