/*
 * errors.c — the one table from catalog error codes to Hive exceptions.
 *
 * Each CatalogErrorCode names the exception Hive would throw; a method that does not declare
 * that exception gets the next best it declares (MetaException last), and a method that
 * declares none (get_table_objects_by_name) gets a TApplicationException. The door logs
 * each error here, once, with its request id.
 */
#include "thrift/handler.h"

#include <thrift/c_glib/thrift_application_exception.h>

#include <string.h>

#include "common/error.h"

typedef enum { SLOT_NO_SUCH, SLOT_EXISTS, SLOT_INVALID_OBJECT, SLOT_INVALID_OP, SLOT_UNKNOWN_TABLE, SLOT_META } Slot;

/* Preference order per code; SLOT_META ends each row. */
static const struct {
	CatalogErrorCode code;
	Slot slots[3];
} error_table[] = {
	{CATALOG_ERROR_NOT_FOUND, {SLOT_NO_SUCH, SLOT_UNKNOWN_TABLE, SLOT_META}},
	{CATALOG_ERROR_ALREADY_EXISTS, {SLOT_EXISTS, SLOT_META, SLOT_META}},
	{CATALOG_ERROR_INVALID_OBJECT, {SLOT_INVALID_OBJECT, SLOT_META, SLOT_META}},
	{CATALOG_ERROR_INVALID_OPERATION, {SLOT_INVALID_OP, SLOT_META, SLOT_META}},
	{CATALOG_ERROR_INVALID_INPUT, {SLOT_META, SLOT_META, SLOT_META}},
	{CATALOG_ERROR_ACCESS_DENIED, {SLOT_META, SLOT_META, SLOT_META}},
	{CATALOG_ERROR_CONFLICT, {SLOT_META, SLOT_META, SLOT_META}},
	{CATALOG_ERROR_UNAVAILABLE, {SLOT_META, SLOT_META, SLOT_META}},
	{CATALOG_ERROR_INTERNAL, {SLOT_META, SLOT_META, SLOT_META}},
};

/* A new exception object of type carrying message (every Hive exception has `message`). */
gpointer thrift_error_new_exception(GType type, const char *message)
{
	return g_object_new(type, "message", message ? message : "", NULL);
}

/* Fills the slot if the method declares it; TRUE when it did. */
static gboolean fill_slot(Slot slot, const ThriftErrOut *out, const char *msg)
{
	gpointer *dst = NULL;
	GType type = G_TYPE_INVALID;
	switch (slot) {
	case SLOT_NO_SUCH: dst = (gpointer *)out->no_such; type = TYPE_NO_SUCH_OBJECT_EXCEPTION; break;
	case SLOT_EXISTS: dst = (gpointer *)out->exists; type = TYPE_ALREADY_EXISTS_EXCEPTION; break;
	case SLOT_INVALID_OBJECT: dst = (gpointer *)out->invalid_object; type = TYPE_INVALID_OBJECT_EXCEPTION; break;
	case SLOT_INVALID_OP: dst = (gpointer *)out->invalid_op; type = TYPE_INVALID_OPERATION_EXCEPTION; break;
	case SLOT_UNKNOWN_TABLE: dst = (gpointer *)out->unknown_table; type = TYPE_UNKNOWN_TABLE_EXCEPTION; break;
	case SLOT_META: dst = (gpointer *)out->meta; type = TYPE_META_EXCEPTION; break;
	}
	if (dst == NULL)
		return FALSE;
	*dst = thrift_error_new_exception(type, msg);
	return TRUE;
}

static const char *slot_name(Slot s)
{
	static const char *const names[] = {"NoSuchObjectException", "AlreadyExistsException", "InvalidObjectException",
	                                    "InvalidOperationException", "UnknownTableException", "MetaException"};
	return names[s];
}

/* Writes the call's audit line with the exception it answers (once per call). */
static void thrift_error_audit(ThriftCall *call, const char *exception)
{
	if (call == NULL || call->audited)
		return;
	thrift_audit_log(call, call->method, NULL, exception, thrift_audit_elapsed_ms(call));
	call->audited = TRUE;
}

/* See handler.h. Consumes err; always returns FALSE. */
gboolean thrift_error_raise(GError *err, const ThriftErrOut *out, GError **error)
{
	ThriftCall *call = thrift_call_current();
	const Slot *slots = NULL;
	static const Slot meta_only[3] = {SLOT_META, SLOT_META, SLOT_META};
	if (err->domain == CATALOG_ERROR)
		for (guint i = 0; i < G_N_ELEMENTS(error_table); i++)
			if (error_table[i].code == (CatalogErrorCode)err->code)
				slots = error_table[i].slots;
	if (slots == NULL)
		slots = meta_only;
	/* Hive messages are one line; the detail after "\n" stays in our log only. */
	g_autofree char *msg = g_strdup(err->message);
	char *nl = strchr(msg, '\n');
	if (nl)
		*nl = '\0';
	const char *code = err->domain == CATALOG_ERROR ? catalog_error_code_name(err->code) : g_quark_to_string(err->domain);
	for (guint i = 0; i < 3; i++) {
		if (fill_slot(slots[i], out, msg)) {
			g_message("request %" G_GUINT64_FORMAT " %s: %s → %s: %s", call ? call->request_id : 0,
			          call && call->method ? call->method : "?", code, slot_name(slots[i]), err->message);
			thrift_error_audit(call, slot_name(slots[i]));
			g_error_free(err);
			return FALSE;
		}
	}
	g_message("request %" G_GUINT64_FORMAT " %s: %s → TApplicationException: %s", call ? call->request_id : 0,
	          call && call->method ? call->method : "?", code, err->message);
	thrift_error_audit(call, "TApplicationException");
	g_set_error_literal(error, THRIFT_APPLICATION_EXCEPTION_ERROR, THRIFT_APPLICATION_EXCEPTION_ERROR_INTERNAL_ERROR, msg);
	g_error_free(err);
	return FALSE;
}
