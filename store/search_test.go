package store_test

import (
	"slices"
	"strings"
	"testing"

	"zhengxie"
	"zhengxie/internal/testenv"
	"zhengxie/store"
)

// TestSearchScopedAndCapped searches a word that more than store.SearchCap
// proposals of one committee contain, beside another committee that uses
// it too: each committee finds only its own, the total past the cap is an
// estimate and flagged, the facets count the capped set, a narrow filter
// is counted exactly, and pages past the cap still come in rank order.
func TestSearchScopedAndCapped(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		cA, seA := w.f.Committee.ID, w.f.Session.ID
		cB := w.f.Other.CommitteeID
		seB, err := w.st.CurrentSession(w.ctx, cB)
		w.must(err)
		bl, err := w.st.NewBulkLoader(w.ctx)
		w.must(err)
		filler := strings.Fields(strings.Repeat("社区 服务 设施 建设 ", 75))
		now := w.st.Now()
		add := func(cid, sid int64, state zhengxie.State, category string, title, body []string) {
			id := bl.NextID("proposals")
			p := &zhengxie.Proposal{ID: id, CommitteeID: cid, SessionID: sid, Title: strings.Join(title, ""), Body: strings.Join(body, ""),
				Category: category, Kind: "individual", ProposerID: w.f.Members[0].ID, ProposerName: w.f.Members[0].Name, State: state,
				CreatedAt: now, UpdatedAt: now, SubmittedAt: now, Published: category == "城乡建设"}
			if cid != cA {
				p.ProposerID = w.f.Other.ID
			}
			w.must(bl.AddProposal(p))
			w.must(bl.AddSearchDoc(store.SearchDoc{ProposalID: id, CommitteeID: cid, Title: title, Body: body}))
		}
		const common, narrow = 1100, 50
		for i := 0; i < common; i++ {
			add(cA, seA, zhengxie.StateUnderReview, "社会建设", []string{"关于", "养老", "建议"}, filler[:20+i%50])
		}
		// Mentioned once in a long body: ranked below all the others.
		for i := 0; i < narrow; i++ {
			add(cA, seA, zhengxie.StateUnderReview, "城乡建设", []string{"关于", "建议"}, append([]string{"养老"}, filler...))
		}
		for i := 0; i < 5; i++ {
			add(cA, seA, zhengxie.StateDraft, "社会建设", []string{"养老", "草稿"}, filler[:10])
		}
		for i := 0; i < 30; i++ {
			add(cB, seB.ID, zhengxie.StateUnderReview, "社会建设", []string{"养老", "服务"}, filler[:30])
		}
		w.must(bl.Close())

		office := w.office()
		res, err := w.st.Search(w.ctx, store.ProposalFilter{Viewer: office}, []string{"养老"}, store.SearchOptions{Facets: true})
		w.must(err)
		if !res.Estimated || res.Total < 1000 || res.Total > 1300 {
			t.Errorf("common word: total %d estimated %v, want an estimate near %d", res.Total, res.Estimated, common+narrow)
		}
		if len(res.Hits) != 20 {
			t.Fatalf("%d hits on the first page, want 20", len(res.Hits))
		}
		for i, h := range res.Hits {
			if h.CommitteeID != cA || h.State == zhengxie.StateDraft {
				t.Errorf("hit %d: committee %d state %s", h.ID, h.CommitteeID, h.State)
			}
			if i > 0 && h.Rank > res.Hits[i-1].Rank {
				t.Errorf("hit %d ranks %v above the one before (%v)", h.ID, h.Rank, res.Hits[i-1].Rank)
			}
		}
		n := 0
		for _, f := range res.Categories {
			n += f.Count
		}
		// The capped set is what the filters keep of the best SearchCap+1
		// matches, which may include the 5 drafts.
		if n < store.SearchCap-5 || n > store.SearchCap {
			t.Errorf("category facets count %d proposals, want the capped set of about %d", n, store.SearchCap)
		}

		res, err = w.st.Search(w.ctx, store.ProposalFilter{Viewer: office, Category: "城乡建设"}, []string{"养老"}, store.SearchOptions{Facets: true})
		w.must(err)
		if res.Estimated || res.Total != narrow || len(res.Hits) != 20 {
			t.Errorf("narrow filter: total %d estimated %v, %d hits; want exactly %d", res.Total, res.Estimated, len(res.Hits), narrow)
		}
		if len(res.Categories) != 1 || res.Categories[0] != (store.Facet{Value: "城乡建设", Count: narrow}) {
			t.Errorf("narrow filter: category facets %v", res.Categories)
		}

		// Another member sees the published ones only, all ranked below the
		// best SearchCap+1: they are found by filtering every match.
		res, err = w.st.Search(w.ctx, store.ProposalFilter{Viewer: w.f.Actor(w.f.Members[1])}, []string{"养老"}, store.SearchOptions{Facets: true})
		w.must(err)
		if res.Estimated || res.Total != narrow || len(res.Hits) != 20 || !res.Hits[0].Published {
			t.Errorf("member: total %d estimated %v, %d hits; want exactly the %d published", res.Total, res.Estimated, len(res.Hits), narrow)
		}

		other := zhengxie.Actor{UserID: w.f.Other.ID, CommitteeID: cB, Role: zhengxie.RoleOffice}
		res, err = w.st.Search(w.ctx, store.ProposalFilter{Viewer: other}, []string{"养老"}, store.SearchOptions{})
		w.must(err)
		if res.Estimated || res.Total != 30 {
			t.Errorf("other committee: total %d estimated %v, want exactly 30", res.Total, res.Estimated)
		}
		for _, h := range res.Hits {
			if h.CommitteeID != cB {
				t.Errorf("other committee found proposal %d of committee %d", h.ID, h.CommitteeID)
			}
		}

		// Past the capped set: pages further down are still whole, distinct and
		// in order (on PostgreSQL, which ranks SearchCap at a time, in order
		// within each SearchCap).
		pg := strings.HasPrefix(dsn, "postgres")
		var seen []int64
		last := 0.0
		for _, off := range []int{980, 1000, 1020} {
			res, err = w.st.Search(w.ctx, store.ProposalFilter{Viewer: office, Offset: off, Limit: 20}, []string{"养老"}, store.SearchOptions{})
			w.must(err)
			if len(res.Hits) != 20 {
				t.Errorf("offset %d: %d hits, want 20", off, len(res.Hits))
			}
			for _, h := range res.Hits {
				if slices.Contains(seen, h.ID) {
					t.Errorf("offset %d: proposal %d shown twice", off, h.ID)
				}
				if len(seen) > 0 && h.Rank > last && !(pg && off+len(seen)%20 == store.SearchCap) {
					t.Errorf("offset %d: proposal %d ranks %v above the page before (%v)", off, h.ID, h.Rank, last)
				}
				seen, last = append(seen, h.ID), h.Rank
			}
		}
	})
}

// TestProposalsBrief lists without bodies: the same proposals with every
// other field, and no body.
func TestProposalsBrief(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		for _, title := range []string{"关于完善生物岛交通体系的建议", "关于建设横沙书香街的建议"} {
			w.submitted(w.f.Members[0], testenv.Draft(title))
		}
		full, n, err := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office()})
		w.must(err)
		brief, m, err := w.st.Proposals(w.ctx, store.ProposalFilter{Viewer: w.office(), Brief: true})
		w.must(err)
		if n != 2 || m != n || len(brief) != len(full) {
			t.Fatalf("brief list: %d of %d, full: %d of %d", len(brief), m, len(full), n)
		}
		for i := range full {
			if full[i].Body == "" || brief[i].Body != "" {
				t.Errorf("proposal %d: body %q in the brief list, %d bytes in the full one", full[i].ID, brief[i].Body, len(full[i].Body))
			}
			full[i].Body = ""
			if brief[i] != full[i] {
				t.Errorf("brief %+v\nfull  %+v", brief[i], full[i])
			}
		}
	})
}
