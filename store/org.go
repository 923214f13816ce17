package store

import (
	"context"
	"database/sql"

	"zhengxie"
)

// CreateCommittee inserts a committee (tenant).
func (t *Tx) CreateCommittee(c *zhengxie.Committee) error {
	if c.TimeZone == "" {
		c.TimeZone = "Asia/Shanghai"
	}
	if c.Level == "" {
		c.Level = zhengxie.LevelDistrict
	}
	id, err := t.insert(`INSERT INTO committees (code, name, level, parent_id, time_zone, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.Code, c.Name, c.Level, c.ParentID, c.TimeZone, ms(t.Now()))
	c.ID = id
	return err
}

const committeeCols = `id, code, name, level, parent_id, time_zone`

func scanCommittee(sc scanner) (*zhengxie.Committee, error) {
	var c zhengxie.Committee
	err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.Level, &c.ParentID, &c.TimeZone)
	return &c, err
}

// Committee returns one committee.
func (s *Store) Committee(ctx context.Context, id int64) (*zhengxie.Committee, error) {
	c, err := scanCommittee(s.rd(ctx).row(`SELECT `+committeeCols+` FROM committees WHERE id = ?`, id))
	return c, notFound(err, "政协委员会")
}

// CommitteeByCode returns one committee by its code.
func (s *Store) CommitteeByCode(ctx context.Context, code string) (*zhengxie.Committee, error) {
	c, err := scanCommittee(s.rd(ctx).row(`SELECT `+committeeCols+` FROM committees WHERE code = ?`, code))
	return c, notFound(err, "政协委员会")
}

// Committees lists all committees.
func (s *Store) Committees(ctx context.Context) ([]zhengxie.Committee, error) {
	rows, err := s.rd(ctx).query(`SELECT ` + committeeCols + ` FROM committees ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, deref(scanCommittee))
}

// CreateSession inserts a 届次 session; a current one makes the others not current.
func (t *Tx) CreateSession(se *zhengxie.Session) error {
	if se.Current {
		if _, err := t.exec(`UPDATE sessions SET is_current = 0 WHERE committee_id = ?`, se.CommitteeID); err != nil {
			return err
		}
	}
	id, err := t.insert(`INSERT INTO sessions (committee_id, term, number, name, year, is_current) VALUES (?, ?, ?, ?, ?, ?)`,
		se.CommitteeID, se.Term, se.Number, se.Name, se.Year, b2i(se.Current))
	se.ID = id
	return err
}

// Sessions lists a committee's sessions, newest first.
func (s *Store) Sessions(ctx context.Context, committeeID int64) ([]zhengxie.Session, error) {
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, term, number, name, year, is_current FROM sessions WHERE committee_id = ? ORDER BY year DESC, term DESC, number DESC`, committeeID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (zhengxie.Session, error) {
		var se zhengxie.Session
		err := sc.Scan(&se.ID, &se.CommitteeID, &se.Term, &se.Number, &se.Name, &se.Year, &se.Current)
		return se, err
	})
}

// CurrentSession returns the session new proposals are filed in.
func (s *Store) CurrentSession(ctx context.Context, committeeID int64) (*zhengxie.Session, error) {
	var se zhengxie.Session
	err := s.rd(ctx).row(`SELECT id, committee_id, term, number, name, year, is_current FROM sessions WHERE committee_id = ? ORDER BY is_current DESC, year DESC, id DESC LIMIT 1`, committeeID).
		Scan(&se.ID, &se.CommitteeID, &se.Term, &se.Number, &se.Name, &se.Year, &se.Current)
	if err == sql.ErrNoRows {
		return nil, zhengxie.Errorf(zhengxie.EIllegal, "尚未设置届次会议，请系统管理员先在“届次管理”中添加")
	}
	return &se, err
}

// CreateSector inserts a 界别.
func (t *Tx) CreateSector(se *zhengxie.Sector) error {
	id, err := t.insert(`INSERT INTO sectors (committee_id, name) VALUES (?, ?)`, se.CommitteeID, se.Name)
	se.ID = id
	return err
}

// Sectors lists a committee's sectors.
func (s *Store) Sectors(ctx context.Context, committeeID int64) ([]zhengxie.Sector, error) {
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, name FROM sectors WHERE committee_id = ? ORDER BY id`, committeeID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (zhengxie.Sector, error) {
		var se zhengxie.Sector
		err := sc.Scan(&se.ID, &se.CommitteeID, &se.Name)
		return se, err
	})
}

// CreateUnit inserts a handling unit.
func (t *Tx) CreateUnit(u *zhengxie.Unit) error {
	id, err := t.insert(`INSERT INTO units (committee_id, name, leader_id) VALUES (?, ?, ?)`, u.CommitteeID, u.Name, u.LeaderID)
	u.ID = id
	return err
}

// Units lists a committee's handling units.
func (s *Store) Units(ctx context.Context, committeeID int64) ([]zhengxie.Unit, error) {
	rows, err := s.rd(ctx).query(`SELECT id, committee_id, name, leader_id FROM units WHERE committee_id = ? ORDER BY id`, committeeID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (zhengxie.Unit, error) {
		var u zhengxie.Unit
		err := sc.Scan(&u.ID, &u.CommitteeID, &u.Name, &u.LeaderID)
		return u, err
	})
}

// Unit returns one unit of a committee.
func (s *Store) Unit(ctx context.Context, committeeID, id int64) (*zhengxie.Unit, error) {
	var u zhengxie.Unit
	err := s.rd(ctx).row(`SELECT id, committee_id, name, leader_id FROM units WHERE committee_id = ? AND id = ?`, committeeID, id).
		Scan(&u.ID, &u.CommitteeID, &u.Name, &u.LeaderID)
	return &u, notFound(err, "承办单位")
}

// Unit returns one unit inside a transaction.
func (t *Tx) Unit(committeeID, id int64) (*zhengxie.Unit, error) {
	var u zhengxie.Unit
	err := t.rd().row(`SELECT id, committee_id, name, leader_id FROM units WHERE committee_id = ? AND id = ?`, committeeID, id).
		Scan(&u.ID, &u.CommitteeID, &u.Name, &u.LeaderID)
	return &u, notFound(err, "承办单位")
}
