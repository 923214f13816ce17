package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestSearchEstimateShown: past store.SearchCap matches the page says the
// count is an estimate (约 1,100) and the API flags it.
func TestSearchEstimateShown(t *testing.T) {
	ts := newTestServer(t, testenv.SQLiteDSN(t))
	f, st := ts.F, ts.S.Svc.Store
	bl, err := st.NewBulkLoader(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	now := st.Now()
	for i := 0; i < 1100; i++ {
		id := bl.NextID("proposals")
		p := &zhengxie.Proposal{ID: id, CommitteeID: f.Committee.ID, SessionID: f.Session.ID, Title: "关于加强养老服务的建议", Body: "养老服务",
			Category: "社会建设", Kind: "individual", ProposerID: f.Members[0].ID, ProposerName: f.Members[0].Name,
			State: zhengxie.StateUnderReview, CreatedAt: now, UpdatedAt: now, SubmittedAt: now}
		if err := bl.AddProposal(p); err != nil {
			t.Fatal(err)
		}
		if err := bl.AddSearchDoc(store.SearchDoc{ProposalID: id, CommitteeID: f.Committee.ID, Title: []string{"关于", "加强", "养老", "服务", "的", "建议"},
			Body: []string{"养老", "服务"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := bl.Close(); err != nil {
		t.Fatal(err)
	}
	office := ts.session(roleOffice)
	r := ts.do(req{Method: "GET", Path: "/search?q=" + url.QueryEscape("养老"), As: office})
	ts.expect(r, http.StatusOK, "共找到 约 <strong>1,100</strong> 件提案", `id="result-estimate"`, "分面只统计其中 1,000 件")
	var out apiSearchResult
	r = ts.do(req{Method: "GET", Path: "/api/v1/search?q=" + url.QueryEscape("养老"), As: office})
	ts.expect(r, http.StatusOK, `"total_estimated":true`)
	r.decode(t, &out)
	if out.Total != 1100 || len(out.Items) != 20 {
		t.Errorf("API: total %d, %d items", out.Total, len(out.Items))
	}
	// A word of a few: counted exactly, no estimate.
	r = ts.do(req{Method: "GET", Path: "/search?q=" + url.QueryEscape("加强") + "&category=" + url.QueryEscape("经济发展"), As: office})
	ts.expect(r, http.StatusOK, "共找到 <strong>0</strong> 件提案")
	if strings.Contains(r.Body, "result-estimate") {
		t.Errorf("an exact count is shown as an estimate")
	}
}
