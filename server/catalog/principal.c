/*
 * principal.c — principals, access keys and data keys, each call one unit of work.
 *
 * The catalog only moves rows: wrapping, encryption and key generation are auth/'s job, and
 * the blobs pass through as hex. The first calls run as the server itself (no caller
 * principal): they serve start-up (data key, bootstrap administrator) and SigV4 verification,
 * which happens before a request has a principal. The administration calls below them (the
 * Propolis.* operations of admin/) run as the caller and require a data lake administrator
 * (catalog_admin_require, audited) in the same transaction as the change.
 */
#include <string.h>

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

/* ---- principal administration (Propolis.* operations): data lake administrators only ---- */

#define PRINCIPAL_NAME_MAX 64
#define PRINCIPAL_GROUP_MAX 128
#define PRINCIPAL_GROUPS_MAX 10 /* IAM: a user is in at most 10 groups */

/* Requires ctx's caller to be a data lake administrator; audits the decision. */
gboolean catalog_admin_require(CatalogWork *work, const CatalogCtx *ctx, const char *resource, GError **error)
{
	g_autoptr(AuthzFacts) f = catalog_authz_facts(work, ctx, NULL, NULL, error);
	if (f == NULL)
		return FALSE;
	catalog_authz_audit(work->cat, ctx, resource, 0, f->is_admin,
	                    f->is_admin ? "data lake administrator" : "not a data lake administrator");
	if (!f->is_admin)
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ACCESS_DENIED,
		            "%s is not authorized to perform %s on %s: only data lake administrators may",
		            ctx->principal ? ctx->principal : "anonymous", ctx->operation ? ctx->operation : "this operation",
		            resource);
	return f->is_admin;
}

/*
 * Requires ctx's caller to be a data lake administrator or a read-only administrator (reading
 * settings: GetDataLakeSettings, the catalog's encryption settings); audits the decision.
 */
gboolean catalog_admin_read_require(CatalogWork *work, const CatalogCtx *ctx, const char *resource, GError **error)
{
	g_autoptr(AuthzFacts) f = catalog_authz_facts(work, ctx, NULL, NULL, error);
	if (f == NULL)
		return FALSE;
	gboolean ok = f->is_admin || f->is_readonly_admin;
	catalog_authz_audit(work->cat, ctx, resource, 0, ok,
	                    f->is_admin            ? "data lake administrator"
	                    : f->is_readonly_admin ? "read-only administrator"
	                                           : "not an administrator");
	if (!ok)
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ACCESS_DENIED,
		            "%s is not authorized to perform %s on %s: only data lake administrators and read-only "
		            "administrators may",
		            ctx->principal ? ctx->principal : "anonymous", ctx->operation ? ctx->operation : "this operation",
		            resource);
	return ok;
}

/* TRUE when s is 1..max characters of IAM's name alphabet [A-Za-z0-9_+=,.@-]. */
static gboolean principal_iam_name_ok(const char *s, gsize max)
{
	gsize n = s ? strlen(s) : 0;
	if (n == 0 || n > max)
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && strchr("_+=,.@-", *p) == NULL)
			return FALSE;
	return TRUE;
}

/* g_ptr_array_sort comparator of char* elements. */
static int principal_strcmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Checks and normalises groups (char*, may be NULL) in place: names as IAM has them, or this
 * account's group ARNs (arn:aws:iam::<account>:group/NAME), which become their names; sorted,
 * without repeats.
 */
static gboolean principal_groups_normalise(Catalog *cat, GPtrArray *groups, GError **error)
{
	if (groups == NULL)
		return TRUE;
	if (groups->len > PRINCIPAL_GROUPS_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "A principal may be in at most %d groups (%u given)", PRINCIPAL_GROUPS_MAX, groups->len);
		return FALSE;
	}
	g_autofree char *prefix = g_strdup_printf("arn:aws:iam::%s:group/", cat->config->account_id);
	for (guint i = 0; i < groups->len; i++) {
		const char *g = g_ptr_array_index(groups, i);
		if (g_str_has_prefix(g, prefix)) {
			char *name = g_strdup(g + strlen(prefix));
			g_free(g_ptr_array_index(groups, i));
			g_ptr_array_index(groups, i) = name;
			g = name;
		}
		if (!principal_iam_name_ok(g, PRINCIPAL_GROUP_MAX)) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			            "Invalid group name '%.64s': 1 to %d characters of A-Z a-z 0-9 _ + = , . @ -",
			            g, PRINCIPAL_GROUP_MAX);
			return FALSE;
		}
	}
	g_ptr_array_sort(groups, principal_strcmp);
	for (guint i = 1; i < groups->len;)
		if (strcmp(g_ptr_array_index(groups, i), g_ptr_array_index(groups, i - 1)) == 0)
			g_ptr_array_remove_index(groups, i);
		else
			i++;
	return TRUE;
}

/* Runs store_principal_get for ident inside work, mapping NOT_FOUND to "Principal <ident> not found". */
static gboolean principal_find(CatalogWork *work, const char *ident, gint64 *id, StorePrincipalKey *p, GError **error)
{
	GError *serr = NULL;
	if (store_principal_get(work->conn, ident, TRUE, id, p, &serr))
		return TRUE;
	g_autofree char *what = g_strdup_printf("Principal %s not found", ident);
	catalog_error_from_store(serr, what, NULL, error);
	return FALSE;
}

/*
 * Creates principal name of kind ("user" or "role") in groups (char*, normalised in place)
 * with access key (key_id, data_key_id, secret_hex made by auth/). Returns its ARN (new).
 * INVALID_INPUT for a bad name or group, ALREADY_EXISTS when the name is taken, ACCESS_DENIED.
 */
char *catalog_principal_create(Catalog *cat, const CatalogCtx *ctx, const char *name, const char *kind,
                               GPtrArray *groups, const StorePrincipalKey *key, GError **error)
{
	if (!principal_iam_name_ok(name, PRINCIPAL_NAME_MAX)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Invalid principal name '%.64s': 1 to %d characters of A-Z a-z 0-9 _ + = , . @ -", name ? name : "",
		            PRINCIPAL_NAME_MAX);
		return NULL;
	}
	g_return_val_if_fail(g_strcmp0(kind, "user") == 0 || g_strcmp0(kind, "role") == 0, NULL);
	if (!principal_groups_normalise(cat, groups, error))
		return NULL;
	g_autofree char *arn = g_strdup_printf("arn:aws:iam::%s:%s/%s", cat->config->account_id, kind, name);
	g_autofree char *resource = g_strdup_printf("principal %s", arn);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	gboolean ok = catalog_admin_require(&work, ctx, resource, error);
	StorePrincipalKey p = {arn, (char *)name, (char *)kind, FALSE, key->key_id, key->data_key_id, key->secret_hex};
	GError *serr = NULL;
	if (ok && !(ok = store_principal_insert(work.conn, &p, groups, &serr))) {
		g_autofree char *what = g_strdup_printf("Principal %s already exists", name);
		catalog_error_from_store(serr, NULL, what, error);
	}
	return catalog_work_end(&work, ok, error) ? g_steal_pointer(&arn) : NULL;
}

/* Every principal ({Arn, Name, Kind, Groups, IsAdmin, AccessKeyIds, CreationTime}); ACCESS_DENIED. */
GPtrArray *catalog_principal_list(Catalog *cat, const CatalogCtx *ctx, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GPtrArray *out = NULL;
	GError *serr = NULL;
	if (catalog_admin_require(&work, ctx, "principals", error) && (out = store_principal_list(work.conn, &serr)) == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, out != NULL, NULL);
	return out;
}

/*
 * Deletes the principal ident names (ARN, or name: users first) with its keys and groups;
 * returns its ARN (new). NOT_FOUND; INVALID_INPUT for the last data lake administrator.
 */
char *catalog_principal_delete(Catalog *cat, const CatalogCtx *ctx, const char *ident, GError **error)
{
	g_autofree char *resource = g_strdup_printf("principal %s", ident);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	gboolean ok = catalog_admin_require(&work, ctx, resource, error);
	GError *serr = NULL;
	gint64 admins = ok ? store_principal_count_admins(work.conn, &serr) : 0, id = 0;
	if (ok && admins < 0) {
		catalog_error_from_store(g_steal_pointer(&serr), NULL, NULL, error);
		ok = FALSE;
	}
	StorePrincipalKey p = {0};
	ok = ok && principal_find(&work, ident, &id, &p, error);
	if (ok && p.is_admin && admins <= 1) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "%s is the last data lake administrator: make another principal an administrator first", p.arn);
		ok = FALSE;
	}
	if (ok && !(ok = store_principal_delete(work.conn, id, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	char *arn = ok ? g_steal_pointer(&p.arn) : NULL;
	store_principal_key_clear(&p);
	if (!catalog_work_end(&work, ok, error))
		g_clear_pointer(&arn, g_free);
	return arn;
}

/*
 * Makes key (from auth/) the one active access key of the principal ident names; its other
 * keys become inactive in the same transaction. Returns its ARN (new). NOT_FOUND.
 */
char *catalog_principal_rotate_key(Catalog *cat, const CatalogCtx *ctx, const char *ident,
                                   const StorePrincipalKey *key, GError **error)
{
	g_autofree char *resource = g_strdup_printf("principal %s", ident);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	gint64 id = 0;
	StorePrincipalKey p = {0};
	gboolean ok = catalog_admin_require(&work, ctx, resource, error) && principal_find(&work, ident, &id, &p, error);
	GError *serr = NULL;
	if (ok && !(ok = store_access_key_replace(work.conn, id, key, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	char *arn = ok ? g_steal_pointer(&p.arn) : NULL;
	store_principal_key_clear(&p);
	if (!catalog_work_end(&work, ok, error))
		g_clear_pointer(&arn, g_free);
	return arn;
}

/* Replaces the groups of the principal ident names (char*, normalised in place); returns its ARN (new). */
char *catalog_principal_set_groups(Catalog *cat, const CatalogCtx *ctx, const char *ident, GPtrArray *groups,
                                   GError **error)
{
	if (!principal_groups_normalise(cat, groups, error))
		return NULL;
	g_autofree char *resource = g_strdup_printf("principal %s", ident);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	gint64 id = 0;
	StorePrincipalKey p = {0};
	gboolean ok = catalog_admin_require(&work, ctx, resource, error) && principal_find(&work, ident, &id, &p, error);
	GError *serr = NULL;
	if (ok && !(ok = store_principal_set_groups(work.conn, id, groups, &serr)))
		catalog_error_from_store(serr, NULL, NULL, error);
	char *arn = ok ? g_steal_pointer(&p.arn) : NULL;
	store_principal_key_clear(&p);
	if (!catalog_work_end(&work, ok, error))
		g_clear_pointer(&arn, g_free);
	return arn;
}

/* ---- SASL PLAIN logins on the Thrift door (auth_keyring_verify_password) ---- */

/*
 * The active keys of the principal named name (users before roles), as StorePrincipalKey*;
 * empty when there is none. Runs as the server: a login has no principal yet.
 */
GPtrArray *catalog_principal_keys_by_name(Catalog *cat, const char *name, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, &principal_ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	GPtrArray *keys = store_principal_keys_by_name(work.conn, name, &serr);
	if (keys == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, keys != NULL, NULL);
	return keys;
}

/* ---- proxy users by group (hadoop.proxyuser.<svc>.groups, auth/dtoken_manager.c) ---- */

/* The "Groups" array of a store_principal_describe object as a new GStrv. */
static GStrv principal_group_names(JsonObject *desc)
{
	JsonArray *arr = json_object_has_member(desc, "Groups") ? json_object_get_array_member(desc, "Groups") : NULL;
	guint n = arr ? json_array_get_length(arr) : 0;
	GStrv out = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i++)
		out[i] = g_strdup(json_array_get_string_element(arr, i));
	return out;
}

/*
 * The groups of the principal named name (users before roles, as SASL logins resolve names);
 * empty when there is none. Runs as the server: the caller's own rights are not in question,
 * the impersonation rules of the configuration are.
 */
GStrv catalog_principal_groups_by_name(Catalog *cat, const char *name, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, &principal_ctx, FALSE, &work, error))
		return NULL;
	gint64 id = 0;
	StorePrincipalKey p = {0};
	GError *serr = NULL;
	GStrv out = NULL;
	if (store_principal_get(work.conn, name, FALSE, &id, &p, &serr)) {
		g_autoptr(JsonObject) desc = store_principal_describe(work.conn, p.arn, &serr);
		if (desc != NULL)
			out = principal_group_names(desc);
	}
	if (out == NULL && g_error_matches(serr, STORE_ERROR, STORE_ERROR_NOT_FOUND)) {
		g_clear_error(&serr);
		out = g_new0(char *, 1);
	} else if (out == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
	}
	store_principal_key_clear(&p);
	catalog_work_end(&work, out != NULL, NULL);
	return out;
}
