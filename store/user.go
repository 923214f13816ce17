package store

import (
	"context"

	"zhengxie"
)

const userCols = `id, committee_id, username, name, role, unit_id, sector_id, phone, email, disabled, created_at`

func scanUser(sc interface{ Scan(...any) error }) (*zhengxie.User, error) {
	var u zhengxie.User
	var created int64
	err := sc.Scan(&u.ID, &u.CommitteeID, &u.Username, &u.Name, &u.Role, &u.UnitID, &u.SectorID, &u.Phone, &u.Email, &u.Disabled, &created)
	u.CreatedAt = tm(created)
	return &u, err
}

// CreateUser inserts a user with an already hashed password.
func (t *Tx) CreateUser(u *zhengxie.User, passwordHash string) error {
	u.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO users (committee_id, username, name, role, unit_id, sector_id, phone, email, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.CommitteeID, u.Username, u.Name, string(u.Role), u.UnitID, u.SectorID, u.Phone, u.Email, passwordHash, b2i(u.Disabled), ms(u.CreatedAt))
	u.ID = id
	return t.s.dialect.translate(err)
}

// User returns one user by id.
func (s *Store) User(ctx context.Context, id int64) (*zhengxie.User, error) {
	u, err := scanUser(s.rd(ctx).row(`SELECT `+userCols+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "用户")
}

// User returns one user by id inside a transaction.
func (t *Tx) User(id int64) (*zhengxie.User, error) {
	u, err := scanUser(t.rd().row(`SELECT `+userCols+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "用户")
}

// Credentials are what login needs to know about a user.
type Credentials struct {
	User         *zhengxie.User
	PasswordHash string
	FailedLogins int
	LockedUntil  int64
}

// CredentialsByUsername returns a user with its password hash and lockout state.
func (s *Store) CredentialsByUsername(ctx context.Context, username string) (*Credentials, error) {
	var c Credentials
	var created int64
	u := &zhengxie.User{}
	err := s.w.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+userCols+`, password_hash, failed_logins, locked_until FROM users WHERE username = ?`), username).
		Scan(&u.ID, &u.CommitteeID, &u.Username, &u.Name, &u.Role, &u.UnitID, &u.SectorID, &u.Phone, &u.Email, &u.Disabled, &created, &c.PasswordHash, &c.FailedLogins, &c.LockedUntil)
	u.CreatedAt = tm(created)
	c.User = u
	return &c, notFound(err, "用户")
}

// RecordLogin stores the outcome of a login attempt on the account.
func (t *Tx) RecordLogin(userID int64, failed int, lockedUntil int64) error {
	_, err := t.exec(`UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`, failed, lockedUntil, userID)
	return err
}

// SetPassword replaces a user's password hash.
func (t *Tx) SetPassword(userID int64, hash string) error {
	_, err := t.exec(`UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0 WHERE id = ?`, hash, userID)
	return err
}

// UserFilter selects users of a committee.
type UserFilter struct {
	CommitteeID int64
	Role        zhengxie.Role
	UnitID      int64
}

// Users lists users of a committee.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]zhengxie.User, error) {
	q := `SELECT ` + userCols + ` FROM users WHERE committee_id = ?`
	args := []any{f.CommitteeID}
	if f.Role != "" {
		q += ` AND role = ?`
		args = append(args, string(f.Role))
	}
	if f.UnitID != 0 {
		q += ` AND unit_id = ?`
		args = append(args, f.UnitID)
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []zhengxie.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}
