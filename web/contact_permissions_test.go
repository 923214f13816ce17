package web

// contactPolicies are the permission-matrix rows of the contact module:
// reception days, citizens' matters, the public message box and tracking,
// opinion reports and the issues of 《社情民意》 (see policies in
// permissions_test.go for the columns and codes). Receptions, matters,
// reports, issues, stations and files are guessed ids (999999): N means the
// caller got past "please log in" to "not found"; who reaches real ones
// (a station's own staff, the unit a matter went to, the member on duty)
// is in TestContactPermissions (matter_test.go), which builds them.
func contactPolicies() []policy {
	all := "A A A A A A A A A A"
	users := "L A A A A A A A A A"
	staff := "L D D D D D A A A A"
	guessed := "L N N N N N N N N N"
	nowhere := "N N N N N N N N N N"
	jb := func(m map[string]any) func(*testServer, obj, string) any { return jsonBody(m) }
	// The message box and tracking are limited per address; the matrix
	// calls them from one address as every role, so each row starts over.
	fresh := func(ts *testServer, _ string) { contactLimits.Delete(ts.S) }
	message := map[string]any{"title": "矩阵留言：路口红绿灯时间太短", "body": "学校门口路口红绿灯时间太短，老人和孩子过马路来不及。",
		"citizen_name": "矩阵群众", "citizen_phone": "13800000000"}
	ps := []policy{
		// Contact home and statistics.
		{name: "contact home", method: "GET", path: "/contact", expect: users},
		{name: "contact stats", method: "GET", path: "/contact/stats", expect: staff},
		{name: "contact stats xlsx", method: "GET", path: "/contact/stats.xlsx", expect: staff},
		{name: "api contact stats", method: "GET", path: "/api/v1/contact/stats", expect: staff},
		{name: "api contact stats export", method: "GET", path: "/api/v1/contact/stats/export", expect: staff},

		// Reception days.
		// Reception days are planned by a station's staff and the office
		// (the other committee's office too, for its own stations: it is
		// told to add one first); the admin runs accounts, not stations.
		{name: "new reception form", method: "GET", path: "/receptions/new", expect: "L D D D D D A D D A"},
		{name: "create reception", method: "POST", path: "/receptions", expect: "L D D D D D V D D V", body: formBody()},
		{name: "guessed reception", method: "GET", path: "/receptions/999999", expect: guessed},
		{name: "guessed reception log matter", method: "POST", path: "/receptions/999999/matters", expect: guessed, body: formBody("title", "矩阵诉求", "body", "矩阵诉求正文：三号楼楼道灯坏了两个星期")},
		{name: "api receptions", method: "GET", path: "/api/v1/receptions", expect: users},
		{name: "api create reception", method: "POST", path: "/api/v1/receptions", expect: "L D D D D D V D D V", body: jb(map[string]any{})},
		{name: "api guessed reception", method: "GET", path: "/api/v1/receptions/999999", expect: guessed},
		{name: "api guessed reception log matter", method: "POST", path: "/api/v1/receptions/999999/matters", expect: guessed, body: jb(map[string]any{"title": "矩阵诉求", "body": "矩阵诉求正文：三号楼楼道灯坏了两个星期"})},
		{name: "guessed station page", method: "GET", path: "/contact/stations/999999", expect: nowhere},
		{name: "api guessed public station", method: "GET", path: "/api/v1/public/stations/999999", expect: nowhere},

		// Matters.
		{name: "matters", method: "GET", path: "/matters", expect: users},
		{name: "matters export csv", method: "GET", path: "/matters/export.csv", expect: users},
		{name: "matters export xlsx", method: "GET", path: "/matters/export.xlsx", expect: users},
		{name: "guessed matter", method: "GET", path: "/matters/999999", expect: guessed},
		{name: "guessed matter file", method: "GET", path: "/matter-files/999999", expect: guessed},
		{name: "api matters", method: "GET", path: "/api/v1/matters", expect: users},
		{name: "api guessed matter", method: "GET", path: "/api/v1/matters/999999", expect: guessed},
		{name: "api suggest matter category", method: "POST", path: "/api/v1/matters/suggest-category", expect: users, body: jb(map[string]any{"title": "路灯不亮", "body": "城南路路灯坏了一个多月"})},

		// The public: message box, tracking, published answers.
		{name: "message form", method: "GET", path: "/messages/new", expect: all},
		{name: "leave a message", method: "POST", path: "/messages", expect: all, after: fresh,
			body: formBody("title", message["title"].(string), "body", message["body"].(string), "citizen_name", "矩阵群众", "citizen_phone", "13800000000")},
		{name: "api leave a message", method: "POST", path: "/api/v1/public/messages", expect: all, after: fresh, body: jb(message)},
		{name: "track page", method: "GET", path: "/track", expect: all},
		{name: "track a guessed code", method: "GET", path: "/track?code=K7M2-Q9XA", expect: nowhere, after: fresh},
		{name: "feedback on a guessed code", method: "POST", path: "/track/feedback", expect: nowhere, after: fresh, body: formBody("code", "K7M2-Q9XA", "settled", "1")},
		{name: "api track a guessed code", method: "GET", path: "/api/v1/public/matters/K7M2-Q9XA", expect: nowhere, after: fresh},
		{name: "api feedback on a guessed code", method: "POST", path: "/api/v1/public/matters/K7M2-Q9XA/feedback", expect: nowhere, after: fresh, body: jb(map[string]any{"settled": true})},
		{name: "published answers", method: "GET", path: "/public/messages", expect: all},
		{name: "api published answers", method: "GET", path: "/api/v1/public/messages", expect: all},

		// Opinion reports and issues.
		{name: "reports", method: "GET", path: "/reports", expect: users},
		{name: "reports export csv", method: "GET", path: "/reports/export.csv", expect: users},
		{name: "reports export xlsx", method: "GET", path: "/reports/export.xlsx", expect: users},
		// Members and stations file reports; the office compiles them.
		{name: "new report form", method: "GET", path: "/reports/new", expect: "L A A A D D D D D D"},
		{name: "file report", method: "POST", path: "/reports", expect: "L V V V D D D D D D", body: formBody()},
		{name: "guessed report", method: "GET", path: "/reports/999999", expect: guessed},
		{name: "api reports", method: "GET", path: "/api/v1/reports", expect: users},
		{name: "api file report", method: "POST", path: "/api/v1/reports", expect: "L V V V D D D D D D", body: jb(map[string]any{})},
		{name: "api guessed report", method: "GET", path: "/api/v1/reports/999999", expect: guessed},
		{name: "api guessed report similar", method: "GET", path: "/api/v1/reports/999999/similar", expect: "L D D D D D N N D N"},
		{name: "issues", method: "GET", path: "/issues", expect: staff},
		{name: "compile issue", method: "POST", path: "/issues", expect: "L D D D D D V D D V", body: formBody()},
		{name: "guessed issue", method: "GET", path: "/issues/999999", expect: guessed},
		{name: "guessed issue send", method: "POST", path: "/issues/999999/send", expect: "L D D D D D N D D N", body: formBody()},
		{name: "api issues", method: "GET", path: "/api/v1/opinion-issues", expect: staff},
		{name: "api compile issue", method: "POST", path: "/api/v1/opinion-issues", expect: "L D D D D D V D D V", body: jb(map[string]any{})},
		{name: "api guessed issue", method: "GET", path: "/api/v1/opinion-issues/999999", expect: guessed},
		{name: "api guessed issue send", method: "POST", path: "/api/v1/opinion-issues/999999/send", expect: "L D D D D D N D D N", body: jb(map[string]any{})},
	}
	for _, a := range []string{"hold", "cancel"} {
		ps = append(ps,
			policy{name: "guessed reception " + a, method: "POST", path: "/receptions/999999/" + a, expect: guessed, body: formBody()},
			policy{name: "api guessed reception " + a, method: "POST", path: "/api/v1/receptions/999999/" + a, expect: guessed, body: jb(map[string]any{})})
	}
	for _, a := range []string{"set_category", "answer", "forward", "sign", "return", "reply", "decide", "close", "reject", "publish", "unpublish", "to_report", "to_draft"} {
		ps = append(ps,
			policy{name: "guessed matter " + a, method: "POST", path: "/matters/999999/" + a, expect: guessed, body: formBody()},
			policy{name: "api guessed matter " + a, method: "POST", path: "/api/v1/matters/999999/" + a, expect: guessed, body: jb(map[string]any{})})
	}
	for _, a := range []string{"edit", "merge", "reject", "adopt", "instruct", "feedback", "withdraw"} {
		ps = append(ps,
			policy{name: "guessed report " + a, method: "POST", path: "/reports/999999/" + a, expect: guessed, body: formBody()},
			policy{name: "api guessed report " + a, method: "POST", path: "/api/v1/reports/999999/" + a, expect: guessed, body: jb(map[string]any{})})
	}
	for i := range ps {
		if ps[i].body == nil {
			ps[i].body = noBody
		}
	}
	return ps
}

// contactPageAPI pairs the contact module's pages with their API (see
// pageAPI in supapi_test.go); contactPageOnly are its pages without one,
// and why.
var contactPageAPI = map[string]string{
	"GET /contact":                  "GET /api/v1/matters", // the open matters; the stations' figures and days are GET /api/v1/contact/stats, GET /api/v1/receptions
	"GET /contact/stats":            "GET /api/v1/contact/stats",
	"GET /contact/stats.xlsx":       "GET /api/v1/contact/stats/export",
	"GET /contact/stations/{id}":    "GET /api/v1/public/stations/{id}",
	"POST /receptions":              "POST /api/v1/receptions",
	"GET /receptions/{id}":          "GET /api/v1/receptions/{id}",
	"POST /receptions/{id}/matters": "POST /api/v1/receptions/{id}/matters",
	"POST /receptions/{id}/hold":    "POST /api/v1/receptions/{id}/hold",
	"POST /receptions/{id}/cancel":  "POST /api/v1/receptions/{id}/cancel",
	"GET /matters":                  "GET /api/v1/matters",
	"GET /matters/export.csv":       "GET /api/v1/matters", // exports are the lists as files
	"GET /matters/export.xlsx":      "GET /api/v1/matters",
	"GET /reports/export.csv":       "GET /api/v1/reports",
	"GET /reports/export.xlsx":      "GET /api/v1/reports",
	"GET /matters/{id}":             "GET /api/v1/matters/{id}",
	"POST /messages":                "POST /api/v1/public/messages",
	"GET /track":                    "GET /api/v1/public/matters/{code}",
	"POST /track/feedback":          "POST /api/v1/public/matters/{code}/feedback",
	"GET /public/messages":          "GET /api/v1/public/messages",
	"GET /reports":                  "GET /api/v1/reports",
	"POST /reports":                 "POST /api/v1/reports",
	"GET /reports/{id}":             "GET /api/v1/reports/{id}",
	"GET /issues":                   "GET /api/v1/opinion-issues",
	"POST /issues":                  "POST /api/v1/opinion-issues",
	"GET /issues/{id}":              "GET /api/v1/opinion-issues/{id}",
	"POST /issues/{id}/send":        "POST /api/v1/opinion-issues/{id}/send",
}

var contactPageOnly = map[string]string{
	"GET /receptions/new":    "an empty form; its choices are GET /api/v1/stations and GET /api/v1/members",
	"GET /messages/new":      "an empty form; its stations are those of GET /api/v1/stations",
	"GET /reports/new":       "an empty form",
	"GET /matter-files/{id}": "one download URL for pages and API alike: GET /api/v1/matters/{id} lists the photos with it",
}

func init() {
	for _, a := range []string{"set_category", "answer", "forward", "sign", "return", "reply", "decide", "close", "reject", "publish", "unpublish", "to_report", "to_draft"} {
		contactPageAPI["POST /matters/{id}/"+a] = "POST /api/v1/matters/{id}/" + a
	}
	for _, a := range []string{"edit", "merge", "reject", "adopt", "instruct", "feedback", "withdraw"} {
		contactPageAPI["POST /reports/{id}/"+a] = "POST /api/v1/reports/{id}/" + a
	}
	for k, v := range contactPageAPI {
		pageAPI[k] = v
	}
	for k, v := range contactPageOnly {
		pageOnly[k] = v
	}
}
