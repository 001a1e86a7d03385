/*
 * metrics.c — the metrics registry (see metrics.h): request counters, latency histograms and
 * gauge callbacks, rendered as Prometheus text.
 *
 * One mutex guards two tables: series of requests keyed by door, operation and outcome, and
 * histograms keyed by door and operation. A request costs one lock, two hash lookups and a
 * few additions; label sets are bounded by the doors (operation names they implement and
 * outcome names they map errors to), so the tables stay small. Gauge callbacks run under the
 * lock, so metrics_gauge_unregister() returning means no scrape still uses the user data;
 * callbacks must be quick and must not call back into this module.
 */
#include <string.h>

#include "common/metrics.h"

/* Latency bucket bounds in seconds (Prometheus' le labels). */
static const double metrics_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1.0,   2.5,   5.0,   10.0};
#define METRICS_NBOUNDS G_N_ELEMENTS(metrics_bounds)

typedef struct {
	char *door, *operation, *outcome;
	guint64 count;
} MetricsCounter;

typedef struct {
	char *door, *operation;
	guint64 buckets[METRICS_NBOUNDS]; /* non-cumulative: bucket i holds (bound i-1, bound i] */
	guint64 count;
	double sum;
} MetricsHistogram;

typedef struct {
	char *name, *help, *labels;
	MetricsGaugeFn fn;
	gpointer user;
} MetricsGauge;

static GMutex metrics_lock;
static GHashTable *metrics_counters;   /* "door\x1fop\x1foutcome" → MetricsCounter */
static GHashTable *metrics_histograms; /* "door\x1fop" → MetricsHistogram */
static GPtrArray *metrics_gauges;      /* MetricsGauge, in registration order */

static void metrics_counter_free(gpointer p)
{
	MetricsCounter *c = p;
	g_free(c->door);
	g_free(c->operation);
	g_free(c->outcome);
	g_free(c);
}

static void metrics_histogram_free(gpointer p)
{
	MetricsHistogram *h = p;
	g_free(h->door);
	g_free(h->operation);
	g_free(h);
}

static void metrics_gauge_free(gpointer p)
{
	MetricsGauge *g = p;
	g_free(g->name);
	g_free(g->help);
	g_free(g->labels);
	g_free(g);
}

/* Creates the tables on first use; the caller holds the lock. */
static void metrics_ensure(void)
{
	if (metrics_counters != NULL)
		return;
	metrics_counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, metrics_counter_free);
	metrics_histograms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, metrics_histogram_free);
	metrics_gauges = g_ptr_array_new_with_free_func(metrics_gauge_free);
}

/* Counts one request; see metrics.h. */
void metrics_request_observe(const char *door, const char *operation, const char *outcome, gint64 duration_us)
{
	door = door ? door : "unknown";
	operation = operation ? operation : "unknown";
	outcome = outcome ? outcome : "unknown";
	double secs = duration_us > 0 ? (double)duration_us / 1e6 : 0.0;
	g_autofree char *ckey = g_strdup_printf("%s\x1f%s\x1f%s", door, operation, outcome);
	g_autofree char *hkey = g_strdup_printf("%s\x1f%s", door, operation);
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	MetricsCounter *c = g_hash_table_lookup(metrics_counters, ckey);
	if (c == NULL) {
		c = g_new0(MetricsCounter, 1);
		c->door = g_strdup(door);
		c->operation = g_strdup(operation);
		c->outcome = g_strdup(outcome);
		g_hash_table_insert(metrics_counters, g_steal_pointer(&ckey), c);
	}
	c->count++;
	MetricsHistogram *h = g_hash_table_lookup(metrics_histograms, hkey);
	if (h == NULL) {
		h = g_new0(MetricsHistogram, 1);
		h->door = g_strdup(door);
		h->operation = g_strdup(operation);
		g_hash_table_insert(metrics_histograms, g_steal_pointer(&hkey), h);
	}
	guint i = 0;
	while (i < METRICS_NBOUNDS && secs > metrics_bounds[i])
		i++;
	if (i < METRICS_NBOUNDS)
		h->buckets[i]++;
	h->count++;
	h->sum += secs;
	g_mutex_unlock(&metrics_lock);
}

/* Registers a gauge series; see metrics.h. */
void metrics_gauge_register(const char *name, const char *help, const char *labels, MetricsGaugeFn fn, gpointer user)
{
	MetricsGauge *g = g_new0(MetricsGauge, 1);
	g->name = g_strdup(name);
	g->help = g_strdup(help ? help : name);
	g->labels = labels ? g_strdup(labels) : NULL;
	g->fn = fn;
	g->user = user;
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	g_ptr_array_add(metrics_gauges, g);
	g_mutex_unlock(&metrics_lock);
}

/* Removes a callback's series; see metrics.h. */
void metrics_gauge_unregister(MetricsGaugeFn fn, gpointer user)
{
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	for (guint i = metrics_gauges->len; i-- > 0;) {
		MetricsGauge *g = g_ptr_array_index(metrics_gauges, i);
		if (g->fn == fn && g->user == user)
			g_ptr_array_remove_index(metrics_gauges, i);
	}
	g_mutex_unlock(&metrics_lock);
}

/* The values of a table in a new array (GLib 2.74 lacks g_hash_table_get_values_as_ptr_array). */
static GPtrArray *metrics_values(GHashTable *t)
{
	GPtrArray *a = g_ptr_array_sized_new(g_hash_table_size(t));
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(a, v);
	return a;
}

/* Appends a label value with Prometheus' escapes (backslash, quote, newline). */
static void metrics_append_value(GString *s, const char *v)
{
	for (const char *p = v; *p; p++) {
		if (*p == '\\' || *p == '"')
			g_string_append_c(s, '\\');
		if (*p == '\n')
			g_string_append(s, "\\n");
		else
			g_string_append_c(s, *p);
	}
}

/* Appends `name="value"` (with a leading comma unless first). */
static void metrics_append_label(GString *s, gboolean first, const char *name, const char *value)
{
	g_string_append_printf(s, "%s%s=\"", first ? "" : ",", name);
	metrics_append_value(s, value);
	g_string_append_c(s, '"');
}

static int metrics_cmp_counters(gconstpointer a, gconstpointer b)
{
	const MetricsCounter *x = *(MetricsCounter *const *)a, *y = *(MetricsCounter *const *)b;
	int r = strcmp(x->door, y->door);
	r = r ? r : strcmp(x->operation, y->operation);
	return r ? r : strcmp(x->outcome, y->outcome);
}

static int metrics_cmp_histograms(gconstpointer a, gconstpointer b)
{
	const MetricsHistogram *x = *(MetricsHistogram *const *)a, *y = *(MetricsHistogram *const *)b;
	int r = strcmp(x->door, y->door);
	return r ? r : strcmp(x->operation, y->operation);
}

/* The counters, sorted; the caller holds the lock. */
static void metrics_render_counters(GString *s)
{
	g_string_append(s, "# HELP propolis_requests_total Requests served, by door, operation and outcome.\n"
	                   "# TYPE propolis_requests_total counter\n");
	g_autoptr(GPtrArray) rows = metrics_values(metrics_counters);
	g_ptr_array_sort(rows, metrics_cmp_counters);
	for (guint i = 0; i < rows->len; i++) {
		MetricsCounter *c = g_ptr_array_index(rows, i);
		g_string_append(s, "propolis_requests_total{");
		metrics_append_label(s, TRUE, "door", c->door);
		metrics_append_label(s, FALSE, "operation", c->operation);
		metrics_append_label(s, FALSE, "outcome", c->outcome);
		g_string_append_printf(s, "} %" G_GUINT64_FORMAT "\n", c->count);
	}
}

/* The histograms, sorted, with cumulative buckets; the caller holds the lock. */
static void metrics_render_histograms(GString *s)
{
	g_string_append(s, "# HELP propolis_request_duration_seconds Request latency, by door and operation.\n"
	                   "# TYPE propolis_request_duration_seconds histogram\n");
	g_autoptr(GPtrArray) rows = metrics_values(metrics_histograms);
	g_ptr_array_sort(rows, metrics_cmp_histograms);
	for (guint i = 0; i < rows->len; i++) {
		MetricsHistogram *h = g_ptr_array_index(rows, i);
		g_autoptr(GString) labels = g_string_new(NULL);
		metrics_append_label(labels, TRUE, "door", h->door);
		metrics_append_label(labels, FALSE, "operation", h->operation);
		guint64 cum = 0;
		for (guint b = 0; b < METRICS_NBOUNDS; b++) {
			cum += h->buckets[b];
			g_string_append_printf(s, "propolis_request_duration_seconds_bucket{%s,le=\"%g\"} %" G_GUINT64_FORMAT "\n",
			                       labels->str, metrics_bounds[b], cum);
		}
		g_string_append_printf(s, "propolis_request_duration_seconds_bucket{%s,le=\"+Inf\"} %" G_GUINT64_FORMAT "\n",
		                       labels->str, h->count);
		g_string_append_printf(s, "propolis_request_duration_seconds_sum{%s} %.6f\n", labels->str, h->sum);
		g_string_append_printf(s, "propolis_request_duration_seconds_count{%s} %" G_GUINT64_FORMAT "\n", labels->str,
		                       h->count);
	}
}

/* The gauges, grouped by name in first-registration order. */
static void metrics_render_gauges(GString *s, GPtrArray *gauges)
{
	g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < gauges->len; i++) {
		MetricsGauge *g = g_ptr_array_index(gauges, i);
		if (!g_hash_table_add(done, g->name))
			continue;
		g_string_append_printf(s, "# HELP %s %s\n# TYPE %s gauge\n", g->name, g->help, g->name);
		for (guint j = i; j < gauges->len; j++) {
			MetricsGauge *o = g_ptr_array_index(gauges, j);
			if (strcmp(o->name, g->name) != 0)
				continue;
			double v = o->fn(o->user);
			if (o->labels)
				g_string_append_printf(s, "%s{%s} %.17g\n", o->name, o->labels, v);
			else
				g_string_append_printf(s, "%s %.17g\n", o->name, v);
		}
	}
}

/* Renders everything; see metrics.h. */
char *metrics_render(void)
{
	GString *s = g_string_new(NULL);
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	metrics_render_counters(s);
	metrics_render_histograms(s);
	metrics_render_gauges(s, metrics_gauges);
	g_mutex_unlock(&metrics_lock);
	return g_string_free(s, FALSE);
}

/* Forgets everything; see metrics.h. */
void metrics_reset(void)
{
	g_mutex_lock(&metrics_lock);
	g_clear_pointer(&metrics_counters, g_hash_table_unref);
	g_clear_pointer(&metrics_histograms, g_hash_table_unref);
	g_clear_pointer(&metrics_gauges, g_ptr_array_unref);
	g_mutex_unlock(&metrics_lock);
}
