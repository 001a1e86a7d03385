/*
 * audit.c — one JSON audit line per Thrift call, in the spirit of Hive's HiveMetaStore.audit
 * (declared in handler.h, which says who writes it when).
 *
 * The line goes to the log at info level as "audit {...}" with principal, client (peer
 * address), method, object ("db" or "db.table" where known, else null), result ("ok" or the
 * Hive exception type), duration_ms (since the request arrived) and request_id. Built with
 * json-glib so that any principal, peer or object name is escaped: the line is meant for log
 * shippers, and names come from clients.
 */
#include "thrift/handler.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "config.h"

/* value as a JSON string literal (quoted, escaped), or null. New string. */
static char *audit_json_string(const char *value)
{
	if (value == NULL)
		return g_strdup("null");
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_VALUE);
	json_node_set_string(node, value);
	return json_to_string(node, FALSE);
}

/* Writes the audit line of call; see handler.h. */
void thrift_audit_log(const ThriftCall *call, const char *method, const char *object, const char *result, double ms)
{
	if (call == NULL || (call->config != NULL && !call->config->audit_log))
		return;
	if (call->audited)
		return; /* errors.c wrote this call's line already */
	if (object == NULL && call->audit_object[0] != '\0')
		object = call->audit_object;
	g_autofree char *principal =
		audit_json_string(call->session && call->session->principal ? call->session->principal : "anonymous");
	g_autofree char *client = audit_json_string(call->session ? call->session->peer : NULL);
	g_autofree char *meth = audit_json_string(method ? method : (call->method ? call->method : "?"));
	g_autofree char *obj = audit_json_string(object);
	g_autofree char *res = audit_json_string(result ? result : "ok");
	g_autofree char *authz = audit_json_string(catalog_authz_decision());
	/* The duration by hand: json-glib would print 0.69 as 0.68999999999999995. */
	char dur[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(dur, sizeof dur, "%.3f", ms < 0 ? 0.0 : ms);
	g_message("audit {\"principal\":%s,\"client\":%s,\"method\":%s,\"object\":%s,\"result\":%s,"
	          "\"authz\":%s,\"duration_ms\":%s,\"request_id\":%" G_GUINT64_FORMAT "}",
	          principal, client, meth, obj, res, authz, dur, call->request_id);
}

/* Notes the current call's object; see handler.h. */
void thrift_audit_note_object(const char *db, const char *table)
{
	ThriftCall *call = thrift_call_current();
	if (call == NULL || db == NULL || *db == '\0')
		return;
	if (table == NULL && call->audit_object[0] != '\0')
		return; /* keep a db.table noted earlier */
	if (table != NULL && *table != '\0')
		g_snprintf(call->audit_object, sizeof call->audit_object, "%s.%s", db, table);
	else
		g_strlcpy(call->audit_object, db, sizeof call->audit_object);
}

/* Milliseconds since the request arrived: net/ sets the deadline to arrival + request_deadline_ms. */
double thrift_audit_elapsed_ms(const ThriftCall *call)
{
	if (call == NULL || call->config == NULL || call->deadline_us == 0)
		return 0.0;
	gint64 arrived = call->deadline_us - (gint64)call->config->request_deadline_ms * 1000;
	return (g_get_monotonic_time() - arrived) / 1000.0;
}

/* Writes the audit line of a SASL login; see handler.h. */
void thrift_audit_login(const PropolisConfig *config, const char *peer, const char *mechanism, const char *authid,
                        const char *principal, const char *result)
{
	if (config != NULL && !config->audit_log)
		return;
	g_autofree char *who = audit_json_string(principal ? principal : "anonymous");
	g_autofree char *client = audit_json_string(peer);
	g_autofree char *meth = audit_json_string(mechanism);
	g_autofree char *id = audit_json_string(authid);
	g_autofree char *res = audit_json_string(result ? result : "ok");
	g_message("audit {\"principal\":%s,\"client\":%s,\"method\":%s,\"object\":null,\"authenticated_as\":%s,"
	          "\"result\":%s}",
	          who, client, meth, id, res);
}
