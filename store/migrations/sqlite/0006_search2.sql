-- Search filters by submission date within a committee.
CREATE INDEX proposals_submitted ON proposals (committee_id, submitted_at);
