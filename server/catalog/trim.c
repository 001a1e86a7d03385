/*
 * trim.c — what a caller who sees only some columns of a table may read of its documents.
 *
 * Pure functions over Glue-shaped documents (MODEL.md) and a set of hidden column names
 * (lower-cased keys). catalog_authz_trim_doc (authz.c) computes the set from the caller's grants
 * and calls catalog_trim_doc for every table, partition and table version that leaves the core
 * toward a column-limited caller; constraints go through catalog_trim_constraint_hides. The
 * rules, in server/authz/README.md "Column trimming":
 *  - descriptor Columns, BucketColumns, SortColumns and SkewedInfo lose hidden columns
 *    (skewed values and location maps go with any hidden skewed column); partition keys stay;
 *  - parameters (table, partition, descriptor, SerDe): COLUMN_STATS_ACCURATE keeps the
 *    statistics flags of visible columns; Spark's spark.sql.sources.schema(.numParts/.part.N),
 *    Iceberg's current-schema and Avro's avro.schema.literal are rewritten with the visible
 *    top-level fields only (an unreadable one is dropped); SerDe columns / columns.types keep
 *    the visible entries (columns.comments goes); any other value that parses as a schema (a JSON
 *    object with "fields", or "type" struct/record) is dropped; then any parameter whose key or
 *    value still mentions a hidden column as an identifier token is dropped;
 *  - finally any other string member of the document that mentions a hidden column (comments,
 *    view texts, descriptions) is dropped; names, locations, types, owners and partition values
 *    stay.
 * An identifier token is a maximal run of ASCII letters, digits, '_' and non-ASCII bytes,
 * compared case-insensitively; a hidden name with other characters is matched as a substring.
 */
#include <string.h>

#include "catalog/internal.h"

static gboolean trim_ident_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || (guchar)c >= 0x80;
}

static gboolean trim_is_ident(const char *s)
{
	for (; *s; s++)
		if (!trim_ident_char(*s))
			return FALSE;
	return TRUE;
}

static gboolean trim_hidden_name(GHashTable *hidden, const char *name)
{
	if (name == NULL)
		return FALSE;
	g_autofree char *lower = g_ascii_strdown(name, -1);
	return g_hash_table_contains(hidden, lower);
}

/* Does text mention a hidden column (identifier token, or substring for non-identifier names)? */
gboolean catalog_trim_mentions(const char *text, GHashTable *hidden)
{
	if (text == NULL || hidden == NULL || g_hash_table_size(hidden) == 0)
		return FALSE;
	g_autofree char *lower = g_ascii_strdown(text, -1);
	for (char *p = lower; *p;) {
		if (!trim_ident_char(*p)) {
			p++;
			continue;
		}
		char *start = p;
		while (*p && trim_ident_char(*p))
			p++;
		char saved = *p;
		*p = '\0';
		gboolean hit = g_hash_table_contains(hidden, start);
		*p = saved;
		if (hit)
			return TRUE;
	}
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, hidden);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!trim_is_ident(key) && strstr(lower, key) != NULL)
			return TRUE;
	return FALSE;
}

static JsonObject *trim_obj(JsonObject *o, const char *member)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *trim_arr(JsonObject *o, const char *member)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static const char *trim_str(JsonObject *o, const char *member)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n)
	                                                                                     : NULL;
}

/* The member names of o, copied (members may be removed while walking them). */
static GStrv trim_keys(JsonObject *o)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	GList *members = json_object_get_members(o);
	for (GList *l = members; l; l = l->next)
		g_strv_builder_add(b, l->data);
	g_list_free(members);
	return g_strv_builder_end(b);
}

static JsonNode *trim_parse_object(const char *text)
{
	if (text == NULL)
		return NULL;
	while (g_ascii_isspace(*text))
		text++;
	if (*text != '{')
		return NULL;
	JsonNode *root = json_from_string(text, NULL);
	if (root != NULL && !JSON_NODE_HOLDS_OBJECT(root))
		g_clear_pointer(&root, json_node_unref);
	return root;
}

char *catalog_trim_schema(const char *text, GHashTable *hidden)
{
	g_autoptr(JsonNode) root = trim_parse_object(text);
	JsonArray *fields = root ? trim_arr(json_node_get_object(root), "fields") : NULL;
	if (fields == NULL)
		return NULL;
	for (guint i = json_array_get_length(fields); i-- > 0;) {
		JsonNode *e = json_array_get_element(fields, i);
		const char *name = JSON_NODE_HOLDS_OBJECT(e) ? trim_str(json_node_get_object(e), "name") : NULL;
		if (name == NULL || trim_hidden_name(hidden, name))
			json_array_remove_element(fields, i);
	}
	return json_to_string(root, FALSE);
}

/* A JSON object with "fields", or "type" struct / record: a schema however it is keyed. */
static gboolean trim_looks_schema(const char *text)
{
	g_autoptr(JsonNode) root = trim_parse_object(text);
	if (root == NULL)
		return FALSE;
	JsonObject *o = json_node_get_object(root);
	const char *type = trim_str(o, "type");
	return json_object_has_member(o, "fields") || g_strcmp0(type, "struct") == 0 || g_strcmp0(type, "record") == 0;
}

/* COLUMN_STATS_ACCURATE without the flags of hidden columns; NULL when it is not Hive's JSON. */
static char *trim_stats_accurate(const char *text, GHashTable *hidden)
{
	g_autoptr(JsonNode) root = trim_parse_object(text);
	if (root == NULL)
		return NULL;
	JsonObject *cs = trim_obj(json_node_get_object(root), "COLUMN_STATS");
	if (cs != NULL) {
		g_auto(GStrv) keys = trim_keys(cs);
		for (guint i = 0; keys[i]; i++)
			if (trim_hidden_name(hidden, keys[i]))
				json_object_remove_member(cs, keys[i]);
	}
	return json_to_string(root, FALSE);
}

static gboolean trim_schema_key(const char *key)
{
	return g_str_equal(key, "avro.schema.literal") || g_str_equal(key, "current-schema") ||
	       g_str_equal(key, "spark.sql.sources.schema") || g_str_has_prefix(key, "spark.sql.sources.schema.part.");
}

#define SPARK_SCHEMA "spark.sql.sources.schema"

/* Spark's schema, whole or in numbered parts, rewritten in the form it came in (parts: one part). */
static void trim_spark_schema(JsonObject *params, GHashTable *hidden)
{
	const char *whole = trim_str(params, SPARK_SCHEMA);
	const char *nparts = trim_str(params, SPARK_SCHEMA ".numParts");
	if (whole == NULL && nparts == NULL)
		return;
	g_autoptr(GString) text = g_string_new(whole);
	guint64 n = 0;
	gboolean whole_text = whole != NULL || g_ascii_string_to_unsigned(nparts, 10, 1, 10000, &n, NULL);
	for (guint64 i = 0; whole == NULL && whole_text && i < n; i++) {
		g_autofree char *k = g_strdup_printf(SPARK_SCHEMA ".part.%" G_GUINT64_FORMAT, i);
		const char *part = trim_str(params, k);
		whole_text = part != NULL;
		g_string_append(text, part ? part : "");
	}
	g_autofree char *trimmed = whole_text ? catalog_trim_schema(text->str, hidden) : NULL;
	gboolean was_whole = whole != NULL;
	g_auto(GStrv) keys = trim_keys(params);
	for (guint i = 0; keys[i]; i++)
		if (g_str_equal(keys[i], SPARK_SCHEMA) || g_str_equal(keys[i], SPARK_SCHEMA ".numParts") ||
		    g_str_has_prefix(keys[i], SPARK_SCHEMA ".part."))
			json_object_remove_member(params, keys[i]);
	if (trimmed == NULL)
		return;
	if (was_whole) {
		json_object_set_string_member(params, SPARK_SCHEMA, trimmed);
	} else {
		json_object_set_string_member(params, SPARK_SCHEMA ".numParts", "1");
		json_object_set_string_member(params, SPARK_SCHEMA ".part.0", trimmed);
	}
}

/* Hive's columns.types: types separated by ':' outside <> and (). */
static GPtrArray *trim_split_types(const char *types)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	int depth = 0;
	const char *start = types;
	for (const char *p = types;; p++) {
		if (*p == '<' || *p == '(')
			depth++;
		else if ((*p == '>' || *p == ')') && depth > 0)
			depth--;
		if (*p == '\0' || (*p == ':' && depth == 0)) {
			g_ptr_array_add(out, g_strndup(start, p - start));
			start = p + 1;
		}
		if (*p == '\0')
			break;
	}
	return out;
}

/* SerDe "columns" (and "columns.types" when aligned, else dropped) without hidden columns. */
static void trim_columns_list(JsonObject *params, GHashTable *hidden)
{
	const char *cols = trim_str(params, "columns");
	if (cols == NULL)
		return;
	const char *delim = trim_str(params, "column.name.delimiter");
	if (delim == NULL || *delim == '\0')
		delim = ",";
	g_auto(GStrv) names = g_strsplit(cols, delim, -1);
	const char *types = trim_str(params, "columns.types");
	g_autoptr(GPtrArray) tlist = types ? trim_split_types(types) : NULL;
	gboolean aligned = tlist && tlist->len == g_strv_length(names);
	g_autoptr(GStrvBuilder) kn = g_strv_builder_new(), kt = g_strv_builder_new();
	guint removed = 0;
	for (guint i = 0; names[i]; i++) {
		g_autofree char *name = g_strstrip(g_strdup(names[i]));
		if (trim_hidden_name(hidden, name)) {
			removed++;
			continue;
		}
		g_strv_builder_add(kn, names[i]);
		if (aligned)
			g_strv_builder_add(kt, g_ptr_array_index(tlist, i));
	}
	if (removed == 0)
		return;
	g_auto(GStrv) vn = g_strv_builder_end(kn), vt = g_strv_builder_end(kt);
	g_autofree char *jn = g_strjoinv(delim, vn), *jt = g_strjoinv(":", vt);
	json_object_set_string_member(params, "columns", jn);
	if (aligned)
		json_object_set_string_member(params, "columns.types", jt);
	else
		json_object_remove_member(params, "columns.types");
	json_object_remove_member(params, "columns.comments");
}

/* The value a column-limited caller may read of one parameter: a new string, or NULL to drop it. */
static char *trim_param_value(const char *key, const char *value, GHashTable *hidden)
{
	if (catalog_trim_mentions(key, hidden))
		return NULL;
	g_autofree char *rewritten = NULL;
	if (g_str_equal(key, "COLUMN_STATS_ACCURATE"))
		rewritten = trim_stats_accurate(value, hidden);
	else if (trim_schema_key(key))
		rewritten = catalog_trim_schema(value, hidden);
	else if (trim_looks_schema(value))
		return NULL;
	const char *now = rewritten ? rewritten : value;
	return catalog_trim_mentions(now, hidden) ? NULL : g_strdup(now);
}

void catalog_trim_params(JsonObject *params, GHashTable *hidden)
{
	if (params == NULL || hidden == NULL || g_hash_table_size(hidden) == 0)
		return;
	trim_spark_schema(params, hidden);
	trim_columns_list(params, hidden);
	g_auto(GStrv) keys = trim_keys(params);
	for (guint i = 0; keys[i]; i++) {
		const char *value = trim_str(params, keys[i]);
		if (value == NULL) {
			if (catalog_trim_mentions(keys[i], hidden))
				json_object_remove_member(params, keys[i]);
			continue;
		}
		g_autofree char *now = trim_param_value(keys[i], value, hidden);
		if (now == NULL)
			json_object_remove_member(params, keys[i]);
		else if (!g_str_equal(now, value))
			json_object_set_string_member(params, keys[i], now);
	}
}

/* Removes from arr the objects whose `member` names a hidden column (or is missing). */
static void trim_named(JsonArray *arr, const char *member, GHashTable *hidden)
{
	for (guint i = arr ? json_array_get_length(arr) : 0; i-- > 0;) {
		JsonNode *e = json_array_get_element(arr, i);
		const char *name = JSON_NODE_HOLDS_OBJECT(e) ? trim_str(json_node_get_object(e), member) : NULL;
		if (name == NULL || trim_hidden_name(hidden, name))
			json_array_remove_element(arr, i);
	}
}

/* Removes the hidden names from an array of strings; returns how many went. */
static guint trim_names(JsonArray *arr, GHashTable *hidden)
{
	guint removed = 0;
	for (guint i = arr ? json_array_get_length(arr) : 0; i-- > 0;) {
		const char *name = json_array_get_string_element(arr, i);
		if (name == NULL || trim_hidden_name(hidden, name)) {
			json_array_remove_element(arr, i);
			removed++;
		}
	}
	return removed;
}

static void trim_sd(JsonObject *sd, GHashTable *hidden)
{
	trim_named(trim_arr(sd, "Columns"), "Name", hidden);
	trim_names(trim_arr(sd, "BucketColumns"), hidden);
	trim_named(trim_arr(sd, "SortColumns"), "Column", hidden);
	JsonObject *skew = trim_obj(sd, "SkewedInfo");
	if (skew && trim_names(trim_arr(skew, "SkewedColumnNames"), hidden) > 0) {
		/* values are tuples over the names: they go with any hidden one */
		json_object_remove_member(skew, "SkewedColumnValues");
		json_object_remove_member(skew, "SkewedColumnValueLocationMaps");
	}
	catalog_trim_params(trim_obj(sd, "Parameters"), hidden);
	catalog_trim_params(trim_obj(trim_obj(sd, "SerdeInfo"), "Parameters"), hidden);
}

/* Members whose text stays whatever it says: names, paths, types, owners, partition values. */
static gboolean trim_kept_member(const char *key)
{
	static const char *const kept[] = {"Name",  "DatabaseName", "TableName", "CatalogName", "Location",
	                                   "Owner", "Type",         "Values",    "VersionId",   "TableType", NULL};
	return g_strv_contains(kept, key);
}

static void trim_node_strings(JsonNode *n, GHashTable *hidden);

static gboolean trim_node_mentions(JsonNode *n, GHashTable *hidden)
{
	return JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING &&
	       catalog_trim_mentions(json_node_get_string(n), hidden);
}

/* The safety net: drops every other string that mentions a hidden column, at any depth. */
static void trim_node_strings(JsonNode *n, GHashTable *hidden)
{
	if (JSON_NODE_HOLDS_OBJECT(n)) {
		JsonObject *o = json_node_get_object(n);
		g_auto(GStrv) keys = trim_keys(o);
		for (guint i = 0; keys[i]; i++) {
			if (trim_kept_member(keys[i]))
				continue;
			JsonNode *m = json_object_get_member(o, keys[i]);
			if (trim_node_mentions(m, hidden))
				json_object_remove_member(o, keys[i]);
			else
				trim_node_strings(m, hidden);
		}
	} else if (JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);
		for (guint i = json_array_get_length(a); i-- > 0;) {
			JsonNode *e = json_array_get_element(a, i);
			if (trim_node_mentions(e, hidden))
				json_array_remove_element(a, i);
			else
				trim_node_strings(e, hidden);
		}
	}
}

void catalog_trim_doc(JsonObject *doc, GHashTable *hidden)
{
	if (doc == NULL || hidden == NULL || g_hash_table_size(hidden) == 0)
		return;
	JsonObject *sd = trim_obj(doc, "StorageDescriptor");
	if (sd != NULL)
		trim_sd(sd, hidden);
	catalog_trim_params(trim_obj(doc, "Parameters"), hidden);
	g_autoptr(JsonNode) holder = json_node_init_object(json_node_alloc(), doc);
	trim_node_strings(holder, hidden);
}

/* Members of a constraint that name tables, not columns (Hive's field names, '_' or GObject's '-'). */
static gboolean trim_constraint_table_member(const char *key)
{
	static const char *const tables[] = {"table_db",     "table_name",   "pktable_db", "pktable_name",
	                                     "fktable_db",   "fktable_name", "catName",    NULL};
	g_autofree char *name = g_strdelimit(g_strdup(key), "-", '_');
	return g_strv_contains(tables, name);
}

gboolean catalog_trim_constraint_hides(JsonObject *c, GHashTable *hidden)
{
	if (c == NULL || hidden == NULL || g_hash_table_size(hidden) == 0)
		return FALSE;
	JsonObjectIter it;
	const char *key;
	JsonNode *n;
	json_object_iter_init(&it, c);
	while (json_object_iter_next(&it, &key, &n))
		if (!trim_constraint_table_member(key) && trim_node_mentions(n, hidden))
			return TRUE;
	return FALSE;
}
