package web

// dutyPolicies are the permission-matrix rows of the duty module and the
// organisation (see policies in permissions_test.go for the columns and
// codes). Activities and files are guessed ids (999999): N means the
// caller got past "please log in" to "not found"; per-object rights of
// real activities are in TestDutyPermissions.
func dutyPolicies() []policy {
	users := "L A A A A A A A A A"
	staff := "L D D D D D A A A A"
	admin := "L D D D D D D D A D"
	guessed := "L N N N N N N N N N"
	jb := func(m map[string]any) func(*testServer, obj, string) any { return jsonBody(m) }
	ps := []policy{
		// Organisation.
		{name: "duty org page", method: "GET", path: "/duty/org", expect: staff},
		{name: "duty org add", method: "POST", path: "/duty/org/sectors", expect: admin, body: formBody("name", "矩阵界别")},
		{name: "duty org rename guessed", method: "POST", path: "/duty/org/sectors/999999", expect: "L D D D D D D D N D", body: formBody("name", "矩阵界别2")},
		{name: "duty members page", method: "GET", path: "/duty/members", expect: staff},
		{name: "duty members export csv", method: "GET", path: "/duty/members/export.csv", expect: staff},
		{name: "duty members export xlsx", method: "GET", path: "/duty/members/export.xlsx", expect: staff},
		{name: "duty members import", method: "POST", path: "/duty/members/import", expect: "L D D D D D D D V D", body: formBody()},
		{name: "duty member edit form", method: "GET", path: "/duty/members/{p}/edit", kind: kUser, expect: admin},
		{name: "duty member edit", method: "POST", path: "/duty/members/{p}/edit", kind: kUser, expect: admin, body: formBody("name", "矩阵委员")},
		{name: "api sectors", method: "GET", path: "/api/v1/sectors", expect: users},
		{name: "api add sector", method: "POST", path: "/api/v1/sectors", expect: admin, body: jb(map[string]any{"name": "矩阵界别API"})},
		{name: "api rename guessed sector", method: "PUT", path: "/api/v1/sectors/999999", expect: "L D D D D D D D N D", body: jb(map[string]any{"name": "矩阵界别X"})},
		{name: "api special committees", method: "GET", path: "/api/v1/special-committees", expect: users},
		{name: "api add special committee", method: "POST", path: "/api/v1/special-committees", expect: admin, body: jb(map[string]any{"name": "矩阵专委会"})},
		{name: "api rename guessed special committee", method: "PUT", path: "/api/v1/special-committees/999999", expect: "L D D D D D D D N D", body: jb(map[string]any{"name": "矩阵专委会X"})},
		{name: "api stations", method: "GET", path: "/api/v1/stations", expect: users},
		{name: "api add station", method: "POST", path: "/api/v1/stations", expect: admin, body: jb(map[string]any{"kind": "station", "name": "矩阵联络站"})},
		{name: "api change guessed station", method: "PUT", path: "/api/v1/stations/999999", expect: "L D D D D D D D N D", body: jb(map[string]any{"kind": "station", "name": "矩阵联络站X"})},
		{name: "api members", method: "GET", path: "/api/v1/members", expect: staff},
		{name: "api members import", method: "POST", path: "/api/v1/members/import", expect: "L D D D D D D D V D"},
		{name: "api member", method: "GET", path: "/api/v1/members/{p}", kind: kUser, expect: "L N N N N N A A A N"},
		{name: "api member edit", method: "PUT", path: "/api/v1/members/{p}", kind: kUser, expect: "L N N N N N D D A N", body: jb(map[string]any{"employer": "矩阵单位"})},

		// Activities.
		{name: "activities", method: "GET", path: "/activities", expect: users},
		{name: "activities export csv", method: "GET", path: "/activities/export.csv", expect: users},
		{name: "activities export xlsx", method: "GET", path: "/activities/export.xlsx", expect: users},
		{name: "new activity form", method: "GET", path: "/activities/new", expect: "L D D D D D A D A A"},
		{name: "create activity", method: "POST", path: "/activities", expect: "L D D D D D V D V V", body: formBody()},
		{name: "guessed activity", method: "GET", path: "/activities/999999", expect: guessed},
		{name: "guessed activity QR", method: "GET", path: "/activities/999999/qr", expect: guessed},
		{name: "guessed activity QR image", method: "GET", path: "/activities/999999/qr.png", expect: guessed},
		{name: "guessed sign-in page", method: "GET", path: "/activities/999999/signin", expect: "L D D D D D D D D D"},
		{name: "guessed sign-in", method: "POST", path: "/activities/999999/signin", expect: guessed, body: formBody("t", "1.2.3")},
		{name: "guessed activity file", method: "GET", path: "/activity-files/999999", expect: guessed},
		{name: "api activities", method: "GET", path: "/api/v1/activities", expect: users},
		{name: "api create activity", method: "POST", path: "/api/v1/activities", expect: "L D D D D D V D V V", body: jb(map[string]any{})},
		{name: "api guessed activity", method: "GET", path: "/api/v1/activities/999999", expect: guessed},
		{name: "api guessed activity edit", method: "PUT", path: "/api/v1/activities/999999", expect: guessed, body: jb(map[string]any{"kind": "study", "title": "x", "starts_at": "2026-05-01T09:00"})},
		{name: "api guessed attendance", method: "GET", path: "/api/v1/activities/999999/attendance", expect: guessed},
		{name: "api guessed mark", method: "POST", path: "/api/v1/activities/999999/attendance", expect: guessed, body: jb(map[string]any{"user_id": 1, "mark": "mark_present", "reason": "x"})},
		{name: "api guessed answer", method: "POST", path: "/api/v1/activities/999999/answer", expect: guessed, body: jb(map[string]any{"answer": "attend"})},
		{name: "api guessed sign-in", method: "POST", path: "/api/v1/activities/999999/signin", expect: guessed, body: jb(map[string]any{"token": "1.2.3"})},
		{name: "api guessed sign-in token", method: "GET", path: "/api/v1/activities/999999/signin-token", expect: guessed},
		{name: "api guessed activity file upload", method: "POST", path: "/api/v1/activities/999999/files", expect: guessed, body: fileBody},

		// Records, points and rules.
		{name: "duty home", method: "GET", path: "/duty", expect: users},
		{name: "duty record page", method: "GET", path: "/duty/record", expect: users},
		{name: "duty ranking page", method: "GET", path: "/duty/ranking", expect: "L D D D D D A A A A"},
		{name: "duty ranking xlsx", method: "GET", path: "/duty/ranking.xlsx", expect: "L D D D D D A A A A"},
		{name: "duty rules page", method: "GET", path: "/duty/rules", expect: staff},
		{name: "duty rules save", method: "POST", path: "/duty/rules", expect: "L D D D D D D D V D", body: formBody()},
		{name: "duty progress", method: "GET", path: "/duty/rules/progress", expect: staff},
		{name: "duty recompute", method: "POST", path: "/duty/recompute", expect: "L D D D D D A D A A", body: formBody()},
		{name: "duty records page", method: "GET", path: "/duty/records", expect: users},
		{name: "duty record create", method: "POST", path: "/duty/records", expect: "L D D D D D V D V V", body: formBody()},
		{name: "api duty record", method: "GET", path: "/api/v1/duty/record", expect: "L A A A N N N N N N"},
		{name: "api duty ranking", method: "GET", path: "/api/v1/duty/ranking", expect: "L D D D D D A A A A"},
		{name: "api duty export", method: "GET", path: "/api/v1/duty/ranking/export", expect: "L D D D D D A A A A"},
		{name: "api duty rules", method: "GET", path: "/api/v1/duty/rules", expect: users},
		{name: "api duty rules save", method: "PUT", path: "/api/v1/duty/rules", expect: "L D D D D D D D V D", body: jb(map[string]any{})},
		{name: "api duty progress", method: "GET", path: "/api/v1/duty/recompute", expect: staff},
		{name: "api duty recompute", method: "POST", path: "/api/v1/duty/recompute", expect: "L D D D D D A D A A", body: jb(map[string]any{})},
		{name: "api duty records", method: "GET", path: "/api/v1/duty/records", expect: users},
		{name: "api duty record create", method: "POST", path: "/api/v1/duty/records", expect: "L D D D D D V D V V", body: jb(map[string]any{})},
	}
	for _, a := range []string{"publish", "hold", "close", "cancel", "invite"} {
		ps = append(ps, policy{name: "api guessed " + a, method: "POST", path: "/api/v1/activities/999999/" + a, expect: guessed, body: jb(map[string]any{})})
	}
	for _, a := range []string{"publish", "hold", "close", "cancel", "invite", "edit", "attend", "leave", "mark", "files"} {
		ps = append(ps, policy{name: "page guessed " + a, method: "POST", path: "/activities/999999/" + a, expect: guessed, body: formBody()})
	}
	for i := range ps {
		if ps[i].body == nil {
			ps[i].body = noBody
		}
	}
	return ps
}

// dutyPageAPI pairs the duty module's pages with their API (see pageAPI in
// supapi_test.go); dutyPageOnly are its pages without one, and why.
var dutyPageAPI = map[string]string{
	"GET /duty/members/export.csv":  "GET /api/v1/members", // exports are the lists as files
	"GET /duty/members/export.xlsx": "GET /api/v1/members",
	"GET /activities/export.csv":    "GET /api/v1/activities",
	"GET /activities/export.xlsx":   "GET /api/v1/activities",
	"GET /duty/org":                 "GET /api/v1/sectors", // and special-committees, stations
	"POST /duty/org/{kind}":         "POST /api/v1/sectors",
	"POST /duty/org/{kind}/{id}":    "PUT /api/v1/sectors/{id}",
	"GET /duty/members":             "GET /api/v1/members",
	"POST /duty/members/import":     "POST /api/v1/members/import",
	"GET /duty/members/{id}/edit":   "GET /api/v1/members/{id}",
	"POST /duty/members/{id}/edit":  "PUT /api/v1/members/{id}",
	"GET /activities":               "GET /api/v1/activities",
	"POST /activities":              "POST /api/v1/activities",
	"GET /activities/{id}":          "GET /api/v1/activities/{id}",
	"POST /activities/{id}/publish": "POST /api/v1/activities/{id}/publish",
	"POST /activities/{id}/hold":    "POST /api/v1/activities/{id}/hold",
	"POST /activities/{id}/close":   "POST /api/v1/activities/{id}/close",
	"POST /activities/{id}/cancel":  "POST /api/v1/activities/{id}/cancel",
	"POST /activities/{id}/invite":  "POST /api/v1/activities/{id}/invite",
	"POST /activities/{id}/edit":    "PUT /api/v1/activities/{id}",
	"POST /activities/{id}/attend":  "POST /api/v1/activities/{id}/answer",
	"POST /activities/{id}/leave":   "POST /api/v1/activities/{id}/answer",
	"POST /activities/{id}/mark":    "POST /api/v1/activities/{id}/attendance",
	"POST /activities/{id}/files":   "POST /api/v1/activities/{id}/files",
	"POST /activities/{id}/signin":  "POST /api/v1/activities/{id}/signin",
	"GET /activities/{id}/qr":       "GET /api/v1/activities/{id}/signin-token",
	"GET /activities/{id}/qr.png":   "GET /api/v1/activities/{id}/signin-token",
	"GET /activity-files/{id}":      "GET /activity-files/{id}", // one download URL for both (the API's files carry it)
	"GET /duty":                     "GET /api/v1/duty/record",
	"GET /duty/record":              "GET /api/v1/duty/record",
	"GET /duty/ranking":             "GET /api/v1/duty/ranking",
	"GET /duty/ranking.xlsx":        "GET /api/v1/duty/ranking/export",
	"GET /duty/rules":               "GET /api/v1/duty/rules",
	"POST /duty/rules":              "PUT /api/v1/duty/rules",
	"GET /duty/rules/progress":      "GET /api/v1/duty/recompute",
	"POST /duty/recompute":          "POST /api/v1/duty/recompute",
	"GET /duty/records":             "GET /api/v1/duty/records",
	"POST /duty/records":            "POST /api/v1/duty/records",
}

var dutyPageOnly = map[string]string{
	"GET /activities/new":         "an empty form",
	"GET /activities/{id}/signin": "the page the QR code opens on a member's phone; the API signs in with POST /api/v1/activities/{id}/signin",
}

func init() {
	for k, v := range dutyPageAPI {
		pageAPI[k] = v
	}
	for k, v := range dutyPageOnly {
		pageOnly[k] = v
	}
}
