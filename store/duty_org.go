package store

import (
	"context"
	"database/sql"
	"strings"

	"zhengxie"
)

// The committee's organisation: sectors (0001), special committees,
// stations and studios, memberships and member profiles (0011).

// RenameSector changes a sector's name.
func (t *Tx) RenameSector(committeeID, id int64, name string) error {
	res, err := t.exec(`UPDATE sectors SET name = ? WHERE committee_id = ? AND id = ?`, name, committeeID, id)
	return affected(res, err, "界别")
}

// Sector returns one sector of a committee.
func (t *Tx) Sector(committeeID, id int64) (*zhengxie.Sector, error) {
	var se zhengxie.Sector
	err := t.rd().row(`SELECT id, committee_id, name FROM sectors WHERE committee_id = ? AND id = ?`, committeeID, id).Scan(&se.ID, &se.CommitteeID, &se.Name)
	return &se, notFound(err, "界别")
}

// CreateSpecialCommittee inserts a 专门委员会.
func (t *Tx) CreateSpecialCommittee(sc *zhengxie.SpecialCommittee) error {
	id, err := t.insert(`INSERT INTO special_committees (committee_id, name) VALUES (?, ?)`, sc.CommitteeID, sc.Name)
	sc.ID = id
	return err
}

// RenameSpecialCommittee changes a special committee's name.
func (t *Tx) RenameSpecialCommittee(committeeID, id int64, name string) error {
	res, err := t.exec(`UPDATE special_committees SET name = ? WHERE committee_id = ? AND id = ?`, name, committeeID, id)
	return affected(res, err, "专门委员会")
}

// SpecialCommittees lists a committee's special committees.
func (s *Store) SpecialCommittees(ctx context.Context, committeeID int64) ([]zhengxie.SpecialCommittee, error) {
	return s.rd(ctx).specialCommittees(committeeID)
}

// SpecialCommittees lists them inside a transaction.
func (t *Tx) SpecialCommittees(committeeID int64) ([]zhengxie.SpecialCommittee, error) {
	return t.rd().specialCommittees(committeeID)
}

func (x q) specialCommittees(committeeID int64) ([]zhengxie.SpecialCommittee, error) {
	rows, err := x.query(`SELECT id, committee_id, name FROM special_committees WHERE committee_id = ? ORDER BY id`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.SpecialCommittee
	for rows.Next() {
		var sc zhengxie.SpecialCommittee
		if err := rows.Scan(&sc.ID, &sc.CommitteeID, &sc.Name); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

const stationCols = `id, committee_id, kind, name, sector_id, address, phone`

func scanStation(sc interface{ Scan(...any) error }) (*zhengxie.Station, error) {
	var st zhengxie.Station
	err := sc.Scan(&st.ID, &st.CommitteeID, &st.Kind, &st.Name, &st.SectorID, &st.Address, &st.Phone)
	return &st, err
}

// SaveStation inserts (ID 0) or updates a station or studio.
func (t *Tx) SaveStation(st *zhengxie.Station) error {
	if st.ID == 0 {
		id, err := t.insert(`INSERT INTO stations (committee_id, kind, name, sector_id, address, phone) VALUES (?, ?, ?, ?, ?, ?)`,
			st.CommitteeID, st.Kind, st.Name, st.SectorID, st.Address, st.Phone)
		st.ID = id
		return err
	}
	res, err := t.exec(`UPDATE stations SET kind = ?, name = ?, sector_id = ?, address = ?, phone = ? WHERE committee_id = ? AND id = ?`,
		st.Kind, st.Name, st.SectorID, st.Address, st.Phone, st.CommitteeID, st.ID)
	return affected(res, err, "联络站")
}

// Stations lists a committee's stations and studios (kind "" for both).
func (s *Store) Stations(ctx context.Context, committeeID int64, kind string) ([]zhengxie.Station, error) {
	return s.rd(ctx).stations(committeeID, kind)
}

// Stations lists them inside a transaction.
func (t *Tx) Stations(committeeID int64, kind string) ([]zhengxie.Station, error) {
	return t.rd().stations(committeeID, kind)
}

func (x q) stations(committeeID int64, kind string) ([]zhengxie.Station, error) {
	qs := `SELECT ` + stationCols + ` FROM stations WHERE committee_id = ?`
	args := []any{committeeID}
	if kind != "" {
		qs += ` AND kind = ?`
		args = append(args, kind)
	}
	rows, err := x.query(qs+` ORDER BY kind, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Station
	for rows.Next() {
		st, err := scanStation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *st)
	}
	return out, rows.Err()
}

// Station returns one station or studio of a committee.
func (s *Store) Station(ctx context.Context, committeeID, id int64) (*zhengxie.Station, error) {
	st, err := scanStation(s.rd(ctx).row(`SELECT `+stationCols+` FROM stations WHERE committee_id = ? AND id = ?`, committeeID, id))
	return st, notFound(err, "联络站")
}

// Station returns one inside a transaction.
func (t *Tx) Station(committeeID, id int64) (*zhengxie.Station, error) {
	st, err := scanStation(t.rd().row(`SELECT `+stationCols+` FROM stations WHERE committee_id = ? AND id = ?`, committeeID, id))
	return st, notFound(err, "联络站")
}

// SaveProfile writes a member's profile: the account's name, contact
// details and sector, the profile row, and the memberships, which replace
// the member's earlier ones.
func (t *Tx) SaveProfile(p *zhengxie.MemberProfile) error {
	u := &p.User
	res, err := t.exec(`UPDATE users SET name = ?, phone = ?, email = ?, sector_id = ? WHERE committee_id = ? AND id = ?`,
		u.Name, u.Phone, u.Email, u.SectorID, u.CommitteeID, u.ID)
	if err := affected(res, err, "委员"); err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO member_profiles (user_id, committee_id, gender, employer, standing, term) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET gender = excluded.gender, employer = excluded.employer, standing = excluded.standing, term = excluded.term`,
		u.ID, u.CommitteeID, p.Gender, p.Employer, b2i(p.Standing), p.Term); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM org_members WHERE committee_id = ? AND user_id = ?`, u.CommitteeID, u.ID); err != nil {
		return err
	}
	for _, m := range p.Memberships {
		if _, err := t.exec(`INSERT INTO org_members (committee_id, org_kind, org_id, user_id, role) VALUES (?, ?, ?, ?, ?)`,
			u.CommitteeID, m.OrgKind, m.OrgID, u.ID, m.Role); err != nil {
			return t.s.dialect.translate(err)
		}
	}
	return nil
}

// ProfileFilter selects members of a committee.
type ProfileFilter struct {
	CommitteeID        int64
	SectorID           int64
	SpecialCommitteeID int64
	StationID          int64
	Query              string // part of the name
	IDs                []int64
}

// Profiles lists the members (role member) of a committee with their
// profiles and memberships, by name order of id.
func (s *Store) Profiles(ctx context.Context, f ProfileFilter) ([]zhengxie.MemberProfile, error) {
	return s.rd(ctx).profiles(f)
}

// Profiles lists them inside a transaction.
func (t *Tx) Profiles(f ProfileFilter) ([]zhengxie.MemberProfile, error) { return t.rd().profiles(f) }

func (x q) profiles(f ProfileFilter) ([]zhengxie.MemberProfile, error) {
	conds := []string{"u.committee_id = ?", "u.role = ?"}
	args := []any{f.CommitteeID, string(zhengxie.RoleMember)}
	if f.SectorID != 0 {
		conds = append(conds, "u.sector_id = ?")
		args = append(args, f.SectorID)
	}
	for _, o := range []struct {
		kind string
		id   int64
	}{{zhengxie.OrgSpecialCommittee, f.SpecialCommitteeID}, {zhengxie.OrgStation, f.StationID}} {
		if o.id != 0 {
			conds = append(conds, "u.id IN (SELECT user_id FROM org_members WHERE committee_id = ? AND org_kind = ? AND org_id = ?)")
			args = append(args, f.CommitteeID, o.kind, o.id)
		}
	}
	if f.Query != "" {
		conds = append(conds, "u.name LIKE ?")
		args = append(args, "%"+strings.NewReplacer("%", "", "_", "").Replace(f.Query)+"%")
	}
	if len(f.IDs) > 0 {
		conds = append(conds, "u.id IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.IDs)), ",")+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	rows, err := x.query(`SELECT u.id, u.committee_id, u.username, u.name, u.role, u.unit_id, u.sector_id, u.phone, u.email, u.disabled, u.created_at,
		COALESCE(p.gender, ''), COALESCE(p.employer, ''), COALESCE(p.standing, 0), COALESCE(p.term, '')
		FROM users u LEFT JOIN member_profiles p ON p.user_id = u.id
		WHERE `+strings.Join(conds, " AND ")+` ORDER BY u.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []zhengxie.MemberProfile
	index := map[int64]int{}
	for rows.Next() {
		var p zhengxie.MemberProfile
		u := &p.User
		var created int64
		if err := rows.Scan(&u.ID, &u.CommitteeID, &u.Username, &u.Name, &u.Role, &u.UnitID, &u.SectorID, &u.Phone, &u.Email, &u.Disabled, &created,
			&p.Gender, &p.Employer, &p.Standing, &p.Term); err != nil {
			rows.Close()
			return nil, err
		}
		u.CreatedAt = tm(created)
		index[u.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	ms, err := x.memberships(f.CommitteeID, 0)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if i, ok := index[m.UserID]; ok {
			out[i].Memberships = append(out[i].Memberships, m)
		}
	}
	return out, nil
}

// Profile returns one member's profile (any role: station staff have memberships too).
func (s *Store) Profile(ctx context.Context, committeeID, userID int64) (*zhengxie.MemberProfile, error) {
	return s.rd(ctx).profile(committeeID, userID)
}

// Profile returns one inside a transaction.
func (t *Tx) Profile(committeeID, userID int64) (*zhengxie.MemberProfile, error) {
	return t.rd().profile(committeeID, userID)
}

func (x q) profile(committeeID, userID int64) (*zhengxie.MemberProfile, error) {
	var p zhengxie.MemberProfile
	u := &p.User
	var created int64
	err := x.row(`SELECT u.id, u.committee_id, u.username, u.name, u.role, u.unit_id, u.sector_id, u.phone, u.email, u.disabled, u.created_at,
		COALESCE(p.gender, ''), COALESCE(p.employer, ''), COALESCE(p.standing, 0), COALESCE(p.term, '')
		FROM users u LEFT JOIN member_profiles p ON p.user_id = u.id WHERE u.committee_id = ? AND u.id = ?`, committeeID, userID).
		Scan(&u.ID, &u.CommitteeID, &u.Username, &u.Name, &u.Role, &u.UnitID, &u.SectorID, &u.Phone, &u.Email, &u.Disabled, &created,
			&p.Gender, &p.Employer, &p.Standing, &p.Term)
	if err != nil {
		return nil, notFound(err, "委员")
	}
	u.CreatedAt = tm(created)
	if p.Memberships, err = x.memberships(committeeID, userID); err != nil {
		return nil, err
	}
	return &p, nil
}

// memberships lists a committee's memberships (of one user when userID != 0)
// with the names of the organisations.
func (x q) memberships(committeeID, userID int64) ([]zhengxie.Membership, error) {
	qs := `SELECT m.committee_id, m.org_kind, m.org_id, COALESCE(sc.name, st.name, ''), m.user_id, m.role
		FROM org_members m
		LEFT JOIN special_committees sc ON m.org_kind = 'special_committee' AND sc.id = m.org_id AND sc.committee_id = m.committee_id
		LEFT JOIN stations st ON m.org_kind = 'station' AND st.id = m.org_id AND st.committee_id = m.committee_id
		WHERE m.committee_id = ?`
	args := []any{committeeID}
	if userID != 0 {
		qs += ` AND m.user_id = ?`
		args = append(args, userID)
	}
	rows, err := x.query(qs+` ORDER BY m.user_id, m.org_kind, m.org_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Membership
	for rows.Next() {
		var m zhengxie.Membership
		if err := rows.Scan(&m.CommitteeID, &m.OrgKind, &m.OrgID, &m.OrgName, &m.UserID, &m.Role); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// OrgMembers lists the memberships of one organisation.
func (s *Store) OrgMembers(ctx context.Context, committeeID int64, kind string, orgID int64) ([]zhengxie.Membership, error) {
	return s.rd(ctx).orgMembers(committeeID, kind, orgID)
}

// OrgMembers lists them inside a transaction.
func (t *Tx) OrgMembers(committeeID int64, kind string, orgID int64) ([]zhengxie.Membership, error) {
	return t.rd().orgMembers(committeeID, kind, orgID)
}

func (x q) orgMembers(committeeID int64, kind string, orgID int64) ([]zhengxie.Membership, error) {
	rows, err := x.query(`SELECT committee_id, org_kind, org_id, user_id, role FROM org_members WHERE committee_id = ? AND org_kind = ? AND org_id = ? ORDER BY user_id`,
		committeeID, kind, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Membership
	for rows.Next() {
		var m zhengxie.Membership
		if err := rows.Scan(&m.CommitteeID, &m.OrgKind, &m.OrgID, &m.UserID, &m.Role); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// affected turns an UPDATE that matched no row into not-found.
func affected(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return zhengxie.NotFound(what)
	}
	return nil
}

// SectorsTx lists a committee's sectors inside a transaction.
func (t *Tx) SectorsTx(committeeID int64) ([]zhengxie.Sector, error) {
	rows, err := t.rd().query(`SELECT id, committee_id, name FROM sectors WHERE committee_id = ? ORDER BY id`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.Sector
	for rows.Next() {
		var se zhengxie.Sector
		if err := rows.Scan(&se.ID, &se.CommitteeID, &se.Name); err != nil {
			return nil, err
		}
		out = append(out, se)
	}
	return out, rows.Err()
}
