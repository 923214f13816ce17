package store

import (
	"context"
	"time"

	"zhengxie"
)

// ---------- key proposals ----------

// Key proposal states, untyped for filters; the states and their
// transitions are the domain's (zhengxie.KeyTable).
const (
	KeyProposed = "proposed" // = zhengxie.KeyProposed
	KeyApproved = "approved" // = zhengxie.KeyApproved
	KeyRefused  = "refused"  // = zhengxie.KeyRefused
)

// KeyProposal is a proposal under supervision as a 重点提案.
type KeyProposal struct {
	ID           int64
	CommitteeID  int64
	ProposalID   int64
	State        zhengxie.KeyState
	Reason       string // why the office proposes it
	LeaderID     int64
	LeaderName   string
	ProposedBy   int64
	ProposedAt   time.Time
	DecidedBy    int64
	DecidedAt    time.Time
	DecisionNote string
	// from the proposal
	Title         string
	Number        int
	ProposalState zhengxie.State
	Proposer      string
}

// StateName is the Chinese name of the key proposal's state.
func (k *KeyProposal) StateName() string { return k.State.Name() }

const keyCols = `k.id, k.committee_id, k.proposal_id, k.state, k.reason, k.leader_id, COALESCE(l.name, ''), k.proposed_by, k.proposed_at,
	k.decided_by, k.decided_at, k.decision_note, p.title, p.number, p.state, p.proposer_name`

const keyFrom = ` FROM key_proposals k JOIN proposals p ON p.id = k.proposal_id LEFT JOIN users l ON l.id = k.leader_id`

func scanKey(sc scanner) (*KeyProposal, error) {
	var k KeyProposal
	var proposed, decided int64
	err := sc.Scan(&k.ID, &k.CommitteeID, &k.ProposalID, &k.State, &k.Reason, &k.LeaderID, &k.LeaderName, &k.ProposedBy, &proposed,
		&k.DecidedBy, &decided, &k.DecisionNote, &k.Title, &k.Number, &k.ProposalState, &k.Proposer)
	k.ProposedAt, k.DecidedAt = tm(proposed), tm(decided)
	return &k, err
}

// CreateKeyProposal stores the office's proposal to supervise a proposal as
// a key one; a proposal is proposed at most once (conflict otherwise).
func (t *Tx) CreateKeyProposal(k *KeyProposal) error {
	now := t.Now()
	k.ProposedAt = now
	id, err := t.insert(`INSERT INTO key_proposals (committee_id, proposal_id, state, reason, leader_id, proposed_by, proposed_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.CommitteeID, k.ProposalID, string(k.State), k.Reason, k.LeaderID, k.ProposedBy, ms(now), ms(now))
	if err != nil {
		return t.s.dialect.translate(err)
	}
	k.ID = id
	return nil
}

// LockKeyProposal reads a key proposal for change.
func (t *Tx) LockKeyProposal(committeeID, id int64) (*KeyProposal, error) {
	k, err := scanKey(t.rd().row(`SELECT `+keyCols+keyFrom+` WHERE k.committee_id = ? AND k.id = ?`, committeeID, id))
	return k, notFound(err, "重点提案")
}

// KeyProposalByProposal reads the key proposal of a proposal inside a transaction.
func (t *Tx) KeyProposalByProposal(committeeID, proposalID int64) (*KeyProposal, error) {
	k, err := scanKey(t.rd().row(`SELECT `+keyCols+keyFrom+` WHERE k.committee_id = ? AND k.proposal_id = ?`, committeeID, proposalID))
	return k, notFound(err, "重点提案")
}

// UpdateKeyProposal writes the mutable fields.
func (t *Tx) UpdateKeyProposal(k *KeyProposal) error {
	_, err := t.exec(`UPDATE key_proposals SET state = ?, reason = ?, leader_id = ?, decided_by = ?, decided_at = ?, decision_note = ?, updated_at = ?
		WHERE id = ? AND committee_id = ?`, k.State, k.Reason, k.LeaderID, k.DecidedBy, ms(k.DecidedAt), k.DecisionNote, ms(t.Now()), k.ID, k.CommitteeID)
	return err
}

// KeyProposal reads one key proposal.
func (s *Store) KeyProposal(ctx context.Context, committeeID, id int64) (*KeyProposal, error) {
	k, err := scanKey(s.rd(ctx).row(`SELECT `+keyCols+keyFrom+` WHERE k.committee_id = ? AND k.id = ?`, committeeID, id))
	return k, notFound(err, "重点提案")
}

// KeyProposals lists a committee's key proposals (state "" for all), by number.
func (s *Store) KeyProposals(ctx context.Context, committeeID int64, state string) ([]KeyProposal, error) {
	q := `SELECT ` + keyCols + keyFrom + ` WHERE k.committee_id = ?`
	args := []any{committeeID}
	if state != "" {
		q += ` AND k.state = ?`
		args = append(args, state)
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY p.number, k.id`, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, deref(scanKey))
}

// KeyStep is one step of a key proposal's supervision plan.
type KeyStep struct {
	ID          int64
	CommitteeID int64
	KeyID       int64
	Kind        string // 座谈, 视察, 调研, 面商
	Title       string
	PlannedOn   string
	DoneOn      string // "" while not done
	Note        string
	CreatedBy   int64
	CreatedAt   time.Time
}

// AddKeyStep adds a step to a plan.
func (t *Tx) AddKeyStep(st *KeyStep) error {
	st.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO key_steps (committee_id, key_id, kind, title, planned_on, done_on, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		st.CommitteeID, st.KeyID, st.Kind, st.Title, st.PlannedOn, st.DoneOn, st.Note, st.CreatedBy, ms(st.CreatedAt))
	st.ID = id
	return err
}

// CompleteKeyStep records that a step took place.
func (t *Tx) CompleteKeyStep(committeeID, keyID, stepID int64, doneOn, note string) error {
	res, err := t.exec(`UPDATE key_steps SET done_on = ?, note = ? WHERE committee_id = ? AND key_id = ? AND id = ?`, doneOn, note, committeeID, keyID, stepID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhengxie.NotFound("督办计划事项")
	}
	return nil
}

// KeySteps lists the plans of a committee's key proposals (keyID 0 for all), by date.
func (s *Store) KeySteps(ctx context.Context, committeeID, keyID int64) ([]KeyStep, error) {
	q := `SELECT id, committee_id, key_id, kind, title, planned_on, done_on, note, created_by, created_at FROM key_steps WHERE committee_id = ?`
	args := []any{committeeID}
	if keyID != 0 {
		q += ` AND key_id = ?`
		args = append(args, keyID)
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY planned_on, id`, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (KeyStep, error) {
		var st KeyStep
		var created int64
		err := sc.Scan(&st.ID, &st.CommitteeID, &st.KeyID, &st.Kind, &st.Title, &st.PlannedOn, &st.DoneOn, &st.Note, &st.CreatedBy, &created)
		st.CreatedAt = tm(created)
		return st, err
	})
}

// KeyNote is a progress note on a key proposal.
type KeyNote struct {
	ID         int64
	KeyID      int64
	AuthorID   int64
	AuthorName string
	Text       string
	CreatedAt  time.Time
}

// AddKeyNote adds a progress note.
func (t *Tx) AddKeyNote(committeeID int64, n *KeyNote) error {
	n.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO key_notes (committee_id, key_id, author_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		committeeID, n.KeyID, n.AuthorID, n.AuthorName, n.Text, ms(n.CreatedAt))
	n.ID = id
	return err
}

// KeyNotes lists a key proposal's notes, newest first.
func (s *Store) KeyNotes(ctx context.Context, committeeID, keyID int64) ([]KeyNote, error) {
	rows, err := s.rd(ctx).query(`SELECT id, key_id, author_id, author_name, text, created_at FROM key_notes WHERE committee_id = ? AND key_id = ? ORDER BY id DESC`, committeeID, keyID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (KeyNote, error) {
		var n KeyNote
		var created int64
		err := sc.Scan(&n.ID, &n.KeyID, &n.AuthorID, &n.AuthorName, &n.Text, &created)
		n.CreatedAt = tm(created)
		return n, err
	})
}
