# tests/integration/test_metrics.py — GET /metrics on the HTTP listener: Prometheus text with
# request counters by door, operation and outcome, latency histograms, pool and connection
# gauges; scraped with urllib while both doors serve requests.

import re
import sys
import urllib.request

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")

import harness  # noqa: E402
from harness import T  # noqa: E402
from test_glue_boto3 import glue, glue_server, thrift  # noqa: E402,F401

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')


def scrape(srv):
    with urllib.request.urlopen(srv.endpoint + "/metrics", timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode()
    samples = {}
    types = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ", 3)
            assert name not in types, "duplicate TYPE for " + name
            types[name] = typ
            continue
        if line.startswith("#") or not line:
            continue
        m = LINE.match(line)
        assert m, "bad exposition line: %r" % line
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        samples[(m.group(1), tuple(sorted(labels.items())))] = float(m.group(4))
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_move(glue_server, glue, thrift):
    s0, types = scrape(glue_server)
    assert types["propolis_requests_total"] == "counter"
    assert types["propolis_request_duration_seconds"] == "histogram"
    assert types["propolis_open_connections"] == "gauge"
    assert types["propolis_pg_pool_connections"] == "gauge"
    assert types["propolis_pg_pool_waiting"] == "gauge"

    glue.get_databases()
    glue.get_databases()
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name="no_such_db_for_metrics")
    thrift.get_all_databases()
    with pytest.raises(T.NoSuchObjectException):
        thrift.get_database("no_such_db_for_metrics")

    s1, _ = scrape(glue_server)
    d = lambda name, **kw: value(s1, name, **kw) - value(s0, name, **kw)  # noqa: E731
    assert d("propolis_requests_total", door="glue", operation="GetDatabases", outcome="ok") == 2
    assert d("propolis_requests_total", door="glue", operation="GetDatabase",
             outcome="EntityNotFoundException") == 1
    assert d("propolis_requests_total", door="thrift", operation="get_all_databases", outcome="ok") == 1
    assert d("propolis_requests_total", door="thrift", operation="get_database", outcome="exception") == 1
    assert d("propolis_request_duration_seconds_count", door="glue", operation="GetDatabases") == 2
    inf = value(s1, "propolis_request_duration_seconds_bucket", door="glue", operation="GetDatabases", le="+Inf")
    assert inf == value(s1, "propolis_request_duration_seconds_count", door="glue", operation="GetDatabases")
    # buckets are cumulative
    buckets = sorted((float(dict(k[1])["le"]), v) for k, v in s1.items()
                     if k[0] == "propolis_request_duration_seconds_bucket"
                     and dict(k[1]).get("operation") == "GetDatabases" and dict(k[1])["le"] != "+Inf")
    assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:]))
    assert value(s1, "propolis_request_duration_seconds_sum", door="glue", operation="GetDatabases") > 0
    # gauges: our Thrift connection is open; the pool has connections and nobody waits
    assert value(s1, "propolis_open_connections", door="thrift") >= 1
    assert value(s1, "propolis_open_connections", door="glue") >= 1  # the scrape itself
    assert value(s1, "propolis_pg_pool_connections", state="open") >= 1
    assert value(s1, "propolis_pg_pool_connections", state="in_use") >= 0
    assert value(s1, "propolis_pg_pool_waiting") == 0
    # an unknown Thrift method is counted without its (client-chosen) name
    c = harness.connect(glue_server.port)
    try:
        c.raw_call("no_such_method_xyz")
    except Exception:
        pass
    c.close()
    s2, _ = scrape(glue_server)
    assert value(s2, "propolis_requests_total", door="thrift", operation="unknown", outcome="unknown_method") >= 1
    assert not any("no_such_method_xyz" in str(k) for k in s2)


def test_metrics_method_and_path(glue_server):
    req = urllib.request.Request(glue_server.endpoint + "/metrics", method="POST", data=b"")
    with pytest.raises(urllib.error.HTTPError) as ei:
        urllib.request.urlopen(req, timeout=10)
    assert ei.value.code == 405
