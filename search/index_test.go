package search

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

func words(s string) []string { return strings.Fields(s) }

func TestIndexBasics(t *testing.T) {
	x := NewIndex(0)
	docs := map[int64]string{
		1: "公厕 指引 系统 环卫 城市 公厕 公厕",
		2: "光纤 改造 小区 宽带 光纤",
		3: "民营企业 融资 贷款 银行 民营企业 担保",
		4: "养老 服务 居家 社区 养老",
		5: "融资 银行 中小企业 贷款 信用",
	}
	for id, d := range docs {
		x.Add(id, words(d))
	}
	if x.Len() != 5 {
		t.Fatalf("Len = %d", x.Len())
	}
	m := x.Similar(words(docs[3]), 3, nil)
	if len(m) < 2 || m[0].ID != 3 || m[0].Score < 0.999 || m[1].ID != 5 {
		t.Errorf("Similar(doc 3) = %v, want 3 (score 1) then 5", m)
	}
	if m[1].Score <= 0 || m[1].Score >= m[0].Score {
		t.Errorf("doc 5 shares financing words: score %v", m[1].Score)
	}
	for _, r := range x.Similar(words(docs[3]), 5, nil) {
		if r.ID == 1 || r.ID == 2 || r.ID == 4 {
			t.Errorf("doc %d shares no term but was returned", r.ID)
		}
	}
	if m := x.Similar(words(docs[3]), 3, func(id int64) bool { return id != 3 }); len(m) == 0 || m[0].ID != 5 {
		t.Errorf("filter: %v", m)
	}
	to := x.SimilarTo(3, 3, nil)
	if len(to) == 0 || to[0].ID != 5 {
		t.Fatalf("SimilarTo(3) = %v, want 5 first and 3 left out", to)
	}
	if s := x.Similarity(3, 5); math.Abs(s-to[0].Score) > 1e-9 {
		t.Errorf("Similarity(3,5) = %v, SimilarTo said %v", s, to[0].Score)
	}
	// Numbers do not make texts alike or different.
	x.Add(6, words("光纤 改造 小区 宽带 光纤 2019 2020"))
	if s := x.Similarity(2, 6); s < 0.999 {
		t.Errorf("texts differing in numbers only: %v", s)
	}
	// Words of its own make a text less similar.
	q := append(words(docs[1]), "独有", "新词", "另外", "一些")
	if m := x.Similar(q, 1, nil); m[0].ID != 1 || m[0].Score > 0.95 {
		t.Errorf("query with unknown words: %v", m)
	}
	// Replacing a document.
	x.Add(3, words("养老 服务 居家"))
	if m := x.Similar(words(docs[3]), 3, nil); len(m) > 0 && m[0].ID == 3 {
		t.Errorf("replaced document still matches its old text: %v", m)
	}
	if x.Len() != 6 {
		t.Errorf("Len after replace = %d", x.Len())
	}
	x.Remove(3)
	x.Remove(99)
	for _, r := range x.Similar(words("养老 服务 居家"), 10, nil) {
		if r.ID == 3 {
			t.Error("removed document returned")
		}
	}
	if x.Len() != 5 || x.SimilarTo(3, 1, nil) != nil {
		t.Errorf("after Remove: Len %d", x.Len())
	}
	if m := x.Similar(nil, 5, nil); m != nil {
		t.Errorf("empty query: %v", m)
	}
}

func TestIndexCompaction(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	vocab := make([]string, 3000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("词%d", i)
	}
	x := NewIndex(16)
	var batch []Doc
	for id := int64(0); id < 4000; id++ {
		toks := make([]string, 30)
		for i := range toks {
			toks[i] = vocab[int(math.Abs(rng.NormFloat64())*400)%len(vocab)]
		}
		batch = append(batch, Doc{id, toks})
	}
	x.AddBatch(batch)
	for id := int64(0); id < 1000; id++ {
		x.Remove(id * 4)
	}
	before := x.Stats()
	var want [][]Match
	for _, d := range batch[1:200] {
		want = append(want, x.Similar(d.Tokens, 5, nil))
	}
	x.mu.Lock()
	x.compactLocked()
	x.mu.Unlock()
	after := x.Stats()
	if after.Postings >= before.Postings || after.Docs != 3000 {
		t.Errorf("compaction: before %+v after %+v", before, after)
	}
	for i, d := range batch[1:200] {
		got := x.Similar(d.Tokens, 5, nil)
		if fmt.Sprint(got) != fmt.Sprint(want[i]) {
			t.Fatalf("results changed by compaction:\n%v\n%v", want[i], got)
		}
	}
	// Automatic compaction once a quarter is dead.
	removed := 0
	for id := int64(1); id < 4000 && removed < 1500; id += 2 {
		x.Remove(id)
		removed++
	}
	if x.dead >= 1024 && x.dead > x.live/4 {
		t.Errorf("%d dead slots for %d live: no automatic compaction", x.dead, x.live)
	}
	if x.Len() != 1500 || len(x.ids) >= 3000 {
		t.Errorf("Len %d, %d slots after removing 1500 more", x.Len(), len(x.ids))
	}
}

func TestIndexConcurrent(t *testing.T) {
	props := loadProposals(t)
	x := NewIndex(0)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < len(props); i += 4 {
				x.Add(int64(i), props[i].BodyTokens)
				x.Similar(props[(i+1)%len(props)].BodyTokens, 5, nil)
				if i%10 == 0 {
					x.Remove(int64(i))
				}
			}
		}(g)
	}
	wg.Wait()
	if n := x.Len(); n != len(props)-44 {
		t.Errorf("Len = %d, want %d", n, len(props)-44)
	}
}

// Our own synonym pairs, for changed wording.
var synonyms = [][2]string{
	{"加强", "强化"}, {"推进", "推动"}, {"完善", "健全"}, {"提高", "提升"}, {"措施", "举措"},
	{"目前", "当前"}, {"相关", "有关"}, {"部门", "机关"}, {"问题", "难题"}, {"进一步", "更加"},
	{"建立", "建设"}, {"需要", "须要"}, {"重要", "关键"}, {"情况", "状况"}, {"我省", "本省"},
}

// perturb rewrites a proposal the way a second proposer might: a sentence
// dropped, paragraphs (three sentences each) in another order, and about
// half of the synonym pairs swapped.
func perturb(text string, rng *rand.Rand) string {
	sents := strings.SplitAfter(text, "。")
	if len(sents) > 3 {
		i := rng.Intn(len(sents))
		sents = append(sents[:i], sents[i+1:]...)
	}
	var paras []string
	for i := 0; i < len(sents); i += 3 {
		paras = append(paras, strings.Join(sents[i:min(i+3, len(sents))], ""))
	}
	rng.Shuffle(len(paras), func(i, j int) { paras[i], paras[j] = paras[j], paras[i] })
	out := strings.Join(paras, "\n")
	for _, s := range synonyms {
		if rng.Intn(2) == 0 {
			out = strings.ReplaceAll(out, s[0], s[1])
		}
	}
	return out
}

func proposalIndex(t *testing.T, maxTerms int) (*Index, []proposal) {
	props := loadProposals(t)
	x := NewIndex(maxTerms)
	docs := make([]Doc, len(props))
	for i, p := range props {
		docs[i] = Doc{int64(i), append(append([]string{}, p.TitleTokens...), p.BodyTokens...)}
	}
	x.AddBatch(docs)
	return x, props
}

func quantile(a []float64, q float64) float64 {
	s := slices.Clone(a)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1))]
}

func TestNearDuplicates(t *testing.T) {
	x, props := proposalIndex(t, 0)
	rng := rand.New(rand.NewSource(2019))
	var own, second []float64
	tried := 0
	for i, p := range props {
		if i%4 != 0 {
			continue
		}
		tried++
		m := x.Similar(append(Tokens(p.Title), Tokens(perturb(p.Body, rng))...), 2, nil)
		if len(m) == 0 || m[0].ID != int64(i) {
			t.Errorf("perturbed %s: original not the top match: %v", p.Number, m)
			continue
		}
		own = append(own, m[0].Score)
		if len(m) > 1 {
			second = append(second, m[1].Score)
		}
	}
	var nearest []float64
	for i := range props {
		if m := x.SimilarTo(int64(i), 1, nil); len(m) > 0 {
			nearest = append(nearest, m[0].Score)
		}
	}
	t.Logf("%d perturbed proposals: score of the original min %.3f, 10th percentile %.3f, median %.3f; runner-up median %.3f, 90th percentile %.3f",
		tried, quantile(own, 0), quantile(own, 0.1), quantile(own, 0.5), quantile(second, 0.5), quantile(second, 0.9))
	// Unrelated: pairs of proposals of different categories.
	var unrelated []float64
	for i := range props {
		for _, j := range []int{(i*7 + 13) % len(props), (i*31 + 5) % len(props)} {
			if props[i].Type != props[j].Type {
				unrelated = append(unrelated, x.Similarity(int64(i), int64(j)))
			}
		}
	}
	t.Logf("each proposal's nearest other proposal: median %.3f, 90th percentile %.3f, max %.3f; %d pairs of different categories: median %.3f, 99th percentile %.3f",
		quantile(nearest, 0.5), quantile(nearest, 0.9), quantile(nearest, 1), len(unrelated), quantile(unrelated, 0.5), quantile(unrelated, 0.99))
	if quantile(own, 0) < 0.7 || quantile(own, 0.1) < 0.85 {
		t.Errorf("perturbed copies score too low against their original")
	}
	if quantile(second, 0.5) > 0.3 || quantile(unrelated, 0.99) > 0.3 {
		t.Errorf("unrelated proposals score too high")
	}
}

func TestNearDuplicateGroups(t *testing.T) {
	x, props := proposalIndex(t, 0)
	number := map[int64]string{}
	var ids []int64
	for i, p := range props {
		ids = append(ids, int64(i))
		number[int64(i)] = p.Number
	}
	rng := rand.New(rand.NewSource(5))
	copies := map[int64]int64{}
	for i := 3; i < len(props); i += 23 {
		id := int64(10000 + i)
		x.Add(id, append(Tokens(props[i].Title), Tokens(perturb(props[i].Body, rng))...))
		copies[id] = int64(i)
		ids = append(ids, id)
		number[id] = props[i].Number + "′"
	}
	groups := x.NearDuplicateGroups(ids, 0.6)
	grouped := map[int64][]int64{}
	for _, g := range groups {
		var names []string
		for _, id := range g.IDs {
			grouped[id] = g.IDs
			names = append(names, number[id])
		}
		if len(g.IDs) > 3 {
			t.Errorf("group of %d chained together: %v", len(g.IDs), names)
		}
		t.Logf("group %.3f: %v", g.Score, names)
	}
	for c, orig := range copies {
		if !slices.Contains(grouped[c], orig) {
			t.Errorf("perturbed copy of %s not grouped with it", number[orig])
		}
	}
	// Pairs in the data that are the same proposal filed twice.
	byNumber := map[string]int64{}
	for id, n := range number {
		byNumber[n] = id
	}
	for _, pair := range [][2]string{{"0544", "0615"}, {"0111", "0272"}, {"0579", "0833"}} {
		if !slices.Contains(grouped[byNumber[pair[0]]], byNumber[pair[1]]) {
			t.Errorf("%s and %s are near-duplicates in the data but not grouped", pair[0], pair[1])
		}
	}
	if n := len(groups) - len(copies); n > 8 {
		t.Errorf("%d groups beyond the perturbed copies at 0.6: too eager", n)
	}
}

// Proposals on the same subject (a relevance-set query with several
// answers) should find each other among their ten most similar.
func TestSimilarSameTopic(t *testing.T) {
	x, props := proposalIndex(t, 0)
	id := map[string]int64{}
	for i, p := range props {
		id[p.Number] = int64(i)
	}
	found, total := 0, 0
	for _, c := range RelevanceSet {
		if len(c.Want) < 2 {
			continue
		}
		for _, a := range c.Want {
			m := x.SimilarTo(id[a], 10, nil)
			for _, b := range c.Want {
				if a == b {
					continue
				}
				total++
				for _, r := range m {
					if r.ID == id[b] {
						found++
						break
					}
				}
			}
		}
	}
	rate := float64(found) / float64(total)
	t.Logf("same-topic proposals among each other's 10 most similar: %d of %d (%.1f%%)", found, total, 100*rate)
	if rate < 0.6 {
		t.Errorf("only %.1f%% of same-topic pairs found", 100*rate)
	}
}

// Keeping DefaultMaxTerms terms per document instead of (nearly) all of
// them must keep the neighbours that matter: those scoring 0.3 or more with
// full vectors (below that, neighbours are a weak and arbitrary order).
func TestSimilarMaxTerms(t *testing.T) {
	small, props := proposalIndex(t, DefaultMaxTerms)
	full, _ := proposalIndex(t, 255)
	strong, kept := 0, 0
	for i := range props {
		got := map[int64]bool{}
		for _, m := range small.SimilarTo(int64(i), 5, nil) {
			got[m.ID] = true
		}
		for _, m := range full.SimilarTo(int64(i), 5, nil) {
			if m.Score >= 0.3 {
				strong++
				if got[m.ID] {
					kept++
				}
			}
		}
	}
	rate := float64(kept) / float64(strong)
	t.Logf("%d terms per document instead of 255: %d of %d strong neighbours still in the top 5 (%.1f%%); postings %d instead of %d",
		DefaultMaxTerms, kept, strong, 100*rate, small.Stats().Postings, full.Stats().Postings)
	if rate < 0.95 {
		t.Error("truncated vectors lose strong neighbours")
	}
}
