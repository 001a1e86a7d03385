/*
 * translate.c — Hive structs ⇄ Glue-shaped JSON documents (see translate.h and MODEL.md).
 *
 * The one place that knows both shapes. Rules kept throughout: a Thrift field whose __isset_
 * flag is FALSE is not written to JSON; a JSON member that is absent leaves the Thrift field
 * as the generated constructor made it (unset). Enums travel as their IDL names ("USER"),
 * unknown numeric values as plain integers, so nothing a client sends is lost.
 */
#include "thrift/translate.h"

#include <string.h>

#include "common/json.h"

/* ---- small helpers: JSON side ---- */

static void put_str(JsonObject *o, const char *key, const char *v, gboolean isset)
{
	if (isset)
		json_object_set_string_member(o, key, v ? v : "");
}

static JsonObject *map_to_json(GHashTable *h)
{
	JsonObject *o = json_object_new();
	if (h == NULL)
		return o;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &v))
		json_object_set_string_member(o, k, v ? v : "");
	return o;
}

static JsonArray *strv_to_json(const GPtrArray *a)
{
	JsonArray *arr = json_array_new();
	for (guint i = 0; a && i < a->len; i++)
		json_array_add_string_element(arr, g_ptr_array_index(a, i) ? g_ptr_array_index(a, i) : "");
	return arr;
}

static JsonObject *hive_obj(JsonObject *doc)
{
	if (!json_object_has_member(doc, "Hive"))
		json_object_set_object_member(doc, "Hive", json_object_new());
	return json_object_get_object_member(doc, "Hive");
}

/* Drops an empty "Hive" member so documents stay minimal. */
static void hive_prune(JsonObject *doc)
{
	JsonObject *h = json_object_get_object_member(doc, "Hive");
	if (h && json_object_get_size(h) == 0)
		json_object_remove_member(doc, "Hive");
}

/* ---- small helpers: Thrift side ---- */

static JsonNode *member(JsonObject *o, const char *key)
{
	return o ? json_object_get_member(o, key) : NULL;
}

static gboolean take_str(JsonObject *o, const char *key, gchar **dst, gboolean *isset)
{
	JsonNode *n = member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return FALSE;
	g_free(*dst);
	*dst = g_strdup(json_node_get_string(n));
	if (isset)
		*isset = TRUE;
	return TRUE;
}

static gboolean take_int(JsonObject *o, const char *key, gint64 *dst)
{
	JsonNode *n = member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return FALSE;
	GType t = json_node_get_value_type(n);
	if (t == G_TYPE_INT64)
		*dst = json_node_get_int(n);
	else if (t == G_TYPE_DOUBLE)
		*dst = (gint64)json_node_get_double(n);
	else if (t == G_TYPE_STRING)
		*dst = g_ascii_strtoll(json_node_get_string(n), NULL, 10);
	else
		return FALSE;
	return TRUE;
}

static gboolean take_i32(JsonObject *o, const char *key, gint32 *dst, gboolean *isset)
{
	gint64 v;
	if (!take_int(o, key, &v))
		return FALSE;
	*dst = (gint32)v;
	if (isset)
		*isset = TRUE;
	return TRUE;
}

static gboolean take_bool(JsonObject *o, const char *key, gboolean *dst, gboolean *isset)
{
	JsonNode *n = member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN)
		return FALSE;
	*dst = json_node_get_boolean(n);
	if (isset)
		*isset = TRUE;
	return TRUE;
}

static gboolean take_map(JsonObject *o, const char *key, GHashTable *dst, gboolean *isset)
{
	JsonNode *n = member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
		return FALSE;
	JsonObject *m = json_node_get_object(n);
	JsonObjectIter it;
	const char *k;
	JsonNode *v;
	json_object_iter_init(&it, m);
	while (json_object_iter_next(&it, &k, &v)) {
		const char *s = JSON_NODE_HOLDS_VALUE(v) ? json_node_get_string(v) : NULL;
		g_hash_table_replace(dst, g_strdup(k), g_strdup(s ? s : ""));
	}
	if (isset)
		*isset = TRUE;
	return TRUE;
}

static gboolean take_strv(JsonObject *o, const char *key, GPtrArray *dst, gboolean *isset)
{
	JsonNode *n = member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_ARRAY(n))
		return FALSE;
	JsonArray *a = json_node_get_array(n);
	for (guint i = 0; i < json_array_get_length(a); i++) {
		const char *s = json_array_get_string_element(a, i);
		g_ptr_array_add(dst, g_strdup(s ? s : ""));
	}
	if (isset)
		*isset = TRUE;
	return TRUE;
}

static JsonObject *sub_obj(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key);
	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *sub_arr(JsonObject *o, const char *key)
{
	JsonNode *n = member(o, key);
	return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

/* ---- enums by name ---- */

typedef struct {
	gint value;
	const char *name;
} EnumName;

static const EnumName principal_types[] = {{1, "USER"}, {2, "ROLE"}, {3, "GROUP"}, {0, NULL}};
static const EnumName resource_types[] = {{1, "JAR"}, {2, "FILE"}, {3, "ARCHIVE"}, {0, NULL}};
static const EnumName function_types[] = {{1, "JAVA"}, {0, NULL}};
static const EnumName serde_types[] = {{1, "HIVE"}, {2, "SCHEMA_REGISTRY"}, {0, NULL}};
static const EnumName database_types[] = {{1, "NATIVE"}, {2, "REMOTE"}, {0, NULL}};

static void put_enum(JsonObject *o, const char *key, const EnumName *names, gint v, gboolean isset)
{
	if (!isset)
		return;
	for (const EnumName *e = names; e->name; e++)
		if (e->value == v) {
			json_object_set_string_member(o, key, e->name);
			return;
		}
	json_object_set_int_member(o, key, v);
}

static gboolean take_enum(JsonObject *o, const char *key, const EnumName *names, gint *dst, gboolean *isset)
{
	JsonNode *n = member(o, key);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return FALSE;
	if (json_node_get_value_type(n) == G_TYPE_STRING) {
		const char *s = json_node_get_string(n);
		const EnumName *e = names;
		while (e->name && g_ascii_strcasecmp(e->name, s) != 0)
			e++;
		if (e->name == NULL)
			return FALSE;
		*dst = e->value;
	} else {
		*dst = (gint)json_node_get_int(n);
	}
	if (isset)
		*isset = TRUE;
	return TRUE;
}

/* ---- privileges ---- */

static JsonObject *grant_map_to_json(GHashTable *h)
{
	JsonObject *o = json_object_new();
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		GPtrArray *grants = v;
		JsonArray *arr = json_array_new();
		for (guint i = 0; grants && i < grants->len; i++) {
			PrivilegeGrantInfo *g = g_ptr_array_index(grants, i);
			JsonObject *go = json_object_new();
			put_str(go, "privilege", g->privilege, g->__isset_privilege);
			if (g->__isset_createTime)
				json_object_set_int_member(go, "createTime", g->createTime);
			put_str(go, "grantor", g->grantor, g->__isset_grantor);
			put_enum(go, "grantorType", principal_types, g->grantorType, g->__isset_grantorType);
			if (g->__isset_grantOption)
				json_object_set_boolean_member(go, "grantOption", g->grantOption);
			json_array_add_object_element(arr, go);
		}
		json_object_set_array_member(o, k, arr);
	}
	return o;
}

static JsonObject *privileges_to_json(const PrincipalPrivilegeSet *p)
{
	JsonObject *o = json_object_new();
	if (p->__isset_userPrivileges)
		json_object_set_object_member(o, "userPrivileges", grant_map_to_json(p->userPrivileges));
	if (p->__isset_groupPrivileges)
		json_object_set_object_member(o, "groupPrivileges", grant_map_to_json(p->groupPrivileges));
	if (p->__isset_rolePrivileges)
		json_object_set_object_member(o, "rolePrivileges", grant_map_to_json(p->rolePrivileges));
	return o;
}

static void grant_map_from_json(JsonObject *o, const char *key, GHashTable *dst, gboolean *isset)
{
	JsonObject *m = sub_obj(o, key);
	if (m == NULL)
		return;
	JsonObjectIter it;
	const char *name;
	JsonNode *v;
	json_object_iter_init(&it, m);
	while (json_object_iter_next(&it, &name, &v)) {
		GPtrArray *grants = g_ptr_array_new_with_free_func(g_object_unref);
		JsonArray *arr = JSON_NODE_HOLDS_ARRAY(v) ? json_node_get_array(v) : NULL;
		for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
			JsonObject *go = json_array_get_object_element(arr, i);
			PrivilegeGrantInfo *g = g_object_new(TYPE_PRIVILEGE_GRANT_INFO, NULL);
			take_str(go, "privilege", &g->privilege, &g->__isset_privilege);
			take_i32(go, "createTime", &g->createTime, &g->__isset_createTime);
			take_str(go, "grantor", &g->grantor, &g->__isset_grantor);
			gint gt = 0;
			if (take_enum(go, "grantorType", principal_types, &gt, &g->__isset_grantorType))
				g->grantorType = gt;
			take_bool(go, "grantOption", &g->grantOption, &g->__isset_grantOption);
			g_ptr_array_add(grants, g);
		}
		g_hash_table_replace(dst, g_strdup(name), grants);
	}
	*isset = TRUE;
}

static void privileges_from_json(JsonObject *o, PrincipalPrivilegeSet *p)
{
	grant_map_from_json(o, "userPrivileges", p->userPrivileges, &p->__isset_userPrivileges);
	grant_map_from_json(o, "groupPrivileges", p->groupPrivileges, &p->__isset_groupPrivileges);
	grant_map_from_json(o, "rolePrivileges", p->rolePrivileges, &p->__isset_rolePrivileges);
}

/* ---- Database ---- */

/* Database → {Name, Description?, LocationUri?, Parameters, CreateTime?, CatalogId?, Hive{...}}. */
JsonObject *translate_database_to_json(const Database *db)
{
	JsonObject *o = json_object_new();
	put_str(o, "Name", db->name, TRUE);
	put_str(o, "Description", db->description, db->__isset_description);
	put_str(o, "LocationUri", db->locationUri, db->__isset_locationUri);
	json_object_set_object_member(o, "Parameters", map_to_json(db->parameters));
	if (db->__isset_createTime)
		json_object_set_int_member(o, "CreateTime", db->createTime);
	JsonObject *h = hive_obj(o);
	if (db->__isset_privileges)
		json_object_set_object_member(h, "Privileges", privileges_to_json(db->privileges));
	put_str(h, "OwnerName", db->ownerName, db->__isset_ownerName);
	put_enum(h, "OwnerType", principal_types, db->ownerType, db->__isset_ownerType);
	put_str(h, "ManagedLocationUri", db->managedLocationUri, db->__isset_managedLocationUri);
	put_enum(h, "Type", database_types, db->type, db->__isset_type);
	put_str(h, "ConnectorName", db->connector_name, db->__isset_connector_name);
	put_str(h, "RemoteDbName", db->remote_dbname, db->__isset_remote_dbname);
	hive_prune(o);
	return o;
}

/* A database document from create_database_req's flat request (same members as a Database). */
JsonObject *translate_create_database_request_to_json(const CreateDatabaseRequest *r)
{
	JsonObject *o = json_object_new();
	put_str(o, "Name", r->databaseName, TRUE);
	put_str(o, "Description", r->description, r->__isset_description);
	put_str(o, "LocationUri", r->locationUri, r->__isset_locationUri);
	json_object_set_object_member(o, "Parameters", map_to_json(r->__isset_parameters ? r->parameters : NULL));
	if (r->__isset_createTime)
		json_object_set_int_member(o, "CreateTime", r->createTime);
	JsonObject *h = hive_obj(o);
	if (r->__isset_privileges)
		json_object_set_object_member(h, "Privileges", privileges_to_json(r->privileges));
	put_str(h, "OwnerName", r->ownerName, r->__isset_ownerName);
	put_enum(h, "OwnerType", principal_types, r->ownerType, r->__isset_ownerType);
	put_str(h, "ManagedLocationUri", r->managedLocationUri, r->__isset_managedLocationUri);
	put_enum(h, "Type", database_types, r->type, r->__isset_type);
	put_str(h, "ConnectorName", r->dataConnectorName, r->__isset_dataConnectorName);
	put_str(h, "RemoteDbName", r->remote_dbname, r->__isset_remote_dbname);
	hive_prune(o);
	return o;
}

/* A catalog document {"Name","Description"?,"LocationUri"?} from Hive's Catalog. */
JsonObject *translate_catalog_to_json(const HiveCatalog *c)
{
	JsonObject *o = json_object_new();
	put_str(o, "Name", c->name, c->name != NULL);
	put_str(o, "Description", c->description, c->__isset_description);
	put_str(o, "LocationUri", c->locationUri, c->locationUri != NULL);
	return o;
}

/* Fills Hive's Catalog from a catalog document. */
void translate_catalog_from_json(JsonObject *doc, HiveCatalog *out)
{
	gboolean isset = FALSE;
	take_str(doc, "Name", &out->name, &isset);
	take_str(doc, "Description", &out->description, &out->__isset_description);
	take_str(doc, "LocationUri", &out->locationUri, &isset);
	take_i32(doc, "CreateTime", &out->createTime, &out->__isset_createTime);
}

/* Fills out from a database document. */
void translate_database_from_json(JsonObject *doc, Database *out)
{
	take_str(doc, "Name", &out->name, &out->__isset_name);
	take_str(doc, "Description", &out->description, &out->__isset_description);
	take_str(doc, "LocationUri", &out->locationUri, &out->__isset_locationUri);
	take_map(doc, "Parameters", out->parameters, &out->__isset_parameters);
	take_i32(doc, "CreateTime", &out->createTime, &out->__isset_createTime);
	take_str(doc, "CatalogName", &out->catalogName, &out->__isset_catalogName);
	JsonObject *h = sub_obj(doc, "Hive");
	if (h == NULL)
		return;
	JsonObject *p = sub_obj(h, "Privileges");
	if (p) {
		privileges_from_json(p, out->privileges);
		out->__isset_privileges = TRUE;
	}
	take_str(h, "OwnerName", &out->ownerName, &out->__isset_ownerName);
	gint e = 0;
	if (take_enum(h, "OwnerType", principal_types, &e, &out->__isset_ownerType))
		out->ownerType = e;
	take_str(h, "ManagedLocationUri", &out->managedLocationUri, &out->__isset_managedLocationUri);
	if (take_enum(h, "Type", database_types, &e, &out->__isset_type))
		out->type = e;
	take_str(h, "ConnectorName", &out->connector_name, &out->__isset_connector_name);
	take_str(h, "RemoteDbName", &out->remote_dbname, &out->__isset_remote_dbname);
}

/* ---- columns, serde, skew, storage descriptor ---- */

static JsonArray *columns_to_json(const GPtrArray *cols)
{
	JsonArray *arr = json_array_new();
	for (guint i = 0; cols && i < cols->len; i++) {
		FieldSchema *f = g_ptr_array_index(cols, i);
		JsonObject *c = json_object_new();
		put_str(c, "Name", f->name, TRUE);
		put_str(c, "Type", f->type, TRUE);
		put_str(c, "Comment", f->comment, f->__isset_comment);
		json_array_add_object_element(arr, c);
	}
	return arr;
}

/* Appends one FieldSchema per column document. */
void translate_columns_from_json(JsonArray *cols, GPtrArray *out)
{
	for (guint i = 0; cols && i < json_array_get_length(cols); i++) {
		JsonObject *c = json_array_get_object_element(cols, i);
		FieldSchema *f = g_object_new(TYPE_FIELD_SCHEMA, NULL);
		take_str(c, "Name", &f->name, &f->__isset_name);
		take_str(c, "Type", &f->type, &f->__isset_type);
		take_str(c, "Comment", &f->comment, &f->__isset_comment);
		g_ptr_array_add(out, f);
	}
}

static JsonObject *serde_to_json(const SerDeInfo *s)
{
	JsonObject *o = json_object_new();
	put_str(o, "Name", s->name, s->__isset_name);
	put_str(o, "SerializationLibrary", s->serializationLib, s->__isset_serializationLib);
	json_object_set_object_member(o, "Parameters", map_to_json(s->parameters));
	JsonObject *h = hive_obj(o);
	put_str(h, "Description", s->description, s->__isset_description);
	put_str(h, "SerializerClass", s->serializerClass, s->__isset_serializerClass);
	put_str(h, "DeserializerClass", s->deserializerClass, s->__isset_deserializerClass);
	put_enum(h, "SerdeType", serde_types, s->serdeType, s->__isset_serdeType);
	hive_prune(o);
	return o;
}

static void serde_from_json(JsonObject *o, SerDeInfo *s)
{
	take_str(o, "Name", &s->name, &s->__isset_name);
	take_str(o, "SerializationLibrary", &s->serializationLib, &s->__isset_serializationLib);
	take_map(o, "Parameters", s->parameters, &s->__isset_parameters);
	JsonObject *h = sub_obj(o, "Hive");
	take_str(h, "Description", &s->description, &s->__isset_description);
	take_str(h, "SerializerClass", &s->serializerClass, &s->__isset_serializerClass);
	take_str(h, "DeserializerClass", &s->deserializerClass, &s->__isset_deserializerClass);
	gint e = 0;
	if (take_enum(h, "SerdeType", serde_types, &e, &s->__isset_serdeType))
		s->serdeType = e;
}

/* The JSON array text of a skewed value list, the key of SkewedColumnValueLocationMaps. */
static char *skew_key_text(const GPtrArray *values)
{
	g_autoptr(JsonNode) n = json_node_new(JSON_NODE_ARRAY);
	json_node_take_array(n, strv_to_json(values));
	return json_to_string(n, FALSE);
}

static JsonObject *skew_to_json(const SkewedInfo *s)
{
	JsonObject *o = json_object_new();
	json_object_set_array_member(o, "SkewedColumnNames", strv_to_json(s->skewedColNames));
	JsonArray *vals = json_array_new();
	for (guint i = 0; s->skewedColValues && i < s->skewedColValues->len; i++)
		json_array_add_array_element(vals, strv_to_json(g_ptr_array_index(s->skewedColValues, i)));
	json_object_set_array_member(o, "SkewedColumnValues", vals);
	JsonObject *maps = json_object_new();
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, s->skewedColValueLocationMaps);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		g_autofree char *key = skew_key_text(k);
		json_object_set_string_member(maps, key, v ? v : "");
	}
	json_object_set_object_member(o, "SkewedColumnValueLocationMaps", maps);
	return o;
}

static GPtrArray *strv_from_json_array(JsonArray *a)
{
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
	for (guint j = 0; a && j < json_array_get_length(a); j++) {
		const char *s = json_array_get_string_element(a, j);
		g_ptr_array_add(v, g_strdup(s ? s : ""));
	}
	return v;
}

static void skew_from_json(JsonObject *o, SkewedInfo *s)
{
	take_strv(o, "SkewedColumnNames", s->skewedColNames, &s->__isset_skewedColNames);
	JsonArray *vals = sub_arr(o, "SkewedColumnValues");
	for (guint i = 0; vals && i < json_array_get_length(vals); i++) {
		JsonNode *n = json_array_get_element(vals, i);
		g_ptr_array_add(s->skewedColValues, strv_from_json_array(JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL));
	}
	s->__isset_skewedColValues = vals != NULL;
	JsonObject *maps = sub_obj(o, "SkewedColumnValueLocationMaps");
	if (maps == NULL)
		return;
	JsonObjectIter it;
	const char *key;
	JsonNode *v;
	json_object_iter_init(&it, maps);
	while (json_object_iter_next(&it, &key, &v)) {
		g_autoptr(JsonNode) kn = json_client_parse(key, strlen(key), 8, NULL); /* written by clients */
		JsonArray *ka = kn && JSON_NODE_HOLDS_ARRAY(kn) ? json_node_get_array(kn) : NULL;
		const char *loc = JSON_NODE_HOLDS_VALUE(v) ? json_node_get_string(v) : NULL;
		g_hash_table_insert(s->skewedColValueLocationMaps, strv_from_json_array(ka), g_strdup(loc ? loc : ""));
	}
	s->__isset_skewedColValueLocationMaps = TRUE;
}

static JsonObject *sd_to_json(const StorageDescriptor *sd)
{
	JsonObject *o = json_object_new();
	json_object_set_array_member(o, "Columns", columns_to_json(sd->cols));
	put_str(o, "Location", sd->location, sd->__isset_location);
	put_str(o, "InputFormat", sd->inputFormat, sd->__isset_inputFormat);
	put_str(o, "OutputFormat", sd->outputFormat, sd->__isset_outputFormat);
	json_object_set_boolean_member(o, "Compressed", sd->compressed);
	json_object_set_int_member(o, "NumberOfBuckets", sd->numBuckets);
	if (sd->__isset_serdeInfo)
		json_object_set_object_member(o, "SerdeInfo", serde_to_json(sd->serdeInfo));
	json_object_set_array_member(o, "BucketColumns", strv_to_json(sd->bucketCols));
	JsonArray *sorts = json_array_new();
	for (guint i = 0; sd->sortCols && i < sd->sortCols->len; i++) {
		Order *ord = g_ptr_array_index(sd->sortCols, i);
		JsonObject *so = json_object_new();
		put_str(so, "Column", ord->col, TRUE);
		json_object_set_int_member(so, "SortOrder", ord->order);
		json_array_add_object_element(sorts, so);
	}
	json_object_set_array_member(o, "SortColumns", sorts);
	json_object_set_object_member(o, "Parameters", map_to_json(sd->parameters));
	if (sd->__isset_skewedInfo)
		json_object_set_object_member(o, "SkewedInfo", skew_to_json(sd->skewedInfo));
	if (sd->__isset_storedAsSubDirectories)
		json_object_set_boolean_member(o, "StoredAsSubDirectories", sd->storedAsSubDirectories);
	return o;
}

JsonObject *translate_storage_descriptor_to_json(const StorageDescriptor *sd)
{
	return sd_to_json(sd);
}

static void sd_from_json(JsonObject *o, StorageDescriptor *sd)
{
	JsonArray *cols = sub_arr(o, "Columns");
	translate_columns_from_json(cols, sd->cols);
	sd->__isset_cols = cols != NULL;
	take_str(o, "Location", &sd->location, &sd->__isset_location);
	take_str(o, "InputFormat", &sd->inputFormat, &sd->__isset_inputFormat);
	take_str(o, "OutputFormat", &sd->outputFormat, &sd->__isset_outputFormat);
	take_bool(o, "Compressed", &sd->compressed, &sd->__isset_compressed);
	take_i32(o, "NumberOfBuckets", &sd->numBuckets, &sd->__isset_numBuckets);
	JsonObject *serde = sub_obj(o, "SerdeInfo");
	if (serde) {
		serde_from_json(serde, sd->serdeInfo);
		sd->__isset_serdeInfo = TRUE;
	}
	take_strv(o, "BucketColumns", sd->bucketCols, &sd->__isset_bucketCols);
	JsonArray *sorts = sub_arr(o, "SortColumns");
	for (guint i = 0; sorts && i < json_array_get_length(sorts); i++) {
		JsonObject *so = json_array_get_object_element(sorts, i);
		Order *ord = g_object_new(TYPE_ORDER, NULL);
		take_str(so, "Column", &ord->col, &ord->__isset_col);
		take_i32(so, "SortOrder", &ord->order, &ord->__isset_order);
		g_ptr_array_add(sd->sortCols, ord);
	}
	sd->__isset_sortCols = sorts != NULL;
	take_map(o, "Parameters", sd->parameters, &sd->__isset_parameters);
	JsonObject *skew = sub_obj(o, "SkewedInfo");
	if (skew) {
		skew_from_json(skew, sd->skewedInfo);
		sd->__isset_skewedInfo = TRUE;
	}
	take_bool(o, "StoredAsSubDirectories", &sd->storedAsSubDirectories, &sd->__isset_storedAsSubDirectories);
}

/* Fills out from a StorageDescriptor document; see translate.h. */
void translate_storage_descriptor_from_json(JsonObject *doc, StorageDescriptor *out)
{
	sd_from_json(doc, out);
}

/* Fills out from a PrincipalPrivilegeSet document; see translate.h. */
void translate_privileges_from_json(JsonObject *doc, PrincipalPrivilegeSet *out)
{
	privileges_from_json(doc, out);
}

/* ---- creation metadata (materialized views; sourceTables is not kept) ---- */

static JsonObject *creation_to_json(const CreationMetadata *c)
{
	JsonObject *o = json_object_new();
	put_str(o, "catName", c->catName, TRUE);
	put_str(o, "dbName", c->dbName, TRUE);
	put_str(o, "tblName", c->tblName, TRUE);
	JsonArray *used = json_array_new();
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, c->tablesUsed);
	while (g_hash_table_iter_next(&it, &k, NULL))
		json_array_add_string_element(used, k);
	json_object_set_array_member(o, "tablesUsed", used);
	put_str(o, "validTxnList", c->validTxnList, c->__isset_validTxnList);
	if (c->__isset_materializationTime)
		json_object_set_int_member(o, "materializationTime", c->materializationTime);
	return o;
}

static void creation_from_json(JsonObject *o, CreationMetadata *c)
{
	take_str(o, "catName", &c->catName, NULL);
	take_str(o, "dbName", &c->dbName, NULL);
	take_str(o, "tblName", &c->tblName, NULL);
	JsonArray *used = sub_arr(o, "tablesUsed");
	for (guint i = 0; used && i < json_array_get_length(used); i++) {
		char *s = g_strdup(json_array_get_string_element(used, i));
		if (s)
			g_hash_table_insert(c->tablesUsed, s, s);
	}
	take_str(o, "validTxnList", &c->validTxnList, &c->__isset_validTxnList);
	if (take_int(o, "materializationTime", &c->materializationTime))
		c->__isset_materializationTime = TRUE;
}

/* ---- Table ---- */

static void table_hive_to_json(const Table *t, JsonObject *h)
{
	put_enum(h, "OwnerType", principal_types, t->ownerType, t->__isset_ownerType);
	if (t->__isset_privileges)
		json_object_set_object_member(h, "Privileges", privileges_to_json(t->privileges));
	if (t->__isset_temporary)
		json_object_set_boolean_member(h, "Temporary", t->temporary);
	if (t->__isset_rewriteEnabled)
		json_object_set_boolean_member(h, "RewriteEnabled", t->rewriteEnabled);
	if (t->__isset_creationMetadata)
		json_object_set_object_member(h, "CreationMetadata", creation_to_json(t->creationMetadata));
	if (t->__isset_writeId)
		json_object_set_int_member(h, "WriteId", t->writeId);
	if (t->__isset_isStatsCompliant)
		json_object_set_boolean_member(h, "IsStatsCompliant", t->isStatsCompliant);
	if (t->__isset_accessType)
		json_object_set_int_member(h, "AccessType", t->accessType);
	if (t->__isset_requiredReadCapabilities)
		json_object_set_array_member(h, "RequiredReadCapabilities", strv_to_json(t->requiredReadCapabilities));
	if (t->__isset_requiredWriteCapabilities)
		json_object_set_array_member(h, "RequiredWriteCapabilities", strv_to_json(t->requiredWriteCapabilities));
	if (t->__isset_txnId)
		json_object_set_int_member(h, "TxnId", t->txnId);
	/* Hive's `id` is server-assigned and ignored on create: not kept. */
}

/* Table → {Name, DatabaseName, Owner?, CreateTime, ..., Hive{...}} (MODEL.md). */
JsonObject *translate_table_to_json(const Table *t)
{
	JsonObject *o = json_object_new();
	put_str(o, "Name", t->tableName, TRUE);
	put_str(o, "DatabaseName", t->dbName, TRUE);
	put_str(o, "Owner", t->owner, t->__isset_owner);
	json_object_set_int_member(o, "CreateTime", t->createTime);
	json_object_set_int_member(o, "LastAccessTime", t->lastAccessTime);
	json_object_set_int_member(o, "Retention", t->retention);
	if (t->__isset_sd)
		json_object_set_object_member(o, "StorageDescriptor", sd_to_json(t->sd));
	json_object_set_array_member(o, "PartitionKeys", columns_to_json(t->partitionKeys));
	put_str(o, "ViewOriginalText", t->viewOriginalText, t->__isset_viewOriginalText);
	put_str(o, "ViewExpandedText", t->viewExpandedText, t->__isset_viewExpandedText);
	put_str(o, "TableType", t->tableType, t->__isset_tableType);
	json_object_set_object_member(o, "Parameters", map_to_json(t->parameters));
	table_hive_to_json(t, hive_obj(o));
	hive_prune(o);
	return o;
}

static void table_hive_from_json(JsonObject *h, Table *t)
{
	gint e = 0;
	if (take_enum(h, "OwnerType", principal_types, &e, &t->__isset_ownerType))
		t->ownerType = e;
	JsonObject *p = sub_obj(h, "Privileges");
	if (p) {
		privileges_from_json(p, t->privileges);
		t->__isset_privileges = TRUE;
	}
	take_bool(h, "Temporary", &t->temporary, &t->__isset_temporary);
	take_bool(h, "RewriteEnabled", &t->rewriteEnabled, &t->__isset_rewriteEnabled);
	JsonObject *cm = sub_obj(h, "CreationMetadata");
	if (cm) {
		creation_from_json(cm, t->creationMetadata);
		t->__isset_creationMetadata = TRUE;
	}
	if (take_int(h, "WriteId", &t->writeId))
		t->__isset_writeId = TRUE;
	take_bool(h, "IsStatsCompliant", &t->isStatsCompliant, &t->__isset_isStatsCompliant);
	gint64 v;
	if (take_int(h, "AccessType", &v)) {
		t->accessType = (gint8)v;
		t->__isset_accessType = TRUE;
	}
	take_strv(h, "RequiredReadCapabilities", t->requiredReadCapabilities, &t->__isset_requiredReadCapabilities);
	take_strv(h, "RequiredWriteCapabilities", t->requiredWriteCapabilities, &t->__isset_requiredWriteCapabilities);
	if (take_int(h, "TxnId", &t->txnId))
		t->__isset_txnId = TRUE;
	if (take_int(h, "Id", &t->id))
		t->__isset_id = TRUE;
}

/* Fills out from a table document. */
void translate_table_from_json(JsonObject *doc, Table *out)
{
	take_str(doc, "Name", &out->tableName, &out->__isset_tableName);
	take_str(doc, "DatabaseName", &out->dbName, &out->__isset_dbName);
	take_str(doc, "Owner", &out->owner, &out->__isset_owner);
	take_i32(doc, "CreateTime", &out->createTime, &out->__isset_createTime);
	take_i32(doc, "LastAccessTime", &out->lastAccessTime, &out->__isset_lastAccessTime);
	take_i32(doc, "Retention", &out->retention, &out->__isset_retention);
	JsonObject *sd = sub_obj(doc, "StorageDescriptor");
	if (sd) {
		sd_from_json(sd, out->sd);
		out->__isset_sd = TRUE;
	}
	JsonArray *keys = sub_arr(doc, "PartitionKeys");
	translate_columns_from_json(keys, out->partitionKeys);
	out->__isset_partitionKeys = keys != NULL;
	take_str(doc, "ViewOriginalText", &out->viewOriginalText, &out->__isset_viewOriginalText);
	take_str(doc, "ViewExpandedText", &out->viewExpandedText, &out->__isset_viewExpandedText);
	take_str(doc, "TableType", &out->tableType, &out->__isset_tableType);
	take_map(doc, "Parameters", out->parameters, &out->__isset_parameters);
	take_str(doc, "CatalogName", &out->catName, &out->__isset_catName);
	JsonObject *h = sub_obj(doc, "Hive");
	if (h)
		table_hive_from_json(h, out);
}

/* A new Table from doc. */
Table *translate_table_new_from_json(JsonObject *doc)
{
	Table *t = g_object_new(TYPE_TABLE, NULL);
	translate_table_from_json(doc, t);
	return t;
}

/* ---- Function ---- */

/* Function → {FunctionName, DatabaseName, ClassName, OwnerName?, OwnerType?, ...}. */
JsonObject *translate_function_to_json(const Function *f)
{
	JsonObject *o = json_object_new();
	put_str(o, "FunctionName", f->functionName, TRUE);
	put_str(o, "DatabaseName", f->dbName, TRUE);
	put_str(o, "ClassName", f->className, TRUE);
	put_str(o, "OwnerName", f->ownerName, f->__isset_ownerName);
	put_enum(o, "OwnerType", principal_types, f->ownerType, f->__isset_ownerType);
	json_object_set_int_member(o, "CreateTime", f->createTime);
	put_enum(o, "FunctionType", function_types, f->functionType, f->__isset_functionType);
	JsonArray *uris = json_array_new();
	for (guint i = 0; f->resourceUris && i < f->resourceUris->len; i++) {
		ResourceUri *r = g_ptr_array_index(f->resourceUris, i);
		JsonObject *ro = json_object_new();
		put_enum(ro, "ResourceType", resource_types, r->resourceType, TRUE);
		put_str(ro, "Uri", r->uri, TRUE);
		json_array_add_object_element(uris, ro);
	}
	json_object_set_array_member(o, "ResourceUris", uris);
	return o;
}

/* Fills out from a function document. */
void translate_function_from_json(JsonObject *doc, Function *out)
{
	take_str(doc, "FunctionName", &out->functionName, &out->__isset_functionName);
	take_str(doc, "DatabaseName", &out->dbName, &out->__isset_dbName);
	take_str(doc, "ClassName", &out->className, &out->__isset_className);
	take_str(doc, "OwnerName", &out->ownerName, &out->__isset_ownerName);
	gint e = 0;
	if (take_enum(doc, "OwnerType", principal_types, &e, &out->__isset_ownerType))
		out->ownerType = e;
	take_i32(doc, "CreateTime", &out->createTime, &out->__isset_createTime);
	if (take_enum(doc, "FunctionType", function_types, &e, &out->__isset_functionType))
		out->functionType = e;
	JsonArray *uris = sub_arr(doc, "ResourceUris");
	for (guint i = 0; uris && i < json_array_get_length(uris); i++) {
		JsonObject *ro = json_array_get_object_element(uris, i);
		ResourceUri *r = g_object_new(TYPE_RESOURCE_URI, NULL);
		if (take_enum(ro, "ResourceType", resource_types, &e, &r->__isset_resourceType))
			r->resourceType = e;
		take_str(ro, "Uri", &r->uri, &r->__isset_uri);
		g_ptr_array_add(out->resourceUris, r);
	}
	out->__isset_resourceUris = uris != NULL;
	take_str(doc, "CatalogName", &out->catName, &out->__isset_catName);
}

/* ---- constraints: generic over the generated GObject properties ---- */

static JsonObject *struct_props_to_json(GObject *obj)
{
	JsonObject *o = json_object_new();
	guint n = 0;
	g_autofree GParamSpec **props = g_object_class_list_properties(G_OBJECT_GET_CLASS(obj), &n);
	for (guint i = 0; i < n; i++) {
		GParamSpec *ps = props[i];
		GType t = G_PARAM_SPEC_VALUE_TYPE(ps);
		g_auto(GValue) v = G_VALUE_INIT;
		g_value_init(&v, t);
		g_object_get_property(obj, ps->name, &v);
		if (t == G_TYPE_STRING) {
			if (g_value_get_string(&v))
				json_object_set_string_member(o, ps->name, g_value_get_string(&v));
		} else if (t == G_TYPE_INT) {
			json_object_set_int_member(o, ps->name, g_value_get_int(&v));
		} else if (t == G_TYPE_BOOLEAN) {
			json_object_set_boolean_member(o, ps->name, g_value_get_boolean(&v));
		}
	}
	return o;
}

/* Each constraint struct as an object of its Hive field names. */
JsonArray *translate_constraints_to_json(const GPtrArray *list)
{
	JsonArray *arr = json_array_new();
	for (guint i = 0; list && i < list->len; i++)
		json_array_add_object_element(arr, struct_props_to_json(g_ptr_array_index(list, i)));
	return arr;
}

static void struct_props_from_json(JsonObject *o, GObject *obj)
{
	JsonObjectIter it;
	const char *key;
	JsonNode *n;
	json_object_iter_init(&it, o);
	while (json_object_iter_next(&it, &key, &n)) {
		GParamSpec *ps = g_object_class_find_property(G_OBJECT_GET_CLASS(obj), key);
		if (ps == NULL || !JSON_NODE_HOLDS_VALUE(n))
			continue;
		GType t = G_PARAM_SPEC_VALUE_TYPE(ps);
		if (t == G_TYPE_STRING && json_node_get_value_type(n) == G_TYPE_STRING)
			g_object_set(obj, key, json_node_get_string(n), NULL);
		else if (t == G_TYPE_INT && json_node_get_value_type(n) == G_TYPE_INT64)
			g_object_set(obj, key, (gint)json_node_get_int(n), NULL);
		else if (t == G_TYPE_BOOLEAN && json_node_get_value_type(n) == G_TYPE_BOOLEAN)
			g_object_set(obj, key, json_node_get_boolean(n), NULL);
	}
}

/* One new struct of type per JSON object, appended to out. */
void translate_constraints_from_json(JsonArray *arr, GType type, GPtrArray *out)
{
	for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
		JsonNode *n = json_array_get_element(arr, i);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			continue;
		GObject *obj = g_object_new(type, NULL);
		struct_props_from_json(json_node_get_object(n), obj);
		g_ptr_array_add(out, obj);
	}
}

/* ---- TableMeta ---- */

/* A TableMeta from a list_table_meta row. */
TableMeta *translate_table_meta_new_from_json(JsonObject *row, const char *catalog)
{
	TableMeta *m = g_object_new(TYPE_TABLE_META, NULL);
	take_str(row, "DatabaseName", &m->dbName, NULL);
	take_str(row, "Name", &m->tableName, NULL);
	take_str(row, "TableType", &m->tableType, NULL);
	take_str(row, "Description", &m->comments, &m->__isset_comments);
	if (catalog) {
		m->catName = g_strdup(catalog);
		m->__isset_catName = TRUE;
	}
	return m;
}

/* ---- partitions ---- */

/* Partition → {Values, DatabaseName, TableName, CreationTime, LastAccessTime, StorageDescriptor?,
 * Parameters, Hive{Privileges?, WriteId?, IsStatsCompliant?}}. colStats and fileMetadata are
 * reply-only decorations and are not kept. */
JsonObject *translate_partition_to_json(const Partition *p)
{
	JsonObject *o = json_object_new();
	if (p->__isset_values)
		json_object_set_array_member(o, "Values", strv_to_json(p->values));
	put_str(o, "DatabaseName", p->dbName, p->__isset_dbName);
	put_str(o, "TableName", p->tableName, p->__isset_tableName);
	json_object_set_int_member(o, "CreationTime", p->createTime);
	json_object_set_int_member(o, "LastAccessTime", p->lastAccessTime);
	if (p->__isset_sd)
		json_object_set_object_member(o, "StorageDescriptor", sd_to_json(p->sd));
	json_object_set_object_member(o, "Parameters", map_to_json(p->parameters));
	JsonObject *h = hive_obj(o);
	if (p->__isset_privileges)
		json_object_set_object_member(h, "Privileges", privileges_to_json(p->privileges));
	if (p->__isset_writeId)
		json_object_set_int_member(h, "WriteId", p->writeId);
	if (p->__isset_isStatsCompliant)
		json_object_set_boolean_member(h, "IsStatsCompliant", p->isStatsCompliant);
	hive_prune(o);
	return o;
}

/* Fills out from a partition document. */
void translate_partition_from_json(JsonObject *doc, Partition *out)
{
	take_strv(doc, "Values", out->values, &out->__isset_values);
	take_str(doc, "DatabaseName", &out->dbName, &out->__isset_dbName);
	take_str(doc, "TableName", &out->tableName, &out->__isset_tableName);
	take_i32(doc, "CreationTime", &out->createTime, &out->__isset_createTime);
	take_i32(doc, "LastAccessTime", &out->lastAccessTime, &out->__isset_lastAccessTime);
	JsonObject *sd = sub_obj(doc, "StorageDescriptor");
	if (sd) {
		sd_from_json(sd, out->sd);
		out->__isset_sd = TRUE;
	}
	take_map(doc, "Parameters", out->parameters, &out->__isset_parameters);
	take_str(doc, "CatalogName", &out->catName, &out->__isset_catName);
	JsonObject *h = sub_obj(doc, "Hive");
	if (h == NULL)
		return;
	JsonObject *priv = sub_obj(h, "Privileges");
	if (priv) {
		privileges_from_json(priv, out->privileges);
		out->__isset_privileges = TRUE;
	}
	if (take_int(h, "WriteId", &out->writeId))
		out->__isset_writeId = TRUE;
	take_bool(h, "IsStatsCompliant", &out->isStatsCompliant, &out->__isset_isStatsCompliant);
}

/* A new Partition filled from doc. */
Partition *translate_partition_new_from_json(JsonObject *doc)
{
	Partition *p = g_object_new(TYPE_PARTITION, NULL);
	translate_partition_from_json(doc, p);
	return p;
}
