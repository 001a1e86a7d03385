/*
 * shape.c — Glue requests in, Glue responses out, and page tokens.
 *
 * Readers check each member against botocore's Glue model (type, length, range). Output
 * shaping hides what Glue does not have: members "Hive" (Hive-only fields, MODEL.md) and
 * "CatalogName" (Hive's catalog), and sets CatalogId to the account id. Page tokens are
 * base64url(JSON {s: scope, a: after}) + "." + HMAC (key derived from the master key), so a
 * client can neither forge nor move a token to another operation or database. Client JSON
 * text (bodies, skewed value lists) is parsed only through json_client_parse, which checks what
 * json-glib 1.6 mishandles first.
 */
#include <string.h>

#include "glue/internal.h"
#include "common/json.h"

/* A skewed value list nests one level; text nesting deeper is kept as one value. */
#define GLUE_SKEW_MAX_DEPTH 8

/* A member of the wrong JSON type: SerializationException. */
static gboolean glue_wrong_type(const char *member, const char *want, GError **error)
{
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be %s", member, want);
	return FALSE;
}

static gboolean glue_missing(const char *member, GError **error)
{
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "1 validation error detected: Value null at '%s' "
	            "failed to satisfy constraint: Member must not be null", member);
	return FALSE;
}


/* A string member, with its length (in characters) checked against max_len (0: no limit). */
const char *glue_in_string(JsonObject *in, const char *member, gboolean required, guint max_len, GError **error)
{
	JsonNode *n = in ? json_object_get_member(in, member) : NULL;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n)) {
		if (required)
			glue_missing(member, error);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
		glue_wrong_type(member, "a string", error);
		return NULL;
	}
	const char *s = json_node_get_string(n);
	if (max_len > 0 && g_utf8_strlen(s, -1) > (glong)max_len) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at '%s' failed to satisfy constraint: "
		            "Member must have length less than or equal to %u", member, max_len);
		return NULL;
	}
	return s;
}

/* A NameString: 1..255 characters, none below U+0020 but tab. */
const char *glue_in_name(JsonObject *in, const char *member, gboolean required, GError **error)
{
	GError *e = NULL;
	const char *s = glue_in_string(in, member, required, 255, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	if (s == NULL)
		return NULL;
	gboolean ok = *s != '\0';
	for (const char *p = s; ok && *p; p++)
		ok = (guchar)*p >= 0x20 || *p == '\t';
	if (!ok) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at '%s' failed to satisfy constraint: "
		            "Member must have length greater than or equal to 1 and satisfy the name pattern", member);
		return NULL;
	}
	return s;
}

/* An object member. */
JsonObject *glue_in_object(JsonObject *in, const char *member, gboolean required, GError **error)
{
	JsonNode *n = in ? json_object_get_member(in, member) : NULL;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n)) {
		if (required)
			glue_missing(member, error);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(n)) {
		glue_wrong_type(member, "an object", error);
		return NULL;
	}
	return json_node_get_object(n);
}

/* An array member. */
JsonArray *glue_in_array(JsonObject *in, const char *member, gboolean required, GError **error)
{
	JsonNode *n = in ? json_object_get_member(in, member) : NULL;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n)) {
		if (required)
			glue_missing(member, error);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_ARRAY(n)) {
		glue_wrong_type(member, "a list", error);
		return NULL;
	}
	return json_node_get_array(n);
}

/* An integer member in [min, max]. */
gboolean glue_in_int(JsonObject *in, const char *member, gint64 min, gint64 max, gint64 def, gint64 *out,
                     GError **error)
{
	JsonNode *n = in ? json_object_get_member(in, member) : NULL;
	*out = def;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
		return glue_wrong_type(member, "an integer", error);
	*out = json_node_get_int(n);
	if (*out < min || *out > max) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value '%" G_GINT64_FORMAT "' at '%s' failed to satisfy constraint: "
		            "Member must have value between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
		            *out, member, min, max);
		return FALSE;
	}
	return TRUE;
}

/*
 * CatalogId, when given, must be ours: the account id selects the default Hive catalog, and
 * "<account id>:<name>" (Glue's form for a catalog below the account's) selects Hive catalog
 * <name> (create_catalog), kept in call->catalog for the operation. Another account's catalog
 * does not exist here.
 */
gboolean glue_check_catalog_id(GlueCall *call, GError **error)
{
	GError *e = NULL;
	const char *id = glue_in_name(call->in, "CatalogId", FALSE, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return glue_catalog_id_select(call, id, error);
}

/* See internal.h: id (NULL = none given) → call->catalog, or NOT_FOUND. */
gboolean glue_catalog_id_select(GlueCall *call, const char *id, GError **error)
{
	if (id == NULL || strcmp(id, call->door->config->account_id) == 0)
		return TRUE;
	gsize alen = strlen(call->door->config->account_id);
	const char *sub = strncmp(id, call->door->config->account_id, alen) == 0 && id[alen] == ':' ? id + alen + 1 : NULL;
	if (sub == NULL || !catalog_name_is_valid(sub)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Catalog %.64s not found", id);
		return FALSE;
	}
	g_free(call->catalog);
	call->catalog = g_ascii_strdown(sub, -1);
	return TRUE;
}

/* The CatalogId answers carry: the account id, or "<account id>:<catalog>" for another Hive catalog. */
char *glue_catalog_id_out(GlueCall *call)
{
	const char *account = call->door->config->account_id;
	if (call->catalog == NULL || strcmp(call->catalog, catalog_default_name(call->door->cat)) == 0)
		return g_strdup(account);
	return g_strdup_printf("%s:%s", account, call->catalog);
}

/* A deep copy of o. */
JsonObject *glue_copy_object(JsonObject *o)
{
	g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(n, o);
	g_autoptr(JsonNode) c = json_node_copy(n);
	/* json_node_copy shares containers: serialise and parse for a real copy. */
	g_autofree char *text = json_to_string(c, FALSE);
	g_autoptr(JsonNode) fresh = json_from_string(text, NULL);
	return json_object_ref(json_node_get_object(fresh));
}

/* Replaces a float-valued time member by its integer seconds. */
static void glue_int_time(JsonObject *o, const char *member)
{
	JsonNode *n = json_object_get_member(o, member);
	if (n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_DOUBLE)
		json_object_set_int_member(o, member, (gint64)json_node_get_double(n));
}

/* TableInput → document: integer times; SkewedColumnValues strings become value lists. */
void glue_table_from_input(JsonObject *t)
{
	glue_int_time(t, "LastAccessTime");
	glue_int_time(t, "LastAnalyzedTime");
	JsonNode *sdn = json_object_get_member(t, "StorageDescriptor");
	JsonObject *sd = sdn && JSON_NODE_HOLDS_OBJECT(sdn) ? json_node_get_object(sdn) : NULL;
	JsonNode *skn = sd ? json_object_get_member(sd, "SkewedInfo") : NULL;
	JsonObject *sk = skn && JSON_NODE_HOLDS_OBJECT(skn) ? json_node_get_object(skn) : NULL;
	JsonNode *vn = sk ? json_object_get_member(sk, "SkewedColumnValues") : NULL;
	if (vn == NULL || !JSON_NODE_HOLDS_ARRAY(vn))
		return;
	JsonArray *vals = json_node_get_array(vn);
	JsonArray *lists = json_array_new();
	for (guint i = 0; i < json_array_get_length(vals); i++) {
		JsonNode *e = json_array_get_element(vals, i);
		const char *s = JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING
		                    ? json_node_get_string(e) : "";
		JsonNode *parsed = json_client_parse(s, strlen(s), GLUE_SKEW_MAX_DEPTH, NULL); /* client text */
		if (parsed && JSON_NODE_HOLDS_ARRAY(parsed)) {
			json_array_add_element(lists, parsed);
		} else {
			if (parsed)
				json_node_unref(parsed);
			JsonArray *one = json_array_new();
			json_array_add_string_element(one, s);
			json_array_add_array_element(lists, one);
		}
	}
	json_object_set_array_member(sk, "SkewedColumnValues", lists);
}

/* Removes Hive-only members everywhere below node; value lists of skew become JSON text. */
static void glue_strip(JsonNode *node)
{
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *a = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(a); i++)
			glue_strip(json_array_get_element(a, i));
		return;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return;
	JsonObject *o = json_node_get_object(node);
	json_object_remove_member(o, "Hive");
	json_object_remove_member(o, "CatalogName");
	JsonNode *vals = json_object_get_member(o, "SkewedColumnValues");
	if (vals && JSON_NODE_HOLDS_ARRAY(vals)) {
		JsonArray *a = json_node_get_array(vals);
		JsonArray *strs = json_array_new();
		for (guint i = 0; i < json_array_get_length(a); i++) {
			g_autofree char *text = json_to_string(json_array_get_element(a, i), FALSE);
			json_array_add_string_element(strs, text);
		}
		json_object_set_array_member(o, "SkewedColumnValues", strs);
	}
	JsonObjectIter it;
	const char *key;
	JsonNode *child;
	json_object_iter_init(&it, o);
	while (json_object_iter_next(&it, &key, &child))
		glue_strip(child);
}

/* A copy of doc shaped for Glue. */
JsonObject *glue_shape_out(GlueCall *call, JsonObject *doc)
{
	JsonObject *o = glue_copy_object(doc);
	g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(n, o);
	glue_strip(n);
	g_autofree char *catalog_id = glue_catalog_id_out(call);
	json_object_set_string_member(o, "CatalogId", catalog_id);
	return o;
}

/* Shaped documents [from, to) of docs. */
JsonArray *glue_shape_list(GlueCall *call, GPtrArray *docs, guint from, guint to)
{
	JsonArray *a = json_array_new();
	for (guint i = from; i < to && i < docs->len; i++)
		json_array_add_object_element(a, glue_shape_out(call, g_ptr_array_index(docs, i)));
	return a;
}

/* Hex MAC of the token body under the door's page-token key. */
static char *glue_token_mac(GlueCall *call, const char *body)
{
	guint8 mac[32];
	auth_keyring_mac(call->door->keyring, "glue-page-token", (const guint8 *)body, strlen(body), mac);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < 16; i++)
		g_string_append_printf(s, "%02x", mac[i]);
	return g_string_free(s, FALSE);
}

/* A token that resumes after `after` within scope. */
char *glue_token_make(GlueCall *call, const char *scope, const char *after)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "o");
	json_builder_add_string_value(b, call->operation);
	json_builder_set_member_name(b, "s");
	json_builder_add_string_value(b, scope);
	json_builder_set_member_name(b, "a");
	json_builder_add_string_value(b, after);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree char *text = json_to_string(root, FALSE);
	g_autofree char *body = g_base64_encode((const guchar *)text, strlen(text));
	g_strdelimit(body, "+", '-');
	g_strdelimit(body, "/", '_');
	g_autofree char *mac = glue_token_mac(call, body);
	return g_strdup_printf("%s.%s", body, mac);
}

static gboolean glue_bad_token(GError **error)
{
	g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid NextToken");
	return FALSE;
}

/* Reads a token made by glue_token_make() for the same operation and scope. */
gboolean glue_token_read(GlueCall *call, const char *scope, const char *token, char **after, GError **error)
{
	*after = NULL;
	if (token == NULL || *token == '\0')
		return TRUE;
	const char *dot = strrchr(token, '.');
	if (dot == NULL || strlen(token) > 4096)
		return glue_bad_token(error);
	g_autofree char *body = g_strndup(token, (gsize)(dot - token));
	g_autofree char *mac = glue_token_mac(call, body);
	if (strlen(dot + 1) != strlen(mac) || memcmp(dot + 1, mac, strlen(mac)) != 0)
		return glue_bad_token(error);
	g_strdelimit(body, "-", '+');
	g_strdelimit(body, "_", '/');
	gsize len = 0;
	g_autofree guchar *text = g_base64_decode(body, &len);
	g_autofree char *json = g_strndup((const char *)text, len);
	g_autoptr(JsonNode) n = json_from_string(json, NULL);
	JsonObject *o = n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
	if (o == NULL || g_strcmp0(json_object_get_string_member_with_default(o, "o", ""), call->operation) != 0 ||
	    g_strcmp0(json_object_get_string_member_with_default(o, "s", ""), scope) != 0)
		return glue_bad_token(error);
	*after = g_strdup(json_object_get_string_member_with_default(o, "a", ""));
	return TRUE;
}

/* First index whose name sorts after `after`. */
guint glue_page_start(GPtrArray *names, const char *after)
{
	guint i = 0;
	while (after && i < names->len && strcmp(g_ptr_array_index(names, i), after) <= 0)
		i++;
	return i;
}
