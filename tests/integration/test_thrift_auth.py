# tests/integration/test_thrift_auth.py — who is calling on the Hive Thrift door (issue 6, "Who is
# calling"): per-listener auth modes anonymous, trust-ugi, sasl-plain, tls and mtls, several
# listeners in one server ([thrift-listener NAME]), through real clients: python3-thrift's
# TSocket/TSSLSocket with TBufferedTransport and TFramedTransport, and TSaslClientTransport
# (python3-pure-sasl) for SASL PLAIN. Certificates (a CA, the server's, clients CN=alice/bob,
# and a stranger CA's) are made at test time with the openssl CLI. The principal a call ran as
# is read from the server's JSON audit line; "nothing ran" means no audit line from that client.

import configparser
import json
import os
import socket
import ssl
import struct
import subprocess
import sys
import time

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")

import harness  # noqa: E402
from harness import T  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TSSLSocket, TTransport  # noqa: E402

pytest.importorskip("puresasl")

SASL_START, SASL_OK, SASL_BAD, SASL_ERROR, SASL_COMPLETE = 1, 2, 3, 4, 5


# ---- certificates ----

def openssl(cwd, *args):
    out = subprocess.run(["openssl"] + list(args), cwd=cwd, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, "openssl %s failed:\n%s" % (" ".join(args), out.stderr)


def make_ca(d, name, cn):
    openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + cn,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")


def make_cert(d, ca, name, subject, ext):
    openssl(d, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject)
    with open(os.path.join(d, name + ".ext"), "w") as f:
        f.write(ext)
    openssl(d, "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
            "-set_serial", str(int.from_bytes(os.urandom(8), "big")), "-days", "2", "-out", name + ".crt",
            "-extfile", name + ".ext")


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("certs"))
    make_ca(d, "ca", "Propolis Test CA")
    make_ca(d, "stranger", "Some Other CA")
    make_cert(d, "ca", "server", "/CN=localhost",
              "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n")
    client_ext = "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n"
    make_cert(d, "ca", "alice", "/O=Propolis Tests/CN=alice", client_ext)
    make_cert(d, "ca", "bob", "/CN=bob", client_ext)
    make_cert(d, "ca", "nocn", "/O=Propolis Tests/OU=no common name", client_ext)
    make_cert(d, "stranger", "mallory", "/CN=alice", client_ext)
    return lambda name: os.path.join(d, name)


# ---- the server: one listener per mode ----

def wait_ports(s, ports, timeout=60.0):
    """The harness waits for the primary listener only; the others are bound just after it."""
    deadline = time.monotonic() + timeout
    for port in ports:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert s.proc.poll() is None and time.monotonic() < deadline, s.log_tail()
                time.sleep(0.05)


LISTENERS = {"ugi": "trust-ugi", "sasl": "sasl-plain", "tls": "tls", "mtls": "mtls", "tlssasl": "tls,sasl-plain"}


@pytest.fixture(scope="module")
def srv(pg, certs, tmp_path_factory):
    """One server: the primary listener anonymous (the default), one [thrift-listener] per mode."""
    d = tmp_path_factory.mktemp("auth")
    ports = {name: harness.free_port() for name in LISTENERS}
    config = "[server]\ntls_cert = %s\ntls_key = %s\ntls_ca = %s\n" % (certs("server.crt"), certs("server.key"),
                                                                     certs("ca.crt"))
    for name, mode in LISTENERS.items():
        config += "\n[thrift-listener %s]\nlisten = 127.0.0.1:%d\nauth = %s\n" % (name, ports[name], mode)
    (d / "propolis.ini").write_text(config)
    creds = d / "admin.credentials"
    s = harness.Server(["--config", str(d / "propolis.ini"), "--database", pg.create_database("propolis_auth"),
                        "--warehouse", "file://" + str(d / "wh"), "--http-listen", "127.0.0.1:%d" % harness.free_port(),
                        "--master-key-file", str(d / "master.key"), "--admin-credentials", str(creds)],
                       logdir=str(d))
    s.start()
    wait_ports(s, ports.values())
    s.ports = ports
    cp = configparser.ConfigParser()
    cp.read(str(creds))
    s.key_id = cp["default"]["aws_access_key_id"]
    s.secret = cp["default"]["aws_secret_access_key"]
    try:
        yield s
    finally:
        rc = s.stop()
        assert rc == 0, s.log_tail()


# ---- clients ----

def tls_context(certs, client=None, ca="ca.crt"):
    ctx = ssl.create_default_context(cafile=certs(ca))
    if client:
        ctx.load_cert_chain(certs(client + ".crt"), certs(client + ".key"))
    return ctx


def open_client(port, framed=False, ctx=None, sasl=None):
    """A connected generated client: TSocket or TSSLSocket, then SASL, framed or buffered, binary protocol."""
    if ctx is not None:
        sock = TSSLSocket.TSSLSocket("127.0.0.1", port, ssl_context=ctx, server_hostname="127.0.0.1",
                                     validate_callback=lambda cert, host: None)
    else:
        sock = TSocket.TSocket("127.0.0.1", port)
    sock.setTimeout(30000)
    if sasl is not None:
        trans = TTransport.TSaslClientTransport(sock, "127.0.0.1", "hive", mechanism="PLAIN", username=sasl[0],
                                                password=sasl[1])
    else:
        trans = TTransport.TFramedTransport(sock) if framed else TTransport.TBufferedTransport(sock)
    proto = TBinaryProtocol.TBinaryProtocol(trans, strictRead=True, strictWrite=True)
    c = harness.Client(trans, proto)
    c.sock = sock
    c.local_port = None
    try:
        sock.open()
        c.local_port = sock.handle.getsockname()[1]
        if sasl is not None:
            trans.open()  # SASL negotiation on the open socket (buffered/framed have nothing to open)
    except Exception as ex:
        ex.local_port = c.local_port  # so a test can tell that nothing ran from this connection
        c.close()
        raise
    return c


def local_client(c):
    """The "client" field the audit line shows for this connection."""
    return "127.0.0.1:%d" % c.local_port


def audit_lines(s):
    out = []
    for line in s.log_text().splitlines():
        at = line.find(" audit {")
        if at >= 0:
            out.append(json.loads(line[at + len(" audit "):]))
    return out


def audited(s, client, method, timeout=10.0):
    """The audit lines of method calls made from client (address:port); waits until there is one."""
    deadline = time.monotonic() + timeout
    while True:
        found = [a for a in audit_lines(s) if a["client"] == client and a["method"] == method]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def principal_of_call(s, c):
    """Runs get_all_databases on c and returns the principal its audit line names."""
    assert "default" in c.get_all_databases()
    lines = audited(s, local_client(c), "get_all_databases")
    assert lines, "no audit line for %s in:\n%s" % (local_client(c), s.log_tail())
    return lines[-1]["principal"]


def wait_log(s, text, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in s.log_text():
            return True
        time.sleep(0.05)
    return False


def nothing_ran_from(s, port_of_client):
    return [a for a in audit_lines(s) if a["client"] == "127.0.0.1:%d" % port_of_client] == []


def raw_connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def read_all(sock):
    """Everything the server sends until it closes (the server must close)."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:  # closed with our bytes unread: a reset, not a FIN
            return data
        if not chunk:
            return data
        data += chunk


def sasl_msg(status, payload):
    return struct.pack(">BI", status, len(payload)) + payload


def framed_call(name, seqid=1):
    body = struct.pack(">I", 0x80010001) + struct.pack(">I", len(name)) + name.encode() + struct.pack(">i", seqid) + b"\x00"
    return struct.pack(">I", len(body)) + body


# ---- anonymous (the default) and trust-ugi ----

@pytest.mark.parametrize("framed", [False, True], ids=["buffered", "framed"])
def test_anonymous_listener_ignores_set_ugi(srv, framed):
    with open_client(srv.port, framed=framed) as c:
        c.set_ugi("bob", ["staff"])
        assert principal_of_call(srv, c) == "anonymous"


@pytest.mark.parametrize("framed", [False, True], ids=["buffered", "framed"])
def test_trust_ugi_listener_names_principal_by_set_ugi(srv, framed):
    with open_client(srv.ports["ugi"], framed=framed) as c:
        assert principal_of_call(srv, c) == "anonymous"
        assert "bob" in c.set_ugi("bob", ["staff"])
        assert principal_of_call(srv, c) == "bob"


def test_thrift_auth_flag_sets_the_primary_listener(pg, start_server):
    s = start_server(["--database", pg.create_database("propolis_ugi"), "--thrift-auth", "trust-ugi"])
    with open_client(s.port) as c:
        c.set_ugi("bob", [])
        assert principal_of_call(s, c) == "bob"
    assert "Thrift listener main on 127.0.0.1:%d (auth trust-ugi)" % s.port in s.log_text()


# ---- TLS ----

@pytest.mark.parametrize("framed", [False, True], ids=["buffered", "framed"])
def test_tls_listener_serves_both_transports(srv, certs, framed):
    with open_client(srv.ports["tls"], framed=framed, ctx=tls_context(certs)) as c:
        c.set_ugi("bob", [])
        assert principal_of_call(srv, c) == "anonymous"
        db = harness.uniq("tlsdb")
        c.create_database(T.Database(name=db, description="over TLS", parameters={}))
        assert c.get_database(db).description == "over TLS"
        c.drop_database(db, True, True)


def test_tls_listener_refuses_plain_thrift_and_keeps_serving(srv, certs):
    sock = raw_connect(srv.ports["tls"])
    sock.sendall(framed_call("get_all_databases"))
    with sock:
        assert b"default" not in read_all(sock)
    assert wait_log(srv, "TLS handshake")
    with open_client(srv.ports["tls"], ctx=tls_context(certs)) as c:
        assert "default" in c.get_all_databases()


def test_tls_reply_larger_than_socket_buffers(srv, certs):
    """A ~2 MB partition listing: streamed (unframed, net_request_flush) and framed, in TLS records."""
    with open_client(srv.port) as admin:
        db = harness.uniq("tlsbig")
        admin.create_database(T.Database(name=db, description="", parameters={}))
        t = harness.make_table(db, "t", partition_keys=harness.cols(("p", "string")))
        admin.create_table(t)
        sd = admin.get_table(db, "t").sd
        parts = [T.Partition(values=["v%05d" % i], dbName=db, tableName="t", createTime=0, lastAccessTime=0,
                             sd=sd, parameters={"k": "x" * 3000}) for i in range(600)]
        admin.add_partitions(parts)
    try:
        for framed in (False, True):
            with open_client(srv.ports["tls"], framed=framed, ctx=tls_context(certs)) as c:
                got = c.get_partitions(db, "t", -1)
                assert [p.values[0] for p in got] == ["v%05d" % i for i in range(600)]
                assert "default" in c.get_all_databases()  # the connection is still in step
        with open_client(srv.ports["tlssasl"], ctx=tls_context(certs), sasl=("admin", srv.secret)) as c:
            assert len(c.get_partitions(db, "t", -1)) == 600
    finally:
        with open_client(srv.port) as admin:
            admin.drop_database(db, True, True)


# ---- mTLS ----

def test_mtls_client_certificate_cn_is_the_principal(srv, certs):
    with open_client(srv.ports["mtls"], ctx=tls_context(certs, client="alice")) as c:
        assert principal_of_call(srv, c) == "alice"
        c.set_ugi("bob", [])  # a proven identity is not renamed
        assert principal_of_call(srv, c) == "alice"
    with open_client(srv.ports["mtls"], framed=True, ctx=tls_context(certs, client="bob")) as c:
        assert principal_of_call(srv, c) == "bob"


@pytest.mark.parametrize("client,why", [(None, "no client certificate"), ("mallory", "a certificate of another CA"),
                                        ("nocn", "a certificate without CN")])
def test_mtls_refuses(srv, certs, client, why):
    port = None
    with pytest.raises((ssl.SSLError, TTransport.TTransportException, OSError)) as e:
        c = open_client(srv.ports["mtls"], ctx=tls_context(certs, client=client))
        port = c.local_port
        try:
            c.get_all_databases()  # TLS 1.3: the server's verdict arrives after the client's Finished
        finally:
            c.close()
    port = port or getattr(e.value, "local_port", None)
    assert wait_log(srv, "client certificate refused" if client != "nocn" else "exactly one CN"), why
    assert port is None or nothing_ran_from(srv, port)
    with open_client(srv.ports["mtls"], ctx=tls_context(certs, client="alice")) as c:
        assert principal_of_call(srv, c) == "alice"


# ---- SASL PLAIN ----

@pytest.mark.parametrize("listener", ["sasl", "tlssasl"])
def test_sasl_plain_right_password(srv, certs, listener):
    ctx = tls_context(certs) if listener == "tlssasl" else None
    with open_client(srv.ports[listener], ctx=ctx, sasl=("admin", srv.secret)) as c:
        assert principal_of_call(srv, c) == "admin"
        c.set_ugi("bob", [])  # SASL named the caller; set_ugi does not rename it
        assert principal_of_call(srv, c) == "admin"


@pytest.mark.parametrize("listener", ["sasl", "tlssasl"])
@pytest.mark.parametrize("user,password", [("admin", "wrong-password"), ("nobody", "whatever"),
                                           ("admin", None)], ids=["wrong-password", "unknown-user", "access-key-id"])
def test_sasl_plain_refused_and_nothing_ran(srv, certs, listener, user, password):
    password = password if password is not None else srv.key_id  # the key id is not the secret
    ctx = tls_context(certs) if listener == "tlssasl" else None
    with pytest.raises(TTransport.TTransportException) as e:
        open_client(srv.ports[listener], ctx=ctx, sasl=(user, password))
    assert "Error validating the login" in str(e.value)
    assert wait_log(srv, 'SASL PLAIN login refused for user "%s"' % user)
    assert e.value.local_port and nothing_ran_from(srv, e.value.local_port)


def test_sasl_listener_runs_no_call_before_authentication(srv):
    """A Thrift call (framed or not) where SASL START belongs: SASL ERROR, closed, nothing ran."""
    for payload in (framed_call("get_all_databases"), framed_call("get_all_databases")[4:]):
        sock = raw_connect(srv.ports["sasl"])
        port = sock.getsockname()[1]
        with sock:
            sock.sendall(payload)
            reply = read_all(sock)
        assert reply[0] == SASL_ERROR and b"expected SASL START" in reply
        assert nothing_ran_from(srv, port)
    # START, then a Thrift frame instead of the PLAIN response.
    sock = raw_connect(srv.ports["sasl"])
    port = sock.getsockname()[1]
    with sock:
        sock.sendall(sasl_msg(SASL_START, b"PLAIN") + framed_call("get_all_databases"))
        reply = read_all(sock)
    assert reply[0] == SASL_ERROR and b"expected SASL OK or COMPLETE" in reply
    assert nothing_ran_from(srv, port)


def test_sasl_java_style_complete_status_and_one_write(srv):
    """Hive's Java client sends START and COMPLETE+response in one write; then framed calls."""
    sock = raw_connect(srv.ports["sasl"])
    with sock:
        sock.sendall(sasl_msg(SASL_START, b"PLAIN") + sasl_msg(SASL_COMPLETE, b"\0admin\0" + srv.secret.encode()))
        assert sock.recv(5) == bytes([SASL_COMPLETE, 0, 0, 0, 0])
        sock.sendall(framed_call("getVersion"))
        head = sock.recv(4)
        assert len(head) == 4 and struct.unpack(">I", head)[0] > 0


def test_sasl_unsupported_mechanism_and_message_limit(srv):
    """max_sasl_message (8192 by default): a START of exactly 8192 bytes is read (and its
    mechanism refused with BAD); 8193 is refused by its declared length, before any payload."""
    sock = raw_connect(srv.ports["sasl"])
    with sock:
        sock.sendall(sasl_msg(SASL_START, b"G" * 8192))
        reply = read_all(sock)
    assert reply[0] == SASL_BAD and b"Unsupported mechanism type" in reply
    sock = raw_connect(srv.ports["sasl"])
    with sock:
        sock.sendall(struct.pack(">BI", SASL_START, 8193))
        reply = read_all(sock)
    assert reply[0] == SASL_ERROR and b"max_sasl_message exceeded: 8193 > 8192" in reply
    with open_client(srv.ports["sasl"], sasl=("admin", srv.secret)) as c:
        assert "default" in c.get_all_databases()


def test_handshake_timeout_closes_silent_clients(pg, certs, start_server):
    """handshake_timeout_ms: a client that stays silent in the TLS handshake or the SASL
    negotiation is closed with a log naming the key; the server keeps serving."""
    tls_port, sasl_port = harness.free_port(), harness.free_port()
    config = ("[server]\ntls_cert = %s\ntls_key = %s\n[limits]\nhandshake_timeout_ms = 400\n"
              "[thrift-listener t]\nlisten = 127.0.0.1:%d\nauth = tls\n"
              "[thrift-listener s]\nlisten = 127.0.0.1:%d\nauth = sasl-plain\n"
              % (certs("server.crt"), certs("server.key"), tls_port, sasl_port))
    d = os.path.dirname(certs("ca.crt"))
    s = start_server(["--database", pg.create_database("propolis_hs"), "--master-key-file",
                      os.path.join(d, "hs-master.key"), "--http-listen", "127.0.0.1:%d" % harness.free_port()],
                     config=config)
    wait_ports(s, (tls_port, sasl_port))
    for port in (tls_port, sasl_port):
        sock = raw_connect(port)
        t0 = time.monotonic()
        with sock:
            assert read_all(sock) == b""
        assert 0.3 < time.monotonic() - t0 < 5
    assert s.log_text().count("handshake_timeout_ms exceeded") == 2
    with open_client(tls_port, ctx=tls_context(certs)) as c:
        assert "default" in c.get_all_databases()


# ---- configuration ----

def test_print_config_shows_listeners_and_env(certs, tmp_path):
    ini = tmp_path / "p.ini"
    ini.write_text("[server]\nthrift_auth = tls,trust-ugi\ntls_cert = /c.pem\ntls_key = /k.pem\n"
                   "[thrift-listener inner]\nlisten = [::1]:9100\nauth = mtls\ntls_ca = /ca.pem\n")
    env = dict(os.environ, PROPOLIS_THRIFT_LISTENER_EDGE_LISTEN="0.0.0.0:9101",
               PROPOLIS_THRIFT_LISTENER_EDGE_AUTH="tls,sasl-plain", PROPOLIS_SERVER_TLS_KEY="/k2.pem")
    out = subprocess.run([harness.PROPOLIS_BIN, "--config", str(ini), "--data-dir", str(tmp_path / "data"),
                          "--print-config"], capture_output=True, text=True, env=env, timeout=30)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "thrift_auth = tls,trust-ugi\n" in text and "tls_key = /k2.pem\n" in text
    assert "[thrift-listener inner]\nlisten = [::1]:9100\nauth = mtls\ntls_cert = /c.pem\ntls_key = /k2.pem\n" \
           "tls_ca = /ca.pem\n" in text
    assert "[thrift-listener edge]\nlisten = 0.0.0.0:9101\nauth = tls,sasl-plain\n" in text


@pytest.mark.parametrize("args,env,message", [
    (["--thrift-auth", "ldap"], {}, "unknown mode 'ldap'"),
    (["--thrift-auth", "kerberos,sasl-plain"], {}, "at most one of anonymous, trust-ugi, sasl-plain, kerberos"),
    (["--thrift-auth", "trust-ugi,sasl-plain"], {}, "at most one of anonymous, trust-ugi, sasl-plain"),
    (["--thrift-auth", "tls"], {}, "tls and mtls need tls_cert and tls_key"),
    (["--thrift-auth", "mtls", "--tls-cert", "/c", "--tls-key", "/k"], {}, "mtls needs tls_ca"),
    (["--thrift-auth", "sasl-plain"], {}, "sasl-plain checks passwords against access keys"),
    ([], {"PROPOLIS_THRIFT_LISTENER_X_PORT": "1"}, "PROPOLIS_THRIFT_LISTENER_X_PORT"),
    ([], {"PROPOLIS_THRIFT_LISTENER_X_AUTH": "tls"}, "[thrift-listener x]: listen = HOST:PORT is required"),
])
def test_bad_auth_config_is_a_startup_error(pg, args, env, message):
    out = subprocess.run([harness.PROPOLIS_BIN, "--database", pg.url()] + args, capture_output=True, text=True,
                         env=dict(os.environ, **env), timeout=30)
    assert out.returncode == 2 and message in out.stderr, out.stderr


def test_tls_files_that_do_not_load_stop_startup(pg, certs, tmp_path):
    out = subprocess.run([harness.PROPOLIS_BIN, "--database", pg.create_database("propolis_badtls"),
                          "--listen", "127.0.0.1:%d" % harness.free_port(), "--migrations", harness.MIGRATIONS,
                          "--thrift-auth", "tls", "--tls-cert", certs("alice.crt"), "--tls-key", certs("server.key")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "tls_key %s" % certs("server.key") in out.stderr, out.stderr
