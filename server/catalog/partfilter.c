/*
 * partfilter.c — Hive's partition filter language: lexer, recursive-descent parser, key
 * check and evaluator (grammar and semantics in partfilter.h).
 *
 * The lexer turns the whole text into a token array first, so the parser can look ahead
 * to tell "(" or-expression ")" from "(" key ")" IN and "(" STRUCT … . Longest match decides
 * between a number, a date, a timestamp and an identifier, and a keyword wins over an
 * identifier of the same text, as in Hive's ANTLR lexer (so `date` must be back-quoted).
 * AND/OR chains become one n-ary node, so only parentheses nest; nesting is bounded by
 * PARTFILTER_MAX_DEPTH. Syntax errors read "Error parsing partition filter: lexer error: …"
 * as Hive 4's do; semantic ones (a bad date, <=>, struct sizes) lack the "lexer error: " part.
 */
#include <string.h>

#include "catalog/partfilter.h"
#include "common/error.h"

/* ---- lexer ---- */

typedef enum {
	TOK_EOF,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_COMMA,
	TOK_MINUS,
	TOK_OP,   /* op field set; LIKE included */
	TOK_NSEQ, /* <=> */
	TOK_STRING,
	TOK_INTEGER,
	TOK_DATE_VALUE,
	TOK_TIMESTAMP_VALUE,
	TOK_IDENT,
	TOK_QIDENT,
	TOK_AND,
	TOK_OR,
	TOK_NOT,
	TOK_BETWEEN,
	TOK_IN,
	TOK_STRUCT,
	TOK_CONST,
	TOK_DATE,
	TOK_TIMESTAMP,
} TokKind;

typedef struct {
	TokKind kind;
	PartFilterOp op;
	char *text; /* the value: string body, identifier, digits, date…; else the source text */
	gsize pos;  /* byte offset in the filter */
} Tok;

static const struct {
	const char *word;
	TokKind kind;
} keywords[] = {
	{"AND", TOK_AND},       {"OR", TOK_OR},         {"NOT", TOK_NOT},   {"BETWEEN", TOK_BETWEEN},
	{"IN", TOK_IN},         {"STRUCT", TOK_STRUCT}, {"CONST", TOK_CONST}, {"DATE", TOK_DATE},
	{"TIMESTAMP", TOK_TIMESTAMP}, {"LIKE", TOK_OP},
};

static gboolean fail_syntax(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Sets "Error parsing partition filter: lexer error: <detail>" and returns FALSE. */
static gboolean fail_syntax(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Error parsing partition filter: lexer error: %s",
	            detail);
	return FALSE;
}

static gboolean fail_semantic(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Sets "Error parsing partition filter: <detail>" and returns FALSE. */
static gboolean fail_semantic(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Error parsing partition filter: %s", detail);
	return FALSE;
}

static void tok_clear(gpointer p)
{
	g_free(((Tok *)p)->text);
}

static void lex_push(GArray *toks, TokKind kind, PartFilterOp op, char *text, gsize pos)
{
	Tok t = {kind, op, text, pos};
	g_array_append_val(toks, t);
}

static gboolean is_ident_char(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* Length of "dddd-dd-dd" at s (10) or 0. */
static gsize lex_date_len(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	for (gsize i = 0; i < 10; i++) {
		if (shape[i] == 'd' ? !g_ascii_isdigit(s[i]) : s[i] != shape[i])
			return 0;
	}
	return 10;
}

/* Length of "dddd-dd-dd dd:dd:dd" at s (19) or 0. */
static gsize lex_timestamp_len(const char *s)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	for (gsize i = 0; i < 19; i++) {
		if (shape[i] == 'd' ? !g_ascii_isdigit(s[i]) : s[i] != shape[i])
			return 0;
	}
	return 19;
}

/* Lexes a '…' or "…" string at *pos; pushes its body (escapes kept verbatim). */
static gboolean lex_string(const char *s, gsize *pos, GArray *toks, GError **error)
{
	gsize start = *pos, i = start + 1;
	char quote = s[start];
	while (s[i] && s[i] != quote) {
		if (s[i] == '\\' && s[i + 1])
			i++;
		i++;
	}
	if (!s[i])
		return fail_syntax(error, "unterminated string starting at %zu", start);
	lex_push(toks, TOK_STRING, 0, g_strndup(s + start + 1, i - start - 1), start);
	*pos = i + 1;
	return TRUE;
}

/* Lexes a `…` identifier at *pos ("``" is one back-quote). */
static gboolean lex_quoted_ident(const char *s, gsize *pos, GArray *toks, GError **error)
{
	gsize start = *pos, i = start + 1;
	GString *name = g_string_new(NULL);
	for (;;) {
		if (!s[i]) {
			g_string_free(name, TRUE);
			return fail_syntax(error, "unterminated quoted identifier starting at %zu", start);
		}
		if (s[i] == '`' && s[i + 1] == '`') {
			g_string_append_c(name, '`');
			i += 2;
		} else if (s[i] == '`') {
			break;
		} else {
			g_string_append_c(name, s[i++]);
		}
	}
	lex_push(toks, TOK_QIDENT, 0, g_string_free(name, FALSE), start);
	*pos = i + 1;
	return TRUE;
}

/* Lexes a number, date, timestamp, identifier or keyword at *pos (longest match). */
static void lex_word(const char *s, gsize *pos, GArray *toks)
{
	gsize start = *pos, n = 0, digits = 0;
	while (is_ident_char(s[start + n]))
		n++;
	while (g_ascii_isdigit(s[start + digits]))
		digits++;
	gsize ts = lex_timestamp_len(s + start), date = lex_date_len(s + start);
	if (ts > 0 && ts > n) {
		lex_push(toks, TOK_TIMESTAMP_VALUE, 0, g_strndup(s + start, ts), start);
		*pos = start + ts;
		return;
	}
	if (date > 0 && date > n) {
		lex_push(toks, TOK_DATE_VALUE, 0, g_strndup(s + start, date), start);
		*pos = start + date;
		return;
	}
	*pos = start + n;
	if (digits == n) {
		lex_push(toks, TOK_INTEGER, 0, g_strndup(s + start, n), start);
		return;
	}
	for (gsize k = 0; k < G_N_ELEMENTS(keywords); k++) {
		if (strlen(keywords[k].word) == n && g_ascii_strncasecmp(s + start, keywords[k].word, n) == 0) {
			lex_push(toks, keywords[k].kind, PARTFILTER_OP_LIKE, g_strndup(s + start, n), start);
			return;
		}
	}
	lex_push(toks, TOK_IDENT, 0, g_strndup(s + start, n), start);
}

/* Lexes an operator at *pos; FALSE if there is none. */
static gboolean lex_operator(const char *s, gsize *pos, GArray *toks)
{
	static const struct {
		const char *text;
		TokKind kind;
		PartFilterOp op;
	} ops[] = {
		{"<=>", TOK_NSEQ, 0},          {"<=", TOK_OP, PARTFILTER_OP_LE}, {"<>", TOK_OP, PARTFILTER_OP_NE},
		{"<", TOK_OP, PARTFILTER_OP_LT}, {">=", TOK_OP, PARTFILTER_OP_GE}, {">", TOK_OP, PARTFILTER_OP_GT},
		{"==", TOK_OP, PARTFILTER_OP_EQ}, {"=", TOK_OP, PARTFILTER_OP_EQ}, {"!=", TOK_OP, PARTFILTER_OP_NE},
	};
	for (gsize k = 0; k < G_N_ELEMENTS(ops); k++) {
		gsize n = strlen(ops[k].text);
		if (strncmp(s + *pos, ops[k].text, n) == 0) {
			lex_push(toks, ops[k].kind, ops[k].op, g_strdup(ops[k].text), *pos);
			*pos += n;
			return TRUE;
		}
	}
	return FALSE;
}

/* Splits the filter into tokens, ending with TOK_EOF. NULL with error on a bad character. */
static GArray *lex_all(const char *s, GError **error)
{
	g_autoptr(GArray) toks = g_array_new(FALSE, FALSE, sizeof(Tok));
	g_array_set_clear_func(toks, tok_clear);
	gsize pos = 0;
	while (s[pos]) {
		char c = s[pos];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			pos++;
		} else if (c == '(' || c == ')' || c == ',' || c == '-') {
			TokKind k = c == '(' ? TOK_LPAREN : c == ')' ? TOK_RPAREN : c == ',' ? TOK_COMMA : TOK_MINUS;
			lex_push(toks, k, 0, g_strndup(s + pos, 1), pos);
			pos++;
		} else if (c == '\'' || c == '"') {
			if (!lex_string(s, &pos, toks, error))
				return NULL;
		} else if (c == '`') {
			if (!lex_quoted_ident(s, &pos, toks, error))
				return NULL;
		} else if (is_ident_char(c)) {
			lex_word(s, &pos, toks);
		} else if (!lex_operator(s, &pos, toks)) {
			const char *end = g_utf8_next_char(s + pos);
			fail_syntax(error, "token recognition error at %zu: '%.*s'", pos, (int)(end - (s + pos)), s + pos);
			return NULL;
		}
	}
	lex_push(toks, TOK_EOF, 0, g_strdup("<EOF>"), pos);
	return g_steal_pointer(&toks);
}

/* ---- literal validation ---- */

static gboolean digits_at(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return TRUE;
}

/* TRUE when s starts with a valid calendar date yyyy-mm-dd. */
static gboolean date_prefix_valid(const char *s)
{
	int y, m, d;
	if (!digits_at(s, 4, &y) || s[4] != '-' || !digits_at(s + 5, 2, &m) || s[7] != '-' || !digits_at(s + 8, 2, &d))
		return FALSE;
	return y > 0 && g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* TRUE for a valid yyyy-mm-dd date (and nothing else). */
static gboolean date_literal_valid(const char *s)
{
	return strlen(s) == 10 && date_prefix_valid(s);
}

/* TRUE for a valid yyyy-mm-dd hh:mm:ss with an optional .fraction of 1 to 9 digits. */
static gboolean timestamp_literal_valid(const char *s)
{
	int h, mi, se;
	if (strlen(s) < 19 || !date_prefix_valid(s) || s[10] != ' ' || !digits_at(s + 11, 2, &h) || s[13] != ':' ||
	    !digits_at(s + 14, 2, &mi) || s[16] != ':' || !digits_at(s + 17, 2, &se))
		return FALSE;
	if (h > 23 || mi > 59 || se > 59)
		return FALSE;
	if (s[19] == '\0')
		return TRUE;
	gsize frac = strlen(s + 20);
	return s[19] == '.' && frac >= 1 && frac <= 9 && strspn(s + 20, "0123456789") == frac;
}

/* TRUE when pattern does not end in an unescaped backslash (PostgreSQL refuses those). */
static gboolean like_pattern_valid(const char *pattern)
{
	for (const char *p = pattern; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				return FALSE;
			p++;
		}
	}
	return TRUE;
}

/* ---- tree ---- */

static void literal_free(gpointer p)
{
	PartFilterLiteral *lit = p;
	if (lit == NULL)
		return;
	g_free(lit->text);
	g_free(lit);
}

static void key_free(gpointer p)
{
	PartFilterKey *k = p;
	g_free(k->name);
	g_free(k);
}

/* Frees a tree; NULL is fine. */
void partfilter_free(PartFilterNode *node)
{
	if (node == NULL)
		return;
	if (node->children)
		g_ptr_array_unref(node->children);
	if (node->values)
		g_ptr_array_unref(node->values);
	if (node->keys)
		g_ptr_array_unref(node->keys);
	g_free(node->key.name);
	literal_free(node->lit);
	literal_free(node->lo);
	literal_free(node->hi);
	g_free(node);
}

static PartFilterNode *node_new(PartFilterKind kind)
{
	PartFilterNode *n = g_new0(PartFilterNode, 1);
	n->kind = kind;
	n->key.index = -1;
	if (kind == PARTFILTER_AND || kind == PARTFILTER_OR || kind == PARTFILTER_NOT)
		n->children = g_ptr_array_new_with_free_func((GDestroyNotify)partfilter_free);
	return n;
}

static PartFilterNode *node_not(PartFilterNode *child)
{
	PartFilterNode *n = node_new(PARTFILTER_NOT);
	g_ptr_array_add(n->children, child);
	return n;
}

/* ---- parser ---- */

typedef struct {
	GArray *toks;
	guint at;
	guint literals;
} Parser;

static const Tok *peek(Parser *p, guint ahead)
{
	guint i = MIN(p->at + ahead, p->toks->len - 1);
	return &g_array_index(p->toks, Tok, i);
}

static TokKind peek_kind(Parser *p, guint ahead)
{
	return peek(p, ahead)->kind;
}

static const Tok *next(Parser *p)
{
	const Tok *t = peek(p, 0);
	if (t->kind != TOK_EOF)
		p->at++;
	return t;
}

/* Fails with "mismatched input '<tok>' at <pos> expecting <what>". */
static gboolean fail_at(Parser *p, const char *what, GError **error)
{
	const Tok *t = peek(p, 0);
	return fail_syntax(error, "mismatched input '%s' at %zu expecting %s", t->text, t->pos, what);
}

static gboolean expect(Parser *p, TokKind kind, const char *what, GError **error)
{
	if (peek_kind(p, 0) != kind)
		return fail_at(p, what, error);
	next(p);
	return TRUE;
}

static gboolean is_key_token(TokKind k)
{
	return k == TOK_IDENT || k == TOK_QIDENT;
}

static gboolean parse_key(Parser *p, PartFilterKey *key, GError **error)
{
	if (!is_key_token(peek_kind(p, 0)))
		return fail_at(p, "a partition key", error);
	key->name = g_strdup(next(p)->text);
	key->index = -1;
	return TRUE;
}

static PartFilterLiteral *literal_new(PartFilterLitType type, char *text)
{
	PartFilterLiteral *lit = g_new0(PartFilterLiteral, 1);
	lit->type = type;
	lit->text = text;
	return lit;
}

/* ["-"] digits: the literal with its canonical text (as Java's Long.parseLong then toString). */
static PartFilterLiteral *parse_integer(Parser *p, GError **error)
{
	gboolean neg = FALSE;
	if (peek_kind(p, 0) == TOK_MINUS) {
		next(p);
		neg = TRUE;
	}
	if (peek_kind(p, 0) != TOK_INTEGER) {
		fail_at(p, "an integer", error);
		return NULL;
	}
	const Tok *t = next(p);
	g_autofree char *text = g_strconcat(neg ? "-" : "", t->text, NULL);
	gint64 v;
	if (!g_ascii_string_to_signed(text, 10, G_MININT64, G_MAXINT64, &v, NULL)) {
		fail_semantic(error, "integer out of range: %s", text);
		return NULL;
	}
	PartFilterLiteral *lit = literal_new(PARTFILTER_LIT_INTEGER, g_strdup_printf("%" G_GINT64_FORMAT, v));
	lit->integer = v;
	return lit;
}

/* DATE 'x' | TIMESTAMP 'x' | bare date/timestamp, validated. */
static PartFilterLiteral *parse_datetime(Parser *p, GError **error)
{
	const Tok *t = next(p);
	gboolean is_date = t->kind == TOK_DATE || t->kind == TOK_DATE_VALUE;
	const char *text = t->text;
	if (t->kind == TOK_DATE || t->kind == TOK_TIMESTAMP) {
		if (peek_kind(p, 0) != TOK_STRING) {
			fail_at(p, "a quoted value", error);
			return NULL;
		}
		text = next(p)->text;
	}
	if (is_date ? !date_literal_valid(text) : !timestamp_literal_valid(text)) {
		fail_semantic(error, "Text '%s' could not be parsed as a %s", text, is_date ? "date" : "timestamp");
		return NULL;
	}
	return literal_new(is_date ? PARTFILTER_LIT_DATE : PARTFILTER_LIT_TIMESTAMP, g_strdup(text));
}

static gboolean is_constant_start(TokKind k)
{
	return k == TOK_STRING || k == TOK_MINUS || k == TOK_INTEGER || k == TOK_DATE || k == TOK_DATE_VALUE ||
	       k == TOK_TIMESTAMP || k == TOK_TIMESTAMP_VALUE;
}

/* constant := string+ | number | date | timestamp. */
static PartFilterLiteral *parse_constant(Parser *p, GError **error)
{
	if (++p->literals > PARTFILTER_MAX_LITERALS) {
		fail_semantic(error, "more than %d literals", PARTFILTER_MAX_LITERALS);
		return NULL;
	}
	TokKind k = peek_kind(p, 0);
	if (k == TOK_STRING) {
		GString *s = g_string_new(NULL);
		while (peek_kind(p, 0) == TOK_STRING)
			g_string_append(s, next(p)->text);
		return literal_new(PARTFILTER_LIT_STRING, g_string_free(s, FALSE));
	}
	if (k == TOK_MINUS || k == TOK_INTEGER)
		return parse_integer(p, error);
	if (k == TOK_DATE || k == TOK_DATE_VALUE || k == TOK_TIMESTAMP || k == TOK_TIMESTAMP_VALUE)
		return parse_datetime(p, error);
	fail_at(p, "a constant", error);
	return NULL;
}

/* constant ("," constant)* into a new array of literals. */
static GPtrArray *parse_constant_seq(Parser *p, GError **error)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(literal_free);
	do {
		PartFilterLiteral *lit = parse_constant(p, error);
		if (lit == NULL)
			return NULL;
		g_ptr_array_add(values, lit);
	} while (peek_kind(p, 0) == TOK_COMMA && next(p));
	return g_steal_pointer(&values);
}

/* Reads an operator token; `<=>` is refused as Hive 4's visitor does. *op is set on every path. */
static gboolean parse_operator(Parser *p, PartFilterOp *op, GError **error)
{
	*op = PARTFILTER_OP_EQ;
	if (peek_kind(p, 0) == TOK_NSEQ)
		return fail_semantic(error, "Unsupported comparison operator: <=>");
	if (peek_kind(p, 0) != TOK_OP)
		return fail_at(p, "a comparison operator", error);
	*op = next(p)->op;
	return TRUE;
}

/* The operator that gives the same result with its operands swapped. */
static PartFilterOp op_reverse(PartFilterOp op)
{
	switch (op) {
	case PARTFILTER_OP_LT:
		return PARTFILTER_OP_GT;
	case PARTFILTER_OP_LE:
		return PARTFILTER_OP_GE;
	case PARTFILTER_OP_GT:
		return PARTFILTER_OP_LT;
	case PARTFILTER_OP_GE:
		return PARTFILTER_OP_LE;
	default:
		return op;
	}
}

static PartFilterNode *cmp_node(PartFilterOp op, PartFilterLiteral *lit, GError **error)
{
	if (op == PARTFILTER_OP_LIKE && !like_pattern_valid(lit->text)) {
		literal_free(lit);
		fail_semantic(error, "LIKE pattern must not end with an escape character");
		return NULL;
	}
	PartFilterNode *n = node_new(PARTFILTER_CMP);
	n->op = op;
	n->lit = lit;
	return n;
}

/* key op constant | key [NOT] BETWEEN constant AND constant. */
static PartFilterNode *parse_key_condition(Parser *p, GError **error)
{
	PartFilterKey key = {NULL, -1};
	if (!parse_key(p, &key, error))
		return NULL;
	PartFilterNode *n = NULL;
	TokKind k = peek_kind(p, 0);
	if (k == TOK_NOT || k == TOK_BETWEEN) {
		gboolean negated = k == TOK_NOT && next(p);
		PartFilterLiteral *lo = NULL, *hi = NULL;
		if (expect(p, TOK_BETWEEN, "BETWEEN", error) && (lo = parse_constant(p, error)) != NULL &&
		    expect(p, TOK_AND, "AND", error) && (hi = parse_constant(p, error)) != NULL) {
			n = node_new(PARTFILTER_BETWEEN);
			n->lo = lo;
			n->hi = hi;
		} else {
			literal_free(lo);
		}
		if (n && negated)
			n = node_not(n);
	} else {
		PartFilterOp op = PARTFILTER_OP_EQ;
		PartFilterLiteral *lit = NULL;
		if (parse_operator(p, &op, error) && (lit = parse_constant(p, error)) != NULL)
			n = cmp_node(op, lit, error);
	}
	if (n == NULL) {
		g_free(key.name);
		return NULL;
	}
	PartFilterNode *target = n->kind == PARTFILTER_NOT ? g_ptr_array_index(n->children, 0) : n;
	target->key = key;
	return n;
}

/* constant op key, stored as key op' constant. */
static PartFilterNode *parse_reverse_condition(Parser *p, GError **error)
{
	PartFilterLiteral *lit = parse_constant(p, error);
	if (lit == NULL)
		return NULL;
	PartFilterOp op = PARTFILTER_OP_EQ;
	PartFilterKey key = {NULL, -1};
	if (!parse_operator(p, &op, error) || !parse_key(p, &key, error)) {
		literal_free(lit);
		return NULL;
	}
	if (op == PARTFILTER_OP_LIKE) {
		literal_free(lit);
		g_free(key.name);
		fail_semantic(error, "LIKE needs the partition key on its left");
		return NULL;
	}
	PartFilterNode *n = cmp_node(op_reverse(op), lit, error);
	if (n == NULL) {
		g_free(key.name);
		return NULL;
	}
	n->key = key;
	return n;
}

/* "(" key ")" [NOT] IN "(" constants ")" — the "(" is next. */
static PartFilterNode *parse_in(Parser *p, GError **error)
{
	PartFilterKey key = {NULL, -1};
	next(p);
	if (!parse_key(p, &key, error))
		return NULL;
	next(p); /* ")" (checked by the caller's look-ahead) */
	gboolean negated = peek_kind(p, 0) == TOK_NOT && next(p);
	GPtrArray *values = NULL;
	if (!expect(p, TOK_IN, "IN", error) || !expect(p, TOK_LPAREN, "'('", error) ||
	    (values = parse_constant_seq(p, error)) == NULL || !expect(p, TOK_RPAREN, "')'", error)) {
		if (values)
			g_ptr_array_unref(values);
		g_free(key.name);
		return NULL;
	}
	PartFilterNode *n = node_new(PARTFILTER_IN);
	n->key = key;
	n->values = values;
	return negated ? node_not(n) : n;
}

/* "(" key ("," key)* ")" into n->keys. */
static gboolean parse_struct_keys(Parser *p, PartFilterNode *n, GError **error)
{
	if (!expect(p, TOK_LPAREN, "'('", error))
		return FALSE;
	do {
		PartFilterKey *key = g_new0(PartFilterKey, 1);
		g_ptr_array_add(n->keys, key);
		if (!parse_key(p, key, error))
			return FALSE;
	} while (peek_kind(p, 0) == TOK_COMMA && next(p));
	return expect(p, TOK_RPAREN, "')'", error);
}

/* Formats struct keys (is_keys) or a row of literals as Java prints a list: [a, b]. */
static char *struct_list_text(GPtrArray *items, gboolean is_keys)
{
	GString *s = g_string_new("[");
	for (guint i = 0; i < items->len; i++) {
		gpointer item = g_ptr_array_index(items, i);
		const char *text = is_keys ? ((PartFilterKey *)item)->name : ((PartFilterLiteral *)item)->text;
		g_string_append_printf(s, "%s%s", i ? ", " : "", text);
	}
	g_string_append_c(s, ']');
	return g_string_free(s, FALSE);
}

/* "(" [CONST] STRUCT "(" constants ")" ("," …)* ")" into n->values. */
static gboolean parse_struct_rows(Parser *p, PartFilterNode *n, GError **error)
{
	if (!expect(p, TOK_LPAREN, "'('", error))
		return FALSE;
	do {
		if (peek_kind(p, 0) == TOK_CONST)
			next(p);
		GPtrArray *row = NULL;
		if (!expect(p, TOK_STRUCT, "STRUCT", error) || !expect(p, TOK_LPAREN, "'('", error) ||
		    (row = parse_constant_seq(p, error)) == NULL)
			return FALSE;
		g_ptr_array_add(n->values, row);
		if (!expect(p, TOK_RPAREN, "')'", error))
			return FALSE;
		if (row->len != n->keys->len) {
			g_autofree char *keys = struct_list_text(n->keys, TRUE);
			g_autofree char *vals = struct_list_text(row, FALSE);
			return fail_semantic(error, "Struct key %s and value %s sizes do not match.", keys, vals);
		}
	} while (peek_kind(p, 0) == TOK_COMMA && next(p));
	return expect(p, TOK_RPAREN, "')'", error);
}

/* "(" STRUCT "(" keys ")" ")" [NOT] IN rows — the "(" is next. */
static PartFilterNode *parse_struct_in(Parser *p, GError **error)
{
	g_autoptr(PartFilterNode) n = node_new(PARTFILTER_STRUCT_IN);
	n->keys = g_ptr_array_new_with_free_func(key_free);
	n->values = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	next(p);
	next(p); /* "(" STRUCT, checked by the caller's look-ahead */
	if (!parse_struct_keys(p, n, error) || !expect(p, TOK_RPAREN, "')'", error))
		return NULL;
	gboolean negated = peek_kind(p, 0) == TOK_NOT && next(p);
	if (!expect(p, TOK_IN, "IN", error) || !parse_struct_rows(p, n, error))
		return NULL;
	PartFilterNode *res = g_steal_pointer(&n);
	return negated ? node_not(res) : res;
}

static PartFilterNode *parse_or(Parser *p, guint depth, GError **error);

/* expr := "(" or ")" | condition. */
static PartFilterNode *parse_expr(Parser *p, guint depth, GError **error)
{
	TokKind k = peek_kind(p, 0);
	if (k == TOK_LPAREN) {
		if (peek_kind(p, 1) == TOK_STRUCT)
			return parse_struct_in(p, error);
		if (is_key_token(peek_kind(p, 1)) && peek_kind(p, 2) == TOK_RPAREN &&
		    (peek_kind(p, 3) == TOK_IN || peek_kind(p, 3) == TOK_NOT))
			return parse_in(p, error);
		if (depth >= PARTFILTER_MAX_DEPTH) {
			fail_semantic(error, "parentheses nested deeper than %d", PARTFILTER_MAX_DEPTH);
			return NULL;
		}
		next(p);
		g_autoptr(PartFilterNode) inner = parse_or(p, depth + 1, error);
		if (inner == NULL || !expect(p, TOK_RPAREN, "')'", error))
			return NULL;
		return g_steal_pointer(&inner);
	}
	if (is_key_token(k))
		return parse_key_condition(p, error);
	if (is_constant_start(k))
		return parse_reverse_condition(p, error);
	fail_at(p, "a condition", error);
	return NULL;
}

/* A chain of sub-expressions joined by `sep` (AND or OR), flattened into one node. */
static PartFilterNode *parse_chain(Parser *p, guint depth, TokKind sep, GError **error)
{
	g_autoptr(PartFilterNode) chain = node_new(sep == TOK_OR ? PARTFILTER_OR : PARTFILTER_AND);
	do {
		PartFilterNode *sub = sep == TOK_OR ? parse_chain(p, depth, TOK_AND, error) : parse_expr(p, depth, error);
		if (sub == NULL)
			return NULL;
		g_ptr_array_add(chain->children, sub);
	} while (peek_kind(p, 0) == sep && next(p));
	if (chain->children->len == 1)
		return g_ptr_array_steal_index(chain->children, 0);
	return g_steal_pointer(&chain);
}

static PartFilterNode *parse_or(Parser *p, guint depth, GError **error)
{
	return parse_chain(p, depth, TOK_OR, error);
}

/*
 * Parses a filter. Returns the tree, or NULL with CATALOG_ERROR_INVALID_INPUT "Error parsing
 * partition filter: …" for NULL, empty, too long, non-UTF-8 or malformed text.
 */
PartFilterNode *partfilter_parse(const char *filter, GError **error)
{
	if (filter == NULL) {
		fail_semantic(error, "the filter is null");
		return NULL;
	}
	gsize len = strlen(filter);
	if (len > PARTFILTER_MAX_LENGTH) {
		fail_semantic(error, "the filter is longer than %d bytes", PARTFILTER_MAX_LENGTH);
		return NULL;
	}
	if (!g_utf8_validate(filter, (gssize)len, NULL)) {
		fail_semantic(error, "the filter is not valid UTF-8");
		return NULL;
	}
	g_autoptr(GArray) toks = lex_all(filter, error);
	if (toks == NULL)
		return NULL;
	Parser p = {toks, 0, 0};
	g_autoptr(PartFilterNode) root = parse_or(&p, 0, error);
	if (root == NULL)
		return NULL;
	if (peek_kind(&p, 0) != TOK_EOF) {
		fail_syntax(error, "extraneous input '%s' at %zu expecting <EOF>", peek(&p, 0)->text, peek(&p, 0)->pos);
		return NULL;
	}
	return g_steal_pointer(&root);
}

/* ---- key check ---- */

static const char *key_field(JsonArray *keys, guint i, const char *field)
{
	JsonNode *n = json_array_get_element(keys, i);
	if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
		return NULL;
	return json_object_get_string_member_with_default(json_node_get_object(n), field, NULL);
}

static gboolean check_key(PartFilterKey *key, JsonArray *keys, GError **error)
{
	guint n = keys ? json_array_get_length(keys) : 0;
	for (guint i = 0; i < n; i++) {
		const char *name = key_field(keys, i, "Name");
		if (name && g_ascii_strcasecmp(name, key->name) == 0) {
			key->index = (int)i;
			return TRUE;
		}
	}
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "%s is not a partitioning key for the table",
	            key->name);
	return FALSE;
}

/*
 * Resolves every key of the tree against the table's partition keys and stores their
 * indexes. Returns FALSE with CATALOG_ERROR_INVALID_INPUT "<c> is not a partitioning key for
 * the table" for the first unknown key.
 */
gboolean partfilter_check(PartFilterNode *ast, JsonArray *partition_keys, GError **error)
{
	g_return_val_if_fail(ast != NULL, FALSE);
	switch (ast->kind) {
	case PARTFILTER_AND:
	case PARTFILTER_OR:
	case PARTFILTER_NOT:
		for (guint i = 0; i < ast->children->len; i++) {
			if (!partfilter_check(g_ptr_array_index(ast->children, i), partition_keys, error))
				return FALSE;
		}
		return TRUE;
	case PARTFILTER_STRUCT_IN:
		for (guint i = 0; i < ast->keys->len; i++) {
			if (!check_key(g_ptr_array_index(ast->keys, i), partition_keys, error))
				return FALSE;
		}
		return TRUE;
	default:
		return check_key(&ast->key, partition_keys, error);
	}
}

/* ---- semantics ---- */

/* TRUE when the text is -?[0-9]+ (what INTEGER mode accepts as a partition value). */
gboolean partfilter_is_integer_text(const char *text)
{
	if (text == NULL)
		return FALSE;
	if (*text == '-')
		text++;
	return *text != '\0' && strspn(text, "0123456789") == strlen(text);
}

/* TRUE when the text is a canonical yyyy-mm-dd with month 01-12 and day 01-31 (DATE mode). */
gboolean partfilter_is_date_text(const char *text)
{
	int y, m, d;
	if (text == NULL || strlen(text) != 10 || !digits_at(text, 4, &y) || text[4] != '-' ||
	    !digits_at(text + 5, 2, &m) || text[7] != '-' || !digits_at(text + 8, 2, &d))
		return FALSE;
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static gboolean type_is_integral(const char *type)
{
	static const char *const integral[] = {"tinyint", "smallint", "int", "integer", "bigint"};
	for (gsize i = 0; i < G_N_ELEMENTS(integral); i++) {
		if (g_ascii_strcasecmp(type, integral[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

/* The comparison mode of a key type against a literal; LIKE is always TEXT. */
PartFilterMode partfilter_compare_mode(const char *key_type, PartFilterOp op, const PartFilterLiteral *lit)
{
	if (op == PARTFILTER_OP_LIKE || key_type == NULL)
		return PARTFILTER_MODE_TEXT;
	g_autofree char *type = g_strstrip(g_strdup(key_type));
	if (type_is_integral(type) && lit->type == PARTFILTER_LIT_INTEGER)
		return PARTFILTER_MODE_INTEGER;
	if (g_ascii_strcasecmp(type, "date") == 0 &&
	    (lit->type == PARTFILTER_LIT_DATE || (lit->type == PARTFILTER_LIT_STRING && date_literal_valid(lit->text))))
		return PARTFILTER_MODE_DATE;
	return PARTFILTER_MODE_TEXT;
}

/* Compares the integer text v (-?[0-9]+) with n: <0, 0, >0. Exact for any length. */
static int compare_integer_text(const char *v, gint64 n)
{
	gboolean vneg = *v == '-';
	if (vneg)
		v++;
	while (*v == '0' && v[1])
		v++;
	if (strcmp(v, "0") == 0)
		vneg = FALSE;
	gboolean nneg = n < 0;
	guint64 mag = nneg ? (guint64)(-(n + 1)) + 1 : (guint64)n;
	char digits[32];
	g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, mag);
	if (vneg != nneg)
		return vneg ? -1 : 1;
	gsize lv = strlen(v), ln = strlen(digits);
	int c = lv != ln ? (lv < ln ? -1 : 1) : strcmp(v, digits);
	c = c < 0 ? -1 : c > 0;
	return vneg ? -c : c;
}

/* SQL LIKE with '\' as escape on UTF-8 text: TRUE when text matches pattern. */
gboolean partfilter_like(const char *text, const char *pattern)
{
	while (*pattern) {
		if (*pattern == '%') {
			while (*pattern == '%')
				pattern++;
			if (!*pattern)
				return TRUE;
			for (const char *t = text;; t = g_utf8_next_char(t)) {
				if (partfilter_like(t, pattern))
					return TRUE;
				if (!*t)
					return FALSE;
			}
		}
		if (!*text)
			return FALSE;
		if (*pattern == '_') {
			pattern++;
			text = g_utf8_next_char(text);
			continue;
		}
		if (*pattern == '\\' && pattern[1])
			pattern++;
		const char *pend = g_utf8_next_char(pattern), *tend = g_utf8_next_char(text);
		if (pend - pattern != tend - text || memcmp(pattern, text, (gsize)(pend - pattern)) != 0)
			return FALSE;
		pattern = pend;
		text = tend;
	}
	return *text == '\0';
}

static PartFilterTruth truth_of(gboolean b)
{
	return b ? PARTFILTER_TRUE : PARTFILTER_FALSE;
}

static PartFilterTruth apply_op(PartFilterOp op, int c)
{
	switch (op) {
	case PARTFILTER_OP_EQ:
		return truth_of(c == 0);
	case PARTFILTER_OP_NE:
		return truth_of(c != 0);
	case PARTFILTER_OP_LT:
		return truth_of(c < 0);
	case PARTFILTER_OP_LE:
		return truth_of(c <= 0);
	case PARTFILTER_OP_GT:
		return truth_of(c > 0);
	case PARTFILTER_OP_GE:
		return truth_of(c >= 0);
	default:
		return PARTFILTER_UNKNOWN;
	}
}

/* One comparison of key `index` with a literal. */
static PartFilterTruth eval_cmp(JsonArray *keys, int index, PartFilterOp op, const PartFilterLiteral *lit,
                                const char *const *values)
{
	g_return_val_if_fail(index >= 0, PARTFILTER_UNKNOWN);
	const char *v = values[index];
	if (v == NULL)
		return PARTFILTER_UNKNOWN;
	if (op == PARTFILTER_OP_LIKE)
		return truth_of(partfilter_like(v, lit->text));
	switch (partfilter_compare_mode(key_field(keys, (guint)index, "Type"), op, lit)) {
	case PARTFILTER_MODE_INTEGER:
		if (!partfilter_is_integer_text(v))
			return PARTFILTER_UNKNOWN;
		return apply_op(op, compare_integer_text(v, lit->integer));
	case PARTFILTER_MODE_DATE:
		if (!partfilter_is_date_text(v))
			return PARTFILTER_UNKNOWN;
		return apply_op(op, strcmp(v, lit->text));
	default:
		return apply_op(op, strcmp(v, lit->text));
	}
}

/* Kleene AND (is_and) or OR of two truth values. */
static PartFilterTruth combine(gboolean is_and, PartFilterTruth a, PartFilterTruth b)
{
	PartFilterTruth dominant = is_and ? PARTFILTER_FALSE : PARTFILTER_TRUE;
	if (a == dominant || b == dominant)
		return dominant;
	if (a == PARTFILTER_UNKNOWN || b == PARTFILTER_UNKNOWN)
		return PARTFILTER_UNKNOWN;
	return is_and ? PARTFILTER_TRUE : PARTFILTER_FALSE;
}

/* The OR over the rows of a STRUCT IN, each row an AND of equalities. */
static PartFilterTruth eval_struct_in(const PartFilterNode *ast, JsonArray *keys, const char *const *values)
{
	PartFilterTruth any = PARTFILTER_FALSE;
	for (guint r = 0; r < ast->values->len; r++) {
		GPtrArray *row = g_ptr_array_index(ast->values, r);
		PartFilterTruth all = PARTFILTER_TRUE;
		for (guint c = 0; c < row->len; c++) {
			const PartFilterKey *key = g_ptr_array_index(ast->keys, c);
			all = combine(TRUE, all, eval_cmp(keys, key->index, PARTFILTER_OP_EQ, g_ptr_array_index(row, c), values));
		}
		any = combine(FALSE, any, all);
	}
	return any;
}

/*
 * Evaluates a checked tree over one partition's values (values[i] belongs to key i; NULL
 * means no value). Returns TRUE, FALSE or UNKNOWN exactly as the SQL of partfilter_sql.
 */
PartFilterTruth partfilter_eval(const PartFilterNode *ast, JsonArray *partition_keys, const char *const *values)
{
	PartFilterTruth t;
	switch (ast->kind) {
	case PARTFILTER_AND:
	case PARTFILTER_OR:
		t = ast->kind == PARTFILTER_AND ? PARTFILTER_TRUE : PARTFILTER_FALSE;
		for (guint i = 0; i < ast->children->len; i++)
			t = combine(ast->kind == PARTFILTER_AND, t,
			            partfilter_eval(g_ptr_array_index(ast->children, i), partition_keys, values));
		return t;
	case PARTFILTER_NOT:
		t = partfilter_eval(g_ptr_array_index(ast->children, 0), partition_keys, values);
		return t == PARTFILTER_UNKNOWN ? t : truth_of(t == PARTFILTER_FALSE);
	case PARTFILTER_CMP:
		return eval_cmp(partition_keys, ast->key.index, ast->op, ast->lit, values);
	case PARTFILTER_BETWEEN:
		return combine(TRUE, eval_cmp(partition_keys, ast->key.index, PARTFILTER_OP_GE, ast->lo, values),
		               eval_cmp(partition_keys, ast->key.index, PARTFILTER_OP_LE, ast->hi, values));
	case PARTFILTER_IN:
		t = PARTFILTER_FALSE;
		for (guint i = 0; i < ast->values->len; i++)
			t = combine(FALSE, t,
			            eval_cmp(partition_keys, ast->key.index, PARTFILTER_OP_EQ, g_ptr_array_index(ast->values, i),
			                     values));
		return t;
	case PARTFILTER_STRUCT_IN:
		return eval_struct_in(ast, partition_keys, values);
	}
	return PARTFILTER_UNKNOWN;
}

/* TRUE when the partition is selected (partfilter_eval gives TRUE). */
gboolean partfilter_matches(const PartFilterNode *ast, JsonArray *partition_keys, const char *const *values)
{
	return partfilter_eval(ast, partition_keys, values) == PARTFILTER_TRUE;
}
