/*
 * log.h — one line per event on stderr: time, level, message.
 *
 * log_init() installs a GLib log writer; lines about a request carry "req=<id>" and lines
 * from net/ carry "conn=<id> peer=<addr>", put there by the caller. Thread-safe (GLib
 * serialises writers). log_escape() makes untrusted bytes printable for logs.
 */
#ifndef PROPOLIS_COMMON_LOG_H
#define PROPOLIS_COMMON_LOG_H

#include <glib.h>

G_BEGIN_DECLS

/* Installs the writer; level is "error", "warning", "info" or "debug" (unknown = info). */
void log_init(const char *level);

/* TRUE when debug lines are written (to skip building them otherwise). */
gboolean log_debug_enabled(void);

/* At most max bytes of data, escaped (\xNN for non-printables), as a new string. */
char *log_escape(const guint8 *data, gsize len, gsize max);

G_END_DECLS

#endif
