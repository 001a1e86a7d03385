/*
 * audit.c — ListAuditEvents: the audit table of authorization decisions, page by page.
 *
 * Every door records its decisions (allowed and denied) through catalog_authz_audit; this
 * operation reads them back oldest first. A NextToken carries the last event's position,
 * HMAC-signed and bound to the operation and every filter (glue/shape.c), so a client
 * cannot forge one or reuse it with other filters. A full page always has a NextToken; the
 * page after the last event is empty and has none.
 */
#include <string.h>

#include "admin/admin.h"

#define ADMIN_AUDIT_DEFAULT 100
#define ADMIN_AUDIT_MAX 1000
#define ADMIN_TIME_MAX ((gint64)1 << 40)

/* Reads ListAuditEvents' filters into f (strings borrowed from call->in); FALSE with error. */
static gboolean admin_audit_filter(GlueCall *call, StoreAuditFilter *f, GError **error)
{
	GError *e = NULL;
	if (!glue_in_int(call->in, "Since", 0, ADMIN_TIME_MAX, 0, &f->since_s, error))
		return FALSE;
	f->principal = glue_in_string(call->in, "Principal", FALSE, 2048, &e);
	f->operation = e ? NULL : glue_in_string(call->in, "Operation", FALSE, 256, &e);
	f->resource = e ? NULL : glue_in_string(call->in, "Resource", FALSE, 2048, &e);
	JsonNode *denied = e ? NULL : json_object_get_member(call->in, "DeniedOnly");
	if (denied && !(JSON_NODE_HOLDS_VALUE(denied) && json_node_get_value_type(denied) == G_TYPE_BOOLEAN))
		g_set_error_literal(&e, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "DeniedOnly must be a boolean");
	if (e != NULL) {
		g_propagate_error(error, e);
		return FALSE;
	}
	f->denied_only = denied && json_node_get_boolean(denied);
	if (f->principal && *f->principal == '\0')
		f->principal = NULL;
	if (f->operation && *f->operation == '\0')
		f->operation = NULL;
	if (f->resource && *f->resource == '\0')
		f->resource = NULL;
	return TRUE;
}

/* ListAuditEvents {Since?, Principal?, DeniedOnly?, Operation?, Resource?, MaxResults?, NextToken?}: {Events: [...], NextToken?}. */
static JsonObject *admin_list_audit_events(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	gint64 max = 0;
	const char *token = NULL;
	StoreAuditFilter f = {0};
	if (!admin_audit_filter(call, &f, error) ||
	    !glue_in_int(call->in, "MaxResults", 1, ADMIN_AUDIT_MAX, ADMIN_AUDIT_DEFAULT, &max, error) ||
	    ((token = glue_in_string(call->in, "NextToken", FALSE, 4096, error)) == NULL && *error))
		return admin_finish(call, "audit", NULL, error);
	g_autofree char *scope = g_strdup_printf("%" G_GINT64_FORMAT "|%s|%d|%s|%s", f.since_s,
	                                         f.principal ? f.principal : "", f.denied_only,
	                                         f.operation ? f.operation : "", f.resource ? f.resource : "");
	g_autofree char *after = NULL;
	if (!glue_token_read(call, scope, token, &after, error))
		return admin_finish(call, "audit", NULL, error);
	gint64 after_id = after ? g_ascii_strtoll(after, NULL, 10) : 0;
	g_autoptr(GPtrArray) rows =
		catalog_audit_list(call->door->cat, &call->ctx, &f, after_id, (guint)max, error);
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
