/*
 * partition_row.c — a stored partition document read into a StorePartitionRow without a JSON
 * tree: the listing's fast path (store_partition_scan_rows) reads 100,000 of them per call.
 *
 * The document is the `doc::text` PostgreSQL prints for partitions.doc (JSONB: valid JSON,
 * UTF-8, each key once). Only the members a Hive Partition carries are kept — Values,
 * CreationTime, LastAccessTime, Parameters and Hive{Privileges, WriteId, IsStatsCompliant} —
 * with the same readings the document path gives them (thrift/translate.c): a non-string list
 * or map element reads as "", a time or id may be a number or a numeric string, anything else
 * is skipped. Strings are slices of the text; only a string with escapes is copied (unescaped)
 * into the batch's string chunk. Malformed text is STORE_ERROR_INTERNAL, never a crash: every
 * read is bounded by the text's end and nesting by PART_ROW_DEPTH.
 */
#include "store/store_internal.h"

#include <string.h>

#define PART_ROW_DEPTH 64

/* A cursor over one document's text. */
typedef struct {
	const char *p, *end;
	GStringChunk *chunk; /* unescaped copies of strings with escapes */
	GString *tmp;        /* scratch while unescaping */
} RowScan;

static void rs_ws(RowScan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Consumes c (after white space); FALSE when the next character is something else. */
static gboolean rs_eat(RowScan *s, char c)
{
	rs_ws(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return TRUE;
	}
	return FALSE;
}

static int rs_hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int c = p[i], d = g_ascii_xdigit_value((char)c);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Appends the \u escape at s->p (just after the 'u'), pairing surrogates; FALSE when malformed. */
static gboolean rs_unicode(RowScan *s)
{
	if (s->end - s->p < 4)
		return FALSE;
	int cp = rs_hex4(s->p);
	if (cp < 0)
		return FALSE;
	s->p += 4;
	if (cp >= 0xD800 && cp <= 0xDBFF && s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u') {
		int lo = rs_hex4(s->p + 2);
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			s->p += 6;
		}
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = 0xFFFD; /* a lone surrogate has no UTF-8 form */
	g_string_append_unichar(s->tmp, (gunichar)cp);
	return TRUE;
}

/* Reads a string (s->p at its opening quote) into out; FALSE when malformed. */
static gboolean rs_string(RowScan *s, StoreSlice *out)
{
	if (!rs_eat(s, '"'))
		return FALSE;
	const char *start = s->p;
	while (s->p < s->end && *s->p != '"' && *s->p != '\\')
		s->p++;
	if (s->p < s->end && *s->p == '"') { /* no escapes: a slice of the text */
		out->str = start;
		out->len = (gsize)(s->p - start);
		s->p++;
		return TRUE;
	}
	g_string_truncate(s->tmp, 0);
	g_string_append_len(s->tmp, start, s->p - start);
	while (s->p < s->end && *s->p != '"') {
		if (*s->p != '\\') {
			g_string_append_c(s->tmp, *s->p++);
			continue;
		}
		if (++s->p >= s->end)
			return FALSE;
		char c = *s->p++;
		switch (c) {
		case 'b': g_string_append_c(s->tmp, '\b'); break;
		case 'f': g_string_append_c(s->tmp, '\f'); break;
		case 'n': g_string_append_c(s->tmp, '\n'); break;
		case 'r': g_string_append_c(s->tmp, '\r'); break;
		case 't': g_string_append_c(s->tmp, '\t'); break;
		case 'u':
			if (!rs_unicode(s))
				return FALSE;
			break;
		case '"': case '\\': case '/': g_string_append_c(s->tmp, c); break;
		default: return FALSE;
		}
	}
	if (s->p >= s->end)
		return FALSE;
	s->p++;
	out->str = g_string_chunk_insert_len(s->chunk, s->tmp->str, (gssize)s->tmp->len);
	out->len = s->tmp->len;
	return TRUE;
}

/* The first character of the next value (after white space), or 0 at the end. */
static char rs_peek(RowScan *s)
{
	rs_ws(s);
	return s->p < s->end ? *s->p : 0;
}

/* Skips one value of any kind; FALSE when malformed or nested deeper than PART_ROW_DEPTH. */
static gboolean rs_skip(RowScan *s, int depth)
{
	char c = rs_peek(s);
	if (c == '"') {
		StoreSlice ignored;
		return rs_string(s, &ignored);
	}
	if (c == '{' || c == '[') {
		if (depth >= PART_ROW_DEPTH)
			return FALSE;
		char close = c == '{' ? '}' : ']';
		s->p++;
		if (rs_eat(s, close))
			return TRUE;
		do {
			if (c == '{') {
				StoreSlice key;
				if (!rs_string(s, &key) || !rs_eat(s, ':'))
					return FALSE;
			}
			if (!rs_skip(s, depth + 1))
				return FALSE;
		} while (rs_eat(s, ','));
		return rs_eat(s, close);
	}
	/* a number, true, false or null: its characters up to a delimiter */
	const char *start = s->p;
	while (s->p < s->end && (g_ascii_isalnum(*s->p) || *s->p == '-' || *s->p == '+' || *s->p == '.'))
		s->p++;
	return s->p > start;
}

/* Reads an integer as the document path does: a number (a fraction truncated) or a numeric
 * string. Other kinds are skipped and leave *out alone (FALSE in *set). FALSE when malformed. */
static gboolean rs_int(RowScan *s, gint64 *out, gboolean *set)
{
	char c = rs_peek(s);
	*set = FALSE;
	if (c == '"') {
		StoreSlice v;
		if (!rs_string(s, &v))
			return FALSE;
		char buf[64];
		gsize n = MIN(v.len, sizeof buf - 1);
		memcpy(buf, v.str, n);
		buf[n] = '\0';
		*out = g_ascii_strtoll(buf, NULL, 10);
		*set = TRUE;
		return TRUE;
	}
	if (c != '-' && !g_ascii_isdigit(c))
		return rs_skip(s, 0);
	const char *start = s->p;
	gboolean fraction = FALSE;
	while (s->p < s->end && *s->p != '\0' && (g_ascii_isdigit(*s->p) || strchr("-+.eE", *s->p) != NULL)) {
		fraction |= *s->p == '.' || *s->p == 'e' || *s->p == 'E';
		s->p++;
	}
	char buf[64];
	gsize n = (gsize)(s->p - start);
	if (n >= sizeof buf)
		return FALSE;
	memcpy(buf, start, n);
	buf[n] = '\0';
	*out = fraction ? (gint64)g_ascii_strtod(buf, NULL) : g_ascii_strtoll(buf, NULL, 10);
	*set = TRUE;
	return TRUE;
}

/* A list or map element: a string's slice, anything else "" (the document path's reading). */
static gboolean rs_element(RowScan *s, GArray *strs)
{
	StoreSlice v = {"", 0};
	if (rs_peek(s) == '"') {
		if (!rs_string(s, &v))
			return FALSE;
	} else if (!rs_skip(s, 1)) {
		return FALSE;
	}
	g_array_append_val(strs, v);
	return TRUE;
}

/* Values: a list of strings into strs. Not a list: skipped, has_values stays FALSE. */
static gboolean rs_values(RowScan *s, StorePartitionRow *row, GArray *strs)
{
	if (rs_peek(s) != '[')
		return rs_skip(s, 0);
	s->p++;
	row->has_values = TRUE;
	row->values = strs->len;
	row->n_values = 0;
	if (rs_eat(s, ']'))
		return TRUE;
	do {
		if (!rs_element(s, strs))
			return FALSE;
		row->n_values++;
	} while (rs_eat(s, ','));
	return rs_eat(s, ']');
}

/* Parameters: a string map into strs as key, value pairs. Not an object: skipped. */
static gboolean rs_params(RowScan *s, StorePartitionRow *row, GArray *strs)
{
	if (rs_peek(s) != '{')
		return rs_skip(s, 0);
	s->p++;
	row->has_params = TRUE;
	row->params = strs->len;
	row->n_params = 0;
	if (rs_eat(s, '}'))
		return TRUE;
	do {
		StoreSlice key;
		if (!rs_string(s, &key) || !rs_eat(s, ':'))
			return FALSE;
		g_array_append_val(strs, key);
		if (!rs_element(s, strs))
			return FALSE;
		row->n_params++;
	} while (rs_eat(s, ','));
	return rs_eat(s, '}');
}

static gboolean rs_key_is(const StoreSlice *k, const char *name)
{
	return k->len == strlen(name) && memcmp(k->str, name, k->len) == 0;
}

/* Hive{Privileges (kept as JSON text), WriteId, IsStatsCompliant}; other members skipped. */
static gboolean rs_hive(RowScan *s, StorePartitionRow *row)
{
	if (rs_peek(s) != '{')
		return rs_skip(s, 0);
	s->p++;
	if (rs_eat(s, '}'))
		return TRUE;
	do {
		StoreSlice key;
		if (!rs_string(s, &key) || !rs_eat(s, ':'))
			return FALSE;
		gboolean ok;
		if (rs_key_is(&key, "Privileges") && rs_peek(s) == '{') {
			const char *start = s->p;
			ok = rs_skip(s, 1);
			row->privileges.str = start;
			row->privileges.len = (gsize)(s->p - start);
		} else if (rs_key_is(&key, "WriteId")) {
			ok = rs_int(s, &row->write_id, &row->has_write_id);
		} else if (rs_key_is(&key, "IsStatsCompliant") && (rs_peek(s) == 't' || rs_peek(s) == 'f')) {
			row->has_stats_compliant = TRUE;
			row->stats_compliant = *s->p == 't';
			ok = rs_skip(s, 1);
		} else {
			ok = rs_skip(s, 1);
		}
		if (!ok)
			return FALSE;
	} while (rs_eat(s, ','));
	return rs_eat(s, '}');
}

/*
 * Reads the document text doc (len bytes) into row's document members, appending its list and
 * map strings to strs; see the file comment. FALSE with STORE_ERROR_INTERNAL when malformed.
 */
gboolean store_partition_row_read(const char *doc, gsize len, StorePartitionRow *row, GArray *strs,
                                  GStringChunk *chunk, GString *scratch, GError **error)
{
	RowScan s = {doc, doc + len, chunk, scratch};
	gboolean ok = rs_eat(&s, '{');
	if (ok && !rs_eat(&s, '}')) {
		do {
			StoreSlice key;
			gboolean set = FALSE;
			ok = rs_string(&s, &key) && rs_eat(&s, ':');
			if (!ok)
				break;
			if (rs_key_is(&key, "Values"))
				ok = rs_values(&s, row, strs);
			else if (rs_key_is(&key, "Parameters"))
				ok = rs_params(&s, row, strs);
			else if (rs_key_is(&key, "CreationTime"))
				ok = rs_int(&s, &row->create_time, &set);
			else if (rs_key_is(&key, "LastAccessTime"))
				ok = rs_int(&s, &row->last_access_time, &set);
			else if (rs_key_is(&key, "Hive"))
				ok = rs_hive(&s, row);
			else
				ok = rs_skip(&s, 0);
		} while (ok && rs_eat(&s, ','));
		ok = ok && rs_eat(&s, '}');
	}
	if (!ok)
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "stored partition document is not valid JSON near byte %ld",
		            (long)(s.p - doc));
	return ok;
}
