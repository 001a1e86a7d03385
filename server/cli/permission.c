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
	char *principal, *permissions, *database, *table, *columns, *excluded, *all_tables, *location, *batch;
	gboolean catalog, grantable, role, group;
} CliGrantArgs;

static JsonObject *cli_obj(JsonObject *o, const char *member);
static const char *cli_str(JsonObject *o, const char *member);

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
	g_free(a->batch);
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
JsonObject *cli_lf_principal(const char *arn)
{
	JsonObject *p = json_object_new();
	json_object_set_string_member(p, "DataLakePrincipalIdentifier", arn);
	return p;
}

/* See cli.h. */
char *cli_location_arn(const char *option, const char *text, GError **error)
{
	if (g_str_has_prefix(text, "s3://") && text[5] != '\0')
		return g_strconcat("arn:aws:s3:::", text + 5, NULL);
	if (g_str_has_prefix(text, "arn:"))
		return g_strdup(text);
	g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s takes s3://BUCKET/PREFIX or an ARN, not '%s'", option, text);
	return NULL;
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
		g_autofree char *arn = cli_location_arn("--location", a->location, error);
		if (arn == NULL) {
			json_object_unref(inner);
			return NULL;
		}
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

/* A batch file's entries: a JSON list, or {"Entries": [...]}; NULL with USAGE naming the file. */
static JsonArray *cli_batch_read(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	GError *e = NULL;
	gboolean read = strcmp(path, "-") == 0 ? FALSE : g_file_get_contents(path, &text, NULL, &e);
	if (strcmp(path, "-") == 0) {
		GString *in = g_string_new(NULL);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
			g_string_append_len(in, buf, (gssize)n);
		text = g_string_free(in, FALSE);
		read = TRUE;
	}
	g_autoptr(JsonParser) p = json_parser_new();
	if (!read || !json_parser_load_from_data(p, text, -1, e ? NULL : &e)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--batch %s: %s", path, e ? e->message : "unreadable");
		g_clear_error(&e);
		return NULL;
	}
	JsonNode *root = json_parser_get_root(p);
	if (root && JSON_NODE_HOLDS_OBJECT(root) && json_object_has_member(json_node_get_object(root), "Entries"))
		root = json_object_get_member(json_node_get_object(root), "Entries");
	if (root == NULL || !JSON_NODE_HOLDS_ARRAY(root) || json_array_get_length(json_node_get_array(root)) == 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--batch %s: expected a non-empty JSON list of entries "
		            "(or {\"Entries\": [...]}; see propolis help grant)", path);
		return NULL;
	}
	return json_array_ref(json_node_get_array(root));
}

/*
 * One batch entry as Lake Formation wants it: Id (given, or its position from 1), Principal
 * ({DataLakePrincipalIdentifier} or a name/ARN string, resolved as --principal), Resource,
 * Permissions, PermissionsWithGrantOption as given. NULL with USAGE.
 */
static JsonObject *cli_batch_entry(CliGlobal *g, JsonNode *n, guint pos, GError **error)
{
	if (!JSON_NODE_HOLDS_OBJECT(n)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--batch: entry %u is not an object", pos);
		return NULL;
	}
	g_autoptr(JsonObject) e = json_object_ref(json_node_get_object(n));
	g_autoptr(JsonObject) out = json_object_new();
	JsonNode *id = json_object_get_member(e, "Id");
	g_autofree char *id_text = id && JSON_NODE_HOLDS_VALUE(id) && json_node_get_value_type(id) == G_TYPE_STRING
	                               ? g_strdup(json_node_get_string(id))
	                               : g_strdup_printf("%u", pos);
	json_object_set_string_member(out, "Id", id_text);
	JsonNode *pr = json_object_get_member(e, "Principal");
	if (pr && JSON_NODE_HOLDS_VALUE(pr) && json_node_get_value_type(pr) == G_TYPE_STRING) {
		g_autofree char *arn = cli_resolve_principal(
			g, json_node_get_string(pr), json_object_get_string_member_with_default(e, "Kind", "user"), error);
		if (arn == NULL)
			return NULL;
		json_object_set_object_member(out, "Principal", cli_lf_principal(arn));
	} else if (pr) {
		json_object_set_member(out, "Principal", json_node_copy(pr));
	}
	static const char *const copy[] = {"Resource", "Permissions", "PermissionsWithGrantOption"};
	for (guint i = 0; i < G_N_ELEMENTS(copy); i++)
		if (json_object_has_member(e, copy[i]))
			json_object_set_member(out, copy[i], json_node_copy(json_object_get_member(e, copy[i])));
	return g_steal_pointer(&out);
}

#define CLI_BATCH_MAX 20 /* Lake Formation's limit of entries per batch call */

/*
 * grant|revoke --batch FILE: BatchGrantPermissions / BatchRevokePermissions, 20 entries a
 * call; prints {Failures: [...]} (every call's), and fails (exit 1) when any entry failed.
 */
static gboolean cli_grant_batch(CliGlobal *g, const char *path, gboolean grant, GError **error)
{
	g_autoptr(JsonArray) entries = cli_batch_read(path, error);
	if (entries == NULL)
		return FALSE;
	guint n = json_array_get_length(entries);
	g_autoptr(JsonArray) all = json_array_new();
	for (guint i = 0; i < n; i++) {
		JsonObject *e = cli_batch_entry(g, json_array_get_element(entries, i), i + 1, error);
		if (e == NULL)
			return FALSE;
		json_array_add_object_element(all, e);
	}
	JsonArray *failures = json_array_new();
	g_autoptr(JsonObject) result = json_object_new();
	json_object_set_array_member(result, "Failures", failures);
	for (guint start = 0; start < n; start += CLI_BATCH_MAX) {
		JsonArray *chunk = json_array_new();
		for (guint i = start; i < n && i < start + CLI_BATCH_MAX; i++)
			json_array_add_element(chunk, json_node_copy(json_array_get_element(all, i)));
		g_autoptr(JsonObject) body = json_object_new();
		json_object_set_array_member(body, "Entries", chunk);
		g_autoptr(JsonObject) answer =
			cli_call_lakeformation(g, grant ? "BatchGrantPermissions" : "BatchRevokePermissions", body, error);
		if (answer == NULL)
			return FALSE;
		JsonNode *f = json_object_get_member(answer, "Failures");
		JsonArray *list = f && JSON_NODE_HOLDS_ARRAY(f) ? json_node_get_array(f) : NULL;
		for (guint i = 0; list && i < json_array_get_length(list); i++)
			json_array_add_element(failures, json_node_copy(json_array_get_element(list, i)));
	}
	guint failed = json_array_get_length(failures);
	if (g->output && strcmp(g->output, "table") == 0) {
		g_autoptr(JsonObject) rows = json_object_new();
		JsonArray *flat = json_array_new();
		for (guint i = 0; i < failed; i++) {
			JsonObject *f = json_array_get_object_element(failures, i);
			JsonObject *req = cli_obj(f, "RequestEntry"), *err = cli_obj(f, "Error");
			JsonObject *row = json_object_new();
			json_object_set_string_member(row, "Id", req ? cli_str(req, "Id") : "?");
			json_object_set_string_member(row, "ErrorCode", err ? cli_str(err, "ErrorCode") : "?");
			json_object_set_string_member(row, "ErrorMessage", err ? cli_str(err, "ErrorMessage") : "?");
			json_array_add_object_element(flat, row);
		}
		json_object_set_array_member(rows, "Failures", flat);
		static const CliColumn tcols[] = {
			{"ID", "Id", NULL, FALSE}, {"ERROR", "ErrorCode", NULL, FALSE}, {"MESSAGE", "ErrorMessage", NULL, FALSE}};
		cli_print(g, rows, "Failures", tcols, G_N_ELEMENTS(tcols));
	} else {
		cli_print(g, result, "Failures", NULL, 0);
	}
	if (failed > 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_FAILED, "%u of %u entries failed (listed on stdout)", failed, n);
		return FALSE;
	}
	return TRUE;
}

/* grant and revoke: same arguments, op GrantPermissions or RevokePermissions. */
static gboolean cli_grant_or_revoke(CliGlobal *g, int argc, char **argv, const char *op, GError **error)
{
	CliGrantArgs a = {0};
	const GOptionEntry entries[] = {
		{"principal", 0, 0, G_OPTION_ARG_STRING, &a.principal,
		 "Who: a user name (or with --role / --group a role or group name), an ARN, an account id or "
		 "IAM_ALLOWED_PRINCIPALS",
		 "NAME|ARN"},
		{"role", 0, 0, G_OPTION_ARG_NONE, &a.role, "--principal NAME is a role (arn:aws:iam::ACCOUNT:role/NAME)", NULL},
		{"group", 0, 0, G_OPTION_ARG_NONE, &a.group, "--principal NAME is a group (arn:aws:iam::ACCOUNT:group/NAME)",
		 NULL},
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
		{"batch", 0, 0, G_OPTION_ARG_FILENAME, &a.batch,
		 "Many at once from FILE (- = stdin): Batch*Permissions, 20 entries a call, failures listed per entry",
		 "FILE"},
		G_OPTION_ENTRY_NULL,
	};
	gboolean grant = strcmp(op, "GrantPermissions") == 0;
	const char *summary =
		grant ? "Grants Lake Formation permissions (POST /GrantPermissions). Administrators may grant anything;\n"
		        "anyone else what it holds with grant option. A bare --principal NAME is the user\n"
		        "arn:aws:iam::ACCOUNT:user/NAME of the caller's account (from WhoAmI; no administrator call).\n"
		        "--batch FILE takes a JSON list of entries {Id?, Principal: NAME|ARN|{DataLakePrincipalIdentifier},\n"
		        "Kind?: user|role|group, Resource: {...as Lake Formation}, Permissions, PermissionsWithGrantOption?};\n"
		        "it prints {Failures: [{RequestEntry, Error}]} and exits 1 when any entry failed."
		      : "Revokes Lake Formation permissions (POST /RevokePermissions); the same arguments as grant.\n"
		        "Revoking what is not held is an InvalidInputException. --batch FILE as for grant\n"
		        "(BatchRevokePermissions).";
	gboolean ok = cli_parse(g, &argc, &argv, entries, "", summary, 0, error);
	if (ok && a.batch != NULL) {
		if (a.principal || a.permissions || a.catalog || a.database || a.table || a.all_tables || a.location ||
		    a.columns || a.excluded || a.grantable) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: --batch goes alone (the file names everything)",
			            argv[0]);
			cli_grant_args_clear(&a);
			return FALSE;
		}
		ok = cli_grant_batch(g, a.batch, grant, error);
		cli_grant_args_clear(&a);
		return ok;
	}
	if (ok && (a.principal == NULL || a.permissions == NULL)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: --principal and --permissions are required (try --help)",
		            argv[0]);
		ok = FALSE;
	}
	const char *kind = ok ? cli_principal_kind(a.role, a.group, error) : NULL;
	g_autoptr(JsonObject) resource = kind ? cli_resource(&a, error) : NULL;
	g_autofree char *arn = resource ? cli_resolve_principal(g, a.principal, kind, error) : NULL;
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
	gboolean role = FALSE, group = FALSE;
	const GOptionEntry entries[] = {
		{"principal", 0, 0, G_OPTION_ARG_STRING, &principal, "Only this principal's permissions", "NAME|ARN"},
		{"role", 0, 0, G_OPTION_ARG_NONE, &role, "--principal NAME is a role", NULL},
		{"group", 0, 0, G_OPTION_ARG_NONE, &group, "--principal NAME is a group", NULL},
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
		const char *kind = cli_principal_kind(role, group, error);
		g_autofree char *arn = kind ? cli_resolve_principal(g, principal, kind, error) : NULL;
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
	g_autoptr(JsonObject) result = cli_lf_all_pages(g, "ListPermissions", body, "PrincipalResourcePermissions", error);
	if (result == NULL)
		return FALSE;
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
	gboolean role = FALSE;
	const GOptionEntry entries[] = {
		{"role", 0, 0, G_OPTION_ARG_NONE, &role, "NAME is a role", NULL},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "NAME|ARN",
	               add ? "Makes a principal a data lake administrator (Get/PutDataLakeSettings)."
	                   : "Removes a data lake administrator (Get/PutDataLakeSettings).",
	               1, error))
		return FALSE;
	g_autofree char *arn = cli_resolve_principal(g, argv[1], role ? "role" : "user", error);
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

/* See cli.h: NextToken followed to the end. */
JsonObject *cli_lf_all_pages(CliGlobal *g, const char *op, JsonObject *body, const char *member, GError **error)
{
	JsonArray *all = json_array_new();
	g_autoptr(JsonObject) result = json_object_new();
	json_object_set_array_member(result, member, all);
	g_autoptr(JsonObject) req = body ? json_object_ref(body) : json_object_new();
	for (guint page = 0;; page++) {
		g_autoptr(JsonObject) answer = cli_call_lakeformation(g, op, req, error);
		if (answer == NULL)
			return NULL;
		JsonNode *items = json_object_get_member(answer, member);
		JsonArray *list = items && JSON_NODE_HOLDS_ARRAY(items) ? json_node_get_array(items) : NULL;
		for (guint i = 0; list && i < json_array_get_length(list); i++)
			json_array_add_element(all, json_node_copy(json_array_get_element(list, i)));
		const char *next = json_object_get_string_member_with_default(answer, "NextToken", NULL);
		if (next == NULL || *next == '\0' || page > 100000)
			break;
		json_object_set_string_member(req, "NextToken", next);
	}
	return g_steal_pointer(&result);
}

/* permissions effective --location URI */
gboolean cli_permissions_effective(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"PRINCIPAL", NULL, cli_row_principal, FALSE},
		{"RESOURCE", NULL, cli_resource_text, FALSE},
		{"PERMISSIONS", "Permissions", NULL, FALSE},
		{"GRANTABLE", "PermissionsWithGrantOption", NULL, FALSE},
	};
	g_autofree char *location = NULL;
	const GOptionEntry entries[] = {
		{"location", 0, 0, G_OPTION_ARG_STRING, &location, "The data location (required)", "s3://B/P|ARN"},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "",
	               "Lists the permissions in effect on a data location and what lies under it\n"
	               "(POST /GetEffectivePermissionsForPath, every page). Administrators see every grant;\n"
	               "others the grants that reach them.",
	               0, error))
		return FALSE;
	if (location == NULL) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: --location is required (try --help)", argv[0]);
		return FALSE;
	}
	g_autofree char *arn = cli_location_arn("--location", location, error);
	if (arn == NULL)
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_string_member(body, "ResourceArn", arn);
	g_autoptr(JsonObject) result = cli_lf_all_pages(g, "GetEffectivePermissionsForPath", body, "Permissions", error);
	if (result == NULL)
		return FALSE;
	cli_print(g, result, "Permissions", cols, G_N_ELEMENTS(cols));
	return TRUE;
}
