/*
 * permissions.c — GrantPermissions, RevokePermissions, BatchGrantPermissions,
 * BatchRevokePermissions, ListPermissions and GetEffectivePermissionsForPath.
 *
 * Batches hold at most 20 entries (the LF model); each entry is read on its own, so one that
 * does not parse fails alone, and the catalog runs the rest in one transaction with a savepoint
 * per entry. Failed entries come back in Failures with HTTP 200, the entry as sent beside
 * {ErrorCode, ErrorMessage}. Listings page with the Glue door's signed tokens, bound to the
 * operation and a digest of the filters, so a token can neither be forged nor reused with
 * other filters.
 */
#include <string.h>

#include "lakeformation/internal.h"

#define LF_BATCH_MAX 20
#define LF_PAGE_MAX 1000

/* GrantPermissions / RevokePermissions: {} */
static JsonObject *lf_grant_one(GlueCall *call, gboolean revoke, GError **error)
{
	StoreLfGrant g = {0};
	gboolean ok = lf_check_catalog_id(call, call->in, error) && lf_in_grant(call, call->in, revoke, &g, error);
	if (ok)
		ok = revoke ? catalog_lf_revoke(call->door->cat, &call->ctx, &g, error)
		            : catalog_lf_grant(call->door->cat, &call->ctx, &g, error);
	store_lf_grant_clear(&g);
	return ok ? json_object_new() : NULL;
}

static JsonObject *lf_grant_permissions(GlueCall *call, GError **error)
{
	return lf_grant_one(call, FALSE, error);
}

static JsonObject *lf_revoke_permissions(GlueCall *call, GError **error)
{
	return lf_grant_one(call, TRUE, error);
}

/* {RequestEntry, Error{ErrorCode, ErrorMessage}} of a failed batch entry. */
static JsonObject *lf_failure(JsonNode *entry, const GError *e)
{
	guint status = 0;
	JsonObject *f = json_object_new(), *err = json_object_new();
	if (entry && JSON_NODE_HOLDS_OBJECT(entry))
		json_object_set_object_member(f, "RequestEntry", glue_copy_object(json_node_get_object(entry)));
	json_object_set_string_member(err, "ErrorCode", lf_error_type(e, &status));
	g_autofree char *main_line = g_strndup(e->message, strcspn(e->message, "\n"));
	json_object_set_string_member(err, "ErrorMessage", main_line);
	json_object_set_object_member(f, "Error", err);
	return f;
}

/* Reads batch entry i (an object with an Id of 1..255 and the grant members); FALSE with error. */
static gboolean lf_batch_entry(GlueCall *call, JsonNode *n, gboolean revoke, StoreLfGrant *g, GError **error)
{
	memset(g, 0, sizeof *g);
	if (!JSON_NODE_HOLDS_OBJECT(n)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Entries must be a list of objects");
		return FALSE;
	}
	GError *e = NULL;
	const char *id = glue_in_string(json_node_get_object(n), "Id", TRUE, 255, &e);
	if (e == NULL && *id == '\0')
		g_set_error_literal(&e, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "1 validation error detected: Value at 'entries.id' failed to satisfy constraint: "
		                    "Member must have length greater than or equal to 1");
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return lf_in_grant(call, json_node_get_object(n), revoke, g, error);
}

/* BatchGrantPermissions / BatchRevokePermissions: {Failures: [...]} */
static JsonObject *lf_grant_batch(GlueCall *call, gboolean revoke, GError **error)
{
	GError *e = NULL;
	JsonArray *entries = lf_check_catalog_id(call, call->in, error) ? glue_in_array(call->in, "Entries", TRUE, &e)
	                                                                 : NULL;
	if (e != NULL)
		g_propagate_error(error, e);
	if (entries == NULL)
		return NULL;
	guint n = json_array_get_length(entries);
	if (n > LF_BATCH_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'entries' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", LF_BATCH_MAX);
		return NULL;
	}
	StoreLfGrant grants[LF_BATCH_MAX];
	StoreLfGrant *todo[LF_BATCH_MAX] = {NULL};
	GError *errors[LF_BATCH_MAX] = {NULL};
	for (guint i = 0; i < n; i++)
		if (lf_batch_entry(call, json_array_get_element(entries, i), revoke, &grants[i], &errors[i]))
			todo[i] = &grants[i];
	gboolean ok = catalog_lf_batch(call->door->cat, &call->ctx, revoke, todo, n, errors, error);
	JsonArray *failures = json_array_new();
	for (guint i = 0; i < n; i++) {
		if (ok && errors[i] != NULL)
			json_array_add_object_element(failures, lf_failure(json_array_get_element(entries, i), errors[i]));
		g_clear_error(&errors[i]);
		store_lf_grant_clear(&grants[i]);
	}
	if (!ok) {
		json_array_unref(failures);
		return NULL;
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Failures", failures);
	return out;
}

static JsonObject *lf_batch_grant_permissions(GlueCall *call, GError **error)
{
	return lf_grant_batch(call, FALSE, error);
}

static JsonObject *lf_batch_revoke_permissions(GlueCall *call, GError **error)
{
	return lf_grant_batch(call, TRUE, error);
}

/* A digest of the request members that select rows: a page token is valid only for the same ones. */
static char *lf_filter_scope(JsonObject *in, const char *const *members)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (guint i = 0; members[i]; i++) {
		JsonNode *n = json_object_get_member(in, members[i]);
		g_autofree char *text = n ? json_to_string(n, FALSE) : g_strdup("-");
		g_string_append_printf(s, "%s=%s;", members[i], text);
	}
	g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, s->str, (gssize)s->len);
	return g_strndup(sum, 32);
}

/* Runs one page of a listing; out member `list` gets the rows, NextToken the rest. */
static JsonObject *lf_list_page(GlueCall *call, CatalogLfQuery *q, const char *const *scope_members,
                                const char *list, GError **error)
{
	GError *e = NULL;
	gint64 max = 0;
	const char *token = glue_in_string(call->in, "NextToken", FALSE, 0, &e);
	if (e == NULL)
		glue_in_int(call->in, "MaxResults", 1, LF_PAGE_MAX, LF_PAGE_MAX, &max, &e);
	g_autofree char *scope = lf_filter_scope(call->in, scope_members);
	g_autofree char *after = NULL, *next = NULL;
	if (e == NULL)
		glue_token_read(call, scope, token, &after, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	q->after = after;
	q->limit = (guint)max;
	g_autoptr(GPtrArray) rows = catalog_lf_list_permissions(call->door->cat, &call->ctx, q, &next, error);
	if (rows == NULL)
		return NULL;
	JsonArray *a = json_array_new();
	for (guint i = 0; i < rows->len; i++)
		json_array_add_object_element(a, lf_out_permissions(call, g_ptr_array_index(rows, i)));
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, list, a);
	if (next != NULL) {
		g_autofree char *t = glue_token_make(call, scope, next);
		json_object_set_string_member(out, "NextToken", t);
	}
	return out;
}

/* ListPermissions {Principal?, ResourceType?, Resource?, IncludeRelated?, MaxResults?, NextToken?} */
static JsonObject *lf_list_permissions(GlueCall *call, GError **error)
{
	static const char *const scope[] = {"Principal", "ResourceType", "Resource", "IncludeRelated", NULL};
	GError *e = NULL;
	CatalogLfQuery q = {0};
	StoreLfResource res = {0};
	if (!lf_check_catalog_id(call, call->in, error))
		return NULL;
	q.principal = lf_in_principal(call->in, "Principal", FALSE, &e);
	if (e == NULL)
		q.resource_type = glue_in_string(call->in, "ResourceType", FALSE, 64, &e);
	const char *related = e == NULL ? glue_in_string(call->in, "IncludeRelated", FALSE, 5, &e) : NULL;
	JsonObject *r = e == NULL ? glue_in_object(call->in, "Resource", FALSE, &e) : NULL;
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	if (related && strcmp(related, "TRUE") != 0 && strcmp(related, "FALSE") != 0) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "IncludeRelated must be TRUE or FALSE");
		return NULL;
	}
	if (related && q.principal) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "IncludeRelated cannot be used together with Principal");
		return NULL;
	}
	JsonObject *out = NULL;
	if (r == NULL || lf_in_resource(call, r, &res, error)) {
		q.resource = r ? &res : NULL;
		/* one catalog's grants: the resource's CatalogId, else the request's; answers name it */
		if (res.catalog && g_strcmp0(res.catalog, call->catalog) != 0) {
			g_free(call->catalog);
			call->catalog = g_strdup(res.catalog);
		}
		q.catalog = call->catalog;
		out = lf_list_page(call, &q, scope, "PrincipalResourcePermissions", error);
	}
	store_lf_resource_clear(&res);
	return out;
}

/* GetEffectivePermissionsForPath {ResourceArn, MaxResults?, NextToken?}: {Permissions, NextToken?} */
static JsonObject *lf_effective_for_path(GlueCall *call, GError **error)
{
	static const char *const scope[] = {"ResourceArn", NULL};
	GError *e = NULL;
	if (!lf_check_catalog_id(call, call->in, error))
		return NULL;
	CatalogLfQuery q = {0};
	q.path = glue_in_string(call->in, "ResourceArn", TRUE, 2048, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	return lf_list_page(call, &q, scope, "Permissions", error);
}

const GlueOp lf_permission_ops[] = {
	{"GrantPermissions", lf_grant_permissions},
	{"RevokePermissions", lf_revoke_permissions},
	{"BatchGrantPermissions", lf_batch_grant_permissions},
	{"BatchRevokePermissions", lf_batch_revoke_permissions},
	{"ListPermissions", lf_list_permissions},
	{"GetEffectivePermissionsForPath", lf_effective_for_path},
	{NULL, NULL},
};
