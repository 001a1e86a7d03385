/*
 * gauges.c — the catalog's gauges on /metrics, named after Hive's (total_count_dbs, _tables,
 * _partitions, num_locks, oldest_lock_age_in_sec, num_open_transactions), read from PostgreSQL
 * with one statement at most every GAUGES_TTL_US and kept between scrapes.
 *
 * The registry runs gauges_collect() once per scrape (metrics.h: collectors run one at a time,
 * outside the registry's lock); it refreshes the numbers only when the last attempt is older
 * than the TTL, so any number of scrapers cost PostgreSQL one small statement per TTL. When
 * PostgreSQL cannot answer (down, no pooled connection within GAUGES_WAIT_MS, the statement
 * over GAUGES_STATEMENT_MS) the last numbers stay and propolis_catalog_stats_up reads 0: a
 * scrape never fails, and never waits long, because of the database. The gauges read the
 * numbers under a mutex. Started and stopped by main.c around the HTTP listener's life.
 */
#include "catalog/internal.h"
#include "common/metrics.h"

#define GAUGES_TTL_US (3 * G_USEC_PER_SEC)
#define GAUGES_WAIT_MS 1000
#define GAUGES_STATEMENT_MS 2000

typedef enum {
	GAUGE_DBS,
	GAUGE_TABLES,
	GAUGE_PARTITIONS,
	GAUGE_LOCKS,
	GAUGE_LOCK_AGE,
	GAUGE_TXNS,
	GAUGE_UP,
	GAUGE_N
} GaugeWhich;

/* Prometheus name and help of each gauge; the Hive name each translates is in common/METRICS.md. */
static const struct {
	const char *name, *help;
} gauges_defs[GAUGE_N] = {
	[GAUGE_DBS] = {"propolis_total_count_dbs", "Databases in all catalogs (Hive: total_count_dbs)."},
	[GAUGE_TABLES] = {"propolis_total_count_tables", "Tables and views (Hive: total_count_tables)."},
	[GAUGE_PARTITIONS] = {"propolis_total_count_partitions", "Partitions (Hive: total_count_partitions)."},
	[GAUGE_LOCKS] = {"propolis_num_locks", "Hive lock requests held or waiting (Hive: num_locks)."},
	[GAUGE_LOCK_AGE] = {"propolis_oldest_lock_age_seconds",
	                    "Age of the oldest Hive lock request, 0 when none (Hive: oldest_lock_age_in_sec)."},
	[GAUGE_TXNS] = {"propolis_num_open_transactions", "Open Hive transactions (Hive: num_open_transactions)."},
	[GAUGE_UP] = {"propolis_catalog_stats_up",
	              "1 when the catalog gauges were just read from PostgreSQL, 0 when they are the last values read."},
};

/* What one registered gauge reads: which number, of which state. */
typedef struct {
	CatalogGauges *g;
	GaugeWhich which;
} GaugeSlot;

struct CatalogGauges {
	Catalog *cat;
	GaugeSlot slots[GAUGE_N];
	gint64 tried_us;  /* last refresh attempt (collector only: collectors run one at a time) */
	gboolean failing; /* the last attempt failed and was logged (collector only) */
	GMutex lock;     /* guards what follows */
	StoreCatalogCounts counts;
	gint64 read_us;  /* when counts were read; 0 never */
	gboolean up;
};

/* Reads the numbers from PostgreSQL into g when the last attempt is older than the TTL. */
static void gauges_collect(gpointer user)
{
	CatalogGauges *g = user;
	gint64 now = g_get_monotonic_time();
	if (g->tried_us != 0 && now - g->tried_us < GAUGES_TTL_US)
		return;
	g->tried_us = now;
	CatalogCtx ctx = {.principal = "propolis", .deadline_us = now + GAUGES_WAIT_MS * 1000, .door = "metrics"};
	StoreCatalogCounts counts = {0};
	CatalogWork work;
	g_autoptr(GError) error = NULL;
	gboolean ok = catalog_work_begin(g->cat, &ctx, TRUE, &work, &error);
	if (ok) {
		GError *serr = NULL;
		ok = store_catalog_counts(work.conn, GAUGES_STATEMENT_MS, &counts, &serr);
		if (!ok)
			catalog_error_from_store(serr, NULL, NULL, &error);
		ok = catalog_work_end(&work, ok, ok ? &error : NULL);
	}
	g_mutex_lock(&g->lock);
	if (ok) {
		g->counts = counts;
		g->read_us = g_get_monotonic_time();
	}
	g->up = ok;
	g_mutex_unlock(&g->lock);
	if (!ok && !g->failing)
		g_warning("metrics: catalog gauges not refreshed, reporting the last values: %s", error->message);
	else if (ok && g->failing)
		g_message("metrics: catalog gauges read from PostgreSQL again");
	g->failing = !ok;
}

/* One gauge's value; the oldest lock ages on between reads while locks were held. */
static double gauges_read(gpointer user)
{
	GaugeSlot *slot = user;
	CatalogGauges *g = slot->g;
	double v = 0;
	g_mutex_lock(&g->lock);
	switch (slot->which) {
	case GAUGE_DBS:
		v = (double)g->counts.databases;
		break;
	case GAUGE_TABLES:
		v = (double)g->counts.tables;
		break;
	case GAUGE_PARTITIONS:
		v = (double)g->counts.partitions;
		break;
	case GAUGE_LOCKS:
		v = (double)g->counts.locks;
		break;
	case GAUGE_LOCK_AGE:
		if (g->counts.locks > 0)
			v = (double)(g->counts.oldest_lock_age_s + (g_get_monotonic_time() - g->read_us) / G_USEC_PER_SEC);
		break;
	case GAUGE_TXNS:
		v = (double)g->counts.open_txns;
		break;
	case GAUGE_UP:
		v = g->up ? 1 : 0;
		break;
	case GAUGE_N:
		break;
	}
	g_mutex_unlock(&g->lock);
	return v;
}

/* Registers the gauges and their collector; see catalog.h. */
CatalogGauges *catalog_gauges_start(Catalog *cat)
{
	CatalogGauges *g = g_new0(CatalogGauges, 1);
	g->cat = cat;
	g_mutex_init(&g->lock);
	for (guint i = 0; i < GAUGE_N; i++) {
		g->slots[i] = (GaugeSlot){g, (GaugeWhich)i};
		metrics_gauge_register(gauges_defs[i].name, gauges_defs[i].help, NULL, gauges_read, &g->slots[i]);
	}
	metrics_collector_register(gauges_collect, g);
	return g;
}

/* Unregisters and frees; see catalog.h. */
void catalog_gauges_stop(CatalogGauges *g)
{
	if (g == NULL)
		return;
	metrics_collector_unregister(gauges_collect, g);
	for (guint i = 0; i < GAUGE_N; i++)
		metrics_gauge_unregister(gauges_read, &g->slots[i]);
	g_mutex_clear(&g->lock);
	g_free(g);
}
