package search

import (
	"reflect"
	"testing"
)

func TestRelevanceSetWellFormed(t *testing.T) {
	props := loadProposals(t)
	numbers := map[string]bool{}
	for _, p := range props {
		numbers[p.Number] = true
	}
	if len(RelevanceSet) < 30 {
		t.Fatalf("relevance set has %d queries, want at least 30", len(RelevanceSet))
	}
	seen := map[string]bool{}
	for _, c := range RelevanceSet {
		if seen[c.Query] {
			t.Errorf("query %s twice", c.Query)
		}
		seen[c.Query] = true
		if len(c.Want) == 0 {
			t.Errorf("%s: nothing wanted", c.Query)
		}
		for _, n := range c.Want {
			if !numbers[n] {
				t.Errorf("%s: proposal %s is not in the data", c.Query, n)
			}
		}
		if len(QueryTerms(c.Query)) == 0 {
			t.Errorf("%s: no query terms", c.Query)
		}
	}
}

func TestPrecisionRecall(t *testing.T) {
	got := []string{"a", "x", "b", "y", "z", "c"}
	want := []string{"a", "b", "c", "d"}
	if p := PrecisionAtK(got, want, 5); p != 0.4 {
		t.Errorf("p@5 = %v", p)
	}
	if r := RecallAtK(got, want, 10); r != 0.75 {
		t.Errorf("r@10 = %v", r)
	}
	if p := PrecisionAtK([]string{"a", "a"}, want, 2); p != 0.5 {
		t.Errorf("duplicate counted twice: %v", p)
	}
	if p := IdealPrecisionAtK([]string{"a"}, 5); p != 0.2 {
		t.Errorf("ideal p@5 = %v", p)
	}
}

func TestBM25(t *testing.T) {
	r := NewBM25(3, 1)
	r.Add("title", []string{"公厕"}, []string{"城市", "建设"})
	r.Add("body", []string{"城市"}, []string{"公厕", "建设"})
	r.Add("none", []string{"城市"}, []string{"建设"})
	got := r.Search([]string{"公厕"}, 0)
	ids := []string{}
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	if !reflect.DeepEqual(ids, []string{"title", "body"}) {
		t.Errorf("title match should outrank body match, and none should not match: %v", got)
	}
	if got := r.Search([]string{"公厕", "不存在"}, 0); len(got) != 0 {
		t.Errorf("AND semantics: %v", got)
	}
}

// The relevance set, ranked by the FTS5-like BM25 over Tokens with the title
// weighing 3 and the body 1. The thresholds sit just under the measured
// values: a change to the tokens that loses relevance fails here.
func TestRelevanceBM25(t *testing.T) {
	props := loadProposals(t)
	r := NewBM25(3, 1)
	for _, p := range props {
		r.Add(p.Number, p.TitleTokens, p.BodyTokens)
	}
	var p5, r10, ideal float64
	first := 0
	for _, c := range RelevanceSet {
		terms := QueryTerms(c.Query)
		res := r.Search(terms, 10)
		got := make([]string, len(res))
		for i, s := range res {
			got[i] = s.ID
		}
		p, rc := PrecisionAtK(got, c.Want, 5), RecallAtK(got, c.Want, 10)
		p5 += p
		r10 += rc
		ideal += IdealPrecisionAtK(c.Want, 5)
		if len(got) > 0 && contains(c.Want, got[0]) {
			first++
		}
		if rc < 1 || (len(got) > 0 && !contains(c.Want, got[0])) {
			t.Logf("  %s %v: p@5 %.2f r@10 %.2f got %v want %v", c.Query, terms, p, rc, got, c.Want)
		}
	}
	n := float64(len(RelevanceSet))
	p5, r10, ideal = p5/n, r10/n, ideal/n
	t.Logf("BM25 over Tokens, %d queries: precision@5 = %.3f (best possible %.3f), recall@10 = %.3f, first result relevant for %d",
		len(RelevanceSet), p5, ideal, r10, first)
	if p5 < 0.38 {
		t.Errorf("precision@5 = %.3f, want ≥ 0.38", p5)
	}
	if r10 < 0.94 {
		t.Errorf("recall@10 = %.3f, want ≥ 0.94", r10)
	}
	if first < len(RelevanceSet)-3 {
		t.Errorf("first result relevant for only %d of %d queries", first, len(RelevanceSet))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
