package app_test

import (
	"slices"
	"testing"

	"zhengxie"
	"zhengxie/app"
	"zhengxie/internal/testenv"
)

// TestSimilarAfterSubmit: a proposal submitted after the committee's
// similarity index was built is found by the next similar-proposal query,
// from the words its draft stored (not segmented a second time), and a
// draft that is only saved is not.
func TestSimilarAfterSubmit(t *testing.T) {
	testenv.Engines(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		w.underReview(0, "关于完善生物岛交通体系的建议")
		// The first query builds the index.
		if _, err := w.svc.Similar(w.ctx, w.office(), "关于加强社区养老服务设施建设的建议", "", 0, 5); err != nil {
			t.Fatal(err)
		}
		const title = "关于加强社区养老服务设施建设的建议"
		d := w.draft(1, testenv.Draft(title))
		hits, err := w.svc.Similar(w.ctx, w.office(), title, "", 0, 5)
		w.must(err)
		for _, h := range hits {
			if h.P.ID == d.ID {
				t.Fatalf("a draft is in the similarity index before it is submitted")
			}
		}
		_, err = w.svc.Submit(w.ctx, w.member(1), d.ID)
		w.must(err)
		hits, err = w.svc.Similar(w.ctx, w.office(), title, "", 0, 5)
		w.must(err)
		if len(hits) == 0 || hits[0].P.ID != d.ID {
			t.Fatalf("after submitting, similar to its title: %v, want proposal %d first", hits, d.ID)
		}
	})
}

// TestSimilarityIndexBudget: past IndexDocBudget the least recently used
// committee's index is dropped, and rebuilt from the store, complete, when
// it is next asked for.
func TestSimilarityIndexBudget(t *testing.T) {
	old := app.IndexDocBudget
	app.IndexDocBudget = 1
	defer func() { app.IndexDocBudget = old }()
	w := newWorld(t, testenv.SQLiteDSN(t))
	w.underReview(0, "关于完善生物岛交通体系的建议")
	w.underReview(1, "关于建设横沙书香街的建议")
	const title = "关于加强社区养老服务设施建设的建议"
	if _, err := w.svc.Similar(w.ctx, w.office(), title, "", 0, 5); err != nil {
		t.Fatal(err)
	}
	if c, d := w.svc.SimilarityIndexes(); c != 1 || d != 2 {
		t.Fatalf("after the first query: %d indexes of %d proposals, want 1 of 2", c, d)
	}
	other := zhengxie.ActorOf(w.f.Other)
	if _, err := w.svc.Similar(w.ctx, other, title, "", 0, 5); err != nil {
		t.Fatal(err)
	}
	if c, d := w.svc.SimilarityIndexes(); c != 1 || d != 0 {
		t.Fatalf("after the other committee's query: %d indexes of %d proposals, want only its own (1 of 0)", c, d)
	}
	// Submitted while its committee's index is not in memory.
	p := w.underReview(2, title)
	hits, err := w.svc.Similar(w.ctx, w.office(), title, "", 0, 5)
	w.must(err)
	if len(hits) == 0 || hits[0].P.ID != p.ID {
		t.Fatalf("rebuilt index: similar to %q gives %v, want proposal %d first", title, hits, p.ID)
	}
}

// TestKeyTermsFollowTheText: the key terms are kept per proposal, and a
// saved text gives the new text's terms at once, within the same instant.
func TestKeyTermsFollowTheText(t *testing.T) {
	w := newWorld(t, testenv.SQLiteDSN(t))
	p := w.draft(0, testenv.Draft("关于完善生物岛交通体系的建议"))
	has := func(terms []string, word string) bool { return slices.Contains(terms, word) }
	for range 2 { // computed, then from the cache
		terms, err := w.svc.KeyTerms(w.ctx, p, 8)
		w.must(err)
		if !has(terms, "交通") {
			t.Fatalf("key terms %v lack 交通", terms)
		}
	}
	p, err := w.svc.SaveDraft(w.ctx, w.member(0), p.ID, testenv.Draft("关于推进垃圾分类回收的建议"))
	w.must(err)
	terms, err := w.svc.KeyTerms(w.ctx, p, 8)
	w.must(err)
	if has(terms, "交通") || !has(terms, "垃圾") {
		t.Fatalf("after saving a new text, key terms %v, want those of the new text", terms)
	}
}
