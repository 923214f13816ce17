package store

import (
	"context"
	"fmt"

	"zhengxie"
)

// The statistics pages group one committee's proposals (and their units'
// tasks) along one dimension at a time. Every query is a single GROUP BY
// within the committee, whatever the number of proposals, and counts with
// the same definitions as AnnualStats (filed = not a draft, accepted = has
// an official number, answering tasks = lead and separate, on time by the
// task's civil deadline), so that the page and the annual report agree.

// StatCount is one group of proposals.
type StatCount struct {
	Key      string // the group's filter value: category name, session id, state…
	Label    string
	Received int // filed
	Accepted int // given a number (立案)
}

// TaskStat is one group of tasks (a unit, a result class, or everything).
type TaskStat struct {
	Key, Label     string
	Lead, Co       int // live tasks by kind (分办 counts as lead)
	Replied        int // answering tasks replied
	OnTime         int // of those, on or before the deadline
	Overdue        int // answering tasks not replied and past the deadline
	Satisfied      int
	Basically      int
	Unsatisfied    int
	Rehandled      int // answering tasks sent back for re-handling
	Contacted      int // answering tasks whose unit contacted the proposer
	ResultA        int
	ResultB        int
	ResultC        int
	RatedOrReplied int // replied answering tasks plus rated ones, the rehandling base
}

// OnTimeRate is the share of replies in time.
func (t TaskStat) OnTimeRate() float64 { return zhengxie.Rate(t.OnTime, t.Replied) }

// SatisfactionRate is the share of ratings 满意 or 基本满意.
func (t TaskStat) SatisfactionRate() float64 {
	return zhengxie.Rate(t.Satisfied+t.Basically, t.Satisfied+t.Basically+t.Unsatisfied)
}

// Rated counts the ratings.
func (t TaskStat) Rated() int { return t.Satisfied + t.Basically + t.Unsatisfied }

// statsWhere is the scope as conditions on proposals p.
func statsWhere(sc zhengxie.StatsScope) (string, []any) {
	w := `p.committee_id = ? AND p.state <> 'draft'`
	args := []any{sc.CommitteeID}
	if sc.SessionID != 0 {
		w += ` AND p.session_id = ?`
		args = append(args, sc.SessionID)
	}
	if sc.Year != 0 {
		w += ` AND p.session_id IN (SELECT id FROM sessions WHERE committee_id = ? AND year = ?)`
		args = append(args, sc.CommitteeID, sc.Year)
	}
	if !sc.Since.IsZero() {
		w += ` AND p.submitted_at >= ?`
		args = append(args, sc.Since.UnixMilli())
	}
	if !sc.Until.IsZero() {
		w += ` AND p.submitted_at > 0 AND p.submitted_at < ?`
		args = append(args, sc.Until.UnixMilli())
	}
	if sc.Public {
		w += ` AND p.published = 1`
	}
	return w, args
}

// Proposal dimensions: the key and label expressions and the joins they need.
var proposalDims = map[string]struct{ key, label, join, order string }{
	"session":  {"CAST(p.session_id AS TEXT)", "se.name", "JOIN sessions se ON se.id = p.session_id", "MIN(se.year), MIN(se.term), MIN(se.number)"},
	"year":     {"CAST(se.year AS TEXT)", "CAST(se.year AS TEXT)", "JOIN sessions se ON se.id = p.session_id", "1"},
	"category": {"p.category", "p.category", "", "COUNT(*) DESC, 1"},
	"kind":     {"p.kind", "p.kind", "", "1"},
	"state":    {"p.state", "p.state", "", "1"},
	"key":      {"CAST(p.is_key AS TEXT)", "CAST(p.is_key AS TEXT)", "", "1 DESC"},
	"sector": {"CAST(COALESCE(sec.id, 0) AS TEXT)", "COALESCE(sec.name, '')",
		"LEFT JOIN users pu ON pu.id = p.proposer_id LEFT JOIN sectors sec ON sec.id = pu.sector_id AND sec.committee_id = p.committee_id",
		"COUNT(*) DESC, 1"},
}

// ProposalCounts groups the scope's proposals by dim: session, year (of the session), category,
// kind, state, key (重点提案 or not) or sector (the proposing member's 界别;
// key "0" for proposals without one, such as those of a body).
func (s *Store) ProposalCounts(ctx context.Context, sc zhengxie.StatsScope, dim string) ([]StatCount, error) {
	d, ok := proposalDims[dim]
	if !ok {
		return nil, fmt.Errorf("store: unknown statistics dimension %q", dim)
	}
	where, args := statsWhere(sc)
	rows, err := s.rd(ctx).query(`SELECT `+d.key+`, MIN(`+d.label+`), COUNT(*), SUM(CASE WHEN p.number > 0 THEN 1 ELSE 0 END)
		FROM proposals p `+d.join+` WHERE `+where+` GROUP BY `+d.key+` ORDER BY `+d.order, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatCount
	for rows.Next() {
		var c StatCount
		if err := rows.Scan(&c.Key, &c.Label, &c.Received, &c.Accepted); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Task dimensions.
var taskDims = map[string]struct{ key, label, join string }{
	"unit":   {"CAST(t.unit_id AS TEXT)", "u.name", "JOIN units u ON u.id = t.unit_id"},
	"result": {"t.result_class", "t.result_class", ""},
	"all":    {"CAST(p.committee_id AS TEXT)", "CAST(p.committee_id AS TEXT)", ""}, // one row (the scope is one committee)
}

// TaskStats groups the live tasks of the scope's proposals by dim: unit,
// result (the reply's result class) or all (one row).
func (s *Store) TaskStats(ctx context.Context, sc zhengxie.StatsScope, dim string, today string) ([]TaskStat, error) {
	d, ok := taskDims[dim]
	if !ok {
		return nil, fmt.Errorf("store: unknown statistics dimension %q", dim)
	}
	where, args := statsWhere(sc)
	ans := `t.kind <> 'co'`
	replied := `t.state = 'replied' AND t.replied_at > 0`
	sum := func(cond string) string { return `SUM(CASE WHEN ` + cond + ` THEN 1 ELSE 0 END)` }
	q := `SELECT ` + d.key + `, MIN(` + d.label + `), ` +
		sum(ans) + `, ` + sum(`t.kind = 'co'`) + `, ` +
		sum(ans+` AND `+replied) + `, ` + sum(ans+` AND `+replied+` AND `+s.onTimeSQL()) + `, ` +
		sum(ans+` AND t.state <> 'replied' AND t.due < ?`) + `, ` +
		sum(ans+` AND t.feedback = 'satisfied'`) + `, ` + sum(ans+` AND t.feedback = 'basically'`) + `, ` + sum(ans+` AND t.feedback = 'unsatisfied'`) + `, ` +
		sum(ans+` AND t.rehandled = 1`) + `, ` + sum(ans+` AND t.contacted = 1`) + `, ` +
		sum(ans+` AND t.result_class = 'A'`) + `, ` + sum(ans+` AND t.result_class = 'B'`) + `, ` + sum(ans+` AND t.result_class = 'C'`) + `, ` +
		sum(ans+` AND (t.feedback <> '' OR t.rehandled = 1)`) + `
		FROM proposals p JOIN tasks t ON t.proposal_id = p.id ` + d.join + `
		WHERE ` + where + ` AND t.committee_id = ? AND t.state <> 'cancelled'
		GROUP BY ` + d.key + ` ORDER BY 1`
	args = append([]any{today}, args...)
	args = append(args, sc.CommitteeID)
	rows, err := s.rd(ctx).query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TaskStat
	for rows.Next() {
		var t TaskStat
		if err := rows.Scan(&t.Key, &t.Label, &t.Lead, &t.Co, &t.Replied, &t.OnTime, &t.Overdue, &t.Satisfied, &t.Basically, &t.Unsatisfied,
			&t.Rehandled, &t.Contacted, &t.ResultA, &t.ResultB, &t.ResultC, &t.RatedOrReplied); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// KeyStat is one key proposal (重点提案) as the statistics list it.
type KeyStat struct {
	ID        int64
	Number    int
	Title     string
	Proposer  string
	State     zhengxie.State
	Cosigners int // confirmed co-signers
}

// KeyProposalStats lists up to limit key proposals of the scope, those with
// the most confirmed co-signers first (the most widely backed), and counts
// them all.
func (s *Store) KeyProposalStats(ctx context.Context, sc zhengxie.StatsScope, limit int) ([]KeyStat, int, error) {
	where, args := statsWhere(sc)
	where += ` AND p.is_key = 1`
	x := s.rd(ctx)
	var total int
	if err := x.row(`SELECT COUNT(*) FROM proposals p WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := x.query(`SELECT p.id, p.number, p.title, CASE WHEN p.kind = 'body' AND p.body_name <> '' THEN p.body_name ELSE p.proposer_name END, p.state,
			(SELECT COUNT(*) FROM cosigners c WHERE c.proposal_id = p.id AND c.status = 'confirmed') AS n
		FROM proposals p WHERE `+where+` ORDER BY n DESC, p.number, p.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []KeyStat
	for rows.Next() {
		var k KeyStat
		if err := rows.Scan(&k.ID, &k.Number, &k.Title, &k.Proposer, &k.State, &k.Cosigners); err != nil {
			return nil, 0, err
		}
		out = append(out, k)
	}
	return out, total, rows.Err()
}

// SessionYear is the year of a session of the committee (0 if unknown).
func (s *Store) SessionYear(ctx context.Context, committeeID, sessionID int64) (int, error) {
	var y int
	err := s.rd(ctx).row(`SELECT year FROM sessions WHERE committee_id = ? AND id = ?`, committeeID, sessionID).Scan(&y)
	return y, notFound(err, "会议")
}
