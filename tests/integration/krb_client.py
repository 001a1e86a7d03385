# tests/integration/krb_client.py — one Kerberos (SASL GSSAPI) Thrift client run, in its own process.
#
# Run by test_thrift_kerberos.py with KRB5_CONFIG and KRB5CCNAME set for the user it plays, so
# every run reads its own ticket cache. argv: port, service ("hive"), host ("localhost"), then a
# JSON list of calls [[method, args...], ...]. Prints one JSON line: {"results": [...]} with each
# call's result or {"error": exception type, "message": ...}, or {"open_error": ...} when the
# SASL negotiation failed. Uses python3-thrift's TSaslClientTransport and pure-sasl's GSSAPI
# mechanism (python3-kerberos), as Python clients of a Kerberized metastore do.
import json
import os
import sys
import time

sys.path.insert(0, "/usr/lib/python3/dist-packages")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402


def result(value):
    if isinstance(value, list):
        return [result(v) for v in value]
    if hasattr(value, "__dict__"):
        return {k: result(v) for k, v in value.__dict__.items() if v is not None}
    return value


def main():
    port, service, host, calls = int(sys.argv[1]), sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    sock = TSocket.TSocket("127.0.0.1", port)
    sock.setTimeout(30000)
    trans = TTransport.TSaslClientTransport(sock, host, service, mechanism="GSSAPI")
    proto = TBinaryProtocol.TBinaryProtocol(trans, strictRead=True, strictWrite=True)
    c = harness.Client(trans, proto)
    t0 = time.monotonic()
    try:
        sock.open()
        local = sock.handle.getsockname()[1]
        trans.open()
    except Exception as ex:  # noqa: BLE001 — the point is to report it
        print(json.dumps({"open_error": "%s: %s" % (type(ex).__name__, ex)}))
        return
    handshake_ms = (time.monotonic() - t0) * 1000.0
    out = []
    for call in calls:
        try:
            out.append(result(getattr(c, call[0])(*call[1:])))
        except Exception as ex:  # noqa: BLE001
            out.append({"error": type(ex).__name__, "message": str(getattr(ex, "message", ex))})
    c.close()
    print(json.dumps({"results": out, "local_port": local, "handshake_ms": handshake_ms}))


if __name__ == "__main__":
    main()
