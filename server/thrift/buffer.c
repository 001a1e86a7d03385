/*
 * buffer.c — the zero-copy request/reply transport of the Thrift door (see buffer.h).
 *
 * Invariant: pos <= len. Reads hand out bytes from pos; a read at the end is an error, never
 * 0: thrift_transport_read_all() loops until it has all it wants, so returning 0 would spin
 * forever (found by tests/fuzz/fuzz_thrift_decode: a list whose declared element type differs
 * from the IDL's makes the generated reader read past the message). remainingMessageSize_ mirrors
 * len - pos so the protocol's size checks reject lengths the message cannot hold.
 */
#include "thrift/buffer.h"

#include <string.h>

typedef struct {
	ThriftTransport parent;
	const guint8 *msg;
	gsize len, pos;
	GByteArray *reply;
} ThriftBuffer;

typedef struct {
	ThriftTransportClass parent;
} ThriftBufferClass;

static GType thrift_buffer_get_type(void);
G_DEFINE_TYPE(ThriftBuffer, thrift_buffer, THRIFT_TYPE_TRANSPORT)

#define BUF(t) ((ThriftBuffer *)(t))

static gboolean buf_true(ThriftTransport *t, GError **error)
{
	return TRUE;
}

static gboolean buf_is_open(ThriftTransport *t)
{
	return TRUE;
}

static gint32 buf_read(ThriftTransport *t, gpointer out, guint32 want, GError **error)
{
	ThriftBuffer *b = BUF(t);
	if (want > 0 && b->pos >= b->len) {
		g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_RECEIVE,
		            "read of %u bytes past the end of the message", want);
		return -1;
	}
	gsize give = MIN((gsize)want, b->len - b->pos);
	memcpy(out, b->msg + b->pos, give);
	b->pos += give;
	t->remainingMessageSize_ = (glong)(b->len - b->pos);
	return (gint32)give;
}

static gboolean buf_write(ThriftTransport *t, const gpointer data, const guint32 len, GError **error)
{
	g_byte_array_append(BUF(t)->reply, data, len);
	return TRUE;
}

static gboolean buf_check_available(ThriftTransport *t, glong n, GError **error)
{
	ThriftBuffer *b = BUF(t);
	if (n < 0 || (gsize)n > b->len - b->pos) {
		g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_RECEIVE,
		            "declared size %ld exceeds the %zu bytes left in the message", n, b->len - b->pos);
		return FALSE;
	}
	return TRUE;
}

static gboolean buf_size_noop(ThriftTransport *t, glong n, GError **error)
{
	return TRUE;
}

static void thrift_buffer_init(ThriftBuffer *b)
{
}

static void thrift_buffer_class_init(ThriftBufferClass *klass)
{
	ThriftTransportClass *tc = THRIFT_TRANSPORT_CLASS(klass);
	tc->is_open = buf_is_open;
	tc->open = buf_true;
	tc->close = buf_true;
	tc->read = buf_read;
	tc->read_end = buf_true;
	tc->write = buf_write;
	tc->write_end = buf_true;
	tc->flush = buf_true;
	tc->checkReadBytesAvailable = buf_check_available;
	tc->updateKnownMessageSize = buf_size_noop;
	tc->resetConsumedMessageSize = buf_size_noop;
	tc->countConsumedMessageBytes = buf_size_noop;
}

/* See buffer.h. */
ThriftTransport *thrift_buffer_new(const guint8 *msg, gsize len, GByteArray *reply)
{
	ThriftBuffer *b = g_object_new(thrift_buffer_get_type(), NULL);
	b->msg = msg;
	b->len = len;
	b->reply = reply;
	THRIFT_TRANSPORT(b)->remainingMessageSize_ = (glong)len;
	THRIFT_TRANSPORT(b)->knowMessageSize_ = (glong)len;
	return THRIFT_TRANSPORT(b);
}

/* ---- the binary protocol with a read_binary that never leaves *buf unset (see buffer.h) ---- */

typedef struct {
	ThriftBinaryProtocol parent;
} ThriftSafeProtocol;

typedef struct {
	ThriftBinaryProtocolClass parent;
} ThriftSafeProtocolClass;

GType thrift_safe_protocol_get_type(void);
G_DEFINE_TYPE(ThriftSafeProtocol, thrift_safe_protocol, THRIFT_TYPE_BINARY_PROTOCOL)

static gint32 safe_read_binary(ThriftProtocol *protocol, gpointer *buf, guint32 *len, GError **error)
{
	*buf = NULL;
	*len = 0;
	return THRIFT_PROTOCOL_CLASS(thrift_safe_protocol_parent_class)->read_binary(protocol, buf, len, error);
}

G_DEFINE_QUARK(propolis-thrift-text-error, thrift_text_error)

/* See buffer.h. g_utf8_validate with a length refuses a NUL inside it too. */
gboolean thrift_text_ok(const char *s, gsize len)
{
	return len == 0 || g_utf8_validate(s, (gssize)len, NULL);
}

/* libthrift's read_string (4 length bytes, then the bytes), then the text checked. */
static gint32 safe_read_string(ThriftProtocol *protocol, gchar **str, GError **error)
{
	*str = NULL;
	gint32 ret = THRIFT_PROTOCOL_CLASS(thrift_safe_protocol_parent_class)->read_string(protocol, str, error);
	if (ret <= 4 || *str == NULL || thrift_text_ok(*str, (gsize)ret - 4))
		return ret;
	g_clear_pointer(str, g_free);
	g_set_error_literal(error, THRIFT_TEXT_ERROR, 0,
	                    "a string holds a NUL byte or is not valid UTF-8: refused before it reaches the catalog");
	return -1;
}

static void thrift_safe_protocol_init(ThriftSafeProtocol *p)
{
}

static void thrift_safe_protocol_class_init(ThriftSafeProtocolClass *klass)
{
	THRIFT_PROTOCOL_CLASS(klass)->read_binary = safe_read_binary;
	THRIFT_PROTOCOL_CLASS(klass)->read_string = safe_read_string;
}

/* See buffer.h. */
ThriftProtocol *thrift_safe_protocol_new(ThriftTransport *transport)
{
	return g_object_new(thrift_safe_protocol_get_type(), "transport", transport, NULL);
}
