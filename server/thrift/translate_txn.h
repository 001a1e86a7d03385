/*
 * translate_txn.h — Hive's lock, transaction, compaction and notification structs ⇄ the
 * catalog's ACID documents (catalog.h: Hive field names, enum numbers).
 *
 * Ownership: *_to_json return new JsonObjects; *_from_json append new structs to the caller's
 * GPtrArray or fill the caller's (pre-allocated) struct, never taking doc. Threading: pure
 * functions, any thread. Errors: none; missing members leave fields at their defaults.
 */
#ifndef PROPOLIS_THRIFT_TRANSLATE_TXN_H
#define PROPOLIS_THRIFT_TRANSLATE_TXN_H

#include <glib-object.h>
#include <json-glib/json-glib.h>

#define Catalog HiveCatalog
#include "hive_metastore_types.h"
#undef Catalog

G_BEGIN_DECLS

JsonObject *translate_lock_request_to_json(const LockRequest *req);
/* show_locks rows → ShowLocksResponseElement appended to out. */
void translate_show_locks_from_json(JsonArray *rows, GPtrArray *out);

JsonObject *translate_open_txn_request_to_json(const OpenTxnRequest *req);
/* {hwm, txns} → GetOpenTxnsResponse (ids, min open, abortedBits as Java's BitSet bytes). */
void translate_open_txns_from_json(JsonObject *doc, GetOpenTxnsResponse *out);
/* {hwm, txns} → GetOpenTxnsInfoResponse. */
void translate_open_txns_info_from_json(JsonObject *doc, GetOpenTxnsInfoResponse *out);
/* [{txnId, writeId}] → TxnToWriteId appended to out. */
void translate_write_ids_from_json(JsonArray *ids, GPtrArray *out);
/* [{fullTableName, hwm, invalid: [{w, aborted}]}] → TableValidWriteIds appended to out. */
void translate_valid_write_ids_from_json(JsonArray *tables, GPtrArray *out);

JsonObject *translate_compaction_request_to_json(const CompactionRequest *req);
/* Recorded compactions → ShowCompactResponseElement appended to out. */
void translate_show_compact_from_json(JsonArray *rows, GPtrArray *out);

/* Events → NotificationEvent appended to out. */
void translate_events_from_json(JsonArray *events, GPtrArray *out);
/* The inserts of a FireEventRequestData: [{replace, files[]}]; empty for a refresh. */
JsonArray *translate_insert_datas_to_json(const FireEventRequestData *data);

/* A GArray of gint64 (the catalog's id lists) from a GArray of gint64 (Thrift's list<i64>). */
GArray *translate_ids_copy(const GArray *ids);

G_END_DECLS

#endif
