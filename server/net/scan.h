/*
 * scan.h — a resumable scanner that finds where one Thrift binary-protocol message ends.
 *
 * The scanner never trusts a declared size: each string, container count, nesting level and
 * the total is checked against its limit as soon as it is read, and nothing is allocated per
 * element (its state is a position plus a small stack, sized once by max_nesting_depth).
 * Feed it the bytes of one message from its first byte, as many as have arrived; it resumes
 * where it stopped. Ownership: the caller owns the scanner and the bytes. Threading: none
 * (one scanner per connection, used by one thread at a time). Errors: NET_ERROR_LIMIT (the
 * message names the config key) and NET_ERROR_PROTOCOL.
 */
#ifndef PROPOLIS_NET_SCAN_H
#define PROPOLIS_NET_SCAN_H

#include <glib.h>

G_BEGIN_DECLS

/* Thrift message types (the low byte of the strict version word). */
enum {
	NET_MSG_CALL = 1,
	NET_MSG_REPLY = 2,
	NET_MSG_EXCEPTION = 3,
	NET_MSG_ONEWAY = 4,
};

typedef enum {
	NET_SCAN_NEED_MORE, /* the bytes so far are a valid prefix; feed more */
	NET_SCAN_DONE,      /* one complete message; its length is in *msg_len */
	NET_SCAN_ERROR,     /* not a valid message, or over a limit; error is set */
} NetScanStatus;

/* The limits a scanner checks; copied from PropolisConfig (same names, same units). */
typedef struct {
	guint max_message_size;  /* bytes of the whole message */
	guint max_string_length; /* bytes of one string/binary, and of the method name */
	guint max_list_length;   /* elements of one list/set/map */
	guint max_nesting_depth; /* structs and containers open at once; the args struct is 1 */
} NetScanLimits;

typedef struct NetScanner NetScanner;

/* What net_scan_header() reads from the front of a message. name points into the message. */
typedef struct {
	const guint8 *name;
	guint32 name_len;
	guint8 type; /* NET_MSG_* */
	gint32 seqid;
} NetMsgHeader;

/* A scanner at the start of a message. One allocation of a few bytes per nesting level. */
NetScanner *net_scanner_new(const NetScanLimits *limits);

/* Forgets any progress; the next feed starts a new message. */
void net_scanner_reset(NetScanner *scanner);

void net_scanner_free(NetScanner *scanner);

/*
 * Scans buf[0..len), the bytes of one message from its start (a longer buffer than last time,
 * same prefix). Returns NET_SCAN_DONE with *msg_len set (bytes past it belong to the next
 * message), NET_SCAN_NEED_MORE, or NET_SCAN_ERROR with error set. After DONE or ERROR,
 * reset the scanner before using it again.
 */
NetScanStatus net_scanner_feed(NetScanner *scanner, const guint8 *buf, gsize len, gsize *msg_len,
                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Reads the strict header (version, name, seqid) at the front of buf, checking nothing but
 * its shape. Returns FALSE when buf does not start with a complete, well-formed header.
 */
gboolean net_scan_header(const guint8 *buf, gsize len, NetMsgHeader *header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(NetScanner, net_scanner_free)

G_END_DECLS

#endif
