/*
 * glue.h — the Glue door: AWS Glue Data Catalog API (JSON 1.1, SigV4) over the catalog.
 *
 * glue_door_handle() is the HttpHandler for `POST /`: it checks X-Amz-Target and the content
 * type, verifies the SigV4 signature against the access key's secret (auth/keys.h), parses
 * the JSON body (bounded depth), runs one catalog operation as the signing principal and
 * shapes the answer as Glue does (no "Hive" members, CatalogId = the account id, times in
 * epoch seconds). Errors are {"__type", "message"} with AWS's names and statuses (errors.c).
 * Threading: any HTTP thread; the door is read-only after glue_door_new().
 * Ownership: the door borrows the catalog, key ring and config, which outlive it.
 */
#ifndef PROPOLIS_GLUE_GLUE_H
#define PROPOLIS_GLUE_GLUE_H

#include "auth/keys.h"
#include "catalog/catalog.h"
#include "config.h"
#include "http/http.h"

G_BEGIN_DECLS

typedef struct GlueDoor GlueDoor;

GlueDoor *glue_door_new(Catalog *cat, AuthKeyring *keyring, const PropolisConfig *config);
void glue_door_free(GlueDoor *door);

/* HttpHandler for POST /: answers every request (never fails; errors become Glue errors). */
void glue_door_handle(gpointer door, const HttpRequest *req, HttpResponse *resp);

/* HttpHealth: TRUE when PostgreSQL answers. */
gboolean glue_door_healthy(gpointer door);

/* The operations the door serves: AWSGlue.<Op> names, or with admin Propolis.<Op> names (borrowed, static). */
GPtrArray *glue_door_op_names(gboolean admin);

G_END_DECLS

#endif
