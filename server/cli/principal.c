/*
 * principal.c — `propolis principal create|list|delete|rotate-key|set-groups`: IAM-style users
 * and roles through Propolis' own operations (CreatePrincipal, ListPrincipals, DeletePrincipal,
 * RotateAccessKey, UpdatePrincipalGroups).
 *
 * A principal argument is an ARN (sent as Arn) or a name (sent as Name; the server takes a
 * user before a role). A new secret is printed once, by create and rotate-key, and nowhere
 * else: it cannot be read back.
 */
#include <string.h>

#include "cli/cli.h"

static const CliColumn cli_key_cols[] = {
	{"ARN", "Arn", NULL, FALSE},
	{"ACCESS KEY ID", "AccessKeyId", NULL, FALSE},
	{"SECRET ACCESS KEY", "SecretAccessKey", NULL, FALSE},
};

/* {Name: ident} or {Arn: ident}. */
static JsonObject *cli_principal_ref(const char *ident)
{
	JsonObject *body = json_object_new();
	json_object_set_string_member(body, g_str_has_prefix(ident, "arn:") ? "Arn" : "Name", ident);
	return body;
}

/* A JSON array of the strings of v (may be NULL). */
static JsonArray *cli_strv_array(char **v)
{
	JsonArray *a = json_array_new();
	for (guint i = 0; v && v[i]; i++)
		json_array_add_string_element(a, v[i]);
	return a;
}

/* principal create NAME [--role] [--group G]... */
gboolean cli_principal_create(CliGlobal *g, int argc, char **argv, GError **error)
{
	gboolean role = FALSE;
	g_auto(GStrv) groups = NULL;
	const GOptionEntry entries[] = {
		{"role", 0, 0, G_OPTION_ARG_NONE, &role, "Create a role (arn:...:role/NAME) instead of a user", NULL},
		{"group", 0, 0, G_OPTION_ARG_STRING_ARRAY, &groups, "Put the principal in group G (repeatable)", "G"},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "NAME",
	               "Creates a user (or role) with a new access key and prints {Arn, AccessKeyId, SecretAccessKey}.\n"
	               "The secret is shown only here. NAME: 1-64 characters of A-Z a-z 0-9 _+=,.@-",
	               1, error))
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_string_member(body, "Name", argv[1]);
	json_object_set_string_member(body, "Kind", role ? "ROLE" : "USER");
	json_object_set_array_member(body, "Groups", cli_strv_array(groups));
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "CreatePrincipal", body, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, NULL, cli_key_cols, G_N_ELEMENTS(cli_key_cols));
	return TRUE;
}

/* principal list */
gboolean cli_principal_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"NAME", "Name", NULL, FALSE},       {"KIND", "Kind", NULL, FALSE},
		{"ADMIN", "IsAdmin", NULL, FALSE},   {"GROUPS", "Groups", NULL, FALSE},
		{"ACCESS KEYS", "AccessKeyIds", NULL, FALSE}, {"CREATED", "CreationTime", NULL, TRUE},
		{"ARN", "Arn", NULL, FALSE},
	};
	if (!cli_parse(g, &argc, &argv, NULL, "", "Lists every principal with its groups and active access keys.", 0,
	               error))
		return FALSE;
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "ListPrincipals", NULL, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, "Principals", cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* principal delete NAME|ARN */
gboolean cli_principal_delete(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {{"DELETED", "Arn", NULL, FALSE}};
	if (!cli_parse(g, &argc, &argv, NULL, "NAME|ARN",
	               "Deletes a principal and its access keys (the last data lake administrator cannot be deleted).", 1,
	               error))
		return FALSE;
	g_autoptr(JsonObject) body = cli_principal_ref(argv[1]);
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "DeletePrincipal", body, error);
	if (answer == NULL)
		return FALSE;
	if (g->output && strcmp(g->output, "table") == 0)
		json_object_set_string_member(answer, "Arn", argv[1]);
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* principal rotate-key NAME|ARN */
gboolean cli_principal_rotate_key(CliGlobal *g, int argc, char **argv, GError **error)
{
	if (!cli_parse(g, &argc, &argv, NULL, "NAME|ARN",
	               "Gives the principal a new access key and prints it; its old keys stop working at once.", 1, error))
		return FALSE;
	g_autoptr(JsonObject) body = cli_principal_ref(argv[1]);
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "RotateAccessKey", body, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, NULL, cli_key_cols, G_N_ELEMENTS(cli_key_cols));
	return TRUE;
}

/* principal set-groups NAME|ARN [--group G]... */
gboolean cli_principal_set_groups(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {{"ARN", "Arn", NULL, FALSE}, {"GROUPS", "Groups", NULL, FALSE}};
	g_auto(GStrv) groups = NULL;
	const GOptionEntry entries[] = {
		{"group", 0, 0, G_OPTION_ARG_STRING_ARRAY, &groups, "Group G (repeatable; none: no groups)", "G"},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "NAME|ARN", "Replaces the groups the principal is in.", 1, error))
		return FALSE;
	g_autoptr(JsonObject) body = cli_principal_ref(argv[1]);
	json_object_set_array_member(body, "Groups", cli_strv_array(groups));
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "UpdatePrincipalGroups", body, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}
