/*
 * partition_index.c — Glue partition indexes: CreatePartitionIndex, GetPartitionIndexes,
 * DeletePartitionIndex, and the reader of PartitionIndex objects CreateTable shares.
 *
 * The door checks shapes (PartitionIndex{IndexName, Keys[1..]}, NameStrings); the catalog
 * checks the keys against the table, names and the per-table quota. A table has at most three
 * indexes, so GetPartitionIndexes answers in one page and never issues a NextToken; one given
 * to it is still read as a signed token of this operation and table, so any other is refused.
 */
#include "glue/internal.h"

/* Checks a PartitionIndex object: IndexName and a non-empty Keys list of NameStrings. */
gboolean glue_in_partition_index(JsonObject *index, GError **error)
{
	JsonArray *keys = NULL;
	if (glue_in_name(index, "IndexName", TRUE, error) == NULL ||
	    (keys = glue_in_array(index, "Keys", TRUE, error)) == NULL)
		return FALSE;
	if (json_array_get_length(keys) == 0) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "1 validation error detected: Value at 'partitionIndex.keys' failed to satisfy constraint: "
		                    "Member must have length greater than or equal to 1");
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(keys); i++) {
		JsonNode *n = json_array_get_element(keys, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Keys must be a list of strings");
			return FALSE;
		}
		g_autoptr(JsonObject) one = json_object_new();
		json_object_set_string_member(one, "Keys", json_node_get_string(n));
		if (glue_in_name(one, "Keys", TRUE, error) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* DatabaseName and TableName of the request, checked; NULL with error. */
static const char *glue_pidx_table(GlueCall *call, const char **db, GError **error)
{
	*db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	const char *table = *db ? glue_in_name(call->in, "TableName", TRUE, error) : NULL;
	if (table == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	return table;
}

static JsonObject *glue_create_partition_index(GlueCall *call, GError **error)
{
	const char *db = NULL;
	const char *table = glue_pidx_table(call, &db, error);
	JsonObject *index = table ? glue_in_object(call->in, "PartitionIndex", TRUE, error) : NULL;
	if (index == NULL || !glue_in_partition_index(index, error))
		return NULL;
	if (!catalog_create_partition_index(call->door->cat, &call->ctx, call->catalog, db, table, index, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_get_partition_indexes(GlueCall *call, GError **error)
{
	const char *db = NULL, *token = NULL;
	const char *table = glue_pidx_table(call, &db, error);
	g_autofree char *after = NULL;
	if (table == NULL || ((token = glue_in_string(call->in, "NextToken", FALSE, 0, error)), error && *error))
		return NULL;
	g_autofree char *scope = g_strdup_printf("%s\n%s", db, table);
	if (!glue_token_read(call, scope, token, &after, error))
		return NULL;
	g_autoptr(GPtrArray) docs = catalog_get_partition_indexes(call->door->cat, &call->ctx, call->catalog, db, table, error);
	if (docs == NULL)
		return NULL;
	JsonArray *list = json_array_new();
	for (guint i = 0; i < docs->len; i++)
		json_array_add_object_element(list, json_object_ref(g_ptr_array_index(docs, i)));
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "PartitionIndexDescriptorList", list);
	return out;
}

static JsonObject *glue_delete_partition_index(GlueCall *call, GError **error)
{
	const char *db = NULL;
	const char *table = glue_pidx_table(call, &db, error);
	const char *name = table ? glue_in_name(call->in, "IndexName", TRUE, error) : NULL;
	if (name == NULL)
		return NULL;
	if (!catalog_delete_partition_index(call->door->cat, &call->ctx, call->catalog, db, table, name, error))
		return NULL;
	return json_object_new();
}

const GlueOp glue_partition_index_ops[] = {
	{"CreatePartitionIndex", glue_create_partition_index},
	{"GetPartitionIndexes", glue_get_partition_indexes},
	{"DeletePartitionIndex", glue_delete_partition_index},
	{NULL, NULL},
};
