-- List filters: a proposal row stores its category after its body, so
-- filtering on category without an index reads every candidate's body
-- (overflow pages). These indexes answer the filtered lists and their
-- counts from the index alone (found by `zhengxie bench`).
CREATE INDEX proposals_state_category ON proposals (committee_id, state, category, id);
CREATE INDEX proposals_published_category ON proposals (committee_id, published, category, id);
