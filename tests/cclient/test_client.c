/*
 * test_client.c — a real Hive Thrift scenario against a running Propolis, via the
 * generated c_glib client: `propolis-test-client HOST PORT [--framed]`.
 *
 * Creates a database and a table with every field set, reads it back field by field, lists
 * databases by pattern, sends an unknown method and then a good call on the same connection,
 * checks NoSuchObjectException, and drops what it made. One line per check, then
 * "N passed, N failed"; exit status 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>
#include <thrift/c_glib/transport/thrift_buffered_transport.h>
#include <thrift/c_glib/transport/thrift_framed_transport.h>
#include <thrift/c_glib/transport/thrift_socket.h>

#include "thrift_hive_metastore.h"

static int passed, failed;

static void check(gboolean ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", what, detail ? ": " : "", detail ? detail : "");
	if (ok)
		passed++;
	else
		failed++;
}

static gboolean streq(const char *a, const char *b)
{
	return g_strcmp0(a, b) == 0;
}

static FieldSchema *col(const char *name, const char *type, const char *comment)
{
	return g_object_new(TYPE_FIELD_SCHEMA, "name", name, "type", type, "comment", comment, NULL);
}

/*
 * Releases an object of libthrift_c_glib itself (socket, transports, TApplicationException).
 * Thrift 0.17's own finalizers do not chain up to GObject's, so each such object loses the
 * few bytes GObject keeps for it; tests/lsan.supp names this function so the sanitizer build
 * still checks every other allocation of the client.
 */
static void thrift_lib_unref(gpointer object)
{
	g_object_unref(object);
}

static Table *full_table(const char *db, const char *name)
{
	Table *t = g_object_new(TYPE_TABLE, "tableName", name, "dbName", db, "owner", "alice", "createTime", 0,
	                        "lastAccessTime", 0, "retention", 7, "tableType", "EXTERNAL_TABLE", NULL);
	StorageDescriptor *sd = t->sd;
	g_ptr_array_add(sd->cols, col("id", "bigint", "the id"));
	g_ptr_array_add(sd->cols, col("name", "string", "the name"));
	sd->__isset_cols = TRUE;
	g_object_set(sd, "location", "file:///tmp/propolis-test/t1", "inputFormat",
	             "org.apache.hadoop.mapred.TextInputFormat", "outputFormat",
	             "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", "compressed", FALSE, "numBuckets", 4,
	             NULL);
	g_object_set(sd->serdeInfo, "name", "serde1", "serializationLib",
	             "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", NULL);
	g_hash_table_insert(sd->serdeInfo->parameters, g_strdup("field.delim"), g_strdup(","));
	sd->serdeInfo->__isset_parameters = TRUE;
	sd->__isset_serdeInfo = TRUE;
	g_ptr_array_add(sd->bucketCols, g_strdup("id"));
	sd->__isset_bucketCols = TRUE;
	g_ptr_array_add(sd->sortCols, g_object_new(TYPE_ORDER, "col", "id", "order", 1, NULL));
	sd->__isset_sortCols = TRUE;
	g_hash_table_insert(sd->parameters, g_strdup("sdkey"), g_strdup("sdval"));
	sd->__isset_parameters = TRUE;
	g_ptr_array_add(sd->skewedInfo->skewedColNames, g_strdup("name"));
	GPtrArray *vals = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(vals, g_strdup("x"));
	g_ptr_array_add(sd->skewedInfo->skewedColValues, vals);
	GPtrArray *key = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(key, g_strdup("x"));
	g_hash_table_insert(sd->skewedInfo->skewedColValueLocationMaps, key, g_strdup("file:///tmp/propolis-test/t1/x"));
	sd->skewedInfo->__isset_skewedColNames = sd->skewedInfo->__isset_skewedColValues = TRUE;
	sd->skewedInfo->__isset_skewedColValueLocationMaps = TRUE;
	sd->__isset_skewedInfo = TRUE;
	g_object_set(sd, "storedAsSubDirectories", TRUE, NULL);
	g_ptr_array_add(t->partitionKeys, col("ds", "string", "partition day"));
	t->__isset_partitionKeys = TRUE;
	g_hash_table_insert(t->parameters, g_strdup("EXTERNAL"), g_strdup("TRUE"));
	g_hash_table_insert(t->parameters, g_strdup("k1"), g_strdup("v1"));
	t->__isset_parameters = TRUE;
	g_object_set(t, "ownerType", PRINCIPAL_TYPE_ROLE, NULL);
	t->__isset_sd = TRUE;
	return t;
}

static void compare_tables(Table *a, Table *b)
{
	check(streq(a->tableName, b->tableName), "get_table tableName", b->tableName);
	check(streq(a->dbName, b->dbName), "get_table dbName", b->dbName);
	check(streq(a->owner, b->owner), "get_table owner", b->owner);
	check(b->__isset_ownerType && b->ownerType == a->ownerType, "get_table ownerType", NULL);
	check(a->retention == b->retention, "get_table retention", NULL);
	check(streq(a->tableType, b->tableType), "get_table tableType", b->tableType);
	check(b->createTime > 0, "get_table createTime set by server", NULL);
	check(b->sd->cols->len == 2, "get_table sd.cols count", NULL);
	for (guint i = 0; i < MIN(a->sd->cols->len, b->sd->cols->len); i++) {
		FieldSchema *x = g_ptr_array_index(a->sd->cols, i), *y = g_ptr_array_index(b->sd->cols, i);
		check(streq(x->name, y->name) && streq(x->type, y->type) && streq(x->comment, y->comment),
		      "get_table column name/type/comment", y->name);
	}
	check(streq(a->sd->location, b->sd->location), "get_table sd.location", b->sd->location);
	check(streq(a->sd->inputFormat, b->sd->inputFormat), "get_table sd.inputFormat", NULL);
	check(streq(a->sd->outputFormat, b->sd->outputFormat), "get_table sd.outputFormat", NULL);
	check(b->sd->numBuckets == 4, "get_table sd.numBuckets", NULL);
	check(streq(a->sd->serdeInfo->name, b->sd->serdeInfo->name) &&
	          streq(a->sd->serdeInfo->serializationLib, b->sd->serdeInfo->serializationLib),
	      "get_table serdeInfo name/lib", NULL);
	check(streq(g_hash_table_lookup(b->sd->serdeInfo->parameters, "field.delim"), ","), "get_table serde params", NULL);
	check(b->sd->bucketCols->len == 1 && streq(g_ptr_array_index(b->sd->bucketCols, 0), "id"), "get_table bucketCols",
	      NULL);
	Order *o = b->sd->sortCols->len == 1 ? g_ptr_array_index(b->sd->sortCols, 0) : NULL;
	check(o && streq(o->col, "id") && o->order == 1, "get_table sortCols", NULL);
	check(streq(g_hash_table_lookup(b->sd->parameters, "sdkey"), "sdval"), "get_table sd.parameters", NULL);
	SkewedInfo *s = b->sd->skewedInfo;
	check(b->sd->__isset_skewedInfo && s->skewedColNames->len == 1 && s->skewedColValues->len == 1 &&
	          g_hash_table_size(s->skewedColValueLocationMaps) == 1,
	      "get_table skewedInfo", NULL);
	check(b->sd->__isset_storedAsSubDirectories && b->sd->storedAsSubDirectories, "get_table storedAsSubDirectories",
	      NULL);
	FieldSchema *pk = b->partitionKeys->len == 1 ? g_ptr_array_index(b->partitionKeys, 0) : NULL;
	check(pk && streq(pk->name, "ds") && streq(pk->comment, "partition day"), "get_table partitionKeys", NULL);
	check(streq(g_hash_table_lookup(b->parameters, "k1"), "v1"), "get_table parameters", NULL);
}

/* Sends a method the server does not know, as raw client calls on the same protocol. */
static void unknown_method(ThriftProtocol *proto)
{
	GError *err = NULL;
	ThriftTransport *t = NULL;
	g_object_get(proto, "transport", &t, NULL);
	gboolean ok = thrift_protocol_write_message_begin(proto, "no_such_method_xyz", T_CALL, 77, &err) >= 0 &&
	              thrift_protocol_write_struct_begin(proto, "args", &err) >= 0 &&
	              thrift_protocol_write_field_stop(proto, &err) >= 0 &&
	              thrift_protocol_write_struct_end(proto, &err) >= 0 &&
	              thrift_protocol_write_message_end(proto, &err) >= 0 && thrift_transport_write_end(t, &err) &&
	              thrift_transport_flush(t, &err);
	gchar *name = NULL;
	ThriftMessageType type = 0;
	gint32 seq = 0;
	ThriftApplicationException *x = g_object_new(THRIFT_TYPE_APPLICATION_EXCEPTION, NULL);
	ok = ok && thrift_protocol_read_message_begin(proto, &name, &type, &seq, &err) >= 0 &&
	     thrift_struct_read(THRIFT_STRUCT(x), proto, &err) >= 0 && thrift_protocol_read_message_end(proto, &err) >= 0;
	thrift_transport_read_end(t, NULL);
	gchar *msg = NULL;
	gint code = 0;
	g_object_get(x, "message", &msg, "type", &code, NULL);
	check(ok && type == T_EXCEPTION && code == THRIFT_APPLICATION_EXCEPTION_ERROR_UNKNOWN_METHOD &&
	          streq(msg, "Invalid method name: 'no_such_method_xyz'"),
	      "unknown method → UNKNOWN_METHOD", msg ? msg : (err ? err->message : NULL));
	g_free(msg);
	g_free(name);
	thrift_lib_unref(x);
	g_object_unref(t);
	g_clear_error(&err);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s HOST PORT [--framed]\n", argv[0]);
		return 2;
	}
	gboolean framed = argc > 3 && strcmp(argv[3], "--framed") == 0;
	ThriftSocket *sock = g_object_new(THRIFT_TYPE_SOCKET, "hostname", argv[1], "port", atoi(argv[2]), NULL);
	ThriftTransport *tr = framed ? g_object_new(THRIFT_TYPE_FRAMED_TRANSPORT, "transport", sock, NULL)
	                             : g_object_new(THRIFT_TYPE_BUFFERED_TRANSPORT, "transport", sock, NULL);
	ThriftProtocol *proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", tr, NULL);
	GError *err = NULL;
	if (!thrift_transport_open(tr, &err)) {
		fprintf(stderr, "connect: %s\n", err->message);
		return 2;
	}
	ThriftHiveMetastoreIf *c = g_object_new(TYPE_THRIFT_HIVE_METASTORE_CLIENT, "input_protocol", proto,
	                                        "output_protocol", proto, NULL);
	MetaException *me = NULL;
	AlreadyExistsException *ae = NULL;
	InvalidObjectException *ioe = NULL;
	NoSuchObjectException *nse = NULL;
	InvalidOperationException *iop = NULL;
	const char *db = "cclient_db";

	Database *d = g_object_new(TYPE_DATABASE, "name", db, "description", "made by test_client", "locationUri",
	                           "file:///tmp/propolis-test/cclient_db.db", NULL);
	g_hash_table_insert(d->parameters, g_strdup("dbkey"), g_strdup("dbval"));
	d->__isset_parameters = TRUE;
	thrift_hive_metastore_if_drop_database(c, db, FALSE, TRUE, &nse, &iop, &me, NULL);
	g_clear_object(&nse);
	g_clear_object(&iop);
	g_clear_object(&me);
	gboolean ok = thrift_hive_metastore_if_create_database(c, d, &ae, &ioe, &me, &err);
	check(ok, "create_database", err ? err->message : me ? "MetaException" : NULL);
	g_clear_error(&err);

	Database *got = g_object_new(TYPE_DATABASE, NULL);
	ok = thrift_hive_metastore_if_get_database(c, &got, db, &nse, &me, &err);
	check(ok && streq(got->description, "made by test_client") &&
	          streq(g_hash_table_lookup(got->parameters, "dbkey"), "dbval"),
	      "get_database description/parameters", NULL);

	Table *t = full_table(db, "t1");
	ok = thrift_hive_metastore_if_create_table(c, t, &ae, &ioe, &me, &nse, &err);
	check(ok, "create_table with every field", err ? err->message : me ? me->message : ioe ? ioe->message : NULL);
	g_clear_error(&err);

	Table *back = g_object_new(TYPE_TABLE, NULL);
	ok = thrift_hive_metastore_if_get_table(c, &back, db, "t1", &me, &nse, &err);
	check(ok, "get_table", err ? err->message : NULL);
	g_clear_error(&err);
	if (ok)
		compare_tables(t, back);

	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	ok = thrift_hive_metastore_if_get_databases(c, &names, "cclient*", &me, &err);
	check(ok && names->len == 1 && streq(g_ptr_array_index(names, 0), db), "get_databases with a pattern", NULL);
	g_clear_error(&err);

	unknown_method(proto);
	gchar *name = NULL;
	ok = facebook_service_if_get_name(FACEBOOK_SERVICE_IF(c), &name, &err);
	check(ok && streq(name, "propolis"), "getName on the same connection after UNKNOWN_METHOD", name);
	g_clear_error(&err);

	Table *missing = g_object_new(TYPE_TABLE, NULL);
	g_clear_object(&nse);
	ok = thrift_hive_metastore_if_get_table(c, &missing, db, "no_such_table", &me, &nse, &err);
	check(!ok && nse != NULL, "get_table of a missing table → NoSuchObjectException", err ? err->message : NULL);
	g_clear_error(&err);
	g_clear_object(&nse);
	g_clear_object(&me);

	ok = thrift_hive_metastore_if_drop_table(c, db, "t1", TRUE, &nse, &me, &err);
	check(ok, "drop_table", err ? err->message : NULL);
	g_clear_error(&err);
	ok = thrift_hive_metastore_if_drop_database(c, db, TRUE, FALSE, &nse, &iop, &me, &err);
	check(ok, "drop_database", err ? err->message : NULL);
	g_clear_error(&err);

	thrift_transport_close(tr, NULL);
	/* Everything is released, so the sanitizer build's leak check covers the client too. */
	g_clear_object(&nse);
	g_clear_object(&iop);
	g_clear_object(&me);
	g_clear_object(&ae);
	g_clear_object(&ioe);
	g_object_unref(d);
	g_object_unref(got);
	g_object_unref(t);
	g_object_unref(back);
	g_object_unref(missing);
	g_ptr_array_unref(names);
	g_free(name);
	g_object_unref(c);
	g_object_unref(proto);
	thrift_lib_unref(tr);
	thrift_lib_unref(sock);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
