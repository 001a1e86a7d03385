/*
 * tls.c — TLS for Thrift listeners (OpenSSL): a context per listener, an SSL object per
 * connection on its non-blocking socket, the handshake step and the client certificate's CN.
 *
 * Contexts are built before the loop runs (reading the PEM files is disk I/O) and are then
 * read-only. TLS 1.2 at least, no renegotiation, no session tickets or cache (each connection
 * stands alone, and no record is written outside a handshake or a reply). Partial writes and
 * a movable write buffer let a reply that the socket takes in pieces be finished by the loop
 * after a worker started it. With verify_client, the handshake itself refuses a client
 * without a certificate chaining to ca_file (OpenSSL checks it is valid for client use).
 */
#include "net/internal.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <string.h>

#include "common/error.h"

/* Sets error from OpenSSL's error queue (or errno), prefixed by what; empties the queue. */
void net_tls_set_error(GError **error, const char *what, int ssl_error)
{
	unsigned long e = ERR_peek_last_error();
	char buf[256] = "";
	if (e != 0)
		ERR_error_string_n(e, buf, sizeof buf);
	else if (ssl_error == SSL_ERROR_SYSCALL && errno != 0)
		g_strlcpy(buf, g_strerror(errno), sizeof buf);
	else if (ssl_error == SSL_ERROR_SYSCALL)
		g_strlcpy(buf, "the peer closed the connection", sizeof buf);
	else
		g_snprintf(buf, sizeof buf, "SSL error %d", ssl_error);
	ERR_clear_error();
	g_set_error(error, NET_ERROR, NET_ERROR_IO, "%s: %s", what, buf);
}

/* Fails context creation with the file and OpenSSL's reason; frees ctx. */
static SSL_CTX *tls_context_fail(SSL_CTX *ctx, GError **error, const char *key, const char *file)
{
	g_autofree char *what = g_strdup_printf("%s %s", key, file ? file : "(not set)");
	net_tls_set_error(error, what, SSL_ERROR_SSL);
	SSL_CTX_free(ctx);
	return NULL;
}

/* A server context for opts (cert_file, key_file, and ca_file when verify_client). NULL with NET_ERROR_IO. */
SSL_CTX *net_tls_context_new(const NetListenerOptions *opts, GError **error)
{
	ERR_clear_error();
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (ctx == NULL)
		return tls_context_fail(NULL, error, "TLS context", "");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET | SSL_OP_IGNORE_UNEXPECTED_EOF |
	                             SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
	                          SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"propolis", 8);
	if (opts->cert_file == NULL || SSL_CTX_use_certificate_chain_file(ctx, opts->cert_file) != 1)
		return tls_context_fail(ctx, error, "tls_cert", opts->cert_file);
	if (opts->key_file == NULL || SSL_CTX_use_PrivateKey_file(ctx, opts->key_file, SSL_FILETYPE_PEM) != 1)
		return tls_context_fail(ctx, error, "tls_key", opts->key_file);
	if (SSL_CTX_check_private_key(ctx) != 1)
		return tls_context_fail(ctx, error, "tls_key (does not match tls_cert)", opts->key_file);
	if (opts->verify_client) {
		if (opts->ca_file == NULL || SSL_CTX_load_verify_locations(ctx, opts->ca_file, NULL) != 1)
			return tls_context_fail(ctx, error, "tls_ca", opts->ca_file);
		STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(opts->ca_file);
		if (names != NULL)
			SSL_CTX_set_client_CA_list(ctx, names);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	ERR_clear_error();
	return ctx;
}

/* Puts an SSL object (server side) on the connection's socket. FALSE with NET_ERROR_IO (memory). */
gboolean net_tls_conn_start(NetConn *conn, SSL_CTX *ctx, GError **error)
{
	ERR_clear_error();
	conn->ssl = SSL_new(ctx);
	if (conn->ssl == NULL || SSL_set_fd(conn->ssl, conn->fd) != 1) {
		net_tls_set_error(error, "TLS setup", SSL_ERROR_SSL);
		g_clear_pointer(&conn->ssl, SSL_free);
		return FALSE;
	}
	SSL_set_accept_state(conn->ssl);
	return TRUE;
}

/* One step of the server handshake: DONE, WANT_READ/WANT_WRITE, EOF, or ERROR with the reason. */
NetIoStatus net_tls_handshake(NetConn *conn, GError **error)
{
	ERR_clear_error();
	errno = 0;
	int ret = SSL_do_handshake(conn->ssl);
	if (ret == 1)
		return NET_IO_DONE;
	int err = SSL_get_error(conn->ssl, ret);
	if (err == SSL_ERROR_WANT_READ)
		return NET_IO_WANT_READ;
	if (err == SSL_ERROR_WANT_WRITE)
		return NET_IO_WANT_WRITE;
	conn->tls_broken = TRUE;
	long verify = SSL_get_verify_result(conn->ssl);
	if (verify != X509_V_OK) {
		ERR_clear_error();
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "TLS handshake: client certificate refused: %s",
		            X509_verify_cert_error_string(verify));
		return NET_IO_ERROR;
	}
	if (ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
		ERR_clear_error();
		g_set_error_literal(error, NET_ERROR, NET_ERROR_IO,
		                    "TLS handshake: client certificate refused: the client sent none (mtls requires one)");
		return NET_IO_ERROR;
	}
	if ((err == SSL_ERROR_SYSCALL || err == SSL_ERROR_ZERO_RETURN) && ERR_peek_error() == 0 && errno == 0) {
		g_set_error_literal(error, NET_ERROR, NET_ERROR_IO, "TLS handshake: the client closed the connection");
		return NET_IO_EOF;
	}
	net_tls_set_error(error, "TLS handshake", err);
	return NET_IO_ERROR;
}

/*
 * The subject CN of the verified client certificate, as UTF-8 (new string). NULL with
 * NET_ERROR_IO when there is no verified certificate, no CN, more than one CN, or a CN that
 * is empty, longer than 255 bytes or holds control characters: a CN names a principal, so it
 * must be one plain name.
 */
char *net_tls_peer_cn(NetConn *conn, GError **error)
{
	X509 *cert = SSL_get0_peer_certificate(conn->ssl);
	if (cert == NULL || SSL_get_verify_result(conn->ssl) != X509_V_OK) {
		g_set_error_literal(error, NET_ERROR, NET_ERROR_IO, "no verified client certificate");
		return NULL;
	}
	X509_NAME *subject = X509_get_subject_name(cert);
	int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
	if (at < 0 || X509_NAME_get_index_by_NID(subject, NID_commonName, at) >= 0) {
		g_set_error_literal(error, NET_ERROR, NET_ERROR_IO,
		                    "the client certificate's subject must have exactly one CN (the principal name)");
		return NULL;
	}
	unsigned char *utf8 = NULL;
	int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at)));
	gboolean ok = n > 0 && n <= 255 && g_utf8_validate((const char *)utf8, n, NULL);
	for (int i = 0; ok && i < n; i++)
		ok = utf8[i] >= 0x20 && utf8[i] != 0x7f;
	char *cn = ok ? g_strndup((const char *)utf8, (gsize)n) : NULL;
	OPENSSL_free(utf8);
	ERR_clear_error();
	if (cn == NULL)
		g_set_error_literal(error, NET_ERROR, NET_ERROR_IO,
		                    "the client certificate's CN is empty, too long or not a plain name");
	return cn;
}

/* Ends TLS on a closing connection: close_notify when the session is healthy (best effort), then frees. */
void net_tls_conn_end(NetConn *conn)
{
	if (conn->ssl == NULL)
		return;
	if (!conn->tls_broken && SSL_is_init_finished(conn->ssl)) {
		ERR_clear_error();
		(void)SSL_shutdown(conn->ssl);
	}
	g_clear_pointer(&conn->ssl, SSL_free);
	ERR_clear_error();
}
