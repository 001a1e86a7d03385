-- 0002_partitions.sql — partitions at scale: shared storage descriptors, the Hive name index.
--
-- A partition's StorageDescriptor is nearly always the table's with its own location. The
-- location lives in partitions.location; the rest of the descriptor (columns, formats, serde,
-- ...) is kept once per distinct content in partition_sds and referenced by sd_id, so 100,000
-- partitions that share the table's layout store it once. hash = md5 of the canonical jsonb
-- text. A partition without any descriptor has sd_id NULL. partitions.doc keeps the Glue
-- Partition document without its StorageDescriptor; the store rebuilds it on read.
-- Forward-only: never edit once applied.

CREATE TABLE partition_sds (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	table_id bigint NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	hash     text NOT NULL,
	doc      jsonb NOT NULL,
	UNIQUE (table_id, hash)
);

ALTER TABLE partitions
	ADD COLUMN location text,
	ADD COLUMN sd_id bigint REFERENCES partition_sds (id);

-- Lookups by Hive partition name (get_partition_by_name, get_partitions_by_names, drops, stats).
CREATE UNIQUE INDEX partitions_table_name_key ON partitions (table_id, name);
-- The foreign key's index: deleting a descriptor must not scan every partition.
CREATE INDEX partitions_sd_id_idx ON partitions (sd_id);
