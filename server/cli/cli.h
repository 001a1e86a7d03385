/*
 * cli.h — what the files of the `propolis` admin CLI share: the global options, the signed
 * HTTP calls to the server, output, and the command table.
 *
 * The CLI is a client of the server's HTTP listener and nothing more: Propolis' own operations
 * (AWS JSON 1.1, X-Amz-Target: Propolis.<Op>, SigV4 signing name `propolis`) and the Lake
 * Formation API (REST-JSON, POST /<Op>, signing name `lakeformation`), signed with
 * auth/sigv4.c's sigv4_sign(), sent with libcurl. Whatever it does, a boto3 script can do too.
 * Ownership: returned objects and strings are new. Single-threaded. Errors: CLI_ERROR, whose
 * message is the one line printed on stderr (for server errors "<AWS error type>: <message>").
 */
#ifndef PROPOLIS_CLI_H
#define PROPOLIS_CLI_H

#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
	CLI_ERROR_USAGE,   /* bad command line */
	CLI_ERROR_CONFIG,  /* credentials file, endpoint */
	CLI_ERROR_HTTP,    /* the server could not be reached or answered garbage */
	CLI_ERROR_SERVICE, /* the server answered with an AWS error: message starts with its type */
	CLI_ERROR_FAILED,  /* the command ran and reports failures on stdout (batch entries) */
	CLI_ERROR_DESCRIBED, /* not an error: cli_parse in describe mode recorded the command's options */
} CliErrorCode;
#define CLI_ERROR (cli_error_quark())
GQuark cli_error_quark(void);

/* One option of a command, as cli_parse saw it (describe mode: help, completion). */
typedef struct {
	char *name;  /* "principal" (the long name, without --) */
	char *arg;   /* "NAME|ARN", or NULL for a flag */
	char *help;
} CliOptionDoc;

/* What a command declares through cli_parse: its positional parameters, description, options. */
typedef struct {
	char *params;
	char *summary;
	GPtrArray *options; /* CliOptionDoc* */
} CliDescribe;
void cli_describe_free(CliDescribe *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliDescribe, cli_describe_free)

/* Global options (main.c) and the credentials they lead to (request.c). */
typedef struct {
	char *endpoint;    /* http://127.0.0.1:9084 */
	char *credentials; /* NULL: $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials */
	char *profile;     /* "default" */
	char *region;      /* "us-east-1" */
	char *output;      /* "json" | "table" */
	char *key_id;      /* loaded on the first call */
	char *secret;
	char *account;     /* the caller's account, from Propolis.WhoAmI on first need */
	CliDescribe *describe; /* non-NULL: cli_parse records the command's options here and stops */
} CliGlobal;

/*
 * One command: `propolis <group> [<name>] ...` (name NULL for single-word commands). The one
 * table of them (commands.c) drives dispatch, `propolis --help`, `propolis help CMD` and shell
 * completion; a command's options and long description come from its own cli_parse call, run
 * in describe mode.
 */
typedef struct {
	const char *group;
	const char *name;
	gboolean (*run)(CliGlobal *g, int argc, char **argv, GError **error);
	const char *summary;
} CliCommand;

/* ---- commands.c: the command table, help pages, completion scripts ---- */
const CliCommand *cli_commands(guint *n);
/* The command argv[1..] names (two words, or one); *words_used = 1 or 2. NULL when none. */
const CliCommand *cli_command_find(int argc, char **argv, int *words_used);
/* `propolis --help` (group NULL) or `propolis GROUP --help` text. */
void cli_usage(FILE *out, const char *group);
/* The command's options, params and description, from its cli_parse in describe mode. New. */
CliDescribe *cli_command_describe(const CliCommand *c);
gboolean cli_help(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_completion(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- main.c ---- */
/*
 * Parses a command's options (entries, NULL-terminated) from argc/argv; --help prints the
 * command's help (with the global options) and exits 0. After parsing, argv holds the
 * positional arguments; exactly n_args of them are required (-1: any number). FALSE with USAGE.
 */
gboolean cli_parse(CliGlobal *g, int *argc, char ***argv, const GOptionEntry *entries, const char *params,
                   const char *summary, int n_args, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- request.c: signed calls ---- */
/* Propolis.<op> (JSON 1.1) with body (NULL = {}); the answer object, or NULL with error. */
JsonObject *cli_call_propolis(CliGlobal *g, const char *op, JsonObject *body, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Lake Formation POST /<op> (REST-JSON) with body (NULL = {}); the answer, or NULL with error. */
JsonObject *cli_call_lakeformation(CliGlobal *g, const char *op, JsonObject *body, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/*
 * The ARN a principal argument names: ARNs, account ids and IAM_ALLOWED_PRINCIPALS as given; a
 * bare name becomes arn:aws:iam::<account>:<kind>/NAME (kind "user", "role" or "group"), the
 * account the caller's own (Propolis.WhoAmI, which every principal may call). New, or NULL with error.
 */
char *cli_resolve_principal(CliGlobal *g, const char *ident, const char *kind, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* "user", or "role"/"group" when that flag is set; USAGE error when both are. */
const char *cli_principal_kind(gboolean role, gboolean group, GError **error);
/* The caller's WhoAmI answer (new). */
JsonObject *cli_whoami_answer(CliGlobal *g, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- output.c ---- */
/* How a table cell is made from a row. */
typedef struct {
	const char *header;
	const char *member;                  /* a member of the row: string, number, bool or list */
	char *(*format)(JsonObject *row);    /* or this (new string); NULL: use member */
	gboolean time;                       /* member is epoch seconds: print ISO-8601 UTC */
} CliColumn;

/*
 * Prints answer: as pretty JSON (--output json), or as aligned columns (--output table) of the
 * rows in answer's array member rows_member (NULL: answer itself is the one row).
 */
void cli_print(CliGlobal *g, JsonObject *answer, const char *rows_member, const CliColumn *cols, guint n_cols);

/* ---- when.c: times on the command line ---- */
/* Epoch seconds from "1700000000", ISO-8601 ("2024-05-01T10:00:00Z", "2024-05-01") or a duration ago ("1h"). */
gboolean cli_parse_time(const char *text, gint64 now, gint64 *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Seconds in a duration: "90", "90s", "15m", "1h30m", "2d", "1w". */
gboolean cli_parse_duration(const char *text, gint64 *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- command files: each runs one command (argv[0] = "propolis <words>"); FALSE with error ---- */
gboolean cli_principal_create(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_principal_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_principal_delete(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_principal_rotate_key(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_principal_set_groups(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_grant(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_revoke(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_permissions_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_admins_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_admins_add(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_admins_remove(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_audit(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_locks_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_locks_release(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* issue 22 */
gboolean cli_whoami(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_keys_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_keys_create(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_keys_disable(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_keys_enable(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_keys_delete(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_resources_register(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_resources_deregister(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_resources_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_resources_describe(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_settings_show(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_settings_set(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_permissions_effective(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_txns_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_txns_abort(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_compactions_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- shared by the command files (permission.c) ---- */
/* {"DataLakePrincipalIdentifier": arn}. */
JsonObject *cli_lf_principal(const char *arn);
/* s3://B/P → arn:aws:s3:::B/P; ARNs as given; else NULL with USAGE naming option. */
char *cli_location_arn(const char *option, const char *text, GError **error);
/* Every page of a Lake Formation list operation, its items joined under member. */
JsonObject *cli_lf_all_pages(CliGlobal *g, const char *op, JsonObject *body, const char *member, GError **error);
/* tokens.c (issue 16) */
gboolean cli_tokens_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_tokens_cancel(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
