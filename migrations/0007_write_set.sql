-- 0007_write_set.sql — Hive's WRITE_SET: what committed transactions updated or deleted, so a
-- transaction that updated or deleted the same table (or partition) and overlapped one that
-- committed first is aborted at its own commit ("write conflict"), as Hive does.
--
-- A row is written in the committing transaction, under the 'txn' counter row (held FOR UPDATE
-- from the conflict check to COMMIT), so two overlapping commits never both pass the check.
-- commit_id: the highest transaction id handed out when the transaction committed (Hive's
-- commit id); transaction T overlapped a committed one when that one's commit_id >= T.
-- op: Hive's DataOperationType (3 UPDATE, 4 DELETE); inserts never conflict and are not kept.
-- Rows no open transaction can overlap any more are deleted when the next row is written.
-- Forward-only: never edit this file once applied.

CREATE TABLE write_set (
	txn_id    bigint NOT NULL,
	commit_id bigint NOT NULL,
	catalog   text NOT NULL,
	db        text NOT NULL,
	tbl       text NOT NULL,
	part      text,
	op        smallint NOT NULL
);
CREATE INDEX write_set_object ON write_set (catalog, db, tbl);
CREATE INDEX write_set_commit ON write_set (commit_id);
