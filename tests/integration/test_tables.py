# tests/integration/test_tables.py — tables through the real server: lossless round trip,
# server-set times and locations, the listing calls, alter (rename, partition keys,
# Iceberg's conditional commit), drop, truncate, get_fields/get_schema, constraints.

import time

import pytest

from harness import T, uniq, cols, make_table

DDL_TIME = "transient_lastDdlTime"


def get(c, db, name):
    return c.get_table_req(T.GetTableRequest(dbName=db, tblName=name, catName="hive")).table


def full_table(db, name):
    """A table with every field a Hive client sends filled with something distinctive."""
    t = make_table(db, name, partition_keys=cols(("ds", "string", "day"), ("hr", "int", "")),
                   params={"comment": "all fields", "EXTERNAL": "FALSE", "k": "v with spaces = ;"},
                   location="file:///custom/place/" + name,
                   columns=cols(("id", "bigint", "the id"), ("payload", "map<string,array<int>>", "nested"),
                                ("note", "string", "a note")))
    t.owner = "alice"
    t.ownerType = T.PrincipalType.ROLE
    t.lastAccessTime = 1700000001
    t.retention = 7
    t.sd.compressed = True
    t.sd.numBuckets = 4
    t.sd.bucketCols = ["id"]
    t.sd.sortCols = [T.Order(col="id", order=1), T.Order(col="note", order=0)]
    t.sd.parameters = {"sdk": "sdv"}
    t.sd.serdeInfo = T.SerDeInfo(name="myserde", serializationLib="org.example.Serde",
                                 parameters={"field.delim": ",", "escape.delim": "\\"})
    t.sd.skewedInfo = T.SkewedInfo(skewedColNames=["note"], skewedColValues=[["a"], ["b"]],
                                   skewedColValueLocationMaps={})
    t.sd.storedAsSubDirectories = True
    t.temporary = False
    t.rewriteEnabled = False
    return t


def assert_same_table(got, sent, ignore_params=(DDL_TIME,)):
    for field in ("tableName", "dbName", "owner", "ownerType", "lastAccessTime", "retention",
                  "partitionKeys", "viewOriginalText", "viewExpandedText", "tableType", "catName"):
        assert getattr(got, field) == getattr(sent, field), field
    assert got.sd == sent.sd
    gp = {k: v for k, v in got.parameters.items() if k not in ignore_params}
    sp = {k: v for k, v in sent.parameters.items() if k not in ignore_params}
    assert gp == sp


def test_lossless_round_trip_of_every_field(bclient, db):
    sent = full_table(db, "full")
    before = int(time.time())
    bclient.create_table(sent)
    got = get(bclient, db, "full")
    assert_same_table(got, sent)
    assert before - 5 <= got.createTime <= int(time.time()) + 5, "createTime is set by the server"
    assert int(got.parameters[DDL_TIME]) >= before - 5


def test_unset_column_comment_stays_unset(bclient, db):
    # A Java client leaves FieldSchema.comment null; it must come back null, not "".
    bclient.create_table(make_table(db, "nocomment", columns=cols(("a", "int")),
                                    partition_keys=cols(("p", "string"))))
    got = get(bclient, db, "nocomment")
    assert got.sd.cols[0].comment is None
    assert got.partitionKeys[0].comment is None


def test_create_time_from_client_is_ignored(bclient, db):
    t = make_table(db, "ct")
    t.createTime = 12345
    bclient.create_table(t)
    assert get(bclient, db, "ct").createTime > 1600000000


def test_client_ddl_time_is_kept(bclient, db):
    t = make_table(db, "ddl", params={DDL_TIME: "1111"})
    bclient.create_table(t)
    assert get(bclient, db, "ddl").parameters[DDL_TIME] == "1111"


def test_create_variants_and_legacy_get(bclient, db):
    bclient.create_table_with_environment_context(make_table(db, "viaenv"),
                                                  T.EnvironmentContext(properties={"x": "y"}))
    bclient.create_table_req(T.CreateTableRequest(table=make_table(db, "viareq")))
    assert bclient.get_all_tables(db) == ["viaenv", "viareq"]
    # Spark 2.3 / Trino fall back to the legacy calls.
    assert bclient.get_table(db, "viaenv").tableName == "viaenv"
    objs = bclient.get_table_objects_by_name(db, ["viareq", "missing", "viaenv"])
    assert sorted(t.tableName for t in objs) == ["viaenv", "viareq"]


def test_default_location_under_database_location(bclient, db):
    bclient.create_table(make_table(db, "Managed_T"))
    d = bclient.get_database(db)
    got = get(bclient, db, "managed_t")
    assert got.tableName == "managed_t"
    assert got.sd.location.rstrip("/") == d.locationUri.rstrip("/") + "/managed_t"


def test_duplicate_table_is_already_exists(bclient, db):
    bclient.create_table(make_table(db, "dup"))
    with pytest.raises(T.AlreadyExistsException):
        bclient.create_table(make_table(db, "DUP"))


def test_table_in_missing_database_fails(bclient):
    with pytest.raises((T.NoSuchObjectException, T.InvalidObjectException)):
        bclient.create_table(make_table(uniq("nodb"), "t"))


@pytest.mark.parametrize("bad", ["bad-name", "bad name", "x.y"])
def test_invalid_table_name_is_invalid_object(bclient, db, bad):
    with pytest.raises(T.InvalidObjectException):
        bclient.create_table(make_table(db, bad))
    assert bclient.get_all_tables(db) == []


def test_missing_table_is_no_such_object(bclient, db):
    with pytest.raises(T.NoSuchObjectException):
        get(bclient, db, "nope")


def test_views_have_no_location_and_keep_texts(bclient, db):
    from harness import make_view
    bclient.create_table(make_table(db, "base"))
    v = make_view(db, "v1", "select * from base", "select `base`.`id`, `base`.`name` from `%s`.`base`" % db)
    bclient.create_table(v)
    got = get(bclient, db, "v1")
    assert got.tableType == "VIRTUAL_VIEW"
    assert not got.sd.location
    assert got.viewOriginalText == v.viewOriginalText
    assert got.viewExpandedText == v.viewExpandedText
    assert [(c.name, c.type) for c in got.sd.cols] == [(c.name, c.type) for c in v.sd.cols]


def test_listing_calls(bclient, db):
    from harness import make_view
    bclient.create_table(make_table(db, "sales_2023", params={"comment": "old sales", "kind": "a"}))
    bclient.create_table(make_table(db, "sales_2024", params={"kind": "b"}, owner="bob"))
    ext = make_table(db, "ext_t", table_type="EXTERNAL_TABLE",
                     params={"EXTERNAL": "TRUE", "table_type": "ICEBERG"}, location="s3://b/ext")
    bclient.create_table(ext)
    bclient.create_table(make_view(db, "sales_v", "select 1", "select 1"))

    assert bclient.get_all_tables(db) == ["ext_t", "sales_2023", "sales_2024", "sales_v"]
    assert bclient.get_tables(db, "sales*") == ["sales_2023", "sales_2024", "sales_v"]
    assert bclient.get_tables(db, "SALES_2023|ext*") == ["ext_t", "sales_2023"]
    assert bclient.get_tables(db, "*") == bclient.get_all_tables(db)
    assert bclient.get_tables_by_type(db, "*", "VIRTUAL_VIEW") == ["sales_v"]
    assert bclient.get_tables_by_type(db, "sales*", "MANAGED_TABLE") == ["sales_2023", "sales_2024"]
    assert bclient.get_tables_by_type(db, ".*", "EXTERNAL_TABLE") == ["ext_t"]

    metas = bclient.get_table_meta(db, "sales*", ["MANAGED_TABLE"])
    assert sorted((m.dbName, m.tableName, m.tableType) for m in metas) == \
        [(db, "sales_2023", "MANAGED_TABLE"), (db, "sales_2024", "MANAGED_TABLE")]
    all_metas = bclient.get_table_meta(db, "*", [])
    assert len(all_metas) == 4

    f = bclient.get_table_names_by_filter
    assert f(db, 'hive_filter_field_params__kind = "b"', -1) == ["sales_2024"]
    assert f(db, 'hive_filter_field_params__table_type like "ICEBERG"', -1) == ["ext_t"]
    assert f(db, 'hive_filter_field_owner__ = "bob"', -1) == ["sales_2024"]
    assert sorted(f(db, 'hive_filter_field_tableName__ like "(?i)SALES_20.*"', -1)) == \
        ["sales_2023", "sales_2024"]

    objs = bclient.get_table_objects_by_name_req(
        T.GetTablesRequest(dbName=db, tblNames=["sales_2024", "nothere", "ext_t"], catName="hive")).tables
    assert sorted(t.tableName for t in objs) == ["ext_t", "sales_2024"]
    assert {t.tableName: t.sd.location for t in objs}["ext_t"] == "s3://b/ext"


def test_table_meta_comments_come_from_the_comment_parameter(bclient, db):
    bclient.create_table(make_table(db, "commented", params={"comment": "old sales"}))
    bclient.create_table(make_table(db, "plain"))
    metas = bclient.get_table_meta(db, "*", ["MANAGED_TABLE"])
    assert {m.tableName: m.comments for m in metas} == {"commented": "old sales", "plain": None}
    assert all(m.catName == "hive" for m in metas)


def test_alter_rename_keeps_everything(bclient, db):
    sent = full_table(db, "old_name")
    sent.sd.location = None  # a managed table at its default location
    sent.partitionKeys = []
    bclient.create_table(sent)
    before = get(bclient, db, "old_name")
    renamed = get(bclient, db, "old_name")
    renamed.tableName = "new_name"
    bclient.alter_table(db, "old_name", renamed)
    with pytest.raises(T.NoSuchObjectException):
        get(bclient, db, "old_name")
    got = get(bclient, db, "new_name")
    assert got.sd.cols == before.sd.cols
    assert got.sd.serdeInfo == before.sd.serdeInfo
    assert got.sd.skewedInfo == before.sd.skewedInfo
    assert got.owner == before.owner
    assert got.createTime == before.createTime
    assert {k: v for k, v in got.parameters.items() if k != DDL_TIME} == \
        {k: v for k, v in before.parameters.items() if k != DDL_TIME}
    # Hive moves a managed table that sits at its default path.
    assert got.sd.location.rstrip("/").endswith("/new_name")
    assert bclient.get_all_tables(db) == ["new_name"]


def test_alter_rename_to_existing_is_invalid_operation(bclient, db):
    bclient.create_table(make_table(db, "a"))
    bclient.create_table(make_table(db, "b"))
    t = get(bclient, db, "a")
    t.tableName = "b"
    with pytest.raises(T.InvalidOperationException):
        bclient.alter_table(db, "a", t)
    assert bclient.get_all_tables(db) == ["a", "b"]


def test_alter_missing_table_is_invalid_operation(bclient, db):
    with pytest.raises(T.InvalidOperationException):
        bclient.alter_table(db, "ghost", make_table(db, "ghost"))


def test_alter_changes_columns_and_params(bclient, db):
    bclient.create_table(make_table(db, "chg"))
    t = get(bclient, db, "chg")
    t.sd.cols.append(T.FieldSchema(name="added", type="double", comment="new"))
    t.parameters["p"] = "q"
    bclient.alter_table_with_environment_context(db, "chg", t, T.EnvironmentContext(properties={}))
    got = get(bclient, db, "chg")
    assert [c.name for c in got.sd.cols] == ["id", "name", "added"]
    assert got.parameters["p"] == "q"
    t2 = get(bclient, db, "chg")
    t2.parameters["r"] = "s"
    bclient.alter_table_with_cascade(db, "chg", t2, False)
    bclient.alter_table_req(T.AlterTableRequest(catName="hive", dbName=db, tableName="chg", table=get(bclient, db, "chg")))
    assert get(bclient, db, "chg").parameters["r"] == "s"


def test_partition_key_change_refused(bclient, db):
    bclient.create_table(make_table(db, "pt", partition_keys=cols(("ds", "string"))))
    t = get(bclient, db, "pt")
    t.partitionKeys = cols(("ds", "string"), ("hr", "int"))
    with pytest.raises(T.InvalidOperationException) as e:
        bclient.alter_table(db, "pt", t)
    assert "partition keys can not be changed" in e.value.message
    assert [k.name for k in get(bclient, db, "pt").partitionKeys] == ["ds"]


def test_iceberg_conditional_alter(bclient, db):
    params = {"EXTERNAL": "TRUE", "table_type": "ICEBERG", "metadata_location": "s3://b/m/v1.json"}
    bclient.create_table(make_table(db, "ice", table_type="EXTERNAL_TABLE", params=params, location="s3://b/ice"))

    def commit(expected, new_location):
        t = get(bclient, db, "ice")
        t.parameters["previous_metadata_location"] = t.parameters["metadata_location"]
        t.parameters["metadata_location"] = new_location
        env = T.EnvironmentContext(properties={"DO_NOT_UPDATE_STATS": "true",
                                               "expected_parameter_key": "metadata_location",
                                               "expected_parameter_value": expected})
        bclient.alter_table_with_environment_context(db, "ice", t, env)

    commit("s3://b/m/v1.json", "s3://b/m/v2.json")
    assert get(bclient, db, "ice").parameters["metadata_location"] == "s3://b/m/v2.json"
    with pytest.raises(T.MetaException) as e:
        commit("s3://b/m/v1.json", "s3://b/m/v3.json")  # a stale base: someone else committed v2
    # Hive 4's exact text (HiveAlterHandler, "was value was" sic): Iceberg matches its prefix and retries.
    assert e.value.message == ("The table has been modified. The parameter value for key 'metadata_location' is "
                               "'s3://b/m/v2.json'. The expected was value was 's3://b/m/v1.json'")
    assert get(bclient, db, "ice").parameters["metadata_location"] == "s3://b/m/v2.json"


def test_drop_table(bclient, db):
    bclient.create_table(make_table(db, "gone"))
    bclient.drop_table(db, "gone", True)
    with pytest.raises(T.NoSuchObjectException):
        get(bclient, db, "gone")
    with pytest.raises(T.NoSuchObjectException):
        bclient.drop_table(db, "gone", True)
    bclient.create_table(make_table(db, "gone2"))
    bclient.drop_table_with_environment_context(db, "GONE2", True, T.EnvironmentContext(properties={"ifPurge": "TRUE"}))
    assert bclient.get_all_tables(db) == []


def test_truncate_table(bclient, db):
    bclient.create_table(make_table(db, "tr"))
    bclient.truncate_table(db, "tr", None)
    assert get(bclient, db, "tr").tableName == "tr"
    with pytest.raises(T.MetaException):
        bclient.truncate_table(db, "missing_tr", None)


def test_get_fields_and_schema(bclient, db):
    bclient.create_table(make_table(db, "fs", partition_keys=cols(("ds", "string", "day"))))
    fields = bclient.get_fields(db, "fs")
    assert [(f.name, f.type) for f in fields] == [("id", "bigint"), ("name", "string")]
    assert fields[0].comment == "the id"
    schema = bclient.get_schema(db, "fs")
    assert [f.name for f in schema] == ["id", "name", "ds"]
    env = T.EnvironmentContext(properties={})
    assert bclient.get_fields_with_environment_context(db, "fs", env) == fields
    assert bclient.get_schema_with_environment_context(db, "fs", env) == schema
    with pytest.raises((T.UnknownTableException, T.MetaException, T.NoSuchObjectException)):
        bclient.get_fields(db, "nofs")


def test_create_table_with_constraints(bclient, db):
    parent = make_table(db, "parent")
    child = make_table(db, "child", columns=cols(("id", "bigint"), ("parent_id", "bigint"), ("code", "string")))
    pk = T.SQLPrimaryKey(table_db=db, table_name="parent", column_name="id", key_seq=1, pk_name="parent_pk",
                         enable_cstr=False, validate_cstr=False, rely_cstr=True, catName="hive")
    bclient.create_table_with_constraints(parent, [pk], [], [], [], [], [])
    fk = T.SQLForeignKey(pktable_db=db, pktable_name="parent", pkcolumn_name="id", fktable_db=db,
                         fktable_name="child", fkcolumn_name="parent_id", key_seq=1, update_rule=0,
                         delete_rule=0, fk_name="child_fk", pk_name="parent_pk", enable_cstr=False,
                         validate_cstr=False, rely_cstr=False, catName="hive")
    uk = T.SQLUniqueConstraint(catName="hive", table_db=db, table_name="child", column_name="code", key_seq=1,
                               uk_name="child_uk", enable_cstr=False, validate_cstr=False, rely_cstr=False)
    nn = T.SQLNotNullConstraint(catName="hive", table_db=db, table_name="child", column_name="id",
                                nn_name="child_nn", enable_cstr=True, validate_cstr=False, rely_cstr=False)
    bclient.create_table_with_constraints(child, [], [fk], [uk], [nn], [], [])

    pks = bclient.get_primary_keys(T.PrimaryKeysRequest(db_name=db, tbl_name="parent", catName="hive")).primaryKeys
    assert [(p.column_name, p.key_seq, p.pk_name, p.rely_cstr) for p in pks] == [("id", 1, "parent_pk", True)]
    fks = bclient.get_foreign_keys(T.ForeignKeysRequest(parent_db_name=db, parent_tbl_name="parent",
                                                        foreign_db_name=db, foreign_tbl_name="child",
                                                        catName="hive")).foreignKeys
    assert [(f.fk_name, f.fkcolumn_name, f.pkcolumn_name, f.pktable_name) for f in fks] == \
        [("child_fk", "parent_id", "id", "parent")]
    uks = bclient.get_unique_constraints(T.UniqueConstraintsRequest(catName="hive", db_name=db,
                                                                    tbl_name="child")).uniqueConstraints
    assert [(u.uk_name, u.column_name) for u in uks] == [("child_uk", "code")]
    nns = bclient.get_not_null_constraints(T.NotNullConstraintsRequest(catName="hive", db_name=db,
                                                                       tbl_name="child")).notNullConstraints
    assert [(n.nn_name, n.column_name, n.enable_cstr) for n in nns] == [("child_nn", "id", True)]
    none = bclient.get_primary_keys(T.PrimaryKeysRequest(db_name=db, tbl_name="child", catName="hive")).primaryKeys
    assert not none
    assert [c.name for c in get(bclient, db, "child").sd.cols] == ["id", "parent_id", "code"]
