/*
 * database.c — Glue database operations: Create, Get, GetDatabases, Update, Delete.
 *
 * Each reads its Glue request, calls one catalog operation (GetDatabases: a listing, then
 * one read per database of the page) and shapes the answer. DeleteDatabase removes the
 * database's tables and functions with it, as Glue does.
 */
#include <string.h>

#include "glue/internal.h"

#define GLUE_PAGE_MAX 100

static int glue_cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* DatabaseInput → a database document (new). */
static JsonObject *glue_database_doc(JsonObject *input, GError **error)
{
	if (glue_in_name(input, "Name", TRUE, error) == NULL ||
	    (glue_in_string(input, "Description", FALSE, 2048, error), error && *error) ||
	    (glue_in_string(input, "LocationUri", FALSE, 1024, error), error && *error) ||
	    (glue_in_object(input, "Parameters", FALSE, error), error && *error))
		return NULL;
	JsonObject *db = glue_copy_object(input);
	json_object_remove_member(db, "CreateTableDefaultPermissions");
	json_object_remove_member(db, "TargetDatabase");
	json_object_remove_member(db, "Hive");
	return db;
}

static JsonObject *glue_create_database(GlueCall *call, GError **error)
{
	JsonObject *input = glue_in_object(call->in, "DatabaseInput", TRUE, error);
	if (input == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	g_autoptr(JsonObject) db = glue_database_doc(input, error);
	if (db == NULL)
		return NULL;
	g_autoptr(JsonObject) made = catalog_create_database(call->door->cat, &call->ctx, call->catalog, db, error);
	return made ? json_object_new() : NULL;
}

static JsonObject *glue_get_database(GlueCall *call, GError **error)
{
	const char *name = glue_in_name(call->in, "Name", TRUE, error);
	if (name == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	g_autoptr(JsonObject) db = catalog_get_database(call->door->cat, &call->ctx, call->catalog, name, error);
	if (db == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "Database", glue_shape_out(call, db));
	return out;
}

static JsonObject *glue_get_databases(GlueCall *call, GError **error)
{
	gint64 max = 0;
	g_autofree char *after = NULL;
	const char *token = NULL;
	if (!glue_check_catalog_id(call, error) || !glue_in_int(call->in, "MaxResults", 1, GLUE_PAGE_MAX, GLUE_PAGE_MAX, &max, error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 0, error)), error && *error) ||
	    !glue_token_read(call, "", token, &after, error))
		return NULL;
	g_autoptr(GPtrArray) names = catalog_list_databases(call->door->cat, &call->ctx, call->catalog, NULL, error);
	if (names == NULL)
		return NULL;
	g_ptr_array_sort(names, glue_cmp_names);
	JsonArray *list = json_array_new();
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "DatabaseList", list);
	guint i = glue_page_start(names, after);
	const char *last = NULL;
	for (; i < names->len && json_array_get_length(list) < (guint)max; i++) {
		GError *e = NULL;
		g_autoptr(JsonObject) db = catalog_get_database(call->door->cat, &call->ctx, call->catalog, g_ptr_array_index(names, i), &e);
		if (db == NULL && g_error_matches(e, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND)) {
			g_clear_error(&e); /* dropped since the listing */
			continue;
		}
		if (db == NULL) {
			g_propagate_error(error, e);
			json_object_unref(out);
			return NULL;
		}
		json_array_add_object_element(list, glue_shape_out(call, db));
		last = g_ptr_array_index(names, i);
	}
	if (i < names->len && last != NULL) {
		g_autofree char *next = glue_token_make(call, "", last);
		json_object_set_string_member(out, "NextToken", next);
	}
	return out;
}

static JsonObject *glue_update_database(GlueCall *call, GError **error)
{
	const char *name = glue_in_name(call->in, "Name", TRUE, error);
	JsonObject *input = name ? glue_in_object(call->in, "DatabaseInput", TRUE, error) : NULL;
	if (input == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	g_autoptr(JsonObject) db = glue_database_doc(input, error);
	if (db == NULL)
		return NULL;
	/* Hive-only fields (owner, privileges) are not Glue's to change: keep them. */
	g_autoptr(JsonObject) old = catalog_get_database(call->door->cat, &call->ctx, call->catalog, name, error);
	if (old == NULL)
		return NULL;
	if (json_object_has_member(old, "Hive"))
		json_object_set_object_member(db, "Hive", json_object_ref(json_object_get_object_member(old, "Hive")));
	if (!catalog_alter_database(call->door->cat, &call->ctx, call->catalog, name, db, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_delete_database(GlueCall *call, GError **error)
{
	const char *name = glue_in_name(call->in, "Name", TRUE, error);
	if (name == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	if (!catalog_drop_database(call->door->cat, &call->ctx, call->catalog, name, TRUE, FALSE, error))
		return NULL;
	return json_object_new();
}

const GlueOp glue_database_ops[] = {
	{"CreateDatabase", glue_create_database}, {"GetDatabase", glue_get_database},
	{"GetDatabases", glue_get_databases},     {"UpdateDatabase", glue_update_database},
	{"DeleteDatabase", glue_delete_database}, {NULL, NULL},
};
