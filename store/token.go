package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"zhengxie"
)

const tokenCols = `t.id, t.committee_id, t.user_id, u.name, t.name, t.scopes, t.created_at, t.last_used_at, t.expires_at, t.revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (*zhengxie.APIToken, error) {
	var t zhengxie.APIToken
	var scopes string
	var created, used, expires, revoked int64
	err := sc.Scan(&t.ID, &t.CommitteeID, &t.UserID, &t.UserName, &t.Name, &scopes, &created, &used, &expires, &revoked)
	for _, s := range strings.Fields(scopes) {
		t.Scopes = append(t.Scopes, zhengxie.Scope(s))
	}
	t.CreatedAt, t.LastUsedAt, t.ExpiresAt, t.RevokedAt = tm(created), tm(used), tm(expires), tm(revoked)
	return &t, err
}

func collectTokens(rows *sql.Rows) ([]zhengxie.APIToken, error) {
	defer rows.Close()
	var out []zhengxie.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

func scopeText(scopes []zhengxie.Scope) string {
	var b []string
	for _, s := range scopes {
		b = append(b, string(s))
	}
	return strings.Join(b, " ")
}

// CreateAPIToken stores a new token by the hash of its secret; t gets its id
// and creation time.
func (t *Tx) CreateAPIToken(tok *zhengxie.APIToken, tokenHash string) error {
	tok.CreatedAt = t.Now()
	id, err := t.insert(`INSERT INTO api_tokens (committee_id, user_id, name, token_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		tok.CommitteeID, tok.UserID, tok.Name, tokenHash, scopeText(tok.Scopes), ms(tok.CreatedAt), ms(tok.ExpiresAt))
	tok.ID = id
	return err
}

// APITokenByHash returns a token, revoked and expired ones included, and
// its user.
func (s *Store) APITokenByHash(ctx context.Context, tokenHash string) (*zhengxie.APIToken, *zhengxie.User, error) {
	var uc int64
	u := &zhengxie.User{}
	t := &zhengxie.APIToken{}
	var scopes string
	var created, used, expires, revoked int64
	err := s.rd(ctx).row(`SELECT t.id, t.committee_id, t.user_id, u.name, t.name, t.scopes, t.created_at, t.last_used_at, t.expires_at, t.revoked_at,
		u.id, u.committee_id, u.username, u.name, u.role, u.unit_id, u.sector_id, u.phone, u.email, u.disabled, u.created_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, tokenHash).
		Scan(&t.ID, &t.CommitteeID, &t.UserID, &t.UserName, &t.Name, &scopes, &created, &used, &expires, &revoked,
			&u.ID, &u.CommitteeID, &u.Username, &u.Name, &u.Role, &u.UnitID, &u.SectorID, &u.Phone, &u.Email, &u.Disabled, &uc)
	if err != nil {
		return nil, nil, notFound(err, "API令牌")
	}
	for _, sc := range strings.Fields(scopes) {
		t.Scopes = append(t.Scopes, zhengxie.Scope(sc))
	}
	t.CreatedAt, t.LastUsedAt, t.ExpiresAt, t.RevokedAt, u.CreatedAt = tm(created), tm(used), tm(expires), tm(revoked), tm(uc)
	return t, u, nil
}

// TouchAPIToken records when a token was last used.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.w.ExecContext(ctx, s.dialect.rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), ms(at), id)
	return err
}

// TokenFilter selects the tokens of a list: always one committee, and one
// user unless UserID is 0. Revoked tokens are never listed.
type TokenFilter struct {
	CommitteeID int64
	UserID      int64
}

// APITokens lists the tokens that have not been revoked (expired ones
// included, so that their owners see why an integration stopped), newest first.
func (s *Store) APITokens(ctx context.Context, f TokenFilter) ([]zhengxie.APIToken, error) {
	q := `SELECT ` + tokenCols + ` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.committee_id = ? AND t.revoked_at = 0`
	args := []any{f.CommitteeID}
	if f.UserID != 0 {
		q += ` AND t.user_id = ?`
		args = append(args, f.UserID)
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY t.created_at DESC, t.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	return collectTokens(rows)
}

// APIToken returns one token of a committee that has not been revoked.
func (t *Tx) APIToken(committeeID, id int64) (*zhengxie.APIToken, error) {
	tok, err := scanToken(t.rd().row(`SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.committee_id = ? AND t.id = ? AND t.revoked_at = 0`, committeeID, id))
	return tok, notFound(err, "API令牌")
}

// RevokeAPIToken ends one token.
func (t *Tx) RevokeAPIToken(id int64) error {
	_, err := t.exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, ms(t.Now()), id)
	return err
}

// RevokeUserAPITokens ends every token of a user and says how many were live.
func (t *Tx) RevokeUserAPITokens(committeeID, userID int64) (int, error) {
	res, err := t.exec(`UPDATE api_tokens SET revoked_at = ? WHERE committee_id = ? AND user_id = ? AND revoked_at = 0`, ms(t.Now()), committeeID, userID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// TokensExpiringBy lists a committee's live tokens that expire after now and
// by the given time and whose owner has not been told yet. Tokens made to
// live less than the warning window are left out: their owner chose so.
func (s *Store) TokensExpiringBy(ctx context.Context, committeeID int64, now, by time.Time, window time.Duration) ([]zhengxie.APIToken, error) {
	rows, err := s.rd(ctx).query(`SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.committee_id = ? AND t.revoked_at = 0 AND t.reminded_at = 0 AND t.expires_at > ? AND t.expires_at <= ?
		AND t.expires_at - t.created_at > ? AND u.disabled = 0 ORDER BY t.expires_at, t.id`,
		committeeID, ms(now), ms(by), window.Milliseconds())
	if err != nil {
		return nil, err
	}
	return collectTokens(rows)
}

// MarkTokenReminded records that the owner was told of the coming expiry;
// false means another scan told them already.
func (t *Tx) MarkTokenReminded(id int64) (bool, error) {
	res, err := t.exec(`UPDATE api_tokens SET reminded_at = ? WHERE id = ? AND reminded_at = 0`, ms(t.Now()), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
