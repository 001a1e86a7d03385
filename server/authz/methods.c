/*
 * methods.c — the authorization table (methods.h): one row per served method of every door.
 *
 * Each row states what the catalog checks for that method (the catalog_* operations, through
 * catalog_authz_*), as issue 15 settled it: reads need the object visible, writes the Lake
 * Formation permission Hive's and Glue's operation implies, listings are filtered, locks and
 * transactions belong to their opener, settings and Propolis' own operations to administrators, and
 * the few calls any caller may make say why. A method a door serves without a row here fails
 * tests/unit/test_authz_methods.c.
 */
#include "authz/methods.h"

#include <string.h>

#include "authz/authz.h"

#define LOC AUTHZ_RULE_F_LOCATION
#define RO AUTHZ_RULE_F_READONLY_ADMIN
#define WRITE_PERMS (AUTHZ_INSERT | AUTHZ_ALTER | AUTHZ_DELETE)

#define ROW(door, m, kind, p, on, fl, why) {door, m, AUTHZ_RULE_##kind, p, AUTHZ_ON_##on, fl, why}
#define T_PERM(m, p, on, fl, why) ROW("thrift", m, PERM, p, on, fl, why)
#define T_SEE(m, on, why) ROW("thrift", m, VISIBLE, 0, on, 0, why)
#define T_LIST(m, why) ROW("thrift", m, LIST, 0, NONE, 0, why)
#define T_SELF(m, on, why) ROW("thrift", m, SELF, 0, on, 0, why)
#define T_PUB(m, why) ROW("thrift", m, PUBLIC, 0, NONE, 0, why)
#define T_ADMIN(m, on, why) ROW("thrift", m, ADMIN, 0, on, 0, why)
#define G_PERM(m, p, on, fl, why) ROW("glue", m, PERM, p, on, fl, why)
#define G_SEE(m, on, why) ROW("glue", m, VISIBLE, 0, on, 0, why)
#define G_LIST(m, why) ROW("glue", m, LIST, 0, NONE, 0, why)
#define G_ADMIN(m, on, fl, why) ROW("glue", m, ADMIN, 0, on, fl, why)
#define L_ADMIN(m, on, fl, why) ROW("lakeformation", m, ADMIN, 0, on, fl, why)
#define P_ADMIN(m, on, why) ROW("propolis", m, ADMIN, 0, on, 0, why)

#define FB303 "fb303 service status with no catalog data; Hive clients call it before authenticating"
#define PURE "pure string parsing of the argument; reads no catalog data"
#define NOOP "accepted and ignored: changes nothing, returns nothing"
#define FILTERED "listing filtered to the tables the caller sees"
#define OWN_LOCK "the caller's own lock (the principal that took it), or a data lake administrator"
#define OWN_TXN "the caller's own transaction (the principal that opened it), or a data lake administrator"
#define TXN_WRITE "and the caller owns the transaction (or is an administrator)"
#define OWN_KEYS "the caller's own access keys (as IAM lets users manage theirs), or a data lake administrator"
#define TOKEN_STORE "Hive's token store: data lake administrators only (Hive leaves it open; a master key mints tokens)"
#define ADMIN_OP "Propolis' own operation: data lake administrators only (read-only administrators not)"

static const AuthzMethodRule rules[] = {
	/* ---- Thrift: fb303, configuration, identity ---- */
	T_PUB("getName", FB303),
	T_PUB("getVersion", FB303),
	T_PUB("getStatus", FB303),
	T_PUB("getStatusDetails", FB303),
	T_PUB("aliveSince", FB303),
	T_PUB("getCounters", "fb303 counters of the caller's own connection (last request id, uptime)"),
	T_PUB("getCounter", "fb303: always 0, no data"),
	T_PUB("getCpuProfile", "fb303: always empty, no data"),
	T_PUB("reinitialize", NOOP),
	T_PUB("shutdown", NOOP " (the server is stopped by its operator, not by a client)"),
	T_PUB("setOption", NOOP),
	T_PUB("getOption", "fb303: always empty, no data"),
	T_PUB("getOptions", "fb303: always empty, no data"),
	T_PUB("getMetaConf", "the server's fixed client settings and the caller's own session settings"),
	T_PUB("setMetaConf", "sets a setting of the caller's own session only"),
	T_PUB("get_config_value", "fixed server defaults Hive clients need (warehouse dir, dynamic partition limits)"),
	T_PUB("set_ugi", "names the caller: trusted only on a trust-set_ugi listener; grants nothing by itself"),

	/* ---- Thrift: databases ---- */
	T_PERM("create_database", AUTHZ_CREATE_DATABASE, CATALOG, LOC, NULL),
	T_SEE("get_database", DATABASE, NULL),
	T_SEE("get_database_req", DATABASE, NULL),
	T_LIST("get_databases", "the databases the caller sees (a permission on it or on one of its tables)"),
	T_LIST("get_all_databases", "the databases the caller sees (a permission on it or on one of its tables)"),
	T_PERM("alter_database", AUTHZ_ALTER, DATABASE, LOC, NULL),
	T_PERM("drop_database", AUTHZ_DROP, DATABASE, 0, NULL),
	T_PERM("drop_database_req", AUTHZ_DROP, DATABASE, 0, NULL),

	/* ---- Thrift: tables ---- */
	T_PERM("create_table", AUTHZ_CREATE_TABLE, DATABASE, LOC, NULL),
	T_PERM("create_table_with_environment_context", AUTHZ_CREATE_TABLE, DATABASE, LOC, NULL),
	T_PERM("create_table_req", AUTHZ_CREATE_TABLE, DATABASE, LOC, NULL),
	T_PERM("create_table_with_constraints", AUTHZ_CREATE_TABLE, DATABASE, LOC, NULL),
	T_SEE("get_table", TABLE, "column-limited callers get the table trimmed to their columns"),
	T_SEE("get_table_req", TABLE, "column-limited callers get the table trimmed to their columns"),
	T_SEE("get_table_objects_by_name", DATABASE, FILTERED ", each trimmed to the caller's columns"),
	T_SEE("get_table_objects_by_name_req", DATABASE, FILTERED ", each trimmed to the caller's columns"),
	T_SEE("get_tables", DATABASE, FILTERED),
	T_SEE("get_tables_by_type", DATABASE, FILTERED),
	T_SEE("get_all_tables", DATABASE, FILTERED),
	T_LIST("get_table_meta", "rows of the tables the caller sees, across databases"),
	T_SEE("get_table_names_by_filter", DATABASE, FILTERED),
	T_PERM("alter_table", AUTHZ_ALTER, TABLE, LOC, "a rename to another database also needs CREATE_TABLE there"),
	T_PERM("alter_table_with_environment_context", AUTHZ_ALTER, TABLE, LOC,
	       "a rename to another database also needs CREATE_TABLE there"),
	T_PERM("alter_table_with_cascade", AUTHZ_ALTER, TABLE, LOC,
	       "a rename to another database also needs CREATE_TABLE there"),
	T_PERM("alter_table_req", AUTHZ_ALTER, TABLE, LOC,
	       "a rename to another database also needs CREATE_TABLE there"),
	T_PERM("drop_table", AUTHZ_DROP, TABLE, 0, NULL),
	T_PERM("drop_table_with_environment_context", AUTHZ_DROP, TABLE, 0, NULL),
	T_PERM("truncate_table", AUTHZ_DELETE, TABLE, 0, NULL),
	T_SEE("get_fields", TABLE, "only the caller's columns"),
	T_SEE("get_fields_with_environment_context", TABLE, "only the caller's columns"),
	T_SEE("get_schema", TABLE, "only the caller's columns (partition keys stay)"),
	T_SEE("get_schema_with_environment_context", TABLE, "only the caller's columns (partition keys stay)"),
	T_SEE("get_primary_keys", TABLE, "constraints touching a hidden column are left out"),
	T_SEE("get_foreign_keys", TABLE, "constraints touching a hidden column are left out"),
	T_SEE("get_unique_constraints", TABLE, "constraints touching a hidden column are left out"),
	T_SEE("get_not_null_constraints", TABLE, "constraints touching a hidden column are left out"),
	T_SEE("get_default_constraints", TABLE, "constraints touching a hidden column are left out"),
	T_SEE("get_check_constraints", TABLE, "constraints touching a hidden column are left out"),
	T_SEE("get_all_table_constraints", TABLE, "constraints touching a hidden column are left out"),

	/* ---- Thrift: functions (their database's permissions) ---- */
	T_PERM("create_function", AUTHZ_ALTER, FUNCTION, 0, "ALTER on the function's database"),
	T_SEE("get_function", FUNCTION, "the function's database visible"),
	T_LIST("get_functions", "functions of the databases the caller sees"),
	T_PERM("alter_function", AUTHZ_ALTER, FUNCTION, 0, "ALTER on the function's database"),
	T_PERM("drop_function", AUTHZ_ALTER, FUNCTION, 0, "ALTER on the function's database"),
	T_LIST("get_all_functions", "functions of the databases the caller sees"),

	/* ---- Thrift: partitions ---- */
	T_PERM("add_partition", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("add_partition_with_environment_context", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("add_partitions", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("add_partitions_req", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("append_partition", AUTHZ_ALTER, TABLE, 0, "the location is derived under the table's"),
	T_PERM("append_partition_by_name", AUTHZ_ALTER, TABLE, 0, "the location is derived under the table's"),
	T_PERM("append_partition_with_environment_context", AUTHZ_ALTER, TABLE, 0,
	       "the location is derived under the table's"),
	T_PERM("append_partition_by_name_with_environment_context", AUTHZ_ALTER, TABLE, 0,
	       "the location is derived under the table's"),
	T_SEE("get_partition", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partition_by_name", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partition_with_auth", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partition_req", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partitions", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partitions_with_auth", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partitions_ps", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partitions_ps_with_auth", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partitions_ps_with_auth_req", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partition_names", TABLE, NULL),
	T_SEE("get_partition_names_ps", TABLE, NULL),
	T_SEE("get_partition_names_ps_req", TABLE, NULL),
	T_SEE("get_partitions_by_filter", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partitions_by_filter_req", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_num_partitions_by_filter", TABLE, NULL),
	T_SEE("get_partitions_by_names", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partitions_by_names_req", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("get_partitions_req", TABLE, "partitions trimmed to the caller's columns"),
	T_SEE("fetch_partition_names_req", TABLE, NULL),
	T_PUB("partition_name_to_vals", PURE),
	T_PUB("partition_name_to_spec", PURE),
	T_PUB("partition_name_has_valid_characters", PURE),
	T_PERM("alter_partition", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("alter_partition_with_environment_context", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("alter_partitions", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("alter_partitions_with_environment_context", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("alter_partitions_req", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("rename_partition", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("rename_partition_req", AUTHZ_ALTER, TABLE, LOC, NULL),
	T_PERM("drop_partition", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("drop_partition_with_environment_context", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("drop_partition_by_name", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("drop_partition_by_name_with_environment_context", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("drop_partition_req", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("drop_partitions_req", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PUB("exchange_partition",
	      "not supported: refused with MetaException to every caller before reading anything"),
	T_PUB("exchange_partitions",
	      "not supported: refused with MetaException to every caller before reading anything"),

	/* ---- Thrift: column statistics ---- */
	T_PERM("update_table_column_statistics", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("update_partition_column_statistics", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("update_table_column_statistics_req", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("update_partition_column_statistics_req", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("set_aggr_stats_for", AUTHZ_ALTER, TABLE, 0, "ALTER on every table named"),
	T_SEE("get_table_column_statistics", TABLE, "statistics of the caller's columns only"),
	T_SEE("get_partition_column_statistics", TABLE, "statistics of the caller's columns only"),
	T_SEE("get_table_statistics_req", TABLE, "statistics of the caller's columns only"),
	T_SEE("get_partitions_statistics_req", TABLE, "statistics of the caller's columns only"),
	T_SEE("get_aggr_stats_for", TABLE, "statistics of the caller's columns only"),
	T_PERM("delete_table_column_statistics", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("delete_partition_column_statistics", AUTHZ_ALTER, TABLE, 0, NULL),

	/* ---- Thrift: locks, transactions, compaction ---- */
	T_PERM("lock", WRITE_PERMS, TABLE, 0,
	       "SHARED_READ components: the table (or database) visible; other lock types: the permission the "
	       "component's operationType implies (INSERT: INSERT, DELETE: DELETE, UPDATE: INSERT or DELETE; "
	       "UNSET or NO_TXN, as Iceberg sends: INSERT, ALTER or DELETE); a whole-database write lock: ALTER "
	       "on the database; the lock is owned by the caller"),
	T_SELF("check_lock", LOCK, OWN_LOCK),
	T_SELF("unlock", LOCK, OWN_LOCK),
	T_LIST("show_locks", "the locks on databases and tables the caller sees"),
	T_SELF("heartbeat", TXN, "the caller's own lock or transaction, or a data lake administrator"),
	T_SELF("heartbeat_txn_range", TXN, OWN_TXN " (every transaction of the range)"),
	T_PUB("open_txns", "opens transactions owned by the caller; touches no catalog object"),
	T_SELF("commit_txn", TXN, OWN_TXN),
	T_SELF("abort_txn", TXN, OWN_TXN),
	T_SELF("abort_txns", TXN, OWN_TXN " (every transaction named)"),
	T_PUB("get_open_txns", "transaction ids only, no objects: every reader needs them for snapshot isolation"),
	T_LIST("get_open_txns_info", "details of the caller's transactions (administrators: all)"),
	T_PERM("allocate_table_write_ids", WRITE_PERMS, TABLE, 0, TXN_WRITE),
	T_SEE("get_valid_write_ids", TABLE, "every table named"),
	T_SELF("get_latest_txnid_in_conflict", TXN, OWN_TXN),
	T_PERM("add_dynamic_partitions", AUTHZ_INSERT, TABLE, 0,
	       "the permission its operationType implies, as for lock (INSERT here; UPDATE: INSERT or DELETE; "
	       "DELETE: DELETE), " TXN_WRITE),
	T_PERM("compact", AUTHZ_ALTER, TABLE, 0, NULL),
	T_PERM("compact2", AUTHZ_ALTER, TABLE, 0, NULL),
	T_LIST("show_compact", "compactions of the tables the caller sees"),

	/* ---- Thrift: notifications ---- */
	T_LIST("get_next_notification", "only events of databases and tables the caller sees, trimmed to its columns"),
	T_PUB("get_current_notificationEventId", "a counter only: the newest event id, no object"),
	T_LIST("get_notification_events_count", "counts only events of databases and tables the caller sees"),
	T_PERM("fire_listener_event", AUTHZ_INSERT, TABLE, 0, NULL),

	/* ---- Thrift: delegation tokens (issue 16) ---- */
	T_SELF("get_delegation_token", TOKEN,
	       "a token owned by the caller, or by a principal proxy_users or proxy_groups (its principal groups) "
	       "let the caller act for; refused on a connection that authenticated with a token"),
	T_SELF("renew_delegation_token", TOKEN, "the token's renewer only (Hive)"),
	T_SELF("cancel_delegation_token", TOKEN, "the token's owner or renewer, or a data lake administrator"),
	T_ADMIN("add_token", TOKEN, TOKEN_STORE),
	T_ADMIN("remove_token", TOKEN, TOKEN_STORE),
	T_ADMIN("get_token", TOKEN, TOKEN_STORE),
	T_ADMIN("get_all_token_identifiers", TOKEN, TOKEN_STORE),
	T_ADMIN("add_master_key", TOKEN, TOKEN_STORE),
	T_ADMIN("update_master_key", TOKEN, TOKEN_STORE),
	T_ADMIN("remove_master_key", TOKEN, TOKEN_STORE),
	T_ADMIN("get_master_keys", TOKEN, TOKEN_STORE),

	/* ---- Thrift: issue 17 (request-style twins, Hive 3+ catalogs, store id) ---- */
	T_PERM("create_database_req", AUTHZ_CREATE_DATABASE, CATALOG, LOC, NULL),
	T_PERM("alter_database_req", AUTHZ_ALTER, DATABASE, LOC, NULL),
	T_PERM("drop_table_req", AUTHZ_DROP, TABLE, 0, NULL),
	T_PERM("truncate_table_req", AUTHZ_DELETE, TABLE, 0, NULL),
	T_SEE("get_fields_req", TABLE, "only the caller's columns"),
	T_SEE("get_tables_ext", DATABASE, FILTERED),
	T_SEE("get_schema_req", TABLE, "only the caller's columns (partition keys stay)"),
	T_PERM("append_partition_req", AUTHZ_ALTER, TABLE, 0, "the location is derived under the table's"),
	T_SEE("get_partition_names_req", TABLE, NULL),
	T_SEE("get_partitions_with_specs", TABLE, "column-limited callers get each descriptor trimmed to their columns"),
	ROW("thrift", "create_catalog", ADMIN, 0, CATALOG, 0, "a new namespace above databases: data lake administrators only"),
	ROW("thrift", "alter_catalog", ADMIN, 0, CATALOG, 0, "a catalog's description and location: data lake administrators only"),
	ROW("thrift", "drop_catalog", ADMIN, 0, CATALOG, 0, "removes a namespace: data lake administrators only"),
	T_PUB("get_catalog", "a catalog's name, description and location, no data; its databases stay filtered by grants"),
	T_PUB("get_catalogs", "the names of the catalogs, no data; their databases stay filtered by grants"),
	T_PUB("get_metastore_db_uuid", "the store's fixed id, no catalog data (replication tools compare it)"),
	T_PUB("flushCache", NOOP),
	T_PUB("get_open_txns_req", "transaction ids and the high-water mark only, as get_open_txns"),
	/* issue 17: Hive 4.2's request twins (same rules as get_databases, get_functions, delete_*_column_statistics) */
	T_LIST("get_databases_req", "the databases the caller sees (a permission on it or on one of its tables)"),
	T_LIST("get_functions_req", "functions of the databases the caller sees"),
	T_PERM("delete_column_statistics_req", AUTHZ_ALTER, TABLE, 0, NULL),

	/* ---- Glue ---- */
	G_PERM("CreateDatabase", AUTHZ_CREATE_DATABASE, CATALOG, LOC, NULL),
	G_SEE("GetDatabase", DATABASE, NULL),
	G_LIST("GetDatabases", "the databases the caller sees"),
	G_PERM("UpdateDatabase", AUTHZ_ALTER, DATABASE, LOC, NULL),
	G_PERM("DeleteDatabase", AUTHZ_DROP, DATABASE, 0, NULL),
	G_PERM("CreateTable", AUTHZ_CREATE_TABLE, DATABASE, LOC, NULL),
	G_SEE("GetTable", TABLE, "column-limited callers get the table trimmed to their columns"),
	G_SEE("GetTables", DATABASE, FILTERED ", each trimmed to the caller's columns"),
	G_PERM("UpdateTable", AUTHZ_ALTER, TABLE, LOC, NULL),
	G_PERM("DeleteTable", AUTHZ_DROP, TABLE, 0, NULL),
	G_PERM("BatchDeleteTable", AUTHZ_DROP, TABLE, 0,
	       "the database visible, then DROP on each table named (a refused table is an entry of Errors)"),
	G_SEE("GetTableVersions", TABLE, "every version trimmed to the caller's columns"),
	G_SEE("GetTableVersion", TABLE, "trimmed to the caller's columns"),
	G_PERM("DeleteTableVersion", AUTHZ_ALTER, TABLE, 0, NULL),
	G_PERM("BatchDeleteTableVersion", AUTHZ_ALTER, TABLE, 0, NULL),
	G_PERM("CreateUserDefinedFunction", AUTHZ_ALTER, FUNCTION, 0, "ALTER on the function's database"),
	G_SEE("GetUserDefinedFunction", FUNCTION, "the function's database visible"),
	G_LIST("GetUserDefinedFunctions", "functions of the databases the caller sees"),
	G_PERM("UpdateUserDefinedFunction", AUTHZ_ALTER, FUNCTION, 0, "ALTER on the function's database"),
	G_PERM("DeleteUserDefinedFunction", AUTHZ_ALTER, FUNCTION, 0, "ALTER on the function's database"),
	G_PERM("CreatePartition", AUTHZ_ALTER, TABLE, LOC, NULL),
	G_PERM("BatchCreatePartition", AUTHZ_ALTER, TABLE, LOC, NULL),
	G_SEE("GetPartition", TABLE, "trimmed to the caller's columns"),
	G_SEE("GetPartitions", TABLE, "trimmed to the caller's columns"),
	G_SEE("BatchGetPartition", TABLE, "trimmed to the caller's columns"),
	G_PERM("UpdatePartition", AUTHZ_ALTER, TABLE, LOC, NULL),
	G_PERM("BatchUpdatePartition", AUTHZ_ALTER, TABLE, LOC, NULL),
	G_PERM("DeletePartition", AUTHZ_ALTER, TABLE, 0, NULL),
	G_PERM("BatchDeletePartition", AUTHZ_ALTER, TABLE, 0, NULL),
	G_SEE("GetColumnStatisticsForTable", TABLE, "statistics of the caller's columns only"),
	G_PERM("UpdateColumnStatisticsForTable", AUTHZ_ALTER, TABLE, 0, NULL),
	G_PERM("DeleteColumnStatisticsForTable", AUTHZ_ALTER, TABLE, 0, NULL),
	G_SEE("GetColumnStatisticsForPartition", TABLE, "statistics of the caller's columns only"),
	G_PERM("UpdateColumnStatisticsForPartition", AUTHZ_ALTER, TABLE, 0, NULL),
	G_PERM("DeleteColumnStatisticsForPartition", AUTHZ_ALTER, TABLE, 0, NULL),
	G_PERM("CreateConnection", AUTHZ_CREATE_DATABASE, CONNECTION, 0,
	       "connections are catalog-level: CREATE_DATABASE"),
	G_PERM("GetConnection", AUTHZ_CREATE_DATABASE, CONNECTION, 0, "connections are catalog-level: CREATE_DATABASE"),
	G_PERM("GetConnections", AUTHZ_CREATE_DATABASE, CONNECTION, 0,
	       "connections are catalog-level: CREATE_DATABASE"),
	G_PERM("UpdateConnection", AUTHZ_CREATE_DATABASE, CONNECTION, 0,
	       "connections are catalog-level: CREATE_DATABASE"),
	G_PERM("DeleteConnection", AUTHZ_CREATE_DATABASE, CONNECTION, 0,
	       "connections are catalog-level: CREATE_DATABASE"),
	G_PERM("BatchDeleteConnection", AUTHZ_CREATE_DATABASE, CONNECTION, 0,
	       "connections are catalog-level: CREATE_DATABASE"),
	G_ADMIN("GetDataCatalogEncryptionSettings", SETTINGS, RO,
		"catalog settings: administrators; read-only ones may read"),
	G_ADMIN("PutDataCatalogEncryptionSettings", SETTINGS, 0, "catalog settings: data lake administrators only"),
	G_LIST("SearchTables", "only tables the caller sees, each trimmed to its columns"),
	G_PERM("CreatePartitionIndex", AUTHZ_ALTER, TABLE, 0, NULL),
	G_SEE("GetPartitionIndexes", TABLE, NULL),
	G_PERM("DeletePartitionIndex", AUTHZ_ALTER, TABLE, 0, NULL),
	/* issue 17: Glue resource tags (the ARN names a database, a table or a connection) */
	G_PERM("TagResource", AUTHZ_ALTER, TABLE, 0,
	       "ALTER on the database or table the ARN names; connections: CREATE_DATABASE, as every connection call"),
	G_PERM("UntagResource", AUTHZ_ALTER, TABLE, 0,
	       "ALTER on the database or table the ARN names; connections: CREATE_DATABASE, as every connection call"),
	G_SEE("GetTags", TABLE,
	      "the database or table the ARN names visible; connections: CREATE_DATABASE, as every connection call"),

	/* ---- Lake Formation ---- */
	ROW("lakeformation", "GrantPermissions", GRANTABLE, 0, RESOURCE, 0,
	    "the permissions granted, held with grant option on the resource named, or an administrator"),
	ROW("lakeformation", "RevokePermissions", GRANTABLE, 0, RESOURCE, 0,
	    "the permissions revoked, held with grant option on the resource named, or an administrator"),
	ROW("lakeformation", "BatchGrantPermissions", GRANTABLE, 0, RESOURCE, 0, "as GrantPermissions, per entry"),
	ROW("lakeformation", "BatchRevokePermissions", GRANTABLE, 0, RESOURCE, 0, "as RevokePermissions, per entry"),
	ROW("lakeformation", "ListPermissions", LIST, 0, NONE, 0,
	    "administrators (read-only too) see every grant; others the grants that name them"),
	ROW("lakeformation", "GetEffectivePermissionsForPath", LIST, 0, NONE, 0,
	    "administrators (read-only too) see every grant on the path; others the grants that name them"),
	L_ADMIN("GetDataLakeSettings", SETTINGS, RO, "data lake settings: administrators; read-only ones may read"),
	L_ADMIN("PutDataLakeSettings", SETTINGS, 0, "data lake settings: data lake administrators only"),
	L_ADMIN("RegisterResource", LOCATION, 0, "registering a data location: data lake administrators only"),
	L_ADMIN("DeregisterResource", LOCATION, 0, "deregistering a data location: data lake administrators only"),
	L_ADMIN("DescribeResource", LOCATION, 0, "registered locations and their roles: data lake administrators only"),
	L_ADMIN("ListResources", LOCATION, 0, "registered locations and their roles: data lake administrators only"),

	/* ---- Propolis' own operations (X-Amz-Target Propolis.<Op>) ---- */
	P_ADMIN("CreatePrincipal", PRINCIPAL, ADMIN_OP),
	P_ADMIN("ListPrincipals", PRINCIPAL, ADMIN_OP),
	P_ADMIN("DeletePrincipal", PRINCIPAL, ADMIN_OP),
	P_ADMIN("RotateAccessKey", PRINCIPAL, ADMIN_OP),
	P_ADMIN("UpdatePrincipalGroups", PRINCIPAL, ADMIN_OP),
	P_ADMIN("ListAuditEvents", AUDIT, ADMIN_OP),
	P_ADMIN("ListLocks", LOCK, ADMIN_OP),
	P_ADMIN("ReleaseLock", LOCK, ADMIN_OP " (the tool for stuck locks)"),
	/* issue 22: the admin CLI's identity, access keys, transactions and compactions */
	ROW("propolis", "WhoAmI", PUBLIC, 0, NONE, 0,
	    "the caller's own identity (ARN, account, groups, administrator flags); nothing about anyone else"),
	ROW("propolis", "ListAccessKeys", SELF, 0, PRINCIPAL, 0, OWN_KEYS),
	ROW("propolis", "CreateAccessKey", SELF, 0, PRINCIPAL, 0, OWN_KEYS " (at most two keys, as IAM)"),
	ROW("propolis", "UpdateAccessKey", SELF, 0, PRINCIPAL, 0, OWN_KEYS),
	ROW("propolis", "DeleteAccessKey", SELF, 0, PRINCIPAL, 0, OWN_KEYS),
	P_ADMIN("ListTransactions", TXN, ADMIN_OP),
	P_ADMIN("AbortTransaction", TXN, ADMIN_OP " (through abort_txns' path)"),
	P_ADMIN("ListCompactions", TABLE, ADMIN_OP),
	/* issue 16: delegation tokens */
	P_ADMIN("ListDelegationTokens", TOKEN, ADMIN_OP " (identifiers, owners, renewers; never a password)"),
	P_ADMIN("CancelDelegationToken", TOKEN, ADMIN_OP " (revokes any token)"),
};

/* See methods.h. */
const AuthzMethodRule *authz_method_rules(guint *n)
{
	*n = G_N_ELEMENTS(rules);
	return rules;
}

/* See methods.h: a linear scan, the table is small and callers are tests and the printer. */
const AuthzMethodRule *authz_method_rule(const char *door, const char *method)
{
	for (guint i = 0; door && method && i < G_N_ELEMENTS(rules); i++)
		if (strcmp(rules[i].door, door) == 0 && strcmp(rules[i].method, method) == 0)
			return &rules[i];
	return NULL;
}

const char *authz_rule_kind_name(AuthzRuleKind kind)
{
	static const char *const names[] = {"perm", "visible", "list", "admin", "self", "public", "grantable"};
	return (guint)kind < G_N_ELEMENTS(names) ? names[kind] : "?";
}

const char *authz_on_name(AuthzOn on)
{
	static const char *const names[] = {"none",      "catalog", "database",   "table",    "location",
					    "lock",      "txn",     "connection", "function", "settings",
					    "principal", "audit",   "resource", "token"};
	return (guint)on < G_N_ELEMENTS(names) ? names[on] : "?";
}

/* Which permissions a PERM row may require of its resource: Lake Formation's per kind. */
guint32 authz_on_valid_perms(AuthzOn on)
{
	switch (on) {
	case AUTHZ_ON_CATALOG:
	case AUTHZ_ON_CONNECTION: return AUTHZ_CATALOG_PERMS;
	case AUTHZ_ON_DATABASE:
	case AUTHZ_ON_FUNCTION: return AUTHZ_DATABASE_PERMS;
	case AUTHZ_ON_TABLE: return AUTHZ_TABLE_PERMS;
	case AUTHZ_ON_LOCATION: return AUTHZ_LOCATION_PERMS;
	default: return 0;
	}
}

/* Appends s as a JSON string (the table's text is ASCII; quotes and backslashes escaped). */
static void json_append_string(GString *out, const char *s)
{
	if (s == NULL) {
		g_string_append(out, "null");
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

/* See methods.h. */
char *authz_method_rule_to_json(const AuthzMethodRule *r)
{
	GString *out = g_string_new("{\"door\":");
	json_append_string(out, r->door);
	g_string_append(out, ",\"method\":");
	json_append_string(out, r->method);
	g_string_append(out, ",\"rule\":");
	json_append_string(out, authz_rule_kind_name(r->kind));
	g_string_append(out, ",\"perms\":[");
	for (guint32 bit = 1, first = 1; bit && bit <= r->perms; bit <<= 1) {
		if (!(r->perms & bit) || authz_perm_name(bit) == NULL)
			continue;
		g_string_append(out, first ? "" : ",");
		json_append_string(out, authz_perm_name(bit));
		first = 0;
	}
	g_string_append(out, "],\"on\":");
	json_append_string(out, authz_on_name(r->on));
	g_string_append_printf(out, ",\"location\":%s,\"readonly_admin\":%s,\"reason\":",
			       (r->flags & AUTHZ_RULE_F_LOCATION) ? "true" : "false",
			       (r->flags & AUTHZ_RULE_F_READONLY_ADMIN) ? "true" : "false");
	json_append_string(out, r->reason);
	g_string_append_c(out, '}');
	return g_string_free(out, FALSE);
}

/* See methods.h. */
char *authz_method_rules_to_json_lines(void)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < G_N_ELEMENTS(rules); i++) {
		g_autofree char *line = authz_method_rule_to_json(&rules[i]);
		g_string_append(out, line);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/* What a row needs, in words, for METHODS.md. New string. */
static char *rule_needs(const AuthzMethodRule *r)
{
	g_autofree char *perms = authz_perms_to_string(r->perms);
	g_autofree char *loc = (r->flags & AUTHZ_RULE_F_LOCATION)
				       ? g_strdup(" (+ `DATA_LOCATION_ACCESS` for a location under a registered one)")
				       : g_strdup("");
	switch (r->kind) {
	case AUTHZ_RULE_PERM:
		return g_strdup_printf("%s`%s` on the %s%s", strchr(perms, ',') ? "one of " : "", perms,
				       authz_on_name(r->on), loc);
	case AUTHZ_RULE_VISIBLE: return g_strdup_printf("the %s visible (any permission on it)", authz_on_name(r->on));
	case AUTHZ_RULE_LIST: return g_strdup("nothing: filtered to what the caller sees");
	case AUTHZ_RULE_ADMIN:
		return g_strdup((r->flags & AUTHZ_RULE_F_READONLY_ADMIN) ? "administrator (read-only ones too)"
									 : "data lake administrator");
	case AUTHZ_RULE_SELF: return g_strdup_printf("owner of the %s, or administrator", authz_on_name(r->on));
	case AUTHZ_RULE_PUBLIC: return g_strdup("anyone");
	case AUTHZ_RULE_GRANTABLE: return g_strdup("the permissions with grant option, or administrator");
	}
	return g_strdup("?");
}

/* See methods.h. */
char *authz_method_rules_to_markdown(void)
{
	GString *out = g_string_new(NULL);
	g_string_append(out, "# What each served method needs\n\n"
	                     "Generated from the authorization table (`server/authz/methods.c`, also printed by\n"
	                     "`propolis-server --print-authz-table`); `tests/unit/test_authz_methods.c` fails when\n"
	                     "this file differs (`PROPOLIS_UPDATE_METHODS_MD=1 build/tests/test_authz_methods` rewrites it).\n\n"
	                     "Rules: `perm` one of the permissions on the resource; `visible` any permission on it\n"
	                     "(for a database: on it or on one of its tables); `list` never denied, filtered to what\n"
	                     "the caller sees; `self` the caller's own lock or transaction, or an administrator;\n"
	                     "`admin` data lake administrators; `public` anyone; `grantable` the permissions held\n"
	                     "with grant option. Administrators may call everything. A method naming a catalog\n"
	                     "(`catName`, `@cat#db`) is checked on the resource in that catalog. A column-limited\n"
	                     "caller gets every object trimmed to its columns (partition keys stay).\n");
	const char *door = NULL;
	for (guint i = 0; i < G_N_ELEMENTS(rules); i++) {
		const AuthzMethodRule *r = &rules[i];
		if (door == NULL || strcmp(door, r->door) != 0) {
			door = r->door;
			g_string_append_printf(
				out, "\n## %s\n\n| method | rule | needs | why / note |\n|---|---|---|---|\n", door);
		}
		g_autofree char *needs = rule_needs(r);
		g_string_append_printf(out, "| `%s` | %s | %s | %s |\n", r->method, authz_rule_kind_name(r->kind),
				       needs, r->reason ? r->reason : "");
	}
	return g_string_free(out, FALSE);
}
