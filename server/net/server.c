/*
 * server.c — the public face of net/ (net.h): create, listen, run, stop, stats, free.
 *
 * net_server_new() and net_server_add_listener() run on the caller's thread before the loop
 * (listening is the only place a socket is bound, and where TLS files are read; the address
 * must be a literal, so no DNS lookup ever runs). Each listener keeps its options for the
 * connections it accepts. net_server_run() sets up epoll, the janitor and the workers and
 * runs the loop (loop.c) on the calling thread. net_server_stop() only writes to an eventfd,
 * so a signal handler may call it.
 */
#include "net/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/error.h"

/* A server using config's limits; config must outlive it. Never fails (run() reports fd trouble). */
NetServer *net_server_new(const PropolisConfig *config, const NetDoor *door, gpointer door_data)
{
	NetServer *server = g_new0(NetServer, 1);

	server->config = config;
	server->door = *door;
	server->door_data = door_data;
	server->limits = (NetScanLimits){
		.max_message_size = config->max_message_size,
		.max_string_length = config->max_string_length,
		.max_list_length = config->max_list_length,
		.max_nesting_depth = config->max_nesting_depth,
	};
	server->epfd = -1;
	server->listeners = g_ptr_array_new();
	server->timer_fd = -1;
	server->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	server->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	server->spare_fd = eventfd(0, EFD_CLOEXEC);
	server->stop_source.kind = NET_SOURCE_STOP;
	server->done_source.kind = NET_SOURCE_DONE;
	server->timer_source.kind = NET_SOURCE_TIMER;
	for (int i = 0; i < NET_CONN_N_STATES; i++)
		g_queue_init(&server->lists[i]);
	g_queue_init(&server->done);
	g_mutex_init(&server->done_lock);
	g_mutex_init(&server->stats_lock);
	server->jobs = g_async_queue_new();
	server->read_buf = g_malloc(NET_READ_CHUNK);
	return server;
}

/* Fills addr from an IPv4/IPv6 literal ("localhost" is 127.0.0.1, "" and "*" are any). */
static gboolean server_parse_address(const char *host, guint port, struct sockaddr_storage *addr, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;

	memset(addr, 0, sizeof(*addr));
	if (!host || !*host || g_str_equal(host, "*"))
		host = "0.0.0.0";
	else if (g_str_equal(host, "localhost"))
		host = "127.0.0.1";
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((guint16)port);
		*len = sizeof(*in);
		return TRUE;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((guint16)port);
		*len = sizeof(*in6);
		return TRUE;
	}
	return FALSE;
}

/* Frees a listener (its socket is closed by now or here). */
static void server_listener_free(NetListener *listener)
{
	if (listener->fd >= 0)
		close(listener->fd);
	if (listener->tls)
		SSL_CTX_free(listener->tls);
	net_gss_acceptor_free(listener->gss);
	g_free(listener->name);
	g_free(listener);
}

/* Starts (paused FALSE) or stops watching a listener's socket. Loop thread once running. */
void net_listener_pause(NetListener *listener, gboolean paused)
{
	if (listener->paused == paused || listener->fd < 0)
		return;
	listener->paused = paused;
	if (listener->server->epfd >= 0)
		net_loop_watch(listener->server, listener->fd, paused ? EPOLLIN : 0, paused ? 0 : EPOLLIN,
		               &listener->source);
}

/* A bound, listening, non-blocking socket for host:port; -1 with NET_ERROR_IO. Sets *bound. */
static int server_bind(const char *host, guint port, guint *bound, GError **error)
{
	struct sockaddr_storage addr;
	socklen_t alen;
	int one = 1;

	if (port > 65535 || !server_parse_address(host, port, &addr, &alen)) {
		g_set_error(error, NET_ERROR, NET_ERROR_IO,
		            "listen_host must be an IPv4 or IPv6 address literal or localhost: \"%s\" port %u", host, port);
		return -1;
	}
	int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&addr, alen) != 0 || listen(fd, 511) != 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &alen) != 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "cannot listen on %s port %u: %s", host, port,
		            g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*bound = ntohs(addr.ss_family == AF_INET ? ((struct sockaddr_in *)&addr)->sin_port
	                                         : ((struct sockaddr_in6 *)&addr)->sin6_port);
	return fd;
}

/* Binds a listener with its options (TLS context built here); see net.h. */
gboolean net_server_add_listener(NetServer *server, const char *host, guint port, const NetListenerOptions *opts,
                                 GError **error)
{
	static const NetListenerOptions plain = {0};
	g_return_val_if_fail(server->epfd < 0, FALSE);
	if (opts == NULL)
		opts = &plain;
	SSL_CTX *tls = NULL;
	if ((opts->tls || opts->verify_client) && (tls = net_tls_context_new(opts, error)) == NULL)
		return FALSE;
	NetGssAcceptor *gss = NULL;
	if (opts->sasl_gssapi &&
	    (gss = net_gss_acceptor_new(opts->kerberos_keytab, opts->kerberos_principal, error)) == NULL) {
		if (tls)
			SSL_CTX_free(tls);
		return FALSE;
	}
	NetListener *listener = g_new0(NetListener, 1);
	listener->gss = gss;
	listener->source.kind = NET_SOURCE_LISTENER;
	listener->server = server;
	listener->name = g_strdup(opts->name ? opts->name : "main");
	listener->trust_client_user = opts->trust_client_user;
	listener->sasl_plain = opts->sasl_plain;
	listener->verify_client = opts->verify_client;
	listener->tls = tls;
	listener->paused = TRUE; /* until the loop watches it */
	listener->fd = server_bind(host, port, &listener->port, error);
	if (listener->fd < 0) {
		server_listener_free(listener);
		return FALSE;
	}
	g_ptr_array_add(server->listeners, listener);
	return TRUE;
}

/* A plain, anonymous listener named "main"; see net.h. */
gboolean net_server_listen(NetServer *server, const char *host, guint port, GError **error)
{
	return net_server_add_listener(server, host, port, NULL, error);
}

/* The port of the index-th listener, 0 when there is none. */
guint net_server_listener_port(NetServer *server, guint index)
{
	if (index >= server->listeners->len)
		return 0;
	return ((NetListener *)g_ptr_array_index(server->listeners, index))->port;
}

/* The bound port of the first listener, 0 before one was added. */
guint net_server_port(NetServer *server)
{
	return net_server_listener_port(server, 0);
}

/* epoll and the loop's own descriptors; FALSE with NET_ERROR_IO. */
static gboolean server_setup_loop(NetServer *server, GError **error)
{
	if (server->stop_fd < 0 || server->done_fd < 0 || (server->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "cannot set up the event loop: %s", g_strerror(errno));
		return FALSE;
	}
	net_loop_watch(server, server->stop_fd, 0, EPOLLIN, &server->stop_source);
	net_loop_watch(server, server->done_fd, 0, EPOLLIN, &server->done_source);
	for (guint i = 0; i < server->listeners->len; i++)
		net_listener_pause(g_ptr_array_index(server->listeners, i), FALSE);
	return net_janitor_start(server, error);
}

/* Runs the loop on this thread until stopped; FALSE with NET_ERROR_IO if it could not start. */
gboolean net_server_run(NetServer *server, GError **error)
{
	if (!server_setup_loop(server, error) || !net_workers_start(server, error))
		return FALSE;
	g_message("net: serving on port %u with %u workers (%u listeners)", net_server_port(server), server->n_workers,
	          server->listeners->len);
	net_loop_run(server);
	g_message("net: stopped");
	return TRUE;
}

/* Async-signal-safe: one write(2) to the stop eventfd. */
void net_server_stop(NetServer *server)
{
	uint64_t one = 1;
	ssize_t r = write(server->stop_fd, &one, sizeof(one));
	(void)r;
}

/* Copies the counters under their lock. */
NetStats net_server_stats(NetServer *server)
{
	NetStats copy;

	g_mutex_lock(&server->stats_lock);
	copy = server->stats;
	g_mutex_unlock(&server->stats_lock);
	return copy;
}

static void server_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Frees a server whose run() returned or never ran; connections are already gone by then. */
void net_server_free(NetServer *server)
{
	if (!server)
		return;
	for (guint i = 0; i < server->listeners->len; i++)
		server_listener_free(g_ptr_array_index(server->listeners, i));
	g_ptr_array_unref(server->listeners);
	server_close_fd(&server->timer_fd);
	server_close_fd(&server->epfd);
	server_close_fd(&server->stop_fd);
	server_close_fd(&server->done_fd);
	server_close_fd(&server->spare_fd);
	g_async_queue_unref(server->jobs);
	g_mutex_clear(&server->done_lock);
	g_mutex_clear(&server->stats_lock);
	g_free(server->read_buf);
	g_free(server);
}
