# tests/integration/test_permissions.py — Lake Formation permissions enforced on both doors.
#
# A permission matrix: principals × operations × objects, each run through the Glue door (boto3,
# signed with the principal's own keys) and the Thrift door (the generated client on a
# trust-ugi listener, set_ugi naming the principal). Every answer is compared with what the
# grants allow; the test counts leaks (an answer or listing that shows what should be hidden,
# or a change that should have been refused) and wrong denials, and requires both to be zero.
# Grants are made with boto3's lakeformation client, principals with Propolis.CreatePrincipal.

import json
import sys

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.session  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
import urllib.request  # noqa: E402
import urllib.error  # noqa: E402

import harness  # noqa: E402
from harness import T  # noqa: E402
from test_glue_boto3 import glue_server as _glue_server_fixture  # noqa: E402,F401

ACCOUNT = "000000000000"
CFG = botocore.config.Config(retries={"max_attempts": 1})
IAM_ALLOWED = {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}


def propolis_call(srv, key_id, secret, op, body):
    """One Propolis.<op> call, SigV4-signed as the CLI signs it; returns (status, json)."""
    data = json.dumps(body).encode()
    req = AWSRequest(method="POST", url=srv.endpoint + "/", data=data,
                     headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Propolis." + op})
    SigV4Auth(Credentials(key_id, secret), "propolis", "us-east-1").add_auth(req)
    r = urllib.request.Request(srv.endpoint + "/", data=data, method="POST", headers=dict(req.headers.items()))
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


class World:
    """The server, the admin's clients, and per-principal clients."""

    def __init__(self, srv):
        self.srv = srv
        self.keys = {"admin": (srv.key_id, srv.secret)}
        self.arns = {"admin": "arn:aws:iam::%s:user/admin" % ACCOUNT}

    def client(self, service, who):
        k, s = self.keys[who]
        return boto3.client(service, endpoint_url=self.srv.endpoint, region_name="us-east-1",
                            aws_access_key_id=k, aws_secret_access_key=s, config=CFG)

    def create_principal(self, name, groups=()):
        st, out = propolis_call(self.srv, *self.keys["admin"], "CreatePrincipal",
                                {"Name": name, "Groups": list(groups)})
        assert st == 200, out
        self.keys[name] = (out["AccessKeyId"], out["SecretAccessKey"])
        self.arns[name] = out["Arn"]

    def thrift(self, who):
        c = harness.connect(self.srv.port)
        c.set_ugi(who, [])
        return c


def grant(lf, principal, resource, perms, grantable=()):
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": principal}, Resource=resource,
                         Permissions=list(perms), PermissionsWithGrantOption=list(grantable))


@pytest.fixture(scope="module")
def perm_server(pg, tmp_path_factory):
    """A server with a trust-ugi Thrift listener and the HTTP door."""
    yield from harness.lf_server(pg, tmp_path_factory, "perm")


SALES_COLS = [{"Name": "id", "Type": "bigint"}, {"Name": "amount", "Type": "double"},
              {"Name": "secret", "Type": "string"}]
CUST_COLS = [{"Name": "id", "Type": "bigint"}, {"Name": "name", "Type": "string"},
             {"Name": "ssn", "Type": "string"}]


def table_input(name, cols, pkeys=()):
    return {"Name": name, "TableType": "EXTERNAL_TABLE",
            "StorageDescriptor": {"Columns": cols, "Location": "file:///tmp/perm/" + name,
                                  "SerdeInfo": {"SerializationLibrary":
                                                "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}},
            "PartitionKeys": [{"Name": k, "Type": "string"} for k in pkeys]}


@pytest.fixture(scope="module")
def world(perm_server):
    w = World(perm_server)
    lf = w.client("lakeformation", "admin")
    glue = w.client("glue", "admin")
    # Close Lake Formation's open defaults first, as an operator does: new objects get no
    # IAM_ALLOWED_PRINCIPALS grant and only admins create databases.
    harness.lf_close_defaults(lf)
    for name in ("alice", "bob", "carol", "erin"):
        w.create_principal(name)
    w.create_principal("dave", groups=["analysts"])

    glue.create_database(DatabaseInput={"Name": "sales"})
    glue.create_database(DatabaseInput={"Name": "hr"})
    glue.create_table(DatabaseName="sales", TableInput=table_input("orders", SALES_COLS, ["dt"]))
    glue.create_table(DatabaseName="sales", TableInput=table_input("customers", CUST_COLS))
    glue.create_table(DatabaseName="hr", TableInput=table_input("salaries", CUST_COLS))
    glue.create_partition(DatabaseName="sales", TableName="orders",
                          PartitionInput={"Values": ["2024-01-01"],
                                          "StorageDescriptor": {"Columns": SALES_COLS,
                                                                "Location": "file:///tmp/perm/orders/dt=2024-01-01"}})

    grant(lf, w.arns["alice"], {"Database": {"Name": "sales"}}, ["DESCRIBE"])
    grant(lf, w.arns["alice"], {"Table": {"DatabaseName": "sales", "Name": "orders"}}, ["SELECT", "ALTER"])
    grant(lf, w.arns["bob"], {"TableWithColumns": {"DatabaseName": "sales", "Name": "customers",
                                                   "ColumnNames": ["id", "name"]}}, ["SELECT"])
    grant(lf, "arn:aws:iam::%s:group/analysts" % ACCOUNT, {"Table": {"DatabaseName": "sales", "Name": "orders"}},
          ["SELECT"])
    grant(lf, w.arns["erin"], {"Table": {"DatabaseName": "hr", "TableWildcard": {}}}, ["DESCRIBE"])
    # Column stats on customers, to see them filtered.
    glue.update_column_statistics_for_table(
        DatabaseName="sales", TableName="customers",
        ColumnStatisticsList=[{"ColumnName": c, "ColumnType": "string", "AnalyzedTime": 1700000000,
                               "StatisticsData": {"Type": "STRING", "StringColumnStatisticsData": {
                                   "MaximumLength": 10, "AverageLength": 5.0, "NumberOfNulls": 0,
                                   "NumberOfDistinctValues": 3}}} for c in ("name", "ssn")])
    return w


PRINCIPALS = ["admin", "alice", "bob", "carol", "dave", "erin"]

# What each principal may see and do (the grants above; admin may everything).
VISIBLE_DBS = {"admin": {"default", "sales", "hr"}, "alice": {"sales"}, "bob": {"sales"}, "carol": set(),
               "dave": {"sales"}, "erin": {"hr"}}
VISIBLE_TABLES = {"admin": {("sales", "orders"), ("sales", "customers"), ("hr", "salaries")},
                  "alice": {("sales", "orders")}, "bob": {("sales", "customers")}, "carol": set(),
                  "dave": {("sales", "orders")}, "erin": {("hr", "salaries")}}
ALTER_TABLES = {"admin": VISIBLE_TABLES["admin"], "alice": {("sales", "orders")}}
VISIBLE_COLUMNS = {("bob", "sales", "customers"): ["id", "name"]}
ALL_TABLES = sorted(VISIBLE_TABLES["admin"])
ALL_COLS = {("sales", "orders"): ["id", "amount", "secret"], ("sales", "customers"): ["id", "name", "ssn"],
            ("hr", "salaries"): ["id", "name", "ssn"]}


class Tally:
    def __init__(self):
        self.leaks, self.wrong_denials, self.checks = [], [], 0

    def check(self, what, expected_allowed, allowed, detail=""):
        self.checks += 1
        if allowed and not expected_allowed:
            self.leaks.append("%s %s" % (what, detail))
        elif expected_allowed and not allowed:
            self.wrong_denials.append("%s %s" % (what, detail))


def glue_denied(exc):
    return isinstance(exc, botocore.exceptions.ClientError) and \
        exc.response["Error"]["Code"] == "AccessDeniedException"


def thrift_denied(exc):
    return isinstance(exc, T.MetaException) and "Insufficient Lake Formation permission" in str(exc.message)


def attempt(fn, denied):
    """(allowed, result). A denial is (False, None); any other error is re-raised."""
    try:
        return True, fn()
    except Exception as e:  # noqa: BLE001
        if denied(e):
            return False, None
        raise


def test_permission_matrix(world):
    t = Tally()
    for who in PRINCIPALS:
        glue = world.client("glue", who)
        thr = world.thrift(who)
        try:
            # database listings show exactly what is visible
            got = {d["Name"] for d in glue.get_databases()["DatabaseList"]}
            t.check("glue GetDatabases %s" % who, True, True)
            for extra in got - VISIBLE_DBS[who]:
                t.leaks.append("glue GetDatabases %s shows %s" % (who, extra))
            for missing in VISIBLE_DBS[who] - got:
                t.wrong_denials.append("glue GetDatabases %s hides %s" % (who, missing))
            got = set(thr.get_all_databases())
            for extra in got - VISIBLE_DBS[who]:
                t.leaks.append("thrift get_all_databases %s shows %s" % (who, extra))
            for missing in VISIBLE_DBS[who] - got:
                t.wrong_denials.append("thrift get_all_databases %s hides %s" % (who, missing))

            for db in ("sales", "hr"):
                exp = db in VISIBLE_DBS[who]
                ok, _ = attempt(lambda: glue.get_database(Name=db), glue_denied)
                t.check("glue GetDatabase %s %s" % (who, db), exp, ok)
                ok, _ = attempt(lambda: thr.get_database(db), thrift_denied)
                t.check("thrift get_database %s %s" % (who, db), exp, ok)
                # table listings
                ok, res = attempt(lambda: glue.get_tables(DatabaseName=db)["TableList"], glue_denied)
                t.check("glue GetTables %s %s" % (who, db), exp, ok)
                want = {n for (d, n) in VISIBLE_TABLES[who] if d == db}
                if ok:
                    for extra in {x["Name"] for x in res} - want:
                        t.leaks.append("glue GetTables %s shows %s.%s" % (who, db, extra))
                ok, res = attempt(lambda: thr.get_all_tables(db), thrift_denied)
                t.check("thrift get_all_tables %s %s" % (who, db), exp, ok)
                if ok:
                    for extra in set(res) - want:
                        t.leaks.append("thrift get_all_tables %s shows %s.%s" % (who, db, extra))
                    for missing in want - set(res):
                        t.wrong_denials.append("thrift get_all_tables %s hides %s.%s" % (who, db, missing))

            for (db, tbl) in ALL_TABLES:
                exp = (db, tbl) in VISIBLE_TABLES[who]
                cols = VISIBLE_COLUMNS.get((who, db, tbl), ALL_COLS[(db, tbl)])
                ok, res = attempt(lambda: glue.get_table(DatabaseName=db, Name=tbl)["Table"], glue_denied)
                t.check("glue GetTable %s %s.%s" % (who, db, tbl), exp, ok)
                if ok:
                    seen = [c["Name"] for c in res["StorageDescriptor"]["Columns"]]
                    t.check("glue GetTable columns %s %s.%s" % (who, db, tbl), True, seen == cols, str(seen))
                    for c in set(seen) - set(cols):
                        t.leaks.append("glue GetTable %s %s.%s column %s" % (who, db, tbl, c))
                ok, res = attempt(lambda: thr.get_table(db, tbl), thrift_denied)
                t.check("thrift get_table %s %s.%s" % (who, db, tbl), exp, ok)
                if ok:
                    seen = [c.name for c in res.sd.cols]
                    for c in set(seen) - set(cols):
                        t.leaks.append("thrift get_table %s %s.%s column %s" % (who, db, tbl, c))
                    if seen != cols:
                        t.wrong_denials.append("thrift get_table %s %s.%s columns %s" % (who, db, tbl, seen))
                ok, _ = attempt(lambda: thr.get_partition_names(db, tbl, -1), thrift_denied)
                t.check("thrift get_partition_names %s %s.%s" % (who, db, tbl), exp, ok)
                ok, _ = attempt(lambda: glue.get_partitions(DatabaseName=db, TableName=tbl), glue_denied)
                t.check("glue GetPartitions %s %s.%s" % (who, db, tbl), exp, ok)
                # column statistics only of visible columns
                ok, res = attempt(lambda: thr.get_table_column_statistics(db, tbl, "ssn"), thrift_denied)
                shown = [o.colName for o in (res.statsObj or [])] if ok else []
                t.check("thrift get_table_column_statistics %s %s.%s" % (who, db, tbl), exp, ok)
                if "ssn" in shown and "ssn" not in cols:
                    t.leaks.append("thrift ssn statistics %s" % who)
                if db == "sales" and tbl == "customers" and "ssn" in cols and ok and "ssn" not in shown:
                    t.wrong_denials.append("thrift ssn statistics hidden from %s" % who)
                # changes: a parameter through alter_table (Thrift) and UpdateTable (Glue)
                may_alter = (db, tbl) in ALTER_TABLES.get(who, set())
                if who != "admin":
                    def thrift_alter():
                        tb = thr.get_table(db, tbl)
                        tb.parameters["touched_by"] = who
                        thr.alter_table(db, tbl, tb)
                    ok, _ = attempt(thrift_alter, lambda e: thrift_denied(e))
                    t.check("thrift alter_table %s %s.%s" % (who, db, tbl), may_alter, ok)
                    ok, _ = attempt(lambda: glue.delete_table(DatabaseName=db, Name=tbl), glue_denied)
                    t.check("glue DeleteTable %s %s.%s" % (who, db, tbl), False, ok)
                    ok, _ = attempt(lambda: thr.drop_table(db, tbl, False), thrift_denied)
                    t.check("thrift drop_table %s %s.%s" % (who, db, tbl), False, ok)
            if who != "admin":
                ok, _ = attempt(lambda: glue.create_database(DatabaseInput={"Name": "x_" + who}), glue_denied)
                t.check("glue CreateDatabase %s" % who, False, ok)
                ok, _ = attempt(lambda: thr.create_database(T.Database(name="y_" + who, parameters={})),
                                thrift_denied)
                t.check("thrift create_database %s" % who, False, ok)
                ok, _ = attempt(lambda: glue.create_table(DatabaseName="sales",
                                                          TableInput=table_input("t_" + who, SALES_COLS)),
                                glue_denied)
                t.check("glue CreateTable %s" % who, False, ok)
        finally:
            thr.close()
    # The admin still sees every table intact: nothing a denied call tried happened.
    admin = world.client("glue", "admin")
    for (db, tbl) in ALL_TABLES:
        params = admin.get_table(DatabaseName=db, Name=tbl)["Table"].get("Parameters", {})
        touched = params.get("touched_by")
        assert touched in (None, "alice"), (db, tbl, touched)
        if touched == "alice":
            assert (db, tbl) == ("sales", "orders")
    assert {d["Name"] for d in admin.get_databases()["DatabaseList"]} == {"default", "sales", "hr"}
    assert t.checks > 150
    assert t.leaks == [], t.leaks
    assert t.wrong_denials == [], t.wrong_denials


def test_missing_objects_do_not_enumerate(world):
    """Callers who cannot see a database get AccessDenied for anything in it, existing or not."""
    carol = world.client("glue", "carol")
    for name in ("sales", "no_such_db"):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            carol.get_database(Name=name)
        assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    alice = world.client("glue", "alice")
    # alice sees sales: a table missing there is a plain EntityNotFound
    with pytest.raises(botocore.exceptions.ClientError) as e:
        alice.get_table(DatabaseName="sales", Name="no_such_table")
    assert e.value.response["Error"]["Code"] == "EntityNotFoundException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        alice.get_table(DatabaseName="hr", Name="no_such_table")
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"


def test_revoke_takes_effect_on_next_request(world):
    lf = world.client("lakeformation", "admin")
    glue = world.client("glue", "admin")
    glue.create_table(DatabaseName="sales", TableInput=table_input("revoked", SALES_COLS))
    grant(lf, world.arns["carol"], {"Table": {"DatabaseName": "sales", "Name": "revoked"}}, ["SELECT"])
    carol = world.client("glue", "carol")
    thr = world.thrift("carol")
    try:
        assert carol.get_table(DatabaseName="sales", Name="revoked")["Table"]["Name"] == "revoked"
        assert thr.get_table("sales", "revoked").tableName == "revoked"
        lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": world.arns["carol"]},
                              Resource={"Table": {"DatabaseName": "sales", "Name": "revoked"}},
                              Permissions=["SELECT"])
        with pytest.raises(botocore.exceptions.ClientError) as e:
            carol.get_table(DatabaseName="sales", Name="revoked")
        assert e.value.response["Error"]["Code"] == "AccessDeniedException"
        with pytest.raises(T.MetaException):
            thr.get_table("sales", "revoked")
    finally:
        thr.close()


def test_drop_drops_grants(world):
    lf = world.client("lakeformation", "admin")
    glue = world.client("glue", "admin")
    glue.create_table(DatabaseName="sales", TableInput=table_input("ephemeral", SALES_COLS))
    grant(lf, world.arns["carol"], {"Table": {"DatabaseName": "sales", "Name": "ephemeral"}}, ["SELECT"])
    carol = world.client("glue", "carol")
    assert carol.get_table(DatabaseName="sales", Name="ephemeral")
    glue.delete_table(DatabaseName="sales", Name="ephemeral")
    glue.create_table(DatabaseName="sales", TableInput=table_input("ephemeral", SALES_COLS))
    # the recreated table does not inherit the old grant
    with pytest.raises(botocore.exceptions.ClientError) as e:
        carol.get_table(DatabaseName="sales", Name="ephemeral")
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    rows = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": world.arns["carol"]})
    names = [json.dumps(r["Resource"]) for r in rows["PrincipalResourcePermissions"]]
    assert not any("ephemeral" in n for n in names), names


def test_creator_gets_implicit_permissions(world):
    """A principal granted CREATE_TABLE creates a table and may then alter and drop it; others may not see it."""
    lf = world.client("lakeformation", "admin")
    grant(lf, world.arns["erin"], {"Database": {"Name": "hr"}}, ["CREATE_TABLE"])
    erin = world.client("glue", "erin")
    erin.create_table(DatabaseName="hr", TableInput=table_input("erin_own", CUST_COLS))
    t = erin.get_table(DatabaseName="hr", Name="erin_own")["Table"]
    t_in = {k: t[k] for k in ("Name", "StorageDescriptor", "PartitionKeys", "TableType")}
    t_in["Parameters"] = {"mine": "yes"}
    erin.update_table(DatabaseName="hr", TableInput=t_in)
    carol = world.client("glue", "carol")
    with pytest.raises(botocore.exceptions.ClientError):
        carol.get_table(DatabaseName="hr", Name="erin_own")
    erin.delete_table(DatabaseName="hr", Name="erin_own")


def test_audit_records_denials(world, perm_server):
    carol = world.client("glue", "carol")
    with pytest.raises(botocore.exceptions.ClientError):
        carol.get_table(DatabaseName="hr", Name="salaries")
    thr = world.thrift("carol")
    try:
        with pytest.raises(T.MetaException):
            thr.get_table("hr", "salaries")
    finally:
        thr.close()
    # the per-call log lines of both doors carry the decision
    log = perm_server.log_text()
    thrift_lines = [json.loads(line.split("audit ", 1)[1]) for line in log.splitlines()
                    if "audit {" in line and '"get_table"' in line and '"carol"' in line]
    assert any(x["authz"].startswith("denied DESCRIBE on table hr.salaries") for x in thrift_lines), thrift_lines
    assert any("GetTable by %s: AccessDeniedException" % world.arns["carol"] in line and
               "authz: denied DESCRIBE on table hr.salaries" in line for line in log.splitlines())
    import time
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        st, out = propolis_call(perm_server, *world.keys["admin"], "ListAuditEvents",
                                {"Principal": world.arns["carol"]})
        assert st == 200, out
        hits = [e for e in out.get("Events", []) if not e["Allowed"] and "hr.salaries" in e["Resource"]]
        if hits:
            assert hits[0]["Door"] == "glue"
            assert hits[0]["Operation"] == "GetTable"
            return
        time.sleep(0.3)
    pytest.fail("no audit row for the denial")


def test_column_grant_option_never_widens(world):
    """A grant option on one column does not make a wider SELECT already held grantable."""
    lf = world.client("lakeformation", "admin")
    glue = world.client("glue", "admin")
    glue.create_table(DatabaseName="sales", TableInput=table_input("widen", SALES_COLS))
    carol_arn = world.arns["carol"]
    grant(lf, carol_arn, {"Table": {"DatabaseName": "sales", "Name": "widen"}}, ["SELECT"])
    grant(lf, carol_arn, {"TableWithColumns": {"DatabaseName": "sales", "Name": "widen", "ColumnNames": ["id"]}},
          ["SELECT"], ["SELECT"])
    rows = lf.list_permissions(Principal={"DataLakePrincipalIdentifier": carol_arn},
                               Resource={"Table": {"DatabaseName": "sales", "Name": "widen"}})
    rows = rows["PrincipalResourcePermissions"]
    assert rows and all("SELECT" not in r.get("PermissionsWithGrantOption", []) for r in rows), rows
    # carol may not pass the whole table on
    carol_lf = world.client("lakeformation", "carol")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        carol_lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": world.arns["bob"]},
                                   Resource={"Table": {"DatabaseName": "sales", "Name": "widen"}},
                                   Permissions=["SELECT"])
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    glue.delete_table(DatabaseName="sales", Name="widen")


def test_revoke_on_another_server_counts_at_once(world, perm_server):
    """Two servers on one database: a caller's facts cached by server A give way to a revoke made on B."""
    http_b = harness.free_port()
    d = perm_server.dir
    b = harness.Server(["--database", perm_server.db_url, "--warehouse", "file://" + str(d / "wh"),
                        "--http-listen", "127.0.0.1:%d" % http_b, "--thrift-auth", "trust-ugi",
                        "--master-key-file", str(d / "master.key"),
                        "--admin-credentials", str(d / "admin-b.credentials")], logdir=str(d / "b"))
    (d / "b").mkdir(exist_ok=True)
    b.start()
    try:
        harness.wait_port(http_b)
        lf_b = boto3.client("lakeformation", endpoint_url="http://127.0.0.1:%d" % http_b, region_name="us-east-1",
                            aws_access_key_id=world.keys["admin"][0], aws_secret_access_key=world.keys["admin"][1],
                            config=CFG)
        glue = world.client("glue", "admin")
        glue.create_table(DatabaseName="sales", TableInput=table_input("cached", SALES_COLS))
        res = {"Table": {"DatabaseName": "sales", "Name": "cached"}}
        grant(lf_b, world.arns["carol"], res, ["SELECT"])
        thr = world.thrift("carol")  # server A
        try:
            for _ in range(5):  # warm A's cache of carol's facts
                assert thr.get_table("sales", "cached").tableName == "cached"
                assert thr.get_database("sales").name == "sales"
            lf_b.revoke_permissions(Principal={"DataLakePrincipalIdentifier": world.arns["carol"]}, Resource=res,
                                    Permissions=["SELECT"])
            with pytest.raises(T.MetaException):
                thr.get_table("sales", "cached")
            with pytest.raises(T.MetaException):
                thr.get_database("sales")
            grant(lf_b, world.arns["carol"], res, ["SELECT"])
            assert thr.get_table("sales", "cached").tableName == "cached"
        finally:
            thr.close()
        glue.delete_table(DatabaseName="sales", Name="cached")
    finally:
        assert b.stop() == 0, b.log_tail()


def test_events_keep_every_column_whoever_writes(world):
    """Partition events (read by every replication and cache listener) carry the partitions as
    stored, with every column, whoever wrote them. A writer holds a table-level grant (ALTER),
    and a table-level grant shows the whole schema even beside a column-only SELECT, so its reply
    is whole too; the events never go through the caller's column trimming at all."""
    from test_notifications import tobj, events_after, current
    lf = world.client("lakeformation", "admin")
    glue = world.client("glue", "admin")
    glue.create_table(DatabaseName="sales", TableInput=table_input("trimmed_writer", SALES_COLS, pkeys=["dt"]))
    world.create_principal("frank")
    frank_arn = world.arns["frank"]
    grant(lf, frank_arn, {"Table": {"DatabaseName": "sales", "Name": "trimmed_writer"}}, ["ALTER"])
    grant(lf, frank_arn, {"TableWithColumns": {"DatabaseName": "sales", "Name": "trimmed_writer",
                                               "ColumnNames": ["id"]}}, ["SELECT"])
    admin = world.thrift("admin")
    frank = world.thrift("frank")
    try:
        whole = admin.get_table("sales", "trimmed_writer")
        start = current(admin)
        part = T.Partition(values=["2026-11-26"], dbName="sales", tableName="trimmed_writer",
                           sd=whole.sd, parameters={"p": "1"})
        part.sd.location = None
        res = frank.add_partitions_req(T.AddPartitionsRequest(dbName="sales", tblName="trimmed_writer",
                                                              parts=[part], ifNotExists=False, needResult=True))
        assert [c.name for c in res.partitions[0].sd.cols] == ["id", "amount", "secret"]
        assert [c.name for c in frank.get_table("sales", "trimmed_writer").sd.cols] == ["id", "amount", "secret"]
        stored = admin.get_partition("sales", "trimmed_writer", ["2026-11-26"])
        assert [c.name for c in stored.sd.cols] == ["id", "amount", "secret"]
        events = [e for e in events_after(admin, start) if e.tableName == "trimmed_writer"]
        add = [e for e in events if e.eventType == "ADD_PARTITION"]
        assert len(add) == 1
        listed = [tobj(T.Partition, j) for j in json.loads(add[0].message)["partitionListJson"]]
        assert [c.name for c in listed[0].sd.cols] == ["id", "amount", "secret"]
    finally:
        admin.close()
        frank.close()
        glue.delete_table(DatabaseName="sales", Name="trimmed_writer")


def test_allowed_reads_are_audited_only_with_audit_reads(world, perm_server):
    """The audit table keeps denials and writes; allowed DESCRIBE/SELECT rows only with
    [server] audit_reads = true (a second server on the same database has it on)."""
    import time
    d = perm_server.dir
    (d / "r").mkdir(exist_ok=True)
    conf = d / "r" / "audit-reads.ini"
    conf.write_text("[server]\naudit_reads = true\n")
    b = harness.Server(["--config", str(conf), "--database", perm_server.db_url, "--warehouse",
                        "file://" + str(d / "wh"), "--thrift-auth", "trust-ugi",
                        "--master-key-file", str(d / "master.key")], logdir=str(d / "r"))
    b.start()
    try:
        world.create_principal("reader")
        lf = world.client("lakeformation", "admin")
        grant(lf, world.arns["reader"], {"Table": {"DatabaseName": "sales", "Name": "orders"}}, ["SELECT"])
        on_a = world.thrift("reader")          # audit_reads off (the default)
        on_b = harness.connect(b.port)
        on_b.set_ugi("reader", [])
        try:
            for c in (on_a, on_b):
                assert c.get_table("sales", "orders").tableName == "orders"
            with pytest.raises(T.MetaException):
                on_a.get_table("hr", "salaries")  # a denial: audited on every server
        finally:
            on_a.close()
            on_b.close()

        def events():
            st, out = propolis_call(perm_server, *world.keys["admin"], "ListAuditEvents",
                                    {"Principal": world.arns["reader"]})
            assert st == 200, out
            return out.get("Events", [])
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            ev = events()
            reads = [e for e in ev if e["Allowed"] and "sales.orders" in e["Resource"]]
            denials = [e for e in ev if not e["Allowed"] and "hr.salaries" in e["Resource"]]
            if reads and denials:
                break
            time.sleep(0.3)
        time.sleep(1.5)  # both writers flush in batches: let a stray row from server A show up
        ev = events()
        reads = [e for e in ev if e["Allowed"] and "sales.orders" in e["Resource"]]
        assert len(reads) == 1, reads  # server B's only
        assert [e for e in ev if not e["Allowed"] and "hr.salaries" in e["Resource"]]
    finally:
        assert b.stop() == 0, b.log_tail()
