/*
 * lock.c — ListLocks and ReleaseLock: the Hive locks an operator must be able to see and clear
 * (Iceberg's HiveCatalog commit locks left by dead writers block a table until they expire).
 *
 * Both expire what stopped heartbeating first (catalog_acid_begin, as every lock call does),
 * so a listed lock is live. Rows are one per lock component (a lock request may name several
 * objects), with Hive's enums as names and times as epoch seconds. Both write the audit line.
 */
#include <string.h>

#include "admin/admin.h"

#define ADMIN_AGE_MAX ((gint64)1 << 40)

static const char *const admin_lock_types[] = {NULL, "SHARED_READ", "SHARED_WRITE", "EXCLUSIVE", "EXCL_WRITE"};
static const char *const admin_lock_states[] = {NULL, "ACQUIRED", "WAITING", "ABORT", "NOT_ACQUIRED"};

/* The name of enum value v in names (n entries), or "UNKNOWN". */
static const char *admin_enum_name(const char *const *names, gsize n, gint64 v)
{
	return v > 0 && (gsize)v < n ? names[v] : "UNKNOWN";
}

/* Copies string member from → to of row into out, when present. */
static void admin_copy_string(JsonObject *out, const char *to, JsonObject *row, const char *from)
{
	const char *v = json_object_get_string_member_with_default(row, from, NULL);
	if (v != NULL)
		json_object_set_string_member(out, to, v);
}

/* Epoch milliseconds member from of row as epoch seconds in out, when present. */
static void admin_copy_time(JsonObject *out, const char *to, JsonObject *row, const char *from)
{
	if (json_object_has_member(row, from))
		json_object_set_double_member(out, to, (double)json_object_get_int_member(row, from) / 1000.0);
}

/* One ListLocks entry from a store_lock_list_aged row. */
static JsonObject *admin_lock_entry(JsonObject *row)
{
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, "LockId", json_object_get_int_member_with_default(row, "lockid", 0));
	admin_copy_string(o, "Database", row, "dbname");
	admin_copy_string(o, "Table", row, "tablename");
	admin_copy_string(o, "Partition", row, "partname");
	json_object_set_string_member(o, "Type", admin_enum_name(admin_lock_types, G_N_ELEMENTS(admin_lock_types),
	                                                         json_object_get_int_member_with_default(row, "type", 0)));
	json_object_set_string_member(o, "State",
	                              admin_enum_name(admin_lock_states, G_N_ELEMENTS(admin_lock_states),
	                                              json_object_get_int_member_with_default(row, "state", 0)));
	admin_copy_string(o, "User", row, "user");
	admin_copy_string(o, "Host", row, "hostname");
	admin_copy_string(o, "AgentInfo", row, "agentInfo");
	admin_copy_string(o, "Owner", row, "owner"); /* the authenticated principal's ARN; absent before 0013 */
	json_object_set_int_member(o, "TxnId", json_object_get_int_member_with_default(row, "txnid", 0));
	admin_copy_time(o, "AcquiredAt", row, "acquiredat");
	admin_copy_time(o, "LastHeartbeat", row, "lastheartbeat");
	json_object_set_int_member(o, "AgeSeconds", json_object_get_int_member_with_default(row, "age_s", 0));
	return o;
}

/*
 * ListLocks {Database?, Table?, OlderThanSeconds?}: {Locks: [...]}. Table alone may be
 * "DB.TABLE"; a table's list includes its database's whole-database locks.
 */
static JsonObject *admin_list_locks(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	gint64 older = 0;
	const char *db = glue_in_string(call->in, "Database", FALSE, 255, error);
	const char *tbl = *error ? NULL : glue_in_string(call->in, "Table", FALSE, 511, error);
	if (*error || !glue_in_int(call->in, "OlderThanSeconds", 0, ADMIN_AGE_MAX, 0, &older, error))
		return admin_finish(call, "locks", NULL, error);
	g_autofree char *db_part = NULL;
	const char *dot = tbl && db == NULL ? strchr(tbl, '.') : NULL;
	if (dot != NULL) {
		db = db_part = g_strndup(tbl, (gsize)(dot - tbl));
		tbl = dot + 1;
	}
	if (tbl != NULL && (db == NULL || *db == '\0' || *tbl == '\0')) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		            "Table needs a Database (or the form DATABASE.TABLE): '%.64s'", tbl);
		return admin_finish(call, "locks", NULL, error);
	}
	g_autoptr(JsonArray) rows = catalog_lock_list_aged(call->door->cat, &call->ctx, db, tbl, older, error);
	if (rows == NULL)
		return admin_finish(call, "locks", NULL, error);
	JsonArray *locks = json_array_new();
	for (guint i = 0; i < json_array_get_length(rows); i++)
		json_array_add_object_element(locks, admin_lock_entry(json_array_get_object_element(rows, i)));
	JsonObject *out = json_object_new();
	json_object_set_array_member(out, "Locks", locks);
	return admin_finish(call, "locks", out, error);
}

/* ReleaseLock {LockId}: {}. EntityNotFoundException for an unknown (or expired) lock. */
static JsonObject *admin_release_lock(GlueCall *call, GError **error)
{
	admin_call_begin(call);
	gint64 id = 0;
	if (!glue_in_int(call->in, "LockId", 1, G_MAXINT64, 0, &id, error))
		return admin_finish(call, NULL, NULL, error);
	if (id == 0) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT,
		                    "1 validation error detected: Value null at 'LockId' failed to satisfy constraint: "
		                    "Member must not be null");
		return admin_finish(call, NULL, NULL, error);
	}
	g_autofree char *object = g_strdup_printf("lock %" G_GINT64_FORMAT, id);
	gboolean ok = catalog_lock_release(call->door->cat, &call->ctx, id, error);
	return admin_finish(call, object, ok ? json_object_new() : NULL, error);
}

const GlueOp admin_lock_ops[] = {
	{"ListLocks", admin_list_locks},
	{"ReleaseLock", admin_release_lock},
	{NULL, NULL},
};
