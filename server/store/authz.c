/*
 * authz.c — what the permission evaluator needs from PostgreSQL, in one query per question,
 * and the audit table's writer.
 *
 * The caller is resolved in the same statement that fetches its grants: a string naming an
 * ARN or a principal's name (users before roles) becomes that principal; any other name is
 * taken as arn:aws:iam::<account>:user/<name>, which holds only what IAM_ALLOWED_PRINCIPALS
 * and grants to that ARN give. Grants reach the caller through its ARN, its groups' ARNs and
 * IAM_ALLOWED_PRINCIPALS.
 */
#include <string.h>

#include "store/store_internal.h"

/* Column arrays travel as text joined by the unit separator (names never hold it). */
#define AUTHZ_SEP "\x1f"

static const char authz_facts_sql[] =
	"WITH me AS (SELECT p.id, p.arn, p.is_admin FROM principals p WHERE p.arn = $1 OR p.name = $1"
	"            ORDER BY (p.arn = $1) DESC, (p.kind = 'user') DESC LIMIT 1),"
	" who AS (SELECT coalesce((SELECT arn FROM me), CASE WHEN $1 LIKE 'arn:%' THEN $1"
	"                         ELSE 'arn:aws:iam::' || $2 || ':user/' || $1 END) AS arn),"
	" n AS (SELECT ARRAY(SELECT arn FROM who UNION ALL SELECT 'IAM_ALLOWED_PRINCIPALS'"
	"                    UNION ALL SELECT 'arn:aws:iam::' || $2 || ':group/' || g.group_name"
	"                              FROM principal_groups g JOIN me ON g.principal_id = me.id) AS names),"
	" c AS (SELECT id FROM catalogs WHERE name = $3),"
	" d AS (SELECT d.id FROM databases d JOIN c ON d.catalog_id = c.id WHERE d.name = $4),"
	" t AS (SELECT t.id FROM tables t JOIN d ON t.database_id = d.id WHERE t.name = $5),"
	" g AS (SELECT g.* FROM lf_grants g WHERE g.principal = ANY ((SELECT names FROM n)::text[])"
	"         AND g.kind IN ('CATALOG', 'DATA_LOCATION')"
	"         AND (g.kind = 'DATA_LOCATION' OR g.catalog_id = (SELECT id FROM c))"
	"       UNION ALL"
	"       SELECT g.* FROM lf_grants g WHERE g.database_id = (SELECT id FROM d)"
	"         AND g.principal = ANY ((SELECT names FROM n)::text[])"
	"         AND (g.kind IN ('DATABASE', 'TABLE_WILDCARD') OR ($6 = 'list' AND g.kind IN ('TABLE', 'COLUMNS')))"
	"       UNION ALL"
	"       SELECT g.* FROM lf_grants g WHERE $6 = 'table' AND g.table_id = (SELECT id FROM t)"
	"         AND g.principal = ANY ((SELECT names FROM n)::text[]))"
	" SELECT 'H', (SELECT arn FROM who), coalesce((SELECT is_admin FROM me), false)::text,"
	"        EXISTS (SELECT 1 FROM d)::text, EXISTS (SELECT 1 FROM t)::text,"
	"        EXISTS (SELECT 1 FROM lf_settings s, jsonb_array_elements(s.doc -> 'ReadOnlyAdmins') e"
	"                WHERE e -> 'Principal' ->> 'DataLakePrincipalIdentifier' = (SELECT arn FROM who)"
	"                   OR e ->> 'DataLakePrincipalIdentifier' = (SELECT arn FROM who))::text,"
	"        CASE WHEN $6 = 'list' OR ($6 = 'table' AND EXISTS (SELECT 1 FROM t)) THEN NULL"
	"             ELSE EXISTS (SELECT 1 FROM lf_grants x WHERE x.database_id = (SELECT id FROM d)"
	"                            AND x.principal = ANY ((SELECT names FROM n)::text[]) AND x.kind IN ('TABLE', 'COLUMNS'))::text"
	"        END,"
	"        (SELECT n FROM authz_epoch)::text"
	" UNION ALL"
	" SELECT g.kind, tt.name, l.location, g.permission, g.grantable::text,"
	"        array_to_string(g.column_names, E'\\x1f'), array_to_string(g.excluded_columns, E'\\x1f'), NULL"
	" FROM g LEFT JOIN tables tt ON tt.id = g.table_id LEFT JOIN lf_locations l ON l.id = g.location_id";

/* Splits a joined column list; NULL stays NULL, "" is an empty list. */
static char **authz_split(PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	const char *v = PQgetvalue(res, row, col);
	if (*v == '\0')
		return g_new0(char *, 1);
	return g_strsplit(v, AUTHZ_SEP, -1);
}

AuthzFacts *store_authz_facts(StoreConn *conn, const char *caller, const char *account, const char *catalog,
                              const char *db, const char *table, StoreAuthzScope scope, GError **error)
{
	static const char *const scopes[] = {[STORE_AUTHZ_DATABASE] = "db", [STORE_AUTHZ_TABLE] = "table",
	                                     [STORE_AUTHZ_LIST] = "list"};
	const char *params[] = {caller && *caller ? caller : "anonymous", account, catalog, db, table, scopes[scope]};
	g_autoptr(PGresult) res = store_exec(conn, "authz_facts", authz_facts_sql, 6, params, error);
	if (res == NULL)
		return NULL;
	AuthzFacts *f = NULL;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *tag = PQgetvalue(res, r, 0);
		if (strcmp(tag, "H") == 0) {
			f = authz_facts_new(PQgetvalue(res, r, 1));
			f->is_admin = PQgetvalue(res, r, 2)[0] == 't';
			f->db_exists = PQgetvalue(res, r, 3)[0] == 't';
			f->table_exists = PQgetvalue(res, r, 4)[0] == 't';
			f->is_readonly_admin = PQgetvalue(res, r, 5)[0] == 't';
			f->has_table_grants = PQgetvalue(res, r, 6)[0] == 't';
			f->epoch = g_ascii_strtoll(PQgetvalue(res, r, 7), NULL, 10);
			continue;
		}
		AuthzKind kind;
		guint32 perm;
		if (f == NULL || !authz_kind_parse(tag, &kind) || !authz_perm_parse(PQgetvalue(res, r, 3), &perm)) {
			g_warning("authz: ignoring an unreadable grant row (%s, %s)", tag, PQgetvalue(res, r, 3));
			continue;
		}
		gboolean grantable = PQgetvalue(res, r, 4)[0] == 't';
		g_auto(GStrv) cols = authz_split(res, r, 5);
		g_auto(GStrv) excl = authz_split(res, r, 6);
		if (kind == AUTHZ_KIND_COLUMNS && cols == NULL && excl == NULL)
			excl = g_new0(char *, 1); /* wildcard without exclusions */
		authz_facts_add(f, kind, PQgetisnull(res, r, 1) ? NULL : PQgetvalue(res, r, 1),
		                PQgetisnull(res, r, 2) ? NULL : PQgetvalue(res, r, 2), perm, grantable ? perm : 0,
		                (const char *const *)cols, (const char *const *)excl);
	}
	if (f == NULL)
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INTERNAL, "authz facts: no header row");
	return f;
}

gboolean store_authz_set_actor(StoreConn *conn, const char *arn, GError **error)
{
	static const char sql[] = "SELECT set_config('propolis.principal', $1, true)";
	const char *params[] = {arn ? arn : ""};
	g_autoptr(PGresult) res = store_exec(conn, "authz_set_actor", sql, 1, params, error);
	return res != NULL;
}

gboolean store_authz_registered_location(StoreConn *conn, const char *location, char **registered, GError **error)
{
	static const char sql[] = "SELECT location FROM lf_locations"
	                          " WHERE $1 = location OR left($1, length(location) + 1) = location || '/'"
	                          " ORDER BY length(location) DESC LIMIT 1";
	const char *params[] = {location};
	*registered = NULL;
	g_autoptr(PGresult) res = store_exec(conn, "authz_registered_location", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) > 0)
		*registered = g_strdup(PQgetvalue(res, 0, 0));
	return TRUE;
}

gboolean store_authz_audit_insert(StoreConn *conn, const StoreAuditRow *rows, guint n, GError **error)
{
	/* One multi-row INSERT through unnest: eight arrays, one element per decision. */
	static const char sql[] =
		"INSERT INTO authz_audit (at, principal, door, operation, resource, permission, allowed, reason)"
		" SELECT to_timestamp(a / 1e6), b, c, d, e, f, g, h"
		" FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[],"
		"             $8::text[]) AS u(a, b, c, d, e, f, g, h)";
	if (n == 0)
		return TRUE;
	GPtrArray *cols[8];
	for (guint c = 0; c < 8; c++)
		cols[c] = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		const StoreAuditRow *r = &rows[i];
		g_ptr_array_add(cols[0], g_strdup_printf("%" G_GINT64_FORMAT, r->at_us));
		g_ptr_array_add(cols[1], g_strdup(r->principal));
		g_ptr_array_add(cols[2], g_strdup(r->door));
		g_ptr_array_add(cols[3], g_strdup(r->operation));
		g_ptr_array_add(cols[4], g_strdup(r->resource));
		g_ptr_array_add(cols[5], g_strdup(r->permission));
		g_ptr_array_add(cols[6], g_strdup(r->allowed ? "t" : "f"));
		g_ptr_array_add(cols[7], g_strdup(r->reason));
	}
	char *lits[8];
	for (guint c = 0; c < 8; c++) {
		lits[c] = store_text_array_literal(cols[c]);
		g_ptr_array_unref(cols[c]);
	}
	g_autoptr(PGresult) res = store_exec(conn, "authz_audit_insert", sql, 8, (const char *const *)lits, error);
	for (guint c = 0; c < 8; c++)
		g_free(lits[c]);
	return res != NULL;
}

/* The names of databases in catalog on which (or on whose tables) a grant reaches the caller; see store.h. */
GHashTable *store_authz_visible_databases(StoreConn *conn, const char *caller, const char *account,
                                          const char *catalog, gboolean *all, GError **error)
{
	static const char sql[] =
		"WITH me AS (SELECT p.id, p.arn, p.is_admin FROM principals p WHERE p.arn = $1 OR p.name = $1"
		"            ORDER BY (p.arn = $1) DESC, (p.kind = 'user') DESC LIMIT 1),"
		" who AS (SELECT coalesce((SELECT arn FROM me), CASE WHEN $1 LIKE 'arn:%' THEN $1"
		"                         ELSE 'arn:aws:iam::' || $2 || ':user/' || $1 END) AS arn),"
		" names AS (SELECT arn AS n FROM who UNION ALL SELECT 'IAM_ALLOWED_PRINCIPALS'"
		"           UNION ALL SELECT 'arn:aws:iam::' || $2 || ':group/' || g.group_name"
		"                     FROM principal_groups g JOIN me ON g.principal_id = me.id)"
		" SELECT NULL, coalesce((SELECT is_admin FROM me), false)"
		"        OR EXISTS (SELECT 1 FROM lf_settings s, jsonb_array_elements(s.doc -> 'ReadOnlyAdmins') e"
		"                   WHERE e -> 'Principal' ->> 'DataLakePrincipalIdentifier' = (SELECT arn FROM who))"
		" UNION ALL"
		" SELECT DISTINCT d.name, false FROM lf_grants g"
		"   JOIN databases d ON d.id = coalesce(g.database_id, (SELECT t.database_id FROM tables t"
		"                                                       WHERE t.id = g.table_id))"
		"   JOIN catalogs c ON c.id = d.catalog_id AND c.name = $3"
		" WHERE g.principal IN (SELECT n FROM names) AND g.kind <> 'CATALOG' AND g.kind <> 'DATA_LOCATION'";
	const char *params[] = {caller && *caller ? caller : "anonymous", account, catalog};
	g_autoptr(PGresult) res = store_exec(conn, "authz_visible_databases", sql, 3, params, error);
	if (res == NULL)
		return NULL;
	GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	*all = FALSE;
	for (int r = 0; r < PQntuples(res); r++) {
		if (PQgetisnull(res, r, 0))
			*all = PQgetvalue(res, r, 1)[0] == 't';
		else
			g_hash_table_add(set, g_strdup(PQgetvalue(res, r, 0)));
	}
	return set;
}

gboolean store_authz_audit_trim(StoreConn *conn, guint ttl_s, GError **error)
{
	static const char sql[] = "DELETE FROM authz_audit WHERE at < now() - make_interval(secs => $1::bigint)";
	g_autofree char *ttl = g_strdup_printf("%u", ttl_s);
	const char *params[] = {ttl};
	g_autoptr(PGresult) res = store_exec(conn, "authz_audit_trim", sql, 1, params, error);
	return res != NULL;
}
