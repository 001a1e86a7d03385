/*
 * key.c — `propolis whoami` and `propolis principal keys list|create|disable|enable|delete`:
 * the caller's identity (Propolis.WhoAmI, which every principal may call) and access keys
 * managed as IAM does (ListAccessKeys, CreateAccessKey, UpdateAccessKey, DeleteAccessKey).
 *
 * A principal may hold two keys, so a key rotates without downtime: keys create, move the
 * clients, keys disable the old one, keys delete it. Without --principal the keys are the
 * caller's own (any principal may manage its own; administrators anyone's). The new secret is
 * printed once, by keys create.
 */
#include <string.h>

#include "cli/cli.h"

/* whoami */
gboolean cli_whoami(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"ARN", "Arn", NULL, FALSE},          {"ACCOUNT", "Account", NULL, FALSE},
		{"GROUPS", "Groups", NULL, FALSE},    {"ADMIN", "IsAdmin", NULL, FALSE},
		{"READ-ONLY ADMIN", "IsReadOnlyAdmin", NULL, FALSE},
	};
	if (!cli_parse(g, &argc, &argv, NULL, "",
	               "Shows who the credentials are (Propolis.WhoAmI, any principal may call it): ARN, account,\n"
	               "groups, and whether it is a data lake administrator or read-only administrator.",
	               0, error))
		return FALSE;
	g_autoptr(JsonObject) answer = cli_whoami_answer(g, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* {Name|Arn: ident} for a principal option (NULL: {} = the caller). */
static JsonObject *cli_key_body(const char *ident)
{
	JsonObject *body = json_object_new();
	if (ident != NULL)
		json_object_set_string_member(body, g_str_has_prefix(ident, "arn:") ? "Arn" : "Name", ident);
	return body;
}

#define CLI_KEY_PRINCIPAL_OPTION(var)                                                                               \
	{"principal", 0, 0, G_OPTION_ARG_STRING, &(var), "Whose keys: a name or ARN (default: the caller's own)",       \
	 "NAME|ARN"}

/* principal keys list [--principal P] */
gboolean cli_keys_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"ACCESS KEY ID", "AccessKeyId", NULL, FALSE},
		{"STATUS", "Status", NULL, FALSE},
		{"CREATED", "CreateDate", NULL, TRUE},
	};
	g_autofree char *principal = NULL;
	const GOptionEntry entries[] = {CLI_KEY_PRINCIPAL_OPTION(principal), G_OPTION_ENTRY_NULL};
	if (!cli_parse(g, &argc, &argv, entries, "",
	               "Lists a principal's access keys with their status (ListAccessKeys). Any principal its own;\n"
	               "data lake administrators anyone's.",
	               0, error))
		return FALSE;
	g_autoptr(JsonObject) body = cli_key_body(principal);
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "ListAccessKeys", body, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, "AccessKeys", cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* principal keys create [--principal P] */
gboolean cli_keys_create(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"ARN", "Arn", NULL, FALSE},
		{"ACCESS KEY ID", "AccessKeyId", NULL, FALSE},
		{"SECRET ACCESS KEY", "SecretAccessKey", NULL, FALSE},
	};
	g_autofree char *principal = NULL;
	const GOptionEntry entries[] = {CLI_KEY_PRINCIPAL_OPTION(principal), G_OPTION_ENTRY_NULL};
	if (!cli_parse(g, &argc, &argv, entries, "",
	               "Adds an access key beside the existing one (CreateAccessKey) and prints it; the secret is\n"
	               "shown only here. At most two keys: to rotate, create, move clients, disable and delete the old.",
	               0, error))
		return FALSE;
	g_autoptr(JsonObject) body = cli_key_body(principal);
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "CreateAccessKey", body, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* keys disable|enable|delete KEY_ID [--principal P]: UpdateAccessKey or DeleteAccessKey. */
static gboolean cli_keys_change(CliGlobal *g, int argc, char **argv, const char *status, GError **error)
{
	static const CliColumn cols[] = {{"ACCESS KEY ID", "AccessKeyId", NULL, FALSE}, {"STATUS", "Status", NULL, FALSE}};
	g_autofree char *principal = NULL;
	const GOptionEntry entries[] = {CLI_KEY_PRINCIPAL_OPTION(principal), G_OPTION_ENTRY_NULL};
	const char *summary = status == NULL ? "Deletes an access key (DeleteAccessKey); it stops working at once."
	                      : strcmp(status, "ACTIVE") == 0
	                          ? "Makes an inactive access key active again (UpdateAccessKey Status=ACTIVE)."
	                          : "Makes an access key inactive (UpdateAccessKey Status=INACTIVE): requests signed with "
	                            "it are refused\nuntil it is enabled again.";
	if (!cli_parse(g, &argc, &argv, entries, "ACCESS_KEY_ID", summary, 1, error))
		return FALSE;
	g_autoptr(JsonObject) body = cli_key_body(principal);
	json_object_set_string_member(body, "AccessKeyId", argv[1]);
	if (status)
		json_object_set_string_member(body, "Status", status);
	g_autoptr(JsonObject) answer = cli_call_propolis(g, status ? "UpdateAccessKey" : "DeleteAccessKey", body, error);
	if (answer == NULL)
		return FALSE;
	json_object_set_string_member(answer, "AccessKeyId", argv[1]);
	json_object_set_string_member(answer, "Status", status ? status : "DELETED");
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}

gboolean cli_keys_disable(CliGlobal *g, int argc, char **argv, GError **error)
{
	return cli_keys_change(g, argc, argv, "INACTIVE", error);
}

gboolean cli_keys_enable(CliGlobal *g, int argc, char **argv, GError **error)
{
	return cli_keys_change(g, argc, argv, "ACTIVE", error);
}

gboolean cli_keys_delete(CliGlobal *g, int argc, char **argv, GError **error)
{
	return cli_keys_change(g, argc, argv, NULL, error);
}
