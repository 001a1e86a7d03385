/*
 * database.c — catalogs and databases: one row each, the Glue Database document in doc.
 *
 * Every function runs inside the caller's transaction on the caller's connection, with
 * named prepared statements. A database is found by (catalog name, database name); deleting
 * its row removes its tables, versions, constraints, partitions and functions by cascade.
 */
#include "store/store_internal.h"

#define DB_JOIN " FROM databases d JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = $1 AND d.name = $2"

/* Sets STORE_ERROR_NOT_FOUND for a missing database. */
static void database_not_found(const char *catalog, const char *name, GError **error)
{
	g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "database %s.%s not found", catalog, name);
}

/* Inserts the catalog row and its default database unless they exist. */
gboolean store_catalog_ensure(StoreConn *conn, const char *catalog, JsonObject *default_db, GError **error)
{
	static const char ins_cat[] = "INSERT INTO catalogs (name) VALUES ($1) ON CONFLICT (name) DO NOTHING";
	static const char ins_db[] = "INSERT INTO databases (catalog_id, name, doc) SELECT id, $2, $3::jsonb"
	                             " FROM catalogs WHERE name = $1 ON CONFLICT (catalog_id, name) DO NOTHING";
	const char *p1[] = {catalog};
	g_autoptr(PGresult) r1 = store_exec(conn, "catalog_ensure", ins_cat, 1, p1, error);
	if (r1 == NULL)
		return FALSE;
	g_autofree char *doc = store_json_text(default_db, NULL);
	const char *p2[] = {catalog, store_json_string(default_db, "Name", "default"), doc};
	g_autoptr(PGresult) r2 = store_exec(conn, "catalog_ensure_default_db", ins_db, 3, p2, error);
	return r2 != NULL;
}

/* Inserts a database; NOT_FOUND if the catalog is missing, UNIQUE if the name is taken. */
gboolean store_database_insert(StoreConn *conn, const char *catalog, JsonObject *db, GError **error)
{
	static const char sql[] = "INSERT INTO databases (catalog_id, name, doc) SELECT id, $2, $3::jsonb"
	                          " FROM catalogs WHERE name = $1 RETURNING id";
	const char *name = store_json_string(db, "Name", NULL);
	g_return_val_if_fail(name != NULL, FALSE);
	g_autofree char *doc = store_json_text(db, NULL);
	const char *params[] = {catalog, name, doc};
	g_autoptr(PGresult) res = store_exec(conn, "database_insert", sql, 3, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "catalog %s not found", catalog);
		return FALSE;
	}
	return TRUE;
}

/* The database document; NOT_FOUND if missing. */
JsonObject *store_database_get(StoreConn *conn, const char *catalog, const char *name, gboolean for_update,
                               GError **error)
{
	static const char sql[] = "SELECT d.doc::text" DB_JOIN;
	static const char sql_lock[] = "SELECT d.doc::text" DB_JOIN " FOR UPDATE OF d";
	const char *params[] = {catalog, name};
	g_autoptr(PGresult) res = for_update ? store_exec(conn, "database_get_lock", sql_lock, 2, params, error)
	                                     : store_exec(conn, "database_get", sql, 2, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		database_not_found(catalog, name, error);
		return NULL;
	}
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/* store_database_get (no lock) that also reads the grants epoch in the same statement; see store.h. */
JsonObject *store_database_get_epoch(StoreConn *conn, const char *catalog, const char *name, gint64 *epoch,
                                     GError **error)
{
	static const char sql[] = "SELECT d.doc::text, (SELECT n FROM authz_epoch)" DB_JOIN;
	const char *params[] = {catalog, name};
	g_autoptr(PGresult) res = store_exec(conn, "database_get_epoch", sql, 2, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		database_not_found(catalog, name, error);
		return NULL;
	}
	*epoch = g_ascii_strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/* Sorted names of the catalog's databases matching regex (NULL = all). */
GPtrArray *store_database_list(StoreConn *conn, const char *catalog, const char *regex, GError **error)
{
	static const char sql[] = "SELECT d.name FROM databases d JOIN catalogs c ON c.id = d.catalog_id"
	                          " WHERE c.name = $1 AND ($2::text IS NULL OR d.name ~* $2) ORDER BY d.name";
	const char *params[] = {catalog, regex};
	g_autoptr(PGresult) res = store_exec(conn, "database_list", sql, 2, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *names = g_ptr_array_new_full(PQntuples(res), g_free);
	for (int r = 0; r < PQntuples(res); r++)
		g_ptr_array_add(names, g_strdup(PQgetvalue(res, r, 0)));
	return names;
}

/* Replaces the document; NOT_FOUND if the database is gone. */
gboolean store_database_update(StoreConn *conn, const char *catalog, const char *name, JsonObject *db,
                               GError **error)
{
	static const char sql[] = "UPDATE databases d SET doc = $3::jsonb FROM catalogs c"
	                          " WHERE c.id = d.catalog_id AND c.name = $1 AND d.name = $2 RETURNING d.id";
	g_autofree char *doc = store_json_text(db, NULL);
	const char *params[] = {catalog, name, doc};
	g_autoptr(PGresult) res = store_exec(conn, "database_update", sql, 3, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		database_not_found(catalog, name, error);
		return FALSE;
	}
	return TRUE;
}

/* Deletes the database row; the foreign keys cascade to everything in it. */
gboolean store_database_delete(StoreConn *conn, const char *catalog, const char *name, GError **error)
{
	static const char sql[] = "DELETE FROM databases d USING catalogs c"
	                          " WHERE c.id = d.catalog_id AND c.name = $1 AND d.name = $2 RETURNING d.id";
	const char *params[] = {catalog, name};
	g_autoptr(PGresult) res = store_exec(conn, "database_delete", sql, 2, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		database_not_found(catalog, name, error);
		return FALSE;
	}
	return TRUE;
}

/* Counts the database's tables and functions; NOT_FOUND if it is missing. */
gboolean store_database_count_children(StoreConn *conn, const char *catalog, const char *name, gint64 *tables,
                                       gint64 *functions, GError **error)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM tables t WHERE t.database_id = d.id),"
	                          " (SELECT count(*) FROM functions f WHERE f.database_id = d.id)" DB_JOIN;
	const char *params[] = {catalog, name};
	g_autoptr(PGresult) res = store_exec(conn, "database_count_children", sql, 2, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		database_not_found(catalog, name, error);
		return FALSE;
	}
	if (tables)
		*tables = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	if (functions)
		*functions = g_ascii_strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	return TRUE;
}

/* ---- catalogs themselves (Hive 3+ create_catalog and friends; issue 17) ---- */

/* Inserts a catalog row with its document; UNIQUE if the name is taken. */
gboolean store_catalog_insert(StoreConn *conn, const char *name, JsonObject *doc, GError **error)
{
	static const char sql[] = "INSERT INTO catalogs (name, doc) VALUES ($1, $2::jsonb)";
	g_autofree char *text = store_json_text(doc, NULL);
	const char *params[] = {name, text};
	g_autoptr(PGresult) res = store_exec(conn, "catalog_insert", sql, 2, params, error);
	return res != NULL;
}

/* The catalog's document; NOT_FOUND if missing. */
JsonObject *store_catalog_get(StoreConn *conn, const char *name, GError **error)
{
	static const char sql[] = "SELECT doc::text FROM catalogs WHERE name = $1";
	const char *params[] = {name};
	g_autoptr(PGresult) res = store_exec(conn, "catalog_get", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "catalog %s not found", name);
		return NULL;
	}
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/* Sorted names of every catalog. */
GPtrArray *store_catalog_list(StoreConn *conn, GError **error)
{
	static const char sql[] = "SELECT name FROM catalogs ORDER BY name";
	g_autoptr(PGresult) res = store_exec(conn, "catalog_list", sql, 0, NULL, error);
	if (res == NULL)
		return NULL;
	GPtrArray *names = g_ptr_array_new_full(PQntuples(res), g_free);
	for (int r = 0; r < PQntuples(res); r++)
		g_ptr_array_add(names, g_strdup(PQgetvalue(res, r, 0)));
	return names;
}

/* Replaces the catalog's document; NOT_FOUND if it is gone. */
gboolean store_catalog_update(StoreConn *conn, const char *name, JsonObject *doc, GError **error)
{
	static const char sql[] = "UPDATE catalogs SET doc = $2::jsonb WHERE name = $1 RETURNING id";
	g_autofree char *text = store_json_text(doc, NULL);
	const char *params[] = {name, text};
	g_autoptr(PGresult) res = store_exec(conn, "catalog_update", sql, 2, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "catalog %s not found", name);
		return FALSE;
	}
	return TRUE;
}

/* Deletes the catalog row (its databases and grants go by cascade); NOT_FOUND if missing. */
gboolean store_catalog_delete(StoreConn *conn, const char *name, GError **error)
{
	static const char sql[] = "DELETE FROM catalogs WHERE name = $1 RETURNING id";
	const char *params[] = {name};
	g_autoptr(PGresult) res = store_exec(conn, "catalog_delete", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "catalog %s not found", name);
		return FALSE;
	}
	return TRUE;
}

/* The store's stable id (migration 0014), new string. */
char *store_metastore_uuid(StoreConn *conn, GError **error)
{
	static const char sql[] = "SELECT uuid FROM metastore_db";
	g_autoptr(PGresult) res = store_exec(conn, "metastore_uuid", sql, 0, NULL, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "the store has no id");
		return NULL;
	}
	return g_strdup(PQgetvalue(res, 0, 0));
}
