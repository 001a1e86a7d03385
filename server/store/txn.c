/*
 * txn.c — Hive's transactions, write ids, dynamic partitions and compaction requests.
 *
 * Transaction ids come from the 'txn' counter row (see migrations/0004_locks_txns.sql), so
 * they become visible in id order and the high-water mark (counter - 1) never hides an open
 * transaction. Committed and aborted transactions keep their rows (state 1 / 2); their locks
 * are deleted when they finish. Write ids count from 1 per table, handed out under the
 * table's counter row in transaction-id order. Every call runs in the caller's transaction.
 */
#include "store/store_internal.h"

#define NOW_MS "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

/* The bigint of row 0, column 0, or 0 when NULL/absent. */
static gint64 txn_first_int(PGresult *res)
{
	return PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
}

/* A GArray of gint64 as a PostgreSQL bigint[] literal. */
static char *txn_int_array_literal(const GArray *ids)
{
	GString *s = g_string_new("{");
	for (guint i = 0; ids && i < ids->len; i++)
		g_string_append_printf(s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index(ids, gint64, i));
	g_string_append_c(s, '}');
	return g_string_free(s, FALSE);
}

/* Parses a JSON text that must be an array; the single column of row 0. */
static JsonArray *txn_array_result(PGresult *res, GError **error)
{
	return store_json_parse_array(PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "[]", error);
}

/*
 * Opens n transactions; returns the first id (they are consecutive), 0 with error.
 * request: {user, hostname, agentInfo?, txn_type?, owner?}.
 */
gint64 store_txn_open(StoreConn *conn, gint n, JsonObject *request, GError **error)
{
	static const char sql[] =
		"WITH c AS (UPDATE txn_counters SET next = next + $1::bigint WHERE name = 'txn'"
		"  RETURNING next - $1::bigint AS first),"
		" i AS (INSERT INTO txns (id, user_name, host, agent_info, txn_type, started_ms, heartbeat_ms, owner)"
		"  SELECT c.first + g, $2, $3, $4, $5::smallint, " NOW_MS ", " NOW_MS ", $6"
		"  FROM c, generate_series(0, $1::bigint - 1) g RETURNING id)"
		" SELECT first FROM c";
	g_autofree char *ns = g_strdup_printf("%d", n);
	g_autofree char *type = g_strdup_printf("%" G_GINT64_FORMAT,
	                                        json_object_get_int_member_with_default(request, "txn_type", 0));
	const char *params[] = {ns, store_json_string(request, "user", ""), store_json_string(request, "hostname", ""),
	                        store_json_string(request, "agentInfo", NULL), type,
	                        store_json_string(request, "owner", NULL)};
	g_autoptr(PGresult) res = store_exec(conn, "txn_open", sql, 6, params, error);
	return res ? txn_first_int(res) : 0;
}

/*
 * The states (Hive's TxnState: 1 committed, 2 aborted, 3 open) of the transactions in ids, as
 * {"<id>": state}; absent ids are unknown. for_update locks the rows.
 */
JsonObject *store_txn_states(StoreConn *conn, const GArray *ids, gboolean for_update, GError **error)
{
	static const char sql[] = "SELECT coalesce(json_object_agg(id, state), '{}')::text FROM"
	                          " (SELECT id, state FROM txns WHERE id = ANY($1::bigint[]) ORDER BY id) t";
	static const char sql_upd[] = "SELECT coalesce(json_object_agg(id, state), '{}')::text FROM"
	                              " (SELECT id, state FROM txns WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE) t";
	g_autofree char *arr = txn_int_array_literal(ids);
	const char *params[] = {arr};
	g_autoptr(PGresult) res = for_update ? store_exec(conn, "txn_states_upd", sql_upd, 1, params, error)
	                                     : store_exec(conn, "txn_states", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/* Sets the transactions' state (1 committed / 2 aborted) and deletes their locks. */
gboolean store_txn_finish(StoreConn *conn, const GArray *ids, gint state, GError **error)
{
	static const char sql[] =
		"WITH t AS (UPDATE txns SET state = $2::smallint, finished_ms = " NOW_MS " WHERE id = ANY($1::bigint[]))"
		" DELETE FROM locks WHERE txn_id = ANY($1::bigint[])";
	g_autofree char *arr = txn_int_array_literal(ids);
	g_autofree char *st = g_strdup_printf("%d", state);
	const char *params[] = {arr, st};
	g_autoptr(PGresult) res = store_exec(conn, "txn_finish", sql, 2, params, error);
	return res != NULL;
}

/*
 * The first transaction (smallest id) among ids, or in [min, max] when ids is NULL, that
 * exists and is not owned by owner (rows without an owner count as another's); 0 when none.
 */
gboolean store_txn_first_foreign(StoreConn *conn, const GArray *ids, gint64 min, gint64 max, const char *owner,
                                 gint64 *out, GError **error)
{
	static const char sql[] = "SELECT min(id) FROM txns WHERE ($1::bigint[] IS NULL OR id = ANY($1::bigint[]))"
	                          " AND ($1::bigint[] IS NOT NULL OR id BETWEEN $2::bigint AND $3::bigint)"
	                          " AND owner IS DISTINCT FROM $4";
	g_autofree char *arr = ids ? txn_int_array_literal(ids) : NULL;
	g_autofree char *a = g_strdup_printf("%" G_GINT64_FORMAT, min);
	g_autofree char *b = g_strdup_printf("%" G_GINT64_FORMAT, max);
	const char *params[] = {arr, a, b, owner};
	g_autoptr(PGresult) res = store_exec(conn, "txn_first_foreign", sql, 4, params, error);
	if (res == NULL)
		return FALSE;
	*out = txn_first_int(res);
	return TRUE;
}

/* Heartbeats the open transactions among ids [min, max]; returns {"<id>": state} for the range. */
JsonObject *store_txn_heartbeat_range(StoreConn *conn, gint64 min, gint64 max, GError **error)
{
	static const char sql[] =
		"WITH h AS (UPDATE txns SET heartbeat_ms = " NOW_MS ", heartbeat_count = heartbeat_count + 1"
		"  WHERE id BETWEEN $1::bigint AND $2::bigint AND state = 3)"
		" SELECT coalesce(json_object_agg(id, state), '{}')::text FROM txns"
		" WHERE id BETWEEN $1::bigint AND $2::bigint";
	g_autofree char *a = g_strdup_printf("%" G_GINT64_FORMAT, min);
	g_autofree char *b = g_strdup_printf("%" G_GINT64_FORMAT, max);
	const char *params[] = {a, b};
	g_autoptr(PGresult) res = store_exec(conn, "txn_heartbeat_range", sql, 2, params, error);
	if (res == NULL)
		return NULL;
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/*
 * The transactions a reader must treat as not committed: {hwm, txns: [{id, state, user,
 * hostname, agentInfo?, heartbeatCount, startedTime, lastHeartbeatTime, owner?}]}, open ones and
 * aborted ones that allocated write ids, up to the high-water mark, by id.
 */
JsonObject *store_txn_list_open(StoreConn *conn, GError **error)
{
	static const char sql[] =
		"WITH h AS (SELECT next - 1 AS hwm FROM txn_counters WHERE name = 'txn')"
		" SELECT json_build_object('hwm', h.hwm, 'txns', coalesce((SELECT json_agg(json_strip_nulls("
		"  json_build_object('id', t.id, 'state', t.state, 'user', t.user_name, 'hostname', t.host,"
		"  'agentInfo', t.agent_info, 'heartbeatCount', t.heartbeat_count, 'startedTime', t.started_ms,"
		"  'lastHeartbeatTime', t.heartbeat_ms, 'owner', t.owner)) ORDER BY t.id) FROM txns t"
		"  WHERE t.id <= h.hwm AND (t.state = 3 OR (t.state = 2 AND EXISTS"
		"   (SELECT 1 FROM txn_write_ids w WHERE w.txn_id = t.id)))), '[]'))::text FROM h";
	g_autoptr(PGresult) res = store_exec(conn, "txn_list_open", sql, 0, NULL, error);
	if (res == NULL)
		return NULL;
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/*
 * Write ids of table catalog.db.tbl for the transactions in txn_ids, allocating the missing ones
 * from the table's counter in transaction order: [{txnId, writeId}] by txnId.
 */
JsonArray *store_write_ids_allocate(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                    const GArray *txn_ids, GError **error)
{
	static const char sql[] =
		"WITH want AS (SELECT DISTINCT unnest($4::bigint[]) AS txn_id),"
		" have AS (SELECT txn_id, write_id FROM txn_write_ids WHERE catalog = $1 AND db = $2 AND tbl = $3"
		"  AND txn_id IN (SELECT txn_id FROM want)),"
		" missing AS (SELECT txn_id, row_number() OVER (ORDER BY txn_id) AS rn FROM want"
		"  WHERE txn_id NOT IN (SELECT txn_id FROM have)),"
		" n AS (SELECT count(*) AS k FROM missing),"
		" ctr AS (INSERT INTO table_write_counters AS t (catalog, db, tbl, next) SELECT $1, $2, $3, 1 + n.k FROM n"
		"  ON CONFLICT (catalog, db, tbl) DO UPDATE SET next = t.next + EXCLUDED.next - 1"
		"  RETURNING next - (SELECT k FROM n) AS first),"
		" ins AS (INSERT INTO txn_write_ids (txn_id, catalog, db, tbl, write_id)"
		"  SELECT m.txn_id, $1, $2, $3, ctr.first + m.rn - 1 FROM missing m, ctr RETURNING txn_id, write_id)"
		" SELECT coalesce(json_agg(json_build_object('txnId', txn_id, 'writeId', write_id) ORDER BY txn_id),"
		"  '[]')::text FROM (SELECT * FROM have UNION ALL SELECT * FROM ins) x";
	g_autofree char *arr = txn_int_array_literal(txn_ids);
	const char *params[] = {catalog, db, tbl, arr};
	g_autoptr(PGresult) res = store_exec(conn, "write_ids_allocate", sql, 4, params, error);
	if (res == NULL)
		return NULL;
	return txn_array_result(res, error);
}

/*
 * The write-id snapshot of one table: {hwm, invalid: [{w, aborted}] by write id}. A write id is
 * invalid when its transaction is not committed now, is in open_in_snapshot, or is above
 * txn_hwm (when txn_hwm > 0): the reader's snapshot did not see it commit.
 */
JsonObject *store_write_ids_valid(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                  const GArray *open_in_snapshot, gint64 txn_hwm, GError **error)
{
	static const char sql[] =
		"SELECT json_build_object('hwm', coalesce((SELECT next - 1 FROM table_write_counters"
		"  WHERE catalog = $1 AND db = $2 AND tbl = $3), 0),"
		" 'invalid', coalesce((SELECT json_agg(json_build_object('w', w.write_id, 'aborted', t.state = 2)"
		"  ORDER BY w.write_id) FROM txn_write_ids w JOIN txns t ON t.id = w.txn_id"
		"  WHERE w.catalog = $1 AND w.db = $2 AND w.tbl = $3 AND (t.state <> 1"
		"   OR w.txn_id = ANY($4::bigint[]) OR ($5::bigint > 0 AND w.txn_id > $5::bigint))), '[]'))::text";
	g_autofree char *arr = txn_int_array_literal(open_in_snapshot);
	g_autofree char *hwm = g_strdup_printf("%" G_GINT64_FORMAT, txn_hwm);
	const char *params[] = {catalog, db, tbl, arr, hwm};
	g_autoptr(PGresult) res = store_exec(conn, "write_ids_valid", sql, 5, params, error);
	if (res == NULL)
		return NULL;
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/*
 * The latest committed transaction that wrote (allocated a write id) to a table txn_id also
 * wrote to, and committed after txn_id started; 0 if none.
 */
gboolean store_txn_latest_in_conflict(StoreConn *conn, gint64 txn_id, gint64 *out, GError **error)
{
	static const char sql[] =
		"SELECT coalesce(max(o.id), 0) FROM txns me"
		" JOIN txn_write_ids mw ON mw.txn_id = me.id"
		" JOIN txn_write_ids ow ON ow.catalog = mw.catalog AND ow.db = mw.db AND ow.tbl = mw.tbl"
		" JOIN txns o ON o.id = ow.txn_id"
		" WHERE me.id = $1::bigint AND o.id <> me.id AND o.state = 1 AND o.finished_ms >= me.started_ms";
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, txn_id);
	const char *params[] = {id};
	g_autoptr(PGresult) res = store_exec(conn, "txn_latest_conflict", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	*out = txn_first_int(res);
	return TRUE;
}

/* What txn $1 updated or deleted: its lock components and dynamic partitions of those kinds. */
#define TXN_WRITES_CTE                                                                                                 \
	"cur AS (SELECT DISTINCT lc.catalog, lc.db, lc.tbl, lc.part, lc.operation_type AS op"                         \
	"  FROM locks l JOIN lock_components lc ON lc.lock_id = l.id"                                                 \
	"  WHERE l.txn_id = $1::bigint AND lc.tbl IS NOT NULL AND lc.operation_type IN (3, 4)"                       \
	" UNION SELECT catalog, db, tbl, part, operation_type FROM txn_dynamic_partitions"                            \
	"  WHERE txn_id = $1::bigint AND operation_type IN (3, 4))"

/*
 * The write-write conflict check of committing txn_id (see migrations/0007_write_set.sql).
 * Takes the 'txn' counter row until the caller's transaction ends and sets *commit_id. When
 * a committed transaction that overlapped txn_id updated/deleted what txn_id did (at least
 * one of them an update), *conflict gets {txnId, commitId, db, tbl, part?, curOp, committedOp}
 * (ops: DataOperationType numbers), else NULL.
 */
gboolean store_txn_write_conflict(StoreConn *conn, gint64 txn_id, gint64 *commit_id, JsonObject **conflict,
                                  GError **error)
{
	static const char lock_sql[] = "SELECT next - 1 FROM txn_counters WHERE name = 'txn' FOR UPDATE";
	static const char sql[] =
		"WITH " TXN_WRITES_CTE
		" SELECT json_strip_nulls(json_build_object('txnId', w.txn_id, 'commitId', w.commit_id, 'db', cur.db,"
		"  'tbl', cur.tbl, 'part', cur.part, 'curOp', cur.op, 'committedOp', w.op))::text"
		" FROM cur JOIN write_set w ON w.catalog = cur.catalog AND w.db = cur.db AND w.tbl = cur.tbl"
		"  AND (w.part = cur.part OR (w.part IS NULL AND cur.part IS NULL))"
		" WHERE w.commit_id >= $1::bigint AND w.txn_id <> $1::bigint AND (w.op = 3 OR cur.op = 3)"
		" ORDER BY w.commit_id LIMIT 1";
	*conflict = NULL;
	g_autoptr(PGresult) lres = store_exec(conn, "txn_commit_lock", lock_sql, 0, NULL, error);
	if (lres == NULL)
		return FALSE;
	*commit_id = txn_first_int(lres);
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, txn_id);
	const char *params[] = {id};
	g_autoptr(PGresult) res = store_exec(conn, "txn_write_conflict", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) > 0 && (*conflict = store_json_parse_object(PQgetvalue(res, 0, 0), error)) == NULL)
		return FALSE;
	return TRUE;
}

/*
 * Records what committing txn_id updated/deleted in the write set with commit_id, and deletes
 * rows no open transaction overlaps any more.
 */
gboolean store_txn_write_set_record(StoreConn *conn, gint64 txn_id, gint64 commit_id, GError **error)
{
	static const char sql[] =
		"WITH " TXN_WRITES_CTE ","
		" old AS (DELETE FROM write_set WHERE commit_id < coalesce((SELECT min(id) FROM txns WHERE state = 3"
		"  AND id <> $1::bigint), $2::bigint + 1))"
		" INSERT INTO write_set (txn_id, commit_id, catalog, db, tbl, part, op)"
		" SELECT $1::bigint, $2::bigint, catalog, db, tbl, part, op FROM cur";
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, txn_id);
	g_autofree char *c = g_strdup_printf("%" G_GINT64_FORMAT, commit_id);
	const char *params[] = {id, c};
	g_autoptr(PGresult) res = store_exec(conn, "txn_write_set_record", sql, 2, params, error);
	return res != NULL;
}

/* Records add_dynamic_partitions: one row per partition name (parts: char*). */
gboolean store_txn_add_dynamic_partitions(StoreConn *conn, gint64 txn_id, gint64 write_id, const char *catalog,
                                          const char *db, const char *tbl, GPtrArray *parts, gint op, GError **error)
{
	static const char sql[] =
		"INSERT INTO txn_dynamic_partitions (txn_id, write_id, catalog, db, tbl, part, operation_type)"
		" SELECT $1::bigint, $2::bigint, $3, $4, $5, p, $7::smallint FROM unnest($6::text[]) p";
	g_autofree char *t = g_strdup_printf("%" G_GINT64_FORMAT, txn_id);
	g_autofree char *w = g_strdup_printf("%" G_GINT64_FORMAT, write_id);
	g_autofree char *arr = store_text_array_literal(parts);
	g_autofree char *o = g_strdup_printf("%d", op);
	const char *params[] = {t, w, catalog, db, tbl, arr, o};
	g_autoptr(PGresult) res = store_exec(conn, "txn_dynamic_partitions", sql, 7, params, error);
	return res != NULL;
}

/*
 * Records a compaction request {dbname, tablename, partitionname?, type, runas?, properties?,
 * initiatorId?, poolName?, owner?}; returns its id (0 with error).
 */
gint64 store_compaction_insert(StoreConn *conn, const char *catalog, JsonObject *request, GError **error)
{
	static const char sql[] =
		"WITH c AS (UPDATE txn_counters SET next = next + 1 WHERE name = 'compaction' RETURNING next - 1 AS id)"
		" INSERT INTO compactions (id, catalog, db, tbl, part, type, run_as, properties, initiator, pool_name,"
		"  enqueued_ms, owner)"
		" SELECT c.id, $1, r->>'dbname', r->>'tablename', r->>'partitionname', (r->>'type')::smallint,"
		"  r->>'runas', r->'properties', r->>'initiatorId', r->>'poolName', " NOW_MS ", r->>'owner'"
		" FROM c, (SELECT $2::jsonb AS r) q RETURNING id";
	g_autofree char *doc = store_json_text(request, NULL);
	const char *params[] = {catalog, doc};
	g_autoptr(PGresult) res = store_exec(conn, "compaction_insert", sql, 2, params, error);
	return res ? txn_first_int(res) : 0;
}

/*
 * Recorded compactions, by id, filtered by id (> 0), db, table, partition (NULL = any):
 * [{id, dbname, tablename, partitionname?, type, state, runAs?, enqueueTime, poolName?, initiatorId?}].
 */
JsonArray *store_compaction_list(StoreConn *conn, gint64 id, const char *db, const char *tbl, const char *part,
                                 GError **error)
{
	static const char sql[] =
		"SELECT coalesce(json_agg(json_strip_nulls(json_build_object('id', id, 'dbname', db, 'tablename', tbl,"
		" 'partitionname', part, 'type', type, 'state', state, 'runAs', run_as, 'enqueueTime', enqueued_ms,"
		" 'poolName', pool_name, 'initiatorId', initiator)) ORDER BY id), '[]')::text FROM compactions"
		" WHERE ($1::bigint <= 0 OR id = $1::bigint) AND ($2::text IS NULL OR db = $2)"
		" AND ($3::text IS NULL OR tbl = $3) AND ($4::text IS NULL OR part = $4)";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids, db, tbl, part};
	g_autoptr(PGresult) res = store_exec(conn, "compaction_list", sql, 4, params, error);
	if (res == NULL)
		return NULL;
	return txn_array_result(res, error);
}
