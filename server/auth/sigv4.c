/*
 * sigv4.c — AWS Signature Version 4 (header form): parse, canonicalise, sign, verify.
 *
 * Follows AWS's published algorithm: canonical request (method, URI-encoded path, sorted
 * encoded query, sorted lower-case headers with trimmed values, signed header list, payload
 * hash) → string to sign → HMAC-SHA256 key chain → hex signature. Verification recomputes the
 * signature from the secret and compares in constant time (CRYPTO_memcmp). No state, no
 * clock: callers pass the time, so tests can use AWS's fixed vectors.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "auth/sigv4.h"
#include "common/error.h"

/* Clears and frees the members of auth (not auth itself). */
void sigv4_auth_clear(SigV4Auth *auth)
{
	g_clear_pointer(&auth->access_key_id, g_free);
	g_clear_pointer(&auth->date, g_free);
	g_clear_pointer(&auth->region, g_free);
	g_clear_pointer(&auth->service, g_free);
	g_clear_pointer(&auth->signed_headers, g_strfreev);
	g_clear_pointer(&auth->signature, g_free);
}

static char *sigv4_hex(const guint8 *bytes, gsize len)
{
	static const char digits[] = "0123456789abcdef";
	char *out = g_malloc(len * 2 + 1);
	for (gsize i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[len * 2] = '\0';
	return out;
}

/* Lower-case hex SHA-256 of data. */
char *sigv4_sha256_hex(const guint8 *data, gsize len)
{
	guint8 md[SHA256_DIGEST_LENGTH];
	SHA256(data ? data : (const guint8 *)"", len, md);
	return sigv4_hex(md, sizeof md);
}

static void sigv4_hmac(const guint8 *key, gsize key_len, const char *msg, guint8 out[32])
{
	unsigned int n = 32;
	HMAC(EVP_sha256(), key, (int)key_len, (const guint8 *)msg, strlen(msg), out, &n);
}

/* Parses one "Name=value" item of the header; stores value in *dst when its name is name. */
static gboolean sigv4_take_item(const char *item, const char *name, char **dst)
{
	gsize n = strlen(name);
	if (g_ascii_strncasecmp(item, name, n) != 0 || item[n] != '=')
		return FALSE;
	g_free(*dst);
	*dst = g_strdup(item + n + 1);
	return TRUE;
}

/* Splits Credential's value "AKID/date/region/service/aws4_request" into auth. */
static gboolean sigv4_parse_credential(const char *cred, SigV4Auth *auth, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(cred, "/", -1);
	if (g_strv_length(parts) != 5 || strcmp(parts[4], "aws4_request") != 0 || *parts[0] == '\0' ||
	    strlen(parts[1]) != 8) {
		g_set_error(error, AUTH_ERROR, AUTH_ERROR_INCOMPLETE,
		            "Authorization header requires 'Credential' parameter in the form "
		            "<key>/<date>/<region>/<service>/aws4_request. Authorization=%s",
		            cred);
		return FALSE;
	}
	auth->access_key_id = g_strdup(parts[0]);
	auth->date = g_strdup(parts[1]);
	auth->region = g_strdup(parts[2]);
	auth->service = g_strdup(parts[3]);
	return TRUE;
}

/* TRUE when s is exactly 64 lower-case hex digits. */
static gboolean sigv4_is_hex64(const char *s)
{
	if (s == NULL || strlen(s) != 64)
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isxdigit(*p) || g_ascii_isupper(*p))
			return FALSE;
	return TRUE;
}

/* Parses an Authorization header (AWS4-HMAC-SHA256 form). */
gboolean sigv4_parse_authorization(const char *value, SigV4Auth *auth, GError **error)
{
	memset(auth, 0, sizeof *auth);
	gsize alen = strlen(SIGV4_ALGORITHM);
	if (value == NULL || strncmp(value, SIGV4_ALGORITHM, alen) != 0 || value[alen] != ' ') {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_INCOMPLETE,
		                    "Authorization header must use the AWS4-HMAC-SHA256 algorithm");
		return FALSE;
	}
	g_autofree char *cred = NULL, *signed_headers = NULL;
	g_auto(GStrv) items = g_strsplit(value + alen + 1, ",", -1);
	for (guint i = 0; items[i]; i++) {
		char *item = g_strstrip(items[i]);
		if (!sigv4_take_item(item, "Credential", &cred) && !sigv4_take_item(item, "SignedHeaders", &signed_headers))
			sigv4_take_item(item, "Signature", &auth->signature);
	}
	const char *missing = cred == NULL ? "Credential" : signed_headers == NULL ? "SignedHeaders"
	                                                  : auth->signature == NULL ? "Signature" : NULL;
	if (missing != NULL) {
		g_set_error(error, AUTH_ERROR, AUTH_ERROR_INCOMPLETE,
		            "Authorization header requires '%s' parameter. Authorization=%s", missing, value);
		sigv4_auth_clear(auth);
		return FALSE;
	}
	if (!sigv4_parse_credential(cred, auth, error)) {
		sigv4_auth_clear(auth);
		return FALSE;
	}
	auth->signed_headers = g_strsplit(signed_headers, ";", -1);
	for (guint i = 0; auth->signed_headers[i]; i++) {
		char *lower = g_ascii_strdown(auth->signed_headers[i], -1);
		g_free(auth->signed_headers[i]);
		auth->signed_headers[i] = lower;
	}
	if (!sigv4_is_hex64(auth->signature) || auth->signed_headers[0] == NULL || *auth->signed_headers[0] == '\0') {
		g_set_error(error, AUTH_ERROR, AUTH_ERROR_INCOMPLETE, "Malformed Signature or SignedHeaders. Authorization=%s",
		            value);
		sigv4_auth_clear(auth);
		return FALSE;
	}
	return TRUE;
}

/* Appends s URI-encoded as SigV4 wants: unreserved kept, '/' kept when keep_slash, else %XX. */
static void sigv4_uri_encode(GString *out, const char *s, gsize len, gboolean keep_slash)
{
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)s[i];
		if (g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/'))
			g_string_append_c(out, (char)c);
		else
			g_string_append_printf(out, "%%%02X", c);
	}
}

/* A percent-decoded copy of s[0..len). Malformed escapes are kept as they are. */
static char *sigv4_uri_decode(const char *s, gsize len)
{
	GString *out = g_string_sized_new(len);
	for (gsize i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && g_ascii_isxdigit(s[i + 1]) && g_ascii_isxdigit(s[i + 2])) {
			g_string_append_c(out, (char)(g_ascii_xdigit_value(s[i + 1]) * 16 + g_ascii_xdigit_value(s[i + 2])));
			i += 2;
		} else {
			g_string_append_c(out, s[i]);
		}
	}
	return g_string_free(out, FALSE);
}

static int sigv4_cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends the canonical query: each key=value decoded then re-encoded, sorted by key then value. */
static void sigv4_append_query(GString *out, const char *query)
{
	if (query == NULL || *query == '\0')
		return;
	g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) items = g_strsplit(query, "&", -1);
	for (guint i = 0; items[i]; i++) {
		if (*items[i] == '\0')
			continue;
		const char *eq = strchr(items[i], '=');
		gsize klen = eq ? (gsize)(eq - items[i]) : strlen(items[i]);
		g_autofree char *k = sigv4_uri_decode(items[i], klen);
		g_autofree char *v = eq ? sigv4_uri_decode(eq + 1, strlen(eq + 1)) : g_strdup("");
		GString *pair = g_string_new(NULL);
		sigv4_uri_encode(pair, k, strlen(k), FALSE);
		/* '\001' sorts below every encoded character, so "a" sorts before "ab" by key first. */
		g_string_append_c(pair, '\001');
		sigv4_uri_encode(pair, v, strlen(v), FALSE);
		g_ptr_array_add(pairs, g_string_free(pair, FALSE));
	}
	g_ptr_array_sort(pairs, sigv4_cmp_str);
	for (guint i = 0; i < pairs->len; i++) {
		char *p = g_ptr_array_index(pairs, i);
		*strchr(p, '\001') = '=';
		if (i > 0)
			g_string_append_c(out, '&');
		g_string_append(out, p);
	}
}

/* Appends value trimmed, with each run of spaces collapsed to one. */
static void sigv4_append_trimmed(GString *out, const char *value)
{
	while (*value == ' ' || *value == '\t')
		value++;
	gsize start = out->len;
	gboolean space = FALSE;
	for (const char *p = value; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			space = TRUE;
			continue;
		}
		if (space && out->len > start)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_c(out, *p);
	}
}

/* The value of header name, the first if repeated, or NULL. */
const char *sigv4_header(const SigV4Request *req, const char *name)
{
	for (guint i = 0; i < req->n_headers; i++)
		if (g_ascii_strcasecmp(req->hdr_names[i], name) == 0)
			return req->hdr_values[i];
	return NULL;
}

/* Appends "name:v1,v2\n" for every value of header name; FALSE if the request has none. */
static gboolean sigv4_append_header(GString *out, const SigV4Request *req, const char *name)
{
	gboolean found = FALSE;
	g_string_append_printf(out, "%s:", name);
	for (guint i = 0; i < req->n_headers; i++) {
		if (g_ascii_strcasecmp(req->hdr_names[i], name) != 0)
			continue;
		if (found)
			g_string_append_c(out, ',');
		sigv4_append_trimmed(out, req->hdr_values[i] ? req->hdr_values[i] : "");
		found = TRUE;
	}
	g_string_append_c(out, '\n');
	return found;
}

/* The canonical request; see sigv4.h. */
char *sigv4_canonical_request(const SigV4Request *req, const char *const *signed_headers, const char *payload_hash,
                              GError **error)
{
	g_autoptr(GString) out = g_string_new(req->method);
	g_string_append_c(out, '\n');
	const char *path = req->path && *req->path ? req->path : "/";
	sigv4_uri_encode(out, path, strlen(path), TRUE);
	g_string_append_c(out, '\n');
	sigv4_append_query(out, req->query);
	g_string_append_c(out, '\n');
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	for (guint i = 0; signed_headers[i]; i++)
		g_ptr_array_add(sorted, (gpointer)signed_headers[i]);
	g_ptr_array_sort(sorted, sigv4_cmp_str);
	for (guint i = 0; i < sorted->len; i++) {
		const char *name = g_ptr_array_index(sorted, i);
		if (!sigv4_append_header(out, req, name)) {
			g_set_error(error, AUTH_ERROR, AUTH_ERROR_INCOMPLETE, "Signed header '%s' is not in the request", name);
			return NULL;
		}
	}
	g_string_append_c(out, '\n');
	for (guint i = 0; i < sorted->len; i++)
		g_string_append_printf(out, "%s%s", i ? ";" : "", (const char *)g_ptr_array_index(sorted, i));
	g_string_append_printf(out, "\n%s", payload_hash);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* The string to sign. */
char *sigv4_string_to_sign(const char *amz_date, const char *scope, const char *canonical)
{
	g_autofree char *hash = sigv4_sha256_hex((const guint8 *)canonical, strlen(canonical));
	return g_strdup_printf("%s\n%s\n%s\n%s", SIGV4_ALGORITHM, amz_date, scope, hash);
}

/* The derived signing key. */
void sigv4_signing_key(const char *secret, const char *date, const char *region, const char *service, guint8 key[32])
{
	g_autofree char *k0 = g_strconcat("AWS4", secret, NULL);
	guint8 k1[32], k2[32], k3[32];
	sigv4_hmac((const guint8 *)k0, strlen(k0), date, k1);
	sigv4_hmac(k1, 32, region, k2);
	sigv4_hmac(k2, 32, service, k3);
	sigv4_hmac(k3, 32, "aws4_request", key);
	OPENSSL_cleanse(k0, strlen(k0));
	OPENSSL_cleanse(k1, 32);
	OPENSSL_cleanse(k2, 32);
	OPENSSL_cleanse(k3, 32);
}

/* The hex signature of req. */
char *sigv4_sign(const SigV4Request *req, const char *secret, const char *amz_date, const char *region,
                 const char *service, const char *const *signed_headers, GError **error)
{
	g_autofree char *payload = sigv4_sha256_hex(req->body, req->body_len);
	g_autofree char *canonical = sigv4_canonical_request(req, signed_headers, payload, error);
	if (canonical == NULL)
		return NULL;
	g_autofree char *date = g_strndup(amz_date, 8);
	g_autofree char *scope = g_strdup_printf("%s/%s/%s/aws4_request", date, region, service);
	g_autofree char *sts = sigv4_string_to_sign(amz_date, scope, canonical);
	guint8 key[32], sig[32];
	sigv4_signing_key(secret, date, region, service, key);
	sigv4_hmac(key, sizeof key, sts, sig);
	OPENSSL_cleanse(key, sizeof key);
	return sigv4_hex(sig, sizeof sig);
}

/* Parses YYYYMMDDTHHMMSSZ (UTC). */
gboolean sigv4_parse_amz_date(const char *value, gint64 *epoch_out)
{
	if (value == NULL || strlen(value) != 16 || value[8] != 'T' || value[15] != 'Z')
		return FALSE;
	for (int i = 0; i < 15; i++)
		if (i != 8 && !g_ascii_isdigit(value[i]))
			return FALSE;
	int y, mo, d, h, mi, sec;
	if (sscanf(value, "%4d%2d%2dT%2d%2d%2dZ", &y, &mo, &d, &h, &mi, &sec) != 6)
		return FALSE;
	g_autoptr(GDateTime) dt = g_date_time_new_utc(y, mo, d, h, mi, (gdouble)sec);
	if (dt == NULL)
		return FALSE;
	*epoch_out = g_date_time_to_unix(dt);
	return TRUE;
}

/* TRUE when name is among the signed headers. */
static gboolean sigv4_is_signed(const SigV4Auth *auth, const char *name)
{
	return g_strv_contains((const char *const *)auth->signed_headers, name);
}

/* Checks X-Amz-Date: present, well formed, matching the scope's day, within the skew of now. */
static gboolean sigv4_check_date(const SigV4Request *req, const SigV4Auth *auth, gint64 now, GError **error)
{
	const char *amz_date = sigv4_header(req, "x-amz-date");
	gint64 t = 0;
	if (amz_date == NULL || !sigv4_parse_amz_date(amz_date, &t)) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_INCOMPLETE,
		                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
		return FALSE;
	}
	if (strncmp(amz_date, auth->date, 8) != 0) {
		g_set_error(error, AUTH_ERROR, AUTH_ERROR_SIGNATURE,
		            "Credential should be scoped to a valid date: '%.8s' does not match X-Amz-Date '%s'", auth->date,
		            amz_date);
		return FALSE;
	}
	if (t < now - SIGV4_MAX_SKEW_S || t > now + SIGV4_MAX_SKEW_S) {
		/* AWS's wording (observed), with the server's time, so that a client can say how far off it is */
		gboolean early = t < now - SIGV4_MAX_SKEW_S;
		g_autoptr(GDateTime) n = g_date_time_new_from_unix_utc(now);
		g_autoptr(GDateTime) edge = g_date_time_new_from_unix_utc(early ? now - SIGV4_MAX_SKEW_S : now + SIGV4_MAX_SKEW_S);
		g_autofree char *now_s = n ? g_date_time_format(n, "%Y%m%dT%H%M%SZ") : g_strdup("?");
		g_autofree char *edge_s = edge ? g_date_time_format(edge, "%Y%m%dT%H%M%SZ") : g_strdup("?");
		if (early)
			g_set_error(error, AUTH_ERROR, AUTH_ERROR_SIGNATURE,
			            "Signature expired: %s is now earlier than %s (%s - 15 min.)", amz_date, edge_s, now_s);
		else
			g_set_error(error, AUTH_ERROR, AUTH_ERROR_SIGNATURE,
			            "Signature not yet current: %s is still later than %s (%s + 15 min.)", amz_date, edge_s,
			            now_s);
		return FALSE;
	}
	return TRUE;
}

/* Verifies a request's signature; see sigv4.h. */
gboolean sigv4_verify(const SigV4Request *req, const SigV4Auth *auth, const char *secret, gint64 now, GError **error)
{
	if (!sigv4_check_date(req, auth, now, error))
		return FALSE;
	if (!sigv4_is_signed(auth, "host") || !sigv4_is_signed(auth, "x-amz-date")) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_INCOMPLETE,
		                    "'Host' and 'X-Amz-Date' must be among the signed headers");
		return FALSE;
	}
	const char *amz_date = sigv4_header(req, "x-amz-date");
	g_autofree char *expected = sigv4_sign(req, secret, amz_date, auth->region, auth->service,
	                                       (const char *const *)auth->signed_headers, error);
	if (expected == NULL)
		return FALSE;
	if (CRYPTO_memcmp(expected, auth->signature, 64) != 0) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_SIGNATURE,
		                    "The request signature we calculated does not match the signature you provided. "
		                    "Check your AWS Secret Access Key and signing method.");
		return FALSE;
	}
	return TRUE;
}
