/*
 * stats_aggr.h — pure functions over column-statistics entries (no I/O): Hive's aggregation of
 * one column's statistics across partitions (get_aggr_stats_for) and Hive's
 * COLUMN_STATS_ACCURATE parameter bookkeeping.
 *
 * Entries are JsonObjects as store.h describes them ({"ColumnName", "ColumnType", "Kind",
 * "Data"}). Ownership: inputs are borrowed; returned objects and strings are new.
 * Threading: pure, any thread. Errors: none (malformed members count as absent).
 */
#ifndef PROPOLIS_CATALOG_STATS_AGGR_H
#define PROPOLIS_CATALOG_STATS_AGGR_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One partition's statistics of a column and that partition's position in the request. */
typedef struct {
	JsonObject *entry;
	guint index;
} StatsAggrInput;

/*
 * Aggregates one column's statistics across the partitions that have them (n inputs, in
 * request order) out of n_parts requested partitions, as Hive's direct-SQL path does by
 * default: low = min, high = max, numNulls/numTrues/numFalses summed, maxColLen and avgColLen
 * = max, NDV = max + (sum − max) × ndv_tuner (capped by high − low + 1 for integral, date and
 * timestamp columns); when 2 ≤ n < n_parts, Hive's linear extrapolation over the partition
 * positions and sums scaled by n_parts / n. bitVectors and histograms are not merged (Hive
 * does not fetch them on this path). Returns a new entry without LastAnalyzed, or NULL if n == 0.
 */
JsonObject *stats_aggr_column(const StatsAggrInput *in, guint n, guint n_parts, double ndv_tuner);

/*
 * COLUMN_STATS_ACCURATE after marking columns accurate (Hive StatsSetupConst.setColumnStatsState):
 * old (NULL = absent) parsed as Hive does (legacy "true" = basic stats only), each column added
 * as "true" unless present, written as Hive writes it. New string.
 */
char *stats_accurate_add_columns(const char *old, GPtrArray *columns);

/*
 * COLUMN_STATS_ACCURATE after removing columns (NULL = all columns) from its COLUMN_STATS.
 * Returns NULL when old is NULL (nothing to change). New string.
 */
char *stats_accurate_remove_columns(const char *old, GPtrArray *columns);

/*
 * Hive's update of stored stats with new ones of the same kind: optional members the new data
 * leaves out (low/high values, bitVectors, histogram) keep their old values. Modifies new_data.
 */
void stats_data_merge_old(JsonObject *new_data, JsonObject *old_data);

G_END_DECLS

#endif
