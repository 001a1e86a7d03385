/*
 * test_glue_door.c — the Glue door's request path without PostgreSQL: a detached catalog
 * (catalog_new_detached) and an in-memory key ring, driven through glue_door_handle (for what
 * is refused before SigV4) and glue_door_run (what follows it: body, readers, operation).
 *
 * Regressions, all found by tests/fuzz/fuzz_glue_request:
 *  - a body with a lone UTF-16 surrogate escape ("\ud800x") made json-glib 1.6 hand over a
 *    string that is not UTF-8; the door's copy of the body then failed without an error and
 *    glue_door_handle dereferenced the missing GError (a crash of the server);
 *  - json-glib leaks on a broken surrogate pair ("\ud83d\uda00") and on a second value after
 *    the object ("{}{...}", as much memory as the body): both are refused before it parses;
 *  - the same json-glib hazards through TableInput's SkewedColumnValues, whose strings the
 *    door parses as JSON lists (glue_table_from_input): such a string is now kept as one value;
 *  - an X-Amz-Target that is not UTF-8 was echoed into the error body, which was then not JSON.
 */
#include <check.h>
#include <string.h>

#include "common/json.h"
#include "glue/internal.h"

static PropolisConfig *config;
static Catalog *cat;
static AuthKeyring *keyring;
static GlueDoor *door;

static void setup(void)
{
	static const guint8 master[32] = {7};
	config = config_new_default();
	cat = catalog_new_detached(config);
	keyring = auth_keyring_new_detached(cat, master);
	door = glue_door_new(cat, keyring, config);
}

static void teardown(void)
{
	glue_door_free(door);
	auth_keyring_free(keyring);
	catalog_free(cat);
	config_free(config);
}

/* Runs target op on body (after SigV4) and returns the error it ends with (the caller frees it). */
static GError *run_body(const char *op, const char *body)
{
	const char *names[] = {"Content-Type", "X-Amz-Target"};
	g_autofree char *target = g_strconcat("AWSGlue.", op, NULL);
	const char *values[] = {"application/x-amz-json-1.1", target};
	HttpRequest req = {"POST", "/", NULL, names, values, 2, (const guint8 *)body, strlen(body), "test", 1, NULL};
	GError *error = NULL;
	GlueOpFn fn = NULL;
	const char *name = glue_target(&req, &fn, &error);
	ck_assert_msg(name != NULL, "%s", error ? error->message : "");
	g_autoptr(JsonObject) out = glue_door_run(door, fn, name, "arn:aws:iam::000000000000:user/t", 1, &req, &error);
	ck_assert(out == NULL);
	ck_assert(error != NULL);
	return error;
}

static void check_serialization(const char *body)
{
	g_autoptr(GError) error = run_body("GetDatabase", body);
	guint status = 0;
	ck_assert_msg(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA), "%s: %s", body, error->message);
	ck_assert_str_eq(glue_error_type(error, &status), "SerializationException");
	ck_assert_uint_eq(status, 400);
}

START_TEST(test_surrogate_escapes)
{
	check_serialization("{\"Name\": \"\\ud800x\"}");       /* lone high: json-glib gave non-UTF-8 */
	check_serialization("{\"Name\": \"\\udc00\"}");        /* lone low */
	check_serialization("{\"Name\": \"\\ud83d\\uda00\"}"); /* high + high: json-glib leaked */
	check_serialization("{\"Name\": \"\\ud83d\\\\n\"}");   /* high + an escaped backslash */
	check_serialization("{\"\\ud800\": 1}");               /* in a member name */
	/* a real pair is a character: the request gets as far as the (detached) store */
	g_autoptr(GError) error = run_body("GetDatabase", "{\"Name\": \"\\ud83d\\ude00\"}");
	ck_assert_msg(g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_UNAVAILABLE), "%s", error->message);
	ck_assert_str_eq(error->message, CATALOG_DETACHED_MESSAGE);
}
END_TEST

/* Issue 15: U+0000 in a string (escaped or raw) is InvalidInputException; "\\u0000" is text. */
START_TEST(test_nul_in_strings)
{
	static const char raw[] = "{\"Name\": \"a\0b\"}";
	const char *bodies[] = {"{\"Name\": \"nul\\u0000x\"}", "{\"Name\": \"\\u0000\"}", "{\"a\\u0000\": 1, \"Name\": \"x\"}"};
	for (guint i = 0; i <= G_N_ELEMENTS(bodies); i++) {
		g_autoptr(GError) error = NULL;
		if (i < G_N_ELEMENTS(bodies)) {
			error = run_body("GetDatabase", bodies[i]);
		} else {
			g_autoptr(JsonNode) n = json_client_parse(raw, sizeof raw - 1, 8, &error);
			ck_assert(n == NULL);
		}
		guint status = 0;
		ck_assert_msg(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT), "%u: %s", i, error->message);
		ck_assert_str_eq(glue_error_type(error, &status), "InvalidInputException");
		ck_assert_uint_eq(status, 400);
	}
	g_autoptr(GError) error = run_body("GetDatabase", "{\"Name\": \"a\\\\u0000\"}"); /* a backslash, then u0000 */
	ck_assert_msg(g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_UNAVAILABLE), "%s", error->message);
}
END_TEST

START_TEST(test_one_object)
{
	check_serialization("{\"Name\": \"a\"}{\"Name\": \"b\"}"); /* json-glib accepted and leaked the second */
	check_serialization("{}[1]");
	check_serialization("{} x");
	check_serialization("[1]");
	check_serialization("1{}");
	check_serialization("  ");
	g_autoptr(GError) error = run_body("GetDatabase", " \r\n{\"Name\": \"a\"} \t\n");
	ck_assert(g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_UNAVAILABLE));
}
END_TEST

START_TEST(test_nesting_limit)
{
	g_autoptr(GString) deep = g_string_new("{\"Name\": ");
	for (guint i = 0; i < config->json_max_depth; i++)
		g_string_append_c(deep, '[');
	g_string_append(deep, "\"[{\"");
	for (guint i = 0; i < config->json_max_depth; i++)
		g_string_append_c(deep, ']');
	g_string_append_c(deep, '}');
	g_autoptr(GError) error = run_body("GetDatabase", deep->str);
	ck_assert(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
	ck_assert_msg(strstr(error->message, "json_max_depth") != NULL, "%s", error->message);
}
END_TEST

START_TEST(test_target_not_utf8)
{
	const char *names[] = {"Content-Type", "X-Amz-Target"};
	const char *values[] = {"application/x-amz-json-1.1", "AWSGlue.Get\xa1\x9b\x9d\xddTable"};
	HttpRequest req = {"POST", "/", NULL, names, values, 2, (const guint8 *)"{}", 2, "test", 2, NULL};
	HttpResponse resp = {0};
	glue_door_handle(door, &req, &resp);
	ck_assert_uint_eq(resp.status, 400);
	ck_assert(g_utf8_validate(resp.body, (gssize)resp.body_len, NULL));
	g_autoptr(JsonNode) body = json_from_string(resp.body, NULL);
	ck_assert(body != NULL && JSON_NODE_HOLDS_OBJECT(body));
	ck_assert_str_eq(json_object_get_string_member(json_node_get_object(body), "__type"),
	                 "UnknownOperationException");
	g_free(resp.body);
	g_free(resp.extra_value);
}
END_TEST

/* The value lists glue_table_from_input makes of SkewedColumnValues strings, as JSON text. */
static char *skewed_lists(const char *value)
{
	g_autoptr(JsonObject) t = json_object_new();
	JsonObject *sd = json_object_new(), *sk = json_object_new();
	JsonArray *vals = json_array_new();
	json_array_add_string_element(vals, value);
	json_object_set_array_member(sk, "SkewedColumnValues", vals);
	json_object_set_object_member(sd, "SkewedInfo", sk);
	json_object_set_object_member(t, "StorageDescriptor", sd);
	glue_table_from_input(t);
	g_autoptr(JsonNode) n = json_node_init_array(json_node_alloc(), json_object_get_array_member(sk, "SkewedColumnValues"));
	return json_to_string(n, FALSE);
}

START_TEST(test_skewed_values)
{
	g_autofree char *list = skewed_lists("[\"a\", \"b\"]");
	ck_assert_str_eq(list, "[[\"a\",\"b\"]]");
	g_autofree char *plain = skewed_lists("a");
	ck_assert_str_eq(plain, "[[\"a\"]]");
	g_autofree char *second = skewed_lists("[1]{\"a\": \"b\"}"); /* json-glib leaked the object */
	ck_assert_str_eq(second, "[[\"[1]{\\\"a\\\": \\\"b\\\"}\"]]");
	g_autofree char *lone = skewed_lists("[\"\\ud800x\"]"); /* json-glib made non-UTF-8 of it */
	ck_assert(g_utf8_validate(lone, -1, NULL));
	ck_assert_str_eq(lone, "[[\"[\\\"\\\\ud800x\\\"]\"]]");
}
END_TEST

static Suite *glue_door_suite(void)
{
	Suite *s = suite_create("glue_door");
	TCase *tc = tcase_create("request");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_surrogate_escapes);
	tcase_add_test(tc, test_one_object);
	tcase_add_test(tc, test_nul_in_strings);
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_target_not_utf8);
	tcase_add_test(tc, test_skewed_values);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(glue_door_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
