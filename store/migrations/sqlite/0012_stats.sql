-- The annual work report's text as the office edited it, one row per
-- committee and year. Only the words are kept: the figures (【名称】 in the
-- text) are filled in from the data each time the report is shown.
CREATE TABLE annual_reports (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    sections TEXT NOT NULL DEFAULT '',
    updated_by INTEGER NOT NULL DEFAULT 0,
    updated_by_name TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    UNIQUE (committee_id, year)
);
-- The statistics group a committee's proposals by proposer (界别) and
-- count key proposals; these read from indexes.
CREATE INDEX IF NOT EXISTS proposals_stats_key ON proposals (committee_id, is_key, session_id);
