/*
 * log.c — the log writer: "2026-11-26T05:40:00.123Z INFO message" per line on stderr.
 *
 * The threshold is set once at start by log_init() and only read afterwards.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"

static GLogLevelFlags log_threshold = G_LOG_LEVEL_INFO;

/* Maps a GLib level to our word and rank (lower = more severe). */
static const char *log_level_word(GLogLevelFlags level, int *rank)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) {
		*rank = 0;
		return "ERROR";
	}
	if (level & G_LOG_LEVEL_WARNING) {
		*rank = 1;
		return "WARNING";
	}
	if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO)) {
		*rank = 2;
		return "INFO";
	}
	*rank = 3;
	return "DEBUG";
}

static int log_threshold_rank(void)
{
	int rank;
	log_level_word(log_threshold, &rank);
	return rank;
}

static GLogWriterOutput log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
	int rank;
	const char *word = log_level_word(level, &rank);
	if (rank > log_threshold_rank())
		return G_LOG_WRITER_HANDLED;
	const char *message = NULL;
	for (gsize i = 0; i < n_fields; i++)
		if (strcmp(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");
	fprintf(stderr, "%s.%03dZ %s %s\n", ts, g_date_time_get_microsecond(now) / 1000, word,
	        message ? message : "");
	return G_LOG_WRITER_HANDLED;
}

/* Installs the writer with the given threshold. */
void log_init(const char *level)
{
	if (level && g_ascii_strcasecmp(level, "debug") == 0)
		log_threshold = G_LOG_LEVEL_DEBUG;
	else if (level && g_ascii_strcasecmp(level, "warning") == 0)
		log_threshold = G_LOG_LEVEL_WARNING;
	else if (level && g_ascii_strcasecmp(level, "error") == 0)
		log_threshold = G_LOG_LEVEL_CRITICAL;
	else
		log_threshold = G_LOG_LEVEL_INFO;
	g_log_set_writer_func(log_writer, NULL, NULL);
}

gboolean log_debug_enabled(void)
{
	return log_threshold == G_LOG_LEVEL_DEBUG;
}

/* Escapes untrusted bytes for a log line, cut at max bytes. */
char *log_escape(const guint8 *data, gsize len, gsize max)
{
	GString *s = g_string_new(NULL);
	for (gsize i = 0; i < len && i < max; i++) {
		if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\')
			g_string_append_c(s, (char)data[i]);
		else
			g_string_append_printf(s, "\\x%02x", data[i]);
	}
	if (len > max)
		g_string_append(s, "...");
	return g_string_free(s, FALSE);
}
