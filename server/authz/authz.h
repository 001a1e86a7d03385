/*
 * authz.h — Lake Formation's rules, evaluated: what a caller may do, given the grants that
 * reach it.
 *
 * Pure logic, no I/O: store/authz.c fetches the facts (the caller resolved to its ARN, admin
 * flags, and every grant row on one catalog / database / its tables that names the caller, one
 * of its groups, or IAM_ALLOWED_PRINCIPALS), the catalog asks these functions, and the Check
 * tests drive them directly.
 *
 * Rules (LAKEFORMATION-FACTS.md §2, §3; DESIGN.md "Who and what"):
 *  - data lake administrators may do everything; read-only administrators may see everything;
 *  - ALL on a database or table stands for every permission of that resource;
 *  - a table is visible with any permission on it (table, all-tables or column grant);
 *  - a database is visible with any permission on it or on any of its tables;
 *  - SELECT on columns (include list, or wildcard minus exclusions) shows only those columns;
 *    any grant on the whole table (including DESCRIBE) shows them all;
 *  - grant option: a permission may be granted onward by admins and by holders of it with
 *    grant option (ALL with grant option covers every permission of the resource).
 *
 * Ownership: AuthzFacts own their strings; free with authz_facts_free(). Threading: any.
 */
#ifndef PROPOLIS_AUTHZ_H
#define PROPOLIS_AUTHZ_H

#include <glib.h>

G_BEGIN_DECLS

/* Permissions as a bit set. */
typedef enum {
	AUTHZ_ALL = 1u << 0,
	AUTHZ_SELECT = 1u << 1,
	AUTHZ_ALTER = 1u << 2,
	AUTHZ_DROP = 1u << 3,
	AUTHZ_DELETE = 1u << 4,
	AUTHZ_INSERT = 1u << 5,
	AUTHZ_DESCRIBE = 1u << 6,
	AUTHZ_CREATE_DATABASE = 1u << 7,
	AUTHZ_CREATE_TABLE = 1u << 8,
	AUTHZ_DATA_LOCATION_ACCESS = 1u << 9,
} AuthzPerm;

/* Which permissions each resource kind accepts (lf-permissions-reference). */
#define AUTHZ_CATALOG_PERMS (AUTHZ_CREATE_DATABASE)
#define AUTHZ_DATABASE_PERMS (AUTHZ_ALL | AUTHZ_ALTER | AUTHZ_CREATE_TABLE | AUTHZ_DESCRIBE | AUTHZ_DROP)
#define AUTHZ_TABLE_PERMS                                                                                    \
	(AUTHZ_ALL | AUTHZ_ALTER | AUTHZ_DELETE | AUTHZ_DESCRIBE | AUTHZ_DROP | AUTHZ_INSERT | AUTHZ_SELECT)
#define AUTHZ_COLUMN_PERMS (AUTHZ_SELECT)
#define AUTHZ_LOCATION_PERMS (AUTHZ_DATA_LOCATION_ACCESS)

/* Lake Formation's name of one permission bit ("SELECT"), or NULL. */
const char *authz_perm_name(guint32 perm);
/* Parses a Lake Formation permission name; FALSE when unknown (or one this server does not model). */
gboolean authz_perm_parse(const char *name, guint32 *perm);
/* "ALTER, DROP" style list of a bit set. New string. */
char *authz_perms_to_string(guint32 perms);

typedef enum {
	AUTHZ_KIND_CATALOG,
	AUTHZ_KIND_DATABASE,
	AUTHZ_KIND_TABLE,
	AUTHZ_KIND_TABLE_WILDCARD,
	AUTHZ_KIND_COLUMNS,
	AUTHZ_KIND_DATA_LOCATION,
} AuthzKind;

/* The stored name of a kind ("TABLE_WILDCARD") and back. */
const char *authz_kind_name(AuthzKind kind);
gboolean authz_kind_parse(const char *name, AuthzKind *kind);

/* One grant (or implicit creator right) that reaches the caller. */
typedef struct {
	AuthzKind kind;
	char *table;      /* TABLE, COLUMNS: the table's name; else NULL */
	char *location;   /* DATA_LOCATION: the registered location prefix; else NULL */
	guint32 perms;    /* bit set */
	guint32 grantable;/* bit set, ⊆ perms */
	char **columns;   /* COLUMNS: include list (NULL-terminated), or NULL */
	char **excluded;  /* COLUMNS: wildcard with these excluded (NULL-terminated), or NULL */
} AuthzGrant;

/* What is known about one caller for one catalog (and optionally one database). */
typedef struct {
	char *caller;             /* the caller's ARN (or name when it resolves to no principal) */
	gboolean is_admin;        /* data lake administrator */
	gboolean is_readonly_admin;
	gboolean db_exists;       /* the database asked about exists */
	gboolean table_exists;    /* the table asked about exists */
	gboolean has_table_grants;/* some table of the database has a grant reaching the caller (when rows
	                           * of every table were not fetched) */
	gint64 epoch;             /* the grants epoch these facts were read at (0 = unknown) */
	GArray *grants;           /* AuthzGrant */
	GHashTable *merge;        /* "kind table location" → index + 1 in grants, for authz_facts_add */
} AuthzFacts;

AuthzFacts *authz_facts_new(const char *caller);
void authz_facts_free(AuthzFacts *facts);
/* A deep copy. */
AuthzFacts *authz_facts_dup(const AuthzFacts *facts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AuthzFacts, authz_facts_free)
/* Appends a grant; strings and vectors are copied. Rows of one resource and kind merge. */
void authz_facts_add(AuthzFacts *facts, AuthzKind kind, const char *table, const char *location, guint32 perms,
                     guint32 grantable, const char *const *columns, const char *const *excluded);

/* Catalog-level permission (CREATE_DATABASE). */
gboolean authz_catalog_allows(const AuthzFacts *f, guint32 perm);
/* Database-level permission (ALL covers every database permission). */
gboolean authz_database_allows(const AuthzFacts *f, guint32 perm);
/* Any permission on the database or on any table in it. */
gboolean authz_database_visible(const AuthzFacts *f);
/* Table-level permission on table (table or all-tables grants; ALL covers every table permission). */
gboolean authz_table_allows(const AuthzFacts *f, const char *table, guint32 perm);
/*
 * "Any of these": TRUE when at least one bit of perms is allowed on its own (authz_table_allows /
 * authz_database_allows of each bit), e.g. a write lock needs INSERT, ALTER or DELETE. perms 0: FALSE.
 */
gboolean authz_table_allows_any(const AuthzFacts *f, const char *table, guint32 perms);
gboolean authz_database_allows_any(const AuthzFacts *f, guint32 perms);
/* Any permission on the table, column grants included. */
gboolean authz_table_visible(const AuthzFacts *f, const char *table);
/*
 * The tables authz_table_visible() admits, for filtering a listing in one pass: a set of names
 * (borrowed from f; free the set before f), or NULL when every table is visible (admins, a
 * wildcard grant). A listing of n tables against g grants costs n + g, not n × g.
 */
GHashTable *authz_visible_tables(const AuthzFacts *f);
/* TRUE when the caller sees every column of the table (admin, or any whole-table grant). */
gboolean authz_table_all_columns(const AuthzFacts *f, const char *table);
/* TRUE when the caller sees this column (whole-table grant, or a column grant reaching it). */
gboolean authz_column_visible(const AuthzFacts *f, const char *table, const char *column);

/*
 * May the caller grant `perms` onward on this resource? kind/table name the resource (table NULL
 * for catalog and database kinds, the table name for TABLE and COLUMNS). For COLUMNS, columns is
 * the include list being granted (a wildcard column grant needs whole-table SELECT grantable).
 * For DATA_LOCATION, table is the registered location.
 */
gboolean authz_can_grant(const AuthzFacts *f, AuthzKind kind, const char *table, guint32 perms,
                         const char *const *columns);

/* DATA_LOCATION_ACCESS on the registered location `location` (admins always). */
gboolean authz_location_allows(const AuthzFacts *f, const char *location);

G_END_DECLS

#endif
