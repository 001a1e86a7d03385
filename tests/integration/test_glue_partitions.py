# tests/integration/test_glue_partitions.py — Glue partitions and column statistics through
# boto3 against the real server: each operation, per-item batch errors, Expression filters,
# pagination and segments, typed errors, and partitions/statistics shared with the Thrift door.

import datetime
import sys

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.exceptions  # noqa: E402

import harness  # noqa: E402
from harness import T  # noqa: E402
from test_glue_boto3 import gdb, glue, glue_server, table_input, thrift  # noqa: E402,F401


def part_input(values, loc=None, params=None):
    return {"Values": list(values),
            "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}, {"Name": "name", "Type": "string"}],
                                  "Location": loc or "s3://bucket/t/" + "/".join(values),
                                  "SerdeInfo": {"SerializationLibrary":
                                                "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"}},
            "Parameters": dict(params or {"p": "1"})}


@pytest.fixture
def ptable(glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("sales", parts=[("year", "int"), ("region", "string")]))
    return gdb, "sales"


def test_partition_lifecycle(glue, ptable):
    db, t = ptable
    glue.create_partition(DatabaseName=db, TableName=t, PartitionInput=part_input(["2024", "eu"]))
    p = glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2024", "eu"])["Partition"]
    assert p["Values"] == ["2024", "eu"] and p["DatabaseName"] == db and p["TableName"] == t
    assert p["CatalogId"] == "000000000000" and "Hive" not in p
    assert p["StorageDescriptor"]["Location"] == "s3://bucket/t/2024/eu"
    assert p["Parameters"]["p"] == "1"
    assert isinstance(p["CreationTime"], datetime.datetime)
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_partition(DatabaseName=db, TableName=t, PartitionInput=part_input(["2024", "eu"]))
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_partition(DatabaseName=db, TableName=t, PartitionInput=part_input(["2024"]))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.create_partition(DatabaseName=db, TableName="nope", PartitionInput=part_input(["2024", "eu"]))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2025", "eu"])
    # update in place, then with new values (a rename)
    glue.update_partition(DatabaseName=db, TableName=t, PartitionValueList=["2024", "eu"],
                          PartitionInput=part_input(["2024", "eu"], loc="s3://elsewhere/x", params={"q": "2"}))
    p = glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2024", "eu"])["Partition"]
    assert p["StorageDescriptor"]["Location"] == "s3://elsewhere/x" and p["Parameters"]["q"] == "2"
    glue.update_partition(DatabaseName=db, TableName=t, PartitionValueList=["2024", "eu"],
                          PartitionInput=part_input(["2023", "eu"], loc="s3://elsewhere/y"))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2024", "eu"])
    assert glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2023", "eu"])["Partition"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_partition(DatabaseName=db, TableName=t, PartitionValueList=["1999", "eu"],
                              PartitionInput=part_input(["1999", "eu"]))
    glue.delete_partition(DatabaseName=db, TableName=t, PartitionValues=["2023", "eu"])
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_partition(DatabaseName=db, TableName=t, PartitionValues=["2023", "eu"])


def test_batch_create_get_delete(glue, ptable):
    db, t = ptable
    r = glue.batch_create_partition(DatabaseName=db, TableName=t,
                                    PartitionInputList=[part_input([str(y), r]) for y in (2020, 2021)
                                                        for r in ("eu", "us")])
    assert r["Errors"] == []
    # per-item errors: an existing one, a wrong arity, a duplicate in the batch; the good one is added
    r = glue.batch_create_partition(DatabaseName=db, TableName=t, PartitionInputList=[
        part_input(["2020", "eu"]), part_input(["2022"]), part_input(["2022", "eu"]), part_input(["2022", "eu"])])
    errs = {tuple(e["PartitionValues"]): e["ErrorDetail"]["ErrorCode"] for e in r["Errors"]}
    assert errs[("2020", "eu")] == "AlreadyExistsException"
    assert errs[("2022",)] == "InvalidInputException"
    assert errs[("2022", "eu")] == "AlreadyExistsException"
    assert len(r["Errors"]) == 3
    assert glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2022", "eu"])["Partition"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.batch_create_partition(DatabaseName=db, TableName="nope", PartitionInputList=[part_input(["1", "a"])])
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        glue.batch_create_partition(DatabaseName=db, TableName=t,
                                    PartitionInputList=[part_input([str(i), "x"]) for i in range(101)])
    assert ei.value.response["Error"]["Code"] == "InvalidInputException"

    r = glue.batch_get_partition(DatabaseName=db, TableName=t, PartitionsToGet=[
        {"Values": ["2021", "us"]}, {"Values": ["2020", "eu"]}, {"Values": ["1999", "eu"]}])
    assert sorted(tuple(p["Values"]) for p in r["Partitions"]) == [("2020", "eu"), ("2021", "us")]
    assert r["UnprocessedKeys"] == []

    r = glue.batch_delete_partition(DatabaseName=db, TableName=t, PartitionsToDelete=[
        {"Values": ["2020", "eu"]}, {"Values": ["1999", "eu"]}])
    assert [(e["PartitionValues"], e["ErrorDetail"]["ErrorCode"]) for e in r["Errors"]] == \
        [(["1999", "eu"], "EntityNotFoundException")]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2020", "eu"])
    with pytest.raises(botocore.exceptions.ClientError):
        glue.batch_delete_partition(DatabaseName=db, TableName=t,
                                    PartitionsToDelete=[{"Values": [str(i), "x"]} for i in range(26)])

    r = glue.batch_update_partition(DatabaseName=db, TableName=t, Entries=[
        {"PartitionValueList": ["2021", "us"], "PartitionInput": part_input(["2021", "us"], params={"b": "u"})},
        {"PartitionValueList": ["1999", "us"], "PartitionInput": part_input(["1999", "us"])}])
    assert [(e["PartitionValueList"], e["ErrorDetail"]["ErrorCode"]) for e in r["Errors"]] == \
        [(["1999", "us"], "EntityNotFoundException")]
    p = glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2021", "us"])["Partition"]
    assert p["Parameters"]["b"] == "u"


def values_of(parts):
    return [tuple(p["Values"]) for p in parts]


def test_get_partitions_expression_pagination_segments(glue, ptable):
    db, t = ptable
    want = [(str(y), r) for y in range(2010, 2022) for r in ("eu", "us", "ap")]
    glue.batch_create_partition(DatabaseName=db, TableName=t, PartitionInputList=[part_input(v) for v in want])
    allp = glue.get_partitions(DatabaseName=db, TableName=t)["Partitions"]
    assert sorted(values_of(allp)) == sorted(want)
    assert "NextToken" not in glue.get_partitions(DatabaseName=db, TableName=t)

    def q(expr):
        return sorted(values_of(glue.get_partitions(DatabaseName=db, TableName=t, Expression=expr)["Partitions"]))

    assert q("year = 2015 AND region = 'eu'") == [("2015", "eu")]
    assert q("year > 2019 and region in ('us', 'ap')") == sorted([("2020", "us"), ("2020", "ap"),
                                                                  ("2021", "us"), ("2021", "ap")])
    assert q("year BETWEEN 2011 AND 2012 AND region LIKE 'e%'") == [("2011", "eu"), ("2012", "eu")]
    assert q("(year = 2010 OR year = 2021) AND region <> 'us' AND region != 'ap'") == [("2010", "eu"), ("2021", "eu")]
    assert q("year = 2011 AND region NOT IN ('us', 'ap')") == [("2011", "eu")]
    assert q("region = 'in' or (year) in (2010) and region = 'eu'") == [("2010", "eu")]
    glue.create_partition(DatabaseName=db, TableName=t, PartitionInput=part_input(["2030", ""]))
    assert [v[0] for v in q("region IS NULL")] == ["2030"]
    assert q("year = 2030 and region is not null") == []
    assert q("year = 2021 AND region IS NOT NULL AND region <> 'ap'") == [("2021", "eu"), ("2021", "us")]
    glue.delete_partition(DatabaseName=db, TableName=t, PartitionValues=["2030", ""])
    with pytest.raises(glue.exceptions.InvalidInputException):
        q("NOT (year = 2010)")
    assert q("year >= 2021") == sorted([("2021", r) for r in ("eu", "us", "ap")])
    with pytest.raises(glue.exceptions.InvalidInputException):
        q("nosuchkey = 1")
    with pytest.raises(glue.exceptions.InvalidInputException):
        q("year = = 2")

    # pagination with MaxResults, then the paginator
    seen, token, pages = [], None, 0
    while True:
        kw = {"MaxResults": 7}
        if token:
            kw["NextToken"] = token
        r = glue.get_partitions(DatabaseName=db, TableName=t, **kw)
        assert len(r["Partitions"]) <= 7
        seen += values_of(r["Partitions"])
        pages += 1
        token = r.get("NextToken")
        if not token:
            break
    assert pages == 6 and sorted(seen) == sorted(want) and len(set(seen)) == len(seen)
    pag = [v for p in glue.get_paginator("get_partitions").paginate(
        DatabaseName=db, TableName=t, Expression="region = 'us'", PaginationConfig={"PageSize": 5})
        for v in values_of(p["Partitions"])]
    assert sorted(pag) == sorted(v for v in want if v[1] == "us")
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_partitions(DatabaseName=db, TableName=t, NextToken="forged.token")
    # a token is bound to its expression
    tok = glue.get_partitions(DatabaseName=db, TableName=t, MaxResults=1)["NextToken"]
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_partitions(DatabaseName=db, TableName=t, MaxResults=1, NextToken=tok, Expression="year = 2010")
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_partitions(DatabaseName=db, TableName=t, MaxResults=1001)

    # segments: disjoint, together everything
    segs = []
    for n in range(4):
        got = [v for p in glue.get_paginator("get_partitions").paginate(
            DatabaseName=db, TableName=t, Segment={"SegmentNumber": n, "TotalSegments": 4},
            PaginationConfig={"PageSize": 4}) for v in values_of(p["Partitions"])]
        segs.append(set(got))
    assert sum(len(s) for s in segs) == len(want)
    assert set().union(*segs) == set(want)
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_partitions(DatabaseName=db, TableName=t, Segment={"SegmentNumber": 4, "TotalSegments": 4})

    # ExcludeColumnSchema
    p = glue.get_partitions(DatabaseName=db, TableName=t, ExcludeColumnSchema=True, MaxResults=1)["Partitions"][0]
    assert "Columns" not in p["StorageDescriptor"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partitions(DatabaseName=db, TableName="nope")


def test_partitions_both_doors(glue, thrift, ptable):
    db, t = ptable
    h = thrift.get_table(db, t)
    parts = []
    for v in (["2001", "eu"], ["2002", "us"]):
        sd = harness.make_sd(location="s3://bucket/hive/" + "/".join(v))
        parts.append(T.Partition(values=v, dbName=db, tableName=t, createTime=0, lastAccessTime=0, sd=sd,
                                 parameters={"from": "hive"}, catName="hive"))
    thrift.add_partitions(parts)
    got = glue.get_partitions(DatabaseName=db, TableName=t, Expression="year < 2010")["Partitions"]
    assert sorted(values_of(got)) == [("2001", "eu"), ("2002", "us")]
    assert got[0]["Parameters"]["from"] == "hive"
    glue.create_partition(DatabaseName=db, TableName=t, PartitionInput=part_input(["2003", "ap"]))
    hp = thrift.get_partition(db, t, ["2003", "ap"])
    assert hp.sd.location == "s3://bucket/t/2003/ap" and hp.parameters["p"] == "1"
    assert [c.name for c in hp.sd.cols] == ["id", "name"]
    names = thrift.get_partition_names(db, t, -1)
    assert sorted(names) == ["year=2001/region=eu", "year=2002/region=us", "year=2003/region=ap"]
    assert h.partitionKeys[0].name == "year"
    # a Glue update keeps Hive-only fields; a Hive drop is seen by Glue
    glue.update_partition(DatabaseName=db, TableName=t, PartitionValueList=["2001", "eu"],
                          PartitionInput=part_input(["2001", "eu"], loc="s3://moved/2001"))
    assert thrift.get_partition(db, t, ["2001", "eu"]).sd.location == "s3://moved/2001"
    thrift.drop_partition(db, t, ["2002", "us"], False)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partition(DatabaseName=db, TableName=t, PartitionValues=["2002", "us"])


def long_stats(name, lo, hi, nulls=0, ndv=5):
    return {"ColumnName": name, "ColumnType": "bigint", "AnalyzedTime": datetime.datetime.now(),
            "StatisticsData": {"Type": "LONG", "LongColumnStatisticsData": {
                "MinimumValue": lo, "MaximumValue": hi, "NumberOfNulls": nulls, "NumberOfDistinctValues": ndv}}}


def test_column_statistics_table(glue, thrift, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("st", cols=(
        ("id", "bigint"), ("name", "string"), ("price", "decimal(10,2)"), ("day", "date"), ("ok", "boolean"),
        ("score", "double"), ("blob", "binary"))))
    stats = [
        long_stats("id", 1, 100),
        {"ColumnName": "name", "ColumnType": "string", "AnalyzedTime": datetime.datetime.now(),
         "StatisticsData": {"Type": "STRING", "StringColumnStatisticsData": {
             "MaximumLength": 12, "AverageLength": 4.5, "NumberOfNulls": 1, "NumberOfDistinctValues": 9}}},
        {"ColumnName": "price", "ColumnType": "decimal(10,2)", "AnalyzedTime": datetime.datetime.now(),
         "StatisticsData": {"Type": "DECIMAL", "DecimalColumnStatisticsData": {
             "MinimumValue": {"UnscaledValue": b"\x01\x00", "Scale": 2},
             "MaximumValue": {"UnscaledValue": b"\x7f\xff", "Scale": 2},
             "NumberOfNulls": 0, "NumberOfDistinctValues": 3}}},
        {"ColumnName": "day", "ColumnType": "date", "AnalyzedTime": datetime.datetime.now(),
         "StatisticsData": {"Type": "DATE", "DateColumnStatisticsData": {
             "MinimumValue": datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc),
             "MaximumValue": datetime.datetime(2021, 3, 4, tzinfo=datetime.timezone.utc),
             "NumberOfNulls": 2, "NumberOfDistinctValues": 30}}},
        {"ColumnName": "ok", "ColumnType": "boolean", "AnalyzedTime": datetime.datetime.now(),
         "StatisticsData": {"Type": "BOOLEAN", "BooleanColumnStatisticsData": {
             "NumberOfTrues": 3, "NumberOfFalses": 4, "NumberOfNulls": 1}}},
        {"ColumnName": "score", "ColumnType": "double", "AnalyzedTime": datetime.datetime.now(),
         "StatisticsData": {"Type": "DOUBLE", "DoubleColumnStatisticsData": {
             "MinimumValue": -1.5, "MaximumValue": 2.25, "NumberOfNulls": 0, "NumberOfDistinctValues": 8}}},
        {"ColumnName": "blob", "ColumnType": "binary", "AnalyzedTime": datetime.datetime.now(),
         "StatisticsData": {"Type": "BINARY", "BinaryColumnStatisticsData": {
             "MaximumLength": 64, "AverageLength": 10.0, "NumberOfNulls": 5}}},
    ]
    r = glue.update_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnStatisticsList=stats)
    assert r["Errors"] == []
    names = ["id", "name", "price", "day", "ok", "score", "blob"]
    r = glue.get_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnNames=names + ["missing"])
    got = {c["ColumnName"]: c for c in r["ColumnStatisticsList"]}
    assert sorted(got) == sorted(names)
    assert [e["ColumnName"] for e in r["Errors"]] == ["missing"]
    assert got["id"]["StatisticsData"] == stats[0]["StatisticsData"]
    assert got["name"]["StatisticsData"] == stats[1]["StatisticsData"]
    assert got["price"]["StatisticsData"] == stats[2]["StatisticsData"]
    assert got["day"]["StatisticsData"] == stats[3]["StatisticsData"]
    assert got["ok"]["StatisticsData"] == stats[4]["StatisticsData"]
    assert got["score"]["StatisticsData"] == stats[5]["StatisticsData"]
    assert got["blob"]["StatisticsData"] == stats[6]["StatisticsData"]
    assert got["id"]["ColumnType"] == "bigint"
    assert isinstance(got["id"]["AnalyzedTime"], datetime.datetime)
    # the Thrift door sees the same statistics
    req = T.TableStatsRequest(dbName=gdb, tblName="st", colNames=["id", "name"], engine="hive")
    hs = {o.colName: o for o in thrift.get_table_statistics_req(req).tableStats}
    assert hs["id"].statsData.longStats.highValue == 100 and hs["name"].statsData.stringStats.avgColLen == 4.5
    # a column the table lacks is a per-item error; the good one is written
    r = glue.update_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnStatisticsList=[
        long_stats("id", 5, 6), long_stats("ghost", 1, 2)])
    assert [e["ColumnStatistics"]["ColumnName"] for e in r["Errors"]] == ["ghost"]
    assert r["Errors"][0]["Error"]["ErrorCode"] == "InvalidInputException"
    r = glue.get_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnNames=["id"])
    assert r["ColumnStatisticsList"][0]["StatisticsData"]["LongColumnStatisticsData"]["MinimumValue"] == 5
    # bad input
    bad = long_stats("id", 1, 2)
    bad["StatisticsData"] = {"Type": "LONG"}
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.update_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnStatisticsList=[bad])
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_column_statistics_for_table(DatabaseName=gdb, TableName="nope",
                                                ColumnStatisticsList=[long_stats("id", 1, 2)])
    # delete
    glue.delete_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnName="id")
    r = glue.get_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnNames=["id", "name"])
    assert [c["ColumnName"] for c in r["ColumnStatisticsList"]] == ["name"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnName="id")


def test_column_statistics_partition(glue, ptable):
    db, t = ptable
    glue.create_partition(DatabaseName=db, TableName=t, PartitionInput=part_input(["2024", "eu"]))
    r = glue.update_column_statistics_for_partition(DatabaseName=db, TableName=t, PartitionValues=["2024", "eu"],
                                                    ColumnStatisticsList=[long_stats("id", 3, 30)])
    assert r["Errors"] == []
    r = glue.get_column_statistics_for_partition(DatabaseName=db, TableName=t, PartitionValues=["2024", "eu"],
                                                 ColumnNames=["id", "name"])
    assert [c["ColumnName"] for c in r["ColumnStatisticsList"]] == ["id"]
    assert r["ColumnStatisticsList"][0]["StatisticsData"]["LongColumnStatisticsData"]["MaximumValue"] == 30
    assert [e["ColumnName"] for e in r["Errors"]] == ["name"]
    # the table level is separate
    r = glue.get_column_statistics_for_table(DatabaseName=db, TableName=t, ColumnNames=["id"])
    assert r["ColumnStatisticsList"] == []
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_column_statistics_for_partition(DatabaseName=db, TableName=t, PartitionValues=["1999", "eu"],
                                                 ColumnNames=["id"])
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_column_statistics_for_partition(DatabaseName=db, TableName=t, PartitionValues=["1999", "eu"],
                                                    ColumnStatisticsList=[long_stats("id", 3, 30)])
    glue.delete_column_statistics_for_partition(DatabaseName=db, TableName=t, PartitionValues=["2024", "eu"],
                                                ColumnName="id")
    r = glue.get_column_statistics_for_partition(DatabaseName=db, TableName=t, PartitionValues=["2024", "eu"],
                                                 ColumnNames=["id"])
    assert r["ColumnStatisticsList"] == []
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_column_statistics_for_partition(DatabaseName=db, TableName=t, PartitionValues=["2024", "eu"],
                                                    ColumnName="id")
