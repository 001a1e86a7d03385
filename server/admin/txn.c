/*
 * txn.c — ListTransactions, AbortTransaction and ListCompactions (issue 22): the Hive ACID
 * state an operator needs beside the locks, for data lake administrators only.
 *
 * Each checks the administrator first (catalog_admin_check, audited), then reads or acts
 * through the catalog's own ACID operations: the transaction list is get_open_txns' (open
 * transactions and aborted ones still holding write ids), an abort is abort_txns' path (its
 * locks released, its write ids marked aborted), compactions are show_compact's rows.
 * Hive's enums leave as names; milliseconds as epoch seconds.
 */
#include <string.h>

#include "admin/admin.h"

/* Hive's TxnState number as a name. */
static const char *admin_txn_state(gint64 state)
{
	return state == 1 ? "COMMITTED" : state == 2 ? "ABORTED" : state == 3 ? "OPEN" : "UNKNOWN";
}

/* A get_open_txns row as {TxnId, State, User, Host, AgentInfo, Owner, StartedTime, LastHeartbeat}. */
static JsonObject *admin_txn_row(JsonObject *t)
{
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, "TxnId", json_object_get_int_member_with_default(t, "id", 0));
	json_object_set_string_member(o, "State", admin_txn_state(json_object_get_int_member_with_default(t, "state", 0)));
	json_object_set_string_member(o, "User", json_object_get_string_member_with_default(t, "user", ""));
	json_object_set_string_member(o, "Host", json_object_get_string_member_with_default(t, "hostname", ""));
	json_object_set_string_member(o, "AgentInfo", json_object_get_string_member_with_default(t, "agentInfo", ""));
	json_object_set_string_member(o, "Owner", json_object_get_string_member_with_default(t, "owner", ""));
	json_object_set_int_member(o, "StartedTime", json_object_get_int_member_with_default(t, "startedTime", 0) / 1000);
	json_object_set_int_member(o, "LastHeartbeat",
	                           json_object_get_int_member_with_default(t, "lastHeartbeatTime", 0) / 1000);
	return o;
}

/* ListTransactions {}: {HighWaterMark, Transactions: [...]}. */
static JsonObject *admin_list_transactions(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	if (!catalog_admin_check(call->door->cat, &call->ctx, "transactions", error))
		return admin_finish(call, "transactions", NULL, error);
	g_autoptr(JsonObject) doc = catalog_get_open_txns(call->door->cat, &call->ctx, FALSE, error);
	if (doc == NULL)
		return admin_finish(call, "transactions", NULL, error);
	JsonArray *rows = json_array_new();
	JsonNode *txns = json_object_get_member(doc, "txns");
	JsonArray *list = txns && JSON_NODE_HOLDS_ARRAY(txns) ? json_node_get_array(txns) : NULL;
	for (guint i = 0; list && i < json_array_get_length(list); i++) {
		JsonNode *n = json_array_get_element(list, i);
		if (JSON_NODE_HOLDS_OBJECT(n))
			json_array_add_object_element(rows, admin_txn_row(json_node_get_object(n)));
	}
	JsonObject *out = json_object_new();
	json_object_set_int_member(out, "HighWaterMark", json_object_get_int_member_with_default(doc, "hwm", 0));
	json_object_set_array_member(out, "Transactions", rows);
	return admin_finish(call, "transactions", out, error);
}

/* AbortTransaction {TxnId}: {}; unknown or committed: EntityNotFoundException. */
static JsonObject *admin_abort_transaction(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	gint64 id = 0;
	if (!glue_in_int(call->in, "TxnId", 1, G_MAXINT64, 0, &id, error))
		return admin_finish(call, NULL, NULL, error);
	if (id == 0) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "TxnId is required");
		return admin_finish(call, NULL, NULL, error);
	}
	g_autofree char *object = g_strdup_printf("transaction %" G_GINT64_FORMAT, id);
	if (!catalog_admin_check(call->door->cat, &call->ctx, object, error))
		return admin_finish(call, object, NULL, error);
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_array_append_val(ids, id);
	GError *e = NULL;
	if (!catalog_abort_txns(call->door->cat, &call->ctx, ids, &e)) {
		if (g_error_matches(e, CATALOG_ERROR, CATALOG_ERROR_NO_SUCH_TXN)) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "%s", e->message);
			g_error_free(e);
		} else {
			g_propagate_error(error, e);
		}
		return admin_finish(call, object, NULL, error);
	}
	return admin_finish(call, object, json_object_new(), error);
}

/* A show_compact row as {Id, Database, Table, Partition, Type, State, RunAs, EnqueueTime}. */
static JsonObject *admin_compaction_row(JsonObject *c)
{
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, "Id", json_object_get_int_member_with_default(c, "id", 0));
	json_object_set_string_member(o, "Database", json_object_get_string_member_with_default(c, "dbname", ""));
	json_object_set_string_member(o, "Table", json_object_get_string_member_with_default(c, "tablename", ""));
	json_object_set_string_member(o, "Partition", json_object_get_string_member_with_default(c, "partitionname", ""));
	JsonNode *type = json_object_get_member(c, "type");
	gint64 t = type && JSON_NODE_HOLDS_VALUE(type) && json_node_get_value_type(type) == G_TYPE_INT64
	               ? json_node_get_int(type)
	               : -1;
	json_object_set_string_member(o, "Type", t == 1 ? "MINOR" : t == 2 ? "MAJOR" : t == 3 ? "REBALANCE" : "UNKNOWN");
	JsonNode *state = json_object_get_member(c, "state");
	if (state && JSON_NODE_HOLDS_VALUE(state) && json_node_get_value_type(state) == G_TYPE_STRING)
		json_object_set_string_member(o, "State", json_node_get_string(state));
	else
		json_object_set_string_member(o, "State", "");
	json_object_set_string_member(o, "RunAs", json_object_get_string_member_with_default(c, "runAs", ""));
	json_object_set_int_member(o, "EnqueueTime", json_object_get_int_member_with_default(c, "enqueueTime", 0) / 1000);
	return o;
}

/* ListCompactions {Database?, Table?}: {Compactions: [...]}. */
static JsonObject *admin_list_compactions(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	const char *db = glue_in_string(call->in, "Database", FALSE, 255, error);
	const char *tbl = !(error && *error) ? glue_in_string(call->in, "Table", FALSE, 255, error) : NULL;
	if ((error && *error) || !catalog_admin_check(call->door->cat, &call->ctx, "compactions", error))
		return admin_finish(call, "compactions", NULL, error);
	g_autoptr(JsonArray) list = catalog_show_compact(call->door->cat, &call->ctx, 0, db, tbl, NULL, error);
	if (list == NULL)
		return admin_finish(call, "compactions", NULL, error);
	JsonArray *rows = json_array_new();
	for (guint i = 0; i < json_array_get_length(list); i++) {
		JsonNode *n = json_array_get_element(list, i);
		if (JSON_NODE_HOLDS_OBJECT(n))
			json_array_add_object_element(rows, admin_compaction_row(json_node_get_object(n)));
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Compactions", rows);
	return admin_finish(call, "compactions", out, error);
}

const GlueOp admin_txn_ops[] = {
	{"ListTransactions", admin_list_transactions},
	{"AbortTransaction", admin_abort_transaction},
	{"ListCompactions", admin_list_compactions},
	{NULL, NULL},
};
