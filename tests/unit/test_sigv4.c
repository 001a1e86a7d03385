/*
 * test_sigv4.c — auth/sigv4.c against AWS's published SigV4 test-suite vectors and botocore.
 *
 * The vectors (credentials AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service", host
 * example.amazonaws.com) are written here by hand from the suite's facts: request, signed
 * headers and expected signature. The last test has botocore (Debian's python3-botocore) sign
 * an AWSGlue.GetDatabase request and checks that sigv4_verify() accepts it, and refuses it when
 * the body, the secret or the date differ.
 */
#include <check.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "auth/sigv4.h"
#include "common/error.h"

#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_DATE "20150830T123600Z"

static const char *const host_date[] = {"host", "x-amz-date", NULL};

/* Signs a suite request (host + x-amz-date, plus extra headers) and returns the signature. */
static char *suite_sign(const char *method, const char *query, const char *ctype, const char *body,
                        const char *const *signed_headers)
{
	const char *names[] = {"Host", "X-Amz-Date", "Content-Type"};
	const char *values[] = {"example.amazonaws.com", SUITE_DATE, ctype};
	SigV4Request req = {method, "/", query, names, values, ctype ? 3 : 2, (const guint8 *)body, body ? strlen(body) : 0};
	GError *error = NULL;
	char *sig = sigv4_sign(&req, SUITE_SECRET, SUITE_DATE, "us-east-1", "service", signed_headers, &error);
	ck_assert_msg(sig != NULL, "%s", error ? error->message : "");
	return sig;
}

START_TEST(test_get_vanilla)
{
	g_autofree char *sig = suite_sign("GET", NULL, NULL, NULL, host_date);
	ck_assert_str_eq(sig, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}
END_TEST

/* The suite's get-vanilla string to sign carries this hash of the canonical request. */
START_TEST(test_get_vanilla_canonical)
{
	const char *names[] = {"Host", "X-Amz-Date"};
	const char *values[] = {"example.amazonaws.com", SUITE_DATE};
	SigV4Request req = {"GET", "/", NULL, names, values, 2, NULL, 0};
	g_autofree char *payload = sigv4_sha256_hex(NULL, 0);
	ck_assert_str_eq(payload, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	g_autofree char *creq = sigv4_canonical_request(&req, host_date, payload, NULL);
	ck_assert_str_eq(creq, "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:" SUITE_DATE "\n\nhost;x-amz-date\n"
	                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	g_autofree char *sts = sigv4_string_to_sign(SUITE_DATE, "20150830/us-east-1/service/aws4_request", creq);
	ck_assert_str_eq(sts, "AWS4-HMAC-SHA256\n" SUITE_DATE "\n20150830/us-east-1/service/aws4_request\n"
	                      "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}
END_TEST

START_TEST(test_get_vanilla_query_order_key_case)
{
	g_autofree char *sig = suite_sign("GET", "Param2=value2&Param1=value1", NULL, NULL, host_date);
	ck_assert_str_eq(sig, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}
END_TEST

START_TEST(test_post_vanilla)
{
	g_autofree char *sig = suite_sign("POST", NULL, NULL, NULL, host_date);
	ck_assert_str_eq(sig, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}
END_TEST

START_TEST(test_post_x_www_form_urlencoded)
{
	static const char *const signed_headers[] = {"content-type", "host", "x-amz-date", NULL};
	g_autofree char *payload = sigv4_sha256_hex((const guint8 *)"Param1=value1", 13);
	ck_assert_str_eq(payload, "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
	g_autofree char *sig =
		suite_sign("POST", NULL, "application/x-www-form-urlencoded", "Param1=value1", signed_headers);
	ck_assert_str_eq(sig, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}
END_TEST

START_TEST(test_parse_authorization)
{
	SigV4Auth a;
	GError *error = NULL;
	ck_assert(sigv4_parse_authorization(
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
		"SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		&a, &error));
	ck_assert_str_eq(a.access_key_id, "AKIDEXAMPLE");
	ck_assert_str_eq(a.date, "20150830");
	ck_assert_str_eq(a.region, "us-east-1");
	ck_assert_str_eq(a.service, "service");
	ck_assert_str_eq(a.signed_headers[1], "x-amz-date");
	sigv4_auth_clear(&a);
	static const char *const bad[] = {
		"Basic dXNlcjpwYXNz",
		"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
		"AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=host",
		"AWS4-HMAC-SHA256 Credential=AKID/2015/us-east-1/service/aws4_request, SignedHeaders=host, Signature=ab",
		"AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=host, Signature=xyz",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		ck_assert_msg(!sigv4_parse_authorization(bad[i], &a, &error), "accepted %s", bad[i]);
		ck_assert(g_error_matches(error, AUTH_ERROR, AUTH_ERROR_INCOMPLETE));
		g_clear_error(&error);
	}
}
END_TEST

/* Verifies the get-vanilla request as a server would, at the vector's time and outside the skew. */
START_TEST(test_verify_vanilla)
{
	const char *names[] = {"Host", "X-Amz-Date"};
	const char *values[] = {"example.amazonaws.com", SUITE_DATE};
	SigV4Request req = {"GET", "/", NULL, names, values, 2, NULL, 0};
	SigV4Auth a;
	GError *error = NULL;
	ck_assert(sigv4_parse_authorization(
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
		"SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		&a, &error));
	gint64 t = 0;
	ck_assert(sigv4_parse_amz_date(SUITE_DATE, &t));
	ck_assert_int_eq(t, 1440938160);
	ck_assert(sigv4_verify(&req, &a, SUITE_SECRET, t + 60, &error));
	ck_assert(!sigv4_verify(&req, &a, SUITE_SECRET, t + 16 * 60, &error));
	ck_assert(g_error_matches(error, AUTH_ERROR, AUTH_ERROR_SIGNATURE));
	g_clear_error(&error);
	ck_assert(!sigv4_verify(&req, &a, "not the secret", t, &error));
	ck_assert(g_error_matches(error, AUTH_ERROR, AUTH_ERROR_SIGNATURE));
	g_clear_error(&error);
	sigv4_auth_clear(&a);
}
END_TEST

/* botocore signs an AWSGlue request now; prints method, headers and body as JSON. */
static const char botocore_script[] =
	"import json,sys\n"
	"sys.path.insert(0,'/usr/lib/python3/dist-packages')\n"
	"from botocore.auth import SigV4Auth\n"
	"from botocore.awsrequest import AWSRequest\n"
	"from botocore.credentials import Credentials\n"
	"body=json.dumps({'Name':'sales'})\n"
	"r=AWSRequest(method='POST',url='http://127.0.0.1:9084/',data=body,headers={\n"
	"  'X-Amz-Target':'AWSGlue.GetDatabase','Content-Type':'application/x-amz-json-1.1'})\n"
	"SigV4Auth(Credentials('AKIAPROPOLISTEST0001','s3cr3t/Key+for+tests'),'glue','us-east-1').add_auth(r)\n"
	"print(json.dumps({'headers':dict(r.headers.items()),'body':body}))\n";

START_TEST(test_botocore_glue_request)
{
	if (!g_file_test("/usr/lib/python3/dist-packages/botocore/auth.py", G_FILE_TEST_EXISTS)) {
		fprintf(stderr, "test_botocore_glue_request: python3-botocore not installed, skipped\n");
		return;
	}
	const char *argv[] = {"/usr/bin/python3", "-c", botocore_script, NULL};
	g_autofree char *out = NULL, *err = NULL;
	int status = 0;
	GError *error = NULL;
	ck_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
	ck_assert_msg(g_spawn_check_wait_status(status, NULL), "python: %s", err);
	g_autoptr(JsonParser) parser = json_parser_new();
	ck_assert(json_parser_load_from_data(parser, out, -1, NULL));
	JsonObject *root = json_node_get_object(json_parser_get_root(parser));
	JsonObject *hdrs = json_object_get_object_member(root, "headers");
	const char *body = json_object_get_string_member(root, "body");
	g_autoptr(GPtrArray) names = g_ptr_array_new(), values = g_ptr_array_new();
	g_ptr_array_add(names, "Host");
	g_ptr_array_add(values, "127.0.0.1:9084");
	g_autoptr(GList) members = json_object_get_members(hdrs);
	for (GList *l = members; l; l = l->next) {
		g_ptr_array_add(names, l->data);
		g_ptr_array_add(values, (gpointer)json_object_get_string_member(hdrs, l->data));
	}
	SigV4Request req = {"POST", "/", NULL, (const char *const *)names->pdata, (const char *const *)values->pdata,
	                    names->len, (const guint8 *)body, strlen(body)};
	SigV4Auth a;
	ck_assert(sigv4_parse_authorization(json_object_get_string_member(hdrs, "Authorization"), &a, &error));
	ck_assert_str_eq(a.access_key_id, "AKIAPROPOLISTEST0001");
	ck_assert_str_eq(a.service, "glue");
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	ck_assert_msg(sigv4_verify(&req, &a, "s3cr3t/Key+for+tests", now, &error), "%s", error ? error->message : "");
	ck_assert(!sigv4_verify(&req, &a, "s3cr3t/Key+for+test", now, &error));
	g_clear_error(&error);
	req.body = (const guint8 *)"{\"Name\":\"sales2\"}";
	req.body_len = strlen((const char *)req.body);
	ck_assert(!sigv4_verify(&req, &a, "s3cr3t/Key+for+tests", now, &error));
	ck_assert(g_error_matches(error, AUTH_ERROR, AUTH_ERROR_SIGNATURE));
	g_clear_error(&error);
	sigv4_auth_clear(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sigv4");
	TCase *tc = tcase_create("vectors");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_get_vanilla);
	tcase_add_test(tc, test_get_vanilla_canonical);
	tcase_add_test(tc, test_get_vanilla_query_order_key_case);
	tcase_add_test(tc, test_post_vanilla);
	tcase_add_test(tc, test_post_x_www_form_urlencoded);
	tcase_add_test(tc, test_parse_authorization);
	tcase_add_test(tc, test_verify_vanilla);
	tcase_add_test(tc, test_botocore_glue_request);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
