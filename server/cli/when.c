/*
 * when.c — times and durations as people type them on the command line.
 *
 * A time is epoch seconds (all digits: "1714557600", "0"), ISO-8601 ("2024-05-01T10:00:00Z", offsets allowed;
 * without a zone it is UTC; a bare date is its midnight UTC) or a duration before now ("1h",
 * "2d", "1h30m"). A duration is a sequence of <number><unit> with units s, m, h, d, w; a bare
 * number is seconds. Pure functions: "now" is passed in.
 */
#include <string.h>

#include "cli/cli.h"

/* Seconds in a duration; see cli.h. */
gboolean cli_parse_duration(const char *text, gint64 *out, GError **error)
{
	gint64 total = 0;
	const char *p = text;
	gboolean any = FALSE;
	while (p && g_ascii_isdigit(*p)) {
		char *end = NULL;
		guint64 v = g_ascii_strtoull(p, &end, 10);
		if (end == p || v > G_MAXINT32)
			break;
		gint64 unit = *end == 's' || *end == '\0' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400
		            : *end == 'w'                                   ? 604800
		                                                            : 0;
		if (unit == 0)
			break;
		total += (gint64)v * unit;
		any = TRUE;
		p = *end ? end + 1 : end;
	}
	if (!any || (p && *p)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
		            "'%s' is not a duration (examples: 90, 90s, 15m, 1h30m, 2d, 1w)", text);
		return FALSE;
	}
	*out = total;
	return TRUE;
}

/* Epoch seconds of a time; see cli.h. */
gboolean cli_parse_time(const char *text, gint64 now, gint64 *out, GError **error)
{
	char *end = NULL;
	guint64 v = g_ascii_strtoull(text, &end, 10);
	if (end != text && *end == '\0') {
		*out = (gint64)v;
		return TRUE;
	}
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autofree char *iso = strlen(text) == 10 && text[4] == '-' ? g_strconcat(text, "T00:00:00Z", NULL)
	                                                            : g_strdup(text);
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, utc);
	if (dt != NULL) {
		*out = g_date_time_to_unix(dt);
		return TRUE;
	}
	gint64 ago = 0;
	if (g_ascii_isdigit(*text) && !g_ascii_isdigit(text[strlen(text) - 1]) && cli_parse_duration(text, &ago, NULL)) {
		*out = MAX(now - ago, 0);
		return TRUE;
	}
	g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
	            "'%s' is not a time: give epoch seconds, ISO-8601 (2024-05-01T10:00:00Z) or a duration ago (1h)", text);
	return FALSE;
}
