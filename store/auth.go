package store

import (
	"context"
	"time"

	"zhengxie"
)

// AuthSession is a server-side login session; only the hash of its token is stored.
type AuthSession struct {
	TokenHash   string
	UserID      int64
	CommitteeID int64
	CSRFToken   string
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
}

// CreateAuthSession stores a new login session.
func (t *Tx) CreateAuthSession(a *AuthSession) error {
	_, err := t.exec(`INSERT INTO auth_sessions (token_hash, user_id, committee_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.TokenHash, a.UserID, a.CommitteeID, a.CSRFToken, ms(a.CreatedAt), ms(a.LastSeenAt), ms(a.ExpiresAt))
	return err
}

// AuthSession returns a session and its user by token hash.
func (s *Store) AuthSession(ctx context.Context, tokenHash string) (*AuthSession, *zhengxie.User, error) {
	var a AuthSession
	var created, seen, expires, ucreated int64
	u := &zhengxie.User{}
	err := s.rd(ctx).row(`SELECT a.token_hash, a.user_id, a.committee_id, a.csrf_token, a.created_at, a.last_seen_at, a.expires_at,
		u.id, u.committee_id, u.username, u.name, u.role, u.unit_id, u.sector_id, u.phone, u.email, u.disabled, u.created_at
		FROM auth_sessions a JOIN users u ON u.id = a.user_id WHERE a.token_hash = ?`, tokenHash).
		Scan(&a.TokenHash, &a.UserID, &a.CommitteeID, &a.CSRFToken, &created, &seen, &expires,
			&u.ID, &u.CommitteeID, &u.Username, &u.Name, &u.Role, &u.UnitID, &u.SectorID, &u.Phone, &u.Email, &u.Disabled, &ucreated)
	if err != nil {
		return nil, nil, notFound(err, "登录会话")
	}
	a.CreatedAt, a.LastSeenAt, a.ExpiresAt, u.CreatedAt = tm(created), tm(seen), tm(expires), tm(ucreated)
	return &a, u, nil
}

// TouchAuthSession extends a session's inactivity window.
func (s *Store) TouchAuthSession(ctx context.Context, tokenHash string, seen, expires time.Time) error {
	_, err := s.w.ExecContext(ctx, s.dialect.rebind(`UPDATE auth_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?`), ms(seen), ms(expires), tokenHash)
	return err
}

// DeleteAuthSession logs one session out.
func (s *Store) DeleteAuthSession(ctx context.Context, tokenHash string) error {
	_, err := s.w.ExecContext(ctx, s.dialect.rebind(`DELETE FROM auth_sessions WHERE token_hash = ?`), tokenHash)
	return err
}

// DeleteUserSessions logs a user out everywhere.
func (t *Tx) DeleteUserSessions(userID int64) error {
	_, err := t.exec(`DELETE FROM auth_sessions WHERE user_id = ?`, userID)
	return err
}
