package app

import (
	"context"
	"strings"
	"sync"

	"zhengxie"
	"zhengxie/search"
	"zhengxie/store"
)

// docOf segments a proposal's text for the index: done once per write, and
// before the transaction so that the single writer is not held by it.
func docOf(id int64, title, body string) store.SearchDoc {
	return store.SearchDoc{ProposalID: id, Title: search.Tokens(title), Body: search.Tokens(body)}
}

// similarity is the in-memory TF-IDF index behind similar-proposal hints
// and merge suggestions, built from the stored tokens on first use.
type similarity struct {
	once sync.Once
	idx  *search.Index
	err  error
}

func (s *Service) simIndex(ctx context.Context) (*search.Index, error) {
	s.sim.once.Do(func() {
		idx := search.NewIndex(0)
		var batch []search.Doc
		s.sim.err = s.Store.IndexedTokens(ctx, 0, func(id int64, title, body string) error {
			batch = append(batch, search.Doc{ID: id, Tokens: append(strings.Fields(title), strings.Fields(body)...)})
			if len(batch) == 5000 {
				idx.AddBatch(batch)
				batch = batch[:0]
			}
			return nil
		})
		idx.AddBatch(batch)
		s.sim.idx = idx
	})
	return s.sim.idx, s.sim.err
}

// WarmUp loads the segmentation dictionary and the similarity index, so that
// the first user does not wait for them. Servers call it in the background.
func (s *Service) WarmUp(ctx context.Context) {
	search.Load()
	if _, err := s.simIndex(ctx); err != nil {
		s.Log.Warn("similarity index", "err", err)
	}
}

// indexed keeps the similarity index in step after a commit.
func (s *Service) indexed(d store.SearchDoc) {
	if s.sim.idx != nil {
		s.sim.idx.Add(d.ProposalID, append(append([]string(nil), d.Title...), d.Body...))
	}
}

// SearchQuery is what a person searches for.
type SearchQuery struct {
	Text   string
	Filter store.ProposalFilter
}

// Search runs a full-text search over what the actor may see. An empty text
// lists like the proposal list does.
func (s *Service) Search(ctx context.Context, a zhengxie.Actor, q SearchQuery) (*store.SearchResult, []string, error) {
	terms := search.QueryTerms(q.Text)
	q.Filter.Viewer = a
	if len(terms) == 0 {
		ps, total, err := s.Store.Proposals(ctx, q.Filter)
		if err != nil {
			return nil, nil, err
		}
		res := &store.SearchResult{Total: total}
		for _, p := range ps {
			res.Hits = append(res.Hits, store.Hit{Proposal: p})
		}
		return res, nil, nil
	}
	match := search.FTS5Match(terms)
	if s.Store.Engine() == "postgres" {
		match = search.TSQuery(terms)
	}
	res, err := s.Store.Search(ctx, q.Filter, match)
	return res, terms, err
}

// SimilarHit is a proposal like the one being written.
type SimilarHit struct {
	P     zhengxie.Proposal
	Score float64
}

// Similar returns the proposals most like a text that the actor may see,
// best first.
func (s *Service) Similar(ctx context.Context, a zhengxie.Actor, title, body string, exclude int64, k int) ([]SimilarHit, error) {
	idx, err := s.simIndex(ctx)
	if err != nil {
		return nil, err
	}
	tokens := append(search.Tokens(title), search.Tokens(body)...)
	if len(tokens) == 0 {
		return nil, nil
	}
	var out []SimilarHit
	for _, m := range idx.Similar(tokens, k*3, func(id int64) bool { return id != exclude }) {
		v, err := s.Proposal(ctx, a, m.ID)
		if err != nil {
			continue // not visible to this actor, or another committee's
		}
		out = append(out, SimilarHit{P: *v.P, Score: m.Score})
		if len(out) == k {
			break
		}
	}
	return out, nil
}
