-- Full-text index of proposals: words segmented in Go (search.Tokens), stored
-- space-separated and indexed with the 'simple' configuration, so that
-- PostgreSQL searches the same tokens as SQLite's FTS5.
CREATE TABLE proposal_fts (
    proposal_id BIGINT PRIMARY KEY REFERENCES proposals(id),
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    replies TEXT NOT NULL DEFAULT '',
    tsv tsvector NOT NULL
);
CREATE INDEX proposal_fts_tsv ON proposal_fts USING gin (tsv);
