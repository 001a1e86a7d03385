/*
 * table_reply.h — get_table and get_table_req answered from encoded tables (see table_reply.c).
 *
 * Called by the door on a worker thread, inside a call (thrift_call_current() is set).
 */
#ifndef PROPOLIS_THRIFT_TABLE_REPLY_H
#define PROPOLIS_THRIFT_TABLE_REPLY_H

#include "thrift/handler.h"

G_BEGIN_DECLS

/* TRUE for the methods thrift_table_reply_run() answers. */
gboolean thrift_table_reply_handles(const char *method);

/*
 * Answers one call from msg (the whole message) into reply: the Table, or the method's declared
 * exception, or a TApplicationException. FALSE only when msg is not a well-formed call (the
 * door closes the connection, as for any protocol error); error says why.
 */
gboolean thrift_table_reply_run(ThriftCall *call, const char *method, const guint8 *msg, gsize len,
                                GByteArray *reply, GError **error);

/* Forgets every encoded table (tests, and a server that wants its memory back). */
void thrift_table_reply_cache_clear(void);

G_END_DECLS

#endif
