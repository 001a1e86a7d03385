/*
 * net_msg.h — builds Thrift binary-protocol messages byte by byte for the net/ unit tests.
 *
 * Static inline helpers only (included by test_net_scan.c and test_net_server.c); each appends
 * to a GByteArray exactly what the binary protocol puts on the wire, so tests can make valid
 * messages of any shape and then break them on purpose.
 */
#ifndef PROPOLIS_TEST_NET_MSG_H
#define PROPOLIS_TEST_NET_MSG_H

#include <glib.h>
#include <string.h>

enum { TT_STOP = 0, TT_BOOL = 2, TT_BYTE = 3, TT_DOUBLE = 4, TT_I16 = 6, TT_I32 = 8, TT_I64 = 10,
       TT_STRING = 11, TT_STRUCT = 12, TT_MAP = 13, TT_SET = 14, TT_LIST = 15 };

static inline void msg_u8(GByteArray *b, guint8 v)
{
	g_byte_array_append(b, &v, 1);
}

static inline void msg_i16(GByteArray *b, gint16 v)
{
	guint8 x[2] = { (guint16)v >> 8, (guint8)v };
	g_byte_array_append(b, x, 2);
}

static inline void msg_i32(GByteArray *b, gint32 v)
{
	guint32 u = (guint32)v;
	guint8 x[4] = { u >> 24, u >> 16, u >> 8, u };
	g_byte_array_append(b, x, 4);
}

static inline void msg_i64(GByteArray *b, gint64 v)
{
	msg_i32(b, (gint32)((guint64)v >> 32));
	msg_i32(b, (gint32)(guint32)v);
}

/* A string of n bytes, each 'x' (or the given text when text is not NULL). */
static inline void msg_string(GByteArray *b, const char *text, gsize n)
{
	msg_i32(b, (gint32)n);
	if (text) {
		g_byte_array_append(b, (const guint8 *)text, (guint)n);
		return;
	}
	for (gsize i = 0; i < n; i++)
		msg_u8(b, 'x');
}

static inline void msg_field(GByteArray *b, guint8 type, gint16 id)
{
	msg_u8(b, type);
	msg_i16(b, id);
}

/* Strict header: version word with type, name, seqid. */
static inline void msg_begin(GByteArray *b, const char *name, guint8 type, gint32 seqid)
{
	msg_u8(b, 0x80);
	msg_u8(b, 0x01);
	msg_u8(b, 0x00);
	msg_u8(b, type);
	msg_string(b, name, strlen(name));
	msg_i32(b, seqid);
}

/* A call whose args struct holds one string field of n bytes. */
static inline GByteArray *msg_call_with_string(const char *name, gint32 seqid, gsize n)
{
	GByteArray *b = g_byte_array_new();
	msg_begin(b, name, 1, seqid);
	msg_field(b, TT_STRING, 1);
	msg_string(b, NULL, n);
	msg_u8(b, TT_STOP);
	return b;
}

/* The same message behind a 4-byte big-endian frame length. */
static inline GByteArray *msg_framed(const GByteArray *msg)
{
	GByteArray *b = g_byte_array_new();
	msg_i32(b, (gint32)msg->len);
	g_byte_array_append(b, msg->data, msg->len);
	return b;
}

#endif
