# tests/integration/test_settings_locations.py — issue 15: settings are for administrators, and
# DATA_LOCATION_ACCESS is checked on every path that sets a location.
#
# Settings: GetDataLakeSettings and Glue GetDataCatalogEncryptionSettings answer data lake
# administrators and read-only administrators; anyone else gets AccessDeniedException, audited.
# Locations: a principal with ALTER on a table (and nothing else) may not move a partition under
# a registered location through any alter or rename method of either door; with
# DATA_LOCATION_ACCESS on the location it may. Each refusal leaves the partition as it was.

import copy
import sys
import time

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.exceptions  # noqa: E402

import harness  # noqa: E402
from harness import T  # noqa: E402
from test_lakeformation import signed  # noqa: E402
from test_permissions import perm_server as _perm_server_fixture, World, grant, propolis_call  # noqa: E402,F401

REG = "arn:aws:s3:::lf-registered/data"
REG_PATH = "s3://lf-registered/data"
TABLE_LOC = "s3://lf-plain/pt"


@pytest.fixture(scope="module")
def sw(_perm_server_fixture):
    w = World(_perm_server_fixture)
    lf = w.client("lakeformation", "admin")
    glue = w.client("glue", "admin")
    harness.lf_close_defaults(lf)
    for name in ("alice", "rob", "nobody"):
        w.create_principal(name)
    # ReadOnlyAdmins is newer than this botocore's model: sent by hand
    code, _, out = signed(w.srv, "/GetDataLakeSettings", {})
    assert code == 200, out
    settings = out["DataLakeSettings"]
    settings["ReadOnlyAdmins"] = [{"DataLakePrincipalIdentifier": w.arns["rob"]}]
    code, _, out = signed(w.srv, "/PutDataLakeSettings", {"DataLakeSettings": settings})
    assert code == 200, out
    lf.register_resource(ResourceArn=REG, UseServiceLinkedRole=True)
    glue.create_database(DatabaseInput={"Name": "locs"})
    glue.create_table(DatabaseName="locs", TableInput={
        "Name": "pt", "TableType": "EXTERNAL_TABLE", "PartitionKeys": [{"Name": "ds", "Type": "string"}],
        "Parameters": {"EXTERNAL": "TRUE"},
        "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": TABLE_LOC}})
    for ds in ("1", "2", "3", "4", "5", "6", "7", "8", "9"):
        glue.create_partition(DatabaseName="locs", TableName="pt", PartitionInput={
            "Values": [ds], "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}],
                                                  "Location": "s3://lf-elsewhere/pt/ds=" + ds}})
    grant(lf, w.arns["alice"], {"Table": {"DatabaseName": "locs", "Name": "pt"}}, ["ALTER"])
    return w


def denied_glue(exc):
    return exc.response["Error"]["Code"] == "AccessDeniedException"


# ---- settings ----

def test_data_lake_settings_are_for_administrators(sw):
    assert sw.client("lakeformation", "admin").get_data_lake_settings()["DataLakeSettings"]["DataLakeAdmins"]
    code, _, out = signed(sw.srv, "/GetDataLakeSettings", {}, key_id=sw.keys["rob"][0], secret=sw.keys["rob"][1])
    assert code == 200, out
    got = out["DataLakeSettings"]
    assert got["ReadOnlyAdmins"] == [{"DataLakePrincipalIdentifier": sw.arns["rob"]}]
    got.pop("ReadOnlyAdmins")
    for who in ("alice", "nobody"):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            sw.client("lakeformation", who).get_data_lake_settings()
        assert denied_glue(e.value), e.value.response
    # a read-only administrator still may not change them
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sw.client("lakeformation", "rob").put_data_lake_settings(DataLakeSettings=got)
    assert denied_glue(e.value)


def test_encryption_settings_are_for_administrators(sw):
    s = sw.client("glue", "admin").get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]
    assert s["EncryptionAtRest"]["CatalogEncryptionMode"]
    assert sw.client("glue", "rob").get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"] == s
    for who in ("alice", "nobody"):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            sw.client("glue", who).get_data_catalog_encryption_settings()
        assert denied_glue(e.value), e.value.response


def test_settings_denials_are_audited(sw):
    with pytest.raises(botocore.exceptions.ClientError):
        sw.client("lakeformation", "nobody").get_data_lake_settings()
    with pytest.raises(botocore.exceptions.ClientError):
        sw.client("glue", "nobody").get_data_catalog_encryption_settings()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        st, out = propolis_call(sw.srv, *sw.keys["admin"], "ListAuditEvents", {"Principal": sw.arns["nobody"]})
        assert st == 200, out
        ops = {e["Operation"] for e in out.get("Events", []) if not e["Allowed"]}
        if {"GetDataLakeSettings", "GetDataCatalogEncryptionSettings"} <= ops:
            return
        time.sleep(0.3)
    pytest.fail("no audit rows for the settings denials: %s" % ops)


# ---- DATA_LOCATION_ACCESS on partition alters and renames ----

def part(c, ds):
    return c.get_partition("locs", "pt", [ds])


def location_of(sw, ds):
    with sw.thrift("admin") as c:
        return part(c, ds).sd.location


def thrift_denied(e):
    return isinstance(e, T.MetaException) and "Required Data Location Access" in e.message


def test_alter_and_rename_partition_need_data_location_access(sw):
    with sw.thrift("admin") as adm:
        parts = {ds: part(adm, ds) for ds in ("1", "2", "3", "4", "5", "6", "7")}
    for p in parts.values():
        p.sd.location = REG_PATH + "/moved/" + p.values[0]
    env = T.EnvironmentContext(properties={})
    with sw.thrift("alice") as c:
        calls = [
            ("alter_partition", lambda: c.alter_partition("locs", "pt", parts["1"])),
            ("alter_partition_with_environment_context",
             lambda: c.alter_partition_with_environment_context("locs", "pt", parts["2"], env)),
            ("alter_partitions", lambda: c.alter_partitions("locs", "pt", [parts["3"]])),
            ("alter_partitions_with_environment_context",
             lambda: c.alter_partitions_with_environment_context("locs", "pt", [parts["4"]], env)),
            ("alter_partitions_req", lambda: c.alter_partitions_req(T.AlterPartitionsRequest(
                dbName="locs", tableName="pt", partitions=[parts["5"]], environmentContext=env))),
        ]
        renamed6 = parts["6"]
        renamed6.values = ["6r"]
        renamed7 = parts["7"]
        renamed7.values = ["7r"]
        calls += [
            ("rename_partition", lambda: c.rename_partition("locs", "pt", ["6"], renamed6)),
            ("rename_partition_req", lambda: c.rename_partition_req(T.RenamePartitionRequest(
                dbName="locs", tableName="pt", partVals=["7"], newPart=renamed7))),
        ]
        for name, call in calls:
            with pytest.raises(T.MetaException) as e:
                call()
            assert thrift_denied(e.value), (name, e.value)
        # keeping the location needs ALTER only
        with sw.thrift("admin") as adm:
            same = part(adm, "8")
        same.parameters["touched"] = "yes"
        c.alter_partition("locs", "pt", same)
    for ds in ("1", "2", "3", "4", "5", "6", "7"):
        assert location_of(sw, ds) == "s3://lf-elsewhere/pt/ds=" + ds, ds
    with sw.thrift("admin") as adm:
        assert sorted(adm.get_partition_names("locs", "pt", -1)) == ["ds=%d" % i for i in range(1, 10)]
        assert part(adm, "8").parameters["touched"] == "yes"


def test_glue_update_partition_needs_data_location_access(sw):
    glue = sw.client("glue", "alice")
    sd = {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": REG_PATH + "/glue/9"}
    with pytest.raises(botocore.exceptions.ClientError) as e:
        glue.update_partition(DatabaseName="locs", TableName="pt", PartitionValueList=["9"],
                              PartitionInput={"Values": ["9"], "StorageDescriptor": sd})
    assert denied_glue(e.value)
    out = glue.batch_update_partition(DatabaseName="locs", TableName="pt", Entries=[
        {"PartitionValueList": ["9"], "PartitionInput": {"Values": ["9"], "StorageDescriptor": sd}}])
    assert [x["ErrorDetail"]["ErrorCode"] for x in out["Errors"]] == ["AccessDeniedException"], out
    assert location_of(sw, "9") == "s3://lf-elsewhere/pt/ds=9"


def test_with_data_location_access_the_move_is_allowed(sw):
    lf = sw.client("lakeformation", "admin")
    grant(lf, sw.arns["alice"], {"DataLocation": {"ResourceArn": REG}}, ["DATA_LOCATION_ACCESS"])
    try:
        with sw.thrift("admin") as adm:
            p = part(adm, "1")
        p.sd.location = REG_PATH + "/moved/1"
        with sw.thrift("alice") as c:
            c.alter_partition("locs", "pt", p)
        assert location_of(sw, "1") == REG_PATH + "/moved/1"
        sd = {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": REG_PATH + "/glue/9"}
        sw.client("glue", "alice").update_partition(DatabaseName="locs", TableName="pt", PartitionValueList=["9"],
                                                    PartitionInput={"Values": ["9"], "StorageDescriptor": sd})
        assert location_of(sw, "9") == REG_PATH + "/glue/9"
    finally:
        lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": sw.arns["alice"]},
                              Resource={"DataLocation": {"ResourceArn": REG}}, Permissions=["DATA_LOCATION_ACCESS"])


def test_table_skewed_locations_need_data_location_access(sw):
    """A table's skewed-value locations are locations too (create and alter check them)."""
    lf = sw.client("lakeformation", "admin")
    grant(lf, sw.arns["alice"], {"Database": {"Name": "locs"}}, ["CREATE_TABLE"])
    glue = sw.client("glue", "alice")
    sd = {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": "s3://lf-plain/skew",
          "SkewedInfo": {"SkewedColumnNames": ["id"], "SkewedColumnValues": ["1"],
                         "SkewedColumnValueLocationMaps": {"1": REG_PATH + "/skew/id=1"}}}
    with pytest.raises(botocore.exceptions.ClientError) as e:
        glue.create_table(DatabaseName="locs", TableInput={"Name": "skew", "TableType": "EXTERNAL_TABLE",
                                                           "StorageDescriptor": sd})
    assert denied_glue(e.value)
    with pytest.raises(sw.client("glue", "admin").exceptions.EntityNotFoundException):
        sw.client("glue", "admin").get_table(DatabaseName="locs", Name="skew")


def test_partition_skewed_locations_need_data_location_access(sw):
    """A partition's skewed-value locations too, on the rows path (add_partitions), Glue's and alters."""
    with sw.thrift("admin") as adm:
        base = part(adm, "3")
    skew = T.SkewedInfo(skewedColNames=["id"], skewedColValues=[["1"]],
                        skewedColValueLocationMaps={("1",): REG_PATH + "/skew/ds=s/id=1"})
    with sw.thrift("alice") as c:
        for method in ("add_partitions", "add_partitions_req"):
            p = T.Partition(dbName="locs", tableName="pt", values=["s_" + method], parameters={},
                            sd=copy.deepcopy(base.sd))
            p.sd.location = "s3://lf-elsewhere/pt/s"
            p.sd.skewedInfo = skew
            with pytest.raises(T.MetaException) as e:
                if method == "add_partitions":
                    c.add_partitions([p])
                else:
                    c.add_partitions_req(T.AddPartitionsRequest(dbName="locs", tblName="pt", parts=[p],
                                                                ifNotExists=False, needResult=True))
            assert thrift_denied(e.value), (method, e.value)
        altered = base
        altered.sd.skewedInfo = skew
        with pytest.raises(T.MetaException) as e:
            c.alter_partition("locs", "pt", altered)
        assert thrift_denied(e.value)
    sd = {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": "s3://lf-elsewhere/pt/g",
          "SkewedInfo": {"SkewedColumnNames": ["id"], "SkewedColumnValues": ["1"],
                         "SkewedColumnValueLocationMaps": {"1": REG_PATH + "/skew/g"}}}
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sw.client("glue", "alice").create_partition(DatabaseName="locs", TableName="pt",
                                                    PartitionInput={"Values": ["g"], "StorageDescriptor": sd})
    assert denied_glue(e.value)
    with sw.thrift("admin") as adm:
        assert sorted(adm.get_partition_names("locs", "pt", -1)) == ["ds=%d" % i for i in range(1, 10)]
        assert not part(adm, "3").sd.skewedInfo or not part(adm, "3").sd.skewedInfo.skewedColValueLocationMaps
