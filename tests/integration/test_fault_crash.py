# tests/integration/test_fault_crash.py — issue 9's fault suite, process side: kill -9 of
# Propolis in the middle of a large add_partitions batch leaves all of the batch or none of it
# (checked after a restart on the same database), and SIGTERM under load from framed and
# unframed clients truncates no reply: every call in flight either completes or finds its
# connection closed before the first byte of its reply.

import os
import subprocess
import threading
import time

import harness
from harness import T, cols, make_table
from thrift.transport import TSocket, TTransport

# The batch size; tests/run-all.sh --sanitize lowers it (ASan makes decoding it many times slower).
BATCH = int(os.environ.get("PROPOLIS_FAULT_PARTITIONS", "10000"))


def part(db, tbl, values):
    sd = make_table(db, tbl).sd
    sd.location = None
    return T.Partition(values=list(values), dbName=db, tableName=tbl, createTime=0, lastAccessTime=0,
                       sd=sd, parameters={})


def batch_request(db, tbl, n):
    return T.AddPartitionsRequest(dbName=db, tblName=tbl, ifNotExists=False, needResult=False,
                                  parts=[part(db, tbl, [str(i % 100), "s%06d" % i]) for i in range(n)])


def backends(url, where):
    """Rows of pg_stat_activity for url's database (other than ours) matching where."""
    dbname = url.rsplit("/", 1)[1]
    out = harness.psql(url, "SELECT pid, state, coalesce(wait_event_type, '') FROM pg_stat_activity "
                            "WHERE datname = '%s' AND pid <> pg_backend_pid() AND %s" % (dbname, where))
    return [line.split("|") for line in out.splitlines() if line]


def wait_for(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "timed out waiting for " + what
        time.sleep(0.02)


def send_batch_in_background(port, db, tbl, n):
    """Starts add_partitions_req in a thread; returns (thread, outcome dict)."""
    req = batch_request(db, tbl, n)
    out = {}

    def run():
        c = harness.connect(port, timeout_ms=300000)
        try:
            c.add_partitions_req(req)
            out["result"] = "replied"
        except Exception as e:  # the server died under us
            out["result"] = "error: %r" % e
        finally:
            c.close()
    th = threading.Thread(target=run)
    th.start()
    return th, out


def count_parts(port, db, tbl):
    with harness.connect(port, timeout_ms=120000) as c:
        return len(c.get_partition_names(db, tbl, -1))


def test_kill_9_during_large_add_partitions_is_all_or_nothing(start_server, pg):
    url = pg.create_database("crash")
    srv = start_server(["--database", url])
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name="crash", parameters={}))
        for t in ("frozen", "racing"):
            c.create_table(make_table("crash", t, partition_keys=cols(("d", "int"), ("s", "string"))))

    # 1. The batch's transaction has written every row and waits before its commit (another
    #    session holds the notification counter its last statement needs): kill -9 then.
    holder = subprocess.Popen([os.path.join(harness.PG_BIN, "psql"), "-X", "-q", "-At", "-d", url],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    holder.stdin.write("BEGIN;\nSELECT next FROM txn_counters WHERE name = 'event' FOR UPDATE;\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip().isdigit()
    th, out = send_batch_in_background(srv.port, "crash", "frozen", BATCH)
    wait_for(lambda: backends(url, "wait_event_type = 'Lock' AND query LIKE '%txn_counters%'"), 120,
             "the batch to wait before its commit")
    srv.proc.kill()
    srv.proc.wait()
    th.join(timeout=60)
    assert out["result"].startswith("error"), out
    holder.stdin.write("COMMIT;\n")
    holder.stdin.close()
    holder.wait(timeout=30)
    # The orphaned backend notices its client is gone and rolls back.
    wait_for(lambda: not backends(url, "state <> 'idle'"), 60, "the orphaned transaction to end")

    # 2. The batch's COPY has written about half its rows and waits on the next one (another
    #    session holds an uncommitted row with the same partition values): kill -9 then.
    mid = BATCH // 2
    holder = subprocess.Popen([os.path.join(harness.PG_BIN, "psql"), "-X", "-q", "-At", "-d", url],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    holder.stdin.write("BEGIN;\nINSERT INTO partitions (table_id, part_values, name, doc) SELECT t.id, "
                       "ARRAY['%d', 's%06d'], 'held', '{}' FROM tables t JOIN databases d ON d.id = t.database_id "
                       "WHERE d.name = 'crash' AND t.name = 'racing' RETURNING 1;\n" % (mid % 100, mid))
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "1"
    srv2 = start_server(["--database", url])
    th, out = send_batch_in_background(srv2.port, "crash", "racing", BATCH)
    wait_for(lambda: backends(url, "wait_event_type = 'Lock' AND query LIKE 'COPY partitions%'"), 120,
             "the batch's COPY to wait half-way")
    srv2.proc.kill()
    srv2.proc.wait()
    th.join(timeout=60)
    assert out["result"].startswith("error"), out
    holder.stdin.write("ROLLBACK;\n")
    holder.stdin.close()
    holder.wait(timeout=30)
    wait_for(lambda: not backends(url, "state <> 'idle'"), 60, "the orphaned transaction to end")

    srv3 = start_server(["--database", url])
    frozen = count_parts(srv3.port, "crash", "frozen")
    racing = count_parts(srv3.port, "crash", "racing")
    assert frozen == 0, "a batch killed before its commit left %d of %d partitions" % (frozen, BATCH)
    assert racing == 0, "a batch killed half-way through its INSERT left %d of %d partitions" % (racing, BATCH)
    # Nothing half-done is left behind: the same partition values go in now (no ghost rows).
    again = min(BATCH, 500)
    with harness.connect(srv3.port, timeout_ms=300000) as c:
        c.add_partitions_req(batch_request("crash", "frozen", again))
    assert count_parts(srv3.port, "crash", "frozen") == again
    print("\nFAULT kill -9: batch of %d partitions killed before its commit -> %d kept; killed half-way "
          "through its INSERT -> %d kept; after restart the same values add cleanly (%d)"
          % (BATCH, frozen, racing, again))


class CountingSocket(TSocket.TSocket):
    """A TSocket that counts the bytes it has read since the last reset."""

    def read(self, sz):
        data = super().read(sz)
        self.got += len(data)
        return data


def counting_client(port, framed):
    sock = CountingSocket("127.0.0.1", port)
    sock.got = 0
    sock.setTimeout(60000)
    trans = TTransport.TFramedTransport(sock) if framed else TTransport.TBufferedTransport(sock)
    proto = harness.TBinaryProtocol.TBinaryProtocol(trans, strictRead=True, strictWrite=True)
    trans.open()
    c = harness.Client(trans, proto)
    return c, sock


def test_sigterm_under_load_truncates_no_reply(start_server, pg):
    nparts = 1000
    srv = start_server(["--database", pg.create_database("sigterm")])
    with harness.connect(srv.port, timeout_ms=120000) as c:
        c.create_database(T.Database(name="term", parameters={}))
        c.create_table(make_table("term", "p", partition_keys=cols(("d", "int"), ("s", "string"))))
        c.add_partitions_req(batch_request("term", "p", nparts))

    lock = threading.Lock()
    calls = []  # (start, end, kind)
    t_term = []

    def worker(framed):
        try:
            c, sock = counting_client(srv.port, framed)
        except Exception:
            return
        i = 0
        while True:
            i += 1
            sock.got = 0
            t0 = time.monotonic()
            try:
                if i % 2:
                    ok = len(c.get_partitions("term", "p", -1)) == nparts
                else:
                    ok = c.get_table("term", "p").tableName == "p"
                kind = "complete" if ok else "wrong"
            except TTransport.TTransportException as e:
                kind = "closed_before_reply" if sock.got == 0 else "truncated:%d bytes:%s" % (sock.got, e)
            except Exception as e:
                kind = "bad:%r" % e
            with lock:
                calls.append((t0, time.monotonic(), kind))
            if kind != "complete":
                c.close()
                return

    threads = [threading.Thread(target=worker, args=(i % 2 == 0,)) for i in range(6)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    t_term.append(time.monotonic())
    srv.proc.terminate()
    rc = srv.wait_exit(60)
    t_exit = time.monotonic()
    for t in threads:
        t.join(timeout=60)
    assert rc == 0, "SIGTERM under load: exit %r\n%s" % (rc, srv.log_tail())
    kinds = [k for _, _, k in calls]
    bad = [k for k in kinds if k not in ("complete", "closed_before_reply")]
    assert not bad, "truncated or wrong replies after SIGTERM: %r" % bad[:5]
    done_before = len([1 for s, e, k in calls if k == "complete" and e < t_term[0]])
    in_flight_done = len([1 for s, e, k in calls if k == "complete" and s < t_term[0] <= e])
    closed = kinds.count("closed_before_reply")
    assert done_before > 0
    assert closed == len(threads), "each client ends with one clean close: %r" % kinds[-10:]
    assert "net: stopping;" in srv.log_text()
    print("\nFAULT SIGTERM: %d calls completed before, %d in flight at SIGTERM completed, %d closed "
          "before any reply byte, 0 truncated; exit 0 after %.2fs"
          % (done_before, in_flight_done, closed, t_exit - t_term[0]))
