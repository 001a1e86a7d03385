/*
 * partition_index.c — Glue partition indexes: create (alone or with CreateTable), list, delete.
 *
 * An index is {"IndexName", "Keys": [partition key names]}. Invariants, checked here under the
 * table row's lock so two concurrent creates cannot both pass: at most CATALOG_PARTITION_INDEX_MAX
 * per table (Glue's quota; LIMIT_EXCEEDED beyond), names unique per table (ALREADY_EXISTS), keys
 * at least one, each a partition key of the table (matched case-insensitively, stored
 * lower-case as the table's keys are), none twice (INVALID_INPUT). Indexes are created
 * synchronously, so every listed index is ACTIVE; the key types come from the table.
 * They are kept and reported, not used to plan GetPartitions (store/partition_index.c says why).
 */
#include <string.h>

#include "catalog/internal.h"

/* The PartitionKeys array of a table document, or NULL. */
static JsonArray *pidx_table_keys(JsonObject *table)
{
	JsonNode *n = json_object_get_member(table, "PartitionKeys");
	return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

/* The partition key column {Name, Type} of table named key (lower-case), or NULL. */
static JsonObject *pidx_table_key(JsonObject *table, const char *key)
{
	JsonArray *keys = pidx_table_keys(table);
	for (guint i = 0; keys && i < json_array_get_length(keys); i++) {
		JsonObject *k = json_array_get_object_element(keys, i);
		if (k && g_strcmp0(catalog_json_str(k, "Name"), key) == 0)
			return k;
	}
	return NULL;
}

/* TRUE when a document of docs (JsonObject*) has IndexName name. */
static gboolean pidx_has_name(GPtrArray *docs, const char *name)
{
	for (guint i = 0; docs && i < docs->len; i++)
		if (g_strcmp0(catalog_json_str(g_ptr_array_index(docs, i), "IndexName"), name) == 0)
			return TRUE;
	return FALSE;
}

/*
 * Checks one index {IndexName, Keys} for table against the ones it already has (existing,
 * documents) and returns its keys lower-cased (new array of new strings), or NULL with error.
 */
static GPtrArray *pidx_check(JsonObject *table, const char *dbname, GPtrArray *existing, JsonObject *index,
                             GError **error)
{
	const char *tname = catalog_json_str(table, "Name");
	const char *name = index ? catalog_json_str(index, "IndexName") : NULL;
	JsonNode *kn = index ? json_object_get_member(index, "Keys") : NULL;
	JsonArray *keys = kn && JSON_NODE_HOLDS_ARRAY(kn) ? json_node_get_array(kn) : NULL;
	if (name == NULL || *name == '\0' || keys == NULL || json_array_get_length(keys) == 0) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "A partition index needs an IndexName and at least one key");
		return NULL;
	}
	if (pidx_has_name(existing, name)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ALREADY_EXISTS,
		            "Partition index %s already exists on table %s.%s", name, dbname, tname);
		return NULL;
	}
	if (existing && existing->len >= CATALOG_PARTITION_INDEX_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_LIMIT_EXCEEDED,
		            "Table %s.%s already has the maximum number of partition indexes (%d)", dbname, tname,
		            CATALOG_PARTITION_INDEX_MAX);
		return NULL;
	}
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < json_array_get_length(keys); i++) {
		JsonNode *e = json_array_get_element(keys, i);
		const char *k = JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING
		                    ? json_node_get_string(e)
		                    : NULL;
		g_autofree char *lower = catalog_lower(k);
		if (lower == NULL || pidx_table_key(table, lower) == NULL) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			            "Key %s of partition index %s is not a partition key of table %s.%s", k ? k : "(null)", name,
			            dbname, tname);
			return NULL;
		}
		for (guint j = 0; j < out->len; j++)
			if (strcmp(g_ptr_array_index(out, j), lower) == 0) {
				g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
				            "Key %s appears twice in partition index %s", lower, name);
				return NULL;
			}
		g_ptr_array_add(out, g_steal_pointer(&lower));
	}
	return g_steal_pointer(&out);
}

/* Checks and stores one index; existing grows by it (so a list of new ones is checked as a whole). */
static gboolean pidx_add(CatalogWork *work, const char *catname, const char *dbname, JsonObject *table,
                         GPtrArray *existing, JsonObject *index, GError **error)
{
	g_autoptr(GPtrArray) keys = pidx_check(table, dbname, existing, index, error);
	if (keys == NULL)
		return FALSE;
	const char *name = catalog_json_str(index, "IndexName");
	GError *serr = NULL;
	if (!store_partition_index_insert(work->conn, catname, dbname, catalog_json_str(table, "Name"), name, keys,
	                                  &serr)) {
		g_autofree char *exists = g_strdup_printf("Partition index %s already exists", name);
		catalog_error_from_store(serr, NULL, exists, error);
		return FALSE;
	}
	JsonObject *doc = json_object_new();
	json_object_set_string_member(doc, "IndexName", name);
	g_ptr_array_add(existing, doc);
	return TRUE;
}

/* For CreateTable: adds the indexes (JsonArray of {IndexName, Keys}) to the table just inserted. */
gboolean catalog_partition_indexes_add(CatalogWork *work, const char *catname, const char *dbname, JsonObject *table,
                                       JsonArray *indexes, GError **error)
{
	g_autoptr(GPtrArray) existing = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (guint i = 0; indexes && i < json_array_get_length(indexes); i++)
		if (!pidx_add(work, catname, dbname, table, existing, json_array_get_object_element(indexes, i), error))
			return FALSE;
	return TRUE;
}

/* The table row, locked for the rest of the unit of work; NOT_FOUND as Glue words it. */
static JsonObject *pidx_lock_table(CatalogWork *work, const char *catname, const char *dbname, const char *tname,
                                   GError **error)
{
	GError *serr = NULL;
	JsonObject *t = store_table_get(work->conn, catname, dbname, tname, TRUE, &serr);
	if (t == NULL) {
		g_autofree char *msg = g_strdup_printf("Table %s not found.", tname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	return t;
}

/* CreatePartitionIndex: one index {IndexName, Keys} on an existing table (ALTER on it). */
gboolean catalog_create_partition_index(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                        const char *table, JsonObject *index, GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, table, TRUE, AUTHZ_ALTER, &ref, &work, NULL, error))
		return FALSE;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	g_autoptr(JsonObject) t = pidx_lock_table(&work, catname, dbname, tname, error);
	GError *serr = NULL;
	g_autoptr(GPtrArray) existing = t ? store_partition_index_list(work.conn, catname, dbname, tname, &serr) : NULL;
	if (t != NULL && existing == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	gboolean ok = existing != NULL && pidx_add(&work, catname, dbname, t, existing, index, error);
	return catalog_work_end(&work, ok, error);
}

/* GetPartitionIndexes: descriptors {IndexName, Keys[{Name, Type}], IndexStatus} oldest first (table visible). */
GPtrArray *catalog_get_partition_indexes(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                         const char *table, GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, table, FALSE, AUTHZ_DESCRIBE, &ref, &work, NULL, error))
		return NULL;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	GError *serr = NULL;
	g_autoptr(JsonObject) t = store_table_get(work.conn, catname, dbname, tname, FALSE, &serr);
	g_autoptr(GPtrArray) docs = t ? store_partition_index_list(work.conn, catname, dbname, tname, &serr) : NULL;
	if (docs == NULL) {
		g_autofree char *msg = g_strdup_printf("Table %s not found.", tname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	catalog_work_end(&work, docs != NULL, NULL);
	for (guint i = 0; docs && i < docs->len; i++) {
		JsonObject *d = g_ptr_array_index(docs, i);
		JsonArray *names = json_object_get_array_member(d, "Keys");
		JsonArray *typed = json_array_new();
		for (guint k = 0; k < json_array_get_length(names); k++) {
			const char *kname = json_array_get_string_element(names, k);
			JsonObject *col = pidx_table_key(t, kname);
			JsonObject *e = json_object_new();
			json_object_set_string_member(e, "Name", kname);
			json_object_set_string_member(e, "Type", col ? catalog_json_str(col, "Type") ?: "" : "");
			json_array_add_object_element(typed, e);
		}
		json_object_set_array_member(d, "Keys", typed);
		json_object_set_string_member(d, "IndexStatus", "ACTIVE");
	}
	return g_steal_pointer(&docs);
}

/* DeletePartitionIndex (ALTER on the table); NOT_FOUND for a missing table or index. */
gboolean catalog_delete_partition_index(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                        const char *table, const char *name, GError **error)
{
	if (db == NULL || table == NULL || name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "Database, table or index name cannot be null.");
		return FALSE;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *tname = catalog_lower(table);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_authz_table(&work, ctx, catname, dbname, tname, AUTHZ_ALTER, NULL, error))
		return catalog_work_end(&work, FALSE, NULL);
	g_autoptr(JsonObject) t = pidx_lock_table(&work, catname, dbname, tname, error);
	GError *serr = NULL;
	gboolean ok = t != NULL && store_partition_index_delete(work.conn, catname, dbname, tname, name, &serr);
	if (t != NULL && !ok) {
		g_autofree char *msg = g_strdup_printf("Partition index %s not found on table %s.%s.", name, dbname, tname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	return catalog_work_end(&work, ok, error);
}
