/*
 * partfilter_sql.c — turns a checked partition filter into a parameterized SQL expression
 * (contract in partfilter_sql.h).
 *
 * Shapes, with v = <column>[i] and $n the literal:
 *   TEXT     (v COLLATE "C" op $n::text)                    LIKE: (v COLLATE "C" LIKE $n::text)
 *   INTEGER  ((CASE WHEN v ~ '^-?[0-9]+$' THEN v::numeric END) op $n::numeric)
 *   DATE     ((CASE WHEN v ~ '<yyyy-mm-dd>' THEN v END) COLLATE "C" op $n::text)
 * Integers compare as numeric, so values of any length never overflow; canonical dates
 * compare as text, which orders them as dates and cannot fail on a value like 2024-02-30
 * the way a ::date cast would. LIKE keeps PostgreSQL's default escape, the backslash, as
 * Hive's direct SQL (ESCAPE '\'). BETWEEN is (v >= lo AND v <= hi), IN an OR of equalities,
 * STRUCT IN an OR of ANDs, and NOT wraps its child: NULLs propagate as in partfilter_eval.
 */
#include <string.h>

#include "store/partfilter_sql.h"

typedef struct {
	GString *sql;
	JsonArray *keys;
	const char *column;
	GPtrArray *params;
	guint first_param;
	guint added;
} SqlGen;

static const char *op_sql(PartFilterOp op)
{
	static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">=", "LIKE"};
	return ops[op];
}

/* Appends the literal as the next parameter and returns its number. */
static guint gen_param(SqlGen *g, const char *text)
{
	g_ptr_array_add(g->params, g_strdup(text));
	return g->first_param + g->added++;
}

static const char *key_type(JsonArray *keys, int index)
{
	JsonNode *n = json_array_get_element(keys, (guint)index);
	if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
		return NULL;
	return json_object_get_string_member_with_default(json_node_get_object(n), "Type", NULL);
}

/* One comparison of key `index` with a literal. */
static void gen_cmp(SqlGen *g, int index, PartFilterOp op, const PartFilterLiteral *lit)
{
	g_autofree char *v = g_strdup_printf("%s[%d]", g->column, index + 1);
	guint n = gen_param(g, lit->text);
	switch (partfilter_compare_mode(key_type(g->keys, index), op, lit)) {
	case PARTFILTER_MODE_INTEGER:
		g_string_append_printf(g->sql, "((CASE WHEN %s ~ '^-?[0-9]+$' THEN %s::numeric END) %s $%u::numeric)", v, v,
		                       op_sql(op), n);
		break;
	case PARTFILTER_MODE_DATE:
		g_string_append_printf(g->sql,
		                       "((CASE WHEN %s ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN %s END)"
		                       " COLLATE \"C\" %s $%u::text)",
		                       v, v, op_sql(op), n);
		break;
	default:
		g_string_append_printf(g->sql, "(%s COLLATE \"C\" %s $%u::text)", v, op_sql(op), n);
		break;
	}
}

static void gen_node(SqlGen *g, const PartFilterNode *ast);

/* Children of AND/OR/NOT joined by `sep` in parentheses. */
static void gen_children(SqlGen *g, const PartFilterNode *ast, const char *sep)
{
	g_string_append_c(g->sql, '(');
	for (guint i = 0; i < ast->children->len; i++) {
		if (i)
			g_string_append(g->sql, sep);
		gen_node(g, g_ptr_array_index(ast->children, i));
	}
	g_string_append_c(g->sql, ')');
}

/* (k = a OR k = b …) for IN. */
static void gen_in(SqlGen *g, const PartFilterNode *ast)
{
	g_string_append_c(g->sql, '(');
	for (guint i = 0; i < ast->values->len; i++) {
		if (i)
			g_string_append(g->sql, " OR ");
		gen_cmp(g, ast->key.index, PARTFILTER_OP_EQ, g_ptr_array_index(ast->values, i));
	}
	g_string_append_c(g->sql, ')');
}

/* ((k1 = a AND k2 = b) OR …) for STRUCT IN. */
static void gen_struct_in(SqlGen *g, const PartFilterNode *ast)
{
	g_string_append_c(g->sql, '(');
	for (guint r = 0; r < ast->values->len; r++) {
		GPtrArray *row = g_ptr_array_index(ast->values, r);
		g_string_append(g->sql, r ? " OR (" : "(");
		for (guint c = 0; c < row->len; c++) {
			const PartFilterKey *key = g_ptr_array_index(ast->keys, c);
			if (c)
				g_string_append(g->sql, " AND ");
			gen_cmp(g, key->index, PARTFILTER_OP_EQ, g_ptr_array_index(row, c));
		}
		g_string_append_c(g->sql, ')');
	}
	g_string_append_c(g->sql, ')');
}

static void gen_node(SqlGen *g, const PartFilterNode *ast)
{
	switch (ast->kind) {
	case PARTFILTER_AND:
		gen_children(g, ast, " AND ");
		break;
	case PARTFILTER_OR:
		gen_children(g, ast, " OR ");
		break;
	case PARTFILTER_NOT:
		g_string_append(g->sql, "(NOT ");
		gen_node(g, g_ptr_array_index(ast->children, 0));
		g_string_append_c(g->sql, ')');
		break;
	case PARTFILTER_CMP:
		gen_cmp(g, ast->key.index, ast->op, ast->lit);
		break;
	case PARTFILTER_BETWEEN:
		g_string_append_c(g->sql, '(');
		gen_cmp(g, ast->key.index, PARTFILTER_OP_GE, ast->lo);
		g_string_append(g->sql, " AND ");
		gen_cmp(g, ast->key.index, PARTFILTER_OP_LE, ast->hi);
		g_string_append_c(g->sql, ')');
		break;
	case PARTFILTER_IN:
		gen_in(g, ast);
		break;
	case PARTFILTER_STRUCT_IN:
		gen_struct_in(g, ast);
		break;
	}
}

/* TRUE when every key of the tree was resolved by partfilter_check. */
static gboolean tree_is_checked(const PartFilterNode *ast)
{
	switch (ast->kind) {
	case PARTFILTER_AND:
	case PARTFILTER_OR:
	case PARTFILTER_NOT:
		for (guint i = 0; i < ast->children->len; i++) {
			if (!tree_is_checked(g_ptr_array_index(ast->children, i)))
				return FALSE;
		}
		return TRUE;
	case PARTFILTER_STRUCT_IN:
		for (guint i = 0; i < ast->keys->len; i++) {
			if (((PartFilterKey *)g_ptr_array_index(ast->keys, i))->index < 0)
				return FALSE;
		}
		return TRUE;
	default:
		return ast->key.index >= 0;
	}
}

/*
 * Returns a new SQL boolean expression for the checked tree over the partition keys, with
 * each literal appended to params as `$<first_param + k>`. NULL only on a programmer error.
 */
char *partfilter_sql(const PartFilterNode *ast, JsonArray *partition_keys, const char *values_column,
                     GPtrArray *params, guint first_param)
{
	g_return_val_if_fail(ast != NULL && params != NULL && first_param >= 1, NULL);
	g_return_val_if_fail(values_column != NULL && *values_column != '\0', NULL);
	g_return_val_if_fail(strspn(values_column, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") ==
	                         strlen(values_column),
	                     NULL);
	g_return_val_if_fail(tree_is_checked(ast), NULL);
	SqlGen g = {g_string_new(NULL), partition_keys, values_column, params, first_param, 0};
	gen_node(&g, ast);
	return g_string_free(g.sql, FALSE);
}
