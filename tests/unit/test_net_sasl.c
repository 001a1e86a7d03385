/*
 * test_net_sasl.c — the SASL PLAIN negotiation parser (server/net/sasl.c) on raw bytes.
 *
 * Proves STYLE.md habit 7 for the first bytes of a sasl-plain listener (every stream fed
 * whole and one byte at a time gives the same verdict and credentials; a declared length is
 * refused before its payload is waited for) and habit 9 for max_sasl_message (limit passes,
 * limit + 1 fails naming the key); the message shapes of Python's and Java's TSaslTransport;
 * refusals get BAD (mechanism, malformed response) or ERROR (framing) as Thrift's server does.
 */
#include <check.h>
#include <string.h>

#include "common/error.h"
#include "net/sasl.h"

/* Appends one negotiation message with a binary payload. */
static void msg(GByteArray *b, guint8 status, const void *payload, guint32 len)
{
	guint8 head[5] = {status, len >> 24, len >> 16, len >> 8, len};
	g_byte_array_append(b, head, 5);
	g_byte_array_append(b, payload, len);
}

typedef struct {
	NetSaslResult result;
	guint8 status;
	gint code;
	char message[256];
	gsize consumed;
	NetSasl sasl;
} Verdict;

/* Drives the parser as the loop does, step bytes at a time (0: whole), until a verdict. */
static Verdict feed(const GByteArray *stream, gsize step, guint max)
{
	Verdict v = {.result = NET_SASL_NEED_MORE};
	g_autoptr(GByteArray) in = g_byte_array_new();
	net_sasl_init(&v.sasl, max);
	for (gsize off = 0; off < stream->len && v.result == NET_SASL_NEED_MORE;) {
		gsize n = step == 0 ? stream->len : MIN(step, stream->len - off);
		g_byte_array_append(in, stream->data + off, (guint)n);
		off += n;
		g_autoptr(GError) error = NULL;
		gsize consumed = 0;
		v.result = net_sasl_feed(&v.sasl, in->data, in->len, &consumed, &v.status, &error);
		if (error) {
			v.code = error->code;
			g_strlcpy(v.message, error->message, sizeof v.message);
		}
		g_byte_array_remove_range(in, 0, (guint)consumed);
		v.consumed += consumed;
	}
	return v;
}

/* Whole and byte-at-a-time must agree; returns the whole verdict. */
static Verdict feed_both(const GByteArray *stream, guint max)
{
	Verdict whole = feed(stream, 0, max), bytewise = feed(stream, 1, max);
	ck_assert_int_eq(whole.result, bytewise.result);
	ck_assert_int_eq(whole.status, bytewise.status);
	ck_assert_str_eq(whole.message, bytewise.message);
	ck_assert_str_eq(whole.sasl.user, bytewise.sasl.user);
	ck_assert_str_eq(whole.sasl.password, bytewise.sasl.password);
	return whole;
}

START_TEST(sasl_python_client_start_then_ok)
{
	g_autoptr(GByteArray) b = g_byte_array_new();
	msg(b, NET_SASL_START, "PLAIN", 5);
	msg(b, NET_SASL_OK, "\0alice\0s3cret", 13);
	Verdict v = feed_both(b, 8192);
	ck_assert_int_eq(v.result, NET_SASL_CREDENTIALS);
	ck_assert_str_eq(v.sasl.user, "alice");
	ck_assert_str_eq(v.sasl.password, "s3cret");
	ck_assert_uint_eq(v.consumed, b->len);
}
END_TEST

START_TEST(sasl_java_client_complete_with_authzid_and_next_frame)
{
	g_autoptr(GByteArray) b = g_byte_array_new();
	msg(b, NET_SASL_START, "PLAIN", 5);
	msg(b, NET_SASL_COMPLETE, "alice\0alice\0pw", 14);
	gsize negotiation = b->len;
	g_byte_array_append(b, (const guint8 *)"\0\0\0\x0c\x80\x01", 6); /* the first Thrift frame, not consumed */
	Verdict v = feed(b, 0, 8192);
	ck_assert_int_eq(v.result, NET_SASL_CREDENTIALS);
	ck_assert_uint_eq(v.consumed, negotiation);
	ck_assert_str_eq(v.sasl.user, "alice");
	ck_assert_str_eq(v.sasl.password, "pw");
}
END_TEST

START_TEST(sasl_refusals_bad_and_error)
{
	static const struct {
		const char *start, *response; /* NULL response: the stream is only START (or raw bytes) */
		gsize response_len;
		guint8 status;
		const char *needle;
	} cases[] = {
		{"GSSAPI", NULL, 0, NET_SASL_BAD, "Unsupported mechanism type GSSAPI"},
		{"PLAIN", "alice\0pw", 8, NET_SASL_BAD, "Invalid message format"},
		{"PLAIN", "\0alice\0p\0w", 10, NET_SASL_BAD, "Invalid message format"},
		{"PLAIN", "\0\0pw", 4, NET_SASL_BAD, "empty user"},
		{"PLAIN", "root\0alice\0pw", 13, NET_SASL_BAD, "authorization identity"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GByteArray) b = g_byte_array_new();
		msg(b, NET_SASL_START, cases[i].start, (guint32)strlen(cases[i].start));
		if (cases[i].response)
			msg(b, NET_SASL_OK, cases[i].response, (guint32)cases[i].response_len);
		Verdict v = feed_both(b, 8192);
		ck_assert_int_eq(v.result, NET_SASL_FAILED);
		ck_assert_int_eq(v.status, cases[i].status);
		ck_assert_msg(strstr(v.message, cases[i].needle) != NULL, "case %u: %s", i, v.message);
		ck_assert_str_eq(v.sasl.password, "");
	}
}
END_TEST

START_TEST(sasl_framing_errors_refused_at_the_first_byte)
{
	/* A Thrift client without SASL: refused by the status byte, before a length is read. */
	static const guint8 unframed[] = {0x80, 0x01, 0x00, 0x01};
	g_autoptr(GByteArray) b = g_byte_array_new();
	g_byte_array_append(b, unframed, 1);
	Verdict v = feed(b, 0, 8192);
	ck_assert_int_eq(v.result, NET_SASL_FAILED);
	ck_assert_int_eq(v.status, NET_SASL_ERROR);
	ck_assert_int_eq(v.code, NET_ERROR_PROTOCOL);
	ck_assert(strstr(v.message, "expected SASL START") != NULL);
	/* After START, only OK or COMPLETE. */
	g_autoptr(GByteArray) c = g_byte_array_new();
	msg(c, NET_SASL_START, "PLAIN", 5);
	msg(c, NET_SASL_BAD, "x", 1);
	v = feed_both(c, 8192);
	ck_assert_int_eq(v.status, NET_SASL_ERROR);
	ck_assert(strstr(v.message, "expected SASL OK or COMPLETE") != NULL);
}
END_TEST

START_TEST(sasl_limit_max_sasl_message)
{
	guint max = 1024;
	g_autoptr(GByteArray) at = g_byte_array_new();
	g_autofree char *mech = g_strnfill(max, 'M');
	msg(at, NET_SASL_START, mech, max); /* read whole, then refused as a mechanism: the limit let it in */
	Verdict v = feed_both(at, max);
	ck_assert_int_eq(v.status, NET_SASL_BAD);
	ck_assert_uint_eq(v.consumed, at->len);
	/* One byte more: refused by the declared length alone; the payload is never waited for. */
	guint8 over[5] = {NET_SASL_START, 0, 0, (max + 1) >> 8, (max + 1) & 0xff};
	g_autoptr(GByteArray) b = g_byte_array_new();
	g_byte_array_append(b, over, 5);
	v = feed(b, 0, max);
	ck_assert_int_eq(v.result, NET_SASL_FAILED);
	ck_assert_int_eq(v.status, NET_SASL_ERROR);
	ck_assert_int_eq(v.code, NET_ERROR_LIMIT);
	ck_assert_str_eq(v.message, "max_sasl_message exceeded: 1025 > 1024 bytes");
	/* A 2 GB declaration is refused the same way. */
	guint8 huge[5] = {NET_SASL_START, 0x7f, 0xff, 0xff, 0xff};
	g_byte_array_set_size(b, 0);
	g_byte_array_append(b, huge, 5);
	ck_assert_int_eq(feed(b, 0, max).code, NET_ERROR_LIMIT);
}
END_TEST

START_TEST(sasl_fields_at_rfc_limit)
{
	g_autofree char *user = g_strnfill(NET_SASL_FIELD_MAX, 'u');
	g_autofree char *pass = g_strnfill(NET_SASL_FIELD_MAX + 1, 'p');
	g_autoptr(GByteArray) b = g_byte_array_new();
	g_autoptr(GByteArray) r = g_byte_array_new();
	g_byte_array_append(r, (const guint8 *)"\0", 1);
	g_byte_array_append(r, (const guint8 *)user, NET_SASL_FIELD_MAX);
	g_byte_array_append(r, (const guint8 *)"\0", 1);
	g_byte_array_append(r, (const guint8 *)pass, NET_SASL_FIELD_MAX);
	msg(b, NET_SASL_START, "PLAIN", 5);
	msg(b, NET_SASL_OK, r->data, r->len);
	Verdict v = feed_both(b, 8192);
	ck_assert_int_eq(v.result, NET_SASL_CREDENTIALS);
	ck_assert_uint_eq(strlen(v.sasl.password), NET_SASL_FIELD_MAX);
	g_byte_array_append(r, (const guint8 *)"p", 1); /* 256 bytes of password */
	g_byte_array_set_size(b, 0);
	msg(b, NET_SASL_START, "PLAIN", 5);
	msg(b, NET_SASL_OK, r->data, r->len);
	v = feed_both(b, 8192);
	ck_assert_int_eq(v.result, NET_SASL_FAILED);
	ck_assert_int_eq(v.status, NET_SASL_BAD);
}
END_TEST

START_TEST(sasl_encode_and_clear)
{
	g_autoptr(GByteArray) b = g_byte_array_new();
	net_sasl_encode(b, NET_SASL_COMPLETE, NULL);
	net_sasl_encode(b, NET_SASL_BAD, "no");
	static const guint8 want[] = {5, 0, 0, 0, 0, 3, 0, 0, 0, 2, 'n', 'o'};
	ck_assert_uint_eq(b->len, sizeof want);
	ck_assert_mem_eq(b->data, want, sizeof want);
	NetSasl s;
	net_sasl_init(&s, 0);
	ck_assert_uint_eq(s.max_message, 8192);
	g_strlcpy(s.password, "secret", sizeof s.password);
	net_sasl_clear(&s);
	ck_assert_str_eq(s.password, "");
}
END_TEST

static Suite *sasl_suite(void)
{
	Suite *s = suite_create("net_sasl");
	TCase *tc = tcase_create("sasl");
	tcase_add_test(tc, sasl_python_client_start_then_ok);
	tcase_add_test(tc, sasl_java_client_complete_with_authzid_and_next_frame);
	tcase_add_test(tc, sasl_refusals_bad_and_error);
	tcase_add_test(tc, sasl_framing_errors_refused_at_the_first_byte);
	tcase_add_test(tc, sasl_limit_max_sasl_message);
	tcase_add_test(tc, sasl_fields_at_rfc_limit);
	tcase_add_test(tc, sasl_encode_and_clear);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sasl_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
