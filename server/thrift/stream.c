/*
 * stream.c — the partition listings answered as a stream (issue 4: 100k partitions).
 *
 * The generated processor writes a reply only after the handler has returned all of it, so
 * a listing of 100,000 partitions would sit whole in memory twice (documents, then Thrift
 * structs). For the listing methods below the door comes here first: the arguments are
 * read with the generated *_args struct, the catalog streams the rows in batches from one
 * PostgreSQL snapshot (count first), and each batch is encoded into the reply and sent at
 * once with net_request_flush() (unframed connections; framed ones must know the length
 * up front, so there the bytes accumulate). Memory stays at one batch plus what the socket
 * has not taken. Partitions arrive as rows and are encoded by partition_encode.c, each shared
 * storage descriptor once per listing; names are written as they come.
 *
 * Errors: a failure before the first reply byte (missing table, bad filter) answers
 * STREAM_FALLBACK: the door rewinds and runs the method through the generated processor,
 * which gives the client the method's own declared exception. A failure after the header
 * was written can only close the connection (STREAM_ERROR): the reply is half sent.
 */
#include "thrift/stream.h"

#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "common/error.h"
#include "thrift/buffer.h"
#include "thrift/partition_encode.h"

/* One streamed method: its args type and whether it lists names (list<string>). */
typedef struct {
	const char *name;
	GType (*args_type)(void);
	gboolean names_only;
} StreamMethod;

static const StreamMethod stream_methods[] = {
	{"get_partitions", thrift_hive_metastore_get_partitions_args_get_type, FALSE},
	{"get_partitions_with_auth", thrift_hive_metastore_get_partitions_with_auth_args_get_type, FALSE},
	{"get_partitions_ps", thrift_hive_metastore_get_partitions_ps_args_get_type, FALSE},
	{"get_partitions_ps_with_auth", thrift_hive_metastore_get_partitions_ps_with_auth_args_get_type, FALSE},
	{"get_partitions_by_filter", thrift_hive_metastore_get_partitions_by_filter_args_get_type, FALSE},
	{"get_partition_names", thrift_hive_metastore_get_partition_names_args_get_type, TRUE},
	{"get_partition_names_ps", thrift_hive_metastore_get_partition_names_ps_args_get_type, TRUE},
};

static const StreamMethod *stream_method_find(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(stream_methods); i++)
		if (strcmp(stream_methods[i].name, name) == 0)
			return &stream_methods[i];
	return NULL;
}

/* TRUE when the door should try thrift_stream_run() for this method. */
gboolean thrift_stream_handles(const char *method)
{
	return stream_method_find(method) != NULL;
}

/* What the sink needs while the catalog streams. */
typedef struct {
	const StreamMethod *m;
	const char *method;
	gint32 seqid;
	ThriftProtocol *out;
	GByteArray *reply;
	const NetRequestInfo *info;
	gboolean begun;
	gint64 promised; /* the count written in the list header */
	gint64 written;
	ThriftPartEncoder *enc; /* partitions: rows straight to bytes */
} StreamState;

#define WRITE_OK(expr) ((expr) >= 0)

/* Writes the reply header and the list header of `count` elements. */
static gboolean stream_begin(gpointer user, gint64 count, GError **error)
{
	StreamState *st = user;
	st->begun = TRUE;
	st->promised = count;
	return WRITE_OK(thrift_protocol_write_message_begin(st->out, st->method, T_REPLY, st->seqid, error)) &&
	       WRITE_OK(thrift_protocol_write_struct_begin(st->out, "result", error)) &&
	       WRITE_OK(thrift_protocol_write_field_begin(st->out, "success", T_LIST, 0, error)) &&
	       WRITE_OK(thrift_protocol_write_list_begin(st->out, st->m->names_only ? T_STRING : T_STRUCT, (gint32)count,
	                                                 error));
}

/* FALSE with error when n more elements would exceed the count the list header promised. */
static gboolean stream_room(StreamState *st, guint n, GError **error)
{
	if (st->written + n <= st->promised)
		return TRUE;
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INTERNAL, "partition listing returned more rows than counted");
	return FALSE;
}

/* Encodes one batch of names and sends it. */
static gboolean stream_batch(gpointer user, GPtrArray *batch, GError **error)
{
	StreamState *st = user;
	if (!stream_room(st, batch->len, error))
		return FALSE;
	for (guint i = 0; i < batch->len; i++)
		if (!WRITE_OK(thrift_protocol_write_string(st->out, g_ptr_array_index(batch, i), error)))
			return FALSE;
	st->written += batch->len;
	return net_request_flush(st->info, st->reply, error);
}

/* Encodes one batch of partition rows (partition_encode.c) and sends it. */
static gboolean stream_rows(gpointer user, const CatalogPartitionRows *rows, GError **error)
{
	StreamState *st = user;
	if (!stream_room(st, rows->rows->n, error))
		return FALSE;
	thrift_part_encoder_write(st->enc, rows, st->reply);
	st->written += rows->rows->n;
	return net_request_flush(st->info, st->reply, error);
}

/* Reads the call's arguments into a new args struct; NULL on a protocol error. */
static GObject *stream_read_args(const StreamMethod *m, ThriftProtocol *in, GError **error)
{
	gchar *name = NULL;
	ThriftMessageType type;
	gint32 seqid;
	if (!WRITE_OK(thrift_protocol_read_message_begin(in, &name, &type, &seqid, error)))
		return NULL;
	g_free(name);
	GObject *args = g_object_new(m->args_type(), NULL);
	if (!WRITE_OK(thrift_struct_read(THRIFT_STRUCT(args), in, error)) ||
	    !WRITE_OK(thrift_protocol_read_message_end(in, error))) {
		g_object_unref(args);
		return NULL;
	}
	return args;
}

/* A string property of args, or NULL when the struct has no such field. */
static char *stream_prop_str(GObject *args, const char *prop)
{
	char *v = NULL;
	if (g_object_class_find_property(G_OBJECT_GET_CLASS(args), prop))
		g_object_get(args, prop, &v, NULL);
	return v;
}

/* Runs one streamed listing; see stream.h. */
ThriftStreamResult thrift_stream_run(ThriftCall *call, const char *method, gint32 seqid, const guint8 *msg,
                                     gsize len, GByteArray *reply, const NetRequestInfo *info)
{
	const StreamMethod *m = stream_method_find(method);
	if (m == NULL)
		return STREAM_FALLBACK;
	g_autoptr(GError) err = NULL;
	ThriftTransport *t = thrift_buffer_new(msg, len, reply);
	ThriftProtocol *in = thrift_safe_protocol_new(t);
	ThriftProtocol *out = thrift_safe_protocol_new(t);
	ThriftStreamResult result = STREAM_FALLBACK;
	GObject *args = stream_read_args(m, in, &err);
	if (args != NULL) {
		g_autofree char *db = stream_prop_str(args, "db_name");
		g_autofree char *tbl = stream_prop_str(args, "tbl_name");
		g_autofree char *filter = stream_prop_str(args, "filter");
		GPtrArray *vals = NULL;
		gint max = -1;
		if (g_object_class_find_property(G_OBJECT_GET_CLASS(args), "part_vals"))
			g_object_get(args, "part_vals", &vals, NULL);
		if (g_object_class_find_property(G_OBJECT_GET_CLASS(args), "max_parts"))
			g_object_get(args, "max_parts", &max, NULL);
		g_auto(ThriftDbName) n = thrift_db_name_parse(db, NULL);
		CatalogCtx ctx = thrift_ctx_now();
		CatalogPartitionQuery q = {.spec = vals, .filter = filter, .max_parts = max, .names_only = m->names_only};
		StreamState st = {.m = m, .method = method, .seqid = seqid, .out = out, .reply = reply, .info = info};
		CatalogPartitionSink sink = {.begin = stream_begin, .batch = stream_batch, .user = &st};
		if (!m->names_only) {
			st.enc = thrift_part_encoder_new();
			sink.rows = stream_rows;
		}
		gboolean ok = db != NULL && tbl != NULL &&
		              catalog_list_partitions(call->cat, &ctx, n.catalog, n.db, tbl, &q, &sink, &err);
		if (ok && st.written != st.promised) {
			g_set_error(&err, CATALOG_ERROR, CATALOG_ERROR_INTERNAL,
			            "partition listing: counted %" G_GINT64_FORMAT ", returned %" G_GINT64_FORMAT, st.promised,
			            st.written);
			ok = FALSE;
		}
		if (ok)
			ok = WRITE_OK(thrift_protocol_write_list_end(out, &err)) &&
			     WRITE_OK(thrift_protocol_write_field_end(out, &err)) &&
			     WRITE_OK(thrift_protocol_write_field_stop(out, &err)) &&
			     WRITE_OK(thrift_protocol_write_struct_end(out, &err)) &&
			     WRITE_OK(thrift_protocol_write_message_end(out, &err));
		if (ok)
			result = STREAM_DONE;
		else if (st.begun)
			result = STREAM_ERROR;
		if (vals)
			g_ptr_array_unref(vals);
		thrift_part_encoder_free(st.enc);
		g_object_unref(args);
	}
	if (result == STREAM_ERROR)
		g_message("request %" G_GUINT64_FORMAT " %s: streamed reply broken off, closing: %s", call->request_id,
		          method, err ? err->message : "?");
	g_object_unref(in);
	g_object_unref(out);
	g_object_unref(t);
	return result;
}
