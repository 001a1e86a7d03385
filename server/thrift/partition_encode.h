/*
 * partition_encode.h — Hive Partition structs in the binary protocol, written straight from
 * the catalog's row listings (CatalogPartitionRows): the streamed listings' fast path.
 *
 * A client decodes exactly the Partition the document path (translate.c + the generated
 * writer) gives for the same partition; only the order of map entries may differ. Each shared
 * storage descriptor is translated and encoded once per listing and its bytes reused for every
 * partition that references it.
 * Ownership: the encoder belongs to one listing (one worker thread); free it after.
 * Errors: none — the rows are already read; malformed privileges are written as unset.
 */
#ifndef PROPOLIS_THRIFT_PARTITION_ENCODE_H
#define PROPOLIS_THRIFT_PARTITION_ENCODE_H

#include "catalog/catalog.h"

G_BEGIN_DECLS

typedef struct ThriftPartEncoder ThriftPartEncoder;

ThriftPartEncoder *thrift_part_encoder_new(void);
void thrift_part_encoder_free(ThriftPartEncoder *enc);

/* Appends one binary-protocol Partition struct per row of rows to out, in row order. */
void thrift_part_encoder_write(ThriftPartEncoder *enc, const CatalogPartitionRows *rows, GByteArray *out);

G_END_DECLS

#endif
