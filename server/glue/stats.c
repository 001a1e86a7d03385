/*
 * stats.c — Glue column statistics of tables and partitions: Get/Update/Delete
 * ColumnStatisticsFor{Table,Partition}, on the catalog's statistics (catalog/stats.c).
 *
 * Glue's ColumnStatisticsData and the catalog's entries (store.h: Kind + Data by Hive member
 * names) map one to one: LONG ⇄ longStats, DOUBLE ⇄ doubleStats, STRING ⇄ stringStats,
 * BINARY ⇄ binaryStats, BOOLEAN ⇄ booleanStats, DECIMAL ⇄ decimalStats (UnscaledValue is the
 * same big-endian bytes, base64 on both sides), DATE ⇄ dateStats (Glue's timestamp at
 * midnight UTC ⇄ days since the epoch). Hive's timestampStats has no Glue type and is left
 * out of Glue answers (reported in Errors). AnalyzedTime is set by the catalog at write time,
 * as Hive does, not taken from the client.
 */
#include <string.h>

#include "glue/internal.h"

#define GLUE_STATS_UPDATE_MAX 25
#define GLUE_STATS_GET_MAX 100

/* A number member (integer or floating JSON) >= min when required or present. */
static gboolean glue_stats_num(JsonObject *o, const char *member, gboolean required, gboolean integral, double *out,
                               gboolean *present, GError **error)
{
	JsonNode *n = json_object_get_member(o, member);
	*present = FALSE;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n)) {
		if (required)
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			            "1 validation error detected: Value null at '%s' failed to satisfy constraint: "
			            "Member must not be null", member);
		return !required;
	}
	GType t = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n) : G_TYPE_INVALID;
	if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a number", member);
		return FALSE;
	}
	if (integral && t != G_TYPE_INT64) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be an integer", member);
		return FALSE;
	}
	*out = t == G_TYPE_INT64 ? (double)json_node_get_int(n) : json_node_get_double(n);
	*present = TRUE;
	return TRUE;
}

/* Copies Glue number member g (if present) to Hive member h of d; non-negative counts checked. */
static gboolean glue_stats_copy(JsonObject *src, const char *g, JsonObject *d, const char *h, gboolean required,
                                gboolean integral, gboolean nonneg, GError **error)
{
	double v = 0;
	gboolean present = FALSE;
	if (!glue_stats_num(src, g, required, integral, &v, &present, error))
		return FALSE;
	if (!present)
		return TRUE;
	if (nonneg && v < 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at '%s' failed to satisfy constraint: "
		            "Member must have value greater than or equal to 0", g);
		return FALSE;
	}
	if (integral)
		json_object_set_int_member(d, h, (gint64)v);
	else
		json_object_set_double_member(d, h, v);
	return TRUE;
}

/* DecimalNumber → {"unscaled": base64, "scale": n}. */
static JsonObject *glue_stats_decimal_in(JsonObject *num, const char *member, GError **error)
{
	const char *unscaled = glue_in_string(num, "UnscaledValue", TRUE, 0, error);
	gint64 scale = 0;
	if (unscaled == NULL || !json_object_has_member(num, "Scale")) {
		if (unscaled != NULL)
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "%s.Scale must not be null", member);
		return NULL;
	}
	if (!glue_in_int(num, "Scale", G_MININT32, G_MAXINT32, 0, &scale, error))
		return NULL;
	JsonObject *o = json_object_new();
	json_object_set_string_member(o, "unscaled", unscaled);
	json_object_set_int_member(o, "scale", scale);
	return o;
}

/* Whole days since the epoch of epoch seconds, rounded down (libm-free floor). */
static gint64 glue_stats_days(double secs)
{
	gint64 s = (gint64)secs;
	if ((double)s > secs)
		s--;
	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

/* Glue min/max of a DATE (epoch seconds) or DECIMAL into Hive's lowValue/highValue. */
static gboolean glue_stats_bound_in(JsonObject *src, const char *g, JsonObject *d, const char *h, gboolean date,
                                    GError **error)
{
	if (date) {
		double v = 0;
		gboolean present = FALSE;
		if (!glue_stats_num(src, g, FALSE, FALSE, &v, &present, error))
			return FALSE;
		if (present) {
			JsonObject *o = json_object_new();
			json_object_set_int_member(o, "daysSinceEpoch", glue_stats_days(v));
			json_object_set_object_member(d, h, o);
		}
		return TRUE;
	}
	JsonObject *num = glue_in_object(src, g, FALSE, error);
	if (num == NULL)
		return error == NULL || *error == NULL;
	JsonObject *o = glue_stats_decimal_in(num, g, error);
	if (o == NULL)
		return FALSE;
	json_object_set_object_member(d, h, o);
	return TRUE;
}

/* Glue StatisticsData → (kind, Hive data), or FALSE with error. */
static gboolean glue_stats_data_in(JsonObject *sd, const char **kind, JsonObject *d, GError **error)
{
	const char *type = glue_in_string(sd, "Type", TRUE, 0, error);
	if (type == NULL)
		return FALSE;
	static const struct {
		const char *type, *member, *kind;
	} map[] = {
		{"BOOLEAN", "BooleanColumnStatisticsData", "booleanStats"},
		{"DATE", "DateColumnStatisticsData", "dateStats"},
		{"DECIMAL", "DecimalColumnStatisticsData", "decimalStats"},
		{"DOUBLE", "DoubleColumnStatisticsData", "doubleStats"},
		{"LONG", "LongColumnStatisticsData", "longStats"},
		{"STRING", "StringColumnStatisticsData", "stringStats"},
		{"BINARY", "BinaryColumnStatisticsData", "binaryStats"},
	};
	guint i = 0;
	while (i < G_N_ELEMENTS(map) && strcmp(map[i].type, type) != 0)
		i++;
	if (i == G_N_ELEMENTS(map)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value '%s' at 'statisticsData.type' failed to satisfy constraint: "
		            "Member must satisfy enum value set: [BOOLEAN, DATE, DECIMAL, DOUBLE, LONG, STRING, BINARY]", type);
		return FALSE;
	}
	JsonObject *src = glue_in_object(sd, map[i].member, TRUE, error);
	if (src == NULL)
		return FALSE;
	*kind = map[i].kind;
	gboolean ok = TRUE;
	switch (i) {
	case 0:
		ok = glue_stats_copy(src, "NumberOfTrues", d, "numTrues", TRUE, TRUE, TRUE, error) &&
		     glue_stats_copy(src, "NumberOfFalses", d, "numFalses", TRUE, TRUE, TRUE, error) &&
		     glue_stats_copy(src, "NumberOfNulls", d, "numNulls", TRUE, TRUE, TRUE, error);
		break;
	case 1:
	case 2:
		ok = glue_stats_bound_in(src, "MinimumValue", d, "lowValue", i == 1, error) &&
		     glue_stats_bound_in(src, "MaximumValue", d, "highValue", i == 1, error);
		break;
	case 3:
	case 4:
		ok = glue_stats_copy(src, "MinimumValue", d, "lowValue", FALSE, i == 4, FALSE, error) &&
		     glue_stats_copy(src, "MaximumValue", d, "highValue", FALSE, i == 4, FALSE, error);
		break;
	default:
		ok = glue_stats_copy(src, "MaximumLength", d, "maxColLen", TRUE, TRUE, TRUE, error) &&
		     glue_stats_copy(src, "AverageLength", d, "avgColLen", TRUE, FALSE, TRUE, error);
		break;
	}
	if (ok && i != 0)
		ok = glue_stats_copy(src, "NumberOfNulls", d, "numNulls", TRUE, TRUE, TRUE, error) &&
		     (i == 6 || glue_stats_copy(src, "NumberOfDistinctValues", d, "numDVs", TRUE, TRUE, TRUE, error));
	return ok;
}

/* One Glue ColumnStatistics → a catalog entry (new), or NULL with error. */
static JsonObject *glue_stats_entry_in(JsonObject *cs, GError **error)
{
	const char *name = glue_in_name(cs, "ColumnName", TRUE, error);
	const char *type = name ? glue_in_string(cs, "ColumnType", TRUE, 20000, error) : NULL;
	JsonObject *sd = type ? glue_in_object(cs, "StatisticsData", TRUE, error) : NULL;
	if (sd == NULL)
		return NULL;
	if (!json_object_has_member(cs, "AnalyzedTime")) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "1 validation error detected: Value null at 'analyzedTime' failed to satisfy constraint: "
		                    "Member must not be null");
		return NULL;
	}
	const char *kind = NULL;
	g_autoptr(JsonObject) data = json_object_new();
	if (!glue_stats_data_in(sd, &kind, data, error))
		return NULL;
	JsonObject *e = json_object_new();
	json_object_set_string_member(e, "ColumnName", name);
	json_object_set_string_member(e, "ColumnType", type);
	json_object_set_string_member(e, "Kind", kind);
	json_object_set_object_member(e, "Data", g_steal_pointer(&data));
	return e;
}

/* Copies Hive number h of d to Glue member g of o (integer or double), when present. */
static void glue_stats_put(JsonObject *d, const char *h, JsonObject *o, const char *g, gboolean integral)
{
	JsonNode *n = json_object_get_member(d, h);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return;
	GType t = json_node_get_value_type(n);
	double v = t == G_TYPE_INT64 ? (double)json_node_get_int(n) : t == G_TYPE_DOUBLE ? json_node_get_double(n) : 0;
	if (integral)
		json_object_set_int_member(o, g, (gint64)v);
	else
		json_object_set_double_member(o, g, v);
}

/* Hive lowValue/highValue of dates or decimals → Glue members. */
static void glue_stats_bound_out(JsonObject *d, const char *h, JsonObject *o, const char *g, gboolean date)
{
	JsonNode *n = json_object_get_member(d, h);
	if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
		return;
	JsonObject *b = json_node_get_object(n);
	if (date) {
		json_object_set_int_member(o, g, json_object_get_int_member_with_default(b, "daysSinceEpoch", 0) * 86400);
		return;
	}
	JsonObject *num = json_object_new();
	json_object_set_string_member(num, "UnscaledValue", json_object_get_string_member_with_default(b, "unscaled", ""));
	json_object_set_int_member(num, "Scale", json_object_get_int_member_with_default(b, "scale", 0));
	json_object_set_object_member(o, g, num);
}

/* A catalog entry → Glue ColumnStatistics (new), or NULL for a kind Glue lacks. */
static JsonObject *glue_stats_entry_out(JsonObject *e)
{
	const char *kind = json_object_get_string_member_with_default(e, "Kind", "");
	JsonNode *dn = json_object_get_member(e, "Data");
	JsonObject *d = dn && JSON_NODE_HOLDS_OBJECT(dn) ? json_node_get_object(dn) : NULL;
	if (d == NULL)
		return NULL;
	const char *type = NULL, *member = NULL;
	JsonObject *o = json_object_new();
	if (strcmp(kind, "booleanStats") == 0) {
		type = "BOOLEAN", member = "BooleanColumnStatisticsData";
		glue_stats_put(d, "numTrues", o, "NumberOfTrues", TRUE);
		glue_stats_put(d, "numFalses", o, "NumberOfFalses", TRUE);
	} else if (strcmp(kind, "longStats") == 0 || strcmp(kind, "doubleStats") == 0) {
		gboolean lg = kind[0] == 'l';
		type = lg ? "LONG" : "DOUBLE", member = lg ? "LongColumnStatisticsData" : "DoubleColumnStatisticsData";
		glue_stats_put(d, "lowValue", o, "MinimumValue", lg);
		glue_stats_put(d, "highValue", o, "MaximumValue", lg);
	} else if (strcmp(kind, "stringStats") == 0 || strcmp(kind, "binaryStats") == 0) {
		gboolean st = kind[0] == 's';
		type = st ? "STRING" : "BINARY", member = st ? "StringColumnStatisticsData" : "BinaryColumnStatisticsData";
		glue_stats_put(d, "maxColLen", o, "MaximumLength", TRUE);
		glue_stats_put(d, "avgColLen", o, "AverageLength", FALSE);
	} else if (strcmp(kind, "decimalStats") == 0 || strcmp(kind, "dateStats") == 0) {
		gboolean dt = kind[1] == 'a';
		type = dt ? "DATE" : "DECIMAL", member = dt ? "DateColumnStatisticsData" : "DecimalColumnStatisticsData";
		glue_stats_bound_out(d, "lowValue", o, "MinimumValue", dt);
		glue_stats_bound_out(d, "highValue", o, "MaximumValue", dt);
	} else {
		json_object_unref(o);
		return NULL;
	}
	glue_stats_put(d, "numNulls", o, "NumberOfNulls", TRUE);
	if (strcmp(type, "BOOLEAN") != 0 && strcmp(type, "BINARY") != 0)
		glue_stats_put(d, "numDVs", o, "NumberOfDistinctValues", TRUE);
	JsonObject *sd = json_object_new();
	json_object_set_string_member(sd, "Type", type);
	json_object_set_object_member(sd, member, o);
	JsonObject *cs = json_object_new();
	json_object_set_string_member(cs, "ColumnName", json_object_get_string_member_with_default(e, "ColumnName", ""));
	json_object_set_string_member(cs, "ColumnType", json_object_get_string_member_with_default(e, "ColumnType", ""));
	json_object_set_int_member(cs, "AnalyzedTime", json_object_get_int_member_with_default(e, "LastAnalyzed", 0));
	json_object_set_object_member(cs, "StatisticsData", sd);
	return cs;
}

/* An ErrorDetail object of e. */
static JsonObject *glue_stats_detail(const GError *e)
{
	guint status = 0;
	JsonObject *detail = json_object_new();
	json_object_set_string_member(detail, "ErrorCode", glue_error_type(e, &status));
	g_autofree char *msg = g_strndup(e->message, 2048);
	json_object_set_string_member(detail, "ErrorMessage", msg);
	return detail;
}

/* Reads db, table, CatalogId and, for partitions, PartitionValues into *part_name (new). */
static gboolean glue_stats_target(GlueCall *call, gboolean partition, const char **db, const char **table,
                                  char **part_name, GError **error)
{
	*part_name = NULL;
	*db = glue_in_name(call->in, "DatabaseName", TRUE, error);
	*table = *db ? glue_in_name(call->in, "TableName", TRUE, error) : NULL;
	if (*table == NULL || !glue_check_catalog_id(call, error))
		return FALSE;
	if (!partition)
		return TRUE;
	g_autoptr(GPtrArray) vals = glue_part_values_member(call->in, "PartitionValues", error);
	if (vals == NULL)
		return FALSE;
	g_auto(GStrv) keys = glue_part_keys(call, *db, *table, error);
	if (keys == NULL)
		return FALSE;
	*part_name = glue_part_name(keys, vals, error);
	if (*part_name == NULL)
		return FALSE;
	/* a missing partition is EntityNotFound before anything else */
	g_autoptr(JsonObject) p = catalog_get_partition(call->door->cat, &call->ctx, call->catalog, *db, *table, vals, NULL, error);
	return p != NULL;
}

/* Reads ColumnNames (1..100 strings) into a new array of borrowed strings. */
static GPtrArray *glue_stats_column_names(GlueCall *call, GError **error)
{
	JsonArray *a = glue_in_array(call->in, "ColumnNames", TRUE, error);
	if (a == NULL)
		return NULL;
	if (json_array_get_length(a) > GLUE_STATS_GET_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'columnNames' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", GLUE_STATS_GET_MAX);
		return NULL;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING ||
		    *json_node_get_string(n) == '\0' || g_utf8_strlen(json_node_get_string(n), -1) > 255) {
			g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			                    "ColumnNames must be a list of names of 1 to 255 characters");
			return NULL;
		}
		g_ptr_array_add(names, (gpointer)json_node_get_string(n));
	}
	return g_steal_pointer(&names);
}

static JsonObject *glue_stats_get(GlueCall *call, gboolean partition, GError **error)
{
	const char *db, *table;
	g_autofree char *part = NULL;
	if (!glue_stats_target(call, partition, &db, &table, &part, error))
		return NULL;
	g_autoptr(GPtrArray) cols = glue_stats_column_names(call, error);
	if (cols == NULL)
		return NULL;
	g_autoptr(GPtrArray) lower = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < cols->len; i++)
		g_ptr_array_add(lower, g_utf8_strdown(g_ptr_array_index(cols, i), -1));
	g_autoptr(GPtrArray) entries = NULL;
	if (partition) {
		g_autoptr(GPtrArray) parts = g_ptr_array_new();
		g_ptr_array_add(parts, part);
		entries = catalog_get_partition_column_stats(call->door->cat, &call->ctx, call->catalog, db, table, parts, lower, NULL,
		                                             error);
	} else {
		entries = catalog_get_table_column_stats(call->door->cat, &call->ctx, call->catalog, db, table, lower, NULL, error);
	}
	if (entries == NULL)
		return NULL;
	JsonArray *list = json_array_new(), *errors = json_array_new();
	g_autoptr(GHashTable) found = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < entries->len; i++) {
		JsonObject *e = g_ptr_array_index(entries, i);
		JsonObject *cs = glue_stats_entry_out(e);
		if (cs == NULL)
			continue;
		g_hash_table_add(found, (gpointer)json_object_get_string_member_with_default(e, "ColumnName", ""));
		json_array_add_object_element(list, cs);
	}
	for (guint i = 0; i < lower->len; i++) {
		if (g_hash_table_contains(found, g_ptr_array_index(lower, i)))
			continue;
		g_autoptr(GError) e = g_error_new(CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Column statistics not found for %s",
		                                  (char *)g_ptr_array_index(cols, i));
		JsonObject *ce = json_object_new();
		json_object_set_string_member(ce, "ColumnName", g_ptr_array_index(cols, i));
		json_object_set_object_member(ce, "Error", glue_stats_detail(e));
		json_array_add_object_element(errors, ce);
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "ColumnStatisticsList", list);
	json_object_set_array_member(out, "Errors", errors);
	return out;
}

/* Writes entries as one set of the table or partition. */
static gboolean glue_stats_write(GlueCall *call, const char *db, const char *table, const char *part,
                                 GPtrArray *entries, GError **error)
{
	CatalogColumnStats set = {NULL, db, table, part, entries};
	return catalog_update_column_stats(call->door->cat, &call->ctx, &set, 1, NULL, error);
}

static JsonObject *glue_stats_update(GlueCall *call, gboolean partition, GError **error)
{
	const char *db, *table;
	g_autofree char *part = NULL;
	if (!glue_stats_target(call, partition, &db, &table, &part, error))
		return NULL;
	JsonArray *list = glue_in_array(call->in, "ColumnStatisticsList", TRUE, error);
	if (list == NULL)
		return NULL;
	if (json_array_get_length(list) > GLUE_STATS_UPDATE_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'columnStatisticsList' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", GLUE_STATS_UPDATE_MAX);
		return NULL;
	}
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	for (guint i = 0; i < json_array_get_length(list); i++) {
		JsonNode *n = json_array_get_element(list, i);
		if (!JSON_NODE_HOLDS_OBJECT(n)) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "ColumnStatisticsList must be a list of objects");
			return NULL;
		}
		JsonObject *e = glue_stats_entry_in(json_node_get_object(n), error);
		if (e == NULL)
			return NULL;
		g_ptr_array_add(entries, e);
	}
	JsonArray *errors = json_array_new();
	GError *berr = NULL;
	if (entries->len > 0 && !glue_stats_write(call, db, table, part, entries, &berr)) {
		if (!g_error_matches(berr, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT)) {
			json_array_unref(errors);
			g_propagate_error(error, berr);
			return NULL;
		}
		g_clear_error(&berr);
		/* one bad column fails the batch in the catalog: retry each to say which */
		for (guint i = 0; i < entries->len; i++) {
			g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
			g_ptr_array_add(one, json_object_ref(g_ptr_array_index(entries, i)));
			GError *e = NULL;
			if (!glue_stats_write(call, db, table, part, one, &e)) {
				JsonObject *ce = json_object_new();
				json_object_set_object_member(ce, "ColumnStatistics",
				                              glue_copy_object(json_array_get_object_element(list, i)));
				json_object_set_object_member(ce, "Error", glue_stats_detail(e));
				json_array_add_object_element(errors, ce);
				g_error_free(e);
			}
		}
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Errors", errors);
	return out;
}

static JsonObject *glue_stats_delete(GlueCall *call, gboolean partition, GError **error)
{
	const char *db, *table, *col;
	g_autofree char *part = NULL;
	if (!glue_stats_target(call, partition, &db, &table, &part, error) ||
	    (col = glue_in_name(call->in, "ColumnName", TRUE, error)) == NULL)
		return NULL;
	g_autofree char *lower = g_utf8_strdown(col, -1);
	if (!catalog_delete_column_stats(call->door->cat, &call->ctx, call->catalog, db, table, part, lower, NULL, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_get_stats_table(GlueCall *call, GError **error)
{
	return glue_stats_get(call, FALSE, error);
}

static JsonObject *glue_get_stats_partition(GlueCall *call, GError **error)
{
	return glue_stats_get(call, TRUE, error);
}

static JsonObject *glue_update_stats_table(GlueCall *call, GError **error)
{
	return glue_stats_update(call, FALSE, error);
}

static JsonObject *glue_update_stats_partition(GlueCall *call, GError **error)
{
	return glue_stats_update(call, TRUE, error);
}

static JsonObject *glue_delete_stats_table(GlueCall *call, GError **error)
{
	return glue_stats_delete(call, FALSE, error);
}

static JsonObject *glue_delete_stats_partition(GlueCall *call, GError **error)
{
	return glue_stats_delete(call, TRUE, error);
}

const GlueOp glue_stats_ops[] = {
	{"GetColumnStatisticsForTable", glue_get_stats_table},
	{"UpdateColumnStatisticsForTable", glue_update_stats_table},
	{"DeleteColumnStatisticsForTable", glue_delete_stats_table},
	{"GetColumnStatisticsForPartition", glue_get_stats_partition},
	{"UpdateColumnStatisticsForPartition", glue_update_stats_partition},
	{"DeleteColumnStatisticsForPartition", glue_delete_stats_partition},
	{NULL, NULL},
};
