#!/usr/bin/python3
# bench/kerberos_handshake.py — what a Kerberos (SASL GSSAPI) handshake costs next to SASL PLAIN's.
#
# Not a test: a timed script (issue 16's closing note). Starts a throwaway PostgreSQL and MIT KDC
# (tests/integration/harness.py, kdc.py), one server with a kerberos listener and a sasl-plain
# listener, then opens N connections on each with python3-thrift's TSaslClientTransport and
# times TCP connect + SASL negotiation + one get_all_databases call. GSSAPI here includes the
# TGS round trip to the KDC only on the first connection (the service ticket is cached).
# Usage: bench/kerberos_handshake.py [N]   (run from the worktree root, after a build)
import configparser
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, "/usr/lib/python3/dist-packages")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

import harness  # noqa: E402
import kdc as kdcmod  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402


def one(port, mech, **kw):
    t0 = time.perf_counter()
    sock = TSocket.TSocket("127.0.0.1", port)
    trans = TTransport.TSaslClientTransport(sock, "localhost", "hive", mechanism=mech, **kw)
    c = harness.Client(trans, TBinaryProtocol.TBinaryProtocol(trans))
    sock.open()
    trans.open()
    t1 = time.perf_counter()
    c.get_all_databases()
    t2 = time.perf_counter()
    trans.close()
    return (t1 - t0) * 1000.0, (t2 - t0) * 1000.0


def report(name, samples):
    hs = sorted(s[0] for s in samples)
    tot = sorted(s[1] for s in samples)
    print("%-8s handshake median %.2f ms p95 %.2f ms | handshake+call median %.2f ms (n=%d, first %.2f ms)"
          % (name, statistics.median(hs), hs[int(len(hs) * 0.95) - 1], statistics.median(tot), len(hs),
             samples[0][0]))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    d = tempfile.mkdtemp(prefix="krbbench-")
    pg = harness.TempPostgres()
    pg.start()
    k = kdcmod.Kdc(d).start()
    try:
        k.add_principal("hive/localhost")
        k.add_principal("alice", password="pw-alice")
        keytab = k.keytab("hive/localhost@" + kdcmod.REALM, os.path.join(d, "hive.keytab"))
        cc = k.kinit("alice", "pw-alice", os.path.join(d, "cc"))
        os.environ.update({"KRB5_CONFIG": k.conf, "KRB5CCNAME": "FILE:" + cc, "KRB5RCACHETYPE": "none"})
        plain_port = harness.free_port()
        with open(os.path.join(d, "b.ini"), "w") as f:
            f.write("[thrift-listener plain]\nlisten = 127.0.0.1:%d\nauth = sasl-plain\n" % plain_port)
        s = harness.Server(["--config", os.path.join(d, "b.ini"), "--database", pg.create_database("krbbench"),
                            "--warehouse", "file://" + d + "/wh", "--http-listen", "127.0.0.1:%d" % harness.free_port(),
                            "--master-key-file", d + "/master.key", "--admin-credentials", d + "/admin.credentials",
                            "--thrift-auth", "kerberos", "--kerberos-keytab", keytab,
                            "--kerberos-principal", "hive/localhost@" + kdcmod.REALM, "--log-level", "warning"],
                           logdir=d)
        s.start()
        harness.wait_port(plain_port)
        cp = configparser.ConfigParser()
        cp.read(d + "/admin.credentials")
        secret = cp["default"]["aws_secret_access_key"]
        try:
            report("GSSAPI", [one(s.port, "GSSAPI") for _ in range(n)])
            report("PLAIN", [one(plain_port, "PLAIN", username="admin", password=secret) for _ in range(n)])
        finally:
            s.stop()
    finally:
        k.stop()
        pg.stop()


if __name__ == "__main__":
    main()
