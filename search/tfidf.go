package search

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// IDF gives the inverse document frequency of a term: large for terms that
// distinguish a document, small for terms every document has.
type IDF interface {
	IDF(term string) float64
}

// smoothIDF is ln((1+n)/(1+df)) + 1: never negative or zero, so a term
// present in every document still counts a little, and an unseen term gets
// the highest value.
func smoothIDF(n, df int) float64 {
	if df > n {
		df = n
	}
	return math.Log(float64(1+n)/float64(1+df)) + 1
}

// DocFreq counts in how many documents each term occurs, for IDF over a set
// of documents (a committee's proposals, one session). Not safe for
// concurrent use while documents are added.
type DocFreq struct {
	N  int
	DF map[string]int
}

// NewDocFreq returns an empty count.
func NewDocFreq() *DocFreq { return &DocFreq{DF: map[string]int{}} }

// Add counts one document.
func (d *DocFreq) Add(tokens []string) {
	d.N++
	for t := range uniq(tokens) {
		d.DF[t]++
	}
}

// Remove uncounts a document added before with the same tokens.
func (d *DocFreq) Remove(tokens []string) {
	d.N--
	for t := range uniq(tokens) {
		if d.DF[t] <= 1 {
			delete(d.DF, t)
		} else {
			d.DF[t]--
		}
	}
}

// IDF implements IDF.
func (d *DocFreq) IDF(term string) float64 { return smoothIDF(d.N, d.DF[term]) }

func uniq(tokens []string) map[string]struct{} {
	m := make(map[string]struct{}, len(tokens))
	for _, t := range tokens {
		m[t] = struct{}{}
	}
	return m
}

// DictionaryIDF estimates IDF from the segmentation dictionary's word
// frequencies, for key terms of a text when no collection is at hand yet
// (the first proposal of a new committee). Words the dictionary lacks count
// as rare.
func DictionaryIDF() IDF { return dictIDF{get()} }

type dictIDF struct{ s *segmenter }

func (d dictIDF) IDF(term string) float64 {
	d.s.mu.RLock()
	defer d.s.mu.RUnlock()
	freq, _, ok := d.s.seg.Find(term)
	if !ok || freq < 1 {
		freq = 1
	}
	return d.s.logTotal - math.Log(freq)
}

// TermWeight is a term with its weight.
type TermWeight struct {
	Term   string
	Weight float64
}

// Keywords returns the k terms of one document with the highest TF-IDF, as
// shown under a proposal. Numbers and single characters are left out, and
// so is a term inside a stronger one already chosen (民营 when 民营企业 is
// there) or containing one (so the list does not say the same thing twice).
func Keywords(tokens []string, idf IDF, k int) []string {
	tw := KeywordWeights(tokens, idf, k)
	out := make([]string, len(tw))
	for i, t := range tw {
		out[i] = t.Term
	}
	return out
}

// KeywordWeights is Keywords with the weights (term frequency × IDF).
func KeywordWeights(tokens []string, idf IDF, k int) []TermWeight {
	tf := ownCounts(tokens)
	cand := make([]TermWeight, 0, len(tf))
	for t, n := range tf {
		if n > 0 {
			cand = append(cand, TermWeight{t, float64(n) * idf.IDF(t)})
		}
	}
	return pickDistinct(cand, k)
}

// ownCounts counts the keyword candidates among tokens, each occurrence
// only at its longest word: Tokens emits 共享 and 单车 for every 共享单车,
// and counting those again would rank the parts above the word.
func ownCounts(tokens []string) map[string]int {
	tf := map[string]int{}
	for _, t := range tokens {
		if keywordCandidate(t) {
			tf[t]++
		}
	}
	var long []string
	for t := range tf {
		if utf8.RuneCountInString(t) >= 3 {
			long = append(long, t)
		}
	}
	sort.Strings(long)
	own := make(map[string]int, len(tf))
	for t, n := range tf {
		for _, l := range long {
			if l != t && strings.Contains(l, t) {
				n -= tf[l] * strings.Count(l, t)
			}
		}
		own[t] = n
	}
	return own
}

// TopTerms returns the k terms that characterise a set of documents (a
// session's proposals, for a ranked list or a word cloud): each document's
// TF-IDF vector is normalised to length 1 so long texts do not dominate, and
// the vectors are summed.
func TopTerms(docs [][]string, idf IDF, k int) []TermWeight {
	sum := map[string]float64{}
	for _, toks := range docs {
		tf := ownCounts(toks)
		w := make(map[string]float64, len(tf))
		norm := 0.0
		for t, n := range tf {
			if n <= 0 {
				continue
			}
			v := (1 + math.Log(float64(n))) * idf.IDF(t)
			w[t] = v
			norm += v * v
		}
		if norm == 0 {
			continue
		}
		norm = math.Sqrt(norm)
		for t, v := range w {
			sum[t] += v / norm
		}
	}
	cand := make([]TermWeight, 0, len(sum))
	for t, v := range sum {
		cand = append(cand, TermWeight{t, v})
	}
	return pickDistinct(cand, k)
}

func keywordCandidate(t string) bool {
	return utf8.RuneCountInString(t) >= 2 && !isNumeral(t)
}

// pickDistinct sorts by weight (ties by term, for stable output) and keeps
// the first k terms that neither contain nor are contained in a kept one.
func pickDistinct(cand []TermWeight, k int) []TermWeight {
	sort.Slice(cand, func(i, j int) bool {
		if cand[i].Weight != cand[j].Weight {
			return cand[i].Weight > cand[j].Weight
		}
		return cand[i].Term < cand[j].Term
	})
	var out []TermWeight
next:
	for _, c := range cand {
		if len(out) >= k {
			break
		}
		for _, o := range out {
			if strings.Contains(o.Term, c.Term) || strings.Contains(c.Term, o.Term) {
				continue next
			}
		}
		out = append(out, c)
	}
	return out
}
