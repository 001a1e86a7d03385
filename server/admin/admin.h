/*
 * admin.h — Propolis' own operations (X-Amz-Target: Propolis.<Op>), served by the Glue door's
 * request path on the same HTTP listener: principals and their keys, the audit table, locks.
 *
 * The Glue door (glue/door.c) checks the target and content type, verifies SigV4 (any signing
 * name; the CLI signs as `propolis`), parses the body and calls an operation from these tables
 * with a GlueCall, exactly as for AWSGlue.<Op>; errors go through glue/errors.c. Every
 * operation but WhoAmI (any caller) and the access-key ones (the principal itself, too) is for
 * data lake administrators only: the catalog checks it in the operation's
 * own transaction and audits the decision (ACCESS_DENIED → AccessDeniedException).
 * Threading: any HTTP worker. Ownership: as glue/internal.h (returned objects are new).
 */
#ifndef PROPOLIS_ADMIN_ADMIN_H
#define PROPOLIS_ADMIN_ADMIN_H

#include "glue/internal.h"

#define ADMIN_TARGET_PREFIX "Propolis."

/* Operation tables of each file, NULL-terminated. */
extern const GlueOp admin_principal_ops[]; /* principal.c */
extern const GlueOp admin_audit_ops[];     /* audit.c */
extern const GlueOp admin_lock_ops[];      /* lock.c */
extern const GlueOp admin_key_ops[];       /* key.c: WhoAmI (any caller), access keys (self or admin) */
extern const GlueOp admin_txn_ops[];       /* txn.c */
extern const GlueOp admin_token_ops[];     /* token.c (issue 16) */

/* Marks call as one of Propolis' own (door "propolis" in audit records); call first in each operation. */
void admin_call_begin(GlueCall *call);

/*
 * Writes the operation's audit line to the log ("audit {door, principal, operation, object,
 * result, request_id}", result "ok" or the error type) and returns out unchanged (NULL when
 * *error is set). object names what was acted on ("principal arn:...", "lock 12") or NULL.
 */
JsonObject *admin_finish(GlueCall *call, const char *object, JsonObject *out, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The principal a request names by "Name" or "Arn" (exactly one); borrowed from call->in. NULL with InvalidInput. */
const char *admin_in_principal(GlueCall *call, GError **error) G_GNUC_WARN_UNUSED_RESULT;

#endif
