/*
 * search.c — Glue's SearchTables as one parameterized query over every table of a catalog.
 *
 * Matching happens in PostgreSQL, one page at a time (LIMIT), never by loading every table:
 * the text terms (ILIKE patterns, each of which must match some searched field), the property
 * filters (three parallel arrays: key, value, comparator) and the set of databases the caller
 * may see are all bound parameters. Pages are keyset positions (sort key, database, table) in
 * the "C" collation, so a page starts exactly after the last row the previous one examined,
 * whatever was created or dropped in between. The catalog builds the patterns and checks keys
 * and comparators (catalog/search.c); this file only knows their SQL.
 */
#include "store/store_internal.h"

/* A time member as a sortable text key: 20 zero-padded digits, 0 when absent or not an integer. */
#define SEARCH_TIME_KEY(m)                                                                                             \
	"CASE WHEN t.doc->>'" m "' ~ '^[0-9]{1,19}$' THEN lpad(t.doc->>'" m "', 20, '0') ELSE lpad('0', 20, '0') END"

/* The sort key named by $7 (catalog/search.c lists the names); DatabaseName otherwise. */
#define SEARCH_KEY                                                                                                     \
	"CASE $7::text WHEN 'Name' THEN t.name WHEN 'TableType' THEN t.table_type"                                         \
	" WHEN 'Owner' THEN coalesce(t.doc->>'Owner', '')"                                                                 \
	" WHEN 'CreateTime' THEN " SEARCH_TIME_KEY("CreateTime") " WHEN 'UpdateTime' THEN " SEARCH_TIME_KEY("UpdateTime") \
	" WHEN 'LastAccessTime' THEN " SEARCH_TIME_KEY("LastAccessTime") " ELSE d.name END"

/* Columns and partition keys, and parameters, of t as JSON (empty when malformed). */
#define SEARCH_COLS                                                                                                    \
	"(CASE WHEN jsonb_typeof(t.doc->'StorageDescriptor'->'Columns') = 'array'"                                        \
	" THEN t.doc->'StorageDescriptor'->'Columns' ELSE '[]'::jsonb END"                                                 \
	" || CASE WHEN jsonb_typeof(t.doc->'PartitionKeys') = 'array' THEN t.doc->'PartitionKeys' ELSE '[]'::jsonb END)"
#define SEARCH_PARAMS "(CASE WHEN jsonb_typeof(t.doc->'Parameters') = 'object' THEN t.doc->'Parameters' ELSE '{}'::jsonb END)"

/* Every pattern of $3 matches one searched field (IS NOT TRUE: a NULL field is no match). */
#define SEARCH_TEXT                                                                                                    \
	" AND ($3::text[] IS NULL OR NOT EXISTS (SELECT 1 FROM unnest($3::text[]) AS q(p) WHERE ("                        \
	" d.name ILIKE q.p OR coalesce(d.doc->>'Description', '') ILIKE q.p OR t.name ILIKE q.p"                           \
	" OR coalesce(t.doc->>'Description', '') ILIKE q.p OR coalesce(t.doc->>'Owner', '') ILIKE q.p"                     \
	" OR t.table_type ILIKE q.p"                                                                                       \
	" OR EXISTS (SELECT 1 FROM jsonb_array_elements(" SEARCH_COLS ") AS col(e)"                                       \
	"            WHERE e->>'Name' ILIKE q.p OR e->>'Comment' ILIKE q.p)"                                               \
	" OR EXISTS (SELECT 1 FROM jsonb_each_text(" SEARCH_PARAMS ") AS kv WHERE kv.key ILIKE q.p OR kv.value ILIKE q.p)" \
	") IS NOT TRUE))"

/*
 * Every filter of ($4 key, $5 value, $6 comparator) holds. Comparator '' is Glue's fuzzy string
 * match: the value equals the field, or one of its tokens (split on anything but letters and
 * digits), case-insensitively. Otherwise the field is an integer time compared with the value.
 * A key "Parameters.<k>" names table parameter <k>.
 */
#define SEARCH_FILTERS                                                                                                 \
	" AND ($4::text[] IS NULL OR NOT EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[], $6::text[]) AS f(k, v, op),"  \
	" LATERAL (SELECT CASE f.k WHEN 'DatabaseName' THEN d.name WHEN 'Name' THEN t.name"                                \
	"   WHEN 'Description' THEN t.doc->>'Description' WHEN 'Owner' THEN t.doc->>'Owner'"                               \
	"   WHEN 'TableType' THEN t.table_type WHEN 'CreateTime' THEN t.doc->>'CreateTime'"                                \
	"   WHEN 'UpdateTime' THEN t.doc->>'UpdateTime' WHEN 'LastAccessTime' THEN t.doc->>'LastAccessTime'"               \
	"   ELSE " SEARCH_PARAMS "->>substr(f.k, 12) END AS s) x"                                                        \
	" WHERE (CASE WHEN f.op = '' THEN lower(x.s) = lower(f.v)"                                                         \
	"   OR lower(f.v) = ANY (regexp_split_to_array(lower(x.s), '[^[:alnum:]]+'))"                                      \
	"  WHEN x.s !~ '^-?[0-9]{1,19}$' THEN false"                                                                       \
	"  WHEN f.op = 'EQUALS' THEN x.s::numeric = f.v::numeric"                                                          \
	"  WHEN f.op = 'GREATER_THAN' THEN x.s::numeric > f.v::numeric"                                                    \
	"  WHEN f.op = 'LESS_THAN' THEN x.s::numeric < f.v::numeric"                                                       \
	"  WHEN f.op = 'GREATER_THAN_EQUALS' THEN x.s::numeric >= f.v::numeric"                                            \
	"  WHEN f.op = 'LESS_THAN_EQUALS' THEN x.s::numeric <= f.v::numeric END) IS NOT TRUE))"

/*
 * The tables of ($12 databases, $13 tables) skip the text and the filters here: the caller sees
 * them only partly, so catalog/search.c matches them on their trimmed documents instead
 * (store_search_recheck, the same SQL over the documents it passes).
 */
#define SEARCH_EXEMPT "($12::text[] IS NOT NULL AND (d.name, t.name) IN (SELECT * FROM unnest($12::text[], $13::text[])))"

#define SEARCH_SELECT                                                                                                  \
	"SELECT s.k, s.dname, s.ddesc, s.doc::text, s.version, s.tname, s.table_type FROM ("                               \
	" SELECT (" SEARCH_KEY ") COLLATE \"C\" AS k, d.name COLLATE \"C\" AS dname, t.name COLLATE \"C\" AS tname,"       \
	" d.doc->>'Description' AS ddesc, t.doc, t.version, t.table_type"                                                 \
	" FROM tables t JOIN databases d ON d.id = t.database_id JOIN catalogs c ON c.id = d.catalog_id"                   \
	" WHERE c.name = $1 AND ($2::text[] IS NULL OR d.name = ANY ($2::text[]))"                                         \
	" AND (" SEARCH_EXEMPT " OR (TRUE" SEARCH_TEXT SEARCH_FILTERS "))) s"                                              \
	" WHERE $8::text IS NULL OR (s.k, s.dname, s.tname) "

/*
 * The text and filters of store_table_search over given rows ($1 databases, $2 tables, $7 database
 * descriptions, $8 table documents, $9 table types), as `d` and `t` of the search: the same
 * predicate text, so the same answer as the search for the same values.
 */
#define SEARCH_RECHECK                                                                                                 \
	"SELECT x.i FROM unnest($1::text[], $2::text[], $7::text[], $8::text[], $9::text[])"                               \
	" WITH ORDINALITY AS x(dname, tname, ddesc, tdoc, ttype, i)"                                                       \
	" CROSS JOIN LATERAL (SELECT x.dname AS name, jsonb_build_object('Description', x.ddesc) AS doc) d"                \
	" CROSS JOIN LATERAL (SELECT x.tname AS name, x.tdoc::jsonb AS doc, x.ttype AS table_type) t"                     \
	" WHERE TRUE" SEARCH_TEXT SEARCH_FILTERS " ORDER BY x.i"

/* Frees a row of store_table_search() and what it holds; NULL is a no-op. */
void store_search_row_free(StoreSearchRow *row)
{
	if (row == NULL)
		return;
	g_free(row->key);
	g_free(row->db);
	g_free(row->table);
	g_free(row->db_description);
	g_free(row->table_type);
	if (row->doc)
		json_object_unref(row->doc);
	g_free(row);
}

/* The array parameter for strs (NULL or empty: SQL NULL). New string or NULL. */
static char *search_array(GPtrArray *strs)
{
	return strs && strs->len > 0 ? store_text_array_literal(strs) : NULL;
}

/* At most q->limit rows after q's position, in q's order; see store.h. */
GPtrArray *store_table_search(StoreConn *conn, const StoreTableSearch *q, GError **error)
{
	static const char sql_asc[] = SEARCH_SELECT "> ($8::text, $9::text, $10::text)"
	                                            " ORDER BY s.k, s.dname, s.tname LIMIT $11::bigint";
	static const char sql_desc[] = SEARCH_SELECT "< ($8::text, $9::text, $10::text)"
	                                             " ORDER BY s.k DESC, s.dname DESC, s.tname DESC LIMIT $11::bigint";
	g_return_val_if_fail(q->exempt_dbs == NULL || (q->exempt_tables && q->exempt_tables->len == q->exempt_dbs->len),
	                     NULL);
	g_return_val_if_fail(q->filter_keys == NULL || (q->filter_values && q->filter_ops &&
	                                                q->filter_values->len == q->filter_keys->len &&
	                                                q->filter_ops->len == q->filter_keys->len), NULL);
	g_autofree char *dbs = q->databases ? store_text_array_literal(q->databases) : NULL;
	g_autofree char *pats = search_array(q->patterns);
	g_autofree char *keys = search_array(q->filter_keys);
	g_autofree char *vals = keys ? store_text_array_literal(q->filter_values) : NULL;
	g_autofree char *ops = keys ? store_text_array_literal(q->filter_ops) : NULL;
	g_autofree char *limit = g_strdup_printf("%u", q->limit);
	g_autofree char *exempt_dbs = search_array(q->exempt_dbs);
	g_autofree char *exempt_tables = exempt_dbs ? store_text_array_literal(q->exempt_tables) : NULL;
	const char *params[] = {q->catalog, dbs, pats, keys, vals, ops, q->sort_field ? q->sort_field : "DatabaseName",
	                        q->after_key, q->after_db, q->after_table, limit, exempt_dbs, exempt_tables};
	g_autoptr(PGresult) res = q->descending
	                              ? store_exec(conn, "table_search_desc", sql_desc, 13, params, error)
	                              : store_exec(conn, "table_search_asc", sql_asc, 13, params, error);
	if (res == NULL)
		return NULL;
	g_autoptr(GPtrArray) rows = g_ptr_array_new_full(PQntuples(res), (GDestroyNotify)store_search_row_free);
	for (int r = 0; r < PQntuples(res); r++) {
		JsonObject *doc = store_json_parse_object(PQgetvalue(res, r, 3), error);
		if (doc == NULL)
			return NULL;
		json_object_set_string_member(doc, "VersionId", PQgetvalue(res, r, 4));
		StoreSearchRow *row = g_new0(StoreSearchRow, 1);
		row->key = g_strdup(PQgetvalue(res, r, 0));
		row->db = g_strdup(PQgetvalue(res, r, 1));
		row->table = g_strdup(PQgetvalue(res, r, 5));
		row->db_description = PQgetisnull(res, r, 2) ? NULL : g_strdup(PQgetvalue(res, r, 2));
		row->table_type = g_strdup(PQgetvalue(res, r, 6));
		row->doc = doc;
		g_ptr_array_add(rows, row);
	}
	return g_steal_pointer(&rows);
}

/* Which rows (StoreSearchRow*, their documents as they are now) match q's text and filters; see store.h. */
GArray *store_search_recheck(StoreConn *conn, const StoreTableSearch *q, GPtrArray *rows, GError **error)
{
	static const char sql[] = SEARCH_RECHECK;
	g_autoptr(GPtrArray) dnames = g_ptr_array_new(), tnames = g_ptr_array_new(), types = g_ptr_array_new();
	g_autoptr(GPtrArray) descs = g_ptr_array_new(), docs = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < rows->len; i++) {
		StoreSearchRow *row = g_ptr_array_index(rows, i);
		g_ptr_array_add(dnames, row->db);
		g_ptr_array_add(tnames, row->table);
		g_ptr_array_add(descs, row->db_description ? row->db_description : ""); /* the search coalesces it */
		g_ptr_array_add(docs, store_json_text(row->doc, NULL));
		g_ptr_array_add(types, row->table_type ? row->table_type : "");
	}
	g_autofree char *a1 = store_text_array_literal(dnames), *a2 = store_text_array_literal(tnames);
	g_autofree char *a7 = store_text_array_literal(descs), *a8 = store_text_array_literal(docs);
	g_autofree char *a9 = store_text_array_literal(types);
	g_autofree char *pats = search_array(q->patterns);
	g_autofree char *keys = search_array(q->filter_keys);
	g_autofree char *vals = keys ? store_text_array_literal(q->filter_values) : NULL;
	g_autofree char *ops = keys ? store_text_array_literal(q->filter_ops) : NULL;
	const char *params[] = {a1, a2, pats, keys, vals, ops, a7, a8, a9};
	g_autoptr(PGresult) res = store_exec(conn, "table_search_recheck", sql, 9, params, error);
	if (res == NULL)
		return NULL;
	GArray *match = g_array_sized_new(FALSE, TRUE, sizeof(gboolean), rows->len);
	g_array_set_size(match, rows->len);
	for (int r = 0; r < PQntuples(res); r++) {
		guint64 i = g_ascii_strtoull(PQgetvalue(res, r, 0), NULL, 10);
		if (i >= 1 && i <= rows->len)
			g_array_index(match, gboolean, i - 1) = TRUE;
	}
	return match;
}
