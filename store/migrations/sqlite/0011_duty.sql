-- Duty (履职) and the committee's organisation. Sectors (sectors,
-- users.sector_id) exist since 0001; here come the special committees, the
-- liaison stations and sector studios, the members' memberships and
-- profiles, activities with attendance, the office's duty records, the
-- yearly rules, the computed scores and the server's signing secret.
CREATE TABLE special_committees (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    name TEXT NOT NULL,
    UNIQUE (committee_id, name)
);
CREATE TABLE stations (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    sector_id INTEGER NOT NULL DEFAULT 0,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    UNIQUE (committee_id, name)
);
CREATE TABLE org_members (
    committee_id INTEGER NOT NULL,
    org_kind TEXT NOT NULL,
    org_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL DEFAULT 'member',
    PRIMARY KEY (committee_id, org_kind, org_id, user_id)
);
CREATE INDEX org_members_user ON org_members (committee_id, user_id);
CREATE TABLE member_profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    committee_id INTEGER NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    employer TEXT NOT NULL DEFAULT '',
    standing INTEGER NOT NULL DEFAULT 0,
    term TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_profiles_committee ON member_profiles (committee_id);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    state TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    organizer_kind TEXT NOT NULL DEFAULT 'office',
    organizer_id INTEGER NOT NULL DEFAULT 0,
    register_by INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    suggestions TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX activities_year ON activities (committee_id, year, starts_at);
CREATE TABLE attendance (
    committee_id INTEGER NOT NULL,
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    by_hand INTEGER NOT NULL DEFAULT 0,
    marked_by INTEGER NOT NULL DEFAULT 0,
    signed_at INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX attendance_user ON attendance (committee_id, user_id);
CREATE TABLE activity_links (
    committee_id INTEGER NOT NULL,
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    ref_kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    PRIMARY KEY (activity_id, ref_kind, ref_id)
);
CREATE TABLE activity_files (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX activity_files_activity ON activity_files (activity_id);
CREATE TABLE duty_records (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    year INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    beneficiary TEXT NOT NULL DEFAULT '',
    occurred_on TEXT NOT NULL,
    activity_id INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX duty_records_year ON duty_records (committee_id, year, user_id);
CREATE TABLE duty_rules (
    committee_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    body TEXT NOT NULL,
    updated_by INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (committee_id, year)
);
CREATE TABLE duty_scores (
    committee_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    points INTEGER NOT NULL,
    invited INTEGER NOT NULL DEFAULT 0,
    attended INTEGER NOT NULL DEFAULT 0,
    leaves INTEGER NOT NULL DEFAULT 0,
    absences INTEGER NOT NULL DEFAULT 0,
    tasks_done INTEGER NOT NULL DEFAULT 0,
    tasks_total INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, year, user_id)
);
CREATE INDEX duty_scores_rank ON duty_scores (committee_id, year, points);
CREATE TABLE duty_runs (
    committee_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    state TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    event_seq INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (committee_id, year)
);
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
