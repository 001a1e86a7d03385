/*
 * tags.c — Glue resource tags: TagResource, UntagResource, GetTags, and the Tags member of
 * CreateDatabase, CreateTable and CreateConnection (glue_in_tags).
 *
 * A resource is named by its ARN: arn:<partition>:glue:<region>:<account>:database/<db>,
 * table/<db>/<table> or connection/<name>. The account must be this catalog's (another
 * account's resource does not exist here: EntityNotFound); the region is not checked (one
 * server is one region). Other Glue resource types (jobs, crawlers, ...) are not served:
 * InvalidInput. Tags follow Glue's TagsMap: at most 50, keys 1..128 characters not starting
 * with "aws:" (reserved by AWS), values 0..256 characters.
 */
#include <string.h>

#include "glue/internal.h"

#define GLUE_TAG_KEY_MAX 128
#define GLUE_TAG_VALUE_MAX 256

/* A tag key: 1..128 characters, not "aws:..." (AWS's). FALSE with InvalidInput. */
static gboolean glue_tag_key_ok(const char *key, GError **error)
{
	glong n = g_utf8_validate(key, -1, NULL) ? g_utf8_strlen(key, -1) : -1;
	if (n < 1 || n > GLUE_TAG_KEY_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Tag keys must be 1 to %d characters long", GLUE_TAG_KEY_MAX);
		return FALSE;
	}
	if (g_ascii_strncasecmp(key, "aws:", 4) == 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Tag keys starting with aws: are reserved for AWS use: %.128s", key);
		return FALSE;
	}
	return TRUE;
}

/* See internal.h: a TagsMap member, checked. */
JsonObject *glue_in_tags(JsonObject *in, const char *member, gboolean required, GError **error)
{
	JsonObject *tags = glue_in_object(in, member, required, error);
	if (tags == NULL)
		return NULL;
	if (json_object_get_size(tags) > CATALOG_TAGS_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at '%s' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", member, CATALOG_TAGS_MAX);
		return NULL;
	}
	g_autoptr(GList) keys = json_object_get_members(tags);
	for (GList *k = keys; k; k = k->next) {
		JsonNode *v = json_object_get_member(tags, k->data);
		if (!JSON_NODE_HOLDS_VALUE(v) || json_node_get_value_type(v) != G_TYPE_STRING) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s values must be strings", member);
			return NULL;
		}
		if (!glue_tag_key_ok(k->data, error))
			return NULL;
		if (g_utf8_strlen(json_node_get_string(v), -1) > GLUE_TAG_VALUE_MAX) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
			            "Tag values must be at most %d characters long", GLUE_TAG_VALUE_MAX);
			return NULL;
		}
	}
	return tags;
}

/*
 * The resource an ARN names, into *obj (strings point into *parts, freed by the caller).
 * FALSE with InvalidInput (malformed, or a type without tags here) or EntityNotFound (another account).
 */
static gboolean glue_tag_resource(GlueCall *call, const char *arn, CatalogTagged *obj, char ***parts, GError **error)
{
	/* arn : partition : glue : region : account : resource */
	*parts = g_strsplit(arn, ":", 6);
	char **p = *parts;
	if (g_strv_length(p) != 6 || strcmp(p[0], "arn") != 0 || !g_str_has_prefix(p[1], "aws") ||
	    strcmp(p[2], "glue") != 0 || *p[4] == '\0') {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Invalid Glue resource ARN: %.256s", arn);
		return FALSE;
	}
	if (strcmp(p[4], call->door->config->account_id) != 0) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "Resource %.256s not found (account %.32s)", arn,
		            p[4]);
		return FALSE;
	}
	char *res = p[5], *slash = strchr(res, '/');
	if (slash != NULL)
		*slash++ = '\0';
	char *second = slash ? strchr(slash, '/') : NULL;
	if (second != NULL && strcmp(res, "table") == 0)
		*second++ = '\0';
	*obj = (CatalogTagged){0};
	if (slash && *slash && strcmp(res, "database") == 0 && strchr(slash, '/') == NULL) {
		*obj = (CatalogTagged){STORE_TAGGED_DATABASE, NULL, slash, NULL};
	} else if (slash && *slash && second && *second && strcmp(res, "table") == 0 && strchr(second, '/') == NULL) {
		*obj = (CatalogTagged){STORE_TAGGED_TABLE, NULL, slash, second};
	} else if (slash && *slash && strcmp(res, "connection") == 0) {
		*obj = (CatalogTagged){STORE_TAGGED_CONNECTION, NULL, NULL, slash};
	} else {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Tags are served on databases, tables and connections only "
		            "(arn:aws:glue:<region>:<account>:database/<db>, table/<db>/<table>, connection/<name>): %.256s",
		            arn);
		return FALSE;
	}
	return TRUE;
}

static JsonObject *glue_tag_resource_op(GlueCall *call, GError **error)
{
	const char *arn = glue_in_string(call->in, "ResourceArn", TRUE, 10240, error);
	JsonObject *add = arn ? glue_in_tags(call->in, "TagsToAdd", TRUE, error) : NULL;
	g_auto(GStrv) parts = NULL;
	CatalogTagged obj;
	if (add == NULL || !glue_tag_resource(call, arn, &obj, &parts, error) ||
	    !catalog_tags_change(call->door->cat, &call->ctx, &obj, add, NULL, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_untag_resource_op(GlueCall *call, GError **error)
{
	const char *arn = glue_in_string(call->in, "ResourceArn", TRUE, 10240, error);
	JsonArray *keys = arn ? glue_in_array(call->in, "TagsToRemove", TRUE, error) : NULL;
	if (keys == NULL)
		return NULL;
	if (json_array_get_length(keys) > CATALOG_TAGS_MAX) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "1 validation error detected: Value at 'tagsToRemove' failed to satisfy constraint: "
		            "Member must have length less than or equal to %d", CATALOG_TAGS_MAX);
		return NULL;
	}
	for (guint i = 0; i < json_array_get_length(keys); i++) {
		JsonNode *k = json_array_get_element(keys, i);
		if (!JSON_NODE_HOLDS_VALUE(k) || json_node_get_value_type(k) != G_TYPE_STRING) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "TagsToRemove must be a list of strings");
			return NULL;
		}
		glong n = g_utf8_strlen(json_node_get_string(k), -1);
		if (n < 1 || n > GLUE_TAG_KEY_MAX) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Tag keys must be 1 to %d characters long",
			            GLUE_TAG_KEY_MAX);
			return NULL;
		}
	}
	g_auto(GStrv) parts = NULL;
	CatalogTagged obj;
	if (!glue_tag_resource(call, arn, &obj, &parts, error) ||
	    !catalog_tags_change(call->door->cat, &call->ctx, &obj, NULL, keys, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_get_tags_op(GlueCall *call, GError **error)
{
	const char *arn = glue_in_string(call->in, "ResourceArn", TRUE, 10240, error);
	g_auto(GStrv) parts = NULL;
	CatalogTagged obj;
	if (arn == NULL || !glue_tag_resource(call, arn, &obj, &parts, error))
		return NULL;
	JsonObject *tags = catalog_tags_get(call->door->cat, &call->ctx, &obj, error);
	if (tags == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "Tags", tags);
	return out;
}

const GlueOp glue_tag_ops[] = {
	{"TagResource", glue_tag_resource_op},
	{"UntagResource", glue_untag_resource_op},
	{"GetTags", glue_get_tags_op},
	{NULL, NULL},
};
