/*
 * keys.c — master key file, data key, encrypted access-key secrets, bootstrap administrator.
 *
 * Invariants: plaintext keys live only in the AuthKeyring (wiped on free) and in the
 * credentials file written once at bootstrap; the database holds only sealed blobs. The data
 * key in use is the newest row of data_keys; secrets sealed under an older one are opened by
 * fetching and unwrapping that key on demand. Blobs are nonce(12) || ciphertext || tag(16).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "auth/keys.h"
#include "common/error.h"

#define KEYS_NONCE 12
#define KEYS_TAG 16
#define KEYS_DATA_KEY_AAD "propolis-data-key"

struct AuthKeyring {
	Catalog *cat;
	guint8 master[32];
	gint64 data_key_id;
	guint8 data_key[32];
};

/* Frees the strings of a principal. */
void auth_principal_clear(AuthPrincipal *p)
{
	g_clear_pointer(&p->arn, g_free);
	g_clear_pointer(&p->access_key_id, g_free);
}

/* Seals data under key: AES-256-GCM with a random nonce. */
GBytes *auth_seal(const guint8 key[32], const guint8 *data, gsize len, const char *aad)
{
	guint8 *out = g_malloc(KEYS_NONCE + len + KEYS_TAG);
	int n = 0;
	g_assert(RAND_bytes(out, KEYS_NONCE) == 1);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	g_assert(EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out) == 1);
	g_assert(EVP_EncryptUpdate(c, NULL, &n, (const guint8 *)aad, (int)strlen(aad)) == 1);
	g_assert(EVP_EncryptUpdate(c, out + KEYS_NONCE, &n, data, (int)len) == 1);
	g_assert(EVP_EncryptFinal_ex(c, out + KEYS_NONCE + n, &n) == 1);
	g_assert(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, KEYS_TAG, out + KEYS_NONCE + len) == 1);
	EVP_CIPHER_CTX_free(c);
	return g_bytes_new_take(out, KEYS_NONCE + len + KEYS_TAG);
}

/* Opens a sealed blob; AUTH_ERROR_CRYPTO when it does not authenticate. */
GBytes *auth_open(const guint8 key[32], const guint8 *sealed, gsize len, const char *aad, GError **error)
{
	if (len < KEYS_NONCE + KEYS_TAG) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_CRYPTO, "sealed blob too short");
		return NULL;
	}
	gsize plen = len - KEYS_NONCE - KEYS_TAG;
	guint8 *out = g_malloc(plen + 1);
	int n = 0, ok = 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	ok = EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, sealed) == 1 &&
	     EVP_DecryptUpdate(c, NULL, &n, (const guint8 *)aad, (int)strlen(aad)) == 1 &&
	     EVP_DecryptUpdate(c, out, &n, sealed + KEYS_NONCE, (int)plen) == 1 &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, KEYS_TAG, (void *)(sealed + KEYS_NONCE + plen)) == 1 &&
	     EVP_DecryptFinal_ex(c, out + n, &n) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok) {
		OPENSSL_cleanse(out, plen);
		g_free(out);
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_CRYPTO, "decryption failed (wrong key or corrupted data)");
		return NULL;
	}
	out[plen] = '\0';
	return g_bytes_new_take(out, plen);
}

static char *keys_hex(const guint8 *b, gsize n)
{
	GString *s = g_string_sized_new(n * 2);
	for (gsize i = 0; i < n; i++)
		g_string_append_printf(s, "%02x", b[i]);
	return g_string_free(s, FALSE);
}

/* Decodes hex text into a new buffer; NULL on odd length or a non-hex digit. */
static guint8 *keys_unhex(const char *hex, gsize *len_out)
{
	gsize n = strlen(hex);
	if (n % 2 != 0)
		return NULL;
	guint8 *out = g_malloc(n / 2 + 1);
	for (gsize i = 0; i < n / 2; i++) {
		int hi = g_ascii_xdigit_value(hex[2 * i]), lo = g_ascii_xdigit_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			g_free(out);
			return NULL;
		}
		out[i] = (guint8)(hi * 16 + lo);
	}
	*len_out = n / 2;
	return out;
}

/* Writes a new 0600 file atomically enough: O_EXCL, so an existing file is never overwritten. */
static gboolean keys_write_private(const char *path, const char *text, GError **error)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", path, g_strerror(e));
		return FALSE;
	}
	gsize len = strlen(text);
	gboolean ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	int e = errno;
	close(fd);
	if (!ok) {
		unlink(path);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", path, g_strerror(e));
	}
	return ok;
}

/* Reads (or creates) the master key file. */
gboolean auth_master_key_load(const char *path, gboolean create, guint8 key[32], GError **error)
{
	g_autofree char *text = NULL;
	if (!g_file_test(path, G_FILE_TEST_EXISTS) && create) {
		guint8 fresh[32];
		g_assert(RAND_bytes(fresh, sizeof fresh) == 1);
		g_autofree char *hex = keys_hex(fresh, sizeof fresh);
		g_autofree char *line = g_strdup_printf("%s\n", hex);
		OPENSSL_cleanse(fresh, sizeof fresh);
		gboolean ok = keys_write_private(path, line, error);
		OPENSSL_cleanse(line, strlen(line));
		OPENSSL_cleanse(hex, strlen(hex));
		if (!ok && !g_error_matches(*error, G_FILE_ERROR, G_FILE_ERROR_EXIST))
			return FALSE;
		g_clear_error(error); /* another server created it first: read theirs */
	}
	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	g_strstrip(text);
	gsize n = 0;
	g_autofree guint8 *raw = keys_unhex(text, &n);
	OPENSSL_cleanse(text, strlen(text));
	if (raw == NULL || n != 32) {
		g_set_error(error, AUTH_ERROR, AUTH_ERROR_CRYPTO, "%s: a master key is 64 hex digits (32 bytes)", path);
		return FALSE;
	}
	memcpy(key, raw, 32);
	OPENSSL_cleanse(raw, n);
	return TRUE;
}

/* First 16 hex digits of SHA-256 of the master key: tells keys apart without revealing them. */
static char *keys_fingerprint(const guint8 master[32])
{
	guint8 md[32];
	SHA256(master, 32, md);
	return keys_hex(md, 8);
}

/* Unwraps a data key given as hex; AUTH_ERROR_CRYPTO when the master key does not open it. */
static gboolean keys_unwrap(const guint8 master[32], const char *wrapped_hex, guint8 out[32], GError **error)
{
	gsize n = 0;
	g_autofree guint8 *blob = keys_unhex(wrapped_hex, &n);
	if (blob == NULL) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_CRYPTO, "stored data key is not hex");
		return FALSE;
	}
	g_autoptr(GBytes) dk = auth_open(master, blob, n, KEYS_DATA_KEY_AAD, error);
	if (dk == NULL)
		return FALSE;
	if (g_bytes_get_size(dk) != 32) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_CRYPTO, "stored data key has the wrong size");
		return FALSE;
	}
	memcpy(out, g_bytes_get_data(dk, NULL), 32);
	OPENSSL_cleanse((void *)g_bytes_get_data(dk, NULL), 32);
	return TRUE;
}

/* Opens the key ring; see keys.h. */
AuthKeyring *auth_keyring_open(Catalog *cat, const char *master_key_path, GError **error)
{
	g_autofree AuthKeyring *kr = g_new0(AuthKeyring, 1);
	kr->cat = cat;
	if (!auth_master_key_load(master_key_path, TRUE, kr->master, error))
		return NULL;
	guint8 fresh[32];
	g_assert(RAND_bytes(fresh, sizeof fresh) == 1);
	g_autoptr(GBytes) wrapped = auth_seal(kr->master, fresh, sizeof fresh, KEYS_DATA_KEY_AAD);
	OPENSSL_cleanse(fresh, sizeof fresh);
	g_autofree char *wrapped_hex = keys_hex(g_bytes_get_data(wrapped, NULL), g_bytes_get_size(wrapped));
	g_autofree char *fp = keys_fingerprint(kr->master);
	g_autofree char *stored = NULL, *stored_fp = NULL;
	if (!catalog_data_key_ensure(cat, fp, wrapped_hex, &kr->data_key_id, &stored, &stored_fp, error))
		goto fail;
	if (strcmp(fp, stored_fp) != 0) {
		g_set_error(error, AUTH_ERROR, AUTH_ERROR_CRYPTO,
		            "master key %s (fingerprint %s) is not the key this database's secrets are under (fingerprint %s)",
		            master_key_path, fp, stored_fp);
		goto fail;
	}
	if (!keys_unwrap(kr->master, stored, kr->data_key, error))
		goto fail;
	return g_steal_pointer(&kr);
fail:
	OPENSSL_cleanse(kr->master, sizeof kr->master);
	return NULL;
}

/* A key ring whose data key exists only in memory (see keys.h); never fails. */
AuthKeyring *auth_keyring_new_detached(Catalog *cat, const guint8 master[32])
{
	AuthKeyring *kr = g_new0(AuthKeyring, 1);
	kr->cat = cat;
	memcpy(kr->master, master, sizeof kr->master);
	kr->data_key_id = 1;
	g_assert(RAND_bytes(kr->data_key, sizeof kr->data_key) == 1);
	return kr;
}

/* Wipes and frees the key ring. */
void auth_keyring_free(AuthKeyring *kr)
{
	if (kr == NULL)
		return;
	OPENSSL_cleanse(kr, sizeof *kr);
	g_free(kr);
}

/* count random characters from alphabet (rejection sampling keeps them uniform). */
static char *keys_random_string(const char *alphabet, guint count)
{
	gsize n = strlen(alphabet);
	guint limit = 256 - 256 % n;
	GString *s = g_string_sized_new(count);
	while (s->len < count) {
		guint8 b;
		g_assert(RAND_bytes(&b, 1) == 1);
		if (b < limit)
			g_string_append_c(s, alphabet[b % n]);
	}
	return g_string_free(s, FALSE);
}

/* A new access key with its sealed secret; see keys.h. */
char *auth_keyring_new_access_key(AuthKeyring *kr, StorePrincipalKey *key)
{
	g_autofree char *suffix = keys_random_string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
	char *secret = keys_random_string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
	key->key_id = g_strconcat("AKIA", suffix, NULL);
	g_autoptr(GBytes) sealed = auth_seal(kr->data_key, (const guint8 *)secret, strlen(secret), key->key_id);
	key->secret_hex = keys_hex(g_bytes_get_data(sealed, NULL), g_bytes_get_size(sealed));
	key->data_key_id = kr->data_key_id;
	return secret;
}

/* Bootstraps the administrator; see keys.h. */
gboolean auth_keyring_bootstrap(AuthKeyring *kr, const char *account_id, const char *credentials_path,
                                gboolean *created, GError **error)
{
	*created = FALSE;
	StorePrincipalKey admin = {.name = g_strdup("admin"), .kind = g_strdup("user"), .is_admin = TRUE};
	admin.arn = g_strdup_printf("arn:aws:iam::%s:user/admin", account_id);
	g_autofree char *secret = auth_keyring_new_access_key(kr, &admin);
	g_autofree char *tmp = g_strdup_printf("%s.tmp-%d", credentials_path, (int)getpid());
	g_autofree char *text = g_strdup_printf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n",
	                                        admin.key_id, secret);
	OPENSSL_cleanse(secret, strlen(secret));
	/* The file first: committing keys nobody can read would lock the operator out. */
	unlink(tmp);
	gboolean ok = keys_write_private(tmp, text, error);
	OPENSSL_cleanse(text, strlen(text));
	if (ok && (!catalog_principal_bootstrap(kr->cat, &admin, created, error) || !*created)) {
		unlink(tmp);
		ok = !(error && *error);
	} else if (ok && rename(tmp, credentials_path) != 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: %s", credentials_path, g_strerror(e));
		ok = FALSE;
	}
	store_principal_key_clear(&admin);
	return ok;
}

/* The principal and secret of an access key; see keys.h. */
gboolean auth_keyring_lookup(AuthKeyring *kr, const char *key_id, AuthPrincipal *principal, char **secret,
                             GError **error)
{
	StorePrincipalKey k = {0};
	GError *cerr = NULL;
	if (!catalog_access_key_get(kr->cat, key_id, &k, &cerr)) {
		if (g_error_matches(cerr, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND)) {
			g_clear_error(&cerr);
			g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_UNKNOWN_KEY,
			                    "The security token included in the request is invalid.");
		} else {
			g_propagate_error(error, cerr);
		}
		return FALSE;
	}
	guint8 dk[32];
	gboolean ok = TRUE;
	if (k.data_key_id == kr->data_key_id) {
		memcpy(dk, kr->data_key, 32);
	} else {
		g_autofree char *wrapped = catalog_data_key_get(kr->cat, k.data_key_id, error);
		ok = wrapped != NULL && keys_unwrap(kr->master, wrapped, dk, error);
	}
	gsize n = 0;
	g_autofree guint8 *blob = ok ? keys_unhex(k.secret_hex, &n) : NULL;
	g_autoptr(GBytes) plain = blob ? auth_open(dk, blob, n, key_id, error) : NULL;
	OPENSSL_cleanse(dk, sizeof dk);
	if (plain != NULL) {
		*secret = g_strndup(g_bytes_get_data(plain, NULL), g_bytes_get_size(plain));
		OPENSSL_cleanse((void *)g_bytes_get_data(plain, NULL), g_bytes_get_size(plain));
		principal->arn = g_steal_pointer(&k.arn);
		principal->access_key_id = g_strdup(key_id);
		principal->is_admin = k.is_admin;
	} else if (ok && blob == NULL) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_CRYPTO, "stored secret is not hex");
	}
	store_principal_key_clear(&k);
	return plain != NULL;
}

/* The data key with id into dk: the current one, or another unwrapped from the database. */
static gboolean keys_data_key(AuthKeyring *kr, gint64 id, guint8 dk[32], GError **error)
{
	if (id == kr->data_key_id) {
		memcpy(dk, kr->data_key, 32);
		return TRUE;
	}
	g_autofree char *wrapped = catalog_data_key_get(kr->cat, id, error);
	return wrapped != NULL && keys_unwrap(kr->master, wrapped, dk, error);
}

/* Seals text under the current data key; see keys.h. */
char *auth_keyring_seal_text(AuthKeyring *kr, const char *plain, const char *aad)
{
	g_autoptr(GBytes) sealed = auth_seal(kr->data_key, (const guint8 *)plain, strlen(plain), aad);
	g_autofree char *hex = keys_hex(g_bytes_get_data(sealed, NULL), g_bytes_get_size(sealed));
	return g_strdup_printf("%" G_GINT64_FORMAT ":%s", kr->data_key_id, hex);
}

/* Opens sealed text; see keys.h. */
char *auth_keyring_open_text(AuthKeyring *kr, const char *sealed, const char *aad, GError **error)
{
	char *end = NULL;
	gint64 id = g_ascii_strtoll(sealed, &end, 10);
	gsize n = 0;
	g_autofree guint8 *blob = end && *end == ':' ? keys_unhex(end + 1, &n) : NULL;
	if (blob == NULL) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_CRYPTO, "sealed secret is malformed");
		return NULL;
	}
	guint8 dk[32];
	if (!keys_data_key(kr, id, dk, error))
		return NULL;
	g_autoptr(GBytes) plain = auth_open(dk, blob, n, aad, error);
	OPENSSL_cleanse(dk, sizeof dk);
	if (plain == NULL)
		return NULL;
	char *text = g_strndup(g_bytes_get_data(plain, NULL), g_bytes_get_size(plain));
	OPENSSL_cleanse((void *)g_bytes_get_data(plain, NULL), g_bytes_get_size(plain));
	return text;
}

/* The master key's fingerprint; see keys.h. */
char *auth_keyring_fingerprint(AuthKeyring *kr)
{
	return keys_fingerprint(kr->master);
}

/* HMAC-SHA256 under HMAC(master, purpose). */
void auth_keyring_mac(AuthKeyring *kr, const char *purpose, const guint8 *data, gsize len, guint8 out[32])
{
	guint8 k[32];
	unsigned int n = 32;
	HMAC(EVP_sha256(), kr->master, 32, (const guint8 *)purpose, strlen(purpose), k, &n);
	HMAC(EVP_sha256(), k, 32, data, len, out, &n);
	OPENSSL_cleanse(k, sizeof k);
}

/* ---- SASL PLAIN passwords (the Thrift door's sasl-plain listeners) ---- */

/* The plaintext secret of stored key k (new string, caller wipes and frees); NULL with AUTH_ERROR_CRYPTO. */
static char *keys_open_secret(AuthKeyring *kr, const StorePrincipalKey *k, GError **error)
{
	guint8 dk[32];
	gsize n = 0;
	g_autofree guint8 *blob = keys_unhex(k->secret_hex, &n);
	if (blob == NULL) {
		g_set_error(error, AUTH_ERROR, AUTH_ERROR_CRYPTO, "stored secret of %s is not hex", k->key_id);
		return NULL;
	}
	if (!keys_data_key(kr, k->data_key_id, dk, error))
		return NULL;
	g_autoptr(GBytes) plain = auth_open(dk, blob, n, k->key_id, error);
	OPENSSL_cleanse(dk, sizeof dk);
	if (plain == NULL)
		return NULL;
	char *secret = g_strndup(g_bytes_get_data(plain, NULL), g_bytes_get_size(plain));
	OPENSSL_cleanse((void *)g_bytes_get_data(plain, NULL), g_bytes_get_size(plain));
	return secret;
}

/*
 * Checks a SASL PLAIN login; see keys.h. Both sides are hashed (SHA-256) and the digests
 * compared with CRYPTO_memcmp, so the time taken says nothing about how much of the password
 * matched, nor about its length; every active key is compared, match or not.
 */
gboolean auth_keyring_verify_password(AuthKeyring *kr, const char *name, const char *password,
                                      AuthPrincipal *principal, GError **error)
{
	g_autoptr(GPtrArray) keys = catalog_principal_keys_by_name(kr->cat, name, error);
	if (keys == NULL)
		return FALSE;
	guint8 want[32], got[32];
	const StorePrincipalKey *match = NULL;
	SHA256((const guint8 *)password, strlen(password), want);
	for (guint i = 0; i < keys->len; i++) {
		const StorePrincipalKey *k = g_ptr_array_index(keys, i);
		char *secret = keys_open_secret(kr, k, error);
		if (secret == NULL) {
			OPENSSL_cleanse(want, sizeof want);
			return FALSE;
		}
		SHA256((const guint8 *)secret, strlen(secret), got);
		OPENSSL_cleanse(secret, strlen(secret));
		g_free(secret);
		if (CRYPTO_memcmp(got, want, sizeof want) == 0 && match == NULL)
			match = k;
	}
	OPENSSL_cleanse(want, sizeof want);
	OPENSSL_cleanse(got, sizeof got);
	if (match == NULL) {
		g_set_error(error, AUTH_ERROR, AUTH_ERROR_PASSWORD,
		            keys->len == 0 ? "no user or role named \"%s\" with an active access key"
		                           : "the password is none of the active secret access keys of \"%s\"",
		            name);
		return FALSE;
	}
	principal->arn = g_strdup(match->arn);
	principal->access_key_id = g_strdup(match->key_id);
	principal->is_admin = match->is_admin;
	return TRUE;
}
