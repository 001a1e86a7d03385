/*
 * handler.h — what the Thrift door's files share: the per-connection session, the
 * per-call context the handler reads through a thread-local pointer, the handler object
 * and the one error table (errors.c).
 *
 * Ownership: the door owns sessions and the handler; a ThriftCall lives on the worker's
 * stack for one handle() and is visible only to that thread (thrift_call_current()).
 * Threading: one request in flight per connection, so a session is touched by one worker
 * at a time and needs no lock. Errors: handler methods answer Hive exceptions through
 * thrift_error_raise(); a FALSE with only a GError becomes a TApplicationException.
 */
#ifndef PROPOLIS_THRIFT_HANDLER_H
#define PROPOLIS_THRIFT_HANDLER_H

#include <glib-object.h>

#include "catalog/catalog.h"
/* Hive's IDL has a struct named Catalog; ours wins the name, theirs becomes HiveCatalog. */
#define Catalog HiveCatalog
#include "thrift_hive_metastore.h"
#undef Catalog

G_BEGIN_DECLS

/* One client connection's state. */
typedef struct {
	guint64 conn_id;
	char *peer;
	char *principal;      /* set_ugi user when trusted, else "anonymous" */
	GHashTable *meta_conf; /* setMetaConf values for this connection (char* → char*) */
} ThriftSession;

/* The call a worker is running. */
typedef struct {
	Catalog *cat;
	const PropolisConfig *config;
	ThriftSession *session;
	guint64 request_id;
	gint64 deadline_us;
	const char *method;
	gboolean trust_set_ugi;
	gint64 started_s;      /* server start, wall clock seconds (aliveSince) */
	gboolean audited;      /* its audit line is written (audit.c); zero-initialised by the door */
	char audit_object[256]; /* "db" or "db.table" noted by the handler for the audit line, or "" */
} ThriftCall;

/* The current thread's call, or NULL outside handle(). */
ThriftCall *thrift_call_current(void);
/* Sets (or clears with NULL) the current thread's call. */
void thrift_call_set_current(ThriftCall *call);

/*
 * ---- the audit line (audit.c): one JSON line per call at info level, "audit {principal, client,
 * method, object, result, duration_ms, request_id}", when the config key audit_log is on ----
 * errors.c writes the line of a call answered with an exception; the door writes the others when
 * the call ends (result NULL means "ok"); a call already audited is not written again. object NULL means
 * what the handler noted with thrift_audit_note_object() ("db" or "db.table"), or null.
 */
void thrift_audit_log(const ThriftCall *call, const char *method, const char *object, const char *result, double ms);
/* Notes the current call's object (table may be NULL); a later note with a table wins. */
void thrift_audit_note_object(const char *db, const char *table);
/* Milliseconds since the call's request arrived (net/ sets its deadline from arrival). */
double thrift_audit_elapsed_ms(const ThriftCall *call);

/* A new handler object (a ThriftHiveMetastoreHandler subclass). */
ThriftHiveMetastoreHandler *thrift_handler_new(void);

/* TRUE when the handler implements method (wire name, e.g. "get_table"). */
gboolean thrift_handler_implements(const char *method);
/* Every served method's wire name (static, NULL-terminated; *n = count), for the authorization table's test. */
const char *const *thrift_handler_methods(guint *n);

/* ---- shared by the handler files (handler.c, handler_partition.c, handler_stats.c, handler_txn.c) ---- */

/* The catalog context of the current call (principal, request id, deadline). */
CatalogCtx thrift_ctx_now(void);
/* The catalog of the current call. */
Catalog *thrift_cat_now(void);

/* A db name that may be "@cat#db": catalog (or NULL) and db, new strings. */
typedef struct {
	char *catalog;
	char *db;
} ThriftDbName;
/* Splits name; req_catalog (a *_req struct's catName) applies when name carries none. */
ThriftDbName thrift_db_name_parse(const char *name, const char *req_catalog);
void thrift_db_name_clear(ThriftDbName *n);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ThriftDbName, thrift_db_name_clear)

/* An INVALID_INPUT catalog error "<what> cannot be null.", for thrift_error_raise(). */
GError *thrift_missing_arg(const char *what);
/* A property of an EnvironmentContext, or NULL. */
const char *thrift_env_prop(const EnvironmentContext *env, const char *key);

/*
 * Each further handler file sets its slots in the class and lists its wire method names; a
 * method is answered only when listed (the door answers the rest UNKNOWN_METHOD).
 */
void thrift_partition_install(ThriftHiveMetastoreHandlerClass *klass);
const char *const *thrift_partition_methods(guint *n);
void thrift_stats_install(ThriftHiveMetastoreHandlerClass *klass);
const char *const *thrift_stats_methods(guint *n);
void thrift_txn_install(ThriftHiveMetastoreHandlerClass *klass);
const char *const *thrift_txn_methods(guint *n);
void thrift_catalog_install(ThriftHiveMetastoreHandlerClass *klass);
/* get_partitions_with_specs (partition_specs.c), installed by handler_partition.c. */
gboolean thrift_get_partitions_with_specs(ThriftHiveMetastoreIf *iface, GetPartitionsResponse **ret,
                                          const GetPartitionsRequest *req, MetaException **o1, GError **error);
const char *const *thrift_catalog_methods(guint *n);

/* Where a method's declared exceptions go; NULL slots are not declared by that method. */
typedef struct {
	MetaException **meta;
	NoSuchObjectException **no_such;
	AlreadyExistsException **exists;
	InvalidObjectException **invalid_object;
	InvalidOperationException **invalid_op;
	UnknownTableException **unknown_table;
	UnknownDBException **unknown_db;
} ThriftErrOut;

/*
 * Maps a CATALOG_ERROR (or any GError) to the Hive exception the method declares, logs it
 * once with the request id, and consumes err. When the method declares none that fits,
 * sets *error (a TApplicationException INTERNAL_ERROR for the processor). Always FALSE.
 */
gboolean thrift_error_raise(GError *err, const ThriftErrOut *out, GError **error);

/* A Hive exception of type with message, for the handler's own checks (MetaException, ...). */
gpointer thrift_error_new_exception(GType type, const char *message);

G_END_DECLS

#endif
