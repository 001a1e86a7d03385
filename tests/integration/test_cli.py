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
import re
import shutil
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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def command_table():
    """The commands of server/cli/commands.c's table, read from its source: [(words, summary)]."""
    src = open(os.path.join(ROOT, "server", "cli", "commands.c")).read()
    rows = re.findall(r'\{"([a-z-]+)", (?:"([a-z -]+)"|NULL), cli_[a-z_]+, "([^"]*)"\}', src)
    return [(g + (" " + n if n else ""), summary) for g, n, summary in rows]


COMMANDS = [words.split() for words, _ in command_table()]




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


def fails(srv, *args, creds=None, typ=None, status=1, env=None):
    """Runs the CLI expecting exit 1 (usage errors: 2) with one line on stderr (starting with the AWS type
    when given) and nothing on stdout."""
    rc, out, err = cli(srv, *args, creds=creds, env=env)
    assert rc == status and out == "", (args, rc, out, err)
    assert err.endswith("\n") and err.count("\n") == 1, err
    if typ:
        assert err.startswith("propolis: %s: " % typ), err
    return err


def usage(srv, *args, creds=None):
    """A usage error: exit 2, one line on stderr."""
    return fails(srv, *args, creds=creds, status=2)


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
    usage(srv)
    assert "unknown command" in usage(srv, "frobnicate")
    assert "missing subcommand" in usage(srv, "principal")
    assert "unknown subcommand" in usage(srv, "locks", "smash")
    assert "principal keys: missing or unknown subcommand" in usage(srv, "principal", "keys")
    assert "principal keys: missing or unknown subcommand" in usage(srv, "principal", "keys", "rotate")
    assert "Unknown option" in usage(srv, "principal", "list", "--bogus")
    assert "expected NAME" in usage(srv, "principal", "create")
    assert "positive integer" in usage(srv, "locks", "release", "x1")
    assert "positive integer" in usage(srv, "txns", "abort", "-")
    assert "not a duration" in usage(srv, "locks", "list", "--older-than", "soon")
    assert "not a time" in usage(srv, "audit", "--since", "yesterday-ish")
    assert "--format takes jsonl" in usage(srv, "audit", "--format", "csv")
    assert "--output must be json or table" in usage(srv, "--output", "xml", "principal", "list")
    assert "--location is required" in usage(srv, "permissions", "effective")
    assert "--batch goes alone" in usage(srv, "grant", "--batch", "x.json", "--catalog")
    assert "name at least one setting" in usage(srv, "settings", "set")
    assert "iam or none" in usage(srv, "settings", "set", "--create-table-default", "maybe")
    assert "not both" in usage(srv, "grant", "--principal", "x", "--role", "--group", "--permissions", "ALL",
                               "--catalog")
    assert "bash or zsh" in usage(srv, "completion", "fish")
    assert "no command 'nope'" in usage(srv, "help", "nope")


def test_errors_name_what_to_fix(srv):
    """Each environment problem is one line on stderr, exit 1, saying what to do."""
    err = fails(srv, "principal", "list", creds=str(srv.dir / "nope"))
    assert "cannot read credentials file" in err and "does not exist" in err and "--credentials" in err
    unreadable = srv.dir / "unreadable.credentials"
    unreadable.write_text(open(srv.creds).read())
    unreadable.chmod(0)
    if os.geteuid() != 0:  # root reads anything
        assert "permission denied" in fails(srv, "principal", "list", creds=str(unreadable))
    err = fails(srv, "--profile", "staging", "principal", "list")
    assert "profile [staging] not found" in err and "profiles there: default" in err and "--profile" in err
    out = subprocess.run([CLI, "--endpoint", "http://127.0.0.1:%d" % harness.free_port(), "--credentials",
                          srv.creds, "principal", "list"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and out.stderr.startswith("propolis: cannot reach ") and out.stderr.count("\n") == 1
    assert "check --endpoint" in out.stderr and out.stdout == ""
    # a clock 20 minutes fast: SigV4 refuses it, and the message says by how much
    env = dict(os.environ, PROPOLIS_CLI_CLOCK_SKEW_S="1200")
    err = fails(srv, "whoami", env=env, typ="InvalidSignatureException")
    m = re.search(r"clock is (\d+) seconds ahead of the server's", err)
    assert m and 1190 <= int(m.group(1)) <= 1210, err
    env = dict(os.environ, PROPOLIS_CLI_CLOCK_SKEW_S="-3600")
    assert "seconds behind the server's" in fails(srv, "whoami", env=env, typ="InvalidSignatureException")
    # an unknown key, a wrong secret: the AWS type and what to check
    bad = srv.dir / "bad.credentials"
    bad.write_text("[default]\naws_access_key_id = AKIAUNKNOWNUNKNOWN00\naws_secret_access_key = x\n")
    assert "check --profile and the credentials file" in fails(srv, "whoami", creds=str(bad),
                                                                typ="UnrecognizedClientException")
    key_id, _ = admin_key(srv)
    bad.write_text("[default]\naws_access_key_id = %s\naws_secret_access_key = wrong\n" % key_id)
    assert "secret key does not match" in fails(srv, "whoami", creds=str(bad), typ="InvalidSignatureException")


def test_help_lists_the_command_table(srv):
    """`propolis --help` lists exactly the commands of the table, in its order, with their summaries;
    `propolis help CMD` is the man page; the README's Admin CLI section names every command."""
    rc, out, err = cli(srv, "--help")
    assert rc == 0 and err == ""
    listed = [re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in
              out.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()]
    assert listed == [[w, sm] for w, sm in command_table()]
    assert len(listed) >= 32
    readme = open(os.path.join(ROOT, "README.md")).read()
    section = readme.split("## Admin CLI", 1)[1].split("\n## ", 1)[0]
    for words, _ in command_table():
        assert "propolis %s" % words in section, "README's Admin CLI section lacks `propolis %s`" % words
    for words, summary in command_table():
        rc, page, err = cli(srv, "help", *words.split())
        assert rc == 0 and err == "", (words, err)
        assert page.startswith("NAME\n    propolis %s - %s\n" % (words, summary)), page
        assert "SYNOPSIS" in page and "DESCRIPTION" in page and "EXIT STATUS" in page
        rc, h, _ = cli(srv, *words.split(), "--help")
        options = page.split("\nOPTIONS\n", 1)[1].split("\nGLOBAL OPTIONS", 1)[0] if "\nOPTIONS\n" in page else ""
        for opt in re.findall(r"^    (--[a-z-]+)", options, re.M):
            assert opt in h, (words, opt)  # the man page's options are exactly what --help shows
    assert "--batch FILE" in cli(srv, "help", "grant")[1]


def test_completion_scripts_come_from_the_table(srv):
    rc, bash, err = cli(srv, "completion", "bash")
    assert rc == 0 and err == "" and "complete -F _propolis propolis" in bash
    for words, _ in command_table():
        assert '"%s") opts="--help' % words in bash
    assert '"principal keys") words="list create disable enable delete"' in bash
    assert '"grant") opts="--help --principal --role --group --permissions' in bash
    rc, zsh, _ = cli(srv, "completion", "zsh")
    assert rc == 0 and zsh.startswith("#compdef propolis") and "bashcompinit" in zsh
    if shutil.which("bash"):
        # drive the bash function as bash would: complete `propolis principal keys d`
        script = bash + ('\nCOMP_WORDS=(propolis --profile default principal keys d); COMP_CWORD=5; _propolis; '
                         'echo "${COMPREPLY[*]}"\nCOMP_WORDS=(propolis grant --ba); COMP_CWORD=2; _propolis; '
                         'echo "${COMPREPLY[*]}"\nCOMP_WORDS=(propolis res); COMP_CWORD=1; _propolis; '
                         'echo "${COMPREPLY[*]}"\n')
        out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
        assert out.stdout.splitlines() == ["disable delete", "--batch", "resources"], out


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
        assert "exactly one resource" in usage(srv, "grant", "--principal", name, "--permissions", "SELECT")
        assert "not both" in usage(srv, "grant", "--principal", name, "--permissions", "SELECT", "--table",
                                   db + ".t", "--columns", "a", "--excluded-columns", "b")
        assert "not a principal name" in usage(srv, "grant", "--principal", "sp ace", "--permissions", "SELECT",
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
        assert "not a data lake administrator" in usage(srv, "admins", "remove", name)

        # a deleted principal's grants go with it: a new principal of the same name starts with none
        ok(srv, "principal", "delete", name)
        ok(srv, "principal", "create", name)
        assert ok(srv, "permissions", "list", "--principal", name)["PrincipalResourcePermissions"] == []
    finally:
        with harness.connect(srv.port) as c:
            c.drop_database(db, True, True)
        cli(srv, "principal", "delete", name)


# ---- issue 22: what a grantor and an administrator do, without the AWS CLI beside it ----

def new_principal(srv, prefix):
    key = ok(srv, "principal", "create", harness.uniq(prefix))
    key["Name"] = key["Arn"].rsplit("/", 1)[1]
    key["creds"] = write_creds(srv, key)
    return key


def audit_lines(srv, *args):
    rc, out, err = cli(srv, "audit", "--since", "10m", *args)
    assert rc == 0 and err == "", err
    return out


def test_whoami_for_everyone(srv):
    me = ok(srv, "whoami")
    assert me["Arn"] == "arn:aws:iam::%s:user/admin" % ACCOUNT and me["Account"] == ACCOUNT
    assert me["IsAdmin"] is True and me["IsReadOnlyAdmin"] is False
    bob = ok(srv, "principal", "create", harness.uniq("who"), "--group", "analysts")
    creds = write_creds(srv, bob)
    them = ok(srv, "whoami", creds=creds)
    assert them["Arn"] == bob["Arn"] and them["Groups"] == ["analysts"] and them["IsAdmin"] is False
    assert them["Account"] == ACCOUNT and them["Kind"] == "USER"
    table = ok(srv, "--output", "table", "whoami", creds=creds)
    assert table.splitlines()[0].split()[:2] == ["ARN", "ACCOUNT"] and bob["Arn"] in table
    ok(srv, "principal", "delete", bob["Arn"])


def test_grantor_grants_by_bare_name_without_admin_calls(srv):
    """The issue's case: SELECT with grant option on sales.orders, granted on by name, with its own keys."""
    db = harness.uniq("sales")
    grantor, bob = new_principal(srv, "grantor"), new_principal(srv, "bob")
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name=db, parameters={}))
        c.create_table(harness.make_table(db, "orders"))
    try:
        ok(srv, "grant", "--principal", grantor["Name"], "--permissions", "SELECT", "--grantable", "--table",
           db + ".orders")
        fails(srv, "principal", "list", creds=grantor["creds"], typ="AccessDeniedException")  # not an admin
        time.sleep(1.5)  # the audit writer batches in the background
        denied = audit_lines(srv, "--principal", grantor["Arn"], "--denied-only", "--format", "jsonl")
        assert '"ListPrincipals"' in denied
        assert ok(srv, "grant", "--principal", bob["Name"], "--permissions", "SELECT", "--table", db + ".orders",
                  creds=grantor["creds"]) == {}
        mine = ok(srv, "permissions", "list", "--principal", bob["Name"], creds=grantor["creds"])
        assert any(p["Principal"]["DataLakePrincipalIdentifier"] == bob["Arn"] and "SELECT" in p["Permissions"]
                   for p in mine["PrincipalResourcePermissions"])
        # what the grantor ran called nothing it may not: no new denial in the audit table
        time.sleep(1.5)
        assert audit_lines(srv, "--principal", grantor["Arn"], "--denied-only", "--format", "jsonl") == denied
        # more than it holds with grant option: denied, with the hint
        err = fails(srv, "grant", "--principal", bob["Name"], "--permissions", "DROP", "--table", db + ".orders",
                    creds=grantor["creds"], typ="AccessDeniedException")
        assert "ask a data lake administrator" in err
        # role and group names resolve locally too
        role = ok(srv, "principal", "create", bob["Name"] + "r", "--role")
        ok(srv, "grant", "--principal", bob["Name"] + "r", "--role", "--permissions", "SELECT", "--table",
           db + ".orders", creds=grantor["creds"])
        ok(srv, "grant", "--principal", "analysts", "--group", "--permissions", "SELECT", "--table", db + ".orders",
           creds=grantor["creds"])
        rows = ok(srv, "permissions", "list", "--table", db + ".orders")["PrincipalResourcePermissions"]
        holders = {p["Principal"]["DataLakePrincipalIdentifier"] for p in rows}
        assert {role["Arn"], "arn:aws:iam::%s:group/analysts" % ACCOUNT, bob["Arn"]} <= holders
        ok(srv, "revoke", "--principal", bob["Name"], "--permissions", "SELECT", "--table", db + ".orders",
           creds=grantor["creds"])
        ok(srv, "principal", "delete", role["Arn"])
    finally:
        with harness.connect(srv.port) as c:
            c.drop_database(db, True, True)
        for p in (grantor, bob):
            cli(srv, "principal", "delete", p["Arn"])


def test_batch_grant_and_revoke_report_each_entry(srv, tmp_path):
    db = harness.uniq("bdb")
    grantor, bob = new_principal(srv, "bgrantor"), new_principal(srv, "bbob")
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name=db, parameters={}))
        for i in range(23):
            c.create_table(harness.make_table(db, "t%d" % i))
    try:
        for i in range(23):
            ok(srv, "grant", "--principal", grantor["Arn"], "--permissions", "SELECT", "--grantable", "--table",
               "%s.t%d" % (db, i))
        entries = [{"Principal": bob["Name"], "Resource": {"Table": {"DatabaseName": db, "Name": "t%d" % i}},
                    "Permissions": ["SELECT"]} for i in range(23)]
        entries.append({"Id": "too-much", "Principal": bob["Name"],
                        "Resource": {"Table": {"DatabaseName": db, "Name": "t0"}}, "Permissions": ["DROP"]})
        batch = tmp_path / "grants.json"
        batch.write_text(json.dumps(entries))
        rc, out, err = cli(srv, "grant", "--batch", str(batch), creds=grantor["creds"])
        assert rc == 1 and err == "propolis: 1 of 24 entries failed (listed on stdout)\n", err
        failures = json.loads(out)["Failures"]
        assert [f["RequestEntry"]["Id"] for f in failures] == ["too-much"]
        assert failures[0]["Error"]["ErrorCode"] == "AccessDeniedException"
        held = ok(srv, "permissions", "list", "--principal", bob["Arn"])["PrincipalResourcePermissions"]
        assert len([p for p in held if "SELECT" in p["Permissions"]]) == 23  # 24 entries went in two calls
        batch.write_text(json.dumps({"Entries": entries[:23]}))
        rc, out, err = cli(srv, "--output", "table", "revoke", "--batch", str(batch), creds=grantor["creds"])
        assert rc == 0 and err == "" and out.split() == ["ID", "ERROR", "MESSAGE"], (out, err)
        assert ok(srv, "permissions", "list", "--principal", bob["Arn"])["PrincipalResourcePermissions"] == []
        rc, out, err = cli(srv, "revoke", "--batch", str(batch), creds=grantor["creds"])  # nothing left to revoke
        assert rc == 1 and len(json.loads(out)["Failures"]) == 23
        batch.write_text("[not json")
        assert "--batch" in usage(srv, "grant", "--batch", str(batch))
    finally:
        with harness.connect(srv.port) as c:
            c.drop_database(db, True, True)
        for p in (grantor, bob):
            cli(srv, "principal", "delete", p["Arn"])


def test_access_keys_rotate_without_downtime(srv):
    """Two keys per principal: add one, move over, disable and delete the old; by itself, no admin needed."""
    p = new_principal(srv, "rot")
    old_id = p["AccessKeyId"]
    keys = ok(srv, "principal", "keys", "list", creds=p["creds"])
    assert keys["Arn"] == p["Arn"] and [(k["AccessKeyId"], k["Status"]) for k in keys["AccessKeys"]] == \
        [(old_id, "ACTIVE")]
    new = ok(srv, "principal", "keys", "create", creds=p["creds"])
    assert new["Arn"] == p["Arn"] and new["AccessKeyId"] != old_id and len(new["SecretAccessKey"]) == 40
    new_creds = write_creds(srv, new)
    assert ok(srv, "whoami", creds=p["creds"])["Arn"] == ok(srv, "whoami", creds=new_creds)["Arn"]  # both work
    err = fails(srv, "principal", "keys", "create", creds=new_creds, typ="ResourceNumberLimitExceededException")
    assert "already has 2 access keys" in err
    ok(srv, "principal", "keys", "disable", old_id, creds=new_creds)
    fails(srv, "whoami", creds=p["creds"], typ="UnrecognizedClientException")
    assert {k["AccessKeyId"]: k["Status"] for k in ok(srv, "principal", "keys", "list", "--principal", p["Name"])
            ["AccessKeys"]} == {old_id: "INACTIVE", new["AccessKeyId"]: "ACTIVE"}
    ok(srv, "principal", "keys", "enable", old_id, "--principal", p["Arn"])  # an administrator, for it
    assert ok(srv, "whoami", creds=p["creds"])["Arn"] == p["Arn"]
    ok(srv, "principal", "keys", "delete", old_id, creds=new_creds)
    fails(srv, "whoami", creds=p["creds"], typ="UnrecognizedClientException")
    table = ok(srv, "--output", "table", "principal", "keys", "list", creds=new_creds)
    assert table.splitlines()[0].split()[:4] == ["ACCESS", "KEY", "ID", "STATUS"] and new["AccessKeyId"] in table
    # someone else's keys: denied, also for a name that does not exist; an administrator gets NotFound
    other = new_principal(srv, "nosy")
    for args in (["list", "--principal", p["Name"]], ["create", "--principal", p["Arn"]],
                 ["disable", new["AccessKeyId"], "--principal", p["Name"]],
                 ["delete", new["AccessKeyId"], "--principal", p["Name"]], ["list", "--principal", "ghost_k1"]):
        fails(srv, "principal", "keys", *args, creds=other["creds"], typ="AccessDeniedException")
    fails(srv, "principal", "keys", "list", "--principal", "ghost_k1", typ="EntityNotFoundException")
    fails(srv, "principal", "keys", "delete", "AKIANOSUCHKEY0000000", typ="EntityNotFoundException")
    assert ok(srv, "whoami", creds=new_creds)["Arn"] == p["Arn"]
    for x in (p, other):
        ok(srv, "principal", "delete", x["Arn"])


def test_resources_and_effective_permissions(srv):
    bucket = "cli-" + uuid.uuid4().hex[:8]
    loc = "s3://%s/data" % bucket
    arn = "arn:aws:s3:::%s/data" % bucket
    user = new_principal(srv, "loc")
    reg = ok(srv, "resources", "register", loc)
    assert reg["ResourceInfo"]["ResourceArn"] == arn
    assert arn in [r["ResourceArn"] for r in ok(srv, "resources", "list")["ResourceInfoList"]]
    assert ok(srv, "resources", "describe", arn)["ResourceInfo"]["ResourceArn"] == arn
    table = ok(srv, "--output", "table", "resources", "list")
    assert table.splitlines()[0].split()[:2] == ["LOCATION", "ROLE"] and arn in table
    fails(srv, "resources", "register", loc, typ="AlreadyExistsException")
    fails(srv, "resources", "list", creds=user["creds"], typ="AccessDeniedException")
    ok(srv, "grant", "--principal", user["Name"], "--permissions", "DATA_LOCATION_ACCESS", "--location", loc)
    # effective permissions on a path: the grants on the databases and tables stored under it
    db = harness.uniq("locdb")
    glue = glue_client(srv, *admin_key(srv))
    glue.create_database(DatabaseInput={"Name": db, "LocationUri": loc + "/" + db})
    glue.create_table(DatabaseName=db, TableInput={"Name": "t", "StorageDescriptor": {
        "Columns": [{"Name": "id", "Type": "int"}], "Location": loc + "/" + db + "/t"}})
    ok(srv, "grant", "--principal", user["Name"], "--permissions", "SELECT", "--table", db + ".t")
    eff = ok(srv, "permissions", "effective", "--location", loc)["Permissions"]
    assert any(p["Principal"]["DataLakePrincipalIdentifier"] == user["Arn"] and p["Permissions"] == ["SELECT"]
               for p in eff), eff
    mine = ok(srv, "permissions", "effective", "--location", arn, creds=user["creds"])["Permissions"]
    holders = {p["Principal"]["DataLakePrincipalIdentifier"] for p in mine}  # the grants that reach it
    assert user["Arn"] in holders and holders <= {user["Arn"], "IAM_ALLOWED_PRINCIPALS"}, holders
    assert ok(srv, "permissions", "effective", "--location", "s3://%s/elsewhere" % bucket)["Permissions"] == []
    text = ok(srv, "--output", "table", "permissions", "effective", "--location", loc)
    assert "table %s.t" % db in text
    glue.delete_database(Name=db)
    assert "--location takes" in usage(srv, "permissions", "effective", "--location", "/tmp/x")
    assert ok(srv, "resources", "deregister", loc) == {}
    fails(srv, "resources", "describe", loc, typ="EntityNotFoundException")
    ok(srv, "principal", "delete", user["Arn"])


def test_settings_show_and_set(srv):
    before = ok(srv, "settings", "show")
    s = before["DataLakeSettings"]
    iam_creators = "IAM_ALLOWED_PRINCIPALS" in [c["Principal"] for c in before["DatabaseCreators"]]
    assert {"DataLakePrincipalIdentifier": "arn:aws:iam::%s:user/admin" % ACCOUNT} in s["DataLakeAdmins"]
    assert isinstance(before["DatabaseCreators"], list)
    ro = new_principal(srv, "ro")
    after = ok(srv, "settings", "set", "--read-only-admins", ro["Name"], "--create-table-default", "none",
               "--create-database-default", "iam", "--allow-external-filtering", "on",
               "--external-filtering-allow-list", "111122223333", "--session-tag-values", "engine-a,engine-b",
               "--iam-allowed-database-creators", "on")
    a = after["DataLakeSettings"]
    assert a["ReadOnlyAdmins"] == [{"DataLakePrincipalIdentifier": ro["Arn"]}]
    assert a["CreateTableDefaultPermissions"] == []
    assert a["CreateDatabaseDefaultPermissions"] == [
        {"Principal": {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}, "Permissions": ["ALL"]}]
    assert a["AllowExternalDataFiltering"] is True and a["AuthorizedSessionTagValueList"] == ["engine-a", "engine-b"]
    assert a["ExternalDataFilteringAllowList"] == [{"DataLakePrincipalIdentifier": "111122223333"}]
    assert a["DataLakeAdmins"] == s["DataLakeAdmins"]  # what no option names is kept
    assert {"Principal": "IAM_ALLOWED_PRINCIPALS", "Grantable": False} in after["DatabaseCreators"]
    shown = ok(srv, "settings", "show", creds=ro["creds"])  # read-only administrators may look
    assert shown["DataLakeSettings"] == a
    fails(srv, "settings", "set", "--create-table-default", "iam", creds=ro["creds"], typ="AccessDeniedException")
    table = ok(srv, "--output", "table", "settings", "show")
    assert table.splitlines()[0].split() == ["SETTING", "VALUE"] and "ReadOnlyAdmins" in table
    off = ok(srv, "settings", "set", "--iam-allowed-database-creators", "off", "--read-only-admins", "",
             "--create-table-default", "iam" if s.get("CreateTableDefaultPermissions") else "none",
             "--create-database-default", "iam" if s.get("CreateDatabaseDefaultPermissions") else "none",
             "--allow-external-filtering", "on" if s.get("AllowExternalDataFiltering") else "off")
    assert "IAM_ALLOWED_PRINCIPALS" not in [c["Principal"] for c in off["DatabaseCreators"]]
    assert off["DataLakeSettings"]["ReadOnlyAdmins"] == []
    back = ok(srv, "settings", "set", "--iam-allowed-database-creators", "on" if iam_creators else "off")
    assert ("IAM_ALLOWED_PRINCIPALS" in [c["Principal"] for c in back["DatabaseCreators"]]) == iam_creators
    ok(srv, "principal", "delete", ro["Arn"])


def test_audit_filters_on_the_server(srv):
    p = new_principal(srv, "aud")
    fails(srv, "locks", "list", creds=p["creds"], typ="AccessDeniedException")
    ok(srv, "locks", "list")
    time.sleep(1.5)  # the audit writer batches in the background
    denied = [json.loads(x) for x in audit_lines(srv, "--denied-only", "--format", "jsonl").splitlines()]
    assert denied and all(e["Allowed"] is False for e in denied)
    assert any(e["Principal"] == p["Arn"] and e["Operation"] == "ListLocks" for e in denied)
    ops = [json.loads(x) for x in audit_lines(srv, "--operation", "listlocks", "--format", "jsonl").splitlines()]
    assert ops and {e["Operation"] for e in ops} == {"ListLocks"} and {True, False} <= {e["Allowed"] for e in ops}
    res = [json.loads(x) for x in audit_lines(srv, "--resource", "principal " + p["Arn"], "--format",
                                              "jsonl").splitlines()]
    assert res and all(("principal " + p["Arn"]) in e["Resource"] for e in res)
    # the server filters: a raw page of 1 with DeniedOnly is a denial, and its token keeps the filter
    key_id, secret = admin_key(srv)
    st, page = raw_call(srv, "Propolis.ListAuditEvents", {"DeniedOnly": True, "MaxResults": 1, "Since": 0},
                        key_id, secret)
    assert st == 200 and len(page["Events"]) == 1 and page["Events"][0]["Allowed"] is False
    st, other = raw_call(srv, "Propolis.ListAuditEvents", {"MaxResults": 1, "Since": 0,
                                                           "NextToken": page["NextToken"]}, key_id, secret)
    assert st == 400 and other["__type"].endswith("InvalidInputException"), other
    st, bad = raw_call(srv, "Propolis.ListAuditEvents", {"DeniedOnly": "yes"}, key_id, secret)
    assert st == 400 and "DeniedOnly" in bad["message"]
    ok(srv, "principal", "delete", p["Arn"])


def test_txns_and_compactions_for_administrators(srv):
    db = harness.uniq("acid")
    p = new_principal(srv, "txn")
    with harness.connect(srv.port) as c:
        c.create_database(T.Database(name=db, parameters={}))
        c.create_table(harness.make_table(db, "t"))
        txn = c.open_txns(T.OpenTxnRequest(num_txns=1, user="etl", hostname="worker-1", agentInfo="cli-test"))
        tid = txn.txn_ids[0]
        c.compact2(T.CompactionRequest(dbname=db, tablename="t", type=T.CompactionType.MAJOR))
    try:
        listed = ok(srv, "txns", "list")
        mine = [t for t in listed["Transactions"] if t["TxnId"] == tid]
        assert mine and mine[0]["State"] == "OPEN" and mine[0]["User"] == "etl" and mine[0]["Host"] == "worker-1"
        assert listed["HighWaterMark"] >= tid
        table = ok(srv, "--output", "table", "txns", "list")
        assert table.splitlines()[0].split()[:3] == ["TXN", "STATE", "USER"] and str(tid) in table
        comps = ok(srv, "compactions", "list", "--table", db + ".t")["Compactions"]
        assert len(comps) == 1 and comps[0]["Type"] == "MAJOR" and comps[0]["Database"] == db
        assert ok(srv, "compactions", "list", "--database", harness.uniq("none"))["Compactions"] == []
        for args in (["txns", "list"], ["txns", "abort", str(tid)], ["compactions", "list"]):
            fails(srv, *args, creds=p["creds"], typ="AccessDeniedException")
        assert [t for t in ok(srv, "txns", "list")["Transactions"] if t["TxnId"] == tid][0]["State"] == "OPEN"
        assert ok(srv, "txns", "abort", str(tid)) == {"TxnId": tid}
        with harness.connect(srv.port) as c:
            with pytest.raises(T.TxnAbortedException):
                c.commit_txn(T.CommitTxnRequest(txnid=tid))
        assert not [t for t in ok(srv, "txns", "list")["Transactions"] if t["TxnId"] == tid and t["State"] == "OPEN"]
        fails(srv, "txns", "abort", "987654321", typ="EntityNotFoundException")
    finally:
        with harness.connect(srv.port) as c:
            c.drop_database(db, True, True)
        cli(srv, "principal", "delete", p["Arn"])
