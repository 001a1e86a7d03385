/*
 * table_version.c — a table's versions (Glue GetTableVersions / GetTableVersion /
 * DeleteTableVersion / BatchDeleteTableVersion).
 *
 * Every alter writes a version (store/table.c); these read them back newest first, stamped
 * with the catalog name like every document the catalog returns, and delete old ones. The
 * current version is never deleted (DeleteTable is the way to remove a table): a request for
 * it fails for that item with INVALID_INPUT and changes nothing else.
 */
#include "catalog/internal.h"

/* Versions newest first; NOT_FOUND ("db.t table not found") for a missing table. */
GPtrArray *catalog_get_table_versions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                      const char *name, gint64 before, gint limit, GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	g_autoptr(AuthzFacts) facts = NULL;
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, name, FALSE, AUTHZ_DESCRIBE, &ref, &work, &facts, error))
		return NULL;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	GError *serr = NULL;
	GPtrArray *docs = store_table_versions(work.conn, catname, dbname, tname, before, limit, &serr);
	if (docs == NULL) {
		g_autofree char *msg = g_strdup_printf("%s.%s table not found", dbname, tname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	catalog_work_end(&work, docs != NULL, NULL);
	for (guint i = 0; docs && i < docs->len; i++)
		catalog_authz_trim_doc(facts, tname, NULL, g_ptr_array_index(docs, i));
	return catalog_docs_set_catalog(docs, catname);
}

/* One version; NOT_FOUND for a missing table or version. */
JsonObject *catalog_get_table_version(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                      const char *name, gint64 version, GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	g_autoptr(AuthzFacts) facts = NULL;
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, name, FALSE, AUTHZ_DESCRIBE, &ref, &work, &facts, error))
		return NULL;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	GError *serr = NULL;
	JsonObject *doc = store_table_version_get(work.conn, catname, dbname, tname, version, &serr);
	if (doc == NULL) {
		g_autofree char *msg = g_strdup_printf("Version %" G_GINT64_FORMAT " of %s.%s not found", version, dbname, tname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	catalog_work_end(&work, doc != NULL, NULL);
	catalog_authz_trim_doc(facts, tname, NULL, doc);
	catalog_doc_set_catalog(doc, catname);
	return doc;
}

/*
 * Deletes versions[0..n) of a table in one transaction (ALTER on the table). A missing table
 * fails the call (NOT_FOUND); each version that is current (INVALID_INPUT) or missing
 * (NOT_FOUND) gets its own error in item_errors[i] (caller-provided, n entries, NULL-initialised)
 * while the others are deleted. Returns FALSE only when the call itself failed.
 */
gboolean catalog_delete_table_versions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                       const char *name, const gint64 *versions, guint n, GError **item_errors,
                                       GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, name, TRUE, AUTHZ_ALTER, &ref, &work, NULL, error))
		return FALSE;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	GError *serr = NULL;
	gint64 current = 0;
	g_autoptr(GArray) deleted = NULL;
	if (!store_table_versions_delete(work.conn, catname, dbname, tname, versions, n, &current, &deleted, &serr)) {
		g_autofree char *msg = g_strdup_printf("Table %s not found.", tname);
		catalog_error_from_store(serr, msg, NULL, error);
		return catalog_work_end(&work, FALSE, NULL);
	}
	if (!catalog_work_end(&work, TRUE, error))
		return FALSE;
	for (guint i = 0; i < n; i++) {
		gboolean gone = FALSE;
		for (guint j = 0; j < deleted->len && !gone; j++)
			gone = g_array_index(deleted, gint64, j) == versions[i];
		if (gone)
			continue;
		if (versions[i] == current)
			g_set_error(&item_errors[i], CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			            "Cannot delete the current version %" G_GINT64_FORMAT " of table %s.%s; delete the table instead",
			            versions[i], dbname, tname);
		else
			g_set_error(&item_errors[i], CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND,
			            "Version %" G_GINT64_FORMAT " of table %s.%s not found.", versions[i], dbname, tname);
	}
	return TRUE;
}
