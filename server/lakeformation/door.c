/*
 * door.c — the Lake Formation door's request path: operation, SigV4, JSON, dispatch, response.
 *
 * Lake Formation is REST-JSON: every operation is POST /<Op> with a JSON body. The order is
 * the Glue door's: a path that names no operation, or a content type that is not JSON, is
 * refused before authentication; nothing runs before the signature (over the body) verifies;
 * the body's nesting is bounded before json-glib sees it (glue_parse_body). Any signing name
 * is accepted, as on the Glue door (AWS SDKs sign as `lakeformation`, Propolis' CLI as
 * `propolis`). Every error is logged once here and answered through errors.c.
 */
#include <string.h>

#include "auth/sigv4.h"
#include "common/metrics.h"
#include "lakeformation/internal.h"

static volatile gint lf_request_ids;

static const GlueOp *const lf_tables[] = {lf_permission_ops, lf_settings_ops, lf_resource_ops, NULL};

/* The operation a path names ("/GrantPermissions"), or NULL; *op points into the path. */
static GlueOpFn lf_find_op(const char *path, const char **op)
{
	*op = path[0] == '/' ? path + 1 : path;
	for (guint t = 0; lf_tables[t]; t++)
		for (const GlueOp *o = lf_tables[t]; o->name; o++)
			if (strcmp(o->name, *op) == 0)
				return o->fn;
	return NULL;
}

/* See lakeformation.h: the dispatch tables' names, for the authorization table's completeness test. */
GPtrArray *lf_door_op_names(void)
{
	GPtrArray *out = g_ptr_array_new();
	for (const GlueOp *const *t = lf_tables; *t; t++)
		for (const GlueOp *o = *t; o->name; o++)
			g_ptr_array_add(out, (gpointer)o->name);
	return out;
}

/* Checks the operation and content type; returns the operation name (borrowed from the path). */
static const char *lf_route(const HttpRequest *req, GlueOpFn *fn, GError **error)
{
	SigV4Request sreq = {.hdr_names = req->hdr_names, .hdr_values = req->hdr_values, .n_headers = req->n_headers};
	const char *ctype = sigv4_header(&sreq, "content-type");
	const char *op = NULL;
	if ((*fn = lf_find_op(req->path, &op)) == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unknown or unsupported operation %.64s", req->path);
		return NULL;
	}
	/* The SDKs send application/json; JSON 1.1 is accepted too. No type at all only without a body. */
	gboolean json = ctype ? g_str_has_prefix(ctype, "application/json") ||
	                            g_str_has_prefix(ctype, "application/x-amz-json-1.1")
	                      : req->body_len == 0;
	if (!json) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Content-Type must be application/json");
		return NULL;
	}
	return op;
}

/* Fills resp with a 200 JSON body. */
static void lf_respond_ok(JsonObject *out, HttpResponse *resp)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(node, out);
	resp->status = 200;
	resp->content_type = "application/json";
	resp->body = json_to_string(node, FALSE);
	resp->body_len = strlen(resp->body);
}

/* Serves one POST /<Op>; see lakeformation.h. */
void lf_door_handle(GlueDoor *door, const HttpRequest *req, HttpResponse *resp)
{
	gint64 t0 = g_get_monotonic_time();
	guint64 rid = (guint64)g_atomic_int_add(&lf_request_ids, 1) + 1;
	const PropolisConfig *config = door->config;
	GError *error = NULL;
	GlueOpFn fn = NULL;
	AuthPrincipal principal = {0};
	g_autoptr(JsonObject) in = NULL, out = NULL;
	const char *op = lf_route(req, &fn, &error);
	metrics_call_begin("lakeformation", op);
	if (op != NULL && glue_authenticate(door, req, &principal, &error) && (in = glue_parse_body(door, req, &error))) {
		GlueCall call = {door, {principal.arn, rid, 0, "lakeformation", op}, op, in, NULL};
		call.ctx.deadline_us = g_get_monotonic_time() + (gint64)config->request_deadline_ms * 1000;
		out = fn(&call, &error);
		g_free(call.catalog);
	}
	if (out != NULL) {
		lf_respond_ok(out, resp);
		metrics_request_observe("lakeformation", op, "ok", g_get_monotonic_time() - t0);
		g_debug("lakeformation req=%" G_GUINT64_FORMAT " peer=%s %s by %s: ok", rid, req->peer, op, principal.arn);
	} else {
		guint status = 0;
		const char *type = lf_error_type(error, &status);
		g_message("lakeformation req=%" G_GUINT64_FORMAT " peer=%s %s by %s: %s: %s", rid, req->peer,
		          op ? op : "-", principal.arn ? principal.arn : "-", type, error->message);
		lf_error_respond(error, resp);
		metrics_request_observe("lakeformation", op, type, g_get_monotonic_time() - t0);
		g_error_free(error);
	}
	auth_principal_clear(&principal);
}
