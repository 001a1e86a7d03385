/*
 * migrate.c — applies migrations/NNNN_name.sql at start, each exactly once.
 *
 * Runs on its own connection (not the pool) under a session advisory lock, so servers that
 * start together serialize here and the later ones find everything applied. Each file runs in
 * its own transaction together with its row in schema_migrations (version, name, sha256 of the
 * file). Refuses to start when an applied file has changed or the database knows a migration
 * this binary lacks (the database is newer than the binary).
 */
#include "store/store_internal.h"

#include <stdlib.h>
#include <string.h>

/* The advisory lock key: "propolis" in ASCII, so it is recognizable in pg_locks. */
#define MIGRATE_LOCK_KEY "8102661208289339763"

typedef struct {
	int version;
	char *name;     /* file name, e.g. 0001_catalog.sql */
	char *sql;
	char *checksum; /* sha256 hex of the file's bytes */
} Migration;

static void migration_free(gpointer p)
{
	Migration *m = p;
	g_free(m->name);
	g_free(m->sql);
	g_free(m->checksum);
	g_free(m);
}

static gint migration_cmp(gconstpointer a, gconstpointer b)
{
	const Migration *x = *(Migration *const *)a, *y = *(Migration *const *)b;
	return (x->version > y->version) - (x->version < y->version);
}

/* The version of a file named NNNN_name.sql, or -1 if the name does not have that shape. */
static int migration_version(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (!g_ascii_isdigit(name[i]))
			return -1;
	if (name[4] != '_' || !g_str_has_suffix(name, ".sql"))
		return -1;
	return atoi(name);
}

/* Reads the migration files of dir, sorted by version; NULL with STORE_ERROR_MIGRATION. */
static GPtrArray *migration_read_dir(const char *dir, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &local);
	if (d == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_MIGRATION, "cannot read migrations directory %s\n%s", dir,
		            local->message);
		return NULL;
	}
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(migration_free);
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL) {
		int version = migration_version(name);
		if (version < 0)
			continue;
		g_autofree char *path = g_build_filename(dir, name, NULL);
		Migration *m = g_new0(Migration, 1);
		m->version = version;
		m->name = g_strdup(name);
		g_ptr_array_add(list, m);
		gsize len = 0;
		if (!g_file_get_contents(path, &m->sql, &len, &local)) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_MIGRATION, "cannot read migration %s\n%s", path,
			            local->message);
			return NULL;
		}
		m->checksum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)m->sql, len);
	}
	g_ptr_array_sort(list, migration_cmp);
	for (guint i = 1; i < list->len; i++) {
		Migration *a = g_ptr_array_index(list, i - 1), *b = g_ptr_array_index(list, i);
		if (a->version == b->version) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_MIGRATION, "migrations %s and %s have the same version",
			            a->name, b->name);
			return NULL;
		}
	}
	return g_steal_pointer(&list);
}

/* Runs sql (simple protocol, may hold several statements) and checks it. */
static gboolean migrate_run(StoreConn *conn, const char *sql, const char *what, GError **error)
{
	g_autoptr(PGresult) res = PQexec(conn->pg, sql);
	return store_result_ok(conn, res, what, error);
}

/* The Migration with this version, or NULL. */
static Migration *migration_find(GPtrArray *list, int version)
{
	for (guint i = 0; i < list->len; i++) {
		Migration *m = g_ptr_array_index(list, i);
		if (m->version == version)
			return m;
	}
	return NULL;
}

/*
 * Compares the applied rows with the files: each applied version must exist with the same
 * checksum. Marks the applied ones in *applied (version → TRUE).
 */
static gboolean migrate_check_applied(StoreConn *conn, GPtrArray *files, GHashTable *applied, GError **error)
{
	static const char sql[] = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
	g_autoptr(PGresult) res = PQexec(conn->pg, sql);
	if (!store_result_ok(conn, res, "reading schema_migrations", error))
		return FALSE;
	for (int r = 0; r < PQntuples(res); r++) {
		int version = atoi(PQgetvalue(res, r, 0));
		const char *name = PQgetvalue(res, r, 1);
		Migration *m = migration_find(files, version);
		if (m == NULL) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_MIGRATION,
			            "the database has migration %04d (%s) that this propolis does not know: the database "
			            "is newer than this binary; run a newer propolis",
			            version, name);
			return FALSE;
		}
		if (strcmp(m->checksum, PQgetvalue(res, r, 2)) != 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_MIGRATION,
			            "migration %s was changed after it was applied (checksum differs); migrations are "
			            "forward-only: restore the file and add a new one",
			            m->name);
			return FALSE;
		}
		g_hash_table_add(applied, GINT_TO_POINTER(version));
	}
	return TRUE;
}

/* Applies one migration and records it, in one transaction. */
static gboolean migrate_apply(StoreConn *conn, Migration *m, GError **error)
{
	if (!migrate_run(conn, "BEGIN", "BEGIN", error))
		return FALSE;
	g_autofree char *what = g_strdup_printf("migration %s", m->name);
	g_autofree char *version = g_strdup_printf("%d", m->version);
	const char *params[] = {version, m->name, m->checksum};
	gboolean ok = migrate_run(conn, m->sql, what, error);
	if (ok) {
		g_autoptr(PGresult) res =
		    PQexecParams(conn->pg, "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", 3,
		                 NULL, params, NULL, NULL, 0);
		ok = store_result_ok(conn, res, what, error) && migrate_run(conn, "COMMIT", what, error);
	}
	if (!ok)
		store_rollback(conn);
	return ok;
}

/* Checks and applies under the lock, which the caller holds. */
static gboolean migrate_locked(StoreConn *conn, GPtrArray *files, GError **error)
{
	static const char create[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                             " version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
	                             " applied_at timestamptz NOT NULL DEFAULT now())";
	if (!migrate_run(conn, create, "creating schema_migrations", error))
		return FALSE;
	g_autoptr(GHashTable) applied = g_hash_table_new(g_direct_hash, g_direct_equal);
	if (!migrate_check_applied(conn, files, applied, error))
		return FALSE;
	for (guint i = 0; i < files->len; i++) {
		Migration *m = g_ptr_array_index(files, i);
		if (!g_hash_table_contains(applied, GINT_TO_POINTER(m->version)) && !migrate_apply(conn, m, error))
			return FALSE;
	}
	return TRUE;
}

/* Applies what is missing, under the advisory lock; see store.h. */
gboolean store_migrate(const char *conninfo, const char *dir, GError **error)
{
	g_autoptr(GPtrArray) files = migration_read_dir(dir, error);
	if (files == NULL)
		return FALSE;
	StoreConn conn = {.pg = PQconnectdb(conninfo)};
	g_autoptr(PGconn) pg = conn.pg;
	if (PQstatus(pg) != CONNECTION_OK) {
		g_autofree char *detail = g_strdup(PQerrorMessage(pg));
		g_set_error(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE, "cannot connect to PostgreSQL to migrate\n%s",
		            g_strchomp(detail));
		return FALSE;
	}
	if (!migrate_run(&conn, "SET client_min_messages = warning", "setup", error) ||
	    !migrate_run(&conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "taking the migration lock", error))
		return FALSE;
	gboolean ok = migrate_locked(&conn, files, error);
	g_autoptr(PGresult) res = PQexec(pg, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")");
	(void)res; /* closing the session releases the lock anyway */
	return ok;
}
