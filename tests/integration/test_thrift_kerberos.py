# tests/integration/test_thrift_kerberos.py — Kerberos (SASL GSSAPI) on the Thrift door (issue 16).
#
# The suite starts its own MIT KDC (kdc.py: a throwaway realm PROPOLIS.TEST in a temp directory,
# krb5kdc on a loopback port), makes the service principal hive/localhost, user principals and
# the service keytab with kadmin.local, and gets real tickets with kinit. The server runs with
# --thrift-auth kerberos --kerberos-keytab --kerberos-principal hive/_HOST@PROPOLIS.TEST on a
# "localhost" listener; clients are krb_client.py processes (python3-thrift TSaslClientTransport
# + pure-sasl GSSAPI over python3-kerberos), each with its own ticket cache. Who a call ran as
# is read from the server's audit lines; "nothing ran" means no audit line from that client.
import configparser
import json
import os
import subprocess
import sys
import time

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")

import harness  # noqa: E402
import kdc as kdcmod  # noqa: E402

pytest.importorskip("puresasl")
pytest.importorskip("kerberos")
boto3 = pytest.importorskip("boto3")
if not kdcmod.have_kdc():
    pytest.skip("MIT KDC (krb5-kdc, krb5-admin-server, krb5-user) not installed", allow_module_level=True)

HERE = os.path.dirname(os.path.abspath(__file__))
REALM = kdcmod.REALM
ACCOUNT = "000000000000"
RULES = "RULE:[2:$1@$0](etl@PROPOLIS\\.TEST)s/.*/etl_service/ DEFAULT"


@pytest.fixture(scope="module")
def kdc(tmp_path_factory):
    d = tmp_path_factory.mktemp("kdc")
    k = kdcmod.Kdc(d).start()
    k.add_principal("hive/localhost")
    k.add_principal("other/localhost")
    for user in ("alice", "bob", "etl/worker1", "admin"):
        k.add_principal(user, password="pw-" + user.replace("/", "-"))
    k.service_keytab = k.keytab("hive/localhost@" + REALM, os.path.join(str(d), "hive.keytab"))
    k.ccaches = {}
    for user in ("alice", "bob", "etl/worker1", "admin"):
        cc = os.path.join(str(d), "cc-" + user.replace("/", "-"))
        k.ccaches[user] = k.kinit(user, "pw-" + user.replace("/", "-"), cc)
    try:
        yield k
    finally:
        k.stop()


def start_in_realm(s, kdc):
    """Starts (or restarts) s with the throwaway realm's krb5.conf (its default realm)."""
    old = {k: os.environ.get(k) for k in ("KRB5_CONFIG", "KRB5RCACHETYPE")}
    os.environ.update({"KRB5_CONFIG": kdc.conf, "KRB5RCACHETYPE": "none"})
    try:
        s.start()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def start_krb_server(pg, kdc, d, rules=RULES, dbname="propolis_krb", url=None, extra="", master_key=None,
                     proxy_hosts="127.0.0.1"):
    creds = d / "admin.credentials"
    http_port = harness.free_port()
    config = ("[server]\nkerberos_principal_rules = %s\nhadoop.proxyuser.etl_service.users = bob\n"
              "hadoop.proxyuser.etl_service.hosts = %s\n%s" % (rules, proxy_hosts, extra))
    (d / "krb.ini").write_text(config)
    s = harness.Server(["--config", str(d / "krb.ini"), "--database", url or pg.create_database(dbname),
                        "--warehouse", "file://" + str(d / "wh"), "--http-listen", "127.0.0.1:%d" % http_port,
                        "--master-key-file", master_key or str(d / "master.key"), "--admin-credentials", str(creds),
                        "--thrift-auth", "kerberos", "--kerberos-keytab", kdc.service_keytab,
                        "--kerberos-principal", "hive/_HOST@" + REALM],
                       logdir=str(d))
    s.args[s.args.index("--listen") + 1] = "localhost:%d" % s.port
    start_in_realm(s, kdc)
    s.endpoint = "http://127.0.0.1:%d" % http_port
    s.db_url = url
    cp = configparser.ConfigParser()
    cp.read(str(creds))
    if "default" in cp:
        s.key_id = cp["default"]["aws_access_key_id"]
        s.secret = cp["default"]["aws_secret_access_key"]
    return s


@pytest.fixture(scope="module")
def srv(pg, kdc, tmp_path_factory):
    d = tmp_path_factory.mktemp("krbsrv")
    url = pg.create_database("propolis_krb")
    s = start_krb_server(pg, kdc, d, url=url)
    harness.wait_port(int(s.endpoint.rsplit(":", 1)[1]))
    s.db_url, s.master_key = url, str(d / "master.key")
    try:
        yield s
    finally:
        rc = s.stop()
        assert rc == 0, s.log_tail()


def krb_call(kdc, port, user, calls, service="hive", host="localhost", ccache=None):
    """Runs calls as user (its ticket cache) in a client process; returns the client's JSON report."""
    cc = ccache if ccache is not None else kdc.ccaches[user]
    out = subprocess.run([sys.executable, os.path.join(HERE, "krb_client.py"), str(port), service, host,
                          json.dumps(calls)], env=kdc.env(cc), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def audit_lines(s):
    out = []
    for line in s.log_text().splitlines():
        at = line.find(" audit {")
        if at >= 0:
            out.append(json.loads(line[at + len(" audit "):]))
    return out


def calls_from(s, local_port, method=None):
    client = "127.0.0.1:%d" % local_port
    return [a for a in audit_lines(s) if a.get("client") == client and (method is None or a.get("method") == method)]


def wait_audit(s, pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [a for a in audit_lines(s) if pred(a)]
        if found:
            return found
        time.sleep(0.05)
    return []


# ---- who a ticket names ----

def test_ticket_names_the_principal_and_set_ugi_changes_nothing(srv, kdc):
    r = krb_call(kdc, srv.port, "alice", [["set_ugi", "bob", ["admins"]], ["get_all_databases"]])
    assert "results" in r, r
    assert "default" in r["results"][1]
    lines = wait_audit(srv, lambda a: a.get("client") == "127.0.0.1:%d" % r["local_port"]
                       and a.get("method") == "get_all_databases")
    assert lines and lines[-1]["principal"] == "alice", srv.log_tail()
    login = wait_audit(srv, lambda a: a.get("method") == "sasl:GSSAPI" and a.get("authenticated_as") == "alice@" + REALM)
    assert login and login[-1]["principal"] == "alice" and login[-1]["result"] == "ok"


def test_service_ticket_maps_through_the_rules(srv, kdc):
    r = krb_call(kdc, srv.port, "etl/worker1", [["get_all_databases"]])
    assert "results" in r, r
    lines = wait_audit(srv, lambda a: a.get("client") == "127.0.0.1:%d" % r["local_port"]
                       and a.get("method") == "get_all_databases")
    assert lines and lines[-1]["principal"] == "etl_service"


def lf_setup(srv):
    from test_permissions import propolis_call
    import botocore.config
    cfg = botocore.config.Config(retries={"max_attempts": 1})

    def client(svc):
        return boto3.client(svc, endpoint_url=srv.endpoint, region_name="us-east-1", aws_access_key_id=srv.key_id,
                            aws_secret_access_key=srv.secret, config=cfg)
    lf, glue = client("lakeformation"), client("glue")
    settings = lf.get_data_lake_settings()["DataLakeSettings"]
    settings["CreateDatabaseDefaultPermissions"] = []
    settings["CreateTableDefaultPermissions"] = []
    lf.put_data_lake_settings(DataLakeSettings=settings)
    arns = {}
    for name in ("alice", "bob"):
        st, out = propolis_call(srv, srv.key_id, srv.secret, "CreatePrincipal", {"Name": name, "Groups": []})
        assert st == 200, out
        arns[name] = out["Arn"]
    glue.create_database(DatabaseInput={"Name": "krbsales"})
    glue.create_table(DatabaseName="krbsales", TableInput={
        "Name": "orders", "TableType": "EXTERNAL_TABLE",
        "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "bigint"}], "Location": "file:///tmp/krb/orders",
                              "SerdeInfo": {"SerializationLibrary":
                                            "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}}})
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": arns["alice"]},
                         Resource={"Database": {"Name": "krbsales"}}, Permissions=["DESCRIBE"])
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": arns["alice"]},
                         Resource={"Table": {"DatabaseName": "krbsales", "Name": "orders"}}, Permissions=["SELECT"])


def test_grants_apply_to_the_ticket_principal(srv, kdc):
    lf_setup(srv)
    a = krb_call(kdc, srv.port, "alice", [["get_table", "krbsales", "orders"]])
    assert a["results"][0].get("tableName") == "orders", a
    b = krb_call(kdc, srv.port, "bob", [["get_table", "krbsales", "orders"], ["drop_table", "krbsales", "orders",
                                                                             False]])
    assert b["results"][0].get("error") in ("NoSuchObjectException", "MetaException"), b
    assert b["results"][1].get("error") in ("NoSuchObjectException", "MetaException"), b
    again = krb_call(kdc, srv.port, "alice", [["get_table", "krbsales", "orders"]])
    assert again["results"][0].get("tableName") == "orders"


# ---- refused before any call ----

def refused_and_nothing_ran(srv, r):
    assert "open_error" in r, r
    assert not [a for a in audit_lines(srv) if a.get("method") not in ("sasl:GSSAPI",) and
                a.get("client", "").endswith(":%s" % r.get("local_port", "x"))]


def test_no_ticket_is_refused(srv, kdc, tmp_path):
    r = krb_call(kdc, srv.port, "alice", [["get_all_databases"]], ccache=str(tmp_path / "empty-cc"))
    assert "open_error" in r, r


def test_expired_ticket_is_refused(srv, kdc, tmp_path):
    cc = kdc.kinit("bob", "pw-bob", str(tmp_path / "short-cc"), lifetime="3s")
    time.sleep(4)
    r = krb_call(kdc, srv.port, "bob", [["get_all_databases"]], ccache=cc)
    assert "open_error" in r, r


def test_ticket_for_another_service_is_refused(srv, kdc):
    before = srv.log_text().count("SASL GSSAPI refused")
    r = krb_call(kdc, srv.port, "alice", [["get_all_databases"]], service="other")
    assert "open_error" in r and "GSS initiate failed" in r["open_error"], r
    deadline = time.monotonic() + 10
    while srv.log_text().count("SASL GSSAPI refused") == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.log_text().count("SASL GSSAPI refused") > before, srv.log_tail()


def test_realm_without_a_rule_is_refused_logged_and_audited(pg, kdc, tmp_path):
    d = tmp_path / "norule"
    d.mkdir()
    s = start_krb_server(pg, kdc, d, rules="RULE:[1:$1@$0](.*@OTHER\\.TEST)s/@.*//", dbname="propolis_krb_norule")
    try:
        r = krb_call(kdc, s.port, "alice", [["get_all_databases"]])
        assert "open_error" in r and "GSS initiate failed" in r["open_error"], r
        lines = wait_audit(s, lambda a: a.get("method") == "sasl:GSSAPI" and a.get("authenticated_as") == "alice@" + REALM)
        assert lines and lines[-1]["result"].startswith("AuthenticationFailed: No rules applied to alice@" + REALM)
        assert [a for a in audit_lines(s) if a.get("method") != "sasl:GSSAPI"] == []
        assert "SASL GSSAPI refused for alice@%s: No rules applied" % REALM in s.log_text()
    finally:
        assert s.stop() == 0, s.log_tail()


def test_garbage_gss_token_gets_bad_and_close(srv):
    import socket
    import struct
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    sock.sendall(struct.pack(">BI", 1, 6) + b"GSSAPI" + struct.pack(">BI", 2, 5) + b"junk!")
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    sock.close()
    assert data[:1] == b"\x03" and b"GSS initiate failed" in data, data


def test_plain_mechanism_is_not_offered_on_a_kerberos_listener(srv):
    import socket
    import struct
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    sock.sendall(struct.pack(">BI", 1, 5) + b"PLAIN")
    data = sock.recv(4096)
    sock.close()
    assert data[:1] == b"\x03" and b"Unsupported mechanism type PLAIN" in data, data


# ---- delegation tokens: got over Kerberos, used with DIGEST-MD5 ----

from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402
import base64  # noqa: E402


class DigestSaslTransport(TTransport.TSaslClientTransport):
    """python3-thrift's SASL transport with the two fixes DIGEST-MD5 needs (facts sheet §6): an empty
    initial response is sent as b'' (not None), and COMPLETE's payload (rspauth) goes to pure-sasl."""

    def open(self):
        if not self.transport.isOpen():
            self.transport.open()
        self.send_sasl_msg(self.START, bytes(self.sasl.mechanism, "ascii"))
        self.send_sasl_msg(self.OK, self.sasl.process() or b"")
        while True:
            status, challenge = self.recv_sasl_msg()
            if status == self.OK:
                self.send_sasl_msg(self.OK, self.sasl.process(challenge) or b"")
            elif status == self.COMPLETE:
                if not self.sasl.complete:
                    self.sasl.process(challenge)
                if not self.sasl.complete:
                    raise TTransport.TTransportException(TTransport.TTransportException.NOT_OPEN,
                                                         "rspauth not verified")
                return
            else:
                raise TTransport.TTransportException(TTransport.TTransportException.NOT_OPEN,
                                                     "Bad SASL negotiation status: %d (%s)" % (status, challenge))


def token_parts(token):
    """(identifier bytes, password bytes) of a Hadoop token string (URL-safe base64, unpadded)."""
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))

    def vint(b, i):
        first = b[i] - 256 if b[i] > 127 else b[i]
        if first >= -112:
            return first, i + 1
        n = -(first + 112) if first >= -120 else -(first + 120)
        v = int.from_bytes(b[i + 1:i + 1 + n], "big")
        return (v ^ -1 if first < -120 else v), i + 1 + n
    n, i = vint(raw, 0)
    ident = raw[i:i + n]
    i += n
    m, i = vint(raw, i)
    return ident, raw[i:i + m]


def digest_call(port, token, calls):
    """Connects with DIGEST-MD5 as Hive's clients do (service "null", host "default") and runs calls."""
    ident, pw = token_parts(token)
    sock = TSocket.TSocket("127.0.0.1", port)
    sock.setTimeout(30000)
    trans = DigestSaslTransport(sock, "default", "null", mechanism="DIGEST-MD5",
                                username=base64.b64encode(ident).decode(), password=base64.b64encode(pw).decode())
    c = harness.Client(trans, TBinaryProtocol.TBinaryProtocol(trans, strictRead=True, strictWrite=True))
    try:
        sock.open()
        local = sock.handle.getsockname()[1]
        trans.open()
    except Exception as ex:  # noqa: BLE001
        sock.close()
        return {"open_error": "%s: %s" % (type(ex).__name__, ex)}
    out = []
    for call in calls:
        try:
            out.append(getattr(c, call[0])(*call[1:]))
        except Exception as ex:  # noqa: BLE001
            out.append({"error": type(ex).__name__, "message": str(getattr(ex, "message", ex))})
    c.close()
    return {"results": out, "local_port": local}


def principal_of(s, local_port, method="get_all_databases"):
    lines = wait_audit(s, lambda a: a.get("client") == "127.0.0.1:%d" % local_port and a.get("method") == method)
    assert lines, s.log_tail()
    return lines[-1]["principal"]


def get_token(kdc, port, user, owner, renewer):
    r = krb_call(kdc, port, user, [["get_delegation_token", owner, renewer]])
    assert "results" in r and isinstance(r["results"][0], str), r
    return r["results"][0]


def test_token_acts_as_owner_renew_cancel(srv, kdc):
    token = get_token(kdc, srv.port, "alice", "alice@" + REALM, "hive/_HOST@" + REALM)
    assert "=" not in token and "+" not in token and "/" not in token
    d = digest_call(srv.port, token, [["get_all_databases"], ["get_delegation_token", "alice", "alice"]])
    assert "results" in d, d
    assert principal_of(srv, d["local_port"]) == "alice"
    assert d["results"][1]["error"] == "MetaException"  # a token does not mint tokens
    assert "only with kerberos" in d["results"][1]["message"]
    login = wait_audit(srv, lambda a: a.get("method") == "sasl:DIGEST-MD5" and a["principal"] == "alice")
    assert login and login[-1]["result"] == "ok"
    # renew: the renewer (hive) only
    bad = krb_call(kdc, srv.port, "alice", [["renew_delegation_token", token]])
    assert bad["results"][0]["error"] == "MetaException" and "non-matching renewer hive" in bad["results"][0]["message"]
    hive_cc = kdc.kinit_keytab("hive/localhost@" + REALM, kdc.service_keytab)
    ok = krb_call(kdc, srv.port, "hive", [["renew_delegation_token", token]], ccache=hive_cc)
    assert isinstance(ok["results"][0], int) and ok["results"][0] > time.time() * 1000, ok
    # cancel: not bob; alice (the owner) may
    no = krb_call(kdc, srv.port, "bob", [["cancel_delegation_token", token]])
    assert no["results"][0]["error"] == "MetaException", no
    assert "results" in digest_call(srv.port, token, [["get_all_databases"]])
    yes = krb_call(kdc, srv.port, "alice", [["cancel_delegation_token", token]])
    assert yes["results"] == [None], yes
    after = digest_call(srv.port, token, [["get_all_databases"]])
    assert "open_error" in after and "DIGEST-MD5: IO error acquiring password" in after["open_error"], after
    assert "token expired or does not exist" in srv.log_text()


def test_forged_token_password_is_refused(srv, kdc):
    token = get_token(kdc, srv.port, "bob", "bob", "bob")
    ident, pw = token_parts(token)
    forged = bytes([pw[0] ^ 1]) + pw[1:]
    sock = TSocket.TSocket("127.0.0.1", srv.port)
    trans = DigestSaslTransport(sock, "default", "null", mechanism="DIGEST-MD5",
                                username=base64.b64encode(ident).decode(), password=base64.b64encode(forged).decode())
    with pytest.raises(Exception) as ex:
        sock.open()
        trans.open()
    sock.close()
    assert "Mismatched response" in str(ex.value) or "IO error" in str(ex.value) or "GSS" not in str(ex.value)


def test_proxy_user_allowed_and_refused(srv, kdc):
    token = get_token(kdc, srv.port, "etl/worker1", "bob", "hive")
    d = digest_call(srv.port, token, [["get_all_databases"]])
    assert "results" in d, d
    assert principal_of(srv, d["local_port"]) == "bob"
    assert wait_audit(srv, lambda a: a.get("method") == "sasl:DIGEST-MD5"
                      and a["authenticated_as"].startswith("etl_service on behalf of bob"))
    no = krb_call(kdc, srv.port, "etl/worker1", [["get_delegation_token", "alice", "hive"]])
    assert no["results"][0]["error"] == "MetaException"
    assert "User: etl_service is not allowed to impersonate alice" in no["results"][0]["message"]
    no2 = krb_call(kdc, srv.port, "alice", [["get_delegation_token", "bob", "hive"]])
    assert no2["results"][0]["error"] == "MetaException"


def test_token_store_methods_are_for_administrators(srv, kdc):
    token = get_token(kdc, srv.port, "alice", "alice", "alice")
    ident, _ = token_parts(token)
    ident_text = base64.urlsafe_b64encode(ident).decode().rstrip("=")
    adm = krb_call(kdc, srv.port, "admin", [["get_all_token_identifiers"], ["get_token", ident_text],
                                           ["get_master_keys"], ["get_token", "nope"]])
    assert ident_text in adm["results"][0], adm
    assert adm["results"][1] != "" and adm["results"][3] == ""
    assert adm["results"][2] and all(isinstance(k, str) for k in adm["results"][2])
    no = krb_call(kdc, srv.port, "alice", [["get_all_token_identifiers"], ["get_master_keys"],
                                           ["add_master_key", "x"]])
    # Hive declares no exception for these two: a non-administrator gets the empty answer (audited)
    assert no["results"][0] == [] and no["results"][1] == [], no
    assert no["results"][2]["error"] == "MetaException"
    assert wait_audit(srv, lambda a: a.get("method") == "get_all_token_identifiers" and a.get("principal") == "alice"
                      and a.get("result") == "AccessDenied")
    # keys are sealed at rest: no stored row is Hive's plaintext key string
    import harness as h
    rows = h.psql(srv.db_url, "SELECT master_key FROM master_keys")
    assert rows and not any(k in rows for k in adm["results"][2])


def test_token_works_on_a_second_server_and_after_restart_and_expires(pg, srv, kdc, tmp_path):
    token = get_token(kdc, srv.port, "alice", "alice", "alice")
    d = tmp_path / "second"
    d.mkdir()
    s2 = start_krb_server(pg, kdc, d, url=srv.db_url, master_key=srv.master_key,
                          extra="delegation_token_renew_interval_s = 2\n")
    try:
        r = digest_call(s2.port, token, [["get_all_databases"]])
        assert "results" in r, r
        assert principal_of(s2, r["local_port"]) == "alice"
        short = get_token(kdc, s2.port, "alice", "alice", "alice")  # renew date 2 s ahead
        assert "results" in digest_call(s2.port, short, [["get_all_databases"]])
    finally:
        assert s2.stop() == 0, s2.log_tail()
    start_in_realm(s2, kdc)  # restarted: tokens live in PostgreSQL
    try:
        r = digest_call(s2.port, token, [["get_all_databases"]])
        assert "results" in r, r
        time.sleep(2.5)
        gone = digest_call(s2.port, short, [["get_all_databases"]])
        assert "open_error" in gone, gone
        assert "is expired" in s2.log_text()
        renewed = krb_call(kdc, s2.port, "alice", [["renew_delegation_token", short]])
        assert isinstance(renewed["results"][0], int), renewed
        assert "results" in digest_call(s2.port, short, [["get_all_databases"]])
    finally:
        assert s2.stop() == 0, s2.log_tail()


def test_cli_lists_and_cancels_tokens(srv, kdc, tmp_path):
    cli_bin = os.environ.get("PROPOLIS_CLI") or os.path.join(os.path.dirname(harness.PROPOLIS_BIN), "propolis")
    creds = tmp_path / "admin.credentials"
    creds.write_text("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (srv.key_id, srv.secret))
    token = get_token(kdc, srv.port, "bob", "bob", "hive")
    ident, _ = token_parts(token)
    ident_text = base64.urlsafe_b64encode(ident).decode().rstrip("=")

    def cli(*args):
        out = subprocess.run([cli_bin, "--endpoint", srv.endpoint, "--credentials", str(creds)] + list(args),
                             capture_output=True, text=True, timeout=60)
        return out.returncode, out.stdout, out.stderr
    rc, out, err = cli("tokens", "list")
    assert rc == 0, err
    listed = [t for t in json.loads(out)["Tokens"] if t["TokenIdentifier"] == ident_text]
    assert listed and listed[0]["Owner"] == "bob" and listed[0]["Renewer"] == "hive"
    assert "results" in digest_call(srv.port, token, [["get_all_databases"]])
    rc, out, err = cli("tokens", "cancel", ident_text)
    assert rc == 0, err
    assert "open_error" in digest_call(srv.port, token, [["get_all_databases"]])
    rc, out, err = cli("tokens", "cancel", ident_text)
    assert rc != 0 and "not found" in (out + err)


def test_keytab_without_the_service_principal_stops_startup(pg, kdc, tmp_path):
    out = subprocess.run([harness.PROPOLIS_BIN, "--database", pg.create_database("propolis_krb_badkt"), "--thrift-auth", "kerberos",
                          "--kerberos-keytab", kdc.service_keytab, "--kerberos-principal", "nothere/_HOST@" + REALM,
                          "--listen", "localhost:%d" % harness.free_port(), "--http-listen",
                          "127.0.0.1:%d" % harness.free_port(), "--master-key-file", str(tmp_path / "mk"),
                          "--admin-credentials", str(tmp_path / "ac")],
                         capture_output=True, text=True, timeout=60, env=kdc.env())
    assert out.returncode != 0
    assert "no acceptor credential for nothere/localhost@%s" % REALM in out.stdout + out.stderr


def test_proxy_user_from_a_host_not_listed_is_refused(pg, kdc, tmp_path):
    d = tmp_path / "hosts"
    d.mkdir()
    s = start_krb_server(pg, kdc, d, dbname="propolis_krb_hosts", proxy_hosts="10.9.9.9")
    try:
        no = krb_call(kdc, s.port, "etl/worker1", [["get_delegation_token", "bob", "hive"]])
        assert no["results"][0]["error"] == "MetaException", no
        assert "Unauthorized connection for super-user: etl_service from IP 127.0.0.1" in no["results"][0]["message"]
        own = krb_call(kdc, s.port, "etl/worker1", [["get_delegation_token", "etl_service", "hive"]])
        assert isinstance(own["results"][0], str), own  # its own tokens need no proxy rights
    finally:
        assert s.stop() == 0, s.log_tail()


def test_proxy_user_by_group_allowed_for_members_only(pg, kdc, tmp_path):
    """hadoop.proxyuser.<svc>.groups: a service listed by group only may get tokens for principals in
    those Propolis groups (read live from the store), not for others; .users is not needed."""
    from test_permissions import propolis_call
    kdc.add_principal("sparksvc", password="pw-sparksvc")
    kdc.ccaches["sparksvc"] = kdc.kinit("sparksvc", "pw-sparksvc", str(tmp_path / "cc-sparksvc"))
    d = tmp_path / "groups"
    d.mkdir()
    s = start_krb_server(pg, kdc, d, dbname="propolis_krb_groups",
                         extra="hadoop.proxyuser.sparksvc.groups = etl, analysts\n"
                               "hadoop.proxyuser.sparksvc.hosts = 127.0.0.1\n")
    try:
        harness.wait_port(int(s.endpoint.rsplit(":", 1)[1]))
        assert "not enforced" not in s.log_text()
        for name, groups in (("carol", ["analysts"]), ("dave", ["finance"]),
                             ("erin", ["arn:aws:iam::%s:group/etl" % ACCOUNT])):
            st, out = propolis_call(s, s.key_id, s.secret, "CreatePrincipal", {"Name": name, "Groups": groups})
            assert st == 200, out
        r = krb_call(kdc, s.port, "sparksvc", [["get_delegation_token", "carol", "hive"],
                                               ["get_delegation_token", "erin", "hive"],
                                               ["get_delegation_token", "dave", "hive"],
                                               ["get_delegation_token", "nobody", "hive"],
                                               ["get_delegation_token", "sparksvc", "hive"]])
        carol, erin, dave, nobody, own = r["results"]
        assert isinstance(carol, str) and isinstance(erin, str), r
        c = digest_call(s.port, carol, [["get_all_databases"]])
        assert "results" in c, c
        assert principal_of(s, c["local_port"]) == "carol"
        assert wait_audit(s, lambda a: a.get("method") == "sasl:DIGEST-MD5"
                          and a["authenticated_as"].startswith("sparksvc on behalf of carol"))
        for refused, who in ((dave, "dave"), (nobody, "nobody")):
            assert isinstance(refused, dict) and refused["error"] == "MetaException", r
            assert "User: sparksvc is not allowed to impersonate %s" % who in refused["message"]
        assert isinstance(own, str), r  # its own tokens need no proxy rights
        # membership is read when the token is asked for: dave joins analysts, then may be impersonated
        st, out = propolis_call(s, s.key_id, s.secret, "UpdatePrincipalGroups", {"Name": "dave", "Groups": ["analysts"]})
        assert st == 200, out
        again = krb_call(kdc, s.port, "sparksvc", [["get_delegation_token", "dave", "hive"]])
        assert isinstance(again["results"][0], str), again
        # groups do not reach a service with no groups entry: etl_service (.users = bob only) and carol
        no = krb_call(kdc, s.port, "etl/worker1", [["get_delegation_token", "carol", "hive"]])
        assert no["results"][0]["error"] == "MetaException", no
    finally:
        assert s.stop() == 0, s.log_tail()
