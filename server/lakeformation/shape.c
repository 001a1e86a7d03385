/*
 * shape.c — Lake Formation's request shapes in, response shapes out (botocore's
 * lakeformation/2017-03-31 model).
 *
 * A Resource has exactly one member. Catalog, Database, Table (Name or TableWildcard),
 * TableWithColumns (ColumnNames or ColumnWildcard) and DataLocation become a StoreLfResource;
 * DataCellsFilter and the LF-Tag shapes are refused (this server has neither). Names are passed
 * as sent: the catalog folds and checks them, so every door gets the same rules. Out, SELECT on
 * all tables is named as Lake Formation lists it: Name "ALL_TABLES".
 */
#include <string.h>

#include "lakeformation/internal.h"

#define LF_ALL_TABLES "ALL_TABLES"

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

/* CatalogId of o, when given, must be ours. */
gboolean lf_check_catalog_id(GlueCall *call, JsonObject *o, GError **error)
{
	GError *e = NULL;
	const char *id = glue_in_name(o, "CatalogId", FALSE, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	return glue_catalog_id_select(call, id, error);
}

/* A DataLakePrincipal member: {DataLakePrincipalIdentifier: 1..255}. */
const char *lf_in_principal(JsonObject *in, const char *member, gboolean required, GError **error)
{
	GError *e = NULL;
	JsonObject *p = glue_in_object(in, member, required, &e);
	const char *id = p ? glue_in_string(p, "DataLakePrincipalIdentifier", TRUE, 255, &e) : NULL;
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	if (id != NULL && *id == '\0') {
		lf_invalid(error, "1 validation error detected: Value at '%s.dataLakePrincipalIdentifier' failed to satisfy "
		                  "constraint: Member must have length greater than or equal to 1", member);
		return NULL;
	}
	return id;
}

/* A PermissionList member as bits; see internal.h. */
gboolean lf_in_perms(JsonObject *in, const char *member, gboolean required, guint32 *perms, GError **error)
{
	GError *e = NULL;
	JsonArray *a = glue_in_array(in, member, required, &e);
	*perms = 0;
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a list of strings", member);
			return FALSE;
		}
		guint32 bit;
		if (!authz_perm_parse(json_node_get_string(n), &bit))
			return lf_invalid(error, "%s: '%.64s' is not a valid permission (ALL, SELECT, ALTER, DROP, DELETE, "
			                         "INSERT, DESCRIBE, CREATE_DATABASE, CREATE_TABLE, DATA_LOCATION_ACCESS)",
			                  member, json_node_get_string(n));
		*perms |= bit;
	}
	return TRUE;
}

/* A boolean member. */
gboolean lf_in_bool(JsonObject *in, const char *member, gboolean def, gboolean *out, GError **error)
{
	JsonNode *n = json_object_get_member(in, member);
	*out = def;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a boolean", member);
		return FALSE;
	}
	*out = json_node_get_boolean(n);
	return TRUE;
}

/* A ColumnNames list (NameStrings) as a new vector; absent: NULL. */
static gboolean lf_in_names(JsonObject *in, const char *member, char ***out, GError **error)
{
	GError *e = NULL;
	JsonArray *a = glue_in_array(in, member, FALSE, &e);
	*out = NULL;
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	if (a == NULL)
		return TRUE;
	g_autoptr(GPtrArray) v = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a list of strings", member);
			return FALSE;
		}
		g_ptr_array_add(v, g_strdup(json_node_get_string(n)));
	}
	g_ptr_array_add(v, NULL);
	*out = (char **)g_ptr_array_steal(v, NULL);
	return TRUE;
}

/* Table{DatabaseName, Name | TableWildcard{}}; Name "ALL_TABLES" beside TableWildcard is how listings name it. */
static gboolean lf_in_table(JsonObject *t, StoreLfResource *out, GError **error)
{
	GError *e = NULL;
	const char *db = glue_in_name(t, "DatabaseName", TRUE, &e);
	const char *name = db ? glue_in_name(t, "Name", FALSE, &e) : NULL;
	JsonObject *wild = e == NULL ? glue_in_object(t, "TableWildcard", FALSE, &e) : NULL;
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	if (wild != NULL && name != NULL && strcmp(name, LF_ALL_TABLES) != 0)
		return lf_invalid(error, "Table: give Name or TableWildcard, not both");
	if (wild == NULL && name == NULL)
		return lf_invalid(error, "Table: Name or TableWildcard is required");
	out->kind = wild ? AUTHZ_KIND_TABLE_WILDCARD : AUTHZ_KIND_TABLE;
	out->database = g_strdup(db);
	out->table = wild ? NULL : g_strdup(name);
	return TRUE;
}

/* TableWithColumns{DatabaseName, Name, ColumnNames | ColumnWildcard{ExcludedColumnNames}}. */
static gboolean lf_in_columns(JsonObject *t, StoreLfResource *out, GError **error)
{
	GError *e = NULL;
	const char *db = glue_in_name(t, "DatabaseName", TRUE, &e);
	const char *name = db ? glue_in_name(t, "Name", TRUE, &e) : NULL;
	JsonObject *wild = e == NULL ? glue_in_object(t, "ColumnWildcard", FALSE, &e) : NULL;
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	out->kind = AUTHZ_KIND_COLUMNS;
	out->database = g_strdup(db);
	out->table = g_strdup(name);
	if (!lf_in_names(t, "ColumnNames", &out->columns, error) ||
	    (wild && !lf_in_names(wild, "ExcludedColumnNames", &out->excluded, error)))
		return FALSE;
	if (wild && out->excluded == NULL)
		out->excluded = g_new0(char *, 1);
	return TRUE;
}

/* A Resource with exactly one member; see internal.h. */
gboolean lf_in_resource(GlueCall *call, JsonObject *res, StoreLfResource *out, GError **error)
{
	static const char *const members[] = {"Catalog",     "Database",        "Table", "TableWithColumns",
	                                      "DataLocation", "DataCellsFilter", "LFTag", "LFTagPolicy",
	                                      "LFTagExpression"};
	memset(out, 0, sizeof *out);
	const char *which = NULL;
	guint count = 0;
	for (guint i = 0; i < G_N_ELEMENTS(members); i++) {
		JsonNode *n = json_object_get_member(res, members[i]);
		if (n != NULL && !JSON_NODE_HOLDS_NULL(n)) {
			which = members[i];
			count++;
		}
	}
	if (count != 1)
		return lf_invalid(error, "Resource must have exactly one member: Catalog, Database, Table, "
		                         "TableWithColumns or DataLocation (%u given)", count);
	GError *e = NULL;
	JsonObject *o = glue_in_object(res, which, TRUE, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	if (strcmp(which, "Catalog") == 0) {
		JsonNode *id = json_object_get_member(o, "Id");
		if (id && JSON_NODE_HOLDS_VALUE(id) && json_node_get_value_type(id) == G_TYPE_STRING &&
		    !glue_catalog_id_select(call, json_node_get_string(id), error))
			return FALSE;
		out->kind = AUTHZ_KIND_CATALOG;
		out->catalog = g_strdup(call->catalog);
		return TRUE;
	}
	/* the resource's own CatalogId selects its catalog for this resource only (batch entries differ) */
	g_autofree char *request_catalog = g_strdup(call->catalog);
	gboolean ok = lf_check_catalog_id(call, o, error);
	out->catalog = g_strdup(call->catalog);
	g_free(call->catalog);
	call->catalog = g_steal_pointer(&request_catalog);
	if (!ok)
		return FALSE;
	if (strcmp(which, "Database") == 0) {
		const char *name = glue_in_name(o, "Name", TRUE, &e);
		if (e != NULL) {
			g_propagate_error(error, e);
			return FALSE;
		}
		out->kind = AUTHZ_KIND_DATABASE;
		out->database = g_strdup(name);
		return TRUE;
	}
	if (strcmp(which, "Table") == 0)
		return lf_in_table(o, out, error);
	if (strcmp(which, "TableWithColumns") == 0)
		return lf_in_columns(o, out, error);
	if (strcmp(which, "DataLocation") == 0) {
		const char *arn = glue_in_string(o, "ResourceArn", TRUE, 2048, &e);
		if (e != NULL) {
			g_propagate_error(error, e);
			return FALSE;
		}
		out->kind = AUTHZ_KIND_DATA_LOCATION;
		out->location = g_strdup(arn);
		return TRUE;
	}
	return lf_invalid(error, "%s resources are not supported by this server", which);
}

/* A grant or revoke request (or batch entry); see internal.h. */
gboolean lf_in_grant(GlueCall *call, JsonObject *in, gboolean revoke, StoreLfGrant *out, GError **error)
{
	memset(out, 0, sizeof *out);
	GError *e = NULL;
	const char *principal = lf_in_principal(in, "Principal", TRUE, &e);
	JsonObject *res = e == NULL ? glue_in_object(in, "Resource", TRUE, &e) : NULL;
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	out->principal = g_strdup(principal);
	return lf_in_resource(call, res, &out->resource, error) &&
	       lf_in_perms(in, "Permissions", !revoke, &out->perms, error) &&
	       lf_in_perms(in, "PermissionsWithGrantOption", FALSE, &out->grantable, error);
}

/* A PermissionList of bits, in the evaluator's order. */
static JsonArray *lf_out_perms(guint32 perms)
{
	JsonArray *a = json_array_new();
	for (guint32 bit = 1; bit != 0 && bit <= AUTHZ_DATA_LOCATION_ACCESS; bit <<= 1)
		if ((perms & bit) && authz_perm_name(bit))
			json_array_add_string_element(a, authz_perm_name(bit));
	return a;
}

/* A JSON array of a vector's strings. */
static JsonArray *lf_out_names(char **v)
{
	JsonArray *a = json_array_new();
	for (guint i = 0; v && v[i]; i++)
		json_array_add_string_element(a, v[i]);
	return a;
}

/* Lake Formation's Resource; see internal.h. */
JsonObject *lf_out_resource(GlueCall *call, const StoreLfResource *r)
{
	JsonObject *res = json_object_new(), *o = json_object_new();
	const char *member = "Catalog";
	g_autofree char *catalog_id = glue_catalog_id_out(call);
	if (r->kind != AUTHZ_KIND_CATALOG)
		json_object_set_string_member(o, "CatalogId", catalog_id);
	switch (r->kind) {
	case AUTHZ_KIND_CATALOG:
		break;
	case AUTHZ_KIND_DATABASE:
		member = "Database";
		json_object_set_string_member(o, "Name", r->database);
		break;
	case AUTHZ_KIND_TABLE:
	case AUTHZ_KIND_TABLE_WILDCARD:
		member = "Table";
		json_object_set_string_member(o, "DatabaseName", r->database);
		json_object_set_string_member(o, "Name", r->kind == AUTHZ_KIND_TABLE ? r->table : LF_ALL_TABLES);
		if (r->kind == AUTHZ_KIND_TABLE_WILDCARD)
			json_object_set_object_member(o, "TableWildcard", json_object_new());
		break;
	case AUTHZ_KIND_COLUMNS:
		member = "TableWithColumns";
		json_object_set_string_member(o, "DatabaseName", r->database);
		json_object_set_string_member(o, "Name", r->table ? r->table : LF_ALL_TABLES);
		if (r->columns) {
			json_object_set_array_member(o, "ColumnNames", lf_out_names(r->columns));
		} else {
			JsonObject *w = json_object_new();
			if (r->excluded && r->excluded[0])
				json_object_set_array_member(w, "ExcludedColumnNames", lf_out_names(r->excluded));
			json_object_set_object_member(o, "ColumnWildcard", w);
		}
		break;
	case AUTHZ_KIND_DATA_LOCATION:
		member = "DataLocation";
		json_object_set_string_member(o, "ResourceArn", r->location);
		break;
	}
	json_object_set_object_member(res, member, o);
	return res;
}

/* PrincipalResourcePermissions; see internal.h. */
JsonObject *lf_out_permissions(GlueCall *call, const StoreLfGrant *g)
{
	JsonObject *o = json_object_new(), *p = json_object_new();
	json_object_set_string_member(p, "DataLakePrincipalIdentifier", g->principal);
	json_object_set_object_member(o, "Principal", p);
	json_object_set_object_member(o, "Resource", lf_out_resource(call, &g->resource));
	json_object_set_array_member(o, "Permissions", lf_out_perms(g->perms));
	json_object_set_array_member(o, "PermissionsWithGrantOption", lf_out_perms(g->grantable));
	json_object_set_int_member(o, "LastUpdated", g->last_updated);
	if (g->last_updated_by)
		json_object_set_string_member(o, "LastUpdatedBy", g->last_updated_by);
	return o;
}
