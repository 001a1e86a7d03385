/*
 * table.c — Glue table operations: Create, Get, GetTables, Update, Delete, BatchDelete,
 * GetTableVersions, GetTableVersion, DeleteTableVersion, BatchDeleteTableVersion.
 *
 * UpdateTable keeps what Glue cannot see (the "Hive" member, CreateTime) from the current
 * version and writes the new one conditionally on the version it read (or on the client's
 * VersionId), so a concurrent change is never lost: ConcurrentModificationException when the
 * client named a version, a bounded retry otherwise. GetTables' Expression is a regular
 * expression over names (case-insensitive, whole name), as Glue has it.
 */
#include <stdlib.h>
#include <string.h>

#include "glue/internal.h"

#define GLUE_PAGE_MAX 100
#define GLUE_BATCH_MAX 100
#define GLUE_UPDATE_TRIES 3

static int glue_cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* TableInput → a table document (new). */
static JsonObject *glue_table_doc(JsonObject *input, GError **error)
{
	if (glue_in_name(input, "Name", TRUE, error) == NULL ||
	    (glue_in_string(input, "Description", FALSE, 2048, error), error && *error) ||
	    (glue_in_name(input, "Owner", FALSE, error), error && *error) ||
	    (glue_in_string(input, "TableType", FALSE, 255, error), error && *error) ||
	    (glue_in_object(input, "StorageDescriptor", FALSE, error), error && *error) ||
	    (glue_in_array(input, "PartitionKeys", FALSE, error), error && *error) ||
	    (glue_in_object(input, "Parameters", FALSE, error), error && *error))
		return NULL;
	JsonObject *t = glue_copy_object(input);
	json_object_remove_member(t, "TargetTable");
	json_object_remove_member(t, "Hive");
	json_object_remove_member(t, "VersionId");
	glue_table_from_input(t);
	return t;
}

/* CreateTable's PartitionIndexes: at most CATALOG_PARTITION_INDEX_MAX well-formed PartitionIndex objects. */
static gboolean glue_create_table_indexes(JsonArray *list, GError **error)
{
	if (json_array_get_length(list) > CATALOG_PARTITION_INDEX_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'partitionIndexes' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", CATALOG_PARTITION_INDEX_MAX);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(list); i++) {
		JsonNode *n = json_array_get_element(list, i);
		if (!JSON_NODE_HOLDS_OBJECT(n)) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "PartitionIndexes must be a list of objects");
			return FALSE;
		}
		if (!glue_in_partition_index(json_node_get_object(n), error))
			return FALSE;
	}
	return TRUE;
}

static JsonObject *glue_create_table(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	JsonObject *input = db ? glue_in_object(call->in, "TableInput", TRUE, error) : NULL;
	CatalogCreateTableOpts opts = {0};
	if (input == NULL || !glue_check_catalog_id(call, error) ||
	    ((opts.partition_indexes = glue_in_array(call->in, "PartitionIndexes", FALSE, error)), error && *error) ||
	    (opts.partition_indexes && !glue_create_table_indexes(opts.partition_indexes, error)))
		return NULL;
	g_autoptr(JsonObject) t = glue_table_doc(input, error);
	if (t == NULL)
		return NULL;
	if (!json_object_has_member(t, "Owner"))
		json_object_set_string_member(t, "Owner", call->ctx.principal);
	g_autoptr(JsonObject) made = catalog_create_table(call->door->cat, &call->ctx, call->catalog, db, t, &opts, error);
	if (made == NULL && error && *error && (*error)->code == CATALOG_ERROR_NOT_FOUND)
		g_prefix_error(error, "Database %s not found. ", db);
	return made ? json_object_new() : NULL;
}

static JsonObject *glue_get_table(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "Name", TRUE, error) : NULL;
	if (name == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	g_autoptr(JsonObject) t = catalog_get_table(call->door->cat, &call->ctx, call->catalog, db, name, error);
	if (t == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "Table", glue_shape_out(call, t));
	return out;
}

/* Keeps the names matching a Glue Expression (regex, whole name, case-insensitive). */
static gboolean glue_filter_names(GPtrArray *names, const char *expression, GError **error)
{
	if (expression == NULL || *expression == '\0')
		return TRUE;
	g_autofree char *anchored = g_strdup_printf("^(?:%s)$", strcmp(expression, "*") == 0 ? ".*" : expression);
	GError *rerr = NULL;
	g_autoptr(GRegex) re = g_regex_new(anchored, G_REGEX_CASELESS, 0, &rerr);
	if (re == NULL) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid Expression: %s", rerr->message);
		g_error_free(rerr);
		return FALSE;
	}
	for (guint i = names->len; i-- > 0;)
		if (!g_regex_match(re, g_ptr_array_index(names, i), 0, NULL))
			g_ptr_array_remove_index(names, i);
	return TRUE;
}

static JsonObject *glue_get_tables(GlueCall *call, GError **error)
{
	gint64 max = 0;
	g_autofree char *after = NULL;
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *expr = NULL, *token = NULL;
	if (db == NULL || !glue_check_catalog_id(call, error) ||
	    ((expr = glue_in_string(call->in, "Expression", FALSE, 2048, error)), error && *error) ||
	    !glue_in_int(call->in, "MaxResults", 1, GLUE_PAGE_MAX, GLUE_PAGE_MAX, &max, error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 0, error)), error && *error))
		return NULL;
	g_autofree char *scope = g_strdup_printf("%s\n%s", db, expr ? expr : "");
	if (!glue_token_read(call, scope, token, &after, error))
		return NULL;
	g_autoptr(JsonObject) dbdoc = catalog_get_database(call->door->cat, &call->ctx, call->catalog, db, error);
	if (dbdoc == NULL)
		return NULL;
	g_autoptr(GPtrArray) names = catalog_list_tables(call->door->cat, &call->ctx, call->catalog, db, NULL, NULL, error);
	if (names == NULL || !glue_filter_names(names, expr, error))
		return NULL;
	g_ptr_array_sort(names, glue_cmp_names);
	guint from = glue_page_start(names, after);
	guint to = MIN(names->len, from + (guint)max);
	g_autoptr(GPtrArray) page = g_ptr_array_new();
	for (guint i = from; i < to; i++)
		g_ptr_array_add(page, g_ptr_array_index(names, i));
	g_autoptr(GPtrArray) docs = catalog_get_tables(call->door->cat, &call->ctx, call->catalog, db, page, error);
	if (docs == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "TableList", glue_shape_list(call, docs, 0, docs->len));
	if (to < names->len && to > from) {
		g_autofree char *next = glue_token_make(call, scope, g_ptr_array_index(names, to - 1));
		json_object_set_string_member(out, "NextToken", next);
	}
	return out;
}

/* One conditional update attempt: read, carry Hive-only fields over, write if unchanged. */
static gboolean glue_update_once(GlueCall *call, const char *db, JsonObject *input, gint64 expected, GError **error)
{
	const char *name = json_object_get_string_member(input, "Name");
	g_autoptr(JsonObject) old = catalog_get_table(call->door->cat, &call->ctx, call->catalog, db, name, error);
	if (old == NULL)
		return FALSE;
	g_autoptr(JsonObject) t = glue_table_doc(input, error);
	if (t == NULL)
		return FALSE;
	if (json_object_has_member(old, "Hive"))
		json_object_set_object_member(t, "Hive", json_object_ref(json_object_get_object_member(old, "Hive")));
	if (json_object_has_member(old, "CreateTime"))
		json_object_set_int_member(t, "CreateTime", json_object_get_int_member(old, "CreateTime"));
	json_object_set_int_member(t, "UpdateTime", g_get_real_time() / G_USEC_PER_SEC);
	CatalogAlterTableOpts opts = {0};
	opts.expected_version = expected > 0 ? expected : atoll(json_object_get_string_member_with_default(old, "VersionId", "0"));
	return catalog_alter_table(call->door->cat, &call->ctx, call->catalog, db, name, t, &opts, error);
}

static JsonObject *glue_update_table(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	JsonObject *input = db ? glue_in_object(call->in, "TableInput", TRUE, error) : NULL;
	const char *version = NULL;
	if (input == NULL || glue_in_name(input, "Name", TRUE, error) == NULL || !glue_check_catalog_id(call, error) ||
	    ((version = glue_in_name(call->in, "VersionId", FALSE, error)), error && *error))
		return NULL;
	gint64 expected = 0;
	if (version != NULL) {
		char *end = NULL;
		expected = g_ascii_strtoll(version, &end, 10);
		if (*end != '\0' || expected <= 0) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid VersionId %s", version);
			return NULL;
		}
	}
	for (guint attempt = 1;; attempt++) {
		GError *e = NULL;
		if (glue_update_once(call, db, input, expected, &e))
			return json_object_new();
		gboolean retry = expected == 0 && attempt < GLUE_UPDATE_TRIES &&
		                 g_error_matches(e, CATALOG_ERROR, CATALOG_ERROR_CONFLICT);
		if (!retry) {
			g_propagate_error(error, e);
			return NULL;
		}
		g_clear_error(&e);
	}
}

static JsonObject *glue_delete_table(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "Name", TRUE, error) : NULL;
	if (name == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	if (!catalog_drop_table(call->door->cat, &call->ctx, call->catalog, db, name, FALSE, error))
		return NULL;
	return json_object_new();
}

/* {"TableName": name, "ErrorDetail": {"ErrorCode": type, "ErrorMessage": msg}} */
static JsonObject *glue_table_error(const char *name, const GError *e)
{
	guint status = 0;
	JsonObject *detail = json_object_new();
	json_object_set_string_member(detail, "ErrorCode", glue_error_type(e, &status));
	json_object_set_string_member(detail, "ErrorMessage", e->message);
	JsonObject *o = json_object_new();
	json_object_set_string_member(o, "TableName", name);
	json_object_set_object_member(o, "ErrorDetail", detail);
	return o;
}

static JsonObject *glue_batch_delete_table(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	JsonArray *names = db ? glue_in_array(call->in, "TablesToDelete", TRUE, error) : NULL;
	if (names == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	if (json_array_get_length(names) > GLUE_BATCH_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'tablesToDelete' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", GLUE_BATCH_MAX);
		return NULL;
	}
	for (guint i = 0; i < json_array_get_length(names); i++) {
		JsonNode *n = json_array_get_element(names, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "TablesToDelete must be a list of strings");
			return NULL;
		}
	}
	g_autoptr(JsonObject) db_doc = catalog_get_database(call->door->cat, &call->ctx, call->catalog, db, error);
	if (db_doc == NULL)
		return NULL;
	JsonArray *errors = json_array_new();
	for (guint i = 0; i < json_array_get_length(names); i++) {
		const char *name = json_array_get_string_element(names, i);
		GError *e = NULL;
		if (!catalog_drop_table(call->door->cat, &call->ctx, call->catalog, db, name, FALSE, &e)) {
			json_array_add_object_element(errors, glue_table_error(name, e));
			g_error_free(e);
		}
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Errors", errors);
	return out;
}

/* {"Table": shaped, "VersionId": v} */
static JsonObject *glue_table_version_out(GlueCall *call, JsonObject *doc)
{
	JsonObject *o = json_object_new();
	json_object_set_string_member(o, "VersionId", json_object_get_string_member_with_default(doc, "VersionId", ""));
	json_object_set_object_member(o, "Table", glue_shape_out(call, doc));
	return o;
}

static JsonObject *glue_get_table_versions(GlueCall *call, GError **error)
{
	gint64 max = 0;
	g_autofree char *after = NULL;
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "TableName", TRUE, error) : NULL;
	const char *token = NULL;
	if (name == NULL || !glue_check_catalog_id(call, error) ||
	    !glue_in_int(call->in, "MaxResults", 1, GLUE_PAGE_MAX, GLUE_PAGE_MAX, &max, error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 0, error)), error && *error))
		return NULL;
	g_autofree char *scope = g_strdup_printf("%s\n%s", db, name);
	if (!glue_token_read(call, scope, token, &after, error))
		return NULL;
	gint64 before = after ? atoll(after) : 0;
	g_autoptr(GPtrArray) docs =
		catalog_get_table_versions(call->door->cat, &call->ctx, call->catalog, db, name, before, (gint)max + 1, error);
	if (docs == NULL)
		return NULL;
	JsonArray *list = json_array_new();
	for (guint i = 0; i < docs->len && i < (guint)max; i++)
		json_array_add_object_element(list, glue_table_version_out(call, g_ptr_array_index(docs, i)));
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "TableVersions", list);
	if (docs->len > (guint)max) {
		JsonObject *last = g_ptr_array_index(docs, max - 1);
		g_autofree char *next = glue_token_make(call, scope, json_object_get_string_member(last, "VersionId"));
		json_object_set_string_member(out, "NextToken", next);
	}
	return out;
}

static JsonObject *glue_get_table_version(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "TableName", TRUE, error) : NULL;
	const char *version = NULL;
	if (name == NULL || !glue_check_catalog_id(call, error) ||
	    ((version = glue_in_name(call->in, "VersionId", FALSE, error)), error && *error))
		return NULL;
	g_autoptr(JsonObject) doc = NULL;
	if (version == NULL) {
		doc = catalog_get_table(call->door->cat, &call->ctx, call->catalog, db, name, error);
	} else {
		char *end = NULL;
		gint64 v = g_ascii_strtoll(version, &end, 10);
		if (*end != '\0' || v <= 0) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid VersionId %s", version);
			return NULL;
		}
		doc = catalog_get_table_version(call->door->cat, &call->ctx, call->catalog, db, name, v, error);
	}
	if (doc == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "TableVersion", glue_table_version_out(call, doc));
	return out;
}

/* A VersionId: the decimal text of a positive integer. FALSE with InvalidInput otherwise. */
static gboolean glue_version_number(const char *version, gint64 *out, GError **error)
{
	if (!g_ascii_string_to_signed(version, 10, 1, G_MAXINT64, out, NULL)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid VersionId %.64s", version);
		return FALSE;
	}
	return TRUE;
}

static JsonObject *glue_delete_table_version(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "TableName", TRUE, error) : NULL;
	const char *version = name ? glue_in_name(call->in, "VersionId", TRUE, error) : NULL;
	gint64 v = 0;
	if (version == NULL || !glue_check_catalog_id(call, error) || !glue_version_number(version, &v, error))
		return NULL;
	GError *item = NULL;
	if (!catalog_delete_table_versions(call->door->cat, &call->ctx, call->catalog, db, name, &v, 1, &item, error))
		return NULL;
	if (item != NULL) {
		g_propagate_error(error, item);
		return NULL;
	}
	return json_object_new();
}

/* {"TableName", "VersionId", "ErrorDetail": {"ErrorCode", "ErrorMessage"}} */
static JsonObject *glue_table_version_error(const char *name, const char *version, const GError *e)
{
	JsonObject *o = glue_table_error(name, e);
	json_object_set_string_member(o, "VersionId", version);
	return o;
}

static JsonObject *glue_batch_delete_table_version(GlueCall *call, GError **error)
{
	const char *db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *name = db ? glue_in_name(call->in, "TableName", TRUE, error) : NULL;
	JsonArray *ids = name ? glue_in_array(call->in, "VersionIds", TRUE, error) : NULL;
	if (ids == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	guint n = json_array_get_length(ids);
	if (n > GLUE_BATCH_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'versionIds' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", GLUE_BATCH_MAX);
		return NULL;
	}
	/* Well-formed ids go to the catalog in one call; malformed ones fail as items. */
	g_autoptr(GArray) numbers = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autofree guint *slot = g_new0(guint, n + 1);
	g_autofree GError **item = g_new0(GError *, n + 1);
	for (guint i = 0; i < n; i++) {
		JsonNode *e = json_array_get_element(ids, i);
		if (!JSON_NODE_HOLDS_VALUE(e) || json_node_get_value_type(e) != G_TYPE_STRING) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "VersionIds must be a list of strings");
			return NULL;
		}
	}
	for (guint i = 0; i < n; i++) {
		gint64 v = 0;
		if (glue_version_number(json_array_get_string_element(ids, i), &v, &item[i])) {
			slot[numbers->len] = i;
			g_array_append_val(numbers, v);
		}
	}
	g_autofree GError **found = g_new0(GError *, numbers->len + 1);
	gboolean ok = catalog_delete_table_versions(call->door->cat, &call->ctx, call->catalog, db, name,
	                                            (const gint64 *)(void *)numbers->data, numbers->len, found, error);
	for (guint j = 0; j < numbers->len; j++)
		item[slot[j]] = found[j];
	JsonArray *errors = json_array_new();
	for (guint i = 0; i < n; i++) {
		if (item[i] != NULL && ok)
			json_array_add_object_element(errors, glue_table_version_error(name, json_array_get_string_element(ids, i),
			                                                             item[i]));
		g_clear_error(&item[i]);
	}
	if (!ok) {
		json_array_unref(errors);
		return NULL;
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Errors", errors);
	return out;
}

const GlueOp glue_table_ops[] = {
	{"CreateTable", glue_create_table},
	{"GetTable", glue_get_table},
	{"GetTables", glue_get_tables},
	{"UpdateTable", glue_update_table},
	{"DeleteTable", glue_delete_table},
	{"BatchDeleteTable", glue_batch_delete_table},
	{"GetTableVersions", glue_get_table_versions},
	{"GetTableVersion", glue_get_table_version},
	{"DeleteTableVersion", glue_delete_table_version},
	{"BatchDeleteTableVersion", glue_batch_delete_table_version},
	{NULL, NULL},
};
