/*
 * sasl.h — Thrift's SASL negotiation framing, server side: PLAIN, and the framing of GSSAPI.
 *
 * Each negotiation message is a status byte (START 1, OK 2, BAD 3, ERROR 4, COMPLETE 5), a
 * 4-byte big-endian payload length and the payload, as Thrift's TSaslTransport writes them.
 * The client sends START with the mechanism name, then OK (Python) or COMPLETE (Java) with the
 * PLAIN response "authzid NUL user NUL password" (RFC 4616); the server answers COMPLETE, or
 * BAD/ERROR with a reason and closes. After COMPLETE both sides use 4-byte length frames.
 *
 * The parser is pure (no I/O, no allocation, no globals) and resumable: feed it the unconsumed
 * input as often as bytes arrive; it keeps its progress in NetSasl and never trusts a declared
 * length (checked against max_message before waiting for the bytes). Ownership: the caller
 * owns NetSasl and the bytes. Threading: none (one per connection). Errors: NET_ERROR_PROTOCOL,
 * NET_ERROR_LIMIT (the message names max_sasl_message).
 *
 * GSSAPI (issue 16) is multi-step: START "GSSAPI", then each OK/COMPLETE payload is handed back
 * as NET_SASL_STEP for gss.c to evaluate (on a worker); the caller answers OK with the challenge
 * (or COMPLETE at the end) and feeds again. A listener chooses its mechanisms with
 * net_sasl_init_mechs(); net_sasl_init() offers PLAIN only.
 */
#ifndef PROPOLIS_NET_SASL_H
#define PROPOLIS_NET_SASL_H

#include <glib.h>

G_BEGIN_DECLS

/* Status bytes of a negotiation message. */
enum {
	NET_SASL_START = 1,
	NET_SASL_OK = 2,
	NET_SASL_BAD = 3,
	NET_SASL_ERROR = 4,
	NET_SASL_COMPLETE = 5,
};

/* Mechanisms a listener offers (bits). */
enum {
	NET_SASL_MECH_PLAIN = 1 << 0,
	NET_SASL_MECH_GSSAPI = 1 << 1,
	NET_SASL_MECH_DIGEST = 1 << 2, /* DIGEST-MD5: delegation tokens */
};

/* RFC 4616: authzid, authcid and passwd are at most 255 bytes each. */
#define NET_SASL_FIELD_MAX 255

typedef enum {
	NET_SASL_NEED_MORE,   /* a valid prefix: feed more bytes */
	NET_SASL_CREDENTIALS, /* a PLAIN response was read: user and password are set; check them */
	NET_SASL_FAILED,      /* refused: answer *reply_status (BAD or ERROR) with error's message, then close */
	NET_SASL_STEP,        /* a GSSAPI response: step/step_len (inside buf) go to the mechanism */
} NetSaslResult;

typedef struct {
	guint max_message;  /* max_sasl_message: largest payload accepted */
	guint mechs;        /* NET_SASL_MECH_* offered */
	guint mech;         /* the one START named (0 before START) */
	gboolean started;   /* START with an offered mechanism has been read */
	const guint8 *step; /* NET_SASL_STEP: the response payload, inside the fed buffer */
	gsize step_len;
	gboolean done;      /* credentials were returned; nothing more is accepted */
	char user[NET_SASL_FIELD_MAX + 1];
	char password[NET_SASL_FIELD_MAX + 1];
} NetSasl;

/* Starts a negotiation; max_message 0 means 8192. */
void net_sasl_init(NetSasl *s, guint max_message);

/* Starts a negotiation offering mechs (NET_SASL_MECH_* bits). */
void net_sasl_init_mechs(NetSasl *s, guint max_message, guint mechs);

/* Wipes the password (and the rest); call when done with s. */
void net_sasl_clear(NetSasl *s);

/*
 * Reads negotiation messages from the front of buf[0..len). *consumed is set to the bytes of
 * whole messages taken (drop them before the next call, even on NEED_MORE). CREDENTIALS fills
 * s->user and s->password (NUL-terminated, no NUL inside); FAILED sets error and
 * *reply_status (NET_SASL_BAD for a refused mechanism or malformed response, NET_SASL_ERROR
 * for broken framing or a limit).
 */
NetSaslResult net_sasl_feed(NetSasl *s, const guint8 *buf, gsize len, gsize *consumed, guint8 *reply_status,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Appends one negotiation message (status, payload text or NULL for empty) to out. */
void net_sasl_encode(GByteArray *out, guint8 status, const char *payload);

/* Appends one negotiation message with a binary payload (len may be 0). */
void net_sasl_encode_bytes(GByteArray *out, guint8 status, const guint8 *payload, gsize len);

G_END_DECLS

#endif
