package store

import (
	"context"
	"strings"

	"zhengxie"
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
// PostgreSQL's parser (whose idea of a word depends on the locale).
func pgVec(expr, weight string) string {
	return `setweight(array_to_tsvector(array_remove(string_to_array(` + expr + `, ' '), '')), '` + weight + `')`
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

// Facet is a count of search results by one value.
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
}

// Search finds the proposals f lets the viewer see whose words match all of
// terms (already segmented with search.QueryTerms), best first. match is the
// engine's query text: search.FTS5Match(terms) on SQLite, search.TSQuery on
// PostgreSQL (see MatchQuery).
func (s *Store) Search(ctx context.Context, f ProposalFilter, match string) (*SearchResult, error) {
	where, args := f.where()
	join, rank, cond := s.dialect.searchSQL()
	x := s.rd(ctx)
	all := append([]any{match}, args...)
	selectArgs := all
	if strings.Contains(rank, "?") {
		selectArgs = append([]any{match}, all...)
	}
	res := &SearchResult{}
	if err := x.row(`SELECT COUNT(*) FROM proposals p `+join+` WHERE `+cond+` AND `+where, all...).Scan(&res.Total); err != nil {
		return nil, s.dialect.translate(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := x.query(`SELECT `+proposalCols+`, `+rank+` AS rank FROM proposals p `+join+` WHERE `+cond+` AND `+where+` ORDER BY rank DESC, p.id DESC LIMIT ? OFFSET ?`,
		append(selectArgs, limit, f.Offset)...)
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
	for _, facet := range []struct {
		col string
		dst *[]Facet
	}{{"p.category", &res.Categories}, {"p.state", &res.States}} {
		rows, err := x.query(`SELECT `+facet.col+`, COUNT(*) FROM proposals p `+join+` WHERE `+cond+` AND `+where+` GROUP BY `+facet.col+` ORDER BY COUNT(*) DESC`, all...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var fc Facet
			if err := rows.Scan(&fc.Value, &fc.Count); err != nil {
				rows.Close()
				return nil, err
			}
			*facet.dst = append(*facet.dst, fc)
		}
		rows.Close()
	}
	return res, nil
}

// searchSQL returns the join, the rank expression and the match condition;
// the condition's one placeholder takes the engine's query text.
func (sqliteDialect) searchSQL() (string, string, string) {
	return `JOIN proposal_fts f ON f.rowid = p.id`, `-bm25(f, 4.0, 1.0, 0.5)`, `f MATCH ?`
}

func (postgresDialect) searchSQL() (string, string, string) {
	return `JOIN proposal_fts f ON f.proposal_id = p.id`, `ts_rank('{0.1, 0.3, 0.6, 1.0}', f.tsv, ?::tsquery)`, `f.tsv @@ ?::tsquery`
}

// IndexedTokens streams the stored words of every indexed proposal of a
// committee (0 for all), for building the in-memory similarity index.
func (s *Store) IndexedTokens(ctx context.Context, committeeID int64, fn func(id int64, title, body string) error) error {
	q := `SELECT p.id, f.title, f.body FROM proposals p ` + s.dialect.searchJoin() + ` WHERE p.state <> 'draft'`
	args := []any{}
	if committeeID != 0 {
		q += ` AND p.committee_id = ?`
		args = append(args, committeeID)
	}
	rows, err := s.rd(ctx).query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var title, body string
		if err := rows.Scan(&id, &title, &body); err != nil {
			return err
		}
		if err := fn(id, title, body); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (d sqliteDialect) searchJoin() string   { j, _, _ := d.searchSQL(); return j }
func (d postgresDialect) searchJoin() string { j, _, _ := d.searchSQL(); return j }
