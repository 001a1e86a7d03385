/*
 * partname.c — Hive partition names, escaped and split as Hive's FileUtils and Warehouse do
 * (see partname.h for the exact rules). Pure functions, no state, any thread.
 */
#include "catalog/partname.h"

#include <string.h>

#include "common/error.h"

/* TRUE for the bytes FileUtils.charToEscape holds. */
gboolean partname_needs_escape(guchar c)
{
	return c < 0x20 || c == 0x7F || (c != '\0' && strchr("\"#%'*/:=?\\{[]^", c) != NULL);
}

/* Appends value's escaped form to s (the default partition's name for NULL or ""). */
static void partname_append_escaped(GString *s, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	if (value == NULL || *value == '\0') {
		g_string_append(s, PARTNAME_DEFAULT_PARTITION);
		return;
	}
	for (const guchar *p = (const guchar *)value; *p; p++) {
		if (partname_needs_escape(*p)) {
			char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			g_string_append_len(s, esc, 3);
		} else {
			g_string_append_c(s, (char)*p);
		}
	}
}

/* The escaped form of value; see partname.h. */
char *partname_escape(const char *value)
{
	GString *s = g_string_sized_new(value ? strlen(value) + 8 : 32);
	partname_append_escaped(s, value);
	return g_string_free(s, FALSE);
}

/* Java's Integer.parseInt(two chars, 16): an optional sign then hex digits. -1 when unreadable or negative. */
static int partname_parse_hex2(const char *p)
{
	int sign = 1, start = 0;
	if (p[0] == '+' || p[0] == '-') {
		sign = p[0] == '-' ? -1 : 1;
		start = 1;
	}
	int v = 0;
	for (int i = start; i < 2; i++) {
		if (!g_ascii_isxdigit(p[i]))
			return -1;
		v = v * 16 + g_ascii_xdigit_value(p[i]);
	}
	v *= sign;
	return v >= 0 ? v : -1;
}

/* text with Hive's escapes decoded; see partname.h. */
char *partname_unescape(const char *text)
{
	if (text == NULL)
		return NULL;
	gsize len = strlen(text);
	GString *s = g_string_sized_new(len);
	for (gsize i = 0; i < len; i++) {
		if (text[i] == '%' && i + 2 < len) {
			int code = partname_parse_hex2(text + i + 1);
			if (code >= 0) {
				g_string_append_unichar(s, (gunichar)code);
				i += 2;
				continue;
			}
		}
		g_string_append_c(s, text[i]);
	}
	return g_string_free(s, FALSE);
}

/* `k1=v1/k2=v2` from keys (lower-cased) and values, both escaped. */
char *partname_make(const char *const *keys, const char *const *values, guint n)
{
	GString *s = g_string_sized_new(64);
	for (guint i = 0; i < n; i++) {
		g_autofree char *lower = g_utf8_strdown(keys[i] ? keys[i] : "", -1);
		if (i > 0)
			g_string_append_c(s, '/');
		partname_append_escaped(s, lower);
		g_string_append_c(s, '=');
		partname_append_escaped(s, values[i]);
	}
	return g_string_free(s, FALSE);
}

/* Adds (k, v) as a LinkedHashMap put: a known key keeps its place and takes the new value. */
static void partname_put(GPtrArray *keys, GPtrArray *values, char *k, char *v)
{
	for (guint i = 0; i < keys->len; i++) {
		if (strcmp(g_ptr_array_index(keys, i), k) == 0) {
			g_free(values->pdata[i]);
			values->pdata[i] = v;
			g_free(k);
			return;
		}
	}
	g_ptr_array_add(keys, k);
	g_ptr_array_add(values, v);
}

/* Keys and values of a name, as Warehouse.makeSpecFromName reads them. */
gboolean partname_split(const char *name, GPtrArray *keys, GPtrArray *values, GError **error)
{
	if (name == NULL || *name == '\0') {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Partition name is invalid. %s",
		            name ? name : "null");
		return FALSE;
	}
	g_auto(GStrv) parts = g_strsplit(name, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		const char *c = parts[i];
		gsize len = strlen(c);
		/* ([^/]+)=([^/]+), greedy: the last '=' that has at least one character on each side. */
		const char *eq = NULL;
		for (gsize j = len >= 2 ? len - 2 : 0; len >= 3 && j >= 1; j--) {
			if (c[j] == '=') {
				eq = c + j;
				break;
			}
		}
		if (eq == NULL)
			continue;
		g_autofree char *k = g_strndup(c, eq - c);
		partname_put(keys, values, partname_unescape(k), partname_unescape(eq + 1));
	}
	return TRUE;
}
