package search

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
	"sort"
	"sync"
)

// DefaultMaxTerms is how many terms of each document the similarity index
// keeps. Near-duplicates and same-topic proposals share their distinctive
// terms, which are the ones kept; the long tail of words costs memory at a
// million documents without changing who the nearest neighbours are. On
// the real proposals, 32 terms kept every neighbour that full vectors score
// 0.3 or more, and found same-topic proposals slightly more often than 255
// terms did (TestSimilarMaxTerms, TestSimilarSameTopic).
const DefaultMaxTerms = 32

// Match is a document similar to a query and its cosine similarity, from 0
// (nothing in common) to 1 (same weighted terms).
type Match struct {
	ID    int64
	Score float64
}

// Group is a set of near-duplicate documents.
type Group struct {
	IDs   []int64 // ascending
	Score float64 // the weakest similarity that links the group together
}

// Doc is a document for AddBatch.
type Doc struct {
	ID     int64
	Tokens []string
}

// Index holds TF-IDF vectors of documents for "similar proposals" and
// duplicate detection, entirely in memory. The store fills it at start-up
// (AddBatch in chunks) and keeps it current on every write.
//
// Each document keeps its MaxTerms terms of highest TF-IDF, chosen when it is
// added; weights are (1 + ln tf) × IDF with the IDF of the moment of the
// query, so scores stay right as the collection grows. An inverted index over
// the kept terms finds candidates, which are then scored exactly.
//
// Document frequencies count every term of a document when it is added but
// only its kept terms when it is removed, so after many removals or
// replacements the IDF of common terms drifts low; the index is rebuilt at
// every start, which resets it. Numbers are not used: 2019 makes two
// proposals no more alike.
//
// Safe for concurrent use: queries run in parallel, writes are exclusive.
type Index struct {
	mu       sync.RWMutex
	maxTerms int

	termID map[string]uint32
	terms  []string
	df     []uint32
	post   [][]uint32 // term → slots of the documents that kept it
	postTF [][]uint8  // term frequency in that document, parallel to post

	slotOf map[int64]uint32
	ids    []int64
	alive  []bool
	norm   []float32 // vector length when added, for ranking candidates
	off    []uint32  // start of the slot's terms in fterm/ftf
	cnt    []uint8
	fterm  []uint32 // kept terms of every slot, ascending within a slot
	ftf    []uint8

	live, dead int

	pool sync.Pool // *accum
}

type accum struct {
	score   []float32
	touched []uint32
}

// lnTF[tf] = 1 + ln(tf): sub-linear term frequency, so a word said ten
// times does not outweigh ten different shared words.
var lnTF = func() (t [256]float32) {
	for i := 1; i < 256; i++ {
		t[i] = float32(1 + math.Log(float64(i)))
	}
	return
}()

// NewIndex returns an empty index keeping maxTerms terms per document
// (DefaultMaxTerms when ≤ 0, at most 255).
func NewIndex(maxTerms int) *Index {
	if maxTerms <= 0 {
		maxTerms = DefaultMaxTerms
	}
	maxTerms = min(maxTerms, 255)
	return &Index{
		maxTerms: maxTerms,
		termID:   map[string]uint32{},
		slotOf:   map[int64]uint32{},
	}
}

// Len returns the number of documents.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}

// IDF implements IDF over the indexed documents.
func (x *Index) IDF(term string) float64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	df := 0
	if id, ok := x.termID[term]; ok {
		df = int(x.df[id])
	}
	return smoothIDF(x.live, df)
}

// Add adds or replaces a document.
func (x *Index) Add(id int64, tokens []string) {
	x.AddBatch([]Doc{{id, tokens}})
}

// AddBatch adds or replaces several documents, counting all of them before
// choosing any document's terms: loading a collection in batches of a few
// thousand chooses terms against a representative IDF even for the first.
func (x *Index) AddBatch(docs []Doc) {
	x.mu.Lock()
	defer x.mu.Unlock()
	// The same ID twice in a batch: the last one wins, as with two Adds.
	last := make(map[int64]int, len(docs))
	for i, d := range docs {
		last[d.ID] = i
	}
	if len(last) < len(docs) {
		kept := make([]Doc, 0, len(last))
		for i, d := range docs {
			if last[d.ID] == i {
				kept = append(kept, d)
			}
		}
		docs = kept
	}
	counts := make([][]termCount, len(docs))
	tf := map[uint32]int{}
	for i, d := range docs {
		if _, ok := x.slotOf[d.ID]; ok {
			x.removeLocked(d.ID)
		}
		clear(tf)
		for _, t := range d.Tokens {
			if isNumeral(t) {
				continue
			}
			tf[x.termFor(t)]++
		}
		c := make([]termCount, 0, len(tf))
		for t, n := range tf {
			x.df[t]++
			c = append(c, termCount{t, uint8(min(n, 255))})
		}
		counts[i] = c
		x.live++
	}
	for i, d := range docs {
		x.insertLocked(d.ID, counts[i])
	}
}

type termCount struct {
	term uint32
	tf   uint8
}

func (x *Index) termFor(t string) uint32 {
	if id, ok := x.termID[t]; ok {
		return id
	}
	id := uint32(len(x.terms))
	x.termID[t] = id
	x.terms = append(x.terms, t)
	x.df = append(x.df, 0)
	x.post = append(x.post, nil)
	x.postTF = append(x.postTF, nil)
	return id
}

type termWeight struct {
	term uint32
	tf   uint8
	w    float64
}

// topTerms returns the maxTerms terms of highest weight, in term order.
func (x *Index) topTerms(tf []termCount) []termWeight {
	// A min-heap of the best so far: a document has hundreds of terms and
	// keeps a few dozen, so this beats sorting them all.
	h := make([]termWeight, 0, min(len(tf), x.maxTerms))
	worse := func(a, b termWeight) bool { // a ranks below b
		return a.w < b.w || (a.w == b.w && a.term > b.term)
	}
	down := func(i int) {
		for {
			l, m := 2*i+1, i
			if l < len(h) && worse(h[l], h[m]) {
				m = l
			}
			if r := l + 1; r < len(h) && worse(h[r], h[m]) {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for _, c := range tf {
		t := termWeight{c.term, c.tf, float64(lnTF[c.tf]) * smoothIDF(x.live, int(x.df[c.term]))}
		switch {
		case len(h) < x.maxTerms:
			h = append(h, t)
			for i := len(h) - 1; i > 0 && worse(h[i], h[(i-1)/2]); i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
		case worse(h[0], t):
			h[0] = t
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b termWeight) int { return cmp.Compare(a.term, b.term) })
	return h
}

func (x *Index) insertLocked(id int64, tf []termCount) {
	tw := x.topTerms(tf)
	slot := uint32(len(x.ids))
	x.slotOf[id] = slot
	x.ids = append(x.ids, id)
	x.alive = append(x.alive, true)
	x.off = append(x.off, uint32(len(x.fterm)))
	x.cnt = append(x.cnt, uint8(len(tw)))
	norm := 0.0
	for _, t := range tw {
		x.fterm = append(x.fterm, t.term)
		x.ftf = append(x.ftf, t.tf)
		x.post[t.term] = append(x.post[t.term], slot)
		x.postTF[t.term] = append(x.postTF[t.term], t.tf)
		norm += t.w * t.w
	}
	x.norm = append(x.norm, float32(math.Sqrt(norm)))
}

// Remove deletes a document; unknown IDs are ignored.
func (x *Index) Remove(id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.removeLocked(id)
}

func (x *Index) removeLocked(id int64) {
	slot, ok := x.slotOf[id]
	if !ok {
		return
	}
	delete(x.slotOf, id)
	x.alive[slot] = false
	for _, t := range x.slotTerms(slot) {
		if x.df[t] > 0 {
			x.df[t]--
		}
	}
	x.live--
	x.dead++
	// Postings of removed documents are skipped while searching and
	// dropped here once they are a quarter of the index.
	if x.dead >= 1024 && x.dead > x.live/4 {
		x.compactLocked()
	}
}

func (x *Index) slotTerms(slot uint32) []uint32 {
	o := x.off[slot]
	return x.fterm[o : o+uint32(x.cnt[slot])]
}

func (x *Index) slotTF(slot uint32) []uint8 {
	o := x.off[slot]
	return x.ftf[o : o+uint32(x.cnt[slot])]
}

func (x *Index) compactLocked() {
	n := x.live
	ids := make([]int64, 0, n)
	alive := make([]bool, 0, n)
	norm := make([]float32, 0, n)
	off := make([]uint32, 0, n)
	cnt := make([]uint8, 0, n)
	var fterm []uint32
	var ftf []uint8
	for i := range x.post {
		x.post[i] = x.post[i][:0:0]
		x.postTF[i] = x.postTF[i][:0:0]
	}
	for old := range x.ids {
		if !x.alive[old] {
			continue
		}
		slot := uint32(len(ids))
		ids = append(ids, x.ids[old])
		x.slotOf[x.ids[old]] = slot
		alive = append(alive, true)
		norm = append(norm, x.norm[old])
		off = append(off, uint32(len(fterm)))
		cnt = append(cnt, x.cnt[old])
		terms, tfs := x.slotTerms(uint32(old)), x.slotTF(uint32(old))
		fterm = append(fterm, terms...)
		ftf = append(ftf, tfs...)
		for k, t := range terms {
			x.post[t] = append(x.post[t], slot)
			x.postTF[t] = append(x.postTF[t], tfs[k])
		}
	}
	x.ids, x.alive, x.norm, x.off, x.cnt, x.fterm, x.ftf = ids, alive, norm, off, cnt, fterm, ftf
	x.dead = 0
}

// queryVec is a query's kept terms in term order with their weights.
type queryVec struct {
	terms []uint32 // known terms only
	w     []float64
	norm  float64 // over all kept terms, known or not
}

// vectorLocked weighs the query's terms like a document's and keeps as
// many. Terms the index has never seen cannot match but do count in the
// query's length: a text with many words of its own is less similar.
func (x *Index) vectorLocked(tokens []string) queryVec {
	type qt struct {
		term  string
		id    uint32
		known bool
		w     float64
	}
	tf := map[string]int{}
	for _, t := range tokens {
		if !isNumeral(t) {
			tf[t]++
		}
	}
	qs := make([]qt, 0, len(tf))
	for t, n := range tf {
		id, known := x.termID[t]
		df := 0
		if known {
			df = int(x.df[id])
		}
		qs = append(qs, qt{t, id, known, float64(lnTF[min(n, 255)]) * smoothIDF(x.live, df)})
	}
	sort.Slice(qs, func(i, j int) bool {
		if qs[i].w != qs[j].w {
			return qs[i].w > qs[j].w
		}
		return qs[i].term < qs[j].term
	})
	if len(qs) > x.maxTerms {
		qs = qs[:x.maxTerms]
	}
	var v queryVec
	for _, q := range qs {
		v.norm += q.w * q.w
		if q.known {
			v.terms = append(v.terms, q.id)
			v.w = append(v.w, q.w)
		}
	}
	v.norm = math.Sqrt(v.norm)
	sortVec(&v)
	return v
}

func sortVec(v *queryVec) {
	idx := make([]int, len(v.terms))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return v.terms[idx[a]] < v.terms[idx[b]] })
	terms := make([]uint32, len(idx))
	w := make([]float64, len(idx))
	for i, j := range idx {
		terms[i], w[i] = v.terms[j], v.w[j]
	}
	v.terms, v.w = terms, w
}

// Similar returns the k documents most similar to a text given as its
// tokens, best first (ties by ID), leaving out those for which filter
// returns false (nil keeps all). Documents sharing no kept term are never
// returned.
func (x *Index) Similar(tokens []string, k int, filter func(id int64) bool) []Match {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.similarLocked(x.vectorLocked(tokens), k, filter, -1)
}

// SimilarTo is Similar for a document already in the index, which is left
// out of its own results. Nil if the ID is unknown.
func (x *Index) SimilarTo(id int64, k int, filter func(id int64) bool) []Match {
	x.mu.RLock()
	defer x.mu.RUnlock()
	slot, ok := x.slotOf[id]
	if !ok {
		return nil
	}
	return x.similarLocked(x.docVec(slot), k, filter, int64(slot))
}

// docVec is a stored document's vector with today's IDF.
func (x *Index) docVec(slot uint32) queryVec {
	terms, tfs := x.slotTerms(slot), x.slotTF(slot)
	v := queryVec{terms: terms, w: make([]float64, len(terms))}
	for i, t := range terms {
		w := float64(lnTF[tfs[i]]) * smoothIDF(x.live, int(x.df[t]))
		v.w[i] = w
		v.norm += w * w
	}
	v.norm = math.Sqrt(v.norm)
	return v
}

func (x *Index) similarLocked(q queryVec, k int, filter func(int64) bool, self int64) []Match {
	if k <= 0 || len(q.terms) == 0 || q.norm == 0 {
		return nil
	}
	a, _ := x.pool.Get().(*accum)
	if a == nil {
		a = &accum{}
	}
	defer x.pool.Put(a)
	if len(a.score) < len(x.ids) {
		a.score = make([]float32, len(x.ids)+len(x.ids)/8)
	}
	score := a.score
	touched := a.touched[:0]

	// Candidates: accumulate the dot product over the inverted lists of the
	// query's terms, using the document's term frequency but the length it
	// had when added (exact lengths cost a pass over its terms).
	for i, t := range q.terms {
		idf := float32(smoothIDF(x.live, int(x.df[t])))
		qw := float32(q.w[i])
		tfs := x.postTF[t]
		for j, slot := range x.post[t] {
			if !x.alive[slot] {
				continue
			}
			if score[slot] == 0 {
				touched = append(touched, slot)
			}
			score[slot] += qw * idf * lnTF[tfs[j]]
		}
	}

	keep := max(10*k, 100)
	h := make(candHeap, 0, keep+1)
	for _, slot := range touched {
		s := score[slot]
		score[slot] = 0
		if int64(slot) == self {
			continue
		}
		if x.norm[slot] > 0 {
			s /= x.norm[slot]
		}
		if len(h) == keep && s <= h[0].s {
			continue
		}
		if filter != nil && !filter(x.ids[slot]) {
			continue
		}
		heap.Push(&h, cand{slot, s})
		if len(h) > keep {
			heap.Pop(&h)
		}
	}
	a.touched = touched

	out := make([]Match, 0, len(h))
	for _, c := range h {
		out = append(out, Match{x.ids[c.slot], x.cosine(q, c.slot)})
	}
	sortMatches(out)
	if len(out) > k {
		out = out[:k]
	}
	return out
}

// cosine scores a candidate exactly by merging the two sorted term lists.
func (x *Index) cosine(q queryVec, slot uint32) float64 {
	terms, tfs := x.slotTerms(slot), x.slotTF(slot)
	dot, dn := 0.0, 0.0
	i := 0
	for j, t := range terms {
		w := float64(lnTF[tfs[j]]) * smoothIDF(x.live, int(x.df[t]))
		dn += w * w
		for i < len(q.terms) && q.terms[i] < t {
			i++
		}
		if i < len(q.terms) && q.terms[i] == t {
			dot += w * q.w[i]
		}
	}
	if dn == 0 || q.norm == 0 {
		return 0
	}
	return min(dot/(math.Sqrt(dn)*q.norm), 1)
}

func sortMatches(m []Match) {
	sort.Slice(m, func(i, j int) bool {
		if m[i].Score != m[j].Score {
			return m[i].Score > m[j].Score
		}
		return m[i].ID < m[j].ID
	})
}

type cand struct {
	slot uint32
	s    float32
}

// candHeap is a min-heap on the partial score.
type candHeap []cand

func (h candHeap) Len() int           { return len(h) }
func (h candHeap) Less(i, j int) bool { return h[i].s < h[j].s }
func (h candHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *candHeap) Push(v any)        { *h = append(*h, v.(cand)) }
func (h *candHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

// Similarity returns the cosine similarity of two indexed documents (0 if
// either is unknown).
func (x *Index) Similarity(a, b int64) float64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	sa, ok1 := x.slotOf[a]
	sb, ok2 := x.slotOf[b]
	if !ok1 || !ok2 {
		return 0
	}
	return x.cosine(x.docVec(sa), sb)
}

// NearDuplicateGroups groups the given documents (a review queue) whose
// similarity reaches threshold, linking transitively: if A is like B and B
// like C, the office sees one group of three. Groups come largest score
// first; documents without a near-duplicate are left out. It compares every
// pair, which is meant for queues of up to a few thousand proposals.
func (x *Index) NearDuplicateGroups(ids []int64, threshold float64) []Group {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var slots []uint32
	var vecs []queryVec
	seen := map[int64]bool{}
	for _, id := range ids {
		if s, ok := x.slotOf[id]; ok && !seen[id] {
			seen[id] = true
			slots = append(slots, s)
			vecs = append(vecs, x.docVec(s))
		}
	}
	type pair struct {
		a, b int
		s    float64
	}
	var pairs []pair
	for i := range slots {
		for j := i + 1; j < len(slots); j++ {
			if s := x.cosine(vecs[i], slots[j]); s >= threshold {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	// Strongest links first (Kruskal), so a group's score is the weakest
	// link of its maximum spanning tree.
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].s != pairs[j].s {
			return pairs[i].s > pairs[j].s
		}
		if pairs[i].a != pairs[j].a {
			return pairs[i].a < pairs[j].a
		}
		return pairs[i].b < pairs[j].b
	})
	parent := make([]int, len(slots))
	weakest := make([]float64, len(slots))
	for i := range parent {
		parent[i] = i
		weakest[i] = 1
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, p := range pairs {
		ra, rb := find(p.a), find(p.b)
		if ra == rb {
			continue
		}
		parent[rb] = ra
		weakest[ra] = min(weakest[ra], weakest[rb], p.s)
	}
	members := map[int][]int64{}
	for i, s := range slots {
		r := find(i)
		members[r] = append(members[r], x.ids[s])
	}
	var out []Group
	for r, m := range members {
		if len(m) < 2 {
			continue
		}
		sort.Slice(m, func(i, j int) bool { return m[i] < m[j] })
		out = append(out, Group{IDs: m, Score: weakest[r]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].IDs[0] < out[j].IDs[0]
	})
	return out
}

// IndexStats describes an index's size.
type IndexStats struct {
	Docs     int
	Terms    int   // distinct terms seen
	Postings int   // kept (document, term) pairs, including removed ones not yet compacted
	Bytes    int64 // estimated heap held, excluding Go map overhead of the term dictionary
}

// Stats reports the index's size, for the benchmark and /metrics.
func (x *Index) Stats() IndexStats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	st := IndexStats{Docs: x.live, Terms: len(x.terms), Postings: len(x.fterm)}
	b := int64(cap(x.fterm))*4 + int64(cap(x.ftf))
	b += int64(cap(x.ids))*8 + int64(cap(x.alive)) + int64(cap(x.norm))*4 + int64(cap(x.off))*4 + int64(cap(x.cnt))
	for i := range x.post {
		b += int64(cap(x.post[i]))*4 + int64(cap(x.postTF[i])) + 48
		b += int64(len(x.terms[i])) + 16 + 4 // term text, string header, df
	}
	b += int64(len(x.slotOf)) * 16
	st.Bytes = b
	return st
}
