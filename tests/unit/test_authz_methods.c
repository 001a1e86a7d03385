/*
 * test_authz_methods.c — the authorization table (authz/methods.c) against what the doors serve.
 *
 * The served methods come from the doors' own dispatch tables (thrift_handler_methods(),
 * glue_door_op_names(), lf_door_op_names()), so a method added to a door without a row in the table
 * fails here, as does a row naming a method no door serves. server/authz/METHODS.md must be the
 * table's rendering (PROPOLIS_UPDATE_METHODS_MD=1 rewrites it).
 */
#include <check.h>
#include <string.h>

#include "authz/authz.h"
#include "authz/methods.h"
#include "glue/glue.h"
#include "lakeformation/lakeformation.h"
#include "thrift/handler.h"

/* Every served method as "door method" keys, in a new set. */
static GHashTable *served_new(void)
{
	GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint n = 0;
	const char *const *thrift = thrift_handler_methods(&n);
	for (guint i = 0; i < n; i++)
		g_hash_table_add(set, g_strdup_printf("thrift %s", thrift[i]));
	struct {
		const char *door;
		GPtrArray *names;
	} http[] = {{"glue", glue_door_op_names(FALSE)},
		    {"propolis", glue_door_op_names(TRUE)},
		    {"lakeformation", lf_door_op_names()}};
	for (guint d = 0; d < G_N_ELEMENTS(http); d++) {
		for (guint i = 0; i < http[d].names->len; i++)
			g_hash_table_add(set, g_strdup_printf("%s %s", http[d].door,
							      (char *)g_ptr_array_index(http[d].names, i)));
		g_ptr_array_unref(http[d].names);
	}
	return set;
}

START_TEST(test_every_served_method_has_one_row)
{
	g_autoptr(GHashTable) served = served_new();
	ck_assert_uint_gt(g_hash_table_size(served), 200);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, served);
	g_autoptr(GString) missing = g_string_new(NULL);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		g_auto(GStrv) dm = g_strsplit(key, " ", 2);
		if (authz_method_rule(dm[0], dm[1]) == NULL)
			g_string_append_printf(missing, " %s", (char *)key);
	}
	ck_assert_msg(missing->len == 0, "served methods without an authorization row:%s", missing->str);
}
END_TEST

START_TEST(test_every_row_is_served_and_unique)
{
	g_autoptr(GHashTable) served = served_new();
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint n = 0;
	const AuthzMethodRule *rules = authz_method_rules(&n);
	ck_assert_uint_eq(n, g_hash_table_size(served));
	for (guint i = 0; i < n; i++) {
		g_autofree char *key = g_strdup_printf("%s %s", rules[i].door, rules[i].method);
		ck_assert_msg(g_hash_table_contains(served, key), "row names a method no door serves: %s", key);
		ck_assert_msg(g_hash_table_add(seen, g_strdup(key)), "two rows for %s", key);
		ck_assert_ptr_eq(authz_method_rule(rules[i].door, rules[i].method), &rules[i]);
	}
}
END_TEST

START_TEST(test_rows_are_well_formed)
{
	guint n = 0;
	const AuthzMethodRule *rules = authz_method_rules(&n);
	for (guint i = 0; i < n; i++) {
		const AuthzMethodRule *r = &rules[i];
		const char *m = r->method;
		gboolean why = r->reason && *r->reason;
		switch (r->kind) {
		case AUTHZ_RULE_PERM: {
			guint32 valid = authz_on_valid_perms(r->on);
			ck_assert_msg(r->perms != 0 && valid != 0 && (r->perms & ~valid) == 0,
				      "%s: permissions not valid for a %s", m, authz_on_name(r->on));
			break;
		}
		case AUTHZ_RULE_VISIBLE:
			ck_assert_msg(r->on == AUTHZ_ON_DATABASE || r->on == AUTHZ_ON_TABLE ||
					      r->on == AUTHZ_ON_FUNCTION,
				      "%s: visibility of a %s", m, authz_on_name(r->on));
			ck_assert_msg(r->perms == 0, "%s: a VISIBLE row names no permission", m);
			break;
		case AUTHZ_RULE_SELF:
			/* a lock, a transaction, (issue 22) a principal's own access keys, (issue 16) a token */
			ck_assert_msg(r->on == AUTHZ_ON_LOCK || r->on == AUTHZ_ON_TXN || r->on == AUTHZ_ON_PRINCIPAL ||
				      r->on == AUTHZ_ON_TOKEN,
				      "%s: self of a %s", m,
				      authz_on_name(r->on));
			/* fall through */
		case AUTHZ_RULE_PUBLIC:
		case AUTHZ_RULE_ADMIN:
		case AUTHZ_RULE_LIST:
		case AUTHZ_RULE_GRANTABLE:
			ck_assert_msg(why, "%s: a %s row needs a reason", m, authz_rule_kind_name(r->kind));
			ck_assert_msg(r->perms == 0, "%s: only PERM rows name permissions", m);
			break;
		}
		ck_assert_msg(!(r->flags & AUTHZ_RULE_F_READONLY_ADMIN) || r->kind == AUTHZ_RULE_ADMIN, "%s: flag", m);
		ck_assert_msg(!(r->flags & AUTHZ_RULE_F_LOCATION) || r->kind == AUTHZ_RULE_PERM, "%s: flag", m);
	}
}
END_TEST

/* Issue 15's decisions, spelled out: a regression in one of them is a hole. */
START_TEST(test_issue_15_rules)
{
	const AuthzMethodRule *r = authz_method_rule("thrift", "unlock");
	ck_assert(r && r->kind == AUTHZ_RULE_SELF && r->on == AUTHZ_ON_LOCK);
	r = authz_method_rule("thrift", "lock");
	ck_assert(r && r->kind == AUTHZ_RULE_PERM && r->perms == (AUTHZ_INSERT | AUTHZ_ALTER | AUTHZ_DELETE));
	const char *const self[] = {"check_lock", "heartbeat", "heartbeat_txn_range",
				    "commit_txn", "abort_txn", "abort_txns"};
	for (guint i = 0; i < G_N_ELEMENTS(self); i++)
		ck_assert_int_eq(authz_method_rule("thrift", self[i])->kind, AUTHZ_RULE_SELF);
	const char *const listed[] = {"show_locks", "show_compact", "get_open_txns_info"};
	for (guint i = 0; i < G_N_ELEMENTS(listed); i++)
		ck_assert_int_eq(authz_method_rule("thrift", listed[i])->kind, AUTHZ_RULE_LIST);
	r = authz_method_rule("lakeformation", "GetDataLakeSettings");
	ck_assert(r && r->kind == AUTHZ_RULE_ADMIN && (r->flags & AUTHZ_RULE_F_READONLY_ADMIN));
	r = authz_method_rule("glue", "GetDataCatalogEncryptionSettings");
	ck_assert(r && r->kind == AUTHZ_RULE_ADMIN);
	const char *const located[] = {"alter_partition",
				       "alter_partitions",
				       "alter_partitions_req",
				       "rename_partition",
				       "alter_partition_with_environment_context",
				       "rename_partition_req"};
	for (guint i = 0; i < G_N_ELEMENTS(located); i++)
		ck_assert(authz_method_rule("thrift", located[i])->flags & AUTHZ_RULE_F_LOCATION);
	ck_assert(authz_method_rule("glue", "UpdatePartition")->flags & AUTHZ_RULE_F_LOCATION);
	ck_assert(authz_method_rule("glue", "BatchUpdatePartition")->flags & AUTHZ_RULE_F_LOCATION);
	ck_assert(authz_method_rule("thrift", "getVersion")->kind == AUTHZ_RULE_PUBLIC);
}
END_TEST

START_TEST(test_json_lines)
{
	g_autofree char *text = authz_method_rules_to_json_lines();
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = 0;
	authz_method_rules(&n);
	ck_assert_uint_eq(g_strv_length(lines), n + 1); /* the last line is empty */
	ck_assert_str_eq(lines[n], "");
	const AuthzMethodRule *r = authz_method_rule("thrift", "lock");
	g_autofree char *one = authz_method_rule_to_json(r);
	ck_assert_ptr_nonnull(strstr(text, one));
	ck_assert_ptr_nonnull(strstr(one, "\"perms\":[\"ALTER\",\"DELETE\",\"INSERT\"]"));
}
END_TEST

START_TEST(test_methods_md_is_current)
{
	g_autofree char *want = authz_method_rules_to_markdown();
	g_autofree char *path = g_build_filename(PROPOLIS_SOURCE_DIR, "server", "authz", "METHODS.md", NULL);
	if (g_getenv("PROPOLIS_UPDATE_METHODS_MD"))
		ck_assert(g_file_set_contents(path, want, -1, NULL));
	g_autofree char *have = NULL;
	ck_assert_msg(g_file_get_contents(path, &have, NULL, NULL), "%s missing", path);
	ck_assert_msg(
		strcmp(have, want) == 0,
		"server/authz/METHODS.md differs from the table: run "
		"PROPOLIS_UPDATE_METHODS_MD=1 build/tests/test_authz_methods");
}
END_TEST

static Suite *methods_suite(void)
{
	Suite *s = suite_create("authz_methods");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_every_served_method_has_one_row);
	tcase_add_test(tc, test_every_row_is_served_and_unique);
	tcase_add_test(tc, test_rows_are_well_formed);
	tcase_add_test(tc, test_issue_15_rules);
	tcase_add_test(tc, test_json_lines);
	tcase_add_test(tc, test_methods_md_is_current);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(methods_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
