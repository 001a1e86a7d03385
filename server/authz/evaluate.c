/*
 * evaluate.c — Lake Formation's rules over the grants that reach one caller (authz.h).
 *
 * The facts are small (the grants of one caller on one database and its tables), so every
 * question is a linear scan; nothing here allocates after the facts are built.
 */
#include <string.h>

#include "authz/authz.h"

static const struct {
	guint32 bit;
	const char *name;
} authz_perm_names[] = {
	{AUTHZ_ALL, "ALL"},
	{AUTHZ_SELECT, "SELECT"},
	{AUTHZ_ALTER, "ALTER"},
	{AUTHZ_DROP, "DROP"},
	{AUTHZ_DELETE, "DELETE"},
	{AUTHZ_INSERT, "INSERT"},
	{AUTHZ_DESCRIBE, "DESCRIBE"},
	{AUTHZ_CREATE_DATABASE, "CREATE_DATABASE"},
	{AUTHZ_CREATE_TABLE, "CREATE_TABLE"},
	{AUTHZ_DATA_LOCATION_ACCESS, "DATA_LOCATION_ACCESS"},
};

static const char *const authz_kind_names[] = {
	[AUTHZ_KIND_CATALOG] = "CATALOG",
	[AUTHZ_KIND_DATABASE] = "DATABASE",
	[AUTHZ_KIND_TABLE] = "TABLE",
	[AUTHZ_KIND_TABLE_WILDCARD] = "TABLE_WILDCARD",
	[AUTHZ_KIND_COLUMNS] = "COLUMNS",
	[AUTHZ_KIND_DATA_LOCATION] = "DATA_LOCATION",
};

const char *authz_perm_name(guint32 perm)
{
	for (guint i = 0; i < G_N_ELEMENTS(authz_perm_names); i++)
		if (authz_perm_names[i].bit == perm)
			return authz_perm_names[i].name;
	return NULL;
}

gboolean authz_perm_parse(const char *name, guint32 *perm)
{
	for (guint i = 0; name && i < G_N_ELEMENTS(authz_perm_names); i++)
		if (strcmp(authz_perm_names[i].name, name) == 0) {
			*perm = authz_perm_names[i].bit;
			return TRUE;
		}
	return FALSE;
}

char *authz_perms_to_string(guint32 perms)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(authz_perm_names); i++)
		if (perms & authz_perm_names[i].bit)
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", authz_perm_names[i].name);
	return g_string_free(s, FALSE);
}

const char *authz_kind_name(AuthzKind kind)
{
	return (guint)kind < G_N_ELEMENTS(authz_kind_names) ? authz_kind_names[kind] : NULL;
}

gboolean authz_kind_parse(const char *name, AuthzKind *kind)
{
	for (guint i = 0; name && i < G_N_ELEMENTS(authz_kind_names); i++)
		if (strcmp(authz_kind_names[i], name) == 0) {
			*kind = (AuthzKind)i;
			return TRUE;
		}
	return FALSE;
}

static void authz_grant_clear(gpointer p)
{
	AuthzGrant *g = p;
	g_free(g->table);
	g_free(g->location);
	g_strfreev(g->columns);
	g_strfreev(g->excluded);
}

AuthzFacts *authz_facts_new(const char *caller)
{
	AuthzFacts *f = g_new0(AuthzFacts, 1);
	f->caller = g_strdup(caller);
	f->grants = g_array_new(FALSE, TRUE, sizeof(AuthzGrant));
	g_array_set_clear_func(f->grants, authz_grant_clear);
	f->merge = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return f;
}

void authz_facts_free(AuthzFacts *facts)
{
	if (facts == NULL)
		return;
	g_free(facts->caller);
	g_array_unref(facts->grants);
	g_hash_table_unref(facts->merge);
	g_free(facts);
}

AuthzFacts *authz_facts_dup(const AuthzFacts *facts)
{
	AuthzFacts *f = authz_facts_new(facts->caller);
	f->is_admin = facts->is_admin;
	f->is_readonly_admin = facts->is_readonly_admin;
	f->db_exists = facts->db_exists;
	f->table_exists = facts->table_exists;
	f->has_table_grants = facts->has_table_grants;
	f->epoch = facts->epoch;
	for (guint i = 0; i < facts->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(facts->grants, AuthzGrant, i);
		authz_facts_add(f, g->kind, g->table, g->location, g->perms, g->grantable, (const char *const *)g->columns,
		                (const char *const *)g->excluded);
	}
	return f;
}

void authz_facts_add(AuthzFacts *facts, AuthzKind kind, const char *table, const char *location, guint32 perms,
                     guint32 grantable, const char *const *columns, const char *const *excluded)
{
	/*
	 * Rows of one whole resource merge, so lookups see one entry per resource and kind; found
	 * through a hash, since a database's facts can hold a row for each of thousands of tables.
	 */
	g_autofree char *key = NULL;
	if (kind != AUTHZ_KIND_COLUMNS) {
		key = g_strdup_printf("%d\x1f%s\x1f%s", (int)kind, table ? table : "\x1e", location ? location : "\x1e");
		guint at = GPOINTER_TO_UINT(g_hash_table_lookup(facts->merge, key));
		if (at > 0) {
			AuthzGrant *g = &g_array_index(facts->grants, AuthzGrant, at - 1);
			g->perms |= perms;
			g->grantable |= grantable & perms;
			return;
		}
	}
	AuthzGrant g = {
		.kind = kind,
		.table = g_strdup(table),
		.location = g_strdup(location),
		.perms = perms,
		.grantable = grantable & perms,
		.columns = columns ? g_strdupv((char **)columns) : NULL,
		.excluded = excluded ? g_strdupv((char **)excluded) : NULL,
	};
	g_array_append_val(facts->grants, g);
	if (key)
		g_hash_table_insert(facts->merge, g_steal_pointer(&key), GUINT_TO_POINTER(facts->grants->len));
}

/* TRUE when held (a bit set) grants perm; ALL stands for every permission of the resource. */
static gboolean authz_covers(guint32 held, guint32 perm, guint32 resource_perms)
{
	if ((held & AUTHZ_ALL) && (perm & resource_perms) == perm)
		return TRUE;
	return (held & perm) == perm;
}

gboolean authz_catalog_allows(const AuthzFacts *f, guint32 perm)
{
	if (f->is_admin)
		return TRUE;
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		if (g->kind == AUTHZ_KIND_CATALOG && authz_covers(g->perms, perm, AUTHZ_CATALOG_PERMS))
			return TRUE;
	}
	return FALSE;
}

gboolean authz_database_allows(const AuthzFacts *f, guint32 perm)
{
	if (f->is_admin || (f->is_readonly_admin && perm == AUTHZ_DESCRIBE))
		return TRUE;
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		if (g->kind == AUTHZ_KIND_DATABASE && authz_covers(g->perms, perm, AUTHZ_DATABASE_PERMS))
			return TRUE;
	}
	return FALSE;
}

gboolean authz_database_visible(const AuthzFacts *f)
{
	if (f->is_admin || f->is_readonly_admin || f->has_table_grants)
		return TRUE;
	for (guint i = 0; i < f->grants->len; i++) {
		AuthzKind k = g_array_index(f->grants, AuthzGrant, i).kind;
		if (k == AUTHZ_KIND_DATABASE || k == AUTHZ_KIND_TABLE || k == AUTHZ_KIND_TABLE_WILDCARD ||
		    k == AUTHZ_KIND_COLUMNS)
			return TRUE;
	}
	return FALSE;
}

/* TRUE when g is a grant on the whole table `table` (its own row, or all tables of its database). */
static gboolean authz_whole_table(const AuthzGrant *g, const char *table)
{
	return g->kind == AUTHZ_KIND_TABLE_WILDCARD || (g->kind == AUTHZ_KIND_TABLE && g_strcmp0(g->table, table) == 0);
}

gboolean authz_table_allows(const AuthzFacts *f, const char *table, guint32 perm)
{
	if (f->is_admin || (f->is_readonly_admin && perm == AUTHZ_DESCRIBE))
		return TRUE;
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		if (authz_whole_table(g, table) && authz_covers(g->perms, perm, AUTHZ_TABLE_PERMS))
			return TRUE;
	}
	return FALSE;
}

/* TRUE when some single bit of perms is allowed by allows (an "any of these" question). */
static gboolean authz_any_bit(guint32 perms, gboolean (*allows)(const AuthzFacts *, const char *, guint32),
                              const AuthzFacts *f, const char *table)
{
	for (guint32 bit = 1; bit != 0 && bit <= perms; bit <<= 1)
		if ((perms & bit) && allows(f, table, bit))
			return TRUE;
	return FALSE;
}

/* authz_database_allows with the (unused) table argument of authz_any_bit's callback. */
static gboolean authz_database_allows_cb(const AuthzFacts *f, const char *table, guint32 perm)
{
	(void)table;
	return authz_database_allows(f, perm);
}

gboolean authz_table_allows_any(const AuthzFacts *f, const char *table, guint32 perms)
{
	return authz_any_bit(perms, authz_table_allows, f, table);
}

gboolean authz_database_allows_any(const AuthzFacts *f, guint32 perms)
{
	return authz_any_bit(perms, authz_database_allows_cb, f, NULL);
}

gboolean authz_table_visible(const AuthzFacts *f, const char *table)
{
	if (f->is_admin || f->is_readonly_admin)
		return TRUE;
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		if (authz_whole_table(g, table) || (g->kind == AUTHZ_KIND_COLUMNS && g_strcmp0(g->table, table) == 0))
			return TRUE;
	}
	return FALSE;
}

GHashTable *authz_visible_tables(const AuthzFacts *f)
{
	if (f->is_admin || f->is_readonly_admin)
		return NULL;
	GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		if (g->kind == AUTHZ_KIND_TABLE_WILDCARD) {
			g_hash_table_unref(set);
			return NULL;
		}
		if ((g->kind == AUTHZ_KIND_TABLE || g->kind == AUTHZ_KIND_COLUMNS) && g->table)
			g_hash_table_add(set, g->table);
	}
	return set;
}

gboolean authz_table_all_columns(const AuthzFacts *f, const char *table)
{
	if (f->is_admin || f->is_readonly_admin)
		return TRUE;
	for (guint i = 0; i < f->grants->len; i++)
		if (authz_whole_table(&g_array_index(f->grants, AuthzGrant, i), table))
			return TRUE;
	return FALSE;
}

/* TRUE when list (NULL-terminated, may be NULL) holds name, compared case-insensitively as Hive's names are. */
static gboolean authz_list_has(char *const *list, const char *name)
{
	for (guint i = 0; list && list[i]; i++)
		if (g_ascii_strcasecmp(list[i], name) == 0)
			return TRUE;
	return FALSE;
}

/* TRUE when the column grant g reaches column. */
static gboolean authz_columns_reach(const AuthzGrant *g, const char *column)
{
	if (g->columns)
		return authz_list_has(g->columns, column);
	return !authz_list_has(g->excluded, column);
}

gboolean authz_column_visible(const AuthzFacts *f, const char *table, const char *column)
{
	if (authz_table_all_columns(f, table))
		return TRUE;
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		if (g->kind == AUTHZ_KIND_COLUMNS && g_strcmp0(g->table, table) == 0 && authz_columns_reach(g, column))
			return TRUE;
	}
	return FALSE;
}

/* TRUE when the grantable bits of whole-resource grants of kind on table cover perms. */
static gboolean authz_grantable_covers(const AuthzFacts *f, AuthzKind kind, const char *table, guint32 perms,
                                       guint32 resource_perms)
{
	guint32 held = 0;
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		gboolean match;
		if (kind == AUTHZ_KIND_TABLE)
			match = authz_whole_table(g, table);
		else
			match = g->kind == kind && g_strcmp0(g->table, table) == 0;
		if (match)
			held |= g->grantable;
	}
	for (guint32 bit = 1; bit <= AUTHZ_DATA_LOCATION_ACCESS; bit <<= 1)
		if ((perms & bit) && !authz_covers(held, bit, resource_perms))
			return FALSE;
	return TRUE;
}

gboolean authz_can_grant(const AuthzFacts *f, AuthzKind kind, const char *table, guint32 perms,
                         const char *const *columns)
{
	if (f->is_admin)
		return TRUE;
	switch (kind) {
	case AUTHZ_KIND_CATALOG:
		return authz_grantable_covers(f, AUTHZ_KIND_CATALOG, NULL, perms, AUTHZ_CATALOG_PERMS);
	case AUTHZ_KIND_DATABASE:
		return authz_grantable_covers(f, AUTHZ_KIND_DATABASE, NULL, perms, AUTHZ_DATABASE_PERMS);
	case AUTHZ_KIND_TABLE_WILDCARD:
		return authz_grantable_covers(f, AUTHZ_KIND_TABLE_WILDCARD, NULL, perms, AUTHZ_TABLE_PERMS);
	case AUTHZ_KIND_TABLE:
		return authz_grantable_covers(f, AUTHZ_KIND_TABLE, table, perms, AUTHZ_TABLE_PERMS);
	case AUTHZ_KIND_COLUMNS:
		/* Whole-table SELECT with grant option covers any columns. */
		if (authz_grantable_covers(f, AUTHZ_KIND_TABLE, table, AUTHZ_SELECT, AUTHZ_TABLE_PERMS))
			return TRUE;
		/* Otherwise only an include list, each column held with grant option (regrants: same or fewer). */
		if (columns == NULL || perms != AUTHZ_SELECT)
			return FALSE;
		for (guint c = 0; columns[c]; c++) {
			gboolean ok = FALSE;
			for (guint i = 0; i < f->grants->len && !ok; i++) {
				const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
				ok = g->kind == AUTHZ_KIND_COLUMNS && g_strcmp0(g->table, table) == 0 &&
				     (g->grantable & AUTHZ_SELECT) && g->columns && authz_list_has(g->columns, columns[c]);
			}
			if (!ok)
				return FALSE;
		}
		return TRUE;
	case AUTHZ_KIND_DATA_LOCATION:
		for (guint i = 0; i < f->grants->len; i++) {
			const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
			if (g->kind == AUTHZ_KIND_DATA_LOCATION && g_strcmp0(g->location, table) == 0 &&
			    (g->grantable & AUTHZ_DATA_LOCATION_ACCESS))
				return TRUE;
		}
		return FALSE;
	}
	return FALSE;
}

gboolean authz_location_allows(const AuthzFacts *f, const char *location)
{
	if (f->is_admin)
		return TRUE;
	for (guint i = 0; i < f->grants->len; i++) {
		const AuthzGrant *g = &g_array_index(f->grants, AuthzGrant, i);
		if (g->kind == AUTHZ_KIND_DATA_LOCATION && g_strcmp0(g->location, location) == 0 &&
		    (g->perms & AUTHZ_DATA_LOCATION_ACCESS))
			return TRUE;
	}
	return FALSE;
}
