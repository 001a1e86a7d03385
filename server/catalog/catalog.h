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
	const char *principal;  /* an IAM ARN, or a bare principal name ("alice", "anonymous") */
	guint64 request_id;
	gint64 deadline_us;     /* monotonic; 0 = none */
	const char *door;       /* "thrift", "glue", "lakeformation", "propolis" (audit); NULL = "thrift" */
	const char *operation;  /* the door's operation name (audit), or NULL */
} CatalogCtx;

/* A catalog over pool, using config (warehouse, catalog name). Ensures catalog and `default` exist. */
Catalog *catalog_new(const PropolisConfig *config, StorePool *pool, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void catalog_free(Catalog *cat);
const char *catalog_default_name(Catalog *cat);
/*
 * A catalog with no store, for the doors' fuzz targets and tests: every operation validates its
 * input as usual and fails with CATALOG_ERROR_UNAVAILABLE (message CATALOG_DETACHED_MESSAGE)
 * where it would first reach PostgreSQL. No audit writer. Never fails; free with catalog_free().
 */
Catalog *catalog_new_detached(const PropolisConfig *config);
#define CATALOG_DETACHED_MESSAGE "no store: detached catalog"

/*
 * Encodes a catalog document for a notification message's *ObjJson field the way Hive does
 * (Thrift's JSON protocol); kind is "table", "database", "function" or "partition". Returns a
 * new string, or NULL to fall back to the document's own JSON. Called from any worker thread.
 */
typedef char *(*CatalogObjectEncoder)(const char *kind, JsonObject *doc, gpointer data);
/* Installs the encoder (a door registers it at start, before serving; NULL removes it). */
void catalog_set_object_encoder(Catalog *cat, CatalogObjectEncoder fn, gpointer data);

/*
 * The authorization decision of the calling thread's current request ("allowed SELECT on table
 * db.t (grant)"; a denial sticks), or NULL when none was made. Doors reset it when a request
 * starts and put it in their per-call log line.
 */
void catalog_authz_decision_reset(void);
const char *catalog_authz_decision(void);

/* ---- names and patterns (catalog/names.c) ---- */

/* The longest database, table, function, column or partition key name (Glue: 255). */
#define CATALOG_NAME_MAX 255

/* TRUE when name is a valid Hive object name ([A-Za-z0-9_]+, at most CATALOG_NAME_MAX). */
gboolean catalog_name_is_valid(const char *name);

/* TRUE when a column or partition key name has 1..CATALOG_NAME_MAX characters (UTF-8). */
gboolean catalog_column_name_length_ok(const char *name);

/*
 * The text check every write of a document (database, table, partition, connection) makes
 * once, whichever door it came through: each string map (any member "Parameters" or
 * "ConnectionProperties", at any depth: SerdeInfo, StorageDescriptor, columns) is an object of
 * strings. FALSE with INVALID_INPUT ("StorageDescriptor.Parameters.k must be a string").
 */
gboolean catalog_doc_check_text(JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;

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
/* create_database with Glue resource tags (checked by the door; may be NULL), in the same transaction. */
JsonObject *catalog_create_database_tagged(Catalog *cat, const CatalogCtx *ctx, const char *catalog, JsonObject *db, JsonObject *tags, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *catalog_get_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *catalog_list_databases(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *pattern, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_alter_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name, JsonObject *db, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_drop_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name, gboolean cascade, gboolean if_exists, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * ---- Hive 3+ catalogs and the store's id (catalog/hive_catalog.c) ----
 * A catalog document is {"Name","Description"?,"LocationUri","CreateTime"?}. Create, alter and
 * drop are for data lake administrators; create adds the catalog's `default` database; drop
 * refuses a catalog holding more than an empty `default` (INVALID_OPERATION) and the default
 * catalog (INVALID_INPUT). Missing: NOT_FOUND "No catalog <name>".
 */
gboolean catalog_create_catalog(Catalog *cat, const CatalogCtx *ctx, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *catalog_get_catalog(Catalog *cat, const CatalogCtx *ctx, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *catalog_list_catalogs(Catalog *cat, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_alter_catalog(Catalog *cat, const CatalogCtx *ctx, const char *name, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_drop_catalog(Catalog *cat, const CatalogCtx *ctx, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* A stable id of the store (get_metastore_db_uuid), new string. */
char *catalog_metastore_uuid(Catalog *cat, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- tables and views (catalog/table.c) ---- */

/* Options of create_table beyond the document. */
typedef struct {
	JsonObject *constraints; /* kind → JsonArray (MODEL.md), or NULL */
	JsonArray *partition_indexes; /* Glue PartitionIndex objects {IndexName, Keys[]} (partition_index.c), or NULL */
	JsonObject *tags;             /* Glue resource tags {key: value} (catalog/tags.c), or NULL */
} CatalogCreateTableOpts;

JsonObject *catalog_create_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, JsonObject *table, const CatalogCreateTableOpts *opts, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *catalog_get_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * A table document's identity, for a door that keeps encoded tables: id and version name its
 * content (every write bumps the version; a recreated name gets a new id).
 */
typedef struct {
	gint64 id, version; /* in: the copy the caller holds (0, 0 = none); out: the stored row's */
	gboolean unchanged; /* out: the stored row is the caller's copy; no document returned */
	gboolean whole;     /* out: this caller sees every column (the document is not trimmed for it) */
} CatalogTableStamp;
/*
 * catalog_get_table for a caller that may hold a copy: the same checks, one statement, and NULL
 * without error and stamp->unchanged when the copy is current and the caller sees all of it
 * (the document is then neither printed by PostgreSQL nor parsed). A caller who sees only some
 * columns always gets the trimmed document (stamp->whole FALSE).
 */
JsonObject *catalog_get_table_known(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, CatalogTableStamp *stamp, GError **error) G_GNUC_WARN_UNUSED_RESULT;
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
	gboolean skip_archive;        /* Glue's SkipArchive: the version replaced is not kept (VersionId still advances) */
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

/* ---- column statistics (catalog/stats.c) ----
 * Entries are the JsonObjects store.h describes ({"ColumnName", "ColumnType", "Kind", "Data"},
 * "PartName" on partition entries). engine NULL = "hive". Table or partition missing:
 * NOT_FOUND; a table-level column the table lacks: INVALID_INPUT (Hive's MetaException).
 */

/* One ColumnStatistics: the statistics of one table (part_name NULL) or one partition. */
typedef struct {
	const char *catalog;   /* NULL = default */
	const char *db;
	const char *table;
	const char *part_name; /* Hive partition name k1=v1/k2=v2, or NULL for table level */
	GPtrArray *entries;    /* JsonObject entries; normalised in place */
} CatalogColumnStats;

/* Writes n sets in one transaction, marking the columns in COLUMN_STATS_ACCURATE. */
gboolean catalog_update_column_stats(Catalog *cat, const CatalogCtx *ctx, const CatalogColumnStats *sets, guint n, const char *engine, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Table-level entries of columns (NULL = all). */
GPtrArray *catalog_get_table_column_stats(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *columns, const char *engine, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Entries (with PartName) of part_names × columns (NULL = all). */
GPtrArray *catalog_get_partition_column_stats(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *part_names, GPtrArray *columns, const char *engine, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* get_aggr_stats_for: one aggregated entry per column that has stats; *parts_found as Hive counts it. */
GPtrArray *catalog_get_aggr_column_stats(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *part_names, GPtrArray *columns, const char *engine, gint64 *parts_found, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deletes stats of column (NULL = all) of the table or of partition part_name; NOT_FOUND if a named column has none. */
gboolean catalog_delete_column_stats(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, const char *part_name, const char *column, const char *engine, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* delete_column_statistics_req, one transaction: stats of columns (NULL or empty = all) of the table when
 * table_level, else of each partition of part_names (NULL or empty = every partition holding stats);
 * NOT_FOUND if a named column has none at the table or in a named partition. */
gboolean catalog_delete_column_stats_req(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, gboolean table_level, GPtrArray *part_names, GPtrArray *columns, const char *engine, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- partitions (catalog/partition.c) ----
 * Documents are Glue Partitions (MODEL.md): Values, DatabaseName, TableName, CreationTime,
 * LastAccessTime, StorageDescriptor?, Parameters, Hive{...}. Errors carry Hive's texts. */

/* A shared storage descriptor of a row listing (StorageDescriptor without Location), its
 * Columns already trimmed to what the caller may see. */
typedef struct {
	gint64 id;
	JsonObject *doc;
} CatalogPartitionSd;

/*
 * One batch of a row listing (the fast path of big listings, no document per partition). Every
 * partition is stamped with catalog, db and table (current names). A row with sd_id != 0 has a
 * StorageDescriptor: the shared descriptor of that id plus the row's location. Descriptors are
 * handed over once: sds holds those first referenced in this batch; sd_reset TRUE says to forget
 * those of earlier batches first. Everything is borrowed for the call.
 */
typedef struct {
	const char *catalog, *db, *table;
	const StorePartitionRows *rows;
	gboolean sd_reset;
	const CatalogPartitionSd *sds;
	guint n_sds;
} CatalogPartitionRows;

/* Receives a listing: begin(count) once before any row, then batch() per batch of JsonObject*
 * documents (or char* names); the batch is freed when batch() returns unless it steals the items.
 * A sink that sets rows receives document listings as CatalogPartitionRows batches instead of
 * batch() (names still go to batch()). A FALSE with error from any stops the listing and is
 * passed back to the caller. */
typedef struct {
	gboolean (*begin)(gpointer user, gint64 count, GError **error);
	gboolean (*batch)(gpointer user, GPtrArray *batch, GError **error);
	gpointer user;
	gboolean (*rows)(gpointer user, const CatalogPartitionRows *rows, GError **error);
} CatalogPartitionSink;

/* Which partitions a listing returns. */
typedef struct {
	const GPtrArray *spec; /* partial values (char*), "" = any value, trailing keys any; NULL = all */
	const char *filter;    /* Hive partition filter text; NULL or blank = all */
	gint max_parts;        /* < 0: all */
	gboolean names_only;   /* batches of names instead of documents */
} CatalogPartitionQuery;

/* add_partitions: all or nothing. Returns the documents added (with if_not_exists, only the new ones). */
GPtrArray *catalog_add_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *parts, gboolean if_not_exists, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * One new partition for catalog_add_partition_rows, as a door decoded it: no JSON tree per
 * partition. The door sets the first group; the catalog fills the second.
 */
typedef struct {
	const char *db, *table;    /* as the partition names them; NULL: unset */
	const char *const *values; /* n_values, key order; NULL: the partition has no Values */
	guint n_values;
	gint64 last_access_time;
	GHashTable *params;        /* char* → char*, both g_free'd: the catalog may add the ddl time */
	gboolean has_sd;
	const char *location;      /* the descriptor's (NULL or "": none, the default is filled in) */
	guint sd;                  /* 1-based index into the batch's descriptors; 0 when !has_sd */
	gpointer src;              /* the door's own object */
	/* filled in by the catalog */
	char *name;                /* the Hive name */
	char *default_location;    /* when the descriptor had none and the table has a location */
	gint64 create_time;
	gboolean added;            /* written (FALSE: it existed, with if_not_exists) */
} CatalogPartitionNew;

/* Appends an added partition's Thrift JSON as a quoted JSON string (an element of
 * ADD_PARTITION's partitionListJson) in its final form: the names and catalog given, the
 * filled-in time, location and parameters. */
typedef void (*CatalogPartitionEncodeFunc)(gpointer user, const CatalogPartitionNew *row, const char *catalog,
                                           const char *db, const char *table, GString *out);

/* A batch for catalog_add_partition_rows; free what the catalog filled with catalog_partition_batch_clear. */
typedef struct {
	CatalogPartitionNew *rows;
	guint n;
	const char *const *sds;          /* n_sds distinct descriptors: JSON text without Location */
	guint n_sds;
	CatalogPartitionEncodeFunc encode;
	gpointer user;
	gsize encoded_hint;              /* about how many bytes encode() appends per partition */
	/* filled in by the catalog */
	char *catalog, *db, *table;      /* the names stored partitions carry */
	gboolean columns_restricted;     /* the caller sees only some columns: a reply must be re-read */
} CatalogPartitionBatch;

/* add_partitions from rows: as catalog_add_partitions (all or nothing, Hive's errors); the rows
 * say which were added. */
gboolean catalog_add_partition_rows(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                    const char *table, CatalogPartitionBatch *batch, gboolean if_not_exists,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;
void catalog_partition_batch_clear(CatalogPartitionBatch *batch);

/* append_partition: values (char*) or a partition name; the table's descriptor at the default location. */
JsonObject *catalog_append_partition(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *values, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* One partition by values (char*) or by name; NOT_FOUND when missing. */
JsonObject *catalog_get_partition(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *values, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Partitions by name (char*), in the order given; missing ones skipped. */
GPtrArray *catalog_get_partitions_by_names(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *names, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Streams a listing in value order to sink, in one snapshot (see CatalogPartitionSink). */
gboolean catalog_list_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, const CatalogPartitionQuery *q, const CatalogPartitionSink *sink, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The same listing collected into one array (documents or names). */
GPtrArray *catalog_list_partitions_all(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, const CatalogPartitionQuery *q, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* get_num_partitions_by_filter. */
gboolean catalog_count_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, const char *filter, gint64 *count, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* alter_partition(s): each found by its Values; all or nothing (INVALID_OPERATION names a missing one). */
gboolean catalog_alter_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *parts, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* rename_partition: the partition at old_values (char*) takes part (its new Values). */
gboolean catalog_rename_partition(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *old_values, JsonObject *part, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Drops partitions given by names (char*), or one by values (char*), or by a filter; all or nothing. Returns the dropped documents. */
GPtrArray *catalog_drop_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GPtrArray *names, GPtrArray *values, const char *filter, gboolean if_exists, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* drop_partitions by names (char*), the dropped partitions handed to sink->rows as row batches
 * (stamped, trimmed for the caller) before the commit: as catalog_drop_partitions otherwise. A
 * sink must keep what it got until this returns TRUE (FALSE: the drop rolled back). */
gboolean catalog_drop_partition_rows(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                     const char *table, GPtrArray *names, gboolean if_exists,
                                     const CatalogPartitionSink *sink, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- table versions (catalog/table_version.c) ---- */

/* Versions of a table, newest first, below `before` (<= 0: from the newest), at most limit (<= 0: all). */
GPtrArray *catalog_get_table_versions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, gint64 before, gint limit, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* One version of a table; NOT_FOUND if the table or version does not exist. */
JsonObject *catalog_get_table_version(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, gint64 version, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * Deletes versions[0..n) of a table (never the current one) in one transaction. FALSE with
 * error when the call fails (missing table, denied); else TRUE, with item_errors[i] (n entries,
 * NULL on entry) set for each version that was current (INVALID_INPUT) or missing (NOT_FOUND).
 */
gboolean catalog_delete_table_versions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *name, const gint64 *versions, guint n, GError **item_errors, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Glue partition indexes (catalog/partition_index.c) ---- */

#define CATALOG_PARTITION_INDEX_MAX 3 /* per table: Glue's quota */

/* Adds index {IndexName, Keys[partition key names]}: ALREADY_EXISTS, LIMIT_EXCEEDED, INVALID_INPUT, NOT_FOUND. */
gboolean catalog_create_partition_index(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, JsonObject *index, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* A table's indexes, oldest first: {IndexName, Keys[{Name, Type}], IndexStatus "ACTIVE"}. NOT_FOUND for a missing table. */
GPtrArray *catalog_get_partition_indexes(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Removes one; NOT_FOUND for a missing table or index. */
gboolean catalog_delete_partition_index(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db, const char *table, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Glue SearchTables (catalog/search.c) ---- */

#define CATALOG_SEARCH_LIMIT_MAX 1000  /* MaxResults: the Glue model's PageSize maximum */
#define CATALOG_SEARCH_TERMS_MAX 32    /* words in SearchText (at most 1024 characters by the model) */
#define CATALOG_SEARCH_FILTERS_MAX 32  /* Filters: the model has no maximum; each is one SQL predicate */
#define CATALOG_SEARCH_SCAN_MAX 10000  /* rows examined per page before returning a (short) page and a token */

/* A property predicate: key DatabaseName, Name, Description, Owner, TableType, CreateTime, UpdateTime,
 * LastAccessTime, or a table parameter key (bare or "Parameters.<key>"). */
typedef struct {
	const char *key;
	const char *value;
	const char *comparator; /* NULL, or EQUALS / GREATER_THAN / LESS_THAN / GREATER_THAN_EQUALS / LESS_THAN_EQUALS (times only) */
} CatalogSearchFilter;

typedef struct {
	const char *text;                   /* NULL/"" = none; "\"...\"" = equals a field; else words, each a substring */
	const CatalogSearchFilter *filters; /* n_filters of them, all must hold */
	guint n_filters;
	const char *sort_field;             /* DatabaseName (NULL), Name, TableType, Owner, CreateTime, UpdateTime, LastAccessTime */
	gboolean descending;
	const char *after;                  /* *next_out of the previous page, or NULL */
	guint limit;                        /* 1..CATALOG_SEARCH_LIMIT_MAX */
} CatalogSearchQuery;

/*
 * The tables of catalog that match q and that the caller sees (columns trimmed to its SELECT
 * reach), at most q->limit; *next_out (new, NULL at the end) is where the next page starts.
 * INVALID_INPUT for a bad key, comparator, time value, sort field, limit or position.
 */
GPtrArray *catalog_search_tables(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const CatalogSearchQuery *q, char **next_out, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- principals and access keys (catalog/principal.c); crypto lives in auth/ ---- */

/* The newest data key, or wrapped_hex/fingerprint stored as the first one; see store_data_key_ensure(). */
gboolean catalog_data_key_ensure(Catalog *cat, const char *fingerprint, const char *wrapped_hex, gint64 *id_out, char **wrapped_out, char **fingerprint_out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The wrapped data key (hex) with this id. NOT_FOUND / UNAVAILABLE. */
char *catalog_data_key_get(Catalog *cat, gint64 id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Creates admin (principal + key) if no principal exists yet; *created says whether it did. */
gboolean catalog_principal_bootstrap(Catalog *cat, const StorePrincipalKey *admin, gboolean *created, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* An active access key's principal and encrypted secret (clear with store_principal_key_clear). NOT_FOUND if unknown. */
gboolean catalog_access_key_get(Catalog *cat, const char *key_id, StorePrincipalKey *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The active keys of the principal named name (users before roles), as store_principal_keys_by_name(). UNAVAILABLE. */
GPtrArray *catalog_principal_keys_by_name(Catalog *cat, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The group names of the principal named name (users before roles), for hadoop.proxyuser.<svc>.groups;
 * an empty vector when there is no such principal. Runs as the server (no caller check). UNAVAILABLE. */
GStrv catalog_principal_groups_by_name(Catalog *cat, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- administration (the Propolis.* operations): ctx's caller must be a data lake administrator,
 * else ACCESS_DENIED; each decision is audited. Principals are named by ARN or by name (users
 * before roles); missing: NOT_FOUND. Returned ARNs are new strings. ---- */

/* catalog/principal.c: kind "user"/"role", groups (char*, names or group ARNs) normalised in place; key from auth/. */
char *catalog_principal_create(Catalog *cat, const CatalogCtx *ctx, const char *name, const char *kind, GPtrArray *groups, const StorePrincipalKey *key, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {Arn, Name, Kind, Groups, IsAdmin, AccessKeyIds, CreationTime} of every principal. */
GPtrArray *catalog_principal_list(Catalog *cat, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deletes a principal with its keys; INVALID_INPUT for the last data lake administrator. */
char *catalog_principal_delete(Catalog *cat, const CatalogCtx *ctx, const char *ident, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* key becomes the principal's one active key; the others turn inactive at commit. */
char *catalog_principal_rotate_key(Catalog *cat, const CatalogCtx *ctx, const char *ident, const StorePrincipalKey *key, GError **error) G_GNUC_WARN_UNUSED_RESULT;
char *catalog_principal_set_groups(Catalog *cat, const CatalogCtx *ctx, const char *ident, GPtrArray *groups, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* catalog/audit.c: audit decisions matching f after after_id, limit 1..1000. */
GPtrArray *catalog_audit_list(Catalog *cat, const CatalogCtx *ctx, const StoreAuditFilter *f, gint64 after_id, guint limit, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* issue 22: TRUE when ctx's caller is a data lake administrator (audited as a decision on resource), else ACCESS_DENIED. */
gboolean catalog_admin_check(Catalog *cat, const CatalogCtx *ctx, const char *resource, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {Arn, Name, Kind, Account, Groups, IsAdmin, IsReadOnlyAdmin} of ctx's caller; any caller may ask (no other principal's data). */
JsonObject *catalog_principal_whoami(Catalog *cat, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Access keys of the principal ident names: an administrator's for anyone, anyone's for itself, else
 * ACCESS_DENIED (also for a principal that does not exist, unless the caller is an administrator). */
#define CATALOG_ACCESS_KEYS_MAX 2 /* as IAM: two keys per user, so a key rotates without downtime */
/* [{AccessKeyId, Status, CreateDate}]; *arn_out (new) the principal's ARN. */
JsonArray *catalog_access_key_list(Catalog *cat, const CatalogCtx *ctx, const char *ident, char **arn_out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Adds key (from auth/) as an active key; LIMIT_EXCEEDED beyond CATALOG_ACCESS_KEYS_MAX. ARN (new). */
char *catalog_access_key_create(Catalog *cat, const CatalogCtx *ctx, const char *ident, const StorePrincipalKey *key, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Activates or deactivates (active) / deletes one key; NOT_FOUND when the principal has no such key. ARN (new). */
char *catalog_access_key_update(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *key_id, gboolean active, GError **error) G_GNUC_WARN_UNUSED_RESULT;
char *catalog_access_key_delete(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *key_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* catalog/lock.c: lock components (store_lock_list_aged rows) after expiry; releasing any lock by id. */
JsonArray *catalog_lock_list_aged(Catalog *cat, const CatalogCtx *ctx, const char *db, const char *tbl, gint64 older_than_s, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_lock_release(Catalog *cat, const CatalogCtx *ctx, gint64 lockid, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Hive ACID: locks (catalog/lock.c), transactions (catalog/txn.c), notifications (catalog/notify.c).
 * Documents use Hive's Thrift field names and enum numbers (LockType, LockLevel, LockState,
 * TxnState, CompactionType); id lists are GArrays of gint64. Errors add NO_SUCH_LOCK,
 * NO_SUCH_TXN, TXN_ABORTED, TXN_OPEN (common/error.h). ---- */

/* lock {component[{type, level, dbname, tablename?, partitionname?, operationType?, isTransactional?}],
 * txnid?, user, hostname, agentInfo?}: {lockid, state}. catalog NULL = default. */
JsonObject *catalog_lock(Catalog *cat, const CatalogCtx *ctx, const char *catalog, JsonObject *request, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* check_lock: heartbeats and grants when free; *state = LockState. NO_SUCH_LOCK when gone. */
gboolean catalog_check_lock(Catalog *cat, const CatalogCtx *ctx, gint64 lockid, gint *state, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* unlock: unknown id is a no-op; an acquired txn lock is TXN_OPEN. */
gboolean catalog_unlock(Catalog *cat, const CatalogCtx *ctx, gint64 lockid, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* show_locks rows (ShowLocksResponseElement fields); NULL filters = any, txnid < 0 = any. */
JsonArray *catalog_show_locks(Catalog *cat, const CatalogCtx *ctx, const char *db, const char *tbl, const char *part,
                              gint64 txnid, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* heartbeat of a txn (txnid > 0) and/or a lock (lockid > 0). */
gboolean catalog_heartbeat(Catalog *cat, const CatalogCtx *ctx, gint64 lockid, gint64 txnid, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {aborted: [ids], nosuch: [ids]} for [min, max]; open ones are heartbeated. */
JsonObject *catalog_heartbeat_txn_range(Catalog *cat, const CatalogCtx *ctx, gint64 min, gint64 max, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* open_txns {num_txns, user, hostname, agentInfo?, txn_type?}: new ids. */
GArray *catalog_open_txns(Catalog *cat, const CatalogCtx *ctx, JsonObject *request, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_commit_txn(Catalog *cat, const CatalogCtx *ctx, gint64 txnid, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Aborting an aborted txn is a no-op; unknown or committed ones are NO_SUCH_TXN. */
gboolean catalog_abort_txns(Catalog *cat, const CatalogCtx *ctx, const GArray *txnids, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {hwm, txns: [TxnInfo fields]}: open txns and aborted ones holding write ids; own_only: the caller's (admins: all). */
JsonObject *catalog_get_open_txns(Catalog *cat, const CatalogCtx *ctx, gboolean own_only, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* [{txnId, writeId}] for open txns on db.tbl, per-table write ids from 1. */
JsonArray *catalog_allocate_write_ids(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                      const char *tbl, const GArray *txnids, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* [{fullTableName, hwm, invalid: [{w, aborted}]}] for "db.table" names under a ValidTxnList (NULL = now). */
JsonArray *catalog_get_valid_write_ids(Catalog *cat, const CatalogCtx *ctx, GPtrArray *full_names,
                                       const char *valid_txn_list, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_latest_txnid_in_conflict(Catalog *cat, const CatalogCtx *ctx, gint64 txnid, gint64 *out,
                                          GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_add_dynamic_partitions(Catalog *cat, const CatalogCtx *ctx, gint64 txnid, gint64 writeid,
                                        const char *db, const char *tbl, GPtrArray *parts, gint op,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* compact {dbname, tablename, partitionname?, type, runas?, properties?, ...}: {id, state, accepted}. */
JsonObject *catalog_compact(Catalog *cat, const CatalogCtx *ctx, JsonObject *request, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonArray *catalog_show_compact(Catalog *cat, const CatalogCtx *ctx, gint64 id, const char *db, const char *tbl,
                                const char *part, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Events after last_event (NotificationEvent fields), at most max (<= 0 all), filtered; trims old ones first. */
JsonArray *catalog_get_next_notification(Catalog *cat, const CatalogCtx *ctx, gint64 last_event, gint max,
                                         GPtrArray *skip, const char *catalog, const char *db, GPtrArray *tables,
                                         GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_current_event_id(Catalog *cat, const CatalogCtx *ctx, gint64 *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_count_events(Catalog *cat, const CatalogCtx *ctx, gint64 from, gint64 to, const char *catalog,
                              const char *db, GPtrArray *tables, gint64 limit, gint64 *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* fire_listener_event: INSERT events (inserts: [{replace, files[]}]) or one RELOAD (refresh); new ids. */
GArray *catalog_fire_event(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                           const char *name, JsonArray *inserts, gboolean refresh, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Glue connections and settings (catalog/connection.c) ----
 * Connection documents are Glue Connections (Name, ConnectionType, ConnectionProperties, ...,
 * CreationTime, LastUpdatedTime) with the sealed secret properties in "SealedSecret" (auth/
 * seals them; the catalog only moves the text). Missing: NOT_FOUND; taken name: ALREADY_EXISTS. */
gboolean catalog_create_connection(Catalog *cat, const CatalogCtx *ctx, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* create_connection with Glue resource tags (may be NULL), in the same transaction. */
gboolean catalog_create_connection_tagged(Catalog *cat, const CatalogCtx *ctx, JsonObject *doc, JsonObject *tags, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Glue resource tags (catalog/tags.c) ----
 * Tags of a database, table or connection (CatalogTagged: catalog NULL = the default one,
 * names lower-cased here). Changing them needs ALTER on the database or table (connections:
 * CREATE_DATABASE, as every connection call); reading them needs the object visible. At most
 * CATALOG_TAGS_MAX per object (INVALID_INPUT beyond). Missing object: NOT_FOUND. */
#define CATALOG_TAGS_MAX 50
typedef StoreTagged CatalogTagged;
/* Adds `add` (may be NULL), then removes the keys of `remove` (may be NULL), in one transaction. */
gboolean catalog_tags_change(Catalog *cat, const CatalogCtx *ctx, const CatalogTagged *obj, JsonObject *add, JsonArray *remove, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The object's tags (new {key: value}). */
JsonObject *catalog_tags_get(Catalog *cat, const CatalogCtx *ctx, const CatalogTagged *obj, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *catalog_get_connection(Catalog *cat, const CatalogCtx *ctx, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Every connection, ordered by name. */
GPtrArray *catalog_list_connections(Catalog *cat, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Replaces connection name by doc (its Name may differ: a rename); keeps CreationTime. */
gboolean catalog_update_connection(Catalog *cat, const CatalogCtx *ctx, const char *name, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_delete_connection(Catalog *cat, const CatalogCtx *ctx, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * A named settings document (e.g. "DataCatalogEncryptionSettings"); NULL without error when
 * never set. for_caller: the document goes to the caller (GetDataCatalogEncryptionSettings), who
 * must be an administrator or read-only administrator (else ACCESS_DENIED, audited); FALSE: the
 * server reads a flag that shapes another answer (whether connection passwords stay encrypted).
 */
JsonObject *catalog_get_setting(Catalog *cat, const CatalogCtx *ctx, const char *name, gboolean for_caller,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_put_setting(Catalog *cat, const CatalogCtx *ctx, const char *name, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Lake Formation permissions (catalog/grant.c) ----
 * Grants are StoreLfGrant (store.h): a principal (an IAM ARN of a principal, a group ARN
 * arn:aws:iam::<account>:group/NAME or IAM_ALLOWED_PRINCIPALS), one resource, permissions and
 * the subset held with grant option. Names are folded to lower case; TableWithColumns with a
 * ColumnWildcard and no exclusions is whole-table SELECT (kind TABLE). Grants merge (column
 * lists union, grant options add up). Errors: INVALID_INPUT (a permission the resource kind
 * does not take, grant option not a subset, unknown principal or column, revoking what is not
 * held), NOT_FOUND (a missing object, to callers who may see its parent), ACCESS_DENIED (no
 * data lake administrator and no grant option; a missing object the caller may not see),
 * CONFLICT (a concurrent change of the same grant). Every grant and revoke is audited. ---- */

gboolean catalog_lf_grant(Catalog *cat, const CatalogCtx *ctx, const StoreLfGrant *g, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Revokes g->perms and the grant options in g->grantable (alone: the permissions stay). */
gboolean catalog_lf_revoke(Catalog *cat, const CatalogCtx *ctx, const StoreLfGrant *g, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * Grants (or revokes) n entries in one transaction, each under its own savepoint: an entry that
 * fails sets errors[i] (n slots, NULL on entry) and changes nothing, the others apply. NULL
 * entries are skipped. FALSE with error only when the transaction itself failed (none applied).
 */
gboolean catalog_lf_batch(Catalog *cat, const CatalogCtx *ctx, gboolean revoke, StoreLfGrant *const *entries,
                          guint n, GError **errors, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* What ListPermissions / GetEffectivePermissionsForPath ask for. */
typedef struct {
	const char *principal;           /* exactly this principal, or NULL */
	const char *resource_type;       /* CATALOG, DATABASE, TABLE, DATA_LOCATION (LF_TAG*: none), or NULL */
	const StoreLfResource *resource; /* grants on it (a Table: its table and column grants), or NULL */
	const char *path;                /* a location ResourceArn: grants on databases/tables under it, or NULL */
	const char *after;               /* a previous page's *next, or NULL */
	guint limit;                     /* rows per page, 1..1000 */
	const char *catalog;             /* the Hive catalog whose grants are listed (NULL = the default) */
} CatalogLfQuery;

/*
 * Explicit grants matching q that the caller may see (administrators: all; others: their own,
 * their groups' and IAM_ALLOWED_PRINCIPALS', and any on a resource they hold a grant option
 * on), one StoreLfGrant per principal and resource, whole-table SELECT split off as its own
 * COLUMNS row (wildcard, no exclusions; table NULL for all tables). *next: the position after
 * this page (new string) or NULL at the end. INVALID_INPUT for a bad filter or position.
 */
GPtrArray *catalog_lf_list_permissions(Catalog *cat, const CatalogCtx *ctx, const CatalogLfQuery *q, char **next,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Checks an S3 location ARN (arn:aws:s3:::bucket[/prefix]); *norm without trailing '/', *location
 * s3://bucket[/prefix] (new strings, either may be NULL). INVALID_INPUT otherwise. */
gboolean catalog_lf_location_parse(const char *arn, char **norm, char **location, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- data lake settings and registered locations (catalog/datalake.c) ---- */

/* GetDataLakeSettings' DataLakeSettings: the stored document with DataLakeAdmins. Any caller. */
JsonObject *catalog_lf_get_settings(Catalog *cat, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * Replaces the settings by doc (kept as sent, but DataLakeAdmins, which become exactly the data
 * lake administrators). Administrators only. INVALID_INPUT: no administrator left, more than
 * 30, an ARN that names no principal, default permissions other than [] or ALL to
 * IAM_ALLOWED_PRINCIPALS.
 */
gboolean catalog_lf_put_settings(Catalog *cat, const CatalogCtx *ctx, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Registers loc (resource_arn normalised in place, location derived). Administrators only; ALREADY_EXISTS. */
gboolean catalog_lf_register_location(Catalog *cat, const CatalogCtx *ctx, StoreLfLocation *loc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deregisters a location (its grants go). Administrators only; NOT_FOUND. */
gboolean catalog_lf_deregister_location(Catalog *cat, const CatalogCtx *ctx, const char *arn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Registered locations (StoreLfLocation*) by ResourceArn, or only arn's (NOT_FOUND when not registered). Administrators only. */
GPtrArray *catalog_lf_list_locations(Catalog *cat, const CatalogCtx *ctx, const char *arn, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Whether PostgreSQL answers (for health checks and getStatus). */
gboolean catalog_ping(Catalog *cat, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * catalog/gauges.c: registers Hive's catalog gauges (object counts, locks, open transactions)
 * with the metrics registry, read from PostgreSQL at most every few seconds on a scrape, never
 * failing one. Returns the state catalog_gauges_stop() unregisters and frees (before cat goes).
 */
typedef struct CatalogGauges CatalogGauges;
CatalogGauges *catalog_gauges_start(Catalog *cat);
void catalog_gauges_stop(CatalogGauges *gauges);

/* ---- delegation tokens and master keys (dtoken.c; issue 16). ctx NULL = the server itself ---- */

gboolean catalog_dtoken_put(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *token, const char *owner,
                            const char *renewer, gint64 max_date_ms, gboolean replace, gboolean *added,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The token value of ident ("" with *found FALSE when none); NULL on error. */
char *catalog_dtoken_get(Catalog *cat, const CatalogCtx *ctx, const char *ident, gboolean *found,
                         GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* owner/renewer NULL: administrators only; else the owner, the renewer or an administrator. */
gboolean catalog_dtoken_remove(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *owner,
                               const char *renewer, gboolean *removed, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* StoreDToken rows. */
GPtrArray *catalog_dtoken_list(Catalog *cat, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_dtoken_expire(Catalog *cat, gint64 now_ms, guint *n, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gint32 catalog_master_key_add(Catalog *cat, const CatalogCtx *ctx, const char *sealed, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_master_key_update(Catalog *cat, const CatalogCtx *ctx, gint32 id, const char *sealed, gboolean *found,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_master_key_remove(Catalog *cat, const CatalogCtx *ctx, gint32 id, gboolean *removed,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* StoreMasterKey rows, newest first. */
GPtrArray *catalog_master_key_list(Catalog *cat, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
