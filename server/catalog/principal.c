/*
 * principal.c — principals, access keys and data keys, each call one unit of work.
 *
 * The catalog only moves rows: wrapping, encryption and key generation are auth/'s job, and
 * the blobs pass through as hex. These calls run as the server itself (no caller principal):
 * they serve start-up (data key, bootstrap administrator) and SigV4 verification, which
 * happens before a request has a principal.
 */
#include "catalog/internal.h"

static const CatalogCtx principal_ctx = {.principal = "propolis"};

/* The newest data key, or the given one stored as the first. */
gboolean catalog_data_key_ensure(Catalog *cat, const char *fingerprint, const char *wrapped_hex, gint64 *id_out,
                                 char **wrapped_out, char **fingerprint_out, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, &principal_ctx, TRUE, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = store_data_key_ensure(work.conn, fingerprint, wrapped_hex, id_out, wrapped_out, fingerprint_out, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

/* The wrapped data key with this id. */
char *catalog_data_key_get(Catalog *cat, gint64 id, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, &principal_ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	char *wrapped = store_data_key_get(work.conn, id, &serr);
	if (wrapped == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, wrapped != NULL, NULL);
	return wrapped;
}

/* Creates the first principal when there is none. */
gboolean catalog_principal_bootstrap(Catalog *cat, const StorePrincipalKey *admin, gboolean *created, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, &principal_ctx, TRUE, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = store_principal_bootstrap(work.conn, admin, created, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

/* An active access key; NOT_FOUND when unknown or inactive. */
gboolean catalog_access_key_get(Catalog *cat, const char *key_id, StorePrincipalKey *out, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, &principal_ctx, FALSE, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = store_access_key_get(work.conn, key_id, out, &serr);
	if (!ok) {
		g_autofree char *msg = g_strdup_printf("The security token included in the request is invalid.");
		catalog_error_from_store(serr, msg, NULL, error);
	}
	catalog_work_end(&work, ok, NULL);
	return ok;
}
