/*
 * handler_partition.c — the Hive partition methods: each decodes its arguments, calls one
 * catalog operation (catalog/partition.c) and translates the documents (translate.c).
 *
 * Listings are read from the catalog in batches (catalog_list_partitions streams to a sink)
 * but collected here, because the generated processor writes a reply only after the handler
 * returns; streaming the big listings straight from door.c is still to do. Expression
 * methods (get_partitions_by_expr, get_partitions_spec_by_expr, get_partition_names_req)
 * stay unlisted, so they answer UNKNOWN_METHOD: Hive's client then prunes by itself.
 */
#include "thrift/handler.h"

#include <string.h>

#include "catalog/partname.h"
#include "common/error.h"
#include "thrift/partition_write.h"
#include "thrift/translate.h"

#define ctx_now thrift_ctx_now
#define cat_now thrift_cat_now

static const char *const partition_methods[] = {
	"add_partition", "add_partition_with_environment_context", "add_partitions", "add_partitions_req",
	"append_partition", "append_partition_by_name", "append_partition_with_environment_context",
	"append_partition_by_name_with_environment_context",
	"get_partition", "get_partition_by_name", "get_partition_with_auth", "get_partition_req",
	"get_partitions", "get_partitions_with_auth", "get_partitions_ps", "get_partitions_ps_with_auth",
	"get_partitions_ps_with_auth_req", "get_partition_names", "get_partition_names_ps", "get_partition_names_ps_req",
	"get_partitions_by_filter", "get_partitions_by_filter_req", "get_num_partitions_by_filter",
	"get_partitions_by_names", "get_partitions_by_names_req", "get_partitions_req", "fetch_partition_names_req",
	"partition_name_to_vals", "partition_name_to_spec", "partition_name_has_valid_characters",
	"alter_partition", "alter_partition_with_environment_context", "alter_partitions",
	"alter_partitions_with_environment_context", "alter_partitions_req", "rename_partition", "rename_partition_req",
	"drop_partition", "drop_partition_with_environment_context", "drop_partition_by_name",
	"drop_partition_by_name_with_environment_context", "drop_partition_req", "drop_partitions_req",
	"exchange_partition", "exchange_partitions",
	/* issue 17: request-style twins */
	"append_partition_req", "get_partition_names_req", "get_partitions_with_specs",
};

/* ---- shared steps ---- */

/* Documents of Thrift partitions (Partition*), new array. */
static GPtrArray *parts_to_json(const GPtrArray *parts)
{
	GPtrArray *docs = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (guint i = 0; parts && i < parts->len; i++)
		g_ptr_array_add(docs, translate_partition_to_json(g_ptr_array_index(parts, i)));
	return docs;
}

/* Appends a new Partition per document to ret. */
static void parts_from_json(GPtrArray *docs, GPtrArray *ret)
{
	for (guint i = 0; docs && i < docs->len; i++)
		g_ptr_array_add(ret, translate_partition_new_from_json(g_ptr_array_index(docs, i)));
}

static void names_copy(GPtrArray *names, GPtrArray *ret)
{
	for (guint i = 0; names && i < names->len; i++)
		g_ptr_array_add(ret, g_strdup(g_ptr_array_index(names, i)));
}

/* The table an add names: the request's names, each missing one the first partition's. */
static void add_names(const GPtrArray *parts, const char **db, const char **tbl, const char **catalog)
{
	Partition *first = g_ptr_array_index(parts, 0);
	if (*db == NULL)
		*db = first->dbName;
	if (*tbl == NULL)
		*tbl = first->tableName;
	if (*catalog == NULL && first->__isset_catName)
		*catalog = first->catName;
}

/* Adds partitions that all name one table (the first one's); returns the added documents. */
static GPtrArray *add_parts(const char *db, const char *tbl, const char *catalog, const GPtrArray *parts,
                            gboolean if_not_exists, const ThriftErrOut *out, GError **error)
{
	if (parts == NULL || parts->len == 0)
		return g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	add_names(parts, &db, &tbl, &catalog);
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	g_autoptr(GPtrArray) docs = parts_to_json(parts);
	GError *err = NULL;
	GPtrArray *added = catalog_add_partitions(cat_now(), &ctx, n.catalog, n.db, tbl, docs, if_not_exists, &err);
	if (added == NULL)
		(void)thrift_error_raise(err, out, error);
	return added;
}

/*
 * add_partitions by the row path (thrift/partition_write.c) when every partition allows it:
 * *handled FALSE leaves the call to add_parts. reply (may be NULL) receives the added
 * partitions; *count how many were added.
 */
static gboolean add_parts_rows(const char *db, const char *tbl, const char *catalog, const GPtrArray *parts,
                               gboolean if_not_exists, GPtrArray *reply, gint32 *count, gboolean *handled,
                               const ThriftErrOut *out, GError **error)
{
	*handled = thrift_part_write_applies(parts);
	if (!*handled)
		return FALSE;
	add_names(parts, &db, &tbl, &catalog);
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	g_autoptr(ThriftPartWrite) w = thrift_part_write_new(parts);
	CatalogPartitionBatch *b = thrift_part_write_batch(w);
	GError *err = NULL;
	if (!catalog_add_partition_rows(cat_now(), &ctx, n.catalog, n.db, tbl, b, if_not_exists, &err))
		return thrift_error_raise(err, out, error);
	g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func(g_object_unref);
	thrift_part_write_apply(w, added);
	*count = (gint32)added->len;
	if (reply == NULL || added->len == 0)
		return TRUE;
	if (!b->columns_restricted) {
		for (guint i = 0; i < added->len; i++)
			g_ptr_array_add(reply, g_object_ref(g_ptr_array_index(added, i)));
		return TRUE;
	}
	/* a caller who sees only some columns gets the partitions as it may read them */
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	for (guint i = 0; i < b->n; i++)
		if (b->rows[i].added)
			g_ptr_array_add(names, b->rows[i].name);
	g_autoptr(GPtrArray) docs =
		catalog_get_partitions_by_names(cat_now(), &ctx, n.catalog, n.db, tbl, names, &err);
	if (docs == NULL)
		return thrift_error_raise(err, out, error);
	parts_from_json(docs, reply);
	return TRUE;
}

/* One partition by values or name into ret. */
static gboolean get_one(const char *db, const char *catalog, const char *tbl, const GPtrArray *vals, const char *name,
                        Partition *ret, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	GError *err = NULL;
	g_autoptr(JsonObject) doc =
		catalog_get_partition(cat_now(), &ctx, n.catalog, n.db, tbl, (GPtrArray *)vals, name, &err);
	if (doc == NULL)
		return thrift_error_raise(err, out, error);
	translate_partition_from_json(doc, ret);
	return TRUE;
}

/* A whole listing into ret (Partition* or char* names). */
static gboolean list_parts(const char *db, const char *catalog, const char *tbl, const GPtrArray *spec,
                           const char *filter, gint max, gboolean names_only, GPtrArray *ret, const ThriftErrOut *out,
                           GError **error)
{
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	CatalogPartitionQuery q = {.spec = spec, .filter = filter, .max_parts = max, .names_only = names_only};
	GError *err = NULL;
	g_autoptr(GPtrArray) got = catalog_list_partitions_all(cat_now(), &ctx, n.catalog, n.db, tbl, &q, &err);
	if (got == NULL)
		return thrift_error_raise(err, out, error);
	if (names_only)
		names_copy(got, ret);
	else
		parts_from_json(got, ret);
	return TRUE;
}

/* ---- create ---- */

static gboolean h_add_partition(ThriftHiveMetastoreIf *iface, Partition **ret, const Partition *p,
                                InvalidObjectException **o1, AlreadyExistsException **o2, MetaException **o3,
                                GError **error)
{
	ThriftErrOut out = {.invalid_object = o1, .exists = o2, .meta = o3};
	g_autoptr(GPtrArray) one = g_ptr_array_new();
	g_ptr_array_add(one, (gpointer)p);
	g_autoptr(GPtrArray) added = add_parts(NULL, NULL, NULL, one, FALSE, &out, error);
	if (added == NULL)
		return FALSE;
	translate_partition_from_json(g_ptr_array_index(added, 0), *ret);
	return TRUE;
}

static gboolean h_add_partition_env(ThriftHiveMetastoreIf *iface, Partition **ret, const Partition *p,
                                    const EnvironmentContext *env, InvalidObjectException **o1,
                                    AlreadyExistsException **o2, MetaException **o3, GError **error)
{
	return h_add_partition(iface, ret, p, o1, o2, o3, error);
}

static gboolean h_add_partitions(ThriftHiveMetastoreIf *iface, gint32 *ret, const GPtrArray *parts,
                                 InvalidObjectException **o1, AlreadyExistsException **o2, MetaException **o3,
                                 GError **error)
{
	ThriftErrOut out = {.invalid_object = o1, .exists = o2, .meta = o3};
	gboolean handled;
	gboolean ok = add_parts_rows(NULL, NULL, NULL, parts, FALSE, NULL, ret, &handled, &out, error);
	if (handled)
		return ok;
	g_autoptr(GPtrArray) added = add_parts(NULL, NULL, NULL, parts, FALSE, &out, error);
	if (added == NULL)
		return FALSE;
	*ret = (gint32)added->len;
	return TRUE;
}

static gboolean h_add_partitions_req(ThriftHiveMetastoreIf *iface, AddPartitionsResult **ret,
                                     const AddPartitionsRequest *req, InvalidObjectException **o1,
                                     AlreadyExistsException **o2, MetaException **o3, GError **error)
{
	ThriftErrOut out = {.invalid_object = o1, .exists = o2, .meta = o3};
	gboolean need = !req->__isset_needResult || req->needResult, handled;
	gint32 count = 0;
	gboolean ok = add_parts_rows(req->dbName, req->tblName, req->__isset_catName ? req->catName : NULL, req->parts,
	                             req->ifNotExists, need ? (*ret)->partitions : NULL, &count, &handled, &out, error);
	if (handled) {
		(*ret)->__isset_partitions = ok && need;
		return ok;
	}
	g_autoptr(GPtrArray) added = add_parts(req->dbName, req->tblName, req->__isset_catName ? req->catName : NULL,
	                                       req->parts, req->ifNotExists, &out, error);
	if (added == NULL)
		return FALSE;
	if (!req->__isset_needResult || req->needResult) {
		parts_from_json(added, (*ret)->partitions);
		(*ret)->__isset_partitions = TRUE;
	}
	return TRUE;
}

static gboolean append_in(const char *db, const char *catalog, const char *tbl, const GPtrArray *vals,
                          const char *name, Partition *ret, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	GError *err = NULL;
	g_autoptr(JsonObject) doc =
		catalog_append_partition(cat_now(), &ctx, n.catalog, n.db, tbl, (GPtrArray *)vals, name, &err);
	if (doc == NULL)
		return thrift_error_raise(err, out, error);
	translate_partition_from_json(doc, ret);
	return TRUE;
}

static gboolean append(const char *db, const char *tbl, const GPtrArray *vals, const char *name, Partition *ret,
                       const ThriftErrOut *out, GError **error)
{
	return append_in(db, NULL, tbl, vals, name, ret, out, error);
}

/* append_partition_req: by name when given, else by values (Hive's AppendPartitionsRequest). */
static gboolean h_append_partition_req(ThriftHiveMetastoreIf *iface, Partition **ret,
                                       const AppendPartitionsRequest *req, InvalidObjectException **o1,
                                       AlreadyExistsException **o2, MetaException **o3, GError **error)
{
	ThriftErrOut out = {.invalid_object = o1, .exists = o2, .meta = o3};
	const char *catalog = req->__isset_catalogName ? req->catalogName : NULL;
	if (req->__isset_name && req->name)
		return append_in(req->dbName, catalog, req->tableName, NULL, req->name, *ret, &out, error);
	if (!req->__isset_partVals || req->partVals == NULL)
		return thrift_error_raise(thrift_missing_arg("Partition name or values"), &out, error);
	return append_in(req->dbName, catalog, req->tableName, req->partVals, NULL, *ret, &out, error);
}

static gboolean h_append_partition(ThriftHiveMetastoreIf *iface, Partition **ret, const gchar *db, const gchar *tbl,
                                   const GPtrArray *vals, InvalidObjectException **o1, AlreadyExistsException **o2,
                                   MetaException **o3, GError **error)
{
	ThriftErrOut out = {.invalid_object = o1, .exists = o2, .meta = o3};
	return append(db, tbl, vals, NULL, *ret, &out, error);
}

static gboolean h_append_partition_env(ThriftHiveMetastoreIf *iface, Partition **ret, const gchar *db,
                                       const gchar *tbl, const GPtrArray *vals, const EnvironmentContext *env,
                                       InvalidObjectException **o1, AlreadyExistsException **o2, MetaException **o3,
                                       GError **error)
{
	return h_append_partition(iface, ret, db, tbl, vals, o1, o2, o3, error);
}

static gboolean h_append_partition_by_name(ThriftHiveMetastoreIf *iface, Partition **ret, const gchar *db,
                                           const gchar *tbl, const gchar *name, InvalidObjectException **o1,
                                           AlreadyExistsException **o2, MetaException **o3, GError **error)
{
	ThriftErrOut out = {.invalid_object = o1, .exists = o2, .meta = o3};
	return append(db, tbl, NULL, name ? name : "", *ret, &out, error);
}

static gboolean h_append_partition_by_name_env(ThriftHiveMetastoreIf *iface, Partition **ret, const gchar *db,
                                               const gchar *tbl, const gchar *name, const EnvironmentContext *env,
                                               InvalidObjectException **o1, AlreadyExistsException **o2,
                                               MetaException **o3, GError **error)
{
	return h_append_partition_by_name(iface, ret, db, tbl, name, o1, o2, o3, error);
}

/* ---- read ---- */

static gboolean h_get_partition(ThriftHiveMetastoreIf *iface, Partition **ret, const gchar *db, const gchar *tbl,
                                const GPtrArray *vals, MetaException **o1, NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return get_one(db, NULL, tbl, vals, NULL, *ret, &out, error);
}

static gboolean h_get_partition_with_auth(ThriftHiveMetastoreIf *iface, Partition **ret, const gchar *db,
                                          const gchar *tbl, const GPtrArray *vals, const gchar *user,
                                          const GPtrArray *groups, MetaException **o1, NoSuchObjectException **o2,
                                          GError **error)
{
	return h_get_partition(iface, ret, db, tbl, vals, o1, o2, error);
}

static gboolean h_get_partition_by_name(ThriftHiveMetastoreIf *iface, Partition **ret, const gchar *db,
                                        const gchar *tbl, const gchar *name, MetaException **o1,
                                        NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return get_one(db, NULL, tbl, NULL, name ? name : "", *ret, &out, error);
}

static gboolean h_get_partition_req(ThriftHiveMetastoreIf *iface, GetPartitionResponse **ret,
                                    const GetPartitionRequest *req, MetaException **o1, NoSuchObjectException **o2,
                                    GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return get_one(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName, req->partVals, NULL,
	               (*ret)->partition, &out, error);
}

static gboolean h_get_partitions(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db, const gchar *tbl,
                                 const gint16 max, NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	return list_parts(db, NULL, tbl, NULL, NULL, max, FALSE, *ret, &out, error);
}

static gboolean h_get_partitions_with_auth(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db,
                                           const gchar *tbl, const gint16 max, const gchar *user,
                                           const GPtrArray *groups, NoSuchObjectException **o1, MetaException **o2,
                                           GError **error)
{
	return h_get_partitions(iface, ret, db, tbl, max, o1, o2, error);
}

static gboolean h_get_partitions_req(ThriftHiveMetastoreIf *iface, PartitionsResponse **ret,
                                     const PartitionsRequest *req, NoSuchObjectException **o1, MetaException **o2,
                                     GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	return list_parts(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName, NULL, NULL,
	                  req->__isset_maxParts ? req->maxParts : -1, FALSE, (*ret)->partitions, &out, error);
}

static gboolean h_fetch_partition_names_req(ThriftHiveMetastoreIf *iface, GPtrArray **ret,
                                            const PartitionsRequest *req, NoSuchObjectException **o1,
                                            MetaException **o2, GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	return list_parts(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName, NULL, NULL,
	                  req->__isset_maxParts ? req->maxParts : -1, TRUE, *ret, &out, error);
}

static gboolean h_get_partitions_ps(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db, const gchar *tbl,
                                    const GPtrArray *vals, const gint16 max, MetaException **o1,
                                    NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return list_parts(db, NULL, tbl, vals, NULL, max, FALSE, *ret, &out, error);
}

static gboolean h_get_partitions_ps_with_auth(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db,
                                              const gchar *tbl, const GPtrArray *vals, const gint16 max,
                                              const gchar *user, const GPtrArray *groups, NoSuchObjectException **o1,
                                              MetaException **o2, GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	return list_parts(db, NULL, tbl, vals, NULL, max, FALSE, *ret, &out, error);
}

static gboolean h_get_partitions_ps_with_auth_req(ThriftHiveMetastoreIf *iface, GetPartitionsPsWithAuthResponse **ret,
                                                  const GetPartitionsPsWithAuthRequest *req, MetaException **o1,
                                                  NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	const char *catalog = req->__isset_catName ? req->catName : NULL;
	if (req->__isset_partNames && req->partNames) {
		CatalogCtx ctx = ctx_now();
		g_auto(ThriftDbName) n = thrift_db_name_parse(req->dbName, catalog);
		GError *err = NULL;
		g_autoptr(GPtrArray) docs =
			catalog_get_partitions_by_names(cat_now(), &ctx, n.catalog, n.db, req->tblName, req->partNames, &err);
		if (docs == NULL)
			return thrift_error_raise(err, &out, error);
		parts_from_json(docs, (*ret)->partitions);
		return TRUE;
	}
	return list_parts(req->dbName, catalog, req->tblName, req->__isset_partVals ? req->partVals : NULL, NULL,
	                  req->__isset_maxParts ? req->maxParts : -1, FALSE, (*ret)->partitions, &out, error);
}

static gboolean h_get_partition_names(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db,
                                      const gchar *tbl, const gint16 max, NoSuchObjectException **o1,
                                      MetaException **o2, GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	return list_parts(db, NULL, tbl, NULL, NULL, max, TRUE, *ret, &out, error);
}

static gboolean h_get_partition_names_ps(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db,
                                         const gchar *tbl, const GPtrArray *vals, const gint16 max,
                                         MetaException **o1, NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return list_parts(db, NULL, tbl, vals, NULL, max, TRUE, *ret, &out, error);
}

static gboolean h_get_partition_names_ps_req(ThriftHiveMetastoreIf *iface, GetPartitionNamesPsResponse **ret,
                                             const GetPartitionNamesPsRequest *req, MetaException **o1,
                                             NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return list_parts(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName,
	                  req->__isset_partValues ? req->partValues : NULL, NULL,
	                  req->__isset_maxParts ? req->maxParts : -1, TRUE, (*ret)->names, &out, error);
}

/*
 * get_partition_names_req: Hive's request carries a Kryo-serialized Java expression (see the
 * README's "Partition expressions"); the server cannot evaluate it, so an empty expression
 * lists every name (maxParts honoured) and any other is a MetaException Hive's caller reports.
 */
static gboolean h_get_partition_names_req(ThriftHiveMetastoreIf *iface, GPtrArray **ret,
                                          const PartitionsByExprRequest *req, MetaException **o1,
                                          NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	if (req->expr && req->expr->len > 0)
		return thrift_error_raise(g_error_new_literal(CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                                              "Partition expressions (Kryo-serialized) are not supported: "
		                                              "filter partitions with get_partitions_by_filter"),
		                          &out, error);
	return list_parts(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName, NULL, NULL,
	                  req->__isset_maxParts ? req->maxParts : -1, TRUE, *ret, &out, error);
}

static gboolean h_get_partitions_by_filter(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db,
                                           const gchar *tbl, const gchar *filter, const gint16 max,
                                           MetaException **o1, NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return list_parts(db, NULL, tbl, NULL, filter ? filter : "", max, FALSE, *ret, &out, error);
}

static gboolean h_get_partitions_by_filter_req(ThriftHiveMetastoreIf *iface, GPtrArray **ret,
                                               const GetPartitionsByFilterRequest *req, MetaException **o1,
                                               NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return list_parts(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName, NULL,
	                  req->filter ? req->filter : "", req->__isset_maxParts ? req->maxParts : -1, FALSE, *ret, &out,
	                  error);
}

static gboolean h_get_num_partitions_by_filter(ThriftHiveMetastoreIf *iface, gint32 *ret, const gchar *db,
                                               const gchar *tbl, const gchar *filter, MetaException **o1,
                                               NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, NULL);
	GError *err = NULL;
	gint64 count = 0;
	if (!catalog_count_partitions(cat_now(), &ctx, n.catalog, n.db, tbl, filter ? filter : "", &count, &err))
		return thrift_error_raise(err, &out, error);
	*ret = (gint32)count;
	return TRUE;
}

/* The reply options of Hive 4's partition requests (skipColumnSchemaForPartition, param key patterns). */
typedef struct {
	gboolean skip_columns;
	const char *include, *exclude; /* SQL LIKE patterns on parameter keys, as Hive's direct SQL applies them */
} PartitionTrim;

/* SQL LIKE: % any run, _ one character, \ escapes. */
static gboolean like_match(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (*p == '%') {
			for (const char *t = s;; t++) {
				if (like_match(p + 1, t))
					return TRUE;
				if (*t == '\0')
					return FALSE;
			}
		}
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '_' && *s) {
			continue;
		}
		if (*s == '\0' || *s != *p)
			return FALSE;
	}
	return *s == '\0';
}

/* Applies a request's reply options to one partition. */
static void partition_trim(Partition *p, const PartitionTrim *t)
{
	if (t->skip_columns && p->sd && p->sd->cols)
		g_ptr_array_set_size(p->sd->cols, 0);
	if ((t->include == NULL && t->exclude == NULL) || p->parameters == NULL)
		return;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, p->parameters);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if ((t->include && *t->include && !like_match(t->include, key)) ||
		    (t->exclude && *t->exclude && like_match(t->exclude, key)))
			g_hash_table_iter_remove(&it);
}

static gboolean by_names(const char *db, const char *catalog, const char *tbl, const GPtrArray *names, GPtrArray *ret,
                         const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	GError *err = NULL;
	g_autoptr(GPtrArray) docs =
		catalog_get_partitions_by_names(cat_now(), &ctx, n.catalog, n.db, tbl, (GPtrArray *)names, &err);
	if (docs == NULL)
		return thrift_error_raise(err, out, error);
	parts_from_json(docs, ret);
	return TRUE;
}

static gboolean h_get_partitions_by_names(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db,
                                          const gchar *tbl, const GPtrArray *names, MetaException **o1,
                                          NoSuchObjectException **o2, InvalidObjectException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2, .invalid_object = o3};
	return by_names(db, NULL, tbl, names, *ret, &out, error);
}

static gboolean h_get_partitions_by_names_req(ThriftHiveMetastoreIf *iface, GetPartitionsByNamesResult **ret,
                                              const GetPartitionsByNamesRequest *req, MetaException **o1,
                                              NoSuchObjectException **o2, InvalidObjectException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2, .invalid_object = o3};
	if (!by_names(req->db_name, NULL, req->tbl_name, req->__isset_names ? req->names : NULL, (*ret)->partitions,
	              &out, error))
		return FALSE;
	PartitionTrim trim = {
		.skip_columns = req->__isset_skipColumnSchemaForPartition && req->skipColumnSchemaForPartition,
		.include = req->__isset_includeParamKeyPattern ? req->includeParamKeyPattern : NULL,
		.exclude = req->__isset_excludeParamKeyPattern ? req->excludeParamKeyPattern : NULL,
	};
	for (guint i = 0; i < (*ret)->partitions->len; i++)
		partition_trim(g_ptr_array_index((*ret)->partitions, i), &trim);
	return TRUE;
}

/* ---- names ---- */

static gboolean split_name(const char *name, GPtrArray *keys, GPtrArray *vals, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	GError *err = NULL;
	if (name == NULL || *name == '\0')
		return TRUE; /* Hive answers an empty name with an empty result */
	if (!partname_split(name, keys, vals, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_partition_name_to_vals(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *name,
                                         MetaException **o1, GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func(g_free);
	if (!split_name(name, keys, vals, o1, error))
		return FALSE;
	names_copy(vals, *ret);
	return TRUE;
}

static gboolean h_partition_name_to_spec(ThriftHiveMetastoreIf *iface, GHashTable **ret, const gchar *name,
                                         MetaException **o1, GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func(g_free);
	if (!split_name(name, keys, vals, o1, error))
		return FALSE;
	for (guint i = 0; i < keys->len; i++)
		g_hash_table_insert(*ret, g_strdup(g_ptr_array_index(keys, i)), g_strdup(g_ptr_array_index(vals, i)));
	return TRUE;
}

/* Hive checks values against metastore.partition.name.whitelist.pattern, empty by default: all valid. */
static gboolean h_partition_name_has_valid_characters(ThriftHiveMetastoreIf *iface, gboolean *ret,
                                                      const GPtrArray *vals, const gboolean throw_exception,
                                                      MetaException **o1, GError **error)
{
	*ret = TRUE;
	return TRUE;
}

/* ---- change ---- */

static gboolean alter_parts(const char *db, const char *catalog, const char *tbl, const GPtrArray *parts,
                            const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	g_autoptr(GPtrArray) docs = parts_to_json(parts);
	GError *err = NULL;
	if (!catalog_alter_partitions(cat_now(), &ctx, n.catalog, n.db, tbl, docs, &err))
		return thrift_error_raise(err, out, error);
	return TRUE;
}

static gboolean h_alter_partition(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *tbl,
                                  const Partition *p, InvalidOperationException **o1, MetaException **o2,
                                  GError **error)
{
	ThriftErrOut out = {.invalid_op = o1, .meta = o2};
	g_autoptr(GPtrArray) one = g_ptr_array_new();
	g_ptr_array_add(one, (gpointer)p);
	return alter_parts(db, NULL, tbl, one, &out, error);
}

static gboolean h_alter_partition_env(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *tbl,
                                      const Partition *p, const EnvironmentContext *env,
                                      InvalidOperationException **o1, MetaException **o2, GError **error)
{
	return h_alter_partition(iface, db, tbl, p, o1, o2, error);
}

static gboolean h_alter_partitions(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *tbl,
                                   const GPtrArray *parts, InvalidOperationException **o1, MetaException **o2,
                                   GError **error)
{
	ThriftErrOut out = {.invalid_op = o1, .meta = o2};
	return alter_parts(db, NULL, tbl, parts, &out, error);
}

static gboolean h_alter_partitions_env(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *tbl,
                                       const GPtrArray *parts, const EnvironmentContext *env,
                                       InvalidOperationException **o1, MetaException **o2, GError **error)
{
	return h_alter_partitions(iface, db, tbl, parts, o1, o2, error);
}

static gboolean h_alter_partitions_req(ThriftHiveMetastoreIf *iface, AlterPartitionsResponse **ret,
                                       const AlterPartitionsRequest *req, InvalidOperationException **o1,
                                       MetaException **o2, GError **error)
{
	ThriftErrOut out = {.invalid_op = o1, .meta = o2};
	return alter_parts(req->dbName, req->__isset_catName ? req->catName : NULL, req->tableName, req->partitions, &out,
	                   error);
}

static gboolean rename_part(const char *db, const char *catalog, const char *tbl, const GPtrArray *vals,
                            const Partition *p, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	g_autoptr(JsonObject) doc = translate_partition_to_json(p);
	GError *err = NULL;
	if (!catalog_rename_partition(cat_now(), &ctx, n.catalog, n.db, tbl, (GPtrArray *)vals, doc, &err))
		return thrift_error_raise(err, out, error);
	return TRUE;
}

static gboolean h_rename_partition(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *tbl,
                                   const GPtrArray *vals, const Partition *p, InvalidOperationException **o1,
                                   MetaException **o2, GError **error)
{
	ThriftErrOut out = {.invalid_op = o1, .meta = o2};
	return rename_part(db, NULL, tbl, vals, p, &out, error);
}

static gboolean h_rename_partition_req(ThriftHiveMetastoreIf *iface, RenamePartitionResponse **ret,
                                       const RenamePartitionRequest *req, InvalidOperationException **o1,
                                       MetaException **o2, GError **error)
{
	ThriftErrOut out = {.invalid_op = o1, .meta = o2};
	return rename_part(req->dbName, req->__isset_catName ? req->catName : NULL, req->tableName, req->partVals,
	                   req->newPart, &out, error);
}

/* Drops one or more partitions; *dropped (may be NULL) receives the documents. */
static gboolean drop_parts(const char *db, const char *catalog, const char *tbl, const GPtrArray *names,
                           const GPtrArray *vals, const char *filter, gboolean if_exists, GPtrArray **dropped,
                           const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	GError *err = NULL;
	GPtrArray *docs = catalog_drop_partitions(cat_now(), &ctx, n.catalog, n.db, tbl, (GPtrArray *)names,
	                                          (GPtrArray *)vals, filter, if_exists, &err);
	if (docs == NULL)
		return thrift_error_raise(err, out, error);
	if (dropped)
		*dropped = docs;
	else
		g_ptr_array_unref(docs);
	return TRUE;
}

static gboolean h_drop_partition(ThriftHiveMetastoreIf *iface, gboolean *ret, const gchar *db, const gchar *tbl,
                                 const GPtrArray *vals, const gboolean delete_data, NoSuchObjectException **o1,
                                 MetaException **o2, GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	*ret = drop_parts(db, NULL, tbl, NULL, vals, NULL, FALSE, NULL, &out, error);
	return *ret;
}

static gboolean h_drop_partition_env(ThriftHiveMetastoreIf *iface, gboolean *ret, const gchar *db, const gchar *tbl,
                                     const GPtrArray *vals, const gboolean delete_data, const EnvironmentContext *env,
                                     NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	return h_drop_partition(iface, ret, db, tbl, vals, delete_data, o1, o2, error);
}

static gboolean h_drop_partition_by_name(ThriftHiveMetastoreIf *iface, gboolean *ret, const gchar *db,
                                         const gchar *tbl, const gchar *name, const gboolean delete_data,
                                         NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	g_autoptr(GPtrArray) one = g_ptr_array_new();
	g_ptr_array_add(one, (gpointer)(name ? name : ""));
	*ret = drop_parts(db, NULL, tbl, one, NULL, NULL, FALSE, NULL, &out, error);
	return *ret;
}

static gboolean h_drop_partition_by_name_env(ThriftHiveMetastoreIf *iface, gboolean *ret, const gchar *db,
                                             const gchar *tbl, const gchar *name, const gboolean delete_data,
                                             const EnvironmentContext *env, NoSuchObjectException **o1,
                                             MetaException **o2, GError **error)
{
	return h_drop_partition_by_name(iface, ret, db, tbl, name, delete_data, o1, o2, error);
}

static gboolean h_drop_partition_req(ThriftHiveMetastoreIf *iface, gboolean *ret, const DropPartitionRequest *req,
                                     NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	const char *catalog = req->__isset_catName ? req->catName : NULL;
	g_autoptr(GPtrArray) one = g_ptr_array_new();
	if (req->__isset_partName && req->partName)
		g_ptr_array_add(one, req->partName);
	*ret = drop_parts(req->dbName, catalog, req->tblName, one->len ? one : NULL,
	                  one->len ? NULL : (req->__isset_partVals ? req->partVals : NULL), NULL, FALSE, NULL, &out, error);
	return *ret;
}

/*
 * The filter text of drop_partitions_req's expression, if it is one: Hive's own client sends
 * a Kryo-serialized expression we cannot read, so only UTF-8 filter text is accepted.
 */
static char *drop_expr_filter(const DropPartitionsRequest *req, GError **err)
{
	GPtrArray *exprs = req->parts->exprs;
	if (exprs == NULL || exprs->len != 1) {
		g_set_error_literal(err, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "drop_partitions_req: give partition names, or exactly one expression");
		return NULL;
	}
	DropPartitionsExpr *e = g_ptr_array_index(exprs, 0);
	GByteArray *b = e->expr;
	if (b == NULL || b->len == 0 || !g_utf8_validate((const char *)b->data, b->len, NULL) ||
	    memchr(b->data, 0, b->len) != NULL) {
		g_set_error_literal(err, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "drop_partitions_req: serialized partition expressions are not supported by this "
		                    "metastore; send partition names, or the expression as partition filter text");
		return NULL;
	}
	return g_strndup((const char *)b->data, b->len);
}

static gboolean h_drop_partitions_req(ThriftHiveMetastoreIf *iface, DropPartitionsResult **ret,
                                      const DropPartitionsRequest *req, NoSuchObjectException **o1,
                                      MetaException **o2, GError **error)
{
	ThriftErrOut out = {.no_such = o1, .meta = o2};
	const char *catalog = req->__isset_catName ? req->catName : NULL;
	gboolean if_exists = !req->__isset_ifExists || req->ifExists;
	g_autoptr(GPtrArray) dropped = NULL;
	gboolean ok;
	if (req->parts->__isset_names) {
		ok = drop_parts(req->dbName, catalog, req->tblName, req->parts->names, NULL, NULL, if_exists, &dropped, &out,
		                error);
	} else {
		GError *err = NULL;
		g_autofree char *filter = drop_expr_filter(req, &err);
		if (filter == NULL)
			return thrift_error_raise(err, &out, error);
		ok = drop_parts(req->dbName, catalog, req->tblName, NULL, NULL, filter, if_exists, &dropped, &out, error);
	}
	if (!ok)
		return FALSE;
	if (!req->__isset_needResult || req->needResult) {
		parts_from_json(dropped, (*ret)->partitions);
		(*ret)->__isset_partitions = TRUE;
	}
	return TRUE;
}

static gboolean exchange_refused(MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	return thrift_error_raise(g_error_new_literal(CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
	                                              "exchange_partition is not supported by this metastore (Propolis)"),
	                          &out, error);
}

static gboolean h_exchange_partition(ThriftHiveMetastoreIf *iface, Partition **ret, const GHashTable *spec,
                                     const gchar *sdb, const gchar *stbl, const gchar *ddb, const gchar *dtbl,
                                     MetaException **o1, NoSuchObjectException **o2, InvalidObjectException **o3,
                                     InvalidInputException **o4, GError **error)
{
	return exchange_refused(o1, error);
}

static gboolean h_exchange_partitions(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const GHashTable *spec,
                                      const gchar *sdb, const gchar *stbl, const gchar *ddb, const gchar *dtbl,
                                      MetaException **o1, NoSuchObjectException **o2, InvalidObjectException **o3,
                                      InvalidInputException **o4, GError **error)
{
	return exchange_refused(o1, error);
}

/* Sets this file's slots in the handler class. */
void thrift_partition_install(ThriftHiveMetastoreHandlerClass *h)
{
	h->add_partition = h_add_partition;
	h->add_partition_with_environment_context = h_add_partition_env;
	h->add_partitions = h_add_partitions;
	h->add_partitions_req = h_add_partitions_req;
	h->append_partition = h_append_partition;
	h->append_partition_req = h_append_partition_req;
	h->get_partition_names_req = h_get_partition_names_req;
	h->get_partitions_with_specs = thrift_get_partitions_with_specs;
	h->append_partition_with_environment_context = h_append_partition_env;
	h->append_partition_by_name = h_append_partition_by_name;
	h->append_partition_by_name_with_environment_context = h_append_partition_by_name_env;
	h->get_partition = h_get_partition;
	h->get_partition_with_auth = h_get_partition_with_auth;
	h->get_partition_by_name = h_get_partition_by_name;
	h->get_partition_req = h_get_partition_req;
	h->get_partitions = h_get_partitions;
	h->get_partitions_with_auth = h_get_partitions_with_auth;
	h->get_partitions_req = h_get_partitions_req;
	h->fetch_partition_names_req = h_fetch_partition_names_req;
	h->get_partitions_ps = h_get_partitions_ps;
	h->get_partitions_ps_with_auth = h_get_partitions_ps_with_auth;
	h->get_partitions_ps_with_auth_req = h_get_partitions_ps_with_auth_req;
	h->get_partition_names = h_get_partition_names;
	h->get_partition_names_ps = h_get_partition_names_ps;
	h->get_partition_names_ps_req = h_get_partition_names_ps_req;
	h->get_partitions_by_filter = h_get_partitions_by_filter;
	h->get_partitions_by_filter_req = h_get_partitions_by_filter_req;
	h->get_num_partitions_by_filter = h_get_num_partitions_by_filter;
	h->get_partitions_by_names = h_get_partitions_by_names;
	h->get_partitions_by_names_req = h_get_partitions_by_names_req;
	h->partition_name_to_vals = h_partition_name_to_vals;
	h->partition_name_to_spec = h_partition_name_to_spec;
	h->partition_name_has_valid_characters = h_partition_name_has_valid_characters;
	h->alter_partition = h_alter_partition;
	h->alter_partition_with_environment_context = h_alter_partition_env;
	h->alter_partitions = h_alter_partitions;
	h->alter_partitions_with_environment_context = h_alter_partitions_env;
	h->alter_partitions_req = h_alter_partitions_req;
	h->rename_partition = h_rename_partition;
	h->rename_partition_req = h_rename_partition_req;
	h->drop_partition = h_drop_partition;
	h->drop_partition_with_environment_context = h_drop_partition_env;
	h->drop_partition_by_name = h_drop_partition_by_name;
	h->drop_partition_by_name_with_environment_context = h_drop_partition_by_name_env;
	h->drop_partition_req = h_drop_partition_req;
	h->drop_partitions_req = h_drop_partitions_req;
	h->exchange_partition = h_exchange_partition;
	h->exchange_partitions = h_exchange_partitions;
}

/* The wire names this file answers. */
const char *const *thrift_partition_methods(guint *n)
{
	*n = G_N_ELEMENTS(partition_methods);
	return partition_methods;
}
