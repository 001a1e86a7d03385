/*
 * metrics.h — the process's metrics registry, rendered as Prometheus text for GET /metrics.
 *
 * Names follow Hive's metastore (MetricsConstants) translated to Prometheus style; the
 * mapping is in common/README.md. Doors count each call: metrics_call_begin() when the
 * method is known (the active-calls gauge), metrics_request_observe() when it ended (a counter
 * by door, method and outcome, and a latency histogram by door and method). Values another
 * part owns (open connections, the PostgreSQL pool, net/'s refusals) are callbacks read at
 * scrape time, so the registry depends on no other layer; plain counters anyone may bump
 * (authorization denials) are metrics_counter_add(). A collector registered by an owner of
 * costly values (the catalog's object counts) runs once per scrape before anything is read.
 * Threading: every function may be called from any thread at any time; a mutex guards the
 * registry. A gauge or counter callback runs under that mutex: it must be quick, thread-safe
 * and must not call metrics_*. Collectors run one at a time, outside that mutex.
 * Ownership: names, help texts and labels given to the registry are copied; user data is
 * borrowed until the matching unregister call returns.
 */
#ifndef PROPOLIS_COMMON_METRICS_H
#define PROPOLIS_COMMON_METRICS_H

#include <glib.h>

G_BEGIN_DECLS

/* A call of door ("thrift", "glue", ...) to method started (NULL strings count as "unknown"). */
void metrics_call_begin(const char *door, const char *method);

/*
 * Counts one call of door and method that ended with outcome ("ok" or an error name) after
 * duration_us microseconds; ends the call metrics_call_begin() started with the same door and
 * method, if any. NULL strings count as "unknown".
 */
void metrics_request_observe(const char *door, const char *method, const char *outcome, gint64 duration_us);

/*
 * Adds delta to the counter series name{label="value"} (label NULL: no label), creating it
 * at zero on first use. help is used when the series is created.
 */
void metrics_counter_add(const char *name, const char *help, const char *label, const char *value, guint64 delta);

/* A gauge's or counter's current value, read at each scrape. */
typedef double (*MetricsGaugeFn)(gpointer user);

/*
 * Registers one series of gauge name (a Prometheus metric name) with help text and labels
 * (Prometheus label text without braces, e.g. `door="thrift"`, or NULL). Series sharing a
 * name are written under one HELP/TYPE header.
 */
void metrics_gauge_register(const char *name, const char *help, const char *labels, MetricsGaugeFn fn, gpointer user);

/* The counter both doors register their refused connections under (labels door, reason). */
#define METRICS_REJECTED_NAME "propolis_connections_rejected_total"
#define METRICS_REJECTED_HELP "Client connections refused or dropped before their first call, by door and reason."

/* As metrics_gauge_register(), for a counter whose value the owner keeps (it never goes down). */
void metrics_counter_register(const char *name, const char *help, const char *labels, MetricsGaugeFn fn,
                              gpointer user);

/* Removes every series (gauge or counter) registered with this fn and user (before user is freed). */
void metrics_gauge_unregister(MetricsGaugeFn fn, gpointer user);

/* Refreshes what an owner's gauges will read; called once per scrape, before they are read. */
typedef void (*MetricsCollectFn)(gpointer user);

/* Registers a collector. */
void metrics_collector_register(MetricsCollectFn fn, gpointer user);

/* Removes a collector; when it returns, no scrape runs it any more. */
void metrics_collector_unregister(MetricsCollectFn fn, gpointer user);

/* Runs the collectors, then renders the whole registry in Prometheus text format 0.0.4. New string. */
char *metrics_render(void);

/* Forgets every counter, gauge and collector (tests). */
void metrics_reset(void);

G_END_DECLS

#endif
