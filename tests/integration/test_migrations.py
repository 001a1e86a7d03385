# tests/integration/test_migrations.py — start-up migrations: two servers started at once
# against one fresh database both come up, and each migration is recorded exactly once.

import harness
from harness import T, connect, psql


def test_two_servers_migrating_one_fresh_database(start_server, pg):
    url = pg.create_database("race")
    a = start_server(["--database", url], wait=False)
    b = start_server(["--database", url], wait=False)
    a.wait_ready()
    b.wait_ready()
    files = harness.migration_files()
    assert files, "no migrations found in " + harness.MIGRATIONS
    assert int(psql(url, "SELECT count(*) FROM schema_migrations")) == len(files)
    # Both serve the same catalog.
    with connect(a.port) as ca, connect(b.port) as cb:
        ca.create_database(T.Database(name="from_a", parameters={}))
        assert cb.get_database("from_a").name == "from_a"
        assert ca.get_all_databases() == cb.get_all_databases() == ["default", "from_a"]


def test_restart_applies_nothing_twice(start_server, pg):
    url = pg.create_database("restart")
    s = start_server(["--database", url])
    with connect(s.port) as c:
        c.create_database(T.Database(name="kept", parameters={}))
    assert s.stop() == 0
    s2 = start_server(["--database", url])
    assert int(psql(url, "SELECT count(*) FROM schema_migrations")) == len(harness.migration_files())
    with connect(s2.port) as c:
        assert c.get_database("kept").name == "kept"
