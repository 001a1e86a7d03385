/*
 * test_authz.c — Lake Formation's rules (authz/evaluate.c) over hand-built facts.
 */
#include <check.h>

#include "authz/authz.h"

static const char *const ab[] = {"a", "b", NULL};
static const char *const c_only[] = {"c", NULL};
static const char *const none[] = {NULL};

START_TEST(test_names_round_trip)
{
	guint32 p = 0;
	ck_assert(authz_perm_parse("SELECT", &p));
	ck_assert_uint_eq(p, AUTHZ_SELECT);
	ck_assert(authz_perm_parse("DATA_LOCATION_ACCESS", &p));
	ck_assert_str_eq(authz_perm_name(p), "DATA_LOCATION_ACCESS");
	ck_assert(!authz_perm_parse("SUPER", &p));
	ck_assert(!authz_perm_parse("select", &p));
	ck_assert(!authz_perm_parse(NULL, &p));
	char *s = authz_perms_to_string(AUTHZ_ALTER | AUTHZ_DROP);
	ck_assert_str_eq(s, "ALTER, DROP");
	g_free(s);
	AuthzKind k;
	ck_assert(authz_kind_parse("TABLE_WILDCARD", &k));
	ck_assert_int_eq(k, AUTHZ_KIND_TABLE_WILDCARD);
	ck_assert(!authz_kind_parse("TABLES", &k));
}
END_TEST

START_TEST(test_nothing_granted_sees_nothing)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("arn:aws:iam::0:user/u");
	ck_assert(!authz_catalog_allows(f, AUTHZ_CREATE_DATABASE));
	ck_assert(!authz_database_visible(f));
	ck_assert(!authz_database_allows(f, AUTHZ_DESCRIBE));
	ck_assert(!authz_table_visible(f, "t"));
	ck_assert(!authz_table_allows(f, "t", AUTHZ_SELECT));
	ck_assert(!authz_column_visible(f, "t", "a"));
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_TABLE, "t", AUTHZ_SELECT, NULL));
}
END_TEST

START_TEST(test_admin_may_everything)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("arn:aws:iam::0:user/admin");
	f->is_admin = TRUE;
	ck_assert(authz_catalog_allows(f, AUTHZ_CREATE_DATABASE));
	ck_assert(authz_database_allows(f, AUTHZ_DROP));
	ck_assert(authz_table_allows(f, "t", AUTHZ_ALTER));
	ck_assert(authz_column_visible(f, "t", "secret"));
	ck_assert(authz_can_grant(f, AUTHZ_KIND_COLUMNS, "t", AUTHZ_SELECT, NULL));
	ck_assert(authz_location_allows(f, "s3://b/p"));
}
END_TEST

/* "Any of these" (write locks: INSERT, ALTER or DELETE): one bit suffices, none fails, ALL covers. */
START_TEST(test_allows_any_of_several)
{
	const guint32 write = AUTHZ_INSERT | AUTHZ_ALTER | AUTHZ_DELETE;
	g_autoptr(AuthzFacts) f = authz_facts_new("arn:aws:iam::0:user/u");
	ck_assert(!authz_table_allows_any(f, "t", write));
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "t", NULL, AUTHZ_SELECT, 0, ab, NULL);
	ck_assert(authz_table_visible(f, "t"));
	ck_assert(!authz_table_allows_any(f, "t", write)); /* column SELECT writes nothing */
	authz_facts_add(f, AUTHZ_KIND_TABLE, "t", NULL, AUTHZ_DELETE, 0, NULL, NULL);
	ck_assert(authz_table_allows_any(f, "t", write));
	ck_assert(!authz_table_allows(f, "t", write)); /* allows wants every bit */
	ck_assert(!authz_table_allows_any(f, "t", AUTHZ_INSERT | AUTHZ_ALTER));
	ck_assert(!authz_table_allows_any(f, "u", write));
	ck_assert(!authz_table_allows_any(f, "t", 0));
	ck_assert(!authz_database_allows_any(f, AUTHZ_ALTER | AUTHZ_DROP));
	authz_facts_add(f, AUTHZ_KIND_DATABASE, NULL, NULL, AUTHZ_ALL, 0, NULL, NULL);
	ck_assert(authz_database_allows_any(f, AUTHZ_ALTER | AUTHZ_DROP));
	authz_facts_add(f, AUTHZ_KIND_TABLE_WILDCARD, NULL, NULL, AUTHZ_ALL, 0, NULL, NULL);
	ck_assert(authz_table_allows_any(f, "u", AUTHZ_INSERT | AUTHZ_ALTER));
	g_autoptr(AuthzFacts) admin = authz_facts_new("arn:aws:iam::0:user/admin");
	admin->is_admin = TRUE;
	ck_assert(authz_table_allows_any(admin, "t", write));
	ck_assert(authz_database_allows_any(admin, AUTHZ_ALTER));
	g_autoptr(AuthzFacts) ro = authz_facts_new("arn:aws:iam::0:user/auditor");
	ro->is_readonly_admin = TRUE;
	ck_assert(!authz_table_allows_any(ro, "t", write));
}
END_TEST

START_TEST(test_readonly_admin_sees_but_changes_nothing)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("arn:aws:iam::0:user/auditor");
	f->is_readonly_admin = TRUE;
	ck_assert(authz_database_visible(f));
	ck_assert(authz_table_visible(f, "t"));
	ck_assert(authz_table_allows(f, "t", AUTHZ_DESCRIBE));
	ck_assert(!authz_table_allows(f, "t", AUTHZ_ALTER));
	ck_assert(!authz_database_allows(f, AUTHZ_DROP));
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_TABLE, "t", AUTHZ_DESCRIBE, NULL));
}
END_TEST

START_TEST(test_all_covers_the_resource_permissions_only)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("u");
	authz_facts_add(f, AUTHZ_KIND_DATABASE, NULL, NULL, AUTHZ_ALL, 0, NULL, NULL);
	ck_assert(authz_database_allows(f, AUTHZ_CREATE_TABLE));
	ck_assert(authz_database_allows(f, AUTHZ_DROP));
	ck_assert(authz_database_visible(f));
	/* ALL on a database is not a permission on its tables */
	ck_assert(!authz_table_allows(f, "t", AUTHZ_DESCRIBE));
	ck_assert(!authz_table_visible(f, "t"));
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_DATABASE, NULL, AUTHZ_ALTER, NULL));
}
END_TEST

START_TEST(test_table_grant_and_wildcard)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("u");
	authz_facts_add(f, AUTHZ_KIND_TABLE, "t", NULL, AUTHZ_SELECT | AUTHZ_ALTER, AUTHZ_SELECT, NULL, NULL);
	ck_assert(authz_table_visible(f, "t"));
	ck_assert(!authz_table_visible(f, "other"));
	ck_assert(authz_table_allows(f, "t", AUTHZ_ALTER));
	ck_assert(!authz_table_allows(f, "t", AUTHZ_DROP));
	ck_assert(authz_database_visible(f)); /* a table grant shows its database */
	ck_assert(!authz_database_allows(f, AUTHZ_DESCRIBE));
	ck_assert(authz_can_grant(f, AUTHZ_KIND_TABLE, "t", AUTHZ_SELECT, NULL));
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_TABLE, "t", AUTHZ_ALTER, NULL));
	ck_assert(authz_column_visible(f, "t", "anything"));

	g_autoptr(AuthzFacts) w = authz_facts_new("u");
	authz_facts_add(w, AUTHZ_KIND_TABLE_WILDCARD, NULL, NULL, AUTHZ_DESCRIBE, 0, NULL, NULL);
	ck_assert(authz_table_visible(w, "x"));
	ck_assert(authz_table_allows(w, "y", AUTHZ_DESCRIBE));
	ck_assert(!authz_table_allows(w, "y", AUTHZ_SELECT));
	ck_assert(authz_table_all_columns(w, "y")); /* DESCRIBE shows the metadata, all columns */
}
END_TEST

/* The one-pass set of a listing admits exactly the tables authz_table_visible() does. */
START_TEST(test_visible_tables_set_matches_per_table_check)
{
	static const char *const names[] = {"t", "c", "other", "x"};
	g_autoptr(AuthzFacts) f = authz_facts_new("u");
	static const char *const a_only[] = {"a", NULL};
	authz_facts_add(f, AUTHZ_KIND_TABLE, "t", NULL, AUTHZ_ALTER, 0, NULL, NULL);
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "c", NULL, AUTHZ_SELECT, 0, a_only, NULL);
	authz_facts_add(f, AUTHZ_KIND_DATABASE, NULL, NULL, AUTHZ_DESCRIBE, 0, NULL, NULL);
	g_autoptr(GHashTable) set = authz_visible_tables(f);
	ck_assert_ptr_nonnull(set);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		ck_assert_int_eq(g_hash_table_contains(set, names[i]), authz_table_visible(f, names[i]));
	ck_assert_uint_eq(g_hash_table_size(set), 2);

	g_autoptr(AuthzFacts) w = authz_facts_new("u");
	authz_facts_add(w, AUTHZ_KIND_TABLE_WILDCARD, NULL, NULL, AUTHZ_DESCRIBE, 0, NULL, NULL);
	ck_assert_ptr_null(authz_visible_tables(w)); /* every table */
	g_autoptr(AuthzFacts) admin = authz_facts_new("u");
	admin->is_admin = TRUE;
	ck_assert_ptr_null(authz_visible_tables(admin));
	g_autoptr(AuthzFacts) none = authz_facts_new("u");
	g_autoptr(GHashTable) empty = authz_visible_tables(none);
	ck_assert_uint_eq(g_hash_table_size(empty), 0);
}
END_TEST

START_TEST(test_rows_of_one_resource_merge)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("u");
	authz_facts_add(f, AUTHZ_KIND_TABLE, "t", NULL, AUTHZ_SELECT, 0, NULL, NULL);
	authz_facts_add(f, AUTHZ_KIND_TABLE, "t", NULL, AUTHZ_INSERT, AUTHZ_INSERT, NULL, NULL);
	ck_assert_uint_eq(f->grants->len, 1);
	ck_assert(authz_table_allows(f, "t", AUTHZ_SELECT | AUTHZ_INSERT));
	ck_assert(authz_can_grant(f, AUTHZ_KIND_TABLE, "t", AUTHZ_INSERT, NULL));
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_TABLE, "t", AUTHZ_SELECT | AUTHZ_INSERT, NULL));
	/* grantable bits outside perms are dropped */
	authz_facts_add(f, AUTHZ_KIND_TABLE, "u2", NULL, AUTHZ_SELECT, AUTHZ_DROP, NULL, NULL);
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_TABLE, "u2", AUTHZ_DROP, NULL));
}
END_TEST

START_TEST(test_column_include_list)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("u");
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "t", NULL, AUTHZ_SELECT, 0, ab, NULL);
	ck_assert(authz_table_visible(f, "t"));
	ck_assert(!authz_table_all_columns(f, "t"));
	ck_assert(authz_column_visible(f, "t", "a"));
	ck_assert(authz_column_visible(f, "t", "B")); /* Hive column names are case-insensitive */
	ck_assert(!authz_column_visible(f, "t", "c"));
	ck_assert(!authz_column_visible(f, "other", "a"));
	/* column SELECT is not whole-table SELECT, and allows no change */
	ck_assert(!authz_table_allows(f, "t", AUTHZ_SELECT));
	ck_assert(!authz_table_allows(f, "t", AUTHZ_ALTER));
	/* a second column grant adds to the first */
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "t", NULL, AUTHZ_SELECT, 0, c_only, NULL);
	ck_assert(authz_column_visible(f, "t", "c"));
}
END_TEST

START_TEST(test_column_wildcard_with_exclusions)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("u");
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "t", NULL, AUTHZ_SELECT, 0, NULL, c_only);
	ck_assert(authz_column_visible(f, "t", "a"));
	ck_assert(!authz_column_visible(f, "t", "c"));
	ck_assert(!authz_table_all_columns(f, "t"));
	g_autoptr(AuthzFacts) g = authz_facts_new("u");
	authz_facts_add(g, AUTHZ_KIND_COLUMNS, "t", NULL, AUTHZ_SELECT, 0, NULL, none);
	ck_assert(authz_column_visible(g, "t", "c"));
}
END_TEST

START_TEST(test_column_grant_option)
{
	/* regrants of columns: the same or fewer, each held with grant option */
	g_autoptr(AuthzFacts) f = authz_facts_new("u");
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "t", NULL, AUTHZ_SELECT, AUTHZ_SELECT, ab, NULL);
	static const char *const a_only[] = {"a", NULL};
	static const char *const abc[] = {"a", "b", "c", NULL};
	ck_assert(authz_can_grant(f, AUTHZ_KIND_COLUMNS, "t", AUTHZ_SELECT, a_only));
	ck_assert(authz_can_grant(f, AUTHZ_KIND_COLUMNS, "t", AUTHZ_SELECT, ab));
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_COLUMNS, "t", AUTHZ_SELECT, abc));
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_COLUMNS, "t", AUTHZ_SELECT, NULL)); /* wildcard */
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_TABLE, "t", AUTHZ_SELECT, NULL));
	/* whole-table SELECT with grant option covers any columns */
	g_autoptr(AuthzFacts) g = authz_facts_new("u");
	authz_facts_add(g, AUTHZ_KIND_TABLE, "t", NULL, AUTHZ_ALL, AUTHZ_ALL, NULL, NULL);
	ck_assert(authz_can_grant(g, AUTHZ_KIND_COLUMNS, "t", AUTHZ_SELECT, NULL));
	ck_assert(authz_can_grant(g, AUTHZ_KIND_TABLE, "t", AUTHZ_DROP | AUTHZ_SELECT, NULL));
}
END_TEST

START_TEST(test_catalog_and_locations)
{
	g_autoptr(AuthzFacts) f = authz_facts_new("u");
	authz_facts_add(f, AUTHZ_KIND_CATALOG, NULL, NULL, AUTHZ_CREATE_DATABASE, 0, NULL, NULL);
	authz_facts_add(f, AUTHZ_KIND_DATA_LOCATION, NULL, "s3://b/p", AUTHZ_DATA_LOCATION_ACCESS,
	                AUTHZ_DATA_LOCATION_ACCESS, NULL, NULL);
	ck_assert(authz_catalog_allows(f, AUTHZ_CREATE_DATABASE));
	ck_assert(!authz_can_grant(f, AUTHZ_KIND_CATALOG, NULL, AUTHZ_CREATE_DATABASE, NULL));
	ck_assert(authz_location_allows(f, "s3://b/p"));
	ck_assert(!authz_location_allows(f, "s3://b/q"));
	ck_assert(authz_can_grant(f, AUTHZ_KIND_DATA_LOCATION, "s3://b/p", AUTHZ_DATA_LOCATION_ACCESS, NULL));
	/* catalog and location grants do not make databases visible */
	ck_assert(!authz_database_visible(f));
}
END_TEST

static Suite *authz_suite(void)
{
	Suite *s = suite_create("authz");
	TCase *tc = tcase_create("evaluate");
	tcase_add_test(tc, test_names_round_trip);
	tcase_add_test(tc, test_nothing_granted_sees_nothing);
	tcase_add_test(tc, test_admin_may_everything);
	tcase_add_test(tc, test_readonly_admin_sees_but_changes_nothing);
	tcase_add_test(tc, test_all_covers_the_resource_permissions_only);
	tcase_add_test(tc, test_table_grant_and_wildcard);
	tcase_add_test(tc, test_visible_tables_set_matches_per_table_check);
	tcase_add_test(tc, test_rows_of_one_resource_merge);
	tcase_add_test(tc, test_column_include_list);
	tcase_add_test(tc, test_column_wildcard_with_exclusions);
	tcase_add_test(tc, test_column_grant_option);
	tcase_add_test(tc, test_catalog_and_locations);
	tcase_add_test(tc, test_allows_any_of_several);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(authz_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
