/*
 * json.c — JSONB text in and out of the store, and array parameters.
 *
 * Documents cross libpq as text: written with json-glib's generator ($n::jsonb), read back
 * with its parser. Pure functions, safe from any thread.
 */
#include "store/store_internal.h"

#include <string.h>

/*
 * json-glib 1.6's generator writes U+001F raw inside strings, and PostgreSQL's JSON parser rejects
 * raw control characters: rewrite any byte below 0x20 (only ever inside a string) as \u00XX.
 */
static char *store_json_escape_controls(char *text)
{
	const char *p = text;
	while (*p && (guchar)*p >= 0x20)
		p++;
	if (*p == '\0')
		return text;
	GString *s = g_string_sized_new(strlen(text) + 16);
	for (p = text; *p; p++) {
		if ((guchar)*p < 0x20)
			g_string_append_printf(s, "\\u%04x", (guchar)*p);
		else
			g_string_append_c(s, *p);
	}
	g_free(text);
	return g_string_free(s, FALSE);
}

/* JSON text of obj without member skip; copies the member list only when skip is present. */
char *store_json_text(JsonObject *obj, const char *skip)
{
	g_autoptr(JsonObject) out = NULL;
	if (skip != NULL && json_object_has_member(obj, skip)) {
		out = json_object_new();
		g_autoptr(GList) members = json_object_get_members(obj);
		for (GList *l = members; l != NULL; l = l->next)
			if (g_strcmp0(l->data, skip) != 0)
				json_object_set_member(out, l->data, json_node_copy(json_object_get_member(obj, l->data)));
	} else {
		out = json_object_ref(obj);
	}
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), out);
	return store_json_escape_controls(json_to_string(node, FALSE));
}

/* Parses text into a node of the wanted type; NULL with STORE_ERROR_INTERNAL otherwise. */
static JsonNode *store_json_parse(const char *text, JsonNodeType want, GError **error)
{
	g_autoptr(GError) local = NULL;
	JsonNode *node = json_from_string(text, &local);
	if (node == NULL || JSON_NODE_TYPE(node) != want) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "stored document is not a JSON %s\n%s",
		            want == JSON_NODE_OBJECT ? "object" : "array", local ? local->message : "wrong type");
		if (node)
			json_node_unref(node);
		return NULL;
	}
	return node;
}

/* Parses stored JSON text that must be an object. */
JsonObject *store_json_parse_object(const char *text, GError **error)
{
	g_autoptr(JsonNode) node = store_json_parse(text, JSON_NODE_OBJECT, error);
	return node ? json_object_ref(json_node_get_object(node)) : NULL;
}

/* Parses stored JSON text that must be an array. */
JsonArray *store_json_parse_array(const char *text, GError **error)
{
	g_autoptr(JsonNode) node = store_json_parse(text, JSON_NODE_ARRAY, error);
	return node ? json_array_ref(json_node_get_array(node)) : NULL;
}

/* {"a","b\"c"}: each element double-quoted with " and \ escaped. */
char *store_text_array_literal(GPtrArray *names)
{
	GString *s = g_string_new("{");
	for (guint i = 0; names != NULL && i < names->len; i++) {
		if (i > 0)
			g_string_append_c(s, ',');
		g_string_append_c(s, '"');
		for (const char *p = g_ptr_array_index(names, i); *p; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_c(s, '\\');
			g_string_append_c(s, *p);
		}
		g_string_append_c(s, '"');
	}
	g_string_append_c(s, '}');
	return g_string_free(s, FALSE);
}

/* The string member, or fallback. */
const char *store_json_string(JsonObject *obj, const char *member, const char *fallback)
{
	JsonNode *node = obj ? json_object_get_member(obj, member) : NULL;
	if (node == NULL || JSON_NODE_TYPE(node) != JSON_NODE_VALUE || json_node_get_value_type(node) != G_TYPE_STRING)
		return fallback;
	return json_node_get_string(node);
}
