/*
 * translate.h — Hive Thrift structs ⇄ the catalog's Glue-shaped JSON documents (MODEL.md).
 *
 * Lossless in both directions for what a Hive client can write: an optional field the client
 * left unset (its __isset_ flag FALSE) becomes an absent member, and an absent member leaves
 * the Thrift field unset. Hive fields Glue lacks live under the document's "Hive" member.
 *
 * Ownership: *_to_json return new JsonObjects/JsonArrays; *_from_json fill the caller's
 * (usually pre-allocated, generated) object in place and never take ownership of doc.
 * Threading: pure functions, any thread. Errors: none; malformed members are skipped.
 */
#ifndef PROPOLIS_THRIFT_TRANSLATE_H
#define PROPOLIS_THRIFT_TRANSLATE_H

#include <glib-object.h>
#include <json-glib/json-glib.h>

/* Hive's IDL has a struct named Catalog; catalog/catalog.h owns that name. */
#define Catalog HiveCatalog
#include "hive_metastore_types.h"
#undef Catalog

G_BEGIN_DECLS

JsonObject *translate_database_to_json(const Database *db);
/* create_database_req's request as a database document (issue 17). */
JsonObject *translate_create_database_request_to_json(const CreateDatabaseRequest *r);
/* Hive's Catalog ⇄ catalog document {"Name","Description"?,"LocationUri","CreateTime"?}. */
JsonObject *translate_catalog_to_json(const HiveCatalog *c);
void translate_catalog_from_json(JsonObject *doc, HiveCatalog *out);
void translate_database_from_json(JsonObject *doc, Database *out);

JsonObject *translate_table_to_json(const Table *table);
void translate_table_from_json(JsonObject *doc, Table *out);
/* A new Table filled from doc. */
Table *translate_table_new_from_json(JsonObject *doc);

/* A StorageDescriptor as its document (MODEL.md); add_partitions' row path uses it once per layout. */
JsonObject *translate_storage_descriptor_to_json(const StorageDescriptor *sd);
/* A StorageDescriptor document (MODEL.md) into out (the partition listing's encoder uses it). */
void translate_storage_descriptor_from_json(JsonObject *doc, StorageDescriptor *out);
/* A Hive PrincipalPrivilegeSet document (a "Privileges" member) into out. */
void translate_privileges_from_json(JsonObject *doc, PrincipalPrivilegeSet *out);

/* Columns ([{Name,Type,Comment?}]) appended to out (GPtrArray of FieldSchema). */
void translate_columns_from_json(JsonArray *cols, GPtrArray *out);

JsonObject *translate_function_to_json(const Function *fn);
void translate_function_from_json(JsonObject *doc, Function *out);

/* A list of constraint structs (SQLPrimaryKey, ...) as JSON objects named by Hive's fields. */
JsonArray *translate_constraints_to_json(const GPtrArray *list);
/* Appends to out (GPtrArray of type) one new struct per JSON object of arr. */
void translate_constraints_from_json(JsonArray *arr, GType type, GPtrArray *out);

/* A store_table_list_meta row {DatabaseName, Name, TableType, Description?} as TableMeta. */
TableMeta *translate_table_meta_new_from_json(JsonObject *row, const char *catalog);

/* Partition ⇄ Glue Partition document {Values, DatabaseName, TableName, CreationTime, ...}. */
JsonObject *translate_partition_to_json(const Partition *p);
void translate_partition_from_json(JsonObject *doc, Partition *out);
/* A new Partition filled from doc. */
Partition *translate_partition_new_from_json(JsonObject *doc);

G_END_DECLS

#endif
