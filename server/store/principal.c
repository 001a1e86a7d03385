/*
 * principal.c — principals, their access keys and the wrapped data keys (migration 0005).
 *
 * Binary blobs (wrapped data keys, encrypted secrets) cross this boundary as lower-case hex
 * text and are stored as bytea (decode/encode in SQL). The store never sees a plaintext key
 * or secret: wrapping and encryption happen in auth/. First-start work (the first data key,
 * the bootstrap administrator) runs under a transaction-scoped advisory lock so servers
 * starting together against one database do it once.
 */
#include <stdlib.h>

#include "store/store_internal.h"

/* Any constant; pg_advisory_xact_lock keys are per database. */
#define PRINCIPAL_BOOTSTRAP_LOCK "7170200501"

/* Takes the bootstrap advisory lock until the end of the transaction. */
static gboolean principal_lock(StoreConn *conn, GError **error)
{
	static const char sql[] = "SELECT pg_advisory_xact_lock(" PRINCIPAL_BOOTSTRAP_LOCK ")";
	g_autoptr(PGresult) res = store_exec(conn, "principal_lock", sql, 0, NULL, error);
	return res != NULL;
}

/* The newest data key, or inserts the given one when there is none; see store.h. */
gboolean store_data_key_ensure(StoreConn *conn, const char *fingerprint, const char *wrapped_hex, gint64 *id_out,
                               char **wrapped_out, char **fingerprint_out, GError **error)
{
	static const char get[] = "SELECT id, encode(wrapped, 'hex'), master_fingerprint FROM data_keys ORDER BY id DESC LIMIT 1";
	static const char ins[] = "INSERT INTO data_keys (wrapped, master_fingerprint) VALUES (decode($1, 'hex'), $2)"
	                          " RETURNING id, encode(wrapped, 'hex'), master_fingerprint";
	if (!principal_lock(conn, error))
		return FALSE;
	g_autoptr(PGresult) res = store_exec(conn, "data_key_latest", get, 0, NULL, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		const char *params[] = {wrapped_hex, fingerprint};
		PQclear(g_steal_pointer(&res));
		res = store_exec(conn, "data_key_insert", ins, 2, params, error);
		if (res == NULL)
			return FALSE;
	}
	*id_out = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	*wrapped_out = g_strdup(PQgetvalue(res, 0, 1));
	*fingerprint_out = g_strdup(PQgetvalue(res, 0, 2));
	return TRUE;
}

/* The wrapped data key (hex) with this id; NOT_FOUND if there is none. */
char *store_data_key_get(StoreConn *conn, gint64 id, GError **error)
{
	static const char sql[] = "SELECT encode(wrapped, 'hex') FROM data_keys WHERE id = $1";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids};
	g_autoptr(PGresult) res = store_exec(conn, "data_key_get", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "data key %s not found", ids);
		return NULL;
	}
	return g_strdup(PQgetvalue(res, 0, 0));
}

/* Inserts the first principal with one access key, unless a principal exists; see store.h. */
gboolean store_principal_bootstrap(StoreConn *conn, const StorePrincipalKey *admin, gboolean *created, GError **error)
{
	static const char count[] = "SELECT count(*) FROM principals";
	static const char ins[] = "WITH p AS (INSERT INTO principals (arn, name, kind, is_admin) VALUES ($1, $2, $3, $4)"
	                          " RETURNING id)"
	                          " INSERT INTO access_keys (key_id, principal_id, data_key_id, secret)"
	                          " SELECT $5, p.id, $6, decode($7, 'hex') FROM p RETURNING key_id";
	*created = FALSE;
	if (!principal_lock(conn, error))
		return FALSE;
	g_autoptr(PGresult) res = store_exec(conn, "principal_count", count, 0, NULL, error);
	if (res == NULL)
		return FALSE;
	if (g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) > 0)
		return TRUE;
	g_autofree char *dk = g_strdup_printf("%" G_GINT64_FORMAT, admin->data_key_id);
	const char *params[] = {admin->arn,    admin->name, admin->kind, admin->is_admin ? "true" : "false",
	                        admin->key_id, dk,          admin->secret_hex};
	g_autoptr(PGresult) ires = store_exec(conn, "principal_bootstrap", ins, 7, params, error);
	if (ires == NULL)
		return FALSE;
	*created = TRUE;
	return TRUE;
}

/* The access key's principal and encrypted secret; NOT_FOUND when unknown or inactive. */
gboolean store_access_key_get(StoreConn *conn, const char *key_id, StorePrincipalKey *out, GError **error)
{
	static const char sql[] = "SELECT p.arn, p.name, p.kind, p.is_admin, k.data_key_id, encode(k.secret, 'hex')"
	                          " FROM access_keys k JOIN principals p ON p.id = k.principal_id"
	                          " WHERE k.key_id = $1 AND k.active";
	const char *params[] = {key_id};
	g_autoptr(PGresult) res = store_exec(conn, "access_key_get", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "access key %s not found", key_id);
		return FALSE;
	}
	out->arn = g_strdup(PQgetvalue(res, 0, 0));
	out->name = g_strdup(PQgetvalue(res, 0, 1));
	out->kind = g_strdup(PQgetvalue(res, 0, 2));
	out->is_admin = PQgetvalue(res, 0, 3)[0] == 't';
	out->data_key_id = g_ascii_strtoll(PQgetvalue(res, 0, 4), NULL, 10);
	out->key_id = g_strdup(key_id);
	out->secret_hex = g_strdup(PQgetvalue(res, 0, 5));
	return TRUE;
}

/* Frees the strings of a StorePrincipalKey filled by the store. */
void store_principal_key_clear(StorePrincipalKey *key)
{
	g_clear_pointer(&key->arn, g_free);
	g_clear_pointer(&key->name, g_free);
	g_clear_pointer(&key->kind, g_free);
	g_clear_pointer(&key->key_id, g_free);
	g_clear_pointer(&key->secret_hex, g_free);
}
