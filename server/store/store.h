/*
 * store.h — PostgreSQL: the connection pool, migrations and the catalog's rows.
 *
 * The only code in Propolis that speaks SQL. Objects cross this boundary as json-glib
 * JsonObjects in the shape of the AWS Glue Data Catalog (see catalog/MODEL.md): the store
 * keeps each object's document as JSONB beside the typed, indexed columns it searches
 * on, and returns the document as it was written.
 *
 * Ownership: returned JsonObject / GPtrArray are new references the caller unrefs;
 * arguments are borrowed. Threading: the pool is shared by all workers; a StoreConn belongs
 * to one worker between acquire and release. Every entity function runs inside the
 * transaction the caller opened with store_begin() (one per catalog operation) and uses
 * named prepared statements, prepared once per connection. Errors: STORE_ERROR.
 * Names passed in are already validated and lower-cased by the catalog.
 */
#ifndef PROPOLIS_STORE_H
#define PROPOLIS_STORE_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "authz/authz.h"

G_BEGIN_DECLS

typedef struct StorePool StorePool;
typedef struct StoreConn StoreConn;

/* ---- pool (store/pool.c) ---- */

/* A pool of at most size connections to conninfo; connects lazily. Never fails. */
StorePool *store_pool_new(const char *conninfo, guint size, guint wait_ms);
void store_pool_free(StorePool *pool);

/*
 * Takes a healthy connection, waiting until deadline_us (monotonic) or the pool's wait_ms,
 * whichever comes first (deadline_us <= 0: wait_ms alone).
 * FALSE-like NULL with STORE_ERROR_UNAVAILABLE when none can be had or PostgreSQL is down.
 */
StoreConn *store_pool_acquire(StorePool *pool, gint64 deadline_us, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Gives a connection back; one that failed or is inside a transaction is closed and replaced. */
void store_pool_release(StorePool *pool, StoreConn *conn);

/* Connections open and in use now, and requests waiting for one. */
void store_pool_usage(StorePool *pool, guint *open, guint *in_use, guint *waiting);

/* ---- transactions ---- */
gboolean store_begin(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_commit(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void store_rollback(StoreConn *conn); /* never fails; a failed rollback marks the connection bad */

/* ---- migrations (store/migrate.c) ---- */

/*
 * Applies migrations/NNNN_name.sql files in dir that are not yet applied, in order, each in
 * its own transaction, under a session advisory lock so concurrent servers apply each once.
 * Fails with STORE_ERROR_MIGRATION if an applied file's checksum changed (naming it) or the
 * database has migrations this binary does not know.
 */
gboolean store_migrate(const char *conninfo, const char *dir, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- catalogs and databases (store/database.c) ---- */

/* Ensures catalog `name` and its database `default` (doc given) exist. Idempotent, race-safe. */
gboolean store_catalog_ensure(StoreConn *conn, const char *name, JsonObject *default_db, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Catalog rows (issue 17): doc is Hive's Catalog as {"Description","LocationUri","CreateTime"}. UNIQUE if taken. */
gboolean store_catalog_insert(StoreConn *conn, const char *name, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The catalog's document, or NULL with STORE_ERROR_NOT_FOUND. */
JsonObject *store_catalog_get(StoreConn *conn, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Sorted names (char*) of every catalog. */
GPtrArray *store_catalog_list(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Replaces the catalog's document; STORE_ERROR_NOT_FOUND if gone. */
gboolean store_catalog_update(StoreConn *conn, const char *name, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deletes the catalog and everything in it; STORE_ERROR_NOT_FOUND if missing. */
gboolean store_catalog_delete(StoreConn *conn, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The store's stable id (table metastore_db), new string. */
char *store_metastore_uuid(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Inserts a database document (Glue Database shape, Name lower-case). STORE_ERROR_UNIQUE if it exists. */
gboolean store_database_insert(StoreConn *conn, const char *catalog, JsonObject *db, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The database document, or NULL with STORE_ERROR_NOT_FOUND. for_update locks the row. */
JsonObject *store_database_get(StoreConn *conn, const char *catalog, const char *name, gboolean for_update,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Names (char*) of databases whose name matches the PostgreSQL regex (case-insensitive, NULL = all), sorted. */
GPtrArray *store_database_list(StoreConn *conn, const char *catalog, const char *regex, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Replaces the document of database `name` (its Name may not change). STORE_ERROR_NOT_FOUND if gone. */
gboolean store_database_update(StoreConn *conn, const char *catalog, const char *name, JsonObject *db,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Deletes the database and everything in it (tables, versions, functions, constraints). */
gboolean store_database_delete(StoreConn *conn, const char *catalog, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Counts of tables and functions in a database, for the non-cascade drop check. */
gboolean store_database_count_children(StoreConn *conn, const char *catalog, const char *name, gint64 *tables,
                                       gint64 *functions, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- tables and views (store/table.c) ---- */

/*
 * Inserts a table document (Glue Table shape; Name, TableType set) as version 1.
 * STORE_ERROR_UNIQUE if it exists, STORE_ERROR_NOT_FOUND if the database does not.
 */
gboolean store_table_insert(StoreConn *conn, const char *catalog, const char *db, JsonObject *table,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The current document with "VersionId" set (string, as Glue has it), or NULL with STORE_ERROR_NOT_FOUND. */
JsonObject *store_table_get(StoreConn *conn, const char *catalog, const char *db, const char *name,
                            gboolean for_update, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Several tables of one database by name, in one statement, in the order found; missing ones
 * are skipped. names: char*.
 */
GPtrArray *store_table_get_many(StoreConn *conn, const char *catalog, const char *db, GPtrArray *names,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Filtered listing of one database's tables, sorted by name.
 * regex: PostgreSQL case-insensitive regex on the name, or NULL. table_type: exact TableType or NULL.
 * Returns names (char*) when want_docs is FALSE, else documents (JsonObject*).
 */
GPtrArray *store_table_list(StoreConn *conn, const char *catalog, const char *db, const char *regex,
                            const char *table_type, gboolean want_docs, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Table metadata across databases: rows of JsonObject {"DatabaseName","Name","TableType","Description"?, "Owner"?}
 * for databases matching db_regex and tables matching tbl_regex (NULL = all) and, if types is
 * non-empty, TableType in types (char*). Sorted by database, table.
 */
GPtrArray *store_table_list_meta(StoreConn *conn, const char *catalog, const char *db_regex,
                                 const char *tbl_regex, GPtrArray *types, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Replaces table `name` with doc as a new version (the old one is kept in table versions).
 * If doc's Name or DatabaseName differ from name/db, the table is renamed or moved (one row
 * update). expected_version > 0 makes it conditional: STORE_ERROR_CONFLICT if the current
 * version differs. STORE_ERROR_UNIQUE if the new name is taken; NOT_FOUND if gone.
 * *new_version receives the version written.
 */
gboolean store_table_update(StoreConn *conn, const char *catalog, const char *db, const char *name, JsonObject *doc,
                            gint64 expected_version, gint64 *new_version, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Deletes a table with its versions, constraints (and later partitions). NOT_FOUND if gone. */
gboolean store_table_delete(StoreConn *conn, const char *catalog, const char *db, const char *name,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Names of tables whose Parameters/Owner/LastAccessTime satisfy a filter the catalog has
 * already parsed into SQL-safe parts: one condition `field op value`, field one of
 * "owner", "last_access", "param:<key>", "name"; op one of "=", "<>", "like", "<", ">", "<=", ">=".
 * like takes a PostgreSQL regex (the catalog converts). Conditions are ANDed/ORed by
 * the catalog calling this per condition and combining sets; max < 0 means all.
 */
GPtrArray *store_table_names_where(StoreConn *conn, const char *catalog, const char *db, const char *field,
                                   const char *op, const char *value, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * The same condition over given tables instead of the stored ones: names and docs are parallel
 * (char* name, JsonObject* document, e.g. a trimmed one). The predicate is
 * store_table_names_where's own SQL, so a document gives the same answer as the stored table would.
 */
GPtrArray *store_table_names_where_docs(StoreConn *conn, GPtrArray *names, GPtrArray *docs, const char *field,
                                        const char *op, const char *value, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- constraints (store/table.c): a JsonArray per kind ("primaryKeys", "foreignKeys", ...) ---- */

/* Stores the constraint lists of a table (object: kind → JsonArray of Hive-shaped objects). */
gboolean store_constraints_put(StoreConn *conn, const char *catalog, const char *db, const char *table,
                               JsonObject *constraints, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The list of one kind for a table, empty array if none (never NULL on success). */
JsonArray *store_constraints_get(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                 const char *kind, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- functions (store/function.c) ---- */

/* Inserts a UserDefinedFunction document (Glue shape). UNIQUE if it exists, NOT_FOUND if no database. */
gboolean store_function_insert(StoreConn *conn, const char *catalog, const char *db, JsonObject *fn,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *store_function_get(StoreConn *conn, const char *catalog, const char *db, const char *name,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Replaces (and may rename) a function. NOT_FOUND / UNIQUE. */
gboolean store_function_update(StoreConn *conn, const char *catalog, const char *db, const char *name,
                               JsonObject *fn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_function_delete(StoreConn *conn, const char *catalog, const char *db, const char *name,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Documents of functions in db (NULL = every database of the catalog) whose name matches regex (NULL = all). */
GPtrArray *store_function_list(StoreConn *conn, const char *catalog, const char *db, const char *regex,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- column statistics (store/stats.c) ----
 * An entry is a JsonObject {"ColumnName", "ColumnType", "Kind" (Hive's union member name, e.g.
 * "longStats"), "Data" (that member's fields by Hive name; binary as base64), "LastAnalyzed"}
 * plus "PartName" for partition entries. engine: Hive 4's stats engine ("hive").
 */

/* Upserts table-level entries (columns unique within the batch) in one statement. */
gboolean store_stats_table_upsert(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                  const char *engine, GPtrArray *entries, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Upserts partition entries (PartName set, (PartName, column) unique) in one statement; unknown partitions are skipped. */
gboolean store_stats_partition_upsert(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                      const char *engine, GPtrArray *entries, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Table-level entries of columns (char*, NULL = all), in the order of columns. */
GPtrArray *store_stats_table_get(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                 const char *engine, GPtrArray *columns, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Entries of part_names × columns (NULL = all), ordered by partition then column position. */
GPtrArray *store_stats_partition_get(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                     const char *engine, GPtrArray *part_names, GPtrArray *columns,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deletes the table's stats of column (NULL = all); returns the deleted column names (char*). */
GPtrArray *store_stats_table_delete(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                    const char *engine, const char *column, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deletes one partition's stats of column (NULL = all); returns the deleted column names (char*). */
GPtrArray *store_stats_partition_delete(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                        const char *part_name, const char *engine, const char *column,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Names (char*) of the table's partitions that hold stats of engine, in name order. */
GPtrArray *store_stats_partition_names(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                       const char *engine, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* name → Parameters object of the named partitions that exist (rows locked FOR UPDATE). */
JsonObject *store_stats_partition_params(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                         GPtrArray *part_names, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Sets Parameters[key] = values[i] (char*, NULL removes the key) on partition part_names[i], one statement. */
gboolean store_stats_partition_set_param(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                         const char *key, GPtrArray *part_names, GPtrArray *values,
                                         GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- partitions (store/partition.c) ----
 * A partition document is Glue-shaped (catalog/MODEL.md, Partition) with "Values"; each row
 * also carries its Hive name (k1=v1/k2=v2, escaped by the catalog). The StorageDescriptor is
 * stored once per distinct content (without Location) and rebuilt on read. */

/* Opens a read-only REPEATABLE READ transaction (instead of store_begin) for a count and its pages. */
gboolean store_begin_snapshot(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The table's document (with VersionId) and its id; NOT_FOUND if missing. for_update locks the row. */
JsonObject *store_partition_table(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                  gboolean for_update, gint64 *table_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Inserts partitions (docs: JsonObject with Values; names: their Hive names, char*) through
 * store_partition_insert_rows. Rows whose name already exists are skipped: returns the names
 * inserted (char*).
 */
GPtrArray *store_partition_insert_batch(StoreConn *conn, gint64 table_id, GPtrArray *docs, GPtrArray *names,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* One new partition for store_partition_insert_rows; everything borrowed. */
typedef struct {
	const char *const *values; /* n_values, key order; a NULL element is stored as NULL */
	guint n_values;
	const char *name;     /* its Hive name */
	const char *doc;      /* its document without StorageDescriptor, JSON text */
	const char *location; /* NULL: none */
	guint sd;             /* 1-based index into the batch's descriptors; 0: none */
} StorePartitionNew;

/*
 * Inserts n rows with COPY after storing each descriptor of the batch (sds: n_sds JSON texts
 * without Location) once per content. A row whose name exists is not written; inserted[i]
 * says which were. With stop_if_any_exists nothing is written when one exists. A name taken
 * meanwhile by a concurrent writer is STORE_ERROR_UNIQUE.
 */
gboolean store_partition_insert_rows(StoreConn *conn, gint64 table_id, const StorePartitionNew *rows, guint n,
                                     const char *const *sds, guint n_sds, gboolean stop_if_any_exists,
                                     gboolean *inserted, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Replaces the partitions named old_names[i] by docs[i] named names[i] (values may change: a
 * rename) in one statement. Returns the old names found and updated; STORE_ERROR_UNIQUE when a
 * new name is taken.
 */
GPtrArray *store_partition_update_batch(StoreConn *conn, gint64 table_id, GPtrArray *old_names, GPtrArray *docs,
                                        GPtrArray *names, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Documents of the partitions named (char*), in the order of names; missing ones skipped. */
GPtrArray *store_partition_get_by_names(StoreConn *conn, gint64 table_id, GPtrArray *names,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Deletes the partitions named (char*); returns the documents of those deleted. */
GPtrArray *store_partition_delete_by_names(StoreConn *conn, gint64 table_id, GPtrArray *names,
                                           GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* For a table renamed with its directory: locations equal to or under old_prefix move under new_prefix. */
gboolean store_partition_relocate(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                  const char *old_prefix, const char *new_prefix,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Which partitions a count or scan selects; all members optional (NULL = no condition). */
typedef struct {
	const struct PartFilterNode *filter; /* checked against keys (catalog/partfilter.h) */
	JsonArray *keys;                     /* the table's PartitionKeys, for the filter */
	GPtrArray *spec;                     /* partial values by key position (char*), "" = any value */
} StorePartitionWhere;

/* Number of partitions w selects. */
gboolean store_partition_count(StoreConn *conn, gint64 table_id, const StorePartitionWhere *w, gint64 *count,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Receives one batch (JsonObject* documents, or char* names); FALSE with error stops the scan. */
typedef gboolean (*StorePartitionBatchFunc)(gpointer user, GPtrArray *batch, GError **error);

/*
 * Streams the partitions w selects in value order, at most limit (< 0: all), batch_size rows
 * per statement (keyset pages), calling fn per batch; the batch is freed after fn returns.
 * Run it inside store_begin_snapshot() so pages see one snapshot.
 */
gboolean store_partition_scan(StoreConn *conn, gint64 table_id, const StorePartitionWhere *w, gint64 limit,
                              gboolean names_only, guint batch_size, StorePartitionBatchFunc fn, gpointer user,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A string inside a batch of rows: not NUL-terminated, valid while the batch is. */
typedef struct {
	const char *str;
	gsize len;
} StoreSlice;

/*
 * One partition of a row scan, without a JSON tree: its name, location and shared descriptor
 * id, and the members of its document a Hive Partition carries (store/partition_row.c). Lists
 * and maps are runs of StorePartitionRows.strs: values[0..n_values), params as key, value pairs.
 */
typedef struct {
	const char *name;
	StoreSlice location;              /* str NULL: none */
	gint64 sd_id;                     /* 0: no storage descriptor */
	gboolean has_values, has_params;  /* the document has the member (else the field is unset) */
	guint values, n_values;           /* index into strs, count */
	guint params, n_params;           /* index into strs, pairs */
	gint64 create_time, last_access_time;
	gboolean has_write_id, has_stats_compliant, stats_compliant;
	gint64 write_id;
	StoreSlice privileges;            /* Hive.Privileges as JSON text; str NULL: none */
} StorePartitionRow;

/* A shared storage descriptor (without Location) as JSON text. */
typedef struct {
	gint64 id;
	const char *doc;
} StorePartitionSd;

/*
 * One batch of a row scan. Descriptors are handed over once: new_sds holds those the rows
 * reference that no earlier batch gave since the last reset; sd_reset TRUE means "forget every
 * descriptor of earlier batches first" (the scan bounds what a reader must keep). Everything
 * is owned by the scan and valid only during the callback.
 */
typedef struct {
	const StorePartitionRow *rows;
	guint n;
	const StoreSlice *strs;
	gboolean sd_reset;
	const StorePartitionSd *new_sds;
	guint n_new_sds;
} StorePartitionRows;

/* Receives one batch of rows; FALSE with error stops the scan. */
typedef gboolean (*StorePartitionRowsFunc)(gpointer user, const StorePartitionRows *rows, GError **error);

/* store_partition_scan() delivering rows instead of documents: no JSON tree per partition. */
gboolean store_partition_scan_rows(StoreConn *conn, gint64 table_id, const StorePartitionWhere *w, gint64 limit,
                                   guint batch_size, StorePartitionRowsFunc fn, gpointer user,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* store_partition_delete_by_names() handing the deleted partitions to fn as rows (one batch,
 * their descriptors with it); *deleted how many there were. */
gboolean store_partition_delete_rows(StoreConn *conn, gint64 table_id, GPtrArray *names, StorePartitionRowsFunc fn,
                                     gpointer user, guint *deleted, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- locks (store/lock.c); enums as Hive's numbers, documents with Hive's field names ---- */

/* Takes the row lock that serializes lock grants across servers, held to the caller's commit. */
gboolean store_lock_serialize(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Aborts open txns and deletes txn-less locks that had no heartbeat for timeout_s. */
gboolean store_lock_reap(StoreConn *conn, guint timeout_s, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Inserts a WAITING lock request {txnid, user, hostname, agentInfo?, component[]}; its id, 0 on error. */
gint64 store_lock_insert(StoreConn *conn, const char *catalog, JsonObject *request, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Heartbeats and grants lock id when no earlier lock conflicts; *state = 1 ACQUIRED / 2 WAITING. NOT_FOUND. */
gboolean store_lock_check(StoreConn *conn, gint64 id, gint *state, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {lockid, txnid, state, owner?}, or NULL with NOT_FOUND. */
JsonObject *store_lock_get(StoreConn *conn, gint64 id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_lock_delete(StoreConn *conn, gint64 id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* NOT_FOUND ("No such lock: lockid:<n>") when the lock does not exist. */
gboolean store_lock_heartbeat(StoreConn *conn, gint64 id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* show_locks rows (ShowLocksResponseElement field names); NULL filters = any, txnid < 0 = any. */
JsonArray *store_lock_list(StoreConn *conn, const char *db, const char *tbl, const char *part, gint64 txnid,
                           GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Lock components for operators: show_locks fields + createdat, age_s; see lock.c. older_than_s 0 = all. */
JsonArray *store_lock_list_aged(StoreConn *conn, const char *db, const char *tbl, gint64 older_than_s,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- transactions, write ids, compactions (store/txn.c); ids: GArray of gint64 ---- */

/* Opens n txns {user, hostname, agentInfo?, txn_type?, owner?}; the first (consecutive) id, 0 on error. */
gint64 store_txn_open(StoreConn *conn, gint n, JsonObject *request, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {"<id>": TxnState} of the known ids among ids. */
JsonObject *store_txn_states(StoreConn *conn, const GArray *ids, gboolean for_update, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* *out = the smallest existing txn among ids (in [min, max] when ids is NULL) not owned by owner; 0 = none. */
gboolean store_txn_first_foreign(StoreConn *conn, const GArray *ids, gint64 min, gint64 max, const char *owner,
                                 gint64 *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Marks ids committed (1) or aborted (2) and deletes their locks. */
gboolean store_txn_finish(StoreConn *conn, const GArray *ids, gint state, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Heartbeats open txns in [min, max]; {"<id>": TxnState} of the known ones. */
JsonObject *store_txn_heartbeat_range(StoreConn *conn, gint64 min, gint64 max, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {hwm, txns: [TxnInfo-shaped]} of open (and aborted with write ids) txns. */
JsonObject *store_txn_list_open(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* [{txnId, writeId}] for txn_ids on a table, allocating missing write ids in txn order. */
JsonArray *store_write_ids_allocate(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                    const GArray *txn_ids, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {hwm, invalid: [{w, aborted}]} of a table for a reader's snapshot (open txns, txn hwm; 0 = now). */
JsonObject *store_write_ids_valid(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                  const GArray *open_in_snapshot, gint64 txn_hwm, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * Commit-time write-write check of txn_id (0007_write_set.sql): holds the 'txn' counter row,
 * sets *commit_id; *conflict = {txnId, commitId, db, tbl, part?, curOp, committedOp} or NULL.
 */
gboolean store_txn_write_conflict(StoreConn *conn, gint64 txn_id, gint64 *commit_id, JsonObject **conflict,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Adds txn_id's updates/deletes to the write set under commit_id; trims rows nothing can overlap. */
gboolean store_txn_write_set_record(StoreConn *conn, gint64 txn_id, gint64 commit_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The latest committed txn writing a table txn_id writes, committed after txn_id started; 0 if none. */
gboolean store_txn_latest_in_conflict(StoreConn *conn, gint64 txn_id, gint64 *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Records add_dynamic_partitions (parts: char*). */
gboolean store_txn_add_dynamic_partitions(StoreConn *conn, gint64 txn_id, gint64 write_id, const char *catalog,
                                          const char *db, const char *tbl, GPtrArray *parts, gint op,
                                          GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Records a compaction request (CompactionRequest field names); its id, 0 on error. */
gint64 store_compaction_insert(StoreConn *conn, const char *catalog, JsonObject *request, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Recorded compactions (ShowCompactResponseElement field names); id <= 0 / NULL = any. */
JsonArray *store_compaction_list(StoreConn *conn, gint64 id, const char *db, const char *tbl, const char *part,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- notification log (store/notification.c): gap-free ids, see that file ---- */

/* Appends an event in the caller's transaction (call last, just before commit); its id, 0 on error. */
gint64 store_event_append(StoreConn *conn, const char *catalog, const char *db, const char *tbl, const char *type,
                          const char *message, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* store_event_append of a message of len bytes (need not be NUL-terminated, e.g. a GString's). */
gint64 store_event_append_len(StoreConn *conn, const char *catalog, const char *db, const char *tbl, const char *type,
                              const char *message, gsize len, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * A message written piece by piece: kept as text while short, deflated as it grows (so a
 * 30 MB ADD_PARTITION message never exists whole), then appended like store_event_append.
 */
typedef struct StoreEventText StoreEventText;
StoreEventText *store_event_text_new(void);
void store_event_text_append(StoreEventText *t, const char *s, gsize len);
gint64 store_event_append_text(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                               const char *type, StoreEventText *t, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void store_event_text_free(StoreEventText *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreEventText, store_event_text_free)
/* Appends one event per message (char*) with consecutive ids in one statement; *first_id the first. */
gboolean store_event_append_many(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                 const char *type, GPtrArray *messages, gint64 *first_id,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* store_event_append_many of prefix + each message, prefix (NULL: none) stored once for the batch
 * (0012_event_prefix.sql): readers get the whole texts back. */
gboolean store_event_append_many_prefixed(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                          const char *type, const char *prefix, GPtrArray *messages,
                                          gint64 *first_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Events after `after` (NotificationEvent field names), at most max (<= 0 all), filtered. */
JsonArray *store_event_list(StoreConn *conn, gint64 after, gint max, GPtrArray *skip, const char *catalog,
                            const char *db, GPtrArray *tables, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The id of the last event appended. */
gboolean store_event_current(StoreConn *conn, gint64 *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Events of db with from < id <= to (to <= 0 open), capped at limit (<= 0 none). */
gboolean store_event_count(StoreConn *conn, gint64 from, gint64 to, const char *catalog, const char *db,
                           GPtrArray *tables, gint64 limit, gint64 *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The events store_event_count counts (uncapped), per object: [{catName, dbName, tableName?, n}]. */
JsonArray *store_event_count_groups(StoreConn *conn, gint64 from, gint64 to, const char *catalog, const char *db,
                                    GPtrArray *tables, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deletes events older than ttl_s seconds. */
gboolean store_event_trim(StoreConn *conn, guint ttl_s, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Glue resource tags (store/tags.c, migration 0015) ---- */

typedef enum { STORE_TAGGED_DATABASE, STORE_TAGGED_TABLE, STORE_TAGGED_CONNECTION } StoreTaggedKind;

/* A tagged object: a database (catalog, db), a table (catalog, db, name) or a connection (name). */
typedef struct {
	StoreTaggedKind kind;
	const char *catalog;
	const char *db;
	const char *name;
} StoreTagged;

/*
 * Adds the tags of `add` (replacing values of keys present; may be NULL), then removes the
 * keys listed in `remove` (strings; may be NULL). *count (may be NULL): the object's tags
 * after the change. NOT_FOUND if no such object.
 */
gboolean store_tags_change(StoreConn *conn, const StoreTagged *obj, JsonObject *add, JsonArray *remove, guint *count,
                           GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The object's tags as a new {key: value} object. NOT_FOUND if no such object. */
JsonObject *store_tags_get(StoreConn *conn, const StoreTagged *obj, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- table versions (store/table_version.c) ---- */

/*
 * Versions of a table, newest first, with "VersionId" set: at most limit of them (limit <= 0:
 * all) whose version is below before (before <= 0: from the newest). NOT_FOUND if no such table.
 */
GPtrArray *store_table_versions(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                gint64 before, gint limit, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* One version of a table with "VersionId" set; NOT_FOUND if the table or the version is missing. */
JsonObject *store_table_version_get(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                    gint64 version, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Deletes the listed versions of a table, never its current one, holding the table row FOR UPDATE.
 * *current: the table's current version; *deleted (new GArray of gint64): the versions removed
 * (a listed version not in it was missing or current). NOT_FOUND if no such table.
 */
gboolean store_table_versions_delete(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                     const gint64 *versions, guint n, gint64 *current, GArray **deleted,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Glue partition indexes (store/partition_index.c) ---- */

/* A table's indexes, oldest first, as {"IndexName", "Keys": [key names]}. NOT_FOUND if no such table. */
GPtrArray *store_partition_index_list(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Adds index name over keys (char*). UNIQUE if the table has that name, NOT_FOUND if no such table. */
gboolean store_partition_index_insert(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                      const char *name, GPtrArray *keys, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Removes index name. NOT_FOUND if the table has no such index. */
gboolean store_partition_index_delete(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                      const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- SearchTables (store/search.c) ---- */

/* One search page request. Strings and arrays borrowed; checked and built by catalog/search.c. */
typedef struct {
	const char *catalog;
	GPtrArray *databases;  /* char*: only tables of these databases; NULL = every database */
	GPtrArray *patterns;   /* char*: ILIKE patterns, each must match a searched field; NULL/empty = none */
	GPtrArray *filter_keys, *filter_values, *filter_ops; /* parallel char* arrays (see search.c); NULL = none */
	const char *sort_field; /* Name, DatabaseName, TableType, Owner, CreateTime, UpdateTime, LastAccessTime; NULL = DatabaseName */
	gboolean descending;
	const char *after_key, *after_db, *after_table; /* rows strictly after this position; after_key NULL = start */
	guint limit;
	/* parallel char* arrays: these tables match whatever the text and filters (their caller
	 * rechecks them with store_search_recheck); NULL = none */
	GPtrArray *exempt_dbs, *exempt_tables;
} StoreTableSearch;

/* A matching table: its position (sort key, database, table) and its document. */
typedef struct {
	char *key;
	char *db;
	char *table;
	char *db_description; /* may be NULL */
	char *table_type;
	JsonObject *doc;      /* with VersionId */
} StoreSearchRow;
void store_search_row_free(StoreSearchRow *row);

/*
 * Runs q's text and filters (not its databases, position or exemptions) over rows
 * (StoreSearchRow*, with their documents as they are now, e.g. trimmed): a gboolean per row,
 * TRUE when it matches. The predicate is store_table_search's own SQL.
 */
GArray *store_search_recheck(StoreConn *conn, const StoreTableSearch *q, GPtrArray *rows,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* At most q->limit StoreSearchRow* after q's position in (key, database, table) order. */
GPtrArray *store_table_search(StoreConn *conn, const StoreTableSearch *q, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- principals, access keys, data keys (store/principal.c) ---- */

/* A principal with one access key; blobs are lower-case hex. Strings owned by whoever filled it. */
typedef struct {
	char *arn;          /* arn:aws:iam::<account>:user/<name> */
	char *name;
	char *kind;         /* "user" | "role" */
	gboolean is_admin;  /* data lake administrator */
	char *key_id;       /* access key id */
	gint64 data_key_id; /* the data key the secret is encrypted under */
	char *secret_hex;   /* nonce || ciphertext || tag */
} StorePrincipalKey;

/* Frees the strings of a key filled by store_access_key_get(). */
void store_principal_key_clear(StorePrincipalKey *key);

/*
 * The newest data key (id, wrapped hex, master key fingerprint); when there is none, inserts
 * wrapped_hex/fingerprint as the first and returns it. Under the bootstrap advisory lock.
 */
gboolean store_data_key_ensure(StoreConn *conn, const char *fingerprint, const char *wrapped_hex, gint64 *id_out,
                               char **wrapped_out, char **fingerprint_out, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The wrapped data key (hex) with this id; NULL with NOT_FOUND. */
char *store_data_key_get(StoreConn *conn, gint64 id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * When no principal exists yet, inserts admin (principal + access key) and sets *created;
 * otherwise does nothing (*created FALSE). Under the bootstrap advisory lock.
 */
gboolean store_principal_bootstrap(StoreConn *conn, const StorePrincipalKey *admin, gboolean *created,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Fills *out (new strings) for an active access key; FALSE with NOT_FOUND when unknown or inactive. */
gboolean store_access_key_get(StoreConn *conn, const char *key_id, StorePrincipalKey *out,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * The active access keys of the principal named name (exactly; a user before a role), each a
 * StorePrincipalKey* with arn, name, kind and is_admin (new array that frees them). Empty when
 * there is no such principal or it has no active key. For SASL PLAIN logins.
 */
GPtrArray *store_principal_keys_by_name(StoreConn *conn, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- principal administration (store/principal.c) and the audit table's reader (store/audit.c) ---- */

/* The principal named by ident (ARN, or name: users first); fills *id and out's arn/name/kind/is_admin. NOT_FOUND. */
gboolean store_principal_get(StoreConn *conn, const char *ident, gboolean for_update, gint64 *id,
                             StorePrincipalKey *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Inserts p (not admin) with its access key and groups (char*); UNIQUE when the kind has the name in any case. */
gboolean store_principal_insert(StoreConn *conn, const StorePrincipalKey *p, GPtrArray *groups,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Every principal as {Arn, Name, Kind, Groups, IsAdmin, AccessKeyIds, CreationTime}, by ARN. */
GPtrArray *store_principal_list(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The number of data lake administrators (under the bootstrap advisory lock); -1 with error. */
gint64 store_principal_count_admins(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deletes principal id with its keys, group memberships and the grants to its ARN. */
gboolean store_principal_delete(StoreConn *conn, gint64 id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deactivates principal id's keys and adds key (key_id, data_key_id, secret_hex) as its active one. */
gboolean store_access_key_replace(StoreConn *conn, gint64 id, const StorePrincipalKey *key,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Replaces principal id's groups (char*; NULL = none). */
gboolean store_principal_set_groups(StoreConn *conn, gint64 id, GPtrArray *groups, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Which audit rows a reader wants (strings NULL = any). */
typedef struct {
	gint64 since_s;        /* at or after (epoch seconds) */
	const char *principal; /* an ARN, or the name an ARN ends with */
	gboolean denied_only;  /* only refusals */
	const char *operation; /* exactly this operation (case-insensitive) */
	const char *resource;  /* resources containing this text ("table db.t" matches its columns too) */
} StoreAuditFilter;
/* Audit rows matching f after after_id, oldest first, at most limit; see audit.c. */
GPtrArray *store_audit_list(StoreConn *conn, const StoreAuditFilter *f, gint64 after_id, guint limit,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* issue 22: {Arn, Name, Kind, Groups} of the principal with this ARN; NOT_FOUND. */
JsonObject *store_principal_describe(StoreConn *conn, const char *arn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Principal id's keys, oldest first: [{AccessKeyId, Status ACTIVE|INACTIVE, CreateDate}]. */
JsonArray *store_access_key_list(StoreConn *conn, gint64 id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Adds an active key to principal id, beside its others. */
gboolean store_access_key_add(StoreConn *conn, gint64 id, const StorePrincipalKey *key, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Activates or deactivates / deletes principal id's key key_id; NOT_FOUND when it has no such key. */
gboolean store_access_key_set_active(StoreConn *conn, gint64 id, const char *key_id, gboolean active,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_access_key_delete(StoreConn *conn, gint64 id, const char *key_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Glue connections and settings (store/connection.c, migration 0006) ----
 * A connection document carries its sealed secret properties (opaque text made by auth/) in
 * the member "SealedSecret", stored apart from doc; NOT_FOUND / UNIQUE as usual. */
gboolean store_connection_insert(StoreConn *conn, const char *name, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *store_connection_get(StoreConn *conn, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Every connection, ordered by name. */
GPtrArray *store_connection_list(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_connection_update(StoreConn *conn, const char *old_name, const char *name, JsonObject *doc,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_connection_delete(StoreConn *conn, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* A named settings document; NULL without error when never set. */
JsonObject *store_setting_get(StoreConn *conn, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_setting_put(StoreConn *conn, const char *name, JsonObject *doc, GError **error) G_GNUC_WARN_UNUSED_RESULT;


/* ---- authorization (authz.c) ---- */

/*
 * The caller's facts for catalog and db (NULL = catalog level only): its resolved ARN, admin
 * flags, whether db (and table, may be NULL) exist, and every grant reaching it on the catalog, the database, the
 * database's tables and data locations. account: the IAM account for bare names and groups.
 */
/* How many grant rows a facts query brings: one table's, every table's of the database, or none
 * (then has_table_grants says whether any table grant reaches the caller). */
typedef enum { STORE_AUTHZ_DATABASE, STORE_AUTHZ_TABLE, STORE_AUTHZ_LIST } StoreAuthzScope;
AuthzFacts *store_authz_facts(StoreConn *conn, const char *caller, const char *account, const char *catalog,
                              const char *db, const char *table, StoreAuthzScope scope,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Names the transaction's actor (propolis.principal, read by 0008's triggers for creator grants). */
gboolean store_authz_set_actor(StoreConn *conn, const char *arn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The longest registered location (lf_locations) containing location, or *registered = NULL. */
gboolean store_authz_registered_location(StoreConn *conn, const char *location, char **registered,
                                         GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * A table's / database's document (no row lock) and the grants epoch (migrations/0010) read in
 * the same statement, so facts cached at that epoch are known to hold for this snapshot.
 */
JsonObject *store_table_get_epoch(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                  gint64 *epoch, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * Which row a table document came from: id and version identify its content (every write bumps
 * the version in the same statement; a dropped and recreated name gets a new id).
 */
typedef struct {
	gint64 id, version; /* in: what the caller holds (0, 0 = nothing); out: the row's */
	gint64 epoch;       /* out: the grants epoch, as store_table_get_epoch */
	gboolean unchanged; /* out: the row is the caller's (id, version): no document was read */
} StoreTableStamp;
/* store_table_get_epoch that returns NULL and no error, with stamp->unchanged, when the row still
 * is stamp's (id, version): PostgreSQL neither prints nor sends the document. */
JsonObject *store_table_get_known(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                  StoreTableStamp *stamp, GError **error) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *store_database_get_epoch(StoreConn *conn, const char *catalog, const char *name, gint64 *epoch,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Names of the databases of catalog the caller sees (a grant on them or their tables); *all for admins. */
GHashTable *store_authz_visible_databases(StoreConn *conn, const char *caller, const char *account,
                                          const char *catalog, gboolean *all, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* One authorization decision for the audit table. Strings borrowed. */
typedef struct {
	gint64 at_us; /* real time, microseconds */
	const char *principal, *door, *operation, *resource, *permission, *reason;
	gboolean allowed;
} StoreAuditRow;
/* Deletes decisions older than ttl_s seconds. */
gboolean store_authz_audit_trim(StoreConn *conn, guint ttl_s, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Inserts n decisions in one statement. */
gboolean store_authz_audit_insert(StoreConn *conn, const StoreAuditRow *rows, guint n, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- Lake Formation grants (store/grant.c), data lake settings and registered locations
 * (store/datalake.c), migration 0008. Rows run in the caller's transaction. ---- */

/* A Lake Formation resource. Strings owned; clear with store_lf_resource_clear(). */
typedef struct {
	AuthzKind kind;
	char *database;  /* DATABASE, TABLE_WILDCARD, TABLE, COLUMNS (lower-case) */
	char *table;     /* TABLE, COLUMNS; NULL in a listed COLUMNS row: every table (TableWildcard SELECT) */
	char **columns;  /* COLUMNS: include list (lower-case), or NULL */
	char **excluded; /* COLUMNS: every column but these (may be empty), or NULL */
	char *location;  /* DATA_LOCATION: its ResourceArn (arn:aws:s3:::bucket/prefix) */
	char *catalog;   /* the Hive catalog (Catalog{Id} / CatalogId "<account>:<name>"); NULL = the default */
} StoreLfResource;

void store_lf_resource_clear(StoreLfResource *r);

/* A principal's permissions on one resource: a grant or revoke request, or a listed row. */
typedef struct {
	char *principal;          /* IAM ARN, group ARN or IAM_ALLOWED_PRINCIPALS */
	StoreLfResource resource;
	guint32 perms;            /* AUTHZ_* bits */
	guint32 grantable;        /* with grant option (a revoke: the grant options to take away) */
	gint64 last_updated;      /* listed rows: epoch seconds */
	char *last_updated_by;    /* listed rows */
} StoreLfGrant;

void store_lf_grant_clear(StoreLfGrant *g);
/* Frees a heap StoreLfGrant (element free function of listings). */
void store_lf_grant_free(gpointer g);

/* The rows a resource's grants hang off (0 = missing), and what checks need to know of it. */
typedef struct {
	gint64 catalog_id, database_id, table_id, location_id;
	char *location;       /* the registered location (s3://bucket/prefix) of location_id */
	char **table_columns; /* the table's column and partition key names, lower-case; NULL without table */
} StoreLfIds;

void store_lf_ids_clear(StoreLfIds *ids);

/* Looks up catalog, db, table (each may be NULL) and a registered ResourceArn (may be NULL). */
gboolean store_lf_resolve(StoreConn *conn, const char *catalog, const char *db, const char *table,
                          const char *resource_arn, StoreLfIds *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* *known: arn names a principal (principals.arn, exactly). */
gboolean store_lf_principal_known(StoreConn *conn, const char *arn, gboolean *known,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* What a principal holds explicitly (not implicit rows) on the resource kind + ids names. */
typedef struct {
	guint32 perms, grantable;
	char **columns, **excluded; /* the COLUMNS row's lists (new vectors, may be NULL) */
} StoreLfHeld;

void store_lf_held_clear(StoreLfHeld *h);
/* Fills *out, holding the (principal, object) grant lock until the transaction ends. */
gboolean store_lf_held(StoreConn *conn, const char *principal, AuthzKind kind, const StoreLfIds *ids,
                       StoreLfHeld *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * Makes the principal's explicit rows on kind + ids exactly `now` (one row per permission;
 * others deleted, unchanged ones left as they are); by is recorded as last_updated_by.
 */
gboolean store_lf_replace(StoreConn *conn, const char *principal, AuthzKind kind, const StoreLfIds *ids,
                          const StoreLfHeld *now, const char *by, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* SAVEPOINT (0), ROLLBACK TO (1) or RELEASE (2) the savepoint of one batch entry. */
gboolean store_lf_savepoint(StoreConn *conn, int op, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A listing of grants, grouped per (principal, resource); see store_lf_list(). */
typedef struct {
	gboolean see_all;         /* administrators: every grant; else the caller's and grantable resources' */
	const char *caller;       /* the caller's ARN */
	const char *account;      /* for group ARNs */
	const char *catalog;
	const char *principal;    /* exact, or NULL */
	const char *const *kinds; /* stored kind names, NULL-terminated, or NULL = all */
	const char *database;     /* resource filter parts, each NULL = any */
	const char *table;
	const char *resource_arn;
	const char *path;         /* s3:// location: grants on databases/tables located under it, or NULL */
	const char *after_key;    /* the position (store_lf_list's row keys) to start at (inclusive), or NULL */
	guint limit;              /* groups to return */
} StoreLfListQuery;

/*
 * Grants matching q, explicit only, one StoreLfGrant per (principal, resource) in a stable
 * order; keys (may be NULL) receives each row's position (new strings, parallel to the rows).
 * INTERNAL for an unreadable after_key.
 */
GPtrArray *store_lf_list(StoreConn *conn, const StoreLfListQuery *q, GPtrArray **keys,
                         GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The settings document (without DataLakeAdmins) and the administrators' ARNs (sorted; new). */
JsonObject *store_lf_settings_get(StoreConn *conn, GPtrArray **admins, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The ARNs among arns that name no principal (new array; empty when all are known). */
GPtrArray *store_lf_unknown_principals(StoreConn *conn, GPtrArray *arns, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Stores doc (DataLakeAdmins left out) and makes exactly admins (ARNs) data lake administrators. */
gboolean store_lf_settings_put(StoreConn *conn, JsonObject *doc, GPtrArray *admins,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A registered data location (lf_locations). */
typedef struct {
	char *resource_arn, *location, *role_arn;
	gboolean use_service_linked_role, hybrid_access_enabled, with_federation;
	gint64 registered; /* epoch seconds */
} StoreLfLocation;

void store_lf_location_free(gpointer loc);
/* Registers loc; UNIQUE when its ResourceArn is registered already. */
gboolean store_lf_location_insert(StoreConn *conn, const StoreLfLocation *loc, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deregisters (its grants go with it); NOT_FOUND when not registered. */
gboolean store_lf_location_delete(StoreConn *conn, const char *resource_arn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Registered locations (StoreLfLocation*), by ResourceArn; only resource_arn's when given (may be empty). */
GPtrArray *store_lf_location_list(StoreConn *conn, const char *resource_arn, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- counts for /metrics (store/counts.c) ---- */

/* What the catalog holds, all catalogs together. */
typedef struct {
	gint64 databases, tables, partitions;
	gint64 locks;             /* Hive lock requests, granted or waiting */
	gint64 oldest_lock_age_s; /* since the oldest of them was requested; 0 when none */
	gint64 open_txns;
} StoreCatalogCounts;

/*
 * Fills out with one statement, cancelled after timeout_ms (a transaction-local
 * statement_timeout: call it inside store_begin()). FALSE with STORE_ERROR otherwise.
 */
gboolean store_catalog_counts(StoreConn *conn, guint timeout_ms, StoreCatalogCounts *out, GError **error)
	G_GNUC_WARN_UNUSED_RESULT;

/* ---- delegation tokens and master keys (dtoken.c, migration 0016; issue 16) ---- */

typedef struct {
	char *ident, *owner, *renewer;
	gint64 max_date_ms;
} StoreDToken;
void store_dtoken_free(gpointer t);

typedef struct {
	gint32 id;
	char *sealed;  /* "<data key id>:<hex>" (auth_keyring_seal_text) */
	gint64 age_ms; /* since it was added */
} StoreMasterKey;
void store_master_key_free(gpointer k);

gboolean store_dtoken_put(StoreConn *conn, const char *ident, const char *token, const char *owner,
                          const char *renewer, gint64 max_date_ms, gboolean replace, gboolean *added,
                          GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The token value; "" with *found FALSE when there is none; NULL on a database error. */
char *store_dtoken_get(StoreConn *conn, const char *ident, gboolean *found, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_dtoken_delete(StoreConn *conn, const char *ident, gboolean *removed, GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *store_dtoken_list(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_dtoken_delete_expired(StoreConn *conn, gint64 now_ms, guint *n, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gint32 store_master_key_add(StoreConn *conn, const char *sealed, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_master_key_update(StoreConn *conn, gint32 id, const char *sealed, gboolean *found,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean store_master_key_remove(StoreConn *conn, gint32 id, gboolean *removed, GError **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray *store_master_key_list(StoreConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
