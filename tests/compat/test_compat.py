# tests/compat/test_compat.py — the compatibility matrix: the same smoke flows run through
# each client release's own generated client (conftest.py), calling what that release's
# HiveMetaStoreClient, Spark's HiveShim, Trino and Iceberg's HiveCatalog call: databases,
# tables, partitions, column statistics, functions, locks and transactions, notifications
# and configuration. Where a release has both an old and a request-style form of a call,
# both are exercised; request structs carry only the fields the release's IDL has (an old
# client cannot send Hive 4's `engine`, a Hive 4 client always sends it).
# test_hive4_request_methods: the Hive 4 request-style and catalog methods, once per
# release that has them; an unserved one fails naming the method (never skipped silently).

import socket
import uuid

import pytest
from thrift.Thrift import TApplicationException


def uniq(prefix):
    return "%s_%s" % (prefix, uuid.uuid4().hex[:10])


def build(R, struct, **kw):
    """An instance of the release's struct with only the fields the release has."""
    have = R.fields(struct)
    return getattr(R.T, struct)(**{k: v for k, v in kw.items() if k in have})


def make_table(R, db, name, part_keys=(), params=None, table_type="EXTERNAL_TABLE"):
    T = R.T
    sd = build(R, "StorageDescriptor",
               cols=[T.FieldSchema(name="id", type="bigint", comment="the id"),
                     T.FieldSchema(name="name", type="string", comment=None)],
               inputFormat="org.apache.hadoop.mapred.TextInputFormat",
               outputFormat="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
               compressed=False, numBuckets=-1,
               serdeInfo=T.SerDeInfo(name=name,
                                     serializationLib="org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                                     parameters={"serialization.format": "1"}),
               bucketCols=[], sortCols=[], parameters={})
    return build(R, "Table", tableName=name, dbName=db, owner="compat", createTime=0, lastAccessTime=0,
                 retention=0, sd=sd,
                 partitionKeys=[T.FieldSchema(name=k, type=t, comment=None) for k, t in part_keys],
                 parameters=dict(params if params is not None else {"EXTERNAL": "TRUE"}), tableType=table_type)


def make_db(R, hms, prefix="cdb"):
    db = uniq(prefix)
    hms.create_database(build(R, "Database", name=db, description="compat", parameters={"k": "v"}))
    return db


def get_table(R, hms, db, name):
    """The table as that release's client reads it: get_table (2.x/3.x) or get_table_req (4.x)."""
    if R.has("get_table_req"):
        req = build(R, "GetTableRequest", dbName=db, tblName=name, engine="hive")
        via_req = hms.get_table_req(req).table
        if R.has("get_table"):
            assert hms.get_table(db, name).tableName == via_req.tableName
        return via_req
    return hms.get_table(db, name)


def test_databases(release, hms):
    R = release
    db = make_db(R, hms)
    assert db in hms.get_all_databases()
    assert db in hms.get_databases("cdb_*")
    got = hms.get_database(db)
    assert (got.name, got.description, got.parameters) == (db, "compat", {"k": "v"})
    got.parameters = {"k": "v2"}
    hms.alter_database(db, got)
    assert hms.get_database(db).parameters == {"k": "v2"}
    with pytest.raises(R.T.AlreadyExistsException):
        hms.create_database(build(R, "Database", name=db))
    hms.drop_database(db, True, True)
    with pytest.raises(R.T.NoSuchObjectException):
        hms.get_database(db)


def test_tables(release, hms):
    R, T = release, release.T
    db = make_db(R, hms)
    hms.create_table(make_table(R, db, "t_plain", params={"EXTERNAL": "TRUE", "table_type": "ICEBERG",
                                                          "metadata_location": "s3://b/m0.json"}))
    names = ["t_plain"]
    if R.has("create_table_with_environment_context"):  # Spark
        hms.create_table_with_environment_context(make_table(R, db, "t_env"),
                                                  T.EnvironmentContext(properties={"k": "v"}))
        names.append("t_env")
    if R.has("create_table_req"):  # Hive 4's client
        hms.create_table_req(build(R, "CreateTableRequest", table=make_table(R, db, "t_req")))
        names.append("t_req")
    t = get_table(R, hms, db, "t_plain")
    assert (t.tableName, t.dbName, t.tableType) == ("t_plain", db, "EXTERNAL_TABLE")
    assert [c.name for c in t.sd.cols] == ["id", "name"]
    with pytest.raises(T.NoSuchObjectException):
        get_table(R, hms, db, "t_missing")
    if R.has("get_table_objects_by_name"):
        assert sorted(x.tableName for x in hms.get_table_objects_by_name(db, names)) == sorted(names)
    if R.has("get_table_objects_by_name_req"):
        res = hms.get_table_objects_by_name_req(build(R, "GetTablesRequest", dbName=db, tblNames=names))
        assert sorted(x.tableName for x in res.tables) == sorted(names)
    assert sorted(hms.get_all_tables(db)) == sorted(names)
    assert sorted(hms.get_tables(db, "t_*")) == sorted(names)
    if R.has("get_tables_by_type"):  # Spark 3+, Trino views
        assert sorted(hms.get_tables_by_type(db, "*", "EXTERNAL_TABLE")) == sorted(names)
    # Iceberg's HiveCatalog.listTables.
    assert hms.get_table_names_by_filter(db, 'hive_filter_field_params__table_type like "ICEBERG"', -1) == ["t_plain"]
    metas = hms.get_table_meta(db, "*", [])
    assert sorted(m.tableName for m in metas) == sorted(names)
    # Iceberg's commit: alter with DO_NOT_UPDATE_STATS, parameters carry metadata_location.
    t.parameters["metadata_location"] = "s3://b/m1.json"
    if R.has("alter_table_with_environment_context"):
        hms.alter_table_with_environment_context(db, "t_plain", t,
                                                 T.EnvironmentContext(properties={"DO_NOT_UPDATE_STATS": "true"}))
    else:
        hms.alter_table(db, "t_plain", t)
    assert get_table(R, hms, db, "t_plain").parameters["metadata_location"] == "s3://b/m1.json"
    if R.has("alter_table_req"):  # Hive 4's client; Trino tries it first
        t.parameters["metadata_location"] = "s3://b/m2.json"
        hms.alter_table_req(build(R, "AlterTableRequest", catName="hive", dbName=db, tableName="t_plain", table=t,
                                  environmentContext=T.EnvironmentContext(properties={"DO_NOT_UPDATE_STATS": "true"})))
        assert get_table(R, hms, db, "t_plain").parameters["metadata_location"] == "s3://b/m2.json"
    t.tableName = "t_renamed"
    hms.alter_table(db, "t_plain", t)
    assert "t_renamed" in hms.get_all_tables(db)
    hms.drop_table(db, "t_renamed", False)
    if R.has("drop_table_with_environment_context"):
        hms.drop_table_with_environment_context(db, names[1] if len(names) > 1 else names[0], True,
                                                T.EnvironmentContext(properties={}))
    hms.drop_database(db, True, True)


def add_parts(R, hms, db, tbl, values):
    t = get_table(R, hms, db, tbl)
    parts = [build(R, "Partition", values=[v], dbName=db, tableName=tbl, createTime=0, lastAccessTime=0,
                   sd=t.sd, parameters={}) for v in values]
    return parts


def test_partitions(release, hms):
    R, T = release, release.T
    db = make_db(R, hms)
    hms.create_table(make_table(R, db, "p", part_keys=[("ds", "string")]))
    assert hms.add_partitions(add_parts(R, hms, db, "p", ["2024-01-01", "2024-01-02"])) == 2
    if R.has("add_partitions_req"):  # Spark's createPartitions, ifNotExists
        req = build(R, "AddPartitionsRequest", dbName=db, tblName="p", ifNotExists=True, needResult=True,
                    parts=add_parts(R, hms, db, "p", ["2024-01-02", "2024-01-03"]))
        res = hms.add_partitions_req(req)
        assert [p.values for p in res.partitions] == [["2024-01-03"]]
    all_names = ["ds=2024-01-01", "ds=2024-01-02", "ds=2024-01-03"]
    assert sorted(hms.get_partition_names(db, "p", -1)) == all_names
    assert sorted(p.values[0] for p in hms.get_partitions(db, "p", -1)) == ["2024-01-01", "2024-01-02", "2024-01-03"]
    # Spark's pruning filter and Trino's names-by-spec.
    got = hms.get_partitions_by_filter(db, "p", 'ds >= "2024-01-02"', -1)
    assert sorted(p.values[0] for p in got) == ["2024-01-02", "2024-01-03"]
    got = hms.get_partitions_by_filter(db, "p", '(ds = "2024-01-01" or ds = "2024-01-03")', -1)  # Spark's IN
    assert sorted(p.values[0] for p in got) == ["2024-01-01", "2024-01-03"]
    assert [p.values for p in hms.get_partitions_ps(db, "p", ["2024-01-01"], -1)] == [["2024-01-01"]]
    assert hms.get_partition_names_ps(db, "p", [""], -1).__len__() == 3
    got = hms.get_partitions_by_names(db, "p", ["ds=2024-01-01", "ds=2024-01-03"])
    assert sorted(p.values[0] for p in got) == ["2024-01-01", "2024-01-03"]
    if R.has("get_partitions_by_names_req"):
        req = build(R, "GetPartitionsByNamesRequest", db_name=db, tbl_name="p", names=["ds=2024-01-02"],
                    engine="hive")
        assert [p.values for p in hms.get_partitions_by_names_req(req).partitions] == [["2024-01-02"]]
    assert hms.get_partition(db, "p", ["2024-01-01"]).values == ["2024-01-01"]
    if R.has("get_partitions_by_filter_req"):  # Hive 4.2's client
        got = hms.get_partitions_by_filter_req(build(R, "GetPartitionsByFilterRequest", catName="hive", dbName=db,
                                                     tblName="p", filter='ds < "2024-01-02"', maxParts=-1))
        assert [p.values for p in got] == [["2024-01-01"]]
    if R.has("get_partitions_ps_with_auth_req"):  # Hive 4's listPartitionsWithAuthInfo
        got = hms.get_partitions_ps_with_auth_req(build(R, "GetPartitionsPsWithAuthRequest", catName="hive",
                                                        dbName=db, tblName="p", partVals=["2024-01-02"],
                                                        maxParts=-1, userName="compat", groupNames=[]))
        assert [p.values for p in got.partitions] == [["2024-01-02"]]
    if R.has("get_partition_names_ps_req"):
        got = hms.get_partition_names_ps_req(build(R, "GetPartitionNamesPsRequest", catName="hive", dbName=db,
                                                   tblName="p", partValues=[""], maxParts=-1))
        assert sorted(got.names) == all_names
    if R.has("fetch_partition_names_req"):  # Hive 4.2
        got = hms.fetch_partition_names_req(build(R, "PartitionsRequest", catName="hive", dbName=db, tblName="p",
                                                  maxParts=-1))
        assert sorted(got) == all_names
    if R.has("alter_partitions_req"):  # Hive 4's client; Trino tries it first
        part = hms.get_partition(db, "p", ["2024-01-03"])
        part.parameters = {"k": "v"}
        hms.alter_partitions_req(build(R, "AlterPartitionsRequest", catName="hive", dbName=db, tableName="p",
                                       partitions=[part]))
        assert hms.get_partition(db, "p", ["2024-01-03"]).parameters.get("k") == "v"
    assert hms.drop_partition(db, "p", ["2024-01-01"], False)
    with pytest.raises(T.NoSuchObjectException):
        hms.get_partition(db, "p", ["2024-01-01"])
    req = build(R, "DropPartitionsRequest", dbName=db, tblName="p",
                parts=T.RequestPartsSpec(names=["ds=2024-01-02"]), deleteData=False, ifExists=True,
                needResult=True)
    assert [p.values for p in hms.drop_partitions_req(req).partitions] == [["2024-01-02"]]
    assert hms.get_partition_names(db, "p", -1) == ["ds=2024-01-03"]
    if R.has("drop_partition_req"):  # Hive 4.2
        assert hms.drop_partition_req(build(R, "DropPartitionRequest", catName="hive", dbName=db, tblName="p",
                                            partVals=["2024-01-03"], deleteData=False))
        assert hms.get_partition_names(db, "p", -1) == []
    hms.drop_database(db, True, True)


def test_hive_pruning_fallback(release, hms):
    """Hive's own planner: get_partitions_by_expr must answer UNKNOWN_METHOD (its client turns
    that into IncompatibleMetastoreException and prunes client-side), then the names-based
    sequential scan it falls back to returns the right partitions."""
    R = release
    db = make_db(R, hms)
    hms.create_table(make_table(R, db, "hp", part_keys=[("ds", "string")]))
    hms.add_partitions(add_parts(R, hms, db, "hp", ["a", "b", "c"]))
    req = build(R, "PartitionsByExprRequest", dbName=db, tblName="hp", expr=b"\x01kryo", maxParts=-1)
    with pytest.raises(TApplicationException) as e:
        hms.get_partitions_by_expr(req)
    assert e.value.type == TApplicationException.UNKNOWN_METHOD
    names = hms.get_partition_names(db, "hp", -1)
    wanted = [n for n in names if n != "ds=b"]  # what Hive's evaluator keeps for ds <> 'b'
    assert sorted(p.values[0] for p in hms.get_partitions_by_names(db, "hp", wanted)) == ["a", "c"]
    hms.drop_database(db, True, True)


def long_stats(R, db, tbl, part_name=None):
    T = R.T
    desc = build(R, "ColumnStatisticsDesc", isTblLevel=part_name is None, dbName=db, tableName=tbl,
                 partName=part_name, lastAnalyzed=1700000000)
    obj = T.ColumnStatisticsObj(colName="id", colType="bigint", statsData=T.ColumnStatisticsData(
        longStats=T.LongColumnStatsData(lowValue=1, highValue=99, numNulls=2, numDVs=40)))
    return build(R, "ColumnStatistics", statsDesc=desc, statsObj=[obj], engine="hive")


def test_column_statistics(release, hms):
    R = release
    db = make_db(R, hms)
    hms.create_table(make_table(R, db, "s", part_keys=[("ds", "string")]))
    hms.add_partitions(add_parts(R, hms, db, "s", ["a"]))
    assert hms.update_table_column_statistics(long_stats(R, db, "s"))
    req = build(R, "TableStatsRequest", dbName=db, tblName="s", colNames=["id"], engine="hive")
    [obj] = hms.get_table_statistics_req(req).tableStats
    assert (obj.colName, obj.statsData.longStats.highValue, obj.statsData.longStats.numDVs) == ("id", 99, 40)
    if R.has("get_table_column_statistics"):
        got = hms.get_table_column_statistics(db, "s", "id")
        assert got.statsObj[0].statsData.longStats.lowValue == 1
    assert hms.update_partition_column_statistics(long_stats(R, db, "s", "ds=a"))
    req = build(R, "PartitionsStatsRequest", dbName=db, tblName="s", colNames=["id"], partNames=["ds=a"],
                engine="hive")
    res = hms.get_partitions_statistics_req(req)
    assert res.partStats["ds=a"][0].statsData.longStats.numNulls == 2
    aggr = hms.get_aggr_stats_for(req)
    assert aggr.partsFound == 1 and aggr.colStats[0].statsData.longStats.highValue == 99
    if R.has("update_table_column_statistics_req"):  # Hive 4's client
        stats = long_stats(R, db, "s")
        stats.statsObj[0].statsData.longStats.highValue = 199
        res = hms.update_table_column_statistics_req(build(R, "SetPartitionsStatsRequest", colStats=[stats],
                                                           engine="hive"))
        assert res.result
        req1 = build(R, "TableStatsRequest", dbName=db, tblName="s", colNames=["id"], engine="hive")
        assert hms.get_table_statistics_req(req1).tableStats[0].statsData.longStats.highValue == 199
    if R.has("update_partition_column_statistics_req"):
        res = hms.update_partition_column_statistics_req(
            build(R, "SetPartitionsStatsRequest", colStats=[long_stats(R, db, "s", "ds=a")], engine="hive"))
        assert res.result
    # Spark/Hive's ANALYZE path for several columns at once.
    sreq = build(R, "SetPartitionsStatsRequest", colStats=[long_stats(R, db, "s")], engine="hive")
    assert hms.set_aggr_stats_for(sreq) is True
    hms.drop_database(db, True, True)


def test_functions(release, hms):
    R, T = release, release.T
    db = make_db(R, hms)
    fn = build(R, "Function", functionName="f_upper", dbName=db, className="com.example.Upper",
               ownerName="compat", ownerType=T.PrincipalType.USER, createTime=0, functionType=T.FunctionType.JAVA,
               resourceUris=[T.ResourceUri(resourceType=T.ResourceType.JAR, uri="file:///tmp/u.jar")])
    hms.create_function(fn)
    got = hms.get_function(db, "f_upper")
    assert (got.className, got.resourceUris[0].uri) == ("com.example.Upper", "file:///tmp/u.jar")
    assert hms.get_functions(db, "f_*") == ["f_upper"]
    if R.has("get_all_functions"):  # Hive.get at session start (not Spark's 2.3.9 client)
        assert any(f.functionName == "f_upper" and f.dbName == db for f in hms.get_all_functions().functions)
    hms.drop_function(db, "f_upper")
    with pytest.raises(T.NoSuchObjectException):
        hms.get_function(db, "f_upper")
    hms.drop_database(db, True, True)


def test_locks_and_transactions(release, hms):
    R, T = release, release.T
    db = make_db(R, hms)
    hms.create_table(make_table(R, db, "l"))
    # Iceberg's HiveTableOperations: EXCLUSIVE TABLE lock, check_lock, unlock.
    comp = build(R, "LockComponent", type=T.LockType.EXCLUSIVE, level=T.LockLevel.TABLE, dbname=db,
                 tablename="l")
    req = build(R, "LockRequest", component=[comp], user="compat", hostname=socket.gethostname(),
                agentInfo="Iceberg-" + uuid.uuid4().hex)
    first = hms.lock(req)
    assert first.state == T.LockState.ACQUIRED
    second = hms.lock(req)
    assert second.state == T.LockState.WAITING
    # Iceberg adopts a lock it may have lost the answer to through show_locks and agentInfo.
    shown = hms.show_locks(build(R, "ShowLocksRequest", dbname=db, tablename="l")).locks
    assert {x.lockid for x in shown} == {first.lockid, second.lockid}
    assert {x.agentInfo for x in shown} == {req.agentInfo}
    assert hms.check_lock(build(R, "CheckLockRequest", lockid=second.lockid)).state == T.LockState.WAITING
    hms.heartbeat(build(R, "HeartbeatRequest", lockid=first.lockid))
    hms.unlock(T.UnlockRequest(lockid=first.lockid))
    assert hms.check_lock(build(R, "CheckLockRequest", lockid=second.lockid)).state == T.LockState.ACQUIRED
    hms.unlock(T.UnlockRequest(lockid=second.lockid))
    txns = hms.open_txns(build(R, "OpenTxnRequest", num_txns=1, user="compat", hostname="h"))
    [txn] = txns.txn_ids
    open_now = hms.get_open_txns()
    assert open_now.txn_high_water_mark >= txn
    if R.facts.get("replaced_fields", {}).get("GetOpenTxnsResponse.2", "").endswith("set<i64> open_txns"):
        # Hive 3 changed open_txns from set<i64> to list<i64>: a 2.x client skips the field
        # (a wire-type mismatch) against any Hive 3+ server, Propolis included.
        assert open_now.open_txns is None
    else:
        assert txn in open_now.open_txns
    hms.commit_txn(build(R, "CommitTxnRequest", txnid=txn))
    if open_now.open_txns is not None:
        assert txn not in hms.get_open_txns().open_txns
    hms.drop_database(db, True, True)


def test_notifications(release, hms):
    R = release
    before = hms.get_current_notificationEventId().eventId
    db = make_db(R, hms)
    hms.create_table(make_table(R, db, "n"))
    req = build(R, "NotificationEventRequest", lastEvent=before, maxEvents=1000)
    events = hms.get_next_notification(req).events
    mine = [(e.eventType, e.tableName) for e in events if e.dbName == db]
    assert ("CREATE_DATABASE", None) in [(t, n or None) for t, n in mine]
    assert ("CREATE_TABLE", "n") in mine
    assert all(e.eventId > before for e in events)
    assert hms.get_current_notificationEventId().eventId >= max(e.eventId for e in events)
    hms.drop_database(db, True, True)


def test_configuration(release, hms):
    assert hms.getMetaConf("hive.metastore.batch.retrieve.max") != ""
    assert hms.get_config_value("hive.propolis.no.such.key", "dflt") == "dflt"


# ---- Hive 4 request-style and catalog methods (issue 17; served by branch w-t17a) ----

def _hive4_calls():
    """method -> flow(R, hms, db) exercising it; each asserts a real answer."""

    def create_database_req(R, hms, db):
        name = uniq("cdbr")
        hms.create_database_req(build(R, "CreateDatabaseRequest", databaseName=name, description="d",
                                      catalogName="hive"))
        assert hms.get_database(name).description == "d"
        hms.drop_database(name, True, True)

    def alter_database_req(R, hms, db):
        d = hms.get_database(db)
        d.parameters = {"k": "altered"}
        hms.alter_database_req(build(R, "AlterDatabaseRequest", oldDbName=db, newDb=d))
        assert hms.get_database(db).parameters == {"k": "altered"}

    def get_database_req(R, hms, db):
        assert hms.get_database_req(build(R, "GetDatabaseRequest", name=db, catalogName="hive")).name == db

    def drop_table_req(R, hms, db):
        hms.create_table(make_table(R, db, "dt"))
        hms.drop_table_req(build(R, "DropTableRequest", catalogName="hive", dbName=db, tableName="dt",
                                 deleteData=False, dropPartitions=True))
        assert "dt" not in hms.get_all_tables(db)

    def truncate_table_req(R, hms, db):
        # Hive truncates managed tables only; metadata effects: basic statistics reset.
        hms.create_table(make_table(R, db, "tt", params={"numRows": "42", "numFiles": "3", "keep": "x"},
                                    table_type="MANAGED_TABLE"))
        hms.truncate_table_req(build(R, "TruncateTableRequest", dbName=db, tableName="tt"))
        after = get_table(R, hms, db, "tt").parameters
        assert (after["numRows"], after["numFiles"], after["keep"]) == ("0", "0", "x")

    def append_partition_req(R, hms, db):
        hms.create_table(make_table(R, db, "ap", part_keys=[("ds", "string")]))
        p = hms.append_partition_req(build(R, "AppendPartitionsRequest", catalogName="hive", dbName=db,
                                           tableName="ap", partVals=["x"]))
        assert p.values == ["x"]
        assert hms.get_partition_names(db, "ap", -1) == ["ds=x"]

    def _parted(R, hms, db, name):
        hms.create_table(make_table(R, db, name, part_keys=[("ds", "string")]))
        hms.add_partitions(add_parts(R, hms, db, name, ["a", "b"]))

    def get_partition_names_req(R, hms, db):
        _parted(R, hms, db, "pn")
        res = hms.get_partition_names_req(build(R, "PartitionsByExprRequest", dbName=db, tblName="pn",
                                                expr=b"", maxParts=-1))
        assert sorted(res) == ["ds=a", "ds=b"]

    def get_partitions_with_specs(R, hms, db):
        _parted(R, hms, db, "ps")
        req = build(R, "GetPartitionsRequest", catName="hive", dbName=db, tblName="ps",
                    projectionSpec=build(R, "GetProjectionsSpec", fieldList=[]),
                    filterSpec=build(R, "GetPartitionsFilterSpec"))
        res = hms.get_partitions_with_specs(req)
        values = []
        for spec in res.partitionSpec:
            if spec.sharedSDPartitionSpec:
                values += [p.values[0] for p in spec.sharedSDPartitionSpec.partitions]
            if spec.partitionList:
                values += [p.values[0] for p in spec.partitionList.partitions]
        assert sorted(values) == ["a", "b"]

    def get_fields_req(R, hms, db):
        hms.create_table(make_table(R, db, "gf"))
        res = hms.get_fields_req(build(R, "GetFieldsRequest", dbName=db, tblName="gf"))
        assert [f.name for f in res.fields] == ["id", "name"]

    def get_schema_req(R, hms, db):
        hms.create_table(make_table(R, db, "gs", part_keys=[("ds", "string")]))
        res = hms.get_schema_req(build(R, "GetSchemaRequest", dbName=db, tblName="gs"))
        assert [f.name for f in res.fields] == ["id", "name", "ds"]

    def get_tables_ext(R, hms, db):
        hms.create_table(make_table(R, db, "te"))
        res = hms.get_tables_ext(build(R, "GetTablesExtRequest", catalog="hive", database=db,
                                       tableNamePattern="*", requestedFields=1))
        assert [x.tblName for x in res] == ["te"]

    def get_catalogs(R, hms, db):
        assert "hive" in hms.get_catalogs().names

    def get_catalog(R, hms, db):
        assert hms.get_catalog(build(R, "GetCatalogRequest", name="hive")).catalog.name == "hive"

    def get_metastore_db_uuid(R, hms, db):
        first = hms.get_metastore_db_uuid()
        assert first and first == hms.get_metastore_db_uuid()

    # Hive 4.2's request-style twins of served reads (its HiveMetaStoreClient calls these).
    def get_databases_req(R, hms, db):
        res = hms.get_databases_req(build(R, "GetDatabaseObjectsRequest", catalogName="hive", pattern=db))
        assert [d.name for d in res.databases] == [db]

    def get_functions_req(R, hms, db):
        fn = build(R, "Function", functionName="f_req", dbName=db, className="com.example.F", ownerName="compat",
                   ownerType=R.T.PrincipalType.USER, createTime=0, functionType=R.T.FunctionType.JAVA, resourceUris=[])
        hms.create_function(fn)
        res = hms.get_functions_req(build(R, "GetFunctionsRequest", dbName=db, catalogName="hive", pattern="f_*",
                                          returnNames=True))
        assert res.function_names == ["f_req"]

    def delete_column_statistics_req(R, hms, db):
        hms.create_table(make_table(R, db, "ds"))
        assert hms.update_table_column_statistics(long_stats(R, db, "ds"))
        assert hms.delete_column_statistics_req(build(R, "DeleteColumnStatisticsRequest", db_name=db, tbl_name="ds",
                                                      col_names=["id"], engine="hive", tableLevel=True))
        req = build(R, "TableStatsRequest", dbName=db, tblName="ds", colNames=["id"], engine="hive")
        assert hms.get_table_statistics_req(req).tableStats == []

    return {f.__name__: f for f in (create_database_req, alter_database_req, get_database_req, drop_table_req,
                                     truncate_table_req, append_partition_req, get_partition_names_req,
                                     get_partitions_with_specs, get_fields_req, get_schema_req, get_tables_ext,
                                     get_catalogs, get_catalog, get_metastore_db_uuid, get_databases_req,
                                     get_functions_req, delete_column_statistics_req)}


HIVE4_CALLS = _hive4_calls()


@pytest.mark.parametrize("method", sorted(HIVE4_CALLS))
def test_hive4_request_methods(release, hms, method):
    """Each Hive 4 request-style/catalog method the release's client has must be served."""
    if not release.has(method):
        pytest.skip("%s's IDL has no %s" % (release.name, method))
    db = make_db(release, hms, "h4")
    unserved = None
    try:
        HIVE4_CALLS[method](release, hms, db)
    except TApplicationException as e:
        if e.type != TApplicationException.UNKNOWN_METHOD:
            raise
        unserved = e.message
    finally:
        hms.drop_database(db, True, True)
    if unserved:
        pytest.fail("UNSERVED: Propolis answers %s with UNKNOWN_METHOD (%s)" % (method, unserved), pytrace=False)
