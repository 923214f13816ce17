package search

import (
	"math"
	"sort"
)

// BM25 is an in-memory reference ranker with the semantics the store gives
// SQLite FTS5: every query term must occur (AND), and the score is Okapi
// BM25 with per-column weights multiplying term frequencies, as FTS5's bm25()
// does. It exists to measure the tokens on the relevance set without a
// database, and to tell apart a tokenisation problem from an engine problem.
// It is not safe for concurrent use while documents are added.
type BM25 struct {
	K1, B   float64   // 1.2 and 0.75 unless set
	Weights []float64 // per column; missing columns weigh 1

	ids      []string
	lens     []int
	tf       []map[string][]int32 // per document: term → count per column
	df       map[string]int
	totalLen int
}

// Scored is one ranked result.
type Scored struct {
	ID    string
	Score float64
}

// NewBM25 returns a ranker whose columns weigh as given (title 3, body 1
// is what the store uses for proposals).
func NewBM25(weights ...float64) *BM25 {
	return &BM25{K1: 1.2, B: 0.75, Weights: weights, df: map[string]int{}}
}

// Add indexes a document given as the tokens of each column.
func (r *BM25) Add(id string, columns ...[]string) {
	tf := map[string][]int32{}
	n := 0
	for c, toks := range columns {
		n += len(toks)
		for _, t := range toks {
			v := tf[t]
			if v == nil {
				v = make([]int32, len(columns))
				tf[t] = v
			}
			v[c]++
		}
	}
	for t := range tf {
		r.df[t]++
	}
	r.ids = append(r.ids, id)
	r.lens = append(r.lens, n)
	r.tf = append(r.tf, tf)
	r.totalLen += n
}

// Search returns the documents holding every term, best first, at most
// limit (all when limit ≤ 0). Ties are broken by ID so results are stable.
func (r *BM25) Search(terms []string, limit int) []Scored {
	if len(terms) == 0 || len(r.ids) == 0 {
		return nil
	}
	n := float64(len(r.ids))
	avg := float64(r.totalLen) / n
	idf := make([]float64, len(terms))
	for i, t := range terms {
		df := float64(r.df[t])
		// FTS5 clamps the IDF of very common terms to a small positive
		// value instead of letting it go negative.
		idf[i] = math.Max(math.Log((n-df+0.5)/(df+0.5)), 1e-6)
	}
	var out []Scored
docs:
	for d, tf := range r.tf {
		score := 0.0
		norm := r.K1 * (1 - r.B + r.B*float64(r.lens[d])/avg)
		for i, t := range terms {
			cols, ok := tf[t]
			if !ok {
				continue docs
			}
			f := 0.0
			for c, cnt := range cols {
				w := 1.0
				if c < len(r.Weights) {
					w = r.Weights[c]
				}
				f += w * float64(cnt)
			}
			score += idf[i] * f * (r.K1 + 1) / (f + norm)
		}
		out = append(out, Scored{r.ids[d], score})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
