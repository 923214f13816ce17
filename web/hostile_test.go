package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// Hostile input: markup, SQL, broken encodings, oversized and mistyped
// bodies, malformed ids and forged requests. Every answer also goes through
// testServer.do, which fails on any 5xx.

const (
	xssScript = `<script>alert("xss")</script>`
	xssImg    = `<img src=x onerror=alert(1)>`
	xssAttr   = `"><svg onload=alert(2)>`
)

// rawMarkup reports the first payload that appears unescaped in a page.
func rawMarkup(body string) string {
	for _, p := range []string{"<script>alert", "<img src=x", "<svg onload", "onerror=alert(1)>"} {
		if strings.Contains(body, p) {
			return p
		}
	}
	return ""
}

// TestHostileMarkupRendersAsText puts HTML/JS payloads in every text a user
// can write (title, body, reasons, comments, contact notes, replies,
// ratings) and looks at every page and JSON answer that shows them.
func TestHostileMarkupRendersAsText(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	member := ts.login(roleProposer)
	office := ts.session(roleOffice)
	unit := ts.session(roleUnit1)
	anon := ts.visitor()
	title := "<script>alert(\"xss\")</script>关于社区安全"
	body := "调研情况：" + xssImg + "社区安全隐患较多。\n问题分析：" + xssAttr + "管理分散。\n具体建议：" + xssScript + "加强巡查。"

	create := func() int64 {
		r := ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: member, JSON: map[string]any{"title": title, "body": body, "category": "社会事业", "submit": true}})
		ts.expect(r, http.StatusCreated)
		var p apiProposal
		r.decode(t, &p)
		if p.Title != title {
			t.Fatalf("title stored as %q", p.Title)
		}
		return p.ID
	}
	// One proposal rejected with a hostile reason…
	rejected := create()
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/proposals/" + sid(rejected) + "/reject", As: office, JSON: map[string]any{"reason": "理由" + xssScript}}), http.StatusOK)
	// …one taken through the lifecycle with hostile text at every step.
	p := create()
	pp := "/api/v1/proposals/" + sid(p)
	ts.expect(ts.do(req{Method: "POST", Path: pp + "/accept", As: office, JSON: map[string]any{"comment": "立案" + xssImg}}), http.StatusOK)
	ts.expect(ts.do(req{Method: "POST", Path: pp + "/assign", As: office, JSON: map[string]any{"comment": "交办" + xssAttr,
		"assignments": []map[string]any{{"unit_id": ts.F.Units[0].ID, "kind": "lead"}}}}), http.StatusOK)
	tasks, err := ts.F.Svc.Store.Tasks(context.Background(), p)
	if err != nil || len(tasks) != 1 {
		t.Fatal(err)
	}
	tp := "/api/v1/tasks/" + sid(tasks[0].ID)
	ts.expect(ts.do(req{Method: "POST", Path: tp + "/accept", As: unit}), http.StatusOK)
	ts.expect(ts.do(req{Method: "POST", Path: tp + "/contact", As: unit, JSON: map[string]any{"method": "面商", "date": testToday(), "note": "沟通" + xssScript}}), http.StatusOK)
	ts.expect(ts.do(req{Method: "POST", Path: tp + "/reply", As: unit, JSON: map[string]any{"result_class": "A", "text": "答复" + xssImg + xssScript}}), http.StatusOK)
	ts.expect(ts.do(req{Method: "POST", Path: tp + "/feedback", As: member, JSON: map[string]any{"feedback": "basically", "note": "测评" + xssAttr}}), http.StatusOK)
	ts.expect(ts.do(req{Method: "POST", Path: pp + "/conclude", As: office, JSON: map[string]any{"comment": "办结" + xssScript}}), http.StatusOK)
	ts.expect(ts.do(req{Method: "POST", Path: pp + "/publish", As: office}), http.StatusOK)

	// Enough proposals for the office's list to have a second page, whose
	// links repeat the query string.
	for i := 0; i < 11; i++ {
		ts.build(kReview)
	}
	pages := []struct {
		path string
		as   *caller
	}{
		{"/proposals/" + sid(rejected), member},
		{"/proposals/" + sid(p), member},
		{"/proposals/" + sid(p), office},
		{"/proposals/" + sid(p), unit},
		{"/public/proposals/" + sid(p), anon},
		{"/public", anon},
		{"/public?q=" + url.QueryEscape(title), anon},
		{"/proposals", office},
		{"/proposals?mine=1", member},
		{"/review", office},
		{"/tasks", unit},
		{"/tasks", office},
		{"/", member},
		{"/", office},
		{"/", unit},
		{"/notifications", member},
		// Reflected input: query strings shown back in forms and page links.
		{"/proposals?q=" + url.QueryEscape(xssScript) + "&category=" + url.QueryEscape(xssAttr) + "&state=" + url.QueryEscape(xssImg), office},
		{"/proposals?x=" + url.QueryEscape(xssAttr+xssScript), office},
		{"/public?q=" + url.QueryEscape(xssAttr+xssScript) + "&category=" + url.QueryEscape(xssImg), anon},
		{"/tasks?state=" + url.QueryEscape(xssScript), office},
		{"/login?next=" + url.QueryEscape("/\"><script>alert(1)</script>"), anon},
		{"/login?next=" + url.QueryEscape("javascript:alert(1)"), anon},
		{"/proposals/" + url.PathEscape(xssScript), office},
	}
	shown := map[string]bool{}
	for _, pg := range pages {
		r := ts.do(req{Method: "GET", Path: pg.path, As: pg.as})
		if r.Status != http.StatusOK && r.Status != http.StatusNotFound {
			t.Errorf("%s: unexpected status", r)
			continue
		}
		if m := rawMarkup(r.Body); m != "" {
			i := strings.Index(r.Body, m)
			t.Errorf("GET %s as %s: raw markup %q in the page: …%s…", pg.path, pg.as.Role, m, r.Body[max(0, i-80):min(len(r.Body), i+80)])
		}
		if strings.Contains(r.Body, "javascript:alert") {
			t.Errorf("GET %s: a javascript: URL made it into the page", pg.path)
		}
		if strings.Contains(r.Body, "&lt;script&gt;alert") {
			shown[pg.path+" "+pg.as.Role] = true
		}
	}
	// The payloads are shown as text, not dropped: each page that carries
	// the title or a comment shows the escaped form.
	for _, want := range []string{"/proposals/" + sid(p) + " office", "/proposals/" + sid(rejected) + " proposer", "/public/proposals/" + sid(p) + " anon",
		"/review office", "/notifications proposer", "/tasks unit1"} {
		if !shown[want] {
			t.Errorf("GET %s: the escaped payload is not shown", want)
		}
	}
	// JSON answers escape markup too (<, > and & as \u003c…), so that a
	// careless client inserting them into a page is not exploited.
	for _, path := range []string{pp, "/api/v1/proposals?q=" + url.QueryEscape("关于社区安全"), "/api/v1/public/proposals/" + sid(p), "/api/v1/tasks"} {
		as := office
		if strings.Contains(path, "/public/") {
			as = anon
		}
		r := ts.do(req{Method: "GET", Path: path, As: as})
		ts.expect(r, http.StatusOK, `\u003cscript\u003e`)
		if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, "<img") {
			t.Errorf("GET %s: raw markup in JSON", path)
		}
	}
	// Search highlights matches in HTML of its own making: the markup of
	// the text must come out escaped around the <mark> tags.
	for _, as := range []*caller{office, anon} {
		r := ts.do(req{Method: "GET", Path: "/api/v1/search?q=" + url.QueryEscape("社区安全"), As: as})
		if r.Status != http.StatusOK {
			t.Errorf("%s", r)
			continue
		}
		var res apiSearchResult
		r.decode(t, &res)
		if len(res.Items) == 0 {
			t.Errorf("search as %s found nothing", as.Role)
		}
		for _, h := range res.Items {
			for _, html := range []string{h.TitleHTML, h.SnippetHTML} {
				if m := rawMarkup(html); m != "" || strings.Contains(html, "<script") {
					t.Errorf("search as %s: highlighted HTML carries raw markup: %s", as.Role, html)
				}
			}
		}
		r = ts.do(req{Method: "GET", Path: "/search?q=" + url.QueryEscape("社区安全 "+xssScript), As: as})
		if m := rawMarkup(r.Body); m != "" {
			t.Errorf("search page as %s: raw %q", as.Role, m)
		}
	}
	// A form that fails keeps what was typed, escaped.
	r := ts.do(req{Method: "POST", Path: "/proposals", As: member, Form: url.Values{"title": {title + strings.Repeat("长", 50)}, "body": {body}}})
	ts.expect(r, http.StatusUnprocessableEntity, "&lt;script&gt;alert", "案由不能超过")
	if m := rawMarkup(r.Body); m != "" {
		t.Errorf("re-rendered form has raw %q", m)
	}
	r = ts.do(req{Method: "POST", Path: "/login", As: anon, Form: url.Values{"username": {xssAttr + xssScript}, "password": {"wrong-pass-1"}}})
	ts.expect(r, http.StatusUnauthorized, "用户名或密码错误")
	if m := rawMarkup(r.Body); m != "" {
		t.Errorf("re-rendered login form has raw %q", m)
	}
}

// sqlPayloads are classic injection strings plus what breaks naive SQL:
// quotes, LIKE wildcards, a backslash, NUL, invalid UTF-8, out-of-range
// numbers and a very long value.
var sqlPayloads = []string{
	`' OR 1=1 --`, `x'`, `1 OR 1=1`, `%' OR '1'='1`, `') OR ('1'='1`, `1; DROP TABLE proposals; --`,
	`' UNION SELECT password_hash FROM users --`, `\`, `\'`, `%`, `_`, `%%`, `*`, "a\x00b", "\xff\xfe",
	`9223372036854775808`, `-1`, `1e9`, `draft`, strings.Repeat("政", 5000),
}

// TestHostileSQLInjection sends the payloads in every filter and search
// parameter of every list, as callers who may see little, and checks that
// the answers are 200 or 4xx, that nothing private leaks, and that the
// store is intact afterwards.
func TestHostileSQLInjection(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		secret := ts.build(kDraft)        // member1's private draft
		hidden := ts.build(kTaskAccepted) // unit1's task, not published
		public := ts.build(kPublished)    // what everyone may see
		before := ts.proposalCount()
		member2 := ts.session(roleMember2)
		unit2 := ts.session(roleUnit2)
		anon := ts.visitor()
		lists := []struct {
			path   string
			as     *caller
			params []string
		}{
			{"/api/v1/proposals", member2, []string{"state", "category", "session", "unit", "mine", "key", "q", "page"}},
			{"/proposals", member2, []string{"state", "category", "session", "unit", "mine", "key", "q", "page", "flash"}},
			{"/proposals", unit2, []string{"state", "unit", "q"}},
			{"/api/v1/public/proposals", anon, []string{"c", "category", "q", "page"}},
			{"/public", anon, []string{"c", "category", "q", "page"}},
			{"/api/v1/tasks", unit2, []string{"state", "unit"}},
			{"/tasks", unit2, []string{"state", "unit", "overdue"}},
		}
		n := 0
		for _, l := range lists {
			for _, param := range l.params {
				for _, payload := range sqlPayloads {
					path := l.path + "?" + param + "=" + url.QueryEscape(payload)
					r := ts.do(req{Method: "GET", Path: path, As: l.as})
					n++
					if r.Status >= 300 && r.Status != http.StatusNotFound && r.Status != http.StatusUnprocessableEntity {
						t.Errorf("%s: want 200, 404 or 422", r)
					}
					for _, s := range []string{secret.Title, hidden.Title, "argon2id", "password_hash\":", "$argon2"} {
						if strings.Contains(r.Body, s) && !strings.Contains(payload, s) {
							t.Errorf("GET %s as %s leaks %q", path, l.as.Role, s)
						}
					}
				}
			}
		}
		if got := ts.proposalCount(); got != before {
			t.Errorf("proposals: %d before, %d after", before, got)
		}
		// The store still answers normal queries, with the right rows.
		r := ts.do(req{Method: "GET", Path: "/api/v1/public/proposals?q=" + url.QueryEscape(public.Title), As: anon})
		ts.expect(r, http.StatusOK, `"total":1`, public.Title)
		// LIKE wildcards in q are literal text, not patterns.
		r = ts.do(req{Method: "GET", Path: "/api/v1/public/proposals?q=%25", As: anon})
		ts.expect(r, http.StatusOK)
		t.Logf("%d hostile list requests", n)
	})
}

// TestHostileEncoding: invalid UTF-8 and NUL characters in JSON bodies and
// in forms are a 4xx with the code invalid, and nothing is stored. On both
// engines: PostgreSQL refuses such text outright, SQLite would store it.
func TestHostileEncoding(t *testing.T) {
	testenv.Engines(t, testHostileEncoding)
}

func testHostileEncoding(t *testing.T, dsn string) {
	ts := newTestServer(t, dsn)
	member := ts.session(roleProposer)
	office := ts.session(roleOffice)
	unit := ts.session(roleUnit1)
	anon := ts.visitor()
	review := ts.build(kReview)
	task := ts.build(kTaskAccepted)
	draft := ts.build(kDraft)
	bad := "\xff\xfe\xfd"
	before := ts.proposalCount()
	for _, c := range []struct {
		method, path string
		as           *caller
		body         string
	}{
		{"POST", "/api/v1/proposals", member, `{"title":"` + bad + `"}`},
		{"POST", "/api/v1/proposals", member, "{\"title\":\"ok\",\"body\":\"\xc3\x28\"}"},
		{"PUT", "/api/v1/proposals/" + sid(draft.P), member, `{"title":"` + bad + `"}`},
		{"POST", "/api/v1/proposals/" + sid(review.P) + "/reject", office, `{"reason":"` + bad + `"}`},
		{"POST", "/api/v1/tasks/" + sid(task.Task) + "/reply", unit, `{"result_class":"A","text":"` + bad + `"}`},
		{"POST", "/api/v1/tokens", member, `{"name":"` + bad + `"}`},
		{"POST", "/api/v1/login", anon, `{"username":"member1","password":"` + bad + `"}`},
		{"POST", "/api/v1/proposals", member, "\xef\xbb\xbf{\"title\":\"BOM\"}"},
		{"POST", "/api/v1/proposals", member, `{"title":"案由\u0000尾巴"}`},
		{"PUT", "/api/v1/proposals/" + sid(draft.P), member, `{"title":"改","body":"正文\u0000"}`},
		{"POST", "/api/v1/proposals/" + sid(review.P) + "/reject", office, `{"reason":"理由\u0000"}`},
		{"POST", "/api/v1/tasks/" + sid(task.Task) + "/reply", unit, `{"result_class":"A","text":"答复\u0000"}`},
	} {
		snap := ts.snap(review)
		r := ts.do(req{Method: c.method, Path: c.path, As: c.as, Raw: []byte(c.body), ContentType: "application/json"})
		if r.Status < 400 || r.Status >= 500 {
			t.Errorf("%s: want a 4xx", r)
			continue
		}
		if code, _ := r.errCode(t); code != zhengxie.EInvalid {
			t.Errorf("%s: code %q, want invalid", r, code)
		}
		if ts.snap(review) != snap {
			t.Errorf("%s changed a proposal", r)
		}
	}
	if n := ts.proposalCount(); n != before {
		t.Errorf("%d proposals stored from mis-encoded bodies", n-before)
	}
	d, err := ts.F.Svc.Store.Proposal(context.Background(), ts.F.Committee.ID, draft.P)
	if err != nil || !utf8.ValidString(d.Title) || d.Title != draft.Title {
		t.Errorf("draft title now %q (%v)", d.Title, err)
	}
	// Forms: the field with the broken text is named, nothing is stored.
	r := ts.do(req{Method: "POST", Path: "/proposals", As: member, Form: url.Values{"title": {"案由" + bad}, "body": {"正文"}}})
	ts.expect(r, http.StatusUnprocessableEntity, "编码")
	r = ts.do(req{Method: "POST", Path: "/proposals/" + sid(draft.P) + "/edit", As: member, Form: url.Values{"title": {"改" + bad}}})
	ts.expect(r, http.StatusUnprocessableEntity, "编码")
	r = ts.do(req{Method: "POST", Path: "/proposals", As: member, Form: url.Values{"title": {"案由\x00尾巴"}, "body": {"正文"}}})
	ts.expect(r, http.StatusUnprocessableEntity)
	r = ts.do(req{Method: "POST", Path: "/tasks/" + sid(task.Task) + "/contact", As: unit, Form: url.Values{"method": {"面商"}, "date": {testToday()}, "note": {"沟通\x00"}}})
	if r.Status >= 500 {
		t.Errorf("%s", r)
	}
	r = ts.do(req{Method: "POST", Path: "/proposals/" + sid(review.P) + "/reject", As: office, Form: url.Values{"reason": {bad}}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("%s: a reason of broken bytes must be refused", r)
	}
	r = ts.do(req{Method: "POST", Path: "/login", As: anon, Form: url.Values{"username": {bad}, "password": {bad}}})
	ts.expect(r, http.StatusUnauthorized)
	// A file name of broken bytes is replaced, the file kept.
	r = ts.do(req{Method: "POST", Path: "/proposals/" + sid(draft.P) + "/attachments", As: member, File: &fileUpload{Field: "file", Name: "报告" + bad + ".txt", Data: []byte("调研报告")}})
	ts.expect(r, http.StatusSeeOther)
	as, _ := ts.F.Svc.Store.Attachments(context.Background(), ts.F.Committee.ID, draft.P)
	for _, a := range as {
		if !utf8.ValidString(a.Name) {
			t.Errorf("attachment name stored as %q", a.Name)
		}
	}
	if n := ts.proposalCount(); n != before {
		t.Errorf("%d proposals stored from mis-encoded forms", n-before)
	}
}

// TestHostileBodies: oversized, mistyped, unknown-field and malformed JSON.
func TestHostileBodies(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	member := ts.session(roleProposer)
	office := ts.session(roleOffice)
	unit := ts.session(roleUnit1)
	anon := ts.visitor()
	review := ts.build(kReview)
	task := ts.build(kTaskAccepted)
	draft := ts.build(kDraft)
	before := ts.proposalCount()
	pa := "/api/v1/proposals/" + sid(review.P)
	ta := "/api/v1/tasks/" + sid(task.Task)
	huge := `{"title":"大","body":"` + strings.Repeat("政协", 400000) + `"}` // 2.4 MB
	cases := []struct {
		name, method, path string
		as                 *caller
		body               string
		ct                 string
		field              string // the field the error names; "-" for none expected
		msg                string
	}{
		{"huge create", "POST", "/api/v1/proposals", member, huge, "", "-", "1MB"},
		{"huge action", "POST", pa + "/reject", office, `{"reason":"` + strings.Repeat("x", 1<<20) + `"}`, "", "-", "1MB"},
		{"huge login", "POST", "/api/v1/login", anon, `{"username":"` + strings.Repeat("a", 2<<20) + `"}`, "", "-", "1MB"},
		{"title a number", "POST", "/api/v1/proposals", member, `{"title":5}`, "", "title", "类型错误"},
		{"title an object", "POST", "/api/v1/proposals", member, `{"title":{"$ne":1}}`, "", "title", "类型错误"},
		{"cosigners a string", "POST", "/api/v1/proposals", member, `{"title":"x","cosigners":"a"}`, "", "cosigners", "类型错误"},
		{"cosigners of strings", "POST", "/api/v1/proposals", member, `{"title":"x","cosigners":["a"]}`, "", "cosigners", "类型错误"},
		{"submit a string", "POST", "/api/v1/proposals", member, `{"title":"x","submit":"yes"}`, "", "submit", "类型错误"},
		{"save body an array", "PUT", "/api/v1/proposals/" + sid(draft.P), member, `{"body":[]}`, "", "body", "类型错误"},
		{"into a string", "POST", pa + "/merge", office, `{"into":"x"}`, "", "into", "类型错误"},
		{"into too big", "POST", pa + "/merge", office, `{"into":1e30}`, "", "into", ""},
		{"into a fraction", "POST", pa + "/merge", office, `{"into":1.5}`, "", "into", ""},
		{"into_number a string", "POST", pa + "/merge", office, `{"into_number":"第12号"}`, "", "into_number", "类型错误"},
		{"key is no action field", "POST", pa + "/accept", office, `{"key":true}`, "", "-", "未知字段"},
		{"assignments an object", "POST", pa + "/assign", office, `{"assignments":{}}`, "", "assignments", "类型错误"},
		{"assignment unit a string", "POST", pa + "/assign", office, `{"assignments":[{"unit_id":"x","kind":"lead"}]}`, "", "assignments.unit_id", "类型错误"},
		{"task text a number", "POST", ta + "/reply", unit, `{"text":1}`, "", "text", "类型错误"},
		{"login username a number", "POST", "/api/v1/login", anon, `{"username":1,"password":"x"}`, "", "username", "类型错误"},
		{"token user a string", "POST", "/api/v1/tokens", member, `{"name":"x","user_id":"me"}`, "", "user_id", "类型错误"},
		{"unknown field", "POST", "/api/v1/proposals", member, `{"titel":"x"}`, "", "-", "未知字段"},
		{"extra field", "POST", "/api/v1/proposals", member, `{"title":"x","state":"accepted"}`, "", "-", "未知字段"},
		{"unknown action field", "POST", pa + "/reject", office, `{"reasons":"x"}`, "", "-", "未知字段"},
		{"unknown task field", "POST", ta + "/reply", unit, `{"results":"A"}`, "", "-", "未知字段"},
		{"unknown login field", "POST", "/api/v1/login", anon, `{"user":"member1"}`, "", "-", "未知字段"},
		{"syntax error", "POST", "/api/v1/proposals", member, `{"title":`, "", "-", "JSON"},
		{"trailing garbage", "POST", "/api/v1/proposals", member, `{"title":"x"}x`, "", "-", ""},
		{"two objects", "POST", "/api/v1/proposals", member, `{"title":"x"}{"title":"y"}`, "", "-", "一个JSON对象"},
		{"array", "POST", "/api/v1/proposals", member, `[{"title":"x"}]`, "", "-", ""},
		{"string", "POST", pa + "/accept", office, `"accept"`, "", "-", ""},
		{"form to the API", "POST", "/api/v1/proposals", member, `title=x`, "application/x-www-form-urlencoded", "-", "JSON"},
		{"text to the API", "POST", "/api/v1/proposals", member, `{"title":"x"}`, "text/plain", "-", "JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts.t = t
			defer func() { ts.t = t }()
			snap := ts.snap(review)
			ct := c.ct
			if ct == "" {
				ct = "application/json"
			}
			r := ts.do(req{Method: c.method, Path: c.path, As: c.as, Raw: []byte(c.body), ContentType: ct})
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusRequestEntityTooLarge && r.Status != http.StatusBadRequest {
				t.Errorf("%s: want 422 (or 400/413)", r)
				return
			}
			code, field := r.errCode(t)
			if code != zhengxie.EInvalid {
				t.Errorf("%s: code %q, want invalid", r, code)
			}
			if c.field != "-" && field != c.field {
				t.Errorf("%s: field %q, want %q", r, field, c.field)
			}
			if c.msg != "" && !strings.Contains(r.Body, c.msg) {
				t.Errorf("%s: message lacks %q", r, c.msg)
			}
			var e apiError
			r.decode(t, &e)
			if strings.Contains(e.Error.Message, "“”") {
				t.Errorf("%s: the message names an empty field", r)
			}
			if ts.snap(review) != snap {
				t.Errorf("%s changed the proposal", r)
			}
		})
	}
	if n := ts.proposalCount(); n != before {
		t.Errorf("%d proposals stored from hostile bodies", n-before)
	}
	// A huge form and a huge fileUpload on the pages are refused too.
	r := ts.do(req{Method: "POST", Path: "/proposals", As: member, Form: url.Values{"title": {"大表单"}, "body": {strings.Repeat("政", 1<<20)}}})
	if r.Status < 400 || r.Status >= 500 {
		t.Errorf("%s: a 3 MB form must be refused", r)
	}
	r = ts.do(req{Method: "POST", Path: "/proposals/" + sid(draft.P) + "/attachments", As: member,
		File: &fileUpload{Field: "file", Name: "大文件.txt", Data: bytes.Repeat([]byte("a"), 22<<20)}})
	if r.Status < 400 || r.Status >= 500 {
		t.Errorf("%s: a 22 MB fileUpload must be refused", r)
	}
	if n := ts.proposalCount(); n != before {
		t.Errorf("%d proposals stored from huge forms", n-before)
	}
	// Uploads are checked by content, not by name.
	r = ts.do(req{Method: "POST", Path: "/api/v1/proposals/" + sid(draft.P) + "/attachments", As: member,
		File: &fileUpload{Field: "file", Name: "报告.pdf", Data: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")}})
	ts.expect(r, http.StatusUnprocessableEntity, `"field":"file"`)
	r = ts.do(req{Method: "POST", Path: "/api/v1/proposals/" + sid(draft.P) + "/attachments", As: member,
		File: &fileUpload{Field: "file", Name: "page.html", Data: []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")}})
	ts.expect(r, http.StatusUnprocessableEntity, `"field":"file"`)
	r = ts.do(req{Method: "POST", Path: "/api/v1/proposals/" + sid(draft.P) + "/attachments", As: member, File: &fileUpload{Field: "file", Name: "empty.txt"}})
	ts.expect(r, http.StatusUnprocessableEntity, `"field":"file"`)
	r = ts.do(req{Method: "POST", Path: "/api/v1/proposals/" + sid(draft.P) + "/attachments", As: member, JSON: map[string]string{"file": "x"}})
	ts.expect(r, http.StatusUnprocessableEntity, `"field":"file"`)
	// A stored attachment downloads as an attachment, never inline.
	r = ts.do(req{Method: "GET", Path: "/attachments/" + sid(draft.Att), As: member})
	ts.expect(r, http.StatusOK, "联系人电话")
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("attachment download without nosniff")
	}
}

// TestHostileIDs: ids that are not ids are simply not found, on every
// route that takes one.
func TestHostileIDs(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	office := ts.session(roleOffice)
	unit := ts.session(roleUnit1)
	member := ts.session(roleProposer)
	anon := ts.visitor()
	bad := []string{"abc", "-1", "0", "99999999999999999999", "9223372036854775807", "1e3", "0x10", "1.0", "%201", "1%2F2", "%00", "%E6%94%BF", "1%27%20OR%201=1"}
	routes := []struct {
		method, path string
		as           *caller
	}{
		{"GET", "/proposals/{id}", office},
		{"GET", "/proposals/{id}", anon},
		{"GET", "/proposals/{id}/edit", member},
		{"POST", "/proposals/{id}/edit", member},
		{"POST", "/proposals/{id}/attachments", member},
		{"POST", "/proposals/{id}/accept", office},
		{"POST", "/tasks/{id}/accept_task", unit},
		{"GET", "/attachments/{id}", member},
		{"GET", "/public/proposals/{id}", anon},
		{"GET", "/api/v1/proposals/{id}", office},
		{"PUT", "/api/v1/proposals/{id}", member},
		{"POST", "/api/v1/proposals/{id}/attachments", member},
		{"POST", "/api/v1/proposals/{id}/accept", office},
		{"POST", "/api/v1/tasks/{id}/accept", unit},
		{"GET", "/api/v1/public/proposals/{id}", anon},
	}
	n := 0
	for _, rt := range routes {
		for _, b := range bad {
			q := req{Method: rt.method, Path: strings.Replace(rt.path, "{id}", b, 1), As: rt.as}
			switch {
			case rt.method == "PUT":
				q.JSON = map[string]string{"title": "x"}
			case strings.HasSuffix(rt.path, "attachments"):
				q.File = &fileUpload{Field: "file", Name: "a.txt", Data: []byte("文本")}
			case rt.method == "POST" && !strings.HasPrefix(rt.path, "/api/"):
				q.Form = url.Values{"title": {"x"}}
			}
			r := ts.do(q)
			n++
			// A visitor opening an internal page is sent to its public
			// version first, whatever the id; that one must not find it.
			if loc := r.Location(); rt.as == anon && r.Status == http.StatusSeeOther && strings.HasPrefix(loc, "/public/proposals/") {
				r = ts.do(req{Method: "GET", Path: loc, As: anon})
			}
			if r.Status != http.StatusNotFound {
				t.Errorf("%s: want 404", r)
			}
		}
	}
	t.Logf("%d malformed-id requests", n)
}

// TestHostileCSRF: every state-changing page route, called without its
// CSRF token (and with another session's), is refused with 403 and changes
// nothing; the same call with the token goes through, so the refusal is the
// token's doing. The routes come from web.go; a new POST route without a
// row here fails the test.
func TestHostileCSRF(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	ctx := context.Background()
	st := ts.F.Svc.Store
	// A target: what the call acts on, and a fingerprint of everything the
	// call could change.
	type target struct {
		role  string
		setup func() (o obj, probe func() string)
		body  func(*testServer, obj, string) any
		ok    int // status of the call with its token; 303 unless said
	}
	proposalTarget := func(role, kind string, body func(*testServer, obj, string) any) target {
		return target{role: role, body: body, setup: func() (obj, func() string) {
			o := ts.build(kind)
			return o, func() string { return fmt.Sprint(ts.snap(o), ts.proposalCount()) }
		}}
	}
	// userProbe fingerprints an account: password, flags, role, second
	// factor, and whether a session of it still works.
	userProbe := func(id int64, tok string) func() string {
		return func() string {
			u, err := st.User(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			cred, _ := st.CredentialsByUsername(ctx, u.Username)
			secret, _ := st.TOTPSecret(ctx, id)
			must, _ := st.MustChangePassword(ctx, id)
			_, _, aerr := ts.F.Svc.Authenticate(ctx, tok)
			return fmt.Sprint(cred.PasswordHash, u.Disabled, u.Role, secret, must, aerr == nil)
		}
	}
	userTarget := func(action string) target {
		return target{role: roleAdmin, body: formBody("role", "leader"), ok: map[string]int{"reset": 200}[action], setup: func() (obj, func() string) {
			o := ts.build(kUser)
			u, _ := st.User(ctx, o.P)
			tok, _, _, err := ts.F.Svc.Login(ctx, u.Username, testenv.Password, "192.0.2.9")
			if err != nil {
				t.Fatal(err)
			}
			st.InTx(ctx, func(tx *store.Tx) error {
				if action == "enable" {
					return tx.SetUserDisabled(o.P, true)
				}
				return tx.SetTOTPSecret(o.P, "JBSWY3DPEHPK3PXP")
			})
			return o, userProbe(o.P, tok)
		}}
	}
	targets := map[string]target{
		"POST /proposals":                  proposalTarget(roleProposer, kDraft, formBody("title", "关于民营科技园的建议")),
		"POST /proposals/{id}/edit":        proposalTarget(roleProposer, kDraft, formBody("title", "改过的案由")),
		"POST /proposals/{id}/attachments": proposalTarget(roleProposer, kDraft, fileBody),
		"POST /admin/users": {role: roleAdmin, ok: 200,
			body: func(ts *testServer, _ obj, _ string) any {
				return url.Values{"username": {fmt.Sprintf("csrf%d", ts.seq.Add(1))}, "name": {"新委员"}, "role": {"member"}}
			},
			setup: func() (obj, func() string) {
				return obj{}, func() string {
					us, _ := st.Users(ctx, store.UserFilter{CommitteeID: ts.F.Committee.ID})
					return fmt.Sprint(len(us))
				}
			}},
		"POST /me/password": {role: roleMember2, body: formBody("old", testenv.Password, "password", "Zhengxie2027c", "password2", "Zhengxie2027c"),
			setup: func() (obj, func() string) { return obj{}, userProbe(ts.users[roleMember2].ID, "") }},
		// Beginning the set-up stores nothing: only the refusal is checked.
		"POST /me/totp": {role: roleOffice, ok: 200, body: formBody("step", "begin"),
			setup: func() (obj, func() string) { return obj{}, func() string { return "" } }},
	}
	for _, a := range []string{"reset", "logout", "disable", "enable", "role", "totp_off"} {
		targets["POST /admin/users/{id}/"+a] = userTarget(a)
	}
	firstAllowed := func(expect string) string {
		for i, o := range strings.Fields(expect) {
			if o == "A" && matrixRoles[i] != roleAnon {
				return matrixRoles[i]
			}
		}
		return ""
	}
	for _, a := range proposalActions {
		targets["POST /proposals/{id}/"+a.action] = proposalTarget(firstAllowed(a.expect), a.kind, formBody(a.form...))
	}
	for _, a := range taskActions {
		var kv []string
		for k, v := range a.body {
			kv = append(kv, k, fmt.Sprint(v))
		}
		targets["POST /tasks/{id}/"+a.page] = proposalTarget(firstAllowed(a.expect), a.kind, formBody(kv...))
	}
	checked := 0
	for _, rt := range parseRoutes(t, "routes") {
		method, pattern, _ := strings.Cut(rt, " ")
		if method == "GET" || strings.HasPrefix(pattern, "/api/") {
			continue
		}
		switch rt {
		case "POST /login":
			v := ts.visitor()
			form := url.Values{"username": {"member1"}, "password": {testenv.Password}}
			r := ts.do(req{Method: "POST", Path: "/login", As: v, Form: form, NoCSRF: true})
			ts.expect(r, http.StatusForbidden, "CSRF")
			for _, c := range r.Cookies {
				if c.Name == sessionCookie && c.Value != "" {
					t.Error("login without CSRF token opened a session")
				}
			}
			other := ts.visitor()
			ts.expect(ts.do(req{Method: "POST", Path: "/login", As: v, Form: form, CSRF: other.CSRF}), http.StatusForbidden)
			ts.expect(ts.do(req{Method: "POST", Path: "/login", As: v, Form: form}), http.StatusSeeOther)
			checked++
			continue
		case "POST /logout":
			s := ts.session(roleProposer)
			ts.expect(ts.do(req{Method: "POST", Path: "/logout", As: s, NoCSRF: true}), http.StatusForbidden)
			ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/me", As: s}), http.StatusOK)
			ts.expect(ts.do(req{Method: "POST", Path: "/logout", As: s}), http.StatusSeeOther)
			ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/me", As: s}), http.StatusUnauthorized)
			checked++
			continue
		}
		tg, ok := targets[rt]
		if !ok {
			// Routes without a target of their own here: the permission
			// policy says who may call them and with what.
			p, role := policyFor(rt)
			if p == nil {
				t.Errorf("state-changing route %s has no row in the permission policy", rt)
				continue
			}
			tg = target{role: role, body: p.body, ok: -1, setup: func() (obj, func() string) {
				var o obj
				if p.kind != "" {
					o = ts.build(p.kind)
				}
				probe := func() string { return fmt.Sprint(ts.proposalCount()) }
				if isProposal(p.kind) {
					probe = func() string { return fmt.Sprint(ts.snap(o), ts.proposalCount()) }
				}
				return o, probe
			}}
			pattern = p.path // the row's concrete path
		}
		c := ts.session(tg.role)
		o, probe := tg.setup()
		pid, tid := sid(o.P), sid(o.Task)
		path := strings.NewReplacer("{p}", pid, "{task}", tid, "{unit1}", sid(ts.F.Units[0].ID)).Replace(pattern)
		if strings.HasPrefix(pattern, "/tasks/") {
			path = strings.Replace(path, "{id}", tid, 1)
		} else {
			path = strings.Replace(path, "{id}", pid, 1)
		}
		mk := func() req {
			q := req{Method: method, Path: path, As: c}
			switch b := tg.body(ts, o, tg.role).(type) {
			case url.Values:
				q.Form = b
			case *fileUpload:
				q.File = b
			}
			return q
		}
		before := probe()
		q := mk()
		q.NoCSRF = true
		ts.expect(ts.do(q), http.StatusForbidden, "CSRF")
		if probe() != before {
			t.Errorf("%s without a token changed something", rt)
		}
		q = mk()
		q.CSRF = ts.session(tg.role).CSRF // another session's token
		ts.expect(ts.do(q), http.StatusForbidden)
		if probe() != before {
			t.Errorf("%s with another session's token changed something", rt)
		}
		want := tg.ok
		if want == 0 {
			want = http.StatusSeeOther
		}
		r := ts.do(mk())
		switch {
		case want < 0: // from the policy: only that the token lets it through
			if r.Status == http.StatusForbidden {
				t.Errorf("%s with its token: %s", rt, r)
			}
		case r.Status != want:
			t.Errorf("%s with its token: %s, want %d", rt, r, want)
		case rt != "POST /me/totp" && probe() == before:
			t.Errorf("%s with its token changed nothing", rt)
		}
		checked++
	}
	// Put member2's password back for anyone after us.
	st.InTx(ctx, func(tx *store.Tx) error {
		return tx.SetPassword(ts.users[roleMember2].ID, app.HashPassword(testenv.Password))
	})
	if checked < 30 {
		t.Errorf("only %d state-changing page routes checked", checked)
	}
	// The API: every POST and PUT with a cookie session and no header. The
	// JSON login is exempt (there is no session yet, and a cross-site page
	// cannot send JSON without a preflight); a form-encoded one is not.
	apiChecked := 0
	for _, rt := range apiRouteList(t) {
		method, pattern, _ := strings.Cut(rt, " ")
		if method == "GET" {
			continue
		}
		if rt == "POST /api/v1/login" {
			v := ts.visitor()
			r := ts.do(req{Method: "POST", Path: "/api/v1/login", As: v, NoCSRF: true, Raw: []byte("username=member1&password=" + testenv.Password), ContentType: "application/x-www-form-urlencoded"})
			ts.expect(r, http.StatusForbidden, `"code":"forbidden"`)
			apiChecked++
			continue
		}
		s := ts.session(roleOffice)
		o := ts.build(kTaskAccepted)
		path := strings.Replace(pattern, "{id}", sid(o.P), 1)
		if strings.HasPrefix(pattern, "/api/v1/tasks/") {
			path = strings.Replace(pattern, "{id}", sid(o.Task), 1)
		}
		before, count := ts.snap(o), ts.proposalCount()
		r := ts.do(req{Method: method, Path: path, As: s, NoCSRF: true, JSON: map[string]any{}})
		ts.expect(r, http.StatusForbidden, `"code":"forbidden"`)
		if ts.snap(o) != before || ts.proposalCount() != count {
			t.Errorf("%s without CSRF header changed something", rt)
		}
		apiChecked++
	}
	t.Logf("%d page routes and %d API routes refuse forged requests", checked, apiChecked)
}

// ---- Fuzzing the JSON request decoder -------------------------------------

// fuzzDecode runs decode on body into dst and checks what must always hold:
// no panic, every failure is an invalid-input error with a message, and
// what it accepts is valid, bounded UTF-8 JSON that the standard decoder
// reads the same way.
func fuzzDecode[T any](t *testing.T, body []byte, contentType string) {
	r := httptest.NewRequest("POST", "/api/v1/proposals", bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	var dst T
	err := decode(w, r, &dst)
	if err != nil {
		var e *zhengxie.Error
		if !errors.As(err, &e) {
			t.Fatalf("decode(%q) returned a foreign error %T: %v", body, err, err)
		}
		if e.Code != zhengxie.EInvalid || e.Message == "" || !utf8.ValidString(e.Message) {
			t.Fatalf("decode(%q): error %+v", body, e)
		}
		if strings.Contains(e.Message, "“”") {
			t.Fatalf("decode(%q): message names an empty field: %s", body, e.Message)
		}
		return
	}
	if len(body) == 0 {
		return
	}
	if len(body) > 1<<20 {
		t.Fatalf("decode accepted %d bytes", len(body))
	}
	if !utf8.Valid(body) {
		t.Fatalf("decode accepted invalid UTF-8 %q", body)
	}
	var again T
	if err := json.Unmarshal(body, &again); err != nil {
		t.Fatalf("decode accepted %q, which encoding/json refuses: %v", body, err)
	}
	a, _ := json.Marshal(dst)
	b, _ := json.Marshal(again)
	if !bytes.Equal(a, b) {
		t.Fatalf("decode(%q) = %s, encoding/json reads %s", body, a, b)
	}
}

func FuzzDecodeDraft(f *testing.F) {
	for _, s := range []string{``, `{}`, `null`, `{"title":"关于生物岛交通的建议","body":"正文","category":"城乡建设","submit":true}`,
		`{"cosigners":[1,2,3]}`, `{"title":5}`, `{"titel":"x"}`, `{"title":"x"}{}`, `[`, "{\"title\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { fuzzDecode[apiDraft](t, body, "application/json") })
}

func FuzzDecodeAction(f *testing.F) {
	for _, s := range []string{`{"reason":"理由"}`, `{"into":12}`, `{"key":false}`, `{"assignments":[{"unit_id":1,"kind":"lead","due":"2026-09-30"}]}`,
		`{"into":1e30}`, `{"assignments":[{"unit_id":"x"}]}`, `"x"`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { fuzzDecode[apiActionInput](t, body, "") })
}

func FuzzDecodeTaskInput(f *testing.F) {
	for _, s := range []string{`{"result_class":"A","text":"答复"}`, `{"method":"面商","date":"2026-03-01","note":"沟通"}`, `{"feedback":"unsatisfied","note":"不满意"}`,
		`{"text":1}`, `{"results":"A"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { fuzzDecode[apiTaskInput](t, body, "application/json; charset=utf-8") })
}

// FuzzDecodeAPI sends fuzzed bodies through the whole server (middleware,
// handler, service, SQLite) to the endpoints that decode JSON; no input may
// get a 5xx, and the answer is always a JSON error or a success.
func FuzzDecodeAPI(f *testing.F) {
	for _, s := range []string{`{"title":"关于碳达峰的建议"}`, `{"title":"x","submit":true}`, `{"title":"` + strings.Repeat("长", 60) + `"}`,
		`{"title":"x","kind":"body"}`, `{"title":"x","cosigners":[99999]}`, `{"title":"x","cosigners":[-1,0]}`} {
		f.Add(uint8(0), []byte(s))
	}
	f.Add(uint8(1), []byte(`{"reason":"理由"}`))
	f.Add(uint8(2), []byte(`{"into":1}`))
	f.Add(uint8(3), []byte(`{"assignments":[{"unit_id":1,"kind":"lead","due":"2099-01-01"}]}`))
	f.Add(uint8(3), []byte(`{"assignments":[{"unit_id":1,"kind":"boss"}]}`))
	f.Add(uint8(4), []byte(`{"method":"面商","date":"2026-13-45"}`))
	f.Add(uint8(5), []byte(`{"result_class":"Z","text":"答复"}`))
	ts := newTestServer(f, testenv.SQLiteDSN(f))
	member := ts.bearer(roleProposer)
	office := ts.bearer(roleOffice)
	unit := ts.bearer(roleUnit1)
	review := ts.build(kReview)
	accepted := ts.build(kAccepted)
	task := ts.build(kTaskAccepted)
	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		ts.t = t
		defer func() { ts.t = f }()
		var q req
		switch target % 6 {
		case 0:
			q = req{Method: "POST", Path: "/api/v1/proposals", As: member}
		case 1:
			q = req{Method: "POST", Path: "/api/v1/proposals/" + sid(review.P) + "/reject", As: office}
		case 2:
			q = req{Method: "POST", Path: "/api/v1/proposals/" + sid(review.P) + "/merge", As: office}
		case 3:
			q = req{Method: "POST", Path: "/api/v1/proposals/" + sid(accepted.P) + "/assign", As: office}
		case 4:
			q = req{Method: "POST", Path: "/api/v1/tasks/" + sid(task.Task) + "/contact", As: unit}
		case 5:
			q = req{Method: "POST", Path: "/api/v1/tasks/" + sid(task.Task) + "/reply", As: unit}
		}
		q.Raw, q.ContentType = body, "application/json"
		r := ts.do(q)
		if r.Status >= 300 {
			var e apiError
			if err := json.Unmarshal([]byte(r.Body), &e); err != nil || e.Error.Code == "" {
				t.Fatalf("%s: not a JSON error", r)
			}
		}
	})
}
