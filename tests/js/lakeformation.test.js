// tests/js/lakeformation.test.js — the Lake Formation door through the AWS SDK for JavaScript v3
// (node:test): grant, list (with the paginator), revoke, typed errors and settings. The server's
// endpoint and the administrator's keys come from the environment (PROPOLIS_GLUE_ENDPOINT,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), set by tests/integration/test_lakeformation.py.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { GlueClient, CreateDatabaseCommand, CreateTableCommand, DeleteDatabaseCommand } from "@aws-sdk/client-glue";
import {
  LakeFormationClient, GrantPermissionsCommand, RevokePermissionsCommand, ListPermissionsCommand,
  BatchGrantPermissionsCommand, GetDataLakeSettingsCommand, InvalidInputException, EntityNotFoundException,
  paginateListPermissions,
} from "@aws-sdk/client-lakeformation";

const endpoint = process.env.PROPOLIS_GLUE_ENDPOINT;
if (!endpoint) throw new Error("PROPOLIS_GLUE_ENDPOINT is not set");
const config = {
  endpoint,
  region: "us-east-1",
  maxAttempts: 1,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
};
const glue = new GlueClient(config);
const lf = new LakeFormationClient(config);
const db = `lfjs_${process.pid}_${Date.now()}`;
const group = { DataLakePrincipalIdentifier: "arn:aws:iam::000000000000:group/jsreaders" };
const table = { Table: { DatabaseName: db, Name: "events" } };

before(async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
  await glue.send(new CreateTableCommand({
    DatabaseName: db,
    TableInput: { Name: "events", StorageDescriptor: { Columns: [{ Name: "id", Type: "bigint" }, { Name: "pii", Type: "string" }] } },
  }));
});

after(async () => {
  await glue.send(new DeleteDatabaseCommand({ Name: db }));
});

async function groupRows() {
  const rows = [];
  for await (const page of paginateListPermissions({ client: lf, pageSize: 1 }, { Principal: group })) {
    rows.push(...page.PrincipalResourcePermissions);
  }
  return rows.filter((r) => JSON.stringify(r.Resource).includes(db));
}

test("grant, list (SELECT split, paginator), revoke", async () => {
  await lf.send(new GrantPermissionsCommand({
    Principal: group, Resource: table, Permissions: ["DESCRIBE", "SELECT"], PermissionsWithGrantOption: ["SELECT"],
  }));
  const listed = await lf.send(new ListPermissionsCommand({ Resource: table }));
  const mine = listed.PrincipalResourcePermissions.filter(
    (r) => r.Principal.DataLakePrincipalIdentifier === group.DataLakePrincipalIdentifier);
  assert.equal(mine.length, 2);
  const tbl = mine.find((r) => r.Resource.Table);
  const cols = mine.find((r) => r.Resource.TableWithColumns);
  assert.deepEqual(tbl.Permissions, ["DESCRIBE"]);
  assert.deepEqual(cols.Permissions, ["SELECT"]);
  assert.deepEqual(cols.PermissionsWithGrantOption, ["SELECT"]);
  assert.deepEqual(cols.Resource.TableWithColumns.ColumnWildcard, {});
  assert.ok(tbl.LastUpdated instanceof Date);
  assert.deepEqual((await groupRows()).length, 2);

  await lf.send(new RevokePermissionsCommand({ Principal: group, Resource: table, Permissions: ["SELECT"] }));
  const left = await groupRows();
  assert.equal(left.length, 1);
  assert.deepEqual(left[0].Permissions, ["DESCRIBE"]);
  await lf.send(new RevokePermissionsCommand({ Principal: group, Resource: table, Permissions: ["DESCRIBE"] }));
  assert.equal((await groupRows()).length, 0);
});

test("typed errors and batch failures", async () => {
  await assert.rejects(
    lf.send(new RevokePermissionsCommand({ Principal: group, Resource: table, Permissions: ["ALTER"] })),
    (e) => {
      assert.ok(e instanceof InvalidInputException);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(e.message, /No permissions revoked/);
      return true;
    });
  await assert.rejects(
    lf.send(new GrantPermissionsCommand({
      Principal: group, Resource: { Table: { DatabaseName: db, Name: "missing" } }, Permissions: ["SELECT"],
    })),
    EntityNotFoundException);
  const out = await lf.send(new BatchGrantPermissionsCommand({
    Entries: [
      { Id: "ok", Principal: group, Resource: { Database: { Name: db } }, Permissions: ["DESCRIBE"] },
      { Id: "bad", Principal: group, Resource: { Database: { Name: db } }, Permissions: ["SELECT"] },
    ],
  }));
  assert.deepEqual(out.Failures.map((f) => [f.RequestEntry.Id, f.Error.ErrorCode]), [["bad", "InvalidInputException"]]);
  assert.equal((await groupRows()).length, 1);
  await lf.send(new RevokePermissionsCommand({ Principal: group, Resource: { Database: { Name: db } }, Permissions: ["DESCRIBE"] }));
});

test("data lake settings", async () => {
  const s = (await lf.send(new GetDataLakeSettingsCommand({}))).DataLakeSettings;
  assert.deepEqual(s.DataLakeAdmins, [{ DataLakePrincipalIdentifier: "arn:aws:iam::000000000000:user/admin" }]);
});
