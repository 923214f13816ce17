package web

import (
	"context"
	"net/url"
	"testing"

	"zhengxie/internal/testenv"
)

// TestDictionaryPage: the admin adds words on the page, sees the rebuild
// queued with a progress bar the script polls, and the JSON endpoint the
// page reads reports it done once the job has run; a bad word is refused
// on the page with every reason.
func TestDictionaryPage(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	admin := ts.session(roleAdmin)
	r := ts.do(req{Method: "POST", Path: "/admin/dictionary", As: admin, Form: url.Values{"words": {"好\n横沙书香街"}}})
	ts.expect(r, 422, "词“好”的长度应为2到32个字", "横沙书香街")
	r = ts.do(req{Method: "POST", Path: "/admin/dictionary", As: admin, Form: url.Values{"words": {"横沙书香街\n生物岛片区"}}})
	ts.expect(r, 303)
	if loc := r.Location(); loc != "/admin/dictionary?added=2#rebuild" {
		t.Fatalf("redirect to %q", loc)
	}
	r = ts.do(req{Method: "GET", Path: "/admin/dictionary?added=2", As: admin})
	ts.expect(r, 200, "已加入2个新词", `data-poll-url="/api/v1/dictionary/rebuild" data-poll-active="1"`, "索引重建已排队", "<td>横沙书香街</td>", "<td>生物岛片区</td>")

	var st struct {
		Rebuild struct {
			State   string `json:"state"`
			Total   int    `json:"total"`
			Done    int    `json:"done"`
			Percent int    `json:"percent"`
			Active  bool   `json:"active"`
		} `json:"rebuild"`
	}
	r = ts.do(req{Method: "GET", Path: "/api/v1/dictionary/rebuild", As: admin})
	ts.expect(r, 200)
	r.decode(t, &st)
	if st.Rebuild.State != "pending" || !st.Rebuild.Active {
		t.Fatalf("before the job: %+v", st.Rebuild)
	}
	if _, err := ts.F.Svc.Jobs().RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	r = ts.do(req{Method: "GET", Path: "/api/v1/dictionary/rebuild", As: admin})
	r.decode(t, &st)
	if st.Rebuild.State != "done" || st.Rebuild.Active || st.Rebuild.Percent != 100 || st.Rebuild.Done != st.Rebuild.Total {
		t.Fatalf("after the job: %+v", st.Rebuild)
	}
	r = ts.do(req{Method: "GET", Path: "/admin/dictionary", As: admin})
	ts.expect(r, 200, "重建完成")
	// The API adds words too, and the office may not.
	office := ts.bearer(roleOffice)
	ts.expect(ts.do(req{Method: "POST", Path: "/api/v1/dictionary/words", As: office, JSON: map[string]any{"words": []string{"南岗河"}}}), 403)
	r = ts.do(req{Method: "POST", Path: "/api/v1/dictionary/words", As: ts.bearer(roleAdmin), JSON: map[string]any{"words": []string{"南岗河", "横沙书香街"}}})
	ts.expect(r, 202, `"added":["南岗河"]`, `"state":"pending"`)
}
