/*
 * audit.c — ListAuditEvents: the audit table of authorization decisions, page by page.
 *
 * Every door records its decisions (allowed and denied) through catalog_authz_audit; this
 * operation reads them back oldest first. A NextToken carries the last event's position,
 * HMAC-signed and bound to the operation, Since and Principal (glue/shape.c), so a client
 * cannot forge one or reuse it with other filters. A full page always has a NextToken; the
 * page after the last event is empty and has none.
 */
#include <string.h>

#include "admin/admin.h"

#define ADMIN_AUDIT_DEFAULT 100
#define ADMIN_AUDIT_MAX 1000
#define ADMIN_TIME_MAX ((gint64)1 << 40)

/* ListAuditEvents {Since?, Principal?, MaxResults?, NextToken?}: {Events: [...], NextToken?}. */
static JsonObject *admin_list_audit_events(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	gint64 since = 0, max = 0;
	const char *principal = NULL, *token = NULL;
	if (!glue_in_int(call->in, "Since", 0, ADMIN_TIME_MAX, 0, &since, error) ||
	    !glue_in_int(call->in, "MaxResults", 1, ADMIN_AUDIT_MAX, ADMIN_AUDIT_DEFAULT, &max, error) ||
	    ((principal = glue_in_string(call->in, "Principal", FALSE, 2048, error)) == NULL && *error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 4096, error)) == NULL && *error))
		return admin_finish(call, "audit", NULL, error);
	if (principal && *principal == '\0')
		principal = NULL;
	g_autofree char *scope = g_strdup_printf("%" G_GINT64_FORMAT "|%s", since, principal ? principal : "");
	g_autofree char *after = NULL;
	if (!glue_token_read(call, scope, token, &after, error))
		return admin_finish(call, "audit", NULL, error);
	gint64 after_id = after ? g_ascii_strtoll(after, NULL, 10) : 0;
	g_autoptr(GPtrArray) rows =
		catalog_audit_list(call->door->cat, &call->ctx, since, principal, after_id, (guint)max, error);
	if (rows == NULL)
		return admin_finish(call, "audit", NULL, error);
	JsonArray *events = json_array_new();
	gint64 last = after_id;
	for (guint i = 0; i < rows->len; i++) {
		JsonObject *row = g_ptr_array_index(rows, i);
		last = json_object_get_int_member_with_default(row, "Id", last);
		json_object_remove_member(row, "Id");
		json_array_add_object_element(events, json_object_ref(row));
	}
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Events", events);
	if (rows->len == (guint)max) {
		g_autofree char *pos = g_strdup_printf("%" G_GINT64_FORMAT, last);
		g_autofree char *next = glue_token_make(call, scope, pos);
		json_object_set_string_member(out, "NextToken", next);
	}
	return admin_finish(call, "audit", out, error);
}

const GlueOp admin_audit_ops[] = {
	{"ListAuditEvents", admin_list_audit_events},
	{NULL, NULL},
};
