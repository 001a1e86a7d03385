/*
 * test_net_scan.c — the Thrift message scanner (server/net/scan.c) on raw bytes.
 *
 * Proves STYLE.md habit 7 (resumable decoder, sizes never trusted: every message fed whole and
 * one byte at a time gives the same length; a 2 GB declared string with 10 bytes behind it is
 * only waited for or refused) and habit 9 (each limit at its edge: limit passes, limit + 1
 * fails with an error naming the config key).
 */
#include <check.h>
#include <string.h>

#include "common/error.h"
#include "net/scan.h"
#include "net_msg.h"

static const NetScanLimits wide = { 1 << 20, 65536, 1000, 32 };
static const NetScanLimits tight = { 1000, 100, 10, 4 };

/* Feeds buf whole to a fresh scanner. */
static NetScanStatus scan_whole(const NetScanLimits *limits, const guint8 *buf, gsize len, gsize *out, GError **error)
{
	g_autoptr(NetScanner) s = net_scanner_new(limits);
	return net_scanner_feed(s, buf, len, out, error);
}

/* Feeds growing prefixes 1..len; every prefix but the whole must be NEED_MORE. */
static void check_bytewise(const NetScanLimits *limits, const GByteArray *m)
{
	g_autoptr(NetScanner) s = net_scanner_new(limits);
	gsize out = 0;
	for (gsize i = 1; i < m->len; i++) {
		g_autoptr(GError) error = NULL;
		ck_assert_int_eq(net_scanner_feed(s, m->data, i, &out, &error), NET_SCAN_NEED_MORE);
	}
	ck_assert_int_eq(net_scanner_feed(s, m->data, m->len, &out, NULL), NET_SCAN_DONE);
	ck_assert_uint_eq(out, m->len);
}

/* The message must scan to its exact length, whole, bytewise, and with the next message behind it. */
static void check_valid(const GByteArray *m)
{
	gsize out = 0;
	g_autoptr(GError) error = NULL;
	ck_assert_int_eq(scan_whole(&wide, m->data, m->len, &out, &error), NET_SCAN_DONE);
	ck_assert_uint_eq(out, m->len);
	check_bytewise(&wide, m);

	g_autoptr(GByteArray) two = g_byte_array_new();
	g_byte_array_append(two, m->data, m->len);
	g_byte_array_append(two, m->data, m->len);
	ck_assert_int_eq(scan_whole(&wide, two->data, two->len, &out, NULL), NET_SCAN_DONE);
	ck_assert_uint_eq(out, m->len);
}

/* The message must fail with code, and the error text must contain needle (the config key). */
static void check_error(const NetScanLimits *limits, const GByteArray *m, gint code, const char *needle)
{
	gsize out = 0;
	g_autoptr(GError) error = NULL;
	ck_assert_int_eq(scan_whole(limits, m->data, m->len, &out, &error), NET_SCAN_ERROR);
	ck_assert(g_error_matches(error, NET_ERROR, code));
	ck_assert_msg(strstr(error->message, needle), "'%s' lacks '%s'", error->message, needle);
}

static void check_ok(const NetScanLimits *limits, const GByteArray *m)
{
	gsize out = 0;
	g_autoptr(GError) error = NULL;
	NetScanStatus st = scan_whole(limits, m->data, m->len, &out, &error);
	ck_assert_msg(st == NET_SCAN_DONE, "status %d: %s", st, error ? error->message : "");
	ck_assert_uint_eq(out, m->len);
}

START_TEST(scan_empty_args_and_oneway)
{
	g_autoptr(GByteArray) m = g_byte_array_new();
	msg_begin(m, "get_all_databases", 1, 7);
	msg_u8(m, TT_STOP);
	check_valid(m);

	g_autoptr(GByteArray) o = g_byte_array_new();
	msg_begin(o, "", 4, -1);
	msg_u8(o, TT_STOP);
	check_valid(o);
}
END_TEST

START_TEST(scan_all_scalar_types)
{
	g_autoptr(GByteArray) m = g_byte_array_new();
	msg_begin(m, "scalars", 1, 1);
	msg_field(m, TT_BOOL, 1);
	msg_u8(m, 1);
	msg_field(m, TT_BYTE, 2);
	msg_u8(m, 0xff);
	msg_field(m, TT_I16, 3);
	msg_i16(m, -2);
	msg_field(m, TT_I32, 4);
	msg_i32(m, 123456);
	msg_field(m, TT_I64, 5);
	msg_i64(m, G_MININT64);
	msg_field(m, TT_DOUBLE, 6);
	msg_i64(m, 0x400921fb54442d18);
	msg_field(m, TT_STRING, 7);
	msg_string(m, "héllo", strlen("héllo"));
	msg_field(m, TT_STRING, 8);
	msg_string(m, "", 0);
	msg_u8(m, TT_STOP);
	check_valid(m);
}
END_TEST

START_TEST(scan_nested_structs_and_containers)
{
	g_autoptr(GByteArray) m = g_byte_array_new();
	msg_begin(m, "create_table", 1, 42);
	msg_field(m, TT_STRUCT, 1); /* Table */
	msg_field(m, TT_STRING, 1);
	msg_string(m, "t1", 2);
	msg_field(m, TT_STRUCT, 7); /* StorageDescriptor */
	msg_field(m, TT_LIST, 1);   /* cols: list<FieldSchema> */
	msg_u8(m, TT_STRUCT);
	msg_i32(m, 3);
	for (int i = 0; i < 3; i++) {
		msg_field(m, TT_STRING, 1);
		msg_string(m, "col", 3);
		msg_field(m, TT_STRING, 2);
		msg_string(m, "int", 3);
		msg_u8(m, TT_STOP);
	}
	msg_field(m, TT_MAP, 2); /* map<string, list<i32>> */
	msg_u8(m, TT_STRING);
	msg_u8(m, TT_LIST);
	msg_i32(m, 2);
	for (int i = 0; i < 2; i++) {
		msg_string(m, "k", 1);
		msg_u8(m, TT_I32);
		msg_i32(m, 2);
		msg_i32(m, 1);
		msg_i32(m, 2);
	}
	msg_field(m, TT_SET, 3);
	msg_u8(m, TT_I64);
	msg_i32(m, 2);
	msg_i64(m, 1);
	msg_i64(m, 2);
	msg_field(m, TT_MAP, 4); /* map<i32, struct> */
	msg_u8(m, TT_I32);
	msg_u8(m, TT_STRUCT);
	msg_i32(m, 1);
	msg_i32(m, 5);
	msg_field(m, TT_BOOL, 1);
	msg_u8(m, 0);
	msg_u8(m, TT_STOP);
	msg_field(m, TT_LIST, 5); /* empty list with element type 0 */
	msg_u8(m, 0);
	msg_i32(m, 0);
	msg_field(m, TT_MAP, 6); /* empty map */
	msg_u8(m, 0);
	msg_u8(m, 0);
	msg_i32(m, 0);
	msg_u8(m, TT_STOP); /* StorageDescriptor */
	msg_u8(m, TT_STOP); /* Table */
	msg_u8(m, TT_STOP); /* args */
	check_valid(m);
}
END_TEST

START_TEST(scan_limit_max_string_length)
{
	g_autoptr(GByteArray) ok = msg_call_with_string("m", 1, 100);
	g_autoptr(GByteArray) bad = msg_call_with_string("m", 1, 101);
	check_ok(&tight, ok);
	check_error(&tight, bad, NET_ERROR_LIMIT, "max_string_length exceeded: 101 > 100");

	/* the method name counts as a string too */
	g_autofree char *name_ok = g_strnfill(100, 'n');
	g_autofree char *name_bad = g_strnfill(101, 'n');
	g_autoptr(GByteArray) a = msg_call_with_string(name_ok, 1, 0);
	g_autoptr(GByteArray) b = msg_call_with_string(name_bad, 1, 0);
	check_ok(&tight, a);
	check_error(&tight, b, NET_ERROR_LIMIT, "max_string_length");
}
END_TEST

/* A message whose args hold one container of type ctype with n i32 elements (or entries). */
static GByteArray *msg_with_container(guint8 ctype, gint32 n)
{
	GByteArray *m = g_byte_array_new();
	msg_begin(m, "m", 1, 1);
	msg_field(m, ctype, 1);
	msg_u8(m, TT_I32);
	if (ctype == TT_MAP)
		msg_u8(m, TT_I32);
	msg_i32(m, n);
	for (gint32 i = 0; i < n * (ctype == TT_MAP ? 2 : 1); i++)
		msg_i32(m, i);
	msg_u8(m, TT_STOP);
	return m;
}

START_TEST(scan_limit_max_list_length)
{
	const guint8 types[] = { TT_LIST, TT_SET, TT_MAP };
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		g_autoptr(GByteArray) ok = msg_with_container(types[i], 10);
		g_autoptr(GByteArray) bad = msg_with_container(types[i], 11);
		check_ok(&tight, ok);
		check_error(&tight, bad, NET_ERROR_LIMIT, "max_list_length exceeded: 11 > 10");
	}
}
END_TEST

/* args + (depth - 1) nested structs. */
static GByteArray *msg_with_depth(guint depth)
{
	GByteArray *m = g_byte_array_new();
	msg_begin(m, "m", 1, 1);
	for (guint i = 1; i < depth; i++)
		msg_field(m, TT_STRUCT, 1);
	for (guint i = 0; i < depth; i++)
		msg_u8(m, TT_STOP);
	return m;
}

START_TEST(scan_limit_max_nesting_depth)
{
	g_autoptr(GByteArray) ok = msg_with_depth(4);
	g_autoptr(GByteArray) bad = msg_with_depth(5);
	check_ok(&tight, ok);
	check_error(&tight, bad, NET_ERROR_LIMIT, "max_nesting_depth exceeded: 5 > 4");

	/* containers count as levels too: args > list > struct > list > (5th) struct */
	g_autoptr(GByteArray) m = g_byte_array_new();
	msg_begin(m, "m", 1, 1);
	msg_field(m, TT_LIST, 1);
	msg_u8(m, TT_STRUCT);
	msg_i32(m, 1);
	msg_field(m, TT_LIST, 1);
	msg_u8(m, TT_STRUCT);
	msg_i32(m, 1);
	msg_u8(m, TT_STOP);
	msg_u8(m, TT_STOP);
	msg_u8(m, TT_STOP);
	check_error(&tight, m, NET_ERROR_LIMIT, "max_nesting_depth");
}
END_TEST

START_TEST(scan_limit_max_message_size)
{
	NetScanLimits limits = { 1000, 65536, 10, 4 };
	/* header "m" is 13 bytes; field 3 + length 4 + n + stop 1 */
	g_autoptr(GByteArray) ok = msg_call_with_string("m", 1, 1000 - 21);
	g_autoptr(GByteArray) bad = msg_call_with_string("m", 1, 1000 - 20);
	ck_assert_uint_eq(ok->len, 1000);
	check_ok(&limits, ok);
	check_error(&limits, bad, NET_ERROR_LIMIT, "max_message_size exceeded: 1001 > 1000");
	/* refused as soon as a declared length is read, before the bytes it announces arrive */
	g_autoptr(GByteArray) worse = msg_call_with_string("m", 1, 1000 - 19);
	gsize out;
	g_autoptr(GError) error = NULL;
	ck_assert_int_eq(scan_whole(&limits, worse->data, 24, &out, &error), NET_SCAN_ERROR);
	ck_assert(g_error_matches(error, NET_ERROR, NET_ERROR_LIMIT));
}
END_TEST

START_TEST(scan_huge_declared_string_allocates_nothing)
{
	g_autoptr(GByteArray) m = g_byte_array_new();
	msg_begin(m, "m", 1, 1);
	msg_field(m, TT_STRING, 1);
	msg_i32(m, G_MAXINT32);
	g_byte_array_append(m, (const guint8 *)"0123456789", 10);

	check_error(&wide, m, NET_ERROR_LIMIT, "max_string_length");
	/* with every limit wide open it just waits: nothing was sized from the declaration */
	NetScanLimits open = { G_MAXUINT, G_MAXUINT, G_MAXUINT, 8 };
	gsize out;
	ck_assert_int_eq(scan_whole(&open, m->data, m->len, &out, NULL), NET_SCAN_NEED_MORE);
}
END_TEST

START_TEST(scan_garbage_is_protocol_error)
{
	g_autoptr(GByteArray) http = g_byte_array_new();
	g_byte_array_append(http, (const guint8 *)"GET / HTTP/1.1\r\n", 16);
	check_error(&wide, http, NET_ERROR_PROTOCOL, "not a strict");

	g_autoptr(GByteArray) type5 = g_byte_array_new();
	msg_begin(type5, "m", 5, 1);
	msg_u8(type5, TT_STOP);
	check_error(&wide, type5, NET_ERROR_PROTOCOL, "message type");

	const guint8 bad_types[] = { 1, 5, 7, 9, 16, 17, 0xff };
	for (guint i = 0; i < G_N_ELEMENTS(bad_types); i++) {
		g_autoptr(GByteArray) m = g_byte_array_new();
		msg_begin(m, "m", 1, 1);
		msg_field(m, bad_types[i], 1);
		msg_i64(m, 0);
		msg_u8(m, TT_STOP);
		check_error(&wide, m, NET_ERROR_PROTOCOL, "unknown field type");
	}

	g_autoptr(GByteArray) neg = g_byte_array_new();
	msg_begin(neg, "m", 1, 1);
	msg_field(neg, TT_STRING, 1);
	msg_i32(neg, -1);
	check_error(&wide, neg, NET_ERROR_PROTOCOL, "negative string length");

	g_autoptr(GByteArray) negl = msg_with_container(TT_LIST, 0);
	negl->data[negl->len - 5] = 0xff; /* count 0 -> 0xff000000, negative */
	check_error(&wide, negl, NET_ERROR_PROTOCOL, "negative container size");

	g_autoptr(GByteArray) elem = msg_with_container(TT_LIST, 1);
	elem->data[16] = 99; /* element type */
	check_error(&wide, elem, NET_ERROR_PROTOCOL, "unknown element type");
}
END_TEST

START_TEST(scan_truncated_needs_more)
{
	g_autoptr(GByteArray) m = msg_with_container(TT_MAP, 3);
	gsize out;
	for (gsize n = 0; n < m->len; n++)
		ck_assert_int_eq(scan_whole(&wide, m->data, n, &out, NULL), NET_SCAN_NEED_MORE);
	check_bytewise(&tight, m);
}
END_TEST

START_TEST(scan_header_parser)
{
	g_autoptr(GByteArray) m = msg_call_with_string("get_table", 77, 5);
	NetMsgHeader h;
	ck_assert(net_scan_header(m->data, m->len, &h));
	ck_assert_uint_eq(h.name_len, 9);
	ck_assert(memcmp(h.name, "get_table", 9) == 0);
	ck_assert_uint_eq(h.type, NET_MSG_CALL);
	ck_assert_int_eq(h.seqid, 77);
	ck_assert(!net_scan_header(m->data, 20, &h));
	ck_assert(!net_scan_header((const guint8 *)"GET / HTTP/1.1\r\n", 16, &h));
}
END_TEST

static Suite *scan_suite(void)
{
	Suite *s = suite_create("net_scan");
	TCase *tc = tcase_create("scan");
	tcase_add_test(tc, scan_empty_args_and_oneway);
	tcase_add_test(tc, scan_all_scalar_types);
	tcase_add_test(tc, scan_nested_structs_and_containers);
	tcase_add_test(tc, scan_limit_max_string_length);
	tcase_add_test(tc, scan_limit_max_list_length);
	tcase_add_test(tc, scan_limit_max_nesting_depth);
	tcase_add_test(tc, scan_limit_max_message_size);
	tcase_add_test(tc, scan_huge_declared_string_allocates_nothing);
	tcase_add_test(tc, scan_garbage_is_protocol_error);
	tcase_add_test(tc, scan_truncated_needs_more);
	tcase_add_test(tc, scan_header_parser);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scan_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
