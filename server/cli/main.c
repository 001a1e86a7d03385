/*
 * main.c — `propolis`, the admin CLI: global options, dispatch, describe mode and the one error path.
 *
 * Global options (--endpoint, --credentials, --profile, --region, --output) may stand anywhere
 * on the line; they are taken out first, then the command words pick a command, which parses
 * its own options (GOption, so each has --help). The command table is commands.c's. Exit
 * status: 0 on success; 2 for a usage error, 1 for any other failure, each with one line
 * "propolis: <message>" on stderr (a server error's message starts with its AWS type, e.g.
 * "AccessDeniedException: ...", and ends with what to do). Nothing is printed on stdout on
 * failure, except a batch's per-entry failures (exit 1).
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "cli/cli.h"

G_DEFINE_QUARK(propolis-cli-error-quark, cli_error)

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

void cli_describe_free(CliDescribe *d)
{
	if (d == NULL)
		return;
	g_free(d->params);
	g_free(d->summary);
	g_ptr_array_unref(d->options);
	g_free(d);
}

static void cli_option_doc_free(gpointer p)
{
	CliOptionDoc *o = p;
	g_free(o->name);
	g_free(o->arg);
	g_free(o->help);
	g_free(o);
}

/* Describe mode: keeps what the command would parse (copies; the entries are its locals). */
static void cli_describe_record(CliDescribe *d, const GOptionEntry *entries, const char *params, const char *summary)
{
	d->params = g_strdup(params ? params : "");
	d->summary = g_strdup(summary ? summary : "");
	d->options = g_ptr_array_new_with_free_func(cli_option_doc_free);
	for (guint i = 0; entries && entries[i].long_name; i++) {
		CliOptionDoc *o = g_new0(CliOptionDoc, 1);
		o->name = g_strdup(entries[i].long_name);
		o->arg = entries[i].arg == G_OPTION_ARG_NONE ? NULL : g_strdup(entries[i].arg_description);
		o->help = g_strdup(entries[i].description);
		g_ptr_array_add(d->options, o);
	}
}

/* Parses a command's options; see cli.h. */
gboolean cli_parse(CliGlobal *g, int *argc, char ***argv, const GOptionEntry *entries, const char *params,
                   const char *summary, int n_args, GError **error)
{
	if (g->describe != NULL) {
		cli_describe_record(g->describe, entries, params, summary);
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_DESCRIBED, "described");
		return FALSE;
	}
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
	if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0) {
		cli_usage(stdout, NULL);
		return TRUE;
	}
	int skip = 0;
	const CliCommand *c = cli_command_find(argc, argv, &skip);
	if (c != NULL) {
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
	guint n = 0;
	const CliCommand *all = cli_commands(&n);
	gboolean group_known = FALSE;
	for (guint i = 0; i < n; i++)
		group_known = group_known || strcmp(all[i].group, word) == 0;
	if (group_known) {
		const char *sub = argc > 2 ? argv[2] : NULL;
		if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)) {
			cli_usage(stdout, word);
			return TRUE;
		}
		gboolean middle = FALSE; /* "principal keys" without its verb */
		for (guint i = 0; sub && i < n; i++)
			middle = middle || (strcmp(all[i].group, word) == 0 && all[i].name && g_str_has_prefix(all[i].name, sub) &&
			                    all[i].name[strlen(sub)] == ' ');
		if (middle)
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s %s: missing or unknown subcommand (try propolis %s --help)",
			            word, sub, word);
		else if (sub)
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
	int status = ok ? 0 : error->code == CLI_ERROR_USAGE ? 2 : 1;
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
	g_free(g.account);
	if (g.secret != NULL) {
		memset(g.secret, 0, strlen(g.secret));
		g_free(g.secret);
	}
	return status;
}
