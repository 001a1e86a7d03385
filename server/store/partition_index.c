/*
 * partition_index.c — a table's Glue partition indexes (partition_indexes, 0009).
 *
 * A row is a name and the partition key names it covers, in the client's order; documents
 * come back as {"IndexName", "Keys": [names]} in creation order, and the catalog adds the key
 * types from the table. Limits and key checks are the catalog's: it calls these under the
 * table row's lock (store_table_get FOR UPDATE), inside its one transaction.
 *
 * No PostgreSQL index is built per Glue index: partitions of every table share one heap, so
 * one would be an expression index over part_values[i] built with a lock on all of them inside
 * a request, and it would not match the typed expressions GetPartitions' filter SQL compares
 * (partfilter_sql.c: COLLATE "C" text, numeric CASE casts). The (table_id, part_values) index
 * already serves ranges on the leading keys.
 */
#include "store/store_internal.h"

#define PIDX_TABLE                                                                                                     \
	" FROM tables t JOIN databases d ON d.id = t.database_id JOIN catalogs c ON c.id = d.catalog_id"                   \
	" WHERE c.name = $1 AND d.name = $2 AND t.name = $3"

/* The table's indexes in creation order; NOT_FOUND for a missing table. */
GPtrArray *store_partition_index_list(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                      GError **error)
{
	static const char sql[] =
	    "SELECT i.name, array_to_json(i.keys)::text FROM tables t JOIN databases d ON d.id = t.database_id"
	    " JOIN catalogs c ON c.id = d.catalog_id LEFT JOIN partition_indexes i ON i.table_id = t.id"
	    " WHERE c.name = $1 AND d.name = $2 AND t.name = $3 ORDER BY i.id";
	const char *params[] = {catalog, db, table};
	g_autoptr(PGresult) res = store_exec(conn, "partition_index_list", sql, 3, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "table %s.%s.%s not found", catalog, db, table);
		return NULL;
	}
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (int r = 0; r < PQntuples(res); r++) {
		if (PQgetisnull(res, r, 0))
			continue; /* the table, without indexes */
		JsonArray *keys = store_json_parse_array(PQgetvalue(res, r, 1), error);
		if (keys == NULL)
			return NULL;
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "IndexName", PQgetvalue(res, r, 0));
		json_object_set_array_member(o, "Keys", keys);
		g_ptr_array_add(out, o);
	}
	return g_steal_pointer(&out);
}

/* Adds an index; UNIQUE when the table has one of that name, NOT_FOUND for a missing table. */
gboolean store_partition_index_insert(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                      const char *name, GPtrArray *keys, GError **error)
{
	static const char sql[] = "INSERT INTO partition_indexes (table_id, name, keys) SELECT t.id, $4, $5::text[]" PIDX_TABLE
	                          " RETURNING id";
	g_autofree char *list = store_text_array_literal(keys);
	const char *params[] = {catalog, db, table, name, list};
	g_autoptr(PGresult) res = store_exec(conn, "partition_index_insert", sql, 5, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "table %s.%s.%s not found", catalog, db, table);
		return FALSE;
	}
	return TRUE;
}

/* Removes an index; NOT_FOUND when the table has none of that name (or is missing). */
gboolean store_partition_index_delete(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                      const char *name, GError **error)
{
	static const char sql[] = "DELETE FROM partition_indexes i USING tables t JOIN databases d ON d.id = t.database_id"
	                          " JOIN catalogs c ON c.id = d.catalog_id"
	                          " WHERE i.table_id = t.id AND c.name = $1 AND d.name = $2 AND t.name = $3"
	                          " AND i.name = $4 RETURNING i.id";
	const char *params[] = {catalog, db, table, name};
	g_autoptr(PGresult) res = store_exec(conn, "partition_index_delete", sql, 4, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "partition index %s of table %s.%s.%s not found", name,
		            catalog, db, table);
		return FALSE;
	}
	return TRUE;
}
