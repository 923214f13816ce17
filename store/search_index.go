package store

import "strings"

// SearchDoc is what the full-text index holds of one proposal: its words,
// segmented once when written.
type SearchDoc struct {
	ProposalID int64
	// CommitteeID is needed by the bulk loader only, which writes the
	// index without reading the proposals back; the other writes take the
	// committee from the proposal's row.
	CommitteeID int64
	Title       []string
	Body        []string
	Replies     []string
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
	_, err = t.exec(`INSERT INTO proposal_fts (rowid, title, body, replies, scope)
		VALUES (?, ?, ?, ?, (SELECT 'c' || committee_id FROM proposals WHERE id = ?))`, d.ProposalID, join(d.Title), join(d.Body), replies, d.ProposalID)
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

var pgTSV = pgVec("?", "A") + " || " + pgVec("?", "B") + " || " + pgVec("?", "C") + " || " + pgScope

// pgScope is the lexeme of the proposal's committee (zx_scope, migration
// 0016), which every search ANDs into its query; its placeholder takes the
// proposal id.
const pgScope = `zx_scope((SELECT committee_id FROM proposals WHERE id = ?))`

func (postgresDialect) index(t *Tx, d SearchDoc) error {
	title, body := join(d.Title), join(d.Body)
	if d.Replies == nil {
		_, err := t.exec(`INSERT INTO proposal_fts (proposal_id, title, body, replies, tsv) VALUES (?, ?, ?, '', `+pgTSV+`)
			ON CONFLICT (proposal_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,
			tsv = `+pgVec("EXCLUDED.title", "A")+` || `+pgVec("EXCLUDED.body", "B")+` || `+pgVec("proposal_fts.replies", "C")+` || `+pgScope,
			d.ProposalID, title, body, title, body, "", d.ProposalID, d.ProposalID)
		return err
	}
	replies := join(d.Replies)
	_, err := t.exec(`INSERT INTO proposal_fts (proposal_id, title, body, replies, tsv) VALUES (?, ?, ?, ?, `+pgTSV+`)
		ON CONFLICT (proposal_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, replies = EXCLUDED.replies, tsv = EXCLUDED.tsv`,
		d.ProposalID, title, body, replies, title, body, replies, d.ProposalID)
	return err
}

func (postgresDialect) indexReplies(t *Tx, id int64, replies string) error {
	_, err := t.exec(`UPDATE proposal_fts SET replies = ?, tsv = `+pgVec("title", "A")+` || `+pgVec("body", "B")+` || `+pgVec("?", "C")+` || `+pgScope+` WHERE proposal_id = ?`,
		replies, replies, id, id)
	return err
}
