# tests/integration/test_column_stats.py — column statistics through the real server: every
# kind round-trips exactly (bitVectors included), table and partition stats, Hive's
# get_aggr_stats_for across partitions (expected values computed here), COLUMN_STATS_ACCURATE,
# stats following a rename and vanishing with drops, errors, set_aggr_stats_for.
# Partitions are created with add_partitions.

import json

import pytest

from harness import T, cols, make_table, make_sd

COLS = cols(("b", "boolean"), ("l", "bigint"), ("d", "double"), ("s", "string"), ("bin", "binary"),
            ("dec", "decimal(10,2)"), ("dt", "date"), ("ts", "timestamp"))


def dec(unscaled, scale):
    return T.Decimal(unscaled=unscaled.to_bytes((unscaled.bit_length() + 8) // 8, "big", signed=True), scale=scale)


def dec_value(d):
    return int.from_bytes(d.unscaled, "big", signed=True) / (10 ** d.scale)


def obj(name, typ, **kw):
    return T.ColumnStatisticsObj(colName=name, colType=typ, statsData=T.ColumnStatisticsData(**kw))


def all_kinds(seed=0):
    bv = bytes([0x48, 0x4c, 0x4c, seed, 0, 255, 7])
    return [
        obj("b", "boolean", booleanStats=T.BooleanColumnStatsData(numTrues=10 + seed, numFalses=5, numNulls=1,
                                                                   bitVectors=bv)),
        obj("l", "bigint", longStats=T.LongColumnStatsData(lowValue=-5 - seed, highValue=100 + seed, numNulls=2,
                                                            numDVs=50 + seed, bitVectors=bv, histogram=b"\x01\x02")),
        obj("d", "double", doubleStats=T.DoubleColumnStatsData(lowValue=-1.5, highValue=2.25 + seed, numNulls=3,
                                                                numDVs=7 + seed, bitVectors=bv)),
        obj("s", "string", stringStats=T.StringColumnStatsData(maxColLen=20 + seed, avgColLen=4.5 + seed,
                                                                numNulls=4, numDVs=9 + seed, bitVectors=bv)),
        obj("bin", "binary", binaryStats=T.BinaryColumnStatsData(maxColLen=64 + seed, avgColLen=12.125 + seed,
                                                                  numNulls=5, bitVectors=bv)),
        obj("dec", "decimal(10,2)", decimalStats=T.DecimalColumnStatsData(
            lowValue=dec(-12345 - seed, 2), highValue=dec(99999 + seed, 2), numNulls=6, numDVs=11 + seed,
            bitVectors=bv)),
        obj("dt", "date", dateStats=T.DateColumnStatsData(lowValue=T.Date(daysSinceEpoch=18000 - seed),
                                                          highValue=T.Date(daysSinceEpoch=19000 + seed), numNulls=7,
                                                          numDVs=300 + seed, bitVectors=bv)),
        obj("ts", "timestamp", timestampStats=T.TimestampColumnStatsData(
            lowValue=T.Timestamp(secondsSinceEpoch=1600000000 - seed),
            highValue=T.Timestamp(secondsSinceEpoch=1700000000 + seed), numNulls=8, numDVs=1000 + seed,
            bitVectors=bv)),
    ]


def table_stats(db, table, objs, engine=None):
    cs = T.ColumnStatistics(statsDesc=T.ColumnStatisticsDesc(isTblLevel=True, dbName=db, tableName=table),
                            statsObj=objs)
    if engine:
        cs.engine = engine
    return cs


def part_stats(db, table, part, objs):
    return T.ColumnStatistics(statsDesc=T.ColumnStatisticsDesc(isTblLevel=False, dbName=db, tableName=table,
                                                               partName=part), statsObj=objs)


def make_partitioned(c, db, name, parts):
    c.create_table(make_table(db, name, columns=COLS, partition_keys=cols(("p", "int"))))
    plist = []
    for v in parts:
        p = T.Partition(values=[str(v)], dbName=db, tableName=name, createTime=0, lastAccessTime=0,
                        sd=make_sd(COLS), parameters={}, catName="hive")
        plist.append(p)
    c.add_partitions(plist)
    return ["p=%d" % v for v in parts]


def by_name(objs):
    return {o.colName: o for o in objs}


def test_every_kind_round_trips_exactly(bclient, db):
    bclient.create_table(make_table(db, "t", columns=COLS))
    sent = all_kinds()
    assert bclient.update_table_column_statistics(table_stats(db, "t", sent))
    got = bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="t",
                                                               colNames=[o.colName for o in sent])).tableStats
    assert [o.colName for o in got] == [o.colName for o in sent]
    for g, s in zip(got, sent):
        assert g == s, s.colName
    one = bclient.get_table_column_statistics(db, "t", "dec")
    assert one.statsDesc.isTblLevel and one.statsDesc.dbName == db and one.statsDesc.tableName == "t"
    assert one.statsDesc.lastAnalyzed > 0
    assert one.statsObj == [sent[5]]


def test_optional_members_unset_stay_unset_and_update_keeps_old_ones(bclient, db):
    bclient.create_table(make_table(db, "t", columns=COLS))
    bare = obj("l", "bigint", longStats=T.LongColumnStatsData(numNulls=1, numDVs=2))
    bclient.update_table_column_statistics(table_stats(db, "t", [bare]))
    got = bclient.get_table_column_statistics(db, "t", "l").statsObj[0].statsData.longStats
    assert got.lowValue is None and got.highValue is None and got.bitVectors is None
    full = obj("l", "bigint", longStats=T.LongColumnStatsData(lowValue=1, highValue=9, numNulls=1, numDVs=2,
                                                              bitVectors=b"x"))
    bclient.update_table_column_statistics(table_stats(db, "t", [full]))
    bclient.update_table_column_statistics(table_stats(db, "t", [bare]))  # Hive keeps unset members
    got = bclient.get_table_column_statistics(db, "t", "l").statsObj[0].statsData.longStats
    assert (got.lowValue, got.highValue, got.bitVectors) == (1, 9, b"x")


def test_column_stats_accurate_is_maintained(bclient, db):
    bclient.create_table(make_table(db, "t", columns=COLS, params={"COLUMN_STATS_ACCURATE": '{"BASIC_STATS":"true"}'}))
    bclient.update_table_column_statistics(table_stats(db, "t", all_kinds()[:2]))
    params = bclient.get_table(db, "t").parameters
    assert params["COLUMN_STATS_ACCURATE"] == '{"BASIC_STATS":"true","COLUMN_STATS":{"b":"true","l":"true"}}'
    assert bclient.delete_table_column_statistics(db, "t", "b", "hive")
    params = bclient.get_table(db, "t").parameters
    assert json.loads(params["COLUMN_STATS_ACCURATE"]) == {"BASIC_STATS": "true", "COLUMN_STATS": {"l": "true"}}
    assert bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="t", colNames=["b", "l"])) \
        .tableStats[0].colName == "l"


def test_names_are_lower_cased(bclient, db):
    bclient.create_table(make_table(db, "t", columns=COLS))
    o = obj("L", "BIGINT", longStats=T.LongColumnStatsData(lowValue=1, highValue=2, numNulls=0, numDVs=2))
    bclient.update_table_column_statistics(table_stats(db.upper(), "T", [o]))
    got = bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="t", colNames=["L"])).tableStats
    assert [(g.colName, g.colType) for g in got] == [("l", "bigint")]


def test_errors(bclient, db):
    bclient.create_table(make_table(db, "t", columns=COLS))
    with pytest.raises(T.MetaException) as e:
        bclient.update_table_column_statistics(table_stats(db, "t", [obj(
            "nope", "bigint", longStats=T.LongColumnStatsData(numNulls=0, numDVs=0))]))
    assert "Column nope doesn't exist in table t in database " + db in e.value.message
    with pytest.raises(T.NoSuchObjectException):
        bclient.update_table_column_statistics(table_stats(db, "missing", all_kinds()[:1]))
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="missing", colNames=["l"]))
    with pytest.raises(T.NoSuchObjectException):
        bclient.get_aggr_stats_for(T.PartitionsStatsRequest(dbName=db, tblName="missing", colNames=["l"],
                                                            partNames=["p=1"]))
    with pytest.raises(T.NoSuchObjectException):
        bclient.delete_table_column_statistics(db, "t", "l", "hive")  # no stats for l
    # a failed batch leaves nothing behind
    good = table_stats(db, "t", all_kinds()[:1])
    bad = table_stats(db, "t", [obj("nope", "bigint", longStats=T.LongColumnStatsData(numNulls=0, numDVs=0))])
    with pytest.raises(T.MetaException):
        bclient.set_aggr_stats_for(T.SetPartitionsStatsRequest(colStats=[good, bad]))
    assert bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="t", colNames=["b"])).tableStats == []


def test_partition_stats_round_trip_and_unknown_partition(bclient, db):
    names = make_partitioned(bclient, db, "pt", [1, 2])
    sent = all_kinds(3)
    assert bclient.update_partition_column_statistics(part_stats(db, "pt", names[0], sent))
    got = bclient.get_partitions_statistics_req(T.PartitionsStatsRequest(
        dbName=db, tblName="pt", colNames=[o.colName for o in sent], partNames=names)).partStats
    assert list(got.keys()) == [names[0]]
    assert got[names[0]] == sent
    one = bclient.get_partition_column_statistics(db, "pt", names[0], "s")
    assert not one.statsDesc.isTblLevel and one.statsDesc.partName == names[0] and one.statsObj == [sent[3]]
    p = bclient.get_partition_by_name(db, "pt", names[0])
    acc = json.loads(p.parameters["COLUMN_STATS_ACCURATE"])
    assert acc == {"COLUMN_STATS": {o.colName: "true" for o in sent}}
    with pytest.raises(T.NoSuchObjectException):
        bclient.update_partition_column_statistics(part_stats(db, "pt", "p=99", sent))
    assert bclient.delete_partition_column_statistics(db, "pt", names[0], "s", "hive")
    got = bclient.get_partitions_statistics_req(T.PartitionsStatsRequest(
        dbName=db, tblName="pt", colNames=["s", "l"], partNames=names)).partStats
    assert [o.colName for o in got[names[0]]] == ["l"]
    assert bclient.delete_partition_column_statistics(db, "pt", names[0], None, "hive")
    assert bclient.get_partitions_statistics_req(T.PartitionsStatsRequest(
        dbName=db, tblName="pt", colNames=["l"], partNames=names)).partStats == {}


def hive_ndv(lower, higher, low=None, high=None, tuner=0.0):
    est = int(lower + (higher - lower) * tuner)
    if low is not None and high is not None:
        est = min(est, high - low + 1)
    return est


def test_aggr_stats_all_partitions_found(bclient, db):
    names = make_partitioned(bclient, db, "pt", [1, 2, 3])
    per = [all_kinds(i) for i in range(3)]
    req = T.SetPartitionsStatsRequest(colStats=[part_stats(db, "pt", n, objs) for n, objs in zip(names, per)])
    assert bclient.set_aggr_stats_for(req)
    colnames = [o.colName for o in per[0]]
    aggr = bclient.get_aggr_stats_for(T.PartitionsStatsRequest(dbName=db, tblName="pt", colNames=colnames,
                                                               partNames=names))
    assert aggr.partsFound == 3
    got = by_name(aggr.colStats)
    assert list(got) == colnames

    def datas(kind):
        return [getattr(by_name(p)[c].statsData, kind) for p in per for c in [k for k in colnames]
                if getattr(by_name(p)[c].statsData, kind) is not None]

    bo = [by_name(p)["b"].statsData.booleanStats for p in per]
    assert got["b"].statsData.booleanStats == T.BooleanColumnStatsData(
        numTrues=sum(x.numTrues for x in bo), numFalses=sum(x.numFalses for x in bo),
        numNulls=sum(x.numNulls for x in bo))
    lo = [by_name(p)["l"].statsData.longStats for p in per]
    low, high = min(x.lowValue for x in lo), max(x.highValue for x in lo)
    assert got["l"].statsData.longStats == T.LongColumnStatsData(
        lowValue=low, highValue=high, numNulls=sum(x.numNulls for x in lo),
        numDVs=hive_ndv(max(x.numDVs for x in lo), sum(x.numDVs for x in lo), low, high))
    do = [by_name(p)["d"].statsData.doubleStats for p in per]
    assert got["d"].statsData.doubleStats == T.DoubleColumnStatsData(
        lowValue=min(x.lowValue for x in do), highValue=max(x.highValue for x in do),
        numNulls=sum(x.numNulls for x in do), numDVs=max(x.numDVs for x in do))
    so = [by_name(p)["s"].statsData.stringStats for p in per]
    assert got["s"].statsData.stringStats == T.StringColumnStatsData(
        maxColLen=max(x.maxColLen for x in so), avgColLen=max(x.avgColLen for x in so),
        numNulls=sum(x.numNulls for x in so), numDVs=max(x.numDVs for x in so))
    bi = [by_name(p)["bin"].statsData.binaryStats for p in per]
    assert got["bin"].statsData.binaryStats == T.BinaryColumnStatsData(
        maxColLen=max(x.maxColLen for x in bi), avgColLen=max(x.avgColLen for x in bi),
        numNulls=sum(x.numNulls for x in bi))
    de = [by_name(p)["dec"].statsData.decimalStats for p in per]
    g = got["dec"].statsData.decimalStats
    assert dec_value(g.lowValue) == min(dec_value(x.lowValue) for x in de)
    assert dec_value(g.highValue) == max(dec_value(x.highValue) for x in de)
    assert (g.numNulls, g.numDVs) == (sum(x.numNulls for x in de), max(x.numDVs for x in de))
    dt = [by_name(p)["dt"].statsData.dateStats for p in per]
    low, high = min(x.lowValue.daysSinceEpoch for x in dt), max(x.highValue.daysSinceEpoch for x in dt)
    assert got["dt"].statsData.dateStats == T.DateColumnStatsData(
        lowValue=T.Date(low), highValue=T.Date(high), numNulls=sum(x.numNulls for x in dt),
        numDVs=hive_ndv(max(x.numDVs for x in dt), sum(x.numDVs for x in dt), low, high))
    ts = [by_name(p)["ts"].statsData.timestampStats for p in per]
    low, high = min(x.lowValue.secondsSinceEpoch for x in ts), max(x.highValue.secondsSinceEpoch for x in ts)
    assert got["ts"].statsData.timestampStats == T.TimestampColumnStatsData(
        lowValue=T.Timestamp(low), highValue=T.Timestamp(high), numNulls=sum(x.numNulls for x in ts),
        numDVs=hive_ndv(max(x.numDVs for x in ts), sum(x.numDVs for x in ts), low, high))


def test_aggr_stats_extrapolates_missing_partitions(bclient, db):
    names = make_partitioned(bclient, db, "pt", [0, 1, 2, 3])
    # stats for partitions 0 and 2 only: Hive extrapolates linearly to the 4 requested
    lows, highs, nulls, ndvs = {0: 10, 2: 20}, {0: 100, 2: 200}, {0: 5, 2: 6}, {0: 30, 2: 50}
    req = T.SetPartitionsStatsRequest(colStats=[
        part_stats(db, "pt", names[i], [obj("l", "bigint", longStats=T.LongColumnStatsData(
            lowValue=lows[i], highValue=highs[i], numNulls=nulls[i], numDVs=ndvs[i]))]) for i in (0, 2)])
    bclient.set_aggr_stats_for(req)
    aggr = bclient.get_aggr_stats_for(T.PartitionsStatsRequest(dbName=db, tblName="pt", colNames=["l"],
                                                               partNames=names))
    assert aggr.partsFound == 2
    g = aggr.colStats[0].statsData.longStats
    right = 3  # last index
    # min: left border (index 0) holds the min, max at index 2 → max − (max−min)·maxInd/(maxInd−minInd)
    assert g.lowValue == 20 - (20 - 10) * 2 // (2 - 0)
    assert g.highValue == 100 + (200 - 100) * (right - 0) // (2 - 0)
    assert g.numNulls == (5 + 6) // 2 * 4
    ndv = 30 + (50 - 30) * (right - 0) // (2 - 0)
    assert g.numDVs == min(ndv, g.highValue - g.lowValue + 1)
    # one partition with stats: no extrapolation
    aggr = bclient.get_aggr_stats_for(T.PartitionsStatsRequest(dbName=db, tblName="pt", colNames=["l"],
                                                               partNames=names[:2]))
    assert aggr.partsFound == 1
    assert aggr.colStats[0].statsData.longStats == T.LongColumnStatsData(lowValue=10, highValue=100, numNulls=5,
                                                                         numDVs=30)
    empty = bclient.get_aggr_stats_for(T.PartitionsStatsRequest(dbName=db, tblName="pt", colNames=[],
                                                                 partNames=names))
    assert (empty.colStats, empty.partsFound) == ([], 0)


def test_stats_follow_rename_and_vanish_with_drops(bclient, db):
    names = make_partitioned(bclient, db, "pt", [1, 2])
    bclient.update_table_column_statistics(table_stats(db, "pt", all_kinds()))
    bclient.update_partition_column_statistics(part_stats(db, "pt", names[0], all_kinds()))
    bclient.update_partition_column_statistics(part_stats(db, "pt", names[1], all_kinds()))
    t = bclient.get_table(db, "pt")
    t.tableName = "renamed"
    bclient.alter_table(db, "pt", t)
    got = bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="renamed", colNames=["l"]))
    assert got.tableStats == [all_kinds()[1]]
    ps = bclient.get_partitions_statistics_req(T.PartitionsStatsRequest(dbName=db, tblName="renamed",
                                                                        colNames=["l"], partNames=names)).partStats
    assert sorted(ps) == sorted(names)
    bclient.drop_partition_by_name(db, "renamed", names[0], False)
    ps = bclient.get_partitions_statistics_req(T.PartitionsStatsRequest(dbName=db, tblName="renamed",
                                                                        colNames=["l"], partNames=names)).partStats
    assert list(ps) == [names[1]]
    bclient.drop_table(db, "renamed", False)
    bclient.create_table(make_table(db, "renamed", columns=COLS))
    assert bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="renamed",
                                                                colNames=["l"])).tableStats == []


def test_engine_separates_stats(bclient, db):
    bclient.create_table(make_table(db, "t", columns=COLS))
    bclient.update_table_column_statistics(table_stats(db, "t", all_kinds()[:1], engine="impala"))
    assert bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="t", colNames=["b"])) \
        .tableStats == []
    assert len(bclient.get_table_statistics_req(T.TableStatsRequest(dbName=db, tblName="t", colNames=["b"],
                                                                    engine="impala")).tableStats) == 1
