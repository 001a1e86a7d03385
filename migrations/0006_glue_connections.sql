-- 0006_glue_connections.sql — Glue extras: connections and the Data Catalog's settings.
--
-- A connection is its Glue document (ConnectionInput, server times) in doc, without its
-- secret properties (PASSWORD, ...): those are one JSON object sealed AES-256-GCM under a
-- data key (0005's envelope encryption) and kept as text "<data key id>:<hex blob>" in
-- secret, so neither PostgreSQL nor a dump ever holds a password. settings holds documents
-- such as the DataCatalogEncryptionSettings a client put. One Glue account per database.
-- Forward-only: never edit this file once applied.

CREATE TABLE glue_connections (
	name    text PRIMARY KEY,
	doc     jsonb NOT NULL,
	secret  text,
	created timestamptz NOT NULL DEFAULT now(),
	updated timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE glue_settings (
	name    text PRIMARY KEY,
	doc     jsonb NOT NULL,
	updated timestamptz NOT NULL DEFAULT now()
);
