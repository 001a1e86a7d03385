# tests/integration/test_hostile_text.py — text no C string can carry, on every door (issue 15).
#
# A NUL inside a string (Glue/Lake Formation/admin JSON as "\u0000" or a raw byte, a Thrift
# binary-protocol string carrying b"\x00"), text that is not UTF-8, names longer than Glue's 255,
# and non-string values in Glue's string maps: each gets the door's typed error and changes
# nothing (the listings before and after are compared). Hand-signed requests send what botocore
# would refuse or escape; raw Thrift bytes send what the generated Python client would encode.

import json
import socket
import struct
import sys

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.exceptions  # noqa: E402

import harness  # noqa: E402
from harness import T, TApplicationException, TMessageType  # noqa: E402
from test_lakeformation import signed  # noqa: E402
from test_permissions import perm_server as _perm_server_fixture, World  # noqa: E402,F401
from test_protocol import call_bytes  # noqa: E402


@pytest.fixture(scope="module")
def hw(_perm_server_fixture):
    w = World(_perm_server_fixture)
    glue = w.client("glue", "admin")
    glue.create_database(DatabaseInput={"Name": "hostile"})
    glue.create_table(DatabaseName="hostile", TableInput={
        "Name": "t", "TableType": "EXTERNAL_TABLE", "PartitionKeys": [{"Name": "ds", "Type": "string"}],
        "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": "file:///tmp/hostile/t"}})
    return w


def glue_raw(srv, op, body):
    """A signed Glue call whose body is sent as given (bytes) or as JSON text; (status, JSON)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    code, _, out = signed(srv, "/", None, target="AWSGlue." + op, service="glue",
                          ctype="application/x-amz-json-1.1", raw=raw)
    return code, out


def snapshot(glue):
    dbs = sorted(d["Name"] for d in glue.get_databases()["DatabaseList"])
    tables = sorted(t["Name"] for t in glue.get_tables(DatabaseName="hostile")["TableList"])
    parts = sorted(tuple(p["Values"]) for p in glue.get_partitions(DatabaseName="hostile", TableName="t")["Partitions"])
    conns = sorted(c["Name"] for c in glue.get_connections()["ConnectionList"])
    return dbs, tables, parts, conns


def assert_invalid_input(code, body, what=""):
    assert (code, body.get("__type")) == (400, "InvalidInputException"), (what, code, body)


def test_glue_nul_in_a_name_is_refused(hw):
    glue = hw.client("glue", "admin")
    before = snapshot(glue)
    # "\u0000" escaped, as json.dumps writes it (the reproduction: database "nul" was created)
    code, body = glue_raw(hw.srv, "CreateDatabase", {"DatabaseInput": {"Name": "nul\u0000x"}})
    assert_invalid_input(code, body, "escaped NUL")
    assert "U+0000" in body["message"]
    # a raw NUL byte inside the string
    code, body = glue_raw(hw.srv, "CreateDatabase", b'{"DatabaseInput": {"Name": "nul\x00x"}}')
    assert_invalid_input(code, body, "raw NUL")
    # in any string, not only names: a description, a parameter value, a member name
    for di in ({"Name": "nul_desc", "Description": "a\u0000b"},
               {"Name": "nul_param", "Parameters": {"k": "v\u0000w"}},
               {"Name": "nul_key", "Parameters": {"k\u0000": "v"}}):
        code, body = glue_raw(hw.srv, "CreateDatabase", {"DatabaseInput": di})
        assert_invalid_input(code, body, di)
    code, body = glue_raw(hw.srv, "CreateTable", {"DatabaseName": "hostile", "TableInput": {
        "Name": "t_nul", "StorageDescriptor": {"Columns": [{"Name": "c\u0000d", "Type": "int"}]}}})
    assert_invalid_input(code, body, "column")
    code, body = glue_raw(hw.srv, "CreatePartition", {"DatabaseName": "hostile", "TableName": "t",
                                                      "PartitionInput": {"Values": ["2024\u0000"]}})
    assert_invalid_input(code, body, "partition value")
    assert snapshot(glue) == before
    # an escaped backslash followed by u0000 is plain text, not a NUL
    code, body = glue_raw(hw.srv, "CreateDatabase", {"DatabaseInput": {"Name": "bs_ok",
                                                                       "Description": "\\u0000"}})
    assert code == 200, body
    assert glue.get_database(Name="bs_ok")["Database"]["Description"] == "\\u0000"
    glue.delete_database(Name="bs_ok")


def test_lakeformation_and_admin_doors_refuse_nul(hw):
    glue = hw.client("glue", "admin")
    before = snapshot(glue)
    code, _, body = signed(hw.srv, "/RegisterResource", {"ResourceArn": "arn:aws:s3:::nulbucket/a\u0000b"})
    assert (code, body.get("__type")) == (400, "InvalidInputException"), body
    lf = hw.client("lakeformation", "admin")
    assert not any("nulbucket" in r["ResourceArn"] for r in lf.list_resources()["ResourceInfoList"])
    code, _, body = signed(hw.srv, "/", {"Name": "nul\u0000user"}, target="Propolis.CreatePrincipal",
                           service="propolis", ctype="application/x-amz-json-1.1")
    assert (code, body.get("__type")) == (400, "InvalidInputException"), body
    code, _, body = signed(hw.srv, "/", {}, target="Propolis.ListPrincipals", service="propolis",
                           ctype="application/x-amz-json-1.1")
    assert code == 200 and not any(p["Name"].startswith("nul") for p in body["Principals"]), body
    assert snapshot(glue) == before


def test_glue_string_maps_hold_strings_only(hw):
    glue = hw.client("glue", "admin")
    before = snapshot(glue)
    sd = {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": "file:///tmp/hostile/x"}
    cases = [
        ("CreateDatabase", {"DatabaseInput": {"Name": "map_db", "Parameters": {"k": 1}}}),
        ("CreateDatabase", {"DatabaseInput": {"Name": "map_db", "Parameters": {"k": None}}}),
        ("CreateDatabase", {"DatabaseInput": {"Name": "map_db", "Parameters": {"k": {"nested": "x"}}}}),
        ("CreateTable", {"DatabaseName": "hostile", "TableInput": {"Name": "map_t", "Parameters": {"k": True}}}),
        ("CreateTable", {"DatabaseName": "hostile", "TableInput": {
            "Name": "map_t", "StorageDescriptor": dict(sd, Parameters={"k": 2})}}),
        ("CreateTable", {"DatabaseName": "hostile", "TableInput": {
            "Name": "map_t", "StorageDescriptor": dict(sd, SerdeInfo={"Parameters": {"serialization.format": 1}})}}),
        ("CreateTable", {"DatabaseName": "hostile", "TableInput": {
            "Name": "map_t", "StorageDescriptor": dict(sd, Columns=[{"Name": "id", "Type": "int",
                                                                      "Parameters": {"k": [1]}}])}}),
        ("CreatePartition", {"DatabaseName": "hostile", "TableName": "t",
                             "PartitionInput": {"Values": ["a"], "Parameters": {"k": 1.5}}}),
        ("UpdateDatabase", {"Name": "hostile", "DatabaseInput": {"Name": "hostile", "Parameters": {"k": 1}}}),
        ("UpdateTable", {"DatabaseName": "hostile", "TableInput": {
            "Name": "t", "PartitionKeys": [{"Name": "ds", "Type": "string"}], "Parameters": {"k": 1}}}),
        ("CreateConnection", {"ConnectionInput": {"Name": "map_c", "ConnectionType": "JDBC", "ConnectionProperties": {
            "JDBC_CONNECTION_URL": "jdbc:postgresql://h/db", "USERNAME": 5}}}),
    ]
    for op, body in cases:
        code, out = glue_raw(hw.srv, op, body)
        assert_invalid_input(code, out, (op, body))
        assert "must be a string" in out["message"] or "map of strings" in out["message"], out
    assert snapshot(glue) == before
    assert "k" not in glue.get_database(Name="hostile")["Database"].get("Parameters", {})
    assert "k" not in glue.get_table(DatabaseName="hostile", Name="t")["Table"].get("Parameters", {})
    # the string version of each is fine
    code, out = glue_raw(hw.srv, "CreateDatabase", {"DatabaseInput": {"Name": "map_db", "Parameters": {"k": "1"}}})
    assert code == 200, out
    glue.delete_database(Name="map_db")


def test_overlong_names_are_refused_on_both_doors(hw):
    glue = hw.client("glue", "admin")
    before = snapshot(glue)
    long = "n" * 256
    ok255 = "m" * 255
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_table(DatabaseName="hostile", TableInput={
            "Name": "long_col", "StorageDescriptor": {"Columns": [{"Name": long, "Type": "int"}]}})
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.create_table(DatabaseName="hostile", TableInput={
            "Name": "long_key", "PartitionKeys": [{"Name": long, "Type": "string"}]})
    with hw.thrift("admin") as c:
        with pytest.raises(T.InvalidObjectException):
            c.create_database(T.Database(name=long, parameters={}))
        with pytest.raises(T.InvalidObjectException):
            c.create_table(harness.make_table("hostile", long))
        with pytest.raises(T.InvalidObjectException):
            c.create_table(_table_with_column("long_col2", long))
        with pytest.raises(T.InvalidObjectException):
            c.create_table(_table_with_column("long_key2", "id", pkey=long))
        assert sorted(c.get_all_databases()) == before[0]
        # 255 is allowed
        c.create_database(T.Database(name=ok255, parameters={}))
        assert ok255 in c.get_all_databases()
        c.drop_database(ok255, True, True)
    assert snapshot(glue) == before


def _table_with_column(name, col, pkey=None):
    t = harness.make_table("hostile", name, partition_keys=[T.FieldSchema(name=pkey, type="string")] if pkey else None)
    t.sd.cols = [T.FieldSchema(name=col, type="int")]
    return t


def _thrift_client_sending_bytes(c):
    """Lets the generated client send a bytes value for a string field as it is (no UTF-8 encoding)."""
    proto = c.protocol
    plain = proto.writeString

    def write_string(v):
        if isinstance(v, (bytes, bytearray)):
            proto.writeBinary(bytes(v))
        else:
            plain(v)
    proto.writeString = write_string
    return c


@pytest.mark.parametrize("name", ["nul\x00x", b"bad\xffutf8", b"\xc3"])
def test_thrift_string_with_nul_or_not_utf8_is_refused(hw, name):
    with hw.thrift("admin") as c:
        _thrift_client_sending_bytes(c)
        before = sorted(c.get_all_databases())
        with pytest.raises(TApplicationException) as e:
            c.create_database(T.Database(name=name, parameters={}))
        assert e.value.type == TApplicationException.PROTOCOL_ERROR
        assert "NUL" in e.value.message and "UTF-8" in e.value.message
        # the connection stays usable and nothing was created
        assert sorted(c.get_all_databases()) == before
        # a NUL in a parameter value, in a table's column, in get_table's name (its own reply path)
        with pytest.raises(TApplicationException):
            c.create_database(T.Database(name="nul_param", parameters={"k": name}))
        with pytest.raises(TApplicationException):
            c.create_table(_table_with_column("nul_col", name))
        with pytest.raises(TApplicationException):
            c.get_table("hostile", name)
        assert c.get_table("hostile", "t").tableName == "t"
        assert sorted(c.get_all_databases()) == before
        assert sorted(c.get_all_tables("hostile")) == ["t"]


def test_thrift_add_partitions_with_nul_value_is_refused(hw):
    """add_partitions is read from its bytes (partition_add.c): a NUL there is refused too."""
    with hw.thrift("admin") as c:
        t = c.get_table("hostile", "t")
        for vals, params in ((["2024\x00x"], {}), (["2024"], {"k": "v\x00w"})):
            p = T.Partition(dbName="hostile", tableName="t", values=vals, sd=t.sd, parameters=params)
            with pytest.raises(TApplicationException) as e:
                c.add_partitions([p])
            assert e.value.type == TApplicationException.PROTOCOL_ERROR
        assert c.get_partition_names("hostile", "t", -1) == []
        with pytest.raises(TApplicationException):
            c.add_partitions_req(T.AddPartitionsRequest(dbName="hostile", tblName="t", ifNotExists=False,
                                                         needResult=True, parts=[T.Partition(
                                                             dbName="hostile", tableName="t", values=["a\x00"],
                                                             sd=t.sd, parameters={})]))
        assert c.get_partition_names("hostile", "t", -1) == []


def test_thrift_raw_bytes_nul_name_keeps_connection(hw):
    """Crafted bytes, no client library: get_database("de\\0fault") answers PROTOCOL_ERROR, then more calls work."""
    s = socket.create_connection(("127.0.0.1", hw.srv.port), timeout=20)
    try:
        for seqid in (3, 4):
            name = b"de\x00fault"
            s.sendall(call_bytes("get_database", b"\x0b\x00\x01" + struct.pack(">i", len(name)) + name + b"\x00",
                                 seqid=seqid))
            head = _recv_exact(s, 4)
            assert struct.unpack(">I", head)[0] == 0x80010000 | TMessageType.EXCEPTION
            nlen = struct.unpack(">i", _recv_exact(s, 4))[0]
            assert _recv_exact(s, nlen) == b"get_database"
            assert struct.unpack(">i", _recv_exact(s, 4))[0] == seqid
            # TApplicationException {1: string message, 2: i32 type}
            assert _recv_exact(s, 3) == b"\x0b\x00\x01"
            message = _recv_exact(s, struct.unpack(">i", _recv_exact(s, 4))[0])
            assert b"NUL" in message
            assert _recv_exact(s, 3) == b"\x08\x00\x02"
            assert struct.unpack(">i", _recv_exact(s, 4))[0] == TApplicationException.PROTOCOL_ERROR
            assert _recv_exact(s, 1) == b"\x00"
    finally:
        s.close()


def _recv_exact(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        assert chunk, "connection closed"
        out += chunk
    return out


def test_glue_errors_are_typed_for_boto3(hw):
    """boto3 raises the typed exception (the error code boto3 sees, not only the raw body)."""
    glue = hw.client("glue", "admin")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        glue.create_database(DatabaseInput={"Name": "x", "Parameters": {"k": "a\x00b"}})
    assert e.value.response["Error"]["Code"] == "InvalidInputException"
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name="x")


def test_json_text_not_utf8_is_refused(hw):
    """Bytes that are not UTF-8 in a JSON string: a malformed body (SerializationException), nothing stored."""
    glue = hw.client("glue", "admin")
    before = snapshot(glue)
    for raw in (b'{"DatabaseInput": {"Name": "bad\xff"}}', b'{"DatabaseInput": {"Name": "x", "Description": "\xc3"}}'):
        code, body = glue_raw(hw.srv, "CreateDatabase", raw)
        assert (code, body.get("__type")) == (400, "SerializationException"), (raw, code, body)
    assert snapshot(glue) == before
