-- The ranked table lists a year's kept scores best first (points
-- descending, then member); this index gives that order without a sort.
CREATE INDEX duty_scores_order ON duty_scores (committee_id, year, points DESC, user_id);
