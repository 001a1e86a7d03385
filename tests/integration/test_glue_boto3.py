# tests/integration/test_glue_boto3.py — the Glue door through real AWS clients: boto3 and
# the AWS CLI from Debian, signed with the bootstrap administrator's keys read from the
# credentials file the server wrote on first start. Covers each implemented operation, typed
# errors, pagination, refused signatures (which change nothing) and one catalog behind both
# doors (Thrift and Glue).

import json
import os
import subprocess
import sys
import time
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




@pytest.fixture(scope="module")
def glue_server(pg, tmp_path_factory):
    """A server with the Glue door on a free port, its master key and admin credentials in a temp dir."""
    yield from harness.lf_server(pg, tmp_path_factory, "glue", trust_ugi=False)


@pytest.fixture
def glue(glue_server):
    return boto3.client("glue", endpoint_url=glue_server.endpoint, region_name="us-east-1",
                        aws_access_key_id=glue_server.key_id,
                        aws_secret_access_key=glue_server.secret,
                        config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture
def thrift(glue_server):
    c = harness.connect(glue_server.port)
    yield c
    c.close()


def table_input(name, cols=(("id", "bigint"), ("name", "string")), params=None, parts=()):
    return {
        "Name": name,
        "Owner": "alice",
        "TableType": "EXTERNAL_TABLE",
        "Parameters": dict(params or {"EXTERNAL": "TRUE", "classification": "parquet"}),
        "PartitionKeys": [{"Name": p, "Type": t} for p, t in parts],
        "StorageDescriptor": {
            "Columns": [{"Name": c, "Type": t} for c, t in cols],
            "Location": "s3://bucket/%s" % name,
            "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "Compressed": False,
            "NumberOfBuckets": -1,
            "SerdeInfo": {"SerializationLibrary":
                          "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                          "Parameters": {"serialization.format": "1"}},
            "BucketColumns": [], "SortColumns": [], "Parameters": {},
            "StoredAsSubDirectories": False,
        },
    }


def test_bootstrap_credentials_file(glue_server):
    st = os.stat(glue_server.creds_path)
    assert st.st_mode & 0o777 == 0o600
    assert os.stat(glue_server.master_key).st_mode & 0o777 == 0o600
    text = open(glue_server.creds_path).read()
    assert text.startswith("[default]\n")
    assert glue_server.key_id.startswith("AKIA") and len(glue_server.key_id) == 20
    assert len(glue_server.secret) == 40


def test_healthz(glue_server):
    for path in ("/healthz", "/readyz"):
        with urllib.request.urlopen(glue_server.endpoint + path, timeout=10) as r:
            assert r.status == 200
            assert json.loads(r.read())["status"] == "ok"


def test_database_lifecycle(glue):
    name = harness.uniq("gdb")
    glue.create_database(DatabaseInput={"Name": name.upper(), "Description": "from glue",
                                        "Parameters": {"k": "v"}})
    db = glue.get_database(Name=name)["Database"]
    assert db["Name"] == name
    assert db["Description"] == "from glue"
    assert db["Parameters"] == {"k": "v"}
    assert db["CatalogId"] == "000000000000"
    assert "Hive" not in db and "CatalogName" not in db
    assert abs(db["CreateTime"].timestamp() - time.time()) < 120
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_database(DatabaseInput={"Name": name})
    glue.update_database(Name=name, DatabaseInput={"Name": name, "Description": "changed",
                                                   "Parameters": {"k2": "v2"}})
    db = glue.get_database(Name=name)["Database"]
    assert db["Description"] == "changed" and db["Parameters"] == {"k2": "v2"}
    glue.delete_database(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_database(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_database(Name=name, DatabaseInput={"Name": name})


def test_get_databases_pagination(glue):
    prefix = harness.uniq("pg")
    names = ["%s_%02d" % (prefix, i) for i in range(7)]
    for n in names:
        glue.create_database(DatabaseInput={"Name": n})
    seen, token, pages = [], None, 0
    while True:
        kw = {"MaxResults": 3}
        if token:
            kw["NextToken"] = token
        r = glue.get_databases(**kw)
        assert len(r["DatabaseList"]) <= 3
        seen += [d["Name"] for d in r["DatabaseList"]]
        pages += 1
        token = r.get("NextToken")
        if not token:
            break
    assert pages >= 3
    assert [n for n in seen if n.startswith(prefix)] == names
    assert len(seen) == len(set(seen))
    # the paginator sees the same
    allnames = [d["Name"] for p in glue.get_paginator("get_databases").paginate(PaginationConfig={"PageSize": 2})
                for d in p["DatabaseList"]]
    assert [n for n in allnames if n.startswith(prefix)] == names
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_databases(NextToken="forged.token")
    with pytest.raises(botocore.exceptions.ClientError):
        glue.get_databases(MaxResults=1000)
    for n in names:
        glue.delete_database(Name=n)


@pytest.fixture
def gdb(glue):
    name = harness.uniq("gdb")
    glue.create_database(DatabaseInput={"Name": name})
    yield name
    try:
        glue.delete_database(Name=name)
    except Exception:
        pass


def test_table_lifecycle_and_versions(glue, gdb):
    glue.create_table(DatabaseName=gdb, TableInput=table_input("Events", parts=[("dt", "string")]))
    t = glue.get_table(DatabaseName=gdb, Name="events")["Table"]
    assert t["Name"] == "events" and t["DatabaseName"] == gdb
    assert t["TableType"] == "EXTERNAL_TABLE"
    assert [c["Name"] for c in t["StorageDescriptor"]["Columns"]] == ["id", "name"]
    assert t["PartitionKeys"] == [{"Name": "dt", "Type": "string"}]
    assert t["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"].endswith("ParquetHiveSerDe")
    assert t["VersionId"] == "1" and t["CatalogId"] == "000000000000"
    assert "Hive" not in t and "Hive" not in t["StorageDescriptor"]["SerdeInfo"]
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_table(DatabaseName=gdb, TableInput=table_input("events"))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.create_table(DatabaseName=gdb + "_nope", TableInput=table_input("x"))

    new = table_input("events", cols=(("id", "bigint"), ("name", "string"), ("extra", "int")),
                      parts=[("dt", "string")])
    glue.update_table(DatabaseName=gdb, TableInput=new)
    t2 = glue.get_table(DatabaseName=gdb, Name="events")["Table"]
    assert t2["VersionId"] == "2"
    assert [c["Name"] for c in t2["StorageDescriptor"]["Columns"]] == ["id", "name", "extra"]
    assert t2["CreateTime"] == t["CreateTime"]
    # optimistic concurrency: an old VersionId is refused and changes nothing
    with pytest.raises(glue.exceptions.ConcurrentModificationException):
        glue.update_table(DatabaseName=gdb, TableInput=table_input("events", parts=[("dt", "string")]),
                          VersionId="1")
    glue.update_table(DatabaseName=gdb, TableInput=new, VersionId="2")
    assert glue.get_table(DatabaseName=gdb, Name="events")["Table"]["VersionId"] == "3"

    vs = glue.get_table_versions(DatabaseName=gdb, TableName="events")["TableVersions"]
    assert [v["VersionId"] for v in vs] == ["3", "2", "1"]
    assert len(vs[2]["Table"]["StorageDescriptor"]["Columns"]) == 2
    page = glue.get_table_versions(DatabaseName=gdb, TableName="events", MaxResults=2)
    assert [v["VersionId"] for v in page["TableVersions"]] == ["3", "2"]
    rest = glue.get_table_versions(DatabaseName=gdb, TableName="events", NextToken=page["NextToken"])
    assert [v["VersionId"] for v in rest["TableVersions"]] == ["1"] and "NextToken" not in rest
    v1 = glue.get_table_version(DatabaseName=gdb, TableName="events", VersionId="1")["TableVersion"]
    assert v1["VersionId"] == "1" and v1["Table"]["Name"] == "events"
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table_version(DatabaseName=gdb, TableName="events", VersionId="99")

    glue.delete_table(DatabaseName=gdb, Name="events")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table(DatabaseName=gdb, Name="events")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_table(DatabaseName=gdb, Name="events")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_table(DatabaseName=gdb, TableInput=new)


def test_get_tables_expression_pagination_batch_delete(glue, gdb):
    names = ["sales_%d" % i for i in range(5)] + ["other"]
    for n in names:
        glue.create_table(DatabaseName=gdb, TableInput=table_input(n))
    all_tables = glue.get_tables(DatabaseName=gdb)["TableList"]
    assert sorted(t["Name"] for t in all_tables) == sorted(names)
    sales = glue.get_tables(DatabaseName=gdb, Expression="sales.*")["TableList"]
    assert sorted(t["Name"] for t in sales) == ["sales_%d" % i for i in range(5)]
    got, token = [], None
    while True:
        kw = {"DatabaseName": gdb, "Expression": "sales.*", "MaxResults": 2}
        if token:
            kw["NextToken"] = token
        r = glue.get_tables(**kw)
        got += [t["Name"] for t in r["TableList"]]
        token = r.get("NextToken")
        if not token:
            break
    assert got == ["sales_%d" % i for i in range(5)]
    # a token from another expression is refused
    r = glue.get_tables(DatabaseName=gdb, Expression="sales.*", MaxResults=2)
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_tables(DatabaseName=gdb, Expression="other", NextToken=r["NextToken"])
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_tables(DatabaseName=gdb + "_missing")
    r = glue.batch_delete_table(DatabaseName=gdb, TablesToDelete=["sales_0", "sales_1", "nope"])
    assert [e["TableName"] for e in r["Errors"]] == ["nope"]
    assert r["Errors"][0]["ErrorDetail"]["ErrorCode"] == "EntityNotFoundException"
    left = sorted(t["Name"] for t in glue.get_tables(DatabaseName=gdb)["TableList"])
    assert left == ["other", "sales_2", "sales_3", "sales_4"]


def test_functions(glue, gdb):
    fin = {"FunctionName": "MyUpper", "ClassName": "com.example.Upper", "OwnerName": "alice",
           "OwnerType": "USER", "ResourceUris": [{"ResourceType": "JAR", "Uri": "s3://b/u.jar"}]}
    glue.create_user_defined_function(DatabaseName=gdb, FunctionInput=fin)
    f = glue.get_user_defined_function(DatabaseName=gdb, FunctionName="myupper")["UserDefinedFunction"]
    assert f["FunctionName"] == "myupper" and f["ClassName"] == "com.example.Upper"
    assert f["ResourceUris"] == [{"ResourceType": "JAR", "Uri": "s3://b/u.jar"}]
    assert f["DatabaseName"] == gdb and f["CatalogId"] == "000000000000"
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_user_defined_function(DatabaseName=gdb, FunctionInput=fin)
    for i in range(3):
        glue.create_user_defined_function(DatabaseName=gdb, FunctionInput=dict(fin, FunctionName="f%d" % i))
    fs = glue.get_user_defined_functions(DatabaseName=gdb, Pattern="*")["UserDefinedFunctions"]
    assert sorted(x["FunctionName"] for x in fs) == ["f0", "f1", "f2", "myupper"]
    p1 = glue.get_user_defined_functions(DatabaseName=gdb, Pattern="f.*", MaxResults=2)
    p2 = glue.get_user_defined_functions(DatabaseName=gdb, Pattern="f.*", NextToken=p1["NextToken"])
    assert [x["FunctionName"] for x in p1["UserDefinedFunctions"] + p2["UserDefinedFunctions"]] == ["f0", "f1", "f2"]
    glue.update_user_defined_function(DatabaseName=gdb, FunctionName="myupper",
                                      FunctionInput=dict(fin, FunctionName="myupper", ClassName="com.example.Upper2"))
    f = glue.get_user_defined_function(DatabaseName=gdb, FunctionName="myupper")["UserDefinedFunction"]
    assert f["ClassName"] == "com.example.Upper2"
    glue.delete_user_defined_function(DatabaseName=gdb, FunctionName="myupper")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_user_defined_function(DatabaseName=gdb, FunctionName="myupper")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_user_defined_function(DatabaseName=gdb, FunctionName="myupper", FunctionInput=fin)


def test_invalid_input(glue, gdb):
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_database(DatabaseInput={"Name": "bad name!"})
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.get_tables(DatabaseName=gdb, Expression="(unclosed")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name=gdb, CatalogId="123456789012")


def raw_call(srv, target, body, key_id=None, secret=None, sign=True, tamper=None, headers=None):
    """A hand-made request signed by botocore's SigV4Auth (optionally with a wrong secret or tampered body)."""
    data = json.dumps(body)
    req = AWSRequest(method="POST", url=srv.endpoint + "/", data=data,
                     headers={"X-Amz-Target": "AWSGlue." + target,
                              "Content-Type": "application/x-amz-json-1.1", **(headers or {})})
    if sign:
        SigV4Auth(Credentials(key_id or srv.key_id, secret or srv.secret), "glue", "us-east-1").add_auth(req)
    if tamper is not None:
        data = json.dumps(tamper)
    r = urllib.request.Request(srv.endpoint + "/", data=data.encode(), method="POST",
                               headers=dict(req.headers.items()))
    try:
        with urllib.request.urlopen(r, timeout=20) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def test_signature_failures_change_nothing(glue_server, glue):
    name = harness.uniq("sig")
    cases = [
        (dict(sign=False), 403, "MissingAuthenticationTokenException"),
        (dict(secret="x" * 40), 403, "InvalidSignatureException"),
        (dict(key_id="AKIAUNKNOWNKEY000000"), 400, "UnrecognizedClientException"),
        (dict(tamper={"DatabaseInput": {"Name": name + "_other"}}), 403, "InvalidSignatureException"),
        (dict(headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/2015/us"}, sign=False), 400,
         "IncompleteSignatureException"),
    ]
    for kw, status, typ in cases:
        code, body = raw_call(glue_server, "CreateDatabase", {"DatabaseInput": {"Name": name}}, **kw)
        assert (code, body.get("__type")) == (status, typ), (kw, code, body)
    for n in (name, name + "_other"):
        with pytest.raises(glue.exceptions.EntityNotFoundException):
            glue.get_database(Name=n)
    # the same request, properly signed, works
    code, body = raw_call(glue_server, "CreateDatabase", {"DatabaseInput": {"Name": name}})
    assert code == 200, body
    glue.delete_database(Name=name)


def test_bad_requests(glue_server):
    code, body = raw_call(glue_server, "NoSuchOperation", {})
    assert code == 400 and body["__type"] == "UnknownOperationException"
    deep = {"DatabaseInput": {"Name": "x", "Parameters": {}}}
    node = deep
    for _ in range(200):
        node["n"] = {}
        node = node["n"]
    code, body = raw_call(glue_server, "CreateDatabase", deep)
    assert code == 400 and body["__type"] == "SerializationException"
    code, body = raw_call(glue_server, "GetDatabase", {"Name": 42})
    assert code == 400 and body["__type"] == "SerializationException"


def test_both_doors_one_catalog(glue, thrift, gdb):
    # Thrift → Glue
    t = harness.make_table(gdb, "from_hive", partition_keys=harness.cols(("dt", "string")),
                           params={"p": "1"})
    thrift.create_table(t)
    g = glue.get_table(DatabaseName=gdb, Name="from_hive")["Table"]
    assert [c["Name"] for c in g["StorageDescriptor"]["Columns"]] == ["id", "name"]
    assert g["StorageDescriptor"]["Columns"][0].get("Comment") == "the id"
    assert g["PartitionKeys"] == [{"Name": "dt", "Type": "string"}]
    assert g["Parameters"]["p"] == "1" and g["Owner"] == "alice"
    assert g["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == \
        "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
    # Glue → Thrift
    glue.create_table(DatabaseName=gdb, TableInput=table_input("from_glue", parts=[("dt", "string")]))
    h = thrift.get_table(gdb, "from_glue")
    assert h.tableName == "from_glue" and h.dbName == gdb
    assert [c.name for c in h.sd.cols] == ["id", "name"]
    assert [c.name for c in h.partitionKeys] == ["dt"]
    assert h.sd.serdeInfo.serializationLib.endswith("ParquetHiveSerDe")
    assert h.parameters["classification"] == "parquet"
    assert h.tableType == "EXTERNAL_TABLE"
    # a Hive alter is a new version in Glue; a Glue update keeps Hive-only fields
    h.parameters["altered"] = "yes"
    thrift.alter_table(gdb, "from_glue", h)
    vs = glue.get_table_versions(DatabaseName=gdb, TableName="from_glue")["TableVersions"]
    assert [v["VersionId"] for v in vs] == ["2", "1"]
    glue.update_table(DatabaseName=gdb, TableInput=table_input("from_hive", parts=[("dt", "string")]))
    h2 = thrift.get_table(gdb, "from_hive")
    assert h2.ownerType == T.PrincipalType.USER
    # a database made by Glue is seen by Hive and the reverse
    assert gdb in thrift.get_all_databases()


def test_aws_cli(glue_server, gdb, tmp_path):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=glue_server.key_id,
               AWS_SECRET_ACCESS_KEY=glue_server.secret, AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
               PATH="/usr/bin:/bin")
    aws = "/usr/bin/aws"
    if not os.path.exists(aws):
        pytest.skip("awscli not installed")
    out = subprocess.run([aws, "glue", "get-database", "--name", gdb, "--endpoint-url", glue_server.endpoint,
                          "--output", "json"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["Database"]["Name"] == gdb
    out = subprocess.run([aws, "glue", "get-database", "--name", gdb + "_missing", "--endpoint-url",
                          glue_server.endpoint], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode != 0 and "EntityNotFoundException" in out.stderr
    # the credentials file itself is a valid AWS CLI credentials file
    env2 = dict(env, AWS_SHARED_CREDENTIALS_FILE=glue_server.creds_path)
    del env2["AWS_ACCESS_KEY_ID"], env2["AWS_SECRET_ACCESS_KEY"]
    out = subprocess.run([aws, "glue", "get-databases", "--endpoint-url", glue_server.endpoint, "--output", "json"],
                         capture_output=True, text=True, env=env2, timeout=120)
    assert out.returncode == 0, out.stderr
    assert gdb in [d["Name"] for d in json.loads(out.stdout)["DatabaseList"]]
