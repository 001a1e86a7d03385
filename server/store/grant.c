/*
 * grant.c — Lake Formation grants in PostgreSQL (lf_grants, migration 0008): resolving a
 * resource to the ids its grants hang off, reading and rewriting what one principal holds on
 * one resource, and the grouped, paged listing behind ListPermissions.
 *
 * One row per (principal, resource, permission). Rows this file writes are explicit
 * (implicit = false); implicit creator rows (0008's triggers) are read by the evaluator but
 * never changed or listed here. TABLE and COLUMNS rows carry their database_id as the triggers
 * write it, so one resource always has one key. Column lists travel as JSON text, never joined
 * with a separator. All functions run in the caller's transaction.
 */
#include <string.h>

#include "store/store_internal.h"

/* Frees a resource's strings; the struct may be reused. */
void store_lf_resource_clear(StoreLfResource *r)
{
	g_clear_pointer(&r->database, g_free);
	g_clear_pointer(&r->table, g_free);
	g_clear_pointer(&r->columns, g_strfreev);
	g_clear_pointer(&r->excluded, g_strfreev);
	g_clear_pointer(&r->location, g_free);
	g_clear_pointer(&r->catalog, g_free);
}

/* Frees a grant's strings (its resource's too). */
void store_lf_grant_clear(StoreLfGrant *g)
{
	g_clear_pointer(&g->principal, g_free);
	store_lf_resource_clear(&g->resource);
	g_clear_pointer(&g->last_updated_by, g_free);
}

/* Frees a heap grant; NULL is ignored. */
void store_lf_grant_free(gpointer g)
{
	if (g == NULL)
		return;
	store_lf_grant_clear(g);
	g_free(g);
}

/* Frees what store_lf_resolve() allocated. */
void store_lf_ids_clear(StoreLfIds *ids)
{
	g_clear_pointer(&ids->location, g_free);
	g_clear_pointer(&ids->table_columns, g_strfreev);
}

/* Frees the column lists of a held set and zeroes it. */
void store_lf_held_clear(StoreLfHeld *h)
{
	g_clear_pointer(&h->columns, g_strfreev);
	g_clear_pointer(&h->excluded, g_strfreev);
	h->perms = h->grantable = 0;
}

/* A NULL-terminated vector from JSON text of an array of strings; NULL for SQL NULL or "null". */
static char **lf_strv_from_json(PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	g_autoptr(JsonNode) n = json_from_string(PQgetvalue(res, row, col), NULL);
	if (n == NULL || !JSON_NODE_HOLDS_ARRAY(n))
		return NULL;
	JsonArray *a = json_node_get_array(n);
	GPtrArray *v = g_ptr_array_new();
	for (guint i = 0; i < json_array_get_length(a); i++) {
		const char *s = json_node_get_string(json_array_get_element(a, i));
		if (s != NULL)
			g_ptr_array_add(v, g_strdup(s));
	}
	g_ptr_array_add(v, NULL);
	return (char **)g_ptr_array_free(v, FALSE);
}

/* A text[] literal of a vector (NULL stays NULL: the caller passes SQL NULL). */
static char *lf_strv_literal(char **v)
{
	if (v == NULL)
		return NULL;
	g_autoptr(GPtrArray) a = g_ptr_array_new();
	for (guint i = 0; v[i]; i++)
		g_ptr_array_add(a, v[i]);
	return store_text_array_literal(a);
}

/* A text[] literal of the permission names in a bit set. */
static char *lf_perms_literal(guint32 perms)
{
	g_autoptr(GPtrArray) a = g_ptr_array_new();
	for (guint32 bit = 1; bit != 0 && bit <= AUTHZ_DATA_LOCATION_ACCESS; bit <<= 1)
		if ((perms & bit) && authz_perm_name(bit))
			g_ptr_array_add(a, (gpointer)authz_perm_name(bit));
	return store_text_array_literal(a);
}

/* The permission bits of a comma-separated list of names (unknown names are skipped). */
static guint32 lf_perms_from_list(const char *list)
{
	guint32 bits = 0, one;
	g_auto(GStrv) names = g_strsplit(list, ",", -1);
	for (guint i = 0; names[i]; i++)
		if (authz_perm_parse(names[i], &one))
			bits |= one;
	return bits;
}

/* Looks up the ids of a resource's parts; see store.h. */
gboolean store_lf_resolve(StoreConn *conn, const char *catalog, const char *db, const char *table,
                          const char *resource_arn, StoreLfIds *out, GError **error)
{
	static const char sql[] =
		"SELECT c.id, d.id, t.id, l.id, l.location,"
		"       (SELECT to_jsonb(array_agg(lower(e ->> 'Name')))"
		"        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.doc -> 'StorageDescriptor' -> 'Columns') = 'array'"
		"                                       THEN t.doc -> 'StorageDescriptor' -> 'Columns' ELSE '[]' END"
		"                                  || CASE WHEN jsonb_typeof(t.doc -> 'PartitionKeys') = 'array'"
		"                                          THEN t.doc -> 'PartitionKeys' ELSE '[]' END) e)::text"
		" FROM (SELECT 1) one"
		" LEFT JOIN catalogs c ON c.name = $1"
		" LEFT JOIN databases d ON d.catalog_id = c.id AND d.name = $2"
		" LEFT JOIN tables t ON t.database_id = d.id AND t.name = $3"
		" LEFT JOIN lf_locations l ON l.resource_arn = $4";
	const char *params[] = {catalog, db, table, resource_arn};
	memset(out, 0, sizeof *out);
	g_autoptr(PGresult) res = store_exec(conn, "lf_resolve", sql, 4, params, error);
	if (res == NULL)
		return FALSE;
	gint64 *ids[] = {&out->catalog_id, &out->database_id, &out->table_id, &out->location_id};
	for (int c = 0; c < 4; c++)
		*ids[c] = PQgetisnull(res, 0, c) ? 0 : g_ascii_strtoll(PQgetvalue(res, 0, c), NULL, 10);
	out->location = PQgetisnull(res, 0, 4) ? NULL : g_strdup(PQgetvalue(res, 0, 4));
	if (out->table_id != 0) {
		out->table_columns = lf_strv_from_json(res, 0, 5);
		if (out->table_columns == NULL)
			out->table_columns = g_new0(char *, 1);
	}
	return TRUE;
}

/* Whether arn names a principal, exactly (grantees are named by ARN). */
gboolean store_lf_principal_known(StoreConn *conn, const char *arn, gboolean *known, GError **error)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM principals WHERE arn = $1)";
	const char *params[] = {arn};
	g_autoptr(PGresult) res = store_exec(conn, "lf_principal_known", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	*known = PQgetvalue(res, 0, 0)[0] == 't';
	return TRUE;
}

/* The four id parameters of a resource key: only the ids its kind hangs off, others 0. */
static void lf_key_params(AuthzKind kind, const StoreLfIds *ids, char buf[4][24])
{
	gint64 v[4] = {ids->catalog_id, 0, 0, 0};
	if (kind == AUTHZ_KIND_DATABASE || kind == AUTHZ_KIND_TABLE_WILDCARD || kind == AUTHZ_KIND_TABLE ||
	    kind == AUTHZ_KIND_COLUMNS)
		v[1] = ids->database_id;
	if (kind == AUTHZ_KIND_TABLE || kind == AUTHZ_KIND_COLUMNS)
		v[2] = ids->table_id;
	if (kind == AUTHZ_KIND_DATA_LOCATION)
		v[3] = ids->location_id;
	for (int i = 0; i < 4; i++)
		g_snprintf(buf[i], 24, "%" G_GINT64_FORMAT, v[i]);
}

/* What principal holds explicitly on one resource, under the object's grant lock; see store.h. */
gboolean store_lf_held(StoreConn *conn, const char *principal, AuthzKind kind, const StoreLfIds *ids,
                       StoreLfHeld *out, GError **error)
{
	static const char sql[] =
		"SELECT permission, grantable, to_jsonb(column_names)::text, to_jsonb(excluded_columns)::text"
		" FROM lf_grants"
		" WHERE principal = $1 AND kind = $2 AND catalog_id = $3::bigint AND coalesce(database_id, 0) = $4::bigint"
		"   AND coalesce(table_id, 0) = $5::bigint AND coalesce(location_id, 0) = $6::bigint AND NOT implicit"
		" ORDER BY permission FOR UPDATE";
	/* Writers of one principal's grants on one object queue here, so each reads what the one
	 * before it wrote (READ COMMITTED: the SELECT below takes its snapshot after the lock). The
	 * two-int4 advisory key space does not overlap the bigint one other locks use. */
	static const char lock_sql[] = "SELECT pg_advisory_xact_lock(19526, hashtext($1))";
	char key[4][24];
	lf_key_params(kind, ids, key);
	g_autofree char *object = g_strdup_printf("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
	                                          "|%" G_GINT64_FORMAT, principal, ids->catalog_id,
	                                          kind == AUTHZ_KIND_DATA_LOCATION ? 0 : ids->database_id,
	                                          kind == AUTHZ_KIND_TABLE || kind == AUTHZ_KIND_COLUMNS ? ids->table_id : 0,
	                                          kind == AUTHZ_KIND_DATA_LOCATION ? ids->location_id : 0);
	const char *lock_params[] = {object};
	const char *params[] = {principal, authz_kind_name(kind), key[0], key[1], key[2], key[3]};
	memset(out, 0, sizeof *out);
	g_autoptr(PGresult) locked = store_exec(conn, "lf_lock", lock_sql, 1, lock_params, error);
	if (locked == NULL)
		return FALSE;
	g_autoptr(PGresult) res = store_exec(conn, "lf_held", sql, 6, params, error);
	if (res == NULL)
		return FALSE;
	for (int r = 0; r < PQntuples(res); r++) {
		guint32 perm;
		if (!authz_perm_parse(PQgetvalue(res, r, 0), &perm))
			continue;
		out->perms |= perm;
		if (PQgetvalue(res, r, 1)[0] == 't')
			out->grantable |= perm;
		if (out->columns == NULL && out->excluded == NULL) {
			out->columns = lf_strv_from_json(res, r, 2);
			out->excluded = lf_strv_from_json(res, r, 3);
		}
	}
	return TRUE;
}

/* Rewrites the principal's explicit rows on one resource; see store.h. */
gboolean store_lf_replace(StoreConn *conn, const char *principal, AuthzKind kind, const StoreLfIds *ids,
                          const StoreLfHeld *now, const char *by, GError **error)
{
	/* The DELETE in the WITH runs whether or not the INSERT refers to it; both see one snapshot
	 * and touch disjoint rows (permissions outside / inside the new set). */
	static const char sql[] =
		"WITH gone AS (DELETE FROM lf_grants"
		"  WHERE principal = $1 AND kind = $2 AND catalog_id = $3::bigint AND coalesce(database_id, 0) = $4::bigint"
		"    AND coalesce(table_id, 0) = $5::bigint AND coalesce(location_id, 0) = $6::bigint AND NOT implicit"
		"    AND NOT (permission = ANY ($7::text[])))"
		" INSERT INTO lf_grants (principal, kind, catalog_id, database_id, table_id, location_id, permission, grantable,"
		"                        column_names, excluded_columns, last_updated, last_updated_by)"
		" SELECT $1, $2, $3::bigint, nullif($4::bigint, 0), nullif($5::bigint, 0), nullif($6::bigint, 0), p,"
		"        p = ANY ($8::text[]), $9::text[], $10::text[], now(), $11"
		" FROM unnest($7::text[]) AS p"
		" ON CONFLICT (principal, kind, catalog_id, coalesce(database_id, 0), coalesce(table_id, 0),"
		"              coalesce(location_id, 0), permission, implicit)"
		" DO UPDATE SET grantable = EXCLUDED.grantable, column_names = EXCLUDED.column_names,"
		"               excluded_columns = EXCLUDED.excluded_columns, last_updated = now(),"
		"               last_updated_by = EXCLUDED.last_updated_by"
		" WHERE (lf_grants.grantable, lf_grants.column_names, lf_grants.excluded_columns)"
		"       IS DISTINCT FROM (EXCLUDED.grantable, EXCLUDED.column_names, EXCLUDED.excluded_columns)";
	char key[4][24];
	lf_key_params(kind, ids, key);
	g_autofree char *perms = lf_perms_literal(now->perms);
	g_autofree char *grantable = lf_perms_literal(now->grantable & now->perms);
	gboolean cols = kind == AUTHZ_KIND_COLUMNS;
	g_autofree char *columns = cols ? lf_strv_literal(now->columns) : NULL;
	g_autofree char *excluded = cols ? lf_strv_literal(now->excluded) : NULL;
	const char *params[] = {principal, authz_kind_name(kind), key[0], key[1], key[2], key[3], perms,
	                        grantable, columns, excluded, by ? by : ""};
	g_autoptr(PGresult) res = store_exec(conn, "lf_replace", sql, 11, params, error);
	return res != NULL;
}

/* Savepoints of batch entries: utility commands, run with the simple protocol. */
gboolean store_lf_savepoint(StoreConn *conn, int op, GError **error)
{
	static const char *const sql[] = {"SAVEPOINT lf_entry", "ROLLBACK TO SAVEPOINT lf_entry",
	                                  "RELEASE SAVEPOINT lf_entry"};
	g_return_val_if_fail(op >= 0 && op <= 2, FALSE);
	g_autoptr(PGresult) res = PQexec(conn->pg, sql[op]);
	return store_result_ok(conn, res, sql[op], error);
}

/* The grouped listing; see store.h. Positions are JSON [principal, kind, db id, table id, location id]. */
static const char lf_list_sql[] =
	"WITH c AS (SELECT id FROM catalogs WHERE name = $3),"
	" names AS (SELECT $2::text AS n UNION ALL SELECT 'IAM_ALLOWED_PRINCIPALS'"
	"           UNION ALL SELECT 'arn:aws:iam::' || $4 || ':group/' || pg.group_name"
	"           FROM principal_groups pg JOIN principals p ON p.id = pg.principal_id WHERE p.arn = $2),"
	" mine AS (SELECT m.kind, m.database_id, m.table_id, m.location_id FROM lf_grants m"
	"          WHERE NOT $1::boolean AND m.grantable AND m.principal IN (SELECT n FROM names))"
	" SELECT g.principal, g.kind, coalesce(g.database_id, 0), coalesce(g.table_id, 0), coalesce(g.location_id, 0),"
	"        d.name, t.name, l.resource_arn, string_agg(g.permission, ',' ORDER BY g.permission),"
	"        coalesce(string_agg(g.permission, ',' ORDER BY g.permission) FILTER (WHERE g.grantable), ''),"
	"        to_jsonb(g.column_names)::text, to_jsonb(g.excluded_columns)::text,"
	"        extract(epoch FROM max(g.last_updated))::bigint,"
	"        (array_agg(g.last_updated_by ORDER BY g.last_updated DESC))[1]"
	" FROM lf_grants g"
	" LEFT JOIN databases d ON d.id = g.database_id"
	" LEFT JOIN tables t ON t.id = g.table_id"
	" LEFT JOIN lf_locations l ON l.id = g.location_id"
	" WHERE g.catalog_id = (SELECT id FROM c) AND NOT g.implicit"
	"   AND ($5::text IS NULL OR g.principal = $5)"
	"   AND ($6::text[] IS NULL OR g.kind = ANY ($6::text[]))"
	"   AND ($7::text IS NULL OR d.name = $7)"
	"   AND ($8::text IS NULL OR t.name = $8)"
	"   AND ($9::text IS NULL OR l.resource_arn = $9)"
	"   AND ($10::text IS NULL"
	"        OR (g.kind IN ('DATABASE', 'TABLE_WILDCARD')"
	"            AND (rtrim(d.doc ->> 'LocationUri', '/') = $10 OR left(d.doc ->> 'LocationUri', length($10) + 1) = $10 || '/'))"
	"        OR (g.kind IN ('TABLE', 'COLUMNS')"
	"            AND (rtrim(t.doc -> 'StorageDescriptor' ->> 'Location', '/') = $10"
	"                 OR left(t.doc -> 'StorageDescriptor' ->> 'Location', length($10) + 1) = $10 || '/')))"
	"   AND ($1::boolean OR g.principal IN (SELECT n FROM names) OR EXISTS (SELECT 1 FROM mine m WHERE"
	"        (g.kind = 'CATALOG' AND m.kind = 'CATALOG')"
	"        OR (g.kind IN ('DATABASE', 'TABLE_WILDCARD') AND m.kind = g.kind AND m.database_id = g.database_id)"
	"        OR (g.kind IN ('TABLE', 'COLUMNS') AND ((m.kind IN ('TABLE', 'COLUMNS') AND m.table_id = g.table_id)"
	"                                                OR (m.kind = 'TABLE_WILDCARD' AND m.database_id = g.database_id)))"
	"        OR (g.kind = 'DATA_LOCATION' AND m.kind = 'DATA_LOCATION' AND m.location_id = g.location_id)))"
	"   AND ($11::text IS NULL OR (g.principal, g.kind, coalesce(g.database_id, 0), coalesce(g.table_id, 0),"
	"                              coalesce(g.location_id, 0)) >= ($11, $12, $13::bigint, $14::bigint, $15::bigint))"
	" GROUP BY g.principal, g.kind, g.database_id, g.table_id, g.location_id, d.name, t.name, l.resource_arn,"
	"          g.column_names, g.excluded_columns"
	" ORDER BY g.principal, g.kind, coalesce(g.database_id, 0), coalesce(g.table_id, 0), coalesce(g.location_id, 0)"
	" LIMIT $16::bigint";

/* Reads a position [principal, kind, db, table, location] into five strings; FALSE when unreadable. */
static gboolean lf_key_read(const char *key, char *out[5])
{
	g_autoptr(JsonNode) n = json_from_string(key, NULL);
	JsonArray *a = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	if (a == NULL || json_array_get_length(a) != 5)
		return FALSE;
	for (guint i = 0; i < 5; i++) {
		JsonNode *e = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_VALUE(e))
			return FALSE;
		out[i] = i < 2 ? g_strdup(json_node_get_string(e))
		               : g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(e));
		if (out[i] == NULL)
			return FALSE;
	}
	return TRUE;
}

/* The position of a listed row (JSON text). */
static char *lf_key_make(PGresult *res, int r)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_array(b);
	json_builder_add_string_value(b, PQgetvalue(res, r, 0));
	json_builder_add_string_value(b, PQgetvalue(res, r, 1));
	for (int c = 2; c < 5; c++)
		json_builder_add_int_value(b, g_ascii_strtoll(PQgetvalue(res, r, c), NULL, 10));
	json_builder_end_array(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	return json_to_string(root, FALSE);
}

/* One listed row as a StoreLfGrant. */
static StoreLfGrant *lf_row(PGresult *res, int r)
{
	StoreLfGrant *g = g_new0(StoreLfGrant, 1);
	g->principal = g_strdup(PQgetvalue(res, r, 0));
	if (!authz_kind_parse(PQgetvalue(res, r, 1), &g->resource.kind))
		g->resource.kind = AUTHZ_KIND_CATALOG;
	g->resource.database = PQgetisnull(res, r, 5) ? NULL : g_strdup(PQgetvalue(res, r, 5));
	g->resource.table = PQgetisnull(res, r, 6) ? NULL : g_strdup(PQgetvalue(res, r, 6));
	g->resource.location = PQgetisnull(res, r, 7) ? NULL : g_strdup(PQgetvalue(res, r, 7));
	g->perms = lf_perms_from_list(PQgetvalue(res, r, 8));
	g->grantable = lf_perms_from_list(PQgetvalue(res, r, 9));
	if (g->resource.kind == AUTHZ_KIND_COLUMNS) {
		g->resource.columns = lf_strv_from_json(res, r, 10);
		g->resource.excluded = lf_strv_from_json(res, r, 11);
		if (g->resource.columns == NULL && g->resource.excluded == NULL)
			g->resource.excluded = g_new0(char *, 1);
	}
	g->last_updated = g_ascii_strtoll(PQgetvalue(res, r, 12), NULL, 10);
	g->last_updated_by = g_strdup(PQgetvalue(res, r, 13));
	return g;
}

/* Grants matching q; see store.h. */
GPtrArray *store_lf_list(StoreConn *conn, const StoreLfListQuery *q, GPtrArray **keys, GError **error)
{
	char *after[5] = {NULL, NULL, NULL, NULL, NULL};
	if (q->after_key != NULL && !lf_key_read(q->after_key, after)) {
		for (int i = 0; i < 5; i++)
			g_free(after[i]);
		g_set_error_literal(error, STORE_ERROR, STORE_ERROR_INTERNAL, "unreadable listing position");
		return NULL;
	}
	g_autoptr(GPtrArray) kinds = g_ptr_array_new();
	for (guint i = 0; q->kinds && q->kinds[i]; i++)
		g_ptr_array_add(kinds, (gpointer)q->kinds[i]);
	g_autofree char *kinds_lit = q->kinds ? store_text_array_literal(kinds) : NULL;
	g_autofree char *limit = g_strdup_printf("%u", q->limit);
	const char *params[] = {q->see_all ? "true" : "false", q->caller ? q->caller : "", q->catalog, q->account,
	                        q->principal, kinds_lit, q->database, q->table, q->resource_arn, q->path,
	                        after[0], after[1], after[2], after[3], after[4], limit};
	PGresult *raw = store_exec(conn, "lf_list", lf_list_sql, 16, params, error);
	for (int i = 0; i < 5; i++)
		g_free(after[i]);
	g_autoptr(PGresult) res = raw;
	if (res == NULL)
		return NULL;
	GPtrArray *rows = g_ptr_array_new_with_free_func(store_lf_grant_free);
	if (keys)
		*keys = g_ptr_array_new_with_free_func(g_free);
	for (int r = 0; r < PQntuples(res); r++) {
		g_ptr_array_add(rows, lf_row(res, r));
		if (keys)
			g_ptr_array_add(*keys, lf_key_make(res, r));
	}
	return rows;
}
