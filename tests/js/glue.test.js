// tests/js/glue.test.js — the Glue door through the AWS SDK for JavaScript v3 (node:test).
// The server's endpoint and keys come from the environment (PROPOLIS_GLUE_ENDPOINT,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), set by tests/integration/test_glue_js.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  GlueClient, CreateDatabaseCommand, GetDatabaseCommand, DeleteDatabaseCommand, CreateTableCommand,
  GetTableCommand, BatchCreatePartitionCommand, GetPartitionsCommand, EntityNotFoundException,
  AlreadyExistsException, UpdateColumnStatisticsForTableCommand, GetColumnStatisticsForTableCommand,
  paginateGetDatabases, paginateGetPartitions,
} from "@aws-sdk/client-glue";

const endpoint = process.env.PROPOLIS_GLUE_ENDPOINT;
if (!endpoint) throw new Error("PROPOLIS_GLUE_ENDPOINT is not set");

const glue = new GlueClient({
  endpoint,
  region: "us-east-1",
  maxAttempts: 1,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});
const db = `js_${process.pid}_${Date.now()}`;

test("databases: create, get, typed errors, paginator", async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db, Description: "from js" } }));
  const got = await glue.send(new GetDatabaseCommand({ Name: db }));
  assert.equal(got.Database.Name, db);
  assert.equal(got.Database.Description, "from js");
  assert.equal(got.Database.CatalogId, "000000000000");
  assert.ok(got.Database.CreateTime instanceof Date);
  await assert.rejects(glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } })), AlreadyExistsException);
  await assert.rejects(glue.send(new GetDatabaseCommand({ Name: db + "_missing" })), (e) => {
    assert.ok(e instanceof EntityNotFoundException);
    assert.equal(e.name, "EntityNotFoundException");
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
  const names = [];
  for await (const page of paginateGetDatabases({ client: glue, pageSize: 1 }, {})) {
    for (const d of page.DatabaseList) names.push(d.Name);
  }
  assert.ok(names.includes(db));
});

test("tables, partitions and statistics", async () => {
  await glue.send(new CreateTableCommand({
    DatabaseName: db,
    TableInput: {
      Name: "events", TableType: "EXTERNAL_TABLE", Parameters: { EXTERNAL: "TRUE" },
      PartitionKeys: [{ Name: "dt", Type: "string" }],
      StorageDescriptor: { Columns: [{ Name: "id", Type: "bigint" }], Location: "s3://bucket/events" },
    },
  }));
  const t = await glue.send(new GetTableCommand({ DatabaseName: db, Name: "events" }));
  assert.deepEqual(t.Table.PartitionKeys, [{ Name: "dt", Type: "string" }]);
  const days = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-02-01"];
  const made = await glue.send(new BatchCreatePartitionCommand({
    DatabaseName: db, TableName: "events",
    PartitionInputList: days.map((d) => ({ Values: [d], StorageDescriptor: { Location: `s3://bucket/events/dt=${d}` } })),
  }));
  assert.deepEqual(made.Errors, []);
  const jan = await glue.send(new GetPartitionsCommand({
    DatabaseName: db, TableName: "events", Expression: "dt LIKE '2024-01-%'",
  }));
  assert.deepEqual(jan.Partitions.map((p) => p.Values[0]).sort(), days.slice(0, 3));
  const all = [];
  for await (const page of paginateGetPartitions({ client: glue, pageSize: 3 }, { DatabaseName: db, TableName: "events" })) {
    for (const p of page.Partitions) all.push(p.Values[0]);
  }
  assert.deepEqual(all.sort(), days);
  await glue.send(new UpdateColumnStatisticsForTableCommand({
    DatabaseName: db, TableName: "events",
    ColumnStatisticsList: [{
      ColumnName: "id", ColumnType: "bigint", AnalyzedTime: new Date(),
      StatisticsData: { Type: "LONG", LongColumnStatisticsData: { MinimumValue: 1, MaximumValue: 9, NumberOfNulls: 0, NumberOfDistinctValues: 9 } },
    }],
  }));
  const st = await glue.send(new GetColumnStatisticsForTableCommand({ DatabaseName: db, TableName: "events", ColumnNames: ["id"] }));
  assert.equal(st.ColumnStatisticsList[0].StatisticsData.LongColumnStatisticsData.MaximumValue, 9);
});

test("a wrong secret is refused", async () => {
  const bad = new GlueClient({
    endpoint, region: "us-east-1", maxAttempts: 1,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: "wrong" + process.env.AWS_SECRET_ACCESS_KEY },
  });
  await assert.rejects(bad.send(new GetDatabaseCommand({ Name: db })), (e) => e.name === "InvalidSignatureException");
});

test("cleanup", async () => {
  await glue.send(new DeleteDatabaseCommand({ Name: db }));
  await assert.rejects(glue.send(new GetDatabaseCommand({ Name: db })), EntityNotFoundException);
});
