/*
 * translate_txn.c — Hive's ACID and notification structs ⇄ the catalog's documents.
 *
 * The catalog's documents already use Hive's field names and enum numbers, so each function
 * here copies fields one to one and sets __isset_ flags for the optional ones it fills.
 * abortedBits follow java.util.BitSet.toByteArray(): bit i is bit (i % 8) of byte i / 8, and
 * trailing zero bytes are left out.
 */
#include "thrift/translate_txn.h"

#include <string.h>

/* String member or NULL. */
static const char *tt_str(JsonObject *o, const char *m)
{
	JsonNode *n = json_object_get_member(o, m);
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n)
	                                                                                     : NULL;
}

/* Integer member or def. */
static gint64 tt_int(JsonObject *o, const char *m, gint64 def)
{
	return json_object_get_int_member_with_default(o, m, def);
}

/* Sets a string member when s is non-NULL. */
static void tt_set_str(JsonObject *o, const char *m, const char *s)
{
	if (s)
		json_object_set_string_member(o, m, s);
}

/* A new GByteArray with bit i set for each aborted flag (Java BitSet bytes). */
static GByteArray *tt_bits(const gboolean *aborted, guint n)
{
	GByteArray *b = g_byte_array_new();
	guint last = 0;
	for (guint i = 0; i < n; i++)
		if (aborted[i])
			last = i / 8 + 1;
	g_byte_array_set_size(b, last);
	if (last)
		memset(b->data, 0, last);
	for (guint i = 0; i < n; i++)
		if (aborted[i])
			b->data[i / 8] |= (guint8)(1u << (i % 8));
	return b;
}

JsonObject *translate_lock_request_to_json(const LockRequest *req)
{
	JsonObject *o = json_object_new();
	JsonArray *comps = json_array_new();
	for (guint i = 0; req->component && i < req->component->len; i++) {
		LockComponent *c = g_ptr_array_index(req->component, i);
		JsonObject *j = json_object_new();
		json_object_set_int_member(j, "type", c->type);
		json_object_set_int_member(j, "level", c->level);
		tt_set_str(j, "dbname", c->dbname);
		if (c->__isset_tablename)
			tt_set_str(j, "tablename", c->tablename);
		if (c->__isset_partitionname)
			tt_set_str(j, "partitionname", c->partitionname);
		json_object_set_int_member(j, "operationType", c->__isset_operationType ? c->operationType : 5);
		json_object_set_boolean_member(j, "isTransactional", c->__isset_isTransactional && c->isTransactional);
		json_array_add_object_element(comps, j);
	}
	json_object_set_array_member(o, "component", comps);
	json_object_set_int_member(o, "txnid", req->__isset_txnid ? req->txnid : 0);
	tt_set_str(o, "user", req->user ? req->user : "");
	tt_set_str(o, "hostname", req->hostname ? req->hostname : "");
	tt_set_str(o, "agentInfo", req->__isset_agentInfo && req->agentInfo ? req->agentInfo : "Unknown");
	return o;
}

void translate_show_locks_from_json(JsonArray *rows, GPtrArray *out)
{
	for (guint i = 0; rows && i < json_array_get_length(rows); i++) {
		JsonObject *r = json_array_get_object_element(rows, i);
		ShowLocksResponseElement *e = g_object_new(TYPE_SHOW_LOCKS_RESPONSE_ELEMENT, NULL);
		e->lockid = tt_int(r, "lockid", 0);
		e->dbname = g_strdup(tt_str(r, "dbname") ?: "");
		if ((e->tablename = g_strdup(tt_str(r, "tablename"))))
			e->__isset_tablename = TRUE;
		if ((e->partname = g_strdup(tt_str(r, "partname"))))
			e->__isset_partname = TRUE;
		e->state = (LockState)tt_int(r, "state", 2);
		e->type = (LockType)tt_int(r, "type", 1);
		e->txnid = tt_int(r, "txnid", 0);
		e->__isset_txnid = TRUE;
		e->lastheartbeat = tt_int(r, "lastheartbeat", 0);
		if (json_object_has_member(r, "acquiredat")) {
			e->acquiredat = tt_int(r, "acquiredat", 0);
			e->__isset_acquiredat = TRUE;
		}
		e->user = g_strdup(tt_str(r, "user") ?: "");
		e->hostname = g_strdup(tt_str(r, "hostname") ?: "");
		e->heartbeatCount = (gint32)tt_int(r, "heartbeatCount", 0);
		e->__isset_heartbeatCount = TRUE;
		if ((e->agentInfo = g_strdup(tt_str(r, "agentInfo"))))
			e->__isset_agentInfo = TRUE;
		e->lockIdInternal = tt_int(r, "lockIdInternal", 0);
		e->__isset_lockIdInternal = TRUE;
		g_ptr_array_add(out, e);
	}
}

JsonObject *translate_open_txn_request_to_json(const OpenTxnRequest *req)
{
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, "num_txns", req->num_txns);
	tt_set_str(o, "user", req->user ? req->user : "");
	tt_set_str(o, "hostname", req->hostname ? req->hostname : "");
	tt_set_str(o, "agentInfo", req->__isset_agentInfo && req->agentInfo ? req->agentInfo : "Unknown");
	json_object_set_int_member(o, "txn_type", req->__isset_txn_type ? req->txn_type : 0);
	return o;
}

void translate_open_txns_from_json(JsonObject *doc, GetOpenTxnsResponse *out)
{
	out->txn_high_water_mark = tt_int(doc, "hwm", 0);
	JsonArray *txns = json_object_get_array_member(doc, "txns");
	guint n = txns ? json_array_get_length(txns) : 0;
	g_autofree gboolean *aborted = g_new0(gboolean, n + 1);
	for (guint i = 0; i < n; i++) {
		JsonObject *t = json_array_get_object_element(txns, i);
		gint64 id = tt_int(t, "id", 0);
		g_array_append_val(out->open_txns, id);
		aborted[i] = tt_int(t, "state", 3) == 2;
		if (!aborted[i] && (!out->__isset_min_open_txn || id < out->min_open_txn)) {
			out->min_open_txn = id;
			out->__isset_min_open_txn = TRUE;
		}
	}
	if (out->abortedBits)
		g_byte_array_unref(out->abortedBits);
	out->abortedBits = tt_bits(aborted, n);
}

void translate_open_txns_info_from_json(JsonObject *doc, GetOpenTxnsInfoResponse *out)
{
	out->txn_high_water_mark = tt_int(doc, "hwm", 0);
	JsonArray *txns = json_object_get_array_member(doc, "txns");
	for (guint i = 0; txns && i < json_array_get_length(txns); i++) {
		JsonObject *t = json_array_get_object_element(txns, i);
		TxnInfo *ti = g_object_new(TYPE_TXN_INFO, NULL);
		ti->id = tt_int(t, "id", 0);
		ti->state = (TxnState)tt_int(t, "state", 3);
		g_free(ti->user);
		ti->user = g_strdup(tt_str(t, "user") ?: "");
		g_free(ti->hostname);
		ti->hostname = g_strdup(tt_str(t, "hostname") ?: "");
		if (tt_str(t, "agentInfo")) {
			g_free(ti->agentInfo);
			ti->agentInfo = g_strdup(tt_str(t, "agentInfo"));
			ti->__isset_agentInfo = TRUE;
		}
		ti->heartbeatCount = (gint32)tt_int(t, "heartbeatCount", 0);
		ti->__isset_heartbeatCount = TRUE;
		ti->startedTime = tt_int(t, "startedTime", 0);
		ti->__isset_startedTime = TRUE;
		ti->lastHeartbeatTime = tt_int(t, "lastHeartbeatTime", 0);
		ti->__isset_lastHeartbeatTime = TRUE;
		g_ptr_array_add(out->open_txns, ti);
	}
}

void translate_write_ids_from_json(JsonArray *ids, GPtrArray *out)
{
	for (guint i = 0; ids && i < json_array_get_length(ids); i++) {
		JsonObject *o = json_array_get_object_element(ids, i);
		TxnToWriteId *t = g_object_new(TYPE_TXN_TO_WRITE_ID, NULL);
		t->txnId = tt_int(o, "txnId", 0);
		t->writeId = tt_int(o, "writeId", 0);
		g_ptr_array_add(out, t);
	}
}

void translate_valid_write_ids_from_json(JsonArray *tables, GPtrArray *out)
{
	for (guint i = 0; tables && i < json_array_get_length(tables); i++) {
		JsonObject *o = json_array_get_object_element(tables, i);
		TableValidWriteIds *t = g_object_new(TYPE_TABLE_VALID_WRITE_IDS, NULL);
		t->fullTableName = g_strdup(tt_str(o, "fullTableName") ?: "");
		t->writeIdHighWaterMark = tt_int(o, "hwm", 0);
		JsonArray *inv = json_object_get_array_member(o, "invalid");
		guint n = inv ? json_array_get_length(inv) : 0;
		g_autofree gboolean *aborted = g_new0(gboolean, n + 1);
		for (guint k = 0; k < n; k++) {
			JsonObject *w = json_array_get_object_element(inv, k);
			gint64 id = tt_int(w, "w", 0);
			g_array_append_val(t->invalidWriteIds, id);
			aborted[k] = json_object_get_boolean_member_with_default(w, "aborted", FALSE);
			if (!aborted[k] && !t->__isset_minOpenWriteId) {
				t->minOpenWriteId = id;
				t->__isset_minOpenWriteId = TRUE;
			}
		}
		if (t->abortedBits)
			g_byte_array_unref(t->abortedBits);
		t->abortedBits = tt_bits(aborted, n);
		g_ptr_array_add(out, t);
	}
}

JsonObject *translate_compaction_request_to_json(const CompactionRequest *req)
{
	JsonObject *o = json_object_new();
	tt_set_str(o, "dbname", req->dbname);
	tt_set_str(o, "tablename", req->tablename);
	if (req->__isset_partitionname)
		tt_set_str(o, "partitionname", req->partitionname);
	json_object_set_int_member(o, "type", req->type);
	if (req->__isset_runas)
		tt_set_str(o, "runas", req->runas);
	if (req->__isset_initiatorId)
		tt_set_str(o, "initiatorId", req->initiatorId);
	if (req->__isset_poolName)
		tt_set_str(o, "poolName", req->poolName);
	if (req->__isset_properties && req->properties) {
		JsonObject *p = json_object_new();
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, req->properties);
		while (g_hash_table_iter_next(&it, &k, &v))
			json_object_set_string_member(p, k, v ? v : "");
		json_object_set_object_member(o, "properties", p);
	}
	return o;
}

void translate_show_compact_from_json(JsonArray *rows, GPtrArray *out)
{
	for (guint i = 0; rows && i < json_array_get_length(rows); i++) {
		JsonObject *r = json_array_get_object_element(rows, i);
		ShowCompactResponseElement *e = g_object_new(TYPE_SHOW_COMPACT_RESPONSE_ELEMENT, NULL);
		e->dbname = g_strdup(tt_str(r, "dbname") ?: "");
		e->tablename = g_strdup(tt_str(r, "tablename") ?: "");
		if ((e->partitionname = g_strdup(tt_str(r, "partitionname"))))
			e->__isset_partitionname = TRUE;
		e->type = (CompactionType)tt_int(r, "type", 1);
		e->state = g_strdup(tt_str(r, "state") ?: "initiated");
		if ((e->runAs = g_strdup(tt_str(r, "runAs"))))
			e->__isset_runAs = TRUE;
		e->id = tt_int(r, "id", 0);
		e->__isset_id = TRUE;
		e->enqueueTime = tt_int(r, "enqueueTime", 0);
		e->__isset_enqueueTime = TRUE;
		if ((e->poolName = g_strdup(tt_str(r, "poolName"))))
			e->__isset_poolName = TRUE;
		if ((e->initiatorId = g_strdup(tt_str(r, "initiatorId"))))
			e->__isset_initiatorId = TRUE;
		g_ptr_array_add(out, e);
	}
}

void translate_events_from_json(JsonArray *events, GPtrArray *out)
{
	for (guint i = 0; events && i < json_array_get_length(events); i++) {
		JsonObject *r = json_array_get_object_element(events, i);
		NotificationEvent *e = g_object_new(TYPE_NOTIFICATION_EVENT, NULL);
		e->eventId = tt_int(r, "eventId", 0);
		e->eventTime = (gint32)tt_int(r, "eventTime", 0);
		e->eventType = g_strdup(tt_str(r, "eventType") ?: "");
		if ((e->dbName = g_strdup(tt_str(r, "dbName"))))
			e->__isset_dbName = TRUE;
		if ((e->tableName = g_strdup(tt_str(r, "tableName"))))
			e->__isset_tableName = TRUE;
		e->message = g_strdup(tt_str(r, "message") ?: "");
		if ((e->messageFormat = g_strdup(tt_str(r, "messageFormat"))))
			e->__isset_messageFormat = TRUE;
		if ((e->catName = g_strdup(tt_str(r, "catName"))))
			e->__isset_catName = TRUE;
		g_ptr_array_add(out, e);
	}
}

/* One insert as {replace, files[]}. */
static JsonObject *tt_insert(const InsertEventRequestData *d)
{
	JsonObject *o = json_object_new();
	json_object_set_boolean_member(o, "replace", d->__isset_replace && d->replace);
	JsonArray *files = json_array_new();
	for (guint i = 0; d->filesAdded && i < d->filesAdded->len; i++)
		json_array_add_string_element(files, g_ptr_array_index(d->filesAdded, i));
	json_object_set_array_member(o, "files", files);
	return o;
}

JsonArray *translate_insert_datas_to_json(const FireEventRequestData *data)
{
	JsonArray *a = json_array_new();
	if (data == NULL)
		return a;
	if (data->__isset_insertData && data->insertData)
		json_array_add_object_element(a, tt_insert(data->insertData));
	for (guint i = 0; data->__isset_insertDatas && data->insertDatas && i < data->insertDatas->len; i++)
		json_array_add_object_element(a, tt_insert(g_ptr_array_index(data->insertDatas, i)));
	return a;
}

GArray *translate_ids_copy(const GArray *ids)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(gint64));
	if (ids && ids->len)
		g_array_append_vals(out, ids->data, ids->len);
	return out;
}
