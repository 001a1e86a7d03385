/*
 * function.c — Glue user-defined function operations: Create, Get, GetUserDefinedFunctions,
 * Update, Delete.
 *
 * A FunctionInput plus the request's DatabaseName is the catalog's UserDefinedFunction
 * document; the catalog sets CreateTime. GetUserDefinedFunctions' Pattern is a regular
 * expression over names ("*" alone means all, as Glue's Hive client sends it); without a
 * DatabaseName it lists every database's functions.
 */
#include <string.h>

#include "glue/internal.h"

#define GLUE_PAGE_MAX 100

/* FunctionInput + db → a function document (new). */
static JsonObject *glue_function_doc(JsonObject *input, const char *db, GError **error)
{
	if ((glue_in_name(input, "FunctionName", FALSE, error), error && *error) ||
	    (glue_in_name(input, "ClassName", FALSE, error), error && *error) ||
	    (glue_in_name(input, "OwnerName", FALSE, error), error && *error) ||
	    (glue_in_array(input, "ResourceUris", FALSE, error), error && *error))
		return NULL;
	const char *otype = glue_in_string(input, "OwnerType", FALSE, 0, error);
	if (error && *error)
		return NULL;
	if (otype && strcmp(otype, "USER") != 0 && strcmp(otype, "ROLE") != 0 && strcmp(otype, "GROUP") != 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid OwnerType %s", otype);
		return NULL;
	}
	JsonObject *fn = glue_copy_object(input);
	json_object_remove_member(fn, "Hive");
	json_object_set_string_member(fn, "DatabaseName", db);
	if (!json_object_has_member(fn, "FunctionType"))
		json_object_set_string_member(fn, "FunctionType", "JAVA");
	return fn;
}

static JsonObject *glue_create_function(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	JsonObject *input = db ? glue_in_object(call->in, "FunctionInput", TRUE, error) : NULL;
	if (input == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	g_autoptr(JsonObject) fn = glue_function_doc(input, db, error);
	if (fn == NULL)
		return NULL;
	g_autoptr(JsonObject) made = catalog_create_function(call->door->cat, &call->ctx, call->catalog, fn, error);
	return made ? json_object_new() : NULL;
}

static JsonObject *glue_get_function(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "FunctionName", TRUE, error) : NULL;
	if (name == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	g_autoptr(JsonObject) fn = catalog_get_function(call->door->cat, &call->ctx, call->catalog, db, name, error);
	if (fn == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "UserDefinedFunction", glue_shape_out(call, fn));
	return out;
}

/* "db\nname" of a function document, the order and resume key of the listing. */
static char *glue_function_key(JsonObject *fn)
{
	return g_strdup_printf("%s\n%s", json_object_get_string_member_with_default(fn, "DatabaseName", ""),
	                       json_object_get_string_member_with_default(fn, "FunctionName", ""));
}

static int glue_cmp_functions(gconstpointer a, gconstpointer b)
{
	g_autofree char *ka = glue_function_key(*(JsonObject *const *)a);
	g_autofree char *kb = glue_function_key(*(JsonObject *const *)b);
	return strcmp(ka, kb);
}

static JsonObject *glue_get_functions(GlueCall *call, GError **error)
{
	gint64 max = 0;
	g_autofree char *after = NULL;
	const char *db = glue_in_name(call->in, "DatabaseName", FALSE, error);
	const char *pattern = NULL, *token = NULL;
	if ((error && *error) || (pattern = glue_in_name(call->in, "Pattern", TRUE, error)) == NULL ||
	    !glue_check_catalog_id(call, error) ||
	    !glue_in_int(call->in, "MaxResults", 1, GLUE_PAGE_MAX, GLUE_PAGE_MAX, &max, error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 0, error)), error && *error))
		return NULL;
	g_autofree char *scope = g_strdup_printf("%s\n%s", db ? db : "", pattern);
	if (!glue_token_read(call, scope, token, &after, error))
		return NULL;
	if (db != NULL) {
		g_autoptr(JsonObject) dbdoc = catalog_get_database(call->door->cat, &call->ctx, call->catalog, db, error);
		if (dbdoc == NULL)
			return NULL;
	}
	g_autofree char *anchored = g_strdup_printf("^(?:%s)$", strcmp(pattern, "*") == 0 ? ".*" : pattern);
	GError *rerr = NULL;
	g_autoptr(GRegex) re = g_regex_new(anchored, G_REGEX_CASELESS, 0, &rerr);
	if (re == NULL) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid Pattern: %s", rerr->message);
		g_error_free(rerr);
		return NULL;
	}
	g_autoptr(GPtrArray) all = catalog_list_functions(call->door->cat, &call->ctx, call->catalog, db, NULL, error);
	if (all == NULL)
		return NULL;
	g_ptr_array_sort(all, glue_cmp_functions);
	JsonArray *list = json_array_new();
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "UserDefinedFunctions", list);
	g_autofree char *last = NULL;
	for (guint i = 0; i < all->len; i++) {
		JsonObject *fn = g_ptr_array_index(all, i);
		g_autofree char *key = glue_function_key(fn);
		if ((after && strcmp(key, after) <= 0) ||
		    !g_regex_match(re, json_object_get_string_member_with_default(fn, "FunctionName", ""), 0, NULL))
			continue;
		if (json_array_get_length(list) == (guint)max) {
			g_autofree char *next = glue_token_make(call, scope, last);
			json_object_set_string_member(out, "NextToken", next);
			break;
		}
		json_array_add_object_element(list, glue_shape_out(call, fn));
		g_free(last);
		last = g_steal_pointer(&key);
	}
	return out;
}

static JsonObject *glue_update_function(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "FunctionName", TRUE, error) : NULL;
	JsonObject *input = name ? glue_in_object(call->in, "FunctionInput", TRUE, error) : NULL;
	if (input == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	g_autoptr(JsonObject) old = catalog_get_function(call->door->cat, &call->ctx, call->catalog, db, name, error);
	if (old == NULL)
		return NULL;
	g_autoptr(JsonObject) fn = glue_function_doc(input, db, error);
	if (fn == NULL)
		return NULL;
	if (!json_object_has_member(fn, "FunctionName"))
		json_object_set_string_member(fn, "FunctionName", name);
	if (json_object_has_member(old, "CreateTime"))
		json_object_set_int_member(fn, "CreateTime", json_object_get_int_member(old, "CreateTime"));
	if (!catalog_alter_function(call->door->cat, &call->ctx, call->catalog, db, name, fn, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_delete_function(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "FunctionName", TRUE, error) : NULL;
	if (name == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	if (!catalog_drop_function(call->door->cat, &call->ctx, call->catalog, db, name, error))
		return NULL;
	return json_object_new();
}

const GlueOp glue_function_ops[] = {
	{"CreateUserDefinedFunction", glue_create_function},
	{"GetUserDefinedFunction", glue_get_function},
	{"GetUserDefinedFunctions", glue_get_functions},
	{"UpdateUserDefinedFunction", glue_update_function},
	{"DeleteUserDefinedFunction", glue_delete_function},
	{NULL, NULL},
};
