-- Events of any module: a subject (kind + id) beside the proposal and task.
ALTER TABLE events ADD COLUMN subject_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN subject_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX events_subject ON events (committee_id, subject_kind, subject_id, seq);
