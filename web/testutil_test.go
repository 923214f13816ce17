package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// The HTTP tests run the real handler on a real listener over a real store
// (SQLite, and PostgreSQL when configured). Every response of every test
// goes through do, which fails the test on any 5xx and checks every API
// answer against openapi.json, so that "never a 500" and "the document says
// what the server does" hold everywhere, not only where a test remembers.

// Role names of the test callers, in the order of the permission matrix.
const (
	roleAnon     = "anon"
	roleProposer = "proposer" // member1, writes the proposals
	roleCosigner = "cosigner" // member3, invited to co-sign some of them
	roleMember2  = "member2"  // another member, unrelated
	roleUnit1    = "unit1"    // the unit the proposals are assigned to
	roleUnit2    = "unit2"    // another unit of the same committee
	roleOffice   = "office"
	roleLeader   = "leader"
	roleAdmin    = "admin"
	roleOther    = "other" // the office of another committee
)

var matrixRoles = []string{roleAnon, roleProposer, roleCosigner, roleMember2, roleUnit1, roleUnit2, roleOffice, roleLeader, roleAdmin, roleOther}

// testServer is one seeded committee behind a real HTTP server.
type testServer struct {
	t     testing.TB
	F     *testenv.Fixture
	S     *Server
	URL   string
	users map[string]*zhengxie.User
	logs  *errorLog
	seq   atomic.Int64
	cli   *http.Client
	// noConform turns off the OpenAPI conformance check (for deliberately
	// out-of-contract requests such as a wrong method).
	noConform bool
}

// errorLog keeps the error-level records the server logs: an internal error
// that was answered politely is still a bug.
type errorLog struct {
	mu   sync.Mutex
	recs []string
}

func (l *errorLog) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelWarn }
func (l *errorLog) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	l.mu.Lock()
	l.recs = append(l.recs, b.String())
	l.mu.Unlock()
	return nil
}
func (l *errorLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *errorLog) WithGroup(string) slog.Handler      { return l }

// newTestServer seeds a committee on dsn and serves it.
func newTestServer(t testing.TB, dsn string) *testServer {
	t.Helper()
	st := testenv.Open(t, dsn)
	f := testenv.Seed(t, st)
	logs := &errorLog{}
	s := New(f.Svc, slog.New(logs))
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	ts := &testServer{t: t, F: f, S: s, URL: hs.URL, logs: logs,
		cli: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	ts.users = map[string]*zhengxie.User{
		roleProposer: f.Members[0], roleMember2: f.Members[1], roleCosigner: f.Members[2],
		roleUnit1: f.UnitUsers[0], roleUnit2: f.UnitUsers[1],
		roleOffice: f.Office, roleLeader: f.Leader, roleAdmin: f.Admin, roleOther: f.Other,
	}
	t.Cleanup(func() {
		logs.mu.Lock()
		defer logs.mu.Unlock()
		for i, r := range logs.recs {
			if i == 5 {
				t.Errorf("… and %d more warnings or errors", len(logs.recs)-5)
				break
			}
			t.Errorf("server logged a warning or error: %s", r)
		}
	})
	return ts
}

// caller is who makes a request: a browser session (cookie + CSRF token),
// an integration (bearer token) or a visitor (only the visitor CSRF cookie).
type caller struct {
	Role    string
	User    *zhengxie.User
	Session string // zx_session cookie
	CSRF    string // session CSRF token, or the visitor's double-submit token
	Bearer  string
	Visitor string // zx_csrf cookie of a visitor
}

// visitor returns an anonymous caller holding the visitor CSRF cookie, as
// a browser has after loading any page.
func (ts *testServer) visitor() *caller {
	ts.t.Helper()
	r := ts.do(req{Method: "GET", Path: "/login"})
	for _, c := range r.Cookies {
		if c.Name == csrfCookie {
			return &caller{Role: roleAnon, Visitor: c.Value, CSRF: c.Value}
		}
	}
	ts.t.Fatalf("GET /login set no %s cookie", csrfCookie)
	return nil
}

// login signs a role in through POST /api/v1/login, as an API client with
// a cookie jar does.
func (ts *testServer) login(role string) *caller {
	ts.t.Helper()
	u := ts.users[role]
	if u == nil {
		return ts.visitor()
	}
	// A JSON login needs no CSRF token: there is no session yet.
	r := ts.do(req{Method: "POST", Path: "/api/v1/login", JSON: map[string]string{"username": u.Username, "password": testenv.Password}})
	if r.Status != http.StatusOK {
		ts.t.Fatalf("login %s: %d %s", u.Username, r.Status, r.Body)
	}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	r.decode(ts.t, &out)
	c := &caller{Role: role, User: u, CSRF: out.CSRF}
	for _, ck := range r.Cookies {
		if ck.Name == sessionCookie {
			c.Session = ck.Value
		}
	}
	if c.Session == "" || c.CSRF == "" {
		ts.t.Fatalf("login %s: no session cookie or csrf token: %v %s", u.Username, r.Cookies, r.Body)
	}
	return c
}

// session opens a session through the service, not over HTTP: the login
// rate limit (20 a minute per address) would otherwise throttle big matrices.
func (ts *testServer) session(role string) *caller {
	ts.t.Helper()
	u := ts.users[role]
	if u == nil {
		return ts.visitor()
	}
	tok, sess, _, err := ts.F.Svc.Login(context.Background(), u.Username, testenv.Password, "192.0.2.1")
	if err != nil {
		ts.t.Fatalf("login %s: %v", u.Username, err)
	}
	return &caller{Role: role, User: u, Session: tok, CSRF: sess.CSRFToken}
}

// bearer returns an integration caller with an API token of role's user
// holding every scope, so that only the user's role limits it.
func (ts *testServer) bearer(role string) *caller {
	ts.t.Helper()
	return ts.bearerWith(role, "read_public", "read_committee", "unit", "admin")
}

// bearerWith returns an integration caller whose token has only these scopes.
func (ts *testServer) bearerWith(role string, scopes ...string) *caller {
	ts.t.Helper()
	u := ts.users[role]
	tok, _, err := ts.F.Svc.CreateAPIToken(context.Background(), zhengxie.ActorOf(u), app.TokenSpec{UserID: u.ID, Name: "测试集成", Scopes: scopes})
	if err != nil {
		ts.t.Fatal(err)
	}
	return &caller{Role: role, User: u, Bearer: tok}
}

// req is one HTTP request of a scenario.
type req struct {
	Method, Path string
	As           *caller
	JSON         any         // marshalled as the body, Content-Type application/json
	Raw          []byte      // sent as is (with ContentType)
	Form         url.Values  // urlencoded form; the CSRF field is added unless NoCSRF
	File         *fileUpload // multipart form with Form's fields and this file
	ContentType  string
	NoCSRF       bool // omit the CSRF token (header and form field)
	CSRF         string
	Header       map[string]string
}

type fileUpload struct {
	Field, Name string
	Data        []byte
}

// resp is what came back.
type resp struct {
	Method, Path string
	Status       int
	Body         string
	Header       http.Header
	Cookies      []*http.Cookie
}

func (r *resp) Location() string { return r.Header.Get("Location") }

func (r *resp) decode(t testing.TB, dst any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), dst); err != nil {
		t.Fatalf("%s %s: %d, body is not JSON (%v): %.300s", r.Method, r.Path, r.Status, err, r.Body)
	}
}

// obj decodes the body into a generic JSON object.
func (r *resp) obj(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

// errCode returns the code and field of a JSON error answer.
func (r *resp) errCode(t testing.TB) (code, field string) {
	t.Helper()
	var e apiError
	r.decode(t, &e)
	return e.Error.Code, e.Error.Field
}

func (r *resp) String() string {
	b := r.Body
	if len(b) > 400 {
		b = b[:400] + "…"
	}
	p := r.Path
	if len(p) > 200 {
		p = p[:200] + "…"
	}
	return fmt.Sprintf("%s %s → %d %s", r.Method, p, r.Status, b)
}

// do sends one request and checks what must hold for every answer.
func (ts *testServer) do(q req) *resp {
	ts.t.Helper()
	var body io.Reader
	ct := q.ContentType
	csrf := q.CSRF
	if csrf == "" && q.As != nil && !q.NoCSRF {
		csrf = q.As.CSRF
	}
	isForm := q.Form != nil || q.File != nil
	switch {
	case q.Raw != nil:
		body = bytes.NewReader(q.Raw)
	case q.JSON != nil:
		b, err := json.Marshal(q.JSON)
		if err != nil {
			ts.t.Fatal(err)
		}
		body = bytes.NewReader(b)
		if ct == "" {
			ct = "application/json"
		}
	case q.File != nil:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		// The token comes first, as in every form of ours.
		if csrf != "" && !q.NoCSRF {
			mw.WriteField(csrfField, csrf)
		}
		for k, vs := range q.Form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		fw, err := mw.CreateFormFile(q.File.Field, q.File.Name)
		if err != nil {
			ts.t.Fatal(err)
		}
		fw.Write(q.File.Data)
		mw.Close()
		body = &buf
		ct = mw.FormDataContentType()
	case q.Form != nil:
		f := url.Values{}
		for k, v := range q.Form {
			f[k] = v
		}
		if csrf != "" && !q.NoCSRF {
			f.Set(csrfField, csrf)
		}
		body = strings.NewReader(f.Encode())
		ct = "application/x-www-form-urlencoded"
	}
	hr, err := http.NewRequest(q.Method, ts.URL+q.Path, body)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", q.Method, q.Path, err)
	}
	if ct != "" {
		hr.Header.Set("Content-Type", ct)
	}
	if c := q.As; c != nil {
		if c.Session != "" {
			hr.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.Session})
		}
		if c.Visitor != "" {
			hr.AddCookie(&http.Cookie{Name: csrfCookie, Value: c.Visitor})
		}
		if c.Bearer != "" {
			hr.Header.Set("Authorization", "Bearer "+c.Bearer)
		}
	}
	// Pages post the token as a form field; scripts and API clients send the header.
	if csrf != "" && !q.NoCSRF && (!isForm || strings.HasPrefix(q.Path, "/api/")) && q.Method != "GET" {
		hr.Header.Set(csrfHeader, csrf)
	}
	for k, v := range q.Header {
		hr.Header.Set(k, v)
	}
	res, err := ts.cli.Do(hr)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", q.Method, q.Path, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	r := &resp{Method: q.Method, Path: q.Path, Status: res.StatusCode, Body: string(b), Header: res.Header, Cookies: res.Cookies()}
	if r.Status >= 500 {
		ts.t.Errorf("server error: %s", r)
	}
	if strings.HasPrefix(q.Path, "/api/") {
		if !ts.noConform {
			if err := conform(q.Method, q.Path, r); err != nil {
				ts.t.Errorf("answer does not match openapi.json: %s: %v", r, err)
			}
		}
		// Even a deliberately out-of-contract request must be told about
		// a field it sent (or could have sent), not one it never heard of.
		if err := errorFieldOfRequest(q.Method, q.Path, requestKeys(q), r); err != nil {
			ts.t.Errorf("%s: %v", r, err)
		}
	}
	return r
}

// apiRequest is a form request as testServer.do describes one.
func apiRequest(method, path string, form url.Values) req {
	return req{Method: method, Path: path, Form: form}
}

// apiAnswersChecked counts the API answers errorFieldOfRequest has seen,
// so that a test can tell the check really runs.
var apiAnswersChecked atomic.Int64

// requestKeys are the names a request sent: its query parameters, its form
// fields, its file field, and every object key of its JSON body at any
// depth, also as dotted paths from the root ("assignments.kind").
func requestKeys(q req) map[string]bool {
	keys := map[string]bool{}
	if _, query, ok := strings.Cut(q.Path, "?"); ok {
		if v, err := url.ParseQuery(query); err == nil {
			for k := range v {
				keys[k] = true
			}
		}
	}
	for k := range q.Form {
		keys[k] = true
	}
	if q.File != nil {
		keys[q.File.Field] = true
	}
	var body []byte
	switch {
	case q.Raw != nil:
		body = q.Raw
	case q.JSON != nil:
		body, _ = json.Marshal(q.JSON)
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		jsonKeys(v, "", keys)
	}
	return keys
}

func jsonKeys(v any, prefix string, keys map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			keys[k] = true
			keys[prefix+k] = true
			jsonKeys(val, prefix+k+".", keys)
		}
	case []any:
		for _, val := range x {
			jsonKeys(val, prefix, keys)
		}
	}
}

// errorFieldOfRequest checks that an API error naming a field names one of
// the request: one it sent, or one its operation documents (a body
// property at any depth, or a query parameter), since a missing required
// field is named too.
func errorFieldOfRequest(method, rawPath string, sent map[string]bool, r *resp) error {
	apiAnswersChecked.Add(1)
	if r.Status < 400 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return nil
	}
	var e apiError
	if json.Unmarshal([]byte(r.Body), &e) != nil || e.Error.Field == "" {
		return nil
	}
	field := e.Error.Field
	if sent[field] {
		return nil
	}
	documented := map[string]bool{}
	if doc, err := openAPIDoc(); err == nil {
		path, _, _ := strings.Cut(rawPath, "?")
		if item, _ := matchPath(doc, path); item != nil {
			if op := item.GetOperation(method); op != nil {
				for _, p := range op.Parameters {
					if p.Value != nil && p.Value.In == "query" {
						documented[p.Value.Name] = true
					}
				}
				if op.RequestBody != nil && op.RequestBody.Value != nil {
					for _, mt := range op.RequestBody.Value.Content {
						if mt.Schema != nil {
							schemaKeys(mt.Schema.Value, "", documented, 0)
						}
					}
				}
			}
		}
	}
	if documented[field] {
		return nil
	}
	return fmt.Errorf("the error names field %q, which is neither in the request nor documented for it (sent %v, documented %v)",
		field, sortedSet(sent), sortedSet(documented))
}

func schemaKeys(s *openapi3.Schema, prefix string, keys map[string]bool, depth int) {
	if s == nil || depth > 8 {
		return
	}
	for _, part := range append(append(append(openapi3.SchemaRefs{}, s.AllOf...), s.OneOf...), s.AnyOf...) {
		schemaKeys(part.Value, prefix, keys, depth+1)
	}
	if s.Items != nil {
		schemaKeys(s.Items.Value, prefix, keys, depth+1)
	}
	for k, p := range s.Properties {
		keys[k] = true
		keys[prefix+k] = true
		schemaKeys(p.Value, prefix+k+".", keys, depth+1)
	}
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// expect checks status and that the body contains every substring.
func (ts *testServer) expect(r *resp, status int, contains ...string) {
	ts.t.Helper()
	if r.Status != status {
		ts.t.Errorf("%s: want status %d", r, status)
		return
	}
	for _, s := range contains {
		if !strings.Contains(r.Body, s) {
			ts.t.Errorf("%s: body lacks %q", r, s)
		}
	}
}

// Object builders: proposals brought to a given point of the lifecycle
// through the service (fast, and not what the HTTP tests are testing).

// obj is a proposal made for a test, with what hangs on it.
type obj struct {
	P     int64  // the proposal
	Title string // its title, to look for leaks
	Into  int64  // another proposal under review (a merge target)
	Task  int64  // unit1's task, once assigned
	Att   int64  // an attachment: the proposer's on a draft, the reply letter later
}

// Kinds of objects the builders make, each a point of the lifecycle.
const (
	kDraft        = "draft"         // proposer's draft with an attachment
	kCosign       = "cosign"        // submitted, waiting for the cosigner
	kReview       = "review"        // under review
	kAccepted     = "accepted"      // accepted, numbered
	kTaskPending  = "task_pending"  // assigned to unit1 (lead), not yet signed for
	kTaskAccepted = "task_accepted" // unit1 signed for it
	kReplied      = "replied"       // unit1 replied with a letter: proposal replied
	kRated        = "rated"         // the proposer rated the reply: ready to conclude
	kConcluded    = "concluded"
	kPublished    = "published" // concluded and published

	// Not proposals: P is a user's id.
	kUser      = "user"       // a member of the test committee, made for the test
	kOtherUser = "other_user" // the office user of the other committee
	kUserToken = "user_token" // P is an API token of a member made for the test
)

// isProposal reports whether objects of a kind are proposals.
func isProposal(kind string) bool {
	return kind != "" && kind != kUser && kind != kOtherUser && kind != kUserToken
}

var kindOrder = []string{kDraft, kReview, kAccepted, kTaskPending, kTaskAccepted, kReplied, kRated, kConcluded, kPublished}

// build makes a proposal of the given kind and returns it.
func (ts *testServer) build(kind string) obj {
	ts.t.Helper()
	ctx := context.Background()
	f := ts.F
	svc := f.Svc
	must := func(err error) {
		ts.t.Helper()
		if err != nil {
			ts.t.Fatalf("build %s: %v", kind, err)
		}
	}
	proposer := f.Actor(ts.users[roleProposer])
	office := f.Actor(f.Office)
	unit := f.Actor(ts.users[roleUnit1])
	n := ts.seq.Add(1)
	switch kind {
	case kUser:
		u := &zhengxie.User{Username: fmt.Sprintf("target%d", n), Name: fmt.Sprintf("测试委员%d", n), Role: zhengxie.RoleMember}
		must(svc.CreateUser(ctx, zhengxie.SystemActor(f.Committee.ID), u, testenv.Password))
		return obj{P: u.ID}
	case kOtherUser:
		return obj{P: f.Other.ID}
	case kUserToken:
		u := &zhengxie.User{Username: fmt.Sprintf("integrator%d", n), Name: fmt.Sprintf("集成委员%d", n), Role: zhengxie.RoleMember}
		must(svc.CreateUser(ctx, zhengxie.SystemActor(f.Committee.ID), u, testenv.Password))
		_, tok, err := svc.CreateAPIToken(ctx, zhengxie.ActorOf(u), app.TokenSpec{Name: "矩阵令牌"})
		must(err)
		return obj{P: tok.ID}
	}
	var o obj
	o.Title = fmt.Sprintf("关于完善社区治理的建议ZX%d样本", n)
	d := testenv.Draft(o.Title)
	if kind == kCosign {
		d = testenv.Draft(o.Title, ts.users[roleCosigner].ID)
	}
	p, err := svc.CreateDraft(ctx, proposer, d)
	must(err)
	o.P = p.ID
	if kind == kDraft {
		att, err := svc.AddAttachment(ctx, proposer, p.ID, &app.Upload{Name: "调研材料.txt", Data: []byte("调研材料：联系人电话13800138000")})
		must(err)
		o.Att = att.ID
		return o
	}
	_, err = svc.Submit(ctx, proposer, p.ID)
	must(err)
	if kind == kCosign {
		return o
	}
	if kind == kReview {
		q, err := svc.CreateDraft(ctx, proposer, testenv.Draft(o.Title+"（并案目标）"))
		must(err)
		_, err = svc.Submit(ctx, proposer, q.ID)
		must(err)
		o.Into = q.ID
		return o
	}
	step := func(k string) bool { return indexOf(kindOrder, kind) >= indexOf(kindOrder, k) }
	if step(kAccepted) {
		_, err = svc.Accept(ctx, office, p.ID, "")
		must(err)
	}
	if step(kTaskPending) {
		_, err = svc.Assign(ctx, office, p.ID, []zhengxie.Assignment{{UnitID: f.Units[0].ID, Kind: zhengxie.TaskLead}}, "")
		must(err)
		ts2, err := svc.Store.Tasks(ctx, p.ID)
		must(err)
		o.Task = ts2[0].ID
	}
	if step(kTaskAccepted) {
		_, err = svc.AcceptTask(ctx, unit, o.Task)
		must(err)
	}
	if step(kReplied) {
		_, err = svc.Reply(ctx, unit, o.Task, zhengxie.Reply{ResultClass: "A", Text: "已采纳。联系人：张科长，电话13912345678。"},
			&app.Upload{Name: "答复函.pdf", Data: []byte("%PDF-1.4\n% 答复函\n")})
		must(err)
		as, err := svc.Store.Attachments(ctx, f.Committee.ID, p.ID)
		must(err)
		for _, a := range as {
			if a.TaskID == o.Task {
				o.Att = a.ID
			}
		}
	}
	if step(kRated) {
		_, err = svc.Feedback(ctx, proposer, o.Task, zhengxie.FeedbackSatisfied, "")
		must(err)
	}
	if step(kConcluded) {
		_, err = svc.Conclude(ctx, office, p.ID, "")
		must(err)
	}
	if step(kPublished) {
		_, err = svc.Publish(ctx, office, p.ID)
		must(err)
	}
	return o
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// objSnap is what a denied request must leave as it was.
type objSnap struct {
	State  zhengxie.State
	Title  string
	Events int
	Atts   int
	Task   zhengxie.TaskState
}

func (ts *testServer) snap(o obj) objSnap {
	ts.t.Helper()
	ctx := context.Background()
	st := ts.F.Svc.Store
	p, err := st.Proposal(ctx, ts.F.Committee.ID, o.P)
	if err != nil {
		ts.t.Fatal(err)
	}
	evs, err := st.ProposalEvents(ctx, ts.F.Committee.ID, o.P)
	if err != nil {
		ts.t.Fatal(err)
	}
	as, err := st.Attachments(ctx, ts.F.Committee.ID, o.P)
	if err != nil {
		ts.t.Fatal(err)
	}
	s := objSnap{State: p.State, Title: p.Title, Events: len(evs), Atts: len(as)}
	if o.Task != 0 {
		t, err := st.Task(ctx, ts.F.Committee.ID, o.Task)
		if err != nil {
			ts.t.Fatal(err)
		}
		s.Task = t.State
	}
	return s
}

// proposalCount counts the proposals of the test committee (all states).
func (ts *testServer) proposalCount() int {
	ts.t.Helper()
	var n int
	if err := ts.F.Svc.Store.DB().QueryRow(`SELECT COUNT(*) FROM proposals`).Scan(&n); err != nil {
		ts.t.Fatal(err)
	}
	return n
}

// sid formats an id for a path.
func sid(n int64) string { return fmt.Sprint(n) }

// today is the committee's date, for contact records.
func testToday() string { return zhengxie.DateOf(time.Now(), zhengxie.ChinaTime()).String() }

// actionTableNames lists the actions a handler dispatches through an
// action table (action.go): the pages use the domain's names, the API its
// own path names for tasks.
func actionTableNames(handler string) ([]string, bool) {
	var out []string
	switch handler {
	case "proposalAction", "apiProposalAction":
		for _, st := range proposalSteps {
			out = append(out, st.name)
		}
	case "taskAction":
		for _, st := range taskSteps {
			out = append(out, st.name)
		}
	case "apiTaskAction":
		for _, st := range taskSteps {
			out = append(out, st.api)
		}
	default:
		return nil, false
	}
	return out, true
}

// parseRoutes reads the routes a function of this package registers on the
// mux ("METHOD /path"), from the source, so that tests follow the code: a
// route added tomorrow is missing from a test's table today and fails it.
// A {action} segment is expanded into the actions of the handler's action
// table, or else into the string cases of the handler's switch. Patterns without a method (the API's catch-all) are left out.
func parseRoutes(t testing.TB, register string) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	funcs := map[string]*ast.FuncDecl{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				funcs[fd.Name.Name] = fd
			}
		}
	}
	fn := funcs[register]
	if fn == nil {
		t.Fatalf("no function %s in package web", register)
	}
	cases := func(fd *ast.FuncDecl) []string {
		var out []string
		ast.Inspect(fd, func(n ast.Node) bool {
			if cc, ok := n.(*ast.CaseClause); ok {
				for _, e := range cc.List {
					if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
						v, _ := strconv.Unquote(bl.Value)
						out = append(out, v)
					}
				}
			}
			return true
		})
		return out
	}
	var routes []string
	var visit func(fn *ast.FuncDecl)
	visit = func(fn *ast.FuncDecl) {
		ast.Inspect(fn, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			// s.apiRoutes(m), s.accountRoutes(m): registered by a helper.
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && len(call.Args) == 1 && strings.HasSuffix(sel.Sel.Name, "Routes") && funcs[sel.Sel.Name] != nil {
				visit(funcs[sel.Sel.Name])
				return true
			}
			if len(call.Args) != 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			pat, _ := strconv.Unquote(lit.Value)
			method, path, ok := strings.Cut(pat, " ")
			if !ok {
				return true
			}
			if !strings.Contains(path, "{action}") {
				routes = append(routes, method+" "+path)
				return true
			}
			h, ok := call.Args[1].(*ast.SelectorExpr)
			if !ok || funcs[h.Sel.Name] == nil {
				t.Fatalf("cannot find the handler of %s", pat)
			}
			// The proposal and task steps come from the action tables;
			// other handlers with an {action} still switch on it.
			acts, fromTable := actionTableNames(h.Sel.Name)
			if !fromTable {
				acts = cases(funcs[h.Sel.Name])
			}
			if len(acts) == 0 {
				t.Fatalf("handler %s of %s has no action cases", h.Sel.Name, pat)
			}
			for _, a := range acts {
				routes = append(routes, method+" "+strings.Replace(path, "{action}", a, 1))
			}
			return true
		})
	}
	visit(fn)
	sort.Strings(routes)
	return routes
}
