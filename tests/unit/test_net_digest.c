/*
 * test_net_digest.c — SASL DIGEST-MD5 server steps (server/net/digest.c) and the multi-step
 * side of the SASL parser (server/net/sasl.c: GSSAPI and DIGEST-MD5 messages handed out as steps).
 *
 * The full exchange against pure-sasl's real client runs in tests/integration/
 * test_thrift_kerberos.py; here: the directive parser (quoted strings, escapes, duplicates),
 * the challenge, a response computed independently with RFC 2831's formula accepted and
 * answered with rspauth, and each refusal (realm, digest-uri, nonce, nc, response, lookup).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "net/digest.h"
#include "net/sasl.h"

static char *h(const char *s)
{
	return g_compute_checksum_for_string(G_CHECKSUM_MD5, s, -1);
}

/* RFC 2831 response, written out separately from digest.c. */
static char *rfc_response(const char *user, const char *pw, const char *nonce, const char *cnonce, const char *uri,
                          gboolean rsp)
{
	g_autofree char *up = g_strdup_printf("%s:default:%s", user, pw);
	guint8 key[16];
	gsize klen = 16;
	g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_MD5);
	g_checksum_update(c, (const guint8 *)up, -1);
	g_checksum_get_digest(c, key, &klen);
	g_autoptr(GChecksum) a1 = g_checksum_new(G_CHECKSUM_MD5);
	g_checksum_update(a1, key, 16);
	g_autofree char *tail = g_strdup_printf(":%s:%s", nonce, cnonce);
	g_checksum_update(a1, (const guint8 *)tail, -1);
	g_autofree char *a2 = g_strdup_printf("%s:%s", rsp ? "" : "AUTHENTICATE", uri);
	g_autofree char *ha2 = h(a2);
	g_autofree char *all = g_strdup_printf("%s:%s:00000001:%s:auth:%s", g_checksum_get_string(a1), nonce, cnonce, ha2);
	return h(all);
}

static int lookups;

static char *lookup(gpointer data, const char *username, char **principal, GError **error)
{
	lookups++;
	if (strcmp(username, "dXNlcg==") != 0) {
		g_set_error_literal(error, NET_ERROR, NET_ERROR_PROTOCOL, "token expired or does not exist");
		return NULL;
	}
	*principal = g_strdup("alice");
	return g_strdup("cGFzcw==");
}

/* Runs the challenge step; returns the nonce. */
static char *challenge(NetDigest *d)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	char *p = NULL, *u = NULL;
	ck_assert_int_eq(net_digest_step(d, NULL, 0, out, lookup, NULL, &p, &u, &error), NET_GSS_CONTINUE);
	g_autoptr(GHashTable) c = net_digest_parse((const char *)out->data, out->len);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(g_hash_table_lookup(c, "realm"), "default");
	ck_assert_str_eq(g_hash_table_lookup(c, "qop"), "auth");
	ck_assert_str_eq(g_hash_table_lookup(c, "algorithm"), "md5-sess");
	return g_strdup(g_hash_table_lookup(c, "nonce"));
}

/* Sends a response with the given fields; returns the result and fills rspauth/error text. */
static NetGssResult respond(const char *user, const char *realm, const char *uri, gboolean right_nonce, const char *nc,
                            gboolean right_resp, char **answer, char **why)
{
	NetDigest *d = net_digest_new();
	g_autofree char *nonce = challenge(d);
	g_autofree char *resp = rfc_response(user, "cGFzcw==", nonce, "cn0", uri, FALSE);
	if (!right_resp)
		resp[0] = resp[0] == '0' ? '1' : '0';
	g_autofree char *msg = g_strdup_printf("username=\"%s\",realm=\"%s\",nonce=\"%s\",cnonce=\"cn0\",nc=%s,qop=auth,"
	                                       "digest-uri=\"%s\",response=%s,charset=utf-8",
	                                       user, realm, right_nonce ? nonce : "other", nc, uri, resp);
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *p = NULL, *u = NULL;
	NetGssResult r = net_digest_step(d, (const guint8 *)msg, strlen(msg), out, lookup, NULL, &p, &u, &error);
	*answer = out->len ? g_strndup((const char *)out->data, out->len) : g_strdup("");
	*why = g_strdup(error ? error->message : "");
	if (r == NET_GSS_COMPLETE) {
		ck_assert_str_eq(p, "alice");
		g_autoptr(GError) again = NULL;
		g_autoptr(GByteArray) more = g_byte_array_new();
		g_autofree char *p2 = NULL, *u2 = NULL;
		ck_assert_int_eq(net_digest_step(d, (const guint8 *)"x", 1, more, lookup, NULL, &p2, &u2, &again),
		                 NET_GSS_FAILED);
	}
	net_digest_free(d);
	return r;
}

START_TEST(test_directives)
{
	const char *t = "a=1, b=\"x,\\\"y\\\"\",c=  z ";
	g_autoptr(GHashTable) d = net_digest_parse(t, strlen(t));
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(g_hash_table_lookup(d, "a"), "1");
	ck_assert_str_eq(g_hash_table_lookup(d, "b"), "x,\"y\"");
	ck_assert_str_eq(g_hash_table_lookup(d, "c"), "z");
	ck_assert_ptr_null(net_digest_parse("a=1,a=2", 7));
	ck_assert_ptr_null(net_digest_parse("a=\"open", 7));
	ck_assert_ptr_null(net_digest_parse("novalue", 7));
}
END_TEST

START_TEST(test_right_response_gets_rspauth)
{
	g_autofree char *answer = NULL, *why = NULL;
	ck_assert_int_eq(respond("dXNlcg==", "default", "null/default", TRUE, "00000001", TRUE, &answer, &why),
	                 NET_GSS_COMPLETE);
	ck_assert(g_str_has_prefix(answer, "rspauth="));
	ck_assert_int_eq(strlen(answer), 8 + 32);
}
END_TEST

START_TEST(test_refusals)
{
	static const struct {
		const char *user, *realm, *uri, *nc;
		gboolean nonce, resp;
		const char *why;
	} cases[] = {
		{"dXNlcg==", "elsewhere", "null/default", "00000001", TRUE, TRUE, "Nonexistent realm: elsewhere"},
		{"dXNlcg==", "default", "hive/host", "00000001", TRUE, TRUE, "Mismatched URI: hive/host; expecting: null/default"},
		{"dXNlcg==", "default", "null/default", "00000001", FALSE, TRUE, "Mismatched nonce"},
		{"dXNlcg==", "default", "null/default", "00000002", TRUE, TRUE, "Mismatched nonce or nc"},
		{"dXNlcg==", "default", "null/default", "00000001", TRUE, FALSE, "Mismatched response."},
		{"b3RoZXI=", "default", "null/default", "00000001", TRUE, TRUE, "token expired or does not exist"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *answer = NULL, *why = NULL;
		ck_assert_int_eq(respond(cases[i].user, cases[i].realm, cases[i].uri, cases[i].nonce, cases[i].nc,
		                         cases[i].resp, &answer, &why),
		                 NET_GSS_FAILED);
		ck_assert_msg(strstr(why, cases[i].why) != NULL, "case %u: %s", i, why);
		ck_assert_str_eq(answer, "");
	}
}
END_TEST

START_TEST(test_sasl_hands_out_steps)
{
	NetSasl s;
	net_sasl_init_mechs(&s, 0, NET_SASL_MECH_GSSAPI | NET_SASL_MECH_DIGEST);
	g_autoptr(GByteArray) in = g_byte_array_new();
	net_sasl_encode(in, NET_SASL_START, "DIGEST-MD5");
	net_sasl_encode_bytes(in, NET_SASL_OK, NULL, 0);
	gsize used = 0;
	guint8 st = 0;
	g_autoptr(GError) error = NULL;
	ck_assert_int_eq(net_sasl_feed(&s, in->data, in->len, &used, &st, &error), NET_SASL_STEP);
	ck_assert_int_eq(s.mech, NET_SASL_MECH_DIGEST);
	ck_assert_int_eq(s.step_len, 0);
	ck_assert_int_eq(used, in->len);
	g_byte_array_set_size(in, 0);
	net_sasl_encode(in, NET_SASL_OK, "token-bytes");
	ck_assert_int_eq(net_sasl_feed(&s, in->data, in->len, &used, &st, &error), NET_SASL_STEP);
	ck_assert_int_eq(s.step_len, 11);

	NetSasl p;
	net_sasl_init_mechs(&p, 0, NET_SASL_MECH_GSSAPI);
	g_byte_array_set_size(in, 0);
	net_sasl_encode(in, NET_SASL_START, "PLAIN");
	ck_assert_int_eq(net_sasl_feed(&p, in->data, in->len, &used, &st, &error), NET_SASL_FAILED);
	ck_assert_int_eq(st, NET_SASL_BAD);
	ck_assert(strstr(error->message, "Unsupported mechanism type PLAIN") != NULL);
	g_clear_error(&error);
	net_sasl_init(&p, 0);
	g_byte_array_set_size(in, 0);
	net_sasl_encode(in, NET_SASL_START, "GSSAPI");
	ck_assert_int_eq(net_sasl_feed(&p, in->data, in->len, &used, &st, &error), NET_SASL_FAILED);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("net_digest");
	TCase *tc = tcase_create("digest");
	tcase_add_test(tc, test_directives);
	tcase_add_test(tc, test_right_response_gets_rspauth);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_sasl_hands_out_steps);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
