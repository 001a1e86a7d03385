#!/usr/bin/env python3
# tests/compat/coverage.py — which of each release's methods Propolis serves: starts the
# server on a throwaway PostgreSQL (tests/integration/harness.py) and sends every method of
# every releases/*.json once, with empty arguments, on a fresh connection; a method is
# unserved when the answer is TApplicationException UNKNOWN_METHOD. Prints a Markdown table
# (the README's counts) and, with -v, the unserved names. Needs a build (build/ or BUILD_DIR).
#
#   python3 tests/compat/coverage.py [-v]

import glob
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))

import harness  # noqa: E402
from thrift.Thrift import TApplicationException, TMessageType, TType  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402


def served(port, method):
    """False when the server answers `method` with UNKNOWN_METHOD."""
    sock = TSocket.TSocket("127.0.0.1", port)
    sock.setTimeout(10000)
    trans = TTransport.TBufferedTransport(sock)
    proto = TBinaryProtocol.TBinaryProtocol(trans, strictRead=True, strictWrite=True)
    trans.open()
    try:
        proto.writeMessageBegin(method, TMessageType.CALL, 1)
        proto.writeStructBegin("args")
        proto.writeFieldStop()
        proto.writeStructEnd()
        proto.writeMessageEnd()
        trans.flush()
        _, mtype, _ = proto.readMessageBegin()
        if mtype == TMessageType.EXCEPTION:
            x = TApplicationException()
            x.read(proto)
            return x.type != TApplicationException.UNKNOWN_METHOD
        proto.skip(TType.STRUCT)
        return True
    except (TTransport.TTransportException, EOFError):
        return True  # it knew the name and dropped the malformed call
    finally:
        trans.close()


def main(argv):
    verbose = "-v" in argv
    pg = harness.TempPostgres()
    pg.start()
    tmp = tempfile.mkdtemp(prefix="propolis-coverage-")
    srv = harness.Server(["--database", pg.create_database("coverage"), "--warehouse", "file://" + tmp],
                         logdir=tmp)
    try:
        srv.start()
        print("| Release | Methods in its IDL | Served by Propolis | Unserved |")
        print("|---|---|---|---|")
        for path in sorted(glob.glob(os.path.join(HERE, "releases", "*.json"))):
            with open(path) as f:
                facts = json.load(f)
            methods = facts["methods"]
            missing = [m for m in methods if not served(srv.port, m)]
            print("| %s | %d | %d | %d |" % (facts["release"], len(methods), len(methods) - len(missing),
                                             len(missing)))
            if verbose:
                print("  unserved: " + ", ".join(sorted(missing)))
    finally:
        srv.stop()
        pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
