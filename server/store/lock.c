/*
 * lock.c — Hive's lock table in PostgreSQL: lock requests, their components, the
 * check-and-grant step with Hive's conflict matrix, heartbeats and expiry.
 *
 * Invariant: every call that inserts or grants runs after store_lock_serialize() in the same
 * transaction, so lock ids follow arrival order and two servers never grant conflicting locks
 * (the 'lock' counter row is held until the caller commits). A lock is granted only when no
 * EARLIER lock (lower id, granted or waiting) of another transaction conflicts with any of its
 * components: all components are granted together, waiters are served first come first served.
 */
#include "store/store_internal.h"

#include <stdlib.h>

/* PostgreSQL's clock in epoch milliseconds (Hive keeps lock and txn times so). */
#define NOW_MS "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

/* Reads one bigint from the first row, first column. */
static gint64 lock_first_int(PGresult *res)
{
	return PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
}

/* Takes the 'lock' counter row FOR UPDATE: the mutex of lock grants across servers. */
gboolean store_lock_serialize(StoreConn *conn, GError **error)
{
	static const char sql[] = "SELECT next FROM txn_counters WHERE name = 'lock' FOR UPDATE";
	g_autoptr(PGresult) res = store_exec(conn, "lock_serialize", sql, 0, NULL, error);
	return res != NULL;
}

/*
 * Expires what stopped heartbeating for timeout_s: open transactions become ABORTED (their
 * locks go with them), and locks outside transactions are deleted.
 */
gboolean store_lock_reap(StoreConn *conn, guint timeout_s, GError **error)
{
	static const char sql[] =
		"WITH t AS (UPDATE txns SET state = 2, finished_ms = " NOW_MS " WHERE state = 3"
		"  AND heartbeat_ms < " NOW_MS " - $1::bigint * 1000 RETURNING id)"
		" DELETE FROM locks WHERE (txn_id = 0 AND heartbeat_ms < " NOW_MS " - $1::bigint * 1000)"
		" OR txn_id IN (SELECT id FROM t)";
	g_autofree char *t = g_strdup_printf("%u", timeout_s);
	const char *params[] = {t};
	g_autoptr(PGresult) res = store_exec(conn, "lock_reap", sql, 1, params, error);
	return res != NULL;
}

/*
 * Inserts a WAITING lock request with its components, numbered from the 'lock' counter.
 * request: {txnid, user, hostname, agentInfo?, owner?, component: [{type, level, dbname, tablename?,
 * partitionname?, operationType, isTransactional}]} (Hive's field names, enums as numbers;
 * names already lower-cased). Returns the lock id, or 0 with error.
 */
gint64 store_lock_insert(StoreConn *conn, const char *catalog, JsonObject *request, GError **error)
{
	static const char sql[] =
		"WITH c AS (UPDATE txn_counters SET next = next + 1 WHERE name = 'lock' RETURNING next - 1 AS id),"
		" l AS (INSERT INTO locks (id, txn_id, state, user_name, host, agent_info, created_ms, heartbeat_ms, owner)"
		"  SELECT c.id, $2::bigint, 2, $3, $4, $5, " NOW_MS ", " NOW_MS ", $7 FROM c RETURNING id),"
		" x AS (INSERT INTO lock_components (lock_id, seq, lock_type, lock_level, catalog, db, tbl, part,"
		"  operation_type, transactional)"
		"  SELECT l.id, e.ord, (e.v->>'type')::smallint, (e.v->>'level')::smallint, $6, e.v->>'dbname',"
		"  e.v->>'tablename', e.v->>'partitionname', coalesce((e.v->>'operationType')::smallint, 5),"
		"  coalesce((e.v->>'isTransactional')::boolean, false)"
		"  FROM l, jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, ord))"
		" SELECT id FROM l";
	g_autoptr(JsonNode) comps = json_node_new(JSON_NODE_ARRAY);
	json_node_set_array(comps, json_object_get_array_member(request, "component"));
	g_autofree char *ctext = json_to_string(comps, FALSE);
	g_autofree char *txn = g_strdup_printf("%" G_GINT64_FORMAT,
	                                       json_object_get_int_member_with_default(request, "txnid", 0));
	const char *params[] = {ctext,
	                        txn,
	                        store_json_string(request, "user", ""),
	                        store_json_string(request, "hostname", ""),
	                        store_json_string(request, "agentInfo", NULL),
	                        catalog,
	                        store_json_string(request, "owner", NULL)};
	g_autoptr(PGresult) res = store_exec(conn, "lock_insert", sql, 7, params, error);
	if (res == NULL)
		return 0;
	return lock_first_int(res);
}

/*
 * The check-and-grant step (call after store_lock_serialize): heartbeats lock id and grants it
 * when no earlier lock conflicts (Hive's CheckLockFunction matrix, see the CASE below).
 * *state receives 1 (ACQUIRED) or 2 (WAITING). NOT_FOUND if the lock does not exist.
 */
gboolean store_lock_check(StoreConn *conn, gint64 id, gint *state, GError **error)
{
	/* Conflicts, by requested type (r) against an earlier component (e) that overlaps it:
	 * SHARED_READ(1) ← EXCLUSIVE, unless e is on a table and r on a whole db;
	 * EXCLUSIVE(3) ← everything, unless e is a db-level SHARED_READ and r on a table;
	 * SHARED_WRITE(2) ← EXCL_WRITE, EXCLUSIVE; EXCL_WRITE(4) ← all but SHARED_READ.
	 * Components of the same (non-zero) transaction never conflict. */
	static const char sql[] =
		"WITH blocker AS (SELECT e.lock_id FROM lock_components r JOIN locks rl ON rl.id = r.lock_id"
		"  JOIN lock_components e ON e.lock_id < r.lock_id AND e.catalog = r.catalog AND e.db = r.db"
		"   AND (e.tbl IS NULL OR r.tbl IS NULL OR (e.tbl = r.tbl"
		"    AND (e.part IS NULL OR r.part IS NULL OR e.part = r.part)))"
		"  JOIN locks el ON el.id = e.lock_id"
		"  WHERE r.lock_id = $1::bigint AND (rl.txn_id = 0 OR el.txn_id <> rl.txn_id)"
		"   AND CASE r.lock_type"
		"    WHEN 1 THEN e.lock_type = 3 AND NOT (e.tbl IS NOT NULL AND r.tbl IS NULL)"
		"    WHEN 3 THEN NOT (e.tbl IS NULL AND e.lock_type = 1 AND r.tbl IS NOT NULL)"
		"    WHEN 2 THEN e.lock_type IN (3, 4)"
		"    ELSE e.lock_type <> 1 END"
		"  LIMIT 1),"
		" g AS (SELECT NOT EXISTS (SELECT 1 FROM blocker) AS free)"
		" UPDATE locks SET heartbeat_ms = " NOW_MS ","
		"  acquired_ms = CASE WHEN state = 2 AND g.free THEN " NOW_MS " ELSE acquired_ms END,"
		"  state = CASE WHEN state = 1 OR g.free THEN 1 ELSE 2 END"
		" FROM g WHERE id = $1::bigint RETURNING state";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids};
	g_autoptr(PGresult) res = store_exec(conn, "lock_check", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "No such lock: lockid:%" G_GINT64_FORMAT, id);
		return FALSE;
	}
	*state = (gint)lock_first_int(res);
	return TRUE;
}

/* {lockid, txnid, state, owner?} of a lock, or NULL with NOT_FOUND. */
JsonObject *store_lock_get(StoreConn *conn, gint64 id, GError **error)
{
	static const char sql[] = "SELECT json_strip_nulls(json_build_object('lockid', id, 'txnid', txn_id, 'state', state,"
	                          " 'owner', owner))::text FROM locks WHERE id = $1::bigint";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids};
	g_autoptr(PGresult) res = store_exec(conn, "lock_get", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "No such lock: lockid:%" G_GINT64_FORMAT, id);
		return NULL;
	}
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/* Deletes a lock with its components (no error when it is already gone). */
gboolean store_lock_delete(StoreConn *conn, gint64 id, GError **error)
{
	static const char sql[] = "DELETE FROM locks WHERE id = $1::bigint";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids};
	g_autoptr(PGresult) res = store_exec(conn, "lock_delete", sql, 1, params, error);
	return res != NULL;
}

/* Records a heartbeat of a lock; NOT_FOUND ("No such lock: lockid:<n>") if it does not exist. */
gboolean store_lock_heartbeat(StoreConn *conn, gint64 id, GError **error)
{
	static const char sql[] = "UPDATE locks SET heartbeat_ms = " NOW_MS ", heartbeat_count = heartbeat_count + 1"
	                          " WHERE id = $1::bigint RETURNING id";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids};
	g_autoptr(PGresult) res = store_exec(conn, "lock_heartbeat", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "No such lock: lockid:%" G_GINT64_FORMAT, id);
		return FALSE;
	}
	return TRUE;
}

/*
 * show_locks rows, one per component, in lock order: {lockid, dbname, tablename?, partname?,
 * state, type, txnid, lastheartbeat, acquiredat?, user, hostname, heartbeatCount, agentInfo?,
 * lockIdInternal, owner?}. db/tbl/part NULL = any; txnid < 0 = any.
 */
JsonArray *store_lock_list(StoreConn *conn, const char *db, const char *tbl, const char *part, gint64 txnid,
                           GError **error)
{
	static const char sql[] =
		"SELECT coalesce(json_agg(json_strip_nulls(json_build_object('lockid', l.id, 'dbname', c.db,"
		" 'tablename', c.tbl, 'partname', c.part, 'state', l.state, 'type', c.lock_type, 'txnid', l.txn_id,"
		" 'lastheartbeat', l.heartbeat_ms, 'acquiredat', l.acquired_ms, 'user', l.user_name,"
		" 'hostname', l.host, 'heartbeatCount', l.heartbeat_count, 'agentInfo', l.agent_info,"
		" 'lockIdInternal', c.seq, 'owner', l.owner)) ORDER BY l.id, c.seq), '[]')::text"
		" FROM locks l JOIN lock_components c ON c.lock_id = l.id"
		" WHERE ($1::text IS NULL OR c.db = $1) AND ($2::text IS NULL OR c.tbl = $2)"
		" AND ($3::text IS NULL OR c.part = $3) AND ($4::bigint < 0 OR l.txn_id = $4::bigint)";
	g_autofree char *t = g_strdup_printf("%" G_GINT64_FORMAT, txnid);
	const char *params[] = {db, tbl, part, t};
	g_autoptr(PGresult) res = store_exec(conn, "lock_list", sql, 4, params, error);
	if (res == NULL)
		return NULL;
	return store_json_parse_array(PQgetvalue(res, 0, 0), error);
}

/*
 * Lock components for operators (ListLocks), in lock order: show_locks' fields plus createdat
 * (epoch ms) and age_s, the seconds since the lock was acquired (since it was requested while
 * it waits), by PostgreSQL's clock. db/tbl NULL = any (a table matches its partitions' locks and
 * its database's whole-database locks, which block it too); only locks at least older_than_s old.
 */
JsonArray *store_lock_list_aged(StoreConn *conn, const char *db, const char *tbl, gint64 older_than_s,
                                GError **error)
{
	static const char sql[] =
		"SELECT coalesce(json_agg(json_strip_nulls(json_build_object('lockid', l.id, 'dbname', c.db,"
		" 'tablename', c.tbl, 'partname', c.part, 'state', l.state, 'type', c.lock_type, 'txnid', l.txn_id,"
		" 'lastheartbeat', l.heartbeat_ms, 'acquiredat', l.acquired_ms, 'createdat', l.created_ms,"
		" 'user', l.user_name, 'hostname', l.host, 'agentInfo', l.agent_info, 'owner', l.owner,"
		" 'age_s', (" NOW_MS " - coalesce(l.acquired_ms, l.created_ms)) / 1000)) ORDER BY l.id, c.seq), '[]')::text"
		" FROM locks l JOIN lock_components c ON c.lock_id = l.id"
		" WHERE ($1::text IS NULL OR c.db = $1) AND ($2::text IS NULL OR c.tbl = $2 OR c.tbl IS NULL)"
		" AND " NOW_MS " - coalesce(l.acquired_ms, l.created_ms) >= $3::bigint * 1000";
	g_autofree char *older = g_strdup_printf("%" G_GINT64_FORMAT, older_than_s);
	const char *params[] = {db, tbl, older};
	g_autoptr(PGresult) res = store_exec(conn, "lock_list_aged", sql, 3, params, error);
	if (res == NULL)
		return NULL;
	return store_json_parse_array(PQgetvalue(res, 0, 0), error);
}
