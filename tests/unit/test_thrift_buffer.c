/*
 * test_thrift_buffer.c — the door's zero-copy transport (server/thrift/buffer.c) at the end of
 * the message: a read past the end must fail at once.
 *
 * Regression (found by tests/fuzz/fuzz_thrift_decode): buf_read returned 0 at the end, and
 * thrift_transport_read_all() retries short reads forever, so a message the scanner accepts
 * but the generated reader reads differently (a list<i64> declared as list<struct>) spun a
 * worker at 100% CPU for good. Check's default timeout turns such a spin into a failure.
 */
#include <check.h>
#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "thrift/buffer.h"
#include "thrift/handler.h"

START_TEST(test_read_past_end_fails)
{
	static const guint8 three[] = {1, 2, 3};
	g_autoptr(GByteArray) reply = g_byte_array_new();
	ThriftTransport *t = thrift_buffer_new(three, sizeof three, reply);
	ThriftProtocol *p = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
	gint64 v = 0;
	g_autoptr(GError) error = NULL;
	ck_assert_int_lt(thrift_protocol_read_i64(p, &v, &error), 0);
	ck_assert(error != NULL);
	g_object_unref(p);
	g_object_unref(t);
}
END_TEST

START_TEST(test_exact_reads_succeed)
{
	static const guint8 eight[] = {0, 0, 0, 0, 0, 0, 1, 0};
	g_autoptr(GByteArray) reply = g_byte_array_new();
	ThriftTransport *t = thrift_buffer_new(eight, sizeof eight, reply);
	ThriftProtocol *p = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
	gint64 v = 0;
	g_autoptr(GError) error = NULL;
	ck_assert_int_eq(thrift_protocol_read_i64(p, &v, &error), 8);
	ck_assert_int_eq(v, 256);
	gint8 b = 0;
	ck_assert_int_lt(thrift_protocol_read_byte(p, &b, &error), 0);
	g_object_unref(p);
	g_object_unref(t);
}
END_TEST

/*
 * The fuzzer's input (tests/fuzz/corpus/fuzz_thrift_decode/regress-read-past-end) as the scanner
 * cuts it: abort_compactions' args whose request declares compactionIds (list<i64>) as a list of
 * one empty struct. The scanner sees a complete message; the generated reader wants 8 bytes for
 * the i64 where 3 are left.
 */
START_TEST(test_mistyped_list_does_not_spin)
{
	static const guint8 body[] = {0x0c, 0x00, 0x01, 0x0f, 0x00, 0x01, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
	g_autoptr(GByteArray) reply = g_byte_array_new();
	ThriftTransport *t = thrift_buffer_new(body, sizeof body, reply);
	ThriftProtocol *p = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", t, NULL);
	ThriftStruct *args = g_object_new(TYPE_THRIFT_HIVE_METASTORE_ABORT_COMPACTIONS_ARGS, NULL);
	g_autoptr(GError) error = NULL;
	ck_assert_int_lt(thrift_struct_read(args, p, &error), 0);
	g_object_unref(args);
	g_object_unref(p);
	g_object_unref(t);
}
END_TEST

/* A string field (4 length bytes, then the bytes) read by the door's protocol. */
static gint32 read_text(const guint8 *bytes, gsize n, gchar **str, GError **error)
{
	g_autoptr(GByteArray) reply = g_byte_array_new();
	ThriftTransport *t = thrift_buffer_new(bytes, n, reply);
	ThriftProtocol *p = thrift_safe_protocol_new(t);
	gint32 ret = thrift_protocol_read_string(p, str, error);
	g_object_unref(p);
	g_object_unref(t);
	return ret;
}

/* Issue 15: a NUL inside a string cut the name a C string shows ("nul\0x" became "nul"). */
START_TEST(test_read_string_refuses_nul_and_bad_utf8)
{
	static const guint8 nul[] = {0, 0, 0, 5, 'n', 'u', 'l', 0, 'x'};
	static const guint8 bad[] = {0, 0, 0, 2, 'a', 0xff};
	static const guint8 cut[] = {0, 0, 0, 3, 'a', 0xc3, 'b'};
	static const guint8 good[] = {0, 0, 0, 3, 'c', 0xc3, 0xa9};
	const guint8 *refused[] = {nul, bad, cut};
	const gsize sizes[] = {sizeof nul, sizeof bad, sizeof cut};
	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		gchar *s = (gchar *)"untouched";
		g_autoptr(GError) error = NULL;
		ck_assert_int_lt(read_text(refused[i], sizes[i], &s, &error), 0);
		ck_assert_ptr_null(s);
		ck_assert(g_error_matches(error, THRIFT_TEXT_ERROR, 0));
	}
	g_autofree gchar *s = NULL;
	g_autoptr(GError) error = NULL;
	ck_assert_int_eq(read_text(good, sizeof good, &s, &error), 7);
	ck_assert_str_eq(s, "c\xc3\xa9");
	ck_assert(thrift_text_ok("", 0));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("thrift_buffer");
	TCase *tc = tcase_create("end");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_read_past_end_fails);
	tcase_add_test(tc, test_exact_reads_succeed);
	tcase_add_test(tc, test_mistyped_list_does_not_spin);
	tcase_add_test(tc, test_read_string_refuses_nul_and_bad_utf8);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
