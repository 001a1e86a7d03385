/*
 * partition.c — partitions with Hive's semantics: names, default locations, partial specs,
 * filters, all-or-nothing batches, and listings streamed batch by batch to the door.
 *
 * Invariants: a stored partition has exactly as many Values as its table has partition keys;
 * its Hive name is partname_make(keys, values) and is what the store looks partitions up by,
 * so a name a client sends is split, re-ordered by key and re-made before any lookup. Every
 * write is one transaction (catalog_work_begin), so a batch with one bad partition leaves
 * nothing behind, and its error names the partition. Listings run in one REPEATABLE READ
 * snapshot: the count the door writes first and the rows that follow agree.
 * Documents returned carry the table's current DatabaseName/TableName and CatalogName. A
 * listing whose sink takes rows (the Thrift door's streamed listings) builds no documents: the
 * names are handed over once per batch and each shared descriptor is parsed, and trimmed for a
 * caller who sees only some columns, once per listing. Likewise add_partitions from rows
 * (catalog_add_partition_rows, the Thrift door's batches): the same checks and filled-in
 * members as a document gets (part_prepare_row mirrors part_prepare_new), the stored document
 * written as text, the event's per-partition Thrift JSON asked of the door.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"
#include "catalog/partfilter.h"
#include "catalog/partname.h"
#include "common/json.h"

#define DDL_TIME "transient_lastDdlTime"
#define PART_BATCH 1000

typedef enum { PART_READ, PART_SNAPSHOT, PART_WRITE } PartMode;

/* One partition operation's unit of work and the table it works on. */
typedef struct {
	CatalogWork work;
	char *catname, *dbname, *tname;
	gint64 table_id;
	JsonObject *table;
	JsonArray *keys; /* borrowed from table */
	gboolean open;
	const CatalogCtx *ctx;
	AuthzFacts *facts; /* the caller's, for column trimming and location checks */
	gboolean trim;     /* the caller sees only some columns */
	GHashTable *hidden; /* when trim: the table's columns the caller may not see (row listings) */
} PartOp;

static void part_op_clear(PartOp *op)
{
	g_free(op->catname);
	g_free(op->dbname);
	g_free(op->tname);
	if (op->table)
		json_object_unref(op->table);
	authz_facts_free(op->facts);
	if (op->hidden)
		g_hash_table_unref(op->hidden);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(PartOp, part_op_clear)

/* How a missing table is reported: Hive's exception differs per operation. */
typedef enum { MISSING_NOT_FOUND, MISSING_ADD, MISSING_ALTER } PartMissing;

static void part_table_missing(PartOp *op, PartMissing how, GError **error)
{
	switch (how) {
	case MISSING_ADD:
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT,
		            "Unable to add partitions because database or table %s.%s does not exist", op->dbname, op->tname);
		break;
	case MISSING_ALTER:
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION,
		            "Unable to alter partition because table or database %s.%s does not exist", op->dbname, op->tname);
		break;
	default:
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "%s.%s table not found", op->dbname, op->tname);
	}
}

/* Opens the unit of work and reads the table; FALSE with Hive's error when it is missing. */
static gboolean part_op_open(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                             const char *table, PartMode mode, guint32 perm, PartMissing how, PartOp *op,
                             GError **error)
{
	memset(op, 0, sizeof *op);
	if (db == NULL || table == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return FALSE;
	}
	op->catname = catalog_resolve(cat, catalog);
	op->dbname = catalog_lower(db);
	op->tname = catalog_lower(table);
	if (!catalog_work_begin(cat, ctx, mode == PART_WRITE, &op->work, error))
		return FALSE;
	op->open = TRUE;
	GError *serr = NULL;
	if (mode == PART_SNAPSHOT) {
		if (!store_begin_snapshot(op->work.conn, &serr)) {
			catalog_error_from_store(serr, NULL, NULL, error);
			return FALSE;
		}
		op->work.in_txn = TRUE;
	}
	op->ctx = ctx;
	if (!catalog_authz_table(&op->work, ctx, op->catname, op->dbname, op->tname, perm, &op->facts, error))
		return FALSE;
	op->trim = catalog_authz_columns_restricted(op->facts, op->tname);
	op->table = store_partition_table(op->work.conn, op->catname, op->dbname, op->tname, FALSE, &op->table_id, &serr);
	if (op->table == NULL) {
		if (serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND) {
			g_clear_error(&serr);
			part_table_missing(op, how, error);
		} else {
			catalog_error_from_store(serr, NULL, NULL, error);
		}
		return FALSE;
	}
	JsonNode *k = json_object_get_member(op->table, "PartitionKeys");
	op->keys = k && JSON_NODE_HOLDS_ARRAY(k) ? json_node_get_array(k) : NULL;
	return TRUE;
}

/* Ends the unit of work (commit when ok); returns the final ok. */
static gboolean part_op_close(PartOp *op, gboolean ok, GError **error)
{
	if (!op->open)
		return FALSE;
	op->open = FALSE;
	return catalog_work_end(&op->work, ok, error);
}

static guint part_nkeys(PartOp *op)
{
	return op->keys ? json_array_get_length(op->keys) : 0;
}

static const char *part_key_name(PartOp *op, guint i)
{
	return catalog_json_str(json_array_get_object_element(op->keys, i), "Name");
}

/* Sets the current names and catalog on a document going back to a door. */
static void part_stamp_names(PartOp *op, JsonObject *doc)
{
	json_object_set_string_member(doc, "DatabaseName", op->dbname);
	json_object_set_string_member(doc, "TableName", op->tname);
	catalog_doc_set_catalog(doc, op->catname);
}

/* For the caller's reply: names, and only the columns it sees. Events take part_stamp_names. */
static void part_stamp(PartOp *op, JsonObject *doc)
{
	part_stamp_names(op, doc);
	if (op->trim)
		catalog_authz_trim_doc(op->facts, op->tname, op->table, doc);
}

static GPtrArray *part_stamp_all(PartOp *op, GPtrArray *docs)
{
	for (guint i = 0; docs && i < docs->len; i++)
		part_stamp(op, g_ptr_array_index(docs, i));
	return docs;
}

/* Names only: what notification events carry is the stored partition, whoever wrote it. */
static void part_stamp_names_all(PartOp *op, GPtrArray *docs)
{
	for (guint i = 0; docs && i < docs->len; i++)
		part_stamp_names(op, g_ptr_array_index(docs, i));
}

/* The table document as notification messages name it (current names and catalog). */
static JsonObject *part_notify_table(PartOp *op)
{
	json_object_set_string_member(op->table, "Name", op->tname);
	json_object_set_string_member(op->table, "DatabaseName", op->dbname);
	catalog_doc_set_catalog(op->table, op->catname);
	return op->table;
}

/* One DROP_PARTITION event per dropped partition (as Hive fires them), in op's transaction. */
static gboolean part_notify_drops(PartOp *op, GPtrArray *dropped, GError **error)
{
	return dropped->len == 0 ||
	       catalog_notify_drop_partitions(&op->work, op->catname, part_notify_table(op), dropped, error);
}

/* "[a, b, ]" as Hive's Warehouse.makePartName prints lists in its error. */
static void part_append_list(GString *s, const char *const *items, guint n)
{
	g_string_append_c(s, '[');
	for (guint i = 0; i < n; i++)
		g_string_append_printf(s, "%s, ", items[i] ? items[i] : "null");
	g_string_append_c(s, ']');
}

/*
 * The Hive name of values (n of them; values NULL: the partition has none) under the table's
 * keys. NULL with Hive's MetaException text when the count differs or the table has no
 * partition keys.
 */
static char *part_name_of_v(PartOp *op, const char *const *values, guint nv, GError **error)
{
	guint n = part_nkeys(op);
	g_autofree const char **keys = g_new0(const char *, n + 1);
	for (guint i = 0; i < n; i++)
		keys[i] = part_key_name(op, i);
	if (values == NULL || nv != n || n == 0) {
		GString *s = g_string_new("Invalid partition key & values; keys ");
		part_append_list(s, keys, n);
		g_string_append(s, ", values ");
		part_append_list(s, values, values ? nv : 0);
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, s->str);
		g_string_free(s, TRUE);
		return NULL;
	}
	return partname_make(keys, values, n);
}

/* part_name_of_v for values (char*). */
static char *part_name_of(PartOp *op, GPtrArray *values, GError **error)
{
	return part_name_of_v(op, values ? (const char *const *)values->pdata : NULL, values ? values->len : 0, error);
}

/* The values (char*, key order) a client's partition name stands for; Hive's getPartValsFromName. */
static GPtrArray *part_values_of_name(PartOp *op, const char *name, GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func(g_free);
	if (!partname_split(name, keys, vals, error))
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < part_nkeys(op); i++) {
		const char *key = part_key_name(op, i);
		const char *val = NULL;
		for (guint j = 0; j < keys->len && val == NULL; j++)
			if (g_ascii_strcasecmp(g_ptr_array_index(keys, j), key) == 0)
				val = g_ptr_array_index(vals, j);
		if (val == NULL) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid partition name %s: incomplete partition name - missing %s", name, key);
			g_ptr_array_unref(out);
			return NULL;
		}
		g_ptr_array_add(out, g_strdup(val));
	}
	return out;
}

/* The canonical stored name for a client's partition name. */
static char *part_canonical_name(PartOp *op, const char *name, GError **error)
{
	g_autoptr(GPtrArray) vals = part_values_of_name(op, name, error);
	return vals ? part_name_of(op, vals, error) : NULL;
}

/* The Values of a document as a new array of borrowed strings (NULL for a non-string). */
static GPtrArray *part_doc_values(JsonObject *doc)
{
	JsonNode *n = json_object_get_member(doc, "Values");
	if (n == NULL || !JSON_NODE_HOLDS_ARRAY(n))
		return NULL;
	JsonArray *arr = json_node_get_array(n);
	GPtrArray *vals = g_ptr_array_new();
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *e = json_array_get_element(arr, i);
		g_ptr_array_add(vals, (gpointer)(JSON_NODE_HOLDS_VALUE(e) ? json_node_get_string(e) : NULL));
	}
	return vals;
}

static JsonObject *part_sd(JsonObject *doc)
{
	JsonNode *n = json_object_get_member(doc, "StorageDescriptor");
	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static gboolean part_table_is_external(JsonObject *table)
{
	JsonNode *p = json_object_get_member(table, "Parameters");
	const char *ext = p && JSON_NODE_HOLDS_OBJECT(p) ? catalog_json_str(json_node_get_object(p), "EXTERNAL") : NULL;
	return (ext && g_ascii_strcasecmp(ext, "TRUE") == 0) || g_strcmp0(catalog_json_str(table, "TableType"), "EXTERNAL_TABLE") == 0;
}

/* `<table location>/<name>`, or NULL when the table has no location. */
static char *part_default_location(PartOp *op, const char *name)
{
	JsonObject *tsd = part_sd(op->table);
	const char *loc = tsd ? catalog_json_str(tsd, "Location") : NULL;
	if (loc == NULL || *loc == '\0')
		return NULL;
	gsize n = strlen(loc);
	return g_strdup_printf("%.*s/%s", (int)(loc[n - 1] == '/' ? n - 1 : n), loc, name);
}

/* TRUE when loc lies under the table's own location (checked when the table was created or altered). */
static gboolean part_under_table(PartOp *op, const char *loc)
{
	JsonNode *sd = json_object_get_member(op->table, "StorageDescriptor");
	const char *tloc = sd && JSON_NODE_HOLDS_OBJECT(sd) ? catalog_json_str(json_node_get_object(sd), "Location") : NULL;
	gsize n = tloc ? strlen(tloc) : 0;
	return n > 0 && strncmp(loc, tloc, n) == 0 && (loc[n] == '/' || loc[n] == '\0' || tloc[n - 1] == '/');
}

/* The SkewedColumnValueLocationMaps object of a descriptor, or NULL. */
static JsonObject *part_skew_maps(JsonObject *sd)
{
	JsonNode *si = sd ? json_object_get_member(sd, "SkewedInfo") : NULL;
	JsonNode *m = si && JSON_NODE_HOLDS_OBJECT(si)
	                  ? json_object_get_member(json_node_get_object(si), "SkewedColumnValueLocationMaps")
	                  : NULL;
	return m && JSON_NODE_HOLDS_OBJECT(m) ? json_node_get_object(m) : NULL;
}

/*
 * DATA_LOCATION_ACCESS for each skewed-value location of sd outside the table's location (those
 * are locations a partition sets too); one kept as it was in old_sd (an alter) needs nothing more.
 */
static gboolean part_authz_skewed(PartOp *op, JsonObject *sd, JsonObject *old_sd, GError **error)
{
	JsonObject *maps = part_skew_maps(sd), *old = part_skew_maps(old_sd);
	if (maps == NULL)
		return TRUE;
	JsonObjectIter it;
	const char *key;
	JsonNode *v;
	json_object_iter_init(&it, maps);
	while (json_object_iter_next(&it, &key, &v)) {
		const char *loc = JSON_NODE_HOLDS_VALUE(v) && json_node_get_value_type(v) == G_TYPE_STRING
		                      ? json_node_get_string(v)
		                      : NULL;
		if (loc == NULL || *loc == '\0' || part_under_table(op, loc) ||
		    (old && g_strcmp0(catalog_json_str(old, key), loc) == 0))
			continue;
		if (!catalog_authz_location(&op->work, op->ctx, op->facts, loc, error))
			return FALSE;
	}
	return TRUE;
}

/* part_authz_skewed for the rows path: each distinct descriptor (JSON text) once, parsed only when it has any. */
static gboolean part_authz_skewed_sds(PartOp *op, const CatalogPartitionBatch *b, GError **error)
{
	for (guint i = 0; i < b->n_sds; i++) {
		const char *at = strstr(b->sds[i], "\"SkewedColumnValueLocationMaps\"");
		if (at == NULL || g_str_has_prefix(at + strlen("\"SkewedColumnValueLocationMaps\""), ":{}"))
			continue; /* the common case: no skewed locations, nothing to parse */
		g_autoptr(JsonNode) n = json_from_string(b->sds[i], NULL);
		if (n && JSON_NODE_HOLDS_OBJECT(n) && !part_authz_skewed(op, json_node_get_object(n), NULL, error))
			return FALSE;
	}
	return TRUE;
}

/* Sets the ddl time parameter to now when absent or 0 (Hive's initializeAddedPartition); Hive door only. */
static void part_touch_ddl_time(PartOp *op, JsonObject *doc)
{
	JsonObject *params = catalog_json_obj_ensure(doc, "Parameters");
	if (!catalog_ctx_is_hive(op->ctx))
		return;
	const char *ddl = catalog_json_str(params, DDL_TIME);
	if (ddl == NULL || atoll(ddl) == 0) {
		g_autofree char *now = g_strdup_printf("%" G_GINT64_FORMAT, catalog_now());
		json_object_set_string_member(params, DDL_TIME, now);
	}
}

/*
 * Validates a partition for this table and fills what the server sets: names, create time,
 * ddl time, default location. Returns its Hive name, or NULL with Hive's error.
 */
static char *part_prepare_new(PartOp *op, JsonObject *doc, GError **error)
{
	const char *pdb = catalog_json_str(doc, "DatabaseName"), *ptbl = catalog_json_str(doc, "TableName");
	if (!catalog_doc_check_text(doc, error))
		return NULL;
	g_autoptr(GPtrArray) vals = part_doc_values(doc);
	if ((pdb && g_ascii_strcasecmp(pdb, op->dbname) != 0) || (ptbl && g_ascii_strcasecmp(ptbl, op->tname) != 0)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Partition does not belong to target table %s.%s.%s: %s.%s", op->catname, op->dbname, op->tname,
		            pdb ? pdb : "null", ptbl ? ptbl : "null");
		return NULL;
	}
	char *name = part_name_of(op, vals, error);
	if (name == NULL)
		return NULL;
	json_object_set_string_member(doc, "DatabaseName", op->dbname);
	json_object_set_string_member(doc, "TableName", op->tname);
	json_object_remove_member(doc, "CatalogName");
	json_object_set_int_member(doc, "CreationTime", catalog_now());
	part_touch_ddl_time(op, doc);
	JsonObject *sd = part_sd(doc);
	const char *loc = sd ? catalog_json_str(sd, "Location") : NULL;
	if (sd && (loc == NULL || *loc == '\0')) {
		g_autofree char *def = part_default_location(op, name);
		if (def)
			json_object_set_string_member(sd, "Location", def);
	} else if (loc && !part_under_table(op, loc) && !catalog_authz_location(&op->work, op->ctx, op->facts, loc, error)) {
		g_free(name);
		return NULL;
	}
	if (!part_authz_skewed(op, sd, NULL, error)) {
		g_free(name);
		return NULL;
	}
	return name;
}

/* Maps a store error of a partition write; UNIQUE names the partition. */
static void part_store_error(GError *serr, const char *name, PartOp *op, GError **error)
{
	g_autofree char *exists = g_strdup_printf("Partition already exists: %s.%s.%s", op->dbname, op->tname, name ? name : "");
	catalog_error_from_store(serr, NULL, exists, error);
}

/* add_partitions: all or nothing; see catalog.h. */
GPtrArray *catalog_add_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *table, GPtrArray *parts, gboolean if_not_exists, GError **error)
{
	g_auto(PartOp) op;
	if (!part_op_open(cat, ctx, catalog, db, table, PART_WRITE, AUTHZ_ALTER, MISSING_ADD, &op, error)) {
		part_op_close(&op, FALSE, NULL);
		return NULL;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	gboolean ok = TRUE;
	for (guint i = 0; ok && parts && i < parts->len; i++) {
		char *name = part_prepare_new(&op, g_ptr_array_index(parts, i), error);
		ok = name != NULL;
		if (ok) {
			g_ptr_array_add(names, name);
			if (!g_hash_table_add(seen, name)) {
				g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Duplicate partitions in the list: %s", name);
				ok = FALSE;
			}
		}
	}
	g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	if (ok && names->len > 0) {
		GError *serr = NULL;
		g_autoptr(GPtrArray) inserted = store_partition_insert_batch(op.work.conn, op.table_id, parts, names, &serr);
		ok = inserted != NULL;
		if (!ok)
			part_store_error(serr, NULL, &op, error);
		g_autoptr(GHashTable) is_new = g_hash_table_new(g_str_hash, g_str_equal);
		for (guint i = 0; ok && i < inserted->len; i++)
			g_hash_table_add(is_new, g_ptr_array_index(inserted, i));
		for (guint i = 0; ok && i < names->len; i++) {
			if (g_hash_table_contains(is_new, g_ptr_array_index(names, i))) {
				g_ptr_array_add(added, json_object_ref(g_ptr_array_index(parts, i)));
			} else if (!if_not_exists) {
				g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ALREADY_EXISTS, "Partition already exists: %s.%s.%s",
				            op.dbname, op.tname, (char *)g_ptr_array_index(names, i));
				ok = FALSE;
			}
		}
	}
	part_stamp_names_all(&op, added);
	if (ok && added->len > 0)
		ok = catalog_notify_add_partitions(&op.work, op.catname, part_notify_table(&op), added, error);
	if (!part_op_close(&op, ok, error))
		return NULL;
	return part_stamp_all(&op, g_steal_pointer(&added));
}

/* ---- add_partitions from rows (the Thrift door's batches: no JSON tree per partition) ---- */

/* part_prepare_new for a row: the same checks, and the same server-set members filled in. */
static gboolean part_prepare_row(PartOp *op, CatalogPartitionNew *row, GError **error)
{
	if ((row->db && g_ascii_strcasecmp(row->db, op->dbname) != 0) ||
	    (row->table && g_ascii_strcasecmp(row->table, op->tname) != 0)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Partition does not belong to target table %s.%s.%s: %s.%s", op->catname, op->dbname, op->tname,
		            row->db ? row->db : "null", row->table ? row->table : "null");
		return FALSE;
	}
	row->name = part_name_of_v(op, row->values, row->n_values, error);
	if (row->name == NULL)
		return FALSE;
	row->create_time = catalog_now();
	const char *ddl = g_hash_table_lookup(row->params, DDL_TIME);
	if ((ddl == NULL || atoll(ddl) == 0) && catalog_ctx_is_hive(op->ctx))
		g_hash_table_replace(row->params, g_strdup(DDL_TIME), g_strdup_printf("%" G_GINT64_FORMAT, catalog_now()));
	if (row->has_sd && (row->location == NULL || *row->location == '\0'))
		row->default_location = part_default_location(op, row->name);
	else if (row->location && !part_under_table(op, row->location) &&
	         !catalog_authz_location(&op->work, op->ctx, op->facts, row->location, error))
		return FALSE;
	return TRUE;
}

/* Appends v in decimal. */
static void part_append_int(GString *s, gint64 v)
{
	char buf[24];
	int n = 0;
	guint64 u = v < 0 ? (guint64)0 - (guint64)v : (guint64)v;
	do
		buf[n++] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		g_string_append_c(s, '-');
	while (n > 0)
		g_string_append_c(s, buf[--n]);
}

/* Writes into s (emptied first) the stored document of a prepared row: what part_prepare_new
 * leaves, without its descriptor. */
static void part_row_doc(PartOp *op, const CatalogPartitionNew *row, GString *s)
{
	g_string_truncate(s, 0);
	g_string_append(s, "{\"Values\":[");
	for (guint i = 0; i < row->n_values; i++) {
		if (i > 0)
			g_string_append_c(s, ',');
		if (row->values[i])
			json_append_quoted(s, row->values[i], strlen(row->values[i]));
		else
			g_string_append(s, "null");
	}
	g_string_append(s, "],\"DatabaseName\":");
	json_append_quoted(s, op->dbname, strlen(op->dbname));
	g_string_append(s, ",\"TableName\":");
	json_append_quoted(s, op->tname, strlen(op->tname));
	g_string_append(s, ",\"CreationTime\":");
	part_append_int(s, row->create_time);
	g_string_append(s, ",\"LastAccessTime\":");
	part_append_int(s, row->last_access_time);
	g_string_append(s, ",\"Parameters\":{");
	GHashTableIter it;
	gpointer k, v;
	gboolean first = TRUE;
	g_hash_table_iter_init(&it, row->params);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (!first)
			g_string_append_c(s, ',');
		first = FALSE;
		json_append_quoted(s, k, strlen(k));
		g_string_append_c(s, ':');
		json_append_quoted(s, v ? v : "", v ? strlen(v) : 0);
	}
	g_string_append(s, "}}");
}

/* The location a prepared row is stored with. */
static const char *part_row_location(const CatalogPartitionNew *row)
{
	if (!row->has_sd)
		return NULL;
	return row->default_location ? row->default_location : row->location;
}

/* Validates, fills and writes the rows (all or nothing); FALSE with Hive's error. */
static gboolean part_write_rows(PartOp *op, CatalogPartitionBatch *b, gboolean if_not_exists, GError **error)
{
	if (!part_authz_skewed_sds(op, b, error))
		return FALSE;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < b->n; i++) {
		CatalogPartitionNew *row = &b->rows[i];
		if (!part_prepare_row(op, row, error))
			return FALSE;
		if (!g_hash_table_add(seen, row->name)) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Duplicate partitions in the list: %s",
			            row->name);
			return FALSE;
		}
	}
	g_autofree StorePartitionNew *rows = g_new0(StorePartitionNew, MAX(b->n, 1));
	g_autoptr(GString) scratch = g_string_sized_new(512);
	GStringChunk *docs = g_string_chunk_new(256 * 1024);
	for (guint i = 0; i < b->n; i++) {
		const CatalogPartitionNew *row = &b->rows[i];
		part_row_doc(op, row, scratch);
		const char *doc = g_string_chunk_insert_len(docs, scratch->str, (gssize)scratch->len);
		rows[i] = (StorePartitionNew){.values = row->values, .n_values = row->n_values, .name = row->name,
		                              .doc = doc, .location = part_row_location(row), .sd = row->has_sd ? row->sd : 0};
	}
	g_autofree gboolean *inserted = g_new0(gboolean, MAX(b->n, 1));
	GError *serr = NULL;
	gboolean stored = store_partition_insert_rows(op->work.conn, op->table_id, rows, b->n, b->sds, b->n_sds,
	                                              !if_not_exists, inserted, &serr);
	g_string_chunk_free(docs);
	if (!stored) {
		part_store_error(serr, NULL, op, error);
		return FALSE;
	}
	for (guint i = 0; i < b->n; i++) {
		b->rows[i].added = inserted[i];
		if (!inserted[i] && !if_not_exists) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ALREADY_EXISTS, "Partition already exists: %s.%s.%s",
			            op->dbname, op->tname, b->rows[i].name);
			return FALSE;
		}
	}
	return TRUE;
}

/* add_partitions from rows; see catalog.h. */
gboolean catalog_add_partition_rows(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                    const char *table, CatalogPartitionBatch *b, gboolean if_not_exists,
                                    GError **error)
{
	g_return_val_if_fail(b->encode != NULL, FALSE);
	g_auto(PartOp) op;
	if (!part_op_open(cat, ctx, catalog, db, table, PART_WRITE, AUTHZ_ALTER, MISSING_ADD, &op, error)) {
		part_op_close(&op, FALSE, NULL);
		return FALSE;
	}
	b->catalog = g_strdup(op.catname);
	b->db = g_strdup(op.dbname);
	b->table = g_strdup(op.tname);
	b->columns_restricted = op.trim;
	gboolean ok = part_write_rows(&op, b, if_not_exists, error);
	gboolean any = FALSE;
	for (guint i = 0; ok && i < b->n && !any; i++)
		any = b->rows[i].added;
	if (ok && any)
		ok = catalog_notify_add_partition_rows(&op.work, op.catname, part_notify_table(&op), b, error);
	return part_op_close(&op, ok, error);
}

/* Frees what catalog_add_partition_rows filled in (not the rows themselves). */
void catalog_partition_batch_clear(CatalogPartitionBatch *b)
{
	for (guint i = 0; i < b->n; i++) {
		g_clear_pointer(&b->rows[i].name, g_free);
		g_clear_pointer(&b->rows[i].default_location, g_free);
	}
	g_clear_pointer(&b->catalog, g_free);
	g_clear_pointer(&b->db, g_free);
	g_clear_pointer(&b->table, g_free);
}

/* A deep copy of obj (a partition must never share nodes with its table's document). */
static JsonObject *part_deep_copy(JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	g_autofree char *text = json_to_string(node, FALSE);
	g_autoptr(JsonNode) parsed = json_from_string(text, NULL);
	return json_node_dup_object(parsed);
}

/* append_partition(_by_name): a new partition with the table's descriptor at the default location. */
JsonObject *catalog_append_partition(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                     const char *table, GPtrArray *values, const char *name, GError **error)
{
	g_auto(PartOp) op;
	gboolean ok = part_op_open(cat, ctx, catalog, db, table, PART_READ, AUTHZ_ALTER, MISSING_ADD, &op, error);
	g_autoptr(GPtrArray) vals = NULL;
	if (ok && values == NULL) {
		vals = part_values_of_name(&op, name, error);
		ok = vals != NULL;
	}
	g_autoptr(JsonObject) doc = json_object_new();
	if (ok) {
		JsonArray *arr = json_array_new();
		GPtrArray *v = values ? values : vals;
		for (guint i = 0; i < v->len; i++)
			json_array_add_string_element(arr, g_ptr_array_index(v, i) ? g_ptr_array_index(v, i) : "");
		json_object_set_array_member(doc, "Values", arr);
		json_object_set_int_member(doc, "LastAccessTime", 0);
		json_object_set_object_member(doc, "Parameters", json_object_new());
		JsonObject *tsd = part_sd(op.table);
		if (tsd) {
			JsonObject *sd = part_deep_copy(tsd);
			json_object_remove_member(sd, "Location");
			json_object_set_object_member(doc, "StorageDescriptor", sd);
		}
	}
	part_op_close(&op, ok, NULL);
	if (!ok)
		return NULL;
	g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	g_ptr_array_add(one, json_object_ref(doc));
	g_autoptr(GPtrArray) added = catalog_add_partitions(cat, ctx, catalog, db, table, one, FALSE, error);
	return added && added->len == 1 ? json_object_ref(g_ptr_array_index(added, 0)) : NULL;
}

/* Resolves a selection (client names or value lists) into stored names. */
static GPtrArray *part_resolve_names(PartOp *op, GPtrArray *names, GPtrArray *values, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; names && i < names->len; i++) {
		char *n = part_canonical_name(op, g_ptr_array_index(names, i), error);
		if (n == NULL)
			return NULL;
		g_ptr_array_add(out, n);
	}
	if (values) {
		char *n = part_name_of(op, values, error);
		if (n == NULL)
			return NULL;
		g_ptr_array_add(out, n);
	}
	return g_steal_pointer(&out);
}

/* "partition values=[a, b]" as Hive's NoSuchObjectException for a missing partition. */
static void part_not_found(PartOp *op, const char *name, GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func(g_free);
	GString *s = g_string_new("partition values=[");
	if (partname_split(name, keys, vals, NULL))
		for (guint i = 0; i < vals->len; i++)
			g_string_append_printf(s, "%s%s", i ? ", " : "", (char *)g_ptr_array_index(vals, i));
	g_string_append_printf(s, "] of table %s.%s not found", op->dbname, op->tname);
	g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, s->str);
	g_string_free(s, TRUE);
}

/* get_partition / get_partition_by_name; see catalog.h. */
JsonObject *catalog_get_partition(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *table, GPtrArray *values, const char *name, GError **error)
{
	g_auto(PartOp) op;
	gboolean ok = part_op_open(cat, ctx, catalog, db, table, PART_READ, AUTHZ_DESCRIBE, MISSING_NOT_FOUND, &op, error);
	g_autoptr(GPtrArray) one = NULL;
	if (name != NULL && values == NULL) {
		one = g_ptr_array_new();
		g_ptr_array_add(one, (gpointer)name);
	}
	g_autoptr(GPtrArray) names = ok ? part_resolve_names(&op, one, values, error) : NULL;
	g_autoptr(GPtrArray) docs = NULL;
	if (names) {
		GError *serr = NULL;
		docs = store_partition_get_by_names(op.work.conn, op.table_id, names, &serr);
		if (docs == NULL)
			catalog_error_from_store(serr, NULL, NULL, error);
		else if (docs->len == 0)
			part_not_found(&op, g_ptr_array_index(names, 0), error);
	}
	part_op_close(&op, docs != NULL, NULL);
	if (docs == NULL || docs->len == 0)
		return NULL;
	JsonObject *doc = json_object_ref(g_ptr_array_index(docs, 0));
	part_stamp(&op, doc);
	return doc;
}

/* get_partitions_by_names; see catalog.h. */
GPtrArray *catalog_get_partitions_by_names(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                           const char *table, GPtrArray *names, GError **error)
{
	g_auto(PartOp) op;
	gboolean ok = part_op_open(cat, ctx, catalog, db, table, PART_READ, AUTHZ_DESCRIBE, MISSING_NOT_FOUND, &op, error);
	g_autoptr(GPtrArray) stored = ok ? part_resolve_names(&op, names, NULL, error) : NULL;
	GPtrArray *docs = NULL;
	if (stored) {
		GError *serr = NULL;
		docs = store_partition_get_by_names(op.work.conn, op.table_id, stored, &serr);
		if (docs == NULL)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	part_op_close(&op, docs != NULL, NULL);
	return part_stamp_all(&op, docs);
}

/* Parses and checks a filter for the table's keys; NULL filter or blank text = no filter (*ast NULL). */
gboolean catalog_partition_filter_prepare(const char *filter, JsonArray *keys, PartFilterNode **ast, GError **error)
{
	*ast = NULL;
	if (filter == NULL)
		return TRUE;
	g_autofree char *trimmed = g_strstrip(g_strdup(filter));
	if (*trimmed == '\0')
		return TRUE;
	g_autoptr(PartFilterNode) tree = partfilter_parse(filter, error);
	if (tree == NULL)
		return FALSE;
	if (!partfilter_check(tree, keys, error))
		return FALSE;
	*ast = g_steal_pointer(&tree);
	return TRUE;
}

/* A partial spec checked against the keys: more values than keys is Hive's MetaException. */
static gboolean part_spec_check(PartOp *op, const GPtrArray *spec, GError **error)
{
	if (spec == NULL || spec->len <= part_nkeys(op))
		return TRUE;
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < spec->len; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", (char *)g_ptr_array_index(spec, i));
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
	            "Incorrect number of partition values. numPartKeys=%u, part_val=[%s]", part_nkeys(op), s->str);
	g_string_free(s, TRUE);
	return FALSE;
}

/* Forwards a store batch to the door's sink, stamping documents first. */
typedef struct {
	PartOp *op;
	const CatalogPartitionSink *sink;
	gboolean names_only;
} PartForward;

static gboolean part_forward(gpointer user, GPtrArray *batch, GError **error)
{
	PartForward *f = user;
	if (!f->names_only)
		part_stamp_all(f->op, batch);
	return f->sink->batch(f->sink->user, batch, error);
}

/* A row batch whose partition parameters went through the trimming rules (column-limited callers). */
typedef struct {
	StorePartitionRows rows;
	StorePartitionRow *items;
	GArray *strs;     /* StoreSlice: the batch's strings, then the trimmed parameter pairs */
	GPtrArray *owned; /* the trimmed strings the new slices point into */
} PartTrimmedRows;

static void part_trimmed_rows_clear(PartTrimmedRows *t)
{
	g_free(t->items);
	if (t->strs)
		g_array_unref(t->strs);
	if (t->owned)
		g_ptr_array_unref(t->owned);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(PartTrimmedRows, part_trimmed_rows_clear)

static void part_slice_add(PartTrimmedRows *t, const char *str)
{
	char *copy = g_strdup(str);
	g_ptr_array_add(t->owned, copy);
	StoreSlice s = {copy, strlen(copy)};
	g_array_append_val(t->strs, s);
}

/* One row's parameters, trimmed, appended to t->strs as pairs; the row points at them. */
static void part_trim_row_params(PartOp *op, PartTrimmedRows *t, StorePartitionRow *row)
{
	g_autoptr(JsonObject) params = json_object_new();
	const StoreSlice *strs = t->rows.strs;
	for (guint i = 0; i < row->n_params; i++) {
		const StoreSlice *k = &strs[row->params + 2 * i], *v = &strs[row->params + 2 * i + 1];
		g_autofree char *key = g_strndup(k->str, k->len), *value = g_strndup(v->str, v->len);
		json_object_set_string_member(params, key, value);
	}
	catalog_trim_params(params, op->hidden);
	row->params = t->strs->len;
	row->n_params = json_object_get_size(params);
	JsonObjectIter it;
	const char *key;
	JsonNode *n;
	json_object_iter_init(&it, params);
	while (json_object_iter_next(&it, &key, &n)) {
		part_slice_add(t, key);
		part_slice_add(t, json_node_get_string(n));
	}
}

/* The batch as a column-limited caller may read it: each row's parameters trimmed. */
static void part_trim_rows(PartOp *op, const StorePartitionRows *in, PartTrimmedRows *t)
{
	if (op->hidden == NULL)
		op->hidden = catalog_authz_hidden_columns(op->facts, op->tname, op->table, NULL);
	t->rows = *in;
	t->items = g_memdup2(in->rows, sizeof(StorePartitionRow) * in->n);
	guint nstrs = 0;
	for (guint i = 0; i < in->n; i++) {
		const StorePartitionRow *r = &in->rows[i];
		nstrs = MAX(nstrs, MAX(r->values + r->n_values, r->params + 2 * r->n_params));
	}
	t->strs = g_array_sized_new(FALSE, FALSE, sizeof(StoreSlice), nstrs);
	g_array_append_vals(t->strs, in->strs, nstrs);
	t->owned = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < in->n; i++)
		if (t->items[i].has_params)
			part_trim_row_params(op, t, &t->items[i]);
	t->rows.rows = t->items;
	t->rows.strs = (const StoreSlice *)t->strs->data;
}

/*
 * Forwards a row batch to the door's sink: the names to stamp, and each new shared descriptor
 * parsed once and, for a caller who sees only some columns, trimmed once (not per partition).
 */
static gboolean part_forward_rows(gpointer user, const StorePartitionRows *rows, GError **error)
{
	PartForward *f = user;
	PartOp *op = f->op;
	g_autofree CatalogPartitionSd *sds = g_new0(CatalogPartitionSd, rows->n_new_sds + 1);
	gboolean ok = TRUE;
	guint n = 0;
	for (; ok && n < rows->n_new_sds; n++) {
		g_autoptr(JsonNode) node = json_from_string(rows->new_sds[n].doc, NULL);
		if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INTERNAL,
			            "stored storage descriptor %" G_GINT64_FORMAT " is not a JSON object", rows->new_sds[n].id);
			ok = FALSE;
			break;
		}
		JsonObject *sd = json_object_ref(json_node_get_object(node));
		if (op->trim) {
			g_autoptr(JsonObject) holder = json_object_new();
			json_object_set_object_member(holder, "StorageDescriptor", json_object_ref(sd));
			catalog_authz_trim_doc(op->facts, op->tname, op->table, holder);
		}
		sds[n] = (CatalogPartitionSd){rows->new_sds[n].id, sd};
	}
	g_auto(PartTrimmedRows) trimmed = {0};
	if (op->trim) {
		part_trim_rows(op, rows, &trimmed);
		rows = &trimmed.rows;
	}
	CatalogPartitionRows out = {op->catname, op->dbname, op->tname, rows, rows->sd_reset, sds, n};
	ok = ok && f->sink->rows(f->sink->user, &out, error);
	for (guint i = 0; i < n; i++)
		json_object_unref(sds[i].doc);
	return ok;
}

/* The listing behind every get_partitions* and get_partition_names*; see catalog.h. */
gboolean catalog_list_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                 const char *table, const CatalogPartitionQuery *q, const CatalogPartitionSink *sink,
                                 GError **error)
{
	g_auto(PartOp) op;
	if (!part_op_open(cat, ctx, catalog, db, table, PART_SNAPSHOT, AUTHZ_DESCRIBE, MISSING_NOT_FOUND, &op, error))
		return part_op_close(&op, FALSE, NULL);
	g_autoptr(PartFilterNode) ast = NULL;
	gboolean ok = part_spec_check(&op, q->spec, error) &&
	              catalog_partition_filter_prepare(q->filter, op.keys, &ast, error);
	StorePartitionWhere w = {.filter = ast, .keys = op.keys, .spec = (GPtrArray *)q->spec};
	gint64 count = 0;
	if (ok) {
		GError *serr = NULL;
		ok = store_partition_count(op.work.conn, op.table_id, &w, &count, &serr);
		if (!ok)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	if (ok && q->max_parts >= 0 && count > q->max_parts)
		count = q->max_parts;
	ok = ok && sink->begin(sink->user, count, error);
	if (ok && count > 0) {
		PartForward f = {&op, sink, q->names_only};
		GError *serr = NULL;
		if (sink->rows != NULL && !q->names_only)
			ok = store_partition_scan_rows(op.work.conn, op.table_id, &w, count, PART_BATCH, part_forward_rows, &f,
			                               &serr);
		else
			ok = store_partition_scan(op.work.conn, op.table_id, &w, count, q->names_only, PART_BATCH, part_forward,
			                          &f, &serr);
		if (!ok && serr != NULL) {
			if (serr->domain == STORE_ERROR)
				catalog_error_from_store(serr, NULL, NULL, error);
			else
				g_propagate_error(error, serr);
		}
	}
	return part_op_close(&op, ok, ok ? error : NULL);
}

/* Collecting sink for callers that want the whole list at once. */
static gboolean part_collect_begin(gpointer user, gint64 count, GError **error)
{
	return TRUE;
}

static gboolean part_collect_batch(gpointer user, GPtrArray *batch, GError **error)
{
	GPtrArray *all = user;
	gsize n = 0;
	gpointer *items = g_ptr_array_steal(batch, &n); /* moved into all: the batch frees nothing */
	for (gsize i = 0; i < n; i++)
		g_ptr_array_add(all, items[i]);
	g_free(items);
	return TRUE;
}

/* The whole listing in one array; see catalog.h. */
GPtrArray *catalog_list_partitions_all(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                       const char *table, const CatalogPartitionQuery *q, GError **error)
{
	GPtrArray *all = q->names_only ? g_ptr_array_new_with_free_func(g_free)
	                               : g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	CatalogPartitionSink sink = {part_collect_begin, part_collect_batch, all, NULL};
	if (!catalog_list_partitions(cat, ctx, catalog, db, table, q, &sink, error)) {
		g_ptr_array_unref(all);
		return NULL;
	}
	return all;
}

/* get_num_partitions_by_filter; see catalog.h. */
gboolean catalog_count_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *table, const char *filter, gint64 *count, GError **error)
{
	g_auto(PartOp) op;
	if (!part_op_open(cat, ctx, catalog, db, table, PART_READ, AUTHZ_DESCRIBE, MISSING_NOT_FOUND, &op, error))
		return part_op_close(&op, FALSE, NULL);
	g_autoptr(PartFilterNode) ast = NULL;
	gboolean ok = catalog_partition_filter_prepare(filter, op.keys, &ast, error);
	if (ok) {
		StorePartitionWhere w = {.filter = ast, .keys = op.keys};
		GError *serr = NULL;
		ok = store_partition_count(op.work.conn, op.table_id, &w, count, &serr);
		if (!ok)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	return part_op_close(&op, ok, NULL);
}

/*
 * Checks and fills an altered partition from its old document (create time, location, ddl
 * time). A new location outside the table's own needs DATA_LOCATION_ACCESS when it lies under a
 * registered location, as adding a partition there does (issue 15: alter_partition(s),
 * rename_partition and Glue's UpdatePartition took any location with ALTER alone); keeping the
 * old location needs nothing more than ALTER.
 */
static gboolean part_prepare_alter(PartOp *op, JsonObject *old, JsonObject *doc, GError **error)
{
	if (!catalog_doc_check_text(doc, error))
		return FALSE;
	json_object_set_string_member(doc, "DatabaseName", op->dbname);
	json_object_set_string_member(doc, "TableName", op->tname);
	json_object_remove_member(doc, "CatalogName");
	gint64 created = json_object_has_member(doc, "CreationTime") ? json_object_get_int_member(doc, "CreationTime") : 0;
	if (created == 0 && json_object_has_member(old, "CreationTime"))
		json_object_set_int_member(doc, "CreationTime", json_object_get_int_member(old, "CreationTime"));
	part_touch_ddl_time(op, doc);
	JsonObject *sd = part_sd(doc), *oldsd = part_sd(old);
	const char *loc = sd ? catalog_json_str(sd, "Location") : NULL;
	const char *oldloc = oldsd ? catalog_json_str(oldsd, "Location") : NULL;
	if (sd && (loc == NULL || *loc == '\0') && oldloc)
		json_object_set_string_member(sd, "Location", oldloc);
	else if (loc && *loc && g_strcmp0(loc, oldloc) != 0 && !part_under_table(op, loc) &&
	         !catalog_authz_location(&op->work, op->ctx, op->facts, loc, error))
		return FALSE;
	return part_authz_skewed(op, sd, oldsd, error);
}

/* Writes docs over the partitions named old_names; the first missing one fails the whole batch. */
static gboolean part_write_over(PartOp *op, GPtrArray *old_names, GPtrArray *docs, GPtrArray *names, GError **error)
{
	g_autoptr(GPtrArray) olds = NULL;
	GError *serr = NULL;
	olds = store_partition_get_by_names(op->work.conn, op->table_id, old_names, &serr);
	if (olds == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	g_autoptr(GHashTable) by_name = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < olds->len; i++) {
		g_autoptr(GPtrArray) v = part_doc_values(g_ptr_array_index(olds, i));
		g_autofree char *n = part_name_of(op, v, NULL);
		if (n)
			g_hash_table_insert(by_name, (gpointer)g_intern_string(n), g_ptr_array_index(olds, i));
	}
	for (guint i = 0; i < old_names->len; i++) {
		JsonObject *old = g_hash_table_lookup(by_name, g_intern_string(g_ptr_array_index(old_names, i)));
		if (old == NULL) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION,
			            "alter is not possible: partition %s of %s.%s does not exist",
			            (char *)g_ptr_array_index(old_names, i), op->dbname, op->tname);
			return FALSE;
		}
		if (!part_prepare_alter(op, old, g_ptr_array_index(docs, i), error))
			return FALSE;
	}
	g_autoptr(GPtrArray) done = store_partition_update_batch(op->work.conn, op->table_id, old_names, docs, names, &serr);
	if (done == NULL) {
		gboolean unique = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_UNIQUE;
		part_store_error(serr, names->len == 1 ? g_ptr_array_index(names, 0) : NULL, op, error);
		if (unique && error && *error)
			(*error)->code = CATALOG_ERROR_INVALID_OPERATION;
		return FALSE;
	}
	/* one ALTER_PARTITION per partition, as Hive fires them; the last statements of the write */
	for (guint i = 0; i < old_names->len; i++) {
		JsonObject *old = g_hash_table_lookup(by_name, g_intern_string(g_ptr_array_index(old_names, i)));
		JsonObject *doc = g_ptr_array_index(docs, i);
		part_stamp_names(op, old);
		part_stamp_names(op, doc);
		if (!catalog_notify_alter_partition(&op->work, op->catname, part_notify_table(op), old, doc, error))
			return FALSE;
	}
	return TRUE;
}

/* alter_partition(s): all or nothing; see catalog.h. */
gboolean catalog_alter_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *table, GPtrArray *parts, GError **error)
{
	g_auto(PartOp) op;
	if (!part_op_open(cat, ctx, catalog, db, table, PART_WRITE, AUTHZ_ALTER, MISSING_ALTER, &op, error))
		return part_op_close(&op, FALSE, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < parts->len; i++) {
		g_autoptr(GPtrArray) vals = part_doc_values(g_ptr_array_index(parts, i));
		char *n = part_name_of(&op, vals, error);
		ok = n != NULL;
		if (ok)
			g_ptr_array_add(names, n);
	}
	ok = ok && (parts->len == 0 || part_write_over(&op, names, parts, names, error));
	return part_op_close(&op, ok, error);
}

/* rename_partition: new values for the partition at old_values; see catalog.h. */
gboolean catalog_rename_partition(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                  const char *table, GPtrArray *old_values, JsonObject *part, GError **error)
{
	g_auto(PartOp) op;
	if (!part_op_open(cat, ctx, catalog, db, table, PART_WRITE, AUTHZ_ALTER, MISSING_ALTER, &op, error))
		return part_op_close(&op, FALSE, NULL);
	g_autoptr(GPtrArray) olds = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) news = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) newvals = part_doc_values(part);
	char *oldn = part_name_of(&op, old_values, error);
	char *newn = oldn ? part_name_of(&op, newvals, error) : NULL;
	gboolean ok = oldn != NULL && newn != NULL;
	if (oldn)
		g_ptr_array_add(olds, oldn);
	if (newn)
		g_ptr_array_add(news, newn);
	if (ok && !part_table_is_external(op.table)) {
		/* a managed table's partition directory follows its new name (Hive's renamePartition) */
		g_autofree char *def = part_default_location(&op, newn);
		JsonObject *sd = part_sd(part);
		if (def && sd)
			json_object_set_string_member(sd, "Location", def);
	}
	g_autoptr(GPtrArray) docs = g_ptr_array_new();
	g_ptr_array_add(docs, part);
	ok = ok && part_write_over(&op, olds, docs, news, error);
	return part_op_close(&op, ok, error);
}

/* drop_partition(s): all or nothing; see catalog.h. */
/* A drop's rows on their way to the door: their values kept for the events. */
typedef struct {
	PartForward forward;
	GPtrArray *values; /* per partition, a GPtrArray of its values (char*) */
} PartDropRows;

static gboolean part_drop_rows(gpointer user, const StorePartitionRows *rows, GError **error)
{
	PartDropRows *d = user;
	for (guint i = 0; i < rows->n; i++) {
		const StorePartitionRow *r = &rows->rows[i];
		GPtrArray *v = g_ptr_array_new_full(r->n_values, g_free);
		for (guint k = 0; k < r->n_values; k++) {
			const StoreSlice *s = &rows->strs[r->values + k];
			g_ptr_array_add(v, g_strndup(s->str, s->len));
		}
		g_ptr_array_add(d->values, v);
	}
	return part_forward_rows(&d->forward, rows, error);
}

/* drop_partitions by names with the dropped partitions handed over as rows; see catalog.h. */
gboolean catalog_drop_partition_rows(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                     const char *table, GPtrArray *names, gboolean if_exists,
                                     const CatalogPartitionSink *sink, GError **error)
{
	g_auto(PartOp) op;
	if (!part_op_open(cat, ctx, catalog, db, table, PART_WRITE, AUTHZ_ALTER, MISSING_NOT_FOUND, &op, error))
		return part_op_close(&op, FALSE, NULL);
	g_autoptr(GPtrArray) stored = part_resolve_names(&op, names, NULL, error);
	gboolean ok = stored != NULL;
	PartDropRows d = {.forward = {&op, sink, FALSE}, .values = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref)};
	guint deleted = 0;
	if (ok) {
		GError *serr = NULL;
		ok = store_partition_delete_rows(op.work.conn, op.table_id, stored, part_drop_rows, &d, &deleted, &serr);
		if (!ok && serr != NULL) {
			if (serr->domain == STORE_ERROR)
				catalog_error_from_store(serr, NULL, NULL, error);
			else
				g_propagate_error(error, serr);
		}
	}
	if (ok && deleted < stored->len && !if_exists) {
		if (stored->len == 1)
			part_not_found(&op, g_ptr_array_index(stored, 0), error);
		else
			g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Some partitions to drop are missing");
		ok = FALSE;
	}
	if (ok && d.values->len > 0)
		ok = catalog_notify_drop_partition_values(&op.work, op.catname, part_notify_table(&op), d.values, error);
	g_ptr_array_unref(d.values);
	return part_op_close(&op, ok, ok ? error : NULL);
}

GPtrArray *catalog_drop_partitions(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                   const char *table, GPtrArray *names, GPtrArray *values, const char *filter,
                                   gboolean if_exists, GError **error)
{
	g_auto(PartOp) op;
	if (!part_op_open(cat, ctx, catalog, db, table, PART_WRITE, AUTHZ_ALTER, MISSING_NOT_FOUND, &op, error)) {
		part_op_close(&op, FALSE, NULL);
		return NULL;
	}
	g_autoptr(GPtrArray) stored = NULL;
	gboolean ok = TRUE;
	if (filter != NULL) {
		CatalogPartitionQuery q = {.filter = filter, .max_parts = -1, .names_only = TRUE};
		g_autoptr(PartFilterNode) ast = NULL;
		ok = catalog_partition_filter_prepare(filter, op.keys, &ast, error);
		StorePartitionWhere w = {.filter = ast, .keys = op.keys};
		stored = g_ptr_array_new_with_free_func(g_free);
		CatalogPartitionSink sink = {part_collect_begin, part_collect_batch, stored, NULL};
		PartForward f = {&op, &sink, TRUE};
		GError *serr = NULL;
		if (ok && !store_partition_scan(op.work.conn, op.table_id, &w, -1, TRUE, PART_BATCH, part_forward, &f, &serr)) {
			catalog_error_from_store(serr, NULL, NULL, error);
			ok = FALSE;
		}
		(void)q;
	} else {
		stored = part_resolve_names(&op, names, values, error);
		ok = stored != NULL;
	}
	GPtrArray *dropped = NULL;
	if (ok) {
		GError *serr = NULL;
		dropped = store_partition_delete_by_names(op.work.conn, op.table_id, stored, &serr);
		if (dropped == NULL) {
			catalog_error_from_store(serr, NULL, NULL, error);
			ok = FALSE;
		} else if (dropped->len < stored->len && !if_exists && filter == NULL) {
			if (stored->len == 1)
				part_not_found(&op, g_ptr_array_index(stored, 0), error);
			else
				g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Some partitions to drop are missing");
			ok = FALSE;
		}
	}
	if (ok) {
		part_stamp_names_all(&op, dropped);
		ok = part_notify_drops(&op, dropped, error);
	}
	if (!part_op_close(&op, ok, error)) {
		if (dropped)
			g_ptr_array_unref(dropped);
		return NULL;
	}
	return part_stamp_all(&op, dropped);
}
