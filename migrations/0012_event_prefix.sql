-- 0012_event_prefix.sql — events of one batch that share most of their text store it once.
--
-- drop_partitions_req of 10,000 partitions records 10,000 DROP_PARTITION events, as Hive fires
-- them, and each message carries the table as Thrift JSON (Hive's tableObjJson): ~2 KiB that is
-- the same in all of them, ~21 MB in all, which cost PostgreSQL ~6x the DELETE itself. Such a
-- batch now stores that common beginning once, in notification_prefixes, and each event row
-- keeps only the rest in message (or message_deflate); the message a reader gets is
-- prefix || rest, byte for byte the text that was written (store/notification.c).
-- A prefix row records the range of event ids that use it (consecutive: one batch) and is
-- removed by the trim that removes the last of them; there is no foreign key, so deleting a
-- prefix never scans notification_log (the range is probed through its primary key). Rows
-- written before this file have no prefix.
-- Forward-only: never edit this file once applied.

CREATE TABLE notification_prefixes (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	first_event_id bigint NOT NULL,
	last_event_id  bigint NOT NULL,
	prefix         text NOT NULL
);

ALTER TABLE notification_log ADD COLUMN prefix_id bigint;
