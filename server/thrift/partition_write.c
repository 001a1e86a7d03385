/*
 * partition_write.c — add_partitions' row path (see partition_write.h).
 *
 * The document path spent ~160 µs per partition on an add of 10,000: a JSON tree per
 * partition, its text, the event's Thrift JSON through a c_glib Partition per partition, and
 * freeing all of it. Here a partition is a CatalogPartitionNew borrowing the struct's strings.
 * Partitions laid out alike (thrift_sd_same_layout, compared with the last SD_SCAN distinct
 * layouts) share one PartLayout: its document text (the store's key, translated once) and its
 * Thrift JSON in two pieces around the Location (field 2), taken from the descriptor read back
 * from that document, so the event's text is what the document path wrote. A partition is then
 * written field by field in the generated writer's order: values, dbName, tableName,
 * createTime, lastAccessTime, sd, parameters, catName (the fields the row path accepts).
 * Invariant: a row's sd indexes layouts + 1 exactly when its Partition has isset sd.
 */
#include "thrift/partition_write.h"

#include <string.h>

#include "common/json.h"
#include "thrift/json_protocol.h"

#define SD_SCAN 32 /* distinct layouts compared per partition before a new one is assumed */

/* One distinct descriptor layout of the batch. */
typedef struct {
	StorageDescriptor *first;       /* the first partition's with this layout (a reference) */
	char *doc;                      /* document text without Location: the store's key */
	char *head;                     /* Thrift JSON up to Location: "{" or "{<field 1>," */
	char *tail;                     /* Thrift JSON after it: fields 3.. and "}" */
	char *head_q, *tail_q;          /* the same escaped as inside a JSON string */
} PartLayout;

struct ThriftPartWrite {
	CatalogPartitionNew *rows;
	guint n;
	GPtrArray *layouts; /* PartLayout* */
	GPtrArray *docs;    /* their doc texts (borrowed), as the batch's sds */
	GString *scratch;   /* one string value while it is escaped twice */
	CatalogPartitionBatch batch;
};

/* ---- comparing descriptors ---- */

static gboolean str_same(const char *a, gboolean ia, const char *b, gboolean ib)
{
	return ia == ib && (!ia || g_strcmp0(a, b) == 0);
}

static gboolean map_same(GHashTable *a, GHashTable *b)
{
	guint na = a ? g_hash_table_size(a) : 0, nb = b ? g_hash_table_size(b) : 0;
	if (na != nb)
		return FALSE;
	if (na == 0)
		return TRUE;
	GHashTableIter it;
	gpointer k, v, w;
	g_hash_table_iter_init(&it, a);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_lookup_extended(b, k, NULL, &w) || g_strcmp0(v, w) != 0)
			return FALSE;
	return TRUE;
}

static gboolean strv_same(const GPtrArray *a, const GPtrArray *b)
{
	guint na = a ? a->len : 0, nb = b ? b->len : 0;
	if (na != nb)
		return FALSE;
	for (guint i = 0; i < na; i++)
		if (g_strcmp0(g_ptr_array_index(a, i), g_ptr_array_index(b, i)) != 0)
			return FALSE;
	return TRUE;
}

static gboolean cols_same(const GPtrArray *a, const GPtrArray *b)
{
	guint na = a ? a->len : 0, nb = b ? b->len : 0;
	if (na != nb)
		return FALSE;
	for (guint i = 0; i < na; i++) {
		const FieldSchema *x = g_ptr_array_index(a, i), *y = g_ptr_array_index(b, i);
		if (!str_same(x->name, x->__isset_name, y->name, y->__isset_name) ||
		    !str_same(x->type, x->__isset_type, y->type, y->__isset_type) ||
		    !str_same(x->comment, x->__isset_comment, y->comment, y->__isset_comment))
			return FALSE;
	}
	return TRUE;
}

static gboolean sorts_same(const GPtrArray *a, const GPtrArray *b)
{
	guint na = a ? a->len : 0, nb = b ? b->len : 0;
	if (na != nb)
		return FALSE;
	for (guint i = 0; i < na; i++) {
		const Order *x = g_ptr_array_index(a, i), *y = g_ptr_array_index(b, i);
		if (!str_same(x->col, x->__isset_col, y->col, y->__isset_col) || x->order != y->order ||
		    x->__isset_order != y->__isset_order)
			return FALSE;
	}
	return TRUE;
}

static gboolean serde_same(const SerDeInfo *a, const SerDeInfo *b)
{
	return str_same(a->name, a->__isset_name, b->name, b->__isset_name) &&
	       str_same(a->serializationLib, a->__isset_serializationLib, b->serializationLib,
	                b->__isset_serializationLib) &&
	       a->__isset_parameters == b->__isset_parameters && map_same(a->parameters, b->parameters) &&
	       str_same(a->description, a->__isset_description, b->description, b->__isset_description) &&
	       str_same(a->serializerClass, a->__isset_serializerClass, b->serializerClass, b->__isset_serializerClass) &&
	       str_same(a->deserializerClass, a->__isset_deserializerClass, b->deserializerClass,
	                b->__isset_deserializerClass) &&
	       a->__isset_serdeType == b->__isset_serdeType && a->serdeType == b->serdeType;
}

/* See partition_write.h. Skewed descriptors are never called the same (rare; the store still
 * keeps one row per content). */
gboolean thrift_sd_same_layout(const StorageDescriptor *a, const StorageDescriptor *b)
{
	if (a == b)
		return TRUE;
	return a->__isset_cols == b->__isset_cols && cols_same(a->cols, b->cols) &&
	       str_same(a->inputFormat, a->__isset_inputFormat, b->inputFormat, b->__isset_inputFormat) &&
	       str_same(a->outputFormat, a->__isset_outputFormat, b->outputFormat, b->__isset_outputFormat) &&
	       a->compressed == b->compressed && a->__isset_compressed == b->__isset_compressed &&
	       a->numBuckets == b->numBuckets && a->__isset_numBuckets == b->__isset_numBuckets &&
	       a->__isset_serdeInfo == b->__isset_serdeInfo && (!a->__isset_serdeInfo || serde_same(a->serdeInfo, b->serdeInfo)) &&
	       a->__isset_bucketCols == b->__isset_bucketCols && strv_same(a->bucketCols, b->bucketCols) &&
	       a->__isset_sortCols == b->__isset_sortCols && sorts_same(a->sortCols, b->sortCols) &&
	       a->__isset_parameters == b->__isset_parameters && map_same(a->parameters, b->parameters) &&
	       !a->__isset_skewedInfo && !b->__isset_skewedInfo &&
	       a->__isset_storedAsSubDirectories == b->__isset_storedAsSubDirectories &&
	       a->storedAsSubDirectories == b->storedAsSubDirectories;
}

/* ---- layouts ---- */

static void layout_free(gpointer p)
{
	PartLayout *l = p;
	g_object_unref(l->first);
	g_free(l->doc);
	g_free(l->head);
	g_free(l->tail);
	g_free(l->head_q);
	g_free(l->tail_q);
	g_free(l);
}

/* The layout of sd: its document once, and its Thrift JSON around Location (see the header). */
static PartLayout *layout_new(const StorageDescriptor *sd)
{
	PartLayout *l = g_new0(PartLayout, 1);
	l->first = g_object_ref((gpointer)sd);
	JsonObject *doc = translate_storage_descriptor_to_json(sd);
	json_object_remove_member(doc, "Location");
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), doc);
	l->doc = json_to_string(node, FALSE);
	/* what the document path encodes: the descriptor read back from this document */
	g_autoptr(GObject) back = g_object_new(TYPE_STORAGE_DESCRIPTOR, NULL);
	StorageDescriptor *b = (StorageDescriptor *)back;
	translate_storage_descriptor_from_json(doc, b);
	json_object_unref(doc);
	b->__isset_location = FALSE;
	g_autofree char *full = thrift_json_serialize(THRIFT_STRUCT(b), NULL);
	b->__isset_cols = FALSE;
	g_autofree char *rest = thrift_json_serialize(THRIFT_STRUCT(b), NULL);
	/* full = "{" cols "," inner "}", rest = "{" inner "}" (compressed, field 5, is always written) */
	gsize nf = full ? strlen(full) : 0, nr = rest ? strlen(rest) : 0;
	if (nr >= 2 && nf > nr && full[nf - nr] == ',' && memcmp(full + nf - nr + 1, rest + 1, nr - 1) == 0)
		l->head = g_strndup(full, nf - nr + 1);
	else
		l->head = g_strdup("{");
	l->tail = g_strdup(rest && nr >= 2 ? rest + 1 : "}");
	GString *q = g_string_new(NULL);
	json_append_escaped(q, l->head, strlen(l->head));
	l->head_q = g_string_free(g_steal_pointer(&q), FALSE);
	q = g_string_new(NULL);
	json_append_escaped(q, l->tail, strlen(l->tail));
	l->tail_q = g_string_free(q, FALSE);
	return l;
}

/* The 1-based layout index of sd, adding a layout when none of the last SD_SCAN matches. */
static guint layout_of(ThriftPartWrite *w, const StorageDescriptor *sd)
{
	guint n = w->layouts->len;
	for (guint i = n; i > 0 && i + SD_SCAN > n; i--)
		if (thrift_sd_same_layout(((PartLayout *)g_ptr_array_index(w->layouts, i - 1))->first, sd))
			return i;
	return thrift_part_write_add_layout(w, sd);
}

/* Adds sd as a new layout; its 1-based index. */
guint thrift_part_write_add_layout(ThriftPartWrite *w, const StorageDescriptor *sd)
{
	PartLayout *l = layout_new(sd);
	g_ptr_array_add(w->layouts, l);
	g_ptr_array_add(w->docs, l->doc);
	return w->layouts->len;
}

/* ---- the batch ---- */

gboolean thrift_part_write_applies(const GPtrArray *parts)
{
	for (guint i = 0; parts && i < parts->len; i++) {
		const Partition *p = g_ptr_array_index(parts, i);
		if (p->__isset_privileges || p->__isset_writeId || p->__isset_isStatsCompliant || p->__isset_colStats ||
		    p->__isset_fileMetadata)
			return FALSE;
	}
	return parts != NULL && parts->len > 0;
}

static void tjson_encode(gpointer user, const CatalogPartitionNew *row, const char *catalog, const char *db,
                         const char *table, GString *out);

/* A writer of n empty rows. */
ThriftPartWrite *thrift_part_write_new_rows(guint n)
{
	ThriftPartWrite *w = g_new0(ThriftPartWrite, 1);
	w->rows = g_new0(CatalogPartitionNew, MAX(n, 1));
	w->n = n;
	w->layouts = g_ptr_array_new_with_free_func(layout_free);
	w->docs = g_ptr_array_new();
	w->scratch = g_string_new(NULL);
	return w;
}

CatalogPartitionNew *thrift_part_write_rows(ThriftPartWrite *w)
{
	return w->rows;
}

/* The batch over the rows and layouts as they are now. */
CatalogPartitionBatch *thrift_part_write_finish(ThriftPartWrite *w)
{
	gsize hint = 256;
	for (guint i = 0; i < w->layouts->len; i++) {
		const PartLayout *l = g_ptr_array_index(w->layouts, i);
		hint = MAX(hint, strlen(l->head_q) + strlen(l->tail_q) + 512);
	}
	w->batch = (CatalogPartitionBatch){.rows = w->rows, .n = w->n, .sds = (const char *const *)w->docs->pdata,
	                                   .n_sds = w->docs->len, .encode = tjson_encode, .user = w,
	                                   .encoded_hint = hint};
	return &w->batch;
}

ThriftPartWrite *thrift_part_write_new(const GPtrArray *parts)
{
	ThriftPartWrite *w = thrift_part_write_new_rows(parts->len);
	for (guint i = 0; i < parts->len; i++) {
		Partition *p = g_ptr_array_index(parts, i);
		CatalogPartitionNew *r = &w->rows[i];
		r->src = p;
		r->db = p->__isset_dbName ? p->dbName : NULL;
		r->table = p->__isset_tableName ? p->tableName : NULL;
		if (p->__isset_values) {
			r->values = (const char *const *)p->values->pdata;
			r->n_values = p->values->len;
		}
		r->last_access_time = p->lastAccessTime;
		r->params = p->parameters;
		r->has_sd = p->__isset_sd;
		if (r->has_sd) {
			r->location = p->sd->__isset_location ? p->sd->location : NULL;
			r->sd = layout_of(w, p->sd);
		}
	}
	thrift_part_write_finish(w);
	return w;
}

CatalogPartitionBatch *thrift_part_write_batch(ThriftPartWrite *w)
{
	return &w->batch;
}

static void set_str(gchar **field, gboolean *isset, const char *v)
{
	if (*field != v) {
		g_free(*field);
		*field = g_strdup(v);
	}
	*isset = TRUE;
}

void thrift_part_write_apply(ThriftPartWrite *w, GPtrArray *out)
{
	for (guint i = 0; i < w->batch.n; i++) {
		const CatalogPartitionNew *r = &w->rows[i];
		if (!r->added)
			continue;
		Partition *p = r->src;
		set_str(&p->dbName, &p->__isset_dbName, w->batch.db);
		set_str(&p->tableName, &p->__isset_tableName, w->batch.table);
		set_str(&p->catName, &p->__isset_catName, w->batch.catalog);
		p->createTime = (gint32)r->create_time;
		p->__isset_createTime = TRUE;
		p->__isset_parameters = TRUE;
		if (r->default_location)
			set_str(&p->sd->location, &p->sd->__isset_location, r->default_location);
		g_ptr_array_add(out, g_object_ref(p));
	}
}

void thrift_part_write_free(ThriftPartWrite *w)
{
	if (w == NULL)
		return;
	catalog_partition_batch_clear(&w->batch);
	g_ptr_array_unref(w->docs);
	g_ptr_array_unref(w->layouts);
	g_string_free(w->scratch, TRUE);
	g_free(w->rows);
	g_free(w);
}

/* ---- Thrift JSON ---- */

/* Appends Thrift JSON structure text (quotes, digits, punctuation), escaped when quoted. */
static void tj_raw(GString *out, const char *text, gboolean quoted)
{
	if (!quoted) {
		g_string_append(out, text);
		return;
	}
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
}

/* Appends a Thrift JSON string value; when quoted, escaped once more (it sits inside a string). */
static void tj_str(GString *out, const char *s, gboolean quoted, GString *scratch)
{
	if (s == NULL)
		s = "";
	if (!quoted) {
		json_append_quoted(out, s, strlen(s));
		return;
	}
	g_string_truncate(scratch, 0);
	json_append_quoted(scratch, s, strlen(s));
	json_append_escaped(out, scratch->str, scratch->len);
}

/*
 * Partition row in Thrift JSON, in the generated writer's field order; quoted: as the content
 * of a JSON string (what ADD_PARTITION's partitionListJson holds), without the quotes.
 */
static void tj_partition(ThriftPartWrite *w, const CatalogPartitionNew *row, const char *catalog, const char *db,
                         const char *table, gboolean quoted, GString *out)
{
	GString *scratch = w->scratch;
	char num[64];
	tj_raw(out, "{", quoted);
	if (row->values) {
		g_snprintf(num, sizeof num, "\"1\":{\"lst\":[\"str\",%u", row->n_values);
		tj_raw(out, num, quoted);
		for (guint i = 0; i < row->n_values; i++) {
			g_string_append_c(out, ',');
			tj_str(out, row->values[i], quoted, scratch);
		}
		tj_raw(out, "]},", quoted);
	}
	tj_raw(out, "\"2\":{\"str\":", quoted);
	tj_str(out, db, quoted, scratch);
	tj_raw(out, "},\"3\":{\"str\":", quoted);
	tj_str(out, table, quoted, scratch);
	g_snprintf(num, sizeof num, "},\"4\":{\"i32\":%d},\"5\":{\"i32\":%d}", (gint32)row->create_time,
	           (gint32)row->last_access_time);
	tj_raw(out, num, quoted);
	if (row->has_sd && row->sd >= 1 && row->sd <= w->layouts->len) {
		const PartLayout *l = g_ptr_array_index(w->layouts, row->sd - 1);
		const char *loc = row->default_location ? row->default_location : row->location;
		tj_raw(out, ",\"6\":{\"rec\":", quoted);
		g_string_append(out, quoted ? l->head_q : l->head);
		if (loc) {
			tj_raw(out, "\"2\":{\"str\":", quoted);
			tj_str(out, loc, quoted, scratch);
			tj_raw(out, "},", quoted);
		}
		g_string_append(out, quoted ? l->tail_q : l->tail);
		g_string_append_c(out, '}');
	}
	g_snprintf(num, sizeof num, ",\"7\":{\"map\":[\"str\",\"str\",%u,{", g_hash_table_size(row->params));
	tj_raw(out, num, quoted);
	GHashTableIter it;
	gpointer k, v;
	gboolean first = TRUE;
	g_hash_table_iter_init(&it, row->params);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (!first)
			g_string_append_c(out, ',');
		first = FALSE;
		tj_str(out, k, quoted, scratch);
		g_string_append_c(out, ':');
		tj_str(out, v, quoted, scratch);
	}
	g_string_append(out, "}]}");
	if (catalog) {
		tj_raw(out, ",\"9\":{\"str\":", quoted);
		tj_str(out, catalog, quoted, scratch);
		g_string_append_c(out, '}');
	}
	g_string_append_c(out, '}');
}

void thrift_part_write_tjson(ThriftPartWrite *w, const CatalogPartitionNew *row, const char *catalog,
                             const char *db, const char *table, GString *out)
{
	tj_partition(w, row, catalog, db, table, FALSE, out);
}

/* The batch's encoder: the partition as a quoted JSON string. */
static void tjson_encode(gpointer user, const CatalogPartitionNew *row, const char *catalog, const char *db,
                         const char *table, GString *out)
{
	g_string_append_c(out, '"');
	tj_partition(user, row, catalog, db, table, TRUE, out);
	g_string_append_c(out, '"');
}
