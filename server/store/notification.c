/*
 * notification.c — the notification log: append in the writer's transaction, read in order,
 * count, and trim by age.
 *
 * Gap-free ids: store_event_append() takes the next id from the 'event' counter row with
 * UPDATE ... RETURNING, in the same transaction as the catalog change it records. The row lock
 * is held until that transaction ends, so a concurrent writer (on this or another server)
 * waits and numbers its event only after the first committed or rolled back (a rollback
 * undoes the increment too). A reader therefore never sees event N+1 without N, and a failed
 * change leaves no event and no hole. The caller appends last, just before COMMIT, to hold the
 * row briefly. The current id is the counter minus one: committed with the event it numbers.
 */
#include "store/store_internal.h"

/*
 * Appends an event (type: Hive's event type name; catalog/db/tbl may be NULL; message: JSON text
 * in json-0.2 format) and returns its id, 0 with error.
 */
gint64 store_event_append(StoreConn *conn, const char *catalog, const char *db, const char *tbl, const char *type,
                          const char *message, GError **error)
{
	static const char sql[] =
		"WITH c AS (UPDATE txn_counters SET next = next + 1 WHERE name = 'event' RETURNING next - 1 AS id)"
		" INSERT INTO notification_log (event_id, event_time, event_type, catalog, db, tbl, message, message_format)"
		" SELECT c.id, extract(epoch FROM clock_timestamp())::bigint, $1, $2, $3, $4, $5, 'json-0.2' FROM c"
		" RETURNING event_id";
	const char *params[] = {type, catalog, db, tbl, message};
	g_autoptr(PGresult) res = store_exec(conn, "event_append", sql, 5, params, error);
	if (res == NULL)
		return 0;
	return PQntuples(res) > 0 ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
}

/*
 * Appends one event of type per message (JSON texts, char*), with consecutive ids, in one
 * statement; *first_id gets the first id (0 for none). FALSE with error.
 */
gboolean store_event_append_many(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                 const char *type, GPtrArray *messages, gint64 *first_id, GError **error)
{
	static const char sql[] =
		"WITH c AS (UPDATE txn_counters SET next = next + $6::bigint WHERE name = 'event'"
		"  RETURNING next - $6::bigint AS first),"
		" i AS (INSERT INTO notification_log (event_id, event_time, event_type, catalog, db, tbl, message,"
		"  message_format) SELECT c.first + m.ord - 1, extract(epoch FROM clock_timestamp())::bigint, $1, $2, $3, $4,"
		"  m.msg, 'json-0.2' FROM c, unnest($5::text[]) WITH ORDINALITY AS m(msg, ord) RETURNING event_id)"
		" SELECT min(event_id) FROM i";
	*first_id = 0;
	if (messages->len == 0)
		return TRUE;
	g_autofree char *list = store_text_array_literal(messages);
	g_autofree char *n = g_strdup_printf("%u", messages->len);
	const char *params[] = {type, catalog, db, tbl, list, n};
	g_autoptr(PGresult) res = store_exec(conn, "event_append_many", sql, 6, params, error);
	if (res == NULL)
		return FALSE;
	*first_id = PQntuples(res) > 0 ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	return TRUE;
}

/*
 * Events after `after`, by id, at most max (max <= 0: all), leaving out types in skip (char*,
 * may be NULL/empty) and, when given, keeping only catalog / db / tables (char*):
 * [{eventId, eventTime, eventType, dbName?, tableName?, message, messageFormat, catName?}].
 */
JsonArray *store_event_list(StoreConn *conn, gint64 after, gint max, GPtrArray *skip, const char *catalog,
                            const char *db, GPtrArray *tables, GError **error)
{
	static const char sql[] =
		"SELECT coalesce(json_agg(json_strip_nulls(json_build_object('eventId', event_id, 'eventTime', event_time,"
		" 'eventType', event_type, 'dbName', db, 'tableName', tbl, 'message', message,"
		" 'messageFormat', message_format, 'catName', catalog)) ORDER BY event_id), '[]')::text"
		" FROM (SELECT * FROM notification_log WHERE event_id > $1::bigint"
		"  AND NOT (event_type = ANY($3::text[])) AND ($4::text IS NULL OR catalog = $4)"
		"  AND ($5::text IS NULL OR db = $5) AND ($6::text[] IS NULL OR tbl = ANY($6::text[]))"
		"  ORDER BY event_id LIMIT CASE WHEN $2::bigint > 0 THEN $2::bigint END) e";
	g_autofree char *a = g_strdup_printf("%" G_GINT64_FORMAT, after);
	g_autofree char *m = g_strdup_printf("%d", max);
	g_autofree char *sk = store_text_array_literal(skip);
	g_autofree char *tb = tables ? store_text_array_literal(tables) : NULL;
	const char *params[] = {a, m, sk, catalog, db, tb};
	g_autoptr(PGresult) res = store_exec(conn, "event_list", sql, 6, params, error);
	if (res == NULL)
		return NULL;
	return store_json_parse_array(PQgetvalue(res, 0, 0), error);
}

/* The id of the last event appended (0 before the first). */
gboolean store_event_current(StoreConn *conn, gint64 *out, GError **error)
{
	static const char sql[] = "SELECT next - 1 FROM txn_counters WHERE name = 'event'";
	g_autoptr(PGresult) res = store_exec(conn, "event_current", sql, 0, NULL, error);
	if (res == NULL)
		return FALSE;
	*out = PQntuples(res) > 0 ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	return TRUE;
}

/*
 * Number of events of database db (and catalog, tables when given) with from < id <= to
 * (to <= 0: no bound), at most limit (limit <= 0: no bound).
 */
gboolean store_event_count(StoreConn *conn, gint64 from, gint64 to, const char *catalog, const char *db,
                           GPtrArray *tables, gint64 limit, gint64 *out, GError **error)
{
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM notification_log WHERE event_id > $1::bigint"
		" AND ($2::bigint <= 0 OR event_id <= $2::bigint) AND ($3::text IS NULL OR catalog = $3)"
		" AND db = $4 AND ($5::text[] IS NULL OR tbl = ANY($5::text[]))"
		" LIMIT CASE WHEN $6::bigint > 0 THEN $6::bigint END) e";
	g_autofree char *f = g_strdup_printf("%" G_GINT64_FORMAT, from);
	g_autofree char *t = g_strdup_printf("%" G_GINT64_FORMAT, to);
	g_autofree char *tb = tables ? store_text_array_literal(tables) : NULL;
	g_autofree char *l = g_strdup_printf("%" G_GINT64_FORMAT, limit);
	const char *params[] = {f, t, catalog, db, tb, l};
	g_autoptr(PGresult) res = store_exec(conn, "event_count", sql, 6, params, error);
	if (res == NULL)
		return FALSE;
	*out = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	return TRUE;
}

/* Deletes events older than ttl_s seconds (by event time). */
gboolean store_event_trim(StoreConn *conn, guint ttl_s, GError **error)
{
	static const char sql[] = "DELETE FROM notification_log"
	                          " WHERE event_time < extract(epoch FROM clock_timestamp())::bigint - $1::bigint";
	g_autofree char *t = g_strdup_printf("%u", ttl_s);
	const char *params[] = {t};
	g_autoptr(PGresult) res = store_exec(conn, "event_trim", sql, 1, params, error);
	return res != NULL;
}
