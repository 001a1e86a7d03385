/*
 * commands.c — the one command table of `propolis`, and what is generated from it: dispatch
 * lookup, `propolis --help`, `propolis help COMMAND` (man-page style) and the bash and zsh
 * completion scripts (`propolis completion bash|zsh`).
 *
 * A command's options, parameters and long description are those it hands to cli_parse; help
 * and completion learn them by running the command in describe mode (g->describe set:
 * cli_parse records and stops before anything is parsed or sent), so --help, help and
 * completion can never disagree with what the command accepts.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const CliCommand commands[] = {
	{"whoami", NULL, cli_whoami, "show the caller: ARN, account, groups, administrator or not"},
	{"principal", "create", cli_principal_create, "create a user or role with an access key"},
	{"principal", "list", cli_principal_list, "list principals with their groups and access keys"},
	{"principal", "delete", cli_principal_delete, "delete a principal and its access keys"},
	{"principal", "rotate-key", cli_principal_rotate_key, "give a principal a new access key; old keys stop working"},
	{"principal", "set-groups", cli_principal_set_groups, "replace the groups a principal is in"},
	{"principal", "keys list", cli_keys_list, "list a principal's access keys (yours by default)"},
	{"principal", "keys create", cli_keys_create, "add a second access key (at most two: rotate without downtime)"},
	{"principal", "keys disable", cli_keys_disable, "make an access key inactive"},
	{"principal", "keys enable", cli_keys_enable, "make an access key active again"},
	{"principal", "keys delete", cli_keys_delete, "delete an access key"},
	{"grant", NULL, cli_grant, "grant Lake Formation permissions on a resource (or a batch)"},
	{"revoke", NULL, cli_revoke, "revoke Lake Formation permissions on a resource (or a batch)"},
	{"permissions", "list", cli_permissions_list, "list Lake Formation permissions"},
	{"permissions", "effective", cli_permissions_effective, "effective permissions on a data location and below"},
	{"admins", "list", cli_admins_list, "list the data lake administrators"},
	{"admins", "add", cli_admins_add, "make a principal a data lake administrator"},
	{"admins", "remove", cli_admins_remove, "remove a data lake administrator"},
	{"settings", "show", cli_settings_show, "show the data lake settings and the database creators"},
	{"settings", "set", cli_settings_set, "change data lake settings (the rest is kept)"},
	{"resources", "register", cli_resources_register, "register a data location with Lake Formation"},
	{"resources", "deregister", cli_resources_deregister, "deregister a data location"},
	{"resources", "list", cli_resources_list, "list registered data locations"},
	{"resources", "describe", cli_resources_describe, "describe one registered data location"},
	{"audit", NULL, cli_audit, "list authorization decisions from the audit table"},
	{"locks", "list", cli_locks_list, "list Hive locks with holder, age and last heartbeat"},
	{"locks", "release", cli_locks_release, "release a Hive lock by id"},
	{"txns", "list", cli_txns_list, "list open Hive transactions (and aborted ones holding write ids)"},
	{"txns", "abort", cli_txns_abort, "abort a Hive transaction by id"},
	{"compactions", "list", cli_compactions_list, "list Hive compaction requests"},
	{"tokens", "list", cli_tokens_list, "list Hive delegation tokens (owner, renewer, max date)"},
	{"tokens", "cancel", cli_tokens_cancel, "cancel a Hive delegation token by identifier"},
	{"help", NULL, cli_help, "show the manual page of a command"},
	{"completion", NULL, cli_completion, "print a bash or zsh completion script"},
};

/* Every command (a name of two words, "keys list", makes a three-word command). */
const CliCommand *cli_commands(guint *n)
{
	*n = G_N_ELEMENTS(commands);
	return commands;
}

/* How many words a command's name takes on the line (1, 2 or 3). */
static int cli_command_words(const CliCommand *c)
{
	return c->name == NULL ? 1 : strchr(c->name, ' ') ? 3 : 2;
}

/* See cli.h: the longest match wins (principal keys list before principal ...). */
const CliCommand *cli_command_find(int argc, char **argv, int *words_used)
{
	guint n = 0;
	const CliCommand *all = cli_commands(&n);
	for (guint i = 0; i < n; i++) {
		const CliCommand *c = &all[i];
		int w = cli_command_words(c);
		if (argc <= w || strcmp(argv[1], c->group) != 0)
			continue;
		g_autofree char *line = w == 1 ? NULL : w == 2 ? g_strdup(argv[2]) : g_strjoin(" ", argv[2], argv[3], NULL);
		if (c->name == NULL || strcmp(line, c->name) == 0) {
			*words_used = w;
			return c;
		}
	}
	return NULL;
}

/* "group name" of a command (new). */
static char *cli_command_title(const CliCommand *c)
{
	return g_strjoin(" ", c->group, c->name, NULL);
}

/* See cli.h. */
void cli_usage(FILE *out, const char *group)
{
	fprintf(out, "Usage: propolis [GLOBAL OPTIONS] COMMAND [ARGS]\n\n"
	             "The Propolis admin CLI: principals and keys, Lake Formation permissions, settings and\n"
	             "data locations, audit, locks, transactions.\n\nCommands:\n");
	guint n = 0;
	const CliCommand *all = cli_commands(&n);
	for (guint i = 0; i < n; i++) {
		if (group && strcmp(group, all[i].group) != 0)
			continue;
		g_autofree char *words = cli_command_title(&all[i]);
		fprintf(out, "  %-26s %s\n", words, all[i].summary);
	}
	fprintf(out, "\nGlobal options:\n"
	             "  --endpoint URL       server HTTP endpoint (default http://127.0.0.1:9084)\n"
	             "  --credentials FILE   AWS credentials file (default $AWS_SHARED_CREDENTIALS_FILE or "
	             "~/.aws/credentials)\n"
	             "  --profile NAME       profile in the credentials file (default \"default\")\n"
	             "  --region REGION      region for SigV4 signing (default us-east-1)\n"
	             "  --output FORMAT      json (default) or table\n\n"
	             "Each command takes --help; `propolis help COMMAND` shows its manual page.\n"
	             "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

/* See cli.h. */
CliDescribe *cli_command_describe(const CliCommand *c)
{
	CliGlobal g = {0};
	g.describe = g_new0(CliDescribe, 1);
	g_autofree char *title = g_strjoin(" ", "propolis", c->group, c->name, NULL);
	char *argv[] = {title, NULL};
	GError *error = NULL;
	gboolean ran = c->run(&g, 1, argv, &error);
	g_warn_if_fail(!ran && g_error_matches(error, CLI_ERROR, CLI_ERROR_DESCRIBED));
	g_clear_error(&error);
	if (g.describe->options == NULL) /* a command that parses nothing (help, completion) */
		g.describe->options = g_ptr_array_new();
	return g.describe;
}

/* The manual page of c on out: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, GLOBAL OPTIONS, EXIT STATUS. */
static void cli_man_page(FILE *out, const CliCommand *c)
{
	g_autoptr(CliDescribe) d = cli_command_describe(c);
	g_autofree char *title = cli_command_title(c);
	fprintf(out, "NAME\n    propolis %s - %s\n\nSYNOPSIS\n    propolis [GLOBAL OPTIONS] %s%s%s%s\n\n", title,
	        c->summary, title, d->options->len ? " [OPTIONS]" : "", *d->params ? " " : "", d->params);
	g_auto(GStrv) lines = g_strsplit(d->summary, "\n", -1);
	fprintf(out, "DESCRIPTION\n");
	for (guint i = 0; lines[i]; i++)
		fprintf(out, "    %s\n", lines[i]);
	if (d->options->len > 0)
		fprintf(out, "\nOPTIONS\n");
	for (guint i = 0; i < d->options->len; i++) {
		CliOptionDoc *o = g_ptr_array_index(d->options, i);
		fprintf(out, "    --%s%s%s\n        %s\n", o->name, o->arg ? " " : "", o->arg ? o->arg : "", o->help);
	}
	fprintf(out, "\nGLOBAL OPTIONS\n    --endpoint URL, --credentials FILE, --profile NAME, --region REGION,\n"
	             "    --output json|table (see propolis --help)\n\n"
	             "EXIT STATUS\n    0 on success; 1 on failure, 2 on a usage error, each with one line on stderr\n"
	             "    naming what to fix.\n");
}

/* help [COMMAND WORDS...] */
gboolean cli_help(CliGlobal *g, int argc, char **argv, GError **error)
{
	if (!cli_parse(g, &argc, &argv, NULL, "[COMMAND]",
	               "Shows the manual page of COMMAND (e.g. `propolis help grant`, `propolis help principal keys "
	               "list`),\nor the command list.",
	               -1, error))
		return FALSE;
	if (argc == 1) {
		cli_usage(stdout, NULL);
		return TRUE;
	}
	int used = 0;
	const CliCommand *c = cli_command_find(argc, argv, &used);
	if (c == NULL || used != argc - 1) {
		g_autofree char *words = g_strjoinv(" ", argv + 1);
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "help: no command '%s' (try propolis --help)", words);
		return FALSE;
	}
	cli_man_page(stdout, c);
	return TRUE;
}

/* The options of c as "--a --b" (new). */
static char *cli_option_words(const CliCommand *c)
{
	g_autoptr(CliDescribe) d = cli_command_describe(c);
	GString *s = g_string_new("--help");
	for (guint i = 0; i < d->options->len; i++)
		g_string_append_printf(s, " --%s", ((CliOptionDoc *)g_ptr_array_index(d->options, i))->name);
	return g_string_free(s, FALSE);
}

#define CLI_GLOBALS "--endpoint --credentials --profile --region --output"

/* Adds word to the next-word list of prefix ("" = first word), keeping first-seen order. */
static void cli_next_word(GHashTable *next, GPtrArray *order, const char *prefix, const char *word)
{
	GString *list = g_hash_table_lookup(next, prefix);
	if (list == NULL) {
		list = g_string_new(NULL);
		g_hash_table_insert(next, g_strdup(prefix), list);
		g_ptr_array_add(order, g_strdup(prefix));
	}
	g_autofree char *have = g_strdup_printf(" %s ", list->str);
	g_autofree char *padded = g_strdup_printf(" %s ", word);
	if (strstr(have, padded) == NULL)
		g_string_append_printf(list, "%s%s", list->len ? " " : "", word);
}

static void cli_gstring_free(gpointer s)
{
	g_string_free(s, TRUE);
}

/* The bash script: the command words typed so far pick the next words, or the command's options. */
static void cli_completion_bash(FILE *out)
{
	guint n = 0;
	const CliCommand *all = cli_commands(&n);
	g_autoptr(GHashTable) next = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cli_gstring_free);
	g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);
	fprintf(out, "# bash completion for propolis (generated by `propolis completion bash`)\n"
	             "_propolis() {\n  local cur=\"${COMP_WORDS[COMP_CWORD]}\" w=() i words=\"\" opts=\"\"\n"
	             "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
	             "    case \"${COMP_WORDS[i]}\" in --endpoint|--credentials|--profile|--region|--output) ((i++));;\n"
	             "      -*) ;; *) w+=(\"${COMP_WORDS[i]}\");; esac\n  done\n"
	             "  case \"${w[*]}\" in\n");
	for (guint i = 0; i < n; i++) {
		g_autofree char *title = cli_command_title(&all[i]);
		g_autofree char *opts = cli_option_words(&all[i]);
		fprintf(out, "    \"%s\") opts=\"%s\";;\n", title, opts);
		g_auto(GStrv) parts = g_strsplit(title, " ", -1);
		g_autoptr(GString) prefix = g_string_new(NULL);
		for (guint k = 0; parts[k]; k++) {
			cli_next_word(next, order, prefix->str, parts[k]);
			g_string_append_printf(prefix, "%s%s", k ? " " : "", parts[k]);
		}
	}
	for (guint i = 0; i < order->len; i++) {
		const char *prefix = g_ptr_array_index(order, i);
		GString *list = g_hash_table_lookup(next, prefix);
		fprintf(out, "    \"%s\") words=\"%s\";;\n", prefix, list->str);
	}
	fprintf(out, "  esac\n"
	             "  if [[ \"$cur\" == -* || -z \"$words\" ]]; then words=\"$opts " CLI_GLOBALS "\"; fi\n"
	             "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n"
	             "complete -F _propolis propolis\n");
}

/* The zsh script: the bash one through bashcompinit, so both come from the same table. */
static void cli_completion_zsh(FILE *out)
{
	fprintf(out, "#compdef propolis\n# zsh completion for propolis (generated by `propolis completion zsh`)\n"
	             "autoload -U +X bashcompinit && bashcompinit\n");
	cli_completion_bash(out);
}

/* completion bash|zsh */
gboolean cli_completion(CliGlobal *g, int argc, char **argv, GError **error)
{
	if (!cli_parse(g, &argc, &argv, NULL, "bash|zsh",
	               "Prints a completion script generated from the command table. Install with\n"
	               "  source <(propolis completion bash)      (bash)\n"
	               "  source <(propolis completion zsh)       (zsh)",
	               1, error))
		return FALSE;
	if (strcmp(argv[1], "bash") == 0)
		cli_completion_bash(stdout);
	else if (strcmp(argv[1], "zsh") == 0)
		cli_completion_zsh(stdout);
	else {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "completion: bash or zsh, not '%s'", argv[1]);
		return FALSE;
	}
	return TRUE;
}
