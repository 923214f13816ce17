package store

import (
	"context"
	"strings"

	"zhengxie"
)

// Reception days of stations and studios (0015) with their members on duty.

const receptionCols = `r.id, r.committee_id, r.station_id, COALESCE(st.name, ''), r.day, r.start_time, r.end_time, r.place, r.topic, r.state,
	r.visitors, r.note, r.created_by, (SELECT COUNT(*) FROM matters m WHERE m.committee_id = r.committee_id AND m.reception_id = r.id)`

const receptionFrom = ` FROM receptions r LEFT JOIN stations st ON st.id = r.station_id AND st.committee_id = r.committee_id`

func scanReception(sc interface{ Scan(...any) error }) (*zhengxie.Reception, error) {
	var r zhengxie.Reception
	var day string
	err := sc.Scan(&r.ID, &r.CommitteeID, &r.StationID, &r.StationName, &day, &r.Start, &r.End, &r.Place, &r.Topic, &r.State,
		&r.Visitors, &r.Note, &r.CreatedBy, &r.Matters)
	if err == nil {
		r.Day, _ = zhengxie.ParseDate(day)
	}
	return &r, err
}

// CreateReception inserts a reception day with its members on duty.
func (t *Tx) CreateReception(r *zhengxie.Reception) error {
	now := ms(t.Now())
	id, err := t.insert(`INSERT INTO receptions (committee_id, station_id, day, start_time, end_time, place, topic, state, visitors, note, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.CommitteeID, r.StationID, r.Day.String(), r.Start, r.End, r.Place, r.Topic, string(r.State), r.Visitors, r.Note, r.CreatedBy, now, now)
	if err != nil {
		return err
	}
	r.ID = id
	for _, uid := range r.MemberIDs {
		if _, err := t.exec(`INSERT INTO reception_members (committee_id, reception_id, user_id) VALUES (?, ?, ?)`, r.CommitteeID, id, uid); err != nil {
			return t.s.dialect.translate(err)
		}
	}
	return nil
}

// UpdateReception saves a reception day's state, visitors and note.
func (t *Tx) UpdateReception(r *zhengxie.Reception) error {
	res, err := t.exec(`UPDATE receptions SET state = ?, visitors = ?, note = ?, updated_at = ? WHERE committee_id = ? AND id = ?`,
		string(r.State), r.Visitors, r.Note, ms(t.Now()), r.CommitteeID, r.ID)
	return affected(res, err, "接访活动")
}

// LockReception reads a reception day for a change.
func (t *Tx) LockReception(committeeID, id int64) (*zhengxie.Reception, error) {
	if _, err := t.exec(`UPDATE receptions SET updated_at = updated_at WHERE committee_id = ? AND id = ?`, committeeID, id); err != nil {
		return nil, err
	}
	return t.rd().reception(committeeID, id)
}

// Reception returns one reception day with its members on duty.
func (s *Store) Reception(ctx context.Context, committeeID, id int64) (*zhengxie.Reception, error) {
	return s.rd(ctx).reception(committeeID, id)
}

func (x q) reception(committeeID, id int64) (*zhengxie.Reception, error) {
	r, err := scanReception(x.row(`SELECT `+receptionCols+receptionFrom+` WHERE r.committee_id = ? AND r.id = ?`, committeeID, id))
	if err != nil {
		return nil, notFound(err, "接访活动")
	}
	rs := []zhengxie.Reception{*r}
	if err := x.receptionMembers(committeeID, rs); err != nil {
		return nil, err
	}
	return &rs[0], nil
}

func (x q) receptionMembers(committeeID int64, rs []zhengxie.Reception) error {
	if len(rs) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]any, 0, len(rs)+1)
	ids = append(ids, committeeID)
	for i, r := range rs {
		idx[r.ID] = i
		ids = append(ids, r.ID)
	}
	rows, err := x.query(`SELECT rm.reception_id, rm.user_id, u.name FROM reception_members rm JOIN users u ON u.id = rm.user_id
		WHERE rm.committee_id = ? AND rm.reception_id IN (`+placeholders(len(rs))+`) ORDER BY rm.reception_id, rm.user_id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid, uid int64
		var name string
		if err := rows.Scan(&rid, &uid, &name); err != nil {
			return err
		}
		r := &rs[idx[rid]]
		r.MemberIDs = append(r.MemberIDs, uid)
		r.MemberNames = append(r.MemberNames, name)
	}
	return rows.Err()
}

// ReceptionFilter selects reception days of a committee.
type ReceptionFilter struct {
	CommitteeID int64
	StationID   int64
	MemberID    int64  // days the member is on duty
	From, To    string // days between, inclusive (YYYY-MM-DD)
	State       zhengxie.ReceptionState
	Limit       int
	Desc        bool
}

// Receptions lists reception days by day.
func (s *Store) Receptions(ctx context.Context, f ReceptionFilter) ([]zhengxie.Reception, error) {
	x := s.rd(ctx)
	conds := []string{"r.committee_id = ?"}
	args := []any{f.CommitteeID}
	if f.StationID != 0 {
		conds, args = append(conds, "r.station_id = ?"), append(args, f.StationID)
	}
	if f.MemberID != 0 {
		conds = append(conds, "r.id IN (SELECT reception_id FROM reception_members WHERE committee_id = ? AND user_id = ?)")
		args = append(args, f.CommitteeID, f.MemberID)
	}
	if f.From != "" {
		conds, args = append(conds, "r.day >= ?"), append(args, f.From)
	}
	if f.To != "" {
		conds, args = append(conds, "r.day <= ?"), append(args, f.To)
	}
	if f.State != "" {
		conds, args = append(conds, "r.state = ?"), append(args, string(f.State))
	}
	order := " ORDER BY r.day, r.start_time, r.id"
	if f.Desc {
		order = " ORDER BY r.day DESC, r.start_time DESC, r.id DESC"
	}
	qs := `SELECT ` + receptionCols + receptionFrom + ` WHERE ` + strings.Join(conds, " AND ") + order
	if f.Limit > 0 {
		qs += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := x.query(qs, args...)
	if err != nil {
		return nil, err
	}
	var out []zhengxie.Reception
	for rows.Next() {
		r, err := scanReception(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, x.receptionMembers(f.CommitteeID, out)
}
