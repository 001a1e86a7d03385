/*
 * digest.h — the server side of SASL DIGEST-MD5 (RFC 2831) as Hive's metastore serves it for
 * delegation tokens (issue 16): realm "default", digest-uri "null/default", qop auth, md5-sess,
 * charset utf-8. The username is base64 of a token identifier, the password base64 of the token
 * password; the door finds it (a PostgreSQL lookup), so each step runs on a worker.
 *
 * Stages: the client's empty initial response gets the challenge; its digest-response is
 * checked against the password the lookup gives and answered with rspauth (COMPLETE). Errors:
 * NET_ERROR_PROTOCOL with Java's DigestMD5Server words where it has some.
 */
#ifndef PROPOLIS_NET_DIGEST_H
#define PROPOLIS_NET_DIGEST_H

#include <glib.h>

#include "net/gss.h"

G_BEGIN_DECLS

typedef struct NetDigest NetDigest;

/* Finds the password of username (new string, wiped by the caller) and the acting principal. */
typedef char *(*NetDigestLookup)(gpointer data, const char *username, char **principal, GError **error);

NetDigest *net_digest_new(void);
void net_digest_free(NetDigest *d);

/* One step; COMPLETE sets *principal (the lookup's) and appends rspauth to out. Worker thread. */
NetGssResult net_digest_step(NetDigest *d, const guint8 *in, gsize len, GByteArray *out, NetDigestLookup lookup,
                             gpointer data, char **principal, char **username, GError **error);

/* Parses "k=v,k2="quoted"" directives into a new table (NULL when malformed). Pure; for tests. */
GHashTable *net_digest_parse(const char *text, gsize len);

G_END_DECLS

#endif
