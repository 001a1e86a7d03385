/*
 * partfilter.h — Hive's partition filter language (get_partitions_by_filter and friends):
 * a hand-written parser from filter text to a small AST, the check of its keys against a
 * table's partition keys, and an evaluator of the AST over one partition's values.
 *
 * The grammar is Hive 4's PartitionFilter.g4 (HIVE-FACTS §3):
 *   filter     := or
 *   or         := and ("OR" and)*          and := expr ("AND" expr)*
 *   expr       := "(" or ")" | condition
 *   condition  := key op constant | constant op key
 *               | key ["NOT"] "BETWEEN" constant "AND" constant
 *               | "(" key ")" ["NOT"] "IN" "(" constant ("," constant)* ")"
 *               | "(" "STRUCT" "(" key ("," key)* ")" ")" ["NOT"] "IN"
 *                 "(" ["CONST"] "STRUCT" "(" constants ")" ("," ["CONST"] "STRUCT" "(" constants ")")* ")"
 *   op         := = | == | <> | != | < | <= | > | >= | LIKE      (<=> is refused, as Hive 4 does)
 *   key        := [A-Za-z0-9_]+ (not a keyword, not all digits) | `back-quoted` (`` is one `)
 *   constant   := string+ | ["-"] digits | DATE string | yyyy-mm-dd
 *               | TIMESTAMP string | yyyy-mm-dd hh:mm:ss
 * Keywords are case-insensitive. A string is '...' or "..."; a backslash keeps the next
 * character inside the string, and the body is kept verbatim (Hive does not decode escapes:
 * 'a\_b' is the four characters a \ _ b, which LIKE then reads as an escaped '_'). Adjacent
 * strings concatenate their bodies. There is no general NOT: NOT appears only in NOT BETWEEN
 * and NOT IN, which parse to a NOT node over the BETWEEN or IN node.
 *
 * Semantics (shared by partfilter_eval and store/partfilter_sql.c, and tested to agree):
 * three-valued logic as SQL; a comparison of a key with a literal runs in one of three modes,
 * chosen from the key's type and the literal (partfilter_compare_mode):
 *   INTEGER — integral key (tinyint, smallint, int, bigint) and an integer literal: by value;
 *             a partition value that is not -?[0-9]+ (the default partition) gives UNKNOWN.
 *   DATE    — date key and a DATE literal or a string holding a valid yyyy-mm-dd date: by date;
 *             a value that is not a canonical yyyy-mm-dd date gives UNKNOWN.
 *   TEXT    — everything else, and LIKE always: byte order of the raw values (COLLATE "C");
 *             so `int_key = '__HIVE_DEFAULT_PARTITION__'` finds the default partition, as Hive.
 * LIKE is SQL LIKE on the text: '%' any run, '_' one character, '\' escapes the next one
 * (what Spark sends and Hive's direct SQL runs); the literal must be the right operand.
 *
 * Ownership: partfilter_parse returns a tree the caller frees with partfilter_free.
 * Threading: pure functions, any thread. Errors: CATALOG_ERROR / CATALOG_ERROR_INVALID_INPUT,
 * with Hive's wire texts ("Error parsing partition filter: …", "<c> is not a partitioning key
 * for the table").
 */
#ifndef PROPOLIS_CATALOG_PARTFILTER_H
#define PROPOLIS_CATALOG_PARTFILTER_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Limits: the filter text, parenthesis nesting, and literals (each becomes one bind parameter;
 * PostgreSQL takes at most 65535 per statement). */
#define PARTFILTER_MAX_LENGTH   (1024 * 1024)
#define PARTFILTER_MAX_DEPTH    100
#define PARTFILTER_MAX_LITERALS 30000

/* The value Hive stores for a null or empty partition value. */
#define PARTFILTER_DEFAULT_PARTITION "__HIVE_DEFAULT_PARTITION__"

typedef enum {
	PARTFILTER_AND,       /* children: 2 or more */
	PARTFILTER_OR,        /* children: 2 or more */
	PARTFILTER_NOT,       /* children: exactly 1 (a BETWEEN, IN or STRUCT_IN) */
	PARTFILTER_CMP,       /* key op lit */
	PARTFILTER_BETWEEN,   /* lo <= key <= hi */
	PARTFILTER_IN,        /* key = any of values */
	PARTFILTER_STRUCT_IN, /* (keys…) = any of rows */
} PartFilterKind;

typedef enum {
	PARTFILTER_OP_EQ,
	PARTFILTER_OP_NE,
	PARTFILTER_OP_LT,
	PARTFILTER_OP_LE,
	PARTFILTER_OP_GT,
	PARTFILTER_OP_GE,
	PARTFILTER_OP_LIKE,
} PartFilterOp;

typedef enum {
	PARTFILTER_LIT_STRING,
	PARTFILTER_LIT_INTEGER,
	PARTFILTER_LIT_DATE,      /* text is a valid yyyy-mm-dd */
	PARTFILTER_LIT_TIMESTAMP, /* text is a valid yyyy-mm-dd hh:mm:ss[.fraction] */
} PartFilterLitType;

typedef struct {
	PartFilterLitType type;
	char *text;     /* string body; an integer's canonical decimal text; the date/timestamp text */
	gint64 integer; /* PARTFILTER_LIT_INTEGER only */
} PartFilterLiteral;

typedef struct {
	char *name; /* as written, back-quotes removed */
	int index;  /* position among the table's partition keys; -1 until partfilter_check */
} PartFilterKey;

typedef struct PartFilterNode PartFilterNode;
struct PartFilterNode {
	PartFilterKind kind;
	GPtrArray *children;    /* AND, OR, NOT: PartFilterNode * */
	PartFilterKey key;      /* CMP, BETWEEN, IN */
	PartFilterOp op;        /* CMP (a reversed `lit op key` is stored as `key op' lit`) */
	PartFilterLiteral *lit; /* CMP */
	PartFilterLiteral *lo;  /* BETWEEN */
	PartFilterLiteral *hi;  /* BETWEEN */
	GPtrArray *values;      /* IN: PartFilterLiteral *; STRUCT_IN: rows, each a GPtrArray of them */
	GPtrArray *keys;        /* STRUCT_IN: PartFilterKey *, one per row column */
};

/* How one comparison runs (see the header comment). */
typedef enum {
	PARTFILTER_MODE_TEXT,
	PARTFILTER_MODE_INTEGER,
	PARTFILTER_MODE_DATE,
} PartFilterMode;

/* Three-valued result of partfilter_eval. */
typedef enum {
	PARTFILTER_FALSE = 0,
	PARTFILTER_TRUE = 1,
	PARTFILTER_UNKNOWN = 2,
} PartFilterTruth;

/*
 * Parses a filter. Returns the tree, or NULL with CATALOG_ERROR_INVALID_INPUT "Error parsing
 * partition filter: …" for NULL, empty, too long, non-UTF-8 or malformed text.
 */
PartFilterNode *partfilter_parse(const char *filter, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Frees a tree; NULL is fine. */
void partfilter_free(PartFilterNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(PartFilterNode, partfilter_free)

/*
 * Resolves every key of the tree against the table's partition keys (a JsonArray of
 * {"Name","Type"} objects, names compared case-insensitively) and stores their indexes.
 * Returns FALSE with CATALOG_ERROR_INVALID_INPUT "<c> is not a partitioning key for the table"
 * for the first unknown key.
 */
gboolean partfilter_check(PartFilterNode *ast, JsonArray *partition_keys, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The comparison mode of a key type ("int", "date", "string", …) against a literal; LIKE is always TEXT. */
PartFilterMode partfilter_compare_mode(const char *key_type, PartFilterOp op, const PartFilterLiteral *lit);

/* TRUE when the text is -?[0-9]+ (what INTEGER mode accepts as a partition value). */
gboolean partfilter_is_integer_text(const char *text);

/* TRUE when the text is a canonical yyyy-mm-dd with month 01-12 and day 01-31 (DATE mode). */
gboolean partfilter_is_date_text(const char *text);

/*
 * Evaluates a checked tree over one partition's values (values[i] belongs to key i; NULL
 * means no value). Returns TRUE, FALSE or UNKNOWN exactly as the SQL of partfilter_sql.
 */
PartFilterTruth partfilter_eval(const PartFilterNode *ast, JsonArray *partition_keys, const char *const *values);

/* TRUE when the partition is selected (partfilter_eval gives TRUE). */
gboolean partfilter_matches(const PartFilterNode *ast, JsonArray *partition_keys, const char *const *values);

/* SQL LIKE with '\' as escape on UTF-8 text: TRUE when text matches pattern. */
gboolean partfilter_like(const char *text, const char *pattern);

G_END_DECLS

#endif
