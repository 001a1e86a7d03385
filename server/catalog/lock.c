/*
 * lock.c — Hive's metastore locks (what Iceberg's HiveCatalog and Hive take around a commit):
 * lock, check_lock, unlock, show_locks.
 *
 * Invariants: lock and check_lock run their check-and-grant under store_lock_serialize() in
 * one transaction, after expiring locks and transactions that stopped heartbeating
 * (config lock_timeout_s), so all servers on one database agree on who holds what and a waiter
 * gets the lock at its next check_lock once the holder unlocked or expired. Components of one
 * request are granted together or all wait; waiters are served in arrival order.
 * Requests and answers are documents with Hive's field names and enum numbers (catalog.h).
 * Operators list and release any lock through the admin operations at the end (data lake
 * administrators only, audited).
 */
#include "catalog/internal.h"

#define LOCK_ACQUIRED 1
#define LOCK_TYPE_MAX 4
#define LOCK_LEVEL_MAX 3

/* Validates and lower-cases the components of a lock request. INVALID_INPUT when malformed. */
static gboolean lock_normalise(JsonObject *request, GError **error)
{
	JsonNode *cn = json_object_get_member(request, "component");
	JsonArray *comps = cn && JSON_NODE_HOLDS_ARRAY(cn) ? json_node_get_array(cn) : NULL;
	if (comps == NULL || json_array_get_length(comps) == 0) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "LockRequest has no components");
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(comps); i++) {
		JsonObject *c = json_array_get_object_element(comps, i);
		gint64 type = json_object_get_int_member_with_default(c, "type", 0);
		gint64 level = json_object_get_int_member_with_default(c, "level", 0);
		const char *db = catalog_json_str(c, "dbname");
		if (type < 1 || type > LOCK_TYPE_MAX || level < 1 || level > LOCK_LEVEL_MAX || db == NULL) {
			g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			                    "LockComponent needs a type, a level and a dbname");
			return FALSE;
		}
		static const char *const names[] = {"dbname", "tablename"};
		for (guint k = 0; k < G_N_ELEMENTS(names); k++) {
			g_autofree char *lower = catalog_lower(catalog_json_str(c, names[k]));
			if (lower)
				json_object_set_string_member(c, names[k], lower);
		}
	}
	return TRUE;
}

/* Serializes with other lock grants; FALSE with error. */
static gboolean lock_serialize(CatalogWork *work, GError **error)
{
	GError *serr = NULL;
	if (store_lock_serialize(work->conn, &serr))
		return TRUE;
	catalog_error_from_store(serr, NULL, NULL, error);
	return FALSE;
}

/*
 * The check-and-grant step for lock id inside work; *state receives the LockState.
 * NO_SUCH_LOCK ("No such lock: lockid:<n>") when the lock is gone (unlocked or expired).
 */
static gboolean lock_check(CatalogWork *work, gint64 id, gint *state, GError **error)
{
	GError *serr = NULL;
	if (store_lock_check(work->conn, id, state, &serr))
		return TRUE;
	gboolean missing = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND;
	catalog_error_from_store(serr, NULL, NULL, error);
	if (missing && error && *error)
		(*error)->code = CATALOG_ERROR_NO_SUCH_LOCK;
	return FALSE;
}

/*
 * lock: records request {component[], txnid?, user, hostname, agentInfo?} and grants it when
 * nothing earlier conflicts. Returns {lockid, state} (ACQUIRED or WAITING). Each component
 * needs its permission (catalog_acid_lock_authorize); the lock is owned by the caller. A named
 * transaction must be the caller's (or the caller an administrator) and open (NO_SUCH_TXN /
 * TXN_ABORTED).
 */
JsonObject *catalog_lock(Catalog *cat, const CatalogCtx *ctx, const char *catalog, JsonObject *request,
                         GError **error)
{
	if (!lock_normalise(request, error))
		return NULL;
	g_autofree char *catname = catalog_resolve(cat, catalog);
	gint64 txnid = json_object_get_int_member_with_default(request, "txnid", 0);
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return NULL;
	gboolean ok = catalog_acid_lock_authorize(&work, ctx, catname, request, error) && lock_serialize(&work, error);
	if (ok && txnid > 0) {
		g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
		g_array_append_val(ids, txnid);
		ok = catalog_acid_txns_owner_require(&work, ctx, ids, 0, 0, error) &&
		     catalog_txn_require_open(&work, ids, FALSE, FALSE, NULL, error);
	}
	GError *serr = NULL;
	gint64 id = 0;
	gint state = 0;
	if (ok && (id = store_lock_insert(work.conn, catname, request, &serr)) <= 0) {
		catalog_error_from_store(serr, NULL, NULL, error);
		ok = FALSE;
	}
	ok = ok && lock_check(&work, id, &state, error);
	if (!catalog_work_end(&work, ok, error))
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_int_member(out, "lockid", id);
	json_object_set_int_member(out, "state", state);
	return out;
}

/*
 * check_lock: heartbeats lock id and grants it if it is now free; *state receives the LockState.
 * The caller's own locks only (administrators: any).
 */
gboolean catalog_check_lock(Catalog *cat, const CatalogCtx *ctx, gint64 lockid, gint *state, GError **error)
{
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return FALSE;
	gboolean ok = lock_serialize(&work, error);
	g_autoptr(JsonObject) lock = ok ? catalog_acid_lock_get_owned(&work, ctx, lockid, error) : NULL;
	ok = lock != NULL && lock_check(&work, lockid, state, error);
	return catalog_work_end(&work, ok, error);
}

/*
 * unlock: releases a lock taken outside a transaction (or still waiting). An unknown id is a
 * no-op (Hive 4); an acquired lock of a transaction is TXN_OPEN: commit or abort frees it.
 * Another principal's lock is ACCESS_DENIED unless the caller is an administrator.
 */
gboolean catalog_unlock(Catalog *cat, const CatalogCtx *ctx, gint64 lockid, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	gboolean ok = lock_serialize(&work, error);
	GError *serr = NULL;
	g_autoptr(JsonObject) lock = ok ? store_lock_get(work.conn, lockid, &serr) : NULL;
	if (ok && lock == NULL) {
		gboolean missing = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND;
		if (missing)
			g_clear_error(&serr);
		else
			catalog_error_from_store(serr, NULL, NULL, error);
		return catalog_work_end(&work, missing, error);
	}
	ok = ok && catalog_acid_lock_owner_require(&work, ctx, lock, error);
	gint64 txnid = ok ? json_object_get_int_member_with_default(lock, "txnid", 0) : 0;
	if (ok && txnid > 0 && json_object_get_int_member_with_default(lock, "state", 0) == LOCK_ACQUIRED) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_TXN_OPEN,
		            "Unlocking locks associated with transaction not permitted.  lockid:%" G_GINT64_FORMAT
		            " txnid:%" G_GINT64_FORMAT, lockid, txnid);
		ok = FALSE;
	}
	if (ok && !(ok = store_lock_delete(work.conn, lockid, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

/*
 * show_locks: one row per lock component (ShowLocksResponseElement fields); filters NULL = any,
 * txnid < 0 = any. Only components on objects the caller sees, and its own locks.
 */
JsonArray *catalog_show_locks(Catalog *cat, const CatalogCtx *ctx, const char *db, const char *tbl, const char *part,
                              gint64 txnid, GError **error)
{
	g_autofree char *dbname = catalog_lower(db), *tname = catalog_lower(tbl);
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return NULL;
	GError *serr = NULL;
	g_autofree char *catname = catalog_resolve(cat, NULL);
	JsonArray *rows = store_lock_list(work.conn, dbname, tname, part, txnid, &serr);
	if (rows == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else if (json_array_get_length(rows) > 0 && !catalog_acid_filter_rows(&work, ctx, catname, &rows, error))
		g_clear_pointer(&rows, json_array_unref);
	if (!catalog_work_end(&work, rows != NULL, error))
		g_clear_pointer(&rows, json_array_unref);
	return rows;
}

/*
 * ListLocks (administrators): lock components with holder, age and last heartbeat after
 * expiring what stopped heartbeating, as the server does on every lock access. db/tbl NULL =
 * any (lower-cased here); older_than_s 0 = all. Rows as store_lock_list_aged().
 */
JsonArray *catalog_lock_list_aged(Catalog *cat, const CatalogCtx *ctx, const char *db, const char *tbl,
                                  gint64 older_than_s, GError **error)
{
	g_autofree char *dbname = catalog_lower(db), *tname = catalog_lower(tbl);
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return NULL;
	GError *serr = NULL;
	JsonArray *rows = NULL;
	if (catalog_admin_require(&work, ctx, "locks", error) &&
	    (rows = store_lock_list_aged(work.conn, dbname, tname, older_than_s, &serr)) == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	if (!catalog_work_end(&work, rows != NULL, error))
		g_clear_pointer(&rows, json_array_unref);
	return rows;
}

/*
 * ReleaseLock (administrators): deletes lock id whoever holds it, transaction or not (the
 * transaction stays open); the next check_lock of a waiter can then acquire. NOT_FOUND ("No
 * such lock: lockid:<n>") for an unknown or already expired id.
 */
gboolean catalog_lock_release(Catalog *cat, const CatalogCtx *ctx, gint64 lockid, GError **error)
{
	g_autofree char *resource = g_strdup_printf("lock %" G_GINT64_FORMAT, lockid);
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return FALSE;
	gboolean ok = catalog_admin_require(&work, ctx, resource, error) && lock_serialize(&work, error);
	GError *serr = NULL;
	g_autoptr(JsonObject) lock = ok ? store_lock_get(work.conn, lockid, &serr) : NULL;
	if (ok && lock == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		ok = FALSE;
	}
	if (ok && !(ok = store_lock_delete(work.conn, lockid, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}
