/*
 * test_store.c — store/ against a real PostgreSQL: migrations, pool, every entity function.
 *
 * The unchecked fixture starts a throwaway cluster with embedded_pg_start() in a temporary
 * directory (nothing external is needed) and stops it at the end; each test (forked by Check)
 * migrates (idempotent), opens its own pool and uses its own catalog name, so tests do not
 * see each other's rows.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "common/error.h"
#include "store/embedded.h"
#include "store/store.h"
#include "store/store_internal.h"

static char *tmp_dir;
static EmbeddedPg *embedded;

static void cluster_start(void)
{
	g_autoptr(GError) error = NULL;
	g_setenv("PROPOLIS_EMBEDDED_NOSYNC", "1", TRUE); /* throwaway clusters */
	tmp_dir = g_dir_make_tmp("propolis-store-XXXXXX", &error);
	g_assert_no_error(error);
	embedded = embedded_pg_start(tmp_dir, &error);
	if (embedded == NULL)
		g_error("embedded_pg_start: %s", error->message);
}

static void cluster_stop(void)
{
	embedded_pg_stop(embedded);
	const char *argv[] = {"rm", "-rf", tmp_dir, NULL};
	(void)g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
	g_free(tmp_dir);
}

/* The conninfo of another database of the same cluster (later keywords win in libpq). */
static char *conninfo_for(const char *dbname)
{
	return g_strdup_printf("%s dbname=%s", embedded_pg_conninfo(embedded), dbname);
}

/* Runs SQL on a fresh admin connection; returns the first value of the first row (or NULL). */
static char *admin_sql(const char *dbname, const char *sql)
{
	g_autofree char *info = conninfo_for(dbname);
	g_autoptr(PGconn) pg = PQconnectdb(info);
	ck_assert_int_eq(PQstatus(pg), CONNECTION_OK);
	g_autoptr(PGresult) res = PQexec(pg, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql,
	              PQresultErrorMessage(res));
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0)
		return NULL;
	return g_strdup(PQgetvalue(res, 0, 0));
}

static void migrate_or_fail(const char *conninfo)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = store_migrate(conninfo, PROPOLIS_SOURCE_MIGRATIONS, &error);
	ck_assert_msg(ok, "store_migrate: %s", error ? error->message : "?");
}

/* A pool on the migrated `propolis` database, with a connection in a transaction. */
typedef struct {
	StorePool *pool;
	StoreConn *conn;
} Fixture;

static Fixture fixture_open(void)
{
	migrate_or_fail(embedded_pg_conninfo(embedded));
	Fixture f = {.pool = store_pool_new(embedded_pg_conninfo(embedded), 2, 2000)};
	g_autoptr(GError) error = NULL;
	f.conn = store_pool_acquire(f.pool, 0, &error);
	g_assert_no_error(error);
	ck_assert(store_begin(f.conn, &error));
	return f;
}

static void fixture_close(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(store_commit(f->conn, &error), "commit: %s", error ? error->message : "");
	store_pool_release(f->pool, f->conn);
	store_pool_free(f->pool);
}

/* After an expected failure: roll back and open a new transaction. */
static void fixture_restart(Fixture *f)
{
	store_rollback(f->conn);
	g_autoptr(GError) error = NULL;
	ck_assert(store_begin(f->conn, &error));
}

/* Commits what the test did so far and opens a new transaction. */
static void fixture_checkpoint(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	ck_assert_msg(store_commit(f->conn, &error), "commit: %s", error ? error->message : "");
	ck_assert(store_begin(f->conn, &error));
}

static JsonObject *json_obj(const char *text)
{
	g_autoptr(GError) error = NULL;
	JsonObject *o = store_json_parse_object(text, &error);
	g_assert_no_error(error);
	return o;
}

static void ensure_catalog(Fixture *f, const char *catalog)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) def = json_obj("{\"Name\":\"default\",\"Parameters\":{}}");
	ck_assert(store_catalog_ensure(f->conn, catalog, def, &error));
	ck_assert(store_catalog_ensure(f->conn, catalog, def, &error)); /* idempotent */
	fixture_checkpoint(f);
}

/* ---- migrations ---- */

typedef struct {
	const char *conninfo;
	gboolean ok;
} MigrateJob;

static gpointer migrate_thread(gpointer data)
{
	MigrateJob *job = data;
	job->ok = store_migrate(job->conninfo, PROPOLIS_SOURCE_MIGRATIONS, NULL);
	return NULL;
}

START_TEST(migrate_twice_and_concurrently_applies_once)
{
	g_free(admin_sql("postgres", "CREATE DATABASE mig_concurrent"));
	g_autofree char *info = conninfo_for("mig_concurrent");
	MigrateJob a = {info, FALSE}, b = {info, FALSE};
	GThread *ta = g_thread_new("mig-a", migrate_thread, &a);
	GThread *tb = g_thread_new("mig-b", migrate_thread, &b);
	g_thread_join(ta);
	g_thread_join(tb);
	ck_assert(a.ok && b.ok);
	migrate_or_fail(info);
	g_autofree char *n = admin_sql("mig_concurrent", "SELECT count(*) FROM schema_migrations");
	g_autoptr(GDir) dir = g_dir_open(PROPOLIS_SOURCE_MIGRATIONS, 0, NULL);
	int files = 0;
	for (const char *name; (name = g_dir_read_name(dir)) != NULL;)
		files += g_str_has_suffix(name, ".sql");
	ck_assert_int_eq(atoi(n), files);
	g_autofree char *t = admin_sql("mig_concurrent", "SELECT count(*) FROM tables");
	ck_assert_str_eq(t, "0");
}
END_TEST

/* Copies the migrations into a temp dir, changing 0001_catalog.sql's bytes. */
static char *migrations_changed_copy(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = g_dir_make_tmp("propolis-mig-XXXXXX", &error);
	g_assert_no_error(error);
	g_autoptr(GDir) src = g_dir_open(PROPOLIS_SOURCE_MIGRATIONS, 0, NULL);
	for (const char *name; (name = g_dir_read_name(src)) != NULL;) {
		g_autofree char *from = g_build_filename(PROPOLIS_SOURCE_MIGRATIONS, name, NULL);
		g_autofree char *to = g_build_filename(dir, name, NULL);
		g_autofree char *text = NULL;
		ck_assert(g_file_get_contents(from, &text, NULL, NULL));
		g_autofree char *changed = g_strconcat(text, strcmp(name, "0001_catalog.sql") == 0 ? "\n-- edit\n" : "", NULL);
		ck_assert(g_file_set_contents(to, changed, -1, NULL));
	}
	return dir;
}

START_TEST(migrate_refuses_changed_file_and_newer_database)
{
	const char *info = embedded_pg_conninfo(embedded);
	migrate_or_fail(info);
	g_autofree char *dir = migrations_changed_copy();
	g_autoptr(GError) error = NULL;
	ck_assert(!store_migrate(info, dir, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_MIGRATION));
	ck_assert_msg(strstr(error->message, "0001_catalog.sql") != NULL, "%s", error->message);
	g_clear_error(&error);

	g_autofree char *empty = g_dir_make_tmp("propolis-mig-empty-XXXXXX", NULL);
	ck_assert(!store_migrate(info, empty, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_MIGRATION));
	ck_assert_msg(strstr(error->message, "newer than this binary") != NULL, "%s", error->message);
	const char *argv[] = {"rm", "-rf", dir, empty, NULL};
	(void)g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}
END_TEST

/* ---- databases ---- */

START_TEST(database_crud_and_errors)
{
	Fixture f = fixture_open();
	g_autoptr(GError) error = NULL;
	ensure_catalog(&f, "c_db");
	g_autoptr(JsonObject) sales = json_obj("{\"Name\":\"sales\",\"Description\":\"d\",\"Parameters\":{\"a\":\"1\"}}");
	ck_assert(store_database_insert(f.conn, "c_db", sales, &error));
	ck_assert(!store_database_insert(f.conn, "c_db", sales, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_UNIQUE));
	g_clear_error(&error);
	fixture_restart(&f);
	ck_assert(!store_database_insert(f.conn, "no_such_catalog", sales, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);

	ck_assert(store_database_insert(f.conn, "c_db", sales, &error));
	g_autoptr(JsonObject) got = store_database_get(f.conn, "c_db", "sales", TRUE, &error);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(json_object_get_string_member(got, "Description"), "d");

	g_autoptr(GPtrArray) all = store_database_list(f.conn, "c_db", NULL, &error);
	ck_assert_int_eq(all->len, 2);
	ck_assert_str_eq(g_ptr_array_index(all, 0), "default");
	g_autoptr(GPtrArray) some = store_database_list(f.conn, "c_db", "^SA.*$", &error);
	ck_assert_int_eq(some->len, 1);

	json_object_set_string_member(sales, "Description", "new");
	ck_assert(store_database_update(f.conn, "c_db", "sales", sales, &error));
	g_autoptr(JsonObject) got2 = store_database_get(f.conn, "c_db", "sales", FALSE, &error);
	ck_assert_str_eq(json_object_get_string_member(got2, "Description"), "new");
	ck_assert(!store_database_update(f.conn, "c_db", "nope", sales, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);

	g_autoptr(JsonObject) t = json_obj("{\"Name\":\"t\",\"DatabaseName\":\"sales\",\"TableType\":\"EXTERNAL_TABLE\"}");
	ck_assert(store_table_insert(f.conn, "c_db", "sales", t, &error));
	g_autoptr(JsonObject) fn = json_obj("{\"FunctionName\":\"f\",\"DatabaseName\":\"sales\",\"ClassName\":\"X\"}");
	ck_assert(store_function_insert(f.conn, "c_db", "sales", fn, &error));
	gint64 tables = -1, functions = -1;
	ck_assert(store_database_count_children(f.conn, "c_db", "sales", &tables, &functions, &error));
	ck_assert_int_eq(tables, 1);
	ck_assert_int_eq(functions, 1);

	ck_assert(store_database_delete(f.conn, "c_db", "sales", &error));
	ck_assert_ptr_null(store_database_get(f.conn, "c_db", "sales", FALSE, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);
	ck_assert(!store_database_delete(f.conn, "c_db", "sales", &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);
	ck_assert(!store_database_count_children(f.conn, "c_db", "sales", &tables, &functions, &error));
	g_clear_error(&error);
	fixture_close(&f);
	g_autofree char *left = admin_sql("propolis", "SELECT count(*) FROM tables t JOIN databases d ON d.id ="
	                                              " t.database_id WHERE d.name = 'sales'");
	ck_assert_str_eq(left, "0");
}
END_TEST

/* ---- tables ---- */

static JsonObject *table_doc(const char *db, const char *name, const char *type, const char *owner)
{
	g_autofree char *text = g_strdup_printf("{\"Name\":\"%s\",\"DatabaseName\":\"%s\",\"TableType\":\"%s\","
	                                        "\"Owner\":\"%s\",\"LastAccessTime\":%d,\"Parameters\":{\"k\":\"%s\"}}",
	                                        name, db, type, owner, (int)strlen(name), name);
	return json_obj(text);
}

START_TEST(table_insert_get_update_versions_rename)
{
	Fixture f = fixture_open();
	g_autoptr(GError) error = NULL;
	ensure_catalog(&f, "c_tbl");
	g_autoptr(JsonObject) db2 = json_obj("{\"Name\":\"other\"}");
	ck_assert(store_database_insert(f.conn, "c_tbl", db2, &error));
	g_autoptr(JsonObject) t1 = table_doc("default", "t1", "MANAGED_TABLE", "alice");
	json_object_set_string_member(t1, "VersionId", "99"); /* never stored */
	ck_assert(store_table_insert(f.conn, "c_tbl", "default", t1, &error));

	g_autoptr(JsonObject) got = store_table_get(f.conn, "c_tbl", "default", "t1", FALSE, &error);
	ck_assert_str_eq(json_object_get_string_member(got, "VersionId"), "1");
	ck_assert_str_eq(json_object_get_string_member(got, "Owner"), "alice");
	fixture_checkpoint(&f);

	ck_assert(!store_table_insert(f.conn, "c_tbl", "default", t1, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_UNIQUE));
	g_clear_error(&error);
	fixture_restart(&f);
	ck_assert(!store_table_insert(f.conn, "c_tbl", "nodb", t1, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);

	gint64 v = 0;
	json_object_set_string_member(got, "Owner", "bob");
	ck_assert(store_table_update(f.conn, "c_tbl", "default", "t1", got, 1, &v, &error));
	ck_assert_int_eq(v, 2);
	fixture_checkpoint(&f);
	ck_assert(!store_table_update(f.conn, "c_tbl", "default", "t1", got, 1, &v, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_CONFLICT));
	g_clear_error(&error);
	fixture_restart(&f);

	/* versions kept: both rows exist, the old one with the old owner */
	const char *p[] = {"c_tbl"};
	g_autoptr(PGresult) res = store_exec(f.conn, "test_versions",
	                                     "SELECT v.version, v.doc->>'Owner', v.doc ? 'VersionId' FROM table_versions v"
	                                     " JOIN tables t ON t.id = v.table_id JOIN databases d ON d.id = t.database_id"
	                                     " JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = $1 ORDER BY 1",
	                                     1, p, &error);
	ck_assert_ptr_nonnull(res);
	ck_assert_int_eq(PQntuples(res), 2);
	ck_assert_str_eq(PQgetvalue(res, 0, 1), "alice");
	ck_assert_str_eq(PQgetvalue(res, 1, 1), "bob");
	ck_assert_str_eq(PQgetvalue(res, 0, 2), "f");

	/* rename and move in one update; constraints follow the row */
	g_autoptr(JsonObject) cons = json_obj("{\"primaryKeys\":[{\"column_name\":\"a\",\"key_seq\":1}]}");
	ck_assert(store_constraints_put(f.conn, "c_tbl", "default", "t1", cons, &error));
	g_autoptr(JsonObject) moved = table_doc("other", "t9", "MANAGED_TABLE", "bob");
	ck_assert(store_table_update(f.conn, "c_tbl", "default", "t1", moved, 0, &v, &error));
	ck_assert_int_eq(v, 3);
	ck_assert_ptr_null(store_table_get(f.conn, "c_tbl", "default", "t1", FALSE, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);
	g_autoptr(JsonObject) got9 = store_table_get(f.conn, "c_tbl", "other", "t9", TRUE, &error);
	ck_assert_str_eq(json_object_get_string_member(got9, "VersionId"), "3");
	g_autoptr(JsonArray) pks = store_constraints_get(f.conn, "c_tbl", "other", "t9", "primaryKeys", &error);
	ck_assert_int_eq(json_array_get_length(pks), 1);
	fixture_checkpoint(&f);
	g_autoptr(JsonArray) fks = store_constraints_get(f.conn, "c_tbl", "other", "t9", "foreignKeys", &error);
	ck_assert_int_eq(json_array_get_length(fks), 0);
	ck_assert_ptr_null(store_constraints_get(f.conn, "c_tbl", "other", "gone", "primaryKeys", &error));
	g_clear_error(&error);

	/* rename onto a taken name, move to a missing database, update a missing table */
	g_autoptr(JsonObject) t2 = table_doc("other", "t2", "VIRTUAL_VIEW", "carol");
	ck_assert(store_table_insert(f.conn, "c_tbl", "other", t2, &error));
	fixture_checkpoint(&f);
	ck_assert(!store_table_update(f.conn, "c_tbl", "other", "t2", got9, 0, &v, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_UNIQUE));
	g_clear_error(&error);
	fixture_restart(&f);
	g_autoptr(JsonObject) lost = table_doc("nodb", "t9", "MANAGED_TABLE", "bob");
	ck_assert(!store_table_update(f.conn, "c_tbl", "other", "t9", lost, 0, &v, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);
	ck_assert(!store_table_update(f.conn, "c_tbl", "other", "nope", lost, 0, &v, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);

	ck_assert(store_table_delete(f.conn, "c_tbl", "other", "t9", &error));
	ck_assert(!store_table_delete(f.conn, "c_tbl", "other", "t9", &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);
	fixture_close(&f);
	g_autofree char *left = admin_sql("propolis", "SELECT count(*) FROM table_versions v LEFT JOIN tables t"
	                                              " ON t.id = v.table_id WHERE t.id IS NULL");
	ck_assert_str_eq(left, "0");
}
END_TEST

START_TEST(table_lists_and_filters)
{
	Fixture f = fixture_open();
	g_autoptr(GError) error = NULL;
	ensure_catalog(&f, "c_list");
	const char *names[] = {"abc", "abd", "xyz", "v1"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(JsonObject) t = table_doc("default", names[i], i == 3 ? "VIRTUAL_VIEW" : "MANAGED_TABLE",
		                                    i == 0 ? "alice" : "bob");
		ck_assert(store_table_insert(f.conn, "c_list", "default", t, &error));
	}
	g_autoptr(GPtrArray) all = store_table_list(f.conn, "c_list", "default", NULL, NULL, FALSE, &error);
	ck_assert_int_eq(all->len, 4);
	ck_assert_str_eq(g_ptr_array_index(all, 0), "abc");
	g_autoptr(GPtrArray) ab = store_table_list(f.conn, "c_list", "default", "^AB.*$", NULL, TRUE, &error);
	ck_assert_int_eq(ab->len, 2);
	ck_assert_str_eq(json_object_get_string_member(g_ptr_array_index(ab, 1), "VersionId"), "1");
	g_autoptr(GPtrArray) views = store_table_list(f.conn, "c_list", "default", NULL, "VIRTUAL_VIEW", FALSE, &error);
	ck_assert_int_eq(views->len, 1);

	g_autoptr(GPtrArray) want = g_ptr_array_new();
	g_ptr_array_add(want, "xyz");
	g_ptr_array_add(want, "missing");
	g_ptr_array_add(want, "abc");
	g_autoptr(GPtrArray) many = store_table_get_many(f.conn, "c_list", "default", want, &error);
	ck_assert_int_eq(many->len, 2);
	ck_assert_str_eq(json_object_get_string_member(g_ptr_array_index(many, 0), "Name"), "xyz");

	g_autoptr(GPtrArray) types = g_ptr_array_new();
	g_ptr_array_add(types, "VIRTUAL_VIEW");
	g_autoptr(GPtrArray) meta = store_table_list_meta(f.conn, "c_list", "^def.*", NULL, types, &error);
	ck_assert_int_eq(meta->len, 1);
	JsonObject *m0 = g_ptr_array_index(meta, 0);
	ck_assert_str_eq(json_object_get_string_member(m0, "DatabaseName"), "default");
	ck_assert_str_eq(json_object_get_string_member(m0, "Owner"), "bob");
	ck_assert(!json_object_has_member(m0, "Description"));
	g_autoptr(GPtrArray) meta_all = store_table_list_meta(f.conn, "c_list", NULL, NULL, NULL, &error);
	ck_assert_int_eq(meta_all->len, 4);

	struct {
		const char *field, *op, *value;
		guint expect;
	} cases[] = {
	    {"owner", "=", "alice", 1},        {"owner", "<>", "alice", 3},     {"owner", "like", "^b.*", 3},
	    {"name", ">=", "abd", 3},          {"name", "like", "^ab", 2},      {"param:k", "=", "xyz", 1},
	    {"param:k", "like", "^a", 2},      {"param:nokey", "=", "x", 0},    {"last_access", ">", "2", 3},
	    {"last_access", "<=", "2", 1},     {"param:k'; drop", "=", "x", 0},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) r =
		    store_table_names_where(f.conn, "c_list", "default", cases[i].field, cases[i].op, cases[i].value, &error);
		ck_assert_msg(r != NULL, "%s %s: %s", cases[i].field, cases[i].op, error ? error->message : "");
		ck_assert_msg(r->len == cases[i].expect, "%s %s %s: %u", cases[i].field, cases[i].op, cases[i].value, r->len);
	}
	ck_assert_ptr_null(store_table_names_where(f.conn, "c_list", "default", "last_access", "like", "1", &error));
	g_clear_error(&error);
	ck_assert_ptr_null(store_table_names_where(f.conn, "c_list", "default", "last_access", "=", "x", &error));
	g_clear_error(&error);
	fixture_close(&f);
}
END_TEST

/* ---- functions ---- */

START_TEST(function_crud_and_errors)
{
	Fixture f = fixture_open();
	g_autoptr(GError) error = NULL;
	ensure_catalog(&f, "c_fn");
	g_autoptr(JsonObject) fn = json_obj("{\"FunctionName\":\"lower2\",\"DatabaseName\":\"default\","
	                                    "\"ClassName\":\"a.B\",\"ResourceUris\":[]}");
	ck_assert(store_function_insert(f.conn, "c_fn", "default", fn, &error));
	fixture_checkpoint(&f);
	ck_assert(!store_function_insert(f.conn, "c_fn", "default", fn, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_UNIQUE));
	g_clear_error(&error);
	fixture_restart(&f);
	ck_assert(!store_function_insert(f.conn, "c_fn", "nodb", fn, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);

	g_autoptr(JsonObject) got = store_function_get(f.conn, "c_fn", "default", "lower2", &error);
	ck_assert_str_eq(json_object_get_string_member(got, "ClassName"), "a.B");
	json_object_set_string_member(got, "FunctionName", "upper2");
	ck_assert(store_function_update(f.conn, "c_fn", "default", "lower2", got, &error));
	ck_assert_ptr_null(store_function_get(f.conn, "c_fn", "default", "lower2", &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);
	ck_assert(!store_function_update(f.conn, "c_fn", "default", "lower2", got, &error));
	g_clear_error(&error);

	g_autoptr(GPtrArray) all = store_function_list(f.conn, "c_fn", NULL, NULL, &error);
	ck_assert_int_eq(all->len, 1);
	g_autoptr(GPtrArray) none = store_function_list(f.conn, "c_fn", "default", "^low.*", &error);
	ck_assert_int_eq(none->len, 0);
	ck_assert(store_function_delete(f.conn, "c_fn", "default", "upper2", &error));
	ck_assert(!store_function_delete(f.conn, "c_fn", "default", "upper2", &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND));
	g_clear_error(&error);
	fixture_close(&f);
}
END_TEST

/* ---- notification log ---- */

/* A JSON message of at least min bytes, with escapes and non-ASCII text, as a GString. */
static GString *event_big_message(gsize min)
{
	GString *s = g_string_new("{\"partitionListJson\":[");
	for (int i = 0; s->len < min; i++)
		g_string_append_printf(s, "%s\"{\\\"values\\\":[\\\"d\xc3\xa9%d\\\"]}\"", i ? "," : "", i);
	g_string_append(s, "]}");
	return s;
}

/* The storage of the events of catalog c_ev: "id:T" (text) or "id:D" (deflated), comma-separated. */
static char *event_storage(void)
{
	return admin_sql("propolis", "SELECT string_agg(event_id || ':' || CASE WHEN message IS NULL THEN 'D' ELSE 'T'"
	                             " END, ',' ORDER BY event_id) FROM notification_log WHERE catalog = 'c_ev'");
}

/* Overwrites event id's message_deflate with the bytea literal value (admin connection). */
static void event_corrupt(gint64 id, const char *value)
{
	g_autofree char *sql = g_strdup_printf("UPDATE notification_log SET message_deflate = %s WHERE event_id = %"
	                                       G_GINT64_FORMAT, value, id);
	g_free(admin_sql("propolis", sql));
}

/* A batch's common beginning stored once: read back whole, kept while any event of the batch is. */
START_TEST(event_prefix_stored_once_and_trimmed_with_its_last_event)
{
	Fixture f = fixture_open();
	g_autoptr(GError) error = NULL;
	const char *prefix = "{\"table\":\"t\",\"tableObjJson\":\"{\\\"1\\\":\\\"\xc3\xa9\\\"}\",\"partitions\":[";
	g_autoptr(GPtrArray) rests = g_ptr_array_new();
	g_ptr_array_add(rests, "{\"k\":\"a\"}]}");
	g_ptr_array_add(rests, "{\"k\":\"b\"}]}");
	g_ptr_array_add(rests, "{\"k\":\"c\"}]}");
	gint64 first = 0;
	ck_assert_msg(store_event_append_many_prefixed(f.conn, "c_pre", "d", "t", "DROP_PARTITION", prefix, rests, &first,
	                                               &error), "append: %s", error ? error->message : "");
	fixture_checkpoint(&f);
	g_autofree char *n = admin_sql("propolis", "SELECT count(*) FROM notification_prefixes");
	ck_assert_str_eq(n, "1");
	g_autoptr(JsonArray) evs = store_event_list(f.conn, first - 1, 0, NULL, "c_pre", NULL, NULL, &error);
	ck_assert_msg(evs != NULL, "list: %s", error ? error->message : "");
	ck_assert_int_eq(json_array_get_length(evs), 3);
	for (guint i = 0; i < 3; i++) {
		g_autofree char *want = g_strconcat(prefix, (char *)g_ptr_array_index(rests, i), NULL);
		ck_assert_str_eq(json_object_get_string_member(json_array_get_object_element(evs, i), "message"), want);
	}
	/* two of the three age out: the prefix stays for the third */
	g_autofree char *sql = g_strdup_printf("UPDATE notification_log SET event_time = 0 WHERE event_id < %" G_GINT64_FORMAT,
	                                       first + 2);
	g_free(admin_sql("propolis", sql));
	ck_assert_msg(store_event_trim(f.conn, 3600, &error), "trim: %s", error ? error->message : "");
	fixture_checkpoint(&f);
	g_autofree char *kept = admin_sql("propolis", "SELECT count(*) FROM notification_prefixes");
	ck_assert_str_eq(kept, "1");
	g_autoptr(JsonArray) left = store_event_list(f.conn, first - 1, 0, NULL, "c_pre", NULL, NULL, &error);
	ck_assert_int_eq(json_array_get_length(left), 1);
	g_autofree char *want = g_strconcat(prefix, (char *)g_ptr_array_index(rests, 2), NULL);
	ck_assert_str_eq(json_object_get_string_member(json_array_get_object_element(left, 0), "message"), want);
	/* the last one goes: so does the prefix */
	g_free(admin_sql("propolis", "UPDATE notification_log SET event_time = 0 WHERE catalog = 'c_pre'"));
	ck_assert_msg(store_event_trim(f.conn, 3600, &error), "trim: %s", error ? error->message : "");
	fixture_checkpoint(&f);
	g_autofree char *gone = admin_sql("propolis", "SELECT count(*) FROM notification_prefixes");
	ck_assert_str_eq(gone, "0");
	fixture_close(&f);
}
END_TEST

/* A message written in pieces of every size: text while short, deflated once it grows, read back whole. */
START_TEST(event_text_in_pieces_reads_back_whole)
{
	Fixture f = fixture_open();
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) big = event_big_message(3 * 1024 * 1024);
	const char *small = "{\"x\":[1,2,3]}";
	gsize sizes[] = {1, 7, 4096, 65535, 65536, 300000, 1 << 20};
	gint64 ids[2] = {0, 0};
	for (int which = 0; which < 2; which++) {
		const char *text = which ? big->str : small;
		gsize len = which ? big->len : strlen(small);
		g_autoptr(StoreEventText) t = store_event_text_new();
		for (gsize off = 0, k = 0; off < len; k++) {
			gsize n = MIN(sizes[k % G_N_ELEMENTS(sizes)], len - off);
			store_event_text_append(t, text + off, n);
			off += n;
		}
		ids[which] = store_event_append_text(f.conn, "c_pieces", "d", "t", "ADD_PARTITION", t, &error);
		ck_assert_msg(ids[which] > 0, "append_text: %s", error ? error->message : "");
	}
	fixture_checkpoint(&f);
	g_autofree char *storage = admin_sql("propolis", "SELECT string_agg(event_id || ':' || CASE WHEN message IS NULL"
	                                                 " THEN 'D' ELSE 'T' END, ',' ORDER BY event_id)"
	                                                 " FROM notification_log WHERE catalog = 'c_pieces'");
	g_autofree char *want = g_strdup_printf("%" G_GINT64_FORMAT ":T,%" G_GINT64_FORMAT ":D", ids[0], ids[1]);
	ck_assert_str_eq(storage, want);
	g_autoptr(JsonArray) evs = store_event_list(f.conn, ids[0] - 1, 0, NULL, "c_pieces", NULL, NULL, &error);
	ck_assert_msg(evs != NULL, "list: %s", error ? error->message : "");
	ck_assert_int_eq(json_array_get_length(evs), 2);
	ck_assert_str_eq(json_object_get_string_member(json_array_get_object_element(evs, 0), "message"), small);
	ck_assert_str_eq(json_object_get_string_member(json_array_get_object_element(evs, 1), "message"), big->str);
	fixture_close(&f);
}
END_TEST

START_TEST(event_log_deflates_big_messages_and_refuses_corrupt_ones)
{
	Fixture f = fixture_open();
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) big = event_big_message(200 * 1024);
	gsize big_len = big->len;
	g_string_append(big, "not part of it"); /* append_len must stop at big_len */
	gint64 small = store_event_append(f.conn, "c_ev", "d", "t", "CREATE_TABLE", "{\"a\":\"\xc3\xa9\"}", &error);
	ck_assert_msg(small > 0, "append: %s", error ? error->message : "");
	gint64 bid = store_event_append_len(f.conn, "c_ev", "d", NULL, "ADD_PARTITION", big->str, big_len, &error);
	ck_assert_msg(bid == small + 1, "append_len: %s", error ? error->message : "");
	g_autofree char *big_text = g_strndup(big->str, big_len);
	g_autoptr(GPtrArray) many = g_ptr_array_new();
	g_ptr_array_add(many, "{\"m\":0}");
	g_ptr_array_add(many, big_text);
	g_ptr_array_add(many, "{\"m\":\"\\\"2\\\"\"}");
	gint64 first = 0;
	ck_assert_msg(store_event_append_many(f.conn, "c_ev", "d", "t", "DROP_PARTITION", many, &first, &error),
	              "append_many: %s", error ? error->message : "");
	ck_assert_int_eq(first, bid + 1);
	fixture_checkpoint(&f);
	g_autofree char *want = g_strdup_printf("%" G_GINT64_FORMAT ":T,%" G_GINT64_FORMAT ":D,%" G_GINT64_FORMAT
	                                        ":T,%" G_GINT64_FORMAT ":D,%" G_GINT64_FORMAT ":T",
	                                        small, bid, first, first + 1, first + 2);
	g_autofree char *storage = event_storage();
	ck_assert_str_eq(storage, want);

	g_autoptr(JsonArray) evs = store_event_list(f.conn, small - 1, 0, NULL, "c_ev", NULL, NULL, &error);
	ck_assert_msg(evs != NULL, "list: %s", error ? error->message : "");
	ck_assert_int_eq(json_array_get_length(evs), 5);
	JsonObject *e0 = json_array_get_object_element(evs, 0), *e1 = json_array_get_object_element(evs, 1);
	ck_assert_int_eq(json_object_get_int_member(e0, "eventId"), small);
	ck_assert_int_gt(json_object_get_int_member(e0, "eventTime"), 0);
	ck_assert_str_eq(json_object_get_string_member(e0, "eventType"), "CREATE_TABLE");
	ck_assert_str_eq(json_object_get_string_member(e0, "dbName"), "d");
	ck_assert_str_eq(json_object_get_string_member(e0, "tableName"), "t");
	ck_assert_str_eq(json_object_get_string_member(e0, "message"), "{\"a\":\"\xc3\xa9\"}");
	ck_assert_str_eq(json_object_get_string_member(e0, "messageFormat"), "json-0.2");
	ck_assert_str_eq(json_object_get_string_member(e0, "catName"), "c_ev");
	ck_assert_int_eq(json_object_get_size(e0), 8);
	ck_assert(!json_object_has_member(e1, "tableName")); /* NULL column: absent, as before */
	ck_assert_str_eq(json_object_get_string_member(e1, "message"), big_text);
	ck_assert_str_eq(json_object_get_string_member(json_array_get_object_element(evs, 3), "message"), big_text);
	ck_assert_str_eq(json_object_get_string_member(json_array_get_object_element(evs, 4), "message"),
	                 "{\"m\":\"\\\"2\\\"\"}");

	/* exactly one of the two columns */
	g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, bid);
	const char *params[] = {id};
	PGresult *res = store_exec(f.conn, "test_event_both", "UPDATE notification_log SET message = 'x'"
	                           " WHERE event_id = $1::bigint", 1, params, &error);
	ck_assert_ptr_null(res);
	g_clear_error(&error);
	fixture_restart(&f);

	/* corrupt values are STORE_ERROR_INTERNAL: short, a length the bytes cannot hold, zlib errors */
	const char *corrupt[] = {"'\\x00'", "'\\x7fffffff0000'", "'\\x3fffffff0000'", "'\\x00000010deadbeefdeadbeef'",
	                         "overlay(message_deflate placing '\\x00000001' from 1)",
	                         "overlay(message_deflate placing '\\x00100000' from 1)",
	                         "substr(message_deflate, 1, octet_length(message_deflate) - 5)"};
	for (guint i = 0; i < G_N_ELEMENTS(corrupt); i++) {
		event_corrupt(bid, corrupt[i]);
		ck_assert_ptr_null(store_event_list(f.conn, small - 1, 0, NULL, "c_ev", NULL, NULL, &error));
		ck_assert_msg(g_error_matches(error, STORE_ERROR, STORE_ERROR_INTERNAL), "case %u: %s", i,
		              error ? error->message : "no error");
		g_clear_error(&error);
		g_autofree char *good = g_strdup_printf("(SELECT message_deflate FROM notification_log WHERE event_id = %"
		                                        G_GINT64_FORMAT ")", first + 1); /* the same text */
		event_corrupt(bid, good);
	}
	g_autoptr(JsonArray) again = store_event_list(f.conn, small - 1, 0, NULL, "c_ev", NULL, NULL, &error);
	ck_assert_msg(again != NULL, "list: %s", error ? error->message : "");
	fixture_close(&f);
}
END_TEST

/* ---- pool ---- */

START_TEST(pool_exhaustion_is_unavailable_within_wait)
{
	StorePool *pool = store_pool_new(embedded_pg_conninfo(embedded), 1, 300);
	g_autoptr(GError) error = NULL;
	StoreConn *a = store_pool_acquire(pool, 0, &error);
	ck_assert_ptr_nonnull(a);
	gint64 t0 = g_get_monotonic_time();
	ck_assert_ptr_null(store_pool_acquire(pool, 0, &error));
	gint64 waited = g_get_monotonic_time() - t0;
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE));
	ck_assert_msg(strstr(error->message, "pool_size=1") != NULL, "%s", error->message);
	ck_assert(waited >= 250 * 1000 && waited < 3 * G_USEC_PER_SEC);
	g_clear_error(&error);

	/* a nearer deadline wins over wait_ms */
	t0 = g_get_monotonic_time();
	ck_assert_ptr_null(store_pool_acquire(pool, t0 + 50 * 1000, &error));
	ck_assert(g_get_monotonic_time() - t0 < 250 * 1000);
	g_clear_error(&error);

	guint open, in_use, waiting;
	store_pool_usage(pool, &open, &in_use, &waiting);
	ck_assert_uint_eq(open, 1);
	ck_assert_uint_eq(in_use, 1);
	ck_assert_uint_eq(waiting, 0);

	/* released inside a transaction: rolled back before reuse */
	ck_assert(store_begin(a, &error));
	store_pool_release(pool, a);
	StoreConn *b = store_pool_acquire(pool, 0, &error);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(PQtransactionStatus(b->pg), PQTRANS_IDLE);
	store_pool_release(pool, b);
	store_pool_free(pool);
}
END_TEST

START_TEST(pool_killed_backend_is_unavailable_once_then_recovers)
{
	StorePool *pool = store_pool_new(embedded_pg_conninfo(embedded), 1, 2000);
	g_autoptr(GError) error = NULL;
	StoreConn *conn = store_pool_acquire(pool, 0, &error);
	g_autoptr(PGresult) pid = store_exec(conn, "test_pid", "SELECT pg_backend_pid()", 0, NULL, &error);
	ck_assert_ptr_nonnull(pid);
	g_autofree char *pid_text = g_strdup(PQgetvalue(pid, 0, 0));
	store_pool_release(pool, conn);

	g_autofree char *kill = g_strdup_printf("SELECT pg_terminate_backend(%s, 5000)", pid_text);
	g_autofree char *killed = admin_sql("postgres", kill);
	ck_assert_str_eq(killed, "t");

	conn = store_pool_acquire(pool, 0, &error);
	ck_assert_ptr_nonnull(conn);
	gboolean ok = store_begin(conn, &error);
	if (ok) { /* libpq may notice only at the first statement */
		g_autoptr(PGresult) r = store_exec(conn, "test_one", "SELECT 1", 0, NULL, &error);
		ok = r != NULL;
	}
	ck_assert(!ok);
	ck_assert_msg(g_error_matches(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE), "%s", error->message);
	g_clear_error(&error);
	store_pool_release(pool, conn);

	conn = store_pool_acquire(pool, 0, &error);
	ck_assert_ptr_nonnull(conn);
	ck_assert(store_begin(conn, &error));
	g_autoptr(PGresult) again = store_exec(conn, "test_pid", "SELECT pg_backend_pid()", 0, NULL, &error);
	ck_assert_ptr_nonnull(again);
	ck_assert_str_ne(PQgetvalue(again, 0, 0), pid_text);
	ck_assert(store_commit(conn, &error));
	store_pool_release(pool, conn);
	store_pool_free(pool);
}
END_TEST

START_TEST(pool_unreachable_server_is_unavailable)
{
	StorePool *pool = store_pool_new("host=/nonexistent-propolis dbname=x connect_timeout=2", 1, 100);
	g_autoptr(GError) error = NULL;
	ck_assert_ptr_null(store_pool_acquire(pool, 0, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE));
	guint open;
	store_pool_usage(pool, &open, NULL, NULL);
	ck_assert_uint_eq(open, 0);
	store_pool_free(pool);
}
END_TEST

/* ---- embedded ---- */

START_TEST(embedded_second_start_on_same_dir_is_refused)
{
	g_autoptr(GError) error = NULL;
	ck_assert_ptr_null(embedded_pg_start(tmp_dir, &error));
	ck_assert(g_error_matches(error, STORE_ERROR, STORE_ERROR_UNAVAILABLE));
	ck_assert_msg(strstr(error->message, "in use") != NULL, "%s", error->message);
}
END_TEST

START_TEST(embedded_restart_keeps_the_cluster)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("propolis-embedded-XXXXXX", &error);
	g_autofree char *data = g_build_filename(dir, "data dir", NULL); /* a space must survive quoting */
	EmbeddedPg *pg = NULL;
	if (geteuid() == 0) { /* the parent must be traversable by postgres: refused, then allowed */
		ck_assert_ptr_null(embedded_pg_start(data, &error));
		ck_assert_msg(strstr(error->message, "cannot traverse") != NULL, "%s", error->message);
		g_clear_error(&error);
		ck_assert_int_eq(g_chmod(dir, 0711), 0);
	}
	pg = embedded_pg_start(data, &error);
	ck_assert_msg(pg != NULL, "%s", error ? error->message : "");
	migrate_or_fail(embedded_pg_conninfo(pg));
	embedded_pg_stop(pg);

	pg = embedded_pg_start(data, &error);
	ck_assert_msg(pg != NULL, "%s", error ? error->message : "");
	g_autoptr(PGconn) conn = PQconnectdb(embedded_pg_conninfo(pg));
	g_autoptr(PGresult) res = PQexec(conn, "SELECT count(*) FROM schema_migrations");
	ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
	ck_assert_str_ne(PQgetvalue(res, 0, 0), "0");
	g_clear_pointer(&conn, PQfinish);
	embedded_pg_stop(pg);
	const char *argv[] = {"rm", "-rf", dir, NULL};
	(void)g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	tcase_add_unchecked_fixture(tc, cluster_start, cluster_stop);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, migrate_twice_and_concurrently_applies_once);
	tcase_add_test(tc, migrate_refuses_changed_file_and_newer_database);
	tcase_add_test(tc, database_crud_and_errors);
	tcase_add_test(tc, table_insert_get_update_versions_rename);
	tcase_add_test(tc, table_lists_and_filters);
	tcase_add_test(tc, function_crud_and_errors);
	tcase_add_test(tc, event_log_deflates_big_messages_and_refuses_corrupt_ones);
	tcase_add_test(tc, event_text_in_pieces_reads_back_whole);
	tcase_add_test(tc, event_prefix_stored_once_and_trimmed_with_its_last_event);
	tcase_add_test(tc, pool_exhaustion_is_unavailable_within_wait);
	tcase_add_test(tc, pool_killed_backend_is_unavailable_once_then_recovers);
	tcase_add_test(tc, pool_unreachable_server_is_unavailable);
	tcase_add_test(tc, embedded_second_start_on_same_dir_is_refused);
	tcase_add_test(tc, embedded_restart_keeps_the_cluster);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(store_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
