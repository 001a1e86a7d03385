/*
 * settings.c — `propolis settings show|set` and `propolis resources register|deregister|list|describe`:
 * the data lake settings (Lake Formation GetDataLakeSettings / PutDataLakeSettings) with the
 * database creators (CREATE_DATABASE on the catalog, e.g. IAM_ALLOWED_PRINCIPALS'), and the
 * registered data locations (RegisterResource, DeregisterResource, ListResources, DescribeResource).
 *
 * settings set is a read-modify-write: what no option names is put back as it was read. All of
 * these are for data lake administrators (show: read-only administrators too); a grantor never
 * needs them. Locations are given as s3://BUCKET/PREFIX or as ARNs.
 */
#include <string.h>

#include "cli/cli.h"

#define CLI_IAM_ALLOWED "IAM_ALLOWED_PRINCIPALS"

/* [{DataLakePrincipalIdentifier: arn}] of a comma-separated list of names or ARNs; NULL with error. */
static JsonArray *cli_principal_arns(CliGlobal *g, const char *text, GError **error)
{
	g_autoptr(JsonArray) out = json_array_new();
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);
	for (guint i = 0; parts[i]; i++) {
		char *p = g_strstrip(parts[i]);
		if (*p == '\0')
			continue;
		g_autofree char *arn = cli_resolve_principal(g, p, "user", error);
		if (arn == NULL)
			return NULL;
		json_array_add_object_element(out, cli_lf_principal(arn));
	}
	return g_steal_pointer(&out);
}

/* [] or [{Principal: IAM_ALLOWED_PRINCIPALS, Permissions: [ALL]}] for "none" / "iam"; NULL with USAGE. */
static JsonArray *cli_default_permissions(const char *option, const char *v, GError **error)
{
	if (strcmp(v, "none") == 0)
		return json_array_new();
	if (strcmp(v, "iam") != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s takes iam or none, not '%s'", option, v);
		return NULL;
	}
	JsonArray *a = json_array_new();
	JsonObject *e = json_object_new();
	json_object_set_object_member(e, "Principal", cli_lf_principal(CLI_IAM_ALLOWED));
	JsonArray *perms = json_array_new();
	json_array_add_string_element(perms, "ALL");
	json_object_set_array_member(e, "Permissions", perms);
	json_array_add_object_element(a, e);
	return a;
}

/* on → TRUE, off → FALSE; else USAGE. */
static gboolean cli_on_off(const char *option, const char *v, gboolean *out, GError **error)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "off") == 0) {
		*out = strcmp(v, "on") == 0;
		return TRUE;
	}
	g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s takes on or off, not '%s'", option, v);
	return FALSE;
}

/* The principals holding CREATE_DATABASE on the catalog: [{Principal, Grantable}]; NULL with error. */
static JsonArray *cli_database_creators(CliGlobal *g, GError **error)
{
	g_autoptr(JsonObject) body = json_object_new();
	JsonObject *r = json_object_new();
	json_object_set_object_member(r, "Catalog", json_object_new());
	json_object_set_object_member(body, "Resource", r);
	g_autoptr(JsonObject) all = cli_lf_all_pages(g, "ListPermissions", body, "PrincipalResourcePermissions", error);
	if (all == NULL)
		return NULL;
	JsonArray *rows = json_object_get_array_member(all, "PrincipalResourcePermissions");
	JsonArray *out = json_array_new();
	for (guint i = 0; i < json_array_get_length(rows); i++) {
		JsonObject *row = json_array_get_object_element(rows, i);
		JsonObject *res = row ? json_object_get_object_member(row, "Resource") : NULL;
		JsonArray *perms = row && json_object_has_member(row, "Permissions")
		                       ? json_object_get_array_member(row, "Permissions")
		                       : NULL;
		JsonArray *grant = row && json_object_has_member(row, "PermissionsWithGrantOption")
		                       ? json_object_get_array_member(row, "PermissionsWithGrantOption")
		                       : NULL;
		gboolean creates = FALSE, grantable = FALSE;
		for (guint k = 0; perms && k < json_array_get_length(perms); k++)
			creates = creates || g_strcmp0(json_array_get_string_element(perms, k), "CREATE_DATABASE") == 0;
		for (guint k = 0; grant && k < json_array_get_length(grant); k++)
			grantable = grantable || g_strcmp0(json_array_get_string_element(grant, k), "CREATE_DATABASE") == 0;
		if (!creates || res == NULL || !json_object_has_member(res, "Catalog"))
			continue;
		JsonObject *p = json_object_get_object_member(row, "Principal");
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "Principal",
		                              json_object_get_string_member_with_default(p, "DataLakePrincipalIdentifier", "?"));
		json_object_set_boolean_member(o, "Grantable", grantable);
		json_array_add_object_element(out, o);
	}
	return out;
}

/* The DataLakeSettings object of GetDataLakeSettings (new), or NULL with error. */
static JsonObject *cli_settings_get(CliGlobal *g, GError **error)
{
	g_autoptr(JsonObject) answer = cli_call_lakeformation(g, "GetDataLakeSettings", NULL, error);
	if (answer == NULL)
		return NULL;
	JsonNode *s = json_object_get_member(answer, "DataLakeSettings");
	if (s == NULL || !JSON_NODE_HOLDS_OBJECT(s)) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_HTTP, "GetDataLakeSettings answered without DataLakeSettings");
		return NULL;
	}
	return json_object_ref(json_node_get_object(s));
}

/* One {Setting, Value} row of the table view; value a JSON node shown as text. */
static void cli_setting_row(JsonArray *rows, const char *name, JsonObject *s, const char *member)
{
	JsonObject *row = json_object_new();
	json_object_set_string_member(row, "Setting", name);
	JsonNode *v = s ? json_object_get_member(s, member) : NULL;
	g_autofree char *text = v ? json_to_string(v, FALSE) : g_strdup("-");
	json_object_set_string_member(row, "Value", text);
	json_array_add_object_element(rows, row);
}

/* settings show */
gboolean cli_settings_show(CliGlobal *g, int argc, char **argv, GError **error)
{
	if (!cli_parse(g, &argc, &argv, NULL, "",
	               "Shows the data lake settings (GetDataLakeSettings: administrators, read-only administrators,\n"
	               "default permissions for new databases and tables, trusted-engine settings) and the\n"
	               "database creators (CREATE_DATABASE on the catalog, IAM_ALLOWED_PRINCIPALS' among them).\n"
	               "Data lake administrators and read-only administrators only.",
	               0, error))
		return FALSE;
	g_autoptr(JsonObject) settings = cli_settings_get(g, error);
	JsonArray *creators = settings ? cli_database_creators(g, error) : NULL;
	if (creators == NULL)
		return FALSE;
	g_autoptr(JsonObject) out = json_object_new();
	json_object_set_object_member(out, "DataLakeSettings", json_object_ref(settings));
	json_object_set_array_member(out, "DatabaseCreators", creators);
	if (g->output && strcmp(g->output, "table") == 0) {
		static const char *const members[] = {
			"DataLakeAdmins", "ReadOnlyAdmins", "CreateDatabaseDefaultPermissions", "CreateTableDefaultPermissions",
			"AllowExternalDataFiltering", "ExternalDataFilteringAllowList", "AuthorizedSessionTagValueList",
			"AllowFullTableExternalDataAccess", "TrustedResourceOwners"};
		g_autoptr(JsonObject) view = json_object_new();
		JsonArray *rows = json_array_new();
		for (guint i = 0; i < G_N_ELEMENTS(members); i++)
			cli_setting_row(rows, members[i], settings, members[i]);
		cli_setting_row(rows, "DatabaseCreators", out, "DatabaseCreators");
		json_object_set_array_member(view, "Settings", rows);
		static const CliColumn cols[] = {{"SETTING", "Setting", NULL, FALSE}, {"VALUE", "Value", NULL, FALSE}};
		cli_print(g, view, "Settings", cols, G_N_ELEMENTS(cols));
		return TRUE;
	}
	cli_print(g, out, NULL, NULL, 0);
	return TRUE;
}

/* What settings set reads from the command line. */
typedef struct {
	char *admins, *readonly, *db_default, *table_default, *creators, *filtering, *allow_list, *tags, *full_table;
} CliSettingsArgs;

static void cli_settings_args_clear(CliSettingsArgs *a)
{
	g_free(a->admins);
	g_free(a->readonly);
	g_free(a->db_default);
	g_free(a->table_default);
	g_free(a->creators);
	g_free(a->filtering);
	g_free(a->allow_list);
	g_free(a->tags);
	g_free(a->full_table);
}

/* A JSON array of the comma-separated strings of text. */
static JsonArray *cli_strings(const char *text)
{
	JsonArray *a = json_array_new();
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);
	for (guint i = 0; parts[i]; i++)
		if (*g_strstrip(parts[i]) != '\0')
			json_array_add_string_element(a, parts[i]);
	return a;
}

/* Applies the options to s (the settings read); FALSE with error. */
static gboolean cli_settings_apply(CliGlobal *g, const CliSettingsArgs *a, JsonObject *s, GError **error)
{
	JsonArray *arr = NULL;
	gboolean on = FALSE;
	if (a->admins && !(arr = cli_principal_arns(g, a->admins, error)))
		return FALSE;
	if (arr)
		json_object_set_array_member(s, "DataLakeAdmins", g_steal_pointer(&arr));
	if (a->readonly && !(arr = cli_principal_arns(g, a->readonly, error)))
		return FALSE;
	if (arr)
		json_object_set_array_member(s, "ReadOnlyAdmins", g_steal_pointer(&arr));
	if (a->db_default && !(arr = cli_default_permissions("--create-database-default", a->db_default, error)))
		return FALSE;
	if (arr)
		json_object_set_array_member(s, "CreateDatabaseDefaultPermissions", g_steal_pointer(&arr));
	if (a->table_default && !(arr = cli_default_permissions("--create-table-default", a->table_default, error)))
		return FALSE;
	if (arr)
		json_object_set_array_member(s, "CreateTableDefaultPermissions", g_steal_pointer(&arr));
	if (a->filtering && !cli_on_off("--allow-external-filtering", a->filtering, &on, error))
		return FALSE;
	if (a->filtering)
		json_object_set_boolean_member(s, "AllowExternalDataFiltering", on);
	if (a->full_table && !cli_on_off("--allow-full-table-external-access", a->full_table, &on, error))
		return FALSE;
	if (a->full_table)
		json_object_set_boolean_member(s, "AllowFullTableExternalDataAccess", on);
	if (a->allow_list) {
		JsonArray *list = json_array_new();
		g_auto(GStrv) ids = g_strsplit(a->allow_list, ",", -1);
		for (guint i = 0; ids[i]; i++)
			if (*g_strstrip(ids[i]) != '\0')
				json_array_add_object_element(list, cli_lf_principal(ids[i]));
		json_object_set_array_member(s, "ExternalDataFilteringAllowList", list);
	}
	if (a->tags)
		json_object_set_array_member(s, "AuthorizedSessionTagValueList", cli_strings(a->tags));
	return TRUE;
}

/* Grants or revokes CREATE_DATABASE on the catalog to IAM_ALLOWED_PRINCIPALS unless it already is so. */
static gboolean cli_set_iam_creators(CliGlobal *g, gboolean on, GError **error)
{
	g_autoptr(JsonArray) creators = cli_database_creators(g, error);
	if (creators == NULL)
		return FALSE;
	gboolean held = FALSE;
	for (guint i = 0; i < json_array_get_length(creators); i++)
		held = held || g_strcmp0(json_object_get_string_member(json_array_get_object_element(creators, i), "Principal"),
		                         CLI_IAM_ALLOWED) == 0;
	if (held == on)
		return TRUE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_object_member(body, "Principal", cli_lf_principal(CLI_IAM_ALLOWED));
	JsonObject *r = json_object_new();
	json_object_set_object_member(r, "Catalog", json_object_new());
	json_object_set_object_member(body, "Resource", r);
	JsonArray *perms = json_array_new();
	json_array_add_string_element(perms, "CREATE_DATABASE");
	json_object_set_array_member(body, "Permissions", perms);
	g_autoptr(JsonObject) answer =
		cli_call_lakeformation(g, on ? "GrantPermissions" : "RevokePermissions", body, error);
	return answer != NULL;
}

/* settings set [--admins L] [--read-only-admins L] [--create-database-default iam|none] ... */
gboolean cli_settings_set(CliGlobal *g, int argc, char **argv, GError **error)
{
	CliSettingsArgs a = {0};
	const GOptionEntry entries[] = {
		{"admins", 0, 0, G_OPTION_ARG_STRING, &a.admins, "Replace the data lake administrators", "NAME|ARN,..."},
		{"read-only-admins", 0, 0, G_OPTION_ARG_STRING, &a.readonly, "Replace the read-only administrators",
		 "NAME|ARN,..."},
		{"create-database-default", 0, 0, G_OPTION_ARG_STRING, &a.db_default,
		 "New databases: iam (ALL to IAM_ALLOWED_PRINCIPALS, IAM access control only) or none (Lake Formation "
		 "grants)",
		 "iam|none"},
		{"create-table-default", 0, 0, G_OPTION_ARG_STRING, &a.table_default, "New tables: iam or none", "iam|none"},
		{"iam-allowed-database-creators", 0, 0, G_OPTION_ARG_STRING, &a.creators,
		 "Grant (on) or revoke (off) CREATE_DATABASE on the catalog to IAM_ALLOWED_PRINCIPALS", "on|off"},
		{"allow-external-filtering", 0, 0, G_OPTION_ARG_STRING, &a.filtering,
		 "Trusted engines may filter data (AllowExternalDataFiltering)", "on|off"},
		{"external-filtering-allow-list", 0, 0, G_OPTION_ARG_STRING, &a.allow_list,
		 "Accounts or ARNs of trusted engines (ExternalDataFilteringAllowList)", "ID,..."},
		{"session-tag-values", 0, 0, G_OPTION_ARG_STRING, &a.tags,
		 "Session tag values trusted engines present (AuthorizedSessionTagValueList)", "V,..."},
		{"allow-full-table-external-access", 0, 0, G_OPTION_ARG_STRING, &a.full_table,
		 "Trusted engines may read whole tables without filtering (AllowFullTableExternalDataAccess)", "on|off"},
		G_OPTION_ENTRY_NULL,
	};
	gboolean ok = cli_parse(g, &argc, &argv, entries, "",
	                        "Changes the data lake settings: reads them (GetDataLakeSettings), changes what the options\n"
	                        "name, puts them back whole (PutDataLakeSettings). Data lake administrators only.\n"
	                        "Prints the settings as they are afterwards, as settings show does.",
	                        0, error);
	gboolean creators_on = FALSE;
	if (ok && !a.admins && !a.readonly && !a.db_default && !a.table_default && !a.creators && !a.filtering &&
	    !a.allow_list && !a.tags && !a.full_table) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: name at least one setting (try --help)", argv[0]);
		ok = FALSE;
	}
	ok = ok && (!a.creators || cli_on_off("--iam-allowed-database-creators", a.creators, &creators_on, error));
	gboolean changes_settings = a.admins || a.readonly || a.db_default || a.table_default || a.filtering ||
	                            a.allow_list || a.tags || a.full_table;
	g_autoptr(JsonObject) s = ok && changes_settings ? cli_settings_get(g, error) : NULL;
	ok = ok && (!changes_settings || (s && cli_settings_apply(g, &a, s, error)));
	if (ok && changes_settings) {
		g_autoptr(JsonObject) body = json_object_new();
		json_object_set_object_member(body, "DataLakeSettings", json_object_ref(s));
		g_autoptr(JsonObject) put = cli_call_lakeformation(g, "PutDataLakeSettings", body, error);
		ok = put != NULL;
	}
	ok = ok && (!a.creators || cli_set_iam_creators(g, creators_on, error));
	cli_settings_args_clear(&a);
	if (!ok)
		return FALSE;
	char *show[] = {argv[0], NULL};
	return cli_settings_show(g, 1, show, error);
}

/* ---- resources ---- */

static const CliColumn cli_resource_cols[] = {
	{"LOCATION", "ResourceArn", NULL, FALSE},
	{"ROLE", "RoleArn", NULL, FALSE},
	{"HYBRID", "HybridAccessEnabled", NULL, FALSE},
	{"FEDERATION", "WithFederation", NULL, FALSE},
	{"MODIFIED", "LastModified", NULL, TRUE},
};

/* resources register LOCATION [--role-arn ARN] [--hybrid-access] [--with-federation] */
gboolean cli_resources_register(CliGlobal *g, int argc, char **argv, GError **error)
{
	g_autofree char *role = NULL;
	gboolean hybrid = FALSE, federation = FALSE;
	const GOptionEntry entries[] = {
		{"role-arn", 0, 0, G_OPTION_ARG_STRING, &role, "The role that reads the data (default: the service-linked role)",
		 "ARN"},
		{"hybrid-access", 0, 0, G_OPTION_ARG_NONE, &hybrid, "HybridAccessEnabled: IAM and Lake Formation both apply",
		 NULL},
		{"with-federation", 0, 0, G_OPTION_ARG_NONE, &federation, "WithFederation", NULL},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "s3://BUCKET/PREFIX|ARN",
	               "Registers a data location (RegisterResource): tables and databases under it then need\n"
	               "DATA_LOCATION_ACCESS on it. Data lake administrators only. Prints the registration.",
	               1, error))
		return FALSE;
	g_autofree char *arn = cli_location_arn("LOCATION", argv[1], error);
	if (arn == NULL)
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_string_member(body, "ResourceArn", arn);
	if (role)
		json_object_set_string_member(body, "RoleArn", role);
	else
		json_object_set_boolean_member(body, "UseServiceLinkedRole", TRUE);
	if (hybrid)
		json_object_set_boolean_member(body, "HybridAccessEnabled", TRUE);
	if (federation)
		json_object_set_boolean_member(body, "WithFederation", TRUE);
	g_autoptr(JsonObject) put = cli_call_lakeformation(g, "RegisterResource", body, error);
	if (put == NULL)
		return FALSE;
	char *describe[] = {argv[0], argv[1], NULL};
	return cli_resources_describe(g, 2, describe, error);
}

/* resources deregister LOCATION */
gboolean cli_resources_deregister(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {{"DEREGISTERED", "ResourceArn", NULL, FALSE}};
	if (!cli_parse(g, &argc, &argv, NULL, "s3://BUCKET/PREFIX|ARN",
	               "Deregisters a data location (DeregisterResource). Data lake administrators only.", 1, error))
		return FALSE;
	g_autofree char *arn = cli_location_arn("LOCATION", argv[1], error);
	if (arn == NULL)
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_string_member(body, "ResourceArn", arn);
	g_autoptr(JsonObject) answer = cli_call_lakeformation(g, "DeregisterResource", body, error);
	if (answer == NULL)
		return FALSE;
	if (g->output && strcmp(g->output, "table") == 0)
		json_object_set_string_member(answer, "ResourceArn", arn);
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* resources list */
gboolean cli_resources_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	if (!cli_parse(g, &argc, &argv, NULL, "",
	               "Lists the registered data locations (ListResources, every page). Data lake administrators only.", 0,
	               error))
		return FALSE;
	g_autoptr(JsonObject) result = cli_lf_all_pages(g, "ListResources", NULL, "ResourceInfoList", error);
	if (result == NULL)
		return FALSE;
	cli_print(g, result, "ResourceInfoList", cli_resource_cols, G_N_ELEMENTS(cli_resource_cols));
	return TRUE;
}

/* resources describe LOCATION */
gboolean cli_resources_describe(CliGlobal *g, int argc, char **argv, GError **error)
{
	if (!cli_parse(g, &argc, &argv, NULL, "s3://BUCKET/PREFIX|ARN",
	               "Describes one registered data location (DescribeResource). Data lake administrators only.", 1,
	               error))
		return FALSE;
	g_autofree char *arn = cli_location_arn("LOCATION", argv[1], error);
	if (arn == NULL)
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_string_member(body, "ResourceArn", arn);
	g_autoptr(JsonObject) answer = cli_call_lakeformation(g, "DescribeResource", body, error);
	if (answer == NULL)
		return FALSE;
	JsonNode *info = json_object_get_member(answer, "ResourceInfo");
	if (g->output && strcmp(g->output, "table") == 0 && info && JSON_NODE_HOLDS_OBJECT(info)) {
		cli_print(g, json_node_get_object(info), NULL, cli_resource_cols, G_N_ELEMENTS(cli_resource_cols));
		return TRUE;
	}
	cli_print(g, answer, NULL, cli_resource_cols, G_N_ELEMENTS(cli_resource_cols));
	return TRUE;
}
