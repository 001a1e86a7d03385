/*
 * audit.c — reading the audit table of authorization decisions, for data lake administrators.
 *
 * The writer is authz.c (catalog_authz_audit: a background thread inserts in batches), so a
 * decision reaches this reader shortly after it was made, not in the same transaction. The
 * reader's own authorization is audited like any other decision.
 */
#include "catalog/internal.h"

#define AUDIT_PAGE_MAX 1000

/*
 * Decisions matching f (store.h's StoreAuditFilter: since, principal, denied only, operation,
 * resource) with id > after_id, oldest first, at most limit (1..1000), as {Id, Time, Principal,
 * Door, Operation, Resource, Permission, Allowed, Reason}. ACCESS_DENIED for non-administrators.
 */
GPtrArray *catalog_audit_list(Catalog *cat, const CatalogCtx *ctx, const StoreAuditFilter *f, gint64 after_id,
                              guint limit, GError **error)
{
	g_return_val_if_fail(limit > 0 && limit <= AUDIT_PAGE_MAX, NULL);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GPtrArray *out = NULL;
	GError *serr = NULL;
	if (catalog_admin_require(&work, ctx, "audit", error) &&
	    (out = store_audit_list(work.conn, f, after_id, limit, &serr)) == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, out != NULL, NULL);
	return out;
}
