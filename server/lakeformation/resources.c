/*
 * resources.c — RegisterResource, DeregisterResource, DescribeResource and ListResources:
 * the S3 locations under Lake Formation's control (arn:aws:s3:::bucket/prefix, which the
 * catalog matches as s3://bucket/prefix against table and database locations).
 *
 * Administrators only (the catalog checks). ListResources filters on RESOURCE_ARN and ROLE_ARN
 * with EQ, NE, CONTAINS, NOT_CONTAINS, BEGINS_WITH and IN; other fields and operators are
 * refused with InvalidInputException. Registered locations are few, so the filter runs here
 * over the catalog's ordered list, and pages are positions in ResourceArn order.
 */
#include <string.h>

#include "lakeformation/internal.h"

#define LF_FILTERS_MAX 20
#define LF_PAGE_MAX 1000
#define LF_ARN_MAX 2048

/* The service-linked role Lake Formation names when UseServiceLinkedRole is set. */
static char *lf_service_role(GlueCall *call)
{
	return g_strdup_printf("arn:aws:iam::%s:role/aws-service-role/lakeformation.amazonaws.com/"
	                       "AWSServiceRoleForLakeFormationDataAccess", call->door->config->account_id);
}

/* ResourceInfo {ResourceArn, RoleArn?, LastModified, WithFederation, HybridAccessEnabled}. */
static JsonObject *lf_resource_info(GlueCall *call, const StoreLfLocation *loc)
{
	JsonObject *o = json_object_new();
	json_object_set_string_member(o, "ResourceArn", loc->resource_arn);
	if (loc->role_arn) {
		json_object_set_string_member(o, "RoleArn", loc->role_arn);
	} else if (loc->use_service_linked_role) {
		g_autofree char *role = lf_service_role(call);
		json_object_set_string_member(o, "RoleArn", role);
	}
	json_object_set_int_member(o, "LastModified", loc->registered);
	json_object_set_boolean_member(o, "WithFederation", loc->with_federation);
	json_object_set_boolean_member(o, "HybridAccessEnabled", loc->hybrid_access_enabled);
	return o;
}

/* RegisterResource {ResourceArn, UseServiceLinkedRole?, RoleArn?, WithFederation?, HybridAccessEnabled?}: {} */
static JsonObject *lf_register_resource(GlueCall *call, GError **error)
{
	GError *e = NULL;
	StoreLfLocation loc = {0};
	const char *arn = glue_in_string(call->in, "ResourceArn", TRUE, LF_ARN_MAX, &e);
	const char *role = e == NULL ? glue_in_string(call->in, "RoleArn", FALSE, LF_ARN_MAX, &e) : NULL;
	gboolean ok = e == NULL && lf_in_bool(call->in, "UseServiceLinkedRole", FALSE, &loc.use_service_linked_role, &e) &&
	              lf_in_bool(call->in, "WithFederation", FALSE, &loc.with_federation, &e) &&
	              lf_in_bool(call->in, "HybridAccessEnabled", FALSE, &loc.hybrid_access_enabled, &e);
	if (e != NULL)
		g_propagate_error(error, e);
	if (ok) {
		loc.resource_arn = g_strdup(arn);
		loc.role_arn = g_strdup(role);
		ok = catalog_lf_register_location(call->door->cat, &call->ctx, &loc, error);
	}
	g_free(loc.resource_arn);
	g_free(loc.location);
	g_free(loc.role_arn);
	return ok ? json_object_new() : NULL;
}

/* DeregisterResource {ResourceArn}: {} */
static JsonObject *lf_deregister_resource(GlueCall *call, GError **error)
{
	GError *e = NULL;
	const char *arn = glue_in_string(call->in, "ResourceArn", TRUE, LF_ARN_MAX, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	return catalog_lf_deregister_location(call->door->cat, &call->ctx, arn, error) ? json_object_new() : NULL;
}

/* DescribeResource {ResourceArn}: {ResourceInfo} */
static JsonObject *lf_describe_resource(GlueCall *call, GError **error)
{
	GError *e = NULL;
	const char *arn = glue_in_string(call->in, "ResourceArn", TRUE, LF_ARN_MAX, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	g_autoptr(GPtrArray) list = catalog_lf_list_locations(call->door->cat, &call->ctx, arn, error);
	if (list == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "ResourceInfo", lf_resource_info(call, g_ptr_array_index(list, 0)));
	return out;
}

/* One FilterCondition {Field, ComparisonOperator, StringValueList}, checked. */
typedef struct {
	gboolean role;        /* ROLE_ARN, else RESOURCE_ARN */
	const char *op;       /* EQ, NE, CONTAINS, NOT_CONTAINS, BEGINS_WITH, IN */
	JsonArray *values;    /* strings */
} LfFilter;

static gboolean lf_filter_read(JsonNode *n, LfFilter *f, GError **error)
{
	static const char *const ops[] = {"EQ", "NE", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH", "IN"};
	GError *e = NULL;
	JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
	const char *field = o ? glue_in_string(o, "Field", TRUE, 64, &e) : NULL;
	f->op = field ? glue_in_string(o, "ComparisonOperator", TRUE, 64, &e) : NULL;
	f->values = f->op ? glue_in_array(o, "StringValueList", FALSE, &e) : NULL;
	if (o == NULL)
		g_set_error_literal(&e, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "FilterConditionList must be a list of objects");
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	gboolean op_ok = FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(ops); i++)
		op_ok = op_ok || strcmp(ops[i], f->op) == 0;
	for (guint i = 0; f->values && i < json_array_get_length(f->values); i++) {
		JsonNode *v = json_array_get_element(f->values, i);
		if (!JSON_NODE_HOLDS_VALUE(v) || json_node_get_value_type(v) != G_TYPE_STRING) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			                    "StringValueList must be a list of strings");
			return FALSE;
		}
	}
	f->role = strcmp(field, "ROLE_ARN") == 0;
	if ((!f->role && strcmp(field, "RESOURCE_ARN") != 0) || !op_ok || !f->values ||
	    json_array_get_length(f->values) == 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Unsupported filter %.64s %.64s: fields RESOURCE_ARN, ROLE_ARN with EQ, NE, CONTAINS, "
		            "NOT_CONTAINS, BEGINS_WITH or IN and at least one value", field, f->op);
		return FALSE;
	}
	return TRUE;
}

/* TRUE when s passes filter f. */
static gboolean lf_filter_match(const LfFilter *f, const char *s)
{
	const char *first = json_array_get_string_element(f->values, 0);
	if (strcmp(f->op, "IN") == 0) {
		for (guint i = 0; i < json_array_get_length(f->values); i++)
			if (g_strcmp0(s, json_array_get_string_element(f->values, i)) == 0)
				return TRUE;
		return FALSE;
	}
	if (strcmp(f->op, "EQ") == 0)
		return g_strcmp0(s, first) == 0;
	if (strcmp(f->op, "NE") == 0)
		return g_strcmp0(s, first) != 0;
	if (strcmp(f->op, "BEGINS_WITH") == 0)
		return s && g_str_has_prefix(s, first);
	gboolean has = s && strstr(s, first) != NULL;
	return strcmp(f->op, "CONTAINS") == 0 ? has : !has;
}

/* ListResources {FilterConditionList?, MaxResults?, NextToken?}: {ResourceInfoList, NextToken?} */
static JsonObject *lf_list_resources(GlueCall *call, GError **error)
{
	GError *e = NULL;
	gint64 max = 0;
	JsonArray *conds = glue_in_array(call->in, "FilterConditionList", FALSE, &e);
	const char *token = e == NULL ? glue_in_string(call->in, "NextToken", FALSE, 0, &e) : NULL;
	if (e == NULL)
		glue_in_int(call->in, "MaxResults", 1, LF_PAGE_MAX, LF_PAGE_MAX, &max, &e);
	if (e == NULL && conds && (json_array_get_length(conds) < 1 || json_array_get_length(conds) > LF_FILTERS_MAX))
		g_set_error(&e, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'filterConditionList' failed to satisfy constraint: "
		            "Member must have length between 1 and %d", LF_FILTERS_MAX);
	guint nf = conds && e == NULL ? json_array_get_length(conds) : 0;
	LfFilter filters[LF_FILTERS_MAX];
	for (guint i = 0; i < nf && e == NULL; i++)
		lf_filter_read(json_array_get_element(conds, i), &filters[i], &e);
	JsonNode *cn = json_object_get_member(call->in, "FilterConditionList");
	g_autofree char *ctext = cn ? json_to_string(cn, FALSE) : g_strdup("-");
	g_autofree char *scope = g_compute_checksum_for_string(G_CHECKSUM_SHA256, ctext, -1);
	g_autofree char *after = NULL;
	if (e == NULL)
		glue_token_read(call, scope, token, &after, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	g_autoptr(GPtrArray) list = catalog_lf_list_locations(call->door->cat, &call->ctx, NULL, error);
	if (list == NULL)
		return NULL;
	JsonArray *infos = json_array_new();
	const char *last = NULL;
	gboolean more = FALSE;
	for (guint i = 0; i < list->len && !more; i++) {
		const StoreLfLocation *loc = g_ptr_array_index(list, i);
		g_autofree char *role = loc->role_arn ? g_strdup(loc->role_arn)
		                        : loc->use_service_linked_role ? lf_service_role(call) : NULL;
		gboolean keep = after == NULL || strcmp(loc->resource_arn, after) > 0;
		for (guint f = 0; f < nf && keep; f++)
			keep = lf_filter_match(&filters[f], filters[f].role ? role : loc->resource_arn);
		if (keep && json_array_get_length(infos) == (guint)max)
			more = TRUE;
		else if (keep) {
			json_array_add_object_element(infos, lf_resource_info(call, loc));
			last = loc->resource_arn;
		}
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "ResourceInfoList", infos);
	if (more) {
		g_autofree char *t = glue_token_make(call, scope, last);
		json_object_set_string_member(out, "NextToken", t);
	}
	return out;
}

const GlueOp lf_resource_ops[] = {
	{"RegisterResource", lf_register_resource},
	{"DeregisterResource", lf_deregister_resource},
	{"DescribeResource", lf_describe_resource},
	{"ListResources", lf_list_resources},
	{NULL, NULL},
};
