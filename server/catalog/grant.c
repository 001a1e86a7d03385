/*
 * grant.c — Lake Formation's GrantPermissions, RevokePermissions (single and batched) and
 * ListPermissions, with Lake Formation's checks, in one transaction per request.
 *
 * Each grant or revoke runs the same pipeline (lf_apply): normalise and validate the request,
 * find the object (NOT_FOUND only to callers who may see its parent, else ACCESS_DENIED, as
 * the rest of the catalog answers), ask the evaluator whether the caller may grant it
 * (authz_can_grant: administrators, holders of a grant option), check the grantee, read what
 * the grantee holds (rows locked), compute the new state and write it, then audit.
 *
 * SELECT on a table is one set of columns per grantee and table: whole (the TABLE row's
 * SELECT), some (a COLUMNS row: an include list, or a wildcard minus exclusions) or none.
 * Grants take the union of sets and revokes the difference, so a column grant reaching every
 * column becomes the TABLE row's SELECT and a column revoke from a whole-table SELECT leaves a
 * wildcard with exclusions. Implicit (creator) rows are never touched.
 */
#include <string.h>

#include "catalog/internal.h"

#define LF_ALL_TABLES "ALL_TABLES" /* how Lake Formation names a TableWildcard in listings */
#define LF_MAX_COLUMNS 1000       /* columns named in one resource (Glue tables: columns are bounded likewise) */

/* The permissions a resource kind takes (lf-permissions-reference). */
static guint32 lf_kind_perms(AuthzKind kind)
{
	switch (kind) {
	case AUTHZ_KIND_CATALOG:
		return AUTHZ_CATALOG_PERMS;
	case AUTHZ_KIND_DATABASE:
		return AUTHZ_DATABASE_PERMS;
	case AUTHZ_KIND_TABLE:
	case AUTHZ_KIND_TABLE_WILDCARD:
		return AUTHZ_TABLE_PERMS;
	case AUTHZ_KIND_COLUMNS:
		return AUTHZ_COLUMN_PERMS;
	case AUTHZ_KIND_DATA_LOCATION:
		return AUTHZ_LOCATION_PERMS;
	}
	return 0;
}

/* Lake Formation's name of the resource shape a kind comes from, for messages. */
static const char *lf_kind_shape(AuthzKind kind)
{
	static const char *const names[] = {
		[AUTHZ_KIND_CATALOG] = "Catalog", [AUTHZ_KIND_DATABASE] = "Database", [AUTHZ_KIND_TABLE] = "Table",
		[AUTHZ_KIND_TABLE_WILDCARD] = "Table (TableWildcard)", [AUTHZ_KIND_COLUMNS] = "TableWithColumns",
		[AUTHZ_KIND_DATA_LOCATION] = "DataLocation",
	};
	return (guint)kind < G_N_ELEMENTS(names) ? names[kind] : "resource";
}

/* "a, b" of a vector. */
static char *lf_join(char **v)
{
	return v ? g_strjoinv(", ", v) : g_strdup("");
}

/* The resource as audit records and messages name it ("table db.t", "columns db.t (a, b)"). */
static char *lf_resource_text(Catalog *cat, const StoreLfResource *r)
{
#define LF_S(x) ((x) ? (x) : "")
	g_autofree char *cols = lf_join(r->columns ? r->columns : r->excluded);
	switch (r->kind) {
	case AUTHZ_KIND_CATALOG:
		return g_strdup_printf("catalog %s", cat->config->account_id);
	case AUTHZ_KIND_DATABASE:
		return g_strdup_printf("database %s", LF_S(r->database));
	case AUTHZ_KIND_TABLE:
		return g_strdup_printf("table %s.%s", LF_S(r->database), LF_S(r->table));
	case AUTHZ_KIND_TABLE_WILDCARD:
		return g_strdup_printf("all tables of database %s", LF_S(r->database));
	case AUTHZ_KIND_COLUMNS:
		return g_strdup_printf("columns %s.%s (%s%s)", LF_S(r->database), LF_S(r->table),
		                       r->columns ? "" : "all but: ", cols);
	case AUTHZ_KIND_DATA_LOCATION:
		return g_strdup_printf("location %s", LF_S(r->location));
	}
#undef LF_S
	return g_strdup("resource");
}

/* ---- column sets: an include list, or every column but a list ---- */

typedef struct {
	gboolean wild;
	char **list; /* sorted, distinct, lower-case */
} LfCols;

static void lf_cols_clear(LfCols *c)
{
	g_clear_pointer(&c->list, g_strfreev);
}

static gboolean lf_strv_has(char **v, const char *s)
{
	for (guint i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return TRUE;
	return FALSE;
}

/* TRUE when the array (char*) holds s. */
static gboolean lf_ptrs_has(GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (strcmp(g_ptr_array_index(a, i), s) == 0)
			return TRUE;
	return FALSE;
}

static gint lf_str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A sorted, distinct vector of the strings of a that are (keep) or are not (!keep) in b, plus b's own when add. */
static char **lf_strv_combine(char **a, char **b, gboolean keep, gboolean add)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new();
	for (guint i = 0; a && a[i]; i++)
		if (lf_strv_has(b, a[i]) == keep && !lf_ptrs_has(out, a[i]))
			g_ptr_array_add(out, a[i]);
	for (guint i = 0; add && b && b[i]; i++)
		if (!lf_ptrs_has(out, b[i]))
			g_ptr_array_add(out, b[i]);
	g_ptr_array_sort(out, lf_str_cmp);
	char **v = g_new0(char *, out->len + 1);
	for (guint i = 0; i < out->len; i++)
		v[i] = g_strdup(g_ptr_array_index(out, i));
	return v;
}

/* The vector's length. */
static guint lf_strv_len(char **v)
{
	return v ? g_strv_length(v) : 0;
}

/* a ∪ b as column sets. */
static LfCols lf_cols_union(const LfCols *a, const LfCols *b)
{
	if (!a->wild && !b->wild)
		return (LfCols){FALSE, lf_strv_combine(a->list, b->list, FALSE, TRUE)};
	if (!a->wild)
		return (LfCols){TRUE, lf_strv_combine(b->list, a->list, FALSE, FALSE)};
	if (!b->wild)
		return (LfCols){TRUE, lf_strv_combine(a->list, b->list, FALSE, FALSE)};
	return (LfCols){TRUE, lf_strv_combine(a->list, b->list, TRUE, FALSE)};
}

/* a − b as column sets. */
static LfCols lf_cols_minus(const LfCols *a, const LfCols *b)
{
	if (!a->wild && !b->wild)
		return (LfCols){FALSE, lf_strv_combine(a->list, b->list, FALSE, FALSE)};
	if (!a->wild)
		return (LfCols){FALSE, lf_strv_combine(a->list, b->list, TRUE, FALSE)};
	if (!b->wild)
		return (LfCols){TRUE, lf_strv_combine(a->list, b->list, FALSE, TRUE)};
	return (LfCols){FALSE, lf_strv_combine(b->list, a->list, FALSE, FALSE)};
}

static gboolean lf_cols_equal(const LfCols *a, const LfCols *b)
{
	if (a->wild != b->wild || lf_strv_len(a->list) != lf_strv_len(b->list))
		return FALSE;
	for (guint i = 0; a->list && a->list[i]; i++)
		if (!lf_strv_has(b->list, a->list[i]))
			return FALSE;
	return TRUE;
}

static gboolean lf_cols_empty(const LfCols *c)
{
	return !c->wild && lf_strv_len(c->list) == 0;
}

static gboolean lf_cols_whole(const LfCols *c)
{
	return c->wild && lf_strv_len(c->list) == 0;
}

/* ---- validation ---- */

static gboolean lf_invalid(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean lf_invalid(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, msg);
	return FALSE;
}

/* A lower-cased, distinct, sorted copy of a column list; FALSE for an empty or overlong name. */
static gboolean lf_columns_copy(char **in, char ***out, const char *member, GError **error)
{
	*out = NULL;
	if (in == NULL)
		return TRUE;
	if (lf_strv_len(in) > LF_MAX_COLUMNS)
		return lf_invalid(error, "%s names more than %d columns", member, LF_MAX_COLUMNS);
	g_auto(GStrv) lower = g_new0(char *, lf_strv_len(in) + 1);
	for (guint i = 0; in[i]; i++) {
		if (*in[i] == '\0' || strlen(in[i]) > 255)
			return lf_invalid(error, "%s: a column name must have 1 to 255 characters", member);
		lower[i] = g_utf8_strdown(in[i], -1);
	}
	*out = lf_strv_combine(lower, NULL, FALSE, FALSE);
	return TRUE;
}

/*
 * out = in normalised (names lower-cased, column lists sorted, ColumnWildcard without
 * exclusions as whole-table SELECT) and checked against Lake Formation's rules.
 */
static gboolean lf_normalise(const StoreLfGrant *in, gboolean revoke, StoreLfGrant *out, GError **error)
{
	memset(out, 0, sizeof *out);
	out->principal = g_strdup(in->principal);
	out->perms = in->perms;
	out->grantable = in->grantable;
	StoreLfResource *r = &out->resource;
	r->kind = in->resource.kind;
	r->database = in->resource.database ? g_utf8_strdown(in->resource.database, -1) : NULL;
	r->table = in->resource.table ? g_utf8_strdown(in->resource.table, -1) : NULL;
	r->catalog = in->resource.catalog ? g_ascii_strdown(in->resource.catalog, -1) : NULL;
	/* What ListPermissions shows for SELECT on all tables, given back (Glue names are lower-case). */
	if (r->kind == AUTHZ_KIND_COLUMNS && g_strcmp0(in->resource.table, LF_ALL_TABLES) == 0 &&
	    in->resource.excluded && in->resource.excluded[0] == NULL && in->resource.columns == NULL) {
		r->kind = AUTHZ_KIND_TABLE_WILDCARD;
		g_clear_pointer(&r->table, g_free); /* only SELECT passes below: in->resource.kind is COLUMNS */
	}
	if (r->kind == AUTHZ_KIND_DATA_LOCATION && in->resource.location &&
	    !catalog_lf_location_parse(in->resource.location, &r->location, NULL, error))
		return FALSE;
	if (!lf_columns_copy(in->resource.columns, &r->columns, "ColumnNames", error) ||
	    !lf_columns_copy(in->resource.excluded, &r->excluded, "ExcludedColumnNames", error))
		return FALSE;
	if (r->kind == AUTHZ_KIND_COLUMNS) {
		if ((r->columns == NULL) == (r->excluded == NULL))
			return lf_invalid(error, "TableWithColumns needs exactly one of ColumnNames and ColumnWildcard");
		if (r->columns != NULL && r->columns[0] == NULL)
			return lf_invalid(error, "TableWithColumns: ColumnNames must name at least one column");
		if (r->excluded != NULL && r->excluded[0] == NULL) {
			r->kind = AUTHZ_KIND_TABLE; /* ColumnWildcard{} = SELECT on the whole table */
			g_clear_pointer(&r->excluded, g_strfreev);
		}
	}
	if ((r->kind != AUTHZ_KIND_CATALOG && r->kind != AUTHZ_KIND_DATA_LOCATION && r->database == NULL) ||
	    ((r->kind == AUTHZ_KIND_TABLE || r->kind == AUTHZ_KIND_COLUMNS) && r->table == NULL) ||
	    (r->kind == AUTHZ_KIND_DATA_LOCATION && r->location == NULL))
		return lf_invalid(error, "The %s resource is incomplete", lf_kind_shape(r->kind));
	guint32 valid = lf_kind_perms(in->resource.kind == AUTHZ_KIND_COLUMNS ? AUTHZ_KIND_COLUMNS : r->kind);
	guint32 bad = (out->perms | out->grantable) & ~valid;
	if (bad) {
		g_autofree char *b = authz_perms_to_string(bad), *v = authz_perms_to_string(valid);
		if (in->resource.kind == AUTHZ_KIND_COLUMNS)
			return lf_invalid(error, "Permissions modification is invalid: only SELECT is valid on columns "
			                         "(TableWithColumns), not %s", b);
		return lf_invalid(error, "Permissions modification is invalid: %s is not valid on a %s resource (valid: %s)",
		                  b, lf_kind_shape(r->kind), v);
	}
	if (!revoke && out->perms == 0)
		return lf_invalid(error, "Permissions must name at least one permission");
	if (revoke && (out->perms | out->grantable) == 0)
		return lf_invalid(error, "Permissions and PermissionsWithGrantOption name nothing to revoke");
	if (!revoke && (out->grantable & ~out->perms)) {
		g_autofree char *b = authz_perms_to_string(out->grantable & ~out->perms);
		return lf_invalid(error, "PermissionsWithGrantOption must be a subset of Permissions: %s is not in "
		                         "Permissions", b);
	}
	return TRUE;
}

/* The grantee must be IAM_ALLOWED_PRINCIPALS, a group ARN of this account or a known principal. */
static gboolean lf_check_grantee(CatalogWork *work, const char *principal, GError **error)
{
	if (strcmp(principal, "IAM_ALLOWED_PRINCIPALS") == 0)
		return TRUE;
	g_autofree char *group = g_strdup_printf("arn:aws:iam::%s:group/", work->cat->config->account_id);
	if (g_str_has_prefix(principal, group)) {
		const char *name = principal + strlen(group);
		gboolean ok = *name != '\0' && strlen(name) <= 128;
		for (const char *p = name; ok && *p; p++)
			ok = g_ascii_isalnum(*p) || strchr("_+=,.@-", *p) != NULL;
		if (ok)
			return TRUE;
		return lf_invalid(error, "Invalid principal %.300s: a group name has 1 to 128 of A-Z a-z 0-9 _ + = , . @ -",
		                  principal);
	}
	gboolean known = FALSE;
	GError *serr = NULL;
	if (!store_lf_principal_known(work->conn, principal, &known, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (!known)
		return lf_invalid(error, "Invalid principal %.300s: not the ARN of a principal of this server, a group ARN "
		                         "(%sNAME) or IAM_ALLOWED_PRINCIPALS", principal, group);
	return TRUE;
}

/* A store failure while writing grants: racing writers of one grant are CONFLICT, not ALREADY_EXISTS. */
static gboolean lf_store_failed(GError *serr, const char *resource, GError **error)
{
	if (serr->domain == STORE_ERROR && (serr->code == STORE_ERROR_UNIQUE || serr->code == STORE_ERROR_FOREIGN_KEY)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_CONFLICT,
		            "Concurrent modification of the permissions on %s; retry", resource);
		g_error_free(serr);
		return FALSE;
	}
	catalog_error_from_store(serr, NULL, NULL, error);
	return FALSE;
}

/*
 * Finds the object of r: fills ids, and *facts (the caller's, for the object's database).
 * A missing object is NOT_FOUND to callers who may see its parent, else ACCESS_DENIED.
 */
static gboolean lf_locate(CatalogWork *work, const CatalogCtx *ctx, const StoreLfResource *r, const char *text,
                          StoreLfIds *ids, AuthzFacts **facts, GError **error)
{
	GError *serr = NULL;
	gboolean in_db = r->kind != AUTHZ_KIND_CATALOG && r->kind != AUTHZ_KIND_DATA_LOCATION;
	g_autofree char *catname = catalog_resolve(work->cat, r->catalog);
	if (!store_lf_resolve(work->conn, catname, in_db ? r->database : NULL, in_db ? r->table : NULL, r->location, ids,
	                      &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	*facts = catalog_authz_facts(work, ctx, catname, in_db ? r->database : NULL, error);
	if (*facts == NULL)
		return FALSE;
	const AuthzFacts *f = *facts;
	gboolean found = TRUE, visible = TRUE;
	g_autofree char *what = NULL;
	if (ids->catalog_id == 0) {
		found = FALSE;
		what = g_strdup_printf("Catalog %s not found", work->cat->config->account_id);
	} else if (in_db && ids->database_id == 0) {
		found = FALSE;
		visible = f->is_admin || f->is_readonly_admin || authz_catalog_allows(f, AUTHZ_CREATE_DATABASE);
		what = g_strdup_printf("Database %s not found", r->database);
	} else if ((r->kind == AUTHZ_KIND_TABLE || r->kind == AUTHZ_KIND_COLUMNS) && ids->table_id == 0) {
		found = FALSE;
		visible = authz_database_visible(f);
		what = g_strdup_printf("Table %s.%s not found", r->database, r->table);
	} else if (r->kind == AUTHZ_KIND_DATA_LOCATION && ids->location_id == 0) {
		found = FALSE;
		visible = f->is_admin;
		what = g_strdup_printf("Location %s is not registered", r->location);
	}
	if (found)
		return TRUE;
	if (visible)
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, what);
	else
		catalog_authz_denied(error, AUTHZ_DESCRIBE, text);
	return FALSE;
}

/* Every column named must be a column or partition key of the table. */
static gboolean lf_check_columns(const StoreLfResource *r, const StoreLfIds *ids, GError **error)
{
	char **lists[] = {r->columns, r->excluded};
	for (guint l = 0; l < 2; l++)
		for (guint i = 0; lists[l] && lists[l][i]; i++)
			if (!lf_strv_has(ids->table_columns, lists[l][i]))
				return lf_invalid(error, "Column %.255s not found in table %s.%s", lists[l][i], r->database,
				                  r->table);
	return TRUE;
}

/* The permissions of a revoke that are not held: each permission, and each grant option asked alone. */
static guint32 lf_missing(guint32 perms, guint32 grantable, guint32 held, guint32 held_grantable)
{
	return (perms & ~held) | (grantable & ~perms & ~held_grantable);
}

/* Sets the revoke error: Lake Formation's text when nothing asked for is held, else what is missing. */
static gboolean lf_not_held(guint32 missing, guint32 asked, const char *text, GError **error)
{
	if (missing == asked)
		return lf_invalid(error, "No permissions revoked. Grantee has no permissions and no grantable permissions "
		                         "on resource.");
	g_autofree char *m = authz_perms_to_string(missing);
	return lf_invalid(error, "No permissions revoked. Grantee does not hold %s on %s.", m, text);
}

/* Writes a principal's explicit rows of one kind (skipped when nothing was and nothing will be held). */
static gboolean lf_write(CatalogWork *work, const StoreLfGrant *g, AuthzKind kind, const StoreLfIds *ids,
                         const StoreLfHeld *before, const StoreLfHeld *after, const char *by, const char *text,
                         GError **error)
{
	if (before->perms == 0 && after->perms == 0)
		return TRUE;
	GError *serr = NULL;
	if (!store_lf_replace(work->conn, g->principal, kind, ids, after, by, &serr))
		return lf_store_failed(serr, text, error);
	return TRUE;
}

/* A non-table grant or revoke: one row set, permissions add up or go. */
static gboolean lf_apply_plain(CatalogWork *work, const StoreLfGrant *g, gboolean revoke, const StoreLfIds *ids,
                               const char *by, const char *text, GError **error)
{
	StoreLfHeld held = {0};
	GError *serr = NULL;
	if (!store_lf_held(work->conn, g->principal, g->resource.kind, ids, &held, &serr))
		return lf_store_failed(serr, text, error);
	StoreLfHeld now = {0};
	gboolean ok = TRUE;
	if (!revoke) {
		now.perms = held.perms | g->perms;
		now.grantable = held.grantable | g->grantable;
	} else {
		guint32 missing = lf_missing(g->perms, g->grantable, held.perms, held.grantable);
		if (missing)
			ok = lf_not_held(missing, g->perms | (g->grantable & ~g->perms), text, error);
		now.perms = held.perms & ~g->perms;
		now.grantable = held.grantable & ~g->grantable & now.perms;
	}
	ok = ok && lf_write(work, g, g->resource.kind, ids, &held, &now, by, text, error);
	store_lf_held_clear(&held);
	return ok;
}

/* The SELECT column set held: whole from the TABLE row, else the COLUMNS row's, else none. */
static LfCols lf_held_cols(const StoreLfHeld *t, const StoreLfHeld *c)
{
	if (t->perms & AUTHZ_SELECT)
		return (LfCols){TRUE, g_new0(char *, 1)};
	if (c->perms & AUTHZ_SELECT)
		return c->columns ? (LfCols){FALSE, g_strdupv(c->columns)}
		                  : (LfCols){TRUE, c->excluded ? g_strdupv(c->excluded) : g_new0(char *, 1)};
	return (LfCols){FALSE, g_new0(char *, 1)};
}

/* Moves SELECT into the TABLE row (whole), the COLUMNS row (some) or neither (none). */
static void lf_place_select(const LfCols *s, gboolean grantable, StoreLfHeld *t, StoreLfHeld *c)
{
	t->perms &= ~AUTHZ_SELECT;
	t->grantable &= ~AUTHZ_SELECT;
	store_lf_held_clear(c);
	if (lf_cols_whole(s)) {
		t->perms |= AUTHZ_SELECT;
		t->grantable |= grantable ? AUTHZ_SELECT : 0;
	} else if (!lf_cols_empty(s)) {
		c->perms = AUTHZ_SELECT;
		c->grantable = grantable ? AUTHZ_SELECT : 0;
		if (s->wild)
			c->excluded = g_strdupv(s->list);
		else
			c->columns = g_strdupv(s->list);
	}
}

/*
 * Whether the union `now` of the held SELECT columns and the asked ones (NULL: no SELECT asked)
 * is grantable as a whole. The set has one grant option, so it is grantable only when every part
 * of it was: a grant option on a few columns never makes a wider held set grantable (it may be
 * lost instead when the asked columns do not cover the held ones: safe, never an overgrant).
 */
static gboolean lf_union_grantable(const LfCols *held, gboolean held_g, const LfCols *asked, gboolean asked_g,
                                   const LfCols *now)
{
	if (asked == NULL)
		return held_g;
	if (lf_cols_empty(held))
		return asked_g;
	gboolean covers_held = lf_cols_equal(now, asked); /* asked ⊇ held */
	gboolean within_held = lf_cols_equal(now, held);  /* asked ⊆ held */
	if (covers_held && within_held)
		return held_g || asked_g;
	if (covers_held)
		return asked_g;
	if (within_held)
		return held_g;
	return held_g && asked_g;
}

/*
 * A table or column grant or revoke. Non-SELECT permissions live on the TABLE row; SELECT is
 * the column set (see the file comment), grantable as a whole.
 */
static gboolean lf_apply_table(CatalogWork *work, const StoreLfGrant *g, gboolean revoke, const StoreLfIds *ids,
                               const char *by, const char *text, GError **error)
{
	StoreLfHeld ht = {0}, hc = {0};
	GError *serr = NULL;
	if (!store_lf_held(work->conn, g->principal, AUTHZ_KIND_TABLE, ids, &ht, &serr) ||
	    !store_lf_held(work->conn, g->principal, AUTHZ_KIND_COLUMNS, ids, &hc, &serr)) {
		store_lf_held_clear(&ht);
		return lf_store_failed(serr, text, error);
	}
	const StoreLfResource *r = &g->resource;
	LfCols asked = r->kind == AUTHZ_KIND_TABLE ? (LfCols){TRUE, g_new0(char *, 1)}
	               : r->columns              ? (LfCols){FALSE, g_strdupv(r->columns)}
	                                         : (LfCols){TRUE, g_strdupv(r->excluded)};
	LfCols held = lf_held_cols(&ht, &hc), now = {FALSE, NULL};
	gboolean held_g = ((ht.grantable | hc.grantable) & AUTHZ_SELECT) != 0, now_g;
	guint32 other = ~(guint32)AUTHZ_SELECT;
	StoreLfHeld nt = {ht.perms, ht.grantable, NULL, NULL}, nc = {0};
	gboolean ok = TRUE;
	if (!revoke) {
		nt.perms |= g->perms & other;
		nt.grantable |= g->grantable & other;
		now = (g->perms & AUTHZ_SELECT) ? lf_cols_union(&held, &asked) : (LfCols){held.wild, g_strdupv(held.list)};
		now_g = lf_union_grantable(&held, held_g, (g->perms & AUTHZ_SELECT) ? &asked : NULL,
		                           (g->grantable & AUTHZ_SELECT) != 0, &now);
	} else {
		guint32 missing = lf_missing(g->perms & other, g->grantable & other, ht.perms, ht.grantable);
		now = (g->perms & AUTHZ_SELECT) ? lf_cols_minus(&held, &asked) : (LfCols){held.wild, g_strdupv(held.list)};
		if ((g->perms & AUTHZ_SELECT) && lf_cols_equal(&now, &held))
			missing |= AUTHZ_SELECT;
		if ((g->grantable & AUTHZ_SELECT) && !(g->perms & AUTHZ_SELECT) && (!held_g || lf_cols_empty(&held)))
			missing |= AUTHZ_SELECT;
		if (missing)
			ok = lf_not_held(missing, g->perms | (g->grantable & ~g->perms), text, error);
		nt.perms &= ~(g->perms & other);
		nt.grantable &= ~(g->grantable & other) & nt.perms;
		now_g = held_g && !(g->grantable & AUTHZ_SELECT) && !lf_cols_empty(&now);
	}
	lf_place_select(&now, now_g, &nt, &nc);
	ok = ok && lf_write(work, g, AUTHZ_KIND_TABLE, ids, &ht, &nt, by, text, error) &&
	     lf_write(work, g, AUTHZ_KIND_COLUMNS, ids, &hc, &nc, by, text, error);
	lf_cols_clear(&asked);
	lf_cols_clear(&held);
	lf_cols_clear(&now);
	store_lf_held_clear(&ht);
	store_lf_held_clear(&hc);
	store_lf_held_clear(&nc);
	return ok;
}

/* The lowest permission bit of a set (the audit row's one permission), 0 for none. */
static guint32 lf_first_perm(guint32 perms)
{
	return perms & (~perms + 1);
}

/*
 * One grant or revoke inside work (see the file comment for the steps). Audits the outcome:
 * allowed when it applied, else denied with the error's text.
 */
static gboolean lf_apply(CatalogWork *work, const CatalogCtx *ctx, const StoreLfGrant *in, gboolean revoke,
                         GError **error)
{
	StoreLfGrant g;
	StoreLfIds ids = {0};
	g_autoptr(AuthzFacts) f = NULL;
	const char *verb = revoke ? "revoke" : "grant";
	gboolean ok = lf_normalise(in, revoke, &g, error);
	g_autofree char *text = lf_resource_text(work->cat, &g.resource);
	ok = ok && lf_locate(work, ctx, &g.resource, text, &ids, &f, error) &&
	     (g.resource.kind != AUTHZ_KIND_COLUMNS || lf_check_columns(&g.resource, &ids, error));
	if (ok) {
		const char *obj = g.resource.kind == AUTHZ_KIND_DATA_LOCATION ? ids.location : g.resource.table;
		if (!authz_can_grant(f, g.resource.kind, obj, g.perms | g.grantable, (const char *const *)g.resource.columns)) {
			g_autofree char *p = authz_perms_to_string(g.perms | g.grantable);
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_ACCESS_DENIED,
			            "Insufficient Lake Formation permission(s): Required grantable %s on %s to %s them", p, text,
			            verb);
			ok = FALSE;
		}
	}
	ok = ok && lf_check_grantee(work, g.principal, error);
	if (ok && (g.resource.kind == AUTHZ_KIND_TABLE || g.resource.kind == AUTHZ_KIND_COLUMNS))
		ok = lf_apply_table(work, &g, revoke, &ids, f->caller, text, error);
	else if (ok)
		ok = lf_apply_plain(work, &g, revoke, &ids, f->caller, text, error);
	g_autofree char *p = authz_perms_to_string(g.perms | g.grantable);
	g_autofree char *why = g_strdup_printf("%s %s%s to %s: %s", verb, p, g.grantable ? " (with grant option)" : "",
	                                       g.principal ? g.principal : "-",
	                                       ok ? "done" : (error && *error ? (*error)->message : "failed"));
	catalog_authz_audit(work->cat, ctx, text, lf_first_perm(g.perms | g.grantable), ok, why);
	store_lf_grant_clear(&g);
	store_lf_ids_clear(&ids);
	return ok;
}

/* One grant or revoke in its own transaction. */
static gboolean lf_one(Catalog *cat, const CatalogCtx *ctx, const StoreLfGrant *g, gboolean revoke, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	gboolean ok = lf_apply(&work, ctx, g, revoke, error);
	return catalog_work_end(&work, ok, error);
}

/* GrantPermissions; see catalog.h. */
gboolean catalog_lf_grant(Catalog *cat, const CatalogCtx *ctx, const StoreLfGrant *g, GError **error)
{
	return lf_one(cat, ctx, g, FALSE, error);
}

/* RevokePermissions; see catalog.h. */
gboolean catalog_lf_revoke(Catalog *cat, const CatalogCtx *ctx, const StoreLfGrant *g, GError **error)
{
	return lf_one(cat, ctx, g, TRUE, error);
}

/* BatchGrantPermissions / BatchRevokePermissions; see catalog.h. */
gboolean catalog_lf_batch(Catalog *cat, const CatalogCtx *ctx, gboolean revoke, StoreLfGrant *const *entries,
                          guint n, GError **errors, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	gboolean ok = TRUE;
	GError *serr = NULL;
	for (guint i = 0; ok && i < n; i++) {
		if (entries[i] == NULL)
			continue;
		if (!store_lf_savepoint(work.conn, 0, &serr))
			ok = FALSE;
		else if (lf_apply(&work, ctx, entries[i], revoke, &errors[i]))
			ok = store_lf_savepoint(work.conn, 2, &serr);
		else
			ok = store_lf_savepoint(work.conn, 1, &serr);
	}
	if (serr != NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	return catalog_work_end(&work, ok, error);
}

/* ---- ListPermissions ---- */

/* The stored kinds a resource filter (and ResourceType) selects; FALSE with INVALID_INPUT. */
static gboolean lf_list_kinds(const CatalogLfQuery *q, GPtrArray *kinds, gboolean *none, GError **error)
{
	static const struct {
		const char *type;
		const char *kinds[4];
	} types[] = {
		{"CATALOG", {"CATALOG"}},
		{"DATABASE", {"DATABASE"}},
		{"TABLE", {"TABLE", "TABLE_WILDCARD", "COLUMNS"}},
		{"DATA_LOCATION", {"DATA_LOCATION"}},
	};
	*none = FALSE;
	if (q->resource != NULL) {
		AuthzKind k = q->resource->kind;
		if (k == AUTHZ_KIND_COLUMNS)
			return lf_invalid(error, "ListPermissions takes a Table resource, not TableWithColumns: "
			                         "a Table lists both its table and its column permissions");
		g_ptr_array_add(kinds, (gpointer)authz_kind_name(k));
		if (k == AUTHZ_KIND_TABLE)
			g_ptr_array_add(kinds, (gpointer)authz_kind_name(AUTHZ_KIND_COLUMNS));
	}
	if (q->resource_type == NULL)
		return TRUE;
	if (g_str_has_prefix(q->resource_type, "LF_")) {
		*none = TRUE; /* no LF-Tags here: nothing matches */
		return TRUE;
	}
	for (guint t = 0; t < G_N_ELEMENTS(types); t++) {
		if (strcmp(types[t].type, q->resource_type) != 0)
			continue;
		if (kinds->len == 0) {
			for (guint k = 0; k < 4 && types[t].kinds[k]; k++)
				g_ptr_array_add(kinds, (gpointer)types[t].kinds[k]);
			return TRUE;
		}
		for (guint i = kinds->len; i-- > 0;) {
			gboolean keep = FALSE;
			for (guint k = 0; k < 4 && types[t].kinds[k]; k++)
				keep = keep || strcmp(types[t].kinds[k], g_ptr_array_index(kinds, i)) == 0;
			if (!keep)
				g_ptr_array_remove_index(kinds, i);
		}
		*none = kinds->len == 0;
		return TRUE;
	}
	return lf_invalid(error, "Invalid ResourceType %.64s", q->resource_type);
}

/* A page position: the store's group key and how many of its rows (1 or 2) were given. */
static char *lf_pos_make(const char *key, guint part)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "k");
	json_builder_add_string_value(b, key);
	json_builder_set_member_name(b, "p");
	json_builder_add_int_value(b, part);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	return json_to_string(root, FALSE);
}

static gboolean lf_pos_read(const char *pos, char **key, guint *part, GError **error)
{
	g_autoptr(JsonNode) n = pos ? json_from_string(pos, NULL) : NULL;
	JsonObject *o = n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
	const char *k = o ? json_object_get_string_member_with_default(o, "k", NULL) : NULL;
	if (k == NULL)
		return lf_invalid(error, "Invalid NextToken");
	*key = g_strdup(k);
	*part = (guint)json_object_get_int_member_with_default(o, "p", 0);
	return TRUE;
}

/*
 * The listed rows of one group: a TABLE or TABLE_WILDCARD group holding SELECT gives its other
 * permissions (part 0, when any) and SELECT as a wildcard COLUMNS row (part 1); others give one.
 */
static guint lf_split(StoreLfGrant *g, StoreLfGrant *out[2])
{
	gboolean split = (g->resource.kind == AUTHZ_KIND_TABLE || g->resource.kind == AUTHZ_KIND_TABLE_WILDCARD) &&
	                 (g->perms & AUTHZ_SELECT);
	out[0] = out[1] = NULL;
	if (!split) {
		out[0] = g;
		return 1;
	}
	StoreLfGrant *sel = g_new0(StoreLfGrant, 1);
	sel->principal = g_strdup(g->principal);
	sel->resource.kind = AUTHZ_KIND_COLUMNS;
	sel->resource.database = g_strdup(g->resource.database);
	sel->resource.table = g->resource.kind == AUTHZ_KIND_TABLE ? g_strdup(g->resource.table) : NULL;
	sel->resource.excluded = g_new0(char *, 1);
	sel->perms = AUTHZ_SELECT;
	sel->grantable = g->grantable & AUTHZ_SELECT;
	sel->last_updated = g->last_updated;
	sel->last_updated_by = g_strdup(g->last_updated_by);
	g->perms &= ~AUTHZ_SELECT;
	g->grantable &= ~AUTHZ_SELECT;
	out[0] = g->perms ? g : NULL;
	out[1] = sel;
	return 2;
}

/*
 * Moves the rows of groups (with their keys) into out, at most limit, starting after position
 * (after_key, after_part); *next: the position of the first row left out, or NULL.
 */
static void lf_page(GPtrArray *groups, GPtrArray *keys, const char *after_key, guint after_part, guint limit,
                    GPtrArray *out, char **next)
{
	*next = NULL;
	for (guint i = 0; i < groups->len && *next == NULL; i++) {
		StoreLfGrant *g = g_ptr_array_index(groups, i), *parts[2];
		const char *key = g_ptr_array_index(keys, i);
		lf_split(g, parts);
		for (guint p = 0; p < 2; p++) {
			if (parts[p] == NULL)
				continue;
			gboolean given = after_key && strcmp(key, after_key) == 0 && p < after_part;
			if (!given && *next == NULL && out->len == limit)
				*next = lf_pos_make(key, p);
			if (given || *next != NULL) {
				if (parts[p] != g)
					store_lf_grant_free(parts[p]); /* g itself is freed with groups */
				continue;
			}
			if (parts[p] == g)
				g_ptr_array_index(groups, i) = NULL; /* out owns it now */
			g_ptr_array_add(out, parts[p]);
		}
	}
}

/* ListPermissions and GetEffectivePermissionsForPath; see catalog.h. */
GPtrArray *catalog_lf_list_permissions(Catalog *cat, const CatalogCtx *ctx, const CatalogLfQuery *q, char **next,
                                       GError **error)
{
	*next = NULL;
	g_return_val_if_fail(q->limit >= 1 && q->limit <= 1000, NULL);
	g_autoptr(GPtrArray) kinds = g_ptr_array_new();
	gboolean none = FALSE;
	g_autofree char *after_key = NULL, *arn = NULL, *path = NULL;
	guint after_part = 0;
	if (!lf_list_kinds(q, kinds, &none, error) || (q->after && !lf_pos_read(q->after, &after_key, &after_part, error)))
		return NULL;
	const StoreLfResource *r = q->resource;
	if ((r && r->kind == AUTHZ_KIND_DATA_LOCATION && !catalog_lf_location_parse(r->location, &arn, NULL, error)) ||
	    (q->path && !catalog_lf_location_parse(q->path, NULL, &path, error)))
		return NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(store_lf_grant_free);
	if (none)
		return out;
	g_autofree char *db = r && r->database && r->kind != AUTHZ_KIND_CATALOG && r->kind != AUTHZ_KIND_DATA_LOCATION
	                          ? g_utf8_strdown(r->database, -1) : NULL;
	g_autofree char *table = r && r->table && r->kind == AUTHZ_KIND_TABLE ? g_utf8_strdown(r->table, -1) : NULL;
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error)) {
		g_ptr_array_unref(out);
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, r && r->catalog ? r->catalog : q->catalog);
	g_autoptr(AuthzFacts) f = catalog_authz_facts(&work, ctx, catname, NULL, error);
	g_autoptr(GPtrArray) groups = NULL, keys = NULL;
	if (f != NULL) {
		g_ptr_array_add(kinds, NULL);
		StoreLfListQuery sq = {
			.see_all = f->is_admin || f->is_readonly_admin, .caller = f->caller, .account = cat->config->account_id,
			.catalog = catname, .principal = q->principal,
			.kinds = kinds->len > 1 ? (const char *const *)kinds->pdata : NULL, .database = db, .table = table,
			.resource_arn = arn, .path = path, .after_key = after_key, .limit = q->limit + 2,
		};
		GError *serr = NULL;
		groups = store_lf_list(work.conn, &sq, &keys, &serr);
		if (groups == NULL)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	catalog_work_end(&work, groups != NULL, NULL);
	if (groups == NULL) {
		g_ptr_array_unref(out);
		return NULL;
	}
	lf_page(groups, keys, after_key, after_part, q->limit, out, next);
	return out;
}
