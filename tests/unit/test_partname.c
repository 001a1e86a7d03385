/*
 * test_partname.c — Hive partition names (catalog/partname.c): the escaping table of
 * FileUtils.escapePathName, unescapePathName's leniency, and makeSpecFromName's split.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/partname.h"
#include "common/error.h"

static void assert_escape(const char *in, const char *want)
{
	g_autofree char *got = partname_escape(in);
	ck_assert_str_eq(got, want);
	g_autofree char *back = partname_unescape(got);
	if (in != NULL && *in != '\0')
		ck_assert_str_eq(back, in);
}

/* HIVE-FACTS §3: 0x00-0x1F, 0x7F and " # % ' * / : = ? \ { [ ] ^ become %XX (upper-case hex). */
START_TEST(test_escape_table_is_hives)
{
	assert_escape("plain-value_1.2 ok", "plain-value_1.2 ok");
	assert_escape("a/b", "a%2Fb");
	assert_escape("12:30", "12%3A30");
	assert_escape("k=v", "k%3Dv");
	assert_escape("100%", "100%25");
	assert_escape("#tag", "%23tag");
	assert_escape("\"'*?\\{[]^", "%22%27%2A%3F%5C%7B%5B%5D%5E");
	assert_escape("tab\there\n\x01\x1f\x7f", "tab%09here%0A%01%1F%7F");
	assert_escape("}|<>!~@$&()+,;", "}|<>!~@$&()+,;");
	assert_escape("caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5");
	assert_escape(PARTNAME_DEFAULT_PARTITION, PARTNAME_DEFAULT_PARTITION);
	assert_escape("", PARTNAME_DEFAULT_PARTITION);
	assert_escape(NULL, PARTNAME_DEFAULT_PARTITION);
}
END_TEST

/* unescapePathName: a '%' not followed by two readable hex characters stays literal. */
START_TEST(test_unescape_is_lenient_as_hive)
{
	struct {
		const char *in, *want;
	} cases[] = {
		{"a%2fb", "a/b"}, {"%zz", "%zz"}, {"50%", "50%"}, {"%4", "%4"}, {"a%4", "a%4"},
		{"%41%42", "AB"}, {"%-1x", "%-1x"}, {"%+41", "\x04" "1"}, {"%E9", "\xc3\xa9"}, {"%%41", "%A"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = partname_unescape(cases[i].in);
		ck_assert_msg(g_strcmp0(got, cases[i].want) == 0, "%s → %s, want %s", cases[i].in, got, cases[i].want);
	}
}
END_TEST

/* makePartName: keys lower-cased and escaped, values escaped, empty value = default partition. */
START_TEST(test_make_name)
{
	const char *keys[] = {"DS", "hr", "Note"};
	const char *values[] = {"2024-01-01", "", "a/b=c"};
	g_autofree char *name = partname_make(keys, values, 3);
	ck_assert_str_eq(name, "ds=2024-01-01/hr=__HIVE_DEFAULT_PARTITION__/note=a%2Fb%3Dc");
}
END_TEST

static void assert_split(const char *name, guint n, const char *const *kv)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	ck_assert(partname_split(name, keys, values, &err));
	ck_assert_uint_eq(keys->len, n);
	for (guint i = 0; i < n; i++) {
		ck_assert_str_eq(g_ptr_array_index(keys, i), kv[2 * i]);
		ck_assert_str_eq(g_ptr_array_index(values, i), kv[2 * i + 1]);
	}
}

/* Warehouse.makeSpecFromName: split on '/', greedy `([^/]+)=([^/]+)`, odd components skipped. */
START_TEST(test_split_as_make_spec_from_name)
{
	assert_split("ds=2024/hr=1", 2, (const char *[]){"ds", "2024", "hr", "1"});
	assert_split("note=a%2Fb%3Dc", 1, (const char *[]){"note", "a/b=c"});
	assert_split("a=b=c", 1, (const char *[]){"a=b", "c"});
	assert_split("a=b=", 1, (const char *[]){"a", "b="});
	assert_split("junk/x=1//y=", 1, (const char *[]){"x", "1"});
	assert_split("x=1/x=2/y=3", 2, (const char *[]){"x", "2", "y", "3"});
	assert_split("=a", 0, NULL);
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	ck_assert(!partname_split("", keys, values, &err));
	ck_assert(g_error_matches(err, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT));
	ck_assert_str_eq(err->message, "Partition name is invalid. ");
}
END_TEST

/* Every byte value escapes and unescapes back to itself. */
START_TEST(test_round_trip_every_ascii_byte)
{
	for (int c = 1; c < 0x80; c++) {
		char in[4] = {'x', (char)c, 'y', 0};
		g_autofree char *esc = partname_escape(in);
		g_autofree char *back = partname_unescape(esc);
		ck_assert_str_eq(back, in);
		ck_assert(strchr(esc, '/') == NULL && strchr(esc, '=') == NULL);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("partname");
	TCase *tc = tcase_create("partname");
	tcase_add_test(tc, test_escape_table_is_hives);
	tcase_add_test(tc, test_unescape_is_lenient_as_hive);
	tcase_add_test(tc, test_make_name);
	tcase_add_test(tc, test_split_as_make_spec_from_name);
	tcase_add_test(tc, test_round_trip_every_ascii_byte);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
