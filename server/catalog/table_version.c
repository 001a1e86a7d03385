/*
 * table_version.c — reading a table's versions (Glue GetTableVersions / GetTableVersion).
 *
 * Every alter writes a version (store/table.c); these read them back newest first, stamped
 * with the catalog name like every document the catalog returns.
 */
#include "catalog/internal.h"

/* Versions newest first; NOT_FOUND ("db.t table not found") for a missing table. */
GPtrArray *catalog_get_table_versions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                      const char *name, gint64 before, gint limit, GError **error)
{
	if (db == NULL || name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *tname = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	GPtrArray *docs = store_table_versions(work.conn, catname, dbname, tname, before, limit, &serr);
	if (docs == NULL) {
		g_autofree char *msg = g_strdup_printf("%s.%s table not found", dbname, tname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	catalog_work_end(&work, docs != NULL, NULL);
	return catalog_docs_set_catalog(docs, catname);
}

/* One version; NOT_FOUND for a missing table or version. */
JsonObject *catalog_get_table_version(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                      const char *name, gint64 version, GError **error)
{
	if (db == NULL || name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *tname = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	JsonObject *doc = store_table_version_get(work.conn, catname, dbname, tname, version, &serr);
	if (doc == NULL) {
		g_autofree char *msg = g_strdup_printf("Version %" G_GINT64_FORMAT " of %s.%s not found", version, dbname, tname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	catalog_work_end(&work, doc != NULL, NULL);
	catalog_doc_set_catalog(doc, catname);
	return doc;
}
