package app

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"zhengxie"
	"zhengxie/search"
	"zhengxie/store"
)

// The office's helpers built on the search tokens: suggested categories and
// lead units learned from the committee's own past decisions, near-duplicate
// groups in the review queue, and key terms of a proposal or a session.
// Every suggestion is only shown: nothing changes until a person chooses it.

// Suggestion is a category or unit proposed for a proposal.
type Suggestion struct {
	Value      string // the category, or the unit's id in decimal
	Label      string // what to show: the category, or the unit's name
	Confidence float64
}

// Percent is the confidence in whole percent, for showing.
func (s Suggestion) Percent() int { return percent(s.Confidence) }

func percent(f float64) int { return int(math.Round(f * 100)) }

// Suggestions are what the office is offered for one proposal.
type Suggestions struct {
	Category []Suggestion // at review
	Units    []Suggestion // at assignment: the likely lead unit
	// How many past decisions each was learned from.
	CategoryBasis, UnitBasis int
}

// minDecisions is how many past decisions a suggestion needs: with fewer, a
// centroid is one or two proposals and its "confidence" means nothing.
const minDecisions = 10

// learnRecheck is how often a committee's decisions are checked for change;
// a change retrains its classifiers at the next suggestion.
const learnRecheck = time.Minute

// learner keeps one pair of classifiers per committee.
type learner struct {
	mu sync.Mutex
	by map[int64]*learned
}

type learned struct {
	mu       sync.Mutex // held while checking and training
	built    bool
	stamp    string
	checked  time.Time
	category *search.Classifier // labels: categories
	units    *search.Classifier // labels: unit ids
}

func (l *learner) entry(committeeID int64) *learned {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.by == nil {
		l.by = map[int64]*learned{}
	}
	e := l.by[committeeID]
	if e == nil {
		e = &learned{}
		l.by[committeeID] = e
	}
	return e
}

// invalidate makes the next suggestion for the committee retrain, after a
// change that the stamp might not show within learnRecheck.
func (l *learner) invalidate(committeeID int64) {
	l.mu.Lock()
	delete(l.by, committeeID)
	l.mu.Unlock()
}

// classifiers returns the committee's classifiers, retraining them when its
// decisions changed since they were trained.
func (s *Service) classifiers(ctx context.Context, committeeID int64) (category, units *search.Classifier, err error) {
	e := s.sim.learn.entry(committeeID)
	e.mu.Lock()
	defer e.mu.Unlock()
	now := s.now()
	if d := now.Sub(e.checked); e.built && d >= 0 && d < learnRecheck {
		return e.category, e.units, nil
	}
	stamp, err := s.Store.DecisionStamp(ctx, committeeID)
	if err != nil {
		return nil, nil, err
	}
	e.checked = now
	if e.built && stamp == e.stamp {
		return e.category, e.units, nil
	}
	cat, un := search.NewClassifier(), search.NewClassifier()
	err = s.Store.Decisions(ctx, committeeID, func(d store.DecisionDoc) error {
		tokens := append(strings.Fields(d.Title), strings.Fields(d.Body)...)
		if d.Category != "" {
			cat.Add(tokens, d.Category)
		}
		for _, u := range d.LeadUnits {
			un.Add(tokens, strconv.FormatInt(u, 10))
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	e.category, e.units, e.stamp, e.built = cat, un, stamp, true
	return cat, un, nil
}

// usable reports whether a classifier has learned enough to suggest.
func usable(c *search.Classifier) bool { return c.Len() >= minDecisions && len(c.Labels()) >= 2 }

// Suggest offers the office the likely category of a proposal under review
// and the likely lead unit of one to be assigned, three each with their
// confidence, learned from the committee's accepted proposals and the lead
// units they went to. Others get nothing.
func (s *Service) Suggest(ctx context.Context, a zhengxie.Actor, p *zhengxie.Proposal) (*Suggestions, error) {
	out := &Suggestions{}
	if (a.Role != zhengxie.RoleOffice && a.Role != zhengxie.RoleLeader) || a.CommitteeID != p.CommitteeID {
		return out, nil
	}
	wantCategory := p.State == zhengxie.StateUnderReview
	wantUnits := p.State == zhengxie.StateAccepted || p.State == zhengxie.StateHandling || p.State == zhengxie.StateReplied
	if !wantCategory && !wantUnits {
		return out, nil
	}
	cat, units, err := s.classifiers(ctx, p.CommitteeID)
	if err != nil {
		return nil, err
	}
	doc, err := s.Store.ProposalTokens(ctx, p.CommitteeID, p.ID)
	if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
		return out, nil // not indexed (a committee imported from an archive, before Reindex)
	}
	if err != nil {
		return nil, err
	}
	tokens := append(strings.Fields(doc.Title), strings.Fields(doc.Body)...)
	out.CategoryBasis, out.UnitBasis = cat.Len(), units.Len()
	if wantCategory && usable(cat) {
		for _, sg := range cat.Predict(tokens, 3) {
			out.Category = append(out.Category, Suggestion{Value: sg.Label, Label: sg.Label, Confidence: sg.Confidence})
		}
	}
	if wantUnits && usable(units) {
		ts, err := s.Store.Tasks(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		busy := map[string]bool{} // units already on it, or that sent it back
		for _, t := range ts {
			if t.State != zhengxie.TaskCancelled {
				busy[strconv.FormatInt(t.UnitID, 10)] = true
			}
		}
		us, err := s.Store.Units(ctx, p.CommitteeID)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		for _, u := range us {
			names[strconv.FormatInt(u.ID, 10)] = u.Name
		}
		for _, sg := range units.Predict(tokens, 3+len(busy)) {
			if busy[sg.Label] || names[sg.Label] == "" {
				continue
			}
			out.Units = append(out.Units, Suggestion{Value: sg.Label, Label: names[sg.Label], Confidence: sg.Confidence})
			if len(out.Units) == 3 {
				break
			}
		}
	}
	return out, nil
}

// SetCategory lets the office correct the category of a proposal under
// review or just accepted, typically by choosing a suggestion (suggested
// records that in the event, to see how often suggestions are taken).
func (s *Service) SetCategory(ctx context.Context, a zhengxie.Actor, id int64, category string, suggested bool) (*zhengxie.Proposal, error) {
	category = strings.TrimSpace(category)
	if category == "" || utf8.RuneCountInString(category) > 20 {
		return nil, zhengxie.FieldError("category", "请选择类别")
	}
	known := false
	for _, c := range zhengxie.Categories {
		known = known || c == category
	}
	if !known && a.Role == zhengxie.RoleOffice {
		// A category of the committee's history (imported) is also fine.
		cat, _, err := s.classifiers(ctx, a.CommitteeID)
		if err != nil {
			return nil, err
		}
		for _, l := range cat.Labels() {
			known = known || l == category
		}
	}
	if !known {
		return nil, zhengxie.FieldError("category", "没有“%s”这个类别", category)
	}
	var from string
	p, err := s.act(ctx, a, id, zhengxie.ActSetCategory, "类别调整为“"+category+"”", map[string]any{"to": category, "suggested": suggested}, func(c *change) error {
		from = c.p.Category
		c.p.Category = category
		return nil
	})
	if err != nil {
		return nil, err
	}
	if from != category {
		s.sim.learn.invalidate(a.CommitteeID)
	}
	return p, nil
}

// MergeThreshold is the similarity from which proposals under review are
// offered to the office as one group to merge. At 0.6 perturbed copies of
// the real proposals (reordered paragraphs, changed words) are all grouped
// with their original, and the pairs that the 2019 data itself holds twice
// are found, while fewer than ten other groups form among its 436 proposals
// (search.TestNearDuplicateGroups).
const MergeThreshold = 0.6

// MergeCandidate is a proposal that could be merged into its group's first.
type MergeCandidate struct {
	P     zhengxie.Proposal
	Score float64 // similarity to the group's first proposal
}

// Percent is the similarity in whole percent, for showing.
func (c MergeCandidate) Percent() int { return percent(c.Score) }

// MergeGroup is a set of near-duplicate proposals under review. Into is the
// one filed first, which the others would be merged into (后提并入先提).
type MergeGroup struct {
	Score  float64 // the weakest link of the group
	Into   zhengxie.Proposal
	Others []MergeCandidate
}

// Percent is the group's similarity in whole percent, for showing.
func (g MergeGroup) Percent() int { return percent(g.Score) }

// MergeSuggestions groups the proposals under review that are
// near-duplicates of each other, for the office's review queue.
func (s *Service) MergeSuggestions(ctx context.Context, a zhengxie.Actor) ([]MergeGroup, error) {
	if a.Role != zhengxie.RoleOffice && a.Role != zhengxie.RoleLeader {
		return nil, nil
	}
	ids, err := s.Store.ProposalIDs(ctx, store.ProposalFilter{Viewer: a, States: []zhengxie.State{zhengxie.StateUnderReview}})
	if err != nil || len(ids) < 2 {
		return nil, err
	}
	idx, err := s.simIndex(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	groups := s.sim.merge.groups(a.CommitteeID, ids, idx)
	if len(groups) == 0 {
		return nil, nil
	}
	var want []int64
	for _, g := range groups {
		want = append(want, g.IDs...)
	}
	byID := map[int64]zhengxie.Proposal{}
	for len(want) > 0 {
		n := min(len(want), 200)
		ps, _, err := s.Store.Proposals(ctx, store.ProposalFilter{Viewer: a, IDs: want[:n], Limit: n})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			byID[p.ID] = p
		}
		want = want[n:]
	}
	var out []MergeGroup
	for _, g := range groups {
		var members []zhengxie.Proposal
		for _, id := range g.IDs {
			if p, ok := byID[id]; ok {
				members = append(members, p)
			}
		}
		if len(members) < 2 {
			continue
		}
		sort.Slice(members, func(i, j int) bool { return members[i].ID < members[j].ID })
		mg := MergeGroup{Score: g.Score, Into: members[0]}
		for _, p := range members[1:] {
			mg.Others = append(mg.Others, MergeCandidate{P: p, Score: idx.Similarity(members[0].ID, p.ID)})
		}
		out = append(out, mg)
	}
	return out, nil
}

// mergeCache keeps each committee's last near-duplicate grouping: it
// compares every pair of the review queue, which at a few thousand
// proposals takes long enough to notice, and the office reloads the queue
// often while it stays the same (texts under review do not change).
type mergeCache struct {
	mu sync.Mutex
	by map[int64]mergeCached
}

type mergeCached struct {
	key    uint64
	groups []search.Group
}

func (m *mergeCache) groups(committeeID int64, ids []int64, idx *search.Index) []search.Group {
	h := fnv.New64a()
	var b [8]byte
	for _, id := range ids {
		binary.LittleEndian.PutUint64(b[:], uint64(id))
		h.Write(b[:])
	}
	key := h.Sum64()
	m.mu.Lock()
	c, ok := m.by[committeeID]
	m.mu.Unlock()
	if ok && c.key == key {
		return c.groups
	}
	gs := idx.NearDuplicateGroups(ids, MergeThreshold)
	m.mu.Lock()
	if m.by == nil {
		m.by = map[int64]mergeCached{}
	}
	m.by[committeeID] = mergeCached{key: key, groups: gs}
	m.mu.Unlock()
	return gs
}

// keywordIDF is the IDF for key terms: the committee's own proposals once
// there are enough of them, else the dictionary's word frequencies.
func (s *Service) keywordIDF(idx *search.Index) search.IDF {
	if idx == nil || idx.Len() < 50 {
		return search.DictionaryIDF()
	}
	return boilerplateCut{idx}
}

// boilerplateCut weighs 0 the words found in more than a third of the
// committee's proposals: the headings and phrases every proposal has
// (调研情况、问题分析、具体建议、部分、情况), which otherwise top a session's
// list by sheer frequency although they say nothing about its subjects.
type boilerplateCut struct{ idx search.IDF }

// minKeywordIDF is smoothIDF for a word in a third of the documents.
var minKeywordIDF = math.Log(3) + 1

func (b boilerplateCut) IDF(term string) float64 {
	if v := b.idx.IDF(term); v > minKeywordIDF {
		return v
	}
	return 0
}

// KeyTerms returns the key terms of a proposal the caller may already see.
// It does not wait for the committee's index: before it is built, words are
// weighed by the dictionary.
//
// They change only with the proposal's text, so they are kept per proposal
// under a hash of its title and body (hashing a body is microseconds;
// reading its words back and weighing them is what the cache saves, on
// every view of the proposal page).
func (s *Service) KeyTerms(ctx context.Context, p *zhengxie.Proposal, k int) ([]string, error) {
	idx := s.readyIndex(p.CommitteeID)
	h := fnv.New64a()
	h.Write([]byte(p.Title))
	h.Write([]byte{0})
	h.Write([]byte(p.Body))
	key := keyTermKey{id: p.ID, text: h.Sum64(), k: k, indexed: idx != nil}
	if out, ok := s.sim.keys.get(key); ok {
		return out, nil
	}
	out, err := s.keyTerms(ctx, p, k, idx)
	if err == nil {
		s.sim.keys.put(key, out)
	}
	return out, err
}

func (s *Service) keyTerms(ctx context.Context, p *zhengxie.Proposal, k int, idx *search.Index) ([]string, error) {
	doc, err := s.Store.ProposalTokens(ctx, p.CommitteeID, p.ID)
	if zhengxie.ErrorCode(err) == zhengxie.ENotFound {
		return nil, nil // not indexed (a committee imported from an archive, before Reindex)
	}
	if err != nil {
		return nil, err
	}
	tokens := append(strings.Fields(doc.Title), strings.Fields(doc.Body)...)
	var out []string
	for _, t := range search.Keywords(tokens, s.keywordIDF(idx), k+4) {
		if !dateWord(t) && len(out) < k {
			out = append(out, t)
		}
	}
	return out, nil
}

// keyTermKey names one proposal's key terms: they are computed again when
// its text changes, or when its committee's index (whose document
// frequencies weigh the words) comes into memory.
type keyTermKey struct {
	id      int64
	text    uint64
	k       int
	indexed bool
}

// keyTermCache holds the key terms of the proposals viewed lately; at
// keyTermCacheSize entries it starts again empty, which bounds its memory
// (~100 bytes an entry) without bookkeeping on every hit.
type keyTermCache struct {
	mu sync.Mutex
	by map[keyTermKey][]string
}

const keyTermCacheSize = 20000

func (c *keyTermCache) get(k keyTermKey) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out, ok := c.by[k]
	return out, ok
}

func (c *keyTermCache) put(k keyTermKey, terms []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil || len(c.by) >= keyTermCacheSize {
		c.by = map[keyTermKey][]string{}
	}
	c.by[k] = terms
}

func (c *keyTermCache) clear() {
	c.mu.Lock()
	c.by = nil
	c.mu.Unlock()
}

// dateWord reports pieces of dates written in Chinese numerals (二〇, 〇年),
// which the segmenter leaves as words but say nothing about a subject.
func dateWord(t string) bool {
	if strings.Trim(t, "〇零一二三四五六七八九十百千年月日号") != "" {
		return false
	}
	return strings.ContainsRune(t, '〇') || strings.ContainsAny(t, "年月日号")
}

// SessionTerms is what a session's proposals are about.
type SessionTerms struct {
	SessionID int64
	Proposals int
	Terms     []search.TermWeight
}

// termCache keeps each session's top terms for a few minutes: they take a
// pass over every proposal of the session and change slowly.
type termCache struct {
	mu sync.Mutex
	by map[[3]int64]termCached
}

type termCached struct {
	at  time.Time
	res *SessionTerms
}

const termCacheFor = 5 * time.Minute

// TopTerms returns the k terms that characterise the proposals of a
// session (all sessions when sessionID is 0), for the office and leaders.
func (s *Service) TopTerms(ctx context.Context, a zhengxie.Actor, sessionID int64, k int) (*SessionTerms, error) {
	if !zhengxie.SeesAll(a.Role) || a.Role == zhengxie.RoleSystem {
		return nil, zhengxie.Errorf(zhengxie.EForbidden, "热词统计供提案委员会和领导查看")
	}
	key := [3]int64{a.CommitteeID, sessionID, int64(k)}
	now := s.now()
	s.sim.terms.mu.Lock()
	if c, ok := s.sim.terms.by[key]; ok && now.Sub(c.at) < termCacheFor && !now.Before(c.at) {
		s.sim.terms.mu.Unlock()
		return c.res, nil
	}
	s.sim.terms.mu.Unlock()
	idx, err := s.simIndex(ctx, a.CommitteeID)
	if err != nil {
		return nil, err
	}
	var docs [][]string
	err = s.Store.FilteredTokens(ctx, store.ProposalFilter{Viewer: a, SessionID: sessionID}, func(d store.IndexedDoc) error {
		docs = append(docs, append(strings.Fields(d.Title), strings.Fields(d.Body)...))
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := &SessionTerms{SessionID: sessionID, Proposals: len(docs), Terms: search.TopTerms(docs, s.keywordIDF(idx), k)}
	s.sim.terms.mu.Lock()
	if s.sim.terms.by == nil {
		s.sim.terms.by = map[[3]int64]termCached{}
	}
	s.sim.terms.by[key] = termCached{at: now, res: res}
	s.sim.terms.mu.Unlock()
	return res, nil
}
