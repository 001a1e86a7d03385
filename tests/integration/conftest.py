# tests/integration/conftest.py — fixtures that run the real thing: a throwaway PostgreSQL
# cluster, real propolis-server processes on free ports, and Thrift clients generated from
# schema/ (python3-thrift, binary protocol, buffered or framed transport).
#
# Environment (set by tests/CMakeLists.txt; build/ paths are used when run by hand):
#   PROPOLIS_BIN         the server binary
#   PROPOLIS_GEN_PY      the folder holding the generated Python modules (hive_metastore, fb303)
#   PROPOLIS_MIGRATIONS  the migrations/ folder
#   PROPOLIS_C_CLIENT    the C test client
#   PROPOLIS_TEST_PG     optional libpq URL of a PostgreSQL to use instead of starting one
#   PROPOLIS_START_TIMEOUT  seconds a server may take to listen (default 60)

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402  (after the sys.path change)


@pytest.fixture(scope="session")
def pg():
    """The throwaway PostgreSQL cluster for the whole session."""
    yield from harness.postgres_session()


@pytest.fixture(scope="session")
def server(pg, tmp_path_factory):
    """One propolis-server shared by the tests that only need a live metastore."""
    yield from harness.shared_server(pg, tmp_path_factory, "propolis_shared")


@pytest.fixture
def start_server(tmp_path):
    """Factory for servers owned by one test; each is stopped (SIGTERM) at the test's end."""
    started = []

    def start(args, wait=True, config=None):
        if config is not None:
            path = tmp_path / ("config-%d.ini" % len(started))
            path.write_text(config)
            args = ["--config", str(path)] + list(args)
        srv = harness.Server(args, logdir=str(tmp_path))
        started.append(srv)
        srv.start(wait=wait)
        return srv

    yield start
    problems = []
    for srv in started:
        if srv.proc.poll() is None:
            rc = srv.stop()
            if rc != 0:
                problems.append("server exited with %r on SIGTERM\n%s" % (rc, srv.log_tail()))
    assert not problems, "\n".join(problems)


@pytest.fixture(params=["buffered", "framed"])
def client(request, server):
    """A client of the shared server, once per transport."""
    c = harness.connect(server.port, framed=(request.param == "framed"))
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def bclient(server):
    """A buffered-transport client of the shared server (tests that need only one transport)."""
    c = harness.connect(server.port)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def db(bclient):
    """A fresh, empty database; dropped (cascade) afterwards."""
    name = harness.uniq("db")
    bclient.create_database(harness.T.Database(name=name, description="test db", parameters={}))
    yield name
    try:
        bclient.drop_database(name, True, True)
    except Exception:
        pass
