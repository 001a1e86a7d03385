/*
 * digest.c — SASL DIGEST-MD5 server steps for delegation tokens (see digest.h).
 *
 * The response check is RFC 2831's: HA1 = MD5(MD5(user:realm:password) ":" nonce ":" cnonce
 * [":" authzid]), response = MD5(hex(HA1) ":" nonce ":" nc ":" cnonce ":" qop ":"
 * hex(MD5("AUTHENTICATE:" digest-uri))), rspauth the same with A2 = ":" digest-uri; compared in
 * constant time. One nonce per negotiation, nc must be 00000001.
 */
#include "net/digest.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <string.h>

#include "common/error.h"

#define DIGEST_REALM "default"
#define DIGEST_URI "null/default"

struct NetDigest {
	int stage; /* 0: send challenge, 1: check response, 2: done */
	char nonce[64];
};

NetDigest *net_digest_new(void)
{
	NetDigest *d = g_new0(NetDigest, 1);
	guint8 raw[24];
	g_assert(RAND_bytes(raw, sizeof raw) == 1);
	g_autofree char *b64 = g_base64_encode(raw, sizeof raw);
	g_strlcpy(d->nonce, b64, sizeof d->nonce);
	return d;
}

void net_digest_free(NetDigest *d)
{
	g_free(d);
}

/* RFC 2831 directives: token=token or token="quoted\"string", comma separated. */
GHashTable *net_digest_parse(const char *text, gsize len)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gsize i = 0;
	while (i < len) {
		while (i < len && (g_ascii_isspace(text[i]) || text[i] == ','))
			i++;
		if (i >= len)
			break;
		gsize k0 = i;
		while (i < len && text[i] != '=' && text[i] != ',')
			i++;
		if (i >= len || text[i] != '=')
			goto bad;
		g_autofree char *key = g_strstrip(g_strndup(text + k0, i - k0));
		i++;
		GString *val = g_string_new(NULL);
		if (i < len && text[i] == '"') {
			i++;
			while (i < len && text[i] != '"') {
				if (text[i] == '\\' && i + 1 < len)
					i++;
				g_string_append_c(val, text[i++]);
			}
			if (i >= len) {
				g_string_free(val, TRUE);
				goto bad;
			}
			i++;
		} else {
			while (i < len && text[i] != ',')
				g_string_append_c(val, text[i++]);
		}
		if (*key == '\0' || g_hash_table_contains(h, key)) {
			g_string_free(val, TRUE);
			goto bad;
		}
		g_hash_table_insert(h, g_steal_pointer(&key), g_strstrip(g_string_free(val, FALSE)));
	}
	return h;
bad:
	g_hash_table_unref(h);
	return NULL;
}

/* hex(MD5(parts...)), parts as (pointer, length) pairs ending with NULL. */
static void md5_hex(char out[33], ...)
{
	va_list ap;
	va_start(ap, out);
	g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_MD5);
	for (const guint8 *p; (p = va_arg(ap, const guint8 *)) != NULL;)
		g_checksum_update(c, p, (gssize)va_arg(ap, gsize));
	va_end(ap);
	g_strlcpy(out, g_checksum_get_string(c), 33);
}

/* The response value for A2 prefix ("AUTHENTICATE" or "") with the fields of the client's message. */
static void digest_response(char out[33], const char *user, const char *password, const char *nonce,
                            const char *cnonce, const char *authzid, const char *nc, const char *qop, const char *a2_prefix,
                            const char *uri)
{
	guint8 key[16];
	gsize klen = sizeof key;
	g_autoptr(GChecksum) kh = g_checksum_new(G_CHECKSUM_MD5);
	g_checksum_update(kh, (const guint8 *)user, -1);
	g_checksum_update(kh, (const guint8 *)":" DIGEST_REALM ":", -1);
	g_checksum_update(kh, (const guint8 *)password, -1);
	g_checksum_get_digest(kh, key, &klen);
	char ha1[33], ha2[33];
	g_autofree char *tail = authzid ? g_strdup_printf(":%s:%s:%s", nonce, cnonce, authzid)
	                                : g_strdup_printf(":%s:%s", nonce, cnonce);
	md5_hex(ha1, key, sizeof key, tail, strlen(tail), NULL);
	g_autofree char *a2 = g_strdup_printf("%s:%s", a2_prefix, uri);
	md5_hex(ha2, a2, strlen(a2), NULL);
	g_autofree char *all = g_strdup_printf("%s:%s:%s:%s:%s:%s", ha1, nonce, nc, cnonce, qop, ha2);
	md5_hex(out, all, strlen(all), NULL);
	OPENSSL_cleanse(key, sizeof key);
}

static NetGssResult digest_fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static NetGssResult digest_fail(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, NET_ERROR, NET_ERROR_PROTOCOL, msg);
	return NET_GSS_FAILED;
}

/* Checks the digest-response and answers rspauth. */
static NetGssResult digest_check(NetDigest *d, const guint8 *in, gsize len, GByteArray *out, NetDigestLookup lookup,
                                 gpointer data, char **principal, char **username, GError **error)
{
	g_autoptr(GHashTable) h = net_digest_parse((const char *)in, len);
	if (h == NULL)
		return digest_fail(error, "DIGEST-MD5: digest response format violation");
	const char *user = g_hash_table_lookup(h, "username"), *realm = g_hash_table_lookup(h, "realm"),
		   *nonce = g_hash_table_lookup(h, "nonce"), *cnonce = g_hash_table_lookup(h, "cnonce"),
		   *nc = g_hash_table_lookup(h, "nc"), *qop = g_hash_table_lookup(h, "qop"),
		   *uri = g_hash_table_lookup(h, "digest-uri"), *resp = g_hash_table_lookup(h, "response"),
		   *authzid = g_hash_table_lookup(h, "authzid");
	if (!user || !nonce || !cnonce || !nc || !uri || !resp || strlen(resp) != 32)
		return digest_fail(error, "DIGEST-MD5: digest response format violation. Missing directive");
	*username = g_strdup(user);
	if (realm && strcmp(realm, DIGEST_REALM) != 0)
		return digest_fail(error, "DIGEST-MD5: digest response format violation. Nonexistent realm: %s", realm);
	if (strcmp(nonce, d->nonce) != 0 || strcmp(nc, "00000001") != 0)
		return digest_fail(error, "DIGEST-MD5: digest response format violation. Mismatched nonce or nc");
	if (qop && strcmp(qop, "auth") != 0)
		return digest_fail(error, "DIGEST-MD5: digest response format violation. qop %s is not offered", qop);
	if (strcmp(uri, DIGEST_URI) != 0)
		return digest_fail(error, "DIGEST-MD5: digest response format violation. Mismatched URI: %s; expecting: %s",
		                   uri, DIGEST_URI);
	if (authzid && strcmp(authzid, user) != 0)
		return digest_fail(error, "DIGEST-MD5: an authorization id other than the token's is refused");
	g_autofree char *who = NULL;
	char *password = lookup(data, user, &who, error);
	if (password == NULL)
		return NET_GSS_FAILED;
	char want[33], rspauth[33];
	digest_response(want, user, password, nonce, cnonce, authzid, nc, qop ? qop : "auth", "AUTHENTICATE", uri);
	digest_response(rspauth, user, password, nonce, cnonce, authzid, nc, qop ? qop : "auth", "", uri);
	OPENSSL_cleanse(password, strlen(password));
	g_free(password);
	if (CRYPTO_memcmp(want, resp, 32) != 0)
		return digest_fail(error, "DIGEST-MD5: digest response format violation. Mismatched response.");
	g_autofree char *answer = g_strdup_printf("rspauth=%s", rspauth);
	g_byte_array_append(out, (const guint8 *)answer, (guint)strlen(answer));
	d->stage = 2;
	*principal = g_steal_pointer(&who);
	return NET_GSS_COMPLETE;
}

NetGssResult net_digest_step(NetDigest *d, const guint8 *in, gsize len, GByteArray *out, NetDigestLookup lookup,
                             gpointer data, char **principal, char **username, GError **error)
{
	if (d->stage == 0) {
		if (len != 0)
			return digest_fail(error, "DIGEST-MD5: the client has no initial response");
		g_autofree char *challenge = g_strdup_printf(
			"realm=\"" DIGEST_REALM "\",nonce=\"%s\",qop=\"auth\",charset=utf-8,algorithm=md5-sess", d->nonce);
		g_byte_array_append(out, (const guint8 *)challenge, (guint)strlen(challenge));
		d->stage = 1;
		return NET_GSS_CONTINUE;
	}
	if (d->stage == 1)
		return digest_check(d, in, len, out, lookup, data, principal, username, error);
	return digest_fail(error, "DIGEST-MD5 message after completion");
}
