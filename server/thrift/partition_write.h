/*
 * partition_write.h — add_partitions without a JSON tree per partition: the Thrift door's
 * Partition structs become catalog rows (CatalogPartitionBatch), each distinct storage
 * descriptor is translated once, and the ADD_PARTITION event's Thrift JSON and the reply are
 * written from the structs themselves.
 *
 * Threading: one ThriftPartWrite per call. Ownership: the rows borrow the structs (which must
 * outlive the write); thrift_part_write_apply changes them into what was stored.
 */
#ifndef PROPOLIS_THRIFT_PARTITION_WRITE_H
#define PROPOLIS_THRIFT_PARTITION_WRITE_H

#include "catalog/catalog.h"
#include "thrift/translate.h"

G_BEGIN_DECLS

typedef struct ThriftPartWrite ThriftPartWrite;

/*
 * TRUE when every partition of parts (Partition*) can take the row path: no privileges,
 * writeId, isStatsCompliant, colStats or fileMetadata (those go through the documents).
 */
gboolean thrift_part_write_applies(const GPtrArray *parts);

/* A batch for catalog_add_partition_rows over parts (Partition*, borrowed). */
ThriftPartWrite *thrift_part_write_new(const GPtrArray *parts);
CatalogPartitionBatch *thrift_part_write_batch(ThriftPartWrite *w);

/*
 * The same built by hand (thrift/partition_add.c decodes requests itself): n empty rows for
 * the caller to fill, layouts added one by one (each sd read once; the writer keeps a
 * reference), then the batch.
 */
ThriftPartWrite *thrift_part_write_new_rows(guint n);
CatalogPartitionNew *thrift_part_write_rows(ThriftPartWrite *w);
guint thrift_part_write_add_layout(ThriftPartWrite *w, const StorageDescriptor *sd);
CatalogPartitionBatch *thrift_part_write_finish(ThriftPartWrite *w);

/*
 * After a successful catalog_add_partition_rows: makes each added Partition what was stored
 * (names, catalog, createTime, location, parameters) and appends it (a new reference) to out.
 */
void thrift_part_write_apply(ThriftPartWrite *w, GPtrArray *out);

void thrift_part_write_free(ThriftPartWrite *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThriftPartWrite, thrift_part_write_free)

/* TRUE when a and b translate to the same descriptor document, Location aside (conservative:
 * FALSE may still mean equal documents, never the other way round). */
gboolean thrift_sd_same_layout(const StorageDescriptor *a, const StorageDescriptor *b);

/* Appends p's Thrift JSON as the generated writer and thrift/json_protocol.c write it, for the
 * partitions the row path handles (the unit test compares the two). */
void thrift_part_write_tjson(ThriftPartWrite *w, const CatalogPartitionNew *row, const char *catalog,
                             const char *db, const char *table, GString *out);

G_END_DECLS

#endif
