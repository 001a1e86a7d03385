/*
 * filter.c — Hive's table filter language for get_table_names_by_filter.
 *
 * Grammar (keywords case-insensitive):
 *   expr   := term ("or" term)*        term := factor ("and" factor)*
 *   factor := "(" expr ")" | key op literal | literal op key
 *   key    := hive_filter_field_owner__ | hive_filter_field_last_access__
 *           | hive_filter_field_params__<param> | hive_filter_field_tableName__
 *   op     := = | == | <> | != | < | <= | > | >= | like
 * LIKE takes a Java regex matched against the whole value (a leading "(?i)" is accepted), as
 * Hive's ObjectStore does. Each condition becomes one parameterized store query; and/or
 * combine the name sets here, so no SQL is ever built from the filter text.
 *
 * A caller who sees some tables only partly (column-level SELECT) gets those tables matched on
 * their trimmed documents when the filter reads parameters (the only field trimming changes):
 * the same conditions run over the trimmed documents (store_table_names_where_docs, the same
 * SQL), so a hidden parameter value neither selects a table nor keeps one out. Other callers
 * and other tables take the plain path.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"

typedef struct {
	const char *s;   /* the filter text */
	gsize pos;
	CatalogWork *work;
	const char *catalog, *db;
	GPtrArray *doc_names, *docs; /* non-NULL: conditions run over these (name, JsonObject*), not the store */
	guint depth;
} FilterParser;

#define FILTER_MAX_DEPTH 64

static void filter_skip_ws(FilterParser *p)
{
	while (p->s[p->pos] && g_ascii_isspace(p->s[p->pos]))
		p->pos++;
}

/* TRUE and consumes the keyword if it is next (whole word, any case). */
static gboolean filter_accept_word(FilterParser *p, const char *word)
{
	filter_skip_ws(p);
	gsize n = strlen(word);
	if (g_ascii_strncasecmp(p->s + p->pos, word, n) != 0)
		return FALSE;
	char next = p->s[p->pos + n];
	if (g_ascii_isalnum(next) || next == '_')
		return FALSE;
	p->pos += n;
	return TRUE;
}

static gboolean filter_fail(FilterParser *p, GError **error, const char *what)
{
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Error parsing table filter at %u: %s",
	            (guint)p->pos, what);
	return FALSE;
}

/* Reads a quoted string or a bare number. New string in *out. */
static gboolean filter_literal(FilterParser *p, char **out, GError **error)
{
	filter_skip_ws(p);
	char q = p->s[p->pos];
	if (q == '"' || q == '\'') {
		GString *v = g_string_new(NULL);
		p->pos++;
		while (p->s[p->pos] && p->s[p->pos] != q) {
			if (p->s[p->pos] == '\\' && p->s[p->pos + 1])
				p->pos++;
			g_string_append_c(v, p->s[p->pos++]);
		}
		if (p->s[p->pos] != q) {
			g_string_free(v, TRUE);
			return filter_fail(p, error, "unterminated string");
		}
		p->pos++;
		*out = g_string_free(v, FALSE);
		return TRUE;
	}
	gsize start = p->pos;
	if (p->s[p->pos] == '-')
		p->pos++;
	while (g_ascii_isdigit(p->s[p->pos]))
		p->pos++;
	if (p->pos == start || (p->pos == start + 1 && p->s[start] == '-'))
		return filter_fail(p, error, "expected a literal");
	*out = g_strndup(p->s + start, p->pos - start);
	return TRUE;
}

/* Reads a key; returns the store field name ("owner", "param:k", ...) or NULL. */
static char *filter_key(FilterParser *p)
{
	static const char prefix[] = "hive_filter_field_";
	filter_skip_ws(p);
	if (g_ascii_strncasecmp(p->s + p->pos, prefix, sizeof prefix - 1) != 0)
		return NULL;
	gsize start = p->pos;
	while (p->s[p->pos] && (g_ascii_isalnum(p->s[p->pos]) || strchr("_.-", p->s[p->pos])))
		p->pos++;
	g_autofree char *word = g_strndup(p->s + start, p->pos - start);
	const char *rest = word + sizeof prefix - 1;
	if (g_ascii_strcasecmp(rest, "owner__") == 0)
		return g_strdup("owner");
	if (g_ascii_strcasecmp(rest, "last_access__") == 0)
		return g_strdup("last_access");
	if (g_ascii_strcasecmp(rest, "tableName__") == 0)
		return g_strdup("name");
	if (g_ascii_strncasecmp(rest, "params__", 8) == 0 && rest[8])
		return g_strdup_printf("param:%s", rest + 8);
	p->pos = start;
	return NULL;
}

/* Reads an operator; returns the store's spelling or NULL. */
static const char *filter_op(FilterParser *p)
{
	static const struct { const char *text, *op; } ops[] = {
		{"==", "="}, {"<>", "<>"}, {"!=", "<>"}, {"<=", "<="}, {">=", ">="}, {"=", "="}, {"<", "<"}, {">", ">"},
	};
	filter_skip_ws(p);
	for (guint i = 0; i < G_N_ELEMENTS(ops); i++) {
		gsize n = strlen(ops[i].text);
		if (strncmp(p->s + p->pos, ops[i].text, n) == 0) {
			p->pos += n;
			return ops[i].op;
		}
	}
	if (filter_accept_word(p, "like"))
		return "like";
	return NULL;
}

/* Flips an operator for `literal op key`. */
static const char *filter_flip(const char *op)
{
	if (strcmp(op, "<") == 0)
		return ">";
	if (strcmp(op, ">") == 0)
		return "<";
	if (strcmp(op, "<=") == 0)
		return ">=";
	if (strcmp(op, ">=") == 0)
		return "<=";
	return op;
}

/* A set of names as a hash set (keys owned). */
static GHashTable *filter_set_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

/* Runs one condition against the store. */
static GHashTable *filter_condition(FilterParser *p, GError **error)
{
	g_autofree char *key = filter_key(p);
	g_autofree char *value = NULL;
	const char *op = NULL;
	if (key != NULL) {
		op = filter_op(p);
		if (op == NULL) {
			filter_fail(p, error, "expected an operator");
			return NULL;
		}
		if (!filter_literal(p, &value, error))
			return NULL;
	} else {
		if (!filter_literal(p, &value, error))
			return NULL;
		op = filter_op(p);
		if (op == NULL || strcmp(op, "like") == 0) {
			filter_fail(p, error, "expected an operator");
			return NULL;
		}
		op = filter_flip(op);
		key = filter_key(p);
		if (key == NULL) {
			filter_fail(p, error, "expected a hive_filter_field_ key");
			return NULL;
		}
	}
	if (strcmp(key, "last_access") == 0) {
		char *end = NULL;
		(void)g_ascii_strtoll(value, &end, 10);
		if (end == value || *end != '\0') {
			filter_fail(p, error, "last access time must be an integer");
			return NULL;
		}
	}
	if (strcmp(op, "like") == 0) {
		/* PostgreSQL's ARE takes Java's leading (?i) as an embedded option, before the anchor. */
		const char *re = value;
		gboolean caseless = g_str_has_prefix(re, "(?i)");
		if (caseless)
			re += 4;
		char *anchored = g_strdup_printf("%s^(?:%s)$", caseless ? "(?i)" : "", re);
		g_free(value);
		value = anchored;
	}
	if (p->work == NULL)
		return filter_set_new(); /* syntax check only (catalog_filter_check) */
	GError *serr = NULL;
	g_autoptr(GPtrArray) names =
		p->doc_names ? store_table_names_where_docs(p->work->conn, p->doc_names, p->docs, key, op, value, &serr)
		             : store_table_names_where(p->work->conn, p->catalog, p->db, key, op, value, &serr);
	if (names == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		if (error && *error && (*error)->code == CATALOG_ERROR_INTERNAL)
			(*error)->code = CATALOG_ERROR_INVALID_INPUT;
		return NULL;
	}
	GHashTable *set = filter_set_new();
	for (guint i = 0; i < names->len; i++)
		g_hash_table_add(set, g_strdup(g_ptr_array_index(names, i)));
	return set;
}

static GHashTable *filter_expr(FilterParser *p, GError **error);

static GHashTable *filter_factor(FilterParser *p, GError **error)
{
	filter_skip_ws(p);
	if (p->s[p->pos] == '(') {
		if (++p->depth > FILTER_MAX_DEPTH) {
			filter_fail(p, error, "too deeply nested");
			return NULL;
		}
		p->pos++;
		GHashTable *set = filter_expr(p, error);
		if (set == NULL)
			return NULL; /* never step past an error: the text may end here ("((") */
		filter_skip_ws(p);
		if (p->s[p->pos] != ')') {
			g_hash_table_unref(set);
			filter_fail(p, error, "expected )");
			return NULL;
		}
		p->pos++;
		p->depth--;
		return set;
	}
	return filter_condition(p, error);
}

static GHashTable *filter_term(FilterParser *p, GError **error)
{
	GHashTable *acc = filter_factor(p, error);
	while (acc != NULL && filter_accept_word(p, "and")) {
		GHashTable *rhs = filter_factor(p, error);
		if (rhs == NULL) {
			g_hash_table_unref(acc);
			return NULL;
		}
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, acc);
		while (g_hash_table_iter_next(&it, &k, NULL))
			if (!g_hash_table_contains(rhs, k))
				g_hash_table_iter_remove(&it);
		g_hash_table_unref(rhs);
	}
	return acc;
}

static GHashTable *filter_expr(FilterParser *p, GError **error)
{
	GHashTable *acc = filter_term(p, error);
	while (acc != NULL && filter_accept_word(p, "or")) {
		GHashTable *rhs = filter_term(p, error);
		if (rhs == NULL) {
			g_hash_table_unref(acc);
			return NULL;
		}
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, rhs);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_hash_table_add(acc, g_strdup(k));
		g_hash_table_unref(rhs);
	}
	return acc;
}

static gint filter_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Runs the parser p over its filter; the matching names as a set, or NULL with the error. */
static GHashTable *filter_run(FilterParser *p, GError **error)
{
	GHashTable *set = filter_expr(p, error);
	if (set == NULL)
		return NULL;
	filter_skip_ws(p);
	if (p->s[p->pos] != '\0') {
		g_hash_table_unref(set);
		filter_fail(p, error, "unexpected text after the filter");
		return NULL;
	}
	return set;
}

/* The names of set, sorted. */
static GPtrArray *filter_sorted(GHashTable *set)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(names, g_strdup(k));
	g_ptr_array_sort(names, filter_cmp);
	return names;
}

/* Parses and evaluates filter; sorted names (char*), or NULL with INVALID_INPUT for a bad filter. */
GPtrArray *catalog_filter_table_names(CatalogWork *work, const char *catalog, const char *db, const char *filter,
                                      GError **error)
{
	if (filter == NULL || *filter == '\0') {
		GError *serr = NULL;
		GPtrArray *all = store_table_list(work->conn, catalog, db, NULL, NULL, FALSE, &serr);
		if (all == NULL)
			catalog_error_from_store(serr, NULL, NULL, error);
		return all;
	}
	FilterParser p = {.s = filter, .pos = 0, .work = work, .catalog = catalog, .db = db};
	g_autoptr(GHashTable) set = filter_run(&p, error);
	return set ? filter_sorted(set) : NULL;
}

/*
 * The trimmed documents of the tables named in `restricted` that exist, into names and docs;
 * FALSE with the error.
 */
static gboolean filter_trimmed_docs(CatalogWork *work, const AuthzFacts *f, const char *catalog, const char *db,
                                    GPtrArray *restricted, GPtrArray *names, GPtrArray *docs, GError **error)
{
	for (guint i = 0; i < restricted->len; i++) {
		const char *table = g_ptr_array_index(restricted, i);
		GError *serr = NULL;
		g_autoptr(JsonObject) doc = store_table_get(work->conn, catalog, db, table, FALSE, &serr);
		if (doc == NULL && g_error_matches(serr, STORE_ERROR, STORE_ERROR_NOT_FOUND)) {
			g_clear_error(&serr);
			continue; /* a grant on a table that is gone */
		}
		if (doc == NULL) {
			catalog_error_from_store(serr, NULL, NULL, error);
			return FALSE;
		}
		catalog_authz_trim_doc(f, table, NULL, doc);
		g_ptr_array_add(names, g_strdup(table));
		g_ptr_array_add(docs, g_steal_pointer(&doc));
	}
	return TRUE;
}

/* catalog_filter_table_names as the caller of f sees the tables; see internal.h. */
GPtrArray *catalog_filter_table_names_seen(CatalogWork *work, const AuthzFacts *f, const char *catalog,
                                           const char *db, const char *filter, GError **error)
{
	g_autoptr(GPtrArray) names = catalog_filter_table_names(work, catalog, db, filter, error);
	g_autofree char *lower = filter ? g_ascii_strdown(filter, -1) : NULL;
	if (names == NULL || lower == NULL || strstr(lower, "params__") == NULL) /* trimming changes only parameters */
		return g_steal_pointer(&names);
	g_autoptr(GPtrArray) restricted = catalog_authz_restricted_tables(f);
	if (restricted->len == 0)
		return g_steal_pointer(&names);
	g_autoptr(GPtrArray) doc_names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	if (!filter_trimmed_docs(work, f, catalog, db, restricted, doc_names, docs, error))
		return NULL;
	g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < names->len; i++)
		g_hash_table_add(set, g_strdup(g_ptr_array_index(names, i)));
	for (guint i = 0; i < restricted->len; i++) /* their stored answer may rest on hidden values */
		g_hash_table_remove(set, g_ptr_array_index(restricted, i));
	if (doc_names->len > 0) {
		FilterParser p = {.s = filter, .work = work, .doc_names = doc_names, .docs = docs};
		g_autoptr(GHashTable) seen = filter_run(&p, error);
		if (seen == NULL)
			return NULL;
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, seen);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_hash_table_add(set, g_strdup(k));
	}
	return filter_sorted(set);
}

/* Parses filter without running it (no store): TRUE, or FALSE with the INVALID_INPUT parse error. */
gboolean catalog_filter_check(const char *filter, GError **error)
{
	if (filter == NULL || *filter == '\0')
		return TRUE;
	FilterParser p = {.s = filter, .pos = 0, .work = NULL};
	GHashTable *set = filter_expr(&p, error);
	if (set == NULL)
		return FALSE;
	g_hash_table_unref(set);
	filter_skip_ws(&p);
	if (p.s[p.pos] != '\0')
		return filter_fail(&p, error, "unexpected text after the filter");
	return TRUE;
}
