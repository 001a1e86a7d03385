# tests/integration/ops.py — what the operations tests share (test_metrics.py and the
# test_fault_*.py suites): a server with both doors on free ports, a Prometheus scrape through
# urllib, and a PostgreSQL cluster a test may stop and start again. Not a test module.

import os
import re
import time
import urllib.request

import harness

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')




def start_both_doors(start_server, url, tmp_path, config=None, extra=()):
    """A server with the Thrift door and the Glue HTTP door; .endpoint, .http_port, .key_id, .secret.
    start_server: the conftest fixture, or any callable(args, config=...) that starts a Server."""
    import configparser
    http_port = harness.free_port()
    d = tmp_path / ("doors-%d" % http_port)
    d.mkdir()
    creds = d / "admin.credentials"
    srv = start_server(["--database", url, "--warehouse", "file://" + str(d / "wh"),
                        "--http-listen", "127.0.0.1:%d" % http_port,
                        "--master-key-file", str(d / "master.key"),
                        "--admin-credentials", str(creds)] + list(extra), config=config)
    harness.wait_port(http_port, timeout=60)
    srv.http_port = http_port
    srv.endpoint = "http://127.0.0.1:%d" % http_port
    cp = configparser.ConfigParser()
    cp.read(str(creds))
    srv.key_id = cp["default"]["aws_access_key_id"]
    srv.secret = cp["default"]["aws_secret_access_key"]
    return srv


def scrape(endpoint, timeout=10):
    """GET /metrics: ({(name, sorted label items): value}, {name: type}); checks the format."""
    with urllib.request.urlopen(endpoint + "/metrics", timeout=timeout) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = r.read().decode()
    samples, types = {}, {}
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


def wait_metric(endpoint, pred, timeout=15, what="metric"):
    """Scrapes until pred(samples) holds; returns the samples (the catalog gauges are cached ~3 s)."""
    deadline = time.monotonic() + timeout
    while True:
        samples, _ = scrape(endpoint)
        if pred(samples):
            return samples
        if time.monotonic() > deadline:
            raise AssertionError("%s never held; last scrape: %r" % (
                what, {k: v for k, v in samples.items() if not k[0].startswith("propolis_api")}))
        time.sleep(0.5)


class OwnPostgres(harness.TempPostgres):
    """A cluster one test owns, so it may stop it (fast or immediate) and start it again."""

    def pg_ctl(self, *args):
        self._run([os.path.join(harness.PG_BIN, "pg_ctl"), "-D", self.data, "-w", "-t", "60"] + list(args))

    def halt(self, mode="fast"):
        self.pg_ctl("-m", mode, "stop")

    def restart(self):
        self.counter += 1
        opts = ("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
                % (self.port, self.dir))
        self.pg_ctl("-l", os.path.join(self.dir, "postgres-%d.log" % self.counter), "-o", opts, "start")
