package app

import (
	"context"
	"sort"
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

// similarity holds one in-memory TF-IDF index per committee, behind the
// similar-proposal hints, merge suggestions and key terms. A committee's
// index is built from the stored tokens when first needed (or at WarmUp),
// and kept current after every commit that submits or imports proposals.
// One index per committee keeps each tenant's IDF its own and spares the
// similar-proposal query the candidates of other committees.
//
// It also holds what is learned from the committees' decisions (see
// suggest.go), which lives as long as the indexes do.
type similarity struct {
	mu    sync.Mutex
	by    map[int64]*simEntry
	clock uint64

	learn learner
	terms termCache
	merge mergeCache
	keys  keyTermCache
}

type simEntry struct {
	once sync.Once
	err  error
	// used is the similarity's clock at the entry's last use (under
	// similarity.mu): the least recently used index goes first when the
	// built ones hold more than IndexDocBudget documents.
	used uint64
	mu   sync.Mutex    // guards idx and pending
	idx  *search.Index // nil until built
	// pending holds documents committed while the index was being read
	// from the store: the read may or may not have seen them.
	pending []search.Doc
}

// simIndex returns the committee's similarity index, building it on first
// use; callers during the build wait for it.
func (s *Service) simIndex(ctx context.Context, committeeID int64) (*search.Index, error) {
	s.sim.mu.Lock()
	if s.sim.by == nil {
		s.sim.by = map[int64]*simEntry{}
	}
	e := s.sim.by[committeeID]
	if e == nil {
		e = &simEntry{}
		s.sim.by[committeeID] = e
	}
	s.sim.clock++
	e.used = s.sim.clock
	s.sim.mu.Unlock()
	built := false
	e.once.Do(func() {
		built = true
		idx := search.NewIndex(0)
		batch := make([]search.Doc, 0, 5000)
		// A request that gives up must not fail the build others wait for.
		e.err = s.Store.IndexedTokens(context.WithoutCancel(ctx), committeeID, func(d store.IndexedDoc) error {
			batch = append(batch, search.Doc{ID: d.ID, Tokens: append(strings.Fields(d.Title), strings.Fields(d.Body)...)})
			if len(batch) == cap(batch) {
				idx.AddBatch(batch)
				batch = batch[:0]
			}
			return nil
		})
		if e.err != nil {
			// Let the next caller try again rather than keep a broken index.
			s.sim.mu.Lock()
			delete(s.sim.by, committeeID)
			s.sim.mu.Unlock()
			return
		}
		idx.AddBatch(batch)
		e.mu.Lock()
		idx.AddBatch(e.pending)
		e.pending = nil
		e.idx = idx
		e.mu.Unlock()
	})
	if e.err != nil {
		return nil, e.err
	}
	if built {
		s.evictIndexes(e)
	}
	return e.idx, nil
}

// IndexDocBudget bounds how many proposals the similarity indexes of all
// committees hold together (about 350 bytes each, so 200,000 are ~70 MB):
// past it, the least recently used committees' indexes are dropped, to be
// built again from the stored words on their next use. The index just
// built is kept whatever its size.
var IndexDocBudget = 200000

// SimilarityIndexes reports the similarity indexes held in memory: how
// many committees' and how many proposals in all.
func (s *Service) SimilarityIndexes() (committees, docs int) {
	s.sim.mu.Lock()
	defer s.sim.mu.Unlock()
	for _, e := range s.sim.by {
		e.mu.Lock()
		if e.idx != nil {
			committees++
			docs += e.idx.Len()
		}
		e.mu.Unlock()
	}
	return committees, docs
}

// evictIndexes drops least recently used indexes other than keep until the
// built ones fit IndexDocBudget.
func (s *Service) evictIndexes(keep *simEntry) {
	type built struct {
		id   int64
		e    *simEntry
		docs int
	}
	s.sim.mu.Lock()
	defer s.sim.mu.Unlock()
	var all []built
	total := 0
	for id, e := range s.sim.by {
		e.mu.Lock()
		idx := e.idx
		e.mu.Unlock()
		if idx == nil {
			continue // being built: its builder evicts when done
		}
		all = append(all, built{id, e, idx.Len()})
		total += idx.Len()
	}
	if total <= IndexDocBudget {
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i].e.used < all[j].e.used })
	for _, b := range all {
		if total <= IndexDocBudget {
			break
		}
		if b.e == keep {
			continue
		}
		delete(s.sim.by, b.id)
		total -= b.docs
	}
}

// readyIndex returns the committee's index if it is built, without waiting.
func (s *Service) readyIndex(committeeID int64) *search.Index {
	s.sim.mu.Lock()
	e := s.sim.by[committeeID]
	s.sim.mu.Unlock()
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.idx
}

// WarmUp loads the segmentation dictionary and every committee's similarity
// index, so that the first user does not wait for them. Servers call it in
// the background.
func (s *Service) WarmUp(ctx context.Context) {
	search.Load()
	cs, err := s.Store.Committees(ctx)
	if err != nil {
		s.Log.Warn("similarity index", "err", err)
		return
	}
	// A deployment with many committees builds only the first few indexes
	// ahead; the others are built on their first use, so that memory grows
	// with the committees that are active, not with all that are stored.
	budget := WarmIndexDocs
	for _, c := range cs {
		if budget <= 0 {
			break
		}
		idx, err := s.simIndex(ctx, c.ID)
		if err != nil {
			s.Log.Warn("similarity index", "committee", c.ID, "err", err)
			continue
		}
		budget -= idx.Len()
	}
}

// WarmIndexDocs is how many proposals' similarity vectors WarmUp builds
// ahead, over all committees (about 350 bytes each).
var WarmIndexDocs = 100000

// addToIndex puts committed documents of one committee into its index, or
// queues them while the index is being built; a committee whose index was
// never asked for reads them from the store when it is.
func (s *Service) addToIndex(committeeID int64, docs []search.Doc) {
	s.sim.mu.Lock()
	e := s.sim.by[committeeID]
	s.sim.mu.Unlock()
	if e == nil || len(docs) == 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.idx == nil {
		e.pending = append(e.pending, docs...)
		return
	}
	e.idx.AddBatch(docs)
}

// indexAfterCommit keeps the similarity index in step with a proposal that
// the transaction submits. The words are those the draft's save stored in
// the full-text index (segmented once, before its transaction), read back
// in this one; only a proposal without an entry (imported from an archive
// before Reindex) is segmented here.
func (s *Service) indexAfterCommit(tx *store.Tx, p *zhengxie.Proposal) error {
	var tokens []string
	d, err := tx.ProposalTokens(p.CommitteeID, p.ID)
	switch {
	case err == nil:
		tokens = append(strings.Fields(d.Title), strings.Fields(d.Body)...)
	case zhengxie.ErrorCode(err) == zhengxie.ENotFound:
		tokens = append(search.Tokens(p.Title), search.Tokens(p.Body)...)
	default:
		return err
	}
	cid, id := p.CommitteeID, p.ID
	tx.AfterCommit(func() { s.addToIndex(cid, []search.Doc{{ID: id, Tokens: tokens}}) })
	return nil
}

// Reindex segments every proposal of a committee (0 for all) again and
// rewrites its index entry: after a committee was brought in from an export
// archive (which carries no index), or after words were added to the
// dictionary (search.LoadUserDict), which only texts indexed later use.
// It writes in transactions of 500 proposals, so the writer is never held
// long, and drops the similarity indexes to be rebuilt on next use.
func (s *Service) Reindex(ctx context.Context, committeeID int64, progress func(done int)) (int, error) {
	done := 0
	var after int64
	for {
		// Page by page, so that memory stays bounded whatever the size.
		texts, err := s.Store.ProposalTexts(ctx, committeeID, after, 500)
		if err != nil {
			return done, err
		}
		if len(texts) == 0 {
			break
		}
		docs := make([]store.SearchDoc, len(texts))
		for i, p := range texts {
			docs[i] = docOf(p.ID, p.Title, p.Body)
			docs[i].Replies = []string{}
			for _, r := range p.Replies {
				docs[i].Replies = append(docs[i].Replies, search.Tokens(r)...)
			}
		}
		err = s.Store.InTx(ctx, func(tx *store.Tx) error {
			for _, d := range docs {
				if err := tx.IndexProposal(d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(texts)
		after = texts[len(texts)-1].ID
		if progress != nil {
			progress(done)
		}
	}
	s.sim.mu.Lock()
	if committeeID == 0 {
		s.sim.by = nil
	} else {
		delete(s.sim.by, committeeID)
	}
	s.sim.mu.Unlock()
	s.sim.keys.clear() // the words were segmented again, without a change to the proposals
	return done, nil
}

// SearchQuery is what a person searches for.
type SearchQuery struct {
	Text   string
	Filter store.ProposalFilter
	// Facets asks for the counts per category, state, session and unit
	// (the search page shows them; the API may skip them).
	Facets bool
}

// Search runs a full-text search over what the actor may see, returning
// the hits and the query's terms (for highlighting). An empty text lists
// like the proposal list does, newest first; a text with no searchable word
// in it (only punctuation or words like 的) finds nothing.
//
// The public (a zero Actor) sees the published proposals of
// q.Filter.CommitteeID.
func (s *Service) Search(ctx context.Context, a zhengxie.Actor, q SearchQuery) (*store.SearchResult, []string, error) {
	terms := search.QueryTerms(q.Text)
	q.Filter.Viewer = a
	if len(terms) == 0 && strings.TrimSpace(q.Text) != "" {
		return &store.SearchResult{}, nil, nil
	}
	res, err := s.Store.Search(ctx, q.Filter, terms, store.SearchOptions{Facets: q.Facets})
	return res, terms, err
}

// SimilarHit is a proposal like the one being written.
type SimilarHit struct {
	P     zhengxie.Proposal
	Score float64
}

// MinSimilarity is the least cosine similarity worth showing as "similar".
// On the 2019 Jiangsu proposals, 99% of pairs of different categories score
// under 0.11 while a proposal's nearest other proposal scores 0.22 at the
// median (search.TestNearDuplicates): below 0.15 the hint would list what
// merely shares a few common words.
const MinSimilarity = 0.15

// Similar returns the proposals of the actor's committee most like a text
// (this session and earlier ones), best first, among those the actor may
// see: a member is shown published proposals and their own, not other
// members' unpublished texts. exclude leaves out the proposal being edited.
func (s *Service) Similar(ctx context.Context, a zhengxie.Actor, title, body string, exclude int64, k int) ([]SimilarHit, error) {
	if a.CommitteeID == 0 || k <= 0 {
		return nil, nil
	}
	k = min(k, 20)
	tokens := append(search.Tokens(title), search.Tokens(body)...)
	if len(tokens) == 0 {
		return nil, nil
	}
	idx, err := s.simIndex(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	// Ask for more than k: some of the nearest may be invisible to a.
	ms := idx.Similar(tokens, max(4*k, 20), func(id int64) bool { return id != exclude })
	var ids []int64
	for _, m := range ms {
		if m.Score >= MinSimilarity {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	ps, _, err := s.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	visible := make(map[int64]zhengxie.Proposal, len(ps))
	for _, p := range ps {
		visible[p.ID] = p
	}
	var out []SimilarHit
	for _, m := range ms {
		if p, ok := visible[m.ID]; ok && m.Score >= MinSimilarity {
			out = append(out, SimilarHit{P: p, Score: m.Score})
			if len(out) == k {
				break
			}
		}
	}
	return out, nil
}
