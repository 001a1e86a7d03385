# tests/integration/test_audit.py — the JSON audit line per Thrift call (server/thrift/audit.c):
# principal, client address, method, object, result (ok or the exception type), duration and
# request id, at info level in the server log; off with [server] audit_log = false.

import json

import pytest

import harness


def audit_lines(srv):
    lines = []
    for line in srv.log_text().splitlines():
        at = line.find(" audit {")
        if at >= 0:
            lines.append(json.loads(line[at + len(" audit "):]))
    return lines


def wait_for(srv, pred, timeout=10.0):
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [a for a in audit_lines(srv) if pred(a)]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("no matching audit line in:\n%s" % srv.log_tail())


@pytest.fixture
def audited(pg, start_server):
    # trust-ugi: the tests name their principal with set_ugi (the default listener ignores it).
    return start_server(["--database", pg.create_database("propolis_audit"), "--thrift-auth", "trust-ugi"])


def test_audit_line_for_success_and_exception(audited):
    db = harness.uniq("auditdb")
    with harness.connect(audited.port) as c:
        c.set_ugi("alice", [])
        c.create_database(harness.T.Database(name=db, description="d", parameters={}))
        c.get_database(db)
        with pytest.raises(harness.T.NoSuchObjectException):
            c.get_table(db, "missing")
    ok = wait_for(audited, lambda a: a["method"] == "get_database" and a["object"] == db)[0]
    assert ok["result"] == "ok"
    assert ok["principal"] == "alice"
    assert ok["client"].startswith("127.0.0.1")
    assert isinstance(ok["duration_ms"], (int, float)) and ok["duration_ms"] >= 0
    assert isinstance(ok["request_id"], int) and ok["request_id"] > 0
    bad = wait_for(audited, lambda a: a["method"] == "get_table")[0]
    assert bad["result"] == "NoSuchObjectException"
    assert bad["object"] == db + ".missing"
    assert bad["principal"] == "alice"
    # One line per call: get_table's exception is not written a second time as "ok".
    assert [a["result"] for a in audit_lines(audited) if a["method"] == "get_table"] == ["NoSuchObjectException"]
    assert any(a["method"] == "create_database" and a["result"] == "ok" for a in audit_lines(audited))


def test_audit_line_off_by_config(pg, start_server):
    srv = start_server(["--database", pg.create_database("propolis_noaudit")],
                       config="[server]\naudit_log = false\n")
    with harness.connect(srv.port) as c:
        c.get_all_databases()
        with pytest.raises(harness.T.NoSuchObjectException):
            c.get_database(harness.uniq("nodb"))
    assert audit_lines(srv) == []
