package store

import (
	"strings"

	"zhengxie"
)

// BulkAttendance inserts attendance rows many at a time (benchmarks and
// the load harness build committees of 100,000 rows).
func (t *Tx) BulkAttendance(rows []zhengxie.Attendance) error {
	const per = 500
	now := ms(t.Now())
	for i := 0; i < len(rows); i += per {
		end := min(i+per, len(rows))
		var b strings.Builder
		b.WriteString(`INSERT INTO attendance (committee_id, activity_id, user_id, state, reason, by_hand, marked_by, signed_at, updated_at) VALUES `)
		args := make([]any, 0, (end-i)*9)
		for j, r := range rows[i:end] {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, r.CommitteeID, r.ActivityID, r.UserID, string(r.State), r.Reason, b2i(r.ByHand), r.MarkedBy, ms(r.SignedAt), now)
		}
		if _, err := t.exec(b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// dutyTableOrder is the natural key of the duty tables that have no id
// column, for the committee export (and the sequences it resets).
var dutyTableOrder = map[string]string{
	"member_profiles": "user_id",
	"org_members":     "org_kind, org_id, user_id",
	"attendance":      "activity_id, user_id",
	"activity_links":  "activity_id, ref_kind, ref_id",
	"duty_rules":      "year",
	"duty_scores":     "year, user_id",
	"duty_runs":       "year",
}
