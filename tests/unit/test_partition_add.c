/*
 * test_partition_add.c — add_partitions(_req) read from the request's bytes
 * (thrift/partition_add.c), without a server: requests written by the generated writer, the
 * success reply read back by the generated reader and compared with what was sent plus what
 * the catalog fills in; each partition's event text; and the shapes that must fall back to the
 * generated processor (rare members, later request fields, malformed or truncated bytes).
 */
#include <check.h>
#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "thrift/buffer.h"
#include "thrift/partition_add.h"
#include "thrift/partition_write.h"

void propolis_gen_types_init(void);

static FieldSchema *col(const char *name, const char *type)
{
	FieldSchema *c = g_object_new(TYPE_FIELD_SCHEMA, NULL);
	c->name = g_strdup(name);
	c->__isset_name = TRUE;
	c->type = g_strdup(type);
	c->__isset_type = TRUE;
	return c;
}

/* Partition i: values (v, "b<i>"), location or none, a descriptor unless no_sd. */
static Partition *part(guint i, const char *v, const char *location, gboolean no_sd, const char *delim)
{
	Partition *p = g_object_new(TYPE_PARTITION, NULL);
	g_ptr_array_add(p->values, g_strdup(v));
	g_ptr_array_add(p->values, g_strdup_printf("b%u", i));
	p->__isset_values = TRUE;
	p->dbName = g_strdup("Db");
	p->__isset_dbName = TRUE;
	p->tableName = g_strdup("T");
	p->__isset_tableName = TRUE;
	p->lastAccessTime = (gint32)i;
	g_hash_table_insert(p->parameters, g_strdup("k"), g_strdup_printf("v%u", i));
	p->__isset_parameters = TRUE;
	if (!no_sd) {
		StorageDescriptor *sd = p->sd;
		g_ptr_array_add(sd->cols, col("id", "bigint"));
		g_ptr_array_add(sd->cols, col("s", "string"));
		sd->__isset_cols = TRUE;
		if (location) {
			sd->location = g_strdup(location);
			sd->__isset_location = TRUE;
		}
		sd->__isset_compressed = TRUE; /* always written, so set in what a server reads */
		sd->__isset_numBuckets = TRUE;
		sd->inputFormat = g_strdup("in");
		sd->__isset_inputFormat = TRUE;
		sd->serdeInfo->serializationLib = g_strdup("lib");
		sd->serdeInfo->__isset_serializationLib = TRUE;
		g_hash_table_insert(sd->serdeInfo->parameters, g_strdup("field.delim"), g_strdup(delim));
		sd->serdeInfo->__isset_parameters = TRUE;
		sd->__isset_serdeInfo = TRUE;
		p->__isset_sd = TRUE;
	}
	return p;
}

static GPtrArray *sample_parts(void)
{
	GPtrArray *parts = g_ptr_array_new_with_free_func(g_object_unref);
	g_ptr_array_add(parts, part(0, "x", "s3://b/t/x", FALSE, ","));
	g_ptr_array_add(parts, part(1, "y", NULL, FALSE, ","));              /* default location */
	g_ptr_array_add(parts, part(2, "z", NULL, TRUE, ","));               /* no descriptor */
	g_ptr_array_add(parts, part(3, "q\"\\\n", "s3://b/t/q", FALSE, "|")); /* another layout, escapes */
	g_ptr_array_add(parts, part(4, "w", "", FALSE, ","));                /* empty location: default */
	return parts;
}

/* The call message of method with args written by the generated writer. */
static GByteArray *call_bytes(const char *method, ThriftStruct *args)
{
	GByteArray *bytes = g_byte_array_new();
	ThriftTransport *t = thrift_buffer_new(NULL, 0, bytes);
	ThriftProtocol *p = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
	ck_assert_int_ge(thrift_protocol_write_message_begin(p, method, T_CALL, 42, NULL), 0);
	ck_assert_int_ge(thrift_struct_write(args, p, NULL), 0);
	ck_assert_int_ge(thrift_protocol_write_message_end(p, NULL), 0);
	g_object_unref(p);
	g_object_unref(t);
	return bytes;
}

static GByteArray *req_bytes(GPtrArray *parts, gboolean need_result, gboolean later_field)
{
	g_autoptr(GObject) args = g_object_new(TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_REQ_ARGS, NULL);
	AddPartitionsRequest *r = ((ThriftHiveMetastoreAddPartitionsReqArgs *)args)->request;
	r->dbName = g_strdup("Db");
	r->tblName = g_strdup("T");
	for (guint i = 0; i < parts->len; i++)
		g_ptr_array_add(r->parts, g_object_ref(g_ptr_array_index(parts, i)));
	r->ifNotExists = FALSE;
	r->needResult = need_result;
	r->__isset_needResult = TRUE;
	if (later_field) {
		r->skipColumnSchemaForPartition = TRUE;
		r->__isset_skipColumnSchemaForPartition = TRUE;
	}
	return call_bytes("add_partitions_req", THRIFT_STRUCT(args));
}

/* Reads the reply at the start of out; *used: its length. */
static GObject *read_reply(GByteArray *out, GType type, gsize *used)
{
	ThriftTransport *t = thrift_buffer_new(out->data, out->len, NULL);
	ThriftProtocol *p = thrift_safe_protocol_new(t);
	gchar *name = NULL;
	ThriftMessageType mt;
	gint32 seqid;
	ck_assert_int_ge(thrift_protocol_read_message_begin(p, &name, &mt, &seqid, NULL), 0);
	ck_assert_int_eq(mt, T_REPLY);
	ck_assert_int_eq(seqid, 42);
	g_free(name);
	GObject *res = g_object_new(type, NULL);
	gint32 n = thrift_struct_read(THRIFT_STRUCT(res), p, NULL);
	ck_assert_int_gt(n, 0);
	*used = out->len - (gsize)t->remainingMessageSize_; /* the buffer keeps it at len - pos */
	g_object_unref(p);
	g_object_unref(t);
	return res;
}

START_TEST(test_reply_is_what_was_sent_and_filled)
{
	g_autoptr(GPtrArray) parts = sample_parts();
	g_autoptr(GByteArray) msg = req_bytes(parts, TRUE, FALSE);
	g_autoptr(GByteArray) out = g_byte_array_new();
	ck_assert_uint_eq(thrift_partition_add_exercise(msg->data, msg->len, "add_partitions_req", out), parts->len);
	gsize used = 0;
	g_autoptr(GObject) res = read_reply(out, TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_REQ_RESULT, &used);
	AddPartitionsResult *r = ((ThriftHiveMetastoreAddPartitionsReqResult *)res)->success;
	ck_assert(r->__isset_partitions);
	ck_assert_uint_eq(r->partitions->len, parts->len);
	for (guint i = 0; i < parts->len; i++) {
		Partition *sent = g_ptr_array_index(parts, i), *got = g_ptr_array_index(r->partitions, i);
		ck_assert_uint_eq(got->values->len, 2);
		ck_assert_str_eq(g_ptr_array_index(got->values, 0), g_ptr_array_index(sent->values, 0));
		ck_assert_str_eq(got->dbName, "Db");
		ck_assert_str_eq(got->catName, "hive");
		ck_assert_int_eq(got->createTime, 1700000000 + (gint32)i);
		ck_assert_int_eq(got->lastAccessTime, (gint32)i);
		g_autofree char *v = g_strdup_printf("v%u", i);
		ck_assert_str_eq(g_hash_table_lookup(got->parameters, "k"), v);
		ck_assert_int_eq(got->__isset_sd, sent->__isset_sd);
		if (!sent->__isset_sd)
			continue;
		ck_assert(thrift_sd_same_layout(sent->sd, got->sd)); /* every other descriptor field as sent */
		if (sent->sd->location && *sent->sd->location) {
			ck_assert_str_eq(got->sd->location, sent->sd->location);
		} else {
			g_autofree char *def = g_strdup_printf("file:/wh/t/p%u", i);
			ck_assert_str_eq(got->sd->location, def);
		}
	}
	/* then one event text per partition: a JSON string holding a Thrift JSON object */
	g_autofree char *rest = g_strndup((const char *)out->data + used, out->len - used);
	g_auto(GStrv) lines = g_strsplit(rest, "\n", -1);
	ck_assert_uint_eq(g_strv_length(lines), parts->len + 1);
	for (guint i = 0; i < parts->len; i++) {
		g_autofree char *wrapped = g_strdup_printf("[%s]", lines[i]);
		g_autoptr(JsonNode) outer = json_from_string(wrapped, NULL);
		ck_assert_ptr_nonnull(outer);
		const char *tjson = json_array_get_string_element(json_node_get_array(outer), 0);
		g_autoptr(JsonNode) inner = json_from_string(tjson, NULL);
		ck_assert_msg(inner && JSON_NODE_HOLDS_OBJECT(inner), "partition %u: %s", i, tjson);
		JsonObject *o = json_node_get_object(inner);
		ck_assert_int_eq(json_object_has_member(o, "6"), ((Partition *)g_ptr_array_index(parts, i))->__isset_sd);
		ck_assert_str_eq(json_object_get_string_member(json_object_get_object_member(o, "9"), "str"), "hive");
	}
}
END_TEST

START_TEST(test_add_partitions_answers_the_count)
{
	g_autoptr(GPtrArray) parts = sample_parts();
	g_autoptr(GObject) args = g_object_new(TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_ARGS, NULL);
	GPtrArray *list = ((ThriftHiveMetastoreAddPartitionsArgs *)args)->new_parts;
	for (guint i = 0; i < parts->len; i++)
		g_ptr_array_add(list, g_object_ref(g_ptr_array_index(parts, i)));
	g_autoptr(GByteArray) msg = call_bytes("add_partitions", THRIFT_STRUCT(args));
	g_autoptr(GByteArray) out = g_byte_array_new();
	ck_assert_uint_eq(thrift_partition_add_exercise(msg->data, msg->len, "add_partitions", out), parts->len);
	gsize used = 0;
	g_autoptr(GObject) res = read_reply(out, TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_RESULT, &used);
	ck_assert_int_eq(((ThriftHiveMetastoreAddPartitionsResult *)res)->success, (gint32)parts->len);
}
END_TEST

START_TEST(test_need_result_false_sends_no_partitions)
{
	g_autoptr(GPtrArray) parts = sample_parts();
	g_autoptr(GByteArray) msg = req_bytes(parts, FALSE, FALSE);
	g_autoptr(GByteArray) out = g_byte_array_new();
	ck_assert_uint_eq(thrift_partition_add_exercise(msg->data, msg->len, "add_partitions_req", out), parts->len);
	gsize used = 0;
	g_autoptr(GObject) res = read_reply(out, TYPE_THRIFT_HIVE_METASTORE_ADD_PARTITIONS_REQ_RESULT, &used);
	ck_assert(!((ThriftHiveMetastoreAddPartitionsReqResult *)res)->success->__isset_partitions);
}
END_TEST

/* Replaces the first occurrence of marker in bytes by with (the same length). */
static void patch_bytes(GByteArray *bytes, const char *marker, const char *with)
{
	gsize n = strlen(marker);
	for (gsize i = 0; i + n <= bytes->len; i++)
		if (memcmp(bytes->data + i, marker, n) == 0) {
			memcpy(bytes->data + i, with, n);
			return;
		}
	ck_abort_msg("marker %s not found", marker);
}

/*
 * Issue 15: a string with a NUL byte or not UTF-8 anywhere in the request (a value, a
 * parameter, a column of the descriptor) is not taken from bytes: the generated processor then
 * reads it and refuses it (buffer.c), as for any other method.
 */
START_TEST(test_text_no_c_string_carries_falls_back)
{
	static const struct {
		const char *marker, *with;
	} cases[] = {{"QVALQ", "QV\0LQ"}, {"QVALQ", "QV\xffLQ"}, {"QPARQ", "QP\0RQ"}, {"QCOLQ", "QC\xc3LQ"}};
	g_autoptr(GByteArray) out = g_byte_array_new();
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) parts = sample_parts();
		Partition *p = g_ptr_array_index(parts, 0);
		g_free(g_ptr_array_index(p->values, 0));
		g_ptr_array_index(p->values, 0) = g_strdup("QVALQ");
		g_hash_table_insert(p->parameters, g_strdup("k"), g_strdup("QPARQ"));
		g_ptr_array_add(p->sd->cols, col("QCOLQ", "int"));
		g_autoptr(GByteArray) bytes = req_bytes(parts, TRUE, FALSE);
		ck_assert_uint_eq(thrift_partition_add_exercise(bytes->data, bytes->len, "add_partitions_req", out),
		                  parts->len);
		patch_bytes(bytes, cases[i].marker, cases[i].with);
		ck_assert_uint_eq(thrift_partition_add_exercise(bytes->data, bytes->len, "add_partitions_req", out), 0);
	}
}
END_TEST

START_TEST(test_other_shapes_fall_back)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	/* a request field past catName */
	g_autoptr(GPtrArray) parts = sample_parts();
	g_autoptr(GByteArray) later = req_bytes(parts, TRUE, TRUE);
	ck_assert_uint_eq(thrift_partition_add_exercise(later->data, later->len, "add_partitions_req", out), 0);
	/* a partition with a writeId */
	Partition *p = g_ptr_array_index(parts, 1);
	p->writeId = 3;
	p->__isset_writeId = TRUE;
	g_autoptr(GByteArray) rare = req_bytes(parts, TRUE, FALSE);
	ck_assert_uint_eq(thrift_partition_add_exercise(rare->data, rare->len, "add_partitions_req", out), 0);
	p->__isset_writeId = FALSE;
	/* the method name must be the one asked for */
	g_autoptr(GByteArray) good = req_bytes(parts, TRUE, FALSE);
	ck_assert_uint_eq(thrift_partition_add_exercise(good->data, good->len, "add_partitions", out), 0);
	/* every truncation, and a flipped byte anywhere, never crashes; a truncation never passes */
	for (gsize cut = 0; cut < good->len; cut++)
		ck_assert_uint_eq(thrift_partition_add_exercise(good->data, cut, "add_partitions_req", out), 0);
	for (gsize i = 0; i < good->len; i++) {
		g_autoptr(GByteArray) bent = g_byte_array_new();
		g_byte_array_append(bent, good->data, good->len);
		bent->data[i] ^= 0x5a;
		g_byte_array_set_size(out, 0);
		(void)thrift_partition_add_exercise(bent->data, bent->len, "add_partitions_req", out);
	}
	/* a partition with an empty values list is taken (the catalog refuses it), never read past */
	Partition *none = g_ptr_array_index(parts, 0);
	g_ptr_array_set_size(none->values, 0);
	g_autoptr(GByteArray) novals = req_bytes(parts, TRUE, FALSE);
	g_byte_array_set_size(out, 0);
	ck_assert_uint_eq(thrift_partition_add_exercise(novals->data, novals->len, "add_partitions_req", out), parts->len);
	g_autoptr(GPtrArray) no_parts = g_ptr_array_new();
	g_autoptr(GByteArray) empty = req_bytes(no_parts, TRUE, FALSE);
	ck_assert_uint_eq(thrift_partition_add_exercise(empty->data, empty->len, "add_partitions_req", out), 0);
}
END_TEST

int main(void)
{
	propolis_gen_types_init();
	Suite *s = suite_create("partition_add");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_reply_is_what_was_sent_and_filled);
	tcase_add_test(tc, test_add_partitions_answers_the_count);
	tcase_add_test(tc, test_need_result_false_sends_no_partitions);
	tcase_add_test(tc, test_other_shapes_fall_back);
	tcase_add_test(tc, test_text_no_c_string_carries_falls_back);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
