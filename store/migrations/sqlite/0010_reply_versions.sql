-- Every reply a unit sent, numbered per task: the first and the one after
-- re-handling both stay in the case file; the public sees the last.
CREATE TABLE reply_versions (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    proposal_id INTEGER NOT NULL,
    task_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    result_class TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    attachment_id INTEGER NOT NULL DEFAULT 0,
    replied_at INTEGER NOT NULL,
    replied_by INTEGER NOT NULL DEFAULT 0,
    feedback TEXT NOT NULL DEFAULT '',
    feedback_note TEXT NOT NULL DEFAULT '',
    UNIQUE (task_id, version)
);
CREATE INDEX reply_versions_proposal ON reply_versions (committee_id, proposal_id, task_id, version);

-- The current reply of every task that has one is its first version.
INSERT INTO reply_versions (committee_id, proposal_id, task_id, version, result_class, body, replied_at, feedback, feedback_note)
    SELECT committee_id, proposal_id, id, 1, result_class, reply_text, replied_at, feedback, feedback_note
    FROM tasks WHERE reply_text <> '';

-- A reply letter superseded by a later reply stays internal.
ALTER TABLE attachments ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0;

-- The office let the lead unit reply without every co-handling opinion.
ALTER TABLE tasks ADD COLUMN lead_released INTEGER NOT NULL DEFAULT 0;

-- Tasks left open on proposals concluded before 办结 closed them.
UPDATE tasks SET state = 'closed'
    WHERE state IN ('pending', 'accepted', 'contacted', 'returned')
    AND proposal_id IN (SELECT id FROM proposals WHERE state IN ('concluded', 'archived'));
