/*
 * keys.h — secrets at rest and the SigV4 key ring: master key, data key, access keys.
 *
 * Envelope encryption as KMS does it: the master key (32 random bytes, hex in a 0600 file the
 * operator holds) wraps a data key (AES-256-GCM) stored in PostgreSQL; the data key encrypts
 * each access key's secret (AES-256-GCM, the key id as associated data). Servers sharing a
 * database must share the master key; a wrong one is refused at start by its fingerprint.
 *
 * Ownership: the AuthKeyring borrows the Catalog and is freed with auth_keyring_free(); it
 * wipes its keys. Threading: lookups from any worker thread. Errors: AUTH_ERROR (CRYPTO for
 * key files and decryption, UNKNOWN_KEY for an unknown access key), CATALOG_ERROR passed on
 * when PostgreSQL fails, G_FILE_ERROR for files.
 */
#ifndef PROPOLIS_AUTH_KEYS_H
#define PROPOLIS_AUTH_KEYS_H

#include <glib.h>

#include "catalog/catalog.h"

G_BEGIN_DECLS

typedef struct AuthKeyring AuthKeyring;

/* Who signed a request. Strings owned by the struct; clear with auth_principal_clear(). */
typedef struct {
	char *arn;
	char *access_key_id;
	gboolean is_admin;
} AuthPrincipal;

void auth_principal_clear(AuthPrincipal *p);

/* AES-256-GCM of data under key with aad; returns nonce(12) || ciphertext || tag(16). */
GBytes *auth_seal(const guint8 key[32], const guint8 *data, gsize len, const char *aad);

/* Opens what auth_seal() made. NULL with AUTH_ERROR_CRYPTO if the key, aad or bytes are wrong. */
GBytes *auth_open(const guint8 key[32], const guint8 *sealed, gsize len, const char *aad,
                  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Reads the master key from path (64 hex digits), creating it (0600, 32 random bytes) when
 * missing and create is TRUE. FALSE with AUTH_ERROR_CRYPTO / G_FILE_ERROR.
 */
gboolean auth_master_key_load(const char *path, gboolean create, guint8 key[32], GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * The key ring over cat with the master key at master_key_path (created if missing): takes the
 * data key from the database, or makes and stores the first one. NULL on a wrong master key.
 */
AuthKeyring *auth_keyring_open(Catalog *cat, const char *master_key_path, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void auth_keyring_free(AuthKeyring *kr);

/*
 * A key ring over cat with the given master key and a random data key (id 1) held only in
 * memory: nothing is read or stored, so it suits a detached catalog (catalog_new_detached());
 * page tokens and sealed texts work, lookups go to cat as usual. For fuzz targets and tests.
 */
AuthKeyring *auth_keyring_new_detached(Catalog *cat, const guint8 master[32]);

/*
 * A new access key (AKIA + 16 characters) and 40-character secret: fills key->key_id,
 * key->data_key_id and key->secret_hex (the secret sealed under the current data key with the
 * key id as associated data; free with store_principal_key_clear()) and returns the plaintext
 * secret (new string, caller wipes and frees). Never fails. Used by the bootstrap and by the
 * admin operations that create principals and rotate keys.
 */
char *auth_keyring_new_access_key(AuthKeyring *kr, StorePrincipalKey *key);

/*
 * On first start (no principal yet): creates the data lake administrator
 * arn:aws:iam::<account_id>:user/admin with a new access key and writes the key to
 * credentials_path (AWS CLI credentials format, [default], mode 0600). *created tells whether
 * it happened; a catalog that already has principals is left alone and no file is written.
 */
gboolean auth_keyring_bootstrap(AuthKeyring *kr, const char *account_id, const char *credentials_path,
                                gboolean *created, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * The principal and plaintext secret (new string, caller wipes and frees) of an active access
 * key. FALSE with AUTH_ERROR_UNKNOWN_KEY when unknown, CATALOG_ERROR when PostgreSQL fails.
 */
gboolean auth_keyring_lookup(AuthKeyring *kr, const char *key_id, AuthPrincipal *principal, char **secret,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Seals plain (a secret such as a connection password) under the current data key with aad
 * bound to it; returns text "<data key id>:<hex blob>" to store. New string.
 */
char *auth_keyring_seal_text(AuthKeyring *kr, const char *plain, const char *aad);

/*
 * Opens text made by auth_keyring_seal_text() (under any data key) with the same aad; returns
 * the plaintext (new string, caller wipes and frees), or NULL with AUTH_ERROR_CRYPTO.
 */
char *auth_keyring_open_text(AuthKeyring *kr, const char *sealed, const char *aad, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The master key's public fingerprint (what 0005 stores beside the data keys). New string. */
char *auth_keyring_fingerprint(AuthKeyring *kr);

/* HMAC-SHA256 of data under a key derived from the master key for purpose (e.g. page tokens). */
void auth_keyring_mac(AuthKeyring *kr, const char *purpose, const guint8 *data, gsize len, guint8 out[32]);

/*
 * Checks a SASL PLAIN login: name is a principal's name (a user before a role of the same
 * name) and password one of its active secret access keys, compared in constant time. TRUE
 * fills *principal (arn, the matching access key id, is_admin; auth_principal_clear()). FALSE
 * with AUTH_ERROR_PASSWORD when the principal is unknown, has no active key or none matches
 * (the message says which: for the server log, never for the client), CATALOG_ERROR when
 * PostgreSQL fails, AUTH_ERROR_CRYPTO when a stored secret cannot be opened. Worker threads.
 */
gboolean auth_keyring_verify_password(AuthKeyring *kr, const char *name, const char *password,
                                      AuthPrincipal *principal, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
