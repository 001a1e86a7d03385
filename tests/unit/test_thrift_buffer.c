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

int main(void)
{
	Suite *s = suite_create("thrift_buffer");
	TCase *tc = tcase_create("end");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_read_past_end_fails);
	tcase_add_test(tc, test_exact_reads_succeed);
	tcase_add_test(tc, test_mistyped_list_does_not_spin);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
