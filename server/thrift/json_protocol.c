/*
 * json_protocol.c — the write half of Thrift's JSON protocol (see json_protocol.h).
 *
 * Format (as TJSONProtocol writes it in Java, C++ and Python): a struct is a JSON object whose
 * keys are field ids and whose values are one-member objects {"<type>": value}, type being
 * tf/i8/i16/i32/i64/dbl/str/rec/map/lst/set; a list or set is ["<elem type>", count, e...]; a
 * map is ["<key type>", "<value type>", count, {k: v, ...}]; bools are 1/0; binary is base64
 * in a string; a message is [1, "name", type, seqid, body]. Numbers in key position (field ids,
 * map keys) are quoted, as are NaN and the infinities. Strings are UTF-8 with '"', '\\' and
 * control characters escaped.
 *
 * A stack of contexts decides the separator before each value: none at the top, ',' between
 * list elements, ':' and ',' alternating inside an object.
 */
#include "thrift/json_protocol.h"

#include <string.h>

#include "common/json.h"

typedef enum { CTX_BASE, CTX_LIST, CTX_PAIR } CtxKind;

typedef struct {
	CtxKind kind;
	gboolean first;
	gboolean colon; /* pair: the next value is a key */
} JsonCtx;

struct _ThriftJsonWriter {
	ThriftProtocol parent;
	GString *out;
	GArray *stack; /* JsonCtx; the top is the last element */
};

G_DEFINE_TYPE(ThriftJsonWriter, thrift_json_writer, THRIFT_TYPE_PROTOCOL)

#define W(p) ((ThriftJsonWriter *)(p))

static JsonCtx *ctx_top(ThriftJsonWriter *w)
{
	return &g_array_index(w->stack, JsonCtx, w->stack->len - 1);
}

/* Writes the separator the current context needs before a value. */
static void ctx_write(ThriftJsonWriter *w)
{
	JsonCtx *c = ctx_top(w);
	if (c->kind == CTX_BASE)
		return;
	if (c->first) {
		c->first = FALSE;
		c->colon = TRUE;
		return;
	}
	if (c->kind == CTX_LIST) {
		g_string_append_c(w->out, ',');
		return;
	}
	g_string_append_c(w->out, c->colon ? ':' : ',');
	c->colon = !c->colon;
}

/* TRUE when the value just separated sits in key position (numbers are then quoted). */
static gboolean ctx_escape_num(ThriftJsonWriter *w)
{
	JsonCtx *c = ctx_top(w);
	return c->kind == CTX_PAIR && c->colon;
}

static void ctx_push(ThriftJsonWriter *w, CtxKind kind)
{
	JsonCtx c = {kind, TRUE, TRUE};
	g_array_append_val(w->stack, c);
}

static void ctx_pop(ThriftJsonWriter *w)
{
	if (w->stack->len > 1)
		g_array_set_size(w->stack, w->stack->len - 1);
}

static void json_string(ThriftJsonWriter *w, const char *s, gsize len)
{
	ctx_write(w);
	json_append_quoted(w->out, s, len);
}

static void json_integer(ThriftJsonWriter *w, gint64 v)
{
	ctx_write(w);
	gboolean q = ctx_escape_num(w);
	g_string_append_printf(w->out, q ? "\"%" G_GINT64_FORMAT "\"" : "%" G_GINT64_FORMAT, v);
}

static void json_object_start(ThriftJsonWriter *w)
{
	ctx_write(w);
	g_string_append_c(w->out, '{');
	ctx_push(w, CTX_PAIR);
}

static void json_object_end(ThriftJsonWriter *w)
{
	ctx_pop(w);
	g_string_append_c(w->out, '}');
}

static void json_array_start(ThriftJsonWriter *w)
{
	ctx_write(w);
	g_string_append_c(w->out, '[');
	ctx_push(w, CTX_LIST);
}

static void json_array_end(ThriftJsonWriter *w)
{
	ctx_pop(w);
	g_string_append_c(w->out, ']');
}

/* The protocol's name of a Thrift type. */
static const char *type_name(ThriftType t)
{
	switch (t) {
	case T_BOOL: return "tf";
	case T_BYTE: return "i8";
	case T_I16: return "i16";
	case T_I32: return "i32";
	case T_I64: return "i64";
	case T_DOUBLE: return "dbl";
	case T_STRING: return "str";
	case T_STRUCT: return "rec";
	case T_MAP: return "map";
	case T_LIST: return "lst";
	case T_SET: return "set";
	default: return "";
	}
}

static void json_type(ThriftJsonWriter *w, ThriftType t)
{
	const char *n = type_name(t);
	json_string(w, n, strlen(n));
}

static gint32 jw_message_begin(ThriftProtocol *p, const gchar *name, const ThriftMessageType type,
                               const gint32 seqid, GError **error)
{
	(void)error;
	json_array_start(W(p));
	json_integer(W(p), 1);
	json_string(W(p), name ? name : "", name ? strlen(name) : 0);
	json_integer(W(p), type);
	json_integer(W(p), seqid);
	return 0;
}

static gint32 jw_array_end(ThriftProtocol *p, GError **error)
{
	(void)error;
	json_array_end(W(p));
	return 0;
}

static gint32 jw_struct_begin(ThriftProtocol *p, const gchar *name, GError **error)
{
	(void)name;
	(void)error;
	json_object_start(W(p));
	return 0;
}

static gint32 jw_object_end(ThriftProtocol *p, GError **error)
{
	(void)error;
	json_object_end(W(p));
	return 0;
}

static gint32 jw_field_begin(ThriftProtocol *p, const gchar *name, const ThriftType type, const gint16 id,
                             GError **error)
{
	(void)name;
	(void)error;
	json_integer(W(p), id);
	json_object_start(W(p));
	json_type(W(p), type);
	return 0;
}

static gint32 jw_nothing(ThriftProtocol *p, GError **error)
{
	(void)p;
	(void)error;
	return 0;
}

static gint32 jw_map_begin(ThriftProtocol *p, const ThriftType kt, const ThriftType vt, const guint32 size,
                           GError **error)
{
	(void)error;
	json_array_start(W(p));
	json_type(W(p), kt);
	json_type(W(p), vt);
	json_integer(W(p), size);
	json_object_start(W(p));
	return 0;
}

static gint32 jw_map_end(ThriftProtocol *p, GError **error)
{
	(void)error;
	json_object_end(W(p));
	json_array_end(W(p));
	return 0;
}

static gint32 jw_list_begin(ThriftProtocol *p, const ThriftType et, const guint32 size, GError **error)
{
	(void)error;
	json_array_start(W(p));
	json_type(W(p), et);
	json_integer(W(p), size);
	return 0;
}

static gint32 jw_bool(ThriftProtocol *p, const gboolean v, GError **error)
{
	(void)error;
	json_integer(W(p), v ? 1 : 0);
	return 0;
}

static gint32 jw_byte(ThriftProtocol *p, const gint8 v, GError **error)
{
	(void)error;
	json_integer(W(p), v);
	return 0;
}

static gint32 jw_i16(ThriftProtocol *p, const gint16 v, GError **error)
{
	(void)error;
	json_integer(W(p), v);
	return 0;
}

static gint32 jw_i32(ThriftProtocol *p, const gint32 v, GError **error)
{
	(void)error;
	json_integer(W(p), v);
	return 0;
}

static gint32 jw_i64(ThriftProtocol *p, const gint64 v, GError **error)
{
	(void)error;
	json_integer(W(p), v);
	return 0;
}

static gint32 jw_double(ThriftProtocol *p, const gdouble v, GError **error)
{
	(void)error;
	ThriftJsonWriter *w = W(p);
	ctx_write(w);
	const char *special = v != v ? "NaN" : v > G_MAXDOUBLE ? "Infinity" : v < -G_MAXDOUBLE ? "-Infinity" : NULL;
	if (special) {
		g_string_append_printf(w->out, "\"%s\"", special);
		return 0;
	}
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	gboolean q = ctx_escape_num(w);
	g_string_append_printf(w->out, q ? "\"%s\"" : "%s", g_ascii_dtostr(buf, sizeof buf, v));
	return 0;
}

static gint32 jw_string(ThriftProtocol *p, const gchar *s, GError **error)
{
	(void)error;
	json_string(W(p), s ? s : "", s ? strlen(s) : 0);
	return 0;
}

static gint32 jw_binary(ThriftProtocol *p, const gpointer buf, const guint32 len, GError **error)
{
	(void)error;
	ThriftJsonWriter *w = W(p);
	ctx_write(w);
	g_autofree char *b64 = g_base64_encode(buf, len);
	g_string_append_printf(w->out, "\"%s\"", b64);
	return 0;
}

static void thrift_json_writer_finalize(GObject *obj)
{
	ThriftJsonWriter *w = W(obj);
	g_string_free(w->out, TRUE);
	g_array_unref(w->stack);
	G_OBJECT_CLASS(thrift_json_writer_parent_class)->finalize(obj);
}

static void thrift_json_writer_init(ThriftJsonWriter *w)
{
	w->out = g_string_new(NULL);
	w->stack = g_array_new(FALSE, FALSE, sizeof(JsonCtx));
	ctx_push(w, CTX_BASE);
}

static void thrift_json_writer_class_init(ThriftJsonWriterClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = thrift_json_writer_finalize;
	ThriftProtocolClass *pc = THRIFT_PROTOCOL_CLASS(klass);
	pc->write_message_begin = jw_message_begin;
	pc->write_message_end = jw_array_end;
	pc->write_struct_begin = jw_struct_begin;
	pc->write_struct_end = jw_object_end;
	pc->write_field_begin = jw_field_begin;
	pc->write_field_end = jw_object_end;
	pc->write_field_stop = jw_nothing;
	pc->write_map_begin = jw_map_begin;
	pc->write_map_end = jw_map_end;
	pc->write_list_begin = jw_list_begin;
	pc->write_list_end = jw_array_end;
	pc->write_set_begin = jw_list_begin;
	pc->write_set_end = jw_array_end;
	pc->write_bool = jw_bool;
	pc->write_byte = jw_byte;
	pc->write_i16 = jw_i16;
	pc->write_i32 = jw_i32;
	pc->write_i64 = jw_i64;
	pc->write_double = jw_double;
	pc->write_string = jw_string;
	pc->write_binary = jw_binary;
}

/* A new, empty writer; never fails. */
ThriftJsonWriter *thrift_json_writer_new(void)
{
	return g_object_new(THRIFT_TYPE_JSON_WRITER, NULL);
}

/* The text written so far, which the caller frees; the writer starts over empty. */
char *thrift_json_writer_steal(ThriftJsonWriter *w)
{
	char *s = g_string_free(w->out, FALSE);
	w->out = g_string_new(NULL);
	g_array_set_size(w->stack, 1);
	return s;
}

/* obj in Thrift's JSON protocol (a new string); NULL with error when the struct's writer fails. */
char *thrift_json_serialize(ThriftStruct *obj, GError **error)
{
	ThriftJsonWriter *w = thrift_json_writer_new();
	char *text = NULL;
	if (thrift_struct_write(obj, THRIFT_PROTOCOL(w), error) >= 0)
		text = thrift_json_writer_steal(w);
	g_object_unref(w);
	return text;
}
