/*
 * internal.h — what the files of net/ share: the server and connection structs.
 *
 * Not for use outside server/net/ (the public contract is net.h). Threading: everything here
 * belongs to the loop thread except the job queue, the done queue (done_lock) and the
 * counters (stats_lock), which workers touch too. A connection whose state is
 * NET_CONN_QUEUED is lent to a worker: the loop does not touch its read buffer, session,
 * socket or SSL object and never frees it until the worker hands it back; meanwhile the
 * worker may write the socket (through net_io_write, so TLS records stay in order).
 */
#ifndef PROPOLIS_NET_INTERNAL_H
#define PROPOLIS_NET_INTERNAL_H

#include <glib.h>
#include <openssl/ssl.h>
#include <stdint.h>

#include "net/net.h"
#include "net/digest.h"
#include "net/gss.h"
#include "net/sasl.h"
#include "net/scan.h"

G_BEGIN_DECLS

/* What an epoll event's data.ptr points at: the first member of each watched object. */
typedef enum {
	NET_SOURCE_LISTENER,
	NET_SOURCE_CONN,
	NET_SOURCE_STOP,  /* eventfd written by net_server_stop() */
	NET_SOURCE_DONE,  /* eventfd written by a worker that finished a request */
	NET_SOURCE_TIMER, /* the janitor's timerfd */
} NetSourceKind;

typedef struct {
	NetSourceKind kind;
} NetSource;

/* Connection states; each names the server list the connection is on. */
typedef enum {
	NET_CONN_HANDSHAKE, /* list handshake: TLS handshake or SASL negotiation under way; watched for
	                       input (output when TLS asks); handshake_timeout_ms applies */
	NET_CONN_IDLE,    /* list idle: no bytes buffered; socket watched for input */
	NET_CONN_READING, /* list reading: part of a message buffered; watched for input */
	NET_CONN_QUEUED,  /* list queued: its request is with a worker; socket not watched */
	NET_CONN_WRITING, /* list writing: reply partly sent; watched for output */
	NET_CONN_CLOSING, /* list closing: not watched; freed by the loop at a safe point */
	NET_CONN_N_STATES
} NetConnState;

typedef enum {
	NET_TRANSPORT_UNKNOWN, /* no message seen yet */
	NET_TRANSPORT_UNFRAMED,
	NET_TRANSPORT_FRAMED, /* 4-byte big-endian length before each message and reply */
} NetTransport;

/* What a connection's bytes are, in order; the phase only moves forward. */
typedef enum {
	NET_PHASE_TLS,    /* TLS handshake not finished */
	NET_PHASE_SASL,   /* SASL negotiation: input is negotiation messages, no call may run */
	NET_PHASE_THRIFT, /* Thrift messages */
} NetConnPhase;

/* One listening socket and how its clients are authenticated. Loop thread after listening. */
typedef struct {
	NetSource source; /* first: epoll data.ptr (NET_SOURCE_LISTENER) */
	NetServer *server;
	char *name;
	int fd;
	guint port;
	gboolean paused; /* EMFILE/ENFILE: not watched until the janitor retries */
	gboolean exhausted; /* accept ran out of descriptors and has not succeeded since (logged once) */
	gboolean trust_client_user;
	gboolean sasl_plain;
	NetGssAcceptor *gss;    /* SASL GSSAPI (kerberos): the service's acceptor credential; NULL: not offered */
	gboolean verify_client; /* mTLS */
	SSL_CTX *tls;           /* NULL: plain TCP */
} NetListener;

typedef struct NetConn NetConn;

struct NetConn {
	NetSource source; /* first: epoll data.ptr */
	NetServer *server;
	int fd;
	guint64 id;
	char peer[64]; /* "127.0.0.1:53122", "[::1]:53122" */
	NetConnState state; /* changed only by net_conn_set_state() */
	gboolean listed;    /* on server->lists[state] */
	GList link;         /* its node in that list */
	guint32 events;     /* epoll interest currently registered; 0 when not registered */
	NetTransport transport;
	GByteArray *in;      /* unconsumed input; NULL when empty (idle connections hold no buffer) */
	NetScanner *scanner; /* while a message is partly read */
	gsize request_bytes; /* bytes of in (frame header + message) taken by the request in flight */
	GByteArray *out;     /* reply bytes to send; NULL when none */
	gsize out_sent;
	gboolean close_after_write;
	gboolean lent; /* a worker holds its request (QUEUED, until the loop takes the reply back) */
	gint64 last_active_us; /* last byte read or written */
	gpointer session;      /* the door's */
	NetListener *listener;
	NetConnPhase phase;
	gint64 accepted_us;
	SSL *ssl;           /* TLS listeners only; goes with the connection when it is lent */
	gboolean tls_broken; /* a fatal TLS error: no close_notify at close */
	guint32 io_want;    /* EPOLLIN/EPOLLOUT that TLS needs instead of the state's own; 0 none */
	NetSasl *sasl;      /* while phase is SASL */
	char *tls_peer_cn;  /* verified client certificate's CN (mtls) */
	char *sasl_user;    /* set when SASL succeeded: the PLAIN user, or the mapped Kerberos principal */
	NetGss *gss;        /* SASL GSSAPI negotiation in progress (a worker steps it while lent) */
	NetDigest *digest;  /* SASL DIGEST-MD5 negotiation in progress (idem) */
	char *sasl_authid;  /* GSSAPI: the ticket's Kerberos principal; DIGEST-MD5: the token user */
	const char *sasl_mechanism; /* static: "PLAIN", "GSSAPI", "DIGEST-MD5" once authenticated */
};

/* What a worker does with a lent connection. */
typedef enum {
	NET_JOB_REQUEST, /* run a Thrift message through door.handle */
	NET_JOB_AUTH,    /* check a SASL PLAIN user and password through door.authenticate */
	NET_JOB_GSS,     /* evaluate one SASL GSSAPI response (gss.c), map the principal at the end */
} NetJobKind;

/* One request lent to a worker, and its reply on the way back. */
typedef struct {
	NetJobKind kind;
	NetConn *conn;
	NetRequestInfo info;
	const guint8 *msg; /* inside conn->in, stable while the conn is QUEUED */
	gsize len;
	GByteArray *reply;
	gboolean keep_open;
	gboolean preframed; /* reply already carries its frame header (a worker sent part of it) */
	gboolean sent_by_worker; /* the worker wrote (some of) the reply to the socket itself */
	char *user;              /* NET_JOB_AUTH: the credentials (password wiped when done) */
	char *password;
	gboolean auth_ok;
	char *auth_error;        /* why door.authenticate refused, for the log */
	GByteArray *gss_in;      /* NET_JOB_GSS: the client's response; the answer goes to reply */
	NetGssResult gss_result;
	guint mech;              /* NET_JOB_GSS: NET_SASL_MECH_GSSAPI or NET_SASL_MECH_DIGEST */
	char *authid;            /* NET_JOB_GSS, complete: the ticket's principal (user is its mapped name) */
} NetJob;

#define NET_READ_CHUNK 65536

struct NetServer {
	const PropolisConfig *config; /* the caller's; read-only, must outlive the server */
	NetDoor door;
	gpointer door_data;
	NetScanLimits limits;

	int epfd;
	GPtrArray *listeners; /* NetListener*, in order of adding */
	int stop_fd;
	int done_fd;
	int timer_fd;
	int spare_fd; /* held in reserve: given up for a moment to refuse a client when out of descriptors */
	NetSource stop_source, done_source, timer_source;

	GQueue lists[NET_CONN_N_STATES];
	guint64 next_conn_id;
	guint64 next_request_id;
	gboolean stopping;
	gint64 stop_deadline_us;
	guint8 *read_buf; /* NET_READ_CHUNK bytes, shared by all reads of the loop */

	GThread **workers;
	guint n_workers;
	GAsyncQueue *jobs; /* NetJob*, or &server->jobs as the stop sentinel */
	GMutex done_lock;
	GQueue done; /* NetJob* finished by workers, under done_lock */

	GMutex stats_lock;
	NetStats stats;
};

/* Adds delta to a counter under stats_lock (any thread). */
#define NET_STAT_ADD(server, field, delta)                \
	do {                                              \
		g_mutex_lock(&(server)->stats_lock);      \
		(server)->stats.field += (delta);         \
		g_mutex_unlock(&(server)->stats_lock);    \
	} while (0)

/* Logs with the "conn=<id> peer=<addr>" prefix every net/ log line about a connection has. */
#define NET_CONN_LOG(level, conn, fmt, ...) \
	g_log(G_LOG_DOMAIN, level, "conn=%" G_GUINT64_FORMAT " peer=%s: " fmt, (conn)->id, (conn)->peer, ##__VA_ARGS__)
#define net_conn_message(conn, ...) NET_CONN_LOG(G_LOG_LEVEL_MESSAGE, conn, __VA_ARGS__)
#define net_conn_debug(conn, ...) NET_CONN_LOG(G_LOG_LEVEL_DEBUG, conn, __VA_ARGS__)
#define net_conn_warning(conn, ...) NET_CONN_LOG(G_LOG_LEVEL_WARNING, conn, __VA_ARGS__)

/* conn.c */
NetConn *net_conn_new(NetServer *server, NetListener *listener, int fd, const char *peer);
void net_conn_set_state(NetConn *conn, NetConnState state);
void net_conn_want(NetConn *conn, guint32 want);
void net_conn_close(NetConn *conn, const char *reason);
void net_conn_reject_input(NetConn *conn, const GError *error);
void net_conn_free(NetConn *conn);
char *net_escape_bytes(const guint8 *buf, gsize len);

/* frame.c */
NetScanStatus net_frame_next(NetConn *conn, gsize *msg_off, gsize *msg_len, GError **error)
	G_GNUC_WARN_UNUSED_RESULT;
void net_frame_reply(NetConn *conn, GByteArray *reply);

/* appexc.c */
void net_appexc_encode(GByteArray *out, const NetMsgHeader *header, gint32 type, const char *message);
#define NET_APPEXC_PROTOCOL_ERROR 7

/* loop.c */
void net_loop_run(NetServer *server);
void net_loop_watch(NetServer *server, int fd, guint32 old_events, guint32 new_events, NetSource *source);
void net_loop_process_input(NetConn *conn);
void net_loop_read(NetConn *conn);
void net_loop_send(NetConn *conn);
void net_loop_lend(NetConn *conn, NetJob *job);

/* io.c: bytes in and out of a connection, plain or TLS; whoever holds the connection. */
typedef enum {
	NET_IO_DONE,       /* *n > 0 bytes moved */
	NET_IO_WANT_READ,  /* nothing moved: retry when the socket is readable */
	NET_IO_WANT_WRITE, /* nothing moved: retry when the socket is writable */
	NET_IO_EOF,        /* the peer closed (reads) */
	NET_IO_ERROR,      /* broken; error says why */
} NetIoStatus;
NetIoStatus net_io_read(NetConn *conn, guint8 *buf, gsize len, gsize *n, GError **error);
NetIoStatus net_io_write(NetConn *conn, const guint8 *buf, gsize len, gsize *n, GError **error);
gboolean net_io_pending(NetConn *conn);

/* tls.c */
SSL_CTX *net_tls_context_new(const NetListenerOptions *opts, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean net_tls_conn_start(NetConn *conn, SSL_CTX *ctx, GError **error) G_GNUC_WARN_UNUSED_RESULT;
NetIoStatus net_tls_handshake(NetConn *conn, GError **error);
char *net_tls_peer_cn(NetConn *conn, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void net_tls_conn_end(NetConn *conn);
void net_tls_set_error(GError **error, const char *what, int ssl_error);

/* handshake.c */
void net_handshake_begin(NetConn *conn);
void net_handshake_tls(NetConn *conn);
void net_handshake_sasl_input(NetConn *conn);
void net_handshake_auth_done(NetJob *job);
void net_handshake_gss_done(NetJob *job);

/* worker.c */
gboolean net_workers_start(NetServer *server, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void net_workers_submit(NetServer *server, NetJob *job);
void net_workers_drain_done(NetServer *server, void (*finish)(NetJob *job));
void net_workers_join(NetServer *server);

/* server.c */
void net_listener_pause(NetListener *listener, gboolean paused);

/* janitor.c */
gboolean net_janitor_start(NetServer *server, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void net_janitor_tick(NetServer *server);

G_END_DECLS

#endif
