/*
 * loop.c — the event loop: one thread, epoll (level-triggered), every socket of the server.
 *
 * Each wakeup handles a batch of events, then frees the connections that were closed during
 * the batch (never inside their own callback). The loop never blocks on anything but
 * epoll_wait: sockets are non-blocking, requests and password checks run on workers, timers
 * are the janitor's. A connection's events are one switch (readable, writable, TLS handshake,
 * error); reads and writes go through io.c, plain or TLS alike. After net_server_stop()
 * the loop stops accepting, closes idle connections, lets requests in flight finish for up
 * to shutdown_grace_ms, then closes everything. Out of descriptors, accept refuses clients
 * cleanly (closed at once, logged, counted) with a spare descriptor kept for that, and pauses
 * the listener for the janitor only when even the spare is gone. Loop thread only.
 */
#define _GNU_SOURCE /* accept4 */
#include "net/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/error.h"

#define LOOP_BATCH 256
#define LOOP_ACCEPTS_PER_WAKEUP 64

typedef enum { CONN_EVENT_READABLE, CONN_EVENT_WRITABLE, CONN_EVENT_TLS_HANDSHAKE, CONN_EVENT_ERROR } ConnEvent;

/* Registers, changes or removes fd's epoll interest (old/new 0 mean not registered). */
void net_loop_watch(NetServer *server, int fd, guint32 old_events, guint32 new_events, NetSource *source)
{
	struct epoll_event ev = { .events = new_events, .data.ptr = source };
	int op = old_events == 0 ? EPOLL_CTL_ADD : new_events == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;

	if (old_events == 0 && new_events == 0)
		return;
	if (epoll_ctl(server->epfd, op, fd, &ev) != 0)
		g_warning("net: epoll_ctl(op=%d, fd=%d): %s", op, fd, g_strerror(errno));
}

/* "1.2.3.4:5" or "[::1]:5" for a peer address. */
static void loop_format_peer(const struct sockaddr_storage *addr, char *out, gsize size)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (addr->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		g_snprintf(out, size, "%s:%u", host, ntohs(in->sin_port));
	} else if (addr->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		g_snprintf(out, size, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else {
		g_strlcpy(out, "unknown", size);
	}
}

/*
 * accept() ran out of descriptors (err). Giving up the spare descriptor for a moment lets the
 * oldest waiting client be accepted and closed at once: it sees its connection end instead of
 * waiting unanswered in the backlog, and the refusal is logged and counted. TRUE when a
 * client was refused (the caller goes on accepting). FALSE when none was waiting, or when the
 * spare could not be had again (another thread took the descriptor): then the listener is
 * paused until the janitor retries. ENOBUFS/ENOMEM only pause.
 */
static gboolean loop_refuse_no_fd(NetListener *listener, int err)
{
	NetServer *server = listener->server;
	struct sockaddr_storage addr;
	socklen_t alen = sizeof(addr);
	char peer[64];

	if (!listener->exhausted)
		g_warning("net: accept on %s: %s; refusing new connections until descriptors are free", listener->name,
		          g_strerror(err));
	listener->exhausted = TRUE;
	if (server->spare_fd < 0)
		server->spare_fd = eventfd(0, EFD_CLOEXEC);
	if (server->spare_fd < 0 || (err != EMFILE && err != ENFILE)) {
		net_listener_pause(listener, TRUE);
		return FALSE;
	}
	close(server->spare_fd);
	int fd = accept4(listener->fd, (struct sockaddr *)&addr, &alen, SOCK_CLOEXEC);
	if (fd >= 0) {
		loop_format_peer(&addr, peer, sizeof(peer));
		close(fd);
		g_message("conn=- peer=%s: refused: out of file descriptors (%s)", peer, g_strerror(err));
		g_mutex_lock(&server->stats_lock);
		server->stats.rejected_total++;
		server->stats.rejected_fd_exhausted++;
		g_mutex_unlock(&server->stats_lock);
	}
	server->spare_fd = eventfd(0, EFD_CLOEXEC);
	if (server->spare_fd < 0) {
		net_listener_pause(listener, TRUE);
		return FALSE;
	}
	return fd >= 0;
}

/* Takes one accepted socket: refused (closed) past max_connections, else a new connection. */
static void loop_take_socket(NetListener *listener, int fd, const struct sockaddr_storage *addr)
{
	NetServer *server = listener->server;
	char peer[64];
	int one = 1;

	loop_format_peer(addr, peer, sizeof(peer));
	if (listener->exhausted) {
		listener->exhausted = FALSE;
		g_message("net: accepting again on %s", listener->name);
	}
	if (server->stats.open_connections >= server->config->max_connections) {
		g_message("conn=- peer=%s: refused: max_connections exceeded (%u open)", peer,
		          server->stats.open_connections);
		close(fd);
		g_mutex_lock(&server->stats_lock);
		server->stats.rejected_total++;
		server->stats.rejected_max_connections++;
		g_mutex_unlock(&server->stats_lock);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	g_mutex_lock(&server->stats_lock);
	server->stats.open_connections++;
	server->stats.accepted_total++;
	g_mutex_unlock(&server->stats_lock);
	NetConn *conn = net_conn_new(server, listener, fd, peer);
	net_conn_debug(conn, "accepted on %s", listener->name);
}

/* Accepts what the listener has queued, a bounded number per wakeup. */
static void loop_accept(NetListener *listener)
{
	for (int i = 0; i < LOOP_ACCEPTS_PER_WAKEUP && listener->fd >= 0 && !listener->paused; i++) {
		struct sockaddr_storage addr;
		socklen_t alen = sizeof(addr);
		int fd = accept4(listener->fd, (struct sockaddr *)&addr, &alen, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			loop_take_socket(listener, fd, &addr);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			if (loop_refuse_no_fd(listener, errno))
				continue;
		} else if (errno != EAGAIN && errno != EWOULDBLOCK) {
			g_warning("net: accept: %s", g_strerror(errno));
		}
		return;
	}
}

/*
 * Lends conn to a worker for job (a request, or a password check): fills what the worker may
 * know about the connection, and the socket goes quiet until the job comes back.
 */
void net_loop_lend(NetConn *conn, NetJob *job)
{
	NetServer *server = conn->server;

	job->conn = conn;
	job->info.conn_id = conn->id;
	job->info.peer = conn->peer;
	job->info.deadline_us = g_get_monotonic_time() + (gint64)server->config->request_deadline_ms * 1000;
	job->info.net_job = job;
	job->info.listener = conn->listener->name;
	job->info.tls_peer_cn = conn->tls_peer_cn;
	job->info.sasl_user = conn->sasl_user;
	job->info.sasl_authid = conn->sasl_authid;
	job->info.sasl_mechanism = conn->sasl_mechanism;
	job->info.trust_client_user = conn->listener->trust_client_user;
	conn->lent = TRUE;
	net_conn_set_state(conn, NET_CONN_QUEUED);
	net_workers_submit(server, job);
}

/* Lends the complete message at the front of conn->in to a worker. */
static void loop_dispatch(NetConn *conn, gsize off, gsize len)
{
	NetServer *server = conn->server;
	NetJob *job = g_new0(NetJob, 1);

	conn->request_bytes = off + len;
	job->kind = NET_JOB_REQUEST;
	job->msg = conn->in->data + off;
	job->len = len;
	job->info.request_id = ++server->next_request_id;
	g_mutex_lock(&server->stats_lock);
	server->stats.requests_total++;
	server->stats.active_requests++;
	g_mutex_unlock(&server->stats_lock);
	net_loop_lend(conn, job);
}

/*
 * Looks at the buffered input of an IDLE/READING connection (or one whose reply just went
 * out): dispatches a complete message, waits for more, or rejects bad input.
 */
void net_loop_process_input(NetConn *conn)
{
	g_autoptr(GError) error = NULL;
	gsize off = 0, len = 0;

	if (conn->phase == NET_PHASE_SASL) {
		net_handshake_sasl_input(conn);
		return;
	}
	if (!conn->in || conn->in->len == 0) {
		g_clear_pointer(&conn->in, g_byte_array_unref);
		net_conn_set_state(conn, NET_CONN_IDLE);
		return;
	}
	if (conn->server->stopping) {
		net_conn_close(conn, "server stopping");
		return;
	}
	switch (net_frame_next(conn, &off, &len, &error)) {
	case NET_SCAN_NEED_MORE:
		net_conn_set_state(conn, NET_CONN_READING);
		break;
	case NET_SCAN_ERROR:
		net_conn_reject_input(conn, error);
		break;
	case NET_SCAN_DONE:
		loop_dispatch(conn, off, len);
		break;
	}
}

/*
 * Reads what the socket has into conn->in (which grows only by what arrived), then looks at
 * it. A plain socket is read once per wakeup (level-triggered epoll calls again); TLS is read
 * until it holds no decrypted bytes that epoll could not see.
 */
void net_loop_read(NetConn *conn)
{
	NetServer *server = conn->server;
	g_autoptr(GError) error = NULL;
	gsize total = 0, n = 0;
	NetIoStatus st;

	while ((st = net_io_read(conn, server->read_buf, NET_READ_CHUNK, &n, &error)) == NET_IO_DONE) {
		if (!conn->in)
			conn->in = g_byte_array_sized_new((guint)n);
		g_byte_array_append(conn->in, server->read_buf, (guint)n);
		total += n;
		if (!net_io_pending(conn) && (conn->ssl == NULL || total >= NET_READ_CHUNK))
			break;
	}
	if (st == NET_IO_ERROR || (st == NET_IO_EOF && total == 0)) { /* an end after data: seen again next wakeup */
		if (st == NET_IO_ERROR)
			net_conn_debug(conn, "%s", error->message);
		else if (conn->state == NET_CONN_READING || (conn->state == NET_CONN_HANDSHAKE && conn->in))
			net_conn_message(conn, "closing: end of input in the middle of a %s",
			                 conn->phase == NET_PHASE_SASL ? "SASL negotiation" : "message");
		net_conn_close(conn, st == NET_IO_EOF ? "end of input" : "read error");
		return;
	}
	net_conn_want(conn, st == NET_IO_WANT_WRITE ? EPOLLOUT : 0);
	if (total == 0)
		return;
	conn->last_active_us = g_get_monotonic_time();
	net_loop_process_input(conn);
}

/*
 * Sends as much of conn->out as the socket takes. When all is sent: closes if asked to,
 * else goes back to reading (and starts on any request already buffered).
 */
void net_loop_send(NetConn *conn)
{
	while (conn->out && conn->out_sent < conn->out->len) {
		g_autoptr(GError) error = NULL;
		gsize n = 0;
		NetIoStatus st = net_io_write(conn, conn->out->data + conn->out_sent, conn->out->len - conn->out_sent, &n,
		                              &error);
		if (st == NET_IO_WANT_WRITE || st == NET_IO_WANT_READ) {
			net_conn_set_state(conn, NET_CONN_WRITING);
			net_conn_want(conn, st == NET_IO_WANT_READ ? EPOLLIN : 0);
			return;
		}
		if (st != NET_IO_DONE) {
			net_conn_debug(conn, "%s", error ? error->message : "write: end of connection");
			net_conn_close(conn, "write error");
			return;
		}
		conn->out_sent += n;
		conn->last_active_us = g_get_monotonic_time();
	}
	g_clear_pointer(&conn->out, g_byte_array_unref);
	conn->out_sent = 0;
	if (conn->close_after_write) {
		net_conn_close(conn, "closed after reply");
		return;
	}
	net_loop_process_input(conn);
}

/* Takes a finished request back from a worker: drops its bytes, sends its reply. */
static void loop_finish(NetJob *job)
{
	NetConn *conn = job->conn;
	NetServer *server = conn->server;

	if (job->kind == NET_JOB_AUTH) {
		net_handshake_auth_done(job);
		return;
	}
	if (job->kind == NET_JOB_GSS) {
		net_handshake_gss_done(job);
		return;
	}
	NET_STAT_ADD(server, active_requests, -1);
	conn->lent = FALSE;
	g_byte_array_remove_range(conn->in, 0, (guint)conn->request_bytes);
	conn->request_bytes = 0;
	if (!job->keep_open || server->stopping)
		conn->close_after_write = TRUE;
	if (job->sent_by_worker)
		conn->last_active_us = g_get_monotonic_time();
	if (job->reply->len > 0 && job->preframed) {
		g_clear_pointer(&conn->out, g_byte_array_unref);
		conn->out = job->reply;
		conn->out_sent = 0;
	} else if (job->reply->len > 0) {
		net_frame_reply(conn, job->reply);
	} else {
		g_byte_array_unref(job->reply);
	}
	g_free(job);
	net_loop_send(conn);
}

/* One event on a client socket; stale events for closing or lent connections are dropped. */
static void loop_conn_event(NetConn *conn, guint32 events)
{
	ConnEvent what;

	if (conn->state == NET_CONN_CLOSING || conn->lent)
		return;
	if (events & EPOLLERR)
		what = CONN_EVENT_ERROR;
	else if (conn->state == NET_CONN_WRITING)
		what = CONN_EVENT_WRITABLE;
	else if (conn->phase == NET_PHASE_TLS)
		what = CONN_EVENT_TLS_HANDSHAKE;
	else
		what = CONN_EVENT_READABLE;

	switch (what) {
	case CONN_EVENT_READABLE:
		net_loop_read(conn);
		break;
	case CONN_EVENT_WRITABLE:
		net_loop_send(conn);
		break;
	case CONN_EVENT_TLS_HANDSHAKE:
		net_handshake_tls(conn);
		break;
	case CONN_EVENT_ERROR: {
		int err = 0;
		socklen_t elen = sizeof(err);
		getsockopt(conn->fd, SOL_SOCKET, SO_ERROR, &err, &elen);
		net_conn_debug(conn, "socket error: %s", g_strerror(err));
		net_conn_close(conn, "socket error");
		break;
	}
	}
}

/* Closes every connection on one list (those not lent to a worker). */
static void loop_close_list(NetServer *server, NetConnState state, const char *reason)
{
	GList *next;

	for (GList *l = server->lists[state].head; l; l = next) {
		next = l->next;
		NetConn *conn = l->data;
		if (!conn->lent)
			net_conn_close(conn, reason);
	}
}

/* net_server_stop() was called: stop accepting, close what is idle, start the grace period. */
static void loop_begin_stop(NetServer *server)
{
	uint64_t count;

	if (read(server->stop_fd, &count, sizeof(count)) < 0 || server->stopping)
		return;
	server->stopping = TRUE;
	server->stop_deadline_us = g_get_monotonic_time() + (gint64)server->config->shutdown_grace_ms * 1000;
	g_message("net: stopping; %u requests in flight, waiting up to %u ms", server->lists[NET_CONN_QUEUED].length,
	          server->config->shutdown_grace_ms);
	for (guint i = 0; i < server->listeners->len; i++) {
		NetListener *listener = g_ptr_array_index(server->listeners, i);
		if (listener->fd < 0)
			continue;
		net_listener_pause(listener, TRUE);
		close(listener->fd);
		listener->fd = -1;
	}
	loop_close_list(server, NET_CONN_HANDSHAKE, "server stopping");
	loop_close_list(server, NET_CONN_IDLE, "server stopping");
	loop_close_list(server, NET_CONN_READING, "server stopping");
}

/* Frees the connections closed during this batch: the safe point. */
static void loop_reap(NetServer *server)
{
	while (server->lists[NET_CONN_CLOSING].head)
		net_conn_free(server->lists[NET_CONN_CLOSING].head->data);
}

/* Workers wrote to done_fd: take their finished requests back. */
static void loop_take_done(NetServer *server)
{
	uint64_t count;

	if (read(server->done_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		g_warning("net: read(done eventfd): %s", g_strerror(errno));
	net_workers_drain_done(server, loop_finish);
}

/* Milliseconds epoll_wait may sleep: forever, or until the grace period ends. */
static int loop_timeout_ms(NetServer *server)
{
	if (!server->stopping)
		return -1;
	gint64 left = server->stop_deadline_us - g_get_monotonic_time();
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/* Handles one batch of epoll events (a switch over what each event is for). */
static void loop_dispatch_events(NetServer *server, struct epoll_event *events, int n)
{
	for (int i = 0; i < n; i++) {
		NetSource *source = events[i].data.ptr;
		switch (source->kind) {
		case NET_SOURCE_LISTENER:
			if (!server->stopping)
				loop_accept((NetListener *)source);
			break;
		case NET_SOURCE_CONN:
			loop_conn_event((NetConn *)source, events[i].events);
			break;
		case NET_SOURCE_STOP:
			loop_begin_stop(server);
			break;
		case NET_SOURCE_DONE:
			loop_take_done(server);
			break;
		case NET_SOURCE_TIMER:
			net_janitor_tick(server);
			break;
		}
	}
	loop_reap(server);
}

/* After the loop: workers are joined, their last replies sent (best effort), all closed. */
static void loop_shutdown(NetServer *server)
{
	server->stopping = TRUE; /* also after an epoll failure: nothing new may be dispatched */
	if (server->lists[NET_CONN_QUEUED].length > 0)
		g_message("net: grace period over; waiting for %u requests to finish",
		          server->lists[NET_CONN_QUEUED].length);
	net_workers_join(server);
	net_workers_drain_done(server, loop_finish);
	for (int st = 0; st < NET_CONN_CLOSING; st++)
		loop_close_list(server, st, "server stopped");
	loop_reap(server);
}

/* Runs until net_server_stop() and the grace period are over, then closes everything. */
void net_loop_run(NetServer *server)
{
	struct epoll_event events[LOOP_BATCH];

	for (;;) {
		if (server->stopping) {
			guint busy = server->lists[NET_CONN_QUEUED].length + server->lists[NET_CONN_WRITING].length;
			if (busy == 0 || g_get_monotonic_time() >= server->stop_deadline_us)
				break;
		}
		int n = epoll_wait(server->epfd, events, LOOP_BATCH, loop_timeout_ms(server));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_critical("net: epoll_wait: %s; stopping", g_strerror(errno));
			break;
		}
		loop_dispatch_events(server, events, n);
	}
	loop_shutdown(server);
}
