/*
 * json_protocol.h — a write-only Thrift protocol producing Thrift's JSON protocol
 * (TJSONProtocol: {"<field id>":{"<type>":value},...}), the form Hive's MessageBuilder
 * writes the *ObjJson fields of notification messages in, so that Hive's
 * JSONMessageDeserializer (TDeserializer + TJSONProtocol) reads ours.
 *
 * Any generated struct can be written with thrift_struct_write(); the text accumulates in the
 * protocol and is taken with thrift_json_writer_steal(). Reading is not implemented (the
 * read_* slots are left NULL: never hand this protocol to a reader).
 * Threading: one protocol per serialization; no shared state.
 */
#ifndef PROPOLIS_THRIFT_JSON_PROTOCOL_H
#define PROPOLIS_THRIFT_JSON_PROTOCOL_H

#include <glib-object.h>
#include <thrift/c_glib/protocol/thrift_protocol.h>
#include <thrift/c_glib/thrift_struct.h>

G_BEGIN_DECLS

typedef struct _ThriftJsonWriter ThriftJsonWriter;
typedef struct {
	ThriftProtocolClass parent;
} ThriftJsonWriterClass;

#define THRIFT_TYPE_JSON_WRITER (thrift_json_writer_get_type())
GType thrift_json_writer_get_type(void);

/* A new, empty writer. */
ThriftJsonWriter *thrift_json_writer_new(void);

/* The text written so far (the writer is emptied); never NULL. */
char *thrift_json_writer_steal(ThriftJsonWriter *w);

/* obj in Thrift's JSON protocol as a new string; NULL with error when writing fails. */
char *thrift_json_serialize(ThriftStruct *obj, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

#endif
