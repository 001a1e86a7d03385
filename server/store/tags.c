/*
 * tags.c — Glue resource tags of databases, tables and connections (migration 0015).
 *
 * Tags are a JSON object in a `tags` column of the object's own row, so they live and die with
 * the row. One fixed statement per kind of object for the change (add, then remove keys, in
 * one UPDATE that returns the new count) and one for the read; never SQL built from input.
 */
#include "store/store_internal.h"

#define TAGS_DB_WHERE " FROM catalogs c WHERE c.id = d.catalog_id AND c.name = $1 AND d.name = $2"
#define TAGS_TABLE_WHERE                                                                                               \
	" FROM databases d, catalogs c WHERE d.id = t.database_id AND c.id = d.catalog_id"                                 \
	" AND c.name = $1 AND d.name = $2 AND t.name = $3"
#define TAGS_NEW(col) "(" col " || $4::jsonb) - ARRAY(SELECT jsonb_array_elements_text($5::jsonb))"
#define TAGS_COUNT(col) " RETURNING (SELECT count(*) FROM jsonb_object_keys(" col "))"

/* The statements of each kind: change (params catalog, db, name, add, remove) and read. */
static const struct {
	const char *change_name, *change, *get_name, *get;
} tag_sql[] = {
	[STORE_TAGGED_DATABASE] = {"tags_db_change",
	                           "UPDATE databases d SET tags = " TAGS_NEW("d.tags") TAGS_DB_WHERE
	                           " AND $3::text IS NULL" TAGS_COUNT("d.tags"),
	                           "tags_db_get", "SELECT d.tags::text FROM databases d, catalogs c"
	                           " WHERE c.id = d.catalog_id AND c.name = $1 AND d.name = $2 AND $3::text IS NULL"},
	[STORE_TAGGED_TABLE] = {"tags_table_change",
	                        "UPDATE tables t SET tags = " TAGS_NEW("t.tags") TAGS_TABLE_WHERE TAGS_COUNT("t.tags"),
	                        "tags_table_get", "SELECT t.tags::text FROM tables t, databases d, catalogs c"
	                        " WHERE d.id = t.database_id AND c.id = d.catalog_id"
	                        " AND c.name = $1 AND d.name = $2 AND t.name = $3"},
	[STORE_TAGGED_CONNECTION] = {"tags_conn_change",
	                             "UPDATE glue_connections g SET tags = " TAGS_NEW("g.tags")
	                             " WHERE $1::text IS NULL AND $2::text IS NULL AND g.name = $3" TAGS_COUNT("g.tags"),
	                             "tags_conn_get", "SELECT g.tags::text FROM glue_connections g"
	                             " WHERE $1::text IS NULL AND $2::text IS NULL AND g.name = $3"},
};

/* The parameters of a statement for obj: catalog and db are NULL for a connection, name NULL for a database. */
static void tags_params(const StoreTagged *obj, const char **params)
{
	gboolean conn = obj->kind == STORE_TAGGED_CONNECTION;
	params[0] = conn ? NULL : obj->catalog;
	params[1] = conn ? NULL : obj->db;
	params[2] = obj->kind == STORE_TAGGED_DATABASE ? NULL : obj->name;
}

/* NOT_FOUND naming the object. */
static void tags_not_found(const StoreTagged *obj, GError **error)
{
	if (obj->kind == STORE_TAGGED_DATABASE)
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "Database %s not found", obj->db);
	else if (obj->kind == STORE_TAGGED_TABLE)
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "Table %s.%s not found", obj->db, obj->name);
	else
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "Connection %s not found", obj->name);
}

/* Adds tags `add` (may be NULL) then removes keys `remove` (may be NULL); see store.h. */
gboolean store_tags_change(StoreConn *conn, const StoreTagged *obj, JsonObject *add, JsonArray *remove, guint *count,
                           GError **error)
{
	g_autofree char *add_text = NULL;
	if (add != NULL)
		add_text = store_json_text(add, NULL);
	g_autofree char *remove_text = NULL;
	if (remove != NULL) {
		g_autoptr(JsonNode) node = json_node_new(JSON_NODE_ARRAY);
		json_node_set_array(node, remove);
		remove_text = json_to_string(node, FALSE);
	}
	const char *params[5];
	tags_params(obj, params);
	params[3] = add_text ? add_text : "{}";
	params[4] = remove_text ? remove_text : "[]";
	g_autoptr(PGresult) res = store_exec(conn, tag_sql[obj->kind].change_name, tag_sql[obj->kind].change, 5, params,
	                                     error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		tags_not_found(obj, error);
		return FALSE;
	}
	if (count)
		*count = (guint)g_ascii_strtoull(PQgetvalue(res, 0, 0), NULL, 10);
	return TRUE;
}

/* The object's tags (new); see store.h. */
JsonObject *store_tags_get(StoreConn *conn, const StoreTagged *obj, GError **error)
{
	const char *params[3];
	tags_params(obj, params);
	g_autoptr(PGresult) res = store_exec(conn, tag_sql[obj->kind].get_name, tag_sql[obj->kind].get, 3, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		tags_not_found(obj, error);
		return NULL;
	}
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}
