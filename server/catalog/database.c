/*
 * database.c — create, read, list, alter and drop databases with Hive's semantics.
 *
 * Invariants: names are stored lower-case; a database always has a LocationUri (the
 * warehouse root for `default`, `<warehouse>/<name>.db` otherwise, as Hive's Warehouse
 * does); the server sets CreateTime; `default` of the default catalog cannot be dropped.
 */
#include <string.h>

#include "catalog/internal.h"

/* Validates and fills a new database document in place. FALSE with INVALID_* on bad input. */
static gboolean database_normalise_new(Catalog *cat, const CatalogCtx *ctx, JsonObject *db, GError **error)
{
	const char *name = catalog_json_str(db, "Name");
	if (name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Null database name is not allowed");
		return FALSE;
	}
	if (!catalog_name_is_valid(name)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "%s is not a valid database name", name);
		return FALSE;
	}
	g_autofree char *lower = catalog_lower(name);
	json_object_set_string_member(db, "Name", lower);
	json_object_remove_member(db, "CatalogName");
	if (catalog_json_str(db, "LocationUri") == NULL || *catalog_json_str(db, "LocationUri") == '\0') {
		g_autofree char *loc = g_strdup_printf("%s/%s.db", cat->warehouse, lower);
		json_object_set_string_member(db, "LocationUri", loc);
	}
	if (!json_object_has_member(db, "Parameters"))
		json_object_set_object_member(db, "Parameters", json_object_new());
	json_object_set_int_member(db, "CreateTime", catalog_now());
	JsonObject *hive = catalog_json_obj_ensure(db, "Hive");
	if (catalog_json_str(hive, "OwnerName") == NULL) {
		json_object_set_string_member(hive, "OwnerName", ctx && ctx->principal ? ctx->principal : "anonymous");
		json_object_set_string_member(hive, "OwnerType", "USER");
	}
	return TRUE;
}

/* Creates a database; returns the stored document. ALREADY_EXISTS, INVALID_OBJECT, INVALID_INPUT. */
JsonObject *catalog_create_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, JsonObject *db,
                                    GError **error)
{
	if (!database_normalise_new(cat, ctx, db, error))
		return NULL;
	g_autofree char *catname = catalog_resolve(cat, catalog);
	const char *name = catalog_json_str(db, "Name");
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	g_autoptr(AuthzFacts) facts = NULL;
	if (!catalog_authz_catalog(&work, ctx, catname, AUTHZ_CREATE_DATABASE, &facts, error) ||
	    !catalog_authz_location(&work, ctx, facts, catalog_json_str(db, "LocationUri"), error) ||
	    !catalog_authz_set_actor(&work, facts, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GError *serr = NULL;
	gboolean ok = store_database_insert(work.conn, catname, db, &serr);
	if (!ok) {
		g_autofree char *exists = g_strdup_printf("Database %s already exists", name);
		g_autofree char *nocat = g_strdup_printf("Catalog %s does not exist", catname);
		catalog_error_from_store(serr, nocat, exists, error);
		/* Hive's create_database turns the missing catalog into InvalidObjectException */
		if (error && *error && (*error)->code == CATALOG_ERROR_NOT_FOUND)
			(*error)->code = CATALOG_ERROR_INVALID_OBJECT;
	}
	ok = ok && catalog_notify_create_database(&work, catname, db, error);
	if (!catalog_work_end(&work, ok, error))
		return NULL;
	catalog_doc_set_catalog(db, catname);
	return json_object_ref(db);
}

/* The database document, or NULL with NOT_FOUND ("Database <name> not found"). */
JsonObject *catalog_get_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name,
                                 GError **error)
{
	if (name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database name cannot be null.");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *lower = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	/* Read first, with the grants epoch: a found database is checked against cached facts. */
	GError *serr = NULL;
	gint64 epoch = 0;
	JsonObject *db = store_database_get_epoch(work.conn, catname, lower, &epoch, &serr);
	if (db != NULL) {
		if (!catalog_authz_database_found(&work, ctx, catname, lower, AUTHZ_DESCRIBE, epoch, error))
			g_clear_pointer(&db, json_object_unref);
	} else if (serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND) {
		/* missing: NOT_FOUND only to a caller who may create databases (else ACCESS_DENIED) */
		g_clear_error(&serr);
		if (catalog_authz_database(&work, ctx, catname, lower, AUTHZ_DESCRIBE, NULL, error))
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Database %s not found", lower);
	} else {
		catalog_error_from_store(serr, NULL, NULL, error);
	}
	catalog_work_end(&work, db != NULL, NULL);
	catalog_doc_set_catalog(db, catname);
	return db;
}

/* Sorted names (char*) of databases matching a Hive pattern (NULL = all). */
GPtrArray *catalog_list_databases(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *pattern,
                                  GError **error)
{
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *regex = catalog_pattern_to_regex(pattern);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	GPtrArray *names = store_database_list(work.conn, catname, regex, &serr);
	if (names == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else if (!catalog_authz_filter_databases(&work, ctx, catname, names, NULL, error))
		g_clear_pointer(&names, g_ptr_array_unref);
	catalog_work_end(&work, names != NULL, NULL);
	return names;
}

/*
 * Replaces a database's description, location, parameters and owner. The name and
 * CreateTime stay. Missing database: INVALID_INPUT with Hive's "Could not alter database" text.
 */
gboolean catalog_alter_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name,
                                JsonObject *db, GError **error)
{
	if (name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database name cannot be null.");
		return FALSE;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *lower = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	g_autoptr(AuthzFacts) facts = NULL;
	if (!catalog_authz_database(&work, ctx, catname, lower, AUTHZ_ALTER, &facts, error) ||
	    !catalog_authz_location(&work, ctx, facts, catalog_json_str(db, "LocationUri"), error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	g_autoptr(JsonObject) old = store_database_get(work.conn, catname, lower, TRUE, &serr);
	gboolean ok = old != NULL;
	if (!ok) {
		if (serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND) {
			g_clear_error(&serr);
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			            "Could not alter database \"%s\". Could not retrieve old definition.", lower);
		} else {
			catalog_error_from_store(serr, NULL, NULL, error);
		}
	}
	if (ok) {
		json_object_set_string_member(db, "Name", lower);
		json_object_remove_member(db, "CatalogName");
		if (!json_object_has_member(db, "CreateTime") && json_object_has_member(old, "CreateTime"))
			json_object_set_int_member(db, "CreateTime", json_object_get_int_member(old, "CreateTime"));
		const char *loc = catalog_json_str(db, "LocationUri");
		if (loc == NULL || *loc == '\0')
			json_object_set_string_member(db, "LocationUri", catalog_json_str(old, "LocationUri"));
		if (!json_object_has_member(db, "Parameters"))
			json_object_set_object_member(db, "Parameters", json_object_new());
		ok = store_database_update(work.conn, catname, lower, db, &serr);
		if (!ok)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	ok = ok && catalog_notify_alter_database(&work, catname, old, db, error);
	return catalog_work_end(&work, ok, error);
}

/* DROP_FUNCTION and DROP_TABLE events for what a cascading drop of db removed (NULL = nothing). */
static gboolean db_notify_cascade(CatalogWork *work, const char *catname, const char *db, GPtrArray *functions,
                                  GPtrArray *tables, GError **error)
{
	for (guint i = 0; functions && i < functions->len; i++) {
		const char *fname = catalog_json_str(g_ptr_array_index(functions, i), "FunctionName");
		if (fname && !catalog_notify_drop_function(work, catname, db, fname, error))
			return FALSE;
	}
	for (guint i = 0; tables && i < tables->len; i++) {
		JsonObject *t = g_ptr_array_index(tables, i);
		if (!json_object_has_member(t, "DatabaseName"))
			json_object_set_string_member(t, "DatabaseName", db);
		catalog_doc_set_catalog(t, catname);
		if (!catalog_notify_drop_table(work, catname, t, error))
			return FALSE;
	}
	return TRUE;
}

/*
 * Drops a database. Refuses `default` of the default catalog (INVALID_INPUT, Hive's text) and
 * a non-empty one without cascade (INVALID_OPERATION); cascade removes tables, partitions and
 * functions in the same transaction, with a DROP_FUNCTION / DROP_TABLE event for each before
 * DROP_DATABASE, as Hive fires them. Missing: NOT_FOUND unless if_exists.
 */
gboolean catalog_drop_database(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *name,
                               gboolean cascade, gboolean if_exists, GError **error)
{
	if (name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database name cannot be null.");
		return FALSE;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *lower = catalog_lower(name);
	if (strcmp(lower, "default") == 0 && strcmp(catname, cat->default_catalog) == 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Can not drop default database in catalog %s",
		            catname);
		return FALSE;
	}
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_authz_database(&work, ctx, catname, lower, AUTHZ_DROP, NULL, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	g_autoptr(JsonObject) old = store_database_get(work.conn, catname, lower, TRUE, &serr);
	gboolean ok = old != NULL;
	if (!ok) {
		gboolean missing = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND;
		if (missing && if_exists) {
			g_clear_error(&serr);
			return catalog_work_end(&work, TRUE, error);
		}
		g_autofree char *msg = g_strdup_printf("Database %s not found", lower);
		catalog_error_from_store(serr, msg, NULL, error);
		return catalog_work_end(&work, FALSE, NULL);
	}
	if (!cascade) {
		gint64 tables = 0, functions = 0;
		ok = store_database_count_children(work.conn, catname, lower, &tables, &functions, &serr);
		if (!ok) {
			catalog_error_from_store(serr, NULL, NULL, error);
		} else if (tables > 0 || functions > 0) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION,
			            "Database %s is not empty. One or more %s exist.", lower, tables > 0 ? "tables" : "functions");
			ok = FALSE;
		}
	}
	/* what a cascade removes, read before it goes: Hive fires their drop events first */
	g_autoptr(GPtrArray) functions = NULL, tables = NULL;
	if (ok && cascade) {
		functions = store_function_list(work.conn, catname, lower, NULL, &serr);
		tables = functions ? store_table_list(work.conn, catname, lower, NULL, NULL, TRUE, &serr) : NULL;
		ok = tables != NULL;
		if (!ok)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	if (ok) {
		ok = store_database_delete(work.conn, catname, lower, &serr);
		if (!ok) {
			g_autofree char *msg = g_strdup_printf("Database %s not found", lower);
			catalog_error_from_store(serr, msg, NULL, error);
		}
	}
	ok = ok && db_notify_cascade(&work, catname, lower, functions, tables, error);
	ok = ok && catalog_notify_drop_database(&work, catname, old, error);
	return catalog_work_end(&work, ok, error);
}
