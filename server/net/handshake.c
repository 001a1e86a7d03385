/*
 * handshake.c — what happens on a connection before its first Thrift call: the TLS handshake,
 * then SASL negotiation (PLAIN, or GSSAPI for kerberos), as the listener asks (either, both or none).
 *
 * The phase only moves forward: TLS → SASL → THRIFT. During TLS and SASL the connection is in
 * NET_CONN_HANDSHAKE (handshake_timeout_ms applies, the janitor enforces it); its input is never
 * scanned as Thrift, so no call can run before authentication. The password check may need
 * PostgreSQL, so it is lent to a worker like a request (NET_JOB_AUTH) and its verdict comes
 * back through the done queue; each GSSAPI step (gss.c, which may read the keytab and replay
 * cache) is lent the same way (NET_JOB_GSS), and the door maps the ticket's principal on that
 * worker at the end. A refused negotiation is answered with a SASL BAD or ERROR
 * message and the connection closes after it. Loop thread only.
 */
#include "net/internal.h"

#include <string.h>
#include <sys/epoll.h>

#include "common/error.h"

/* What a client whose login was refused is told (Hive's PlainSaslServer words); the log says why. */
#define HANDSHAKE_LOGIN_REFUSED "Error validating the login"

/* Counts and logs a failed TLS handshake and closes the connection. */
static void handshake_tls_fail(NetConn *conn, const char *reason)
{
	NET_STAT_ADD(conn->server, handshake_failures, 1);
	net_conn_message(conn, "closing: %s", reason);
	net_conn_close(conn, "TLS handshake failed");
}

/* Enters SASL negotiation: the connection now waits for START. */
static void handshake_sasl_begin(NetConn *conn)
{
	conn->phase = NET_PHASE_SASL;
	conn->sasl = g_new(NetSasl, 1);
	net_sasl_init_mechs(conn->sasl, conn->server->config->max_sasl_message,
	                    conn->listener->gss ? NET_SASL_MECH_GSSAPI | (conn->server->door.token_password ? NET_SASL_MECH_DIGEST : 0)
	                                        : NET_SASL_MECH_PLAIN);
	net_conn_set_state(conn, NET_CONN_HANDSHAKE);
}

/* Starts a new connection in the first phase its listener asks for. */
void net_handshake_begin(NetConn *conn)
{
	NetListener *listener = conn->listener;
	g_autoptr(GError) error = NULL;

	if (listener->tls != NULL) {
		conn->phase = NET_PHASE_TLS;
		if (!net_tls_conn_start(conn, listener->tls, &error)) {
			handshake_tls_fail(conn, error->message);
			return;
		}
		net_conn_set_state(conn, NET_CONN_HANDSHAKE);
	} else if (listener->sasl_plain || listener->gss) {
		handshake_sasl_begin(conn);
	} else {
		conn->phase = NET_PHASE_THRIFT;
		net_conn_set_state(conn, NET_CONN_IDLE);
	}
}

/* The TLS handshake is done: take the client's CN (mtls), then SASL or Thrift. */
static void handshake_tls_done(NetConn *conn)
{
	g_autoptr(GError) error = NULL;

	conn->last_active_us = g_get_monotonic_time();
	if (conn->listener->verify_client) {
		conn->tls_peer_cn = net_tls_peer_cn(conn, &error);
		if (conn->tls_peer_cn == NULL) {
			handshake_tls_fail(conn, error->message);
			return;
		}
	}
	net_conn_debug(conn, "TLS %s %s%s%s", SSL_get_version(conn->ssl), SSL_get_cipher_name(conn->ssl),
	               conn->tls_peer_cn ? ", client CN " : "", conn->tls_peer_cn ? conn->tls_peer_cn : "");
	if (conn->listener->sasl_plain || conn->listener->gss) {
		handshake_sasl_begin(conn);
	} else {
		conn->phase = NET_PHASE_THRIFT;
		net_conn_set_state(conn, NET_CONN_IDLE);
	}
	if (net_io_pending(conn))
		net_loop_read(conn); /* bytes TLS already decrypted: epoll will not report them */
}

/* One step of the TLS handshake when the socket is ready for it. */
void net_handshake_tls(NetConn *conn)
{
	g_autoptr(GError) error = NULL;

	switch (net_tls_handshake(conn, &error)) {
	case NET_IO_DONE:
		net_conn_want(conn, 0);
		handshake_tls_done(conn);
		break;
	case NET_IO_WANT_READ:
		net_conn_want(conn, 0);
		break;
	case NET_IO_WANT_WRITE:
		net_conn_want(conn, EPOLLOUT);
		break;
	case NET_IO_EOF:
		NET_STAT_ADD(conn->server, handshake_failures, 1);
		net_conn_debug(conn, "%s", error->message);
		net_conn_close(conn, "closed during the TLS handshake");
		break;
	case NET_IO_ERROR:
		handshake_tls_fail(conn, error->message);
		break;
	}
}

/* Answers a refused negotiation with status (BAD or ERROR) and text, then closes. */
static void handshake_sasl_refuse(NetConn *conn, guint8 status, const char *text)
{
	GByteArray *out = g_byte_array_new();

	net_sasl_encode(out, status, text);
	g_clear_pointer(&conn->in, g_byte_array_unref);
	g_clear_pointer(&conn->out, g_byte_array_unref);
	conn->out = out;
	conn->out_sent = 0;
	conn->close_after_write = TRUE;
	net_loop_send(conn);
}

/* Lends the credentials just read to a worker, which asks the door; the socket goes quiet. */
static void handshake_sasl_check(NetConn *conn)
{
	NetJob *job = g_new0(NetJob, 1);

	job->kind = NET_JOB_AUTH;
	job->user = g_strdup(conn->sasl->user);
	job->password = g_strdup(conn->sasl->password);
	net_sasl_clear(conn->sasl);
	g_clear_pointer(&conn->sasl, g_free);
	if (conn->in && conn->in->len == 0)
		g_clear_pointer(&conn->in, g_byte_array_unref);
	net_loop_lend(conn, job);
}

/* Lends one GSSAPI response to a worker (gss.c steps it there); the socket goes quiet. */
static void handshake_gss_step(NetConn *conn)
{
	NetJob *job = g_new0(NetJob, 1);

	job->kind = NET_JOB_GSS;
	job->mech = conn->sasl->mech;
	job->gss_in = g_byte_array_sized_new((guint)conn->sasl->step_len);
	g_byte_array_append(job->gss_in, conn->sasl->step, (guint)conn->sasl->step_len);
	if (job->mech == NET_SASL_MECH_DIGEST && conn->digest == NULL)
		conn->digest = net_digest_new();
	else if (job->mech == NET_SASL_MECH_GSSAPI && conn->gss == NULL)
		conn->gss = net_gss_new(conn->listener->gss);
	net_loop_lend(conn, job);
}

/* Feeds the buffered input of a connection in SASL negotiation to its parser. */
void net_handshake_sasl_input(NetConn *conn)
{
	g_autoptr(GError) error = NULL;
	gsize consumed = 0;
	guint8 status = 0;

	if (!conn->in || conn->in->len == 0) {
		g_clear_pointer(&conn->in, g_byte_array_unref);
		net_conn_set_state(conn, NET_CONN_HANDSHAKE);
		return;
	}
	if (conn->server->stopping) {
		net_conn_close(conn, "server stopping");
		return;
	}
	NetSaslResult r = net_sasl_feed(conn->sasl, conn->in->data, conn->in->len, &consumed, &status, &error);
	switch (r) {
	case NET_SASL_NEED_MORE:
		g_byte_array_remove_range(conn->in, 0, (guint)consumed);
		net_conn_set_state(conn, NET_CONN_HANDSHAKE);
		break;
	case NET_SASL_FAILED: {
		g_autofree char *shown = net_escape_bytes(conn->in->data, conn->in->len);
		NET_STAT_ADD(conn->server, auth_failures, 1);
		net_conn_message(conn, "closing: SASL negotiation refused: %s; input: \"%s\"", error->message, shown);
		handshake_sasl_refuse(conn, status, error->message);
		break;
	}
	case NET_SASL_CREDENTIALS:
		g_byte_array_remove_range(conn->in, 0, (guint)consumed);
		handshake_sasl_check(conn);
		break;
	case NET_SASL_STEP:
		handshake_gss_step(conn); /* copies the step before the bytes go */
		g_byte_array_remove_range(conn->in, 0, (guint)consumed);
		if (conn->in->len == 0)
			g_clear_pointer(&conn->in, g_byte_array_unref);
		break;
	}
}

/* Frees an auth job, wiping the password. */
static void handshake_job_free(NetJob *job)
{
	if (job->password) {
		memset(job->password, 0, strlen(job->password));
		g_free(job->password);
	}
	g_free(job->user);
	g_free(job->authid);
	g_free(job->auth_error);
	if (job->gss_in)
		g_byte_array_unref(job->gss_in);
	if (job->reply)
		g_byte_array_unref(job->reply);
	g_free(job);
}

/* A worker checked a login: answer COMPLETE and serve Thrift (framed), or BAD and close. */
void net_handshake_auth_done(NetJob *job)
{
	NetConn *conn = job->conn;

	conn->lent = FALSE;
	if (conn->server->stopping) {
		net_conn_close(conn, "server stopping");
		handshake_job_free(job);
		return;
	}
	if (!job->auth_ok) {
		g_autofree char *who = net_escape_bytes((const guint8 *)job->user, strlen(job->user));
		NET_STAT_ADD(conn->server, auth_failures, 1);
		net_conn_message(conn, "closing: SASL PLAIN login refused for user \"%s\": %s", who,
		                 job->auth_error ? job->auth_error : "refused");
		handshake_job_free(job);
		handshake_sasl_refuse(conn, NET_SASL_BAD, HANDSHAKE_LOGIN_REFUSED);
		return;
	}
	conn->sasl_user = g_steal_pointer(&job->user);
	conn->sasl_mechanism = "PLAIN";
	conn->phase = NET_PHASE_THRIFT;
	conn->transport = NET_TRANSPORT_FRAMED; /* after SASL, every message is a 4-byte length frame */
	conn->last_active_us = g_get_monotonic_time();
	net_conn_debug(conn, "SASL PLAIN: authenticated");
	handshake_job_free(job);
	g_clear_pointer(&conn->out, g_byte_array_unref);
	conn->out = g_byte_array_new();
	conn->out_sent = 0;
	net_sasl_encode(conn->out, NET_SASL_COMPLETE, NULL);
	net_loop_send(conn);
}

/* What a Kerberos client is told when its negotiation fails (Java's GssKrb5Server words); the log says why. */
#define HANDSHAKE_GSS_REFUSED "GSS initiate failed"
/* What a token client is told (Java's DigestMD5Server after the callback failed); the log says why. */
#define HANDSHAKE_DIGEST_REFUSED "DIGEST-MD5: IO error acquiring password"

/* A worker stepped a GSSAPI negotiation: answer OK with the challenge, COMPLETE, or BAD and close. */
void net_handshake_gss_done(NetJob *job)
{
	NetConn *conn = job->conn;

	conn->lent = FALSE;
	if (conn->server->stopping) {
		net_conn_close(conn, "server stopping");
		handshake_job_free(job);
		return;
	}
	if (job->gss_result == NET_GSS_FAILED || (job->gss_result == NET_GSS_COMPLETE && !job->auth_ok)) {
		NET_STAT_ADD(conn->server, auth_failures, 1);
		net_conn_message(conn, "closing: SASL %s refused%s%s: %s",
		                 job->mech == NET_SASL_MECH_DIGEST ? "DIGEST-MD5" : "GSSAPI", job->authid ? " for " : "",
		                 job->authid ? job->authid : "", job->auth_error ? job->auth_error : "refused");
		const char *told = job->mech == NET_SASL_MECH_DIGEST ? HANDSHAKE_DIGEST_REFUSED : HANDSHAKE_GSS_REFUSED;
		handshake_job_free(job);
		handshake_sasl_refuse(conn, NET_SASL_BAD, told);
		return;
	}
	g_clear_pointer(&conn->out, g_byte_array_unref);
	conn->out = g_byte_array_new();
	conn->out_sent = 0;
	conn->last_active_us = g_get_monotonic_time();
	if (job->gss_result == NET_GSS_CONTINUE) {
		net_sasl_encode_bytes(conn->out, NET_SASL_OK, job->reply->data, job->reply->len);
		net_conn_set_state(conn, NET_CONN_HANDSHAKE);
		handshake_job_free(job);
		net_loop_send(conn);
		return;
	}
	net_sasl_encode_bytes(conn->out, NET_SASL_COMPLETE, job->reply->data, job->reply->len);
	conn->sasl_user = g_steal_pointer(&job->user);
	conn->sasl_authid = g_steal_pointer(&job->authid);
	g_clear_pointer(&conn->gss, net_gss_free);
	g_clear_pointer(&conn->digest, net_digest_free);
	conn->sasl_mechanism = job->mech == NET_SASL_MECH_DIGEST ? "DIGEST-MD5" : "GSSAPI";
	net_sasl_clear(conn->sasl);
	g_clear_pointer(&conn->sasl, g_free);
	conn->phase = NET_PHASE_THRIFT;
	conn->transport = NET_TRANSPORT_FRAMED;
	net_conn_debug(conn, "SASL %s: %s authenticated as %s", conn->sasl_mechanism, conn->sasl_authid, conn->sasl_user);
	handshake_job_free(job);
	net_loop_send(conn);
}
