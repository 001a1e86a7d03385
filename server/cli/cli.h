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

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
	CLI_ERROR_USAGE,   /* bad command line */
	CLI_ERROR_CONFIG,  /* credentials file, endpoint */
	CLI_ERROR_HTTP,    /* the server could not be reached or answered garbage */
	CLI_ERROR_SERVICE, /* the server answered with an AWS error: message starts with its type */
} CliErrorCode;
#define CLI_ERROR (cli_error_quark())
GQuark cli_error_quark(void);

/* Global options (main.c) and the credentials they lead to (request.c). */
typedef struct {
	char *endpoint;    /* http://127.0.0.1:9084 */
	char *credentials; /* NULL: $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials */
	char *profile;     /* "default" */
	char *region;      /* "us-east-1" */
	char *output;      /* "json" | "table" */
	char *key_id;      /* loaded on the first call */
	char *secret;
} CliGlobal;

/* One command: `propolis <group> [<name>] ...` (name NULL for single-word commands). */
typedef struct {
	const char *group;
	const char *name;
	gboolean (*run)(CliGlobal *g, int argc, char **argv, GError **error);
	const char *summary;
} CliCommand;

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
 * The ARN a --principal argument names: ARNs and IAM_ALLOWED_PRINCIPALS as given; a bare name
 * is looked up with ListPrincipals (a user first, then a role). New string, or NULL with error.
 */
char *cli_resolve_principal(CliGlobal *g, const char *ident, GError **error) G_GNUC_WARN_UNUSED_RESULT;

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
/* tokens.c (issue 16) */
gboolean cli_tokens_list(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean cli_tokens_cancel(CliGlobal *g, int argc, char **argv, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
