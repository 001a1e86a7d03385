/*
 * function.c — user-defined functions: one row per function, the Glue UserDefinedFunction
 * document in doc, unique by (database, name).
 *
 * Runs in the caller's transaction with named prepared statements; a rename is an update of
 * the row's name (FunctionName in the new document).
 */
#include "store/store_internal.h"

#define FN_JOIN                                                                                                        \
	" FROM functions f JOIN databases d ON d.id = f.database_id JOIN catalogs c ON c.id = d.catalog_id"                \
	" WHERE c.name = $1 AND d.name = $2 AND f.name = $3"

/* Sets STORE_ERROR_NOT_FOUND for a missing function. */
static void function_not_found(const char *catalog, const char *db, const char *name, GError **error)
{
	g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "function %s.%s.%s not found", catalog, db, name);
}

/* Inserts a function; NOT_FOUND if the database is missing, UNIQUE if the name is taken. */
gboolean store_function_insert(StoreConn *conn, const char *catalog, const char *db, JsonObject *fn, GError **error)
{
	static const char sql[] = "INSERT INTO functions (database_id, name, doc) SELECT d.id, $3, $4::jsonb"
	                          " FROM databases d JOIN catalogs c ON c.id = d.catalog_id"
	                          " WHERE c.name = $1 AND d.name = $2 RETURNING id";
	const char *name = store_json_string(fn, "FunctionName", NULL);
	g_return_val_if_fail(name != NULL, FALSE);
	g_autofree char *doc = store_json_text(fn, NULL);
	const char *params[] = {catalog, db, name, doc};
	g_autoptr(PGresult) res = store_exec(conn, "function_insert", sql, 4, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "database %s.%s not found", catalog, db);
		return FALSE;
	}
	return TRUE;
}

/* The function's document; NOT_FOUND if missing. */
JsonObject *store_function_get(StoreConn *conn, const char *catalog, const char *db, const char *name,
                               GError **error)
{
	static const char sql[] = "SELECT f.doc::text" FN_JOIN;
	const char *params[] = {catalog, db, name};
	g_autoptr(PGresult) res = store_exec(conn, "function_get", sql, 3, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		function_not_found(catalog, db, name, error);
		return NULL;
	}
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/* Replaces the document and the name (FunctionName); NOT_FOUND / UNIQUE. */
gboolean store_function_update(StoreConn *conn, const char *catalog, const char *db, const char *name,
                               JsonObject *fn, GError **error)
{
	static const char sql[] = "UPDATE functions f SET name = $4, doc = $5::jsonb FROM databases d, catalogs c"
	                          " WHERE d.id = f.database_id AND c.id = d.catalog_id"
	                          " AND c.name = $1 AND d.name = $2 AND f.name = $3 RETURNING f.id";
	g_autofree char *doc = store_json_text(fn, NULL);
	const char *params[] = {catalog, db, name, store_json_string(fn, "FunctionName", name), doc};
	g_autoptr(PGresult) res = store_exec(conn, "function_update", sql, 5, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		function_not_found(catalog, db, name, error);
		return FALSE;
	}
	return TRUE;
}

/* Deletes a function; NOT_FOUND if missing. */
gboolean store_function_delete(StoreConn *conn, const char *catalog, const char *db, const char *name,
                               GError **error)
{
	static const char sql[] = "DELETE FROM functions f USING databases d, catalogs c"
	                          " WHERE d.id = f.database_id AND c.id = d.catalog_id"
	                          " AND c.name = $1 AND d.name = $2 AND f.name = $3 RETURNING f.id";
	const char *params[] = {catalog, db, name};
	g_autoptr(PGresult) res = store_exec(conn, "function_delete", sql, 3, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		function_not_found(catalog, db, name, error);
		return FALSE;
	}
	return TRUE;
}

/* Documents of matching functions, sorted by database then name. */
GPtrArray *store_function_list(StoreConn *conn, const char *catalog, const char *db, const char *regex,
                               GError **error)
{
	static const char sql[] = "SELECT f.doc::text FROM functions f JOIN databases d ON d.id = f.database_id"
	                          " JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = $1"
	                          " AND ($2::text IS NULL OR d.name = $2) AND ($3::text IS NULL OR f.name ~* $3)"
	                          " ORDER BY d.name, f.name";
	const char *params[] = {catalog, db, regex};
	g_autoptr(PGresult) res = store_exec(conn, "function_list", sql, 3, params, error);
	if (res == NULL)
		return NULL;
	g_autoptr(GPtrArray) docs = g_ptr_array_new_full(PQntuples(res), (GDestroyNotify)json_object_unref);
	for (int r = 0; r < PQntuples(res); r++) {
		JsonObject *doc = store_json_parse_object(PQgetvalue(res, r, 0), error);
		if (doc == NULL)
			return NULL;
		g_ptr_array_add(docs, doc);
	}
	return g_steal_pointer(&docs);
}
