/*
 * handler_catalog.c — Hive 3+ catalogs, the store's id and flushCache (issue 17; see handler.h
 * for how a handler file installs its methods).
 *
 * create/get/alter/drop_catalog and get_catalogs each make one catalog_* call (hive_catalog.c
 * holds the semantics and the administrators-only rule); get_metastore_db_uuid answers the id
 * migration 0014 stored; flushCache has no cache to flush (every read goes to PostgreSQL).
 */
#include "thrift/handler.h"

#include "common/error.h"
#include "thrift/translate.h"

#define ctx_now thrift_ctx_now
#define cat_now thrift_cat_now

static const char *const catalog_methods[] = {
	"create_catalog", "get_catalog", "get_catalogs", "alter_catalog", "drop_catalog", "get_metastore_db_uuid",
	"flushCache",
};

static gboolean h_create_catalog(ThriftHiveMetastoreIf *iface, const CreateCatalogRequest *req,
                                 AlreadyExistsException **o1, InvalidObjectException **o2, MetaException **o3,
                                 GError **error)
{
	ThriftErrOut out = {.meta = o3, .exists = o1, .invalid_object = o2};
	CatalogCtx ctx = ctx_now();
	if (req->catalog == NULL)
		return thrift_error_raise(thrift_missing_arg("Catalog"), &out, error);
	thrift_audit_note_object(req->catalog->name, NULL);
	g_autoptr(JsonObject) doc = translate_catalog_to_json(req->catalog);
	GError *err = NULL;
	if (!catalog_create_catalog(cat_now(), &ctx, doc, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_get_catalog(ThriftHiveMetastoreIf *iface, GetCatalogResponse **ret, const GetCatalogRequest *req,
                              NoSuchObjectException **o1, MetaException **o2, GError **error)
{
	ThriftErrOut out = {.meta = o2, .no_such = o1};
	CatalogCtx ctx = ctx_now();
	thrift_audit_note_object(req->name, NULL);
	GError *err = NULL;
	g_autoptr(JsonObject) doc = catalog_get_catalog(cat_now(), &ctx, req->name, &err);
	if (doc == NULL)
		return thrift_error_raise(err, &out, error);
	if ((*ret)->catalog == NULL)
		(*ret)->catalog = g_object_new(TYPE_CATALOG, NULL);
	translate_catalog_from_json(doc, (*ret)->catalog);
	(*ret)->__isset_catalog = TRUE;
	return TRUE;
}

static gboolean h_get_catalogs(ThriftHiveMetastoreIf *iface, GetCatalogsResponse **ret, MetaException **o1,
                               GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	GError *err = NULL;
	g_autoptr(GPtrArray) names = catalog_list_catalogs(cat_now(), &ctx, &err);
	if (names == NULL)
		return thrift_error_raise(err, &out, error);
	for (guint i = 0; i < names->len; i++)
		g_ptr_array_add((*ret)->names, g_strdup(g_ptr_array_index(names, i)));
	(*ret)->__isset_names = TRUE;
	return TRUE;
}

static gboolean h_alter_catalog(ThriftHiveMetastoreIf *iface, const AlterCatalogRequest *req,
                                NoSuchObjectException **o1, InvalidOperationException **o2, MetaException **o3,
                                GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_op = o2};
	CatalogCtx ctx = ctx_now();
	if (req->newCat == NULL)
		return thrift_error_raise(thrift_missing_arg("Catalog"), &out, error);
	thrift_audit_note_object(req->name, NULL);
	g_autoptr(JsonObject) doc = translate_catalog_to_json(req->newCat);
	GError *err = NULL;
	if (!catalog_alter_catalog(cat_now(), &ctx, req->name, doc, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_drop_catalog(ThriftHiveMetastoreIf *iface, const DropCatalogRequest *req,
                               NoSuchObjectException **o1, InvalidOperationException **o2, MetaException **o3,
                               GError **error)
{
	ThriftErrOut out = {.meta = o3, .no_such = o1, .invalid_op = o2};
	CatalogCtx ctx = ctx_now();
	thrift_audit_note_object(req->name, NULL);
	GError *err = NULL;
	if (!catalog_drop_catalog(cat_now(), &ctx, req->name, &err))
		return thrift_error_raise(err, &out, error);
	return TRUE;
}

static gboolean h_get_metastore_db_uuid(ThriftHiveMetastoreIf *iface, gchar **ret, MetaException **o1,
                                        GError **error)
{
	ThriftErrOut out = {.meta = o1};
	CatalogCtx ctx = ctx_now();
	GError *err = NULL;
	char *uuid = catalog_metastore_uuid(cat_now(), &ctx, &err);
	if (uuid == NULL)
		return thrift_error_raise(err, &out, error);
	g_free(*ret);
	*ret = uuid;
	return TRUE;
}

/* Hive flushes its ObjectStore caches; Propolis keeps none that could be stale. */
static gboolean h_flush_cache(ThriftHiveMetastoreIf *iface, GError **error)
{
	return TRUE;
}

void thrift_catalog_install(ThriftHiveMetastoreHandlerClass *klass)
{
	klass->create_catalog = h_create_catalog;
	klass->get_catalog = h_get_catalog;
	klass->get_catalogs = h_get_catalogs;
	klass->alter_catalog = h_alter_catalog;
	klass->drop_catalog = h_drop_catalog;
	klass->get_metastore_db_uuid = h_get_metastore_db_uuid;
	klass->flush_cache = h_flush_cache;
}

const char *const *thrift_catalog_methods(guint *n)
{
	*n = G_N_ELEMENTS(catalog_methods);
	return catalog_methods;
}
