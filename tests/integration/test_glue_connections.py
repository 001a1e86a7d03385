# tests/integration/test_glue_connections.py — Glue connections and the Data Catalog's
# encryption settings through boto3: each operation, HidePassword, passwords sealed at rest
# (never in PostgreSQL in clear), ReturnConnectionPasswordEncrypted, pagination and errors.

import sys

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.exceptions  # noqa: E402

import harness  # noqa: E402
from test_glue_boto3 import glue, glue_server  # noqa: E402,F401

SECRET = "s3cr3t-Pa55word-%s"


def conn_input(name, password=None, ctype="JDBC", criteria=None):
    props = {"JDBC_CONNECTION_URL": "jdbc:postgresql://db.example:5432/sales", "USERNAME": "etl"}
    if password is not None:
        props["PASSWORD"] = password
    d = {"Name": name, "Description": "sales db", "ConnectionType": ctype, "ConnectionProperties": props,
         "PhysicalConnectionRequirements": {"SubnetId": "subnet-1", "SecurityGroupIdList": ["sg-1"],
                                            "AvailabilityZone": "us-east-1a"}}
    if criteria is not None:
        d["MatchCriteria"] = criteria
    return d


def db_url(srv):
    return srv.args[srv.args.index("--database") + 1]


def test_connection_lifecycle(glue, glue_server):
    name = harness.uniq("conn")
    pw = SECRET % name
    glue.create_connection(ConnectionInput=conn_input(name, pw, criteria=["a", "b"]))
    c = glue.get_connection(Name=name)["Connection"]
    assert c["Name"] == name and c["ConnectionType"] == "JDBC" and c["Description"] == "sales db"
    assert c["ConnectionProperties"]["PASSWORD"] == pw
    assert c["ConnectionProperties"]["USERNAME"] == "etl"
    assert c["MatchCriteria"] == ["a", "b"]
    assert c["PhysicalConnectionRequirements"]["SubnetId"] == "subnet-1"
    assert "CreationTime" in c and "LastUpdatedTime" in c and c["LastUpdatedBy"].endswith(":user/admin")
    assert "SealedSecret" not in c
    hidden = glue.get_connection(Name=name, HidePassword=True)["Connection"]
    assert "PASSWORD" not in hidden["ConnectionProperties"]
    assert hidden["ConnectionProperties"]["USERNAME"] == "etl"
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_connection(ConnectionInput=conn_input(name, pw))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_connection(Name=name + "_missing")
    # the password is not in PostgreSQL in clear, nor in the server's log
    rows = harness.psql(db_url(glue_server), "SELECT doc::text || coalesce(secret, '') FROM glue_connections")
    assert pw not in str(rows) and name in str(rows)
    assert pw not in glue_server.log_text()
    # update: new password, same name; then a rename
    glue.update_connection(Name=name, ConnectionInput=conn_input(name, pw + "2"))
    c2 = glue.get_connection(Name=name)["Connection"]
    assert c2["ConnectionProperties"]["PASSWORD"] == pw + "2"
    assert c2["CreationTime"] == c["CreationTime"]
    glue.update_connection(Name=name, ConnectionInput=conn_input(name + "_r", pw))
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_connection(Name=name)
    assert glue.get_connection(Name=name + "_r")["Connection"]["ConnectionProperties"]["PASSWORD"] == pw
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.update_connection(Name=name, ConnectionInput=conn_input(name, pw))
    glue.delete_connection(ConnectionName=name + "_r")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.delete_connection(ConnectionName=name + "_r")


def test_connection_validation(glue):
    name = harness.uniq("bad")
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        glue.create_connection(ConnectionInput={
            "Name": name, "ConnectionType": "JDBC", "ConnectionProperties": {"NOT_A_KEY": "x"}})
    assert ei.value.response["Error"]["Code"] == "InvalidInputException"
    with pytest.raises(glue.exceptions.InvalidInputException):
        glue.batch_delete_connection(ConnectionNameList=["c%d" % i for i in range(26)])
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_connection(Name=name)


def test_get_connections_filter_pagination_batch_delete(glue):
    prefix = harness.uniq("gc")
    names = ["%s_%d" % (prefix, i) for i in range(5)]
    for i, n in enumerate(names):
        glue.create_connection(ConnectionInput=conn_input(n, SECRET % n, ctype="JDBC" if i % 2 == 0 else "KAFKA",
                                                          criteria=["x"] if i < 2 else []))
    seen, token, pages = [], None, 0
    while True:
        kw = {"MaxResults": 2, "HidePassword": True}
        if token:
            kw["NextToken"] = token
        r = glue.get_connections(**kw)
        assert len(r["ConnectionList"]) <= 2
        assert all("PASSWORD" not in c["ConnectionProperties"] for c in r["ConnectionList"])
        seen += [c["Name"] for c in r["ConnectionList"]]
        pages += 1
        token = r.get("NextToken")
        if not token:
            break
    assert [n for n in seen if n.startswith(prefix)] == names and pages >= 3
    allc = {c["Name"]: c for c in glue.get_connections()["ConnectionList"]}
    assert allc[names[0]]["ConnectionProperties"]["PASSWORD"] == SECRET % names[0]
    kafka = [c["Name"] for c in glue.get_connections(Filter={"ConnectionType": "KAFKA"})["ConnectionList"]]
    assert [n for n in kafka if n.startswith(prefix)] == [names[1], names[3]]
    crit = [c["Name"] for c in glue.get_connections(Filter={"MatchCriteria": ["x"]})["ConnectionList"]]
    assert [n for n in crit if n.startswith(prefix)] == names[:2]
    r = glue.batch_delete_connection(ConnectionNameList=names + [prefix + "_missing"])
    assert sorted(r["Succeeded"]) == sorted(names)
    assert r["Errors"][prefix + "_missing"]["ErrorCode"] == "EntityNotFoundException"


def test_encryption_settings(glue, glue_server):
    s = glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]
    assert s["EncryptionAtRest"]["CatalogEncryptionMode"] == "DISABLED"
    cpe = s["ConnectionPasswordEncryption"]
    assert cpe["ReturnConnectionPasswordEncrypted"] is False
    assert cpe["AwsKmsKeyId"].startswith("propolis-master-key/")
    name = harness.uniq("enc")
    glue.create_connection(ConnectionInput=conn_input(name, SECRET % name))
    try:
        glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": "alias/x"},
            "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": True, "AwsKmsKeyId": "alias/y"}})
        s = glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]
        assert s["EncryptionAtRest"] == {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": "alias/x"}
        assert s["ConnectionPasswordEncryption"]["ReturnConnectionPasswordEncrypted"] is True
        assert s["ConnectionPasswordEncryption"]["AwsKmsKeyId"] == cpe["AwsKmsKeyId"]  # the truth stays
        props = glue.get_connection(Name=name)["Connection"]["ConnectionProperties"]
        assert "PASSWORD" not in props and props["ENCRYPTED_PASSWORD"] and SECRET % name not in props["ENCRYPTED_PASSWORD"]
        with pytest.raises(glue.exceptions.InvalidInputException):
            glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
                "EncryptionAtRest": {"CatalogEncryptionMode": "ROT13"}})
    finally:
        glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "DISABLED"},
            "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": False}})
        glue.delete_connection(ConnectionName=name)
    assert glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"][
        "ConnectionPasswordEncryption"]["ReturnConnectionPasswordEncrypted"] is False
