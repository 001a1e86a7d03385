-- 0009_partition_indexes.sql — Glue partition indexes (CreatePartitionIndex, GetPartitionIndexes,
-- DeletePartitionIndex, CreateTable's PartitionIndexes).
--
-- One row per index of a table: its name (unique within the table, as given by the client) and
-- its keys, the names of partition keys in the order the client listed them. Key types are not
-- copied: they are the table's partition key types, which never change. id orders a table's
-- indexes by creation. Indexes hang off the table with ON DELETE CASCADE, so dropping the table
-- drops them, and a rename keeps them (it updates one row). At most 3 per table (Glue's quota),
-- enforced by the catalog under the table's row lock.
-- Forward-only: never edit this file once applied.

CREATE TABLE partition_indexes (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	table_id bigint NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	name     text NOT NULL,
	keys     text[] NOT NULL CHECK (cardinality(keys) >= 1),
	created  timestamptz NOT NULL DEFAULT now(),
	UNIQUE (table_id, name)
);
