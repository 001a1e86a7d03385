# tests/integration/test_table_reply.py — get_table and get_table_req answered from kept
# encodings (server/thrift/table_reply.c) must always be the stored row: after writes on this
# server or another one sharing the database, after drop + recreate under the same name, after
# a rename, and the trimmed table for a caller who sees only some columns.

import pytest

import harness
from harness import T

from test_permissions import world, perm_server, grant  # noqa: F401  (module fixtures)


def mk(db, name, *colnames, params=None):
    t = harness.make_table(db, name, params=params or {"p": "1"})
    t.sd.cols = [T.FieldSchema(name=c, type="string", comment=None) for c in colnames]
    return t


def colnames(t):
    return [c.name for c in t.sd.cols]


@pytest.fixture
def second(server, start_server):
    """Another server on the shared server's database, as transient clusters share one PostgreSQL."""
    url = [a for i, a in enumerate(server.args) if i and server.args[i - 1] == "--database"][0]
    return start_server(["--database", url, "--warehouse", server.warehouse])


def test_get_table_and_req_are_the_same_table(bclient, db):
    bclient.create_table(mk(db, "same", "a", "b"))
    first = bclient.get_table(db, "same")
    again = bclient.get_table(db, "SAME")  # names are case-insensitive; kept under the asked name
    req = bclient.get_table_req(T.GetTableRequest(dbName=db, tblName="same")).table
    req2 = bclient.get_table_req(T.GetTableRequest(dbName=db, tblName="same", catName="hive")).table
    assert first == again == req == req2
    assert colnames(first) == ["a", "b"] and first.parameters["p"] == "1"


def test_writes_on_another_server_are_seen_at_once(bclient, db, second):
    bclient.create_table(mk(db, "shared", "a"))
    assert colnames(bclient.get_table(db, "shared")) == ["a"]
    assert colnames(bclient.get_table(db, "shared")) == ["a"]  # now kept on this server
    with harness.connect(second.port) as other:
        t = other.get_table(db, "shared")
        t.sd.cols.append(T.FieldSchema(name="b", type="int"))
        t.parameters["p"] = "2"
        other.alter_table(db, "shared", t)
    got = bclient.get_table(db, "shared")
    assert colnames(got) == ["a", "b"] and got.parameters["p"] == "2"
    assert bclient.get_table_req(T.GetTableRequest(dbName=db, tblName="shared")).table == got

    # dropped and created again under the same name (version 1 again, new row): the new table
    with harness.connect(second.port) as other:
        other.drop_table(db, "shared", True)
        other.create_table(mk(db, "shared", "z", params={"p": "fresh"}))
    got = bclient.get_table(db, "shared")
    assert colnames(got) == ["z"] and got.parameters["p"] == "fresh"


def test_rename_and_drop_are_seen(bclient, db, second):
    bclient.create_table(mk(db, "old_name", "a"))
    bclient.get_table(db, "old_name")
    with harness.connect(second.port) as other:
        t = other.get_table(db, "old_name")
        t.tableName = "new_name"
        other.alter_table(db, "old_name", t)
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_table(db, "old_name")
    assert bclient.get_table(db, "new_name").tableName == "new_name"
    with harness.connect(second.port) as other:
        other.drop_table(db, "new_name", True)
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_table(db, "new_name")
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_table_req(T.GetTableRequest(dbName=db, tblName="new_name"))


def test_errors_are_the_declared_exceptions(bclient, db):
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_table(db, "never_created")
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_table("no_such_db_here", "t")
    with pytest.raises((T.MetaException, T.NoSuchObjectException)) as e:
        bclient.get_table(db, None)
    assert "cannot be null" in str(e.value)
    # the connection is still in step after each error
    bclient.create_table(mk(db, "after", "a"))
    assert bclient.get_table(db, "after").tableName == "after"


def test_column_restricted_caller_never_gets_the_kept_whole_table(world):  # noqa: F811
    """bob sees only id and name of sales.customers; the admin's kept whole table must not leak."""
    admin = world.thrift("admin")
    bob = world.thrift("bob")
    try:
        for _ in range(2):
            whole = admin.get_table("sales", "customers")
            assert colnames(whole) == ["id", "name", "ssn"]
            trimmed = bob.get_table("sales", "customers")
            assert colnames(trimmed) == ["id", "name"]
            req = bob.get_table_req(T.GetTableRequest(dbName="sales", tblName="customers")).table
            assert colnames(req) == ["id", "name"]
        assert colnames(admin.get_table("sales", "customers")) == ["id", "name", "ssn"]
    finally:
        admin.close()
        bob.close()
