/*
 * internal.h — what the Lake Formation door's files share: operation tables, the error table,
 * and the readers and writers of Lake Formation's shapes (Resource, DataLakePrincipal,
 * PermissionList, PrincipalResourcePermissions).
 *
 * Operations are GlueOps over a GlueCall (glue/internal.h), so the request readers, page
 * tokens and the call context are the Glue door's. Readers fail with CATALOG_ERROR_INVALID_INPUT
 * (→ InvalidInputException) for a value outside the model and G_IO_ERROR_INVALID_DATA
 * (→ SerializationException) for a member of the wrong JSON type.
 */
#ifndef PROPOLIS_LAKEFORMATION_INTERNAL_H
#define PROPOLIS_LAKEFORMATION_INTERNAL_H

#include "glue/internal.h"
#include "lakeformation/lakeformation.h"

/* Operation tables of each file, NULL-terminated. */
extern const GlueOp lf_permission_ops[]; /* permissions.c */
extern const GlueOp lf_settings_ops[];   /* settings.c */
extern const GlueOp lf_resource_ops[];   /* resources.c */

/* ---- errors.c ---- */
/* The Lake Formation error type and HTTP status of an error (the one table of this door). */
const char *lf_error_type(const GError *error, guint *status);
/* Fills resp with the error: status, x-amzn-ErrorType and {"__type", "message"}. */
void lf_error_respond(const GError *error, HttpResponse *resp);

/* ---- shape.c: requests ---- */
/* CatalogId of o (when given) must be the account id; another account's catalog: EntityNotFound. */
gboolean lf_check_catalog_id(GlueCall *call, JsonObject *o, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* A DataLakePrincipal member's identifier (1..255, borrowed); NULL when absent (error set if required). */
const char *lf_in_principal(JsonObject *in, const char *member, gboolean required,
                            GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* A PermissionList member as AUTHZ_* bits (absent: 0; error set if required); unknown names: InvalidInput. */
gboolean lf_in_perms(JsonObject *in, const char *member, gboolean required, guint32 *perms,
                     GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* A Resource (exactly one member) into *out (clear it); FALSE with error. */
gboolean lf_in_resource(GlueCall *call, JsonObject *res, StoreLfResource *out,
                        GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* {Principal, Resource, Permissions, PermissionsWithGrantOption} of a request or batch entry into *out (clear it). */
gboolean lf_in_grant(GlueCall *call, JsonObject *in, gboolean revoke, StoreLfGrant *out,
                     GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* A boolean member (absent: def). */
gboolean lf_in_bool(JsonObject *in, const char *member, gboolean def, gboolean *out,
                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- shape.c: responses ---- */
/* Lake Formation's Resource for r (new). */
JsonObject *lf_out_resource(GlueCall *call, const StoreLfResource *r);
/* PrincipalResourcePermissions of g (new). */
JsonObject *lf_out_permissions(GlueCall *call, const StoreLfGrant *g);

#endif
