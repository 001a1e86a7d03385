/*
 * fuzz_token_auth.c — libFuzzer target for what a delegation-token login reads from the network
 * before anyone is authenticated (issue 16): the SASL DIGEST-MD5 digest-response
 * (server/net/digest.c) and the token and identifier decoders it leads to (server/auth/dtoken.c).
 *
 * The input is split at its first byte: even, the bytes are a client's digest-response after the
 * server's challenge (net_digest_step, second step, with a lookup that decodes the username as a
 * token identifier, as the door does, and answers a fixed password); odd, the bytes are decoded
 * directly as a directive list, a Token string and identifier bytes. Besides "no crash": a
 * refusal carries an error, a COMPLETE names a principal, and decoding what was encoded gives it back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "auth/dtoken.h"
#include "net/digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The door's lookup, reduced: the username must be a base64 identifier; every one has one password. */
static char *fuzz_lookup(gpointer data, const char *username, char **principal, GError **error)
{
	(void)data;
	g_autoptr(GBytes) raw = dtoken_base64_decode(username);
	DTokenIdent id = {0};
	gsize n = 0;
	const guint8 *p = raw ? g_bytes_get_data(raw, &n) : NULL;
	if (p == NULL || !dtoken_ident_decode(p, n, &id, error)) {
		if (error && *error == NULL)
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a token identifier");
		return NULL;
	}
	*principal = g_strdup(id.owner ? id.owner : "");
	dtoken_ident_clear(&id);
	return g_strdup("cGFzc3dvcmQ=");
}

/* Drives the server's two steps: challenge, then the fuzzed digest-response. */
static void fuzz_digest(const uint8_t *data, size_t size)
{
	NetDigest *d = net_digest_new();
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	char *principal = NULL, *username = NULL;
	NetGssResult r = net_digest_step(d, NULL, 0, out, fuzz_lookup, NULL, &principal, &username, &error);
	if (r == NET_GSS_CONTINUE) {
		g_byte_array_set_size(out, 0);
		g_clear_error(&error);
		r = net_digest_step(d, data, size, out, fuzz_lookup, NULL, &principal, &username, &error);
		if (r == NET_GSS_FAILED && error == NULL)
			abort(); /* a refusal must say why */
		if (r == NET_GSS_COMPLETE && principal == NULL)
			abort(); /* an accepted login names who acts */
	}
	g_free(principal);
	g_free(username);
	net_digest_free(d);
}

/* The decoders alone, and a round trip of what decodes. */
static void fuzz_decoders(const uint8_t *data, size_t size)
{
	GHashTable *kv = net_digest_parse((const char *)data, size);
	if (kv)
		g_hash_table_unref(kv);
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GBytes) ident = NULL, password = NULL;
	g_autoptr(GError) error = NULL;
	if (dtoken_token_decode(text, &ident, &password, &error)) {
		gsize il = 0, pl = 0;
		const guint8 *ip = g_bytes_get_data(ident, &il), *pp = g_bytes_get_data(password, &pl);
		g_autofree char *again = dtoken_token_encode(ident, pp, pl);
		g_autoptr(GBytes) ident2 = NULL, password2 = NULL;
		if (!dtoken_token_decode(again, &ident2, &password2, NULL) || !g_bytes_equal(ident, ident2) ||
		    !g_bytes_equal(password, password2))
			abort(); /* what was encoded must decode to itself */
		(void)ip;
	}
	DTokenIdent id = {0};
	g_autoptr(GError) ierr = NULL;
	if (dtoken_ident_decode(data, size, &id, &ierr)) {
		g_autoptr(GBytes) enc = dtoken_ident_encode(&id);
		DTokenIdent back = {0};
		gsize n = 0;
		const guint8 *p = g_bytes_get_data(enc, &n);
		if (!dtoken_ident_decode(p, n, &back, NULL) || g_strcmp0(back.owner, id.owner) != 0 ||
		    g_strcmp0(back.renewer, id.renewer) != 0 || back.sequence_number != id.sequence_number)
			abort(); /* an identifier re-encoded must read back the same */
		dtoken_ident_clear(&back);
	} else if (ierr == NULL) {
		abort();
	}
	dtoken_ident_clear(&id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		fuzz_digest(data + 1, size - 1);
	else
		fuzz_decoders(data + 1, size - 1);
	return 0;
}
