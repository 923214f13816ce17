-- Search, scoped by committee. Every row's tsvector also holds one lexeme
-- naming its committee ('zx:c:12', which segmentation can never produce:
-- tokens have no ':'), and every search ANDs it into the tsquery, so the
-- GIN index intersects the word's posting list with the committee's
-- instead of returning every committee's matches to be filtered. The lexeme
-- has no position and is never part of the ranking's tsquery.
CREATE FUNCTION zx_scope(committee_id bigint) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(ARRAY['zx:c:' || committee_id::text])
$$;
UPDATE proposal_fts f SET tsv = zx_tsv(f.title, 'A') || zx_tsv(f.body, 'B') || zx_tsv(f.replies, 'C') || zx_scope(p.committee_id)
    FROM proposals p WHERE p.id = f.proposal_id;
