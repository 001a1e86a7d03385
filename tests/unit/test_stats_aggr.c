/*
 * test_stats_aggr.c — Hive's aggregation of column statistics across partitions and its
 * COLUMN_STATS_ACCURATE bookkeeping (catalog/stats_aggr.c), with values worked out by hand
 * from Hive's formulas (MetaStoreDirectSql.aggrStatsUseDB, LinearExtrapolatePartStatus,
 * StatObjectConverter, StatsSetupConst).
 */
#include <check.h>
#include <stdlib.h>

#include "catalog/stats_aggr.h"

static JsonObject *entry(const char *type, const char *kind, const char *data_json)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_assert(json_parser_load_from_data(p, data_json, -1, NULL));
	JsonObject *e = json_object_new();
	json_object_set_string_member(e, "ColumnName", "c");
	json_object_set_string_member(e, "ColumnType", type);
	json_object_set_string_member(e, "Kind", kind);
	json_object_set_object_member(e, "Data", json_object_ref(json_node_get_object(json_parser_get_root(p))));
	return e;
}

static gint64 data_int(JsonObject *agg, const char *m)
{
	return json_object_get_int_member(json_object_get_object_member(agg, "Data"), m);
}

START_TEST(test_long_all_found_min_max_sum_max_ndv_capped_by_range)
{
	StatsAggrInput in[2] = {
	    {entry("bigint", "longStats", "{\"lowValue\":5,\"highValue\":7,\"numNulls\":1,\"numDVs\":3}"), 0},
	    {entry("bigint", "longStats", "{\"lowValue\":6,\"highValue\":8,\"numNulls\":2,\"numDVs\":4,\"bitVectors\":\"AA==\"}"), 1},
	};
	g_autoptr(JsonObject) a = stats_aggr_column(in, 2, 2, 0.0);
	ck_assert_str_eq(json_object_get_string_member(a, "Kind"), "longStats");
	ck_assert_int_eq(data_int(a, "lowValue"), 5);
	ck_assert_int_eq(data_int(a, "highValue"), 8);
	ck_assert_int_eq(data_int(a, "numNulls"), 3);
	ck_assert_int_eq(data_int(a, "numDVs"), 4); /* max; range 8−5+1 = 4 */
	ck_assert(!json_object_has_member(json_object_get_object_member(a, "Data"), "bitVectors"));
	g_autoptr(JsonObject) t = stats_aggr_column(in, 2, 2, 1.0); /* tuner 1: sum 7, capped to 4 */
	ck_assert_int_eq(data_int(t, "numDVs"), 4);
	json_object_unref(in[0].entry);
	json_object_unref(in[1].entry);
}
END_TEST

START_TEST(test_long_extrapolation_is_linear_from_the_extreme_partitions)
{
	/* partitions 0 and 2 of 4 have stats */
	StatsAggrInput in[2] = {
	    {entry("int", "longStats", "{\"lowValue\":10,\"highValue\":100,\"numNulls\":5,\"numDVs\":30}"), 0},
	    {entry("int", "longStats", "{\"lowValue\":20,\"highValue\":200,\"numNulls\":6,\"numDVs\":50}"), 2},
	};
	g_autoptr(JsonObject) a = stats_aggr_column(in, 2, 4, 0.0);
	ck_assert_int_eq(data_int(a, "lowValue"), 20 - (20 - 10) * 2 / 2);     /* 10 */
	ck_assert_int_eq(data_int(a, "highValue"), 100 + (200 - 100) * 3 / 2); /* 250 */
	ck_assert_int_eq(data_int(a, "numNulls"), 11 / 2 * 4);                 /* 20: Java integer division */
	ck_assert_int_eq(data_int(a, "numDVs"), 30 + (50 - 30) * 3 / 2);       /* 60 */
	json_object_unref(in[0].entry);
	json_object_unref(in[1].entry);
}
END_TEST

START_TEST(test_string_binary_boolean)
{
	StatsAggrInput s[2] = {
	    {entry("varchar(10)", "stringStats", "{\"maxColLen\":9,\"avgColLen\":2.5,\"numNulls\":1,\"numDVs\":8}"), 0},
	    {entry("varchar(10)", "stringStats", "{\"maxColLen\":4,\"avgColLen\":3.25,\"numNulls\":1,\"numDVs\":5}"), 1},
	};
	g_autoptr(JsonObject) a = stats_aggr_column(s, 2, 2, 0.0);
	JsonObject *d = json_object_get_object_member(a, "Data");
	ck_assert_int_eq(json_object_get_int_member(d, "maxColLen"), 9);
	ck_assert(json_object_get_double_member(d, "avgColLen") == 3.25); /* Hive takes the max */
	ck_assert_int_eq(json_object_get_int_member(d, "numNulls"), 2);
	ck_assert_int_eq(json_object_get_int_member(d, "numDVs"), 8);
	StatsAggrInput b[2] = {
	    {entry("boolean", "booleanStats", "{\"numTrues\":3,\"numFalses\":4,\"numNulls\":1}"), 0},
	    {entry("boolean", "booleanStats", "{\"numTrues\":10,\"numFalses\":20,\"numNulls\":2}"), 1},
	};
	g_autoptr(JsonObject) bo = stats_aggr_column(b, 2, 2, 0.0);
	ck_assert_int_eq(data_int(bo, "numTrues"), 13);
	ck_assert_int_eq(data_int(bo, "numFalses"), 24);
	ck_assert_int_eq(data_int(bo, "numNulls"), 3);
	for (int i = 0; i < 2; i++) {
		json_object_unref(s[i].entry);
		json_object_unref(b[i].entry);
	}
	ck_assert(stats_aggr_column(NULL, 0, 3, 0.0) == NULL);
}
END_TEST

START_TEST(test_decimal_min_max_compare_by_value_across_scales)
{
	/* 1.50 (150, scale 2) vs 1.2 (12, scale 1) vs -3 (0xfd, scale 0) */
	StatsAggrInput in[3] = {
	    {entry("decimal(5,2)", "decimalStats",
	           "{\"lowValue\":{\"unscaled\":\"AJY=\",\"scale\":2},\"highValue\":{\"unscaled\":\"AJY=\",\"scale\":2},"
	           "\"numNulls\":0,\"numDVs\":1}"), 0},
	    {entry("decimal(5,2)", "decimalStats",
	           "{\"lowValue\":{\"unscaled\":\"DA==\",\"scale\":1},\"highValue\":{\"unscaled\":\"DA==\",\"scale\":1},"
	           "\"numNulls\":0,\"numDVs\":1}"), 1},
	    {entry("decimal(5,2)", "decimalStats",
	           "{\"lowValue\":{\"unscaled\":\"/Q==\",\"scale\":0},\"highValue\":{\"unscaled\":\"/Q==\",\"scale\":0},"
	           "\"numNulls\":0,\"numDVs\":1}"), 2},
	};
	g_autoptr(JsonObject) a = stats_aggr_column(in, 3, 3, 0.0);
	JsonObject *d = json_object_get_object_member(a, "Data");
	ck_assert_str_eq(json_object_get_string_member(json_object_get_object_member(d, "lowValue"), "unscaled"), "/Q==");
	ck_assert_str_eq(json_object_get_string_member(json_object_get_object_member(d, "highValue"), "unscaled"), "AJY=");
	/* extrapolated over 4 partitions: high = 1.5 + (1.5 − (−3)) × ... → a double turned into a Decimal */
	g_autoptr(JsonObject) x = stats_aggr_column(in, 2, 4, 0.0);
	JsonObject *xd = json_object_get_object_member(x, "Data");
	/* min row index 1 (1.2), max row index 0 (1.5): left border is the max: 1.2 + 0.3·1/1 = 1.5 */
	JsonObject *hi = json_object_get_object_member(xd, "highValue");
	ck_assert_int_eq(json_object_get_int_member(hi, "scale"), 1); /* BigDecimal("1.5") */
	ck_assert_str_eq(json_object_get_string_member(hi, "unscaled"), "Dw==");
	for (int i = 0; i < 3; i++)
		json_object_unref(in[i].entry);
}
END_TEST

START_TEST(test_column_stats_accurate_as_hive_writes_it)
{
	g_autoptr(GPtrArray) cols = g_ptr_array_new();
	g_ptr_array_add(cols, "b");
	g_ptr_array_add(cols, "a");
	g_autofree char *fresh = stats_accurate_add_columns(NULL, cols);
	ck_assert_str_eq(fresh, "{\"COLUMN_STATS\":{\"a\":\"true\",\"b\":\"true\"}}");
	g_autofree char *legacy = stats_accurate_add_columns("TRUE", cols);
	ck_assert_str_eq(legacy, "{\"BASIC_STATS\":\"true\",\"COLUMN_STATS\":{\"a\":\"true\",\"b\":\"true\"}}");
	g_autofree char *kept = stats_accurate_add_columns("{\"BASIC_STATS\":\"true\",\"COLUMN_STATS\":{\"a\":\"false\"}}", cols);
	ck_assert_str_eq(kept, "{\"BASIC_STATS\":\"true\",\"COLUMN_STATS\":{\"a\":\"false\",\"b\":\"true\"}}");
	g_autofree char *unknown = stats_accurate_add_columns("{\"OTHER\":1}", cols);
	ck_assert_str_eq(unknown, "{\"COLUMN_STATS\":{\"a\":\"true\",\"b\":\"true\"}}");
	g_ptr_array_set_size(cols, 1);
	g_autofree char *removed = stats_accurate_remove_columns(legacy, cols);
	ck_assert_str_eq(removed, "{\"BASIC_STATS\":\"true\",\"COLUMN_STATS\":{\"a\":\"true\"}}");
	g_autofree char *cleared = stats_accurate_remove_columns(legacy, NULL);
	ck_assert_str_eq(cleared, "{\"BASIC_STATS\":\"true\"}");
	ck_assert(stats_accurate_remove_columns(NULL, cols) == NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stats_aggr");
	TCase *tc = tcase_create("aggr");
	tcase_add_test(tc, test_long_all_found_min_max_sum_max_ndv_capped_by_range);
	tcase_add_test(tc, test_long_extrapolation_is_linear_from_the_extreme_partitions);
	tcase_add_test(tc, test_string_binary_boolean);
	tcase_add_test(tc, test_decimal_min_max_compare_by_value_across_scales);
	tcase_add_test(tc, test_column_stats_accurate_as_hive_writes_it);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
