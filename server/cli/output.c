/*
 * output.c — what the CLI prints: the server's answer as pretty JSON (the default, for
 * scripts; exactly what the API returned, pages joined), or aligned columns for people.
 *
 * Table cells are one line each: lists are joined with ",", booleans are yes/no, epoch-second
 * times become ISO-8601 UTC, control characters become spaces. Column widths count characters,
 * not bytes, so names in any script line up.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* A scalar node as text (new string); NULL for objects and null. */
static char *cli_scalar_text(JsonNode *n, gboolean time)
{
	if (n == NULL || JSON_NODE_HOLDS_NULL(n) || JSON_NODE_HOLDS_OBJECT(n))
		return NULL;
	if (JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);
		GString *s = g_string_new(NULL);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			g_autofree char *item = cli_scalar_text(json_array_get_element(a, i), FALSE);
			if (item == NULL)
				continue;
			if (s->len > 0)
				g_string_append_c(s, ',');
			g_string_append(s, item);
		}
		return g_string_free(s, FALSE);
	}
	GType t = json_node_get_value_type(n);
	if (time && (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)) {
		gint64 secs = t == G_TYPE_INT64 ? json_node_get_int(n) : (gint64)json_node_get_double(n);
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(secs);
		return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup_printf("%" G_GINT64_FORMAT, secs);
	}
	if (t == G_TYPE_STRING)
		return g_strdup(json_node_get_string(n));
	if (t == G_TYPE_BOOLEAN)
		return g_strdup(json_node_get_boolean(n) ? "yes" : "no");
	if (t == G_TYPE_INT64)
		return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
	if (t == G_TYPE_DOUBLE)
		return g_strdup_printf("%g", json_node_get_double(n));
	return NULL;
}

/* The cell of column col for row (new string, never NULL, one line). */
static char *cli_cell(JsonObject *row, const CliColumn *col)
{
	char *text = col->format ? col->format(row)
	                         : cli_scalar_text(json_object_get_member(row, col->member), col->time);
	if (text == NULL)
		return g_strdup("-");
	for (char *p = text; *p; p++)
		if ((guchar)*p < 0x20)
			*p = ' ';
	return text;
}

/* Prints s padded to width characters (no padding after the last column). */
static void cli_pad(const char *s, glong width, gboolean last)
{
	fputs(s, stdout);
	if (!last)
		for (glong k = g_utf8_strlen(s, -1); k < width + 2; k++)
			fputc(' ', stdout);
}

/* The answer's rows as aligned columns under upper-case headers. */
static void cli_print_table(JsonObject *answer, const char *rows_member, const CliColumn *cols, guint n_cols)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	glong width[16] = {0};
	g_return_if_fail(n_cols <= G_N_ELEMENTS(width));
	JsonNode *member = rows_member ? json_object_get_member(answer, rows_member) : NULL;
	JsonArray *list = member && JSON_NODE_HOLDS_ARRAY(member) ? json_node_get_array(member) : NULL;
	guint n = rows_member ? (list ? json_array_get_length(list) : 0) : 1;
	for (guint c = 0; c < n_cols; c++)
		width[c] = g_utf8_strlen(cols[c].header, -1);
	for (guint i = 0; i < n; i++) {
		JsonNode *rn = rows_member ? json_array_get_element(list, i) : NULL;
		JsonObject *row = rows_member ? (JSON_NODE_HOLDS_OBJECT(rn) ? json_node_get_object(rn) : NULL) : answer;
		char **cells = g_new0(char *, n_cols + 1);
		for (guint c = 0; c < n_cols; c++) {
			cells[c] = row ? cli_cell(row, &cols[c]) : g_strdup("-");
			width[c] = MAX(width[c], g_utf8_strlen(cells[c], -1));
		}
		g_ptr_array_add(rows, cells);
	}
	for (guint c = 0; c < n_cols; c++)
		cli_pad(cols[c].header, width[c], c + 1 == n_cols);
	fputc('\n', stdout);
	for (guint i = 0; i < rows->len; i++) {
		char **cells = g_ptr_array_index(rows, i);
		for (guint c = 0; c < n_cols; c++)
			cli_pad(cells[c], width[c], c + 1 == n_cols);
		fputc('\n', stdout);
	}
}

/* Prints answer as JSON or as a table; see cli.h. */
void cli_print(CliGlobal *g, JsonObject *answer, const char *rows_member, const CliColumn *cols, guint n_cols)
{
	if (g->output != NULL && strcmp(g->output, "table") == 0) {
		cli_print_table(answer, rows_member, cols, n_cols);
		return;
	}
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(node, answer);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	json_generator_set_pretty(gen, TRUE);
	json_generator_set_indent(gen, 2);
	json_generator_set_root(gen, node);
	g_autofree char *text = json_generator_to_data(gen, NULL);
	fputs(text, stdout);
	fputc('\n', stdout);
}
