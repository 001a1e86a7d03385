/*
 * table.c — tables and views, their versions and their constraints.
 *
 * A table is one row of `tables` (found by catalog, database and name through the unique
 * indexes) holding the current Glue Table document and its version. Every version, the current
 * one included, is also a row of table_versions, written by the same statement that writes the
 * table, so each write is one round trip. The document is stored without "VersionId"; reads
 * set it from the version column. Renames and moves update the one row, so partitions and
 * constraints (hanging off table_id) follow. All functions run in the caller's transaction.
 */
#include "store/store_internal.h"

#include <string.h>

/* The join that finds a table's database by ($1 catalog, $2 database). */
#define TBL_JOIN                                                                                                       \
	" FROM tables t JOIN databases d ON d.id = t.database_id JOIN catalogs c ON c.id = d.catalog_id"                   \
	" WHERE c.name = $1 AND d.name = $2"

/* Sets STORE_ERROR_NOT_FOUND for a missing table. */
static void table_not_found(const char *catalog, const char *db, const char *name, GError **error)
{
	g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "table %s.%s.%s not found", catalog, db, name);
}

/* A document read back: column 0 the doc text, column 1 the version → VersionId. */
static JsonObject *table_doc_from_row(PGresult *res, int row, GError **error)
{
	JsonObject *doc = store_json_parse_object(PQgetvalue(res, row, 0), error);
	if (doc != NULL)
		json_object_set_string_member(doc, "VersionId", PQgetvalue(res, row, 1));
	return doc;
}

/* Inserts version 1 of a table and its table_versions row in one statement. */
gboolean store_table_insert(StoreConn *conn, const char *catalog, const char *db, JsonObject *table,
                            GError **error)
{
	static const char sql[] =
	    "WITH t AS (INSERT INTO tables (database_id, name, table_type, doc)"
	    " SELECT d.id, $3, $4, $5::jsonb FROM databases d JOIN catalogs c ON c.id = d.catalog_id"
	    " WHERE c.name = $1 AND d.name = $2 RETURNING id, version, doc)"
	    " INSERT INTO table_versions (table_id, version, doc) SELECT id, version, doc FROM t RETURNING table_id";
	const char *name = store_json_string(table, "Name", NULL);
	g_return_val_if_fail(name != NULL, FALSE);
	g_autofree char *doc = store_json_text(table, "VersionId");
	const char *params[] = {catalog, db, name, store_json_string(table, "TableType", ""), doc};
	g_autoptr(PGresult) res = store_exec(conn, "table_insert", sql, 5, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "database %s.%s not found", catalog, db);
		return FALSE;
	}
	return TRUE;
}

/* The current document with VersionId; NOT_FOUND if missing. */
JsonObject *store_table_get(StoreConn *conn, const char *catalog, const char *db, const char *name,
                            gboolean for_update, GError **error)
{
	static const char sql[] = "SELECT t.doc::text, t.version" TBL_JOIN " AND t.name = $3";
	static const char sql_lock[] = "SELECT t.doc::text, t.version" TBL_JOIN " AND t.name = $3 FOR UPDATE OF t";
	const char *params[] = {catalog, db, name};
	g_autoptr(PGresult) res = for_update ? store_exec(conn, "table_get_lock", sql_lock, 3, params, error)
	                                     : store_exec(conn, "table_get", sql, 3, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		table_not_found(catalog, db, name, error);
		return NULL;
	}
	return table_doc_from_row(res, 0, error);
}

/* store_table_get (no lock) that also reads the grants epoch in the same statement; see store.h. */
JsonObject *store_table_get_epoch(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                  gint64 *epoch, GError **error)
{
	StoreTableStamp stamp = {0};
	JsonObject *doc = store_table_get_known(conn, catalog, db, name, &stamp, error);
	*epoch = stamp.epoch;
	return doc;
}

/* store_table_get_epoch that leaves out a document the caller holds; see store.h. */
JsonObject *store_table_get_known(StoreConn *conn, const char *catalog, const char *db, const char *name,
                                  StoreTableStamp *stamp, GError **error)
{
	static const char sql[] =
		"SELECT CASE WHEN t.id = $4::bigint AND t.version = $5::bigint THEN NULL ELSE t.doc::text END, t.version,"
		" (SELECT n FROM authz_epoch), t.id" TBL_JOIN " AND t.name = $3";
	char known_id[24], known_version[24];
	g_snprintf(known_id, sizeof known_id, "%" G_GINT64_FORMAT, stamp->id);
	g_snprintf(known_version, sizeof known_version, "%" G_GINT64_FORMAT, stamp->version);
	const char *params[] = {catalog, db, name, known_id, known_version};
	stamp->unchanged = FALSE;
	g_autoptr(PGresult) res = store_exec(conn, "table_get_known", sql, 5, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		table_not_found(catalog, db, name, error);
		return NULL;
	}
	stamp->version = g_ascii_strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	stamp->epoch = g_ascii_strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	stamp->id = g_ascii_strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	if (PQgetisnull(res, 0, 0)) {
		stamp->unchanged = TRUE;
		return NULL;
	}
	return table_doc_from_row(res, 0, error);
}

/* Documents from rows (doc, version), or NULL with error if one does not parse. */
static GPtrArray *table_docs_from_result(PGresult *res, GError **error)
{
	g_autoptr(GPtrArray) docs = g_ptr_array_new_full(PQntuples(res), (GDestroyNotify)json_object_unref);
	for (int r = 0; r < PQntuples(res); r++) {
		JsonObject *doc = table_doc_from_row(res, r, error);
		if (doc == NULL)
			return NULL;
		g_ptr_array_add(docs, doc);
	}
	return g_steal_pointer(&docs);
}

/* Several tables by name, in the order of names; missing ones are skipped. */
GPtrArray *store_table_get_many(StoreConn *conn, const char *catalog, const char *db, GPtrArray *names,
                                GError **error)
{
	static const char sql[] = "SELECT t.doc::text, t.version" TBL_JOIN " AND t.name = ANY ($3::text[])"
	                          " ORDER BY array_position($3::text[], t.name)";
	g_autofree char *list = store_text_array_literal(names);
	const char *params[] = {catalog, db, list};
	g_autoptr(PGresult) res = store_exec(conn, "table_get_many", sql, 3, params, error);
	return res ? table_docs_from_result(res, error) : NULL;
}

/* Names or documents of one database's tables, filtered by regex and type, sorted by name. */
GPtrArray *store_table_list(StoreConn *conn, const char *catalog, const char *db, const char *regex,
                            const char *table_type, gboolean want_docs, GError **error)
{
#define LIST_WHERE TBL_JOIN " AND ($3::text IS NULL OR t.name ~* $3) AND ($4::text IS NULL OR t.table_type = $4)"
	static const char sql_names[] = "SELECT t.name" LIST_WHERE " ORDER BY t.name";
	static const char sql_docs[] = "SELECT t.doc::text, t.version" LIST_WHERE " ORDER BY t.name";
#undef LIST_WHERE
	const char *params[] = {catalog, db, regex, table_type};
	if (want_docs) {
		g_autoptr(PGresult) res = store_exec(conn, "table_list_docs", sql_docs, 4, params, error);
		return res ? table_docs_from_result(res, error) : NULL;
	}
	g_autoptr(PGresult) res = store_exec(conn, "table_list_names", sql_names, 4, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *names = g_ptr_array_new_full(PQntuples(res), g_free);
	for (int r = 0; r < PQntuples(res); r++)
		g_ptr_array_add(names, g_strdup(PQgetvalue(res, r, 0)));
	return names;
}

/* Table metadata rows across the catalog's databases; see store.h. */
GPtrArray *store_table_list_meta(StoreConn *conn, const char *catalog, const char *db_regex,
                                 const char *tbl_regex, GPtrArray *types, GError **error)
{
	static const char sql[] =
	    "SELECT d.name, t.name, t.table_type, COALESCE(t.doc->'Parameters'->>'comment', t.doc->>'Description'),"
	    " t.doc->>'Owner'"
	    " FROM tables t JOIN databases d ON d.id = t.database_id JOIN catalogs c ON c.id = d.catalog_id"
	    " WHERE c.name = $1 AND ($2::text IS NULL OR d.name ~* $2) AND ($3::text IS NULL OR t.name ~* $3)"
	    " AND ($4::text[] IS NULL OR t.table_type = ANY ($4::text[])) ORDER BY d.name, t.name";
	g_autofree char *type_list = types && types->len > 0 ? store_text_array_literal(types) : NULL;
	const char *params[] = {catalog, db_regex, tbl_regex, type_list};
	g_autoptr(PGresult) res = store_exec(conn, "table_list_meta", sql, 4, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *rows = g_ptr_array_new_full(PQntuples(res), (GDestroyNotify)json_object_unref);
	static const char *const members[] = {"DatabaseName", "Name", "TableType", "Description", "Owner"};
	for (int r = 0; r < PQntuples(res); r++) {
		JsonObject *row = json_object_new();
		for (int col = 0; col < 5; col++)
			if (!PQgetisnull(res, r, col))
				json_object_set_string_member(row, members[col], PQgetvalue(res, r, col));
		g_ptr_array_add(rows, row);
	}
	return rows;
}

/* The id of database (catalog, db) into *id; NOT_FOUND if missing. */
static gboolean table_database_id(StoreConn *conn, const char *catalog, const char *db, char **id, GError **error)
{
	static const char sql[] = "SELECT d.id FROM databases d JOIN catalogs c ON c.id = d.catalog_id"
	                          " WHERE c.name = $1 AND d.name = $2";
	const char *params[] = {catalog, db};
	g_autoptr(PGresult) res = store_exec(conn, "table_database_id", sql, 2, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "database %s.%s not found", catalog, db);
		return FALSE;
	}
	*id = g_strdup(PQgetvalue(res, 0, 0));
	return TRUE;
}

/* Writes doc as the next version of the row `id` (moved to database_id, named new_name). */
static gboolean table_write_version(StoreConn *conn, const char *id, const char *database_id, const char *new_name,
                                    JsonObject *doc, gint64 *new_version, GError **error)
{
	static const char sql[] =
	    "WITH u AS (UPDATE tables SET database_id = $2, name = $3, table_type = $4, doc = $5::jsonb,"
	    " version = version + 1, updated = now() WHERE id = $1 RETURNING id, version, doc)"
	    " INSERT INTO table_versions (table_id, version, doc) SELECT id, version, doc FROM u RETURNING version";
	g_autofree char *text = store_json_text(doc, "VersionId");
	const char *params[] = {id, database_id, new_name, store_json_string(doc, "TableType", ""), text};
	g_autoptr(PGresult) res = store_exec(conn, "table_write_version", sql, 5, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "table %s vanished during update", new_name);
		return FALSE;
	}
	if (new_version)
		*new_version = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	return TRUE;
}

/* Locks the table row, checks the expected version, then writes a new version (maybe renamed/moved). */
gboolean store_table_update(StoreConn *conn, const char *catalog, const char *db, const char *name, JsonObject *doc,
                            gint64 expected_version, gint64 *new_version, GError **error)
{
	static const char sql[] = "SELECT t.id, t.version, t.database_id" TBL_JOIN " AND t.name = $3 FOR UPDATE OF t";
	const char *params[] = {catalog, db, name};
	g_autoptr(PGresult) res = store_exec(conn, "table_lock", sql, 3, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		table_not_found(catalog, db, name, error);
		return FALSE;
	}
	gint64 current = g_ascii_strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	if (expected_version > 0 && expected_version != current) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_CONFLICT,
		            "table %s.%s was changed concurrently (version %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT ")",
		            db, name, current, expected_version);
		return FALSE;
	}
	const char *new_db = store_json_string(doc, "DatabaseName", db);
	g_autofree char *database_id = g_strdup(PQgetvalue(res, 0, 2));
	if (strcmp(new_db, db) != 0) {
		g_clear_pointer(&database_id, g_free);
		if (!table_database_id(conn, catalog, new_db, &database_id, error))
			return FALSE;
	}
	return table_write_version(conn, PQgetvalue(res, 0, 0), database_id, store_json_string(doc, "Name", name), doc,
	                           new_version, error);
}

/* Deletes the table row; versions, constraints and partitions go by cascade. */
gboolean store_table_delete(StoreConn *conn, const char *catalog, const char *db, const char *name, GError **error)
{
	static const char sql[] = "DELETE FROM tables t USING databases d, catalogs c"
	                          " WHERE d.id = t.database_id AND c.id = d.catalog_id"
	                          " AND c.name = $1 AND d.name = $2 AND t.name = $3 RETURNING t.id";
	const char *params[] = {catalog, db, name};
	g_autoptr(PGresult) res = store_exec(conn, "table_delete", sql, 3, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0) {
		table_not_found(catalog, db, name, error);
		return FALSE;
	}
	return TRUE;
}

/* ---- filtered names: a fixed statement per (field, op), never SQL built from input ---- */

typedef struct {
	const char *field, *op, *name, *sql;
} WhereStmt;

#define WHERE_HEAD "SELECT t.name" TBL_JOIN " AND "
/* The same conditions over given (name, document) pairs ($1 names, $2 documents as JSON text). */
#define WHERE_HEAD_DOCS                                                                                                \
	"SELECT t.name FROM (SELECT u.name, u.doc::jsonb AS doc FROM unnest($1::text[], $2::text[]) AS u(name, doc)) t"   \
	" WHERE "
#define WHERE_TAIL " ORDER BY t.name"
#define WHERE_CMP(head, pfx, field, tag, lhs, rhs)                                                                     \
	{field, "=", pfx tag "_eq", head lhs " = " rhs WHERE_TAIL}, {field, "<>", pfx tag "_ne", head lhs " <> " rhs WHERE_TAIL}, \
	    {field, "<", pfx tag "_lt", head lhs " < " rhs WHERE_TAIL},                                                    \
	    {field, ">", pfx tag "_gt", head lhs " > " rhs WHERE_TAIL},                                                    \
	    {field, "<=", pfx tag "_le", head lhs " <= " rhs WHERE_TAIL},                                                  \
	    {field, ">=", pfx tag "_ge", head lhs " >= " rhs WHERE_TAIL}
#define WHERE_LIKE(head, pfx, field, tag, lhs) {field, "like", pfx tag "_like", head lhs " ~ $3" WHERE_TAIL}
/* Every (field, op) statement, with its head: one list for the tables, one for given documents. */
#define WHERE_STMTS(head, pfx)                                                                                         \
	WHERE_CMP(head, pfx, "owner", "owner", "t.doc->>'Owner'", "$3"), WHERE_LIKE(head, pfx, "owner", "owner", "t.doc->>'Owner'"), \
	    WHERE_CMP(head, pfx, "name", "name", "t.name", "$3"), WHERE_LIKE(head, pfx, "name", "name", "t.name"),         \
	    WHERE_CMP(head, pfx, "param", "param", "t.doc->'Parameters'->>$4::text", "$3"),                                \
	    WHERE_LIKE(head, pfx, "param", "param", "t.doc->'Parameters'->>$4::text"),                                     \
	    WHERE_CMP(head, pfx, "last_access", "last_access", "coalesce((t.doc->>'LastAccessTime')::bigint, 0)", "$3::bigint")

static const WhereStmt where_stmts[] = {WHERE_STMTS(WHERE_HEAD, "table_where_")};
static const WhereStmt where_doc_stmts[] = {WHERE_STMTS(WHERE_HEAD_DOCS, "table_where_docs_")};

/* The statement for (field, op), field already stripped of "param:". NULL if unsupported. */
static const WhereStmt *where_find(const WhereStmt *stmts, guint n, const char *field, const char *op)
{
	for (guint i = 0; i < n; i++)
		if (strcmp(stmts[i].field, field) == 0 && g_ascii_strcasecmp(stmts[i].op, op) == 0)
			return &stmts[i];
	return NULL;
}

/* Runs `field op value` with p0, p1 as $1, $2 (catalog and database, or names and documents). */
static GPtrArray *where_run(StoreConn *conn, gboolean docs, const char *p0, const char *p1, const char *field,
                            const char *op, const char *value, GError **error)
{
	const char *key = NULL;
	if (g_str_has_prefix(field, "param:")) {
		key = field + strlen("param:");
		field = "param";
	}
	const WhereStmt *stmt = docs ? where_find(where_doc_stmts, G_N_ELEMENTS(where_doc_stmts), field, op)
	                             : where_find(where_stmts, G_N_ELEMENTS(where_stmts), field, op);
	if (stmt == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "unsupported table filter: %s %s", field, op);
		return NULL;
	}
	gint64 unused;
	if (strcmp(field, "last_access") == 0 &&
	    !g_ascii_string_to_signed(value, 10, G_MININT64, G_MAXINT64, &unused, NULL)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "last_access filter needs an integer, not \"%s\"",
		            value);
		return NULL;
	}
	const char *params[] = {p0, p1, value, key};
	g_autoptr(PGresult) res = store_exec(conn, stmt->name, stmt->sql, key ? 4 : 3, params, error);
	if (res == NULL)
		return NULL;
	GPtrArray *names = g_ptr_array_new_full(PQntuples(res), g_free);
	for (int r = 0; r < PQntuples(res); r++)
		g_ptr_array_add(names, g_strdup(PQgetvalue(res, r, 0)));
	return names;
}

/* Names of the tables satisfying `field op value`; see store.h. */
GPtrArray *store_table_names_where(StoreConn *conn, const char *catalog, const char *db, const char *field,
                                   const char *op, const char *value, GError **error)
{
	return where_run(conn, FALSE, catalog, db, field, op, value, error);
}

/* Names among (names, docs) satisfying `field op value`; see store.h. */
GPtrArray *store_table_names_where_docs(StoreConn *conn, GPtrArray *names, GPtrArray *docs, const char *field,
                                        const char *op, const char *value, GError **error)
{
	g_return_val_if_fail(names != NULL && docs != NULL && names->len == docs->len, NULL);
	g_autoptr(GPtrArray) texts = g_ptr_array_new_full(docs->len, g_free);
	for (guint i = 0; i < docs->len; i++)
		g_ptr_array_add(texts, store_json_text(g_ptr_array_index(docs, i), NULL));
	g_autofree char *n = store_text_array_literal(names);
	g_autofree char *d = store_text_array_literal(texts);
	return where_run(conn, TRUE, n, d, field, op, value, error);
}

/* ---- constraints ---- */

/* Upserts each kind of constraints (kind → array) for the table in one statement. */
gboolean store_constraints_put(StoreConn *conn, const char *catalog, const char *db, const char *table,
                               JsonObject *constraints, GError **error)
{
	static const char sql[] = "INSERT INTO table_constraints (table_id, kind, doc)"
	                          " SELECT t.id, e.key, e.value FROM tables t"
	                          " JOIN databases d ON d.id = t.database_id JOIN catalogs c ON c.id = d.catalog_id"
	                          " CROSS JOIN LATERAL jsonb_each($4::jsonb) e"
	                          " WHERE c.name = $1 AND d.name = $2 AND t.name = $3"
	                          " ON CONFLICT (table_id, kind) DO UPDATE SET doc = EXCLUDED.doc RETURNING table_id";
	g_autofree char *doc = store_json_text(constraints, NULL);
	const char *params[] = {catalog, db, table, doc};
	g_autoptr(PGresult) res = store_exec(conn, "constraints_put", sql, 4, params, error);
	if (res == NULL)
		return FALSE;
	if (PQntuples(res) == 0 && json_object_get_size(constraints) > 0) {
		table_not_found(catalog, db, table, error);
		return FALSE;
	}
	return TRUE;
}

/* The constraint list of one kind; empty if none, NOT_FOUND if the table is missing. */
JsonArray *store_constraints_get(StoreConn *conn, const char *catalog, const char *db, const char *table,
                                 const char *kind, GError **error)
{
	static const char sql[] =
	    "SELECT k.doc::text FROM tables t JOIN databases d ON d.id = t.database_id"
	    " JOIN catalogs c ON c.id = d.catalog_id"
	    " LEFT JOIN table_constraints k ON k.table_id = t.id AND k.kind = $4"
	    " WHERE c.name = $1 AND d.name = $2 AND t.name = $3";
	const char *params[] = {catalog, db, table, kind};
	g_autoptr(PGresult) res = store_exec(conn, "constraints_get", sql, 4, params, error);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		table_not_found(catalog, db, table, error);
		return NULL;
	}
	if (PQgetisnull(res, 0, 0))
		return json_array_new();
	return store_json_parse_array(PQgetvalue(res, 0, 0), error);
}
