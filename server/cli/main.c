/*
 * main.c — `propolis`, the admin CLI: global options, the command table and the one error path.
 *
 * Global options (--endpoint, --credentials, --profile, --region, --output) may stand anywhere
 * on the line; they are taken out first, then the command words pick a command, which parses
 * its own options (GOption, so each has --help). Exit status: 0 on success, 1 with one line
 * "propolis: <message>" on stderr otherwise (a server error's message starts with its AWS
 * type, e.g. "AccessDeniedException: ..."). Nothing is printed on stdout on failure.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "cli/cli.h"

G_DEFINE_QUARK(propolis-cli-error-quark, cli_error)

static const CliCommand cli_commands[] = {
	{"principal", "create", cli_principal_create, "create a user or role with an access key"},
	{"principal", "list", cli_principal_list, "list principals with their groups and access keys"},
	{"principal", "delete", cli_principal_delete, "delete a principal and its access keys"},
	{"principal", "rotate-key", cli_principal_rotate_key, "give a principal a new access key; old keys stop working"},
	{"principal", "set-groups", cli_principal_set_groups, "replace the groups a principal is in"},
	{"grant", NULL, cli_grant, "grant Lake Formation permissions on a resource"},
	{"revoke", NULL, cli_revoke, "revoke Lake Formation permissions on a resource"},
	{"permissions", "list", cli_permissions_list, "list Lake Formation permissions"},
	{"admins", "list", cli_admins_list, "list the data lake administrators"},
	{"admins", "add", cli_admins_add, "make a principal a data lake administrator"},
	{"admins", "remove", cli_admins_remove, "remove a data lake administrator"},
	{"audit", NULL, cli_audit, "list authorization decisions from the audit table"},
	{"locks", "list", cli_locks_list, "list Hive locks with holder, age and last heartbeat"},
	{"locks", "release", cli_locks_release, "release a Hive lock by id"},
	{"tokens", "list", cli_tokens_list, "list Hive delegation tokens (owner, renewer, max date)"},
	{"tokens", "cancel", cli_tokens_cancel, "cancel a Hive delegation token by identifier"},
};

/* The global options bound to g. */
static void cli_global_entries(CliGlobal *g, GOptionEntry out[6])
{
	const GOptionEntry entries[] = {
		{"endpoint", 0, 0, G_OPTION_ARG_STRING, &g->endpoint, "Server HTTP endpoint (default http://127.0.0.1:9084)",
		 "URL"},
		{"credentials", 0, 0, G_OPTION_ARG_FILENAME, &g->credentials,
		 "AWS credentials file (default $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials)", "FILE"},
		{"profile", 0, 0, G_OPTION_ARG_STRING, &g->profile, "Profile in the credentials file (default \"default\")",
		 "NAME"},
		{"region", 0, 0, G_OPTION_ARG_STRING, &g->region, "Region for SigV4 signing (default us-east-1)", "REGION"},
		{"output", 0, 0, G_OPTION_ARG_STRING, &g->output, "Output format: json (default) or table", "FORMAT"},
		G_OPTION_ENTRY_NULL,
	};
	memcpy(out, entries, sizeof entries);
}

/* Parses a command's options; see cli.h. */
gboolean cli_parse(CliGlobal *g, int *argc, char ***argv, const GOptionEntry *entries, const char *params,
                   const char *summary, int n_args, GError **error)
{
	GOptionEntry global[6];
	cli_global_entries(g, global);
	g_autoptr(GOptionContext) ctx = g_option_context_new(params);
	g_option_context_set_summary(ctx, summary);
	if (entries != NULL)
		g_option_context_add_main_entries(ctx, entries, NULL);
	GOptionGroup *group = g_option_group_new("global", "Global options:", "Show the global options", NULL, NULL);
	g_option_group_add_entries(group, global);
	g_option_context_add_group(ctx, group);
	GError *perr = NULL;
	if (!g_option_context_parse(ctx, argc, argv, &perr)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: %s (try --help)", (*argv)[0], perr->message);
		g_error_free(perr);
		return FALSE;
	}
	for (int i = 1; i < *argc; i++)
		if ((*argv)[i][0] == '-' && (*argv)[i][1] != '\0') {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: unknown option %s (try --help)", (*argv)[0], (*argv)[i]);
			return FALSE;
		}
	if (n_args >= 0 && *argc - 1 != n_args) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: expected %s (try --help)", (*argv)[0],
		            params && *params ? params : "no arguments");
		return FALSE;
	}
	return TRUE;
}

/* Prints the command list (for `propolis --help` and a missing or unknown command). */
static void cli_usage(FILE *out, const char *group)
{
	fprintf(out, "Usage: propolis [GLOBAL OPTIONS] COMMAND [ARGS]\n\n"
	             "The Propolis admin CLI: principals, Lake Formation permissions, audit, locks.\n\nCommands:\n");
	for (guint i = 0; i < G_N_ELEMENTS(cli_commands); i++) {
		const CliCommand *c = &cli_commands[i];
		if (group && strcmp(group, c->group) != 0)
			continue;
		g_autofree char *words = g_strjoin(" ", c->group, c->name, NULL);
		fprintf(out, "  %-24s %s\n", words, c->summary);
	}
	fprintf(out, "\nGlobal options:\n"
	             "  --endpoint URL       server HTTP endpoint (default http://127.0.0.1:9084)\n"
	             "  --credentials FILE   AWS credentials file (default $AWS_SHARED_CREDENTIALS_FILE or "
	             "~/.aws/credentials)\n"
	             "  --profile NAME       profile in the credentials file (default \"default\")\n"
	             "  --region REGION      region for SigV4 signing (default us-east-1)\n"
	             "  --output FORMAT      json (default) or table\n\n"
	             "Each command takes --help.\n");
}

/* Takes the global options out of argv (anywhere on the line). */
static gboolean cli_parse_global(CliGlobal *g, int *argc, char ***argv, GError **error)
{
	GOptionEntry global[6];
	cli_global_entries(g, global);
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_option_context_add_main_entries(ctx, global, NULL);
	g_option_context_set_help_enabled(ctx, FALSE);
	g_option_context_set_ignore_unknown_options(ctx, TRUE);
	GError *perr = NULL;
	if (!g_option_context_parse(ctx, argc, argv, &perr)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s (try --help)", perr->message);
		g_error_free(perr);
		return FALSE;
	}
	if (g->output && strcmp(g->output, "json") != 0 && strcmp(g->output, "table") != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--output must be json or table, not '%s'", g->output);
		return FALSE;
	}
	return TRUE;
}

/* Finds the command argv names and runs it with argv[0] = "propolis <words>". */
static gboolean cli_dispatch(CliGlobal *g, int argc, char **argv, GError **error)
{
	const char *word = argc > 1 ? argv[1] : NULL;
	if (word == NULL) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE, "no command given (try propolis --help)");
		return FALSE;
	}
	if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0 || strcmp(word, "help") == 0) {
		cli_usage(stdout, NULL);
		return TRUE;
	}
	gboolean group_known = FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(cli_commands); i++) {
		const CliCommand *c = &cli_commands[i];
		if (strcmp(c->group, word) != 0)
			continue;
		group_known = TRUE;
		const char *sub = argc > 2 ? argv[2] : NULL;
		if (c->name != NULL && (sub == NULL || strcmp(sub, c->name) != 0))
			continue;
		int skip = c->name ? 2 : 1;
		g_autofree char *title = g_strjoin(" ", "propolis", c->group, c->name, NULL);
		g_set_prgname(title); /* GOption's "Usage:" line */
		char **args = g_new0(char *, (gsize)(argc - skip) + 2);
		args[0] = title;
		for (int k = skip + 1; k < argc; k++)
			args[k - skip] = argv[k];
		gboolean ok = c->run(g, argc - skip, args, error);
		g_free(args);
		return ok;
	}
	if (group_known) {
		const char *sub = argc > 2 ? argv[2] : NULL;
		if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)) {
			cli_usage(stdout, word);
			return TRUE;
		}
		if (sub)
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: unknown subcommand '%s' (try propolis %s --help)", word,
			            sub, word);
		else
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s: missing subcommand (try propolis %s --help)", word,
			            word);
		return FALSE;
	}
	g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "unknown command '%s' (try --help)", word);
	return FALSE;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	CliGlobal g = {0};
	GError *error = NULL;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	gboolean ok = cli_parse_global(&g, &argc, &argv, &error) && cli_dispatch(&g, argc, argv, &error);
	if (!ok) {
		g_autofree char *line = g_strdup(error->message);
		g_strdelimit(line, "\r\n", ' ');
		fprintf(stderr, "propolis: %s\n", line);
		g_error_free(error);
	}
	curl_global_cleanup();
	g_free(g.endpoint);
	g_free(g.credentials);
	g_free(g.profile);
	g_free(g.region);
	g_free(g.output);
	g_free(g.key_id);
	if (g.secret != NULL) {
		memset(g.secret, 0, strlen(g.secret));
		g_free(g.secret);
	}
	return ok ? 0 : 1;
}
