-- 0001_catalog.sql — the Glue-shaped catalog: catalogs, databases, tables (with versions and
-- constraints), functions and partitions.
--
-- Every object has a surrogate bigint id; names are unique within their parent, so a rename or
-- a move is an update of one row. Each row keeps the object's Glue-shaped JSON document (doc)
-- beside the typed columns the store searches on. Children hang off their parent's id with
-- ON DELETE CASCADE: deleting a database row removes everything in it.
-- Forward-only: never edit this file once applied; add 0002_... instead.

CREATE TABLE catalogs (
	id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name    text NOT NULL UNIQUE,
	doc     jsonb NOT NULL DEFAULT '{}',
	created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE databases (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	catalog_id bigint NOT NULL REFERENCES catalogs (id) ON DELETE CASCADE,
	name       text NOT NULL,
	doc        jsonb NOT NULL,
	created    timestamptz NOT NULL DEFAULT now(),
	UNIQUE (catalog_id, name)
);

-- version counts from 1; table_versions holds every version, the current one included.
CREATE TABLE tables (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	database_id bigint NOT NULL REFERENCES databases (id) ON DELETE CASCADE,
	name        text NOT NULL,
	table_type  text NOT NULL DEFAULT '',
	doc         jsonb NOT NULL,
	version     bigint NOT NULL DEFAULT 1,
	created     timestamptz NOT NULL DEFAULT now(),
	updated     timestamptz NOT NULL DEFAULT now(),
	UNIQUE (database_id, name)
);

CREATE TABLE table_versions (
	table_id bigint NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	version  bigint NOT NULL,
	doc      jsonb NOT NULL,
	created  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (table_id, version)
);

-- kind: primaryKeys, foreignKeys, uniqueConstraints, notNullConstraints, defaultConstraints,
-- checkConstraints; doc: the JSON array of Hive-shaped constraint objects.
CREATE TABLE table_constraints (
	table_id bigint NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	kind     text NOT NULL,
	doc      jsonb NOT NULL,
	PRIMARY KEY (table_id, kind)
);

CREATE TABLE functions (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	database_id bigint NOT NULL REFERENCES databases (id) ON DELETE CASCADE,
	name        text NOT NULL,
	doc         jsonb NOT NULL,
	created     timestamptz NOT NULL DEFAULT now(),
	UNIQUE (database_id, name)
);

-- part_values: the partition's values in partition-key order, as text (VALUES is an SQL keyword,
-- hence the prefix). The unique constraint's btree index on (table_id, part_values) serves the
-- range scan of one table's partitions in value order.
CREATE TABLE partitions (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	table_id    bigint NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	part_values text[] NOT NULL,
	name        text NOT NULL,
	doc         jsonb NOT NULL,
	created     timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT partitions_table_values_key UNIQUE (table_id, part_values)
);

-- Every foreign-key column leads a unique index above, so cascades and joins need no other index.
