# tests/integration/test_notifications.py — the notification log through the real server:
# one event per change (databases, tables, functions, inserts) in order with strictly
# increasing ids, Hive's json-0.2 message fields, none for a change that failed, paging and
# filters, counts, time-to-live trimming, and gap-free ids from two servers writing at once.

import json
import threading
import time

import pytest

import harness
from harness import T, make_table


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
    assert json.loads(ct["tableObjJson"])["Name"] == "t"
    assert evs[2].tableName == "t"
    at = msgs[3]
    assert at["isTruncateOp"] == "false" and "x" in json.loads(at["tableObjAfterJson"])["Parameters"]
    assert "x" not in json.loads(at["tableObjBeforeJson"])["Parameters"]
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
