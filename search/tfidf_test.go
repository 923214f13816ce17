package search

import (
	"slices"
	"strings"
	"testing"
)

func TestKeywords(t *testing.T) {
	props := loadProposals(t)
	df := NewDocFreq()
	var docs [][]string
	for _, p := range props {
		toks := append(append([]string{}, p.TitleTokens...), p.BodyTokens...)
		df.Add(toks)
		docs = append(docs, toks)
	}
	want := map[string][]string{
		"0001": {"公厕"},
		"0002": {"光纤"},
		"0086": {"时间银行"},
		"0168": {"共享单车"},
		"0446": {"僵尸车"},
		"0831": {"区块链"},
	}
	for i, p := range props {
		w, ok := want[p.Number]
		if !ok {
			continue
		}
		kw := Keywords(docs[i], df, 8)
		t.Logf("%s %s: %v", p.Number, p.Title, kw)
		for _, k := range w {
			if !slices.Contains(kw, k) {
				t.Errorf("%s: keywords %v lack %s", p.Number, kw, k)
			}
		}
		for _, a := range kw {
			for _, b := range kw {
				if a != b && strings.Contains(a, b) {
					t.Errorf("%s: %s and %s both listed", p.Number, a, b)
				}
			}
			if isNumeral(a) || len([]rune(a)) < 2 {
				t.Errorf("%s: keyword %q", p.Number, a)
			}
		}
		// Without a collection, the dictionary's frequencies still find
		// the subject.
		if kw := Keywords(docs[i], DictionaryIDF(), 8); !slices.Contains(kw, w[0]) {
			t.Errorf("%s: dictionary-IDF keywords %v lack %s", p.Number, kw, w[0])
		}
	}

	// The top terms of a category describe it.
	var edu [][]string
	for i, p := range props {
		if p.Type == "教育事业" {
			edu = append(edu, docs[i])
		}
	}
	top := TopTerms(edu, df, 10)
	var terms []string
	for _, tw := range top {
		terms = append(terms, tw.Term)
	}
	t.Logf("教育事业, %d proposals: %v", len(edu), terms)
	hits := 0
	for _, w := range []string{"教育", "教师", "学生", "学校", "高校", "中小学", "职业教育", "家庭教育", "学前教育", "师资"} {
		if slices.Contains(terms, w) {
			hits++
		}
	}
	if hits < 3 {
		t.Errorf("top terms of 教育事业 say little about education: %v", terms)
	}
	for i := 1; i < len(top); i++ {
		if top[i].Weight > top[i-1].Weight {
			t.Errorf("TopTerms not sorted: %v", top)
		}
	}
}

func TestDocFreq(t *testing.T) {
	d := NewDocFreq()
	d.Add([]string{"a", "a", "b"})
	d.Add([]string{"a"})
	if d.N != 2 || d.DF["a"] != 2 || d.DF["b"] != 1 {
		t.Fatalf("%+v", d)
	}
	if !(d.IDF("b") > d.IDF("a") && d.IDF("zzz") > d.IDF("b") && d.IDF("a") > 0) {
		t.Errorf("IDF order: a %v b %v unseen %v", d.IDF("a"), d.IDF("b"), d.IDF("zzz"))
	}
	d.Remove([]string{"a", "a", "b"})
	if d.N != 1 || d.DF["a"] != 1 || len(d.DF) != 1 {
		t.Errorf("after Remove: %+v", d)
	}
}
