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

G_END_DECLS

#endif
