/*
 * names.c — Hive's rules for object names and name patterns.
 *
 * Pure functions, no allocation beyond their results, safe from any thread. A name is valid
 * when it is made only of ASCII letters, digits and '_' (Hive's validateName). Patterns
 * follow Hive's ObjectStore: split on '|', '*' means any run of characters, each part is a
 * case-insensitive full match, the rest is a Java-style regex that PostgreSQL's ARE reads the
 * same way for the constructs Hive clients send.
 */
#include <string.h>

#include "catalog/catalog.h"

/* TRUE when name is non-empty and only [A-Za-z0-9_]. */
gboolean catalog_name_is_valid(const char *name)
{
	if (name == NULL || *name == '\0')
		return FALSE;
	for (const char *p = name; *p; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_')
			return FALSE;
	}
	return TRUE;
}

/*
 * "@cat#db" → ("cat", "db"); "@cat#!" → ("cat", NULL); "@cat#" → ("cat", NULL);
 * "db" → (NULL, "db"); NULL → (NULL, NULL). Results are new strings or NULL.
 */
void catalog_parse_qualified_db(const char *name, char **catalog_out, char **db_out)
{
	*catalog_out = NULL;
	*db_out = NULL;
	if (name == NULL)
		return;
	if (name[0] != '@') {
		*db_out = g_strdup(name);
		return;
	}
	const char *hash = strchr(name + 1, '#');
	if (hash == NULL) {
		/* "@cat" alone: a catalog with no database part. */
		*catalog_out = g_strdup(name + 1);
		return;
	}
	*catalog_out = g_strndup(name + 1, (gsize)(hash - name - 1));
	const char *db = hash + 1;
	if (*db != '\0' && strcmp(db, "!") != 0)
		*db_out = g_strdup(db);
}

/*
 * Hive pattern → anchored regex for PostgreSQL's case-insensitive match (~*).
 * '*' becomes '.*' unless it already follows '.', as HIVE-28297 does. NULL, "" and "*" match all.
 */
char *catalog_pattern_to_regex(const char *pattern)
{
	if (pattern == NULL || *pattern == '\0' || strcmp(pattern, "*") == 0)
		return NULL;
	GString *re = g_string_new("^(?:");
	gboolean first = TRUE;
	g_auto(GStrv) parts = g_strsplit(pattern, "|", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		const char *part = parts[i];
		if (!first)
			g_string_append_c(re, '|');
		first = FALSE;
		g_string_append_c(re, '(');
		char prev = '\0';
		for (const char *p = part; *p; p++) {
			if (*p == '*' && prev != '.')
				g_string_append(re, ".*");
			else
				g_string_append_c(re, *p);
			prev = *p;
		}
		g_string_append_c(re, ')');
	}
	g_string_append(re, ")$");
	return g_string_free(re, FALSE);
}
