/*
 * partition.c — a table's partitions: batch inserts by COPY, updates in one statement, reads
 * by name, and the value-ordered scan that streams 100,000 partitions in batches.
 *
 * A partition is one row of `partitions` (table_id, part_values, Hive name, doc, location,
 * sd_id). Its StorageDescriptor is split on write: the Location goes to the location column
 * and the rest is stored once per distinct content in partition_sds (0002_partitions.sql), so
 * partitions laid out like their table share one descriptor row. Reads rebuild the document:
 * the shared descriptor (parsed once per scan and cached by id) plus the location; the row
 * scan (store_partition_scan_rows, the big listings) builds no document at all: each row is
 * read from its text (partition_row.c) and each descriptor handed over once as text.
 * An insert (store_partition_insert_rows) is three round trips whatever its size: the names
 * that already exist (one indexed statement; if-not-exists skips them, otherwise the caller
 * reports them and nothing is written), the batch's distinct descriptors (compared in C,
 * Location aside) stored once each, then COPY of the rows in 64 KiB pieces — the way
 * PostgreSQL loads rows fastest, and its unique indexes still refuse a name a concurrent
 * writer took meanwhile (STORE_ERROR_UNIQUE). Updates pass their rows as parallel text arrays
 * to unnest() with the same descriptors-once scheme. Scans page by key (part_values > the
 * last one seen) in the caller's snapshot; the caller opens it with store_begin_snapshot() so
 * the count and the pages agree.
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

/* The "Values" of a partition document (borrowed strings; NULL for a non-string), a new array. */
static GPtrArray *part_doc_values(JsonObject *doc)
{
	GPtrArray *vals = g_ptr_array_new();
	JsonNode *n = json_object_get_member(doc, "Values");
	JsonArray *arr = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
		JsonNode *e = json_array_get_element(arr, i);
		g_ptr_array_add(vals, (gpointer)(JSON_NODE_HOLDS_VALUE(e) ? json_node_get_string(e) : NULL));
	}
	return vals;
}

/* The "Values" of a partition document as a text[] literal. */
static char *part_values_literal(JsonObject *doc)
{
	g_autoptr(GPtrArray) vals = part_doc_values(doc);
	return part_array_literal(vals);
}

/*
 * The parallel arrays a batch write sends: per row its values literal, name, document (without
 * its descriptor), location and the index (1-based) of its descriptor among the batch's
 * distinct descriptors; and those distinct descriptors once each, without Location.
 */
typedef struct {
	GPtrArray *vals, *names, *docs, *locs, *sdi;
	GPtrArray *sds;     /* JSON texts of the distinct descriptors */
	GPtrArray *sd_objs; /* the same descriptors as first seen (borrowed from the batch's documents) */
} PartColumns;

/* Distinct descriptors compared per row before a new one is assumed (the statement still
 * de-duplicates by content hash): nearly every batch has one, the table's layout. */
#define PART_SD_SCAN 32

static void part_columns_init(PartColumns *c)
{
	c->vals = g_ptr_array_new_with_free_func(g_free);
	c->names = g_ptr_array_new_with_free_func(g_free);
	c->docs = g_ptr_array_new_with_free_func(g_free);
	c->locs = g_ptr_array_new_with_free_func(g_free);
	c->sdi = g_ptr_array_new_with_free_func(g_free);
	c->sds = g_ptr_array_new_with_free_func(g_free);
	c->sd_objs = g_ptr_array_new();
}

static void part_columns_clear(PartColumns *c)
{
	g_ptr_array_unref(c->vals);
	g_ptr_array_unref(c->names);
	g_ptr_array_unref(c->docs);
	g_ptr_array_unref(c->locs);
	g_ptr_array_unref(c->sdi);
	g_ptr_array_unref(c->sds);
	g_ptr_array_unref(c->sd_objs);
}

/* TRUE when descriptors a and b have the same members and values, Location aside. */
static gboolean part_sd_equal(JsonObject *a, JsonObject *b)
{
	guint na = json_object_get_size(a) - (json_object_has_member(a, "Location") ? 1 : 0);
	guint nb = json_object_get_size(b) - (json_object_has_member(b, "Location") ? 1 : 0);
	if (na != nb)
		return FALSE;
	JsonObjectIter it;
	const char *member;
	JsonNode *node;
	json_object_iter_init(&it, a);
	while (json_object_iter_next(&it, &member, &node)) {
		if (strcmp(member, "Location") == 0)
			continue;
		JsonNode *other = json_object_get_member(b, member);
		if (other == NULL || !json_node_equal(node, other))
			return FALSE;
	}
	return TRUE;
}

/* The 1-based index of sd among the batch's distinct descriptors, adding it when new. */
static guint part_columns_sd(PartColumns *c, JsonObject *sd)
{
	for (guint i = 0; i < c->sd_objs->len && i < PART_SD_SCAN; i++)
		if (part_sd_equal(g_ptr_array_index(c->sd_objs, i), sd))
			return i + 1;
	g_ptr_array_add(c->sd_objs, sd);
	g_ptr_array_add(c->sds, store_json_text(sd, "Location"));
	return c->sds->len;
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
	g_ptr_array_add(c->sdi, sd ? g_strdup_printf("%u", part_columns_sd(c, sd)) : NULL);
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

/*
 * The input rows of a batch write ($2..$5 and $7: values, names, documents, locations, descriptor
 * index) and the batch's distinct descriptors ($6), upserted once each so every row finds its id.
 */
#define PART_INPUT_CTE                                                                                                 \
	"WITH d AS (SELECT x.sd::jsonb AS sd, md5(x.sd::jsonb::text) AS h, x.i"                                          \
	"  FROM unnest($6::text[]) WITH ORDINALITY AS x(sd, i)),"                                                        \
	" s AS (INSERT INTO partition_sds (table_id, hash, doc) SELECT DISTINCT ON (h) $1::bigint, h, sd FROM d"        \
	"  ON CONFLICT (table_id, hash) DO UPDATE SET hash = EXCLUDED.hash RETURNING id, hash),"                          \
	" u AS (SELECT x.vals::text[] AS vals, x.name, x.doc::jsonb AS doc, x.loc, s.id AS sd_id, x.ord"                 \
	"  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $7::int[])"                                       \
	"   WITH ORDINALITY AS x(vals, name, doc, loc, sdi, ord)"                                                        \
	"  LEFT JOIN d ON d.i = x.sdi LEFT JOIN s ON s.hash = d.h)"

/* The seven parameters of PART_INPUT_CTE for docs named names (params[0] = table id); free with g_strfreev. */
static char **part_input_params(gint64 table_id, GPtrArray *docs, GPtrArray *names)
{
	PartColumns c;
	part_columns_init(&c);
	for (guint i = 0; i < docs->len; i++)
		part_columns_add(&c, g_ptr_array_index(docs, i), g_ptr_array_index(names, i));
	char **p = g_new0(char *, 8);
	p[0] = g_strdup_printf("%" G_GINT64_FORMAT, table_id);
	p[1] = part_array_literal(c.vals);
	p[2] = part_array_literal(c.names);
	p[3] = part_array_literal(c.docs);
	p[4] = part_array_literal(c.locs);
	p[5] = part_array_literal(c.sds);
	p[6] = part_array_literal(c.sdi);
	part_columns_clear(&c);
	return p;
}

/* ---- inserting: COPY ---- */

/* Appends c in COPY's text format (backslash, tab, newline and carriage return escaped). */
static void copy_char(GString *out, char c)
{
	switch (c) {
	case '\\': g_string_append(out, "\\\\"); break;
	case '\t': g_string_append(out, "\\t"); break;
	case '\n': g_string_append(out, "\\n"); break;
	case '\r': g_string_append(out, "\\r"); break;
	default: g_string_append_c(out, c);
	}
}

static void copy_text(GString *out, const char *s)
{
	for (const char *p = s; *p; p++)
		copy_char(out, *p);
}

/* Appends a nullable column and its separator ('\t' or '\n'). */
static void copy_column(GString *out, const char *s, char sep)
{
	if (s == NULL)
		g_string_append(out, "\\N");
	else
		copy_text(out, s);
	g_string_append_c(out, sep);
}

/* Appends values as a text[] literal in COPY's text format: {"a","b\"c",NULL}. */
static void copy_values(GString *out, const char *const *values, guint n)
{
	g_string_append_c(out, '{');
	for (guint i = 0; i < n; i++) {
		if (i > 0)
			g_string_append_c(out, ',');
		if (values[i] == NULL) {
			g_string_append(out, "NULL");
			continue;
		}
		g_string_append_c(out, '"');
		for (const char *p = values[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append(out, "\\\\"); /* the array's backslash, escaped for COPY */
			copy_char(out, *p);
		}
		g_string_append_c(out, '"');
	}
	g_string_append(out, "}\t");
}

/* Marks which rows' names already exist (in exists[]); returns how many do. */
static gint part_existing(StoreConn *conn, gint64 table_id, const StorePartitionNew *rows, guint n, gboolean *exists,
                          GError **error)
{
	static const char sql[] = "SELECT name FROM partitions WHERE table_id = $1::bigint AND name = ANY($2::text[])";
	g_autoptr(GPtrArray) names = g_ptr_array_sized_new(n);
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(names, (gpointer)rows[i].name);
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, table_id);
	g_autofree char *list = part_array_literal(names);
	const char *params[] = {id, list};
	g_autoptr(PGresult) res = store_exec(conn, "part_existing", sql, 2, params, error);
	if (res == NULL)
		return -1;
	memset(exists, 0, n * sizeof *exists);
	if (PQntuples(res) == 0)
		return 0;
	g_autoptr(GHashTable) found = g_hash_table_new(g_str_hash, g_str_equal);
	for (int r = 0; r < PQntuples(res); r++)
		g_hash_table_add(found, PQgetvalue(res, r, 0));
	for (guint i = 0; i < n; i++)
		exists[i] = g_hash_table_contains(found, rows[i].name);
	return PQntuples(res);
}

/* Stores the descriptors (once per content) and fills ids[i] with the row id of sds[i]. */
static gboolean part_store_sds(StoreConn *conn, gint64 table_id, const char *const *sds, guint n_sds, gint64 *ids,
                               GError **error)
{
	static const char sql[] =
		"WITH d AS (SELECT x.sd::jsonb AS sd, md5(x.sd::jsonb::text) AS h, x.i"
		"  FROM unnest($2::text[]) WITH ORDINALITY AS x(sd, i)),"
		" s AS (INSERT INTO partition_sds (table_id, hash, doc) SELECT DISTINCT ON (h) $1::bigint, h, sd FROM d"
		"  ON CONFLICT (table_id, hash) DO UPDATE SET hash = EXCLUDED.hash RETURNING id, hash)"
		" SELECT d.i, s.id FROM d JOIN s ON s.hash = d.h";
	g_autoptr(GPtrArray) list = g_ptr_array_sized_new(n_sds);
	for (guint i = 0; i < n_sds; i++)
		g_ptr_array_add(list, (gpointer)sds[i]);
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, table_id);
	g_autofree char *lit = part_array_literal(list);
	const char *params[] = {id, lit};
	g_autoptr(PGresult) res = store_exec(conn, "part_store_sds", sql, 2, params, error);
	if (res == NULL)
		return FALSE;
	memset(ids, 0, n_sds * sizeof *ids);
	for (int r = 0; r < PQntuples(res); r++) {
		gint64 i = g_ascii_strtoll(PQgetvalue(res, r, 0), NULL, 10);
		if (i >= 1 && i <= (gint64)n_sds)
			ids[i - 1] = g_ascii_strtoll(PQgetvalue(res, r, 1), NULL, 10);
	}
	for (guint i = 0; i < n_sds; i++) {
		if (ids[i] == 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "storage descriptor %u of the batch was not stored", i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

/* COPY's data in pieces of about this size: libpq's buffer stays small however big the batch. */
#define PART_COPY_CHUNK (64 * 1024)

/* COPYs the rows not marked in skip[]; sd_ids: the stored ids of the batch's descriptors. */
static gboolean part_copy_rows(StoreConn *conn, gint64 table_id, const StorePartitionNew *rows, guint n,
                               const gboolean *skip, const gint64 *sd_ids, guint n_sds, GError **error)
{
	static const char sql[] = "COPY partitions (table_id, part_values, name, doc, location, sd_id) FROM STDIN";
	g_autoptr(PGresult) start = PQexec(conn->pg, sql);
	if (PQresultStatus(start) != PGRES_COPY_IN)
		return store_result_ok(conn, start, "COPY partitions", error);
	g_autoptr(GString) buf = g_string_sized_new(PART_COPY_CHUNK + 4096);
	g_autofree char *tid = g_strdup_printf("%" G_GINT64_FORMAT "\t", table_id);
	gboolean sent = TRUE;
	for (guint i = 0; i < n && sent; i++) {
		if (skip[i])
			continue;
		const StorePartitionNew *r = &rows[i];
		g_string_append(buf, tid);
		copy_values(buf, r->values, r->n_values);
		copy_column(buf, r->name, '\t');
		copy_column(buf, r->doc, '\t');
		copy_column(buf, r->location, '\t');
		if (r->sd >= 1 && r->sd <= n_sds)
			g_string_append_printf(buf, "%" G_GINT64_FORMAT "\n", sd_ids[r->sd - 1]);
		else
			g_string_append(buf, "\\N\n");
		if (buf->len >= PART_COPY_CHUNK) {
			sent = PQputCopyData(conn->pg, buf->str, (int)buf->len) == 1;
			g_string_truncate(buf, 0);
		}
	}
	if (sent && buf->len > 0)
		sent = PQputCopyData(conn->pg, buf->str, (int)buf->len) == 1;
	if (PQputCopyEnd(conn->pg, sent ? NULL : "client could not send the rows") != 1)
		sent = FALSE;
	gboolean ok = TRUE;
	PGresult *res;
	while ((res = PQgetResult(conn->pg)) != NULL) { /* the COPY's result, then NULL */
		if (ok && !store_result_ok(conn, res, "COPY partitions", error))
			ok = FALSE;
		PQclear(res);
	}
	if (ok && !sent)
		ok = store_result_ok(conn, NULL, "COPY partitions", error);
	return ok;
}

/* Inserts rows with COPY; see store.h. */
gboolean store_partition_insert_rows(StoreConn *conn, gint64 table_id, const StorePartitionNew *rows, guint n,
                                     const char *const *sds, guint n_sds, gboolean stop_if_any_exists,
                                     gboolean *inserted, GError **error)
{
	if (n == 0)
		return TRUE;
	g_autofree gboolean *exists = g_new0(gboolean, n);
	gint found = part_existing(conn, table_id, rows, n, exists, error);
	if (found < 0)
		return FALSE;
	for (guint i = 0; i < n; i++)
		inserted[i] = FALSE;
	if ((guint)found == n || (found > 0 && stop_if_any_exists))
		return TRUE;
	g_autofree gint64 *sd_ids = g_new0(gint64, MAX(n_sds, 1));
	if (n_sds > 0 && !part_store_sds(conn, table_id, sds, n_sds, sd_ids, error))
		return FALSE;
	if (!part_copy_rows(conn, table_id, rows, n, exists, sd_ids, n_sds, error))
		return FALSE;
	for (guint i = 0; i < n; i++)
		inserted[i] = !exists[i];
	return TRUE;
}

/* Inserts documents through store_partition_insert_rows; see store.h. */
GPtrArray *store_partition_insert_batch(StoreConn *conn, gint64 table_id, GPtrArray *docs, GPtrArray *names,
                                        GError **error)
{
	g_return_val_if_fail(docs->len == names->len, NULL);
	guint n = docs->len;
	PartColumns c;
	part_columns_init(&c);
	g_autofree StorePartitionNew *rows = g_new0(StorePartitionNew, MAX(n, 1));
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < n; i++) {
		JsonObject *doc = g_ptr_array_index(docs, i);
		GPtrArray *vals = part_doc_values(doc);
		g_ptr_array_add(values, vals);
		JsonNode *sdn = json_object_get_member(doc, "StorageDescriptor");
		JsonObject *sd = sdn && JSON_NODE_HOLDS_OBJECT(sdn) ? json_node_get_object(sdn) : NULL;
		char *text = store_json_text(doc, "StorageDescriptor");
		g_ptr_array_add(c.docs, text);
		rows[i] = (StorePartitionNew){
			.values = (const char *const *)vals->pdata,
			.n_values = vals->len,
			.name = g_ptr_array_index(names, i),
			.doc = text,
			.location = sd ? store_json_string(sd, "Location", NULL) : NULL,
			.sd = sd ? part_columns_sd(&c, sd) : 0,
		};
	}
	g_autofree gboolean *inserted = g_new0(gboolean, MAX(n, 1));
	GPtrArray *out = NULL;
	if (store_partition_insert_rows(conn, table_id, rows, n, (const char *const *)c.sds->pdata, c.sds->len, FALSE,
	                                inserted, error)) {
		out = g_ptr_array_new_full(n, g_free);
		for (guint i = 0; i < n; i++)
			if (inserted[i])
				g_ptr_array_add(out, g_strdup(rows[i].name));
	}
	part_columns_clear(&c);
	return out;
}

/* Replaces partitions found by old name in one statement; see store.h. */
GPtrArray *store_partition_update_batch(StoreConn *conn, gint64 table_id, GPtrArray *old_names, GPtrArray *docs,
                                        GPtrArray *names, GError **error)
{
	static const char sql[] = PART_INPUT_CTE
	    " UPDATE partitions p SET part_values = u.vals, name = u.name, doc = u.doc, location = u.loc, sd_id = u.sd_id"
	    " FROM u, unnest($8::text[]) WITH ORDINALITY AS o(old, ord)"
	    " WHERE o.ord = u.ord AND p.table_id = $1::bigint AND p.name = o.old RETURNING o.old";
	g_return_val_if_fail(docs->len == names->len && docs->len == old_names->len, NULL);
	g_auto(GStrv) in = part_input_params(table_id, docs, names);
	g_autofree char *olds = part_array_literal(old_names);
	const char *params[] = {in[0], in[1], in[2], in[3], in[4], in[5], in[6], olds};
	g_autoptr(PGresult) res = store_exec(conn, "part_update_batch", sql, 8, params, error);
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
	if (g_hash_table_size(r->sds) > 0 && g_hash_table_size(r->sds) + want->len > PART_SD_CACHE_MAX) {
		g_hash_table_remove_all(r->sds); /* then every descriptor of this result is wanted again */
		return part_reader_load(conn, r, res, col, error);
	}
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

/* DELETE ... RETURNING the document columns of the partitions named; NULL with error. */
static PGresult *part_delete_exec(StoreConn *conn, gint64 table_id, GPtrArray *names, GError **error)
{
	static const char sql[] = "DELETE FROM partitions p WHERE p.table_id = $1::bigint AND p.name = ANY ($2::text[])"
	                          " RETURNING " PART_DOC_COLS;
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, table_id);
	g_autofree char *list = part_array_literal(names);
	const char *params[] = {id, list};
	return store_exec(conn, "part_delete_by_names", sql, 2, params, error);
}

/* Deletes partitions by name in one statement; see store.h. */
GPtrArray *store_partition_delete_by_names(StoreConn *conn, gint64 table_id, GPtrArray *names, GError **error)
{
	g_autoptr(PGresult) res = part_delete_exec(conn, table_id, names, error);
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

/* Reads one page of a scan (a result of the scan's columns); FALSE with error stops the scan. */
typedef gboolean (*PartPageFunc)(StoreConn *conn, PGresult *res, gpointer state, GError **error);

/* Pages through the partitions w selects in value order (keyset on key_col), page by page. */
static gboolean part_scan_pages(StoreConn *conn, gint64 table_id, const StorePartitionWhere *w, gint64 limit,
                                const char *cols, int key_col, guint batch_size, PartPageFunc page, gpointer state,
                                GError **error)
{
	g_autofree char *after = NULL;
	gint64 left = limit < 0 ? G_MAXINT64 : limit;
	gboolean ok = TRUE;
	while (ok && left > 0) {
		PartQuery q;
		part_query_build(&q, table_id, w, cols, after, MIN(left, (gint64)batch_size));
		g_autoptr(PGresult) res = part_query_run(conn, &q, error);
		part_query_clear(&q);
		if (res == NULL)
			return FALSE;
		int n = PQntuples(res);
		if (n == 0)
			break;
		ok = page(conn, res, state, error);
		g_free(after);
		after = g_strdup(PQgetvalue(res, n - 1, key_col));
		left -= n;
		if ((guint)n < batch_size && left > 0)
			break;
	}
	return ok;
}

/* The state of a document or name scan. */
typedef struct {
	gboolean names_only;
	PartReader reader;
	StorePartitionBatchFunc fn;
	gpointer user;
} PartDocScan;

static gboolean part_docs_page(StoreConn *conn, PGresult *res, gpointer state, GError **error)
{
	PartDocScan *ds = state;
	int n = PQntuples(res);
	g_autoptr(GPtrArray) batch = NULL;
	if (ds->names_only) {
		batch = g_ptr_array_new_full(n, g_free);
		for (int row = 0; row < n; row++)
			g_ptr_array_add(batch, g_strdup(PQgetvalue(res, row, 0)));
	} else {
		batch = part_docs_from_result(conn, &ds->reader, res, error);
	}
	return batch != NULL && ds->fn(ds->user, batch, error);
}

/* Streams the selected partitions in value order, batch by batch; see store.h. */
gboolean store_partition_scan(StoreConn *conn, gint64 table_id, const StorePartitionWhere *w, gint64 limit,
                              gboolean names_only, guint batch_size, StorePartitionBatchFunc fn, gpointer user,
                              GError **error)
{
	PartDocScan ds = {.names_only = names_only, .fn = fn, .user = user};
	part_reader_init(&ds.reader);
	gboolean ok = part_scan_pages(conn, table_id, w, limit, names_only ? "p.name, p.part_values::text" : PART_DOC_COLS,
	                              names_only ? 1 : 3, batch_size, part_docs_page, &ds, error);
	part_reader_clear(&ds.reader);
	return ok;
}

/* ---- the row scan: no JSON tree per partition, each shared descriptor handed over once ---- */

/* The state of a row scan; the arrays are reused from batch to batch. */
typedef struct {
	StorePartitionRowsFunc fn;
	gpointer user;
	GHashTable *given; /* descriptor ids (gint64*) handed over since the last reset */
	GArray *rows;      /* StorePartitionRow */
	GArray *strs;      /* StoreSlice */
	GArray *sds;       /* StorePartitionSd */
	GStringChunk *chunk;
	GString *scratch;
} PartRowScan;

/*
 * Loads the descriptors res's rows reference that were not handed over yet into rs->sds
 * (texts point into *loaded). Past PART_SD_CACHE_MAX ids the reader is told to reset and
 * every descriptor of this page is handed over again. FALSE with error when the query fails.
 */
static gboolean part_rows_new_sds(StoreConn *conn, PartRowScan *rs, PGresult *res, gboolean *reset,
                                  PGresult **loaded, GError **error)
{
	static const char sql[] = "SELECT id, doc::text FROM partition_sds WHERE id = ANY ($1::bigint[])";
	*reset = FALSE;
	for (int pass = 0; pass < 2; pass++) {
		g_autoptr(GPtrArray) want = g_ptr_array_new();
		g_autoptr(GHashTable) asked = g_hash_table_new(g_str_hash, g_str_equal);
		for (int row = 0; row < PQntuples(res); row++) {
			if (PQgetisnull(res, row, 2))
				continue;
			char *id_text = PQgetvalue(res, row, 2);
			gint64 id = g_ascii_strtoll(id_text, NULL, 10);
			if (!g_hash_table_contains(rs->given, &id) && g_hash_table_add(asked, id_text))
				g_ptr_array_add(want, id_text);
		}
		if (want->len == 0)
			return TRUE;
		if (pass == 0 && g_hash_table_size(rs->given) > 0 &&
		    g_hash_table_size(rs->given) + want->len > PART_SD_CACHE_MAX) {
			g_hash_table_remove_all(rs->given);
			*reset = TRUE;
			continue;
		}
		g_autofree char *ids = part_array_literal(want);
		const char *params[] = {ids};
		*loaded = store_exec(conn, "part_sds_get", sql, 1, params, error);
		if (*loaded == NULL)
			return FALSE;
		for (guint i = 0; i < want->len; i++) {
			gint64 id = g_ascii_strtoll(g_ptr_array_index(want, i), NULL, 10);
			g_hash_table_add(rs->given, g_memdup2(&id, sizeof id));
		}
		for (int row = 0; row < PQntuples(*loaded); row++) {
			StorePartitionSd sd = {g_ascii_strtoll(PQgetvalue(*loaded, row, 0), NULL, 10), PQgetvalue(*loaded, row, 1)};
			g_array_append_val(rs->sds, sd);
		}
		return TRUE;
	}
	return TRUE;
}

static gboolean part_rows_page(StoreConn *conn, PGresult *res, gpointer state, GError **error)
{
	PartRowScan *rs = state;
	g_array_set_size(rs->rows, 0);
	g_array_set_size(rs->strs, 0);
	g_array_set_size(rs->sds, 0);
	g_string_chunk_clear(rs->chunk);
	gboolean reset = FALSE;
	g_autoptr(PGresult) loaded = NULL;
	if (!part_rows_new_sds(conn, rs, res, &reset, &loaded, error))
		return FALSE;
	for (int row = 0; row < PQntuples(res); row++) {
		StorePartitionRow r = {.name = PQgetvalue(res, row, 4)};
		if (!PQgetisnull(res, row, 1)) {
			r.location.str = PQgetvalue(res, row, 1);
			r.location.len = (gsize)PQgetlength(res, row, 1);
		}
		if (!PQgetisnull(res, row, 2))
			r.sd_id = g_ascii_strtoll(PQgetvalue(res, row, 2), NULL, 10);
		if (!store_partition_row_read(PQgetvalue(res, row, 0), (gsize)PQgetlength(res, row, 0), &r, rs->strs,
		                              rs->chunk, rs->scratch, error))
			return FALSE;
		g_array_append_val(rs->rows, r);
	}
	StorePartitionRows batch = {
		.rows = (const StorePartitionRow *)(gpointer)rs->rows->data,
		.n = rs->rows->len,
		.strs = (const StoreSlice *)(gpointer)rs->strs->data,
		.sd_reset = reset,
		.new_sds = (const StorePartitionSd *)(gpointer)rs->sds->data,
		.n_new_sds = rs->sds->len,
	};
	return rs->fn(rs->user, &batch, error);
}

static void part_row_scan_init(PartRowScan *rs, guint batch_size, StorePartitionRowsFunc fn, gpointer user)
{
	*rs = (PartRowScan){
		.fn = fn,
		.user = user,
		.given = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
		.rows = g_array_sized_new(FALSE, FALSE, sizeof(StorePartitionRow), batch_size),
		.strs = g_array_sized_new(FALSE, FALSE, sizeof(StoreSlice), batch_size * 4),
		.sds = g_array_new(FALSE, FALSE, sizeof(StorePartitionSd)),
		.chunk = g_string_chunk_new(4096),
		.scratch = g_string_new(NULL),
	};
}

static void part_row_scan_clear(PartRowScan *rs)
{
	g_hash_table_unref(rs->given);
	g_array_unref(rs->rows);
	g_array_unref(rs->strs);
	g_array_unref(rs->sds);
	g_string_chunk_free(rs->chunk);
	g_string_free(rs->scratch, TRUE);
}

/* Streams the selected partitions as rows; see store.h. */
gboolean store_partition_scan_rows(StoreConn *conn, gint64 table_id, const StorePartitionWhere *w, gint64 limit,
                                   guint batch_size, StorePartitionRowsFunc fn, gpointer user, GError **error)
{
	PartRowScan rs;
	part_row_scan_init(&rs, batch_size, fn, user);
	gboolean ok = part_scan_pages(conn, table_id, w, limit, PART_DOC_COLS, 3, batch_size, part_rows_page, &rs, error);
	part_row_scan_clear(&rs);
	return ok;
}

/* Deletes the partitions named and hands them over as rows; see store.h. */
gboolean store_partition_delete_rows(StoreConn *conn, gint64 table_id, GPtrArray *names, StorePartitionRowsFunc fn,
                                     gpointer user, guint *deleted, GError **error)
{
	g_autoptr(PGresult) res = part_delete_exec(conn, table_id, names, error);
	if (res == NULL)
		return FALSE;
	*deleted = (guint)PQntuples(res);
	if (*deleted == 0)
		return TRUE;
	PartRowScan rs;
	part_row_scan_init(&rs, *deleted, fn, user);
	gboolean ok = part_rows_page(conn, res, &rs, error);
	part_row_scan_clear(&rs);
	return ok;
}
