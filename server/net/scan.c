/*
 * scan.c — finds where one Thrift binary-protocol message ends, resumably, without trusting sizes.
 *
 * State between feeds: pos (bytes of the message already accounted for), the type of the value
 * to read next (pending, 0 when none) and a stack of open structs/containers. Every step reads
 * a fixed number of bytes at pos; when they have not all arrived the step is retried on the
 * next feed, so a message fed one byte at a time gives the same answer as fed whole. Limits are
 * checked when a size is read, before waiting for the bytes it announces. Called by net/frame.c
 * on the loop thread, and by tests and fuzz targets.
 */
#include "net/scan.h"

#include "common/error.h"

/* Thrift type ids (binary protocol). */
enum {
	T_STOP = 0,
	T_BOOL = 2,
	T_BYTE = 3,
	T_DOUBLE = 4,
	T_I16 = 6,
	T_I32 = 8,
	T_I64 = 10,
	T_STRING = 11,
	T_STRUCT = 12,
	T_MAP = 13,
	T_SET = 14,
	T_LIST = 15,
};

typedef enum { FRAME_STRUCT, FRAME_LIST, FRAME_MAP } FrameKind;

/* One open struct or container. */
typedef struct {
	guint8 kind;      /* FrameKind */
	guint8 ktype;     /* list/set element type, map key type */
	guint8 vtype;     /* map value type */
	guint8 want_value; /* map: the key of the current entry was read, its value is next */
	guint32 remaining; /* list/set elements or map entries still to read */
} ScanFrame;

struct NetScanner {
	NetScanLimits limits;
	gsize pos;
	gboolean header_done;
	guint8 pending; /* type of the value to read next, T_STOP when none */
	guint depth;
	guint capacity;
	ScanFrame stack[];
};

static guint32 read_be32(const guint8 *p)
{
	return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | (guint32)p[3];
}

/* Bytes a fixed-size value takes, or 0 for the types that are not fixed-size. */
static guint fixed_size(guint8 type)
{
	switch (type) {
	case T_BOOL:
	case T_BYTE:
		return 1;
	case T_I16:
		return 2;
	case T_I32:
		return 4;
	case T_DOUBLE:
	case T_I64:
		return 8;
	default:
		return 0;
	}
}

static gboolean type_is_valid(guint8 type)
{
	return fixed_size(type) > 0 || (type >= T_STRING && type <= T_LIST);
}

/* A scanner at the start of a message; the stack holds max_nesting_depth frames (at least 1). */
NetScanner *net_scanner_new(const NetScanLimits *limits)
{
	guint capacity = MAX(limits->max_nesting_depth, 1);
	NetScanner *scanner = g_malloc0(sizeof(NetScanner) + capacity * sizeof(ScanFrame));

	scanner->limits = *limits;
	scanner->capacity = capacity;
	return scanner;
}

/* Back to the start of a message. */
void net_scanner_reset(NetScanner *scanner)
{
	scanner->pos = 0;
	scanner->header_done = FALSE;
	scanner->pending = T_STOP;
	scanner->depth = 0;
}

/* Frees the scanner; NULL is fine. */
void net_scanner_free(NetScanner *scanner)
{
	g_free(scanner);
}

/*
 * Are n more bytes at pos available? DONE when yes, NEED_MORE when not yet, ERROR when the
 * message would pass max_message_size (it cannot be shorter than pos + n).
 */
static NetScanStatus scan_need(NetScanner *s, gsize len, gsize n, GError **error)
{
	if (s->pos + n > s->limits.max_message_size) {
		g_set_error(error, NET_ERROR, NET_ERROR_LIMIT, "max_message_size exceeded: %" G_GSIZE_FORMAT " > %u",
		            s->pos + n, s->limits.max_message_size);
		return NET_SCAN_ERROR;
	}
	return s->pos + n <= len ? NET_SCAN_DONE : NET_SCAN_NEED_MORE;
}

/* Checks a declared string length before the string's bytes are awaited. */
static gboolean check_string_length(NetScanner *s, gint32 n, GError **error)
{
	if (n < 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "negative string length %d at offset %" G_GSIZE_FORMAT,
		            n, s->pos);
		return FALSE;
	}
	if ((guint32)n > s->limits.max_string_length) {
		g_set_error(error, NET_ERROR, NET_ERROR_LIMIT, "max_string_length exceeded: %d > %u", n,
		            s->limits.max_string_length);
		return FALSE;
	}
	return TRUE;
}

/* Opens a struct or container, checking max_nesting_depth. */
static gboolean scan_push(NetScanner *s, FrameKind kind, guint8 ktype, guint8 vtype, guint32 count,
                          GError **error)
{
	if (s->depth + 1 > s->limits.max_nesting_depth || s->depth + 1 > s->capacity) {
		g_set_error(error, NET_ERROR, NET_ERROR_LIMIT, "max_nesting_depth exceeded: %u > %u", s->depth + 1,
		            s->limits.max_nesting_depth);
		return FALSE;
	}
	s->stack[s->depth++] = (ScanFrame){ .kind = kind, .ktype = ktype, .vtype = vtype, .remaining = count };
	return TRUE;
}

/* Reads a container header (list/set: etype + count; map: ktype + vtype + count) and opens it. */
static NetScanStatus scan_container(NetScanner *s, const guint8 *buf, gsize len, guint8 type, GError **error)
{
	gsize head = type == T_MAP ? 6 : 5;
	NetScanStatus st = scan_need(s, len, head, error);
	if (st != NET_SCAN_DONE)
		return st;

	const guint8 *p = buf + s->pos;
	guint8 ktype = p[0];
	guint8 vtype = type == T_MAP ? p[1] : T_STOP;
	gint32 count = (gint32)read_be32(p + head - 4);
	if (count < 0) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "negative container size %d at offset %" G_GSIZE_FORMAT,
		            count, s->pos);
		return NET_SCAN_ERROR;
	}
	if ((guint32)count > s->limits.max_list_length) {
		g_set_error(error, NET_ERROR, NET_ERROR_LIMIT, "max_list_length exceeded: %d > %u", count,
		            s->limits.max_list_length);
		return NET_SCAN_ERROR;
	}
	/* An empty container's element types are never used; some writers leave them 0. */
	if (count > 0 && (!type_is_valid(ktype) || (type == T_MAP && !type_is_valid(vtype)))) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "unknown element type at offset %" G_GSIZE_FORMAT,
		            s->pos);
		return NET_SCAN_ERROR;
	}
	if (!scan_push(s, type == T_MAP ? FRAME_MAP : FRAME_LIST, ktype, vtype, (guint32)count, error))
		return NET_SCAN_ERROR;
	s->pos += head;
	return NET_SCAN_DONE;
}

/* Reads the pending value: skips a scalar or string, or opens a struct or container. */
static NetScanStatus scan_value(NetScanner *s, const guint8 *buf, gsize len, GError **error)
{
	guint8 type = s->pending;
	guint size = fixed_size(type);
	NetScanStatus st;

	if (size > 0) {
		st = scan_need(s, len, size, error);
		if (st == NET_SCAN_DONE)
			s->pos += size;
	} else if (type == T_STRING) {
		st = scan_need(s, len, 4, error);
		if (st != NET_SCAN_DONE)
			return st;
		gint32 n = (gint32)read_be32(buf + s->pos);
		if (!check_string_length(s, n, error))
			return NET_SCAN_ERROR;
		st = scan_need(s, len, 4 + (gsize)n, error);
		if (st == NET_SCAN_DONE)
			s->pos += 4 + (gsize)n;
	} else if (type == T_STRUCT) {
		st = scan_push(s, FRAME_STRUCT, T_STOP, T_STOP, 0, error) ? NET_SCAN_DONE : NET_SCAN_ERROR;
	} else {
		st = scan_container(s, buf, len, type, error);
	}
	if (st == NET_SCAN_DONE)
		s->pending = T_STOP;
	return st;
}

/* Reads the strict message header as one step and opens the args struct. */
static NetScanStatus scan_message_header(NetScanner *s, const guint8 *buf, gsize len, GError **error)
{
	NetScanStatus st = scan_need(s, len, 4, error);
	if (st != NET_SCAN_DONE)
		return st;
	if (buf[0] != 0x80 || buf[1] != 0x01 || buf[2] != 0x00) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL,
		            "not a strict binary-protocol message (starts %02x %02x %02x)", buf[0], buf[1], buf[2]);
		return NET_SCAN_ERROR;
	}
	if (buf[3] < NET_MSG_CALL || buf[3] > NET_MSG_ONEWAY) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "unknown message type %u", buf[3]);
		return NET_SCAN_ERROR;
	}
	st = scan_need(s, len, 8, error);
	if (st != NET_SCAN_DONE)
		return st;
	s->pos = 4;
	gint32 n = (gint32)read_be32(buf + 4);
	gboolean ok = check_string_length(s, n, error);
	s->pos = 0;
	if (!ok)
		return NET_SCAN_ERROR;
	st = scan_need(s, len, 8 + (gsize)n + 4, error);
	if (st != NET_SCAN_DONE)
		return st;
	if (!scan_push(s, FRAME_STRUCT, T_STOP, T_STOP, 0, error))
		return NET_SCAN_ERROR;
	s->pos = 8 + (gsize)n + 4;
	s->header_done = TRUE;
	return NET_SCAN_DONE;
}

/* Reads the next field header of the open struct, or its STOP byte (which closes it). */
static NetScanStatus scan_field(NetScanner *s, const guint8 *buf, gsize len, GError **error)
{
	NetScanStatus st = scan_need(s, len, 1, error);
	if (st != NET_SCAN_DONE)
		return st;
	guint8 type = buf[s->pos];
	if (type == T_STOP) {
		s->pos++;
		s->depth--;
		return NET_SCAN_DONE;
	}
	if (!type_is_valid(type)) {
		g_set_error(error, NET_ERROR, NET_ERROR_PROTOCOL, "unknown field type %u at offset %" G_GSIZE_FORMAT, type,
		            s->pos);
		return NET_SCAN_ERROR;
	}
	st = scan_need(s, len, 3, error);
	if (st != NET_SCAN_DONE)
		return st;
	s->pos += 3;
	s->pending = type;
	return NET_SCAN_DONE;
}

/* Moves to the next element of the open list/set/map, or closes it when none are left. */
static void scan_element(NetScanner *s, ScanFrame *f)
{
	if (f->kind == FRAME_MAP && f->want_value) {
		f->want_value = 0;
		s->pending = f->vtype;
		return;
	}
	if (f->remaining == 0) {
		s->depth--;
		return;
	}
	f->remaining--;
	s->pending = f->ktype;
	if (f->kind == FRAME_MAP)
		f->want_value = 1;
}

/* The scan loop: one step at a time until the message ends, bytes run out, or an error. */
NetScanStatus net_scanner_feed(NetScanner *s, const guint8 *buf, gsize len, gsize *msg_len, GError **error)
{
	NetScanStatus st;

	if (!s->header_done) {
		st = scan_message_header(s, buf, len, error);
		if (st != NET_SCAN_DONE)
			return st;
	}
	for (;;) {
		if (s->pending != T_STOP) {
			st = scan_value(s, buf, len, error);
			if (st != NET_SCAN_DONE)
				return st;
			continue;
		}
		if (s->depth == 0) {
			*msg_len = s->pos;
			return NET_SCAN_DONE;
		}
		ScanFrame *f = &s->stack[s->depth - 1];
		if (f->kind == FRAME_STRUCT) {
			st = scan_field(s, buf, len, error);
			if (st != NET_SCAN_DONE)
				return st;
		} else {
			scan_element(s, f);
		}
	}
}

/* The strict header's shape only: version word, a name that fits in buf, a seqid. */
gboolean net_scan_header(const guint8 *buf, gsize len, NetMsgHeader *header)
{
	if (len < 12 || buf[0] != 0x80 || buf[1] != 0x01 || buf[2] != 0x00)
		return FALSE;
	gint32 n = (gint32)read_be32(buf + 4);
	if (n < 0 || (gsize)n > len - 12)
		return FALSE;
	header->type = buf[3];
	header->name = buf + 8;
	header->name_len = (guint32)n;
	header->seqid = (gint32)read_be32(buf + 8 + n);
	return TRUE;
}
