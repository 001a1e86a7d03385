/*
 * lock.c — `propolis locks list [--table DB.TBL] [--older-than DURATION]` and `propolis locks
 * release ID`, `txns list|abort` and `compactions list`: the Hive ACID state an operator must be
 * able to see and clear (transactions and compactions: Propolis.ListTransactions,
 * AbortTransaction, ListCompactions), and the locks, through
 * Propolis.ListLocks and Propolis.ReleaseLock (administrators only, audited by the server).
 *
 * A listed row is one component of a lock (a request may lock several objects); the server
 * expires locks that stopped heartbeating before it answers, so what is listed is live.
 */
#include <string.h>

#include "cli/cli.h"

/* Puts --database D or --table DB.TABLE (not both) into body as Database / Table; FALSE with USAGE. */
static gboolean cli_lock_scope(JsonObject *body, const char *database, const char *table, GError **error)
{
	if (table != NULL) {
		const char *dot = strchr(table, '.');
		if (dot == NULL || dot == table || dot[1] == '\0' || database != NULL) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--table takes DB.TABLE (without --database), not '%s'",
			            table);
			return FALSE;
		}
		g_autofree char *db = g_strndup(table, (gsize)(dot - table));
		json_object_set_string_member(body, "Database", db);
		json_object_set_string_member(body, "Table", dot + 1);
	} else if (database != NULL) {
		json_object_set_string_member(body, "Database", database);
	}
	return TRUE;
}

/* locks list [--table DB.TBL] [--database DB] [--older-than DURATION] */
gboolean cli_locks_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"LOCK", "LockId", NULL, FALSE},        {"DATABASE", "Database", NULL, FALSE},
		{"TABLE", "Table", NULL, FALSE},        {"PARTITION", "Partition", NULL, FALSE},
		{"TYPE", "Type", NULL, FALSE},          {"STATE", "State", NULL, FALSE},
		{"USER", "User", NULL, FALSE},          {"HOST", "Host", NULL, FALSE},
		{"TXN", "TxnId", NULL, FALSE},          {"AGE S", "AgeSeconds", NULL, FALSE},
		{"HEARTBEAT", "LastHeartbeat", NULL, TRUE}, {"AGENT", "AgentInfo", NULL, FALSE},
	};
	g_autofree char *table = NULL, *database = NULL, *older = NULL;
	const GOptionEntry entries[] = {
		{"table", 0, 0, G_OPTION_ARG_STRING, &table, "Only locks on table DB.TBL (and whole-DB locks on DB)",
		 "DB.TBL"},
		{"database", 0, 0, G_OPTION_ARG_STRING, &database, "Only locks in database DB", "DB"},
		{"older-than", 0, 0, G_OPTION_ARG_STRING, &older, "Only locks held (or waiting) at least this long", "DURATION"},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "",
	               "Lists Hive locks with holder, age and last heartbeat (expired ones are reaped first).", 0, error))
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	gint64 secs = 0;
	if (older != NULL) {
		if (!cli_parse_duration(older, &secs, error))
			return FALSE;
		json_object_set_int_member(body, "OlderThanSeconds", secs);
	}
	if (!cli_lock_scope(body, database, table, error))
		return FALSE;
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "ListLocks", body, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, "Locks", cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* locks release ID */
gboolean cli_locks_release(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {{"RELEASED", "LockId", NULL, FALSE}};
	if (!cli_parse(g, &argc, &argv, NULL, "ID",
	               "Releases Hive lock ID whoever holds it; the next waiter can then acquire.", 1, error))
		return FALSE;
	char *end = NULL;
	guint64 id = g_ascii_strtoull(argv[1], &end, 10);
	if (end == argv[1] || *end != '\0' || id == 0 || id > G_MAXINT64) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "lock id must be a positive integer, not '%s'", argv[1]);
		return FALSE;
	}
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_int_member(body, "LockId", (gint64)id);
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "ReleaseLock", body, error);
	if (answer == NULL)
		return FALSE;
	if (g->output && strcmp(g->output, "table") == 0)
		json_object_set_int_member(answer, "LockId", (gint64)id);
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* Parses a positive id argument; FALSE with USAGE naming what. */
static gboolean cli_positive_id(const char *text, const char *what, gint64 *out, GError **error)
{
	char *end = NULL;
	guint64 id = g_ascii_strtoull(text, &end, 10);
	if (end == text || *end != '\0' || id == 0 || id > G_MAXINT64) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s must be a positive integer, not '%s'", what, text);
		return FALSE;
	}
	*out = (gint64)id;
	return TRUE;
}

/* txns list */
gboolean cli_txns_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"TXN", "TxnId", NULL, FALSE},         {"STATE", "State", NULL, FALSE},
		{"USER", "User", NULL, FALSE},         {"HOST", "Host", NULL, FALSE},
		{"OWNER", "Owner", NULL, FALSE},       {"STARTED", "StartedTime", NULL, TRUE},
		{"HEARTBEAT", "LastHeartbeat", NULL, TRUE}, {"AGENT", "AgentInfo", NULL, FALSE},
	};
	if (!cli_parse(g, &argc, &argv, NULL, "",
	               "Lists Hive transactions: open ones, and aborted ones still holding write ids\n"
	               "(Propolis.ListTransactions). Data lake administrators only.",
	               0, error))
		return FALSE;
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "ListTransactions", NULL, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, "Transactions", cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* txns abort ID */
gboolean cli_txns_abort(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {{"ABORTED", "TxnId", NULL, FALSE}};
	if (!cli_parse(g, &argc, &argv, NULL, "ID",
	               "Aborts Hive transaction ID whoever opened it, as abort_txns does: its locks are released,\n"
	               "its writes never become visible (Propolis.AbortTransaction). Data lake administrators only.",
	               1, error))
		return FALSE;
	gint64 id = 0;
	if (!cli_positive_id(argv[1], "transaction id", &id, error))
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_int_member(body, "TxnId", id);
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "AbortTransaction", body, error);
	if (answer == NULL)
		return FALSE;
	json_object_set_int_member(answer, "TxnId", id);
	cli_print(g, answer, NULL, cols, G_N_ELEMENTS(cols));
	return TRUE;
}

/* compactions list [--database DB] [--table DB.TBL] */
gboolean cli_compactions_list(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"ID", "Id", NULL, FALSE},        {"DATABASE", "Database", NULL, FALSE}, {"TABLE", "Table", NULL, FALSE},
		{"PARTITION", "Partition", NULL, FALSE}, {"TYPE", "Type", NULL, FALSE}, {"STATE", "State", NULL, FALSE},
		{"RUN AS", "RunAs", NULL, FALSE}, {"ENQUEUED", "EnqueueTime", NULL, TRUE},
	};
	g_autofree char *table = NULL, *database = NULL;
	const GOptionEntry entries[] = {
		{"database", 0, 0, G_OPTION_ARG_STRING, &database, "Only compactions in database DB", "DB"},
		{"table", 0, 0, G_OPTION_ARG_STRING, &table, "Only compactions of table DB.TBL", "DB.TBL"},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "",
	               "Lists Hive compaction requests with their state (Propolis.ListCompactions). Data lake\n"
	               "administrators only.",
	               0, error))
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	if (!cli_lock_scope(body, database, table, error))
		return FALSE;
	g_autoptr(JsonObject) answer = cli_call_propolis(g, "ListCompactions", body, error);
	if (answer == NULL)
		return FALSE;
	cli_print(g, answer, "Compactions", cols, G_N_ELEMENTS(cols));
	return TRUE;
}
