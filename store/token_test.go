package store_test

import (
	"strconv"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

func TestAPITokenStore(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		now := time.Now()
		mk := func(u *zhengxie.User, name, hash string, expires time.Time) *zhengxie.APIToken {
			tok := &zhengxie.APIToken{CommitteeID: u.CommitteeID, UserID: u.ID, Name: name,
				Scopes: []zhengxie.Scope{zhengxie.ScopeReadCommittee, zhengxie.ScopeUnit}, ExpiresAt: expires}
			w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error { return tx.CreateAPIToken(tok, hash) }))
			return tok
		}
		m := w.f.Members[0]
		a := mk(m, "官方网站", "hash-a", now.Add(90*24*time.Hour))
		b := mk(m, "政协云平台", "hash-b", now.Add(3*24*time.Hour))
		c := mk(w.f.Members[1], "他人的令牌", "hash-c", now.Add(3*24*time.Hour))

		got, u, err := w.st.APITokenByHash(w.ctx, "hash-a")
		w.must(err)
		if got.ID != a.ID || u.ID != m.ID || got.Name != "官方网站" || len(got.Scopes) != 2 || got.Scopes[1] != zhengxie.ScopeUnit ||
			got.ExpiresAt.UnixMilli() != a.ExpiresAt.UnixMilli() || !got.LastUsedAt.IsZero() || !got.RevokedAt.IsZero() {
			t.Fatalf("token read back as %+v (user %d)", got, u.ID)
		}
		if _, _, err := w.st.APITokenByHash(w.ctx, "no-such-hash"); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
			t.Errorf("unknown hash: %v", err)
		}
		w.must(w.st.TouchAPIToken(w.ctx, a.ID, now))
		got, _, _ = w.st.APITokenByHash(w.ctx, "hash-a")
		if got.LastUsedAt.UnixMilli() != now.UnixMilli() {
			t.Errorf("last used %v, want %v", got.LastUsedAt, now)
		}

		list, err := w.st.APITokens(w.ctx, store.TokenFilter{CommitteeID: m.CommitteeID, UserID: m.ID})
		w.must(err)
		if len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID || list[0].UserName != m.Name {
			t.Errorf("own list: %+v", list)
		}
		all, err := w.st.APITokens(w.ctx, store.TokenFilter{CommitteeID: m.CommitteeID})
		w.must(err)
		if len(all) != 3 {
			t.Errorf("committee list has %d tokens, want 3", len(all))
		}
		other, err := w.st.APITokens(w.ctx, store.TokenFilter{CommitteeID: w.f.Other.CommitteeID})
		w.must(err)
		if len(other) != 0 {
			t.Errorf("another committee lists %d of this committee's tokens", len(other))
		}

		// Expiring within a week, not told yet: b and c; b once only.
		soon, err := w.st.TokensExpiringBy(w.ctx, m.CommitteeID, now, now.Add(7*24*time.Hour), time.Hour)
		w.must(err)
		if len(soon) != 2 || soon[0].ID != b.ID && soon[0].ID != c.ID {
			t.Fatalf("expiring: %+v", soon)
		}
		var first, second bool
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) (err error) { first, err = tx.MarkTokenReminded(b.ID); return }))
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) (err error) { second, err = tx.MarkTokenReminded(b.ID); return }))
		if !first || second {
			t.Errorf("reminded: first %v, second %v", first, second)
		}
		soon, _ = w.st.TokensExpiringBy(w.ctx, m.CommitteeID, now, now.Add(7*24*time.Hour), time.Hour)
		if len(soon) != 1 || soon[0].ID != c.ID {
			t.Errorf("after the reminder: %+v", soon)
		}
		// A token made to live less than the window is not announced.
		if short, _ := w.st.TokensExpiringBy(w.ctx, m.CommitteeID, now, now.Add(7*24*time.Hour), 7*24*time.Hour); len(short) != 0 {
			t.Errorf("short-lived tokens announced: %+v", short)
		}

		// Revoking: one, then all of a user; revoked tokens are not listed
		// and cannot be found to revoke again, but are still known by hash.
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) error {
			if _, err := tx.APIToken(m.CommitteeID, a.ID); err != nil {
				return err
			}
			if _, err := tx.APIToken(w.f.Other.CommitteeID, a.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
				t.Errorf("a token found through another committee: %v", err)
			}
			return tx.RevokeAPIToken(a.ID)
		}))
		got, _, err = w.st.APITokenByHash(w.ctx, "hash-a")
		w.must(err)
		if got.RevokedAt.IsZero() {
			t.Error("revoked token has no revocation time")
		}
		var n int
		w.must(w.st.InTx(w.ctx, func(tx *store.Tx) (err error) {
			if _, err := tx.APIToken(m.CommitteeID, a.ID); zhengxie.ErrorCode(err) != zhengxie.ENotFound {
				t.Errorf("revoked token still found: %v", err)
			}
			n, err = tx.RevokeUserAPITokens(m.CommitteeID, m.ID)
			return
		}))
		if n != 1 {
			t.Errorf("revoked %d of the user's live tokens, want 1", n)
		}
		list, _ = w.st.APITokens(w.ctx, store.TokenFilter{CommitteeID: m.CommitteeID, UserID: m.ID})
		if len(list) != 0 {
			t.Errorf("revoked tokens listed: %+v", list)
		}
		if soon, _ := w.st.TokensExpiringBy(w.ctx, m.CommitteeID, now, now.Add(7*24*time.Hour), time.Hour); len(soon) != 1 || soon[0].ID != c.ID {
			t.Errorf("revoked tokens to remind: %+v", soon)
		}
	})
}

// TestTokenMigrationKeepsOldTokens: a token made before 0009 keeps what it
// could do (every scope) and expires 90 days after the upgrade instead of
// never. The test undoes 0009 on a fresh database, adds a token as the old
// schema held it, and opens the store again.
func TestTokenMigrationKeepsOldTokens(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		db := w.st.DB()
		m := w.f.Members[0]
		for _, q := range []string{
			`DROP INDEX api_tokens_user`,
			`ALTER TABLE api_tokens DROP COLUMN scopes`, `ALTER TABLE api_tokens DROP COLUMN expires_at`,
			`ALTER TABLE api_tokens DROP COLUMN revoked_at`, `ALTER TABLE api_tokens DROP COLUMN reminded_at`,
			`DELETE FROM schema_migrations WHERE version = '0009_tokens'`,
			`INSERT INTO api_tokens (committee_id, user_id, name, token_hash, created_at) VALUES (` +
				sid(m.CommitteeID) + `, ` + sid(m.ID) + `, '旧令牌', 'old-hash', 1)`,
		} {
			if _, err := db.ExecContext(w.ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		before := time.Now()
		st := testenv.Open(t, dsn)
		tok, u, err := st.APITokenByHash(w.ctx, "old-hash")
		w.must(err)
		if u.ID != m.ID || len(tok.Scopes) != len(zhengxie.Scopes) || !tok.RevokedAt.IsZero() {
			t.Errorf("old token after the upgrade: %+v", tok)
		}
		for _, sc := range zhengxie.Scopes {
			if !zhengxie.HasScope(tok.Scopes, sc) {
				t.Errorf("old token lost %s", sc)
			}
		}
		if d := tok.ExpiresAt.Sub(before); d < 89*24*time.Hour || d > 91*24*time.Hour {
			t.Errorf("old token expires in %v, want 90 days", d)
		}
	})
}

func sid(n int64) string { return strconv.FormatInt(n, 10) }
