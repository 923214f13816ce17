-- Full-text index of proposals. The columns hold words already segmented in
-- Go (search.Tokens), space-separated, so that SQLite and PostgreSQL search
-- the same tokens; unicode61 only splits on the spaces.
CREATE VIRTUAL TABLE proposal_fts USING fts5(title, body, replies, tokenize = 'unicode61 remove_diacritics 0');
