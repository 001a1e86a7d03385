/*
 * partition_drop.h — drop_partitions_req by names decoded from the request's bytes and answered
 * with the dropped partitions encoded from their rows (see partition_drop.c).
 *
 * Called by the door on a worker thread, inside a call (thrift_call_current() is set).
 */
#ifndef PROPOLIS_THRIFT_PARTITION_DROP_H
#define PROPOLIS_THRIFT_PARTITION_DROP_H

#include "thrift/handler.h"
#include "thrift/wire.h"

G_BEGIN_DECLS

/* TRUE for the methods thrift_partition_drop_run() may answer. */
gboolean thrift_partition_drop_handles(const char *method);

/* Answers one call from msg (the whole message) into reply, or falls back; see WireResult. */
WireResult thrift_partition_drop_run(ThriftCall *call, const char *method, const guint8 *msg, gsize len,
                                     GByteArray *reply, GError **error);

/* For tests and fuzzing, no catalog: how many names msg's plain drop_partitions_req carries,
 * -1 when it falls back. */
gint thrift_partition_drop_parse(const guint8 *msg, gsize len);

G_END_DECLS

#endif
