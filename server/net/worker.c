/*
 * worker.c — the fixed pool of threads that run requests, and the queues to and from them.
 *
 * The loop pushes a NetJob on the job queue; a worker calls the door's handle() with the
 * message bytes (which stay put: the connection is lent, the loop does not touch it), or
 * the door's authenticate() for a SASL login, puts the job with its reply on the done queue
 * and wakes the loop through done_fd (an eventfd). While it holds the connection a worker may
 * write its socket (plain or TLS, through io.c: the loop does not touch a lent connection's
 * socket or SSL object), but never its lists or other fields. Stop: a sentinel per
 * worker is pushed to the front of the job queue; jobs never started come back with an
 * empty reply and the connection is closed.
 */
#include "net/internal.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/error.h"

/* The address a worker takes as "stop"; never a real job. */
static NetJob stop_sentinel;

/* Puts a finished job on the done queue and wakes the loop. Any thread. */
static void worker_hand_back(NetServer *server, NetJob *job)
{
	uint64_t one = 1;

	g_mutex_lock(&server->done_lock);
	g_queue_push_tail(&server->done, job);
	g_mutex_unlock(&server->done_lock);
	if (write(server->done_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		g_warning("net: write(done eventfd): %s", g_strerror(errno));
}

/*
 * worker_send_direct() on a TLS connection: the frame header goes in front of the reply (TLS
 * has no gather write), then records go out until the socket is full. What is left stays in
 * job->reply, already framed, and the loop retries with those same bytes.
 */
static void worker_send_direct_tls(NetJob *job, const guint8 head[4])
{
	GByteArray *reply = job->reply;
	if (head) {
		g_byte_array_prepend(reply, head, 4);
		job->preframed = TRUE;
	}
	gsize off = 0, n = 0;
	while (off < reply->len && net_io_write(job->conn, reply->data + off, reply->len - off, &n, NULL) == NET_IO_DONE)
		off += n;
	if (off > 0)
		job->sent_by_worker = TRUE;
	g_byte_array_remove_range(reply, 0, (guint)off);
}

/*
 * Sends the finished reply straight from the worker, saving the loop a wake-up and a write per
 * request: the connection is lent, so the socket is the worker's until the hand-back. Never
 * blocks: what the socket does not take now stays in job->reply, already framed, and the
 * loop sends it when the socket is writable.
 */
static void worker_send_direct(NetJob *job)
{
	GByteArray *reply = job->reply;
	if (reply->len == 0)
		return;
	gboolean framed = job->conn->transport == NET_TRANSPORT_FRAMED;
	guint32 n = reply->len;
	guint8 head[4] = {n >> 24, n >> 16, n >> 8, n};
	if (job->conn->ssl) {
		worker_send_direct_tls(job, framed ? head : NULL);
		return;
	}
	struct iovec iov[2] = {{head, 4}, {reply->data, reply->len}};
	struct msghdr msg = {.msg_iov = framed ? iov : iov + 1, .msg_iovlen = framed ? 2 : 1};
	gsize total = reply->len + (framed ? 4 : 0);
	ssize_t sent;
	do
		sent = sendmsg(job->conn->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (sent < 0 && errno == EINTR);
	if (sent <= 0)
		return; /* EAGAIN or an error: the loop sends (and sees the error) as before */
	job->sent_by_worker = TRUE;
	if (framed) {
		g_byte_array_prepend(reply, head, 4);
		job->preframed = TRUE;
	}
	g_byte_array_remove_range(reply, 0, (guint)MIN((gsize)sent, total));
}

/* Asks the door whether a SASL PLAIN login is good; the verdict and reason go back in the job. */
static void worker_authenticate(NetServer *server, NetJob *job)
{
	g_autoptr(GError) error = NULL;
	if (server->door.authenticate == NULL) {
		job->auth_error = g_strdup("the door checks no passwords");
		return;
	}
	job->auth_ok = server->door.authenticate(server->door_data, &job->info, job->user, job->password, &error);
	if (!job->auth_ok)
		job->auth_error = g_strdup(error ? error->message : "refused");
}

/* DIGEST-MD5's password lookup: the door's token_password for this job's connection. */
static char *worker_token_password(gpointer data, const char *username, char **principal, GError **error)
{
	NetJob *job = data;
	NetServer *server = job->conn->server;
	return server->door.token_password(server->door_data, &job->info, username, principal, error);
}

/* Steps a DIGEST-MD5 negotiation (digest.c); the door names who acts when the token checks out. */
static void worker_digest_step(NetServer *server, NetJob *job)
{
	g_autoptr(GError) error = NULL;
	(void)server;
	job->reply = g_byte_array_new();
	job->gss_result = net_digest_step(job->conn->digest, job->gss_in->data, job->gss_in->len, job->reply,
	                                  worker_token_password, job, &job->user, &job->authid, &error);
	if (job->gss_result == NET_GSS_FAILED)
		job->auth_error = g_strdup(error ? error->message : "refused");
	job->auth_ok = job->gss_result == NET_GSS_COMPLETE && job->user != NULL;
}

/* Steps a GSSAPI negotiation (gss.c) and, once a ticket is proven, asks the door whom it names. */
static void worker_gss_step(NetServer *server, NetJob *job)
{
	g_autoptr(GError) error = NULL;
	if (job->mech == NET_SASL_MECH_DIGEST) {
		worker_digest_step(server, job);
		return;
	}
	job->reply = g_byte_array_new();
	job->gss_result = net_gss_step(job->conn->gss, job->gss_in->data, job->gss_in->len, job->reply, &job->authid,
	                               &error);
	if (job->gss_result == NET_GSS_FAILED) {
		job->auth_error = g_strdup(error ? error->message : "refused");
		return;
	}
	if (job->gss_result != NET_GSS_COMPLETE)
		return;
	job->info.sasl_authid = job->authid;
	if (server->door.map_kerberos == NULL) {
		job->auth_error = g_strdup("the door maps no Kerberos principals");
		return;
	}
	job->user = server->door.map_kerberos(server->door_data, &job->info, job->authid, &error);
	job->auth_ok = job->user != NULL;
	if (!job->auth_ok)
		job->auth_error = g_strdup(error ? error->message : "refused");
}

/*
 * Gives the memory a heavy request freed back to the kernel. glibc keeps freed memory in its
 * arenas for reuse; after an add_partitions of thousands or a large listing that is tens of
 * megabytes the next get_table will never need. So a request that took at least
 * NET_TRIM_AFTER_US (what allocates much also takes long) marks a trim as due, and a worker
 * runs malloc_trim(0) when it finds no queued job (after sending its reply, or after waiting
 * NET_TRIM_IDLE_US), at most once per NET_TRIM_PERIOD_US across workers. Not after every heavy
 * request: the next one page-faults its memory back in (15% of an add_partitions of 10,000
 * went to page faults when each was followed by a trim); once per period bounds that cost
 * while a server under steady load still gives back what its bursts left.
 */
#define NET_TRIM_AFTER_US 20000
#define NET_TRIM_IDLE_US 1000000
#define NET_TRIM_PERIOD_US 10000000
static gint64 last_trim_us;
static gint trim_due;

static void worker_maybe_trim(void)
{
	if (!g_atomic_int_get(&trim_due))
		return;
	gint64 now = g_get_monotonic_time();
	gint64 prev = __atomic_load_n(&last_trim_us, __ATOMIC_RELAXED);
	if (now - prev < NET_TRIM_PERIOD_US ||
	    !__atomic_compare_exchange_n(&last_trim_us, &prev, now, FALSE, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	g_atomic_int_set(&trim_due, 0);
	malloc_trim(0);
}

/* One worker: runs jobs until it takes the stop sentinel. */
static gpointer worker_main(gpointer data)
{
	NetServer *server = data;

	for (;;) {
		NetJob *job = g_async_queue_timeout_pop(server->jobs, NET_TRIM_IDLE_US);
		if (job == NULL) {
			worker_maybe_trim();
			continue;
		}
		if (job == &stop_sentinel)
			return NULL;
		if (job->kind == NET_JOB_AUTH) {
			worker_authenticate(server, job);
			worker_hand_back(server, job);
			continue;
		}
		if (job->kind == NET_JOB_GSS) {
			worker_gss_step(server, job);
			worker_hand_back(server, job);
			continue;
		}
		gint64 started_us = g_get_monotonic_time();
		job->reply = g_byte_array_new();
		job->keep_open = server->door.handle(server->door_data, job->conn->session, &job->info, job->msg,
		                                     job->len, job->reply);
		worker_send_direct(job);
		worker_hand_back(server, job);
		if (g_get_monotonic_time() - started_us >= NET_TRIM_AFTER_US)
			g_atomic_int_set(&trim_due, 1);
		if (g_async_queue_length(server->jobs) <= 0)
			worker_maybe_trim();
	}
}

/*
 * Streams reply bytes to the socket of a lent, unframed connection (see net.h). While the
 * connection is lent the loop does not watch or touch its socket, so the worker may write it;
 * the socket is non-blocking, so the worker waits for room with poll(), bounded by
 * output_stall_ms of no progress and by the request deadline.
 */
gboolean net_request_flush(const NetRequestInfo *info, GByteArray *reply, GError **error)
{
	NetJob *job = info ? info->net_job : NULL;
	if (job == NULL || reply->len == 0 || job->conn->transport != NET_TRANSPORT_UNFRAMED)
		return TRUE;
	NetConn *conn = job->conn;
	gint64 stall_us = (gint64)conn->server->config->output_stall_ms * 1000;
	gint64 give_up = MIN(g_get_monotonic_time() + stall_us, info->deadline_us);
	gsize off = 0;
	while (off < reply->len) {
		g_autoptr(GError) local = NULL;
		gsize n = 0;
		NetIoStatus st = net_io_write(conn, reply->data + off, reply->len - off, &n, &local);
		if (st == NET_IO_DONE) {
			off += n;
			give_up = MIN(g_get_monotonic_time() + stall_us, info->deadline_us);
			continue;
		}
		if (st != NET_IO_WANT_WRITE && st != NET_IO_WANT_READ) {
			g_set_error(error, NET_ERROR, NET_ERROR_IO, "streaming reply: %s",
			            local ? local->message : "connection closed");
			return FALSE;
		}
		gint64 left_ms = (give_up - g_get_monotonic_time()) / 1000;
		struct pollfd pfd = {.fd = conn->fd, .events = st == NET_IO_WANT_READ ? POLLIN : POLLOUT};
		if (left_ms <= 0 || poll(&pfd, 1, (int)MIN(left_ms, 1000)) < 0) {
			if (left_ms > 0 && errno == EINTR)
				continue;
			g_set_error(error, NET_ERROR, NET_ERROR_IO,
			            "streaming reply: client read nothing for %u ms (output_stall_ms) or the deadline passed",
			            conn->server->config->output_stall_ms);
			return FALSE;
		}
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
			g_set_error_literal(error, NET_ERROR, NET_ERROR_IO, "streaming reply: client closed the connection");
			return FALSE;
		}
	}
	conn->last_active_us = g_get_monotonic_time();
	g_byte_array_set_size(reply, 0);
	return TRUE;
}

/* Starts config->worker_threads workers (at least one). FALSE with NET_ERROR_IO if a thread cannot start. */
gboolean net_workers_start(NetServer *server, GError **error)
{
	guint n = MAX(server->config->worker_threads, 1);

	server->workers = g_new0(GThread *, n);
	for (guint i = 0; i < n; i++) {
		g_autofree char *name = g_strdup_printf("net-worker-%u", i);
		g_autoptr(GError) local = NULL;
		server->workers[i] = g_thread_try_new(name, worker_main, server, &local);
		if (!server->workers[i]) {
			g_set_error(error, NET_ERROR, NET_ERROR_IO, "cannot start worker thread: %s", local->message);
			net_workers_join(server);
			return FALSE;
		}
		server->n_workers++;
	}
	return TRUE;
}

/* Queues a job for the next free worker. Loop thread. */
void net_workers_submit(NetServer *server, NetJob *job)
{
	g_async_queue_push(server->jobs, job);
}

/* Calls finish on every job the workers handed back so far. Loop thread. */
void net_workers_drain_done(NetServer *server, void (*finish)(NetJob *job))
{
	GQueue batch;

	g_mutex_lock(&server->done_lock);
	batch = server->done;
	g_queue_init(&server->done);
	g_mutex_unlock(&server->done_lock);
	for (NetJob *job; (job = g_queue_pop_head(&batch));)
		finish(job);
}

/* Stops and joins the workers (each finishes its current job); unstarted jobs come back empty. */
void net_workers_join(NetServer *server)
{
	for (guint i = 0; i < server->n_workers; i++)
		g_async_queue_push_front(server->jobs, &stop_sentinel);
	for (guint i = 0; i < server->n_workers; i++)
		g_thread_join(server->workers[i]);
	server->n_workers = 0;
	g_clear_pointer(&server->workers, g_free);
	for (NetJob *job; (job = g_async_queue_try_pop(server->jobs));) {
		if (job == &stop_sentinel)
			continue;
		job->reply = g_byte_array_new();
		job->keep_open = FALSE;
		worker_hand_back(server, job);
	}
}
