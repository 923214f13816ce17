package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"zhengxie"
)

// This file holds the storage of supervision (督办): committee settings
// (deadline rules, holiday calendar, evaluation criteria), deadline alerts,
// extension requests, key proposals, notification preferences, webhook
// subscriptions and deliveries, and the evaluation query.

// ---------- committee settings ----------

// CommitteeSettings are the admin-edited settings of one committee; empty
// strings mean the defaults that ship with the binary.
type CommitteeSettings struct {
	CommitteeID int64
	Rules       string // JSON of zhengxie.DeadlineRules
	Calendar    string // the text zhengxie.ParseCalendar reads
	Criteria    string // JSON of the evaluation criteria
	UpdatedBy   int64
	UpdatedAt   time.Time
}

// Settings returns a committee's settings (all empty when never saved).
func (s *Store) Settings(ctx context.Context, committeeID int64) (*CommitteeSettings, error) {
	cs := &CommitteeSettings{CommitteeID: committeeID}
	var updated int64
	err := s.rd(ctx).row(`SELECT rules, calendar, criteria, updated_by, updated_at FROM committee_settings WHERE committee_id = ?`, committeeID).
		Scan(&cs.Rules, &cs.Calendar, &cs.Criteria, &cs.UpdatedBy, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return cs, nil
	}
	cs.UpdatedAt = tm(updated)
	return cs, err
}

// Setting columns that SaveSetting may write.
const (
	SettingRules    = "rules"
	SettingCalendar = "calendar"
	SettingCriteria = "criteria"
)

// SaveSetting stores one of a committee's settings.
func (t *Tx) SaveSetting(committeeID int64, column, value string, by int64) error {
	switch column {
	case SettingRules, SettingCalendar, SettingCriteria:
	default:
		return errors.New("store: unknown setting " + column)
	}
	_, err := t.exec(`INSERT INTO committee_settings (committee_id, `+column+`, updated_by, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (committee_id) DO UPDATE SET `+column+` = excluded.`+column+`, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		committeeID, value, by, ms(t.Now()))
	return err
}

// SetUnitLeader sets the supervising leader of a unit (0 for none).
func (t *Tx) SetUnitLeader(committeeID, unitID, leaderID int64) error {
	_, err := t.exec(`UPDATE units SET leader_id = ? WHERE committee_id = ? AND id = ?`, leaderID, committeeID, unitID)
	return err
}

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
	defer rows.Close()
	var out []TaskAlert
	for rows.Next() {
		var a TaskAlert
		var created int64
		if err := rows.Scan(&a.ID, &a.CommitteeID, &a.TaskID, &a.Kind, &a.OnDate, &a.Due, &a.Recipients, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = tm(created)
		out = append(out, a)
	}
	return out, rows.Err()
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

func scanExt(sc interface{ Scan(...any) error }) (*Extension, error) {
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
	defer rows.Close()
	var out []Extension
	for rows.Next() {
		e, err := scanExt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

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

func scanKey(sc interface{ Scan(...any) error }) (*KeyProposal, error) {
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
	defer rows.Close()
	var out []KeyProposal
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *k)
	}
	return out, rows.Err()
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
	defer rows.Close()
	var out []KeyStep
	for rows.Next() {
		var st KeyStep
		var created int64
		if err := rows.Scan(&st.ID, &st.CommitteeID, &st.KeyID, &st.Kind, &st.Title, &st.PlannedOn, &st.DoneOn, &st.Note, &st.CreatedBy, &created); err != nil {
			return nil, err
		}
		st.CreatedAt = tm(created)
		out = append(out, st)
	}
	return out, rows.Err()
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
	defer rows.Close()
	var out []KeyNote
	for rows.Next() {
		var n KeyNote
		var created int64
		if err := rows.Scan(&n.ID, &n.KeyID, &n.AuthorID, &n.AuthorName, &n.Text, &created); err != nil {
			return nil, err
		}
		n.CreatedAt = tm(created)
		out = append(out, n)
	}
	return out, rows.Err()
}

// ---------- notification preferences ----------

// NotifyPrefs are the channels a user wants besides the in-app centre.
type NotifyPrefs struct {
	UserID int64
	Email  bool
	SMS    bool
	Saved  bool // false: the defaults, never saved
}

// DefaultNotifyPrefs: e-mail costs nothing and reaches unit staff at their
// desks; SMS costs money and interrupts, so each user opts in.
func DefaultNotifyPrefs(userID int64) NotifyPrefs { return NotifyPrefs{UserID: userID, Email: true} }

func (x q) notifyPrefs(userID int64) (NotifyPrefs, error) {
	p := NotifyPrefs{UserID: userID}
	err := x.row(`SELECT email, sms FROM notify_prefs WHERE user_id = ?`, userID).Scan(&p.Email, &p.SMS)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultNotifyPrefs(userID), nil
	}
	p.Saved = err == nil
	return p, err
}

// NotifyPrefs returns a user's channels.
func (s *Store) NotifyPrefs(ctx context.Context, userID int64) (NotifyPrefs, error) {
	return s.rd(ctx).notifyPrefs(userID)
}

// NotifyPrefs returns a user's channels inside a transaction.
func (t *Tx) NotifyPrefs(userID int64) (NotifyPrefs, error) { return t.rd().notifyPrefs(userID) }

// SaveNotifyPrefs stores a user's channels.
func (t *Tx) SaveNotifyPrefs(committeeID int64, p NotifyPrefs) error {
	_, err := t.exec(`INSERT INTO notify_prefs (committee_id, user_id, email, sms, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, sms = excluded.sms, updated_at = excluded.updated_at`,
		committeeID, p.UserID, b2i(p.Email), b2i(p.SMS), ms(t.Now()))
	return err
}

// SetContactDetails changes a user's e-mail address and mobile number.
func (t *Tx) SetContactDetails(userID int64, email, phone string) error {
	_, err := t.exec(`UPDATE users SET email = ?, phone = ? WHERE id = ?`, email, phone, userID)
	return err
}

// CommitteeTx reads a committee inside a transaction.
func (t *Tx) CommitteeTx(id int64) (*zhengxie.Committee, error) {
	c, err := scanCommittee(t.rd().row(`SELECT `+committeeCols+` FROM committees WHERE id = ?`, id))
	return c, notFound(err, "政协委员会")
}

// ---------- webhooks ----------

// WebhookSubscription is an integration that receives events.
type WebhookSubscription struct {
	ID          int64
	CommitteeID int64
	Name        string
	URL         string
	Secret      string
	Events      []string
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Wants reports whether the subscription receives event.
func (w *WebhookSubscription) Wants(event string) bool {
	for _, e := range w.Events {
		if e == event || e == "*" {
			return true
		}
	}
	return false
}

const subCols = `id, committee_id, name, url, secret, events, active, created_at, updated_at`

func scanSub(sc interface{ Scan(...any) error }) (*WebhookSubscription, error) {
	var w WebhookSubscription
	var events string
	var created, updated int64
	err := sc.Scan(&w.ID, &w.CommitteeID, &w.Name, &w.URL, &w.Secret, &events, &w.Active, &created, &updated)
	if events != "" {
		w.Events = strings.Split(events, ",")
	}
	w.CreatedAt, w.UpdatedAt = tm(created), tm(updated)
	return &w, err
}

// SaveWebhook inserts (ID 0) or updates a subscription.
func (t *Tx) SaveWebhook(w *WebhookSubscription) error {
	now := t.Now()
	w.UpdatedAt = now
	events := strings.Join(w.Events, ",")
	if w.ID == 0 {
		w.CreatedAt = now
		id, err := t.insert(`INSERT INTO webhook_subscriptions (committee_id, name, url, secret, events, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			w.CommitteeID, w.Name, w.URL, w.Secret, events, b2i(w.Active), ms(now), ms(now))
		w.ID = id
		return err
	}
	res, err := t.exec(`UPDATE webhook_subscriptions SET name = ?, url = ?, secret = ?, events = ?, active = ?, updated_at = ? WHERE id = ? AND committee_id = ?`,
		w.Name, w.URL, w.Secret, events, b2i(w.Active), ms(now), w.ID, w.CommitteeID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhengxie.NotFound("Webhook订阅")
	}
	return nil
}

// DeleteWebhook removes a subscription; its delivery log stays.
func (t *Tx) DeleteWebhook(committeeID, id int64) error {
	_, err := t.exec(`DELETE FROM webhook_subscriptions WHERE committee_id = ? AND id = ?`, committeeID, id)
	return err
}

// Webhook reads one subscription.
func (s *Store) Webhook(ctx context.Context, committeeID, id int64) (*WebhookSubscription, error) {
	w, err := scanSub(s.rd(ctx).row(`SELECT `+subCols+` FROM webhook_subscriptions WHERE committee_id = ? AND id = ?`, committeeID, id))
	return w, notFound(err, "Webhook订阅")
}

// Webhooks lists a committee's subscriptions.
func (s *Store) Webhooks(ctx context.Context, committeeID int64) ([]WebhookSubscription, error) {
	return s.rd(ctx).webhooks(committeeID, false)
}

// ActiveWebhooks lists a committee's active subscriptions inside a transaction.
func (t *Tx) ActiveWebhooks(committeeID int64) ([]WebhookSubscription, error) {
	return t.rd().webhooks(committeeID, true)
}

func (x q) webhooks(committeeID int64, activeOnly bool) ([]WebhookSubscription, error) {
	q := `SELECT ` + subCols + ` FROM webhook_subscriptions WHERE committee_id = ?`
	if activeOnly {
		q += ` AND active = 1`
	}
	rows, err := x.query(q+` ORDER BY id`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WebhookSubscription
	for rows.Next() {
		w, err := scanSub(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *w)
	}
	return out, rows.Err()
}

// WebhookDelivery is one attempt to deliver an event.
type WebhookDelivery struct {
	ID             int64
	CommitteeID    int64
	SubscriptionID int64
	JobID          int64
	DeliveryID     string // the same on every attempt of one event
	Event          string
	Attempt        int
	StatusCode     int // 0: no response
	Error          string
	DurationMS     int64
	CreatedAt      time.Time
}

// OK reports whether the receiver accepted the delivery.
func (d *WebhookDelivery) OK() bool {
	return d.StatusCode >= 200 && d.StatusCode < 300 && d.Error == ""
}

// AddWebhookDelivery records one attempt.
func (s *Store) AddWebhookDelivery(ctx context.Context, d *WebhookDelivery) error {
	d.CreatedAt = s.Now()
	var id int64
	err := s.w.QueryRowContext(ctx, s.dialect.rebind(`INSERT INTO webhook_deliveries (committee_id, subscription_id, job_id, delivery_id, event, attempt, status_code, error, duration_ms, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		d.CommitteeID, d.SubscriptionID, d.JobID, d.DeliveryID, d.Event, d.Attempt, d.StatusCode, clip(d.Error, 1000), d.DurationMS, ms(d.CreatedAt)).Scan(&id)
	d.ID = id
	return err
}

// WebhookDeliveries lists a subscription's delivery attempts, oldest first
// (the newest limit of them).
func (s *Store) WebhookDeliveries(ctx context.Context, committeeID, subscriptionID int64, limit int) ([]WebhookDelivery, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, subscription_id, job_id, delivery_id, event, attempt, status_code, error, duration_ms, created_at
		FROM webhook_deliveries WHERE committee_id = ? AND subscription_id = ? ORDER BY id DESC LIMIT ?`, committeeID, subscriptionID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WebhookDelivery
	for rows.Next() {
		var d WebhookDelivery
		var created int64
		if err := rows.Scan(&d.ID, &d.CommitteeID, &d.SubscriptionID, &d.JobID, &d.DeliveryID, &d.Event, &d.Attempt, &d.StatusCode, &d.Error, &d.DurationMS, &created); err != nil {
			return nil, err
		}
		d.CreatedAt = tm(created)
		out = append(out, d)
	}
	// Oldest first reads like a story: 500, 500, 200.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, rows.Err()
}

// WebhookDelivery reads one delivery attempt.
func (s *Store) WebhookDelivery(ctx context.Context, committeeID, id int64) (*WebhookDelivery, error) {
	var d WebhookDelivery
	var created int64
	err := s.rd(ctx).row(`SELECT id, committee_id, subscription_id, job_id, delivery_id, event, attempt, status_code, error, duration_ms, created_at
		FROM webhook_deliveries WHERE committee_id = ? AND id = ?`, committeeID, id).
		Scan(&d.ID, &d.CommitteeID, &d.SubscriptionID, &d.JobID, &d.DeliveryID, &d.Event, &d.Attempt, &d.StatusCode, &d.Error, &d.DurationMS, &created)
	d.CreatedAt = tm(created)
	return &d, notFound(err, "投递记录")
}

// ---------- evaluation ----------

// UnitTally is what the evaluation counts for one unit and one year; the
// rates and the score are the domain's (zhengxie.ScoreUnit).
type UnitTally struct {
	UnitID   int64
	UnitName string
	zhengxie.EvalCounts
	zhengxie.EvalScore
}

// UnitTallies counts, for every unit of a committee, its tasks assigned in
// [from, to) as of the civil date today, in one SQL statement. tzOffset is
// the committee's UTC offset in seconds, to turn reply times into civil
// dates. Units come in id order.
func (s *Store) UnitTallies(ctx context.Context, committeeID int64, from, to time.Time, today string, tzOffset int) ([]UnitTally, error) {
	var repliedDate string
	if s.dialect.name() == "postgres" {
		repliedDate = `to_char(to_timestamp(t.replied_at / 1000.0 + ?) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
	} else {
		repliedDate = `date(t.replied_at / 1000 + ?, 'unixepoch')`
	}
	query := `SELECT u.id, u.name,
		COUNT(t.id),
		SUM(CASE WHEN t.state = 'replied' OR (t.state IN ('pending', 'accepted', 'contacted') AND t.due < ?) THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.state = 'replied' AND ` + repliedDate + ` <= t.due THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.state = 'replied' AND t.kind <> 'co' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.state = 'replied' AND t.kind <> 'co' AND t.contacted = 1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback = 'satisfied' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback = 'basically' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback = 'unsatisfied' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.return_reason <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.rehandled = 1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.feedback <> '' OR t.rehandled = 1 THEN 1 ELSE 0 END)
		FROM units u LEFT JOIN tasks t ON t.unit_id = u.id AND t.committee_id = u.committee_id AND t.assigned_at >= ? AND t.assigned_at < ?
		WHERE u.committee_id = ? GROUP BY u.id, u.name ORDER BY u.id`
	rows, err := s.rd(ctx).query(query, today, tzOffset, ms(from), ms(to), committeeID)
	return collectQuery(rows, err, func(sc scanner) (UnitTally, error) {
		var u UnitTally
		var n [12]sql.NullInt64
		dest := []any{&u.UnitID, &u.UnitName}
		for i := range n {
			dest = append(dest, &n[i])
		}
		err := sc.Scan(dest...)
		c := &u.EvalCounts
		for i, p := range []*int{&c.Assigned, &c.Due, &c.OnTime, &c.Replied, &c.Contacted, &c.Rated, &c.Satisfied, &c.Basically,
			&c.Unsatisfied, &c.Returned, &c.Rehandled, &c.RehandleBase} {
			*p = int(n[i].Int64)
		}
		return u, err
	})
}

// UnitTasks lists a unit's tasks assigned in [from, to), for the breakdown
// behind a unit's evaluation.
func (s *Store) UnitTasks(ctx context.Context, committeeID, unitID int64, from, to time.Time) ([]TaskRow, error) {
	rows, err := s.rd(ctx).query(`SELECT `+taskCols+`, p.title, p.number, p.proposer_name`+taskFrom+` JOIN proposals p ON p.id = t.proposal_id
		WHERE t.committee_id = ? AND t.unit_id = ? AND t.assigned_at >= ? AND t.assigned_at < ? ORDER BY p.number, t.id`, committeeID, unitID, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	return collectTaskRows(rows)
}

// AlertCount counts the alerts of one kind about one deadline of a task.
func (t *Tx) AlertCount(taskID int64, kind, due string) (int, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM task_alerts WHERE task_id = ? AND kind = ? AND due = ?`, taskID, kind, due).Scan(&n)
	return n, err
}
