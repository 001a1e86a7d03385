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
    for user in ("alice", "bob", "etl/worker1"):
        k.add_principal(user, password="pw-" + user.replace("/", "-"))
    k.service_keytab = k.keytab("hive/localhost@" + REALM, os.path.join(str(d), "hive.keytab"))
    k.ccaches = {}
    for user in ("alice", "bob", "etl/worker1"):
        cc = os.path.join(str(d), "cc-" + user.replace("/", "-"))
        k.ccaches[user] = k.kinit(user, "pw-" + user.replace("/", "-"), cc)
    try:
        yield k
    finally:
        k.stop()


def start_krb_server(pg, kdc, d, rules=RULES, dbname="propolis_krb", url=None):
    creds = d / "admin.credentials"
    http_port = harness.free_port()
    config = "[server]\nkerberos_principal_rules = %s\n" % rules
    (d / "krb.ini").write_text(config)
    s = harness.Server(["--config", str(d / "krb.ini"), "--database", url or pg.create_database(dbname),
                        "--warehouse", "file://" + str(d / "wh"), "--http-listen", "127.0.0.1:%d" % http_port,
                        "--master-key-file", str(d / "master.key"), "--admin-credentials", str(creds),
                        "--thrift-auth", "kerberos", "--kerberos-keytab", kdc.service_keytab,
                        "--kerberos-principal", "hive/_HOST@" + REALM],
                       logdir=str(d))
    s.args[s.args.index("--listen") + 1] = "localhost:%d" % s.port
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
    return [a for a in audit_lines(s) if a.get("client") == client and (method is None or a["method"] == method)]


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
                       and a["method"] == "get_all_databases")
    assert lines and lines[-1]["principal"] == "alice", srv.log_tail()
    login = wait_audit(srv, lambda a: a["method"] == "sasl:GSSAPI" and a.get("authenticated_as") == "alice@" + REALM)
    assert login and login[-1]["principal"] == "alice" and login[-1]["result"] == "ok"


def test_service_ticket_maps_through_the_rules(srv, kdc):
    r = krb_call(kdc, srv.port, "etl/worker1", [["get_all_databases"]])
    assert "results" in r, r
    lines = wait_audit(srv, lambda a: a.get("client") == "127.0.0.1:%d" % r["local_port"]
                       and a["method"] == "get_all_databases")
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
    assert not [a for a in audit_lines(srv) if a["method"] not in ("sasl:GSSAPI",) and
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
        lines = wait_audit(s, lambda a: a["method"] == "sasl:GSSAPI" and a.get("authenticated_as") == "alice@" + REALM)
        assert lines and lines[-1]["result"].startswith("AuthenticationFailed: No rules applied to alice@" + REALM)
        assert [a for a in audit_lines(s) if a["method"] != "sasl:GSSAPI"] == []
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
