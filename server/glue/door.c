/*
 * door.c — the Glue door's request path: target, SigV4, JSON, dispatch, response.
 *
 * Targets are AWSGlue.<Op> and Propolis' own Propolis.<Op> (admin/, same path and errors).
 * Order matters and is AWS's: an unknown X-Amz-Target or content type is refused before
 * authentication; a request whose signature does not verify does nothing; the body is
 * parsed only after the signature (which covers it) verified, and its nesting is bounded
 * before json-glib sees it. Every error is logged once here and answered through errors.c.
 */
#include <string.h>

#include "admin/admin.h"
#include "auth/sigv4.h"
#include "common/metrics.h"
#include "glue/internal.h"
#include "common/json.h"
#include "lakeformation/lakeformation.h"

#define GLUE_TARGET_PREFIX "AWSGlue."

static volatile gint glue_request_ids;

/* A new door over the catalog and key ring. */
GlueDoor *glue_door_new(Catalog *cat, AuthKeyring *keyring, const PropolisConfig *config)
{
	GlueDoor *door = g_new0(GlueDoor, 1);
	door->cat = cat;
	door->keyring = keyring;
	door->config = config;
	return door;
}

void glue_door_free(GlueDoor *door)
{
	g_free(door);
}

/* TRUE when PostgreSQL answers. */
gboolean glue_door_healthy(gpointer user)
{
	GlueDoor *door = user;
	return catalog_ping(door->cat, NULL);
}

/* The operation tables of each target prefix, NULL-terminated. */
static const GlueOp *const glue_tables[] = {glue_database_ops,   glue_table_ops,      glue_function_ops,
                                            glue_partition_ops,  glue_stats_ops,      glue_connection_ops,
                                            glue_search_ops,     glue_partition_index_ops, NULL};
static const GlueOp *const admin_tables[] = {admin_principal_ops, admin_audit_ops, admin_lock_ops, NULL};

/* The operation target names ("AWSGlue.<Op>", or Propolis' own "Propolis.<Op>", admin/), or NULL; *op = <Op>. */
static GlueOpFn glue_find_op(const char *target, const char **op)
{
	const GlueOp *const *tables = g_str_has_prefix(target, GLUE_TARGET_PREFIX)    ? glue_tables
	                              : g_str_has_prefix(target, ADMIN_TARGET_PREFIX) ? admin_tables
	                                                                              : NULL;
	*op = tables ? strchr(target, '.') + 1 : NULL;
	for (guint t = 0; tables && tables[t]; t++)
		for (const GlueOp *o = tables[t]; o->name; o++)
			if (strcmp(o->name, *op) == 0)
				return o->fn;
	return NULL;
}

/* See glue.h: the dispatch tables' names, for the authorization table's completeness test. */
GPtrArray *glue_door_op_names(gboolean admin)
{
	GPtrArray *out = g_ptr_array_new();
	for (const GlueOp *const *t = admin ? admin_tables : glue_tables; *t; t++)
		for (const GlueOp *o = *t; o->name; o++)
			g_ptr_array_add(out, (gpointer)o->name);
	return out;
}

/* The request body as a JSON object (an empty body is {}); also the Lake Formation door's. */
JsonObject *glue_parse_body(GlueDoor *door, const HttpRequest *req, GError **error)
{
	if (req->body_len == 0)
		return json_object_new();
	g_autoptr(JsonNode) root =
		json_client_parse((const char *)req->body, req->body_len, door->config->json_max_depth, error);
	if (root == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The request body must be a JSON object");
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

/* Verifies the SigV4 signature; fills *principal. Also the Lake Formation door's. */
gboolean glue_authenticate(GlueDoor *door, const HttpRequest *req, AuthPrincipal *principal, GError **error)
{
	SigV4Request sreq = {req->method, req->path,      req->query, req->hdr_names, req->hdr_values,
	                     req->n_headers, req->body, req->body_len};
	const char *authz = sigv4_header(&sreq, "authorization");
	if (authz == NULL) {
		g_set_error_literal(error, AUTH_ERROR, AUTH_ERROR_MISSING, "Missing Authentication Token");
		return FALSE;
	}
	g_auto(SigV4Auth) auth = {0};
	if (!sigv4_parse_authorization(authz, &auth, error))
		return FALSE;
	g_autofree char *secret = NULL;
	if (!auth_keyring_lookup(door->keyring, auth.access_key_id, principal, &secret, error))
		return FALSE;
	gboolean ok = sigv4_verify(&sreq, &auth, secret, g_get_real_time() / G_USEC_PER_SEC, error);
	memset(secret, 0, strlen(secret));
	return ok;
}

/* Fills resp with a 200 JSON body. */
static void glue_respond_ok(JsonObject *out, HttpResponse *resp)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(node, out);
	resp->status = 200;
	resp->content_type = "application/x-amz-json-1.1";
	resp->body = json_to_string(node, FALSE);
	resp->body_len = strlen(resp->body);
}

/* Checks target and content type; returns the operation name (borrowed from the header). */
const char *glue_target(const HttpRequest *req, GlueOpFn *fn, GError **error)
{
	SigV4Request sreq = {.hdr_names = req->hdr_names, .hdr_values = req->hdr_values, .n_headers = req->n_headers};
	const char *target = sigv4_header(&sreq, "x-amz-target");
	const char *ctype = sigv4_header(&sreq, "content-type");
	const char *op = NULL;
	if (target == NULL || (*fn = glue_find_op(target, &op)) == NULL) {
		/* the header is raw client bytes: at most 64 of them, escaped, reach the log and the answer */
		g_autofree char *cut = g_strndup(target ? target : "(no X-Amz-Target)", 64);
		g_autofree char *shown = g_strescape(cut, NULL);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unknown or unsupported operation %s", shown);
		return NULL;
	}
	if (ctype == NULL || !g_str_has_prefix(ctype, "application/x-amz-json-1.1")) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Content-Type must be application/x-amz-json-1.1");
		return NULL;
	}
	return op;
}

/*
 * What follows a verified signature: the body parsed and operation fn run as principal. The
 * response object (new), or NULL with error. Everything the door does to the untrusted body
 * happens here, which is why tests/fuzz/fuzz_glue_request.c drives it.
 */
JsonObject *glue_door_run(GlueDoor *door, GlueOpFn fn, const char *op, const char *principal, guint64 rid,
                          const HttpRequest *req, GError **error)
{
	g_autoptr(JsonObject) in = glue_parse_body(door, req, error);
	if (in == NULL)
		return NULL;
	GlueCall call = {door, {principal, rid, 0, "glue", op}, op, in, NULL};
	call.ctx.deadline_us = g_get_monotonic_time() + (gint64)door->config->request_deadline_ms * 1000;
	JsonObject *out = fn(&call, error);
	g_free(call.catalog);
	return out;
}

/* Serves one POST /. */
void glue_door_handle(gpointer user, const HttpRequest *req, HttpResponse *resp)
{
	GlueDoor *door = user;
	if (strcmp(req->path, "/") != 0) {
		lf_door_handle(door, req, resp); /* Lake Formation: POST /<Op> */
		return;
	}
	gint64 t0 = g_get_monotonic_time();
	guint64 rid = (guint64)g_atomic_int_add(&glue_request_ids, 1) + 1;
	catalog_authz_decision_reset();
	GError *error = NULL;
	GlueOpFn fn = NULL;
	AuthPrincipal principal = {0};
	g_autoptr(JsonObject) out = NULL;
	const char *op = glue_target(req, &fn, &error);
	metrics_call_begin("glue", op);
	if (op != NULL && glue_authenticate(door, req, &principal, &error))
		out = glue_door_run(door, fn, op, principal.arn, rid, req, &error);
	if (out != NULL) {
		glue_respond_ok(out, resp);
		metrics_request_observe("glue", op, "ok", g_get_monotonic_time() - t0);
		/* One line per call, like the Thrift door's audit line, with the authorization decision. */
		if (door->config->audit_log)
			g_message("glue req=%" G_GUINT64_FORMAT " peer=%s %s by %s: ok; authz: %s", rid, req->peer, op,
			          principal.arn, catalog_authz_decision() ? catalog_authz_decision() : "none");
	} else {
		guint status = 0;
		const char *type = glue_error_type(error, &status);
		g_message("glue req=%" G_GUINT64_FORMAT " peer=%s %s by %s: %s: %s; authz: %s", rid, req->peer,
		          op ? op : "-", principal.arn ? principal.arn : "-", type, error->message,
		          catalog_authz_decision() ? catalog_authz_decision() : "none");
		glue_error_respond(error, resp);
		metrics_request_observe("glue", op, type, g_get_monotonic_time() - t0);
		g_error_free(error);
	}
	auth_principal_clear(&principal);
}
