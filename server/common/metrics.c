/*
 * metrics.c — the metrics registry (see metrics.h): API call counters, latency histograms and
 * active calls, plain counters, gauge and counter callbacks, collectors, rendered as
 * Prometheus text.
 *
 * One mutex guards the tables: call series keyed by door, method and outcome; histograms (with
 * the active-call count) keyed by door and method; plain counters keyed by name and label; and
 * the callback series. A call costs one lock, two hash lookups and a few additions; label sets
 * are bounded by the doors (method names they implement and outcome names they map errors to),
 * so the tables stay small. Callbacks run under the lock, so metrics_gauge_unregister()
 * returning means no scrape still uses the user data. Collectors run under a second mutex, one
 * at a time and before the registry lock is taken, so a slow collector (a PostgreSQL query)
 * never holds up the doors' counting; concurrent scrapes queue behind it.
 */
#include <string.h>

#include "common/metrics.h"

/* Latency bucket bounds in seconds (Prometheus' le labels). */
static const double metrics_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1.0,   2.5,   5.0,   10.0};
#define METRICS_NBOUNDS G_N_ELEMENTS(metrics_bounds)

typedef struct {
	char *door, *method, *outcome;
	guint64 count;
} MetricsCounter;

typedef struct {
	char *door, *method;
	guint64 buckets[METRICS_NBOUNDS]; /* non-cumulative: bucket i holds (bound i-1, bound i] */
	guint64 count;
	double sum;
	guint64 active; /* begun and not yet observed */
} MetricsHistogram;

/* A counter anyone bumps with metrics_counter_add(). */
typedef struct {
	char *name, *help, *labels; /* labels: rendered `label="value"`, or NULL */
	guint64 value;
} MetricsPlain;

/* A gauge or counter whose value a callback reads. */
typedef struct {
	char *name, *help, *labels;
	gboolean counter;
	MetricsGaugeFn fn;
	gpointer user;
} MetricsSeries;

typedef struct {
	MetricsCollectFn fn;
	gpointer user;
} MetricsCollector;

static GMutex metrics_lock;
static GHashTable *metrics_counters;   /* "door\x1fmethod\x1foutcome" → MetricsCounter */
static GHashTable *metrics_histograms; /* "door\x1fmethod" → MetricsHistogram */
static GHashTable *metrics_plain;      /* "name\x1flabels" → MetricsPlain */
static GPtrArray *metrics_series;      /* MetricsSeries, in registration order */

static GMutex metrics_collect_lock;  /* held while collectors run and while the list changes */
static GArray *metrics_collectors;   /* MetricsCollector */

static void metrics_counter_free(gpointer p)
{
	MetricsCounter *c = p;
	g_free(c->door);
	g_free(c->method);
	g_free(c->outcome);
	g_free(c);
}

static void metrics_histogram_free(gpointer p)
{
	MetricsHistogram *h = p;
	g_free(h->door);
	g_free(h->method);
	g_free(h);
}

static void metrics_plain_free(gpointer p)
{
	MetricsPlain *c = p;
	g_free(c->name);
	g_free(c->help);
	g_free(c->labels);
	g_free(c);
}

static void metrics_series_free(gpointer p)
{
	MetricsSeries *g = p;
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
	metrics_plain = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, metrics_plain_free);
	metrics_series = g_ptr_array_new_with_free_func(metrics_series_free);
}

/* The histogram of door and method, created when new; the caller holds the lock. */
static MetricsHistogram *metrics_histogram_get(const char *door, const char *method)
{
	g_autofree char *key = g_strdup_printf("%s\x1f%s", door, method);
	MetricsHistogram *h = g_hash_table_lookup(metrics_histograms, key);
	if (h == NULL) {
		h = g_new0(MetricsHistogram, 1);
		h->door = g_strdup(door);
		h->method = g_strdup(method);
		g_hash_table_insert(metrics_histograms, g_steal_pointer(&key), h);
	}
	return h;
}

/* A call started; see metrics.h. */
void metrics_call_begin(const char *door, const char *method)
{
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	metrics_histogram_get(door ? door : "unknown", method ? method : "unknown")->active++;
	g_mutex_unlock(&metrics_lock);
}

/* Counts one call; see metrics.h. */
void metrics_request_observe(const char *door, const char *method, const char *outcome, gint64 duration_us)
{
	door = door ? door : "unknown";
	method = method ? method : "unknown";
	outcome = outcome ? outcome : "unknown";
	double secs = duration_us > 0 ? (double)duration_us / 1e6 : 0.0;
	g_autofree char *ckey = g_strdup_printf("%s\x1f%s\x1f%s", door, method, outcome);
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	MetricsCounter *c = g_hash_table_lookup(metrics_counters, ckey);
	if (c == NULL) {
		c = g_new0(MetricsCounter, 1);
		c->door = g_strdup(door);
		c->method = g_strdup(method);
		c->outcome = g_strdup(outcome);
		g_hash_table_insert(metrics_counters, g_steal_pointer(&ckey), c);
	}
	c->count++;
	MetricsHistogram *h = metrics_histogram_get(door, method);
	guint i = 0;
	while (i < METRICS_NBOUNDS && secs > metrics_bounds[i])
		i++;
	if (i < METRICS_NBOUNDS)
		h->buckets[i]++;
	h->count++;
	h->sum += secs;
	if (h->active > 0)
		h->active--;
	g_mutex_unlock(&metrics_lock);
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

/* Bumps a plain counter; see metrics.h. */
void metrics_counter_add(const char *name, const char *help, const char *label, const char *value, guint64 delta)
{
	g_autoptr(GString) labels = g_string_new(NULL);
	if (label)
		metrics_append_label(labels, TRUE, label, value ? value : "unknown");
	g_autofree char *key = g_strdup_printf("%s\x1f%s", name, labels->str);
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	MetricsPlain *c = g_hash_table_lookup(metrics_plain, key);
	if (c == NULL) {
		c = g_new0(MetricsPlain, 1);
		c->name = g_strdup(name);
		c->help = g_strdup(help ? help : name);
		c->labels = label ? g_strdup(labels->str) : NULL;
		g_hash_table_insert(metrics_plain, g_steal_pointer(&key), c);
	}
	c->value += delta;
	g_mutex_unlock(&metrics_lock);
}

/* Adds a callback series. */
static void metrics_series_add(const char *name, const char *help, const char *labels, gboolean counter,
                               MetricsGaugeFn fn, gpointer user)
{
	MetricsSeries *g = g_new0(MetricsSeries, 1);
	g->name = g_strdup(name);
	g->help = g_strdup(help ? help : name);
	g->labels = labels ? g_strdup(labels) : NULL;
	g->counter = counter;
	g->fn = fn;
	g->user = user;
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	g_ptr_array_add(metrics_series, g);
	g_mutex_unlock(&metrics_lock);
}

/* Registers a gauge series; see metrics.h. */
void metrics_gauge_register(const char *name, const char *help, const char *labels, MetricsGaugeFn fn, gpointer user)
{
	metrics_series_add(name, help, labels, FALSE, fn, user);
}

/* Registers a counter series read by a callback; see metrics.h. */
void metrics_counter_register(const char *name, const char *help, const char *labels, MetricsGaugeFn fn,
                              gpointer user)
{
	metrics_series_add(name, help, labels, TRUE, fn, user);
}

/* Removes a callback's series; see metrics.h. */
void metrics_gauge_unregister(MetricsGaugeFn fn, gpointer user)
{
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	for (guint i = metrics_series->len; i-- > 0;) {
		MetricsSeries *g = g_ptr_array_index(metrics_series, i);
		if (g->fn == fn && g->user == user)
			g_ptr_array_remove_index(metrics_series, i);
	}
	g_mutex_unlock(&metrics_lock);
}

/* Registers a collector; see metrics.h. */
void metrics_collector_register(MetricsCollectFn fn, gpointer user)
{
	MetricsCollector c = {fn, user};
	g_mutex_lock(&metrics_collect_lock);
	if (metrics_collectors == NULL)
		metrics_collectors = g_array_new(FALSE, FALSE, sizeof(MetricsCollector));
	g_array_append_val(metrics_collectors, c);
	g_mutex_unlock(&metrics_collect_lock);
}

/* Removes a collector; see metrics.h. */
void metrics_collector_unregister(MetricsCollectFn fn, gpointer user)
{
	g_mutex_lock(&metrics_collect_lock);
	for (guint i = metrics_collectors ? metrics_collectors->len : 0; i-- > 0;) {
		MetricsCollector *c = &g_array_index(metrics_collectors, MetricsCollector, i);
		if (c->fn == fn && c->user == user)
			g_array_remove_index(metrics_collectors, i);
	}
	g_mutex_unlock(&metrics_collect_lock);
}

/* Runs every collector, one scrape at a time. */
static void metrics_collect(void)
{
	g_mutex_lock(&metrics_collect_lock);
	for (guint i = 0; metrics_collectors && i < metrics_collectors->len; i++) {
		MetricsCollector c = g_array_index(metrics_collectors, MetricsCollector, i);
		c.fn(c.user);
	}
	g_mutex_unlock(&metrics_collect_lock);
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

static int metrics_cmp_counters(gconstpointer a, gconstpointer b)
{
	const MetricsCounter *x = *(MetricsCounter *const *)a, *y = *(MetricsCounter *const *)b;
	int r = strcmp(x->door, y->door);
	r = r ? r : strcmp(x->method, y->method);
	return r ? r : strcmp(x->outcome, y->outcome);
}

static int metrics_cmp_histograms(gconstpointer a, gconstpointer b)
{
	const MetricsHistogram *x = *(MetricsHistogram *const *)a, *y = *(MetricsHistogram *const *)b;
	int r = strcmp(x->door, y->door);
	return r ? r : strcmp(x->method, y->method);
}

static int metrics_cmp_plain(gconstpointer a, gconstpointer b)
{
	const MetricsPlain *x = *(MetricsPlain *const *)a, *y = *(MetricsPlain *const *)b;
	int r = strcmp(x->name, y->name);
	return r ? r : g_strcmp0(x->labels, y->labels);
}

/* The call counters, sorted; the caller holds the lock. */
static void metrics_render_counters(GString *s)
{
	g_string_append(s, "# HELP propolis_api_calls_total API calls served (Hive: api_<method> count), by door, "
	                   "method and outcome.\n"
	                   "# TYPE propolis_api_calls_total counter\n");
	g_autoptr(GPtrArray) rows = metrics_values(metrics_counters);
	g_ptr_array_sort(rows, metrics_cmp_counters);
	for (guint i = 0; i < rows->len; i++) {
		MetricsCounter *c = g_ptr_array_index(rows, i);
		g_string_append(s, "propolis_api_calls_total{");
		metrics_append_label(s, TRUE, "door", c->door);
		metrics_append_label(s, FALSE, "method", c->method);
		metrics_append_label(s, FALSE, "outcome", c->outcome);
		g_string_append_printf(s, "} %" G_GUINT64_FORMAT "\n", c->count);
	}
}

/* The histograms, sorted, with cumulative buckets, then the active calls; the caller holds the lock. */
static void metrics_render_histograms(GString *s)
{
	g_string_append(s, "# HELP propolis_api_duration_seconds API call latency (Hive: api_<method> timer), by door "
	                   "and method.\n"
	                   "# TYPE propolis_api_duration_seconds histogram\n");
	g_autoptr(GPtrArray) rows = metrics_values(metrics_histograms);
	g_ptr_array_sort(rows, metrics_cmp_histograms);
	g_autoptr(GString) active = g_string_new("# HELP propolis_active_calls API calls running now (Hive: "
	                                         "active_calls_<method>), by door and method.\n"
	                                         "# TYPE propolis_active_calls gauge\n");
	for (guint i = 0; i < rows->len; i++) {
		MetricsHistogram *h = g_ptr_array_index(rows, i);
		g_autoptr(GString) labels = g_string_new(NULL);
		metrics_append_label(labels, TRUE, "door", h->door);
		metrics_append_label(labels, FALSE, "method", h->method);
		g_string_append_printf(active, "propolis_active_calls{%s} %" G_GUINT64_FORMAT "\n", labels->str, h->active);
		if (h->count == 0)
			continue; /* begun, never finished yet: no latency to show */
		guint64 cum = 0;
		for (guint b = 0; b < METRICS_NBOUNDS; b++) {
			cum += h->buckets[b];
			g_string_append_printf(s, "propolis_api_duration_seconds_bucket{%s,le=\"%g\"} %" G_GUINT64_FORMAT "\n",
			                       labels->str, metrics_bounds[b], cum);
		}
		g_string_append_printf(s, "propolis_api_duration_seconds_bucket{%s,le=\"+Inf\"} %" G_GUINT64_FORMAT "\n",
		                       labels->str, h->count);
		g_string_append_printf(s, "propolis_api_duration_seconds_sum{%s} %.6f\n", labels->str, h->sum);
		g_string_append_printf(s, "propolis_api_duration_seconds_count{%s} %" G_GUINT64_FORMAT "\n", labels->str,
		                       h->count);
	}
	g_string_append(s, active->str);
}

/* The plain counters, grouped by name; the caller holds the lock. */
static void metrics_render_plain(GString *s)
{
	g_autoptr(GPtrArray) rows = metrics_values(metrics_plain);
	g_ptr_array_sort(rows, metrics_cmp_plain);
	for (guint i = 0; i < rows->len; i++) {
		MetricsPlain *c = g_ptr_array_index(rows, i);
		if (i == 0 || strcmp(c->name, ((MetricsPlain *)g_ptr_array_index(rows, i - 1))->name) != 0)
			g_string_append_printf(s, "# HELP %s %s\n# TYPE %s counter\n", c->name, c->help, c->name);
		if (c->labels)
			g_string_append_printf(s, "%s{%s} %" G_GUINT64_FORMAT "\n", c->name, c->labels, c->value);
		else
			g_string_append_printf(s, "%s %" G_GUINT64_FORMAT "\n", c->name, c->value);
	}
}

/* The callback series, grouped by name in first-registration order; the caller holds the lock. */
static void metrics_render_series(GString *s)
{
	g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < metrics_series->len; i++) {
		MetricsSeries *g = g_ptr_array_index(metrics_series, i);
		if (!g_hash_table_add(done, g->name))
			continue;
		g_string_append_printf(s, "# HELP %s %s\n# TYPE %s %s\n", g->name, g->help, g->name,
		                       g->counter ? "counter" : "gauge");
		for (guint j = i; j < metrics_series->len; j++) {
			MetricsSeries *o = g_ptr_array_index(metrics_series, j);
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

/* Collects, then renders everything; see metrics.h. */
char *metrics_render(void)
{
	metrics_collect();
	GString *s = g_string_new(NULL);
	g_mutex_lock(&metrics_lock);
	metrics_ensure();
	metrics_render_counters(s);
	metrics_render_histograms(s);
	metrics_render_plain(s);
	metrics_render_series(s);
	g_mutex_unlock(&metrics_lock);
	return g_string_free(s, FALSE);
}

/* Forgets everything; see metrics.h. */
void metrics_reset(void)
{
	g_mutex_lock(&metrics_collect_lock);
	g_clear_pointer(&metrics_collectors, g_array_unref);
	g_mutex_unlock(&metrics_collect_lock);
	g_mutex_lock(&metrics_lock);
	g_clear_pointer(&metrics_counters, g_hash_table_unref);
	g_clear_pointer(&metrics_histograms, g_hash_table_unref);
	g_clear_pointer(&metrics_plain, g_hash_table_unref);
	g_clear_pointer(&metrics_series, g_ptr_array_unref);
	g_mutex_unlock(&metrics_lock);
}
