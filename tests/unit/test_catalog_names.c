/*
 * test_catalog_names.c — Hive's name rules and pattern translation (catalog/names.c).
 *
 * Each pattern case is checked through GLib's regex engine with the same anchored,
 * case-insensitive semantics PostgreSQL's ~* gives, so a wrong translation fails here.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "common/error.h"

/* HIVE-FACTS §2 validateName: [A-Za-z0-9_]+ only. */
START_TEST(test_name_is_valid_follows_hive_validate_name)
{
	ck_assert(catalog_name_is_valid("sales_2024"));
	ck_assert(catalog_name_is_valid("A"));
	ck_assert(!catalog_name_is_valid(""));
	ck_assert(!catalog_name_is_valid(NULL));
	ck_assert(!catalog_name_is_valid("bad-name"));
	ck_assert(!catalog_name_is_valid("with space"));
	ck_assert(!catalog_name_is_valid("dot.ted"));
	ck_assert(!catalog_name_is_valid("caf\xc3\xa9"));
}
END_TEST

/* HIVE-FACTS §1.3: "@cat#db", "!" = empty database. */
/* Glue's limit (LAKEFORMATION-FACTS §5): names of 1..255; string maps hold strings (issue 15). */
START_TEST(test_name_lengths_and_string_maps)
{
	char name[258];
	memset(name, 'a', sizeof name - 1);
	name[255] = '\0';
	ck_assert(catalog_name_is_valid(name));
	ck_assert(catalog_column_name_length_ok(name));
	name[255] = 'a';
	name[256] = '\0';
	ck_assert(!catalog_name_is_valid(name));
	ck_assert(!catalog_column_name_length_ok(name));
	ck_assert(!catalog_column_name_length_ok(""));
	ck_assert(!catalog_column_name_length_ok(NULL));
	g_autoptr(GString) wide = g_string_new(NULL); /* 255 two-byte characters: 510 bytes, allowed */
	for (guint i = 0; i < 255; i++)
		g_string_append(wide, "\xc3\xa9");
	ck_assert(catalog_column_name_length_ok(wide->str));
	g_string_append(wide, "\xc3\xa9");
	ck_assert(!catalog_column_name_length_ok(wide->str));
	const char *refused[] = {
		"{\"Parameters\": {\"k\": 1}}",
		"{\"Parameters\": {\"k\": null}}",
		"{\"Parameters\": [\"k\"]}",
		"{\"StorageDescriptor\": {\"SerdeInfo\": {\"Parameters\": {\"k\": true}}}}",
		"{\"StorageDescriptor\": {\"Columns\": [{\"Name\": \"c\", \"Parameters\": {\"k\": {}}}]}}",
		"{\"ConnectionProperties\": {\"USERNAME\": 5}}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_autoptr(JsonNode) n = json_from_string(refused[i], NULL);
		g_autoptr(GError) error = NULL;
		ck_assert_msg(!catalog_doc_check_text(json_node_get_object(n), &error), "%s", refused[i]);
		ck_assert(g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT));
	}
	g_autoptr(JsonNode) ok = json_from_string("{\"Parameters\": {\"k\": \"1\"}, \"Description\": \"x\", \"N\": 3, "
	                                          "\"StorageDescriptor\": {\"Parameters\": null, \"Columns\": []}}", NULL);
	ck_assert(catalog_doc_check_text(json_node_get_object(ok), NULL));
}
END_TEST

START_TEST(test_parse_qualified_db_understands_hive3_names)
{
	char *cat = NULL, *db = NULL;
	catalog_parse_qualified_db("@hive#sales", &cat, &db);
	ck_assert_str_eq(cat, "hive");
	ck_assert_str_eq(db, "sales");
	g_free(cat);
	g_free(db);
	catalog_parse_qualified_db("@spark#!", &cat, &db);
	ck_assert_str_eq(cat, "spark");
	ck_assert_ptr_null(db);
	g_free(cat);
	catalog_parse_qualified_db("plain", &cat, &db);
	ck_assert_ptr_null(cat);
	ck_assert_str_eq(db, "plain");
	g_free(db);
	catalog_parse_qualified_db(NULL, &cat, &db);
	ck_assert_ptr_null(cat);
	ck_assert_ptr_null(db);
}
END_TEST

static gboolean matches(const char *pattern, const char *name)
{
	g_autofree char *re = catalog_pattern_to_regex(pattern);
	if (re == NULL)
		return TRUE;
	return g_regex_match_simple(re, name, G_REGEX_CASELESS, 0);
}

/* HIVE-FACTS §2 Patterns: '*' any run, '|' alternatives, case-insensitive full match. */
START_TEST(test_pattern_to_regex_matches_like_hive)
{
	ck_assert_ptr_null(catalog_pattern_to_regex(NULL));
	ck_assert_ptr_null(catalog_pattern_to_regex("*"));
	ck_assert(matches("sales*", "sales_2024"));
	ck_assert(matches("sales*", "SALES"));
	ck_assert(!matches("sales*", "presales"));
	ck_assert(matches("*sales", "presales"));
	ck_assert(matches("a|b*", "a"));
	ck_assert(matches("a|b*", "bob"));
	ck_assert(!matches("a|b*", "ab"));
	ck_assert(!matches("a", "abc"));
	/* HIVE-28297: a '*' after '.' stays a regex star. */
	ck_assert(matches("t.*", "tx"));
	g_autofree char *re = catalog_pattern_to_regex("t.*");
	ck_assert_str_eq(re, "^(?:(t.*))$");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("catalog_names");
	TCase *tc = tcase_create("names");
	tcase_add_test(tc, test_name_is_valid_follows_hive_validate_name);
	tcase_add_test(tc, test_parse_qualified_db_understands_hive3_names);
	tcase_add_test(tc, test_name_lengths_and_string_maps);
	tcase_add_test(tc, test_pattern_to_regex_matches_like_hive);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
