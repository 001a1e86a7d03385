/*
 * fuzz_thrift_decode.c — libFuzzer target for the Thrift door's decode path.
 *
 * A whole Hive call through the generated processor needs PostgreSQL, so this target runs
 * what the door does with a client's bytes before any handler: the scanner (server/net/scan.c)
 * checks the message against the limits, then the generated reader decodes the arguments
 * with the strict binary protocol over the door's zero-copy transport (server/thrift/buffer.c).
 * Input: byte 0-1 choose one of the generated *Args structs (every Hive method's arguments,
 * sorted by type name); the rest is the body of the call. A decoded struct is written back,
 * as a reply would be, to exercise the writers on whatever the readers produced.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_struct.h>

#include "net/scan.h"
#include "thrift/buffer.h"
#include "thrift/handler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Registers every generated type (schema/patch-generated.sh). */
void propolis_gen_types_init(void);

static GArray *args_types; /* GType, the *Args structs ("…ArgsType"), sorted by type name */

static gint type_name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(g_type_name(*(const GType *)a), g_type_name(*(const GType *)b));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	propolis_gen_types_init();
	guint n = 0;
	GType *children = g_type_children(THRIFT_TYPE_STRUCT, &n);
	args_types = g_array_new(FALSE, FALSE, sizeof(GType));
	for (guint i = 0; i < n; i++)
		if (g_str_has_suffix(g_type_name(children[i]), "ArgsType"))
			g_array_append_val(args_types, children[i]);
	g_free(children);
	g_array_sort(args_types, type_name_cmp);
	if (args_types->len == 0)
		abort();
	return 0;
}

/* The door's limits, smaller so that each is reachable. */
static const NetScanLimits limits = {1 << 20, 4096, 1000, 64};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 65536)
		return 0;
	GType type = g_array_index(args_types, GType, ((guint)data[0] << 8 | data[1]) % args_types->len);
	/* A strict call header, then the fuzzed body. */
	g_autoptr(GByteArray) msg = g_byte_array_new();
	static const guint8 head[] = {0x80, 0x01, 0x00, 0x01, 0, 0, 0, 1, 'f', 0, 0, 0, 7};
	g_byte_array_append(msg, head, sizeof head);
	g_byte_array_append(msg, data + 2, (guint)(size - 2));

	g_autoptr(NetScanner) scanner = net_scanner_new(&limits);
	gsize msg_len = 0;
	g_autoptr(GError) error = NULL;
	if (net_scanner_feed(scanner, msg->data, msg->len, &msg_len, &error) != NET_SCAN_DONE)
		return 0;

	g_autoptr(GByteArray) reply = g_byte_array_new();
	ThriftTransport *t = thrift_buffer_new(msg->data + sizeof head, msg_len - sizeof head, reply);
	ThriftProtocol *p = thrift_safe_protocol_new(t);
	ThriftStruct *args = g_object_new(type, NULL);
	gint32 got = thrift_struct_read(args, p, &error);
	if (got >= 0) {
		/* libthrift's skip of an unknown field can leave an error behind yet succeed (a list
		 * header with an invalid element type); the door ignores it the same way. */
		g_clear_error(&error);
		if (thrift_struct_write(args, p, &error) < 0) {
			fprintf(stderr, "%s: read, but writing it back failed: %s\n", g_type_name(type),
			        error ? error->message : "?");
			abort(); /* a struct we could read must be writable */
		}
	}
	g_object_unref(args);
	g_object_unref(p);
	g_object_unref(t);
	return 0;
}
