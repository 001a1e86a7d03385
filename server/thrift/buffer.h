/*
 * buffer.h — a Thrift transport over one request's bytes and the reply being built.
 *
 * Reads come from a borrowed byte range without copying; writes append to a borrowed
 * GByteArray (the reply). ThriftMemoryBuffer would copy the request, shift it on every read
 * (quadratic for big messages) and cap replies at 1 MiB, so the door uses this instead.
 * Ownership: the caller keeps msg and reply alive while the transport is used.
 * Threading: one request, one thread. Errors: THRIFT_TRANSPORT_ERROR on reads past the end.
 */
#ifndef PROPOLIS_THRIFT_BUFFER_H
#define PROPOLIS_THRIFT_BUFFER_H

#include <thrift/c_glib/transport/thrift_transport.h>

G_BEGIN_DECLS

/* A new transport reading msg[0..len) and appending writes to reply; g_object_unref() it. */
ThriftTransport *thrift_buffer_new(const guint8 *msg, gsize len, GByteArray *reply);

G_END_DECLS

#endif
