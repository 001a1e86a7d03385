/*
 * audit.c — reading the audit table of authorization decisions (authz_audit, migration 0008)
 * for the ListAuditEvents admin operation. Its writer is store/authz.c.
 *
 * Pages run in id order (the table's insertion order): a page is the rows after the last id
 * of the previous one, so a reader paging while decisions are appended never skips or repeats
 * a row. Times leave as epoch seconds with microseconds, as PostgreSQL stored them.
 */
#include "store/store_internal.h"

/*
 * At most limit decisions matching f with id > after_id, oldest first, as {Id, Time, Principal,
 * Door, Operation, Resource, Permission, Allowed, Reason}. New array of JsonObject. The resource
 * filter is a substring match (strpos, no pattern characters).
 */
GPtrArray *store_audit_list(StoreConn *conn, const StoreAuditFilter *f, gint64 after_id, guint limit, GError **error)
{
	static const char sql[] =
		"SELECT json_build_object('Id', id, 'Time', extract(epoch FROM at), 'Principal', principal, 'Door', door,"
		" 'Operation', operation, 'Resource', resource, 'Permission', permission, 'Allowed', allowed,"
		" 'Reason', reason)::text"
		" FROM authz_audit WHERE at >= to_timestamp($1::bigint) AND id > $2::bigint"
		" AND ($3::text IS NULL OR principal = $3"
		"      OR (principal LIKE 'arn:aws:iam::%' AND split_part(principal, '/', 2) = $3))"
		" AND (NOT $5::boolean OR NOT allowed)"
		" AND ($6::text IS NULL OR lower(operation) = lower($6))"
		" AND ($7::text IS NULL OR strpos(resource, $7) > 0)"
		" ORDER BY id LIMIT $4::bigint";
	g_autofree char *since = g_strdup_printf("%" G_GINT64_FORMAT, f->since_s);
	g_autofree char *after = g_strdup_printf("%" G_GINT64_FORMAT, after_id);
	g_autofree char *lim = g_strdup_printf("%u", limit);
	const char *params[] = {since, after, f->principal, lim, f->denied_only ? "true" : "false", f->operation,
	                        f->resource};
	g_autoptr(PGresult) res = store_exec(conn, "audit_list", sql, 7, params, error);
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
