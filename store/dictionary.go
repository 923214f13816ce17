package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// DictWord is a word a committee's admin added to the segmentation
// dictionary.
type DictWord struct {
	ID          int64
	CommitteeID int64
	Word        string
	AddedBy     int64
	CreatedAt   time.Time
}

// States of an index rebuild.
const (
	RebuildPending = "pending"
	RebuildRunning = "running"
	RebuildDone    = "done"
	RebuildFailed  = "failed"
)

// IndexRebuild is one background rebuild of the search index: of one
// committee, or of every committee (CommitteeID 0).
type IndexRebuild struct {
	ID          int64     `json:"id"`
	CommitteeID int64     `json:"-"`
	Reason      string    `json:"reason"`
	State       string    `json:"state"`
	Total       int       `json:"total"`
	Done        int       `json:"done"`
	Error       string    `json:"error,omitempty"`
	RequestedAt time.Time `json:"requested_at"`
	StartedAt   time.Time `json:"started_at,omitzero"`
	FinishedAt  time.Time `json:"finished_at,omitzero"`
}

// AddDictWord stores a word once per committee and reports whether it was new.
func (t *Tx) AddDictWord(committeeID int64, word string, by int64) (bool, error) {
	res, err := t.exec(`INSERT INTO dict_words (committee_id, word, added_by, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (committee_id, word) DO NOTHING`,
		committeeID, word, by, ms(t.Now()))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// DictWords lists a committee's words, newest first; committeeID 0 lists
// every committee's (the segmenter of a server is shared).
func (s *Store) DictWords(ctx context.Context, committeeID int64) ([]DictWord, error) {
	q := `SELECT id, committee_id, word, added_by, created_at FROM dict_words`
	var args []any
	if committeeID != 0 {
		q += ` WHERE committee_id = ?`
		args = append(args, committeeID)
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DictWord
	for rows.Next() {
		var w DictWord
		var created int64
		if err := rows.Scan(&w.ID, &w.CommitteeID, &w.Word, &w.AddedBy, &created); err != nil {
			return nil, err
		}
		w.CreatedAt = tm(created)
		out = append(out, w)
	}
	return out, rows.Err()
}

const rebuildCols = `id, committee_id, reason, state, total, done, error, requested_at, started_at, finished_at`

func scanRebuild(row interface{ Scan(...any) error }) (*IndexRebuild, error) {
	var r IndexRebuild
	var req, start, fin int64
	if err := row.Scan(&r.ID, &r.CommitteeID, &r.Reason, &r.State, &r.Total, &r.Done, &r.Error, &req, &start, &fin); err != nil {
		return nil, err
	}
	r.RequestedAt, r.StartedAt, r.FinishedAt = tm(req), tm(start), tm(fin)
	return &r, nil
}

// CreateRebuild records a requested rebuild.
func (t *Tx) CreateRebuild(r *IndexRebuild) error {
	r.State, r.RequestedAt = RebuildPending, t.Now()
	id, err := t.insert(`INSERT INTO index_rebuilds (committee_id, reason, state, requested_at) VALUES (?, ?, ?, ?)`,
		r.CommitteeID, r.Reason, r.State, ms(r.RequestedAt))
	r.ID = id
	return err
}

// PendingRebuild returns the committee's rebuild that has not started
// yet, or nil.
func (t *Tx) PendingRebuild(committeeID int64) (*IndexRebuild, error) {
	r, err := scanRebuild(t.queryRow(`SELECT `+rebuildCols+` FROM index_rebuilds WHERE committee_id = ? AND state = 'pending' ORDER BY id DESC LIMIT 1`, committeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// Rebuild returns one rebuild.
func (s *Store) Rebuild(ctx context.Context, id int64) (*IndexRebuild, error) {
	r, err := scanRebuild(s.rd(ctx).row(`SELECT `+rebuildCols+` FROM index_rebuilds WHERE id = ?`, id))
	return r, notFound(err, "索引重建任务")
}

// LatestRebuild returns a committee's latest rebuild, or nil when there
// has been none.
func (s *Store) LatestRebuild(ctx context.Context, committeeID int64) (*IndexRebuild, error) {
	r, err := scanRebuild(s.rd(ctx).row(`SELECT `+rebuildCols+` FROM index_rebuilds WHERE committee_id = ? ORDER BY id DESC LIMIT 1`, committeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// RebuildWithReason reports whether a rebuild for reason was ever requested.
func (s *Store) RebuildWithReason(ctx context.Context, reason string) (bool, error) {
	var n int
	err := s.rd(ctx).row(`SELECT COUNT(*) FROM index_rebuilds WHERE reason = ?`, reason).Scan(&n)
	return n > 0, err
}

// SaveRebuildProgress writes a rebuild's state and counts.
func (s *Store) SaveRebuildProgress(ctx context.Context, r *IndexRebuild) error {
	return s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE index_rebuilds SET state = ?, total = ?, done = ?, error = ?, started_at = ?, finished_at = ? WHERE id = ?`,
			r.State, r.Total, r.Done, r.Error, ms(r.StartedAt), ms(r.FinishedAt), r.ID)
		return err
	})
}

// ProposalCount counts a committee's proposals (0: every committee's).
func (s *Store) ProposalCount(ctx context.Context, committeeID int64) (int, error) {
	q, args := `SELECT COUNT(*) FROM proposals`, []any{}
	if committeeID != 0 {
		q += ` WHERE committee_id = ?`
		args = append(args, committeeID)
	}
	var n int
	err := s.rd(ctx).row(q, args...).Scan(&n)
	return n, err
}
