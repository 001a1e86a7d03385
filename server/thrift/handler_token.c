/*
 * handler_token.c — Hive's delegation token methods on the Thrift door (issue 16).
 *
 * get/renew/cancel_delegation_token go to the secret manager (auth/dtoken_manager.c) with the
 * caller's principal; Hive's token-store methods (add_token, remove_token, get_token,
 * get_all_token_identifiers, add/update/remove_master_key, get_master_keys) move rows of the
 * same store, for data lake administrators only (Hive leaves them open; a master key mints
 * tokens for anyone). Master key strings are sealed with the key ring at rest. Errors are
 * MetaException with Hive's texts; where Hive declares no exception, a refused caller gets the
 * empty answer (see token_refused_quietly).
 */
#include <string.h>

#include "auth/dtoken.h"
#include "auth/dtoken_manager.h"
#include "common/error.h"
#include "thrift/handler.h"

static const char *const token_methods[] = {
	"get_delegation_token", "renew_delegation_token", "cancel_delegation_token", "add_token", "remove_token",
	"get_token", "get_all_token_identifiers", "add_master_key", "update_master_key", "remove_master_key",
	"get_master_keys",
};

/* The manager, or NULL with a MetaException-worthy error when this server has none. */
static AuthTokens *tokens_now(GError **err)
{
	ThriftCall *c = thrift_call_current();
	if (c && c->tokens)
		return c->tokens;
	g_set_error_literal(err, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
	                    "delegation tokens need the key ring (--master-key-file): this server has none");
	return NULL;
}

static gboolean h_get_delegation_token(ThriftHiveMetastoreIf *iface, gchar **ret, const gchar *owner,
                                       const gchar *renewer, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	AuthTokens *t = tokens_now(&err);
	ThriftCall *c = thrift_call_current();
	char *token = t ? auth_tokens_get(t, &ctx, c->session ? c->session->peer : NULL, c->by_token, owner, renewer, &err)
	                : NULL;
	if (token == NULL)
		return thrift_error_raise(err, &out, error);
	*ret = token;
	return TRUE;
}

static gboolean h_renew_delegation_token(ThriftHiveMetastoreIf *iface, gint64 *ret, const gchar *token,
                                         MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	AuthTokens *t = tokens_now(&err);
	gint64 next = t ? auth_tokens_renew(t, &ctx, token, &err) : -1;
	if (next < 0)
		return thrift_error_raise(err, &out, error);
	*ret = next;
	return TRUE;
}

static gboolean h_cancel_delegation_token(ThriftHiveMetastoreIf *iface, const gchar *token, MetaException **o1,
                                          GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	AuthTokens *t = tokens_now(&err);
	if (t == NULL || !auth_tokens_cancel(t, &ctx, token, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

/*
 * Hive declares no exception for add_token, remove_token, get_token, get_all_token_identifiers,
 * remove_master_key and get_master_keys, and a TApplicationException raised through the
 * generated processor leaks (libthrift_c_glib's exception object drops GObject's qdata). So a
 * caller who is not an administrator gets the empty answer (false, "", []) — what a missing
 * token gets — and the refusal is logged and audited; other errors still raise.
 */
static gboolean token_refused_quietly(GError *err)
{
	if (err == NULL || err->domain != CATALOG_ERROR || err->code != CATALOG_ERROR_ACCESS_DENIED)
		return FALSE;
	ThriftCall *c = thrift_call_current();
	g_message("request %" G_GUINT64_FORMAT " %s: %s (answered empty)", c ? c->request_id : 0,
	          c && c->method ? c->method : "?", err->message);
	if (c != NULL && !c->audited) {
		thrift_audit_log(c, c->method, NULL, "AccessDenied", thrift_audit_elapsed_ms(c));
		c->audited = TRUE;
	}
	g_error_free(err);
	return TRUE;
}

/* Parsed owner and renewer of an identifier string, when it parses (for the list and cancel rules). */
static void token_ident_names(const char *ident_text, char **owner, char **renewer, gint64 *max_date)
{
	g_autoptr(GBytes) b = ident_text ? dtoken_base64_decode(ident_text) : NULL;
	DTokenIdent id = {0};
	gsize n = 0;
	const guint8 *p = b ? g_bytes_get_data(b, &n) : NULL;
	if (p && dtoken_ident_decode(p, n, &id, NULL)) {
		*owner = g_steal_pointer(&id.owner);
		*renewer = g_steal_pointer(&id.renewer);
		*max_date = id.max_date;
	}
	dtoken_ident_clear(&id);
}

static gboolean h_add_token(ThriftHiveMetastoreIf *iface, gboolean *ret, const gchar *ident, const gchar *token,
                            GError **error)
{
	ThriftErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autofree char *owner = NULL, *renewer = NULL;
	gint64 max_date = 0;
	token_ident_names(ident, &owner, &renewer, &max_date);
	if (!catalog_dtoken_put(thrift_cat_now(), &ctx, ident ? ident : "", token ? token : "", owner, renewer, max_date,
	                        FALSE, ret, &err))
		return token_refused_quietly(err) ? (*ret = FALSE, TRUE) : thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_remove_token(ThriftHiveMetastoreIf *iface, gboolean *ret, const gchar *ident, GError **error)
{
	ThriftErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_dtoken_remove(thrift_cat_now(), &ctx, ident ? ident : "", NULL, NULL, ret, &err))
		return token_refused_quietly(err) ? (*ret = FALSE, TRUE) : thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_get_token(ThriftHiveMetastoreIf *iface, gchar **ret, const gchar *ident, GError **error)
{
	ThriftErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	gboolean found = FALSE;
	char *token = catalog_dtoken_get(thrift_cat_now(), &ctx, ident ? ident : "", &found, &err);
	if (token == NULL && token_refused_quietly(err))
		token = g_strdup("");
	else if (token == NULL)
		return thrift_error_raise(err, &out, error);
	*ret = token; /* "" when there is none: Thrift cannot return null (Hive) */
	return TRUE;
}

static gboolean h_get_all_token_identifiers(ThriftHiveMetastoreIf *iface, GPtrArray **ret, GError **error)
{
	ThriftErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autoptr(GPtrArray) rows = catalog_dtoken_list(thrift_cat_now(), &ctx, &err);
	if (rows == NULL)
		return token_refused_quietly(err) ? TRUE : thrift_error_raise(err, &out, error);
	for (guint i = 0; i < rows->len; i++)
		g_ptr_array_add(*ret, g_strdup(((StoreDToken *)g_ptr_array_index(rows, i))->ident));
	return TRUE;
}

static gboolean h_add_master_key(ThriftHiveMetastoreIf *iface, gint32 *ret, const gchar *key, MetaException **o1,
                                 GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	AuthTokens *t = tokens_now(&err);
	g_autofree char *sealed = t ? auth_tokens_seal_key(t, key ? key : "") : NULL;
	gint32 id = sealed ? catalog_master_key_add(thrift_cat_now(), &ctx, sealed, &err) : 0;
	if (id == 0)
		return thrift_error_raise(err, &out, error);
	*ret = id;
	return TRUE;
}

static gboolean h_update_master_key(ThriftHiveMetastoreIf *iface, const gint32 seq, const gchar *key,
                                    NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	AuthTokens *t = tokens_now(&err);
	g_autofree char *sealed = t ? auth_tokens_seal_key(t, key ? key : "") : NULL;
	gboolean found = FALSE;
	if (sealed == NULL || !catalog_master_key_update(thrift_cat_now(), &ctx, seq, sealed, &found, &err))
		return thrift_error_raise(err, &out, error);
	if (!found) {
		*o1 = thrift_error_new_exception(TYPE_NO_SUCH_OBJECT_EXCEPTION, "No key found with keyId: ");
		g_autofree char *msg = g_strdup_printf("No key found with keyId: %d", seq);
		g_object_set(*o1, "message", msg, NULL);
		return FALSE;
	}
	return TRUE;
}

static gboolean h_remove_master_key(ThriftHiveMetastoreIf *iface, gboolean *ret, const gint32 seq, GError **error)
{
	ThriftErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_master_key_remove(thrift_cat_now(), &ctx, seq, ret, &err))
		return token_refused_quietly(err) ? (*ret = FALSE, TRUE) : thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_get_master_keys(ThriftHiveMetastoreIf *iface, GPtrArray **ret, GError **error)
{
	ThriftErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	AuthTokens *t = tokens_now(&err);
	g_autoptr(GPtrArray) rows = t ? catalog_master_key_list(thrift_cat_now(), &ctx, &err) : NULL;
	if (rows == NULL)
		return token_refused_quietly(err) ? TRUE : thrift_error_raise(err, &out, error);
	for (guint i = 0; i < rows->len; i++) {
		const StoreMasterKey *k = g_ptr_array_index(rows, i);
		g_autoptr(GError) open_err = NULL;
		char *text = auth_tokens_open_key(t, k->sealed, &open_err);
		if (text == NULL) {
			g_warning("get_master_keys: key %d cannot be opened: %s", k->id, open_err->message);
			continue;
		}
		g_ptr_array_add(*ret, text);
	}
	return TRUE;
}

void thrift_token_install(ThriftHiveMetastoreHandlerClass *klass)
{
	klass->get_delegation_token = h_get_delegation_token;
	klass->renew_delegation_token = h_renew_delegation_token;
	klass->cancel_delegation_token = h_cancel_delegation_token;
	klass->add_token = h_add_token;
	klass->remove_token = h_remove_token;
	klass->get_token = h_get_token;
	klass->get_all_token_identifiers = h_get_all_token_identifiers;
	klass->add_master_key = h_add_master_key;
	klass->update_master_key = h_update_master_key;
	klass->remove_master_key = h_remove_master_key;
	klass->get_master_keys = h_get_master_keys;
}

const char *const *thrift_token_methods(guint *n)
{
	*n = G_N_ELEMENTS(token_methods);
	return token_methods;
}
