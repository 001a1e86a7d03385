# tests/integration/test_glue_versions_search.py — the last Glue catalog operations of issue 5
# through real clients: DeleteTableVersion / BatchDeleteTableVersion, SearchTables and partition
# indexes (CreatePartitionIndex, GetPartitionIndexes, DeletePartitionIndex, CreateTable's
# PartitionIndexes). boto3 for each operation, its limits, typed errors and pagination (every
# page walked), the AWS CLI for one operation of each kind, the AWS SDK for JavaScript for
# SearchTables and a partition-index operation (tests/js/glue_search.test.js), and Lake
# Formation permissions: a non-admin principal finds only its own tables, column-trimmed.

import base64
import datetime
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402

import harness  # noqa: E402
from test_glue_boto3 import glue, glue_server, raw_call, table_input  # noqa: E402,F401
from test_permissions import IAM_ALLOWED, World, grant, perm_server  # noqa: E402,F401

JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "js")


def err_code(exc):
    return exc.value.response["Error"]["Code"]


@pytest.fixture
def unchecked(glue_server):
    """A boto3 client that sends what it is given (no client-side validation), so the server's is tested."""
    return boto3.client("glue", endpoint_url=glue_server.endpoint, region_name="us-east-1",
                        aws_access_key_id=glue_server.key_id, aws_secret_access_key=glue_server.secret,
                        config=botocore.config.Config(retries={"max_attempts": 1}, parameter_validation=False))


@pytest.fixture
def vdb(glue):
    name = harness.uniq("ver")
    glue.create_database(DatabaseInput={"Name": name})
    return name


def versions_of(glue, db, table):
    return [v["VersionId"] for v in glue.get_table_versions(DatabaseName=db, TableName=table)["TableVersions"]]


def make_versions(glue, db, table, n):
    """A table with versions 1..n (n-1 updates); returns the current VersionId."""
    glue.create_table(DatabaseName=db, TableInput=table_input(table))
    for i in range(n - 1):
        glue.update_table(DatabaseName=db, TableInput=dict(table_input(table), Description="v%d" % (i + 2)))
    return glue.get_table(DatabaseName=db, Name=table)["Table"]["VersionId"]


# ---- DeleteTableVersion / BatchDeleteTableVersion ----

def test_delete_table_version(glue, vdb):
    cur = make_versions(glue, vdb, "t", 4)
    assert cur == "4" and versions_of(glue, vdb, "t") == ["4", "3", "2", "1"]
    glue.delete_table_version(DatabaseName=vdb, TableName="t", VersionId="2")
    assert versions_of(glue, vdb, "t") == ["4", "3", "1"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table_version(DatabaseName=vdb, TableName="t", VersionId="2")
    # the current version is refused (DeleteTable is the way) and stays
    with pytest.raises(glue.exceptions.InvalidInputException) as e:
        glue.delete_table_version(DatabaseName=vdb, TableName="t", VersionId="4")
    assert "current version" in str(e.value)
    # a missing version, a missing table, a missing database, a malformed id: typed errors, nothing changes
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_table_version(DatabaseName=vdb, TableName="t", VersionId="2")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_table_version(DatabaseName=vdb, TableName="nope", VersionId="1")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_table_version(DatabaseName=vdb + "_missing", TableName="t", VersionId="1")
    for bad in ("abc", "0", "-1", "1.5"):
        with pytest.raises(glue.exceptions.InvalidInputException):
            glue.delete_table_version(DatabaseName=vdb, TableName="t", VersionId=bad)
    assert versions_of(glue, vdb, "t") == ["4", "3", "1"]
    assert glue.get_table(DatabaseName=vdb, Name="t")["Table"]["Description"] == "v4"
    # an update after deletions still numbers on from the current version
    glue.update_table(DatabaseName=vdb, TableInput=table_input("t"))
    assert versions_of(glue, vdb, "t") == ["5", "4", "3", "1"]


def test_batch_delete_table_version(glue, unchecked, vdb, glue_server):
    make_versions(glue, vdb, "b", 6)
    out = glue.batch_delete_table_version(DatabaseName=vdb, TableName="b",
                                          VersionIds=["1", "3", "6", "99", "x", "3"])
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    errs = {(e["VersionId"], e["ErrorDetail"]["ErrorCode"]) for e in out["Errors"]}
    assert errs == {("6", "InvalidInputException"), ("99", "EntityNotFoundException"), ("x", "InvalidInputException")}
    assert all(e["TableName"] == "b" and e["ErrorDetail"]["ErrorMessage"] for e in out["Errors"])
    assert versions_of(glue, vdb, "b") == ["6", "5", "4", "2"]
    assert glue.batch_delete_table_version(DatabaseName=vdb, TableName="b", VersionIds=[])["Errors"] == []
    # the list limit (100) and a missing table fail the whole call and change nothing
    with pytest.raises(botocore.exceptions.ClientError) as e:
        unchecked.batch_delete_table_version(DatabaseName=vdb, TableName="b", VersionIds=[str(i) for i in range(101)])
    assert err_code(e) == "InvalidInputException"
    out = glue.batch_delete_table_version(DatabaseName=vdb, TableName="b", VersionIds=[str(i) for i in range(1, 101)])
    assert {e["VersionId"] for e in out["Errors"]} == {"6"} | {str(i) for i in (1, 3) + tuple(range(7, 101))}
    assert versions_of(glue, vdb, "b") == ["6"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.batch_delete_table_version(DatabaseName=vdb, TableName="missing", VersionIds=["1"])
    for ids in ([1, 2], ["x", 1], ["2", None]):
        code, body = raw_call(glue_server, "BatchDeleteTableVersion",
                              {"DatabaseName": vdb, "TableName": "b", "VersionIds": ids})
        assert code == 400 and body["__type"] == "SerializationException", ids
    out = glue.batch_delete_table_version(DatabaseName=vdb, TableName="b", VersionIds=["9" * 255, " 6", "+"])
    assert [e["ErrorDetail"]["ErrorCode"] for e in out["Errors"]] == ["InvalidInputException"] * 3
    assert versions_of(glue, vdb, "b") == ["6"]
    code, body = raw_call(glue_server, "BatchDeleteTableVersion", {"DatabaseName": vdb, "TableName": "b"})
    assert code == 400 and body["__type"] == "InvalidInputException"


# ---- SearchTables ----

@pytest.fixture(scope="module")
def corpus(glue_server):
    """Two databases of tables with words in names, descriptions, columns, comments and parameters."""
    g = boto3.client("glue", endpoint_url=glue_server.endpoint, region_name="us-east-1",
                     aws_access_key_id=glue_server.key_id, aws_secret_access_key=glue_server.secret)
    tag = harness.uniq("s")
    dbs = {"a": tag + "_shop", "b": tag + "_hr"}
    g.create_database(DatabaseInput={"Name": dbs["a"], "Description": "storefront zebradb"})
    g.create_database(DatabaseInput={"Name": dbs["b"]})

    def mk(db, name, desc=None, cols=(("id", "bigint", None),), params=None, owner="alice"):
        ti = table_input(name, params=params or {"classification": "parquet"})
        ti["Owner"] = owner
        ti["StorageDescriptor"]["Columns"] = [dict({"Name": c, "Type": t}, **({"Comment": m} if m else {}))
                                             for c, t, m in cols]
        if desc:
            ti["Description"] = desc
        g.create_table(DatabaseName=db, TableInput=ti)

    mk(dbs["a"], "customer_link", desc="Links customers to accounts")
    mk(dbs["a"], "xx_link_yy", cols=(("id", "bigint", None), ("walrus_col", "string", "tusk length")))
    mk(dbs["a"], "xxlinkyy", params={"classification": "csv", "team": "Penguins"})
    mk(dbs["b"], "payroll", desc="Monthly \"quoted\" pay", owner="bob")
    for i in range(25):
        mk(dbs["b"], "bulk_%02d" % i, params={"classification": "json", "batch": "yes"})
    return dbs


def search_all(glue, **kw):
    """Every page of a search: (tables as (db, name), number of pages)."""
    got, pages, token = [], 0, None
    while True:
        args = dict(kw, **({"NextToken": token} if token else {}))
        out = glue.search_tables(**args)
        pages += 1
        got += [(t["DatabaseName"], t["Name"]) for t in out["TableList"]]
        token = out.get("NextToken")
        if not token:
            return got, pages
        assert pages < 100


def names(tables):
    return {n for _, n in tables}


def test_search_text(glue, corpus):
    a, b = corpus["a"], corpus["b"]
    # a word anywhere: table name, description, column name/comment, parameter, database description
    assert names(search_all(glue, SearchText="customer_link")[0]) == {"customer_link"}
    assert names(search_all(glue, SearchText="ACCOUNTS")[0]) == {"customer_link"}
    assert names(search_all(glue, SearchText="walrus")[0]) == {"xx_link_yy"}
    assert names(search_all(glue, SearchText="tusk")[0]) == {"xx_link_yy"}
    assert names(search_all(glue, SearchText="penguins")[0]) == {"xxlinkyy"}
    assert names(search_all(glue, SearchText="zebradb")[0]) == {"customer_link", "xx_link_yy", "xxlinkyy"}
    # every word must match (in any field); a quoted text must equal a field
    assert names(search_all(glue, SearchText="walrus %s" % a)[0]) == {"xx_link_yy"}
    assert search_all(glue, SearchText="walrus %s" % b)[0] == []
    assert names(search_all(glue, SearchText='"Penguins"')[0]) == {"xxlinkyy"}
    assert search_all(glue, SearchText='"Penguin"')[0] == []
    # LIKE wildcards in the text are literal
    assert search_all(glue, SearchText="bulk_%")[0] == []
    assert len(search_all(glue, SearchText="bulk_0")[0]) == 10
    # nothing given: every table (here: the module's own and nothing else)
    allt, _ = search_all(glue)
    assert {(a, "customer_link"), (b, "payroll")} <= set(allt) and len(allt) == len(set(allt))


def test_search_filters(glue, corpus):
    a, b = corpus["a"], corpus["b"]
    f = lambda *preds: search_all(glue, Filters=[dict(zip(("Key", "Value", "Comparator"), p)) for p in preds])[0]  # noqa
    # Name is matched token by token (split on punctuation), as Glue documents
    assert names(f(("Name", "link"))) == {"customer_link", "xx_link_yy"}
    assert names(f(("DatabaseName", b), ("Name", "payroll"))) == {"payroll"}
    assert len(f(("DatabaseName", a))) == 3
    assert names(f(("Owner", "bob"))) == {"payroll"}
    assert names(f(("classification", "csv"))) == {"xxlinkyy"}
    assert names(f(("Parameters.team", "penguins"))) == {"xxlinkyy"}
    assert len(f(("batch", "yes"), ("DatabaseName", b))) == 25
    # times: seconds or ISO-8601, with comparators
    now = int(time.time())
    assert len(f(("CreateTime", str(now - 3600), "GREATER_THAN"), ("DatabaseName", a))) == 3
    assert f(("CreateTime", str(now - 3600), "LESS_THAN"), ("DatabaseName", a)) == []
    iso = datetime.datetime.fromtimestamp(now - 3600, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(f(("CreateTime", iso, "GREATER_THAN_EQUALS"), ("DatabaseName", a))) == 3
    assert f(("CreateTime", "2000-01-01", "LESS_THAN_EQUALS")) == []
    # text and filters together
    assert names(search_all(glue, SearchText="walrus", Filters=[{"Key": "Name", "Value": "link"}])[0]) == \
        {"xx_link_yy"}


def test_search_sort_and_pages(glue, corpus):
    b = corpus["b"]
    flt = [{"Key": "DatabaseName", "Value": b}]
    want = sorted(["payroll"] + ["bulk_%02d" % i for i in range(25)])
    for size in (1, 7, 26, 1000):
        got, pages = search_all(glue, Filters=flt, MaxResults=size,
                                SortCriteria=[{"FieldName": "Name", "Sort": "ASC"}])
        assert [n for _, n in got] == want
        assert pages == -(-26 // size)  # no empty last page: a page knows whether one more row exists
    got, _ = search_all(glue, Filters=flt, MaxResults=4, SortCriteria=[{"FieldName": "Name", "Sort": "DESC"}])
    assert [n for _, n in got] == want[::-1]
    got, _ = search_all(glue, Filters=flt, MaxResults=5, SortCriteria=[{"FieldName": "CreateTime", "Sort": "DESC"}])
    assert len(got) == 26 and len(set(got)) == 26
    # default order: database, then table name
    got, _ = search_all(glue, MaxResults=3)
    assert got == sorted(got)
    # a table created between pages after the position appears, none is repeated
    out = glue.search_tables(Filters=flt, MaxResults=10, SortCriteria=[{"FieldName": "Name"}])
    glue.create_table(DatabaseName=b, TableInput=table_input("zz_late"))
    try:
        rest, _ = search_all(glue, Filters=flt, MaxResults=10, SortCriteria=[{"FieldName": "Name"}],
                             NextToken=out["NextToken"])
        seen = [t["Name"] for t in out["TableList"]] + [n for _, n in rest]
        assert seen == want + ["zz_late"]
    finally:
        glue.delete_table(DatabaseName=b, Name="zz_late")


def test_search_tokens_limits_bad_input(glue, unchecked, corpus, glue_server):
    b = corpus["b"]
    flt = [{"Key": "DatabaseName", "Value": b}]
    out = glue.search_tables(Filters=flt, MaxResults=2)
    token = out["NextToken"]
    # a token is bound to its query, and cannot be forged
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.search_tables(Filters=flt, MaxResults=2, SearchText="other", NextToken=token)
    body, mac = token.rsplit(".", 1)
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["a"] = json.dumps(["", "", ""])
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=") + "." + mac
    for bad in (forged, "garbage", token[:-2] + "xx"):
        with pytest.raises(glue.exceptions.InvalidInputException):
            glue.search_tables(Filters=flt, MaxResults=2, NextToken=bad)
    with pytest.raises(glue.exceptions.InvalidInputException):  # another operation's token
        glue.get_table_versions(DatabaseName=b, TableName="payroll", NextToken=token)
    # MaxResults 1..1000, at most one sort criterion, known sort fields, keys and comparators
    cases = [dict(MaxResults=0), dict(MaxResults=1001),
             dict(SortCriteria=[{"FieldName": "Name"}, {"FieldName": "Owner"}]),
             dict(SortCriteria=[{"FieldName": "Columns"}]), dict(SortCriteria=[{"FieldName": "Name", "Sort": "UP"}]),
             dict(Filters=[{"Key": "Name", "Value": "x", "Comparator": "GREATER_THAN"}]),
             dict(Filters=[{"Key": "Name", "Value": "x", "Comparator": "LIKE"}]),
             dict(Filters=[{"Key": "CreateTime", "Value": "yesterday", "Comparator": "LESS_THAN"}]),
             dict(Filters=[{"Value": "x"}]), dict(Filters=[{"Key": "Name"}]),
             dict(Filters=[{"Key": "k%d" % i, "Value": "v"} for i in range(33)]),
             dict(SearchText="x" * 1025), dict(SearchText=" ".join("w%d" % i for i in range(33))),
             dict(ResourceShareType="MINE")]
    for kw in cases:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            unchecked.search_tables(**kw)
        assert err_code(e) == "InvalidInputException", kw
    assert len(glue.search_tables(Filters=[{"Key": "k%d" % i, "Value": "v"} for i in range(32)])["TableList"]) == 0
    assert len(glue.search_tables(SearchText=" ".join(["bulk"] * 32), MaxResults=1000)["TableList"]) == 25
    for kw, typ in ((dict(Filters="x"), "SerializationException"), (dict(Filters=["x"]), "SerializationException"),
                    (dict(MaxResults="5"), "SerializationException"), (dict(SearchText=5), "SerializationException"),
                    (dict(CatalogId="111111111111"), "EntityNotFoundException")):
        code, body = raw_call(glue_server, "SearchTables", kw)
        assert code == 400 and body["__type"] == typ, (kw, body)
    # tables shared from other accounts do not exist here
    assert glue.search_tables(ResourceShareType="FOREIGN")["TableList"] == []
    assert len(glue.search_tables(ResourceShareType="ALL", Filters=flt)["TableList"]) == 26


# ---- partition indexes ----

def descriptors(glue, db, table):
    return glue.get_partition_indexes(DatabaseName=db, TableName=table)["PartitionIndexDescriptorList"]


def test_partition_indexes(glue, unchecked, vdb, glue_server):
    glue.create_table(DatabaseName=vdb, TableInput=table_input(
        "events", parts=[("year", "int"), ("month", "int"), ("region", "string"), ("kind", "string")]))
    assert descriptors(glue, vdb, "events") == []
    glue.create_partition_index(DatabaseName=vdb, TableName="events",
                                PartitionIndex={"IndexName": "by_ym", "Keys": ["year", "MONTH"]})
    assert descriptors(glue, vdb, "events") == [
        {"IndexName": "by_ym", "Keys": [{"Name": "year", "Type": "int"}, {"Name": "month", "Type": "int"}],
         "IndexStatus": "ACTIVE"}]
    glue.create_partition_index(DatabaseName=vdb, TableName="events",
                                PartitionIndex={"IndexName": "by_region", "Keys": ["region"]})
    # typed refusals, each changing nothing
    bad = [({"IndexName": "by_ym", "Keys": ["region"]}, "AlreadyExistsException"),
           ({"IndexName": "x", "Keys": ["id"]}, "InvalidInputException"),            # a column, not a partition key
           ({"IndexName": "x", "Keys": ["nope"]}, "InvalidInputException"),
           ({"IndexName": "x", "Keys": ["year", "year"]}, "InvalidInputException"),
           ({"IndexName": "x", "Keys": []}, "InvalidInputException"),
           ({"IndexName": "", "Keys": ["year"]}, "InvalidInputException"),
           ({"Keys": ["year"]}, "InvalidInputException")]
    for idx, code in bad:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            unchecked.create_partition_index(DatabaseName=vdb, TableName="events", PartitionIndex=idx)
        assert err_code(e) == code, idx
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.create_partition_index(DatabaseName=vdb, TableName="missing",
                                    PartitionIndex={"IndexName": "i", "Keys": ["year"]})
    code, body = raw_call(glue_server, "CreatePartitionIndex", {"DatabaseName": vdb, "TableName": "events",
                                                                "PartitionIndex": {"IndexName": "i", "Keys": [1]}})
    assert code == 400 and body["__type"] == "SerializationException"
    # three per table
    glue.create_partition_index(DatabaseName=vdb, TableName="events",
                                PartitionIndex={"IndexName": "by_kind", "Keys": ["kind", "year"]})
    with pytest.raises(glue.exceptions.ResourceNumberLimitExceededException):
        glue.create_partition_index(DatabaseName=vdb, TableName="events",
                                    PartitionIndex={"IndexName": "fourth", "Keys": ["month"]})
    assert [d["IndexName"] for d in descriptors(glue, vdb, "events")] == ["by_ym", "by_region", "by_kind"]
    # indexes outlive table updates; partitions still read the same
    glue.update_table(DatabaseName=vdb, TableInput=dict(table_input(
        "events", parts=[("year", "int"), ("month", "int"), ("region", "string"), ("kind", "string")]),
        Description="updated"))
    glue.create_partition(DatabaseName=vdb, TableName="events",
                          PartitionInput={"Values": ["2024", "5", "eu", "a"],
                                          "StorageDescriptor": {"Location": "s3://bucket/events/p"}})
    parts = glue.get_partitions(DatabaseName=vdb, TableName="events", Expression="year = 2024 AND month = 5")
    assert [p["Values"] for p in parts["Partitions"]] == [["2024", "5", "eu", "a"]]
    assert len(descriptors(glue, vdb, "events")) == 3
    # delete, and its typed errors
    glue.delete_partition_index(DatabaseName=vdb, TableName="events", IndexName="by_region")
    assert [d["IndexName"] for d in descriptors(glue, vdb, "events")] == ["by_ym", "by_kind"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_partition_index(DatabaseName=vdb, TableName="events", IndexName="by_region")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_partition_index(DatabaseName=vdb, TableName="missing", IndexName="by_ym")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partition_indexes(DatabaseName=vdb, TableName="missing")
    # GetPartitionIndexes answers in one page and takes no foreign token
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_partition_indexes(DatabaseName=vdb, TableName="events", NextToken="abc.def")
    pages = list(glue.get_paginator("get_partition_indexes").paginate(DatabaseName=vdb, TableName="events"))
    assert len(pages) == 1 and len(pages[0]["PartitionIndexDescriptorList"]) == 2
    # dropping the table drops its indexes
    glue.delete_table(DatabaseName=vdb, Name="events")
    glue.create_table(DatabaseName=vdb, TableInput=table_input("events", parts=[("year", "int")]))
    assert descriptors(glue, vdb, "events") == []


def test_create_table_with_partition_indexes(glue, unchecked, vdb):
    parts = [("dt", "date"), ("region", "string")]
    glue.create_table(DatabaseName=vdb, TableInput=table_input("withidx", parts=parts),
                      PartitionIndexes=[{"IndexName": "i1", "Keys": ["dt"]},
                                        {"IndexName": "i2", "Keys": ["region", "dt"]}])
    assert descriptors(glue, vdb, "withidx") == [
        {"IndexName": "i1", "Keys": [{"Name": "dt", "Type": "date"}], "IndexStatus": "ACTIVE"},
        {"IndexName": "i2", "Keys": [{"Name": "region", "Type": "string"}, {"Name": "dt", "Type": "date"}],
         "IndexStatus": "ACTIVE"}]
    # a bad index list refuses the whole CreateTable: the table is not created
    bad = [([{"IndexName": "i", "Keys": ["nope"]}], "InvalidInputException"),
           ([{"IndexName": "i", "Keys": ["dt"]}, {"IndexName": "i", "Keys": ["region"]}], "AlreadyExistsException"),
           ([{"IndexName": "i%d" % n, "Keys": ["dt"]} for n in range(4)], "InvalidInputException"),
           ([{"IndexName": "i", "Keys": []}], "InvalidInputException")]
    for idx, code in bad:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            unchecked.create_table(DatabaseName=vdb, TableInput=table_input("refused", parts=parts),
                                   PartitionIndexes=idx)
        assert err_code(e) == code, idx
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_table(DatabaseName=vdb, Name="refused")


# ---- the AWS CLI: one operation of each kind ----

def test_aws_cli(glue_server, glue, vdb, corpus, tmp_path):
    aws = "/usr/bin/aws"
    if not os.path.exists(aws):
        pytest.skip("awscli not installed")
    env = dict(os.environ, AWS_ACCESS_KEY_ID=glue_server.key_id, AWS_SECRET_ACCESS_KEY=glue_server.secret,
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=str(tmp_path / "none"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), PATH="/usr/bin:/bin")

    def cli(*args):
        out = subprocess.run([aws, "glue", *args, "--endpoint-url", glue_server.endpoint, "--output", "json"],
                             capture_output=True, text=True, env=env, timeout=120)
        return out.returncode, json.loads(out.stdout) if out.stdout.strip() else None, out.stderr

    make_versions(glue, vdb, "clit", 3)
    rc, _, err = cli("delete-table-version", "--database-name", vdb, "--table-name", "clit", "--version-id", "1")
    assert rc == 0, err
    assert versions_of(glue, vdb, "clit") == ["3", "2"]
    rc, _, err = cli("delete-table-version", "--database-name", vdb, "--table-name", "clit", "--version-id", "3")
    assert rc != 0 and "InvalidInputException" in err
    rc, out, err = cli("search-tables", "--filters", "Key=DatabaseName,Value=%s" % corpus["b"],
                       "--max-results", "1000")
    assert rc == 0, err
    assert len(out["TableList"]) == 26
    glue.create_table(DatabaseName=vdb, TableInput=table_input("clip", parts=[("dt", "string")]))
    rc, _, err = cli("create-partition-index", "--database-name", vdb, "--table-name", "clip",
                     "--partition-index", json.dumps({"Keys": ["dt"], "IndexName": "by_dt"}))
    assert rc == 0, err
    rc, out, err = cli("get-partition-indexes", "--database-name", vdb, "--table-name", "clip")
    assert rc == 0, err
    assert out["PartitionIndexDescriptorList"] == [{"IndexName": "by_dt", "Keys": [{"Name": "dt", "Type": "string"}],
                                                    "IndexStatus": "ACTIVE"}]


# ---- the AWS SDK for JavaScript ----

def test_aws_sdk_for_javascript(glue_server):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the AWS SDK for JavaScript tests need Node.js 18 or newer")
    if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "@aws-sdk", "client-glue")):
        pytest.skip("@aws-sdk/client-glue is not installed: run `npm ci` in tests/js (tests/run-all.sh does)")
    env = dict(os.environ, PROPOLIS_GLUE_ENDPOINT=glue_server.endpoint, AWS_ACCESS_KEY_ID=glue_server.key_id,
               AWS_SECRET_ACCESS_KEY=glue_server.secret, AWS_REGION="us-east-1",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    out = subprocess.run([node, "--test", "--test-concurrency=1", "glue_search.test.js"], cwd=JS_DIR, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-3000:]
    assert "# fail 0" in out.stdout


# ---- Lake Formation: who finds and changes what ----

COLS = [{"Name": "id", "Type": "bigint"}, {"Name": "amount", "Type": "double", "Comment": "money"},
        {"Name": "ssn", "Type": "string", "Comment": "secret number"}]


@pytest.fixture(scope="module")
def lfworld(perm_server):
    w = World(perm_server)
    lf, glue = w.client("lakeformation", "admin"), w.client("glue", "admin")
    settings = lf.get_data_lake_settings()["DataLakeSettings"]
    settings["CreateDatabaseDefaultPermissions"] = []
    settings["CreateTableDefaultPermissions"] = []
    lf.put_data_lake_settings(DataLakeSettings=settings)
    lf.revoke_permissions(Principal=IAM_ALLOWED, Resource={"Catalog": {}}, Permissions=["CREATE_DATABASE"])
    lf.revoke_permissions(Principal=IAM_ALLOWED, Resource={"Database": {"Name": "default"}}, Permissions=["ALL"])
    for name in ("sam", "cole", "nobody"):
        w.create_principal(name)
    for db in ("srch_a", "srch_b"):
        glue.create_database(DatabaseInput={"Name": db})
        for t in ("orders", "people", "ledger"):
            ti = table_input(t, parts=[("dt", "string")])
            ti["StorageDescriptor"]["Columns"] = COLS
            glue.create_table(DatabaseName=db, TableInput=ti)
    # sam: srch_a.orders whole (with ALTER), every table of srch_b described; cole: two columns of srch_a.people
    grant(lf, w.arns["sam"], {"Table": {"DatabaseName": "srch_a", "Name": "orders"}}, ["SELECT", "ALTER"])
    grant(lf, w.arns["sam"], {"Table": {"DatabaseName": "srch_b", "TableWildcard": {}}}, ["DESCRIBE"])
    grant(lf, w.arns["cole"], {"TableWithColumns": {"DatabaseName": "srch_a", "Name": "people",
                                                    "ColumnNames": ["id", "amount"]}}, ["SELECT"])
    ti = table_input("orders", parts=[("dt", "string")])
    ti["StorageDescriptor"]["Columns"] = COLS
    for _ in range(2):  # versions 2 and 3 of srch_a.orders
        glue.update_table(DatabaseName="srch_a", TableInput=ti)
    return w


def found(glue, **kw):
    return {(t["DatabaseName"], t["Name"]): t for t in
            (t for page in _pages(glue, **kw) for t in page["TableList"])}


def _pages(glue, **kw):
    token = None
    while True:
        out = glue.search_tables(**dict(kw, **({"NextToken": token} if token else {})))
        yield out
        token = out.get("NextToken")
        if not token:
            return


def test_search_tables_permissions(lfworld):
    every = {(d, t) for d in ("srch_a", "srch_b") for t in ("orders", "people", "ledger")}
    admin = lfworld.client("glue", "admin")
    assert set(found(admin)) >= every
    sam, cole, nobody = (lfworld.client("glue", w) for w in ("sam", "cole", "nobody"))
    want_sam = {("srch_a", "orders"), ("srch_b", "orders"), ("srch_b", "people"), ("srch_b", "ledger")}
    for size in (1, 2, 1000):
        assert set(found(sam, MaxResults=size)) == want_sam
    assert set(found(sam, SearchText="orders")) == {("srch_a", "orders"), ("srch_b", "orders")}
    assert found(nobody) == {} and found(nobody, SearchText="orders") == {}
    # column-restricted: only the columns granted, and hidden columns are not searched
    got = found(cole)
    assert set(got) == {("srch_a", "people")}
    assert [c["Name"] for c in got[("srch_a", "people")]["StorageDescriptor"]["Columns"]] == ["id", "amount"]
    assert set(found(cole, SearchText="money")) == {("srch_a", "people")}
    assert found(cole, SearchText="ssn") == {} and found(cole, SearchText='"secret number"') == {}
    assert set(found(admin, SearchText="ssn")) >= every
    assert set(found(sam, SearchText="ssn")) == want_sam


def test_versions_and_indexes_permissions(lfworld):
    sam, cole, nobody = (lfworld.client("glue", w) for w in ("sam", "cole", "nobody"))
    admin = lfworld.client("glue", "admin")
    denied = botocore.exceptions.ClientError
    # DeleteTableVersion / BatchDeleteTableVersion need ALTER on the table
    for who in (cole, nobody):
        with pytest.raises(denied) as e:
            who.delete_table_version(DatabaseName="srch_a", TableName="orders", VersionId="1")
        assert err_code(e) == "AccessDeniedException"
        with pytest.raises(denied) as e:
            who.batch_delete_table_version(DatabaseName="srch_a", TableName="orders", VersionIds=["1"])
        assert err_code(e) == "AccessDeniedException"
    with pytest.raises(denied) as e:
        sam.delete_table_version(DatabaseName="srch_b", TableName="orders", VersionId="1")
    assert err_code(e) == "AccessDeniedException"
    assert versions_of(admin, "srch_a", "orders") == ["3", "2", "1"]
    sam.delete_table_version(DatabaseName="srch_a", TableName="orders", VersionId="1")
    assert versions_of(admin, "srch_a", "orders") == ["3", "2"]
    # partition indexes: DESCRIBE to list, ALTER to create or delete
    sam.create_partition_index(DatabaseName="srch_a", TableName="orders",
                               PartitionIndex={"IndexName": "by_dt", "Keys": ["dt"]})
    assert [d["IndexName"] for d in sam.get_partition_indexes(DatabaseName="srch_b", TableName="orders")[
        "PartitionIndexDescriptorList"]] == []
    assert [d["IndexName"] for d in cole.get_partition_indexes(DatabaseName="srch_a", TableName="people")[
        "PartitionIndexDescriptorList"]] == []
    for call in (lambda: nobody.get_partition_indexes(DatabaseName="srch_a", TableName="orders"),
                 lambda: cole.create_partition_index(DatabaseName="srch_a", TableName="people",
                                                     PartitionIndex={"IndexName": "x", "Keys": ["dt"]}),
                 lambda: sam.create_partition_index(DatabaseName="srch_b", TableName="orders",
                                                    PartitionIndex={"IndexName": "x", "Keys": ["dt"]}),
                 lambda: cole.delete_partition_index(DatabaseName="srch_a", TableName="orders", IndexName="by_dt")):
        with pytest.raises(denied) as e:
            call()
        assert err_code(e) == "AccessDeniedException"
    assert [d["IndexName"] for d in admin.get_partition_indexes(DatabaseName="srch_a", TableName="orders")[
        "PartitionIndexDescriptorList"]] == ["by_dt"]
    sam.delete_partition_index(DatabaseName="srch_a", TableName="orders", IndexName="by_dt")
    assert admin.get_partition_indexes(DatabaseName="srch_a", TableName="orders")["PartitionIndexDescriptorList"] == []
