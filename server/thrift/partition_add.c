/*
 * partition_add.c — add_partitions and add_partitions_req read straight from the request's
 * bytes (see partition_add.h): the rest of issue 4's add of 10,000 partitions.
 *
 * Through the generated processor the request alone became ~15 GObjects, three hash tables
 * and a dozen strings per partition, decoded and later finalized: two thirds of the server's
 * time on an add after the row path (partition_write.c) had removed the JSON trees. Here one
 * pass over the binary protocol fills the catalog's rows with strings copied into one chunk;
 * each partition's storage descriptor stays a byte range of the request, and partitions whose
 * descriptors are equal bytes once Location is cut out share one layout, which alone is
 * decoded by the generated reader (partitions written by one client are laid out alike). The
 * reply's Partitions are written from the same bytes: the descriptor's bytes without its
 * Location, then the stored location.
 *
 * Only the plain shape is taken: a strict call whose partitions carry nothing but values,
 * dbName, tableName, createTime, lastAccessTime, sd, parameters and catName, and a request
 * with nothing past catName (field 7, validWriteIdList, is read and ignored as the handler
 * does). Anything else, including malformed bytes, is WIRE_FALLBACK: the generated processor
 * then runs the same message and answers it (its own protocol errors included). Every read is
 * bounded by the message's end; nesting by ADD_DEPTH.
 */
#include "thrift/partition_add.h"

#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "common/error.h"
#include "thrift/buffer.h"
#include "thrift/wire.h"
#include "thrift/partition_write.h"
#include "thrift/translate.h"

#define SD_SCAN 32
#define OK(x) ((x) >= 0)

/* ---- the request ---- */

/* One partition of the request. */
typedef struct {
	guint values, n_values;       /* into AddReq.values */
	const char *db, *table, *catalog;
	gint32 last_access_time;
	gboolean has_values, has_sd;
	gsize sd_off, sd_len;         /* the descriptor's fields and stop, in the message */
	gsize loc_off, loc_len;       /* its location field (header included) within them; 0 len: none */
	const char *location;
	GHashTable *params;
} RawPart;

typedef struct {
	gint32 seqid;
	gboolean req;                 /* add_partitions_req */
	const char *db, *table, *catalog;
	gboolean if_not_exists, need_result;
	GArray *parts;                /* RawPart */
	GPtrArray *values;            /* every partition's values (chunk strings) */
	GStringChunk *chunk;
} AddReq;

static void add_req_clear(AddReq *a)
{
	for (guint i = 0; a->parts && i < a->parts->len; i++) {
		RawPart *p = &g_array_index(a->parts, RawPart, i);
		if (p->params)
			g_hash_table_unref(p->params);
	}
	if (a->parts)
		g_array_unref(a->parts);
	if (a->values)
		g_ptr_array_unref(a->values);
	if (a->chunk)
		g_string_chunk_free(a->chunk);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(AddReq, add_req_clear)

/* A list<string> into a->values; FALSE when the list is not of strings. */
static gboolean rd_strings(WireReader *r, AddReq *a, guint *first, guint *n)
{
	if (wire_u8(r) != T_STRING)
		return FALSE;
	*n = wire_size(r, 4);
	*first = a->values->len;
	for (guint i = 0; i < *n && !r->bad; i++)
		g_ptr_array_add(a->values, (gpointer)wire_str(r, a->chunk));
	return !r->bad;
}

/* A map<string,string> as a new hash table (g_free'd keys and values); NULL when it is another map. */
static GHashTable *rd_params(WireReader *r)
{
	if (wire_u8(r) != T_STRING || wire_u8(r) != T_STRING)
		return NULL;
	guint n = wire_size(r, 8);
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; i < n && !r->bad; i++) {
		gsize kl, vl;
		const char *k = wire_bytes(r, &kl);
		const char *v = wire_bytes(r, &vl);
		if (!r->bad)
			g_hash_table_replace(h, g_strndup(k, kl), g_strndup(v, vl));
	}
	if (r->bad) {
		g_hash_table_unref(h);
		return NULL;
	}
	return h;
}

/* A StorageDescriptor's fields: their range, and where its location field lies. */
static gboolean rd_sd(WireReader *r, AddReq *a, RawPart *p)
{
	p->sd_off = (gsize)(r->p - r->start);
	for (guint8 t = wire_u8(r); !r->bad && t != T_STOP; t = wire_u8(r)) {
		const guint8 *field = r->p - 1;
		gint16 id = wire_i16(r);
		if (id == 2 && t == T_STRING) {
			if (p->loc_len != 0)
				return FALSE; /* a second location: the generated reader's shape, not ours */
			p->location = wire_str(r, a->chunk);
			p->loc_off = (gsize)(field - r->start);
			p->loc_len = (gsize)(r->p - field);
		} else {
			wire_skip(r, t, 1);
		}
	}
	p->sd_len = (gsize)(r->p - r->start) - p->sd_off;
	return !r->bad;
}

/* One Partition; FALSE when it is malformed or carries a field the row path does not take. */
static gboolean rd_partition(WireReader *r, AddReq *a, RawPart *p)
{
	for (guint8 t = wire_u8(r); !r->bad && t != T_STOP; t = wire_u8(r)) {
		gint16 id = wire_i16(r);
		gboolean ok;
		switch (id) {
		case 1: ok = t == T_LIST && rd_strings(r, a, &p->values, &p->n_values); p->has_values = ok; break;
		case 2: ok = t == T_STRING && (p->db = wire_str(r, a->chunk)) != NULL; break;
		case 3: ok = t == T_STRING && (p->table = wire_str(r, a->chunk)) != NULL; break;
		case 4: ok = t == T_I32; (void)wire_i32(r); break; /* createTime: the server sets it */
		case 5: ok = t == T_I32; p->last_access_time = wire_i32(r); break;
		case 6: ok = t == T_STRUCT && rd_sd(r, a, p); p->has_sd = ok; break;
		case 7:
			if (p->params)
				g_hash_table_unref(p->params);
			ok = t == T_MAP && (p->params = rd_params(r)) != NULL;
			break;
		case 9: ok = t == T_STRING && (p->catalog = wire_str(r, a->chunk)) != NULL; break;
		default: ok = FALSE;
		}
		if (!ok)
			return FALSE;
	}
	if (p->params == NULL)
		p->params = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return !r->bad;
}

static gboolean rd_parts(WireReader *r, AddReq *a)
{
	if (wire_u8(r) != T_STRUCT)
		return FALSE;
	guint n = wire_size(r, 1);
	for (guint i = 0; i < n && !r->bad; i++) {
		g_array_set_size(a->parts, a->parts->len + 1);
		if (!rd_partition(r, a, &g_array_index(a->parts, RawPart, a->parts->len - 1)))
			return FALSE;
	}
	return !r->bad;
}

/* AddPartitionsRequest; fields past catName but validWriteIdList decline. */
static gboolean rd_request(WireReader *r, AddReq *a)
{
	gboolean have_parts = FALSE;
	for (guint8 t = wire_u8(r); !r->bad && t != T_STOP; t = wire_u8(r)) {
		gint16 id = wire_i16(r);
		gboolean ok;
		switch (id) {
		case 1: ok = t == T_STRING && (a->db = wire_str(r, a->chunk)) != NULL; break;
		case 2: ok = t == T_STRING && (a->table = wire_str(r, a->chunk)) != NULL; break;
		case 3: ok = t == T_LIST && !have_parts && rd_parts(r, a); have_parts = TRUE; break;
		case 4: ok = t == T_BOOL; a->if_not_exists = wire_u8(r) != 0; break;
		case 5: ok = t == T_BOOL; a->need_result = wire_u8(r) != 0; break;
		case 6: ok = t == T_STRING && (a->catalog = wire_str(r, a->chunk)) != NULL; break;
		case 7: ok = t == T_STRING; wire_skip(r, t, 1); break;
		default: ok = FALSE;
		}
		if (!ok)
			return FALSE;
	}
	return !r->bad && have_parts && a->db != NULL && a->table != NULL;
}

/* The whole call; FALSE: not the plain shape (or malformed), left to the generated processor. */
static gboolean rd_call(const guint8 *msg, gsize len, const char *method, AddReq *a)
{
	WireReader r = {.p = msg, .end = msg + len, .start = msg};
	if ((guint32)wire_i32(&r) != 0x80010001u)
		return FALSE;
	gsize nl;
	const char *name = wire_bytes(&r, &nl);
	if (name == NULL || nl != strlen(method) || memcmp(name, method, nl) != 0)
		return FALSE;
	a->seqid = wire_i32(&r);
	a->req = strcmp(method, "add_partitions_req") == 0;
	a->need_result = TRUE;
	a->parts = g_array_new(FALSE, TRUE, sizeof(RawPart));
	a->values = g_ptr_array_new();
	a->chunk = g_string_chunk_new(64 * 1024);
	gboolean have = FALSE;
	for (guint8 t = wire_u8(&r); !r.bad && t != T_STOP; t = wire_u8(&r)) {
		gint16 id = wire_i16(&r);
		if (id != 1 || have)
			return FALSE;
		have = TRUE;
		if (a->req ? (t != T_STRUCT || !rd_request(&r, a)) : (t != T_LIST || !rd_parts(&r, a)))
			return FALSE;
	}
	return !r.bad && have && r.p == r.end && a->parts->len > 0;
}

/* ---- the rows ---- */

/* The descriptor's bytes without its location field: two runs. */
static void sd_runs(const guint8 *msg, const RawPart *p, const guint8 **a, gsize *na, const guint8 **b, gsize *nb)
{
	*a = msg + p->sd_off;
	if (p->loc_len == 0) {
		*na = p->sd_len;
		*b = NULL;
		*nb = 0;
		return;
	}
	*na = p->loc_off - p->sd_off;
	*b = msg + p->loc_off + p->loc_len;
	*nb = p->sd_off + p->sd_len - (p->loc_off + p->loc_len);
}

/*
 * TRUE when x's and y's descriptors are the same bytes around a location field at the same place
 * (what one client writes for every partition). Conservative: equal layouts written in another
 * field order count as two, and the store still keeps one row per content.
 */
static gboolean sd_same(const guint8 *msg, const RawPart *x, const RawPart *y)
{
	const guint8 *xa, *xb, *ya, *yb;
	gsize xna, xnb, yna, ynb;
	sd_runs(msg, x, &xa, &xna, &xb, &xnb);
	sd_runs(msg, y, &ya, &yna, &yb, &ynb);
	return xna == yna && xnb == ynb && memcmp(xa, ya, xna) == 0 && (xnb == 0 || memcmp(xb, yb, xnb) == 0);
}

/* Decodes the descriptor of p with the generated reader; NULL when it does not read. */
static StorageDescriptor *sd_decode(const guint8 *msg, const RawPart *p)
{
	ThriftTransport *t = thrift_buffer_new(msg + p->sd_off, p->sd_len, NULL);
	ThriftProtocol *in = thrift_safe_protocol_new(t);
	StorageDescriptor *sd = g_object_new(TYPE_STORAGE_DESCRIPTOR, NULL);
	/* the bytes are the struct's fields and stop: the reader takes them as a struct */
	gboolean ok = OK(thrift_struct_read(THRIFT_STRUCT(sd), in, NULL));
	g_object_unref(in);
	g_object_unref(t);
	if (!ok)
		g_clear_object(&sd);
	return sd;
}

/* The rows of the request; NULL when a descriptor does not decode (the processor then answers). */
static ThriftPartWrite *add_rows(const guint8 *msg, AddReq *a)
{
	guint n = a->parts->len;
	g_autoptr(ThriftPartWrite) w = thrift_part_write_new_rows(n);
	CatalogPartitionNew *rows = thrift_part_write_rows(w);
	g_autoptr(GArray) firsts = g_array_new(FALSE, FALSE, sizeof(guint)); /* layout k → its first part */
	for (guint i = 0; i < n; i++) {
		RawPart *p = &g_array_index(a->parts, RawPart, i);
		CatalogPartitionNew *row = &rows[i];
		row->src = p;
		row->db = p->db;
		row->table = p->table;
		static const char *const no_values[1] = {NULL};
		if (p->has_values) { /* an empty list has no storage to point into (pdata may be NULL) */
			row->values = p->n_values > 0 ? (const char *const *)a->values->pdata + p->values : no_values;
			row->n_values = p->n_values;
		}
		row->last_access_time = p->last_access_time;
		row->params = p->params;
		row->has_sd = p->has_sd;
		if (!p->has_sd)
			continue;
		row->location = p->location;
		guint k = 0;
		for (guint j = firsts->len; j > 0 && j + SD_SCAN > firsts->len && k == 0; j--)
			if (sd_same(msg, &g_array_index(a->parts, RawPart, g_array_index(firsts, guint, j - 1)), p))
				k = j;
		if (k == 0) {
			g_autoptr(GObject) sd = (GObject *)sd_decode(msg, p);
			if (sd == NULL)
				return NULL;
			k = thrift_part_write_add_layout(w, (StorageDescriptor *)sd);
			g_array_append_val(firsts, i);
		}
		row->sd = k;
	}
	(void)thrift_part_write_finish(w);
	return g_steal_pointer(&w);
}

/* ---- the reply ---- */

/* An added partition as the generated writer would write what was stored. */
static void put_partition(GByteArray *o, const guint8 *msg, const CatalogPartitionNew *row,
                          const CatalogPartitionBatch *b)
{
	const RawPart *p = row->src;
	if (row->values) {
		wire_put_field(o, T_LIST, 1);
		wire_put_u8(o, T_STRING);
		wire_put_i32(o, (gint32)row->n_values);
		for (guint i = 0; i < row->n_values; i++)
			wire_put_str(o, row->values[i] ? row->values[i] : "");
	}
	wire_put_field(o, T_STRING, 2);
	wire_put_str(o, b->db);
	wire_put_field(o, T_STRING, 3);
	wire_put_str(o, b->table);
	wire_put_field(o, T_I32, 4);
	wire_put_i32(o, (gint32)row->create_time);
	wire_put_field(o, T_I32, 5);
	wire_put_i32(o, (gint32)row->last_access_time);
	if (row->has_sd) {
		const guint8 *ra, *rb;
		gsize na, nb;
		sd_runs(msg, p, &ra, &na, &rb, &nb);
		/* the descriptor's own fields, its stop held back for the location */
		wire_put_field(o, T_STRUCT, 6);
		if (nb > 0) {
			g_byte_array_append(o, ra, (guint)na);
			g_byte_array_append(o, rb, (guint)(nb - 1));
		} else {
			g_byte_array_append(o, ra, (guint)(na - 1));
		}
		const char *loc = row->default_location ? row->default_location : row->location;
		if (loc) {
			wire_put_field(o, T_STRING, 2);
			wire_put_str(o, loc);
		}
		wire_put_u8(o, T_STOP);
	}
	wire_put_field(o, T_MAP, 7);
	wire_put_u8(o, T_STRING);
	wire_put_u8(o, T_STRING);
	wire_put_i32(o, (gint32)g_hash_table_size(row->params));
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, row->params);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		wire_put_str(o, k);
		wire_put_str(o, v ? v : "");
	}
	wire_put_field(o, T_STRING, 9);
	wire_put_str(o, b->catalog);
	wire_put_u8(o, T_STOP);
}

/* The success reply: add_partitions {0: i32}, add_partitions_req {0: AddPartitionsResult}. */
static void put_success(GByteArray *o, const char *method, const AddReq *a, const guint8 *msg,
                        const CatalogPartitionBatch *b, GPtrArray *reread)
{
	guint added = 0;
	for (guint i = 0; i < b->n; i++)
		added += b->rows[i].added ? 1 : 0;
	wire_put_message(o, method, T_REPLY, a->seqid);
	if (!a->req) {
		wire_put_field(o, T_I32, 0);
		wire_put_i32(o, (gint32)added);
		wire_put_u8(o, T_STOP);
		return;
	}
	wire_put_field(o, T_STRUCT, 0);
	if (a->need_result) {
		wire_put_field(o, T_LIST, 1);
		wire_put_u8(o, T_STRUCT);
		if (reread) { /* the caller sees only some columns: the partitions as it may read them */
			wire_put_i32(o, (gint32)reread->len);
			ThriftTransport *t = thrift_buffer_new(NULL, 0, o);
			ThriftProtocol *out = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
			for (guint i = 0; i < reread->len; i++) {
				g_autoptr(GObject) part = (GObject *)translate_partition_new_from_json(g_ptr_array_index(reread, i));
				(void)thrift_struct_write(THRIFT_STRUCT(part), out, NULL);
			}
			g_object_unref(out);
			g_object_unref(t);
		} else {
			wire_put_i32(o, (gint32)added);
			for (guint i = 0; i < b->n; i++)
				if (b->rows[i].added)
					put_partition(o, msg, &b->rows[i], b);
		}
	}
	wire_put_u8(o, T_STOP); /* AddPartitionsResult */
	wire_put_u8(o, T_STOP); /* the result struct */
}

/* A failure as the generated processor answers it: a declared exception, else a TApplicationException. */
static gboolean put_failure(GByteArray *reply, const char *method, gint32 seqid, gboolean req, GError *err,
                            GError **error)
{
	InvalidObjectException *o1 = NULL;
	AlreadyExistsException *o2 = NULL;
	MetaException *o3 = NULL;
	ThriftErrOut slots = {.invalid_object = &o1, .exists = &o2, .meta = &o3};
	g_autoptr(GError) app = NULL;
	(void)thrift_error_raise(err, &slots, &app); /* takes err */
	g_autoptr(GObject) result = NULL;
	if (o1 || o2 || o3) {
		result = g_object_new(req ? TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_REQ_RESULT
		                          : TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_RESULT, NULL);
		if (o1)
			g_object_set(result, "o1", o1, NULL);
		if (o2)
			g_object_set(result, "o2", o2, NULL);
		if (o3)
			g_object_set(result, "o3", o3, NULL);
	}
	gboolean ok = wire_put_result(reply, method, seqid, result, app, error);
	g_clear_object(&o1);
	g_clear_object(&o2);
	g_clear_object(&o3);
	return ok;
}

/* ---- the call ---- */

gboolean thrift_partition_add_handles(const char *method)
{
	return strcmp(method, "add_partitions") == 0 || strcmp(method, "add_partitions_req") == 0;
}

WireResult thrift_partition_add_run(ThriftCall *call, const char *method, const guint8 *msg, gsize len,
                                    GByteArray *reply, GError **error)
{
	g_auto(AddReq) a = {0};
	if (!rd_call(msg, len, method, &a))
		return WIRE_FALLBACK;
	g_autoptr(ThriftPartWrite) w = add_rows(msg, &a);
	if (w == NULL)
		return WIRE_FALLBACK;
	CatalogPartitionBatch *b = thrift_part_write_batch(w);
	const RawPart *first = &g_array_index(a.parts, RawPart, 0);
	const char *db = a.req ? a.db : first->db, *tbl = a.req ? a.table : first->table;
	const char *catalog = a.req ? a.catalog : first->catalog;
	if (db == NULL || tbl == NULL)
		return WIRE_FALLBACK; /* the handler's own message for a partition without names */
	g_auto(ThriftDbName) n = thrift_db_name_parse(db, catalog);
	thrift_audit_note_object(n.db, tbl);
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	gboolean ok = catalog_add_partition_rows(call->cat, &ctx, n.catalog, n.db, tbl, b, a.if_not_exists, &err);
	g_autoptr(GPtrArray) reread = NULL;
	if (ok && a.req && a.need_result && b->columns_restricted) {
		g_autoptr(GPtrArray) names = g_ptr_array_new();
		for (guint i = 0; i < b->n; i++)
			if (b->rows[i].added)
				g_ptr_array_add(names, b->rows[i].name);
		reread = catalog_get_partitions_by_names(call->cat, &ctx, n.catalog, n.db, tbl, names, &err);
		ok = reread != NULL;
	}
	if (!ok)
		return put_failure(reply, method, a.seqid, a.req, err, error) ? WIRE_DONE : WIRE_FAILED;
	put_success(reply, method, &a, msg, b, reread);
	return WIRE_DONE;
}

/* Decodes and answers without a catalog; see partition_add.h. */
guint thrift_partition_add_exercise(const guint8 *msg, gsize len, const char *method, GByteArray *out)
{
	g_auto(AddReq) a = {0};
	if (!rd_call(msg, len, method, &a))
		return 0;
	g_autoptr(ThriftPartWrite) w = add_rows(msg, &a);
	if (w == NULL)
		return 0;
	CatalogPartitionBatch *b = thrift_part_write_batch(w);
	b->catalog = g_strdup("hive");
	b->db = g_strdup(a.db ? a.db : "db");
	b->table = g_strdup(a.table ? a.table : "tbl");
	for (guint i = 0; i < b->n; i++) {
		CatalogPartitionNew *row = &b->rows[i];
		row->name = g_strdup_printf("p%u", i);
		row->create_time = 1700000000 + i;
		if (row->has_sd && (row->location == NULL || *row->location == '\0'))
			row->default_location = g_strdup_printf("file:/wh/t/p%u", i);
		row->added = TRUE;
	}
	put_success(out, method, &a, msg, b, NULL);
	g_autoptr(GString) text = g_string_new(NULL);
	for (guint i = 0; i < b->n; i++) {
		g_string_truncate(text, 0);
		b->encode(b->user, &b->rows[i], b->catalog, b->db, b->table, text);
		g_string_append_c(text, '\n');
		g_byte_array_append(out, (const guint8 *)text->str, (guint)text->len);
	}
	return b->n;
}
