-- 0013_lock_txn_owner.sql — locks, transactions and compaction requests record who opened them.
--
-- owner is the ARN of the authenticated caller that took the lock, opened the transaction or
-- requested the compaction, as the authorization core resolves it (AuthzFacts.caller): never
-- the client-supplied user field of LockRequest / OpenTxnRequest, which stays in user_name as
-- Hive's informational text. Acting on a lock or transaction (check_lock, unlock, heartbeat,
-- commit, abort, write ids, dynamic partitions) is for its owner or a data lake administrator
-- (catalog/acid_authz.c). Rows written before this file have no owner (NULL): they belong to
-- nobody, so only administrators act on them (`propolis locks release` for stuck locks).
-- Expand-only: nullable columns, no rewrite of existing rows, older servers ignore them.
-- Forward-only: never edit this file once applied.

ALTER TABLE locks ADD COLUMN owner text;
ALTER TABLE txns ADD COLUMN owner text;
ALTER TABLE compactions ADD COLUMN owner text;
