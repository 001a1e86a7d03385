/*
 * io.c — bytes in and out of one connection: a plain socket, or TLS records on it.
 *
 * Every read and write of a client socket goes through here, so plain and TLS connections
 * differ in this file only. Called by whoever holds the connection: the loop, or the worker
 * it is lent to (a worker writes its reply directly); never by both at once, which is what
 * keeps one SSL object's records in order. Sockets are non-blocking: a call never waits, it
 * says which readiness to wait for instead.
 */
#include "net/internal.h"

#include <errno.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include "common/error.h"

/* Maps an SSL_read/SSL_write failure to a status; a fatal one marks the connection's TLS broken. */
static NetIoStatus io_tls_status(NetConn *conn, int ret, const char *what, GError **error)
{
	int err = SSL_get_error(conn->ssl, ret);
	switch (err) {
	case SSL_ERROR_WANT_READ:
		return NET_IO_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return NET_IO_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return NET_IO_EOF;
	default:
		conn->tls_broken = TRUE;
		net_tls_set_error(error, what, err);
		return NET_IO_ERROR;
	}
}

/* Reads up to len bytes; see internal.h. EOF also for a TLS peer that closed without close_notify. */
NetIoStatus net_io_read(NetConn *conn, guint8 *buf, gsize len, gsize *n, GError **error)
{
	*n = 0;
	if (conn->ssl) {
		ERR_clear_error();
		int ret = SSL_read_ex(conn->ssl, buf, len, n);
		return ret == 1 ? NET_IO_DONE : io_tls_status(conn, ret, "TLS read", error);
	}
	for (;;) {
		ssize_t r = recv(conn->fd, buf, len, 0);
		if (r > 0) {
			*n = (gsize)r;
			return NET_IO_DONE;
		}
		if (r == 0)
			return NET_IO_EOF;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return NET_IO_WANT_READ;
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "read: %s", g_strerror(errno));
		return NET_IO_ERROR;
	}
}

/*
 * Writes up to len bytes; see internal.h. TLS connections use partial writes and a movable
 * buffer (tls.c), so after WANT_* the caller retries with the same unsent bytes, wherever
 * they now are.
 */
NetIoStatus net_io_write(NetConn *conn, const guint8 *buf, gsize len, gsize *n, GError **error)
{
	*n = 0;
	if (conn->ssl) {
		ERR_clear_error();
		int ret = SSL_write_ex(conn->ssl, buf, len, n);
		return ret == 1 ? NET_IO_DONE : io_tls_status(conn, ret, "TLS write", error);
	}
	for (;;) {
		ssize_t r = send(conn->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r >= 0) {
			*n = (gsize)r;
			return r > 0 ? NET_IO_DONE : NET_IO_WANT_WRITE;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return NET_IO_WANT_WRITE;
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "write: %s", g_strerror(errno));
		return NET_IO_ERROR;
	}
}

/* TRUE when TLS holds decrypted bytes not read yet (epoll cannot see them). */
gboolean net_io_pending(NetConn *conn)
{
	return conn->ssl != NULL && SSL_pending(conn->ssl) > 0;
}
