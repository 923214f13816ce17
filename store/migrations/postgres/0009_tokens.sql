-- API tokens: scopes, an expiry, revocation, and the expiry reminder sent once.
-- Tokens made before scopes existed could do everything their user can, and they
-- keep that, but now expire 90 days after this migration.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN reminded_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET scopes = 'admin read_committee read_public unit',
    expires_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) + 90 * 86400000::BIGINT;
CREATE INDEX api_tokens_user ON api_tokens (committee_id, user_id);
