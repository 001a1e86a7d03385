# tests/integration/test_metrics.py — GET /metrics on the HTTP listener, scraped with urllib
# while both doors serve requests: Hive's metastore metric names in Prometheus style (API call
# counters and latency histograms by method, active calls, open connections per door, the
# catalog gauges total_count_*, num_locks, oldest lock age, open transactions) and ours (the
# PostgreSQL pool, refused connections by reason, authorization denials). The mapping from
# Hive's names is the table in server/common/README.md.

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")

import harness  # noqa: E402
from harness import T  # noqa: E402
from ops import scrape, start_both_doors, value, wait_metric  # noqa: E402
from test_glue_boto3 import glue, glue_server, thrift  # noqa: E402,F401
from test_permissions import propolis_call  # noqa: E402
from test_protocol import read_until_closed  # noqa: E402


def test_api_calls_by_method_and_outcome(glue_server, glue, thrift):
    s0, types = scrape(glue_server.endpoint)
    assert types["propolis_api_calls_total"] == "counter"
    assert types["propolis_api_duration_seconds"] == "histogram"
    assert types["propolis_active_calls"] == "gauge"
    assert types["propolis_open_connections"] == "gauge"
    assert types["propolis_pg_pool_connections"] == "gauge"
    assert types["propolis_pg_pool_waiting"] == "gauge"
    assert types["propolis_connections_rejected_total"] == "counter"
    for g in ("total_count_dbs", "total_count_tables", "total_count_partitions", "num_locks",
              "oldest_lock_age_seconds", "num_open_transactions", "catalog_stats_up"):
        assert types["propolis_" + g] == "gauge", g

    glue.get_databases()
    glue.get_databases()
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name="no_such_db_for_metrics")
    thrift.get_all_databases()
    with pytest.raises(T.NoSuchObjectException):
        thrift.get_database("no_such_db_for_metrics")

    s1, _ = scrape(glue_server.endpoint)
    d = lambda name, **kw: value(s1, name, **kw) - value(s0, name, **kw)  # noqa: E731
    assert d("propolis_api_calls_total", door="glue", method="GetDatabases", outcome="ok") == 2
    assert d("propolis_api_calls_total", door="glue", method="GetDatabase",
             outcome="EntityNotFoundException") == 1
    assert d("propolis_api_calls_total", door="thrift", method="get_all_databases", outcome="ok") == 1
    assert d("propolis_api_calls_total", door="thrift", method="get_database", outcome="exception") == 1
    assert d("propolis_api_duration_seconds_count", door="glue", method="GetDatabases") == 2
    inf = value(s1, "propolis_api_duration_seconds_bucket", door="glue", method="GetDatabases", le="+Inf")
    assert inf == value(s1, "propolis_api_duration_seconds_count", door="glue", method="GetDatabases")
    buckets = sorted((float(dict(k[1])["le"]), v) for k, v in s1.items()
                     if k[0] == "propolis_api_duration_seconds_bucket"
                     and dict(k[1]).get("method") == "GetDatabases" and dict(k[1])["le"] != "+Inf")
    assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), "buckets must be cumulative"
    assert value(s1, "propolis_api_duration_seconds_sum", door="glue", method="GetDatabases") > 0
    # Nothing runs between calls: every method's active count is back to zero.
    assert value(s1, "propolis_active_calls", door="thrift", method="get_database") == 0
    assert value(s1, "propolis_active_calls", door="glue", method="GetDatabases") == 0
    assert value(s1, "propolis_open_connections", door="thrift") >= 1
    assert value(s1, "propolis_open_connections", door="http") >= 1  # the scrape itself
    assert value(s1, "propolis_pg_pool_connections", state="open") >= 1
    assert value(s1, "propolis_pg_pool_waiting") == 0
    # An unknown Thrift method is counted without its (client-chosen) name.
    c = harness.connect(glue_server.port)
    try:
        c.raw_call("no_such_method_xyz")
    except Exception:
        pass
    c.close()
    s2, _ = scrape(glue_server.endpoint)
    assert value(s2, "propolis_api_calls_total", door="thrift", method="unknown", outcome="unknown_method") >= 1
    assert not any("no_such_method_xyz" in str(k) for k in s2)


def test_active_calls_count_a_call_in_flight(start_server, pg, tmp_path):
    # A Thrift lock() call waits in its worker while another session holds the row that
    # serializes lock grants: it shows in active_calls until it finishes.
    url = pg.create_database("metrics_active")
    srv = start_both_doors(start_server, url, tmp_path)
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name="act", parameters={}))
    holder = subprocess.Popen([os.path.join(harness.PG_BIN, "psql"), "-X", "-q", "-At", "-d", url],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    result = {}
    try:
        holder.stdin.write("BEGIN;\nSELECT next FROM txn_counters WHERE name = 'lock' FOR UPDATE;\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip().isdigit()

        def take_lock():
            with harness.connect(srv.port) as c:
                result["lock"] = c.lock(T.LockRequest(component=[T.LockComponent(
                    type=T.LockType.EXCLUSIVE, level=T.LockLevel.DB, dbname="act",
                    operationType=T.DataOperationType.NO_TXN)], user="tester", hostname="host"))
        th = threading.Thread(target=take_lock)
        th.start()
        wait_metric(srv.endpoint, lambda s: value(s, "propolis_active_calls", door="thrift", method="lock") == 1,
                    what="active_calls{method=lock} == 1")
        assert "lock" not in result
    finally:
        holder.stdin.write("COMMIT;\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    th.join(timeout=30)
    assert result["lock"].state == T.LockState.ACQUIRED
    s, _ = scrape(srv.endpoint)
    assert value(s, "propolis_active_calls", door="thrift", method="lock") == 0
    assert value(s, "propolis_api_calls_total", door="thrift", method="lock", outcome="ok") == 1


def test_catalog_gauges_move_with_objects_and_locks(glue_server, glue, thrift):
    s0 = wait_metric(glue_server.endpoint, lambda s: value(s, "propolis_catalog_stats_up") == 1,
                     what="catalog_stats_up 1")
    db = harness.uniq("gauges")
    thrift.create_database(T.Database(name=db, parameters={}))
    glue.create_table(DatabaseName=db, TableInput={
        "Name": "t", "PartitionKeys": [{"Name": "d", "Type": "string"}],
        "StorageDescriptor": {"Columns": [{"Name": "x", "Type": "int"}], "Location": "s3://b/t"}})
    glue.create_table(DatabaseName=db, TableInput={"Name": "u", "StorageDescriptor": {
        "Columns": [{"Name": "x", "Type": "int"}], "Location": "s3://b/u"}})
    glue.batch_create_partition(DatabaseName=db, TableName="t", PartitionInputList=[
        {"Values": ["d%d" % i], "StorageDescriptor": {"Location": "s3://b/t/d=%d" % i}} for i in range(5)])
    lock = thrift.lock(T.LockRequest(component=[T.LockComponent(
        type=T.LockType.EXCLUSIVE, level=T.LockLevel.TABLE, dbname=db, tablename="u",
        operationType=T.DataOperationType.NO_TXN)], user="tester", hostname="host"))
    assert lock.state == T.LockState.ACQUIRED
    txns = thrift.open_txns(T.OpenTxnRequest(num_txns=2, user="tester", hostname="host")).txn_ids
    base = {g: value(s0, "propolis_" + g) for g in ("total_count_dbs", "total_count_tables",
                                                     "total_count_partitions", "num_locks",
                                                     "num_open_transactions")}
    try:
        def moved(s):
            return (value(s, "propolis_total_count_dbs") >= base["total_count_dbs"] + 1
                    and value(s, "propolis_total_count_tables") >= base["total_count_tables"] + 2
                    and value(s, "propolis_total_count_partitions") >= base["total_count_partitions"] + 5
                    and value(s, "propolis_num_locks") >= base["num_locks"] + 1
                    and value(s, "propolis_num_open_transactions") >= base["num_open_transactions"] + 2
                    and value(s, "propolis_oldest_lock_age_seconds") >= 1)
        s1 = wait_metric(glue_server.endpoint, moved, timeout=20, what="catalog gauges moved")
        assert value(s1, "propolis_catalog_stats_up") == 1
        # The numbers are cached: scrapes in a burst cost PostgreSQL one statement, not one each.
        for _ in range(5):
            scrape(glue_server.endpoint)
    finally:
        thrift.unlock(T.UnlockRequest(lockid=lock.lockid))
        thrift.abort_txns(T.AbortTxnsRequest(txn_ids=txns))
        thrift.drop_database(db, True, True)
    wait_metric(glue_server.endpoint,
                lambda s: value(s, "propolis_num_locks") <= base["num_locks"]
                and value(s, "propolis_num_open_transactions") <= base["num_open_transactions"]
                and value(s, "propolis_total_count_partitions") <= base["total_count_partitions"],
                timeout=20, what="catalog gauges back down")


def test_catalog_gauges_are_cached_and_never_hold_a_scrape(start_server, pg, tmp_path):
    # Another session holds the partitions table locked, so the gauges' statement waits: the
    # scrape that tries it gives up after the statement's short timeout and answers the last
    # values with propolis_catalog_stats_up 0; the scrapes after it, inside the cache's few
    # seconds, do not try again (they answer at once). Released, the gauges come back.
    url = pg.create_database("metrics_cached")
    srv = start_both_doors(start_server, url, tmp_path)
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name="cached", parameters={}))
    s0 = wait_metric(srv.endpoint, lambda s: value(s, "propolis_total_count_dbs") == 2, what="two databases")
    holder = subprocess.Popen([os.path.join(harness.PG_BIN, "psql"), "-X", "-q", "-At", "-d", url],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        holder.stdin.write("BEGIN;\nLOCK TABLE partitions IN ACCESS EXCLUSIVE MODE;\nSELECT 1;\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "1"
        time.sleep(3.5)  # the cached values expire
        t0 = time.monotonic()
        s1, _ = scrape(srv.endpoint)
        first = time.monotonic() - t0
        assert value(s1, "propolis_catalog_stats_up") == 0
        assert value(s1, "propolis_total_count_dbs") == value(s0, "propolis_total_count_dbs") == 2
        assert first < 5, "a scrape waited %.1fs for PostgreSQL" % first
        t0 = time.monotonic()
        for _ in range(5):
            s2, _ = scrape(srv.endpoint)
            assert value(s2, "propolis_catalog_stats_up") == 0
        burst = time.monotonic() - t0
        assert burst < first, "scrapes inside the cache's lifetime went to PostgreSQL (%.2fs)" % burst
    finally:
        holder.stdin.write("COMMIT;\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    wait_metric(srv.endpoint, lambda s: value(s, "propolis_catalog_stats_up") == 1, what="stats up again")
    assert "catalog gauges not refreshed" in srv.log_text()


def test_authorization_denial_is_counted(glue_server):
    def denials(s):
        return sum(v for k, v in s.items() if k[0] == "propolis_authz_denials_total")
    s0, _ = scrape(glue_server.endpoint)
    name = harness.uniq("nobody")
    st, out = propolis_call(glue_server, glue_server.key_id, glue_server.secret, "CreatePrincipal",
                            {"Name": name, "Groups": []})
    assert st == 200, out
    # Administrators only: refused, audited, counted.
    st, err = propolis_call(glue_server, out["AccessKeyId"], out["SecretAccessKey"], "CreatePrincipal",
                            {"Name": harness.uniq("other"), "Groups": []})
    assert st in (400, 403), err
    s1, types = scrape(glue_server.endpoint)
    assert types["propolis_authz_denials_total"] == "counter"
    assert denials(s1) - denials(s0) == 1
    # Propolis' own operations (server/admin) audit under the door name "propolis".
    assert value(s1, "propolis_authz_denials_total", door="propolis") - \
        value(s0, "propolis_authz_denials_total", door="propolis") == 1


def test_refused_connection_is_counted(start_server, pg, tmp_path):
    srv = start_both_doors(start_server, pg.create_database("metrics_refuse"), tmp_path,
                           config="[limits]\nmax_connections = 3\n")
    # The start-up probe's connection is gone before the three are opened.
    wait_metric(srv.endpoint, lambda s: value(s, "propolis_open_connections", door="thrift") == 0,
                what="no Thrift connection open")
    held = [harness.connect(srv.port) for _ in range(3)]
    try:
        for c in held:
            assert c.getName() == "propolis"
        extra = socket.create_connection(("127.0.0.1", srv.port))
        closed, _ = read_until_closed(extra, 10)
        extra.close()
        assert closed, "a connection past max_connections must be closed at once"
        s, _ = scrape(srv.endpoint)
        assert value(s, "propolis_connections_rejected_total", door="thrift", reason="max_connections") == 1
        assert value(s, "propolis_connections_rejected_total", door="thrift", reason="fd_exhausted") == 0
        assert value(s, "propolis_open_connections", door="thrift") == 3
        assert "max_connections exceeded" in srv.log_text()
    finally:
        for c in held:
            c.close()


def test_metrics_method_and_path(glue_server):
    req = urllib.request.Request(glue_server.endpoint + "/metrics", method="POST", data=b"")
    with pytest.raises(urllib.error.HTTPError) as ei:
        urllib.request.urlopen(req, timeout=10)
    assert ei.value.code == 405
