/*
 * search.c — Glue's SearchTables: text and property search over every table the caller sees.
 *
 * The query is checked and turned into store/search.c's parameters here: the text becomes
 * ILIKE patterns (each whitespace-separated term a case-insensitive substring of some searched
 * field; a text in double quotes must equal a field), filters are checked against the known
 * keys and comparators (times as integer seconds or ISO-8601), and the databases the caller
 * may see bound the scan. Matching runs in PostgreSQL a page at a time; the rows then pass
 * Lake Formation's table visibility, one facts query per database met. A caller who sees only
 * some columns of a table gets them trimmed, and the table only if the text and the filters
 * match its trimmed document (AWS: hidden columns are not searched): the store leaves such
 * tables unmatched and the same predicate then runs over the trimmed documents, so a hidden
 * value neither selects a table nor keeps one out. Callers without column-level grants, and
 * tables seen whole, take the plain path. A page ends after `limit`
 * visible tables or after CATALOG_SEARCH_SCAN_MAX examined rows, whichever comes first; its
 * position is the last row examined, so no table is skipped or repeated across pages.
 */
#include <string.h>

#include "catalog/internal.h"

#define SEARCH_TIME_KEYS "CreateTime", "UpdateTime", "LastAccessTime"

static const char *const search_string_keys[] = {"DatabaseName", "Name", "Description", "Owner", "TableType"};
static const char *const search_time_keys[] = {SEARCH_TIME_KEYS};
static const char *const search_sort_fields[] = {"DatabaseName", "Name", "TableType", "Owner", SEARCH_TIME_KEYS};
static const char *const search_comparators[] = {"EQUALS", "GREATER_THAN", "LESS_THAN", "GREATER_THAN_EQUALS",
                                                 "LESS_THAN_EQUALS"};

static gboolean search_in(const char *s, const char *const *list, guint n)
{
	for (guint i = 0; s && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return TRUE;
	return FALSE;
}

static gboolean search_invalid(GError **error, const char *fmt, const char *what)
{
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, fmt, what);
	return FALSE;
}

/* An ILIKE pattern matching s literally (backslash, % and _ escaped), optionally inside %...%. */
static char *search_like(const char *s, gboolean substring)
{
	GString *p = g_string_new(substring ? "%" : "");
	for (; *s; s++) {
		if (*s == '\\' || *s == '%' || *s == '_')
			g_string_append_c(p, '\\');
		g_string_append_c(p, *s);
	}
	if (substring)
		g_string_append_c(p, '%');
	return g_string_free(p, FALSE);
}

/* The parsed text: casefolded terms (counted) and their patterns. */
typedef struct {
	GPtrArray *terms;    /* char*, casefolded */
	GPtrArray *patterns; /* char*, for store */
	gboolean exact;
} SearchText;

static void search_text_clear(SearchText *t)
{
	g_clear_pointer(&t->terms, g_ptr_array_unref);
	g_clear_pointer(&t->patterns, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SearchText, search_text_clear)

/* Splits SearchText: "quoted" = one exact value, else whitespace-separated substring terms. */
static gboolean search_text_parse(const char *text, SearchText *out, GError **error)
{
	out->terms = g_ptr_array_new_with_free_func(g_free);
	out->patterns = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *trimmed = g_strstrip(g_strdup(text ? text : ""));
	gsize n = strlen(trimmed);
	if (n >= 2 && trimmed[0] == '"' && trimmed[n - 1] == '"') {
		trimmed[n - 1] = '\0';
		if (trimmed[1] != '\0') {
			out->exact = TRUE;
			g_ptr_array_add(out->terms, g_utf8_casefold(trimmed + 1, -1));
			g_ptr_array_add(out->patterns, search_like(trimmed + 1, FALSE));
		}
		return TRUE;
	}
	g_auto(GStrv) words = g_strsplit_set(trimmed, " \t\r\n", -1);
	for (guint i = 0; words[i]; i++) {
		if (*words[i] == '\0')
			continue;
		if (out->terms->len >= CATALOG_SEARCH_TERMS_MAX) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "SearchText has more than %d terms",
			            CATALOG_SEARCH_TERMS_MAX);
			return FALSE;
		}
		g_ptr_array_add(out->terms, g_utf8_casefold(words[i], -1));
		g_ptr_array_add(out->patterns, search_like(words[i], TRUE));
	}
	return TRUE;
}

/* A time filter value as integer seconds (text, new): digits, or ISO-8601 (a date alone is midnight UTC). */
static char *search_time_value(const char *v)
{
	if (g_regex_match_simple("^-?[0-9]{1,18}$", v, 0, 0))
		return g_strdup(v);
	g_autofree char *iso = g_regex_match_simple("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", v, 0, 0)
	                           ? g_strconcat(v, "T00:00:00Z", NULL)
	                           : g_strdup(v);
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, utc);
	return dt ? g_strdup_printf("%" G_GINT64_FORMAT, g_date_time_to_unix(dt)) : NULL;
}

/* Checks the filters and fills the three parallel arrays store/search.c takes. */
static gboolean search_filters(const CatalogSearchQuery *q, GPtrArray *keys, GPtrArray *vals, GPtrArray *ops,
                               GError **error)
{
	if (q->n_filters > CATALOG_SEARCH_FILTERS_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Filters has more than %d predicates",
		            CATALOG_SEARCH_FILTERS_MAX);
		return FALSE;
	}
	for (guint i = 0; i < q->n_filters; i++) {
		const CatalogSearchFilter *f = &q->filters[i];
		if (f->key == NULL || *f->key == '\0')
			return search_invalid(error, "A filter needs a Key%s", "");
		if (f->value == NULL || *f->value == '\0')
			return search_invalid(error, "Filter %s needs a Value", f->key);
		if (f->comparator && !search_in(f->comparator, search_comparators, G_N_ELEMENTS(search_comparators)))
			return search_invalid(error, "Unknown Comparator %s", f->comparator);
		if (search_in(f->key, search_time_keys, G_N_ELEMENTS(search_time_keys))) {
			char *secs = search_time_value(f->value);
			if (secs == NULL)
				return search_invalid(error, "Filter value %s is not a time (seconds since the epoch or ISO-8601)",
				                      f->value);
			g_ptr_array_add(keys, g_strdup(f->key));
			g_ptr_array_add(vals, secs);
			g_ptr_array_add(ops, g_strdup(f->comparator ? f->comparator : "EQUALS"));
			continue;
		}
		if (f->comparator && strcmp(f->comparator, "EQUALS") != 0)
			return search_invalid(error, "Comparator %s applies to time keys only", f->comparator);
		if (search_in(f->key, search_string_keys, G_N_ELEMENTS(search_string_keys)))
			g_ptr_array_add(keys, g_strdup(f->key));
		else /* a table parameter, named bare or as Parameters.<key> */
			g_ptr_array_add(keys, g_str_has_prefix(f->key, "Parameters.") ? g_strdup(f->key)
			                                                               : g_strconcat("Parameters.", f->key, NULL));
		g_ptr_array_add(vals, g_strdup(f->value));
		g_ptr_array_add(ops, g_strdup(""));
	}
	return TRUE;
}

/* TRUE when a filter key reads a field trimming may change (Description, parameters). */
static gboolean search_keys_trimmable(GPtrArray *keys)
{
	for (guint i = 0; i < keys->len; i++) {
		const char *k = g_ptr_array_index(keys, i);
		if (strcmp(k, "Description") == 0 || g_str_has_prefix(k, "Parameters."))
			return TRUE;
	}
	return FALSE;
}

/* The position a page ends at, as text: a JSON array [key, database, table]. */
static char *search_position(const StoreSearchRow *row)
{
	g_autoptr(JsonArray) a = json_array_new();
	json_array_add_string_element(a, row->key);
	json_array_add_string_element(a, row->db);
	json_array_add_string_element(a, row->table);
	g_autoptr(JsonNode) n = json_node_new(JSON_NODE_ARRAY);
	json_node_set_array(n, a);
	return json_to_string(n, FALSE);
}

/* Reads a position made by search_position(); FALSE with INVALID_INPUT when malformed. */
static gboolean search_position_read(const char *text, char **key, char **db, char **table, GError **error)
{
	g_autoptr(JsonNode) n = text ? json_from_string(text, NULL) : NULL;
	JsonArray *a = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	gboolean ok = a && json_array_get_length(a) == 3;
	for (guint i = 0; ok && i < 3; i++) {
		JsonNode *e = json_array_get_element(a, i);
		ok = JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING;
	}
	if (!ok)
		return search_invalid(error, "Invalid NextToken%s", "");
	*key = g_strdup(json_array_get_string_element(a, 0));
	*db = g_strdup(json_array_get_string_element(a, 1));
	*table = g_strdup(json_array_get_string_element(a, 2));
	return TRUE;
}

/* The scan state of one request. */
typedef struct {
	CatalogWork *work;
	const CatalogCtx *ctx;
	const char *catname;
	const StoreTableSearch *sq;
	gboolean matching; /* the query has text, or filters on fields trimming may change */
	GHashTable *facts; /* database → AuthzFacts */
	guint hidden;
} SearchScan;

/* The caller's facts for db, fetched once per request; NULL with the error. */
static AuthzFacts *search_facts(SearchScan *s, const char *db, GError **error)
{
	AuthzFacts *f = g_hash_table_lookup(s->facts, db);
	if (f == NULL) {
		f = catalog_authz_facts(s->work, s->ctx, s->catname, db, error);
		if (f != NULL)
			g_hash_table_insert(s->facts, g_strdup(db), f);
	}
	return f;
}

typedef enum { SEARCH_HIDDEN, SEARCH_SHOWN, SEARCH_RECHECK } SearchState;

/*
 * What the caller gets of the row: hidden, shown, or (a table it sees only partly, which the
 * store exempted from the text and filters) trimmed and to be matched again as trimmed.
 */
static gboolean search_row_state(SearchScan *s, StoreSearchRow *row, SearchState *state, GError **error)
{
	AuthzFacts *f = search_facts(s, row->db, error);
	if (f == NULL)
		return FALSE;
	*state = SEARCH_SHOWN;
	if (!authz_table_visible(f, row->table))
		*state = SEARCH_HIDDEN;
	else if (catalog_authz_columns_restricted(f, row->table)) {
		catalog_authz_trim_doc(f, row->table, NULL, row->doc);
		if (s->matching)
			*state = SEARCH_RECHECK;
	}
	return TRUE;
}

/*
 * The state of every row of a batch. Tables seen only partly are matched on their trimmed
 * documents (store_search_recheck: the search's own predicate), so the answer is the one the
 * caller would get if the hidden columns did not exist, whatever the text or filters say.
 */
static GArray *search_batch_states(SearchScan *s, GPtrArray *rows, GError **error)
{
	g_autoptr(GArray) states = g_array_sized_new(FALSE, TRUE, sizeof(SearchState), rows->len);
	g_autoptr(GPtrArray) again = g_ptr_array_new();
	g_autoptr(GArray) where = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < rows->len; i++) {
		SearchState st;
		if (!search_row_state(s, g_ptr_array_index(rows, i), &st, error))
			return NULL;
		g_array_append_val(states, st);
		if (st == SEARCH_RECHECK) {
			g_ptr_array_add(again, g_ptr_array_index(rows, i));
			g_array_append_val(where, i);
		}
	}
	if (again->len == 0)
		return g_steal_pointer(&states);
	GError *serr = NULL;
	g_autoptr(GArray) match = store_search_recheck(s->work->conn, s->sq, again, &serr);
	if (match == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return NULL;
	}
	for (guint j = 0; j < again->len; j++)
		g_array_index(states, SearchState, g_array_index(where, guint, j)) =
			g_array_index(match, gboolean, j) ? SEARCH_SHOWN : SEARCH_HIDDEN;
	return g_steal_pointer(&states);
}

/*
 * Runs store queries from sq's position until limit visible rows (into out) or the end or the
 * scan bound; *next_out gets the position to continue from, NULL at the end.
 */
static gboolean search_scan(SearchScan *s, StoreTableSearch *sq, guint limit, GPtrArray *out, char **next_out,
                            GError **error)
{
	g_autofree char *pk = NULL, *pd = NULL, *pt = NULL;
	guint scanned = 0;
	for (;;) {
		sq->limit = limit - out->len + 1;
		GError *serr = NULL;
		g_autoptr(GPtrArray) rows = store_table_search(s->work->conn, sq, &serr);
		if (rows == NULL) {
			catalog_error_from_store(serr, NULL, NULL, error);
			return FALSE;
		}
		g_autoptr(GArray) states = search_batch_states(s, rows, error);
		if (states == NULL)
			return FALSE;
		for (guint i = 0; i < rows->len; i++) {
			StoreSearchRow *row = g_ptr_array_index(rows, i);
			if (out->len == limit) { /* one more exists: the page is full */
				*next_out = search_position(g_ptr_array_index(rows, i - 1)); /* i >= 1: see below */
				return TRUE;
			}
			if (g_array_index(states, SearchState, i) == SEARCH_SHOWN)
				g_ptr_array_add(out, json_object_ref(row->doc));
			else
				s->hidden++;
		}
		if (rows->len < sq->limit)
			return TRUE; /* the end */
		/* A full batch: the loop above ended with out->len < limit, or exactly at it on the last row. */
		StoreSearchRow *last = g_ptr_array_index(rows, rows->len - 1);
		scanned += rows->len;
		if (out->len == limit || scanned >= CATALOG_SEARCH_SCAN_MAX) {
			*next_out = search_position(last);
			return TRUE;
		}
		g_free(pk), g_free(pd), g_free(pt);
		pk = g_strdup(last->key), pd = g_strdup(last->db), pt = g_strdup(last->table);
		sq->after_key = pk, sq->after_db = pd, sq->after_table = pt;
	}
}

/*
 * The tables of the scanned databases the caller sees only partly, into the parallel arrays
 * (borrowed strings of s->facts and restricted): the store does not match them, search_batch_states does.
 */
static gboolean search_exempt(SearchScan *s, GPtrArray *dbs, GPtrArray *restricted, GPtrArray *edbs,
                              GPtrArray *etables, GError **error)
{
	for (guint i = 0; i < dbs->len; i++) {
		AuthzFacts *f = search_facts(s, g_ptr_array_index(dbs, i), error);
		if (f == NULL)
			return FALSE;
		GPtrArray *names = catalog_authz_restricted_tables(f);
		g_ptr_array_add(restricted, names);
		for (guint j = 0; j < names->len; j++) {
			g_ptr_array_add(edbs, g_ptr_array_index(dbs, i));
			g_ptr_array_add(etables, g_ptr_array_index(names, j));
		}
	}
	return TRUE;
}

/* SearchTables; see catalog.h. */
GPtrArray *catalog_search_tables(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const CatalogSearchQuery *q,
                                 char **next_out, GError **error)
{
	*next_out = NULL;
	if (q->limit < 1 || q->limit > CATALOG_SEARCH_LIMIT_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "MaxResults must be between 1 and %d",
		            CATALOG_SEARCH_LIMIT_MAX);
		return NULL;
	}
	if (q->sort_field && !search_in(q->sort_field, search_sort_fields, G_N_ELEMENTS(search_sort_fields))) {
		search_invalid(error, "Unsupported sort field %s", q->sort_field);
		return NULL;
	}
	g_auto(SearchText) text = {0};
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *ak = NULL, *ad = NULL, *at = NULL;
	if (!search_text_parse(q->text, &text, error) || !search_filters(q, keys, vals, ops, error) ||
	    (q->after && !search_position_read(q->after, &ak, &ad, &at, error)))
		return NULL;
	g_autofree char *catname = catalog_resolve(cat, catalog);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	/* Only databases the caller sees something in are scanned (admins: all). */
	GError *serr = NULL;
	gboolean all = FALSE;
	g_autoptr(GHashTable) visible = store_authz_visible_databases(
		work.conn, ctx ? ctx->principal : NULL, cat->config->account_id, catname, &all, &serr);
	if (visible == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	g_autoptr(GPtrArray) dbs = all ? NULL : g_ptr_array_new();
	GHashTableIter hi;
	gpointer name;
	g_hash_table_iter_init(&hi, visible);
	while (dbs && g_hash_table_iter_next(&hi, &name, NULL))
		g_ptr_array_add(dbs, name);
	StoreTableSearch sq = {catname, dbs,  text.patterns, keys, vals, ops, q->sort_field, q->descending, ak, ad, at, 0,
	                       NULL,    NULL};
	SearchScan scan = {&work, ctx, catname, &sq, text.patterns->len > 0 || search_keys_trimmable(keys),
	                   g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)authz_facts_free), 0};
	g_autoptr(GPtrArray) restricted = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GPtrArray) edbs = g_ptr_array_new(), etables = g_ptr_array_new();
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	if (dbs && scan.matching && !search_exempt(&scan, dbs, restricted, edbs, etables, error))
		g_clear_pointer(&out, g_ptr_array_unref);
	if (edbs->len > 0)
		sq.exempt_dbs = edbs, sq.exempt_tables = etables;
	if (out && !search_scan(&scan, &sq, q->limit, out, next_out, error))
		g_clear_pointer(&out, g_ptr_array_unref);
	g_hash_table_unref(scan.facts);
	catalog_work_end(&work, out != NULL, NULL);
	if (out != NULL && scan.hidden > 0) {
		g_autofree char *resource = g_strdup_printf("catalog %s (search tables)", catname);
		g_autofree char *why = g_strdup_printf("%u hidden", scan.hidden);
		catalog_authz_audit(cat, ctx, resource, AUTHZ_DESCRIBE, TRUE, why);
	}
	if (out == NULL)
		g_clear_pointer(next_out, g_free);
	return catalog_docs_set_catalog(out, catname);
}
