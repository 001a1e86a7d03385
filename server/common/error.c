/*
 * error.c — the GError domains of Propolis (see error.h).
 *
 * Nothing here allocates; the quarks are interned once by GLib and safe from any thread.
 */
#include "common/error.h"

G_DEFINE_QUARK(propolis-catalog-error-quark, catalog_error)
G_DEFINE_QUARK(propolis-store-error-quark, store_error)
G_DEFINE_QUARK(propolis-net-error-quark, net_error)
G_DEFINE_QUARK(propolis-auth-error-quark, auth_error)

/* Names for logs and tests; the order follows CatalogErrorCode. */
const char *catalog_error_code_name(CatalogErrorCode code)
{
	static const char *const names[] = {
		"NOT_FOUND",     "ALREADY_EXISTS", "INVALID_OBJECT", "INVALID_OPERATION", "INVALID_INPUT",
		"ACCESS_DENIED", "CONFLICT",       "UNAVAILABLE",    "INTERNAL",
		"NO_SUCH_LOCK",  "NO_SUCH_TXN",    "TXN_ABORTED",    "TXN_OPEN",
		"LIMIT_EXCEEDED",
	};
	if ((guint)code >= G_N_ELEMENTS(names))
		return "UNKNOWN";
	return names[code];
}
