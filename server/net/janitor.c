/*
 * janitor.c — the server's one timer: idle timeouts, stalled output, listener retry.
 *
 * A timerfd ticks every NET_JANITOR_PERIOD_MS on the loop thread. Each tick: a listener
 * paused by EMFILE/ENFILE is watched again; a connection still in its TLS handshake or SASL
 * negotiation handshake_timeout_ms after accept is closed; a connection reading, idle or
 * writing with no byte moved for idle_timeout_s is closed; a connection with more than max_output_buffer
 * bytes unsent that has taken nothing for NET_OUTPUT_STALL_MS is closed. Requests lent to
 * workers are not timed here (the door checks NetRequestInfo.deadline_us). Loop thread only.
 */
#include "net/internal.h"

#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common/error.h"

#define NET_JANITOR_PERIOD_MS 250
#define NET_OUTPUT_STALL_MS 1000

/* Creates the timerfd and watches it. FALSE with NET_ERROR_IO when the kernel refuses. */
gboolean net_janitor_start(NetServer *server, GError **error)
{
	struct itimerspec period = {
		.it_interval = { 0, NET_JANITOR_PERIOD_MS * 1000000L },
		.it_value = { 0, NET_JANITOR_PERIOD_MS * 1000000L },
	};

	server->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (server->timer_fd < 0 || timerfd_settime(server->timer_fd, 0, &period, NULL) != 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "timerfd: %s", g_strerror(errno));
		return FALSE;
	}
	server->timer_source.kind = NET_SOURCE_TIMER;
	net_loop_watch(server, server->timer_fd, 0, EPOLLIN, &server->timer_source);
	return TRUE;
}

/* Watches the listeners again after accept() ran out of descriptors. */
static void janitor_resume_listeners(NetServer *server)
{
	for (guint i = 0; i < server->listeners->len && !server->stopping; i++) {
		NetListener *listener = g_ptr_array_index(server->listeners, i);
		if (!listener->paused || listener->fd < 0)
			continue;
		net_listener_pause(listener, FALSE);
		g_debug("net: watching %s again", listener->name); /* loop.c says when an accept succeeds */
	}
}

/* Closes the connections that have not finished TLS and SASL within handshake_timeout_ms. */
static void janitor_check_handshakes(NetServer *server, gint64 now)
{
	guint ms = server->config->handshake_timeout_ms;
	GList *next;

	for (GList *l = server->lists[NET_CONN_HANDSHAKE].head; ms > 0 && l; l = next) {
		next = l->next;
		NetConn *conn = l->data;
		if (now - conn->accepted_us <= (gint64)ms * 1000)
			continue;
		NET_STAT_ADD(server, handshake_failures, 1);
		net_conn_message(conn, "closing: handshake_timeout_ms exceeded (%s not finished after %u ms)",
		                 conn->phase == NET_PHASE_TLS ? "TLS handshake" : "SASL negotiation", ms);
		net_conn_close(conn, "handshake timeout");
	}
}

/* Closes the connections of one list that have been silent too long or stalled with output. */
static void janitor_check_list(NetServer *server, NetConnState state, gint64 now)
{
	const PropolisConfig *config = server->config;
	gint64 idle_us = (gint64)config->idle_timeout_s * G_USEC_PER_SEC;
	GList *next;

	for (GList *l = server->lists[state].head; l; l = next) {
		next = l->next;
		NetConn *conn = l->data;
		gint64 silent = now - conn->last_active_us;
		gsize unsent = conn->out ? conn->out->len - conn->out_sent : 0;
		if (idle_us > 0 && silent > idle_us) {
			net_conn_message(conn, "closing: idle_timeout_s exceeded (%us without traffic)", config->idle_timeout_s);
			net_conn_close(conn, "idle timeout");
		} else if (unsent > config->max_output_buffer && silent > NET_OUTPUT_STALL_MS * 1000) {
			net_conn_message(conn, "closing: max_output_buffer exceeded: %" G_GSIZE_FORMAT " > %u bytes unsent",
			                 unsent, config->max_output_buffer);
			net_conn_close(conn, "output stalled");
		}
	}
}

/* One tick of the timer. */
void net_janitor_tick(NetServer *server)
{
	uint64_t expirations;
	gint64 now = g_get_monotonic_time();

	if (read(server->timer_fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		g_warning("net: read(timerfd): %s", g_strerror(errno));
	janitor_resume_listeners(server);
	janitor_check_handshakes(server, now);
	janitor_check_list(server, NET_CONN_HANDSHAKE, now);
	janitor_check_list(server, NET_CONN_IDLE, now);
	janitor_check_list(server, NET_CONN_READING, now);
	janitor_check_list(server, NET_CONN_WRITING, now);
}
