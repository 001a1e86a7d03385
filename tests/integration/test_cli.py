# tests/integration/test_cli.py — the `propolis` admin CLI (server/cli) run as a real process
# against a real server with its HTTP door, and Propolis' own operations behind it
# (server/admin: X-Amz-Target Propolis.<Op>): principals and key rotation (checked with boto3
# Glue calls signed by the keys), admin-only access, typed errors that change nothing, Hive
# locks taken through the Thrift client listed and released, the audit table, --help on every
# command, --output table, a raw botocore SigV4 client reaching the same operations, and the
# grant/revoke/permissions/admins commands against the Lake Formation API on the same listener.

import configparser
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.config  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

import harness  # noqa: E402
from harness import T  # noqa: E402

CLI = os.environ.get("PROPOLIS_CLI") or os.path.join(os.path.dirname(harness.PROPOLIS_BIN), "propolis")
ACCOUNT = "000000000000"

COMMANDS = [["principal", "create"], ["principal", "list"], ["principal", "delete"], ["principal", "rotate-key"],
            ["principal", "set-groups"], ["grant"], ["revoke"], ["permissions", "list"], ["admins", "list"],
            ["admins", "add"], ["admins", "remove"], ["audit"], ["locks", "list"], ["locks", "release"]]




@pytest.fixture(scope="module")
def srv(pg, tmp_path_factory):
    """A server with the HTTP door; the bootstrap administrator's credentials file beside it."""
    d = tmp_path_factory.mktemp("cli")
    http_port = harness.free_port()
    s = harness.Server(["--database", pg.create_database("propolis_cli"), "--warehouse", "file://" + str(d / "wh"),
                        "--http-listen", "127.0.0.1:%d" % http_port, "--master-key-file", str(d / "master.key"),
                        "--admin-credentials", str(d / "admin.credentials")], logdir=str(d))
    s.start()
    harness.wait_port(http_port)
    s.endpoint = "http://127.0.0.1:%d" % http_port
    s.creds = str(d / "admin.credentials")
    s.dir = d
    try:
        yield s
    finally:
        rc = s.stop()
        assert rc == 0, s.log_tail()


def cli(srv, *args, creds=None, env=None):
    """Runs the CLI; returns (exit code, stdout, stderr)."""
    cmd = [CLI, "--endpoint", srv.endpoint, "--credentials", creds or srv.creds] + list(args)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    return out.returncode, out.stdout, out.stderr


def ok(srv, *args, creds=None):
    """Runs the CLI expecting success; returns its stdout parsed as JSON (or the text for tables)."""
    rc, out, err = cli(srv, *args, creds=creds)
    assert rc == 0 and err == "", (args, rc, out, err)
    return out if "table" in args else json.loads(out)


def fails(srv, *args, creds=None, typ=None):
    """Runs the CLI expecting exit 1 with one line on stderr (starting with the AWS type when given)."""
    rc, out, err = cli(srv, *args, creds=creds)
    assert rc == 1 and out == "", (args, rc, out, err)
    assert err.endswith("\n") and err.count("\n") == 1, err
    if typ:
        assert err.startswith("propolis: %s: " % typ), err
    return err


def principals(srv):
    return {p["Name"] + "/" + p["Kind"]: p for p in ok(srv, "principal", "list")["Principals"]}


def write_creds(srv, key):
    path = srv.dir / ("creds-%s" % uuid.uuid4().hex[:8])
    path.write_text("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                    % (key["AccessKeyId"], key["SecretAccessKey"]))
    return str(path)


def glue_client(srv, key_id, secret):
    return boto3.client("glue", endpoint_url=srv.endpoint, region_name="us-east-1", aws_access_key_id=key_id,
                        aws_secret_access_key=secret, config=botocore.config.Config(retries={"max_attempts": 1}))


def raw_call(srv, target, body, key_id, secret, service="propolis"):
    """A Propolis.* call signed by botocore's SigV4Auth on a raw request, sent with urllib."""
    data = json.dumps(body).encode()
    req = AWSRequest(method="POST", url=srv.endpoint + "/", data=data,
                     headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(Credentials(key_id, secret), service, "us-east-1").add_auth(req)
    r = urllib.request.Request(req.url, data=data, headers=dict(req.headers.items()), method="POST")
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def admin_key(srv):
    cp = configparser.ConfigParser()
    cp.read(srv.creds)
    return cp["default"]["aws_access_key_id"], cp["default"]["aws_secret_access_key"]


# ---- help and usage ----

def test_help_for_every_command(srv):
    rc, out, err = cli(srv, "--help")
    assert rc == 0 and "Usage: propolis" in out and err == ""
    for words in COMMANDS:
        assert " ".join(words) in out
        rc, out1, err1 = cli(srv, *words, "--help")
        assert rc == 0 and err1 == "", (words, err1)
        assert out1.startswith("Usage:\n  propolis %s" % " ".join(words)), out1
    for group in ("principal", "permissions", "admins", "locks"):
        rc, out2, _ = cli(srv, group, "--help")
        assert rc == 0 and group in out2
    assert "--excluded-columns" in cli(srv, "grant", "--help")[1]
    assert "--older-than" in cli(srv, "locks", "list", "--help")[1]


def test_usage_errors_are_one_line(srv):
    fails(srv)
    assert "unknown command" in fails(srv, "frobnicate")
    assert "missing subcommand" in fails(srv, "principal")
    assert "unknown subcommand" in fails(srv, "locks", "smash")
    assert "Unknown option" in fails(srv, "principal", "list", "--bogus")
    assert "expected NAME" in fails(srv, "principal", "create")
    assert "positive integer" in fails(srv, "locks", "release", "x1")
    assert "not a duration" in fails(srv, "locks", "list", "--older-than", "soon")
    assert "not a time" in fails(srv, "audit", "--since", "yesterday-ish")
    assert "--output must be json or table" in fails(srv, "--output", "xml", "principal", "list")
    assert "cannot read credentials" in fails(srv, "principal", "list", creds=str(srv.dir / "nope"))
    out = subprocess.run([CLI, "--endpoint", "http://127.0.0.1:%d" % harness.free_port(), "--credentials",
                          srv.creds, "principal", "list"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and out.stderr.startswith("propolis: cannot reach ") and out.stderr.count("\n") == 1


# ---- principals ----

def test_principal_lifecycle_and_key_rotation(srv):
    name = harness.uniq("bob")
    created = ok(srv, "principal", "create", name, "--group", "eng", "--group", "arn:aws:iam::%s:group/ops" % ACCOUNT)
    assert set(created) == {"Arn", "AccessKeyId", "SecretAccessKey"}
    assert created["Arn"] == "arn:aws:iam::%s:user/%s" % (ACCOUNT, name)
    assert created["AccessKeyId"].startswith("AKIA") and len(created["AccessKeyId"]) == 20
    assert len(created["SecretAccessKey"]) == 40
    p = principals(srv)[name + "/USER"]
    assert p["Arn"] == created["Arn"] and p["Groups"] == ["eng", "ops"] and p["IsAdmin"] is False
    assert p["AccessKeyIds"] == [created["AccessKeyId"]] and p["CreationTime"] > 1600000000
    assert created["SecretAccessKey"] not in srv.log_text()

    old = glue_client(srv, created["AccessKeyId"], created["SecretAccessKey"])
    old.get_databases()  # the new key signs Glue calls

    rotated = ok(srv, "principal", "rotate-key", name)
    assert rotated["Arn"] == created["Arn"] and rotated["AccessKeyId"] != created["AccessKeyId"]
    with pytest.raises(ClientError) as e:
        old.get_databases()
    assert e.value.response["Error"]["Code"] == "UnrecognizedClientException"
    glue_client(srv, rotated["AccessKeyId"], rotated["SecretAccessKey"]).get_databases()
    assert principals(srv)[name + "/USER"]["AccessKeyIds"] == [rotated["AccessKeyId"]]

    assert ok(srv, "principal", "set-groups", name, "--group", "data", "--group", "data")["Groups"] == ["data"]
    assert principals(srv)[name + "/USER"]["Groups"] == ["data"]

    assert ok(srv, "principal", "delete", created["Arn"]) == {}
    assert name + "/USER" not in principals(srv)
    with pytest.raises(ClientError) as e:
        glue_client(srv, rotated["AccessKeyId"], rotated["SecretAccessKey"]).get_databases()
    assert e.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_role_with_the_same_name_as_a_user(srv):
    name = harness.uniq("etl")
    user = ok(srv, "principal", "create", name)
    role = ok(srv, "principal", "create", name, "--role", "--group", "jobs")
    assert role["Arn"] == "arn:aws:iam::%s:role/%s" % (ACCOUNT, name)
    listed = principals(srv)
    assert listed[name + "/ROLE"]["Groups"] == ["jobs"] and listed[name + "/USER"]["Arn"] == user["Arn"]
    ok(srv, "principal", "delete", name)  # a bare name is the user first
    listed = principals(srv)
    assert name + "/USER" not in listed and name + "/ROLE" in listed
    ok(srv, "principal", "delete", role["Arn"])


def test_bad_input_is_typed_and_changes_nothing(srv):
    name = harness.uniq("dup")
    ok(srv, "principal", "create", name)
    before = principals(srv)
    fails(srv, "principal", "create", name, typ="AlreadyExistsException")
    fails(srv, "principal", "create", name.upper(), typ="AlreadyExistsException")  # IAM names ignore case
    for bad in ("has/slash", "x" * 65, "sp ace", "ünï"):
        fails(srv, "principal", "create", bad, typ="InvalidInputException")
    fails(srv, "principal", "create", harness.uniq("g"), "--group", "bad group", typ="InvalidInputException")
    fails(srv, "principal", "delete", "nobody_" + uuid.uuid4().hex[:6], typ="EntityNotFoundException")
    fails(srv, "principal", "rotate-key", "arn:aws:iam::%s:user/ghost" % ACCOUNT, typ="EntityNotFoundException")
    fails(srv, "principal", "set-groups", "ghost_" + uuid.uuid4().hex[:6], typ="EntityNotFoundException")
    err = fails(srv, "principal", "delete", "admin", typ="InvalidInputException")
    assert "last data lake administrator" in err
    fails(srv, "locks", "release", "987654321", typ="EntityNotFoundException")
    assert principals(srv) == before
    ok(srv, "principal", "delete", name)


def test_non_admin_is_denied_everything(srv):
    name = harness.uniq("eve")
    key = ok(srv, "principal", "create", name)
    creds = write_creds(srv, key)
    before = principals(srv)
    for args in (["principal", "list"], ["principal", "create", harness.uniq("x")], ["principal", "delete", "admin"],
                 ["principal", "rotate-key", "admin"], ["principal", "set-groups", name, "--group", "root"],
                 ["locks", "list"], ["locks", "release", "1"], ["audit"]):
        err = fails(srv, *args, creds=creds, typ="AccessDeniedException")
        assert "only data lake administrators" in err
    assert principals(srv) == before
    assert any('"operation":"RotateAccessKey"' in line and '"result":"AccessDeniedException"' in line
               for line in srv.log_text().splitlines())
    ok(srv, "principal", "delete", name)


def test_raw_sigv4_client_reaches_the_admin_operations(srv):
    key_id, secret = admin_key(srv)
    for service in ("propolis", "glue"):  # any signing name
        code, body = raw_call(srv, "Propolis.ListPrincipals", {}, key_id, secret, service=service)
        assert code == 200 and any(p["Name"] == "admin" and p["IsAdmin"] for p in body["Principals"])
    code, body = raw_call(srv, "Propolis.CreatePrincipal", {"Name": harness.uniq("raw"), "Kind": "GROUP"},
                          key_id, secret)
    assert (code, body["__type"]) == (400, "InvalidInputException")
    code, body = raw_call(srv, "Propolis.DeletePrincipal", {"Name": "a", "Arn": "b"}, key_id, secret)
    assert (code, body["__type"]) == (400, "InvalidInputException")
    code, body = raw_call(srv, "Propolis.NoSuchOperation", {}, key_id, secret)
    assert (code, body["__type"]) == (400, "UnknownOperationException")
    code, body = raw_call(srv, "Propolis.ListPrincipals", {}, key_id, "x" * 40)
    assert (code, body["__type"]) == (403, "InvalidSignatureException")


# ---- locks ----

def hive_lock(c, db, table, agent):
    comp = T.LockComponent(type=T.LockType.EXCLUSIVE, level=T.LockLevel.TABLE, dbname=db, tablename=table,
                           operationType=T.DataOperationType.NO_TXN)
    return c.lock(T.LockRequest(component=[comp], user="spark", hostname="node-7", agentInfo=agent))


def test_locks_list_and_release(srv):
    db = harness.uniq("db")
    with harness.connect(srv.port) as a, harness.connect(srv.port) as b:
        a.create_database(T.Database(name=db, parameters={}))
        held = hive_lock(a, db, "ice", "Iceberg-dead-writer")
        waiting = hive_lock(b, db, "ice", "Iceberg-next-writer")
        other = hive_lock(b, db, "other", "Iceberg-other")
        assert (held.state, waiting.state, other.state) == (T.LockState.ACQUIRED, T.LockState.WAITING,
                                                             T.LockState.ACQUIRED)
        locks = ok(srv, "locks", "list", "--table", db + ".ice")["Locks"]
        assert [(l["LockId"], l["State"]) for l in locks] == [(held.lockid, "ACQUIRED"), (waiting.lockid, "WAITING")]
        first = locks[0]
        assert (first["Database"], first["Table"], first["Type"], first["User"], first["Host"], first["AgentInfo"],
                first["TxnId"]) == (db, "ice", "EXCLUSIVE", "spark", "node-7", "Iceberg-dead-writer", 0)
        assert first["AgeSeconds"] >= 0 and abs(first["LastHeartbeat"] - time.time()) < 300
        assert first["AcquiredAt"] <= first["LastHeartbeat"] + 1 and "AcquiredAt" not in locks[1]
        everything = {l["LockId"] for l in ok(srv, "locks", "list")["Locks"]}
        assert {held.lockid, waiting.lockid, other.lockid} <= everything
        assert ok(srv, "locks", "list", "--table", db + ".ice", "--older-than", "1h")["Locks"] == []
        table = ok(srv, "--output", "table", "locks", "list", "--table", db + ".ice")
        assert table.splitlines()[0].split()[:3] == ["LOCK", "DATABASE", "TABLE"]
        assert "Iceberg-dead-writer" in table and len(table.splitlines()) == 3

        assert ok(srv, "locks", "release", str(held.lockid)) == {}
        remaining = ok(srv, "locks", "list", "--table", db + ".ice")["Locks"]
        assert [l["LockId"] for l in remaining] == [waiting.lockid]
        assert b.check_lock(T.CheckLockRequest(lockid=waiting.lockid)).state == T.LockState.ACQUIRED
        with pytest.raises(T.NoSuchLockException):
            a.check_lock(T.CheckLockRequest(lockid=held.lockid))
        fails(srv, "locks", "release", str(held.lockid), typ="EntityNotFoundException")
        for l in (waiting, other):
            b.unlock(T.UnlockRequest(lockid=l.lockid))
        a.drop_database(db, True, True)
    audit = [line for line in srv.log_text().splitlines() if '"operation":"ReleaseLock"' in line]
    assert any('"object":"lock %d","result":"ok"' % held.lockid in line for line in audit), audit
    assert any('"result":"EntityNotFoundException"' in line for line in audit)


# ---- audit ----

def test_audit_lists_decisions(srv):
    name = harness.uniq("aud")
    start = int(time.time()) - 2
    key = ok(srv, "principal", "create", name)
    fails(srv, "principal", "list", creds=write_creds(srv, key), typ="AccessDeniedException")
    deadline = time.monotonic() + 20
    while True:  # the audit table is written in the background, in batches
        events = ok(srv, "audit", "--since", str(start))["Events"]
        denied = [e for e in events if e["Principal"] == key["Arn"] and not e["Allowed"]]
        if denied or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert denied and denied[0]["Door"] == "propolis" and denied[0]["Operation"] == "ListPrincipals"
    assert set(denied[0]) == {"Time", "Principal", "Door", "Operation", "Resource", "Permission", "Allowed",
                              "Reason"}
    created = [e for e in events if e["Operation"] == "CreatePrincipal" and e["Resource"].endswith("/" + name)]
    assert created and created[0]["Allowed"] and created[0]["Principal"].endswith(":user/admin")
    assert all(e["Time"] >= start for e in events)
    mine = ok(srv, "audit", "--since", "10m", "--principal", name)["Events"]  # a name matches the ARN's end
    assert mine and {e["Principal"] for e in mine} == {key["Arn"]}
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start))
    assert len(ok(srv, "audit", "--since", iso, "--principal", key["Arn"])["Events"]) == len(mine)
    assert ok(srv, "audit", "--since", str(int(time.time()) + 3600))["Events"] == []
    table = ok(srv, "--output", "table", "audit", "--since", "10m", "--principal", name)
    assert table.splitlines()[0].split()[:3] == ["TIME", "PRINCIPAL", "DOOR"] and " no " in table
    ok(srv, "principal", "delete", name)


def test_audit_pages_with_tokens(srv):
    key_id, secret = admin_key(srv)
    for _ in range(3):
        ok(srv, "principal", "list")
    time.sleep(1.5)
    seen, token, pages = [], None, 0
    while True:
        body = {"Since": 0, "MaxResults": 2}
        if token:
            body["NextToken"] = token
        code, page = raw_call(srv, "Propolis.ListAuditEvents", body, key_id, secret)
        assert code == 200, page
        seen += page["Events"]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert pages >= 2 and len(seen) >= 3
    assert seen == sorted(seen, key=lambda e: e["Time"])
    code, page = raw_call(srv, "Propolis.ListAuditEvents", {"Since": 5, "NextToken": "bogus.token"}, key_id, secret)
    assert (code, page["__type"]) == (400, "InvalidInputException")


# ---- output ----

def test_table_output_is_aligned(srv):
    name = harness.uniq("tbl")
    key = ok(srv, "--output", "table", "principal", "create", name, "--role")
    assert key.splitlines()[0].split("  ")[0] == "ARN" and ":role/" + name in key
    text = ok(srv, "principal", "list", "--output", "table")
    lines = text.splitlines()
    header = lines[0]
    assert header.split() == ["NAME", "KIND", "ADMIN", "GROUPS", "ACCESS", "KEYS", "CREATED", "ARN"]
    kind_at = header.index("KIND")
    arn_at = header.index("ARN")
    rows = {line.split()[0]: line for line in lines[1:]}
    assert rows["admin"][kind_at:].startswith("USER") and rows[name][kind_at:].startswith("ROLE")
    assert rows["admin"][arn_at:] == "arn:aws:iam::%s:user/admin" % ACCOUNT
    assert " yes " in rows["admin"] and " no " in rows[name]
    ok(srv, "principal", "delete", "arn:aws:iam::%s:role/%s" % (ACCOUNT, name))


# ---- Lake Formation commands (server/lakeformation behind them) ----

def perms_on(entries, table):
    """Permission names the entries hold on table (Table or TableWithColumns naming it)."""
    out = set()
    for p in entries:
        r = p["Resource"].get("Table") or p["Resource"].get("TableWithColumns") or {}
        if r.get("Name") == table:
            out |= set(p["Permissions"])
    return out


def test_grant_revoke_permissions_and_admins(srv):
    db = harness.uniq("lfdb")
    name = harness.uniq("analyst")
    bucket = "propolis-" + uuid.uuid4().hex[:8]
    key = ok(srv, "principal", "create", name)
    arn = key["Arn"]
    admin_id, admin_secret = admin_key(srv)
    lf = boto3.client("lakeformation", endpoint_url=srv.endpoint, region_name="us-east-1",
                      aws_access_key_id=admin_id, aws_secret_access_key=admin_secret)
    lf.register_resource(ResourceArn="arn:aws:s3:::%s/data" % bucket, UseServiceLinkedRole=True)
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name=db, parameters={}))
        for t in ("t", "c", "e"):
            c.create_table(harness.make_table(db, t))
    try:
        ok(srv, "grant", "--principal", name, "--permissions", "select,describe", "--table", db + ".t")
        ok(srv, "grant", "--principal", arn, "--permissions", "SELECT", "--table", db + ".c", "--columns", "id",
           "--grantable")
        ok(srv, "grant", "--principal", name, "--permissions", "SELECT", "--table", db + ".e", "--excluded-columns",
           "name")
        ok(srv, "grant", "--principal", name, "--permissions", "DESCRIBE", "--database", db)
        ok(srv, "grant", "--principal", name, "--permissions", "SELECT", "--all-tables", db)
        ok(srv, "grant", "--principal", name, "--permissions", "DATA_LOCATION_ACCESS", "--location",
           "s3://%s/data" % bucket)
        mine = ok(srv, "permissions", "list", "--principal", name)["PrincipalResourcePermissions"]
        assert mine and all(p["Principal"]["DataLakePrincipalIdentifier"] == arn for p in mine)
        assert {"SELECT", "DESCRIBE"} <= perms_on(mine, "t")
        cols = [p for p in mine if p["Resource"].get("TableWithColumns", {}).get("Name") == "c"]
        assert cols and cols[0]["Resource"]["TableWithColumns"]["ColumnNames"] == ["id"]
        assert cols[0]["PermissionsWithGrantOption"] == ["SELECT"]
        excl = [p for p in mine if p["Resource"].get("TableWithColumns", {}).get("Name") == "e"]
        assert excl and excl[0]["Resource"]["TableWithColumns"]["ColumnWildcard"] == {"ExcludedColumnNames": ["name"]}
        assert any(p["Resource"].get("Database", {}).get("Name") == db for p in mine)
        assert any(p["Resource"].get("DataLocation", {}).get("ResourceArn") == "arn:aws:s3:::%s/data" % bucket
                   for p in mine)
        on_table = ok(srv, "permissions", "list", "--table", db + ".t")["PrincipalResourcePermissions"]
        assert any(p["Principal"]["DataLakePrincipalIdentifier"] == arn for p in on_table)
        text = ok(srv, "--output", "table", "permissions", "list", "--principal", arn)
        assert text.splitlines()[0].split() == ["PRINCIPAL", "RESOURCE", "PERMISSIONS", "GRANTABLE"]
        assert "table %s.c, columns id" % db in text and "table %s.e, columns but name" % db in text
        assert "database %s" % db in text and "all tables %s.*" % db in text

        ok(srv, "revoke", "--principal", name, "--permissions", "SELECT,DESCRIBE", "--table", db + ".t")
        left = ok(srv, "permissions", "list", "--principal", name)["PrincipalResourcePermissions"]
        assert perms_on(left, "t") == set() and perms_on(left, "c") == {"SELECT"}

        fails(srv, "grant", "--principal", name, "--permissions", "FLY", "--database", db, typ="InvalidInputException")
        fails(srv, "grant", "--principal", name, "--permissions", "SELECT", "--table", db + ".missing",
              typ="EntityNotFoundException")
        assert "exactly one resource" in fails(srv, "grant", "--principal", name, "--permissions", "SELECT")
        assert "not both" in fails(srv, "grant", "--principal", name, "--permissions", "SELECT", "--table",
                                   db + ".t", "--columns", "a", "--excluded-columns", "b")
        assert "no user or role" in fails(srv, "grant", "--principal", "ghost_x1", "--permissions", "SELECT",
                                          "--catalog")
        assert ok(srv, "permissions", "list", "--principal", name)["PrincipalResourcePermissions"] == left

        admins = ok(srv, "admins", "list")["DataLakeAdmins"]
        assert {"DataLakePrincipalIdentifier": "arn:aws:iam::%s:user/admin" % ACCOUNT} in admins
        creds = write_creds(srv, key)
        fails(srv, "principal", "list", creds=creds, typ="AccessDeniedException")
        added = ok(srv, "admins", "add", name)["DataLakeAdmins"]
        assert {"DataLakePrincipalIdentifier": arn} in added and len(added) == len(admins) + 1
        assert any(p["Name"] == name and p["IsAdmin"] for p in ok(srv, "principal", "list", creds=creds)["Principals"])
        table = ok(srv, "--output", "table", "admins", "list")
        assert table.splitlines()[0] == "ADMINISTRATOR" and arn in table
        ok(srv, "admins", "remove", arn)
        assert {"DataLakePrincipalIdentifier": arn} not in ok(srv, "admins", "list")["DataLakeAdmins"]
        fails(srv, "principal", "list", creds=creds, typ="AccessDeniedException")
        assert "not a data lake administrator" in fails(srv, "admins", "remove", name)

        # a deleted principal's grants go with it: a new principal of the same name starts with none
        ok(srv, "principal", "delete", name)
        ok(srv, "principal", "create", name)
        assert ok(srv, "permissions", "list", "--principal", name)["PrincipalResourcePermissions"] == []
    finally:
        with harness.connect(srv.port) as c:
            c.drop_database(db, True, True)
        cli(srv, "principal", "delete", name)
