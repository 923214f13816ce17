package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"zhengxie"
	"zhengxie/search"
)

// SearchDoc is what the full-text index holds of one proposal: its words,
// segmented once when written.
type SearchDoc struct {
	ProposalID int64
	Title      []string
	Body       []string
	Replies    []string
}

func join(ts []string) string { return strings.Join(ts, " ") }

// IndexProposal replaces a proposal's entry in the full-text index, in the
// transaction of the write: what is saved is findable at once.
func (t *Tx) IndexProposal(d SearchDoc) error {
	return t.s.dialect.index(t, d)
}

// IndexReplies replaces the reply words of a proposal's entry.
func (t *Tx) IndexReplies(proposalID int64, replies []string) error {
	return t.s.dialect.indexReplies(t, proposalID, join(replies))
}

func (sqliteDialect) index(t *Tx, d SearchDoc) error {
	var replies string
	err := t.queryRow(`SELECT replies FROM proposal_fts WHERE rowid = ?`, d.ProposalID).Scan(&replies)
	if err == nil {
		if _, err := t.exec(`DELETE FROM proposal_fts WHERE rowid = ?`, d.ProposalID); err != nil {
			return err
		}
	}
	if d.Replies != nil {
		replies = join(d.Replies)
	}
	_, err = t.exec(`INSERT INTO proposal_fts (rowid, title, body, replies) VALUES (?, ?, ?, ?)`, d.ProposalID, join(d.Title), join(d.Body), replies)
	return err
}

func (sqliteDialect) indexReplies(t *Tx, id int64, replies string) error {
	_, err := t.exec(`UPDATE proposal_fts SET replies = ? WHERE rowid = ?`, replies, id)
	return err
}

// pgVec builds a tsvector from our space-joined tokens exactly, without
// PostgreSQL's parser (whose idea of a word depends on the locale): each
// token at its position with the column's weight, which ts_rank needs
// (zx_tsv, migration 0006). Joined with ||, the positions of the body
// follow those of the title.
func pgVec(expr, weight string) string {
	return `zx_tsv(` + expr + `, '` + weight + `')`
}

var pgTSV = pgVec("?", "A") + " || " + pgVec("?", "B") + " || " + pgVec("?", "C")

func (postgresDialect) index(t *Tx, d SearchDoc) error {
	title, body := join(d.Title), join(d.Body)
	if d.Replies == nil {
		_, err := t.exec(`INSERT INTO proposal_fts (proposal_id, title, body, replies, tsv) VALUES (?, ?, ?, '', `+pgTSV+`)
			ON CONFLICT (proposal_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,
			tsv = `+pgVec("EXCLUDED.title", "A")+` || `+pgVec("EXCLUDED.body", "B")+` || `+pgVec("proposal_fts.replies", "C"),
			d.ProposalID, title, body, title, body, "")
		return err
	}
	replies := join(d.Replies)
	_, err := t.exec(`INSERT INTO proposal_fts (proposal_id, title, body, replies, tsv) VALUES (?, ?, ?, ?, `+pgTSV+`)
		ON CONFLICT (proposal_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, replies = EXCLUDED.replies, tsv = EXCLUDED.tsv`,
		d.ProposalID, title, body, replies, title, body, replies)
	return err
}

func (postgresDialect) indexReplies(t *Tx, id int64, replies string) error {
	_, err := t.exec(`UPDATE proposal_fts SET replies = ?, tsv = `+pgVec("title", "A")+` || `+pgVec("body", "B")+` || `+pgVec("?", "C")+` WHERE proposal_id = ?`,
		replies, replies, id)
	return err
}

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

// SearchResult is a page of hits with the total and facet counts.
type SearchResult struct {
	Hits       []Hit
	Total      int
	Categories []Facet
	States     []Facet
	Sessions   []Facet // session ids
	Units      []Facet // ids of the units the proposals were assigned to
}

// SearchOptions tunes one search.
type SearchOptions struct {
	// Facets asks for the counts per category, state, session and unit,
	// which cost one more query each.
	Facets bool
}

// Search finds the proposals f lets the viewer see whose words contain
// every one of terms (segmented with search.QueryTerms), best first; with
// no terms it lists them newest first. Both engines match exactly the same
// proposals, since they hold the same tokens; the order comes from each
// engine's ranking (see searchSQL).
func (s *Store) Search(ctx context.Context, f ProposalFilter, terms []string, opt SearchOptions) (*SearchResult, error) {
	where, args := f.where()
	from, rank := `proposals p`, `0`
	var matchArgs, rankArgs []any
	if len(terms) > 0 {
		j, r, cond := s.dialect.searchSQL()
		m := s.matchText(terms)
		if m == "" {
			return &SearchResult{}, nil
		}
		from, rank = `proposals p `+j, r
		matchArgs = []any{m}
		if strings.Contains(rank, "?") {
			rankArgs = []any{m}
		}
		where = cond + ` AND ` + where
	}
	all := append(matchArgs, args...)
	x := s.rd(ctx)
	res := &SearchResult{}
	if err := x.row(`SELECT COUNT(*) FROM `+from+` WHERE `+where, all...).Scan(&res.Total); err != nil {
		return nil, s.dialect.translate(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	order := `rank DESC, p.id DESC`
	if len(terms) == 0 {
		order = `p.id DESC`
	}
	rows, err := x.query(`SELECT `+proposalCols+`, `+rank+` AS rank FROM `+from+` WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(append(rankArgs, all...), limit, f.Offset)...)
	if err != nil {
		return nil, s.dialect.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var h Hit
		var cosignDue, submitted, accepted, concluded, published, created, updated int64
		p := &h.Proposal
		if err := rows.Scan(&p.ID, &p.CommitteeID, &p.SessionID, &p.Number, &p.Title, &p.Body, &p.Category, &p.Kind, &p.BodyName,
			&p.ProposerID, &p.ProposerName, &p.State, &p.Published, &p.Key, &p.MergedInto, &p.Reason, &cosignDue,
			&submitted, &accepted, &concluded, &published, &created, &updated, &h.Rank); err != nil {
			return nil, err
		}
		p.CosignDue, p.SubmittedAt, p.AcceptedAt, p.ConcludedAt = tm(cosignDue), tm(submitted), tm(accepted), tm(concluded)
		p.PublishedAt, p.CreatedAt, p.UpdatedAt = tm(published), tm(created), tm(updated)
		res.Hits = append(res.Hits, h)
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
		{"p.category, COUNT(*)", from, &res.Categories},
		{"p.state, COUNT(*)", from, &res.States},
		{"p.session_id, COUNT(*)", from, &res.Sessions},
		// A proposal counts once per unit, whatever the kinds of its tasks.
		{"t.unit_id, COUNT(DISTINCT p.id)", from + ` JOIN tasks t ON t.proposal_id = p.id AND t.state <> 'cancelled'`, &res.Units},
	} {
		group := strings.SplitN(facet.sel, ",", 2)[0]
		rows, err := x.query(`SELECT `+facet.sel+` FROM `+facet.from+` WHERE `+where+` GROUP BY `+group+` ORDER BY COUNT(*) DESC, `+group, all...)
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

// searchSQL returns the join of the index, the rank expression and the
// match condition; the rank and the condition take the engine's query text
// (matchText) as their placeholder.
//
// SQLite ranks with FTS5's bm25(), the title weighing 4, the body 1 and the
// replies ½. PostgreSQL has no BM25: ts_rank with the same proportions (A
// title 1, B body ¼, C replies ⅛; D is unused) and normalisation 1 (divide
// by 1 + the log of the length), which, like BM25, keeps a long text that
// mentions a word in passing below a short one about it. On the relevance
// set both reach the same precision (app.TestJiangsuOnEngines); of the
// variants tried (weights 2:1 and 10:1, normalisations 0, 2, 8 and 32,
// ts_rank_cd, IDF-weighted sums per term) none was better by more than a
// query or two.
func (sqliteDialect) searchSQL() (string, string, string) {
	return `JOIN proposal_fts f ON f.rowid = p.id`, `-bm25(f.proposal_fts, 4.0, 1.0, 0.5)`, `f.proposal_fts MATCH ?`
}

func (postgresDialect) searchSQL() (string, string, string) {
	return `JOIN proposal_fts f ON f.proposal_id = p.id`, `ts_rank('{0.05, 0.125, 0.25, 1.0}', f.tsv, ?::tsquery, 1)`, `f.tsv @@ ?::tsquery`
}

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

func (d sqliteDialect) searchJoin() string   { j, _, _ := d.searchSQL(); return j }
func (d postgresDialect) searchJoin() string { j, _, _ := d.searchSQL(); return j }
