/*
 * catalog.c — the Catalog object and the unit of work every operation runs in.
 *
 * A read takes a pooled connection and runs its statements without BEGIN (a single
 * statement is atomic on its own); a write takes a connection and runs inside exactly one
 * transaction, committed by catalog_work_end() or rolled back on any error, so a failed
 * write changes nothing. Store errors become catalog errors here, in one place.
 */
#include <string.h>

#include "catalog/internal.h"

/* Creates the catalog and makes sure the configured catalog and its `default` database exist. */
Catalog *catalog_new(const PropolisConfig *config, StorePool *pool, GError **error)
{
	Catalog *cat = catalog_new_detached(config);
	cat->pool = pool;

	g_autoptr(JsonObject) db = json_object_new();
	json_object_set_string_member(db, "Name", "default");
	json_object_set_string_member(db, "Description", "Default Hive database");
	json_object_set_string_member(db, "LocationUri", cat->warehouse);
	json_object_set_object_member(db, "Parameters", json_object_new());
	json_object_set_int_member(db, "CreateTime", catalog_now());
	JsonObject *hive = json_object_new();
	json_object_set_string_member(hive, "OwnerName", "public");
	json_object_set_string_member(hive, "OwnerType", "ROLE");
	json_object_set_object_member(db, "Hive", hive);

	CatalogCtx ctx = {.principal = "propolis", .request_id = 0, .deadline_us = 0};
	CatalogWork work;
	if (!catalog_work_begin(cat, &ctx, TRUE, &work, error)) {
		catalog_free(cat);
		return NULL;
	}
	GError *serr = NULL;
	gboolean ok = store_catalog_ensure(work.conn, cat->default_catalog, db, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	if (!catalog_work_end(&work, ok, ok ? error : NULL)) {
		catalog_free(cat);
		return NULL;
	}
	cat->audit = catalog_audit_start(cat);
	return cat;
}

/* A catalog without a pool: catalog_work_begin() refuses, so nothing reaches a store. */
Catalog *catalog_new_detached(const PropolisConfig *config)
{
	Catalog *cat = g_new0(Catalog, 1);
	cat->config = config;
	cat->default_catalog = g_ascii_strdown(config->catalog_name ? config->catalog_name : "hive", -1);
	cat->warehouse = g_strdup(config->warehouse ? config->warehouse : "file:///var/lib/propolis/warehouse");
	gsize len = strlen(cat->warehouse);
	while (len > 1 && cat->warehouse[len - 1] == '/')
		cat->warehouse[--len] = '\0';
	cat->authz_cache = catalog_authz_cache_new();
	return cat;
}

void catalog_free(Catalog *cat)
{
	if (cat == NULL)
		return;
	catalog_audit_stop(cat->audit);
	catalog_authz_cache_free(cat->authz_cache);
	g_free(cat->default_catalog);
	g_free(cat->warehouse);
	g_free(cat);
}

/* The catalog name used when a request names none ("hive"). Owned by the catalog. */
const char *catalog_default_name(Catalog *cat)
{
	return cat->default_catalog;
}

/* Takes a connection; BEGINs for writes. Deadline 0 means the pool's own wait. */
gboolean catalog_work_begin(Catalog *cat, const CatalogCtx *ctx, gboolean write, CatalogWork *work,
                            GError **error)
{
	work->cat = cat;
	work->conn = NULL;
	work->in_txn = FALSE;
	GError *serr = NULL;
	gint64 deadline = ctx && ctx->deadline_us > 0 ? ctx->deadline_us : 0;
	if (cat->pool == NULL) { /* catalog_new_detached(): the seam where a request would reach the store */
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_UNAVAILABLE, CATALOG_DETACHED_MESSAGE);
		return FALSE;
	}
	work->conn = store_pool_acquire(cat->pool, deadline, &serr);
	if (work->conn == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (write) {
		if (!store_begin(work->conn, &serr)) {
			catalog_error_from_store(serr, NULL, NULL, error);
			store_pool_release(cat->pool, work->conn);
			work->conn = NULL;
			return FALSE;
		}
		work->in_txn = TRUE;
	}
	return TRUE;
}

/* Commits or rolls back, then releases; see internal.h. */
gboolean catalog_work_end(CatalogWork *work, gboolean ok, GError **error)
{
	if (work->conn == NULL)
		return ok;
	if (work->in_txn) {
		if (ok) {
			GError *serr = NULL;
			if (!store_commit(work->conn, &serr)) {
				catalog_error_from_store(serr, NULL, NULL, error);
				ok = FALSE;
			}
		} else {
			store_rollback(work->conn);
		}
		work->in_txn = FALSE;
	}
	store_pool_release(work->cat->pool, work->conn);
	work->conn = NULL;
	return ok;
}

void catalog_table_ref_clear(CatalogTableRef *ref)
{
	g_clear_pointer(&ref->cat, g_free);
	g_clear_pointer(&ref->db, g_free);
	g_clear_pointer(&ref->table, g_free);
}

/* See internal.h. */
gboolean catalog_table_work_begin(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *table, gboolean write, guint32 perm, CatalogTableRef *ref,
                                  CatalogWork *work, AuthzFacts **facts_out, GError **error)
{
	work->conn = NULL;
	if (db == NULL || table == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return FALSE;
	}
	ref->cat = catalog_resolve(cat, catalog);
	ref->db = catalog_lower(db);
	ref->table = catalog_lower(table);
	if (!catalog_work_begin(cat, ctx, write, work, error))
		return FALSE;
	if (!catalog_authz_table(work, ctx, ref->cat, ref->db, ref->table, perm, facts_out, error))
		return catalog_work_end(work, FALSE, NULL);
	return TRUE;
}

/* One table: store code → catalog code. */
void catalog_error_from_store(GError *store_error, const char *what_not_found, const char *what_exists,
                              GError **error)
{
	if (store_error == NULL)
		return;
	CatalogErrorCode code = CATALOG_ERROR_INTERNAL;
	const char *msg = store_error->message;
	if (store_error->domain == STORE_ERROR) {
		switch ((StoreErrorCode)store_error->code) {
		case STORE_ERROR_UNIQUE:
			code = CATALOG_ERROR_ALREADY_EXISTS;
			if (what_exists)
				msg = what_exists;
			break;
		case STORE_ERROR_NOT_FOUND:
		case STORE_ERROR_FOREIGN_KEY:
			code = CATALOG_ERROR_NOT_FOUND;
			if (what_not_found)
				msg = what_not_found;
			break;
		case STORE_ERROR_CONFLICT:
		case STORE_ERROR_SERIALIZATION:
			code = CATALOG_ERROR_CONFLICT;
			break;
		case STORE_ERROR_UNAVAILABLE:
			code = CATALOG_ERROR_UNAVAILABLE;
			break;
		case STORE_ERROR_MIGRATION:
		case STORE_ERROR_INTERNAL:
		default:
			code = CATALOG_ERROR_INTERNAL;
			break;
		}
	}
	g_set_error_literal(error, CATALOG_ERROR, code, msg);
	g_error_free(store_error);
}

char *catalog_resolve(Catalog *cat, const char *catalog)
{
	if (catalog == NULL || *catalog == '\0')
		return g_strdup(cat->default_catalog);
	return g_ascii_strdown(catalog, -1);
}

char *catalog_lower(const char *name)
{
	return name ? g_ascii_strdown(name, -1) : NULL;
}

gint64 catalog_now(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* See internal.h: Hive's parameters belong to the Hive door's writes only. */
gboolean catalog_ctx_is_hive(const CatalogCtx *ctx)
{
	return ctx == NULL || ctx->door == NULL || strcmp(ctx->door, "thrift") == 0;
}

void catalog_doc_set_catalog(JsonObject *doc, const char *catalog)
{
	if (doc != NULL)
		json_object_set_string_member(doc, "CatalogName", catalog);
}

GPtrArray *catalog_docs_set_catalog(GPtrArray *arr, const char *catalog)
{
	for (guint i = 0; arr && i < arr->len; i++)
		catalog_doc_set_catalog(g_ptr_array_index(arr, i), catalog);
	return arr;
}

const char *catalog_json_str(JsonObject *obj, const char *member)
{
	if (obj == NULL || !json_object_has_member(obj, member))
		return NULL;
	JsonNode *n = json_object_get_member(obj, member);
	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

JsonObject *catalog_json_obj_ensure(JsonObject *obj, const char *member)
{
	JsonNode *n = json_object_get_member(obj, member);
	if (n != NULL && JSON_NODE_HOLDS_OBJECT(n))
		return json_node_get_object(n);
	JsonObject *child = json_object_new();
	json_object_set_object_member(obj, member, child);
	return child;
}

/* TRUE when a pooled connection answers; for getStatus and /healthz. */
gboolean catalog_ping(Catalog *cat, GError **error)
{
	CatalogCtx ctx = {.principal = "propolis"};
	CatalogWork work;
	if (!catalog_work_begin(cat, &ctx, FALSE, &work, error))
		return FALSE;
	GError *serr = NULL;
	g_autoptr(GPtrArray) names = store_database_list(work.conn, cat->default_catalog, "^default$", &serr);
	gboolean ok = names != NULL;
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, NULL);
}
