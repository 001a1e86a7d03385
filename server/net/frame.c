/*
 * frame.c — transport detection and message boundaries on a connection's input.
 *
 * The first bytes decide the transport for the connection's life: 0x80 0x01 is an unframed
 * binary-protocol message; otherwise a 4-byte big-endian frame length (1..max_message_size)
 * followed by 0x80 0x01 is framed. Either way the message itself is scanned (net/scan.c) so
 * the string, list and nesting limits hold for framed messages too, and a frame must hold
 * exactly one message. Replies use the request's framing. Loop thread only.
 */
#include "net/internal.h"

#include "common/error.h"

static guint32 read_be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | (guint32)p[3];
}

/* Decides the transport from the first bytes; NEED_MORE until 2 (unframed) or 6 (framed) arrived. */
static NetScanStatus frame_detect(NetConn *conn, GError **error)
{
	const guint8 *p = conn->in->data;
	gsize len = conn->in->len;

	if (len < 2)
		return NET_SCAN_NEED_MORE;
	if (p[0] == 0x80 && p[1] == 0x01) {
		conn->transport = NET_TRANSPORT_UNFRAMED;
		return NET_SCAN_DONE;
	}
	if (len >= 4 && read_be32(p) == 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "not a Thrift message (empty frame)");
		return NET_SCAN_ERROR;
	}
	if (len < 6)
		return NET_SCAN_NEED_MORE;
	if (p[4] != 0x80 || p[5] != 0x01) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "not a Thrift binary-protocol message, framed or unframed");
		return NET_SCAN_ERROR;
	}
	conn->transport = NET_TRANSPORT_FRAMED;
	return NET_SCAN_DONE;
}

/* Runs the connection's scanner over buf (created on the first bytes of a message). */
static NetScanStatus frame_scan(NetConn *conn, const guint8 *buf, gsize len, gsize *msg_len, GError **error)
{
	if (!conn->scanner)
		conn->scanner = net_scanner_new(&conn->server->limits);
	NetScanStatus st = net_scanner_feed(conn->scanner, buf, len, msg_len, error);
	if (st != NET_SCAN_NEED_MORE)
		g_clear_pointer(&conn->scanner, net_scanner_free);
	return st;
}

/* A framed message: the frame length is checked first, then the payload is scanned. */
static NetScanStatus frame_next_framed(NetConn *conn, gsize *msg_off, gsize *msg_len, GError **error)
{
	const guint8 *p = conn->in->data;
	gsize len = conn->in->len;
	guint max = conn->server->config->max_message_size;

	if (len < 4)
		return NET_SCAN_NEED_MORE;
	guint32 frame = read_be32(p);
	if (frame == 0 || (len >= 6 && (p[4] != 0x80 || p[5] != 0x01))) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "frame does not hold a binary-protocol message");
		return NET_SCAN_ERROR;
	}
	if (frame > max) {
		g_set_error(error, NET_ERROR, NET_ERROR_LIMIT, "max_message_size exceeded: %u > %u", frame, max);
		return NET_SCAN_ERROR;
	}
	gsize have = MIN(len - 4, (gsize)frame);
	gsize scanned = 0;
	NetScanStatus st = frame_scan(conn, p + 4, have, &scanned, error);
	if (st == NET_SCAN_DONE && scanned != frame) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "frame of %u bytes holds a message of %" G_GSIZE_FORMAT,
		            frame, scanned);
		return NET_SCAN_ERROR;
	}
	if (st == NET_SCAN_NEED_MORE && have == frame) {
		g_clear_pointer(&conn->scanner, net_scanner_free);
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "message longer than its frame of %u bytes", frame);
		return NET_SCAN_ERROR;
	}
	*msg_off = 4;
	*msg_len = frame;
	return st;
}

/*
 * Looks for one complete message at the front of conn->in. DONE sets the message's offset
 * and length (the request takes msg_off + msg_len bytes); NEED_MORE keeps the scan's
 * progress in the connection; ERROR sets a NET_ERROR_LIMIT or NET_ERROR_PROTOCOL error.
 */
NetScanStatus net_frame_next(NetConn *conn, gsize *msg_off, gsize *msg_len, GError **error)
{
	if (conn->transport == NET_TRANSPORT_UNKNOWN) {
		NetScanStatus st = frame_detect(conn, error);
		if (st != NET_SCAN_DONE)
			return st;
		net_conn_debug(conn, "transport: %s", conn->transport == NET_TRANSPORT_FRAMED ? "framed" : "unframed");
	}
	if (conn->transport == NET_TRANSPORT_FRAMED)
		return frame_next_framed(conn, msg_off, msg_len, error);
	*msg_off = 0;
	return frame_scan(conn, conn->in->data, conn->in->len, msg_len, error);
}

/* Makes reply (taken) the connection's output, with a length prefix when the transport is framed. */
void net_frame_reply(NetConn *conn, GByteArray *reply)
{
	g_clear_pointer(&conn->out, g_byte_array_unref);
	conn->out_sent = 0;
	if (conn->transport != NET_TRANSPORT_FRAMED) {
		conn->out = reply;
		return;
	}
	guint32 n = reply->len;
	guint8 head[4] = { n >> 24, n >> 16, n >> 8, n };
	conn->out = g_byte_array_sized_new(4 + reply->len);
	g_byte_array_append(conn->out, head, 4);
	g_byte_array_append(conn->out, reply->data, reply->len);
	g_byte_array_unref(reply);
}
