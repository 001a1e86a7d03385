/*
 * test_kerberos_name.c — Hadoop auth_to_local rules in C (server/auth/kerberos_name.c).
 *
 * The cases are KerberosName's own behaviour: DEFAULT against the default realm (any number
 * of components), RULE's component count, $0/$1/$2 expansion, full-match regex, replaceFirst
 * vs g, Java `$1` group references, /L, first applying rule wins, "No rules applied" and
 * "Non-simple name" refusals, names without a realm; plus _HOST expansion and rule syntax errors.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "auth/kerberos_name.h"

/* Maps principal under rules text with default realm EXAMPLE.COM; NULL (error kept in *msg) when refused. */
static char *map(const char *rules_text, const char *principal, char **msg)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(KerberosRules) rules = kerberos_rules_parse(rules_text, &error);
	ck_assert_msg(rules != NULL, "%s", error ? error->message : "?");
	char *out = kerberos_rules_map(rules, principal, "EXAMPLE.COM", &error);
	if (msg)
		*msg = error ? g_strdup(error->message) : NULL;
	return out;
}

START_TEST(test_default_maps_default_realm_only)
{
	g_autofree char *a = map(NULL, "alice@EXAMPLE.COM", NULL);
	ck_assert_str_eq(a, "alice");
	g_autofree char *h = map("DEFAULT", "hive/host.example.com@EXAMPLE.COM", NULL);
	ck_assert_str_eq(h, "hive");
	g_autofree char *why = NULL;
	g_autofree char *c = map("  DEFAULT\n", "bob@CORP", &why);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(why, "No rules applied to bob@CORP");
	g_autofree char *plain = map(NULL, "carol", NULL);
	ck_assert_str_eq(plain, "carol");
}
END_TEST

START_TEST(test_rules_as_hadoop_applies_them)
{
	const char *rules = "RULE:[1:$1@$0](.*@CORP)s/@.*//\n"
	                    "RULE:[2:$1@$0](hive@EXAMPLE\\.COM)s/.*/svc_hive/\n"
	                    "RULE:[1:$1](ADM_.*)s/ADM_(.*)/admin_$1/L\n"
	                    "DEFAULT";
	g_autofree char *a = map(rules, "bob@CORP", NULL);
	ck_assert_str_eq(a, "bob");
	g_autofree char *b = map(rules, "hive/h1@EXAMPLE.COM", NULL);
	ck_assert_str_eq(b, "svc_hive");
	g_autofree char *c = map(rules, "ADM_Root@EXAMPLE.COM", NULL);
	ck_assert_str_eq(c, "admin_root");
	g_autofree char *d = map(rules, "spark/h2@EXAMPLE.COM", NULL);
	ck_assert_str_eq(d, "spark"); /* 2 components, regex does not match: DEFAULT */
	g_autofree char *why = NULL;
	g_autofree char *e = map(rules, "hive/h1@OTHER", &why);
	ck_assert_ptr_null(e);
	ck_assert_str_eq(why, "No rules applied to hive/h1@OTHER");
}
END_TEST

START_TEST(test_replace_first_and_all)
{
	g_autofree char *first = map("RULE:[1:$1](.*)s/a/x/", "banana@R", NULL);
	ck_assert_str_eq(first, "bxnana");
	g_autofree char *all = map("RULE:[1:$1](.*)s/a/x/g", "banana@R", NULL);
	ck_assert_str_eq(all, "bxnxnx");
	g_autofree char *nosed = map("RULE:[1:$1_$0]", "u@R", NULL);
	ck_assert_str_eq(nosed, "u_R");
}
END_TEST

START_TEST(test_refusals)
{
	g_autofree char *why = NULL;
	g_autofree char *r = map("RULE:[2:$1/$2]", "hive/h@R", &why);
	ck_assert_ptr_null(r);
	ck_assert(g_str_has_prefix(why, "Non-simple name hive/h"));
	g_autofree char *why2 = NULL;
	g_autofree char *r2 = map("RULE:[1:$3]", "a@R", &why2);
	ck_assert_ptr_null(r2);
	ck_assert(strstr(why2, "index 3") != NULL);
	g_autoptr(GError) error = NULL;
	KerberosRules *bad = kerberos_rules_parse("RULE:[1:$1](.*", &error);
	ck_assert_ptr_null(bad);
	ck_assert(strstr(error->message, "kerberos_principal_rules") != NULL);
	g_clear_error(&error);
	bad = kerberos_rules_parse("DEFAULT NOPE", &error);
	ck_assert_ptr_null(bad);
	g_clear_error(&error);
	g_autofree char *why3 = NULL;
	g_autofree char *r3 = map(NULL, "a/b/c@EXAMPLE.COM", &why3);
	ck_assert_ptr_null(r3);
	ck_assert(g_str_has_prefix(why3, "Malformed Kerberos name"));
}
END_TEST

START_TEST(test_host_expansion)
{
	g_autofree char *a = kerberos_principal_expand_host("hive/_HOST@EXAMPLE.COM", "HMS1.Example.com");
	ck_assert_str_eq(a, "hive/hms1.example.com@EXAMPLE.COM");
	g_autofree char *b = kerberos_principal_expand_host("hive/fixed@EXAMPLE.COM", "x");
	ck_assert_str_eq(b, "hive/fixed@EXAMPLE.COM");
	g_autofree char *c = kerberos_principal_expand_host("hive/_HOST", "h");
	ck_assert_str_eq(c, "hive/h");
	ck_assert_str_eq(kerberos_principal_realm("a/b@R.COM"), "R.COM");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kerberos_name");
	TCase *tc = tcase_create("auth_to_local");
	tcase_add_test(tc, test_default_maps_default_realm_only);
	tcase_add_test(tc, test_rules_as_hadoop_applies_them);
	tcase_add_test(tc, test_replace_first_and_all);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_host_expansion);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
