/*
 * translate_stats.c — ColumnStatisticsObj ⇄ statistics entries; see translate_stats.h.
 *
 * One pair of functions per union member, written with small macros so that each field of
 * Hive's IDL appears once per direction: required fields always, optional ones only when set.
 */
#include "thrift/translate_stats.h"

#include <math.h>
#include <string.h>

/* ---- JSON field helpers ---- */

static void put_double(JsonObject *o, const char *m, double d)
{
	if (isfinite(d))
		json_object_set_double_member(o, m, d);
	else
		json_object_set_string_member(o, m, isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
}

static void put_bytes(JsonObject *o, const char *m, const GByteArray *b)
{
	g_autofree char *s = g_base64_encode(b ? b->data : (const guchar *)"", b ? b->len : 0);
	json_object_set_string_member(o, m, s);
}

static gint64 get_long(JsonObject *o, const char *m, gboolean *set)
{
	JsonNode *n = o ? json_object_get_member(o, m) : NULL;
	gboolean ok = n && JSON_NODE_TYPE(n) == JSON_NODE_VALUE &&
	              (json_node_get_value_type(n) == G_TYPE_INT64 || json_node_get_value_type(n) == G_TYPE_DOUBLE);
	if (set)
		*set = ok;
	if (!ok)
		return 0;
	return json_node_get_value_type(n) == G_TYPE_INT64 ? json_node_get_int(n) : (gint64)json_node_get_double(n);
}

static double get_double(JsonObject *o, const char *m, gboolean *set)
{
	JsonNode *n = o ? json_object_get_member(o, m) : NULL;
	if (set)
		*set = FALSE;
	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE)
		return 0.0;
	GType t = json_node_get_value_type(n);
	if (set)
		*set = TRUE;
	if (t == G_TYPE_DOUBLE)
		return json_node_get_double(n);
	if (t == G_TYPE_INT64)
		return (double)json_node_get_int(n);
	if (t == G_TYPE_STRING) {
		const char *s = json_node_get_string(n);
		return strcmp(s, "NaN") == 0 ? NAN : strcmp(s, "Infinity") == 0 ? INFINITY : -INFINITY;
	}
	if (set)
		*set = FALSE;
	return 0.0;
}

/* A new GByteArray from a base64 member, or NULL when absent. */
static GByteArray *get_bytes(JsonObject *o, const char *m)
{
	JsonNode *n = o ? json_object_get_member(o, m) : NULL;
	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE || json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	gsize len = 0;
	guchar *raw = g_base64_decode(json_node_get_string(n), &len);
	GByteArray *b = g_byte_array_sized_new((guint)len);
	g_byte_array_append(b, raw, (guint)len);
	g_free(raw);
	return b;
}

static JsonObject *get_obj(JsonObject *o, const char *m)
{
	JsonNode *n = o ? json_object_get_member(o, m) : NULL;
	return n && JSON_NODE_TYPE(n) == JSON_NODE_OBJECT ? json_node_get_object(n) : NULL;
}

/* Field macros: x is the Thrift struct, d the JSON data object. */
#define TO_L(f) json_object_set_int_member(d, #f, x->f)
#define TO_D(f) put_double(d, #f, x->f)
#define TO_OL(f)                                                                                                       \
	if (x->__isset_##f)                                                                                                \
	json_object_set_int_member(d, #f, x->f)
#define TO_OD(f)                                                                                                       \
	if (x->__isset_##f)                                                                                                \
	put_double(d, #f, x->f)
#define TO_OB(f)                                                                                                       \
	if (x->__isset_##f)                                                                                                \
	put_bytes(d, #f, x->f)
#define FROM_L(f) x->f = get_long(d, #f, NULL)
#define FROM_D(f) x->f = get_double(d, #f, NULL)
#define FROM_OL(f) x->f = get_long(d, #f, &x->__isset_##f)
#define FROM_OD(f) x->f = get_double(d, #f, &x->__isset_##f)
#define FROM_OB(f)                                                                                                     \
	do {                                                                                                               \
		GByteArray *b_ = get_bytes(d, #f);                                                                             \
		if (b_) {                                                                                                      \
			if (x->f)                                                                                                  \
				g_byte_array_unref(x->f);                                                                              \
			x->f = b_;                                                                                                 \
			x->__isset_##f = TRUE;                                                                                     \
		}                                                                                                              \
	} while (0)

/* Date / Timestamp / Decimal sub-structs. */
static JsonObject *one_long_obj(const char *m, gint64 v)
{
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, m, v);
	return o;
}

static JsonObject *decimal_to_json(const Decimal *v)
{
	JsonObject *o = json_object_new();
	put_bytes(o, "unscaled", v->unscaled);
	json_object_set_int_member(o, "scale", v->scale);
	return o;
}

static void decimal_from_json(JsonObject *o, Decimal *v)
{
	GByteArray *b = get_bytes(o, "unscaled");
	if (v->unscaled)
		g_byte_array_unref(v->unscaled);
	v->unscaled = b ? b : g_byte_array_new();
	v->scale = (gint16)get_long(o, "scale", NULL);
}

/* ---- Thrift → JSON ---- */

static JsonObject *data_to_json(const ColumnStatisticsData *u, const char **kind)
{
	JsonObject *d = json_object_new();
	if (u->__isset_booleanStats) {
		const BooleanColumnStatsData *x = u->booleanStats;
		*kind = "booleanStats";
		TO_L(numTrues); TO_L(numFalses); TO_L(numNulls); TO_OB(bitVectors);
	} else if (u->__isset_longStats) {
		const LongColumnStatsData *x = u->longStats;
		*kind = "longStats";
		TO_OL(lowValue); TO_OL(highValue); TO_L(numNulls); TO_L(numDVs); TO_OB(bitVectors); TO_OB(histogram);
	} else if (u->__isset_doubleStats) {
		const DoubleColumnStatsData *x = u->doubleStats;
		*kind = "doubleStats";
		TO_OD(lowValue); TO_OD(highValue); TO_L(numNulls); TO_L(numDVs); TO_OB(bitVectors); TO_OB(histogram);
	} else if (u->__isset_stringStats) {
		const StringColumnStatsData *x = u->stringStats;
		*kind = "stringStats";
		TO_L(maxColLen); TO_D(avgColLen); TO_L(numNulls); TO_L(numDVs); TO_OB(bitVectors);
	} else if (u->__isset_binaryStats) {
		const BinaryColumnStatsData *x = u->binaryStats;
		*kind = "binaryStats";
		TO_L(maxColLen); TO_D(avgColLen); TO_L(numNulls); TO_OB(bitVectors);
	} else if (u->__isset_decimalStats) {
		const DecimalColumnStatsData *x = u->decimalStats;
		*kind = "decimalStats";
		if (x->__isset_lowValue && x->lowValue)
			json_object_set_object_member(d, "lowValue", decimal_to_json(x->lowValue));
		if (x->__isset_highValue && x->highValue)
			json_object_set_object_member(d, "highValue", decimal_to_json(x->highValue));
		TO_L(numNulls); TO_L(numDVs); TO_OB(bitVectors); TO_OB(histogram);
	} else if (u->__isset_dateStats) {
		const DateColumnStatsData *x = u->dateStats;
		*kind = "dateStats";
		if (x->__isset_lowValue && x->lowValue)
			json_object_set_object_member(d, "lowValue", one_long_obj("daysSinceEpoch", x->lowValue->daysSinceEpoch));
		if (x->__isset_highValue && x->highValue)
			json_object_set_object_member(d, "highValue", one_long_obj("daysSinceEpoch", x->highValue->daysSinceEpoch));
		TO_L(numNulls); TO_L(numDVs); TO_OB(bitVectors); TO_OB(histogram);
	} else if (u->__isset_timestampStats) {
		const TimestampColumnStatsData *x = u->timestampStats;
		*kind = "timestampStats";
		if (x->__isset_lowValue && x->lowValue)
			json_object_set_object_member(d, "lowValue",
			                              one_long_obj("secondsSinceEpoch", x->lowValue->secondsSinceEpoch));
		if (x->__isset_highValue && x->highValue)
			json_object_set_object_member(d, "highValue",
			                              one_long_obj("secondsSinceEpoch", x->highValue->secondsSinceEpoch));
		TO_L(numNulls); TO_L(numDVs); TO_OB(bitVectors); TO_OB(histogram);
	} else {
		json_object_unref(d);
		return NULL;
	}
	return d;
}

/* See translate_stats.h. */
JsonObject *translate_stats_obj_to_json(const ColumnStatisticsObj *obj)
{
	const char *kind = NULL;
	JsonObject *d = obj->statsData ? data_to_json(obj->statsData, &kind) : NULL;
	if (d == NULL)
		return NULL;
	JsonObject *e = json_object_new();
	json_object_set_string_member(e, "ColumnName", obj->colName ? obj->colName : "");
	json_object_set_string_member(e, "ColumnType", obj->colType ? obj->colType : "");
	json_object_set_string_member(e, "Kind", kind);
	json_object_set_object_member(e, "Data", d);
	return e;
}

/* ---- JSON → Thrift ---- */

static void data_from_json(const char *kind, JsonObject *d, ColumnStatisticsData *u)
{
	if (strcmp(kind, "booleanStats") == 0) {
		BooleanColumnStatsData *x = u->booleanStats;
		u->__isset_booleanStats = TRUE;
		FROM_L(numTrues); FROM_L(numFalses); FROM_L(numNulls); FROM_OB(bitVectors);
	} else if (strcmp(kind, "longStats") == 0) {
		LongColumnStatsData *x = u->longStats;
		u->__isset_longStats = TRUE;
		FROM_OL(lowValue); FROM_OL(highValue); FROM_L(numNulls); FROM_L(numDVs); FROM_OB(bitVectors); FROM_OB(histogram);
	} else if (strcmp(kind, "doubleStats") == 0) {
		DoubleColumnStatsData *x = u->doubleStats;
		u->__isset_doubleStats = TRUE;
		FROM_OD(lowValue); FROM_OD(highValue); FROM_L(numNulls); FROM_L(numDVs); FROM_OB(bitVectors); FROM_OB(histogram);
	} else if (strcmp(kind, "stringStats") == 0) {
		StringColumnStatsData *x = u->stringStats;
		u->__isset_stringStats = TRUE;
		FROM_L(maxColLen); FROM_D(avgColLen); FROM_L(numNulls); FROM_L(numDVs); FROM_OB(bitVectors);
	} else if (strcmp(kind, "binaryStats") == 0) {
		BinaryColumnStatsData *x = u->binaryStats;
		u->__isset_binaryStats = TRUE;
		FROM_L(maxColLen); FROM_D(avgColLen); FROM_L(numNulls); FROM_OB(bitVectors);
	} else if (strcmp(kind, "decimalStats") == 0) {
		DecimalColumnStatsData *x = u->decimalStats;
		u->__isset_decimalStats = TRUE;
		if ((x->__isset_lowValue = get_obj(d, "lowValue") != NULL))
			decimal_from_json(get_obj(d, "lowValue"), x->lowValue);
		if ((x->__isset_highValue = get_obj(d, "highValue") != NULL))
			decimal_from_json(get_obj(d, "highValue"), x->highValue);
		FROM_L(numNulls); FROM_L(numDVs); FROM_OB(bitVectors); FROM_OB(histogram);
	} else if (strcmp(kind, "dateStats") == 0) {
		DateColumnStatsData *x = u->dateStats;
		u->__isset_dateStats = TRUE;
		if ((x->__isset_lowValue = get_obj(d, "lowValue") != NULL))
			x->lowValue->daysSinceEpoch = get_long(get_obj(d, "lowValue"), "daysSinceEpoch", NULL);
		if ((x->__isset_highValue = get_obj(d, "highValue") != NULL))
			x->highValue->daysSinceEpoch = get_long(get_obj(d, "highValue"), "daysSinceEpoch", NULL);
		FROM_L(numNulls); FROM_L(numDVs); FROM_OB(bitVectors); FROM_OB(histogram);
	} else if (strcmp(kind, "timestampStats") == 0) {
		TimestampColumnStatsData *x = u->timestampStats;
		u->__isset_timestampStats = TRUE;
		if ((x->__isset_lowValue = get_obj(d, "lowValue") != NULL))
			x->lowValue->secondsSinceEpoch = get_long(get_obj(d, "lowValue"), "secondsSinceEpoch", NULL);
		if ((x->__isset_highValue = get_obj(d, "highValue") != NULL))
			x->highValue->secondsSinceEpoch = get_long(get_obj(d, "highValue"), "secondsSinceEpoch", NULL);
		FROM_L(numNulls); FROM_L(numDVs); FROM_OB(bitVectors); FROM_OB(histogram);
	}
}

/* See translate_stats.h. */
ColumnStatisticsObj *translate_stats_obj_new_from_json(JsonObject *entry)
{
	ColumnStatisticsObj *obj = g_object_new(TYPE_COLUMN_STATISTICS_OBJ, NULL);
	obj->colName = g_strdup(json_object_get_string_member_with_default(entry, "ColumnName", ""));
	obj->colType = g_strdup(json_object_get_string_member_with_default(entry, "ColumnType", ""));
	data_from_json(json_object_get_string_member_with_default(entry, "Kind", ""), get_obj(entry, "Data"),
	               obj->statsData);
	return obj;
}
