-- Supervision (督办): persistent jobs, per-committee deadline settings,
-- deadline alerts, extensions, key proposals, notification preferences,
-- outbound webhooks. Times are Unix milliseconds; civil dates TEXT YYYY-MM-DD.

-- Jobs: a worker holds a claimed job until locked_until (a lease), so that a
-- job whose worker died is claimed again once the lease runs out.
ALTER TABLE jobs ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 10;
ALTER TABLE jobs ADD COLUMN locked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN finished_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_committee ON jobs (committee_id, state, id);

-- One row per committee: deadline rules (JSON), the holiday calendar (the
-- text the admin edits) and the evaluation criteria (JSON). Empty means the
-- defaults that ship with the binary.
CREATE TABLE committee_settings (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL UNIQUE,
    rules TEXT NOT NULL DEFAULT '',
    calendar TEXT NOT NULL DEFAULT '',
    criteria TEXT NOT NULL DEFAULT '',
    updated_by INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL DEFAULT 0
);

-- Every reminder, overdue notice and escalation that was sent, once: the
-- unique key (task, kind, day) is what makes the periodic scan idempotent.
CREATE TABLE task_alerts (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    task_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    due TEXT NOT NULL,
    recipients INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (task_id, kind, on_date)
);
CREATE INDEX task_alerts_committee ON task_alerts (committee_id, kind, id);

CREATE TABLE extensions (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    task_id INTEGER NOT NULL,
    proposal_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    requested_by INTEGER NOT NULL,
    requested_by_name TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    old_due TEXT NOT NULL,
    new_due TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    decided_by INTEGER NOT NULL DEFAULT 0,
    decided_by_name TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    decided_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX extensions_task ON extensions (task_id, id);
CREATE INDEX extensions_state ON extensions (committee_id, state, id);
CREATE UNIQUE INDEX extensions_one_pending ON extensions (task_id) WHERE state = 'pending';

CREATE TABLE key_proposals (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    proposal_id INTEGER NOT NULL UNIQUE,
    state TEXT NOT NULL DEFAULT 'proposed',
    reason TEXT NOT NULL DEFAULT '',
    leader_id INTEGER NOT NULL DEFAULT 0,
    proposed_by INTEGER NOT NULL,
    proposed_at INTEGER NOT NULL,
    decided_by INTEGER NOT NULL DEFAULT 0,
    decided_at INTEGER NOT NULL DEFAULT 0,
    decision_note TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);
CREATE INDEX key_proposals_committee ON key_proposals (committee_id, state, id);
CREATE TABLE key_steps (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    key_id INTEGER NOT NULL REFERENCES key_proposals(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    done_on TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX key_steps_key ON key_steps (key_id, planned_on);
CREATE TABLE key_notes (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    key_id INTEGER NOT NULL REFERENCES key_proposals(id),
    author_id INTEGER NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX key_notes_key ON key_notes (key_id, id);

-- Channels a user wants besides the in-app centre. No row: e-mail on, SMS off.
CREATE TABLE notify_prefs (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL UNIQUE,
    email INTEGER NOT NULL DEFAULT 1,
    sms INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);

CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_subscriptions_committee ON webhook_subscriptions (committee_id, active);
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    subscription_id INTEGER NOT NULL,
    job_id INTEGER NOT NULL DEFAULT 0,
    delivery_id TEXT NOT NULL,
    event TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 0,
    status_code INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_sub ON webhook_deliveries (subscription_id, id);
