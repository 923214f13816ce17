package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"zhengxie"
)

// Citizens' matters (0015), their photos and the deadline alerts of the
// forwarded ones. The citizen's name and phone are columns like any other
// here: who may read them is decided in app, and every public answer is
// built without them.

const matterCols = `m.id, m.committee_id, m.code, m.source, m.station_id, COALESCE(st.name, ''), m.reception_id, m.member_id, m.title, m.body,
	m.category, m.urgency, m.citizen_name, m.citizen_phone, m.address, m.state, m.unit_id, COALESCE(un.name, ''), m.due, m.forwarded_at,
	m.signed_at, m.answer, m.answered_at, m.answered_by, m.on_time, m.rehandled, m.citizen_note, m.decision, m.published, m.report_id,
	m.proposal_id, (SELECT COUNT(*) FROM matter_files f WHERE f.matter_id = m.id), m.created_at, m.updated_at`

const matterFrom = ` FROM matters m LEFT JOIN stations st ON st.id = m.station_id AND st.committee_id = m.committee_id
	LEFT JOIN units un ON un.id = m.unit_id AND un.committee_id = m.committee_id`

func scanMatter(sc interface{ Scan(...any) error }) (*zhengxie.Matter, error) {
	var m zhengxie.Matter
	var fwd, signed, answered, created, updated int64
	var onTime, rehandled, published bool
	err := sc.Scan(&m.ID, &m.CommitteeID, &m.Code, &m.Source, &m.StationID, &m.StationName, &m.ReceptionID, &m.MemberID, &m.Title, &m.Body,
		&m.Category, &m.Urgency, &m.CitizenName, &m.CitizenPhone, &m.Address, &m.State, &m.UnitID, &m.UnitName, &m.Due, &fwd,
		&signed, &m.Answer, &answered, &m.AnsweredBy, &onTime, &rehandled, &m.CitizenNote, &m.Decision, &published, &m.ReportID,
		&m.ProposalID, &m.Files, &created, &updated)
	m.ForwardedAt, m.SignedAt, m.AnsweredAt, m.CreatedAt, m.UpdatedAt = tm(fwd), tm(signed), tm(answered), tm(created), tm(updated)
	m.OnTime, m.Rehandled, m.Published = onTime, rehandled, published
	return &m, err
}

// CreateMatter inserts a matter.
func (t *Tx) CreateMatter(m *zhengxie.Matter) error {
	now := t.Now()
	m.CreatedAt, m.UpdatedAt = tm(ms(now)), tm(ms(now))
	id, err := t.insert(`INSERT INTO matters (committee_id, code, source, station_id, reception_id, member_id, title, body, category, urgency,
		citizen_name, citizen_phone, address, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.CommitteeID, m.Code, m.Source, m.StationID, m.ReceptionID, m.MemberID, m.Title, m.Body, m.Category, m.Urgency,
		m.CitizenName, m.CitizenPhone, m.Address, string(m.State), ms(now), ms(now))
	if err != nil {
		return t.s.dialect.translate(err)
	}
	m.ID = id
	return nil
}

// UpdateMatter saves everything a step of the flow may change.
func (t *Tx) UpdateMatter(m *zhengxie.Matter) error {
	m.UpdatedAt = tm(ms(t.Now()))
	res, err := t.exec(`UPDATE matters SET category = ?, state = ?, unit_id = ?, due = ?, forwarded_at = ?, signed_at = ?, answer = ?,
		answered_at = ?, answered_by = ?, on_time = ?, rehandled = ?, citizen_note = ?, decision = ?, published = ?, report_id = ?,
		proposal_id = ?, updated_at = ? WHERE committee_id = ? AND id = ?`,
		m.Category, string(m.State), m.UnitID, m.Due, ms(m.ForwardedAt), ms(m.SignedAt), m.Answer,
		ms(m.AnsweredAt), m.AnsweredBy, b2i(m.OnTime), b2i(m.Rehandled), m.CitizenNote, m.Decision, b2i(m.Published), m.ReportID,
		m.ProposalID, ms(m.UpdatedAt), m.CommitteeID, m.ID)
	return affected(res, err, "群众诉求")
}

// LockMatter reads a matter for a change.
func (t *Tx) LockMatter(committeeID, id int64) (*zhengxie.Matter, error) {
	if _, err := t.exec(`UPDATE matters SET updated_at = updated_at WHERE committee_id = ? AND id = ?`, committeeID, id); err != nil {
		return nil, err
	}
	m, err := scanMatter(t.rd().row(`SELECT `+matterCols+matterFrom+` WHERE m.committee_id = ? AND m.id = ?`, committeeID, id))
	return m, notFound(err, "群众诉求")
}

// Matter returns one matter of a committee.
func (s *Store) Matter(ctx context.Context, committeeID, id int64) (*zhengxie.Matter, error) {
	m, err := scanMatter(s.rd(ctx).row(`SELECT `+matterCols+matterFrom+` WHERE m.committee_id = ? AND m.id = ?`, committeeID, id))
	return m, notFound(err, "群众诉求")
}

// MatterByCode finds a matter by its tracking code, in any committee: the
// code is what a citizen has, and codes are unique in the deployment.
func (s *Store) MatterByCode(ctx context.Context, code string) (*zhengxie.Matter, error) {
	m, err := scanMatter(s.rd(ctx).row(`SELECT `+matterCols+matterFrom+` WHERE m.code = ?`, code))
	return m, notFound(err, "查询码对应的诉求")
}

// MatterFilter selects matters of a committee.
type MatterFilter struct {
	CommitteeID int64
	StationIDs  []int64 // any of these stations (nil: all)
	OnlyStation bool    // restrict to StationIDs even when empty (a staff user without stations sees none)
	UnitID      int64
	MemberID    int64
	ReceptionID int64
	State       zhengxie.MatterState
	Open        bool // only states that wait for an answer
	Published   bool
	ProposalID  int64 // the matter turned into this proposal draft
	From, To    int64 // created between (Unix ms), 0: open
	Limit       int
}

// Matters lists matters, newest first.
func (s *Store) Matters(ctx context.Context, f MatterFilter) ([]zhengxie.Matter, error) {
	conds := []string{"m.committee_id = ?"}
	args := []any{f.CommitteeID}
	if f.OnlyStation || len(f.StationIDs) > 0 {
		if len(f.StationIDs) == 0 {
			return nil, nil
		}
		conds = append(conds, "m.station_id IN ("+placeholders(len(f.StationIDs))+")")
		for _, id := range f.StationIDs {
			args = append(args, id)
		}
	}
	if f.UnitID != 0 {
		conds, args = append(conds, "m.unit_id = ?"), append(args, f.UnitID)
	}
	if f.MemberID != 0 {
		conds, args = append(conds, "m.member_id = ?"), append(args, f.MemberID)
	}
	if f.ReceptionID != 0 {
		conds, args = append(conds, "m.reception_id = ?"), append(args, f.ReceptionID)
	}
	if f.State != "" {
		conds, args = append(conds, "m.state = ?"), append(args, string(f.State))
	}
	if f.Open {
		conds = append(conds, "m.state IN ('received', 'forwarded', 'handling', 'disputed')")
	}
	if f.Published {
		conds = append(conds, "m.published = 1")
	}
	if f.ProposalID != 0 {
		conds, args = append(conds, "m.proposal_id = ?"), append(args, f.ProposalID)
	}
	if f.From != 0 {
		conds, args = append(conds, "m.created_at >= ?"), append(args, f.From)
	}
	if f.To != 0 {
		conds, args = append(conds, "m.created_at < ?"), append(args, f.To)
	}
	qs := `SELECT ` + matterCols + matterFrom + ` WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY m.created_at DESC, m.id DESC`
	if f.Limit > 0 {
		qs += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.rd(ctx).query(qs, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Matter
	for rows.Next() {
		m, err := scanMatter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// MatterFile is a photo attached to a matter.
type MatterFile struct {
	ID          int64
	CommitteeID int64
	MatterID    int64
	Name, MIME  string
	Size        int64
	SHA256      string
}

// AddMatterFile records a checked, stored photo of a matter.
func (t *Tx) AddMatterFile(f *MatterFile) error {
	id, err := t.insert(`INSERT INTO matter_files (committee_id, matter_id, name, mime, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		f.CommitteeID, f.MatterID, f.Name, f.MIME, f.Size, f.SHA256, ms(t.Now()))
	f.ID = id
	return err
}

// MatterFiles lists a matter's photos.
func (s *Store) MatterFiles(ctx context.Context, committeeID, matterID int64) ([]MatterFile, error) {
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, matter_id, name, mime, size, sha256 FROM matter_files WHERE committee_id = ? AND matter_id = ? ORDER BY id`,
		committeeID, matterID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MatterFile
	for rows.Next() {
		var f MatterFile
		if err := rows.Scan(&f.ID, &f.CommitteeID, &f.MatterID, &f.Name, &f.MIME, &f.Size, &f.SHA256); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// MatterFile returns one photo.
func (s *Store) MatterFile(ctx context.Context, committeeID, id int64) (*MatterFile, error) {
	var f MatterFile
	err := s.rd(ctx).row(`SELECT id, committee_id, matter_id, name, mime, size, sha256 FROM matter_files WHERE committee_id = ? AND id = ?`, committeeID, id).
		Scan(&f.ID, &f.CommitteeID, &f.MatterID, &f.Name, &f.MIME, &f.Size, &f.SHA256)
	return &f, notFound(err, "附件")
}

// AddMatterAlert records a reminder, overdue notice or escalation of a
// forwarded matter; it reports false when the same alert exists already,
// so that a scan run twice sends nothing twice.
func (t *Tx) AddMatterAlert(committeeID, matterID int64, kind, onDate, due string) (bool, error) {
	var n int
	if err := t.queryRow(`SELECT COUNT(*) FROM matter_alerts WHERE matter_id = ? AND kind = ? AND on_date = ?`, matterID, kind, onDate).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	_, err := t.insert(`INSERT INTO matter_alerts (committee_id, matter_id, kind, on_date, due, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		committeeID, matterID, kind, onDate, due, ms(t.Now()))
	if err != nil {
		var e *zhengxie.Error
		if errors.As(t.s.dialect.translate(err), &e) && e.Code == zhengxie.EConflict {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// MatterAlerts counts the alerts of a matter of one kind.
func (s *Store) MatterAlerts(ctx context.Context, matterID int64, kind string) (int, error) {
	var n int
	err := s.rd(ctx).row(`SELECT COUNT(*) FROM matter_alerts WHERE matter_id = ? AND kind = ?`, matterID, kind).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}
