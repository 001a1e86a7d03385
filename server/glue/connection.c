/*
 * connection.c — Glue connections (Create, Get, GetConnections, Update, Delete, BatchDelete)
 * and the Data Catalog's encryption settings (Get/PutDataCatalogEncryptionSettings).
 *
 * Secret connection properties (PASSWORD and the Kafka key passwords) never reach the
 * catalog in clear: they are taken out of ConnectionProperties, sealed together under the
 * key ring's data key (envelope encryption under the master key, auth/keys.h) with the
 * connection's name as associated data, and stored as opaque text. GetConnection opens them
 * again unless HidePassword is set, in which case no secret is read at all; when the stored
 * settings ask ReturnConnectionPasswordEncrypted, the password is answered as
 * ENCRYPTED_PASSWORD (the sealed text) instead. Secrets are never logged.
 *
 * The encryption settings report that truth: ConnectionPasswordEncryption.AwsKmsKeyId names
 * the master key by its fingerprint whatever was put; the rest is what the client put
 * (defaults: DISABLED, passwords returned in clear) and is stored as a catalog setting.
 */
#include <string.h>

#include "glue/internal.h"

#define GLUE_CONN_PAGE_MAX 1000
#define GLUE_CONN_BATCH_MAX 25
#define GLUE_CONN_SECRET "SealedSecret"
#define GLUE_SETTINGS "DataCatalogEncryptionSettings"

static const char *const glue_conn_types[] = {"JDBC", "SFTP", "MONGODB", "KAFKA", "NETWORK", "MARKETPLACE", "CUSTOM",
                                              NULL};
static const char *const glue_conn_keys[] = {
	"HOST", "PORT", "USERNAME", "PASSWORD", "ENCRYPTED_PASSWORD", "JDBC_DRIVER_JAR_URI", "JDBC_DRIVER_CLASS_NAME",
	"JDBC_ENGINE", "JDBC_ENGINE_VERSION", "CONFIG_FILES", "INSTANCE_ID", "JDBC_CONNECTION_URL", "JDBC_ENFORCE_SSL",
	"CUSTOM_JDBC_CERT", "SKIP_CUSTOM_JDBC_CERT_VALIDATION", "CUSTOM_JDBC_CERT_STRING", "CONNECTION_URL",
	"KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SSL_ENABLED", "KAFKA_CUSTOM_CERT", "KAFKA_SKIP_CUSTOM_CERT_VALIDATION",
	"KAFKA_CLIENT_KEYSTORE", "KAFKA_CLIENT_KEYSTORE_PASSWORD", "KAFKA_CLIENT_KEY_PASSWORD",
	"ENCRYPTED_KAFKA_CLIENT_KEYSTORE_PASSWORD", "ENCRYPTED_KAFKA_CLIENT_KEY_PASSWORD", "SECRET_ID", "CONNECTOR_URL",
	"CONNECTOR_TYPE", "CONNECTOR_CLASS_NAME", NULL};
/* The properties sealed at rest and hidden by HidePassword. */
static const char *const glue_conn_secret_keys[] = {"PASSWORD", "KAFKA_CLIENT_KEYSTORE_PASSWORD",
                                                    "KAFKA_CLIENT_KEY_PASSWORD", NULL};

static gboolean glue_conn_in_list(const char *const *list, const char *s)
{
	for (guint i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return TRUE;
	return FALSE;
}

static gboolean glue_conn_invalid(GError **error, const char *fmt, const char *what)
{
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, fmt, what);
	return FALSE;
}

/* A list of strings of at most max items. */
static gboolean glue_conn_string_list(JsonObject *o, const char *member, guint max, GError **error)
{
	JsonArray *a = glue_in_array(o, member, FALSE, error);
	if (a == NULL)
		return error == NULL || *error == NULL;
	if (json_array_get_length(a) > max)
		return glue_conn_invalid(error, "1 validation error detected: Value at '%s' failed to satisfy constraint: "
		                                "Member must have length less than or equal to 10", member);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonNode *n = json_array_get_element(a, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be a list of strings", member);
			return FALSE;
		}
	}
	return TRUE;
}

/* ConnectionType, when present or required, must be one of Glue's. */
static const char *glue_conn_type(JsonObject *o, gboolean required, GError **error)
{
	const char *t = glue_in_string(o, "ConnectionType", required, 0, error);
	if (t != NULL && !glue_conn_in_list(glue_conn_types, t)) {
		glue_conn_invalid(error, "1 validation error detected: Value '%s' at 'connectionType' failed to satisfy "
		                         "constraint: Member must satisfy enum value set: [JDBC, SFTP, MONGODB, KAFKA, "
		                         "NETWORK, MARKETPLACE, CUSTOM]", t);
		return NULL;
	}
	return t;
}

/* Checks a ConnectionInput per the model. */
static gboolean glue_conn_input_check(JsonObject *in, GError **error)
{
	JsonObject *props = NULL;
	if (glue_in_name(in, "Name", TRUE, error) == NULL || glue_conn_type(in, TRUE, error) == NULL ||
	    (glue_in_string(in, "Description", FALSE, 2048, error), error && *error) ||
	    !glue_conn_string_list(in, "MatchCriteria", 10, error) ||
	    (glue_in_object(in, "PhysicalConnectionRequirements", FALSE, error), error && *error) ||
	    (props = glue_in_object(in, "ConnectionProperties", TRUE, error)) == NULL)
		return FALSE;
	if (json_object_get_size(props) > 100)
		return glue_conn_invalid(error, "%s must have at most 100 entries", "ConnectionProperties");
	JsonObjectIter it;
	const char *key;
	JsonNode *v;
	json_object_iter_init(&it, props);
	while (json_object_iter_next(&it, &key, &v)) {
		if (!glue_conn_in_list(glue_conn_keys, key))
			return glue_conn_invalid(error, "Invalid connection property key %s", key);
		if (!JSON_NODE_HOLDS_VALUE(v) || json_node_get_value_type(v) != G_TYPE_STRING) /* as every string map */
			return glue_conn_invalid(error, "ConnectionProperties.%s must be a string", key);
		if (g_utf8_strlen(json_node_get_string(v), -1) > 1024)
			return glue_conn_invalid(error, "ConnectionProperties.%s is longer than 1024 characters", key);
	}
	return TRUE;
}

static char *glue_conn_aad(const char *name)
{
	return g_strdup_printf("glue-connection:%s", name);
}

/* ConnectionInput → a document with the secret properties sealed apart (new). */
static JsonObject *glue_conn_doc(GlueCall *call, JsonObject *input)
{
	JsonObject *doc = glue_copy_object(input);
	JsonObject *props = json_object_get_object_member(doc, "ConnectionProperties");
	g_autoptr(JsonObject) secrets = json_object_new();
	for (guint i = 0; glue_conn_secret_keys[i]; i++) {
		const char *k = glue_conn_secret_keys[i];
		if (json_object_has_member(props, k)) {
			json_object_set_string_member(secrets, k, json_object_get_string_member(props, k));
			json_object_remove_member(props, k);
		}
	}
	if (json_object_get_size(secrets) > 0) {
		g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), secrets);
		g_autofree char *plain = json_to_string(n, FALSE);
		g_autofree char *aad = glue_conn_aad(json_object_get_string_member(doc, "Name"));
		g_autofree char *sealed = auth_keyring_seal_text(call->door->keyring, plain, aad);
		memset(plain, 0, strlen(plain));
		json_object_set_string_member(doc, GLUE_CONN_SECRET, sealed);
	}
	json_object_set_string_member(doc, "LastUpdatedBy", call->ctx.principal ? call->ctx.principal : "anonymous");
	return doc;
}

/* Whether the stored settings ask for passwords to stay encrypted in answers. */
static gboolean glue_conn_return_encrypted(GlueCall *call, GError **error)
{
	g_autoptr(JsonObject) s = catalog_get_setting(call->door->cat, &call->ctx, GLUE_SETTINGS, FALSE, error);
	JsonNode *n = s ? json_object_get_member(s, "ConnectionPasswordEncryption") : NULL;
	JsonObject *cpe = n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
	return cpe && json_object_get_boolean_member_with_default(cpe, "ReturnConnectionPasswordEncrypted", FALSE);
}

/* A stored document as Glue answers it: secrets opened (unless hidden or asked encrypted). New. */
static JsonObject *glue_conn_out(GlueCall *call, JsonObject *doc, gboolean hide, gboolean encrypted, GError **error)
{
	JsonObject *o = glue_copy_object(doc);
	const char *sealed = json_object_get_string_member_with_default(o, GLUE_CONN_SECRET, NULL);
	JsonObject *props = json_object_get_object_member(o, "ConnectionProperties");
	if (sealed != NULL && !hide && encrypted) {
		json_object_set_string_member(props, "ENCRYPTED_PASSWORD", sealed);
	} else if (sealed != NULL && !hide) {
		g_autofree char *aad = glue_conn_aad(json_object_get_string_member(o, "Name"));
		GError *e = NULL;
		g_autofree char *plain = auth_keyring_open_text(call->door->keyring, sealed, aad, &e);
		g_autoptr(JsonNode) n = plain ? json_from_string(plain, NULL) : NULL;
		if (plain)
			memset(plain, 0, strlen(plain));
		if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n)) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INTERNAL, "cannot decrypt the connection's secrets: %s",
			            e ? e->message : "not a JSON object");
			g_clear_error(&e);
			json_object_unref(o);
			return NULL;
		}
		JsonObjectIter it;
		const char *key;
		JsonNode *v;
		json_object_iter_init(&it, json_node_get_object(n));
		while (json_object_iter_next(&it, &key, &v))
			json_object_set_string_member(props, key, json_node_get_string(v));
	}
	json_object_remove_member(o, GLUE_CONN_SECRET);
	return o;
}

/* Reads HidePassword. */
static gboolean glue_conn_hide(GlueCall *call, gboolean *hide, GError **error)
{
	JsonNode *n = json_object_get_member(call->in, "HidePassword");
	*hide = FALSE;
	if (n == NULL || JSON_NODE_HOLDS_NULL(n))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "HidePassword must be a boolean");
		return FALSE;
	}
	*hide = json_node_get_boolean(n);
	return TRUE;
}

static JsonObject *glue_create_connection(GlueCall *call, GError **error)
{
	JsonObject *input = glue_in_object(call->in, "ConnectionInput", TRUE, error);
	JsonObject *tags = NULL;
	if (input == NULL || !glue_check_catalog_id(call, error) || !glue_conn_input_check(input, error) ||
	    ((tags = glue_in_tags(call->in, "Tags", FALSE, error)), error && *error))
		return NULL;
	g_autoptr(JsonObject) doc = glue_conn_doc(call, input);
	if (!catalog_create_connection_tagged(call->door->cat, &call->ctx, doc, tags, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_get_connection(GlueCall *call, GError **error)
{
	gboolean hide = FALSE;
	const char *name = glue_in_name(call->in, "Name", TRUE, error);
	if (name == NULL || !glue_check_catalog_id(call, error) || !glue_conn_hide(call, &hide, error))
		return NULL;
	g_autoptr(JsonObject) doc = catalog_get_connection(call->door->cat, &call->ctx, name, error);
	if (doc == NULL)
		return NULL;
	GError *e = NULL;
	gboolean encrypted = !hide && glue_conn_return_encrypted(call, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	JsonObject *c = glue_conn_out(call, doc, hide, encrypted, error);
	if (c == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "Connection", c);
	return out;
}

/* TRUE when doc passes GetConnections' Filter (type equal; every criterion among the doc's). */
static gboolean glue_conn_matches(JsonObject *doc, const char *type, JsonArray *criteria)
{
	if (type && g_strcmp0(json_object_get_string_member_with_default(doc, "ConnectionType", NULL), type) != 0)
		return FALSE;
	JsonNode *n = json_object_get_member(doc, "MatchCriteria");
	JsonArray *have = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
	for (guint i = 0; criteria && i < json_array_get_length(criteria); i++) {
		const char *want = json_array_get_string_element(criteria, i);
		gboolean found = FALSE;
		for (guint j = 0; have && !found && j < json_array_get_length(have); j++)
			found = g_strcmp0(json_array_get_string_element(have, j), want) == 0;
		if (!found)
			return FALSE;
	}
	return TRUE;
}

static JsonObject *glue_get_connections(GlueCall *call, GError **error)
{
	gboolean hide = FALSE;
	gint64 max = 0;
	const char *token = NULL, *type = NULL;
	g_autofree char *after = NULL;
	JsonObject *filter = NULL;
	if (!glue_check_catalog_id(call, error) || !glue_conn_hide(call, &hide, error) ||
	    !glue_in_int(call->in, "MaxResults", 1, GLUE_CONN_PAGE_MAX, GLUE_CONN_PAGE_MAX, &max, error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 0, error)), error && *error) ||
	    ((filter = glue_in_object(call->in, "Filter", FALSE, error)), error && *error))
		return NULL;
	if (filter && (((type = glue_conn_type(filter, FALSE, error)), error && *error) ||
	               !glue_conn_string_list(filter, "MatchCriteria", 10, error)))
		return NULL;
	JsonArray *criteria = filter ? glue_in_array(filter, "MatchCriteria", FALSE, NULL) : NULL;
	g_autofree char *scope = g_strdup_printf("%s\n%u", type ? type : "", criteria ? json_array_get_length(criteria) : 0);
	if (!glue_token_read(call, scope, token, &after, error))
		return NULL;
	g_autoptr(GPtrArray) docs = catalog_list_connections(call->door->cat, &call->ctx, error);
	if (docs == NULL)
		return NULL;
	GError *e = NULL;
	gboolean encrypted = !hide && glue_conn_return_encrypted(call, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	JsonArray *list = json_array_new();
	const char *last = NULL;
	gboolean more = FALSE;
	for (guint i = 0; i < docs->len; i++) {
		JsonObject *doc = g_ptr_array_index(docs, i);
		const char *name = json_object_get_string_member_with_default(doc, "Name", "");
		if ((after && strcmp(name, after) <= 0) || !glue_conn_matches(doc, type, criteria))
			continue;
		if (json_array_get_length(list) == (guint)max) {
			more = TRUE;
			break;
		}
		JsonObject *c = glue_conn_out(call, doc, hide, encrypted, error);
		if (c == NULL) {
			json_array_unref(list);
			return NULL;
		}
		json_array_add_object_element(list, c);
		last = name;
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "ConnectionList", list);
	if (more && last) {
		g_autofree char *next = glue_token_make(call, scope, last);
		json_object_set_string_member(out, "NextToken", next);
	}
	return out;
}

static JsonObject *glue_update_connection(GlueCall *call, GError **error)
{
	const char *name = glue_in_name(call->in, "Name", TRUE, error);
	JsonObject *input = name ? glue_in_object(call->in, "ConnectionInput", TRUE, error) : NULL;
	if (input == NULL || !glue_check_catalog_id(call, error) || !glue_conn_input_check(input, error))
		return NULL;
	g_autoptr(JsonObject) doc = glue_conn_doc(call, input);
	if (!catalog_update_connection(call->door->cat, &call->ctx, name, doc, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_delete_connection(GlueCall *call, GError **error)
{
	const char *name = glue_in_name(call->in, "ConnectionName", TRUE, error);
	if (name == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	if (!catalog_delete_connection(call->door->cat, &call->ctx, name, error))
		return NULL;
	return json_object_new();
}

static JsonObject *glue_batch_delete_connection(GlueCall *call, GError **error)
{
	JsonArray *names = glue_in_array(call->in, "ConnectionNameList", TRUE, error);
	if (names == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	if (json_array_get_length(names) > GLUE_CONN_BATCH_MAX) {
		glue_conn_invalid(error, "1 validation error detected: Value at '%s' failed to satisfy constraint: "
		                         "Member must have length less than or equal to 25", "connectionNameList");
		return NULL;
	}
	for (guint i = 0; i < json_array_get_length(names); i++) {
		JsonNode *n = json_array_get_element(names, i);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "ConnectionNameList must be a list of strings");
			return NULL;
		}
	}
	JsonArray *ok = json_array_new();
	JsonObject *errors = json_object_new();
	for (guint i = 0; i < json_array_get_length(names); i++) {
		const char *name = json_array_get_string_element(names, i);
		GError *e = NULL;
		if (catalog_delete_connection(call->door->cat, &call->ctx, name, &e)) {
			json_array_add_string_element(ok, name);
			continue;
		}
		guint status = 0;
		JsonObject *detail = json_object_new();
		json_object_set_string_member(detail, "ErrorCode", glue_error_type(e, &status));
		json_object_set_string_member(detail, "ErrorMessage", e->message);
		json_object_set_object_member(errors, name, detail);
		g_error_free(e);
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Succeeded", ok);
	json_object_set_object_member(out, "Errors", errors);
	return out;
}

/* The settings as stored, or Glue's defaults, with the master key reported. New. */
static JsonObject *glue_settings_current(GlueCall *call, GError **error)
{
	GError *e = NULL;
	JsonObject *s = catalog_get_setting(call->door->cat, &call->ctx, GLUE_SETTINGS, TRUE, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	if (s == NULL)
		s = json_object_new();
	if (!json_object_has_member(s, "EncryptionAtRest")) {
		JsonObject *ear = json_object_new();
		json_object_set_string_member(ear, "CatalogEncryptionMode", "DISABLED");
		json_object_set_object_member(s, "EncryptionAtRest", ear);
	}
	if (!json_object_has_member(s, "ConnectionPasswordEncryption")) {
		JsonObject *cpe = json_object_new();
		json_object_set_boolean_member(cpe, "ReturnConnectionPasswordEncrypted", FALSE);
		json_object_set_object_member(s, "ConnectionPasswordEncryption", cpe);
	}
	/* the truth: secrets are sealed under the master key, whatever was put */
	g_autofree char *fp = auth_keyring_fingerprint(call->door->keyring);
	g_autofree char *key = g_strdup_printf("propolis-master-key/%s", fp);
	json_object_set_string_member(json_object_get_object_member(s, "ConnectionPasswordEncryption"), "AwsKmsKeyId", key);
	return s;
}

static JsonObject *glue_get_encryption_settings(GlueCall *call, GError **error)
{
	if (!glue_check_catalog_id(call, error))
		return NULL;
	JsonObject *s = glue_settings_current(call, error);
	if (s == NULL)
		return NULL;
	JsonObject *out = json_object_new();
	json_object_set_object_member(out, "DataCatalogEncryptionSettings", s);
	return out;
}

static JsonObject *glue_put_encryption_settings(GlueCall *call, GError **error)
{
	JsonObject *in = glue_in_object(call->in, "DataCatalogEncryptionSettings", TRUE, error);
	if (in == NULL || !glue_check_catalog_id(call, error))
		return NULL;
	JsonObject *ear = glue_in_object(in, "EncryptionAtRest", FALSE, error);
	if (error && *error)
		return NULL;
	JsonObject *cpe = glue_in_object(in, "ConnectionPasswordEncryption", FALSE, error);
	if (error && *error)
		return NULL;
	g_autoptr(JsonObject) doc = json_object_new();
	if (ear != NULL) {
		const char *mode = glue_in_string(ear, "CatalogEncryptionMode", TRUE, 0, error);
		const char *kms = mode ? glue_in_name(ear, "SseAwsKmsKeyId", FALSE, error) : NULL;
		if (mode == NULL || (error && *error))
			return NULL;
		if (strcmp(mode, "DISABLED") != 0 && strcmp(mode, "SSE-KMS") != 0) {
			glue_conn_invalid(error, "1 validation error detected: Value '%s' at 'catalogEncryptionMode' failed to "
			                         "satisfy constraint: Member must satisfy enum value set: [DISABLED, SSE-KMS]", mode);
			return NULL;
		}
		JsonObject *e = json_object_new();
		json_object_set_string_member(e, "CatalogEncryptionMode", mode);
		if (kms)
			json_object_set_string_member(e, "SseAwsKmsKeyId", kms);
		json_object_set_object_member(doc, "EncryptionAtRest", e);
	}
	if (cpe != NULL) {
		JsonNode *r = json_object_get_member(cpe, "ReturnConnectionPasswordEncrypted");
		if (r == NULL || JSON_NODE_HOLDS_NULL(r)) {
			glue_conn_invalid(error, "1 validation error detected: Value null at '%s' failed to satisfy constraint: "
			                         "Member must not be null", "returnConnectionPasswordEncrypted");
			return NULL;
		}
		if (!JSON_NODE_HOLDS_VALUE(r) || json_node_get_value_type(r) != G_TYPE_BOOLEAN) {
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			                    "ReturnConnectionPasswordEncrypted must be a boolean");
			return NULL;
		}
		if ((glue_in_name(cpe, "AwsKmsKeyId", FALSE, error), error && *error))
			return NULL;
		JsonObject *c = json_object_new();
		json_object_set_boolean_member(c, "ReturnConnectionPasswordEncrypted", json_node_get_boolean(r));
		json_object_set_object_member(doc, "ConnectionPasswordEncryption", c);
	}
	if (!catalog_put_setting(call->door->cat, &call->ctx, GLUE_SETTINGS, doc, error))
		return NULL;
	return json_object_new();
}

const GlueOp glue_connection_ops[] = {
	{"CreateConnection", glue_create_connection},
	{"GetConnection", glue_get_connection},
	{"GetConnections", glue_get_connections},
	{"UpdateConnection", glue_update_connection},
	{"DeleteConnection", glue_delete_connection},
	{"BatchDeleteConnection", glue_batch_delete_connection},
	{"GetDataCatalogEncryptionSettings", glue_get_encryption_settings},
	{"PutDataCatalogEncryptionSettings", glue_put_encryption_settings},
	{NULL, NULL},
};
