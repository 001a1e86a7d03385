-- 0005_principals.sql — principals (IAM-style users and roles), their access keys for SigV4,
-- and the data keys that encrypt the keys' secrets at rest.
--
-- Envelope encryption, as KMS does it: each data key is 32 random bytes stored only wrapped
-- (AES-256-GCM) under the operator's master key, which never enters the database; the
-- master key's fingerprint (SHA-256 prefix) tells a server started with the wrong key.
-- A secret access key is stored AES-256-GCM-encrypted under a data key: SigV4 needs the
-- secret itself, so it cannot be hashed. Blobs are nonce || ciphertext || tag.
-- Forward-only: never edit this file once applied.

CREATE TABLE data_keys (
	id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	wrapped            bytea NOT NULL,
	master_fingerprint text NOT NULL,
	created            timestamptz NOT NULL DEFAULT now()
);

-- arn: arn:aws:iam::<account>:user/<name> or :role/<name>; is_admin: a data lake administrator.
CREATE TABLE principals (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	arn      text NOT NULL UNIQUE,
	name     text NOT NULL,
	kind     text NOT NULL CHECK (kind IN ('user', 'role')),
	is_admin boolean NOT NULL DEFAULT false,
	created  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE access_keys (
	key_id       text PRIMARY KEY,
	principal_id bigint NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	data_key_id  bigint NOT NULL REFERENCES data_keys (id),
	secret       bytea NOT NULL,
	active       boolean NOT NULL DEFAULT true,
	created      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX access_keys_principal ON access_keys (principal_id);
