/*
 * dtoken_manager.c — Hive's delegation token secret manager over the catalog (see dtoken_manager.h).
 *
 * Keys: the newest master_keys row is the current key while younger than key_update_ms;
 * otherwise a new 32-byte random key is added (its id from the row, then rewritten with the
 * id inside, as Hive's logUpdateMasterKey does) and expired tokens are swept. Every key is
 * stored as Hive's DelegationKey string sealed with the key ring (aad "master_key").
 */
#include "auth/dtoken_manager.h"

#include <gio/gio.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <string.h>

#include "auth/dtoken.h"

#define KEY_AAD "master_key"
#define KEY_BYTES 32

struct AuthTokens {
	Catalog *cat;
	AuthKeyring *kr;
	AuthTokensConfig cfg;
	char *proxy_users, *proxy_groups, *proxy_hosts;
	const KerberosRules *rules;
	char *realm;
};

AuthTokens *auth_tokens_new(Catalog *cat, AuthKeyring *kr, const AuthTokensConfig *cfg)
{
	AuthTokens *t = g_new0(AuthTokens, 1);
	t->cat = cat;
	t->kr = kr;
	t->cfg = *cfg;
	t->proxy_users = g_strdup(cfg->proxy_users);
	t->cfg.proxy_users = t->proxy_users;
	t->proxy_groups = g_strdup(cfg->proxy_groups);
	t->cfg.proxy_groups = t->proxy_groups;
	t->proxy_hosts = g_strdup(cfg->proxy_hosts);
	t->cfg.proxy_hosts = t->proxy_hosts;
	return t;
}

void auth_tokens_free(AuthTokens *t)
{
	if (t == NULL)
		return;
	g_free(t->proxy_users);
	g_free(t->proxy_groups);
	g_free(t->proxy_hosts);
	g_free(t->realm);
	g_free(t);
}

void auth_tokens_set_rules(AuthTokens *t, const KerberosRules *rules, const char *default_realm)
{
	t->rules = rules;
	g_free(t->realm);
	t->realm = g_strdup(default_realm);
}

char *auth_tokens_short_name(AuthTokens *t, const char *name, GError **error)
{
	if (name == NULL || strchr(name, '@') == NULL || t->rules == NULL)
		return g_strdup(name ? name : "");
	return kerberos_rules_map(t->rules, name, t->realm, error);
}

char *auth_tokens_seal_key(AuthTokens *t, const char *key_text)
{
	return auth_keyring_seal_text(t->kr, key_text, KEY_AAD);
}

char *auth_tokens_open_key(AuthTokens *t, const char *sealed, GError **error)
{
	return auth_keyring_open_text(t->kr, sealed, KEY_AAD, error);
}

/* The key bytes of a sealed master key row (and its id inside). */
static GBytes *tokens_key_bytes(AuthTokens *t, const StoreMasterKey *row, GError **error)
{
	g_autofree char *text = auth_tokens_open_key(t, row->sealed, error);
	if (text == NULL)
		return NULL;
	gint32 id = 0;
	gint64 expiry = 0;
	GBytes *key = NULL;
	if (!dtoken_key_decode(text, &id, &expiry, &key, error))
		return NULL;
	return key;
}

/* The master key with id, or NULL with Hive's "Unable to find master key for keyId=". */
static GBytes *tokens_key_by_id(AuthTokens *t, gint32 id, GError **error)
{
	g_autoptr(GPtrArray) keys = catalog_master_key_list(t->cat, NULL, error);
	if (keys == NULL)
		return NULL;
	for (guint i = 0; i < keys->len; i++) {
		const StoreMasterKey *k = g_ptr_array_index(keys, i);
		if (k->id == id)
			return tokens_key_bytes(t, k, error);
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Unable to find master key for keyId=%d", id);
	return NULL;
}

/* Adds a fresh master key (rolled) and sweeps tokens past their max date. */
static GBytes *tokens_roll_key(AuthTokens *t, gint32 *id, GError **error)
{
	guint8 raw[KEY_BYTES];
	g_assert(RAND_bytes(raw, sizeof raw) == 1);
	g_autofree char *pending = auth_tokens_seal_key(t, "pending");
	*id = catalog_master_key_add(t->cat, NULL, pending, error);
	if (*id == 0)
		return NULL;
	gint64 now = g_get_real_time() / 1000;
	g_autofree char *text = dtoken_key_encode(*id, now + t->cfg.key_update_ms + t->cfg.max_ms, raw, sizeof raw);
	g_autofree char *sealed = auth_tokens_seal_key(t, text);
	gboolean found = FALSE;
	if (!catalog_master_key_update(t->cat, NULL, *id, sealed, &found, error))
		return NULL;
	guint swept = 0;
	g_autoptr(GError) sweep = NULL;
	if (!catalog_dtoken_expire(t->cat, now, &swept, &sweep))
		g_warning("delegation tokens: sweeping expired tokens: %s", sweep->message);
	g_message("delegation tokens: new master key %d; %u expired token(s) removed", *id, swept);
	GBytes *key = g_bytes_new(raw, sizeof raw);
	OPENSSL_cleanse(raw, sizeof raw);
	return key;
}

/* The current master key: the newest while younger than the update interval, else a new one. */
static GBytes *tokens_current_key(AuthTokens *t, gint32 *id, GError **error)
{
	g_autoptr(GPtrArray) keys = catalog_master_key_list(t->cat, NULL, error);
	if (keys == NULL)
		return NULL;
	for (guint i = 0; i < keys->len; i++) {
		const StoreMasterKey *k = g_ptr_array_index(keys, i);
		if (k->age_ms >= t->cfg.key_update_ms)
			break;
		g_autoptr(GError) local = NULL;
		GBytes *key = tokens_key_bytes(t, k, &local);
		if (key != NULL) {
			*id = k->id;
			return key;
		}
	}
	return tokens_roll_key(t, id, error);
}

/* -1 when list ("svc=a,b;other=*") has no entry for caller; else whether one names name or "*". */
static int tokens_acl(const char *list, const char *caller, const char *name)
{
	int found = -1;
	g_auto(GStrv) entries = g_strsplit(list ? list : "", ";", -1);
	for (guint i = 0; entries[i]; i++) {
		g_auto(GStrv) kv = g_strsplit(entries[i], "=", 2);
		if (kv[0] == NULL || kv[1] == NULL || strcmp(g_strstrip(kv[0]), caller) != 0)
			continue;
		found = MAX(found, 0);
		g_auto(GStrv) items = g_strsplit(kv[1], ",", -1);
		for (guint u = 0; items[u]; u++) {
			const char *item = g_strstrip(items[u]);
			if (strcmp(item, "*") == 0 || strcmp(item, name) == 0)
				found = 1;
		}
	}
	return found;
}

/* The items every entry of spec ("caller=a,b;other=*") lists for caller (new, maybe empty). */
static GPtrArray *tokens_proxy_items(const char *spec, const char *caller)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) entries = g_strsplit(spec ? spec : "", ";", -1);
	for (guint i = 0; entries[i]; i++) {
		g_auto(GStrv) kv = g_strsplit(entries[i], "=", 2);
		if (kv[0] == NULL || kv[1] == NULL || strcmp(g_strstrip(kv[0]), caller) != 0)
			continue;
		g_auto(GStrv) items = g_strsplit(kv[1], ",", -1);
		for (guint u = 0; items[u]; u++)
			g_ptr_array_add(out, g_strdup(g_strstrip(items[u])));
	}
	return out;
}

/* TRUE when items holds "*" or name. */
static gboolean tokens_items_match(GPtrArray *items, const char *name)
{
	for (guint i = 0; i < items->len; i++) {
		const char *item = g_ptr_array_index(items, i);
		if (strcmp(item, "*") == 0 || strcmp(item, name) == 0)
			return TRUE;
	}
	return FALSE;
}

/*
 * Whether caller may get tokens owned by owner: owner among its proxy_users, or one of owner's
 * principal groups among its proxy_groups ("*": any owner), as Hadoop's impersonation rule.
 * The store is asked only when caller has a groups entry. FALSE with error when it fails.
 */
static gboolean tokens_may_proxy(AuthTokens *t, const char *caller, const char *owner, gboolean *may, GError **error)
{
	g_autoptr(GPtrArray) users = tokens_proxy_items(t->cfg.proxy_users, caller);
	g_autoptr(GPtrArray) groups = tokens_proxy_items(t->cfg.proxy_groups, caller);
	*may = tokens_items_match(users, owner) || tokens_items_match(groups, "*");
	if (*may || groups->len == 0)
		return TRUE;
	g_auto(GStrv) member_of = catalog_principal_groups_by_name(t->cat, owner, error);
	if (member_of == NULL)
		return FALSE;
	for (guint i = 0; member_of[i] && !*may; i++)
		*may = tokens_items_match(groups, member_of[i]);
	return TRUE;
}

char *auth_tokens_get(AuthTokens *t, const CatalogCtx *ctx, const char *peer, gboolean by_token, const char *owner,
                      const char *renewer, GError **error)
{
	const char *caller = ctx->principal ? ctx->principal : "anonymous";
	if (by_token) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		                    "Delegation Token can be issued only with kerberos authentication");
		return NULL;
	}
	g_autofree char *owner_short = auth_tokens_short_name(t, owner && *owner ? owner : caller, error);
	if (owner_short == NULL)
		return NULL;
	gboolean proxied = strcmp(owner_short, caller) != 0, may = !proxied;
	if (proxied && !tokens_may_proxy(t, caller, owner_short, &may, error))
		return NULL;
	if (!may) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "User: %s is not allowed to impersonate %s", caller,
		            owner_short);
		return NULL;
	}
	g_autofree char *ip = g_strdup(peer ? peer : "");
	char *colon = strrchr(ip, ':');
	if (colon && ip[0] != '[')
		*colon = '\0';
	else if (ip[0] == '[' && strchr(ip, ']'))
		*strchr(ip, ']') = '\0';
	const char *addr = ip[0] == '[' ? ip + 1 : ip;
	if (proxied && tokens_acl(t->cfg.proxy_hosts, caller, addr) == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Unauthorized connection for super-user: %s from IP %s",
		            caller, addr);
		return NULL;
	}
	g_autofree char *renewer_short = auth_tokens_short_name(t, renewer, error);
	if (renewer_short == NULL)
		return NULL;
	gint32 key_id = 0;
	g_autoptr(GBytes) key = tokens_current_key(t, &key_id, error);
	if (key == NULL)
		return NULL;
	gint64 now = g_get_real_time() / 1000;
	DTokenIdent id = {.owner = owner_short, .renewer = renewer_short, .real_user = proxied ? (char *)caller : "",
	                  .issue_date = now, .max_date = now + t->cfg.max_ms,
	                  .sequence_number = (gint32)g_random_int_range(1, G_MAXINT32), .master_key_id = key_id};
	g_autoptr(GBytes) ident = dtoken_ident_encode(&id);
	guint8 pw[DTOKEN_PASSWORD_LEN];
	gsize klen = 0;
	const guint8 *kb = g_bytes_get_data(key, &klen);
	dtoken_password(kb, klen, ident, pw);
	gsize ilen = 0;
	const guint8 *ib = g_bytes_get_data(ident, &ilen);
	g_autofree char *ident_text = dtoken_base64url(ib, ilen);
	g_autofree char *info = dtoken_info_encode(pw, sizeof pw, MIN(now + t->cfg.renew_ms, id.max_date));
	gboolean added = FALSE;
	char *token = NULL;
	if (catalog_dtoken_put(t->cat, NULL, ident_text, info, owner_short, renewer_short, id.max_date, FALSE, &added,
	                       error))
		token = dtoken_token_encode(ident, pw, sizeof pw);
	OPENSSL_cleanse(pw, sizeof pw);
	if (token)
		g_message("delegation token for %s (renewer %s)%s%s issued by %s", owner_short, renewer_short,
		          proxied ? ": " : "", proxied ? "proxy-user" : "", caller);
	return token;
}

/* A token string's identifier (parsed), its text key in the store and the presented password. */
typedef struct {
	DTokenIdent id;
	char *ident_text;
	GBytes *ident, *password;
} TokenParts;

static void token_parts_clear(TokenParts *p)
{
	dtoken_ident_clear(&p->id);
	g_free(p->ident_text);
	if (p->ident)
		g_bytes_unref(p->ident);
	if (p->password)
		g_bytes_unref(p->password);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TokenParts, token_parts_clear)

static gboolean tokens_parse(const char *token, TokenParts *p, GError **error)
{
	memset(p, 0, sizeof *p);
	if (!dtoken_token_decode(token, &p->ident, &p->password, error))
		return FALSE;
	gsize n = 0;
	const guint8 *b = g_bytes_get_data(p->ident, &n);
	if (!dtoken_ident_decode(b, n, &p->id, error))
		return FALSE;
	p->ident_text = dtoken_base64url(b, n);
	return TRUE;
}

/* The stored password and renew date of a token; FALSE with "token does not exist" when gone. */
static gboolean tokens_stored(AuthTokens *t, const char *ident_text, GBytes **pw, gint64 *renew_date, GError **error)
{
	gboolean found = FALSE;
	g_autofree char *info = catalog_dtoken_get(t->cat, NULL, ident_text, &found, error);
	if (info == NULL)
		return FALSE;
	if (!found) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "token expired or does not exist: %s", ident_text);
		return FALSE;
	}
	return dtoken_info_decode(info, pw, renew_date, error);
}

/* TRUE when the presented password is the token's (HMAC under its master key), constant time. */
static gboolean tokens_password_ok(AuthTokens *t, const TokenParts *p, GError **error)
{
	g_autoptr(GBytes) key = tokens_key_by_id(t, p->id.master_key_id, error);
	if (key == NULL)
		return FALSE;
	guint8 pw[DTOKEN_PASSWORD_LEN];
	gsize klen = 0, plen = 0;
	const guint8 *kb = g_bytes_get_data(key, &klen);
	dtoken_password(kb, klen, p->ident, pw);
	const guint8 *given = g_bytes_get_data(p->password, &plen);
	gboolean ok = plen == sizeof pw && CRYPTO_memcmp(pw, given, sizeof pw) == 0;
	OPENSSL_cleanse(pw, sizeof pw);
	if (!ok)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "token %s with wrong password", p->ident_text);
	return ok;
}

gint64 auth_tokens_renew(AuthTokens *t, const CatalogCtx *ctx, const char *token, GError **error)
{
	const char *caller = ctx->principal ? ctx->principal : "anonymous";
	g_auto(TokenParts) p = {0};
	if (!tokens_parse(token, &p, error))
		return -1;
	gint64 now = g_get_real_time() / 1000;
	if (p.id.max_date < now) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "%s tried to renew an expired token %s max expiration date: %" G_GINT64_FORMAT, caller,
		            p.ident_text, p.id.max_date);
		return -1;
	}
	if (p.id.renewer == NULL || *p.id.renewer == '\0') {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s tried to renew a token %s without a renewer",
		            caller, p.ident_text);
		return -1;
	}
	if (strcmp(p.id.renewer, caller) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "%s tries to renew a token (%s) with non-matching renewer %s", caller, p.ident_text, p.id.renewer);
		return -1;
	}
	g_autoptr(GBytes) stored = NULL;
	gint64 renew_date = 0;
	if (!tokens_stored(t, p.ident_text, &stored, &renew_date, error) || !tokens_password_ok(t, &p, error))
		return -1;
	gint64 next = MIN(p.id.max_date, now + t->cfg.renew_ms);
	gsize n = 0;
	const guint8 *pw = g_bytes_get_data(stored, &n);
	g_autofree char *info = dtoken_info_encode(pw, n, next);
	gboolean added = FALSE;
	if (!catalog_dtoken_put(t->cat, NULL, p.ident_text, info, p.id.owner, p.id.renewer, p.id.max_date, TRUE, &added,
	                        error))
		return -1;
	return next;
}

gboolean auth_tokens_cancel(AuthTokens *t, const CatalogCtx *ctx, const char *token, GError **error)
{
	g_auto(TokenParts) p = {0};
	if (!tokens_parse(token, &p, error))
		return FALSE;
	gboolean removed = FALSE;
	if (!catalog_dtoken_remove(t->cat, ctx, p.ident_text, p.id.owner, p.id.renewer, &removed, error))
		return FALSE;
	if (!removed) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Token not found %s", p.ident_text);
		return FALSE;
	}
	return TRUE;
}

gboolean auth_tokens_digest_password(AuthTokens *t, const char *username, char **password, char **owner,
                                     char **real_user, GError **error)
{
	g_autoptr(GBytes) ident = dtoken_base64_decode(username);
	DTokenIdent id = {0};
	gsize n = 0;
	const guint8 *b = ident ? g_bytes_get_data(ident, &n) : NULL;
	if (ident == NULL || !dtoken_ident_decode(b, n, &id, error)) {
		if (ident == NULL)
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the DIGEST-MD5 user is not base64");
		return FALSE;
	}
	g_autofree char *ident_text = dtoken_base64url(b, n);
	g_autoptr(GBytes) pw = NULL;
	gint64 renew_date = 0, now = g_get_real_time() / 1000;
	gboolean ok = tokens_stored(t, ident_text, &pw, &renew_date, error);
	if (ok && (renew_date < now || id.max_date < now)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "token %s is expired, current time: %" G_GINT64_FORMAT " expected renewal time: %" G_GINT64_FORMAT,
		            ident_text, now, renew_date);
		ok = FALSE;
	}
	if (ok) {
		gsize pl = 0;
		const guint8 *pb = g_bytes_get_data(pw, &pl);
		*password = g_base64_encode(pb, pl);
		*owner = g_strdup(id.owner);
		*real_user = g_strdup(id.real_user ? id.real_user : "");
	}
	dtoken_ident_clear(&id);
	return ok;
}
