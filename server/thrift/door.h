/*
 * door.h — the Hive Thrift door: one binary-protocol message in, its reply out.
 *
 * net/ hands each complete message to handle() on a worker; the door decodes it with the
 * generated processor, runs the handler (handler.c) against the catalog and appends the
 * encoded reply. Per connection it keeps a session: the principal (the SASL PLAIN user, else
 * the mTLS client certificate's CN, else the set_ugi user on a trust-ugi listener, else
 * "anonymous") and setMetaConf values; it checks SASL PLAIN passwords against the principals'
 * access keys (authenticate, on a worker). Unknown or unimplemented methods get TApplicationException
 * UNKNOWN_METHOD and the connection stays usable; undecodable bytes close it.
 * Ownership: the door borrows cat, config and the key ring, which must outlive it.
 * Threading: handle() runs on any number of workers at once. Errors: none returned; Hive
 * exceptions travel in the reply, and each is logged once with its request id.
 */
#ifndef PROPOLIS_THRIFT_DOOR_H
#define PROPOLIS_THRIFT_DOOR_H

#include <glib.h>

#include "auth/dtoken_manager.h"
#include "auth/kerberos_name.h"
#include "auth/keys.h"
#include "catalog/catalog.h"
#include "config.h"
#include "net/net.h"

G_BEGIN_DECLS

typedef struct ThriftDoor ThriftDoor;

/* The NetDoor callbacks; pass a ThriftDoor as door_data. Static storage. */
const NetDoor *thrift_door_vtable(void);

/* A door over cat. Whether set_ugi names the principal is each listener's choice (trust-ugi). */
gpointer thrift_door_new(Catalog *cat, const PropolisConfig *config);

/* The key ring SASL PLAIN passwords are checked with (NULL: every login is refused). Before serving. */
void thrift_door_set_keyring(gpointer door, AuthKeyring *keyring);

/* The delegation token manager (borrowed; outlives the door's serving). Before serving. */
void thrift_door_set_tokens(gpointer door, AuthTokens *tokens);

/* The auth_to_local rules (taken) and default realm Kerberos tickets are mapped with. Before serving. */
void thrift_door_set_kerberos(gpointer door, KerberosRules *rules, const char *default_realm);

void thrift_door_free(gpointer door);

G_END_DECLS

#endif
