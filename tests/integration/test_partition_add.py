# tests/integration/test_partition_add.py — add_partitions takes three roads through the real
# server, and they must store and answer the same: the request decoded from its bytes
# (thrift/partition_add.c, the plain shape), the generated structs turned into catalog rows
# (partition_write.c: a request field the byte reader does not take sends it there), and the
# JSON documents (a partition member the row path does not take, here a writeId). Compared: the
# add_partitions_req reply, what get_partitions reads back, and the ADD_PARTITION event's
# partitions decoded as Hive does (Thrift's JSON protocol); plus layouts shared or not, the
# default location, if-not-exists, duplicates and the all-or-nothing error on the byte road.
# drop_partitions_req by names likewise: from its bytes (thrift/partition_drop.c) or through the
# processor, the same reply, the same DROP_PARTITION events, nothing dropped when it fails.

import json

import pytest
from thrift.protocol import TJSONProtocol
from thrift.TSerialization import deserialize

import harness
from harness import T, cols, make_table


def sd_for(db, tbl, location, delim=","):
    sd = make_table(db, tbl).sd
    sd.location = location
    sd.serdeInfo.parameters = {"field.delim": delim}
    return sd


def parts_for(db, tbl, base):
    """A batch with every shape the byte road must take: own location, none (default), an empty
    one, another layout, escapes in values, no descriptor at all."""
    return [
        T.Partition(values=["a", "1"], dbName=db, tableName=tbl, sd=sd_for(db, tbl, base + "/own/a"),
                    parameters={"k": "v"}, lastAccessTime=5),
        T.Partition(values=["b", "2"], dbName=db, tableName=tbl, sd=sd_for(db, tbl, None), parameters={}),
        T.Partition(values=["c", "3"], dbName=db, tableName=tbl, sd=sd_for(db, tbl, ""), parameters={}),
        T.Partition(values=["d", "4"], dbName=db, tableName=tbl, sd=sd_for(db, tbl, None, "|"),
                    parameters={"transient_lastDdlTime": "1234"}),
        T.Partition(values=['q"\\/:=%\u00e9', "5"], dbName=db.upper(), tableName=tbl.upper(),
                    sd=sd_for(db, tbl, None), parameters={}),
        T.Partition(values=["nosd", "6"], dbName=db, tableName=tbl, parameters={}),
    ]


# Hive's names of the partitions above that get the default location (FileUtils.escapePathName).
DEFAULT_NAMES = {"b": "k=b/n=2", "c": "k=c/n=3", "d": "k=d/n=4",
                 'q"\\/:=%\u00e9': "k=q%22%5C%2F%3A%3D%25\u00e9/n=5"}


def comparable(p, table_location):
    """What must agree whichever road added p: everything but times, with its location relative."""
    sd = None
    if p.sd is not None:
        sd = (p.sd.location.replace(table_location, "<t>") if p.sd.location else p.sd.location,
              [(c.name, c.type, c.comment) for c in p.sd.cols or []], p.sd.inputFormat, p.sd.outputFormat,
              p.sd.serdeInfo.serializationLib if p.sd.serdeInfo else None,
              sorted((p.sd.serdeInfo.parameters or {}).items()) if p.sd.serdeInfo else None, p.sd.numBuckets)
    params = {k: v for k, v in (p.parameters or {}).items() if k != "transient_lastDdlTime"}
    return (p.values, p.dbName, p.tableName, p.catName, p.lastAccessTime, sd, sorted(params.items()),
            "transient_lastDdlTime" in (p.parameters or {}))


def add_event_parts(c, last, tbl):
    evs = [e for e in c.get_next_notification(T.NotificationEventRequest(lastEvent=last)).events
           if e.eventType == "ADD_PARTITION" and e.tableName == tbl]
    assert len(evs) == 1, evs
    msg = json.loads(evs[0].message)
    out = [deserialize(T.Partition(), s.encode("utf-8"), TJSONProtocol.TJSONProtocolFactory())
           for s in msg["partitionListJson"]]
    return out, msg["partitions"]


@pytest.mark.parametrize("road", ["bytes", "structs", "documents"])
def test_three_roads_store_and_answer_the_same(bclient, db, server, road):
    tbl = "t_" + road
    t = make_table(db, tbl, partition_keys=cols(("k", "string"), ("n", "int")))
    bclient.create_table(t)
    t = bclient.get_table(db, tbl)
    parts = parts_for(db, tbl, t.sd.location)
    req = T.AddPartitionsRequest(dbName=db, tblName=tbl, parts=parts, ifNotExists=False, needResult=True)
    if road == "structs":
        req.skipColumnSchemaForPartition = False  # a field the byte reader leaves to the processor
    if road == "documents":
        for p in parts:
            p.writeId = 7  # a member only the document path carries
    last = bclient.get_current_notificationEventId().eventId
    got = bclient.add_partitions_req(req).partitions
    assert len(got) == len(parts)
    back = {tuple(p.values): p for p in bclient.get_partitions(db, tbl, -1)}
    events, keymaps = add_event_parts(bclient, last, tbl)
    assert keymaps == [{"k": p.values[0], "n": p.values[1]} for p in parts]
    for sent, reply, event in zip(parts, got, events):
        stored = back[tuple(sent.values)]
        want = comparable(stored, t.sd.location)
        assert comparable(reply, t.sd.location) == want
        assert comparable(event, t.sd.location) == want
        assert reply.createTime == stored.createTime == event.createTime and stored.createTime > 0
        assert stored.dbName == db and stored.tableName == tbl and stored.catName == "hive"
        if sent.sd is None:
            assert stored.sd is None or not stored.sd.location
        elif sent.sd.location:
            assert stored.sd.location == sent.sd.location
        else:
            assert stored.sd.location == t.sd.location + "/" + DEFAULT_NAMES[sent.values[0]]
        if road == "documents":
            assert stored.writeId == 7
    assert back[("d", "4")].parameters["transient_lastDdlTime"] == "1234"
    assert int(back[("b", "2")].parameters["transient_lastDdlTime"]) > 0
    # the two descriptor layouts (and no more) were stored, once each, for this table
    n = harness.psql(server.args[server.args.index("--database") + 1], "SELECT count(*) FROM partition_sds s JOIN tables t"
                     " ON t.id = s.table_id JOIN databases d ON d.id = t.database_id"
                     " WHERE d.name = '%s' AND t.name = '%s'" % (db, tbl))
    assert n == "2"


def test_byte_road_if_not_exists_duplicates_and_all_or_nothing(bclient, db):
    tbl = "t"
    t = make_table(db, tbl, partition_keys=cols(("k", "string"), ("n", "int")))
    bclient.create_table(t)
    parts = parts_for(db, tbl, "s3://b/x")[:3]
    first = bclient.add_partitions_req(T.AddPartitionsRequest(dbName=db, tblName=tbl, parts=parts[:2],
                                                              ifNotExists=False, needResult=True))
    assert len(first.partitions) == 2
    # if-not-exists: only the new one is added and answered
    again = bclient.add_partitions_req(T.AddPartitionsRequest(dbName=db, tblName=tbl, parts=parts,
                                                              ifNotExists=True, needResult=True))
    assert [p.values for p in again.partitions] == [["c", "3"]]
    assert bclient.add_partitions(parts_for(db, tbl, "s3://b/x")[3:4]) == 1
    # an existing one without if-not-exists: AlreadyExistsException naming it, nothing added
    more = [T.Partition(values=["z", "9"], dbName=db, tableName=tbl, sd=sd_for(db, tbl, None), parameters={}),
            parts[0]]
    with pytest.raises(T.AlreadyExistsException) as e:
        bclient.add_partitions(more)
    assert "k=a/n=1" in e.value.message
    # a duplicate inside the batch, and a partition of another table: errors, nothing added
    with pytest.raises(T.MetaException) as e:
        bclient.add_partitions([more[0], more[0]])
    assert "Duplicate partitions" in e.value.message
    with pytest.raises(T.MetaException) as e:
        bclient.add_partitions([more[0], T.Partition(values=["y", "8"], dbName=db, tableName="other",
                                                     sd=sd_for(db, tbl, None), parameters={})])
    assert "does not belong" in e.value.message
    with pytest.raises(T.MetaException) as e:
        bclient.add_partitions([T.Partition(values=["only"], dbName=db, tableName=tbl, sd=sd_for(db, tbl, None),
                                            parameters={})])
    assert "Invalid partition key & values" in e.value.message
    names = bclient.get_partition_names(db, tbl, -1)
    assert sorted(names) == ["k=a/n=1", "k=b/n=2", "k=c/n=3", "k=d/n=4"]
    # a table that does not exist
    with pytest.raises(T.InvalidObjectException):
        bclient.add_partitions([T.Partition(values=["a", "1"], dbName=db, tableName="missing", parameters={})])


@pytest.mark.parametrize("road", ["bytes", "structs"])
def test_drop_partitions_req_roads_answer_and_notify_the_same(bclient, db, road):
    """drop_partitions_req by names: read from its bytes (thrift/partition_drop.c, answered from the
    deleted rows) or, with a field that reader leaves alone, through the generated processor."""
    tbl = "d_" + road
    t = make_table(db, tbl, partition_keys=cols(("k", "string"), ("n", "int")))
    bclient.create_table(t)
    t = bclient.get_table(db, tbl)
    parts = parts_for(db, tbl, t.sd.location)
    bclient.add_partitions(parts)
    before = {tuple(p.values): p for p in bclient.get_partitions(db, tbl, -1)}
    victims = [p.values for p in parts[1:5]]  # default locations, two layouts, escapes
    names = [DEFAULT_NAMES[v[0]] for v in victims]
    req = T.DropPartitionsRequest(dbName=db.upper(), tblName=tbl, parts=T.RequestPartsSpec(names=names),
                                  ifExists=False, needResult=True)
    if road == "structs":
        req.skipColumnSchemaForPartition = False
    last = bclient.get_current_notificationEventId().eventId
    got = bclient.drop_partitions_req(req).partitions
    assert [p.values for p in got] and sorted(p.values for p in got) == sorted(victims)
    for p in got:
        stored = before[tuple(p.values)]
        assert comparable(p, t.sd.location) == comparable(stored, t.sd.location)
        assert p.createTime == stored.createTime and p.sd == stored.sd
    left = sorted(p.values for p in bclient.get_partitions(db, tbl, -1))
    assert left == sorted([parts[0].values, parts[5].values])
    evs = [e for e in bclient.get_next_notification(T.NotificationEventRequest(lastEvent=last)).events
           if e.eventType == "DROP_PARTITION" and e.tableName == tbl]
    assert sorted(json.loads(e.message)["partitions"][0]["k"] for e in evs) == sorted(v[0] for v in victims)
    assert all(json.loads(e.message)["tableObjJson"] for e in evs)
    # needResult false answers no partitions; a missing name without ifExists drops nothing
    res = bclient.drop_partitions_req(T.DropPartitionsRequest(dbName=db, tblName=tbl, parts=T.RequestPartsSpec(
        names=["k=a/n=1"]), needResult=False))
    assert not res.partitions
    with pytest.raises(T.NoSuchObjectException):
        bclient.drop_partitions_req(T.DropPartitionsRequest(dbName=db, tblName=tbl, parts=T.RequestPartsSpec(
            names=["k=nosd/n=6", "k=gone/n=0"]), ifExists=False))
    assert [p.values for p in bclient.get_partitions(db, tbl, -1)] == [["nosd", "6"]]
    with pytest.raises(T.NoSuchObjectException):
        bclient.drop_partitions_req(T.DropPartitionsRequest(dbName=db, tblName="missing", parts=T.RequestPartsSpec(
            names=["k=a/n=1"])))
