/*
 * fuzz_partition_add.c — libFuzzer target for the partition calls read from raw bytes:
 * add_partitions(_req) (server/thrift/partition_add.c, which also writes the reply and event
 * text from those bytes) and drop_partitions_req (partition_drop.c).
 * Input: byte 0 picks the method (0: add_partitions, 1: add_partitions_req, 2, 3:
 * drop_partitions_req); the rest is the call's body after a strict call header. Differential
 * check: whenever a byte reader takes a message, the generated reader must read the same
 * arguments and find as many partitions (names, for a drop).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "thrift/buffer.h"
#include "thrift/partition_add.h"
#include "thrift/partition_drop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

void propolis_gen_types_init(void);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	propolis_gen_types_init();
	return 0;
}

/* Names the generated reader finds in a drop_partitions_req body, or -1 when it refuses it. */
static gint generated_names(const guint8 *body, gsize len)
{
	ThriftTransport *t = thrift_buffer_new(body, len, NULL);
	ThriftProtocol *p = thrift_safe_protocol_new(t);
	GObject *args = g_object_new(TYPE_THRIFT_HIVE_METASTORE_DROP_PARTITIONS_REQ_ARGS, NULL);
	g_autoptr(GError) error = NULL;
	gint n = -1;
	if (thrift_struct_read(THRIFT_STRUCT(args), p, &error) >= 0) {
		RequestPartsSpec *spec = ((ThriftHiveMetastoreDropPartitionsReqArgs *)args)->req->parts;
		n = spec->__isset_names ? (gint)spec->names->len : -2;
	}
	g_object_unref(args);
	g_object_unref(p);
	g_object_unref(t);
	return n;
}

/* Partitions the generated reader finds in the body, or -1 when it refuses it. */
static gint generated_count(gboolean req, const guint8 *body, gsize len)
{
	ThriftTransport *t = thrift_buffer_new(body, len, NULL);
	ThriftProtocol *p = thrift_safe_protocol_new(t);
	GObject *args = g_object_new(req ? TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_REQ_ARGS
	                                 : TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_ARGS, NULL);
	g_autoptr(GError) error = NULL;
	gint n = -1;
	if (thrift_struct_read(THRIFT_STRUCT(args), p, &error) >= 0) {
		if (req)
			n = (gint)((ThriftHiveMetastoreAddPartitionsReqArgs *)args)->request->parts->len;
		else
			n = (gint)((ThriftHiveMetastoreAddPartitionsArgs *)args)->new_parts->len;
	}
	g_object_unref(args);
	g_object_unref(p);
	g_object_unref(t);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	gboolean req = data[0] & 1, drop = (data[0] & 2) != 0;
	const char *method = drop ? "drop_partitions_req" : req ? "add_partitions_req" : "add_partitions";
	g_autoptr(GByteArray) msg = g_byte_array_new();
	guint32 n = (guint32)strlen(method);
	guint8 head[8] = {0x80, 0x01, 0x00, 0x01, (guint8)(n >> 24), (guint8)(n >> 16), (guint8)(n >> 8), (guint8)n};
	g_byte_array_append(msg, head, sizeof head);
	g_byte_array_append(msg, (const guint8 *)method, n);
	static const guint8 seqid[4] = {0, 0, 0, 9};
	g_byte_array_append(msg, seqid, sizeof seqid);
	gsize body = msg->len;
	g_byte_array_append(msg, data + 1, (guint)(size - 1));

	if (drop) {
		gint names = thrift_partition_drop_parse(msg->data, msg->len);
		if (names >= 0 && generated_names(msg->data + body, msg->len - body) != names)
			abort();
		return 0;
	}
	g_autoptr(GByteArray) out = g_byte_array_new();
	guint taken = thrift_partition_add_exercise(msg->data, msg->len, method, out);
	if (taken > 0 && generated_count(req, msg->data + body, msg->len - body) != (gint)taken)
		abort();
	return 0;
}
