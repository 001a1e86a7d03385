/*
 * connection.c — Glue connections and catalog settings (migration 0006).
 *
 * A connection row holds its document and, apart, its sealed secret properties as opaque
 * text (auth/ seals and opens them; the store never sees a password). Reads hand the sealed
 * text back as the document's "SealedSecret" member; writes take it from there and never
 * store it inside doc. Settings are named documents, upserted whole.
 */
#include "store/store_internal.h"

#define CONN_SECRET "SealedSecret"

/* doc without SealedSecret as JSON text, and the sealed text (borrowed) or NULL. */
static char *connection_doc_text(JsonObject *doc, const char **secret)
{
	*secret = store_json_string(doc, CONN_SECRET, NULL);
	return store_json_text(doc, CONN_SECRET);
}

/* The document of row i of res (columns doc, secret) with SealedSecret set when there is one. */
static JsonObject *connection_row(PGresult *res, int i, GError **error)
{
	JsonObject *doc = store_json_parse_object(PQgetvalue(res, i, 0), error);
	if (doc && !PQgetisnull(res, i, 1))
		json_object_set_string_member(doc, CONN_SECRET, PQgetvalue(res, i, 1));
	return doc;
}

/* Inserts a connection; UNIQUE when the name is taken. */
gboolean store_connection_insert(StoreConn *conn, const char *name, JsonObject *doc, GError **error)
{
	static const char sql[] = "INSERT INTO glue_connections (name, doc, secret) VALUES ($1, $2::jsonb, $3)";
	const char *secret = NULL;
	g_autofree char *text = connection_doc_text(doc, &secret);
	const char *params[] = {name, text, secret};
	g_autoptr(PGresult) res = store_exec(conn, "connection_insert", sql, 3, params, error);
	return res != NULL;
}

/* One connection's document; NOT_FOUND when missing. */
JsonObject *store_connection_get(StoreConn *conn, const char *name, GError **error)
{
	static const char sql[] = "SELECT doc, secret FROM glue_connections WHERE name = $1";
	const char *params[] = {name};
	g_autoptr(PGresult) res = store_exec(conn, "connection_get", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "connection %s not found", name);
		return NULL;
	}
	return connection_row(res, 0, error);
}

/* Every connection's document, by name. */
GPtrArray *store_connection_list(StoreConn *conn, GError **error)
{
	static const char sql[] = "SELECT doc, secret FROM glue_connections ORDER BY name COLLATE \"C\"";
	g_autoptr(PGresult) res = store_exec(conn, "connection_list", sql, 0, NULL, error);
	if (res == NULL)
		return NULL;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (int i = 0; i < PQntuples(res); i++) {
		JsonObject *doc = connection_row(res, i, error);
		if (doc == NULL)
			return NULL;
		g_ptr_array_add(out, doc);
	}
	return g_steal_pointer(&out);
}

/* Replaces the connection old_name by doc named name; NOT_FOUND, UNIQUE. */
gboolean store_connection_update(StoreConn *conn, const char *old_name, const char *name, JsonObject *doc,
                                 GError **error)
{
	static const char sql[] = "UPDATE glue_connections SET name = $2, doc = $3::jsonb, secret = $4, updated = now()"
	                          " WHERE name = $1 RETURNING 1";
	const char *secret = NULL;
	g_autofree char *text = connection_doc_text(doc, &secret);
	const char *params[] = {old_name, name, text, secret};
	g_autoptr(PGresult) res = store_exec(conn, "connection_update", sql, 4, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "connection %s not found", old_name);
		return FALSE;
	}
	return TRUE;
}

/* Deletes a connection; NOT_FOUND when missing. */
gboolean store_connection_delete(StoreConn *conn, const char *name, GError **error)
{
	static const char sql[] = "DELETE FROM glue_connections WHERE name = $1 RETURNING 1";
	const char *params[] = {name};
	g_autoptr(PGresult) res = store_exec(conn, "connection_delete", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "connection %s not found", name);
		return FALSE;
	}
	return TRUE;
}

/* The setting's document, or NULL (no error) when never set. */
JsonObject *store_setting_get(StoreConn *conn, const char *name, GError **error)
{
	static const char sql[] = "SELECT doc FROM glue_settings WHERE name = $1";
	const char *params[] = {name};
	g_autoptr(PGresult) res = store_exec(conn, "setting_get", sql, 1, params, error);
	if (res == NULL || PQntuples(res) == 0)
		return NULL;
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/* Sets (inserts or replaces) a setting. */
gboolean store_setting_put(StoreConn *conn, const char *name, JsonObject *doc, GError **error)
{
	static const char sql[] = "INSERT INTO glue_settings (name, doc) VALUES ($1, $2::jsonb)"
	                          " ON CONFLICT (name) DO UPDATE SET doc = EXCLUDED.doc, updated = now()";
	g_autofree char *text = store_json_text(doc, NULL);
	const char *params[] = {name, text};
	g_autoptr(PGresult) res = store_exec(conn, "setting_put", sql, 2, params, error);
	return res != NULL;
}
