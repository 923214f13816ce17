package store

import (
	"context"
	"database/sql"

	"zhengxie"
)

const taskCols = `t.id, t.committee_id, t.proposal_id, t.unit_id, u.name, t.kind, t.state, t.assigned_at, t.due, t.return_reason,
	t.rehandled, t.result_class, t.reply_text, t.replied_at, t.feedback, t.feedback_note, t.feedback_at, t.contacted, t.lead_released`

const taskFrom = ` FROM tasks t JOIN units u ON u.id = t.unit_id`

// taskDest is the scan destination of taskCols.
func taskDest(t *zhengxie.Task, assigned, replied, fb *int64) []any {
	return []any{&t.ID, &t.CommitteeID, &t.ProposalID, &t.UnitID, &t.UnitName, &t.Kind, &t.State, assigned, (*dueDate)(&t.Due), &t.ReturnReason,
		&t.Rehandled, &t.ResultClass, &t.ReplyText, replied, &t.Feedback, &t.FeedbackNote, fb, &t.Contacted, &t.LeadReleased}
}

// dueDate reads a task's due column, where historical tasks keep ” for
// "no deadline".
type dueDate zhengxie.Date

func (d *dueDate) Scan(src any) error {
	if s, ok := src.(string); ok && s == "" {
		*d = dueDate{}
		return nil
	}
	if b, ok := src.([]byte); ok && len(b) == 0 {
		*d = dueDate{}
		return nil
	}
	return (*zhengxie.Date)(d).Scan(src)
}

// dueText is how a due date is written: ” for none, as the column is NOT NULL.
func dueText(d zhengxie.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func scanTask(sc scanner) (*zhengxie.Task, error) {
	var t zhengxie.Task
	var assigned, replied, fb int64
	err := sc.Scan(taskDest(&t, &assigned, &replied, &fb)...)
	t.AssignedAt, t.RepliedAt, t.FeedbackAt = tm(assigned), tm(replied), tm(fb)
	return &t, err
}

// CreateTask inserts a unit's task.
func (t *Tx) CreateTask(k *zhengxie.Task) error {
	id, err := t.insert(`INSERT INTO tasks (committee_id, proposal_id, unit_id, kind, state, assigned_at, due, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		k.CommitteeID, k.ProposalID, k.UnitID, k.Kind, string(k.State), ms(k.AssignedAt), dueText(k.Due), ms(t.Now()))
	k.ID = id
	return err
}

// UpdateTask writes every mutable field of a task.
func (t *Tx) UpdateTask(k *zhengxie.Task) error {
	_, err := t.exec(`UPDATE tasks SET state = ?, due = ?, return_reason = ?, rehandled = ?, result_class = ?, reply_text = ?, replied_at = ?,
		feedback = ?, feedback_note = ?, feedback_at = ?, contacted = ?, lead_released = ?, updated_at = ? WHERE id = ? AND committee_id = ?`,
		string(k.State), dueText(k.Due), k.ReturnReason, b2i(k.Rehandled), k.ResultClass, k.ReplyText, ms(k.RepliedAt),
		k.Feedback, k.FeedbackNote, ms(k.FeedbackAt), b2i(k.Contacted), b2i(k.LeadReleased), ms(t.Now()), k.ID, k.CommitteeID)
	return err
}

// LockTask reads a task for change.
func (t *Tx) LockTask(committeeID, id int64) (*zhengxie.Task, error) {
	k, err := scanTask(t.rd().row(`SELECT `+taskCols+taskFrom+` WHERE t.committee_id = ? AND t.id = ?`+t.s.dialect.forUpdate(), committeeID, id))
	return k, notFound(err, "办理任务")
}

// Task reads one task.
func (s *Store) Task(ctx context.Context, committeeID, id int64) (*zhengxie.Task, error) {
	k, err := scanTask(s.rd(ctx).row(`SELECT `+taskCols+taskFrom+` WHERE t.committee_id = ? AND t.id = ?`, committeeID, id))
	return k, notFound(err, "办理任务")
}

func (x q) tasks(proposalID int64) ([]zhengxie.Task, error) {
	rows, err := x.query(`SELECT `+taskCols+taskFrom+` WHERE t.proposal_id = ? ORDER BY t.id`, proposalID)
	return collectQuery(rows, err, func(sc scanner) (zhengxie.Task, error) {
		k, err := scanTask(sc)
		return *k, err
	})
}

// Tasks lists a proposal's tasks.
func (s *Store) Tasks(ctx context.Context, proposalID int64) ([]zhengxie.Task, error) {
	return s.rd(ctx).tasks(proposalID)
}

// Tasks lists a proposal's tasks inside a transaction.
func (t *Tx) Tasks(proposalID int64) ([]zhengxie.Task, error) { return t.rd().tasks(proposalID) }

// TaskRow is a task with the proposal's title and number, for a unit's inbox.
type TaskRow struct {
	zhengxie.Task
	Title    string
	Number   int
	Proposer string
}

// TaskFilter selects tasks of a committee.
type TaskFilter struct {
	CommitteeID int64
	UnitID      int64
	States      []zhengxie.TaskState
	DueBefore   string // tasks due strictly before this date (overdue board)
	Limit       int
}

// TaskRows lists tasks with their proposal's title.
func (s *Store) TaskRows(ctx context.Context, f TaskFilter) ([]TaskRow, error) {
	where := `t.committee_id = ?`
	args := []any{f.CommitteeID}
	if f.UnitID != 0 {
		where += ` AND t.unit_id = ?`
		args = append(args, f.UnitID)
	}
	if len(f.States) > 0 {
		where += ` AND t.state IN (`
		for i, st := range f.States {
			if i > 0 {
				where += `, `
			}
			where += `?`
			args = append(args, string(st))
		}
		where += `)`
	}
	if f.DueBefore != "" {
		where += ` AND t.due < ?`
		args = append(args, f.DueBefore)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	rows, err := s.rd(ctx).query(`SELECT `+taskCols+`, p.title, p.number, p.proposer_name`+taskFrom+` JOIN proposals p ON p.id = t.proposal_id
		WHERE `+where+` ORDER BY t.due, t.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return collectTaskRows(rows)
}

// collectTaskRows scans and closes rows of taskCols plus p.title, p.number, p.proposer_name.
func collectTaskRows(rows *sql.Rows) ([]TaskRow, error) {
	return collect(rows, func(sc scanner) (TaskRow, error) {
		var r TaskRow
		var assigned, replied, fb int64
		err := sc.Scan(append(taskDest(&r.Task, &assigned, &replied, &fb), &r.Title, &r.Number, &r.Proposer)...)
		r.AssignedAt, r.RepliedAt, r.FeedbackAt = tm(assigned), tm(replied), tm(fb)
		return r, err
	})
}

// Contact is a recorded 沟通 / 面商 between a unit and the proposer.
type Contact struct {
	ID          int64
	TaskID      int64
	Method      string
	ContactedOn string
	Note        string
	CreatedBy   int64
}

// AddContact records a contact.
func (t *Tx) AddContact(committeeID int64, c *Contact) error {
	id, err := t.insert(`INSERT INTO contacts (committee_id, task_id, method, contacted_on, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		committeeID, c.TaskID, c.Method, c.ContactedOn, c.Note, c.CreatedBy, ms(t.Now()))
	c.ID = id
	return err
}

// Contacts lists the contacts recorded on a proposal's tasks.
func (s *Store) Contacts(ctx context.Context, proposalID int64) ([]Contact, error) {
	rows, err := s.rd(ctx).query(`SELECT c.id, c.task_id, c.method, c.contacted_on, c.note, c.created_by FROM contacts c JOIN tasks t ON t.id = c.task_id WHERE t.proposal_id = ? ORDER BY c.id`, proposalID)
	return collectQuery(rows, err, func(sc scanner) (Contact, error) {
		var c Contact
		err := sc.Scan(&c.ID, &c.TaskID, &c.Method, &c.ContactedOn, &c.Note, &c.CreatedBy)
		return c, err
	})
}
