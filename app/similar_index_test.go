package app_test

import (
	"testing"

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
