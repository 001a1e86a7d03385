/*
 * door.c — runs one Hive Thrift message through the generated processor (see door.h).
 *
 * Per message: peek the method name; names the handler does not implement are answered
 * UNKNOWN_METHOD here (the generated wrappers would call a NULL slot, and the library's
 * fallback leaks the name); the rest run through ThriftHiveMetastoreProcessor over a
 * zero-copy transport (buffer.c) with strict binary protocol in and out. The handler finds
 * the call's session, request id and deadline through a thread-local set around processing.
 * Who is calling comes from net/ with each request: the SASL user (PLAIN, or a Kerberos
 * ticket's principal mapped by kerberos_principal_rules), else the mTLS
 * client certificate's CN, else (on a trust-ugi listener) the set_ugi user, else "anonymous";
 * the session keeps the bare name, which CatalogCtx.principal carries to the catalog.
 */
#include "thrift/door.h"

#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "auth/dtoken_manager.h"
#include "auth/kerberos_name.h"
#include "auth/keys.h"
#include "common/metrics.h"
#include "thrift/buffer.h"
#include "thrift/handler.h"
#include "thrift/json_protocol.h"
#include "thrift/partition_add.h"
#include "thrift/partition_drop.h"
#include "thrift/stream.h"
#include "thrift/table_reply.h"
#include "thrift/translate.h"

struct ThriftDoor {
	Catalog *cat;
	const PropolisConfig *config;
	ThriftHiveMetastoreHandler *handler;
	ThriftProcessor *processor; /* stateless after construction: shared by workers */
	AuthKeyring *keyring;       /* checks SASL PLAIN passwords; NULL refuses every login */
	KerberosRules *krb_rules;   /* kerberos_principal_rules; NULL refuses every ticket */
	AuthTokens *tokens;         /* delegation tokens (DIGEST-MD5 and the token methods); NULL: none */
	char *krb_default_realm;    /* the krb5 default realm (DEFAULT rule), or NULL */
	gint64 started_s;
};

static GPrivate current_call;

/* The call this thread runs, or NULL. */
ThriftCall *thrift_call_current(void)
{
	return g_private_get(&current_call);
}

/* Sets this thread's call (NULL clears it). */
void thrift_call_set_current(ThriftCall *call)
{
	g_private_set(&current_call, call);
}

static gpointer door_session_new(gpointer door, guint64 conn_id, const char *peer)
{
	ThriftSession *s = g_new0(ThriftSession, 1);
	s->conn_id = conn_id;
	s->peer = g_strdup(peer);
	s->principal = g_strdup("anonymous");
	s->meta_conf = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return s;
}

/*
 * Sets the session's principal from what the connection proved (SASL user, else mTLS CN) and
 * returns whether set_ugi may still name it: only on a trust-ugi listener, and only when
 * nothing stronger named the caller. Connection identity never changes, so this is a compare.
 */
static gboolean door_session_identify(ThriftSession *s, const NetRequestInfo *info)
{
	const char *proven = info->sasl_user ? info->sasl_user : info->tls_peer_cn;
	if (proven == NULL)
		return info->trust_client_user;
	if (s->principal == NULL || strcmp(s->principal, proven) != 0) {
		g_free(s->principal);
		s->principal = g_strdup(proven);
	}
	return FALSE;
}

static void door_session_free(gpointer door, gpointer session)
{
	ThriftSession *s = session;
	if (s == NULL)
		return;
	g_free(s->peer);
	g_free(s->principal);
	g_hash_table_unref(s->meta_conf);
	g_free(s);
}

/* Message header: name, type and seqid, strict or old-style. FALSE if it is not one. */
typedef struct {
	char name[256];
	gint type;
	gint32 seqid;
} MsgHead;

static guint32 be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static gboolean peek_head(const guint8 *msg, gsize len, MsgHead *h)
{
	if (len < 8)
		return FALSE;
	guint32 first = be32(msg);
	gsize off;
	guint32 nlen;
	if (first & 0x80000000u) {
		if ((first & 0xffff0000u) != 0x80010000u)
			return FALSE;
		h->type = (gint)(first & 0xff);
		nlen = be32(msg + 4);
		off = 8;
	} else {
		nlen = first;
		off = 4;
	}
	if (nlen >= sizeof h->name || off + nlen + 4 + (first & 0x80000000u ? 0 : 1) > len)
		return FALSE;
	memcpy(h->name, msg + off, nlen);
	h->name[nlen] = '\0';
	off += nlen;
	if (!(first & 0x80000000u))
		h->type = msg[off++];
	h->seqid = (gint32)be32(msg + off);
	return TRUE;
}

/*
 * Writes TApplicationException (type, text) for h into out: struct {1: string message,
 * 2: i32 type}. Encoded by hand: libthrift_c_glib's ThriftApplicationException finalizes
 * without chaining up to GObject and would lose a few bytes per call.
 */
static gboolean reply_app_exception(ThriftProtocol *out, const MsgHead *h, gint32 type, const char *text,
                                    GError **error)
{
	return thrift_protocol_write_message_begin(out, h->name, T_EXCEPTION, h->seqid, error) >= 0 &&
	       thrift_protocol_write_struct_begin(out, "TApplicationException", error) >= 0 &&
	       thrift_protocol_write_field_begin(out, "message", T_STRING, 1, error) >= 0 &&
	       thrift_protocol_write_string(out, text, error) >= 0 &&
	       thrift_protocol_write_field_end(out, error) >= 0 &&
	       thrift_protocol_write_field_begin(out, "type", T_I32, 2, error) >= 0 &&
	       thrift_protocol_write_i32(out, type, error) >= 0 &&
	       thrift_protocol_write_field_end(out, error) >= 0 && thrift_protocol_write_field_stop(out, error) >= 0 &&
	       thrift_protocol_write_struct_end(out, error) >= 0 && thrift_protocol_write_message_end(out, error) >= 0;
}

/* UNKNOWN_METHOD for a method the handler does not implement. */
static gboolean reply_unknown_method(ThriftProtocol *out, const MsgHead *h, GError **error)
{
	g_autofree char *text = g_strdup_printf("Invalid method name: '%s'", h->name);
	return reply_app_exception(out, h, THRIFT_APPLICATION_EXCEPTION_ERROR_UNKNOWN_METHOD, text, error);
}

/*
 * A call whose arguments hold a string with a NUL or not UTF-8 (buffer.c's read_string refused
 * it): the reply so far is dropped and TApplicationException PROTOCOL_ERROR answered, as Java's
 * processor answers a TProtocolException; the message was read whole (framing), so the
 * connection stays usable. FALSE (close, as before) for any other failure.
 */
static gboolean reply_bad_text(GByteArray *reply, guint start, const MsgHead *h, const GError *failure,
                               const NetRequestInfo *info)
{
	if (failure == NULL || failure->domain != THRIFT_TEXT_ERROR)
		return FALSE;
	g_message("request %" G_GUINT64_FORMAT " %s: refused: %s", info->request_id, h->name, failure->message);
	g_byte_array_set_size(reply, start);
	ThriftTransport *t = thrift_buffer_new(NULL, 0, reply);
	ThriftProtocol *out = thrift_safe_protocol_new(t);
	g_autoptr(GError) werr = NULL;
	gboolean ok = reply_app_exception(out, h, THRIFT_APPLICATION_EXCEPTION_ERROR_PROTOCOL_ERROR, failure->message,
	                                  &werr);
	g_object_unref(out);
	g_object_unref(t);
	return ok;
}

/* The call context of one request (what thrift_call_current() returns while it runs). */
static ThriftCall door_call(ThriftDoor *door, gpointer session, const NetRequestInfo *info, const char *method,
                            gboolean trust_set_ugi)
{
	return (ThriftCall){
		.cat = door->cat,
		.config = door->config,
		.session = session,
		.request_id = info->request_id,
		.deadline_us = info->deadline_us,
		.method = method,
		.trust_set_ugi = trust_set_ugi,
		.started_s = door->started_s,
		.tokens = door->tokens,
		.by_token = info->sasl_mechanism != NULL && strcmp(info->sasl_mechanism, "DIGEST-MD5") == 0,
	};
}

/* The calls answered from their bytes when they have the plain shape (thrift/wire.h). */
typedef struct {
	gboolean (*handles)(const char *method);
	WireResult (*run)(ThriftCall *call, const char *method, const guint8 *msg, gsize len, GByteArray *reply,
	                  GError **error);
} WirePath;

static const WirePath wire_paths[] = {
	{thrift_partition_add_handles, thrift_partition_add_run},
	{thrift_partition_drop_handles, thrift_partition_drop_run},
};

static const WirePath *door_wire_path(const char *method)
{
	for (guint i = 0; i < G_N_ELEMENTS(wire_paths); i++)
		if (wire_paths[i].handles(method))
			return &wire_paths[i];
	return NULL;
}

static gboolean door_handle_message(gpointer door_data, gpointer session, const NetRequestInfo *info,
                                    const guint8 *msg, gsize len, GByteArray *reply)
{
	ThriftDoor *door = door_data;
	MsgHead head;
	gint64 t0 = g_get_monotonic_time();
	gboolean trust_set_ugi = door_session_identify(session, info);
	catalog_authz_decision_reset();
	if (!peek_head(msg, len, &head)) {
		g_message("request %" G_GUINT64_FORMAT " conn %" G_GUINT64_FORMAT ": not a Thrift binary message, closing",
		          info->request_id, info->conn_id);
		return FALSE;
	}
	if (head.type == T_CALL && thrift_stream_handles(head.name) && thrift_handler_implements(head.name)) {
		ThriftCall call = door_call(door, session, info, head.name, trust_set_ugi);
		thrift_call_set_current(&call);
		ThriftStreamResult r = thrift_stream_run(&call, head.name, head.seqid, msg, len, reply, info);
		if (r != STREAM_FALLBACK)
			thrift_audit_log(&call, head.name, NULL, r == STREAM_DONE ? NULL : "TTransportException",
			                 thrift_audit_elapsed_ms(&call));
		thrift_call_set_current(NULL);
		if (r != STREAM_FALLBACK) {
			g_debug("request %" G_GUINT64_FORMAT " conn %" G_GUINT64_FORMAT " %s (streamed) %.3f ms",
			        info->request_id, info->conn_id, head.name, (g_get_monotonic_time() - t0) / 1000.0);
			return r == STREAM_DONE;
		}
		g_byte_array_set_size(reply, 0);
	}
	const WirePath *wp = head.type == T_CALL ? door_wire_path(head.name) : NULL;
	if (wp != NULL) {
		ThriftCall call = door_call(door, session, info, head.name, trust_set_ugi);
		g_autoptr(GError) terr = NULL;
		guint start = reply->len;
		thrift_call_set_current(&call);
		WireResult r = wp->run(&call, head.name, msg, len, reply, &terr);
		if (r != WIRE_FALLBACK)
			thrift_audit_log(&call, head.name, NULL, r == WIRE_DONE ? NULL : "TProtocolException",
			                 thrift_audit_elapsed_ms(&call));
		thrift_call_set_current(NULL);
		if (r != WIRE_FALLBACK) {
			if (r == WIRE_FAILED)
				g_message("request %" G_GUINT64_FORMAT " %s: protocol error, closing: %s", info->request_id,
				          head.name, terr ? terr->message : "?");
			g_debug("request %" G_GUINT64_FORMAT " conn %" G_GUINT64_FORMAT " %s (from bytes) %.3f ms",
			        info->request_id, info->conn_id, head.name, (g_get_monotonic_time() - t0) / 1000.0);
			return r == WIRE_DONE;
		}
		g_byte_array_set_size(reply, start);
	}
	if (head.type == T_CALL && thrift_table_reply_handles(head.name)) {
		ThriftCall call = door_call(door, session, info, head.name, trust_set_ugi);
		g_autoptr(GError) terr = NULL;
		thrift_call_set_current(&call);
		guint start = reply->len;
		gboolean ok = thrift_table_reply_run(&call, head.name, msg, len, reply, &terr);
		thrift_audit_log(&call, head.name, NULL, ok ? NULL : "TProtocolException", thrift_audit_elapsed_ms(&call));
		thrift_call_set_current(NULL);
		if (!ok && reply_bad_text(reply, start, &head, terr, info))
			return TRUE;
		if (!ok)
			g_message("request %" G_GUINT64_FORMAT " %s: protocol error, closing: %s", info->request_id, head.name,
			          terr ? terr->message : "?");
		g_debug("request %" G_GUINT64_FORMAT " conn %" G_GUINT64_FORMAT " %s (kept tables) %.3f ms", info->request_id,
		        info->conn_id, head.name, (g_get_monotonic_time() - t0) / 1000.0);
		return ok;
	}
	guint start = reply->len;
	ThriftTransport *in_t = thrift_buffer_new(msg, len, reply);
	ThriftProtocol *in = thrift_safe_protocol_new(in_t);
	ThriftProtocol *out = thrift_safe_protocol_new(in_t);
	g_autoptr(GError) err = NULL;
	gboolean ok;
	if (!thrift_handler_implements(head.name)) {
		ok = head.type == T_ONEWAY || reply_unknown_method(out, &head, &err);
	} else {
		ThriftCall call = door_call(door, session, info, head.name, trust_set_ugi);
		thrift_call_set_current(&call);
		ok = thrift_processor_process(door->processor, in, out, &err);
		thrift_audit_log(&call, head.name, NULL, ok ? NULL : "TProtocolException", thrift_audit_elapsed_ms(&call));
		thrift_call_set_current(NULL);
	}
	g_object_unref(in);
	g_object_unref(out);
	g_object_unref(in_t);
	if (!ok && reply_bad_text(reply, start, &head, err, info))
		return TRUE;
	if (!ok)
		g_message("request %" G_GUINT64_FORMAT " %s: protocol error, closing: %s", info->request_id, head.name,
		          err ? err->message : "?");
	g_debug("request %" G_GUINT64_FORMAT " conn %" G_GUINT64_FORMAT " %s %.3f ms", info->request_id, info->conn_id,
	        head.name, (g_get_monotonic_time() - t0) / 1000.0);
	return ok;
}

/*
 * How a reply ended, read from its bytes: a T_REPLY whose result struct starts with field 0
 * (or is empty) is "ok", another field is a declared Hive "exception", T_EXCEPTION is an
 * "application_exception". A reply already flushed (streamed) no longer starts with its
 * header and counts as "ok".
 */
static const char *door_outcome(const guint8 *p, gsize len, const char *name)
{
	if (len < 12 || (be32(p) & 0xffff0000u) != 0x80010000u)
		return "ok";
	guint32 type = be32(p) & 0xff, nlen = be32(p + 4);
	gsize off = 8 + (gsize)nlen + 4;
	if (nlen != strlen(name) || off > len || memcmp(p + 8, name, nlen) != 0)
		return "ok";
	if (type == T_EXCEPTION)
		return "application_exception";
	if (type != T_REPLY || off + 3 > len || p[off] == T_STOP)
		return "ok";
	return (p[off + 1] << 8 | p[off + 2]) == 0 ? "ok" : "exception";
}

/* Runs one message and counts it in the metrics registry (common/metrics.h). */
static gboolean door_handle(gpointer door_data, gpointer session, const NetRequestInfo *info, const guint8 *msg,
                            gsize len, GByteArray *reply)
{
	gint64 t0 = g_get_monotonic_time();
	guint start = reply->len;
	MsgHead head;
	gboolean known = peek_head(msg, len, &head) && thrift_handler_implements(head.name);
	metrics_call_begin("thrift", known ? head.name : "unknown");
	gboolean ok = door_handle_message(door_data, session, info, msg, len, reply);
	const char *outcome = !ok ? "protocol_error"
	                    : !known ? "unknown_method"
	                    : door_outcome(reply->data + start, reply->len - start, head.name);
	metrics_request_observe("thrift", known ? head.name : "unknown", outcome, g_get_monotonic_time() - t0);
	return ok;
}

/*
 * Checks a SASL PLAIN login (net/ calls it on a worker): the user is a principal name, the
 * password one of its active secret access keys. The error says why for the server's log.
 */
static gboolean door_authenticate(gpointer door_data, const NetRequestInfo *info, const char *user,
                                  const char *password, GError **error)
{
	ThriftDoor *door = door_data;
	g_return_val_if_fail(door->keyring != NULL, FALSE); /* main.c refuses sasl-plain without a key ring */
	AuthPrincipal who = {0};
	gboolean ok = auth_keyring_verify_password(door->keyring, user, password, &who, error);
	if (ok)
		g_debug("conn %" G_GUINT64_FORMAT " on %s: SASL PLAIN login as %s (key %s)", info->conn_id,
		        info->listener ? info->listener : "?", who.arn, who.access_key_id);
	auth_principal_clear(&who);
	return ok;
}

/*
 * Names the caller of a Kerberos ticket (net/ calls it on a worker once GSSAPI succeeded): the
 * auth_to_local rules map alice@REALM to alice. A ticket that maps to nothing is refused; both
 * outcomes are audited.
 */
static char *door_map_kerberos(gpointer door_data, const NetRequestInfo *info, const char *kerberos_principal,
                               GError **error)
{
	ThriftDoor *door = door_data;
	char *name = NULL;
	if (door->krb_rules == NULL)
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "no kerberos_principal_rules loaded");
	else
		name = kerberos_rules_map(door->krb_rules, kerberos_principal, door->krb_default_realm, error);
	g_autofree char *why = name ? NULL : g_strdup_printf("AuthenticationFailed: %s", (*error)->message);
	thrift_audit_login(door->config, info->peer, "sasl:GSSAPI", kerberos_principal, name, why);
	return name;
}

/*
 * The password of a delegation token for DIGEST-MD5 (net/ calls it on a worker): the token's
 * owner acts; a token a proxy user got is audited as "<proxy> on behalf of <owner>".
 */
static char *door_token_password(gpointer door_data, const NetRequestInfo *info, const char *username,
                                 char **principal, GError **error)
{
	ThriftDoor *door = door_data;
	g_autofree char *owner = NULL, *real_user = NULL;
	char *password = NULL;
	if (door->tokens == NULL)
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "this server has no delegation tokens");
	else if (auth_tokens_digest_password(door->tokens, username, &password, &owner, &real_user, error))
		*principal = auth_tokens_short_name(door->tokens, owner, error);
	if (password != NULL && *principal == NULL) {
		memset(password, 0, strlen(password));
		g_clear_pointer(&password, g_free);
	}
	g_autofree char *as = owner == NULL ? g_strdup("a delegation token")
	                    : real_user && *real_user ? g_strdup_printf("%s on behalf of %s (delegation token)", real_user, owner)
	                                              : g_strdup_printf("%s (delegation token)", owner);
	g_autofree char *why = password ? NULL : g_strdup_printf("AuthenticationFailed: %s", (*error)->message);
	thrift_audit_login(door->config, info->peer, "sasl:DIGEST-MD5", as, password ? *principal : NULL, why);
	return password;
}

/* The NetDoor callbacks of the Thrift door. */
const NetDoor *thrift_door_vtable(void)
{
	static const NetDoor vtable = {
		.session_new = door_session_new,
		.session_free = door_session_free,
		.handle = door_handle,
		.authenticate = door_authenticate,
		.map_kerberos = door_map_kerberos,
		.token_password = door_token_password,
	};
	return &vtable;
}

/*
 * The catalog's object encoder (catalog_set_object_encoder): a Glue document as the Hive struct
 * of its kind in Thrift's JSON protocol, as Hive's MessageBuilder writes *ObjJson fields.
 * NULL (the catalog then falls back to the document's JSON) for an unknown kind.
 */
static char *door_encode_object(const char *kind, JsonObject *doc, gpointer data)
{
	(void)data;
	ThriftStruct *obj = NULL;
	if (strcmp(kind, "table") == 0) {
		obj = THRIFT_STRUCT(translate_table_new_from_json(doc));
	} else if (strcmp(kind, "partition") == 0) {
		obj = THRIFT_STRUCT(translate_partition_new_from_json(doc));
	} else if (strcmp(kind, "database") == 0) {
		obj = g_object_new(TYPE_DATABASE, NULL);
		translate_database_from_json(doc, (Database *)obj);
	} else if (strcmp(kind, "function") == 0) {
		obj = g_object_new(TYPE_FUNCTION, NULL);
		translate_function_from_json(doc, (Function *)obj);
	}
	if (obj == NULL)
		return NULL;
	g_autoptr(GError) err = NULL;
	char *text = thrift_json_serialize(obj, &err);
	if (text == NULL)
		g_warning("notification: cannot encode %s: %s", kind, err ? err->message : "?");
	g_object_unref(obj);
	return text;
}

/* A new door; never fails. */
/* Registers every generated type (schema/patch-generated.sh): their registration is unlocked. */
void propolis_gen_types_init(void);

gpointer thrift_door_new(Catalog *cat, const PropolisConfig *config)
{
	propolis_gen_types_init();
	ThriftDoor *door = g_new0(ThriftDoor, 1);
	door->cat = cat;
	door->config = config;
	door->handler = thrift_handler_new();
	door->processor = g_object_new(TYPE_THRIFT_HIVE_METASTORE_PROCESSOR, "handler", door->handler, NULL);
	door->started_s = g_get_real_time() / G_USEC_PER_SEC;
	catalog_set_object_encoder(cat, door_encode_object, NULL); /* stateless: outlives the door safely */
	return door;
}

/* See door.h. */
void thrift_door_set_keyring(gpointer door, AuthKeyring *keyring)
{
	((ThriftDoor *)door)->keyring = keyring;
}

/* See door.h. */
void thrift_door_set_tokens(gpointer door_data, AuthTokens *tokens)
{
	ThriftDoor *door = door_data;
	door->tokens = tokens;
	if (tokens && door->krb_rules)
		auth_tokens_set_rules(tokens, door->krb_rules, door->krb_default_realm);
}

/* See door.h. */
void thrift_door_set_kerberos(gpointer door_data, KerberosRules *rules, const char *default_realm)
{
	ThriftDoor *door = door_data;
	g_clear_pointer(&door->krb_rules, kerberos_rules_free);
	g_free(door->krb_default_realm);
	door->krb_rules = rules;
	door->krb_default_realm = g_strdup(default_realm);
	if (door->tokens)
		auth_tokens_set_rules(door->tokens, rules, default_realm);
}

/* Frees a door no worker uses any more. */
void thrift_door_free(gpointer door_data)
{
	ThriftDoor *door = door_data;
	if (door == NULL)
		return;
	g_object_unref(door->processor);
	g_object_unref(door->handler);
	kerberos_rules_free(door->krb_rules);
	g_free(door->krb_default_realm);
	g_free(door);
}
