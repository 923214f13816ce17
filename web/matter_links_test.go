package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// A forwarded matter is the unit's task: the supervision dashboard counts it
// beside the proposal tasks, each number linking to the list it counts, and
// the unit's deadlines page lists it.
func TestContactMattersOnSupervisionDashboard(t *testing.T) {
	w := newContactWorld(t, testenv.SQLiteDSN(t))
	ts := w.ts
	unit := ts.F.Units[0].ID
	dash := func() apiDashboard {
		t.Helper()
		r := ts.do(req{Method: "GET", Path: "/api/v1/supervision/dashboard", As: ts.bearer(roleOffice)})
		ts.expect(r, 200)
		var d apiDashboard
		r.decode(t, &d)
		return d
	}
	bucket := func(cs []apiCount, code string) apiCount {
		for _, c := range cs {
			if c.Code == code {
				return c
			}
		}
		t.Fatalf("no bucket %s in %+v", code, cs)
		return apiCount{}
	}
	d := dash()
	if d.Matters.Open != 1 || d.Matters.Link != "/matters?forwarded=1" || bucket(d.Matters.Buckets, app.BucketOverdue).N != 0 {
		t.Fatalf("day 0: the forwarded matter waits, none overdue: %+v", d.Matters)
	}

	// Sixty days on, the matter forwarded on day 0 is past its deadline.
	real := ts.F.Svc.Clock
	ts.F.Svc.Clock = func() time.Time { return real().AddDate(0, 0, 60) }
	t.Cleanup(func() { ts.F.Svc.Clock = real })
	d = dash()
	if c := bucket(d.Matters.Buckets, app.BucketOverdue); c.N != 1 || c.Link != "/matters?overdue=1" {
		t.Errorf("overdue matters in the JSON: %+v", c)
	}
	found := false
	for _, u := range d.Units {
		if u.UnitID == unit {
			found = true
			if u.Matters != 1 || u.MattersOverdue != 1 {
				t.Errorf("unit's matters in the JSON: %+v", u)
			}
		}
	}
	if !found {
		t.Errorf("the unit with an overdue matter is not on the dashboard: %+v", d.Units)
	}

	office := ts.session(roleOffice)
	page := ts.get(office, "/supervision")
	ts.expect(page, 200, `href="/matters?overdue=1" id="matters-overdue"><span class="stat-value">1</span>`,
		fmt.Sprintf(`href="/matters?unit=%d&amp;overdue=1" data-matters="overdue">1</a>`, unit),
		`id="matters-open"><span class="stat-value">1</span>`)

	// The links lead to lists that hold the matter, on the page and over the API.
	ts.expect(ts.get(office, fmt.Sprintf("/matters?unit=%d&overdue=1", unit)), 200, w.m1.Title)
	if r := ts.get(office, fmt.Sprintf("/matters?unit=%d&overdue=1", ts.F.Units[1].ID)); strings.Contains(r.Body, w.m1.Title) {
		t.Error("another unit's overdue list shows the matter")
	}
	if r := ts.get(office, "/matters?bucket=d3"); strings.Contains(r.Body, w.m1.Title) {
		t.Error("the due-in-3-days list shows an overdue matter")
	}
	ts.expect(ts.get(office, "/matters?forwarded=1"), 200, w.m1.Title)
	var list struct{ Items []apiMatter }
	r := ts.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/matters?unit_id=%d&bucket=overdue", unit), As: ts.bearer(roleOffice)})
	ts.expect(r, 200)
	r.decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != w.m1.ID {
		t.Errorf("API overdue list of the unit: %+v", list.Items)
	}
	ts.expect(ts.do(req{Method: "GET", Path: "/api/v1/matters?bucket=soon", As: ts.bearer(roleOffice)}), 422, "bucket")

	// The unit's own deadlines page lists its forwarded matter; the other unit's does not.
	ts.expect(ts.get(ts.session(roleUnit1), "/supervision/deadlines"), 200, `id="unit-matters"`, w.m1.Title, "/matters/"+fmt.Sprint(w.m1.ID))
	if r := ts.get(ts.session(roleUnit2), "/supervision/deadlines"); strings.Contains(r.Body, w.m1.Title) {
		t.Error("another unit's deadlines page lists the matter")
	}
}

// A matter turned into a proposal draft or a report links both ways; the
// link back to the matter is shown only to those who may see the matter.
func TestMatterLinksBothWays(t *testing.T) {
	w := newContactWorld(t, testenv.SQLiteDSN(t))
	ts := w.ts
	ctx := context.Background()
	member := ts.F.Actor(ts.F.Members[0]) // the member on duty who took the matters
	m2, err := ts.F.Svc.MatterAct(ctx, member, w.m2.ID, zhengxie.MatterActToDraft, app.MatterActInput{})
	if err != nil {
		t.Fatal(err)
	}
	if m2.ProposalID == 0 {
		t.Fatal("the draft is not linked from the matter")
	}
	link := fmt.Sprintf(`href="/matters/%d" id="source-matter"`, w.m2.ID)
	proposer := ts.session(roleProposer)
	ts.expect(ts.get(proposer, fmt.Sprintf("/matters/%d", w.m2.ID)), 200, fmt.Sprintf("/proposals/%d", m2.ProposalID))
	ts.expect(ts.get(proposer, fmt.Sprintf("/proposals/%d", m2.ProposalID)), 200, link, w.m2.Title)
	var pd apiProposalDetail
	r := ts.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/proposals/%d", m2.ProposalID), As: ts.bearer(roleProposer)})
	ts.expect(r, 200)
	r.decode(t, &pd)
	if pd.SourceMatter == nil || pd.SourceMatter.ID != w.m2.ID || pd.SourceMatter.Link != fmt.Sprintf("/matters/%d", w.m2.ID) {
		t.Errorf("API proposal's source_matter: %+v", pd.SourceMatter)
	}

	// A proposal a unit handles, made from a matter the unit does not
	// handle: the office sees where it came from, the unit does not.
	o := ts.build(kTaskPending)
	err = ts.F.Svc.Store.InTx(ctx, func(tx *store.Tx) error {
		m, err := tx.LockMatter(ts.F.Committee.ID, w.mPub.ID)
		if err != nil {
			return err
		}
		m.ProposalID = o.P
		return tx.UpdateMatter(m)
	})
	if err != nil {
		t.Fatal(err)
	}
	pubLink := fmt.Sprintf(`href="/matters/%d" id="source-matter"`, w.mPub.ID)
	ts.expect(ts.get(ts.session(roleOffice), fmt.Sprintf("/proposals/%d", o.P)), 200, pubLink)
	r = ts.get(ts.session(roleUnit1), fmt.Sprintf("/proposals/%d", o.P))
	ts.expect(r, 200)
	if strings.Contains(r.Body, "source-matter") || strings.Contains(r.Body, w.mPub.Title) || strings.Contains(r.Body, citizenName) {
		t.Error("the unit, which does not handle the matter, is shown it on the proposal page")
	}
	r = ts.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/proposals/%d", o.P), As: ts.bearer(roleUnit1)})
	ts.expect(r, 200)
	if strings.Contains(r.Body, "source_matter") {
		t.Errorf("the unit's API detail names the matter: %s", r.Body)
	}

	// The report made from a matter: the matter names the report, the
	// report links back, for the member on duty and the office alike.
	m := logMatterFor(t, ts, w)
	m, err = ts.F.Svc.MatterAct(ctx, member, m.ID, zhengxie.MatterActToReport, app.MatterActInput{})
	if err != nil {
		t.Fatal(err)
	}
	if m.ReportID == 0 {
		t.Fatal("the report is not linked from the matter")
	}
	rlink := fmt.Sprintf(`href="/matters/%d" id="source-matter"`, m.ID)
	ts.expect(ts.get(proposer, fmt.Sprintf("/matters/%d", m.ID)), 200, fmt.Sprintf("/reports/%d", m.ReportID))
	for _, role := range []string{roleProposer, roleOffice} {
		ts.expect(ts.get(ts.session(role), fmt.Sprintf("/reports/%d", m.ReportID)), 200, rlink)
		var rd apiReportDetail
		r := ts.do(req{Method: "GET", Path: fmt.Sprintf("/api/v1/reports/%d", m.ReportID), As: ts.bearer(role)})
		ts.expect(r, 200)
		r.decode(t, &rd)
		if rd.SourceMatter == nil || rd.SourceMatter.ID != m.ID {
			t.Errorf("%s: API report's source_matter: %+v", role, rd.SourceMatter)
		}
	}
}

// logMatterFor logs one more matter at the world's reception by the member
// on duty.
func logMatterFor(t *testing.T, ts *testServer, w *contactWorld) *zhengxie.Matter {
	t.Helper()
	m, err := ts.F.Svc.LogMatter(context.Background(), ts.F.Actor(ts.F.Members[0]), w.rec.ID, app.MatterInput{Title: "老旧小区加装电梯难",
		Body: "群众反映老旧小区加装电梯审批环节多，低层住户意见难统一，希望委员反映。", Category: "城乡建设", CitizenName: citizenName, CitizenPhone: citizenPhone})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
