package store

import (
	"context"
	"database/sql"
	"time"

	"zhengxie"
)

// ---------- evaluation ----------

// UnitTally is what the evaluation counts for one unit and one year; the
// rates and the score are the domain's (zhengxie.ScoreUnit).
type UnitTally struct {
	UnitID   int64
	UnitName string
	zhengxie.EvalCounts
	zhengxie.EvalScore
}

// UnitTallies counts, for every unit of a committee, its tasks assigned in
// [from, to) as of the civil date today, in one SQL statement. tzOffset is
// the committee's UTC offset in seconds, to turn reply times into civil
// dates. Units come in id order.
func (s *Store) UnitTallies(ctx context.Context, committeeID int64, from, to time.Time, today string, tzOffset int) ([]UnitTally, error) {
	var repliedDate string
	if s.dialect.name() == "postgres" {
		repliedDate = `to_char(to_timestamp(t.replied_at / 1000.0 + ?) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
	} else {
		repliedDate = `date(t.replied_at / 1000 + ?, 'unixepoch')`
	}
	query := `SELECT u.id, u.name,
		COUNT(t.id),
		SUM(CASE WHEN t.state = 'replied' OR (t.state IN ('pending', 'accepted', 'contacted') AND t.due < ?) THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.state = 'replied' AND ` + repliedDate + ` <= t.due THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.state = 'replied' AND t.kind <> 'co' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.state = 'replied' AND t.kind <> 'co' AND t.contacted = 1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback = 'satisfied' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback = 'basically' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback = 'unsatisfied' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.return_reason <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.rehandled = 1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback <> '' OR t.rehandled = 1 THEN 1 ELSE 0 END)
		FROM units u LEFT JOIN tasks t ON t.unit_id = u.id AND t.committee_id = u.committee_id AND t.assigned_at >= ? AND t.assigned_at < ?
		WHERE u.committee_id = ? GROUP BY u.id, u.name ORDER BY u.id`
	rows, err := s.rd(ctx).query(query, today, tzOffset, ms(from), ms(to), committeeID)
	return collectQuery(rows, err, func(sc scanner) (UnitTally, error) {
		var u UnitTally
		var n [12]sql.NullInt64
		dest := []any{&u.UnitID, &u.UnitName}
		for i := range n {
			dest = append(dest, &n[i])
		}
		err := sc.Scan(dest...)
		c := &u.EvalCounts
		for i, p := range []*int{&c.Assigned, &c.Due, &c.OnTime, &c.Replied, &c.Contacted, &c.Rated, &c.Satisfied, &c.Basically,
			&c.Unsatisfied, &c.Returned, &c.Rehandled, &c.RehandleBase} {
			*p = int(n[i].Int64)
		}
		return u, err
	})
}

// UnitTasks lists a unit's tasks assigned in [from, to), for the breakdown
// behind a unit's evaluation.
func (s *Store) UnitTasks(ctx context.Context, committeeID, unitID int64, from, to time.Time) ([]TaskRow, error) {
	rows, err := s.rd(ctx).query(`SELECT `+taskCols+`, p.title, p.number, p.proposer_name`+taskFrom+` JOIN proposals p ON p.id = t.proposal_id
		WHERE t.committee_id = ? AND t.unit_id = ? AND t.assigned_at >= ? AND t.assigned_at < ? ORDER BY p.number, t.id`, committeeID, unitID, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	return collectTaskRows(rows)
}

// AlertCount counts the alerts of one kind about one deadline of a task.
func (t *Tx) AlertCount(taskID int64, kind, due string) (int, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM task_alerts WHERE task_id = ? AND kind = ? AND due = ?`, taskID, kind, due).Scan(&n)
	return n, err
}
