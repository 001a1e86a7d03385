/*
 * internal.h — what the catalog's files share and nobody else sees.
 *
 * The Catalog struct, the unit-of-work helpers every operation uses (take a pooled
 * connection, open the one transaction, finish it) and the store → catalog error mapping.
 */
#ifndef PROPOLIS_CATALOG_INTERNAL_H
#define PROPOLIS_CATALOG_INTERNAL_H

#include "catalog/catalog.h"
#include "common/error.h"
#include "authz/authz.h"
#include "catalog/partfilter.h"

struct Catalog {
	const PropolisConfig *config; /* borrowed, outlives the catalog */
	StorePool *pool;              /* borrowed */
	char *default_catalog;        /* "hive" */
	char *warehouse;              /* no trailing '/' */
	CatalogObjectEncoder encoder; /* notify.c: *ObjJson fields; NULL = Glue JSON */
	gpointer encoder_data;
	struct CatalogAudit *audit;   /* authz.c: the audit table's background writer */
	struct CatalogAuthzCache *authz_cache; /* authz.c: callers' facts by grants epoch */
};

/*
 * A unit of work: one pooled connection, and for writes one open transaction.
 * Released by catalog_work_end(), which commits when ok and no error, else rolls back.
 */
typedef struct {
	Catalog *cat;
	StoreConn *conn;
	gboolean in_txn;
} CatalogWork;

/* Takes a connection (and BEGINs when write). FALSE with CATALOG_ERROR_UNAVAILABLE. */
gboolean catalog_work_begin(Catalog *cat, const CatalogCtx *ctx, gboolean write, CatalogWork *work,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Ends the unit of work: commits if ok (a failed commit turns ok into FALSE with error set),
 * rolls back otherwise, releases the connection. Returns the final ok.
 */
gboolean catalog_work_end(CatalogWork *work, gboolean ok, GError **error);

/* The names of an operation on one table: catalog resolved, database and table lower-cased. */
typedef struct {
	char *cat, *db, *table;
} CatalogTableRef;
void catalog_table_ref_clear(CatalogTableRef *ref);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CatalogTableRef, catalog_table_ref_clear)

/*
 * What every operation on one table does first: both names given (else INVALID_INPUT "Database or
 * table name cannot be null."), the names into ref, catalog_work_begin(write), and perm checked on
 * the table (its facts into *facts_out when not NULL). FALSE with error when a step fails, the
 * work then already ended; ref is filled even so (clear it with g_auto).
 */
gboolean catalog_table_work_begin(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *table, gboolean write, guint32 perm, CatalogTableRef *ref,
                                  CatalogWork *work, AuthzFacts **facts_out, GError **error)
	G_GNUC_WARN_UNUSED_RESULT;

/*
 * Moves a STORE_ERROR into *error as a CATALOG_ERROR: UNIQUE → ALREADY_EXISTS,
 * NOT_FOUND → NOT_FOUND, CONFLICT/SERIALIZATION → CONFLICT, UNAVAILABLE → UNAVAILABLE,
 * else INTERNAL. `what`, when given, replaces the message for NOT_FOUND / ALREADY_EXISTS.
 * Consumes store_error.
 */
void catalog_error_from_store(GError *store_error, const char *what_not_found, const char *what_exists,
                              GError **error);

/* The catalog name to use: the caller's, lower-cased, or the default. New string. */
char *catalog_resolve(Catalog *cat, const char *catalog);

/* Lower-cased copy of a name, or NULL. */
char *catalog_lower(const char *name);

/* Sets tags on an object the current work just created (catalog/tags.c); TRUE when tags is NULL or empty. */
gboolean catalog_tags_put_new(CatalogWork *work, const StoreTagged *obj, JsonObject *tags, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Seconds since the epoch, as Hive's i32 times. */
gint64 catalog_now(void);

/*
 * TRUE when the call comes through the Hive (Thrift) door, whose writes add Hive's own
 * parameters (transient_lastDdlTime); Glue's writes store exactly the parameters given.
 */
gboolean catalog_ctx_is_hive(const CatalogCtx *ctx);

/* Stamps "CatalogName" on a document returned to a door (never stored). */
void catalog_doc_set_catalog(JsonObject *doc, const char *catalog);

/* Stamps every JsonObject of a GPtrArray; returns arr. */
GPtrArray *catalog_docs_set_catalog(GPtrArray *arr, const char *catalog);

/* Convenience: string member or NULL. */
const char *catalog_json_str(JsonObject *obj, const char *member);

/* Convenience: object member, created empty when absent. */
JsonObject *catalog_json_obj_ensure(JsonObject *obj, const char *member);

/* Parses a table filter (get_table_names_by_filter) and runs it; see filter.c. */
GPtrArray *catalog_filter_table_names(CatalogWork *work, const char *catalog, const char *db, const char *filter,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * catalog_filter_table_names as the caller of f (the database's facts) sees the tables: those it
 * sees only partly are matched on their trimmed documents when the filter reads parameters, so a
 * hidden value changes nothing. Visibility is not applied here (catalog_authz_filter_tables).
 */
GPtrArray *catalog_filter_table_names_seen(CatalogWork *work, const AuthzFacts *f, const char *catalog,
                                           const char *db, const char *filter, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Parses a table filter without running it (no store, for tests and fuzzing); FALSE with INVALID_INPUT. */
gboolean catalog_filter_check(const char *filter, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * The filter of a partition listing (Hive's filter, or Glue's rewritten Expression) parsed and
 * checked against the table's partition keys ({"Name","Type"} objects): *ast is the tree (the
 * caller frees it), NULL for a NULL or blank filter. FALSE with INVALID_INPUT. No store: the
 * listings call it, and so does tests/fuzz/fuzz_glue_expr.c.
 */
gboolean catalog_partition_filter_prepare(const char *filter, JsonArray *keys, PartFilterNode **ast,
                                          GError **error) G_GNUC_WARN_UNUSED_RESULT;


/* ---- Hive ACID helpers (txn.c) ---- */

/* catalog_work_begin(write) plus expiry of timed-out txns and locks (config lock_timeout_s). */
gboolean catalog_acid_begin(Catalog *cat, const CatalogCtx *ctx, CatalogWork *work, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Every txn in ids must be open (aborted ones pass when skip_aborted); *open_out (may be NULL) gets the open ones. */
gboolean catalog_txn_require_open(CatalogWork *work, const GArray *ids, gboolean for_update, gboolean skip_aborted,
                                  GArray **open_out, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- who may take, act on and see locks, transactions, compactions (acid_authz.c) ---- */

/* Each component's permission (SHARED_READ: visible; write types: see acid_authz.c); sets request's "owner". */
gboolean catalog_acid_lock_authorize(CatalogWork *work, const CatalogCtx *ctx, const char *catname,
                                     JsonObject *request, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The caller's facts for the catalog (its ARN in ->caller, admin flags). */
AuthzFacts *catalog_acid_caller(CatalogWork *work, const CatalogCtx *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The write permissions (any one suffices) a write on a table needs for DataOperationType op. */
guint32 catalog_acid_write_perms(gint64 op);
/* ACCESS_DENIED (audited) unless the caller owns lock (a store_lock_get document) or is an administrator. */
gboolean catalog_acid_lock_owner_require(CatalogWork *work, const CatalogCtx *ctx, JsonObject *lock,
                                         GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* store_lock_get of an owned lock; NO_SUCH_LOCK when gone, ACCESS_DENIED when another's. */
JsonObject *catalog_acid_lock_get_owned(CatalogWork *work, const CatalogCtx *ctx, gint64 lockid,
                                        GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The same for the existing txns among ids (in [min, max] when ids is NULL); unknown ids pass. */
gboolean catalog_acid_txns_owner_require(CatalogWork *work, const CatalogCtx *ctx, const GArray *ids, gint64 min,
                                         gint64 max, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Keeps the rows ({dbname, tablename?, owner?}) whose object the caller sees or that it owns; replaces *rows. */
gboolean catalog_acid_filter_rows(CatalogWork *work, const CatalogCtx *ctx, const char *catname, JsonArray **rows,
                                  GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Keeps in doc's "txns" the caller's own (administrators: all); drops their "owner" members. */
gboolean catalog_acid_filter_own_txns(CatalogWork *work, const CatalogCtx *ctx, JsonObject *doc,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- notifications (notify.c): each appends one event in work's transaction. Call it LAST,
 * just before catalog_work_end(), so the event-id row lock is held briefly. Documents are the
 * stored Glue documents (tables with DatabaseName and Name; partitions with Values). ---- */
gboolean catalog_notify_create_database(CatalogWork *work, const char *catalog, JsonObject *db, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_notify_alter_database(CatalogWork *work, const char *catalog, JsonObject *before, JsonObject *after,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_notify_drop_database(CatalogWork *work, const char *catalog, JsonObject *db, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_notify_create_table(CatalogWork *work, const char *catalog, JsonObject *table, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_notify_alter_table(CatalogWork *work, const char *catalog, JsonObject *before, JsonObject *after,
                                    gboolean truncate, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_notify_drop_table(CatalogWork *work, const char *catalog, JsonObject *table, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_notify_create_function(CatalogWork *work, const char *catalog, JsonObject *fn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_notify_drop_function(CatalogWork *work, const char *catalog, const char *db, const char *name,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* For partition.c: partitions are GPtrArrays of Glue partition documents (JsonObject*). */
gboolean catalog_notify_add_partitions(CatalogWork *work, const char *catalog, JsonObject *table,
                                       GPtrArray *partitions, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* ADD_PARTITION for the rows of b that were added, their Thrift JSON from b->encode. */
gboolean catalog_notify_add_partition_rows(CatalogWork *work, const char *catalog, JsonObject *table,
                                           const CatalogPartitionBatch *b, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_notify_alter_partition(CatalogWork *work, const char *catalog, JsonObject *table,
                                        JsonObject *before, JsonObject *after, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* One DROP_PARTITION event per partition, appended together. */
gboolean catalog_notify_drop_partitions(CatalogWork *work, const char *catalog, JsonObject *table,
                                        GPtrArray *partitions, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The same for partitions given by their values (each a GPtrArray of char*, key order). */
gboolean catalog_notify_drop_partition_values(CatalogWork *work, const char *catalog, JsonObject *table,
                                              GPtrArray *values, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- authorization (authz.c): Lake Formation's rules applied to ctx's caller ---- */

/*
 * The facts about ctx's caller for catalog and, when db is given, that database and its tables
 * (grants that name the caller, its groups or IAM_ALLOWED_PRINCIPALS; admin flags). Runs one
 * query in work's connection. NULL with CATALOG_ERROR_* on failure.
 */
AuthzFacts *catalog_authz_facts(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Records one authorization decision: the audit table (written in the background, batched)
 * and, for denials, the log. resource is Lake Formation-style ("table db.t", "database db").
 */
void catalog_authz_audit(Catalog *cat, const CatalogCtx *ctx, const char *resource, guint32 perm, gboolean allowed,
                         const char *reason);

/* Sets CATALOG_ERROR_ACCESS_DENIED: "Insufficient Lake Formation permission(s): Required <P> on <resource>". */
void catalog_authz_denied(GError **error, guint32 perm, const char *resource);

/*
 * The checks every operation makes before it acts (perm: one AUTHZ_* bit, or several when any
 * one of them will do, as a write lock's INSERT, ALTER or DELETE: the message then names them all,
 * "Required Insert, Alter or Delete on table db.t"; AUTHZ_DESCRIBE alone means "may see it"). Each audits its decision; FALSE with ACCESS_DENIED (or a store error). A
 * missing database passes only for callers who may create databases, a missing table only for
 * callers who see its database, so that the operation's own NOT_FOUND reaches only them.
 * *facts_out (may be NULL) receives the facts for column trimming, actor and location checks.
 */
gboolean catalog_authz_catalog(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, guint32 perm,
                               AuthzFacts **facts_out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_authz_database(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                guint32 perm, AuthzFacts **facts_out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_authz_table(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                             const char *table, guint32 perm, AuthzFacts **facts_out,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * The same checks for an object the operation's own read just found, with the grants epoch that
 * read returned (store_*_get_epoch): the caller's facts come from the server's cache when they
 * were read at that epoch, so a hot read costs no second query, and a revoke (which moves the
 * epoch) still counts from the caller's next request.
 */
gboolean catalog_authz_table_found(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                   const char *table, guint32 perm, gint64 epoch, AuthzFacts **facts_out,
                                   GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean catalog_authz_database_found(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                      guint32 perm, gint64 epoch, GError **error) G_GNUC_WARN_UNUSED_RESULT;
typedef struct CatalogAuthzCache CatalogAuthzCache;
CatalogAuthzCache *catalog_authz_cache_new(void);
void catalog_authz_cache_free(CatalogAuthzCache *cache);

/* DATA_LOCATION_ACCESS when location lies under a registered location (nothing needed otherwise). */
gboolean catalog_authz_location(CatalogWork *work, const CatalogCtx *ctx, const AuthzFacts *f, const char *location,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* catalog_authz_location for every location a storage descriptor sets: Location and each
 * SkewedInfo.SkewedColumnValueLocationMaps value (NULL sd: nothing). */
gboolean catalog_authz_sd_locations(CatalogWork *work, const CatalogCtx *ctx, const AuthzFacts *f, JsonObject *sd,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Names f's caller as the creator of what this transaction creates (0008's triggers). */
gboolean catalog_authz_set_actor(CatalogWork *work, const AuthzFacts *f, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * THE trimming for a caller who sees only some columns of table (trim.c has the rules): doc (a
 * table, partition or table version) loses every column the caller may not see and everything
 * that names one (parameters, bucket/sort/skewed lists, SerDe parameters, texts); partition keys
 * stay. The hidden names are the columns of doc and of table_doc (the table, for partitions; NULL:
 * doc only) that f does not reach. Nothing is done for callers who see every column.
 */
void catalog_authz_trim_doc(const AuthzFacts *f, const char *table, JsonObject *table_doc, JsonObject *doc);
/* The lower-cased names of the columns of docs (table or partition documents, NULL ends) that f does
 * not reach; NULL when f sees every column of table. */
GHashTable *catalog_authz_hidden_columns(const AuthzFacts *f, const char *table, JsonObject *doc,
                                         JsonObject *table_doc);
/*
 * Drops from list (constraints of one kind of table, Hive's field names) every constraint that
 * touches a column the caller may not see; a foreign key's referenced column is checked against
 * the caller's grants on the referenced table (for every caller: another table's columns).
 */
gboolean catalog_authz_trim_constraints(CatalogWork *work, const CatalogCtx *ctx, const char *catalog,
                                        const AuthzFacts *f, const char *table, JsonObject *table_doc,
                                        JsonArray *list, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* trim.c: the pure rules, over a set of hidden column names (lower-cased keys). */
gboolean catalog_trim_mentions(const char *text, GHashTable *hidden);
/* A JSON schema ({"fields": [{"name"...}]}: Spark, Iceberg, Avro) without hidden top-level fields;
 * NULL when text is not one. */
char *catalog_trim_schema(const char *text, GHashTable *hidden);
void catalog_trim_params(JsonObject *params, GHashTable *hidden);
void catalog_trim_doc(JsonObject *doc, GHashTable *hidden);
gboolean catalog_trim_constraint_hides(JsonObject *constraint, GHashTable *hidden);
/* TRUE when f (non-NULL) sees only some columns of table. */
gboolean catalog_authz_columns_restricted(const AuthzFacts *f, const char *table);
/* Names (new char*) of the tables of f's database the caller sees only partly; empty for admins. */
GPtrArray *catalog_authz_restricted_tables(const AuthzFacts *f);

/* Keeps in items (char* names, or documents whose `member` names the database) the databases the caller sees. */
gboolean catalog_authz_filter_databases(CatalogWork *work, const CatalogCtx *ctx, const char *catalog,
                                        GPtrArray *items, const char *member, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Keeps in items (char* names, or table documents when docs, columns trimmed) the tables f sees. */
void catalog_authz_filter_tables(const AuthzFacts *f, GPtrArray *items, gboolean docs);

/* Keeps the notification events whose database or whole table the caller sees (admins see all); see authz.c. */
gboolean catalog_authz_filter_events(CatalogWork *work, const CatalogCtx *ctx, JsonArray *events,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Keeps rows naming {catName?, dbName?, tableName?} whose table (any grant) or database the caller sees. */
gboolean catalog_authz_filter_named(CatalogWork *work, const CatalogCtx *ctx, JsonArray *rows,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The audit writer (started by catalog_new, stopped by catalog_free). */
typedef struct CatalogAudit CatalogAudit;
CatalogAudit *catalog_audit_start(Catalog *cat);
void catalog_audit_stop(CatalogAudit *audit);

/* ---- Glue partition indexes (partition_index.c) ---- */

/* For create table: checks and stores indexes (JsonArray of {IndexName, Keys}) of table, just inserted in work. */
gboolean catalog_partition_indexes_add(CatalogWork *work, const char *catname, const char *dbname, JsonObject *table,
                                       JsonArray *indexes, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- administration (principal.c) ---- */

/* ACCESS_DENIED unless ctx's caller is a data lake administrator; audits the decision on resource. */
gboolean catalog_admin_require(CatalogWork *work, const CatalogCtx *ctx, const char *resource,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* ACCESS_DENIED unless the caller is a data lake administrator or a read-only administrator; audited. */
gboolean catalog_admin_read_require(CatalogWork *work, const CatalogCtx *ctx, const char *resource,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

#endif
