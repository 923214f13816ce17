-- Contact with the people (接访、群众留言、社情民意): reception days of the
-- stations and studios with their members on duty, citizens' matters with
-- their photos and deadline alerts, opinion reports with every version of
-- their text, what came of them (adoption, instructions, feedback), and the
-- numbered issues of 《社情民意》 compiled from them.
CREATE TABLE receptions (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    station_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    visitors INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX receptions_station ON receptions (committee_id, station_id, day);
CREATE INDEX receptions_day ON receptions (committee_id, day);
CREATE TABLE reception_members (
    committee_id INTEGER NOT NULL,
    reception_id INTEGER NOT NULL REFERENCES receptions(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (reception_id, user_id)
);
CREATE INDEX reception_members_user ON reception_members (committee_id, user_id);
CREATE TABLE matters (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    code TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    station_id INTEGER NOT NULL DEFAULT 0,
    reception_id INTEGER NOT NULL DEFAULT 0,
    member_id INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL DEFAULT 'normal',
    citizen_name TEXT NOT NULL DEFAULT '',
    citizen_phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    unit_id INTEGER NOT NULL DEFAULT 0,
    due TEXT NOT NULL DEFAULT '',
    forwarded_at INTEGER NOT NULL DEFAULT 0,
    signed_at INTEGER NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',
    answered_at INTEGER NOT NULL DEFAULT 0,
    answered_by TEXT NOT NULL DEFAULT '',
    on_time INTEGER NOT NULL DEFAULT 0,
    rehandled INTEGER NOT NULL DEFAULT 0,
    citizen_note TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    published INTEGER NOT NULL DEFAULT 0,
    report_id INTEGER NOT NULL DEFAULT 0,
    proposal_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX matters_station ON matters (committee_id, station_id, state);
CREATE INDEX matters_unit ON matters (committee_id, unit_id, state);
CREATE INDEX matters_created ON matters (committee_id, created_at);
CREATE INDEX matters_proposal ON matters (committee_id, proposal_id);
CREATE TABLE matter_files (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX matter_files_matter ON matter_files (matter_id);
CREATE TABLE matter_alerts (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    matter_id INTEGER NOT NULL REFERENCES matters(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    due TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (matter_id, kind, on_date)
);
CREATE TABLE opinion_reports (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    sources TEXT NOT NULL DEFAULT '',
    reporter_id INTEGER NOT NULL,
    member_ids TEXT NOT NULL DEFAULT '[]',
    on_behalf TEXT NOT NULL DEFAULT '',
    matter_id INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    merged_into INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    issue_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX opinion_reports_state ON opinion_reports (committee_id, state, created_at);
CREATE INDEX opinion_reports_reporter ON opinion_reports (committee_id, reporter_id);
CREATE TABLE report_versions (
    committee_id INTEGER NOT NULL,
    report_id INTEGER NOT NULL REFERENCES opinion_reports(id),
    n INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    editor TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (report_id, n)
);
CREATE TABLE report_records (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL,
    report_id INTEGER NOT NULL REFERENCES opinion_reports(id),
    kind TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    person TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    on_date TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX report_records_report ON report_records (committee_id, report_id);
CREATE TABLE opinion_issues (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    recipients TEXT NOT NULL DEFAULT '[]',
    sent_at INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (committee_id, year, number)
);
CREATE TABLE issue_reports (
    committee_id INTEGER NOT NULL,
    issue_id INTEGER NOT NULL REFERENCES opinion_issues(id),
    report_id INTEGER NOT NULL REFERENCES opinion_reports(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (issue_id, report_id)
);
