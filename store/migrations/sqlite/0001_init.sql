-- Core schema: committees (tenants), people, proposals, tasks, the event log.
-- Times are Unix milliseconds (INTEGER) in both engines; civil dates are TEXT YYYY-MM-DD.
CREATE TABLE committees (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT 'district',
    parent_id INTEGER NOT NULL DEFAULT 0,
    time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    event_seq INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    term INTEGER NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 0,
    UNIQUE (committee_id, term, number)
);
CREATE TABLE sectors (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    name TEXT NOT NULL,
    UNIQUE (committee_id, name)
);
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    name TEXT NOT NULL,
    leader_id INTEGER NOT NULL DEFAULT 0,
    UNIQUE (committee_id, name)
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id INTEGER NOT NULL DEFAULT 0,
    sector_id INTEGER NOT NULL DEFAULT 0,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX users_committee ON users (committee_id, role);
CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    committee_id INTEGER NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    number INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'individual',
    body_name TEXT NOT NULL DEFAULT '',
    proposer_id INTEGER NOT NULL,
    proposer_name TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    is_key INTEGER NOT NULL DEFAULT 0,
    merged_into INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    cosign_due INTEGER NOT NULL DEFAULT 0,
    submitted_at INTEGER NOT NULL DEFAULT 0,
    accepted_at INTEGER NOT NULL DEFAULT 0,
    concluded_at INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX proposals_number ON proposals (committee_id, session_id, number) WHERE number > 0;
CREATE INDEX proposals_state ON proposals (committee_id, state, id);
CREATE INDEX proposals_proposer ON proposals (committee_id, proposer_id, id);
CREATE INDEX proposals_published ON proposals (committee_id, published, id);
CREATE INDEX proposals_session ON proposals (committee_id, session_id, category);
CREATE TABLE number_counters (
    committee_id INTEGER NOT NULL,
    session_id INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (committee_id, session_id)
);
CREATE TABLE cosigners (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    committee_id INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'invited',
    responded_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX cosigners_user ON cosigners (user_id);
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    assigned_at INTEGER NOT NULL,
    due TEXT NOT NULL,
    return_reason TEXT NOT NULL DEFAULT '',
    rehandled INTEGER NOT NULL DEFAULT 0,
    result_class TEXT NOT NULL DEFAULT '',
    reply_text TEXT NOT NULL DEFAULT '',
    replied_at INTEGER NOT NULL DEFAULT 0,
    feedback TEXT NOT NULL DEFAULT '',
    feedback_note TEXT NOT NULL DEFAULT '',
    feedback_at INTEGER NOT NULL DEFAULT 0,
    contacted INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
CREATE INDEX tasks_proposal ON tasks (proposal_id);
CREATE INDEX tasks_unit ON tasks (committee_id, unit_id, state);
CREATE INDEX tasks_due ON tasks (committee_id, state, due);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    method TEXT NOT NULL,
    contacted_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX contacts_task ON contacts (task_id);
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    proposal_id INTEGER NOT NULL,
    task_id INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_proposal ON attachments (proposal_id);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    proposal_id INTEGER NOT NULL DEFAULT 0,
    task_id INTEGER NOT NULL DEFAULT 0,
    actor_id INTEGER NOT NULL DEFAULT 0,
    actor_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (committee_id, seq)
);
CREATE INDEX events_proposal ON events (proposal_id, seq);
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    read_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    dedupe_key TEXT,
    payload TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending',
    run_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX jobs_due ON jobs (state, run_at);
