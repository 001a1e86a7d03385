/*
 * translate_stats.h — Hive column statistics (ColumnStatisticsObj and its union) ⇄ the
 * catalog's statistics entries {"ColumnName", "ColumnType", "Kind", "Data"} (store.h).
 *
 * Lossless: Kind is the union member's Hive name ("longStats", ...), Data holds that member's
 * fields by Hive name; optional fields left unset stay absent; binary fields (bitVectors,
 * histogram, Decimal.unscaled) are base64; non-finite doubles are "NaN"/"Infinity"/"-Infinity".
 * Ownership: returns new objects. Threading: pure, any thread.
 */
#ifndef PROPOLIS_THRIFT_TRANSLATE_STATS_H
#define PROPOLIS_THRIFT_TRANSLATE_STATS_H

#include "thrift/translate.h"

G_BEGIN_DECLS

/* The entry of a ColumnStatisticsObj; NULL when its union has no member set. */
JsonObject *translate_stats_obj_to_json(const ColumnStatisticsObj *obj);

/* A new ColumnStatisticsObj from an entry. */
ColumnStatisticsObj *translate_stats_obj_new_from_json(JsonObject *entry);

G_END_DECLS

#endif
