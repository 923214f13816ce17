package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// The permission matrix: one declared policy, every page and API endpoint
// called as every role, and each answer held to the policy. Outcomes:
//
//	A  allowed: 2xx, or a redirect that is not to the login page
//	R  sent to the public page (a visitor opening an internal URL)
//	L  must log in: 401, or a redirect to /login?next=
//	D  denied: 403 (the caller may see the object but not do this)
//	N  not found: 404, the same answer as for an id that does not exist,
//	   and the answer holds nothing of the object
//	V  permitted, but the input is refused (409, 422): the caller got past
//	   the permission check (rows that send no valid input on purpose)
//
// For list rows ("list …"), A means the object is in the list and N that it
// is not. A request that is not allowed must change nothing; an allowed
// request that changes state must have changed it (checked on the store).
//
// Columns, in this order:
//
//	anon proposer cosigner member2 unit1 unit2 office leader admin other
//
// proposer = member1, who wrote every proposal; cosigner = member3, invited
// on "cosign" proposals only; unit1 = the unit the proposals are assigned
// to; other = the office of another committee.

type policy struct {
	name    string
	method  string
	path    string // {p} proposal, {task} unit 1's task, {att} attachment, {title} the title
	kind    string // the object the row works on (see build); "" for none
	expect  string // ten outcomes, space-separated, in column order
	body    func(ts *testServer, o obj, role string) any
	list    bool   // A/N is whether the object is in the answer (see mark)
	mark    string // what shows the object in a list: {p} is its id
	fresh   bool   // the call ends the session: give it a throwaway one
	creates bool   // the call creates a proposal: count them
	login   bool   // the call logs in: reset the rate limit first
	// after runs after each call, to undo what would disturb later rows.
	after func(ts *testServer, role string)
}

// Bodies of the requests.
func noBody(*testServer, obj, string) any { return nil }

func jsonBody(m map[string]any) func(*testServer, obj, string) any {
	return func(ts *testServer, o obj, _ string) any {
		out := map[string]any{}
		for k, v := range m {
			switch v {
			case "{into}":
				v = o.Into
			case "{today}":
				v = testToday()
			case "{assign}":
				v = []map[string]any{{"unit_id": ts.F.Units[0].ID, "kind": "lead"}}
			}
			out[k] = v
		}
		return out
	}
}

func formBody(kv ...string) func(*testServer, obj, string) any {
	return func(ts *testServer, o obj, _ string) any {
		f := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v := kv[i+1]
			k := strings.ReplaceAll(kv[i], "{unit1}", sid(ts.F.Units[0].ID))
			v = strings.ReplaceAll(v, "{into}", sid(o.Into))
			v = strings.ReplaceAll(v, "{today}", testToday())
			f.Add(k, v)
		}
		return f
	}
}

func fileBody(*testServer, obj, string) any {
	return &fileUpload{Field: "file", Name: "补充材料.txt", Data: []byte("补充调研材料")}
}

func loginJSON(ts *testServer, _ obj, role string) any {
	if u := ts.users[role]; u != nil {
		return map[string]any{"username": u.Username, "password": testenv.Password}
	}
	return map[string]any{"username": "visitor", "password": "guess-pass-1"}
}

func loginForm(ts *testServer, _ obj, role string) any {
	if u := ts.users[role]; u != nil {
		return url.Values{"username": {u.Username}, "password": {testenv.Password}}
	}
	return url.Values{"username": {"visitor"}, "password": {"guess-pass-1"}}
}

// Action bodies shared by the API and the pages.
var proposalActions = []struct {
	action, kind, expect string
	api                  map[string]any
	form                 []string
}{
	{"submit", kDraft, "L A N N N N N N N N", nil, nil},
	{"withdraw", kReview, "L A N N N N D D D N", map[string]any{"comment": "再调研"}, []string{"comment", "再调研"}},
	{"cosign", kCosign, "L D A N N N D D D N", nil, nil},
	{"decline_cosign", kCosign, "L D A N N N D D D N", nil, nil},
	{"close_cosign", kCosign, "L D D N N N A D D N", nil, nil},
	{"accept", kReview, "L D N N N N A D D N", nil, nil},
	{"reject", kReview, "L D N N N N A D D N", map[string]any{"reason": "不属于提案范围"}, []string{"reason", "不属于提案范围"}},
	{"merge", kReview, "L D N N N N A D D N", map[string]any{"into": "{into}"}, []string{"into", "{into}"}},
	{"convert", kReview, "L D N N N N A D D N", map[string]any{"reason": "宜作意见建议"}, []string{"reason", "宜作意见建议"}},
	{"assign", kAccepted, "L D N N N N A D D N", map[string]any{"assignments": "{assign}"}, []string{"kind_{unit1}", "lead"}},
	{"conclude", kRated, "L D N N D N A D D N", nil, nil},
	{"publish", kConcluded, "L D N N D N A D D N", nil, nil},
	{"unpublish", kPublished, "L D D D D D A D D N", nil, nil},
	{"archive", kConcluded, "L D N N D N A D D N", nil, nil},
}

// Task actions: the API names and the page names differ (accept vs accept_task).
var taskActions = []struct {
	api, page, kind, expect string
	body                    map[string]any
}{
	{"accept", "accept_task", kTaskPending, "L D N N A N D D D N", nil},
	{"return", "return_task", kTaskPending, "L D N N A N D D D N", map[string]any{"reason": "不属于本单位职责"}},
	{"contact", "contact", kTaskAccepted, "L D N N A N D D D N", map[string]any{"method": "电话沟通", "date": "{today}", "note": "已电话沟通"}},
	{"reply", "reply", kTaskAccepted, "L D N N A N D D D N", map[string]any{"result_class": "B", "text": "正在解决，已列入明年计划"}},
	{"feedback", "feedback", kReplied, "L A N N D N D D D N", map[string]any{"feedback": "basically", "note": "基本满意"}},
	{"release_lead", "release_lead", kTaskPending, "L D N N D N A D D N", map[string]any{"reason": "会办单位已书面同意"}},
}

// Who sees a proposal of each kind: the detail, the internal lists.
var visibility = []struct{ kind, expect string }{
	{kDraft, "L A N N N N N N N N"},
	{kCosign, "L A A N N N A A A N"},
	{kReview, "L A N N N N A A A N"},
	{kTaskPending, "L A N N A N A A A N"},
	{kConcluded, "L A N N A N A A A N"},
	{kPublished, "L A A A A A A A A N"},
}

func policies() []policy {
	all := "A A A A A A A A A A"
	users := "L A A A A A A A A A"
	var ps []policy
	add := func(p policy) {
		if p.body == nil {
			p.body = noBody
		}
		ps = append(ps, p)
	}
	// API: sessions and accounts.
	add(policy{name: "openapi", method: "GET", path: "/api/openapi.json", expect: all})
	add(policy{name: "api login", method: "POST", path: "/api/v1/login", expect: users, body: loginJSON, login: true})
	add(policy{name: "api logout", method: "POST", path: "/api/v1/logout", expect: all, fresh: true})
	add(policy{name: "api me", method: "GET", path: "/api/v1/me", expect: users})
	add(policy{name: "api tokens", method: "POST", path: "/api/v1/tokens", expect: users, body: jsonBody(map[string]any{"name": "矩阵测试"})})
	add(policy{name: "api my tokens", method: "GET", path: "/api/v1/tokens", expect: users})
	add(policy{name: "api a user's tokens", method: "GET", path: "/api/v1/tokens?user_id={user}", kind: kUser, expect: "L D D D D D D D A D"})
	add(policy{name: "api the committee's tokens", method: "GET", path: "/api/v1/tokens?all=true", expect: "L D D D D D D D A D"})
	add(policy{name: "api revoke my tokens", method: "DELETE", path: "/api/v1/tokens", expect: users})
	add(policy{name: "api revoke a user's tokens", method: "DELETE", path: "/api/v1/tokens?user_id={user}", kind: kUser, expect: "L D D D D D D D A D"})
	add(policy{name: "api revoke another's token", method: "DELETE", path: "/api/v1/tokens/{p}", kind: kUserToken, expect: "L N N N N N N N A N"})
	add(policy{name: "api units", method: "GET", path: "/api/v1/units", expect: users})
	// API: proposals.
	for _, v := range visibility {
		add(policy{name: "api detail " + v.kind, method: "GET", path: "/api/v1/proposals/{p}", kind: v.kind, expect: v.expect})
		add(policy{name: "api list " + v.kind, method: "GET", path: "/api/v1/proposals?q={title}", kind: v.kind, expect: v.expect, list: true, mark: `"id":{p},`})
		add(policy{name: "page detail " + v.kind, method: "GET", path: "/proposals/{p}", kind: v.kind, expect: "R" + v.expect[1:]})
		add(policy{name: "page list " + v.kind, method: "GET", path: "/proposals?q={title}", kind: v.kind, expect: v.expect, list: true, mark: `href="/proposals/{p}"`})
	}
	// Search: a visitor searches what is published; the others what they may see.
	for _, v := range visibility {
		searchExpect := "N" + v.expect[1:]
		if v.kind == kPublished {
			searchExpect = "A" + v.expect[1:]
		}
		add(policy{name: "api search " + v.kind, method: "GET", path: "/api/v1/search?q={title}", kind: v.kind, expect: searchExpect, list: true, mark: `"id":{p},`})
		add(policy{name: "search page " + v.kind, method: "GET", path: "/search?q={title}", kind: v.kind, expect: searchExpect, list: true, mark: `/proposals/{p}"`})
		// Drafts are nobody's "similar proposal", not even their author's.
		similar := v.expect
		if v.kind == kDraft {
			similar = "L N N N N N N N N N"
		}
		add(policy{name: "similar " + v.kind, method: "GET", path: "/api/v1/proposals/similar?title={title}", kind: v.kind, expect: similar, list: true, mark: `"id":{p},`})
	}
	add(policy{name: "set category", method: "POST", path: "/proposals/{p}/category", kind: kReview, expect: "L D N N N N A D D N", body: formBody("category", "教育事业")})
	add(policy{name: "api create", method: "POST", path: "/api/v1/proposals", expect: "L A A A D D A D D A", creates: true,
		body: jsonBody(map[string]any{"title": "关于社区安全治理的建议"})})
	add(policy{name: "api save draft", method: "PUT", path: "/api/v1/proposals/{p}", kind: kDraft, expect: "L A N N N N N N N N",
		body: jsonBody(map[string]any{"title": "修改后的案由", "body": "修改后的正文"})})
	add(policy{name: "api fileUpload", method: "POST", path: "/api/v1/proposals/{p}/attachments", kind: kDraft, expect: "L A N N N N N N N N", body: fileBody})
	for _, a := range proposalActions {
		add(policy{name: "api " + a.action, method: "POST", path: "/api/v1/proposals/{p}/" + a.action, kind: a.kind, expect: a.expect, body: jsonBody(a.api)})
	}
	add(policy{name: "api unknown action", method: "POST", path: "/api/v1/proposals/{p}/approve", kind: kReview, expect: "L N N N N N N N N N"})
	// No bypass of the chairs' approval: marking key directly is no action.
	add(policy{name: "api mark_key is gone", method: "POST", path: "/api/v1/proposals/{p}/mark_key", kind: kTaskPending, expect: "L N N N N N N N N N"})
	add(policy{name: "api tasks", method: "GET", path: "/api/v1/tasks", expect: "L D D D A A A A A A"})
	add(policy{name: "api tasks list", method: "GET", path: "/api/v1/tasks", kind: kTaskPending, expect: "L D D D A N A A A N", list: true, mark: `"proposal_id":{p},`})
	for _, a := range taskActions {
		add(policy{name: "api task " + a.api, method: "POST", path: "/api/v1/tasks/{task}/" + a.api, kind: a.kind, expect: a.expect, body: jsonBody(a.body)})
	}
	add(policy{name: "api public list", method: "GET", path: "/api/v1/public/proposals?q={title}", kind: kPublished, expect: "A A A A A A A A A N", list: true, mark: `"id":{p},`})
	add(policy{name: "api public list unpublished", method: "GET", path: "/api/v1/public/proposals?q={title}", kind: kConcluded, expect: "N N N N N N N N N N", list: true, mark: `"id":{p},`})
	add(policy{name: "api public detail", method: "GET", path: "/api/v1/public/proposals/{p}", kind: kPublished, expect: all})
	add(policy{name: "api public detail unpublished", method: "GET", path: "/api/v1/public/proposals/{p}", kind: kConcluded, expect: "N N N N N N N N N N"})
	add(policy{name: "api unknown", method: "GET", path: "/api/v1/secrets", expect: "N N N N N N N N N N"})

	// Pages.
	add(policy{name: "home", method: "GET", path: "/", expect: "R A A A A A A A A A"})
	add(policy{name: "login page", method: "GET", path: "/login", expect: all})
	add(policy{name: "login form", method: "POST", path: "/login", expect: users, body: loginForm, login: true})
	add(policy{name: "logout", method: "POST", path: "/logout", expect: all, fresh: true})
	add(policy{name: "proposals", method: "GET", path: "/proposals", expect: users})
	add(policy{name: "new proposal form", method: "GET", path: "/proposals/new", expect: "L A A A D D A D D A"})
	add(policy{name: "create proposal", method: "POST", path: "/proposals", expect: "L A A A D D A D D A", creates: true,
		body: formBody("title", "关于第三方医学检验检测的建议", "body", "正文")})
	add(policy{name: "edit form", method: "GET", path: "/proposals/{p}/edit", kind: kDraft, expect: "N A N N N N N N N N"})
	add(policy{name: "edit submit", method: "POST", path: "/proposals/{p}/edit", kind: kDraft, expect: "N A N N N N N N N N",
		body: formBody("title", "修改后的案由", "body", "修改后的正文")})
	add(policy{name: "fileUpload", method: "POST", path: "/proposals/{p}/attachments", kind: kDraft, expect: "L A N N N N N N N N", body: fileBody})
	for _, a := range proposalActions {
		add(policy{name: "page " + a.action, method: "POST", path: "/proposals/{p}/" + a.action, kind: a.kind, expect: a.expect, body: formBody(a.form...)})
	}
	add(policy{name: "page unknown action", method: "POST", path: "/proposals/{p}/approve", kind: kReview, expect: "L N N N N N N N N N"})
	add(policy{name: "page mark_key is gone", method: "POST", path: "/proposals/{p}/mark_key", kind: kTaskPending, expect: "L N N N N N N N N N", body: formBody("key", "1")})
	for _, a := range taskActions {
		var kv []string
		for k, v := range a.body {
			kv = append(kv, k, fmt.Sprint(v))
		}
		add(policy{name: "page task " + a.page, method: "POST", path: "/tasks/{task}/" + a.page, kind: a.kind, expect: a.expect, body: formBody(kv...)})
	}
	add(policy{name: "tasks", method: "GET", path: "/tasks", expect: "L D D D A A A A A A"})
	add(policy{name: "tasks list", method: "GET", path: "/tasks", kind: kTaskPending, expect: "L D D D A N A A A N", list: true, mark: `href="/proposals/{p}#task-`})
	add(policy{name: "review queue", method: "GET", path: "/review", expect: "L D D D D D A A D A"})
	add(policy{name: "review queue list", method: "GET", path: "/review", kind: kReview, expect: "L D D D D D A A D N", list: true, mark: `href="/proposals/{p}"`})
	add(policy{name: "notifications", method: "GET", path: "/notifications", expect: users})
	add(policy{name: "draft attachment", method: "GET", path: "/attachments/{att}", kind: kDraft, expect: "N A N N N N N N N N"})
	add(policy{name: "reply letter before publication", method: "GET", path: "/attachments/{att}", kind: kConcluded, expect: "N A N N A N A A A N"})
	add(policy{name: "published reply letter", method: "GET", path: "/attachments/{att}", kind: kPublished, expect: "A A A A A A A A A A"})
	add(policy{name: "public", method: "GET", path: "/public", expect: all})
	add(policy{name: "public list", method: "GET", path: "/public?q={title}", kind: kPublished, expect: "A A A A A A A A A N", list: true, mark: `href="/public/proposals/{p}"`})
	add(policy{name: "public page", method: "GET", path: "/public/proposals/{p}", kind: kPublished, expect: all})
	add(policy{name: "public page unpublished", method: "GET", path: "/public/proposals/{p}", kind: kConcluded, expect: "N N N N N N N N N N"})
	// Accounts: the admin's user management and everyone's own settings.
	adminOnly := "L D D D D D D D A D"
	add(policy{name: "admin users", method: "GET", path: "/admin/users", expect: adminOnly})
	add(policy{name: "admin create user", method: "POST", path: "/admin/users", expect: adminOnly,
		body: func(ts *testServer, _ obj, _ string) any {
			return url.Values{"username": {fmt.Sprintf("new%d", ts.seq.Add(1))}, "name": {"新委员"}, "role": {"member"}}
		}})
	for _, a := range []struct{ action, form string }{{"reset", ""}, {"logout", ""}, {"disable", ""}, {"enable", ""}, {"role", "leader"}, {"totp_off", ""}, {"revoke_tokens", ""}} {
		add(policy{name: "admin " + a.action, method: "POST", path: "/admin/users/{p}/" + a.action, kind: kUser, expect: adminOnly, body: formBody("role", a.form)})
	}
	add(policy{name: "admin reset another committee's user", method: "POST", path: "/admin/users/{p}/reset", kind: kOtherUser, expect: "L D D D D D D D N D"})
	add(policy{name: "admin unknown action", method: "POST", path: "/admin/users/{p}/delete", kind: kUser, expect: "L D D D D D D D N D"})
	add(policy{name: "my account", method: "GET", path: "/me", expect: users})
	add(policy{name: "my data", method: "GET", path: "/me/export", expect: users})
	add(policy{name: "create my token", method: "POST", path: "/me/tokens", expect: users, body: formBody("name", "矩阵测试", "scopes", "read_committee")})
	add(policy{name: "revoke all my tokens", method: "POST", path: "/me/tokens/revoke_all", expect: users, body: formBody()})
	add(policy{name: "revoke another's token (page)", method: "POST", path: "/me/tokens/{p}/revoke", kind: kUserToken, expect: "L N N N N N N N A N", body: formBody()})
	add(policy{name: "change my password", method: "POST", path: "/me/password", expect: users,
		body: formBody("old", testenv.Password, "password", "Zhengxie2027b", "password2", "Zhengxie2027b"),
		after: func(ts *testServer, role string) {
			if u := ts.users[role]; u != nil {
				ts.F.Svc.Store.InTx(context.Background(), func(tx *store.Tx) error { return tx.SetPassword(u.ID, app.HashPassword(testenv.Password)) })
			}
		}})
	add(policy{name: "second factor setup", method: "POST", path: "/me/totp", expect: "L D D D D D A A A A", body: formBody("step", "begin")})
	// Supervision, key proposals, evaluation and settings. Ids of objects
	// these rows do not build (extensions, steps, webhooks, jobs,
	// deliveries) are guesses (999999): V means the caller got past the
	// permission check to the input checks (409 or 422).
	office := "L D D D D D A A A A"
	add(policy{name: "supervision", method: "GET", path: "/supervision", expect: office})
	add(policy{name: "supervision tasks", method: "GET", path: "/supervision/tasks", expect: "L D D D A A A A A A"})
	add(policy{name: "supervision overdue", method: "GET", path: "/supervision/overdue", expect: "L D D D A A A A A A"})
	add(policy{name: "supervision deadlines", method: "GET", path: "/supervision/deadlines", expect: users})
	add(policy{name: "supervision task", method: "GET", path: "/supervision/tasks/{task}", kind: kTaskPending, expect: "L N N N A N A A A N"})
	add(policy{name: "request extension", method: "POST", path: "/supervision/tasks/{task}/extension", kind: kTaskPending, expect: "L D D D V N D D D D",
		body: formBody("due", "2099-01-01", "reason", "需要更多时间")})
	add(policy{name: "extensions", method: "GET", path: "/supervision/extensions", expect: office})
	add(policy{name: "decide a guessed extension", method: "POST", path: "/supervision/extensions/999999/approve", expect: "L D D D D D N D D N", body: formBody()})
	add(policy{name: "key proposals", method: "GET", path: "/key-proposals", expect: office})
	add(policy{name: "propose key proposals", method: "POST", path: "/key-proposals", expect: "L D D D D D V V V V", body: formBody()})
	add(policy{name: "decide key proposals", method: "POST", path: "/key-proposals/decide", expect: "L D D D D D D V D D", body: formBody()})
	add(policy{name: "key proposal page (not key)", method: "GET", path: "/key-proposals/{p}", kind: kTaskPending, expect: "L N N N N N N N N N"})
	add(policy{name: "key proposal leader", method: "POST", path: "/key-proposals/{p}/leader", kind: kTaskPending, expect: "L D D D D D N N D N", body: formBody()})
	add(policy{name: "key proposal steps", method: "POST", path: "/key-proposals/{p}/steps", kind: kTaskPending, expect: "L D D D D D N N D N", body: formBody()})
	add(policy{name: "key proposal step done", method: "POST", path: "/key-proposals/{p}/steps/999999/done", kind: kTaskPending, expect: "L D D D D D N N D N", body: formBody()})
	add(policy{name: "key proposal notes", method: "POST", path: "/key-proposals/{p}/notes", kind: kTaskPending, expect: "L D D D N N N N D N", body: formBody()})
	add(policy{name: "evaluation", method: "GET", path: "/evaluation", expect: office})
	add(policy{name: "evaluation export", method: "GET", path: "/evaluation/export.xlsx", expect: office})
	add(policy{name: "evaluation of unit 1", method: "GET", path: "/evaluation/units/{unit1}", expect: "L D D D A D A A A N"})
	add(policy{name: "evaluation criteria", method: "POST", path: "/evaluation/criteria", expect: "L D D D D D V D V V", body: formBody()})
	add(policy{name: "notification settings", method: "GET", path: "/settings/notifications", expect: users})
	add(policy{name: "save notification settings", method: "POST", path: "/settings/notifications", expect: users, body: formBody()})
	add(policy{name: "jobs", method: "GET", path: "/admin/jobs", expect: adminOnly})
	add(policy{name: "retry a guessed job", method: "POST", path: "/admin/jobs/999999/retry", expect: "L D D D D D D D V D", body: formBody()})
	add(policy{name: "webhooks", method: "GET", path: "/admin/webhooks", expect: adminOnly})
	add(policy{name: "add a webhook", method: "POST", path: "/admin/webhooks", expect: "L D D D D D D D V D", body: formBody()})
	for _, w := range []struct{ method, path string }{{"GET", "/admin/webhooks/999999"}, {"POST", "/admin/webhooks/999999"}, {"POST", "/admin/webhooks/999999/delete"},
		{"POST", "/admin/webhooks/999999/ping"}, {"POST", "/admin/deliveries/999999/redeliver"}} {
		add(policy{name: w.method + " " + w.path, method: w.method, path: w.path, expect: "L D D D D D D D N D", body: formBody()})
	}
	add(policy{name: "holidays", method: "GET", path: "/admin/holidays", expect: "L D D D D D A D A A"})
	add(policy{name: "save holidays", method: "POST", path: "/admin/holidays", expect: "L D D D D D D D V D", body: formBody()})
	add(policy{name: "unit leader", method: "POST", path: "/admin/units/{unit1}/leader", expect: "L D D D D D A D A N", body: formBody()})
	// The API of supervision, notifications, admin and the office's helpers
	// (supapi_test.go).
	for _, p := range moduleAPIPolicies() {
		add(p)
	}
	add(policy{name: "dictionary", method: "GET", path: "/admin/dictionary", expect: adminOnly})
	add(policy{name: "add no dictionary words", method: "POST", path: "/admin/dictionary", expect: "L D D D D D D D V D", body: formBody()})
	add(policy{name: "rebuild the index", method: "POST", path: "/admin/dictionary/rebuild", expect: adminOnly, body: formBody()})
	add(policy{name: "api dictionary", method: "GET", path: "/api/v1/dictionary", expect: adminOnly})
	add(policy{name: "api add no dictionary words", method: "POST", path: "/api/v1/dictionary/words", expect: "L D D D D D D D V D", body: jsonBody(map[string]any{"words": []string{}})})
	add(policy{name: "api rebuild status", method: "GET", path: "/api/v1/dictionary/rebuild", expect: adminOnly})
	add(policy{name: "api rebuild the index", method: "POST", path: "/api/v1/dictionary/rebuild", expect: adminOnly, body: jsonBody(map[string]any{})})
	add(policy{name: "healthz", method: "GET", path: "/healthz", expect: all})
	add(policy{name: "metrics", method: "GET", path: "/metrics", expect: all})
	add(policy{name: "static", method: "GET", path: "/static/app.css", expect: all})
	add(policy{name: "unknown page", method: "GET", path: "/admin", expect: "N N N N N N N N N N"})
	for _, p := range statsPolicies() {
		add(p)
	}
	ps = append(ps, dutyPolicies()...)
	ps = append(ps, contactPolicies()...)
	ps = append(ps, topicPolicies()...)
	return ps
}

// outcome classifies an answer.
func outcome(r *resp, list bool, mark string) byte {
	switch {
	case r.Status >= 200 && r.Status < 300:
		if list && !strings.Contains(r.Body, mark) {
			return 'N'
		}
		return 'A'
	case r.Status >= 300 && r.Status < 400:
		loc := r.Location()
		switch {
		case strings.HasPrefix(loc, "/login?next="):
			return 'L'
		case strings.HasPrefix(loc, "/public"):
			return 'R'
		}
		return 'A'
	case r.Status == http.StatusUnauthorized:
		return 'L'
	case r.Status == http.StatusForbidden:
		return 'D'
	case r.Status == http.StatusNotFound:
		return 'N'
	case r.Status == http.StatusConflict || r.Status == http.StatusUnprocessableEntity:
		return 'V'
	}
	return '?'
}

func TestPermissionMatrix(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		start := time.Now()
		ts := newTestServer(t, dsn)
		callers := map[string]*caller{}
		for _, role := range matrixRoles {
			callers[role] = ts.session(role)
		}
		var table strings.Builder
		fmt.Fprintf(&table, "%-40s %s\n", "", strings.Join(matrixRoles, " "))
		cells, failed := 0, 0
		// Rows that only read share one object per kind.
		readOnly := map[string]*obj{}
		for _, p := range policies() {
			want := strings.Fields(p.expect)
			if len(want) != len(matrixRoles) {
				t.Fatalf("policy %q has %d outcomes, want %d", p.name, len(want), len(matrixRoles))
			}
			mutates := p.method != "GET" && !p.fresh && !p.login && (p.kind == "" || isProposal(p.kind) || p.kind == kUserToken)
			var shared *obj
			if !mutates && p.kind != "" {
				if readOnly[p.kind] == nil {
					o := ts.build(p.kind)
					readOnly[p.kind] = &o
				}
				shared = readOnly[p.kind]
			}
			got := make([]string, len(matrixRoles))
			for i, role := range matrixRoles {
				w := want[i][0]
				var o obj
				if p.kind != "" {
					// Each allowed change gets an object of its own; refused
					// calls share one, which must stay as it was.
					if mutates && w == 'A' {
						o = ts.build(p.kind)
					} else {
						if shared == nil {
							s := ts.build(p.kind)
							shared = &s
						}
						o = *shared
					}
				}
				c := callers[role]
				if p.fresh {
					c = ts.session(role)
				}
				if p.login {
					ts.S.limiter = newLimiter(20, time.Minute)
				}
				path := strings.NewReplacer("{p}", sid(o.P), "{user}", sid(o.P), "{task}", sid(o.Task), "{att}", sid(o.Att), "{title}", url.QueryEscape(o.Title),
					"{unit1}", sid(ts.F.Units[0].ID)).Replace(p.path)
				q := req{Method: p.method, Path: path, As: c}
				switch b := p.body(ts, o, role).(type) {
				case nil:
				case url.Values:
					q.Form = b
				case *fileUpload:
					q.File = b
				default:
					q.JSON = b
				}
				var before objSnap
				if mutates && isProposal(p.kind) {
					before = ts.snap(o)
				}
				count := 0
				if p.creates {
					count = ts.proposalCount()
				}
				r := ts.do(q)
				mark := strings.ReplaceAll(p.mark, "{p}", sid(o.P))
				g := outcome(r, p.list, mark)
				got[i] = string(g)
				cells++
				if g != w {
					failed++
					t.Errorf("%s as %s: got %c, policy says %c: %s", p.name, role, g, w, r)
					got[i] = string(g) + "!"
				}
				// Not found means nothing of the object is in the answer.
				if g == 'N' && !p.list && o.Title != "" && strings.Contains(r.Body, o.Title) {
					t.Errorf("%s as %s: the 404 answer shows the proposal's title", p.name, role)
				}
				// Another committee never sees this committee's internal data.
				leak := o.Title
				if p.list {
					leak = mark // a list page repeats the query, title included
				}
				if role == roleOther && g == 'A' && p.kind != kPublished && (strings.Contains(r.Body, "区交通运输局") || (leak != "" && strings.Contains(r.Body, leak))) {
					t.Errorf("%s as %s: another committee's data in the answer: %s", p.name, role, r)
				}
				if p.after != nil {
					p.after(ts, role)
				}
				if mutates && isProposal(p.kind) {
					after := ts.snap(o)
					changed := after != before
					if w == 'A' && !changed {
						t.Errorf("%s as %s: allowed, but nothing changed (%+v)", p.name, role, after)
					}
					if w != 'A' && changed {
						t.Errorf("%s as %s: refused with %d, but the proposal changed: %+v → %+v", p.name, role, r.Status, before, after)
					}
				}
				if p.creates {
					n := ts.proposalCount()
					if w == 'A' && n != count+1 || w != 'A' && n != count {
						t.Errorf("%s as %s: %d proposals created", p.name, role, n-count)
					}
				}
			}
			fmt.Fprintf(&table, "%-40s %s\n", p.name, strings.Join(got, " "))
		}
		if t.Failed() {
			t.Logf("matrix (got; ! marks a departure from the policy):\n%s", table.String())
		}
		t.Logf("%d cells, %d departures, %v", cells, failed, time.Since(start).Round(time.Millisecond))
	})
}

// TestPermissionMatrixCoversEveryRoute: the policy has a row for every route
// the server registers (pages and API, every action), read from the source.
func TestPermissionMatrixCoversEveryRoute(t *testing.T) {
	routes := parseRoutes(t, "routes")
	if len(routes) < 40 {
		t.Fatalf("only %d routes found", len(routes))
	}
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		path = strings.TrimSuffix(path, "{$}")
		ok := false
		for _, p := range policies() {
			row, _, _ := strings.Cut(p.path, "?")
			ok = ok || (p.method == method && routeMatches(path, row))
		}
		if !ok {
			t.Errorf("route %s has no row in the permission policy", r)
		}
	}
	t.Logf("%d routes checked against the policy", len(routes))
}

// routeMatches reports whether a mux pattern's path covers a row's path: a
// {param} segment matches whatever the row puts there, and a pattern
// ending in / covers its subtree.
func routeMatches(route, row string) bool {
	rs, ps := strings.Split(route, "/"), strings.Split(row, "/")
	if strings.HasSuffix(route, "/") && route != "/" {
		return strings.HasPrefix(row, route)
	}
	if len(rs) != len(ps) {
		return false
	}
	for i := range rs {
		if rs[i] != ps[i] && !strings.HasPrefix(rs[i], "{") {
			return false
		}
	}
	return true
}

// policyFor returns the policy row of a route ("METHOD /path") and a role
// that gets past the permission check, for tests that need one.
func policyFor(route string) (*policy, string) {
	method, path, _ := strings.Cut(route, " ")
	for _, p := range policies() {
		row, _, _ := strings.Cut(p.path, "?")
		if p.method != method || !routeMatches(path, row) {
			continue
		}
		// Someone the policy lets through; failing that, someone who gets
		// as far as "not found" (a guessed id), which a forged request
		// without its token must not reach either.
		for _, want := range []string{"A", "V", "N"} {
			for i, o := range strings.Fields(p.expect) {
				if o == want && matrixRoles[i] != roleAnon {
					return &p, matrixRoles[i]
				}
			}
		}
	}
	return nil, ""
}
