/*
 * partition_specs.c — get_partitions_with_specs (Hive 3+): partitions chosen by a filter spec,
 * cut to a projection, answered as PartitionSpecs grouped by shared storage descriptor.
 *
 * As Hive's MetaStoreServerUtils.getPartitionspecsGroupedByStorageDescriptor does: partitions
 * located under the table's directory whose descriptors agree on everything but the location
 * share one PartitionSpecWithSharedSD (the table directory as its root, each partition's path
 * relative to it); partitions elsewhere go, whole, into one PartitionListComposingSpec. When
 * the projection leaves the descriptor out, every partition goes into one shared spec with an
 * empty descriptor. Filter modes: BY_NAMES (partition names), BY_VALUES (a partial value list,
 * as the *_ps calls), BY_EXPR (Hive filter strings, ANDed). The projection's field list keeps
 * the descriptor only when a field "sd" or "sd.<x>" is named (the whole descriptor then: a
 * superset Hive's readers accept), and parameters only when "parameters" is named; the param
 * key patterns are SQL LIKE patterns, as Hive's direct SQL applies them.
 */
#include "thrift/handler.h"

#include <string.h>

#include "common/error.h"
#include "thrift/translate.h"

/* What the projection asks for. */
typedef struct {
	gboolean all, sd, params;
	const char *include, *exclude;
} SpecProjection;

/* SQL LIKE: % any run, _ one character, \ escapes. */
static gboolean spec_like(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (*p == '%') {
			for (const char *t = s;; t++) {
				if (spec_like(p + 1, t))
					return TRUE;
				if (*t == '\0')
					return FALSE;
			}
		}
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '_' && *s)
			continue;
		if (*s == '\0' || *s != *p)
			return FALSE;
	}
	return *s == '\0';
}

static SpecProjection spec_projection(const GetProjectionsSpec *ps)
{
	SpecProjection pr = {.all = TRUE, .sd = TRUE, .params = TRUE};
	if (ps == NULL)
		return pr;
	pr.include = ps->includeParamKeyPattern && *ps->includeParamKeyPattern ? ps->includeParamKeyPattern : NULL;
	pr.exclude = ps->excludeParamKeyPattern && *ps->excludeParamKeyPattern ? ps->excludeParamKeyPattern : NULL;
	if (ps->fieldList == NULL || ps->fieldList->len == 0)
		return pr;
	pr.all = pr.sd = pr.params = FALSE;
	for (guint i = 0; i < ps->fieldList->len; i++) {
		const char *f = g_ptr_array_index(ps->fieldList, i);
		if (strcmp(f, "sd") == 0 || g_str_has_prefix(f, "sd."))
			pr.sd = TRUE;
		else if (strcmp(f, "parameters") == 0)
			pr.params = TRUE;
	}
	return pr;
}

/* The partition documents the filter spec selects (new array), or NULL with err. */
static GPtrArray *spec_select(const char *catalog, const char *db, const char *tbl,
                              const GetPartitionsFilterSpec *fs, GError **err)
{
	CatalogCtx ctx = thrift_ctx_now();
	GPtrArray *filters = fs && fs->filters && fs->filters->len > 0 ? fs->filters : NULL;
	gint mode = fs && fs->__isset_filterMode ? (gint)fs->filterMode : -1;
	if (filters && mode == PARTITION_FILTER_MODE_BY_NAMES)
		return catalog_get_partitions_by_names(thrift_cat_now(), &ctx, catalog, db, tbl, filters, err);
	CatalogPartitionQuery q = {.max_parts = -1};
	g_autofree char *expr = NULL;
	if (filters && mode == PARTITION_FILTER_MODE_BY_VALUES) {
		q.spec = filters;
	} else if (filters && mode == PARTITION_FILTER_MODE_BY_EXPR) {
		GString *s = g_string_new(NULL);
		for (guint i = 0; i < filters->len; i++)
			g_string_append_printf(s, "%s(%s)", i ? " and " : "", (const char *)g_ptr_array_index(filters, i));
		q.filter = expr = g_string_free(s, FALSE);
	} else if (filters) {
		g_set_error_literal(err, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Unsupported filter mode");
		return NULL;
	}
	return catalog_list_partitions_all(thrift_cat_now(), &ctx, catalog, db, tbl, &q, err);
}

/* The descriptor document without its location, as text: partitions with equal keys share it. */
static char *spec_sd_key(JsonObject *doc)
{
	JsonNode *sd = json_object_get_member(doc, "StorageDescriptor");
	if (sd == NULL || !JSON_NODE_HOLDS_OBJECT(sd))
		return g_strdup("");
	g_autoptr(JsonNode) copy = json_node_copy(sd);
	json_object_remove_member(json_node_get_object(copy), "Location");
	return json_to_string(copy, FALSE);
}

/* Keeps the parameters the projection asks for. */
static void spec_params(GHashTable *params, const SpecProjection *pr)
{
	if (params == NULL)
		return;
	if (!pr->params) {
		g_hash_table_remove_all(params);
		return;
	}
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, params);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if ((pr->include && !spec_like(pr->include, key)) || (pr->exclude && spec_like(pr->exclude, key)))
			g_hash_table_iter_remove(&it);
}

/* A new PartitionSpec for db.tbl; shared = a PartitionSpecWithSharedSD with sd (taken), else a list. */
static PartitionSpec *spec_new(const char *catalog, const char *db, const char *tbl, StorageDescriptor *sd)
{
	PartitionSpec *ps = g_object_new(TYPE_PARTITION_SPEC, NULL);
	ps->dbName = g_strdup(db);
	ps->tableName = g_strdup(tbl);
	ps->catName = g_strdup(catalog);
	ps->__isset_catName = TRUE;
	if (sd) {
		g_clear_object(&ps->sharedSDPartitionSpec->sd);
		ps->rootPath = g_strdup(sd->location ? sd->location : "");
		ps->sharedSDPartitionSpec->sd = sd;
		ps->__isset_sharedSDPartitionSpec = TRUE;
	} else {
		ps->rootPath = g_strdup("");
		ps->__isset_partitionList = TRUE;
	}
	return ps;
}

/* The grouping of Hive's getPartitionspecsGroupedByStorageDescriptor, appended to out. */
static void spec_group(GPtrArray *docs, const char *catalog, const char *db, const char *tbl,
                       const char *table_path, const SpecProjection *pr, GPtrArray *out)
{
	g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	PartitionSpec *outside = NULL;
	gsize plen = table_path ? strlen(table_path) : 0;
	for (guint i = 0; i < docs->len; i++) {
		JsonObject *doc = g_ptr_array_index(docs, i);
		Partition *p = translate_partition_new_from_json(doc);
		spec_params(p->parameters, pr);
		const char *loc = p->sd ? p->sd->location : NULL;
		gboolean inside = !pr->sd || (loc && table_path && g_str_has_prefix(loc, table_path));
		if (!inside) {
			if (outside == NULL)
				outside = spec_new(catalog, db, tbl, NULL);
			g_ptr_array_add(outside->partitionList->partitions, p); /* taken */
			continue;
		}
		g_autofree char *key = pr->sd ? spec_sd_key(doc) : g_strdup("");
		PartitionSpec *ps = g_hash_table_lookup(groups, key);
		if (ps == NULL) {
			StorageDescriptor *sd = g_object_new(TYPE_STORAGE_DESCRIPTOR, NULL);
			if (pr->sd) {
				translate_storage_descriptor_from_json(
					json_object_get_object_member(doc, "StorageDescriptor"), sd);
				g_free(sd->location);
				sd->location = g_strdup(table_path);
				sd->__isset_location = table_path != NULL;
			}
			ps = spec_new(catalog, db, tbl, sd);
			g_hash_table_insert(groups, g_steal_pointer(&key), ps);
			g_ptr_array_add(out, ps);
		}
		PartitionWithoutSD *w = g_object_new(TYPE_PARTITION_WITHOUT_S_D, NULL);
		for (guint k = 0; p->values && k < p->values->len; k++)
			g_ptr_array_add(w->values, g_strdup(g_ptr_array_index(p->values, k)));
		w->createTime = p->createTime;
		w->lastAccessTime = p->lastAccessTime;
		w->relativePath = g_strdup(pr->sd && loc ? loc + plen : "");
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, p->parameters);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_insert(w->parameters, g_strdup(k), g_strdup(v));
		g_ptr_array_add(ps->sharedSDPartitionSpec->partitions, w);
		g_object_unref(p);
	}
	if (outside)
		g_ptr_array_add(out, outside);
}

/* The table's directory (its descriptor's location), or NULL with err. New string, may be NULL for a view. */
static gboolean spec_table_path(const char *catalog, const char *db, const char *tbl, char **path, GError **err)
{
	CatalogCtx ctx = thrift_ctx_now();
	g_autoptr(JsonObject) t = catalog_get_table(thrift_cat_now(), &ctx, catalog, db, tbl, err);
	if (t == NULL)
		return FALSE;
	JsonNode *sd = json_object_get_member(t, "StorageDescriptor");
	const char *loc = sd && JSON_NODE_HOLDS_OBJECT(sd) ? json_object_get_string_member_with_default(
								    json_node_get_object(sd), "Location", NULL)
	                                                  : NULL;
	*path = g_strdup(loc);
	return TRUE;
}

gboolean thrift_get_partitions_with_specs(ThriftHiveMetastoreIf *iface, GetPartitionsResponse **ret,
                                          const GetPartitionsRequest *req, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	if (req->dbName == NULL || req->tblName == NULL)
		return thrift_error_raise(thrift_missing_arg(req->dbName == NULL ? "Database name" : "Table name"), &out,
		                          error);
	g_auto(ThriftDbName) n = thrift_db_name_parse(req->dbName, req->__isset_catName ? req->catName : NULL);
	thrift_audit_note_object(n.db, req->tblName);
	g_autofree char *catalog = g_strdup(n.catalog);
	GError *err = NULL;
	g_autofree char *table_path = NULL;
	if (!spec_table_path(catalog, n.db, req->tblName, &table_path, &err))
		return thrift_error_raise(err, &out, error);
	g_autoptr(GPtrArray) docs = spec_select(catalog, n.db, req->tblName, req->filterSpec, &err);
	if (docs == NULL)
		return thrift_error_raise(err, &out, error);
	SpecProjection pr = spec_projection(req->projectionSpec);
	g_autofree char *catname = g_strdup(catalog ? catalog : catalog_default_name(thrift_cat_now()));
	spec_group(docs, catname, n.db, req->tblName, table_path, &pr, (*ret)->partitionSpec);
	return TRUE;
}
