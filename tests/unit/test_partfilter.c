/*
 * test_partfilter.c — Hive's partition filter language (catalog/partfilter.c) and its SQL
 * (store/partfilter_sql.c).
 *
 * The parser is checked form by form through a small printer of the tree; errors by their
 * wire texts; partfilter_eval against hand-computed answers. The last test starts a
 * throwaway PostgreSQL with embedded_pg_start(), fills a temporary table with sample
 * partitions (typed values, the default partition, odd strings) and checks, filter by
 * filter, that the generated SQL selects exactly the partitions partfilter_eval selects.
 */
#include <check.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/partfilter.h"
#include "common/error.h"
#include "store/embedded.h"
#include "store/partfilter_sql.h"

/* ---- helpers ---- */

static void print_literal(GString *s, const PartFilterLiteral *lit)
{
	static const char *const tag[] = {"s", "i", "d", "t"};
	g_string_append_printf(s, "%s:%s", tag[lit->type], lit->text);
}

static void print_node(GString *s, const PartFilterNode *n)
{
	static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">=", "like"};
	switch (n->kind) {
	case PARTFILTER_AND:
	case PARTFILTER_OR:
	case PARTFILTER_NOT:
		g_string_append_printf(s, "(%s", n->kind == PARTFILTER_AND ? "and" : n->kind == PARTFILTER_OR ? "or" : "not");
		for (guint i = 0; i < n->children->len; i++) {
			g_string_append_c(s, ' ');
			print_node(s, g_ptr_array_index(n->children, i));
		}
		break;
	case PARTFILTER_CMP:
		g_string_append_printf(s, "(%s %s ", n->key.name, ops[n->op]);
		print_literal(s, n->lit);
		break;
	case PARTFILTER_BETWEEN:
		g_string_append_printf(s, "(%s between ", n->key.name);
		print_literal(s, n->lo);
		g_string_append_c(s, ' ');
		print_literal(s, n->hi);
		break;
	case PARTFILTER_IN:
		g_string_append_printf(s, "(%s in", n->key.name);
		for (guint i = 0; i < n->values->len; i++) {
			g_string_append_c(s, ' ');
			print_literal(s, g_ptr_array_index(n->values, i));
		}
		break;
	case PARTFILTER_STRUCT_IN:
		g_string_append(s, "(struct");
		for (guint i = 0; i < n->keys->len; i++)
			g_string_append_printf(s, " %s", ((PartFilterKey *)g_ptr_array_index(n->keys, i))->name);
		g_string_append(s, " in");
		for (guint r = 0; r < n->values->len; r++) {
			GPtrArray *row = g_ptr_array_index(n->values, r);
			g_string_append(s, " (");
			for (guint c = 0; c < row->len; c++) {
				if (c)
					g_string_append_c(s, ' ');
				print_literal(s, g_ptr_array_index(row, c));
			}
			g_string_append_c(s, ')');
		}
		break;
	}
	g_string_append_c(s, ')');
}

/* The printed tree of a filter that must parse. */
static char *parsed(const char *filter)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(PartFilterNode) n = partfilter_parse(filter, &error);
	ck_assert_msg(n != NULL, "%s: %s", filter, error ? error->message : "");
	GString *s = g_string_new(NULL);
	print_node(s, n);
	return g_string_free(s, FALSE);
}

#define ck_parse(filter, expected)                                                                                     \
	do {                                                                                                               \
		g_autofree char *got_ = parsed(filter);                                                                        \
		ck_assert_msg(strcmp(got_, expected) == 0, "%s\n got: %s\nwant: %s", filter, got_, expected);                  \
	} while (0)

/* The message of a filter that must fail to parse (CATALOG_ERROR_INVALID_INPUT). */
static char *parse_error(const char *filter)
{
	g_autoptr(GError) error = NULL;
	PartFilterNode *n = partfilter_parse(filter, &error);
	ck_assert_msg(n == NULL, "%s parsed", filter ? filter : "(null)");
	ck_assert(g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT));
	return g_strdup(error->message);
}

#define ck_parse_error(filter, expected)                                                                               \
	do {                                                                                                               \
		g_autofree char *got_ = parse_error(filter);                                                                   \
		ck_assert_msg(g_str_has_prefix(got_, expected), "got: %s\nwant: %s…", got_, expected);                        \
	} while (0)

static JsonArray *sample_keys(void)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	const char *text = "[{\"Name\":\"ds\",\"Type\":\"string\"},{\"Name\":\"month\",\"Type\":\"int\"},"
	                   "{\"Name\":\"day\",\"Type\":\"date\"},{\"Name\":\"code\",\"Type\":\"bigint\"}]";
	ck_assert(json_parser_load_from_data(parser, text, -1, NULL));
	return json_array_ref(json_node_get_array(json_parser_get_root(parser)));
}

#define NKEYS 4
/* ds (string), month (int), day (date), code (bigint). */
static const char *const sample_parts[][NKEYS] = {
	{"2024-01-01", "1", "2024-01-01", "5"},
	{"2024-01-02", "10", "2024-01-15", "-7"},
	{"2024-02-01", "3", "2023-12-31", "123456789012345678901234567890"},
	{"__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__",
	 "__HIVE_DEFAULT_PARTITION__"},
	{"a_b", "007", "2024-02-30", "-0"},
	{"a%b", "-3", "2024-1-5", "9223372036854775807"},
	{"a\\b", "4", "2024-03-10", "9223372036854775808"},
	{"\xc3\xa9", "12", "2024-12-31", "0"},
	{"O'Brien", "2", "2024-06-15", "-9223372036854775808"},
	{"", "x5", "", "+5"},
	{"A", "-12", "2024-06-30", "-123456789012345678901234567890"},
};
#define NPARTS G_N_ELEMENTS(sample_parts)

/* The indexes of the sample partitions the filter selects, as "0,3,5". */
static char *eval_selection(const char *filter)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) keys = sample_keys();
	g_autoptr(PartFilterNode) n = partfilter_parse(filter, &error);
	ck_assert_msg(n != NULL, "%s: %s", filter, error ? error->message : "");
	ck_assert_msg(partfilter_check(n, keys, &error), "%s: %s", filter, error ? error->message : "");
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < NPARTS; i++) {
		if (partfilter_matches(n, keys, sample_parts[i]))
			g_string_append_printf(s, "%s%u", s->len ? "," : "", i);
	}
	return g_string_free(s, FALSE);
}

#define ck_selects(filter, expected)                                                                                   \
	do {                                                                                                               \
		g_autofree char *got_ = eval_selection(filter);                                                                \
		ck_assert_msg(strcmp(got_, expected) == 0, "%s\n got: %s\nwant: %s", filter, got_, expected);                  \
	} while (0)

/* ---- parsing ---- */

START_TEST(test_parse_comparisons)
{
	ck_parse("ds = \"2024-01-01\"", "(ds = s:2024-01-01)");
	ck_parse("ds == '2024'", "(ds = s:2024)");
	ck_parse("ds != 'a'", "(ds <> s:a)");
	ck_parse("ds <> 'a'", "(ds <> s:a)");
	ck_parse("month < 3", "(month < i:3)");
	ck_parse("month <= -3", "(month <= i:-3)");
	ck_parse("month > - 3", "(month > i:-3)");
	ck_parse("month >= 007", "(month >= i:7)");
	ck_parse("ds LIKE 'a%'", "(ds like s:a%)");
	ck_parse("ds like 'a%'", "(ds like s:a%)");
	ck_parse("ds Like 'a\\_b'", "(ds like s:a\\_b)");
	/* Reversed: the literal first, the operator mirrored. */
	ck_parse("3 < month", "(month > i:3)");
	ck_parse("'x' >= ds", "(ds <= s:x)");
	ck_parse("5 = month", "(month = i:5)");
	/* Identifiers: digits, underscores, back-quotes (`` is one back-quote), keywords quoted. */
	ck_parse("`date` = 1", "(date = i:1)");
	ck_parse("`a``b` = 1", "(a`b = i:1)");
	ck_parse("_x1 = 1", "(_x1 = i:1)");
	ck_parse("1x = 1", "(1x = i:1)");
	ck_parse("Month=1", "(Month = i:1)");
	ck_parse("andy = 1", "(andy = i:1)");
	ck_parse("\tds\r\n=\n'a'", "(ds = s:a)");
}
END_TEST

START_TEST(test_parse_literals)
{
	/* Escapes are kept verbatim (Hive only trims the quotes); adjacent strings concatenate. */
	ck_parse("ds = 'it\\'s'", "(ds = s:it\\'s)");
	ck_parse("ds = \"say \\\"hi\\\"\"", "(ds = s:say \\\"hi\\\")");
	ck_parse("ds = 'a' \"b\" 'c'", "(ds = s:abc)");
	ck_parse("ds = ''", "(ds = s:)");
	ck_parse("ds = \"O'Brien\"", "(ds = s:O'Brien)");
	ck_parse("ds = '\xc3\xa9t\xc3\xa9'", "(ds = s:\xc3\xa9t\xc3\xa9)");
	/* Dates and timestamps: keyword form and bare form. */
	ck_parse("day = DATE '2024-02-29'", "(day = d:2024-02-29)");
	ck_parse("day = date\"2024-01-01\"", "(day = d:2024-01-01)");
	ck_parse("day = 2024-01-01", "(day = d:2024-01-01)");
	ck_parse("ts = TIMESTAMP '2024-01-01 10:20:30'", "(ts = t:2024-01-01 10:20:30)");
	ck_parse("ts = timestamp '2024-01-01 10:20:30.123'", "(ts = t:2024-01-01 10:20:30.123)");
	ck_parse("ts = 2024-01-01 10:20:30", "(ts = t:2024-01-01 10:20:30)");
	ck_parse("2024-01-01 < day", "(day > d:2024-01-01)");
	/* Integers: optional minus, range of a Java long, canonical text. */
	ck_parse("c = 9223372036854775807", "(c = i:9223372036854775807)");
	ck_parse("c = -9223372036854775808", "(c = i:-9223372036854775808)");
	ck_parse("c = -0", "(c = i:0)");
}
END_TEST

START_TEST(test_parse_logic_between_in_struct)
{
	ck_parse("a = 1 and b = 2 AND c = 3", "(and (a = i:1) (b = i:2) (c = i:3))");
	ck_parse("a = 1 or b = 2 and c = 3", "(or (a = i:1) (and (b = i:2) (c = i:3)))");
	ck_parse("(a = 1 or b = 2) and c = 3", "(and (or (a = i:1) (b = i:2)) (c = i:3))");
	ck_parse("((((a = 1))))", "(a = i:1)");
	ck_parse("m between 1 and 5", "(m between i:1 i:5)");
	ck_parse("m NOT BETWEEN 1 AND 5 and x = 'y'", "(and (not (m between i:1 i:5)) (x = s:y))");
	ck_parse("d between date '2024-01-01' and 2024-12-31", "(d between d:2024-01-01 d:2024-12-31)");
	ck_parse("(m) in (1, 2, 3)", "(m in i:1 i:2 i:3)");
	ck_parse("(m) IN ('a')", "(m in s:a)");
	ck_parse("(`m`) not in (1, 'x', 2024-01-01)", "(not (m in i:1 s:x d:2024-01-01))");
	ck_parse("(m) in (1) or ((n) in (2))", "(or (m in i:1) (n in i:2))");
	ck_parse("(struct(a, b)) in (struct(1, 'x'), const struct(2, 'y'))", "(struct a b in (i:1 s:x) (i:2 s:y))");
	ck_parse("(STRUCT(a,b)) NOT IN (CONST STRUCT(1,'x'))", "(not (struct a b in (i:1 s:x)))");
	ck_parse("(struct(a)) in (struct(1), struct(2), struct(3))", "(struct a in (i:1) (i:2) (i:3))");
}
END_TEST

START_TEST(test_parse_depth_and_length)
{
	GString *deep = g_string_new(NULL);
	for (int i = 0; i < PARTFILTER_MAX_DEPTH; i++)
		g_string_append_c(deep, '(');
	g_string_append(deep, "a = 1");
	for (int i = 0; i < PARTFILTER_MAX_DEPTH; i++)
		g_string_append_c(deep, ')');
	ck_parse(deep->str, "(a = i:1)");
	g_string_prepend_c(deep, '(');
	g_string_append_c(deep, ')');
	ck_parse_error(deep->str, "Error parsing partition filter: parentheses nested deeper than 100");
	g_string_free(deep, TRUE);

	/* A long flat chain is fine (no recursion per term). */
	GString *chain = g_string_new("a = 0");
	for (int i = 1; i < 5000; i++)
		g_string_append_printf(chain, " or a = %d", i);
	g_autoptr(GError) error = NULL;
	g_autoptr(PartFilterNode) n = partfilter_parse(chain->str, &error);
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(n->children->len, 5000);
	g_string_free(chain, TRUE);

	char *huge = g_malloc(PARTFILTER_MAX_LENGTH + 2);
	memset(huge, ' ', PARTFILTER_MAX_LENGTH + 1);
	huge[PARTFILTER_MAX_LENGTH + 1] = '\0';
	ck_parse_error(huge, "Error parsing partition filter: the filter is longer than");
	g_free(huge);

	GString *many = g_string_new("(a) in (0");
	for (int i = 1; i <= PARTFILTER_MAX_LITERALS; i++)
		g_string_append_printf(many, ",%d", i);
	g_string_append_c(many, ')');
	ck_parse_error(many->str, "Error parsing partition filter: more than 30000 literals");
	g_string_free(many, TRUE);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_parse_errors)
{
	const char *lex = "Error parsing partition filter: lexer error: ";
	ck_parse_error(NULL, "Error parsing partition filter: the filter is null");
	ck_parse_error("", lex);
	ck_parse_error("   ", "Error parsing partition filter: lexer error: mismatched input '<EOF>'");
	ck_parse_error("ds = ", "Error parsing partition filter: lexer error: mismatched input '<EOF>' at 5 expecting a constant");
	ck_parse_error("ds", lex);
	ck_parse_error("ds = 'a", "Error parsing partition filter: lexer error: unterminated string");
	ck_parse_error("`ds = 1", "Error parsing partition filter: lexer error: unterminated quoted identifier");
	ck_parse_error("ds = 1 ds = 2", "Error parsing partition filter: lexer error: extraneous input 'ds'");
	ck_parse_error("ds ~ 'a'", "Error parsing partition filter: lexer error: token recognition error at 3: '~'");
	ck_parse_error("ds = 'a' and", lex);
	ck_parse_error("(ds = 'a'", lex);
	ck_parse_error("ds = 'a')", lex);
	ck_parse_error("ds = x", lex);
	ck_parse_error("1 = 2", lex);
	ck_parse_error("date = 1", lex); /* the keyword, not a key */
	ck_parse_error("123 = 1", lex);  /* an integer, not a key */
	ck_parse_error("not ds = 'a'", lex);
	ck_parse_error("ds in (1)", lex);
	ck_parse_error("(ds) in ()", lex);
	ck_parse_error("ds between 1", lex);
	ck_parse_error("ds = -'a'", lex);
	ck_parse_error("ds = \xc3\xa9", "Error parsing partition filter: lexer error: token recognition error at 5: '\xc3\xa9'");
	ck_parse_error("ds = 'a\xff'", "Error parsing partition filter: the filter is not valid UTF-8");
	ck_parse_error("ds <=> 'a'", "Error parsing partition filter: Unsupported comparison operator: <=>");
	ck_parse_error("day = DATE '2024-02-30'", "Error parsing partition filter: Text '2024-02-30' could not be parsed");
	ck_parse_error("day = 2023-02-29", "Error parsing partition filter: Text '2023-02-29' could not be parsed");
	ck_parse_error("day = DATE '2024-1-1'", "Error parsing partition filter: Text '2024-1-1' could not be parsed");
	ck_parse_error("day = DATE 5", lex);
	ck_parse_error("ts = TIMESTAMP '2024-01-01 24:00:00'", "Error parsing partition filter: Text '2024-01-01 24:00:00'");
	ck_parse_error("c = 9223372036854775808", "Error parsing partition filter: integer out of range: 9223372036854775808");
	ck_parse_error("(struct(a, b)) in (struct(1), struct(2, 3))",
	               "Error parsing partition filter: Struct key [a, b] and value [1] sizes do not match.");
	ck_parse_error("(struct(a)) in struct(1)", lex);
	/* A backslash always takes the next character, so no pattern can end in a lone one. */
	ck_parse_error("ds like 'abc\\'", "Error parsing partition filter: lexer error: unterminated string");
	ck_parse_error("'a%' like ds", "Error parsing partition filter: LIKE needs the partition key on its left");
}
END_TEST

START_TEST(test_check_unknown_keys)
{
	g_autoptr(JsonArray) keys = sample_keys();
	const struct {
		const char *filter, *message;
	} cases[] = {
		{"ds = 'a' and owner = 'x'", "owner is not a partitioning key for the table"},
		{"`my key` = 1", "my key is not a partitioning key for the table"},
		{"(zz) in (1)", "zz is not a partitioning key for the table"},
		{"q between 1 and 2", "q is not a partitioning key for the table"},
		{"(month) not in (1) or (struct(ds, nope)) in (struct(1, 2))", "nope is not a partitioning key for the table"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(PartFilterNode) n = partfilter_parse(cases[i].filter, &error);
		ck_assert_ptr_nonnull(n);
		ck_assert(!partfilter_check(n, keys, &error));
		ck_assert(g_error_matches(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT));
		ck_assert_str_eq(error->message, cases[i].message);
	}
	/* Key names match case-insensitively (Hive lower-cases keys). */
	g_autoptr(GError) error = NULL;
	g_autoptr(PartFilterNode) n = partfilter_parse("DS = 'a' and `Month` > 1", &error);
	ck_assert(partfilter_check(n, keys, &error));
	PartFilterNode *second = g_ptr_array_index(n->children, 1);
	ck_assert_int_eq(second->key.index, 1);
}
END_TEST

/* ---- evaluation ---- */

START_TEST(test_eval_semantics)
{
	/* Strings: byte order, default partition is an ordinary string. */
	ck_selects("ds = '2024-01-01'", "0");
	ck_selects("ds > 'a'", "4,5,6,7");
	ck_selects("ds < 'A'", "0,1,2,9");
	ck_selects("ds = ''", "9");
	ck_selects("ds = \"O'Brien\"", "8");
	ck_selects("ds != 'a_b'", "0,1,2,3,5,6,7,8,9,10");
	/* Integral keys by value: month > 3 holds for 10; 007 = 7; the default partition never. */
	ck_selects("month > 3", "1,4,6,7");
	ck_selects("month = 7", "4");
	ck_selects("month < 0", "5,10");
	ck_selects("month between 2 and 10", "1,2,4,6,8");
	ck_selects("month not between 2 and 10", "0,5,7,10");
	ck_selects("(month) in (1, 3, 10)", "0,1,2");
	ck_selects("(month) not in (1, 3, 10)", "4,5,6,7,8,10");
	/* A string literal on an integral key compares text: finds the default partition. */
	ck_selects("month = '__HIVE_DEFAULT_PARTITION__'", "3");
	ck_selects("month != '__HIVE_DEFAULT_PARTITION__'", "0,1,2,4,5,6,7,8,9,10");
	ck_selects("month > '3'", "3,6,9");
	/* Big values compare exactly. */
	ck_selects("code > 9223372036854775807", "2,6");
	ck_selects("code >= 9223372036854775807", "2,5,6");
	ck_selects("code < -9223372036854775807", "8,10");
	ck_selects("code = 0", "4,7");
	ck_selects("code = 5", "0");
	/* Dates: a string holding a date compares as a date; non-dates and the default never match. */
	ck_selects("day > '2024-01-01'", "1,4,6,7,8,10");
	ck_selects("day = DATE '2024-01-15'", "1");
	ck_selects("day between 2024-01-01 and 2024-06-30", "0,1,4,6,8,10");
	ck_selects("day not between date '2024-01-01' and date '2024-06-30'", "2,7");
	ck_selects("day = 'nonsense'", "");
	/* LIKE: % and _ wildcards, backslash escapes, one UTF-8 character for _. */
	ck_selects("ds like 'a%'", "4,5,6");
	ck_selects("ds like 'a\\_b'", "4");
	ck_selects("ds like 'a\\%b'", "5");
	ck_selects("ds like 'a\\\\b'", "6");
	ck_selects("ds like '_'", "7,10");
	ck_selects("ds like '%''%'", "0,1,2,3,4,5,6,7,8,9,10"); /* '%' '%' concatenate */
	ck_selects("ds like \"%'%\"", "8");
	ck_selects("ds like '%'", "0,1,2,3,4,5,6,7,8,9,10");
	ck_selects("month like '1%'", "0,1,7");
	ck_selects("ds like '2024-0_-01'", "0,2");
	/* Logic and STRUCT IN. */
	ck_selects("(ds > 'a' or month = 1) and day >= 2024-01-01", "0,4,6,7"); /* 2024-02-30 passes the shape check */
	ck_selects("(struct(ds, month)) in (struct('2024-01-01', 1), const struct('a_b', 7))", "0,4");
	ck_selects("(struct(ds, month)) not in (struct('2024-01-01', 1), struct('a_b', 7))", "1,2,3,5,6,7,8,9,10");
	ck_selects("ds = 'a' '_b'", "4");
}
END_TEST

START_TEST(test_eval_three_valued)
{
	g_autoptr(JsonArray) keys = sample_keys();
	g_autoptr(GError) error = NULL;
	g_autoptr(PartFilterNode) n = partfilter_parse("month > 3 or ds = 'zz'", &error);
	ck_assert(partfilter_check(n, keys, &error));
	const char *const def[NKEYS] = {"x", PARTFILTER_DEFAULT_PARTITION, "2024-01-01", "1"};
	ck_assert_int_eq(partfilter_eval(n, keys, def), PARTFILTER_UNKNOWN);
	const char *const missing[NKEYS] = {"zz", NULL, NULL, NULL};
	ck_assert_int_eq(partfilter_eval(n, keys, missing), PARTFILTER_TRUE);
	ck_assert(partfilter_like("", "%"));
	ck_assert(!partfilter_like("", "_"));
	ck_assert(partfilter_like("abc", "%b%"));
	ck_assert(!partfilter_like("abc", "%b"));
	ck_assert(partfilter_like("a%", "a\\%"));
}
END_TEST

/* ---- against PostgreSQL ---- */

static PGresult *pg_ok(PGconn *conn, PGresult *res, const char *what)
{
	ExecStatusType st = PQresultStatus(res);
	ck_assert_msg(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s", what, PQresultErrorMessage(res));
	return res;
}

/* Loads the sample partitions into a temporary table parts(id, part_values). */
static void pg_load_samples(PGconn *conn)
{
	PQclear(pg_ok(conn, PQexec(conn, "CREATE TEMP TABLE parts (id int PRIMARY KEY, part_values text[] NOT NULL)"),
	              "create"));
	for (guint i = 0; i < NPARTS; i++) {
		g_autofree char *id = g_strdup_printf("%u", i);
		const char *params[1 + NKEYS] = {id};
		for (int k = 0; k < NKEYS; k++)
			params[1 + k] = sample_parts[i][k];
		PQclear(pg_ok(conn,
		              PQexecParams(conn, "INSERT INTO parts VALUES ($1::int, ARRAY[$2::text, $3::text, $4::text, $5::text])",
		                           1 + NKEYS, NULL, params, NULL, NULL, 0),
		              "insert"));
	}
}

/* The ids the generated SQL selects, as "0,3,5" (the id >= $1 guard shows first_param works). */
static char *sql_selection(PGconn *conn, const char *filter)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) keys = sample_keys();
	g_autoptr(PartFilterNode) n = partfilter_parse(filter, &error);
	ck_assert(n && partfilter_check(n, keys, &error));
	g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(params, g_strdup("0"));
	g_autofree char *expr = partfilter_sql(n, keys, "p.part_values", params, 2);
	ck_assert_ptr_nonnull(expr);
	g_autofree char *sql = g_strdup_printf("SELECT id FROM parts p WHERE p.id >= $1::int AND %s ORDER BY id", expr);
	PGresult *res = pg_ok(conn,
	                      PQexecParams(conn, sql, (int)params->len, NULL, (const char *const *)params->pdata, NULL, NULL, 0),
	                      sql);
	GString *s = g_string_new(NULL);
	for (int r = 0; r < PQntuples(res); r++)
		g_string_append_printf(s, "%s%s", s->len ? "," : "", PQgetvalue(res, r, 0));
	PQclear(res);
	return g_string_free(s, FALSE);
}

static const char *const agreement_filters[] = {
	"ds = '2024-01-01'", "ds == \"2024-01-01\"", "ds > 'a'", "ds < 'A'", "ds >= 'a_b' and ds < 'b'",
	"'2024-01-15' > ds", "ds = ''", "ds != 'a_b'", "ds <> \"O'Brien\"", "ds = 2024-01-01",
	"ds = TIMESTAMP '2024-01-01 00:00:00'", "ds = 5", "(ds) in ('a_b', '\xc3\xa9', 'nope')", "ds < '\xc3\xa9'",
	"ds > '\xc3\xa9'", "ds = 'a' '_b'", "month > 3", "month >= 3 and month <= 10", "month = 7", "month < 0",
	"3 < month", "month between 2 and 10", "month not between 2 and 10", "month between 10 and 2",
	"(month) in (1, 3, 10)", "(month) not in (1, 3, 10)", "month = '__HIVE_DEFAULT_PARTITION__'",
	"month != '__HIVE_DEFAULT_PARTITION__'", "month > '3'", "month = 5", "month = -12", "month > 2024-01-01",
	"day > '2024-01-01'", "day = DATE'2024-01-15'", "day between 2024-01-01 and 2024-06-30", "day < 2024-12-31",
	"day not between date '2024-01-01' and date '2024-06-30'", "day = 'nonsense'", "day >= '2024-02-30'",
	"day = '__HIVE_DEFAULT_PARTITION__'", "day > 20240101", "day = TIMESTAMP '2024-01-01 00:00:00'", "code > 0",
	"code < -5", "code = 9223372036854775807", "code > 9223372036854775807", "code >= -9223372036854775808",
	"code < -9223372036854775807", "code = 0", "code = 5", "code != 5", "code like '%5'", "ds like 'a%'",
	"ds like 'a\\_b'", "ds like 'a\\%b'", "ds like 'a\\\\b'", "ds like '_'", "ds like \"%'%\"", "ds like '%'",
	"ds like ''", "month like '1%'", "day like '2024-__-__'", "ds like '2024-0_-01'", "ds like '\\a%'",
	"(struct(ds, month)) in (struct('2024-01-01', 1), const struct('a_b', 7))",
	"(struct(ds, month)) not in (struct('2024-01-01', 1), struct('a_b', 7))",
	"(struct(month, day)) in (struct(10, '2024-01-15'), struct(3, 2023-12-31))",
	"(ds > 'a' or month = 1) and day >= 2024-01-01", "month > 3 or ds = 'zz'",
	"(month) not in (1) and (day) not in (2024-01-01) or code not between -10 and 10",
	"((month > 3 or month < 0) and (ds like 'a%' or ds = '\xc3\xa9')) or (code) in (0, 5)",
};

START_TEST(test_sql_agrees_with_eval_on_postgres)
{
	g_autoptr(GError) error = NULL;
	g_setenv("PROPOLIS_EMBEDDED_NOSYNC", "1", TRUE);
	g_autofree char *dir = g_dir_make_tmp("propolis-partfilter-XXXXXX", &error);
	ck_assert_ptr_nonnull(dir);
	EmbeddedPg *pg = embedded_pg_start(dir, &error);
	ck_assert_msg(pg != NULL, "embedded_pg_start: %s", error ? error->message : "");
	PGconn *conn = PQconnectdb(embedded_pg_conninfo(pg));
	ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "%s", PQerrorMessage(conn));
	pg_load_samples(conn);
	for (gsize i = 0; i < G_N_ELEMENTS(agreement_filters); i++) {
		g_autofree char *want = eval_selection(agreement_filters[i]);
		g_autofree char *got = sql_selection(conn, agreement_filters[i]);
		ck_assert_msg(strcmp(want, got) == 0, "%s\n  sql: %s\n eval: %s", agreement_filters[i], got, want);
	}
	/* Every key with every operator and every kind of literal, plain and negated. */
	static const char *const pkeys[] = {"ds", "month", "day", "code"};
	static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">=", "like"};
	static const char *const lits[] = {"'1'", "1", "-3", "'2024-01-01'", "2024-01-01", "DATE'2024-01-15'",
	                                   "'__HIVE_DEFAULT_PARTITION__'", "'a%'", "'a\\_b'", "10", "''",
	                                   "9223372036854775807", "'%1%'", "'_'"};
	for (gsize k = 0; k < G_N_ELEMENTS(pkeys); k++) {
		for (gsize o = 0; o < G_N_ELEMENTS(ops); o++) {
			for (gsize l = 0; l < G_N_ELEMENTS(lits); l++) {
				g_autofree char *f = g_strdup_printf("%s %s %s", pkeys[k], ops[o], lits[l]);
				g_autofree char *want = eval_selection(f);
				g_autofree char *got = sql_selection(conn, f);
				ck_assert_msg(strcmp(want, got) == 0, "%s\n  sql: %s\n eval: %s", f, got, want);
			}
		}
		for (gsize l = 0; l + 1 < G_N_ELEMENTS(lits); l++) {
			g_autofree char *f = g_strdup_printf("%s not between %s and %s or (%s) not in (%s, 3)", pkeys[k], lits[l],
			                                     lits[l + 1], pkeys[k], lits[l]);
			g_autofree char *want = eval_selection(f);
			g_autofree char *got = sql_selection(conn, f);
			ck_assert_msg(strcmp(want, got) == 0, "%s\n  sql: %s\n eval: %s", f, got, want);
		}
	}
	/* Literals travel only as parameters: a hostile string is just a value. */
	g_autofree char *hostile = sql_selection(conn, "ds = \"'; DROP TABLE parts; --\"");
	ck_assert_str_eq(hostile, "");
	PQfinish(conn);
	embedded_pg_stop(pg);
	const char *argv[] = {"rm", "-rf", dir, NULL};
	(void)g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}
END_TEST

START_TEST(test_sql_shape)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) keys = sample_keys();
	g_autoptr(PartFilterNode) n = partfilter_parse("month > 3 and ds like 'a%' and day = '2024-01-01'", &error);
	ck_assert(partfilter_check(n, keys, &error));
	g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *sql = partfilter_sql(n, keys, "p.part_values", params, 3);
	ck_assert_int_eq(params->len, 3);
	ck_assert_str_eq(g_ptr_array_index(params, 0), "3");
	ck_assert_str_eq(g_ptr_array_index(params, 1), "a%");
	ck_assert_str_eq(g_ptr_array_index(params, 2), "2024-01-01");
	ck_assert_ptr_nonnull(strstr(sql, "p.part_values[2]::numeric END) > $3::numeric"));
	ck_assert_ptr_nonnull(strstr(sql, "(p.part_values[1] COLLATE \"C\" LIKE $4::text)"));
	ck_assert_ptr_nonnull(strstr(sql, "COLLATE \"C\" = $5::text"));
	ck_assert_ptr_null(strstr(sql, "a%"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("partfilter");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_comparisons);
	tcase_add_test(tc, test_parse_literals);
	tcase_add_test(tc, test_parse_logic_between_in_struct);
	tcase_add_test(tc, test_parse_depth_and_length);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_check_unknown_keys);
	tcase_add_test(tc, test_eval_semantics);
	tcase_add_test(tc, test_eval_three_valued);
	tcase_add_test(tc, test_sql_shape);
	suite_add_tcase(s, tc);
	TCase *pg = tcase_create("postgres");
	tcase_set_timeout(pg, 180);
	tcase_add_test(pg, test_sql_agrees_with_eval_on_postgres);
	suite_add_tcase(s, pg);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
