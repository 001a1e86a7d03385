/*
 * embedded.h — a private PostgreSQL 15 cluster inside a data directory, for embedded mode
 * and for tests.
 *
 * Layout of DIR: DIR/propolis.lock (flock held by the process while it runs), DIR/pgdata (the
 * cluster, made by initdb on first start), DIR/run (the Unix socket and postgres.log). The
 * cluster listens on no TCP address, only on the socket in DIR/run, with trust authentication
 * for that socket alone; the database `propolis` is created on first start.
 * Binaries: $PROPOLIS_PG_BINDIR, else /usr/lib/postgresql/15/bin, else `pg_config --bindir`.
 * When the process runs as root, initdb and pg_ctl run as the user `postgres`, which then owns
 * DIR/pgdata and DIR/run (DIR is made traversable for it; its parents must already be).
 * PROPOLIS_EMBEDDED_NOSYNC=1 in the environment (throwaway clusters in tests only) runs initdb
 * --no-sync and the cluster with fsync = off: fast, and not crash-safe.
 *
 * A second process on the same DIR fails at start with STORE_ERROR_UNAVAILABLE naming the
 * lock; other failures (missing binaries, initdb or pg_ctl failing) are STORE_ERROR_INTERNAL
 * with the tool's output as detail. Start and stop block (seconds) and spawn processes: call
 * them from the main thread, before the workers start and after they stop.
 */
#ifndef PROPOLIS_STORE_EMBEDDED_H
#define PROPOLIS_STORE_EMBEDDED_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct EmbeddedPg EmbeddedPg;

/*
 * Creates (first time) and starts the cluster in data_dir, or adopts one already running
 * there (left over by a crashed process). Returns the handle, or NULL with error set.
 */
EmbeddedPg *embedded_pg_start(const char *data_dir, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The libpq conninfo of the `propolis` database, owned by the handle. */
const char *embedded_pg_conninfo(EmbeddedPg *pg);

/* Stops the cluster (pg_ctl stop -m fast), releases the lock and frees the handle. NULL is fine. */
void embedded_pg_stop(EmbeddedPg *pg);

G_END_DECLS

#endif
