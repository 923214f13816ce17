package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/search"
)

// Hit is one search result.
type Hit struct {
	zhengxie.Proposal
	Rank float64
}

// Facet is a count of search results by one value (a category, a state, a
// session or unit id in decimal).
type Facet struct {
	Value string
	Count int
}

// SearchCap is how many of a search's best hits are counted one by one and
// faceted. Past it the total is an estimate (SearchResult.Estimated): a
// common word matches thousands of proposals of a committee, and counting
// and faceting all of them costs more than the page they are shown on.
const SearchCap = 1000

// SearchResult is a page of hits with the total and facet counts.
type SearchResult struct {
	Hits  []Hit
	Total int
	// Estimated says that more than SearchCap proposals matched: Total is
	// then extrapolated from the share of the matches that the filters kept,
	// and the facets count the SearchCap best hits only.
	Estimated  bool
	Categories []Facet
	States     []Facet
	Sessions   []Facet // session ids
	Units      []Facet // ids of the units the proposals were assigned to
}

// SearchOptions tunes one search.
type SearchOptions struct {
	// Facets asks for the counts per category, state, session and unit.
	Facets bool
}

// searchCand is a match that passed the filters: what orders it and what
// the facets count, read without the proposal's texts.
type searchCand struct {
	id, session     int64
	category, state string
	rank            float64
}

// Search finds the proposals f lets the viewer see whose words contain
// every one of terms (segmented with search.QueryTerms), best first; with
// no terms it lists them newest first. Both engines match exactly the same
// proposals, since they hold the same tokens; the order comes from each
// engine's ranking (see searchSet).
//
// A search runs within f's committee: the index holds a committee token in
// every row (migration 0016) and the match starts with it, so the engine
// never sees other committees' matches. Of the matches, at most SearchCap+1
// (more for a page further down) are ranked, filtered and faceted; the rest
// are only counted in the index, to estimate the total.
func (s *Store) Search(ctx context.Context, f ProposalFilter, terms []string, opt SearchOptions) (*SearchResult, error) {
	if len(terms) == 0 {
		return s.listAll(ctx, f, opt)
	}
	if s.matchText(terms) == "" {
		return &SearchResult{}, nil
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	need := f.Offset + limit
	cid := f.CommitteeID
	if cid == 0 {
		cid = f.Viewer.CommitteeID
	}
	where, args := f.where()
	x := s.rd(ctx)
	set, complete, estimate, err := s.dialect.searchSet(x, cid, terms, where, args, need, f.narrow())
	if err != nil {
		return nil, s.dialect.translate(err)
	}
	res := &SearchResult{Total: len(set)}
	if !complete {
		res.Total, res.Estimated = roundEstimate(max(estimate, len(set))), true
	}
	if page := set[min(f.Offset, len(set)):min(need, len(set))]; len(page) > 0 {
		if res.Hits, err = x.searchHits(cid, page); err != nil {
			return nil, err
		}
	}
	if !opt.Facets || len(set) == 0 {
		return res, nil
	}
	if !complete && len(set) > SearchCap {
		set = set[:SearchCap]
	}
	if err := x.searchFacets(res, cid, set); err != nil {
		return nil, err
	}
	return res, nil
}

// roundEstimate keeps two significant digits: an estimate shown to the
// last proposal would claim a precision it does not have.
func roundEstimate(n int) int {
	unit := 1
	for n/unit >= 100 {
		unit *= 10
	}
	return (n + unit/2) / unit * unit
}

// narrow says that f filters more than by who may see what: the filters
// then keep a small share of the matches, which is best found by filtering
// all of them, not by ranking the best first.
func (f ProposalFilter) narrow() bool {
	return f.SessionID != 0 || len(f.States) > 0 || f.Category != "" || f.UnitID != 0 || f.ProposerID != 0 || f.Key || f.Mine ||
		f.TitleLike != "" || f.ProposerName != "" || f.SectorID != 0 || !f.Since.IsZero() || !f.Until.IsZero() || f.IDs != nil
}

// byRank orders hits best first, the newer first among equals.
func byRank(set []searchCand) {
	sort.Slice(set, func(i, j int) bool {
		if set[i].rank != set[j].rank {
			return set[i].rank > set[j].rank
		}
		return set[i].id > set[j].id
	})
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// filterCands keeps the ids that pass the filters (where, args), reading
// only the narrow columns of the filter (from names the table, on SQLite
// with the index that holds them). ranks gives each id its rank.
func (x q) filterCands(from, where string, args []any, ids []int64, ranks map[int64]float64) ([]searchCand, error) {
	rows, err := x.query(`SELECT p.id, p.session_id, p.category, p.state FROM `+from+` WHERE p.id IN (`+placeholders(len(ids))+`) AND `+where,
		append(int64Args(ids), args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []searchCand
	for rows.Next() {
		var c searchCand
		if err := rows.Scan(&c.id, &c.session, &c.category, &c.state); err != nil {
			return nil, err
		}
		c.rank = ranks[c.id]
		out = append(out, c)
	}
	return out, rows.Err()
}

// searchHits reads the proposals of one page of hits, in the page's order.
func (x q) searchHits(cid int64, page []searchCand) ([]Hit, error) {
	ids := make([]int64, len(page))
	for i, c := range page {
		ids[i] = c.id
	}
	rows, err := x.query(`SELECT `+proposalCols+` FROM proposals p WHERE p.committee_id = ? AND p.id IN (`+placeholders(len(ids))+`)`,
		append([]any{cid}, int64Args(ids)...)...)
	if err != nil {
		return nil, x.d.translate(err)
	}
	defer rows.Close()
	by := map[int64]*zhengxie.Proposal{}
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, err
		}
		by[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Hit, 0, len(page))
	for _, c := range page {
		if p := by[c.id]; p != nil {
			out = append(out, Hit{Proposal: *p, Rank: c.rank})
		}
	}
	return out, nil
}

// searchFacets counts the set by category, state and session, and by the
// units its proposals were assigned to (a proposal counts once per unit,
// whatever the kinds of its tasks).
func (x q) searchFacets(res *SearchResult, cid int64, set []searchCand) error {
	cats, states, sessions := map[string]int{}, map[string]int{}, map[string]int{}
	ids := make([]int64, len(set))
	for i, c := range set {
		cats[c.category]++
		states[c.state]++
		sessions[strconv.FormatInt(c.session, 10)]++
		ids[i] = c.id
	}
	res.Categories, res.States, res.Sessions = facetList(cats, false), facetList(states, false), facetList(sessions, true)
	rows, err := x.query(`SELECT unit_id, COUNT(DISTINCT proposal_id) FROM tasks WHERE committee_id = ? AND state <> 'cancelled'
		AND proposal_id IN (`+placeholders(len(ids))+`) GROUP BY unit_id`, append([]any{cid}, int64Args(ids)...)...)
	if err != nil {
		return x.d.translate(err)
	}
	defer rows.Close()
	units := map[string]int{}
	for rows.Next() {
		var u int64
		var n int
		if err := rows.Scan(&u, &n); err != nil {
			return err
		}
		units[strconv.FormatInt(u, 10)] = n
	}
	res.Units = facetList(units, true)
	return rows.Err()
}

// facetList orders counts most first, then by value (numeric ids by number).
func facetList(m map[string]int, numeric bool) []Facet {
	out := make([]Facet, 0, len(m))
	for v, n := range m {
		out = append(out, Facet{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if numeric && len(a.Value) != len(b.Value) {
			return len(a.Value) < len(b.Value)
		}
		return a.Value < b.Value
	})
	return out
}

// searchSet, SQLite. FTS5 ranks the committee's matches in the index
// itself, by bm25() with the title weighing 4, the body 1, the replies ½
// (the scope column 0), and hands over the n best; only those are looked
// up, through proposals_search_filter, which holds the filtered columns
// without the body. As they are the n best, the best that pass the filters
// are the best of all that would. With a narrow filter (a category, a
// session, …), or when the filters keep fewer than the page needs, all the
// committee's matches are filtered first and only those kept are ranked.
func (sqliteDialect) searchSet(x q, cid int64, terms []string, where string, args []any, need int, narrow bool) ([]searchCand, bool, int, error) {
	n := max(SearchCap, need) + 1
	m := `scope : "c` + strconv.FormatInt(cid, 10) + `" AND {title body replies} : (` + search.FTS5Match(terms) + `)`
	const rank = `-bm25(proposal_fts, 4.0, 1.0, 0.5, 0.0)`
	const from = `proposals p INDEXED BY proposals_search_filter`
	filtered := func(estimate int) ([]searchCand, bool, int, error) {
		rows, err := x.query(`SELECT p.id, p.session_id, p.category, p.state, `+rank+` AS r FROM proposal_fts f JOIN `+from+` ON p.id = f.rowid
			WHERE f.proposal_fts MATCH ? AND `+where+` ORDER BY r DESC, p.id DESC LIMIT ?`, append(append([]any{m}, args...), n)...)
		if err != nil {
			return nil, false, 0, err
		}
		defer rows.Close()
		var set []searchCand
		for rows.Next() {
			var c searchCand
			if err := rows.Scan(&c.id, &c.session, &c.category, &c.state, &c.rank); err != nil {
				return nil, false, 0, err
			}
			set = append(set, c)
		}
		if len(set) == n && estimate == 0 {
			// More than the cap pass a narrow filter: counting them
			// costs no ranking.
			if err := x.row(`SELECT COUNT(*) FROM proposal_fts f JOIN `+from+` ON p.id = f.rowid WHERE f.proposal_fts MATCH ? AND `+where,
				append([]any{m}, args...)...).Scan(&estimate); err != nil {
				return nil, false, 0, err
			}
		}
		return set, len(set) < n, max(estimate, n), rows.Err()
	}
	if narrow {
		return filtered(0)
	}
	rows, err := x.query(`SELECT rowid, `+rank+` AS r FROM proposal_fts WHERE proposal_fts MATCH ? ORDER BY r DESC, rowid DESC LIMIT ?`, m, n)
	if err != nil {
		return nil, false, 0, err
	}
	ranks := map[int64]float64{}
	var ids []int64
	for rows.Next() {
		var id int64
		var r float64
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return nil, false, 0, err
		}
		ranks[id] = r
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, true, 0, err
	}
	set, err := x.filterCands(from, where, args, ids, ranks)
	byRank(set)
	if err != nil || len(ids) < n {
		return set, true, 0, err
	}
	var matched int
	if err := x.row(`SELECT COUNT(*) FROM proposal_fts WHERE proposal_fts MATCH ?`, m).Scan(&matched); err != nil {
		return nil, false, 0, err
	}
	estimate := matched * len(set) / len(ids)
	if len(set) >= need {
		return set, false, estimate, nil
	}
	return filtered(max(estimate, 1))
}

// searchSet, PostgreSQL. The GIN index finds the committee's matches (its
// lexeme is ANDed into the query), the filters apply to them without
// reading a tsvector, and only the SearchCap newest that pass are ranked:
// ts_rank reads each one's tsvector from TOAST, which over every match of a
// common word is what made a search take seconds. So when more than
// SearchCap match, the first pages are the best of the SearchCap newest
// (SQLite ranks them all), the pages after them the best of the next
// SearchCap, and so on: the order does not depend on the page asked for. ts_rank
// weighs A title 1, B body ¼, C replies ⅛ (D unused), normalisation 1
// (divide by 1 + the log of the length), which like BM25 keeps a long text
// that mentions a word in passing below a short one about it; on the
// relevance set both engines reach the same precision
// (app.TestJiangsuOnEngines).
func (postgresDialect) searchSet(x q, cid int64, terms []string, where string, args []any, need int, narrow bool) ([]searchCand, bool, int, error) {
	chunks := max(1, (need+SearchCap-1)/SearchCap)
	n := chunks*SearchCap + 1
	tq := search.TSQuery(terms)
	m := `'zx:c:` + strconv.FormatInt(cid, 10) + `' & (` + tq + `)`
	// The matches come from the GIN index first: walking the proposals
	// newest first and testing each one's tsvector would read them all
	// from TOAST. A narrow filter (a session, a category) is left to the
	// planner, which may well start from its B-tree index instead.
	mat := "MATERIALIZED"
	if narrow {
		mat = "NOT MATERIALIZED"
	}
	rows, err := x.query(`WITH m AS `+mat+` (SELECT proposal_id FROM proposal_fts WHERE tsv @@ ?::tsquery)
		SELECT p.id, p.session_id, p.category, p.state FROM m JOIN proposals p ON p.id = m.proposal_id
		WHERE `+where+` ORDER BY p.id DESC LIMIT ?`, append(append([]any{m}, args...), n)...)
	if err != nil {
		return nil, false, 0, err
	}
	var set []searchCand
	for rows.Next() {
		var c searchCand
		if err := rows.Scan(&c.id, &c.session, &c.category, &c.state); err != nil {
			rows.Close()
			return nil, false, 0, err
		}
		set = append(set, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(set) == 0 {
		return nil, true, 0, err
	}
	ids := make([]int64, len(set))
	for i, c := range set {
		ids[i] = c.id
	}
	rows, err = x.query(`SELECT proposal_id, ts_rank('{0.05, 0.125, 0.25, 1.0}', tsv, ?::tsquery, 1) FROM proposal_fts
		WHERE proposal_id IN (`+placeholders(len(ids))+`)`, append([]any{tq}, int64Args(ids)...)...)
	if err != nil {
		return nil, false, 0, err
	}
	ranks := map[int64]float64{}
	for rows.Next() {
		var id int64
		var r float64
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return nil, false, 0, err
		}
		ranks[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, 0, err
	}
	for i := range set {
		set[i].rank = ranks[set[i].id]
	}
	for start := 0; start < len(set); start += SearchCap {
		byRank(set[start:min(start+SearchCap, len(set))])
	}
	if len(set) < n {
		return set, true, 0, nil
	}
	// The share of the matches the filters kept, among those from the
	// oldest candidate on, extrapolated to all matches.
	var matched, seen int
	if err := x.row(`SELECT COUNT(*), COUNT(*) FILTER (WHERE proposal_id >= ?) FROM proposal_fts WHERE tsv @@ ?::tsquery`,
		ids[len(ids)-1], m).Scan(&matched, &seen); err != nil {
		return nil, false, 0, err
	}
	return set, false, matched * len(set) / max(seen, 1), nil
}

// listAll is a search without words: every proposal f selects, newest first.
func (s *Store) listAll(ctx context.Context, f ProposalFilter, opt SearchOptions) (*SearchResult, error) {
	where, args := f.where()
	x := s.rd(ctx)
	res := &SearchResult{}
	if err := x.row(`SELECT COUNT(*) FROM proposals p WHERE `+where, args...).Scan(&res.Total); err != nil {
		return nil, s.dialect.translate(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := x.query(`SELECT `+proposalCols+` FROM proposals p WHERE `+where+` ORDER BY p.id DESC LIMIT ? OFFSET ?`,
		append(args, limit, f.Offset)...)
	if err != nil {
		return nil, s.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, Hit{Proposal: *p})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if !opt.Facets || res.Total == 0 {
		return res, nil
	}
	for _, facet := range []struct {
		sel, from string
		dst       *[]Facet
	}{
		{"p.category, COUNT(*)", `proposals p`, &res.Categories},
		{"p.state, COUNT(*)", `proposals p`, &res.States},
		{"p.session_id, COUNT(*)", `proposals p`, &res.Sessions},
		// A proposal counts once per unit, whatever the kinds of its tasks.
		{"t.unit_id, COUNT(DISTINCT p.id)", `proposals p JOIN tasks t ON t.proposal_id = p.id AND t.state <> 'cancelled'`, &res.Units},
	} {
		group := strings.SplitN(facet.sel, ",", 2)[0]
		rows, err := x.query(`SELECT `+facet.sel+` FROM `+facet.from+` WHERE `+where+` GROUP BY `+group+` ORDER BY COUNT(*) DESC, `+group, args...)
		if err != nil {
			return nil, s.dialect.translate(err)
		}
		for rows.Next() {
			var v any
			var fc Facet
			if err := rows.Scan(&v, &fc.Count); err != nil {
				rows.Close()
				return nil, err
			}
			switch v := v.(type) {
			case []byte:
				fc.Value = string(v)
			case string:
				fc.Value = v
			case int64:
				fc.Value = strconv.FormatInt(v, 10)
			default:
				fc.Value = fmt.Sprint(v)
			}
			*facet.dst = append(*facet.dst, fc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (sqliteDialect) searchJoin() string   { return `JOIN proposal_fts f ON f.rowid = p.id` }
func (postgresDialect) searchJoin() string { return `JOIN proposal_fts f ON f.proposal_id = p.id` }

// matchText is the engine's query text requiring every term.
func (s *Store) matchText(terms []string) string {
	if s.dialect.name() == "postgres" {
		return search.TSQuery(terms)
	}
	return search.FTS5Match(terms)
}

// IndexedDoc is the stored words of one proposal.
type IndexedDoc struct {
	ID, CommitteeID, SessionID int64
	Title, Body                string // space-separated tokens
}

// IndexedTokens streams the stored words of every submitted proposal of a
// committee (0 for all), for building the in-memory similarity index.
func (s *Store) IndexedTokens(ctx context.Context, committeeID int64, fn func(IndexedDoc) error) error {
	q := `SELECT p.id, p.committee_id, p.session_id, f.title, f.body FROM proposals p ` + s.dialect.searchJoin() + ` WHERE p.state <> 'draft'`
	args := []any{}
	if committeeID != 0 {
		q += ` AND p.committee_id = ?`
		args = append(args, committeeID)
	}
	rows, err := s.rd(ctx).query(q+` ORDER BY p.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d IndexedDoc
		if err := rows.Scan(&d.ID, &d.CommitteeID, &d.SessionID, &d.Title, &d.Body); err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ProposalText is what the index is built from: a proposal's title, body
// and the texts of its replies.
type ProposalText struct {
	ID, CommitteeID int64
	Title, Body     string
	Replies         []string
}

// ProposalTexts returns the texts of up to limit proposals of a committee
// (0 for all) with ids above afterID, in id order: one page of a rebuild of
// the index.
func (s *Store) ProposalTexts(ctx context.Context, committeeID, afterID int64, limit int) ([]ProposalText, error) {
	x := s.rd(ctx)
	q, args := `SELECT id, committee_id, title, body FROM proposals WHERE id > ?`, []any{afterID}
	if committeeID != 0 {
		q, args = q+` AND committee_id = ?`, append(args, committeeID)
	}
	rows, err := x.query(q+` ORDER BY id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	var out []ProposalText
	at := map[int64]int{}
	for rows.Next() {
		var p ProposalText
		if err := rows.Scan(&p.ID, &p.CommitteeID, &p.Title, &p.Body); err != nil {
			rows.Close()
			return nil, err
		}
		at[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows, err = x.query(`SELECT proposal_id, reply_text FROM tasks WHERE proposal_id > ? AND proposal_id <= ? AND reply_text <> '' ORDER BY id`,
		afterID, out[len(out)-1].ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok {
			out[i].Replies = append(out[i].Replies, text)
		}
	}
	return out, rows.Err()
}

// ProposalTokens returns the stored words of one proposal of a committee.
func (s *Store) ProposalTokens(ctx context.Context, committeeID, id int64) (IndexedDoc, error) {
	d := IndexedDoc{ID: id, CommitteeID: committeeID}
	err := s.rd(ctx).row(`SELECT p.session_id, f.title, f.body FROM proposals p `+s.dialect.searchJoin()+` WHERE p.committee_id = ? AND p.id = ?`,
		committeeID, id).Scan(&d.SessionID, &d.Title, &d.Body)
	return d, notFound(err, "提案")
}

// ProposalTokens returns the stored words of one proposal of a committee,
// inside a transaction: what the write has just indexed, without segmenting
// the text again.
func (t *Tx) ProposalTokens(committeeID, id int64) (IndexedDoc, error) {
	d := IndexedDoc{ID: id, CommitteeID: committeeID}
	err := t.queryRow(`SELECT p.session_id, f.title, f.body FROM proposals p `+t.s.dialect.searchJoin()+` WHERE p.committee_id = ? AND p.id = ?`,
		committeeID, id).Scan(&d.SessionID, &d.Title, &d.Body)
	return d, notFound(err, "提案")
}

// ProposalIDs returns the ids of every proposal f selects (its Limit and
// Offset ignored), lowest first: a review queue for duplicate detection.
func (s *Store) ProposalIDs(ctx context.Context, f ProposalFilter) ([]int64, error) {
	where, args := f.where()
	rows, err := s.rd(ctx).query(`SELECT p.id FROM proposals p WHERE `+where+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(sc scanner) (int64, error) {
		var id int64
		err := sc.Scan(&id)
		return id, err
	})
}

// FilteredTokens streams the stored words of the proposals f selects (its
// Limit and Offset ignored), for the key terms of a session.
func (s *Store) FilteredTokens(ctx context.Context, f ProposalFilter, fn func(IndexedDoc) error) error {
	where, args := f.where()
	rows, err := s.rd(ctx).query(`SELECT p.id, p.committee_id, p.session_id, f.title, f.body FROM proposals p `+s.dialect.searchJoin()+` WHERE `+where+` ORDER BY p.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d IndexedDoc
		if err := rows.Scan(&d.ID, &d.CommitteeID, &d.SessionID, &d.Title, &d.Body); err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DecisionDoc is a past decision of the office to learn from: an accepted
// proposal's words, the category it was accepted under, and the units that
// took it as lead unit (not those that returned it).
type DecisionDoc struct {
	IndexedDoc
	Category  string
	LeadUnits []int64
}

// Decisions streams a committee's decisions: every proposal that received
// an official number (accepted, whatever happened after), with its lead
// units.
func (s *Store) Decisions(ctx context.Context, committeeID int64, fn func(DecisionDoc) error) error {
	x := s.rd(ctx)
	leads := map[int64][]int64{}
	rows, err := x.query(`SELECT proposal_id, unit_id FROM tasks WHERE committee_id = ? AND kind = 'lead' AND state NOT IN ('cancelled', 'returned') ORDER BY id`, committeeID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p, u int64
		if err := rows.Scan(&p, &u); err != nil {
			rows.Close()
			return err
		}
		leads[p] = append(leads[p], u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = x.query(`SELECT p.id, p.session_id, p.category, f.title, f.body FROM proposals p `+s.dialect.searchJoin()+`
		WHERE p.committee_id = ? AND p.number > 0 ORDER BY p.id`, committeeID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		d := DecisionDoc{IndexedDoc: IndexedDoc{CommitteeID: committeeID}}
		if err := rows.Scan(&d.ID, &d.SessionID, &d.Category, &d.Title, &d.Body); err != nil {
			return err
		}
		d.LeadUnits = leads[d.ID]
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DecisionStamp changes whenever a committee's decisions may have changed
// (a proposal accepted or re-categorised, a lead unit assigned or
// returned), so that what was learned from them can tell it is stale.
func (s *Store) DecisionStamp(ctx context.Context, committeeID int64) (string, error) {
	x := s.rd(ctx)
	var np, up, nt, ut int64
	if err := x.row(`SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM proposals WHERE committee_id = ? AND number > 0`, committeeID).Scan(&np, &up); err != nil {
		return "", err
	}
	if err := x.row(`SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM tasks WHERE committee_id = ? AND kind = 'lead'`, committeeID).Scan(&nt, &ut); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d/%d/%d/%d", np, up, nt, ut), nil
}

// Historical proposals: the 提案库 of earlier years, brought in from an old
// system's export or a spreadsheet.

// SessionByTerm finds a committee's session by 届 and 次.
func (t *Tx) SessionByTerm(committeeID int64, term, number int) (*zhengxie.Session, error) {
	var se zhengxie.Session
	err := t.queryRow(`SELECT id, committee_id, term, number, name, year, is_current FROM sessions WHERE committee_id = ? AND term = ? AND number = ?`,
		committeeID, term, number).Scan(&se.ID, &se.CommitteeID, &se.Term, &se.Number, &se.Name, &se.Year, &se.Current)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return &se, err
}

// SessionNumbers returns the official numbers already taken in a session.
func (t *Tx) SessionNumbers(committeeID, sessionID int64) (map[int]bool, error) {
	rows, err := t.query(`SELECT number FROM proposals WHERE committee_id = ? AND session_id = ? AND number > 0`, committeeID, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// InsertHistorical inserts a proposal of an earlier session exactly as
// given (state, number, times), indexes its words and appends ev, its one
// event, to the committee's hash chain. The caller has checked the rows;
// numbers taken twice still fail on the unique index.
func (t *Tx) InsertHistorical(p *zhengxie.Proposal, doc SearchDoc, ev *zhengxie.Event) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = t.Now()
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = t.Now()
	}
	id, err := t.insert(`INSERT INTO proposals (committee_id, session_id, number, title, body, category, kind, body_name,
		proposer_id, proposer_name, state, published, is_key, merged_into, reason, cosign_due, submitted_at, accepted_at,
		concluded_at, published_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.CommitteeID, p.SessionID, p.Number, p.Title, p.Body, p.Category, p.Kind, p.BodyName,
		p.ProposerID, p.ProposerName, string(p.State), b2i(p.Published), b2i(p.Key), p.MergedInto, p.Reason, ms(p.CosignDue),
		ms(p.SubmittedAt), ms(p.AcceptedAt), ms(p.ConcludedAt), ms(p.PublishedAt), ms(p.CreatedAt), ms(p.UpdatedAt))
	if err != nil {
		return t.s.dialect.translate(err)
	}
	p.ID = id
	doc.ProposalID = id
	if err := t.s.dialect.index(t, doc); err != nil {
		return err
	}
	ev.CommitteeID, ev.ProposalID = p.CommitteeID, id
	return t.AppendEvent(ev)
}

// RaiseNumberCounter makes the next number handed out in a session come
// after n, so that a proposal accepted later does not collide with
// imported ones.
func (t *Tx) RaiseNumberCounter(committeeID, sessionID int64, n int) error {
	_, err := t.exec(`INSERT INTO number_counters (committee_id, session_id, last) VALUES (?, ?, ?)
		ON CONFLICT (committee_id, session_id) DO UPDATE SET last = CASE WHEN number_counters.last > EXCLUDED.last THEN number_counters.last ELSE EXCLUDED.last END`,
		committeeID, sessionID, n)
	return err
}

// UnitByName finds a committee's unit by its exact name (nil if none).
func (t *Tx) UnitByName(committeeID int64, name string) (*zhengxie.Unit, error) {
	var u zhengxie.Unit
	err := t.queryRow(`SELECT id, committee_id, name, leader_id FROM units WHERE committee_id = ? AND name = ?`, committeeID, name).
		Scan(&u.ID, &u.CommitteeID, &u.Name, &u.LeaderID)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return &u, err
}

// HistoricalTask records that a unit handled a historical proposal, with
// its reply already given: the lead unit of the old system's record.
func (t *Tx) HistoricalTask(k *zhengxie.Task) error {
	id, err := t.insert(`INSERT INTO tasks (committee_id, proposal_id, unit_id, kind, state, assigned_at, due, replied_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.CommitteeID, k.ProposalID, k.UnitID, k.Kind, string(k.State), ms(k.AssignedAt), dueText(k.Due), ms(k.RepliedAt), ms(t.Now()))
	k.ID = id
	return err
}
