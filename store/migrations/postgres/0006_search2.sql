-- Search, second step. The index's tsvector now keeps where each word
-- occurs and in which part: title (A), body (B), replies (C). Without
-- positions (array_to_tsvector) every lexeme weighs the same and occurs
-- once, and ts_rank cannot tell a proposal about a word from one that
-- mentions it. The tsvector is still built from our tokens, never by
-- PostgreSQL's parser, so matching stays the same as SQLite's.
CREATE FUNCTION zx_tsv(words text, weight text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(string_agg('''' || replace(replace(w, '\', '\\'), '''', '''''') || ''':' || LEAST(n, 16383) || weight, ' '), '')::tsvector
    FROM unnest(string_to_array(words, ' ')) WITH ORDINALITY AS t (w, n)
    WHERE w <> ''
$$;
UPDATE proposal_fts SET tsv = zx_tsv(title, 'A') || zx_tsv(body, 'B') || zx_tsv(replies, 'C');
-- Search filters by submission date within a committee.
CREATE INDEX proposals_submitted ON proposals (committee_id, submitted_at);
