/*
 * table_reply.c — get_table and get_table_req, the calls every engine makes before it reads a
 * table, answered from tables kept encoded (issue 8: get_table against pg-direct).
 *
 * Through the generated processor a get_table costs, besides its one statement, PostgreSQL
 * printing the jsonb document, the server parsing it into a JSON tree, translating it into
 * 30-odd GObjects, encoding those and freeing it all: about a third of the server's CPU per
 * call. Here the door keeps each table's encoded Thrift `Table` struct (binary protocol) with
 * the (id, version) of the row it came from, keyed by the name asked for. A call still runs
 * the catalog's one statement — so the answer is always the stored row, whichever server
 * wrote it, and the caller's permissions are checked as always — but tells it the (id,
 * version) held: when the row is still that one, PostgreSQL sends no document and the reply is
 * the kept bytes. A caller who sees only some columns gets its trimmed table encoded afresh,
 * never kept. Every write of a table bumps its version in the same statement (store/table.c),
 * a recreated name gets a new id, so a kept encoding can never be served for another row.
 *
 * Errors are the method's own: NoSuchObjectException / MetaException in the result struct
 * (generated writer), anything else a TApplicationException, as the processor would write them.
 * The cache holds at most TABLE_REPLY_MAX tables (~2-4 KiB each); when full it starts over.
 */
#include "thrift/table_reply.h"

#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "common/error.h"
#include "thrift/buffer.h"
#include "thrift/translate.h"

#define TABLE_REPLY_MAX 4096
#define OK(x) ((x) >= 0)

typedef struct {
	gint64 id, version;
	GBytes *table; /* the Table struct, binary protocol, field stop included */
} KeptTable;

static GMutex kept_lock;
static GHashTable *kept; /* "catalog\x1fdb\x1ftable" (as asked, lower-cased) → KeptTable* */

static void kept_free(gpointer p)
{
	KeptTable *k = p;
	g_bytes_unref(k->table);
	g_free(k);
}

gboolean thrift_table_reply_handles(const char *method)
{
	return strcmp(method, "get_table") == 0 || strcmp(method, "get_table_req") == 0;
}

void thrift_table_reply_cache_clear(void)
{
	g_mutex_lock(&kept_lock);
	g_clear_pointer(&kept, g_hash_table_unref);
	g_mutex_unlock(&kept_lock);
}

/* The kept table for key: its stamp into id and version and a new reference, or NULL. */
static GBytes *kept_get(const char *key, gint64 *id, gint64 *version)
{
	GBytes *b = NULL;
	g_mutex_lock(&kept_lock);
	KeptTable *k = kept ? g_hash_table_lookup(kept, key) : NULL;
	if (k) {
		*id = k->id;
		*version = k->version;
		b = g_bytes_ref(k->table);
	}
	g_mutex_unlock(&kept_lock);
	return b;
}

static void kept_put(const char *key, gint64 id, gint64 version, GBytes *table)
{
	KeptTable *k = g_new(KeptTable, 1);
	k->id = id;
	k->version = version;
	k->table = g_bytes_ref(table);
	g_mutex_lock(&kept_lock);
	if (kept == NULL || g_hash_table_size(kept) >= TABLE_REPLY_MAX) {
		g_clear_pointer(&kept, g_hash_table_unref);
		kept = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, kept_free);
	}
	g_hash_table_replace(kept, g_strdup(key), k);
	g_mutex_unlock(&kept_lock);
}

/* The Table struct of doc in the binary protocol. */
static GBytes *encode_table(JsonObject *doc)
{
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	ThriftTransport *t = thrift_buffer_new(NULL, 0, bytes);
	ThriftProtocol *p = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
	Table *table = g_object_new(TYPE_TABLE, NULL);
	translate_table_from_json(doc, table);
	g_autoptr(GError) err = NULL;
	gboolean ok = OK(thrift_struct_write(THRIFT_STRUCT(table), p, &err));
	g_object_unref(table);
	g_object_unref(p);
	g_object_unref(t);
	if (!ok) { /* a memory buffer does not refuse bytes; kept as a guard */
		g_warning("get_table: encoding the table failed: %s", err ? err->message : "?");
		return NULL;
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&bytes));
}

/* The arguments: dbName, tblName, catName (get_table_req's GetTableRequest, or get_table's two strings). */
typedef struct {
	char *db, *tbl, *catalog;
	gint32 seqid;
} TableArgs;

static void table_args_clear(TableArgs *a)
{
	g_free(a->db);
	g_free(a->tbl);
	g_free(a->catalog);
}

static gboolean read_args(const char *method, ThriftProtocol *in, TableArgs *a, GError **error)
{
	gchar *name = NULL;
	ThriftMessageType type;
	if (!OK(thrift_protocol_read_message_begin(in, &name, &type, &a->seqid, error)))
		return FALSE;
	g_free(name);
	gboolean ok;
	if (strcmp(method, "get_table") == 0) {
		ThriftHiveMetastoreGetTableArgs *args = g_object_new(TYPE_THRIFT_HIVE_METASTORE_GET_TABLE_ARGS, NULL);
		ok = OK(thrift_struct_read(THRIFT_STRUCT(args), in, error));
		if (ok) {
			a->db = g_steal_pointer(&args->dbname);
			a->tbl = g_steal_pointer(&args->tbl_name);
		}
		g_object_unref(args);
	} else {
		ThriftHiveMetastoreGetTableReqArgs *args = g_object_new(TYPE_THRIFT_HIVE_METASTORE_GET_TABLE_REQ_ARGS, NULL);
		ok = OK(thrift_struct_read(THRIFT_STRUCT(args), in, error));
		if (ok && args->req) {
			GetTableRequest *r = args->req;
			a->db = g_steal_pointer(&r->dbName);
			a->tbl = g_steal_pointer(&r->tblName);
			if (r->__isset_catName)
				a->catalog = g_steal_pointer(&r->catName);
		}
		g_object_unref(args);
	}
	return ok && OK(thrift_protocol_read_message_end(in, error));
}

/* The success reply around the encoded table: get_table {0: Table}, get_table_req {0: GetTableResult{1: Table}}. */
static gboolean write_success(ThriftProtocol *out, ThriftTransport *t, const char *method, gint32 seqid, GBytes *table,
                              GError **error)
{
	gboolean req = strcmp(method, "get_table_req") == 0;
	gsize n;
	const guint8 *p = g_bytes_get_data(table, &n);
	return OK(thrift_protocol_write_message_begin(out, method, T_REPLY, seqid, error)) &&
	       OK(thrift_protocol_write_struct_begin(out, "result", error)) &&
	       OK(thrift_protocol_write_field_begin(out, "success", T_STRUCT, 0, error)) &&
	       (!req || (OK(thrift_protocol_write_struct_begin(out, "GetTableResult", error)) &&
	                 OK(thrift_protocol_write_field_begin(out, "table", T_STRUCT, 1, error)))) &&
	       thrift_transport_write(t, (gpointer)p, (guint32)n, error) &&
	       (!req || (OK(thrift_protocol_write_field_end(out, error)) && OK(thrift_protocol_write_field_stop(out, error)) &&
	                 OK(thrift_protocol_write_struct_end(out, error)))) &&
	       OK(thrift_protocol_write_field_end(out, error)) && OK(thrift_protocol_write_field_stop(out, error)) &&
	       OK(thrift_protocol_write_struct_end(out, error)) && OK(thrift_protocol_write_message_end(out, error));
}

/* A failure as the generated processor answers it: the declared exception, else a TApplicationException. */
static gboolean write_failure(ThriftProtocol *out, const char *method, gint32 seqid, GError *err, GError **error)
{
	MetaException *o1 = NULL;
	NoSuchObjectException *o2 = NULL;
	ThriftErrOut slots = {.meta = &o1, .no_such = &o2};
	g_autoptr(GError) app = NULL;
	(void)thrift_error_raise(err, &slots, &app); /* takes err */
	GObject *result;
	ThriftMessageType type = T_REPLY;
	if (o1 == NULL && o2 == NULL) {
		type = T_EXCEPTION;
		result = g_object_new(propolis_app_exception_get_type(), "type",
		                      app ? app->code : THRIFT_APPLICATION_EXCEPTION_ERROR_UNKNOWN, "message",
		                      app ? app->message : NULL, NULL);
	} else {
		GType rt = strcmp(method, "get_table") == 0 ? TYPE_THRIFT_HIVE_METASTORE_GET_TABLE_RESULT
		                                            : TYPE_THRIFT_HIVE_METASTORE_GET_TABLE_REQ_RESULT;
		result = g_object_new(rt, NULL);
		if (o1)
			g_object_set(result, "o1", o1, NULL);
		if (o2)
			g_object_set(result, "o2", o2, NULL);
	}
	gboolean ok = OK(thrift_protocol_write_message_begin(out, method, type, seqid, error)) &&
	              OK(thrift_struct_write(THRIFT_STRUCT(result), out, error)) &&
	              OK(thrift_protocol_write_message_end(out, error));
	g_object_unref(result);
	g_clear_object(&o1);
	g_clear_object(&o2);
	return ok;
}

/* Answers one get_table / get_table_req; see table_reply.h. */
gboolean thrift_table_reply_run(ThriftCall *call, const char *method, const guint8 *msg, gsize len, GByteArray *reply,
                                GError **error)
{
	ThriftTransport *t = thrift_buffer_new(msg, len, reply);
	ThriftProtocol *in = thrift_safe_protocol_new(t);
	ThriftProtocol *out = thrift_safe_protocol_new(t);
	TableArgs a = {0};
	gboolean ok = read_args(method, in, &a, error);
	if (ok) {
		GError *err = NULL;
		g_autoptr(GBytes) table = NULL;
		if (a.db == NULL || a.tbl == NULL) {
			err = thrift_missing_arg(a.db == NULL ? "Database name" : "Table name");
		} else {
			g_auto(ThriftDbName) n = thrift_db_name_parse(a.db, a.catalog);
			thrift_audit_note_object(n.db, a.tbl);
			g_autofree char *asked = g_strdup_printf("%s\x1f%s\x1f%s", n.catalog ? n.catalog : "", n.db, a.tbl);
			g_autofree char *key = g_ascii_strdown(asked, -1);
			CatalogTableStamp stamp = {0};
			g_autoptr(GBytes) held = kept_get(key, &stamp.id, &stamp.version);
			CatalogCtx ctx = thrift_ctx_now();
			g_autoptr(JsonObject) doc =
				catalog_get_table_known(call->cat, &ctx, n.catalog, n.db, a.tbl, &stamp, &err);
			if (stamp.unchanged && held) {
				table = g_steal_pointer(&held);
			} else if (doc) {
				table = encode_table(doc);
				if (table && stamp.whole)
					kept_put(key, stamp.id, stamp.version, table);
				else if (table == NULL)
					g_set_error_literal(&err, CATALOG_ERROR, CATALOG_ERROR_INTERNAL, "encoding the table failed");
			} else if (err == NULL) {
				g_set_error_literal(&err, CATALOG_ERROR, CATALOG_ERROR_INTERNAL, "table read returned nothing");
			}
		}
		ok = table ? write_success(out, t, method, a.seqid, table, error)
		           : write_failure(out, method, a.seqid, err, error);
	}
	table_args_clear(&a);
	g_object_unref(in);
	g_object_unref(out);
	g_object_unref(t);
	return ok;
}
