/*
 * function.c — user-defined functions (Hive's Function, Glue's UserDefinedFunction).
 *
 * Invariants: FunctionName and DatabaseName are stored lower-case; the server sets
 * CreateTime at create, as Hive's create_function does; a function lives in an existing
 * database and disappears with it.
 */
#include <string.h>

#include "catalog/internal.h"

/* Validates and lower-cases the names of a function document. */
static gboolean function_validate(JsonObject *fn, GError **error)
{
	const char *name = catalog_json_str(fn, "FunctionName");
	const char *db = catalog_json_str(fn, "DatabaseName");
	if (db == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Null database name is not allowed");
		return FALSE;
	}
	if (name == NULL || !catalog_name_is_valid(name)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "%s is not a valid object name",
		            name ? name : "null");
		return FALSE;
	}
	if (catalog_json_str(fn, "ClassName") == NULL || *catalog_json_str(fn, "ClassName") == '\0') {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "Function %s has no class name", name);
		return FALSE;
	}
	g_autofree char *lname = catalog_lower(name);
	g_autofree char *ldb = catalog_lower(db);
	json_object_set_string_member(fn, "FunctionName", lname);
	json_object_set_string_member(fn, "DatabaseName", ldb);
	json_object_remove_member(fn, "CatalogName");
	if (!json_object_has_member(fn, "ResourceUris"))
		json_object_set_array_member(fn, "ResourceUris", json_array_new());
	return TRUE;
}

/* Creates a function; NOT_FOUND for a missing database, ALREADY_EXISTS for a taken name. */
JsonObject *catalog_create_function(Catalog *cat, const CatalogCtx *ctx, const char *catalog, JsonObject *fn,
                                    GError **error)
{
	if (!function_validate(fn, error))
		return NULL;
	json_object_set_int_member(fn, "CreateTime", catalog_now());
	g_autofree char *catname = catalog_resolve(cat, catalog);
	const char *db = catalog_json_str(fn, "DatabaseName");
	const char *name = catalog_json_str(fn, "FunctionName");
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	if (!catalog_authz_database(&work, ctx, catname, db, AUTHZ_ALTER, NULL, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GError *serr = NULL;
	gboolean ok = store_function_insert(work.conn, catname, db, fn, &serr);
	if (!ok) {
		g_autofree char *missing = g_strdup_printf("The database %s does not exist", db);
		g_autofree char *exists = g_strdup_printf("Function %s already exists", name);
		catalog_error_from_store(serr, missing, exists, error);
	}
	ok = ok && catalog_notify_create_function(&work, catname, fn, error);
	if (!catalog_work_end(&work, ok, error))
		return NULL;
	catalog_doc_set_catalog(fn, catname);
	return json_object_ref(fn);
}

/* The function document, or NULL with NOT_FOUND. */
JsonObject *catalog_get_function(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                 const char *name, GError **error)
{
	if (db == NULL || name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or function name cannot be null.");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *ldb = catalog_lower(db);
	g_autofree char *lname = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	if (!catalog_authz_database(&work, ctx, catname, ldb, AUTHZ_DESCRIBE, NULL, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GError *serr = NULL;
	JsonObject *fn = store_function_get(work.conn, catname, ldb, lname, &serr);
	if (fn == NULL) {
		g_autofree char *msg = g_strdup_printf("Function @%s#%s.%s does not exist", catname, ldb, lname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	catalog_work_end(&work, fn != NULL, NULL);
	catalog_doc_set_catalog(fn, catname);
	return fn;
}

/* Replaces (and may rename) a function; a missing one is INVALID_INPUT as Hive's MetaException. */
gboolean catalog_alter_function(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                const char *name, JsonObject *fn, GError **error)
{
	if (db == NULL || name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or function name cannot be null.");
		return FALSE;
	}
	if (!function_validate(fn, error))
		return FALSE;
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *ldb = catalog_lower(db);
	g_autofree char *lname = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_authz_database(&work, ctx, catname, ldb, AUTHZ_ALTER, NULL, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	g_autoptr(JsonObject) old = store_function_get(work.conn, catname, ldb, lname, &serr);
	gboolean ok = old != NULL;
	if (!ok) {
		g_autofree char *msg = g_strdup_printf("function %s doesn't exist", lname);
		catalog_error_from_store(serr, msg, NULL, error);
		if (error && *error && (*error)->code == CATALOG_ERROR_NOT_FOUND)
			(*error)->code = CATALOG_ERROR_INVALID_INPUT;
	}
	if (ok) {
		if (!json_object_has_member(fn, "CreateTime") && json_object_has_member(old, "CreateTime"))
			json_object_set_int_member(fn, "CreateTime", json_object_get_int_member(old, "CreateTime"));
		ok = store_function_update(work.conn, catname, ldb, lname, fn, &serr);
		if (!ok) {
			g_autofree char *exists = g_strdup_printf("Function %s already exists", catalog_json_str(fn, "FunctionName"));
			catalog_error_from_store(serr, NULL, exists, error);
		}
	}
	return catalog_work_end(&work, ok, error);
}

/* Drops a function; NOT_FOUND if it does not exist. */
gboolean catalog_drop_function(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                               const char *name, GError **error)
{
	if (db == NULL || name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or function name cannot be null.");
		return FALSE;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *ldb = catalog_lower(db);
	g_autofree char *lname = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_authz_database(&work, ctx, catname, ldb, AUTHZ_ALTER, NULL, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	gboolean ok = store_function_delete(work.conn, catname, ldb, lname, &serr);
	if (!ok) {
		g_autofree char *msg = g_strdup_printf("Function %s.%s does not exist", ldb, lname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	ok = ok && catalog_notify_drop_function(&work, catname, ldb, lname, error);
	return catalog_work_end(&work, ok, error);
}

/* Function documents of db (NULL = all databases) matching a Hive pattern. */
GPtrArray *catalog_list_functions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *pattern, GError **error)
{
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *ldb = catalog_lower(db);
	g_autofree char *regex = catalog_pattern_to_regex(pattern);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	GPtrArray *fns = store_function_list(work.conn, catname, ldb, regex, &serr);
	if (fns == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else if (!catalog_authz_filter_databases(&work, ctx, catname, fns, "DatabaseName", error))
		g_clear_pointer(&fns, g_ptr_array_unref);
	catalog_work_end(&work, fns != NULL, NULL);
	return catalog_docs_set_catalog(fns, catname);
}
