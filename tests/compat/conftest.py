# tests/compat/conftest.py — the compatibility matrix's fixtures: for each client release
# described in releases/*.json, a Python client generated at test time (make_idl.py derives
# the release's IDL from schema/hive_metastore.thrift and the release's facts, then Debian's
# `thrift -r --gen py` compiles it into the build directory; nothing generated is committed),
# and the real server on a throwaway PostgreSQL (tests/integration/harness.py).
#
# Environment (set by tests/CMakeLists.txt; build/ paths are used when run by hand):
#   PROPOLIS_COMPAT_DIR  where the derived IDLs and generated clients go (default build/compat)
#   plus those of tests/integration/conftest.py (PROPOLIS_BIN, PROPOLIS_TEST_PG, ...).

import glob
import importlib
import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))

import harness  # noqa: E402  (after the sys.path change)

from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

OUT = os.environ.get("PROPOLIS_COMPAT_DIR") or os.path.join(harness.BUILD, "compat")
RELEASE_FILES = sorted(glob.glob(os.path.join(HERE, "releases", "*.json")))


def release_names():
    return [os.path.basename(p)[:-len(".json")] for p in RELEASE_FILES]


class Release:
    """One client release: its facts, its generated module and a connect()."""

    def __init__(self, name):
        with open(os.path.join(HERE, "releases", name + ".json")) as f:
            self.facts = json.load(f)
        self.name = name
        self.methods = set(self.facts["methods"])
        outdir = os.path.join(OUT, name)
        shutil.rmtree(outdir, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "make_idl.py"),
                        os.path.join(HERE, "releases", name + ".json"), outdir], check=True)
        gen = os.path.join(outdir, "gen-py")
        os.makedirs(gen)
        thrift = shutil.which("thrift")
        assert thrift, "Debian's thrift compiler (thrift-compiler) is needed"
        subprocess.run([thrift, "-r", "--gen", "py", "-out", gen,
                        os.path.join(outdir, "hive_metastore.thrift")], check=True)
        sys.path.insert(0, gen)
        module = self.facts["module"]
        self.T = importlib.import_module(module + ".ttypes")
        self.service = importlib.import_module(module + ".ThriftHiveMetastore")
        # What the generated client can call is exactly what the facts list.
        generated = {m for m in dir(self.service.Iface) if not m.startswith("_")}
        fb303 = {m for m in dir(importlib.import_module("fb303.FacebookService").Iface)
                 if not m.startswith("_")}
        expected = self.methods - set(self.facts.get("omitted_methods", {}))
        assert generated - fb303 == expected, "generated %s differs from its facts" % name

    def has(self, method):
        return method in self.methods

    def fields(self, struct):
        """Field names the release's struct has."""
        return {s[2] for s in getattr(self.T, struct).thrift_spec if s}

    def connect(self, port):
        sock = TSocket.TSocket("127.0.0.1", port)
        sock.setTimeout(30000)
        trans = TTransport.TBufferedTransport(sock)
        proto = TBinaryProtocol.TBinaryProtocol(trans, strictRead=True, strictWrite=True)
        trans.open()
        client = self.service.Client(proto)
        client.close = trans.close
        return client


_RELEASES = {}


def pytest_generate_tests(metafunc):
    if "release" in metafunc.fixturenames:
        metafunc.parametrize("release", release_names(), indirect=True, scope="session")


@pytest.fixture(scope="session")
def release(request):
    if request.param not in _RELEASES:
        _RELEASES[request.param] = Release(request.param)
    return _RELEASES[request.param]


@pytest.fixture(scope="session")
def pg():
    yield from harness.postgres_session()


@pytest.fixture(scope="session")
def server(pg, tmp_path_factory):
    yield from harness.shared_server(pg, tmp_path_factory, "propolis_compat")


@pytest.fixture
def hms(release, server):
    """A client of the server generated from the release's IDL."""
    c = release.connect(server.port)
    try:
        yield c
    finally:
        c.close()
