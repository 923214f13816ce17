package store

import (
	"context"
	"strings"
	"time"

	"zhengxie"
)

// Exports read their rows one at a time from the database and hand each to
// the writer, so that an export of 30,000 proposals holds one row in
// memory, not 30,000.

// ExportProposal is one line of a proposal export: what a list shows, not
// the body.
type ExportProposal struct {
	ID          int64
	Session     string
	Number      int
	Title       string
	Category    string
	Kind        string
	Proposer    string
	State       zhengxie.State
	Key         bool
	Published   bool
	SubmittedAt time.Time
	AcceptedAt  time.Time
	ConcludedAt time.Time
	PublishedAt time.Time
	Units       string // lead and separate units, "、"-separated
}

// EachProposal calls fn for every proposal f selects (its limit and offset
// are ignored), newest first, with the visibility rules of lists.
func (s *Store) EachProposal(ctx context.Context, f ProposalFilter, fn func(*ExportProposal) error) error {
	where, args := f.where()
	units := `(SELECT string_agg(u.name, '、' ORDER BY t.id) FROM tasks t JOIN units u ON u.id = t.unit_id WHERE t.proposal_id = p.id AND t.state <> 'cancelled' AND t.kind <> 'co')`
	if s.dialect.name() != "postgres" {
		units = `(SELECT group_concat(name, '、') FROM (SELECT u.name FROM tasks t JOIN units u ON u.id = t.unit_id WHERE t.proposal_id = p.id AND t.state <> 'cancelled' AND t.kind <> 'co' ORDER BY t.id))`
	}
	rows, err := s.rd(ctx).query(`SELECT p.id, COALESCE(se.name, ''), p.number, p.title, p.category, p.kind,
			CASE WHEN p.kind = 'body' AND p.body_name <> '' THEN p.body_name ELSE p.proposer_name END,
			p.state, p.is_key, p.published, p.submitted_at, p.accepted_at, p.concluded_at, p.published_at, COALESCE(`+units+`, '')
		FROM proposals p LEFT JOIN sessions se ON se.id = p.session_id WHERE `+where+` ORDER BY p.id DESC`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var e ExportProposal
	for rows.Next() {
		var sub, acc, con, pub int64
		if err := rows.Scan(&e.ID, &e.Session, &e.Number, &e.Title, &e.Category, &e.Kind, &e.Proposer, &e.State, &e.Key, &e.Published,
			&sub, &acc, &con, &pub, &e.Units); err != nil {
			return err
		}
		e.SubmittedAt, e.AcceptedAt, e.ConcludedAt, e.PublishedAt = tm(sub), tm(acc), tm(con), tm(pub)
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachTaskRow calls fn for every task f selects (no limit), by deadline.
func (s *Store) EachTaskRow(ctx context.Context, f TaskFilter, fn func(*TaskRow) error) error {
	where := `t.committee_id = ?`
	args := []any{f.CommitteeID}
	if f.UnitID != 0 {
		where += ` AND t.unit_id = ?`
		args = append(args, f.UnitID)
	}
	if len(f.States) > 0 {
		where += ` AND t.state IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(f.States)), ", ") + `)`
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.DueBefore != "" {
		where += ` AND t.due < ?`
		args = append(args, f.DueBefore)
	}
	rows, err := s.rd(ctx).query(`SELECT `+taskCols+`, p.title, p.number, p.proposer_name`+taskFrom+` JOIN proposals p ON p.id = t.proposal_id
		WHERE `+where+` ORDER BY t.due, t.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r TaskRow
	for rows.Next() {
		var assigned, replied, fb int64
		k := &r.Task
		// One scan destination for task rows (taskDest), plus the proposal's columns.
		if err := rows.Scan(append(taskDest(k, &assigned, &replied, &fb), &r.Title, &r.Number, &r.Proposer)...); err != nil {
			return err
		}
		k.AssignedAt, k.RepliedAt, k.FeedbackAt = tm(assigned), tm(replied), tm(fb)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PublishedVersion says how many proposals of a committee are published
// and when the last of them changed: the validator of open data and feeds
// (a new, changed or withdrawn publication changes one or the other).
func (s *Store) PublishedVersion(ctx context.Context, committeeID int64) (int, time.Time, error) {
	var n int
	var last int64
	err := s.rd(ctx).row(`SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM proposals WHERE committee_id = ? AND published = 1`, committeeID).Scan(&n, &last)
	return n, tm(last), err
}
