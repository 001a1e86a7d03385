# tests/integration/test_notifications.py — the notification log through the real server:
# one event per change (databases, tables, functions, inserts) in order with strictly
# increasing ids, Hive's json-0.2 message fields, none for a change that failed, paging and
# filters, counts, time-to-live trimming, and gap-free ids from two servers writing at once.
# The *ObjJson fields are decoded as Hive's JSONMessageDeserializer does: Thrift's JSON protocol
# into the generated struct. Partition events; a cascading drop's per-object events. A message
# of 64 KiB or more (add_partitions of hundreds) is stored deflated and read back whole; rows
# written before that (0011_event_deflate.sql) stay text and readable.

import json
import os
import shutil
import threading
import time

import pytest
from thrift.protocol import TJSONProtocol
from thrift.TSerialization import deserialize

import harness
from harness import T, cols, make_table, psql


def tobj(cls, text):
    """text (an *ObjJson field) decoded as Hive's MessageBuilder.getTObj does: TJSONProtocol."""
    return deserialize(cls(), text.encode("utf-8"), TJSONProtocol.TJSONProtocolFactory())


def events_after(c, last, **kw):
    return c.get_next_notification(T.NotificationEventRequest(lastEvent=last, **kw)).events


def current(c):
    return c.get_current_notificationEventId().eventId


def test_events_for_each_change(bclient):
    db = harness.uniq("db")
    start = current(bclient)
    bclient.create_database(T.Database(name=db, description="d", parameters={}))
    bclient.alter_database(db, T.Database(name=db, description="d2", parameters={"a": "b"}))
    bclient.create_table(make_table(db, "t"))
    t = bclient.get_table(db, "t")
    t.parameters["x"] = "y"
    bclient.alter_table(db, "t", t)
    bclient.create_function(T.Function(functionName="f", dbName=db, className="a.B", ownerName="o",
                                       ownerType=T.PrincipalType.USER, createTime=0, functionType=T.FunctionType.JAVA,
                                       resourceUris=[]))
    bclient.drop_function(db, "f")
    ids = bclient.fire_listener_event(T.FireEventRequest(
        successful=True, dbName=db, tableName="t",
        data=T.FireEventRequestData(insertData=T.InsertEventRequestData(replace=False, filesAdded=["f1", "f2"])))).eventIds
    bclient.drop_table(db, "t", True)
    bclient.drop_database(db, True, True)
    evs = [e for e in events_after(bclient, start) if e.dbName == db]
    assert [e.eventType for e in evs] == ["CREATE_DATABASE", "ALTER_DATABASE", "CREATE_TABLE", "ALTER_TABLE",
                                          "CREATE_FUNCTION", "DROP_FUNCTION", "INSERT", "DROP_TABLE", "DROP_DATABASE"]
    assert all(b.eventId > a.eventId for a, b in zip(evs, evs[1:]))
    assert ids == [evs[6].eventId]
    assert all(e.messageFormat == "json-0.2" and e.catName == "hive" and e.eventTime > 0 for e in evs)
    msgs = [json.loads(e.message) for e in evs]
    for m in msgs:
        assert m["server"] and m["servicePrincipal"] is not None and m["db"] == db and m["timestamp"] > 0
    ct = msgs[2]
    assert ct["table"] == "t" and ct["tableType"] == "MANAGED_TABLE" and ct["files"] == []
    assert tobj(T.Table, ct["tableObjJson"]).tableName == "t"
    assert evs[2].tableName == "t"
    at = msgs[3]
    assert at["isTruncateOp"] == "false" and "x" in tobj(T.Table, at["tableObjAfterJson"]).parameters
    assert "x" not in tobj(T.Table, at["tableObjBeforeJson"]).parameters
    assert tobj(T.Database, msgs[0]["dbJson"]).description == "d"
    assert tobj(T.Database, msgs[1]["dbObjAfterJson"]).parameters == {"a": "b"}
    fn = tobj(T.Function, msgs[4]["functionObjJson"])
    assert (fn.functionName, fn.dbName, fn.className, fn.ownerName) == ("f", db, "a.B", "o")
    assert msgs[5]["functionName"] == "f"
    assert msgs[6]["files"] == ["f1", "f2"] and msgs[6]["replace"] == "false"
    assert current(bclient) >= evs[-1].eventId


def test_no_event_for_failed_change(bclient, db):
    bclient.create_table(make_table(db, "t"))
    before = current(bclient)
    with pytest.raises(T.AlreadyExistsException):
        bclient.create_table(make_table(db, "t"))
    with pytest.raises(T.MetaException):
        t = bclient.get_table(db, "t")
        env = T.EnvironmentContext(properties={"expected_parameter_key": "k", "expected_parameter_value": "nope"})
        bclient.alter_table_with_environment_context(db, "t", t, env)
    assert [e for e in events_after(bclient, before) if e.dbName == db] == []


def test_paging_filters_and_count(bclient, db):
    before = current(bclient)
    for i in range(5):
        bclient.create_table(make_table(db, "t%d" % i))
    mine = [e for e in events_after(bclient, before) if e.dbName == db]
    assert len(mine) == 5
    first = mine[0].eventId - 1
    page1 = events_after(bclient, first, maxEvents=2, dbName=db)
    page2 = events_after(bclient, page1[-1].eventId, maxEvents=2, dbName=db)
    page3 = events_after(bclient, page2[-1].eventId, maxEvents=2, dbName=db)
    assert [e.tableName for e in page1 + page2 + page3] == ["t0", "t1", "t2", "t3", "t4"]
    assert events_after(bclient, first, dbName=db, eventTypeSkipList=["CREATE_TABLE"]) == []
    assert [e.tableName for e in events_after(bclient, first, dbName=db, tableNames=["t3"])] == ["t3"]
    count = bclient.get_notification_events_count(T.NotificationEventsCountRequest(fromEventId=first, dbName=db))
    assert count.eventsCount == 5
    count = bclient.get_notification_events_count(T.NotificationEventsCountRequest(
        fromEventId=first, dbName=db, toEventId=mine[2].eventId))
    assert count.eventsCount == 3


def test_events_trimmed_after_ttl(start_server, pg):
    url = pg.create_database("events_ttl")
    srv = start_server(["--database", url], config="[limits]\nevent_ttl_s = 1\n")
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name=harness.uniq("db"), parameters={}))
        last = current(c)
        assert len(events_after(c, 0)) >= 1
        time.sleep(2.2)
        assert events_after(c, 0) == []
        assert current(c) == last  # ids keep counting


def test_two_servers_gap_free(start_server, pg):
    url = pg.create_database("events_two")
    servers = [start_server(["--database", url]) for _ in range(2)]
    db = harness.uniq("db")
    with harness.connect(servers[0].port) as c:
        c.create_database(T.Database(name=db, parameters={}))
        start = current(c)
    seen, stop, errors = [], threading.Event(), []

    def writer(i):
        try:
            with harness.connect(servers[i % 2].port) as c:
                for k in range(15):
                    c.create_table(make_table(db, "w%d_%d" % (i, k)))
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    def reader():
        with harness.connect(servers[1].port) as c:
            last = start
            while not stop.is_set() or last < start + 60:
                for e in events_after(c, last, maxEvents=7):
                    assert e.eventId == last + 1, "gap after %d: got %d" % (last, e.eventId)
                    last = e.eventId
                    seen.append(e.eventId)
                if stop.is_set() and current(c) == last:
                    break

    r = threading.Thread(target=reader)
    r.start()
    ws = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    stop.set()
    r.join(timeout=60)
    assert errors == []
    assert seen == list(range(start + 1, start + 61))


def test_obj_json_is_thrift_json_of_what_was_created(bclient, db):
    start = current(bclient)
    t = make_table(db, "tj", params={"k": "v \"quoted\" \u00e9\u4e2d\n\ttab"},
                   partition_keys=cols(("ds", "string")))
    t.sd.cols[0].comment = "back\\slash / and \x01 control"
    t.sd.serdeInfo.parameters = {"serialization.format": "1"}
    bclient.create_table(t)
    bclient.create_database(T.Database(name=db + "_x", description="é", locationUri="file:/tmp/x",
                                       parameters={"p": "1"}, ownerName="bob", ownerType=T.PrincipalType.ROLE))
    bclient.create_function(T.Function(functionName="g", dbName=db, className="x.Y", ownerName="o",
                                       ownerType=T.PrincipalType.USER, createTime=0,
                                       functionType=T.FunctionType.JAVA,
                                       resourceUris=[T.ResourceUri(resourceType=T.ResourceType.JAR, uri="s3://j.jar")]))
    evs = {e.eventType: e for e in events_after(bclient, start)
           if e.dbName in (db, db + "_x")}
    got = tobj(T.Table, json.loads(evs["CREATE_TABLE"].message)["tableObjJson"])
    assert got == bclient.get_table(db, "tj")
    assert got.parameters["k"] == t.parameters["k"] and got.sd.cols[0].comment == t.sd.cols[0].comment
    gdb = tobj(T.Database, json.loads(evs["CREATE_DATABASE"].message)["dbJson"])
    assert gdb == bclient.get_database(db + "_x")
    gfn = tobj(T.Function, json.loads(evs["CREATE_FUNCTION"].message)["functionObjJson"])
    assert gfn == bclient.get_function(db, "g")
    assert gfn.resourceUris[0].uri == "s3://j.jar"
    bclient.drop_database(db + "_x", True, True)


def test_partition_events(bclient, db):
    bclient.create_table(make_table(db, "pt", partition_keys=cols(("ds", "string"), ("h", "int"))))
    table = bclient.get_table(db, "pt")
    start = current(bclient)

    def part(vals):
        sd = make_table(db, "pt").sd
        return T.Partition(values=vals, dbName=db, tableName="pt", createTime=0, lastAccessTime=0, sd=sd,
                           parameters={})
    bclient.add_partitions([part(["a", "1"]), part(["b", "2"])])
    stored = bclient.get_partitions_by_names(db, "pt", ["ds=a/h=1", "ds=b/h=2"])
    p = bclient.get_partition(db, "pt", ["a", "1"])
    p.parameters["x"] = "y"
    bclient.alter_partition(db, "pt", p)
    bclient.drop_partition(db, "pt", ["b", "2"], True)
    with pytest.raises(T.NoSuchObjectException):
        bclient.drop_partition(db, "pt", ["zz", "9"], True)  # failed: no event
    evs = [e for e in events_after(bclient, start) if e.dbName == db]
    assert [e.eventType for e in evs] == ["ADD_PARTITION", "ALTER_PARTITION", "DROP_PARTITION"]
    assert all(e.tableName == "pt" for e in evs)
    add, alt, drop = [json.loads(e.message) for e in evs]
    assert add["table"] == "pt" and add["tableType"] == "MANAGED_TABLE" and add["partitionFiles"] == []
    assert add["partitions"] == [{"ds": "a", "h": "1"}, {"ds": "b", "h": "2"}]
    assert tobj(T.Table, add["tableObjJson"]) == table
    added = [tobj(T.Partition, j) for j in add["partitionListJson"]]
    assert added == stored
    assert added[0].sd.location.endswith("/ds=a/h=1") and added[0].dbName == db and added[0].tableName == "pt"
    assert alt["keyValues"] == {"ds": "a", "h": "1"} and alt["isTruncateOp"] == "false"
    before, after = tobj(T.Partition, alt["partitionObjBeforeJson"]), tobj(T.Partition, alt["partitionObjAfterJson"])
    assert "x" not in before.parameters and after.parameters["x"] == "y"
    assert after == bclient.get_partition(db, "pt", ["a", "1"])
    assert drop["partitions"] == [{"ds": "b", "h": "2"}] and tobj(T.Table, drop["tableObjJson"]).tableName == "pt"
    for m in (add, alt, drop):
        assert m["db"] == db and m["server"] and m["timestamp"] > 0


def test_batch_drop_fires_one_event_per_partition(bclient, db):
    # drop_partitions_req of several: one DROP_PARTITION each, as Hive fires them, appended together
    bclient.create_table(make_table(db, "bd", partition_keys=cols(("k", "string"))))
    table = bclient.get_table(db, "bd")
    sd = make_table(db, "bd").sd
    bclient.add_partitions([T.Partition(values=[v], dbName=db, tableName="bd", createTime=0, lastAccessTime=0,
                                        sd=sd, parameters={}) for v in ("a", "b", "c")])
    start = current(bclient)
    bclient.drop_partitions_req(T.DropPartitionsRequest(dbName=db, tblName="bd", parts=T.RequestPartsSpec(
        names=["k=c", "k=a", "k=b"]), ifExists=False, needResult=True))
    evs = [e for e in events_after(bclient, start) if e.dbName == db]
    assert [e.eventType for e in evs] == ["DROP_PARTITION"] * 3
    assert all(b.eventId == a.eventId + 1 for a, b in zip(evs, evs[1:]))
    msgs = [json.loads(e.message) for e in evs]
    assert sorted(m["partitions"][0]["k"] for m in msgs) == ["a", "b", "c"]
    assert all(len(m["partitions"]) == 1 and tobj(T.Table, m["tableObjJson"]) == table for m in msgs)
    assert all(e.tableName == "bd" for e in evs)


def test_cascading_drop_database_events(bclient):
    db = harness.uniq("db")
    bclient.create_database(T.Database(name=db, parameters={}))
    bclient.create_table(make_table(db, "t1"))
    bclient.create_table(make_table(db, "t2"))
    bclient.create_function(T.Function(functionName="f", dbName=db, className="a.B", ownerName="o",
                                       ownerType=T.PrincipalType.USER, createTime=0,
                                       functionType=T.FunctionType.JAVA, resourceUris=[]))
    start = current(bclient)
    bclient.drop_database(db, True, True)
    evs = [e for e in events_after(bclient, start) if e.dbName == db]
    assert [e.eventType for e in evs] == ["DROP_FUNCTION", "DROP_TABLE", "DROP_TABLE", "DROP_DATABASE"]
    assert sorted(e.tableName for e in evs if e.eventType == "DROP_TABLE") == ["t1", "t2"]
    msgs = [json.loads(e.message) for e in evs]
    assert msgs[0]["functionName"] == "f"
    assert {tobj(T.Table, m["tableObjJson"]).tableName for m in msgs[1:3]} == {"t1", "t2"}
    assert tobj(T.Database, msgs[3]["dbJson"]).name == db
    assert all(b.eventId == a.eventId + 1 for a, b in zip(evs, evs[1:]))


def test_big_add_partition_message_stored_deflated(start_server, pg):
    # 0011_event_deflate.sql: a message of >= 64 KiB goes to message_deflate (message NULL), a small
    # one stays text; get_next_notification returns both exactly as written
    url = pg.create_database("events_deflate")
    srv = start_server(["--database", url])
    db = harness.uniq("db")
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name=db, parameters={}))
        c.create_table(make_table(db, "big", partition_keys=cols(("ds", "string"), ("h", "int"))))
        start = current(c)
        sd = make_table(db, "big", columns=cols(("id", "bigint", "the id"), ("name", "string"),
                                                ("amount", "decimal(10,2)"), ("note", "string", "caf\u00e9"))).sd
        parts = [T.Partition(values=["2024-01-%02d" % (i % 28 + 1), str(i)], dbName=db, tableName="big",
                             createTime=0, lastAccessTime=0, sd=sd, parameters={"n": str(i)}) for i in range(500)]
        c.add_partitions(parts)
        c.create_table(make_table(db, "small"))
        evs = [e for e in events_after(c, start) if e.dbName == db]
        assert [e.eventType for e in evs] == ["ADD_PARTITION", "CREATE_TABLE"]
        add, small = evs
        assert len(add.message.encode("utf-8")) >= 64 * 1024
        assert add.messageFormat == "json-0.2" and add.tableName == "big" and add.catName == "hive"
        m = json.loads(add.message)
        got = [tobj(T.Partition, j) for j in m["partitionListJson"]]
        assert len(got) == 500
        assert sorted(p.values for p in got) == sorted(p.values for p in parts)
        key = lambda p: (p.values[0], int(p.values[1]))  # noqa: E731
        assert sorted(got, key=key) == sorted(c.get_partitions(db, "big", -1), key=key)
        assert sorted(m["partitions"], key=lambda kv: int(kv["h"])) == [
            {"ds": p.values[0], "h": p.values[1]} for p in parts]
        assert json.loads(small.message)["table"] == "small"
    rows = psql(url, "SELECT event_type, message IS NULL, message_deflate IS NULL,"
                     " octet_length(message_deflate) * 5 < %d FROM notification_log"
                     " WHERE event_id IN (%d, %d) ORDER BY event_id"
                % (len(add.message.encode("utf-8")), add.eventId, small.eventId))
    assert rows.splitlines() == ["ADD_PARTITION|t|f|t", "CREATE_TABLE|f|t|"]


def test_events_written_before_0011_stay_text_and_readable(start_server, pg, tmp_path):
    # a database migrated without 0011_event_deflate.sql, holding text events (one > 64 KiB),
    # is migrated on the next start; old rows are read back unchanged beside new deflated ones
    old = tmp_path / "migrations-0010"
    old.mkdir()
    for f in harness.migration_files():
        if os.path.basename(f) < "0011":
            shutil.copy(f, str(old))
    url = pg.create_database("events_upgrade")
    srv = start_server(["--database", url, "--migrations", str(old)])
    assert srv.stop() == 0
    db = harness.uniq("db")
    psql(url, "INSERT INTO notification_log SELECT id, extract(epoch FROM clock_timestamp())::bigint,"
              " 'CREATE_DATABASE', 'hive', '%s', NULL,"
              " '{\"db\":\"%s\",\"pad\":\"' || repeat('x\u00e9', n) || '\"}', 'json-0.2'"
              " FROM (VALUES (1, 1), (2, 50000)) v(id, n);"
              " UPDATE txn_counters SET next = 3 WHERE name = 'event'" % (db, db))
    srv = start_server(["--database", url])
    assert int(psql(url, "SELECT count(*) FROM schema_migrations")) == len(harness.migration_files())
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name=db + "_new", description="y" * 70000, parameters={}))
        evs = events_after(c, 0)
    assert [e.eventId for e in evs] == [1, 2, 3]
    assert [json.loads(e.message).get("pad") for e in evs[:2]] == ["x\u00e9", "x\u00e9" * 50000]
    assert evs[0].dbName == db and evs[0].tableName is None and evs[0].catName == "hive"
    assert tobj(T.Database, json.loads(evs[2].message)["dbJson"]).description == "y" * 70000
    assert psql(url, "SELECT string_agg((message IS NULL)::text, ',' ORDER BY event_id) FROM notification_log") \
        == "false,false,true"
