/*
 * test_dtoken.c — Hadoop/Hive delegation token formats (server/auth/dtoken.c), byte for byte.
 *
 * WritableUtils vlong values at each length boundary (as Java writes them), the
 * DelegationTokenIdentifier bytes, the Token string (URL-safe, unpadded) read back in both
 * alphabets, HMAC-SHA1 (RFC 2202 vector), DBTokenStore's token value and DelegationKey, and
 * refusals of malformed input.
 */
#include <check.h>
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/dtoken.h"

static char *hex_of(const guint8 *p, gsize n)
{
	GString *s = g_string_new(NULL);
	for (gsize i = 0; i < n; i++)
		g_string_append_printf(s, "%02x", p[i]);
	return g_string_free(s, FALSE);
}

static char *vlong_hex(gint64 v)
{
	g_autoptr(GByteArray) b = g_byte_array_new();
	dtoken_write_vlong(b, v);
	return hex_of(b->data, b->len);
}

START_TEST(test_vlong_as_java_writes_it)
{
	static const struct {
		gint64 v;
		const char *hex;
	} cases[] = {{0, "00"}, {127, "7f"}, {-112, "90"}, {128, "8f80"}, {300, "8e012c"}, {-113, "8770"},
	             {-256, "87ff"}, {G_GINT64_CONSTANT(1700000000000), "8a018bcfe56800"}};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *h = vlong_hex(cases[i].v);
		ck_assert_str_eq(h, cases[i].hex);
	}
}
END_TEST

START_TEST(test_identifier_bytes_and_round_trip)
{
	DTokenIdent id = {.owner = "alice", .renewer = "hive", .real_user = "", .issue_date = 1, .max_date = 2,
	                  .sequence_number = 3, .master_key_id = 4};
	g_autoptr(GBytes) b = dtoken_ident_encode(&id);
	gsize n = 0;
	const guint8 *p = g_bytes_get_data(b, &n);
	g_autofree char *h = hex_of(p, n);
	ck_assert_str_eq(h, "0005616c69636504686976650001020304");
	DTokenIdent back = {0};
	g_autoptr(GError) error = NULL;
	ck_assert(dtoken_ident_decode(p, n, &back, &error));
	ck_assert_str_eq(back.owner, "alice");
	ck_assert_str_eq(back.renewer, "hive");
	ck_assert_int_eq(back.master_key_id, 4);
	dtoken_ident_clear(&back);
	guint8 bad[] = {1, 0};
	ck_assert(!dtoken_ident_decode(bad, sizeof bad, &back, &error));
	ck_assert_str_eq(error->message, "Unknown version of delegation token 1");
	g_clear_error(&error);
	ck_assert(!dtoken_ident_decode(p, n - 1, &back, &error));
}
END_TEST

START_TEST(test_token_string_and_password)
{
	g_autoptr(GBytes) key = g_bytes_new_static("Jefe", 4);
	g_autoptr(GBytes) data = g_bytes_new_static("what do ya want for nothing?", 28);
	guint8 mac[DTOKEN_PASSWORD_LEN];
	dtoken_password((const guint8 *)"Jefe", 4, data, mac);
	g_autofree char *mh = hex_of(mac, sizeof mac);
	ck_assert_str_eq(mh, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");

	DTokenIdent id = {.owner = "bob@EXAMPLE.COM", .renewer = "hive", .real_user = "trino", .issue_date = 1700000000000,
	                  .max_date = 1700604800000, .sequence_number = 77, .master_key_id = 2};
	g_autoptr(GBytes) ident = dtoken_ident_encode(&id);
	g_autofree char *tok = dtoken_token_encode(ident, mac, sizeof mac);
	ck_assert(strchr(tok, '=') == NULL && strchr(tok, '+') == NULL && strchr(tok, '/') == NULL);
	g_autoptr(GBytes) i2 = NULL, p2 = NULL;
	g_autoptr(GError) error = NULL;
	ck_assert(dtoken_token_decode(tok, &i2, &p2, &error));
	ck_assert(g_bytes_equal(i2, ident));
	ck_assert_int_eq(g_bytes_get_size(p2), 20);
	/* the standard alphabet with padding reads the same */
	g_autofree char *std = g_strdup(tok);
	for (char *c = std; *c; c++)
		*c = *c == '-' ? '+' : *c == '_' ? '/' : *c;
	g_autofree char *padded = g_strdup_printf("%s%s", std, strlen(std) % 4 == 2 ? "==" : strlen(std) % 4 == 3 ? "=" : "");
	g_autoptr(GBytes) i3 = NULL, p3 = NULL;
	ck_assert(dtoken_token_decode(padded, &i3, &p3, &error));
	ck_assert(g_bytes_equal(i3, ident));
	g_autoptr(GBytes) i4 = NULL, p4 = NULL;
	ck_assert(!dtoken_token_decode("not*base64", &i4, &p4, &error));
	g_clear_error(&error);
	ck_assert(!dtoken_token_decode("AAAA", &i4, &p4, &error));
}
END_TEST

START_TEST(test_store_values)
{
	guint8 pw[3] = {1, 2, 3};
	g_autofree char *info = dtoken_info_encode(pw, 3, 1700000000000);
	g_autoptr(GBytes) back = NULL;
	gint64 renew = 0;
	g_autoptr(GError) error = NULL;
	ck_assert(dtoken_info_decode(info, &back, &renew, &error));
	ck_assert_int_eq(renew, 1700000000000);
	ck_assert_int_eq(g_bytes_get_size(back), 3);
	g_autofree char *k = dtoken_key_encode(5, 1800000000000, (const guint8 *)"12345678", 8);
	gint32 kid = 0;
	gint64 exp = 0;
	g_autoptr(GBytes) kb = NULL;
	ck_assert(dtoken_key_decode(k, &kid, &exp, &kb, &error));
	ck_assert_int_eq(kid, 5);
	ck_assert_int_eq(exp, 1800000000000);
	ck_assert_int_eq(g_bytes_get_size(kb), 8);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dtoken");
	TCase *tc = tcase_create("formats");
	tcase_add_test(tc, test_vlong_as_java_writes_it);
	tcase_add_test(tc, test_identifier_bytes_and_round_trip);
	tcase_add_test(tc, test_token_string_and_password);
	tcase_add_test(tc, test_store_values);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
