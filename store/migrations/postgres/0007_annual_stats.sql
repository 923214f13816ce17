-- The annual statistics (store.AnnualStats) of one committee or of all:
-- proposals of a year's sessions by state, category and number, and their
-- tasks' units, deadlines and ratings, read from indexes without touching
-- the texts stored in the same rows (found by `zhengxie bench`).
CREATE INDEX IF NOT EXISTS proposals_annual ON proposals (committee_id, session_id, state, category, number);
CREATE INDEX IF NOT EXISTS tasks_annual ON tasks (proposal_id, state, kind, unit_id, replied_at, due, feedback);
