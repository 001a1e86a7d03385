/*
 * principal.c — CreatePrincipal, ListPrincipals, DeletePrincipal, RotateAccessKey and
 * UpdatePrincipalGroups: IAM-style users and roles with their SigV4 access keys.
 *
 * Keys are made by the key ring (auth/keys.h: the same generator and sealing as the bootstrap
 * administrator's), so the secret exists in clear only in this request's answer; it is wiped
 * from memory once the answer is built and never logged. A rotation takes effect at commit:
 * the key ring reads keys from PostgreSQL on every request, so the old key is refused at once.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "admin/admin.h"

/* The strings of member (a list of strings, may be absent: empty list). NULL with error. */
static GPtrArray *admin_in_strings(JsonObject *in, const char *member, gboolean required, GError **error)
{
	GError *e = NULL;
	JsonArray *a = glue_in_array(in, member, required, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a list of strings", member);
			g_ptr_array_unref(out);
			return NULL;
		}
		g_ptr_array_add(out, g_strdup(json_node_get_string(n)));
	}
	return out;
}

/* {Arn, AccessKeyId, SecretAccessKey}; wipes secret. */
static JsonObject *admin_key_answer(const char *arn, const char *key_id, char *secret)
{
	JsonObject *out = json_object_new();
	json_object_set_string_member(out, "Arn", arn);
	json_object_set_string_member(out, "AccessKeyId", key_id);
	json_object_set_string_member(out, "SecretAccessKey", secret);
	OPENSSL_cleanse(secret, strlen(secret));
	return out;
}

/* A JSON array of the strings in list. */
static JsonArray *admin_strings_array(GPtrArray *list)
{
	JsonArray *a = json_array_new();
	for (guint i = 0; list && i < list->len; i++)
		json_array_add_string_element(a, g_ptr_array_index(list, i));
	return a;
}

/* CreatePrincipal {Name, Kind?: USER|ROLE, Groups?: [...]}: {Arn, AccessKeyId, SecretAccessKey}. */
static JsonObject *admin_create_principal(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	const char *name = glue_in_string(call->in, "Name", TRUE, 0, error);
	const char *kind_in = name ? glue_in_string(call->in, "Kind", FALSE, 0, error) : NULL;
	if (name == NULL || (error && *error))
		return admin_finish(call, NULL, NULL, error);
	const char *kind = kind_in == NULL || strcmp(kind_in, "USER") == 0 ? "user"
	                   : strcmp(kind_in, "ROLE") == 0                   ? "role"
	                                                                    : NULL;
	if (kind == NULL) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value '%.64s' at 'Kind' failed to satisfy constraint: "
		            "Member must satisfy enum value set: [USER, ROLE]", kind_in);
		return admin_finish(call, NULL, NULL, error);
	}
	g_autoptr(GPtrArray) groups = admin_in_strings(call->in, "Groups", FALSE, error);
	if (groups == NULL)
		return admin_finish(call, NULL, NULL, error);
	StorePrincipalKey key = {0};
	g_autofree char *secret = auth_keyring_new_access_key(call->door->keyring, &key);
	g_autofree char *arn = catalog_principal_create(call->door->cat, &call->ctx, name, kind, groups, &key, error);
	JsonObject *out = arn ? admin_key_answer(arn, key.key_id, secret) : NULL;
	OPENSSL_cleanse(secret, strlen(secret));
	store_principal_key_clear(&key);
	g_autofree char *object = g_strdup_printf("principal %s", arn ? arn : name);
	return admin_finish(call, object, out, error);
}

/* ListPrincipals {}: {Principals: [{Arn, Name, Kind, Groups, IsAdmin, AccessKeyIds, CreationTime}]}. */
static JsonObject *admin_list_principals(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	g_autoptr(GPtrArray) list = catalog_principal_list(call->door->cat, &call->ctx, error);
	if (list == NULL)
		return admin_finish(call, "principals", NULL, error);
	JsonArray *a = json_array_new();
	for (guint i = 0; i < list->len; i++)
		json_array_add_object_element(a, json_object_ref(g_ptr_array_index(list, i)));
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Principals", a);
	return admin_finish(call, "principals", out, error);
}

/* DeletePrincipal {Name | Arn}: {}. */
static JsonObject *admin_delete_principal(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	const char *ident = admin_in_principal(call, error);
	g_autofree char *arn = ident ? catalog_principal_delete(call->door->cat, &call->ctx, ident, error) : NULL;
	g_autofree char *object = ident ? g_strdup_printf("principal %s", arn ? arn : ident) : NULL;
	return admin_finish(call, object, arn ? json_object_new() : NULL, error);
}

/* RotateAccessKey {Name | Arn}: {Arn, AccessKeyId, SecretAccessKey}; the old keys turn inactive. */
static JsonObject *admin_rotate_access_key(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	const char *ident = admin_in_principal(call, error);
	if (ident == NULL)
		return admin_finish(call, NULL, NULL, error);
	StorePrincipalKey key = {0};
	g_autofree char *secret = auth_keyring_new_access_key(call->door->keyring, &key);
	g_autofree char *arn = catalog_principal_rotate_key(call->door->cat, &call->ctx, ident, &key, error);
	JsonObject *out = arn ? admin_key_answer(arn, key.key_id, secret) : NULL;
	OPENSSL_cleanse(secret, strlen(secret));
	g_autofree char *object = g_strdup_printf("principal %s key %s", arn ? arn : ident, key.key_id);
	store_principal_key_clear(&key);
	return admin_finish(call, object, out, error);
}

/* UpdatePrincipalGroups {Name | Arn, Groups}: {Arn, Groups} (the groups it is now in). */
static JsonObject *admin_update_principal_groups(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	const char *ident = admin_in_principal(call, error);
	g_autoptr(GPtrArray) groups = ident ? admin_in_strings(call->in, "Groups", TRUE, error) : NULL;
	if (groups == NULL)
		return admin_finish(call, NULL, NULL, error);
	g_autofree char *arn = catalog_principal_set_groups(call->door->cat, &call->ctx, ident, groups, error);
	JsonObject *out = NULL;
	if (arn != NULL) {
		out = json_object_new();
		json_object_set_string_member(out, "Arn", arn);
		json_object_set_array_member(out, "Groups", admin_strings_array(groups));
	}
	g_autofree char *object = g_strdup_printf("principal %s", arn ? arn : ident);
	return admin_finish(call, object, out, error);
}

const GlueOp admin_principal_ops[] = {
	{"CreatePrincipal", admin_create_principal},
	{"ListPrincipals", admin_list_principals},
	{"DeletePrincipal", admin_delete_principal},
	{"RotateAccessKey", admin_rotate_access_key},
	{"UpdatePrincipalGroups", admin_update_principal_groups},
	{NULL, NULL},
};
