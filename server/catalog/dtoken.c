/*
 * dtoken.c — delegation tokens and master keys in the catalog (issue 16): each call one unit of work.
 *
 * Moves rows only (the formats and sealing are auth/'s: dtoken.c, dtoken_manager.c). ctx NULL
 * means the server itself (the secret manager signing, checking or sweeping): no check. With a
 * caller, Hive's token-store methods (add_token ... get_master_keys) require a data lake
 * administrator, audited, in the same transaction; removing a token is for its owner, its
 * renewer or an administrator.
 */
#include <string.h>

#include "catalog/internal.h"

static const CatalogCtx server_ctx = {.principal = "propolis"};

#define DTOKEN_RESOURCE "the delegation token store"

/* Opens a unit of work as ctx (or the server); with a caller, requires an administrator. */
static gboolean dtoken_begin(Catalog *cat, const CatalogCtx *ctx, gboolean write, CatalogWork *work, GError **error)
{
	if (!catalog_work_begin(cat, ctx ? ctx : &server_ctx, write, work, error))
		return FALSE;
	if (ctx != NULL && !catalog_admin_require(work, ctx, DTOKEN_RESOURCE, error)) {
		catalog_work_end(work, FALSE, NULL);
		return FALSE;
	}
	return TRUE;
}

gboolean catalog_dtoken_put(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *token, const char *owner,
                            const char *renewer, gint64 max_date_ms, gboolean replace, gboolean *added, GError **error)
{
	CatalogWork work;
	if (!dtoken_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = store_dtoken_put(work.conn, ident, token, owner, renewer, max_date_ms, replace, added, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

char *catalog_dtoken_get(Catalog *cat, const CatalogCtx *ctx, const char *ident, gboolean *found, GError **error)
{
	CatalogWork work;
	if (!dtoken_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	char *token = store_dtoken_get(work.conn, ident, found, &serr);
	if (token == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, token != NULL, NULL);
	return token;
}

/*
 * Removes a token. owner/renewer NULL: Hive's remove_token (administrators). Otherwise
 * cancel_delegation_token: the owner or the renewer (short names) may, else an administrator.
 */
gboolean catalog_dtoken_remove(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *owner,
                               const char *renewer, gboolean *removed, GError **error)
{
	const char *who = ctx && ctx->principal ? ctx->principal : "";
	gboolean own = ctx != NULL && owner != NULL &&
	               (strcmp(who, owner) == 0 || (renewer != NULL && strcmp(who, renewer) == 0));
	CatalogWork work;
	if (own ? !catalog_work_begin(cat, ctx, TRUE, &work, error) : !dtoken_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (own)
		catalog_authz_audit(cat, ctx, DTOKEN_RESOURCE, 0, TRUE, "the token's owner or renewer");
	GError *serr = NULL;
	gboolean ok = store_dtoken_delete(work.conn, ident, removed, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

GPtrArray *catalog_dtoken_list(Catalog *cat, const CatalogCtx *ctx, GError **error)
{
	CatalogWork work;
	if (!dtoken_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	GPtrArray *out = store_dtoken_list(work.conn, &serr);
	if (out == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, out != NULL, NULL);
	return out;
}

gboolean catalog_dtoken_expire(Catalog *cat, gint64 now_ms, guint *n, GError **error)
{
	CatalogWork work;
	if (!dtoken_begin(cat, NULL, TRUE, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = store_dtoken_delete_expired(work.conn, now_ms, n, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

gint32 catalog_master_key_add(Catalog *cat, const CatalogCtx *ctx, const char *sealed, GError **error)
{
	CatalogWork work;
	if (!dtoken_begin(cat, ctx, TRUE, &work, error))
		return 0;
	GError *serr = NULL;
	gint32 id = store_master_key_add(work.conn, sealed, &serr);
	if (id == 0)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, id != 0, error) ? id : 0;
}

gboolean catalog_master_key_update(Catalog *cat, const CatalogCtx *ctx, gint32 id, const char *sealed,
                                   gboolean *found, GError **error)
{
	CatalogWork work;
	if (!dtoken_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = store_master_key_update(work.conn, id, sealed, found, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

gboolean catalog_master_key_remove(Catalog *cat, const CatalogCtx *ctx, gint32 id, gboolean *removed, GError **error)
{
	CatalogWork work;
	if (!dtoken_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = store_master_key_remove(work.conn, id, removed, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

GPtrArray *catalog_master_key_list(Catalog *cat, const CatalogCtx *ctx, GError **error)
{
	CatalogWork work;
	if (!dtoken_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	GPtrArray *out = store_master_key_list(work.conn, &serr);
	if (out == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, out != NULL, NULL);
	return out;
}
