/*
 * stream.h — partition listings encoded and sent batch by batch (see stream.c).
 *
 * Called by the door on a worker thread, inside a call (thrift_call_current() is set).
 * Ownership: nothing returned; the reply bytes go into reply or straight to the socket.
 */
#ifndef PROPOLIS_THRIFT_STREAM_H
#define PROPOLIS_THRIFT_STREAM_H

#include "net/net.h"
#include "thrift/handler.h"

G_BEGIN_DECLS

typedef enum {
	STREAM_DONE,     /* the whole reply was written (and partly sent) */
	STREAM_FALLBACK, /* nothing written: run the method through the generated processor */
	STREAM_ERROR,    /* the reply broke off after its header: close the connection */
} ThriftStreamResult;

/* TRUE for the listing methods that stream. */
gboolean thrift_stream_handles(const char *method);

/* Answers one call of a streaming method from msg (the whole message) into reply. */
ThriftStreamResult thrift_stream_run(ThriftCall *call, const char *method, gint32 seqid, const guint8 *msg,
                                     gsize len, GByteArray *reply, const NetRequestInfo *info);

G_END_DECLS

#endif
