/*
 * fuzz_sigv4.c — libFuzzer target for SigV4 (server/auth/sigv4.c): the Authorization header
 * parser, canonicalisation of an arbitrary request, and verification with a fixed secret.
 *
 * Input, split at '\n': line 1 the Authorization value, line 2 the method, line 3 the path,
 * line 4 the query ("-" for none), then "name:value" header lines up to an empty line; the
 * rest is the body. The secret and "now" are fixed, so a run is deterministic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/sigv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define FUZZ_NOW 1440938160 /* 20150830T123600Z */
#define FUZZ_MAX_HEADERS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	g_autofree char *text = g_strndup((const char *)data, size);
	const char *body = strstr(text, "\n\n");
	gsize body_len = 0;
	if (body != NULL) {
		body += 2;
		body_len = size - (gsize)(body - text);
		text[body - text - 2] = '\0';
	}
	g_auto(GStrv) lines = g_strsplit(text, "\n", 4 + FUZZ_MAX_HEADERS);
	guint n = g_strv_length(lines);
	const char *authz = n > 0 ? lines[0] : "";
	const char *method = n > 1 ? lines[1] : "POST";
	const char *path = n > 2 ? lines[2] : "/";
	const char *query = n > 3 && strcmp(lines[3], "-") != 0 ? lines[3] : NULL;
	const char *names[FUZZ_MAX_HEADERS], *values[FUZZ_MAX_HEADERS];
	guint n_headers = 0;
	for (guint i = 4; i < n && n_headers < FUZZ_MAX_HEADERS; i++) {
		char *colon = strchr(lines[i], ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		names[n_headers] = lines[i];
		values[n_headers] = colon + 1;
		n_headers++;
	}
	SigV4Request req = {method, path, query, names, values, n_headers, (const guint8 *)body, body_len};

	g_auto(SigV4Auth) auth = {0};
	g_autoptr(GError) error = NULL;
	gboolean parsed = sigv4_parse_authorization(authz, &auth, &error);
	if (parsed != (error == NULL))
		abort();
	g_clear_error(&error);

	static const char *const host_date[] = {"host", "x-amz-date", "content-type", NULL};
	const char *const *signed_headers = parsed ? (const char *const *)auth.signed_headers : host_date;
	g_autofree char *payload = sigv4_sha256_hex(req.body, req.body_len);
	g_autofree char *creq = sigv4_canonical_request(&req, signed_headers, payload, &error);
	if (creq == NULL && error == NULL)
		abort();
	g_clear_error(&error);
	g_autofree char *sig = sigv4_sign(&req, FUZZ_SECRET, "20150830T123600Z", parsed ? auth.region : "us-east-1",
	                                  parsed ? auth.service : "glue", signed_headers, &error);
	if (sig != NULL && strlen(sig) != 64)
		abort(); /* a signature is 64 hex digits */
	g_clear_error(&error);
	if (parsed) {
		(void)sigv4_verify(&req, &auth, FUZZ_SECRET, FUZZ_NOW, &error);
		g_clear_error(&error);
	}
	const char *date = sigv4_header(&req, "x-amz-date");
	gint64 epoch;
	if (date != NULL)
		(void)sigv4_parse_amz_date(date, &epoch);
	return 0;
}
