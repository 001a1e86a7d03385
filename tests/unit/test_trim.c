/*
 * test_trim.c — the column trimming rules (server/catalog/trim.c) without a store: which
 * parameters are rewritten, which dropped, which kept, for a caller hiding ssn and salary.
 */
#include <check.h>
#include <string.h>

#include "catalog/internal.h"

static GHashTable *hidden_new(void)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_add(h, g_strdup("ssn"));
	g_hash_table_add(h, g_strdup("salary"));
	return h;
}

static JsonObject *obj_parse(const char *text)
{
	g_autoptr(JsonNode) n = json_from_string(text, NULL);
	ck_assert_ptr_nonnull(n);
	return json_object_ref(json_node_get_object(n));
}

static const char *param(JsonObject *p, const char *key)
{
	return json_object_has_member(p, key) ? json_object_get_string_member(p, key) : NULL;
}

START_TEST(test_mentions_whole_tokens_only)
{
	g_autoptr(GHashTable) h = hidden_new();
	ck_assert(catalog_trim_mentions("SSN is masked", h));
	ck_assert(catalog_trim_mentions("struct t { string ssn }", h));
	ck_assert(catalog_trim_mentions("write.metadata.metrics.column.salary", h));
	ck_assert(!catalog_trim_mentions("ssn_hash and salaryband", h));
	ck_assert(!catalog_trim_mentions("", h));
	ck_assert(!catalog_trim_mentions(NULL, h));
	g_hash_table_add(h, g_strdup("odd name"));
	ck_assert(catalog_trim_mentions("has an odd name inside", h));
}
END_TEST

START_TEST(test_schema_keeps_visible_fields)
{
	g_autoptr(GHashTable) h = hidden_new();
	g_autofree char *s = catalog_trim_schema(
		"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\"},{\"name\":\"SSN\"},{\"name\":\"salary\"}]}", h);
	ck_assert_str_eq(s, "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\"}]}");
	ck_assert_ptr_null(catalog_trim_schema("not json", h));
	ck_assert_ptr_null(catalog_trim_schema("{\"type\":\"string\"}", h));
}
END_TEST

START_TEST(test_params_rules)
{
	g_autoptr(GHashTable) h = hidden_new();
	g_autoptr(JsonObject) p = obj_parse(
		"{\"COLUMN_STATS_ACCURATE\":\"{\\\"BASIC_STATS\\\":\\\"true\\\",\\\"COLUMN_STATS\\\":"
		"{\\\"id\\\":\\\"true\\\",\\\"ssn\\\":\\\"true\\\"}}\","
		"\"spark.sql.sources.schema.numParts\":\"2\","
		"\"spark.sql.sources.schema.part.0\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\"},\","
		"\"spark.sql.sources.schema.part.1\":\"{\\\"name\\\":\\\"ssn\\\"}]}\","
		"\"spark.sql.sources.schema.partCol.0\":\"ds\","
		"\"current-schema\":\"{\\\"fields\\\":[{\\\"id\\\":1,\\\"name\\\":\\\"salary\\\"}]}\","
		"\"metadata_location\":\"s3://b/t/metadata/1.json\","
		"\"other.schema\":\"{\\\"type\\\":\\\"record\\\",\\\"fields\\\":[]}\","
		"\"columns\":\"id,ssn,name\",\"columns.types\":\"bigint:struct<a:int,b:string>:string\","
		"\"columns.comments\":\"x\",\"serialization.ddl\":\"struct t { i64 id, string ssn}\","
		"\"comment\":\"no secrets here\",\"salary.note\":\"x\"}");
	catalog_trim_params(p, h);
	ck_assert_str_eq(param(p, "COLUMN_STATS_ACCURATE"), "{\"BASIC_STATS\":\"true\",\"COLUMN_STATS\":{\"id\":\"true\"}}");
	ck_assert_str_eq(param(p, "spark.sql.sources.schema.numParts"), "1");
	ck_assert_str_eq(param(p, "spark.sql.sources.schema.part.0"), "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\"}]}");
	ck_assert_ptr_null(param(p, "spark.sql.sources.schema.part.1"));
	ck_assert_str_eq(param(p, "spark.sql.sources.schema.partCol.0"), "ds");
	ck_assert_str_eq(param(p, "current-schema"), "{\"fields\":[]}");
	ck_assert_str_eq(param(p, "metadata_location"), "s3://b/t/metadata/1.json");
	ck_assert_ptr_null(param(p, "other.schema"));
	ck_assert_str_eq(param(p, "columns"), "id,name");
	ck_assert_str_eq(param(p, "columns.types"), "bigint:string");
	ck_assert_ptr_null(param(p, "columns.comments"));
	ck_assert_ptr_null(param(p, "serialization.ddl"));
	ck_assert_str_eq(param(p, "comment"), "no secrets here");
	ck_assert_ptr_null(param(p, "salary.note"));
}
END_TEST

START_TEST(test_doc_lists_and_texts)
{
	g_autoptr(GHashTable) h = hidden_new();
	g_autoptr(JsonObject) t = obj_parse(
		"{\"Name\":\"t\",\"Description\":\"has ssn\",\"ViewOriginalText\":\"select ssn from x\","
		"\"PartitionKeys\":[{\"Name\":\"ds\",\"Comment\":\"not ssn\"}],"
		"\"StorageDescriptor\":{\"Columns\":[{\"Name\":\"id\",\"Comment\":\"like salary\"},{\"Name\":\"ssn\"}],"
		"\"BucketColumns\":[\"ssn\",\"id\"],\"SortColumns\":[{\"Column\":\"salary\",\"SortOrder\":1}],"
		"\"SkewedInfo\":{\"SkewedColumnNames\":[\"ssn\"],\"SkewedColumnValues\":[\"1\"]},"
		"\"Location\":\"s3://b/t\"},\"Parameters\":{\"x\":\"salary\"}}");
	catalog_trim_doc(t, h);
	g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), t);
	g_autofree char *out = json_to_string(n, FALSE);
	ck_assert_str_eq(out, "{\"Name\":\"t\",\"PartitionKeys\":[{\"Name\":\"ds\"}],"
	                      "\"StorageDescriptor\":{\"Columns\":[{\"Name\":\"id\"}],\"BucketColumns\":[\"id\"],"
	                      "\"SortColumns\":[],\"SkewedInfo\":{\"SkewedColumnNames\":[]},"
	                      "\"Location\":\"s3://b/t\"},\"Parameters\":{}}");
}
END_TEST

START_TEST(test_constraints)
{
	g_autoptr(GHashTable) h = hidden_new();
	g_autoptr(JsonObject) pk = obj_parse("{\"table_name\":\"ssn\",\"column_name\":\"id\",\"pk_name\":\"p\"}");
	g_autoptr(JsonObject) nn = obj_parse("{\"table_name\":\"t\",\"column_name\":\"SSN\"}");
	g_autoptr(JsonObject) cc = obj_parse("{\"column_name\":\"id\",\"check_expression\":\"id > salary\"}");
	g_autoptr(JsonObject) pk2 = obj_parse("{\"table-name\":\"ssn\",\"column-name\":\"id\"}");
	ck_assert(!catalog_trim_constraint_hides(pk, h)); /* a table named like a hidden column is no column */
	ck_assert(!catalog_trim_constraint_hides(pk2, h));
	ck_assert(catalog_trim_constraint_hides(nn, h));
	ck_assert(catalog_trim_constraint_hides(cc, h));
	ck_assert(!catalog_trim_constraint_hides(cc, NULL));
}
END_TEST

static gint names_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names of catalog_authz_restricted_tables(f), sorted, joined with ",". */
static char *restricted_names(const AuthzFacts *f)
{
	g_autoptr(GPtrArray) names = catalog_authz_restricted_tables(f);
	g_ptr_array_sort(names, names_cmp);
	g_ptr_array_add(names, NULL);
	return g_strjoinv(",", (char **)names->pdata);
}

START_TEST(test_restricted_tables)
{
	static const char *const cols[] = {"id", "name", NULL};
	g_autoptr(AuthzFacts) f = authz_facts_new("arn:aws:iam::1:user/p");
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "t1", NULL, AUTHZ_SELECT, 0, cols, NULL);
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "t3", NULL, AUTHZ_SELECT, 0, cols, NULL);
	authz_facts_add(f, AUTHZ_KIND_COLUMNS, "t5", NULL, AUTHZ_SELECT, 0, cols, NULL);
	authz_facts_add(f, AUTHZ_KIND_TABLE, "t5", NULL, AUTHZ_SELECT, 0, NULL, NULL); /* t5 seen whole */
	authz_facts_add(f, AUTHZ_KIND_TABLE, "t8", NULL, AUTHZ_DESCRIBE, 0, NULL, NULL);
	g_autofree char *got = restricted_names(f);
	ck_assert_str_eq(got, "t1,t3");
	f->is_admin = TRUE;
	g_autofree char *admin = restricted_names(f);
	ck_assert_str_eq(admin, "");
	f->is_admin = FALSE;
	authz_facts_add(f, AUTHZ_KIND_TABLE_WILDCARD, NULL, NULL, AUTHZ_SELECT, 0, NULL, NULL);
	g_autofree char *wild = restricted_names(f);
	ck_assert_str_eq(wild, "");
}
END_TEST

static Suite *trim_suite(void)
{
	Suite *s = suite_create("trim");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, test_mentions_whole_tokens_only);
	tcase_add_test(tc, test_schema_keeps_visible_fields);
	tcase_add_test(tc, test_params_rules);
	tcase_add_test(tc, test_doc_lists_and_texts);
	tcase_add_test(tc, test_constraints);
	tcase_add_test(tc, test_restricted_tables);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(trim_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
