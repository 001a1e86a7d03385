/*
 * net.h — the Thrift network layer: listeners, connections, the event loop, workers.
 *
 * One loop thread (epoll) owns every socket and never blocks; it reads bytes, finds where a
 * complete Thrift binary-protocol message ends (framed: by its 4-byte length; unframed: by
 * scanning the message structure, resumably), and queues the message to a fixed pool of
 * worker threads. A worker calls the door's handle() with the message bytes and writes the
 * reply back through the loop. A connection has at most one request in flight, so replies
 * keep request order. Idle connections cost a small struct and their read buffer only.
 *
 * A server has one or more listeners, each with its own way of learning who is calling:
 * TLS (OpenSSL, optionally requiring a client certificate whose subject CN names the caller)
 * SASL PLAIN (Thrift's SASL framing; the door checks the password on a worker) and SASL GSSAPI
 * (Kerberos via MIT GSS-API; the GSS steps run on a worker, the door maps the ticket's principal) happen
 * before the connection's first call, and what they established reaches the door with every
 * request (NetRequestInfo). No call runs on a SASL listener before authentication.
 *
 * Ownership: the server owns connections and buffers. The door owns its sessions
 * (session_new/session_free) and must not keep pointers into msg after handle() returns.
 * Threading: net_server_run() runs the loop on the calling thread; net_server_stop() may be
 * called from any thread or a signal handler. TLS writes may raise SIGPIPE: a process with TLS
 * listeners ignores it (main.c does). Errors: NET_ERROR (common/error.h).
 */
#ifndef PROPOLIS_NET_H
#define PROPOLIS_NET_H

#include <glib.h>

#include "config.h"

G_BEGIN_DECLS

typedef struct NetServer NetServer;

/* What a worker knows about the request it runs. Valid only during handle(). */
typedef struct {
	guint64 conn_id;    /* unique per connection for the life of the server */
	guint64 request_id; /* unique per request for the life of the server */
	const char *peer;   /* "127.0.0.1:53122" */
	gint64 deadline_us; /* g_get_monotonic_time() after which the request should give up */
	gpointer net_job;   /* private to net/: lets net_request_flush() find the connection */
	const char *listener;       /* the listener's name ("main", or a [thrift-listener NAME]) */
	const char *tls_peer_cn;    /* subject CN of the verified client certificate (mtls), else NULL */
	const char *sasl_user;      /* the principal SASL authenticated (PLAIN user, or a GSSAPI ticket's mapped name), else NULL */
	const char *sasl_authid;    /* GSSAPI: the Kerberos principal the ticket names (alice@REALM), else NULL */
	const char *sasl_mechanism; /* "PLAIN", "GSSAPI", "DIGEST-MD5" once SASL succeeded, else NULL */
	gboolean trust_client_user; /* the listener lets a client name itself (set_ugi; trust-ugi) */
} NetRequestInfo;

/* What a door (the Hive Thrift door) gives the network layer. */
typedef struct {
	/* Per-connection state of the door (say, the set_ugi user); may return NULL. Worker or loop thread. */
	gpointer (*session_new)(gpointer door, guint64 conn_id, const char *peer);
	/* Frees what session_new returned; called once when the connection is gone. */
	void (*session_free)(gpointer door, gpointer session);
	/*
	 * Runs one complete binary-protocol message (without frame header) on a worker thread and
	 * appends the reply message (without frame header) to reply; a oneway call appends nothing.
	 * Returns FALSE when the connection must be closed after any reply is sent.
	 */
	gboolean (*handle)(gpointer door, gpointer session, const NetRequestInfo *info, const guint8 *msg,
	                   gsize len, GByteArray *reply);
	/*
	 * Checks a SASL PLAIN user and password on a worker thread (it may ask PostgreSQL); info
	 * names the connection (no request id, no message). TRUE when they match; FALSE with error,
	 * whose message net/ logs but never sends. NULL refuses every SASL login.
	 */
	gboolean (*authenticate)(gpointer door, const NetRequestInfo *info, const char *user, const char *password,
	                         GError **error);
	/*
	 * Maps the Kerberos principal a GSSAPI ticket proved ("alice@EXAMPLE.COM") to the caller's
	 * principal name, on a worker thread (auth_to_local rules). NULL with error (logged and
	 * audited by the door, never sent) refuses the negotiation. NULL callback refuses every ticket.
	 */
	char *(*map_kerberos)(gpointer door, const NetRequestInfo *info, const char *kerberos_principal, GError **error);
	/*
	 * DIGEST-MD5 (delegation tokens) on a kerberos listener, on a worker: the password of
	 * username (base64 of a token identifier; new string, wiped by net/) and *principal, who
	 * acts (the token's owner). NULL with error (logged, never sent) refuses. NULL callback: no DIGEST-MD5.
	 */
	char *(*token_password)(gpointer door, const NetRequestInfo *info, const char *username, char **principal,
	                        GError **error);
} NetDoor;

/*
 * Sends the reply bytes produced so far, from the worker, while handle() still runs, and
 * empties reply: a long reply (100k partitions) then never sits whole in memory. Only on
 * unframed connections, since a frame's length must precede it; on framed ones it does
 * nothing and returns TRUE (the bytes stay in reply). Blocks the worker while the client is
 * slow to read (that is the backpressure), at most config->output_stall_ms without progress
 * and never past the request deadline. FALSE with NET_ERROR_IO when the client is gone or
 * stalled: the door must stop and return FALSE from handle() so the connection is closed.
 */
gboolean net_request_flush(const NetRequestInfo *info, GByteArray *reply, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Counters, read with net_server_stats(). */
typedef struct {
	guint open_connections;
	guint64 accepted_total;
	guint64 rejected_total;  /* refused at accept: max_connections or fd exhaustion */
	guint64 rejected_max_connections; /* of which: max_connections were open */
	guint64 rejected_fd_exhausted;    /* of which: the process was out of file descriptors */
	guint64 requests_total;
	guint64 protocol_errors; /* connections closed for malformed or over-limit input */
	guint active_requests;
	guint64 handshake_failures; /* TLS handshakes that failed or timed out (handshake_timeout_ms) */
	guint64 auth_failures;      /* SASL negotiations refused: bad frames, unknown user, wrong password */
} NetStats;

/* A server using config's limits, not yet listening. Never fails. config is not copied: it must outlive the server. */
NetServer *net_server_new(const PropolisConfig *config, const NetDoor *door, gpointer door_data);

/* How one listener learns who is calling. Strings are copied by net_server_add_listener(). */
typedef struct {
	const char *name;           /* for logs and NetRequestInfo.listener; NULL = "main" */
	gboolean trust_client_user; /* set_ugi may name the caller (passed on as NetRequestInfo.trust_client_user) */
	gboolean sasl_plain;        /* SASL PLAIN (Thrift SASL framing) before any call; door->authenticate checks */
	gboolean tls;               /* TLS with cert_file (PEM chain) and key_file */
	gboolean verify_client;     /* mTLS: a client certificate chaining to ca_file is required; its CN is the caller */
	gboolean sasl_gssapi;       /* SASL GSSAPI (Kerberos) before any call; door->map_kerberos names the caller */
	const char *kerberos_keytab;    /* the service keytab (NULL: the default keytab) */
	const char *kerberos_principal; /* the service principal, _HOST already replaced (NULL: any in the keytab) */
	const char *cert_file, *key_file, *ca_file;
} NetListenerOptions;

/*
 * Binds and listens on host:port (port 0 picks a free one) with opts (NULL: plain, anonymous).
 * host is an IPv4/IPv6 literal, "localhost" (127.0.0.1), or ""/"*" (any); no DNS lookup. TLS
 * files are read here, on the caller's thread. Before net_server_run() only. FALSE with
 * NET_ERROR_IO when the address cannot be bound or a TLS file is unreadable or wrong.
 */
gboolean net_server_add_listener(NetServer *server, const char *host, guint port, const NetListenerOptions *opts,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* net_server_add_listener() with plain, anonymous options (named "main"). */
gboolean net_server_listen(NetServer *server, const char *host, guint port, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The port the index-th listener (in order of adding) is bound to; 0 when there is none. */
guint net_server_listener_port(NetServer *server, guint index);

/* The port of the first listener. */
guint net_server_port(NetServer *server);

/*
 * Runs the loop until net_server_stop(); then stops accepting, waits up to
 * config->shutdown_grace_ms for requests in flight, and closes every connection.
 * Returns FALSE with error if the loop could not run at all.
 */
gboolean net_server_run(NetServer *server, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Asks the loop to stop; async-signal-safe (writes to an eventfd). */
void net_server_stop(NetServer *server);

/* A consistent snapshot of the counters; any thread. */
NetStats net_server_stats(NetServer *server);

/* Frees a server whose loop has returned (or never ran). */
void net_server_free(NetServer *server);

G_END_DECLS

#endif
