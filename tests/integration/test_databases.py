# tests/integration/test_databases.py — databases through the real server, over both
# transports: create/get/alter/drop with Hive's errors, the default database, patterns,
# case-insensitive names, @cat#db qualified names and name validation.

import pytest

from harness import T, uniq, make_table


def test_create_get_round_trip_and_server_sets_create_time(client, server):
    name = uniq("dbrt")
    client.create_database(T.Database(name=name, description="sales data",
                                      locationUri="file:///data/" + name,
                                      parameters={"k1": "v1", "owner.team": "x"},
                                      ownerName="bob", ownerType=T.PrincipalType.USER))
    got = client.get_database(name)
    assert got.name == name
    assert got.description == "sales data"
    assert got.locationUri == "file:///data/" + name
    assert got.parameters == {"k1": "v1", "owner.team": "x"}
    assert got.ownerName == "bob"
    assert got.ownerType == T.PrincipalType.USER
    assert got.catalogName == "hive"
    assert got.createTime and got.createTime > 1600000000
    req = client.get_database_req(T.GetDatabaseRequest(name=name, catalogName="hive"))
    assert req.name == name and req.parameters == got.parameters
    client.drop_database(name, True, False)
    with pytest.raises(T.NoSuchObjectException):
        client.get_database(name)


def test_default_location_is_under_warehouse(client, server):
    name = uniq("dbloc")
    client.create_database(T.Database(name=name, parameters={}))
    got = client.get_database(name)
    assert got.locationUri.rstrip("/") == server.warehouse.rstrip("/") + "/" + name + ".db"
    client.drop_database(name, True, False)


def test_duplicate_create_is_already_exists(client):
    name = uniq("dbdup")
    client.create_database(T.Database(name=name, parameters={}))
    with pytest.raises(T.AlreadyExistsException) as e:
        client.create_database(T.Database(name=name, parameters={}))
    assert name in e.value.message
    client.drop_database(name, True, False)


@pytest.mark.parametrize("bad", ["bad-name", "bad name", "bad.name", "ünï", "semi;colon"])
def test_invalid_database_name_is_invalid_object(client, bad):
    with pytest.raises(T.InvalidObjectException) as e:
        client.create_database(T.Database(name=bad, parameters={}))
    assert "is not a valid database name" in e.value.message
    assert bad not in client.get_all_databases()


def test_get_missing_database_is_no_such_object(client):
    with pytest.raises(T.NoSuchObjectException):
        client.get_database(uniq("nosuch"))
    with pytest.raises(T.NoSuchObjectException):
        client.get_database_req(T.GetDatabaseRequest(name=uniq("nosuch"), catalogName="hive"))


def test_names_are_case_insensitive_and_stored_lower_case(client):
    name = uniq("MiXeD").replace("mixed", "MiXeD")
    client.create_database(T.Database(name=name, parameters={}))
    lower = name.lower()
    assert lower in client.get_all_databases()
    assert name not in client.get_all_databases()
    assert client.get_database(name.upper()).name == lower
    assert client.get_database(lower).name == lower
    with pytest.raises(T.AlreadyExistsException):
        client.create_database(T.Database(name=lower, parameters={}))
    client.drop_database(name.upper(), True, False)
    assert lower not in client.get_all_databases()


def test_alter_database_changes_fields(client):
    name = uniq("dbalt")
    client.create_database(T.Database(name=name, description="before", parameters={"a": "1"}))
    db = client.get_database(name)
    db.description = "after"
    db.parameters = {"a": "2", "b": "3"}
    db.ownerName = "carol"
    db.ownerType = T.PrincipalType.ROLE
    client.alter_database(name, db)
    got = client.get_database(name)
    assert got.description == "after"
    assert got.parameters == {"a": "2", "b": "3"}
    assert got.ownerName == "carol"
    assert got.ownerType == T.PrincipalType.ROLE
    assert got.createTime == db.createTime
    client.drop_database(name, True, False)


def test_alter_missing_database_fails(client):
    name = uniq("dbnone")
    with pytest.raises((T.MetaException, T.NoSuchObjectException)):
        client.alter_database(name, T.Database(name=name, parameters={}))


def test_default_database_exists_and_cannot_be_dropped(client, server):
    d = client.get_database("default")
    assert d.name == "default"
    assert d.locationUri.rstrip("/") == server.warehouse.rstrip("/")
    assert "default" in client.get_all_databases()
    with pytest.raises(T.MetaException) as e:
        client.drop_database("default", True, True)
    assert "Can not drop default database" in e.value.message
    assert client.get_database("default").name == "default"


def test_drop_non_empty_database_refused_without_cascade(client):
    name = uniq("dbfull")
    client.create_database(T.Database(name=name, parameters={}))
    client.create_table(make_table(name, "t1"))
    with pytest.raises(T.InvalidOperationException) as e:
        client.drop_database(name, True, False)
    assert "is not empty" in e.value.message
    assert client.get_database(name).name == name
    assert client.get_all_tables(name) == ["t1"]
    client.drop_database(name, True, True)
    with pytest.raises(T.NoSuchObjectException):
        client.get_database(name)
    with pytest.raises(T.NoSuchObjectException):
        client.get_table_req(T.GetTableRequest(dbName=name, tblName="t1"))


def test_drop_database_with_function_refused_without_cascade(client):
    name = uniq("dbfn")
    client.create_database(T.Database(name=name, parameters={}))
    client.create_function(T.Function(functionName="f", dbName=name, className="x.F", ownerName="a",
                                      ownerType=T.PrincipalType.USER, createTime=0,
                                      functionType=T.FunctionType.JAVA, resourceUris=[]))
    with pytest.raises(T.InvalidOperationException):
        client.drop_database(name, True, False)
    client.drop_database(name, True, True)
    assert name not in client.get_all_databases()


def test_drop_missing_database_is_no_such_object(client):
    with pytest.raises(T.NoSuchObjectException):
        client.drop_database(uniq("dbmiss"), True, False)


def test_drop_database_req_cascade_and_ignore_unknown(client):
    name = uniq("dbreq")
    client.create_database(T.Database(name=name, parameters={}))
    client.create_table(make_table(name, "t"))
    with pytest.raises(T.InvalidOperationException):
        client.drop_database_req(T.DropDatabaseRequest(name=name, catalogName="hive", ignoreUnknownDb=False,
                                                       deleteData=True, cascade=False))
    client.drop_database_req(T.DropDatabaseRequest(name=name, catalogName="hive", ignoreUnknownDb=False,
                                                   deleteData=True, cascade=True))
    assert name not in client.get_all_databases()
    client.drop_database_req(T.DropDatabaseRequest(name=name, catalogName="hive", ignoreUnknownDb=True,
                                                   deleteData=True, cascade=True))
    with pytest.raises(T.NoSuchObjectException):
        client.drop_database_req(T.DropDatabaseRequest(name=name, catalogName="hive", ignoreUnknownDb=False,
                                                       deleteData=True, cascade=True))


def test_get_databases_patterns_star_and_pipe(client):
    tag = uniq("pat")
    names = [tag + "_alpha", tag + "_alps", tag + "_beta", tag + "_gamma"]
    for n in names:
        client.create_database(T.Database(name=n, parameters={}))
    try:
        assert client.get_databases(tag + "_al*") == [tag + "_alpha", tag + "_alps"]
        assert client.get_databases(tag + "_beta|" + tag + "_gam*") == [tag + "_beta", tag + "_gamma"]
        assert client.get_databases(tag.upper() + "_BETA") == [tag + "_beta"]
        assert client.get_databases(tag + "_al") == []  # a pattern matches the whole name
        assert client.get_databases(tag + "*") == sorted(names)
        everything = client.get_databases("*")
        assert set(names) <= set(everything) and "default" in everything
        assert everything == sorted(everything)
        assert set(client.get_all_databases()) == set(everything)
    finally:
        for n in names:
            client.drop_database(n, True, True)


def test_catalog_qualified_names(client):
    name = uniq("qual")
    client.create_database(T.Database(name=name, catalogName="hive", parameters={}))
    client.create_table(make_table(name, "qt"))
    try:
        assert client.get_databases("@hive#" + name) == [name]
        assert client.get_databases("@hive#" + name[:-3] + "*") == [name]
        assert client.get_all_tables("@hive#" + name) == ["qt"]
        assert client.get_tables("@hive#" + name, "*") == ["qt"]
        assert [f.name for f in client.get_fields("@hive#" + name, "qt")] == ["id", "name"]
        assert client.get_database_req(T.GetDatabaseRequest(name=name, catalogName="hive")).name == name
    finally:
        client.drop_database(name, True, True)
