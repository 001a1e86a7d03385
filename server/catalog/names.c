/*
 * names.c — Hive's rules for object names and name patterns.
 *
 * Pure functions, no allocation beyond their results, safe from any thread. A name is valid
 * when it is made only of ASCII letters, digits and '_' (Hive's validateName). Patterns
 * follow Hive's ObjectStore: split on '|', '*' means any run of characters, each part is a
 * case-insensitive full match, the rest is a Java-style regex that PostgreSQL's ARE reads the
 * same way for the constructs Hive clients send.
 *
 * Every write of a document checks its text once here (catalog_doc_check_text): Glue's string
 * maps hold strings only. NUL bytes and text that is not UTF-8 never get this far: each door's
 * reader refuses them (common/json.c, thrift/buffer.c), since a C string cannot show them.
 */
#include <string.h>

#include "catalog/catalog.h"
#include "common/error.h"

/* TRUE when name is 1..CATALOG_NAME_MAX characters of [A-Za-z0-9_] (scans at most that far). */
gboolean catalog_name_is_valid(const char *name)
{
	if (name == NULL || *name == '\0')
		return FALSE;
	gsize n = 0;
	for (const char *p = name; *p; p++, n++) {
		if (n >= CATALOG_NAME_MAX || (!g_ascii_isalnum(*p) && *p != '_'))
			return FALSE;
	}
	return TRUE;
}

/* TRUE when name is 1..CATALOG_NAME_MAX characters (column and partition key names: Glue's limit,
 * which counts characters; the doors hand over UTF-8 only). Scans at most one past the limit. */
gboolean catalog_column_name_length_ok(const char *name)
{
	guint n = 0;
	for (const char *p = name; p && *p && n <= CATALOG_NAME_MAX; p = g_utf8_next_char(p))
		n++;
	return n >= 1 && n <= CATALOG_NAME_MAX;
}

/* Members that are Glue string maps (ParametersMap, ConnectionProperties) wherever they appear. */
static gboolean names_is_string_map(const char *member)
{
	return strcmp(member, "Parameters") == 0 || strcmp(member, "ConnectionProperties") == 0;
}

static gboolean names_check_node(JsonNode *node, const char *member, GError **error);

/* A string map: an object whose values are all strings (Hive reads any other value back as ""). */
static gboolean names_check_map(JsonNode *node, const char *member, const char *parent, GError **error)
{
	if (JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "%s%s%s must be a map of strings",
		            parent ? parent : "", parent ? "." : "", member);
		return FALSE;
	}
	JsonObjectIter it;
	const char *key;
	JsonNode *v;
	json_object_iter_init(&it, json_node_get_object(node));
	while (json_object_iter_next(&it, &key, &v)) {
		if (!JSON_NODE_HOLDS_VALUE(v) || json_node_get_value_type(v) != G_TYPE_STRING) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "%s%s%s.%.255s must be a string",
			            parent ? parent : "", parent ? "." : "", member, key);
			return FALSE;
		}
	}
	return TRUE;
}

/* Walks one member's value (objects and arrays, as deep as the door's parser let them nest). */
static gboolean names_check_node(JsonNode *node, const char *member, GError **error)
{
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *a = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(a); i++)
			if (!names_check_node(json_array_get_element(a, i), member, error))
				return FALSE;
		return TRUE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return TRUE;
	JsonObjectIter it;
	const char *key;
	JsonNode *v;
	json_object_iter_init(&it, json_node_get_object(node));
	while (json_object_iter_next(&it, &key, &v)) {
		gboolean ok = names_is_string_map(key) ? names_check_map(v, key, member, error)
		                                       : names_check_node(v, key, error);
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

/* See catalog.h. */
gboolean catalog_doc_check_text(JsonObject *doc, GError **error)
{
	if (doc == NULL)
		return TRUE;
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), doc);
	return names_check_node(node, NULL, error);
}

/*
 * "@cat#db" → ("cat", "db"); "@cat#!" → ("cat", NULL); "@cat#" → ("cat", NULL);
 * "db" → (NULL, "db"); NULL → (NULL, NULL). Results are new strings or NULL.
 */
void catalog_parse_qualified_db(const char *name, char **catalog_out, char **db_out)
{
	*catalog_out = NULL;
	*db_out = NULL;
	if (name == NULL)
		return;
	if (name[0] != '@') {
		*db_out = g_strdup(name);
		return;
	}
	const char *hash = strchr(name + 1, '#');
	if (hash == NULL) {
		/* "@cat" alone: a catalog with no database part. */
		*catalog_out = g_strdup(name + 1);
		return;
	}
	*catalog_out = g_strndup(name + 1, (gsize)(hash - name - 1));
	const char *db = hash + 1;
	if (*db != '\0' && strcmp(db, "!") != 0)
		*db_out = g_strdup(db);
}

/*
 * Hive pattern → anchored regex for PostgreSQL's case-insensitive match (~*).
 * '*' becomes '.*' unless it already follows '.', as HIVE-28297 does. NULL, "" and "*" match all.
 */
char *catalog_pattern_to_regex(const char *pattern)
{
	if (pattern == NULL || *pattern == '\0' || strcmp(pattern, "*") == 0)
		return NULL;
	GString *re = g_string_new("^(?:");
	gboolean first = TRUE;
	g_auto(GStrv) parts = g_strsplit(pattern, "|", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		const char *part = parts[i];
		if (!first)
			g_string_append_c(re, '|');
		first = FALSE;
		g_string_append_c(re, '(');
		char prev = '\0';
		for (const char *p = part; *p; p++) {
			if (*p == '*' && prev != '.')
				g_string_append(re, ".*");
			else
				g_string_append_c(re, *p);
			prev = *p;
		}
		g_string_append_c(re, ')');
	}
	g_string_append(re, ")$");
	return g_string_free(re, FALSE);
}
