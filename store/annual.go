package store

import (
	"context"
	"database/sql"
)

// AnnualStats are the numbers of a year's work report on proposals (提案工作报告):
// how many were received and accepted, by category and by handling unit,
// how many replies came in time, and how satisfied the proposers were.
// A year is that of the session the proposals were filed in.
type AnnualStats struct {
	CommitteeID int64 // 0: every committee of the deployment
	Year        int
	Received    int // filed (everything but drafts)
	Accepted    int // given an official number (立案)
	ByCategory  []CategoryStats
	ByUnit      []UnitStats
	// Replies of the tasks that answer (lead and separate), and how many of
	// them came on or before the task's deadline.
	Replied, OnTime int
	// Ratings of those replies.
	Satisfied, Basically, Unsatisfied int
}

// OnTimeRate is the share of replies that came in time (0 without replies).
func (a *AnnualStats) OnTimeRate() float64 {
	if a.Replied == 0 {
		return 0
	}
	return float64(a.OnTime) / float64(a.Replied)
}

// SatisfactionRate is the share of rated replies rated 满意 or 基本满意.
func (a *AnnualStats) SatisfactionRate() float64 {
	n := a.Satisfied + a.Basically + a.Unsatisfied
	if n == 0 {
		return 0
	}
	return float64(a.Satisfied+a.Basically) / float64(n)
}

// CategoryStats counts one category's proposals.
type CategoryStats struct {
	Category           string
	Received, Accepted int
}

// UnitStats is one handling unit's year.
type UnitStats struct {
	UnitID   int64
	Unit     string
	Lead, Co int // tasks by kind (分办 counts as lead: it answers alone)
	Replied  int
	OnTime   int
	// Ratings of its replies.
	Satisfied, Basically, Unsatisfied int
}

// onTimeSQL compares a reply's instant with the task's civil deadline in
// China time (UTC+8 all year; the deadline is a date in the committee's
// zone, which is Asia/Shanghai for every committee we serve).
func (s *Store) onTimeSQL() string {
	if s.dialect.name() == "postgres" {
		return `to_char(to_timestamp(t.replied_at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') <= t.due`
	}
	return `strftime('%Y-%m-%d', t.replied_at / 1000, 'unixepoch', '+8 hours') <= t.due`
}

// AnnualStats computes a year's report for a committee, or for all of them
// with committeeID 0, in SQL: two grouped queries, whatever the size.
func (s *Store) AnnualStats(ctx context.Context, committeeID int64, year int) (*AnnualStats, error) {
	out := &AnnualStats{CommitteeID: committeeID, Year: year}
	x := s.rd(ctx)
	cond, args := `s.year = ?`, []any{year}
	if committeeID != 0 {
		cond, args = `s.committee_id = ? AND s.year = ?`, []any{committeeID, year}
	}
	rows, err := x.query(`SELECT p.category, COUNT(*), SUM(CASE WHEN p.number > 0 THEN 1 ELSE 0 END)
		FROM sessions s JOIN proposals p ON p.committee_id = s.committee_id AND p.session_id = s.id
		WHERE `+cond+` AND p.state <> 'draft'
		GROUP BY p.category ORDER BY COUNT(*) DESC, p.category`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c CategoryStats
		if err := rows.Scan(&c.Category, &c.Received, &c.Accepted); err != nil {
			rows.Close()
			return nil, err
		}
		out.Received += c.Received
		out.Accepted += c.Accepted
		out.ByCategory = append(out.ByCategory, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	answers := `t.kind <> 'co'`
	replied := `t.state = 'replied' AND t.replied_at > 0`
	rows, err = x.query(`SELECT t.unit_id, u.name,
			SUM(CASE WHEN `+answers+` THEN 1 ELSE 0 END),
			SUM(CASE WHEN t.kind = 'co' THEN 1 ELSE 0 END),
			SUM(CASE WHEN `+answers+` AND `+replied+` THEN 1 ELSE 0 END),
			SUM(CASE WHEN `+answers+` AND `+replied+` AND `+s.onTimeSQL()+` THEN 1 ELSE 0 END),
			SUM(CASE WHEN `+answers+` AND t.feedback = 'satisfied' THEN 1 ELSE 0 END),
			SUM(CASE WHEN `+answers+` AND t.feedback = 'basically' THEN 1 ELSE 0 END),
			SUM(CASE WHEN `+answers+` AND t.feedback = 'unsatisfied' THEN 1 ELSE 0 END)
		FROM sessions s JOIN proposals p ON p.committee_id = s.committee_id AND p.session_id = s.id
		JOIN tasks t ON t.proposal_id = p.id
		JOIN units u ON u.id = t.unit_id
		WHERE `+cond+` AND t.state <> 'cancelled'
		GROUP BY t.unit_id, u.name ORDER BY t.unit_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var u UnitStats
		if err := rows.Scan(&u.UnitID, &u.Unit, &u.Lead, &u.Co, &u.Replied, &u.OnTime, &u.Satisfied, &u.Basically, &u.Unsatisfied); err != nil {
			return nil, err
		}
		out.Replied += u.Replied
		out.OnTime += u.OnTime
		out.Satisfied += u.Satisfied
		out.Basically += u.Basically
		out.Unsatisfied += u.Unsatisfied
		out.ByUnit = append(out.ByUnit, u)
	}
	return out, rows.Err()
}

// SampleProposalIDs returns up to n ids of a committee's filed proposals
// (only published ones if published), spread evenly over the committee, for
// benchmark requests.
func (s *Store) SampleProposalIDs(ctx context.Context, committeeID int64, published bool, n int) ([]int64, error) {
	cond := `committee_id = ? AND state <> 'draft'`
	if published {
		cond += ` AND published = 1`
	}
	var total int
	if err := s.rd(ctx).row(`SELECT COUNT(*) FROM proposals WHERE `+cond, committeeID).Scan(&total); err != nil {
		return nil, err
	}
	step := max(1, total/max(n, 1))
	rows, err := s.rd(ctx).query(`SELECT id FROM proposals WHERE `+cond+` ORDER BY id`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for i := 0; rows.Next() && len(out) < n; i++ {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if i%step == 0 {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// ProposalTitle reads one proposal's title through the reader pool: the
// smallest read the store can do, for the benchmark's baseline handler.
func (s *Store) ProposalTitle(ctx context.Context, id int64) (string, error) {
	var title string
	err := s.rd(ctx).row(`SELECT title FROM proposals WHERE id = ?`, id).Scan(&title)
	if err == sql.ErrNoRows {
		return "", notFound(err, "提案")
	}
	return title, err
}
