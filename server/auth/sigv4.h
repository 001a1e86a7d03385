/*
 * sigv4.h — AWS Signature Version 4: parse an Authorization header, build the canonical
 * request and the string to sign, derive the signing key and verify (or produce) a signature.
 *
 * One module for both sides: the HTTP door verifies requests with sigv4_verify(), the admin CLI
 * signs its own with sigv4_sign(). Pure functions over borrowed inputs: no I/O, no clock
 * (the caller passes "now"), safe from any thread. Returned strings are new (g_free).
 * Errors: AUTH_ERROR (common/error.h): INCOMPLETE for a malformed header or missing signed
 * header, SIGNATURE for a mismatch or a request time outside the allowed skew.
 */
#ifndef PROPOLIS_AUTH_SIGV4_H
#define PROPOLIS_AUTH_SIGV4_H

#include <glib.h>

G_BEGIN_DECLS

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_MAX_SKEW_S (15 * 60) /* AWS refuses requests more than 15 minutes off */

/* One HTTP request as received (or about to be sent). All fields borrowed. */
typedef struct {
	const char *method;            /* "POST" */
	const char *path;              /* decoded path, "/" when empty */
	const char *query;             /* raw query string without '?', or NULL */
	const char *const *hdr_names;  /* header names, any case; repeated names allowed */
	const char *const *hdr_values; /* their values, parallel to hdr_names */
	guint n_headers;
	const guint8 *body;
	gsize body_len;
} SigV4Request;

/* The parts of an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." header. */
typedef struct {
	char *access_key_id;
	char *date;             /* YYYYMMDD of the credential scope */
	char *region;
	char *service;
	char **signed_headers;  /* lower-case, in the header's order */
	char *signature;        /* 64 lower-case hex digits */
} SigV4Auth;

void sigv4_auth_clear(SigV4Auth *auth);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SigV4Auth, sigv4_auth_clear)

/*
 * Parses an Authorization header value into *auth (cleared first). FALSE with
 * AUTH_ERROR_INCOMPLETE naming what is missing or malformed.
 */
gboolean sigv4_parse_authorization(const char *value, SigV4Auth *auth, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Lower-case hex SHA-256 of data. New string. */
char *sigv4_sha256_hex(const guint8 *data, gsize len);

/*
 * The canonical request for req over signed_headers (lower-case names) with the given payload
 * hash. NULL with AUTH_ERROR_INCOMPLETE if a signed header is absent from the request.
 */
char *sigv4_canonical_request(const SigV4Request *req, const char *const *signed_headers, const char *payload_hash,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical>". New string. */
char *sigv4_string_to_sign(const char *amz_date, const char *scope, const char *canonical);

/* The signing key: HMAC chain "AWS4"+secret → date → region → service → "aws4_request". */
void sigv4_signing_key(const char *secret, const char *date, const char *region, const char *service,
                       guint8 key[32]);

/*
 * The hex signature of req by secret for amz_date (YYYYMMDDTHHMMSSZ), region and service, over
 * signed_headers. NULL with AUTH_ERROR_INCOMPLETE if a signed header is missing from req.
 */
char *sigv4_sign(const SigV4Request *req, const char *secret, const char *amz_date, const char *region,
                 const char *service, const char *const *signed_headers, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * The value of header name (case-insensitive) in req, the first if repeated, or NULL.
 */
const char *sigv4_header(const SigV4Request *req, const char *name);

/*
 * Verifies req against auth (already parsed) and the principal's secret, at time now (epoch s):
 * X-Amz-Date (or Date) present, within SIGV4_MAX_SKEW_S of now and of the scope's day; host and
 * x-amz-date among the signed headers; the signature equal (constant-time compare).
 * FALSE with AUTH_ERROR_INCOMPLETE or AUTH_ERROR_SIGNATURE.
 */
gboolean sigv4_verify(const SigV4Request *req, const SigV4Auth *auth, const char *secret, gint64 now,
                      GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Parses "YYYYMMDDTHHMMSSZ" into epoch seconds; FALSE if malformed. */
gboolean sigv4_parse_amz_date(const char *value, gint64 *epoch_out);

G_END_DECLS

#endif
