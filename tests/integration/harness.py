# tests/integration/harness.py — the moving parts of the integration tests: a throwaway
# PostgreSQL cluster, a propolis-server process, and Thrift clients built on the Python
# code the thrift compiler generated from schema/.
#
# PostgreSQL refuses to run as root: when the tests run as root, initdb/pg_ctl run as the
# `postgres` user (runuser) on a directory handed to it. Everything listens on 127.0.0.1
# on free ports; nothing here touches a port or directory it did not create.

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("BUILD_DIR") or os.path.join(ROOT, "build")
if not os.path.isabs(BUILD):
    BUILD = os.path.join(ROOT, BUILD)

PROPOLIS_BIN = os.environ.get("PROPOLIS_BIN") or os.path.join(BUILD, "propolis-server")
GEN_PY = os.environ.get("PROPOLIS_GEN_PY") or os.path.join(BUILD, "gen-py")
MIGRATIONS = os.environ.get("PROPOLIS_MIGRATIONS") or os.path.join(ROOT, "migrations")
C_CLIENT = os.environ.get("PROPOLIS_C_CLIENT") or os.path.join(BUILD, "tests", "propolis-test-client")
START_TIMEOUT = float(os.environ.get("PROPOLIS_START_TIMEOUT", "60"))
STOP_TIMEOUT = float(os.environ.get("PROPOLIS_STOP_TIMEOUT", "15"))

# Debian's python3-thrift lives in dist-packages; a pyenv/venv python may not see it.
for extra in (GEN_PY, "/usr/lib/python3/dist-packages"):
    if extra not in sys.path and os.path.isdir(extra):
        sys.path.insert(0 if extra == GEN_PY else len(sys.path), extra)

from thrift.Thrift import TApplicationException, TMessageType  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

from hive_metastore import ThriftHiveMetastore  # noqa: E402
from hive_metastore import ttypes as T  # noqa: E402

PG_BIN = "/usr/lib/postgresql/15/bin"

__all__ = ["T", "TApplicationException", "TMessageType", "connect", "uniq", "Server",
           "TempPostgres", "ExternalPostgres", "free_port", "migration_files", "C_CLIENT",
           "PROPOLIS_BIN"]


def uniq(prefix):
    """A lower-case name no other test uses."""
    return "%s_%s" % (prefix, uuid.uuid4().hex[:10])


def wait_port(port, timeout=30):
    """Returns once something listens on 127.0.0.1:port; RuntimeError after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("port %d not listening" % port)


_PORTS_GIVEN = set()


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago and that this process has not handed out
    before: the kernel may give the port it just gave back again, and a server started with two
    ports (Thrift and HTTP) from two calls in a row then cannot listen on the second."""
    for _ in range(1000):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _PORTS_GIVEN:
            _PORTS_GIVEN.add(port)
            return port
    raise RuntimeError("no free port this process has not handed out already")


def migration_files():
    return sorted(glob.glob(os.path.join(MIGRATIONS, "[0-9][0-9][0-9][0-9]_*.sql")))


def is_root():
    return os.geteuid() == 0


def as_postgres(cmd):
    """cmd run as the postgres user when we are root (PostgreSQL refuses root)."""
    return ["runuser", "-u", "postgres", "--"] + cmd if is_root() else cmd


def psql(url, sql):
    """Runs one SQL statement through psql; returns its unaligned, tuples-only output."""
    exe = os.path.join(PG_BIN, "psql")
    if not os.path.exists(exe):
        exe = shutil.which("psql") or "psql"
    out = subprocess.run([exe, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("psql failed (%d): %s" % (out.returncode, out.stderr))
    return out.stdout.strip()


class TempPostgres:
    """A PostgreSQL 15 cluster in a temp dir, on 127.0.0.1 and a free port, trust auth."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="propolis-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.user = "postgres"
        if is_root():
            shutil.chown(self.dir, "postgres", "postgres")
        self.counter = 0

    def _run(self, cmd):
        out = subprocess.run(as_postgres(cmd), capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError("%s failed (%d):\n%s%s" % (cmd[0], out.returncode, out.stdout, out.stderr))

    def start(self):
        self._run([os.path.join(PG_BIN, "initdb"), "-D", self.data, "-U", self.user, "-A", "trust",
                   "-E", "UTF8", "--no-locale", "--no-sync"])
        opts = ("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB"
                % (self.port, self.dir))
        self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-w", "-t", "60",
                   "-l", os.path.join(self.dir, "postgres.log"), "-o", opts, "start"])

    def stop(self):
        try:
            self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-w", "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname="postgres"):
        return "postgresql://%s@127.0.0.1:%d/%s" % (self.user, self.port, dbname)

    def create_database(self, prefix):
        """A new, empty database; returns its URL."""
        self.counter += 1
        name = "%s_%d_%s" % (prefix, self.counter, uuid.uuid4().hex[:6])
        psql(self.url(), "CREATE DATABASE %s" % name)
        return self.url(name)


class ExternalPostgres(TempPostgres):
    """A PostgreSQL someone else runs (PROPOLIS_TEST_PG); we only create databases in it."""

    def __init__(self, url):
        self.base = url
        self.counter = 0

    def url(self, dbname=None):
        if dbname is None:
            return self.base
        head, _, tail = self.base.partition("?")
        head = head.rsplit("/", 1)[0] if head.count("/") > 2 else head
        return head + "/" + dbname + ("?" + tail if tail else "")

    def start(self):
        pass

    def stop(self):
        pass


_HELP_CACHE = {}


def server_help():
    """The server's --help text (cached)."""
    if "help" not in _HELP_CACHE:
        out = subprocess.run([PROPOLIS_BIN, "--help"], capture_output=True, text=True, timeout=30)
        _HELP_CACHE["help"] = out.stdout + out.stderr
    return _HELP_CACHE["help"]


class Server:
    """One propolis-server process listening on 127.0.0.1:<free port>."""

    def __init__(self, args, logdir, port=None):
        self.port = port or free_port()
        self.args = list(args)
        if "--listen" not in self.args:
            self.args += ["--listen", "127.0.0.1:%d" % self.port]
        if "--migrations" not in self.args and "--migrations" in server_help():
            self.args += ["--migrations", MIGRATIONS]
        self.logpath = os.path.join(logdir, "propolis-%d-%s.log" % (self.port, uuid.uuid4().hex[:4]))
        self.proc = None

    def start(self, wait=True):
        self.log = open(self.logpath, "wb")
        self.proc = subprocess.Popen([PROPOLIS_BIN] + self.args, stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=START_TIMEOUT):
        """Waits until the port accepts; raises (with the log) if the server exits or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise RuntimeError("propolis-server exited with %d before listening:\n%s"
                                   % (rc, self.log_tail()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("propolis-server not listening on %d after %.0fs:\n%s"
                           % (self.port, timeout, self.log_tail()))

    def wait_exit(self, timeout):
        """The exit code, or None if still running after timeout seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM; returns the exit code (kills and returns 'killed' if it hangs)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.wait_exit(timeout)
        if rc is None:
            self.proc.kill()
            self.proc.wait()
            rc = "hung after SIGTERM, killed"
        self.log.close()
        return rc

    def log_text(self):
        try:
            with open(self.logpath, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_tail(self, n=60):
        return "\n".join(self.log_text().splitlines()[-n:])


def postgres_session():
    """For a session fixture (`yield from harness.postgres_session()`): the PostgreSQL the tests
    use, $PROPOLIS_TEST_PG's when set, else a throwaway cluster started here and stopped after."""
    url = os.environ.get("PROPOLIS_TEST_PG")
    if url:
        yield ExternalPostgres(url)
        return
    cluster = TempPostgres()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def shared_server(pg, tmp_path_factory, dbname):
    """For a session fixture: one plain propolis-server on database dbname (.warehouse set),
    stopped with SIGTERM at the end and its exit code checked."""
    url = pg.create_database(dbname)
    warehouse = "file://" + str(tmp_path_factory.mktemp("warehouse"))
    srv = Server(["--database", url, "--warehouse", warehouse], logdir=str(tmp_path_factory.mktemp("server-log")))
    srv.warehouse = warehouse
    srv.start()
    try:
        yield srv
    finally:
        rc = srv.stop()
        assert rc == 0, "shared server exited with %r on SIGTERM\n%s" % (rc, srv.log_tail())


def lf_server(pg, tmp_path_factory, name, extra_args=(), trust_ugi=True):
    """For a module fixture (`yield from harness.lf_server(...)`): a started server on database
    propolis_<name> with the HTTP door (Glue, Lake Formation, Propolis.*) and, with trust_ugi, a
    trust-ugi Thrift listener; .endpoint, .http_port, .db_url, .dir, .creds_path, .master_key and
    the bootstrap admin's .key_id/.secret set. Stopped (and its exit code checked) when the
    fixture ends."""
    import configparser
    d = tmp_path_factory.mktemp(name)
    url = pg.create_database("propolis_" + name)
    http_port = free_port()
    creds = d / "admin.credentials"
    auth = ["--thrift-auth", "trust-ugi"] if trust_ugi else []
    srv = Server(["--database", url, "--warehouse", "file://" + str(d / "wh"),
                  "--http-listen", "127.0.0.1:%d" % http_port] + auth +
                 ["--master-key-file", str(d / "master.key"), "--admin-credentials", str(creds)] + list(extra_args),
                 logdir=str(d))
    srv.start()
    wait_port(http_port)
    srv.db_url, srv.dir, srv.http_port = url, d, http_port
    srv.creds_path, srv.master_key = str(creds), str(d / "master.key")
    srv.endpoint = "http://127.0.0.1:%d" % http_port
    cp = configparser.ConfigParser()
    cp.read(str(creds))
    srv.key_id = cp["default"]["aws_access_key_id"]
    srv.secret = cp["default"]["aws_secret_access_key"]
    try:
        yield srv
    finally:
        rc = srv.stop()
        assert rc == 0, srv.log_tail()


def lf_close_defaults(lf):
    """Lake Formation-only mode, as an operator sets it (lf: an administrator's boto3 client): new
    databases and tables get no IAM_ALLOWED_PRINCIPALS grant, IAM_ALLOWED_PRINCIPALS may no longer
    create databases, and the default database is no longer open to it."""
    everyone = {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}
    settings = lf.get_data_lake_settings()["DataLakeSettings"]
    settings["CreateDatabaseDefaultPermissions"] = []
    settings["CreateTableDefaultPermissions"] = []
    lf.put_data_lake_settings(DataLakeSettings=settings)
    lf.revoke_permissions(Principal=everyone, Resource={"Catalog": {}}, Permissions=["CREATE_DATABASE"])
    lf.revoke_permissions(Principal=everyone, Resource={"Database": {"Name": "default"}}, Permissions=["ALL"])


class Client(ThriftHiveMetastore.Client):
    """A generated client that also owns its transport."""

    def __init__(self, transport, protocol):
        super().__init__(protocol)
        self.transport = transport
        self.protocol = protocol

    def close(self):
        try:
            self.transport.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def raw_call(self, name, seqid=1):
        """Sends a call to method `name` with no arguments; returns (mtype, reply or exception)."""
        p = self.protocol
        p.writeMessageBegin(name, TMessageType.CALL, seqid)
        p.writeStructBegin(name + "_args")
        p.writeFieldStop()
        p.writeStructEnd()
        p.writeMessageEnd()
        p.trans.flush()
        rname, mtype, rseqid = p.readMessageBegin()
        if mtype == TMessageType.EXCEPTION:
            x = TApplicationException()
            x.read(p)
            p.readMessageEnd()
            return rname, mtype, rseqid, x
        p.skip(12)  # TType.STRUCT
        p.readMessageEnd()
        return rname, mtype, rseqid, None


def connect(port, framed=False, timeout_ms=30000):
    """A connected client (TSocket + TBufferedTransport or TFramedTransport, TBinaryProtocol)."""
    sock = TSocket.TSocket("127.0.0.1", port)
    sock.setTimeout(timeout_ms)
    trans = TTransport.TFramedTransport(sock) if framed else TTransport.TBufferedTransport(sock)
    proto = TBinaryProtocol.TBinaryProtocol(trans, strictRead=True, strictWrite=True)
    trans.open()
    return Client(trans, proto)


# ---- object builders ----

def cols(*specs):
    """FieldSchema list from (name, type[, comment]) tuples."""
    return [T.FieldSchema(name=s[0], type=s[1], comment=(s[2] if len(s) > 2 else None)) for s in specs]


def make_sd(columns=None, location=None):
    return T.StorageDescriptor(
        cols=columns if columns is not None else cols(("id", "bigint", "the id"), ("name", "string")),
        location=location,
        inputFormat="org.apache.hadoop.mapred.TextInputFormat",
        outputFormat="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        compressed=False,
        numBuckets=-1,
        serdeInfo=T.SerDeInfo(name="serde",
                              serializationLib="org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                              parameters={"serialization.format": "1"}),
        bucketCols=[],
        sortCols=[],
        parameters={},
        skewedInfo=T.SkewedInfo(skewedColNames=[], skewedColValues=[], skewedColValueLocationMaps={}),
        storedAsSubDirectories=False)


def make_table(db, name, table_type="MANAGED_TABLE", partition_keys=None, params=None, location=None,
               columns=None, owner="alice"):
    return T.Table(tableName=name, dbName=db, owner=owner, createTime=0, lastAccessTime=0,
                   retention=0, sd=make_sd(columns, location),
                   partitionKeys=partition_keys if partition_keys is not None else [],
                   parameters=dict(params or {}), tableType=table_type,
                   viewOriginalText=None, viewExpandedText=None, catName="hive",
                   ownerType=T.PrincipalType.USER)


def make_view(db, name, original, expanded):
    t = make_table(db, name, table_type="VIRTUAL_VIEW")
    t.sd.location = None
    t.sd.inputFormat = "org.apache.hadoop.mapred.SequenceFileInputFormat"
    t.sd.outputFormat = "org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat"
    t.sd.serdeInfo = T.SerDeInfo(name=None, serializationLib=None, parameters={})
    t.viewOriginalText = original
    t.viewExpandedText = expanded
    return t
