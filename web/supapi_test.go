package web

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// The JSON API of supervision, notifications, the admin's jobs and webhooks
// and the office's helpers: their rows in the permission matrix, a walk
// through each feature over the API, and the test that every page feature
// has an API counterpart.

// moduleAPIPolicies are the permission rows of these routes (columns as in
// permissions_test.go: anon proposer cosigner member2 unit1 unit2 office
// leader admin other). Ids of objects the rows do not build are guesses
// (999999).
func moduleAPIPolicies() []policy {
	users := "L A A A A A A A A A"
	office := "L D D D D D A A A A"
	units := "L D D D A A A A A A"
	adminOnly := "L D D D D D D D A D"
	adminGuess := "L D D D D D D D N D"
	empty := jsonBody(map[string]any{})
	return []policy{
		{name: "api supervision dashboard", method: "GET", path: "/api/v1/supervision/dashboard", expect: office},
		{name: "api supervision tasks", method: "GET", path: "/api/v1/supervision/tasks", expect: units},
		{name: "api supervision tasks list", method: "GET", path: "/api/v1/supervision/tasks", kind: kTaskPending, expect: "L D D D A N A A A N", list: true, mark: `"proposal_id":{p},`},
		{name: "api overdue", method: "GET", path: "/api/v1/supervision/overdue", expect: units},
		{name: "api due soon", method: "GET", path: "/api/v1/supervision/due-soon", expect: units},
		{name: "api task deadline", method: "GET", path: "/api/v1/tasks/{task}/deadline", kind: kTaskPending, expect: "L N N N A N A A A N"},
		{name: "api request extension", method: "POST", path: "/api/v1/tasks/{task}/extensions", kind: kTaskPending, expect: "L D D D V N D D D D",
			body: jsonBody(map[string]any{"due": "2099-01-01", "reason": "需要更多时间"})},
		{name: "api extensions", method: "GET", path: "/api/v1/extensions", expect: office},
		{name: "api approve a guessed extension", method: "POST", path: "/api/v1/extensions/999999/approve", expect: "L D D D D D N D D N", body: empty},
		{name: "api refuse a guessed extension", method: "POST", path: "/api/v1/extensions/999999/refuse", expect: "L D D D D D N D D N", body: jsonBody(map[string]any{"note": "理由不充分"})},
		{name: "api key proposals", method: "GET", path: "/api/v1/key-proposals", expect: office},
		{name: "api key candidates", method: "GET", path: "/api/v1/key-proposals/candidates", expect: "L D D D D D A D D A"},
		{name: "api propose key without a proposal", method: "POST", path: "/api/v1/key-proposals", expect: "L D D D D D V D D V", body: empty},
		{name: "api decide keys without ids", method: "POST", path: "/api/v1/key-proposals/decide", expect: "L D D D D D D V D D", body: jsonBody(map[string]any{"decision": "approve"})},
		{name: "api decide keys without a decision", method: "POST", path: "/api/v1/key-proposals/decide", expect: "L D D D D D D V D D", body: empty},
		{name: "api key proposal (not key)", method: "GET", path: "/api/v1/key-proposals/{p}", kind: kTaskPending, expect: "L N N N N N N N N N"},
		{name: "api key leader (not key)", method: "PUT", path: "/api/v1/key-proposals/{p}/leader", kind: kTaskPending, expect: "L N N N N N N N N N", body: empty},
		{name: "api key steps (not key)", method: "POST", path: "/api/v1/key-proposals/{p}/steps", kind: kTaskPending, expect: "L N N N N N N N N N", body: empty},
		{name: "api key step done (not key)", method: "POST", path: "/api/v1/key-proposals/{p}/steps/999999/done", kind: kTaskPending, expect: "L N N N N N N N N N", body: empty},
		{name: "api key notes (not key)", method: "POST", path: "/api/v1/key-proposals/{p}/notes", kind: kTaskPending, expect: "L N N N N N N N N N", body: empty},
		{name: "api evaluation", method: "GET", path: "/api/v1/evaluation", expect: office},
		{name: "api evaluation export", method: "GET", path: "/api/v1/evaluation/export.xlsx", expect: office},
		{name: "api evaluation of unit 1", method: "GET", path: "/api/v1/evaluation/units/{unit1}", expect: "L D D D A D A A A N"},
		{name: "api evaluation criteria", method: "GET", path: "/api/v1/evaluation/criteria", expect: office},
		{name: "api save empty criteria", method: "PUT", path: "/api/v1/evaluation/criteria", expect: "L D D D D D V D V V", body: empty},
		{name: "api deadline settings", method: "GET", path: "/api/v1/admin/deadline-settings", expect: "L D D D D D A D A A"},
		{name: "api save empty deadline settings", method: "PUT", path: "/api/v1/admin/deadline-settings", expect: "L D D D D D D D V D", body: empty},
		{name: "api unit leader", method: "PUT", path: "/api/v1/units/{unit1}/leader", expect: "L D D D D D A D A N", body: empty},
		{name: "api notifications", method: "GET", path: "/api/v1/notifications", expect: users},
		{name: "api unread notifications", method: "GET", path: "/api/v1/notifications/unread", expect: users},
		{name: "api mark all read", method: "POST", path: "/api/v1/notifications/read", expect: users},
		{name: "api mark a guessed notification read", method: "POST", path: "/api/v1/notifications/999999/read", expect: "L N N N N N N N N N"},
		{name: "api notification settings", method: "GET", path: "/api/v1/me/notification-settings", expect: users},
		{name: "api save notification settings", method: "PUT", path: "/api/v1/me/notification-settings", expect: users, body: empty},
		{name: "api jobs", method: "GET", path: "/api/v1/admin/jobs", expect: adminOnly},
		{name: "api retry a guessed job", method: "POST", path: "/api/v1/admin/jobs/999999/retry", expect: "L D D D D D D D V D"},
		{name: "api webhooks", method: "GET", path: "/api/v1/admin/webhooks", expect: adminOnly},
		{name: "api add an empty webhook", method: "POST", path: "/api/v1/admin/webhooks", expect: "L D D D D D D D V D", body: empty},
		{name: "api guessed webhook", method: "GET", path: "/api/v1/admin/webhooks/999999", expect: adminGuess},
		{name: "api change a guessed webhook", method: "PUT", path: "/api/v1/admin/webhooks/999999", expect: adminGuess, body: empty},
		{name: "api delete a guessed webhook", method: "DELETE", path: "/api/v1/admin/webhooks/999999", expect: adminGuess},
		{name: "api deliveries of a guessed webhook", method: "GET", path: "/api/v1/admin/webhooks/999999/deliveries", expect: adminGuess},
		{name: "api ping a guessed webhook", method: "POST", path: "/api/v1/admin/webhooks/999999/ping", expect: adminGuess},
		{name: "api redeliver a guessed delivery", method: "POST", path: "/api/v1/admin/deliveries/999999/redeliver", expect: adminGuess},
		{name: "api merge suggestions", method: "GET", path: "/api/v1/review/merge-suggestions", expect: "L D D D D D A A D A"},
		{name: "api suggestions", method: "GET", path: "/api/v1/proposals/{p}/suggestions", kind: kReview, expect: "L D N N N N A A D N"},
		{name: "api set category", method: "PUT", path: "/api/v1/proposals/{p}/category", kind: kReview, expect: "L D N N N N A D D N", body: jsonBody(map[string]any{"category": "教育事业"})},
		{name: "api proposal terms", method: "GET", path: "/api/v1/proposals/{p}/terms", kind: kReview, expect: "L A N N N N A A A N"},
		{name: "api sessions", method: "GET", path: "/api/v1/sessions", expect: users},
		{name: "api session terms", method: "GET", path: "/api/v1/sessions/0/terms", expect: office},
		{name: "api accounts", method: "GET", path: "/api/v1/admin/users", expect: adminOnly},
		{name: "api create account", method: "POST", path: "/api/v1/admin/users", expect: adminOnly,
			body: func(ts *testServer, _ obj, _ string) any {
				return map[string]any{"username": "api" + sid(ts.seq.Add(1)), "name": "新委员", "role": "member"}
			}},
		{name: "api account reset", method: "POST", path: "/api/v1/admin/users/{p}/reset", kind: kUser, expect: adminOnly},
		{name: "api account logout", method: "POST", path: "/api/v1/admin/users/{p}/logout", kind: kUser, expect: adminOnly},
		{name: "api account disable", method: "POST", path: "/api/v1/admin/users/{p}/disable", kind: kUser, expect: adminOnly},
		{name: "api account enable", method: "POST", path: "/api/v1/admin/users/{p}/enable", kind: kUser, expect: adminOnly},
		{name: "api account totp off", method: "POST", path: "/api/v1/admin/users/{p}/totp_off", kind: kUser, expect: adminOnly},
		{name: "api account role", method: "PUT", path: "/api/v1/admin/users/{p}/role", kind: kUser, expect: adminOnly, body: jsonBody(map[string]any{"role": "leader"})},
		{name: "api reset another committee's user", method: "POST", path: "/api/v1/admin/users/{p}/reset", kind: kOtherUser, expect: "L D D D D D D D N D"},
		{name: "api change my password", method: "POST", path: "/api/v1/me/password", expect: users,
			body: jsonBody(map[string]any{"old": testenv.Password, "password": "Zhengxie2027b"}),
			after: func(ts *testServer, role string) {
				if u := ts.users[role]; u != nil {
					ts.F.Svc.Store.InTx(context.Background(), func(tx *store.Tx) error { return tx.SetPassword(u.ID, app.HashPassword(testenv.Password)) })
				}
			}},
		{name: "api begin second factor", method: "POST", path: "/api/v1/me/totp/begin", expect: "L D D D D D A A A A"},
		// The service checks the code before the role: a member has no secret
		// to confirm, so any code is wrong for them, which tells nothing.
		{name: "api enable second factor without a code", method: "POST", path: "/api/v1/me/totp/enable", expect: "L V V V V V V V V V", body: empty},
		{name: "api disable second factor", method: "POST", path: "/api/v1/me/totp/disable", expect: users},
		{name: "api my data", method: "GET", path: "/api/v1/me/export", expect: users},
	}
}

// TestSupervisionAPIWalk goes through the supervision features over the API
// only, as an integration would: deadlines and an extension, a key proposal
// from the office's proposal to the leader's approval and its file, the
// unit's reply carrying its letter, notifications, evaluation, webhooks.
func TestSupervisionAPIWalk(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		ts := newTestServer(t, dsn)
		office, leader, unit, admin, member := ts.bearer(roleOffice), ts.bearer(roleLeader), ts.bearer(roleUnit1), ts.bearer(roleAdmin), ts.bearer(roleProposer)
		o := ts.build(kTaskAccepted)

		// Deadlines: the unit sees its task on its board and asks for more time.
		r := ts.do(req{Method: "GET", Path: "/api/v1/supervision/tasks", As: unit})
		ts.expect(r, http.StatusOK, `"proposal_id":`+sid(o.P)+`,`)
		r = ts.do(req{Method: "GET", Path: "/api/v1/tasks/" + sid(o.Task) + "/deadline", As: unit})
		ts.expect(r, http.StatusOK, `"can_request":true`)
		var dl apiTaskDeadline
		r.decode(t, &dl)
		due, err := zhengxie.ParseDate(dl.Due)
		if err != nil {
			t.Fatalf("deadline %q: %v", dl.Due, err)
		}
		newDue := due.AddDays(20).String()
		r = ts.do(req{Method: "POST", Path: "/api/v1/tasks/" + sid(o.Task) + "/extensions", As: unit, JSON: map[string]any{"due": newDue, "reason": "需会同多个部门调研"}})
		ts.expect(r, http.StatusCreated, `"state":"pending"`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/tasks/" + sid(o.Task) + "/extensions", As: unit, JSON: map[string]any{"due": newDue, "days": 20}}),
			http.StatusUnprocessableEntity, "未知字段")
		var ext apiExtension
		r.decode(t, &ext)
		r = ts.do(req{Method: "GET", Path: "/api/v1/extensions", As: office})
		ts.expect(r, http.StatusOK, `"id":`+sid(ext.ID)+`,`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/supervision/dashboard", As: office}), http.StatusOK, `"pending_extensions":1`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/extensions/" + sid(ext.ID) + "/approve", As: unit, JSON: map[string]any{}}), http.StatusForbidden)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/extensions/" + sid(ext.ID) + "/approve", As: office, JSON: map[string]any{"note": "同意"}}),
			http.StatusOK, `"state":"approved"`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tasks/" + sid(o.Task) + "/deadline", As: unit}), http.StatusOK, `"due":"`+newDue+`"`)
		// A second request is refused, with the office's reason.
		r = ts.do(req{Method: "POST", Path: "/api/v1/tasks/" + sid(o.Task) + "/extensions", As: unit, JSON: map[string]any{"due": due.AddDays(30).String(), "reason": "再延十天"}})
		ts.expect(r, http.StatusCreated)
		r.decode(t, &ext)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/extensions/" + sid(ext.ID) + "/refuse", As: office, JSON: map[string]any{"note": "已延期一次，请按期答复"}}),
			http.StatusOK, `"state":"refused"`, "已延期一次")
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/extensions?state=all", As: office}), http.StatusOK, `"total":2`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/tasks/" + sid(o.Task) + "/deadline", As: unit}), http.StatusOK, `"due":"`+newDue+`"`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/supervision/due-soon", As: office}), http.StatusOK, `"items":`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/supervision/tasks?bucket=someday", As: office}), http.StatusUnprocessableEntity, `"field":"bucket"`)

		// Key proposals: proposing does not make a proposal key; a leader's approval does.
		r = ts.do(req{Method: "GET", Path: "/api/v1/key-proposals/candidates", As: office})
		ts.expect(r, http.StatusOK, `"id":`+sid(o.P)+`,`)
		r = ts.do(req{Method: "POST", Path: "/api/v1/key-proposals", As: office, JSON: map[string]any{"proposal_id": o.P, "leader_id": ts.F.Leader.ID, "reason": "群众关注度高"}})
		ts.expect(r, http.StatusCreated, `"state":"proposed"`)
		var key apiKeyProposal
		r.decode(t, &key)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P), As: office}), http.StatusOK, `"key":false`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/key-proposals/decide", As: office, JSON: map[string]any{"ids": []int64{key.ID}, "decision": "approve"}}), http.StatusForbidden)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/key-proposals/decide", As: leader, JSON: map[string]any{"ids": []int64{key.ID}, "decision": "approve", "note": "主席会议同意"}}),
			http.StatusOK, `"decided":1`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P), As: office}), http.StatusOK, `"key":true`)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals?key=1", As: leader}), http.StatusOK, `"total":1`)
		kp := "/api/v1/key-proposals/" + sid(key.ID)
		ts.expect(ts.do(req{Method: "PUT", Path: kp + "/leader", As: office, JSON: map[string]any{"leader_id": ts.F.Leader.ID}}), http.StatusOK, `"leader_id":`+sid(ts.F.Leader.ID))
		r = ts.do(req{Method: "POST", Path: kp + "/steps", As: office, JSON: map[string]any{"kind": "调研", "title": "赴现场调研", "planned_on": testToday()}})
		ts.expect(r, http.StatusCreated, "赴现场调研")
		var kd apiKeyDetail
		r.decode(t, &kd)
		if len(kd.Steps) != 1 {
			t.Fatalf("steps %+v", kd.Steps)
		}
		ts.expect(ts.do(req{Method: "POST", Path: kp + "/steps/" + sid(kd.Steps[0].ID) + "/done", As: office, JSON: map[string]any{"done_on": testToday(), "note": "已调研"}}),
			http.StatusOK, `"done":true`)
		ts.expect(ts.do(req{Method: "POST", Path: kp + "/notes", As: unit, JSON: map[string]any{"text": "已形成初步方案"}}), http.StatusCreated, "已形成初步方案")
		// Who before what: a member cannot see the file (404, whatever the
		// body); the admin sees it but does not plan supervision (403).
		ts.expect(ts.do(req{Method: "POST", Path: kp + "/notes", As: member, JSON: map[string]any{}}), http.StatusNotFound)
		ts.expect(ts.do(req{Method: "POST", Path: kp + "/steps", As: admin, JSON: map[string]any{}}), http.StatusForbidden)
		ts.expect(ts.do(req{Method: "GET", Path: kp, As: ts.bearer(roleUnit2)}), http.StatusNotFound)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/key-proposals", As: leader}), http.StatusOK, `"approved":1`)

		// The unit's reply over the API carries its letter, as the page's form does.
		r = ts.do(req{Method: "POST", Path: "/api/v1/tasks/" + sid(o.Task) + "/reply", As: unit,
			Form: map[string][]string{"result_class": {"A"}, "text": {"已采纳，年内完成改造。"}},
			File: &fileUpload{Field: "file", Name: "答复函.pdf", Data: []byte("%PDF-1.4\n% 答复函\n")}})
		ts.expect(r, http.StatusOK, `"state":"replied"`, `"result_class":"A"`)
		r = ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P), As: office})
		ts.expect(r, http.StatusOK, `"name":"答复函.pdf"`, `"task_id":`+sid(o.Task))
		// A letter the checks refuse is a field error, and nothing is replied.
		o2 := ts.build(kTaskAccepted)
		r = ts.do(req{Method: "POST", Path: "/api/v1/tasks/" + sid(o2.Task) + "/reply", As: unit,
			Form: map[string][]string{"result_class": {"A"}, "text": {"已采纳。"}},
			File: &fileUpload{Field: "file", Name: "答复函.pdf", Data: append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)}})
		ts.expect(r, http.StatusUnprocessableEntity, `"field":"file"`)
		if tk, err := ts.F.Svc.Store.Task(context.Background(), ts.F.Committee.ID, o2.Task); err != nil || tk.State != zhengxie.TaskAccepted {
			t.Errorf("after a refused letter the task is %+v (%v)", tk, err)
		}

		// A browser session may send the letter too (the CSRF token in the header).
		o3 := ts.build(kTaskAccepted)
		r = ts.do(req{Method: "POST", Path: "/api/v1/tasks/" + sid(o3.Task) + "/reply", As: ts.session(roleUnit1),
			Form: map[string][]string{"result_class": {"B"}, "text": {"已列入明年计划。"}},
			File: &fileUpload{Field: "file", Name: "答复函.txt", Data: []byte("答复函：已列入明年计划。")}})
		ts.expect(r, http.StatusOK, `"state":"replied"`)
		if as, err := ts.F.Svc.Store.Attachments(context.Background(), ts.F.Committee.ID, o3.P); err != nil || len(as) != 1 || as[0].TaskID != o3.Task {
			t.Errorf("the letter sent with a session is not the task's attachment: %+v (%v)", as, err)
		}

		// The proposal page offers no direct key marking, to anyone.
		for _, role := range []string{roleOffice, roleLeader} {
			r = ts.do(req{Method: "GET", Path: "/proposals/" + sid(o3.P), As: ts.session(role)})
			ts.expect(r, http.StatusOK)
			for _, bad := range []string{"/mark_key", "列为重点提案", "取消重点提案"} {
				if strings.Contains(r.Body, bad) {
					t.Errorf("the proposal page as %s still offers %q", role, bad)
				}
			}
		}
		r = ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o3.P), As: office})
		if strings.Contains(r.Body, `"mark_key"`) || strings.Contains(r.Body, `"unmark_key"`) {
			t.Errorf("the API still lists a direct key marking: %s", r)
		}

		// The proposer was told; the API reads and marks the messages.
		r = ts.do(req{Method: "GET", Path: "/api/v1/notifications?unread=1", As: member})
		ts.expect(r, http.StatusOK, `"read":false`)
		var nl struct {
			Items  []apiNotification `json:"items"`
			Unread int               `json:"unread"`
		}
		r.decode(t, &nl)
		if nl.Unread == 0 || len(nl.Items) == 0 {
			t.Fatalf("the proposer has no unread notifications: %s", r)
		}
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/notifications/" + sid(nl.Items[0].ID) + "/read", As: member}), http.StatusNoContent)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/notifications/" + sid(nl.Items[0].ID) + "/read", As: unit}), http.StatusNotFound)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/notifications/unread", As: member}), http.StatusOK, `"unread":`+sid(int64(nl.Unread-1))+`}`)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/notifications/read", As: member}), http.StatusNoContent)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/notifications/unread", As: member}), http.StatusOK, `"unread":0`)
		ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/me/notification-settings", As: member, JSON: map[string]any{"want_email": true, "email": "wy@example.cn"}}),
			http.StatusOK, `"want_email":true`, "wy@example.cn")
		ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/me/notification-settings", As: member, JSON: map[string]any{"want_sms": true}}), http.StatusUnprocessableEntity)

		// Evaluation: criteria, ranking, a unit's breakdown, the spreadsheet.
		r = ts.do(req{Method: "GET", Path: "/api/v1/evaluation/criteria", As: office})
		ts.expect(r, http.StatusOK, `"weights"`)
		var cr apiCriteria
		r.decode(t, &cr)
		cr.Weights.Contact++
		ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/evaluation/criteria", As: office, JSON: cr.Weights}), http.StatusOK, `"contact":`+sid(int64(cr.Weights.Contact)))
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/evaluation", As: leader}), http.StatusOK, `"unit_id":`+sid(ts.F.Units[0].ID))
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/evaluation/units/" + sid(ts.F.Units[0].ID), As: unit}), http.StatusOK, `"task_id":`+sid(o.Task))
		r = ts.do(req{Method: "GET", Path: "/api/v1/evaluation/export.xlsx", As: office})
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("evaluation export: %d, body starts %q", r.Status, r.Body[:min(len(r.Body), 4)])
		}
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/evaluation?year=20x6", As: office}), http.StatusUnprocessableEntity, `"field":"year"`)

		// Webhooks and jobs: a subscription, a ping queued, the delivery redelivered.
		r = ts.do(req{Method: "POST", Path: "/api/v1/admin/webhooks", As: admin, JSON: map[string]any{"name": "区政协门户", "url": "http://127.0.0.1:1/hook", "events": []string{"task.replied"}}})
		ts.expect(r, http.StatusCreated, `"secret":"`, `"active":true`)
		var wh apiWebhook
		r.decode(t, &wh)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/admin/webhooks/" + sid(wh.ID), As: admin}), http.StatusOK, `"secret_hint":"`+wh.Secret[:4])
		if r := ts.do(req{Method: "GET", Path: "/api/v1/admin/webhooks/" + sid(wh.ID), As: admin}); strings.Contains(r.Body, wh.Secret) {
			t.Error("the secret is shown again after creation")
		}
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/admin/webhooks/" + sid(wh.ID) + "/ping", As: admin}), http.StatusAccepted, `"queued":true`)
		r = ts.do(req{Method: "GET", Path: "/api/v1/admin/jobs?kind=webhook", As: admin})
		ts.expect(r, http.StatusOK, `"kind":"webhook"`)
		ts.F.Svc.Jobs().RunDue(context.Background())
		r = ts.do(req{Method: "GET", Path: "/api/v1/admin/webhooks/" + sid(wh.ID) + "/deliveries", As: admin})
		ts.expect(r, http.StatusOK, `"event":"ping"`, `"ok":false`)
		var dls struct {
			Items []apiDelivery `json:"items"`
		}
		r.decode(t, &dls)
		if len(dls.Items) == 0 {
			t.Fatal("no delivery recorded")
		}
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/admin/deliveries/" + sid(dls.Items[0].ID) + "/redeliver", As: admin}), http.StatusAccepted)
		ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/admin/jobs/" + sid(dls.Items[0].JobID) + "/retry", As: admin}), http.StatusAccepted)
		ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/admin/webhooks/" + sid(wh.ID), As: admin, JSON: map[string]any{"name": "门户网站", "url": "http://127.0.0.1:1/hook", "events": []string{"*"}, "active": false}}),
			http.StatusOK, `"active":false`, "门户网站")
		ts.expect(ts.do(req{Method: "DELETE", Path: "/api/v1/admin/webhooks/" + sid(wh.ID), As: admin}), http.StatusNoContent)
		ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/admin/webhooks/" + sid(wh.ID), As: admin}), http.StatusNotFound)

		// Deadline rules and a unit's supervising leader.
		r = ts.do(req{Method: "GET", Path: "/api/v1/admin/deadline-settings", As: admin})
		ts.expect(r, http.StatusOK, `"task_months":`)
		var ds apiDeadlineSettings
		r.decode(t, &ds)
		ds.Rules.EscalateAfterDays++
		ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/admin/deadline-settings", As: admin, JSON: apiDeadlineSettingsInput{Rules: ds.Rules, Calendar: ds.Calendar}}),
			http.StatusOK, `"escalate_after_days":`+sid(int64(ds.Rules.EscalateAfterDays)))
		ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/units/" + sid(ts.F.Units[1].ID) + "/leader", As: office, JSON: map[string]any{"leader_id": ts.F.Leader.ID}}), http.StatusNoContent)
	})
}

// TestIntelligenceAPI: the office's helpers over the API.
func TestIntelligenceAPI(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	office, member := ts.bearer(roleOffice), ts.bearer(roleProposer)
	o := ts.build(kReview)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/review/merge-suggestions", As: office}), http.StatusOK, `"items":`)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P) + "/suggestions", As: office}), http.StatusOK, `"category_basis":`)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P) + "/suggestions", As: member}), http.StatusForbidden)
	ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/proposals/" + sid(o.P) + "/category", As: office, JSON: map[string]any{"category": "教育事业", "suggested": true}}),
		http.StatusOK, `"category":"教育事业"`)
	ts.expect(ts.do(req{Method: "PUT", Path: "/api/v1/proposals/" + sid(o.P) + "/category", As: office, JSON: map[string]any{"category": "不存在的类别"}}), http.StatusUnprocessableEntity)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P) + "/terms", As: member}), http.StatusOK, `"terms":[`)
	// A joint proposal's JSON carries the co-sign deadline; a single one's does not.
	c := ts.build(kCosign)
	r := ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(c.P), As: member})
	ts.expect(r, http.StatusOK, `"cosign_due":"`)
	if r := ts.do(req{Method: "GET", Path: "/api/v1/proposals/" + sid(o.P), As: member}); strings.Contains(r.Body, "cosign_due") {
		t.Errorf("a proposal without co-signers has a co-sign deadline: %s", r)
	}
	r = ts.do(req{Method: "GET", Path: "/api/v1/sessions", As: office})
	ts.expect(r, http.StatusOK, `"name":`)
	var ss struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	r.decode(t, &ss)
	if len(ss.Items) == 0 {
		t.Fatal("no sessions")
	}
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/sessions/" + sid(ss.Items[0].ID) + "/terms?limit=5", As: office}), http.StatusOK, `"proposals":`)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/sessions/99999/terms", As: office}), http.StatusNotFound)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/sessions/0/terms", As: member}), http.StatusForbidden)
}

// pageAPI pairs each page feature (a POST route, or a GET page that shows
// data) with the API route that offers the same.
var pageAPI = map[string]string{
	"GET /{$}":                                   "GET /api/v1/proposals", // the desk: one's proposals, tasks, messages
	"POST /login":                                "POST /api/v1/login",
	"POST /logout":                               "POST /api/v1/logout",
	"GET /proposals":                             "GET /api/v1/proposals",
	"POST /proposals":                            "POST /api/v1/proposals",
	"GET /proposals/{id}":                        "GET /api/v1/proposals/{id}",
	"POST /proposals/{id}/edit":                  "PUT /api/v1/proposals/{id}",
	"POST /proposals/{id}/attachments":           "POST /api/v1/proposals/{id}/attachments",
	"POST /proposals/{id}/category":              "PUT /api/v1/proposals/{id}/category",
	"GET /review":                                "GET /api/v1/review/merge-suggestions", // the queues are GET /api/v1/proposals?state=
	"GET /tasks":                                 "GET /api/v1/tasks",
	"GET /public":                                "GET /api/v1/public/proposals",
	"GET /public/proposals/{id}":                 "GET /api/v1/public/proposals/{id}",
	"GET /search":                                "GET /api/v1/search",
	"GET /notifications":                         "GET /api/v1/notifications",
	"GET /settings/notifications":                "GET /api/v1/me/notification-settings",
	"POST /settings/notifications":               "PUT /api/v1/me/notification-settings",
	"GET /supervision":                           "GET /api/v1/supervision/dashboard",
	"GET /supervision/tasks":                     "GET /api/v1/supervision/tasks",
	"GET /supervision/overdue":                   "GET /api/v1/supervision/overdue",
	"GET /supervision/deadlines":                 "GET /api/v1/supervision/tasks",
	"GET /supervision/tasks/{id}":                "GET /api/v1/tasks/{id}/deadline",
	"POST /supervision/tasks/{id}/extension":     "POST /api/v1/tasks/{id}/extensions",
	"GET /supervision/extensions":                "GET /api/v1/extensions",
	"POST /supervision/extensions/{id}/approve":  "POST /api/v1/extensions/{id}/approve",
	"POST /supervision/extensions/{id}/refuse":   "POST /api/v1/extensions/{id}/refuse",
	"GET /key-proposals":                         "GET /api/v1/key-proposals",
	"POST /key-proposals":                        "POST /api/v1/key-proposals",
	"POST /key-proposals/decide":                 "POST /api/v1/key-proposals/decide",
	"GET /key-proposals/{id}":                    "GET /api/v1/key-proposals/{id}",
	"POST /key-proposals/{id}/leader":            "PUT /api/v1/key-proposals/{id}/leader",
	"POST /key-proposals/{id}/steps":             "POST /api/v1/key-proposals/{id}/steps",
	"POST /key-proposals/{id}/steps/{step}/done": "POST /api/v1/key-proposals/{id}/steps/{step}/done",
	"POST /key-proposals/{id}/notes":             "POST /api/v1/key-proposals/{id}/notes",
	"GET /evaluation":                            "GET /api/v1/evaluation",
	"GET /evaluation/export.xlsx":                "GET /api/v1/evaluation/export.xlsx",
	"GET /evaluation/units/{id}":                 "GET /api/v1/evaluation/units/{id}",
	"POST /evaluation/criteria":                  "PUT /api/v1/evaluation/criteria",
	"GET /admin/holidays":                        "GET /api/v1/admin/deadline-settings",
	"POST /admin/holidays":                       "PUT /api/v1/admin/deadline-settings",
	"POST /admin/units/{id}/leader":              "PUT /api/v1/units/{id}/leader",
	"GET /admin/jobs":                            "GET /api/v1/admin/jobs",
	"POST /admin/jobs/{id}/retry":                "POST /api/v1/admin/jobs/{id}/retry",
	"GET /admin/webhooks":                        "GET /api/v1/admin/webhooks",
	"POST /admin/webhooks":                       "POST /api/v1/admin/webhooks",
	"GET /admin/webhooks/{id}":                   "GET /api/v1/admin/webhooks/{id}/deliveries",
	"POST /admin/webhooks/{id}":                  "PUT /api/v1/admin/webhooks/{id}",
	"POST /admin/webhooks/{id}/delete":           "DELETE /api/v1/admin/webhooks/{id}",
	"POST /admin/webhooks/{id}/ping":             "POST /api/v1/admin/webhooks/{id}/ping",
	"POST /admin/deliveries/{id}/redeliver":      "POST /api/v1/admin/deliveries/{id}/redeliver",
	"GET /admin/users":                           "GET /api/v1/admin/users",
	"POST /admin/users":                          "POST /api/v1/admin/users",
	"POST /admin/users/{id}/{action}":            "POST /api/v1/admin/users/{id}/reset", // and logout, disable, enable, totp_off; PUT …/role
	"GET /me":                                    "GET /api/v1/me",
	"POST /me/password":                          "POST /api/v1/me/password",
	"POST /me/tokens":                            "POST /api/v1/tokens",
	"POST /me/tokens/revoke_all":                 "DELETE /api/v1/tokens",
	"POST /me/tokens/{id}/revoke":                "DELETE /api/v1/tokens/{id}",
	"POST /me/totp":                              "POST /api/v1/me/totp/begin", // and …/enable, …/disable
	"GET /me/export":                             "GET /api/v1/me/export",
	"GET /admin/dictionary":                      "GET /api/v1/dictionary",
	"POST /admin/dictionary":                     "POST /api/v1/dictionary/words",
	"POST /admin/dictionary/rebuild":             "POST /api/v1/dictionary/rebuild",
	"GET /attachments/{id}":                      "GET /attachments/{id}", // one download URL for both (the API's attachments carry it)
	"POST /proposals/{id}/{action}":              "POST /api/v1/proposals/{id}/{action}",
	"POST /tasks/{id}/{action}":                  "POST /api/v1/tasks/{id}/{action}",
	"GET /stats":                                 "GET /api/v1/stats",
	"GET /stats/export.xlsx":                     "GET /api/v1/stats", // the same tables as one workbook
	"GET /public/stats":                          "GET /api/v1/public/stats",
	"GET /reports/annual":                        "GET /api/v1/reports/annual",
	"GET /reports/annual.docx":                   "GET /api/v1/reports/annual", // the same draft as a Word file
	"GET /reports/annual/print":                  "GET /api/v1/reports/annual",
	"POST /reports/annual":                       "PUT /api/v1/reports/annual",
	"GET /proposals/{id}/print":                  "GET /api/v1/proposals/{id}", // the register page prints the detail
	"GET /proposals/export.csv":                  "GET /api/v1/proposals",      // exports are the lists as files
	"GET /proposals/export.xlsx":                 "GET /api/v1/proposals",
	"GET /tasks/export.csv":                      "GET /api/v1/tasks",
	"GET /tasks/export.xlsx":                     "GET /api/v1/tasks",
	"GET /supervision/overdue/export.csv":        "GET /api/v1/supervision/overdue",
	"GET /supervision/overdue/export.xlsx":       "GET /api/v1/supervision/overdue",
	"GET /public/feed.atom":                      "GET /api/v1/public/proposals",
	"GET /public/open-data":                      "GET /api/v1/public/proposals",
	"GET /public/open-data/proposals.csv":        "GET /api/v1/public/proposals",
	"GET /public/open-data/proposals.xlsx":       "GET /api/v1/public/proposals",
	"GET /public/open-data/proposals.json":       "GET /api/v1/public/proposals",
}

// pageOnly are the page routes with no API counterpart, and why.
var pageOnly = map[string]string{
	"GET /login":                    "the login form itself; the API logs in with POST /api/v1/login",
	"GET /proposals/new":            "an empty form",
	"GET /proposals/{id}/edit":      "the form over the draft that GET /api/v1/proposals/{id} returns",
	"GET /static/":                  "assets",
	"GET /healthz":                  "infrastructure",
	"GET /metrics":                  "infrastructure",
	"GET /tasks/{id}/reply-form":    "a blank letter to print, fill and stamp; its data is the task in GET /api/v1/proposals/{id}",
	"GET /tasks/{id}/feedback-form": "a blank rating form to print; its data is the task in GET /api/v1/proposals/{id}",
}

// TestEveryPageFeatureHasAnAPI walks the page routes and the API routes:
// a page route that changes something or shows data must name its API
// counterpart in pageAPI (and that route must exist), unless pageOnly says
// why not. A page added without its API fails here.
func TestEveryPageFeatureHasAnAPI(t *testing.T) {
	var pages []string
	api := map[string]bool{}
	// Routes as registered, before {action} is expanded.
	for _, r := range registeredPatterns(t) {
		method, path, _ := strings.Cut(r, " ")
		if strings.HasPrefix(path, "/api/") {
			api[method+" "+path] = true
			continue
		}
		pages = append(pages, r)
	}
	// The expanded actions: every page step has its API step.
	expanded := map[string]bool{}
	for _, r := range parseRoutes(t, "routes") {
		expanded[r] = true
	}
	for _, st := range proposalSteps {
		if !expanded["POST /api/v1/proposals/{id}/"+st.name] {
			t.Errorf("proposal step %s has no API route", st.name)
		}
	}
	for _, st := range taskSteps {
		if !expanded["POST /api/v1/tasks/{id}/"+st.api] {
			t.Errorf("task step %s has no API route", st.name)
		}
	}
	var missing []string
	for _, p := range pages {
		if _, ok := pageOnly[p]; ok {
			continue
		}
		if p == "POST /supervision/extensions/{id}/{decision}" {
			for _, d := range []string{"approve", "refuse"} {
				if !api[pageAPI["POST /supervision/extensions/{id}/"+d]] {
					missing = append(missing, p+" ("+d+")")
				}
			}
			continue
		}
		to, ok := pageAPI[p]
		if !ok {
			missing = append(missing, p)
			continue
		}
		if !api[to] && !strings.HasPrefix(to, "GET /attachments/") && !strings.HasPrefix(to, "GET /activity-files/") {
			t.Errorf("page %s names %s as its API, which is not registered", p, to)
		}
	}
	for _, m := range missing {
		t.Errorf("page feature without an API counterpart: %s (add the API route and a row to pageAPI, or say in pageOnly why not)", m)
	}
	for p := range pageAPI {
		if !strings.Contains(p, "/approve") && !strings.Contains(p, "/refuse") && !hasStr(pages, p) {
			t.Errorf("pageAPI names %s, which is no page route", p)
		}
	}
	t.Logf("%d page routes, %d API routes, %d page-only", len(pages), len(api), len(pageOnly))
}

// registeredPatterns lists "METHOD /path" of every route registered in
// routes.go, as written ({action} not expanded).
func registeredPatterns(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range parseRoutes(t, "routes") {
		method, path, _ := strings.Cut(r, " ")
		for _, pre := range []string{"/proposals/{id}/", "/tasks/{id}/", "/api/v1/proposals/{id}/", "/api/v1/tasks/{id}/", "/admin/users/{id}/"} {
			rest, ok := strings.CutPrefix(path, pre)
			if !ok || strings.Contains(rest, "/") {
				continue
			}
			if isStep(pre, rest) {
				path = pre + "{action}"
			}
		}
		if !hasStr(out, method+" "+path) {
			out = append(out, method+" "+path)
		}
	}
	return out
}

// isStep reports whether name under prefix is an expanded {action}.
func isStep(prefix, name string) bool {
	switch prefix {
	case "/proposals/{id}/", "/api/v1/proposals/{id}/":
		return proposalStepOf(name) != nil
	case "/tasks/{id}/", "/api/v1/tasks/{id}/":
		return taskStepOf(name, true) != nil
	case "/admin/users/{id}/":
		return true
	}
	return false
}

// TestOpenAPIModuleSchemasMatchStructs holds the schemas of these modules'
// files to the Go types the handlers encode and decode.
func TestOpenAPIModuleSchemasMatchStructs(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	out := func(v any) reflect.Type { return reflect.TypeOf(v) }
	cases := []struct {
		schema string
		typ    reflect.Type
		output bool
	}{
		{"Count", out(apiCount{}), true},
		{"UnitLoad", out(apiUnitLoad{}), true},
		{"MatterBoard", out(apiMatterBoard{}), true},
		{"Dashboard", out(apiDashboard{}), true},
		{"SupervisedTask", out(apiSupervisedTask{}), true},
		{"SupervisedTaskList", out(apiSupervisedTasks{}), true},
		{"Extension", out(apiExtension{}), true},
		{"Alert", out(apiAlert{}), true},
		{"TaskDeadline", out(apiTaskDeadline{}), true},
		{"ExtensionInput", out(apiExtensionInput{}), false},
		{"DecisionInput", out(apiDecisionInput{}), false},
		{"KeyStep", out(apiKeyStep{}), true},
		{"KeyProposal", out(apiKeyProposal{}), true},
		{"KeyBoard", out(apiKeyBoard{}), true},
		{"KeyProposeInput", out(apiKeyProposeInput{}), false},
		{"KeyDecideInput", out(apiKeyDecideInput{}), false},
		{"KeyNote", out(apiKeyNote{}), true},
		{"KeyDetail", out(apiKeyDetail{}), true},
		{"KeyLeaderInput", out(apiKeyLeaderInput{}), false},
		{"KeyStepInput", out(apiKeyStepInput{}), false},
		{"KeyStepDoneInput", out(apiKeyStepDoneInput{}), false},
		{"KeyNoteInput", out(apiKeyNoteInput{}), false},
		{"Criteria", out(app.Criteria{}), true},
		{"CriteriaInput", out(app.Criteria{}), false},
		{"Criterion", out(apiCriterion{}), true},
		{"CriteriaInfo", out(apiCriteria{}), true},
		{"EvalRow", out(apiEvalRow{}), true},
		{"Evaluation", out(apiEvaluation{}), true},
		{"BreakdownTask", out(apiBreakdownTask{}), true},
		{"Breakdown", out(apiBreakdown{}), true},
		{"DeadlineRules", out(apiDeadlineRules{}), true},
		{"DeadlineRulesInput", out(apiDeadlineRules{}), false},
		{"DeadlineSettings", out(apiDeadlineSettings{}), true},
		{"DeadlineSettingsInput", out(apiDeadlineSettingsInput{}), false},
		{"UnitLeaderInput", out(apiUnitLeaderInput{}), false},
		{"Notification", out(apiNotification{}), true},
		{"NotifySettings", out(apiNotifySettings{}), true},
		{"NotifySettingsInput", out(apiNotifySettingsInput{}), false},
		{"Job", out(apiJob{}), true},
		{"Webhook", out(apiWebhook{}), true},
		{"WebhookInput", out(apiWebhookInput{}), false},
		{"Delivery", out(apiDelivery{}), true},
		{"WebhookEventType", out(apiEventType{}), true},
		{"JobChannels", out(apiChannels{}), true},
		{"DeadlineScan", out(apiScan{}), true},
		{"Suggestion", out(apiSuggestion{}), true},
		{"Suggestions", out(apiSuggestions{}), true},
		{"CategoryInput", out(apiCategoryInput{}), false},
		{"MergeCandidate", out(apiMergeCandidate{}), true},
		{"MergeGroup", out(apiMergeGroup{}), true},
		{"TermWeight", out(apiTermWeight{}), true},
		{"Account", out(apiAccount{}), true},
		{"AccountInput", out(apiAccountInput{}), false},
		{"RoleInput", out(apiRoleInput{}), false},
		{"PasswordInput", out(apiPasswordInput{}), false},
		{"TOTPSetup", out(apiTOTPSetup{}), true},
		{"TOTPInput", out(apiTOTPInput{}), false},
	}
	for _, c := range cases {
		t.Run(c.schema, func(t *testing.T) { checkSchema(t, doc, c.schema, c.typ, c.output) })
	}
}

// TestAccountAPI: the admin's user management and one's own account over
// the API, as 用户管理 and 账号设置 offer them.
func TestAccountAPI(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	admin := ts.bearer(roleAdmin)
	r := ts.do(req{Method: "POST", Path: "/api/v1/admin/users", As: admin, JSON: map[string]any{"username": "zhangwei", "name": "张伟", "role": "unit"}})
	ts.expect(r, http.StatusUnprocessableEntity, `"field":"unit_id"`)
	r = ts.do(req{Method: "POST", Path: "/api/v1/admin/users", As: admin, JSON: map[string]any{"username": "zhangwei", "name": "张伟", "role": "member", "phone": "13900001111"}})
	ts.expect(r, http.StatusCreated, `"temp_password":"`, `"username":"zhangwei"`)
	var created struct {
		User apiAccount `json:"user"`
		Temp string     `json:"temp_password"`
	}
	r.decode(t, &created)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/admin/users", As: admin, JSON: map[string]any{"username": "zhangwei", "name": "张伟二", "role": "member"}}),
		http.StatusUnprocessableEntity, "用户名已被使用")
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/admin/users", As: admin}), http.StatusOK, `"username":"zhangwei"`, `"events":[`)
	up := "/api/v1/admin/users/" + sid(created.User.ID)
	ts.expect(ts.do(req{Method: "POST", Path: up + "/disable", As: admin}), http.StatusOK, `"disabled":true`)
	if _, _, _, err := ts.F.Svc.Login(context.Background(), "zhangwei", created.Temp, "192.0.2.9"); err == nil {
		t.Error("a disabled account logged in")
	}
	ts.expect(ts.do(req{Method: "POST", Path: up + "/enable", As: admin}), http.StatusOK, `"disabled":false`)
	ts.expect(ts.do(req{Method: "PUT", Path: up + "/role", As: admin, JSON: map[string]any{"role": "leader"}}), http.StatusOK, `"role":"leader"`)
	r = ts.do(req{Method: "POST", Path: up + "/reset", As: admin})
	ts.expect(r, http.StatusOK, `"temp_password":"`)
	r.decode(t, &created)
	ts.expect(ts.do(req{Method: "POST", Path: up + "/logout", As: admin}), http.StatusOK)
	ts.expect(ts.do(req{Method: "POST", Path: up + "/totp_off", As: admin}), http.StatusOK)

	// The new user changes the temporary password over the API.
	tok, sess, _, err := ts.F.Svc.Login(context.Background(), "zhangwei", created.Temp, "192.0.2.9")
	if err != nil {
		t.Fatal(err)
	}
	me := &caller{Session: tok, CSRF: sess.CSRFToken}
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/me/password", As: me, JSON: map[string]any{"old": "wrong-pass-1", "password": "Zhengxie2027c"}}), http.StatusUnprocessableEntity)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/me/password", As: me, JSON: map[string]any{"old": created.Temp, "password": "Zhengxie2027c"}}), http.StatusNoContent)
	if _, _, _, err := ts.F.Svc.Login(context.Background(), "zhangwei", "Zhengxie2027c", "192.0.2.9"); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
	// A leader may set up a second factor; the secret comes back to confirm.
	r = ts.do(req{Method: "POST", Path: "/api/v1/me/totp/begin", As: ts.bearer(roleLeader)})
	ts.expect(r, http.StatusOK, `"secret":"`, `"url":"otpauth://`)
	var setup apiTOTPSetup
	r.decode(t, &setup)
	leader := ts.bearer(roleLeader)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/me/totp/enable", As: leader, JSON: map[string]any{"secret": setup.Secret, "code": "000000"}}),
		http.StatusUnprocessableEntity, `"field":"code"`)
	code, err := totp.GenerateCode(setup.Secret, ts.F.Svc.Clock())
	if err != nil {
		t.Fatal(err)
	}
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/me/totp/enable", As: leader, JSON: map[string]any{"secret": setup.Secret, "code": code}}), http.StatusNoContent)
	if sec, _ := ts.F.Svc.Store.TOTPSecret(context.Background(), ts.F.Leader.ID); sec == "" {
		t.Error("the second factor was not turned on")
	}
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/me/totp/disable", As: leader}), http.StatusNoContent)
	if sec, _ := ts.F.Svc.Store.TOTPSecret(context.Background(), ts.F.Leader.ID); sec != "" {
		t.Error("the second factor is still on")
	}
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/me/totp/begin", As: ts.bearer(roleProposer)}), http.StatusForbidden)
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/me/export", As: ts.bearer(roleProposer)}), http.StatusOK, `"exported_at"`, `"proposals"`)
}
