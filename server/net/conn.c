/*
 * conn.c — one client connection: creation, its state machine, closing and freeing.
 *
 * A connection's state changes only in net_conn_set_state(), which also moves it between the
 * server's lists and sets what the loop watches its socket for (input, output, nothing; TLS
 * may ask for the other direction for a while, net_conn_want()). A connection starts in the
 * handshake phase its listener asks for (handshake.c) or straight in Thrift.
 * Closing only marks it NET_CONN_CLOSING; the loop frees it after the current batch of
 * events (net_conn_free), never inside its own callback. Loop thread only.
 */
#include "net/internal.h"

#include <sys/epoll.h>
#include <unistd.h>

#include "common/error.h"

/* What the loop watches the socket for in each state. */
static const guint32 state_events[NET_CONN_N_STATES] = {
	[NET_CONN_HANDSHAKE] = EPOLLIN,
	[NET_CONN_IDLE] = EPOLLIN,
	[NET_CONN_READING] = EPOLLIN,
	[NET_CONN_QUEUED] = 0,
	[NET_CONN_WRITING] = EPOLLOUT,
	[NET_CONN_CLOSING] = 0,
};

/*
 * A new connection for a socket accepted on listener, with its door session: IDLE, or in
 * HANDSHAKE when the listener wants TLS or SASL first (CLOSING if TLS cannot even start).
 * Never fails.
 */
NetConn *net_conn_new(NetServer *server, NetListener *listener, int fd, const char *peer)
{
	NetConn *conn = g_new0(NetConn, 1);

	conn->source.kind = NET_SOURCE_CONN;
	conn->server = server;
	conn->listener = listener;
	conn->fd = fd;
	conn->id = ++server->next_conn_id;
	g_strlcpy(conn->peer, peer, sizeof(conn->peer));
	conn->link.data = conn;
	conn->last_active_us = conn->accepted_us = g_get_monotonic_time();
	if (server->door.session_new)
		conn->session = server->door.session_new(server->door_data, conn->id, conn->peer);
	net_handshake_begin(conn);
	return conn;
}

/* What the socket is watched for: the state's interest, or the direction TLS asked for. */
static guint32 conn_events(const NetConn *conn)
{
	guint32 events = state_events[conn->state];
	return events != 0 && conn->io_want != 0 ? conn->io_want : events;
}

/*
 * The one place a connection changes state: moves it to the list of the new state and
 * updates the epoll interest to match. Setting the current state again does nothing.
 */
void net_conn_set_state(NetConn *conn, NetConnState state)
{
	NetServer *server = conn->server;

	if (!conn->listed || conn->state != state) {
		if (conn->listed)
			g_queue_unlink(&server->lists[conn->state], &conn->link);
		conn->state = state;
		conn->io_want = 0;
		g_queue_push_tail_link(&server->lists[state], &conn->link);
		conn->listed = TRUE;
	}
	guint32 events = conn_events(conn);
	if (conn->events != events) {
		net_loop_watch(server, conn->fd, conn->events, events, &conn->source);
		conn->events = events;
	}
}

/*
 * TLS needs the socket readable (EPOLLIN) or writable (EPOLLOUT) before the operation the
 * current state waits for can go on; 0 when it no longer does. The state stays as it is.
 */
void net_conn_want(NetConn *conn, guint32 want)
{
	if (conn->io_want == want)
		return;
	conn->io_want = want;
	net_conn_set_state(conn, conn->state);
}

/* Marks the connection for freeing at the loop's next safe point. A QUEUED one cannot close. */
void net_conn_close(NetConn *conn, const char *reason)
{
	g_return_if_fail(!conn->lent);
	if (conn->state == NET_CONN_CLOSING)
		return;
	net_conn_debug(conn, "closing: %s", reason);
	net_conn_set_state(conn, NET_CONN_CLOSING);
}

/*
 * Input that is malformed or over a limit: logs it (at most 64 bytes, escaped), then answers
 * with a TApplicationException naming the problem when the message header was readable, and
 * closes the connection (after that reply is sent).
 */
void net_conn_reject_input(NetConn *conn, const GError *error)
{
	gsize off = conn->transport == NET_TRANSPORT_FRAMED ? 4 : 0;
	const guint8 *data = conn->in ? conn->in->data : NULL;
	gsize len = conn->in ? conn->in->len : 0;
	g_autofree char *shown = net_escape_bytes(data, len);
	NetMsgHeader header;

	NET_STAT_ADD(conn->server, protocol_errors, 1);
	net_conn_message(conn, "closing: %s; input: \"%s\"", error->message, shown);
	if (conn->transport == NET_TRANSPORT_UNKNOWN || len <= off || !net_scan_header(data + off, len - off, &header)) {
		net_conn_close(conn, "rejected input");
		return;
	}
	GByteArray *reply = g_byte_array_new();
	net_appexc_encode(reply, &header, NET_APPEXC_PROTOCOL_ERROR, error->message);
	g_clear_pointer(&conn->in, g_byte_array_unref);
	g_clear_pointer(&conn->scanner, net_scanner_free);
	net_frame_reply(conn, reply);
	conn->close_after_write = TRUE;
	net_loop_send(conn);
}

/* Frees a CLOSING connection: the door's session, the socket, the buffers. */
void net_conn_free(NetConn *conn)
{
	NetServer *server = conn->server;

	g_return_if_fail(conn->state == NET_CONN_CLOSING);
	g_queue_unlink(&server->lists[NET_CONN_CLOSING], &conn->link);
	if (server->door.session_free)
		server->door.session_free(server->door_data, conn->session);
	net_tls_conn_end(conn);
	if (conn->sasl) {
		net_sasl_clear(conn->sasl);
		g_free(conn->sasl);
	}
	g_free(conn->tls_peer_cn);
	g_free(conn->sasl_user);
	g_free(conn->sasl_authid);
	g_clear_pointer(&conn->gss, net_gss_free);
	g_clear_pointer(&conn->digest, net_digest_free);
	close(conn->fd);
	g_clear_pointer(&conn->in, g_byte_array_unref);
	g_clear_pointer(&conn->out, g_byte_array_unref);
	g_clear_pointer(&conn->scanner, net_scanner_free);
	g_mutex_lock(&server->stats_lock);
	server->stats.open_connections--;
	g_mutex_unlock(&server->stats_lock);
	g_free(conn);
}

/* At most 64 bytes of buf as printable text, others as \xNN; a new string for logs. */
char *net_escape_bytes(const guint8 *buf, gsize len)
{
	GString *out = g_string_sized_new(80);

	for (gsize i = 0; i < MIN(len, 64); i++) {
		if (buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '\\' && buf[i] != '"')
			g_string_append_c(out, (char)buf[i]);
		else
			g_string_append_printf(out, "\\x%02x", buf[i]);
	}
	if (len > 64)
		g_string_append(out, "...");
	return g_string_free(out, FALSE);
}
