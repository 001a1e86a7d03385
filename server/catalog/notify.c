/*
 * notify.c — the notification log: one event per catalog change, in the change's transaction,
 * with messages shaped like Hive's JSONMessageEncoder ("json-0.2"), and the reads that
 * follow it (get_next_notification, the current id, counts, fire_listener_event).
 *
 * Invariants: catalog_notify_* run inside the writer's CatalogWork, as its LAST statement
 * (store/notification.c explains why ids are then gap-free and ordered); a change that rolls
 * back takes its event with it. Every message carries server, servicePrincipal, db and
 * timestamp (seconds), as Hive's EventMessage requires.
 *
 * Hive's *ObjJson fields hold the object in Thrift's JSON protocol (TJSONProtocol). The catalog
 * knows no Thrift types: the Thrift door registers an encoder (catalog_set_object_encoder) that
 * turns a Glue document into that text, so Hive's JSONMessageDeserializer can call getTableObj().
 * Without an encoder (or when it declines) the field carries the Glue document as JSON text.
 */
#include <string.h>

#include "catalog/internal.h"
#include "common/json.h"

#define EVENT_TRIM_EVERY 64 /* appends between two trims of old events */
#define NOTIFY_PIECE (64 * 1024) /* a big message goes to the store in pieces of about this size */

/* A message builder with the fields every Hive message has (and cat, as Hive 3+ writes it). */
static JsonObject *notify_message(Catalog *cat, const char *catalog, const char *db)
{
	JsonObject *m = json_object_new();
	g_autofree char *server =
		g_strdup_printf("thrift://%s:%u", cat->config->listen_host ? cat->config->listen_host : "localhost",
		                cat->config->listen_port);
	json_object_set_string_member(m, "server", server);
	json_object_set_string_member(m, "servicePrincipal", "");
	if (catalog)
		json_object_set_string_member(m, "cat", catalog);
	json_object_set_string_member(m, "db", db ? db : "");
	json_object_set_int_member(m, "timestamp", catalog_now());
	return m;
}

/* Installs the door's encoder of *ObjJson fields; see catalog.h. */
void catalog_set_object_encoder(Catalog *cat, CatalogObjectEncoder fn, gpointer data)
{
	cat->encoder = fn;
	cat->encoder_data = data;
}

/* obj of kind ("table", ...) as *ObjJson text: the encoder's, else the Glue document's JSON. */
static char *notify_obj_text(Catalog *cat, const char *kind, JsonObject *obj)
{
	char *text = cat->encoder ? cat->encoder(kind, obj, cat->encoder_data) : NULL;
	if (text)
		return text;
	g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(n, obj);
	return json_to_string(n, FALSE);
}

/* obj as the string member `member` of m (null when obj is NULL). */
static void notify_set_obj_json(Catalog *cat, JsonObject *m, const char *member, const char *kind, JsonObject *obj)
{
	if (obj == NULL) {
		json_object_set_null_member(m, member);
		return;
	}
	const char *catalog = catalog_json_str(m, "cat");
	if (catalog && !json_object_has_member(obj, "CatalogName"))
		catalog_doc_set_catalog(obj, catalog); /* Hive's objects carry catName */
	g_autofree char *text = notify_obj_text(cat, kind, obj);
	json_object_set_string_member(m, member, text);
}

/* After an append that gave id (0: failed with serr, consumed): trims old events now and then. */
static gboolean notify_appended(CatalogWork *work, gint64 id, GError *serr, GError **error)
{
	if (id <= 0) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (id % EVENT_TRIM_EVERY == 0 && !store_event_trim(work->conn, work->cat->config->event_ttl_s, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	return TRUE;
}

/* Appends event `type` with message text in work's transaction; trims now and then. */
static gboolean notify_append_text(CatalogWork *work, const char *catalog, const char *db, const char *tbl,
                                   const char *type, const char *text, gsize len, gint64 *out_id, GError **error)
{
	GError *serr = NULL;
	gint64 id = store_event_append_len(work->conn, catalog, db, tbl, type, text, len, &serr);
	if (out_id)
		*out_id = id;
	return notify_appended(work, id, serr, error);
}

/* Appends event `type` with message m (consumed) in work's transaction. */
static gboolean notify_append_id(CatalogWork *work, const char *catalog, const char *db, const char *tbl,
                                 const char *type, JsonObject *m, gint64 *out_id, GError **error)
{
	g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(n, m);
	g_autofree char *text = json_to_string(n, FALSE);
	return notify_append_text(work, catalog, db, tbl, type, text, strlen(text), out_id, error);
}

/* notify_append_id without the id. */
static gboolean notify_append(CatalogWork *work, const char *catalog, const char *db, const char *tbl,
                              const char *type, JsonObject *m, GError **error)
{
	return notify_append_id(work, catalog, db, tbl, type, m, NULL, error);
}

/* The table fields of table/partition messages: table, tableType, tableObjJson. */
static void notify_set_table(Catalog *cat, JsonObject *m, JsonObject *table)
{
	json_object_set_string_member(m, "table", catalog_json_str(table, "Name") ?: "");
	json_object_set_string_member(m, "tableType", catalog_json_str(table, "TableType") ?: "");
	notify_set_obj_json(cat, m, "tableObjJson", "table", table);
}

/* CREATE_DATABASE {dbJson}. */
gboolean catalog_notify_create_database(CatalogWork *work, const char *catalog, JsonObject *db, GError **error)
{
	const char *name = catalog_json_str(db, "Name");
	JsonObject *m = notify_message(work->cat, catalog, name);
	notify_set_obj_json(work->cat, m, "dbJson", "database", db);
	return notify_append(work, catalog, name, NULL, "CREATE_DATABASE", m, error);
}

/* ALTER_DATABASE {dbObjBeforeJson, dbObjAfterJson}. */
gboolean catalog_notify_alter_database(CatalogWork *work, const char *catalog, JsonObject *before, JsonObject *after,
                                       GError **error)
{
	const char *name = catalog_json_str(before, "Name");
	JsonObject *m = notify_message(work->cat, catalog, name);
	notify_set_obj_json(work->cat, m, "dbObjBeforeJson", "database", before);
	notify_set_obj_json(work->cat, m, "dbObjAfterJson", "database", after);
	return notify_append(work, catalog, name, NULL, "ALTER_DATABASE", m, error);
}

/* DROP_DATABASE {dbJson}. */
gboolean catalog_notify_drop_database(CatalogWork *work, const char *catalog, JsonObject *db, GError **error)
{
	const char *name = catalog_json_str(db, "Name");
	JsonObject *m = notify_message(work->cat, catalog, name);
	notify_set_obj_json(work->cat, m, "dbJson", "database", db);
	return notify_append(work, catalog, name, NULL, "DROP_DATABASE", m, error);
}

/* CREATE_TABLE {table, tableType, tableObjJson, files: []}. */
gboolean catalog_notify_create_table(CatalogWork *work, const char *catalog, JsonObject *table, GError **error)
{
	const char *db = catalog_json_str(table, "DatabaseName");
	JsonObject *m = notify_message(work->cat, catalog, db);
	notify_set_table(work->cat, m, table);
	json_object_set_array_member(m, "files", json_array_new());
	return notify_append(work, catalog, db, catalog_json_str(table, "Name"), "CREATE_TABLE", m, error);
}

/* ALTER_TABLE {table, tableType, isTruncateOp, tableObjBeforeJson, tableObjAfterJson}, named by before. */
gboolean catalog_notify_alter_table(CatalogWork *work, const char *catalog, JsonObject *before, JsonObject *after,
                                    gboolean truncate, GError **error)
{
	const char *db = catalog_json_str(before, "DatabaseName");
	JsonObject *m = notify_message(work->cat, catalog, db);
	json_object_set_string_member(m, "table", catalog_json_str(before, "Name") ?: "");
	json_object_set_string_member(m, "tableType", catalog_json_str(before, "TableType") ?: "");
	json_object_set_string_member(m, "isTruncateOp", truncate ? "true" : "false");
	notify_set_obj_json(work->cat, m, "tableObjBeforeJson", "table", before);
	notify_set_obj_json(work->cat, m, "tableObjAfterJson", "table", after);
	return notify_append(work, catalog, db, catalog_json_str(before, "Name"), "ALTER_TABLE", m, error);
}

/* DROP_TABLE {table, tableType, tableObjJson}. */
gboolean catalog_notify_drop_table(CatalogWork *work, const char *catalog, JsonObject *table, GError **error)
{
	const char *db = catalog_json_str(table, "DatabaseName");
	JsonObject *m = notify_message(work->cat, catalog, db);
	notify_set_table(work->cat, m, table);
	return notify_append(work, catalog, db, catalog_json_str(table, "Name"), "DROP_TABLE", m, error);
}

/* CREATE_FUNCTION {functionObjJson}. */
gboolean catalog_notify_create_function(CatalogWork *work, const char *catalog, JsonObject *fn, GError **error)
{
	const char *db = catalog_json_str(fn, "DatabaseName");
	JsonObject *m = notify_message(work->cat, catalog, db);
	notify_set_obj_json(work->cat, m, "functionObjJson", "function", fn);
	return notify_append(work, catalog, db, NULL, "CREATE_FUNCTION", m, error);
}

/* DROP_FUNCTION {functionName}. */
gboolean catalog_notify_drop_function(CatalogWork *work, const char *catalog, const char *db, const char *name,
                                      GError **error)
{
	JsonObject *m = notify_message(work->cat, catalog, db);
	json_object_set_string_member(m, "functionName", name);
	return notify_append(work, catalog, db, NULL, "DROP_FUNCTION", m, error);
}

/* A partition's key → value map (Hive's LinkedHashMap), from the table's keys and its Values. */
static JsonObject *notify_partition_keys(JsonObject *table, JsonObject *part)
{
	JsonObject *kv = json_object_new();
	JsonNode *kn = json_object_get_member(table, "PartitionKeys");
	JsonNode *vn = json_object_get_member(part, "Values");
	JsonArray *keys = kn && JSON_NODE_HOLDS_ARRAY(kn) ? json_node_get_array(kn) : NULL;
	JsonArray *vals = vn && JSON_NODE_HOLDS_ARRAY(vn) ? json_node_get_array(vn) : NULL;
	guint n = MIN(keys ? json_array_get_length(keys) : 0, vals ? json_array_get_length(vals) : 0);
	for (guint i = 0; i < n; i++) {
		const char *k = catalog_json_str(json_array_get_object_element(keys, i), "Name");
		const char *v = json_array_get_string_element(vals, i);
		if (k)
			json_object_set_string_member(kv, k, v ? v : "");
	}
	return kv;
}

/* Partition key maps (and, when with_json, Glue documents as strings) of partitions (JsonObject*). */
static void notify_set_partitions(Catalog *cat, JsonObject *m, JsonObject *table, GPtrArray *partitions,
                                  gboolean with_json)
{
	JsonArray *maps = json_array_new();
	JsonArray *docs = json_array_new();
	for (guint i = 0; partitions && i < partitions->len; i++) {
		JsonObject *p = g_ptr_array_index(partitions, i);
		json_array_add_object_element(maps, notify_partition_keys(table, p));
		if (with_json) {
			const char *catalog = catalog_json_str(m, "cat");
			if (catalog && !json_object_has_member(p, "CatalogName"))
				catalog_doc_set_catalog(p, catalog);
			g_autofree char *text = notify_obj_text(cat, "partition", p);
			json_array_add_string_element(docs, text);
		}
	}
	json_object_set_array_member(m, "partitions", maps);
	if (with_json)
		json_object_set_array_member(m, "partitionListJson", docs);
	else
		json_array_unref(docs);
}

/*
 * ADD_PARTITION {table, tableType, tableObjJson, partitions, partitionListJson, partitionFiles: []}
 * for Glue partition documents (JsonObject*, with Values) of table, in work's transaction.
 */
gboolean catalog_notify_add_partitions(CatalogWork *work, const char *catalog, JsonObject *table,
                                       GPtrArray *partitions, GError **error)
{
	const char *db = catalog_json_str(table, "DatabaseName");
	JsonObject *m = notify_message(work->cat, catalog, db);
	notify_set_table(work->cat, m, table);
	notify_set_partitions(work->cat, m, table, partitions, TRUE);
	json_object_set_array_member(m, "partitionFiles", json_array_new());
	return notify_append(work, catalog, db, catalog_json_str(table, "Name"), "ADD_PARTITION", m, error);
}

/* A table message's text (notify_set_table's members) ending with array_member: [] — the
 * prefix the per-partition messages below are written from. */
static char *notify_table_message(CatalogWork *work, const char *catalog, JsonObject *table, const char *array_member)
{
	JsonObject *m = notify_message(work->cat, catalog, catalog_json_str(table, "DatabaseName"));
	notify_set_table(work->cat, m, table);
	json_object_set_array_member(m, array_member, json_array_new());
	g_autoptr(JsonNode) mn = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(mn, m);
	return json_to_string(mn, FALSE);
}

/* The table's PartitionKeys, or NULL. */
static JsonArray *notify_keys(JsonObject *table)
{
	JsonNode *kn = json_object_get_member(table, "PartitionKeys");
	return kn && JSON_NODE_HOLDS_ARRAY(kn) ? json_node_get_array(kn) : NULL;
}

/* Appends a partition's key → value map as JSON, as notify_partition_keys() builds it. */
static void notify_append_keymap(GString *out, JsonArray *keys, const char *const *values, guint n_values)
{
	guint n = MIN(keys ? json_array_get_length(keys) : 0, n_values);
	gboolean first = TRUE;
	g_string_append_c(out, '{');
	for (guint k = 0; k < n; k++) {
		const char *key = catalog_json_str(json_array_get_object_element(keys, k), "Name");
		const char *v = values[k] ? values[k] : "";
		if (key == NULL)
			continue;
		if (!first)
			g_string_append_c(out, ',');
		first = FALSE;
		json_append_quoted(out, key, strlen(key));
		g_string_append_c(out, ':');
		json_append_quoted(out, v, strlen(v));
	}
	g_string_append_c(out, '}');
}

/*
 * ADD_PARTITION for rows, the same message as catalog_notify_add_partitions: the small members
 * through json-glib, then the two per-partition arrays written straight into the text (each
 * partition's Thrift JSON from the door's encoder, quoted), so 10,000 partitions build no
 * JSON tree.
 */
gboolean catalog_notify_add_partition_rows(CatalogWork *work, const char *catalog, JsonObject *table,
                                           const CatalogPartitionBatch *b, GError **error)
{
	const char *db = catalog_json_str(table, "DatabaseName");
	g_autofree char *head = notify_table_message(work, catalog, table, "partitionFiles");
	gsize head_len = strlen(head);
	g_return_val_if_fail(head_len > 2 && head[head_len - 1] == '}', FALSE);
	JsonArray *keys = notify_keys(table);
	/* written piece by piece into the store's message, which deflates a big one as it grows */
	g_autoptr(StoreEventText) message = store_event_text_new();
	g_autoptr(GString) out = g_string_sized_new(NOTIFY_PIECE + b->encoded_hint + 64);
	g_string_append_len(out, head, (gssize)head_len - 1);
	g_string_append(out, ",\"partitions\":[");
	gboolean first = TRUE;
	for (guint i = 0; i < b->n; i++) {
		const CatalogPartitionNew *row = &b->rows[i];
		if (!row->added)
			continue;
		if (!first)
			g_string_append_c(out, ',');
		first = FALSE;
		notify_append_keymap(out, keys, row->values, row->n_values);
	}
	g_string_append(out, "],\"partitionListJson\":[");
	first = TRUE;
	for (guint i = 0; i < b->n; i++) {
		const CatalogPartitionNew *row = &b->rows[i];
		if (!row->added)
			continue;
		if (!first)
			g_string_append_c(out, ',');
		first = FALSE;
		b->encode(b->user, row, catalog, b->db, b->table, out);
		if (out->len >= NOTIFY_PIECE) {
			store_event_text_append(message, out->str, out->len);
			g_string_truncate(out, 0);
		}
	}
	g_string_append(out, "]}");
	store_event_text_append(message, out->str, out->len);
	GError *serr = NULL;
	gint64 id = store_event_append_text(work->conn, catalog, db, catalog_json_str(table, "Name"), "ADD_PARTITION",
	                                    message, &serr);
	return notify_appended(work, id, serr, error);
}

/* ALTER_PARTITION {table, tableType, keyValues, isTruncateOp, tableObjJson, partitionObjBeforeJson/AfterJson}. */
gboolean catalog_notify_alter_partition(CatalogWork *work, const char *catalog, JsonObject *table,
                                        JsonObject *before, JsonObject *after, GError **error)
{
	const char *db = catalog_json_str(table, "DatabaseName");
	JsonObject *m = notify_message(work->cat, catalog, db);
	notify_set_table(work->cat, m, table);
	json_object_set_object_member(m, "keyValues", notify_partition_keys(table, before));
	json_object_set_string_member(m, "isTruncateOp", "false");
	notify_set_obj_json(work->cat, m, "partitionObjBeforeJson", "partition", before);
	notify_set_obj_json(work->cat, m, "partitionObjAfterJson", "partition", after);
	return notify_append(work, catalog, db, catalog_json_str(table, "Name"), "ALTER_PARTITION", m, error);
}

/*
 * DROP_PARTITION {table, tableType, tableObjJson, partitions (one key map)} per partition given
 * by its values (each a GPtrArray of char*, key order): one event per partition, as Hive fires
 * them, appended in one statement. Every message is the same up to its key map: that beginning
 * (the table's Thrift JSON in it) is made once and, for a batch, stored once
 * (store_event_append_many_prefixed); each event keeps the rest.
 */
gboolean catalog_notify_drop_partition_values(CatalogWork *work, const char *catalog, JsonObject *table,
                                              GPtrArray *values, GError **error)
{
	const char *db = catalog_json_str(table, "DatabaseName");
	g_autofree char *tmpl = notify_table_message(work, catalog, table, "partitions");
	g_return_val_if_fail(g_str_has_suffix(tmpl, "[]}"), FALSE);
	gboolean shared = values->len > 1;
	g_autofree char *prefix = g_strndup(tmpl, strlen(tmpl) - 2); /* keeps the '[' */
	JsonArray *keys = notify_keys(table);
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < values->len; i++) {
		GPtrArray *v = g_ptr_array_index(values, i);
		GString *t = g_string_new(shared ? NULL : prefix);
		notify_append_keymap(t, keys, (const char *const *)v->pdata, v->len);
		g_string_append(t, "]}");
		g_ptr_array_add(texts, g_string_free(t, FALSE));
	}
	GError *serr = NULL;
	gint64 first = 0;
	const char *tname = catalog_json_str(table, "Name");
	if (!store_event_append_many_prefixed(work->conn, catalog, db, tname, "DROP_PARTITION", shared ? prefix : NULL,
	                                      texts, &first, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	/* trim as often as single appends do: when the ids passed a multiple of EVENT_TRIM_EVERY */
	gint64 last = first + (gint64)texts->len - 1;
	if (first > 0 && last / EVENT_TRIM_EVERY != (first - 1) / EVENT_TRIM_EVERY &&
	    !store_event_trim(work->conn, work->cat->config->event_ttl_s, &serr)) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	return TRUE;
}

/* The same per partition document (JsonObject*, with Values; a non-string value reads as ""). */
gboolean catalog_notify_drop_partitions(CatalogWork *work, const char *catalog, JsonObject *table,
                                        GPtrArray *partitions, GError **error)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; partitions && i < partitions->len; i++) {
		JsonNode *vn = json_object_get_member(g_ptr_array_index(partitions, i), "Values");
		JsonArray *arr = vn && JSON_NODE_HOLDS_ARRAY(vn) ? json_node_get_array(vn) : NULL;
		GPtrArray *v = g_ptr_array_new();
		for (guint k = 0; arr && k < json_array_get_length(arr); k++)
			g_ptr_array_add(v, (gpointer)json_array_get_string_element(arr, k));
		g_ptr_array_add(values, v);
	}
	return catalog_notify_drop_partition_values(work, catalog, table, values, error);
}

/* ---- reads and fire_listener_event ---- */

/*
 * get_next_notification: events after last_event in id order, at most max (<= 0: all), without
 * the types in skip, only of catalog/db/tables when given. Old events are trimmed first.
 */
JsonArray *catalog_get_next_notification(Catalog *cat, const CatalogCtx *ctx, gint64 last_event, gint max,
                                         GPtrArray *skip, const char *catalog, const char *db, GPtrArray *tables,
                                         GError **error)
{
	g_autofree char *catname = catalog ? catalog_lower(catalog) : NULL;
	g_autofree char *dbname = catalog_lower(db);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	JsonArray *events = NULL;
	if (store_event_trim(work.conn, cat->config->event_ttl_s, &serr))
		events = store_event_list(work.conn, last_event, max, skip, catname, dbname, tables, &serr);
	if (events == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else if (!catalog_authz_filter_events(&work, ctx, events, error))
		g_clear_pointer(&events, json_array_unref);
	catalog_work_end(&work, events != NULL, NULL);
	return events;
}

/* The id of the last event; FALSE with error when PostgreSQL fails. */
gboolean catalog_current_event_id(Catalog *cat, const CatalogCtx *ctx, gint64 *out, GError **error)
{
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return FALSE;
	GError *serr = NULL;
	gboolean ok = store_event_current(work.conn, out, &serr);
	if (!ok)
		catalog_error_from_store(serr, NULL, NULL, error);
	catalog_work_end(&work, ok, NULL);
	return ok;
}

/* Counts every matching event (administrators). */
static gboolean count_events_all(CatalogWork *work, gint64 from, gint64 to, const char *catname, const char *dbname,
                                 GPtrArray *tables, gint64 limit, gint64 *out, GError **error)
{
	GError *serr = NULL;
	if (store_event_count(work->conn, from, to, catname, dbname, tables, limit, out, &serr))
		return TRUE;
	catalog_error_from_store(serr, NULL, NULL, error);
	return FALSE;
}

/*
 * Counts the matching events the caller could read with get_next_notification (the same rule,
 * catalog_authz_filter_events), per object, capped at limit.
 */
static gboolean count_events_visible(CatalogWork *work, const CatalogCtx *ctx, gint64 from, gint64 to,
                                     const char *catname, const char *dbname, GPtrArray *tables, gint64 limit,
                                     gint64 *out, GError **error)
{
	GError *serr = NULL;
	g_autoptr(JsonArray) groups = store_event_count_groups(work->conn, from, to, catname, dbname, tables, &serr);
	if (groups == NULL) {
		catalog_error_from_store(serr, NULL, NULL, error);
		return FALSE;
	}
	if (!catalog_authz_filter_events(work, ctx, groups, error))
		return FALSE;
	gint64 n = 0;
	for (guint i = 0; i < json_array_get_length(groups); i++)
		n += json_object_get_int_member(json_array_get_object_element(groups, i), "n");
	*out = limit > 0 && n > limit ? limit : n;
	return TRUE;
}

/* get_notification_events_count: events of db after from (up to to when > 0), capped at limit; only those
 * the caller could read with get_next_notification (administrators: all). */
gboolean catalog_count_events(Catalog *cat, const CatalogCtx *ctx, gint64 from, gint64 to, const char *catalog,
                              const char *db, GPtrArray *tables, gint64 limit, gint64 *out, GError **error)
{
	if (db == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database name cannot be null.");
		return FALSE;
	}
	g_autofree char *catname = catalog ? catalog_lower(catalog) : NULL;
	g_autofree char *dbname = catalog_lower(db);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return FALSE;
	g_autoptr(AuthzFacts) f = catalog_authz_facts(&work, ctx, NULL, NULL, error);
	gboolean ok = f != NULL && (f->is_admin || f->is_readonly_admin
	                                ? count_events_all(&work, from, to, catname, dbname, tables, limit, out, error)
	                                : count_events_visible(&work, ctx, from, to, catname, dbname, tables, limit, out,
	                                                       error));
	catalog_work_end(&work, ok, NULL);
	return ok;
}

/*
 * fire_listener_event: one INSERT event per element of inserts ({replace, files[],
 * partitionVal[]?}) on table db.name, or one RELOAD event when refresh. Returns the new event
 * ids (GArray of gint64). NOT_FOUND when the table does not exist.
 */
GArray *catalog_fire_event(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                           const char *name, JsonArray *inserts, gboolean refresh, GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, name, TRUE, AUTHZ_INSERT, &ref, &work, NULL, error))
		return NULL;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	GError *serr = NULL;
	g_autoptr(JsonObject) table = store_table_get(work.conn, catname, dbname, tname, FALSE, &serr);
	gboolean ok = table != NULL;
	if (!ok) {
		g_autofree char *msg = g_strdup_printf("%s.%s table not found", dbname, tname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	guint n = refresh ? 1 : (inserts ? json_array_get_length(inserts) : 0);
	for (guint i = 0; ok && i < n; i++) {
		JsonObject *m = notify_message(cat, catname, dbname);
		notify_set_table(cat, m, table);
		json_object_set_null_member(m, "ptnObjJson");
		if (refresh) {
			json_object_set_string_member(m, "refreshEvent", "true");
		} else {
			JsonObject *ins = json_array_get_object_element(inserts, i);
			json_object_set_string_member(m, "replace", json_object_get_boolean_member_with_default(ins, "replace", FALSE)
			                                                ? "true" : "false");
			JsonNode *f = json_object_get_member(ins, "files");
			json_object_set_member(m, "files", f ? json_node_copy(f) : json_node_init_array(json_node_alloc(), json_array_new()));
		}
		gint64 id = 0;
		ok = notify_append_id(&work, catname, dbname, tname, refresh ? "RELOAD" : "INSERT", m, &id, error);
		if (ok)
			g_array_append_val(ids, id);
	}
	if (!catalog_work_end(&work, ok, error))
		return NULL;
	return g_steal_pointer(&ids);
}
