# tests/integration/test_req_methods.py — issue 17: the request-style twins Hive 4 clients call
# (create_database_req, alter_database_req, drop_table_req, truncate_table_req, get_fields_req,
# get_schema_req, append_partition_req, get_partition_names_req, get_partitions_by_names_req
# options) through the generated Python client: each one's happy path, its missing object with
# Hive's exception, and a caller without grants denied; plus create_table into a missing database
# raising InvalidObjectException as Hive's create_table_core does.

import json
import sys

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")

import harness  # noqa: E402
from harness import T, uniq, make_table  # noqa: E402
from test_permissions import IAM_ALLOWED, World, perm_server  # noqa: E402,F401 — the fixture is used below

PK = [T.FieldSchema(name="ds", type="string")]


def part(db, table, value):
    return T.Partition(values=[value], dbName=db, tableName=table, createTime=0, lastAccessTime=0,
                       sd=harness.make_sd(None, "file:///tmp/req/%s/ds=%s" % (table, value)),
                       parameters={"keep.me": "1", "drop.me": "2"})


def test_create_database_req_round_trip_and_errors(bclient):
    name = uniq("cdbreq")
    bclient.create_database_req(T.CreateDatabaseRequest(
        databaseName=name, description="by request", locationUri="file:///data/" + name,
        parameters={"a": "b"}, ownerName="bob", ownerType=T.PrincipalType.USER, catalogName="hive"))
    got = bclient.get_database(name)
    assert (got.description, got.locationUri, got.parameters, got.ownerName) == \
        ("by request", "file:///data/" + name, {"a": "b"}, "bob")
    assert got.catalogName == "hive" and got.createTime > 1600000000
    with pytest.raises(T.AlreadyExistsException):
        bclient.create_database_req(T.CreateDatabaseRequest(databaseName=name))
    with pytest.raises(T.InvalidObjectException):
        bclient.create_database_req(T.CreateDatabaseRequest(databaseName="bad-name"))
    bclient.drop_database(name, True, False)


def test_alter_database_req(bclient, db):
    d = bclient.get_database(db)
    d.description = "altered by request"
    d.parameters = {"k": "v"}
    bclient.alter_database_req(T.AlterDatabaseRequest(oldDbName=db, newDb=d))
    got = bclient.get_database(db)
    assert got.description == "altered by request" and got.parameters == {"k": "v"}
    with pytest.raises(T.MetaException) as e:
        bclient.alter_database_req(T.AlterDatabaseRequest(oldDbName=uniq("gone"), newDb=d))
    assert "Could not alter database" in e.value.message


def test_drop_table_req(bclient, db):
    bclient.create_table(make_table(db, "t"))
    bclient.drop_table_req(T.DropTableRequest(catalogName="hive", dbName=db, tableName="t", deleteData=True))
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_table(db, "t")
    with pytest.raises(T.NoSuchObjectException):
        bclient.drop_table_req(T.DropTableRequest(dbName=db, tableName="t"))


def test_truncate_table_req_resets_stats_and_ddl_time_only(bclient, db):
    t = make_table(db, "tr", params={"numRows": "42", "numFiles": "3", "totalSize": "100", "keep": "x",
                                     "transient_lastDdlTime": "1000"})
    bclient.create_table(t)
    before = bclient.get_table(db, "tr")
    bclient.truncate_table_req(T.TruncateTableRequest(dbName=db, tableName="tr"))
    after = bclient.get_table(db, "tr")
    assert after.parameters["numRows"] == "0" and after.parameters["numFiles"] == "0"
    assert after.parameters["totalSize"] == "0" and after.parameters["keep"] == "x"
    assert int(after.parameters["transient_lastDdlTime"]) > 1000
    assert after.sd.location == before.sd.location and after.sd.cols == before.sd.cols
    with pytest.raises(T.MetaException):
        bclient.truncate_table_req(T.TruncateTableRequest(dbName=db, tableName="missing"))


def test_get_fields_req_and_get_schema_req(bclient, db):
    bclient.create_table(make_table(db, "f", partition_keys=list(PK)))
    fields = bclient.get_fields_req(T.GetFieldsRequest(catName="hive", dbName=db, tblName="f")).fields
    assert [f.name for f in fields] == ["id", "name"]
    schema = bclient.get_schema_req(T.GetSchemaRequest(dbName=db, tblName="f")).fields
    assert [f.name for f in schema] == ["id", "name", "ds"]
    with pytest.raises(T.UnknownTableException):
        bclient.get_fields_req(T.GetFieldsRequest(dbName=db, tblName="missing"))
    with pytest.raises(T.UnknownTableException):
        bclient.get_schema_req(T.GetSchemaRequest(dbName=uniq("nodb"), tblName="f"))


def test_append_partition_req_by_values_and_by_name(bclient, db):
    bclient.create_table(make_table(db, "ap", partition_keys=list(PK), location="file:///tmp/req/ap"))
    p = bclient.append_partition_req(T.AppendPartitionsRequest(dbName=db, tableName="ap", partVals=["1"]))
    assert p.values == ["1"] and p.sd.location.endswith("/ap/ds=1")
    p = bclient.append_partition_req(T.AppendPartitionsRequest(catalogName="hive", dbName=db, tableName="ap",
                                                               name="ds=2"))
    assert p.values == ["2"]
    assert sorted(bclient.get_partition_names(db, "ap", -1)) == ["ds=1", "ds=2"]
    with pytest.raises(T.AlreadyExistsException):
        bclient.append_partition_req(T.AppendPartitionsRequest(dbName=db, tableName="ap", partVals=["1"]))
    with pytest.raises((T.InvalidObjectException, T.MetaException)):
        bclient.append_partition_req(T.AppendPartitionsRequest(dbName=db, tableName="missing", partVals=["1"]))


def test_get_partition_names_req(bclient, db):
    bclient.create_table(make_table(db, "pn", partition_keys=list(PK)))
    for v in ("a", "b", "c"):
        bclient.add_partition(part(db, "pn", v))
    names = bclient.get_partition_names_req(T.PartitionsByExprRequest(dbName=db, tblName="pn", expr=b""))
    assert sorted(names) == ["ds=a", "ds=b", "ds=c"]
    two = bclient.get_partition_names_req(T.PartitionsByExprRequest(dbName=db, tblName="pn", expr=b"",
                                                                    maxParts=2))
    assert len(two) == 2
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_partition_names_req(T.PartitionsByExprRequest(dbName=db, tblName="missing", expr=b""))
    # a Kryo-serialized expression: a typed MetaException, never a broken connection
    with pytest.raises(T.MetaException) as e:
        bclient.get_partition_names_req(T.PartitionsByExprRequest(dbName=db, tblName="pn", expr=b"\x01\x00kryo"))
    assert "not supported" in e.value.message
    assert bclient.get_partition_names(db, "pn", -1)


def test_get_partitions_by_names_req_options(bclient, db):
    bclient.create_table(make_table(db, "bn", partition_keys=list(PK)))
    bclient.add_partition(part(db, "bn", "1"))
    req = T.GetPartitionsByNamesRequest(db_name="@hive#" + db, tbl_name="bn", names=["ds=1"])
    full = bclient.get_partitions_by_names_req(req).partitions
    assert [c.name for c in full[0].sd.cols] == ["id", "name"]
    assert {"keep.me", "drop.me"} <= set(full[0].parameters)
    req.skipColumnSchemaForPartition = True
    req.includeParamKeyPattern = "keep%"
    got = bclient.get_partitions_by_names_req(req).partitions
    assert got[0].sd.cols == [] and "keep.me" in got[0].parameters and "drop.me" not in got[0].parameters
    req.includeParamKeyPattern = None
    req.excludeParamKeyPattern = "drop._e"
    got = bclient.get_partitions_by_names_req(req).partitions
    assert "keep.me" in got[0].parameters and "drop.me" not in got[0].parameters


def test_create_table_in_missing_database_is_invalid_object(bclient):
    with pytest.raises(T.InvalidObjectException):
        bclient.create_table(make_table(uniq("nodb"), "t"))
    with pytest.raises(T.InvalidObjectException):
        bclient.create_table_req(T.CreateTableRequest(table=make_table(uniq("nodb"), "t")))


# ---- a caller without grants is denied each of them ----

def closed_world(srv):
    """The permission server with Lake Formation's open defaults closed, as an operator does."""
    w = World(srv)
    lf = w.client("lakeformation", "admin")
    settings = lf.get_data_lake_settings()["DataLakeSettings"]
    settings["CreateDatabaseDefaultPermissions"] = []
    settings["CreateTableDefaultPermissions"] = []
    lf.put_data_lake_settings(DataLakeSettings=settings)
    lf.revoke_permissions(Principal=IAM_ALLOWED, Resource={"Catalog": {}}, Permissions=["CREATE_DATABASE"])
    lf.revoke_permissions(Principal=IAM_ALLOWED, Resource={"Database": {"Name": "default"}}, Permissions=["ALL"])
    return w


@pytest.fixture(scope="module")
def denied(perm_server):
    w = closed_world(perm_server)
    w.create_principal("nobody17")
    a = w.thrift("admin")
    dbname = uniq("reqdeny")
    a.create_database(T.Database(name=dbname, parameters={}))
    a.create_table(make_table(dbname, "t", partition_keys=list(PK)))
    return w.thrift("nobody17"), a, dbname


def _is_denial(exc):
    return "Insufficient Lake Formation permission" in (getattr(exc, "message", "") or "")


@pytest.mark.parametrize("call", [
    lambda c, db: c.create_database_req(T.CreateDatabaseRequest(databaseName=uniq("nope"))),
    lambda c, db: c.alter_database_req(T.AlterDatabaseRequest(oldDbName=db, newDb=T.Database(name=db,
                                                                                              parameters={}))),
    lambda c, db: c.drop_table_req(T.DropTableRequest(dbName=db, tableName="t")),
    lambda c, db: c.truncate_table_req(T.TruncateTableRequest(dbName=db, tableName="t")),
    lambda c, db: c.get_fields_req(T.GetFieldsRequest(dbName=db, tblName="t")),
    lambda c, db: c.get_schema_req(T.GetSchemaRequest(dbName=db, tblName="t")),
    lambda c, db: c.append_partition_req(T.AppendPartitionsRequest(dbName=db, tableName="t", partVals=["9"])),
    lambda c, db: c.get_partition_names_req(T.PartitionsByExprRequest(dbName=db, tblName="t", expr=b"")),
], ids=["create_database_req", "alter_database_req", "drop_table_req", "truncate_table_req", "get_fields_req",
        "get_schema_req", "append_partition_req", "get_partition_names_req"])
def test_denied_caller(denied, call):
    nobody, admin, dbname = denied
    with pytest.raises(Exception) as e:
        call(nobody, dbname)
    assert _is_denial(e.value), e.value
    assert admin.get_table(dbname, "t").tableName == "t"
    assert admin.get_partition_names(dbname, "t", -1) == []


# ---- get_partitions_with_specs and get_open_txns_req ----

def _specs_table(bclient, db, name):
    bclient.create_table(make_table(db, name, partition_keys=list(PK), location="file:///tmp/req/" + name))
    for v in ("1", "2"):
        p = part(db, name, v)
        p.sd.location = "file:///tmp/req/%s/ds=%s" % (name, v)
        bclient.add_partition(p)
    p = part(db, name, "3")
    p.sd.location = "file:///elsewhere/ds=3"
    bclient.add_partition(p)


def test_get_partitions_with_specs_groups_by_shared_sd(bclient, db):
    _specs_table(bclient, db, "sp")
    res = bclient.get_partitions_with_specs(T.GetPartitionsRequest(
        dbName=db, tblName="sp", projectionSpec=T.GetProjectionsSpec(fieldList=[]),
        filterSpec=T.GetPartitionsFilterSpec()))
    shared = [s for s in res.partitionSpec if s.sharedSDPartitionSpec is not None]
    lists = [s for s in res.partitionSpec if s.partitionList is not None]
    assert len(shared) == 1 and len(lists) == 1
    s = shared[0]
    assert s.rootPath == "file:///tmp/req/sp" and s.sharedSDPartitionSpec.sd.location == "file:///tmp/req/sp"
    assert [c.name for c in s.sharedSDPartitionSpec.sd.cols] == ["id", "name"]
    got = sorted((p.values, p.relativePath) for p in s.sharedSDPartitionSpec.partitions)
    assert got == [(["1"], "/ds=1"), (["2"], "/ds=2")]
    assert s.catName == "hive" and s.dbName == db and s.tableName == "sp"
    assert [p.values for p in lists[0].partitionList.partitions] == [["3"]]
    assert lists[0].partitionList.partitions[0].sd.location == "file:///elsewhere/ds=3"


def test_get_partitions_with_specs_filters_and_projection(bclient, db):
    _specs_table(bclient, db, "sf")

    def call(mode=None, filters=None, fields=(), include="", exclude=""):
        return bclient.get_partitions_with_specs(T.GetPartitionsRequest(
            dbName=db, tblName="sf",
            projectionSpec=T.GetProjectionsSpec(fieldList=list(fields), includeParamKeyPattern=include,
                                                excludeParamKeyPattern=exclude),
            filterSpec=T.GetPartitionsFilterSpec(filterMode=mode, filters=filters))).partitionSpec

    def values(specs):
        out = []
        for s in specs:
            if s.sharedSDPartitionSpec is not None:
                out += [p.values[0] for p in s.sharedSDPartitionSpec.partitions]
            if s.partitionList is not None:
                out += [p.values[0] for p in s.partitionList.partitions]
        return sorted(out)

    assert values(call(T.PartitionFilterMode.BY_NAMES, ["ds=1", "ds=3"])) == ["1", "3"]
    assert values(call(T.PartitionFilterMode.BY_VALUES, ["2"])) == ["2"]
    assert values(call(T.PartitionFilterMode.BY_EXPR, ["ds > \"1\"", "ds < \"3\""])) == ["2"]
    with pytest.raises(T.MetaException):
        call(T.PartitionFilterMode.BY_EXPR, ["nokey = 1"])
    # no descriptor asked: one shared spec with an empty descriptor, every partition in it
    specs = call(fields=["values", "parameters"], include="keep%")
    assert len(specs) == 1 and specs[0].sharedSDPartitionSpec is not None
    assert not specs[0].sharedSDPartitionSpec.sd.cols
    parts = specs[0].sharedSDPartitionSpec.partitions
    assert sorted(p.values[0] for p in parts) == ["1", "2", "3"]
    assert all(p.parameters == {"keep.me": "1"} for p in parts)
    specs = call(fields=["values"], exclude="keep%")
    assert all(p.parameters == {} for p in specs[0].sharedSDPartitionSpec.partitions)
    with pytest.raises(T.MetaException):
        bclient.get_partitions_with_specs(T.GetPartitionsRequest(
            dbName=db, tblName="missing", projectionSpec=T.GetProjectionsSpec(fieldList=[]),
            filterSpec=T.GetPartitionsFilterSpec()))


def test_get_open_txns_req(bclient):
    txn = bclient.open_txns(T.OpenTxnRequest(num_txns=1, user="u", hostname="h")).txn_ids[0]
    res = bclient.get_open_txns_req(T.GetOpenTxnsRequest(excludeTxnTypes=[T.TxnType.READ_ONLY]))
    assert res.txn_high_water_mark >= txn and txn in res.open_txns
    bclient.abort_txn(T.AbortTxnRequest(txnid=txn))
    assert txn not in bclient.get_open_txns_req(T.GetOpenTxnsRequest()).open_txns


def test_denied_caller_specs(denied):
    nobody, admin, dbname = denied
    with pytest.raises(Exception) as e:
        nobody.get_partitions_with_specs(T.GetPartitionsRequest(
            dbName=dbname, tblName="t", projectionSpec=T.GetProjectionsSpec(fieldList=[]),
            filterSpec=T.GetPartitionsFilterSpec()))
    assert _is_denial(e.value), e.value


def test_get_tables_ext(bclient, db):
    for name in ("ext_a", "ext_b", "other"):
        bclient.create_table(make_table(db, name))
    res = bclient.get_tables_ext(T.GetTablesExtRequest(catalog="hive", database=db, tableNamePattern="ext_*",
                                                       requestedFields=1))
    assert [r.tblName for r in res] == ["ext_a", "ext_b"]
    res = bclient.get_tables_ext(T.GetTablesExtRequest(catalog="hive", database=db, tableNamePattern="*",
                                                       requestedFields=2147483647, limit=2))
    assert len(res) == 2
    with pytest.raises(T.MetaException):
        bclient.get_tables_ext(T.GetTablesExtRequest(catalog=uniq("nocat"), database=db, tableNamePattern="*",
                                                     requestedFields=1))


def test_denied_caller_tables_ext(denied):
    nobody, admin, dbname = denied
    res = None
    try:
        res = nobody.get_tables_ext(T.GetTablesExtRequest(catalog="hive", database=dbname, tableNamePattern="*",
                                                          requestedFields=1))
    except Exception as e:  # noqa: BLE001 — a denial is the other correct answer
        assert _is_denial(e), e
    assert not res


def test_exceptions_as_hive_raises_them(bclient, db):
    """The audit of issue 17: each method's missing-object answer is the exception HMSHandler throws."""
    bclient.create_table(make_table(db, "ex", partition_keys=list(PK)))
    nodb = uniq("nodb")
    orphan = part(db, "missing", "1")
    other = part(db, "ex", "9")
    func = T.Function(functionName="nof", dbName=db, className="a.B", ownerName="x", ownerType=1, createTime=0,
                      functionType=1, resourceUris=[])
    cases = [
        (T.InvalidObjectException, lambda: bclient.add_partition(orphan)),
        (T.InvalidObjectException, lambda: bclient.append_partition(db, "missing", ["1"])),
        (T.InvalidObjectException, lambda: bclient.append_partition_req(
            T.AppendPartitionsRequest(dbName=db, tableName="missing", partVals=["1"]))),
        (T.InvalidObjectException, lambda: bclient.create_table(make_table(nodb, "t"))),
        (T.InvalidOperationException, lambda: bclient.alter_table(db, "missing", make_table(db, "missing"))),
        (T.InvalidOperationException, lambda: bclient.alter_partition(db, "ex", other)),
        (T.InvalidOperationException, lambda: bclient.rename_partition(db, "ex", ["9"], part(db, "ex", "10"))),
        (T.MetaException, lambda: bclient.alter_function(db, "nof", func)),
        (T.NoSuchObjectException, lambda: bclient.drop_function(db, "nof")),
        (T.NoSuchObjectException, lambda: bclient.get_partition(db, "ex", ["9"])),
        (T.NoSuchObjectException, lambda: bclient.drop_table_req(T.DropTableRequest(dbName=db, tableName="no"))),
        (T.MetaException, lambda: bclient.alter_database_req(T.AlterDatabaseRequest(
            oldDbName=nodb, newDb=T.Database(name=nodb, parameters={})))),
        (T.UnknownTableException, lambda: bclient.get_fields_req(T.GetFieldsRequest(dbName=nodb, tblName="t"))),
    ]
    for exc, call in cases:
        with pytest.raises(exc):
            call()
    assert bclient.get_tables(nodb, "*") == []  # Hive lists a missing database as empty


# ---- Hive 4.2's get_databases_req, get_functions_req, delete_column_statistics_req ----

from test_column_stats import COLS, all_kinds, make_partitioned, part_stats, table_stats  # noqa: E402
from test_functions import fn  # noqa: E402


def test_get_databases_req_objects_by_pattern(bclient):
    pre = uniq("gdr")
    for suffix, desc in (("_a", "first"), ("_b", "second")):
        bclient.create_database(T.Database(name=pre + suffix, description=desc, parameters={"k": suffix}))
    res = bclient.get_databases_req(T.GetDatabaseObjectsRequest(catalogName="hive", pattern=pre + "*"))
    assert [(d.name, d.description, d.parameters, d.catalogName) for d in res.databases] == \
        [(pre + "_a", "first", {"k": "_a"}, "hive"), (pre + "_b", "second", {"k": "_b"}, "hive")]
    assert [d.name for d in res.databases] == bclient.get_databases(pre + "*")
    assert bclient.get_databases_req(T.GetDatabaseObjectsRequest(pattern=uniq("none") + "*")).databases == []
    everything = bclient.get_databases_req(T.GetDatabaseObjectsRequest())
    assert [d.name for d in everything.databases] == bclient.get_all_databases()
    for suffix in ("_a", "_b"):
        bclient.drop_database(pre + suffix, True, False)


def test_get_functions_req_names_or_objects(bclient, db):
    for name in ("f_one", "f_two", "g_other"):
        bclient.create_function(fn(db, name))
    names = bclient.get_functions_req(T.GetFunctionsRequest(dbName=db, pattern="f_*", returnNames=True))
    assert sorted(names.function_names) == ["f_one", "f_two"] and names.functions is None
    # returnNames defaults to true (Hive's IDL), so a bare request answers names too
    assert sorted(bclient.get_functions_req(T.GetFunctionsRequest(dbName=db, catalogName="hive")).function_names) == \
        sorted(bclient.get_functions(db, "*"))
    objs = bclient.get_functions_req(T.GetFunctionsRequest(dbName=db, pattern="f_*", returnNames=False))
    assert objs.function_names is None
    assert sorted((f.functionName, f.dbName, f.className) for f in objs.functions) == \
        [("f_one", db, "com.example.Udf"), ("f_two", db, "com.example.Udf")]
    assert bclient.get_functions_req(T.GetFunctionsRequest(dbName=db, pattern="zz*")).function_names == []


def _part_cols(c, db, names):
    got = c.get_partitions_statistics_req(T.PartitionsStatsRequest(
        dbName=db, tblName="pt", colNames=[k.name for k in COLS], partNames=names)).partStats
    return {p: sorted(o.colName for o in objs) for p, objs in got.items()}


def test_delete_column_statistics_req_partitions(bclient, db):
    names = make_partitioned(bclient, db, "pt", [1, 2, 3])
    assert bclient.set_aggr_stats_for(T.SetPartitionsStatsRequest(
        colStats=[part_stats(db, "pt", n, all_kinds(i)) for i, n in enumerate(names)]))
    every = sorted(k.name for k in COLS)
    Req = T.DeleteColumnStatisticsRequest
    # named partition, named columns
    assert bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="pt", part_names=[names[0]],
                                                    col_names=["S", "l"], engine="hive"))
    assert _part_cols(bclient, db, names) == {
        names[0]: sorted(set(every) - {"s", "l"}), names[1]: every, names[2]: every}
    acc = json.loads(bclient.get_partition_by_name(db, "pt", names[0]).parameters["COLUMN_STATS_ACCURATE"])
    assert sorted(acc["COLUMN_STATS"]) == sorted(set(every) - {"s", "l"})
    # no partition named: every partition; a named column absent from one is no error there
    assert bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="pt", col_names=["l", "d"]))
    left = sorted(set(every) - {"s", "l", "d"})
    assert _part_cols(bclient, db, names) == {names[0]: left, names[1]: sorted(set(every) - {"l", "d"}),
                                              names[2]: sorted(set(every) - {"l", "d"})}
    # a missing partition fails the whole request: nothing deleted (one transaction)
    with pytest.raises(T.NoSuchObjectException):
        bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="pt", part_names=[names[1], "p=99"]))
    assert _part_cols(bclient, db, names)[names[1]] == sorted(set(every) - {"l", "d"})
    # a named column without stats in a named partition: NoSuchObject, as the single form
    with pytest.raises(T.NoSuchObjectException):
        bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="pt", part_names=[names[0]], col_names=["s"]))
    # no column named: all of them
    assert bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="pt", part_names=[names[1]]))
    assert set(_part_cols(bclient, db, names)) == {names[0], names[2]}
    with pytest.raises(T.NoSuchObjectException):
        bclient.delete_column_statistics_req(Req(db_name=db, tbl_name=uniq("gone")))


def test_delete_column_statistics_req_table_level_and_engine(bclient, db):
    bclient.create_table(make_table(db, "t", columns=COLS))
    assert bclient.update_table_column_statistics(table_stats(db, "t", all_kinds()))
    assert bclient.update_table_column_statistics(table_stats(db, "t", all_kinds()[:2], engine="impala"))
    Req = T.DeleteColumnStatisticsRequest

    def cols_of(engine):
        return sorted(o.colName for o in bclient.get_table_statistics_req(T.TableStatsRequest(
            dbName=db, tblName="t", colNames=[k.name for k in COLS], engine=engine)).tableStats)

    assert bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="t", col_names=["b"], tableLevel=True))
    assert cols_of("hive") == sorted(k.name for k in COLS if k.name != "b")
    assert cols_of("impala") == ["b", "l"]
    assert bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="t", engine="impala", tableLevel=True))
    assert cols_of("impala") == [] and len(cols_of("hive")) == len(COLS) - 1
    with pytest.raises(T.NoSuchObjectException):
        bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="t", col_names=["b"], tableLevel=True))
    assert bclient.delete_column_statistics_req(Req(db_name=db, tbl_name="t", tableLevel=True))
    assert cols_of("hive") == []
    assert "COLUMN_STATS" not in json.loads(bclient.get_table(db, "t").parameters.get("COLUMN_STATS_ACCURATE", "{}"))


def test_hive42_twins_denied_or_filtered(denied):
    nobody, admin, dbname = denied
    admin.create_function(fn(dbname, "f_hidden"))
    assert [d.name for d in admin.get_databases_req(T.GetDatabaseObjectsRequest(pattern=dbname)).databases] == [dbname]
    assert nobody.get_databases_req(T.GetDatabaseObjectsRequest(pattern=dbname)).databases == []
    assert admin.get_functions_req(T.GetFunctionsRequest(dbName=dbname)).function_names == ["f_hidden"]
    assert not nobody.get_functions_req(T.GetFunctionsRequest(dbName=dbname, returnNames=False)).functions
    with pytest.raises(Exception) as e:
        nobody.delete_column_statistics_req(T.DeleteColumnStatisticsRequest(db_name=dbname, tbl_name="t"))
    assert _is_denial(e.value), e.value
