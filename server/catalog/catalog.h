/*
 * catalog.h — every catalog operation, once, for every door.
 *
 * Each entry point takes the Catalog, the request context (who, which request, until when)
 * and Glue-shaped JSON documents (MODEL.md). It validates and normalises input (lower-case
 * names, defaults, server-set times), runs the operation in one PostgreSQL transaction
 * through store/, and returns new documents. Doors translate to and from their protocol
 * and map CATALOG_ERROR codes to their exceptions; they never call store/ themselves.
 *
 * Ownership: arguments are borrowed; input documents may be normalised in place (names
 * lower-cased, server-set fields filled). Returned JsonObject/GPtrArray are new references
 * (GPtrArrays carry their element free function).
 * Threading: any worker thread; the Catalog is shared and read-only after catalog_new().
 * Errors: CATALOG_ERROR (common/error.h), logged once by the door.
 */
#ifndef PROPOLIS_CATALOG_H
#define PROPOLIS_CATALOG_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "config.h"
#include "store/store.h"

G_BEGIN_DECLS

typedef struct Catalog Catalog;

/* Who is calling and until when. Strings are borrowed for the call. */
typedef struct {
	const char *principal;  /* "anonymous" until authentication exists */
	guint64 request_id;
	gint64 deadline_us;     /* monotonic; 0 = none */
} CatalogCtx;

/* A catalog over pool, using config (warehouse, catalog name). Ensures catalog and `default` exist. */
Catalog *catalog_new(const PropolisConfig *config, StorePool *pool, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void catalog_free(Catalog *cat);
const char *catalog_default_name(Catalog *cat);

/* ---- names and patterns (catalog/names.c) ---- */

/* TRUE when name is a valid Hive object name ([A-Za-z0-9_]+). */
gboolean catalog_name_is_valid(const char *name);

/*
 * Splits a Hive 3+ catalog-qualified database name "@cat#db" ("!" = empty db) into its
 * catalog (NULL when unqualified) and database (NULL for "!"); new strings.
 */
void catalog_parse_qualified_db(const char *name, char **catalog_out, char **db_out);

/*
 * Turns a Hive pattern ("*" wildcard, "|" alternatives, case-insensitive, full match) into an
 * anchored PostgreSQL regex. NULL or "*" gives NULL (= everything). New string.
 */
char *catalog_pattern_to_regex(const char *pattern);

/* ---- databases (catalog/database.c); catalog arg NULL = the default catalog ---- */
JsonObject *catalog_create_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, JsonObject *db, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *catalog_get_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *catalog_list_databases(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *pattern, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_alter_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name, JsonObject *db, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_drop_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name, gboolean cascade, gboolean if_exists, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- tables and views (catalog/table.c) ---- */

/* Options of create_table beyond the document. */
typedef struct {
	JsonObject *constraints; /* kind → JsonArray (MODEL.md), or NULL */
} CatalogCreateTableOpts;

JsonObject *catalog_create_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, JsonObject *table, const CatalogCreateTableOpts *opts, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *catalog_get_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Documents of the named tables that exist (names: char*), missing ones skipped. */
GPtrArray *catalog_get_tables(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, GPtrArray *names, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Table names in db matching pattern (Hive pattern, NULL = all) and of table_type (NULL = any). */
GPtrArray *catalog_list_tables(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *pattern, const char *table_type, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* get_table_meta: rows as store_table_list_meta. */
GPtrArray *catalog_list_table_meta(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db_pattern, const char *tbl_pattern, GPtrArray *types, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* get_table_names_by_filter: Hive's filter language over owner/params/last access/name. max < 0 = all. */
GPtrArray *catalog_list_table_names_by_filter(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *filter, gint max, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Options of alter_table. */
typedef struct {
	gboolean cascade;             /* column changes reach partitions */
	const char *expected_key;     /* conditional commit: Parameters[expected_key] must equal expected_value */
	const char *expected_value;
	gint64 expected_version;      /* > 0: Glue VersionId check */
} CatalogAlterTableOpts;

gboolean catalog_alter_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, JsonObject *table, const CatalogAlterTableOpts *opts, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_drop_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, gboolean if_exists, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* truncate_table: records the truncation (the metastore never touches data). */
gboolean catalog_truncate_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* A table's constraint list of one kind (MODEL.md), empty array if none. */
JsonArray *catalog_get_constraints(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, const char *kind, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- functions (catalog/function.c) ---- */
JsonObject *catalog_create_function(Catalog *cat, const CatalogCtx *ctx, const char *catalog, JsonObject *fn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *catalog_get_function(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_alter_function(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, JsonObject *fn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_drop_function(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Function documents in db (NULL = all databases) whose name matches pattern (NULL = all). */
GPtrArray *catalog_list_functions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *pattern, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Whether PostgreSQL answers (for health checks and getStatus). */
gboolean catalog_ping(Catalog *cat, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
