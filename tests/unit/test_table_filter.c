/*
 * test_table_filter.c — the table filter parser (server/catalog/filter.c) without a store,
 * through catalog_filter_check(): valid filters pass, malformed ones fail with INVALID_INPUT.
 *
 * Regression (found by tests/fuzz/fuzz_table_filter): an unclosed "((" made the parser step
 * past the end of the text after the inner error and read beyond the string.
 */
#include <check.h>

#include "catalog/internal.h"

static void check_bad(const char *filter)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(!catalog_filter_check(filter, &error), "'%s' should fail", filter);
	ck_assert(g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT));
	ck_assert(g_str_has_prefix(error->message, "Error parsing table filter"));
}

static void check_good(const char *filter)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(catalog_filter_check(filter, &error), "'%s': %s", filter, error ? error->message : "");
}

START_TEST(test_valid_filters)
{
	check_good("");
	check_good("hive_filter_field_owner__ = \"alice\"");
	check_good("(hive_filter_field_tableName__ = \"t\" or \"u\" <> hive_filter_field_owner__)");
	check_good("hive_filter_field_params__k like \".*x\" and hive_filter_field_last_access__ > 0");
	check_good("((hive_filter_field_last_access__ = 12))");
}
END_TEST

START_TEST(test_unclosed_parentheses)
{
	check_bad("((");
	check_bad("(");
	check_bad("(()");
	check_bad("((hive_filter_field_owner__ = \"a\"");
	check_bad("(hive_filter_field_owner__ = \"a\"");
}
END_TEST

START_TEST(test_malformed)
{
	check_bad("hive_filter_field_owner__");
	check_bad("hive_filter_field_owner__ = ");
	check_bad("\"a\" like hive_filter_field_owner__");
	check_bad("hive_filter_field_last_access__ = \"x\"");
	check_bad("hive_filter_field_owner__ = \"a\" junk");
	check_bad("hive_filter_field_nope__ = \"a\"");
}
END_TEST

static Suite *table_filter_suite(void)
{
	Suite *s = suite_create("table_filter");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_valid_filters);
	tcase_add_test(tc, test_unclosed_parentheses);
	tcase_add_test(tc, test_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(table_filter_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
