/*
 * metrics.h — the process's metrics registry, rendered as Prometheus text for GET /metrics.
 *
 * Doors count each request once with metrics_request_observe() (a counter by door,
 * operation and outcome, and a latency histogram by door and operation). Gauges that
 * another part owns (open connections, the PostgreSQL pool) are registered as callbacks read
 * at scrape time, so the registry depends on no other layer.
 * Threading: every function may be called from any thread at any time; a mutex guards the
 * registry. A gauge callback runs under that mutex: it must be quick, thread-safe and must
 * not call metrics_*.
 * Ownership: names, help texts and labels given to the registry are copied; user data is
 * borrowed until metrics_gauge_unregister().
 */
#ifndef PROPOLIS_COMMON_METRICS_H
#define PROPOLIS_COMMON_METRICS_H

#include <glib.h>

G_BEGIN_DECLS

/* Counts one request of door ("thrift", "glue") and operation that ended with outcome
 * ("ok" or an error name) after duration_us microseconds. NULL strings count as "unknown". */
void metrics_request_observe(const char *door, const char *operation, const char *outcome, gint64 duration_us);

/* A gauge's current value, read at each scrape. */
typedef double (*MetricsGaugeFn)(gpointer user);

/*
 * Registers one series of gauge name (a Prometheus metric name) with help text and labels
 * (Prometheus label text without braces, e.g. `door="thrift"`, or NULL). Series sharing a
 * name are written under one HELP/TYPE header.
 */
void metrics_gauge_register(const char *name, const char *help, const char *labels, MetricsGaugeFn fn, gpointer user);

/* Removes every series registered with this fn and user (before user is freed). */
void metrics_gauge_unregister(MetricsGaugeFn fn, gpointer user);

/* The whole registry in Prometheus text exposition format 0.0.4. New string. */
char *metrics_render(void);

/* Forgets every counter and gauge (tests). */
void metrics_reset(void);

G_END_DECLS

#endif
