/*
 * tokens.c — `propolis tokens list` and `propolis tokens cancel ID` (issue 16): the Hive
 * delegation tokens Kerberized clients got from the Thrift door, through
 * Propolis.ListDelegationTokens and Propolis.CancelDelegationToken (administrators only,
 * audited by the server). ID is the token identifier `tokens list` shows (Hive's TOKEN_IDENT);
 * a cancelled token stops working at once on every server sharing the database.
 */
#include <string.h>

#include "cli/cli.h"

/* tokens list */
gboolean cli_tokens_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"TOKEN", "TokenIdentifier", NULL, FALSE},
		{"OWNER", "Owner", NULL, FALSE},
		{"RENEWER", "Renewer", NULL, FALSE},
		{"MAX DATE", "MaxDate", NULL, TRUE},
	};
	if (!cli_parse(g, &argc, &argv, NULL, "", "Lists Hive delegation tokens with owner, renewer and max date.", 0,
	               error))
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "ListDelegationTokens", body, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, "Tokens", cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* tokens cancel ID */
gboolean cli_tokens_cancel(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {{"CANCELLED", "TokenIdentifier", NULL, FALSE}};
	if (!cli_parse(g, &argc, &argv, NULL, "ID", "Cancels Hive delegation token ID (as `tokens list` shows it).", 1,
	               error))
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_string_member(body, "TokenIdentifier", argv[1]);
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "CancelDelegationToken", body, error);
	if (answer == NULL)
		return FALSE;
	if (g->output && strcmp(g->output, "table") == 0)
		json_object_set_string_member(answer, "TokenIdentifier", argv[1]);
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}
