/*
 * fuzz_scan.c — libFuzzer target for the Thrift message scanner (server/net/scan.c).
 *
 * The scanner is the first code that reads a client's bytes. Small limits make every limit
 * reachable. Besides "no crash", it checks the scanner's promise to be resumable: feeding the
 * same bytes in growing chunks must end exactly as feeding them whole (same status, same
 * message length), and a DONE message must also have a well-formed header.
 */
#include <stdint.h>
#include <stdlib.h>

#include "net/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const NetScanLimits limits = {4096, 64, 16, 6};

/* Feeds data whole; returns the status and the message length. */
static NetScanStatus scan_whole(const uint8_t *data, size_t size, gsize *len)
{
	g_autoptr(NetScanner) s = net_scanner_new(&limits);
	g_autoptr(GError) error = NULL;
	NetScanStatus st = net_scanner_feed(s, data, size, len, &error);
	if (st == NET_SCAN_ERROR && error == NULL)
		abort(); /* an error without a message */
	return st;
}

/* Feeds growing prefixes of data, step bytes more each time, until it stops needing more. */
static NetScanStatus scan_chunked(const uint8_t *data, size_t size, size_t step, gsize *len)
{
	g_autoptr(NetScanner) s = net_scanner_new(&limits);
	NetScanStatus st = NET_SCAN_NEED_MORE;
	for (size_t n = step < size ? step : size; st == NET_SCAN_NEED_MORE; n = n + step < size ? n + step : size) {
		g_autoptr(GError) error = NULL;
		st = net_scanner_feed(s, data, n, len, &error);
		if (n == size)
			break;
	}
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	gsize whole_len = 0, chunk_len = 0;
	NetScanStatus whole = scan_whole(data, size, &whole_len);
	size_t step = size > 0 ? 1 + data[0] % 7 : 1;
	NetScanStatus chunked = scan_chunked(data, size, step, &chunk_len);
	if (whole != chunked)
		abort(); /* resuming changed the verdict */
	if (whole == NET_SCAN_DONE) {
		if (whole_len != chunk_len || whole_len > size || whole_len > limits.max_message_size)
			abort();
		NetMsgHeader h;
		if (!net_scan_header(data, whole_len, &h))
			abort(); /* a complete message without a readable header */
	}
	NetMsgHeader h;
	(void)net_scan_header(data, size, &h);
	return 0;
}
