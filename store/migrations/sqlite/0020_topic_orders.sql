-- Topic orders (订单式提案): topics a handling unit (or the office) wants
-- members' advice on, the members' claims of them, the joint studies the
-- claimants ask the unit for, and which proposal came from which order.
CREATE TABLE topic_orders (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    unit_id INTEGER NOT NULL DEFAULT 0,
    posted_by INTEGER NOT NULL,
    title TEXT NOT NULL,
    background TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX topic_orders_state ON topic_orders (committee_id, state, published_at);
CREATE INDEX topic_orders_unit ON topic_orders (committee_id, unit_id);
CREATE TABLE topic_claims (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    order_id INTEGER NOT NULL REFERENCES topic_orders(id),
    claimant_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    sector_id INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    proposal_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX topic_claims_order ON topic_claims (committee_id, order_id);
CREATE TABLE topic_claim_members (
    committee_id INTEGER NOT NULL,
    claim_id INTEGER NOT NULL REFERENCES topic_claims(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (claim_id, user_id)
);
CREATE INDEX topic_claim_members_user ON topic_claim_members (committee_id, user_id);
CREATE TABLE topic_studies (
    id INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    order_id INTEGER NOT NULL REFERENCES topic_orders(id),
    claim_id INTEGER NOT NULL REFERENCES topic_claims(id),
    requested_by INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    day TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    answered_by INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    answered_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX topic_studies_order ON topic_studies (committee_id, order_id);
-- One order per proposal: a proposal drafted from an order carries it for life.
CREATE TABLE topic_order_proposals (
    committee_id INTEGER NOT NULL,
    proposal_id INTEGER NOT NULL PRIMARY KEY REFERENCES proposals(id),
    order_id INTEGER NOT NULL REFERENCES topic_orders(id),
    claim_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX topic_order_proposals_order ON topic_order_proposals (committee_id, order_id);
