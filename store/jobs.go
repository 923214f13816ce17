package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"zhengxie"
)

// Why a jobs table of our own rather than a queue library: the job must be
// written in the same transaction as the change that causes it (a task
// assigned, a reminder due), on SQLite as on PostgreSQL, through the
// *Tx every service already uses. The maintained Go queues either speak
// only PostgreSQL (river, pgq) or need Redis (asynq), and none joins our
// database/sql transaction on SQLite. What a queue needs beyond a table is
// small and lives here: a claim that two workers cannot both win
// (FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the single writer
// connection serialises the claim), a lease so that a job whose worker
// died is claimed again, retries scheduled by the caller, and a unique
// dedupe key so that the same message is never queued twice.

// Job states.
const (
	JobPending = "pending" // waiting for run_at
	JobRunning = "running" // claimed by a worker until its lease (run_at) ends
	JobDone    = "done"
	JobFailed  = "failed" // gave up: permanent error or out of attempts; an admin may retry
)

// DefaultMaxAttempts is how often a job is tried before it is marked failed.
// With notify.Backoff (30 s doubling, capped at an hour) ten attempts span
// about five hours: long enough to outlast a mail server's maintenance.
const DefaultMaxAttempts = 10

// Job is one unit of work done after a commit: an e-mail, an SMS, a webhook
// delivery.
type Job struct {
	ID          int64
	CommitteeID int64
	Kind        string
	DedupeKey   string // "" means none
	Payload     string // JSON, read by the kind's handler
	Label       string // what the admin page shows, in Chinese
	State       string
	RunAt       time.Time // pending: not before; running: end of the lease
	Attempts    int       // claims so far, the running one included
	MaxAttempts int
	LastError   string
	LockedBy    string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	FinishedAt  time.Time
}

const jobCols = `id, committee_id, kind, COALESCE(dedupe_key, ''), payload, label, state, run_at, attempts, max_attempts,
	last_error, locked_by, created_at, updated_at, finished_at`

func scanJob(sc interface{ Scan(...any) error }) (*Job, error) {
	var j Job
	var runAt, created, updated, finished int64
	err := sc.Scan(&j.ID, &j.CommitteeID, &j.Kind, &j.DedupeKey, &j.Payload, &j.Label, &j.State, &runAt, &j.Attempts, &j.MaxAttempts,
		&j.LastError, &j.LockedBy, &created, &updated, &finished)
	j.RunAt, j.CreatedAt, j.UpdatedAt, j.FinishedAt = tm(runAt), tm(created), tm(updated), tm(finished)
	return &j, err
}

// Enqueue adds a job in the transaction of the change that causes it. A job
// whose dedupe key is already in the table is not added again: Enqueue then
// reports false and leaves j.ID zero.
func (t *Tx) Enqueue(j *Job) (bool, error) {
	now := t.Now()
	if j.RunAt.IsZero() {
		j.RunAt = now
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = DefaultMaxAttempts
	}
	j.State, j.CreatedAt, j.UpdatedAt = JobPending, now, now
	key := sql.NullString{String: j.DedupeKey, Valid: j.DedupeKey != ""}
	var id int64
	err := t.queryRow(`INSERT INTO jobs (committee_id, kind, dedupe_key, payload, label, state, run_at, attempts, max_attempts, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'pending', ?, 0, ?, ?, ?)
		ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
		j.CommitteeID, j.Kind, key, j.Payload, j.Label, ms(j.RunAt), j.MaxAttempts, ms(now), ms(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	j.ID = id
	return true, nil
}

// ClaimJob hands the next due job to worker and holds it for lease: the
// oldest pending job whose time has come, or a running one whose lease ran
// out (its worker died). It returns nil when nothing is due. The claim
// counts as an attempt, so a job that crashes its worker every time still
// runs out of attempts.
func (s *Store) ClaimJob(ctx context.Context, worker string, now time.Time, lease time.Duration) (*Job, error) {
	// On PostgreSQL, SKIP LOCKED lets concurrent workers (of this process or
	// of other instances) pass over a row another one is claiming instead of
	// queueing behind it. On SQLite the statement runs on the single writer
	// connection, which already makes the claim exclusive.
	lock := ""
	if s.dialect.name() == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	leaseEnd := ms(now.Add(lease))
	j, err := scanJob(s.w.QueryRowContext(ctx, s.dialect.rebind(`UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, run_at = ?,
		attempts = attempts + 1, updated_at = ?
		WHERE id = (SELECT id FROM jobs WHERE state IN ('pending', 'running') AND run_at <= ? ORDER BY run_at, id LIMIT 1`+lock+`)
		RETURNING `+jobCols), worker, leaseEnd, leaseEnd, ms(now), ms(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.dialect.translate(err)
	}
	return j, nil
}

// ExtendJobLease keeps a long job (an index rebuild) with its worker: it
// reports false when the worker no longer holds it.
func (s *Store) ExtendJobLease(ctx context.Context, j *Job, worker string, until time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, s.dialect.rebind(`UPDATE jobs SET locked_until = ?, run_at = ? WHERE id = ? AND locked_by = ? AND state = 'running'`),
		ms(until), ms(until), j.ID, worker)
	if err != nil {
		return false, s.dialect.translate(err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// FinishJob marks a claimed job done. It reports false when the worker no
// longer holds the job (its lease ran out and another worker took it).
func (s *Store) FinishJob(ctx context.Context, j *Job, worker string, now time.Time) (bool, error) {
	return s.settle(ctx, `state = 'done', last_error = '', finished_at = ?`, []any{ms(now)}, j, worker, now)
}

// RetryJob puts a claimed job back to wait until runAt, keeping the error.
func (s *Store) RetryJob(ctx context.Context, j *Job, worker string, lastErr string, runAt, now time.Time) (bool, error) {
	return s.settle(ctx, `state = 'pending', run_at = ?, last_error = ?`, []any{ms(runAt), clip(lastErr, 2000)}, j, worker, now)
}

// FailJob gives up on a claimed job.
func (s *Store) FailJob(ctx context.Context, j *Job, worker string, lastErr string, now time.Time) (bool, error) {
	return s.settle(ctx, `state = 'failed', last_error = ?, finished_at = ?`, []any{clip(lastErr, 2000), ms(now)}, j, worker, now)
}

// ReleaseJob gives a claimed job back without counting the attempt: the
// worker is shutting down, nothing went wrong with the job.
func (s *Store) ReleaseJob(ctx context.Context, j *Job, worker string, now time.Time) (bool, error) {
	return s.settle(ctx, `state = 'pending', run_at = ?, attempts = attempts - 1`, []any{ms(now)}, j, worker, now)
}

func (s *Store) settle(ctx context.Context, set string, args []any, j *Job, worker string, now time.Time) (bool, error) {
	args = append(args, ms(now), j.ID, worker)
	res, err := s.w.ExecContext(ctx, s.dialect.rebind(`UPDATE jobs SET `+set+`, locked_by = '', locked_until = 0, updated_at = ?
		WHERE id = ? AND state = 'running' AND locked_by = ?`), args...)
	if err != nil {
		return false, s.dialect.translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RetryJobNow is the admin's retry button: a failed (or waiting) job runs
// again at once, with a fresh set of attempts.
func (s *Store) RetryJobNow(ctx context.Context, committeeID, id int64, now time.Time) error {
	res, err := s.w.ExecContext(ctx, s.dialect.rebind(`UPDATE jobs SET state = 'pending', run_at = ?, max_attempts = attempts + ?,
		finished_at = 0, updated_at = ? WHERE id = ? AND committee_id = ? AND state IN ('failed', 'pending')`),
		ms(now), DefaultMaxAttempts, ms(now), id, committeeID)
	if err != nil {
		return s.dialect.translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhengxie.Errorf(zhengxie.EIllegal, "该任务不存在，或正在执行、已完成，不能重试。")
	}
	return nil
}

// Job reads one job of a committee.
func (s *Store) Job(ctx context.Context, committeeID, id int64) (*Job, error) {
	j, err := scanJob(s.rd(ctx).row(`SELECT `+jobCols+` FROM jobs WHERE committee_id = ? AND id = ?`, committeeID, id))
	return j, notFound(err, "后台任务")
}

// JobFilter selects jobs for the admin page.
type JobFilter struct {
	CommitteeID int64
	State       string
	Kind        string
	Offset      int
	Limit       int
}

// Jobs lists a committee's jobs, newest first, with the total count.
func (s *Store) Jobs(ctx context.Context, f JobFilter) ([]Job, int, error) {
	where := `committee_id = ?`
	args := []any{f.CommitteeID}
	if f.State != "" {
		where += ` AND state = ?`
		args = append(args, f.State)
	}
	if f.Kind != "" {
		where += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	x := s.rd(ctx)
	var total int
	if err := x.row(`SELECT COUNT(*) FROM jobs WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := x.query(`SELECT `+jobCols+` FROM jobs WHERE `+where+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *j)
	}
	return out, total, rows.Err()
}

// JobCounts counts a committee's jobs by state.
func (s *Store) JobCounts(ctx context.Context, committeeID int64) (map[string]int, error) {
	rows, err := s.rd(ctx).query(`SELECT state, COUNT(*) FROM jobs WHERE committee_id = ? GROUP BY state`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// PurgeJobs deletes jobs that finished successfully before the given time.
// Failed jobs stay until an admin has seen them. Deduplication does not
// depend on old jobs: reminders are deduplicated by task_alerts.
func (s *Store) PurgeJobs(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, s.dialect.rebind(`DELETE FROM jobs WHERE state = 'done' AND finished_at < ?`), ms(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// clip shortens s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
