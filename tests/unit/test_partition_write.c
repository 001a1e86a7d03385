/*
 * test_partition_write.c — add_partitions' row path without a server: the Thrift JSON that
 * thrift/partition_write.c writes for ADD_PARTITION's partitionListJson, compared byte for
 * byte with the document path (translate.c to a document, the catalog's stamps, back to a
 * Partition, the generated writer through thrift/json_protocol.c), plain and quoted; and
 * thrift_sd_same_layout, which decides which partitions share one stored descriptor.
 * Parameter maps hold at most one entry so that hash order cannot differ.
 */
#include <check.h>
#include <string.h>

#include "thrift/json_protocol.h"
#include "thrift/partition_write.h"

void propolis_gen_types_init(void);

static FieldSchema *col(const char *name, const char *type, const char *comment)
{
	FieldSchema *c = g_object_new(TYPE_FIELD_SCHEMA, NULL);
	c->name = g_strdup(name);
	c->__isset_name = TRUE;
	c->type = g_strdup(type);
	c->__isset_type = TRUE;
	if (comment) {
		c->comment = g_strdup(comment);
		c->__isset_comment = TRUE;
	}
	return c;
}

/* A partition as a Hive client sends it; location NULL leaves it unset. */
static Partition *make_partition(const char *v1, const char *v2, const char *location, gboolean with_sd,
                                 gboolean with_cols)
{
	Partition *p = g_object_new(TYPE_PARTITION, NULL);
	g_ptr_array_add(p->values, g_strdup(v1));
	g_ptr_array_add(p->values, g_strdup(v2));
	p->__isset_values = TRUE;
	p->dbName = g_strdup("DB");
	p->__isset_dbName = TRUE;
	p->tableName = g_strdup("Tbl");
	p->__isset_tableName = TRUE;
	p->lastAccessTime = 7;
	p->__isset_lastAccessTime = TRUE;
	g_hash_table_insert(p->parameters, g_strdup("transient_lastDdlTime"), g_strdup("1700000000"));
	p->__isset_parameters = TRUE;
	if (with_sd) {
		StorageDescriptor *sd = p->sd;
		if (with_cols) {
			g_ptr_array_add(sd->cols, col("id", "bigint", NULL));
			g_ptr_array_add(sd->cols, col("name \"quoted\"", "string", "a\ttab and ünïcode \x01"));
			sd->__isset_cols = TRUE;
		}
		if (location) {
			sd->location = g_strdup(location);
			sd->__isset_location = TRUE;
		}
		sd->inputFormat = g_strdup("org.apache.hadoop.mapred.TextInputFormat");
		sd->__isset_inputFormat = TRUE;
		sd->outputFormat = g_strdup("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
		sd->__isset_outputFormat = TRUE;
		sd->numBuckets = -1;
		sd->__isset_numBuckets = TRUE;
		sd->serdeInfo->serializationLib = g_strdup("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
		sd->serdeInfo->__isset_serializationLib = TRUE;
		g_hash_table_insert(sd->serdeInfo->parameters, g_strdup("serialization.format"), g_strdup("1"));
		sd->serdeInfo->__isset_parameters = TRUE;
		sd->__isset_serdeInfo = TRUE;
		g_ptr_array_add(sd->bucketCols, g_strdup("id"));
		sd->__isset_bucketCols = TRUE;
		p->__isset_sd = TRUE;
	}
	return p;
}

/* What the document path encodes for p after the catalog's stamps. */
static char *doc_path_tjson(Partition *p, const char *default_location, gint64 create_time)
{
	g_autoptr(JsonObject) doc = translate_partition_to_json(p);
	json_object_set_string_member(doc, "DatabaseName", "db");
	json_object_set_string_member(doc, "TableName", "tbl");
	json_object_set_int_member(doc, "CreationTime", create_time);
	JsonNode *sdn = json_object_get_member(doc, "StorageDescriptor");
	if (sdn && default_location)
		json_object_set_string_member(json_node_get_object(sdn), "Location", default_location);
	json_object_set_string_member(doc, "CatalogName", "hive");
	g_autoptr(GObject) back = (GObject *)translate_partition_new_from_json(doc);
	char *text = thrift_json_serialize(THRIFT_STRUCT(back), NULL);
	ck_assert_ptr_nonnull(text);
	return text;
}

/* The row path's text for p (plain and through the batch's quoted encoder) against the document path's. */
static void check_same(Partition *p, gboolean fill_default)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new();
	g_ptr_array_add(parts, p);
	ck_assert(thrift_part_write_applies(parts));
	g_autoptr(ThriftPartWrite) w = thrift_part_write_new(parts);
	CatalogPartitionBatch *b = thrift_part_write_batch(w);
	ck_assert_uint_eq(b->n, 1);
	CatalogPartitionNew *row = &b->rows[0];
	row->create_time = 1712345678;
	if (fill_default)
		row->default_location = g_strdup("file:/wh/db.db/tbl/a=x/b=y");
	g_autofree char *want = doc_path_tjson(p, row->default_location, row->create_time);
	g_autoptr(GString) got = g_string_new(NULL);
	thrift_part_write_tjson(w, row, "hive", "db", "tbl", got);
	ck_assert_str_eq(got->str, want);
	/* quoted: a JSON string whose value is the same text */
	g_autoptr(GString) q = g_string_new(NULL);
	b->encode(b->user, row, "hive", "db", "tbl", q);
	g_autofree char *wrapped = g_strdup_printf("[%s]", q->str);
	g_autoptr(JsonNode) node = json_from_string(wrapped, NULL);
	ck_assert_ptr_nonnull(node);
	ck_assert_str_eq(json_array_get_string_element(json_node_get_array(node), 0), want);
}

START_TEST(test_tjson_with_location)
{
	g_autoptr(GObject) p = (GObject *)make_partition("x", "y", "file:/elsewhere/p", TRUE, TRUE);
	check_same((Partition *)p, FALSE);
}
END_TEST

START_TEST(test_tjson_default_location)
{
	g_autoptr(GObject) p = (GObject *)make_partition("x", "y", NULL, TRUE, TRUE);
	check_same((Partition *)p, TRUE);
}
END_TEST

START_TEST(test_tjson_no_location_at_all)
{
	g_autoptr(GObject) p = (GObject *)make_partition("x", "y", NULL, TRUE, TRUE);
	check_same((Partition *)p, FALSE);
}
END_TEST

START_TEST(test_tjson_no_columns_and_escapes)
{
	g_autoptr(GObject) p = (GObject *)make_partition("a\"b\\c", "line\nnext\x02 ü", "s3://b/k=\"v\"", TRUE, FALSE);
	check_same((Partition *)p, FALSE);
}
END_TEST

START_TEST(test_tjson_no_descriptor)
{
	g_autoptr(GObject) p = (GObject *)make_partition("x", "y", NULL, FALSE, FALSE);
	check_same((Partition *)p, FALSE);
}
END_TEST

START_TEST(test_rows_share_layouts)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_object_unref);
	g_ptr_array_add(parts, make_partition("1", "a", "file:/t/1", TRUE, TRUE));
	g_ptr_array_add(parts, make_partition("2", "b", "file:/t/2", TRUE, TRUE)); /* location differs only */
	g_ptr_array_add(parts, make_partition("3", "c", NULL, TRUE, FALSE));        /* no columns */
	g_ptr_array_add(parts, make_partition("4", "d", NULL, FALSE, FALSE));       /* no descriptor */
	Partition *changed = make_partition("5", "e", "file:/t/5", TRUE, TRUE);
	g_hash_table_insert(changed->sd->serdeInfo->parameters, g_strdup("field.delim"), g_strdup(","));
	g_ptr_array_add(parts, changed);
	g_autoptr(ThriftPartWrite) w = thrift_part_write_new(parts);
	CatalogPartitionBatch *b = thrift_part_write_batch(w);
	ck_assert_uint_eq(b->n_sds, 3);
	ck_assert_uint_eq(b->rows[0].sd, 1);
	ck_assert_uint_eq(b->rows[1].sd, 1);
	ck_assert_uint_eq(b->rows[2].sd, 2);
	ck_assert_uint_eq(b->rows[3].sd, 0);
	ck_assert(!b->rows[3].has_sd);
	ck_assert_uint_eq(b->rows[4].sd, 3);
	ck_assert_str_eq(b->rows[1].location, "file:/t/2");
	ck_assert_ptr_null(strstr(b->sds[0], "file:/t/1")); /* the shared document leaves Location out */
}
END_TEST

START_TEST(test_same_layout_field_by_field)
{
	g_autoptr(GObject) ao = (GObject *)make_partition("1", "a", "file:/a", TRUE, TRUE);
	Partition *a = (Partition *)ao;
	for (int field = 0; field < 9; field++) {
		g_autoptr(GObject) bo = (GObject *)make_partition("1", "a", "file:/b", TRUE, TRUE);
		StorageDescriptor *sd = ((Partition *)bo)->sd;
		switch (field) {
		case 0: break; /* only the location differs: the same layout */
		case 1: g_free(((FieldSchema *)g_ptr_array_index(sd->cols, 1))->comment);
			((FieldSchema *)g_ptr_array_index(sd->cols, 1))->comment = g_strdup("other"); break;
		case 2: g_free(sd->inputFormat); sd->inputFormat = g_strdup("x"); break;
		case 3: sd->compressed = TRUE; break;
		case 4: sd->numBuckets = 4; break;
		case 5: g_hash_table_insert(sd->parameters, g_strdup("k"), g_strdup("v")); sd->__isset_parameters = TRUE; break;
		case 6: g_ptr_array_add(sd->bucketCols, g_strdup("name")); break;
		case 7: sd->__isset_storedAsSubDirectories = TRUE; break;
		case 8: g_free(sd->serdeInfo->serializationLib); sd->serdeInfo->serializationLib = g_strdup("y"); break;
		}
		ck_assert_msg(thrift_sd_same_layout(a->sd, sd) == (field == 0), "field case %d", field);
	}
}
END_TEST

START_TEST(test_rare_members_take_the_document_path)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_object_unref);
	g_ptr_array_add(parts, make_partition("1", "a", NULL, TRUE, TRUE));
	ck_assert(thrift_part_write_applies(parts));
	Partition *p = make_partition("2", "b", NULL, TRUE, TRUE);
	p->writeId = 5;
	p->__isset_writeId = TRUE;
	g_ptr_array_add(parts, p);
	ck_assert(!thrift_part_write_applies(parts));
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	ck_assert(!thrift_part_write_applies(none));
}
END_TEST

int main(void)
{
	propolis_gen_types_init();
	Suite *s = suite_create("partition_write");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_tjson_with_location);
	tcase_add_test(tc, test_tjson_default_location);
	tcase_add_test(tc, test_tjson_no_location_at_all);
	tcase_add_test(tc, test_tjson_no_columns_and_escapes);
	tcase_add_test(tc, test_tjson_no_descriptor);
	tcase_add_test(tc, test_rows_share_layouts);
	tcase_add_test(tc, test_same_layout_field_by_field);
	tcase_add_test(tc, test_rare_members_take_the_document_path);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
