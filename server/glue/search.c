/*
 * search.c — Glue's SearchTables: the request's shapes in, a page of Table documents out.
 *
 * The catalog does the search (catalog/search.c: what is matched, visibility, column trimming);
 * the door reads Filters, SearchText, SortCriteria (at most one), MaxResults (1..1000, default
 * 1000) and ResourceShareType, and signs the catalog's position into the NextToken. The token
 * is bound to a digest of the query (text, filters, sort), so a token cannot be replayed with
 * another query. Tables shared from other accounts (FOREIGN, FEDERATED) do not exist here:
 * those searches answer an empty list.
 */
#include <string.h>

#include "glue/internal.h"

#define GLUE_SEARCH_VALUE_MAX 1024 /* ValueString */

static gboolean glue_search_enum(const char *member, const char *v, const char *const *allowed, GError **error)
{
	for (guint i = 0; allowed[i]; i++)
		if (strcmp(v, allowed[i]) == 0)
			return TRUE;
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
	            "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: "
	            "Member must satisfy enum value set", v, member);
	return FALSE;
}

/* Reads Filters into filters (borrowed strings) and appends them to the query digest. */
static gboolean glue_search_filters(JsonObject *in, GArray *filters, GString *digest, GError **error)
{
	static const char *const comparators[] = {"EQUALS", "GREATER_THAN", "LESS_THAN", "GREATER_THAN_EQUALS",
	                                          "LESS_THAN_EQUALS", NULL};
	JsonArray *list = glue_in_array(in, "Filters", FALSE, error);
	if (list == NULL)
		return error == NULL || *error == NULL;
	for (guint i = 0; i < json_array_get_length(list); i++) {
		JsonNode *n = json_array_get_element(list, i);
		if (!JSON_NODE_HOLDS_OBJECT(n)) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Filters must be a list of objects");
			return FALSE;
		}
		JsonObject *o = json_node_get_object(n);
		CatalogSearchFilter f = {0};
		if (((f.key = glue_in_string(o, "Key", FALSE, GLUE_SEARCH_VALUE_MAX, error)), error && *error) ||
		    ((f.value = glue_in_string(o, "Value", FALSE, GLUE_SEARCH_VALUE_MAX, error)), error && *error) ||
		    ((f.comparator = glue_in_string(o, "Comparator", FALSE, 0, error)), error && *error) ||
		    (f.comparator && !glue_search_enum("comparator", f.comparator, comparators, error)))
			return FALSE;
		g_array_append_val(filters, f);
		g_string_append_printf(digest, "f\x1f%s\x1f%s\x1f%s\n", f.key ? f.key : "", f.value ? f.value : "",
		                       f.comparator ? f.comparator : "");
	}
	return TRUE;
}

/* Reads SortCriteria (at most one criterion) into q and the digest. */
static gboolean glue_search_sort(JsonObject *in, CatalogSearchQuery *q, GString *digest, GError **error)
{
	static const char *const orders[] = {"ASC", "DESC", NULL};
	JsonArray *list = glue_in_array(in, "SortCriteria", FALSE, error);
	if (list == NULL)
		return error == NULL || *error == NULL;
	if (json_array_get_length(list) > 1) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "1 validation error detected: Value at 'sortCriteria' failed to satisfy constraint: "
		                    "Member must have length less than or equal to 1");
		return FALSE;
	}
	if (json_array_get_length(list) == 0)
		return TRUE;
	JsonNode *n = json_array_get_element(list, 0);
	if (!JSON_NODE_HOLDS_OBJECT(n)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "SortCriteria must be a list of objects");
		return FALSE;
	}
	const char *sort = NULL;
	JsonObject *o = json_node_get_object(n);
	if (((q->sort_field = glue_in_string(o, "FieldName", FALSE, GLUE_SEARCH_VALUE_MAX, error)), error && *error) ||
	    ((sort = glue_in_string(o, "Sort", FALSE, 0, error)), error && *error) ||
	    (sort && !glue_search_enum("sort", sort, orders, error)))
		return FALSE;
	q->descending = sort && strcmp(sort, "DESC") == 0;
	g_string_append_printf(digest, "s\x1f%s\x1f%s\n", q->sort_field ? q->sort_field : "", q->descending ? "D" : "A");
	return TRUE;
}

static JsonObject *glue_search_tables(GlueCall *call, GError **error)
{
	static const char *const shares[] = {"FOREIGN", "ALL", "FEDERATED", NULL};
	gint64 max = 0;
	const char *token = NULL, *share = NULL;
	CatalogSearchQuery q = {0};
	g_autoptr(GArray) filters = g_array_new(FALSE, TRUE, sizeof(CatalogSearchFilter));
	g_autoptr(GString) digest = g_string_new(NULL);
	if (!glue_check_catalog_id(call, error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 0, error)), error && *error) ||
	    ((q.text = glue_in_string(call->in, "SearchText", FALSE, GLUE_SEARCH_VALUE_MAX, error)), error && *error) ||
	    !glue_in_int(call->in, "MaxResults", 1, CATALOG_SEARCH_LIMIT_MAX, CATALOG_SEARCH_LIMIT_MAX, &max, error) ||
	    ((share = glue_in_string(call->in, "ResourceShareType", FALSE, 0, error)), error && *error) ||
	    (share && !glue_search_enum("resourceShareType", share, shares, error)) ||
	    !glue_search_filters(call->in, filters, digest, error) || !glue_search_sort(call->in, &q, digest, error))
		return NULL;
	g_string_append_printf(digest, "t\x1f%s\n", q.text ? q.text : "");
	g_autofree char *scope = g_compute_checksum_for_string(G_CHECKSUM_SHA256, digest->str, (gssize)digest->len);
	g_autofree char *after = NULL;
	if (!glue_token_read(call, scope, token, &after, error))
		return NULL;
	JsonObject *out = json_object_new();
	if (share && strcmp(share, "ALL") != 0) { /* nothing is shared with this account */
		json_object_set_array_member(out, "TableList", json_array_new());
		return out;
	}
	q.filters = (const CatalogSearchFilter *)(void *)filters->data;
	q.n_filters = filters->len;
	q.after = after;
	q.limit = (guint)max;
	g_autofree char *next = NULL;
	g_autoptr(GPtrArray) docs = catalog_search_tables(call->door->cat, &call->ctx, call->catalog, &q, &next, error);
	if (docs == NULL) {
		json_object_unref(out);
		return NULL;
	}
	json_object_set_array_member(out, "TableList", glue_shape_list(call, docs, 0, docs->len));
	if (next != NULL) {
		g_autofree char *tok = glue_token_make(call, scope, next);
		json_object_set_string_member(out, "NextToken", tok);
	}
	return out;
}

const GlueOp glue_search_ops[] = {
	{"SearchTables", glue_search_tables},
	{NULL, NULL},
};
