package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

func TestAPITokenLifecycle(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		m := w.member(0)
		admin := w.f.Actor(w.f.Admin)

		// Made with defaults: reading only, 90 days, the secret given once.
		secret, tok, err := w.svc.CreateAPIToken(w.ctx, m, app.TokenSpec{Name: " 官方网站 "})
		w.must(err)
		if !strings.HasPrefix(secret, "zx_") || tok.Name != "官方网站" || !slices.Equal(tok.Scopes, zhengxie.DefaultScopes) ||
			!tok.ExpiresAt.Equal(w.now.AddDate(0, 0, 90)) {
			t.Fatalf("default token: %q %+v", secret, tok)
		}
		u, got, err := w.svc.AuthenticateToken(w.ctx, secret)
		w.must(err)
		if u.ID != m.UserID || got.ID != tok.ID || !got.LastUsedAt.Equal(w.now) {
			t.Errorf("authenticated as %d with %+v", u.ID, got)
		}

		// Inputs.
		for _, c := range []struct {
			what  string
			spec  app.TokenSpec
			field string
		}{
			{"no name", app.TokenSpec{}, "name"},
			{"long name", app.TokenSpec{Name: strings.Repeat("令", 51)}, "name"},
			{"unknown scope", app.TokenSpec{Name: "x", Scopes: []string{"read_all"}}, "scopes"},
			{"zero days is the default, a negative count is not", app.TokenSpec{Name: "x", Days: -1}, "expires_in_days"},
			{"over the cap", app.TokenSpec{Name: "x", Days: zhengxie.MaxTokenDays + 1}, "expires_in_days"},
			{"beyond the calling token", app.TokenSpec{Name: "x", Scopes: []string{"unit"}, Within: []zhengxie.Scope{zhengxie.ScopeReadCommittee, zhengxie.ScopeAdmin}}, "scopes"},
		} {
			_, _, err := w.svc.CreateAPIToken(w.ctx, m, c.spec)
			wantField(t, c.what, err, c.field)
		}
		_, within, err := w.svc.CreateAPIToken(w.ctx, m, app.TokenSpec{Name: "子令牌", Scopes: []string{"read_public"}, Within: []zhengxie.Scope{zhengxie.ScopeReadCommittee}})
		w.must(err)
		if !slices.Equal(within.Scopes, []zhengxie.Scope{zhengxie.ScopeReadPublic}) {
			t.Errorf("read_committee covers read_public: %+v", within.Scopes)
		}
		w.svc.Config.TokenDays = 30
		_, short, err := w.svc.CreateAPIToken(w.ctx, m, app.TokenSpec{Name: "配置的默认有效期", Scopes: []string{"unit", "read_committee", "unit"}})
		w.must(err)
		if !short.ExpiresAt.Equal(w.now.AddDate(0, 0, 30)) || !slices.Equal(short.Scopes, []zhengxie.Scope{zhengxie.ScopeReadCommittee, zhengxie.ScopeUnit}) {
			t.Errorf("configured default: %+v", short)
		}
		w.svc.Config.TokenDays = 0

		// Who may make and manage whose tokens.
		_, _, err = w.svc.CreateAPIToken(w.ctx, m, app.TokenSpec{Name: "x", UserID: w.f.Members[1].ID})
		wantCode(t, "a member makes a token for another", err, zhengxie.EForbidden)
		_, _, err = w.svc.CreateAPIToken(w.ctx, admin, app.TokenSpec{Name: "x", UserID: w.f.Other.ID})
		wantCode(t, "the admin makes a token for another committee's user", err, zhengxie.ENotFound)
		_, theirs, err := w.svc.CreateAPIToken(w.ctx, admin, app.TokenSpec{Name: "管理员代建", UserID: w.f.Members[1].ID})
		w.must(err)
		_, err = w.svc.APITokens(w.ctx, m, w.f.Members[1].ID, false)
		wantCode(t, "a member lists another's tokens", err, zhengxie.EForbidden)
		_, err = w.svc.APITokens(w.ctx, m, 0, true)
		wantCode(t, "a member lists the committee's tokens", err, zhengxie.EForbidden)
		_, err = w.svc.APITokens(w.ctx, admin, w.f.Other.ID, false)
		wantCode(t, "the admin lists another committee's user", err, zhengxie.ENotFound)
		wantCode(t, "a member revokes another's token", w.svc.RevokeAPIToken(w.ctx, m, theirs.ID), zhengxie.ENotFound)
		wantCode(t, "another committee's office revokes a token", w.svc.RevokeAPIToken(w.ctx, w.f.Actor(w.f.Other), tok.ID), zhengxie.ENotFound)
		own, err := w.svc.APITokens(w.ctx, m, 0, false)
		w.must(err)
		if len(own) != 3 {
			t.Errorf("member lists %d own tokens, want 3", len(own))
		}
		all, err := w.svc.APITokens(w.ctx, admin, 0, true)
		w.must(err)
		if len(all) != 4 {
			t.Errorf("admin lists %d tokens of the committee, want 4", len(all))
		}

		// Revoked and expired tokens are refused at once.
		w.must(w.svc.RevokeAPIToken(w.ctx, admin, theirs.ID))
		w.must(w.svc.RevokeAPIToken(w.ctx, m, tok.ID))
		_, _, err = w.svc.AuthenticateToken(w.ctx, secret)
		if zhengxie.ErrorCode(err) != zhengxie.EUnauthorized || !strings.Contains(err.Error(), "已撤销") {
			t.Errorf("revoked token: %v", err)
		}
		secret2, _, err := w.svc.CreateAPIToken(w.ctx, m, app.TokenSpec{Name: "一天", Days: 1})
		w.must(err)
		w.now = w.now.Add(24*time.Hour - time.Second)
		_, _, err = w.svc.AuthenticateToken(w.ctx, secret2)
		w.must(err)
		w.now = w.now.Add(time.Second)
		_, _, err = w.svc.AuthenticateToken(w.ctx, secret2)
		if zhengxie.ErrorCode(err) != zhengxie.EUnauthorized || !strings.Contains(err.Error(), "过期") {
			t.Errorf("expired token: %v", err)
		}
		n, err := w.svc.RevokeAPITokens(w.ctx, m, 0)
		w.must(err)
		if n != 3 {
			t.Errorf("revoked %d of the member's tokens, want 3", n)
		}
		_, _, err = w.svc.AuthenticateToken(w.ctx, "zx_not-a-token")
		wantCode(t, "unknown token", err, zhengxie.EUnauthorized)

		// A disabled user's token stops working.
		secret3, _, err := w.svc.CreateAPIToken(w.ctx, w.member(2), app.TokenSpec{Name: "停用前"})
		w.must(err)
		w.must(w.svc.SetDisabled(w.ctx, admin, w.f.Members[2].ID, true))
		_, _, err = w.svc.AuthenticateToken(w.ctx, secret3)
		wantCode(t, "disabled user's token", err, zhengxie.EUnauthorized)
	})
}

// TestAdminEndsTokens: 强制下线, 重置密码 and a change of role revoke the
// user's tokens too, with an audit event naming why.
func TestAdminEndsTokens(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		admin := w.f.Actor(w.f.Admin)
		for _, c := range []struct {
			action string
			run    func(userID int64) error
		}{
			{"force_logout", func(id int64) error { return w.svc.ForceLogout(w.ctx, admin, id) }},
			{"password_reset", func(id int64) error { _, err := w.svc.ResetPassword(w.ctx, admin, id); return err }},
			{"role_changed", func(id int64) error { return w.svc.ChangeRole(w.ctx, admin, id, zhengxie.RoleLeader, 0) }},
		} {
			u := w.f.Members[3]
			s1, _, err := w.svc.CreateAPIToken(w.ctx, w.f.Actor(u), app.TokenSpec{Name: "集成一"})
			w.must(err)
			s2, _, err := w.svc.CreateAPIToken(w.ctx, w.f.Actor(u), app.TokenSpec{Name: "集成二"})
			w.must(err)
			keep, _, err := w.svc.CreateAPIToken(w.ctx, w.member(4), app.TokenSpec{Name: "别人的"})
			w.must(err)
			w.must(c.run(u.ID))
			for _, s := range []string{s1, s2} {
				if _, _, err := w.svc.AuthenticateToken(w.ctx, s); zhengxie.ErrorCode(err) != zhengxie.EUnauthorized {
					t.Errorf("%s: the user's token still works: %v", c.action, err)
				}
			}
			if _, _, err := w.svc.AuthenticateToken(w.ctx, keep); err != nil {
				t.Errorf("%s: another user's token was revoked: %v", c.action, err)
			}
			es, err := w.st.AccountEvents(w.ctx, w.f.Committee.ID, 5)
			w.must(err)
			found := false
			for _, e := range es {
				if e.Action == "api_tokens_revoked" && strings.Contains(e.Comment, u.Username) && strings.Contains(e.Comment, "2个") &&
					strings.Contains(e.Comment, zhengxie.Action(c.action).Name()) && strings.Contains(e.Payload, `"because":"`+c.action+`"`) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no audit event of the revoked tokens in %+v", c.action, es)
			}
			if zhengxie.Action("api_tokens_revoked").Name() != "撤销全部API令牌" {
				t.Errorf("the audit log shows a raw code")
			}
		}
	})
}

// TestTokenExpiryReminder: the owner hears once, a week ahead, whatever
// the number of scans.
func TestTokenExpiryReminder(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		m := w.f.Members[0]
		_, _, err := w.svc.CreateAPIToken(w.ctx, w.member(0), app.TokenSpec{Name: "官方网站", Days: 30})
		w.must(err)
		_, _, err = w.svc.CreateAPIToken(w.ctx, w.member(0), app.TokenSpec{Name: "三天的临时令牌", Days: 3})
		w.must(err)
		count := func() int {
			ns, err := w.st.Notifications(w.ctx, m.ID, 50)
			w.must(err)
			n := 0
			for _, x := range ns {
				if strings.Contains(x.Title, "API令牌即将到期") {
					n++
					if !strings.Contains(x.Title, "官方网站") || !strings.Contains(x.Title, "还剩7天") || x.Link != "/me#tokens" {
						t.Errorf("reminder: %+v", x)
					}
				}
			}
			return n
		}
		scan := func() int {
			n, err := w.svc.ScanTokenExpiry(w.ctx)
			w.must(err)
			return n
		}
		if n := scan(); n != 0 || count() != 0 {
			t.Fatalf("reminded %d a month ahead", n)
		}
		w.now = w.now.AddDate(0, 0, 23)
		if n := scan(); n != 1 {
			t.Errorf("first scan in the window sent %d reminders, want 1 (the short-lived token is not announced)", n)
		}
		for i := 0; i < 3; i++ {
			w.now = w.now.Add(time.Hour)
			if n := scan(); n != 0 {
				t.Errorf("scan %d sent %d more reminders", i, n)
			}
		}
		if n := count(); n != 1 {
			t.Errorf("%d reminders in the inbox, want 1", n)
		}
	})
}
