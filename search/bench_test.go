package search

import (
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"
)

// medianProposal is a real text of typical length (the median of the 436).
func medianProposal(b *testing.B) proposal {
	props := loadProposals(b)
	s := append([]proposal{}, props...)
	sort.Slice(s, func(i, j int) bool { return len(s[i].Body) < len(s[j].Body) })
	return s[len(s)/2]
}

func BenchmarkTokens(b *testing.B) {
	p := medianProposal(b)
	text := p.Title + "\n" + p.Body
	Load()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Tokens(text)
	}
	b.ReportMetric(float64(len([]rune(text))), "chars/text")
}

func BenchmarkQueryTerms(b *testing.B) {
	Load()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		QueryTerms("民营企业融资难")
	}
}

func BenchmarkHighlightSnippet(b *testing.B) {
	p := medianProposal(b)
	terms := QueryTerms("发展 建议")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Highlight(p.Title, terms)
		Snippet(p.Body, terms, 120)
	}
}

// synthetic builds n documents with the token statistics of the real
// proposals: each takes most of its tokens from one real proposal (its
// topic), some from the whole collection, and a few from a long tail of
// rare terms that a million real texts would have and 436 do not.
type synthetic struct {
	x     *Index
	docs  int
	build time.Duration
	heap  uint64
}

var (
	synthOnce sync.Once
	synth     synthetic
)

func syntheticIndex(b *testing.B, n int) synthetic {
	props := loadProposals(b)
	synthOnce.Do(func() {
		rng := rand.New(rand.NewSource(42))
		var pool []string
		for _, p := range props {
			pool = append(pool, p.BodyTokens...)
		}
		zipf := rand.NewZipf(rng, 1.1, 1, 500000)
		runtime.GC()
		var m0 runtime.MemStats
		runtime.ReadMemStats(&m0)
		var indexing time.Duration // AddBatch only, not making up the texts
		x := NewIndex(0)
		const batch = 5000
		docs := make([]Doc, 0, batch)
		for id := 0; id < n; id++ {
			base := props[rng.Intn(len(props))]
			length := 200 + rng.Intn(400)
			toks := make([]string, length)
			for i := range toks {
				switch r := rng.Float64(); {
				case r < 0.65:
					toks[i] = base.BodyTokens[rng.Intn(len(base.BodyTokens))]
				case r < 0.97:
					toks[i] = pool[rng.Intn(len(pool))]
				default:
					toks[i] = fmt.Sprintf("稀%d", zipf.Uint64())
				}
			}
			docs = append(docs, Doc{int64(id), toks})
			if len(docs) == batch {
				t0 := time.Now()
				x.AddBatch(docs)
				indexing += time.Since(t0)
				docs = docs[:0]
			}
		}
		t0 := time.Now()
		x.AddBatch(docs)
		indexing += time.Since(t0)
		synth.build = indexing
		runtime.GC()
		var m1 runtime.MemStats
		runtime.ReadMemStats(&m1)
		synth.x, synth.docs, synth.heap = x, n, m1.HeapAlloc-m0.HeapAlloc
	})
	return synth
}

// BenchmarkSimilar100k: the "similar proposals" query of a member typing a
// new proposal (a real text, rewritten) against 100,000 documents.
func BenchmarkSimilar100k(b *testing.B) {
	s := syntheticIndex(b, 100000)
	props := loadProposals(b)
	rng := rand.New(rand.NewSource(1))
	queries := make([][]string, 64)
	for i := range queries {
		p := props[rng.Intn(len(props))]
		queries[i] = append(Tokens(p.Title), Tokens(perturb(p.Body, rng))...)
	}
	st := s.x.Stats()
	fmt.Printf("synthetic index: %d docs, %d terms, %d postings; indexed in %v (%.0f docs/s); %.0f MiB by Stats, heap grew %.0f MiB\n",
		st.Docs, st.Terms, st.Postings, s.build.Round(time.Millisecond), float64(s.docs)/s.build.Seconds(), float64(st.Bytes)/(1<<20), float64(s.heap)/(1<<20))
	for _, variant := range []struct {
		name   string
		filter func(int64) bool
	}{
		{"all", nil},
		{"filtered", func(id int64) bool { return id%3 == 0 }}, // e.g. one committee's, published
	} {
		b.Run(variant.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if m := s.x.Similar(queries[i%len(queries)], 10, variant.filter); len(m) == 0 {
					b.Fatal("no match")
				}
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(s.heap)/(1<<20), "index-heap-MiB")
		})
	}
}

// BenchmarkIndexReplace100k: one write (a proposal saved again) on the
// 100,000-document index.
func BenchmarkIndexReplace100k(b *testing.B) {
	s := syntheticIndex(b, 100000)
	props := loadProposals(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := props[i%len(props)]
		s.x.Add(int64(i%1000), p.BodyTokens)
	}
}
