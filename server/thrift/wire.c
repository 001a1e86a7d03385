/*
 * wire.c — the binary protocol read and written by hand (see wire.h), for the door paths that
 * answer without the generated structs (partition_add.c, partition_drop.c).
 *
 * Reads never pass the end given: a short or malformed value sets WireReader.bad and reads return
 * zeros from then on; collection sizes are checked against the bytes left; nesting is bounded
 * by WIRE_DEPTH. Writes append big-endian values as thrift_binary_protocol writes them.
 */
#include "thrift/wire.h"

#include <string.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "thrift/buffer.h"

#define WIRE_DEPTH 32
#define OK(x) ((x) >= 0)



gboolean wire_need(WireReader *r, gsize n)
{
	if (r->bad || (gsize)(r->end - r->p) < n)
		r->bad = TRUE;
	return !r->bad;
}

guint8 wire_u8(WireReader *r)
{
	return wire_need(r, 1) ? *r->p++ : 0;
}

gint16 wire_i16(WireReader *r)
{
	if (!wire_need(r, 2))
		return 0;
	gint16 v = (gint16)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	return v;
}

gint32 wire_i32(WireReader *r)
{
	if (!wire_need(r, 4))
		return 0;
	guint32 v = (guint32)r->p[0] << 24 | (guint32)r->p[1] << 16 | (guint32)r->p[2] << 8 | r->p[3];
	r->p += 4;
	return (gint32)v;
}

/* A binary value's bytes (not NUL-terminated) and length, unchecked. */
static const char *wire_raw_bytes(WireReader *r, gsize *len)
{
	gint32 n = wire_i32(r);
	if (n < 0 || !wire_need(r, (gsize)n)) {
		r->bad = TRUE;
		*len = 0;
		return NULL;
	}
	const char *s = (const char *)r->p;
	r->p += n;
	*len = (gsize)n;
	return s;
}

/* A string's bytes (not NUL-terminated) and length; a NUL or bytes that are not UTF-8 make it bad
 * (the door then runs the generated processor, whose read_string answers the typed error). */
const char *wire_bytes(WireReader *r, gsize *len)
{
	const char *s = wire_raw_bytes(r, len);
	if (s != NULL && !thrift_text_ok(s, *len)) {
		r->bad = TRUE;
		*len = 0;
		return NULL;
	}
	return s;
}

/* A string copied (NUL-terminated) into chunk. */
const char *wire_str(WireReader *r, GStringChunk *chunk)
{
	gsize n;
	const char *s = wire_bytes(r, &n);
	return s ? g_string_chunk_insert_len(chunk, s, (gssize)n) : NULL;
}

/* A collection's size, checked against the bytes left (each element takes at least min bytes). */
guint wire_size(WireReader *r, gsize min)
{
	gint32 n = wire_i32(r);
	if (n < 0 || (min > 0 && (gsize)n > (gsize)(r->end - r->p) / min))
		r->bad = TRUE;
	return r->bad ? 0 : (guint)n;
}

/* The bytes a value of type t takes at least. */
gsize wire_type_min(guint8 t)
{
	switch (t) {
	case T_BOOL: case T_BYTE: case T_STRUCT: return 1;
	case T_I16: return 2;
	case T_I32: case T_STRING: return 4;
	case T_I64: case T_DOUBLE: return 8;
	case T_MAP: case T_LIST: case T_SET: return 5;
	default: return 0;
	}
}

/* Skips a value of type t. A string in it is checked as wire_bytes checks it, as the generated
 * reader would (the byte readers decline unknown fields, where a binary value could be). */
void wire_skip(WireReader *r, guint8 t, int depth)
{
	if (depth > WIRE_DEPTH) {
		r->bad = TRUE;
		return;
	}
	gsize len;
	switch (t) {
	case T_BOOL: case T_BYTE: (void)wire_u8(r); break;
	case T_I16: (void)wire_i16(r); break;
	case T_I32: (void)wire_i32(r); break;
	case T_I64: case T_DOUBLE: if (wire_need(r, 8)) r->p += 8; break;
	case T_STRING: (void)wire_bytes(r, &len); break; /* checked: the readers skip only string fields */
	case T_STRUCT:
		for (guint8 ft = wire_u8(r); !r->bad && ft != T_STOP; ft = wire_u8(r)) {
			(void)wire_i16(r);
			wire_skip(r, ft, depth + 1);
		}
		break;
	case T_MAP: {
		guint8 kt = wire_u8(r), vt = wire_u8(r);
		guint n = wire_size(r, wire_type_min(kt) + wire_type_min(vt));
		for (guint i = 0; i < n && !r->bad; i++) {
			wire_skip(r, kt, depth + 1);
			wire_skip(r, vt, depth + 1);
		}
		break;
	}
	case T_LIST: case T_SET: {
		guint8 et = wire_u8(r);
		guint n = wire_size(r, wire_type_min(et));
		for (guint i = 0; i < n && !r->bad; i++)
			wire_skip(r, et, depth + 1);
		break;
	}
	default: r->bad = TRUE;
	}
}

/* ---- writing ---- */

void wire_put_u8(GByteArray *o, guint8 v)
{
	g_byte_array_append(o, &v, 1);
}

void wire_put_i32(GByteArray *o, gint32 v)
{
	guint32 be = GUINT32_TO_BE((guint32)v);
	g_byte_array_append(o, (const guint8 *)&be, 4);
}

void wire_put_field(GByteArray *o, guint8 type, gint16 id)
{
	guint8 h[3] = {type, (guint8)((guint16)id >> 8), (guint8)(id & 0xff)};
	g_byte_array_append(o, h, 3);
}

void wire_put_str(GByteArray *o, const char *s)
{
	gsize n = strlen(s);
	wire_put_i32(o, (gint32)n);
	g_byte_array_append(o, (const guint8 *)s, (guint)n);
}

void wire_put_message(GByteArray *o, const char *method, guint8 type, gint32 seqid)
{
	wire_put_i32(o, (gint32)(0x80010000u | type));
	wire_put_str(o, method);
	wire_put_i32(o, seqid);
}

/* A result struct (NULL: an application exception from app) as the generated processor writes it. */
gboolean wire_put_result(GByteArray *reply, const char *method, gint32 seqid, GObject *result, GError *app,
                         GError **error)
{
	ThriftMessageType type = T_REPLY;
	g_autoptr(GObject) exc = NULL;
	if (result == NULL) {
		type = T_EXCEPTION;
		exc = g_object_new(propolis_app_exception_get_type(), "type",
		                   app ? app->code : THRIFT_APPLICATION_EXCEPTION_ERROR_UNKNOWN, "message",
		                   app ? app->message : NULL, NULL);
	}
	ThriftTransport *t = thrift_buffer_new(NULL, 0, reply);
	ThriftProtocol *out = thrift_safe_protocol_new(t);
	gboolean ok = OK(thrift_protocol_write_message_begin(out, method, type, seqid, error)) &&
	              OK(thrift_struct_write(THRIFT_STRUCT(result ? result : exc), out, error)) &&
	              OK(thrift_protocol_write_message_end(out, error));
	g_object_unref(out);
	g_object_unref(t);
	return ok;
}
