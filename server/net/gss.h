/*
 * gss.h — the server side of SASL GSSAPI (RFC 4752) on MIT Kerberos' GSS-API, one step at a time.
 *
 * A listener with --thrift-auth kerberos holds one NetGssAcceptor: the keytab's credential for
 * the service principal (hive/host@REALM), acquired when the listener is added. Each
 * connection in negotiation holds one NetGss: the security context and where the RFC 4752
 * exchange stands (context tokens, then the wrapped security-layer offer and the client's
 * wrapped choice). net_gss_step() may read the keytab and replay cache: it runs on a worker,
 * never on the loop thread. Only QOP auth is offered (mask 0x01): after COMPLETE the Thrift
 * frames are plain 4-byte length frames, as under PLAIN.
 *
 * Ownership: the listener owns its acceptor, the connection its NetGss (the loop frees it with
 * the connection; a worker uses it only while the connection is lent). Errors: NET_ERROR
 * (NET_ERROR_PROTOCOL), whose message carries the GSS major/minor status text for the log.
 */
#ifndef PROPOLIS_NET_GSS_H
#define PROPOLIS_NET_GSS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct NetGssAcceptor NetGssAcceptor;
typedef struct NetGss NetGss;

/* The acceptor credential of principal ("svc/host@REALM"; NULL: any key in keytab) from keytab (NULL: the default keytab). */
NetGssAcceptor *net_gss_acceptor_new(const char *keytab, const char *principal,
                                     GError **error) G_GNUC_WARN_UNUSED_RESULT;
void net_gss_acceptor_free(NetGssAcceptor *a);

/* A new negotiation against acceptor a (which must outlive it). */
NetGss *net_gss_new(NetGssAcceptor *a);
void net_gss_free(NetGss *g);

typedef enum {
	NET_GSS_CONTINUE, /* send out as an OK challenge and feed the next response */
	NET_GSS_COMPLETE, /* authenticated: *peer is the client's principal; send out with COMPLETE */
	NET_GSS_FAILED,   /* refused: error says why (for the log) */
} NetGssResult;

/* Evaluates one client response (in, len) and appends the server's answer to out. Worker thread. */
NetGssResult net_gss_step(NetGss *g, const guint8 *in, gsize len, GByteArray *out, char **peer, GError **error);

G_END_DECLS

#endif
