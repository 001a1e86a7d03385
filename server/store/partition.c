/*
 * partition.c — a table's partitions: batch writes in one statement, reads by name, and the
 * value-ordered scan that streams 100,000 partitions in batches.
 *
 * A partition is one row of `partitions` (table_id, part_values, Hive name, doc, location,
 * sd_id). Its StorageDescriptor is split on write: the Location goes to the location column
 * and the rest is stored once per distinct content in partition_sds (0002_partitions.sql), so
 * partitions laid out like their table share one descriptor row. Reads rebuild the document:
 * the shared descriptor (parsed once per scan and cached by id) plus the location.
 * Batches pass their rows as parallel text arrays to unnest(), so N partitions are one
 * statement. Scans page by key (part_values > the last one seen) in the caller's snapshot;
 * the caller opens it with store_begin_snapshot() so the count and the pages agree.
 * Fixed statements are prepared once per connection; a statement carrying a partition filter
 * (its shape depends on the filter) runs as an unnamed parameterized statement, its literals
 * always bind parameters (store/partfilter_sql.c). All functions run in the caller's transaction.
 */
#include "store/store_internal.h"

#include <string.h>

#include "store/partfilter_sql.h"

/* The columns a document is rebuilt from: doc, location, sd_id, part_values, name. */
#define PART_DOC_COLS "p.doc::text, p.location, p.sd_id, p.part_values::text, p.name"

/* A PostgreSQL text[] literal of strings, NULL elements as NULL. */
static char *part_array_literal(GPtrArray *items)
{
	GString *s = g_string_new("{");
	for (guint i = 0; items != NULL && i < items->len; i++) {
		if (i > 0)
			g_string_append_c(s, ',');
		const char *item = g_ptr_array_index(items, i);
		if (item == NULL) {
			g_string_append(s, "NULL");
			continue;
		}
		g_string_append_c(s, '"');
		for (const char *p = item; *p; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_c(s, '\\');
			g_string_append_c(s, *p);
		}
		g_string_append_c(s, '"');
	}
	g_string_append_c(s, '}');
	return g_string_free(s, FALSE);
}

/* The "Values" of a partition document as a text[] literal. */
static char *part_values_literal(JsonObject *doc)
{
	g_autoptr(GPtrArray) vals = g_ptr_array_new();
	JsonNode *n = json_object_get_member(doc, "Values");
	JsonArray *arr = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
		JsonNode *e = json_array_get_element(arr, i);
		g_ptr_array_add(vals, (gpointer)(JSON_NODE_HOLDS_VALUE(e) ? json_node_get_string(e) : NULL));
	}
	return part_array_literal(vals);
}

/* The parallel arrays a batch write sends: values literals, names, docs, locations, descriptors. */
typedef struct {
	GPtrArray *vals, *names, *docs, *locs, *sds;
} PartColumns;

static void part_columns_init(PartColumns *c)
{
	c->vals = g_ptr_array_new_with_free_func(g_free);
	c->names = g_ptr_array_new_with_free_func(g_free);
	c->docs = g_ptr_array_new_with_free_func(g_free);
	c->locs = g_ptr_array_new_with_free_func(g_free);
	c->sds = g_ptr_array_new_with_free_func(g_free);
}

static void part_columns_clear(PartColumns *c)
{
	g_ptr_array_unref(c->vals);
	g_ptr_array_unref(c->names);
	g_ptr_array_unref(c->docs);
	g_ptr_array_unref(c->locs);
	g_ptr_array_unref(c->sds);
}

/* Splits one document into the row's columns: the descriptor without Location is shared. */
static void part_columns_add(PartColumns *c, JsonObject *doc, const char *name)
{
	g_ptr_array_add(c->vals, part_values_literal(doc));
	g_ptr_array_add(c->names, g_strdup(name));
	g_ptr_array_add(c->docs, store_json_text(doc, "StorageDescriptor"));
	JsonNode *sdn = json_object_get_member(doc, "StorageDescriptor");
	JsonObject *sd = sdn && JSON_NODE_HOLDS_OBJECT(sdn) ? json_node_get_object(sdn) : NULL;
	g_ptr_array_add(c->locs, g_strdup(sd ? store_json_string(sd, "Location", NULL) : NULL));
	g_ptr_array_add(c->sds, sd ? store_json_text(sd, "Location") : NULL);
}

/* The table's id and document; NOT_FOUND when missing. */
JsonObject *store_partition_table(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                  gboolean for_update, gint64 *table_id, GError **error)
{
#define PT_SELECT                                                                                                      \
	"SELECT t.id, t.doc::text, t.version FROM tables t JOIN databases d ON d.id = t.database_id"                      \
	" JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = $1 AND d.name = $2 AND t.name = $3"
	static const char sql[] = PT_SELECT;
	static const char sql_lock[] = PT_SELECT " FOR UPDATE OF t";
#undef PT_SELECT
	const char *params[] = {catalog, db, table};
	g_autoptr(PGresult) res = for_update ? store_exec(conn, "part_table_lock", sql_lock, 3, params, error)
	                                     : store_exec(conn, "part_table", sql, 3, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "table %s.%s.%s not found", catalog, db, table);
		return NULL;
	}
	JsonObject *doc = store_json_parse_object(PQgetvalue(res, 0, 1), error);
	if (doc == NULL)
		return NULL;
	json_object_set_string_member(doc, "VersionId", PQgetvalue(res, 0, 2));
	*table_id = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	return doc;
}

/* The input rows of a batch write and their shared descriptors, upserted so every row finds its id. */
#define PART_INPUT_CTE                                                                                                 \
	"WITH u AS (SELECT x.vals::text[] AS vals, x.name, x.doc::jsonb AS doc, x.loc, x.sd::jsonb AS sd,"               \
	" md5(x.sd::jsonb::text) AS h, x.ord FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])"   \
	" WITH ORDINALITY AS x(vals, name, doc, loc, sd, ord)),"                                                        \
	" s AS (INSERT INTO partition_sds (table_id, hash, doc) SELECT DISTINCT ON (h) $1::bigint, h, sd FROM u"         \
	" WHERE sd IS NOT NULL ON CONFLICT (table_id, hash) DO UPDATE SET hash = EXCLUDED.hash RETURNING id, hash)"

/* Inserts a batch in one statement; see store.h. */
GPtrArray *store_partition_insert_batch(StoreConn *conn, gint64 table_id, GPtrArray *docs, GPtrArray *names,
                                        GError **error)
{
	static const char sql[] = PART_INPUT_CTE
	    " INSERT INTO partitions (table_id, part_values, name, doc, location, sd_id)"
	    " SELECT $1::bigint, u.vals, u.name, u.doc, u.loc, s.id FROM u LEFT JOIN s ON s.hash = u.h ORDER BY u.ord"
	    " ON CONFLICT (table_id, part_values) DO NOTHING RETURNING name";
	g_return_val_if_fail(docs->len == names->len, NULL);
	PartColumns c;
	part_columns_init(&c);
	for (guint i = 0; i < docs->len; i++)
		part_columns_add(&c, g_ptr_array_index(docs, i), g_ptr_array_index(names, i));
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, table_id);
	g_autofree char *a1 = part_array_literal(c.vals), *a2 = part_array_literal(c.names);
	g_autofree char *a3 = part_array_literal(c.docs), *a4 = part_array_literal(c.locs);
	g_autofree char *a5 = part_array_literal(c.sds);
	part_columns_clear(&c);
	const char *params[] = {id, a1, a2, a3, a4, a5};
	g_autoptr(PGresult) res = store_exec(conn, "part_insert_batch", sql, 6, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *inserted = g_ptr_array_new_full(PQntuples(res), g_free);
	for (int r = 0; r < PQntuples(res); r++)
		g_ptr_array_add(inserted, g_strdup(PQgetvalue(res, r, 0)));
	return inserted;
}

/* Replaces partitions found by old name in one statement; see store.h. */
GPtrArray *store_partition_update_batch(StoreConn *conn, gint64 table_id, GPtrArray *old_names, GPtrArray *docs,
                                        GPtrArray *names, GError **error)
{
	static const char sql[] = PART_INPUT_CTE
	    " UPDATE partitions p SET part_values = u.vals, name = u.name, doc = u.doc, location = u.loc, sd_id = s.id"
	    " FROM u LEFT JOIN s ON s.hash = u.h, unnest($7::text[]) WITH ORDINALITY AS o(old, ord)"
	    " WHERE o.ord = u.ord AND p.table_id = $1::bigint AND p.name = o.old RETURNING o.old";
	g_return_val_if_fail(docs->len == names->len && docs->len == old_names->len, NULL);
	PartColumns c;
	part_columns_init(&c);
	for (guint i = 0; i < docs->len; i++)
		part_columns_add(&c, g_ptr_array_index(docs, i), g_ptr_array_index(names, i));
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, table_id);
	g_autofree char *a1 = part_array_literal(c.vals), *a2 = part_array_literal(c.names);
	g_autofree char *a3 = part_array_literal(c.docs), *a4 = part_array_literal(c.locs);
	g_autofree char *a5 = part_array_literal(c.sds), *a6 = part_array_literal(old_names);
	part_columns_clear(&c);
	const char *params[] = {id, a1, a2, a3, a4, a5, a6};
	g_autoptr(PGresult) res = store_exec(conn, "part_update_batch", sql, 7, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *updated = g_ptr_array_new_full(PQntuples(res), g_free);
	for (int r = 0; r < PQntuples(res); r++)
		g_ptr_array_add(updated, g_strdup(PQgetvalue(res, r, 0)));
	return updated;
}

/* ---- reading: documents rebuilt with their shared descriptors ---- */

/* Parsed shared descriptors by id (text), for one read or one scan. */
typedef struct {
	GHashTable *sds; /* id text → JsonObject (without Location) */
} PartReader;

#define PART_SD_CACHE_MAX 256

static void part_reader_init(PartReader *r)
{
	r->sds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_object_unref);
}

static void part_reader_clear(PartReader *r)
{
	g_hash_table_unref(r->sds);
}

/* Loads the descriptors of res's sd_id column (col) that the reader does not hold, in one statement. */
static gboolean part_reader_load(StoreConn *conn, PartReader *r, PGresult *res, int col, GError **error)
{
	static const char sql[] = "SELECT id, doc::text FROM partition_sds WHERE id = ANY ($1::bigint[])";
	g_autoptr(GPtrArray) want = g_ptr_array_new();
	g_autoptr(GHashTable) asked = g_hash_table_new(g_str_hash, g_str_equal);
	for (int row = 0; row < PQntuples(res); row++) {
		if (PQgetisnull(res, row, col))
			continue;
		char *id = PQgetvalue(res, row, col);
		if (!g_hash_table_contains(r->sds, id) && g_hash_table_add(asked, id))
			g_ptr_array_add(want, id);
	}
	if (want->len == 0)
		return TRUE;
	if (g_hash_table_size(r->sds) + want->len > PART_SD_CACHE_MAX)
		g_hash_table_remove_all(r->sds);
	g_autofree char *ids = part_array_literal(want);
	const char *params[] = {ids};
	g_autoptr(PGresult) sds = store_exec(conn, "part_sds_get", sql, 1, params, error);
	if (sds == NULL)
		return FALSE;
	for (int row = 0; row < PQntuples(sds); row++) {
		JsonObject *sd = store_json_parse_object(PQgetvalue(sds, row, 1), error);
		if (sd == NULL)
			return FALSE;
		g_hash_table_insert(r->sds, g_strdup(PQgetvalue(sds, row, 0)), sd);
	}
	return TRUE;
}

/* The document of row `row` (columns as PART_DOC_COLS) with its descriptor rebuilt. */
static JsonObject *part_reader_doc(PartReader *r, PGresult *res, int row, GError **error)
{
	JsonObject *doc = store_json_parse_object(PQgetvalue(res, row, 0), error);
	if (doc == NULL || PQgetisnull(res, row, 2))
		return doc;
	JsonObject *shared = g_hash_table_lookup(r->sds, PQgetvalue(res, row, 2));
	JsonObject *sd = json_object_new();
	if (shared != NULL) {
		JsonObjectIter it;
		const char *member;
		JsonNode *node;
		json_object_iter_init(&it, shared);
		while (json_object_iter_next(&it, &member, &node))
			json_object_set_member(sd, member, json_node_copy(node));
	}
	if (!PQgetisnull(res, row, 1))
		json_object_set_string_member(sd, "Location", PQgetvalue(res, row, 1));
	json_object_set_object_member(doc, "StorageDescriptor", sd);
	return doc;
}

/* All documents of a result (PART_DOC_COLS), in row order. */
static GPtrArray *part_docs_from_result(StoreConn *conn, PartReader *r, PGresult *res, GError **error)
{
	if (!part_reader_load(conn, r, res, 2, error))
		return NULL;
	g_autoptr(GPtrArray) docs = g_ptr_array_new_full(PQntuples(res), (GDestroyNotify)json_object_unref);
	for (int row = 0; row < PQntuples(res); row++) {
		JsonObject *doc = part_reader_doc(r, res, row, error);
		if (doc == NULL)
			return NULL;
		g_ptr_array_add(docs, doc);
	}
	return g_steal_pointer(&docs);
}

/* Partitions by Hive name, in the order of names; see store.h. */
GPtrArray *store_partition_get_by_names(StoreConn *conn, gint64 table_id, GPtrArray *names, GError **error)
{
	static const char sql[] = "SELECT " PART_DOC_COLS " FROM partitions p"
	                          " WHERE p.table_id = $1::bigint AND p.name = ANY ($2::text[])"
	                          " ORDER BY array_position($2::text[], p.name)";
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, table_id);
	g_autofree char *list = part_array_literal(names);
	const char *params[] = {id, list};
	g_autoptr(PGresult) res = store_exec(conn, "part_get_by_names", sql, 2, params, error);
	if (res == NULL)
		return NULL;
	PartReader r;
	part_reader_init(&r);
	GPtrArray *docs = part_docs_from_result(conn, &r, res, error);
	part_reader_clear(&r);
	return docs;
}

/* Deletes partitions by name in one statement; see store.h. */
GPtrArray *store_partition_delete_by_names(StoreConn *conn, gint64 table_id, GPtrArray *names, GError **error)
{
	static const char sql[] = "DELETE FROM partitions p WHERE p.table_id = $1::bigint AND p.name = ANY ($2::text[])"
	                          " RETURNING " PART_DOC_COLS;
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, table_id);
	g_autofree char *list = part_array_literal(names);
	const char *params[] = {id, list};
	g_autoptr(PGresult) res = store_exec(conn, "part_delete_by_names", sql, 2, params, error);
	if (res == NULL)
		return NULL;
	PartReader r;
	part_reader_init(&r);
	GPtrArray *docs = part_docs_from_result(conn, &r, res, error);
	part_reader_clear(&r);
	return docs;
}

/* Rewrites locations under old_prefix to new_prefix for a table's partitions; see store.h. */
gboolean store_partition_relocate(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                  const char *old_prefix, const char *new_prefix, GError **error)
{
	static const char sql[] =
	    "UPDATE partitions p SET location = $5 || substr(p.location, length($4) + 1)"
	    " FROM tables t JOIN databases d ON d.id = t.database_id JOIN catalogs c ON c.id = d.catalog_id"
	    " WHERE c.name = $1 AND d.name = $2 AND t.name = $3 AND p.table_id = t.id"
	    " AND (p.location = $4 OR left(p.location, length($4) + 1) = $4 || '/')";
	const char *params[] = {catalog, db, table, old_prefix, new_prefix};
	g_autoptr(PGresult) res = store_exec(conn, "part_relocate", sql, 5, params, error);
	return res != NULL;
}

/* Opens a read-only REPEATABLE READ transaction: one snapshot for a count and its pages. */
gboolean store_begin_snapshot(StoreConn *conn, GError **error)
{
	g_autoptr(PGresult) res = PQexec(conn->pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	return store_result_ok(conn, res, "BEGIN REPEATABLE READ", error);
}

/* ---- the scan: WHERE clauses from a few fixed pieces and, maybe, a checked filter ---- */

/* SQL and parameters of one scan statement. */
typedef struct {
	GString *sql;
	GPtrArray *params; /* char*, owned */
	gboolean fixed;    /* no filter: the SQL is one of a few fixed texts, prepared by name */
	GString *stmt;     /* statement name when fixed */
} PartQuery;

/* Builds `SELECT <cols> FROM partitions p WHERE ... [ORDER BY ... LIMIT]` for w. */
static void part_query_build(PartQuery *q, gint64 table_id, const StorePartitionWhere *w, const char *cols,
                             const char *after, gint64 limit)
{
	q->sql = g_string_new(NULL);
	q->stmt = g_string_new("part_q");
	q->params = g_ptr_array_new_with_free_func(g_free);
	q->fixed = w == NULL || w->filter == NULL;
	g_string_append_printf(q->sql, "SELECT %s FROM partitions p WHERE p.table_id = $1::bigint", cols);
	g_string_append(q->stmt, cols[0] == 'c' ? "_count" : strstr(cols, "doc") ? "_docs" : "_names");
	g_ptr_array_add(q->params, g_strdup_printf("%" G_GINT64_FORMAT, table_id));
	if (w && w->spec) {
		g_ptr_array_add(q->params, part_array_literal(w->spec));
		g_string_append_printf(q->sql,
		                       " AND NOT EXISTS (SELECT 1 FROM unnest($%u::text[]) WITH ORDINALITY AS s(v, i)"
		                       " WHERE s.v <> '' AND s.v IS DISTINCT FROM p.part_values[s.i])",
		                       q->params->len);
		g_string_append(q->stmt, "_ps");
	}
	if (after) {
		g_ptr_array_add(q->params, g_strdup(after));
		g_string_append_printf(q->sql, " AND p.part_values > $%u::text[]", q->params->len);
		g_string_append(q->stmt, "_after");
	}
	if (limit >= 0) {
		g_ptr_array_add(q->params, g_strdup_printf("%" G_GINT64_FORMAT, limit));
		/* the limit's number is fixed before the filter's literals are numbered */
	}
	guint limit_param = q->params->len;
	if (w && w->filter) {
		g_autofree char *expr = partfilter_sql(w->filter, w->keys, "p.part_values", q->params, q->params->len + 1);
		g_string_append_printf(q->sql, " AND (%s)", expr ? expr : "false");
	}
	if (limit >= 0) {
		g_string_append_printf(q->sql, " ORDER BY p.part_values LIMIT $%u::bigint", limit_param);
		g_string_append(q->stmt, "_page");
	}
}

static void part_query_clear(PartQuery *q)
{
	g_string_free(q->sql, TRUE);
	g_string_free(q->stmt, TRUE);
	g_ptr_array_unref(q->params);
}

/* Runs a built query: fixed shapes as named prepared statements, filtered ones unnamed. */
static PGresult *part_query_run(StoreConn *conn, PartQuery *q, GError **error)
{
	if (q->fixed)
		return store_exec(conn, g_intern_string(q->stmt->str), g_intern_string(q->sql->str), (int)q->params->len,
		                  (const char *const *)q->params->pdata, error);
	PGresult *res = PQexecParams(conn->pg, q->sql->str, (int)q->params->len, NULL,
	                             (const char *const *)q->params->pdata, NULL, NULL, 0);
	if (!store_result_ok(conn, res, "partition filter query", error)) {
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Counts the partitions w selects; see store.h. */
gboolean store_partition_count(StoreConn *conn, gint64 table_id, const StorePartitionWhere *w, gint64 *count,
                               GError **error)
{
	PartQuery q;
	part_query_build(&q, table_id, w, "count(*)", NULL, -1);
	g_autoptr(PGresult) res = part_query_run(conn, &q, error);
	part_query_clear(&q);
	if (res == NULL)
		return FALSE;
	*count = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	return TRUE;
}

/* Streams the selected partitions in value order, batch by batch; see store.h. */
gboolean store_partition_scan(StoreConn *conn, gint64 table_id, const StorePartitionWhere *w, gint64 limit,
                              gboolean names_only, guint batch_size, StorePartitionBatchFunc fn, gpointer user,
                              GError **error)
{
	const char *cols = names_only ? "p.name, p.part_values::text" : PART_DOC_COLS;
	int key_col = names_only ? 1 : 3;
	g_autofree char *after = NULL;
	gint64 left = limit < 0 ? G_MAXINT64 : limit;
	PartReader r;
	part_reader_init(&r);
	gboolean ok = TRUE;
	while (ok && left > 0) {
		PartQuery q;
		part_query_build(&q, table_id, w, cols, after, MIN(left, (gint64)batch_size));
		g_autoptr(PGresult) res = part_query_run(conn, &q, error);
		part_query_clear(&q);
		if (res == NULL) {
			ok = FALSE;
			break;
		}
		int n = PQntuples(res);
		if (n == 0)
			break;
		g_autoptr(GPtrArray) batch = NULL;
		if (names_only) {
			batch = g_ptr_array_new_full(n, g_free);
			for (int row = 0; row < n; row++)
				g_ptr_array_add(batch, g_strdup(PQgetvalue(res, row, 0)));
		} else {
			batch = part_docs_from_result(conn, &r, res, error);
		}
		ok = batch != NULL && fn(user, batch, error);
		g_free(after);
		after = g_strdup(PQgetvalue(res, n - 1, key_col));
		left -= n;
		if ((guint)n < batch_size && left > 0)
			break;
	}
	part_reader_clear(&r);
	return ok;
}
