# tests/integration/test_lock_owners.py — locks, transactions and compactions have owners and
# permission checks (issue 15).
#
# LF-only mode (defaults closed, IAM_ALLOWED_PRINCIPALS no database creator), table t1 with
# hidden columns. pam holds SELECT on columns id, name of t1; walt INSERT on t1; xavier nothing.
# Acting on a lock or transaction is for its owner (the authenticated principal, not the
# request's `user` field) or a data lake administrator; taking a lock or write ids needs a
# permission on the table; listings show what the caller could see; a denied call changes
# nothing and is audited. Thrift runs on a trust-ugi listener, set_ugi naming the principal.

import sys
import time

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
pytest.importorskip("boto3")
from thrift.Thrift import TApplicationException  # noqa: E402

import harness  # noqa: E402
from harness import T  # noqa: E402
from test_permissions import World, grant, propolis_call  # noqa: E402

DB = "lockdb"
T1_COLS = [{"Name": c, "Type": "string"} for c in ("id", "name", "ssn_secret", "salary_secret")]
SR, SW, EX = T.LockType.SHARED_READ, T.LockType.SHARED_WRITE, T.LockType.EXCLUSIVE
OP = T.DataOperationType


@pytest.fixture(scope="module")
def owner_server(pg, tmp_path_factory):
    """A server with a trust-ugi Thrift listener and the HTTP door."""
    yield from harness.lf_server(pg, tmp_path_factory, "owners")


@pytest.fixture(scope="module")
def world(owner_server):
    w = World(owner_server)
    lf = w.client("lakeformation", "admin")
    glue = w.client("glue", "admin")
    harness.lf_close_defaults(lf)
    for name in ("pam", "xavier", "walt"):
        w.create_principal(name)
    glue.create_database(DatabaseInput={"Name": DB})
    for t in ("t1", "t2"):
        glue.create_table(DatabaseName=DB, TableInput={
            "Name": t, "TableType": "EXTERNAL_TABLE", "PartitionKeys": [{"Name": "ds", "Type": "string"}],
            "StorageDescriptor": {"Columns": T1_COLS, "Location": "file:///tmp/owners/" + t}})
    grant(lf, w.arns["pam"], {"TableWithColumns": {"DatabaseName": DB, "Name": "t1", "ColumnNames": ["id", "name"]}},
          ["SELECT"])
    grant(lf, w.arns["walt"], {"Table": {"DatabaseName": DB, "Name": "t1"}}, ["INSERT"])
    w.c = {who: w.thrift(who) for who in ("admin", "pam", "xavier", "walt")}
    yield w
    for c in w.c.values():
        c.close()


def comp(table, type=SR, op=OP.NO_TXN, db=DB):
    level = T.LockLevel.TABLE if table else T.LockLevel.DB
    return T.LockComponent(type=type, level=level, dbname=db, tablename=table, operationType=op)


def lock(c, *components, txnid=None, user="pam"):
    # `user` is the client's word, not identity: xavier claiming to be pam changes nothing.
    return c.lock(T.LockRequest(component=list(components), txnid=txnid, user=user, hostname="h"))


def open_txn(c, user="pam"):
    return c.open_txns(T.OpenTxnRequest(num_txns=1, user=user, hostname="h")).txn_ids[0]


def denied(fn, *args):
    """The call fails with the Lake Formation denial (MetaException where declared, else TApplicationException)."""
    with pytest.raises((T.MetaException, TApplicationException)) as e:
        fn(*args)
    assert "Insufficient Lake Formation permission" in str(e.value.message), e.value.message


def audited_denials(w, resource):
    sql = ("SELECT count(*) FROM authz_audit WHERE NOT allowed AND principal = '%s' AND resource = '%s'"
           % (w.arns["xavier"], resource))
    for _ in range(50):  # the audit writer batches every 200 ms
        n = int(harness.psql(w.srv.db_url, sql))
        if n > 0:
            return n
        time.sleep(0.1)
    return 0


def test_shared_read_lock_is_its_owners(world):
    pam, x, admin = world.c["pam"], world.c["xavier"], world.c["admin"]
    l = lock(pam, comp("t1"))
    assert l.state == T.LockState.ACQUIRED
    check = T.CheckLockRequest(lockid=l.lockid)
    # xavier, with no grant, can neither release nor poke pam's lock, even claiming to be pam
    denied(x.unlock, T.UnlockRequest(lockid=l.lockid))
    assert pam.check_lock(check).state == T.LockState.ACQUIRED
    denied(x.check_lock, check)
    denied(x.heartbeat, T.HeartbeatRequest(lockid=l.lockid))
    assert audited_denials(world, "lock %d" % l.lockid) >= 1
    # ... nor see it, nor take his own on t1
    assert [e.lockid for e in x.show_locks(T.ShowLocksRequest(dbname=DB)).locks] == []
    assert l.lockid in [e.lockid for e in pam.show_locks(T.ShowLocksRequest(dbname=DB)).locks]
    assert l.lockid in [e.lockid for e in admin.show_locks(T.ShowLocksRequest()).locks]
    denied(lock, x, comp("t1"))
    denied(lock, x, comp(None))  # the database is not visible to him either
    assert audited_denials(world, "table %s.t1" % DB) >= 1
    # column SELECT is not a write permission; INSERT allows an INSERT write lock, not a DELETE
    denied(lock, pam, comp("t1", EX))
    denied(lock, pam, comp(None, EX))  # database-level exclusive: ALTER on the database
    denied(lock, world.c["walt"], comp("t1", SW, OP.DELETE))
    denied(lock, world.c["walt"], comp("t1", SW, OP.INSERT), comp("t2"))  # every component is checked
    wl = lock(world.c["walt"], comp("t1", SW, OP.INSERT))
    assert wl.state == T.LockState.ACQUIRED
    pam.heartbeat(T.HeartbeatRequest(lockid=l.lockid))
    # the administrator may release anyone's lock, through Thrift and through the admin tool
    admin.unlock(T.UnlockRequest(lockid=l.lockid))
    with pytest.raises(T.NoSuchLockException):
        pam.check_lock(check)
    k, s = world.keys["xavier"]
    st, _ = propolis_call(world.srv, k, s, "ReleaseLock", {"LockId": wl.lockid})
    assert st != 200
    assert world.c["walt"].check_lock(T.CheckLockRequest(lockid=wl.lockid)).state == T.LockState.ACQUIRED
    st, out = propolis_call(world.srv, *world.keys["admin"], "ListLocks", {"Database": DB})
    assert [(e["LockId"], e["Owner"]) for e in out["Locks"]] == [(wl.lockid, world.arns["walt"])]
    st, out = propolis_call(world.srv, *world.keys["admin"], "ReleaseLock", {"LockId": wl.lockid})
    assert st == 200, out


def test_transactions_are_their_owners(world):
    pam, x, walt, admin = world.c["pam"], world.c["xavier"], world.c["walt"], world.c["admin"]
    txn = open_txn(pam)
    mine = open_txn(x, user="pam")
    denied(x.heartbeat, T.HeartbeatRequest(txnid=txn))
    denied(x.heartbeat_txn_range, T.HeartbeatTxnRangeRequest(min=txn, max=txn))
    denied(x.commit_txn, T.CommitTxnRequest(txnid=txn))
    denied(x.abort_txn, T.AbortTxnRequest(txnid=txn))
    denied(x.abort_txns, T.AbortTxnsRequest(txn_ids=[mine, txn]))
    denied(x.get_latest_txnid_in_conflict, txn)
    denied(x.lock, T.LockRequest(component=[comp("t1")], txnid=txn, user="pam", hostname="h"))
    assert audited_denials(world, "transaction %d" % txn) >= 1
    # nothing changed: both still open, each listed to its owner only (ids to everyone)
    info = {who: {t.id for t in world.c[who].get_open_txns_info().open_txns} for who in ("pam", "xavier", "admin")}
    assert txn in info["pam"] and mine not in info["pam"]
    assert mine in info["xavier"] and txn not in info["xavier"]
    assert {txn, mine} <= info["admin"]
    assert {txn, mine} <= set(x.get_open_txns().open_txns)
    # write ids: table permission (INSERT, ALTER or DELETE) and the caller's own transaction
    alloc = T.AllocateTableWriteIdsRequest
    denied(x.allocate_table_write_ids, alloc(dbName=DB, tableName="t1", txnIds=[mine]))
    denied(pam.allocate_table_write_ids, alloc(dbName=DB, tableName="t1", txnIds=[txn]))
    wtxn = open_txn(walt)
    denied(walt.allocate_table_write_ids, alloc(dbName=DB, tableName="t1", txnIds=[txn]))
    ids = walt.allocate_table_write_ids(alloc(dbName=DB, tableName="t1", txnIds=[wtxn])).txnToWriteIds
    assert [(i.txnId, i.writeId) for i in ids] == [(wtxn, 1)]
    dyn = T.AddDynamicPartitions(txnid=wtxn, writeid=1, dbname=DB, tablename="t1", partitionnames=["ds=1"],
                                 operationType=OP.INSERT)
    denied(x.add_dynamic_partitions, dyn)
    walt.add_dynamic_partitions(dyn)
    valid = T.GetValidWriteIdsRequest(fullTableNames=["%s.t1" % DB])
    denied(x.get_valid_write_ids, valid)
    assert pam.get_valid_write_ids(valid).tblValidWriteIds[0].writeIdHighWaterMark == 1
    # a write lock inside one's own transaction, then commit and abort by the owners
    wl = walt.lock(T.LockRequest(component=[comp("t1", SW, OP.INSERT)], txnid=wtxn, user="u", hostname="h"))
    assert wl.state == T.LockState.ACQUIRED
    denied(x.unlock, T.UnlockRequest(lockid=wl.lockid))
    walt.commit_txn(T.CommitTxnRequest(txnid=wtxn))
    pam.heartbeat(T.HeartbeatRequest(txnid=txn))
    pam.commit_txn(T.CommitTxnRequest(txnid=txn))
    x.abort_txn(T.AbortTxnRequest(txnid=mine))
    other = open_txn(pam)
    admin.abort_txn(T.AbortTxnRequest(txnid=other))  # administrators may act on any transaction


def test_compactions_need_alter_and_show_only_visible(world):
    pam, x, admin = world.c["pam"], world.c["xavier"], world.c["admin"]
    req = T.CompactionRequest(dbname=DB, tablename="t1", type=T.CompactionType.MAJOR)
    denied(x.compact, req)
    denied(pam.compact2, req)  # column SELECT is not ALTER
    r = admin.compact2(req)
    assert r.accepted
    assert r.id in [c.id for c in pam.show_compact(T.ShowCompactRequest(dbName=DB)).compacts]
    assert x.show_compact(T.ShowCompactRequest()).compacts == []
    owner = harness.psql(world.srv.db_url, "SELECT owner FROM compactions WHERE id = %d" % r.id)
    assert owner == world.arns["admin"]


def test_owner_is_the_principal_and_old_rows_are_admins_only(world):
    pam, x, admin = world.c["pam"], world.c["xavier"], world.c["admin"]
    l = lock(pam, comp("t1"), user="somebody-else")
    owner = harness.psql(world.srv.db_url, "SELECT owner FROM locks WHERE id = %d" % l.lockid)
    assert owner == world.arns["pam"]
    # a lock from before 0013 (no owner) belongs to nobody: only administrators act on it
    harness.psql(world.srv.db_url, "UPDATE locks SET owner = NULL WHERE id = %d" % l.lockid)
    denied(pam.unlock, T.UnlockRequest(lockid=l.lockid))
    admin.unlock(T.UnlockRequest(lockid=l.lockid))
    txn = open_txn(pam)
    harness.psql(world.srv.db_url, "UPDATE txns SET owner = NULL WHERE id = %d" % txn)
    denied(pam.commit_txn, T.CommitTxnRequest(txnid=txn))
    assert txn not in {t.id for t in pam.get_open_txns_info().open_txns}
    admin.commit_txn(T.CommitTxnRequest(txnid=txn))


def test_notification_count_counts_what_the_caller_sees(world):
    count = T.NotificationEventsCountRequest(fromEventId=0, dbName=DB)
    n = {who: world.c[who].get_notification_events_count(count).eventsCount for who in ("admin", "pam", "xavier")}
    assert n["xavier"] == 0 < n["pam"] < n["admin"]  # pam sees t1's events, not t2's
    events = world.c["pam"].get_next_notification(T.NotificationEventRequest(lastEvent=0)).events
    assert n["pam"] == len([e for e in events if e.dbName == DB])
    capped = T.NotificationEventsCountRequest(fromEventId=0, dbName=DB, limit=1)
    assert world.c["pam"].get_notification_events_count(capped).eventsCount == 1
