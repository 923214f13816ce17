package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"zhengxie"
)

// ---------- open tasks and deadline alerts ----------

// OpenTask is a task still waiting for its reply, with what supervision
// needs to know about it.
type OpenTask struct {
	zhengxie.Task
	Title    string
	Number   int
	Proposer string
	LeaderID int64 // the unit's supervising leader
	IsKey    bool
}

// OpenTaskStates are the task states in which a reply is still due.
var OpenTaskStates = []zhengxie.TaskState{zhengxie.TaskPending, zhengxie.TaskAccepted, zhengxie.TaskContacted}

// OpenTasks lists the tasks of a committee that still owe a reply (unitID 0
// for every unit), by due date.
func (s *Store) OpenTasks(ctx context.Context, committeeID, unitID int64) ([]OpenTask, error) {
	q := `SELECT ` + taskCols + `, p.title, p.number, p.proposer_name, u.leader_id, p.is_key` + taskFrom + ` JOIN proposals p ON p.id = t.proposal_id
		WHERE t.committee_id = ? AND t.state IN ('pending', 'accepted', 'contacted') AND p.state IN ('handling', 'replied')`
	args := []any{committeeID}
	if unitID != 0 {
		q += ` AND t.unit_id = ?`
		args = append(args, unitID)
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY t.due, t.id`, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (OpenTask, error) {
		var o OpenTask
		var assigned, replied, fb int64
		err := sc.Scan(append(taskDest(&o.Task, &assigned, &replied, &fb), &o.Title, &o.Number, &o.Proposer, &o.LeaderID, &o.IsKey)...)
		o.AssignedAt, o.RepliedAt, o.FeedbackAt = tm(assigned), tm(replied), tm(fb)
		return o, err
	})
}

// Kinds of deadline alerts.
const (
	AlertRemind   = zhengxie.AlertRemind
	AlertOverdue  = zhengxie.AlertOverdue
	AlertEscalate = zhengxie.AlertEscalate
)

// TaskAlert is one reminder, overdue notice or escalation that was sent.
type TaskAlert struct {
	ID          int64
	CommitteeID int64
	TaskID      int64
	Kind        string
	OnDate      string // the day it is for
	Due         string // the deadline it was about
	Recipients  int
	CreatedAt   time.Time
}

// AddAlert records an alert unless the same (task, kind, day) was recorded
// before; it reports whether this call recorded it. The caller sends the
// messages in the same transaction only when it did, which is what makes a
// reminder impossible to send twice, whoever runs the scan and how often.
func (t *Tx) AddAlert(a *TaskAlert) (bool, error) {
	a.CreatedAt = t.Now()
	var id int64
	err := t.queryRow(`INSERT INTO task_alerts (committee_id, task_id, kind, on_date, due, recipients, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (task_id, kind, on_date) DO NOTHING RETURNING id`,
		a.CommitteeID, a.TaskID, a.Kind, a.OnDate, a.Due, a.Recipients, ms(a.CreatedAt)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	a.ID = id
	return err == nil, err
}

// SetAlertRecipients records how many people an alert went to.
func (t *Tx) SetAlertRecipients(id int64, n int) error {
	_, err := t.exec(`UPDATE task_alerts SET recipients = ? WHERE id = ?`, n, id)
	return err
}

// AlertFilter selects alerts.
type AlertFilter struct {
	CommitteeID int64
	TaskID      int64
	Kind        string
	Limit       int
}

// Alerts lists alerts, oldest first.
func (s *Store) Alerts(ctx context.Context, f AlertFilter) ([]TaskAlert, error) {
	q := `SELECT id, committee_id, task_id, kind, on_date, due, recipients, created_at FROM task_alerts WHERE committee_id = ?`
	args := []any{f.CommitteeID}
	if f.TaskID != 0 {
		q += ` AND task_id = ?`
		args = append(args, f.TaskID)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 10000
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (TaskAlert, error) {
		var a TaskAlert
		var created int64
		err := sc.Scan(&a.ID, &a.CommitteeID, &a.TaskID, &a.Kind, &a.OnDate, &a.Due, &a.Recipients, &created)
		a.CreatedAt = tm(created)
		return a, err
	})
}

// AlertSummary is what the overdue board shows about a task's alerts.
type AlertSummary struct {
	Reminders   int
	Overdues    int
	EscalatedOn string // the day the leader was told about the current deadline
}

// AlertSummaries sums up the alerts of a committee's tasks by task, for the
// current deadline of each (alerts about an earlier deadline do not count).
func (s *Store) AlertSummaries(ctx context.Context, committeeID int64) (map[int64]AlertSummary, error) {
	rows, err := s.rd(ctx).query(`SELECT a.task_id, a.kind, COUNT(*), MAX(a.on_date) FROM task_alerts a JOIN tasks t ON t.id = a.task_id AND t.due = a.due
		WHERE a.committee_id = ? GROUP BY a.task_id, a.kind`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]AlertSummary{}
	for rows.Next() {
		var id int64
		var kind, last string
		var n int
		if err := rows.Scan(&id, &kind, &n, &last); err != nil {
			return nil, err
		}
		sum := out[id]
		switch kind {
		case AlertRemind:
			sum.Reminders = n
		case AlertOverdue:
			sum.Overdues = n
		case AlertEscalate:
			sum.EscalatedOn = last
		}
		out[id] = sum
	}
	return out, rows.Err()
}
