-- 0008_permissions.sql — Lake Formation-style permissions: principal groups, grants on catalog,
-- database, table, all tables of a database, columns and data locations, the data lake
-- settings, registered locations, and the audit table of authorization decisions.
--
-- A grant hangs off the id of its object with ON DELETE CASCADE: dropping a database or table
-- drops its grants, a rename keeps them (it updates one row), and recreating a name later does
-- not bring them back, as Lake Formation does. One row per (principal, resource, permission);
-- `implicit` rows are what a creator holds on what it created (Lake Formation's implicit
-- permissions): they count like grants but cannot be revoked and are not listed as grants.
--
-- principal: an IAM ARN (arn:aws:iam::<account>:user/NAME, :role/NAME, :group/NAME) or
-- IAM_ALLOWED_PRINCIPALS (every caller). Default permissions for new objects (Lake Formation's
-- CreateDatabaseDefaultPermissions / CreateTableDefaultPermissions) and creators' implicit
-- permissions are written by the triggers below, so every path that creates an object (Thrift,
-- Glue, the server's own `default` database) gets them in the same transaction. The creator is
-- the transaction-local setting propolis.principal (set by the catalog before it creates).
-- Forward-only: never edit this file once applied.

CREATE TABLE principal_groups (
	principal_id bigint NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
	group_name   text NOT NULL,
	PRIMARY KEY (principal_id, group_name)
);

-- resource_arn: arn:aws:s3:::bucket/prefix as registered; location: the same as a URI prefix
-- without trailing '/' (s3://bucket/prefix), which table and partition locations are matched on.
CREATE TABLE lf_locations (
	id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	resource_arn            text NOT NULL UNIQUE,
	location                text NOT NULL,
	role_arn                text,
	use_service_linked_role boolean NOT NULL DEFAULT false,
	hybrid_access_enabled   boolean NOT NULL DEFAULT false,
	with_federation         boolean NOT NULL DEFAULT false,
	registered              timestamptz NOT NULL DEFAULT now()
);

-- kind: CATALOG (catalog_id), DATABASE (+database_id), TABLE (+table_id), TABLE_WILDCARD
-- (+database_id: every table of the database), COLUMNS (+table_id, SELECT on column_names, or
-- on every column but excluded_columns), DATA_LOCATION (location_id; catalog_id of the account's
-- default catalog). SELECT on a whole table is kind TABLE.
CREATE TABLE lf_grants (
	id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	principal        text NOT NULL,
	kind             text NOT NULL CHECK (kind IN ('CATALOG', 'DATABASE', 'TABLE', 'TABLE_WILDCARD', 'COLUMNS',
	                                              'DATA_LOCATION')),
	catalog_id       bigint NOT NULL REFERENCES catalogs (id) ON DELETE CASCADE,
	database_id      bigint REFERENCES databases (id) ON DELETE CASCADE,
	table_id         bigint REFERENCES tables (id) ON DELETE CASCADE,
	location_id      bigint REFERENCES lf_locations (id) ON DELETE CASCADE,
	permission       text NOT NULL,
	grantable        boolean NOT NULL DEFAULT false,
	implicit         boolean NOT NULL DEFAULT false,
	column_names     text[],
	excluded_columns text[],
	last_updated     timestamptz NOT NULL DEFAULT now(),
	last_updated_by  text NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX lf_grants_key ON lf_grants (principal, kind, catalog_id, coalesce(database_id, 0),
                                                coalesce(table_id, 0), coalesce(location_id, 0), permission, implicit);
-- The evaluator's lookups (store/authz.c): a caller's catalog and location rows, a database's
-- rows of a set of principals, one table's rows. TABLE and COLUMNS rows carry their database_id.
CREATE INDEX lf_grants_principal ON lf_grants (principal, kind);
CREATE INDEX lf_grants_database ON lf_grants (database_id, principal) WHERE database_id IS NOT NULL;
CREATE INDEX lf_grants_table ON lf_grants (table_id) WHERE table_id IS NOT NULL;
CREATE INDEX principals_name ON principals (name);

-- One row: the data lake settings document (GetDataLakeSettings' shape) except DataLakeAdmins,
-- which is principals.is_admin. Starts as Lake Formation's defaults: new databases and tables
-- open to IAM_ALLOWED_PRINCIPALS.
CREATE TABLE lf_settings (
	id  integer PRIMARY KEY CHECK (id = 1),
	doc jsonb NOT NULL
);

INSERT INTO lf_settings (id, doc) VALUES (1, '{
	"CreateDatabaseDefaultPermissions": [{"Principal": {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"},
	                                      "Permissions": ["ALL"]}],
	"CreateTableDefaultPermissions": [{"Principal": {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"},
	                                   "Permissions": ["ALL"]}],
	"TrustedResourceOwners": [],
	"ReadOnlyAdmins": [],
	"AllowExternalDataFiltering": false,
	"AllowFullTableExternalDataAccess": false,
	"Parameters": {"CROSS_ACCOUNT_VERSION": "4"}
}');

-- Every authorization decision. door: thrift, glue, lakeformation, propolis.
CREATE TABLE authz_audit (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at         timestamptz NOT NULL DEFAULT now(),
	principal  text NOT NULL,
	door       text NOT NULL,
	operation  text NOT NULL,
	resource   text NOT NULL,
	permission text NOT NULL DEFAULT '',
	allowed    boolean NOT NULL,
	reason     text NOT NULL DEFAULT ''
);

CREATE INDEX authz_audit_at ON authz_audit (at);

-- TRUE when a default-permissions list (a JSON array of {Principal, Permissions}) opens new
-- objects to IAM_ALLOWED_PRINCIPALS.
CREATE FUNCTION propolis_default_open(perms jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(jsonb_typeof(perms) = 'array' AND EXISTS (
		SELECT 1 FROM jsonb_array_elements(perms) e
		WHERE e -> 'Principal' ->> 'DataLakePrincipalIdentifier' = 'IAM_ALLOWED_PRINCIPALS'), false)
$$;

-- The creator named by the transaction (NULL when the server itself creates).
CREATE FUNCTION propolis_actor() RETURNS text LANGUAGE sql STABLE AS $$
	SELECT nullif(current_setting('propolis.principal', true), '')
$$;

-- A new catalog: Lake Formation's default database creators (IAM_ALLOWED_PRINCIPALS).
CREATE FUNCTION propolis_catalog_grants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO lf_grants (principal, kind, catalog_id, permission, last_updated_by)
	VALUES ('IAM_ALLOWED_PRINCIPALS', 'CATALOG', NEW.id, 'CREATE_DATABASE', 'propolis')
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;

-- A new database: the default permissions, and the creator's implicit ALL (grantable).
CREATE FUNCTION propolis_database_grants() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	actor text := propolis_actor();
BEGIN
	IF propolis_default_open((SELECT doc -> 'CreateDatabaseDefaultPermissions' FROM lf_settings WHERE id = 1)) THEN
		INSERT INTO lf_grants (principal, kind, catalog_id, database_id, permission, last_updated_by)
		VALUES ('IAM_ALLOWED_PRINCIPALS', 'DATABASE', NEW.catalog_id, NEW.id, 'ALL', coalesce(actor, 'propolis'))
		ON CONFLICT DO NOTHING;
	END IF;
	IF actor IS NOT NULL THEN
		INSERT INTO lf_grants (principal, kind, catalog_id, database_id, permission, grantable, implicit, last_updated_by)
		VALUES (actor, 'DATABASE', NEW.catalog_id, NEW.id, 'ALL', true, true, actor)
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;

-- A new table: the database's CreateTableDefaultPermissions (else the settings'), and the
-- creator's implicit ALL (grantable).
CREATE FUNCTION propolis_table_grants() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	actor text := propolis_actor();
	cat   bigint;
	ddoc  jsonb;
BEGIN
	SELECT catalog_id, doc INTO cat, ddoc FROM databases WHERE id = NEW.database_id;
	IF propolis_default_open(coalesce(ddoc -> 'CreateTableDefaultPermissions',
	                                  (SELECT doc -> 'CreateTableDefaultPermissions' FROM lf_settings WHERE id = 1))) THEN
		INSERT INTO lf_grants (principal, kind, catalog_id, database_id, table_id, permission, last_updated_by)
		VALUES ('IAM_ALLOWED_PRINCIPALS', 'TABLE', cat, NEW.database_id, NEW.id, 'ALL', coalesce(actor, 'propolis'))
		ON CONFLICT DO NOTHING;
	END IF;
	IF actor IS NOT NULL THEN
		INSERT INTO lf_grants (principal, kind, catalog_id, database_id, table_id, permission, grantable, implicit,
		                       last_updated_by)
		VALUES (actor, 'TABLE', cat, NEW.database_id, NEW.id, 'ALL', true, true, actor)
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER catalogs_lf_grants AFTER INSERT ON catalogs FOR EACH ROW EXECUTE FUNCTION propolis_catalog_grants();
CREATE TRIGGER databases_lf_grants AFTER INSERT ON databases FOR EACH ROW EXECUTE FUNCTION propolis_database_grants();
CREATE TRIGGER tables_lf_grants AFTER INSERT ON tables FOR EACH ROW EXECUTE FUNCTION propolis_table_grants();

-- What already exists starts open, as Lake Formation's defaults leave existing resources.
INSERT INTO lf_grants (principal, kind, catalog_id, permission, last_updated_by)
SELECT 'IAM_ALLOWED_PRINCIPALS', 'CATALOG', id, 'CREATE_DATABASE', 'propolis' FROM catalogs;
INSERT INTO lf_grants (principal, kind, catalog_id, database_id, permission, last_updated_by)
SELECT 'IAM_ALLOWED_PRINCIPALS', 'DATABASE', catalog_id, id, 'ALL', 'propolis' FROM databases;
INSERT INTO lf_grants (principal, kind, catalog_id, database_id, table_id, permission, last_updated_by)
SELECT 'IAM_ALLOWED_PRINCIPALS', 'TABLE', d.catalog_id, d.id, t.id, 'ALL', 'propolis'
FROM tables t JOIN databases d ON d.id = t.database_id;
