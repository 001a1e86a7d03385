/*
 * methods.h — the authorization table: for every method a door serves (Thrift, Glue, Lake
 * Formation, Propolis' own admin operations), what the caller needs, on which resource.
 *
 * Pure data, no I/O. The catalog enforces these rules (catalog/authz.c and the checks of each
 * catalog_* operation); this table is their single statement, printed by
 * `propolis-server --print-authz-table`, checked complete against the doors' dispatch tables by
 * tests/unit/test_authz_methods.c, rendered to server/authz/METHODS.md, and driven row by row by
 * the permission-matrix tests (tests/integration/test_authz_matrix_*.py).
 * Threading: any (read-only static data). Ownership: rows are static; printers return new strings.
 */
#ifndef PROPOLIS_AUTHZ_METHODS_H
#define PROPOLIS_AUTHZ_METHODS_H

#include <glib.h>

G_BEGIN_DECLS

/* What kind of rule a method has. */
typedef enum {
	AUTHZ_RULE_PERM,      /* one of `perms` (any-of) on the resource `on` */
	AUTHZ_RULE_VISIBLE,   /* any permission that makes `on` visible (DESCRIBE-level) */
	AUTHZ_RULE_LIST,      /* a listing filtered to what the caller sees; never denied */
	AUTHZ_RULE_ADMIN,     /* data lake administrators (read-only ones too: AUTHZ_RULE_F_READONLY_ADMIN) */
	AUTHZ_RULE_SELF,      /* the caller's own object (reason names it), or an administrator */
	AUTHZ_RULE_PUBLIC,    /* any caller; reason says why */
	AUTHZ_RULE_GRANTABLE, /* the permissions granted, with grant option, on the resource named (or admin) */
} AuthzRuleKind;

/* The resource a rule is about. */
typedef enum {
	AUTHZ_ON_NONE,
	AUTHZ_ON_CATALOG,
	AUTHZ_ON_DATABASE,
	AUTHZ_ON_TABLE,
	AUTHZ_ON_LOCATION,   /* a registered data location */
	AUTHZ_ON_LOCK,       /* a lock (its owner) */
	AUTHZ_ON_TXN,        /* a transaction (its owner) */
	AUTHZ_ON_CONNECTION, /* a Glue connection: catalog-level permission */
	AUTHZ_ON_FUNCTION,   /* a function: its database's permission */
	AUTHZ_ON_SETTINGS,   /* catalog-wide settings (data lake, encryption) */
	AUTHZ_ON_PRINCIPAL,  /* Propolis principals and their keys */
	AUTHZ_ON_AUDIT,      /* the audit table */
	AUTHZ_ON_RESOURCE,   /* the resource the request names (grants) */
	AUTHZ_ON_TOKEN,      /* a delegation token (its owner, renewer) or the token store (issue 16) */
} AuthzOn;

/* Also DATA_LOCATION_ACCESS when the call sets a location under a registered one. */
#define AUTHZ_RULE_F_LOCATION (1u << 0)
/* ADMIN: read-only data lake administrators may call it too. */
#define AUTHZ_RULE_F_READONLY_ADMIN (1u << 1)

typedef struct {
	const char *door;   /* "thrift" | "glue" | "lakeformation" | "propolis" (X-Amz-Target Propolis.<Op>) */
	const char *method; /* the wire name (Thrift method, Glue/Propolis operation, Lake Formation path) */
	AuthzRuleKind kind;
	guint32 perms;      /* AuthzPerm bits, any-of (PERM rows) */
	AuthzOn on;
	guint32 flags;      /* AUTHZ_RULE_F_* */
	const char *reason; /* why (required for PUBLIC, SELF, ADMIN, LIST, GRANTABLE; else a note or NULL) */
} AuthzMethodRule;

/* Every row; *n = how many. */
const AuthzMethodRule *authz_method_rules(guint *n);
/* The row of door.method, or NULL. */
const AuthzMethodRule *authz_method_rule(const char *door, const char *method);

/* Names: "perm", "visible", "list", "admin", "self", "public", "grantable"; and "table" etc. */
const char *authz_rule_kind_name(AuthzRuleKind kind);
const char *authz_on_name(AuthzOn on);
/* The permissions a PERM row may name for its resource (AUTHZ_*_PERMS); 0 when none. */
guint32 authz_on_valid_perms(AuthzOn on);

/* One row as a JSON object on one line (no newline):
 * {"door","method","rule","perms":[...],"on","location","readonly_admin","reason"}. New string. */
char *authz_method_rule_to_json(const AuthzMethodRule *r);
/* Every row, one JSON line each. New string. */
char *authz_method_rules_to_json_lines(void);
/* Every row as Markdown tables by door: server/authz/METHODS.md's text. New string. */
char *authz_method_rules_to_markdown(void);

G_END_DECLS

#endif
