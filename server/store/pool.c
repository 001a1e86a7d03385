/*
 * pool.c — the bounded pool of PostgreSQL connections shared by all workers.
 *
 * At most `size` connections exist; they are made lazily, outside the lock, by the worker
 * that needs one. A worker waits on the condition variable for a connection until its
 * deadline or the pool's wait_ms, whichever comes first. Invariant (under lock):
 * open == idle + in_use + connecting, and open <= size. A connection that failed, or that comes
 * back inside a transaction it cannot roll back, is closed on release and its slot freed.
 */
#include "store/store_internal.h"

struct StorePool {
	char *conninfo;
	guint size;
	guint wait_ms;
	GMutex lock;
	GCond cond;
	GQueue idle;   /* StoreConn*, healthy, outside any transaction */
	guint open;    /* connections counted against size (idle, in use, being made) */
	guint in_use;  /* handed out or being made */
	guint waiting; /* workers blocked in acquire */
};

/* Frees a connection and its prepared-statement set. */
static void store_conn_close(StoreConn *conn)
{
	if (conn == NULL)
		return;
	PQfinish(conn->pg);
	g_hash_table_destroy(conn->prepared);
	g_free(conn);
}

/* Opens a new connection; NULL with STORE_ERROR_UNAVAILABLE when PostgreSQL refuses. */
static StoreConn *store_conn_open(const char *conninfo, GError **error)
{
	PGconn *pg = PQconnectdb(conninfo);
	if (pg == NULL || PQstatus(pg) != CONNECTION_OK) {
		g_autofree char *detail = g_strdup(pg ? PQerrorMessage(pg) : "out of memory");
		g_strchomp(detail);
		PQfinish(pg);
		g_set_error(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE, "cannot connect to PostgreSQL\n%s", detail);
		return NULL;
	}
	StoreConn *conn = g_new0(StoreConn, 1);
	conn->pg = pg;
	conn->prepared = g_hash_table_new(g_str_hash, g_str_equal);
	return conn;
}

/* A new pool; nothing is connected until the first acquire. */
StorePool *store_pool_new(const char *conninfo, guint size, guint wait_ms)
{
	StorePool *pool = g_new0(StorePool, 1);
	pool->conninfo = g_strdup(conninfo);
	pool->size = MAX(size, 1);
	pool->wait_ms = wait_ms;
	g_mutex_init(&pool->lock);
	g_cond_init(&pool->cond);
	g_queue_init(&pool->idle);
	return pool;
}

/* Closes the idle connections and frees the pool; every connection must have been released. */
void store_pool_free(StorePool *pool)
{
	if (pool == NULL)
		return;
	g_warn_if_fail(pool->in_use == 0);
	StoreConn *conn;
	while ((conn = g_queue_pop_head(&pool->idle)) != NULL)
		store_conn_close(conn);
	g_mutex_clear(&pool->lock);
	g_cond_clear(&pool->cond);
	g_free(pool->conninfo);
	g_free(pool);
}

/* Gives up a slot (a connection closed or never made) and wakes one waiter. Lock held. */
static void store_pool_drop_locked(StorePool *pool)
{
	pool->open--;
	pool->in_use--;
	g_cond_signal(&pool->cond);
}

/*
 * Takes an idle connection, or makes one if a slot is free, or waits. Returns NULL with
 * STORE_ERROR_UNAVAILABLE on timeout or when a new connection cannot be made.
 */
StoreConn *store_pool_acquire(StorePool *pool, gint64 deadline_us, GError **error)
{
	gint64 start = g_get_monotonic_time();
	gint64 end = start + (gint64)pool->wait_ms * G_TIME_SPAN_MILLISECOND;
	if (deadline_us > 0 && deadline_us < end)
		end = deadline_us;

	g_mutex_lock(&pool->lock);
	for (;;) {
		StoreConn *conn = g_queue_pop_head(&pool->idle);
		if (conn != NULL) {
			pool->in_use++;
			g_mutex_unlock(&pool->lock);
			if (PQstatus(conn->pg) == CONNECTION_OK)
				return conn;
			store_conn_close(conn); /* went bad while idle: replace it */
			g_mutex_lock(&pool->lock);
			store_pool_drop_locked(pool);
			continue;
		}
		if (pool->open < pool->size) {
			pool->open++;
			pool->in_use++;
			g_mutex_unlock(&pool->lock);
			conn = store_conn_open(pool->conninfo, error);
			if (conn != NULL)
				return conn;
			g_mutex_lock(&pool->lock);
			store_pool_drop_locked(pool);
			g_mutex_unlock(&pool->lock);
			return NULL;
		}
		pool->waiting++;
		gboolean woke = g_cond_wait_until(&pool->cond, &pool->lock, end);
		pool->waiting--;
		if (!woke && g_get_monotonic_time() >= end && g_queue_is_empty(&pool->idle) && pool->open >= pool->size)
			break;
	}
	g_mutex_unlock(&pool->lock);
	g_set_error(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE,
	            "no PostgreSQL connection available within %" G_GINT64_FORMAT " ms (pool_size=%u)",
	            MAX(end - start, 0) / G_TIME_SPAN_MILLISECOND, pool->size);
	return NULL;
}

/* TRUE if conn may go back to the idle list: healthy and outside any transaction. */
static gboolean store_conn_reusable(StoreConn *conn)
{
	if (conn->bad || conn->heavy || PQstatus(conn->pg) != CONNECTION_OK)
		return FALSE;
	if (PQtransactionStatus(conn->pg) == PQTRANS_IDLE)
		return TRUE;
	store_rollback(conn);
	return !conn->bad && PQtransactionStatus(conn->pg) == PQTRANS_IDLE;
}

/* Returns conn to the pool, or closes it (freeing its slot) if it is not reusable. */
void store_pool_release(StorePool *pool, StoreConn *conn)
{
	if (conn == NULL)
		return;
	gboolean keep = store_conn_reusable(conn);
	if (!keep)
		store_conn_close(conn);
	g_mutex_lock(&pool->lock);
	if (keep) {
		pool->in_use--;
		g_queue_push_head(&pool->idle, conn);
		g_cond_signal(&pool->cond);
	} else {
		store_pool_drop_locked(pool);
	}
	g_mutex_unlock(&pool->lock);
}

/* A consistent snapshot of the counters; any out pointer may be NULL. */
void store_pool_usage(StorePool *pool, guint *open, guint *in_use, guint *waiting)
{
	g_mutex_lock(&pool->lock);
	if (open)
		*open = pool->open;
	if (in_use)
		*in_use = pool->in_use;
	if (waiting)
		*waiting = pool->waiting;
	g_mutex_unlock(&pool->lock);
}
