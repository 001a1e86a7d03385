/*
 * test_partition_encode.c — the partition listing's fast path, without a server: a stored
 * document's text read into a row (store/partition_row.c: every JSON form PostgreSQL prints,
 * escapes, surrogates, readings of odd member kinds, malformed and truncated text), and the
 * Partition bytes thrift/partition_encode.c writes from rows, compared byte for byte with the
 * document path (the document rebuilt as store/partition.c does, translate.c, the generated
 * writer) where map order cannot differ.
 */
#include <check.h>
#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "store/store_internal.h"
#include "thrift/buffer.h"
#include "thrift/partition_encode.h"
#include "thrift/translate.h"

void propolis_gen_types_init(void);

/* A row read from text, its strings kept in the test's arrays. */
typedef struct {
	StorePartitionRow row;
	GArray *strs;
	GStringChunk *chunk;
	GString *scratch;
} ReadRow;

static gboolean read_row(ReadRow *r, const char *text, gsize len, GError **error)
{
	memset(&r->row, 0, sizeof r->row);
	r->strs = g_array_new(FALSE, FALSE, sizeof(StoreSlice));
	r->chunk = g_string_chunk_new(64);
	r->scratch = g_string_new(NULL);
	return store_partition_row_read(text, len, &r->row, r->strs, r->chunk, r->scratch, error);
}

static void read_row_clear(ReadRow *r)
{
	g_array_unref(r->strs);
	g_string_chunk_free(r->chunk);
	g_string_free(r->scratch, TRUE);
}

static void assert_slice(ReadRow *r, guint i, const char *want)
{
	StoreSlice s = g_array_index(r->strs, StoreSlice, i);
	g_autofree char *got = g_strndup(s.str, s.len);
	ck_assert_msg(s.len == strlen(want) && memcmp(s.str, want, s.len) == 0, "string %u is \"%s\", want \"%s\"", i,
	              got, want);
}

/* The members a Partition carries, read as the document path reads them. */
START_TEST(test_members_and_their_readings)
{
	static const char doc[] =
		"{\"Hive\": {\"Other\": [1, {\"x\": null}], \"WriteId\": \"12\", \"Privileges\": {\"userPrivileges\": {}},"
		" \"IsStatsCompliant\": true}, \"Other\": {\"a\": [[], {}, \"s\", -1.5e3, false]},"
		" \"Values\": [\"a\", 7, null, \"\", {\"o\": 1}], \"Parameters\": {\"k\": \"v\", \"n\": 5, \"z\": null},"
		" \"CreationTime\": 1700000000.9, \"LastAccessTime\": \"42\"}";
	ReadRow r;
	g_autoptr(GError) err = NULL;
	ck_assert_msg(read_row(&r, doc, strlen(doc), &err), "%s", err ? err->message : "");
	ck_assert(r.row.has_values);
	ck_assert_uint_eq(r.row.n_values, 5);
	assert_slice(&r, r.row.values, "a");
	for (guint i = 1; i < 5; i++)
		assert_slice(&r, r.row.values + i, ""); /* non-strings read as "" */
	ck_assert(r.row.has_params);
	ck_assert_uint_eq(r.row.n_params, 3);
	assert_slice(&r, r.row.params, "k");
	assert_slice(&r, r.row.params + 1, "v");
	assert_slice(&r, r.row.params + 3, "");
	assert_slice(&r, r.row.params + 5, "");
	ck_assert_int_eq(r.row.create_time, 1700000000);
	ck_assert_int_eq(r.row.last_access_time, 42);
	ck_assert(r.row.has_write_id);
	ck_assert_int_eq(r.row.write_id, 12);
	ck_assert(r.row.has_stats_compliant && r.row.stats_compliant);
	g_autofree char *priv = g_strndup(r.row.privileges.str, r.row.privileges.len);
	ck_assert_str_eq(priv, "{\"userPrivileges\": {}}");
	read_row_clear(&r);

	static const char empty[] = " { } ";
	ck_assert(read_row(&r, empty, strlen(empty), NULL));
	ck_assert(!r.row.has_values && !r.row.has_params && r.row.privileges.str == NULL && !r.row.has_write_id);
	read_row_clear(&r);

	/* members of the wrong kind leave the field unset, as in the document path */
	static const char odd[] = "{\"Values\": \"x\", \"Parameters\": [1], \"Hive\": 3, \"CreationTime\": true}";
	ck_assert(read_row(&r, odd, strlen(odd), NULL));
	ck_assert(!r.row.has_values && !r.row.has_params && r.row.create_time == 0);
	read_row_clear(&r);
}
END_TEST

/* Escapes, \u escapes with surrogate pairs, a lone surrogate, raw UTF-8. */
START_TEST(test_string_escapes)
{
	static const char doc[] = "{\"Values\": [\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\", \"\\u00e9\\u65e5\","
	                          " \"\\ud83d\\ude00!\", \"\\udc00x\", \"caf\xc3\xa9\"]}";
	ReadRow r;
	g_autoptr(GError) err = NULL;
	ck_assert_msg(read_row(&r, doc, strlen(doc), &err), "%s", err ? err->message : "");
	ck_assert_uint_eq(r.row.n_values, 5);
	assert_slice(&r, 0, "q\"b\\s/n\nt\tr\rb\bf\f");
	assert_slice(&r, 1, "\xc3\xa9\xe6\x97\xa5");
	assert_slice(&r, 2, "\xf0\x9f\x98\x80!");
	assert_slice(&r, 3, "\xef\xbf\xbdx");
	assert_slice(&r, 4, "caf\xc3\xa9");
	read_row_clear(&r);
}
END_TEST

/* Malformed or truncated text is an error, never a read past the end. */
START_TEST(test_malformed_is_an_error)
{
	const char *bad[] = {
		"", "{", "{\"Values\": [", "{\"Values\": [\"a\"", "{\"a\" 1}", "{\"a\": 1,}", "{\"Values\": [\"\\u12\"]}",
		"{\"Values\": [\"\\x\"]}", "{\"a\": \"unterminated}", "[1]", "{\"a\": }", "{\"Parameters\": {\"k\": \"v\"",
		"{\"Hive\": {\"WriteId\": 123456789012345678901234567890123456789012345678901234567890123456789}}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		ReadRow r;
		g_autoptr(GError) err = NULL;
		gchar *copy = g_memdup2(bad[i], strlen(bad[i])); /* exactly len bytes: ASan sees any overread */
		ck_assert_msg(!read_row(&r, copy, strlen(bad[i]), &err), "accepted: %s", bad[i]);
		ck_assert(err != NULL && err->domain == STORE_ERROR);
		g_free(copy);
		read_row_clear(&r);
	}
	/* nesting past the limit inside a skipped member */
	GString *deep = g_string_new("{\"x\": ");
	for (int i = 0; i < 200; i++)
		g_string_append_c(deep, '[');
	for (int i = 0; i < 200; i++)
		g_string_append_c(deep, ']');
	g_string_append_c(deep, '}');
	ReadRow r;
	ck_assert(!read_row(&r, deep->str, deep->len, NULL));
	read_row_clear(&r);
	g_string_free(deep, TRUE);
	/* a valid document cut short at every length */
	static const char doc[] = "{\"Values\": [\"a\\u00e9\"], \"Parameters\": {\"k\": \"v\"}, \"CreationTime\": 5}";
	for (gsize n = 0; n + 1 < sizeof doc - 1; n++) {
		gchar *cut = g_memdup2(doc, n ? n : 1);
		ck_assert_msg(!read_row(&r, cut, n, NULL), "accepted %zu bytes", n);
		read_row_clear(&r);
		g_free(cut);
	}
}
END_TEST

/* ---- the encoder against the document path ---- */

static GByteArray *write_struct(ThriftStruct *obj)
{
	GByteArray *out = g_byte_array_new();
	ThriftTransport *t = thrift_buffer_new(NULL, 0, out);
	ThriftProtocol *p = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
	ck_assert_int_ge(thrift_struct_write(obj, p, NULL), 0);
	g_object_unref(p);
	g_object_unref(t);
	return out;
}

static JsonObject *parse(const char *text)
{
	g_autoptr(JsonNode) n = json_from_string(text, NULL);
	ck_assert(n != NULL && JSON_NODE_HOLDS_OBJECT(n));
	return json_object_ref(json_node_get_object(n));
}

/* Encodes doc_text with descriptor sd_text (NULL: none) at location both ways; bytes must match. */
static void assert_same_bytes(ThriftPartEncoder *enc, const char *doc_text, const char *sd_text, const char *location,
                              gint64 sd_id, gboolean hand_over)
{
	/* the document path: the stored document rebuilt as part_reader_doc does, stamped, translated */
	g_autoptr(JsonObject) doc = parse(doc_text);
	if (sd_text != NULL) {
		JsonObject *sd = parse(sd_text);
		if (location != NULL)
			json_object_set_string_member(sd, "Location", location);
		json_object_set_object_member(doc, "StorageDescriptor", sd);
	}
	json_object_set_string_member(doc, "DatabaseName", "db");
	json_object_set_string_member(doc, "TableName", "t\xc3\xa9");
	json_object_set_string_member(doc, "CatalogName", "hive");
	Partition *p = translate_partition_new_from_json(doc);
	g_autoptr(GByteArray) want = write_struct(THRIFT_STRUCT(p));
	g_object_unref(p);

	/* the row path */
	ReadRow r;
	ck_assert(read_row(&r, doc_text, strlen(doc_text), NULL));
	r.row.sd_id = sd_text ? sd_id : 0;
	if (location != NULL)
		r.row.location = (StoreSlice){location, strlen(location)};
	StorePartitionRows rows = {.rows = &r.row, .n = 1, .strs = (const StoreSlice *)(gpointer)r.strs->data};
	g_autoptr(JsonObject) shared = sd_text ? parse(sd_text) : NULL;
	CatalogPartitionSd sd = {sd_id, shared};
	CatalogPartitionRows batch = {"hive", "db", "t\xc3\xa9", &rows, FALSE, &sd, hand_over && sd_text ? 1 : 0};
	g_autoptr(GByteArray) got = g_byte_array_new();
	thrift_part_encoder_write(enc, &batch, got);
	read_row_clear(&r);
	ck_assert_msg(got->len == want->len && memcmp(got->data, want->data, got->len) == 0,
	              "bytes differ (%u vs %u) for %s", got->len, want->len, doc_text);
}

START_TEST(test_encoder_matches_document_path)
{
	propolis_gen_types_init();
	static const char sd_full[] =
		"{\"Columns\": [{\"Name\": \"id\", \"Type\": \"bigint\", \"Comment\": \"c\\u00e9\"}, {\"Name\": \"n\","
		" \"Type\": \"string\"}], \"InputFormat\": \"in\", \"OutputFormat\": \"out\", \"Compressed\": true,"
		" \"NumberOfBuckets\": 4, \"SerdeInfo\": {\"Name\": \"s\", \"SerializationLibrary\": \"lib\","
		" \"Parameters\": {\"a\": \"1\"}, \"Hive\": {\"Description\": \"d\", \"SerdeType\": \"HIVE\"}},"
		" \"BucketColumns\": [\"id\"], \"SortColumns\": [{\"Column\": \"id\", \"SortOrder\": 1}],"
		" \"Parameters\": {}, \"SkewedInfo\": {\"SkewedColumnNames\": [\"id\"], \"SkewedColumnValues\": [[\"1\"]],"
		" \"SkewedColumnValueLocationMaps\": {\"[\\\"1\\\"]\": \"file:/s\"}}, \"StoredAsSubDirectories\": false}";
	static const char sd_bare[] = "{\"Compressed\": false, \"NumberOfBuckets\": 0}";
	static const char sd_own_loc[] = "{\"Columns\": [], \"Location\": \"file:/shared\"}";
	ThriftPartEncoder *enc = thrift_part_encoder_new();
	const char *part = "{\"Values\": [\"2024\", \"a\\\"b\"], \"CreationTime\": 5, \"LastAccessTime\": 6,"
	                   " \"Parameters\": {\"transient_lastDdlTime\": \"5\"}}";
	assert_same_bytes(enc, part, sd_full, "file:/w/t/p=1", 1, TRUE);
	assert_same_bytes(enc, part, sd_full, "file:/w/t/p=2", 1, FALSE); /* the descriptor from the earlier batch */
	assert_same_bytes(enc, part, sd_full, NULL, 1, FALSE);
	assert_same_bytes(enc, part, sd_bare, "x", 2, TRUE);
	assert_same_bytes(enc, part, sd_own_loc, NULL, 3, TRUE);   /* the shared document's own Location */
	assert_same_bytes(enc, part, sd_own_loc, "mine", 3, FALSE);
	assert_same_bytes(enc, part, "{}", "y", 99, FALSE);         /* never handed over: rebuilt as the empty one */
	assert_same_bytes(enc, part, NULL, "ignored", 0, FALSE);     /* no descriptor */
	assert_same_bytes(enc, "{}", NULL, NULL, 0, FALSE);
	assert_same_bytes(enc, "{\"Values\": [], \"Parameters\": {}, \"Hive\": {\"WriteId\": 3, \"IsStatsCompliant\": false,"
	                       " \"Privileges\": {\"userPrivileges\": {\"u\": [{\"privilege\": \"ALL\", \"createTime\": 1,"
	                       " \"grantor\": \"g\", \"grantorType\": \"USER\", \"grantOption\": true}]}}}}",
	                  sd_bare, "z", 2, FALSE);
	thrift_part_encoder_free(enc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("partition_encode");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_members_and_their_readings);
	tcase_add_test(tc, test_string_escapes);
	tcase_add_test(tc, test_malformed_is_an_error);
	tcase_add_test(tc, test_encoder_matches_document_path);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
