/*
 * sasl.c — the server side of Thrift's SASL negotiation, mechanism PLAIN (see sasl.h).
 *
 * Invariants: a message is taken only whole; a declared payload length is checked against
 * max_message as soon as its 5-byte header is in, before any wait for the payload; the first
 * message must be START naming PLAIN, the second OK or COMPLETE with the PLAIN response, and
 * nothing is accepted after it. Pure: loop thread and fuzz target alike.
 */
#include "net/sasl.h"

#include <string.h>

#include "common/error.h"

#define SASL_HEADER 5

/* A negotiation waiting for START; see sasl.h. */
void net_sasl_init(NetSasl *s, guint max_message)
{
	net_sasl_init_mechs(s, max_message, NET_SASL_MECH_PLAIN);
}

/* A negotiation waiting for START naming one of mechs; see sasl.h. */
void net_sasl_init_mechs(NetSasl *s, guint max_message, guint mechs)
{
	memset(s, 0, sizeof *s);
	s->max_message = max_message ? max_message : 8192;
	s->mechs = mechs;
}

/* The mechanism bit a START payload names among those offered; 0 when none. */
static guint sasl_mech_named(const NetSasl *s, const guint8 *p, gsize len)
{
	if ((s->mechs & NET_SASL_MECH_PLAIN) && len == 5 && memcmp(p, "PLAIN", 5) == 0)
		return NET_SASL_MECH_PLAIN;
	if ((s->mechs & NET_SASL_MECH_GSSAPI) && len == 6 && memcmp(p, "GSSAPI", 6) == 0)
		return NET_SASL_MECH_GSSAPI;
	if ((s->mechs & NET_SASL_MECH_DIGEST) && len == 10 && memcmp(p, "DIGEST-MD5", 10) == 0)
		return NET_SASL_MECH_DIGEST;
	return 0;
}

/* Wipes everything, the password first of all; see sasl.h. */
void net_sasl_clear(NetSasl *s)
{
	/* A volatile pointer keeps the compiler from dropping the wipe of a dying buffer. */
	volatile guint8 *p = (volatile guint8 *)s;
	for (gsize i = 0; i < sizeof *s; i++)
		p[i] = 0;
}

/* Sets error and *reply_status for a refusal; always NET_SASL_FAILED. */
static NetSaslResult sasl_fail(guint8 *reply_status, guint8 status, GError **error, gint code, const char *fmt, ...)
	G_GNUC_PRINTF(5, 6);

static NetSaslResult sasl_fail(guint8 *reply_status, guint8 status, GError **error, gint code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	*reply_status = status;
	g_set_error_literal(error, NET_ERROR, code, msg);
	return NET_SASL_FAILED;
}

/* Copies one PLAIN field (no NUL inside by construction) into dst; FALSE when over 255 bytes. */
static gboolean sasl_take_field(char *dst, const guint8 *src, gsize len)
{
	if (len > NET_SASL_FIELD_MAX)
		return FALSE;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return TRUE;
}

/* Splits a PLAIN response "authzid NUL user NUL password" into s; FAILED (BAD) when malformed. */
static NetSaslResult sasl_plain_response(NetSasl *s, const guint8 *p, gsize len, guint8 *reply_status,
                                         GError **error)
{
	const guint8 *nul1 = memchr(p, 0, len);
	const guint8 *nul2 = nul1 ? memchr(nul1 + 1, 0, len - (gsize)(nul1 + 1 - p)) : NULL;
	if (nul2 == NULL || memchr(nul2 + 1, 0, len - (gsize)(nul2 + 1 - p)) != NULL)
		return sasl_fail(reply_status, NET_SASL_BAD, error, NET_ERROR_PROTOCOL,
		                 "Invalid message format: a PLAIN response is authzid NUL user NUL password");
	gsize authz_len = (gsize)(nul1 - p), user_len = (gsize)(nul2 - nul1 - 1), pass_len = len - (gsize)(nul2 + 1 - p);
	if (user_len == 0 || authz_len > NET_SASL_FIELD_MAX ||
	    !sasl_take_field(s->user, nul1 + 1, user_len) || !sasl_take_field(s->password, nul2 + 1, pass_len)) {
		memset(s->password, 0, sizeof s->password);
		return sasl_fail(reply_status, NET_SASL_BAD, error, NET_ERROR_PROTOCOL,
		                 "Invalid message format: empty user, or a field longer than 255 bytes");
	}
	if (authz_len > 0 && (authz_len != user_len || memcmp(p, nul1 + 1, user_len) != 0)) {
		memset(s->password, 0, sizeof s->password);
		return sasl_fail(reply_status, NET_SASL_BAD, error, NET_ERROR_PROTOCOL,
		                 "an authorization identity other than the user is not supported");
	}
	s->done = TRUE;
	return NET_SASL_CREDENTIALS;
}

/* The status byte is checked first, so a client speaking plain Thrift here is told at once. */
static gboolean sasl_status_ok(const NetSasl *s, guint8 status, guint8 *reply_status, GError **error)
{
	if (s->done)
		sasl_fail(reply_status, NET_SASL_ERROR, error, NET_ERROR_PROTOCOL, "SASL negotiation message after the response");
	else if (!s->started && status != NET_SASL_START)
		sasl_fail(reply_status, NET_SASL_ERROR, error, NET_ERROR_PROTOCOL,
		          "expected SASL START (status 1), got status %u%s", status,
		          status == 0x80 || status == 0 ? " (a Thrift client without SASL on a sasl-plain listener?)" : "");
	else if (s->started && status != NET_SASL_OK && status != NET_SASL_COMPLETE)
		sasl_fail(reply_status, NET_SASL_ERROR, error, NET_ERROR_PROTOCOL,
		          "expected SASL OK or COMPLETE (status 2 or 5), got status %u", status);
	else
		return TRUE;
	return FALSE;
}

/* Reads whole messages from buf; see sasl.h. */
NetSaslResult net_sasl_feed(NetSasl *s, const guint8 *buf, gsize len, gsize *consumed, guint8 *reply_status,
                            GError **error)
{
	*consumed = 0;
	*reply_status = 0;
	for (;;) {
		const guint8 *p = buf + *consumed;
		gsize left = len - *consumed;
		if (left == 0)
			return NET_SASL_NEED_MORE;
		if (!sasl_status_ok(s, p[0], reply_status, error))
			return NET_SASL_FAILED;
		if (left < SASL_HEADER)
			return NET_SASL_NEED_MORE;
		guint32 plen = ((guint32)p[1] << 24) | ((guint32)p[2] << 16) | ((guint32)p[3] << 8) | (guint32)p[4];
		if (plen > s->max_message)
			return sasl_fail(reply_status, NET_SASL_ERROR, error, NET_ERROR_LIMIT,
			                 "max_sasl_message exceeded: %u > %u bytes", plen, s->max_message);
		if (left - SASL_HEADER < plen)
			return NET_SASL_NEED_MORE;
		const guint8 *payload = p + SASL_HEADER;
		*consumed += SASL_HEADER + plen;
		if (s->started && s->mech == NET_SASL_MECH_PLAIN)
			return sasl_plain_response(s, payload, plen, reply_status, error);
		if (s->started) {
			s->step = payload;
			s->step_len = plen;
			return NET_SASL_STEP;
		}
		s->mech = sasl_mech_named(s, payload, plen);
		if (s->mech == 0) {
			g_autofree char *name = g_strndup((const char *)payload, MIN(plen, 32));
			for (char *c = name; *c; c++)
				if (!g_ascii_isprint(*c))
					*c = '?';
			return sasl_fail(reply_status, NET_SASL_BAD, error, NET_ERROR_PROTOCOL,
			                 "Unsupported mechanism type %s (this listener offers %s)", name,
			                 s->mechs & NET_SASL_MECH_GSSAPI ? "GSSAPI, DIGEST-MD5" : "PLAIN");
		}
		s->started = TRUE;
	}
}

/* Appends status, length and payload. */
void net_sasl_encode(GByteArray *out, guint8 status, const char *payload)
{
	net_sasl_encode_bytes(out, status, (const guint8 *)payload, payload ? strlen(payload) : 0);
}

/* Appends status, length and a binary payload. */
void net_sasl_encode_bytes(GByteArray *out, guint8 status, const guint8 *payload, gsize len)
{
	guint32 n = (guint32)len;
	guint8 head[SASL_HEADER] = {status, n >> 24, n >> 16, n >> 8, n};
	g_byte_array_append(out, head, SASL_HEADER);
	if (n > 0)
		g_byte_array_append(out, payload, n);
}
