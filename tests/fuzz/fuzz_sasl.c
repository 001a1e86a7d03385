/*
 * fuzz_sasl.c — libFuzzer target for the SASL PLAIN negotiation parser (server/net/sasl.c).
 *
 * The parser reads the first bytes a client sends to a sasl-plain listener, before anyone is
 * authenticated. The input is the client's byte stream. The target drives the parser as the
 * loop does (append what arrived, feed, drop what was consumed) twice: with the stream whole
 * and in small chunks. Besides "no crash", resuming must not change the verdict or the
 * credentials, a refusal must carry an error and a BAD/ERROR status, and credentials must be
 * a non-empty user and a password of at most 255 bytes without NUL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/sasl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The smallest max_sasl_message the config allows, so the limit is reachable. */
#define FUZZ_MAX_MESSAGE 1024

typedef struct {
	NetSaslResult result;
	gsize consumed; /* bytes taken in all */
	NetSasl sasl;
} Outcome;

/* Feeds data step bytes at a time (step >= size: whole) as the loop would, until a verdict. */
static void fuzz_run(const uint8_t *data, size_t size, size_t step, Outcome *out)
{
	g_autoptr(GByteArray) in = g_byte_array_new();
	net_sasl_init(&out->sasl, FUZZ_MAX_MESSAGE);
	out->result = NET_SASL_NEED_MORE;
	out->consumed = 0;
	for (size_t off = 0; off < size && out->result == NET_SASL_NEED_MORE;) {
		size_t n = MIN(step, size - off);
		g_byte_array_append(in, data + off, (guint)n);
		off += n;
		g_autoptr(GError) error = NULL;
		gsize consumed = 0;
		guint8 status = 0;
		out->result = net_sasl_feed(&out->sasl, in->data, in->len, &consumed, &status, &error);
		if (consumed > in->len)
			abort();
		if (out->result == NET_SASL_FAILED && (error == NULL || (status != NET_SASL_BAD && status != NET_SASL_ERROR)))
			abort(); /* a refusal must say why and how */
		if (out->result != NET_SASL_FAILED && error != NULL)
			abort();
		g_byte_array_remove_range(in, 0, (guint)consumed);
		out->consumed += consumed;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4 * FUZZ_MAX_MESSAGE)
		return 0;
	Outcome whole, chunked;
	fuzz_run(data, size, size ? size : 1, &whole);
	fuzz_run(data, size, 1 + (size ? data[size - 1] % 7 : 0), &chunked);
	if (whole.result != chunked.result)
		abort(); /* resuming changed the verdict */
	if (whole.result == NET_SASL_CREDENTIALS) {
		if (whole.consumed != chunked.consumed || strcmp(whole.sasl.user, chunked.sasl.user) != 0 ||
		    strcmp(whole.sasl.password, chunked.sasl.password) != 0)
			abort();
		if (whole.sasl.user[0] == '\0' || strlen(whole.sasl.user) > NET_SASL_FIELD_MAX ||
		    strlen(whole.sasl.password) > NET_SASL_FIELD_MAX || whole.consumed > size)
			abort();
	}
	net_sasl_clear(&whole.sasl);
	net_sasl_clear(&chunked.sasl);
	return 0;
}
