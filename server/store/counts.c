/*
 * counts.c — the numbers /metrics shows about what the catalog holds: databases, tables,
 * partitions, Hive locks (and the oldest one's age) and open transactions, in one statement.
 *
 * Called by catalog/gauges.c at most once per few seconds, never per request. The statement is
 * bounded by a transaction-local statement_timeout, so a huge partitions table makes one scrape
 * report stale numbers rather than hold a connection for long. Runs in the caller's transaction.
 */
#include "store/store_internal.h"

/* PostgreSQL's clock in epoch milliseconds (locks keep their times so). */
#define NOW_MS "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

/* Reads column col of the first row as a number (NULL = 0). */
static gint64 counts_value(PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? 0 : g_ascii_strtoll(PQgetvalue(res, 0, col), NULL, 10);
}

/* Fills out from one statement; see store.h. */
gboolean store_catalog_counts(StoreConn *conn, guint timeout_ms, StoreCatalogCounts *out, GError **error)
{
	static const char limit_sql[] = "SELECT set_config('statement_timeout', $1, true)";
	static const char sql[] =
		"SELECT (SELECT count(*) FROM databases), (SELECT count(*) FROM tables),"
		" (SELECT count(*) FROM partitions), (SELECT count(*) FROM locks),"
		" (SELECT (" NOW_MS " - min(created_ms)) / 1000 FROM locks),"
		" (SELECT count(*) FROM txns WHERE state = 3)";
	g_autofree char *ms = g_strdup_printf("%u", timeout_ms);
	const char *params[] = {ms};
	g_autoptr(PGresult) limit = store_exec(conn, "counts_limit", limit_sql, 1, params, error);
	if (limit == NULL)
		return FALSE;
	g_autoptr(PGresult) res = store_exec(conn, "counts", sql, 0, NULL, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) != 1) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "counts: %d rows", PQntuples(res));
		return FALSE;
	}
	out->databases = counts_value(res, 0);
	out->tables = counts_value(res, 1);
	out->partitions = counts_value(res, 2);
	out->locks = counts_value(res, 3);
	out->oldest_lock_age_s = MAX(counts_value(res, 4), 0);
	out->open_txns = counts_value(res, 5);
	return TRUE;
}
