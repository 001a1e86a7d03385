/*
 * json.c — JSON text from clients, parsed safely (see json.h).
 *
 * json-glib 1.6 (Debian 12) is not safe on hostile text: a lone UTF-16 surrogate escape becomes
 * bytes that are not UTF-8, a broken pair leaks, and a second value after the first is accepted
 * and leaked (as much memory as the text). tests/fuzz/fuzz_glue_request found all three through
 * the Glue door. Every text a client controls goes through json_client_parse: request bodies,
 * skewed value lists, the COLUMN_STATS_ACCURATE parameter, skewed location map keys.
 */
#include "common/json.h"

#include <string.h>

/* The value of the 4 hex digits at p (n bytes left), or -1. */
static gint json_hex4(const guint8 *p, gsize n)
{
	gint v = 0;
	for (gsize i = 0; i < 4; i++) {
		gint d = i < n ? g_ascii_xdigit_value((gchar)p[i]) : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * Steps *i (at a backslash inside a string) over the escape's first character, or over a
 * whole surrogate pair. FALSE for an escape JSON does not have (json-glib 1.6 leaks its string
 * buffer on those: CI's fuzzing found \u with fewer than four hex digits), and for a \u escape
 * of a UTF-16 surrogate that is not a high one followed by a low one.
 */
static gboolean json_escape_ok(const guint8 *p, gsize n, gsize *i)
{
	gsize at = *i;
	*i = at + 1;
	if (at + 1 >= n)
		return FALSE;
	if (p[at + 1] != 'u')
		return p[at + 1] != '\0' && strchr("\"\\/bfnrt", p[at + 1]) != NULL;
	gint v = json_hex4(p + at + 2, n - at - 2);
	if (v < 0)
		return FALSE;
	if (v >= 0xDC00 && v <= 0xDFFF)
		return FALSE;
	if (v < 0xD800 || v > 0xDBFF)
		return TRUE;
	gint low = at + 7 < n && p[at + 6] == '\\' && p[at + 7] == 'u' ? json_hex4(p + at + 8, n - at - 8) : -1;
	*i = at + 7;
	return low >= 0xDC00 && low <= 0xDFFF;
}

/* TRUE when the escape at p[at] (a backslash) is \u0000: a C string would end there. */
static gboolean json_escape_is_nul(const guint8 *p, gsize n, gsize at)
{
	return at + 1 < n && p[at + 1] == 'u' && json_hex4(p + at + 2, n - at - 2) == 0;
}

static gboolean json_space(guint8 c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Checks client JSON text before json-glib reads it, which 1.6 cannot safely be left to (found
 * by tests/fuzz/fuzz_glue_request): one object or array and only white space after it
 * (json-glib accepts a second value and leaks it: as much memory as the text); nesting of at
 * most max (brackets outside strings); no control character inside a string and only JSON's
 * escapes (json-glib leaks on the others); each \u escape of a UTF-16 surrogate a high one
 * followed by a low one (json-glib turns a lone one into bytes that are not UTF-8, and leaks
 * on a broken pair). FALSE with G_IO_ERROR_INVALID_DATA otherwise, and with
 * G_IO_ERROR_INVALID_ARGUMENT (the doors' InvalidInputException) for U+0000 inside a string,
 * raw or escaped: every string becomes a C string, which would end at it (issue 15: Glue
 * CreateDatabase "nul\u0000x" created database "nul").
 */
static gboolean json_client_check(const guint8 *p, gsize n, guint max, GError **error)
{
	gsize i = 0;
	while (i < n && json_space(p[i]))
		i++;
	if (i == n || (p[i] != '{' && p[i] != '[')) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Malformed JSON: expected an object");
		return FALSE;
	}
	guint depth = 0;
	gboolean in_str = FALSE;
	for (; i < n; i++) {
		guint8 c = p[i];
		if (in_str) {
			if (c == '"') {
				in_str = FALSE;
			} else if (c == '\0' || (c == '\\' && json_escape_is_nul(p, n, i))) {
				g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
				                    "1 validation error detected: a string must not contain the character U+0000");
				return FALSE;
			} else if (c < 0x20) {
				g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				                    "Malformed JSON: a control character inside a string");
				return FALSE;
			} else if (c == '\\' && !json_escape_ok(p, n, &i)) {
				g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				                    "Malformed JSON: a bad escape or an unpaired UTF-16 surrogate");
				return FALSE;
			}
		} else if (c == '"') {
			in_str = TRUE;
		} else if (c == '{' || c == '[') {
			if (++depth > max) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				            "JSON nesting exceeds the limit json_max_depth (%u)", max);
				return FALSE;
			}
		} else if ((c == '}' || c == ']') && --depth == 0) {
			break; /* the end of the first value (the parser checks the brackets match) */
		}
	}
	for (i++; i < n; i++)
		if (!json_space(p[i])) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Malformed JSON: content after the value");
			return FALSE;
		}
	return TRUE;
}

/* Client JSON text as a new mutable node: json_client_check, then json-glib, then UTF-8 checked. */
JsonNode *json_client_parse(const char *text, gsize len, guint max_depth, GError **error)
{
	if (!json_client_check((const guint8 *)text, len, max_depth, error))
		return NULL;
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	GError *perr = NULL;
	if (!json_parser_load_from_data(parser, text, (gssize)len, &perr)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Malformed JSON: %s", perr->message);
		g_error_free(perr);
		return NULL;
	}
	/* A mutable copy (operations normalise documents in place), made through JSON text, which
	 * is checked to be UTF-8: every string a client sends is, whatever json-glib lets by. */
	JsonNode *root = json_parser_get_root(parser);
	g_autofree char *copy_text = root ? json_to_string(root, FALSE) : NULL;
	JsonNode *copy = copy_text && g_utf8_validate(copy_text, -1, NULL) ? json_from_string(copy_text, NULL) : NULL;
	if (copy == NULL)
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Malformed JSON: a string is not valid UTF-8");
	return copy;
}

/* Appends s escaped as inside a JSON string; see json.h. */
void json_append_escaped(GString *out, const char *s, gsize len)
{
	gsize run = 0; /* start of the bytes not yet appended: copied in one piece up to an escape */
	for (gsize i = 0; i < len; i++) {
		guchar ch = (guchar)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		g_string_append_len(out, s + run, (gssize)(i - run));
		run = i + 1;
		switch (ch) {
		case '"': g_string_append(out, "\\\""); break;
		case '\\': g_string_append(out, "\\\\"); break;
		case '\b': g_string_append(out, "\\b"); break;
		case '\t': g_string_append(out, "\\t"); break;
		case '\n': g_string_append(out, "\\n"); break;
		case '\f': g_string_append(out, "\\f"); break;
		case '\r': g_string_append(out, "\\r"); break;
		default: g_string_append_printf(out, "\\u%04x", ch);
		}
	}
	g_string_append_len(out, s + run, (gssize)(len - run));
}

/* Appends s as a quoted JSON string; see json.h. */
void json_append_quoted(GString *out, const char *s, gsize len)
{
	g_string_append_c(out, '"');
	json_append_escaped(out, s, len);
	g_string_append_c(out, '"');
}
