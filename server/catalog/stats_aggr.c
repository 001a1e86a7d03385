/*
 * stats_aggr.c — Hive's aggregation of column statistics across partitions, and its
 * COLUMN_STATS_ACCURATE bookkeeping, as pure functions.
 *
 * The aggregation follows Hive's default path (MetaStoreDirectSql.aggrStatsUseDB with
 * hive.metastore.stats.fetch.bitvector=false, ndv.tuner=0, density function off): each entry is
 * flattened into Hive's PART_COL_STATS columns (long/double/decimal low and high, nulls,
 * distinct values, average and maximum length, trues, falses), aggregated with min / max / sum
 * or, when some partitions lack the column, linearly extrapolated from the partitions holding
 * the extreme values (LinearExtrapolatePartStatus), then turned back into the union member
 * the column type calls for (StatObjectConverter.fillColumnStatisticsData).
 */
#include "catalog/stats_aggr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"

/* Hive's PART_COL_STATS value columns, in IExtrapolatePartStatus order. */
enum { S_LLOW, S_LHIGH, S_DLOW, S_DHIGH, S_DECLOW, S_DECHIGH, S_NULLS, S_NDV, S_AVGLEN, S_MAXLEN, S_TRUES,
       S_FALSES, S_COUNT };

typedef enum { T_LONG, T_DOUBLE, T_DECIMAL } SlotType;
typedef enum { A_MIN, A_MAX, A_SUM } SlotAggr;

static const SlotType slot_type[S_COUNT] = {T_LONG, T_LONG, T_DOUBLE, T_DOUBLE, T_DECIMAL, T_DECIMAL,
                                            T_LONG, T_LONG, T_DOUBLE, T_LONG,   T_LONG,    T_LONG};
static const SlotAggr slot_aggr[S_COUNT] = {A_MIN, A_MAX, A_MIN, A_MAX, A_MIN, A_MAX,
                                            A_SUM, A_MAX, A_MAX, A_MAX, A_SUM, A_SUM};

/* A decimal as sign, digits without leading zeros ("" = 0) and scale: value = digits × 10^-scale. */
typedef struct {
	int sign;
	char digits[128];
	int scale;
} Dec;

/* One partition's statistics flattened into Hive's columns. */
typedef struct {
	guint index;
	gboolean has[S_COUNT];
	gint64 l[S_COUNT];
	double d[S_COUNT];
	Dec dec[S_COUNT];
	JsonNode *dec_node[S_COUNT]; /* the original Decimal JSON (borrowed) */
} Flat;

/* ---- JSON helpers ---- */

/* A number member (int or double; "NaN"/"Infinity" strings for non-finite doubles). */
static gboolean json_num(JsonObject *o, const char *m, double *d, gint64 *l)
{
	JsonNode *n = o ? json_object_get_member(o, m) : NULL;
	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE)
		return FALSE;
	GType t = json_node_get_value_type(n);
	if (t == G_TYPE_INT64) {
		*l = json_node_get_int(n);
		*d = (double)*l;
	} else if (t == G_TYPE_DOUBLE) {
		*d = json_node_get_double(n);
		*l = (gint64)*d;
	} else if (t == G_TYPE_STRING) {
		const char *s = json_node_get_string(n);
		*d = strcmp(s, "NaN") == 0 ? NAN : strcmp(s, "Infinity") == 0 ? INFINITY : -INFINITY;
		*l = 0;
	} else {
		return FALSE;
	}
	return TRUE;
}

static void json_set_double(JsonObject *o, const char *m, double d)
{
	if (isfinite(d))
		json_object_set_double_member(o, m, d);
	else
		json_object_set_string_member(o, m, isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
}

/* ---- decimals ---- */

/* Decodes Hive's Decimal (big-endian two's complement unscaled bytes, scale). */
static gboolean dec_from_json(JsonObject *o, Dec *out)
{
	memset(out, 0, sizeof *out);
	const char *b64 = o ? (json_object_has_member(o, "unscaled") ? json_object_get_string_member(o, "unscaled") : NULL)
	                    : NULL;
	if (b64 == NULL || !json_object_has_member(o, "scale"))
		return FALSE;
	gsize len = 0;
	g_autofree guchar *raw = g_base64_decode(b64, &len);
	if (len > 48)
		return FALSE;
	guchar mag[48];
	gboolean neg = len > 0 && (raw[0] & 0x80);
	for (gsize i = 0; i < len; i++)
		mag[i] = neg ? (guchar)~raw[i] : raw[i];
	if (neg) /* two's complement: magnitude = ~x + 1 */
		for (gssize i = (gssize)len - 1; i >= 0 && ++mag[i] == 0; i--)
			;
	char rev[128];
	int nd = 0;
	for (;;) { /* repeated division by 10 */
		gboolean zero = TRUE;
		guint rem = 0;
		for (gsize i = 0; i < len; i++) {
			guint cur = rem * 256 + mag[i];
			mag[i] = (guchar)(cur / 10);
			rem = cur % 10;
			if (mag[i])
				zero = FALSE;
		}
		rev[nd++] = (char)('0' + rem);
		if (zero || nd >= 120)
			break;
	}
	while (nd > 0 && rev[nd - 1] == '0')
		nd--;
	for (int i = 0; i < nd; i++)
		out->digits[i] = rev[nd - 1 - i];
	out->digits[nd] = '\0';
	out->sign = nd == 0 ? 0 : neg ? -1 : 1;
	out->scale = (int)json_object_get_int_member(o, "scale");
	return TRUE;
}

static int dec_cmp(const Dec *a, const Dec *b)
{
	if (a->sign != b->sign)
		return a->sign < b->sign ? -1 : 1;
	if (a->sign == 0)
		return 0;
	int ma = (int)strlen(a->digits) - a->scale, mb = (int)strlen(b->digits) - b->scale;
	int c = ma != mb ? (ma < mb ? -1 : 1) : 0;
	if (c == 0) {
		size_t la = strlen(a->digits), lb = strlen(b->digits);
		for (size_t i = 0; i < MAX(la, lb) && c == 0; i++) {
			char x = i < la ? a->digits[i] : '0', y = i < lb ? b->digits[i] : '0';
			c = x == y ? 0 : x < y ? -1 : 1;
		}
	}
	return a->sign * c;
}

static double dec_to_double(const Dec *d)
{
	if (d->sign == 0)
		return 0.0;
	char buf[160];
	g_snprintf(buf, sizeof buf, "%s%se%d", d->sign < 0 ? "-" : "", d->digits, -d->scale);
	return g_ascii_strtod(buf, NULL);
}

/*
 * The Decimal Hive makes of an extrapolated double: new BigDecimal(String.valueOf(d)), i.e.
 * Java's shortest digits, plain form with at least one fraction digit for 1e-3 <= |d| < 1e7,
 * else scientific with at least one mantissa fraction digit.
 */
static JsonObject *dec_json_from_double(double v)
{
	char buf[64], digits[40];
	int e = 0, nd = 0;
	for (int p = 1; p <= 17; p++) {
		g_snprintf(buf, sizeof buf, "%.*e", p - 1, fabs(v));
		if (g_ascii_strtod(buf, NULL) == fabs(v))
			break;
	}
	for (const char *s = buf; *s && *s != 'e'; s++)
		if (g_ascii_isdigit(*s))
			digits[nd++] = *s;
	e = atoi(strchr(buf, 'e') + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	gboolean plain = v == 0.0 || (fabs(v) >= 1e-3 && fabs(v) < 1e7);
	int frac, scale, zeros;
	if (plain) { /* value = D × 10^(e − nd + 1); unscaled = value × 10^frac */
		frac = MAX(1, nd - 1 - e);
		zeros = e - nd + 1 + frac;
		scale = frac;
	} else {
		frac = MAX(1, nd - 1);
		zeros = frac - nd + 1;
		scale = frac - e;
	}
	for (; zeros > 0 && nd < 39; zeros--)
		digits[nd++] = '0';
	/* unscaled decimal digits → big-endian magnitude bytes */
	guchar mag[24] = {0};
	for (int i = 0; i < nd; i++) {
		guint carry = (guint)(digits[i] - '0');
		for (int j = (int)sizeof mag - 1; j >= 0; j--) {
			guint cur = mag[j] * 10u + carry;
			mag[j] = (guchar)(cur & 0xff);
			carry = cur >> 8;
		}
	}
	if (v < 0) { /* two's complement */
		for (gsize j = 0; j < sizeof mag; j++)
			mag[j] = (guchar)~mag[j];
		for (int j = (int)sizeof mag - 1; j >= 0 && ++mag[j] == 0; j--)
			;
	}
	/* minimal length, as BigInteger.toByteArray */
	gsize start = 0;
	while (start + 1 < sizeof mag && ((mag[start] == 0x00 && !(mag[start + 1] & 0x80)) ||
	                                   (mag[start] == 0xff && (mag[start + 1] & 0x80))))
		start++;
	JsonObject *o = json_object_new();
	g_autofree char *b64 = g_base64_encode(mag + start, sizeof mag - start);
	json_object_set_string_member(o, "unscaled", b64);
	json_object_set_int_member(o, "scale", scale);
	return o;
}

/* ---- flattening ---- */

/* The long inside a Date/Timestamp object, or a plain long. */
static gboolean long_value(JsonObject *data, const char *m, const char *inner, gint64 *out)
{
	double d;
	if (inner == NULL)
		return json_num(data, m, &d, out);
	JsonNode *n = json_object_get_member(data, m);
	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_OBJECT)
		return FALSE;
	return json_num(json_node_get_object(n), inner, &d, out);
}

static void flat_from_entry(JsonObject *entry, guint index, Flat *f)
{
	memset(f, 0, sizeof *f);
	f->index = index;
	const char *kind = json_object_get_string_member_with_default(entry, "Kind", "");
	JsonNode *dn = json_object_get_member(entry, "Data");
	JsonObject *data = dn && JSON_NODE_TYPE(dn) == JSON_NODE_OBJECT ? json_node_get_object(dn) : NULL;
	if (data == NULL)
		return;
	double d;
	gint64 l;
#define TAKE_LONG(slot, m)                                                                                             \
	if (json_num(data, m, &d, &l)) {                                                                                   \
		f->has[slot] = TRUE;                                                                                           \
		f->l[slot] = l;                                                                                                \
	}
#define TAKE_DOUBLE(slot, m)                                                                                           \
	if (json_num(data, m, &d, &l)) {                                                                                   \
		f->has[slot] = TRUE;                                                                                           \
		f->d[slot] = d;                                                                                                \
	}
	TAKE_LONG(S_NULLS, "numNulls");
	if (strcmp(kind, "booleanStats") == 0) {
		TAKE_LONG(S_TRUES, "numTrues");
		TAKE_LONG(S_FALSES, "numFalses");
		return;
	}
	if (strcmp(kind, "stringStats") == 0 || strcmp(kind, "binaryStats") == 0) {
		TAKE_DOUBLE(S_AVGLEN, "avgColLen");
		TAKE_LONG(S_MAXLEN, "maxColLen");
		if (strcmp(kind, "stringStats") == 0)
			TAKE_LONG(S_NDV, "numDVs");
		return;
	}
	TAKE_LONG(S_NDV, "numDVs");
	if (strcmp(kind, "doubleStats") == 0) {
		TAKE_DOUBLE(S_DLOW, "lowValue");
		TAKE_DOUBLE(S_DHIGH, "highValue");
	} else if (strcmp(kind, "decimalStats") == 0) {
		const char *m[2] = {"lowValue", "highValue"};
		for (int i = 0; i < 2; i++) {
			JsonNode *n = json_object_get_member(data, m[i]);
			int slot = i == 0 ? S_DECLOW : S_DECHIGH;
			if (n && JSON_NODE_TYPE(n) == JSON_NODE_OBJECT && dec_from_json(json_node_get_object(n), &f->dec[slot])) {
				f->has[slot] = TRUE;
				f->dec_node[slot] = n;
				f->d[slot] = dec_to_double(&f->dec[slot]);
			}
		}
	} else {
		const char *inner = strcmp(kind, "dateStats") == 0        ? "daysSinceEpoch"
		                    : strcmp(kind, "timestampStats") == 0 ? "secondsSinceEpoch"
		                                                          : NULL;
		if (long_value(data, "lowValue", inner, &l)) {
			f->has[S_LLOW] = TRUE;
			f->l[S_LLOW] = l;
		}
		if (long_value(data, "highValue", inner, &l)) {
			f->has[S_LHIGH] = TRUE;
			f->l[S_LHIGH] = l;
		}
	}
#undef TAKE_LONG
#undef TAKE_DOUBLE
}

/* The aggregated value of one slot. */
typedef struct {
	gboolean has;
	gint64 l;
	double d;
	JsonNode *dec_node; /* borrowed, when the value is one partition's decimal */
	double dec_d;       /* an extrapolated decimal */
	gboolean dec_extrapolated;
} Agg;

/* -1/0/1 comparing slot values of two rows. */
static int slot_cmp(const Flat *a, const Flat *b, int s)
{
	switch (slot_type[s]) {
	case T_LONG: return a->l[s] < b->l[s] ? -1 : a->l[s] > b->l[s];
	case T_DOUBLE: return a->d[s] < b->d[s] ? -1 : a->d[s] > b->d[s];
	case T_DECIMAL: return dec_cmp(&a->dec[s], &b->dec[s]);
	}
	return 0;
}

/* min / max / sum over the rows that have the slot (SQL aggregates skip NULLs). */
static Agg slot_plain(const Flat *rows, guint n, int s)
{
	Agg a = {0};
	const Flat *best = NULL;
	for (guint i = 0; i < n; i++) {
		if (!rows[i].has[s])
			continue;
		if (slot_aggr[s] == A_SUM) {
			a.l += rows[i].l[s];
		} else if (best == NULL || (slot_aggr[s] == A_MIN ? slot_cmp(&rows[i], best, s) < 0
		                                                  : slot_cmp(&rows[i], best, s) > 0)) {
			best = &rows[i];
		}
		a.has = TRUE;
	}
	if (best) {
		a.l = best->l[s];
		a.d = best->d[s];
		a.dec_node = best->dec_node[s];
	}
	return a;
}

/*
 * Hive's linear extrapolation of a min/max slot from the partitions holding the smallest and
 * the largest value (ties: the earliest smallest, the latest largest), with the right border
 * at position n_parts − 1. Any partition lacking the value gives no value (SQL sorts NULLs last).
 */
static Agg slot_extrapolate(const Flat *rows, guint n, int s, guint n_parts)
{
	Agg a = {0};
	const Flat *mn = NULL, *mx = NULL;
	for (guint i = 0; i < n; i++) {
		if (!rows[i].has[s])
			return a;
		if (mn == NULL || slot_cmp(&rows[i], mn, s) < 0)
			mn = &rows[i];
		if (mx == NULL || slot_cmp(&rows[i], mx, s) >= 0)
			mx = &rows[i];
	}
	if (mn == NULL)
		return a;
	a.has = TRUE;
	gint64 minInd = mn->index, maxInd = mx->index, right = (gint64)n_parts - 1;
	if (minInd == maxInd) {
		a.l = mn->l[s];
		a.d = mn->d[s];
		a.dec_node = mn->dec_node[s];
		return a;
	}
	gint64 lmin = mn->l[s], lmax = mx->l[s];
	double dmin = mn->d[s], dmax = mx->d[s];
	if (slot_aggr[s] == A_MAX) {
		if (minInd < maxInd) {
			a.l = lmin + (lmax - lmin) * (right - minInd) / (maxInd - minInd);
			a.d = dmin + (dmax - dmin) * (double)(right - minInd) / (double)(maxInd - minInd);
		} else {
			a.l = lmin + (lmax - lmin) * minInd / (minInd - maxInd);
			a.d = dmin + (dmax - dmin) * (double)minInd / (double)(minInd - maxInd);
		}
	} else {
		if (minInd < maxInd) {
			a.l = lmax - (lmax - lmin) * maxInd / (maxInd - minInd);
			a.d = dmax - (dmax - dmin) * (double)maxInd / (double)(maxInd - minInd);
		} else {
			a.l = lmax - (lmax - lmin) * (right - maxInd) / (minInd - maxInd);
			a.d = dmax - (dmax - dmin) * (double)(right - maxInd) / (double)(minInd - maxInd);
		}
	}
	if (slot_type[s] == T_DECIMAL) {
		a.dec_extrapolated = TRUE;
		a.dec_d = a.d;
	}
	return a;
}

/* The family of union member Hive builds for a column type (fillColumnStatisticsData). */
static const char *kind_for_type(const char *col_type, const char *fallback_kind)
{
	g_autofree char *t = g_ascii_strdown(col_type ? col_type : "", -1);
	if (strcmp(t, "boolean") == 0)
		return "booleanStats";
	if (strcmp(t, "string") == 0 || g_str_has_prefix(t, "varchar") || g_str_has_prefix(t, "char"))
		return "stringStats";
	if (strcmp(t, "binary") == 0)
		return "binaryStats";
	if (strcmp(t, "bigint") == 0 || strcmp(t, "int") == 0 || strcmp(t, "smallint") == 0 || strcmp(t, "tinyint") == 0)
		return "longStats";
	if (strcmp(t, "date") == 0)
		return "dateStats";
	if (strcmp(t, "timestamp") == 0)
		return "timestampStats";
	if (strcmp(t, "double") == 0 || strcmp(t, "float") == 0)
		return "doubleStats";
	if (g_str_has_prefix(t, "decimal"))
		return "decimalStats";
	return fallback_kind; /* Hive leaves the union unset here; we keep the stored kind */
}

static void set_long_value(JsonObject *data, const char *m, const char *inner, gint64 v)
{
	if (inner == NULL) {
		json_object_set_int_member(data, m, v);
		return;
	}
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, inner, v);
	json_object_set_object_member(data, m, o);
}

static void set_dec_value(JsonObject *data, const char *m, const Agg *a)
{
	if (!a->has)
		return;
	if (a->dec_extrapolated)
		json_object_set_object_member(data, m, dec_json_from_double(a->dec_d));
	else if (a->dec_node)
		json_object_set_member(data, m, json_node_copy(a->dec_node));
}

/* Builds the union member from the aggregated slots. */
static JsonObject *data_from_aggs(const char *kind, const Agg *g, gint64 sum_ndv, double tuner)
{
	JsonObject *data = json_object_new();
	gint64 lower = g[S_NDV].l, higher = sum_ndv;
	gint64 estimation = (gint64)((double)lower + (double)(higher - lower) * tuner);
	if (strcmp(kind, "booleanStats") == 0) {
		json_object_set_int_member(data, "numTrues", g[S_TRUES].l);
		json_object_set_int_member(data, "numFalses", g[S_FALSES].l);
	} else if (strcmp(kind, "stringStats") == 0 || strcmp(kind, "binaryStats") == 0) {
		json_object_set_int_member(data, "maxColLen", g[S_MAXLEN].l);
		json_set_double(data, "avgColLen", g[S_AVGLEN].d);
		if (strcmp(kind, "stringStats") == 0)
			json_object_set_int_member(data, "numDVs", g[S_NDV].l);
	} else if (strcmp(kind, "doubleStats") == 0) {
		if (g[S_DLOW].has)
			json_set_double(data, "lowValue", g[S_DLOW].d);
		if (g[S_DHIGH].has)
			json_set_double(data, "highValue", g[S_DHIGH].d);
		json_object_set_int_member(data, "numDVs", estimation);
	} else if (strcmp(kind, "decimalStats") == 0) {
		set_dec_value(data, "lowValue", &g[S_DECLOW]);
		set_dec_value(data, "highValue", &g[S_DECHIGH]);
		json_object_set_int_member(data, "numDVs", estimation);
	} else { /* long, date, timestamp */
		const char *inner = strcmp(kind, "dateStats") == 0        ? "daysSinceEpoch"
		                    : strcmp(kind, "timestampStats") == 0 ? "secondsSinceEpoch"
		                                                          : NULL;
		if (g[S_LLOW].has)
			set_long_value(data, "lowValue", inner, g[S_LLOW].l);
		if (g[S_LHIGH].has)
			set_long_value(data, "highValue", inner, g[S_LHIGH].l);
		if (g[S_LLOW].has && g[S_LHIGH].has)
			estimation = MIN(estimation, g[S_LHIGH].l - g[S_LLOW].l + 1);
		json_object_set_int_member(data, "numDVs", estimation);
	}
	json_object_set_int_member(data, "numNulls", g[S_NULLS].l);
	return data;
}

/* See stats_aggr.h. */
JsonObject *stats_aggr_column(const StatsAggrInput *in, guint n, guint n_parts, double ndv_tuner)
{
	if (n == 0)
		return NULL;
	g_autofree Flat *rows = g_new0(Flat, n);
	for (guint i = 0; i < n; i++)
		flat_from_entry(in[i].entry, in[i].index, &rows[i]);
	gboolean extrapolate = n >= 2 && n < n_parts;
	Agg g[S_COUNT];
	for (int s = 0; s < S_COUNT; s++) {
		if (extrapolate && slot_aggr[s] != A_SUM) {
			g[s] = slot_extrapolate(rows, n, s, n_parts);
		} else {
			g[s] = slot_plain(rows, n, s);
			if (extrapolate && g[s].has) /* Hive: sum / count × parts, integer arithmetic */
				g[s].l = g[s].l / (gint64)n * (gint64)n_parts;
		}
	}
	Agg sum_ndv = {0};
	for (guint i = 0; i < n; i++)
		if (rows[i].has[S_NDV])
			sum_ndv.l += rows[i].l[S_NDV];
	if (extrapolate)
		sum_ndv.l = sum_ndv.l / (gint64)n * (gint64)n_parts;
	JsonObject *first = in[0].entry;
	const char *type = json_object_get_string_member_with_default(first, "ColumnType", "");
	const char *kind = kind_for_type(type, json_object_get_string_member_with_default(first, "Kind", "longStats"));
	JsonObject *out = json_object_new();
	json_object_set_string_member(out, "ColumnName", json_object_get_string_member_with_default(first, "ColumnName", ""));
	json_object_set_string_member(out, "ColumnType", type);
	json_object_set_string_member(out, "Kind", kind);
	json_object_set_object_member(out, "Data", data_from_aggs(kind, g, sum_ndv.l, ndv_tuner));
	return out;
}

/* ---- COLUMN_STATS_ACCURATE ---- */

/* Column order of Java's TreeMap<String, …> for the names Hive allows. */
static gint accurate_key_cmp(gconstpointer a, gconstpointer b, G_GNUC_UNUSED gpointer unused)
{
	return strcmp(a, b);
}

typedef struct {
	gboolean basic;
	GTree *columns; /* char* → "true"/"false" (static strings), sorted like Java's TreeMap */
} Accurate;

static gboolean java_bool(JsonNode *n)
{
	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE)
		return FALSE;
	if (json_node_get_value_type(n) == G_TYPE_BOOLEAN)
		return json_node_get_boolean(n);
	return json_node_get_value_type(n) == G_TYPE_STRING && g_ascii_strcasecmp(json_node_get_string(n), "true") == 0;
}

/* Hive's parseStatsAcc: JSON with only BASIC_STATS / COLUMN_STATS, else legacy "true"/other. */
static void accurate_parse(const char *text, Accurate *acc)
{
	acc->basic = FALSE;
	acc->columns = g_tree_new_full(accurate_key_cmp, NULL, g_free, NULL);
	if (text == NULL)
		return;
	g_autoptr(JsonNode) root = json_client_parse(text, strlen(text), 8, NULL); /* a client's parameter */
	gboolean ok = root != NULL && JSON_NODE_HOLDS_OBJECT(root);
	JsonObject *o = ok ? json_node_get_object(root) : NULL;
	g_autoptr(GList) members = o ? json_object_get_members(o) : NULL;
	for (GList *l = members; ok && l; l = l->next)
		if (strcmp(l->data, "BASIC_STATS") != 0 && strcmp(l->data, "COLUMN_STATS") != 0)
			ok = FALSE; /* Jackson fails on unknown properties */
	JsonNode *cs = o ? json_object_get_member(o, "COLUMN_STATS") : NULL;
	if (ok && cs && JSON_NODE_TYPE(cs) != JSON_NODE_OBJECT && JSON_NODE_TYPE(cs) != JSON_NODE_NULL)
		ok = FALSE;
	if (!ok) {
		acc->basic = g_ascii_strcasecmp(text, "true") == 0;
		return;
	}
	acc->basic = java_bool(json_object_get_member(o, "BASIC_STATS"));
	if (cs && JSON_NODE_TYPE(cs) == JSON_NODE_OBJECT) {
		JsonObject *co = json_node_get_object(cs);
		g_autoptr(GList) cols = json_object_get_members(co);
		for (GList *l = cols; l; l = l->next)
			g_tree_insert(acc->columns, g_strdup(l->data),
			              java_bool(json_object_get_member(co, l->data)) ? "true" : "false");
	}
}

static gboolean accurate_put_column(gpointer key, gpointer value, gpointer data)
{
	json_object_set_string_member(data, key, value);
	return FALSE;
}

/* Hive's writer: {"BASIC_STATS":"true","COLUMN_STATS":{...}}, each part only when non-default. */
static char *accurate_write(Accurate *acc)
{
	g_autoptr(JsonObject) o = json_object_new();
	if (acc->basic)
		json_object_set_string_member(o, "BASIC_STATS", "true");
	if (g_tree_nnodes(acc->columns) > 0) {
		JsonObject *cols = json_object_new();
		g_tree_foreach(acc->columns, accurate_put_column, cols);
		json_object_set_object_member(o, "COLUMN_STATS", cols);
	}
	g_autoptr(JsonNode) node = json_node_alloc();
	json_node_init_object(node, o);
	g_tree_unref(acc->columns);
	return json_to_string(node, FALSE);
}

/* See stats_aggr.h. */
char *stats_accurate_add_columns(const char *old, GPtrArray *columns)
{
	Accurate acc;
	accurate_parse(old, &acc);
	for (guint i = 0; columns && i < columns->len; i++)
		if (!g_tree_lookup_extended(acc.columns, g_ptr_array_index(columns, i), NULL, NULL))
			g_tree_insert(acc.columns, g_strdup(g_ptr_array_index(columns, i)), "true");
	return accurate_write(&acc);
}

/* See stats_aggr.h. */
char *stats_accurate_remove_columns(const char *old, GPtrArray *columns)
{
	if (old == NULL)
		return NULL;
	Accurate acc;
	accurate_parse(old, &acc);
	if (columns == NULL) {
		g_tree_unref(acc.columns);
		acc.columns = g_tree_new_full(accurate_key_cmp, NULL, g_free, NULL);
	}
	for (guint i = 0; columns && i < columns->len; i++)
		g_tree_remove(acc.columns, g_ptr_array_index(columns, i));
	return accurate_write(&acc);
}

/* See stats_aggr.h. */
void stats_data_merge_old(JsonObject *new_data, JsonObject *old_data)
{
	static const char *const optional[] = {"lowValue", "highValue", "bitVectors", "histogram"};
	for (guint i = 0; i < G_N_ELEMENTS(optional); i++)
		if (!json_object_has_member(new_data, optional[i]) && json_object_has_member(old_data, optional[i]))
			json_object_set_member(new_data, optional[i],
			                       json_node_copy(json_object_get_member(old_data, optional[i])));
}
