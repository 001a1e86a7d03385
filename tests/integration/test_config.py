# tests/integration/test_config.py — configuration for containers: every key also from the
# environment (PROPOLIS_<SECTION>_<KEY>), precedence flags > env > file > defaults,
# --print-config with secrets masked, and a bad env value as a clear start-up error.

import subprocess

import harness


def run(args, env_extra=None, monkeypatch=None, timeout=30):
    """Runs propolis-server with args (the test's monkeypatched environment applies)."""
    return subprocess.run([harness.PROPOLIS_BIN] + list(args), capture_output=True, text=True, timeout=timeout)


def print_config(args):
    out = run(list(args) + ["--print-config"])
    assert out.returncode == 0, out.stderr
    values = {}
    section = None
    for line in out.stdout.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif " = " in line:
            key, value = line.split(" = ", 1)
            values["%s.%s" % (section, key)] = value
    return values, out.stdout


def test_print_config_shows_every_key_and_defaults():
    values, _ = print_config(["--database", "postgresql://u@h/db"])
    assert values["server.listen"] == "127.0.0.1:9083"
    assert values["server.audit_log"] == "true"
    assert values["limits.max_connections"] == "10000"
    for key in ("data_dir", "database", "warehouse", "catalog", "log_level", "migrations", "http_listen",
                "account_id", "master_key_file", "admin_credentials"):
        assert "server." + key in values, key


def test_env_overrides_file(tmp_path, monkeypatch):
    conf = tmp_path / "propolis.ini"
    conf.write_text("[server]\ncatalog = fromfile\nwarehouse = file:///file\n"
                    "[limits]\nmax_connections = 100\npool_size = 3\n")
    monkeypatch.setenv("PROPOLIS_LIMITS_MAX_CONNECTIONS", "200")
    monkeypatch.setenv("PROPOLIS_SERVER_CATALOG", "fromenv")
    values, _ = print_config(["--config", str(conf), "--database", "postgresql://u@h/db"])
    assert values["limits.max_connections"] == "200"  # env beats the file
    assert values["server.catalog"] == "fromenv"
    assert values["limits.pool_size"] == "3"  # the file beats the default
    assert values["server.warehouse"] == "file:///file"


def test_flag_overrides_env(tmp_path, monkeypatch):
    conf = tmp_path / "propolis.ini"
    conf.write_text("[server]\nwarehouse = file:///file\n")
    monkeypatch.setenv("PROPOLIS_SERVER_WAREHOUSE", "file:///env")
    monkeypatch.setenv("PROPOLIS_SERVER_LISTEN", "127.0.0.1:7001")
    values, _ = print_config(["--config", str(conf), "--database", "postgresql://u@h/db",
                              "--warehouse", "file:///flag"])
    assert values["server.warehouse"] == "file:///flag"
    assert values["server.listen"] == "127.0.0.1:7001"


def test_bad_env_value_is_a_clear_startup_error(monkeypatch):
    monkeypatch.setenv("PROPOLIS_LIMITS_MAX_CONNECTIONS", "lots")
    out = run(["--database", "postgresql://u@h/db"])
    assert out.returncode == 2
    assert "PROPOLIS_LIMITS_MAX_CONNECTIONS" in out.stderr
    assert "must be an integer" in out.stderr


def test_out_of_range_and_unknown_env_are_errors(monkeypatch):
    monkeypatch.setenv("PROPOLIS_LIMITS_POOL_SIZE", "0")
    out = run(["--database", "postgresql://u@h/db"])
    assert out.returncode == 2 and "PROPOLIS_LIMITS_POOL_SIZE" in out.stderr
    monkeypatch.delenv("PROPOLIS_LIMITS_POOL_SIZE")
    monkeypatch.setenv("PROPOLIS_SERVER_DATABSE", "postgresql://u@h/db")  # a typo must not pass silently
    out = run(["--database", "postgresql://u@h/db"])
    assert out.returncode == 2 and "PROPOLIS_SERVER_DATABSE" in out.stderr
    monkeypatch.delenv("PROPOLIS_SERVER_DATABSE")
    monkeypatch.setenv("PROPOLIS_SERVER_AUDIT_LOG", "maybe")
    out = run(["--database", "postgresql://u@h/db"])
    assert out.returncode == 2 and "PROPOLIS_SERVER_AUDIT_LOG" in out.stderr


def test_print_config_masks_the_password(monkeypatch):
    values, text = print_config(["--database", "postgresql://user:secret@host/db"])
    assert "secret" not in text
    assert values["server.database"] == "postgresql://user:****@host/db"
    monkeypatch.setenv("PROPOLIS_SERVER_DATABASE", "host=h dbname=d user=u password=hunter2 sslmode=disable")
    values, text = print_config([])
    assert "hunter2" not in text
    assert values["server.database"] == "host=h dbname=d user=u password=**** sslmode=disable"
    values, text = print_config(["--database", "postgresql://u@h/db?password=s3cr3t&sslmode=disable"])
    assert "s3cr3t" not in text and "sslmode=disable" in text


def test_server_runs_from_env_alone(pg, start_server, monkeypatch):
    """A container passes everything by env: the database URL and a limit, no flags for them."""
    monkeypatch.setenv("PROPOLIS_SERVER_DATABASE", pg.create_database("propolis_envcfg"))
    monkeypatch.setenv("PROPOLIS_LIMITS_MAX_CONNECTIONS", "50")
    srv = start_server([])
    with harness.connect(srv.port) as c:
        assert "default" in c.get_all_databases()


def test_embedded_warehouse_follows_the_data_dir(tmp_path, monkeypatch):
    """issue 17: ./run.sh with DATA_DIR elsewhere keeps the warehouse under DATA_DIR (beside pgdata/)."""
    monkeypatch.delenv("PROPOLIS_SERVER_WAREHOUSE", raising=False)
    data = tmp_path / "data"
    values, _ = print_config(["--data-dir", str(data)])
    assert values["server.warehouse"] == "file://%s/warehouse" % data
    values, _ = print_config(["--data-dir", str(tmp_path / "rel" / ".." / "data2")])
    assert values["server.warehouse"] == "file://%s/warehouse" % (tmp_path / "data2")
    # a warehouse given anywhere wins, even one equal to the old default
    values, _ = print_config(["--data-dir", str(data), "--warehouse", "file:///var/lib/propolis/warehouse"])
    assert values["server.warehouse"] == "file:///var/lib/propolis/warehouse"
    monkeypatch.setenv("PROPOLIS_SERVER_WAREHOUSE", "s3a://bucket/wh")
    values, _ = print_config(["--data-dir", str(data)])
    assert values["server.warehouse"] == "s3a://bucket/wh"
    monkeypatch.delenv("PROPOLIS_SERVER_WAREHOUSE")
    # external PostgreSQL: the default stays
    values, _ = print_config(["--database", "postgresql://u@h/db"])
    assert values["server.warehouse"] == "file:///var/lib/propolis/warehouse"
