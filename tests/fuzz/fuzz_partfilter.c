/*
 * fuzz_partfilter.c — libFuzzer target for Hive's partition filter language
 * (server/catalog/partfilter.c): parse, check against a table's partition keys, evaluate.
 *
 * Input: the filter text (NUL-free prefix of the bytes). The keys are fixed, one of each
 * comparison mode (string, int, date), so check and every mode of eval are reached; eval runs
 * over a few partitions including the default partition and a missing value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/partfilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static JsonArray *fuzz_keys(void)
{
	static JsonArray *keys;
	if (keys == NULL) {
		static const char *const spec[][2] = {{"ds", "string"}, {"hr", "int"}, {"d", "date"}, {"Name", "varchar(10)"}};
		keys = json_array_new();
		for (guint i = 0; i < G_N_ELEMENTS(spec); i++) {
			JsonObject *k = json_object_new();
			json_object_set_string_member(k, "Name", spec[i][0]);
			json_object_set_string_member(k, "Type", spec[i][1]);
			json_array_add_object_element(keys, k);
		}
	}
	return keys;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(PartFilterNode) ast = partfilter_parse(text, &error);
	if (ast == NULL) {
		if (error == NULL)
			abort();
		return 0;
	}
	g_clear_error(&error);
	if (!partfilter_check(ast, fuzz_keys(), &error))
		return 0;
	static const char *const rows[][4] = {
		{"2024-01-01", "7", "2024-01-01", "a_b"},
		{PARTFILTER_DEFAULT_PARTITION, PARTFILTER_DEFAULT_PARTITION, PARTFILTER_DEFAULT_PARTITION, ""},
		{"", "-12", "2024-13-40", "%"},
		{"x'y", "99999999999999999999", "0000-00-00", "\\"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		PartFilterTruth t = partfilter_eval(ast, fuzz_keys(), rows[i]);
		if (t != PARTFILTER_TRUE && t != PARTFILTER_FALSE && t != PARTFILTER_UNKNOWN)
			abort();
		if (partfilter_matches(ast, fuzz_keys(), rows[i]) != (t == PARTFILTER_TRUE))
			abort();
	}
	const char *const nulls[4] = {NULL, NULL, NULL, NULL};
	(void)partfilter_eval(ast, fuzz_keys(), nulls);
	/* LIKE on its own: the filter text as a pattern over a fixed text, and the reverse. */
	(void)partfilter_like("abc_%\\x", text);
	return 0;
}
