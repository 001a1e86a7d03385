/*
 * datalake.c — the data lake settings document (lf_settings, one row) with its administrators
 * (principals.is_admin), and registered data locations (lf_locations), migration 0008.
 *
 * The settings row always exists (0008 inserts it); DataLakeAdmins is never stored in the
 * document: principals.is_admin is the one truth the evaluator and the Glue door read. All
 * functions run in the caller's transaction.
 */
#include <string.h>

#include "store/store_internal.h"

/* The document and the administrators; see store.h. */
JsonObject *store_lf_settings_get(StoreConn *conn, GPtrArray **admins, GError **error)
{
	static const char sql[] = "SELECT (SELECT doc::text FROM lf_settings WHERE id = 1),"
	                          "       (SELECT coalesce(to_jsonb(array_agg(arn ORDER BY arn)), '[]')::text"
	                          "        FROM principals WHERE is_admin)";
	*admins = NULL;
	g_autoptr(PGresult) res = store_exec(conn, "lf_settings_get", sql, 0, NULL, error);
	if (res == NULL)
		return NULL;
	JsonObject *doc = PQgetisnull(res, 0, 0) ? json_object_new()
	                                         : store_json_parse_object(PQgetvalue(res, 0, 0), error);
	if (doc == NULL)
		return NULL;
	g_autoptr(JsonArray) arns = store_json_parse_array(PQgetvalue(res, 0, 1), error);
	if (arns == NULL) {
		json_object_unref(doc);
		return NULL;
	}
	*admins = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < json_array_get_length(arns); i++)
		g_ptr_array_add(*admins, g_strdup(json_array_get_string_element(arns, i)));
	return doc;
}

/* The ARNs that name no principal; see store.h. */
GPtrArray *store_lf_unknown_principals(StoreConn *conn, GPtrArray *arns, GError **error)
{
	static const char sql[] = "SELECT a FROM unnest($1::text[]) AS a"
	                          " WHERE NOT EXISTS (SELECT 1 FROM principals p WHERE p.arn = a) ORDER BY a";
	g_autofree char *lit = store_text_array_literal(arns);
	const char *params[] = {lit};
	g_autoptr(PGresult) res = store_exec(conn, "lf_unknown_principals", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (int r = 0; r < PQntuples(res); r++)
		g_ptr_array_add(out, g_strdup(PQgetvalue(res, r, 0)));
	return out;
}

/* Stores the document and the administrator flags; see store.h. */
gboolean store_lf_settings_put(StoreConn *conn, JsonObject *doc, GPtrArray *admins, GError **error)
{
	static const char sql[] =
		"WITH s AS (UPDATE lf_settings SET doc = $1::jsonb WHERE id = 1)"
		" UPDATE principals SET is_admin = (arn = ANY ($2::text[]))"
		" WHERE is_admin IS DISTINCT FROM (arn = ANY ($2::text[]))";
	g_autofree char *text = store_json_text(doc, "DataLakeAdmins");
	g_autofree char *lit = store_text_array_literal(admins);
	const char *params[] = {text, lit};
	g_autoptr(PGresult) res = store_exec(conn, "lf_settings_put", sql, 2, params, error);
	return res != NULL;
}

/* Frees a heap StoreLfLocation; NULL is ignored. */
void store_lf_location_free(gpointer p)
{
	StoreLfLocation *loc = p;
	if (loc == NULL)
		return;
	g_free(loc->resource_arn);
	g_free(loc->location);
	g_free(loc->role_arn);
	g_free(loc);
}

/* Registers a location; UNIQUE when its ResourceArn is taken. */
gboolean store_lf_location_insert(StoreConn *conn, const StoreLfLocation *loc, GError **error)
{
	static const char sql[] =
		"INSERT INTO lf_locations (resource_arn, location, role_arn, use_service_linked_role, hybrid_access_enabled,"
		"                          with_federation)"
		" VALUES ($1, $2, $3, $4::boolean, $5::boolean, $6::boolean)";
	const char *params[] = {loc->resource_arn,
	                        loc->location,
	                        loc->role_arn,
	                        loc->use_service_linked_role ? "true" : "false",
	                        loc->hybrid_access_enabled ? "true" : "false",
	                        loc->with_federation ? "true" : "false"};
	g_autoptr(PGresult) res = store_exec(conn, "lf_location_insert", sql, 6, params, error);
	return res != NULL;
}

/* Deregisters a location (grants on it cascade); NOT_FOUND when it is not registered. */
gboolean store_lf_location_delete(StoreConn *conn, const char *resource_arn, GError **error)
{
	static const char sql[] = "DELETE FROM lf_locations WHERE resource_arn = $1";
	const char *params[] = {resource_arn};
	g_autoptr(PGresult) res = store_exec(conn, "lf_location_delete", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (strcmp(PQcmdTuples(res), "0") == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "location %s is not registered", resource_arn);
		return FALSE;
	}
	return TRUE;
}

/* Registered locations by ResourceArn, all or the one named. */
GPtrArray *store_lf_location_list(StoreConn *conn, const char *resource_arn, GError **error)
{
	static const char sql[] =
		"SELECT resource_arn, location, role_arn, use_service_linked_role, hybrid_access_enabled, with_federation,"
		"       extract(epoch FROM registered)::bigint"
		" FROM lf_locations WHERE $1::text IS NULL OR resource_arn = $1 ORDER BY resource_arn";
	const char *params[] = {resource_arn};
	g_autoptr(PGresult) res = store_exec(conn, "lf_location_list", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(store_lf_location_free);
	for (int r = 0; r < PQntuples(res); r++) {
		StoreLfLocation *loc = g_new0(StoreLfLocation, 1);
		loc->resource_arn = g_strdup(PQgetvalue(res, r, 0));
		loc->location = g_strdup(PQgetvalue(res, r, 1));
		loc->role_arn = PQgetisnull(res, r, 2) ? NULL : g_strdup(PQgetvalue(res, r, 2));
		loc->use_service_linked_role = PQgetvalue(res, r, 3)[0] == 't';
		loc->hybrid_access_enabled = PQgetvalue(res, r, 4)[0] == 't';
		loc->with_federation = PQgetvalue(res, r, 5)[0] == 't';
		loc->registered = g_ascii_strtoll(PQgetvalue(res, r, 6), NULL, 10);
		g_ptr_array_add(out, loc);
	}
	return out;
}
