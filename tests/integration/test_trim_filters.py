# tests/integration/test_trim_filters.py — filters and searches answer as the caller sees the tables.
#
# Issue 15's setup (test_column_trim's trim_world: pcol holds SELECT on columns id, name of t1 and
# t3, whole-table SELECT on t5) plus t8, a table pcol sees whole whose parameter names ssn_secret.
# A column-limited caller must not confirm a hidden column (or a hidden parameter value) by
# filtering on it: Glue SearchTables Filters and Thrift get_table_names_by_filter are matched on
# the trimmed documents of the tables it sees only partly, so the answer is the one it would get
# if the hidden data did not exist, both ways (a hidden value neither selects a table nor keeps
# one out). Tables seen whole, and full-access callers, keep the plain answers.

import pytest

import harness  # noqa: F401
from harness import T
from test_column_trim import DB, trim_server, trim_world  # noqa: F401  (module fixtures)
from test_permissions import grant

boto3 = pytest.importorskip("boto3")

LIMITED = {"t1", "t3", "t9"}  # what pcol sees only partly


@pytest.fixture(scope="module")
def fworld(trim_world):  # noqa: F811
    w = trim_world
    adm = w.thrift("admin")
    sd = T.StorageDescriptor(cols=[T.FieldSchema(name="a", type="string")], location="file:///tmp/trim/t8",
                             serdeInfo=T.SerDeInfo(serializationLib="org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                                                   parameters={}))
    adm.create_table(T.Table(tableName="t8", dbName=DB, owner="admin", tableType="EXTERNAL_TABLE", sd=sd,
                             partitionKeys=[], parameters={"note": "ssn_secret elsewhere", "EXTERNAL": "TRUE",
                                                           "spark.sql.sources.schema.numParts": "2"}))
    grant(w.client("lakeformation", "admin"), w.arns["pcol"], {"Table": {"DatabaseName": DB, "Name": "t8"}},
          ["SELECT"])
    w.client("glue", "admin").create_table(DatabaseName=DB, TableInput={
        "Name": "t9", "Description": "joins on ssn_secret", "TableType": "EXTERNAL_TABLE",
        "StorageDescriptor": {"Columns": [{"Name": n, "Type": "string"} for n in ("id", "name", "ssn_secret")],
                              "Location": "file:///tmp/trim/t9"}})
    grant(w.client("lakeformation", "admin"), w.arns["pcol"],
          {"TableWithColumns": {"DatabaseName": DB, "Name": "t9", "ColumnNames": ["id", "name"]}}, ["SELECT"])
    return w


def search(glue, filters=None, text=None, page=None):
    """Every table name SearchTables answers (all pages), as (database, name) pairs of DB."""
    out, token = [], None
    while True:
        kw = {"Filters": filters or []}
        if text is not None:
            kw["SearchText"] = text
        if page:
            kw["MaxResults"] = page
        if token:
            kw["NextToken"] = token
        r = glue.search_tables(**kw)
        out += [t["Name"] for t in r["TableList"] if t["DatabaseName"] == DB]
        token = r.get("NextToken")
        if not token:
            return sorted(out)


def names(c, flt):
    return sorted(c.get_table_names_by_filter(DB, flt, -1))


def visible(ns):
    return sorted(n for n in ns if n in LIMITED | {"t5", "t8"})


def pcol_stats_value(w):
    """COLUMN_STATS_ACCURATE of t1 as pcol reads it (the trimmed value)."""
    v = w.thrift("pcol").get_table(DB, "t1").parameters["COLUMN_STATS_ACCURATE"]
    full = w.thrift("admin").get_table(DB, "t1").parameters["COLUMN_STATS_ACCURATE"]
    assert "ssn_secret" in full and "ssn_secret" not in v and v != full
    return v, full


# ---- Glue SearchTables ----

def test_search_filter_on_hidden_parameter_value_finds_nothing(fworld):
    adm, pc = fworld.client("glue", "admin"), fworld.client("glue", "pcol")
    for key in ("Parameters.COLUMN_STATS_ACCURATE", "COLUMN_STATS_ACCURATE"):
        f = [{"Key": key, "Value": "ssn"}]
        assert search(adm, f) == ["t1"]  # the hidden column has statistics
        assert search(pc, f) == []
    f = [{"Key": "Parameters.note", "Value": "ssn"}]  # dropped for pcol on t1, t3; t8 is seen whole
    assert search(adm, f) == ["t1", "t3", "t8"]
    assert search(pc, f) == ["t8"]
    assert search(pc, f, page=1) == ["t8"]


def test_search_filter_matches_the_trimmed_value_not_the_hidden_one(fworld):
    adm, pc = fworld.client("glue", "admin"), fworld.client("glue", "pcol")
    # Spark's split schema comes back to pcol as one part: numParts 1, where the table has 2
    f = [{"Key": "Parameters.spark.sql.sources.schema.numParts", "Value": "1"}]
    assert search(adm, f) == []
    assert search(pc, f) == ["t1", "t3"]
    f = [{"Key": "Parameters.spark.sql.sources.schema.numParts", "Value": "2"}]
    assert search(adm, f) == ["t1", "t3", "t8"]
    assert search(pc, f) == ["t8"]
    trimmed, full = pcol_stats_value(fworld)
    f = [{"Key": "Parameters.COLUMN_STATS_ACCURATE", "Value": trimmed}]
    assert search(adm, f) == []
    assert search(pc, f) == ["t1"]
    assert search(pc, [{"Key": "Parameters.COLUMN_STATS_ACCURATE", "Value": full}]) == []


def test_search_text_and_filters_together_on_trimmed_documents(fworld):
    adm, pc = fworld.client("glue", "admin"), fworld.client("glue", "pcol")
    f = [{"Key": "Parameters.spark.sql.sources.schema.numParts", "Value": "1"}]
    assert search(pc, f, text="t3") == ["t3"]  # t3 copies t1's parameters: "t1" would find both
    assert search(pc, f, text="ssn_secret") == []
    assert search(adm, [], text="ssn_secret") == ["t1", "t3", "t8", "t9"]
    assert search(pc, [], text="ssn_secret") == ["t8"]
    assert search(pc, [], text="salary_secret") == []


@pytest.mark.parametrize("filters", [
    [{"Key": "Parameters.EXTERNAL", "Value": "TRUE"}],
    [{"Key": "Parameters.altered", "Value": "yes"}],
    [{"Key": "Owner", "Value": "admin"}],
    [{"Key": "Name", "Value": "t1"}],
    [{"Key": "TableType", "Value": "EXTERNAL_TABLE"}, {"Key": "Parameters.EXTERNAL", "Value": "true"}],
    [{"Key": "CreateTime", "Value": "0", "Comparator": "GREATER_THAN"}],
    [{"Key": "Parameters.metadata_location", "Value": "metadata"}],
])
def test_search_untouched_values_answer_as_for_the_admin(fworld, filters):
    adm, pc = fworld.client("glue", "admin"), fworld.client("glue", "pcol")
    want = search(adm, filters)
    assert want, "the filter must select something for the comparison to mean anything"
    assert search(pc, filters) == visible(want)
    assert search(pc, filters, page=1) == visible(want)


def test_search_filter_on_a_description_naming_a_hidden_column(fworld):
    adm, pc = fworld.client("glue", "admin"), fworld.client("glue", "pcol")
    f = [{"Key": "Description", "Value": "ssn"}]
    assert search(adm, f) == ["t9"]
    assert search(pc, f) == []
    assert search(pc, [{"Key": "Description", "Value": "joins"}]) == []  # the description is gone for pcol
    assert "Description" not in pc.get_table(DatabaseName=DB, Name="t9")["Table"]
    assert search(pc, [{"Key": "Name", "Value": "t9"}]) == ["t9"]


# ---- Thrift get_table_names_by_filter ----

def test_filter_names_hidden_parameter_value_finds_nothing(fworld):
    adm, pc = fworld.thrift("admin"), fworld.thrift("pcol")
    flt = 'hive_filter_field_params__COLUMN_STATS_ACCURATE like ".*ssn_secret.*"'
    assert names(adm, flt) == ["t1"]
    assert names(pc, flt) == []
    flt = 'hive_filter_field_params__note like ".*ssn.*"'
    assert names(adm, flt) == ["t1", "t3", "t8"]
    assert names(pc, flt) == ["t8"]
    flt = 'hive_filter_field_owner__ = "admin" and hive_filter_field_params__note like ".*"'
    assert names(adm, flt) == ["t1", "t3", "t8"]
    assert names(pc, flt) == ["t8"]
    flt = 'hive_filter_field_params__note <> "nothing"'  # a dropped parameter is absent: no match
    assert names(adm, flt) == ["t1", "t3", "t8"]
    assert names(pc, flt) == ["t8"]


def test_filter_names_negation_answers_as_if_the_hidden_value_were_absent(fworld):
    adm, pc = fworld.thrift("admin"), fworld.thrift("pcol")
    # the stored value 2 keeps t1, t3 out of `<> 2` for the admin; pcol sees 1
    flt = 'hive_filter_field_params__spark.sql.sources.schema.numParts <> "2"'
    assert names(adm, flt) == []
    assert names(pc, flt) == ["t1", "t3"]
    flt = 'hive_filter_field_params__spark.sql.sources.schema.numParts = "1"'
    assert names(adm, flt) == []
    assert names(pc, flt) == ["t1", "t3"]
    trimmed, full = pcol_stats_value(fworld)
    flt = "hive_filter_field_params__COLUMN_STATS_ACCURATE <> '%s'" % trimmed
    assert names(adm, flt) == ["t1"]
    assert names(pc, flt) == []
    flt = "hive_filter_field_params__COLUMN_STATS_ACCURATE = '%s'" % trimmed
    assert names(adm, flt) == []
    assert names(pc, flt) == ["t1"]
    flt = ("hive_filter_field_params__COLUMN_STATS_ACCURATE = '%s' or hive_filter_field_tableName__ = \"t3\""
           % full)
    assert names(adm, flt) == ["t1", "t3"]
    assert names(pc, flt) == ["t3"]


@pytest.mark.parametrize("flt", [
    'hive_filter_field_params__EXTERNAL = "TRUE"',
    'hive_filter_field_params__EXTERNAL <> "FALSE"',
    'hive_filter_field_params__altered like "y.*"',
    'hive_filter_field_owner__ = "admin" and hive_filter_field_params__EXTERNAL like "(?i)true"',
    'hive_filter_field_tableName__ like "t[13]" or hive_filter_field_params__altered = "yes"',
    'hive_filter_field_last_access__ >= 0 and hive_filter_field_params__metadata_location like ".*00001.*"',
    'hive_filter_field_params__EXTERNAL > "A" and hive_filter_field_params__EXTERNAL < "Z"',
])
def test_filter_names_untouched_values_answer_as_for_the_admin(fworld, flt):
    adm, pc = fworld.thrift("admin"), fworld.thrift("pcol")
    want = names(adm, flt)
    assert want, "the filter must select something for the comparison to mean anything"
    assert names(pc, flt) == visible(want)


def test_filter_names_bad_filter_is_still_refused_for_the_limited_caller(fworld):
    pc = fworld.thrift("pcol")
    with pytest.raises(T.MetaException):
        pc.get_table_names_by_filter(DB, 'hive_filter_field_params__x = ', -1)
