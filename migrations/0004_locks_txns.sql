-- 0004_locks_txns.sql — Hive ACID state and the notification log: locks, transactions, write ids,
-- dynamic partitions, compactions (recorded) and the events that caches and replication follow.
--
-- Everything lives here, not in a server's memory, so two servers on one database see the same
-- locks, transactions and events.
--
-- Serialization: each id that must become visible in order comes from a row of txn_counters,
-- taken with UPDATE ... RETURNING in the same transaction as the rows it numbers. The row lock is
-- held until that transaction ends, so a second writer waits, and gets the next number only
-- after the first committed (or rolled back, which also rolls back its increment). Hence:
--   * notification_log.event_id has no gaps and a reader never sees N+1 committed before N
--     (a writer's COMMIT is visible before the next writer can even take its number);
--   * lock ids are given in arrival order, and the check-and-grant of locks runs while holding
--     the 'lock' row, so two servers never both grant conflicting locks;
--   * txn ids are visible in id order, so a snapshot's high-water mark never hides an open txn.
-- Notification appends are the last statement of a catalog write, so the row is held briefly.
-- Times are epoch milliseconds (Hive's), taken from PostgreSQL's clock so servers agree.
-- Forward-only: never edit this file once applied.

CREATE TABLE txn_counters (
	name text PRIMARY KEY, -- 'lock', 'txn', 'event', 'compaction'
	next bigint NOT NULL
);
INSERT INTO txn_counters (name, next) VALUES ('lock', 1), ('txn', 1), ('event', 1), ('compaction', 1);

-- One row per lock request (Hive's external lock id); its components below.
-- state: Hive's LockState (1 ACQUIRED, 2 WAITING). txn_id 0 = not part of a transaction.
CREATE TABLE locks (
	id              bigint PRIMARY KEY,
	txn_id          bigint NOT NULL DEFAULT 0,
	state           smallint NOT NULL,
	user_name       text NOT NULL,
	host            text NOT NULL,
	agent_info      text,
	created_ms      bigint NOT NULL,
	acquired_ms     bigint,
	heartbeat_ms    bigint NOT NULL,
	heartbeat_count integer NOT NULL DEFAULT 0
);
CREATE INDEX locks_txn ON locks (txn_id) WHERE txn_id <> 0;

-- lock_type: Hive's LockType (1 SHARED_READ, 2 SHARED_WRITE, 3 EXCLUSIVE, 4 EXCL_WRITE);
-- lock_level: LockLevel (1 DB, 2 TABLE, 3 PARTITION). tbl/part NULL for wider levels.
CREATE TABLE lock_components (
	lock_id        bigint NOT NULL REFERENCES locks (id) ON DELETE CASCADE,
	seq            integer NOT NULL,
	lock_type      smallint NOT NULL,
	lock_level     smallint NOT NULL,
	catalog        text NOT NULL,
	db             text NOT NULL,
	tbl            text,
	part           text,
	operation_type smallint NOT NULL DEFAULT 5,
	transactional  boolean NOT NULL DEFAULT false,
	PRIMARY KEY (lock_id, seq)
);
CREATE INDEX lock_components_object ON lock_components (catalog, db, tbl);

-- state: Hive's TxnState (1 COMMITTED, 2 ABORTED, 3 OPEN); txn_type: TxnType.
CREATE TABLE txns (
	id              bigint PRIMARY KEY,
	state           smallint NOT NULL DEFAULT 3,
	user_name       text NOT NULL,
	host            text NOT NULL,
	agent_info      text,
	txn_type        smallint NOT NULL DEFAULT 0,
	started_ms      bigint NOT NULL,
	heartbeat_ms    bigint NOT NULL,
	heartbeat_count integer NOT NULL DEFAULT 0,
	finished_ms     bigint
);
CREATE INDEX txns_not_committed ON txns (id) WHERE state <> 1;

-- The next write id of each transactional table (Hive's NEXT_WRITE_ID), counted from 1.
CREATE TABLE table_write_counters (
	catalog text NOT NULL,
	db      text NOT NULL,
	tbl     text NOT NULL,
	next    bigint NOT NULL,
	PRIMARY KEY (catalog, db, tbl)
);

-- Which write id each transaction got on each table (Hive's TXN_TO_WRITE_ID).
CREATE TABLE txn_write_ids (
	txn_id   bigint NOT NULL REFERENCES txns (id) ON DELETE CASCADE,
	catalog  text NOT NULL,
	db       text NOT NULL,
	tbl      text NOT NULL,
	write_id bigint NOT NULL,
	PRIMARY KEY (catalog, db, tbl, write_id),
	UNIQUE (txn_id, catalog, db, tbl)
);

-- add_dynamic_partitions, recorded.
CREATE TABLE txn_dynamic_partitions (
	txn_id         bigint NOT NULL REFERENCES txns (id) ON DELETE CASCADE,
	write_id       bigint NOT NULL,
	catalog        text NOT NULL,
	db             text NOT NULL,
	tbl            text NOT NULL,
	part           text NOT NULL,
	operation_type smallint NOT NULL DEFAULT 5
);
CREATE INDEX txn_dynamic_partitions_txn ON txn_dynamic_partitions (txn_id);

-- compact / compact2 requests, recorded and answered; no compactor runs. type: CompactionType.
CREATE TABLE compactions (
	id          bigint PRIMARY KEY,
	catalog     text NOT NULL,
	db          text NOT NULL,
	tbl         text NOT NULL,
	part        text,
	type        smallint NOT NULL,
	state       text NOT NULL DEFAULT 'initiated',
	run_as      text,
	properties  jsonb,
	initiator   text,
	pool_name   text,
	enqueued_ms bigint NOT NULL
);
CREATE INDEX compactions_object ON compactions (catalog, db, tbl);

-- The notification log (Hive's NOTIFICATION_LOG); event_time in seconds, as Hive's i32.
CREATE TABLE notification_log (
	event_id       bigint PRIMARY KEY,
	event_time     bigint NOT NULL,
	event_type     text NOT NULL,
	catalog        text,
	db             text,
	tbl            text,
	message        text NOT NULL,
	message_format text NOT NULL
);
CREATE INDEX notification_log_time ON notification_log (event_time);
