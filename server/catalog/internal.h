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

struct Catalog {
	const PropolisConfig *config; /* borrowed, outlives the catalog */
	StorePool *pool;              /* borrowed */
	char *default_catalog;        /* "hive" */
	char *warehouse;              /* no trailing '/' */
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

/* Seconds since the epoch, as Hive's i32 times. */
gint64 catalog_now(void);

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

#endif
