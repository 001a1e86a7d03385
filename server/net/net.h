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
 * Ownership: the server owns connections and buffers. The door owns its sessions
 * (session_new/session_free) and must not keep pointers into msg after handle() returns.
 * Threading: net_server_run() runs the loop on the calling thread; net_server_stop() may be
 * called from any thread or a signal handler. Errors: NET_ERROR (common/error.h).
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
	guint64 requests_total;
	guint64 protocol_errors; /* connections closed for malformed or over-limit input */
	guint active_requests;
} NetStats;

/* A server using config's limits, not yet listening. Never fails. config is not copied: it must outlive the server. */
NetServer *net_server_new(const PropolisConfig *config, const NetDoor *door, gpointer door_data);

/*
 * Binds and listens on host:port (port 0 picks a free one). host is an IPv4/IPv6 literal,
 * "localhost" (127.0.0.1), or ""/"*" (any); no DNS lookup. One listener per server: a second
 * call replaces the first. FALSE with NET_ERROR_IO on failure.
 */
gboolean net_server_listen(NetServer *server, const char *host, guint port, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The port actually bound by the last net_server_listen(). */
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
