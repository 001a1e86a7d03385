/*
 * handler_txn.c — Hive's lock, transaction, compaction and notification methods (see handler.h
 * for how a handler file installs its methods).
 *
 * Each method translates its request (translate_txn.c), calls one catalog operation and fills
 * the pre-allocated answer. The ACID exceptions (NoSuchLockException, NoSuchTxnException,
 * TxnAbortedException, TxnOpenException) are not in errors.c's table because only these methods
 * declare them: txn_raise() maps the catalog's ACID codes to them and passes the rest on.
 */
#include "thrift/handler.h"

#include "common/error.h"
#include "thrift/translate_txn.h"

static const char *const txn_methods[] = {
	"lock", "check_lock", "unlock", "show_locks", "heartbeat", "heartbeat_txn_range",
	"open_txns", "commit_txn", "abort_txn", "abort_txns", "get_open_txns", "get_open_txns_info",
	"allocate_table_write_ids", "get_valid_write_ids", "get_latest_txnid_in_conflict", "add_dynamic_partitions",
	"compact", "compact2", "show_compact",
	"get_next_notification", "get_current_notificationEventId", "get_notification_events_count",
	"fire_listener_event",
	/* issue 17 */
	"get_open_txns_req",
};

/* Where an ACID method's declared exceptions go; NULL = not declared. */
typedef struct {
	NoSuchLockException **no_lock;
	NoSuchTxnException **no_txn;
	TxnAbortedException **aborted;
	TxnOpenException **open;
	MetaException **meta;
} TxnErrOut;

/* Maps err to the ACID exception the method declares, else through thrift_error_raise. FALSE. */
static gboolean txn_raise(GError *err, const TxnErrOut *out, GError **error)
{
	gpointer *dst = NULL;
	GType type = G_TYPE_INVALID;
	if (err->domain == CATALOG_ERROR) {
		switch (err->code) {
		case CATALOG_ERROR_NO_SUCH_LOCK: dst = (gpointer *)out->no_lock; type = TYPE_NO_SUCH_LOCK_EXCEPTION; break;
		case CATALOG_ERROR_NO_SUCH_TXN: dst = (gpointer *)out->no_txn; type = TYPE_NO_SUCH_TXN_EXCEPTION; break;
		case CATALOG_ERROR_TXN_ABORTED: dst = (gpointer *)out->aborted; type = TYPE_TXN_ABORTED_EXCEPTION; break;
		case CATALOG_ERROR_TXN_OPEN: dst = (gpointer *)out->open; type = TYPE_TXN_OPEN_EXCEPTION; break;
		default: break;
		}
	}
	if (dst == NULL) {
		ThriftErrOut meta = {.meta = out->meta};
		return thrift_error_raise(err, &meta, error);
	}
	ThriftCall *call = thrift_call_current();
	g_message("request %" G_GUINT64_FORMAT " %s: %s → %s: %s", call ? call->request_id : 0,
	          call && call->method ? call->method : "?", catalog_error_code_name(err->code), g_type_name(type),
	          err->message);
	*dst = thrift_error_new_exception(type, err->message);
	g_error_free(err);
	return FALSE;
}

/* ---- locks ---- */

static gboolean h_lock(ThriftHiveMetastoreIf *iface, LockResponse **ret, const LockRequest *rqst,
                       NoSuchTxnException **o1, TxnAbortedException **o2, GError **error)
{
	TxnErrOut out = {.no_txn = o1, .aborted = o2};
	CatalogCtx ctx = thrift_ctx_now();
	g_autoptr(JsonObject) req = translate_lock_request_to_json(rqst);
	GError *err = NULL;
	g_autoptr(JsonObject) res = catalog_lock(thrift_cat_now(), &ctx, NULL, req, &err);
	if (res == NULL)
		return txn_raise(err, &out, error);
	(*ret)->lockid = json_object_get_int_member(res, "lockid");
	(*ret)->state = (LockState)json_object_get_int_member(res, "state");
	return TRUE;
}

static gboolean h_check_lock(ThriftHiveMetastoreIf *iface, LockResponse **ret, const CheckLockRequest *rqst,
                             NoSuchTxnException **o1, TxnAbortedException **o2, NoSuchLockException **o3,
                             GError **error)
{
	TxnErrOut out = {.no_txn = o1, .aborted = o2, .no_lock = o3};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	gint state = 0;
	if (!catalog_check_lock(thrift_cat_now(), &ctx, rqst->lockid, &state, &err))
		return txn_raise(err, &out, error);
	(*ret)->lockid = rqst->lockid;
	(*ret)->state = (LockState)state;
	return TRUE;
}

static gboolean h_unlock(ThriftHiveMetastoreIf *iface, const UnlockRequest *rqst, NoSuchLockException **o1,
                         TxnOpenException **o2, GError **error)
{
	TxnErrOut out = {.no_lock = o1, .open = o2};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_unlock(thrift_cat_now(), &ctx, rqst->lockid, &err))
		return txn_raise(err, &out, error);
	return TRUE;
}

static gboolean h_show_locks(ThriftHiveMetastoreIf *iface, ShowLocksResponse **ret, const ShowLocksRequest *rqst,
                             GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autoptr(JsonArray) rows = catalog_show_locks(
		thrift_cat_now(), &ctx, rqst->__isset_dbname ? rqst->dbname : NULL,
		rqst->__isset_tablename ? rqst->tablename : NULL, rqst->__isset_partname ? rqst->partname : NULL,
		rqst->__isset_txnid ? rqst->txnid : -1, &err);
	if (rows == NULL)
		return txn_raise(err, &out, error);
	translate_show_locks_from_json(rows, (*ret)->locks);
	(*ret)->__isset_locks = TRUE;
	return TRUE;
}

static gboolean h_heartbeat(ThriftHiveMetastoreIf *iface, const HeartbeatRequest *ids, NoSuchLockException **o1,
                            NoSuchTxnException **o2, TxnAbortedException **o3, GError **error)
{
	TxnErrOut out = {.no_lock = o1, .no_txn = o2, .aborted = o3};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_heartbeat(thrift_cat_now(), &ctx, ids->__isset_lockid ? ids->lockid : 0,
	                       ids->__isset_txnid ? ids->txnid : 0, &err))
		return txn_raise(err, &out, error);
	return TRUE;
}

/* Adds the ids of JSON array arr to a Thrift set<i64> (keys are g_free'd gint64 copies). */
static void txn_add_to_set(GHashTable *set, JsonArray *arr)
{
	for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
		gint64 *k = g_new(gint64, 1);
		*k = json_array_get_int_element(arr, i);
		g_hash_table_add(set, k);
	}
}

static gboolean h_heartbeat_txn_range(ThriftHiveMetastoreIf *iface, HeartbeatTxnRangeResponse **ret,
                                      const HeartbeatTxnRangeRequest *txns, GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autoptr(JsonObject) res = catalog_heartbeat_txn_range(thrift_cat_now(), &ctx, txns->min, txns->max, &err);
	if (res == NULL)
		return txn_raise(err, &out, error);
	txn_add_to_set((*ret)->aborted, json_object_get_array_member(res, "aborted"));
	txn_add_to_set((*ret)->nosuch, json_object_get_array_member(res, "nosuch"));
	return TRUE;
}

/* ---- transactions ---- */

static gboolean h_open_txns(ThriftHiveMetastoreIf *iface, OpenTxnsResponse **ret, const OpenTxnRequest *rqst,
                            GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	g_autoptr(JsonObject) req = translate_open_txn_request_to_json(rqst);
	GError *err = NULL;
	g_autoptr(GArray) ids = catalog_open_txns(thrift_cat_now(), &ctx, req, &err);
	if (ids == NULL)
		return txn_raise(err, &out, error);
	g_array_append_vals((*ret)->txn_ids, ids->data, ids->len);
	return TRUE;
}

static gboolean h_commit_txn(ThriftHiveMetastoreIf *iface, const CommitTxnRequest *rqst, NoSuchTxnException **o1,
                             TxnAbortedException **o2, GError **error)
{
	TxnErrOut out = {.no_txn = o1, .aborted = o2};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_commit_txn(thrift_cat_now(), &ctx, rqst->txnid, &err))
		return txn_raise(err, &out, error);
	return TRUE;
}

/* Aborts the ids; NoSuchTxnException as declared by both abort methods. */
static gboolean txn_abort(const GArray *ids, NoSuchTxnException **o1, GError **error)
{
	TxnErrOut out = {.no_txn = o1};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_abort_txns(thrift_cat_now(), &ctx, ids, &err))
		return txn_raise(err, &out, error);
	return TRUE;
}

static gboolean h_abort_txn(ThriftHiveMetastoreIf *iface, const AbortTxnRequest *rqst, NoSuchTxnException **o1,
                            GError **error)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_array_append_val(ids, rqst->txnid);
	return txn_abort(ids, o1, error);
}

static gboolean h_abort_txns(ThriftHiveMetastoreIf *iface, const AbortTxnsRequest *rqst, NoSuchTxnException **o1,
                             GError **error)
{
	g_autoptr(GArray) ids = translate_ids_copy(rqst->txn_ids);
	return txn_abort(ids, o1, error);
}

static gboolean h_get_open_txns(ThriftHiveMetastoreIf *iface, GetOpenTxnsResponse **ret, GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autoptr(JsonObject) doc = catalog_get_open_txns(thrift_cat_now(), &ctx, FALSE, &err);
	if (doc == NULL)
		return txn_raise(err, &out, error);
	translate_open_txns_from_json(doc, *ret);
	return TRUE;
}

/*
 * get_open_txns_req: the same snapshot. excludeTxnTypes (Hive 4 leaves READ_ONLY transactions
 * out) is safe to ignore: an excluded transaction only ever shows as open, and a read-only one
 * has written nothing a reader could miss.
 */
static gboolean h_get_open_txns_req(ThriftHiveMetastoreIf *iface, GetOpenTxnsResponse **ret,
                                    const GetOpenTxnsRequest *req, GError **error)
{
	return h_get_open_txns(iface, ret, error);
}

static gboolean h_get_open_txns_info(ThriftHiveMetastoreIf *iface, GetOpenTxnsInfoResponse **ret, GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autoptr(JsonObject) doc = catalog_get_open_txns(thrift_cat_now(), &ctx, TRUE, &err);
	if (doc == NULL)
		return txn_raise(err, &out, error);
	translate_open_txns_info_from_json(doc, *ret);
	return TRUE;
}

static gboolean h_allocate_table_write_ids(ThriftHiveMetastoreIf *iface, AllocateTableWriteIdsResponse **ret,
                                           const AllocateTableWriteIdsRequest *rqst, NoSuchTxnException **o1,
                                           TxnAbortedException **o2, MetaException **o3, GError **error)
{
	TxnErrOut out = {.no_txn = o1, .aborted = o2, .meta = o3};
	CatalogCtx ctx = thrift_ctx_now();
	g_autoptr(GArray) ids = translate_ids_copy(rqst->__isset_txnIds ? rqst->txnIds : NULL);
	g_auto(ThriftDbName) n = thrift_db_name_parse(rqst->dbName, NULL);
	GError *err = NULL;
	g_autoptr(JsonArray) res =
		catalog_allocate_write_ids(thrift_cat_now(), &ctx, n.catalog, n.db, rqst->tableName, ids, &err);
	if (res == NULL)
		return txn_raise(err, &out, error);
	translate_write_ids_from_json(res, (*ret)->txnToWriteIds);
	return TRUE;
}

static gboolean h_get_valid_write_ids(ThriftHiveMetastoreIf *iface, GetValidWriteIdsResponse **ret,
                                      const GetValidWriteIdsRequest *rqst, NoSuchTxnException **o1,
                                      MetaException **o2, GError **error)
{
	TxnErrOut out = {.no_txn = o1, .meta = o2};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autoptr(JsonArray) res =
		catalog_get_valid_write_ids(thrift_cat_now(), &ctx, rqst->fullTableNames,
		                            rqst->__isset_validTxnList ? rqst->validTxnList : NULL, &err);
	if (res == NULL)
		return txn_raise(err, &out, error);
	translate_valid_write_ids_from_json(res, (*ret)->tblValidWriteIds);
	return TRUE;
}

static gboolean h_get_latest_txnid_in_conflict(ThriftHiveMetastoreIf *iface, gint64 *ret, const gint64 txnId,
                                               MetaException **o1, GError **error)
{
	TxnErrOut out = {.meta = o1};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_latest_txnid_in_conflict(thrift_cat_now(), &ctx, txnId, ret, &err))
		return txn_raise(err, &out, error);
	return TRUE;
}

static gboolean h_add_dynamic_partitions(ThriftHiveMetastoreIf *iface, const AddDynamicPartitions *rqst,
                                         NoSuchTxnException **o1, TxnAbortedException **o2, GError **error)
{
	TxnErrOut out = {.no_txn = o1, .aborted = o2};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_add_dynamic_partitions(thrift_cat_now(), &ctx, rqst->txnid, rqst->writeid, rqst->dbname,
	                                    rqst->tablename, rqst->partitionnames,
	                                    rqst->__isset_operationType ? (gint)rqst->operationType : 5, &err))
		return txn_raise(err, &out, error);
	return TRUE;
}

/* ---- compactions ---- */

/* Records a compaction request; NULL with *error set (TApplicationException) on failure. */
static JsonObject *txn_compact(const CompactionRequest *rqst, GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	g_autoptr(JsonObject) req = translate_compaction_request_to_json(rqst);
	GError *err = NULL;
	JsonObject *res = catalog_compact(thrift_cat_now(), &ctx, req, &err);
	if (res == NULL)
		txn_raise(err, &out, error);
	return res;
}

static gboolean h_compact(ThriftHiveMetastoreIf *iface, const CompactionRequest *rqst, GError **error)
{
	g_autoptr(JsonObject) res = txn_compact(rqst, error);
	return res != NULL;
}

static gboolean h_compact2(ThriftHiveMetastoreIf *iface, CompactionResponse **ret, const CompactionRequest *rqst,
                           GError **error)
{
	g_autoptr(JsonObject) res = txn_compact(rqst, error);
	if (res == NULL)
		return FALSE;
	(*ret)->id = json_object_get_int_member(res, "id");
	g_free((*ret)->state);
	(*ret)->state = g_strdup(json_object_get_string_member(res, "state"));
	(*ret)->accepted = json_object_get_boolean_member(res, "accepted");
	return TRUE;
}

static gboolean h_show_compact(ThriftHiveMetastoreIf *iface, ShowCompactResponse **ret, const ShowCompactRequest *rqst,
                               GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autoptr(JsonArray) rows = catalog_show_compact(
		thrift_cat_now(), &ctx, rqst->__isset_id ? rqst->id : 0, rqst->__isset_dbName ? rqst->dbName : NULL,
		rqst->__isset_tbName ? rqst->tbName : NULL, rqst->__isset_partName ? rqst->partName : NULL, &err);
	if (rows == NULL)
		return txn_raise(err, &out, error);
	translate_show_compact_from_json(rows, (*ret)->compacts);
	return TRUE;
}

/* ---- notifications ---- */

static gboolean h_get_next_notification(ThriftHiveMetastoreIf *iface, NotificationEventResponse **ret,
                                        const NotificationEventRequest *rqst, GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	g_autoptr(JsonArray) events = catalog_get_next_notification(
		thrift_cat_now(), &ctx, rqst->lastEvent, rqst->__isset_maxEvents ? rqst->maxEvents : 0,
		rqst->__isset_eventTypeSkipList ? rqst->eventTypeSkipList : NULL, rqst->__isset_catName ? rqst->catName : NULL,
		rqst->__isset_dbName ? rqst->dbName : NULL, rqst->__isset_tableNames ? rqst->tableNames : NULL, &err);
	if (events == NULL)
		return txn_raise(err, &out, error);
	translate_events_from_json(events, (*ret)->events);
	return TRUE;
}

static gboolean h_get_current_notification_event_id(ThriftHiveMetastoreIf *iface, CurrentNotificationEventId **ret,
                                                    GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_current_event_id(thrift_cat_now(), &ctx, &(*ret)->eventId, &err))
		return txn_raise(err, &out, error);
	return TRUE;
}

static gboolean h_get_notification_events_count(ThriftHiveMetastoreIf *iface, NotificationEventsCountResponse **ret,
                                                const NotificationEventsCountRequest *rqst, GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	GError *err = NULL;
	if (!catalog_count_events(thrift_cat_now(), &ctx, rqst->fromEventId, rqst->__isset_toEventId ? rqst->toEventId : 0,
	                          rqst->__isset_catName ? rqst->catName : NULL, rqst->dbName,
	                          rqst->__isset_tableNames ? rqst->tableNames : NULL,
	                          rqst->__isset_limit ? rqst->limit : 0, &(*ret)->eventsCount, &err))
		return txn_raise(err, &out, error);
	return TRUE;
}

static gboolean h_fire_listener_event(ThriftHiveMetastoreIf *iface, FireEventResponse **ret,
                                      const FireEventRequest *rqst, GError **error)
{
	TxnErrOut out = {0};
	CatalogCtx ctx = thrift_ctx_now();
	if (!rqst->successful) /* Hive records only successful operations */
		return TRUE;
	gboolean refresh = rqst->data && rqst->data->__isset_refreshEvent && rqst->data->refreshEvent;
	g_autoptr(JsonArray) inserts = translate_insert_datas_to_json(rqst->data);
	GError *err = NULL;
	g_autoptr(GArray) ids = catalog_fire_event(thrift_cat_now(), &ctx, rqst->__isset_catName ? rqst->catName : NULL,
	                                           rqst->__isset_dbName ? rqst->dbName : NULL,
	                                           rqst->__isset_tableName ? rqst->tableName : NULL, inserts, refresh,
	                                           &err);
	if (ids == NULL)
		return txn_raise(err, &out, error);
	for (guint i = 0; i < ids->len; i++)
		g_array_append_val((*ret)->eventIds, g_array_index(ids, gint64, i));
	(*ret)->__isset_eventIds = TRUE;
	return TRUE;
}

/* Sets this file's slots in the handler class. */
void thrift_txn_install(ThriftHiveMetastoreHandlerClass *klass)
{
	klass->lock = h_lock;
	klass->check_lock = h_check_lock;
	klass->unlock = h_unlock;
	klass->show_locks = h_show_locks;
	klass->heartbeat = h_heartbeat;
	klass->heartbeat_txn_range = h_heartbeat_txn_range;
	klass->open_txns = h_open_txns;
	klass->commit_txn = h_commit_txn;
	klass->abort_txn = h_abort_txn;
	klass->abort_txns = h_abort_txns;
	klass->get_open_txns = h_get_open_txns;
	klass->get_open_txns_info = h_get_open_txns_info;
	klass->get_open_txns_req = h_get_open_txns_req;
	klass->allocate_table_write_ids = h_allocate_table_write_ids;
	klass->get_valid_write_ids = h_get_valid_write_ids;
	klass->get_latest_txnid_in_conflict = h_get_latest_txnid_in_conflict;
	klass->add_dynamic_partitions = h_add_dynamic_partitions;
	klass->compact = h_compact;
	klass->compact2 = h_compact2;
	klass->show_compact = h_show_compact;
	klass->get_next_notification = h_get_next_notification;
	klass->get_current_notification_event_id = h_get_current_notification_event_id;
	klass->get_notification_events_count = h_get_notification_events_count;
	klass->fire_listener_event = h_fire_listener_event;
}

/* The wire names this file answers. */
const char *const *thrift_txn_methods(guint *n)
{
	*n = G_N_ELEMENTS(txn_methods);
	return txn_methods;
}
