/*
 * hive_catalog.c — Hive 3+ catalogs: the namespace above databases, and the store's own id.
 *
 * A catalog is one row of `catalogs` (migration 0001) with Hive's Catalog as its document
 * {"Description","LocationUri","CreateTime"}; the configured default catalog (`hive`) predates
 * the document and is described from the configuration. Creating a catalog creates its
 * `default` database in the same transaction, as Hive's HMSHandler.create_catalog does;
 * dropping one is refused while it holds any database but an empty `default`. Creating,
 * altering and dropping catalogs is for data lake administrators; every caller may read them
 * (a catalog name and location are not data; its databases stay filtered by grants).
 */
#include <string.h>

#include "catalog/internal.h"

/* The document a door sees: Name, Description, LocationUri, CreateTime (default filled). */
static JsonObject *hive_catalog_doc(Catalog *cat, const char *name, JsonObject *stored)
{
	JsonObject *doc = json_object_new();
	json_object_set_string_member(doc, "Name", name);
	const char *desc = catalog_json_str(stored, "Description");
	const char *loc = catalog_json_str(stored, "LocationUri");
	gboolean is_default = strcmp(name, cat->default_catalog) == 0;
	if (desc)
		json_object_set_string_member(doc, "Description", desc);
	else if (is_default)
		json_object_set_string_member(doc, "Description", "Default catalog for Hive");
	json_object_set_string_member(doc, "LocationUri", loc ? loc : cat->warehouse);
	if (json_object_has_member(stored, "CreateTime"))
		json_object_set_int_member(doc, "CreateTime", json_object_get_int_member(stored, "CreateTime"));
	return doc;
}

/* Validates a catalog document's name and location in place (name lower-cased). */
static gboolean hive_catalog_check(JsonObject *doc, GError **error)
{
	const char *name = catalog_json_str(doc, "Name");
	if (name == NULL || *name == '\0') {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "Catalog name cannot be null.");
		return FALSE;
	}
	if (!catalog_name_is_valid(name)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "%s is not a valid catalog name", name);
		return FALSE;
	}
	const char *loc = catalog_json_str(doc, "LocationUri");
	if (loc == NULL || *loc == '\0') {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT,
		                    "You must specify a path for the catalog");
		return FALSE;
	}
	g_autofree char *lower = catalog_lower(name);
	json_object_set_string_member(doc, "Name", lower);
	return TRUE;
}

/* The `default` database Hive creates in every new catalog, located at the catalog's root. */
static JsonObject *hive_catalog_default_db(const char *name, const char *location)
{
	JsonObject *db = json_object_new();
	json_object_set_string_member(db, "Name", "default");
	g_autofree char *desc = g_strdup_printf("Default database for catalog %s", name);
	json_object_set_string_member(db, "Description", desc);
	json_object_set_string_member(db, "LocationUri", location);
	json_object_set_object_member(db, "Parameters", json_object_new());
	json_object_set_int_member(db, "CreateTime", catalog_now());
	JsonObject *hive = json_object_new();
	json_object_set_string_member(hive, "OwnerName", "public");
	json_object_set_string_member(hive, "OwnerType", "ROLE");
	json_object_set_object_member(db, "Hive", hive);
	return db;
}

/* Creates a catalog and its `default` database. ALREADY_EXISTS, INVALID_OBJECT, ACCESS_DENIED. */
gboolean catalog_create_catalog(Catalog *cat, const CatalogCtx *ctx, JsonObject *doc, GError **error)
{
	if (!hive_catalog_check(doc, error))
		return FALSE;
	const char *name = catalog_json_str(doc, "Name");
	g_autofree char *resource = g_strdup_printf("catalog %s", name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_admin_require(&work, ctx, resource, error))
		return catalog_work_end(&work, FALSE, NULL);
	g_autoptr(JsonObject) stored = json_object_new();
	if (catalog_json_str(doc, "Description"))
		json_object_set_string_member(stored, "Description", catalog_json_str(doc, "Description"));
	json_object_set_string_member(stored, "LocationUri", catalog_json_str(doc, "LocationUri"));
	json_object_set_int_member(stored, "CreateTime", catalog_now());
	GError *serr = NULL;
	g_autoptr(JsonObject) db = hive_catalog_default_db(name, catalog_json_str(doc, "LocationUri"));
	gboolean ok = store_catalog_insert(work.conn, name, stored, &serr) &&
	              store_database_insert(work.conn, name, db, &serr);
	if (!ok) {
		g_autofree char *exists = g_strdup_printf("Catalog %s already exists", name);
		catalog_error_from_store(serr, NULL, exists, error);
	}
	ok = ok && catalog_notify_create_database(&work, name, db, error);
	return catalog_work_end(&work, ok, error);
}

/* NOT_FOUND "No catalog <name>" from a store NOT_FOUND, else the store error. Consumes serr. */
static void hive_catalog_error(GError *serr, const char *name, GError **error)
{
	g_autofree char *missing = g_strdup_printf("No catalog %s", name);
	catalog_error_from_store(serr, missing, NULL, error);
}

/* The catalog's document (Name, Description?, LocationUri, CreateTime?); NOT_FOUND "No catalog <n>". */
JsonObject *catalog_get_catalog(Catalog *cat, const CatalogCtx *ctx, const char *name, GError **error)
{
	if (name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Catalog name cannot be null.");
		return NULL;
	}
	g_autofree char *lower = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	g_autoptr(JsonObject) stored = store_catalog_get(work.conn, lower, &serr);
	if (stored == NULL)
		hive_catalog_error(serr, lower, error);
	catalog_work_end(&work, stored != NULL, NULL);
	return stored ? hive_catalog_doc(cat, lower, stored) : NULL;
}

/* Sorted names (char*) of every catalog. */
GPtrArray *catalog_list_catalogs(Catalog *cat, const CatalogCtx *ctx, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	GPtrArray *names = store_catalog_list(work.conn, &serr);
	if (names == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, names != NULL, NULL);
	return names;
}

/*
 * Replaces a catalog's description and location (Hive allows nothing else): a new name is
 * INVALID_OPERATION "You cannot change a catalog's name", a missing catalog NOT_FOUND.
 */
gboolean catalog_alter_catalog(Catalog *cat, const CatalogCtx *ctx, const char *name, JsonObject *doc,
                               GError **error)
{
	if (name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Catalog name cannot be null.");
		return FALSE;
	}
	g_autofree char *lower = catalog_lower(name);
	const char *new_name = catalog_json_str(doc, "Name");
	if (new_name && *new_name && g_ascii_strcasecmp(new_name, lower) != 0) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION,
		                    "You cannot change a catalog's name");
		return FALSE;
	}
	g_autofree char *resource = g_strdup_printf("catalog %s", lower);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_admin_require(&work, ctx, resource, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	g_autoptr(JsonObject) stored = store_catalog_get(work.conn, lower, &serr);
	gboolean ok = stored != NULL;
	if (ok) {
		const char *desc = catalog_json_str(doc, "Description");
		const char *loc = catalog_json_str(doc, "LocationUri");
		if (desc)
			json_object_set_string_member(stored, "Description", desc);
		if (loc && *loc)
			json_object_set_string_member(stored, "LocationUri", loc);
		ok = store_catalog_update(work.conn, lower, stored, &serr);
	}
	if (!ok)
		hive_catalog_error(serr, lower, error);
	return catalog_work_end(&work, ok, error);
}

/* INVALID_OPERATION unless the catalog holds nothing but an empty `default` database. */
static gboolean hive_catalog_check_empty(CatalogWork *work, const char *name, GError **error)
{
	GError *serr = NULL;
	g_autoptr(GPtrArray) dbs = store_database_list(work->conn, name, NULL, &serr);
	if (dbs == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	for (guint i = 0; i < dbs->len; i++) {
		const char *db = g_ptr_array_index(dbs, i);
		gint64 tables = 0, functions = 0;
		if (strcmp(db, "default") != 0) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION,
			            "There are non-default databases in the catalog %s so it cannot be dropped.", name);
			return FALSE;
		}
		if (!store_database_count_children(work->conn, name, db, &tables, &functions, &serr)) {
			catalog_error_from_store(serr, NULL, NULL, error);
			return FALSE;
		}
		if (tables > 0 || functions > 0) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION,
			            "Database default is not empty. One or more %s exist.", tables > 0 ? "tables" : "functions");
			return FALSE;
		}
	}
	return TRUE;
}

/*
 * Drops a catalog holding at most an empty `default` database (which goes with it). The
 * default catalog cannot be dropped (INVALID_INPUT, Hive's MetaException text).
 */
gboolean catalog_drop_catalog(Catalog *cat, const CatalogCtx *ctx, const char *name, GError **error)
{
	if (name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Catalog name cannot be null.");
		return FALSE;
	}
	g_autofree char *lower = catalog_lower(name);
	if (strcmp(lower, cat->default_catalog) == 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Can not drop %s catalog", lower);
		return FALSE;
	}
	g_autofree char *resource = g_strdup_printf("catalog %s", lower);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_admin_require(&work, ctx, resource, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	g_autoptr(JsonObject) stored = store_catalog_get(work.conn, lower, &serr);
	if (stored == NULL) {
		hive_catalog_error(serr, lower, error);
		return catalog_work_end(&work, FALSE, NULL);
	}
	if (!hive_catalog_check_empty(&work, lower, error))
		return catalog_work_end(&work, FALSE, NULL);
	gboolean ok = store_catalog_delete(work.conn, lower, &serr);
	if (!ok)
		hive_catalog_error(serr, lower, error);
	return catalog_work_end(&work, ok, error);
}

/* The store's stable id (get_metastore_db_uuid), new string. */
char *catalog_metastore_uuid(Catalog *cat, const CatalogCtx *ctx, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	char *uuid = store_metastore_uuid(work.conn, &serr);
	if (uuid == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, uuid != NULL, NULL);
	return uuid;
}
