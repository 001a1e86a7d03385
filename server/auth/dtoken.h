/*
 * dtoken.h — Hadoop/Hive delegation token formats, byte for byte (issue 16).
 *
 * Hadoop's Writable encodings: zero-compressed vint/vlong (WritableUtils), Text (vint length +
 * UTF-8); the DelegationTokenIdentifier (version 0, owner, renewer, realUser, issueDate,
 * maxDate, sequenceNumber, masterKeyId); the Token (identifier, password, kind
 * HIVE_DELEGATION_TOKEN, service) whose string form is URL-safe base64 without padding (commons
 * codec), read back in either alphabet with or without padding; the password
 * HMAC-SHA1(master key, identifier bytes); DelegationKey (keyId, expiryDate, key) and the value
 * Hive's DBTokenStore keeps per token (vint pwLen, pw, long renewDate).
 *
 * Pure: no I/O, no globals; any thread. Errors: G_IO_ERROR_INVALID_DATA with Hadoop's words
 * where it has some ("Unknown version of delegation token 1").
 */
#ifndef PROPOLIS_AUTH_DTOKEN_H
#define PROPOLIS_AUTH_DTOKEN_H

#include <glib.h>

G_BEGIN_DECLS

#define DTOKEN_KIND "HIVE_DELEGATION_TOKEN"
#define DTOKEN_PASSWORD_LEN 20 /* HMAC-SHA1 */

typedef struct {
	char *owner, *renewer, *real_user;
	gint64 issue_date, max_date; /* ms since the epoch */
	gint32 sequence_number, master_key_id;
} DTokenIdent;

void dtoken_ident_clear(DTokenIdent *id);

/* Writable encodings, appended to out. */
void dtoken_write_vlong(GByteArray *out, gint64 v);
void dtoken_write_text(GByteArray *out, const char *s);

/* The identifier's bytes. */
GBytes *dtoken_ident_encode(const DTokenIdent *id);

/* Parses identifier bytes into *id (clear it after). FALSE with error on bad bytes. */
gboolean dtoken_ident_decode(const guint8 *p, gsize len, DTokenIdent *id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* HMAC-SHA1(key, ident bytes). */
void dtoken_password(const guint8 *key, gsize key_len, GBytes *ident, guint8 out[DTOKEN_PASSWORD_LEN]);

/* The token string (URL-safe base64, unpadded) of identifier + password, kind HIVE_DELEGATION_TOKEN, empty service. */
char *dtoken_token_encode(GBytes *ident, const guint8 *password, gsize password_len);

/* Reads a token string: identifier and password bytes. FALSE with error when it is not one. */
gboolean dtoken_token_decode(const char *text, GBytes **ident, GBytes **password, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* URL-safe base64 without padding (commons-codec's encodeBase64URLSafeString). */
char *dtoken_base64url(const guint8 *p, gsize len);
/* Base64 in either alphabet, padding optional. NULL when it is not base64. */
GBytes *dtoken_base64_decode(const char *text);

/* Hive's DBTokenStore value of a token: base64url(vint pwLen, pw, long renewDate). */
char *dtoken_info_encode(const guint8 *password, gsize len, gint64 renew_date);
gboolean dtoken_info_decode(const char *text, GBytes **password, gint64 *renew_date, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Hive's master key string: base64url of DelegationKey (vint keyId, vlong expiryDate, vint keyLen, key). */
char *dtoken_key_encode(gint32 key_id, gint64 expiry, const guint8 *key, gsize len);
gboolean dtoken_key_decode(const char *text, gint32 *key_id, gint64 *expiry, GBytes **key, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
