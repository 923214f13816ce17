package store

import (
	"context"
	"time"

	"zhengxie"
)

// ---------- extensions ----------

// Extension states, untyped so that filters read from a query string take
// them too; the states and their transitions are the domain's
// (zhengxie.ExtensionTable).
const (
	ExtPending  = "pending"  // = zhengxie.ExtPending
	ExtApproved = "approved" // = zhengxie.ExtApproved
	ExtRefused  = "refused"  // = zhengxie.ExtRefused
)

// Extension is a unit's request for a later deadline (申请延期).
type Extension struct {
	ID              int64
	CommitteeID     int64
	TaskID          int64
	ProposalID      int64
	UnitID          int64
	UnitName        string
	Title           string // the proposal's
	Number          int
	RequestedBy     int64
	RequestedByName string
	Reason          string
	OldDue          string
	NewDue          string
	State           zhengxie.ExtState
	DecidedBy       int64
	DecidedByName   string
	DecisionNote    string
	CreatedAt       time.Time
	DecidedAt       time.Time
}

// StateName is the Chinese name of the request's state.
func (e *Extension) StateName() string { return e.State.Name() }

const extCols = `e.id, e.committee_id, e.task_id, e.proposal_id, e.unit_id, u.name, p.title, p.number, e.requested_by, e.requested_by_name,
	e.reason, e.old_due, e.new_due, e.state, e.decided_by, e.decided_by_name, e.decision_note, e.created_at, e.decided_at`

const extFrom = ` FROM extensions e JOIN units u ON u.id = e.unit_id JOIN proposals p ON p.id = e.proposal_id`

func scanExt(sc scanner) (*Extension, error) {
	var e Extension
	var created, decided int64
	err := sc.Scan(&e.ID, &e.CommitteeID, &e.TaskID, &e.ProposalID, &e.UnitID, &e.UnitName, &e.Title, &e.Number, &e.RequestedBy, &e.RequestedByName,
		&e.Reason, &e.OldDue, &e.NewDue, &e.State, &e.DecidedBy, &e.DecidedByName, &e.DecisionNote, &created, &decided)
	e.CreatedAt, e.DecidedAt = tm(created), tm(decided)
	return &e, err
}

// CreateExtension stores a new request. A second pending request for the
// same task is a conflict (a unique index allows one).
func (t *Tx) CreateExtension(e *Extension) error {
	e.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO extensions (committee_id, task_id, proposal_id, unit_id, requested_by, requested_by_name, reason, old_due, new_due, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.CommitteeID, e.TaskID, e.ProposalID, e.UnitID, e.RequestedBy, e.RequestedByName, e.Reason, e.OldDue, e.NewDue, string(e.State), ms(e.CreatedAt))
	if err != nil {
		return t.s.dialect.translate(err)
	}
	e.ID = id
	return nil
}

// LockExtension reads a request for decision.
func (t *Tx) LockExtension(committeeID, id int64) (*Extension, error) {
	e, err := scanExt(t.rd().row(`SELECT `+extCols+extFrom+` WHERE e.committee_id = ? AND e.id = ?`, committeeID, id))
	return e, notFound(err, "延期申请")
}

// DecideExtension stores the office's decision.
func (t *Tx) DecideExtension(e *Extension) error {
	e.DecidedAt = t.Now()
	_, err := t.exec(`UPDATE extensions SET state = ?, decided_by = ?, decided_by_name = ?, decision_note = ?, decided_at = ? WHERE id = ? AND committee_id = ?`,
		e.State, e.DecidedBy, e.DecidedByName, e.DecisionNote, ms(e.DecidedAt), e.ID, e.CommitteeID)
	return err
}

// ExtensionFilter selects requests.
type ExtensionFilter struct {
	CommitteeID int64
	TaskID      int64
	UnitID      int64
	State       string
	Limit       int
}

// Extensions lists requests, newest first.
func (s *Store) Extensions(ctx context.Context, f ExtensionFilter) ([]Extension, error) {
	q := `SELECT ` + extCols + extFrom + ` WHERE e.committee_id = ?`
	args := []any{f.CommitteeID}
	if f.TaskID != 0 {
		q += ` AND e.task_id = ?`
		args = append(args, f.TaskID)
	}
	if f.UnitID != 0 {
		q += ` AND e.unit_id = ?`
		args = append(args, f.UnitID)
	}
	if f.State != "" {
		q += ` AND e.state = ?`
		args = append(args, f.State)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY e.id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, deref(scanExt))
}
