# tests/integration/test_fault_outage.py — issue 9's fault suite, store side: PostgreSQL
# stopped and restarted under load from both doors at once (Thrift clients and Glue boto3
# clients, reads and writes). During the outage every call gets a typed error quickly
# (MetaException; Glue's InternalServiceException in AWS's JSON shape), never a hang, a
# dropped connection or an untyped answer; /healthz stays 200, /readyz says 503, /metrics
# answers with the last catalog numbers and propolis_catalog_stats_up 0. After PostgreSQL is
# back, every client recovers without restarting Propolis, and writes refused during the
# outage left nothing. The test owns its PostgreSQL cluster.

import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402

import harness  # noqa: E402
from harness import T  # noqa: E402
from ops import OwnPostgres, start_both_doors, value, wait_metric  # noqa: E402

THRIFT_CLIENTS = 4
GLUE_CLIENTS = 2
CALL_BUDGET_S = 10  # pool_wait_ms is 1.5 s: a call during the outage must fail well within this


@pytest.fixture
def own_pg():
    cluster = OwnPostgres()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


class Load:
    """Client threads calling in a loop; each call is logged as (phase, kind, seconds)."""

    def __init__(self, srv):
        self.srv = srv
        self.phase = "before"
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.log = []          # (phase, door, kind, seconds, detail)
        self.failed_writes = []  # (database name, start time) of creates that failed
        self.threads = []
        self.crashed = []  # client threads that died (a test bug, not a server outcome)

    def record(self, door, kind, secs, detail=""):
        with self.lock:
            self.log.append((self.phase, door, kind, secs, detail))

    def thrift_worker(self, n):
        c = harness.connect(self.srv.port, timeout_ms=CALL_BUDGET_S * 3000)
        i = 0
        while not self.stop.is_set():
            i += 1
            write = i % 4 == 0
            name = "w_t%d_%d" % (n, i)
            t0 = time.monotonic()
            try:
                if write:
                    c.create_database(T.Database(name=name, parameters={}))
                else:
                    assert c.get_table("survivor", "t").tableName == "t"
                self.record("thrift", "ok", time.monotonic() - t0)
            except T.MetaException as e:
                self.record("thrift", "typed", time.monotonic() - t0, e.message)
                if write:
                    with self.lock:
                        self.failed_writes.append((name, t0))
            except Exception as e:  # a transport error, a hang cut by the socket timeout, ...
                self.record("thrift", "untyped", time.monotonic() - t0, repr(e))
                c.close()
                c = harness.connect(self.srv.port, timeout_ms=CALL_BUDGET_S * 3000)
            time.sleep(0.02)
        c.close()

    def glue_client(self):
        # Made on the main thread: boto3's default session is not safe to make clients from threads.
        return boto3.client("glue", endpoint_url=self.srv.endpoint, region_name="us-east-1",
                            aws_access_key_id=self.srv.key_id, aws_secret_access_key=self.srv.secret,
                            config=botocore.config.Config(retries={"max_attempts": 1},
                                                          read_timeout=CALL_BUDGET_S * 3))

    def glue_worker(self, n, glue):
        i = 0
        while not self.stop.is_set():
            i += 1
            write = i % 4 == 0
            name = "w_g%d_%d" % (n, i)
            t0 = time.monotonic()
            try:
                if write:
                    glue.create_database(DatabaseInput={"Name": name})
                else:
                    assert glue.get_table(DatabaseName="survivor", Name="t")["Table"]["Name"] == "t"
                self.record("glue", "ok", time.monotonic() - t0)
            except botocore.exceptions.ClientError as e:
                code = e.response["Error"]["Code"]
                status = e.response["ResponseMetadata"]["HTTPStatusCode"]
                kind = "typed" if code == "InternalServiceException" and e.response["Error"].get("Message") \
                    else "untyped"
                self.record("glue", kind, time.monotonic() - t0, "%s %d %s" % (code, status,
                                                                              e.response["Error"].get("Message")))
                if write:
                    with self.lock:
                        self.failed_writes.append((name, t0))
            except Exception as e:
                self.record("glue", "untyped", time.monotonic() - t0, repr(e))
            time.sleep(0.02)

    def run(self, fn, *args):
        try:
            fn(*args)
        except BaseException as e:
            self.crashed.append(repr(e))

    def start(self):
        for n in range(THRIFT_CLIENTS):
            self.threads.append(threading.Thread(target=self.run, args=(self.thrift_worker, n)))
        for n in range(GLUE_CLIENTS):
            self.threads.append(threading.Thread(target=self.run, args=(self.glue_worker, n, self.glue_client())))
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)

    def count(self, phase, door=None, kind=None):
        return len([r for r in self.log if r[0] == phase and (door is None or r[1] == door)
                    and (kind is None or r[2] == kind)])


def test_postgres_stopped_and_restarted_under_load_on_both_doors(start_server, own_pg, tmp_path):
    url = own_pg.create_database("outage")
    srv = start_both_doors(start_server, url, tmp_path,
                           config="[limits]\npool_size = 4\npool_wait_ms = 1500\n")
    pid = srv.proc.pid
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name="survivor", parameters={}))
        c.create_table(harness.make_table("survivor", "t"))
    s_before = wait_metric(srv.endpoint, lambda s: value(s, "propolis_catalog_stats_up") == 1
                           and value(s, "propolis_total_count_tables") == 1, what="gauges before")

    load = Load(srv)
    load.start()
    time.sleep(1.5)
    load.phase = "outage"
    t_stop = time.monotonic()
    own_pg.halt("immediate")  # as a crash: backends die without goodbye
    t_down = time.monotonic()
    time.sleep(4)
    # While PostgreSQL is down: alive but not ready; /metrics answers with the last numbers.
    assert http_status(srv.endpoint + "/healthz") == 200
    assert http_status(srv.endpoint + "/readyz") == 503
    s_out = wait_metric(srv.endpoint, lambda s: value(s, "propolis_catalog_stats_up") == 0,
                        what="catalog_stats_up 0 during the outage")
    assert value(s_out, "propolis_total_count_tables") == value(s_before, "propolis_total_count_tables") == 1
    outage_s = time.monotonic() - t_stop

    load.phase = "restart"
    own_pg.restart()
    t_back = time.monotonic()
    # Recovery: every client's calls succeed again without restarting Propolis.
    deadline = time.monotonic() + 30
    while True:
        time.sleep(0.5)
        recent = [r for r in load.log[-40:] if r[0] == "restart"]
        if len(recent) >= 20 and all(r[2] == "ok" for r in recent[-20:]):
            break
        assert time.monotonic() < deadline, "no recovery 30 s after PostgreSQL came back: %r" % recent[-5:]
    recovered_s = time.monotonic() - t_back
    load.phase = "after"
    time.sleep(1.5)
    load.finish()

    assert srv.proc.poll() is None and srv.proc.pid == pid, "Propolis must survive the outage"
    untyped = [r for r in load.log if r[2] == "untyped"]
    assert not untyped, "untyped failures: %r" % untyped[:5]
    assert not load.crashed, load.crashed
    for door in ("thrift", "glue"):
        assert load.count("before", door, "ok") > 0, door
        assert load.count("before", door) == load.count("before", door, "ok"), door
        assert load.count("outage", door, "typed") > 0, "%s saw no error during the outage" % door
        assert load.count("after", door) > 0 and load.count("after", door) == load.count("after", door, "ok"), door
    slowest = max(r[3] for r in load.log if r[2] != "ok")
    assert slowest < CALL_BUDGET_S, "an outage call took %.1fs" % slowest
    assert http_status(srv.endpoint + "/readyz") == 200
    wait_metric(srv.endpoint, lambda s: value(s, "propolis_catalog_stats_up") == 1, what="catalog_stats_up 1 after")
    # Writes refused while PostgreSQL was down left nothing behind (a write in flight at the very
    # moment it stopped may have committed without its reply: not counted).
    with harness.connect(srv.port) as c:
        names = set(c.get_all_databases())
    refused = [n for n, t0 in load.failed_writes if t0 > t_down]
    assert refused, "no write was refused during the outage"
    kept = [n for n in refused if n in names]
    assert not kept, "refused writes were kept: %r" % kept
    print("\nFAULT outage: %.1fs down; calls before/outage/restart/after: %d/%d/%d/%d; "
          "typed errors thrift %d glue %d; untyped 0; slowest failed call %.2fs; "
          "recovered %.1fs after PostgreSQL restart; %d writes refused while down, none kept"
          % (outage_s, load.count("before"), load.count("outage"), load.count("restart"), load.count("after"),
             len([r for r in load.log if r[1] == "thrift" and r[2] == "typed"]),
             len([r for r in load.log if r[1] == "glue" and r[2] == "typed"]),
             slowest, recovered_s, len(refused)))
