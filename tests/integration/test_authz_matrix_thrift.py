# tests/integration/test_authz_matrix_thrift.py — the Thrift half of the permission matrix,
# generated from the authorization table (server/authz/methods.c, `propolis-server
# --print-authz-table`).
#
# Every Thrift row of the table runs as (a) a data lake administrator, (b) a principal holding
# exactly what the row needs (PERM: that permission on that resource; VISIBLE: DESCRIBE on it;
# LIST: DESCRIBE on one table; SELF: the principal owns the lock or transaction; PUBLIC:
# nothing), (c) a principal holding only SELECT on columns id, name of t1 and t3 (and of every
# fresh table a call acts on), (d) a principal holding nothing, and, for rows that set a location
# under a registered one, (e) the row's permission without DATA_LOCATION_ACCESS. Each answer must
# be allowed or denied as the row says (denied: an exception whose message says "Insufficient
# Lake Formation permission" or AccessDenied), a refused call must leave the fresh objects it
# named as they were, and every successful read by (c) must not name a hidden
# column (ssn_secret, salary_secret) anywhere in its reply; a LIST row must show the
# administrator the listed object and (d) nothing of it.
#
# Setup is issue 15's: LF-only (defaults closed, IAM_ALLOWED_PRINCIPALS may create nothing),
# t1(id, name, ssn_secret, salary_secret; partition key ds) with statistics on id and ssn_secret,
# one partition, t3 with a primary key on ssn_secret, then an alter_table. Calls that change
# things act on fresh objects made by the administrator for that one run. A row without a
# builder below fails the test: a new method needs a builder.

import json
import subprocess
import sys

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")

import harness  # noqa: E402
from harness import T  # noqa: E402
from thrift.Thrift import TApplicationException  # noqa: E402
from thrift.transport.TTransport import TTransportException  # noqa: E402
from test_permissions import World  # noqa: E402

DB = "authzmx"
T1, T3, F1 = "t1", "t3", "f1"
HIDDEN = ("ssn_secret", "salary_secret")
VISIBLE_COLS = ["id", "name"]
REG_ARN = "arn:aws:s3:::authzmx-reg"
REG_LOC = "s3://authzmx-reg"
OWNER = "mxowner"
OWNER_HOST = "authzmx-owner-host"
PK = [T.FieldSchema(name="ds", type="string")]
COLS = harness.cols(("id", "bigint"), ("name", "string"), ("ssn_secret", "string"), ("salary_secret", "double"))
ENV = T.EnvironmentContext(properties={})


def authz_rows():
    """The authorization table as printed by the server binary."""
    out = subprocess.run([harness.PROPOLIS_BIN, "--print-authz-table"], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


# ---- objects ----

def table_obj(name, location=None, db=DB):
    return harness.make_table(db, name, partition_keys=list(PK), columns=list(COLS),
                              location=location or "file:///tmp/authzmx/%s/%s" % (db, name), owner="admin")


def part_obj(table, value, location=None):
    location = location or "file:///tmp/authzmx/%s/%s/ds=%s" % (DB, table, value)
    return T.Partition(values=[value], dbName=DB, tableName=table, createTime=0, lastAccessTime=0,
                       sd=harness.make_sd(list(COLS), location),
                       parameters={}, catName="hive")


def stats_obj(col):
    if col == "id":
        data = T.ColumnStatisticsData(longStats=T.LongColumnStatsData(lowValue=1, highValue=9, numNulls=0, numDVs=3))
        return T.ColumnStatisticsObj(colName=col, colType="bigint", statsData=data)
    data = T.ColumnStatisticsData(stringStats=T.StringColumnStatsData(maxColLen=11, avgColLen=11.0, numNulls=0,
                                                                      numDVs=3))
    return T.ColumnStatisticsObj(colName=col, colType="string", statsData=data)


def col_stats(table, part=None, cols=("id", "ssn_secret")):
    desc = T.ColumnStatisticsDesc(isTblLevel=part is None, dbName=DB, tableName=table, partName=part)
    return T.ColumnStatistics(statsDesc=desc, statsObj=[stats_obj(c) for c in cols], engine="hive")


def func_obj(name, cls="com.example.Upper"):
    return T.Function(functionName=name, dbName=DB, className=cls, ownerName="admin", ownerType=T.PrincipalType.USER,
                      createTime=0, functionType=T.FunctionType.JAVA, resourceUris=[], catName="hive")


def db_obj(name, location=None):
    return T.Database(name=name, description="d", locationUri=location or "file:///tmp/authzmx/db/" + name,
                      parameters={})


def shared_read(db=DB, table=T1):
    return T.LockComponent(type=T.LockType.SHARED_READ, level=T.LockLevel.TABLE, dbname=db, tablename=table,
                           operationType=T.DataOperationType.SELECT)


def shared_write(db, table):
    return T.LockComponent(type=T.LockType.SHARED_WRITE, level=T.LockLevel.TABLE, dbname=db, tablename=table,
                           operationType=T.DataOperationType.UPDATE)


# ---- the world ----

@pytest.fixture(scope="module")
def mx_server(pg, tmp_path_factory):
    """A server with a trust-ugi Thrift listener and the HTTP door (Lake Formation, Propolis.*)."""
    yield from harness.lf_server(pg, tmp_path_factory, "authzmx")


class Matrix:
    """The server, the admin's clients, lazily created principals and memoized grants."""

    def __init__(self, srv):
        self.world = World(srv)
        self.lf = self.world.client("lakeformation", "admin")
        self.clients = {}
        self.granted = set()

    def client(self, who):
        if who not in self.clients:
            self.clients[who] = self.world.thrift(who)
        return self.clients[who]

    def drop_client(self, who):
        c = self.clients.pop(who, None)
        if c is not None:
            c.close()

    @property
    def admin(self):
        return self.client("admin")

    def principal(self, name):
        if name not in self.world.keys:
            self.world.create_principal(name)
        return name

    def grant(self, who, resource, perms):
        key = (who, json.dumps(resource, sort_keys=True), tuple(perms))
        if key in self.granted or not perms:
            return
        self.lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": self.world.arns[who]},
                                  Resource=resource, Permissions=list(perms))
        self.granted.add(key)


@pytest.fixture(scope="module")
def mx(mx_server):
    m = Matrix(mx_server)
    lf = m.lf
    harness.lf_close_defaults(lf)
    lf.register_resource(ResourceArn=REG_ARN, UseServiceLinkedRole=True)
    for name in ("colsel", "nobody", OWNER):
        m.principal(name)

    a = m.admin
    a.create_database(db_obj(DB, "file:///tmp/authzmx"))
    a.create_table(table_obj(T1))
    a.add_partition(part_obj(T1, "1"))
    a.update_table_column_statistics(col_stats(T1))
    a.update_partition_column_statistics(col_stats(T1, "ds=1"))
    pk = T.SQLPrimaryKey(table_db=DB, table_name=T3, column_name="ssn_secret", key_seq=1, pk_name="t3_pk",
                         enable_cstr=True, validate_cstr=False, rely_cstr=False, catName="hive")
    a.create_table_with_constraints(table_obj(T3), [pk], [], [], [], [], [])
    t = a.get_table(DB, T1)
    t.parameters["comment"] = "altered once"
    a.alter_table(DB, T1, t)
    a.create_function(func_obj(F1))
    for tbl in (T1, T3):
        m.grant("colsel", {"TableWithColumns": {"DatabaseName": DB, "Name": tbl, "ColumnNames": VISIBLE_COLS}},
                ["SELECT"])
    # Someone else's lock, transaction and compaction, for the SELF and LIST rows.
    m.grant(OWNER, {"Table": {"DatabaseName": DB, "Name": T1}}, ["INSERT"])
    o = m.client(OWNER)
    o.lock(T.LockRequest(component=[shared_read()], user=OWNER, hostname=OWNER_HOST))
    o.open_txns(T.OpenTxnRequest(num_txns=1, user=OWNER, hostname=OWNER_HOST))
    a.compact2(T.CompactionRequest(dbname=DB, tablename=T1, type=T.CompactionType.MINOR))
    return m


# ---- one run: a row as one principal ----

class Run:
    """What a builder sees: the row, the role, the principal, and helpers that make objects and
    give the role's grant on what the call touches."""

    def __init__(self, m, row, role):
        self.m, self.row, self.role = m, row, role
        self.cleanup = []
        self.watched = []  # functions reading (as admin) the fresh objects a denied call must leave as they were
        method = row["method"].lower()
        self.who = {"admin": "admin", "colsel": "colsel", "nobody": "nobody"}.get(role)
        if role == "needed" and row["rule"] == "admin":
            self.who = "admin"  # what an ADMIN row needs is to be a data lake administrator
        elif role == "needed":
            self.who = m.principal("n_" + method)
        elif role == "noloc":
            self.who = m.principal("l_" + method)

    @property
    def a(self):
        return self.m.admin

    @property
    def me(self):
        return self.m.client(self.who)

    def _gets_row_grant(self):
        return self.role in ("needed", "noloc")

    def _perm(self):
        if self.row["rule"] in ("visible", "list", "self"):
            return ["DESCRIBE"]
        return self.row["perms"][:1]

    def catalog(self):
        if self._gets_row_grant() and self.row["on"] == "catalog":
            self.m.grant(self.who, {"Catalog": {}}, self._perm())

    def db(self, name=DB):
        """The database the call names; the row's grant on it when the row is about a database or function."""
        if self._gets_row_grant() and self.row["on"] in ("database", "function"):
            self.m.grant(self.who, {"Database": {"Name": name}}, self._perm())
        return name

    def tbl(self, name=T1):
        """The table the call names; the role's grant on it."""
        if self._gets_row_grant() and (self.row["on"] == "table" or self.row["rule"] in ("list", "self")):
            self.m.grant(self.who, {"Table": {"DatabaseName": DB, "Name": name}}, self._perm())
        if self.role == "colsel":
            self.m.grant(self.who, {"TableWithColumns": {"DatabaseName": DB, "Name": name,
                                                         "ColumnNames": VISIBLE_COLS}}, ["SELECT"])
        return name

    def loc(self, what):
        """A location the call sets: under the registered location for rows that say so."""
        if not self.row["location"]:
            return None
        if self.role == "needed":
            self.m.grant(self.who, {"DataLocation": {"ResourceArn": REG_ARN}}, ["DATA_LOCATION_ACCESS"])
        return "%s/%s" % (REG_LOC, harness.uniq(what))

    def fresh_table(self, partition=True, stats=False, external=False):
        name = harness.uniq("ft")
        t = table_obj(name)
        if external:  # a rename keeps an external table's partition where the caller says
            t.tableType = "EXTERNAL_TABLE"
            t.parameters = dict(t.parameters or {}, EXTERNAL="TRUE")
        self.a.create_table(t)
        if partition:
            self.a.add_partition(part_obj(name, "1"))
        if stats:
            self.a.update_table_column_statistics(col_stats(name))
            self.a.update_partition_column_statistics(col_stats(name, "ds=1"))
        self.watched.append(lambda: (self.a.get_table(DB, name), self.a.get_partitions(DB, name, -1),
                                     self.a.get_table_statistics_req(T.TableStatsRequest(
                                         dbName=DB, tblName=name, colNames=["id", "ssn_secret"], engine="hive"))))
        return self.tbl(name)

    def fresh_db(self):
        name = harness.uniq("fdb")
        self.a.create_database(db_obj(name))
        self.watched.append(lambda: self.a.get_database(name))
        return self.db(name)

    def fresh_function(self):
        name = harness.uniq("ff")
        self.a.create_function(func_obj(name))
        self.watched.append(lambda: self.a.get_function(DB, name))
        self.db()
        return name

    def _subject_owner(self):
        """SELF rows: the role 'needed' acts on its own object, everyone else on the owner's."""
        return self.who if self.role == "needed" else OWNER

    def subject_lock(self):
        owner = self._subject_owner()
        if owner == self.who:
            self.tbl(T1)
        lk = self.m.client(owner).lock(T.LockRequest(component=[shared_read()], user=owner, hostname="h"))
        self.cleanup.append(lambda: self.a.unlock(T.UnlockRequest(lockid=lk.lockid)))
        return lk.lockid

    def subject_txn(self):
        return self.open_txn(self._subject_owner())

    def open_txn(self, who):
        txn = self.m.client(who).open_txns(T.OpenTxnRequest(num_txns=1, user=who, hostname="h")).txn_ids[0]
        self.cleanup.append(lambda: self.a.abort_txn(T.AbortTxnRequest(txnid=txn)))
        return txn


# ---- builders: method → function(Run) returning the call (a function of the client) ----

def _fixed(fn):
    return lambda r: fn


def _t1_read(fn):
    """A read of t1 (or t3 for constraints): fn(client, db, table)."""
    def build(r, table=T1):
        db, t = DB, r.tbl(table)
        return lambda c: fn(c, db, t)
    return build


def _t3_read(fn):
    def build(r):
        db, t = DB, r.tbl(T3)
        return lambda c: fn(c, db, t)
    return build


def _db_read(fn):
    def build(r):
        db = r.db()
        return lambda c: fn(c, db)
    return build


def _list(fn, table=T1):
    def build(r):
        r.tbl(table)
        return fn
    return build


def _create_table(fn):
    def build(r):
        db = r.db()
        t = table_obj(harness.uniq("ct"), location=r.loc("ct"), db=db)
        return lambda c: fn(c, t)
    return build


def _alter_table(fn):
    def build(r):
        name = r.fresh_table(partition=False)
        t = r.a.get_table(DB, name)
        t.parameters["comment"] = "altered"
        t.sd.location = r.loc("at") or t.sd.location
        return lambda c: fn(c, DB, name, t)
    return build


def _fresh_table_op(fn, **kw):
    def build(r):
        name = r.fresh_table(**kw)
        return lambda c: fn(c, DB, name)
    return build


def _add_partition(fn):
    def build(r):
        name = r.fresh_table(partition=False)
        p = part_obj(name, "7", r.loc("ap"))
        return lambda c: fn(c, DB, name, p)
    return build


def _alter_partition(fn):
    def build(r):
        name = r.fresh_table()
        p = part_obj(name, "1", r.loc("alp"))
        p.parameters = {"touched": "yes"}
        return lambda c: fn(c, DB, name, p)
    return build


def _rename_partition(fn):
    def build(r):
        # a managed table's renamed partition moves under the table, wherever the request points:
        # only an external table's rename sets the new location the request names
        name = r.fresh_table(external=True)
        p = part_obj(name, "2", r.loc("rp"))
        return lambda c: fn(c, DB, name, p)
    return build


def _fresh_db_op(fn):
    def build(r):
        name = r.fresh_db()
        return lambda c: fn(c, name)
    return build


def _own_lock(fn):
    def build(r):
        lockid = r.subject_lock()
        return lambda c: fn(c, lockid)
    return build


def _own_txn(fn):
    def build(r):
        txn = r.subject_txn()
        return lambda c: fn(c, txn)
    return build


def b_get_delegation_token(r):
    """A token owned by the caller (admin, needed); others ask for one owned by OWNER (impersonation,
    which no proxy_users entry allows here)."""
    owner = r.who if r.role in ("admin", "needed") else OWNER
    return lambda c: c.get_delegation_token(owner, owner)


def _own_token(fn, admin_overrides):
    """A token whose owner and renewer is the caller ('needed'; 'admin' too when only the renewer may
    act, as for renew) or OWNER (everyone else)."""
    def build(r):
        owner = r.who if r.role == "needed" or (r.role == "admin" and not admin_overrides) else OWNER
        tok = r.m.client(owner).get_delegation_token(owner, owner)
        return lambda c: fn(c, tok)
    return build


def b_create_database(r):
    r.catalog()
    d = db_obj(harness.uniq("cdb"), r.loc("cdb"))
    return lambda c: c.create_database(d)


def b_alter_database(r):
    name = r.fresh_db()
    d = db_obj(name, r.loc("adb"))
    d.description = "changed"
    return lambda c: c.alter_database(name, d)


def b_create_function(r):
    db = r.db()
    f = func_obj(harness.uniq("cf"))
    f.dbName = db
    return lambda c: c.create_function(f)


def b_alter_function(r):
    name = r.fresh_function()
    f = func_obj(name, "com.example.Lower")
    return lambda c: c.alter_function(DB, name, f)


def b_drop_function(r):
    name = r.fresh_function()
    return lambda c: c.drop_function(DB, name)


def b_lock(r):
    name = r.fresh_table(partition=False)
    box = {}

    def call(c):
        # Iceberg HiveCatalog's commit lock: EXCLUSIVE on the table, operationType left UNSET
        comp = T.LockComponent(type=T.LockType.EXCLUSIVE, level=T.LockLevel.TABLE, dbname=DB, tablename=name,
                               operationType=T.DataOperationType.UNSET)
        box["lock"] = c.lock(T.LockRequest(component=[comp], user=r.who, hostname="h"))
        return box["lock"]
    r.cleanup.append(lambda: box and r.a.unlock(T.UnlockRequest(lockid=box["lock"].lockid)))
    return call


def b_open_txns(r):
    box = {}

    def call(c):
        box["ids"] = c.open_txns(T.OpenTxnRequest(num_txns=1, user=r.who, hostname="h")).txn_ids
        return box["ids"]
    r.cleanup.append(lambda: box and r.a.abort_txns(T.AbortTxnsRequest(txn_ids=box["ids"])))
    return call


def b_allocate_write_ids(r):
    t = r.tbl(T1)
    txn = r.open_txn(r.who)
    return lambda c: c.allocate_table_write_ids(T.AllocateTableWriteIdsRequest(dbName=DB, tableName=t, txnIds=[txn]))


def b_add_dynamic_partitions(r):
    t = r.tbl(T1)
    txn = r.open_txn(r.who)
    wid = r.a.allocate_table_write_ids(
        T.AllocateTableWriteIdsRequest(dbName=DB, tableName=t, txnIds=[txn])).txnToWriteIds[0].writeId
    req = T.AddDynamicPartitions(txnid=txn, writeid=wid, dbname=DB, tablename=t, partitionnames=["ds=1"],
                                 operationType=T.DataOperationType.INSERT)
    return lambda c: c.add_dynamic_partitions(req)


def b_fire_listener_event(r):
    t = r.tbl(T1)
    req = T.FireEventRequest(successful=True, dbName=DB, tableName=t, data=T.FireEventRequestData(
        insertData=T.InsertEventRequestData(replace=False, filesAdded=["file:///tmp/authzmx/f1"])))
    return lambda c: c.fire_listener_event(req)


def b_set_ugi(r):
    who = r.who
    return lambda c: c.set_ugi(who, [])


def b_update_stats_req(part):
    def build(r):
        name = r.fresh_table()
        req = T.SetPartitionsStatsRequest(colStats=[col_stats(name, "ds=1" if part else None, ("id",))],
                                          engine="hive")
        return lambda c: c.update_partition_column_statistics_req(req) if part else \
            c.update_table_column_statistics_req(req)
    return build


# ---- issue 17: request-style twins and Hive 3+ catalogs ----

def b_create_database_req(r):
    r.catalog()
    req = T.CreateDatabaseRequest(databaseName=harness.uniq("cdbr"), description="d", locationUri=r.loc("cdbr"),
                                  parameters={})
    return lambda c: c.create_database_req(req)


def b_alter_database_req(r):
    name = r.fresh_db()
    d = db_obj(name, r.loc("adbr"))
    d.description = "changed"
    return lambda c: c.alter_database_req(T.AlterDatabaseRequest(oldDbName=name, newDb=d))


def _fresh_catalog(r):
    name = harness.uniq("fcat")
    r.a.create_catalog(T.CreateCatalogRequest(catalog=T.Catalog(name=name, locationUri="file:///tmp/authzmx/" + name)))
    r.watched.append(lambda: r.a.get_catalog(T.GetCatalogRequest(name=name)))
    r.cleanup.append(lambda: r.a.drop_catalog(T.DropCatalogRequest(name=name)))
    return name


def b_create_catalog(r):
    name = harness.uniq("ccat")
    r.cleanup.append(lambda: r.a.drop_catalog(T.DropCatalogRequest(name=name)))
    cat = T.Catalog(name=name, description="c", locationUri="file:///tmp/authzmx/" + name)
    return lambda c: c.create_catalog(T.CreateCatalogRequest(catalog=cat))


def b_alter_catalog(r):
    name = _fresh_catalog(r)
    cat = T.Catalog(name=name, description="changed", locationUri="file:///tmp/authzmx/" + name)
    return lambda c: c.alter_catalog(T.AlterCatalogRequest(name=name, newCat=cat))


def b_drop_catalog(r):
    name = _fresh_catalog(r)
    return lambda c: c.drop_catalog(T.DropCatalogRequest(name=name))


ISSUE17_BUILDERS = {
    "create_database_req": b_create_database_req,
    "alter_database_req": b_alter_database_req,
    "drop_table_req": _fresh_table_op(lambda c, db, n: c.drop_table_req(
        T.DropTableRequest(dbName=db, tableName=n, deleteData=False)), partition=False),
    "truncate_table_req": _fresh_table_op(lambda c, db, n: c.truncate_table_req(
        T.TruncateTableRequest(dbName=db, tableName=n)), partition=False),
    "get_fields_req": _t1_read(lambda c, db, t: c.get_fields_req(T.GetFieldsRequest(dbName=db, tblName=t))),
    "get_schema_req": _t1_read(lambda c, db, t: c.get_schema_req(T.GetSchemaRequest(dbName=db, tblName=t))),
    "append_partition_req": _fresh_table_op(lambda c, db, t: c.append_partition_req(
        T.AppendPartitionsRequest(dbName=db, tableName=t, partVals=["2"]))),
    "get_partition_names_req": _t1_read(lambda c, db, t: c.get_partition_names_req(
        T.PartitionsByExprRequest(dbName=db, tblName=t, expr=b""))),
    "create_catalog": b_create_catalog,
    "alter_catalog": b_alter_catalog,
    "drop_catalog": b_drop_catalog,
    "get_catalog": _fixed(lambda c: c.get_catalog(T.GetCatalogRequest(name="hive"))),
    "get_catalogs": _fixed(lambda c: c.get_catalogs()),
    "get_metastore_db_uuid": _fixed(lambda c: c.get_metastore_db_uuid()),
    "flushCache": _fixed(lambda c: c.flushCache()),
    "get_tables_ext": _db_read(lambda c, db: c.get_tables_ext(T.GetTablesExtRequest(
        catalog="hive", database=db, tableNamePattern="*", requestedFields=1))),
    "get_open_txns_req": _fixed(lambda c: c.get_open_txns_req(T.GetOpenTxnsRequest())),
    "get_partitions_with_specs": _t1_read(lambda c, db, t: c.get_partitions_with_specs(T.GetPartitionsRequest(
        dbName=db, tblName=t, projectionSpec=T.GetProjectionsSpec(fieldList=[]),
        filterSpec=T.GetPartitionsFilterSpec()))),
    # issue 17: Hive 4.2's request twins of get_databases, get_functions, delete_*_column_statistics
    "get_databases_req": _list(lambda c: c.get_databases_req(T.GetDatabaseObjectsRequest(pattern="*"))),
    "get_functions_req": _list(lambda c: c.get_functions_req(
        T.GetFunctionsRequest(dbName=DB, pattern="*", returnNames=False))),
    "delete_column_statistics_req": _fresh_table_op(lambda c, db, t: c.delete_column_statistics_req(
        T.DeleteColumnStatisticsRequest(db_name=db, tbl_name=t, part_names=["ds=1"], col_names=["id"],
                                        engine="hive", tableLevel=False)), stats=True),
}


PS = T.PartitionsStatsRequest
NOT_SUPPORTED = "not supported"

BUILDERS = {
    # fb303, configuration, identity
    "getName": _fixed(lambda c: c.getName()),
    "getVersion": _fixed(lambda c: c.getVersion()),
    "getStatus": _fixed(lambda c: c.getStatus()),
    "getStatusDetails": _fixed(lambda c: c.getStatusDetails()),
    "aliveSince": _fixed(lambda c: c.aliveSince()),
    "getCounters": _fixed(lambda c: c.getCounters()),
    "getCounter": _fixed(lambda c: c.getCounter("x")),
    "getCpuProfile": _fixed(lambda c: c.getCpuProfile(1)),
    "reinitialize": _fixed(lambda c: c.reinitialize()),
    "shutdown": _fixed(lambda c: c.shutdown()),
    "setOption": _fixed(lambda c: c.setOption("k", "v")),
    "getOption": _fixed(lambda c: c.getOption("k")),
    "getOptions": _fixed(lambda c: c.getOptions()),
    "getMetaConf": _fixed(lambda c: c.getMetaConf("hive.metastore.batch.retrieve.max")),
    "setMetaConf": _fixed(lambda c: c.setMetaConf("hive.metastore.batch.retrieve.max", "300")),
    "get_config_value": _fixed(lambda c: c.get_config_value("hive.metastore.warehouse.dir", "x")),
    "set_ugi": b_set_ugi,
    # databases
    "create_database": b_create_database,
    "get_database": _db_read(lambda c, db: c.get_database(db)),
    "get_database_req": _db_read(lambda c, db: c.get_database_req(T.GetDatabaseRequest(name=db))),
    "get_databases": _list(lambda c: c.get_databases("*")),
    "get_all_databases": _list(lambda c: c.get_all_databases()),
    "alter_database": b_alter_database,
    "drop_database": _fresh_db_op(lambda c, d: c.drop_database(d, False, False)),
    "drop_database_req": _fresh_db_op(lambda c, d: c.drop_database_req(
        T.DropDatabaseRequest(name=d, ignoreUnknownDb=False, deleteData=False, cascade=False))),
    # tables
    "create_table": _create_table(lambda c, t: c.create_table(t)),
    "create_table_with_environment_context": _create_table(
        lambda c, t: c.create_table_with_environment_context(t, ENV)),
    "create_table_req": _create_table(lambda c, t: c.create_table_req(T.CreateTableRequest(table=t))),
    "create_table_with_constraints": _create_table(
        lambda c, t: c.create_table_with_constraints(t, [], [], [], [], [], [])),
    "get_table": _t1_read(lambda c, db, t: c.get_table(db, t)),
    "get_table_req": _t1_read(lambda c, db, t: c.get_table_req(T.GetTableRequest(dbName=db, tblName=t))),
    "get_table_objects_by_name": _db_read(lambda c, db: c.get_table_objects_by_name(db, [T1, T3])),
    "get_table_objects_by_name_req": _db_read(lambda c, db: c.get_table_objects_by_name_req(
        T.GetTablesRequest(dbName=db, tblNames=[T1, T3], catName="hive"))),
    "get_tables": _db_read(lambda c, db: c.get_tables(db, "*")),
    "get_tables_by_type": _db_read(lambda c, db: c.get_tables_by_type(db, "*", "MANAGED_TABLE")),
    "get_all_tables": _db_read(lambda c, db: c.get_all_tables(db)),
    "get_table_meta": _list(lambda c: c.get_table_meta(DB, "*", [])),
    "get_table_names_by_filter": _db_read(lambda c, db: c.get_table_names_by_filter(
        db, 'hive_filter_field_tableName__ like "(?i)T.*"', -1)),
    "alter_table": _alter_table(lambda c, db, n, t: c.alter_table(db, n, t)),
    "alter_table_with_environment_context": _alter_table(
        lambda c, db, n, t: c.alter_table_with_environment_context(db, n, t, ENV)),
    "alter_table_with_cascade": _alter_table(lambda c, db, n, t: c.alter_table_with_cascade(db, n, t, False)),
    "alter_table_req": _alter_table(lambda c, db, n, t: c.alter_table_req(
        T.AlterTableRequest(dbName=db, tableName=n, table=t, catName="hive"))),
    "drop_table": _fresh_table_op(lambda c, db, n: c.drop_table(db, n, False), partition=False),
    "drop_table_with_environment_context": _fresh_table_op(
        lambda c, db, n: c.drop_table_with_environment_context(db, n, False, ENV), partition=False),
    "truncate_table": _fresh_table_op(lambda c, db, n: c.truncate_table(db, n, None), partition=False),
    "get_fields": _t1_read(lambda c, db, t: c.get_fields(db, t)),
    "get_fields_with_environment_context": _t1_read(lambda c, db, t: c.get_fields_with_environment_context(db, t, ENV)),
    "get_schema": _t1_read(lambda c, db, t: c.get_schema(db, t)),
    "get_schema_with_environment_context": _t1_read(lambda c, db, t: c.get_schema_with_environment_context(db, t, ENV)),
    "get_primary_keys": _t3_read(lambda c, db, t: c.get_primary_keys(T.PrimaryKeysRequest(db_name=db, tbl_name=t))),
    "get_foreign_keys": _t3_read(lambda c, db, t: c.get_foreign_keys(
        T.ForeignKeysRequest(foreign_db_name=db, foreign_tbl_name=t))),
    "get_unique_constraints": _t3_read(lambda c, db, t: c.get_unique_constraints(
        T.UniqueConstraintsRequest(catName="hive", db_name=db, tbl_name=t))),
    "get_not_null_constraints": _t3_read(lambda c, db, t: c.get_not_null_constraints(
        T.NotNullConstraintsRequest(catName="hive", db_name=db, tbl_name=t))),
    "get_default_constraints": _t3_read(lambda c, db, t: c.get_default_constraints(
        T.DefaultConstraintsRequest(catName="hive", db_name=db, tbl_name=t))),
    "get_check_constraints": _t3_read(lambda c, db, t: c.get_check_constraints(
        T.CheckConstraintsRequest(catName="hive", db_name=db, tbl_name=t))),
    "get_all_table_constraints": _t3_read(lambda c, db, t: c.get_all_table_constraints(
        T.AllTableConstraintsRequest(dbName=db, tblName=t, catName="hive"))),
    # functions
    "create_function": b_create_function,
    "get_function": _db_read(lambda c, db: c.get_function(db, F1)),
    "get_functions": _list(lambda c: c.get_functions(DB, "*")),
    "alter_function": b_alter_function,
    "drop_function": b_drop_function,
    "get_all_functions": _list(lambda c: c.get_all_functions()),
    # partitions
    "add_partition": _add_partition(lambda c, db, t, p: c.add_partition(p)),
    "add_partition_with_environment_context": _add_partition(
        lambda c, db, t, p: c.add_partition_with_environment_context(p, ENV)),
    "add_partitions": _add_partition(lambda c, db, t, p: c.add_partitions([p])),
    "add_partitions_req": _add_partition(lambda c, db, t, p: c.add_partitions_req(
        T.AddPartitionsRequest(dbName=db, tblName=t, parts=[p], ifNotExists=False, needResult=True))),
    "append_partition": _fresh_table_op(lambda c, db, t: c.append_partition(db, t, ["2"])),
    "append_partition_by_name": _fresh_table_op(lambda c, db, t: c.append_partition_by_name(db, t, "ds=2")),
    "append_partition_with_environment_context": _fresh_table_op(
        lambda c, db, t: c.append_partition_with_environment_context(db, t, ["2"], ENV)),
    "append_partition_by_name_with_environment_context": _fresh_table_op(
        lambda c, db, t: c.append_partition_by_name_with_environment_context(db, t, "ds=2", ENV)),
    "get_partition": _t1_read(lambda c, db, t: c.get_partition(db, t, ["1"])),
    "get_partition_by_name": _t1_read(lambda c, db, t: c.get_partition_by_name(db, t, "ds=1")),
    "get_partition_with_auth": _t1_read(lambda c, db, t: c.get_partition_with_auth(db, t, ["1"], "u", [])),
    "get_partition_req": _t1_read(lambda c, db, t: c.get_partition_req(
        T.GetPartitionRequest(dbName=db, tblName=t, partVals=["1"]))),
    "get_partitions": _t1_read(lambda c, db, t: c.get_partitions(db, t, -1)),
    "get_partitions_with_auth": _t1_read(lambda c, db, t: c.get_partitions_with_auth(db, t, -1, "u", [])),
    "get_partitions_ps": _t1_read(lambda c, db, t: c.get_partitions_ps(db, t, ["1"], -1)),
    "get_partitions_ps_with_auth": _t1_read(lambda c, db, t: c.get_partitions_ps_with_auth(db, t, ["1"], -1, "u", [])),
    "get_partitions_ps_with_auth_req": _t1_read(lambda c, db, t: c.get_partitions_ps_with_auth_req(
        T.GetPartitionsPsWithAuthRequest(dbName=db, tblName=t, partVals=["1"], maxParts=-1))),
    "get_partition_names": _t1_read(lambda c, db, t: c.get_partition_names(db, t, -1)),
    "get_partition_names_ps": _t1_read(lambda c, db, t: c.get_partition_names_ps(db, t, ["1"], -1)),
    "get_partition_names_ps_req": _t1_read(lambda c, db, t: c.get_partition_names_ps_req(
        T.GetPartitionNamesPsRequest(dbName=db, tblName=t, partValues=["1"], maxParts=-1))),
    "get_partitions_by_filter": _t1_read(lambda c, db, t: c.get_partitions_by_filter(db, t, 'ds = "1"', -1)),
    "get_partitions_by_filter_req": _t1_read(lambda c, db, t: c.get_partitions_by_filter_req(
        T.GetPartitionsByFilterRequest(dbName=db, tblName=t, filter='ds = "1"', maxParts=-1))),
    "get_num_partitions_by_filter": _t1_read(lambda c, db, t: c.get_num_partitions_by_filter(db, t, 'ds = "1"')),
    "get_partitions_by_names": _t1_read(lambda c, db, t: c.get_partitions_by_names(db, t, ["ds=1"])),
    "get_partitions_by_names_req": _t1_read(lambda c, db, t: c.get_partitions_by_names_req(
        T.GetPartitionsByNamesRequest(db_name=db, tbl_name=t, names=["ds=1"]))),
    "get_partitions_req": _t1_read(lambda c, db, t: c.get_partitions_req(
        T.PartitionsRequest(dbName=db, tblName=t, maxParts=-1))),
    "fetch_partition_names_req": _t1_read(lambda c, db, t: c.fetch_partition_names_req(
        T.PartitionsRequest(dbName=db, tblName=t, maxParts=-1))),
    "partition_name_to_vals": _fixed(lambda c: c.partition_name_to_vals("ds=1")),
    "partition_name_to_spec": _fixed(lambda c: c.partition_name_to_spec("ds=1")),
    "partition_name_has_valid_characters": _fixed(lambda c: c.partition_name_has_valid_characters(["1"], False)),
    "alter_partition": _alter_partition(lambda c, db, t, p: c.alter_partition(db, t, p)),
    "alter_partition_with_environment_context": _alter_partition(
        lambda c, db, t, p: c.alter_partition_with_environment_context(db, t, p, ENV)),
    "alter_partitions": _alter_partition(lambda c, db, t, p: c.alter_partitions(db, t, [p])),
    "alter_partitions_with_environment_context": _alter_partition(
        lambda c, db, t, p: c.alter_partitions_with_environment_context(db, t, [p], ENV)),
    "alter_partitions_req": _alter_partition(lambda c, db, t, p: c.alter_partitions_req(
        T.AlterPartitionsRequest(dbName=db, tableName=t, partitions=[p], catName="hive"))),
    "rename_partition": _rename_partition(lambda c, db, t, p: c.rename_partition(db, t, ["1"], p)),
    "rename_partition_req": _rename_partition(lambda c, db, t, p: c.rename_partition_req(
        T.RenamePartitionRequest(dbName=db, tableName=t, partVals=["1"], newPart=p, catName="hive"))),
    "drop_partition": _fresh_table_op(lambda c, db, t: c.drop_partition(db, t, ["1"], False)),
    "drop_partition_with_environment_context": _fresh_table_op(
        lambda c, db, t: c.drop_partition_with_environment_context(db, t, ["1"], False, ENV)),
    "drop_partition_by_name": _fresh_table_op(lambda c, db, t: c.drop_partition_by_name(db, t, "ds=1", False)),
    "drop_partition_by_name_with_environment_context": _fresh_table_op(
        lambda c, db, t: c.drop_partition_by_name_with_environment_context(db, t, "ds=1", False, ENV)),
    "drop_partition_req": _fresh_table_op(lambda c, db, t: c.drop_partition_req(
        T.DropPartitionRequest(dbName=db, tblName=t, partVals=["1"], deleteData=False))),
    "drop_partitions_req": _fresh_table_op(lambda c, db, t: c.drop_partitions_req(
        T.DropPartitionsRequest(dbName=db, tblName=t, parts=T.RequestPartsSpec(names=["ds=1"]), deleteData=False,
                                needResult=True))),
    "exchange_partition": _fixed(lambda c: c.exchange_partition({"ds": "1"}, DB, T1, DB, T3)),
    "exchange_partitions": _fixed(lambda c: c.exchange_partitions({"ds": "1"}, DB, T1, DB, T3)),
    # column statistics
    "update_table_column_statistics": _fresh_table_op(
        lambda c, db, t: c.update_table_column_statistics(col_stats(t, None, ("id",)))),
    "update_partition_column_statistics": _fresh_table_op(
        lambda c, db, t: c.update_partition_column_statistics(col_stats(t, "ds=1", ("id",)))),
    "update_table_column_statistics_req": b_update_stats_req(False),
    "update_partition_column_statistics_req": b_update_stats_req(True),
    "set_aggr_stats_for": _fresh_table_op(lambda c, db, t: c.set_aggr_stats_for(
        T.SetPartitionsStatsRequest(colStats=[col_stats(t, "ds=1", ("id",))], engine="hive"))),
    "get_table_column_statistics": _t1_read(lambda c, db, t: c.get_table_column_statistics(db, t, "id")),
    "get_partition_column_statistics": _t1_read(
        lambda c, db, t: c.get_partition_column_statistics(db, t, "ds=1", "id")),
    "get_table_statistics_req": _t1_read(lambda c, db, t: c.get_table_statistics_req(
        T.TableStatsRequest(dbName=db, tblName=t, colNames=["id", "ssn_secret"], engine="hive"))),
    "get_partitions_statistics_req": _t1_read(lambda c, db, t: c.get_partitions_statistics_req(
        PS(dbName=db, tblName=t, colNames=["id", "ssn_secret"], partNames=["ds=1"], engine="hive"))),
    "get_aggr_stats_for": _t1_read(lambda c, db, t: c.get_aggr_stats_for(
        PS(dbName=db, tblName=t, colNames=["id", "ssn_secret"], partNames=["ds=1"], engine="hive"))),
    "delete_table_column_statistics": _fresh_table_op(
        lambda c, db, t: c.delete_table_column_statistics(db, t, "id", "hive"), stats=True),
    "delete_partition_column_statistics": _fresh_table_op(
        lambda c, db, t: c.delete_partition_column_statistics(db, t, "ds=1", "id", "hive"), stats=True),
    # locks, transactions, compaction
    "lock": b_lock,
    "check_lock": _own_lock(lambda c, lk: c.check_lock(T.CheckLockRequest(lockid=lk))),
    "unlock": _own_lock(lambda c, lk: c.unlock(T.UnlockRequest(lockid=lk))),
    "show_locks": _list(lambda c: c.show_locks(T.ShowLocksRequest())),
    "heartbeat": _own_lock(lambda c, lk: c.heartbeat(T.HeartbeatRequest(lockid=lk))),
    "heartbeat_txn_range": _own_txn(lambda c, x: c.heartbeat_txn_range(T.HeartbeatTxnRangeRequest(min=x, max=x))),
    "open_txns": b_open_txns,
    "commit_txn": _own_txn(lambda c, x: c.commit_txn(T.CommitTxnRequest(txnid=x))),
    "abort_txn": _own_txn(lambda c, x: c.abort_txn(T.AbortTxnRequest(txnid=x))),
    "abort_txns": _own_txn(lambda c, x: c.abort_txns(T.AbortTxnsRequest(txn_ids=[x]))),
    "get_open_txns": _fixed(lambda c: c.get_open_txns()),
    "get_open_txns_info": _list(lambda c: c.get_open_txns_info()),
    "allocate_table_write_ids": b_allocate_write_ids,
    "get_valid_write_ids": _t1_read(lambda c, db, t: c.get_valid_write_ids(
        T.GetValidWriteIdsRequest(fullTableNames=["%s.%s" % (db, t)]))),
    "get_latest_txnid_in_conflict": _own_txn(lambda c, x: c.get_latest_txnid_in_conflict(x)),
    "add_dynamic_partitions": b_add_dynamic_partitions,
    "compact": _t1_read(lambda c, db, t: c.compact(
        T.CompactionRequest(dbname=db, tablename=t, type=T.CompactionType.MINOR))),
    "compact2": _t1_read(lambda c, db, t: c.compact2(
        T.CompactionRequest(dbname=db, tablename=t, type=T.CompactionType.MAJOR))),
    "show_compact": _list(lambda c: c.show_compact(T.ShowCompactRequest())),
    # notifications
    "get_next_notification": _list(lambda c: c.get_next_notification(T.NotificationEventRequest(lastEvent=0))),
    "get_current_notificationEventId": _fixed(lambda c: c.get_current_notificationEventId()),
    "get_notification_events_count": _list(lambda c: c.get_notification_events_count(
        T.NotificationEventsCountRequest(fromEventId=0, dbName=DB))),
    "fire_listener_event": b_fire_listener_event,
    # ---- delegation tokens (issue 16) ----
    "get_delegation_token": b_get_delegation_token,
    "renew_delegation_token": _own_token(lambda c, tok: c.renew_delegation_token(tok), False),
    "cancel_delegation_token": _own_token(lambda c, tok: c.cancel_delegation_token(tok), True),
    "add_token": lambda r: (lambda c: c.add_token(harness.uniq("mxtok"), "x")),
    "remove_token": _fixed(lambda c: c.remove_token("no-such-token")),
    "get_token": _fixed(lambda c: c.get_token("no-such-token")),
    "get_all_token_identifiers": _fixed(lambda c: c.get_all_token_identifiers()),
    "add_master_key": _fixed(lambda c: c.add_master_key("not-a-key")),
    "update_master_key": _fixed(lambda c: c.update_master_key(999999, "not-a-key")),
    "remove_master_key": _fixed(lambda c: c.remove_master_key(999999)),
    "get_master_keys": _fixed(lambda c: c.get_master_keys()),
}

# Token-store methods Hive declares no exception for: a non-administrator gets the empty answer
# (server/thrift/handler_token.c), which counts as the denial here.
EMPTY_DENIAL = {"add_token": False, "remove_token": False, "get_token": "", "get_all_token_identifiers": [],
                "remove_master_key": False, "get_master_keys": []}

BUILDERS.update(ISSUE17_BUILDERS)

# Calls every caller gets the same non-authorization error from (the row says why).
EXPECTED_ERROR = {"exchange_partition": NOT_SUPPORTED, "exchange_partitions": NOT_SUPPORTED,
                  "update_master_key": "No key found with keyId"}


def _count(res):
    return res.eventsCount > 0


# LIST rows: does the answer show the object the setup hid from (d)? The administrator's must.
LIST_SHOWS = {
    "get_databases": lambda res: DB in res,
    "get_all_databases": lambda res: DB in res,
    "get_table_meta": lambda res: any(m.dbName == DB for m in res),
    "get_functions": lambda res: F1 in res,
    "get_all_functions": lambda res: any(f.functionName == F1 and f.dbName == DB for f in res.functions or []),
    "get_databases_req": lambda res: any(d.name == DB for d in res.databases or []),
    "get_functions_req": lambda res: any(f.functionName == F1 and f.dbName == DB for f in res.functions or []),
    "show_locks": lambda res: any(lk.dbname == DB for lk in res.locks or []),
    "show_compact": lambda res: any(cp.dbname == DB for cp in res.compacts or []),
    "get_open_txns_info": lambda res: any(t.hostname == OWNER_HOST for t in res.open_txns or []),
    "get_next_notification": lambda res: any(e.dbName == DB for e in res.events or []),
    "get_notification_events_count": _count,
}


# ---- running the matrix ----

def denial(exc):
    msg = getattr(exc, "message", None) or str(exc)
    return ("Insufficient Lake Formation permission" in msg or "AccessDenied" in msg
            # delegation tokens (issue 16): Hive's own refusals, and the token store's administrator check
            or "is not allowed to impersonate" in msg or "non-matching renewer" in msg
            or "only data lake administrators may" in msg)


def expected_allowed(row, role):
    if role in ("admin", "needed"):
        return True  # (ADMIN rows have no "needed" role: no grant makes an administrator)
    if role == "noloc":
        return False
    if row["rule"] in ("public", "list"):
        return True
    if row["rule"] == "visible":
        return role == "colsel"  # it sees t1 and t3 (columns), hence their database
    return False


def roles_of(row):
    if row["rule"] == "admin":
        return ("admin", "colsel", "nobody")
    return ("admin", "needed", "colsel", "nobody") + (("noloc",) if row["location"] else ())


class Tally:
    def __init__(self):
        self.runs = self.allowed = self.denied = 0
        self.leaks, self.failures = [], []

    def fail(self, row, role, what):
        self.failures.append("%s as %s: %s" % (row["method"], role, what))


def _state(read):
    """What an admin reads of a watched object (or why it could not)."""
    try:
        return repr(read())
    except Exception as e:  # noqa: BLE001 — a vanished object is a change too
        return "gone: %r" % e


def run_one(m, row, role, tally):
    method = row["method"]
    r = Run(m, row, role)
    call = BUILDERS[method](r)
    before = [_state(w) for w in r.watched]
    tally.runs += 1
    c = m.client(r.who)
    ok, res, err = False, None, None
    try:
        res = call(c)
        ok = True
    except (TTransportException, TApplicationException, EOFError, OSError) as e:
        m.drop_client(r.who)
        err = e
    except Exception as e:  # noqa: BLE001 — the generated Hive exceptions
        err = e
    finally:
        after = [_state(w) for w in r.watched] if err is not None else before
        for undo in r.cleanup:
            try:
                undo()
            except Exception:  # noqa: BLE001 — best effort (the call may have consumed the object)
                pass
        if role in ("needed", "noloc"):
            m.drop_client(r.who)
    want = expected_allowed(row, role)
    if ok and not want and method in EMPTY_DENIAL and res == EMPTY_DENIAL[method]:
        ok, err = False, TApplicationException(message="AccessDenied: answered empty")
    msg = "" if err is None else "%s: %s" % (type(err).__name__, getattr(err, "message", None) or err)
    if err is not None and method in EXPECTED_ERROR and EXPECTED_ERROR[method] in msg:
        ok = True
    if ok:
        tally.allowed += 1
    elif err is not None and denial(err):
        tally.denied += 1
    if want and not ok:
        tally.fail(row, role, "expected allowed, got " + msg)
    elif not want and ok:
        tally.fail(row, role, "expected denied, was allowed")
    elif not want and not denial(err):
        tally.fail(row, role, "expected an access denial, got " + msg)
    if not ok and after != before:
        tally.fail(row, role, "refused, yet the objects it named changed")
    if ok and res is not None and role == "colsel":
        text = repr(res)
        for col in HIDDEN:
            if col in text:
                tally.leaks.append("%s as colsel: hidden column %s in the reply" % (method, col))
    if ok and row["rule"] == "list":
        shows = LIST_SHOWS[method](res)
        if role == "admin" and not shows:
            tally.fail(row, role, "the administrator's listing lacks the object the test hides from others")
        if role == "nobody" and shows:
            tally.leaks.append("%s as nobody: the listing shows %s's objects" % (method, DB))


def test_every_thrift_row_has_a_builder():
    rows = [r for r in authz_rows() if r["door"] == "thrift"]
    assert len(rows) > 100
    missing = sorted(r["method"] for r in rows if r["method"] not in BUILDERS)
    assert missing == [], "Thrift methods in the authorization table without a matrix builder: %s" % missing
    stale = sorted(set(BUILDERS) - {r["method"] for r in rows})
    assert stale == [], "builders for methods the table does not list: %s" % stale
    lists = sorted(r["method"] for r in rows if r["rule"] == "list")
    assert lists == sorted(LIST_SHOWS), "LIST rows and LIST_SHOWS differ"


def test_thrift_permission_matrix(mx):
    rows = [r for r in authz_rows() if r["door"] == "thrift"]
    missing = [r["method"] for r in rows if r["method"] not in BUILDERS]
    tally = Tally()
    for row in rows:
        if row["method"] in missing:
            tally.fail(row, "-", "no builder")
            continue
        for role in roles_of(row):
            run_one(mx, row, role, tally)
    summary = ("thrift permission matrix: %d methods, %d runs (methods x principals), %d allowed, %d denied, "
               "%d leaks, %d wrong answers" % (len(rows), tally.runs, tally.allowed, tally.denied,
                                                len(tally.leaks), len(tally.failures)))
    print(summary)
    for line in tally.leaks + tally.failures:
        print("  " + line)
    assert not tally.leaks and not tally.failures, summary + "\n" + "\n".join(tally.leaks + tally.failures)
