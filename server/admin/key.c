/*
 * key.c — WhoAmI and a principal's access keys (issue 22): ListAccessKeys, CreateAccessKey,
 * UpdateAccessKey, DeleteAccessKey.
 *
 * WhoAmI is for every caller: it names the caller, its account (what a bare principal name on
 * the CLI resolves in), its groups and whether it is an administrator, nothing about anyone
 * else. The key operations are IAM's: a principal may hold two keys, so a key rotates without
 * downtime; an administrator manages anyone's keys, a principal its own (Name and Arn absent:
 * the caller). A new secret is printed once, in CreateAccessKey's answer, and wiped after.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "admin/admin.h"

/* WhoAmI {}: {Arn, Name, Kind, Account, Groups, IsAdmin, IsReadOnlyAdmin}. */
static JsonObject *admin_whoami(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	JsonObject *out = catalog_principal_whoami(call->door->cat, &call->ctx, error);
	return admin_finish(call, "self", out, error);
}

/* The principal a key request names (Name or Arn), or the caller when it names none. */
static const char *admin_key_owner(GlueCall *call, GError **error)
{
	if (!json_object_has_member(call->in, "Name") && !json_object_has_member(call->in, "Arn")) {
		if (call->ctx.principal == NULL)
			g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Name the principal");
		return call->ctx.principal;
	}
	return admin_in_principal(call, error);
}

/* ListAccessKeys {Name | Arn | neither}: {Arn, AccessKeys: [{AccessKeyId, Status, CreateDate}]}. */
static JsonObject *admin_list_access_keys(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	const char *ident = admin_key_owner(call, error);
	g_autofree char *arn = NULL;
	JsonArray *keys = ident ? catalog_access_key_list(call->door->cat, &call->ctx, ident, &arn, error) : NULL;
	JsonObject *out = NULL;
	if (keys != NULL) {
		out = json_object_new();
		json_object_set_string_member(out, "Arn", arn);
		json_object_set_array_member(out, "AccessKeys", keys);
	}
	g_autofree char *object = g_strdup_printf("principal %s", arn ? arn : ident ? ident : "?");
	return admin_finish(call, object, out, error);
}

/* CreateAccessKey {Name | Arn | neither}: {Arn, AccessKeyId, SecretAccessKey}; the other key stays active. */
static JsonObject *admin_create_access_key(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	const char *ident = admin_key_owner(call, error);
	if (ident == NULL)
		return admin_finish(call, NULL, NULL, error);
	StorePrincipalKey key = {0};
	g_autofree char *secret = auth_keyring_new_access_key(call->door->keyring, &key);
	g_autofree char *arn = catalog_access_key_create(call->door->cat, &call->ctx, ident, &key, error);
	JsonObject *out = NULL;
	if (arn != NULL) {
		out = json_object_new();
		json_object_set_string_member(out, "Arn", arn);
		json_object_set_string_member(out, "AccessKeyId", key.key_id);
		json_object_set_string_member(out, "SecretAccessKey", secret);
	}
	OPENSSL_cleanse(secret, strlen(secret));
	g_autofree char *object = g_strdup_printf("principal %s key %s", arn ? arn : ident, key.key_id);
	store_principal_key_clear(&key);
	return admin_finish(call, object, out, error);
}

/* UpdateAccessKey {Name | Arn | neither, AccessKeyId, Status: ACTIVE|INACTIVE} and DeleteAccessKey {.., AccessKeyId}: {}. */
static JsonObject *admin_change_access_key(GlueCall *call, gboolean delete, GError **error)
{
	admin_call_begin(call);
	const char *ident = admin_key_owner(call, error);
	const char *key_id = ident ? glue_in_string(call->in, "AccessKeyId", TRUE, 128, error) : NULL;
	const char *status = key_id && !delete ? glue_in_string(call->in, "Status", TRUE, 16, error) : NULL;
	if (key_id == NULL || (!delete && status == NULL))
		return admin_finish(call, NULL, NULL, error);
	if (!delete && strcmp(status, "ACTIVE") != 0 && strcmp(status, "INACTIVE") != 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value '%.16s' at 'Status' failed to satisfy constraint: "
		            "Member must satisfy enum value set: [ACTIVE, INACTIVE]", status);
		return admin_finish(call, NULL, NULL, error);
	}
	g_autofree char *arn =
		delete ? catalog_access_key_delete(call->door->cat, &call->ctx, ident, key_id, error)
		       : catalog_access_key_update(call->door->cat, &call->ctx, ident, key_id, strcmp(status, "ACTIVE") == 0,
		                                   error);
	g_autofree char *object = g_strdup_printf("principal %s key %s", arn ? arn : ident, key_id);
	return admin_finish(call, object, arn ? json_object_new() : NULL, error);
}

static JsonObject *admin_update_access_key(GlueCall *call, GError **error)
{
	return admin_change_access_key(call, FALSE, error);
}

static JsonObject *admin_delete_access_key(GlueCall *call, GError **error)
{
	return admin_change_access_key(call, TRUE, error);
}

const GlueOp admin_key_ops[] = {
	{"WhoAmI", admin_whoami},
	{"ListAccessKeys", admin_list_access_keys},
	{"CreateAccessKey", admin_create_access_key},
	{"UpdateAccessKey", admin_update_access_key},
	{"DeleteAccessKey", admin_delete_access_key},
	{NULL, NULL},
};
