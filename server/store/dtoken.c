/*
 * dtoken.c — rows of delegation_tokens and master_keys (migration 0016), Hive DBTokenStore's shapes.
 *
 * Only moves text: the identifier, token value and sealed master key are encoded and sealed by
 * auth/ (dtoken.c, dtoken_manager.c, keys.c) before they get here.
 */
#include "store/store_internal.h"

/* Inserts or replaces a token row; *added FALSE when the identifier was there (Hive's add_token returns that). */
gboolean store_dtoken_put(StoreConn *conn, const char *ident, const char *token, const char *owner,
                          const char *renewer, gint64 max_date_ms, gboolean replace, gboolean *added, GError **error)
{
	static const char ins[] = "INSERT INTO delegation_tokens (token_ident, token, owner, renewer, max_date_ms)"
	                          " VALUES ($1, $2, $3, $4, NULLIF($5, '')::bigint) ON CONFLICT (token_ident) DO NOTHING";
	static const char upd[] = "INSERT INTO delegation_tokens (token_ident, token, owner, renewer, max_date_ms)"
	                          " VALUES ($1, $2, $3, $4, NULLIF($5, '')::bigint) ON CONFLICT (token_ident) DO UPDATE"
	                          " SET token = EXCLUDED.token";
	g_autofree char *maxs = max_date_ms > 0 ? g_strdup_printf("%" G_GINT64_FORMAT, max_date_ms) : g_strdup("");
	const char *params[] = {ident, token, owner, renewer, maxs};
	g_autoptr(PGresult) res =
		store_exec(conn, replace ? "dtoken_upsert" : "dtoken_insert", replace ? upd : ins, 5, params, error);
	if (res == NULL)
		return FALSE;
	if (added)
		*added = g_ascii_strtoll(PQcmdTuples(res), NULL, 10) > 0;
	return TRUE;
}

/* The token value of ident; NULL (no error) when there is none. */
char *store_dtoken_get(StoreConn *conn, const char *ident, gboolean *found, GError **error)
{
	static const char sql[] = "SELECT token FROM delegation_tokens WHERE token_ident = $1";
	const char *params[] = {ident};
	g_autoptr(PGresult) res = store_exec(conn, "dtoken_get", sql, 1, params, error);
	*found = FALSE;
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0)
		return g_strdup("");
	*found = TRUE;
	return g_strdup(PQgetvalue(res, 0, 0));
}

/* Deletes a token; *removed says whether it existed. */
gboolean store_dtoken_delete(StoreConn *conn, const char *ident, gboolean *removed, GError **error)
{
	static const char sql[] = "DELETE FROM delegation_tokens WHERE token_ident = $1";
	const char *params[] = {ident};
	g_autoptr(PGresult) res = store_exec(conn, "dtoken_delete", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	*removed = g_ascii_strtoll(PQcmdTuples(res), NULL, 10) > 0;
	return TRUE;
}

/* Every token as StoreDToken rows (ident, owner, renewer, max_date_ms), oldest first. */
GPtrArray *store_dtoken_list(StoreConn *conn, GError **error)
{
	static const char sql[] = "SELECT token_ident, coalesce(owner, ''), coalesce(renewer, ''),"
	                          " coalesce(max_date_ms, 0) FROM delegation_tokens ORDER BY created_at, token_ident";
	g_autoptr(PGresult) res = store_exec(conn, "dtoken_list", sql, 0, NULL, error);
	if (res == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(store_dtoken_free);
	for (int i = 0; i < PQntuples(res); i++) {
		StoreDToken *t = g_new0(StoreDToken, 1);
		t->ident = g_strdup(PQgetvalue(res, i, 0));
		t->owner = g_strdup(PQgetvalue(res, i, 1));
		t->renewer = g_strdup(PQgetvalue(res, i, 2));
		t->max_date_ms = g_ascii_strtoll(PQgetvalue(res, i, 3), NULL, 10);
		g_ptr_array_add(out, t);
	}
	return out;
}

void store_dtoken_free(gpointer p)
{
	StoreDToken *t = p;
	if (t == NULL)
		return;
	g_free(t->ident);
	g_free(t->owner);
	g_free(t->renewer);
	g_free(t);
}

/* Deletes tokens past their max date (Hive's remover thread); *n how many. */
gboolean store_dtoken_delete_expired(StoreConn *conn, gint64 now_ms, guint *n, GError **error)
{
	static const char sql[] = "DELETE FROM delegation_tokens WHERE max_date_ms < $1::bigint";
	g_autofree char *nows = g_strdup_printf("%" G_GINT64_FORMAT, now_ms);
	const char *params[] = {nows};
	g_autoptr(PGresult) res = store_exec(conn, "dtoken_delete_expired", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	*n = (guint)g_ascii_strtoll(PQcmdTuples(res), NULL, 10);
	return TRUE;
}

/* Adds a sealed master key; returns its id (> 0), or 0 with error. */
gint32 store_master_key_add(StoreConn *conn, const char *sealed, GError **error)
{
	static const char sql[] = "INSERT INTO master_keys (master_key) VALUES ($1) RETURNING key_id";
	const char *params[] = {sealed};
	g_autoptr(PGresult) res = store_exec(conn, "master_key_add", sql, 1, params, error);
	if (res == NULL)
		return 0;
	return (gint32)g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
}

/* Replaces key id's sealed text; *found FALSE when there is no such key. */
gboolean store_master_key_update(StoreConn *conn, gint32 id, const char *sealed, gboolean *found, GError **error)
{
	static const char sql[] = "UPDATE master_keys SET master_key = $2 WHERE key_id = $1::int";
	g_autofree char *ids = g_strdup_printf("%d", id);
	const char *params[] = {ids, sealed};
	g_autoptr(PGresult) res = store_exec(conn, "master_key_update", sql, 2, params, error);
	if (res == NULL)
		return FALSE;
	*found = g_ascii_strtoll(PQcmdTuples(res), NULL, 10) > 0;
	return TRUE;
}

/* Removes key id; *removed says whether it existed. */
gboolean store_master_key_remove(StoreConn *conn, gint32 id, gboolean *removed, GError **error)
{
	static const char sql[] = "DELETE FROM master_keys WHERE key_id = $1::int";
	g_autofree char *ids = g_strdup_printf("%d", id);
	const char *params[] = {ids};
	g_autoptr(PGresult) res = store_exec(conn, "master_key_remove", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	*removed = g_ascii_strtoll(PQcmdTuples(res), NULL, 10) > 0;
	return TRUE;
}

/* Every master key: StoreMasterKey rows, newest first, with their age in ms. */
GPtrArray *store_master_key_list(StoreConn *conn, GError **error)
{
	static const char sql[] = "SELECT key_id, master_key, (extract(epoch FROM now() - created_at) * 1000)::bigint"
	                          " FROM master_keys ORDER BY key_id DESC";
	g_autoptr(PGresult) res = store_exec(conn, "master_key_list", sql, 0, NULL, error);
	if (res == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(store_master_key_free);
	for (int i = 0; i < PQntuples(res); i++) {
		StoreMasterKey *k = g_new0(StoreMasterKey, 1);
		k->id = (gint32)g_ascii_strtoll(PQgetvalue(res, i, 0), NULL, 10);
		k->sealed = g_strdup(PQgetvalue(res, i, 1));
		k->age_ms = g_ascii_strtoll(PQgetvalue(res, i, 2), NULL, 10);
		g_ptr_array_add(out, k);
	}
	return out;
}

void store_master_key_free(gpointer p)
{
	StoreMasterKey *k = p;
	if (k == NULL)
		return;
	g_free(k->sealed);
	g_free(k);
}
