# tests/integration/test_column_trim.py — no hidden column name reaches a column-limited caller.
#
# Issue 15's setup, in Lake Formation-only mode (defaults closed): table t1 (id, name, ssn_secret,
# salary_secret; partition key ds) whose parameters, descriptor and SerDe name every column the
# ways engines write them (Hive's COLUMN_STATS_ACCURATE after column statistics on id and
# ssn_secret, Spark's split schema, Iceberg's current-schema, Avro's schema literal, SerDe
# columns/columns.types, bucket/sort/skewed columns, comments), one partition, an alter_table
# (versions, events); table t3 with a primary key on ssn_secret. Principal pcol holds SELECT on
# TableWithColumns(id, name) of t1 and t3 only. Every successful read by pcol, through every
# read method of both doors, is serialized (Thrift: repr of the reply; Glue: json.dumps) and
# must not contain "ssn_secret" or "salary_secret". The admin still sees everything.

import json
import re

import pytest

import harness  # noqa: F401
from harness import T
from test_permissions import World, grant, glue_denied, thrift_denied  # noqa: F401

boto3 = pytest.importorskip("boto3")

DB = "trimdb"
HIDDEN = re.compile("ssn_secret|salary_secret", re.IGNORECASE)
COLS = [("id", "bigint"), ("name", "string"), ("ssn_secret", "string"), ("salary_secret", "double")]
SCHEMA = json.dumps({"type": "struct", "fields": [
    {"name": n, "type": "long" if t == "bigint" else t, "nullable": True, "metadata": {}} for n, t in COLS]})
AVRO = json.dumps({"type": "record", "name": "t1", "fields": [{"name": n, "type": ["null", "string"]}
                                                              for n, _ in COLS]})
ICEBERG = json.dumps({"type": "struct", "schema-id": 0, "fields": [
    {"id": i + 1, "name": n, "required": False, "type": t} for i, (n, t) in enumerate(COLS)]})


@pytest.fixture(scope="module")
def trim_server(pg, tmp_path_factory):
    """A server with a trust-ugi Thrift listener and the HTTP door (as test_permissions')."""
    yield from harness.lf_server(pg, tmp_path_factory, "trim")


def fields():
    return [T.FieldSchema(name=n, type=t, comment="not like ssn_secret" if n == "name" else None) for n, t in COLS]


def table_t1():
    split = len(SCHEMA) // 2
    params = {"EXTERNAL": "TRUE",
              "spark.sql.sources.provider": "parquet",
              "spark.sql.sources.schema.numParts": "2",
              "spark.sql.sources.schema.part.0": SCHEMA[:split],
              "spark.sql.sources.schema.part.1": SCHEMA[split:],
              "spark.sql.sources.schema.numPartCols": "1",
              "spark.sql.sources.schema.partCol.0": "ds",
              "current-schema": ICEBERG,
              "metadata_location": "file:///tmp/trim/t1/metadata/00001.metadata.json",
              "my.tool.schema": json.dumps({"fields": [{"name": "id"}]}),
              "note": "ssn_secret is masked downstream",
              "comment": "keeps salary_secret",
              "write.metadata.metrics.column.ssn_secret": "none"}
    serde = T.SerDeInfo(name="t1", serializationLib="org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                        parameters={"columns": "id,name,ssn_secret,salary_secret",
                                    "columns.types": "bigint:string:string:double",
                                    "serialization.ddl": "struct t1 { i64 id, string name, string ssn_secret}",
                                    "avro.schema.literal": AVRO, "field.delim": ","})
    skew = T.SkewedInfo(skewedColNames=["ssn_secret"], skewedColValues=[["000"]],
                        skewedColValueLocationMaps={})
    sd = T.StorageDescriptor(cols=fields(), location="file:///tmp/trim/t1",
                             inputFormat="org.apache.hadoop.mapred.TextInputFormat",
                             outputFormat="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                             compressed=False, numBuckets=4, serdeInfo=serde, bucketCols=["ssn_secret", "id"],
                             sortCols=[T.Order(col="salary_secret", order=1), T.Order(col="id", order=1)],
                             parameters={"avro.schema.literal": AVRO}, skewedInfo=skew,
                             storedAsSubDirectories=False)
    return T.Table(tableName="t1", dbName=DB, owner="admin", sd=sd, tableType="EXTERNAL_TABLE",
                   partitionKeys=[T.FieldSchema(name="ds", type="string")], parameters=params,
                   viewOriginalText=None)


def stats(table, cols, part=None):
    objs = [T.ColumnStatisticsObj(colName=c, colType="string", statsData=T.ColumnStatisticsData(
        stringStats=T.StringColumnStatsData(maxColLen=9, avgColLen=4.5, numNulls=0, numDVs=3)))
        for c in cols]
    desc = T.ColumnStatisticsDesc(isTblLevel=part is None, dbName=DB, tableName=table, partName=part)
    return T.ColumnStatistics(statsDesc=desc, statsObj=objs)


@pytest.fixture(scope="module")
def trim_world(trim_server):
    w = World(trim_server)
    lf = w.client("lakeformation", "admin")
    glue = w.client("glue", "admin")
    harness.lf_close_defaults(lf)
    w.create_principal("pcol")

    glue.create_database(DatabaseInput={"Name": DB})
    adm = w.thrift("admin")
    adm.create_table(table_t1())
    adm.update_table_column_statistics(stats("t1", ["id", "ssn_secret"]))
    part_sd = table_t1().sd
    part_sd.location = "file:///tmp/trim/t1/ds=1"
    adm.add_partition(T.Partition(dbName=DB, tableName="t1", values=["1"], sd=part_sd,
                                  parameters={"note": "salary_secret kept", "k": "v"}))
    adm.update_partition_column_statistics(stats("t1", ["id", "ssn_secret"], part="ds=1"))
    t3 = table_t1()
    t3.tableName = "t3"
    t3.sd.location = "file:///tmp/trim/t3"
    t3.partitionKeys = []
    pk = T.SQLPrimaryKey(table_db=DB, table_name="t3", column_name="ssn_secret", key_seq=1, pk_name="t3_pk",
                         enable_cstr=False, validate_cstr=False, rely_cstr=True, catName="hive")
    uk = T.SQLUniqueConstraint(catName="hive", table_db=DB, table_name="t3", column_name="name", key_seq=1,
                               uk_name="t3_uk_name", enable_cstr=False, validate_cstr=False, rely_cstr=False)
    nn = T.SQLNotNullConstraint(catName="hive", table_db=DB, table_name="t3", column_name="salary_secret",
                                nn_name="t3_nn", enable_cstr=False, validate_cstr=False, rely_cstr=False)
    dc = T.SQLDefaultConstraint(catName="hive", table_db=DB, table_name="t3", column_name="id",
                                default_value="0", dc_name="t3_dc_id", enable_cstr=False, validate_cstr=False,
                                rely_cstr=False)
    cc = T.SQLCheckConstraint(catName="hive", table_db=DB, table_name="t3", column_name="id",
                              check_expression="id > length(ssn_secret)", dc_name="t3_cc", enable_cstr=False,
                              validate_cstr=False, rely_cstr=False)
    adm.create_table_with_constraints(t3, [pk], [], [uk], [nn], [dc], [cc])
    # t5: pcol sees all of it, but its foreign key references t1.ssn_secret, which pcol does not see
    t5 = T.Table(tableName="t5", dbName=DB, owner="admin", tableType="EXTERNAL_TABLE", partitionKeys=[],
                 parameters={}, sd=T.StorageDescriptor(
                     cols=[T.FieldSchema(name="ref", type="string"), T.FieldSchema(name="id5", type="bigint")],
                     location="file:///tmp/trim/t5", serdeInfo=T.SerDeInfo(
                         serializationLib="org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", parameters={})))
    fk_hidden = T.SQLForeignKey(pktable_db=DB, pktable_name="t1", pkcolumn_name="ssn_secret", fktable_db=DB,
                                fktable_name="t5", fkcolumn_name="ref", key_seq=1, update_rule=0, delete_rule=0,
                                fk_name="t5_fk_hidden", pk_name="t1_pk", enable_cstr=False, validate_cstr=False,
                                rely_cstr=False, catName="hive")
    fk_visible = T.SQLForeignKey(pktable_db=DB, pktable_name="t1", pkcolumn_name="id", fktable_db=DB,
                                 fktable_name="t5", fkcolumn_name="id5", key_seq=1, update_rule=0, delete_rule=0,
                                 fk_name="t5_fk_id", pk_name="t1_pk_id", enable_cstr=False, validate_cstr=False,
                                 rely_cstr=False, catName="hive")
    adm.create_table_with_constraints(t5, [], [fk_hidden, fk_visible], [], [], [], [])
    t1 = adm.get_table(DB, "t1")
    t1.parameters["altered"] = "yes"
    adm.alter_table(DB, "t1", t1)
    for tbl in ("t1", "t3"):
        grant(lf, w.arns["pcol"], {"TableWithColumns": {"DatabaseName": DB, "Name": tbl,
                                                        "ColumnNames": ["id", "name"]}}, ["SELECT"])
    grant(lf, w.arns["pcol"], {"Table": {"DatabaseName": DB, "Name": "t5"}}, ["SELECT"])
    return w


def thrift_reads(c):
    """(what, call) for every Thrift read a column-limited caller may make of t1 and t3."""
    env = T.EnvironmentContext(properties={})
    return [
        ("get_table", lambda: c.get_table(DB, "t1")),
        ("get_table t3", lambda: c.get_table(DB, "t3")),
        ("get_table again (kept bytes)", lambda: c.get_table(DB, "t1")),
        ("get_table_req", lambda: c.get_table_req(T.GetTableRequest(dbName=DB, tblName="t1"))),
        ("get_table_objects_by_name", lambda: c.get_table_objects_by_name(DB, ["t1", "t3"])),
        ("get_table_objects_by_name_req",
         lambda: c.get_table_objects_by_name_req(T.GetTablesRequest(dbName=DB, tblNames=["t1", "t3"]))),
        ("get_tables", lambda: c.get_tables(DB, "*")),
        ("get_all_tables", lambda: c.get_all_tables(DB)),
        ("get_table_meta", lambda: c.get_table_meta(DB, "*", [])),
        ("get_fields", lambda: c.get_fields(DB, "t1")),
        ("get_fields_with_environment_context", lambda: c.get_fields_with_environment_context(DB, "t1", env)),
        ("get_schema", lambda: c.get_schema(DB, "t1")),
        ("get_schema_with_environment_context", lambda: c.get_schema_with_environment_context(DB, "t1", env)),
        ("get_partition", lambda: c.get_partition(DB, "t1", ["1"])),
        ("get_partition_by_name", lambda: c.get_partition_by_name(DB, "t1", "ds=1")),
        ("get_partition_with_auth", lambda: c.get_partition_with_auth(DB, "t1", ["1"], "pcol", [])),
        ("get_partition_req", lambda: c.get_partition_req(T.GetPartitionRequest(dbName=DB, tblName="t1",
                                                                                partVals=["1"]))),
        ("get_partitions_ps_with_auth_req", lambda: c.get_partitions_ps_with_auth_req(
            T.GetPartitionsPsWithAuthRequest(dbName=DB, tblName="t1", partVals=["1"], maxParts=-1))),
        ("get_partitions_by_filter_req", lambda: c.get_partitions_by_filter_req(
            T.GetPartitionsByFilterRequest(dbName=DB, tblName="t1", filter="ds = \"1\"", maxParts=-1))),
        ("get_partitions", lambda: c.get_partitions(DB, "t1", -1)),
        ("get_partitions_with_auth", lambda: c.get_partitions_with_auth(DB, "t1", -1, "pcol", [])),
        ("get_partitions_ps", lambda: c.get_partitions_ps(DB, "t1", ["1"], -1)),
        ("get_partitions_ps_with_auth", lambda: c.get_partitions_ps_with_auth(DB, "t1", ["1"], -1, "pcol", [])),
        ("get_partitions_by_filter", lambda: c.get_partitions_by_filter(DB, "t1", "ds = \"1\"", -1)),
        ("get_partitions_by_names", lambda: c.get_partitions_by_names(DB, "t1", ["ds=1"])),
        ("get_partitions_by_names_req",
         lambda: c.get_partitions_by_names_req(T.GetPartitionsByNamesRequest(db_name=DB, tbl_name="t1",
                                                                             names=["ds=1"]))),
        ("get_partitions_req", lambda: c.get_partitions_req(T.PartitionsRequest(dbName=DB, tblName="t1"))),
        ("get_partition_names", lambda: c.get_partition_names(DB, "t1", -1)),
        ("get_table_column_statistics id", lambda: c.get_table_column_statistics(DB, "t1", "id")),
        ("get_table_statistics_req", lambda: c.get_table_statistics_req(
            T.TableStatsRequest(dbName=DB, tblName="t1", colNames=[n for n, _ in COLS]))),
        ("get_partition_column_statistics id",
         lambda: c.get_partition_column_statistics(DB, "t1", "ds=1", "id")),
        ("get_partitions_statistics_req", lambda: c.get_partitions_statistics_req(
            T.PartitionsStatsRequest(dbName=DB, tblName="t1", colNames=[n for n, _ in COLS], partNames=["ds=1"]))),
        ("get_aggr_stats_for", lambda: c.get_aggr_stats_for(
            T.PartitionsStatsRequest(dbName=DB, tblName="t1", colNames=[n for n, _ in COLS], partNames=["ds=1"]))),
        ("get_primary_keys", lambda: c.get_primary_keys(T.PrimaryKeysRequest(db_name=DB, tbl_name="t3"))),
        ("get_foreign_keys", lambda: c.get_foreign_keys(T.ForeignKeysRequest(foreign_db_name=DB,
                                                                             foreign_tbl_name="t3"))),
        ("get_unique_constraints", lambda: c.get_unique_constraints(
            T.UniqueConstraintsRequest(catName="hive", db_name=DB, tbl_name="t3"))),
        ("get_not_null_constraints", lambda: c.get_not_null_constraints(
            T.NotNullConstraintsRequest(catName="hive", db_name=DB, tbl_name="t3"))),
        ("get_default_constraints", lambda: c.get_default_constraints(
            T.DefaultConstraintsRequest(catName="hive", db_name=DB, tbl_name="t3"))),
        ("get_check_constraints", lambda: c.get_check_constraints(
            T.CheckConstraintsRequest(catName="hive", db_name=DB, tbl_name="t3"))),
        ("get_all_table_constraints", lambda: c.get_all_table_constraints(
            T.AllTableConstraintsRequest(dbName=DB, tblName="t3", catName="hive"))),
        ("get_foreign_keys t5", lambda: c.get_foreign_keys(T.ForeignKeysRequest(foreign_db_name=DB,
                                                                                foreign_tbl_name="t5"))),
        ("get_all_table_constraints t5", lambda: c.get_all_table_constraints(
            T.AllTableConstraintsRequest(dbName=DB, tblName="t5", catName="hive"))),
        ("get_next_notification", lambda: c.get_next_notification(T.NotificationEventRequest(lastEvent=0))),
    ]


def glue_reads(g):
    return [
        ("GetTable", lambda: g.get_table(DatabaseName=DB, Name="t1")),
        ("GetTable t3", lambda: g.get_table(DatabaseName=DB, Name="t3")),
        ("GetTables", lambda: g.get_tables(DatabaseName=DB)),
        ("GetTableVersions", lambda: g.get_table_versions(DatabaseName=DB, TableName="t1")),
        ("GetTableVersion 1", lambda: g.get_table_version(DatabaseName=DB, TableName="t1", VersionId="1")),
        ("GetTableVersion 2", lambda: g.get_table_version(DatabaseName=DB, TableName="t1", VersionId="2")),
        ("SearchTables", lambda: g.search_tables()),
        ("SearchTables text", lambda: g.search_tables(SearchText="t1")),
        ("GetPartition", lambda: g.get_partition(DatabaseName=DB, TableName="t1", PartitionValues=["1"])),
        ("GetPartitions", lambda: g.get_partitions(DatabaseName=DB, TableName="t1")),
        ("BatchGetPartition", lambda: g.batch_get_partition(DatabaseName=DB, TableName="t1",
                                                             PartitionsToGet=[{"Values": ["1"]}])),
        ("GetColumnStatisticsForTable", lambda: g.get_column_statistics_for_table(
            DatabaseName=DB, TableName="t1", ColumnNames=[n for n, _ in COLS])),
        ("GetColumnStatisticsForPartition", lambda: g.get_column_statistics_for_partition(
            DatabaseName=DB, TableName="t1", PartitionValues=["1"], ColumnNames=[n for n, _ in COLS])),
    ]


def run_reads(reads, serialize, denied):
    """Runs each read; returns (leaks, answered): reads whose reply names a hidden column, reads that answered."""
    leaks, answered = [], []
    for what, call in reads:
        try:
            reply = call()
        except Exception as e:  # a denial is no leak, but its message must not name one either
            if HIDDEN.search(str(e)):
                leaks.append("%s (error): %s" % (what, e))
            continue
        answered.append(what)
        text = serialize(reply)
        if HIDDEN.search(text):
            m = HIDDEN.search(text)
            leaks.append("%s: ...%s..." % (what, text[max(0, m.start() - 150):m.end() + 60]))
    return leaks, answered


def glue_json(reply):
    reply = dict(reply)
    reply.pop("ResponseMetadata", None)
    # Column statistics answer every column asked, in Errors when there are none to show: the
    # caller's own input echoed, checked below to be the same answer as for a column that does
    # not exist (no oracle). Everything else in the reply is checked.
    reply["Errors"] = [e for e in reply.get("Errors", []) if "ColumnName" not in e]
    return json.dumps(reply, default=str)


def test_hidden_column_statistics_answer_as_missing_ones(trim_world):
    g = trim_world.client("glue", "pcol")
    errs = g.get_column_statistics_for_table(DatabaseName=DB, TableName="t1",
                                             ColumnNames=["id", "ssn_secret", "nope"])
    assert [s["ColumnName"] for s in errs["ColumnStatisticsList"]] == ["id"]
    by = {e["ColumnName"]: e["Error"] for e in errs["Errors"]}
    assert by["ssn_secret"]["ErrorCode"] == by["nope"]["ErrorCode"]
    assert by["ssn_secret"]["ErrorMessage"].replace("ssn_secret", "X") == by["nope"]["ErrorMessage"].replace("nope", "X")
    c = trim_world.thrift("pcol")

    def thrift_answer(col):
        try:
            return repr(c.get_table_column_statistics(DB, "t1", col)).replace(col, "X")
        except Exception as e:  # noqa: BLE001 — the answer, whatever it is, is compared
            return (type(e).__name__ + str(e)).replace(col, "X")
    assert thrift_answer("ssn_secret") == thrift_answer("nope")
    req = T.TableStatsRequest(dbName=DB, tblName="t1", colNames=["id", "ssn_secret"])
    assert [o.colName for o in c.get_table_statistics_req(req).tableStats] == ["id"]


def test_setup_names_hidden_columns_for_admin(trim_world):
    """The admin's replies name the hidden columns in every place the trimming must cover."""
    adm = trim_world.thrift("admin")
    t1 = adm.get_table(DB, "t1")
    p = t1.parameters
    assert json.loads(p["COLUMN_STATS_ACCURATE"])["COLUMN_STATS"] == {"id": "true", "ssn_secret": "true"}
    assert "ssn_secret" in p["spark.sql.sources.schema.part.0"] + p["spark.sql.sources.schema.part.1"]
    assert t1.sd.bucketCols == ["ssn_secret", "id"]
    assert [c.name for c in t1.sd.cols] == [n for n, _ in COLS]
    pks = adm.get_primary_keys(T.PrimaryKeysRequest(db_name=DB, tbl_name="t3")).primaryKeys
    assert [k.column_name for k in pks] == ["ssn_secret"]
    events = adm.get_next_notification(T.NotificationEventRequest(lastEvent=0)).events
    assert any(e.tableName == "t1" and "ssn_secret" in e.message for e in events)
    g = trim_world.client("glue", "admin")
    assert len(g.get_table_versions(DatabaseName=DB, TableName="t1")["TableVersions"]) >= 2


def test_thrift_reads_name_no_hidden_column(trim_world):
    c = trim_world.thrift("pcol")
    leaks, answered = run_reads(thrift_reads(c), repr, thrift_denied)
    assert leaks == []
    for what, _ in thrift_reads(c):
        assert what in answered, what  # every read answers pcol: none is checked by being refused


def test_glue_reads_name_no_hidden_column(trim_world):
    g = trim_world.client("glue", "pcol")
    leaks, answered = run_reads(glue_reads(g), glue_json, glue_denied)
    assert leaks == []
    for what, _ in glue_reads(g):
        assert what in answered, what


def test_trimmed_table_keeps_what_engines_need(trim_world):
    """Visible columns, partition keys and rewritten schemas stay usable."""
    c = trim_world.thrift("pcol")
    t1 = c.get_table(DB, "t1")
    assert [f.name for f in t1.sd.cols] == ["id", "name"]
    assert [k.name for k in t1.partitionKeys] == ["ds"]
    p = t1.parameters
    assert json.loads(p["COLUMN_STATS_ACCURATE"]) == {"COLUMN_STATS": {"id": "true"}} or \
        json.loads(p["COLUMN_STATS_ACCURATE"])["COLUMN_STATS"] == {"id": "true"}
    assert p["spark.sql.sources.schema.numParts"] == "1"
    spark = json.loads(p["spark.sql.sources.schema.part.0"])
    assert [f["name"] for f in spark["fields"]] == ["id", "name"]
    assert p["spark.sql.sources.schema.partCol.0"] == "ds"
    assert [f["name"] for f in json.loads(p["current-schema"])["fields"]] == ["id", "name"]
    assert p["metadata_location"].endswith("00001.metadata.json")
    assert "my.tool.schema" not in p and "note" not in p
    assert t1.sd.bucketCols == ["id"]
    assert [o.col for o in t1.sd.sortCols] == ["id"]
    serde = t1.sd.serdeInfo.parameters
    assert serde["columns"] == "id,name" and serde["columns.types"] == "bigint:string"
    assert [f["name"] for f in json.loads(serde["avro.schema.literal"])["fields"]] == ["id", "name"]
    assert serde["field.delim"] == ","
    assert not t1.sd.skewedInfo or not t1.sd.skewedInfo.skewedColNames
    # the admin's copy is untouched (the trimming never reaches the kept encoding)
    adm = trim_world.thrift("admin").get_table(DB, "t1")
    assert [f.name for f in adm.sd.cols] == [n for n, _ in COLS]
    # constraints on visible columns stay, the rest go
    uks = c.get_unique_constraints(T.UniqueConstraintsRequest(catName="hive", db_name=DB, tbl_name="t3"))
    assert [u.column_name for u in uks.uniqueConstraints] == ["name"]
    dcs = c.get_default_constraints(T.DefaultConstraintsRequest(catName="hive", db_name=DB, tbl_name="t3"))
    assert [d.column_name for d in dcs.defaultConstraints] == ["id"]


def test_foreign_key_to_a_hidden_column_of_another_table(trim_world):
    """A whole-table reader of t5 does not learn, through t5's foreign keys, t1's hidden column."""
    req = T.ForeignKeysRequest(foreign_db_name=DB, foreign_tbl_name="t5")
    admin_fks = trim_world.thrift("admin").get_foreign_keys(req).foreignKeys
    assert sorted(f.pkcolumn_name for f in admin_fks) == ["id", "ssn_secret"]
    fks = trim_world.thrift("pcol").get_foreign_keys(req).foreignKeys
    assert [(f.fkcolumn_name, f.pkcolumn_name) for f in fks] == [("id5", "id")]


def test_column_limited_caller_gets_no_event_of_the_table(trim_world):
    """Events embed the whole table: a column-limited caller gets none of that table's."""
    c = trim_world.thrift("pcol")
    events = c.get_next_notification(T.NotificationEventRequest(lastEvent=0)).events
    assert [e for e in events if e.tableName in ("t1", "t3")] == []
    adm = trim_world.thrift("admin")
    types = [e.eventType for e in adm.get_next_notification(T.NotificationEventRequest(lastEvent=0)).events
             if e.tableName == "t1"]
    assert "CREATE_TABLE" in types and "ALTER_TABLE" in types and "ADD_PARTITION" in types
    # a whole-table reader of t5 still gets t5's events
    assert "t5" in [e.tableName for e in events]


def test_dropped_table_events_only_for_callers_without_column_grants(trim_world):
    """A dropped table's events embed it whole; its grants are gone, so a caller holding any
    column-level grant in the database gets none, while a table-level reader still gets DROP_TABLE."""
    w = trim_world
    lf = w.client("lakeformation", "admin")
    w.create_principal("reader5")
    grant(lf, w.arns["reader5"], {"Table": {"DatabaseName": DB, "Name": "t5"}}, ["SELECT"])
    adm = w.thrift("admin")
    t6 = table_t1()
    t6.tableName = "t6"
    t6.sd.location = "file:///tmp/trim/t6"
    adm.create_table(t6)
    grant(lf, w.arns["pcol"], {"TableWithColumns": {"DatabaseName": DB, "Name": "t6",
                                                    "ColumnNames": ["id"]}}, ["SELECT"])
    adm.drop_table(DB, "t6", True)
    req = T.NotificationEventRequest(lastEvent=0)
    seen = w.thrift("pcol").get_next_notification(req).events
    assert [e for e in seen if e.tableName == "t6"] == []
    assert not any(HIDDEN.search(e.message or "") for e in seen)
    other = w.thrift("reader5").get_next_notification(req).events
    assert "DROP_TABLE" in [e.eventType for e in other if e.tableName == "t6"], [(e.eventId, e.eventType, e.tableName) for e in other][-8:]
