/*
 * http.c — the HTTP listener: libmicrohttpd with an internal epoll thread pool.
 *
 * libmicrohttpd parses HTTP and owns the sockets; this file collects a request's headers and
 * body (refusing a body over http_max_body with 413 before reading it when Content-Length says
 * so, and after http_max_body bytes otherwise), answers GET /healthz itself and hands a
 * complete POST / (and POST /<Op>, Lake Formation's REST paths) to the handler; GET /readyz
 * runs the health check (PostgreSQL answers); GET /metrics
 * answers the metrics registry (common/metrics.h) in Prometheus text, unauthenticated like
 * /healthz. Header size is bounded by MHD's per-connection memory (http_max_header), which
 * answers 431 itself. Each MHD thread runs its requests to the end, so http_threads bounds the
 * requests running at once. Every response carries an x-amzn-RequestId (http_request_id_next),
 * which the doors' log lines repeat.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "common/error.h"
#include "common/metrics.h"
#include "http/http.h"

struct HttpServer {
	struct MHD_Daemon *daemon;
	const PropolisConfig *config;
	HttpHandler handler;
	HttpHealth health;
	gpointer user;
	guint port;
	gint rejected_limit; /* libmicrohttpd's refusals at http_max_connections (atomic) */
	gint rejected_fds;   /* accept() failures for want of descriptors or memory (atomic) */
};

/* Per-request state between libmicrohttpd's calls of http_access(). */
typedef struct {
	GByteArray *body;
	gboolean too_big;
	guint64 rid;                    /* the request's number (http_request_id_next) */
	char rid_text[HTTP_REQUEST_ID_LEN]; /* and its UUID-shaped text, sent as x-amzn-RequestId */
} HttpPending;

/*
 * One request-id scheme for every HTTP response (Glue, Lake Formation, admin ops, health,
 * errors): a process-wide counter, shown UUID-shaped as AWS's ids are. The first 80 bits are
 * random per process (version 4 and variant bits set), the last 48 the counter in hex, so an
 * id is unique across restarts with high probability and its number can be read off its end.
 */
guint64 http_request_id_next(char out[HTTP_REQUEST_ID_LEN])
{
	static guint64 counter;
	static guint32 r[3];
	static gsize once;
	if (g_once_init_enter(&once)) {
		for (guint i = 0; i < G_N_ELEMENTS(r); i++)
			r[i] = g_random_int();
		g_once_init_leave(&once, 1);
	}
	guint64 n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
	g_snprintf(out, HTTP_REQUEST_ID_LEN, "%08x-%04x-4%03x-%04x-%012" G_GINT64_MODIFIER "x", r[0], r[1] >> 16,
	           r[1] & 0xfff, 0x8000 | (r[2] & 0x3fff), n & G_GUINT64_CONSTANT(0xffffffffffff));
	return n;
}

/* Collects headers (names, values) and query arguments while iterating MHD's values. */
typedef struct {
	GPtrArray *names;
	GPtrArray *values;
	GString *query;
} HttpCollect;

static enum MHD_Result http_collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	HttpCollect *c = cls;
	g_ptr_array_add(c->names, (gpointer)key);
	g_ptr_array_add(c->values, (gpointer)(value ? value : ""));
	return MHD_YES;
}

static enum MHD_Result http_collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	HttpCollect *c = cls;
	if (c->query->len > 0)
		g_string_append_c(c->query, '&');
	g_string_append_uri_escaped(c->query, key, NULL, FALSE);
	g_string_append_c(c->query, '=');
	if (value)
		g_string_append_uri_escaped(c->query, value, NULL, FALSE);
	return MHD_YES;
}

/* Queues a response carrying the request's x-amzn-RequestId; takes body. */
static enum MHD_Result http_reply(struct MHD_Connection *conn, const HttpPending *p, guint status, const char *ctype,
                                  char *body, gsize len, const char *xname, char *xvalue)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body ? body : (char *)"", MHD_RESPMEM_MUST_COPY);
	g_free(body);
	MHD_add_response_header(r, "Content-Type", ctype ? ctype : "application/json");
	MHD_add_response_header(r, "x-amzn-RequestId", p->rid_text);
	if (xname && xvalue)
		MHD_add_response_header(r, xname, xvalue);
	g_free(xvalue);
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A JSON error body in AWS's shape, for errors the listener answers itself. */
static enum MHD_Result http_reply_error(struct MHD_Connection *conn, const HttpPending *p, guint status,
                                        const char *type, const char *msg)
{
	g_autoptr(GString) s = g_string_new("{\"__type\":\"");
	g_string_append_printf(s, "%s\",\"message\":\"%s\"}", type, msg);
	gsize len = s->len;
	g_message("http req=%s: %u %s: %s", p->rid_text, status, type, msg);
	return http_reply(conn, p, status, "application/x-amz-json-1.1", g_string_free(g_steal_pointer(&s), FALSE), len,
	                  "x-amzn-ErrorType", g_strdup(type));
}

/* "ip:port" of the client. */
static char *http_peer(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[NI_MAXHOST] = "?", serv[NI_MAXSERV] = "?";
	if (ci && ci->client_addr) {
		socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		getnameinfo(ci->client_addr, len, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV);
	}
	return g_strdup_printf("%s:%s", host, serv);
}

/* A complete POST: builds the HttpRequest and runs the handler (which routes by path). */
static enum MHD_Result http_dispatch(HttpServer *srv, struct MHD_Connection *conn, const char *url, const char *method,
                                     HttpPending *p)
{
	HttpCollect c = {g_ptr_array_new(), g_ptr_array_new(), g_string_new(NULL)};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, http_collect_header, &c);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, http_collect_arg, &c);
	g_autofree char *peer = http_peer(conn);
	HttpRequest req = {method,
	                   url,
	                   c.query->len ? c.query->str : NULL,
	                   (const char *const *)c.names->pdata,
	                   (const char *const *)c.values->pdata,
	                   c.names->len,
	                   p->body->data,
	                   p->body->len,
	                   peer,
	                   p->rid,
	                   p->rid_text};
	HttpResponse resp = {500, NULL, NULL, 0, NULL, NULL};
	srv->handler(srv->user, &req, &resp);
	g_ptr_array_unref(c.names);
	g_ptr_array_unref(c.values);
	g_string_free(c.query, TRUE);
	return http_reply(conn, p, resp.status, resp.content_type, resp.body, resp.body_len, resp.extra_header,
	                  resp.extra_value);
}

/*
 * GET /healthz (liveness: the process answers, 200 always) and GET /readyz (readiness: 200
 * when the health check passes, else 503). A PostgreSQL outage makes the server unready, not
 * dead: a liveness probe that failed then would have it restarted for nothing.
 */
static enum MHD_Result http_healthz(HttpServer *srv, struct MHD_Connection *conn, const HttpPending *p,
                                    gboolean ready)
{
	gboolean ok = !ready || srv->health == NULL || srv->health(srv->user);
	const char *body = ok ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}";
	return http_reply(conn, p, ok ? 200 : 503, "application/json", g_strdup(body), strlen(body), NULL, NULL);
}

/* GET /metrics: the registry in Prometheus text exposition format. */
static enum MHD_Result http_metrics(struct MHD_Connection *conn, const HttpPending *p)
{
	char *body = metrics_render();
	return http_reply(conn, p, 200, "text/plain; version=0.0.4; charset=utf-8", body, strlen(body), NULL, NULL);
}

/* Gauge: the listener's open connections. */
static double http_gauge_connections(gpointer user)
{
	HttpServer *srv = user;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return info ? (double)info->num_connections : 0;
}

static double http_rejected_limit(gpointer user)
{
	return (double)g_atomic_int_get(&((HttpServer *)user)->rejected_limit);
}

static double http_rejected_fds(gpointer user)
{
	return (double)g_atomic_int_get(&((HttpServer *)user)->rejected_fds);
}

/*
 * libmicrohttpd's messages, into our log; its refusals counted by reason. It accepts and
 * refuses on its own threads and tells only through these messages: "Server reached connection
 * limit ..." per connection closed at http_max_connections, and "Hit process or system resource
 * limit ..." when accept() fails for want of descriptors (it then stops accepting until one
 * frees, so waiting clients sit in the backlog: one count per such episode, not per client).
 * The wording is the same in libmicrohttpd 0.9.x and 1.x.
 */
static void http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	HttpServer *srv = cls;
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	g_strchomp(text);
	if (strstr(text, "connection limit") != NULL)
		g_atomic_int_inc(&srv->rejected_limit);
	else if (strstr(text, "resource limit") != NULL)
		g_atomic_int_inc(&srv->rejected_fds);
	g_message("http: %s", text);
}

/* libmicrohttpd's access handler: called for headers, for each body chunk, then once more at the end. */
static enum MHD_Result http_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                   const char *version, const char *upload_data, size_t *upload_size, void **state)
{
	HttpServer *srv = cls;
	HttpPending *p = *state;
	if (p == NULL) {
		p = g_new0(HttpPending, 1);
		p->body = g_byte_array_new();
		p->rid = http_request_id_next(p->rid_text);
		*state = p;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && g_ascii_strtoull(cl, NULL, 10) > srv->config->http_max_body) {
			p->too_big = TRUE;
			return http_reply_error(conn, p, 413, "SerializationException",
			                        "Request body exceeds the limit http_max_body");
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!p->too_big && p->body->len + *upload_size <= srv->config->http_max_body)
			g_byte_array_append(p->body, (const guint8 *)upload_data, (guint)*upload_size);
		else
			p->too_big = TRUE;
		*upload_size = 0;
		return MHD_YES;
	}
	if (p->too_big)
		return http_reply_error(conn, p, 413, "SerializationException", "Request body exceeds the limit http_max_body");
	/* /readyz (Kubernetes readiness): PostgreSQL answers; migrations are applied before any
	 * listener opens, so a listening server has them. /healthz: the process is alive. */
	if (strcmp(method, "GET") == 0 && (strcmp(url, "/healthz") == 0 || strcmp(url, "/readyz") == 0))
		return http_healthz(srv, conn, p, strcmp(url, "/readyz") == 0);
	if (strcmp(method, "GET") == 0 && strcmp(url, "/metrics") == 0)
		return http_metrics(conn, p);
	if (strcmp(method, "POST") == 0 && url[0] == '/' && strcmp(url, "/healthz") != 0 && strcmp(url, "/readyz") != 0 &&
	    strcmp(url, "/metrics") != 0)
		return http_dispatch(srv, conn, url, method, p);
	if (strcmp(url, "/") == 0 || strcmp(url, "/healthz") == 0 || strcmp(url, "/readyz") == 0 ||
	    strcmp(url, "/metrics") == 0)
		return http_reply_error(conn, p, 405, "MethodNotAllowedException", "Method not allowed");
	return http_reply_error(conn, p, 404, "UnknownOperationException", "Not found");
}

/* Frees a request's state when libmicrohttpd is done with it. */
static void http_completed(void *cls, struct MHD_Connection *conn, void **state, enum MHD_RequestTerminationCode why)
{
	HttpPending *p = *state;
	if (p == NULL)
		return;
	g_byte_array_unref(p->body);
	g_free(p);
	*state = NULL;
}

/* Starts the daemon; see http.h. */
HttpServer *http_server_start(const PropolisConfig *config, const char *host, guint port, HttpHandler handler,
                              HttpHealth health, gpointer user, GError **error)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *ai = NULL;
	g_autofree char *ports = g_strdup_printf("%u", port);
	int rc = getaddrinfo(host, ports, &hints, &ai);
	if (rc != 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "http_listen %s:%u: %s", host, port, gai_strerror(rc));
		return NULL;
	}
	g_autofree HttpServer *srv = g_new0(HttpServer, 1);
	srv->config = config;
	srv->handler = handler;
	srv->health = health;
	srv->user = user;
	unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_SUPPRESS_DATE_NO_CLOCK;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The logger first: libmicrohttpd logs about options parsed before it through stderr, and
	 * warns (once, through the logger) when it is not the first option. */
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, http_access, srv, MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, srv, MHD_OPTION_SOCK_ADDR,
		ai->ai_addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)config->http_threads, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)config->http_max_connections, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)config->http_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)config->http_max_header, MHD_OPTION_NOTIFY_COMPLETED,
		http_completed, NULL, MHD_OPTION_END);
	freeaddrinfo(ai);
	if (srv->daemon == NULL) {
		g_set_error(error, NET_ERROR, NET_ERROR_IO, "http_listen %s:%u: cannot listen (address in use?)", host, port);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : port;
	metrics_gauge_register("propolis_open_connections", "Client connections open now, by door.", "door=\"http\"",
	                       http_gauge_connections, srv);
	metrics_counter_register(METRICS_REJECTED_NAME, METRICS_REJECTED_HELP, "door=\"http\",reason=\"max_connections\"",
	                         http_rejected_limit, srv);
	metrics_counter_register(METRICS_REJECTED_NAME, METRICS_REJECTED_HELP, "door=\"http\",reason=\"fd_exhausted\"",
	                         http_rejected_fds, srv);
	return g_steal_pointer(&srv);
}

/* The bound port. */
guint http_server_port(HttpServer *srv)
{
	return srv->port;
}

/* Stops and frees the listener. */
void http_server_stop(HttpServer *srv)
{
	if (srv == NULL)
		return;
	metrics_gauge_unregister(http_gauge_connections, srv);
	metrics_gauge_unregister(http_rejected_limit, srv);
	metrics_gauge_unregister(http_rejected_fds, srv);
	MHD_stop_daemon(srv->daemon);
	g_free(srv);
}
