# tests/integration/test_c_client.py — the C client generated from schema/ (c_glib) against
# the real server, over the buffered and the framed transport.

import os
import subprocess

import pytest

import harness


@pytest.mark.parametrize("extra", [[], ["--framed"]], ids=["buffered", "framed"])
def test_c_client_exercises_server(server, extra):
    exe = harness.C_CLIENT
    if not os.environ.get("PROPOLIS_C_CLIENT") and not os.path.exists(exe):
        pytest.skip("C client not built (%s)" % exe)
    out = subprocess.run([exe, "127.0.0.1", str(server.port)] + extra,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, "C client failed (%d):\n%s\n%s\nserver log:\n%s" % (
        out.returncode, out.stdout, out.stderr, server.log_tail())
