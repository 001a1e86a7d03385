# tests/integration/test_glue_js.py — runs tests/js (the AWS SDK for JavaScript v3 against the
# Glue door, with node:test) against a real server; skipped only when node is absent or the
# SDK is not installed (tests/run-all.sh runs `npm ci` in tests/js).

import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
pytest.importorskip("boto3")  # the glue_server fixture lives beside the boto3 tests
from test_glue_boto3 import glue_server  # noqa: E402,F401

JS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "js")


def test_aws_sdk_for_javascript(glue_server):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the AWS SDK for JavaScript tests need Node.js 18 or newer")
    if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "@aws-sdk", "client-glue")):
        pytest.skip("@aws-sdk/client-glue is not installed: run `npm ci` in tests/js (tests/run-all.sh does)")
    env = dict(os.environ, PROPOLIS_GLUE_ENDPOINT=glue_server.endpoint, AWS_ACCESS_KEY_ID=glue_server.key_id,
               AWS_SECRET_ACCESS_KEY=glue_server.secret, AWS_REGION="us-east-1",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    out = subprocess.run([node, "--test", "--test-concurrency=1", "glue.test.js"], cwd=JS_DIR, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-3000:]
    assert "# fail 0" in out.stdout
