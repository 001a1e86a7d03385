/*
 * wire.h — Thrift's binary protocol read and written by hand: for door paths that answer a call
 * from the request's bytes without the generated structs (partition_add.c, partition_drop.c).
 *
 * A WireReader never reads past end: any short or malformed value sets bad, after which every
 * read returns zero/NULL. Strings are returned as (pointer, length) into the message, or copied
 * NUL-terminated into a GStringChunk.
 */
#ifndef PROPOLIS_THRIFT_WIRE_H
#define PROPOLIS_THRIFT_WIRE_H

#include <glib-object.h>
#include <thrift/c_glib/protocol/thrift_protocol.h>

G_BEGIN_DECLS

typedef struct {
	const guint8 *p, *end, *start;
	gboolean bad;
} WireReader;

/* How a call answered from its bytes ended. */
typedef enum {
	WIRE_DONE,     /* answered into reply (success or the method's exception) */
	WIRE_FAILED,   /* the reply could not be written: close, as for a protocol error */
	WIRE_FALLBACK, /* not the shape taken: reply untouched, the generated processor runs it */
} WireResult;

gboolean wire_need(WireReader *r, gsize n);
guint8 wire_u8(WireReader *r);
gint16 wire_i16(WireReader *r);
gint32 wire_i32(WireReader *r);
/* A string's bytes (not NUL-terminated) and length; NULL when malformed. */
const char *wire_bytes(WireReader *r, gsize *len);
/* A string copied, NUL-terminated, into chunk; NULL when malformed. */
const char *wire_str(WireReader *r, GStringChunk *chunk);
/* A collection's size, checked against the bytes left (each element at least min bytes). */
guint wire_size(WireReader *r, gsize min);
/* The bytes a value of type t takes at least. */
gsize wire_type_min(guint8 t);
/* Skips a value of type t (depth: its nesting, bounded). */
void wire_skip(WireReader *r, guint8 t, int depth);

void wire_put_u8(GByteArray *o, guint8 v);
void wire_put_i32(GByteArray *o, gint32 v);
void wire_put_field(GByteArray *o, guint8 type, gint16 id);
void wire_put_str(GByteArray *o, const char *s);
/* A strict message header (version | type, name, seqid). */
void wire_put_message(GByteArray *o, const char *method, guint8 type, gint32 seqid);
/* A result struct (result NULL: a TApplicationException from app) as the generated processor writes it. */
gboolean wire_put_result(GByteArray *reply, const char *method, gint32 seqid, GObject *result, GError *app,
                         GError **error);

G_END_DECLS

#endif
