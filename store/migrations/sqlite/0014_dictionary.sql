-- Words a committee's admin adds to the segmentation dictionary (place
-- names, programmes), and the background rebuilds of the search index
-- with their progress.
CREATE TABLE dict_words (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    word TEXT NOT NULL,
    added_by INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (committee_id, word)
);
CREATE TABLE index_rebuilds (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending',
    total INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    requested_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX index_rebuilds_committee ON index_rebuilds (committee_id, id);
CREATE INDEX index_rebuilds_reason ON index_rebuilds (reason);
