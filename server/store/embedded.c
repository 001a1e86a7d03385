/*
 * embedded.c — runs a private PostgreSQL cluster inside the data directory (see embedded.h).
 *
 * Order at start: take DIR/propolis.lock (so two processes never drive one cluster), find the
 * binaries, prepare DIR/run and DIR/pgdata (owned by `postgres` when we are root), initdb on
 * first start, rewrite pgdata/propolis.conf (socket-only listening), pg_ctl start -w unless
 * already running, create the database `propolis` if missing. Tools run through g_spawn_sync;
 * as root a child-setup function drops to the postgres user before exec.
 */
#include "store/embedded.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/error.h"

struct EmbeddedPg {
	char *dir, *pgdata, *rundir, *bindir, *conninfo;
	int lock_fd;
	gboolean as_postgres; /* we are root: tools run as uid/gid */
	uid_t uid;
	gid_t gid;
};

/* Drops to the postgres user in the forked child before exec; only async-signal-safe calls. */
static void embedded_child_setup(gpointer data)
{
	const EmbeddedPg *pg = data;
	if (!pg->as_postgres)
		return;
	if (setgroups(0, NULL) != 0 || setgid(pg->gid) != 0 || setuid(pg->uid) != 0)
		_exit(126);
}

/* Runs argv (a PostgreSQL tool) and waits; FALSE with its output as detail if it fails. */
static gboolean embedded_run(EmbeddedPg *pg, const char *const *argv, int *exit_status, GError **error)
{
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) local = NULL;
	int status = 0;
	if (!g_spawn_sync(pg->rundir, (char **)argv, NULL, G_SPAWN_DEFAULT, embedded_child_setup, pg, &out, &err,
	                  &status, &local)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "cannot run %s\n%s", argv[0], local->message);
		return FALSE;
	}
	if (exit_status != NULL && WIFEXITED(status)) {
		*exit_status = WEXITSTATUS(status);
		return TRUE;
	}
	if (!g_spawn_check_wait_status(status, &local)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "%s failed (%s)\n%s%s", argv[0], local->message,
		            out ? out : "", err ? err : "");
		return FALSE;
	}
	return TRUE;
}

/* Takes the exclusive lock on DIR/propolis.lock; UNAVAILABLE if another process holds it. */
static gboolean embedded_lock(EmbeddedPg *pg, GError **error)
{
	g_autofree char *path = g_build_filename(pg->dir, "propolis.lock", NULL);
	pg->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (pg->lock_fd < 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "cannot open %s: %s", path, g_strerror(errno));
		return FALSE;
	}
	if (flock(pg->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		g_set_error(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE,
		            "data directory %s is in use by another propolis process (lock %s: %s)", pg->dir, path,
		            e == EWOULDBLOCK ? "held" : g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

/* The directory holding initdb and pg_ctl; NULL with error if none is found. */
static char *embedded_find_bindir(GError **error)
{
	const char *env = g_getenv("PROPOLIS_PG_BINDIR");
	if (env != NULL && *env)
		return g_strdup(env);
	if (g_file_test("/usr/lib/postgresql/15/bin/pg_ctl", G_FILE_TEST_IS_EXECUTABLE))
		return g_strdup("/usr/lib/postgresql/15/bin");
	g_autofree char *out = NULL;
	const char *argv[] = {"pg_config", "--bindir", NULL};
	int status = 0;
	if (g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
	                 NULL, &status, NULL) &&
	    g_spawn_check_wait_status(status, NULL))
		return g_strdup(g_strstrip(out));
	g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
	            "PostgreSQL binaries not found: set PROPOLIS_PG_BINDIR or install postgresql-15");
	return NULL;
}

/* chown -R path to uid:gid (symlinks themselves, not their targets). */
static void embedded_chown_tree(const char *path, uid_t uid, gid_t gid)
{
	if (lchown(path, uid, gid) != 0)
		g_warning("embedded: cannot chown %s: %s", path, g_strerror(errno));
	if (!g_file_test(path, G_FILE_TEST_IS_DIR) || g_file_test(path, G_FILE_TEST_IS_SYMLINK))
		return;
	g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
	const char *name;
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree char *child = g_build_filename(path, name, NULL);
		embedded_chown_tree(child, uid, gid);
	}
}

/* Makes a directory 0700 owned by the tool user (chown -R when the owner is wrong). */
static gboolean embedded_prepare_dir(EmbeddedPg *pg, const char *path, GError **error)
{
	if (g_mkdir_with_parents(path, 0700) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "cannot create %s: %s", path, g_strerror(errno));
		return FALSE;
	}
	struct stat st;
	if (pg->as_postgres && stat(path, &st) == 0 && (st.st_uid != pg->uid || st.st_gid != pg->gid))
		embedded_chown_tree(path, pg->uid, pg->gid);
	return TRUE;
}

/* TRUE if the postgres user may search (x) directory path, by its mode bits. */
static gboolean embedded_traversable(EmbeddedPg *pg, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return FALSE;
	if (st.st_uid == pg->uid)
		return (st.st_mode & S_IXUSR) != 0;
	if (st.st_gid == pg->gid)
		return (st.st_mode & S_IXGRP) != 0;
	return (st.st_mode & S_IXOTH) != 0;
}

/* Checks that postgres can reach DIR: every ancestor must be searchable (we do not chmod those). */
static gboolean embedded_check_ancestors(EmbeddedPg *pg, GError **error)
{
	g_autofree char *path = g_path_get_dirname(pg->dir);
	while (strcmp(path, "/") != 0 && strcmp(path, ".") != 0) {
		if (!embedded_traversable(pg, path)) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
			            "PostgreSQL runs as user postgres, which cannot traverse %s (parent of data directory %s):"
			            " chmod o+x it or choose another data directory",
			            path, pg->dir);
			return FALSE;
		}
		char *parent = g_path_get_dirname(path);
		g_free(path);
		path = parent;
	}
	return TRUE;
}

/* Prepares DIR (traversable by postgres), DIR/run and DIR/pgdata. */
static gboolean embedded_prepare_dirs(EmbeddedPg *pg, GError **error)
{
	if (pg->as_postgres) {
		struct passwd *pw = getpwnam("postgres");
		if (pw == NULL) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
			            "running as root but there is no user `postgres` to run PostgreSQL as");
			return FALSE;
		}
		pg->uid = pw->pw_uid;
		pg->gid = pw->pw_gid;
		struct stat st;
		if (stat(pg->dir, &st) == 0 && (st.st_mode & 0011) != 0011)
			(void)chmod(pg->dir, (st.st_mode & 07777) | 0011);
		if (!embedded_check_ancestors(pg, error))
			return FALSE;
	}
	struct sockaddr_un sun;
	if (strlen(pg->rundir) + strlen("/.s.PGSQL.5432") >= sizeof sun.sun_path) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
		            "data directory path %s is too long for a Unix socket (max %zu bytes for DIR/run)", pg->dir,
		            sizeof sun.sun_path - strlen("/.s.PGSQL.5432") - 1);
		return FALSE;
	}
	return embedded_prepare_dir(pg, pg->rundir, error) && embedded_prepare_dir(pg, pg->pgdata, error);
}

/* Writes a file and gives it to the tool user. */
static gboolean embedded_write_owned(EmbeddedPg *pg, const char *path, const char *text, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (!g_file_set_contents(path, text, -1, &local)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "cannot write %s\n%s", path, local->message);
		return FALSE;
	}
	if (pg->as_postgres && chown(path, pg->uid, pg->gid) != 0)
		g_warning("embedded: cannot chown %s: %s", path, g_strerror(errno));
	return TRUE;
}

/* TRUE when PROPOLIS_EMBEDDED_NOSYNC=1: throwaway clusters for tests, no fsync at all. */
static gboolean embedded_nosync(void)
{
	return g_strcmp0(g_getenv("PROPOLIS_EMBEDDED_NOSYNC"), "1") == 0;
}

/* Runs initdb unless the cluster exists, and has postgresql.conf include propolis.conf. */
static gboolean embedded_initdb(EmbeddedPg *pg, GError **error)
{
	g_autofree char *version = g_build_filename(pg->pgdata, "PG_VERSION", NULL);
	if (g_file_test(version, G_FILE_TEST_EXISTS))
		return TRUE;
	g_autofree char *initdb = g_build_filename(pg->bindir, "initdb", NULL);
	const char *argv[] = {initdb,         "-D",           pg->pgdata,          "-U", "postgres", "-E", "UTF8",
	                      "--locale=C",   "--auth-local=trust", "--auth-host=reject", NULL};
	const char *fast_argv[G_N_ELEMENTS(argv) + 1];
	memcpy(fast_argv, argv, sizeof argv);
	fast_argv[G_N_ELEMENTS(argv) - 1] = "--no-sync";
	fast_argv[G_N_ELEMENTS(argv)] = NULL;
	if (!embedded_run(pg, embedded_nosync() ? fast_argv : argv, NULL, error))
		return FALSE;
	g_autofree char *conf = g_build_filename(pg->pgdata, "postgresql.conf", NULL);
	g_autofree char *old = NULL;
	if (!g_file_get_contents(conf, &old, NULL, NULL))
		old = g_strdup("");
	g_autofree char *text = g_strconcat(old, "\n# added by propolis\ninclude_if_exists = 'propolis.conf'\n", NULL);
	return embedded_write_owned(pg, conf, text, error);
}

/* Rewrites pgdata/propolis.conf: no TCP, the socket in DIR/run (which may have moved). */
static gboolean embedded_write_conf(EmbeddedPg *pg, GError **error)
{
	g_autofree char *path = g_build_filename(pg->pgdata, "propolis.conf", NULL);
	g_auto(GStrv) parts = g_strsplit(pg->rundir, "'", -1);
	g_autofree char *quoted = g_strjoinv("''", parts);
	g_autofree char *text = g_strdup_printf("# written by propolis at every start\n"
	                                        "listen_addresses = ''\n"
	                                        "unix_socket_directories = '%s'\n%s",
	                                        quoted, embedded_nosync() ? "fsync = off\n" : "");
	return embedded_write_owned(pg, path, text, error);
}

/* Starts the postmaster unless `pg_ctl status` says it already runs. */
static gboolean embedded_pg_ctl_start(EmbeddedPg *pg, GError **error)
{
	g_autofree char *pg_ctl = g_build_filename(pg->bindir, "pg_ctl", NULL);
	const char *status_argv[] = {pg_ctl, "-D", pg->pgdata, "status", NULL};
	int status = -1;
	if (!embedded_run(pg, status_argv, &status, error))
		return FALSE;
	if (status == 0)
		return TRUE; /* left running by a process that died; adopt it */
	g_autofree char *log = g_build_filename(pg->rundir, "postgres.log", NULL);
	const char *argv[] = {pg_ctl, "-D", pg->pgdata, "-l", log, "-w", "-t", "120", "-s", "start", NULL};
	if (embedded_run(pg, argv, NULL, error))
		return TRUE;
	g_prefix_error(error, "PostgreSQL did not start (see %s): ", log);
	return FALSE;
}

/* Quotes a conninfo value: '...' with ' and \ escaped. */
static char *embedded_conninfo_quote(const char *value)
{
	GString *s = g_string_new("'");
	for (const char *p = value; *p; p++) {
		if (*p == '\'' || *p == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *p);
	}
	g_string_append_c(s, '\'');
	return g_string_free(s, FALSE);
}

/* Creates the database `propolis` if it is missing (we hold the lock: no race). */
static gboolean embedded_create_database(EmbeddedPg *pg, GError **error)
{
	g_autofree char *host = embedded_conninfo_quote(pg->rundir);
	g_autofree char *admin = g_strdup_printf("host=%s dbname=postgres user=postgres", host);
	PGconn *conn = PQconnectdb(admin);
	gboolean ok = PQstatus(conn) == CONNECTION_OK;
	if (ok) {
		PGresult *res = PQexec(conn, "SELECT 1 FROM pg_database WHERE datname = 'propolis'");
		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		if (ok && PQntuples(res) == 0) {
			PQclear(res);
			res = PQexec(conn, "CREATE DATABASE propolis");
			ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		}
		PQclear(res);
	}
	if (!ok)
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "cannot create database propolis\n%s",
		            PQerrorMessage(conn));
	PQfinish(conn);
	pg->conninfo = g_strdup_printf("host=%s dbname=propolis user=postgres", host);
	return ok;
}

/* Frees the handle and releases the lock, without touching the cluster. */
static void embedded_free(EmbeddedPg *pg)
{
	if (pg->lock_fd >= 0)
		close(pg->lock_fd);
	g_free(pg->dir);
	g_free(pg->pgdata);
	g_free(pg->rundir);
	g_free(pg->bindir);
	g_free(pg->conninfo);
	g_free(pg);
}

/* See embedded.h. */
EmbeddedPg *embedded_pg_start(const char *data_dir, GError **error)
{
	EmbeddedPg *pg = g_new0(EmbeddedPg, 1);
	pg->lock_fd = -1;
	pg->as_postgres = geteuid() == 0;
	pg->dir = g_canonicalize_filename(data_dir, NULL);
	pg->pgdata = g_build_filename(pg->dir, "pgdata", NULL);
	pg->rundir = g_build_filename(pg->dir, "run", NULL);
	gboolean ok = g_mkdir_with_parents(pg->dir, 0700) == 0;
	if (!ok)
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "cannot create %s: %s", pg->dir, g_strerror(errno));
	ok = ok && embedded_lock(pg, error) && (pg->bindir = embedded_find_bindir(error)) != NULL &&
	     embedded_prepare_dirs(pg, error) && embedded_initdb(pg, error) && embedded_write_conf(pg, error) &&
	     embedded_pg_ctl_start(pg, error);
	if (!ok) {
		embedded_free(pg);
		return NULL;
	}
	if (!embedded_create_database(pg, error)) {
		embedded_pg_stop(pg);
		return NULL;
	}
	return pg;
}

/* See embedded.h. */
const char *embedded_pg_conninfo(EmbeddedPg *pg)
{
	return pg->conninfo;
}

/* See embedded.h; a failing pg_ctl stop is logged, never fatal. */
void embedded_pg_stop(EmbeddedPg *pg)
{
	if (pg == NULL)
		return;
	g_autofree char *pg_ctl = g_build_filename(pg->bindir, "pg_ctl", NULL);
	const char *argv[] = {pg_ctl, "-D", pg->pgdata, "-m", "fast", "-w", "-s", "stop", NULL};
	g_autoptr(GError) error = NULL;
	if (!embedded_run(pg, argv, NULL, &error))
		g_warning("embedded: stopping PostgreSQL in %s: %s", pg->pgdata, error->message);
	embedded_free(pg);
}
