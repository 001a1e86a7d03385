-- 0015_glue_tags.sql — Glue resource tags (TagResource, UntagResource, GetTags, and the Tags
-- of CreateDatabase, CreateTable, CreateConnection) on databases, tables and connections.
--
-- A tagged object's tags are a JSON object {key: value} in a column of the object's own row,
-- so they go with it: dropped with the object (and a database's tables), kept across a table
-- rename or move and across table versions (a version is a document, not the row), and never
-- inherited by an object created later under the same name. At most 50 tags per object
-- (Glue's TagsMap); the catalog checks that in the transaction that writes them.
-- Expand-only: columns with a constant default (no rewrite), older servers ignore them.
-- Forward-only: never edit this file once applied.

ALTER TABLE databases ADD COLUMN tags jsonb NOT NULL DEFAULT '{}';
ALTER TABLE tables ADD COLUMN tags jsonb NOT NULL DEFAULT '{}';
ALTER TABLE glue_connections ADD COLUMN tags jsonb NOT NULL DEFAULT '{}';
