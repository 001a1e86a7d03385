/*
 * lakeformation.h — the Lake Formation door: AWS Lake Formation's REST-JSON API (POST /<Op>,
 * SigV4) over the catalog's grants, data lake settings and registered locations.
 *
 * The HTTP listener hands every POST to the Glue door, which passes any path other than "/"
 * here. lf_door_handle() checks the operation and content type, verifies SigV4 with the Glue
 * door's verifier (auth/keys.h key ring), parses the body with its bounded parser, runs one
 * catalog operation as the signing principal and answers application/json. Errors carry the
 * x-amzn-ErrorType header and {"__type", "message"} with Lake Formation's statuses (errors.c).
 * Threading: any HTTP thread. Ownership: borrows the Glue door (catalog, key ring, config).
 */
#ifndef PROPOLIS_LAKEFORMATION_H
#define PROPOLIS_LAKEFORMATION_H

#include "glue/glue.h"

G_BEGIN_DECLS

/* Serves one POST /<Op> (never fails; errors become Lake Formation errors). */
void lf_door_handle(GlueDoor *door, const HttpRequest *req, HttpResponse *resp);

/* The operations the door serves (names borrowed, static). */
GPtrArray *lf_door_op_names(void);

G_END_DECLS

#endif
