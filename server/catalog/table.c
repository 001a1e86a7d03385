/*
 * table.c — tables and views with Hive's semantics, each change a new table version.
 *
 * Invariants: table and column names are stored lower-case (Hive's ObjectStore does the
 * same); CreateTime is set by the server at create; Parameters.transient_lastDdlTime exists
 * after create and alter through the Hive door (Glue's writes keep exactly the parameters
 * given, as Glue does; a Glue-written table read through Thrift shows what is stored); a non-view without a location gets `<database location>/<name>`;
 * partition keys never change through alter; every alter writes a new version (store/).
 * A conditional alter (Iceberg's expected_parameter_key/value, Glue's VersionId) reads the
 * row FOR UPDATE and compares inside the same transaction as the write.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"

#define DDL_TIME "transient_lastDdlTime"

/* Lower-cases Name of every column in array member `member` of obj; INVALID_OBJECT on a bad column. */
static gboolean table_normalise_columns(JsonObject *obj, const char *member, const char *what, GError **error)
{
	if (obj == NULL || !json_object_has_member(obj, member))
		return TRUE;
	JsonNode *node = json_object_get_member(obj, member);
	if (!JSON_NODE_HOLDS_ARRAY(node))
		return TRUE;
	JsonArray *cols = json_node_get_array(node);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < json_array_get_length(cols); i++) {
		JsonObject *col = json_array_get_object_element(cols, i);
		const char *name = catalog_json_str(col, "Name");
		const char *type = catalog_json_str(col, "Type");
		if (!catalog_column_name_length_ok(name) || strchr(name, ',') != NULL) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "Invalid %s name: %.300s", what,
			            name ? name : "(null)");
			return FALSE;
		}
		if (type == NULL || *type == '\0') {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "Invalid %s type for %s", what, name);
			return FALSE;
		}
		g_autofree char *lower = catalog_lower(name);
		json_object_set_string_member(col, "Name", lower);
		const char *stored = catalog_json_str(col, "Name");
		if (g_hash_table_contains(seen, stored)) {
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "Duplicate column name %s", stored);
			return FALSE;
		}
		g_hash_table_add(seen, (gpointer)stored);
	}
	return TRUE;
}

/* The StorageDescriptor object of a table document, or NULL. */
static JsonObject *table_sd(JsonObject *table)
{
	JsonNode *n = json_object_get_member(table, "StorageDescriptor");
	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* TRUE for Hive's external tables: EXTERNAL=TRUE (any case) in Parameters or type EXTERNAL_TABLE. */
static gboolean table_is_external(JsonObject *table)
{
	JsonNode *p = json_object_get_member(table, "Parameters");
	if (p && JSON_NODE_HOLDS_OBJECT(p)) {
		const char *ext = catalog_json_str(json_node_get_object(p), "EXTERNAL");
		if (ext && g_ascii_strcasecmp(ext, "TRUE") == 0)
			return TRUE;
	}
	const char *type = catalog_json_str(table, "TableType");
	return type && strcmp(type, "EXTERNAL_TABLE") == 0;
}

static gboolean table_is_view(JsonObject *table)
{
	const char *type = catalog_json_str(table, "TableType");
	return type && (strcmp(type, "VIRTUAL_VIEW") == 0 || strcmp(type, "MATERIALIZED_VIEW") == 0);
}

/* Validates names, columns and partition keys of a document and lower-cases them. */
static gboolean table_validate(JsonObject *table, GError **error)
{
	const char *name = catalog_json_str(table, "Name");
	if (name == NULL || !catalog_name_is_valid(name)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OBJECT, "%.300s is not a valid object name",
		            name ? name : "null");
		return FALSE;
	}
	if (!catalog_doc_check_text(table, error))
		return FALSE;
	g_autofree char *lower = catalog_lower(name);
	json_object_set_string_member(table, "Name", lower);
	json_object_remove_member(table, "CatalogName");
	if (!table_normalise_columns(table_sd(table), "Columns", "column", error))
		return FALSE;
	if (!table_normalise_columns(table, "PartitionKeys", "partition column", error))
		return FALSE;
	if (!json_object_has_member(table, "Parameters"))
		json_object_set_object_member(table, "Parameters", json_object_new());
	return TRUE;
}

/* The default location of a table: `<db location>/<name>` (Hive's getDefaultTablePath). */
static char *table_default_location(JsonObject *db, JsonObject *table)
{
	const char *dbloc = catalog_json_str(db, "LocationUri");
	JsonNode *h = json_object_get_member(db, "Hive");
	if (!table_is_external(table) && h && JSON_NODE_HOLDS_OBJECT(h)) {
		const char *managed = catalog_json_str(json_node_get_object(h), "ManagedLocationUri");
		if (managed && *managed)
			dbloc = managed;
	}
	if (dbloc == NULL)
		dbloc = "";
	gsize n = strlen(dbloc);
	return g_strdup_printf("%.*s/%s", (int)(n > 0 && dbloc[n - 1] == '/' ? n - 1 : n), dbloc,
	                       catalog_json_str(table, "Name"));
}

/* Fills server-set fields of a new table: type, times, location. */
static void table_fill_new(JsonObject *db, JsonObject *table, const char *dbname, const CatalogCtx *ctx)
{
	json_object_set_string_member(table, "DatabaseName", dbname);
	const char *type = catalog_json_str(table, "TableType");
	if (type == NULL || *type == '\0') {
		json_object_set_string_member(table, "TableType", "MANAGED_TABLE");
		type = "MANAGED_TABLE";
	}
	if (strcmp(type, "MANAGED_TABLE") == 0 && table_is_external(table))
		json_object_set_string_member(table, "TableType", "EXTERNAL_TABLE");
	gint64 now = catalog_now();
	json_object_set_int_member(table, "CreateTime", now);
	JsonObject *params = json_object_get_object_member(table, "Parameters");
	const char *ddl = catalog_json_str(params, DDL_TIME);
	if (ddl == NULL && params != NULL && catalog_ctx_is_hive(ctx)) {
		g_autofree char *s = g_strdup_printf("%" G_GINT64_FORMAT, now);
		json_object_set_string_member(params, DDL_TIME, s);
	}
	if (!json_object_has_member(table, "PartitionKeys"))
		json_object_set_array_member(table, "PartitionKeys", json_array_new());
	if (!table_is_view(table)) {
		JsonObject *sd = table_sd(table);
		if (sd == NULL) {
			sd = json_object_new();
			json_object_set_object_member(table, "StorageDescriptor", sd);
		}
		const char *loc = catalog_json_str(sd, "Location");
		if (loc == NULL || *loc == '\0') {
			g_autofree char *def = table_default_location(db, table);
			json_object_set_string_member(sd, "Location", def);
		}
	}
}

/* Creates a table or view (and its constraints) in one transaction; returns the stored document. */
JsonObject *catalog_create_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                 JsonObject *table, const CatalogCreateTableOpts *opts, GError **error)
{
	const char *dbn = db ? db : catalog_json_str(table, "DatabaseName");
	if (dbn == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Null database name is not allowed");
		return NULL;
	}
	if (!table_validate(table, error))
		return NULL;
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(dbn);
	const char *name = catalog_json_str(table, "Name");

	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return NULL;
	g_autoptr(AuthzFacts) facts = NULL;
	if (!catalog_authz_database(&work, ctx, catname, dbname, AUTHZ_CREATE_TABLE, &facts, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GError *serr = NULL;
	g_autoptr(JsonObject) dbdoc = store_database_get(work.conn, catname, dbname, FALSE, &serr);
	gboolean ok = dbdoc != NULL;
	if (!ok) {
		g_autofree char *msg = g_strdup_printf("Database %s does not exist", dbname);
		catalog_error_from_store(serr, msg, NULL, error);
	}
	if (ok) {
		table_fill_new(dbdoc, table, dbname, ctx);
		JsonObject *sd = table_sd(table);
		ok = catalog_authz_sd_locations(&work, ctx, facts, sd, error) &&
		     catalog_authz_set_actor(&work, facts, error);
	}
	if (ok) {
		ok = store_table_insert(work.conn, catname, dbname, table, &serr);
		if (!ok) {
			g_autofree char *exists = g_strdup_printf("Table %s.%s.%s already exists", catname, dbname, name);
			g_autofree char *missing = g_strdup_printf("Database %s does not exist", dbname);
			catalog_error_from_store(serr, missing, exists, error);
		}
	}
	if (ok && opts && opts->constraints && json_object_get_size(opts->constraints) > 0) {
		ok = store_constraints_put(work.conn, catname, dbname, name, opts->constraints, &serr);
		if (!ok)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	if (ok && opts && opts->partition_indexes)
		ok = catalog_partition_indexes_add(&work, catname, dbname, table, opts->partition_indexes, error);
	if (ok && opts && opts->tags) {
		StoreTagged tagged = {STORE_TAGGED_TABLE, catname, dbname, catalog_json_str(table, "Name")};
		ok = catalog_tags_put_new(&work, &tagged, opts->tags, error);
	}
	ok = ok && catalog_notify_create_table(&work, catname, table, error);
	if (!catalog_work_end(&work, ok, error))
		return NULL;
	json_object_set_string_member(table, "VersionId", "1");
	catalog_doc_set_catalog(table, catname);
	return json_object_ref(table);
}

/* The table document, or NULL with NOT_FOUND ("hive.db.t table not found", as Hive says). */
JsonObject *catalog_get_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                              const char *name, GError **error)
{
	CatalogTableStamp stamp = {0};
	return catalog_get_table_known(cat, ctx, catalog, db, name, &stamp, error);
}

/* get_table for a caller that may hold the document already; see catalog.h. */
JsonObject *catalog_get_table_known(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                    const char *name, CatalogTableStamp *stamp, GError **error)
{
	if (db == NULL || name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *tname = catalog_lower(name);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	/* Read first, with the grants epoch: a found table is checked against cached facts. */
	g_autoptr(AuthzFacts) facts = NULL;
	GError *serr = NULL;
	StoreTableStamp st = {.id = stamp->id, .version = stamp->version};
	JsonObject *t = store_table_get_known(work.conn, catname, dbname, tname, &st, &serr);
	gboolean found = t != NULL || st.unchanged;
	if (found) {
		if (!catalog_authz_table_found(&work, ctx, catname, dbname, tname, AUTHZ_DESCRIBE, st.epoch, &facts, error)) {
			g_clear_pointer(&t, json_object_unref);
			found = FALSE;
		} else if (st.unchanged && catalog_authz_columns_restricted(facts, tname)) {
			/* the caller's copy is the whole table; this caller sees only some columns */
			st.id = st.version = 0;
			t = store_table_get_known(work.conn, catname, dbname, tname, &st, &serr);
			found = t != NULL;
			if (!found)
				catalog_error_from_store(serr, NULL, NULL, error);
		}
	} else if (serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND) {
		/* missing: NOT_FOUND only to a caller who sees the database (else ACCESS_DENIED) */
		g_clear_error(&serr);
		if (catalog_authz_table(&work, ctx, catname, dbname, tname, AUTHZ_DESCRIBE, NULL, error))
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_NOT_FOUND, "%s.%s table not found", dbname, tname);
	} else {
		catalog_error_from_store(serr, NULL, NULL, error);
	}
	catalog_work_end(&work, found, NULL);
	stamp->id = st.id;
	stamp->version = st.version;
	stamp->unchanged = found && t == NULL;
	stamp->whole = found && !catalog_authz_columns_restricted(facts, tname);
	catalog_authz_trim_doc(facts, tname, NULL, t);
	catalog_doc_set_catalog(t, catname);
	return t;
}

/* Documents of the named tables (names lower-cased here); missing ones skipped. */
GPtrArray *catalog_get_tables(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                              GPtrArray *names, GError **error)
{
	if (db == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database name cannot be null.");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autoptr(GPtrArray) lower = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; names && i < names->len; i++) {
		if (g_ptr_array_index(names, i) == NULL) {
			g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Table name cannot be null.");
			return NULL;
		}
		g_ptr_array_add(lower, catalog_lower(g_ptr_array_index(names, i)));
	}
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	g_autoptr(AuthzFacts) facts = NULL;
	if (!catalog_authz_database(&work, ctx, catname, dbname, AUTHZ_DESCRIBE, &facts, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GPtrArray *tables = store_table_get_many(work.conn, catname, dbname, lower, &serr);
	if (tables == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else
		catalog_authz_filter_tables(facts, tables, TRUE);
	catalog_work_end(&work, tables != NULL, NULL);
	return catalog_docs_set_catalog(tables, catname);
}

/* Table names of db matching a Hive pattern and type. An unknown database gives an empty list, as Hive. */
GPtrArray *catalog_list_tables(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                               const char *pattern, const char *table_type, GError **error)
{
	if (db == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database name cannot be null.");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *regex = catalog_pattern_to_regex(pattern);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	g_autoptr(AuthzFacts) facts = NULL;
	if (!catalog_authz_database(&work, ctx, catname, dbname, AUTHZ_DESCRIBE, &facts, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GPtrArray *names = store_table_list(work.conn, catname, dbname, regex, table_type, FALSE, &serr);
	if (names == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else
		catalog_authz_filter_tables(facts, names, FALSE);
	catalog_work_end(&work, names != NULL, NULL);
	return names;
}

/* Keeps the get_table_meta rows (sorted by database) whose table the caller sees: one facts query per database.
 * A caller who sees only some columns of a table gets its row without the comment. */
static gboolean table_meta_filter(CatalogWork *work, const CatalogCtx *ctx, const char *catname, GPtrArray *rows,
                                  GError **error)
{
	g_autoptr(AuthzFacts) facts = NULL;
	g_autofree char *facts_db = NULL;
	for (guint i = rows->len; i-- > 0;) {
		JsonObject *row = g_ptr_array_index(rows, i);
		const char *db = catalog_json_str(row, "DatabaseName"), *name = catalog_json_str(row, "Name");
		if (facts == NULL || g_strcmp0(facts_db, db) != 0) {
			g_clear_pointer(&facts, authz_facts_free);
			g_free(facts_db);
			facts_db = g_strdup(db);
			facts = catalog_authz_facts(work, ctx, catname, db, error);
			if (facts == NULL)
				return FALSE;
		}
		if (name == NULL || !authz_table_visible(facts, name))
			g_ptr_array_remove_index(rows, i);
		else if (catalog_authz_columns_restricted(facts, name))
			json_object_remove_member(row, "Description"); /* free text, no columns here to judge it by */
	}
	return TRUE;
}

/* get_table_meta rows for database and table patterns and a set of types. */
GPtrArray *catalog_list_table_meta(Catalog *cat, const CatalogCtx *ctx, const char *catalog,
                                   const char *db_pattern, const char *tbl_pattern, GPtrArray *types, GError **error)
{
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbre = catalog_pattern_to_regex(db_pattern);
	g_autofree char *tblre = catalog_pattern_to_regex(tbl_pattern);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	GError *serr = NULL;
	GPtrArray *rows = store_table_list_meta(work.conn, catname, dbre, tblre, types, &serr);
	if (rows == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	else if (!table_meta_filter(&work, ctx, catname, rows, error))
		g_clear_pointer(&rows, g_ptr_array_unref);
	catalog_work_end(&work, rows != NULL, NULL);
	return rows;
}

/* get_table_names_by_filter: parse and run the filter (filter.c); truncate to max when max >= 0. */
GPtrArray *catalog_list_table_names_by_filter(Catalog *cat, const CatalogCtx *ctx, const char *catalog,
                                              const char *db, const char *filter, gint max, GError **error)
{
	if (db == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database name cannot be null.");
		return NULL;
	}
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, FALSE, &work, error))
		return NULL;
	g_autoptr(AuthzFacts) facts = NULL;
	if (!catalog_authz_database(&work, ctx, catname, dbname, AUTHZ_DESCRIBE, &facts, error)) {
		catalog_work_end(&work, FALSE, NULL);
		return NULL;
	}
	GPtrArray *names = catalog_filter_table_names_seen(&work, facts, catname, dbname, filter, error);
	if (names != NULL)
		catalog_authz_filter_tables(facts, names, FALSE);
	catalog_work_end(&work, names != NULL, NULL);
	if (names != NULL && max >= 0 && names->len > (guint)max)
		g_ptr_array_set_size(names, max);
	return names;
}

/* TRUE when two JSON arrays of columns have the same names and types in the same order. */
static gboolean table_same_partition_keys(JsonObject *a, JsonObject *b)
{
	JsonNode *na = json_object_get_member(a, "PartitionKeys");
	JsonNode *nb = json_object_get_member(b, "PartitionKeys");
	JsonArray *aa = na && JSON_NODE_HOLDS_ARRAY(na) ? json_node_get_array(na) : NULL;
	JsonArray *ab = nb && JSON_NODE_HOLDS_ARRAY(nb) ? json_node_get_array(nb) : NULL;
	guint la = aa ? json_array_get_length(aa) : 0, lb = ab ? json_array_get_length(ab) : 0;
	if (la != lb)
		return FALSE;
	for (guint i = 0; i < la; i++) {
		JsonObject *ca = json_array_get_object_element(aa, i), *cb = json_array_get_object_element(ab, i);
		if (g_strcmp0(catalog_json_str(ca, "Name"), catalog_json_str(cb, "Name")) != 0 ||
		    g_ascii_strcasecmp(catalog_json_str(ca, "Type") ?: "", catalog_json_str(cb, "Type") ?: "") != 0)
			return FALSE;
	}
	return TRUE;
}

/* Checks Iceberg's expected parameter against the current table; CONFLICT-like MetaException text. */
static gboolean table_check_expected(JsonObject *old, const CatalogAlterTableOpts *opts, GError **error)
{
	if (opts == NULL || opts->expected_key == NULL || opts->expected_value == NULL)
		return TRUE;
	JsonNode *p = json_object_get_member(old, "Parameters");
	const char *cur = p && JSON_NODE_HOLDS_OBJECT(p) ? catalog_json_str(json_node_get_object(p), opts->expected_key)
	                                                 : NULL;
	if (g_strcmp0(cur, opts->expected_value) == 0)
		return TRUE;
	g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_CONFLICT,
	            "The table has been modified. The parameter value for key '%s' is '%s'. The expected was value was '%s'",
	            opts->expected_key, cur ? cur : "null", opts->expected_value ? opts->expected_value : "null");
	return FALSE;
}

/*
 * Fills the new document of an alter from the old one: names lower-cased, CreateTime kept when
 * unset, ddl time set when absent or 0 (Hive door only), and a managed table still at its default location
 * follows a rename. Returns FALSE with INVALID_OPERATION for a partition key change.
 */
static gboolean table_prepare_alter(const CatalogCtx *ctx, JsonObject *dbdoc, JsonObject *old, JsonObject *table,
                                    const char *newdb, GError **error)
{
	json_object_set_string_member(table, "DatabaseName", newdb);
	if (!json_object_has_member(table, "TableType") && json_object_has_member(old, "TableType"))
		json_object_set_string_member(table, "TableType", catalog_json_str(old, "TableType"));
	if (!table_is_view(old) && !table_same_partition_keys(old, table)) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION, "partition keys can not be changed.");
		return FALSE;
	}
	if (!json_object_has_member(table, "PartitionKeys"))
		json_object_set_array_member(table, "PartitionKeys", json_array_new());
	if (!json_object_has_member(table, "CreateTime") && json_object_has_member(old, "CreateTime"))
		json_object_set_int_member(table, "CreateTime", json_object_get_int_member(old, "CreateTime"));
	JsonObject *params = json_object_get_object_member(table, "Parameters");
	const char *ddl = catalog_json_str(params, DDL_TIME);
	if ((ddl == NULL || atoll(ddl) == 0) && params != NULL && catalog_ctx_is_hive(ctx)) {
		g_autofree char *s = g_strdup_printf("%" G_GINT64_FORMAT, catalog_now());
		json_object_set_string_member(params, DDL_TIME, s);
	}
	/* A rename of a managed table at its default location moves the location along. */
	const char *oldname = catalog_json_str(old, "Name"), *newname = catalog_json_str(table, "Name");
	JsonObject *oldsd = table_sd(old), *newsd = table_sd(table);
	if (g_strcmp0(oldname, newname) != 0 && !table_is_external(table) && !table_is_view(table) && oldsd && newsd) {
		g_autofree char *olddef = table_default_location(dbdoc, old);
		if (g_strcmp0(catalog_json_str(newsd, "Location"), olddef) == 0) {
			g_autofree char *newdef = table_default_location(dbdoc, table);
			json_object_set_string_member(newsd, "Location", newdef);
		}
	}
	return TRUE;
}

/* The database document for an alter; maps a missing target database to INVALID_OPERATION. */
static JsonObject *table_alter_get_db(CatalogWork *work, const char *catname, const char *dbname, GError **error)
{
	GError *serr = NULL;
	JsonObject *dbdoc = store_database_get(work->conn, catname, dbname, FALSE, &serr);
	if (dbdoc == NULL) {
		if (serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND) {
			g_clear_error(&serr);
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION,
			            "Unable to change partition or table. Database %s does not exist", dbname);
		} else {
			catalog_error_from_store(serr, NULL, NULL, error);
		}
	}
	return dbdoc;
}

/*
 * When a rename moved a managed table's directory (table_prepare_alter), the partitions whose
 * locations were under the old directory move with it, in the same transaction (Hive's alterTable).
 */
static gboolean table_relocate_partitions(CatalogWork *work, const char *catname, JsonObject *old, JsonObject *table,
                                          GError **error)
{
	JsonObject *oldsd = table_sd(old), *newsd = table_sd(table);
	const char *oldloc = oldsd ? catalog_json_str(oldsd, "Location") : NULL;
	const char *newloc = newsd ? catalog_json_str(newsd, "Location") : NULL;
	gboolean renamed = g_strcmp0(catalog_json_str(old, "Name"), catalog_json_str(table, "Name")) != 0 ||
	                   g_strcmp0(catalog_json_str(old, "DatabaseName"), catalog_json_str(table, "DatabaseName")) != 0;
	if (!renamed || table_is_external(table) || oldloc == NULL || newloc == NULL || *oldloc == '\0' ||
	    strcmp(oldloc, newloc) == 0)
		return TRUE;
	GError *serr = NULL;
	if (store_partition_relocate(work->conn, catname, catalog_json_str(table, "DatabaseName"),
	                             catalog_json_str(table, "Name"), oldloc, newloc, &serr))
		return TRUE;
	catalog_error_from_store(serr, NULL, NULL, error);
	return FALSE;
}

/*
 * Glue's UpdateTable(SkipArchive): the version just replaced is not archived, so it goes in
 * the same transaction as the write (the new version is current and stays).
 */
static gboolean table_forget_version(CatalogWork *work, const char *catname, const char *db, const char *name,
                                     gint64 version, GError **error)
{
	gint64 current = 0;
	g_autoptr(GArray) deleted = NULL;
	GError *serr = NULL;
	if (version <= 0 || store_table_versions_delete(work->conn, catname, db, name, &version, 1, &current, &deleted, &serr))
		return TRUE;
	catalog_error_from_store(serr, NULL, NULL, error);
	return FALSE;
}

/*
 * alter_table: replaces the table with `table` as a new version, renaming or moving it when its
 * Name/DatabaseName differ. Errors use Hive's InvalidOperationException texts; the conditional
 * checks fail with CONFLICT.
 */
gboolean catalog_alter_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                             const char *name, JsonObject *table, const CatalogAlterTableOpts *opts, GError **error)
{
	if (db == NULL || name == NULL) {
		g_set_error_literal(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Database or table name cannot be null.");
		return FALSE;
	}
	if (!table_validate(table, error))
		return FALSE;
	g_autofree char *catname = catalog_resolve(cat, catalog);
	g_autofree char *dbname = catalog_lower(db);
	g_autofree char *tname = catalog_lower(name);
	const char *newdbn = catalog_json_str(table, "DatabaseName");
	g_autofree char *newdb = catalog_lower(newdbn && *newdbn ? newdbn : dbname);

	CatalogWork work;
	if (!catalog_work_begin(cat, ctx, TRUE, &work, error))
		return FALSE;
	g_autoptr(AuthzFacts) facts = NULL;
	JsonObject *newsd = table_sd(table);
	if (!catalog_authz_table(&work, ctx, catname, dbname, tname, AUTHZ_ALTER, &facts, error) ||
	    (strcmp(newdb, dbname) != 0 &&
	     !catalog_authz_database(&work, ctx, catname, newdb, AUTHZ_CREATE_TABLE, NULL, error)) ||
	    !catalog_authz_sd_locations(&work, ctx, facts, newsd, error))
		return catalog_work_end(&work, FALSE, NULL);
	GError *serr = NULL;
	g_autoptr(JsonObject) old = store_table_get(work.conn, catname, dbname, tname, TRUE, &serr);
	gboolean ok = old != NULL;
	if (!ok) {
		if (serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND) {
			g_clear_error(&serr);
			g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_OPERATION, "table %s.%s.%s doesn't exist", catname,
			            dbname, tname);
		} else {
			catalog_error_from_store(serr, NULL, NULL, error);
		}
		return catalog_work_end(&work, FALSE, NULL);
	}
	ok = table_check_expected(old, opts, error);
	g_autoptr(JsonObject) dbdoc = ok ? table_alter_get_db(&work, catname, newdb, error) : NULL;
	ok = ok && dbdoc != NULL && table_prepare_alter(ctx, dbdoc, old, table, newdb, error);
	if (ok) {
		gint64 version = 0;
		gint64 expected = opts ? opts->expected_version : 0;
		ok = store_table_update(work.conn, catname, dbname, tname, table, expected, &version, &serr);
		if (!ok) {
			g_autofree char *exists =
				g_strdup_printf("new table %s.%s already exists", newdb, catalog_json_str(table, "Name"));
			g_autofree char *missing =
				g_strdup_printf("Unable to change partition or table. Database %s does not exist", newdb);
			gboolean is_missing = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND;
			gboolean is_unique = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_UNIQUE;
			catalog_error_from_store(serr, missing, exists, error);
			if ((is_missing || is_unique) && error && *error)
				(*error)->code = CATALOG_ERROR_INVALID_OPERATION;
		} else {
			g_autofree char *v = g_strdup_printf("%" G_GINT64_FORMAT, version);
			json_object_set_string_member(table, "VersionId", v);
			ok = table_relocate_partitions(&work, catname, old, table, error) &&
			     (opts == NULL || !opts->skip_archive ||
			      table_forget_version(&work, catname, newdb, catalog_json_str(table, "Name"), version - 1, error));
		}
	}
	ok = ok && catalog_notify_alter_table(&work, catname, old, table, FALSE, error);
	return catalog_work_end(&work, ok, error);
}

/* Drops a table (with partitions, versions, constraints). NOT_FOUND unless if_exists. */
gboolean catalog_drop_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                            const char *name, gboolean if_exists, GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, name, TRUE, AUTHZ_DROP, &ref, &work, NULL, error))
		return FALSE;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	GError *serr = NULL;
	g_autoptr(JsonObject) old = store_table_get(work.conn, catname, dbname, tname, TRUE, &serr);
	g_clear_error(&serr); /* a missing table fails below, in the delete */
	gboolean ok = store_table_delete(work.conn, catname, dbname, tname, &serr);
	if (!ok) {
		gboolean missing = serr->domain == STORE_ERROR && serr->code == STORE_ERROR_NOT_FOUND;
		if (missing && if_exists) {
			g_clear_error(&serr);
			ok = TRUE;
		} else {
			g_autofree char *msg = g_strdup_printf("%s.%s table not found", dbname, tname);
			catalog_error_from_store(serr, msg, NULL, error);
		}
	}
	ok = ok && (old == NULL || catalog_notify_drop_table(&work, catname, old, error));
	return catalog_work_end(&work, ok, error);
}

/*
 * truncate_table: the metastore never touches data, so truncation records what Hive's does to
 * metadata: basic stats reset to zero and a new ddl time, as a new version. External tables
 * are refused as Hive refuses them.
 */
gboolean catalog_truncate_table(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                const char *name, GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, name, TRUE, AUTHZ_DELETE, &ref, &work, NULL, error))
		return FALSE;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	GError *serr = NULL;
	g_autoptr(JsonObject) t = store_table_get(work.conn, catname, dbname, tname, TRUE, &serr);
	gboolean ok = t != NULL;
	if (!ok) {
		g_autofree char *msg = g_strdup_printf("%s.%s table not found", dbname, tname);
		catalog_error_from_store(serr, msg, NULL, error);
	} else if (table_is_external(t) || table_is_view(t)) {
		g_set_error(error, CATALOG_ERROR, CATALOG_ERROR_INVALID_INPUT, "Cannot truncate non-managed table %s.", tname);
		ok = FALSE;
	}
	if (ok) {
		JsonObject *params = catalog_json_obj_ensure(t, "Parameters");
		static const char *const zeroed[] = {"numFiles", "numRows", "totalSize", "rawDataSize"};
		for (guint i = 0; i < G_N_ELEMENTS(zeroed); i++)
			json_object_set_string_member(params, zeroed[i], "0");
		g_autofree char *now = g_strdup_printf("%" G_GINT64_FORMAT, catalog_now());
		json_object_set_string_member(params, DDL_TIME, now);
		json_object_remove_member(t, "VersionId");
		gint64 version = 0;
		ok = store_table_update(work.conn, catname, dbname, tname, t, 0, &version, &serr);
		if (!ok)
			catalog_error_from_store(serr, NULL, NULL, error);
	}
	ok = ok && catalog_notify_alter_table(&work, catname, t, t, TRUE, error);
	return catalog_work_end(&work, ok, error);
}

/* A table's constraints of one kind; an empty array for none or a missing table (as Hive). */
JsonArray *catalog_get_constraints(Catalog *cat, const CatalogCtx *ctx, const char *catalog, const char *db,
                                   const char *table, const char *kind, GError **error)
{
	g_auto(CatalogTableRef) ref = {0};
	g_autoptr(AuthzFacts) facts = NULL;
	CatalogWork work;
	if (!catalog_table_work_begin(cat, ctx, catalog, db, table, FALSE, AUTHZ_DESCRIBE, &ref, &work, &facts, error))
		return NULL;
	const char *catname = ref.cat, *dbname = ref.db, *tname = ref.table;
	GError *serr = NULL;
	g_autoptr(JsonArray) list = store_constraints_get(work.conn, catname, dbname, tname, kind, &serr);
	if (list == NULL)
		catalog_error_from_store(serr, NULL, NULL, error);
	/* a column-limited caller: the table's columns say which are hidden */
	g_autoptr(JsonObject) t = NULL;
	if (list && json_array_get_length(list) > 0 && catalog_authz_columns_restricted(facts, tname)) {
		t = store_table_get(work.conn, catname, dbname, tname, FALSE, &serr);
		if (t == NULL) {
			catalog_error_from_store(serr, NULL, NULL, error);
			g_clear_pointer(&list, json_array_unref);
		}
	}
	if (list && !catalog_authz_trim_constraints(&work, ctx, catname, facts, tname, t, list, error))
		g_clear_pointer(&list, json_array_unref);
	catalog_work_end(&work, list != NULL, NULL);
	return g_steal_pointer(&list);
}
