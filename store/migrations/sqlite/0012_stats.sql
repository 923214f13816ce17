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
-- The statistics (store.ProposalCounts, TaskStats) group a committee's
-- proposals and their tasks along one dimension at a time; these indexes
-- hold every column they read, so that the grouping never touches the
-- wide rows with the texts (at the city scale of the benchmark the unit
-- table took 400 ms without them, 6 ms with them).
CREATE INDEX IF NOT EXISTS proposals_stats ON proposals (committee_id, session_id, state, kind, is_key, published, category, number, proposer_id, submitted_at);
CREATE INDEX IF NOT EXISTS tasks_stats ON tasks (proposal_id, committee_id, state, kind, unit_id, replied_at, due, feedback, rehandled, contacted, result_class);
