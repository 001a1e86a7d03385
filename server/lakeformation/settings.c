/*
 * settings.c — GetDataLakeSettings and PutDataLakeSettings.
 *
 * The document passes through as the caller sent it (members this server does not act on,
 * such as TrustedResourceOwners or Parameters, are kept and given back); the catalog checks
 * what it acts on: DataLakeAdmins (principals.is_admin, at least one, at most 30, known
 * principals) and the default permissions for new databases and tables.
 */
#include "lakeformation/internal.h"

/* GetDataLakeSettings {CatalogId?}: {DataLakeSettings} */
static JsonObject *lf_get_settings(GlueCall *call, GError **error)
{
	if (!lf_check_catalog_id(call, call->in, error))
		return NULL;
	JsonObject *doc = catalog_lf_get_settings(call->door->cat, &call->ctx, error);
	if (doc == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "DataLakeSettings", doc);
	return out;
}

/* PutDataLakeSettings {CatalogId?, DataLakeSettings}: {} */
static JsonObject *lf_put_settings(GlueCall *call, GError **error)
{
	GError *e = NULL;
	JsonObject *doc = NULL;
	if (lf_check_catalog_id(call, call->in, error))
		doc = glue_in_object(call->in, "DataLakeSettings", TRUE, &e);
	if (e != NULL)
		g_propagate_error(error, e);
	if (doc == NULL || !catalog_lf_put_settings(call->door->cat, &call->ctx, doc, error))
		return NULL;
	return json_object_new();
}

const GlueOp lf_settings_ops[] = {
	{"GetDataLakeSettings", lf_get_settings},
	{"PutDataLakeSettings", lf_put_settings},
	{NULL, NULL},
};
