/*
 * dtoken_manager.h — Hive's delegation token secret manager over the catalog (issue 16).
 *
 * What Hive's TokenStoreDelegationTokenSecretManager with DBTokenStore does, with the token
 * store and master keys in PostgreSQL (migration 0016) so tokens survive restarts and work on
 * every server sharing the database: master keys are random, sealed with the key ring and
 * rolled when the newest is older than key_update_interval (checked on use, by whichever
 * server signs first); a token's identifier names owner, renewer (short name), real user,
 * issue and max dates, a random sequence number and the master key id; its password is
 * HMAC-SHA1(master key, identifier). Renewal is for the renewer and moves the renew date to
 * min(max date, now + renew interval); a token past its renew date (not renewed) or max date is
 * refused; tokens past their max date are deleted when keys roll. Hive's error texts.
 *
 * Ownership: borrows cat, keyring and rules (they outlive it). Threading: any worker thread.
 * Errors: G_IO_ERROR_PERMISSION_DENIED / G_IO_ERROR_INVALID_DATA / G_IO_ERROR_NOT_FOUND with
 * Hive's messages; CATALOG_ERROR passed on (ACCESS_DENIED for a non-administrator, PostgreSQL).
 */
#ifndef PROPOLIS_AUTH_DTOKEN_MANAGER_H
#define PROPOLIS_AUTH_DTOKEN_MANAGER_H

#include <glib.h>

#include "auth/kerberos_name.h"
#include "auth/keys.h"
#include "catalog/catalog.h"

G_BEGIN_DECLS

typedef struct AuthTokens AuthTokens;

typedef struct {
	gint64 key_update_ms; /* hive.cluster.delegation.key.update-interval (1 day) */
	gint64 renew_ms;      /* hive.cluster.delegation.token.renew-interval (1 day) */
	gint64 max_ms;        /* hive.cluster.delegation.token.max-lifetime (7 days) */
	const char *proxy_users; /* "svc=alice,bob;spark=*": who may get tokens owned by others */
	const char *proxy_groups; /* "svc=etl,analysts;spark=*": or owners in these principal groups */
	const char *proxy_hosts; /* "svc=10.0.0.5;spark=*": from where (a service with no entry: anywhere) */
} AuthTokensConfig;

AuthTokens *auth_tokens_new(Catalog *cat, AuthKeyring *kr, const AuthTokensConfig *cfg);
void auth_tokens_free(AuthTokens *t);
/* The rules that shorten owner and renewer names (NULL: names are used as given). */
void auth_tokens_set_rules(AuthTokens *t, const KerberosRules *rules, const char *default_realm);

/* A Kerberos or other full name shortened by the rules ("alice@REALM" → "alice"); as given when it has no realm. */
char *auth_tokens_short_name(AuthTokens *t, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * get_delegation_token: ctx->principal is the caller (short name); by_token TRUE refuses (a
 * token does not mint tokens here). An owner other than the caller needs the caller in
 * proxy_users naming the owner, or in proxy_groups naming one of the owner's Propolis groups
 * (principal groups, read through the catalog), as Hadoop's DefaultImpersonationProvider; and,
 * when proxy_hosts names the caller, peer's address among its hosts. Returns the token string.
 */
char *auth_tokens_get(AuthTokens *t, const CatalogCtx *ctx, const char *peer, gboolean by_token, const char *owner,
                      const char *renewer, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* renew_delegation_token: the new expiry (ms), or -1 with error. */
gint64 auth_tokens_renew(AuthTokens *t, const CatalogCtx *ctx, const char *token, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* cancel_delegation_token: the owner, the renewer or an administrator. */
gboolean auth_tokens_cancel(AuthTokens *t, const CatalogCtx *ctx, const char *token, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * DIGEST-MD5's password lookup: username is base64(identifier) (either alphabet). Fills
 * password (base64 of the token password, as Hadoop's SaslDigestCallbackHandler uses it; wipe
 * and free), *owner (the owner's short name) and *real_user ("" when none). FALSE with
 * "token expired or does not exist: ..." and the like.
 */
gboolean auth_tokens_digest_password(AuthTokens *t, const char *username, char **password, char **owner,
                                     char **real_user, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Hive's master key strings from get_master_keys / add_master_key, sealed at rest. */
char *auth_tokens_seal_key(AuthTokens *t, const char *key_text);
char *auth_tokens_open_key(AuthTokens *t, const char *sealed, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
