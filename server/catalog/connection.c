/*
 * connection.c — Glue connections and catalog settings, each call one unit of work.
 *
 * The catalog stamps server times (CreationTime on create and kept on update,
 * LastUpdatedTime always) and moves the sealed secret text through untouched: sealing and
 * opening are auth/'s job, so a password never exists here in clear.
 *
 * Connections are catalog-level objects (Lake Formation has no resource for them): using or
 * managing one needs CREATE_DATABASE on the default catalog, as data lake administrators and,
 * under Lake Formation's defaults, IAM_ALLOWED_PRINCIPALS hold it. Catalog settings (encryption)
 * are changed by data lake administrators only.
 */
#include "catalog/internal.h"

/* Creates a connection; ALREADY_EXISTS when the name is taken. */
gboolean catalog_create_connection(Catalog *cat, const CatalogCtx *ctx, JsonObject *doc, GError **error)
{
	return catalog_create_connection_tagged(cat, ctx, doc, NULL, error);
}

/* create_connection, with Glue's Tags set in the same transaction. */
gboolean catalog_create_connection_tagged(Catalog *cat, const CatalogCtx *ctx, JsonObject *doc, JsonObject *tags,
                                          GError **error)
{
	const char *name = catalog_json_str(doc, "Name");
	g_return_val_if_fail(name != NULL, FALSE);
	if (!catalog_doc_check_text(doc, error))
		return FALSE;
	gint64 now = catalog_now();
	json_object_set_int_member(doc, "CreationTime", now);
	json_object_set_int_member(doc, "LastUpdatedTime", now);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_authz_catalog(&work, ctx, NULL, AUTHZ_CREATE_DATABASE, NULL, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	gboolean ok = store_connection_insert(work.conn, name, doc, &serr);
	if (!ok) {
		g_autofree char *exists = g_strdup_printf("Connection %s already exists.", name);
		catalog_error_from_store(serr, NULL, exists, error);
	}
	StoreTagged tagged = {STORE_TAGGED_CONNECTION, NULL, NULL, name};
	ok = ok && catalog_tags_put_new(&work, &tagged, tags, error);
	return catalog_work_end(&work, ok, error);
}

/* One connection; NOT_FOUND when missing. */
JsonObject *catalog_get_connection(Catalog *cat, const CatalogCtx *ctx, const char *name, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	if (!catalog_authz_catalog(&work, ctx, NULL, AUTHZ_CREATE_DATABASE, NULL, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GError *serr = NULL;
	JsonObject *doc = store_connection_get(work.conn, name, &serr);
	if (doc == NULL) {
		g_autofree char *missing = g_strdup_printf("Connection %s not found.", name);
		catalog_error_from_store(serr, missing, NULL, error);
	}
	catalog_work_end(&work, doc != NULL, NULL);
	return doc;
}

/* Every connection by name. */
GPtrArray *catalog_list_connections(Catalog *cat, const CatalogCtx *ctx, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	if (!catalog_authz_catalog(&work, ctx, NULL, AUTHZ_CREATE_DATABASE, NULL, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GError *serr = NULL;
	GPtrArray *docs = store_connection_list(work.conn, &serr);
	if (docs == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, docs != NULL, NULL);
	return docs;
}

/* Replaces a connection, keeping its CreationTime. */
gboolean catalog_update_connection(Catalog *cat, const CatalogCtx *ctx, const char *name, JsonObject *doc,
                                   GError **error)
{
	const char *new_name = catalog_json_str(doc, "Name");
	g_return_val_if_fail(new_name != NULL, FALSE);
	if (!catalog_doc_check_text(doc, error))
		return FALSE;
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_authz_catalog(&work, ctx, NULL, AUTHZ_CREATE_DATABASE, NULL, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	g_autoptr(JsonObject) old = store_connection_get(work.conn, name, &serr);
	gboolean ok = old != NULL;
	if (ok) {
		if (json_object_has_member(old, "CreationTime"))
			json_object_set_int_member(doc, "CreationTime", json_object_get_int_member(old, "CreationTime"));
		json_object_set_int_member(doc, "LastUpdatedTime", catalog_now());
		ok = store_connection_update(work.conn, name, new_name, doc, &serr);
	}
	if (!ok) {
		g_autofree char *missing = g_strdup_printf("Connection %s not found.", name);
		g_autofree char *exists = g_strdup_printf("Connection %s already exists.", new_name);
		catalog_error_from_store(serr, missing, exists, error);
	}
	return catalog_work_end(&work, ok, error);
}

/* Deletes a connection; NOT_FOUND when missing. */
gboolean catalog_delete_connection(Catalog *cat, const CatalogCtx *ctx, const char *name, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_authz_catalog(&work, ctx, NULL, AUTHZ_CREATE_DATABASE, NULL, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	gboolean ok = store_connection_delete(work.conn, name, &serr);
	if (!ok) {
		g_autofree char *missing = g_strdup_printf("Connection %s not found.", name);
		catalog_error_from_store(serr, missing, NULL, error);
	}
	return catalog_work_end(&work, ok, error);
}

/* A settings document, or NULL without error when never set (or with ACCESS_DENIED: see catalog.h). */
JsonObject *catalog_get_setting(Catalog *cat, const CatalogCtx *ctx, const char *name, gboolean for_caller,
                                GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	if (for_caller && !catalog_admin_read_require(&work, ctx, "catalog settings", error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GError *serr = NULL;
	JsonObject *doc = store_setting_get(work.conn, name, &serr);
	if (serr != NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, serr == NULL, NULL);
	return doc;
}

/* Stores a settings document. */
gboolean catalog_put_setting(Catalog *cat, const CatalogCtx *ctx, const char *name, JsonObject *doc, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_admin_require(&work, ctx, "catalog settings", error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	gboolean ok = store_setting_put(work.conn, name, doc, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}
