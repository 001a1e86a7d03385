# tests/integration/test_functions.py — user-defined functions through the real server:
# create/get/alter/drop with Hive's errors, get_functions patterns, get_all_functions.

import pytest

from harness import T


def fn(db, name, cls="com.example.Udf", uris=None):
    return T.Function(functionName=name, dbName=db, className=cls, ownerName="alice",
                      ownerType=T.PrincipalType.USER, createTime=0, functionType=T.FunctionType.JAVA,
                      resourceUris=uris if uris is not None else
                      [T.ResourceUri(resourceType=T.ResourceType.JAR, uri="file:///jars/udf.jar"),
                       T.ResourceUri(resourceType=T.ResourceType.FILE, uri="s3://b/data.txt")],
                      catName="hive")


def test_function_round_trip(client, db):
    sent = fn(db, "My_Upper")
    client.create_function(sent)
    got = client.get_function(db, "my_upper")
    assert got.functionName == "my_upper"
    assert got.dbName == db
    assert got.className == sent.className
    assert got.ownerName == "alice" and got.ownerType == T.PrincipalType.USER
    assert got.functionType == T.FunctionType.JAVA
    assert got.resourceUris == sent.resourceUris
    assert got.createTime > 1600000000
    assert client.get_function(db, "MY_UPPER").functionName == "my_upper"


def test_duplicate_function_is_already_exists(client, db):
    client.create_function(fn(db, "dupf"))
    with pytest.raises(T.AlreadyExistsException):
        client.create_function(fn(db, "DUPF"))


def test_function_in_missing_database(client):
    with pytest.raises((T.NoSuchObjectException, T.InvalidObjectException)):
        client.create_function(fn("no_such_db_for_fn", "f"))


def test_invalid_function_name(client, db):
    with pytest.raises(T.InvalidObjectException):
        client.create_function(fn(db, "bad-name"))


def test_get_missing_function_is_no_such_object(client, db):
    with pytest.raises(T.NoSuchObjectException):
        client.get_function(db, "nothing")


def test_get_functions_patterns(client, db):
    for n in ("fa_one", "fa_two", "fb_one"):
        client.create_function(fn(db, n))
    assert client.get_functions(db, "fa*") == ["fa_one", "fa_two"]
    assert client.get_functions(db, "FB_ONE|fa_t*") == ["fa_two", "fb_one"]
    assert client.get_functions(db, "*") == ["fa_one", "fa_two", "fb_one"]
    assert client.get_functions(db, "fa") == []


def test_get_all_functions(client, db):
    client.create_function(fn(db, "every1"))
    funcs = client.get_all_functions().functions
    mine = [f for f in funcs if f.dbName == db]
    assert [f.functionName for f in mine] == ["every1"]
    assert mine[0].className == "com.example.Udf"


def test_alter_function(client, db):
    client.create_function(fn(db, "alt"))
    new = fn(db, "alt", cls="com.example.Better", uris=[])
    client.alter_function(db, "alt", new)
    got = client.get_function(db, "alt")
    assert got.className == "com.example.Better"
    assert got.resourceUris == []
    renamed = fn(db, "alt2", cls="com.example.Better")
    client.alter_function(db, "alt", renamed)
    assert client.get_functions(db, "alt*") == ["alt2"]
    with pytest.raises((T.InvalidOperationException, T.MetaException)):
        client.alter_function(db, "missing_fn", fn(db, "missing_fn"))


def test_drop_function(client, db):
    client.create_function(fn(db, "dropme"))
    client.drop_function(db, "DROPME")
    with pytest.raises(T.NoSuchObjectException):
        client.get_function(db, "dropme")
    with pytest.raises(T.NoSuchObjectException):
        client.drop_function(db, "dropme")
