# tests/integration/test_catalogs.py — issue 17: Hive 3+ catalogs through the generated Python
# client. create/get/alter/drop_catalog and get_catalogs with Hive's exceptions; a new catalog's
# `default` database; databases and tables living in a catalog (catName, "@cat#db") apart from
# the same names in `hive`; the administrators-only writes refused to other callers;
# get_metastore_db_uuid stable across calls and restarts; flushCache a no-op.

import re
import sys

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")

import harness  # noqa: E402
from harness import T, uniq, make_table  # noqa: E402
from test_permissions import perm_server  # noqa: E402,F401 — the fixture is used below
from test_req_methods import closed_world  # noqa: E402


@pytest.fixture(scope="module")
def world(perm_server):
    w = closed_world(perm_server)
    w.create_principal("catnobody")
    return w


@pytest.fixture
def admin(world):
    c = world.thrift("admin")
    yield c
    c.close()


def new_catalog(admin, name=None, description="a test catalog"):
    name = name or uniq("cat")
    admin.create_catalog(T.CreateCatalogRequest(catalog=T.Catalog(
        name=name, description=description, locationUri="file:///tmp/cats/" + name)))
    return name


def test_create_get_list_catalog(admin):
    name = new_catalog(admin)
    got = admin.get_catalog(T.GetCatalogRequest(name=name)).catalog
    assert (got.name, got.description, got.locationUri) == (name, "a test catalog", "file:///tmp/cats/" + name)
    assert got.createTime > 1600000000
    names = admin.get_catalogs().names
    assert "hive" in names and name in names and names == sorted(names)
    hive = admin.get_catalog(T.GetCatalogRequest(name="hive")).catalog
    assert hive.name == "hive" and hive.locationUri
    # Hive creates the catalog's default database at the catalog's location
    d = admin.get_database_req(T.GetDatabaseRequest(name="default", catalogName=name))
    assert d.catalogName == name and d.locationUri == "file:///tmp/cats/" + name
    admin.drop_catalog(T.DropCatalogRequest(name=name))


def test_catalog_errors(admin):
    name = new_catalog(admin)
    with pytest.raises(T.AlreadyExistsException):
        new_catalog(admin, name)
    with pytest.raises(T.InvalidObjectException):
        new_catalog(admin, "bad-name")
    with pytest.raises(T.InvalidObjectException):
        admin.create_catalog(T.CreateCatalogRequest(catalog=T.Catalog(name=uniq("noloc"))))
    with pytest.raises(T.NoSuchObjectException):
        admin.get_catalog(T.GetCatalogRequest(name=uniq("missing")))
    with pytest.raises(T.NoSuchObjectException):
        admin.drop_catalog(T.DropCatalogRequest(name=uniq("missing")))
    with pytest.raises(T.NoSuchObjectException):
        admin.alter_catalog(T.AlterCatalogRequest(name=uniq("missing"), newCat=T.Catalog(
            name=None, locationUri="file:///x")))
    with pytest.raises(T.MetaException):
        admin.drop_catalog(T.DropCatalogRequest(name="hive"))
    # Hive's create_database converts the missing catalog into InvalidObjectException
    with pytest.raises(T.InvalidObjectException):
        admin.create_database_req(T.CreateDatabaseRequest(databaseName=uniq("x"), catalogName=uniq("nocat")))
    admin.drop_catalog(T.DropCatalogRequest(name=name))


def test_alter_catalog(admin):
    name = new_catalog(admin)
    admin.alter_catalog(T.AlterCatalogRequest(name=name, newCat=T.Catalog(
        name=name, description="new words", locationUri="file:///tmp/cats/moved")))
    got = admin.get_catalog(T.GetCatalogRequest(name=name)).catalog
    assert (got.description, got.locationUri) == ("new words", "file:///tmp/cats/moved")
    with pytest.raises(T.InvalidOperationException):
        admin.alter_catalog(T.AlterCatalogRequest(name=name, newCat=T.Catalog(
            name=uniq("renamed"), locationUri="file:///tmp/cats/moved")))
    admin.drop_catalog(T.DropCatalogRequest(name=name))


def test_objects_live_in_their_catalog(admin):
    cat = new_catalog(admin)
    db = uniq("catdb")
    admin.create_database(T.Database(name=db, parameters={}, catalogName=cat))
    admin.create_database(T.Database(name=db, parameters={}, description="the hive one"))
    t = make_table(db, "t")
    t.catName = cat
    admin.create_table(t)
    assert admin.get_table("@%s#%s" % (cat, db), "t").catName == cat
    got = admin.get_table_req(T.GetTableRequest(dbName=db, tblName="t", catName=cat)).table
    assert got.catName == cat
    with pytest.raises(T.NoSuchObjectException):
        admin.get_table(db, "t")  # not in catalog hive
    assert admin.get_database(db).description == "the hive one"
    assert db in admin.get_databases("@%s#*" % cat)
    assert "default" in admin.get_databases("@%s#" % cat)
    fields = admin.get_fields_req(T.GetFieldsRequest(catName=cat, dbName=db, tblName="t")).fields
    assert [f.name for f in fields] == ["id", "name"]
    # a catalog with databases in it is not dropped
    with pytest.raises(T.InvalidOperationException):
        admin.drop_catalog(T.DropCatalogRequest(name=cat))
    admin.drop_table_req(T.DropTableRequest(catalogName=cat, dbName=db, tableName="t"))
    admin.drop_database_req(T.DropDatabaseRequest(name=db, catalogName=cat, deleteData=False, cascade=False,
                                                  ignoreUnknownDb=False))
    admin.drop_catalog(T.DropCatalogRequest(name=cat))
    with pytest.raises(T.NoSuchObjectException):
        admin.get_catalog(T.GetCatalogRequest(name=cat))
    assert cat not in admin.get_catalogs().names
    assert admin.get_database(db).description == "the hive one"
    admin.drop_database(db, False, False)


def test_catalog_writes_are_for_administrators(world, admin):
    nobody = world.thrift("catnobody")
    name = new_catalog(admin)
    calls = [
        lambda: nobody.create_catalog(T.CreateCatalogRequest(catalog=T.Catalog(
            name=uniq("nope"), locationUri="file:///tmp/cats/nope"))),
        lambda: nobody.alter_catalog(T.AlterCatalogRequest(name=name, newCat=T.Catalog(
            name=name, description="hijacked", locationUri="file:///tmp/cats/h"))),
        lambda: nobody.drop_catalog(T.DropCatalogRequest(name=name)),
    ]
    for call in calls:
        with pytest.raises(T.MetaException) as e:
            call()
        assert "only data lake administrators may" in e.value.message
    got = admin.get_catalog(T.GetCatalogRequest(name=name)).catalog
    assert got.description == "a test catalog"
    # reads are open: names and locations, no data (databases stay filtered)
    assert name in nobody.get_catalogs().names
    assert nobody.get_catalog(T.GetCatalogRequest(name=name)).catalog.name == name
    assert nobody.get_databases("@%s#*" % name) == []
    # Lake Formation's closed defaults hold in a new catalog too: nobody may not create databases there
    with pytest.raises(T.MetaException) as e:
        nobody.create_database_req(T.CreateDatabaseRequest(databaseName=uniq("nope"), catalogName=name))
    assert "Insufficient Lake Formation permission" in e.value.message
    nobody.close()
    admin.drop_catalog(T.DropCatalogRequest(name=name))


def test_metastore_db_uuid_is_stable_and_flush_cache_is_a_noop(pg, start_server, tmp_path):
    url = pg.create_database("propolis_uuid")
    args = ["--database", url, "--warehouse", "file://" + str(tmp_path / "wh")]
    srv = start_server(args)
    c = harness.connect(srv.port)
    first = c.get_metastore_db_uuid()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", first)
    assert c.get_metastore_db_uuid() == first
    c.flushCache()
    assert c.get_all_databases() == ["default"]
    c.close()
    srv.stop()
    srv2 = start_server(args)
    c = harness.connect(srv2.port)
    assert c.get_metastore_db_uuid() == first
    c.close()
    other = start_server(["--database", pg.create_database("propolis_uuid2"),
                          "--warehouse", "file://" + str(tmp_path / "wh2")])
    c = harness.connect(other.port)
    assert c.get_metastore_db_uuid() != first
    c.close()


def test_glue_catalog_id_selects_the_catalog(world, admin):
    from test_permissions import ACCOUNT
    glue = world.client("glue", "admin")
    cat = new_catalog(admin)
    cid = "%s:%s" % (ACCOUNT, cat)
    db = uniq("gluecat")
    glue.create_database(CatalogId=cid, DatabaseInput={"Name": db, "Description": "in " + cat})
    got = glue.get_database(CatalogId=cid, Name=db)["Database"]
    assert got["CatalogId"] == cid and got["Description"] == "in " + cat
    assert admin.get_database_req(T.GetDatabaseRequest(name=db, catalogName=cat)).catalogName == cat
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name=db)  # the account id alone is catalog hive
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(CatalogId=ACCOUNT, Name=db)
    names = [d["Name"] for d in glue.get_databases(CatalogId=cid)["DatabaseList"]]
    assert sorted(names) == sorted(["default", db])
    glue.create_table(CatalogId=cid, DatabaseName=db, TableInput={"Name": "t", "StorageDescriptor": {
        "Columns": [{"Name": "id", "Type": "bigint"}], "Location": "file:///tmp/cats/t"}})
    assert glue.get_table(CatalogId=cid, DatabaseName=db, Name="t")["Table"]["CatalogId"] == cid
    assert admin.get_table_req(T.GetTableRequest(dbName=db, tblName="t", catName=cat)).table.tableName == "t"
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(CatalogId="111122223333", Name=db)  # another account's catalog
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(CatalogId="%s:%s" % (ACCOUNT, uniq("nocat")), Name=db)
    glue.delete_table(CatalogId=cid, DatabaseName=db, Name="t")
    glue.delete_database(CatalogId=cid, Name=db)
    admin.drop_catalog(T.DropCatalogRequest(name=cat))


def test_lake_formation_grants_per_catalog(world, admin):
    from test_permissions import ACCOUNT
    lf = world.client("lakeformation", "admin")
    world.create_principal("catgrantee")
    who = {"DataLakePrincipalIdentifier": world.arns["catgrantee"]}
    cat = new_catalog(admin)
    cid = "%s:%s" % (ACCOUNT, cat)
    me = world.thrift("catgrantee")
    with pytest.raises(T.MetaException):
        me.create_database_req(T.CreateDatabaseRequest(databaseName=uniq("g"), catalogName=cat))
    # CREATE_DATABASE on the Catalog resource of CatalogId "<account>:<cat>" opens that catalog only
    lf.grant_permissions(CatalogId=cid, Principal=who, Resource={"Catalog": {}}, Permissions=["CREATE_DATABASE"])
    db = uniq("granted")
    me.create_database_req(T.CreateDatabaseRequest(databaseName=db, catalogName=cat))
    with pytest.raises(T.MetaException) as e:
        me.create_database_req(T.CreateDatabaseRequest(databaseName=uniq("g")))
    assert "Insufficient Lake Formation permission" in e.value.message
    # a database grant through CatalogId "<account>:<cat>"
    other = uniq("other")
    admin.create_database(T.Database(name=other, parameters={}, catalogName=cat))
    with pytest.raises(T.MetaException):
        me.get_database_req(T.GetDatabaseRequest(name=other, catalogName=cat))
    lf.grant_permissions(Principal=who, Resource={"Database": {"CatalogId": cid, "Name": other}},
                         Permissions=["DESCRIBE"])
    assert me.get_database_req(T.GetDatabaseRequest(name=other, catalogName=cat)).name == other
    with pytest.raises(lf.exceptions.EntityNotFoundException):
        lf.grant_permissions(CatalogId="%s:%s" % (ACCOUNT, uniq("nocat")), Principal=who, Resource={"Catalog": {}},
                             Permissions=["CREATE_DATABASE"])
    me.close()
    admin.drop_database_req(T.DropDatabaseRequest(name=other, catalogName=cat, deleteData=False, cascade=True,
                                                  ignoreUnknownDb=False))
    admin.drop_database_req(T.DropDatabaseRequest(name=db, catalogName=cat, deleteData=False, cascade=True,
                                                  ignoreUnknownDb=False))
    admin.drop_catalog(T.DropCatalogRequest(name=cat))


def test_lake_formation_lists_one_catalogs_grants(world, admin):
    from test_permissions import ACCOUNT
    lf = world.client("lakeformation", "admin")
    world.create_principal("catlister")
    who = {"DataLakePrincipalIdentifier": world.arns["catlister"]}
    cat = new_catalog(admin)
    cid = "%s:%s" % (ACCOUNT, cat)
    db = uniq("listed")
    admin.create_database(T.Database(name=db, parameters={}, catalogName=cat))
    lf.grant_permissions(Principal=who, Resource={"Database": {"CatalogId": cid, "Name": db}},
                         Permissions=["DESCRIBE"])
    got = lf.list_permissions(CatalogId=cid, Principal=who)["PrincipalResourcePermissions"]
    assert [(g["Resource"]["Database"]["CatalogId"], g["Resource"]["Database"]["Name"]) for g in got] == [(cid, db)]
    assert lf.list_permissions(Principal=who)["PrincipalResourcePermissions"] == []  # catalog hive: none
    got = lf.list_permissions(Resource={"Database": {"CatalogId": cid, "Name": db}})["PrincipalResourcePermissions"]
    assert any(g["Principal"] == who for g in got)
    lf.revoke_permissions(Principal=who, Resource={"Database": {"CatalogId": cid, "Name": db}},
                          Permissions=["DESCRIBE"])
    assert lf.list_permissions(CatalogId=cid, Principal=who)["PrincipalResourcePermissions"] == []
    admin.drop_database_req(T.DropDatabaseRequest(name=db, catalogName=cat, deleteData=False, cascade=True,
                                                  ignoreUnknownDb=False))
    admin.drop_catalog(T.DropCatalogRequest(name=cat))
