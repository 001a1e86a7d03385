/*
 * handler_stats.c — the Hive column-statistics methods (see handler.h for how a handler file
 * installs its methods): update (single and _req forms, set_aggr_stats_for), read (table,
 * partition, the _req forms), get_aggr_stats_for and delete. Each decodes its Thrift structs
 * with translate_stats.c, calls one catalog_*_column_stats operation and maps errors through
 * errors.c. Semantics live in catalog/stats.c.
 */
#include "thrift/handler.h"

#include "common/error.h"
#include "thrift/translate_stats.h"

static const char *const stats_methods[] = {
	"update_table_column_statistics", "update_partition_column_statistics", "update_table_column_statistics_req",
	"update_partition_column_statistics_req", "set_aggr_stats_for", "get_table_column_statistics",
	"get_partition_column_statistics", "get_table_statistics_req", "get_partitions_statistics_req",
	"get_aggr_stats_for", "delete_table_column_statistics", "delete_partition_column_statistics",
	/* issue 17: Hive 4.2's request twin */
	"delete_column_statistics_req",
};

/* Entries of a ColumnStatistics' statsObj (members with an unset union are skipped). */
static GPtrArray *stats_entries(const ColumnStatistics *cs)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (guint i = 0; cs->statsObj && i < cs->statsObj->len; i++) {
		JsonObject *e = translate_stats_obj_to_json(g_ptr_array_index(cs->statsObj, i));
		if (e)
			g_ptr_array_add(out, e);
	}
	return out;
}

/* Fills a CatalogColumnStats from cs (strings borrowed from cs, entries owned by the caller). */
static gboolean stats_set_from(const ColumnStatistics *cs, gboolean force_table, gboolean force_part,
                               CatalogColumnStats *set, ThriftDbName *n, GError **err)
{
	const ColumnStatisticsDesc *d = cs ? cs->statsDesc : NULL;
	if (d == NULL || d->dbName == NULL || d->tableName == NULL) {
		*err = thrift_missing_arg("Column statistics description");
		return FALSE;
	}
	*n = thrift_db_name_parse(d->dbName, d->__isset_catName ? d->catName : NULL);
	gboolean table_level = force_table || (!force_part && d->isTblLevel);
	if (!table_level && (!d->__isset_partName || d->partName == NULL)) {
		*err = g_error_new(CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Partition name cannot be null.");
		return FALSE;
	}
	set->catalog = n->catalog;
	set->db = n->db;
	set->table = d->tableName;
	set->part_name = table_level ? NULL : d->partName;
	set->entries = stats_entries(cs);
	return TRUE;
}

/* Writes the statistics sets in one transaction. force_*: single-object methods decide the level. */
static gboolean stats_update(const GPtrArray *list, gboolean force_table, gboolean force_part, const char *engine,
                             const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = thrift_ctx_now();
	guint n = list ? list->len : 0;
	g_autofree CatalogColumnStats *sets = g_new0(CatalogColumnStats, n + 1);
	g_autofree ThriftDbName *names = g_new0(ThriftDbName, n + 1);
	GError *err = NULL;
	gboolean ok = TRUE;
	guint filled = 0;
	for (; ok && filled < n; filled++) {
		const ColumnStatistics *cs = g_ptr_array_index(list, filled);
		ok = stats_set_from(cs, force_table, force_part, &sets[filled], &names[filled], &err);
		if (ok && engine == NULL && cs->__isset_engine)
			engine = cs->engine;
	}
	if (ok)
		ok = catalog_update_column_stats(thrift_cat_now(), &ctx, sets, n, engine, &err);
	for (guint i = 0; i < filled; i++) {
		if (sets[i].entries)
			g_ptr_array_unref(sets[i].entries);
		thrift_db_name_clear(&names[i]);
	}
	return ok ? TRUE : thrift_error_raise(err, out, error);
}

static gboolean h_update_table(ThriftHiveMetastoreIf *iface, gboolean *ret, const ColumnStatistics *cs,
                               NoSuchObjectException **o1, InvalidObjectException **o2, MetaException **o3,
                               InvalidInputException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_object = o2};
	g_autoptr(GPtrArray) one = g_ptr_array_new();
	g_ptr_array_add(one, (gpointer)cs);
	*ret = stats_update(one, TRUE, FALSE, NULL, &out, error);
	return *ret;
}

static gboolean h_update_partition(ThriftHiveMetastoreIf *iface, gboolean *ret, const ColumnStatistics *cs,
                                   NoSuchObjectException **o1, InvalidObjectException **o2, MetaException **o3,
                                   InvalidInputException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_object = o2};
	g_autoptr(GPtrArray) one = g_ptr_array_new();
	g_ptr_array_add(one, (gpointer)cs);
	*ret = stats_update(one, FALSE, TRUE, NULL, &out, error);
	return *ret;
}

static const char *req_engine(const SetPartitionsStatsRequest *req)
{
	return req->__isset_engine ? req->engine : NULL;
}

static gboolean h_update_table_req(ThriftHiveMetastoreIf *iface, SetPartitionsStatsResponse **ret,
                                   const SetPartitionsStatsRequest *req, NoSuchObjectException **o1,
                                   InvalidObjectException **o2, MetaException **o3, InvalidInputException **o4,
                                   GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_object = o2};
	(*ret)->result = stats_update(req->colStats, TRUE, FALSE, req_engine(req), &out, error);
	return (*ret)->result;
}

static gboolean h_update_partition_req(ThriftHiveMetastoreIf *iface, SetPartitionsStatsResponse **ret,
                                       const SetPartitionsStatsRequest *req, NoSuchObjectException **o1,
                                       InvalidObjectException **o2, MetaException **o3, InvalidInputException **o4,
                                       GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_object = o2};
	(*ret)->result = stats_update(req->colStats, FALSE, TRUE, req_engine(req), &out, error);
	return (*ret)->result;
}

static gboolean h_set_aggr_stats_for(ThriftHiveMetastoreIf *iface, gboolean *ret, const SetPartitionsStatsRequest *req,
                                     NoSuchObjectException **o1, InvalidObjectException **o2, MetaException **o3,
                                     InvalidInputException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_object = o2};
	*ret = stats_update(req->colStats, FALSE, FALSE, req_engine(req), &out, error);
	return *ret;
}

/* Appends a new ColumnStatisticsObj per entry to objs. */
static void stats_objs_fill(GPtrArray *entries, GPtrArray *objs)
{
	for (guint i = 0; i < entries->len; i++)
		g_ptr_array_add(objs, translate_stats_obj_new_from_json(g_ptr_array_index(entries, i)));
}

/* Fills a ColumnStatistics answer for one column of a table or partition. */
static gboolean stats_get_one(const char *db, const char *table, const char *part, const char *col,
                              ColumnStatistics *ret, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = thrift_ctx_now();
	if (db == NULL || table == NULL || col == NULL)
		return thrift_error_raise(thrift_missing_arg(db == NULL ? "Database name" : table == NULL ? "Table name"
		                                                                                          : "Column name"),
		                          out, error);
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, NULL);
	g_autoptr(GPtrArray) cols = g_ptr_array_new();
	g_ptr_array_add(cols, (gpointer)col);
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	g_ptr_array_add(parts, (gpointer)part);
	GError *err = NULL;
	g_autoptr(GPtrArray) entries =
	    part ? catalog_get_partition_column_stats(thrift_cat_now(), &ctx, n.catalog, n.db, table, parts, cols, NULL, &err)
	         : catalog_get_table_column_stats(thrift_cat_now(), &ctx, n.catalog, n.db, table, cols, NULL, &err);
	if (entries == NULL)
		return thrift_error_raise(err, out, error);
	ColumnStatisticsDesc *d = ret->statsDesc;
	d->isTblLevel = part == NULL;
	g_free(d->dbName);
	d->dbName = g_ascii_strdown(n.db, -1);
	g_free(d->tableName);
	d->tableName = g_ascii_strdown(table, -1);
	if (part) {
		g_free(d->partName);
		d->partName = g_strdup(part);
		d->__isset_partName = TRUE;
	}
	if (entries->len > 0) {
		d->lastAnalyzed = json_object_get_int_member(g_ptr_array_index(entries, 0), "LastAnalyzed");
		d->__isset_lastAnalyzed = TRUE;
	}
	stats_objs_fill(entries, ret->statsObj);
	return TRUE;
}

static gboolean h_get_table_col(ThriftHiveMetastoreIf *iface, ColumnStatistics **ret, const gchar *db,
                                const gchar *table, const gchar *col, NoSuchObjectException **o1, MetaException **o2,
                                InvalidInputException **o3, InvalidObjectException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1, .invalid_object = o4};
	return stats_get_one(db, table, NULL, col, *ret, &out, error);
}

static gboolean h_get_part_col(ThriftHiveMetastoreIf *iface, ColumnStatistics **ret, const gchar *db,
                               const gchar *table, const gchar *part, const gchar *col, NoSuchObjectException **o1,
                               MetaException **o2, InvalidInputException **o3, InvalidObjectException **o4,
                               GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1, .invalid_object = o4};
	if (part == NULL)
		return thrift_error_raise(thrift_missing_arg("Partition name"), &out, error);
	return stats_get_one(db, table, part, col, *ret, &out, error);
}

static gboolean h_get_table_stats_req(ThriftHiveMetastoreIf *iface, TableStatsResult **ret,
                                      const TableStatsRequest *req, NoSuchObjectException **o1, MetaException **o2,
                                      GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1};
	CatalogCtx ctx = thrift_ctx_now();
	if (req->dbName == NULL || req->tblName == NULL)
		return thrift_error_raise(thrift_missing_arg(req->dbName == NULL ? "Database name" : "Table name"), &out, error);
	g_auto(ThriftDbName) n = thrift_db_name_parse(req->dbName, req->__isset_catName ? req->catName : NULL);
	g_autoptr(GPtrArray) empty = g_ptr_array_new();
	GError *err = NULL;
	g_autoptr(GPtrArray) entries =
	    catalog_get_table_column_stats(thrift_cat_now(), &ctx, n.catalog, n.db, req->tblName,
	                                   req->colNames ? req->colNames : empty, req->__isset_engine ? req->engine : NULL, &err);
	if (entries == NULL)
		return thrift_error_raise(err, &out, error);
	stats_objs_fill(entries, (*ret)->tableStats);
	return TRUE;
}

static gboolean h_get_parts_stats_req(ThriftHiveMetastoreIf *iface, PartitionsStatsResult **ret,
                                      const PartitionsStatsRequest *req, NoSuchObjectException **o1,
                                      MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1};
	CatalogCtx ctx = thrift_ctx_now();
	if (req->dbName == NULL || req->tblName == NULL)
		return thrift_error_raise(thrift_missing_arg(req->dbName == NULL ? "Database name" : "Table name"), &out, error);
	g_auto(ThriftDbName) n = thrift_db_name_parse(req->dbName, req->__isset_catName ? req->catName : NULL);
	g_autoptr(GPtrArray) empty = g_ptr_array_new();
	GError *err = NULL;
	g_autoptr(GPtrArray) entries = catalog_get_partition_column_stats(
	    thrift_cat_now(), &ctx, n.catalog, n.db, req->tblName, req->partNames ? req->partNames : empty,
	    req->colNames ? req->colNames : empty, req->__isset_engine ? req->engine : NULL, &err);
	if (entries == NULL)
		return thrift_error_raise(err, &out, error);
	for (guint i = 0; i < entries->len; i++) {
		JsonObject *e = g_ptr_array_index(entries, i);
		const char *part = json_object_get_string_member(e, "PartName");
		GPtrArray *list = g_hash_table_lookup((*ret)->partStats, part);
		if (list == NULL) {
			list = g_ptr_array_new_with_free_func(g_object_unref);
			g_hash_table_insert((*ret)->partStats, g_strdup(part), list);
		}
		g_ptr_array_add(list, translate_stats_obj_new_from_json(e));
	}
	return TRUE;
}

static gboolean h_get_aggr_stats_for(ThriftHiveMetastoreIf *iface, AggrStats **ret, const PartitionsStatsRequest *req,
                                     NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1};
	CatalogCtx ctx = thrift_ctx_now();
	if (req->dbName == NULL || req->tblName == NULL)
		return thrift_error_raise(thrift_missing_arg(req->dbName == NULL ? "Database name" : "Table name"), &out, error);
	g_auto(ThriftDbName) n = thrift_db_name_parse(req->dbName, req->__isset_catName ? req->catName : NULL);
	g_autoptr(GPtrArray) empty = g_ptr_array_new();
	GError *err = NULL;
	gint64 found = 0;
	g_autoptr(GPtrArray) entries = catalog_get_aggr_column_stats(
	    thrift_cat_now(), &ctx, n.catalog, n.db, req->tblName, req->partNames ? req->partNames : empty,
	    req->colNames ? req->colNames : empty, req->__isset_engine ? req->engine : NULL, &found, &err);
	if (entries == NULL)
		return thrift_error_raise(err, &out, error);
	stats_objs_fill(entries, (*ret)->colStats);
	(*ret)->partsFound = found;
	return TRUE;
}

static gboolean h_delete_table(ThriftHiveMetastoreIf *iface, gboolean *ret, const gchar *db, const gchar *table,
                               const gchar *col, const gchar *engine, NoSuchObjectException **o1, MetaException **o2,
                               InvalidObjectException **o3, InvalidInputException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1, .invalid_object = o3};
	CatalogCtx ctx = thrift_ctx_now();
	if (db == NULL || table == NULL)
		return thrift_error_raise(thrift_missing_arg(db == NULL ? "Database name" : "Table name"), &out, error);
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, NULL);
	GError *err = NULL;
	if (!catalog_delete_column_stats(thrift_cat_now(), &ctx, n.catalog, n.db, table, NULL, col, engine, &err))
		return thrift_error_raise(err, &out, error);
	*ret = TRUE;
	return TRUE;
}

static gboolean h_delete_partition(ThriftHiveMetastoreIf *iface, gboolean *ret, const gchar *db, const gchar *table,
                                   const gchar *part, const gchar *col, const gchar *engine,
                                   NoSuchObjectException **o1, MetaException **o2, InvalidObjectException **o3,
                                   InvalidInputException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1, .invalid_object = o3};
	CatalogCtx ctx = thrift_ctx_now();
	if (db == NULL || table == NULL || part == NULL)
		return thrift_error_raise(thrift_missing_arg(db == NULL ? "Database name" : table == NULL ? "Table name"
		                                                                                          : "Partition name"),
		                          &out, error);
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, NULL);
	GError *err = NULL;
	if (!catalog_delete_column_stats(thrift_cat_now(), &ctx, n.catalog, n.db, table, part, col, engine, &err))
		return thrift_error_raise(err, &out, error);
	*ret = TRUE;
	return TRUE;
}

/*
 * delete_column_statistics_req (Hive 4.2): the stats of col_names (none = all) of the table
 * (tableLevel) or of part_names (none = every partition), for engine, in one transaction
 * (catalog_delete_column_stats_req).
 */
static gboolean h_delete_req(ThriftHiveMetastoreIf *iface, gboolean *ret, const DeleteColumnStatisticsRequest *req,
                             NoSuchObjectException **o1, MetaException **o2, InvalidObjectException **o3,
                             InvalidInputException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1, .invalid_object = o3};
	CatalogCtx ctx = thrift_ctx_now();
	if (req->db_name == NULL || req->tbl_name == NULL)
		return thrift_error_raise(thrift_missing_arg(req->db_name == NULL ? "Database name" : "Table name"), &out,
		                          error);
	g_auto(ThriftDbName) n = thrift_db_name_parse(req->db_name, req->__isset_cat_name ? req->cat_name : NULL);
	GError *err = NULL;
	if (!catalog_delete_column_stats_req(thrift_cat_now(), &ctx, n.catalog, n.db, req->tbl_name, req->tableLevel,
	                                     req->__isset_part_names ? req->part_names : NULL,
	                                     req->__isset_col_names ? req->col_names : NULL,
	                                     req->__isset_engine ? req->engine : NULL, &err))
		return thrift_error_raise(err, &out, error);
	*ret = TRUE;
	return TRUE;
}

/* Sets this file's slots in the handler class. */
void thrift_stats_install(ThriftHiveMetastoreHandlerClass *klass)
{
	klass->update_table_column_statistics = h_update_table;
	klass->update_partition_column_statistics = h_update_partition;
	klass->update_table_column_statistics_req = h_update_table_req;
	klass->update_partition_column_statistics_req = h_update_partition_req;
	klass->set_aggr_stats_for = h_set_aggr_stats_for;
	klass->get_table_column_statistics = h_get_table_col;
	klass->get_partition_column_statistics = h_get_part_col;
	klass->get_table_statistics_req = h_get_table_stats_req;
	klass->get_partitions_statistics_req = h_get_parts_stats_req;
	klass->get_aggr_stats_for = h_get_aggr_stats_for;
	klass->delete_table_column_statistics = h_delete_table;
	klass->delete_partition_column_statistics = h_delete_partition;
	klass->delete_column_statistics_req = h_delete_req;
}

/* The wire names this file answers. */
const char *const *thrift_stats_methods(guint *n)
{
	*n = G_N_ELEMENTS(stats_methods);
	return stats_methods;
}
