package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// concrete turns a route pattern into a path to call.
func concrete(path string, id int64) string {
	path = strings.TrimSuffix(path, "{$}")
	for _, p := range []string{"{id}", "{step}", "{decision}", "{action}"} {
		path = strings.ReplaceAll(path, p, sid(id))
	}
	if strings.HasSuffix(path, "/") && path != "/" {
		path += "x"
	}
	return path
}

// TestDeadTokenRefusedEverywhere: a revoked or an expired token gets 401
// at once on every route the server has, pages and API, reads and writes.
func TestDeadTokenRefusedEverywhere(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		o := ts.build(kTaskPending)
		revoked := ts.bearer(roleOffice)
		live := ts.bearer(roleOffice)
		// The expired token was made 91 days ago with the default 90.
		clock := ts.F.Svc.Clock
		ts.F.Svc.Clock = func() time.Time { return time.Now().AddDate(0, 0, -zhengxie.DefaultTokenDays-1) }
		expired := ts.bearer(roleOffice)
		ts.F.Svc.Clock = clock
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P), As: revoked}), http.StatusOK)
		var list struct {
			Items []apiToken `json:"items"`
		}
		ts.do(req{Method: "GET", Path: "/api/v1/tokens", As: live}).decode(t, &list)
		// The first made of those alive is the one to revoke.
		var first int64
		expiredListed := false
		for _, it := range list.Items {
			expiredListed = expiredListed || it.Expired
			if !it.Expired && (first == 0 || it.ID < first) {
				first = it.ID
			}
		}
		if len(list.Items) != 3 || !expiredListed {
			t.Fatalf("tokens listed: %+v", list.Items)
		}
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/tokens/" + sid(first), As: live}), http.StatusNoContent)
		routes := parseRoutes(t, "routes")
		checked := 0
		for _, rt := range routes {
			method, path, _ := strings.Cut(rt, " ")
			if strings.HasPrefix(path, "/static/") || path == "/healthz" || path == "/metrics" {
				// Served before authentication: to anyone, or (/metrics) to
				// whoever -metrics-token or the address allows, never by an API token.
				continue
			}
			p := concrete(path, o.P)
			for name, c := range map[string]*caller{"revoked": revoked, "expired": expired} {
				q := req{Method: method, Path: p, As: c}
				if method != "GET" && strings.HasPrefix(p, "/api/") {
					q.JSON = map[string]any{}
				}
				r := ts.do(q)
				if r.Status != http.StatusUnauthorized {
					t.Errorf("%s token: %s", name, r)
					continue
				}
				if code, _ := r.errCode(t); code != zhengxie.EUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s token: %s: code %s", name, r, code)
				}
				checked++
			}
		}
		if checked < 2*90 {
			t.Errorf("only %d calls checked", checked)
		}
		r := ts.do(req{Method: "GET", Path: "/api/v1/me", As: revoked})
		ts.expect(r, http.StatusUnauthorized, "已撤销")
		r = ts.do(req{Method: "GET", Path: "/api/v1/me", As: expired})
		ts.expect(r, http.StatusUnauthorized, "过期")
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P), As: live}), http.StatusOK)
		t.Logf("%d routes × 2 dead tokens refused", checked/2)
	})
}

// TestTokenScopes: a token's scopes limit it in one place, with the missing
// scope named; they never lift it above its user's role; a token is held
// to its user's committee.
func TestTokenScopes(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		pub := ts.build(kPublished)
		pending := ts.build(kTaskPending)
		review := ts.build(kReview)
		public := ts.bearerWith(roleOffice, "read_public")
		reader := ts.bearerWith(roleOffice, "read_committee")
		unitOnly := ts.bearerWith(roleUnit1, "unit")
		memberAdmin := ts.bearerWith(roleProposer, "read_committee", "admin")
		other := ts.bearer(roleOther)
		cases := []struct {
			name   string
			as     *caller
			method string
			path   string
			body   any
			status int
			want   []string
		}{
			{"public reads the public", public, "GET", "/api/v1/public/proposals", nil, 200, nil},
			{"public reads a published proposal", public, "GET", "/api/v1/public/proposals/" + sid(pub.P), nil, 200, nil},
			{"public reads the committee", public, "GET", "/api/v1/proposals", nil, 403, []string{"读取本委员会数据", "read_committee"}},
			{"public reads tasks", public, "GET", "/api/v1/tasks", nil, 403, []string{"read_committee"}},
			{"public writes", public, "POST", "/api/v1/proposals", map[string]any{"title": "关于测试的建议"}, 403, []string{"管理及其他写操作", "admin"}},
			{"public opens a page", public, "GET", "/proposals", nil, 403, []string{"read_committee"}},
			{"public knows who it is", public, "GET", "/api/v1/me", nil, 200, nil},
			{"reading the committee covers the public", reader, "GET", "/api/v1/public/proposals", nil, 200, nil},
			{"reader reads", reader, "GET", "/api/v1/proposals/" + sid(review.P), nil, 200, nil},
			{"reader searches", reader, "GET", "/api/v1/search?q=" + url.QueryEscape("社区"), nil, 200, nil},
			{"reader acts on a proposal", reader, "POST", "/api/v1/proposals/" + sid(review.P) + "/accept", map[string]any{}, 403, []string{"admin"}},
			{"reader makes a token", reader, "POST", "/api/v1/tokens", map[string]any{"name": "续期"}, 403, []string{"admin"}},
			{"reader posts a page form", reader, "POST", "/proposals/" + sid(review.P) + "/accept", nil, 403, []string{"admin"}},
			{"unit scope without reading", unitOnly, "GET", "/api/v1/tasks", nil, 403, []string{"read_committee"}},
			{"unit scope signs for a task", unitOnly, "POST", "/api/v1/tasks/" + sid(pending.Task) + "/accept", map[string]any{}, 200, nil},
			{"unit scope writes a proposal", unitOnly, "POST", "/api/v1/proposals", map[string]any{"title": "关于测试的建议"}, 403, []string{"admin"}},
			{"a member's admin scope is still a member's", memberAdmin, "POST", "/api/v1/proposals/" + sid(review.P) + "/accept", map[string]any{}, 403, nil},
			{"a member's admin scope lists no one else's tokens", memberAdmin, "GET", "/api/v1/tokens?all=true", nil, 403, []string{"系统管理员"}},
			{"a member's admin scope cannot reach the admin pages", memberAdmin, "GET", "/admin/users", nil, 403, []string{"系统管理员"}},
			{"a member's admin scope writes as the member", memberAdmin, "POST", "/api/v1/proposals", map[string]any{"title": "关于社区养老服务的建议"}, 201, nil},
			{"a token cannot make a stronger token", memberAdmin, "POST", "/api/v1/tokens", map[string]any{"name": "更强", "scopes": []string{"unit"}}, 422, []string{"unit", `"field":"scopes"`}},
			{"a token makes a weaker token", memberAdmin, "POST", "/api/v1/tokens", map[string]any{"name": "更弱", "scopes": []string{"read_public"}, "expires_in_days": 10}, 201, []string{`"scopes":["read_public"]`}},
			{"another committee's token does not see this one", other, "GET", "/api/v1/proposals/" + sid(review.P), nil, 404, nil},
			{"another committee's token lists no user of this one", other, "GET", "/api/v1/tokens?user_id=" + sid(ts.users[roleProposer].ID), nil, 403, nil},
			{"another committee's token sees none of its proposals", other, "GET", "/api/v1/proposals?q=" + url.QueryEscape(review.Title), nil, 200, nil},
		}
		for _, c := range cases {
			r := ts.do(req{Method: c.method, Path: c.path, As: c.as, JSON: c.body})
			if r.Status != c.status {
				t.Errorf("%s: %s, want %d", c.name, r, c.status)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(r.Body, w) {
					t.Errorf("%s: %s lacks %q", c.name, r, w)
				}
			}
			if c.status == 403 && c.want == nil && strings.Contains(r.Body, "权限范围") {
				t.Errorf("%s: refused by the role, but the message blames the scope: %s", c.name, r)
			}
			if strings.Contains(c.name, "sees none") && strings.Contains(r.Body, review.Title) {
				t.Errorf("%s: %s", c.name, r)
			}
		}
		// Revoking needs no scope: a read-only token can end itself.
		var me struct {
			Items []apiToken `json:"items"`
		}
		ts.do(req{Method: "GET", Path: "/api/v1/public/proposals", As: public})
		ts.do(req{Method: "GET", Path: "/api/v1/tokens", As: reader}).decode(t, &me)
		for _, tok := range me.Items {
			if len(tok.Scopes) == 1 && tok.Scopes[0] == "read_public" && tok.LastUsedAt.IsZero() {
				t.Errorf("the used read_public token has no last use: %+v", tok)
			}
		}
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/tokens", As: public}), http.StatusOK, `"revoked":`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/me", As: reader}), http.StatusUnauthorized)
	})
}

// TestTokenScopeTable: every API route needs the scope written here; a new
// route fails this test until someone decides what its tokens need.
func TestTokenScopeTable(t *testing.T) {
	const (
		none = zhengxie.Scope("")
		pub  = zhengxie.ScopeReadPublic
		read = zhengxie.ScopeReadCommittee
		unit = zhengxie.ScopeUnit
		adm  = zhengxie.ScopeAdmin
	)
	want := map[string]zhengxie.Scope{
		"GET /api/openapi.json": none, "POST /api/v1/login": none, "POST /api/v1/logout": none, "GET /api/v1/me": none,
		"GET /api/v1/tokens": read, "POST /api/v1/tokens": adm, "DELETE /api/v1/tokens": none, "DELETE /api/v1/tokens/{id}": none,
		"GET /api/v1/units": read, "GET /api/v1/proposals": read, "POST /api/v1/proposals": adm, "GET /api/v1/proposals/{id}": read,
		"PUT /api/v1/proposals/{id}": adm, "POST /api/v1/proposals/{id}/attachments": adm, "GET /api/v1/tasks": read,
		"GET /api/v1/public/proposals": pub, "GET /api/v1/public/proposals/{id}": pub, "GET /api/v1/search": read,
		"GET /api/v1/proposals/similar": read,
	}
	for _, rt := range apiRouteList(t) {
		method, path, _ := strings.Cut(rt, " ")
		w, ok := want[rt]
		switch {
		case ok:
		case method == "POST" && strings.HasPrefix(path, "/api/v1/tasks/{id}/"):
			w = unit
		case method == "POST" && strings.HasPrefix(path, "/api/v1/notifications/"):
			w = read // marking one's own notices read
		case strings.HasPrefix(path, "/api/v1/public/"):
			w = pub
		case method == "GET":
			// Every other read of the committee needs read_committee, and
			// every other write admin: a route that needs less (or more)
			// must be written in the map above and in tokenScopeRules.
			w = read
		default:
			w = adm
		}
		if got := requiredScope(method, concrete(path, 7)); got != w {
			t.Errorf("%s needs %q, want %q", rt, got, w)
		}
	}
	for _, c := range []struct {
		method, path string
		want         zhengxie.Scope
	}{
		{"HEAD", "/api/v1/proposals", read}, {"GET", "/public", pub}, {"GET", "/public/proposals/3", pub}, {"GET", "/publicity", read},
		{"POST", "/tasks/3/reply", unit}, {"POST", "/tasks/3/reply/x", adm}, {"POST", "/admin/users/3/reset", adm}, {"PATCH", "/api/v1/new", adm},
	} {
		if got := requiredScope(c.method, c.path); got != c.want {
			t.Errorf("%s %s needs %q, want %q", c.method, c.path, got, c.want)
		}
	}
}

// TestTokensOverAPI: make, list (never the secret), revoke one and all;
// the admin over anyone of the committee.
func TestTokensOverAPI(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		member := ts.login(roleProposer)
		admin := ts.session(roleAdmin)
		r := ts.do(req{Method: "POST", Path: "/api/v1/tokens", As: member, JSON: map[string]any{"name": "官方网站", "scopes": []string{"read_committee", "unit"}, "expires_in_days": 30}})
		ts.expect(r, http.StatusCreated, `"token":"zx_`, `"scopes":["read_committee","unit"]`, `"user_name":"`+ts.users[roleProposer].Name+`"`)
		var made apiNewToken
		r.decode(t, &made)
		if d := made.ExpiresAt.Sub(made.CreatedAt); d < 29*24*time.Hour || d > 31*24*time.Hour {
			t.Errorf("30 days asked, %v given", d)
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the answer with the secret may be cached: %v", r.Header)
		}
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/tokens", As: member, JSON: map[string]any{"name": "x", "expires_in_days": 400}}), 422, `"field":"expires_in_days"`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/tokens", As: member, JSON: map[string]any{"name": "x", "scopes": []string{"root"}}}), 422, `"field":"scopes"`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/tokens", As: member, JSON: map[string]any{"scopes": []string{"unit"}}}), 422, `"field":"name"`)
		second := ts.do(req{Method: "POST", Path: "/api/v1/tokens", As: member, JSON: map[string]any{"name": "政协云平台"}})
		ts.expect(second, http.StatusCreated, `"scopes":["read_public","read_committee"]`)
		ts.do(req{Method: "POST", Path: "/api/v1/tokens", As: admin, JSON: map[string]any{"name": "代建", "user_id": ts.users[roleMember2].ID}})

		list := ts.do(req{Method: "GET", Path: "/api/v1/tokens", As: member})
		ts.expect(list, http.StatusOK, `"total":2`, "官方网站", "政协云平台")
		if strings.Contains(list.Body, made.Token) || strings.Contains(list.Body, "zx_") || strings.Contains(list.Body, `"token"`) {
			t.Errorf("the list shows a secret: %s", list.Body)
		}
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tokens?user_id=" + sid(ts.users[roleMember2].ID), As: member}), http.StatusForbidden)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tokens?user_id=abc", As: member}), 422, `"field":"user_id"`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tokens?all=maybe", As: admin}), 422, `"field":"all"`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tokens?all=true", As: admin}), http.StatusOK, `"total":3`, "代建")
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tokens?user_id=" + sid(ts.users[roleMember2].ID), As: admin}), http.StatusOK, `"total":1`, "代建")
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tokens?user_id=" + sid(ts.F.Other.ID), As: admin}), http.StatusNotFound)

		// The admin revokes the member's second token; another member cannot.
		var sec apiNewToken
		second.decode(t, &sec)
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/tokens/" + sid(sec.ID), As: ts.session(roleMember2)}), http.StatusNotFound)
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/tokens/" + sid(sec.ID), As: ts.session(roleOther)}), http.StatusNotFound)
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/tokens/" + sid(sec.ID), As: admin}), http.StatusNoContent)
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/tokens/" + sid(sec.ID), As: admin}), http.StatusNotFound)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tasks", As: &caller{Bearer: sec.Token}}), http.StatusUnauthorized, "已撤销")
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tasks", As: &caller{Bearer: made.Token}}), http.StatusForbidden) // a member's tasks: the role says no
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/tokens", As: member}), http.StatusOK, `"revoked":1`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/me", As: &caller{Bearer: made.Token}}), http.StatusUnauthorized)
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/tokens?user_id=" + sid(ts.users[roleMember2].ID), As: admin}), http.StatusOK, `"revoked":1`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tokens?all=true", As: admin}), http.StatusOK, `"total":0`)
	})
}

// TestTokensOnPages: 账号设置 makes a token and shows its secret once, lists
// and revokes; the admin's 用户管理 revokes a user's tokens, and 强制下线
// and 重置密码 do too.
func TestTokensOnPages(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		unit := ts.session(roleUnit1)
		r := ts.do(req{Method: "POST", Path: "/me/tokens", As: unit, Form: url.Values{"name": {"单位办公系统"}, "scopes": {"read_committee", "unit"}, "expires_in_days": {"60"}}})
		ts.expect(r, http.StatusOK, `id="token-secret"`, "只显示这一次", "单位办公系统", "办理任务操作")
		i := strings.Index(r.Body, `id="token-secret">`)
		secret := r.Body[i+len(`id="token-secret">`):]
		secret = secret[:strings.Index(secret, "<")]
		if !strings.HasPrefix(secret, "zx_") {
			t.Fatalf("no secret on the page: %q", secret)
		}
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tasks", As: &caller{Bearer: secret}}), http.StatusOK)
		page := ts.do(req{Method: "GET", Path: "/me", As: unit})
		ts.expect(page, http.StatusOK, `id="token-list"`, "单位办公系统", "读取本委员会数据、办理任务操作")
		if strings.Contains(page.Body, secret) {
			t.Error("the secret is shown again")
		}
		ts.expect(ts.do(req{Method: "POST", Path: "/me/tokens", As: unit, Form: url.Values{"name": {"x"}, "expires_in_days": {"两个月"}}}), 422, "有效期")
		ts.expect(ts.do(req{Method: "POST", Path: "/me/tokens", As: unit, Form: url.Values{"name": {""}}}), 422, "请填写令牌名称")

		toks, err := ts.F.Svc.APITokens(context.Background(), zhengxie.ActorOf(ts.users[roleUnit1]), 0, false)
		if err != nil || len(toks) != 1 {
			t.Fatalf("tokens: %v %v", toks, err)
		}
		r = ts.do(req{Method: "POST", Path: fmt.Sprintf("/me/tokens/%d/revoke", toks[0].ID), As: unit, Form: url.Values{}})
		ts.expect(r, http.StatusSeeOther)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tasks", As: &caller{Bearer: secret}}), http.StatusUnauthorized)
		ts.expect(ts.do(req{Method: "GET", Path: "/me", As: unit}), http.StatusOK, `id="no-tokens"`)

		// The admin's buttons.
		admin := ts.session(roleAdmin)
		for _, action := range []string{"revoke_tokens", "logout", "reset"} {
			tok := ts.bearer(roleUnit1)
			users := ts.do(req{Method: "GET", Path: "/admin/users", As: admin})
			ts.expect(users, http.StatusOK, fmt.Sprintf(`/admin/users/%d/revoke_tokens`, ts.users[roleUnit1].ID), "撤销API令牌（1）")
			r := ts.do(req{Method: "POST", Path: fmt.Sprintf("/admin/users/%d/%s", ts.users[roleUnit1].ID, action), As: admin, Form: url.Values{}})
			if r.Status != http.StatusSeeOther && r.Status != http.StatusOK {
				t.Fatalf("%s: %s", action, r)
			}
			for _, p := range []string{"/api/v1/tasks", "/api/v1/me"} {
				ts.expect(ts.do(req{Method: "GET", Path: p, As: tok}), http.StatusUnauthorized)
			}
			ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/tasks/1/accept", As: tok, JSON: map[string]any{}}), http.StatusUnauthorized)
			users = ts.do(req{Method: "GET", Path: "/admin/users", As: admin})
			if action != "revoke_tokens" && !strings.Contains(users.Body, "撤销全部API令牌") {
				t.Errorf("%s: the audit log does not show the revoked tokens", action)
			}
		}
	})
}

// TestLoneSurrogatesRefused: an escape that decodes to no character is
// refused like raw invalid UTF-8, naming the field.
func TestLoneSurrogatesRefused(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	member := ts.session(roleProposer)
	office := ts.session(roleOffice)
	d := ts.build(kDraft)
	acc := ts.build(kAccepted)
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"title", "PUT", "/api/v1/proposals/" + sid(d.P), `{"title":"\ud800abc","body":"正文"}`, 422, "title"},
		{"low half alone", "PUT", "/api/v1/proposals/" + sid(d.P), `{"title":"案由","body":"正文\uDC00"}`, 422, "body"},
		{"high half then a letter", "PUT", "/api/v1/proposals/" + sid(d.P), `{"title":"\ud83d\u0041","body":"正文"}`, 422, "title"},
		{"nested", "POST", "/api/v1/proposals/" + sid(acc.P) + "/assign", fmt.Sprintf(`{"assignments":[{"unit_id":%d,"kind":"lead","due":"\udfff"}]}`, ts.F.Units[0].ID), 422, "assignments.due"},
		{"new proposal", "POST", "/api/v1/proposals", `{"title":"关于\ud800的建议"}`, 422, "title"},
		{"a pair is a character", "PUT", "/api/v1/proposals/" + sid(d.P), `{"title":"关于社区养老的建议\ud83d\ude00","body":"正文"}`, 200, ""},
		{"an escaped backslash is not an escape", "PUT", "/api/v1/proposals/" + sid(d.P), `{"title":"关于社区养老的建议\\ud800","body":"正文"}`, 200, ""},
	} {
		as := member
		if strings.Contains(c.path, "assign") {
			as = office
		}
		r := ts.do(req{Method: c.method, Path: c.path, As: as, Raw: []byte(c.body), ContentType: "application/json"})
		if r.Status != c.status {
			t.Errorf("%s: %s, want %d", c.name, r, c.status)
			continue
		}
		if c.field != "" {
			code, field := r.errCode(t)
			if code != zhengxie.EInvalid || field != c.field || !strings.Contains(r.Body, "无效的Unicode字符") {
				t.Errorf("%s: code %s field %q: %s", c.name, code, field, r)
			}
		}
	}
	p, err := ts.F.Svc.Store.Proposal(context.Background(), ts.F.Committee.ID, d.P)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(p.Title, '\uFFFD') {
		t.Errorf("a replacement character was saved: %q", p.Title)
	}
}

func TestSurrogateScanner(t *testing.T) {
	for _, c := range []struct {
		json  string
		index int
		field string
	}{
		{`{"a":"x"}`, -1, ""},
		{`{"a":"\ud800"}`, 1, "a"},
		{`{"a":"ok","b":{"c":["x","\udbff"]}}`, 5, "b.c"},
		{`{"a":"\ud83d\ude00","b":"\\ud800"}`, -1, ""},
		{`{"a":[{"k":1},{"k":"\uDE00x"}],"z":"y"}`, 3, "a.k"},
		{`"\ud800"`, 0, ""},
		{`{"\ud800":1}`, 0, ""},
		{`{"a":"\u00e9\ud800"}`, 1, "a"},
	} {
		var v any
		if err := json.Unmarshal([]byte(c.json), &v); err != nil {
			t.Fatalf("%s: %v", c.json, err)
		}
		if got := loneSurrogates([]byte(c.json)); got != c.index {
			t.Errorf("%s: lone surrogate in string %d, want %d", c.json, got, c.index)
			continue
		}
		if c.index >= 0 {
			if got := stringField([]byte(c.json), c.index); got != c.field {
				t.Errorf("%s: field %q, want %q", c.json, got, c.field)
			}
		}
	}
}

// TestErrorFieldCheck: the check every API answer of the suite goes
// through refuses an error naming a field the request does not have, and
// really runs.
func TestErrorFieldCheck(t *testing.T) {
	answer := func(field string) *resp {
		h := http.Header{}
		h.Set("Content-Type", "application/json; charset=utf-8")
		return &resp{Status: 422, Header: h, Body: fmt.Sprintf(`{"error":{"code":"invalid","message":"承办单位不存在","field":%q}}`, field)}
	}
	sent := requestKeys(req{Method: "POST", Path: "/api/v1/proposals/1/assign", JSON: map[string]any{"assignments": []map[string]any{{"unit_id": 9, "kind": "lead"}}}})
	if err := errorFieldOfRequest("POST", "/api/v1/proposals/1/assign", sent, answer("units")); err == nil {
		t.Error(`an error naming "units" for a request of "assignments" passed`)
	}
	for _, f := range []string{"assignments", "assignments.kind", "kind", "due", "comment"} {
		if err := errorFieldOfRequest("POST", "/api/v1/proposals/1/assign", sent, answer(f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if err := errorFieldOfRequest("GET", "/api/v1/tokens?user_id=x", requestKeys(req{Path: "/api/v1/tokens?user_id=x"}), answer("user_id")); err != nil {
		t.Errorf("query parameter: %v", err)
	}
	if err := errorFieldOfRequest("GET", "/api/v1/search?q=x", requestKeys(req{Path: "/api/v1/search?q=x"}), answer("title")); err == nil {
		t.Error("a field of no request passed")
	}
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	before := apiAnswersChecked.Load()
	ts.noConform = true // even then
	ts.do(req{Method: "GET", Path: "/api/v1/public/proposals"})
	if apiAnswersChecked.Load() == before {
		t.Error("an API answer of testServer.do was not checked")
	}
}

// TestOfficeSeesCancelOnReturnedTask: the office's view of a returned task
// offers 改办 (cancel), which the document now lists; the answer goes
// through the schema check of do.
func TestOfficeSeesCancelOnReturnedTask(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	o := ts.build(kTaskPending)
	if _, err := ts.F.Svc.ReturnTask(context.Background(), zhengxie.ActorOf(ts.users[roleUnit1]), o.Task, "不属于本单位职责范围"); err != nil {
		t.Fatal(err)
	}
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P), As: ts.session(roleOffice)}), http.StatusOK, `"actions":["cancel"]`)
	r := ts.do(req{Method: "POST", Path: "/api/v1/proposals/" + sid(o.P) + "/assign", As: ts.session(roleOffice),
		JSON: map[string]any{"assignments": []map[string]any{{"unit_id": 99999, "kind": "lead"}}}})
	if _, field := r.errCode(t); r.Status != 422 || field != "assignments" {
		t.Errorf("unknown unit: %s", r)
	}
}
