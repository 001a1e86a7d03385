/*
 * error.h — the error domains and codes every layer of Propolis raises.
 *
 * Each layer has one GError domain. The catalog's codes are the small enum the doors
 * translate, each door in one table (thrift/errors.c, later glue/errors.c). The store's
 * codes describe what PostgreSQL said; the catalog turns them into catalog codes.
 * A message has a main line; an optional detail goes after "\n" (errmsg / errdetail).
 */
#ifndef PROPOLIS_COMMON_ERROR_H
#define PROPOLIS_COMMON_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

/* Catalog codes: what went wrong, in terms a client understands. */
typedef enum {
	CATALOG_ERROR_NOT_FOUND,         /* NoSuchObjectException / EntityNotFoundException */
	CATALOG_ERROR_ALREADY_EXISTS,    /* AlreadyExistsException */
	CATALOG_ERROR_INVALID_OBJECT,    /* InvalidObjectException: a malformed object (bad name, columns) */
	CATALOG_ERROR_INVALID_OPERATION, /* InvalidOperationException: valid object, refused operation */
	CATALOG_ERROR_INVALID_INPUT,     /* MetaException: bad argument (null name, bad pattern) */
	CATALOG_ERROR_ACCESS_DENIED,     /* MetaException mentioning AccessControlException */
	CATALOG_ERROR_CONFLICT,          /* MetaException: concurrent modification (optimistic check) */
	CATALOG_ERROR_UNAVAILABLE,       /* MetaException: PostgreSQL unreachable, pool exhausted, deadline */
	CATALOG_ERROR_INTERNAL,          /* MetaException: a bug or an unexpected database answer */
	/* Hive ACID (locks and transactions); the Thrift door maps them in handler_txn.c. */
	CATALOG_ERROR_NO_SUCH_LOCK,      /* NoSuchLockException: "No such lock: lockid:<n>" */
	CATALOG_ERROR_NO_SUCH_TXN,       /* NoSuchTxnException: "No such transaction txnid:<n>" */
	CATALOG_ERROR_TXN_ABORTED,       /* TxnAbortedException: the transaction was aborted (or timed out) */
	CATALOG_ERROR_TXN_OPEN,          /* TxnOpenException: unlock of a lock a transaction owns */
	CATALOG_ERROR_LIMIT_EXCEEDED,    /* a per-object quota (Glue ResourceNumberLimitExceededException) */
} CatalogErrorCode;

#define CATALOG_ERROR (catalog_error_quark())
GQuark catalog_error_quark(void);

/* Store codes: what PostgreSQL said, classified by SQLSTATE. */
typedef enum {
	STORE_ERROR_UNAVAILABLE,   /* connection lost or refused, pool wait timed out (class 08, 57P) */
	STORE_ERROR_UNIQUE,        /* 23505 unique_violation */
	STORE_ERROR_FOREIGN_KEY,   /* 23503 foreign_key_violation */
	STORE_ERROR_SERIALIZATION, /* 40001 / 40P01: retryable */
	STORE_ERROR_NOT_FOUND,     /* the row the caller named does not exist */
	STORE_ERROR_CONFLICT,      /* optimistic version check failed */
	STORE_ERROR_MIGRATION,     /* schema migrations could not be applied or do not match */
	STORE_ERROR_INTERNAL,      /* anything else */
} StoreErrorCode;

#define STORE_ERROR (store_error_quark())
GQuark store_error_quark(void);

/* Network codes. */
typedef enum {
	NET_ERROR_LIMIT,    /* a configured limit was hit; the message names the config key */
	NET_ERROR_PROTOCOL, /* bytes that are not a valid Thrift message */
	NET_ERROR_IO,       /* socket error */
} NetErrorCode;

#define NET_ERROR (net_error_quark())
GQuark net_error_quark(void);

/* Authentication codes (auth/): why a request's credentials were refused. Each door maps them. */
typedef enum {
	AUTH_ERROR_MISSING,       /* no Authorization header: MissingAuthenticationTokenException */
	AUTH_ERROR_INCOMPLETE,    /* malformed Authorization / missing X-Amz-Date: IncompleteSignatureException */
	AUTH_ERROR_SIGNATURE,     /* signature does not match, or the date is out of range: InvalidSignatureException */
	AUTH_ERROR_UNKNOWN_KEY,   /* access key id not known (or inactive): UnrecognizedClientException */
	AUTH_ERROR_CRYPTO,        /* master key / data key / decryption failure (an operator problem) */
	AUTH_ERROR_PASSWORD,      /* SASL PLAIN: no such principal, or the password is none of its active secret keys */
} AuthErrorCode;

#define AUTH_ERROR (auth_error_quark())
GQuark auth_error_quark(void);

/* Returns the stable upper-case name of a catalog code ("NOT_FOUND"), for logs and tests. */
const char *catalog_error_code_name(CatalogErrorCode code);

G_END_DECLS

#endif
