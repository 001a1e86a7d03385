// tests/js/glue_search.test.js — SearchTables and partition indexes through the AWS SDK for
// JavaScript v3 (node:test): the SDK's own paginator walks every page, typed errors arrive as
// the SDK's exception classes. Run by tests/integration/test_glue_versions_search.py with the
// server's endpoint and keys in the environment (PROPOLIS_GLUE_ENDPOINT, AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  GlueClient, CreateDatabaseCommand, CreateTableCommand, SearchTablesCommand, CreatePartitionIndexCommand,
  GetPartitionIndexesCommand, DeletePartitionIndexCommand, InvalidInputException, AlreadyExistsException,
  ResourceNumberLimitExceededException, EntityNotFoundException, paginateSearchTables,
} from "@aws-sdk/client-glue";

const endpoint = process.env.PROPOLIS_GLUE_ENDPOINT;
if (!endpoint) throw new Error("PROPOLIS_GLUE_ENDPOINT is not set");

const glue = new GlueClient({
  endpoint,
  region: "us-east-1",
  maxAttempts: 1,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});
const db = `jss_${process.pid}_${Date.now()}`;

const tableInput = (name, extra = {}) => ({
  Name: name, TableType: "EXTERNAL_TABLE", Parameters: { EXTERNAL: "TRUE" },
  PartitionKeys: [{ Name: "dt", Type: "string" }, { Name: "region", Type: "string" }],
  StorageDescriptor: { Columns: [{ Name: "id", Type: "bigint", Comment: "js otter id" }], Location: `s3://b/${name}` },
  ...extra,
});

test("SearchTables: text, filters, sort and every page through the SDK paginator", async () => {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
  for (let i = 0; i < 9; i++) {
    await glue.send(new CreateTableCommand({ DatabaseName: db, TableInput: tableInput(`t_${i}`) }));
  }
  await glue.send(new CreateTableCommand({
    DatabaseName: db, TableInput: tableInput("special", { Description: "the narwhal table" }),
  }));
  const names = [];
  let pages = 0;
  for await (const page of paginateSearchTables({ client: glue, pageSize: 4 }, {
    Filters: [{ Key: "DatabaseName", Value: db }],
    SortCriteria: [{ FieldName: "Name", Sort: "DESC" }],
  })) {
    pages++;
    assert.ok(page.TableList.length <= 4);
    for (const t of page.TableList) {
      assert.equal(t.DatabaseName, db);
      assert.equal(t.CatalogId, "000000000000");
      assert.ok(t.CreateTime instanceof Date);
      names.push(t.Name);
    }
  }
  assert.equal(pages, 3);
  assert.deepEqual(names, [...[...Array(9).keys()].map((i) => `t_${i}`).reverse(), "special"]);
  const hit = await glue.send(new SearchTablesCommand({ SearchText: "narwhal" }));
  assert.deepEqual(hit.TableList.map((t) => t.Name), ["special"]);
  const otter = await glue.send(new SearchTablesCommand({ SearchText: `otter ${db}`, MaxResults: 1000 }));
  assert.equal(otter.TableList.length, 10);
  await assert.rejects(glue.send(new SearchTablesCommand({ SortCriteria: [{ FieldName: "Nope" }] })),
    InvalidInputException);
  await assert.rejects(glue.send(new SearchTablesCommand({ NextToken: "forged.token" })), InvalidInputException);
});

test("partition indexes: create, list with key types, limits, delete", async () => {
  const idx = (IndexName, Keys) => new CreatePartitionIndexCommand({
    DatabaseName: db, TableName: "special", PartitionIndex: { IndexName, Keys },
  });
  await glue.send(idx("by_dt", ["dt"]));
  await glue.send(idx("by_region_dt", ["region", "dt"]));
  await assert.rejects(glue.send(idx("by_dt", ["region"])), AlreadyExistsException);
  await assert.rejects(glue.send(idx("bad", ["id"])), InvalidInputException);
  await glue.send(idx("third", ["region"]));
  await assert.rejects(glue.send(idx("fourth", ["dt"])), ResourceNumberLimitExceededException);
  const got = await glue.send(new GetPartitionIndexesCommand({ DatabaseName: db, TableName: "special" }));
  assert.deepEqual(got.PartitionIndexDescriptorList.map((d) => [d.IndexName, d.IndexStatus, d.Keys]), [
    ["by_dt", "ACTIVE", [{ Name: "dt", Type: "string" }]],
    ["by_region_dt", "ACTIVE", [{ Name: "region", Type: "string" }, { Name: "dt", Type: "string" }]],
    ["third", "ACTIVE", [{ Name: "region", Type: "string" }]],
  ]);
  assert.equal(got.NextToken, undefined);
  await glue.send(new DeletePartitionIndexCommand({ DatabaseName: db, TableName: "special", IndexName: "third" }));
  await assert.rejects(
    glue.send(new DeletePartitionIndexCommand({ DatabaseName: db, TableName: "special", IndexName: "third" })),
    EntityNotFoundException);
  const after = await glue.send(new GetPartitionIndexesCommand({ DatabaseName: db, TableName: "special" }));
  assert.deepEqual(after.PartitionIndexDescriptorList.map((d) => d.IndexName), ["by_dt", "by_region_dt"]);
});
