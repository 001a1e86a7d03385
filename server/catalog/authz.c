/*
 * authz.c — Lake Formation's rules applied once, in the catalog core, for every door.
 *
 * Each operation asks one of catalog_authz_catalog/_database/_table (internal.h) inside its
 * unit of work, before it acts: one query fetches the caller's facts (store/authz.c), the
 * evaluator (authz/evaluate.c) decides, and the decision is audited. Objects that do not exist
 * answer NOT_FOUND only to callers who could see their parent (anti-enumeration: others get
 * ACCESS_DENIED, as Lake Formation does).
 *
 * The audit table is written by one background thread in batches (a decision costs a queue
 * push on the request path, not a round trip); denials are also logged at once. On shutdown
 * the queue is flushed.
 */
#include <string.h>

#include "catalog/internal.h"
#include "common/metrics.h"

#define AUDIT_BATCH 512
#define AUDIT_FLUSH_US (200 * 1000)
#define AUDIT_TRIM_US (600 * G_USEC_PER_SEC)
#define AUDIT_QUEUE_MAX 100000 /* beyond this, decisions are counted as dropped, not queued */

typedef struct {
	gint64 at_us;
	char *principal, *door, *operation, *resource, *permission, *reason;
	gboolean allowed;
} AuditItem;

struct CatalogAudit {
	Catalog *cat;
	GAsyncQueue *queue;
	GThread *thread;
	gint dropped;
	gint64 last_trim_us;
};

static AuditItem audit_stop_marker;

/* The calling thread's decision for its current request (a denial sticks), for the doors' log lines. */
static GPrivate authz_decision = G_PRIVATE_INIT(g_free);

void catalog_authz_decision_reset(void)
{
	g_private_replace(&authz_decision, NULL);
}

const char *catalog_authz_decision(void)
{
	return g_private_get(&authz_decision);
}

static void authz_decision_note(gboolean allowed, const char *pname, const char *resource, const char *reason)
{
	const char *cur = g_private_get(&authz_decision);
	if (cur != NULL && g_str_has_prefix(cur, "denied") && allowed)
		return;
	g_private_replace(&authz_decision, g_strdup_printf("%s %s on %s (%s)", allowed ? "allowed" : "denied",
	                                                   pname ? pname : "access", resource, reason ? reason : ""));
}

static void audit_item_free(AuditItem *it)
{
	if (it == NULL || it == &audit_stop_marker)
		return;
	g_free(it->principal);
	g_free(it->door);
	g_free(it->operation);
	g_free(it->resource);
	g_free(it->permission);
	g_free(it->reason);
	g_free(it);
}

/* Writes the batch in one statement; a failure is logged and the batch dropped (never blocks requests).
 * Every AUDIT_TRIM_US the rows past the configured age go too. */
static void audit_write(CatalogAudit *a, GPtrArray *batch)
{
	gint64 now = g_get_monotonic_time();
	if (now - a->last_trim_us > AUDIT_TRIM_US) {
		a->last_trim_us = now;
		GError *terr = NULL;
		StoreConn *tc = store_pool_acquire(a->cat->pool, now + 5 * G_USEC_PER_SEC, &terr);
		if (tc == NULL || !store_authz_audit_trim(tc, a->cat->config->audit_ttl_s, &terr)) {
			g_warning("audit: trim failed: %s", terr->message);
			g_clear_error(&terr);
		}
		if (tc)
			store_pool_release(a->cat->pool, tc);
	}
	if (batch->len == 0)
		return;
	StoreAuditRow *rows = g_new0(StoreAuditRow, batch->len);
	for (guint i = 0; i < batch->len; i++) {
		AuditItem *it = g_ptr_array_index(batch, i);
		rows[i] = (StoreAuditRow){it->at_us, it->principal, it->door,   it->operation,
		                          it->resource, it->permission, it->reason, it->allowed};
	}
	GError *serr = NULL;
	StoreConn *conn = store_pool_acquire(a->cat->pool, g_get_monotonic_time() + 5 * G_USEC_PER_SEC, &serr);
	if (conn != NULL) {
		if (!store_authz_audit_insert(conn, rows, batch->len, &serr)) {
			g_warning("audit: %u decisions not written: %s", batch->len, serr->message);
			g_clear_error(&serr);
		}
		store_pool_release(a->cat->pool, conn);
	} else {
		g_warning("audit: %u decisions not written: %s", batch->len, serr->message);
		g_clear_error(&serr);
	}
	g_free(rows);
	g_ptr_array_set_size(batch, 0);
}

static gpointer audit_main(gpointer data)
{
	CatalogAudit *a = data;
	GPtrArray *batch = g_ptr_array_new_with_free_func((GDestroyNotify)audit_item_free);
	gboolean stopping = FALSE;
	while (!stopping) {
		AuditItem *it = g_async_queue_timeout_pop(a->queue, AUDIT_FLUSH_US);
		if (it == &audit_stop_marker)
			stopping = TRUE;
		else if (it != NULL)
			g_ptr_array_add(batch, it);
		/* Take what else is queued, up to a batch, without waiting. */
		while (!stopping && batch->len < AUDIT_BATCH && (it = g_async_queue_try_pop(a->queue)) != NULL) {
			if (it == &audit_stop_marker)
				stopping = TRUE;
			else
				g_ptr_array_add(batch, it);
		}
		audit_write(a, batch);
	}
	g_ptr_array_unref(batch);
	return NULL;
}

CatalogAudit *catalog_audit_start(Catalog *cat)
{
	CatalogAudit *a = g_new0(CatalogAudit, 1);
	a->cat = cat;
	a->queue = g_async_queue_new();
	a->thread = g_thread_new("propolis-audit", audit_main, a);
	return a;
}

void catalog_audit_stop(CatalogAudit *a)
{
	if (a == NULL)
		return;
	g_async_queue_push(a->queue, &audit_stop_marker);
	g_thread_join(a->thread);
	AuditItem *it;
	while ((it = g_async_queue_try_pop(a->queue)) != NULL)
		audit_item_free(it);
	g_async_queue_unref(a->queue);
	if (a->dropped > 0)
		g_warning("audit: %d decisions dropped (queue full)", a->dropped);
	g_free(a);
}

/* Queues one decision; principal is the caller as resolved (its ARN) when known. */
static void authz_audit_as(Catalog *cat, const CatalogCtx *ctx, const char *principal, const char *resource,
                           guint32 perm, gboolean allowed, const char *reason)
{
	const char *door = ctx && ctx->door ? ctx->door : "thrift";
	const char *op = ctx && ctx->operation ? ctx->operation : "-";
	g_autofree char *several = perm && authz_perm_name(perm) == NULL ? authz_perms_to_string(perm) : NULL;
	const char *pname = several ? several : perm ? authz_perm_name(perm) : NULL;
	authz_decision_note(allowed, pname, resource, reason);
	if (!allowed) {
		g_message("authz denied: principal=%s door=%s op=%s resource=%s permission=%s: %s", principal, door, op,
		          resource, pname ? pname : "-", reason ? reason : "");
		metrics_counter_add("propolis_authz_denials_total", "Authorization denials, by door.", "door", door, 1);
	}
	/*
	 * The audit table keeps denials and every write, grant and admin decision; an allowed read
	 * (DESCRIBE, SELECT) only with audit_reads. At engine rates (thousands of get_table a second
	 * across clusters) a row per read was the largest cost of a read in PostgreSQL and billions
	 * of rows a month; every call, read or not, is still in the door's audit log line.
	 */
	if (cat->audit == NULL ||
	    (allowed && perm != 0 && (perm & ~(AUTHZ_DESCRIBE | AUTHZ_SELECT)) == 0 && !cat->config->audit_reads))
		return;
	if (g_async_queue_length(cat->audit->queue) > AUDIT_QUEUE_MAX) {
		g_atomic_int_inc(&cat->audit->dropped);
		return;
	}
	AuditItem *it = g_new0(AuditItem, 1);
	it->at_us = g_get_real_time();
	it->principal = g_strdup(principal);
	it->door = g_strdup(door);
	it->operation = g_strdup(op);
	it->resource = g_strdup(resource);
	it->permission = g_strdup(pname ? pname : "");
	it->reason = g_strdup(reason ? reason : "");
	it->allowed = allowed;
	g_async_queue_push(cat->audit->queue, it);
}

void catalog_authz_audit(Catalog *cat, const CatalogCtx *ctx, const char *resource, guint32 perm, gboolean allowed,
                         const char *reason)
{
	authz_audit_as(cat, ctx, ctx && ctx->principal ? ctx->principal : "anonymous", resource, perm, allowed, reason);
}

/* Lake Formation's spelling of a permission in messages: "Describe", "Create Database". */
static char *authz_perm_words(guint32 perm)
{
	const char *name = authz_perm_name(perm);
	if (name == NULL)
		return g_strdup("permission");
	g_autofree char *lower = g_ascii_strdown(name, -1);
	GString *s = g_string_new(NULL);
	gboolean start = TRUE;
	for (const char *p = lower; *p; p++) {
		if (*p == '_') {
			g_string_append_c(s, ' ');
			start = TRUE;
		} else {
			g_string_append_c(s, start ? g_ascii_toupper(*p) : *p);
			start = FALSE;
		}
	}
	return g_string_free(s, FALSE);
}

/* "Insert, Alter or Delete": Lake Formation's words for one of the bits of perms (one bit: its words). */
static char *authz_perms_words_any(guint32 perms)
{
	GString *s = g_string_new(NULL);
	guint n = 0, total = (guint)__builtin_popcount(perms);
	for (guint32 bit = 1; bit != 0 && bit <= perms; bit <<= 1) {
		if (!(perms & bit))
			continue;
		g_autofree char *w = authz_perm_words(bit);
		if (n > 0)
			g_string_append(s, n + 1 == total ? " or " : ", ");
		g_string_append(s, w);
		n++;
	}
	return g_string_free(s, FALSE);
}

void catalog_authz_denied(GError **error, guint32 perm, const char *resource)
{
	g_autofree char *words = authz_perms_words_any(perm);
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ACCESS_DENIED,
	            "Insufficient Lake Formation permission(s): Required %s on %s", words, resource);
}

static AuthzFacts *authz_facts_for(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                   const char *table, StoreAuthzScope scope, GError **error)
{
	GError *serr = NULL;
	g_autofree char *cat_name = catalog_resolve(work->cat, catalog);
	AuthzFacts *f = store_authz_facts(work->conn, ctx ? ctx->principal : NULL, work->cat->config->account_id,
	                                  cat_name, db, table, scope, &serr);
	if (f == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	return f;
}

AuthzFacts *catalog_authz_facts(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                GError **error)
{
	return authz_facts_for(work, ctx, catalog, db, NULL, STORE_AUTHZ_LIST, error);
}

/* Audits the decision and sets the error on denial; returns allowed. */
static gboolean authz_decide(CatalogWork *work, const CatalogCtx *ctx, const AuthzFacts *f, const char *resource,
                             guint32 perm, gboolean allowed, const char *reason, GError **error)
{
	authz_audit_as(work->cat, ctx, f->caller, resource, perm, allowed, reason);
	if (!allowed)
		catalog_authz_denied(error, perm, resource);
	return allowed;
}

gboolean catalog_authz_catalog(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, guint32 perm,
                               AuthzFacts **facts_out, GError **error)
{
	g_autoptr(AuthzFacts) f = authz_facts_for(work, ctx, catalog, NULL, NULL, STORE_AUTHZ_DATABASE, error);
	if (f == NULL)
		return FALSE;
	g_autofree char *cat_name = catalog_resolve(work->cat, catalog);
	g_autofree char *resource = g_strdup_printf("catalog %s", cat_name);
	gboolean ok = authz_catalog_allows(f, perm);
	if (!authz_decide(work, ctx, f, resource, perm, ok, ok ? (f->is_admin ? "admin" : "grant") : "no grant", error))
		return FALSE;
	if (facts_out)
		*facts_out = g_steal_pointer(&f);
	return TRUE;
}

/* A missing database is NOT_FOUND (the operation says so) only to callers who may create databases. */
static gboolean authz_missing_db_ok(const AuthzFacts *f)
{
	return f->is_admin || f->is_readonly_admin || authz_catalog_allows(f, AUTHZ_CREATE_DATABASE);
}

/* The decision on a database: found says it exists whatever f says (a read saw it). */
static gboolean authz_database_ok(const AuthzFacts *f, guint32 perm, gboolean found, const char **why)
{
	gboolean ok;
	if (!found && !f->db_exists) {
		ok = authz_missing_db_ok(f);
		*why = ok ? "not found, visible catalog" : "not found";
	} else if (perm == AUTHZ_DESCRIBE) {
		ok = authz_database_visible(f);
		*why = ok ? "visible" : "no grant";
	} else {
		ok = authz_database_allows_any(f, perm); /* perm: one bit, or "any of these" */
		*why = ok ? (f->is_admin ? "admin" : "grant") : "no grant";
	}
	return ok;
}

/* The decision on a table: found says it exists whatever f says (a read saw it). */
static gboolean authz_table_ok(const AuthzFacts *f, const char *table, guint32 perm, gboolean found, const char **why)
{
	gboolean ok;
	if (!found && !f->db_exists) {
		ok = authz_missing_db_ok(f);
		*why = ok ? "not found, visible catalog" : "not found";
	} else if (!found && !f->table_exists) {
		ok = authz_database_visible(f);
		*why = ok ? "not found, visible database" : "not found";
	} else if (perm == AUTHZ_DESCRIBE) {
		ok = authz_table_visible(f, table);
		*why = ok ? "visible" : "no grant";
	} else {
		ok = authz_table_allows_any(f, table, perm); /* perm: one bit, or "any of these" */
		*why = ok ? (f->is_admin ? "admin" : "grant") : "no grant";
	}
	return ok;
}

gboolean catalog_authz_database(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                guint32 perm, AuthzFacts **facts_out, GError **error)
{
	/* Callers that keep the facts filter tables with them: those need every table's rows. */
	g_autoptr(AuthzFacts) f =
		authz_facts_for(work, ctx, catalog, db, NULL, facts_out ? STORE_AUTHZ_LIST : STORE_AUTHZ_DATABASE, error);
	if (f == NULL)
		return FALSE;
	g_autofree char *resource = g_strdup_printf("database %s", db ? db : "");
	const char *why;
	gboolean ok = authz_database_ok(f, perm, FALSE, &why);
	if (!authz_decide(work, ctx, f, resource, perm, ok, why, error))
		return FALSE;
	if (facts_out)
		*facts_out = g_steal_pointer(&f);
	return TRUE;
}

gboolean catalog_authz_table(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                             const char *table, guint32 perm, AuthzFacts **facts_out, GError **error)
{
	g_autoptr(AuthzFacts) f = authz_facts_for(work, ctx, catalog, db, table, STORE_AUTHZ_TABLE, error);
	if (f == NULL)
		return FALSE;
	g_autofree char *resource = g_strdup_printf("table %s.%s", db ? db : "", table ? table : "");
	const char *why;
	gboolean ok = authz_table_ok(f, table, perm, FALSE, &why);
	if (!authz_decide(work, ctx, f, resource, perm, ok, why, error))
		return FALSE;
	if (facts_out)
		*facts_out = g_steal_pointer(&f);
	return TRUE;
}

/* ---- facts kept between requests, valid while the grants epoch (migrations/0010) stands ---- */

#define AUTHZ_CACHE_MAX 4096 /* entries; when full the cache starts over (bounded, and simple) */

struct CatalogAuthzCache {
	GMutex lock;
	GHashTable *map; /* "caller\x1fcatalog\x1fdb\x1ftable\x1fscope" → AuthzFacts* */
};

CatalogAuthzCache *catalog_authz_cache_new(void)
{
	CatalogAuthzCache *c = g_new0(CatalogAuthzCache, 1);
	g_mutex_init(&c->lock);
	c->map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)authz_facts_free);
	return c;
}

void catalog_authz_cache_free(CatalogAuthzCache *c)
{
	if (c == NULL)
		return;
	g_hash_table_unref(c->map);
	g_mutex_clear(&c->lock);
	g_free(c);
}

/* The facts at epoch: a copy of the cached ones when they were read at epoch, else fetched and kept. */
static AuthzFacts *authz_facts_at(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *table, StoreAuthzScope scope, gint64 epoch, GError **error)
{
	CatalogAuthzCache *c = work->cat->authz_cache;
	g_autofree char *cat_name = catalog_resolve(work->cat, catalog);
	g_autofree char *key = g_strdup_printf("%s\x1f%s\x1f%s\x1f%s\x1f%d", ctx && ctx->principal ? ctx->principal : "",
	                                       cat_name, db ? db : "", table ? table : "", (int)scope);
	AuthzFacts *f = NULL;
	g_mutex_lock(&c->lock);
	AuthzFacts *hit = g_hash_table_lookup(c->map, key);
	if (hit != NULL && hit->epoch == epoch)
		f = authz_facts_dup(hit);
	g_mutex_unlock(&c->lock);
	if (f != NULL)
		return f;
	f = authz_facts_for(work, ctx, cat_name, db, table, scope, error);
	if (f == NULL)
		return NULL;
	AuthzFacts *keep = authz_facts_dup(f);
	g_mutex_lock(&c->lock);
	if (g_hash_table_size(c->map) >= AUTHZ_CACHE_MAX)
		g_hash_table_remove_all(c->map);
	g_hash_table_replace(c->map, g_steal_pointer(&key), keep);
	g_mutex_unlock(&c->lock);
	return f;
}

gboolean catalog_authz_table_found(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                   const char *table, guint32 perm, gint64 epoch, AuthzFacts **facts_out,
                                   GError **error)
{
	g_autoptr(AuthzFacts) f = authz_facts_at(work, ctx, catalog, db, table, STORE_AUTHZ_TABLE, epoch, error);
	if (f == NULL)
		return FALSE;
	g_autofree char *resource = g_strdup_printf("table %s.%s", db ? db : "", table ? table : "");
	const char *why;
	gboolean ok = authz_table_ok(f, table, perm, TRUE, &why);
	if (!authz_decide(work, ctx, f, resource, perm, ok, why, error))
		return FALSE;
	if (facts_out)
		*facts_out = g_steal_pointer(&f);
	return TRUE;
}

gboolean catalog_authz_database_found(CatalogWork *work, const CatalogCtx *ctx, const char *catalog, const char *db,
                                      guint32 perm, gint64 epoch, GError **error)
{
	g_autoptr(AuthzFacts) f = authz_facts_at(work, ctx, catalog, db, NULL, STORE_AUTHZ_DATABASE, epoch, error);
	if (f == NULL)
		return FALSE;
	g_autofree char *resource = g_strdup_printf("database %s", db ? db : "");
	const char *why;
	gboolean ok = authz_database_ok(f, perm, TRUE, &why);
	return authz_decide(work, ctx, f, resource, perm, ok, why, error);
}

gboolean catalog_authz_location(CatalogWork *work, const CatalogCtx *ctx, const AuthzFacts *f, const char *location,
                                GError **error)
{
	if (location == NULL || *location == '\0')
		return TRUE;
	g_autofree char *registered = NULL;
	GError *serr = NULL;
	if (!store_authz_registered_location(work->conn, location, &registered, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (registered == NULL)
		return TRUE; /* unregistered paths need nothing */
	g_autofree char *resource = g_strdup_printf("location %s", registered);
	gboolean ok = authz_location_allows(f, registered);
	return authz_decide(work, ctx, f, resource, AUTHZ_DATA_LOCATION_ACCESS, ok, ok ? "grant" : "no grant", error);
}

gboolean catalog_authz_sd_locations(CatalogWork *work, const CatalogCtx *ctx, const AuthzFacts *f, JsonObject *sd,
                                    GError **error)
{
	if (sd == NULL)
		return TRUE;
	if (!catalog_authz_location(work, ctx, f, catalog_json_str(sd, "Location"), error))
		return FALSE;
	JsonNode *si = json_object_get_member(sd, "SkewedInfo");
	JsonNode *maps = si && JSON_NODE_HOLDS_OBJECT(si)
	                     ? json_object_get_member(json_node_get_object(si), "SkewedColumnValueLocationMaps")
	                     : NULL;
	if (maps == NULL || !JSON_NODE_HOLDS_OBJECT(maps))
		return TRUE;
	JsonObjectIter it;
	const char *key;
	JsonNode *v;
	json_object_iter_init(&it, json_node_get_object(maps));
	while (json_object_iter_next(&it, &key, &v))
		if (JSON_NODE_HOLDS_VALUE(v) && json_node_get_value_type(v) == G_TYPE_STRING &&
		    !catalog_authz_location(work, ctx, f, json_node_get_string(v), error))
			return FALSE;
	return TRUE;
}

gboolean catalog_authz_set_actor(CatalogWork *work, const AuthzFacts *f, GError **error)
{
	GError *serr = NULL;
	if (!store_authz_set_actor(work->conn, f->caller, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	return TRUE;
}

/* Adds to hidden the lower-cased names of doc's descriptor columns that f does not reach. */
static void authz_add_hidden(const AuthzFacts *f, const char *table, JsonObject *doc, GHashTable *hidden)
{
	JsonNode *sd = doc ? json_object_get_member(doc, "StorageDescriptor") : NULL;
	JsonNode *cols = sd && JSON_NODE_HOLDS_OBJECT(sd) ? json_object_get_member(json_node_get_object(sd), "Columns")
	                                                   : NULL;
	if (cols == NULL || !JSON_NODE_HOLDS_ARRAY(cols))
		return;
	JsonArray *arr = json_node_get_array(cols);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *c = json_array_get_element(arr, i);
		const char *name = JSON_NODE_HOLDS_OBJECT(c) ? catalog_json_str(json_node_get_object(c), "Name") : NULL;
		if (name != NULL && !authz_column_visible(f, table, name))
			g_hash_table_add(hidden, g_ascii_strdown(name, -1));
	}
}

GHashTable *catalog_authz_hidden_columns(const AuthzFacts *f, const char *table, JsonObject *doc,
                                         JsonObject *table_doc)
{
	if (!catalog_authz_columns_restricted(f, table))
		return NULL;
	GHashTable *hidden = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	authz_add_hidden(f, table, doc, hidden);
	if (table_doc != doc)
		authz_add_hidden(f, table, table_doc, hidden);
	return hidden;
}

void catalog_authz_trim_doc(const AuthzFacts *f, const char *table, JsonObject *table_doc, JsonObject *doc)
{
	if (f == NULL || doc == NULL || authz_table_all_columns(f, table))
		return;
	g_autoptr(GHashTable) hidden = catalog_authz_hidden_columns(f, table, doc, table_doc);
	catalog_trim_doc(doc, hidden);
}

/* A constraint's member by Hive's field name, stored as written or as GObject spells it ('-' for '_'). */
static const char *authz_constraint_str(JsonObject *c, const char *field)
{
	const char *v = catalog_json_str(c, field);
	if (v != NULL)
		return v;
	g_autofree char *dashed = g_strdelimit(g_strdup(field), "_", '-');
	return catalog_json_str(c, dashed);
}

/* A foreign key of table naming another table's column: does the caller see that column? */
static gboolean authz_fk_parent_visible(CatalogWork *work, const CatalogCtx *ctx, const char *catalog,
                                        const char *table, JsonObject *fk, GHashTable *facts, gboolean *visible,
                                        GError **error)
{
	const char *pdb = authz_constraint_str(fk, "pktable_db"), *ptbl = authz_constraint_str(fk, "pktable_name");
	const char *fdb = authz_constraint_str(fk, "fktable_db"), *pcol = authz_constraint_str(fk, "pkcolumn_name");
	*visible = TRUE;
	if (ptbl == NULL || pcol == NULL || (g_ascii_strcasecmp(ptbl, table) == 0 && pdb && fdb &&
	                                     g_ascii_strcasecmp(pdb, fdb) == 0))
		return TRUE; /* the table's own column: the hidden set decides */
	g_autofree char *pdb_l = g_ascii_strdown(pdb ? pdb : "", -1);
	g_autofree char *ptable = g_ascii_strdown(ptbl, -1);
	g_autofree char *fkey = g_strdup_printf("%s\x1f%s", pdb_l, ptable);
	AuthzFacts *pf = g_hash_table_lookup(facts, fkey);
	if (pf == NULL) {
		pf = authz_facts_for(work, ctx, catalog, pdb_l, ptable, STORE_AUTHZ_TABLE, error);
		if (pf == NULL)
			return FALSE;
		g_hash_table_insert(facts, g_steal_pointer(&fkey), pf);
	}
	*visible = authz_column_visible(pf, ptable, pcol);
	return TRUE;
}

gboolean catalog_authz_trim_constraints(CatalogWork *work, const CatalogCtx *ctx, const char *catalog,
                                        const AuthzFacts *f, const char *table, JsonObject *table_doc,
                                        JsonArray *list, GError **error)
{
	g_autoptr(GHashTable) hidden = catalog_authz_hidden_columns(f, table, table_doc, NULL);
	g_autoptr(GHashTable) facts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                                     (GDestroyNotify)authz_facts_free);
	for (guint i = json_array_get_length(list); i-- > 0;) {
		JsonNode *n = json_array_get_element(list, i);
		JsonObject *c = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
		gboolean visible = c != NULL && !catalog_trim_constraint_hides(c, hidden);
		if (visible && authz_constraint_str(c, "pkcolumn_name") != NULL &&
		    !authz_fk_parent_visible(work, ctx, catalog, table, c, facts, &visible, error))
			return FALSE;
		if (!visible)
			json_array_remove_element(list, i);
	}
	return TRUE;
}

gboolean catalog_authz_columns_restricted(const AuthzFacts *f, const char *table)
{
	return f != NULL && !authz_table_all_columns(f, table);
}

/* The tables of f's database the caller sees only partly (column grants without a whole-table grant). */
GPtrArray *catalog_authz_restricted_tables(const AuthzFacts *f)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	if (f->is_admin || f->is_readonly_admin)
		return out;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		if (g->kind != AUTHZ_KIND_COLUMNS || g->table == NULL || !g_hash_table_add(seen, g->table))
			continue;
		if (!authz_table_all_columns(f, g->table))
			g_ptr_array_add(out, g_strdup(g->table));
	}
	return out;
}

/* Keeps in items (char* names, or documents whose `member` names the database) the databases the caller sees. */
gboolean catalog_authz_filter_databases(CatalogWork *work, const CatalogCtx *ctx, const char *catalog,
                                        GPtrArray *items, const char *member, GError **error)
{
	GError *serr = NULL;
	gboolean all = FALSE;
	g_autofree char *cat_name = catalog_resolve(work->cat, catalog);
	g_autoptr(GHashTable) visible = store_authz_visible_databases(
		work->conn, ctx ? ctx->principal : NULL, work->cat->config->account_id, cat_name, &all, &serr);
	if (visible == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (all)
		return TRUE;
	guint before = items->len;
	for (guint i = items->len; i-- > 0;) {
		gpointer it = g_ptr_array_index(items, i);
		const char *name = member ? catalog_json_str(it, member) : it;
		if (name == NULL || !g_hash_table_contains(visible, name))
			g_ptr_array_remove_index(items, i);
	}
	if (items->len != before) {
		g_autofree char *resource = g_strdup_printf("catalog %s (list databases)", cat_name);
		g_autofree char *why = g_strdup_printf("%u of %u hidden", before - items->len, before);
		catalog_authz_audit(work->cat, ctx, resource, AUTHZ_DESCRIBE, TRUE, why);
	}
	return TRUE;
}

/* Keeps in items (char* names, or table documents with "Name" when docs) the tables f sees; trims columns of docs. */
void catalog_authz_filter_tables(const AuthzFacts *f, GPtrArray *items, gboolean docs)
{
	if (f->is_admin || f->is_readonly_admin)
		return;
	g_autoptr(GHashTable) visible = authz_visible_tables(f); /* NULL: all */
	for (guint i = items->len; i-- > 0;) {
		gpointer it = g_ptr_array_index(items, i);
		const char *name = docs ? catalog_json_str(it, "Name") : it;
		if (name == NULL || (visible && !g_hash_table_contains(visible, name)))
			g_ptr_array_remove_index(items, i);
		else if (docs)
			catalog_authz_trim_doc(f, name, NULL, it);
	}
}

/* The caller's facts for one object of the events being filtered, fetched once per object. */
static AuthzFacts *authz_event_facts(CatalogWork *work, const CatalogCtx *ctx, GHashTable *cache, const char *cat,
                                     const char *db, const char *tbl, StoreAuthzScope scope, GError **error)
{
	g_autofree char *key = g_strdup_printf("%s\x1f%s\x1f%s\x1f%d", cat, db ? db : "", tbl ? tbl : "", (int)scope);
	AuthzFacts *f = g_hash_table_lookup(cache, key);
	if (f == NULL) {
		f = authz_facts_for(work, ctx, cat, db, tbl, scope, error);
		if (f != NULL)
			g_hash_table_insert(cache, g_steal_pointer(&key), f);
	}
	return f;
}

/* TRUE when some column-level grant in the database (facts of every table) reaches the caller. */
static gboolean authz_has_column_grants(const AuthzFacts *f)
{
	for (guint i = 0; i < f->grants->len; i++)
		if (g_array_index(f->grants, AuthzGrant, i).kind == AUTHZ_KIND_COLUMNS)
			return TRUE;
	return FALSE;
}

static gboolean authz_filter_named(CatalogWork *work, const CatalogCtx *ctx, JsonArray *events, gboolean whole_table,
                                   GError **error);

/*
 * Keeps the notification events ({catName?, dbName?, tableName?}) whose object the caller sees.
 * A table's event embeds the whole table (and partitions) as Thrift JSON, so it shows only to
 * callers who see every column of that table: a caller with column-level SELECT gets no event of
 * it (no trimmed copy: a replaying consumer must never build a table with hidden columns, nor one
 * that differs from the catalog's). A dropped table's grants went with it, so who saw it whole is
 * unknown: its events show to callers who see its database and hold no column-level grant in it
 * (one who may have seen it only partly gets none). A dropped database's events show to callers
 * who may create databases.
 */
gboolean catalog_authz_filter_events(CatalogWork *work, const CatalogCtx *ctx, JsonArray *events, GError **error)
{
	return authz_filter_named(work, ctx, events, TRUE, error);
}

/*
 * Keeps the rows ({catName?, dbName?, tableName?}) whose object the caller sees: a table's rows
 * to callers who see the table (column grants included), since such a row names the table and
 * carries no column; a dropped table's to callers who see its database. Lock and compaction
 * listings use it.
 */
gboolean catalog_authz_filter_named(CatalogWork *work, const CatalogCtx *ctx, JsonArray *rows, GError **error)
{
	return authz_filter_named(work, ctx, rows, FALSE, error);
}

/* The two filters above: whole_table asks for every column of a table (events embed it). */
static gboolean authz_filter_named(CatalogWork *work, const CatalogCtx *ctx, JsonArray *events, gboolean whole_table,
                                   GError **error)
{
	g_autoptr(GHashTable) cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                                     (GDestroyNotify)authz_facts_free);
	for (guint i = json_array_get_length(events); i-- > 0;) {
		JsonObject *e = json_array_get_object_element(events, i);
		const char *catn = catalog_json_str(e, "catName"), *db = catalog_json_str(e, "dbName");
		const char *tbl = catalog_json_str(e, "tableName");
		if (tbl && *tbl == '\0')
			tbl = NULL;
		g_autofree char *cat_name = catalog_resolve(work->cat, catn);
		AuthzFacts *f = authz_event_facts(work, ctx, cache, cat_name, db, tbl,
		                                  tbl ? STORE_AUTHZ_TABLE : STORE_AUTHZ_DATABASE, error);
		if (f == NULL)
			return FALSE;
		if (f->is_admin || f->is_readonly_admin)
			continue;
		gboolean visible;
		if (db == NULL || !f->db_exists) {
			visible = authz_catalog_allows(f, AUTHZ_CREATE_DATABASE);
		} else if (tbl && f->table_exists) {
			/* an event's message embeds the whole table */
			visible = whole_table ? authz_table_all_columns(f, tbl) : authz_table_visible(f, tbl);
		} else if (tbl && !whole_table) {
			visible = authz_database_visible(f);
		} else if (tbl) {
			AuthzFacts *all = authz_event_facts(work, ctx, cache, cat_name, db, NULL, STORE_AUTHZ_LIST, error);
			if (all == NULL)
				return FALSE;
			visible = authz_database_visible(all) && !authz_has_column_grants(all);
		} else {
			visible = authz_database_visible(f);
		}
		if (!visible)
			json_array_remove_element(events, i);
	}
	return TRUE;
}
