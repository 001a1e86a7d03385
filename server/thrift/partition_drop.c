/*
 * partition_drop.c — drop_partitions_req by names read from the request's bytes and answered
 * with the dropped partitions encoded straight from their rows (see partition_drop.h).
 *
 * Through the generated processor a drop of 10,000 read each deleted partition back as a JSON
 * tree, turned it into a c_glib Partition (~15 GObjects) and encoded that: most of the server's
 * time. Here the catalog deletes and hands the partitions over as rows (the listing's form:
 * catalog_drop_partition_rows), partition_encode.c writes each one's bytes around its shared
 * descriptor's, and the reply is held until the catalog has committed: a drop that rolls back
 * answers its exception and nothing else.
 *
 * Only the plain shape is taken: DropPartitionsRequest with dbName, tblName, parts by names,
 * deleteData, ifExists, ignoreProtection, environmentContext (read past), needResult and
 * catName. Anything else — expressions, later fields, malformed bytes — is WIRE_FALLBACK: the
 * generated processor runs the message as before.
 */
#include "thrift/partition_drop.h"

#include <string.h>

#include "thrift/partition_encode.h"
#include "thrift/wire.h"

typedef struct {
	gint32 seqid;
	const char *db, *table, *catalog;
	gboolean if_exists, need_result, have_names;
	GPtrArray *names; /* chunk strings */
	GStringChunk *chunk;
} DropReq;

static void drop_req_clear(DropReq *d)
{
	if (d->names)
		g_ptr_array_unref(d->names);
	if (d->chunk)
		g_string_chunk_free(d->chunk);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(DropReq, drop_req_clear)

/* RequestPartsSpec: only its names (field 1). */
static gboolean rd_parts_spec(WireReader *r, DropReq *d)
{
	for (guint8 t = wire_u8(r); !r->bad && t != T_STOP; t = wire_u8(r)) {
		gint16 id = wire_i16(r);
		if (id != 1 || t != T_LIST || d->have_names || wire_u8(r) != T_STRING)
			return FALSE;
		guint n = wire_size(r, 4);
		for (guint i = 0; i < n && !r->bad; i++)
			g_ptr_array_add(d->names, (gpointer)wire_str(r, d->chunk));
		d->have_names = TRUE;
	}
	return !r->bad && d->have_names;
}

static gboolean rd_request(WireReader *r, DropReq *d)
{
	gboolean have_parts = FALSE;
	for (guint8 t = wire_u8(r); !r->bad && t != T_STOP; t = wire_u8(r)) {
		gint16 id = wire_i16(r);
		gboolean ok;
		switch (id) {
		case 1: ok = t == T_STRING && (d->db = wire_str(r, d->chunk)) != NULL; break;
		case 2: ok = t == T_STRING && (d->table = wire_str(r, d->chunk)) != NULL; break;
		case 3: ok = t == T_STRUCT && !have_parts && rd_parts_spec(r, d); have_parts = TRUE; break;
		case 4: case 6: ok = t == T_BOOL; (void)wire_u8(r); break; /* deleteData, ignoreProtection */
		case 5: ok = t == T_BOOL; d->if_exists = wire_u8(r) != 0; break;
		case 7: ok = t == T_STRUCT; wire_skip(r, t, 1); break; /* environmentContext */
		case 8: ok = t == T_BOOL; d->need_result = wire_u8(r) != 0; break;
		case 9: ok = t == T_STRING && (d->catalog = wire_str(r, d->chunk)) != NULL; break;
		default: ok = FALSE;
		}
		if (!ok)
			return FALSE;
	}
	return !r->bad && have_parts && d->db != NULL && d->table != NULL;
}

/* The whole call; FALSE: not the plain shape (or malformed), left to the generated processor. */
static gboolean rd_call(const guint8 *msg, gsize len, DropReq *d)
{
	static const char method[] = "drop_partitions_req";
	WireReader r = {.p = msg, .end = msg + len, .start = msg};
	if ((guint32)wire_i32(&r) != 0x80010001u)
		return FALSE;
	gsize nl;
	const char *name = wire_bytes(&r, &nl);
	if (name == NULL || nl != strlen(method) || memcmp(name, method, nl) != 0)
		return FALSE;
	d->seqid = wire_i32(&r);
	d->if_exists = TRUE; /* the IDL's defaults */
	d->need_result = TRUE;
	d->names = g_ptr_array_new();
	d->chunk = g_string_chunk_new(16 * 1024);
	gboolean have = FALSE;
	for (guint8 t = wire_u8(&r); !r.bad && t != T_STOP; t = wire_u8(&r)) {
		gint16 id = wire_i16(&r);
		if (id != 1 || have || t != T_STRUCT || !rd_request(&r, d))
			return FALSE;
		have = TRUE;
	}
	return !r.bad && have && r.p == r.end;
}

/* The dropped partitions, encoded as they come; kept until the drop commits. */
typedef struct {
	ThriftPartEncoder *enc;
	GByteArray *parts;
	guint n;
	gboolean keep; /* needResult: encode them */
} DropSink;

static gboolean drop_sink_rows(gpointer user, const CatalogPartitionRows *rows, GError **error)
{
	DropSink *s = user;
	s->n += rows->rows->n;
	if (s->keep)
		thrift_part_encoder_write(s->enc, rows, s->parts);
	return TRUE;
}

static gboolean put_failure(GByteArray *reply, gint32 seqid, GError *err, GError **error)
{
	NoSuchObjectException *o1 = NULL;
	MetaException *o2 = NULL;
	ThriftErrOut slots = {.no_such = &o1, .meta = &o2};
	g_autoptr(GError) app = NULL;
	(void)thrift_error_raise(err, &slots, &app); /* takes err */
	g_autoptr(GObject) result = NULL;
	if (o1 || o2) {
		result = g_object_new(TYPE_THRIFT_HIVE_METASTORE_DROP_PARTITIONS_REQ_RESULT, NULL);
		if (o1)
			g_object_set(result, "o1", o1, NULL);
		if (o2)
			g_object_set(result, "o2", o2, NULL);
	}
	gboolean ok = wire_put_result(reply, "drop_partitions_req", seqid, result, app, error);
	g_clear_object(&o1);
	g_clear_object(&o2);
	return ok;
}

gboolean thrift_partition_drop_handles(const char *method)
{
	return strcmp(method, "drop_partitions_req") == 0;
}

WireResult thrift_partition_drop_run(ThriftCall *call, const char *method, const guint8 *msg, gsize len,
                                     GByteArray *reply, GError **error)
{
	g_auto(DropReq) d = {0};
	if (strcmp(method, "drop_partitions_req") != 0 || !rd_call(msg, len, &d))
		return WIRE_FALLBACK;
	g_auto(ThriftDbName) n = thrift_db_name_parse(d.db, d.catalog);
	thrift_audit_note_object(n.db, d.table);
	CatalogCtx ctx = thrift_ctx_now();
	DropSink s = {.enc = thrift_part_encoder_new(), .parts = g_byte_array_new(), .keep = d.need_result};
	CatalogPartitionSink sink = {.rows = drop_sink_rows, .user = &s};
	GError *err = NULL;
	gboolean ok = catalog_drop_partition_rows(call->cat, &ctx, n.catalog, n.db, d.table, d.names, d.if_exists, &sink,
	                                          &err);
	gboolean written;
	if (!ok) {
		written = put_failure(reply, d.seqid, err, error);
	} else {
		wire_put_message(reply, "drop_partitions_req", T_REPLY, d.seqid);
		wire_put_field(reply, T_STRUCT, 0);
		if (d.need_result) {
			wire_put_field(reply, T_LIST, 1);
			wire_put_u8(reply, T_STRUCT);
			wire_put_i32(reply, (gint32)s.n);
			g_byte_array_append(reply, s.parts->data, s.parts->len);
		}
		wire_put_u8(reply, T_STOP); /* DropPartitionsResult */
		wire_put_u8(reply, T_STOP); /* the result struct */
		written = TRUE;
	}
	thrift_part_encoder_free(s.enc);
	g_byte_array_unref(s.parts);
	return written ? WIRE_DONE : WIRE_FAILED;
}

/* For tests and fuzzing: the names a plain drop_partitions_req carries; see partition_drop.h. */
gint thrift_partition_drop_parse(const guint8 *msg, gsize len)
{
	g_auto(DropReq) d = {0};
	return rd_call(msg, len, &d) ? (gint)d.names->len : -1;
}
