/*
 * appexc.c — encodes a TApplicationException reply in the binary protocol.
 *
 * Used when net/ itself must answer a request (a limit hit, a malformed body) without the
 * door: message type EXCEPTION, the request's name and seqid, then the struct
 * { 1: string message, 2: i32 type }. Pure function; any thread.
 */
#include "net/internal.h"

#include <string.h>

static void put_be32(GByteArray *out, guint32 v)
{
	guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
	g_byte_array_append(out, b, 4);
}

static void put_field_header(GByteArray *out, guint8 type, guint16 id)
{
	guint8 b[3] = { type, id >> 8, id };
	g_byte_array_append(out, b, 3);
}

/* Appends the whole exception message (without frame header) to out. */
void net_appexc_encode(GByteArray *out, const NetMsgHeader *header, gint32 type, const char *message)
{
	static const guint8 version[4] = { 0x80, 0x01, 0x00, 0x03 /* EXCEPTION */ };
	gsize mlen = strlen(message);

	g_byte_array_append(out, version, 4);
	put_be32(out, header->name_len);
	g_byte_array_append(out, header->name, header->name_len);
	put_be32(out, (guint32)header->seqid);
	put_field_header(out, 11 /* string */, 1);
	put_be32(out, (guint32)mlen);
	g_byte_array_append(out, (const guint8 *)message, mlen);
	put_field_header(out, 8 /* i32 */, 2);
	put_be32(out, (guint32)type);
	g_byte_array_append(out, (const guint8 *)"", 1); /* STOP */
}
