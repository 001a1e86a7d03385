# tests/integration/test_partition_listing.py — the streamed partition listings (get_partitions,
# _with_auth, _ps, _ps_with_auth, _by_filter) encode Partitions straight from PostgreSQL rows,
# each shared storage descriptor once (server/thrift/partition_encode.c). This proves that a
# Hive client decodes exactly what the document path gives for the same partitions: that path
# (JSON document → c_glib Partition → generated writer) still answers get_partitions_by_names,
# get_partition and get_partitions_req, so every listing is compared with it, over every field
# kind (values, times, descriptor fields, serde, bucket/sort/skew, parameters, privileges, write
# id, stats flag), empty and odd strings, partitions with their own descriptor or none, batch
# boundaries, the descriptor hand-over reset past 256 distinct descriptors, both transports, and
# a caller whose column grant trims each shared descriptor.

import pytest
from thrift.Thrift import TType

import harness
from harness import T, cols, make_sd, make_table

ODD = ["", "caf\u00e9 \u00fc\u00df", "quote\" back\\slash", "tab\tnl\ncr\r", "ctl\x01\x1f", "emoji \U0001F600",
       "json {\"a\": [1]}", "slash/eq=colon:pct%hash#", "\u2028\u2029", "__HIVE_DEFAULT_PARTITION__"]


def skewed_info_read(self, iprot):
    """SkewedInfo.read with list keys as tuples: the generated Python reader cannot hash a list key
    of skewedColValueLocationMaps (map<list<string>,string>), so it could not decode the field."""
    def strings():
        _, n = iprot.readListBegin()
        out = [iprot.readString() for _ in range(n)]
        iprot.readListEnd()
        return out
    iprot.readStructBegin()
    while True:
        _, ftype, fid = iprot.readFieldBegin()
        if ftype == TType.STOP:
            break
        if fid == 1 and ftype == TType.LIST:
            self.skewedColNames = strings()
        elif fid == 2 and ftype == TType.LIST:
            _, n = iprot.readListBegin()
            self.skewedColValues = [strings() for _ in range(n)]
            iprot.readListEnd()
        elif fid == 3 and ftype == TType.MAP:
            _, _, n = iprot.readMapBegin()
            self.skewedColValueLocationMaps = {}
            for _ in range(n):
                key = tuple(strings())
                self.skewedColValueLocationMaps[key] = iprot.readString()
            iprot.readMapEnd()
        else:
            iprot.skip(ftype)
        iprot.readFieldEnd()
    iprot.readStructEnd()


@pytest.fixture(autouse=True)
def tuple_skew_keys(monkeypatch):
    monkeypatch.setattr(T.SkewedInfo, "read", skewed_info_read)


def rich_sd(i):
    """A descriptor with every field set, distinct per i."""
    sd = make_sd(cols(("id", "bigint", "the id %d" % i), ("name", "string"), ("odd", "map<string,int>", ODD[i % len(ODD)])))
    sd.inputFormat = "in.Format%d" % i
    sd.outputFormat = "out.Format"
    sd.compressed = True
    sd.numBuckets = 8
    sd.serdeInfo = T.SerDeInfo(name="s%d" % i, serializationLib="lib", parameters={"a": "1", "b": ODD[i % len(ODD)], "": ""},
                               description="desc", serializerClass="ser", deserializerClass="deser",
                               serdeType=T.SerdeType.SCHEMA_REGISTRY)
    sd.bucketCols = ["id", "name"]
    sd.sortCols = [T.Order(col="id", order=1), T.Order(col="name", order=0)]
    sd.parameters = {"sdk": "v%d" % i, "empty": ""}
    sd.skewedInfo = T.SkewedInfo(skewedColNames=["id"], skewedColValues=[["1"], ["2", "x"]],
                                 skewedColValueLocationMaps={("1",): "file:///skew/1", ("2", "x"): "file:///skew/2"})
    sd.storedAsSubDirectories = True
    return sd


def base_part(db, tbl, values, sd, params=None):
    return T.Partition(values=list(values), dbName=db, tableName=tbl, createTime=0, lastAccessTime=0, sd=sd,
                       parameters=params)


def shapes(db, tbl, tsd):
    """(values, Partition) of every kind the encoder must get right."""
    out = []

    def add(v, **kw):
        sd = kw.pop("sd", "table")
        if sd == "table":
            sd = make_sd(tsd.cols)
            sd.location = kw.pop("location", None)
        out.append(base_part(db, tbl, v, sd, **kw))

    add(["a", "1"])                                                    # the table's layout, default location
    add(["a", "2"], params={"numRows": "10", "COLUMN_STATS_ACCURATE": '{"BASIC_STATS":"true"}'})
    add(["a", "3"], location="file:///elsewhere/a3")                   # own location outside the table
    add(["b", "1"], sd=rich_sd(1))                                     # its own descriptor, every field
    add(["b", "2"], sd=rich_sd(2), params={})
    add(["b", "3"], sd=None)                                           # no descriptor at all
    sd = make_sd(tsd.cols)
    sd.cols = []
    add(["b", "4"], sd=sd)                                             # empty column list
    sd = T.StorageDescriptor(cols=None, compressed=False, numBuckets=0)  # almost nothing set
    add(["b", "5"], sd=sd)
    p = base_part(db, tbl, ["c", "1"], make_sd(tsd.cols), params={"k": "v"})
    p.privileges = T.PrincipalPrivilegeSet(
        userPrivileges={"alice": [T.PrivilegeGrantInfo(privilege="SELECT", createTime=7, grantor="root",
                                                       grantorType=T.PrincipalType.USER, grantOption=True)]},
        groupPrivileges={}, rolePrivileges=None)
    out.append(p)
    p = base_part(db, tbl, ["c", "2"], make_sd(tsd.cols))
    p.writeId, p.isStatsCompliant, p.lastAccessTime = 42, True, 1700000000
    out.append(p)
    p = base_part(db, tbl, ["c", "3"], make_sd(tsd.cols))
    p.writeId, p.isStatsCompliant = 0, False
    out.append(p)
    for i, v in enumerate(ODD):                                        # odd values, keys, parameters
        add(["d", "%d" % (10 + i)], params={v: v, "k%d" % i: v})
        if v:  # an empty value is named like __HIVE_DEFAULT_PARTITION__: one partition, not two
            add([v, "20"], params={"x": v})
    return out


def sort_key(p):
    return p.values


def check_same(c, db, tbl, got, what):
    """got (a streamed listing) equals the document path's answer for the same names."""
    names = c.get_partition_names(db, tbl, -1)
    by_names = {tuple(p.values): p for p in c.get_partitions_by_names(db, tbl, names)}
    assert len(by_names) == len(names)
    assert got, what
    for p in got:
        ref = by_names[tuple(p.values)]
        assert p == ref, "%s: %r\n!=\n%r" % (what, p, ref)


@pytest.fixture
def shaped(bclient, db):
    t = make_table(db, "shapes", partition_keys=cols(("ds", "string"), ("month", "int")))
    bclient.create_table(t)
    t = bclient.get_table(db, "shapes")
    parts = shapes(db, "shapes", t.sd)
    bclient.add_partitions(parts)
    return db, "shapes", parts


@pytest.mark.parametrize("framed", [False, True])
def test_streamed_listings_equal_the_document_path(server, shaped, framed):
    db, tbl, parts = shaped
    c = harness.connect(server.port, framed=framed)
    try:
        allp = c.get_partitions(db, tbl, -1)
        assert len(allp) == len(parts)
        assert [p.values for p in allp] == sorted(p.values for p in parts)
        check_same(c, db, tbl, allp, "get_partitions")
        check_same(c, db, tbl, c.get_partitions(db, tbl, 5), "get_partitions max 5")
        check_same(c, db, tbl, c.get_partitions_with_auth(db, tbl, -1, "u", []), "with_auth")
        check_same(c, db, tbl, c.get_partitions_ps(db, tbl, ["b"], -1), "ps")
        check_same(c, db, tbl, c.get_partitions_ps(db, tbl, ["", "20"], -1), "ps wildcard")
        check_same(c, db, tbl, c.get_partitions_ps_with_auth(db, tbl, ["c"], 2, "u", []), "ps_with_auth")
        check_same(c, db, tbl, c.get_partitions_by_filter(db, tbl, "month < 4 or ds = 'c'", -1), "filter")
        # the handler's collected path (documents) answers the *_req forms: the same again
        req = c.get_partitions_req(T.PartitionsRequest(dbName=db, tblName=tbl)).partitions
        assert sorted(req, key=sort_key) == sorted(allp, key=sort_key)
        # spot checks on what the document path gives, so both cannot be wrong together
        byv = {tuple(p.values): p for p in allp}
        assert byv[("b", "3")].sd is None
        assert byv[("a", "3")].sd.location == "file:///elsewhere/a3"
        assert byv[("b", "1")].sd.skewedInfo.skewedColValueLocationMaps == {("1",): "file:///skew/1",
                                                                           ("2", "x"): "file:///skew/2"}
        assert byv[("b", "1")].sd.serdeInfo.parameters == {"a": "1", "b": ODD[1], "": ""}
        assert byv[("b", "4")].sd.cols == []
        assert byv[("c", "1")].privileges.userPrivileges["alice"][0].grantor == "root"
        assert byv[("c", "2")].writeId == 42 and byv[("c", "2")].isStatsCompliant is True
        assert byv[("c", "2")].lastAccessTime == 1700000000
        for i, v in enumerate(ODD):
            assert byv[("d", "%d" % (10 + i))].parameters[v] == v
            assert not v or byv[(v, "20")].parameters["x"] == v
        assert all(p.catName == "hive" and p.dbName == db and p.tableName == tbl for p in allp)
    finally:
        c.close()


def test_batches_and_many_distinct_descriptors(server, bclient, db):
    # 3,000 partitions in three listing batches of 1,000: the first batch uses descriptors 0..199,
    # the second 200..399 (past 256 the hand-over resets), the third 0..199 again.
    bclient.create_table(make_table(db, "many", partition_keys=cols(("k", "string"))))
    parts = []
    for k in range(3000):
        variant = k % 200 + (200 if 1000 <= k < 2000 else 0)
        sd = make_sd(cols(("id", "bigint", "variant %d" % variant), ("v", "string")))
        if k % 7 == 0:
            sd = make_sd(cols(("id", "bigint")))  # the table's own layout, shared by many
        parts.append(base_part(db, "many", ["p%05d" % k], sd, params={"n": str(k)}))
    for i in range(0, len(parts), 500):
        bclient.add_partitions(parts[i:i + 500])
    c = harness.connect(server.port, timeout_ms=120000)
    try:
        allp = c.get_partitions(db, "many", -1)
        assert [p.values[0] for p in allp] == ["p%05d" % k for k in range(3000)]
        for k in (0, 1, 7, 999, 1000, 1001, 1999, 2000, 2001, 2999):
            exp = 200 + k % 200 if 1000 <= k < 2000 else k % 200
            want = "variant %d" % exp if k % 7 else None
            assert allp[k].sd.cols[0].comment == want, k
        check_same(c, db, "many", allp, "3,000 partitions")
        req = c.get_partitions_req(T.PartitionsRequest(dbName=db, tblName="many")).partitions
        assert req == allp
        tenth = c.get_partitions_by_filter(db, "many", "k < 'p00300'", -1)
        assert tenth == allp[:300]
    finally:
        c.close()


# ---- a caller who sees only some columns: each shared descriptor is trimmed once ----

from test_permissions import World, grant, perm_server  # noqa: E402,F401


def test_column_restricted_caller_gets_trimmed_descriptors(perm_server):
    w = World(perm_server)
    lf = w.client("lakeformation", "admin")
    glue = w.client("glue", "admin")
    # no IAM_ALLOWED_PRINCIPALS grant on new objects: colbob sees only what he is granted
    settings = lf.get_data_lake_settings()["DataLakeSettings"]
    settings["CreateDatabaseDefaultPermissions"] = []
    settings["CreateTableDefaultPermissions"] = []
    lf.put_data_lake_settings(DataLakeSettings=settings)
    w.create_principal("colbob")
    glue.create_database(DatabaseInput={"Name": "plist"})
    columns = [{"Name": "id", "Type": "bigint"}, {"Name": "amount", "Type": "double"},
               {"Name": "secret", "Type": "string"}]
    glue.create_table(DatabaseName="plist", TableInput={
        "Name": "orders", "PartitionKeys": [{"Name": "dt", "Type": "string"}],
        "StorageDescriptor": {"Columns": columns, "Location": "file:///tmp/plist/orders"}})
    admin = w.thrift("admin")
    bob = w.thrift("colbob")
    try:
        t = admin.get_table("plist", "orders")
        parts = []
        for i in range(30):
            sd = make_sd(t.sd.cols)
            if i % 3 == 0:  # a second shared layout, with the secret column first
                sd.cols = [sd.cols[2], sd.cols[0], sd.cols[1]]
            parts.append(base_part("plist", "orders", ["2024-01-%02d" % (i + 1)], sd, params={"i": str(i)}))
        admin.add_partitions(parts)
        grant(lf, w.arns["colbob"], {"TableWithColumns": {"DatabaseName": "plist", "Name": "orders",
                                                          "ColumnNames": ["id", "amount"]}}, ["SELECT"])
        full = admin.get_partitions("plist", "orders", -1)
        assert all(len(p.sd.cols) == 3 for p in full)
        seen = bob.get_partitions("plist", "orders", -1)
        assert len(seen) == 30
        for p in seen:
            assert sorted(c.name for c in p.sd.cols) == ["amount", "id"], p.values
        check_same(bob, "plist", "orders", seen, "trimmed listing")
        check_same(bob, "plist", "orders", bob.get_partitions_by_filter("plist", "orders", "dt > '2024-01-10'", -1),
                   "trimmed filter")
        # untrimmed fields are the admin's
        for p, q in zip(seen, full):
            q.sd.cols = [c for c in q.sd.cols if c.name != "secret"]
            assert p == q
    finally:
        admin.close()
        bob.close()
