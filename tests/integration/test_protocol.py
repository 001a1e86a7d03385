# tests/integration/test_protocol.py — the Thrift door and the network layer: unknown
# methods, both transports on one port, many concurrent clients, garbage and truncated
# input, over-limit messages, and the small fb303/config calls every client makes.

import socket
import struct
import threading
import time

import pytest

from harness import T, TApplicationException, TMessageType, connect, uniq, make_table


def read_until_closed(sock, timeout):
    """Reads until EOF; returns (closed, bytes) — closed is False if still open after timeout."""
    sock.settimeout(0.5)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True, data
        if not chunk:
            return True, data
        data += chunk
    return False, data


def call_bytes(name, args_payload=b"\x00", seqid=7):
    """A strict binary-protocol CALL message: header, name, seqid, then the args struct bytes."""
    nb = name.encode()
    return struct.pack(">I", 0x80010001) + struct.pack(">i", len(nb)) + nb + \
        struct.pack(">i", seqid) + args_payload


def test_unknown_method_gets_unknown_method_and_connection_survives(client):
    name, mtype, seqid, x = client.raw_call("no_such_method_xyz", seqid=42)
    assert mtype == TMessageType.EXCEPTION
    assert name == "no_such_method_xyz"
    assert seqid == 42
    assert x.type == TApplicationException.UNKNOWN_METHOD
    assert x.message == "Invalid method name: 'no_such_method_xyz'"
    # Methods Hive clients probe and Propolis does not serve: same answer (Hive falls back).
    _, mtype, _, x = client.raw_call("get_partitions_spec_by_expr", seqid=43)
    assert mtype == TMessageType.EXCEPTION and x.type == TApplicationException.UNKNOWN_METHOD
    # The same connection still works.
    assert "default" in client.get_all_databases()


def test_fb303_and_config_calls(client):
    assert client.getName()
    assert client.getVersion()
    assert client.getStatus() == 2  # fb_status.ALIVE
    assert 1600000000 < client.aliveSince() <= time.time() + 5
    assert isinstance(client.getCounters(), dict)
    assert client.get_config_value("hive.propolis.no.such.key", "dflt") == "dflt"
    assert isinstance(client.set_ugi("alice", ["staff"]), list)


def test_both_transports_on_one_port(server):
    name = uniq("tp")
    with connect(server.port, framed=True) as f:
        f.create_database(T.Database(name=name, parameters={"via": "framed"}))
    with connect(server.port, framed=False) as b:
        assert b.get_database(name).parameters == {"via": "framed"}
        b.drop_database(name, True, True)
    with connect(server.port, framed=True) as f:
        with pytest.raises(T.NoSuchObjectException):
            f.get_database(name)


def test_fifty_concurrent_clients(server, bclient, db):
    n = 50
    barrier = threading.Barrier(n)
    errors = []

    def work(i):
        try:
            with connect(server.port, framed=(i % 2 == 1)) as c:
                barrier.wait(timeout=60)
                name = "t%02d" % i
                c.create_table(make_table(db, name, params={"who": str(i)}))
                for _ in range(5):
                    t = c.get_table_req(T.GetTableRequest(dbName=db, tblName=name)).table
                    assert t.parameters["who"] == str(i), t.parameters
                assert name in c.get_tables(db, "t%02d" % i)
        except Exception as e:  # collected and asserted in the main thread
            errors.append("client %d: %r" % (i, e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not errors, errors
    assert bclient.get_all_tables(db) == ["t%02d" % i for i in range(n)]


def test_garbage_does_not_disturb_other_connections(server, bclient):
    # A healthy client connects first and stays connected through the abuse.
    assert "default" in bclient.get_all_databases()

    garbage = socket.create_connection(("127.0.0.1", server.port))
    garbage.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(range(256)) * 8)
    truncated = socket.create_connection(("127.0.0.1", server.port))
    full = call_bytes("get_all_databases")
    truncated.sendall(full[: len(full) // 2])  # half a message, then silence
    bad_version = socket.create_connection(("127.0.0.1", server.port))
    bad_version.sendall(struct.pack(">I", 0x80020001) + b"\x00" * 40)

    # The healthy connection keeps being served while the others hang around.
    for _ in range(3):
        assert "default" in bclient.get_all_databases()
    closed, _ = read_until_closed(garbage, 10)
    assert closed, "server should close a connection that sent garbage"
    closed, _ = read_until_closed(bad_version, 10)
    assert closed, "server should close a connection with a bad protocol version"
    truncated.close()
    garbage.close()
    bad_version.close()
    # New connections are still served.
    with connect(server.port) as c:
        assert "default" in c.get_all_databases()
    assert "default" in bclient.get_all_databases()


def test_truncated_message_then_close_is_harmless(server, bclient):
    for cut in (1, 4, 9, 13):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(call_bytes("get_database", b"\x0b\x00\x01\x00\x00\x00\x07default\x00")[:cut])
        s.close()
    assert bclient.get_database("default").name == "default"


def test_huge_declared_frame_is_refused_without_waiting(server, bclient):
    s = socket.create_connection(("127.0.0.1", server.port))
    s.sendall(struct.pack(">i", 0x7FFFFFF0) + b"\x80\x01\x00\x01" + b"x" * 6)
    closed, _ = read_until_closed(s, 10)
    s.close()
    assert closed, "a frame over max_message_size must be refused at once"
    assert "default" in bclient.get_all_databases()


def test_huge_declared_string_is_refused(server, bclient):
    s = socket.create_connection(("127.0.0.1", server.port))
    # get_database(name) whose string field claims 1.9 GB.
    s.sendall(call_bytes("get_database", b"\x0b\x00\x01" + struct.pack(">i", 0x70000000) + b"abc"))
    closed, data = read_until_closed(s, 10)
    s.close()
    assert closed or data, "an over-limit string must get an error or a closed connection"
    assert "default" in bclient.get_all_databases()


def test_over_limit_message_gets_error_and_server_keeps_serving(start_server, pg):
    limit = 1048576
    srv = start_server(["--database", pg.create_database("limits")],
                       config="[limits]\nmax_message_size = %d\n" % limit)
    for framed in (False, True):
        c = connect(srv.port, framed=framed)
        with pytest.raises(Exception) as e:
            c.create_database(T.Database(name=uniq("big"), description="x" * (2 * limit), parameters={}))
        assert not isinstance(e.value, (T.AlreadyExistsException, AssertionError)), e.value
        c.close()
        with connect(srv.port, framed=framed) as ok:
            assert "default" in ok.get_all_databases()
            ok.create_database(T.Database(name=uniq("small"), description="y" * 1000, parameters={}))
    with connect(srv.port) as c:
        names = c.get_all_databases()
    assert not [d for d in names if d.startswith("big_")]
    assert len([d for d in names if d.startswith("small_")]) == 2
