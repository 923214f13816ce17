package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"zhengxie"
	"zhengxie/internal/testenv"
)

// ---- The OpenAPI document -------------------------------------------------

var (
	docOnce sync.Once
	docVal  *openapi3.T
	docErr  error
)

// openAPIDoc loads and validates web/openapi.json once per test binary.
func openAPIDoc() (*openapi3.T, error) {
	docOnce.Do(func() {
		docVal, docErr = openapi3.NewLoader().LoadFromData(openapiJSON)
		if docErr == nil {
			docErr = docVal.Validate(context.Background())
		}
	})
	return docVal, docErr
}

func TestOpenAPIValidates(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi version %q, want 3.0.3", doc.OpenAPI)
	}
	// The served document is the merge of the committed module files.
	merged, err := mergeOpenAPI(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	if string(merged) != string(openapiJSON) {
		t.Error("embedded openapi/*.json differ from the files")
	}
	for _, name := range []string{"bearerAuth", "cookieAuth", "csrfToken"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("security scheme %s missing", name)
		}
	}
	if c := doc.Components.SecuritySchemes["cookieAuth"]; c != nil && (c.Value.In != "cookie" || c.Value.Name != sessionCookie) {
		t.Errorf("cookieAuth is %s %s, want cookie %s", c.Value.In, c.Value.Name, sessionCookie)
	}
	if c := doc.Components.SecuritySchemes["csrfToken"]; c != nil && (c.Value.In != "header" || c.Value.Name != csrfHeader) {
		t.Errorf("csrfToken is %s %s, want header %s", c.Value.In, c.Value.Name, csrfHeader)
	}
	for _, code := range []string{"400", "401", "403", "404", "409", "422", "429"} {
		found := false
		for _, r := range doc.Components.Responses {
			if r.Value != nil && strings.Contains(*r.Value.Description, "（"+code) {
				found = true
			}
		}
		if !found {
			t.Errorf("no component response for %s", code)
		}
	}
	// Every operation says what happens when things go wrong, and every
	// authenticated one that changes data documents the CSRF refusal.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Responses.Status(404) == nil && strings.Contains(path, "{id}") {
				t.Errorf("%s %s: 404 not documented", method, path)
			}
			if method != "GET" && path != "/api/v1/login" && op.Responses.Status(403) == nil {
				t.Errorf("%s %s: 403 (CSRF) not documented", method, path)
			}
			if op.Security != nil && len(*op.Security) > 0 && path != "/api/v1/login" && op.Responses.Status(401) == nil && path != "/api/v1/logout" {
				t.Errorf("%s %s: 401 not documented", method, path)
			}
		}
	}
}

// apiRouteList reads every route under /api/ the server registers (in
// api.go's apiRoutes or elsewhere), expanding {action} into the actions the
// handler's switch knows.
func apiRouteList(t *testing.T) []string {
	t.Helper()
	var routes []string
	for _, r := range parseRoutes(t, "routes") {
		if _, path, _ := strings.Cut(r, " "); strings.HasPrefix(path, "/api/") {
			routes = append(routes, r)
		}
	}
	if len(routes) < 10 {
		t.Fatalf("found only %d API routes in api.go: %v", len(routes), routes)
	}
	return routes
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	routes := apiRouteList(t)
	inCode := map[string]bool{}
	for _, r := range routes {
		inCode[r] = true
		method, path, _ := strings.Cut(r, " ")
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !inCode[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which api.go does not serve", method, path)
			}
		}
	}
	t.Logf("%d API routes documented", len(routes))
}

// TestOpenAPISchemasMatchStructs holds the schemas to the Go types the API
// encodes and decodes: same JSON names, same types, and for answers the
// fields always present are exactly the required ones.
func TestOpenAPISchemasMatchStructs(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	type assignment = struct {
		UnitID int64  `json:"unit_id"`
		Kind   string `json:"kind"`
		Due    string `json:"due"`
	}
	cases := []struct {
		schema string
		typ    reflect.Type
		output bool // an answer: required must list the fields never omitted
	}{
		{"Proposal", reflect.TypeOf(apiProposal{}), true},
		{"ProposalDetail", reflect.TypeOf(apiProposalDetail{}), true},
		{"SourceMatter", reflect.TypeOf(apiSourceMatter{}), true},
		{"Task", reflect.TypeOf(apiTask{}), true},
		{"Event", reflect.TypeOf(apiEvent{}), true},
		{"Attachment", reflect.TypeOf(apiAttachment{}), true},
		{"Cosigner", reflect.TypeOf(apiCosigner{}), true},
		{"User", reflect.TypeOf(apiUser{}), true},
		{"ErrorBody", reflect.TypeOf(apiError{}.Error), true},
		{"Error", reflect.TypeOf(apiError{}), true},
		{"FieldError", reflect.TypeOf(apiFieldError{}), true},
		{"Draft", reflect.TypeOf(apiDraft{}), false},
		{"ActionInput", reflect.TypeOf(apiActionInput{}), false},
		{"Assignment", reflect.TypeOf(assignment{}), false},
		{"TaskInput", reflect.TypeOf(apiTaskInput{}), false},
		{"SearchResult", reflect.TypeOf(apiSearchResult{}), true},
		{"SearchHit", reflect.TypeOf(apiSearchHit{}), true},
		{"FacetValue", reflect.TypeOf(apiFacetValue{}), true},
		{"SimilarItem", reflect.TypeOf(apiSimilarItem{}), true},
		{"Token", reflect.TypeOf(apiToken{}), true},
		{"NewToken", reflect.TypeOf(apiNewToken{}), true},
		{"TokenInput", reflect.TypeOf(apiTokenInput{}), false},
	}
	for _, c := range cases {
		t.Run(c.schema, func(t *testing.T) { checkSchema(t, doc, c.schema, c.typ, c.output) })
	}
}

// checkSchema holds one schema to the Go type: same JSON names and types;
// for an answer (output) the fields never omitted are exactly the required
// ones; an input schema refuses unknown fields, as decode does.
func checkSchema(t *testing.T, doc *openapi3.T, schema string, typ reflect.Type, output bool) {
	t.Helper()
	ref := doc.Components.Schemas[schema]
	if ref == nil {
		t.Fatalf("schema %s missing", schema)
	}
	props, required := flatten(ref.Value)
	fields := jsonFields(typ)
	for name, f := range fields {
		p := props[name]
		if p == nil {
			t.Errorf("field %s of %s is not in schema %s", name, typ, schema)
			continue
		}
		if want := schemaType(f.typ); want != "" && p.Value.Type != nil && !p.Value.Type.Is(want) {
			t.Errorf("%s.%s: schema type %v, Go type %s wants %s", schema, name, p.Value.Type, f.typ, want)
		}
		if output && !f.omit && !required[name] {
			t.Errorf("%s.%s is always present but not required", schema, name)
		}
		if output && f.omit && required[name] {
			t.Errorf("%s.%s may be omitted but is required", schema, name)
		}
	}
	for name := range props {
		if _, ok := fields[name]; !ok {
			t.Errorf("schema %s has %s, which %s does not have", schema, name, typ)
		}
	}
	if !output && (ref.Value.AdditionalProperties.Has == nil || *ref.Value.AdditionalProperties.Has) {
		t.Errorf("input schema %s must set additionalProperties: false (unknown fields are refused)", schema)
	}
}

type jsonField struct {
	typ  reflect.Type
	omit bool
}

func jsonFields(t reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = jsonField{typ: f.Type, omit: strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")}
	}
	return out
}

// flatten merges allOf parts into one property set.
func flatten(s *openapi3.Schema) (map[string]*openapi3.SchemaRef, map[string]bool) {
	props := map[string]*openapi3.SchemaRef{}
	req := map[string]bool{}
	for _, part := range s.AllOf {
		p, r := flatten(part.Value)
		for k, v := range p {
			props[k] = v
		}
		for k := range r {
			req[k] = true
		}
	}
	for k, v := range s.Properties {
		props[k] = v
	}
	for _, r := range s.Required {
		req[r] = true
	}
	return props, req
}

func schemaType(t reflect.Type) string {
	if t == reflect.TypeOf(time.Time{}) {
		return "string"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return schemaType(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.Float64, reflect.Float32:
		return "number"
	case reflect.Map:
		return "object"
	case reflect.Slice:
		return "array"
	case reflect.Struct:
		return "object"
	}
	return ""
}

func TestOpenAPIServed(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	r := ts.do(req{Method: "GET", Path: "/api/openapi.json"})
	ts.expect(r, http.StatusOK, `"openapi": "3.0.3"`, "/api/v1/proposals/{id}/accept")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if r.Body != string(openapiJSON) {
		t.Error("served document differs from openapi.json")
	}
	if _, err := openapi3.NewLoader().LoadFromData([]byte(r.Body)); err != nil {
		t.Errorf("served document does not load: %v", err)
	}
}

// conform checks one API answer against the document: the route and method
// are documented, the status is documented for the operation, and a JSON
// body matches the documented schema. Paths the document does not know (an
// unknown action) are left alone: the catch-all answers them with 404.
func conform(method, rawPath string, r *resp) error {
	doc, err := openAPIDoc()
	if err != nil {
		return fmt.Errorf("openapi.json: %v", err)
	}
	path, _, _ := strings.Cut(rawPath, "?")
	item, tmpl := matchPath(doc, path)
	if item == nil {
		return nil
	}
	op := item.GetOperation(method)
	if op == nil {
		return fmt.Errorf("%s %s is not documented", method, tmpl)
	}
	rr := op.Responses.Status(r.Status)
	if rr == nil {
		rr = op.Responses.Default()
	}
	if rr == nil {
		return fmt.Errorf("status %d of %s %s is not documented", r.Status, method, tmpl)
	}
	mt := rr.Value.Content.Get("application/json")
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); mt == nil && ct != "" && rr.Value.Content.Get(ct) != nil {
		return nil // a documented file type (the evaluation's XLSX)
	}
	if mt == nil || mt.Schema == nil {
		if r.Status != http.StatusNoContent && strings.TrimSpace(r.Body) != "" && rr.Value.Content != nil {
			return fmt.Errorf("undocumented body")
		}
		return nil
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("Content-Type %q, want application/json", ct)
	}
	var v any
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		return fmt.Errorf("body is not JSON: %v", err)
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("body does not match the schema: %v", err)
	}
	return nil
}

// matchPath finds the documented path for a concrete one, preferring the
// template with the most literal segments (/proposals/{id}/accept over a
// parameter in that place).
func matchPath(doc *openapi3.T, path string) (*openapi3.PathItem, string) {
	segs := strings.Split(path, "/")
	var best *openapi3.PathItem
	bestTmpl, bestScore := "", -1
	for tmpl, item := range doc.Paths.Map() {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		score := 0
		ok := true
		for i := range ts {
			switch {
			case ts[i] == segs[i]:
				score++
			case strings.HasPrefix(ts[i], "{"):
			default:
				ok = false
			}
		}
		if ok && score > bestScore {
			best, bestTmpl, bestScore = item, tmpl, score
		}
	}
	return best, bestTmpl
}

// ---- The whole lifecycle over the API ------------------------------------

// TestAPILifecycle walks one proposal from a member's draft to the archive
// over the JSON API only: a browser session for the member and the office
// (cookie + CSRF header), a bearer token for the unit's integration.
func TestAPILifecycle(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		member := ts.login(roleProposer)
		office := ts.login(roleOffice)
		unit := ts.bearer(roleUnit1)
		anon := ts.visitor()

		// A submission that fails keeps the draft, and says where it is.
		r := ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: member, JSON: map[string]any{"title": "关于加强生物岛交通体系建设的建议", "body": "太短", "submit": true}})
		ts.expect(r, http.StatusUnprocessableEntity, `"draft_id"`, "草稿已保存", `"field":"body"`)
		var failed struct {
			DraftID int64 `json:"draft_id"`
		}
		r.decode(t, &failed)
		if failed.DraftID == 0 || r.Location() != "/api/v1/proposals/"+sid(failed.DraftID) {
			t.Fatalf("failed submission: draft_id %d, Location %q", failed.DraftID, r.Location())
		}
		r = ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(failed.DraftID), As: member})
		ts.expect(r, http.StatusOK, `"state":"draft"`, "生物岛交通体系")

		// Member writes and submits in one call.
		body := "调研情况：生物岛现有公交线路少、班次稀，早晚高峰拥堵严重。\n问题分析：路网规划滞后，接驳不足。\n具体建议：一是增开接驳专线；二是优化信号配时；三是建设慢行系统。联系人电话13812345678。"
		r = ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: member, JSON: map[string]any{"title": "关于完善生物岛交通体系的建议", "body": body, "category": "城乡建设", "submit": true}})
		ts.expect(r, http.StatusCreated, `"state":"under_review"`)
		var p apiProposal
		r.decode(t, &p)
		if r.Location() != "/api/v1/proposals/"+sid(p.ID) {
			t.Errorf("Location %q, want /api/v1/proposals/%d", r.Location(), p.ID)
		}
		pp := "/api/v1/proposals/" + sid(p.ID)

		// The member sees it with the actions open to them; the office sees it in its queue.
		r = ts.do(req{Method: "GET", Path: pp, As: member})
		ts.expect(r, http.StatusOK, `"withdraw"`, `"events"`)
		r = ts.do(req{Method: "GET", Path: "/api/v1/proposals?state=under_review", As: office})
		ts.expect(r, http.StatusOK, "关于完善生物岛交通体系的建议")

		// Office accepts: the first number of the session.
		r = ts.do(req{Method: "POST", Path: pp + "/accept", As: office, JSON: map[string]any{"comment": "符合立案条件"}})
		ts.expect(r, http.StatusOK, `"state":"accepted"`, `"number":1`, `"number_text":"第0001号"`)
		// Accepting twice is refused in plain words.
		r = ts.do(req{Method: "POST", Path: pp + "/accept", As: office})
		ts.expect(r, http.StatusConflict, `"code":"illegal_state"`, "已立案")

		// Office assigns to unit 1 as lead, unit 3 as co-handling.
		r = ts.do(req{Method: "GET", Path: "/api/v1/units", As: office})
		ts.expect(r, http.StatusOK, "区交通运输局", "区教育局")
		r = ts.do(req{Method: "POST", Path: pp + "/assign", As: office, JSON: map[string]any{"assignments": []map[string]any{
			{"unit_id": ts.F.Units[0].ID, "kind": "lead"}, {"unit_id": ts.F.Units[2].ID, "kind": "co"}}}})
		ts.expect(r, http.StatusOK, `"state":"handling"`)

		// The unit's integration finds its task and works it.
		r = ts.do(req{Method: "GET", Path: "/api/v1/tasks", As: unit})
		ts.expect(r, http.StatusOK, "关于完善生物岛交通体系的建议", `"kind":"lead"`)
		var tl struct {
			Items []apiTask `json:"items"`
		}
		r.decode(t, &tl)
		if len(tl.Items) != 1 || tl.Items[0].UnitID != ts.F.Units[0].ID {
			t.Fatalf("unit 1 sees tasks %+v", tl.Items)
		}
		tp := "/api/v1/tasks/" + sid(tl.Items[0].ID)
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/accept", As: unit}), http.StatusOK, `"state":"accepted"`)
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/contact", As: unit, JSON: map[string]any{"method": "面商", "date": testToday(), "note": "与提案人当面商量了接驳线路"}}),
			http.StatusOK, `"state":"contacted"`, `"contacted":true`)
		// Who before what: another unit posting to this task learns nothing
		// about it (404), a member may never sign (403).
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/accept", As: ts.bearer(roleUnit2)}), http.StatusNotFound, `"code":"not_found"`)
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/accept", As: member}), http.StatusForbidden, `"code":"forbidden"`)
		// The lead unit's reply waits for the co-handling unit's opinion …
		leadReply := map[string]any{"result_class": "A", "text": "已开通两条接驳专线。经办人：王工，电话13987654321，邮箱wang@example.gov.cn。"}
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/reply", As: unit, JSON: leadReply}), http.StatusConflict, "区教育局", "会办意见")
		r = ts.do(req{Method: "GET", Path: pp, As: unit})
		ts.expect(r, http.StatusOK, `"co_opinions":[{`, `"unit_name":"区教育局"`, `"next_step":"本单位为主办单位`)
		// … unless the office lets it through, with a reason on the record.
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/release_lead", As: office, JSON: map[string]any{}}), http.StatusUnprocessableEntity, `"field":"reason"`)
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/release_lead", As: office, JSON: map[string]any{"reason": "会办单位已书面同意主办意见"}}),
			http.StatusOK, `"lead_released":true`)
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/reply", As: unit, JSON: leadReply}),
			http.StatusOK, `"state":"replied"`, `"result_class":"A"`)

		// The lead unit replied: the proposal is replied.
		r = ts.do(req{Method: "GET", Path: pp, As: member})
		ts.expect(r, http.StatusOK, `"state":"replied"`, "13987654321")
		var d apiProposalDetail
		r.decode(t, &d)
		var lead apiTask
		for _, x := range d.Tasks {
			if x.Kind == "lead" {
				lead = x
			}
		}
		if !hasStr(lead.Actions, "feedback") {
			t.Errorf("the proposer may rate the reply, actions %v", lead.Actions)
		}

		// Member rates, office concludes, publishes and archives.
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/tasks/" + sid(lead.ID) + "/feedback", As: member, JSON: map[string]any{"feedback": "satisfied", "note": "答复及时"}}),
			http.StatusOK, `"feedback":"satisfied"`)
		ts.expect(ts.do(req{Method: "POST", Path: pp + "/conclude", As: office}), http.StatusOK, `"state":"concluded"`)
		// A member calling 立案 on a concluded proposal is forbidden, and is
		// not told what only the office may do now.
		r = ts.do(req{Method: "POST", Path: pp + "/accept", As: member})
		ts.expect(r, http.StatusForbidden, `"code":"forbidden"`)
		if strings.Contains(r.Body, "归档") || strings.Contains(r.Body, "已已") {
			t.Errorf("member accepting a concluded proposal: %s", r)
		}
		ts.expect(ts.do(req{Method: "POST", Path: pp + "/publish", As: office}), http.StatusOK, `"published":true`)
		// The next step follows the table and the facts: published, so no more 公开; rated, so no waiting for 测评.
		r = ts.do(req{Method: "GET", Path: pp, As: office})
		ts.expect(r, http.StatusOK, `"next_step":"已办结，提案和答复已公开。请点击“归档”`, `"detail":"测评结果：满意"`)
		if strings.Contains(r.Body, "点击“公开”") || strings.Contains(r.Body, "等待提案人进行满意度测评") {
			t.Errorf("stale next step after publishing: %s", r)
		}
		ts.expect(ts.do(req{Method: "POST", Path: pp + "/archive", As: office}), http.StatusOK, `"state":"archived"`)
		// Archived means frozen.
		ts.expect(ts.do(req{Method: "POST", Path: pp + "/unpublish", As: office}), http.StatusConflict, `"code":"illegal_state"`)
		ts.expect(ts.do(req{Method: "POST", Path: tp + "/reply", As: unit, JSON: map[string]any{"result_class": "B", "text": "补充答复"}}), http.StatusConflict, "不能再更改")

		// The public reads it, contact details removed.
		r = ts.do(req{Method: "GET", Path: "/api/v1/public/proposals", As: anon})
		ts.expect(r, http.StatusOK, "关于完善生物岛交通体系的建议", "[电话已隐去]")
		r = ts.do(req{Method: "GET", Path: "/api/v1/public/proposals/" + sid(p.ID), As: anon})
		ts.expect(r, http.StatusOK, "已开通两条接驳专线", "[电话已隐去]", "[邮箱已隐去]", `"number_text":"第0001号"`)
		for _, secret := range []string{"13987654321", "13812345678", "wang@example.gov.cn", `"proposer_id"`, `"events"`, "答复及时"} {
			if strings.Contains(r.Body, secret) {
				t.Errorf("public detail shows %q: %s", secret, r)
			}
		}
		// And so does the public page.
		r = ts.do(req{Method: "GET", Path: "/public/proposals/" + sid(p.ID), As: anon})
		ts.expect(r, http.StatusOK, "已开通两条接驳专线", "[电话已隐去]")
		if strings.Contains(r.Body, "13987654321") {
			t.Error("public page shows the unit's phone number")
		}

		// The timeline has every step, in order: the system's all_replied
		// comes after the reply that caused it.
		r = ts.do(req{Method: "GET", Path: pp, As: office})
		r.decode(t, &d)
		var acts []string
		for _, e := range d.Events {
			acts = append(acts, e.Action)
		}
		want := []string{"create", "submit", "accept", "assign", "accept_task", "contact", "release_lead", "reply", "all_replied", "feedback", "conclude",
			"close_task", "publish", "archive"}
		if strings.Join(acts, " ") != strings.Join(want, " ") {
			t.Errorf("timeline %v, want %v", acts, want)
		}

		// Logout ends the session on the server.
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/logout", As: member}), http.StatusNoContent)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/me", As: member}), http.StatusUnauthorized, `"code":"unauthorized"`)
	})
}

func hasStr(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// ---- Scenarios: one request each, on prepared objects ---------------------

// apiScenario is one request and what must come back (PocketBase style).
type apiScenario struct {
	name   string
	method string
	url    string // may hold {kind}, {kind.task}, {kind.into}, {kind.title} (see build), {unit1}, {unit2}, {today}
	as     string // role; "" is a visitor; "bearer:<role>" uses an API token
	body   any
	raw    string // a raw body instead (sent as application/json)
	status int
	want   []string // substrings of the answer
	absent []string // substrings that must not be in it
	after  func(t *testing.T, ts *testServer, o map[string]obj, r *resp)
}

func TestAPIScenarios(t *testing.T) {
	long51 := strings.Repeat("政", 51)
	scenarios := []apiScenario{
		{name: "login wrong password", method: "POST", url: "/api/v1/login", body: map[string]string{"username": "member1", "password": "wrong-pass-1"},
			status: 401, want: []string{`"code":"unauthorized"`, "用户名或密码错误"}},
		{name: "login unknown user says the same", method: "POST", url: "/api/v1/login", body: map[string]string{"username": "nobody", "password": "wrong-pass-1"},
			status: 401, want: []string{"用户名或密码错误"}},
		{name: "login with unknown field", method: "POST", url: "/api/v1/login", body: map[string]any{"username": "member1", "password": testenv.Password, "remember": true},
			status: 422, want: []string{`"code":"invalid"`, "未知字段"}},
		{name: "me anonymous", method: "GET", url: "/api/v1/me", status: 401, want: []string{`"code":"unauthorized"`}},
		{name: "me bearer", method: "GET", url: "/api/v1/me", as: "bearer:" + roleUnit1, status: 200, want: []string{`"username":"unit1"`, `"role":"unit"`}},
		{name: "me bad bearer", method: "GET", url: "/api/v1/me", as: "bearer:bogus", status: 401, want: []string{"API令牌无效"}},
		{name: "token needs a name", method: "POST", url: "/api/v1/tokens", as: roleOffice, body: map[string]any{}, status: 422, want: []string{`"field":"name"`}},
		{name: "token for someone else as member", method: "POST", url: "/api/v1/tokens", as: roleProposer, body: map[string]any{"name": "x", "user_id": 1}, status: 403},
		{name: "admin makes a token for the office", method: "POST", url: "/api/v1/tokens", as: roleAdmin, body: map[string]any{"name": "官方网站", "user_id": -1}, status: 201,
			want: []string{`"token":"zx_`}},
		{name: "token of another committee's user", method: "POST", url: "/api/v1/tokens", as: roleAdmin, body: map[string]any{"name": "x", "user_id": -2}, status: 404},
		{name: "create needs a title", method: "POST", url: "/api/v1/proposals", as: roleProposer, body: map[string]any{"body": "正文"}, status: 422,
			want: []string{`"field":"title"`, "请填写案由"}},
		{name: "create title too long", method: "POST", url: "/api/v1/proposals", as: roleProposer, body: map[string]any{"title": long51}, status: 422,
			want: []string{`"field":"title"`, "50"}},
		{name: "create joint without cosigners", method: "POST", url: "/api/v1/proposals", as: roleProposer, body: map[string]any{"title": "联名", "kind": "joint"}, status: 422,
			want: []string{`"field":"cosigners"`}},
		{name: "create body proposal needs the body's name", method: "POST", url: "/api/v1/proposals", as: roleOffice, body: map[string]any{"title": "集体", "kind": "body"}, status: 422,
			want: []string{`"field":"body_name"`}},
		{name: "office files for a body", method: "POST", url: "/api/v1/proposals", as: roleOffice, body: map[string]any{"title": "关于碳达峰行动的建议", "kind": "body", "body_name": "民革区委会"}, status: 201,
			want: []string{`"proposer_name":"民革区委会"`, `"kind":"body"`}},
		{name: "unit may not write proposals", method: "POST", url: "/api/v1/proposals", as: roleUnit1, body: map[string]any{"title": "x"}, status: 403, want: []string{`"code":"forbidden"`}},
		{name: "submit with a bad category keeps the draft", method: "POST", url: "/api/v1/proposals", as: roleProposer,
			body: map[string]any{"title": "关于横沙书香街建设的建议", "body": strings.Repeat("调研情况和具体建议。", 5), "category": "不存在的类别", "submit": true}, status: 422,
			want: []string{`"field":"category"`, `"draft_id"`}},
		{name: "save a draft", method: "PUT", url: "/api/v1/proposals/{draft}", as: roleProposer, body: map[string]any{"title": "改过的案由", "body": "改过的正文"}, status: 200,
			want: []string{`"title":"改过的案由"`, `"state":"draft"`}},
		{name: "save a submitted proposal", method: "PUT", url: "/api/v1/proposals/{review}", as: roleProposer, body: map[string]any{"title": "改"}, status: 409,
			want: []string{`"code":"illegal_state"`}},
		{name: "reject needs a reason", method: "POST", url: "/api/v1/proposals/{review}/reject", as: roleOffice, body: map[string]any{}, status: 422, want: []string{`"field":"reason"`}},
		{name: "reject with a reason", method: "POST", url: "/api/v1/proposals/{review}/reject", as: roleOffice, body: map[string]any{"reason": "属于个案诉求，建议通过信访渠道反映"}, status: 200,
			want: []string{`"state":"rejected"`, "信访渠道"}},
		{name: "convert needs a reason", method: "POST", url: "/api/v1/proposals/{review}/convert", as: roleOffice, status: 422, want: []string{`"field":"reason"`}},
		{name: "merge into itself", method: "POST", url: "/api/v1/proposals/{review}/merge", as: roleOffice, body: map[string]any{"into": "{review}"}, status: 422, want: []string{`"field":"into"`}},
		{name: "merge into a missing proposal", method: "POST", url: "/api/v1/proposals/{review}/merge", as: roleOffice, body: map[string]any{"into": 99999999}, status: 422, want: []string{`"field":"into"`}},
		{name: "merge", method: "POST", url: "/api/v1/proposals/{review}/merge", as: roleOffice, body: map[string]any{"into": "{review.into}", "comment": "内容相近"}, status: 200,
			want: []string{`"state":"merged"`, `"merged_into":`}},
		{name: "withdraw under review", method: "POST", url: "/api/v1/proposals/{review}/withdraw", as: roleProposer, body: map[string]any{"comment": "再调研"}, status: 200, want: []string{`"state":"withdrawn"`}},
		{name: "withdraw after acceptance", method: "POST", url: "/api/v1/proposals/{accepted}/withdraw", as: roleProposer, status: 409, want: []string{"立案"}},
		{name: "assign to nobody", method: "POST", url: "/api/v1/proposals/{accepted}/assign", as: roleOffice, body: map[string]any{"assignments": []any{}}, status: 422},
		{name: "assign to a unit of another committee", method: "POST", url: "/api/v1/proposals/{accepted}/assign", as: roleOffice,
			body: map[string]any{"assignments": []map[string]any{{"unit_id": 99999, "kind": "lead"}}}, status: 422, want: []string{"承办单位不存在"}},
		{name: "assign with a bad due date", method: "POST", url: "/api/v1/proposals/{accepted}/assign", as: roleOffice,
			body: map[string]any{"assignments": []map[string]any{{"unit_id": "{unit1}", "kind": "lead", "due": "明天"}}}, status: 422, want: []string{`"field":"due"`}},
		// A proposal becomes key only through the chairs' approval (supervision_api_test.go).
		{name: "no direct key marking", method: "POST", url: "/api/v1/proposals/{task_pending}/mark_key", as: roleLeader, body: map[string]any{"key": true}, status: 404,
			want: []string{`"code":"not_found"`}},
		{name: "no direct key marking for the office", method: "POST", url: "/api/v1/proposals/{task_pending}/mark_key", as: roleOffice, status: 404},
		{name: "merge by official number", method: "POST", url: "/api/v1/proposals/{review}/merge", as: roleOffice, body: map[string]any{"into_number": 99999}, status: 422,
			want: []string{`"field":"into"`}},
		{name: "unknown action", method: "POST", url: "/api/v1/proposals/{review}/approve", as: roleOffice, status: 404, want: []string{`"code":"not_found"`}},
		{name: "unknown task action", method: "POST", url: "/api/v1/tasks/{task_pending.task}/approve", as: roleUnit1, status: 404},
		{name: "reply before signing", method: "POST", url: "/api/v1/tasks/{task_pending.task}/reply", as: roleUnit1, body: map[string]any{"result_class": "A", "text": "答复"}, status: 409},
		{name: "return needs a reason", method: "POST", url: "/api/v1/tasks/{task_pending.task}/return", as: roleUnit1, body: map[string]any{}, status: 422, want: []string{`"field":"reason"`}},
		{name: "return with a reason", method: "POST", url: "/api/v1/tasks/{task_pending.task}/return", as: roleUnit1, body: map[string]any{"reason": "不属于本单位职责，建议交区卫生健康局"}, status: 200,
			want: []string{`"state":"returned"`}},
		{name: "contact in the future", method: "POST", url: "/api/v1/tasks/{task_accepted.task}/contact", as: roleUnit1, body: map[string]any{"method": "面商", "date": "2999-01-01"}, status: 422,
			want: []string{`"field":"date"`}},
		{name: "contact with an unknown method", method: "POST", url: "/api/v1/tasks/{task_accepted.task}/contact", as: roleUnit1, body: map[string]any{"method": "托梦", "date": "{today}"}, status: 422,
			want: []string{`"field":"method"`}},
		{name: "reply without a result class", method: "POST", url: "/api/v1/tasks/{task_accepted.task}/reply", as: roleUnit1, body: map[string]any{"text": "已办理"}, status: 422,
			want: []string{`"field":"result_class"`}},
		{name: "reply without text", method: "POST", url: "/api/v1/tasks/{task_accepted.task}/reply", as: roleUnit1, body: map[string]any{"result_class": "A"}, status: 422,
			want: []string{`"field":"text"`}},
		{name: "unsatisfied needs a note", method: "POST", url: "/api/v1/tasks/{replied.task}/feedback", as: roleProposer, body: map[string]any{"feedback": "unsatisfied"}, status: 422,
			want: []string{`"field":"note"`}},
		{name: "unsatisfied sends the task back", method: "POST", url: "/api/v1/tasks/{replied.task}/feedback", as: roleProposer, body: map[string]any{"feedback": "unsatisfied", "note": "措施不具体"}, status: 200,
			want: []string{`"state":"accepted"`, `"rehandled":true`},
			after: func(t *testing.T, ts *testServer, o map[string]obj, r *resp) {
				p, err := ts.F.Svc.Store.Proposal(context.Background(), ts.F.Committee.ID, o[kReplied].P)
				if err != nil || p.State != zhengxie.StateHandling {
					t.Errorf("after 不满意 the proposal is %v (%v), want handling", p.State, err)
				}
			}},
		{name: "conclude before rating", method: "POST", url: "/api/v1/proposals/{replied}/conclude", as: roleOffice, status: 409, want: []string{"测评"}},
		{name: "fileUpload a text file", method: "POST", url: "/api/v1/proposals/{draft}/attachments", as: roleProposer, status: 201, want: []string{`"mime":"text/plain; charset=utf-8"`, `"url":"/attachments/`}},
		{name: "public list of an unknown committee", method: "GET", url: "/api/v1/public/proposals?c=nowhere", status: 404},
		{name: "public detail of an unpublished proposal", method: "GET", url: "/api/v1/public/proposals/{accepted}", as: roleProposer, status: 404},
		{name: "unknown API path", method: "GET", url: "/api/v1/nothing", as: roleOffice, status: 404, want: []string{`"code":"not_found"`}},
		{name: "tasks filtered by state", method: "GET", url: "/api/v1/tasks?state=pending", as: roleOffice, status: 200, want: []string{`"state":"pending"`}},
		{name: "tasks of a unit as office", method: "GET", url: "/api/v1/tasks?unit={unit2}", as: roleOffice, status: 200, want: []string{`"items":[]`}},
		{name: "member may not list tasks", method: "GET", url: "/api/v1/tasks", as: roleProposer, status: 403},
		{name: "list mine", method: "GET", url: "/api/v1/proposals?mine=1", as: roleProposer, status: 200, want: []string{"{draft.title}", "{review.title}"}},
		{name: "list mine as someone else", method: "GET", url: "/api/v1/proposals?mine=1", as: roleMember2, status: 200, want: []string{`"total":0`}},
		{name: "list by unit", method: "GET", url: "/api/v1/proposals?unit={unit1}", as: roleOffice, status: 200, want: []string{"{task_pending.title}"}, absent: []string{"{review.title}"}},
		{name: "list by state", method: "GET", url: "/api/v1/proposals?state=accepted", as: roleOffice, status: 200, want: []string{"{accepted.title}"}, absent: []string{"{review.title}"}},
		{name: "list key proposals: none without the chairs' approval", method: "GET", url: "/api/v1/proposals?key=1", as: roleLeader, status: 200, want: []string{`"total":0`}},
		{name: "list by title", method: "GET", url: "/api/v1/proposals?q={accepted.title}", as: roleOffice, status: 200, want: []string{`"total":1`}},
		{name: "list page far away", method: "GET", url: "/api/v1/proposals?page=999999999", as: roleOffice, status: 200, want: []string{`"items":[]`, `"page":100000`}},
	}
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		callers := map[string]*caller{}
		for _, role := range matrixRoles[1:] {
			callers[role] = ts.session(role)
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				ts.t = t
				defer func() { ts.t = t }()
				objs := map[string]obj{}
				get := func(kind string) obj {
					if o, ok := objs[kind]; ok {
						return o
					}
					objs[kind] = ts.build(kind)
					return objs[kind]
				}
				// {kind} is a proposal of that kind, {kind.task} its task of
				// unit 1, {kind.into} its merge target, {kind.title} its title.
				expand := func(s string) string {
					for _, k := range kindOrder {
						if !strings.Contains(s, "{"+k) {
							continue
						}
						o := get(k)
						s = strings.ReplaceAll(s, "{"+k+".into}", sid(o.Into))
						s = strings.ReplaceAll(s, "{"+k+".task}", sid(o.Task))
						s = strings.ReplaceAll(s, "{"+k+".title}", o.Title)
						s = strings.ReplaceAll(s, "{"+k+"}", sid(o.P))
					}
					s = strings.ReplaceAll(s, "{today}", testToday())
					s = strings.ReplaceAll(s, "{unit1}", sid(ts.F.Units[0].ID))
					s = strings.ReplaceAll(s, "{unit2}", sid(ts.F.Units[1].ID))
					return s
				}
				url := expand(sc.url)
				want := make([]string, len(sc.want))
				for i, w := range sc.want {
					want[i] = expand(w)
				}
				absent := make([]string, len(sc.absent))
				for i, a := range sc.absent {
					absent[i] = expand(a)
				}
				q := req{Method: sc.method, Path: url}
				switch {
				case strings.HasPrefix(sc.as, "bearer:"):
					role := strings.TrimPrefix(sc.as, "bearer:")
					if ts.users[role] == nil {
						q.As = &caller{Bearer: "zx_not-a-token"}
					} else {
						q.As = ts.bearer(role)
					}
				case sc.as == "":
					q.As = ts.visitor()
				default:
					q.As = callers[sc.as]
				}
				if sc.body != nil {
					b, _ := json.Marshal(sc.body)
					s := expand(string(b))
					// Ids named in a body are numbers, not strings.
					s = unquoteIDs(s)
					s = strings.ReplaceAll(s, `"user_id":-1`, `"user_id":`+sid(ts.F.Office.ID))
					s = strings.ReplaceAll(s, `"user_id":-2`, `"user_id":`+sid(ts.F.Other.ID))
					q.Raw, q.ContentType = []byte(s), "application/json"
				}
				if strings.HasSuffix(sc.url, "/attachments") {
					q.File = &fileUpload{Field: "file", Name: "调研报告.txt", Data: []byte("调研报告：生物医药产业生态")}
				}
				r := ts.do(q)
				ts.expect(r, sc.status, want...)
				for _, a := range absent {
					if strings.Contains(r.Body, a) {
						t.Errorf("%s: body has %q", r, a)
					}
				}
				if sc.after != nil {
					sc.after(t, ts, objs, r)
				}
			})
		}
	})
}

// unquoteIDs turns "123" (an expanded id placeholder inside JSON) into 123
// for the fields that hold ids.
func unquoteIDs(s string) string {
	for _, f := range []string{"into", "unit_id"} {
		for {
			i := strings.Index(s, `"`+f+`":"`)
			if i < 0 {
				break
			}
			start := i + len(f) + 3
			end := strings.IndexByte(s[start+1:], '"')
			if end < 0 {
				break
			}
			v := s[start+1 : start+1+end]
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				break
			}
			s = s[:start] + v + s[start+1+end+1:]
		}
	}
	return s
}

// TestAPILoginRateLimit: the 21st login attempt from one address within a
// minute is refused with 429, even with the right password.
func TestAPILoginRateLimit(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	v := ts.visitor()
	for i := 0; i < 20; i++ {
		r := ts.do(req{Method: "POST", Path: "/api/v1/login", As: v, JSON: map[string]string{"username": fmt.Sprintf("nobody%d", i), "password": "wrong-pass-1"}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %s", i+1, r)
		}
	}
	r := ts.do(req{Method: "POST", Path: "/api/v1/login", As: v, JSON: map[string]string{"username": "member1", "password": testenv.Password}})
	ts.expect(r, http.StatusTooManyRequests, `"code":"too_many_requests"`)
	for _, c := range r.Cookies {
		if c.Name == sessionCookie && c.Value != "" {
			t.Error("a refused login set a session cookie")
		}
	}
}

// TestAPIAccountLockout: five wrong passwords lock the account; the right
// password is then refused too.
func TestAPIAccountLockout(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	v := ts.visitor()
	for i := 0; i < 5; i++ {
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/login", As: v, JSON: map[string]string{"username": "member2", "password": "wrong-pass-1"}}), http.StatusUnauthorized)
	}
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/login", As: v, JSON: map[string]string{"username": "member2", "password": testenv.Password}}),
		http.StatusTooManyRequests, "锁定")
}

// TestAPIBearerNeedsNoCSRF: integrations call with a token and no cookie;
// a cookie session without the CSRF header is refused and changes nothing.
func TestAPIBearerNeedsNoCSRF(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	n := ts.proposalCount()
	b := ts.bearer(roleProposer)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: b, JSON: map[string]string{"title": "令牌创建"}}), http.StatusCreated)
	s := ts.session(roleProposer)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: s, NoCSRF: true, JSON: map[string]string{"title": "无CSRF"}}), http.StatusForbidden, `"code":"forbidden"`, "CSRF")
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: s, CSRF: "wrong-token-wrong-token-wrong-token", JSON: map[string]string{"title": "错CSRF"}}), http.StatusForbidden)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: s, JSON: map[string]string{"title": "有CSRF"}}), http.StatusCreated)
	if got := ts.proposalCount(); got != n+2 {
		t.Errorf("%d proposals created, want 2", got-n)
	}
	// A session's CSRF token is not another session's.
	s2 := ts.session(roleProposer)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/proposals", As: s, CSRF: s2.CSRF, JSON: map[string]string{"title": "他人CSRF"}}), http.StatusForbidden)
}
