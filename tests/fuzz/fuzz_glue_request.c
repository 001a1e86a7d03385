/*
 * fuzz_glue_request.c — libFuzzer target for the Glue door's request path after SigV4
 * (server/glue/door.c): the X-Amz-Target lookup and content-type check (glue_target), then
 * glue_door_run — the bounded JSON parse (glue_parse_body, json-glib) and the operation's
 * readers and shape checks (shape.c and each operation's file) — exactly as glue_door_handle
 * runs them once the signature verified (SigV4 itself: fuzz_sigv4). The catalog is detached
 * (catalog_new_detached): an operation runs until it would first reach PostgreSQL, where it
 * fails with CATALOG_DETACHED_MESSAGE; the key ring holds a fixed master key in memory, so
 * page tokens are checked for real. Every error then goes through the door's one error table
 * and error body (errors.c), and each input document (TableInput, DatabaseInput,
 * PartitionInput…) through the output shaping (glue_table_from_input, glue_shape_out).
 *
 * Input: "<target>\n<body>". A first line without '.' is an operation name ("GetTable" →
 * AWSGlue.GetTable); with one it is the whole target (Propolis.<Op>, junk). The body is
 * handed over in an exact-size buffer, not NUL-terminated, as http.c hands it over.
 * Contract: an answer, or a client error the door maps to a 4xx Glue type
 * (SerializationException, UnknownOperationException, InvalidInputException,
 * EntityNotFoundException, AlreadyExistsException, ResourceNumberLimitExceededException), or
 * the detached store's UNAVAILABLE; anything else (an internal error, a GLib critical) aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glue/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PRINCIPAL "arn:aws:iam::000000000000:user/fuzz"

/*
 * Drops the audit lines of admin operations. A warning or critical (a programmer error such as
 * a JSON accessor on the wrong type) is a finding: abort(), which libFuzzer catches (GLib's own
 * fatal path raises SIGTRAP, which it does not).
 */
static void fuzz_log(const char *domain, GLogLevelFlags level, const char *message, gpointer user)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) {
		g_log_default_handler(domain, level, message, user);
		abort();
	}
}

static GlueDoor *fuzz_door(void)
{
	static GlueDoor *door;
	if (door == NULL) {
		g_log_set_default_handler(fuzz_log, NULL);
		PropolisConfig *config = config_new_default();
		Catalog *cat = catalog_new_detached(config);
		static const guint8 master[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		                                  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
		door = glue_door_new(cat, auth_keyring_new_detached(cat, master), config);
	}
	return door;
}

/* TRUE for the errors an untrusted body may cause: client errors, and the detached store. */
static gboolean fuzz_error_expected(const GError *e)
{
	if (e->domain == G_IO_ERROR)
		return e->code == G_IO_ERROR_INVALID_DATA || e->code == G_IO_ERROR_NOT_SUPPORTED;
	if (e->domain != CATALOG_ERROR)
		return FALSE;
	switch ((CatalogErrorCode)e->code) {
	case CATALOG_ERROR_NOT_FOUND:
	case CATALOG_ERROR_ALREADY_EXISTS:
	case CATALOG_ERROR_INVALID_OBJECT:
	case CATALOG_ERROR_INVALID_OPERATION:
	case CATALOG_ERROR_INVALID_INPUT:
	case CATALOG_ERROR_LIMIT_EXCEEDED:
		return TRUE;
	case CATALOG_ERROR_UNAVAILABLE:
		return strstr(e->message, CATALOG_DETACHED_MESSAGE) != NULL;
	default:
		return FALSE;
	}
}

/* TRUE when no object below node has a member Glue does not show. */
static gboolean fuzz_shaped(JsonNode *node)
{
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *a = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(a); i++)
			if (!fuzz_shaped(json_array_get_element(a, i)))
				return FALSE;
		return TRUE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return TRUE;
	JsonObject *o = json_node_get_object(node);
	if (json_object_has_member(o, "Hive") || json_object_has_member(o, "CatalogName"))
		return FALSE;
	JsonObjectIter it;
	const char *name;
	JsonNode *child;
	json_object_iter_init(&it, o);
	while (json_object_iter_next(&it, &name, &child))
		if (!fuzz_shaped(child))
			return FALSE;
	return TRUE;
}

/* JSON text that must parse back to an object; returns the root (new). */
static JsonNode *fuzz_reparse(const char *text)
{
	JsonNode *n = json_from_string(text, NULL);
	if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
		abort();
	return n;
}

/* An input document through the door's output path: from-input, shaped, serialised, re-read. */
static void fuzz_shape_doc(GlueDoor *door, JsonObject *input)
{
	GlueCall call = {door, {FUZZ_PRINCIPAL, 1, 0, "glue", "Fuzz"}, "Fuzz", NULL, NULL};
	g_autoptr(JsonObject) doc = glue_copy_object(input);
	glue_table_from_input(doc);
	g_autoptr(JsonObject) out = glue_shape_out(&call, doc);
	g_autoptr(JsonNode) holder = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(holder, out);
	g_autofree char *text = json_to_string(holder, FALSE);
	g_autoptr(JsonNode) back = fuzz_reparse(text);
	JsonObject *o = json_node_get_object(back);
	if (!fuzz_shaped(back) ||
	    g_strcmp0(json_object_get_string_member_with_default(o, "CatalogId", NULL), door->config->account_id) != 0)
		abort();
}

/* The body's input documents (as the operations name them) through fuzz_shape_doc. */
static void fuzz_shape_inputs(GlueDoor *door, const HttpRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) in = glue_parse_body(door, req, &error);
	if (in == NULL)
		return;
	static const char *const objects[] = {"TableInput", "DatabaseInput", "PartitionInput", "FunctionInput"};
	for (guint i = 0; i < G_N_ELEMENTS(objects); i++) {
		JsonNode *n = json_object_get_member(in, objects[i]);
		if (n != NULL && JSON_NODE_HOLDS_OBJECT(n))
			fuzz_shape_doc(door, json_node_get_object(n));
	}
	static const char *const lists[] = {"PartitionInputList", "Entries"};
	for (guint i = 0; i < G_N_ELEMENTS(lists); i++) {
		JsonNode *n = json_object_get_member(in, lists[i]);
		JsonArray *a = n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
		for (guint j = 0; a && j < json_array_get_length(a) && j < 8; j++) {
			JsonNode *e = json_array_get_element(a, j);
			if (JSON_NODE_HOLDS_OBJECT(e))
				fuzz_shape_doc(door, json_node_get_object(e));
		}
	}
}

/* The error answer as the door sends it: a typed 4xx (500 only for the detached store). */
static void fuzz_check_error(const GError *error)
{
	if (!fuzz_error_expected(error))
		abort();
	guint status = 0;
	const char *type = glue_error_type(error, &status);
	gboolean detached = g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_UNAVAILABLE);
	if (status != (detached ? 500u : 400u))
		abort();
	HttpResponse resp = {0};
	glue_error_respond(error, &resp);
	g_autoptr(JsonNode) body = fuzz_reparse(resp.body);
	JsonObject *o = json_node_get_object(body);
	if (resp.status != status || resp.body_len != strlen(resp.body) ||
	    g_strcmp0(json_object_get_string_member_with_default(o, "__type", NULL), type) != 0 ||
	    g_strcmp0(resp.extra_value, type) != 0)
		abort();
	g_free(resp.body);
	g_free(resp.extra_value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1024 * 1024)
		return 0;
	GlueDoor *door = fuzz_door();
	const uint8_t *nl = memchr(data, '\n', size);
	gsize line_len = nl ? (gsize)(nl - data) : size;
	g_autofree char *line = g_strndup((const char *)data, line_len);
	g_autofree char *target = strchr(line, '.') ? g_strdup(line) : g_strconcat("AWSGlue.", line, NULL);
	gsize body_len = nl ? size - line_len - 1 : 0;
	g_autofree guint8 *body = g_memdup2(nl ? nl + 1 : data, body_len); /* exact size: ASan sees overreads */

	const char *names[] = {"Content-Type", "X-Amz-Target"};
	const char *values[] = {"application/x-amz-json-1.1", target};
	HttpRequest req = {"POST", "/", NULL, names, values, 2, body, body_len, "fuzz"};
	GError *error = NULL;
	GlueOpFn fn = NULL;
	const char *op = glue_target(&req, &fn, &error);
	g_autoptr(JsonObject) out = op ? glue_door_run(door, fn, op, FUZZ_PRINCIPAL, 1, &req, &error) : NULL;
	if ((out == NULL) != (error != NULL))
		abort();
	if (out != NULL) {
		g_autoptr(JsonNode) holder = json_node_new(JSON_NODE_OBJECT);
		json_node_set_object(holder, out);
		g_autofree char *text = json_to_string(holder, FALSE);
		json_node_unref(fuzz_reparse(text));
	} else {
		fuzz_check_error(error);
		g_error_free(error);
	}
	fuzz_shape_inputs(door, &req);
	return 0;
}
