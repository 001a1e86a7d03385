# tests/integration/test_partitions.py — partitions through the real server and the generated
# Python client: create/read/alter/rename/drop with Hive's semantics, the escaping table, the
# filter grammar and its errors, atomic batches, *_ps wildcards, max_parts, the by_expr
# answer that makes Hive's client prune by itself, table drop/rename effects, and scale.

import copy

import os

import pytest
from thrift.Thrift import TApplicationException

import harness
from harness import T, cols, make_table


def part(db, tbl, values, location=None, params=None):
    sd = make_table(db, tbl).sd
    sd.location = location
    return T.Partition(values=list(values), dbName=db, tableName=tbl, createTime=0, lastAccessTime=0,
                       sd=sd, parameters=dict(params or {}))


@pytest.fixture
def ptable(bclient, db):
    t = make_table(db, "events", partition_keys=cols(("ds", "string"), ("month", "int")))
    bclient.create_table(t)
    return db, "events", bclient.get_table(db, "events")


def add(c, db, tbl, rows, **kw):
    return c.add_partitions_req(T.AddPartitionsRequest(dbName=db, tblName=tbl, parts=[part(db, tbl, r) for r in rows],
                                                       ifNotExists=kw.get("if_not_exists", False),
                                                       needResult=kw.get("need_result", True)))


def test_add_and_get_round_trip_with_default_location(bclient, ptable):
    db, tbl, t = ptable
    p = part(db, tbl, ["2024-01-01", "3"], params={"numRows": "10", "COLUMN_STATS_ACCURATE": '{"BASIC_STATS":"true"}'})
    got = bclient.add_partition(p)
    assert got.values == ["2024-01-01", "3"]
    assert got.sd.location == t.sd.location + "/ds=2024-01-01/month=3"
    back = bclient.get_partition(db, tbl, ["2024-01-01", "3"])
    assert back.sd.cols == p.sd.cols and back.sd.serdeInfo == p.sd.serdeInfo
    assert back.sd.location == got.sd.location
    assert back.parameters["numRows"] == "10"
    assert back.parameters["COLUMN_STATS_ACCURATE"] == '{"BASIC_STATS":"true"}'
    assert back.createTime > 0 and back.catName == "hive"
    assert bclient.get_partition_by_name(db, tbl, "ds=2024-01-01/month=3").values == back.values
    assert bclient.get_partition_with_auth(db, tbl, ["2024-01-01", "3"], "u", []).values == back.values
    req = T.GetPartitionRequest(dbName=db, tblName=tbl, partVals=["2024-01-01", "3"], catName="hive")
    assert bclient.get_partition_req(req).partition.values == back.values
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_partition(db, tbl, ["2024-01-01", "4"])
    with pytest.raises(T.AlreadyExistsException):
        bclient.add_partition(p)


def test_append_partition_uses_table_descriptor(bclient, ptable):
    db, tbl, t = ptable
    a = bclient.append_partition(db, tbl, ["x", "1"])
    assert a.sd.location == t.sd.location + "/ds=x/month=1" and a.sd.cols == t.sd.cols
    b = bclient.append_partition_by_name(db, tbl, "ds=y/month=2")
    assert b.values == ["y", "2"]
    c = bclient.append_partition_with_environment_context(db, tbl, ["z", "3"], T.EnvironmentContext(properties={}))
    assert c.values == ["z", "3"]
    with pytest.raises(T.AlreadyExistsException):
        bclient.append_partition(db, tbl, ["x", "1"])


def test_value_count_must_match_keys(bclient, ptable):
    db, tbl, _ = ptable
    with pytest.raises(T.MetaException) as e:
        bclient.add_partition(part(db, tbl, ["only-one"]))
    assert "Invalid partition key & values; keys [ds, month, ], values [only-one, ]" in e.value.message


ESCAPES = [("a/b", "a%2Fb"), ("12:30", "12%3A30"), ("k=v", "k%3Dv"), ("100%", "100%25"), ("#x", "%23x"),
           ("tab\tnl\n", "tab%09nl%0A"), ("__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__"),
           ("caf\u00e9 ok", "caf\u00e9 ok")]


def test_escaping_table(bclient, db):
    bclient.create_table(make_table(db, "esc", partition_keys=cols(("K", "string"))))
    add(bclient, db, "esc", [[v] for v, _ in ESCAPES])
    names = bclient.get_partition_names(db, "esc", -1)
    assert sorted(names) == sorted("k=" + e for _, e in ESCAPES)
    for v, e in ESCAPES:
        p = bclient.get_partition_by_name(db, "esc", "k=" + e)
        assert p.values == [v]
        assert p.sd.location.endswith("/k=" + e)
        assert bclient.partition_name_to_vals("k=" + e) == [v]
        assert bclient.partition_name_to_spec("k=" + e) == {"k": v}
    assert bclient.partition_name_to_vals("") == []
    assert bclient.partition_name_has_valid_characters(["a/b"], True) is True


def test_atomic_batch_names_the_bad_partition(bclient, ptable):
    db, tbl, _ = ptable
    add(bclient, db, tbl, [["a", "1"]])
    with pytest.raises(T.AlreadyExistsException) as e:
        add(bclient, db, tbl, [["b", "1"], ["a", "1"], ["c", "1"]])
    assert "ds=a/month=1" in e.value.message
    with pytest.raises(T.MetaException) as e:
        add(bclient, db, tbl, [["d", "1"], ["bad"]])
    assert "values [bad, ]" in e.value.message
    assert bclient.get_partition_names(db, tbl, -1) == ["ds=a/month=1"]
    r = add(bclient, db, tbl, [["a", "1"], ["b", "2"]], if_not_exists=True)
    assert [p.values for p in r.partitions] == [["b", "2"]]
    r = add(bclient, db, tbl, [["e", "5"]], need_result=False)
    assert not r.partitions
    assert bclient.add_partitions([part(db, tbl, ["f", "6"]), part(db, tbl, ["g", "7"])]) == 2


def fill(c, db, tbl):
    rows = [[d, str(m)] for d in ("2024-01-01", "2024-02-01") for m in range(1, 13)]
    add(c, db, tbl, rows)
    return rows


def test_listing_ps_and_max_parts(bclient, ptable):
    db, tbl, _ = ptable
    rows = fill(bclient, db, tbl)
    allp = bclient.get_partitions(db, tbl, -1)
    assert len(allp) == 24
    assert [p.values for p in allp] == sorted(rows)
    assert len(bclient.get_partitions(db, tbl, 5)) == 5
    assert len(bclient.get_partitions_with_auth(db, tbl, -1, "u", [])) == 24
    assert len(bclient.get_partition_names(db, tbl, 3)) == 3
    ps = bclient.get_partitions_ps(db, tbl, ["2024-02-01"], -1)
    assert len(ps) == 12 and all(p.values[0] == "2024-02-01" for p in ps)
    ps = bclient.get_partitions_ps(db, tbl, ["", "7"], -1)
    assert sorted(p.values[0] for p in ps) == ["2024-01-01", "2024-02-01"]
    assert bclient.get_partition_names_ps(db, tbl, ["", "7"], 1) == ["ds=2024-01-01/month=7"]
    assert len(bclient.get_partitions_ps_with_auth(db, tbl, ["2024-01-01"], 4, "u", [])) == 4
    r = bclient.get_partition_names_ps_req(T.GetPartitionNamesPsRequest(dbName=db, tblName=tbl, partValues=["", "1"]))
    assert len(r.names) == 2
    with pytest.raises(T.MetaException) as e:
        bclient.get_partitions_ps(db, tbl, ["a", "b", "c"], -1)
    assert "Incorrect number of partition values" in e.value.message
    r = bclient.get_partitions_req(T.PartitionsRequest(dbName=db, tblName=tbl, maxParts=2))
    assert len(r.partitions) == 2
    assert len(bclient.fetch_partition_names_req(T.PartitionsRequest(dbName=db, tblName=tbl))) == 24
    r = bclient.get_partitions_ps_with_auth_req(T.GetPartitionsPsWithAuthRequest(
        dbName=db, tblName=tbl, partNames=["ds=2024-01-01/month=2"]))
    assert [p.values for p in r.partitions] == [["2024-01-01", "2"]]
    got = bclient.get_partitions_by_names(db, tbl, ["ds=2024-01-01/month=2", "ds=nope/month=1", "ds=2024-02-01/month=3"])
    assert [p.values for p in got] == [["2024-01-01", "2"], ["2024-02-01", "3"]]
    got = bclient.get_partitions_by_names_req(T.GetPartitionsByNamesRequest(db_name=db, tbl_name=tbl,
                                                                            names=["ds=2024-01-01/month=2"]))
    assert len(got.partitions) == 1
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_partitions(db, "missing_table", -1)


@pytest.mark.parametrize("flt,count", [
    ("month > 3", 18), ("month > 3 and ds = '2024-01-01'", 9), ("month = 10 or month = 1", 4),
    ("ds <> \"2024-01-01\"", 12), ("month between 2 and 4", 6), ("(month) in (1, 12)", 4),
    ("ds like '2024-02%'", 12), ("(month) not in (1, 2)", 20), ("MONTH >= 12", 2), ("3 < month", 18),
    ("", 24),
])
def test_filter_typed_comparisons(bclient, ptable, flt, count):
    db, tbl, _ = ptable
    fill(bclient, db, tbl)
    got = bclient.get_partitions_by_filter(db, tbl, flt, -1)
    assert len(got) == count
    assert bclient.get_num_partitions_by_filter(db, tbl, flt) == count
    req = T.GetPartitionsByFilterRequest(dbName=db, tblName=tbl, filter=flt, maxParts=1)
    assert len(bclient.get_partitions_by_filter_req(req)) == min(1, count)


@pytest.mark.parametrize("flt,reason", [
    ("month >", "Error parsing partition filter"), ("nokey = 1", "nokey is not a partitioning key for the table"),
    ("month = 1 and", "Error parsing partition filter"), ("month <=> 1", "Error parsing partition filter"),
    ("'; drop table partitions; --", "Error parsing partition filter"),
])
def test_filter_errors_are_meta_exceptions_with_the_reason(bclient, ptable, flt, reason):
    db, tbl, _ = ptable
    with pytest.raises(T.MetaException) as e:
        bclient.get_partitions_by_filter(db, tbl, flt, -1)
    assert reason in e.value.message
    assert "SQL" not in e.value.message and "SQLSTATE" not in e.value.message


def test_by_expr_answers_unknown_method_so_hive_prunes_itself(bclient, ptable):
    # Hive's client turns UNKNOWN_METHOD from (spec_)by_expr into IncompatibleMetastoreException
    # and falls back to client-side pruning (HIVE-FACTS §1.3).
    db, tbl, _ = ptable
    for call in (bclient.get_partitions_by_expr, bclient.get_partitions_spec_by_expr):
        with pytest.raises(TApplicationException) as e:
            call(T.PartitionsByExprRequest(dbName=db, tblName=tbl, expr=b"\x01kryo"))
        assert e.value.type == TApplicationException.UNKNOWN_METHOD
    fill(bclient, db, tbl)
    assert len(bclient.get_partitions_by_filter(db, tbl, "month = 5", -1)) == 2


def test_alter_rename_and_drop(bclient, ptable):
    db, tbl, t = ptable
    fill(bclient, db, tbl)
    p = bclient.get_partition(db, tbl, ["2024-01-01", "1"])
    p.parameters["k"] = "v"
    p.sd.cols = cols(("id", "bigint"), ("extra", "string"))
    bclient.alter_partition(db, tbl, p)
    got = bclient.get_partition(db, tbl, ["2024-01-01", "1"])
    assert got.parameters["k"] == "v" and len(got.sd.cols) == 2 and got.createTime == p.createTime
    other = bclient.get_partition(db, tbl, ["2024-01-01", "2"])
    assert len(other.sd.cols) == len(t.sd.cols), "a partition's descriptor is its own"
    q = bclient.get_partition(db, tbl, ["2024-01-01", "2"])
    q.parameters["a"] = "1"
    missing = copy.deepcopy(q)
    missing.values = ["nope", "1"]
    with pytest.raises(T.InvalidOperationException) as e:
        bclient.alter_partitions(db, tbl, [q, missing])
    assert "ds=nope/month=1" in e.value.message
    assert "a" not in bclient.get_partition(db, tbl, ["2024-01-01", "2"]).parameters
    bclient.alter_partitions_req(T.AlterPartitionsRequest(dbName=db, tableName=tbl, partitions=[q]))
    assert bclient.get_partition(db, tbl, ["2024-01-01", "2"]).parameters["a"] == "1"
    bclient.alter_partitions_with_environment_context(db, tbl, [q], T.EnvironmentContext(properties={}))

    r = bclient.get_partition(db, tbl, ["2024-01-01", "3"])
    r.values = ["2025-01-01", "3"]
    bclient.rename_partition(db, tbl, ["2024-01-01", "3"], r)
    moved = bclient.get_partition(db, tbl, ["2025-01-01", "3"])
    assert moved.sd.location == t.sd.location + "/ds=2025-01-01/month=3"
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_partition(db, tbl, ["2024-01-01", "3"])
    with pytest.raises((T.InvalidOperationException, T.MetaException)):
        r2 = bclient.get_partition(db, tbl, ["2024-01-01", "4"])
        r2.values = ["2025-01-01", "3"]
        bclient.rename_partition(db, tbl, ["2024-01-01", "4"], r2)

    assert bclient.drop_partition(db, tbl, ["2024-01-01", "4"], False) is True
    with pytest.raises(T.NoSuchObjectException):
        bclient.drop_partition(db, tbl, ["2024-01-01", "4"], False)
    assert bclient.drop_partition_by_name(db, tbl, "ds=2024-01-01/month=5", False) is True
    res = bclient.drop_partitions_req(T.DropPartitionsRequest(
        dbName=db, tblName=tbl, parts=T.RequestPartsSpec(names=["ds=2024-01-01/month=6", "ds=2024-01-01/month=7"]),
        ifExists=False, needResult=True))
    assert sorted(p.values[1] for p in res.partitions) == ["6", "7"]
    with pytest.raises(T.NoSuchObjectException):
        bclient.drop_partitions_req(T.DropPartitionsRequest(
            dbName=db, tblName=tbl, parts=T.RequestPartsSpec(names=["ds=2024-01-01/month=8", "ds=x/month=1"]),
            ifExists=False))
    assert bclient.get_partition(db, tbl, ["2024-01-01", "8"]), "a failed batch drops nothing"
    res = bclient.drop_partitions_req(T.DropPartitionsRequest(
        dbName=db, tblName=tbl, parts=T.RequestPartsSpec(exprs=[T.DropPartitionsExpr(expr=b"month >= 11")]),
        needResult=True))
    assert len(res.partitions) == 4
    with pytest.raises(T.MetaException) as e:
        bclient.drop_partitions_req(T.DropPartitionsRequest(
            dbName=db, tblName=tbl, parts=T.RequestPartsSpec(exprs=[T.DropPartitionsExpr(expr=b"\xac\xed\x00\x05")])))
    assert "not supported" in e.value.message
    with pytest.raises(T.MetaException) as e:
        bclient.exchange_partition({"ds": "x"}, db, tbl, db, "other")
    assert "not supported" in e.value.message


def test_table_rename_moves_partitions_and_drop_removes_them(bclient, db):
    bclient.create_table(make_table(db, "r1", partition_keys=cols(("k", "string"))))
    t = bclient.get_table(db, "r1")
    add(bclient, db, "r1", [["a"], ["b"]])
    ext = part(db, "r1", ["c"], location="file:///elsewhere/c")
    bclient.add_partition(ext)
    t.tableName = "r2"
    bclient.alter_table(db, "r1", t)
    t2 = bclient.get_table(db, "r2")
    assert t2.sd.location.endswith("/r2")
    parts = {p.values[0]: p for p in bclient.get_partitions(db, "r2", -1)}
    assert parts["a"].sd.location == t2.sd.location + "/k=a" and parts["a"].tableName == "r2"
    assert parts["c"].sd.location == "file:///elsewhere/c"
    bclient.drop_table(db, "r2", True)
    bclient.create_table(make_table(db, "r2", partition_keys=cols(("k", "string"))))
    assert bclient.get_partitions(db, "r2", -1) == []


def test_scale_100k_partitions(server, db):
    # 100,000 by default; the sanitizer run (tests/run-all.sh --sanitize) lowers it to keep CI
    # inside its budget, since ASan makes each of these calls several times slower.
    total = int(os.environ.get("PROPOLIS_SCALE_PARTITIONS", "100000"))
    batch = min(10000, total)
    bclient = harness.connect(server.port, timeout_ms=600000)
    bclient.create_table(make_table(db, "big", partition_keys=cols(("d", "int"), ("s", "string"))))
    for start in range(0, total, batch):
        parts = [part(db, "big", [str(i % 1000), "s%05d" % i]) for i in range(start, start + batch)]
        r = bclient.add_partitions_req(T.AddPartitionsRequest(dbName=db, tblName="big", parts=parts,
                                                              ifNotExists=False, needResult=False))
        assert not r.partitions
    assert bclient.get_num_partitions_by_filter(db, "big", "") == total
    allp = bclient.get_partitions(db, "big", -1)
    assert len(allp) == total
    vals = [p.values for p in allp]
    assert vals == sorted(vals)
    assert len({tuple(v) for v in vals}) == total
    tenth = bclient.get_partitions_by_filter(db, "big", "d < 100", -1)
    assert len(tenth) == total // 10
    assert all(int(p.values[0]) < 100 for p in tenth)
    names = bclient.get_partition_names(db, "big", -1)
    assert len(names) == total
    bclient.close()
