-- 0016_delegation_tokens.sql — Hive delegation tokens and the master keys that sign them (issue 16).
--
-- The shapes of Hive's DBTokenStore (MASTER_KEYS, DELEGATION_TOKENS), so Hive's token-store
-- methods (add_token, get_token, add_master_key, ...) read and write the same rows the
-- server's own secret manager does, and every server sharing this database accepts every
-- token. token_ident is the URL-safe base64 of the identifier Writable; token is Hive's value
-- (base64url of vint pwLen, password, long renewDate). owner, renewer and max_date_ms are
-- copied out of the identifier for `propolis tokens list` and the expiry sweep (NULL when a
-- client stored an identifier that does not parse). master_key is sealed with the key ring
-- (auth_keyring_seal_text, "<data key id>:<hex>"): never plaintext at rest.
-- Forward-only: never edit this file once applied.

CREATE TABLE master_keys (
	key_id serial PRIMARY KEY,
	master_key text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE delegation_tokens (
	token_ident text PRIMARY KEY,
	token text NOT NULL,
	owner text,
	renewer text,
	max_date_ms bigint,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delegation_tokens_max_date ON delegation_tokens (max_date_ms);
