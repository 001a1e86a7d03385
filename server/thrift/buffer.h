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

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_transport.h>

G_BEGIN_DECLS

/* A new transport reading msg[0..len) and appending writes to reply; g_object_unref() it. */
ThriftTransport *thrift_buffer_new(const guint8 *msg, gsize len, GByteArray *reply);

/* Errors of a string a client sent that no C string can carry (a NUL) or that is not UTF-8. */
#define THRIFT_TEXT_ERROR (thrift_text_error_quark())
GQuark thrift_text_error_quark(void);

/* TRUE when s[0..len) is UTF-8 without a NUL: what every Thrift string must be here. */
gboolean thrift_text_ok(const char *s, gsize len);

/*
 * A binary protocol over transport for decoding client bytes. It is libthrift's binary protocol
 * except that read_binary always sets its out-parameters first: libthrift's
 * thrift_protocol_skip() frees the buffer of a string it skipped even when the read failed
 * before setting it (an uninitialised pointer), which a message whose list header lies about
 * its element type reaches (found by fuzz_thrift_decode); and read_string refuses a string
 * with a NUL byte (a C string would end there: issue 15) or that is not UTF-8, with
 * THRIFT_TEXT_ERROR (the door answers PROTOCOL_ERROR and keeps the connection). binary
 * fields (read_binary) stay bytes. g_object_unref() it.
 */
ThriftProtocol *thrift_safe_protocol_new(ThriftTransport *transport);

/*
 * The GType to make a TApplicationException with (schema/patch-generated.sh writes it): the
 * library's own class never chains up to GObject's finalize and loses its qdata per answer.
 */
GType propolis_app_exception_get_type(void);

G_END_DECLS

#endif
