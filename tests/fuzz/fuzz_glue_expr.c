/*
 * fuzz_glue_expr.c — libFuzzer target for Glue GetPartitions' Expression: the door's reader
 * (glue_in_string, 2048 characters), its rewrite into Hive's filter grammar
 * (glue_part_filter_of, server/glue/partition.c), the catalog's parse and key check
 * (catalog_partition_filter_prepare, the function every partition listing calls) and the
 * store's parameterized SQL (partfilter_sql with the listing's own column and numbering).
 * No PostgreSQL: everything up to the statement text is what a request runs.
 *
 * Input: the Expression (bytes up to the first NUL; not UTF-8: skipped, the door's JSON parser
 * refuses it). Keys are fixed, one per comparison mode: dt string, bucket int, year bigint,
 * day date. Contract: success, or CATALOG_ERROR_INVALID_INPUT (InvalidInputException); on
 * success the SQL is built only from its templates: re-generated with every literal replaced
 * by a stand-in of the same kind (so the same comparison mode), it must be the same text, and
 * its $n parameters must be exactly the literals, numbered in order. That is the sound form of
 * "no user text in the SQL": a plain substring test would fire on literals such as 'CASE' or
 * ' AND ' that the templates themselves contain.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"
#include "glue/internal.h"
#include "store/partfilter_sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As the listing in store/partition.c: table id, then the limit, then the filter's literals. */
#define FUZZ_COLUMN      "p.part_values"
#define FUZZ_FIRST_PARAM 3u

static JsonArray *fuzz_keys(void)
{
	static JsonArray *keys;
	if (keys == NULL) {
		static const char *const spec[][2] = {{"dt", "string"}, {"bucket", "int"}, {"year", "bigint"}, {"day", "date"}};
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

/* A literal's text swapped for a stand-in of the same kind; saved[] gets the originals back. */
static void fuzz_swap_literal(PartFilterLiteral *lit, GPtrArray *saved)
{
	g_ptr_array_add(saved, lit);
	g_ptr_array_add(saved, lit->text);
	const char *stand_in = "\x01 stand-in";
	switch (lit->type) {
	case PARTFILTER_LIT_INTEGER:
		stand_in = "0";
		break;
	case PARTFILTER_LIT_DATE:
		stand_in = "1999-12-31";
		break;
	case PARTFILTER_LIT_TIMESTAMP:
		stand_in = "1999-12-31 00:00:00";
		break;
	case PARTFILTER_LIT_STRING:
		/* a string that is a valid date compares a date key as a date: keep that */
		if (partfilter_compare_mode("date", PARTFILTER_OP_EQ, lit) == PARTFILTER_MODE_DATE)
			stand_in = "1999-12-31";
		break;
	}
	lit->text = (char *)stand_in;
}

/* Swaps every literal of the tree (and key names, which the SQL must not use either). */
static void fuzz_swap_tree(PartFilterNode *n, GPtrArray *saved, GPtrArray *names)
{
	if (n->children)
		for (guint i = 0; i < n->children->len; i++)
			fuzz_swap_tree(g_ptr_array_index(n->children, i), saved, names);
	if (n->kind == PARTFILTER_CMP || n->kind == PARTFILTER_BETWEEN || n->kind == PARTFILTER_IN) {
		g_ptr_array_add(names, &n->key);
		g_ptr_array_add(names, n->key.name);
		n->key.name = (char *)"\x02";
	}
	if (n->lit)
		fuzz_swap_literal(n->lit, saved);
	if (n->lo)
		fuzz_swap_literal(n->lo, saved);
	if (n->hi)
		fuzz_swap_literal(n->hi, saved);
	if (n->kind == PARTFILTER_IN)
		for (guint i = 0; i < n->values->len; i++)
			fuzz_swap_literal(g_ptr_array_index(n->values, i), saved);
	if (n->kind == PARTFILTER_STRUCT_IN) {
		for (guint i = 0; i < n->keys->len; i++) {
			PartFilterKey *k = g_ptr_array_index(n->keys, i);
			g_ptr_array_add(names, k);
			g_ptr_array_add(names, k->name);
			k->name = (char *)"\x02";
		}
		for (guint r = 0; r < n->values->len; r++) {
			GPtrArray *row = g_ptr_array_index(n->values, r);
			for (guint c = 0; c < row->len; c++)
				fuzz_swap_literal(g_ptr_array_index(row, c), saved);
		}
	}
}

/* The $n of sql must be first, first+1, … in order, one per parameter, and nothing else. */
static void fuzz_check_numbering(const char *sql, guint nparams)
{
	guint next = FUZZ_FIRST_PARAM;
	for (const char *p = strchr(sql, '$'); p != NULL; p = strchr(p + 1, '$')) {
		if (!g_ascii_isdigit(p[1]))
			continue; /* the end anchor of the templates' own regular expressions */
		if (strtoul(p + 1, NULL, 10) != next++)
			abort();
	}
	if (next != FUZZ_FIRST_PARAM + nparams)
		abort();
}

static void fuzz_check_sql(PartFilterNode *ast)
{
	g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *sql = partfilter_sql(ast, fuzz_keys(), FUZZ_COLUMN, params, FUZZ_FIRST_PARAM);
	if (sql == NULL)
		abort(); /* only a programmer error, and the tree was checked */
	fuzz_check_numbering(sql, params->len);

	g_autoptr(GPtrArray) saved = g_ptr_array_new(), names = g_ptr_array_new();
	fuzz_swap_tree(ast, saved, names);
	g_autoptr(GPtrArray) params2 = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *sql2 = partfilter_sql(ast, fuzz_keys(), FUZZ_COLUMN, params2, FUZZ_FIRST_PARAM);
	for (guint i = saved->len; i > 0; i -= 2) /* backwards, so a literal met twice gets its first text */
		((PartFilterLiteral *)g_ptr_array_index(saved, i - 2))->text = g_ptr_array_index(saved, i - 1);
	for (guint i = names->len; i > 0; i -= 2)
		((PartFilterKey *)g_ptr_array_index(names, i - 2))->name = g_ptr_array_index(names, i - 1);
	if (sql2 == NULL || strcmp(sql, sql2) != 0 || params->len != params2->len || params->len != saved->len / 2)
		abort(); /* literal text (or a key's name) reached the SQL */
	/* the parameters carry the literals themselves, in the order they are numbered */
	for (guint i = 0; i < params->len; i++) {
		const PartFilterLiteral *lit = g_ptr_array_index(saved, 2 * i);
		if (strcmp(g_ptr_array_index(params, i), lit->text) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4 * 2048 + 16)
		return 0; /* more than the reader's 2048 characters in any encoding */
	g_autofree char *text = g_strndup((const char *)data, size);
	if (!g_utf8_validate(text, -1, NULL))
		return 0;
	g_autoptr(JsonObject) in = json_object_new();
	json_object_set_string_member(in, "Expression", text);

	g_autoptr(GError) error = NULL;
	const char *expr = glue_in_string(in, "Expression", FALSE, 2048, &error);
	if (expr == NULL) {
		if (!g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT))
			abort();
		return 0;
	}
	g_autofree char *filter = glue_part_filter_of(expr);
	if (filter == NULL || !g_utf8_validate(filter, -1, NULL))
		abort(); /* the rewrite only inserts ASCII around whole words */
	g_autoptr(PartFilterNode) ast = NULL;
	gboolean ok = catalog_partition_filter_prepare(filter, fuzz_keys(), &ast, &error);
	if (ok != (error == NULL))
		abort();
	if (!ok) {
		if (!g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT) || ast != NULL)
			abort();
		return 0;
	}
	if (ast != NULL)
		fuzz_check_sql(ast);
	return 0;
}
