/*
 * partition_encode.c — Partition structs in the binary protocol straight from catalog rows
 * (see partition_encode.h): the per-partition cost of a 100,000-partition listing.
 *
 * The document path builds a JSON tree, ~30 GObjects and their encoding per partition, nearly
 * all of it the storage descriptor the partitions share. Here each shared descriptor goes
 * through translate.c and the generated writer once, into two byte runs around its Location
 * (field 2): `head` = field 1 (cols), `tail` = fields 3..12 and the stop. A partition is then
 * written field by field in the generated writer's order — values, dbName, tableName,
 * createTime, lastAccessTime, sd (head, its own location, tail), parameters, privileges,
 * catName, writeId, isStatsCompliant — so the bytes equal the document path's except for the
 * order of map entries (that path iterates a GHashTable). Rare members (Hive privileges) still
 * go through translate.c.
 * Invariants: a row's sd_id names a descriptor handed over in this or an earlier batch since
 * the last sd_reset; one that was not (a descriptor row missing) encodes as the empty one, as
 * the document path rebuilds it.
 */
#include "thrift/partition_encode.h"

#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "thrift/buffer.h"
#include "thrift/translate.h"

/* One shared descriptor, encoded. */
typedef struct {
	GByteArray *head;   /* field 1 (cols) when set, else empty */
	GByteArray *tail;   /* fields 3..12 and the stop */
	char *location;     /* the shared document's own Location, used when the row has none */
} PartSdBlob;

struct ThriftPartEncoder {
	GHashTable *sds;            /* gint64* id → PartSdBlob* */
	GByteArray *scratch;        /* what proto writes */
	ThriftTransport *transport; /* appends to scratch */
	ThriftProtocol *proto;
};

static void part_sd_blob_free(gpointer p)
{
	PartSdBlob *b = p;
	g_byte_array_unref(b->head);
	g_byte_array_unref(b->tail);
	g_free(b->location);
	g_free(b);
}

/* A new encoder for one listing. */
ThriftPartEncoder *thrift_part_encoder_new(void)
{
	ThriftPartEncoder *enc = g_new0(ThriftPartEncoder, 1);
	enc->sds = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, part_sd_blob_free);
	enc->scratch = g_byte_array_new();
	enc->transport = thrift_buffer_new(NULL, 0, enc->scratch);
	enc->proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", enc->transport, NULL);
	return enc;
}

/* Frees the encoder and every descriptor it holds. */
void thrift_part_encoder_free(ThriftPartEncoder *enc)
{
	if (enc == NULL)
		return;
	g_hash_table_unref(enc->sds);
	g_object_unref(enc->proto);
	g_object_unref(enc->transport);
	g_byte_array_unref(enc->scratch);
	g_free(enc);
}

/* The bytes proto wrote since scratch was emptied, as a new array; scratch is emptied again. */
static GByteArray *part_take_scratch(ThriftPartEncoder *enc)
{
	GByteArray *out = g_byte_array_sized_new(enc->scratch->len);
	g_byte_array_append(out, enc->scratch->data, enc->scratch->len);
	g_byte_array_set_size(enc->scratch, 0);
	return out;
}

/* Encodes descriptor doc (NULL: the empty one) under id, replacing what id had. */
static PartSdBlob *part_sd_encode(ThriftPartEncoder *enc, gint64 id, JsonObject *doc)
{
	StorageDescriptor *sd = g_object_new(TYPE_STORAGE_DESCRIPTOR, NULL);
	if (doc != NULL)
		translate_storage_descriptor_from_json(doc, sd);
	PartSdBlob *b = g_new0(PartSdBlob, 1);
	if (sd->__isset_location)
		b->location = g_strdup(sd->location ? sd->location : "");
	sd->__isset_location = FALSE;
	g_byte_array_set_size(enc->scratch, 0);
	if (sd->__isset_cols) {
		/* as storage_descriptor_write writes field 1; the binary protocol's *_end write nothing */
		(void)thrift_protocol_write_field_begin(enc->proto, "cols", T_LIST, 1, NULL);
		(void)thrift_protocol_write_list_begin(enc->proto, T_STRUCT, (gint32)sd->cols->len, NULL);
		for (guint i = 0; i < sd->cols->len; i++)
			(void)thrift_struct_write(THRIFT_STRUCT(g_ptr_array_index(sd->cols, i)), enc->proto, NULL);
		sd->__isset_cols = FALSE;
	}
	b->head = part_take_scratch(enc);
	(void)thrift_struct_write(THRIFT_STRUCT(sd), enc->proto, NULL);
	b->tail = part_take_scratch(enc);
	g_object_unref(sd);
	g_hash_table_replace(enc->sds, g_memdup2(&id, sizeof id), b);
	return b;
}

/* ---- raw binary-protocol writes (big-endian, as thrift_binary_protocol writes them) ---- */

static inline void put_u8(GByteArray *o, guint8 v)
{
	g_byte_array_append(o, &v, 1);
}

static inline void put_i32(GByteArray *o, gint32 v)
{
	guint32 be = GUINT32_TO_BE((guint32)v);
	g_byte_array_append(o, (const guint8 *)&be, 4);
}

static inline void put_i64(GByteArray *o, gint64 v)
{
	guint64 be = GUINT64_TO_BE((guint64)v);
	g_byte_array_append(o, (const guint8 *)&be, 8);
}

static inline void put_field(GByteArray *o, ThriftType type, gint16 id)
{
	guint8 h[3] = {(guint8)type, (guint8)((guint16)id >> 8), (guint8)(id & 0xff)};
	g_byte_array_append(o, h, 3);
}

static inline void put_bin(GByteArray *o, const char *s, gsize len)
{
	put_i32(o, (gint32)len);
	g_byte_array_append(o, (const guint8 *)s, (guint)len);
}

static inline void put_slice(GByteArray *o, const StoreSlice *s)
{
	put_bin(o, s->str, s->len);
}

/* Field 8 from the row's Hive.Privileges text (rare: the document path's translation). */
static void part_write_privileges(ThriftPartEncoder *enc, const StoreSlice *text, GByteArray *o)
{
	g_autofree char *json = g_strndup(text->str, text->len);
	g_autoptr(JsonNode) node = json_from_string(json, NULL);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return;
	PrincipalPrivilegeSet *set = g_object_new(TYPE_PRINCIPAL_PRIVILEGE_SET, NULL);
	translate_privileges_from_json(json_node_get_object(node), set);
	g_byte_array_set_size(enc->scratch, 0);
	(void)thrift_struct_write(THRIFT_STRUCT(set), enc->proto, NULL);
	g_object_unref(set);
	put_field(o, T_STRUCT, 8);
	g_byte_array_append(o, enc->scratch->data, enc->scratch->len);
	g_byte_array_set_size(enc->scratch, 0);
}

/* Field 6: the shared descriptor's bytes around the row's own location. */
static void part_write_sd(ThriftPartEncoder *enc, const StorePartitionRow *r, GByteArray *o)
{
	PartSdBlob *b = g_hash_table_lookup(enc->sds, &r->sd_id);
	if (b == NULL)
		b = part_sd_encode(enc, r->sd_id, NULL);
	put_field(o, T_STRUCT, 6);
	g_byte_array_append(o, b->head->data, b->head->len);
	if (r->location.str != NULL) {
		put_field(o, T_STRING, 2);
		put_slice(o, &r->location);
	} else if (b->location != NULL) {
		put_field(o, T_STRING, 2);
		put_bin(o, b->location, strlen(b->location));
	}
	g_byte_array_append(o, b->tail->data, b->tail->len);
}

/* One Partition struct, fields in partition_write's order. */
static void part_write_row(ThriftPartEncoder *enc, const CatalogPartitionRows *b, const StorePartitionRow *r,
                           GByteArray *o)
{
	const StoreSlice *strs = b->rows->strs;
	if (r->has_values) {
		put_field(o, T_LIST, 1);
		put_u8(o, T_STRING);
		put_i32(o, (gint32)r->n_values);
		for (guint i = 0; i < r->n_values; i++)
			put_slice(o, &strs[r->values + i]);
	}
	put_field(o, T_STRING, 2);
	put_bin(o, b->db, strlen(b->db));
	put_field(o, T_STRING, 3);
	put_bin(o, b->table, strlen(b->table));
	put_field(o, T_I32, 4);
	put_i32(o, (gint32)r->create_time);
	put_field(o, T_I32, 5);
	put_i32(o, (gint32)r->last_access_time);
	if (r->sd_id != 0)
		part_write_sd(enc, r, o);
	if (r->has_params) {
		put_field(o, T_MAP, 7);
		put_u8(o, T_STRING);
		put_u8(o, T_STRING);
		put_i32(o, (gint32)r->n_params);
		for (guint i = 0; i < 2 * r->n_params; i++)
			put_slice(o, &strs[r->params + i]);
	}
	if (r->privileges.str != NULL)
		part_write_privileges(enc, &r->privileges, o);
	put_field(o, T_STRING, 9);
	put_bin(o, b->catalog, strlen(b->catalog));
	if (r->has_write_id) {
		put_field(o, T_I64, 10);
		put_i64(o, r->write_id);
	}
	if (r->has_stats_compliant) {
		put_field(o, T_BOOL, 11);
		put_u8(o, r->stats_compliant ? 1 : 0);
	}
	put_u8(o, T_STOP);
}

/* Appends one Partition per row; see partition_encode.h. */
void thrift_part_encoder_write(ThriftPartEncoder *enc, const CatalogPartitionRows *rows, GByteArray *out)
{
	if (rows->sd_reset)
		g_hash_table_remove_all(enc->sds);
	for (guint i = 0; i < rows->n_sds; i++)
		part_sd_encode(enc, rows->sds[i].id, rows->sds[i].doc);
	for (guint i = 0; i < rows->rows->n; i++)
		part_write_row(enc, rows, &rows->rows->rows[i], out);
}
