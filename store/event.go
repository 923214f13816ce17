package store

import (
	"context"

	"zhengxie"
)

// AppendEvent chains e onto its committee's log. The committee row holds the
// last sequence number and hash; reading it FOR UPDATE (PostgreSQL) or under
// the single writer (SQLite) makes appends of one committee strictly serial.
func (t *Tx) AppendEvent(e *zhengxie.Event) error {
	var seq int64
	var last string
	if err := t.queryRow(`SELECT event_seq, last_hash FROM committees WHERE id = ?`+t.s.dialect.forUpdate(), e.CommitteeID).Scan(&seq, &last); err != nil {
		return notFound(err, "政协委员会")
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = t.Now()
	}
	// Hash over the stored precision so that verification recomputes the same value.
	e.CreatedAt = tm(ms(e.CreatedAt))
	e.Seal(seq, last)
	id, err := t.insert(`INSERT INTO events (committee_id, seq, proposal_id, task_id, subject_kind, subject_id, actor_id, actor_name, action, from_state, to_state, comment, payload, created_at, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.CommitteeID, e.Seq, e.ProposalID, e.TaskID, e.SubjectKind, e.SubjectID, e.ActorID, e.ActorName, e.Action, e.FromState, e.ToState, e.Comment, e.Payload, ms(e.CreatedAt), e.PrevHash, e.Hash)
	if err != nil {
		return err
	}
	e.ID = id
	_, err = t.exec(`UPDATE committees SET event_seq = ?, last_hash = ? WHERE id = ?`, e.Seq, e.Hash, e.CommitteeID)
	return err
}

const eventCols = `id, committee_id, seq, proposal_id, task_id, subject_kind, subject_id, actor_id, actor_name, action, from_state, to_state, comment, payload, created_at, prev_hash, hash`

func scanEvent(sc scanner) (*zhengxie.Event, error) {
	var e zhengxie.Event
	var at int64
	err := sc.Scan(&e.ID, &e.CommitteeID, &e.Seq, &e.ProposalID, &e.TaskID, &e.SubjectKind, &e.SubjectID, &e.ActorID, &e.ActorName, &e.Action, &e.FromState, &e.ToState, &e.Comment, &e.Payload, &at, &e.PrevHash, &e.Hash)
	e.CreatedAt = tm(at)
	return &e, err
}

// ProposalEvents returns the timeline of one proposal.
func (s *Store) ProposalEvents(ctx context.Context, committeeID, proposalID int64) ([]zhengxie.Event, error) {
	rows, err := s.rd(ctx).query(`SELECT `+eventCols+` FROM events WHERE committee_id = ? AND proposal_id = ? ORDER BY seq`, committeeID, proposalID)
	if err != nil {
		return nil, err
	}
	return collect(rows, deref(scanEvent))
}

// SubjectEvents returns the history of one subject of a module (an
// activity, a matter, a report …), oldest first.
func (s *Store) SubjectEvents(ctx context.Context, committeeID int64, kind string, id int64) ([]zhengxie.Event, error) {
	rows, err := s.rd(ctx).query(`SELECT `+eventCols+` FROM events WHERE committee_id = ? AND subject_kind = ? AND subject_id = ? ORDER BY seq`, committeeID, kind, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, deref(scanEvent))
}

// VerifyResult is the outcome of checking one committee's chain.
type VerifyResult struct {
	CommitteeID int64
	Events      int64
	Break       *zhengxie.ChainBreak
}

// VerifyEvents walks every committee's chain in order and reports the first
// broken link of each.
func (s *Store) VerifyEvents(ctx context.Context) ([]VerifyResult, error) {
	cs, err := s.Committees(ctx)
	if err != nil {
		return nil, err
	}
	var out []VerifyResult
	for _, c := range cs {
		res := VerifyResult{CommitteeID: c.ID}
		var v zhengxie.ChainVerifier
		var lastHash string
		rows, err := s.rd(ctx).query(`SELECT `+eventCols+` FROM events WHERE committee_id = ? ORDER BY seq`, c.ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e, err := scanEvent(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if b := v.Next(e); b != nil {
				res.Break = b
				break
			}
			lastHash = e.Hash
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if res.Break == nil {
			// The committee row must agree with the last event: a deleted tail shows here.
			var seq int64
			var last string
			if err := s.rd(ctx).row(`SELECT event_seq, last_hash FROM committees WHERE id = ?`, c.ID).Scan(&seq, &last); err != nil {
				return nil, err
			}
			switch {
			case seq != v.Count:
				res.Break = &zhengxie.ChainBreak{Seq: v.Count + 1, Reason: "日志末尾的事件缺失（委员会记录的事件数与日志不符）"}
			case last != lastHash:
				// The committee row anchors the chain: a rewritten history
				// with recomputed hashes ends in a different last hash.
				res.Break = &zhengxie.ChainBreak{Seq: v.Count, Reason: "日志的最后哈希与委员会记录的锚点不符（历史被整体改写）"}
			}
		}
		res.Events = v.Count
		out = append(out, res)
	}
	return out, nil
}
