/*
 * audit.c — `propolis audit [--since T] [--principal P] [--denied-only] [--operation OP]
 * [--resource TEXT] [--format jsonl]`: the audit table of authorization decisions through
 * Propolis.ListAuditEvents (filters applied by the server), every page, oldest first; jsonl
 * prints one event a line for export.
 *
 * --since defaults to the last 24 hours; T is epoch seconds, ISO-8601 or a duration ago
 * (when.c). --principal is passed as given: the server matches an ARN, or a name against the
 * end of the ARNs (Thrift principals without an ARN match by name).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define CLI_AUDIT_DEFAULT_SINCE "24h"

/* audit [--since T] [--principal P] */
gboolean cli_audit(CliGlobal *g, int argc, char **argv, GError **error)
{
	static const CliColumn cols[] = {
		{"TIME", "Time", NULL, TRUE},           {"PRINCIPAL", "Principal", NULL, FALSE},
		{"DOOR", "Door", NULL, FALSE},          {"OPERATION", "Operation", NULL, FALSE},
		{"RESOURCE", "Resource", NULL, FALSE},  {"PERMISSION", "Permission", NULL, FALSE},
		{"ALLOWED", "Allowed", NULL, FALSE},    {"REASON", "Reason", NULL, FALSE},
	};
	g_autofree char *since = NULL, *principal = NULL, *operation = NULL, *resource = NULL, *format = NULL;
	gboolean denied_only = FALSE;
	const GOptionEntry entries[] = {
		{"denied-only", 0, 0, G_OPTION_ARG_NONE, &denied_only, "Only refusals", NULL},
		{"operation", 0, 0, G_OPTION_ARG_STRING, &operation, "Only this operation (GetTable, get_table, ...)", "OP"},
		{"resource", 0, 0, G_OPTION_ARG_STRING, &resource, "Only resources containing this text (table db.t)", "TEXT"},
		{"format", 0, 0, G_OPTION_ARG_STRING, &format,
		 "jsonl: one JSON event a line, for export (default: --output)", "jsonl"},
		{"since", 0, 0, G_OPTION_ARG_STRING, &since,
		 "From time T: epoch seconds, ISO-8601 or a duration ago like 1h (default 24h)", "T"},
		{"principal", 0, 0, G_OPTION_ARG_STRING, &principal, "Only this principal's decisions", "NAME|ARN"},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "",
	               "Lists authorization decisions (who, what, allowed or denied, why), oldest first\n"
	               "(Propolis.ListAuditEvents, every page; the filters apply on the server). Data lake\n"
	               "administrators only.",
	               0, error))
		return FALSE;
	if (format != NULL && strcmp(format, "jsonl") != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--format takes jsonl, not '%s'", format);
		return FALSE;
	}
	gint64 from = 0;
	if (!cli_parse_time(since ? since : CLI_AUDIT_DEFAULT_SINCE, g_get_real_time() / G_USEC_PER_SEC, &from, error))
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_int_member(body, "Since", from);
	json_object_set_int_member(body, "MaxResults", 1000);
	if (principal != NULL)
		json_object_set_string_member(body, "Principal", principal);
	if (denied_only)
		json_object_set_boolean_member(body, "DeniedOnly", TRUE);
	if (operation != NULL)
		json_object_set_string_member(body, "Operation", operation);
	if (resource != NULL)
		json_object_set_string_member(body, "Resource", resource);
	JsonArray *all = json_array_new();
	g_autoptr(JsonObject) result = json_object_new();
	json_object_set_array_member(result, "Events", all);
	for (;;) {
		g_autoptr(JsonObject) answer = cli_call_propolis(g, "ListAuditEvents", body, error);
		if (answer == NULL)
			return FALSE;
		JsonArray *events = json_object_has_member(answer, "Events") ? json_object_get_array_member(answer, "Events")
		                                                             : NULL;
		for (guint i = 0; events && i < json_array_get_length(events); i++)
			json_array_add_element(all, json_node_copy(json_array_get_element(events, i)));
		const char *next = json_object_get_string_member_with_default(answer, "NextToken", NULL);
		if (next == NULL || *next == '\0')
			break;
		json_object_set_string_member(body, "NextToken", next);
	}
	if (format != NULL) {
		for (guint i = 0; i < json_array_get_length(all); i++) {
			g_autofree char *line = json_to_string(json_array_get_element(all, i), FALSE);
			printf("%s\n", line);
		}
		return TRUE;
	}
	cli_print(g, result, "Events", cols, G_N_ELEMENTS(cols));
	return TRUE;
}
