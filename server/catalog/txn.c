/*
 * txn.c — Hive ACID transactions: open, commit, abort, heartbeats, write ids, the open-txn
 * snapshot, dynamic partitions and compaction requests (recorded; no compactor runs).
 *
 * Invariants: each operation is one unit of work that first expires what stopped heartbeating
 * (config lock_timeout_s; store_lock_reap), so a timed-out transaction is ABORTED before
 * anyone looks at it and its locks are gone. A finished transaction releases its locks in the
 * same transaction that marks it. Errors use Hive's texts: "No such transaction txnid:<n>",
 * "Transaction txnid:<n> already aborted", "Transaction txnid:<n> is already committed.".
 * Commit checks write-write conflicts as Hive's WRITE_SET does (migrations/0007_write_set.sql).
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"

#define TXN_COMMITTED 1
#define TXN_ABORTED 2
#define TXN_OPEN 3
#define TXN_MAX_OPEN 100000     /* transactions one open_txns may open */
#define TXN_MAX_RANGE 1000000   /* ids one heartbeat_txn_range may name */

/* Begins a write unit of work and expires timed-out transactions and locks. */
gboolean catalog_acid_begin(Catalog *cat, const CatalogCtx *ctx, CatalogWork *work, GError **error)
{
	if (!catalog_work_begin(cat, ctx, TRUE, work, error))
		return FALSE;
	GError *serr = NULL;
	if (!store_lock_reap(work->conn, cat->config->lock_timeout_s, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		catalog_work_end(work, FALSE, NULL);
		return FALSE;
	}
	return TRUE;
}

/* Sets Hive's error for a transaction found in state (0 = unknown); FALSE always. */
static gboolean txn_state_error(gint64 id, gint state, GError **error)
{
	if (state == TXN_ABORTED)
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_TXN_ABORTED, "Transaction txnid:%" G_GINT64_FORMAT
		            " already aborted", id);
	else if (state == TXN_COMMITTED)
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NO_SUCH_TXN, "Transaction txnid:%" G_GINT64_FORMAT
		            " is already committed.", id);
	else
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NO_SUCH_TXN, "No such transaction txnid:%" G_GINT64_FORMAT,
		            id);
	return FALSE;
}

/* The state of id in a store_txn_states() object (0 = unknown). */
static gint txn_state_of(JsonObject *states, gint64 id)
{
	char key[32];
	g_snprintf(key, sizeof key, "%" G_GINT64_FORMAT, id);
	return (gint)json_object_get_int_member_with_default(states, key, 0);
}

/*
 * Checks that every transaction in ids is open (rows locked when for_update); else Hive's error
 * for the first that is not. When skip_aborted, aborted ones pass (abort is idempotent) and
 * are left out of *open_out (may be NULL; receives the open ones).
 */
gboolean catalog_txn_require_open(CatalogWork *work, const GArray *ids, gboolean for_update, gboolean skip_aborted,
                                  GArray **open_out, GError **error)
{
	GError *serr = NULL;
	g_autoptr(JsonObject) states = store_txn_states(work->conn, ids, for_update, &serr);
	if (states == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	g_autoptr(GArray) open = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (guint i = 0; i < ids->len; i++) {
		gint64 id = g_array_index(ids, gint64, i);
		gint st = txn_state_of(states, id);
		if (st == TXN_OPEN)
			g_array_append_val(open, id);
		else if (!(skip_aborted && st == TXN_ABORTED))
			return txn_state_error(id, st, error);
	}
	if (open_out)
		*open_out = g_steal_pointer(&open);
	return TRUE;
}

/*
 * open_txns {num_txns, user, hostname, agentInfo?, txn_type?}: the new ids (GArray of gint64).
 * Any caller may open transactions; they are owned by the caller (its ARN, not `user`).
 */
GArray *catalog_open_txns(Catalog *cat, const CatalogCtx *ctx, JsonObject *request, GError **error)
{
	gint64 n = json_object_get_int_member_with_default(request, "num_txns", 0);
	if (n <= 0 || n > TXN_MAX_OPEN) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "num_txns must be between 1 and %d, not %" G_GINT64_FORMAT, TXN_MAX_OPEN, n);
		return NULL;
	}
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return NULL;
	GError *serr = NULL;
	g_autoptr(AuthzFacts) f = catalog_acid_caller(&work, ctx, error);
	gint64 first = 0;
	if (f != NULL) {
		json_object_set_string_member(request, "owner", f->caller);
		if ((first = store_txn_open(work.conn, (gint)n, request, &serr)) <= 0)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	if (!catalog_work_end(&work, first > 0, error))
		return NULL;
	GArray *ids = g_array_sized_new(FALSE, FALSE, sizeof(gint64), (guint)n);
	for (gint64 i = 0; i < n; i++) {
		gint64 id = first + i;
		g_array_append_val(ids, id);
	}
	return ids;
}

/* Finishes the caller's transactions in ids with state (commit or abort); see catalog_txn_require_open. */
static gboolean txn_finish(Catalog *cat, const CatalogCtx *ctx, const GArray *ids, gint state, GError **error)
{
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return FALSE;
	g_autoptr(GArray) open = NULL;
	gboolean ok = catalog_acid_txns_owner_require(&work, ctx, ids, 0, 0, error) &&
	              catalog_txn_require_open(&work, ids, TRUE, state == TXN_ABORTED, &open, error);
	GError *serr = NULL;
	if (ok && open->len > 0 && !(ok = store_txn_finish(work.conn, open, state, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

/* A DataOperationType as Hive's write-set letter (u, d, i, ...). */
static char txn_op_letter(gint64 op)
{
	switch (op) {
	case 1: return 's';
	case 2: return 'i';
	case 3: return 'u';
	case 4: return 'd';
	default: return '?';
	}
}

/* Hive's write-conflict text for txnid committing as commit_id, from a store_txn_write_conflict row. */
static void txn_conflict_error(gint64 txnid, gint64 commit_id, JsonObject *c, GError **error)
{
	const char *part = catalog_json_str(c, "part");
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_TXN_ABORTED,
	            "Aborting [txnid:%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "] due to a write conflict on %s/%s%s%s"
	            " committed by [txnid:%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "] %c/%c",
	            txnid, commit_id, catalog_json_str(c, "db"), catalog_json_str(c, "tbl"), part ? "/" : "",
	            part ? part : "", json_object_get_int_member_with_default(c, "txnId", 0),
	            json_object_get_int_member_with_default(c, "commitId", 0),
	            txn_op_letter(json_object_get_int_member_with_default(c, "curOp", 0)),
	            txn_op_letter(json_object_get_int_member_with_default(c, "committedOp", 0)));
}

/*
 * commit_txn: the transaction must be open; its locks are released. Write-write conflict
 * (Hive's WRITE_SET): when it updated or deleted a table/partition that a transaction which
 * overlapped it also updated or deleted and committed first (one of the two an update), it
 * is aborted instead (committed as aborted) and TXN_ABORTED carries Hive's text. The caller's
 * own transaction only (administrators: any).
 */
gboolean catalog_commit_txn(Catalog *cat, const CatalogCtx *ctx, gint64 txnid, GError **error)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_array_append_val(ids, txnid);
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return FALSE;
	g_autoptr(GArray) open = NULL;
	gboolean ok = catalog_acid_txns_owner_require(&work, ctx, ids, 0, 0, error) &&
	              catalog_txn_require_open(&work, ids, TRUE, FALSE, &open, error);
	GError *serr = NULL;
	gint64 commit_id = 0;
	g_autoptr(JsonObject) conflict = NULL;
	if (ok && !(ok = store_txn_write_conflict(work.conn, txnid, &commit_id, &conflict, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	if (ok && conflict != NULL) {
		if (!store_txn_finish(work.conn, ids, TXN_ABORTED, &serr)) {
			catalog_error_from_store(serr, NULL, NULL, error);
			return catalog_work_end(&work, FALSE, error);
		}
		if (!catalog_work_end(&work, TRUE, error))
			return FALSE;
		txn_conflict_error(txnid, commit_id, conflict, error);
		return FALSE;
	}
	if (ok && !(ok = store_txn_write_set_record(work.conn, txnid, commit_id, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	if (ok && !(ok = store_txn_finish(work.conn, ids, TXN_COMMITTED, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

/* abort_txn(s): all named transactions must be open or aborted (then a no-op); locks released. */
gboolean catalog_abort_txns(Catalog *cat, const CatalogCtx *ctx, const GArray *txnids, GError **error)
{
	return txn_finish(cat, ctx, txnids, TXN_ABORTED, error);
}

/*
 * heartbeat: the transaction (when txnid > 0) must be open; the lock (when lockid > 0) must exist.
 * Both must be the caller's (administrators: any).
 */
gboolean catalog_heartbeat(Catalog *cat, const CatalogCtx *ctx, gint64 lockid, gint64 txnid, GError **error)
{
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = TRUE;
	if (txnid > 0) {
		g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
		g_array_append_val(ids, txnid);
		ok = catalog_acid_txns_owner_require(&work, ctx, ids, 0, 0, error) &&
		     catalog_txn_require_open(&work, ids, FALSE, FALSE, NULL, error);
		g_autoptr(JsonObject) st = ok ? store_txn_heartbeat_range(work.conn, txnid, txnid, &serr) : NULL;
		if (ok && st == NULL) {
			catalog_error_from_store(serr, NULL, NULL, error);
			ok = FALSE;
		}
	}
	if (ok && lockid > 0) {
		g_autoptr(JsonObject) lock = catalog_acid_lock_get_owned(&work, ctx, lockid, error);
		ok = lock != NULL;
	}
	if (ok && lockid > 0 && !(ok = store_lock_heartbeat(work.conn, lockid, &serr))) {
		gboolean missing = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND;
		catalog_error_from_store(serr, NULL, NULL, error);
		if (missing && error && *error)
			(*error)->code = CATALOG_ERROR_NO_SUCH_LOCK;
	}
	return catalog_work_end(&work, ok, error);
}

/*
 * heartbeat_txn_range: {aborted: [ids], nosuch: [ids]}; open ones in [min, max] are heartbeated.
 * Every existing transaction in the range must be the caller's (administrators: any): a
 * streaming writer heartbeats its own batch, whose ids are consecutive.
 */
JsonObject *catalog_heartbeat_txn_range(Catalog *cat, const CatalogCtx *ctx, gint64 min, gint64 max, GError **error)
{
	if (max < min || max - min >= TXN_MAX_RANGE) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "heartbeat_txn_range needs min <= max and at most %d ids", TXN_MAX_RANGE);
		return NULL;
	}
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return NULL;
	GError *serr = NULL;
	g_autoptr(JsonObject) states = NULL;
	if (catalog_acid_txns_owner_require(&work, ctx, NULL, min, max, error) &&
	    (states = store_txn_heartbeat_range(work.conn, min, max, &serr)) == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	if (!catalog_work_end(&work, states != NULL, error))
		return NULL;
	JsonObject *out = json_object_new();
	JsonArray *aborted = json_array_new(), *nosuch = json_array_new();
	for (gint64 id = min; id <= max; id++) {
		gint st = txn_state_of(states, id);
		if (st == TXN_ABORTED)
			json_array_add_int_element(aborted, id);
		else if (st != TXN_OPEN)
			json_array_add_int_element(nosuch, id);
	}
	json_object_set_array_member(out, "aborted", aborted);
	json_object_set_array_member(out, "nosuch", nosuch);
	return out;
}

/*
 * get_open_txns(_info): {hwm, txns: [{id, state, user, hostname, ...}]}. own_only (get_open_txns_info)
 * keeps the caller's own transactions (administrators: all); get_open_txns gives every id, as
 * every reader needs them for snapshot isolation, and ids and states name no object.
 */
JsonObject *catalog_get_open_txns(Catalog *cat, const CatalogCtx *ctx, gboolean own_only, GError **error)
{
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return NULL;
	GError *serr = NULL;
	JsonObject *doc = store_txn_list_open(work.conn, &serr);
	if (doc == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else if (own_only && !catalog_acid_filter_own_txns(&work, ctx, doc, error))
		g_clear_pointer(&doc, json_object_unref);
	if (!catalog_work_end(&work, doc != NULL, error))
		g_clear_pointer(&doc, json_object_unref);
	return doc;
}

/*
 * allocate_table_write_ids: [{txnId, writeId}] for open transactions on table db.tbl. Needs
 * INSERT, ALTER or DELETE on the table, and the transactions must be the caller's.
 */
JsonArray *catalog_allocate_write_ids(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                      const char *tbl, const GArray *txnids, GError **error)
{
	if (db == NULL || tbl == NULL || txnids == NULL || txnids->len == 0) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "allocate_table_write_ids needs dbName, tableName and txnIds");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *tname = catalog_lower(tbl);
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return NULL;
	GError *serr = NULL;
	JsonArray *ids = NULL;
	if (catalog_authz_table(&work, ctx, catname, dbname, tname, catalog_acid_write_perms(0), NULL, error) &&
	    catalog_acid_txns_owner_require(&work, ctx, txnids, 0, 0, error) &&
	    catalog_txn_require_open(&work, txnids, TRUE, FALSE, NULL, error)) {
		ids = store_write_ids_allocate(work.conn, catname, dbname, tname, txnids, &serr);
		if (ids == NULL)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	if (!catalog_work_end(&work, ids != NULL, error))
		g_clear_pointer(&ids, json_array_unref);
	return ids;
}

/*
 * Reads a ValidTxnList string ("<hwm>:<minOpen>:<open,...>:<aborted,...>") into its high-water
 * mark and exception ids; an empty or malformed string means "now" (hwm 0, no exceptions).
 */
static gint64 txn_parse_valid_list(const char *s, GArray *exceptions)
{
	if (s == NULL || *s == '\0')
		return 0;
	g_auto(GStrv) parts = g_strsplit(s, ":", -1);
	gint64 hwm = g_ascii_strtoll(parts[0], NULL, 10);
	for (guint p = 2; parts[0] && parts[1] && p < g_strv_length(parts); p++) {
		g_auto(GStrv) ids = g_strsplit(parts[p], ",", -1);
		for (guint i = 0; ids[i]; i++) {
			if (*ids[i] == '\0')
				continue;
			gint64 id = g_ascii_strtoll(ids[i], NULL, 10);
			g_array_append_val(exceptions, id);
		}
	}
	return hwm > 0 ? hwm : 0;
}

/*
 * get_valid_write_ids: per "db.table" name, {fullTableName, hwm, invalid: [{w, aborted}]} as
 * seen by the snapshot valid_txn_list (NULL = now). Each table must be visible to the caller.
 */
JsonArray *catalog_get_valid_write_ids(Catalog *cat, const CatalogCtx *ctx, GPtrArray *full_names,
                                       const char *valid_txn_list, GError **error)
{
	g_autoptr(GArray) exceptions = g_array_new(FALSE, FALSE, sizeof(gint64));
	gint64 hwm = txn_parse_valid_list(valid_txn_list, exceptions);
	g_autofree char *catname = catalog_resolve(cat, NULL);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	g_autoptr(JsonArray) out = json_array_new();
	gboolean ok = TRUE;
	for (guint i = 0; ok && full_names && i < full_names->len; i++) {
		const char *full = g_ptr_array_index(full_names, i);
		const char *dot = full ? strchr(full, '.') : NULL;
		if (dot == NULL) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid full table name %s",
			            full ? full : "null");
			ok = FALSE;
			break;
		}
		g_autofree char *db = g_ascii_strdown(full, dot - full);
		g_autofree char *tbl = g_ascii_strdown(dot + 1, -1);
		if (!(ok = catalog_authz_table(&work, ctx, catname, db, tbl, AUTHZ_DESCRIBE, NULL, error)))
			break;
		GError *serr = NULL;
		JsonObject *one = store_write_ids_valid(work.conn, catname, db, tbl, exceptions, hwm, &serr);
		if (one == NULL) {
			catalog_error_from_store(serr, NULL, NULL, error);
			ok = FALSE;
			break;
		}
		g_autofree char *name = g_strdup_printf("%s.%s", db, tbl);
		json_object_set_string_member(one, "fullTableName", name);
		json_array_add_object_element(out, one);
	}
	catalog_work_end(&work, ok, NULL);
	return ok ? json_array_ref(out) : NULL;
}

/* get_latest_txnid_in_conflict: see store_txn_latest_in_conflict; 0 when none. The caller's own txnid. */
gboolean catalog_latest_txnid_in_conflict(Catalog *cat, const CatalogCtx *ctx, gint64 txnid, gint64 *out,
                                          GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return FALSE;
	GError *serr = NULL;
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_array_append_val(ids, txnid);
	gboolean ok = catalog_acid_txns_owner_require(&work, ctx, ids, 0, 0, error);
	if (ok && !(ok = store_txn_latest_in_conflict(work.conn, txnid, out, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, ok, NULL);
	return ok;
}

/*
 * add_dynamic_partitions: recorded for an open transaction of the caller (parts: char*); needs
 * the write permission op implies on the table (catalog_acid_write_perms).
 */
gboolean catalog_add_dynamic_partitions(Catalog *cat, const CatalogCtx *ctx, gint64 txnid, gint64 writeid,
                                        const char *db, const char *tbl, GPtrArray *parts, gint op, GError **error)
{
	if (db == NULL || tbl == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return FALSE;
	}
	g_autofree char *catname = catalog_resolve(cat, NULL);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *tname = catalog_lower(tbl);
	CatalogWork work;
	if (!catalog_acid_begin(cat, ctx, &work, error))
		return FALSE;
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_array_append_val(ids, txnid);
	GError *serr = NULL;
	gboolean ok = catalog_authz_table(&work, ctx, catname, dbname, tname, catalog_acid_write_perms(op), NULL,
	                                      error) &&
	              catalog_acid_txns_owner_require(&work, ctx, ids, 0, 0, error) &&
	              catalog_txn_require_open(&work, ids, TRUE, FALSE, NULL, error);
	if (ok && !(ok = store_txn_add_dynamic_partitions(work.conn, txnid, writeid, catname, dbname, tname, parts, op,
	                                                   &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

/* compact / compact2: records the request (ALTER on the table; owner: the caller); {id, state: "initiated", accepted: true}. */
JsonObject *catalog_compact(Catalog *cat, const CatalogCtx *ctx, JsonObject *request, GError **error)
{
	const char *db = catalog_json_str(request, "dbname"), *tbl = catalog_json_str(request, "tablename");
	if (db == NULL || tbl == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return NULL;
	}
	g_autofree char *dbname = catalog_lower(db), *tname = catalog_lower(tbl);
	json_object_set_string_member(request, "dbname", dbname);
	json_object_set_string_member(request, "tablename", tname);
	g_autofree char *catname = catalog_resolve(cat, NULL);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	GError *serr = NULL;
	g_autoptr(AuthzFacts) f = NULL;
	gint64 id = 0;
	if (catalog_authz_table(&work, ctx, catname, dbname, tname, AUTHZ_ALTER, &f, error)) {
		json_object_set_string_member(request, "owner", f->caller);
		if ((id = store_compaction_insert(work.conn, catname, request, &serr)) <= 0)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	if (!catalog_work_end(&work, id > 0, error))
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_int_member(out, "id", id);
	json_object_set_string_member(out, "state", "initiated");
	json_object_set_boolean_member(out, "accepted", TRUE);
	return out;
}

/* show_compact: recorded requests, filtered by id (> 0), db, table, partition (NULL = any); only on tables the caller sees. */
JsonArray *catalog_show_compact(Catalog *cat, const CatalogCtx *ctx, gint64 id, const char *db, const char *tbl,
                                const char *part, GError **error)
{
	g_autofree char *dbname = catalog_lower(db), *tname = catalog_lower(tbl);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	g_autofree char *catname = catalog_resolve(cat, NULL);
	JsonArray *list = store_compaction_list(work.conn, id, dbname, tname, part, &serr);
	if (list == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else if (json_array_get_length(list) > 0 && !catalog_acid_filter_rows(&work, ctx, catname, &list, error))
		g_clear_pointer(&list, json_array_unref);
	catalog_work_end(&work, list != NULL, NULL);
	return list;
}
