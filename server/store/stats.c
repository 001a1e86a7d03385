/*
 * stats.c — column statistics of tables and partitions (migrations/0003_column_stats.sql).
 *
 * A statistics entry crosses this boundary as a JsonObject {"ColumnName", "ColumnType",
 * "Kind", "Data", "LastAnalyzed"} (+ "PartName" for partitions): one row of
 * table_column_stats / partition_column_stats. Writes are one statement for the whole batch
 * (jsonb_to_recordset of the entries, upserted on the primary key); partition names become
 * ids through one join on partitions (table_id, name). The caller (catalog/stats.c) has
 * checked that the table and partitions exist and de-duplicated the batch. Every statement
 * runs in the caller's transaction and is prepared once per connection.
 */
#include "store/store_internal.h"

#include <string.h>

/* Finds the table by ($1 catalog, $2 database, $3 table) for the statements below. */
#define STATS_TBL_JOIN                                                                                                 \
	" JOIN databases d ON d.id = t.database_id JOIN catalogs c ON c.id = d.catalog_id"                                 \
	" WHERE c.name = $1 AND d.name = $2 AND t.name = $3"

/* The record shape of an entry inside jsonb_to_recordset. */
#define STATS_RECORD                                                                                                   \
	" x(\"PartName\" text, \"ColumnName\" text, \"ColumnType\" text, \"Kind\" text, \"Data\" jsonb,"                  \
	" \"LastAnalyzed\" bigint)"

/* Serializes entries (JsonObject*) as one JSON array text. */
static char *stats_entries_text(GPtrArray *entries)
{
	g_autoptr(JsonArray) arr = json_array_sized_new(entries->len);
	for (guint i = 0; i < entries->len; i++)
		json_array_add_object_element(arr, json_object_ref(g_ptr_array_index(entries, i)));
	g_autoptr(JsonNode) node = json_node_alloc();
	json_node_init_array(node, arr);
	return json_to_string(node, FALSE);
}

/* An entry from a row whose columns start at col: name, type, kind, data, last_analyzed. */
static JsonObject *stats_entry_from_row(PGresult *res, int row, int col, GError **error)
{
	JsonObject *data = store_json_parse_object(PQgetvalue(res, row, col + 3), error);
	if (data == NULL)
		return NULL;
	JsonObject *e = json_object_new();
	json_object_set_string_member(e, "ColumnName", PQgetvalue(res, row, col));
	json_object_set_string_member(e, "ColumnType", PQgetvalue(res, row, col + 1));
	json_object_set_string_member(e, "Kind", PQgetvalue(res, row, col + 2));
	json_object_set_object_member(e, "Data", data);
	json_object_set_int_member(e, "LastAnalyzed", g_ascii_strtoll(PQgetvalue(res, row, col + 4), NULL, 10));
	return e;
}

/* Upserts table-level entries in one statement. */
gboolean store_stats_table_upsert(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                  const char *engine, GPtrArray *entries, GError **error)
{
	static const char sql[] =
	    "INSERT INTO table_column_stats (table_id, engine, column_name, column_type, kind, data, last_analyzed)"
	    " SELECT t.id, $4, x.\"ColumnName\", x.\"ColumnType\", x.\"Kind\", x.\"Data\", x.\"LastAnalyzed\""
	    " FROM jsonb_to_recordset($5::jsonb) AS" STATS_RECORD ", tables t" STATS_TBL_JOIN
	    " ON CONFLICT (table_id, engine, column_name) DO UPDATE SET column_type = EXCLUDED.column_type,"
	    " kind = EXCLUDED.kind, data = EXCLUDED.data, last_analyzed = EXCLUDED.last_analyzed";
	g_autofree char *text = stats_entries_text(entries);
	const char *params[] = {catalog, db, table, engine, text};
	g_autoptr(PGresult) res = store_exec(conn, "stats_table_upsert", sql, 5, params, error);
	return res != NULL;
}

/* Upserts partition-level entries (each with PartName) in one statement. */
gboolean store_stats_partition_upsert(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                      const char *engine, GPtrArray *entries, GError **error)
{
	static const char sql[] =
	    "INSERT INTO partition_column_stats (partition_id, engine, column_name, column_type, kind, data,"
	    " last_analyzed)"
	    " SELECT p.id, $4, x.\"ColumnName\", x.\"ColumnType\", x.\"Kind\", x.\"Data\", x.\"LastAnalyzed\""
	    " FROM jsonb_to_recordset($5::jsonb) AS" STATS_RECORD
	    " JOIN partitions p ON p.name = x.\"PartName\" JOIN tables t ON t.id = p.table_id" STATS_TBL_JOIN
	    " ON CONFLICT (partition_id, engine, column_name) DO UPDATE SET column_type = EXCLUDED.column_type,"
	    " kind = EXCLUDED.kind, data = EXCLUDED.data, last_analyzed = EXCLUDED.last_analyzed";
	g_autofree char *text = stats_entries_text(entries);
	const char *params[] = {catalog, db, table, engine, text};
	g_autoptr(PGresult) res = store_exec(conn, "stats_partition_upsert", sql, 5, params, error);
	return res != NULL;
}

/* Table-level entries of the named columns (NULL = all, by name), in the order of columns. */
GPtrArray *store_stats_table_get(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                 const char *engine, GPtrArray *columns, GError **error)
{
	static const char sql[] =
	    "SELECT s.column_name, s.column_type, s.kind, s.data::text, s.last_analyzed"
	    " FROM table_column_stats s JOIN tables t ON t.id = s.table_id" STATS_TBL_JOIN
	    " AND s.engine = $4 AND ($5::text[] IS NULL OR s.column_name = ANY ($5::text[]))"
	    " ORDER BY array_position($5::text[], s.column_name), s.column_name";
	g_autofree char *cols = columns ? store_text_array_literal(columns) : NULL;
	const char *params[] = {catalog, db, table, engine, cols};
	g_autoptr(PGresult) res = store_exec(conn, "stats_table_get", sql, 5, params, error);
	if (res == NULL)
		return NULL;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (int r = 0; r < PQntuples(res); r++) {
		JsonObject *e = stats_entry_from_row(res, r, 0, error);
		if (e == NULL)
			return NULL;
		g_ptr_array_add(out, e);
	}
	return g_steal_pointer(&out);
}

/*
 * Partition-level entries (with PartName) of the named partitions × columns (columns NULL =
 * all), ordered by the position of the partition in part_names, then of the column.
 */
GPtrArray *store_stats_partition_get(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                     const char *engine, GPtrArray *part_names, GPtrArray *columns, GError **error)
{
	static const char sql[] =
	    "SELECT p.name, s.column_name, s.column_type, s.kind, s.data::text, s.last_analyzed"
	    " FROM partition_column_stats s JOIN partitions p ON p.id = s.partition_id"
	    " JOIN tables t ON t.id = p.table_id" STATS_TBL_JOIN
	    " AND p.name = ANY ($4::text[]) AND s.engine = $5"
	    " AND ($6::text[] IS NULL OR s.column_name = ANY ($6::text[]))"
	    " ORDER BY array_position($4::text[], p.name), array_position($6::text[], s.column_name), s.column_name";
	g_autofree char *parts = store_text_array_literal(part_names);
	g_autofree char *cols = columns ? store_text_array_literal(columns) : NULL;
	const char *params[] = {catalog, db, table, parts, engine, cols};
	g_autoptr(PGresult) res = store_exec(conn, "stats_partition_get", sql, 6, params, error);
	if (res == NULL)
		return NULL;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (int r = 0; r < PQntuples(res); r++) {
		JsonObject *e = stats_entry_from_row(res, r, 1, error);
		if (e == NULL)
			return NULL;
		json_object_set_string_member(e, "PartName", PQgetvalue(res, r, 0));
		g_ptr_array_add(out, e);
	}
	return g_steal_pointer(&out);
}

/* Column names (char*) from the first column of res. */
static GPtrArray *stats_names_from_result(PGresult *res)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (int r = 0; r < PQntuples(res); r++)
		g_ptr_array_add(out, g_strdup(PQgetvalue(res, r, 0)));
	return out;
}

/* Deletes table-level stats of column (NULL = all); returns the deleted column names. */
GPtrArray *store_stats_table_delete(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                    const char *engine, const char *column, GError **error)
{
	static const char sql[] =
	    "DELETE FROM table_column_stats s USING tables t" STATS_TBL_JOIN
	    " AND s.table_id = t.id AND s.engine = $4 AND ($5::text IS NULL OR s.column_name = $5)"
	    " RETURNING s.column_name";
	const char *params[] = {catalog, db, table, engine, column};
	g_autoptr(PGresult) res = store_exec(conn, "stats_table_delete", sql, 5, params, error);
	return res ? stats_names_from_result(res) : NULL;
}

/* Deletes stats of one partition's column (NULL = all); returns the deleted column names. */
GPtrArray *store_stats_partition_delete(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                        const char *part_name, const char *engine, const char *column,
                                        GError **error)
{
	static const char sql[] =
	    "DELETE FROM partition_column_stats s USING partitions p, tables t" STATS_TBL_JOIN
	    " AND p.table_id = t.id AND p.name = $4 AND s.partition_id = p.id AND s.engine = $5"
	    " AND ($6::text IS NULL OR s.column_name = $6) RETURNING s.column_name";
	const char *params[] = {catalog, db, table, part_name, engine, column};
	g_autoptr(PGresult) res = store_exec(conn, "stats_partition_delete", sql, 6, params, error);
	return res ? stats_names_from_result(res) : NULL;
}

/* Names (char*) of the table's partitions holding stats of engine: delete_column_statistics_req's "all". */
GPtrArray *store_stats_partition_names(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                       const char *engine, GError **error)
{
	static const char sql[] =
	    "SELECT DISTINCT p.name FROM partition_column_stats s JOIN partitions p ON p.id = s.partition_id"
	    " JOIN tables t ON t.id = p.table_id" STATS_TBL_JOIN " AND s.engine = $4 ORDER BY p.name";
	const char *params[] = {catalog, db, table, engine};
	g_autoptr(PGresult) res = store_exec(conn, "stats_partition_names", sql, 4, params, error);
	return res ? stats_names_from_result(res) : NULL;
}

/*
 * The Parameters of the named partitions that exist, as one object: name → Parameters object
 * ({} when the partition has none). for_update locks the partition rows.
 */
JsonObject *store_stats_partition_params(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                         GPtrArray *part_names, GError **error)
{
	static const char sql[] =
	    "SELECT p.name, coalesce(p.doc->'Parameters', '{}'::jsonb)::text FROM partitions p"
	    " JOIN tables t ON t.id = p.table_id" STATS_TBL_JOIN " AND p.name = ANY ($4::text[]) FOR UPDATE OF p";
	g_autofree char *parts = store_text_array_literal(part_names);
	const char *params[] = {catalog, db, table, parts};
	g_autoptr(PGresult) res = store_exec(conn, "stats_partition_params", sql, 4, params, error);
	if (res == NULL)
		return NULL;
	g_autoptr(JsonObject) out = json_object_new();
	for (int r = 0; r < PQntuples(res); r++) {
		JsonObject *p = store_json_parse_object(PQgetvalue(res, r, 1), error);
		if (p == NULL)
			return NULL;
		json_object_set_object_member(out, PQgetvalue(res, r, 0), p);
	}
	return g_steal_pointer(&out);
}

/*
 * Sets Parameters[key] of each named partition to its value (values[i] for part_names[i];
 * NULL removes the key), in one statement.
 */
gboolean store_stats_partition_set_param(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                         const char *key, GPtrArray *part_names, GPtrArray *values, GError **error)
{
	static const char sql[] =
	    "UPDATE partitions p SET doc = jsonb_set(p.doc, '{Parameters}', CASE WHEN x.v IS NULL"
	    " THEN coalesce(p.doc->'Parameters', '{}'::jsonb) - $4::text"
	    " ELSE coalesce(p.doc->'Parameters', '{}'::jsonb) || jsonb_build_object($4::text, x.v) END)"
	    " FROM unnest($5::text[], $6::text[]) AS x(n, v), tables t" STATS_TBL_JOIN
	    " AND p.table_id = t.id AND p.name = x.n";
	g_return_val_if_fail(part_names->len == values->len, FALSE);
	g_autofree char *names = store_text_array_literal(part_names);
	GString *vals = g_string_new("{");
	for (guint i = 0; i < values->len; i++) {
		const char *v = g_ptr_array_index(values, i);
		if (i > 0)
			g_string_append_c(vals, ',');
		if (v == NULL) {
			g_string_append(vals, "NULL");
			continue;
		}
		g_string_append_c(vals, '"');
		for (const char *p = v; *p; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_c(vals, '\\');
			g_string_append_c(vals, *p);
		}
		g_string_append_c(vals, '"');
	}
	g_string_append_c(vals, '}');
	g_autofree char *vtext = g_string_free(vals, FALSE);
	const char *params[] = {catalog, db, table, key, names, vtext};
	g_autoptr(PGresult) res = store_exec(conn, "stats_partition_set_param", sql, 6, params, error);
	return res != NULL;
}
