/*
 * permission.c — `propolis grant|revoke`, `permissions list` and `admins list|add|remove`:
 * the Lake Formation API on the server's listener (POST /GrantPermissions, /RevokePermissions,
 * /ListPermissions, /GetDataLakeSettings, /PutDataLakeSettings), bodies as botocore's model.
 *
 * Resources on the command line map to Lake Formation's Resource union: --catalog → Catalog,
 * --database DB → Database, --table DB.TBL → Table (with --columns or --excluded-columns:
 * TableWithColumns), --all-tables DB → Table with TableWildcard, --location s3://b/p →
 * DataLocation arn:aws:s3:::b/p. admins add/remove is a read-modify-write of the settings:
 * everything but DataLakeAdmins is put back as it was read.
 */
#include <string.h>

#include "cli/cli.h"

/* What grant and revoke read from the command line. */
typedef struct {
	char *principal, *permissions, *database, *table, *columns, *excluded, *all_tables, *location;
	gboolean catalog, grantable;
} CliGrantArgs;

static void cli_grant_args_clear(CliGrantArgs *a)
{
	g_free(a->principal);
	g_free(a->permissions);
	g_free(a->database);
	g_free(a->table);
	g_free(a->columns);
	g_free(a->excluded);
	g_free(a->all_tables);
	g_free(a->location);
}

/* A JSON array of the comma-separated items of text (blank items skipped). */
static JsonArray *cli_comma_list(const char *text, gboolean upper)
{
	JsonArray *a = json_array_new();
	g_auto(GStrv) parts = g_strsplit(text ? text : "", ",", -1);
	for (guint i = 0; parts[i]; i++) {
		char *p = g_strstrip(parts[i]);
		if (*p == '\0')
			continue;
		g_autofree char *v = upper ? g_ascii_strup(p, -1) : g_strdup(p);
		json_array_add_string_element(a, v);
	}
	return a;
}

/* Splits "DB.TBL" into its parts (new strings); FALSE with USAGE. */
static gboolean cli_split_table(const char *text, char **db, char **tbl, GError **error)
{
	const char *dot = strchr(text, '.');
	if (dot == NULL || dot == text || dot[1] == '\0') {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--table takes DB.TABLE, not '%s'", text);
		return FALSE;
	}
	*db = g_strndup(text, (gsize)(dot - text));
	*tbl = g_strdup(dot + 1);
	return TRUE;
}

/* {"Principal": {"DataLakePrincipalIdentifier": arn}}'s inner object. */
static JsonObject *cli_lf_principal(const char *arn)
{
	JsonObject *p = json_object_new();
	json_object_set_string_member(p, "DataLakePrincipalIdentifier", arn);
	return p;
}

/* The Resource union for the arguments; NULL with USAGE unless exactly one resource is named. */
static JsonObject *cli_resource(const CliGrantArgs *a, GError **error)
{
	int n = (a->catalog ? 1 : 0) + (a->database ? 1 : 0) + (a->table ? 1 : 0) + (a->all_tables ? 1 : 0) +
	        (a->location ? 1 : 0);
	if (n != 1) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE,
		                    "name exactly one resource: --catalog, --database, --table, --all-tables or --location");
		return NULL;
	}
	if ((a->columns || a->excluded) && (a->table == NULL || (a->columns && a->excluded))) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE,
		                    "--columns or --excluded-columns (not both) go with --table");
		return NULL;
	}
	g_autoptr(JsonObject) r = json_object_new();
	JsonObject *inner = json_object_new();
	if (a->catalog) {
		json_object_set_object_member(r, "Catalog", inner);
	} else if (a->database) {
		json_object_set_string_member(inner, "Name", a->database);
		json_object_set_object_member(r, "Database", inner);
	} else if (a->all_tables) {
		json_object_set_string_member(inner, "DatabaseName", a->all_tables);
		json_object_set_object_member(inner, "TableWildcard", json_object_new());
		json_object_set_object_member(r, "Table", inner);
	} else if (a->location) {
		if (!g_str_has_prefix(a->location, "s3://") && !g_str_has_prefix(a->location, "arn:")) {
			json_object_unref(inner);
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--location takes s3://BUCKET/PREFIX or an ARN, not '%s'",
			            a->location);
			return NULL;
		}
		g_autofree char *arn = g_str_has_prefix(a->location, "s3://") ? g_strconcat("arn:aws:s3:::", a->location + 5, NULL)
		                                                               : g_strdup(a->location);
		json_object_set_string_member(inner, "ResourceArn", arn);
		json_object_set_object_member(r, "DataLocation", inner);
	} else {
		g_autofree char *db = NULL, *tbl = NULL;
		if (!cli_split_table(a->table, &db, &tbl, error)) {
			json_object_unref(inner);
			return NULL;
		}
		json_object_set_string_member(inner, "DatabaseName", db);
		json_object_set_string_member(inner, "Name", tbl);
		if (a->columns) {
			json_object_set_array_member(inner, "ColumnNames", cli_comma_list(a->columns, FALSE));
		} else if (a->excluded) {
			JsonObject *wild = json_object_new();
			json_object_set_array_member(wild, "ExcludedColumnNames", cli_comma_list(a->excluded, FALSE));
			json_object_set_object_member(inner, "ColumnWildcard", wild);
		}
		json_object_set_object_member(r, a->columns || a->excluded ? "TableWithColumns" : "Table", inner);
	}
	return g_steal_pointer(&r);
}

/* grant and revoke: same arguments, op GrantPermissions or RevokePermissions. */
static gboolean cli_grant_or_revoke(CliGlobal *g, int argc, char **argv, const char *op, GError **error)
{
	CliGrantArgs a = {0};
	const GOptionEntry entries[] = {
		{"principal", 0, 0, G_OPTION_ARG_STRING, &a.principal, "Who: a user or role name, or any ARN", "NAME|ARN"},
		{"permissions", 0, 0, G_OPTION_ARG_STRING, &a.permissions,
		 "What: ALL, SELECT, ALTER, DROP, DELETE, INSERT, DESCRIBE, CREATE_DATABASE, CREATE_TABLE, "
		 "DATA_LOCATION_ACCESS",
		 "P[,P...]"},
		{"grantable", 0, 0, G_OPTION_ARG_NONE, &a.grantable, "With grant option (PermissionsWithGrantOption)", NULL},
		{"catalog", 0, 0, G_OPTION_ARG_NONE, &a.catalog, "On the catalog", NULL},
		{"database", 0, 0, G_OPTION_ARG_STRING, &a.database, "On database DB", "DB"},
		{"table", 0, 0, G_OPTION_ARG_STRING, &a.table, "On table DB.TBL", "DB.TBL"},
		{"columns", 0, 0, G_OPTION_ARG_STRING, &a.columns, "Only these columns of --table", "a,b"},
		{"excluded-columns", 0, 0, G_OPTION_ARG_STRING, &a.excluded, "Every column of --table but these", "c,d"},
		{"all-tables", 0, 0, G_OPTION_ARG_STRING, &a.all_tables, "On every table of DB (TableWildcard)", "DB"},
		{"location", 0, 0, G_OPTION_ARG_STRING, &a.location, "On a registered data location", "s3://B/P"},
		G_OPTION_ENTRY_NULL,
	};
	const char *summary = strcmp(op, "GrantPermissions") == 0
	                          ? "Grants Lake Formation permissions (POST /GrantPermissions)."
	                          : "Revokes Lake Formation permissions (POST /RevokePermissions).";
	gboolean ok = cli_parse(g, &argc, &argv, entries, "", summary, 0, error);
	if (ok && (a.principal == NULL || a.permissions == NULL)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: --principal and --permissions are required (try --help)",
		            argv[0]);
		ok = FALSE;
	}
	g_autoptr(JsonObject) resource = ok ? cli_resource(&a, error) : NULL;
	g_autofree char *arn = resource ? cli_resolve_principal(g, a.principal, error) : NULL;
	g_autoptr(JsonObject) answer = NULL;
	if (arn != NULL) {
		g_autoptr(JsonObject) body = json_object_new();
		json_object_set_object_member(body, "Principal", cli_lf_principal(arn));
		json_object_set_object_member(body, "Resource", json_object_ref(resource));
		json_object_set_array_member(body, "Permissions", cli_comma_list(a.permissions, TRUE));
		if (a.grantable)
			json_object_set_array_member(body, "PermissionsWithGrantOption", cli_comma_list(a.permissions, TRUE));
		answer = cli_call_lakeformation(g, op, body, error);
	}
	cli_grant_args_clear(&a);
	if (answer == NULL)
		return FALSE;
	static const CliColumn cols[] = {{"RESULT", "Result", NULL, FALSE}};
	if (g->output && strcmp(g->output, "table") == 0)
		json_object_set_string_member(answer, "Result", "ok");
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* grant ... */
gboolean cli_grant(CliGlobal *g, int argc, char **argv, GError **error)
{
	return cli_grant_or_revoke(g, argc, argv, "GrantPermissions", error);
}

/* revoke ... */
gboolean cli_revoke(CliGlobal *g, int argc, char **argv, GError **error)
{
	return cli_grant_or_revoke(g, argc, argv, "RevokePermissions", error);
}

/* Object member of o, or NULL when absent or not an object (json-glib asserts on absent members). */
static JsonObject *cli_obj(JsonObject *o, const char *member)
{
	JsonNode *n = o ? json_object_get_member(o, member) : NULL;
	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* String member of o, or "?". */
static const char *cli_str(JsonObject *o, const char *member)
{
	return json_object_get_string_member_with_default(o, member, "?");
}

/* "a,b" of a JSON array of strings (new string). */
static char *cli_join(JsonArray *a)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; a && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
			g_string_append_printf(s, "%s%s", s->len ? "," : "", json_node_get_string(n));
	}
	return g_string_free(s, FALSE);
}

/* TableWithColumns in one line; Lake Formation names all tables of a database ALL_TABLES. */
static char *cli_columns_text(JsonObject *o)
{
	const char *db = cli_str(o, "DatabaseName"), *name = cli_str(o, "Name");
	JsonObject *wild = cli_obj(o, "ColumnWildcard");
	JsonNode *cols = wild ? json_object_get_member(wild, "ExcludedColumnNames") : json_object_get_member(o, "ColumnNames");
	g_autofree char *list = cli_join(cols && JSON_NODE_HOLDS_ARRAY(cols) ? json_node_get_array(cols) : NULL);
	g_autofree char *table = strcmp(name, "ALL_TABLES") == 0 ? g_strdup_printf("all tables %s.*", db)
	                                                         : g_strdup_printf("table %s.%s", db, name);
	if (wild)
		return *list ? g_strdup_printf("%s, columns but %s", table, list) : g_strdup_printf("%s, all columns", table);
	return g_strdup_printf("%s, columns %s", table, list);
}

/* A Resource union in one line: "catalog", "database db", "table db.t", "table db.t, columns a,b", ... */
static char *cli_resource_text(JsonObject *row)
{
	JsonObject *r = cli_obj(row, "Resource"), *o;
	if (r == NULL)
		return NULL;
	if (cli_obj(r, "Catalog") != NULL)
		return g_strdup("catalog");
	if ((o = cli_obj(r, "Database")) != NULL)
		return g_strdup_printf("database %s", cli_str(o, "Name"));
	if ((o = cli_obj(r, "DataLocation")) != NULL)
		return g_strdup_printf("location %s", cli_str(o, "ResourceArn"));
	if ((o = cli_obj(r, "Table")) != NULL)
		return json_object_has_member(o, "TableWildcard") ? g_strdup_printf("all tables %s.*", cli_str(o, "DatabaseName"))
		                                                  : g_strdup_printf("table %s.%s", cli_str(o, "DatabaseName"),
		                                                                    cli_str(o, "Name"));
	if ((o = cli_obj(r, "TableWithColumns")) != NULL)
		return cli_columns_text(o);
	return g_strdup("?");
}

/* The principal of a permission row. */
static char *cli_row_principal(JsonObject *row)
{
	JsonObject *p = cli_obj(row, "Principal");
	return p ? g_strdup(cli_str(p, "DataLakePrincipalIdentifier")) : NULL;
}

/* permissions list [--principal P] [--database DB] [--table DB.TBL] */
gboolean cli_permissions_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"PRINCIPAL", NULL, cli_row_principal, FALSE},
		{"RESOURCE", NULL, cli_resource_text, FALSE},
		{"PERMISSIONS", "Permissions", NULL, FALSE},
		{"GRANTABLE", "PermissionsWithGrantOption", NULL, FALSE},
	};
	g_autofree char *principal = NULL, *database = NULL, *table = NULL;
	const GOptionEntry entries[] = {
		{"principal", 0, 0, G_OPTION_ARG_STRING, &principal, "Only this principal's permissions", "NAME|ARN"},
		{"database", 0, 0, G_OPTION_ARG_STRING, &database, "Only permissions on database DB", "DB"},
		{"table", 0, 0, G_OPTION_ARG_STRING, &table, "Only permissions on table DB.TBL", "DB.TBL"},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "",
	               "Lists Lake Formation permissions (POST /ListPermissions, every page).", 0, error))
		return FALSE;
	if (database && table) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE, "give --database or --table, not both");
		return FALSE;
	}
	g_autoptr(JsonObject) body = json_object_new();
	if (principal != NULL) {
		g_autofree char *arn = cli_resolve_principal(g, principal, error);
		if (arn == NULL)
			return FALSE;
		json_object_set_object_member(body, "Principal", cli_lf_principal(arn));
	}
	if (database || table) {
		CliGrantArgs a = {.database = database, .table = table};
		JsonObject *r = cli_resource(&a, error);
		if (r == NULL)
			return FALSE;
		json_object_set_object_member(body, "Resource", r);
	}
	JsonArray *all = json_array_new();
	g_autoptr(JsonObject) result = json_object_new();
	json_object_set_array_member(result, "PrincipalResourcePermissions", all);
	for (guint page = 0;; page++) {
		g_autoptr(JsonObject) answer = cli_call_lakeformation(g, "ListPermissions", body, error);
		if (answer == NULL)
			return FALSE;
		JsonArray *items = json_object_has_member(answer, "PrincipalResourcePermissions")
		                       ? json_object_get_array_member(answer, "PrincipalResourcePermissions")
		                       : NULL;
		for (guint i = 0; items && i < json_array_get_length(items); i++)
			json_array_add_element(all, json_node_copy(json_array_get_element(items, i)));
		const char *next = json_object_get_string_member_with_default(answer, "NextToken", NULL);
		if (next == NULL || *next == '\0' || page > 100000)
			break;
		json_object_set_string_member(body, "NextToken", next);
	}
	cli_print(g, result, "PrincipalResourcePermissions", cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* The DataLakeSettings object of a GetDataLakeSettings answer (borrowed); NULL with HTTP error. */
static JsonObject *cli_settings_of(JsonObject *answer, GError **error)
{
	JsonObject *s = cli_obj(answer, "DataLakeSettings");
	if (s == NULL && answer != NULL)
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_HTTP, "GetDataLakeSettings answered without DataLakeSettings");
	return s;
}

/* admins list */
gboolean cli_admins_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {{"ADMINISTRATOR", "DataLakePrincipalIdentifier", NULL, FALSE}};
	if (!cli_parse(g, &argc, &argv, NULL, "", "Lists the data lake administrators (GetDataLakeSettings).", 0, error))
		return FALSE;
	g_autoptr(JsonObject) answer = cli_call_lakeformation(g, "GetDataLakeSettings", NULL, error);
	JsonObject *settings = cli_settings_of(answer, error);
	if (settings == NULL)
		return FALSE;
	g_autoptr(JsonObject) out = json_object_new();
	JsonArray *admins = json_object_has_member(settings, "DataLakeAdmins")
	                        ? json_array_ref(json_object_get_array_member(settings, "DataLakeAdmins"))
	                        : json_array_new();
	json_object_set_array_member(out, "DataLakeAdmins", admins);
	cli_print(g, out, "DataLakeAdmins", cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* admins add|remove NAME|ARN: read-modify-write of DataLakeAdmins. */
static gboolean cli_admins_change(CliGlobal *g, int argc, char **argv, gboolean add, GError **error)
{
	if (!cli_parse(g, &argc, &argv, NULL, "NAME|ARN",
	               add ? "Makes a principal a data lake administrator (Get/PutDataLakeSettings)."
	                   : "Removes a data lake administrator (Get/PutDataLakeSettings).",
	               1, error))
		return FALSE;
	g_autofree char *arn = cli_resolve_principal(g, argv[1], error);
	if (arn == NULL)
		return FALSE;
	g_autoptr(JsonObject) answer = cli_call_lakeformation(g, "GetDataLakeSettings", NULL, error);
	JsonObject *settings = cli_settings_of(answer, error);
	if (settings == NULL)
		return FALSE;
	JsonArray *old = json_object_has_member(settings, "DataLakeAdmins")
	                     ? json_object_get_array_member(settings, "DataLakeAdmins")
	                     : NULL;
	JsonArray *admins = json_array_new();
	gboolean present = FALSE;
	for (guint i = 0; old && i < json_array_get_length(old); i++) {
		JsonObject *p = json_array_get_object_element(old, i);
		gboolean same = p && g_strcmp0(json_object_get_string_member_with_default(p, "DataLakePrincipalIdentifier",
		                                                                         NULL), arn) == 0;
		present = present || same;
		if (!same || add)
			json_array_add_element(admins, json_node_copy(json_array_get_element(old, i)));
	}
	if (add && !present)
		json_array_add_object_element(admins, cli_lf_principal(arn));
	if (!add && !present) {
		json_array_unref(admins);
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s is not a data lake administrator", arn);
		return FALSE;
	}
	json_object_set_array_member(settings, "DataLakeAdmins", admins);
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_object_member(body, "DataLakeSettings", json_object_ref(settings));
	g_autoptr(JsonObject) put = cli_call_lakeformation(g, "PutDataLakeSettings", body, error);
	if (put == NULL)
		return FALSE;
	static const CliColumn cols[] = {{"ADMINISTRATOR", "DataLakePrincipalIdentifier", NULL, FALSE}};
	g_autoptr(JsonObject) out = json_object_new();
	json_object_set_array_member(out, "DataLakeAdmins", json_array_ref(admins));
	cli_print(g, out, "DataLakeAdmins", cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* admins add NAME|ARN */
gboolean cli_admins_add(CliGlobal *g, int argc, char **argv, GError **error)
{
	return cli_admins_change(g, argc, argv, TRUE, error);
}

/* admins remove NAME|ARN */
gboolean cli_admins_remove(CliGlobal *g, int argc, char **argv, GError **error)
{
	return cli_admins_change(g, argc, argv, FALSE, error);
}
