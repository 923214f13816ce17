-- Search, scoped by committee. The full-text index gets a column `scope`
-- holding one token per row, 'c' and the committee's id, which every search
-- puts first in its MATCH (scope : c12 AND {title body replies} : …): FTS5
-- then intersects the word's doclist with the committee's, skipping the
-- other committees' rows inside the index instead of ranking every match
-- of every committee and filtering afterwards. The column weighs 0 in
-- bm25(), so the ranking is the one of before.
CREATE VIRTUAL TABLE proposal_fts_scoped USING fts5(title, body, replies, scope, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO proposal_fts_scoped (rowid, title, body, replies, scope)
    SELECT f.rowid, f.title, f.body, f.replies, 'c' || p.committee_id FROM proposal_fts f JOIN proposals p ON p.id = f.rowid;
DROP TABLE proposal_fts;
ALTER TABLE proposal_fts_scoped RENAME TO proposal_fts;
-- The filters of a search (visibility, category, state, session, …) are
-- checked on the few best-ranked candidates by id. `state` and the columns
-- after it are stored behind the body in the row, on overflow pages; this
-- index holds them in a few bytes per proposal (see Store.Search).
CREATE INDEX proposals_search_filter ON proposals (id, committee_id, state, published, session_id, category, is_key, proposer_id, submitted_at);
