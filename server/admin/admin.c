/*
 * admin.c — what Propolis' own operations share: their door name, their audit line, and how a
 * request names a principal.
 *
 * The audit line is the admin counterpart of the Thrift door's (thrift/audit.c): one JSON
 * object per operation at message level, built with json-glib so names from clients are
 * escaped. It is written whether the operation succeeded or not; the Glue door's own log line
 * for a failure follows it.
 */
#include <string.h>

#include "admin/admin.h"

/* Sets the context's door for audit records. */
void admin_call_begin(GlueCall *call)
{
	call->ctx.door = "propolis";
	call->ctx.operation = call->operation;
}

/* Writes the audit line of call and passes out through; see admin.h. */
JsonObject *admin_finish(GlueCall *call, const char *object, JsonObject *out, GError **error)
{
	guint status = 0;
	const char *result = error && *error ? glue_error_type(*error, &status) : "ok";
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "door");
	json_builder_add_string_value(b, "propolis");
	json_builder_set_member_name(b, "principal");
	json_builder_add_string_value(b, call->ctx.principal ? call->ctx.principal : "anonymous");
	json_builder_set_member_name(b, "operation");
	json_builder_add_string_value(b, call->operation);
	json_builder_set_member_name(b, "object");
	if (object)
		json_builder_add_string_value(b, object);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "result");
	json_builder_add_string_value(b, result);
	json_builder_set_member_name(b, "request_id");
	json_builder_add_int_value(b, (gint64)call->ctx.request_id);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree char *line = json_to_string(root, FALSE);
	g_message("audit %s", line);
	if (error && *error && out != NULL)
		g_clear_pointer(&out, json_object_unref);
	return out;
}

/* "Name" or "Arn", exactly one of them. */
const char *admin_in_principal(GlueCall *call, GError **error)
{
	GError *e = NULL;
	const char *name = glue_in_string(call->in, "Name", FALSE, 2048, &e);
	const char *arn = e ? NULL : glue_in_string(call->in, "Arn", FALSE, 2048, &e);
	if (e != NULL) {
		g_propagate_error(error, e);
		return NULL;
	}
	if ((name == NULL) == (arn == NULL) || (name ? *name : *arn) == '\0') {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "Name the principal by exactly one of Name and Arn");
		return NULL;
	}
	return name ? name : arn;
}
