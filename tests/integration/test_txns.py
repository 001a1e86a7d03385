# tests/integration/test_txns.py — Hive ACID transactions through the real server: open,
# commit, abort (with Hive's exceptions), write ids per table, the open-transaction snapshot
# and valid write ids, locks released by commit/abort, heartbeats, timeouts, dynamic
# partitions and compactions (recorded).

import time

import pytest

import harness
from harness import T, make_table


def open_txns(c, n=1):
    return c.open_txns(T.OpenTxnRequest(num_txns=n, user="tester", hostname="host", agentInfo="test")).txn_ids


def alloc(c, db, table, txns):
    res = c.allocate_table_write_ids(T.AllocateTableWriteIdsRequest(dbName=db, tableName=table, txnIds=txns))
    return {t.txnId: t.writeId for t in res.txnToWriteIds}


def bits(b):
    """Java BitSet bytes → set of positions."""
    return {i * 8 + k for i, byte in enumerate(b or b"") for k in range(8) if byte & (1 << k)}


def test_open_commit_abort(bclient):
    ids = open_txns(bclient, 3)
    assert len(ids) == 3 and ids == list(range(ids[0], ids[0] + 3))
    info = bclient.get_open_txns_info()
    assert set(ids) <= {t.id for t in info.open_txns} and info.txn_high_water_mark >= ids[-1]
    mine = [t for t in info.open_txns if t.id == ids[0]][0]
    assert (mine.state, mine.user, mine.hostname, mine.agentInfo) == (T.TxnState.OPEN, "tester", "host", "test")
    bclient.commit_txn(T.CommitTxnRequest(txnid=ids[0]))
    bclient.abort_txn(T.AbortTxnRequest(txnid=ids[1]))
    bclient.abort_txn(T.AbortTxnRequest(txnid=ids[1]))  # aborting twice is harmless
    bclient.abort_txns(T.AbortTxnsRequest(txn_ids=[ids[2]]))
    open_now = {t.id for t in bclient.get_open_txns_info().open_txns}
    assert not (set(ids) & open_now)  # the aborted ones wrote nothing, so they are not listed
    with pytest.raises(T.TxnAbortedException) as e:
        bclient.commit_txn(T.CommitTxnRequest(txnid=ids[1]))
    assert e.value.message == "Transaction txnid:%d already aborted" % ids[1]
    with pytest.raises(T.NoSuchTxnException) as e:
        bclient.commit_txn(T.CommitTxnRequest(txnid=ids[0]))
    assert e.value.message == "Transaction txnid:%d is already committed." % ids[0]
    with pytest.raises(T.NoSuchTxnException) as e:
        bclient.abort_txn(T.AbortTxnRequest(txnid=999999999))
    assert e.value.message == "No such transaction txnid:999999999"


def test_write_ids_and_snapshot(bclient, db):
    t = make_table(db, "acid", params={"transactional": "true", "transactional_properties": "default"})
    bclient.create_table(t)
    assert bclient.get_table(db, "acid").parameters["transactional"] == "true"
    a, b, c = open_txns(bclient, 3)
    assert alloc(bclient, db, "acid", [a, b]) == {a: 1, b: 2}
    assert alloc(bclient, db, "acid", [a]) == {a: 1}  # allocated once per txn and table
    assert alloc(bclient, db, "acid", [c]) == {c: 3}
    assert alloc(bclient, db, "other", [c]) == {c: 1}  # per-table counters
    bclient.commit_txn(T.CommitTxnRequest(txnid=a))
    bclient.abort_txn(T.AbortTxnRequest(txnid=b))
    full = "%s.acid" % db
    v = bclient.get_valid_write_ids(T.GetValidWriteIdsRequest(fullTableNames=[full])).tblValidWriteIds[0]
    assert v.fullTableName == full and v.writeIdHighWaterMark == 3
    assert v.invalidWriteIds == [2, 3] and bits(v.abortedBits) == {0} and v.minOpenWriteId == 3
    snap = bclient.get_open_txns()
    pos = {txn: i for i, txn in enumerate(snap.open_txns)}
    assert b in pos and c in pos and a not in pos  # the aborted b wrote, so readers must skip it
    assert pos[b] in bits(snap.abortedBits) and pos[c] not in bits(snap.abortedBits)
    assert snap.min_open_txn <= c
    with pytest.raises(T.TxnAbortedException):
        alloc(bclient, db, "acid", [b])
    # a wrote acid and committed after c started; b aborted
    assert bclient.get_latest_txnid_in_conflict(c) == a
    bclient.commit_txn(T.CommitTxnRequest(txnid=c))


def test_txn_locks_released_by_commit_and_abort(bclient, db):
    (txn,) = open_txns(bclient)
    comp = T.LockComponent(type=T.LockType.SHARED_WRITE, level=T.LockLevel.TABLE, dbname=db, tablename="t",
                           operationType=T.DataOperationType.INSERT, isTransactional=True)
    l = bclient.lock(T.LockRequest(component=[comp], txnid=txn, user="u", hostname="h"))
    assert l.state == T.LockState.ACQUIRED
    with pytest.raises(T.TxnOpenException) as e:
        bclient.unlock(T.UnlockRequest(lockid=l.lockid))
    assert e.value.message.startswith("Unlocking locks associated with transaction not permitted.")
    bclient.heartbeat(T.HeartbeatRequest(txnid=txn, lockid=l.lockid))
    r = bclient.heartbeat_txn_range(T.HeartbeatTxnRangeRequest(min=txn, max=txn + 1))
    assert r.aborted == set() and txn not in r.nosuch
    bclient.commit_txn(T.CommitTxnRequest(txnid=txn))
    assert bclient.show_locks(T.ShowLocksRequest(dbname=db)).locks == []
    (txn2,) = open_txns(bclient)
    bclient.lock(T.LockRequest(component=[comp], txnid=txn2, user="u", hostname="h"))
    bclient.abort_txn(T.AbortTxnRequest(txnid=txn2))
    assert bclient.show_locks(T.ShowLocksRequest(dbname=db)).locks == []
    with pytest.raises(T.TxnAbortedException):
        bclient.lock(T.LockRequest(component=[comp], txnid=txn2, user="u", hostname="h"))
    with pytest.raises(T.TxnAbortedException):
        bclient.heartbeat(T.HeartbeatRequest(txnid=txn2))


def test_txn_times_out(start_server, pg):
    url = pg.create_database("txn_timeout")
    srv = start_server(["--database", url], config="[limits]\nlock_timeout_s = 1\n")
    db = harness.uniq("db")
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name=db, parameters={}))
        (txn,) = open_txns(c)
        comp = T.LockComponent(type=T.LockType.EXCLUSIVE, level=T.LockLevel.TABLE, dbname=db, tablename="t")
        c.lock(T.LockRequest(component=[comp], txnid=txn, user="u", hostname="h"))
        time.sleep(2.5)
        with pytest.raises(T.TxnAbortedException):
            c.commit_txn(T.CommitTxnRequest(txnid=txn))
        assert c.show_locks(T.ShowLocksRequest(dbname=db)).locks == []


def test_dynamic_partitions_and_compaction(bclient, db):
    (txn,) = open_txns(bclient)
    wid = alloc(bclient, db, "t", [txn])[txn]
    bclient.add_dynamic_partitions(T.AddDynamicPartitions(txnid=txn, writeid=wid, dbname=db, tablename="t",
                                                          partitionnames=["ds=1", "ds=2"],
                                                          operationType=T.DataOperationType.INSERT))
    bclient.commit_txn(T.CommitTxnRequest(txnid=txn))
    with pytest.raises(T.NoSuchTxnException):
        bclient.add_dynamic_partitions(T.AddDynamicPartitions(txnid=txn, writeid=wid, dbname=db, tablename="t",
                                                              partitionnames=["ds=3"]))
    r = bclient.compact2(T.CompactionRequest(dbname=db, tablename="t", partitionname="ds=1",
                                             type=T.CompactionType.MAJOR, properties={"k": "v"}))
    assert r.accepted and r.state == "initiated" and r.id > 0
    bclient.compact(T.CompactionRequest(dbname=db, tablename="t", type=T.CompactionType.MINOR))
    shown = bclient.show_compact(T.ShowCompactRequest(dbName=db)).compacts
    assert [(s.tablename, s.partitionname, s.type, s.state) for s in shown] == [
        ("t", "ds=1", T.CompactionType.MAJOR, "initiated"), ("t", None, T.CompactionType.MINOR, "initiated")]


def write_lock(c, db, table, txn, op, part=None):
    comp = T.LockComponent(type=T.LockType.SHARED_WRITE, level=T.LockLevel.PARTITION if part else T.LockLevel.TABLE,
                           dbname=db, tablename=table, partitionname=part, operationType=op, isTransactional=True)
    res = c.lock(T.LockRequest(component=[comp], txnid=txn, user="u", hostname="h"))
    assert res.state == T.LockState.ACQUIRED  # SHARED_WRITE locks are granted together
    return res


def hwm(c):
    return c.get_open_txns().txn_high_water_mark


def test_write_conflict_aborts_the_second_committer(bclient, db):
    U, D, I = T.DataOperationType.UPDATE, T.DataOperationType.DELETE, T.DataOperationType.INSERT
    a, b = open_txns(bclient, 2)
    write_lock(bclient, db, "t", a, U)
    write_lock(bclient, db, "t", b, U)
    bclient.commit_txn(T.CommitTxnRequest(txnid=a))
    a_commit = hwm(bclient)
    with pytest.raises(T.TxnAbortedException) as e:
        bclient.commit_txn(T.CommitTxnRequest(txnid=b))
    assert e.value.message == ("Aborting [txnid:%d,%d] due to a write conflict on %s/t committed by [txnid:%d,%d] u/u"
                               % (b, hwm(bclient), db, a, a_commit))
    with pytest.raises(T.TxnAbortedException):  # it stays aborted, its locks are gone
        bclient.commit_txn(T.CommitTxnRequest(txnid=b))
    assert bclient.show_locks(T.ShowLocksRequest(dbname=db)).locks == []

    # delete after a committed update conflicts (d/u); delete + delete and insert + anything do not
    a, b = open_txns(bclient, 2)
    write_lock(bclient, db, "t", a, U)
    write_lock(bclient, db, "t", b, D)
    bclient.commit_txn(T.CommitTxnRequest(txnid=a))
    with pytest.raises(T.TxnAbortedException) as e:
        bclient.commit_txn(T.CommitTxnRequest(txnid=b))
    assert e.value.message.endswith(" d/u") and "write conflict on %s/t " % db in e.value.message
    for first, second in ((D, D), (I, U), (U, I), (I, I)):
        a, b = open_txns(bclient, 2)
        write_lock(bclient, db, "t", a, first)
        write_lock(bclient, db, "t", b, second)
        bclient.commit_txn(T.CommitTxnRequest(txnid=a))
        bclient.commit_txn(T.CommitTxnRequest(txnid=b))

    # no overlap: b opened after a committed; other tables and other partitions do not conflict
    (a,) = open_txns(bclient)
    write_lock(bclient, db, "t", a, U)
    bclient.commit_txn(T.CommitTxnRequest(txnid=a))
    (b,) = open_txns(bclient)
    write_lock(bclient, db, "t", b, U)
    bclient.commit_txn(T.CommitTxnRequest(txnid=b))
    a, b = open_txns(bclient, 2)
    write_lock(bclient, db, "t", a, U, part="p=1")
    write_lock(bclient, db, "t", b, U, part="p=2")
    write_lock(bclient, db, "t2", b, U)
    bclient.commit_txn(T.CommitTxnRequest(txnid=a))
    bclient.commit_txn(T.CommitTxnRequest(txnid=b))


def test_write_conflict_on_dynamic_partition(bclient, db):
    a, b = open_txns(bclient, 2)
    wa, wb = alloc(bclient, db, "tp", [a, b])[a], alloc(bclient, db, "tp", [b])[b]
    for txn, wid in ((a, wa), (b, wb)):
        bclient.add_dynamic_partitions(T.AddDynamicPartitions(txnid=txn, writeid=wid, dbname=db, tablename="tp",
                                                              partitionnames=["p=blah"],
                                                              operationType=T.DataOperationType.UPDATE))
    bclient.commit_txn(T.CommitTxnRequest(txnid=a))
    with pytest.raises(T.TxnAbortedException) as e:
        bclient.commit_txn(T.CommitTxnRequest(txnid=b))
    assert " due to a write conflict on %s/tp/p=blah committed by [txnid:%d," % (db, a) in e.value.message
