# tests/integration/test_lifecycle.py — the server process itself: --help and --version,
# refusing a missing or doubled database choice, embedded mode (--data-dir) starting and
# stopping its own PostgreSQL, and a second server on the same data dir failing clearly.

import os
import re
import shutil
import subprocess
import tempfile

import pytest

import harness
from harness import T, connect


def run(args, timeout=30):
    out = subprocess.run([harness.PROPOLIS_BIN] + args, capture_output=True, text=True, timeout=timeout,
                         stdin=subprocess.DEVNULL)
    return out.returncode, out.stdout + out.stderr


def project_version():
    with open(os.path.join(harness.ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(\s*propolis\s+VERSION\s+([0-9.]+)", f.read()).group(1)


def test_help_lists_flags_and_config_keys():
    rc, text = run(["--help"])
    assert rc == 0, text
    for flag in ("--config", "--data-dir", "--database", "--listen", "--warehouse", "--log-level",
                 "--version"):
        assert flag in text, flag
    for key in ("max_connections", "max_message_size", "max_string_length", "max_list_length",
                "max_nesting_depth", "idle_timeout", "request_deadline", "pool_size"):
        assert key in text, key


def test_version():
    rc, text = run(["--version"])
    assert rc == 0, text
    assert project_version() in text


def test_neither_data_dir_nor_database_is_a_clear_error():
    rc, text = run(["--listen", "127.0.0.1:%d" % harness.free_port()])
    assert rc != 0
    assert "--data-dir" in text and "--database" in text, text


def test_both_data_dir_and_database_is_an_error(tmp_path):
    rc, text = run(["--data-dir", str(tmp_path / "d"), "--database", "postgresql://127.0.0.1:1/x",
                    "--listen", "127.0.0.1:%d" % harness.free_port()])
    assert rc != 0
    assert text.strip()


def test_unknown_flag_is_an_error():
    rc, text = run(["--no-such-flag"])
    assert rc != 0
    assert "no-such-flag" in text


def test_unreachable_database_fails_start():
    port = harness.free_port()
    rc, text = run(["--database", "postgresql://postgres@127.0.0.1:%d/none?connect_timeout=2" % port,
                    "--listen", "127.0.0.1:%d" % harness.free_port()], timeout=60)
    assert rc != 0
    assert text.strip()


def find(root, name):
    for d, _, files in os.walk(root):
        if name in files:
            return os.path.join(d, name)
    return None


@pytest.fixture
def data_dir():
    d = tempfile.mkdtemp(prefix="propolis-embedded-")
    os.chmod(d, 0o711)  # as root, the embedded PostgreSQL (user postgres) must traverse it
    yield os.path.join(d, "data")
    shutil.rmtree(d, ignore_errors=True)


def test_embedded_mode_runs_its_own_postgres(start_server, data_dir):
    first = start_server(["--data-dir", data_dir])
    with connect(first.port) as c:
        assert c.get_database("default").name == "default"
        c.create_database(T.Database(name="embedded_kept", parameters={}))
    assert find(data_dir, "postmaster.pid"), "embedded PostgreSQL should be running inside the data dir"

    second = start_server(["--data-dir", data_dir], wait=False)
    rc = second.wait_exit(60)
    assert rc is not None and rc != 0, "a second server on the same data dir must fail"
    msg = second.log_text().lower()
    assert any(w in msg for w in ("already", "in use", "lock", "running")), msg
    with connect(first.port) as c:
        assert c.get_database("embedded_kept").name == "embedded_kept"

    assert first.stop() == 0, first.log_tail()
    assert not find(data_dir, "postmaster.pid"), "embedded PostgreSQL should stop with the server"

    again = start_server(["--data-dir", data_dir])
    with connect(again.port) as c:
        assert c.get_database("embedded_kept").name == "embedded_kept"
