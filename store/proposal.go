package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"zhengxie"
)

const proposalCols = `p.id, p.committee_id, p.session_id, p.number, p.title, p.body, p.category, p.kind, p.body_name,
	p.proposer_id, p.proposer_name, p.state, p.published, p.is_key, p.merged_into, p.reason, p.cosign_due,
	p.submitted_at, p.accepted_at, p.concluded_at, p.published_at, p.created_at, p.updated_at`

// proposalBriefCols is proposalCols without the body, for lists that do
// not show it: a body is most of a row's bytes (several KB, on overflow
// pages in SQLite), read, copied and allocated for nothing.
var proposalBriefCols = strings.Replace(proposalCols, "p.body,", "'' AS body,", 1)

func scanProposal(sc scanner) (*zhengxie.Proposal, error) {
	var p zhengxie.Proposal
	var cosignDue, submitted, accepted, concluded, published, created, updated int64
	err := sc.Scan(&p.ID, &p.CommitteeID, &p.SessionID, &p.Number, &p.Title, &p.Body, &p.Category, &p.Kind, &p.BodyName,
		&p.ProposerID, &p.ProposerName, &p.State, &p.Published, &p.Key, &p.MergedInto, &p.Reason, &cosignDue,
		&submitted, &accepted, &concluded, &published, &created, &updated)
	p.CosignDue, p.SubmittedAt, p.AcceptedAt, p.ConcludedAt = tm(cosignDue), tm(submitted), tm(accepted), tm(concluded)
	p.PublishedAt, p.CreatedAt, p.UpdatedAt = tm(published), tm(created), tm(updated)
	return &p, err
}

// CreateProposal inserts a new proposal (normally a draft).
func (t *Tx) CreateProposal(p *zhengxie.Proposal) error {
	now := t.Now()
	p.CreatedAt, p.UpdatedAt = now, now
	id, err := t.insert(`INSERT INTO proposals (committee_id, session_id, number, title, body, category, kind, body_name,
		proposer_id, proposer_name, state, published, is_key, merged_into, reason, cosign_due, submitted_at, accepted_at,
		concluded_at, published_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.CommitteeID, p.SessionID, p.Number, p.Title, p.Body, p.Category, p.Kind, p.BodyName,
		p.ProposerID, p.ProposerName, string(p.State), b2i(p.Published), b2i(p.Key), p.MergedInto, p.Reason, ms(p.CosignDue),
		ms(p.SubmittedAt), ms(p.AcceptedAt), ms(p.ConcludedAt), ms(p.PublishedAt), ms(p.CreatedAt), ms(p.UpdatedAt))
	p.ID = id
	return err
}

// UpdateProposal writes every mutable field of p.
func (t *Tx) UpdateProposal(p *zhengxie.Proposal) error {
	p.UpdatedAt = t.Now()
	_, err := t.exec(`UPDATE proposals SET number = ?, title = ?, body = ?, category = ?, kind = ?, body_name = ?,
		proposer_name = ?, state = ?, published = ?, is_key = ?, merged_into = ?, reason = ?, cosign_due = ?, submitted_at = ?,
		accepted_at = ?, concluded_at = ?, published_at = ?, updated_at = ?
		WHERE id = ? AND committee_id = ?`,
		p.Number, p.Title, p.Body, p.Category, p.Kind, p.BodyName, p.ProposerName, string(p.State), b2i(p.Published), b2i(p.Key),
		p.MergedInto, p.Reason, ms(p.CosignDue), ms(p.SubmittedAt), ms(p.AcceptedAt), ms(p.ConcludedAt), ms(p.PublishedAt),
		ms(p.UpdatedAt), p.ID, p.CommitteeID)
	return err
}

// LockProposal reads a proposal for change. On PostgreSQL the row is locked
// until the transaction ends, so that two offices cannot decide at once.
func (t *Tx) LockProposal(committeeID, id int64) (*zhengxie.Proposal, error) {
	p, err := scanProposal(t.rd().row(`SELECT `+proposalCols+` FROM proposals p WHERE p.committee_id = ? AND p.id = ?`+t.s.dialect.forUpdate(), committeeID, id))
	return p, notFound(err, "提案")
}

// Proposal reads one proposal of a committee.
func (s *Store) Proposal(ctx context.Context, committeeID, id int64) (*zhengxie.Proposal, error) {
	p, err := scanProposal(s.rd(ctx).row(`SELECT `+proposalCols+` FROM proposals p WHERE p.committee_id = ? AND p.id = ?`, committeeID, id))
	return p, notFound(err, "提案")
}

// ProposalAny reads one proposal of any committee (for published pages).
func (s *Store) ProposalAny(ctx context.Context, id int64) (*zhengxie.Proposal, error) {
	p, err := scanProposal(s.rd(ctx).row(`SELECT `+proposalCols+` FROM proposals p WHERE p.id = ?`, id))
	return p, notFound(err, "提案")
}

// NextNumber hands out the next official number of a committee's session.
// The counter row is updated inside the accepting transaction: a rollback
// gives the number back, and concurrent accepts queue on the row, so numbers
// have no gaps and no duplicates.
func (t *Tx) NextNumber(committeeID, sessionID int64) (int, error) {
	var n int
	err := t.queryRow(`INSERT INTO number_counters (committee_id, session_id, last) VALUES (?, ?, 1)
		ON CONFLICT (committee_id, session_id) DO UPDATE SET last = number_counters.last + 1 RETURNING last`, committeeID, sessionID).Scan(&n)
	return n, err
}

// Relation returns what links a user to a proposal.
func (x q) relation(a zhengxie.Actor, p *zhengxie.Proposal) (zhengxie.Relation, error) {
	rel := zhengxie.Relation{IsProposer: a.UserID != 0 && p.ProposerID == a.UserID}
	if a.UserID == 0 || a.CommitteeID != p.CommitteeID {
		return rel, nil
	}
	switch a.Role {
	case zhengxie.RoleMember:
		var n int
		if err := x.row(`SELECT COUNT(*) FROM cosigners WHERE proposal_id = ? AND user_id = ?`, p.ID, a.UserID).Scan(&n); err != nil {
			return rel, err
		}
		rel.IsCosigner = n > 0
	case zhengxie.RoleUnit:
		var n int
		if err := x.row(`SELECT COUNT(*) FROM tasks WHERE proposal_id = ? AND unit_id = ? AND state <> 'cancelled'`, p.ID, a.UnitID).Scan(&n); err != nil {
			return rel, err
		}
		rel.UnitHasTask = n > 0
	}
	return rel, nil
}

// Relation returns what links the actor to the proposal.
func (s *Store) Relation(ctx context.Context, a zhengxie.Actor, p *zhengxie.Proposal) (zhengxie.Relation, error) {
	return s.rd(ctx).relation(a, p)
}

// Relation returns what links the actor to the proposal, inside a transaction.
func (t *Tx) Relation(a zhengxie.Actor, p *zhengxie.Proposal) (zhengxie.Relation, error) {
	return t.rd().relation(a, p)
}

// ProposalFilter selects proposals for a list. Viewer decides visibility;
// the other fields narrow it.
type ProposalFilter struct {
	Viewer      zhengxie.Actor
	CommitteeID int64 // for the public: which committee's published proposals
	SessionID   int64
	States      []zhengxie.State
	Category    string
	UnitID      int64
	ProposerID  int64
	Key         bool
	Published   bool // only published ones, whoever looks
	Mine        bool // only those the viewer proposed or co-signs
	TitleLike   string
	// Search filters. ProposerName matches part of the proposer's name (a
	// member, or a body such as 民盟江苏省委, as imported history has no
	// user behind it); SectorID the 界别 of the proposing member; Since and
	// Until (exclusive) the submission time. IDs keeps only those proposals
	// (nil: no restriction; empty but not nil: none).
	ProposerName string
	SectorID     int64
	Since, Until time.Time
	IDs          []int64
	// Statistics filters, so that every figure links to its list: the
	// proposer kind, the sessions of a year, and the answering tasks' result
	// class, rating or re-handling.
	Kind        string
	Year        int
	ResultClass string
	Feedback    string
	Rehandled   bool
	Offset      int
	Limit       int
	// Brief leaves out the bodies (Body is empty): for lists that show
	// titles only.
	Brief bool
}

// where builds the WHERE clause of f; visibility comes first and always applies.
func (f ProposalFilter) where() (string, []any) {
	var conds []string
	var args []any
	v := f.Viewer
	cid := f.CommitteeID
	if cid == 0 {
		cid = v.CommitteeID
	}
	conds = append(conds, "p.committee_id = ?")
	args = append(args, cid)
	switch {
	case v.IsAnonymous() || v.CommitteeID != cid:
		conds = append(conds, "p.published = 1")
	case zhengxie.SeesAll(v.Role):
		conds = append(conds, "p.state <> 'draft'")
	case v.Role == zhengxie.RoleMember:
		conds = append(conds, "(p.proposer_id = ? OR (p.state <> 'draft' AND p.id IN (SELECT proposal_id FROM cosigners WHERE user_id = ?)) OR p.published = 1)")
		args = append(args, v.UserID, v.UserID)
	case v.Role == zhengxie.RoleUnit:
		conds = append(conds, "(p.id IN (SELECT proposal_id FROM tasks WHERE committee_id = ? AND unit_id = ? AND state <> 'cancelled') OR p.published = 1)")
		args = append(args, cid, v.UnitID)
	default:
		conds = append(conds, "(p.proposer_id = ? OR p.published = 1)")
		args = append(args, v.UserID)
	}
	if f.Mine {
		conds = append(conds, "(p.proposer_id = ? OR p.id IN (SELECT proposal_id FROM cosigners WHERE user_id = ?))")
		args = append(args, v.UserID, v.UserID)
	}
	if f.Published {
		conds = append(conds, "p.published = 1")
	}
	if f.SessionID != 0 {
		conds = append(conds, "p.session_id = ?")
		args = append(args, f.SessionID)
	}
	if len(f.States) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(f.States)), ", ")
		conds = append(conds, "p.state IN ("+ph+")")
		for _, s := range f.States {
			args = append(args, strings.ReplaceAll(string(s), "\x00", ""))
		}
	}
	if f.Category != "" {
		conds = append(conds, "p.category = ?")
		args = append(args, strings.ReplaceAll(f.Category, "\x00", ""))
	}
	if f.UnitID != 0 {
		conds = append(conds, "p.id IN (SELECT proposal_id FROM tasks WHERE committee_id = ? AND unit_id = ? AND state <> 'cancelled')")
		args = append(args, cid, f.UnitID)
	}
	if f.ProposerID != 0 {
		conds = append(conds, "p.proposer_id = ?")
		args = append(args, f.ProposerID)
	}
	if f.Key {
		conds = append(conds, "p.is_key = 1")
	}
	if f.TitleLike != "" {
		conds = append(conds, "p.title LIKE ?")
		args = append(args, "%"+escapeLike(f.TitleLike)+"%")
	}
	if f.ProposerName != "" {
		conds = append(conds, "p.proposer_name LIKE ?")
		args = append(args, "%"+escapeLike(f.ProposerName)+"%")
	}
	if f.SectorID != 0 {
		conds = append(conds, "p.proposer_id IN (SELECT id FROM users WHERE committee_id = ? AND sector_id = ?)")
		args = append(args, cid, f.SectorID)
	}
	if !f.Since.IsZero() {
		conds = append(conds, "p.submitted_at >= ?")
		args = append(args, f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		conds = append(conds, "p.submitted_at > 0 AND p.submitted_at < ?")
		args = append(args, f.Until.UnixMilli())
	}
	if f.Kind != "" {
		conds = append(conds, "p.kind = ?")
		args = append(args, strings.ReplaceAll(f.Kind, "\x00", ""))
	}
	if f.Year != 0 {
		conds = append(conds, "p.session_id IN (SELECT id FROM sessions WHERE committee_id = ? AND year = ?)")
		args = append(args, cid, f.Year)
	}
	if f.ResultClass != "" {
		conds = append(conds, "p.id IN (SELECT proposal_id FROM tasks WHERE committee_id = ? AND kind <> 'co' AND state <> 'cancelled' AND result_class = ?)")
		args = append(args, cid, strings.ReplaceAll(f.ResultClass, "\x00", ""))
	}
	if f.Feedback != "" {
		conds = append(conds, "p.id IN (SELECT proposal_id FROM tasks WHERE committee_id = ? AND kind <> 'co' AND state <> 'cancelled' AND feedback = ?)")
		args = append(args, cid, strings.ReplaceAll(f.Feedback, "\x00", ""))
	}
	if f.Rehandled {
		conds = append(conds, "p.id IN (SELECT proposal_id FROM tasks WHERE committee_id = ? AND kind <> 'co' AND state <> 'cancelled' AND rehandled = 1)")
		args = append(args, cid)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			conds = append(conds, "1 = 0")
		} else {
			conds = append(conds, "p.id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.IDs)), ", ")+")")
			for _, id := range f.IDs {
				args = append(args, id)
			}
		}
	}
	return strings.Join(conds, " AND "), args
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`%`, ``, `_`, ``, "\x00", ``)
	return r.Replace(s)
}

// Proposals lists proposals, newest first, with the total count.
func (s *Store) Proposals(ctx context.Context, f ProposalFilter) ([]zhengxie.Proposal, int, error) {
	where, args := f.where()
	x := s.rd(ctx)
	var total int
	if err := x.row(`SELECT COUNT(*) FROM proposals p WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	cols := proposalCols
	if f.Brief {
		cols = proposalBriefCols
	}
	rows, err := x.query(`SELECT `+cols+` FROM proposals p WHERE `+where+` ORDER BY p.id DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := collectProposals(rows)
	return out, total, err
}

// SetCosigners replaces the invited co-signers of a draft.
func (t *Tx) SetCosigners(p *zhengxie.Proposal, userIDs []int64) error {
	if _, err := t.exec(`DELETE FROM cosigners WHERE proposal_id = ?`, p.ID); err != nil {
		return err
	}
	for _, uid := range userIDs {
		if uid == p.ProposerID {
			continue
		}
		var n int
		if err := t.queryRow(`SELECT COUNT(*) FROM users WHERE id = ? AND committee_id = ? AND role = 'member'`, uid, p.CommitteeID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return zhengxie.FieldError("cosigners", "附议人必须是本会委员")
		}
		if _, err := t.exec(`INSERT INTO cosigners (proposal_id, user_id, committee_id, status) VALUES (?, ?, ?, 'invited') ON CONFLICT DO NOTHING`, p.ID, uid, p.CommitteeID); err != nil {
			return err
		}
	}
	return nil
}

// SetCosignStatus records a co-signer's answer.
func (t *Tx) SetCosignStatus(proposalID, userID int64, status string) error {
	_, err := t.exec(`UPDATE cosigners SET status = ?, responded_at = ? WHERE proposal_id = ? AND user_id = ?`, status, ms(t.Now()), proposalID, userID)
	return err
}

func (x q) cosigners(proposalID int64) ([]zhengxie.Cosigner, error) {
	rows, err := x.query(`SELECT c.proposal_id, c.user_id, u.name, c.status, c.responded_at FROM cosigners c JOIN users u ON u.id = c.user_id WHERE c.proposal_id = ? ORDER BY u.id`, proposalID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (zhengxie.Cosigner, error) {
		var c zhengxie.Cosigner
		var at int64
		err := sc.Scan(&c.ProposalID, &c.UserID, &c.Name, &c.Status, &at)
		c.RespondedAt = tm(at)
		return c, err
	})
}

// Cosigners lists a proposal's co-signers.
func (s *Store) Cosigners(ctx context.Context, proposalID int64) ([]zhengxie.Cosigner, error) {
	return s.rd(ctx).cosigners(proposalID)
}

// Cosigners lists a proposal's co-signers inside a transaction.
func (t *Tx) Cosigners(proposalID int64) ([]zhengxie.Cosigner, error) {
	return t.rd().cosigners(proposalID)
}

// CosignDueProposals lists submitted proposals whose co-sign deadline has passed.
func (s *Store) CosignDueProposals(ctx context.Context, nowMs int64) ([]zhengxie.Proposal, error) {
	rows, err := s.rd(ctx).query(`SELECT `+proposalCols+` FROM proposals p WHERE p.state = 'submitted' AND p.cosign_due > 0 AND p.cosign_due <= ? ORDER BY p.id LIMIT 500`, nowMs)
	if err != nil {
		return nil, err
	}
	return collectProposals(rows)
}

// CosignInvitations lists proposals waiting for this member's co-signature.
func (s *Store) CosignInvitations(ctx context.Context, a zhengxie.Actor) ([]zhengxie.Proposal, error) {
	rows, err := s.rd(ctx).query(`SELECT `+proposalCols+` FROM proposals p JOIN cosigners c ON c.proposal_id = p.id
		WHERE c.user_id = ? AND c.status = 'invited' AND p.state = 'submitted' AND p.committee_id = ? ORDER BY p.id DESC`, a.UserID, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	return collectProposals(rows)
}

// ProposalIDByNumber finds a proposal by its official number in a session.
func (s *Store) ProposalIDByNumber(ctx context.Context, committeeID, sessionID int64, number int) (int64, error) {
	var id int64
	err := s.rd(ctx).row(`SELECT id FROM proposals WHERE committee_id = ? AND session_id = ? AND number = ?`, committeeID, sessionID, number).Scan(&id)
	return id, notFound(err, "提案")
}

// collectProposals scans and closes rows of proposalCols.
func collectProposals(rows *sql.Rows) ([]zhengxie.Proposal, error) {
	return collect(rows, deref(scanProposal))
}
