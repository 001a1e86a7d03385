# tests/integration/test_compose.py — docker-compose.yml brings up the whole product, checked
# without a container engine: the propolis service's entrypoint (from the Dockerfile) and
# command are read from the files (python3-yaml) and propolis-server is started with exactly
# those arguments against the test PostgreSQL, substituting only values that name the
# container's world (the binary and migrations paths, the keys volume's mount point, the
# database URL, the listen ports); no argument is added or dropped. Then the Thrift door, the
# Glue, Lake Formation and admin APIs with the credentials written into the keys volume,
# /metrics and the healthcheck command itself must all answer. `docker-compose config` (in
# .ci/run) checks the file's syntax.

import configparser
import json
import os
import re
import stat
import subprocess
import sys
import urllib.request

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import boto3  # noqa: E402  (python3-boto3; tests/run-all.sh installs it)
import botocore.config  # noqa: E402
import yaml  # noqa: E402  (python3-yaml: a CI check, so never skipped)

import harness  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def compose_env(value):
    """${VAR:-default} and ${VAR} as docker-compose expands them with VAR unset."""
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}", lambda m: m.group(2) or "", value)


def load_service():
    with open(os.path.join(ROOT, "docker-compose.yml")) as f:
        doc = yaml.safe_load(f)
    with open(os.path.join(ROOT, "Dockerfile")) as f:
        entry = [ln for ln in f if ln.startswith("ENTRYPOINT")]
    assert len(entry) == 1
    entrypoint = json.loads(entry[0][len("ENTRYPOINT"):])
    return doc, doc["services"]["propolis"], entrypoint


def arg_value(args, flag):
    return args[args.index(flag) + 1]


def test_compose_publishes_everything_on_loopback_and_keeps_keys_in_a_named_volume():
    doc, svc, _ = load_service()
    assert sorted(svc["ports"]) == ["127.0.0.1:9083:9083", "127.0.0.1:9084:9084"]
    mounts = dict(v.split(":", 1) for v in svc["volumes"])
    assert "propolis-keys" in mounts and "propolis-keys" in doc["volumes"]
    args = [compose_env(a) for a in svc["command"]]
    keys = mounts["propolis-keys"]
    for flag in ("--master-key-file", "--admin-credentials"):
        assert os.path.dirname(arg_value(args, flag)) == keys, flag
    assert arg_value(args, "--http-listen").endswith(":9084")
    assert "/readyz" in " ".join(svc["healthcheck"]["test"])


def test_server_accepts_exactly_the_compose_arguments(pg, tmp_path):
    doc, svc, entrypoint = load_service()
    keys_mount = dict(v.split(":", 1) for v in svc["volumes"])["propolis-keys"]
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    url = pg.create_database("propolis_compose")
    ports = {}
    for p in svc["ports"]:
        host, hport, cport = p.split(":")
        ports[cport] = harness.free_port()

    def container_to_test(a):
        a = compose_env(a)
        if a == entrypoint[0]:
            return harness.PROPOLIS_BIN
        if a == "/usr/local/share/propolis/migrations":
            return harness.MIGRATIONS
        if a.startswith(keys_mount + "/"):
            return str(keys) + a[len(keys_mount):]
        if a.startswith("postgresql://") and "@postgres:5432/" in a:
            return url
        m = re.fullmatch(r"0\.0\.0\.0:(\d+)", a)
        if m:
            assert m.group(1) in ports, "listening on %s, which compose does not publish" % a
            return "127.0.0.1:%d" % ports[m.group(1)]
        return a

    argv = [container_to_test(a) for a in entrypoint + svc["command"]]
    assert argv[0] == harness.PROPOLIS_BIN and len(argv) == len(entrypoint) + len(svc["command"])
    srv = harness.Server(argv[1:], logdir=str(tmp_path), port=ports["9083"])
    assert srv.args == argv[1:], "the harness must not add arguments"
    srv.start()
    try:
        harness.wait_port(ports["9084"])
        # the Thrift door
        c = harness.connect(ports["9083"])
        try:
            assert "default" in c.get_all_databases()
        finally:
            c.close()
        # keys in the volume: master key and the administrator's credentials, private
        for name in ("master.key", "admin.credentials"):
            mode = stat.S_IMODE(os.stat(keys / name).st_mode)
            assert mode & 0o077 == 0, (name, oct(mode))
        cp = configparser.ConfigParser()
        cp.read(str(keys / "admin.credentials"))
        endpoint = "http://127.0.0.1:%d" % ports["9084"]
        kw = dict(endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=cp["default"]["aws_access_key_id"],
                  aws_secret_access_key=cp["default"]["aws_secret_access_key"],
                  config=botocore.config.Config(retries={"max_attempts": 1}))
        assert "default" in [d["Name"] for d in boto3.client("glue", **kw).get_databases()["DatabaseList"]]
        assert "DataLakeSettings" in boto3.client("lakeformation", **kw).get_data_lake_settings()
        for path in ("/readyz", "/metrics"):
            with urllib.request.urlopen(endpoint + path, timeout=10) as r:
                assert r.status == 200
        # the healthcheck command as compose runs it in the container (its port mapped here)
        test = svc["healthcheck"]["test"]
        assert test[0] == "CMD"
        cmd = [a.replace("/9084", "/%d" % ports["9084"]) for a in test[1:]]
        assert subprocess.run(cmd, timeout=20).returncode == 0
        assert "Glue HTTP door listening" in srv.log_text()
    finally:
        rc = srv.stop()
        assert rc == 0, srv.log_tail()
    # the healthcheck fails when nothing answers
    assert subprocess.run(cmd, timeout=20, stderr=subprocess.DEVNULL).returncode != 0
