# tests/integration/test_authz_matrix_http.py — the HTTP half of the permission matrix (issue 15).
#
# Generated from the authorization table (`propolis-server --print-authz-table`, one JSON row per
# served method): every row of the Glue (AWS JSON 1.1), Lake Formation (REST-JSON) and Propolis
# admin (`X-Amz-Target: Propolis.<Op>`) doors is run through a request builder below as
#   admin  the bootstrap data lake administrator,
#   b      a fresh principal holding exactly what the row says is needed (perm: one of those
#          permissions on that resource, each in turn; visible: DESCRIBE; list: a grant on
#          something; grantable: the permission granted, with grant option; admin: a second data
#          lake administrator; public: nothing), plus DATA_LOCATION_ACCESS when the row needs it,
#   b-loc  (rows with "location": true) the same grants without DATA_LOCATION_ACCESS,
#   ro     (admin rows) a read-only data lake administrator: allowed where "readonly_admin" says,
#   c      a principal holding only SELECT on TableWithColumns(id, name) of the world's tables,
#   d      a principal holding nothing,
# and each answer is held against the row: allowed or AccessDeniedException (batch operations:
# per-entry errors naming AccessDenied), a listing for c and d without what they may not see, and
# for every successful answer to c, neither hidden column name anywhere in the serialized reply.
# A row without a builder, or a builder without a row, fails the test. Counts are printed at the end.
#
# Writes run on fresh objects made by the administrator for each principal, so a wrongly allowed
# write never changes what the next case reads; the administrator's view of those objects is taken
# before and after each write: a denied one must change nothing, an allowed one something.

import json
import re
import subprocess
import sys
import uuid

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.exceptions  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

import harness  # noqa: E402
from harness import T  # noqa: E402
from test_permissions import ACCOUNT, CFG, propolis_call  # noqa: E402

HTTP_DOORS = ("glue", "lakeformation", "propolis")
HIDDEN_COLUMNS = ("ssn_secret", "salary_secret")
DB = "mtxdb"                # the read world: mtx_t1, mtx_t3, mtx_hidden
WDB = "mtxw"                # where fresh objects for writes live
HIDDEN_DB = "mtx_hiddendb"  # nobody but administrators holds anything here
T1, T3, HIDDEN_T = "mtx_t1", "mtx_t3", "mtx_hidden"
PART = ["2024-01-01"]
REG_ARN = "arn:aws:s3:::lfreg-bucket/data"   # a registered location
REG_LOC = "s3://lfreg-bucket/data"
DATA_LOC = "s3://mtx-data"                   # not registered: tables live here
COLUMNS = [{"Name": "id", "Type": "bigint"}, {"Name": "name", "Type": "string"},
           {"Name": "ssn_secret", "Type": "string"}, {"Name": "salary_secret", "Type": "double"}]
VISIBLE_COLUMNS = ["id", "name"]
KINDS = ("admin", "b", "b-loc", "ro", "c", "d")


# ---- the authorization table ----

def authz_rows():
    """The HTTP rows of the server's authorization table (server/authz/methods.c)."""
    out = subprocess.run([harness.PROPOLIS_BIN, "--print-authz-table"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert rows, "empty authorization table"
    return [r for r in rows if r["door"] in HTTP_DOORS]


# ---- the world ----

def table_input(name, location=None, params=None):
    return {"Name": name, "TableType": "EXTERNAL_TABLE", "Parameters": dict(params or {"EXTERNAL": "TRUE"}),
            "PartitionKeys": [{"Name": "ds", "Type": "string"}],
            "StorageDescriptor": {"Columns": COLUMNS, "Location": location or "%s/%s" % (DATA_LOC, name),
                                  "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                                  "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                                  "SerdeInfo": {"SerializationLibrary":
                                                "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}}}


def partition_input(values, location):
    return {"Values": list(values),
            "StorageDescriptor": {"Columns": COLUMNS, "Location": location,
                                  "SerdeInfo": {"SerializationLibrary":
                                                "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}}}


def stats_entry(col):
    if col == "id":
        return {"ColumnName": "id", "ColumnType": "bigint", "AnalyzedTime": 1700000000,
                "StatisticsData": {"Type": "LONG", "LongColumnStatisticsData": {
                    "MinimumValue": 1, "MaximumValue": 9, "NumberOfNulls": 0, "NumberOfDistinctValues": 9}}}
    return {"ColumnName": col, "ColumnType": "string", "AnalyzedTime": 1700000000,
            "StatisticsData": {"Type": "STRING", "StringColumnStatisticsData": {
                "MaximumLength": 11, "AverageLength": 11.0, "NumberOfNulls": 0, "NumberOfDistinctValues": 3}}}


def function_input(name):
    return {"FunctionName": name, "ClassName": "com.example.Upper", "OwnerName": "admin", "OwnerType": "USER",
            "ResourceUris": [{"ResourceType": "JAR", "Uri": "s3://mtx-data/udf.jar"}]}


def connection_input(name):
    return {"Name": name, "ConnectionType": "JDBC", "Description": "matrix",
            "ConnectionProperties": {"JDBC_CONNECTION_URL": "jdbc:postgresql://db.example:5432/x",
                                     "USERNAME": "etl", "PASSWORD": "pw"}}


def t3_params():
    """Table parameters naming every column, the way engines write them: Spark's schema, Avro's
    literal, Iceberg's current schema, and a free-text note."""
    spark = {"type": "struct", "fields": [{"name": c["Name"], "type": "string", "nullable": True, "metadata": {}}
                                          for c in COLUMNS]}
    avro = {"type": "record", "name": "t3", "fields": [{"name": c["Name"], "type": "string"} for c in COLUMNS]}
    iceberg = {"type": "struct", "schema-id": 0, "fields": [
        {"id": i + 1, "name": c["Name"], "required": False, "type": "string"} for i, c in enumerate(COLUMNS)]}
    return {"EXTERNAL": "TRUE", "spark.sql.sources.schema": json.dumps(spark),
            "avro.schema.literal": json.dumps(avro), "current-schema": json.dumps(iceberg),
            "note": "deduplicated on ssn_secret"}


def t3_name_columns(sd):
    """Bucket, sort and skewed column lists and SerDe parameters naming the hidden columns."""
    sd.numBuckets = 4
    sd.bucketCols = ["ssn_secret"]
    sd.sortCols = [T.Order(col="salary_secret", order=1)]
    sd.skewedInfo = T.SkewedInfo(skewedColNames=["ssn_secret"], skewedColValues=[["x"]],
                                 skewedColValueLocationMaps={})
    sd.serdeInfo.parameters = {"serialization.format": "1", "columns": ",".join(c["Name"] for c in COLUMNS),
                               "columns.types": ",".join(c["Type"] for c in COLUMNS)}


class World:
    """The server, clients per principal, the objects every case reads, and who holds what."""

    def __init__(self, srv):
        self.srv = srv
        self.keys = {"admin": (srv.key_id, srv.secret)}
        self.arns = {"admin": "arn:aws:iam::%s:user/admin" % ACCOUNT}
        self.clients = {}
        self.c_tables = set()   # (db, table) where c holds SELECT on (id, name)
        self.versions = {}      # table → its oldest VersionId

    def client(self, service, who):
        if (service, who) not in self.clients:
            k, s = self.keys[who]
            self.clients[(service, who)] = boto3.client(
                service, endpoint_url=self.srv.endpoint, region_name="us-east-1", aws_access_key_id=k,
                aws_secret_access_key=s, config=CFG)
        return self.clients[(service, who)]

    def glue(self):
        return self.client("glue", "admin")

    def lf(self):
        return self.client("lakeformation", "admin")

    def create_principal(self, name):
        st, out = propolis_call(self.srv, *self.keys["admin"], "CreatePrincipal", {"Name": name})
        assert st == 200, out
        self.keys[name] = (out["AccessKeyId"], out["SecretAccessKey"])
        self.arns[name] = out["Arn"]
        return name

    def grant(self, who, resource, perms, grantable=()):
        self.lf().grant_permissions(Principal={"DataLakePrincipalIdentifier": self.arns[who]}, Resource=resource,
                                    Permissions=list(perms), PermissionsWithGrantOption=list(grantable))

    def grant_columns(self, who, db, table):
        self.grant(who, {"TableWithColumns": {"DatabaseName": db, "Name": table, "ColumnNames": VISIBLE_COLUMNS}},
                   ["SELECT"])
        if who == "c":
            self.c_tables.add((db, table))

    def lf_raw(self, who, op, body):
        """One Lake Formation call as raw JSON: this boto3 predates ReadOnlyAdmins and would drop them
        from a read-modify-write of the settings. The answer, or PropolisError."""
        url = self.srv.endpoint + "/" + op
        data = json.dumps(body).encode()
        req = AWSRequest(method="POST", url=url, data=data, headers={"Content-Type": "application/json"})
        SigV4Auth(Credentials(*self.keys[who]), "lakeformation", "us-east-1").add_auth(req)
        r = urllib.request.Request(url, data=data, method="POST", headers=dict(req.headers.items()))
        try:
            with urllib.request.urlopen(r, timeout=30) as resp:
                return json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            out = json.loads(e.read() or b"{}")
            raise PropolisError(e.headers.get("x-amzn-ErrorType") or out.get("__type", str(e.code)),
                                out.get("message", ""))

    def lf_raw_principals(self):
        st, out = propolis_call(self.srv, *self.keys["admin"], "ListPrincipals", {})
        assert st == 200, out
        return out["Principals"]

    def settings(self):
        return self.lf_raw("admin", "GetDataLakeSettings", {})["DataLakeSettings"]

    def make_admin(self, who, kind="DataLakeAdmins"):
        s = self.settings()
        s[kind] = s.get(kind, []) + [{"DataLakePrincipalIdentifier": self.arns[who]}]
        self.lf_raw("admin", "PutDataLakeSettings", {"DataLakeSettings": s})

    def thrift(self):
        c = harness.connect(self.srv.port)
        c.set_ugi("admin", [])
        return c

    # fresh objects, made by the administrator
    def table(self, db, name, partition=False, stats=False, index=False, version=False):
        g = self.glue()
        g.create_table(DatabaseName=db, TableInput=table_input(name))
        if partition:
            g.create_partition(DatabaseName=db, TableName=name,
                               PartitionInput=partition_input(PART, "%s/%s/ds=%s" % (DATA_LOC, name, PART[0])))
        if stats:
            g.update_column_statistics_for_table(DatabaseName=db, TableName=name,
                                                 ColumnStatisticsList=[stats_entry("id")])
            if partition:
                g.update_column_statistics_for_partition(DatabaseName=db, TableName=name, PartitionValues=PART,
                                                         ColumnStatisticsList=[stats_entry("id")])
        if index:
            g.create_partition_index(DatabaseName=db, TableName=name,
                                     PartitionIndex={"Keys": ["ds"], "IndexName": "ix"})
        if version:
            g.update_table(DatabaseName=db, TableInput=table_input(name, params={"EXTERNAL": "TRUE", "v": "2"}))
            vs = g.get_table_versions(DatabaseName=db, TableName=name)["TableVersions"]
            self.versions[name] = min((v["VersionId"] for v in vs), key=int)
        return {"db": db, "table": name}


def setup_world(w):
    lf, g = w.lf(), w.glue()
    # Lake Formation-only mode: new objects get no IAM_ALLOWED_PRINCIPALS grant, and
    # IAM_ALLOWED_PRINCIPALS may no longer create databases.
    harness.lf_close_defaults(lf)
    for who in ("c", "d", "admin2", "ro", "grantee"):
        w.create_principal(who)
    w.make_admin("admin2")
    w.make_admin("ro", "ReadOnlyAdmins")
    lf.register_resource(ResourceArn=REG_ARN, UseServiceLinkedRole=True)

    for db in (DB, WDB, HIDDEN_DB):
        g.create_database(DatabaseInput={"Name": db})
    # t1: column statistics for id and ssn_secret, one partition (with statistics), then an update
    w.table(DB, T1, partition=True)
    g.update_column_statistics_for_table(DatabaseName=DB, TableName=T1,
                                         ColumnStatisticsList=[stats_entry("id"), stats_entry("ssn_secret")])
    g.update_column_statistics_for_partition(DatabaseName=DB, TableName=T1, PartitionValues=PART,
                                             ColumnStatisticsList=[stats_entry("id"), stats_entry("ssn_secret")])
    params = dict(g.get_table(DatabaseName=DB, Name=T1)["Table"].get("Parameters", {}), comment="v2")
    g.update_table(DatabaseName=DB, TableInput=table_input(T1, params=params))
    # t3 through Thrift: a primary key on ssn_secret, parameters and descriptor fields naming the
    # hidden columns, then an update
    thr = w.thrift()
    try:
        t3 = harness.make_table(DB, T3, table_type="EXTERNAL_TABLE",
                                partition_keys=harness.cols(("ds", "string")), params=t3_params(),
                                location="%s/%s" % (DATA_LOC, T3),
                                columns=harness.cols(*[(c["Name"], c["Type"]) for c in COLUMNS]))
        t3_name_columns(t3.sd)
        pk = T.SQLPrimaryKey(table_db=DB, table_name=T3, column_name="ssn_secret", key_seq=1, pk_name="t3_pk",
                             enable_cstr=False, validate_cstr=False, rely_cstr=True, catName="hive")
        thr.create_table_with_constraints(t3, [pk], [], [], [], [], [])
        t3 = thr.get_table(DB, T3)
        t3.parameters["comment"] = "v2"
        thr.alter_table(DB, T3, t3)
    finally:
        thr.close()
    for t in (T1, T3):
        vs = g.get_table_versions(DatabaseName=DB, TableName=t)["TableVersions"]
        assert len(vs) >= 2, vs
        w.versions[t] = min((v["VersionId"] for v in vs), key=int)
    g.create_table(DatabaseName=DB, TableInput=table_input(HIDDEN_T))
    g.create_table(DatabaseName=HIDDEN_DB, TableInput=table_input(HIDDEN_T))
    g.create_user_defined_function(DatabaseName=DB, FunctionInput=function_input("mtx_fn"))
    g.create_connection(ConnectionInput=connection_input("mtx_conn"))
    w.grant_columns("c", DB, T1)
    w.grant_columns("c", DB, T3)


# ---- builders: one per served HTTP method ----

class Case:
    """One call: the objects it acts on and the principal's clients."""

    def __init__(self, w, who, objs):
        self.w, self.who, self.objs = w, who, objs
        self.glue = w.client("glue", who)
        self.lf = w.client("lakeformation", who)

    def __getattr__(self, k):
        try:
            return self.__dict__["objs"][k]
        except KeyError:
            raise AttributeError(k)

    def propolis(self, op, body):
        st, out = propolis_call(self.w.srv, *self.w.keys[self.who], op, body)
        if st != 200:
            raise PropolisError(out.get("__type", str(st)), out.get("message", out.get("Message", "")))
        return out


class PropolisError(Exception):
    def __init__(self, code, message):
        super().__init__("%s: %s" % (code, message))
        self.code = code


class Builder:
    def __init__(self, door, method, call, prepare=None, batch=False, targets=(None,), b_grants=None, echo=None):
        self.door, self.method, self.call, self.prepare = door, method, call, prepare
        self.batch, self.targets, self.b_grants, self.echo = batch, targets, b_grants, echo


BUILDERS = {}


def op(door, method, **kw):
    def deco(fn):
        assert (door, method) not in BUILDERS
        BUILDERS[(door, method)] = Builder(door, method, fn, **kw)
        return fn
    return deco


def glue_op(method, **kw):
    return op("glue", method, **kw)


def lf_op(method, **kw):
    return op("lakeformation", method, **kw)


def admin_op(method, **kw):
    return op("propolis", method, **kw)


def reg(name):
    return "%s/%s" % (REG_LOC, name)


# fresh-object makers: (world, tag) → objs; the tag is unique per row and principal
def fresh_db(w, tag):
    db = "mtxw_%s" % tag
    w.glue().create_database(DatabaseInput={"Name": db})
    w.table(db, "ct")
    return {"db": db, "table": "ct", "c_table": (db, "ct")}


def fresh_table(**opts):
    def make(w, tag):
        o = w.table(WDB, "ft_%s" % tag, **opts)
        o["c_table"] = (WDB, o["table"])
        return o
    return make


def fresh_name(prefix):
    return lambda w, tag: {"db": WDB, "name": "%s_%s" % (prefix, tag)}


def fresh_function(w, tag):
    name = "fn_%s" % tag
    w.glue().create_user_defined_function(DatabaseName=WDB, FunctionInput=function_input(name))
    return {"db": WDB, "name": name}


def fresh_connection(w, tag):
    name = "conn_%s" % tag
    w.glue().create_connection(ConnectionInput=connection_input(name))
    return {"name": name}


def fresh_principal(w, tag):
    name = "p_%s" % tag
    w.create_principal(name)
    return {"name": name}


def fresh_location(w, tag):
    arn = "arn:aws:s3:::lfx-%s/p" % tag.replace("_", "-")
    w.lf().register_resource(ResourceArn=arn, UseServiceLinkedRole=True)
    return {"arn": arn}


def fresh_lock(w, tag):
    thr = w.thrift()
    try:
        r = thr.lock(T.LockRequest(component=[T.LockComponent(
            type=T.LockType.SHARED_READ, level=T.LockLevel.TABLE, dbname=DB, tablename=T1,
            operationType=T.DataOperationType.NO_TXN)], user="admin", hostname="host", agentInfo="matrix-" + tag))
    finally:
        thr.close()
    return {"db": DB, "table": T1, "lockid": r.lockid}


# Glue: databases
@glue_op("CreateDatabase", prepare=lambda w, tag: {"db": "mtxw_cdb_%s" % tag})
def _(c):
    return c.glue.create_database(DatabaseInput={"Name": c.db, "LocationUri": reg(c.db)})


@glue_op("GetDatabase")
def _(c):
    return c.glue.get_database(Name=c.db)


@glue_op("GetDatabases")
def _(c):
    return c.glue.get_databases()


@glue_op("UpdateDatabase", prepare=fresh_db)
def _(c):
    return c.glue.update_database(Name=c.db, DatabaseInput={"Name": c.db, "Description": "changed",
                                                            "LocationUri": reg(c.db)})


@glue_op("DeleteDatabase", prepare=fresh_db)
def _(c):
    return c.glue.delete_database(Name=c.db)


# Glue: tables and versions
@glue_op("CreateTable", prepare=fresh_name("ct"))
def _(c):
    return c.glue.create_table(DatabaseName=c.db, TableInput=table_input(c.name, location=reg(c.name)))


@glue_op("GetTable", targets=(T1, T3))
def _(c):
    return c.glue.get_table(DatabaseName=c.db, Name=c.table)


@glue_op("GetTables")
def _(c):
    return c.glue.get_tables(DatabaseName=c.db)


@glue_op("UpdateTable", prepare=fresh_table())
def _(c):
    return c.glue.update_table(DatabaseName=c.db, TableInput=table_input(c.table, location=reg(c.table)))


@glue_op("DeleteTable", prepare=fresh_table())
def _(c):
    return c.glue.delete_table(DatabaseName=c.db, Name=c.table)


@glue_op("BatchDeleteTable", prepare=fresh_table(), batch=True)
def _(c):
    return c.glue.batch_delete_table(DatabaseName=c.db, TablesToDelete=[c.table])


@glue_op("GetTableVersions", targets=(T1, T3))
def _(c):
    return c.glue.get_table_versions(DatabaseName=c.db, TableName=c.table)


@glue_op("GetTableVersion", targets=(T1, T3))
def _(c):
    return c.glue.get_table_version(DatabaseName=c.db, TableName=c.table, VersionId=c.w.versions[c.table])


@glue_op("DeleteTableVersion", prepare=fresh_table(version=True))
def _(c):
    return c.glue.delete_table_version(DatabaseName=c.db, TableName=c.table, VersionId=c.w.versions[c.table])


@glue_op("BatchDeleteTableVersion", prepare=fresh_table(version=True), batch=True)
def _(c):
    return c.glue.batch_delete_table_version(DatabaseName=c.db, TableName=c.table,
                                             VersionIds=[c.w.versions[c.table]])


# Glue: user-defined functions
@glue_op("CreateUserDefinedFunction", prepare=fresh_name("fn"))
def _(c):
    return c.glue.create_user_defined_function(DatabaseName=c.db, FunctionInput=function_input(c.name))


@glue_op("GetUserDefinedFunction")
def _(c):
    return c.glue.get_user_defined_function(DatabaseName=c.db, FunctionName="mtx_fn")


@glue_op("GetUserDefinedFunctions")
def _(c):
    return c.glue.get_user_defined_functions(Pattern="*")


@glue_op("UpdateUserDefinedFunction", prepare=fresh_function)
def _(c):
    f = function_input(c.name)
    f["ClassName"] = "com.example.Lower"
    return c.glue.update_user_defined_function(DatabaseName=c.db, FunctionName=c.name, FunctionInput=f)


@glue_op("DeleteUserDefinedFunction", prepare=fresh_function)
def _(c):
    return c.glue.delete_user_defined_function(DatabaseName=c.db, FunctionName=c.name)


# Glue: partitions (new locations are under the registered one, not under the table's)
NEW_PART = ["2024-02-01"]


@glue_op("CreatePartition", prepare=fresh_table())
def _(c):
    return c.glue.create_partition(DatabaseName=c.db, TableName=c.table,
                                   PartitionInput=partition_input(NEW_PART, reg(c.table + "/p1")))


@glue_op("BatchCreatePartition", prepare=fresh_table(), batch=True)
def _(c):
    return c.glue.batch_create_partition(DatabaseName=c.db, TableName=c.table,
                                         PartitionInputList=[partition_input(NEW_PART, reg(c.table + "/p1"))])


@glue_op("GetPartition")
def _(c):
    return c.glue.get_partition(DatabaseName=c.db, TableName=c.table, PartitionValues=PART)


@glue_op("GetPartitions")
def _(c):
    return c.glue.get_partitions(DatabaseName=c.db, TableName=c.table)


@glue_op("BatchGetPartition", batch=True)
def _(c):
    return c.glue.batch_get_partition(DatabaseName=c.db, TableName=c.table, PartitionsToGet=[{"Values": PART}])


@glue_op("UpdatePartition", prepare=fresh_table(partition=True))
def _(c):
    return c.glue.update_partition(DatabaseName=c.db, TableName=c.table, PartitionValueList=PART,
                                   PartitionInput=partition_input(PART, reg(c.table + "/moved")))


@glue_op("BatchUpdatePartition", prepare=fresh_table(partition=True), batch=True)
def _(c):
    return c.glue.batch_update_partition(DatabaseName=c.db, TableName=c.table, Entries=[{
        "PartitionValueList": PART, "PartitionInput": partition_input(PART, reg(c.table + "/moved"))}])


@glue_op("DeletePartition", prepare=fresh_table(partition=True))
def _(c):
    return c.glue.delete_partition(DatabaseName=c.db, TableName=c.table, PartitionValues=PART)


@glue_op("BatchDeletePartition", prepare=fresh_table(partition=True), batch=True)
def _(c):
    return c.glue.batch_delete_partition(DatabaseName=c.db, TableName=c.table, PartitionsToDelete=[{"Values": PART}])


# Glue: column statistics. Reads ask for ssn_secret (which has statistics) and name (which has
# none): a caller who may not see ssn_secret must get for it exactly the entry name gets, an
# EntityNotFound echoing the name it sent. Such an echo is taken out before the leak check.
def stats_echo(resp, c):
    def shape(e, col):
        return json.dumps(e, sort_keys=True).replace(col, "<col>")
    errs = resp.get("Errors", [])
    blank = [shape(e, "name") for e in errs if e.get("ColumnName") == "name"]
    return dict(resp, Errors=[e for e in errs if not (
        e.get("ColumnName") in HIDDEN_COLUMNS and [shape(e, e["ColumnName"])] == blank)])


@glue_op("GetColumnStatisticsForTable", echo=stats_echo)
def _(c):
    return c.glue.get_column_statistics_for_table(DatabaseName=c.db, TableName=c.table,
                                                  ColumnNames=["id", "name", "ssn_secret"])


@glue_op("UpdateColumnStatisticsForTable", prepare=fresh_table(), batch=True)
def _(c):
    return c.glue.update_column_statistics_for_table(DatabaseName=c.db, TableName=c.table,
                                                     ColumnStatisticsList=[stats_entry("id")])


@glue_op("DeleteColumnStatisticsForTable", prepare=fresh_table(stats=True))
def _(c):
    return c.glue.delete_column_statistics_for_table(DatabaseName=c.db, TableName=c.table, ColumnName="id")


@glue_op("GetColumnStatisticsForPartition", echo=stats_echo)
def _(c):
    return c.glue.get_column_statistics_for_partition(DatabaseName=c.db, TableName=c.table, PartitionValues=PART,
                                                      ColumnNames=["id", "name", "ssn_secret"])


@glue_op("UpdateColumnStatisticsForPartition", prepare=fresh_table(partition=True), batch=True)
def _(c):
    return c.glue.update_column_statistics_for_partition(DatabaseName=c.db, TableName=c.table, PartitionValues=PART,
                                                         ColumnStatisticsList=[stats_entry("id")])


@glue_op("DeleteColumnStatisticsForPartition", prepare=fresh_table(partition=True, stats=True))
def _(c):
    return c.glue.delete_column_statistics_for_partition(DatabaseName=c.db, TableName=c.table,
                                                         PartitionValues=PART, ColumnName="id")


# Glue: connections and catalog settings
@glue_op("CreateConnection", prepare=fresh_name("conn"))
def _(c):
    return c.glue.create_connection(ConnectionInput=connection_input(c.name))


@glue_op("GetConnection")
def _(c):
    return c.glue.get_connection(Name="mtx_conn")


@glue_op("GetConnections")
def _(c):
    return c.glue.get_connections()


@glue_op("UpdateConnection", prepare=fresh_connection)
def _(c):
    ci = connection_input(c.name)
    ci["Description"] = "changed"
    return c.glue.update_connection(Name=c.name, ConnectionInput=ci)


@glue_op("DeleteConnection", prepare=fresh_connection)
def _(c):
    return c.glue.delete_connection(ConnectionName=c.name)


@glue_op("BatchDeleteConnection", prepare=fresh_connection, batch=True)
def _(c):
    return c.glue.batch_delete_connection(ConnectionNameList=[c.name])


@glue_op("GetDataCatalogEncryptionSettings")
def _(c):
    return c.glue.get_data_catalog_encryption_settings()


@glue_op("PutDataCatalogEncryptionSettings")
def _(c):
    return c.glue.put_data_catalog_encryption_settings(DataCatalogEncryptionSettings={
        "EncryptionAtRest": {"CatalogEncryptionMode": "DISABLED"},
        "ConnectionPasswordEncryption": {"ReturnConnectionPasswordEncrypted": False}})


# Glue: search and partition indexes
@glue_op("SearchTables")
def _(c):
    return c.glue.search_tables()


@glue_op("CreatePartitionIndex", prepare=fresh_table())
def _(c):
    return c.glue.create_partition_index(DatabaseName=c.db, TableName=c.table,
                                         PartitionIndex={"Keys": ["ds"], "IndexName": "ix"})


@glue_op("GetPartitionIndexes")
def _(c):
    return c.glue.get_partition_indexes(DatabaseName=c.db, TableName=c.table)


@glue_op("DeletePartitionIndex", prepare=fresh_table(index=True))
def _(c):
    return c.glue.delete_partition_index(DatabaseName=c.db, TableName=c.table, IndexName="ix")


# issue 17: Glue resource tags (rows name the table kind; databases and connections are in
# tests/integration/test_glue_roundtrip.py)
def table_arn(c):
    return "arn:aws:glue:us-east-1:%s:table/%s/%s" % (ACCOUNT, c.db, c.table)


@glue_op("TagResource", prepare=fresh_table())
def _(c):
    return c.glue.tag_resource(ResourceArn=table_arn(c), TagsToAdd={"team": "matrix"})


def fresh_tagged_table(w, tag):
    o = fresh_table()(w, tag)
    w.glue().tag_resource(ResourceArn="arn:aws:glue:us-east-1:%s:table/%s/%s" % (ACCOUNT, o["db"], o["table"]),
                          TagsToAdd={"team": "matrix"})
    return o


@glue_op("UntagResource", prepare=fresh_tagged_table)
def _(c):
    return c.glue.untag_resource(ResourceArn=table_arn(c), TagsToRemove=["team"])


@glue_op("GetTags", targets=(T1, T3))
def _(c):
    return c.glue.get_tags(ResourceArn=table_arn(c))


# Lake Formation: permissions ("grantable" rows). b holds DESCRIBE with grant option on a fresh
# table and passes DESCRIBE on to (or takes it back from) another principal.
def grantable_describe(w, objs):
    return [({"Table": {"DatabaseName": objs["db"], "Name": objs["table"]}}, ["DESCRIBE"], ["DESCRIBE"])]


def grantee_entry(c):
    return {"Principal": {"DataLakePrincipalIdentifier": c.w.arns["grantee"]},
            "Resource": {"Table": {"DatabaseName": c.db, "Name": c.table}}, "Permissions": ["DESCRIBE"]}


def fresh_granted(w, tag):
    o = fresh_table()(w, tag)
    w.grant("grantee", {"Table": {"DatabaseName": o["db"], "Name": o["table"]}}, ["DESCRIBE"])
    return o


@lf_op("GrantPermissions", prepare=fresh_table(), b_grants=grantable_describe)
def _(c):
    return c.lf.grant_permissions(**grantee_entry(c))


@lf_op("RevokePermissions", prepare=fresh_granted, b_grants=grantable_describe)
def _(c):
    return c.lf.revoke_permissions(**grantee_entry(c))


@lf_op("BatchGrantPermissions", prepare=fresh_table(), b_grants=grantable_describe, batch=True)
def _(c):
    return c.lf.batch_grant_permissions(Entries=[dict(grantee_entry(c), Id="1")])


@lf_op("BatchRevokePermissions", prepare=fresh_granted, b_grants=grantable_describe, batch=True)
def _(c):
    return c.lf.batch_revoke_permissions(Entries=[dict(grantee_entry(c), Id="1")])


@lf_op("ListPermissions")
def _(c):
    return c.lf.list_permissions()


@lf_op("GetEffectivePermissionsForPath")
def _(c):
    return c.lf.get_effective_permissions_for_path(ResourceArn=REG_ARN)


# Lake Formation: registered locations and settings
@lf_op("RegisterResource", prepare=lambda w, tag: {"arn": "arn:aws:s3:::lfr-%s/p" % tag.replace("_", "-")})
def _(c):
    return c.lf.register_resource(ResourceArn=c.arn, UseServiceLinkedRole=True)


@lf_op("DeregisterResource", prepare=fresh_location)
def _(c):
    return c.lf.deregister_resource(ResourceArn=c.arn)


@lf_op("DescribeResource")
def _(c):
    return c.lf.describe_resource(ResourceArn=REG_ARN)


@lf_op("ListResources")
def _(c):
    return c.lf.list_resources()


@lf_op("GetDataLakeSettings")
def _(c):
    return c.lf.get_data_lake_settings()


@lf_op("PutDataLakeSettings")
def _(c):
    # the settings as they are (read by the administrator): a wrongly allowed call changes nothing
    return c.w.lf_raw(c.who, "PutDataLakeSettings", {"DataLakeSettings": c.w.settings()})


# Propolis' own operations
@admin_op("CreatePrincipal", prepare=lambda w, tag: {"name": "np_%s" % tag})
def _(c):
    return c.propolis("CreatePrincipal", {"Name": c.name})


@admin_op("ListPrincipals")
def _(c):
    return c.propolis("ListPrincipals", {})


@admin_op("DeletePrincipal", prepare=fresh_principal)
def _(c):
    return c.propolis("DeletePrincipal", {"Name": c.name})


@admin_op("RotateAccessKey", prepare=fresh_principal)
def _(c):
    return c.propolis("RotateAccessKey", {"Name": c.name})


@admin_op("UpdatePrincipalGroups", prepare=fresh_principal)
def _(c):
    return c.propolis("UpdatePrincipalGroups", {"Name": c.name, "Groups": ["matrix"]})


@admin_op("ListAuditEvents")
def _(c):
    return c.propolis("ListAuditEvents", {"MaxResults": 20})


@admin_op("ListLocks")
def _(c):
    return c.propolis("ListLocks", {})


@admin_op("ReleaseLock", prepare=fresh_lock)
def _(c):
    return c.propolis("ReleaseLock", {"LockId": c.lockid})


# issue 22: WhoAmI, access keys (the principal itself or an administrator), transactions, compactions
def fresh_txn(w, tag):
    thr = w.thrift()
    try:
        r = thr.open_txns(T.OpenTxnRequest(num_txns=1, user="admin", hostname="host", agentInfo="matrix-" + tag))
    finally:
        thr.close()
    return {"txnid": r.txn_ids[0]}


def key_owner(c):
    """Whose keys a case acts on: b its own (principal_for sets objs["name"] to it), the others the fresh
    principal of the case, or (reads, without one) the administrator's."""
    return c.objs.get("name", "admin")


@admin_op("WhoAmI")
def _(c):
    return c.propolis("WhoAmI", {})


@admin_op("ListAccessKeys")
def _(c):
    return c.propolis("ListAccessKeys", {"Name": key_owner(c)})


@admin_op("CreateAccessKey", prepare=fresh_principal)
def _(c):
    return c.propolis("CreateAccessKey", {"Name": key_owner(c)})


@admin_op("UpdateAccessKey", prepare=fresh_principal)
def _(c):
    return c.propolis("UpdateAccessKey", {"Name": key_owner(c), "AccessKeyId": c.w.keys[key_owner(c)][0],
                                          "Status": "INACTIVE"})


@admin_op("DeleteAccessKey", prepare=fresh_principal)
def _(c):
    return c.propolis("DeleteAccessKey", {"Name": key_owner(c), "AccessKeyId": c.w.keys[key_owner(c)][0]})


@admin_op("ListTransactions")
def _(c):
    return c.propolis("ListTransactions", {})


@admin_op("AbortTransaction", prepare=fresh_txn)
def _(c):
    return c.propolis("AbortTransaction", {"TxnId": c.txnid})


@admin_op("ListCompactions")
def _(c):
    return c.propolis("ListCompactions", {})


# issue 16: delegation tokens
def fresh_token(w, tag):
    """A delegation token of the administrator, got over Thrift; the identifier is what the CLI shows."""
    import base64
    thr = w.thrift()
    try:
        tok = thr.get_delegation_token("admin", "admin")
    finally:
        thr.close()
    raw = base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4))
    n = raw[0]  # identifiers are shorter than 112 bytes here: a one-byte vint
    return {"token_ident": base64.urlsafe_b64encode(raw[1:1 + n]).decode().rstrip("=")}


@admin_op("ListDelegationTokens")
def _(c):
    return c.propolis("ListDelegationTokens", {})


@admin_op("CancelDelegationToken", prepare=fresh_token)
def _(c):
    return c.propolis("CancelDelegationToken", {"TokenIdentifier": c.token_ident})


# ---- running a row ----

def resource_of(on, objs):
    """The Lake Formation resource a row's "on" names for these objects."""
    if on in ("catalog", "connection"):  # connections are catalog-level
        return {"Catalog": {}}
    if on in ("database", "function"):   # a function's permissions are its database's
        return {"Database": {"Name": objs["db"]}}
    if on == "table":
        return {"Table": {"DatabaseName": objs["db"], "Name": objs["table"]}}
    if on == "location":
        return {"DataLocation": {"ResourceArn": REG_ARN}}
    raise AssertionError("no Lake Formation resource for on=%r" % on)


def b_grants(row, bld, w, objs, perm, with_location):
    """What principal b holds for this row (perm: the one alternative of a perm row being tried):
    [(resource, perms, grantable)]."""
    if row["rule"] == "grantable":
        assert bld.b_grants is not None, "a grantable row needs the builder's grants"
        g = bld.b_grants(w, objs)
    elif row["rule"] == "perm":
        g = [(resource_of(row["on"], objs), [perm], [])]
    elif row["rule"] == "visible":
        g = [(resource_of(row["on"], objs), ["DESCRIBE"], [])]
    elif row["rule"] == "list":
        g = [({"Database": {"Name": DB}}, ["DESCRIBE"], [])]
    elif row["rule"] in ("public", "self"):  # self: b acts on its own keys (principal_for)
        g = []
    else:
        raise AssertionError("no grant derivation for rule %r (%s.%s)" % (row["rule"], row["door"], row["method"]))
    if row.get("location") and with_location:
        g.append(({"DataLocation": {"ResourceArn": REG_ARN}}, ["DATA_LOCATION_ACCESS"], []))
    return g


def c_sees(w, row, objs):
    """Whether the column-only principal c passes this row's check."""
    on = row["on"]
    if on == "table":
        return (objs["db"], objs["table"]) in w.c_tables
    if on in ("database", "function"):
        return any(db == objs["db"] for db, _ in w.c_tables)
    return False


def expected(row, bld, w, kind, objs):
    if kind in ("admin", "b"):
        return True
    if kind == "b-loc":
        return False
    if kind == "ro":
        return bool(row.get("readonly_admin"))
    rule = row["rule"]
    if rule in ("public", "list"):
        return True
    if rule in ("admin", "self", "grantable"):  # c and d own nothing and hold no grant option
        return False
    if kind == "d":
        return False
    if rule == "visible" or (rule == "perm" and set(row["perms"]) & {"DESCRIBE", "SELECT"}):
        return c_sees(w, row, objs)
    return False


def error_codes(resp):
    """Error codes of per-entry errors anywhere in a batch answer."""
    out = []
    if isinstance(resp, dict):
        for k, v in resp.items():
            if k == "ErrorCode" and isinstance(v, str):
                out.append(v)
            else:
                out += error_codes(v)
    elif isinstance(resp, list):
        for v in resp:
            out += error_codes(v)
    return out


def run_call(bld, case):
    """('allowed', resp) | ('denied', None) | ('error', text)."""
    try:
        resp = bld.call(case)
    except botocore.exceptions.ClientError as e:
        code = e.response["Error"]["Code"]
        return ("denied", None) if code == "AccessDeniedException" else ("error", "%s: %s" % (code, e))
    except PropolisError as e:
        return ("denied", None) if e.code.endswith("AccessDeniedException") else ("error", str(e))
    if isinstance(resp, dict):
        resp.pop("ResponseMetadata", None)
    if bld.batch:
        codes = error_codes(resp)
        if any("AccessDenied" in x for x in codes):
            return ("denied", None) if all("AccessDenied" in x for x in codes) else ("error", "mixed %s" % codes)
        if codes:
            return ("error", "entry errors %s in %s" % (codes, json.dumps(resp, default=str)[:400]))
    return ("allowed", resp)


def leaks_in(bld, case, kind, resp):
    """Names a successful answer to this principal must not carry."""
    if kind in ("admin", "ro") or (kind == "b" and case.who == "admin2"):
        return []
    if bld.echo is not None and kind == "c":
        resp = bld.echo(resp, case)
    text = json.dumps(resp, default=str).lower()
    objects = [HIDDEN_T, HIDDEN_DB] + ([T1, T3, DB] if kind == "d" else [])
    found = [m for m in objects if re.search(r"(?<![a-z0-9_])%s(?![a-z0-9_])" % re.escape(m), text)]
    if kind == "c":  # hidden column names: anywhere, even inside a longer word
        found += [m for m in HIDDEN_COLUMNS if m in text]
    return [(m, where(resp, m)) for m in found]


def descriptor_columns(doc, out=None):
    """The column names of every StorageDescriptor in an answer."""
    out = [] if out is None else out
    if isinstance(doc, dict):
        sd = doc.get("StorageDescriptor")
        if isinstance(sd, dict) and "Columns" in sd:
            out.append([c.get("Name") for c in sd["Columns"]])
        for v in doc.values():
            descriptor_columns(v, out)
    elif isinstance(doc, list):
        for v in doc:
            descriptor_columns(v, out)
    return out


def where(doc, marker, path="", out=None):
    """The paths (a.b[0].c) at which marker occurs in doc, at most three, for the report."""
    out = [] if out is None else out
    if len(out) >= 3:
        return out
    if isinstance(doc, dict):
        for k, v in doc.items():
            if marker in str(k).lower():
                out.append(path + "." + str(k))
            where(v, marker, "%s.%s" % (path, k), out)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            where(v, marker, "%s[%d]" % (path, i), out)
    elif marker in str(doc).lower():
        out.append(path or ".")
    return out[:3]


class Tally:
    def __init__(self):
        self.cases = self.allowed = self.denied = self.errors = 0
        self.leaks, self.failures = [], []
        self.ops = set()
        self.by_kind = {}  # kind → [allowed, denied, errors]


def snapshot(w, objs):
    """What the administrator sees of a case's fresh objects, to show that a denied call changed nothing."""
    g, out = w.glue(), {}

    def grab(key, fn):
        try:
            r = fn()
        except (botocore.exceptions.ClientError, PropolisError) as e:
            r = str(e)
        if isinstance(r, dict):
            r.pop("ResponseMetadata", None)
        out[key] = json.dumps(r, default=str, sort_keys=True)

    db, table, name = objs.get("db"), objs.get("table"), objs.get("name")
    if db:
        grab("database", lambda: g.get_database(Name=db))
    if table:
        grab("table", lambda: g.get_table(DatabaseName=db, Name=table))
        grab("partitions", lambda: g.get_partitions(DatabaseName=db, TableName=table))
        grab("versions", lambda: g.get_table_versions(DatabaseName=db, TableName=table))
        grab("stats", lambda: g.get_column_statistics_for_table(DatabaseName=db, TableName=table, ColumnNames=["id"]))
        grab("pstats", lambda: g.get_column_statistics_for_partition(DatabaseName=db, TableName=table,
                                                                     PartitionValues=PART, ColumnNames=["id"]))
        grab("indexes", lambda: g.get_partition_indexes(DatabaseName=db, TableName=table))
        grab("tags", lambda: g.get_tags(ResourceArn="arn:aws:glue:us-east-1:%s:table/%s/%s" % (ACCOUNT, db, table)))
        grab("grants", lambda: w.lf().list_permissions(Resource={"Table": {"DatabaseName": db, "Name": table}}))
    if name and db:
        grab("ntable", lambda: g.get_table(DatabaseName=db, Name=name))
        grab("function", lambda: g.get_user_defined_function(DatabaseName=db, FunctionName=name))
    if name:
        grab("connection", lambda: g.get_connection(Name=name))
        grab("principal", lambda: [p for p in w.lf_raw_principals() if p["Name"] == name])
    if objs.get("arn"):
        grab("location", lambda: w.lf().describe_resource(ResourceArn=objs["arn"]))
    if objs.get("txnid"):
        grab("txn", lambda: [x for x in propolis_call(w.srv, *w.keys["admin"], "ListTransactions", {})[1]
                             ["Transactions"] if x["TxnId"] == objs["txnid"]])
    if objs.get("lockid"):
        grab("lock", lambda: [x for x in propolis_call(w.srv, *w.keys["admin"], "ListLocks", {})[1]["Locks"]
                              if x["LockId"] == objs["lockid"]])
    if objs.get("token_ident"):
        grab("token", lambda: [x for x in propolis_call(w.srv, *w.keys["admin"], "ListDelegationTokens", {})[1]["Tokens"]
                               if x["TokenIdentifier"] == objs["token_ident"]])
    return out


def kinds_of(row):
    """The principals a row runs as: (kind, the perm alternative b holds or None)."""
    assert row["rule"] != "perm" or row["perms"], "a perm row names no permission"
    alts = row["perms"] if row["rule"] == "perm" else [None]
    out = [("admin", None)] + [("b", p) for p in alts]
    if row.get("location"):
        out += [("b-loc", p) for p in alts]
    if row["rule"] == "admin":
        out.append(("ro", None))
    return out + [("c", None), ("d", None)]


def principal_for(w, row, bld, kind, perm, objs, tag):
    """The principal a case runs as, its grants made."""
    if kind in ("admin", "d", "ro"):
        return kind
    if kind == "c":
        if objs.get("c_table"):
            w.grant_columns("c", *objs["c_table"])
        return "c"
    if row["rule"] == "admin":
        return "admin2"
    who = w.create_principal("b%s_%s" % (tag, uuid.uuid4().hex[:4]))
    for res, perms, grantable in b_grants(row, bld, w, objs, perm, kind == "b"):
        w.grant(who, res, perms, grantable)
    if row["rule"] == "self" and row["on"] == "principal":
        objs["name"] = who  # its own keys
    return who


def run_row(w, t, idx, row, bld):
    for target in bld.targets:
        for n, (kind, perm) in enumerate(kinds_of(row)):
            tag = "%d_%d%s" % (idx, n, "" if target is None else "t" + target[-1])
            objs = bld.prepare(w, tag) if bld.prepare else {"db": DB, "table": target or T1}
            who = principal_for(w, row, bld, kind, perm, objs, tag)
            want = expected(row, bld, w, kind, objs)
            before = snapshot(w, objs) if bld.prepare else None
            case = Case(w, who, objs)
            got, resp = run_call(bld, case)
            name = "%s.%s%s as %s%s" % (row["door"], row["method"], "" if target is None else "(%s)" % target, kind,
                                        "" if perm is None else "(%s)" % perm)
            t.cases += 1
            t.ops.add((row["door"], row["method"], target))
            t.by_kind.setdefault(kind, [0, 0, 0])[{"allowed": 0, "denied": 1, "error": 2}[got]] += 1
            if got == "error":
                t.errors += 1
                before = None
                t.failures.append("%s: expected %s, got error %s" % (name, "allowed" if want else "denied", resp))
                continue
            if got == "allowed":
                t.allowed += 1
                # every builder with fresh objects writes: an allowed call that changed nothing
                # means the builder tested nothing
                if before is not None and snapshot(w, objs) == before:
                    t.failures.append("%s: allowed, yet nothing changed" % name)
            else:
                t.denied += 1
                after = snapshot(w, objs) if before is not None else None
                for k in sorted(before or {}):
                    if before[k] != after[k]:
                        t.failures.append("%s: denied, yet %s changed" % (name, k))
            if (got == "allowed") != want:
                t.failures.append("%s: expected %s, got %s (rule %s %s on %s%s)" % (
                    name, "allowed" if want else "denied", got, row["rule"], row.get("perms"), row.get("on"),
                    ", location" if row.get("location") else ""))
            if got == "allowed":
                for m, paths in leaks_in(bld, case, kind, resp):
                    t.leaks.append("%s: reply names %s at %s" % (name, m, ", ".join(paths)))
            if got == "allowed" and kind == "c":
                # every table c sees has the same columns, of which c holds id and name: no more, no less
                for cols in descriptor_columns(resp):
                    if cols != VISIBLE_COLUMNS:
                        t.failures.append("%s: c sees columns %s, not %s" % (name, cols, VISIBLE_COLUMNS))


# ---- the server ----

@pytest.fixture(scope="module")
def matrix_server(pg, tmp_path_factory):
    """A server with the HTTP door and a trust-ugi Thrift listener (t3 and locks are made through Thrift)."""
    yield from harness.lf_server(pg, tmp_path_factory, "matrix_http")


def test_every_http_row_has_a_builder_and_every_builder_a_row():
    rows = authz_rows()
    keys = [(r["door"], r["method"]) for r in rows]
    dups = sorted({k for k in keys if keys.count(k) > 1})
    assert not dups, "rows listed twice: %s" % dups
    no_builder = sorted(set(keys) - set(BUILDERS))
    no_row = sorted(set(BUILDERS) - set(keys))
    assert not no_builder, "authorization rows without a request builder: %s" % no_builder
    assert not no_row, "request builders without an authorization row: %s" % no_row


def test_http_permission_matrix(matrix_server):
    rows = authz_rows()
    w = World(matrix_server)
    setup_world(w)
    t = Tally()
    missing = []
    for idx, row in enumerate(rows):
        bld = BUILDERS.get((row["door"], row["method"]))
        if bld is None:
            missing.append("%s.%s" % (row["door"], row["method"]))
            continue
        try:
            run_row(w, t, idx, row, bld)
        except Exception as e:  # noqa: BLE001 - a row the builder cannot run is a failure, not a crash
            t.failures.append("%s.%s: could not run: %s: %s" % (row["door"], row["method"], type(e).__name__, e))
    extra = sorted("%s.%s" % k for k in set(BUILDERS) - {(r["door"], r["method"]) for r in rows})
    print("\nHTTP permission matrix: %d rows, %d operations (with targets) x principals = %d cases; "
          "%d allowed, %d denied, %d errors, %d leaks, %d failures" % (
              len(rows), len(t.ops), t.cases, t.allowed, t.denied, t.errors, len(t.leaks), len(t.failures)))
    print("by principal (allowed/denied/errors): " + ", ".join(
        "%s %d/%d/%d" % (k, *t.by_kind[k]) for k in KINDS if k in t.by_kind))
    for f in t.failures:
        print("FAIL " + f)
    for x in t.leaks:
        print("LEAK " + x)
    assert not missing, "rows without a builder: %s" % missing
    assert not extra, "builders without a row: %s" % extra
    assert t.cases >= 4 * len(rows)
    assert t.leaks == [] and t.failures == [], "%d failures, %d leaks (see output)" % (len(t.failures), len(t.leaks))
