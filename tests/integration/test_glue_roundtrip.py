# tests/integration/test_glue_roundtrip.py — issue 17, "Glue door: what goes in comes out":
# each reproduction seen with boto3 against the Glue door, as a test. Parameters come back
# exactly as given (no transient_lastDdlTime added by Glue writes; the Hive door still adds
# it), UpdateTable(SkipArchive) archives nothing, every HTTP response carries an
# x-amzn-RequestId that botocore reads, request members are served or refused (never
# ignored), and Glue resource tags on databases, tables and connections.
#
# Debian's botocore (the one these tests run with) predates some members (AttributesToGet,
# IncludeStatusDetails, OpenTableFormatInput, ViewUpdateAction, Force): those go through
# raw_call, a request signed by botocore's SigV4Auth as the SDKs sign it.

import json
import re
import sys
import time
import urllib.error
import urllib.request

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

import harness  # noqa: E402
from harness import T  # noqa: E402

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DDL = "transient_lastDdlTime"
ACCOUNT = "000000000000"


@pytest.fixture(scope="module")
def gs(pg, tmp_path_factory):
    """A server with the Glue door, its master key and admin credentials in a temp dir."""
    yield from harness.lf_server(pg, tmp_path_factory, "roundtrip", trust_ugi=False)


def client(srv, service):
    return boto3.client(service, endpoint_url=srv.endpoint, region_name="us-east-1",
                        aws_access_key_id=srv.key_id, aws_secret_access_key=srv.secret,
                        config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture
def glue(gs):
    return client(gs, "glue")


@pytest.fixture
def gdb(glue):
    name = harness.uniq("rt")
    glue.create_database(DatabaseInput={"Name": name})
    yield name
    try:
        glue.delete_database(Name=name)
    except botocore.exceptions.ClientError:
        pass


def raw_call(srv, target, body, path="/", service="glue", ctype="application/x-amz-json-1.1"):
    """A request signed by botocore's SigV4Auth; returns (status, headers, body)."""
    data = json.dumps(body)
    headers = {"Content-Type": ctype}
    if target:
        headers["X-Amz-Target"] = target
    req = AWSRequest(method="POST", url=srv.endpoint + path, data=data, headers=headers)
    SigV4Auth(Credentials(srv.key_id, srv.secret), service, "us-east-1").add_auth(req)
    r = urllib.request.Request(srv.endpoint + path, data=data.encode(), method="POST",
                               headers=dict(req.headers.items()))
    try:
        with urllib.request.urlopen(r, timeout=20) as resp:
            return resp.status, resp.headers, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, json.loads(e.read() or b"{}")


def glue_raw(srv, op, body):
    return raw_call(srv, "AWSGlue." + op, body)


def table_input(name, params=None, parts=()):
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": dict(params if params is not None else {"EXTERNAL": "TRUE", "classification": "parquet"}),
        "PartitionKeys": [{"Name": p, "Type": "string"} for p in parts],
        "StorageDescriptor": {
            "Columns": [{"Name": "id", "Type": "bigint"}],
            "Location": "s3://bucket/%s" % name,
            "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
        },
    }


def part_input(values, params):
    return {"Values": list(values), "Parameters": dict(params),
            "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}],
                                  "Location": "s3://bucket/p/" + "/".join(values)}}


# ---- parameters: exactly what was given ----

def test_glue_table_parameters_come_back_exactly(glue, gdb):
    params = {"EXTERNAL": "TRUE", "classification": "parquet"}
    glue.create_table(DatabaseName=gdb, TableInput=table_input("t", params))
    assert glue.get_table(DatabaseName=gdb, Name="t")["Table"]["Parameters"] == params
    changed = {"classification": "orc"}
    glue.update_table(DatabaseName=gdb, TableInput=table_input("t", changed))
    assert glue.get_table(DatabaseName=gdb, Name="t")["Table"]["Parameters"] == changed
    listed = glue.get_tables(DatabaseName=gdb)["TableList"]
    assert [t["Parameters"] for t in listed] == [changed]
    versions = glue.get_table_versions(DatabaseName=gdb, TableName="t")["TableVersions"]
    assert sorted(json.dumps(v["Table"]["Parameters"], sort_keys=True) for v in versions) == \
        sorted(json.dumps(p, sort_keys=True) for p in (params, changed))


def test_glue_table_without_parameters_gets_none_added(glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("empty", {}))
    assert glue.get_table(DatabaseName=gdb, Name="empty")["Table"].get("Parameters", {}) == {}


def test_glue_partition_parameters_come_back_exactly(glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("pt", parts=("d",)))
    glue.create_partition(DatabaseName=gdb, TableName="pt", PartitionInput=part_input(["1"], {"a": "1"}))
    glue.batch_create_partition(DatabaseName=gdb, TableName="pt",
                                PartitionInputList=[part_input(["2"], {"b": "2"}), part_input(["3"], {})])
    got = {tuple(p["Values"]): p.get("Parameters", {})
           for p in glue.get_partitions(DatabaseName=gdb, TableName="pt")["Partitions"]}
    assert got == {("1",): {"a": "1"}, ("2",): {"b": "2"}, ("3",): {}}
    glue.update_partition(DatabaseName=gdb, TableName="pt", PartitionValueList=["1"],
                          PartitionInput=part_input(["1"], {"a": "changed"}))
    p = glue.get_partition(DatabaseName=gdb, TableName="pt", PartitionValues=["1"])["Partition"]
    assert p["Parameters"] == {"a": "changed"}


def test_glue_column_statistics_leave_parameters_as_given(glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("st", {"k": "v"}, parts=("d",)))
    glue.create_partition(DatabaseName=gdb, TableName="st", PartitionInput=part_input(["1"], {"p": "1"}))
    stat = [{"ColumnName": "id", "ColumnType": "bigint", "AnalyzedTime": 1700000000,
             "StatisticsData": {"Type": "LONG", "LongColumnStatisticsData":
                                {"MinimumValue": 1, "MaximumValue": 9, "NumberOfNulls": 0, "NumberOfDistinctValues": 9}}}]
    r = glue.update_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnStatisticsList=stat)
    assert r.get("Errors", []) == []
    r = glue.update_column_statistics_for_partition(DatabaseName=gdb, TableName="st", PartitionValues=["1"],
                                                    ColumnStatisticsList=stat)
    assert r.get("Errors", []) == []
    assert glue.get_table(DatabaseName=gdb, Name="st")["Table"]["Parameters"] == {"k": "v"}
    assert glue.get_partition(DatabaseName=gdb, TableName="st", PartitionValues=["1"])["Partition"]["Parameters"] \
        == {"p": "1"}
    got = glue.get_column_statistics_for_table(DatabaseName=gdb, TableName="st", ColumnNames=["id"])
    assert [c["ColumnName"] for c in got["ColumnStatisticsList"]] == ["id"]


def test_hive_door_still_adds_ddl_time(gs, glue, gdb):
    thr = harness.connect(gs.port)
    try:
        sd = T.StorageDescriptor(cols=[T.FieldSchema("id", "bigint", None)], location="s3://bucket/h",
                                 serdeInfo=T.SerDeInfo(serializationLib="x", parameters={}), parameters={})
        thr.create_table(T.Table(tableName="h", dbName=gdb, sd=sd, partitionKeys=[T.FieldSchema("d", "string", None)],
                                 parameters={"k": "v"}, tableType="EXTERNAL_TABLE"))
        t = thr.get_table(gdb, "h")
        assert DDL in t.parameters and int(t.parameters[DDL]) > 0
        thr.add_partition(T.Partition(values=["1"], dbName=gdb, tableName="h", sd=sd, parameters={}))
        assert DDL in thr.get_partition(gdb, "h", ["1"]).parameters
        # Glue sees what the Hive door stored, ddl time included
        assert DDL in glue.get_table(DatabaseName=gdb, Name="h")["Table"]["Parameters"]
        # a Glue-written table read through Thrift shows what is stored: no synthesized ddl time
        glue.create_table(DatabaseName=gdb, TableInput=table_input("g", {"k": "v"}))
        assert thr.get_table(gdb, "g").parameters == {"k": "v"}
        # and a Hive alter of it is a Hive write: the ddl time appears
        t = thr.get_table(gdb, "g")
        thr.alter_table(gdb, "g", t)
        assert DDL in thr.get_table(gdb, "g").parameters
    finally:
        thr.close()


# ---- SkipArchive ----

def test_update_table_skip_archive_keeps_no_version(gs, glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("s", {"v": "1"}))
    v1 = glue.get_table(DatabaseName=gdb, Name="s")["Table"]["VersionId"]
    glue.update_table(DatabaseName=gdb, TableInput=table_input("s", {"v": "2"}), SkipArchive=True)
    t = glue.get_table(DatabaseName=gdb, Name="s")["Table"]
    assert int(t["VersionId"]) > int(v1) and t["Parameters"] == {"v": "2"}
    versions = glue.get_table_versions(DatabaseName=gdb, TableName="s")["TableVersions"]
    assert [v["VersionId"] for v in versions] == [t["VersionId"]]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table_version(DatabaseName=gdb, TableName="s", VersionId=v1)
    # without SkipArchive the replaced version is archived, as before
    glue.update_table(DatabaseName=gdb, TableInput=table_input("s", {"v": "3"}), SkipArchive=False)
    versions = glue.get_table_versions(DatabaseName=gdb, TableName="s")["TableVersions"]
    assert len(versions) == 2
    # Iceberg's commit: SkipArchive with the VersionId read, conflicting on a stale one
    cur = glue.get_table(DatabaseName=gdb, Name="s")["Table"]["VersionId"]
    glue.update_table(DatabaseName=gdb, TableInput=table_input("s", {"v": "4"}), SkipArchive=True, VersionId=cur)
    with pytest.raises(glue.exceptions.ConcurrentModificationException):
        glue.update_table(DatabaseName=gdb, TableInput=table_input("s", {"v": "5"}), SkipArchive=True, VersionId=cur)
    assert len(glue.get_table_versions(DatabaseName=gdb, TableName="s")["TableVersions"]) == 2
    st, _, body = glue_raw(gs, "UpdateTable",
                           {"DatabaseName": gdb, "TableInput": table_input("s"), "SkipArchive": "yes"})
    assert st == 400 and body["__type"] == "SerializationException"


# ---- x-amzn-RequestId ----

def test_request_id_on_glue_success_and_error(gs, glue, gdb):
    ok = glue.get_database(Name=gdb)["ResponseMetadata"]
    assert UUID_RE.match(ok["RequestId"]), ok
    assert ok["HTTPHeaders"]["x-amzn-requestid"] == ok["RequestId"]
    with pytest.raises(glue.exceptions.EntityNotFoundException) as ei:
        glue.get_database(Name="no_such_db_rt")
    rid = ei.value.response["ResponseMetadata"]["RequestId"]
    assert UUID_RE.match(rid) and rid != ok["RequestId"]
    # the per-call log line names the same id
    deadline = time.monotonic() + 5
    while rid not in gs.log_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    line = [ln for ln in gs.log_text().splitlines() if rid in ln][0]
    assert "GetDatabase" in line and "EntityNotFoundException" in line


def test_request_ids_are_one_counter_across_doors(gs, glue):
    ids = [glue.get_databases()["ResponseMetadata"]["RequestId"]]
    lf = client(gs, "lakeformation")
    ids.append(lf.get_data_lake_settings()["ResponseMetadata"]["RequestId"])
    st, h, _ = raw_call(gs, "Propolis.ListPrincipals", {})
    assert st == 200
    ids.append(h["x-amzn-RequestId"])
    ids.append(glue.get_databases()["ResponseMetadata"]["RequestId"])
    assert all(UUID_RE.match(i) for i in ids), ids
    # one process prefix, one counter: the numbers (last 12 hex digits) strictly increase
    assert len({i[:23] for i in ids}) == 1
    nums = [int(i[24:], 16) for i in ids]
    assert nums == sorted(nums) and len(set(nums)) == len(nums)


def test_request_id_on_lake_formation_error(gs):
    lf = client(gs, "lakeformation")
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        lf.describe_resource(ResourceArn="arn:aws:s3:::not-registered-rt")
    assert UUID_RE.match(ei.value.response["ResponseMetadata"]["RequestId"])


@pytest.mark.parametrize("method,path", [("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
                                         ("GET", "/nowhere"), ("GET", "/"), ("POST", "/")])
def test_request_id_on_every_http_response(gs, method, path):
    r = urllib.request.Request(gs.endpoint + path, data=b"{}" if method == "POST" else None, method=method)
    try:
        with urllib.request.urlopen(r, timeout=10) as resp:
            headers = resp.headers
    except urllib.error.HTTPError as e:
        headers = e.headers
    assert UUID_RE.match(headers.get("x-amzn-RequestId", "")), dict(headers)


def test_mhd_logger_warning_gone(gs):
    assert "MHD_OPTION_EXTERNAL_LOGGER is not the first option" not in gs.log_text()


# ---- members served or refused, never ignored ----

def test_get_databases_resource_share_type(gs, glue, gdb):
    names = lambda **kw: [d["Name"] for d in glue.get_databases(**kw)["DatabaseList"]]  # noqa: E731
    assert gdb in names() and gdb in names(ResourceShareType="ALL")
    assert names(ResourceShareType="FOREIGN") == []
    st, _, body = glue_raw(gs, "GetDatabases", {"ResourceShareType": "FEDERATED"})
    assert st == 200 and body["DatabaseList"] == []
    st, _, body = glue_raw(gs, "GetDatabases", {"ResourceShareType": "MINE"})
    assert st == 400 and body["__type"] == "InvalidInputException"


def test_get_databases_attributes_to_get(gs, gdb):
    st, _, body = glue_raw(gs, "GetDatabases", {"AttributesToGet": ["NAME"]})
    assert st == 200
    mine = [d for d in body["DatabaseList"] if d["Name"] == gdb]
    assert mine == [{"Name": gdb}]
    st, _, body = glue_raw(gs, "GetDatabases", {"AttributesToGet": ["NAME", "TARGET_DATABASE"]})
    assert st == 200 and all(set(d) <= {"Name", "TargetDatabase"} for d in body["DatabaseList"])
    for bad in (["TARGET_DATABASE"], [], ["NAME", "DESCRIPTION"]):
        st, _, body = glue_raw(gs, "GetDatabases", {"AttributesToGet": bad})
        assert st == 400 and body["__type"] == "InvalidInputException", bad


def test_get_tables_attributes_and_status_details(gs, glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("a"))
    st, _, body = glue_raw(gs, "GetTables", {"DatabaseName": gdb, "AttributesToGet": ["NAME", "TABLE_TYPE"]})
    assert st == 200 and body["TableList"] == [{"Name": "a", "TableType": "EXTERNAL_TABLE"}]
    st, _, body = glue_raw(gs, "GetTables", {"DatabaseName": gdb, "IncludeStatusDetails": True})
    assert st == 200 and [t["Name"] for t in body["TableList"]] == ["a"]
    st, _, body = glue_raw(gs, "GetTable", {"DatabaseName": gdb, "Name": "a", "IncludeStatusDetails": True})
    assert st == 200 and body["Table"]["Name"] == "a" and "Status" not in body["Table"]
    st, _, body = glue_raw(gs, "GetTable", {"DatabaseName": gdb, "Name": "a", "IncludeStatusDetails": "yes"})
    assert st == 400 and body["__type"] == "SerializationException"


def test_create_table_open_table_format_refused(gs, glue, gdb):
    body = {"DatabaseName": gdb, "TableInput": table_input("ice"),
            "OpenTableFormatInput": {"IcebergInput": {"MetadataOperation": "CREATE", "Version": "2"}}}
    st, _, out = glue_raw(gs, "CreateTable", body)
    assert st == 400 and out["__type"] == "InvalidInputException"
    assert "OpenTableFormatInput" in out["message"] and "metadata" in out["message"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table(DatabaseName=gdb, Name="ice")
    # what Iceberg's GlueCatalog sends (the pointer in Parameters) is stored as given
    params = {"table_type": "ICEBERG", "metadata_location": "s3://bucket/ice/metadata/00000-x.metadata.json"}
    glue.create_table(DatabaseName=gdb, TableInput=table_input("ice", params))
    assert glue.get_table(DatabaseName=gdb, Name="ice")["Table"]["Parameters"] == params


def test_update_table_view_members_refused(gs, glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("u", {"v": "1"}))
    for extra, word in (({"ViewUpdateAction": "REPLACE"}, "ViewUpdateAction"), ({"Force": True}, "Force"),
                        ({"UpdateOpenTableFormatInput": {"UpdateIcebergInput": {}}}, "UpdateOpenTableFormatInput")):
        body = {"DatabaseName": gdb, "TableInput": table_input("u", {"v": "2"}), **extra}
        st, _, out = glue_raw(gs, "UpdateTable", body)
        assert st == 400 and out["__type"] == "InvalidInputException" and word in out["message"], out
        assert glue.get_table(DatabaseName=gdb, Name="u")["Table"]["Parameters"] == {"v": "1"}
    st, _, out = glue_raw(gs, "UpdateTable", {"DatabaseName": gdb, "TableInput": table_input("u", {"v": "3"}),
                                              "Force": False})
    assert st == 200
    assert glue.get_table(DatabaseName=gdb, Name="u")["Table"]["Parameters"] == {"v": "3"}


# ---- resource tags ----

def arn(kind, *names):
    return "arn:aws:glue:us-east-1:%s:%s/%s" % (ACCOUNT, kind, "/".join(names))


def test_tags_on_database_table_connection(glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("tt"))
    glue.create_connection(ConnectionInput={"Name": gdb + "_c", "ConnectionType": "JDBC",
                                            "ConnectionProperties": {"JDBC_CONNECTION_URL": "jdbc:x://h/d"}})
    try:
        for res in (arn("database", gdb), arn("table", gdb, "tt"), arn("connection", gdb + "_c")):
            assert glue.get_tags(ResourceArn=res)["Tags"] == {}
            glue.tag_resource(ResourceArn=res, TagsToAdd={"team": "a", "env": "dev"})
            glue.tag_resource(ResourceArn=res, TagsToAdd={"env": "prod"})
            assert glue.get_tags(ResourceArn=res)["Tags"] == {"team": "a", "env": "prod"}
            glue.untag_resource(ResourceArn=res, TagsToRemove=["team", "absent"])
            assert glue.get_tags(ResourceArn=res)["Tags"] == {"env": "prod"}
        # tags are per object: the table's are not the database's
        glue.tag_resource(ResourceArn=arn("table", gdb, "tt"), TagsToAdd={"only": "table"})
        assert "only" not in glue.get_tags(ResourceArn=arn("database", gdb))["Tags"]
        # a table's tags survive its updates
        glue.update_table(DatabaseName=gdb, TableInput=table_input("tt", {"x": "y"}))
        assert glue.get_tags(ResourceArn=arn("table", gdb, "tt"))["Tags"] == {"env": "prod", "only": "table"}
    finally:
        glue.delete_connection(ConnectionName=gdb + "_c")


def test_create_calls_honour_tags(gs, glue):
    db = harness.uniq("rtt")
    glue.create_database(DatabaseInput={"Name": db}, Tags={"k": "db"})
    try:
        assert glue.get_tags(ResourceArn=arn("database", db))["Tags"] == {"k": "db"}
        glue.create_connection(ConnectionInput={"Name": db + "_c", "ConnectionType": "JDBC",
                                                "ConnectionProperties": {"JDBC_CONNECTION_URL": "jdbc:x://h/d"}},
                               Tags={"k": "conn"})
        assert glue.get_tags(ResourceArn=arn("connection", db + "_c"))["Tags"] == {"k": "conn"}
        glue.delete_connection(ConnectionName=db + "_c")
        st, _, out = glue_raw(gs, "CreateTable", {"DatabaseName": db, "TableInput": table_input("t"),
                                                          "Tags": {"k": "table"}})
        assert st == 200, out
        assert glue.get_tags(ResourceArn=arn("table", db, "t"))["Tags"] == {"k": "table"}
    finally:
        glue.delete_database(Name=db)


def test_tags_go_with_their_object(glue):
    db = harness.uniq("rtd")
    glue.create_database(DatabaseInput={"Name": db}, Tags={"k": "1"})
    glue.create_table(DatabaseName=db, TableInput=table_input("t"))
    glue.tag_resource(ResourceArn=arn("table", db, "t"), TagsToAdd={"k": "t"})
    glue.delete_table(DatabaseName=db, Name="t")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_tags(ResourceArn=arn("table", db, "t"))
    glue.create_table(DatabaseName=db, TableInput=table_input("t"))
    assert glue.get_tags(ResourceArn=arn("table", db, "t"))["Tags"] == {}
    glue.delete_database(Name=db)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_tags(ResourceArn=arn("database", db))
    glue.create_database(DatabaseInput={"Name": db})
    assert glue.get_tags(ResourceArn=arn("database", db))["Tags"] == {}
    glue.delete_database(Name=db)


def test_tag_errors_change_nothing(glue, gdb):
    res = arn("database", gdb)
    glue.tag_resource(ResourceArn=res, TagsToAdd={"a": "1"})
    bad = [
        dict(ResourceArn="arn:aws:glue:us-east-1:%s:job/x" % ACCOUNT, TagsToAdd={"a": "2"}),
        dict(ResourceArn="not-an-arn", TagsToAdd={"a": "2"}),
        dict(ResourceArn=res, TagsToAdd={"aws:reserved": "2"}),
        dict(ResourceArn=res, TagsToAdd={"k%d" % i: "v" for i in range(50)}),  # 51 with "a"
    ]
    for kw in bad:
        with pytest.raises(glue.exceptions.InvalidInputException):
            glue.tag_resource(**kw)
    assert glue.get_tags(ResourceArn=res)["Tags"] == {"a": "1"}
    for missing in (arn("database", "no_such_db_rt"), arn("table", gdb, "nope"), arn("connection", "nope_rt"),
                    "arn:aws:glue:us-east-1:123456789012:database/" + gdb):
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_tags(ResourceArn=missing)
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.tag_resource(ResourceArn=missing, TagsToAdd={"a": "1"})
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_database(DatabaseInput={"Name": gdb + "_x"}, Tags={"aws:x": "1"})
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name=gdb + "_x")
