-- 0003_column_stats.sql — column statistics of tables and partitions (Hive's ColumnStatistics).
--
-- One row per (object, engine, column). Rows hang off the surrogate id of their table or
-- partition with ON DELETE CASCADE, so they vanish with the object and follow renames and moves
-- (which update one row of `tables` / `partitions`) without being touched.
-- data is Hive's ColumnStatisticsData union member for kind ("longStats", "stringStats", ...)
-- as JSON named by Hive's field names; binary fields (bitVectors, histogram, decimal
-- unscaled bytes) are base64 strings, so a client reads back exactly what it wrote.
-- engine is Hive 4's stats engine ("hive" unless a client names another).
-- last_analyzed: seconds since the epoch, set by the server when the stats are written.

CREATE TABLE table_column_stats (
	table_id      bigint NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	engine        text NOT NULL DEFAULT 'hive',
	column_name   text NOT NULL,
	column_type   text NOT NULL,
	kind          text NOT NULL,
	data          jsonb NOT NULL,
	last_analyzed bigint NOT NULL,
	PRIMARY KEY (table_id, engine, column_name)
);

CREATE TABLE partition_column_stats (
	partition_id  bigint NOT NULL REFERENCES partitions (id) ON DELETE CASCADE,
	engine        text NOT NULL DEFAULT 'hive',
	column_name   text NOT NULL,
	column_type   text NOT NULL,
	kind          text NOT NULL,
	data          jsonb NOT NULL,
	last_analyzed bigint NOT NULL,
	PRIMARY KEY (partition_id, engine, column_name)
);
