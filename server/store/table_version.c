/*
 * table_version.c — reading and deleting a table's versions (table_versions, written by table.c).
 *
 * Every version of a table, the current one included, is a row of table_versions holding the
 * document as it was written; a version read back carries "VersionId" (a string, as Glue has
 * it). Versions are written by the statements that write the table row; here they are read,
 * and old ones deleted (Glue's DeleteTableVersion) under the table row's lock, never the
 * current one.
 */
#include "store/store_internal.h"

#define VER_JOIN                                                                                                       \
	" FROM table_versions v JOIN tables t ON t.id = v.table_id JOIN databases d ON d.id = t.database_id"               \
	" JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = $1 AND d.name = $2 AND t.name = $3"

/* Sets NOT_FOUND for a missing table, or returns TRUE when the table exists. */
static gboolean version_table_exists(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                     GError **error)
{
	static const char sql[] = "SELECT 1 FROM tables t JOIN databases d ON d.id = t.database_id"
	                          " JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = $1 AND d.name = $2 AND t.name = $3";
	const char *params[] = {catalog, db, name};
	g_autoptr(PGresult) res = store_exec(conn, "table_version_exists", sql, 3, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "table %s.%s.%s not found", catalog, db, name);
		return FALSE;
	}
	return TRUE;
}

/* A document of row r (doc text, version) with VersionId set. */
static JsonObject *version_doc(PGresult *res, int r, GError **error)
{
	JsonObject *doc = store_json_parse_object(PQgetvalue(res, r, 0), error);
	if (doc != NULL)
		json_object_set_string_member(doc, "VersionId", PQgetvalue(res, r, 1));
	return doc;
}

/* Versions newest first, below `before` (<= 0: all), at most limit (<= 0: all). */
GPtrArray *store_table_versions(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                gint64 before, gint limit, GError **error)
{
	static const char sql[] = "SELECT v.doc::text, v.version" VER_JOIN
	                          " AND ($4::bigint IS NULL OR v.version < $4) ORDER BY v.version DESC"
	                          " LIMIT $5::bigint";
	if (!version_table_exists(conn, catalog, db, name, error))
		return NULL;
	g_autofree char *b = before > 0 ? g_strdup_printf("%" G_GINT64_FORMAT, before) : NULL;
	g_autofree char *l = limit > 0 ? g_strdup_printf("%d", limit) : NULL;
	const char *params[] = {catalog, db, name, b, l};
	g_autoptr(PGresult) res = store_exec(conn, "table_versions_list", sql, 5, params, error);
	if (res == NULL)
		return NULL;
	g_autoptr(GPtrArray) docs = g_ptr_array_new_full(PQntuples(res), (GDestroyNotify)json_object_unref);
	for (int r = 0; r < PQntuples(res); r++) {
		JsonObject *doc = version_doc(res, r, error);
		if (doc == NULL)
			return NULL;
		g_ptr_array_add(docs, doc);
	}
	return g_steal_pointer(&docs);
}

/* One version; NOT_FOUND when the table or the version is missing. */
JsonObject *store_table_version_get(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                    gint64 version, GError **error)
{
	static const char sql[] = "SELECT v.doc::text, v.version" VER_JOIN " AND v.version = $4";
	g_autofree char *vs = g_strdup_printf("%" G_GINT64_FORMAT, version);
	const char *params[] = {catalog, db, name, vs};
	g_autoptr(PGresult) res = store_exec(conn, "table_version_get", sql, 4, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "version %s of table %s.%s.%s not found", vs, catalog,
		            db, name);
		return NULL;
	}
	return version_doc(res, 0, error);
}

/*
 * Deletes the versions listed (except the current one) in one statement, holding the table row
 * FOR UPDATE so that no alter makes a listed version current meanwhile. *current gets the
 * table's version; *deleted (new) the versions removed. NOT_FOUND for a missing table.
 */
gboolean store_table_versions_delete(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                     const gint64 *versions, guint n, gint64 *current, GArray **deleted,
                                     GError **error)
{
	static const char sql[] =
	    "WITH t AS (SELECT t.id, t.version FROM tables t JOIN databases d ON d.id = t.database_id"
	    "           JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = $1 AND d.name = $2 AND t.name = $3"
	    "           FOR UPDATE OF t),"
	    " del AS (DELETE FROM table_versions v USING t WHERE v.table_id = t.id AND v.version = ANY ($4::bigint[])"
	    "         AND v.version <> t.version RETURNING v.version)"
	    " SELECT t.version, del.version FROM t LEFT JOIN del ON true";
	GString *list = g_string_new("{");
	for (guint i = 0; i < n; i++)
		g_string_append_printf(list, "%s%" G_GINT64_FORMAT, i ? "," : "", versions[i]);
	g_string_append_c(list, '}');
	g_autofree char *arr = g_string_free(list, FALSE);
	const char *params[] = {catalog, db, name, arr};
	g_autoptr(PGresult) res = store_exec(conn, "table_versions_delete", sql, 4, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "table %s.%s.%s not found", catalog, db, name);
		return FALSE;
	}
	*current = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	*deleted = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (int r = 0; r < PQntuples(res); r++) {
		if (PQgetisnull(res, r, 1))
			continue;
		gint64 v = g_ascii_strtoll(PQgetvalue(res, r, 1), NULL, 10);
		g_array_append_val(*deleted, v);
	}
	return TRUE;
}
