/*
 * partfilter_sql.h — a checked partition filter (catalog/partfilter.h) as a PostgreSQL
 * boolean expression over a partition row's `text[]` of values.
 *
 * The SQL text comes only from this code: the values column is an identifier the caller
 * names in its own source, each key becomes `<column>[<key index + 1>]`, and every literal
 * becomes a `$n` bind parameter appended (as a new string) to the caller's array. The
 * expression has the semantics of partfilter_eval (three-valued; INTEGER/DATE/TEXT modes,
 * COLLATE "C" text order; a value that does not fit a typed mode compares as NULL, so the
 * default partition never matches a typed comparison and no value ever makes the cast fail).
 * Pure function, any thread; it cannot fail on a tree that passed partfilter_check.
 */
#ifndef PROPOLIS_STORE_PARTFILTER_SQL_H
#define PROPOLIS_STORE_PARTFILTER_SQL_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "catalog/partfilter.h"

G_BEGIN_DECLS

/*
 * Returns a new SQL boolean expression for the checked tree `ast` over the partition keys
 * (the JsonArray given to partfilter_check). values_column is a trusted SQL expression of
 * type text[] made of [A-Za-z0-9_.] only (e.g. "p.part_values"). Each literal is appended
 * to params (a GPtrArray freeing with g_free) as text; the k-th one appended (k from 0) is
 * `$<first_param + k>`. Returns NULL only on a programmer error (unchecked tree, bad column).
 */
char *partfilter_sql(const PartFilterNode *ast, JsonArray *partition_keys, const char *values_column,
                     GPtrArray *params, guint first_param);

G_END_DECLS

#endif
