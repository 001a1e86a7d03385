/*
 * tags.c — Glue resource tags of databases, tables and connections, with their permissions.
 *
 * Glue authorizes TagResource and UntagResource with IAM; Propolis has no IAM, so tagging is
 * a change of the object and needs what changing it needs (ALTER on the database or table;
 * connections: CREATE_DATABASE, as every connection call), and GetTags needs the object
 * visible. The tags live in the object's row (store/tags.c) and go with it; at most
 * CATALOG_TAGS_MAX per object, checked in the writing transaction.
 */
#include "catalog/internal.h"

/* The caller's right to tag (perm AUTHZ_ALTER) or to read tags (AUTHZ_DESCRIBE) of obj. */
static gboolean tags_authorize(CatalogWork *work, const CatalogCtx *ctx, const StoreTagged *obj, guint32 perm,
                               GError **error)
{
	switch (obj->kind) {
	case STORE_TAGGED_DATABASE:
		return catalog_authz_database(work, ctx, obj->catalog, obj->db, perm, NULL, error);
	case STORE_TAGGED_TABLE:
		return catalog_authz_table(work, ctx, obj->catalog, obj->db, obj->name, perm, NULL, error);
	default:
		return catalog_authz_catalog(work, ctx, NULL, AUTHZ_CREATE_DATABASE, NULL, error);
	}
}

/* Writes the change and checks the limit; FALSE with the catalog's error. */
static gboolean tags_write(CatalogWork *work, const StoreTagged *obj, JsonObject *add, JsonArray *remove,
                           GError **error)
{
	guint count = 0;
	GError *serr = NULL;
	if (!store_tags_change(work->conn, obj, add, remove, &count, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (count > CATALOG_TAGS_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "A resource may have at most %d tags (this change would leave %u)", CATALOG_TAGS_MAX, count);
		return FALSE;
	}
	return TRUE;
}

/* See internal.h: the Tags of a Create* call, in its transaction. */
gboolean catalog_tags_put_new(CatalogWork *work, const StoreTagged *obj, JsonObject *tags, GError **error)
{
	if (tags == NULL || json_object_get_size(tags) == 0)
		return TRUE;
	return tags_write(work, obj, tags, NULL, error);
}

/* obj with the catalog resolved and names lower-cased (strings owned by *keep). */
static StoreTagged tags_resolve(Catalog *cat, const CatalogTagged *obj, char *keep[3])
{
	StoreTagged o = *obj;
	if (o.kind != STORE_TAGGED_CONNECTION) {
		o.catalog = keep[0] = catalog_resolve(cat, obj->catalog);
		o.db = keep[1] = catalog_lower(obj->db);
	}
	if (o.kind == STORE_TAGGED_TABLE)
		o.name = keep[2] = catalog_lower(obj->name);
	return o;
}

/* TagResource / UntagResource; see catalog.h. */
gboolean catalog_tags_change(Catalog *cat, const CatalogCtx *ctx, const CatalogTagged *obj, JsonObject *add,
                             JsonArray *remove, GError **error)
{
	char *keep[3] = {NULL, NULL, NULL};
	StoreTagged o = tags_resolve(cat, obj, keep);
	CatalogWork work;
	gboolean ok = catalog_work_begin(cat, ctx, TRUE, &work, error);
	if (ok) {
		ok = tags_authorize(&work, ctx, &o, AUTHZ_ALTER, error) && tags_write(&work, &o, add, remove, error);
		ok = catalog_work_end(&work, ok, ok ? error : NULL);
	}
	for (guint i = 0; i < G_N_ELEMENTS(keep); i++)
		g_free(keep[i]);
	return ok;
}

/* GetTags; see catalog.h. */
JsonObject *catalog_tags_get(Catalog *cat, const CatalogCtx *ctx, const CatalogTagged *obj, GError **error)
{
	char *keep[3] = {NULL, NULL, NULL};
	StoreTagged o = tags_resolve(cat, obj, keep);
	JsonObject *tags = NULL;
	CatalogWork work;
	if (catalog_work_begin(cat, ctx, FALSE, &work, error)) {
		if (tags_authorize(&work, ctx, &o, AUTHZ_DESCRIBE, error)) {
			GError *serr = NULL;
			tags = store_tags_get(work.conn, &o, &serr);
			if (tags == NULL) {
				catalog_error_from_store(serr, NULL, NULL, error);
			}
		}
		catalog_work_end(&work, tags != NULL, NULL);
	}
	for (guint i = 0; i < G_N_ELEMENTS(keep); i++)
		g_free(keep[i]);
	return tags;
}
