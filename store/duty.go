package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"zhengxie"
)

// Duty (履职): the office's records, the yearly rules, the items of a
// year and the computed scores (activities are in activity.go). Every query
// carries the committee.

// ---- duty records ----

// CreateDutyRecord inserts a speech, report or deed.
func (t *Tx) CreateDutyRecord(r *zhengxie.DutyRecord) error {
	r.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO duty_records (committee_id, year, user_id, kind, title, detail, beneficiary, occurred_on, activity_id, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.CommitteeID, r.Year, r.UserID, string(r.Kind), r.Title, r.Detail, r.Beneficiary, r.On.String(), r.ActivityID, r.CreatedBy, ms(r.CreatedAt))
	r.ID = id
	return err
}

// DutyRecords lists a committee's records of a year (of one member when userID != 0).
func (s *Store) DutyRecords(ctx context.Context, committeeID int64, year int, userID int64) ([]zhengxie.DutyRecord, error) {
	qs := `SELECT r.id, r.committee_id, r.year, r.user_id, u.name, r.kind, r.title, r.detail, r.beneficiary, r.occurred_on, r.activity_id, r.created_by, r.created_at
		FROM duty_records r JOIN users u ON u.id = r.user_id WHERE r.committee_id = ? AND r.year = ?`
	args := []any{committeeID, year}
	if userID != 0 {
		qs += ` AND r.user_id = ?`
		args = append(args, userID)
	}
	rows, err := s.rd(ctx).query(qs+` ORDER BY r.occurred_on DESC, r.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.DutyRecord
	for rows.Next() {
		var r zhengxie.DutyRecord
		var on string
		var created int64
		if err := rows.Scan(&r.ID, &r.CommitteeID, &r.Year, &r.UserID, &r.UserName, &r.Kind, &r.Title, &r.Detail, &r.Beneficiary, &on, &r.ActivityID, &r.CreatedBy, &created); err != nil {
			return nil, err
		}
		r.On, _ = zhengxie.ParseDate(on)
		r.CreatedAt = tm(created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ---- rules ----

// DutyRules returns a committee's rules of a year, or the defaults (and false).
func (s *Store) DutyRules(ctx context.Context, committeeID int64, year int) (zhengxie.DutyRules, bool, error) {
	return s.rd(ctx).dutyRules(committeeID, year)
}

// DutyRules returns them inside a transaction.
func (t *Tx) DutyRules(committeeID int64, year int) (zhengxie.DutyRules, bool, error) {
	return t.rd().dutyRules(committeeID, year)
}

func (x q) dutyRules(committeeID int64, year int) (zhengxie.DutyRules, bool, error) {
	var body string
	err := x.row(`SELECT body FROM duty_rules WHERE committee_id = ? AND year = ?`, committeeID, year).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return zhengxie.DefaultDutyRules(year), false, nil
	}
	if err != nil {
		return zhengxie.DutyRules{}, false, err
	}
	var r zhengxie.DutyRules
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return zhengxie.DutyRules{}, false, fmt.Errorf("duty rules %d/%d: %w", committeeID, year, err)
	}
	r.Year = year
	return r, true, nil
}

// SaveDutyRules stores a committee's rules of a year.
func (t *Tx) SaveDutyRules(committeeID int64, r *zhengxie.DutyRules, by int64) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO duty_rules (committee_id, year, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (committee_id, year) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		committeeID, r.Year, string(body), by, ms(t.Now()))
	return err
}

// DutyRuleYears lists the years a committee has rules for.
func (s *Store) DutyRuleYears(ctx context.Context, committeeID int64) ([]int, error) {
	rows, err := s.rd(ctx).query(`SELECT year FROM duty_rules WHERE committee_id = ? UNION SELECT DISTINCT year FROM activities WHERE committee_id = ? ORDER BY 1 DESC`, committeeID, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// ---- the items of a year ----

// YearItems loads everything that counts toward duty in a committee's
// year, for all members (userID 0) or one: attendance of activities that
// took place, proposals, the office's records and the events of other
// modules (reports, receptions). invited counts the invitations of
// activities that took place, per member. loc is the committee's zone.
func (x q) yearItems(committeeID int64, year int, userID int64, loc *time.Location) ([]zhengxie.DutyItem, map[int64]int, error) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	to := from.AddDate(1, 0, 0)
	var items []zhengxie.DutyItem
	invited := map[int64]int{}
	userCond, userArgs := "", []any{}
	if userID != 0 {
		userCond, userArgs = " AND t.user_id = ?", []any{userID}
	}
	// Attendance.
	rows, err := x.query(`SELECT t.user_id, t.state, a.id, a.kind, a.title, a.state, a.starts_at FROM attendance t JOIN activities a ON a.id = t.activity_id AND a.committee_id = t.committee_id
		WHERE t.committee_id = ? AND a.year = ? AND a.state IN ('held', 'closed')`+userCond, append([]any{committeeID, year}, userArgs...)...)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var at zhengxie.Attendance
		var act zhengxie.Activity
		var starts int64
		if err := rows.Scan(&at.UserID, &at.State, &act.ID, &act.Kind, &act.Title, &act.State, &starts); err != nil {
			rows.Close()
			return nil, nil, err
		}
		act.StartsAt = tm(starts)
		invited[at.UserID]++
		if it, ok := zhengxie.AttendanceItem(&act, &at); ok {
			items = append(items, it)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// Proposals: led (filed in the year), accepted, key; co-signed.
	pCond, pArgs := "", []any{}
	if userID != 0 {
		pCond, pArgs = " AND proposer_id = ?", []any{userID}
	}
	rows, err = x.query(`SELECT id, proposer_id, title, submitted_at, accepted_at, is_key, number FROM proposals
		WHERE committee_id = ? AND submitted_at >= ? AND submitted_at < ? AND proposer_id > 0 AND state NOT IN ('draft', 'withdrawn')`+pCond,
		append([]any{committeeID, ms(from), ms(to)}, pArgs...)...)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var id, uid, submitted, accepted int64
		var title string
		var key bool
		var number int
		if err := rows.Scan(&id, &uid, &title, &submitted, &accepted, &key, &number); err != nil {
			rows.Close()
			return nil, nil, err
		}
		ref := fmt.Sprintf("proposal:%d", id)
		items = append(items, zhengxie.DutyItem{UserID: uid, Kind: zhengxie.DutyProposalFiled, Ref: ref, Title: title, At: tm(submitted)})
		if accepted != 0 || number > 0 {
			at := tm(accepted)
			if at.IsZero() {
				at = tm(submitted)
			}
			items = append(items, zhengxie.DutyItem{UserID: uid, Kind: zhengxie.DutyProposalAccepted, Ref: ref, Title: title, At: at})
		}
		if key {
			items = append(items, zhengxie.DutyItem{UserID: uid, Kind: zhengxie.DutyProposalKey, Ref: ref, Title: title, At: tm(submitted)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	cCond := ""
	if userID != 0 {
		cCond = " AND c.user_id = ?"
	}
	rows, err = x.query(`SELECT p.id, c.user_id, p.title, p.submitted_at FROM cosigners c JOIN proposals p ON p.id = c.proposal_id AND p.committee_id = c.committee_id
		WHERE c.committee_id = ? AND c.status = 'confirmed' AND p.submitted_at >= ? AND p.submitted_at < ? AND p.state NOT IN ('draft', 'withdrawn')`+cCond,
		append([]any{committeeID, ms(from), ms(to)}, pArgs...)...)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var id, uid, submitted int64
		var title string
		if err := rows.Scan(&id, &uid, &title, &submitted); err != nil {
			rows.Close()
			return nil, nil, err
		}
		items = append(items, zhengxie.DutyItem{UserID: uid, Kind: zhengxie.DutyProposalCosigned, Ref: fmt.Sprintf("proposal:%d", id), Title: title, At: tm(submitted)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// The office's records.
	rCond := ""
	if userID != 0 {
		rCond = " AND user_id = ?"
	}
	rows, err = x.query(`SELECT id, user_id, kind, title, occurred_on FROM duty_records WHERE committee_id = ? AND year = ?`+rCond, append([]any{committeeID, year}, pArgs...)...)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var id, uid int64
		var kind, title, on string
		if err := rows.Scan(&id, &uid, &kind, &title, &on); err != nil {
			rows.Close()
			return nil, nil, err
		}
		d, _ := zhengxie.ParseDate(on)
		items = append(items, zhengxie.DutyItem{UserID: uid, Kind: zhengxie.DutyKind(kind), Ref: fmt.Sprintf("record:%d", id), Title: title, At: d.In(loc)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// Events of other modules: reports, receptions, excellent proposals.
	actions := "'" + strings.Join(zhengxie.DutyEventActions, "', '") + "'"
	rows, err = x.query(`SELECT `+eventCols+` FROM events WHERE committee_id = ? AND action IN (`+actions+`) AND created_at >= ? AND created_at < ?`,
		committeeID, ms(from), ms(to))
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		for _, it := range zhengxie.ItemsFromEvent(e) {
			if userID == 0 || it.UserID == userID {
				items = append(items, it)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return zhengxie.DedupeItems(items), invited, nil
}

// YearItems loads the items of a committee's year (see q.yearItems).
func (s *Store) YearItems(ctx context.Context, committeeID int64, year int, userID int64, loc *time.Location) ([]zhengxie.DutyItem, map[int64]int, error) {
	return s.rd(ctx).yearItems(committeeID, year, userID, loc)
}

// ---- scores ----

// DutyScoreRow is one member's computed year, kept for the ranked table.
type DutyScoreRow struct {
	UserID     int64
	Name       string // filled by reads
	SectorID   int64  // filled by reads
	Points     int
	Invited    int
	Attended   int
	Leaves     int
	Absences   int
	TasksDone  int
	TasksTotal int
}

// ReplaceDutyScores replaces a committee's computed year.
func (t *Tx) ReplaceDutyScores(committeeID int64, year int, rows []DutyScoreRow) error {
	if _, err := t.exec(`DELETE FROM duty_scores WHERE committee_id = ? AND year = ?`, committeeID, year); err != nil {
		return err
	}
	// Multi-row inserts: a national committee has 2,000+ members.
	const per = 200
	for i := 0; i < len(rows); i += per {
		end := min(i+per, len(rows))
		var b strings.Builder
		b.WriteString(`INSERT INTO duty_scores (committee_id, year, user_id, points, invited, attended, leaves, absences, tasks_done, tasks_total) VALUES `)
		args := make([]any, 0, (end-i)*10)
		for j, r := range rows[i:end] {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, committeeID, year, r.UserID, r.Points, r.Invited, r.Attended, r.Leaves, r.Absences, r.TasksDone, r.TasksTotal)
		}
		if _, err := t.exec(b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// UpsertDutyScore replaces one member's computed year.
func (t *Tx) UpsertDutyScore(committeeID int64, year int, r DutyScoreRow) error {
	_, err := t.exec(`INSERT INTO duty_scores (committee_id, year, user_id, points, invited, attended, leaves, absences, tasks_done, tasks_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (committee_id, year, user_id) DO UPDATE SET points = excluded.points, invited = excluded.invited, attended = excluded.attended,
		leaves = excluded.leaves, absences = excluded.absences, tasks_done = excluded.tasks_done, tasks_total = excluded.tasks_total`,
		committeeID, year, r.UserID, r.Points, r.Invited, r.Attended, r.Leaves, r.Absences, r.TasksDone, r.TasksTotal)
	return err
}

// dutyScoreConds is the WHERE of the kept scores of a year that f selects;
// join tells whether it needs users u (a sector filter).
func dutyScoreConds(f ProfileFilter, year int) (conds []string, args []any, join bool) {
	conds = []string{"d.committee_id = ?", "d.year = ?"}
	args = []any{f.CommitteeID, year}
	if f.SectorID != 0 {
		conds = append(conds, "u.sector_id = ?")
		args = append(args, f.SectorID)
		join = true
	}
	for _, o := range []struct {
		kind string
		id   int64
	}{{zhengxie.OrgSpecialCommittee, f.SpecialCommitteeID}, {zhengxie.OrgStation, f.StationID}} {
		if o.id != 0 {
			conds = append(conds, "d.user_id IN (SELECT user_id FROM org_members WHERE committee_id = ? AND org_kind = ? AND org_id = ?)")
			args = append(args, f.CommitteeID, o.kind, o.id)
		}
	}
	return conds, args, join
}

const dutyScoreCols = `d.user_id, u.name, u.sector_id, d.points, d.invited, d.attended, d.leaves, d.absences, d.tasks_done, d.tasks_total`

func scanDutyScores(rows *sql.Rows) ([]DutyScoreRow, error) {
	defer rows.Close()
	var out []DutyScoreRow
	for rows.Next() {
		var r DutyScoreRow
		if err := rows.Scan(&r.UserID, &r.Name, &r.SectorID, &r.Points, &r.Invited, &r.Attended, &r.Leaves, &r.Absences, &r.TasksDone, &r.TasksTotal); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DutyScores lists a committee's computed year, best first, of the
// members f selects (its CommitteeID must be the committee).
func (s *Store) DutyScores(ctx context.Context, f ProfileFilter, year int) ([]DutyScoreRow, error) {
	conds, args, _ := dutyScoreConds(f, year)
	rows, err := s.rd(ctx).query(`SELECT `+dutyScoreCols+`
		FROM duty_scores d JOIN users u ON u.id = d.user_id WHERE `+strings.Join(conds, " AND ")+` ORDER BY d.points DESC, d.user_id`, args...)
	if err != nil {
		return nil, err
	}
	return scanDutyScores(rows)
}

// DutyScoresPage lists limit rows from offset of what DutyScores lists,
// of the members behind with their tasks only if behind, and how many
// rows there are in all.
func (s *Store) DutyScoresPage(ctx context.Context, f ProfileFilter, year int, behind bool, offset, limit int) ([]DutyScoreRow, int, error) {
	conds, args, join := dutyScoreConds(f, year)
	if behind {
		conds = append(conds, "d.tasks_done < d.tasks_total")
	}
	where := strings.Join(conds, " AND ")
	from := "duty_scores d"
	if join {
		from += " JOIN users u ON u.id = d.user_id"
	}
	var total int
	if err := s.rd(ctx).row(`SELECT COUNT(*) FROM `+from+` WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rd(ctx).query(`SELECT `+dutyScoreCols+` FROM duty_scores d JOIN users u ON u.id = d.user_id WHERE `+where+
		fmt.Sprintf(` ORDER BY d.points DESC, d.user_id LIMIT %d OFFSET %d`, limit, offset), args...)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanDutyScores(rows)
	return out, total, err
}

// PointCount is how many of the selected members have one number of
// points, and how many of them attend less than the line.
type PointCount struct {
	Points, Count, Low int
}

// DutyPointCounts counts the selected members' kept scores by points, the
// most first: enough for the ranks, the distribution and the members with
// low attendance without reading every row. A member's attendance is low
// as zhengxie.AttendanceSummary.Low says (at least three invitations and
// a rate, rounded down, below lowLine).
func (s *Store) DutyPointCounts(ctx context.Context, f ProfileFilter, year int, lowLine int) ([]PointCount, error) {
	conds, args, join := dutyScoreConds(f, year)
	from := "duty_scores d"
	if join {
		from += " JOIN users u ON u.id = d.user_id"
	}
	rows, err := s.rd(ctx).query(`SELECT d.points, COUNT(*), COALESCE(SUM(CASE WHEN d.invited < 3 THEN 0 WHEN (d.attended * 100) / d.invited < ? THEN 1 ELSE 0 END), 0)
		FROM `+from+` WHERE `+strings.Join(conds, " AND ")+` GROUP BY d.points ORDER BY d.points DESC`, append([]any{lowLine}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PointCount
	for rows.Next() {
		var c PointCount
		if err := rows.Scan(&c.Points, &c.Count, &c.Low); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DutyRun is the state of a committee's recomputation of a year.
type DutyRun struct {
	State      string // "pending", "running", "done", "failed"
	Done       int
	Total      int
	EventSeq   int64 // the committee's event sequence the last run saw
	StartedAt  time.Time
	FinishedAt time.Time
	Error      string
}

// DutyRun returns the recomputation state (State "" when never run).
func (s *Store) DutyRun(ctx context.Context, committeeID int64, year int) (DutyRun, error) {
	var r DutyRun
	var started, finished int64
	err := s.rd(ctx).row(`SELECT state, done, total, event_seq, started_at, finished_at, error FROM duty_runs WHERE committee_id = ? AND year = ?`, committeeID, year).
		Scan(&r.State, &r.Done, &r.Total, &r.EventSeq, &started, &finished, &r.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return DutyRun{}, nil
	}
	r.StartedAt, r.FinishedAt = tm(started), tm(finished)
	return r, err
}

// SetDutyRun writes the recomputation state, outside any change's transaction.
func (s *Store) SetDutyRun(ctx context.Context, committeeID int64, year int, r DutyRun) error {
	return s.InTx(ctx, func(t *Tx) error { return t.SetDutyRun(committeeID, year, r) })
}

// SetDutyRun writes the recomputation state in a transaction.
func (t *Tx) SetDutyRun(committeeID int64, year int, r DutyRun) error {
	_, err := t.exec(`INSERT INTO duty_runs (committee_id, year, state, done, total, event_seq, started_at, finished_at, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (committee_id, year) DO UPDATE SET state = excluded.state, done = excluded.done, total = excluded.total, event_seq = excluded.event_seq,
		started_at = excluded.started_at, finished_at = excluded.finished_at, error = excluded.error`,
		committeeID, year, r.State, r.Done, r.Total, r.EventSeq, ms(r.StartedAt), ms(r.FinishedAt), r.Error)
	return err
}

// EventSeq returns a committee's latest event sequence number.
func (s *Store) EventSeq(ctx context.Context, committeeID int64) (int64, error) {
	var seq int64
	err := s.rd(ctx).row(`SELECT event_seq FROM committees WHERE id = ?`, committeeID).Scan(&seq)
	return seq, notFound(err, "政协委员会")
}

// Secret returns the server's secret of a name, creating a random one on
// first use. It is kept in the database so that every app server of one
// database signs alike and a restart keeps the QR codes valid.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	var v string
	err := s.rd(ctx).row(`SELECT value FROM app_secrets WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		err = s.InTx(ctx, func(t *Tx) error {
			_, err := t.exec(`INSERT INTO app_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`, name, hex.EncodeToString(b), ms(t.Now()))
			return err
		})
		if err != nil {
			return nil, err
		}
		err = s.w.QueryRowContext(ctx, s.dialect.rebind(`SELECT value FROM app_secrets WHERE name = ?`), name).Scan(&v)
	}
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// lockOf locks the rows of one table of a join on PostgreSQL (the joined
// organisation tables stay unlocked); SQLite's single writer serialises.
func (t *Tx) lockOf(alias string) string {
	if t.s.dialect.name() == "postgres" {
		return " FOR NO KEY UPDATE OF " + alias
	}
	return ""
}

// YearItems loads the items of a year inside a transaction (they see its writes).
func (t *Tx) YearItems(committeeID int64, year int, userID int64, loc *time.Location) ([]zhengxie.DutyItem, map[int64]int, error) {
	return t.rd().yearItems(committeeID, year, userID, loc)
}

// AttendanceUsers lists the members invited to an activity.
func (t *Tx) AttendanceUsers(committeeID, activityID int64) ([]int64, error) {
	rows, err := t.rd().query(`SELECT user_id FROM attendance WHERE committee_id = ? AND activity_id = ?`, committeeID, activityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// MyAttendances returns a member's answers to the activities of a year, by activity.
func (s *Store) MyAttendances(ctx context.Context, committeeID int64, year int, userID int64) (map[int64]zhengxie.AttendanceState, error) {
	// CROSS JOIN keeps SQLite reading the member's own rows first (attendance_user)
	// instead of probing every activity of the year; PostgreSQL plans it as a join.
	rows, err := s.rd(ctx).query(`SELECT t.activity_id, t.state FROM attendance t CROSS JOIN activities a
		WHERE a.id = t.activity_id AND a.committee_id = t.committee_id AND t.committee_id = ? AND t.user_id = ? AND a.year = ?`, committeeID, userID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]zhengxie.AttendanceState{}
	for rows.Next() {
		var id int64
		var st zhengxie.AttendanceState
		if err := rows.Scan(&id, &st); err != nil {
			return nil, err
		}
		out[id] = st
	}
	return out, rows.Err()
}

// DutyStanding is where one member stands among a year's kept scores.
type DutyStanding struct {
	Rank, Of             int // competition rank (0 when the member has no kept score) among Of members
	SectorRank, SectorOf int // the same among the members of sectorID
}

// DutyStanding counts the member's standing in the kept scores instead of
// reading them all: the record page needs four numbers, not 2,200 rows.
// The ranks are those app.Ranks gives the rows DutyScores lists.
func (s *Store) DutyStanding(ctx context.Context, committeeID int64, year int, userID, sectorID int64) (DutyStanding, error) {
	var st DutyStanding
	x := s.rd(ctx)
	var points int
	err := x.row(`SELECT d.points FROM duty_scores d JOIN users u ON u.id = d.user_id WHERE d.committee_id = ? AND d.year = ? AND d.user_id = ?`,
		committeeID, year, userID).Scan(&points)
	kept := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, err
	}
	var above, sectorAbove int
	err = x.row(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN u.sector_id = ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN d.points > ? THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN d.points > ? AND u.sector_id = ? THEN 1 ELSE 0 END), 0)
		FROM duty_scores d JOIN users u ON u.id = d.user_id WHERE d.committee_id = ? AND d.year = ?`,
		sectorID, points, points, sectorID, committeeID, year).Scan(&st.Of, &st.SectorOf, &above, &sectorAbove)
	if err != nil {
		return st, err
	}
	if kept {
		st.Rank, st.SectorRank = above+1, sectorAbove+1
	}
	return st, nil
}
