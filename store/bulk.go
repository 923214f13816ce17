package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"zhengxie"
)

// BulkLoader writes rows of the ordinary tables straight into the database,
// many rows to a statement and many statements to a transaction, for the
// benchmark corpus: a million proposals through the lifecycle services
// would take a day, through multi-row INSERTs minutes. It checks nothing
// the services would check (transitions, numbering, the hash chain): the
// caller hands it rows that are already right, with their ids chosen by
// NextID, and sets the committees' chain heads and number counters to match
// at the end.
//
// A BulkLoader is used from one goroutine. Rows are buffered per table and
// written parents first, so a row may refer to any row added before it.
type BulkLoader struct {
	s      *Store
	ctx    context.Context
	tx     *sql.Tx
	tables []*bulkTable
	byName map[string]*bulkTable
	nextID map[string]int64
	// pending counts buffered rows; written counts rows in the open transaction.
	pending, written int
	// Rows is the number of rows written so far, for progress reports.
	Rows int64
}

// bulkTable buffers the rows of one table.
type bulkTable struct {
	name string
	cols []string
	// wrap, if set, turns the VALUES list into the statement (PostgreSQL's
	// full-text rows compute their tsvector from the values).
	wrap    func(values string) string
	tuple   string // one row's placeholders, if not plain
	perStmt int
	args    []any
}

// Buffer sizes: statements stay well below SQLite's 32,766 and PostgreSQL's
// 65,535 parameters, and a transaction holds tens of megabytes, which keeps
// the WAL (and PostgreSQL's work per commit) bounded.
const (
	bulkMaxParams = 30000
	bulkMaxRows   = 500
	bulkFlushRows = 20000
	bulkTxRows    = 200000
)

// NewBulkLoader starts loading. On SQLite the writer connection stops
// syncing to disk until Close: a crash mid-load loses the corpus, which is
// regenerated anyway, and the load runs several times faster.
func (s *Store) NewBulkLoader(ctx context.Context) (*BulkLoader, error) {
	b := &BulkLoader{s: s, ctx: ctx, byName: map[string]*bulkTable{}, nextID: map[string]int64{}}
	pg := s.dialect.name() == "postgres"
	add := func(name string, cols ...string) *bulkTable {
		t := &bulkTable{name: name, cols: cols}
		t.perStmt = min(bulkMaxRows, bulkMaxParams/len(cols))
		b.tables = append(b.tables, t)
		b.byName[name] = t
		return t
	}
	add("committees", "id", "code", "name", "level", "parent_id", "time_zone", "event_seq", "last_hash", "created_at")
	add("sessions", "id", "committee_id", "term", "number", "name", "year", "is_current")
	add("sectors", "id", "committee_id", "name")
	add("units", "id", "committee_id", "name", "leader_id")
	add("users", "id", "committee_id", "username", "name", "role", "unit_id", "sector_id", "phone", "email", "password_hash", "disabled", "created_at")
	add("proposals", "id", "committee_id", "session_id", "number", "title", "body", "category", "kind", "body_name",
		"proposer_id", "proposer_name", "state", "published", "is_key", "merged_into", "reason", "cosign_due", "submitted_at",
		"accepted_at", "concluded_at", "published_at", "created_at", "updated_at")
	add("cosigners", "proposal_id", "user_id", "committee_id", "status", "responded_at")
	add("tasks", "id", "committee_id", "proposal_id", "unit_id", "kind", "state", "assigned_at", "due", "return_reason",
		"rehandled", "result_class", "reply_text", "replied_at", "feedback", "feedback_note", "feedback_at", "contacted", "updated_at")
	add("events", "id", "committee_id", "seq", "proposal_id", "task_id", "actor_id", "actor_name", "action", "from_state",
		"to_state", "comment", "payload", "created_at", "prev_hash", "hash")
	if pg {
		fts := add("proposal_fts", "id", "t", "b", "r", "c")
		fts.tuple = "(?::bigint, ?, ?, ?, ?::bigint)"
		fts.wrap = func(values string) string {
			return `INSERT INTO proposal_fts (proposal_id, title, body, replies, tsv) SELECT v.id, v.t, v.b, v.r, ` +
				pgVec("v.t", "A") + ` || ` + pgVec("v.b", "B") + ` || ` + pgVec("v.r", "C") + ` || zx_scope(v.c) FROM (VALUES ` + values + `) AS v (id, t, b, r, c)`
		}
	} else {
		add("proposal_fts", "rowid", "title", "body", "replies", "scope")
	}
	add("number_counters", "committee_id", "session_id", "last")

	if !pg {
		for _, p := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -131072`} {
			if _, err := s.w.ExecContext(ctx, p); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range []string{"committees", "sessions", "sectors", "units", "users", "proposals", "tasks", "events"} {
		var n int64
		if err := s.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+t).Scan(&n); err != nil {
			return nil, err
		}
		b.nextID[t] = n + 1
	}
	return b, nil
}

// NextID reserves the next id of a table (committees, sessions, sectors,
// units, users, proposals, tasks or events).
func (b *BulkLoader) NextID(table string) int64 {
	id, ok := b.nextID[table]
	if !ok {
		panic("store: no ids for table " + table)
	}
	b.nextID[table] = id + 1
	return id
}

func (b *BulkLoader) add(table string, vals ...any) error {
	t := b.byName[table]
	t.args = append(t.args, vals...)
	b.pending++
	if b.pending >= bulkFlushRows {
		return b.Flush()
	}
	return nil
}

// AddCommittee adds a committee whose chain already holds seq events ending
// in lastHash (0 and "" before any; see SetChainHead).
func (b *BulkLoader) AddCommittee(c *zhengxie.Committee, createdAt int64) error {
	return b.add("committees", c.ID, c.Code, c.Name, c.Level, c.ParentID, c.TimeZone, 0, "", createdAt)
}

// AddSession adds a 届次 session.
func (b *BulkLoader) AddSession(se *zhengxie.Session) error {
	return b.add("sessions", se.ID, se.CommitteeID, se.Term, se.Number, se.Name, se.Year, b2i(se.Current))
}

// AddSector adds a 界别.
func (b *BulkLoader) AddSector(se *zhengxie.Sector) error {
	return b.add("sectors", se.ID, se.CommitteeID, se.Name)
}

// AddUnit adds a handling unit.
func (b *BulkLoader) AddUnit(u *zhengxie.Unit) error {
	return b.add("units", u.ID, u.CommitteeID, u.Name, u.LeaderID)
}

// AddUser adds a user with an already hashed password.
func (b *BulkLoader) AddUser(u *zhengxie.User, passwordHash string) error {
	return b.add("users", u.ID, u.CommitteeID, u.Username, u.Name, string(u.Role), u.UnitID, u.SectorID, u.Phone, u.Email,
		passwordHash, b2i(u.Disabled), ms(u.CreatedAt))
}

// AddProposal adds a proposal in whatever state it has reached.
func (b *BulkLoader) AddProposal(p *zhengxie.Proposal) error {
	return b.add("proposals", p.ID, p.CommitteeID, p.SessionID, p.Number, p.Title, p.Body, p.Category, p.Kind, p.BodyName,
		p.ProposerID, p.ProposerName, string(p.State), b2i(p.Published), b2i(p.Key), p.MergedInto, p.Reason, ms(p.CosignDue),
		ms(p.SubmittedAt), ms(p.AcceptedAt), ms(p.ConcludedAt), ms(p.PublishedAt), ms(p.CreatedAt), ms(p.UpdatedAt))
}

// AddCosigner adds a co-signer of a proposal of committeeID.
func (b *BulkLoader) AddCosigner(committeeID int64, c *zhengxie.Cosigner) error {
	return b.add("cosigners", c.ProposalID, c.UserID, committeeID, c.Status, ms(c.RespondedAt))
}

// AddTask adds a unit's task; updatedAt is its last change.
func (b *BulkLoader) AddTask(k *zhengxie.Task, updatedAt int64) error {
	return b.add("tasks", k.ID, k.CommitteeID, k.ProposalID, k.UnitID, k.Kind, string(k.State), ms(k.AssignedAt), dueText(k.Due),
		k.ReturnReason, b2i(k.Rehandled), k.ResultClass, k.ReplyText, ms(k.RepliedAt), k.Feedback, k.FeedbackNote,
		ms(k.FeedbackAt), b2i(k.Contacted), updatedAt)
}

// AddEvent adds an event already sealed onto its committee's chain
// (Event.Seal), with CreatedAt at millisecond precision as stored.
func (b *BulkLoader) AddEvent(e *zhengxie.Event) error {
	return b.add("events", e.ID, e.CommitteeID, e.Seq, e.ProposalID, e.TaskID, e.ActorID, e.ActorName, e.Action, e.FromState,
		e.ToState, e.Comment, e.Payload, ms(e.CreatedAt), e.PrevHash, e.Hash)
}

// AddSearchDoc adds a proposal's full-text entry.
func (b *BulkLoader) AddSearchDoc(d SearchDoc) error {
	if b.s.dialect.name() == "postgres" {
		return b.add("proposal_fts", d.ProposalID, join(d.Title), join(d.Body), join(d.Replies), d.CommitteeID)
	}
	return b.add("proposal_fts", d.ProposalID, join(d.Title), join(d.Body), join(d.Replies), "c"+strconv.FormatInt(d.CommitteeID, 10))
}

// AddNumberCounter records the last official number handed out in a session.
func (b *BulkLoader) AddNumberCounter(committeeID, sessionID int64, last int) error {
	return b.add("number_counters", committeeID, sessionID, last)
}

// SetChainHead records the last event of a committee's chain, as
// AppendEvent keeps it, so that new events chain onto the loaded ones.
func (b *BulkLoader) SetChainHead(committeeID, seq int64, hash string) error {
	if err := b.Flush(); err != nil {
		return err
	}
	_, err := b.tx.ExecContext(b.ctx, b.s.dialect.rebind(`UPDATE committees SET event_seq = ?, last_hash = ? WHERE id = ?`), seq, hash, committeeID)
	return err
}

// Flush writes the buffered rows, parents first, and commits when the
// transaction has grown large.
func (b *BulkLoader) Flush() error {
	if b.tx == nil {
		tx, err := b.s.w.BeginTx(b.ctx, nil)
		if err != nil {
			return err
		}
		b.tx = tx
	}
	for _, t := range b.tables {
		n := len(t.cols)
		rows := len(t.args) / n
		for start := 0; start < rows; start += t.perStmt {
			end := min(rows, start+t.perStmt)
			if _, err := b.tx.ExecContext(b.ctx, b.s.dialect.rebind(t.statement(end-start)), t.args[start*n:end*n]...); err != nil {
				b.tx.Rollback()
				b.tx = nil
				return fmt.Errorf("bulk insert into %s: %w", t.name, b.s.dialect.translate(err))
			}
		}
		clear(t.args)
		t.args = t.args[:0]
		b.written += rows
		b.Rows += int64(rows)
	}
	b.pending = 0
	if b.written >= bulkTxRows {
		return b.commit()
	}
	return nil
}

func (b *BulkLoader) commit() error {
	if b.tx == nil {
		return nil
	}
	err := b.tx.Commit()
	b.tx, b.written = nil, 0
	return err
}

// statement is the multi-row INSERT of rows rows.
func (t *bulkTable) statement(rows int) string {
	tuple := t.tuple
	if tuple == "" {
		tuple = "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	}
	values := strings.TrimSuffix(strings.Repeat(tuple+", ", rows), ", ")
	if t.wrap != nil {
		return t.wrap(values)
	}
	return `INSERT INTO ` + t.name + ` (` + strings.Join(t.cols, ", ") + `) VALUES ` + values
}

// Close writes what is left, commits, moves PostgreSQL's id generators past
// the loaded ids, refreshes the planner's statistics and, on SQLite,
// restores durable writes and folds the WAL back into the database file.
func (b *BulkLoader) Close() error {
	if err := b.Flush(); err != nil {
		return err
	}
	if b.s.dialect.name() == "postgres" {
		t := &Tx{tx: b.tx, s: b.s, ctx: b.ctx}
		if err := b.s.dialect.resetSequences(t, []string{"committees", "sessions", "sectors", "units", "users", "proposals", "tasks", "events"}); err != nil {
			b.tx.Rollback()
			b.tx = nil
			return err
		}
	}
	if err := b.commit(); err != nil {
		return err
	}
	if _, err := b.s.w.ExecContext(b.ctx, `ANALYZE`); err != nil {
		return err
	}
	if b.s.dialect.name() == "sqlite" {
		for _, p := range []string{`PRAGMA synchronous = NORMAL`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
			if _, err := b.s.w.ExecContext(b.ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// Abort drops the open transaction.
func (b *BulkLoader) Abort() {
	if b.tx != nil {
		b.tx.Rollback()
		b.tx = nil
	}
}
