/*
 * audit.c — `propolis audit [--since T] [--principal P]`: the audit table of authorization
 * decisions through Propolis.ListAuditEvents, every page, oldest first.
 *
 * --since defaults to the last 24 hours; T is epoch seconds, ISO-8601 or a duration ago
 * (when.c). --principal is passed as given: the server matches an ARN, or a name against the
 * end of the ARNs (Thrift principals without an ARN match by name).
 */
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
	g_autofree char *since = NULL, *principal = NULL;
	const GOptionEntry entries[] = {
		{"since", 0, 0, G_OPTION_ARG_STRING, &since,
		 "From time T: epoch seconds, ISO-8601 or a duration ago like 1h (default 24h)", "T"},
		{"principal", 0, 0, G_OPTION_ARG_STRING, &principal, "Only this principal's decisions", "NAME|ARN"},
		G_OPTION_ENTRY_NULL,
	};
	if (!cli_parse(g, &argc, &argv, entries, "",
	               "Lists authorization decisions (who, what, allowed or denied, why), oldest first.", 0, error))
		return FALSE;
	gint64 from = 0;
	if (!cli_parse_time(since ? since : CLI_AUDIT_DEFAULT_SINCE, g_get_real_time() / G_USEC_PER_SEC, &from, error))
		return FALSE;
	g_autoptr(JsonObject) body = json_object_new();
	json_object_set_int_member(body, "Since", from);
	json_object_set_int_member(body, "MaxResults", 1000);
	if (principal != NULL)
		json_object_set_string_member(body, "Principal", principal);
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
	cli_print(g, result, "Events", cols, G_N_ELEMENTS(cols));
	return TRUE;
}
