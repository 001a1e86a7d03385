-- 0014_metastore_uuid.sql — the store's own identity, catalog descriptions and new catalogs' grants (issue 17).
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

-- A catalog made by create_catalog follows the account's database creators: its
-- IAM_ALLOWED_PRINCIPALS may create databases only if they may in the first catalog (the
-- configured default, created at first start), so closing Lake Formation's defaults there closes
-- them in every catalog an administrator adds later. The first catalog itself starts open, as
-- before (0008).
CREATE OR REPLACE FUNCTION propolis_catalog_grants() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	first bigint := (SELECT min(id) FROM catalogs);
BEGIN
	IF NEW.id = first OR EXISTS (SELECT 1 FROM lf_grants WHERE principal = 'IAM_ALLOWED_PRINCIPALS'
	                             AND kind = 'CATALOG' AND catalog_id = first AND permission = 'CREATE_DATABASE') THEN
		INSERT INTO lf_grants (principal, kind, catalog_id, permission, last_updated_by)
		VALUES ('IAM_ALLOWED_PRINCIPALS', 'CATALOG', NEW.id, 'CREATE_DATABASE', 'propolis')
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
