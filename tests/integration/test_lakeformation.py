# tests/integration/test_lakeformation.py — the Lake Formation door (REST-JSON, POST /<Op>,
# SigV4) through boto3's lakeformation client, the AWS CLI and raw signed requests: every
# operation; bad input gets a typed error and changes nothing (ListPermissions before and after
# equal); batches report failed entries with HTTP 200; pagination walks every row and refuses
# tampered tokens; non-admin principals (made with Propolis.CreatePrincipal) can grant only with
# a grant option; every grant and revoke is audited.

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

sys.path.insert(0, "/usr/lib/python3/dist-packages")
boto3 = pytest.importorskip("boto3")
import botocore.config  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

import harness  # noqa: E402

ACCOUNT = "000000000000"
IAP = "IAM_ALLOWED_PRINCIPALS"
NO_RETRY = botocore.config.Config(retries={"max_attempts": 1})


@pytest.fixture(scope="module")
def lf_server(pg, tmp_path_factory):
    """A server with the HTTP door (Glue + Lake Formation) on a free port and its admin credentials."""
    yield from harness.lf_server(pg, tmp_path_factory, "lf", trust_ugi=False)


def client(srv, service, key_id=None, secret=None):
    return boto3.client(service, endpoint_url=srv.endpoint, region_name="us-east-1",
                        aws_access_key_id=key_id or srv.key_id, aws_secret_access_key=secret or srv.secret,
                        config=NO_RETRY)


@pytest.fixture
def lf(lf_server):
    return client(lf_server, "lakeformation")


@pytest.fixture
def glue(lf_server):
    return client(lf_server, "glue")


def signed(srv, path, body, target=None, service="lakeformation", ctype="application/json", key_id=None,
           secret=None, raw=None):
    """A hand-made POST signed by botocore's SigV4Auth; returns (status, headers, JSON body)."""
    data = raw if raw is not None else json.dumps(body)
    headers = {"Content-Type": ctype} if ctype else {}
    if target:
        headers["X-Amz-Target"] = target
    req = AWSRequest(method="POST", url=srv.endpoint + path, data=data, headers=headers)
    SigV4Auth(Credentials(key_id or srv.key_id, secret or srv.secret), service, "us-east-1").add_auth(req)
    r = urllib.request.Request(srv.endpoint + path, data=data.encode() if isinstance(data, str) else data,
                               method="POST", headers=dict(req.headers.items()))
    try:
        with urllib.request.urlopen(r, timeout=20) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read() or b"{}")


def create_principal(srv, name, groups=()):
    """A non-admin principal through Propolis.CreatePrincipal (admin only); returns (arn, key, secret)."""
    code, _, body = signed(srv, "/", {"Name": name, "Kind": "USER", "Groups": list(groups)},
                           target="Propolis.CreatePrincipal", service="propolis",
                           ctype="application/x-amz-json-1.1")
    assert code == 200, body
    return body["Arn"], body["AccessKeyId"], body["SecretAccessKey"]


def table_input(name, cols=("id", "name", "secret"), location=None):
    sd = {"Columns": [{"Name": c, "Type": "string"} for c in cols]}
    if location:
        sd["Location"] = location
    return {"Name": name, "StorageDescriptor": sd, "PartitionKeys": [{"Name": "dt", "Type": "string"}]}


@pytest.fixture
def objects(glue):
    """A fresh database with tables t1 (id, name, secret; partitioned by dt) and t2."""
    db = harness.uniq("lfdb")
    glue.create_database(DatabaseInput={"Name": db, "LocationUri": "s3://lake/%s" % db})
    glue.create_table(DatabaseName=db, TableInput=table_input("t1", location="s3://lake/%s/t1" % db))
    glue.create_table(DatabaseName=db, TableInput=table_input("t2", location="s3://other/t2"))
    yield db
    glue.delete_database(Name=db)


def all_permissions(lf, **kw):
    """Every row of ListPermissions, walked page by page, as comparable JSON strings."""
    rows, token = [], None
    while True:
        args = dict(kw)
        if token:
            args["NextToken"] = token
        page = lf.list_permissions(**args)
        rows += page["PrincipalResourcePermissions"]
        token = page.get("NextToken")
        if not token:
            return rows


def snapshot(lf):
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in all_permissions(lf))


def of(rows, principal):
    return [r for r in rows if r["Principal"]["DataLakePrincipalIdentifier"] == principal]


def db_res(db):
    return {"Database": {"Name": db}}


def table_res(db, t):
    return {"Table": {"DatabaseName": db, "Name": t}}


def user_arn(name):
    return "arn:aws:iam::%s:user/%s" % (ACCOUNT, name)


@pytest.fixture(scope="module")
def alice(lf_server):
    return create_principal(lf_server, harness.uniq("alice"))


@pytest.fixture(scope="module")
def bob(lf_server):
    return create_principal(lf_server, harness.uniq("bob"), groups=["analysts"])


def test_lf_grant_list_revoke_database(lf, objects, alice):
    arn = alice[0]
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects),
                         Permissions=["ALTER", "DESCRIBE"], PermissionsWithGrantOption=["DESCRIBE"])
    rows = of(all_permissions(lf, Principal={"DataLakePrincipalIdentifier": arn}), arn)
    assert len(rows) == 1
    r = rows[0]
    assert r["Resource"] == {"Database": {"CatalogId": ACCOUNT, "Name": objects}}
    assert sorted(r["Permissions"]) == ["ALTER", "DESCRIBE"]
    assert r["PermissionsWithGrantOption"] == ["DESCRIBE"]
    # A re-grant merges: CREATE_TABLE added, ALTER gains the grant option, nothing lost.
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects),
                         Permissions=["CREATE_TABLE", "ALTER"], PermissionsWithGrantOption=["ALTER"])
    r = of(all_permissions(lf, Resource=db_res(objects)), arn)[0]
    assert sorted(r["Permissions"]) == ["ALTER", "CREATE_TABLE", "DESCRIBE"]
    assert sorted(r["PermissionsWithGrantOption"]) == ["ALTER", "DESCRIBE"]
    # Revoking the grant option alone keeps the permission.
    lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects),
                          Permissions=[], PermissionsWithGrantOption=["ALTER"])
    r = of(all_permissions(lf, Resource=db_res(objects)), arn)[0]
    assert sorted(r["Permissions"]) == ["ALTER", "CREATE_TABLE", "DESCRIBE"]
    assert r["PermissionsWithGrantOption"] == ["DESCRIBE"]
    lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects),
                          Permissions=["ALTER", "CREATE_TABLE", "DESCRIBE"])
    assert of(all_permissions(lf, Resource=db_res(objects)), arn) == []


def test_lf_select_split_and_columns(lf, objects, alice):
    arn = alice[0]
    p = {"DataLakePrincipalIdentifier": arn}
    lf.grant_permissions(Principal=p, Resource=table_res(objects, "t1"), Permissions=["ALTER", "SELECT"],
                         PermissionsWithGrantOption=["SELECT"])
    rows = of(all_permissions(lf, Resource=table_res(objects, "t1")), arn)
    by_kind = {list(r["Resource"])[0]: r for r in rows}
    assert set(by_kind) == {"Table", "TableWithColumns"}
    assert by_kind["Table"]["Permissions"] == ["ALTER"] and by_kind["Table"]["PermissionsWithGrantOption"] == []
    twc = by_kind["TableWithColumns"]
    assert twc["Resource"]["TableWithColumns"] == {"CatalogId": ACCOUNT, "DatabaseName": objects, "Name": "t1",
                                                   "ColumnWildcard": {}}
    assert twc["Permissions"] == ["SELECT"] and twc["PermissionsWithGrantOption"] == ["SELECT"]
    # TableWithColumns{ColumnWildcard{}} is the same whole-table SELECT: revoking it leaves ALTER.
    lf.revoke_permissions(Principal=p, Resource={"TableWithColumns": {"DatabaseName": objects, "Name": "t1",
                                                                      "ColumnWildcard": {}}},
                          Permissions=["SELECT"])
    rows = of(all_permissions(lf, Resource=table_res(objects, "t1")), arn)
    assert [(list(r["Resource"])[0], r["Permissions"]) for r in rows] == [("Table", ["ALTER"])]
    # Column grants union; a column revoke removes those columns.
    cols = lambda names: {"TableWithColumns": {"DatabaseName": objects, "Name": "t1", "ColumnNames": names}}  # noqa
    lf.grant_permissions(Principal=p, Resource=cols(["id"]), Permissions=["SELECT"])
    lf.grant_permissions(Principal=p, Resource=cols(["NAME"]), Permissions=["SELECT"])
    twc = [r for r in of(all_permissions(lf, Resource=table_res(objects, "t1")), arn)
           if "TableWithColumns" in r["Resource"]]
    assert twc[0]["Resource"]["TableWithColumns"]["ColumnNames"] == ["id", "name"]
    lf.revoke_permissions(Principal=p, Resource=cols(["id"]), Permissions=["SELECT"])
    twc = [r for r in of(all_permissions(lf, Resource=table_res(objects, "t1")), arn)
           if "TableWithColumns" in r["Resource"]]
    assert twc[0]["Resource"]["TableWithColumns"]["ColumnNames"] == ["name"]
    # Wildcard with exclusions, then the rest: the union is the whole table again.
    lf.grant_permissions(Principal=p, Resource={"TableWithColumns": {
        "DatabaseName": objects, "Name": "t1", "ColumnWildcard": {"ExcludedColumnNames": ["secret", "name"]}}},
        Permissions=["SELECT"])
    twc = [r for r in of(all_permissions(lf, Resource=table_res(objects, "t1")), arn)
           if "TableWithColumns" in r["Resource"]]
    assert twc[0]["Resource"]["TableWithColumns"]["ColumnWildcard"] == {"ExcludedColumnNames": ["secret"]}
    lf.grant_permissions(Principal=p, Resource=cols(["secret"]), Permissions=["SELECT"])
    twc = [r for r in of(all_permissions(lf, Resource=table_res(objects, "t1")), arn)
           if "TableWithColumns" in r["Resource"]]
    assert twc[0]["Resource"]["TableWithColumns"]["ColumnWildcard"] == {}


def test_lf_table_wildcard_rows(lf, objects, alice):
    arn = alice[0]
    p = {"DataLakePrincipalIdentifier": arn}
    wild = {"Table": {"DatabaseName": objects, "TableWildcard": {}}}
    lf.grant_permissions(Principal=p, Resource=wild, Permissions=["SELECT", "DESCRIBE"])
    rows = of(all_permissions(lf, Principal=p, ResourceType="TABLE"), arn)
    rows = [r for r in rows if objects in json.dumps(r["Resource"])]
    shapes = sorted(json.dumps(r["Resource"], sort_keys=True) for r in rows)
    assert shapes == sorted([
        json.dumps({"Table": {"CatalogId": ACCOUNT, "DatabaseName": objects, "Name": "ALL_TABLES",
                              "TableWildcard": {}}}, sort_keys=True),
        json.dumps({"TableWithColumns": {"CatalogId": ACCOUNT, "DatabaseName": objects, "Name": "ALL_TABLES",
                                         "ColumnWildcard": {}}}, sort_keys=True)])
    # What was listed can be given back to revoke it.
    for r in rows:
        lf.revoke_permissions(Principal=p, Resource=r["Resource"], Permissions=r["Permissions"])
    assert [r for r in of(all_permissions(lf, Principal=p), arn) if objects in json.dumps(r)] == []


def test_lf_bad_input_changes_nothing(lf, objects, alice):
    arn = alice[0]
    before = snapshot(lf)
    cases = [
        # unknown principal
        (dict(Principal={"DataLakePrincipalIdentifier": user_arn("nobody_" + objects)}, Resource=db_res(objects),
              Permissions=["ALTER"]), "InvalidInputException", "principal"),
        # unknown objects
        (dict(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects + "_missing"),
              Permissions=["ALTER"]), "EntityNotFoundException", "not found"),
        (dict(Principal={"DataLakePrincipalIdentifier": arn}, Resource=table_res(objects, "missing"),
              Permissions=["ALTER"]), "EntityNotFoundException", "not found"),
        (dict(Principal={"DataLakePrincipalIdentifier": arn},
              Resource={"TableWithColumns": {"DatabaseName": objects, "Name": "t1", "ColumnNames": ["nope"]}},
              Permissions=["SELECT"]), "InvalidInputException", "Column nope"),
        # invalid permission names and permissions invalid for the resource
        (dict(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects), Permissions=["SUPER"]),
         "InvalidInputException", "not a valid permission"),
        (dict(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects), Permissions=["SELECT"]),
         "InvalidInputException", "not valid on a Database"),
        (dict(Principal={"DataLakePrincipalIdentifier": arn}, Resource={"Catalog": {}}, Permissions=["ALTER"]),
         "InvalidInputException", "not valid on a Catalog"),
        (dict(Principal={"DataLakePrincipalIdentifier": arn},
              Resource={"TableWithColumns": {"DatabaseName": objects, "Name": "t1", "ColumnNames": ["id"]}},
              Permissions=["ALTER"]), "InvalidInputException", "only SELECT"),
        # columns on a database resource: two members
        (dict(Principal={"DataLakePrincipalIdentifier": arn},
              Resource={"Database": {"Name": objects},
                        "TableWithColumns": {"DatabaseName": objects, "Name": "t1", "ColumnNames": ["id"]}},
              Permissions=["SELECT"]), "InvalidInputException", "exactly one member"),
        # grant option not a subset
        (dict(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects), Permissions=["ALTER"],
              PermissionsWithGrantOption=["DROP"]), "InvalidInputException", "subset"),
        # no resource member at all, and an unsupported one
        (dict(Principal={"DataLakePrincipalIdentifier": arn}, Resource={}, Permissions=["ALTER"]),
         "InvalidInputException", "exactly one member"),
        (dict(Principal={"DataLakePrincipalIdentifier": arn}, Resource={"LFTag": {"TagKey": "k", "TagValues": ["v"]}},
              Permissions=["ALTER"]), "InvalidInputException", "not supported"),
        (dict(Principal={"DataLakePrincipalIdentifier": arn},
              Resource={"DataLocation": {"ResourceArn": "arn:aws:s3:::never-registered/x"}},
              Permissions=["DATA_LOCATION_ACCESS"]), "EntityNotFoundException", "not registered"),
    ]
    for kw, typ, text in cases:
        with pytest.raises(lf.exceptions.ClientError) as e:
            lf.grant_permissions(**kw)
        err = e.value.response["Error"]
        assert err["Code"] == typ, (kw, err)
        assert text in err["Message"], (kw, err)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # Revoking what is not held.
    with pytest.raises(lf.exceptions.InvalidInputException) as e:
        lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects),
                              Permissions=["DROP"])
    assert e.value.response["Error"]["Message"] == ("No permissions revoked. Grantee has no permissions and no "
                                                    "grantable permissions on resource.")
    # Partly held: nothing is revoked either.
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects),
                         Permissions=["ALTER"])
    mid = snapshot(lf)
    with pytest.raises(lf.exceptions.InvalidInputException) as e:
        lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects),
                              Permissions=["ALTER", "DROP"])
    assert "DROP" in e.value.response["Error"]["Message"]
    assert snapshot(lf) == mid
    lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": arn}, Resource=db_res(objects),
                          Permissions=["ALTER"])
    assert snapshot(lf) == before
    # Another account's catalog does not exist here.
    with pytest.raises(lf.exceptions.EntityNotFoundException):
        lf.grant_permissions(CatalogId="123456789012", Principal={"DataLakePrincipalIdentifier": arn},
                             Resource=db_res(objects), Permissions=["ALTER"])
    assert snapshot(lf) == before


def test_lf_batch_grant_and_revoke(lf, objects, alice, bob):
    before = snapshot(lf)
    entries = [
        {"Id": "1", "Principal": {"DataLakePrincipalIdentifier": alice[0]}, "Resource": db_res(objects),
         "Permissions": ["DESCRIBE"]},
        {"Id": "2", "Principal": {"DataLakePrincipalIdentifier": bob[0]}, "Resource": table_res(objects, "t2"),
         "Permissions": ["SELECT", "INSERT"]},
        {"Id": "bad", "Principal": {"DataLakePrincipalIdentifier": alice[0]}, "Resource": db_res(objects),
         "Permissions": ["SELECT"]},
        {"Id": "missing", "Principal": {"DataLakePrincipalIdentifier": alice[0]},
         "Resource": table_res(objects, "nope"), "Permissions": ["SELECT"]},
    ]
    out = lf.batch_grant_permissions(Entries=entries)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    failures = {f["RequestEntry"]["Id"]: f for f in out["Failures"]}
    assert set(failures) == {"bad", "missing"}
    assert failures["bad"]["Error"]["ErrorCode"] == "InvalidInputException"
    assert failures["missing"]["Error"]["ErrorCode"] == "EntityNotFoundException"
    assert failures["bad"]["RequestEntry"]["Permissions"] == ["SELECT"]
    assert of(all_permissions(lf, Resource=db_res(objects)), alice[0])[0]["Permissions"] == ["DESCRIBE"]
    bob_rows = of(all_permissions(lf, Resource=table_res(objects, "t2")), bob[0])
    assert sorted((list(r["Resource"])[0], tuple(r["Permissions"])) for r in bob_rows) == \
        [("Table", ("INSERT",)), ("TableWithColumns", ("SELECT",))]
    # Batch revoke: one entry not held fails alone.
    out = lf.batch_revoke_permissions(Entries=[entries[0], entries[1], dict(entries[0], Id="again")])
    assert [f["RequestEntry"]["Id"] for f in out["Failures"]] == ["again"]
    assert snapshot(lf) == before
    # More than 20 entries: the request is refused as a whole.
    many = [dict(entries[0], Id=str(i)) for i in range(21)]
    with pytest.raises(lf.exceptions.InvalidInputException):
        lf.batch_grant_permissions(Entries=many)
    assert snapshot(lf) == before


def test_lf_pagination(lf_server, lf, objects, alice, bob):
    for t in ("t1", "t2"):
        for who in (alice[0], bob[0]):
            lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": who}, Resource=table_res(objects, t),
                                 Permissions=["DESCRIBE", "SELECT"])
    full = lf.list_permissions(MaxResults=1000)["PrincipalResourcePermissions"]
    assert "NextToken" not in lf.list_permissions(MaxResults=1000)
    walked, token, pages = [], None, 0
    while True:
        args = {"MaxResults": 1}
        if token:
            args["NextToken"] = token
        page = lf.list_permissions(**args)
        assert len(page["PrincipalResourcePermissions"]) <= 1
        walked += page["PrincipalResourcePermissions"]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    key = lambda r: json.dumps(r, sort_keys=True, default=str)  # noqa: E731
    assert sorted(map(key, walked)) == sorted(map(key, full))
    assert len(walked) == len(full) and pages >= len(full)
    # Each table grant lists as a Table row (DESCRIBE) and a TableWithColumns row (SELECT).
    mine = [r for r in walked if objects in json.dumps(r["Resource"]) and
            r["Principal"]["DataLakePrincipalIdentifier"] in (alice[0], bob[0])]
    assert len(mine) == 8
    # A tampered token is refused; so is one used with other filters.
    token = lf.list_permissions(MaxResults=1)["NextToken"]
    bad = token[:-2] + ("00" if not token.endswith("00") else "11")
    with pytest.raises(lf.exceptions.InvalidInputException):
        lf.list_permissions(MaxResults=1, NextToken=bad)
    with pytest.raises(lf.exceptions.InvalidInputException):
        lf.list_permissions(MaxResults=1, NextToken=token, ResourceType="DATABASE")
    code, _, body = signed(lf_server, "/ListPermissions", {"MaxResults": 0})  # botocore checks the minimum itself
    assert code == 400 and body["__type"] == "InvalidInputException"
    code, _, body = signed(lf_server, "/ListPermissions", {"MaxResults": 1001})
    assert code == 400 and body["__type"] == "InvalidInputException"
    # Filters: Principal, ResourceType, Resource.
    assert {r["Principal"]["DataLakePrincipalIdentifier"]
            for r in all_permissions(lf, Principal={"DataLakePrincipalIdentifier": bob[0]})} == {bob[0]}
    assert all(list(r["Resource"])[0] == "Database" for r in all_permissions(lf, ResourceType="DATABASE"))
    assert all(list(r["Resource"])[0] == "Catalog" for r in all_permissions(lf, ResourceType="CATALOG"))
    assert any(r["Principal"]["DataLakePrincipalIdentifier"] == IAP
               for r in all_permissions(lf, ResourceType="CATALOG"))
    assert all_permissions(lf, ResourceType="LF_TAG") == []
    with pytest.raises(lf.exceptions.InvalidInputException):
        lf.list_permissions(Resource={"TableWithColumns": {"DatabaseName": objects, "Name": "t1",
                                                           "ColumnWildcard": {}}})


def test_lf_non_admin_grants(lf_server, lf, glue, objects, alice, bob):
    a_arn, a_key, a_secret = alice
    b_arn = bob[0]
    alf = client(lf_server, "lakeformation", a_key, a_secret)
    before = snapshot(lf)
    # Without grant option: AccessDenied, and nothing changes.
    with pytest.raises(lf.exceptions.AccessDeniedException) as e:
        alf.grant_permissions(Principal={"DataLakePrincipalIdentifier": b_arn}, Resource=table_res(objects, "t1"),
                              Permissions=["SELECT"])
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(lf.exceptions.AccessDeniedException):
        alf.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": a_arn}]})
    with pytest.raises(lf.exceptions.AccessDeniedException):
        alf.register_resource(ResourceArn="arn:aws:s3:::alice-bucket")
    assert snapshot(lf) == before
    # With grant option on SELECT: alice grants SELECT onward, but not ALTER.
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": a_arn}, Resource=table_res(objects, "t1"),
                         Permissions=["SELECT", "DESCRIBE"], PermissionsWithGrantOption=["SELECT"])
    alf.grant_permissions(Principal={"DataLakePrincipalIdentifier": b_arn}, Resource=table_res(objects, "t1"),
                          Permissions=["SELECT"])
    with pytest.raises(lf.exceptions.AccessDeniedException):
        alf.grant_permissions(Principal={"DataLakePrincipalIdentifier": b_arn}, Resource=table_res(objects, "t1"),
                              Permissions=["ALTER"])
    # (LastUpdated/LastUpdatedBy are newer than Debian's botocore model: read them raw.)
    code, _, body = signed(lf_server, "/ListPermissions", {"Resource": table_res(objects, "t1")})
    rows = of(body["PrincipalResourcePermissions"], b_arn)
    assert [(list(r["Resource"])[0], r["Permissions"], r["LastUpdatedBy"]) for r in rows] == \
        [("TableWithColumns", ["SELECT"], a_arn)]
    assert abs(rows[0]["LastUpdated"] - time.time()) < 600
    # Alice sees her own grants and those on t1 (where she holds a grant option), not others'
    # (bob's on t2); an administrator sees them all.
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": b_arn}, Resource=table_res(objects, "t2"),
                         Permissions=["DESCRIBE"])
    bob_t2 = [r for r in of(all_permissions(lf), b_arn) if r["Resource"].get("Table", {}).get("Name") == "t2"]
    assert len(bob_t2) == 1
    seen = all_permissions(alf)
    assert {r["Principal"]["DataLakePrincipalIdentifier"] for r in seen} >= {a_arn, b_arn}
    t1 = {"CatalogId": ACCOUNT, "DatabaseName": objects, "Name": "t1"}
    for r in seen:
        if r["Principal"]["DataLakePrincipalIdentifier"] not in (a_arn, IAP):
            res = r["Resource"].get("Table") or r["Resource"].get("TableWithColumns")
            assert res and {k: res[k] for k in t1} == t1, r
    assert bob_t2[0] not in seen
    # The next request of bob sees the grant (and its revoke) at once: GetTable through Glue.
    bglue = client(lf_server, "glue", bob[1], bob[2])
    # Close the table to IAM_ALLOWED_PRINCIPALS so only explicit grants count.
    lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": IAP}, Resource=table_res(objects, "t1"),
                          Permissions=["ALL"])
    assert bglue.get_table(DatabaseName=objects, Name="t1")["Table"]["Name"] == "t1"
    alf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": b_arn}, Resource=table_res(objects, "t1"),
                           Permissions=["SELECT"])
    with pytest.raises(bglue.exceptions.AccessDeniedException):
        bglue.get_table(DatabaseName=objects, Name="t1")
    # A missing table in a database alice may not see: AccessDenied, not EntityNotFound.
    hidden = harness.uniq("hidden")
    glue.create_database(DatabaseInput={"Name": hidden})
    try:
        lf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": IAP}, Resource=db_res(hidden),
                              Permissions=["ALL"])
        with pytest.raises(lf.exceptions.AccessDeniedException):
            alf.grant_permissions(Principal={"DataLakePrincipalIdentifier": b_arn},
                                  Resource=table_res(hidden, "nothing"), Permissions=["SELECT"])
    finally:
        glue.delete_database(Name=hidden)


def test_lf_group_grants(lf_server, lf, objects, bob):
    group = "arn:aws:iam::%s:group/analysts" % ACCOUNT
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": group}, Resource=db_res(objects),
                         Permissions=["DESCRIBE"])
    blf = client(lf_server, "lakeformation", bob[1], bob[2])
    assert any(r["Principal"]["DataLakePrincipalIdentifier"] == group for r in all_permissions(blf))
    with pytest.raises(lf.exceptions.InvalidInputException):
        lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": "arn:aws:iam::%s:group/bad name" % ACCOUNT},
                             Resource=db_res(objects), Permissions=["DESCRIBE"])


def test_lf_data_lake_settings(lf, alice):
    s = lf.get_data_lake_settings()["DataLakeSettings"]
    admin = user_arn("admin")
    assert s["DataLakeAdmins"] == [{"DataLakePrincipalIdentifier": admin}]
    assert s["CreateDatabaseDefaultPermissions"] == [{"Principal": {"DataLakePrincipalIdentifier": IAP},
                                                      "Permissions": ["ALL"]}]
    before = lf.get_data_lake_settings()["DataLakeSettings"]
    bad = [
        dict(s, DataLakeAdmins=[]),
        dict(s, DataLakeAdmins=[{"DataLakePrincipalIdentifier": user_arn("ghost")}]),
        dict(s, DataLakeAdmins=[{"DataLakePrincipalIdentifier": admin}] * 31),
        dict(s, CreateTableDefaultPermissions=[{"Principal": {"DataLakePrincipalIdentifier": alice[0]},
                                                "Permissions": ["ALL"]}]),
        dict(s, CreateDatabaseDefaultPermissions=[{"Principal": {"DataLakePrincipalIdentifier": IAP},
                                                   "Permissions": ["SELECT"]}]),
    ]
    for doc in bad:
        with pytest.raises(lf.exceptions.InvalidInputException):
            lf.put_data_lake_settings(DataLakeSettings=doc)
        assert lf.get_data_lake_settings()["DataLakeSettings"] == before
    # Replace: alice becomes an admin too, defaults closed, other members kept as sent.
    new = dict(s, DataLakeAdmins=[{"DataLakePrincipalIdentifier": admin},
                                  {"DataLakePrincipalIdentifier": alice[0]}],
               CreateDatabaseDefaultPermissions=[], CreateTableDefaultPermissions=[],
               TrustedResourceOwners=["111122223333"], Parameters={"CROSS_ACCOUNT_VERSION": "3"})
    lf.put_data_lake_settings(DataLakeSettings=new)
    got = lf.get_data_lake_settings()["DataLakeSettings"]
    assert sorted(a["DataLakePrincipalIdentifier"] for a in got["DataLakeAdmins"]) == sorted([admin, alice[0]])
    assert got["CreateDatabaseDefaultPermissions"] == [] and got["TrustedResourceOwners"] == ["111122223333"]
    assert got["Parameters"] == {"CROSS_ACCOUNT_VERSION": "3"}
    # Back as it was (alice no longer an admin).
    lf.put_data_lake_settings(DataLakeSettings=before)
    assert lf.get_data_lake_settings()["DataLakeSettings"] == before


def test_lf_resources_and_effective_permissions(lf_server, lf, objects, alice):
    arn = "arn:aws:s3:::lake/%s" % objects
    lf.register_resource(ResourceArn=arn + "/", UseServiceLinkedRole=True)
    try:
        with pytest.raises(lf.exceptions.AlreadyExistsException):
            lf.register_resource(ResourceArn=arn, RoleArn="arn:aws:iam::%s:role/lf" % ACCOUNT)
        info = lf.describe_resource(ResourceArn=arn)["ResourceInfo"]
        assert info["ResourceArn"] == arn and "AWSServiceRoleForLakeFormationDataAccess" in info["RoleArn"]
        assert abs(info["LastModified"].timestamp() - time.time()) < 600
        listed = [r["ResourceArn"] for r in lf.list_resources()["ResourceInfoList"]]
        assert arn in listed
        f = lf.list_resources(FilterConditionList=[{"Field": "RESOURCE_ARN", "ComparisonOperator": "EQ",
                                                    "StringValueList": [arn]}])["ResourceInfoList"]
        assert [r["ResourceArn"] for r in f] == [arn]
        with pytest.raises(lf.exceptions.InvalidInputException):
            lf.register_resource(ResourceArn="arn:aws:s3:::Bad_Bucket")
        with pytest.raises(lf.exceptions.EntityNotFoundException):
            lf.describe_resource(ResourceArn=arn + "-missing")
        with pytest.raises(lf.exceptions.EntityNotFoundException):
            lf.deregister_resource(ResourceArn=arn + "-missing")
        # Location grants.
        loc = {"DataLocation": {"ResourceArn": arn}}
        lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": alice[0]}, Resource=loc,
                             Permissions=["DATA_LOCATION_ACCESS"])
        rows = of(all_permissions(lf, Resource=loc), alice[0])
        assert rows[0]["Resource"] == {"DataLocation": {"CatalogId": ACCOUNT, "ResourceArn": arn}}
        # Effective permissions for the path: the database (located there) and t1, not t2 (elsewhere).
        lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": alice[0]}, Resource=table_res(objects, "t2"),
                             Permissions=["ALTER"])
        lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": alice[0]}, Resource=table_res(objects, "t1"),
                             Permissions=["ALTER"])
        eff = lf.get_effective_permissions_for_path(ResourceArn=arn)["Permissions"]
        names = {json.dumps(r["Resource"], sort_keys=True) for r in eff}
        assert any('"Name": "t1"' in n for n in names) and not any('"Name": "t2"' in n for n in names)
        assert any('"Database"' in n for n in names)
        eff1 = lf.get_effective_permissions_for_path(ResourceArn=arn, MaxResults=1)
        assert len(eff1["Permissions"]) == 1 and "NextToken" in eff1
    finally:
        lf.deregister_resource(ResourceArn=arn)
    assert of(all_permissions(lf, ResourceType="DATA_LOCATION"), alice[0]) == []


def test_lf_wire_details(lf_server):
    # Errors carry both the header (read first by botocore's REST-JSON parser) and the body type.
    code, headers, body = signed(lf_server, "/GrantPermissions", {"Principal": {}})
    assert code == 400
    assert {k.lower(): v for k, v in headers.items()}["x-amzn-errortype"] == "InvalidInputException"
    assert body["__type"] == "InvalidInputException" and body["message"]
    code, _, body = signed(lf_server, "/NoSuchOperation", {})
    assert code == 404 and body["__type"] == "UnknownOperationException"
    code, _, body = signed(lf_server, "/ListPermissions", {}, ctype="text/plain")
    assert code == 400 and body["__type"] == "SerializationException"
    code, _, body = signed(lf_server, "/ListPermissions", {}, ctype="application/x-amz-json-1.1")
    assert code == 200 and "PrincipalResourcePermissions" in body
    code, _, body = signed(lf_server, "/ListPermissions", {}, secret="x" * 40)
    assert code == 403 and body["__type"] == "InvalidSignatureException"
    code, _, body = signed(lf_server, "/ListPermissions", None, raw="{not json")
    assert code == 400 and body["__type"] == "SerializationException"


def test_lf_audit(lf_server, lf, objects, alice):
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": alice[0]}, Resource=db_res(objects),
                         Permissions=["DROP"])
    alf = client(lf_server, "lakeformation", alice[1], alice[2])
    with pytest.raises(lf.exceptions.AccessDeniedException):
        alf.revoke_permissions(Principal={"DataLakePrincipalIdentifier": alice[0]}, Resource=db_res(objects),
                               Permissions=["DROP"])
    want = {(user_arn("admin"), "GrantPermissions", "t"), (alice[0], "RevokePermissions", "f")}
    deadline = time.monotonic() + 10
    while True:
        out = harness.psql(lf_server.db_url, "SELECT principal || '|' || operation || '|' || allowed::text"
                                             " FROM authz_audit WHERE door = 'lakeformation'"
                                             " AND resource = 'database %s'" % objects)
        got = {tuple(line.split("|")) for line in out.split() if line}
        got = {(p, o, a[0]) for p, o, a in got}
        if want <= got or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert want <= got


def test_lf_aws_cli(lf_server, tmp_path):
    aws = "/usr/bin/aws"
    if not os.path.exists(aws):
        pytest.skip("awscli not installed")
    env = dict(os.environ, AWS_SHARED_CREDENTIALS_FILE=lf_server.creds_path, AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=str(tmp_path / "none"), PATH="/usr/bin:/bin")
    env.pop("AWS_ACCESS_KEY_ID", None)
    env.pop("AWS_SECRET_ACCESS_KEY", None)
    out = subprocess.run([aws, "lakeformation", "list-permissions", "--endpoint-url", lf_server.endpoint,
                          "--output", "json"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["PrincipalResourcePermissions"]
    assert any(r["Principal"]["DataLakePrincipalIdentifier"] == IAP for r in rows)
    out = subprocess.run([aws, "lakeformation", "get-data-lake-settings", "--endpoint-url", lf_server.endpoint,
                          "--output", "json"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["DataLakeSettings"]["DataLakeAdmins"] == \
        [{"DataLakePrincipalIdentifier": user_arn("admin")}]
    out = subprocess.run([aws, "lakeformation", "grant-permissions", "--endpoint-url", lf_server.endpoint,
                          "--principal", "DataLakePrincipalIdentifier=" + user_arn("ghost"),
                          "--resource", '{"Catalog": {}}', "--permissions", "CREATE_DATABASE"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode != 0 and "InvalidInputException" in out.stderr


def test_lf_aws_sdk_for_javascript(lf_server):
    js_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "js")
    node = "/usr/bin/node" if os.path.exists("/usr/bin/node") else None
    if node is None:
        pytest.skip("node is not installed: the AWS SDK for JavaScript tests need Node.js 18 or newer")
    if not os.path.isdir(os.path.join(js_dir, "node_modules", "@aws-sdk", "client-lakeformation")):
        pytest.skip("@aws-sdk/client-lakeformation is not installed: run `npm ci` in tests/js (tests/run-all.sh does)")
    env = dict(os.environ, PROPOLIS_GLUE_ENDPOINT=lf_server.endpoint, AWS_ACCESS_KEY_ID=lf_server.key_id,
               AWS_SECRET_ACCESS_KEY=lf_server.secret, AWS_REGION="us-east-1",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    out = subprocess.run([node, "--test", "--test-concurrency=1", "lakeformation.test.js"], cwd=js_dir, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-3000:]
    assert "# fail 0" in out.stdout and "# pass 3" in out.stdout, out.stdout[-3000:]


def test_lf_concurrent_grants_merge(lf_server, lf, objects, alice):
    """Concurrent grants to one principal on one object all land (no lost update of the merge)."""
    import threading
    arn = alice[0]
    p = {"DataLakePrincipalIdentifier": arn}
    cols = ("id", "name", "secret", "dt")
    jobs = [dict(Resource=db_res(objects), Permissions=[perm]) for perm in ("ALTER", "CREATE_TABLE", "DESCRIBE", "DROP")]
    jobs += [dict(Resource={"TableWithColumns": {"DatabaseName": objects, "Name": "t1", "ColumnNames": [c]}},
                  Permissions=["SELECT"]) for c in cols]
    clients = [client(lf_server, "lakeformation") for _ in range(4)]
    for rnd in range(6):
        for batch in (jobs[:4], jobs[4:]):
            errors = []
            start = threading.Barrier(len(batch))

            def run(c, job):
                start.wait()
                try:
                    c.grant_permissions(Principal=p, **job)
                except Exception as e:  # noqa: BLE001 — reported below
                    errors.append(e)

            threads = [threading.Thread(target=run, args=(c, j)) for c, j in zip(clients, batch)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert errors == []
        rows = of(all_permissions(lf, Principal=p), arn)
        db_row = [r for r in rows if r["Resource"].get("Database", {}).get("Name") == objects]
        assert sorted(db_row[0]["Permissions"]) == ["ALTER", "CREATE_TABLE", "DESCRIBE", "DROP"], rnd
        # Every column, named one by one: still an include list (a column added later is not in it).
        twc = [r for r in rows if r["Resource"].get("TableWithColumns", {}).get("DatabaseName") == objects]
        assert twc[0]["Resource"]["TableWithColumns"]["ColumnNames"] == sorted(cols), rnd
        lf.revoke_permissions(Principal=p, Resource=db_res(objects),
                              Permissions=["ALTER", "CREATE_TABLE", "DESCRIBE", "DROP"])
        lf.revoke_permissions(Principal=p, Resource={"TableWithColumns": {
            "DatabaseName": objects, "Name": "t1", "ColumnNames": list(cols)}}, Permissions=["SELECT"])
        assert of(all_permissions(lf, Principal=p), arn) == []
