/*
 * datalake.c — Lake Formation's data lake settings (Get/PutDataLakeSettings) and registered
 * data locations (Register/Deregister/Describe/ListResources), each call one unit of work.
 *
 * The settings document is kept as the caller sent it, except DataLakeAdmins: those become
 * principals.is_admin in the same transaction, under the advisory lock principal deletion
 * takes, so the last administrator can be neither deleted nor dropped from the list by two
 * racing requests. Changes apply from the next request on: nothing here is cached.
 */
#include <string.h>

#include "catalog/internal.h"

#define LF_S3_ARN_PREFIX "arn:aws:s3:::"
#define LF_PRINCIPAL_LIST_MAX 30 /* DataLakePrincipalList: max 30 (LF model) */
#define LF_ARN_MAX 2048

static gboolean dl_invalid(GError **error, const char *msg)
{
	g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, msg);
	return FALSE;
}

/* TRUE when b is an S3 bucket name: 3..63 of a-z 0-9 . -, starting and ending with a letter or digit. */
static gboolean dl_bucket_ok(const char *b, gsize n)
{
	if (n < 3 || n > 63 || !g_ascii_isalnum(b[0]) || !g_ascii_isalnum(b[n - 1]))
		return FALSE;
	for (gsize i = 0; i < n; i++)
		if (!(g_ascii_islower(b[i]) || g_ascii_isdigit(b[i]) || b[i] == '.' || b[i] == '-'))
			return FALSE;
	return TRUE;
}

/* Checks and normalises an S3 location ARN; see catalog.h. */
gboolean catalog_lf_location_parse(const char *arn, char **norm, char **location, GError **error)
{
	gsize len = arn ? strlen(arn) : 0;
	if (arn == NULL || !g_str_has_prefix(arn, LF_S3_ARN_PREFIX) || len > LF_ARN_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Invalid ResourceArn '%.128s': expected arn:aws:s3:::bucket[/prefix]", arn ? arn : "");
		return FALSE;
	}
	g_autofree char *rest = g_strdup(arn + strlen(LF_S3_ARN_PREFIX));
	gsize n = strlen(rest);
	while (n > 0 && rest[n - 1] == '/')
		rest[--n] = '\0';
	const char *slash = strchr(rest, '/');
	gboolean ok = dl_bucket_ok(rest, slash ? (gsize)(slash - rest) : n);
	for (const char *p = rest; ok && *p; p++)
		ok = (guchar)*p >= 0x20 && *p != 0x7f;
	if (!ok) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Invalid ResourceArn '%.128s': expected arn:aws:s3:::bucket[/prefix] with a valid bucket name",
		            arn);
		return FALSE;
	}
	if (norm)
		*norm = g_strconcat(LF_S3_ARN_PREFIX, rest, NULL);
	if (location)
		*location = g_strconcat("s3://", rest, NULL);
	return TRUE;
}

/* ---- settings ---- */

/* GetDataLakeSettings (administrators and read-only administrators): the document with DataLakeAdmins. */
JsonObject *catalog_lf_get_settings(Catalog *cat, const CatalogCtx *ctx, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	if (!catalog_admin_read_require(&work, ctx, "data lake settings", error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GError *serr = NULL;
	g_autoptr(GPtrArray) admins = NULL;
	JsonObject *doc = store_lf_settings_get(work.conn, &admins, &serr);
	if (doc == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, doc != NULL, NULL);
	if (doc == NULL)
		return NULL;
	JsonArray *list = json_array_new();
	for (guint i = 0; i < admins->len; i++) {
		JsonObject *p = json_object_new();
		json_object_set_string_member(p, "DataLakePrincipalIdentifier", g_ptr_array_index(admins, i));
		json_array_add_object_element(list, p);
	}
	json_object_set_array_member(doc, "DataLakeAdmins", list);
	return doc;
}

/* The DataLakePrincipalIdentifier of each element of a principal list member (absent: empty). */
static GPtrArray *dl_principals(JsonObject *doc, const char *member, GError **error)
{
	JsonNode *n = json_object_get_member(doc, member);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return out;
	JsonArray *a = JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonNode *e = json_array_get_element(a, i);
		JsonObject *o = JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
		const char *id = o ? catalog_json_str(o, "DataLakePrincipalIdentifier") : NULL;
		if (id == NULL || *id == '\0' || strlen(id) > 255)
			break;
		g_ptr_array_add(out, g_strdup(id));
	}
	if (a == NULL || out->len != json_array_get_length(a)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "%s must be a list of {DataLakePrincipalIdentifier: 1 to 255 characters}", member);
		g_ptr_array_unref(out);
		return NULL;
	}
	if (out->len > LF_PRINCIPAL_LIST_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at '%s' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", member, LF_PRINCIPAL_LIST_MAX);
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

/* Default permissions for new objects: absent, [] or one entry ALL to IAM_ALLOWED_PRINCIPALS. */
static gboolean dl_check_defaults(JsonObject *doc, const char *member, GError **error)
{
	JsonNode *n = json_object_get_member(doc, member);
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	JsonArray *a = JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	if (a != NULL && json_array_get_length(a) == 0)
		return TRUE;
	JsonNode *e = a && json_array_get_length(a) == 1 ? json_array_get_element(a, 0) : NULL;
	JsonObject *o = e && JSON_NODE_HOLDS_OBJECT(e) ? json_node_get_object(e) : NULL;
	JsonNode *pn = o ? json_object_get_member(o, "Principal") : NULL;
	JsonObject *p = pn && JSON_NODE_HOLDS_OBJECT(pn) ? json_node_get_object(pn) : NULL;
	JsonNode *permn = o ? json_object_get_member(o, "Permissions") : NULL;
	JsonArray *perms = permn && JSON_NODE_HOLDS_ARRAY(permn) ? json_node_get_array(permn) : NULL;
	if (p && g_strcmp0(catalog_json_str(p, "DataLakePrincipalIdentifier"), "IAM_ALLOWED_PRINCIPALS") == 0 && perms &&
	    json_array_get_length(perms) == 1 &&
	    JSON_NODE_HOLDS_VALUE(json_array_get_element(perms, 0)) &&
	    g_strcmp0(json_array_get_string_element(perms, 0), "ALL") == 0)
		return TRUE;
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
	            "%s may only be empty or grant ALL to IAM_ALLOWED_PRINCIPALS", member);
	return FALSE;
}

/* PutDataLakeSettings; see catalog.h. */
gboolean catalog_lf_put_settings(Catalog *cat, const CatalogCtx *ctx, JsonObject *doc, GError **error)
{
	g_autoptr(GPtrArray) admins = dl_principals(doc, "DataLakeAdmins", error);
	g_autoptr(GPtrArray) readonly = admins ? dl_principals(doc, "ReadOnlyAdmins", error) : NULL;
	g_autoptr(GPtrArray) filtering = readonly ? dl_principals(doc, "ExternalDataFilteringAllowList", error) : NULL;
	if (filtering == NULL || !dl_check_defaults(doc, "CreateDatabaseDefaultPermissions", error) ||
	    !dl_check_defaults(doc, "CreateTableDefaultPermissions", error))
		return FALSE;
	if (admins->len == 0)
		return dl_invalid(error, "DataLakeAdmins must name at least one data lake administrator: "
		                         "removing every administrator would leave nobody to manage permissions");
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	gboolean ok = catalog_admin_require(&work, ctx, "data lake settings", error);
	GError *serr = NULL;
	/* The administrators' advisory lock (principal deletion checks the last admin under it). */
	if (ok && store_principal_count_admins(work.conn, &serr) < 0)
		ok = FALSE;
	g_autoptr(GPtrArray) unknown = ok ? store_lf_unknown_principals(work.conn, admins, &serr) : NULL;
	if (ok && unknown == NULL)
		ok = FALSE;
	if (ok && unknown->len > 0) {
		g_ptr_array_add(unknown, NULL);
		g_autofree char *names = g_strjoinv(", ", (char **)unknown->pdata);
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "DataLakeAdmins: not the ARN of a principal of this server: %.512s", names);
		ok = FALSE;
	}
	if (ok && !store_lf_settings_put(work.conn, doc, admins, &serr))
		ok = FALSE;
	if (serr != NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

/* ---- registered locations ---- */

/* RegisterResource; see catalog.h. */
gboolean catalog_lf_register_location(Catalog *cat, const CatalogCtx *ctx, StoreLfLocation *loc, GError **error)
{
	g_autofree char *norm = NULL;
	if (!catalog_lf_location_parse(loc->resource_arn, &norm, &loc->location, error))
		return FALSE;
	g_free(loc->resource_arn);
	loc->resource_arn = g_steal_pointer(&norm);
	g_autofree char *resource = g_strdup_printf("location %s", loc->resource_arn);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	gboolean ok = catalog_admin_require(&work, ctx, resource, error);
	GError *serr = NULL;
	if (ok && !(ok = store_lf_location_insert(work.conn, loc, &serr))) {
		g_autofree char *what = g_strdup_printf("Resource %s is already registered", loc->resource_arn);
		catalog_error_from_store(serr, NULL, what, error);
	}
	return catalog_work_end(&work, ok, error);
}

/* DeregisterResource; see catalog.h. */
gboolean catalog_lf_deregister_location(Catalog *cat, const CatalogCtx *ctx, const char *arn, GError **error)
{
	g_autofree char *norm = NULL;
	if (!catalog_lf_location_parse(arn, &norm, NULL, error))
		return FALSE;
	g_autofree char *resource = g_strdup_printf("location %s", norm);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	gboolean ok = catalog_admin_require(&work, ctx, resource, error);
	GError *serr = NULL;
	if (ok && !(ok = store_lf_location_delete(work.conn, norm, &serr))) {
		g_autofree char *what = g_strdup_printf("Resource %s is not registered", norm);
		catalog_error_from_store(serr, what, NULL, error);
	}
	return catalog_work_end(&work, ok, error);
}

/* ListResources (arn NULL) and DescribeResource; see catalog.h. */
GPtrArray *catalog_lf_list_locations(Catalog *cat, const CatalogCtx *ctx, const char *arn, GError **error)
{
	g_autofree char *norm = NULL;
	if (arn != NULL && !catalog_lf_location_parse(arn, &norm, NULL, error))
		return NULL;
	g_autofree char *resource = norm ? g_strdup_printf("location %s", norm) : g_strdup("locations");
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GPtrArray *out = NULL;
	GError *serr = NULL;
	if (catalog_admin_require(&work, ctx, resource, error) &&
	    (out = store_lf_location_list(work.conn, norm, &serr)) == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, out != NULL, NULL);
	if (out != NULL && norm != NULL && out->len == 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Resource %s is not registered", norm);
		g_clear_pointer(&out, g_ptr_array_unref);
	}
	return out;
}
