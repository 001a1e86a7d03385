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

/* ---- principal administration (the Propolis.* admin operations) ---- */

/*
 * The principal ident names: an ARN, or a name (users before roles). Fills *id and out's arn,
 * name, kind and is_admin (new strings); for_update locks the row. NOT_FOUND when none.
 */
gboolean store_principal_get(StoreConn *conn, const char *ident, gboolean for_update, gint64 *id,
                             StorePrincipalKey *out, GError **error)
{
	static const char sql[] = "SELECT id, arn, name, kind, is_admin FROM principals WHERE arn = $1 OR name = $1"
	                          " ORDER BY (arn = $1) DESC, (kind = 'user') DESC LIMIT 1";
	static const char sql_upd[] = "SELECT id, arn, name, kind, is_admin FROM principals WHERE arn = $1 OR name = $1"
	                              " ORDER BY (arn = $1) DESC, (kind = 'user') DESC LIMIT 1 FOR UPDATE";
	const char *params[] = {ident};
	g_autoptr(PGresult) res = for_update ? store_exec(conn, "principal_get_upd", sql_upd, 1, params, error)
	                                     : store_exec(conn, "principal_get", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "principal %s not found", ident);
		return FALSE;
	}
	*id = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	out->arn = g_strdup(PQgetvalue(res, 0, 1));
	out->name = g_strdup(PQgetvalue(res, 0, 2));
	out->kind = g_strdup(PQgetvalue(res, 0, 3));
	out->is_admin = PQgetvalue(res, 0, 4)[0] == 't';
	return TRUE;
}

/*
 * Inserts principal p (arn, name, kind; never an administrator) with its one access key and
 * groups (char*, may be NULL), under the bootstrap advisory lock. UNIQUE when a principal of
 * the same kind has the name in any letter case (IAM names are case-insensitive).
 */
gboolean store_principal_insert(StoreConn *conn, const StorePrincipalKey *p, GPtrArray *groups, GError **error)
{
	static const char taken[] = "SELECT arn FROM principals WHERE kind = $1 AND lower(name) = lower($2)";
	static const char ins[] =
		"WITH p AS (INSERT INTO principals (arn, name, kind) VALUES ($1, $2, $3) RETURNING id),"
		" k AS (INSERT INTO access_keys (key_id, principal_id, data_key_id, secret)"
		"  SELECT $4, p.id, $5::bigint, decode($6, 'hex') FROM p)"
		" INSERT INTO principal_groups (principal_id, group_name)"
		" SELECT DISTINCT p.id, g FROM p, unnest($7::text[]) AS g";
	if (!principal_lock(conn, error))
		return FALSE;
	const char *tparams[] = {p->kind, p->name};
	g_autoptr(PGresult) tres = store_exec(conn, "principal_name_taken", taken, 2, tparams, error);
	if (tres == NULL)
		return FALSE;
	if (PQntuples(tres) > 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_UNIQUE, "principal %s already exists", PQgetvalue(tres, 0, 0));
		return FALSE;
	}
	g_autofree char *dk = g_strdup_printf("%" G_GINT64_FORMAT, p->data_key_id);
	g_autofree char *glit = store_text_array_literal(groups);
	const char *params[] = {p->arn, p->name, p->kind, p->key_id, dk, p->secret_hex, glit};
	g_autoptr(PGresult) res = store_exec(conn, "principal_insert", ins, 7, params, error);
	return res != NULL;
}

/*
 * Every principal, ordered by ARN, as {Arn, Name, Kind ("USER"/"ROLE"), Groups [names],
 * IsAdmin, AccessKeyIds [active keys], CreationTime (epoch seconds)}. New array of JsonObject.
 */
GPtrArray *store_principal_list(StoreConn *conn, GError **error)
{
	static const char sql[] =
		"SELECT json_build_object('Arn', p.arn, 'Name', p.name, 'Kind', upper(p.kind),"
		" 'Groups', coalesce((SELECT json_agg(g.group_name ORDER BY g.group_name) FROM principal_groups g"
		"   WHERE g.principal_id = p.id), '[]'),"
		" 'IsAdmin', p.is_admin,"
		" 'AccessKeyIds', coalesce((SELECT json_agg(k.key_id ORDER BY k.created, k.key_id) FROM access_keys k"
		"   WHERE k.principal_id = p.id AND k.active), '[]'),"
		" 'CreationTime', floor(extract(epoch FROM p.created))::bigint)::text"
		" FROM principals p ORDER BY p.arn";
	g_autoptr(PGresult) res = store_exec(conn, "principal_list", sql, 0, NULL, error);
	if (res == NULL)
		return NULL;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (int i = 0; i < PQntuples(res); i++) {
		JsonObject *o = store_json_parse_object(PQgetvalue(res, i, 0), error);
		if (o == NULL)
			return NULL;
		g_ptr_array_add(out, o);
	}
	return g_steal_pointer(&out);
}

/* How many data lake administrators exist; -1 with error. Takes the bootstrap advisory lock first. */
gint64 store_principal_count_admins(StoreConn *conn, GError **error)
{
	static const char sql[] = "SELECT count(*) FROM principals WHERE is_admin";
	if (!principal_lock(conn, error))
		return -1;
	g_autoptr(PGresult) res = store_exec(conn, "principal_count_admins", sql, 0, NULL, error);
	return res ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : -1;
}

/*
 * Deletes principal id; its access keys and group memberships go with it (ON DELETE CASCADE),
 * and so do the Lake Formation grants to its ARN, so that a principal created later under the
 * same name does not inherit them.
 */
gboolean store_principal_delete(StoreConn *conn, gint64 id, GError **error)
{
	static const char sql[] = "WITH g AS (DELETE FROM lf_grants WHERE principal = (SELECT arn FROM principals"
	                          " WHERE id = $1::bigint)) DELETE FROM principals WHERE id = $1::bigint";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids};
	g_autoptr(PGresult) res = store_exec(conn, "principal_delete", sql, 1, params, error);
	return res != NULL;
}

/* Marks every active key of principal id inactive and adds key (key_id, data_key_id, secret_hex) as its one active key. */
gboolean store_access_key_replace(StoreConn *conn, gint64 id, const StorePrincipalKey *key, GError **error)
{
	static const char sql[] =
		"WITH old AS (UPDATE access_keys SET active = false WHERE principal_id = $1::bigint AND active)"
		" INSERT INTO access_keys (key_id, principal_id, data_key_id, secret)"
		" VALUES ($2, $1::bigint, $3::bigint, decode($4, 'hex'))";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	g_autofree char *dk = g_strdup_printf("%" G_GINT64_FORMAT, key->data_key_id);
	const char *params[] = {ids, key->key_id, dk, key->secret_hex};
	g_autoptr(PGresult) res = store_exec(conn, "access_key_replace", sql, 4, params, error);
	return res != NULL;
}

/* Replaces the groups of principal id by groups (char*, NULL or empty = none). */
gboolean store_principal_set_groups(StoreConn *conn, gint64 id, GPtrArray *groups, GError **error)
{
	static const char del[] = "DELETE FROM principal_groups WHERE principal_id = $1::bigint";
	static const char ins[] = "INSERT INTO principal_groups (principal_id, group_name)"
	                          " SELECT DISTINCT $1::bigint, g FROM unnest($2::text[]) AS g";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	g_autofree char *glit = store_text_array_literal(groups);
	const char *params[] = {ids, glit};
	g_autoptr(PGresult) dres = store_exec(conn, "principal_groups_clear", del, 1, params, error);
	if (dres == NULL)
		return FALSE;
	g_autoptr(PGresult) res = store_exec(conn, "principal_groups_add", ins, 2, params, error);
	return res != NULL;
}

/* ---- SASL PLAIN logins on the Thrift door (auth_keyring_verify_password) ---- */

static void principal_key_free(gpointer key)
{
	store_principal_key_clear(key);
	g_free(key);
}

/*
 * The active access keys of the one principal named name (exactly; a user before a role of
 * the same name), with its ARN, kind and admin flag; see store.h.
 */
GPtrArray *store_principal_keys_by_name(StoreConn *conn, const char *name, GError **error)
{
	static const char sql[] =
		"WITH p AS (SELECT id, arn, name, kind, is_admin FROM principals WHERE name = $1 AND kind IN ('user', 'role')"
		" ORDER BY (kind = 'user') DESC, id LIMIT 1)"
		" SELECT p.arn, p.name, p.kind, p.is_admin, k.key_id, k.data_key_id, encode(k.secret, 'hex')"
		" FROM p JOIN access_keys k ON k.principal_id = p.id AND k.active ORDER BY k.created, k.key_id";
	const char *params[] = {name};
	g_autoptr(PGresult) res = store_exec(conn, "principal_keys_by_name", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *keys = g_ptr_array_new_with_free_func(principal_key_free);
	for (int i = 0; i < PQntuples(res); i++) {
		StorePrincipalKey *k = g_new0(StorePrincipalKey, 1);
		k->arn = g_strdup(PQgetvalue(res, i, 0));
		k->name = g_strdup(PQgetvalue(res, i, 1));
		k->kind = g_strdup(PQgetvalue(res, i, 2));
		k->is_admin = PQgetvalue(res, i, 3)[0] == 't';
		k->key_id = g_strdup(PQgetvalue(res, i, 4));
		k->data_key_id = g_ascii_strtoll(PQgetvalue(res, i, 5), NULL, 10);
		k->secret_hex = g_strdup(PQgetvalue(res, i, 6));
		g_ptr_array_add(keys, k);
	}
	return keys;
}

/* ---- one principal's own view: WhoAmI, access keys (issue 22) ---- */

/* {Arn, Name, Kind, Groups} of the principal with this ARN; NULL with NOT_FOUND when there is none. */
JsonObject *store_principal_describe(StoreConn *conn, const char *arn, GError **error)
{
	static const char sql[] =
		"SELECT json_build_object('Arn', p.arn, 'Name', p.name, 'Kind', upper(p.kind),"
		" 'Groups', coalesce((SELECT json_agg(g.group_name ORDER BY g.group_name) FROM principal_groups g"
		"   WHERE g.principal_id = p.id), '[]'))::text FROM principals p WHERE p.arn = $1";
	const char *params[] = {arn};
	g_autoptr(PGresult) res = store_exec(conn, "principal_describe", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "no principal %s", arn);
		return NULL;
	}
	return store_json_parse_object(PQgetvalue(res, 0, 0), error);
}

/* Principal id's access keys, oldest first, as {AccessKeyId, Status ACTIVE|INACTIVE, CreateDate}. */
JsonArray *store_access_key_list(StoreConn *conn, gint64 id, GError **error)
{
	static const char sql[] =
		"SELECT key_id, active, floor(extract(epoch FROM created))::bigint FROM access_keys"
		" WHERE principal_id = $1::bigint ORDER BY created, key_id";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids};
	g_autoptr(PGresult) res = store_exec(conn, "access_key_list", sql, 1, params, error);
	if (res == NULL)
		return NULL;
	JsonArray *out = json_array_new();
	for (int i = 0; i < PQntuples(res); i++) {
		JsonObject *k = json_object_new();
		json_object_set_string_member(k, "AccessKeyId", PQgetvalue(res, i, 0));
		json_object_set_string_member(k, "Status", PQgetvalue(res, i, 1)[0] == 't' ? "ACTIVE" : "INACTIVE");
		json_object_set_int_member(k, "CreateDate", g_ascii_strtoll(PQgetvalue(res, i, 2), NULL, 10));
		json_array_add_object_element(out, k);
	}
	return out;
}

/* Adds key (key_id, data_key_id, secret_hex) to principal id as an active key, beside its others. */
gboolean store_access_key_add(StoreConn *conn, gint64 id, const StorePrincipalKey *key, GError **error)
{
	static const char sql[] = "INSERT INTO access_keys (key_id, principal_id, data_key_id, secret)"
	                          " VALUES ($2, $1::bigint, $3::bigint, decode($4, 'hex'))";
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	g_autofree char *dk = g_strdup_printf("%" G_GINT64_FORMAT, key->data_key_id);
	const char *params[] = {ids, key->key_id, dk, key->secret_hex};
	g_autoptr(PGresult) res = store_exec(conn, "access_key_add", sql, 4, params, error);
	return res != NULL;
}

/* Runs a one-key statement (params id, key_id[, active]); NOT_FOUND when principal id has no such key. */
static gboolean access_key_change(StoreConn *conn, const char *name, const char *sql, gint64 id, const char *key_id,
                                  const char *active, GError **error)
{
	g_autofree char *ids = g_strdup_printf("%" G_GINT64_FORMAT, id);
	const char *params[] = {ids, key_id, active};
	g_autoptr(PGresult) res = store_exec(conn, name, sql, active ? 3 : 2, params, error);
	if (res == NULL)
		return FALSE;
	if (g_ascii_strtoll(PQcmdTuples(res), NULL, 10) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "no access key %s", key_id);
		return FALSE;
	}
	return TRUE;
}

/* Sets principal id's key key_id active or inactive. NOT_FOUND. */
gboolean store_access_key_set_active(StoreConn *conn, gint64 id, const char *key_id, gboolean active, GError **error)
{
	static const char sql[] =
		"UPDATE access_keys SET active = $3::boolean WHERE principal_id = $1::bigint AND key_id = $2";
	return access_key_change(conn, "access_key_set_active", sql, id, key_id, active ? "true" : "false", error);
}

/* Deletes principal id's key key_id. NOT_FOUND. */
gboolean store_access_key_delete(StoreConn *conn, gint64 id, const char *key_id, GError **error)
{
	static const char sql[] = "DELETE FROM access_keys WHERE principal_id = $1::bigint AND key_id = $2";
	return access_key_change(conn, "access_key_delete", sql, id, key_id, NULL, error);
}
