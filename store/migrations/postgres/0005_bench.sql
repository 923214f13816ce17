-- List filters by state or publication and category, with their counts,
-- answered from the index alone (found by `zhengxie bench`).
CREATE INDEX proposals_state_category ON proposals (committee_id, state, category, id);
CREATE INDEX proposals_published_category ON proposals (committee_id, published, category, id);
