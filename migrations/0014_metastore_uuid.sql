-- 0014_metastore_uuid.sql — the store's own identity and catalog descriptions (issue 17).
--
-- get_metastore_db_uuid answers one id that stays the same for the life of the PostgreSQL
-- database (Hive keeps it in its METASTORE_DB_PROPERTIES table): replication tools compare it to
-- tell two metastores apart. One row, written once here, never updated.
-- Catalogs (Hive 3+ create_catalog) keep Hive's Catalog{description, locationUri, createTime}
-- in catalogs.doc ({"Description", "LocationUri", "CreateTime"}), which 0001 already has.
-- Expand-only; forward-only: never edit this file once applied.

CREATE TABLE metastore_db (
	one  boolean PRIMARY KEY DEFAULT true CHECK (one),
	uuid text NOT NULL DEFAULT gen_random_uuid()::text
);
INSERT INTO metastore_db DEFAULT VALUES;
