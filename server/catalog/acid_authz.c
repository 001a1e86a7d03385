/*
 * acid_authz.c — who may take, act on and see Hive's locks, transactions and compactions.
 *
 * Rules (server/authz/README.md, "What each operation needs"):
 *  - a lock, transaction or compaction request records its owner: the caller's ARN as the
 *    authorization core resolves it (AuthzFacts.caller), never the client's `user` field;
 *  - acting on a lock or transaction (check_lock, unlock, heartbeat, commit, abort, write ids,
 *    dynamic partitions) is for its owner or a data lake administrator. Rows from before
 *    migrations/0013 have no owner: only administrators act on them. Others get ACCESS_DENIED
 *    (audited as a denial), not Hive's NoSuchLock/NoSuchTxn: the id exists, and hiding that
 *    would make a denial look like an expiry to the owner's operator reading the audit;
 *  - taking a lock needs, per component: SHARED_READ, the table (or database) visible;
 *    a write type (SHARED_WRITE, EXCL_WRITE, EXCLUSIVE) on a table, the permission the
 *    component's operationType implies (INSERT → INSERT, DELETE → DELETE, UPDATE → INSERT or
 *    DELETE, anything else → INSERT, ALTER or DELETE); on a whole database, ALTER on it;
 *  - listings (show_locks, show_compact) keep the rows of objects the caller sees, by the
 *    visibility rule (catalog_authz_filter_named: any grant on the table), plus the caller's own locks.
 * Every check runs inside the operation's unit of work, before it changes anything.
 */
#include "catalog/internal.h"

#define LOCK_SHARED_READ 1
#define OP_INSERT 2
#define OP_UPDATE 3
#define OP_DELETE 4
#define ACID_WRITE_PERMS (AUTHZ_INSERT | AUTHZ_ALTER | AUTHZ_DELETE)

/* The permissions (any one suffices) a lock component of type on a table needs for operation op. */
static guint32 acid_lock_table_perms(gint64 type, gint64 op)
{
	if (type == LOCK_SHARED_READ)
		return AUTHZ_DESCRIBE;
	switch (op) {
	case OP_INSERT: return AUTHZ_INSERT;
	case OP_DELETE: return AUTHZ_DELETE;
	case OP_UPDATE: return AUTHZ_INSERT | AUTHZ_DELETE;
	default: return ACID_WRITE_PERMS;
	}
}

/* Checks one lock component; *caller (when NULL) receives the caller's ARN. */
static gboolean acid_lock_component_ok(CatalogWork *work, const CatalogCtx *ctx, const char *catname, JsonObject *c,
                                       char **caller, GError **error)
{
	const char *db = catalog_json_str(c, "dbname"), *tbl = catalog_json_str(c, "tablename");
	gint64 type = json_object_get_int_member_with_default(c, "type", 0);
	g_autoptr(AuthzFacts) f = NULL;
	gboolean ok;
	if (tbl && *tbl)
		ok = catalog_authz_table(work, ctx, catname, db, tbl,
		                             acid_lock_table_perms(type, json_object_get_int_member_with_default(c, "operationType", 0)),
		                             &f, error);
	else
		ok = catalog_authz_database(work, ctx, catname, db, type == LOCK_SHARED_READ ? AUTHZ_DESCRIBE : AUTHZ_ALTER,
		                                &f, error);
	if (ok && *caller == NULL)
		*caller = g_strdup(f->caller);
	return ok;
}

/*
 * Checks every component of a lock request (one decision per distinct object and type) and
 * sets the request's "owner" to the caller's ARN.
 */
gboolean catalog_acid_lock_authorize(CatalogWork *work, const CatalogCtx *ctx, const char *catname,
                                     JsonObject *request, GError **error)
{
	JsonArray *comps = json_object_get_array_member(request, "component");
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *caller = NULL;
	for (guint i = 0; comps && i < json_array_get_length(comps); i++) {
		JsonObject *c = json_array_get_object_element(comps, i);
		const char *tbl = catalog_json_str(c, "tablename");
		char *key = g_strdup_printf("%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT,
		                            catalog_json_str(c, "dbname"), tbl ? tbl : "",
		                            json_object_get_int_member_with_default(c, "type", 0),
		                            json_object_get_int_member_with_default(c, "operationType", 0));
		if (!g_hash_table_add(seen, key))
			continue; /* the same object and need: decided already */
		if (!acid_lock_component_ok(work, ctx, catname, c, &caller, error))
			return FALSE;
	}
	json_object_set_string_member(request, "owner", caller ? caller : "");
	return TRUE;
}

AuthzFacts *catalog_acid_caller(CatalogWork *work, const CatalogCtx *ctx, GError **error)
{
	return catalog_authz_facts(work, ctx, NULL, NULL, error);
}

/* Audits an owner decision on resource; ACCESS_DENIED when not allowed. */
static gboolean acid_owner_decide(CatalogWork *work, const CatalogCtx *ctx, const AuthzFacts *f, const char *resource,
                                  gboolean owner, GError **error)
{
	gboolean ok = owner || f->is_admin;
	CatalogCtx as = *ctx; /* audited under the resolved ARN, as the grant checks are */
	as.principal = f->caller;
	/* An owner's own heartbeat or check_lock is routine (one every few seconds per lock): only an
	 * administrator acting on another's object, and every denial, go to the audit table. */
	if (!owner)
		catalog_authz_audit(work->cat, &as, resource, 0, ok, ok ? "data lake administrator" : "not the owner");
	if (!ok)
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ACCESS_DENIED,
		            "Insufficient Lake Formation permission(s): %s belongs to another principal; only its owner or a"
		            " data lake administrator may act on it",
		            resource);
	return ok;
}

/*
 * The ARN a caller's own name stands for without asking the store: the name itself when it is an
 * ARN (SigV4 callers), else the user ARN a bare name resolves to by default. New string.
 */
static char *acid_caller_default_arn(CatalogWork *work, const CatalogCtx *ctx)
{
	const char *p = ctx && ctx->principal ? ctx->principal : "anonymous";
	if (g_str_has_prefix(p, "arn:"))
		return g_strdup(p);
	return g_strdup_printf("arn:aws:iam::%s:user/%s", work->cat->config->account_id, p);
}

gboolean catalog_acid_lock_owner_require(CatalogWork *work, const CatalogCtx *ctx, JsonObject *lock, GError **error)
{
	/*
	 * The owner's own check_lock, heartbeat and unlock (Iceberg's every commit) need no grant
	 * query: an owner stored as the ARN the caller's own name stands for is the caller (only a
	 * caller of that name resolves to it). Anything else takes the full path below.
	 */
	g_autofree char *mine = acid_caller_default_arn(work, ctx);
	if (g_strcmp0(catalog_json_str(lock, "owner"), mine) == 0)
		return TRUE;
	g_autoptr(AuthzFacts) f = catalog_acid_caller(work, ctx, error);
	if (f == NULL)
		return FALSE;
	const char *owner = catalog_json_str(lock, "owner");
	g_autofree char *resource =
		g_strdup_printf("lock %" G_GINT64_FORMAT, json_object_get_int_member_with_default(lock, "lockid", 0));
	return acid_owner_decide(work, ctx, f, resource, owner != NULL && g_strcmp0(owner, f->caller) == 0, error);
}

gboolean catalog_acid_txns_owner_require(CatalogWork *work, const CatalogCtx *ctx, const GArray *ids, gint64 min,
                                         gint64 max, GError **error)
{
	gint64 foreign = 0;
	GError *serr = NULL;
	/* As for locks: transactions all owned by the ARN the caller's name stands for need no grant query. */
	g_autofree char *mine = acid_caller_default_arn(work, ctx);
	if (!store_txn_first_foreign(work->conn, ids, min, max, mine, &foreign, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (foreign == 0)
		return TRUE;
	g_autoptr(AuthzFacts) f = catalog_acid_caller(work, ctx, error);
	if (f == NULL)
		return FALSE;
	foreign = 0;
	if (!f->is_admin && !store_txn_first_foreign(work->conn, ids, min, max, f->caller, &foreign, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	g_autofree char *resource = NULL;
	if (foreign > 0)
		resource = g_strdup_printf("transaction %" G_GINT64_FORMAT, foreign);
	else if (ids != NULL && ids->len == 1)
		resource = g_strdup_printf("transaction %" G_GINT64_FORMAT, g_array_index(ids, gint64, 0));
	else if (ids != NULL)
		resource = g_strdup_printf("%u transactions", ids->len);
	else
		resource = g_strdup_printf("transactions %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, min, max);
	return acid_owner_decide(work, ctx, f, resource, !f->is_admin && foreign == 0, error);
}

/*
 * Keeps the rows (objects with members dbname and tablename, as show_locks and show_compact
 * rows have) whose object the caller sees, and those whose "owner" is the caller; *rows is
 * replaced by the kept rows. Administrators keep all.
 */
gboolean catalog_acid_filter_rows(CatalogWork *work, const CatalogCtx *ctx, const char *catname, JsonArray **rows,
                                  GError **error)
{
	g_autoptr(AuthzFacts) f = catalog_acid_caller(work, ctx, error);
	if (f == NULL)
		return FALSE;
	if (f->is_admin || f->is_readonly_admin)
		return TRUE;
	/* Probes in the notification events' shape, each remembering its row. */
	g_autoptr(JsonArray) probes = json_array_new();
	guint n = json_array_get_length(*rows);
	g_autofree gboolean *keep = g_new0(gboolean, n ? n : 1);
	for (guint i = 0; i < n; i++) {
		JsonObject *r = json_array_get_object_element(*rows, i);
		if (g_strcmp0(catalog_json_str(r, "owner"), f->caller) == 0) {
			keep[i] = TRUE;
			continue;
		}
		JsonObject *p = json_object_new();
		json_object_set_string_member(p, "catName", catname);
		json_object_set_string_member(p, "dbName", catalog_json_str(r, "dbname"));
		const char *tbl = catalog_json_str(r, "tablename");
		if (tbl)
			json_object_set_string_member(p, "tableName", tbl);
		json_object_set_int_member(p, "row", i);
		json_array_add_object_element(probes, p);
	}
	if (!catalog_authz_filter_named(work, ctx, probes, error))
		return FALSE;
	for (guint k = 0; k < json_array_get_length(probes); k++)
		keep[json_object_get_int_member(json_array_get_object_element(probes, k), "row")] = TRUE;
	JsonArray *out = json_array_new();
	for (guint i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		JsonObject *r = json_array_get_object_element(*rows, i);
		json_object_remove_member(r, "owner");
		json_array_add_object_element(out, json_object_ref(r));
	}
	json_array_unref(*rows);
	*rows = out;
	return TRUE;
}

guint32 catalog_acid_write_perms(gint64 op)
{
	return acid_lock_table_perms(LOCK_SHARED_READ + 1, op);
}

JsonObject *catalog_acid_lock_get_owned(CatalogWork *work, const CatalogCtx *ctx, gint64 lockid, GError **error)
{
	GError *serr = NULL;
	g_autoptr(JsonObject) lock = store_lock_get(work->conn, lockid, &serr);
	if (lock == NULL) {
		gboolean missing = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND;
		catalog_error_from_store(serr, NULL, NULL, error);
		if (missing && error && *error)
			(*error)->code = CATALOG_ERROR_NO_SUCH_LOCK;
		return NULL;
	}
	if (!catalog_acid_lock_owner_require(work, ctx, lock, error))
		return NULL;
	return g_steal_pointer(&lock);
}

/* Keeps in doc's "txns" ({hwm, txns: [{..., owner?}]}) the caller's own, unless it is an administrator. */
gboolean catalog_acid_filter_own_txns(CatalogWork *work, const CatalogCtx *ctx, JsonObject *doc, GError **error)
{
	g_autoptr(AuthzFacts) f = catalog_acid_caller(work, ctx, error);
	if (f == NULL)
		return FALSE;
	JsonArray *txns = json_object_get_array_member(doc, "txns");
	for (guint i = txns ? json_array_get_length(txns) : 0; i-- > 0;) {
		JsonObject *t = json_array_get_object_element(txns, i);
		if (!(f->is_admin || f->is_readonly_admin) && g_strcmp0(catalog_json_str(t, "owner"), f->caller) != 0)
			json_array_remove_element(txns, i);
		else
			json_object_remove_member(t, "owner");
	}
	return TRUE;
}
