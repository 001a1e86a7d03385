/*
 * fuzz_table_filter.c — libFuzzer target for Hive's table filter language
 * (get_table_names_by_filter, server/catalog/filter.c).
 *
 * The parser runs each condition against the store as it reads it; catalog_filter_check()
 * runs the same parser with no store (each condition selects nothing), which is what this
 * target drives. Input: the filter text (up to the first NUL).
 */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GError) error = NULL;
	gboolean ok = catalog_filter_check(text, &error);
	if (ok != (error == NULL))
		abort();
	if (!ok && !g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT))
		abort();
	return 0;
}
