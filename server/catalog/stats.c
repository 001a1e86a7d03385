/*
 * stats.c — column statistics of tables and partitions: update, read, aggregate, delete.
 *
 * Semantics follow Hive's HMSHandler / ObjectStore: names, column names and types are
 * lower-cased and lastAnalyzed is the server's clock; table-level stats must name columns of
 * the table (MetaException "Column c doesn't exist in table t in database d"), partition-level
 * stats need the partition (NoSuchObjectException) but, as in Hive, not the column. An update
 * keeps the stored optional members the new stats leave out, and (Hive door only: Glue's
 * statistics leave Parameters as given) marks the columns accurate in the table's or
 * partition's COLUMN_STATS_ACCURATE; a delete unmarks them. A batch (the _req
 * forms, set_aggr_stats_for) is one transaction. Aggregation is stats_aggr.c.
 */
#include "catalog/internal.h"
#include "catalog/stats_aggr.h"

#include <string.h>

#define ACCURATE_KEY "COLUMN_STATS_ACCURATE"

/* hive.metastore.stats.ndv.tuner, Hive's default. */
#define STATS_NDV_TUNER 0.0

/* Fetches the table (locked when for_update), mapping a missing one to Hive's NoSuchObject message. */
static JsonObject *stats_table_get(CatalogWork *work, const char *cat, const char *db, const char *table,
                                   gboolean for_update, GError **error)
{
	GError *serr = NULL;
	JsonObject *t = store_table_get(work->conn, cat, db, table, for_update, &serr);
	if (t == NULL) {
		g_autofree char *msg = g_strdup_printf("Specified catalog.database.table does not exist : %s.%s.%s", cat, db,
		                                       table);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	return t;
}

/* TRUE if the table's StorageDescriptor.Columns has name (compared exactly, as Hive does). */
static gboolean stats_table_has_column(JsonObject *table, const char *name)
{
	JsonNode *sd = json_object_get_member(table, "StorageDescriptor");
	if (sd == NULL || JSON_NODE_TYPE(sd) != JSON_NODE_OBJECT)
		return FALSE;
	JsonObject *sdo = json_node_get_object(sd);
	JsonArray *cols = json_object_has_member(sdo, "Columns") ? json_object_get_array_member(sdo, "Columns") : NULL;
	for (guint i = 0; cols && i < json_array_get_length(cols); i++) {
		JsonObject *c = json_array_get_object_element(cols, i);
		if (g_strcmp0(catalog_json_str(c, "Name"), name) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Lower-cases names and types and stamps LastAnalyzed, as Hive's normalizeColStatsInput. */
static void stats_normalize(GPtrArray *entries, gint64 now)
{
	for (guint i = 0; i < entries->len; i++) {
		JsonObject *e = g_ptr_array_index(entries, i);
		g_autofree char *n = catalog_lower(catalog_json_str(e, "ColumnName"));
		g_autofree char *t = catalog_lower(catalog_json_str(e, "ColumnType"));
		json_object_set_string_member(e, "ColumnName", n ? n : "");
		json_object_set_string_member(e, "ColumnType", t ? t : "");
		json_object_set_int_member(e, "LastAnalyzed", now);
	}
}

/* The entries with later duplicates of (PartName, ColumnName) winning, in first-seen order. */
static GPtrArray *stats_dedup(GPtrArray *entries)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (guint i = 0; i < entries->len; i++) {
		JsonObject *e = g_ptr_array_index(entries, i);
		char *key = g_strdup_printf("%s\x1f%s", catalog_json_str(e, "PartName") ?: "", catalog_json_str(e, "ColumnName"));
		gpointer at;
		if (g_hash_table_lookup_extended(seen, key, NULL, &at)) {
			guint idx = GPOINTER_TO_UINT(at);
			json_object_unref(out->pdata[idx]);
			out->pdata[idx] = json_object_ref(e);
			g_free(key);
		} else {
			g_hash_table_insert(seen, key, GUINT_TO_POINTER(out->len));
			g_ptr_array_add(out, json_object_ref(e));
		}
	}
	return out;
}

/* Merges each new entry with the stored one of the same (partition, column) and kind. */
static void stats_merge_with_old(GPtrArray *entries, GPtrArray *old)
{
	for (guint i = 0; old && i < old->len; i++) {
		JsonObject *o = g_ptr_array_index(old, i);
		for (guint j = 0; j < entries->len; j++) {
			JsonObject *e = g_ptr_array_index(entries, j);
			if (g_strcmp0(catalog_json_str(o, "ColumnName"), catalog_json_str(e, "ColumnName")) == 0 &&
			    g_strcmp0(catalog_json_str(o, "PartName"), catalog_json_str(e, "PartName")) == 0 &&
			    g_strcmp0(catalog_json_str(o, "Kind"), catalog_json_str(e, "Kind")) == 0)
				stats_data_merge_old(json_object_get_object_member(e, "Data"),
				                     json_object_get_object_member(o, "Data"));
		}
	}
}

/* Column names (borrowed) of entries, optionally only those of partition part. */
static GPtrArray *stats_column_names(GPtrArray *entries, const char *part)
{
	GPtrArray *names = g_ptr_array_new();
	for (guint i = 0; i < entries->len; i++) {
		JsonObject *e = g_ptr_array_index(entries, i);
		if (part == NULL || g_strcmp0(catalog_json_str(e, "PartName"), part) == 0)
			g_ptr_array_add(names, (gpointer)catalog_json_str(e, "ColumnName"));
	}
	return names;
}

/* Writes the table's parameter COLUMN_STATS_ACCURATE = value (a new table version) if it changed. */
static gboolean stats_table_set_accurate(CatalogWork *work, const char *cat, const char *db, const char *name,
                                         JsonObject *table, const char *value, GError **error)
{
	JsonObject *params = catalog_json_obj_ensure(table, "Parameters");
	if (value == NULL || g_strcmp0(catalog_json_str(params, ACCURATE_KEY), value) == 0)
		return TRUE;
	json_object_set_string_member(params, ACCURATE_KEY, value);
	GError *serr = NULL;
	gint64 version = 0;
	if (!store_table_update(work->conn, cat, db, name, table, 0, &version, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	return TRUE;
}

/* Table-level statistics of one table: validate, merge, upsert, mark accurate (when mark). */
static gboolean stats_update_table(CatalogWork *work, const char *cat, const char *db, const char *name,
                                   GPtrArray *entries, const char *engine, gboolean mark, GError **error)
{
	g_autoptr(JsonObject) table = stats_table_get(work, cat, db, name, TRUE, error);
	if (table == NULL)
		return FALSE;
	for (guint i = 0; i < entries->len; i++) {
		const char *col = catalog_json_str(g_ptr_array_index(entries, i), "ColumnName");
		if (!stats_table_has_column(table, col)) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			            "Column %s doesn't exist in table %s in database %s", col, name, db);
			return FALSE;
		}
	}
	g_autoptr(GPtrArray) cols = stats_column_names(entries, NULL);
	GError *serr = NULL;
	g_autoptr(GPtrArray) old = store_stats_table_get(work->conn, cat, db, name, engine, cols, &serr);
	if (old == NULL || !store_stats_table_upsert(work->conn, cat, db, name, engine,
	                                             (stats_merge_with_old(entries, old), entries), &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (!mark)
		return TRUE;
	JsonObject *params = catalog_json_obj_ensure(table, "Parameters");
	g_autofree char *acc = stats_accurate_add_columns(catalog_json_str(params, ACCURATE_KEY), cols);
	return stats_table_set_accurate(work, cat, db, name, table, acc, error);
}

/* Partition-level statistics of one table (entries carry PartName): check, merge, upsert, mark (when mark). */
static gboolean stats_update_partitions(CatalogWork *work, const char *cat, const char *db, const char *name,
                                        GPtrArray *entries, const char *engine, gboolean mark, GError **error)
{
	g_autoptr(JsonObject) table = stats_table_get(work, cat, db, name, FALSE, error);
	if (table == NULL)
		return FALSE;
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < entries->len; i++) {
		const char *p = catalog_json_str(g_ptr_array_index(entries, i), "PartName");
		if (!g_hash_table_contains(seen, p)) {
			g_hash_table_add(seen, (gpointer)p);
			g_ptr_array_add(parts, g_strdup(p));
		}
	}
	GError *serr = NULL;
	g_autoptr(JsonObject) params = store_stats_partition_params(work->conn, cat, db, name, parts, &serr);
	if (params == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	for (guint i = 0; i < parts->len; i++) {
		if (!json_object_has_member(params, g_ptr_array_index(parts, i))) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND,
			            "Partition for which stats is gathered doesn't exist.\npartition %s of %s.%s",
			            (char *)g_ptr_array_index(parts, i), db, name);
			return FALSE;
		}
	}
	g_autoptr(GPtrArray) cols = stats_column_names(entries, NULL);
	g_autoptr(GPtrArray) old = store_stats_partition_get(work->conn, cat, db, name, engine, parts, cols, &serr);
	if (old == NULL || !store_stats_partition_upsert(work->conn, cat, db, name, engine,
	                                                 (stats_merge_with_old(entries, old), entries), &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (!mark)
		return TRUE;
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < parts->len; i++) {
		const char *p = g_ptr_array_index(parts, i);
		g_autoptr(GPtrArray) pcols = stats_column_names(entries, p);
		JsonObject *pp = json_object_get_object_member(params, p);
		g_ptr_array_add(values, stats_accurate_add_columns(catalog_json_str(pp, ACCURATE_KEY), pcols));
	}
	if (!store_stats_partition_set_param(work->conn, cat, db, name, ACCURATE_KEY, parts, values, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	return TRUE;
}

/* Applies one set (after normalisation) inside the open transaction. */
static gboolean stats_update_set(Catalog *cat, CatalogWork *work, const CatalogColumnStats *set, const char *engine,
                                 gboolean mark, GError **error)
{
	if (set->db == NULL || set->table == NULL || set->entries == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid input for column statistics.");
		return FALSE;
	}
	g_autofree char *catname = catalog_resolve(cat, set->catalog);
	g_autofree char *db = catalog_lower(set->db);
	g_autofree char *name = catalog_lower(set->table);
	stats_normalize(set->entries, catalog_now());
	for (guint i = 0; set->part_name && i < set->entries->len; i++)
		json_object_set_string_member(g_ptr_array_index(set->entries, i), "PartName", set->part_name);
	g_autoptr(GPtrArray) entries = stats_dedup(set->entries);
	if (entries->len == 0)
		return TRUE;
	if (set->part_name == NULL)
		return stats_update_table(work, catname, db, name, entries, engine, mark, error);
	return stats_update_partitions(work, catname, db, name, entries, engine, mark, error);
}

/* See catalog.h. */
gboolean catalog_update_column_stats(Catalog *cat, const CatalogCtx *ctx, const CatalogColumnStats *sets, guint n,
                                     const char *engine, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < n; i++) {
		g_autofree char *db = catalog_lower(sets[i].db), *tbl = catalog_lower(sets[i].table);
		ok = catalog_authz_table(&work, ctx, sets[i].catalog, db, tbl, AUTHZ_ALTER, NULL, error) &&
		     stats_update_set(cat, &work, &sets[i], engine ? engine : "hive", catalog_ctx_is_hive(ctx), error);
	}
	return catalog_work_end(&work, ok, error);
}

/* Lower-cased copies of names (char*). */
static GPtrArray *stats_lower_all(GPtrArray *names)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; names && i < names->len; i++)
		g_ptr_array_add(out, catalog_lower(g_ptr_array_index(names, i)));
	return out;
}

/* A partition name with its keys lower-cased (Hive's lowerCaseConvertPartName); values kept. */
static char *stats_part_name_lower(const char *name)
{
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);
	for (guint i = 0; parts[i]; i++) {
		char *eq = strchr(parts[i], '=');
		for (char *p = parts[i]; p < (eq ? eq : parts[i] + strlen(parts[i])); p++)
			*p = g_ascii_tolower(*p);
	}
	return g_strjoinv("/", parts);
}

/* Distinct partition names with lower-cased keys, in request order. */
static GPtrArray *stats_part_names(GPtrArray *names)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, NULL);
	for (guint i = 0; names && i < names->len; i++) {
		char *n = stats_part_name_lower(g_ptr_array_index(names, i));
		if (g_hash_table_contains(seen, n)) {
			g_free(n);
			continue;
		}
		g_hash_table_add(seen, n);
		g_ptr_array_add(out, n);
	}
	return out;
}

/* Reads stats in a read unit of work after checking the table; part_names NULL = table level. */
static GPtrArray *stats_read(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                             const char *table, GPtrArray *part_names, GPtrArray *columns, const char *engine,
                             GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	g_autoptr(AuthzFacts) facts = NULL;
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, table, FALSE, AUTHZ_DESCRIBE, &ref, &work, &facts, error))
		return NULL;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	g_autoptr(JsonObject) t = stats_table_get(&work, catname, dbname, tname, FALSE, error);
	GPtrArray *out = NULL;
	if (t != NULL) {
		GError *serr = NULL;
		out = part_names ? store_stats_partition_get(work.conn, catname, dbname, tname, engine ? engine : "hive",
		                                              part_names, columns, &serr)
		                 : store_stats_table_get(work.conn, catname, dbname, tname, engine ? engine : "hive", columns,
		                                         &serr);
		if (out == NULL)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	catalog_work_end(&work, out != NULL, NULL);
	/* Statistics only of the columns the caller sees. */
	for (guint i = out && catalog_authz_columns_restricted(facts, tname) ? out->len : 0; i-- > 0;) {
		const char *col = catalog_json_str(g_ptr_array_index(out, i), "ColumnName");
		if (col == NULL || !authz_column_visible(facts, tname, col))
			g_ptr_array_remove_index(out, i);
	}
	return out;
}

/* See catalog.h. */
GPtrArray *catalog_get_table_column_stats(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                          const char *table, GPtrArray *columns, const char *engine, GError **error)
{
	g_autoptr(GPtrArray) cols = columns ? stats_lower_all(columns) : NULL;
	return stats_read(cat, ctx, catalog, db, table, NULL, cols, engine, error);
}

/* See catalog.h. */
GPtrArray *catalog_get_partition_column_stats(Catalog *cat, const CatalogCtx *ctx, const char *catalog,
                                              const char *db, const char *table, GPtrArray *part_names,
                                              GPtrArray *columns, const char *engine, GError **error)
{
	g_autoptr(GPtrArray) cols = columns ? stats_lower_all(columns) : NULL;
	g_autoptr(GPtrArray) parts = stats_part_names(part_names);
	return stats_read(cat, ctx, catalog, db, table, parts, cols, engine, error);
}

/* See catalog.h. */
GPtrArray *catalog_get_aggr_column_stats(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                         const char *table, GPtrArray *part_names, GPtrArray *columns,
                                         const char *engine, gint64 *parts_found, GError **error)
{
	*parts_found = 0;
	g_autoptr(GPtrArray) cols = stats_lower_all(columns);
	g_autoptr(GPtrArray) parts = stats_part_names(part_names);
	g_autoptr(GPtrArray) rows = stats_read(cat, ctx, catalog, db, table, parts, cols, engine, error);
	if (rows == NULL)
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	if (cols->len == 0 || parts->len == 0)
		return out;
	g_autoptr(GHashTable) part_index = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < parts->len; i++)
		g_hash_table_insert(part_index, g_ptr_array_index(parts, i), GUINT_TO_POINTER(i));
	/* partsFound: partitions holding stats for every requested column */
	g_autoptr(GHashTable) distinct_cols = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < cols->len; i++)
		g_hash_table_add(distinct_cols, g_ptr_array_index(cols, i));
	g_autofree guint *per_part = g_new0(guint, parts->len);
	for (guint i = 0; i < rows->len; i++)
		per_part[GPOINTER_TO_UINT(g_hash_table_lookup(part_index, catalog_json_str(rows->pdata[i], "PartName")))]++;
	for (guint i = 0; i < parts->len; i++)
		if (per_part[i] == g_hash_table_size(distinct_cols))
			(*parts_found)++;
	g_autofree StatsAggrInput *in = g_new0(StatsAggrInput, rows->len + 1);
	g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint c = 0; c < cols->len; c++) {
		const char *col = g_ptr_array_index(cols, c);
		if (g_hash_table_contains(done, col))
			continue;
		g_hash_table_add(done, (gpointer)col);
		guint n = 0;
		for (guint i = 0; i < rows->len; i++) {
			JsonObject *e = rows->pdata[i];
			if (g_strcmp0(catalog_json_str(e, "ColumnName"), col) != 0)
				continue;
			in[n].entry = e;
			in[n].index = GPOINTER_TO_UINT(g_hash_table_lookup(part_index, catalog_json_str(e, "PartName")));
			n++;
		}
		JsonObject *agg = stats_aggr_column(in, n, parts->len, STATS_NDV_TUNER);
		if (agg)
			g_ptr_array_add(out, agg);
	}
	return out;
}

/* Unmarks the deleted columns (NULL = all) in the table's or the partition's COLUMN_STATS_ACCURATE. */
static gboolean stats_unmark(CatalogWork *work, const char *cat, const char *db, const char *name, JsonObject *table,
                             const char *part, JsonObject *part_params, GPtrArray *deleted, gboolean all,
                             GError **error)
{
	JsonObject *params = part ? part_params : catalog_json_obj_ensure(table, "Parameters");
	const char *old = catalog_json_str(params, ACCURATE_KEY);
	g_autofree char *now = stats_accurate_remove_columns(old, all ? NULL : deleted);
	if (now == NULL || g_strcmp0(old, now) == 0)
		return TRUE;
	if (part == NULL)
		return stats_table_set_accurate(work, cat, db, name, table, now, error);
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autoptr(GPtrArray) values = g_ptr_array_new();
	g_ptr_array_add(names, (gpointer)part);
	g_ptr_array_add(values, now);
	GError *serr = NULL;
	if (!store_stats_partition_set_param(work->conn, cat, db, name, ACCURATE_KEY, names, values, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	return TRUE;
}

/*
 * Deletes the stats of each of cols (one NULL entry = all) of the table (part NULL) or of
 * partition part (whose Parameters are pparams), then unmarks them once; must_exist: NOT_FOUND
 * when a named column has none there.
 */
static gboolean stats_delete_cols(CatalogWork *work, const char *cat, const char *db, const char *tname,
                                  JsonObject *t, const char *part, JsonObject *pparams, GPtrArray *cols,
                                  const char *engine, gboolean must_exist, GError **error)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);
	gboolean every = FALSE;
	for (guint c = 0; c < cols->len; c++) {
		const char *col = g_ptr_array_index(cols, c);
		GError *serr = NULL;
		g_autoptr(GPtrArray) deleted =
		    part ? store_stats_partition_delete(work->conn, cat, db, tname, part, engine, col, &serr)
		         : store_stats_table_delete(work->conn, cat, db, tname, engine, col, &serr);
		if (deleted == NULL) {
			catalog_error_from_store(serr, NULL, NULL, error);
			return FALSE;
		}
		if (col != NULL && deleted->len == 0 && must_exist) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND,
			            "Column stats doesn't exist for db=%s table=%s%s%s col=%s", db, tname, part ? " partition=" : "",
			            part ? part : "", col);
			return FALSE;
		}
		every = every || col == NULL;
		for (guint i = 0; i < deleted->len; i++)
			g_ptr_array_add(all, g_strdup(g_ptr_array_index(deleted, i)));
	}
	if (all->len == 0 && !every)
		return TRUE;
	return stats_unmark(work, cat, db, tname, t, part, pparams, all, every, error);
}

/* Parameters of the named partitions (lower-cased names), NOT_FOUND naming the first missing one. */
static JsonObject *stats_parts_params(CatalogWork *work, const char *cat, const char *db, const char *tname,
                                      GPtrArray *parts, GError **error)
{
	GError *serr = NULL;
	g_autoptr(JsonObject) pparams = store_stats_partition_params(work->conn, cat, db, tname, parts, &serr);
	if (pparams == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return NULL;
	}
	for (guint i = 0; i < parts->len; i++) {
		const char *part = g_ptr_array_index(parts, i);
		if (!json_object_has_member(pparams, part)) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Partition %s of %s.%s does not exist", part, db,
			            tname);
			return NULL;
		}
	}
	return g_steal_pointer(&pparams);
}

/* See catalog.h. */
gboolean catalog_delete_column_stats(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                     const char *table, const char *part_name, const char *column,
                                     const char *engine, GError **error)
{
	g_autoptr(GPtrArray) parts = NULL;
	g_autoptr(GPtrArray) cols = NULL;
	if (part_name) {
		parts = g_ptr_array_new();
		g_ptr_array_add(parts, (gpointer)part_name);
	}
	if (column) {
		cols = g_ptr_array_new();
		g_ptr_array_add(cols, (gpointer)column);
	}
	return catalog_delete_column_stats_req(cat, ctx, catalog, db, table, part_name == NULL, parts, cols, engine,
	                                       error);
}

/* The partitions delete_column_statistics_req acts on: the named ones, else all holding stats. */
static GPtrArray *stats_delete_parts(CatalogWork *work, const char *cat, const char *db, const char *tname,
                                     GPtrArray *part_names, const char *engine, GError **error)
{
	if (part_names && part_names->len > 0)
		return stats_part_names(part_names);
	GError *serr = NULL;
	GPtrArray *all = store_stats_partition_names(work->conn, cat, db, tname, engine, &serr);
	if (all == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	return all;
}

/* See catalog.h. */
gboolean catalog_delete_column_stats_req(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                         const char *table, gboolean table_level, GPtrArray *part_names,
                                         GPtrArray *columns, const char *engine, GError **error)
{
	if (db == NULL || table == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return FALSE;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *tname = catalog_lower(table);
	g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; columns && i < columns->len; i++)
		g_ptr_array_add(cols, catalog_lower(g_ptr_array_index(columns, i)));
	if (cols->len == 0)
		g_ptr_array_add(cols, NULL); /* all columns */
	engine = engine && *engine ? engine : "hive";
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	if (!catalog_authz_table(&work, ctx, catname, dbname, tname, AUTHZ_ALTER, NULL, error))
		return catalog_work_end(&work, FALSE, NULL);
	gboolean ok = FALSE;
	/* A named column must have stats in a named partition (the single form's rule); "all" never fails. */
	gboolean named = part_names && part_names->len > 0;
	g_autoptr(JsonObject) t = stats_table_get(&work, catname, dbname, tname, TRUE, error);
	g_autoptr(GPtrArray) parts = NULL;
	g_autoptr(JsonObject) pparams = NULL;
	if (t == NULL)
		goto out;
	if (table_level) {
		ok = stats_delete_cols(&work, catname, dbname, tname, t, NULL, NULL, cols, engine, TRUE, error);
		goto out;
	}
	parts = stats_delete_parts(&work, catname, dbname, tname, part_names, engine, error);
	if (parts == NULL || (parts->len > 0 && (pparams = stats_parts_params(&work, catname, dbname, tname, parts,
	                                                                       error)) == NULL))
		goto out;
	for (guint i = 0; i < parts->len; i++) {
		const char *part = g_ptr_array_index(parts, i);
		if (!stats_delete_cols(&work, catname, dbname, tname, t, part, json_object_get_object_member(pparams, part),
		                       cols, engine, named, error))
			goto out;
	}
	ok = TRUE;
out:
	return catalog_work_end(&work, ok, error);
}
