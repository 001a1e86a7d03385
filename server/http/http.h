/*
 * http.h — the HTTP listener of the Glue door (libmicrohttpd, its own thread pool).
 *
 * The listener owns sockets, HTTP parsing (libmicrohttpd), body collection under the
 * configured limits and `GET /healthz`; a complete `POST` (`/`, or `/<Op>` for Lake
 * Formation) goes to the handler, which fills an HttpResponse. Threading: MHD's internal epoll threads (http_threads of them) call
 * the handler and the health check concurrently; both must be thread-safe. Strings in an
 * HttpRequest are borrowed for the call; the handler's response body is taken by the listener.
 * Errors: NET_ERROR (common/error.h) when the listener cannot start.
 */
#ifndef PROPOLIS_HTTP_HTTP_H
#define PROPOLIS_HTTP_HTTP_H

#include <glib.h>

#include "config.h"

G_BEGIN_DECLS

typedef struct HttpServer HttpServer;

/* One complete request. Header names as received; repeated headers appear more than once. */
typedef struct {
	const char *method;
	const char *path;             /* decoded path */
	const char *query;            /* query re-encoded as k=v&..., or NULL when there is none */
	const char *const *hdr_names;
	const char *const *hdr_values;
	guint n_headers;
	const guint8 *body;
	gsize body_len;
	const char *peer;             /* "ip:port" for logs */
	guint64 request_id;           /* the request's number (one counter for every HTTP request) */
	const char *request_id_text;  /* its UUID-shaped text, the response's x-amzn-RequestId */
} HttpRequest;

/* Length of a request id's text, NUL included ("xxxxxxxx-xxxx-4xxx-yxxx-nnnnnnnnnnnn"). */
#define HTTP_REQUEST_ID_LEN 37

/*
 * The next request id: returns its number and writes its UUID-shaped text to out. Thread-safe.
 * Random per process in its first 80 bits, the number in hex in its last 48.
 */
guint64 http_request_id_next(char out[HTTP_REQUEST_ID_LEN]);

/* What the handler answers. body is taken (g_free) by the listener. */
typedef struct {
	guint status;
	const char *content_type;     /* static string */
	char *body;
	gsize body_len;
	const char *extra_header;     /* optional "Name" of one extra header (static), or NULL */
	char *extra_value;            /* its value, taken */
} HttpResponse;

typedef void (*HttpHandler)(gpointer user, const HttpRequest *req, HttpResponse *resp);
/* TRUE when the service is ready (GET /readyz answers 200, else 503; GET /healthz is always 200). */
typedef gboolean (*HttpHealth)(gpointer user);

/*
 * Starts listening on host:port (port 0 = any free port) with config's http_* limits.
 * NULL with NET_ERROR_IO when the address cannot be bound.
 */
HttpServer *http_server_start(const PropolisConfig *config, const char *host, guint port, HttpHandler handler,
                              HttpHealth health, gpointer user, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The bound port. */
guint http_server_port(HttpServer *srv);

/* Stops accepting, closes connections, joins the threads and frees. NULL is ignored. */
void http_server_stop(HttpServer *srv);

G_END_DECLS

#endif
