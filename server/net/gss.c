/*
 * gss.c — SASL GSSAPI (RFC 4752) server steps on MIT Kerberos' GSS-API (see gss.h).
 *
 * Stages, as Java's GssKrb5Server (which Hive's metastore uses) runs them: ACCEPT feeds each
 * client token to gss_accept_sec_context and returns its output; once the context is
 * established the server sends the last context token (if any) and waits for an empty
 * response (LAYER_OFFER), then sends gss_wrap(conf=0) of [mask 0x01 | maxbuf 3 bytes] and
 * reads the client's wrapped choice [qop | maxbuf | authzid] (LAYER_CHOICE): qop must be auth,
 * and an authorization id other than the authenticated principal is refused (Hive's
 * SaslGssCallbackHandler refuses it too). Any GSS failure ends the negotiation.
 */
#include "net/gss.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <string.h>

#include "common/error.h"

#define GSS_QOP_AUTH 0x01
#define GSS_MAX_BUFFER 0xFFFFFF

struct NetGssAcceptor {
	gss_cred_id_t cred;
};

typedef enum {
	GSS_STAGE_ACCEPT,
	GSS_STAGE_LAYER_OFFER,
	GSS_STAGE_LAYER_CHOICE,
	GSS_STAGE_DONE,
} GssStage;

struct NetGss {
	NetGssAcceptor *acceptor;
	gss_ctx_id_t ctx;
	GssStage stage;
	char *peer;
};

/* Sets error to what, the GSS major and minor status texts. */
static void gss_set_error(GError **error, const char *what, OM_uint32 major, OM_uint32 minor)
{
	g_autoptr(GString) text = g_string_new(what);
	OM_uint32 types[2] = {GSS_C_GSS_CODE, GSS_C_MECH_CODE}, codes[2] = {major, minor};
	for (int i = 0; i < 2; i++) {
		if (codes[i] == 0)
			continue;
		OM_uint32 ctx = 0, min = 0;
		do {
			gss_buffer_desc msg = GSS_C_EMPTY_BUFFER;
			if (gss_display_status(&min, codes[i], (int)types[i], GSS_C_NO_OID, &ctx, &msg) != GSS_S_COMPLETE)
				break;
			g_string_append_printf(text, ": %.*s", (int)msg.length, (const char *)msg.value);
			gss_release_buffer(&min, &msg);
		} while (ctx != 0);
	}
	g_set_error_literal(error, NET_ERROR, NET_ERROR_PROTOCOL, text->str);
}

/* Acquires the keytab's acceptor credential; see gss.h. Reads the keytab: not on the loop thread. */
NetGssAcceptor *net_gss_acceptor_new(const char *keytab, const char *principal, GError **error)
{
	OM_uint32 major, minor = 0;
	gss_name_t name = GSS_C_NO_NAME;
	if (principal != NULL) {
		gss_buffer_desc buf = {strlen(principal), (void *)principal};
		major = gss_import_name(&minor, &buf, (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME, &name);
		if (GSS_ERROR(major)) {
			gss_set_error(error, "kerberos_principal cannot be read", major, minor);
			return NULL;
		}
	}
	gss_key_value_element_desc elem = {"keytab", keytab};
	gss_key_value_set_desc store = {keytab ? 1 : 0, &elem};
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	major = gss_acquire_cred_from(&minor, name, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_ACCEPT,
	                              keytab ? &store : GSS_C_NO_CRED_STORE, &cred, NULL, NULL);
	OM_uint32 ignored;
	if (name != GSS_C_NO_NAME)
		gss_release_name(&ignored, &name);
	if (GSS_ERROR(major)) {
		g_autofree char *what = g_strdup_printf("no acceptor credential for %s in keytab %s",
		                                        principal ? principal : "(any)", keytab ? keytab : "(default)");
		gss_set_error(error, what, major, minor);
		return NULL;
	}
	NetGssAcceptor *a = g_new0(NetGssAcceptor, 1);
	a->cred = cred;
	return a;
}

void net_gss_acceptor_free(NetGssAcceptor *a)
{
	if (a == NULL)
		return;
	OM_uint32 minor;
	gss_release_cred(&minor, &a->cred);
	g_free(a);
}

NetGss *net_gss_new(NetGssAcceptor *a)
{
	NetGss *g = g_new0(NetGss, 1);
	g->acceptor = a;
	g->ctx = GSS_C_NO_CONTEXT;
	return g;
}

void net_gss_free(NetGss *g)
{
	if (g == NULL)
		return;
	OM_uint32 minor;
	if (g->ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&minor, &g->ctx, GSS_C_NO_BUFFER);
	g_free(g->peer);
	g_free(g);
}

/* Sends the wrapped security-layer offer: QOP auth only, our largest buffer. */
static NetGssResult gss_offer_layer(NetGss *g, GByteArray *out, GError **error)
{
	guint8 offer[4] = {GSS_QOP_AUTH, (GSS_MAX_BUFFER >> 16) & 0xff, (GSS_MAX_BUFFER >> 8) & 0xff, GSS_MAX_BUFFER & 0xff};
	gss_buffer_desc in = {sizeof offer, offer}, wrapped = GSS_C_EMPTY_BUFFER;
	OM_uint32 minor = 0, ignored;
	OM_uint32 major = gss_wrap(&minor, g->ctx, 0, GSS_C_QOP_DEFAULT, &in, NULL, &wrapped);
	if (GSS_ERROR(major)) {
		gss_set_error(error, "gss_wrap of the security layer offer failed", major, minor);
		return NET_GSS_FAILED;
	}
	g_byte_array_append(out, wrapped.value, (guint)wrapped.length);
	gss_release_buffer(&ignored, &wrapped);
	g->stage = GSS_STAGE_LAYER_CHOICE;
	return NET_GSS_CONTINUE;
}

/* One gss_accept_sec_context step; on establishment names the peer and moves to the layer exchange. */
static NetGssResult gss_accept(NetGss *g, const guint8 *data, gsize len, GByteArray *out, GError **error)
{
	gss_buffer_desc in = {len, (void *)data}, token = GSS_C_EMPTY_BUFFER, shown = GSS_C_EMPTY_BUFFER;
	gss_name_t src = GSS_C_NO_NAME;
	OM_uint32 minor = 0, ignored;
	OM_uint32 major = gss_accept_sec_context(&minor, &g->ctx, g->acceptor->cred, &in, GSS_C_NO_CHANNEL_BINDINGS,
	                                         &src, NULL, &token, NULL, NULL, NULL);
	if (GSS_ERROR(major)) {
		gss_release_buffer(&ignored, &token);
		gss_set_error(error, "GSS initiate failed", major, minor);
		return NET_GSS_FAILED;
	}
	if (token.length > 0)
		g_byte_array_append(out, token.value, (guint)token.length);
	gss_release_buffer(&ignored, &token);
	if (major & GSS_S_CONTINUE_NEEDED)
		return NET_GSS_CONTINUE;
	major = gss_display_name(&minor, src, &shown, NULL);
	gss_release_name(&ignored, &src);
	if (GSS_ERROR(major)) {
		gss_set_error(error, "the client's principal cannot be named", major, minor);
		return NET_GSS_FAILED;
	}
	g->peer = g_strndup(shown.value, shown.length);
	gss_release_buffer(&ignored, &shown);
	g->stage = GSS_STAGE_LAYER_OFFER;
	if (out->len > 0)
		return NET_GSS_CONTINUE; /* the last context token first; the client answers it with nothing */
	return gss_offer_layer(g, out, error);
}

/* Reads the client's wrapped choice: qop auth, any buffer size, authzid empty or the peer itself. */
static NetGssResult gss_take_choice(NetGss *g, const guint8 *data, gsize len, char **peer, GError **error)
{
	gss_buffer_desc in = {len, (void *)data}, plain = GSS_C_EMPTY_BUFFER;
	OM_uint32 minor = 0, ignored;
	OM_uint32 major = gss_unwrap(&minor, g->ctx, &in, &plain, NULL, NULL);
	if (GSS_ERROR(major)) {
		gss_set_error(error, "gss_unwrap of the security layer choice failed", major, minor);
		return NET_GSS_FAILED;
	}
	const guint8 *p = plain.value;
	gboolean ok = plain.length >= 4 && p[0] == GSS_QOP_AUTH;
	gsize authz_len = ok ? plain.length - 4 : 0;
	gboolean same = authz_len == 0 || (authz_len == strlen(g->peer) && memcmp(p + 4, g->peer, authz_len) == 0);
	guint8 qop = plain.length >= 1 ? p[0] : 0;
	gss_release_buffer(&ignored, &plain);
	if (!ok) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL,
		            "the client chose security layer 0x%02x; this listener offers auth (0x01) only", qop);
		return NET_GSS_FAILED;
	}
	if (!same) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL,
		            "authorization id differs from the authenticated principal %s (refused, as Hive does)", g->peer);
		return NET_GSS_FAILED;
	}
	g->stage = GSS_STAGE_DONE;
	*peer = g_strdup(g->peer);
	return NET_GSS_COMPLETE;
}

/* One step of the exchange; see gss.h. */
NetGssResult net_gss_step(NetGss *g, const guint8 *in, gsize len, GByteArray *out, char **peer, GError **error)
{
	switch (g->stage) {
	case GSS_STAGE_ACCEPT:
		return gss_accept(g, in, len, out, error);
	case GSS_STAGE_LAYER_OFFER:
		if (len != 0) {
			g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL,
			            "expected an empty response after the last context token, got %" G_GSIZE_FORMAT " bytes", len);
			return NET_GSS_FAILED;
		}
		return gss_offer_layer(g, out, error);
	case GSS_STAGE_LAYER_CHOICE:
		return gss_take_choice(g, in, len, peer, error);
	case GSS_STAGE_DONE:
		break;
	}
	g_set_error_literal(error, NET_ERROR, NET_ERROR_PROTOCOL, "SASL GSSAPI message after completion");
	return NET_GSS_FAILED;
}
