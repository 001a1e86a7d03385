/*
 * token.c — ListDelegationTokens and CancelDelegationToken (issue 16): the Hive delegation
 * tokens an operator must be able to see and revoke (`propolis tokens list|cancel`).
 *
 * Both go through the catalog's token store, which requires a data lake administrator (audited)
 * in the same transaction; entries show the identifier (Hive's TOKEN_IDENT: URL-safe base64),
 * owner, renewer and max date (epoch seconds), never a password. Both write the audit line.
 */
#include "admin/admin.h"
#include "store/store.h"

/* ListDelegationTokens {}: {Tokens: [{TokenIdentifier, Owner, Renewer, MaxDate}]}. */
static JsonObject *admin_list_tokens(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	g_autoptr(GPtrArray) rows = catalog_dtoken_list(call->door->cat, &call->ctx, error);
	if (rows == NULL)
		return admin_finish(call, "delegation tokens", NULL, error);
	JsonArray *tokens = json_array_new();
	for (guint i = 0; i < rows->len; i++) {
		const StoreDToken *t = g_ptr_array_index(rows, i);
		JsonObject *o = json_object_new();
		json_object_set_string_member(o, "TokenIdentifier", t->ident);
		json_object_set_string_member(o, "Owner", t->owner);
		json_object_set_string_member(o, "Renewer", t->renewer);
		if (t->max_date_ms > 0)
			json_object_set_double_member(o, "MaxDate", (double)t->max_date_ms / 1000.0);
		json_array_add_object_element(tokens, o);
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Tokens", tokens);
	return admin_finish(call, "delegation tokens", out, error);
}

/* CancelDelegationToken {TokenIdentifier}: {}. EntityNotFoundException for an unknown token. */
static JsonObject *admin_cancel_token(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	const char *ident = glue_in_string(call->in, "TokenIdentifier", TRUE, 4096, error);
	if (ident == NULL)
		return admin_finish(call, NULL, NULL, error);
	g_autofree char *object = g_strdup_printf("delegation token %.64s", ident);
	gboolean removed = FALSE;
	if (catalog_dtoken_remove(call->door->cat, &call->ctx, ident, NULL, NULL, &removed, error) && !removed)
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Delegation token not found: %.64s", ident);
	return admin_finish(call, object, *error ? NULL : json_object_new(), error);
}

const GlueOp admin_token_ops[] = {
	{"ListDelegationTokens", admin_list_tokens},
	{"CancelDelegationToken", admin_cancel_token},
	{NULL, NULL},
};
