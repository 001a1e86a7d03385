# tests/integration/test_store_fault.py — the store under PostgreSQL failures (issue 3:
# "a lost PostgreSQL connection is replaced, and requests during an outage get a clear
# MetaException, not a hang or a crash"). Each test owns its PostgreSQL cluster, so stopping
# it disturbs no other test.

import os
import time

import pytest

import harness
from harness import T, connect, psql

POOL_WAIT_MS = 1500


@pytest.fixture
def own_pg():
    cluster = harness.TempPostgres()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def pg_ctl(cluster, *args):
    cluster._run([os.path.join(harness.PG_BIN, "pg_ctl"), "-D", cluster.data, "-w", "-t", "60"] + list(args))


def restart_opts(cluster):
    return ("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
            % (cluster.port, cluster.dir))


def start_with_small_pool_wait(start_server, url):
    config = "[limits]\npool_wait_ms = %d\npool_size = 4\n" % POOL_WAIT_MS
    return start_server(["--database", url], config=config)


def test_outage_gives_meta_exception_then_pool_recovers(start_server, own_pg):
    url = own_pg.create_database("fault")
    srv = start_with_small_pool_wait(start_server, url)
    with connect(srv.port) as c:
        c.create_database(T.Database(name="survivor", parameters={}))
        assert c.get_database("survivor").name == "survivor"

        pg_ctl(own_pg, "-m", "fast", "stop")
        # During the outage: a typed MetaException, quickly, and the connection stays usable.
        for _ in range(3):
            started = time.monotonic()
            with pytest.raises(T.MetaException):
                c.get_database("survivor")
            assert time.monotonic() - started < 10, "a request during the outage hung"
        with pytest.raises(T.MetaException):
            c.create_database(T.Database(name="during_outage", parameters={}))
        assert c.getName() == "propolis"  # a call that needs no database still answers

        pg_ctl(own_pg, "-l", os.path.join(own_pg.dir, "postgres2.log"), "-o", restart_opts(own_pg), "start")
        # After the outage the pool replaces its dead connections; at most one more failure.
        deadline = time.monotonic() + 20
        while True:
            try:
                assert c.get_database("survivor").name == "survivor"
                break
            except T.MetaException:
                assert time.monotonic() < deadline, "pool did not recover after PostgreSQL came back"
                time.sleep(0.2)
        # Nothing of the failed write was kept.
        with pytest.raises(T.NoSuchObjectException):
            c.get_database("during_outage")
    assert srv.proc.poll() is None, "server died during the outage"


def test_killed_backends_are_replaced(start_server, own_pg):
    url = own_pg.create_database("killed")
    srv = start_with_small_pool_wait(start_server, url)
    with connect(srv.port) as c:
        for i in range(4):
            c.create_database(T.Database(name="k%d" % i, parameters={}))
        dbname = url.rsplit("/", 1)[1]
        killed = psql(own_pg.url(), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    "WHERE datname = '%s' AND pid <> pg_backend_pid()" % dbname)
        assert int(killed) >= 1
        # A request that finds its pooled connection dead gets a MetaException (never a hang
        # or a dropped client connection); the dead connection is not reused.
        for i in range(4):
            try:
                assert c.get_database("k%d" % i).name == "k%d" % i
            except T.MetaException as e:
                assert "terminat" in e.message or "connection" in e.message.lower(), e.message
        for i in range(4):
            assert c.get_database("k%d" % i).name == "k%d" % i
