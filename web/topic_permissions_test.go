package web

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// topicActions are the steps of POST /topics/{id}/{action} and the API's.
var topicActions = []string{"submit", "publish", "return", "reject", "withdraw", "close", "claim", "unclaim", "study"}

// topicPolicies are the permission-matrix rows of the topic-order module
// (columns in permissions_test.go). Orders are guessed ids here (999999):
// N means the caller got past "please log in" to "not found". Who reaches
// real ones — the posting unit, a claimant, another member, another unit,
// the office, the admin and another committee — is TestTopicPermissions.
func topicPolicies() []policy {
	users := "L A A A A A A A A A"
	guessed := "L N N N N N N N N N"
	posters := "L D D D V V V D D V" // units and the office (of any committee) post; an empty order is refused
	jb := func(m map[string]any) func(*testServer, obj, string) any { return jsonBody(m) }
	ps := []policy{
		{name: "topics", method: "GET", path: "/topics", expect: users},
		{name: "topics export csv", method: "GET", path: "/topics/export.csv", expect: users},
		{name: "topics export xlsx", method: "GET", path: "/topics/export.xlsx", expect: users},
		{name: "new topic form", method: "GET", path: "/topics/new", expect: "L D D D A A A D D A"},
		{name: "post empty topic", method: "POST", path: "/topics", expect: posters, body: formBody()},
		{name: "guessed topic", method: "GET", path: "/topics/999999", expect: guessed},
		{name: "guessed topic edit form", method: "GET", path: "/topics/999999/edit", expect: guessed},
		{name: "guessed topic edit", method: "POST", path: "/topics/999999/edit", expect: guessed, body: formBody("title", "矩阵订单")},
		{name: "guessed topic study answer", method: "POST", path: "/topics/999999/studies/1/answer", expect: guessed, body: formBody("accept", "1", "date", "2030-01-02")},
		{name: "api topics", method: "GET", path: "/api/v1/topics", expect: users},
		{name: "api post empty topic", method: "POST", path: "/api/v1/topics", expect: posters, body: jb(map[string]any{})},
		{name: "api guessed topic", method: "GET", path: "/api/v1/topics/999999", expect: guessed},
		{name: "api guessed topic save", method: "PUT", path: "/api/v1/topics/999999", expect: guessed, body: jb(map[string]any{"title": "矩阵订单"})},
		{name: "api guessed topic study answer", method: "POST", path: "/api/v1/topics/999999/studies/1/answer", expect: guessed, body: jb(map[string]any{"accept": true, "date": "2030-01-02"})},
	}
	for _, a := range topicActions {
		ps = append(ps,
			policy{name: "guessed topic " + a, method: "POST", path: "/topics/999999/" + a, expect: guessed, body: formBody()},
			policy{name: "api guessed topic " + a, method: "POST", path: "/api/v1/topics/999999/" + a, expect: guessed, body: jb(map[string]any{})})
	}
	for i := range ps {
		if ps[i].body == nil {
			ps[i].body = noBody
		}
	}
	return ps
}

var topicPageAPI = map[string]string{
	"GET /topics":                              "GET /api/v1/topics",
	"GET /topics/export.csv":                   "GET /api/v1/topics", // exports are the list as files
	"GET /topics/export.xlsx":                  "GET /api/v1/topics",
	"POST /topics":                             "POST /api/v1/topics",
	"GET /topics/{id}":                         "GET /api/v1/topics/{id}",
	"POST /topics/{id}/edit":                   "PUT /api/v1/topics/{id}",
	"POST /topics/{id}/studies/{study}/answer": "POST /api/v1/topics/{id}/studies/{study}/answer",
}

var topicPageOnly = map[string]string{
	"GET /topics/new":       "an empty form; its units are GET /api/v1/units",
	"GET /topics/{id}/edit": "the form of GET /api/v1/topics/{id}, saved by PUT /api/v1/topics/{id}",
}

func init() {
	for _, a := range topicActions {
		topicPageAPI["POST /topics/{id}/"+a] = "POST /api/v1/topics/{id}/" + a
	}
	for k, v := range topicPageAPI {
		pageAPI[k] = v
	}
	for k, v := range topicPageOnly {
		pageOnly[k] = v
	}
}

func isTopicRoute(rt string) bool {
	_, path, _ := strings.Cut(rt, " ")
	return strings.HasPrefix(path, "/topics") || strings.HasPrefix(path, "/api/v1/topics")
}

// TestTopicOpenAPISchemas holds topic.json's schemas to the handlers' types.
func TestTopicOpenAPISchemas(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		schema string
		v      any
		output bool
	}{
		{"Topic", apiTopic{}, true}, {"TopicDetail", apiTopicDetail{}, true}, {"TopicClaim", apiTopicClaim{}, true},
		{"TopicStudy", apiTopicStudy{}, true}, {"TopicProposal", apiTopicProposal{}, true}, {"TopicEvent", apiTopicEvent{}, true},
		{"TopicInput", apiTopicInput{}, false}, {"TopicActionInput", apiTopicActInput{}, false}, {"StudyAnswerInput", apiStudyAnswer{}, false},
	} {
		t.Run(c.schema, func(t *testing.T) { checkSchema(t, doc, c.schema, reflect.TypeOf(c.v), c.output) })
	}
}

// TestTopicPermissions: every topic route called with real orders by the
// roles that matter — anon, the member who claimed (proposer), another
// member (member2), the posting unit (unit1), another unit (unit2), the
// office, the admin and another committee's office — with what each may
// see (the contact phone only for the office, the poster and claimants).
func TestTopicPermissions(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		svc, ctx, f := ts.F.Svc, t.Context(), ts.F
		unit, office, claimant := f.Actor(f.UnitUsers[0]), f.Actor(f.Office), f.Actor(f.Members[0])
		const phone = "0571-88001234"
		post := func(title string) *zhengxie.TopicOrder {
			o, err := svc.PostTopic(ctx, unit, app.TopicInput{Title: title, Background: "早晚高峰公交准点率不高，换乘不便。", Needs: "希望委员就公交线网优化和接驳提出建议。",
				Deadline: "2030-06-30", ContactName: "钱科长", ContactPhone: phone})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		act := func(o *zhengxie.TopicOrder, a zhengxie.TopicAction, as zhengxie.Actor) {
			if _, err := svc.TopicAct(ctx, as, o.ID, a, app.TopicActInput{Reason: "理由"}); err != nil {
				t.Fatal(err)
			}
		}
		draft := post("矩阵草稿订单：公交站台遮阳")
		pending := post("矩阵待审订单：公交专用道")
		act(pending, zhengxie.TopicActSubmit, unit)
		pub := post("矩阵已发布订单：公交线网优化")
		act(pub, zhengxie.TopicActSubmit, unit)
		act(pub, zhengxie.TopicActPublish, office)
		claimed := post("矩阵已认领订单：社区微循环公交")
		act(claimed, zhengxie.TopicActSubmit, unit)
		act(claimed, zhengxie.TopicActPublish, office)
		if _, err := svc.ClaimTopic(ctx, claimant, claimed.ID, app.ClaimInput{}); err != nil {
			t.Fatal(err)
		}
		st, err := svc.RequestStudy(ctx, claimant, claimed.ID, "希望一同乘坐三条微循环线路。")
		if err != nil {
			t.Fatal(err)
		}
		id := func(o *zhengxie.TopicOrder) string { return fmt.Sprint(o.ID) }
		d, p, pb, c := id(draft), id(pending), id(pub), id(claimed)
		answer := "/topics/" + c + "/studies/" + fmt.Sprint(st.ID) + "/answer"
		apiAnswer := "/api/v1" + answer
		full := url.Values{"title": {"矩阵新订单：公交站牌"}, "background": {"站牌信息陈旧。"}, "needs": {"建议。"}, "deadline": {"2030-06-30"},
			"contact_name": {"钱科长"}, "contact_phone": {phone}}
		edited := url.Values{}
		for k, v := range full {
			edited[k] = v
		}
		edited.Set("title", "矩阵草稿订单：公交站台遮阳棚")
		cases := []contactCase{
			{"GET /topics", "GET", "/topics", roleAnon, nil, nil, 303, nil, nil},
			{"GET /topics", "GET", "/topics", roleMember2, nil, nil, 200, []string{"公交线网优化", "社区微循环公交", "可以由多位委员"}, []string{"公交专用道", "公交站台遮阳", phone}},
			{"GET /topics", "GET", "/topics", roleOffice, nil, nil, 200, []string{"公交专用道"}, []string{"公交站台遮阳"}},
			{"GET /topics", "GET", "/topics", roleUnit1, nil, nil, 200, []string{"公交站台遮阳", "公交专用道"}, nil},
			{"GET /topics", "GET", "/topics?q=" + url.QueryEscape("微循环"), roleMember2, nil, nil, 200, []string{"社区微循环公交"}, []string{"矩阵已发布订单"}},
			{"GET /topics", "GET", "/topics", roleOther, nil, nil, 200, nil, []string{"公交线网优化"}},
			{"GET /topics/export.csv", "GET", "/topics/export.csv", roleMember2, nil, nil, 200, []string{"公交线网优化"}, []string{"公交专用道", phone}},
			{"GET /topics/export.xlsx", "GET", "/topics/export.xlsx", roleOffice, nil, nil, 200, nil, nil},
			{"GET /topics/new", "GET", "/topics/new", roleUnit2, nil, nil, 200, []string{"发布订单式提案需求"}, nil},
			{"GET /topics/new", "GET", "/topics/new", roleProposer, nil, nil, 403, nil, nil},
			{"POST /topics", "POST", "/topics", roleProposer, full, nil, 403, nil, nil},
			{"POST /topics", "POST", "/topics", roleUnit2, url.Values{"title": {""}}, nil, 422, []string{"请填写订单题目"}, nil},
			{"POST /topics", "POST", "/topics", roleUnit2, full, nil, 303, nil, nil},
			{"GET /topics/{id}", "GET", "/topics/" + d, roleOffice, nil, nil, 404, nil, nil},
			{"GET /topics/{id}", "GET", "/topics/" + d, roleUnit1, nil, nil, 200, []string{"公交站台遮阳", phone}, nil},
			{"GET /topics/{id}", "GET", "/topics/" + p, roleMember2, nil, nil, 404, nil, nil},
			{"GET /topics/{id}", "GET", "/topics/" + p, roleOffice, nil, nil, 200, []string{"发布", "退回修改", phone}, nil},
			{"GET /topics/{id}", "GET", "/topics/" + pb, roleMember2, nil, nil, 200, []string{"认领订单", "认领后可见"}, []string{phone}},
			{"GET /topics/{id}", "GET", "/topics/" + c, roleProposer, nil, nil, 200, []string{phone, "根据订单撰写提案", "撤回认领"}, nil},
			{"GET /topics/{id}", "GET", "/topics/" + c, roleUnit2, nil, nil, 200, nil, []string{phone}},
			{"GET /topics/{id}", "GET", "/topics/" + c, roleAdmin, nil, nil, 200, []string{phone}, nil},
			{"GET /topics/{id}", "GET", "/topics/" + c, roleOther, nil, nil, 404, nil, []string{"社区微循环公交"}},
			{"GET /topics/{id}", "GET", "/topics/" + c, roleAnon, nil, nil, 303, nil, nil},
			{"GET /topics/{id}/edit", "GET", "/topics/" + d + "/edit", roleUnit1, nil, nil, 200, []string{"修改订单"}, nil},
			{"GET /topics/{id}/edit", "GET", "/topics/" + d + "/edit", roleUnit2, nil, nil, 404, nil, nil},
			{"GET /topics/{id}/edit", "GET", "/topics/" + p + "/edit", roleUnit1, nil, nil, 409, nil, nil},
			{"POST /topics/{id}/edit", "POST", "/topics/" + d + "/edit", roleUnit1, edited, nil, 303, nil, nil},
			{"POST /topics/{id}/edit", "POST", "/topics/" + d + "/edit", roleUnit1, url.Values{"title": {""}}, nil, 422, []string{"请填写订单题目"}, nil},
			{"POST /topics/{id}/submit", "POST", "/topics/" + d + "/submit", roleUnit2, url.Values{}, nil, 404, nil, nil},
			{"POST /topics/{id}/submit", "POST", "/topics/" + d + "/submit", roleUnit1, url.Values{}, nil, 303, nil, nil},
			{"POST /topics/{id}/publish", "POST", "/topics/" + p + "/publish", roleUnit1, url.Values{}, nil, 403, nil, nil},
			{"POST /topics/{id}/return", "POST", "/topics/" + p + "/return", roleOffice, url.Values{}, nil, 422, []string{"请填写退回修改的理由"}, nil},
			{"POST /topics/{id}/reject", "POST", "/topics/" + p + "/reject", roleOther, url.Values{"reason": {"不属于本会"}}, nil, 404, nil, nil},
			{"POST /topics/{id}/publish", "POST", "/topics/" + p + "/publish", roleOffice, url.Values{}, nil, 303, nil, nil},
			{"POST /topics/{id}/withdraw", "POST", "/topics/" + c + "/withdraw", roleUnit1, url.Values{}, nil, 409, []string{"不能撤回"}, nil},
			{"POST /topics/{id}/close", "POST", "/topics/" + c + "/close", roleOffice, url.Values{}, nil, 409, []string{"尚未到"}, nil},
			{"POST /topics/{id}/claim", "POST", "/topics/" + pb + "/claim", roleUnit2, url.Values{}, nil, 403, nil, nil},
			{"POST /topics/{id}/claim", "POST", "/topics/" + c + "/claim", roleProposer, url.Values{}, nil, 409, []string{"无需重复认领"}, nil},
			{"POST /topics/{id}/claim", "POST", "/topics/" + c + "/claim", roleMember2, url.Values{"kind": {"joint"}}, nil, 422, []string{"至少选择一位"}, nil},
			{"POST /topics/{id}/claim", "POST", "/topics/" + pb + "/claim", roleMember2, url.Values{"kind": {"individual"}}, nil, 303, nil, nil},
			{"POST /topics/{id}/study", "POST", "/topics/" + c + "/study", roleCosigner, url.Values{"note": {"想去调研"}}, nil, 403, nil, nil},
			{"POST /topics/{id}/study", "POST", "/topics/" + c + "/study", roleProposer, url.Values{}, nil, 422, []string{"请写明调研的内容"}, nil},
			{"POST /topics/{id}/unclaim", "POST", "/topics/" + pb + "/unclaim", roleProposer, url.Values{}, nil, 403, nil, nil},
			{"POST /topics/{id}/unclaim", "POST", "/topics/" + pb + "/unclaim", roleMember2, url.Values{}, nil, 303, nil, nil},
			{"POST /topics/{id}/studies/{study}/answer", "POST", answer, roleUnit2, url.Values{"accept": {"1"}, "date": {"2030-01-02"}}, nil, 403, nil, nil},
			{"POST /topics/{id}/studies/{study}/answer", "POST", answer, roleUnit1, url.Values{"accept": {"1"}, "date": {"明天"}}, nil, 422, []string{"请填写调研日期"}, nil},
			// The API.
			{"GET /api/v1/topics", "GET", "/api/v1/topics", roleAnon, nil, nil, 401, nil, nil},
			{"GET /api/v1/topics", "GET", "/api/v1/topics?state=claimed", roleMember2, nil, nil, 200, []string{"社区微循环公交"}, []string{"矩阵已发布订单", phone}},
			{"GET /api/v1/topics", "GET", "/api/v1/topics?state=moon", roleMember2, nil, nil, 422, []string{`"field":"state"`}, nil},
			{"POST /api/v1/topics", "POST", "/api/v1/topics", roleLeader, nil, map[string]any{"title": "领导发布"}, 403, nil, nil},
			{"POST /api/v1/topics", "POST", "/api/v1/topics", roleOffice, nil, map[string]any{"title": "代区政府办发布"}, 422, []string{`"field":"unit_id"`}, nil},
			{"POST /api/v1/topics", "POST", "/api/v1/topics", roleUnit1, nil, map[string]any{"title": "缺内容的订单", "submit": true}, 422, []string{`"draft_id"`, "草稿已保存"}, nil},
			{"POST /api/v1/topics", "POST", "/api/v1/topics", roleOffice, nil, map[string]any{"title": "代区委办发布：社区议事", "unit_id": f.Units[2].ID}, 201, []string{`"state":"draft"`, "区教育局"}, nil},
			{"GET /api/v1/topics/{id}", "GET", "/api/v1/topics/" + c, roleProposer, nil, nil, 200, []string{`"contact_phone":"` + phone, `"draft_url":"/proposals/new?order=` + c, `"unclaim"`}, nil},
			{"GET /api/v1/topics/{id}", "GET", "/api/v1/topics/" + c, roleMember2, nil, nil, 200, []string{`"sees_contact":false`}, []string{phone, "draft_url"}},
			{"GET /api/v1/topics/{id}", "GET", "/api/v1/topics/" + c, roleOther, nil, nil, 404, nil, nil},
			{"PUT /api/v1/topics/{id}", "PUT", "/api/v1/topics/" + c, roleUnit1, nil, map[string]any{"title": "改题目"}, 409, nil, nil},
			{"PUT /api/v1/topics/{id}", "PUT", "/api/v1/topics/" + c, roleMember2, nil, map[string]any{"title": "改题目"}, 403, nil, nil},
			{"POST /api/v1/topics/{id}/submit", "POST", "/api/v1/topics/" + pb + "/submit", roleUnit1, nil, map[string]any{}, 409, nil, nil},
			{"POST /api/v1/topics/{id}/publish", "POST", "/api/v1/topics/" + pb + "/publish", roleAdmin, nil, map[string]any{}, 403, nil, nil},
			{"POST /api/v1/topics/{id}/return", "POST", "/api/v1/topics/" + pb + "/return", roleOffice, nil, map[string]any{"reason": "x"}, 409, nil, nil},
			{"POST /api/v1/topics/{id}/reject", "POST", "/api/v1/topics/" + pb + "/reject", roleUnit1, nil, map[string]any{"reason": "x"}, 403, nil, nil},
			{"POST /api/v1/topics/{id}/withdraw", "POST", "/api/v1/topics/" + pb + "/withdraw", roleUnit2, nil, map[string]any{}, 403, nil, nil},
			{"POST /api/v1/topics/{id}/close", "POST", "/api/v1/topics/" + pb + "/close", roleUnit1, nil, map[string]any{}, 403, nil, nil},
			{"POST /api/v1/topics/{id}/claim", "POST", "/api/v1/topics/" + pb + "/claim", roleCosigner, nil, map[string]any{"kind": "joint", "member_ids": []int64{f.Members[3].ID}}, 200, []string{`"kind":"joint"`, f.Members[3].Name}, nil},
			{"POST /api/v1/topics/{id}/claim", "POST", "/api/v1/topics/" + pb + "/claim", roleOther, nil, map[string]any{}, 404, nil, nil},
			{"POST /api/v1/topics/{id}/unclaim", "POST", "/api/v1/topics/" + pb + "/unclaim", roleMember2, nil, map[string]any{}, 403, nil, nil},
			{"POST /api/v1/topics/{id}/study", "POST", "/api/v1/topics/" + pb + "/study", roleCosigner, nil, map[string]any{"note": "希望到公交公司调度中心调研。"}, 200, []string{`"state":"requested"`}, nil},
			{"POST /api/v1/topics/{id}/studies/{study}/answer", "POST", apiAnswer, roleOffice, nil, map[string]any{"accept": true, "date": "2030-01-02"}, 403, nil, nil},
			{"POST /api/v1/topics/{id}/studies/{study}/answer", "POST", apiAnswer, roleUnit1, nil, map[string]any{"accept": true, "date": "2030-01-02"}, 200, []string{`"date":"2030-01-02"`}, nil},
			{"POST /api/v1/topics/{id}/studies/{study}/answer", "POST", apiAnswer, roleUnit1, nil, map[string]any{"accept": false, "note": "再答一次"}, 409, nil, nil},
		}
		callers := map[string]*caller{}
		covered := map[string]bool{}
		for _, c := range cases {
			who := callers[c.as]
			if who == nil {
				who = ts.session(c.as)
				callers[c.as] = who
			}
			r := ts.do(req{Method: c.method, Path: c.path, As: who, Form: c.form, JSON: c.json})
			covered[c.route] = true
			if r.Status != c.status {
				t.Errorf("%s %s as %s: %d, want %d: %.300s", c.method, c.path, c.as, r.Status, c.status, r.Body)
				continue
			}
			for _, s := range c.has {
				if !strings.Contains(r.Body, s) {
					t.Errorf("%s %s as %s: body lacks %q", c.method, c.path, c.as, s)
				}
			}
			for _, s := range c.hasNot {
				if strings.Contains(r.Body, s) {
					t.Errorf("%s %s as %s: body shows %q", c.method, c.path, c.as, s)
				}
			}
		}
		for _, rt := range parseRoutes(t, "routes") {
			if isTopicRoute(rt) && !covered[rt] {
				t.Errorf("route %s has no permission scenario", rt)
			}
		}
	})
}
