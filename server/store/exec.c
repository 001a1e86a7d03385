/*
 * exec.c — running SQL on a pooled connection: prepared statements, transactions, and the
 * one place where a PostgreSQL failure becomes a STORE_ERROR.
 *
 * Statements are prepared once per connection under a fixed name and then executed with text
 * parameters, or binary ones where text would cost an encoding pass (store_exec_params);
 * nothing here builds SQL from values. Connection-class failures (SQLSTATE 08xxx,
 * 57Pxx, or a connection libpq reports broken) mark the StoreConn bad so the pool replaces it.
 */
#include "store/store_internal.h"

#include <string.h>

/* The StoreErrorCode for a SQLSTATE (NULL when libpq produced the error itself). */
static StoreErrorCode store_code_for_sqlstate(const char *state)
{
	if (state == NULL)
		return STORE_ERROR_INTERNAL;
	if (g_str_has_prefix(state, "08") || g_str_has_prefix(state, "57P"))
		return STORE_ERROR_UNAVAILABLE;
	if (strcmp(state, "23505") == 0)
		return STORE_ERROR_UNIQUE;
	if (strcmp(state, "23503") == 0)
		return STORE_ERROR_FOREIGN_KEY;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return STORE_ERROR_SERIALIZATION;
	return STORE_ERROR_INTERNAL;
}

/* Classifies a failed result (or a NULL one) and sets error; marks conn bad when it is lost. */
gboolean store_result_ok(StoreConn *conn, PGresult *res, const char *what, GError **error)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return TRUE;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	StoreErrorCode code = store_code_for_sqlstate(state);
	if (PQstatus(conn->pg) != CONNECTION_OK)
		code = STORE_ERROR_UNAVAILABLE;
	if (code == STORE_ERROR_UNAVAILABLE)
		conn->bad = TRUE;
	g_autofree char *detail = g_strdup(res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res)
	                                                                       : PQerrorMessage(conn->pg));
	g_strchomp(detail);
	const char *main_line = code == STORE_ERROR_UNAVAILABLE ? "PostgreSQL connection lost" : "PostgreSQL error";
	g_set_error(error, STORE_ERROR, code, "%s during %s (SQLSTATE %s)\n%s", main_line, what, state ? state : "none",
	            detail);
	return FALSE;
}

/* Prepares name on conn unless it already is; FALSE with error if PostgreSQL refuses. */
static gboolean store_prepare(StoreConn *conn, const char *name, const char *sql, int nparams, GError **error)
{
	const char *known = g_hash_table_lookup(conn->prepared, name);
	if (known != NULL) {
		g_warn_if_fail(known == sql || strcmp(known, sql) == 0); /* one name, one SQL text */
		return TRUE;
	}
	g_autoptr(PGresult) res = PQprepare(conn->pg, name, sql, nparams, NULL);
	g_autofree char *what = g_strdup_printf("prepare %s", name);
	if (!store_result_ok(conn, res, what, error))
		return FALSE;
	g_hash_table_insert(conn->prepared, (gpointer)name, (gpointer)sql);
	return TRUE;
}

/*
 * The bytes params send, counted only up to STORE_HEAVY_BYTES (enough to know whether the
 * statement is heavy without a strlen of every megabyte).
 */
static gsize store_params_bytes(int nparams, const char *const *params, const int *lengths, const int *formats)
{
	gsize bytes = 0;
	for (int i = 0; i < nparams && bytes < STORE_HEAVY_BYTES; i++) {
		if (params[i] == NULL)
			continue;
		bytes += formats != NULL && formats[i] == 1 ? (gsize)lengths[i] : strlen(params[i]);
	}
	return bytes;
}

/* Executes the named statement with text parameters, preparing it first if needed. */
PGresult *store_exec(StoreConn *conn, const char *name, const char *sql, int nparams, const char *const *params,
                     GError **error)
{
	return store_exec_params(conn, name, sql, nparams, params, NULL, NULL, 0, error);
}

/* Executes the named statement with parameters of either format; see store_internal.h. */
PGresult *store_exec_params(StoreConn *conn, const char *name, const char *sql, int nparams, const char *const *params,
                            const int *lengths, const int *formats, int result_format, GError **error)
{
	if (!store_prepare(conn, name, sql, nparams, error))
		return NULL;
	if (!conn->heavy && store_params_bytes(nparams, params, lengths, formats) >= STORE_HEAVY_BYTES)
		conn->heavy = TRUE;
	g_autoptr(PGresult) res = PQexecPrepared(conn->pg, name, nparams, params, lengths, formats, result_format);
	if (!store_result_ok(conn, res, name, error))
		return NULL;
	return g_steal_pointer(&res);
}

/* Runs a parameterless transaction-control command with the simple protocol. */
static PGresult *store_exec_simple(StoreConn *conn, const char *sql, GError **error)
{
	g_autoptr(PGresult) res = PQexec(conn->pg, sql);
	if (!store_result_ok(conn, res, sql, error))
		return NULL;
	return g_steal_pointer(&res);
}

/* Opens a transaction; fails if the connection is lost or already inside one. */
gboolean store_begin(StoreConn *conn, GError **error)
{
	g_autoptr(PGresult) res = store_exec_simple(conn, "BEGIN", error);
	return res != NULL;
}

/*
 * Commits; FALSE with the error PostgreSQL gave (e.g. SERIALIZATION) or, when the transaction
 * had already failed and COMMIT only rolled it back, STORE_ERROR_INTERNAL.
 */
gboolean store_commit(StoreConn *conn, GError **error)
{
	g_autoptr(PGresult) res = store_exec_simple(conn, "COMMIT", error);
	if (res == NULL)
		return FALSE;
	if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
		            "transaction was rolled back at COMMIT because a statement in it had failed");
		return FALSE;
	}
	return TRUE;
}

/* Rolls back whatever is open; a failure only marks the connection bad. */
void store_rollback(StoreConn *conn)
{
	if (conn->bad || PQtransactionStatus(conn->pg) == PQTRANS_IDLE)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(PGresult) res = store_exec_simple(conn, "ROLLBACK", &error);
	if (res == NULL || PQtransactionStatus(conn->pg) != PQTRANS_IDLE)
		conn->bad = TRUE;
}
