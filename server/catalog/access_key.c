/*
 * access_key.c — what a principal may see and do about itself (issue 22): WhoAmI, its access
 * keys (list, add a second one, deactivate, reactivate, delete), and the plain administrator
 * check the admin operations that wrap other catalog calls (transactions, compactions) make.
 *
 * Keys follow IAM: at most two per principal, so a key rotates without downtime (create the
 * second, move clients, deactivate, delete the first). An administrator manages anyone's keys,
 * a principal its own (as IAM lets users manage their own keys); anyone else is refused, also
 * when the principal named does not exist, so that names cannot be probed. Each decision is audited.
 */
#include <string.h>

#include "catalog/internal.h"

/* See catalog.h. */
gboolean catalog_admin_check(Catalog *cat, const CatalogCtx *ctx, const char *resource, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return FALSE;
	gboolean ok = catalog_admin_require(&work, ctx, resource, error);
	catalog_work_end(&work, ok, NULL);
	return ok;
}

/* The caller's identity: its principal row when it has one, its flags from the authorization facts. */
JsonObject *catalog_principal_whoami(Catalog *cat, const CatalogCtx *ctx, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	g_autoptr(AuthzFacts) f = catalog_authz_facts(&work, ctx, NULL, NULL, error);
	JsonObject *out = NULL;
	if (f != NULL) {
		GError *serr = NULL;
		out = store_principal_describe(work.conn, f->caller, &serr);
		if (out == NULL && g_error_matches(serr, STORE_ERROR, STORE_ERROR_NOT_FOUND)) {
			g_clear_error(&serr);
			out = json_object_new();
			json_object_set_string_member(out, "Arn", f->caller);
			json_object_set_string_member(out, "Name", f->caller);
			json_object_set_array_member(out, "Groups", json_array_new());
		} else if (out == NULL) {
			catalog_error_from_store(serr, NULL, NULL, error);
		}
	}
	if (out != NULL) {
		json_object_set_string_member(out, "Account", cat->config->account_id);
		json_object_set_boolean_member(out, "IsAdmin", f->is_admin);
		json_object_set_boolean_member(out, "IsReadOnlyAdmin", f->is_readonly_admin);
	}
	catalog_work_end(&work, out != NULL, NULL);
	return out;
}

/*
 * Finds the principal ident names and checks that the caller may manage its keys (an
 * administrator, or the principal itself); audits the decision. FALSE with ACCESS_DENIED,
 * NOT_FOUND (administrators only) or a store error.
 */
static gboolean key_require(CatalogWork *work, const CatalogCtx *ctx, const char *ident, gint64 *id,
                            StorePrincipalKey *p, GError **error)
{
	g_autoptr(AuthzFacts) f = catalog_authz_facts(work, ctx, NULL, NULL, error);
	if (f == NULL)
		return FALSE;
	GError *serr = NULL;
	gboolean found = store_principal_get(work->conn, ident, TRUE, id, p, &serr);
	if (!found && !g_error_matches(serr, STORE_ERROR, STORE_ERROR_NOT_FOUND)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	gboolean self = found && g_strcmp0(p->arn, f->caller) == 0;
	g_autofree char *resource = g_strdup_printf("principal %s", found ? p->arn : ident);
	catalog_authz_audit(work->cat, ctx, resource, 0, f->is_admin || self,
	                    f->is_admin ? "data lake administrator" : self ? "the caller's own keys" : "not its own keys");
	if (!f->is_admin && !self) {
		g_clear_error(&serr);
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ACCESS_DENIED,
		            "%s is not authorized to perform %s on %s: only the principal itself or a data lake administrator",
		            f->caller, ctx->operation ? ctx->operation : "this operation", resource);
		return FALSE;
	}
	if (!found) {
		g_autofree char *what = g_strdup_printf("Principal %s not found", ident);
		catalog_error_from_store(serr, what, NULL, error);
	}
	return found;
}

/* Ends work (commit when ok) and returns p's ARN (new) when all went well; clears p. */
static char *key_finish(CatalogWork *work, gboolean ok, StorePrincipalKey *p, GError **error)
{
	char *arn = ok ? g_steal_pointer(&p->arn) : NULL;
	store_principal_key_clear(p);
	if (!catalog_work_end(work, ok, error))
		g_clear_pointer(&arn, g_free);
	return arn;
}

/* See catalog.h. */
JsonArray *catalog_access_key_list(Catalog *cat, const CatalogCtx *ctx, const char *ident, char **arn_out,
                                   GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	gint64 id = 0;
	StorePrincipalKey p = {0};
	JsonArray *keys = NULL;
	GError *serr = NULL;
	if (key_require(&work, ctx, ident, &id, &p, error) && (keys = store_access_key_list(work.conn, id, &serr)) == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	*arn_out = key_finish(&work, keys != NULL, &p, error);
	if (*arn_out == NULL)
		g_clear_pointer(&keys, json_array_unref);
	return keys;
}

/* See catalog.h. */
char *catalog_access_key_create(Catalog *cat, const CatalogCtx *ctx, const char *ident, const StorePrincipalKey *key,
                                GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	gint64 id = 0;
	StorePrincipalKey p = {0};
	gboolean ok = key_require(&work, ctx, ident, &id, &p, error);
	GError *serr = NULL;
	g_autoptr(JsonArray) keys = ok ? store_access_key_list(work.conn, id, &serr) : NULL;
	if (ok && keys == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		ok = FALSE;
	} else if (ok && json_array_get_length(keys) >= CATALOG_ACCESS_KEYS_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_LIMIT_EXCEEDED,
		            "%s already has %d access keys: delete one first", p.arn, CATALOG_ACCESS_KEYS_MAX);
		ok = FALSE;
	}
	if (ok && !(ok = store_access_key_add(work.conn, id, key, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	return key_finish(&work, ok, &p, error);
}

/* Activates, deactivates (delete FALSE) or deletes one key of the principal ident names. */
static char *key_change(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *key_id, gboolean delete,
                        gboolean active, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	gint64 id = 0;
	StorePrincipalKey p = {0};
	gboolean ok = key_require(&work, ctx, ident, &id, &p, error);
	GError *serr = NULL;
	if (ok) {
		ok = delete ? store_access_key_delete(work.conn, id, key_id, &serr)
		            : store_access_key_set_active(work.conn, id, key_id, active, &serr);
		if (!ok) {
			g_autofree char *what = g_strdup_printf("Access key %s of %s not found", key_id, p.arn);
			catalog_error_from_store(serr, what, NULL, error);
		}
	}
	return key_finish(&work, ok, &p, error);
}

/* See catalog.h. */
char *catalog_access_key_update(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *key_id,
                                gboolean active, GError **error)
{
	return key_change(cat, ctx, ident, key_id, FALSE, active, error);
}

/* See catalog.h. */
char *catalog_access_key_delete(Catalog *cat, const CatalogCtx *ctx, const char *ident, const char *key_id,
                                GError **error)
{
	return key_change(cat, ctx, ident, key_id, TRUE, FALSE, error);
}
