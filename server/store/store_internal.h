/*
 * store_internal.h — what the files of store/ share and nobody else sees.
 *
 * StoreConn is one libpq connection with the names of the statements prepared on it.
 * store_exec() is the single way entity code runs SQL: it prepares a statement once per
 * connection (by name), executes it with text parameters (store_exec_params: binary ones too,
 * and binary results) and maps a failure's SQLSTATE to a StoreErrorCode, marking the
 * connection bad when the failure is connection-class.
 * Tests may include this header to run their own SQL through a pooled connection.
 */
#ifndef PROPOLIS_STORE_INTERNAL_H
#define PROPOLIS_STORE_INTERNAL_H

#include <libpq-fe.h>

#include "common/error.h"
#include "store/store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC(PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PGconn, PQfinish)

struct StoreConn {
	PGconn *pg;
	GHashTable *prepared; /* statement name → its SQL (static string), prepared on pg */
	gboolean bad;         /* saw a connection-class error: close on release */
	gboolean heavy;       /* sent a statement of STORE_HEAVY_BYTES or more: close on release */
};

/*
 * libpq grows a connection's output buffer to the largest message it sent and never shrinks
 * it, so a pooled connection that once carried an add_partitions of thousands keeps megabytes
 * for life, once per pool slot. A connection that sent that much is closed on release instead
 * (a new one costs a few milliseconds, against the hundreds the heavy call took).
 */
#define STORE_HEAVY_BYTES (1024 * 1024)

/*
 * Runs the named statement (prepared on first use on this connection) with nparams text
 * parameters (NULL = SQL NULL). Returns the result (COMMAND_OK or TUPLES_OK), or NULL with
 * a STORE_ERROR classified by SQLSTATE. One name must always go with the same SQL text.
 */
PGresult *store_exec(StoreConn *conn, const char *name, const char *sql, int nparams, const char *const *params,
                     GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * store_exec with libpq's per-parameter lengths and formats (formats[i] 1: params[i] is
 * lengths[i] bytes in the type's binary format, e.g. a bytea's raw bytes; 0: NUL-terminated
 * text; both arrays NULL: all text) and one result_format for every column (0 text, 1 binary).
 * Returns and fails as store_exec does.
 */
PGresult *store_exec_params(StoreConn *conn, const char *name, const char *sql, int nparams, const char *const *params,
                            const int *lengths, const int *formats, int result_format,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Checks res (may be NULL) from any libpq call on conn: TRUE if it succeeded; else FALSE with
 * the error set (what: a short description of the action) and the connection marked bad if the
 * failure is connection-class. Does not free res.
 */
gboolean store_result_ok(StoreConn *conn, PGresult *res, const char *what, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Serializes obj to JSON text, leaving out member skip (may be NULL). Never fails. */
char *store_json_text(JsonObject *obj, const char *skip);

/* Parses JSON text that must be an object. NULL with STORE_ERROR_INTERNAL otherwise. */
JsonObject *store_json_parse_object(const char *text, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Parses JSON text that must be an array. NULL with STORE_ERROR_INTERNAL otherwise. */
JsonArray *store_json_parse_array(const char *text, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A PostgreSQL text[] literal for the strings (char*) in names, for an array parameter. */
char *store_text_array_literal(GPtrArray *names);

/* The string member of obj, or fallback when absent or not a string. */
const char *store_json_string(JsonObject *obj, const char *member, const char *fallback);

/*
 * Reads a stored partition document's text (len bytes) into row's document members, appending
 * list and map strings to strs (StoreSlice); strings with escapes are copied into chunk
 * (scratch: reused buffer). FALSE with STORE_ERROR_INTERNAL when the text is malformed.
 */
gboolean store_partition_row_read(const char *doc, gsize len, StorePartitionRow *row, GArray *strs,
                                  GStringChunk *chunk, GString *scratch, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
