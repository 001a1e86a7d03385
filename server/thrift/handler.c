/*
 * handler.c — the Hive metastore methods Propolis answers, each one catalog call.
 *
 * A GObject subclass of the generated ThriftHiveMetastoreHandler. Each method decodes its
 * arguments (catalog-qualified "@cat#db" names included), calls one catalog_* operation with
 * the caller's context (thrift_call_current()), and fills the pre-allocated return value the
 * generated processor hands in, or maps the error through errors.c. Methods not listed in
 * implemented_methods[] keep NULL slots; the door answers them UNKNOWN_METHOD before they
 * reach the processor. No SQL, no policy: semantics live in catalog/.
 */
#include "thrift/handler.h"

#include <string.h>
#include <thrift/c_glib/thrift_application_exception.h>

#include "common/error.h"
#include "thrift/translate.h"

typedef struct {
	ThriftHiveMetastoreHandler parent;
} PropolisHandler;

typedef struct {
	ThriftHiveMetastoreHandlerClass parent;
} PropolisHandlerClass;

static GType propolis_handler_get_type(void);
G_DEFINE_TYPE(PropolisHandler, propolis_handler, TYPE_THRIFT_HIVE_METASTORE_HANDLER)

/* Wire names of the methods below; everything else is UNKNOWN_METHOD. */
static const char *const implemented_methods[] = {
	"getName", "getVersion", "getStatus", "getStatusDetails", "aliveSince", "getCounters", "getCounter",
	"getCpuProfile", "reinitialize", "shutdown", "setOption", "getOption", "getOptions",
	"getMetaConf", "setMetaConf", "get_config_value", "set_ugi",
	"create_database", "get_database", "get_database_req", "get_databases", "get_all_databases",
	"alter_database", "drop_database", "drop_database_req",
	"create_table", "create_table_with_environment_context", "create_table_req", "create_table_with_constraints",
	"get_table", "get_table_req", "get_table_objects_by_name", "get_table_objects_by_name_req", "get_tables",
	"get_tables_by_type", "get_all_tables", "get_table_meta", "get_table_names_by_filter",
	"alter_table", "alter_table_with_environment_context", "alter_table_with_cascade", "alter_table_req",
	"drop_table", "drop_table_with_environment_context", "truncate_table",
	"get_fields", "get_fields_with_environment_context", "get_schema", "get_schema_with_environment_context",
	"get_primary_keys", "get_foreign_keys", "get_unique_constraints", "get_not_null_constraints",
	"get_default_constraints", "get_check_constraints", "get_all_table_constraints",
	"create_function", "get_function", "get_functions", "alter_function", "drop_function", "get_all_functions",
	/* issue 17: request-style twins */
	"create_database_req", "alter_database_req", "drop_table_req", "truncate_table_req", "get_fields_req",
	"get_schema_req", "get_tables_ext",
	/* issue 17: Hive 4.2's request twins */
	"get_databases_req", "get_functions_req",
};

/* See handler.h: implemented_methods[] and each handler file's list, NULL-terminated. */
const char *const *thrift_handler_methods(guint *n)
{
	static const char **all;
	static guint count;
	static gsize once;
	if (g_once_init_enter(&once)) {
		GPtrArray *a = g_ptr_array_new();
		for (guint i = 0; i < G_N_ELEMENTS(implemented_methods); i++)
			g_ptr_array_add(a, (gpointer)implemented_methods[i]);
		const char *const *(*more[])(guint *) = {thrift_partition_methods, thrift_stats_methods,
		                                          thrift_txn_methods, thrift_token_methods,
		                                          thrift_catalog_methods};
		for (guint m = 0; m < G_N_ELEMENTS(more); m++) {
			guint k = 0;
			const char *const *names = more[m](&k);
			for (guint i = 0; i < k; i++)
				g_ptr_array_add(a, (gpointer)names[i]);
		}
		count = a->len;
		g_ptr_array_add(a, NULL);
		all = (const char **)g_ptr_array_free(a, FALSE);
		g_once_init_leave(&once, 1);
	}
	*n = count;
	return all;
}

/* TRUE when method is one of the served methods. */
gboolean thrift_handler_implements(const char *method)
{
	static GHashTable *set;
	static gsize once;
	if (g_once_init_enter(&once)) {
		GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
		guint n = 0;
		const char *const *names = thrift_handler_methods(&n);
		for (guint i = 0; i < n; i++)
			g_hash_table_add(h, (gpointer)names[i]);
		set = h;
		g_once_init_leave(&once, 1);
	}
	return method && g_hash_table_contains(set, method);
}

/* ---- helpers ---- */

CatalogCtx thrift_ctx_now(void)
{
	ThriftCall *c = thrift_call_current();
	CatalogCtx ctx = {.principal = "anonymous", .door = "thrift"};
	if (c) {
		ctx.principal = c->session && c->session->principal ? c->session->principal : "anonymous";
		ctx.request_id = c->request_id;
		ctx.deadline_us = c->deadline_us;
		ctx.operation = c->method;
	}
	return ctx;
}

Catalog *thrift_cat_now(void)
{
	return thrift_call_current()->cat;
}

void thrift_db_name_clear(ThriftDbName *n)
{
	g_free(n->catalog);
	g_free(n->db);
}

ThriftDbName thrift_db_name_parse(const char *name, const char *req_catalog)
{
	ThriftDbName n = {NULL, NULL};
	if (name && name[0] == '@') {
		catalog_parse_qualified_db(name, &n.catalog, &n.db);
	} else {
		n.db = g_strdup(name);
	}
	if (n.catalog == NULL && req_catalog && *req_catalog)
		n.catalog = g_strdup(req_catalog);
	thrift_audit_note_object(n.db, NULL);
	return n;
}

GError *thrift_missing_arg(const char *what)
{
	return g_error_new(CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "%s cannot be null.", what);
}

const char *thrift_env_prop(const EnvironmentContext *env, const char *key)
{
	if (env == NULL || env->properties == NULL)
		return NULL;
	return g_hash_table_lookup(env->properties, key);
}

static void names_move(GPtrArray *from, GPtrArray *to)
{
	for (guint i = 0; from && i < from->len; i++)
		g_ptr_array_add(to, g_strdup(g_ptr_array_index(from, i)));
}

#define ctx_now thrift_ctx_now
#define cat_now thrift_cat_now
#define DbName ThriftDbName
#define db_name_parse thrift_db_name_parse
#define missing thrift_missing_arg
#define env_prop thrift_env_prop

/* ---- fb303 ---- */

static gboolean h_get_name(FacebookServiceIf *iface, gchar **ret, GError **error)
{
	*ret = g_strdup("propolis");
	return TRUE;
}

static gboolean h_get_version(FacebookServiceIf *iface, gchar **ret, GError **error)
{
	*ret = g_strdup(PROPOLIS_VERSION);
	return TRUE;
}

static gboolean h_get_status(FacebookServiceIf *iface, fb_status *ret, GError **error)
{
	g_autoptr(GError) err = NULL;
	*ret = catalog_ping(cat_now(), &err) ? FB_STATUS_ALIVE : FB_STATUS_WARNING;
	return TRUE;
}

static gboolean h_get_status_details(FacebookServiceIf *iface, gchar **ret, GError **error)
{
	g_autoptr(GError) err = NULL;
	*ret = catalog_ping(cat_now(), &err) ? g_strdup("ok") : g_strdup_printf("database: %s", err->message);
	return TRUE;
}

static gboolean h_alive_since(FacebookServiceIf *iface, gint64 *ret, GError **error)
{
	*ret = thrift_call_current()->started_s;
	return TRUE;
}

static gboolean h_get_counters(FacebookServiceIf *iface, GHashTable **ret, GError **error)
{
	ThriftCall *c = thrift_call_current();
	gint64 *v = g_new(gint64, 1);
	*v = (gint64)c->request_id;
	g_hash_table_replace(*ret, g_strdup("propolis.last_request_id"), v);
	v = g_new(gint64, 1);
	*v = g_get_real_time() / G_USEC_PER_SEC - c->started_s;
	g_hash_table_replace(*ret, g_strdup("propolis.uptime_s"), v);
	return TRUE;
}

static gboolean h_get_counter(FacebookServiceIf *iface, gint64 *ret, const gchar *key, GError **error)
{
	*ret = 0;
	return TRUE;
}

static gboolean h_get_cpu_profile(FacebookServiceIf *iface, gchar **ret, const gint32 secs, GError **error)
{
	*ret = g_strdup("");
	return TRUE;
}

static gboolean h_noop(FacebookServiceIf *iface, GError **error)
{
	return TRUE;
}

static gboolean h_set_option(FacebookServiceIf *iface, const gchar *key, const gchar *value, GError **error)
{
	return TRUE;
}

static gboolean h_get_option(FacebookServiceIf *iface, gchar **ret, const gchar *key, GError **error)
{
	*ret = g_strdup("");
	return TRUE;
}

static gboolean h_get_options(FacebookServiceIf *iface, GHashTable **ret, GError **error)
{
	return TRUE;
}

/* ---- configuration and identity ---- */

/* Metastore settings a client may read (getMetaConf) and their server values. */
static const struct {
	const char *key;
	const char *value;
} meta_conf_keys[] = {
	{"hive.metastore.try.direct.sql", "true"},
	{"metastore.try.direct.sql", "true"},
	{"hive.metastore.try.direct.sql.ddl", "true"},
	{"hive.metastore.partition.name.whitelist.pattern", ""},
	{"metastore.partition.name.whitelist.pattern", ""},
	{"hive.metastore.batch.retrieve.max", "300"},
	{"metastore.batch.retrieve.max", "300"},
	{"hive.metastore.batch.retrieve.table.partition.max", "1000"},
	{"hive.metastore.client.socket.timeout", "600s"},
	{"hive.metastore.disallow.incompatible.col.type.changes", "true"},
	{"hive.metastore.limit.partition.request", "-1"},
};

/* get_config_value defaults the server reports instead of the client's default. */
static const struct {
	const char *key;
	const char *value;
} config_values[] = {
	{"hive.exec.dynamic.partition", "true"},
	{"hive.exec.dynamic.partition.mode", "strict"},
	{"hive.exec.max.dynamic.partitions", "1000"},
	{"hive.exec.max.dynamic.partitions.pernode", "100"},
	{"hive.metastore.try.direct.sql", "true"},
	{"hive.support.special.characters.tablename", "false"},
	{"hive.txn.timeout", "300s"},
	{"metastore.txn.timeout", "300s"},
};

static gboolean h_get_meta_conf(ThriftHiveMetastoreIf *iface, gchar **ret, const gchar *key, MetaException **o1,
                                GError **error)
{
	ThriftCall *c = thrift_call_current();
	const char *v = key && c->session ? g_hash_table_lookup(c->session->meta_conf, key) : NULL;
	for (guint i = 0; v == NULL && key && i < G_N_ELEMENTS(meta_conf_keys); i++)
		if (strcmp(meta_conf_keys[i].key, key) == 0)
			v = meta_conf_keys[i].value;
	if (v == NULL) {
		g_autofree char *msg = g_strdup_printf("Invalid configuration key %s", key ? key : "null");
		*o1 = thrift_error_new_exception(TYPE_META_EXCEPTION, msg);
		return FALSE;
	}
	*ret = g_strdup(v);
	return TRUE;
}

static gboolean h_set_meta_conf(ThriftHiveMetastoreIf *iface, const gchar *key, const gchar *value,
                                MetaException **o1, GError **error)
{
	ThriftCall *c = thrift_call_current();
	if (key && c->session)
		g_hash_table_replace(c->session->meta_conf, g_strdup(key), g_strdup(value ? value : ""));
	return TRUE;
}

static gboolean h_get_config_value(ThriftHiveMetastoreIf *iface, gchar **ret, const gchar *name,
                                   const gchar *default_value, ConfigValSecurityException **o1, GError **error)
{
	ThriftCall *c = thrift_call_current();
	const char *v = NULL;
	if (name && (strcmp(name, "hive.metastore.warehouse.dir") == 0 || strcmp(name, "metastore.warehouse.dir") == 0))
		v = c->config ? c->config->warehouse : NULL;
	for (guint i = 0; v == NULL && name && i < G_N_ELEMENTS(config_values); i++)
		if (strcmp(config_values[i].key, name) == 0)
			v = config_values[i].value;
	*ret = g_strdup(v ? v : default_value);
	return TRUE;
}

static gboolean h_set_ugi(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *user, const GPtrArray *groups,
                          MetaException **o1, GError **error)
{
	ThriftCall *c = thrift_call_current();
	if (c->trust_set_ugi && c->session && user && *user) {
		g_free(c->session->principal);
		c->session->principal = g_strdup(user);
	}
	names_move((GPtrArray *)groups, *ret);
	if (user)
		g_ptr_array_add(*ret, g_strdup(user));
	return TRUE;
}

/* ---- databases ---- */

static gboolean h_create_database(ThriftHiveMetastoreIf *iface, const Database *database, AlreadyExistsException **o1,
                                  InvalidObjectException **o2, MetaException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o3, .exists = o1, .invalid_object = o2};
	CatalogCtx ctx = ctx_now();
	g_autoptr(JsonObject) doc = translate_database_to_json(database);
	GError *err = NULL;
	const char *catalog = database->__isset_catalogName ? database->catalogName : NULL;
	g_autoptr(JsonObject) made = catalog_create_database(cat_now(), &ctx, catalog, doc, &err);
	return made ? TRUE : thrift_error_raise(err, &out, error);
}

static gboolean get_database(const char *name, const char *catalog, Database *ret, const ThriftErrOut *out,
                             GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (name == NULL)
		return thrift_error_raise(missing("Database name"), out, error);
	g_auto(DbName) n = db_name_parse(name, catalog);
	GError *err = NULL;
	g_autoptr(JsonObject) doc = catalog_get_database(cat_now(), &ctx, n.catalog, n.db, &err);
	if (doc == NULL)
		return thrift_error_raise(err, out, error);
	translate_database_from_json(doc, ret);
	return TRUE;
}

static gboolean h_get_database(ThriftHiveMetastoreIf *iface, Database **ret, const gchar *name,
                               NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1};
	return get_database(name, NULL, *ret, &out, error);
}

static gboolean h_get_database_req(ThriftHiveMetastoreIf *iface, Database **ret, const GetDatabaseRequest *req,
                                   NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1};
	return get_database(req->__isset_name ? req->name : NULL, req->__isset_catalogName ? req->catalogName : NULL,
	                    *ret, &out, error);
}

static gboolean list_databases(const char *pattern, GPtrArray *ret, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	g_auto(DbName) n = db_name_parse(pattern, NULL);
	GError *err = NULL;
	g_autoptr(GPtrArray) names = catalog_list_databases(cat_now(), &ctx, n.catalog, n.db, &err);
	if (names == NULL)
		return thrift_error_raise(err, out, error);
	names_move(names, ret);
	return TRUE;
}

static gboolean h_get_databases(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *pattern,
                                MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	return list_databases(pattern, *ret, &out, error);
}

static gboolean h_get_all_databases(ThriftHiveMetastoreIf *iface, GPtrArray **ret, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	return list_databases(NULL, *ret, &out, error);
}

/*
 * get_databases_req (Hive 4.2): the Database objects whose names match pattern (NULL = all) in
 * the catalog, as get_databases lists them (grant-filtered), each then read as get_database
 * does; one dropped in between is left out, as Hive's listing would not have seen it.
 */
static gboolean h_get_databases_req(ThriftHiveMetastoreIf *iface, GetDatabaseObjectsResponse **ret,
                                    const GetDatabaseObjectsRequest *req, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	g_auto(DbName) n = db_name_parse(req->__isset_pattern ? req->pattern : NULL,
	                                 req->__isset_catalogName ? req->catalogName : NULL);
	GError *err = NULL;
	g_autoptr(GPtrArray) names = catalog_list_databases(cat_now(), &ctx, n.catalog, n.db, &err);
	if (names == NULL)
		return thrift_error_raise(err, &out, error);
	for (guint i = 0; i < names->len; i++) {
		g_autoptr(JsonObject) doc =
		    catalog_get_database(cat_now(), &ctx, n.catalog, g_ptr_array_index(names, i), &err);
		if (doc == NULL && g_error_matches(err, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND)) {
			g_clear_error(&err);
			continue;
		}
		if (doc == NULL)
			return thrift_error_raise(err, &out, error);
		Database *d = g_object_new(TYPE_DATABASE, NULL);
		translate_database_from_json(doc, d);
		g_ptr_array_add((*ret)->databases, d);
	}
	return TRUE;
}

static gboolean h_alter_database(ThriftHiveMetastoreIf *iface, const gchar *dbname, const Database *db,
                                 MetaException **o1, NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	CatalogCtx ctx = ctx_now();
	if (dbname == NULL)
		return thrift_error_raise(missing("Database name"), &out, error);
	g_auto(DbName) n = db_name_parse(dbname, db->__isset_catalogName ? db->catalogName : NULL);
	g_autoptr(JsonObject) doc = translate_database_to_json(db);
	GError *err = NULL;
	if (!catalog_alter_database(cat_now(), &ctx, n.catalog, n.db, doc, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_create_database_req(ThriftHiveMetastoreIf *iface, const CreateDatabaseRequest *req,
                                      AlreadyExistsException **o1, InvalidObjectException **o2, MetaException **o3,
                                      GError **error)
{
	ThriftErrOut out = {.meta = o3, .exists = o1, .invalid_object = o2};
	CatalogCtx ctx = ctx_now();
	g_autoptr(JsonObject) doc = translate_create_database_request_to_json(req);
	GError *err = NULL;
	const char *catalog = req->__isset_catalogName ? req->catalogName : NULL;
	g_autoptr(JsonObject) made = catalog_create_database(cat_now(), &ctx, catalog, doc, &err);
	return made ? TRUE : thrift_error_raise(err, &out, error);
}

static gboolean h_alter_database_req(ThriftHiveMetastoreIf *iface, const AlterDatabaseRequest *req,
                                     MetaException **o1, NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	if (req->newDb == NULL)
		return thrift_error_raise(missing("Database"), &out, error);
	return h_alter_database(iface, req->oldDbName, req->newDb, o1, o2, error);
}

static gboolean drop_database(const char *name, const char *catalog, gboolean cascade, gboolean if_exists,
                              const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (name == NULL)
		return thrift_error_raise(missing("Database name"), out, error);
	g_auto(DbName) n = db_name_parse(name, catalog);
	GError *err = NULL;
	if (!catalog_drop_database(cat_now(), &ctx, n.catalog, n.db, cascade, if_exists, &err))
		return thrift_error_raise(err, out, error);
	return TRUE;
}

static gboolean h_drop_database(ThriftHiveMetastoreIf *iface, const gchar *name, const gboolean delete_data,
                                const gboolean cascade, NoSuchObjectException **o1, InvalidOperationException **o2,
                                MetaException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_op = o2};
	return drop_database(name, NULL, cascade, FALSE, &out, error);
}

static gboolean h_drop_database_req(ThriftHiveMetastoreIf *iface, const DropDatabaseRequest *req,
                                    NoSuchObjectException **o1, InvalidOperationException **o2, MetaException **o3,
                                    GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_op = o2};
	return drop_database(req->name, req->__isset_catalogName ? req->catalogName : NULL, req->cascade,
	                     req->ignoreUnknownDb, &out, error);
}

/* ---- tables: create ---- */

static void constraints_put(JsonObject *c, const char *kind, const GPtrArray *list)
{
	if (list && list->len > 0)
		json_object_set_array_member(c, kind, translate_constraints_to_json(list));
}

typedef struct {
	const GPtrArray *pk, *fk, *uk, *nn, *dc, *cc;
} ConstraintLists;

static gboolean create_table(const Table *tbl, const ConstraintLists *lists, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (tbl->dbName == NULL)
		return thrift_error_raise(missing("Database name"), out, error);
	g_auto(DbName) n = db_name_parse(tbl->dbName, tbl->__isset_catName ? tbl->catName : NULL);
	g_autoptr(JsonObject) doc = translate_table_to_json(tbl);
	json_object_set_string_member(doc, "DatabaseName", n.db ? n.db : "");
	g_autoptr(JsonObject) cons = json_object_new();
	if (lists) {
		constraints_put(cons, "primaryKeys", lists->pk);
		constraints_put(cons, "foreignKeys", lists->fk);
		constraints_put(cons, "uniqueConstraints", lists->uk);
		constraints_put(cons, "notNullConstraints", lists->nn);
		constraints_put(cons, "defaultConstraints", lists->dc);
		constraints_put(cons, "checkConstraints", lists->cc);
	}
	CatalogCreateTableOpts opts = {.constraints = json_object_get_size(cons) > 0 ? cons : NULL};
	GError *err = NULL;
	g_autoptr(JsonObject) made = catalog_create_table(cat_now(), &ctx, n.catalog, n.db, doc, &opts, &err);
	if (made)
		return TRUE;
	/* Hive's create_table_core turns the missing database into InvalidObjectException */
	if (err->domain == CATALOG_ERROR && err->code == CATALOG_ERROR_NOT_FOUND)
		err->code = CATALOG_ERROR_INVALID_OBJECT;
	return thrift_error_raise(err, out, error);
}

static gboolean h_create_table(ThriftHiveMetastoreIf *iface, const Table *tbl, AlreadyExistsException **o1,
                               InvalidObjectException **o2, MetaException **o3, NoSuchObjectException **o4,
                               GError **error)
{
	ThriftErrOut out = {.meta = o3, .exists = o1, .invalid_object = o2, .no_such = o4};
	return create_table(tbl, NULL, &out, error);
}

static gboolean h_create_table_with_environment_context(ThriftHiveMetastoreIf *iface, const Table *tbl,
                                                        const EnvironmentContext *env, AlreadyExistsException **o1,
                                                        InvalidObjectException **o2, MetaException **o3,
                                                        NoSuchObjectException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o3, .exists = o1, .invalid_object = o2, .no_such = o4};
	return create_table(tbl, NULL, &out, error);
}

static gboolean h_create_table_with_constraints(ThriftHiveMetastoreIf *iface, const Table *tbl, const GPtrArray *pk,
                                                const GPtrArray *fk, const GPtrArray *uk, const GPtrArray *nn,
                                                const GPtrArray *dc, const GPtrArray *cc, AlreadyExistsException **o1,
                                                InvalidObjectException **o2, MetaException **o3,
                                                NoSuchObjectException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o3, .exists = o1, .invalid_object = o2, .no_such = o4};
	ConstraintLists lists = {pk, fk, uk, nn, dc, cc};
	return create_table(tbl, &lists, &out, error);
}

static gboolean h_create_table_req(ThriftHiveMetastoreIf *iface, const CreateTableRequest *req,
                                   AlreadyExistsException **o1, InvalidObjectException **o2, MetaException **o3,
                                   NoSuchObjectException **o4, GError **error)
{
	ThriftErrOut out = {.meta = o3, .exists = o1, .invalid_object = o2, .no_such = o4};
	ConstraintLists lists = {
		req->__isset_primaryKeys ? req->primaryKeys : NULL,
		req->__isset_foreignKeys ? req->foreignKeys : NULL,
		req->__isset_uniqueConstraints ? req->uniqueConstraints : NULL,
		req->__isset_notNullConstraints ? req->notNullConstraints : NULL,
		req->__isset_defaultConstraints ? req->defaultConstraints : NULL,
		req->__isset_checkConstraints ? req->checkConstraints : NULL,
	};
	return create_table(req->table, &lists, &out, error);
}

/* ---- tables: read ---- */

static JsonObject *fetch_table(const char *db, const char *catalog, const char *name, const ThriftErrOut *out,
                               GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (db == NULL || name == NULL) {
		(void)thrift_error_raise(missing(db == NULL ? "Database name" : "Table name"), out, error);
		return NULL;
	}
	g_auto(DbName) n = db_name_parse(db, catalog);
	thrift_audit_note_object(n.db, name);
	GError *err = NULL;
	JsonObject *doc = catalog_get_table(cat_now(), &ctx, n.catalog, n.db, name, &err);
	if (doc == NULL)
		(void)thrift_error_raise(err, out, error);
	return doc;
}

static gboolean h_get_table(ThriftHiveMetastoreIf *iface, Table **ret, const gchar *dbname, const gchar *tbl_name,
                            MetaException **o1, NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	g_autoptr(JsonObject) doc = fetch_table(dbname, NULL, tbl_name, &out, error);
	if (doc == NULL)
		return FALSE;
	translate_table_from_json(doc, *ret);
	return TRUE;
}

static gboolean h_get_table_req(ThriftHiveMetastoreIf *iface, GetTableResult **ret, const GetTableRequest *req,
                                MetaException **o1, NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	g_autoptr(JsonObject) doc =
		fetch_table(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName, &out, error);
	if (doc == NULL)
		return FALSE;
	translate_table_from_json(doc, (*ret)->table);
	return TRUE;
}

static gboolean get_tables(const char *db, const char *catalog, const GPtrArray *names, const char *pattern,
                           GPtrArray *ret, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (db == NULL)
		return thrift_error_raise(missing("Database name"), out, error);
	g_auto(DbName) n = db_name_parse(db, catalog);
	GError *err = NULL;
	g_autoptr(GPtrArray) listed = NULL;
	if (names == NULL) {
		listed = catalog_list_tables(cat_now(), &ctx, n.catalog, n.db, pattern, NULL, &err);
		if (listed == NULL)
			return thrift_error_raise(err, out, error);
		names = listed;
	}
	g_autoptr(GPtrArray) docs = catalog_get_tables(cat_now(), &ctx, n.catalog, n.db, (GPtrArray *)names, &err);
	if (docs == NULL)
		return thrift_error_raise(err, out, error);
	for (guint i = 0; i < docs->len; i++)
		g_ptr_array_add(ret, translate_table_new_from_json(g_ptr_array_index(docs, i)));
	return TRUE;
}

static gboolean h_get_table_objects_by_name(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *dbname,
                                            const GPtrArray *tbl_names, MetaException **o1,
                                            InvalidOperationException **o2, UnknownDBException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o1, .invalid_op = o2, .unknown_db = o3};
	return get_tables(dbname, NULL, tbl_names, NULL, *ret, &out, error);
}

static gboolean h_get_table_objects_by_name_req(ThriftHiveMetastoreIf *iface, GetTablesResult **ret,
                                                const GetTablesRequest *req, MetaException **o1,
                                                InvalidOperationException **o2, UnknownDBException **o3,
                                                GError **error)
{
	ThriftErrOut out = {.meta = o1, .invalid_op = o2, .unknown_db = o3};
	return get_tables(req->dbName, req->__isset_catName ? req->catName : NULL,
	                  req->__isset_tblNames ? req->tblNames : NULL,
	                  req->__isset_tablesPattern ? req->tablesPattern : NULL, (*ret)->tables, &out, error);
}

static gboolean list_tables(const char *db, const char *pattern, const char *type, GPtrArray *ret,
                            const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (db == NULL)
		return thrift_error_raise(missing("Database name"), out, error);
	g_auto(DbName) n = db_name_parse(db, NULL);
	GError *err = NULL;
	g_autoptr(GPtrArray) names = catalog_list_tables(cat_now(), &ctx, n.catalog, n.db, pattern, type, &err);
	if (names == NULL)
		return thrift_error_raise(err, out, error);
	names_move(names, ret);
	return TRUE;
}

static gboolean h_get_tables(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db_name,
                             const gchar *pattern, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	return list_tables(db_name, pattern, NULL, *ret, &out, error);
}

static gboolean h_get_tables_by_type(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db_name,
                                     const gchar *pattern, const gchar *table_type, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	return list_tables(db_name, pattern, table_type, *ret, &out, error);
}

static gboolean h_get_all_tables(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db_name,
                                 MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	return list_tables(db_name, NULL, NULL, *ret, &out, error);
}

static gboolean h_get_table_meta(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db_patterns,
                                 const gchar *tbl_patterns, const GPtrArray *tbl_types, MetaException **o1,
                                 GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	g_auto(DbName) n = db_name_parse(db_patterns, NULL);
	GError *err = NULL;
	g_autoptr(GPtrArray) rows =
		catalog_list_table_meta(cat_now(), &ctx, n.catalog, n.db, tbl_patterns, (GPtrArray *)tbl_types, &err);
	if (rows == NULL)
		return thrift_error_raise(err, &out, error);
	const char *catalog = n.catalog ? n.catalog : catalog_default_name(cat_now());
	for (guint i = 0; i < rows->len; i++)
		g_ptr_array_add(*ret, translate_table_meta_new_from_json(g_ptr_array_index(rows, i), catalog));
	return TRUE;
}

static gboolean h_get_table_names_by_filter(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *dbname,
                                            const gchar *filter, const gint16 max_tables, MetaException **o1,
                                            InvalidOperationException **o2, UnknownDBException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o1, .invalid_op = o2, .unknown_db = o3};
	CatalogCtx ctx = ctx_now();
	if (dbname == NULL)
		return thrift_error_raise(missing("Database name"), &out, error);
	g_auto(DbName) n = db_name_parse(dbname, NULL);
	GError *err = NULL;
	g_autoptr(GPtrArray) names =
		catalog_list_table_names_by_filter(cat_now(), &ctx, n.catalog, n.db, filter, max_tables, &err);
	if (names == NULL)
		return thrift_error_raise(err, &out, error);
	names_move(names, *ret);
	return TRUE;
}

/*
 * get_tables_ext: the names get_tables gives in the request's catalog, at most `limit`. Hive
 * fills accessType and the capabilities only through a metadata transformer, which Propolis
 * does not have: they stay unset, as from a Hive server without one.
 */
static gboolean h_get_tables_ext(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const GetTablesExtRequest *req,
                                 MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	if (req->database == NULL)
		return thrift_error_raise(missing("Database name"), &out, error);
	g_auto(DbName) n = db_name_parse(req->database, req->catalog && *req->catalog ? req->catalog : NULL);
	GError *err = NULL;
	g_autoptr(GPtrArray) names =
		catalog_list_tables(cat_now(), &ctx, n.catalog, n.db, req->tableNamePattern, NULL, &err);
	if (names == NULL)
		return thrift_error_raise(err, &out, error);
	gint limit = req->__isset_limit && req->limit >= 0 ? req->limit : G_MAXINT;
	for (guint i = 0; i < names->len && (gint)i < limit; i++) {
		ExtendedTableInfo *info = g_object_new(TYPE_EXTENDED_TABLE_INFO, NULL);
		info->tblName = g_strdup(g_ptr_array_index(names, i));
		g_ptr_array_add(*ret, info);
	}
	return TRUE;
}

/* ---- tables: columns ---- */

static gboolean table_columns(const char *db, const char *catalog, const char *name, gboolean with_keys,
                              GPtrArray *ret, const ThriftErrOut *out, GError **error)
{
	g_autoptr(JsonObject) doc = fetch_table(db, catalog, name, out, error);
	if (doc == NULL)
		return FALSE;
	JsonNode *sd = json_object_get_member(doc, "StorageDescriptor");
	if (sd && JSON_NODE_HOLDS_OBJECT(sd)) {
		JsonNode *cols = json_object_get_member(json_node_get_object(sd), "Columns");
		if (cols && JSON_NODE_HOLDS_ARRAY(cols))
			translate_columns_from_json(json_node_get_array(cols), ret);
	}
	JsonNode *keys = json_object_get_member(doc, "PartitionKeys");
	if (with_keys && keys && JSON_NODE_HOLDS_ARRAY(keys))
		translate_columns_from_json(json_node_get_array(keys), ret);
	return TRUE;
}

static gboolean h_get_fields(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db, const gchar *table,
                             MetaException **o1, UnknownTableException **o2, UnknownDBException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o1, .unknown_table = o2, .unknown_db = o3};
	return table_columns(db, NULL, table, FALSE, *ret, &out, error);
}

static gboolean h_get_fields_env(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db, const gchar *table,
                                 const EnvironmentContext *env, MetaException **o1, UnknownTableException **o2,
                                 UnknownDBException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o1, .unknown_table = o2, .unknown_db = o3};
	return table_columns(db, NULL, table, FALSE, *ret, &out, error);
}

static gboolean h_get_schema(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db, const gchar *table,
                             MetaException **o1, UnknownTableException **o2, UnknownDBException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o1, .unknown_table = o2, .unknown_db = o3};
	return table_columns(db, NULL, table, TRUE, *ret, &out, error);
}

static gboolean h_get_schema_env(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db, const gchar *table,
                                 const EnvironmentContext *env, MetaException **o1, UnknownTableException **o2,
                                 UnknownDBException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o1, .unknown_table = o2, .unknown_db = o3};
	return table_columns(db, NULL, table, TRUE, *ret, &out, error);
}

static gboolean h_get_fields_req(ThriftHiveMetastoreIf *iface, GetFieldsResponse **ret, const GetFieldsRequest *req,
                                 MetaException **o1, UnknownTableException **o2, UnknownDBException **o3,
                                 GError **error)
{
	ThriftErrOut out = {.meta = o1, .unknown_table = o2, .unknown_db = o3};
	return table_columns(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName, FALSE,
	                     (*ret)->fields, &out, error);
}

static gboolean h_get_schema_req(ThriftHiveMetastoreIf *iface, GetSchemaResponse **ret, const GetSchemaRequest *req,
                                 MetaException **o1, UnknownTableException **o2, UnknownDBException **o3,
                                 GError **error)
{
	ThriftErrOut out = {.meta = o1, .unknown_table = o2, .unknown_db = o3};
	return table_columns(req->dbName, req->__isset_catName ? req->catName : NULL, req->tblName, TRUE,
	                     (*ret)->fields, &out, error);
}

/* ---- tables: alter, drop, truncate ---- */

static gboolean alter_table(const char *db, const char *catalog, const char *name, const Table *tbl,
                            const EnvironmentContext *env, gboolean cascade, const char *exp_key,
                            const char *exp_value, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (db == NULL || name == NULL || tbl == NULL)
		return thrift_error_raise(missing(db == NULL ? "Database name" : "Table name"), out, error);
	g_auto(DbName) n = db_name_parse(db, catalog);
	g_autoptr(JsonObject) doc = translate_table_to_json(tbl);
	const char *casc = env_prop(env, "CASCADE");
	CatalogAlterTableOpts opts = {
		.cascade = cascade || (casc && g_ascii_strcasecmp(casc, "true") == 0),
		.expected_key = exp_key ? exp_key : env_prop(env, "expected_parameter_key"),
		.expected_value = exp_value ? exp_value : env_prop(env, "expected_parameter_value"),
	};
	GError *err = NULL;
	if (!catalog_alter_table(cat_now(), &ctx, n.catalog, n.db, name, doc, &opts, &err))
		return thrift_error_raise(err, out, error);
	return TRUE;
}

static gboolean h_alter_table(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *name, const Table *tbl,
                              InvalidOperationException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .invalid_op = o1};
	return alter_table(db, NULL, name, tbl, NULL, FALSE, NULL, NULL, &out, error);
}

static gboolean h_alter_table_env(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *name, const Table *tbl,
                                  const EnvironmentContext *env, InvalidOperationException **o1, MetaException **o2,
                                  GError **error)
{
	ThriftErrOut out = {.meta = o2, .invalid_op = o1};
	return alter_table(db, NULL, name, tbl, env, FALSE, NULL, NULL, &out, error);
}

static gboolean h_alter_table_cascade(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *name,
                                      const Table *tbl, const gboolean cascade, InvalidOperationException **o1,
                                      MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .invalid_op = o1};
	return alter_table(db, NULL, name, tbl, NULL, cascade, NULL, NULL, &out, error);
}

static gboolean h_alter_table_req(ThriftHiveMetastoreIf *iface, AlterTableResponse **ret, const AlterTableRequest *req,
                                  InvalidOperationException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .invalid_op = o1};
	return alter_table(req->dbName, req->__isset_catName ? req->catName : NULL, req->tableName, req->table,
	                   req->__isset_environmentContext ? req->environmentContext : NULL, FALSE,
	                   req->__isset_expectedParameterKey ? req->expectedParameterKey : NULL,
	                   req->__isset_expectedParameterValue ? req->expectedParameterValue : NULL, &out, error);
}

static gboolean drop_table(const char *db, const char *catalog, const char *name, const ThriftErrOut *out,
                           GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (db == NULL || name == NULL)
		return thrift_error_raise(missing(db == NULL ? "Database name" : "Table name"), out, error);
	g_auto(DbName) n = db_name_parse(db, catalog);
	GError *err = NULL;
	if (!catalog_drop_table(cat_now(), &ctx, n.catalog, n.db, name, FALSE, &err))
		return thrift_error_raise(err, out, error);
	return TRUE;
}

static gboolean h_drop_table(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *name,
                             const gboolean delete_data, NoSuchObjectException **o1, MetaException **o3,
                             GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1};
	return drop_table(db, NULL, name, &out, error);
}

static gboolean h_drop_table_env(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *name,
                                 const gboolean delete_data, const EnvironmentContext *env,
                                 NoSuchObjectException **o1, MetaException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1};
	return drop_table(db, NULL, name, &out, error);
}

static gboolean h_drop_table_req(ThriftHiveMetastoreIf *iface, const DropTableRequest *req, NoSuchObjectException **o1,
                                 MetaException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1};
	return drop_table(req->dbName, req->__isset_catalogName ? req->catalogName : NULL, req->tableName, &out, error);
}

/* truncate_table(_req): metadata only (catalog_truncate_table); the data is the client's. */
static gboolean truncate_table(const char *db, const char *name, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	if (db == NULL || name == NULL)
		return thrift_error_raise(missing(db == NULL ? "Database name" : "Table name"), &out, error);
	g_auto(DbName) n = db_name_parse(db, NULL);
	GError *err = NULL;
	if (!catalog_truncate_table(cat_now(), &ctx, n.catalog, n.db, name, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_truncate_table(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *name,
                                 const GPtrArray *part_names, MetaException **o1, GError **error)
{
	return truncate_table(db, name, o1, error);
}

static gboolean h_truncate_table_req(ThriftHiveMetastoreIf *iface, TruncateTableResponse **ret,
                                     const TruncateTableRequest *req, MetaException **o1, GError **error)
{
	return truncate_table(req->dbName, req->tableName, o1, error);
}

/* ---- constraints ---- */

static gboolean constraints(const char *catalog, const char *db, const char *table, const char *kind, GType type,
                            GPtrArray *ret, const ThriftErrOut *out, GError **error)
{
	CatalogCtx ctx = ctx_now();
	if (db == NULL || table == NULL)
		return thrift_error_raise(missing(db == NULL ? "Database name" : "Table name"), out, error);
	g_auto(DbName) n = db_name_parse(db, catalog);
	GError *err = NULL;
	JsonArray *arr = catalog_get_constraints(cat_now(), &ctx, n.catalog, n.db, table, kind, &err);
	if (arr == NULL)
		return thrift_error_raise(err, out, error);
	translate_constraints_from_json(arr, type, ret);
	json_array_unref(arr);
	return TRUE;
}

static gboolean h_get_primary_keys(ThriftHiveMetastoreIf *iface, PrimaryKeysResponse **ret,
                                   const PrimaryKeysRequest *req, MetaException **o1, NoSuchObjectException **o2,
                                   GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	return constraints(req->__isset_catName ? req->catName : NULL, req->db_name, req->tbl_name, "primaryKeys",
	                   TYPE_S_Q_L_PRIMARY_KEY, (*ret)->primaryKeys, &out, error);
}

static gboolean h_get_foreign_keys(ThriftHiveMetastoreIf *iface, ForeignKeysResponse **ret,
                                   const ForeignKeysRequest *req, MetaException **o1, NoSuchObjectException **o2,
                                   GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	if (req->foreign_tbl_name == NULL || *req->foreign_tbl_name == '\0')
		return TRUE; /* only "foreign keys of this table" lookups are kept per table */
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_object_unref);
	if (!constraints(req->__isset_catName ? req->catName : NULL, req->foreign_db_name, req->foreign_tbl_name,
	                 "foreignKeys", TYPE_S_Q_L_FOREIGN_KEY, all, &out, error))
		return FALSE;
	for (guint i = 0; i < all->len; i++) {
		SQLForeignKey *fk = g_ptr_array_index(all, i);
		gboolean parent_ok = req->parent_tbl_name == NULL || *req->parent_tbl_name == '\0' ||
		                     (g_strcmp0(fk->pktable_name, req->parent_tbl_name) == 0 &&
		                      (req->parent_db_name == NULL || g_strcmp0(fk->pktable_db, req->parent_db_name) == 0));
		if (parent_ok)
			g_ptr_array_add((*ret)->foreignKeys, g_object_ref(fk));
	}
	return TRUE;
}

#define CONSTRAINT_GETTER(fn, Req, Resp, kind, TYPE, field)                                                           \
	static gboolean fn(ThriftHiveMetastoreIf *iface, Resp **ret, const Req *req, MetaException **o1,               \
	                   NoSuchObjectException **o2, GError **error)                                                 \
	{                                                                                                              \
		ThriftErrOut out = {.meta = o1, .no_such = o2};                                                        \
		return constraints(req->catName, req->db_name, req->tbl_name, kind, TYPE, (*ret)->field, &out, error); \
	}

CONSTRAINT_GETTER(h_get_unique_constraints, UniqueConstraintsRequest, UniqueConstraintsResponse, "uniqueConstraints",
                  TYPE_S_Q_L_UNIQUE_CONSTRAINT, uniqueConstraints)
CONSTRAINT_GETTER(h_get_not_null_constraints, NotNullConstraintsRequest, NotNullConstraintsResponse,
                  "notNullConstraints", TYPE_S_Q_L_NOT_NULL_CONSTRAINT, notNullConstraints)
CONSTRAINT_GETTER(h_get_default_constraints, DefaultConstraintsRequest, DefaultConstraintsResponse,
                  "defaultConstraints", TYPE_S_Q_L_DEFAULT_CONSTRAINT, defaultConstraints)
CONSTRAINT_GETTER(h_get_check_constraints, CheckConstraintsRequest, CheckConstraintsResponse, "checkConstraints",
                  TYPE_S_Q_L_CHECK_CONSTRAINT, checkConstraints)

static gboolean h_get_all_table_constraints(ThriftHiveMetastoreIf *iface, AllTableConstraintsResponse **ret,
                                            const AllTableConstraintsRequest *req, MetaException **o1,
                                            NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	SQLAllTableConstraints *all = (*ret)->allTableConstraints;
	const struct {
		const char *kind;
		GType type;
		GPtrArray *dst;
		gboolean *isset;
	} kinds[] = {
		{"primaryKeys", TYPE_S_Q_L_PRIMARY_KEY, all->primaryKeys, &all->__isset_primaryKeys},
		{"foreignKeys", TYPE_S_Q_L_FOREIGN_KEY, all->foreignKeys, &all->__isset_foreignKeys},
		{"uniqueConstraints", TYPE_S_Q_L_UNIQUE_CONSTRAINT, all->uniqueConstraints, &all->__isset_uniqueConstraints},
		{"notNullConstraints", TYPE_S_Q_L_NOT_NULL_CONSTRAINT, all->notNullConstraints,
		 &all->__isset_notNullConstraints},
		{"defaultConstraints", TYPE_S_Q_L_DEFAULT_CONSTRAINT, all->defaultConstraints,
		 &all->__isset_defaultConstraints},
		{"checkConstraints", TYPE_S_Q_L_CHECK_CONSTRAINT, all->checkConstraints, &all->__isset_checkConstraints},
	};
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (!constraints(req->catName, req->dbName, req->tblName, kinds[i].kind, kinds[i].type, kinds[i].dst, &out,
		                 error))
			return FALSE;
		*kinds[i].isset = TRUE;
	}
	return TRUE;
}

/* ---- functions ---- */

static gboolean h_create_function(ThriftHiveMetastoreIf *iface, const Function *func, AlreadyExistsException **o1,
                                  InvalidObjectException **o2, MetaException **o3, NoSuchObjectException **o4,
                                  GError **error)
{
	ThriftErrOut out = {.meta = o3, .exists = o1, .invalid_object = o2, .no_such = o4};
	CatalogCtx ctx = ctx_now();
	g_auto(DbName) n = db_name_parse(func->dbName, func->__isset_catName ? func->catName : NULL);
	g_autoptr(JsonObject) doc = translate_function_to_json(func);
	if (n.db)
		json_object_set_string_member(doc, "DatabaseName", n.db);
	GError *err = NULL;
	g_autoptr(JsonObject) made = catalog_create_function(cat_now(), &ctx, n.catalog, doc, &err);
	return made ? TRUE : thrift_error_raise(err, &out, error);
}

static gboolean h_get_function(ThriftHiveMetastoreIf *iface, Function **ret, const gchar *db, const gchar *name,
                               MetaException **o1, NoSuchObjectException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o1, .no_such = o2};
	CatalogCtx ctx = ctx_now();
	g_auto(DbName) n = db_name_parse(db, NULL);
	GError *err = NULL;
	g_autoptr(JsonObject) doc = catalog_get_function(cat_now(), &ctx, n.catalog, n.db, name, &err);
	if (doc == NULL)
		return thrift_error_raise(err, &out, error);
	translate_function_from_json(doc, *ret);
	return TRUE;
}

static gboolean h_get_functions(ThriftHiveMetastoreIf *iface, GPtrArray **ret, const gchar *db, const gchar *pattern,
                                MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	g_auto(DbName) n = db_name_parse(db, NULL);
	GError *err = NULL;
	g_autoptr(GPtrArray) docs = catalog_list_functions(cat_now(), &ctx, n.catalog, n.db, pattern, &err);
	if (docs == NULL)
		return thrift_error_raise(err, &out, error);
	for (guint i = 0; i < docs->len; i++) {
		JsonObject *f = g_ptr_array_index(docs, i);
		const char *fname = json_object_get_string_member_with_default(f, "FunctionName", NULL);
		if (fname)
			g_ptr_array_add(*ret, g_strdup(fname));
	}
	return TRUE;
}

static gboolean h_get_all_functions(ThriftHiveMetastoreIf *iface, GetAllFunctionsResponse **ret, MetaException **o1,
                                    GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	GError *err = NULL;
	g_autoptr(GPtrArray) docs = catalog_list_functions(cat_now(), &ctx, NULL, NULL, NULL, &err);
	if (docs == NULL)
		return thrift_error_raise(err, &out, error);
	for (guint i = 0; i < docs->len; i++) {
		Function *f = g_object_new(TYPE_FUNCTION, NULL);
		translate_function_from_json(g_ptr_array_index(docs, i), f);
		g_ptr_array_add((*ret)->functions, f);
	}
	(*ret)->__isset_functions = TRUE;
	return TRUE;
}

/*
 * get_functions_req (Hive 4.2): the functions of dbName whose names match pattern (NULL = all),
 * as get_functions lists them; names only (function_names) when returnNames, else the Function
 * objects (functions), as Hive's HMSHandler answers.
 */
static gboolean h_get_functions_req(ThriftHiveMetastoreIf *iface, GetFunctionsResponse **ret,
                                    const GetFunctionsRequest *req, MetaException **o1, GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	if (req->dbName == NULL)
		return thrift_error_raise(missing("Database name"), &out, error);
	g_auto(DbName) n = db_name_parse(req->dbName, req->__isset_catalogName ? req->catalogName : NULL);
	GError *err = NULL;
	g_autoptr(GPtrArray) docs = catalog_list_functions(cat_now(), &ctx, n.catalog, n.db,
	                                                   req->__isset_pattern ? req->pattern : NULL, &err);
	if (docs == NULL)
		return thrift_error_raise(err, &out, error);
	for (guint i = 0; i < docs->len; i++) {
		JsonObject *doc = g_ptr_array_index(docs, i);
		if (req->returnNames) {
			const char *fname = json_object_get_string_member_with_default(doc, "FunctionName", NULL);
			if (fname)
				g_ptr_array_add((*ret)->function_names, g_strdup(fname));
			continue;
		}
		Function *f = g_object_new(TYPE_FUNCTION, NULL);
		translate_function_from_json(doc, f);
		g_ptr_array_add((*ret)->functions, f);
	}
	if (req->returnNames)
		(*ret)->__isset_function_names = TRUE;
	else
		(*ret)->__isset_functions = TRUE;
	return TRUE;
}

static gboolean h_alter_function(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *name,
                                 const Function *func, InvalidOperationException **o1, MetaException **o2,
                                 GError **error)
{
	ThriftErrOut out = {.meta = o2, .invalid_op = o1};
	CatalogCtx ctx = ctx_now();
	g_auto(DbName) n = db_name_parse(db, NULL);
	g_autoptr(JsonObject) doc = translate_function_to_json(func);
	GError *err = NULL;
	if (!catalog_alter_function(cat_now(), &ctx, n.catalog, n.db, name, doc, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_drop_function(ThriftHiveMetastoreIf *iface, const gchar *db, const gchar *name,
                                NoSuchObjectException **o1, MetaException **o3, GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1};
	CatalogCtx ctx = ctx_now();
	g_auto(DbName) n = db_name_parse(db, NULL);
	GError *err = NULL;
	if (!catalog_drop_function(cat_now(), &ctx, n.catalog, n.db, name, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

/* ---- the class ---- */

static void propolis_handler_init(PropolisHandler *self)
{
}

static void propolis_handler_class_init(PropolisHandlerClass *klass)
{
	FacebookServiceHandlerClass *fb = FACEBOOK_SERVICE_HANDLER_CLASS(klass);
	fb->get_name = h_get_name;
	fb->get_version = h_get_version;
	fb->get_status = h_get_status;
	fb->get_status_details = h_get_status_details;
	fb->alive_since = h_alive_since;
	fb->get_counters = h_get_counters;
	fb->get_counter = h_get_counter;
	fb->get_cpu_profile = h_get_cpu_profile;
	fb->reinitialize = h_noop;
	fb->shutdown = h_noop;
	fb->set_option = h_set_option;
	fb->get_option = h_get_option;
	fb->get_options = h_get_options;

	ThriftHiveMetastoreHandlerClass *h = THRIFT_HIVE_METASTORE_HANDLER_CLASS(klass);
	h->get_meta_conf = h_get_meta_conf;
	h->set_meta_conf = h_set_meta_conf;
	h->get_config_value = h_get_config_value;
	h->set_ugi = h_set_ugi;
	h->create_database = h_create_database;
	h->get_database = h_get_database;
	h->get_database_req = h_get_database_req;
	h->get_databases = h_get_databases;
	h->get_databases_req = h_get_databases_req;
	h->get_all_databases = h_get_all_databases;
	h->alter_database = h_alter_database;
	h->drop_database = h_drop_database;
	h->drop_database_req = h_drop_database_req;
	h->create_table = h_create_table;
	h->create_table_with_environment_context = h_create_table_with_environment_context;
	h->create_table_with_constraints = h_create_table_with_constraints;
	h->create_table_req = h_create_table_req;
	h->get_table = h_get_table;
	h->get_table_req = h_get_table_req;
	h->get_table_objects_by_name = h_get_table_objects_by_name;
	h->get_table_objects_by_name_req = h_get_table_objects_by_name_req;
	h->get_tables = h_get_tables;
	h->get_tables_by_type = h_get_tables_by_type;
	h->get_all_tables = h_get_all_tables;
	h->get_table_meta = h_get_table_meta;
	h->get_table_names_by_filter = h_get_table_names_by_filter;
	h->alter_table = h_alter_table;
	h->alter_table_with_environment_context = h_alter_table_env;
	h->alter_table_with_cascade = h_alter_table_cascade;
	h->alter_table_req = h_alter_table_req;
	h->drop_table = h_drop_table;
	h->drop_table_with_environment_context = h_drop_table_env;
	h->truncate_table = h_truncate_table;
	h->get_fields = h_get_fields;
	h->get_fields_with_environment_context = h_get_fields_env;
	h->get_schema = h_get_schema;
	h->get_schema_with_environment_context = h_get_schema_env;
	h->get_primary_keys = h_get_primary_keys;
	h->get_foreign_keys = h_get_foreign_keys;
	h->get_unique_constraints = h_get_unique_constraints;
	h->get_not_null_constraints = h_get_not_null_constraints;
	h->get_default_constraints = h_get_default_constraints;
	h->get_check_constraints = h_get_check_constraints;
	h->get_all_table_constraints = h_get_all_table_constraints;
	h->create_function = h_create_function;
	h->get_function = h_get_function;
	h->get_functions = h_get_functions;
	h->get_functions_req = h_get_functions_req;
	h->alter_function = h_alter_function;
	h->drop_function = h_drop_function;
	h->get_all_functions = h_get_all_functions;
	h->create_database_req = h_create_database_req;
	h->alter_database_req = h_alter_database_req;
	h->drop_table_req = h_drop_table_req;
	h->truncate_table_req = h_truncate_table_req;
	h->get_fields_req = h_get_fields_req;
	h->get_schema_req = h_get_schema_req;
	h->get_tables_ext = h_get_tables_ext;

	thrift_partition_install(h);
	thrift_stats_install(h);
	thrift_txn_install(h);
	thrift_token_install(h);
	thrift_catalog_install(h);
}

/* A new handler; free with g_object_unref(). */
ThriftHiveMetastoreHandler *thrift_handler_new(void)
{
	return g_object_new(propolis_handler_get_type(), NULL);
}
