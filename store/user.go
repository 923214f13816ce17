package store

import (
	"context"
	"database/sql"

	"zhengxie"
)

const userCols = `id, committee_id, username, name, role, unit_id, sector_id, phone, email, disabled, created_at`

func scanUser(sc scanner) (*zhengxie.User, error) {
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
	Active      bool // leave out disabled accounts (whom nothing should reach)
}

func (x q) users(f UserFilter) ([]zhengxie.User, error) {
	query := `SELECT ` + userCols + ` FROM users WHERE committee_id = ?`
	args := []any{f.CommitteeID}
	if f.Role != "" {
		query += ` AND role = ?`
		args = append(args, string(f.Role))
	}
	if f.UnitID != 0 {
		query += ` AND unit_id = ?`
		args = append(args, f.UnitID)
	}
	if f.Active {
		query += ` AND disabled = 0`
	}
	rows, err := x.query(query+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return collectUsers(rows)
}

// Users lists users of a committee.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]zhengxie.User, error) {
	return s.rd(ctx).users(f)
}

// Users lists users of a committee inside a transaction.
func (t *Tx) Users(f UserFilter) ([]zhengxie.User, error) { return t.rd().users(f) }

// SetUserDisabled enables or disables an account.
func (t *Tx) SetUserDisabled(userID int64, disabled bool) error {
	_, err := t.exec(`UPDATE users SET disabled = ? WHERE id = ?`, b2i(disabled), userID)
	return err
}

// SetUserRole changes a user's role (and unit, for unit staff).
func (t *Tx) SetUserRole(userID int64, role zhengxie.Role, unitID int64) error {
	_, err := t.exec(`UPDATE users SET role = ?, unit_id = ? WHERE id = ?`, string(role), unitID, userID)
	return err
}

// SetMustChangePassword marks that the user must choose a new password.
func (t *Tx) SetMustChangePassword(userID int64, must bool) error {
	_, err := t.exec(`UPDATE users SET must_change_password = ? WHERE id = ?`, b2i(must), userID)
	return err
}

// TOTPSecret returns a user's second-factor secret ("" when not enabled).
func (s *Store) TOTPSecret(ctx context.Context, userID int64) (string, error) {
	var sec string
	err := s.w.QueryRowContext(ctx, s.dialect.rebind(`SELECT totp_secret FROM users WHERE id = ?`), userID).Scan(&sec)
	return sec, notFound(err, "用户")
}

// SetTOTPSecret enables (or, with "", disables) the second factor.
func (t *Tx) SetTOTPSecret(userID int64, secret string) error {
	_, err := t.exec(`UPDATE users SET totp_secret = ? WHERE id = ?`, secret, userID)
	return err
}

// MustChangePassword reports whether the user must choose a new password.
func (s *Store) MustChangePassword(ctx context.Context, userID int64) (bool, error) {
	var m bool
	err := s.rd(ctx).row(`SELECT must_change_password FROM users WHERE id = ?`, userID).Scan(&m)
	return m, err
}

// UserEvents lists the audit events about accounts of a committee (logins,
// permission changes), newest first.
func (s *Store) AccountEvents(ctx context.Context, committeeID int64, limit int) ([]zhengxie.Event, error) {
	rows, err := s.rd(ctx).query(`SELECT `+eventCols+` FROM events WHERE committee_id = ? AND proposal_id = 0 ORDER BY seq DESC LIMIT ?`, committeeID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, deref(scanEvent))
}

// collectUsers scans and closes rows of userCols.
func collectUsers(rows *sql.Rows) ([]zhengxie.User, error) {
	return collect(rows, deref(scanUser))
}
