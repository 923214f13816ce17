package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"zhengxie"
)

// Activities of the duty module (履职), their attendance, links and files;
// the records, rules, items and scores of a year are in duty.go. Every query
// carries the committee.

const activityCols = `a.id, a.committee_id, a.year, a.kind, a.title, a.state, a.starts_at, a.ends_at, a.place, a.organizer_kind, a.organizer_id,
	COALESCE(CASE a.organizer_kind WHEN 'station' THEN st.name WHEN 'special_committee' THEN sc.name END, ''),
	a.register_by, a.description, a.minutes, a.suggestions, a.created_by, a.created_at, a.updated_at`

const activityFrom = ` FROM activities a
	LEFT JOIN stations st ON a.organizer_kind = 'station' AND st.id = a.organizer_id AND st.committee_id = a.committee_id
	LEFT JOIN special_committees sc ON a.organizer_kind = 'special_committee' AND sc.id = a.organizer_id AND sc.committee_id = a.committee_id`

func scanActivity(sc interface{ Scan(...any) error }) (*zhengxie.Activity, error) {
	var a zhengxie.Activity
	var starts, ends, reg, created, updated int64
	err := sc.Scan(&a.ID, &a.CommitteeID, &a.Year, &a.Kind, &a.Title, &a.State, &starts, &ends, &a.Place, &a.OrganizerKind, &a.OrganizerID, &a.OrganizerName,
		&reg, &a.Description, &a.Minutes, &a.Suggestions, &a.CreatedBy, &created, &updated)
	a.StartsAt, a.EndsAt, a.RegisterBy, a.CreatedAt, a.UpdatedAt = tm(starts), tm(ends), tm(reg), tm(created), tm(updated)
	if a.OrganizerKind == "office" || a.OrganizerName == "" {
		a.OrganizerName = "政协机关"
	}
	return &a, err
}

// CreateActivity inserts an activity.
func (t *Tx) CreateActivity(a *zhengxie.Activity) error {
	now := t.Now()
	a.CreatedAt, a.UpdatedAt = now, now
	id, err := t.insert(`INSERT INTO activities (committee_id, year, kind, title, state, starts_at, ends_at, place, organizer_kind, organizer_id, register_by,
		description, minutes, suggestions, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.CommitteeID, a.Year, string(a.Kind), a.Title, string(a.State), ms(a.StartsAt), ms(a.EndsAt), a.Place, a.OrganizerKind, a.OrganizerID, ms(a.RegisterBy),
		a.Description, a.Minutes, a.Suggestions, a.CreatedBy, ms(now), ms(now))
	a.ID = id
	return err
}

// UpdateActivity saves an activity's fields and state.
func (t *Tx) UpdateActivity(a *zhengxie.Activity) error {
	a.UpdatedAt = t.Now()
	res, err := t.exec(`UPDATE activities SET year = ?, kind = ?, title = ?, state = ?, starts_at = ?, ends_at = ?, place = ?, register_by = ?,
		description = ?, minutes = ?, suggestions = ?, updated_at = ? WHERE committee_id = ? AND id = ?`,
		a.Year, string(a.Kind), a.Title, string(a.State), ms(a.StartsAt), ms(a.EndsAt), a.Place, ms(a.RegisterBy),
		a.Description, a.Minutes, a.Suggestions, ms(a.UpdatedAt), a.CommitteeID, a.ID)
	return affected(res, err, "活动")
}

// Activity returns one activity of a committee.
func (s *Store) Activity(ctx context.Context, committeeID, id int64) (*zhengxie.Activity, error) {
	a, err := scanActivity(s.rd(ctx).row(`SELECT `+activityCols+activityFrom+` WHERE a.committee_id = ? AND a.id = ?`, committeeID, id))
	return a, notFound(err, "活动")
}

// LockActivity reads an activity for a change in the transaction.
func (t *Tx) LockActivity(committeeID, id int64) (*zhengxie.Activity, error) {
	a, err := scanActivity(t.rd().row(`SELECT `+activityCols+activityFrom+` WHERE a.committee_id = ? AND a.id = ?`+t.lockOf("a"), committeeID, id))
	return a, notFound(err, "活动")
}

// ActivityFilter selects activities.
type ActivityFilter struct {
	CommitteeID int64
	Year        int
	State       zhengxie.ActivityState
	Kind        zhengxie.ActivityKind
	// InvitedUser: only activities this member is invited to.
	InvitedUser int64
	// Organizers: only activities of these organisers ("station:3"); with
	// Office, those of the office too.
	Organizers []string
	Office     bool
	Limit      int
}

// Activities lists activities, the latest first.
func (s *Store) Activities(ctx context.Context, f ActivityFilter) ([]zhengxie.Activity, error) {
	conds := []string{"a.committee_id = ?"}
	args := []any{f.CommitteeID}
	if f.Year != 0 {
		conds = append(conds, "a.year = ?")
		args = append(args, f.Year)
	}
	if f.State != "" {
		conds = append(conds, "a.state = ?")
		args = append(args, string(f.State))
	}
	if f.Kind != "" {
		conds = append(conds, "a.kind = ?")
		args = append(args, string(f.Kind))
	}
	var or []string
	if f.InvitedUser != 0 {
		or = append(or, "a.id IN (SELECT activity_id FROM attendance WHERE committee_id = ? AND user_id = ?)")
		args = append(args, f.CommitteeID, f.InvitedUser)
	}
	for _, o := range f.Organizers {
		kind, v, _ := strings.Cut(o, ":")
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		or = append(or, "(a.organizer_kind = ? AND a.organizer_id = ?)")
		args = append(args, kind, id)
	}
	if f.Office {
		or = append(or, "a.organizer_kind = 'office'")
	}
	if len(or) > 0 {
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.rd(ctx).query(`SELECT `+activityCols+activityFrom+` WHERE `+strings.Join(conds, " AND ")+fmt.Sprintf(` ORDER BY a.starts_at DESC, a.id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// ---- attendance ----

const attendanceCols = `t.committee_id, t.activity_id, t.user_id, u.name, u.sector_id, t.state, t.reason, t.by_hand, t.marked_by, t.signed_at, t.updated_at`

func scanAttendance(sc interface{ Scan(...any) error }) (*zhengxie.Attendance, error) {
	var at zhengxie.Attendance
	var signed, updated int64
	err := sc.Scan(&at.CommitteeID, &at.ActivityID, &at.UserID, &at.UserName, &at.SectorID, &at.State, &at.Reason, &at.ByHand, &at.MarkedBy, &signed, &updated)
	at.SignedAt, at.UpdatedAt = tm(signed), tm(updated)
	return &at, err
}

// Invite adds invited members to an activity and returns the new ones;
// those already invited keep their answer.
func (t *Tx) Invite(committeeID, activityID int64, userIDs []int64) ([]int64, error) {
	var n []int64
	now := ms(t.Now())
	for _, uid := range userIDs {
		res, err := t.exec(`INSERT INTO attendance (committee_id, activity_id, user_id, state, updated_at) VALUES (?, ?, ?, 'invited', ?) ON CONFLICT (activity_id, user_id) DO NOTHING`,
			committeeID, activityID, uid, now)
		if err != nil {
			return n, err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n = append(n, uid)
		}
	}
	return n, nil
}

// LockAttendance reads one member's attendance of an activity for a change.
func (t *Tx) LockAttendance(committeeID, activityID, userID int64) (*zhengxie.Attendance, error) {
	at, err := scanAttendance(t.rd().row(`SELECT `+attendanceCols+` FROM attendance t JOIN users u ON u.id = t.user_id
		WHERE t.committee_id = ? AND t.activity_id = ? AND t.user_id = ?`+t.lockOf("t"), committeeID, activityID, userID))
	return at, notFound(err, "出席记录")
}

// SaveAttendance writes one attendance row.
func (t *Tx) SaveAttendance(at *zhengxie.Attendance) error {
	at.UpdatedAt = t.Now()
	res, err := t.exec(`UPDATE attendance SET state = ?, reason = ?, by_hand = ?, marked_by = ?, signed_at = ?, updated_at = ?
		WHERE committee_id = ? AND activity_id = ? AND user_id = ?`,
		string(at.State), at.Reason, b2i(at.ByHand), at.MarkedBy, ms(at.SignedAt), ms(at.UpdatedAt), at.CommitteeID, at.ActivityID, at.UserID)
	return affected(res, err, "出席记录")
}

// Attendance lists an activity's invited members with their answers.
func (s *Store) Attendance(ctx context.Context, committeeID, activityID int64) ([]zhengxie.Attendance, error) {
	return s.rd(ctx).attendance(committeeID, activityID)
}

// Attendance lists them inside a transaction.
func (t *Tx) Attendance(committeeID, activityID int64) ([]zhengxie.Attendance, error) {
	return t.rd().attendance(committeeID, activityID)
}

func (x q) attendance(committeeID, activityID int64) ([]zhengxie.Attendance, error) {
	rows, err := x.query(`SELECT `+attendanceCols+` FROM attendance t JOIN users u ON u.id = t.user_id
		WHERE t.committee_id = ? AND t.activity_id = ? ORDER BY u.id`, committeeID, activityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Attendance
	for rows.Next() {
		at, err := scanAttendance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *at)
	}
	return out, rows.Err()
}

// MyAttendance returns a member's attendance of an activity, or nil.
func (s *Store) MyAttendance(ctx context.Context, committeeID, activityID, userID int64) (*zhengxie.Attendance, error) {
	at, err := scanAttendance(s.rd(ctx).row(`SELECT `+attendanceCols+` FROM attendance t JOIN users u ON u.id = t.user_id
		WHERE t.committee_id = ? AND t.activity_id = ? AND t.user_id = ?`, committeeID, activityID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return at, err
}

// ActivityLink is a proposal or report that came out of an activity.
type ActivityLink struct {
	RefKind string // "proposal" or "report"
	RefID   int64
}

// LinkActivity records that a proposal or report came out of an activity.
func (t *Tx) LinkActivity(committeeID, activityID int64, l ActivityLink) error {
	_, err := t.exec(`INSERT INTO activity_links (committee_id, activity_id, ref_kind, ref_id) VALUES (?, ?, ?, ?) ON CONFLICT (activity_id, ref_kind, ref_id) DO NOTHING`,
		committeeID, activityID, l.RefKind, l.RefID)
	return err
}

// ActivityLinks lists what came out of an activity.
func (s *Store) ActivityLinks(ctx context.Context, committeeID, activityID int64) ([]ActivityLink, error) {
	rows, err := s.rd(ctx).query(`SELECT ref_kind, ref_id FROM activity_links WHERE committee_id = ? AND activity_id = ? ORDER BY ref_kind, ref_id`, committeeID, activityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ActivityLink
	for rows.Next() {
		var l ActivityLink
		if err := rows.Scan(&l.RefKind, &l.RefID); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// ActivityFile is a photo or document of an activity's outcome.
type ActivityFile struct {
	ID, CommitteeID, ActivityID int64
	Name, MIME, SHA256          string
	Size                        int64
	CreatedBy                   int64
	CreatedAt                   time.Time
}

// AddActivityFile records a stored file of an activity.
func (t *Tx) AddActivityFile(f *ActivityFile) error {
	f.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO activity_files (committee_id, activity_id, name, mime, size, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		f.CommitteeID, f.ActivityID, f.Name, f.MIME, f.Size, f.SHA256, f.CreatedBy, ms(f.CreatedAt))
	f.ID = id
	return err
}

// ActivityFiles lists an activity's files.
func (s *Store) ActivityFiles(ctx context.Context, committeeID, activityID int64) ([]ActivityFile, error) {
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, activity_id, name, mime, size, sha256, created_by, created_at FROM activity_files
		WHERE committee_id = ? AND activity_id = ? ORDER BY id`, committeeID, activityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ActivityFile
	for rows.Next() {
		var f ActivityFile
		var created int64
		if err := rows.Scan(&f.ID, &f.CommitteeID, &f.ActivityID, &f.Name, &f.MIME, &f.Size, &f.SHA256, &f.CreatedBy, &created); err != nil {
			return nil, err
		}
		f.CreatedAt = tm(created)
		out = append(out, f)
	}
	return out, rows.Err()
}

// ActivityFile returns one file of an activity.
func (s *Store) ActivityFile(ctx context.Context, committeeID, id int64) (*ActivityFile, error) {
	var f ActivityFile
	var created int64
	err := s.rd(ctx).row(`SELECT id, committee_id, activity_id, name, mime, size, sha256, created_by, created_at FROM activity_files WHERE committee_id = ? AND id = ?`,
		committeeID, id).Scan(&f.ID, &f.CommitteeID, &f.ActivityID, &f.Name, &f.MIME, &f.Size, &f.SHA256, &f.CreatedBy, &created)
	f.CreatedAt = tm(created)
	return &f, notFound(err, "附件")
}
