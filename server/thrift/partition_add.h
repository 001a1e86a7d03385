/*
 * partition_add.h — add_partitions and add_partitions_req decoded from the request's bytes
 * and answered without the generated processor (see partition_add.c).
 *
 * Called by the door on a worker thread, inside a call (thrift_call_current() is set).
 */
#ifndef PROPOLIS_THRIFT_PARTITION_ADD_H
#define PROPOLIS_THRIFT_PARTITION_ADD_H

#include "thrift/handler.h"
#include "thrift/wire.h"

G_BEGIN_DECLS

/* TRUE for the methods thrift_partition_add_run() may answer. */
gboolean thrift_partition_add_handles(const char *method);

/* Answers one call from msg (the whole message) into reply, or falls back; see WireResult. */
WireResult thrift_partition_add_run(ThriftCall *call, const char *method, const guint8 *msg, gsize len,
                                    GByteArray *reply, GError **error);

/*
 * For tests and fuzzing, no catalog: decodes msg as thrift_partition_add_run() does and, when
 * it takes the row path, fills every row as the catalog would (name "p<i>", fixed times, a
 * default location where the descriptor has none, all added) and appends to out the success
 * reply, then each partition's ADD_PARTITION Thrift JSON (quoted) with a newline. Returns the
 * number of partitions taken, 0 when the message falls back.
 */
guint thrift_partition_add_exercise(const guint8 *msg, gsize len, const char *method, GByteArray *out);

G_END_DECLS

#endif
