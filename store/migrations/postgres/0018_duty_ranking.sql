-- The ranked table pages a year's kept scores best first (points
-- descending, then member) and counts them by points for the ranks, the
-- distribution and low attendance; this index gives that order without a
-- sort and holds the columns those counts read, so only a page's rows are
-- read from the table.
CREATE INDEX duty_scores_order ON duty_scores (committee_id, year, points DESC, user_id, invited, attended, tasks_done, tasks_total);
