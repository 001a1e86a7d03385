-- 0011_event_deflate.sql — notification messages of 64 KiB and more are stored deflated.
--
-- An add_partitions of 10,000 partitions records one ADD_PARTITION message of ~30 MB (every
-- partition as Thrift JSON, the same storage descriptor repeated). Stored as text it costs
-- PostgreSQL more CPU than the COPY of the partitions themselves; zlib level 1 in the server
-- shrinks such JSON ~65x for a small part of that. store/notification.c chooses by size
-- (EVENT_DEFLATE_MIN) and every row holds its message in exactly one of the two columns:
--   * message          the JSON text, as before (every row written before this file);
--   * message_deflate  the text's byte length as 4 bytes, big-endian, then the text as a zlib
--                      stream (RFC 1950). The length lets the reader allocate once and check
--                      that exactly that much came out.
-- message_deflate is stored EXTERNAL: it is compressed already, so TOAST does not try pglz on
-- it. Existing rows are not rewritten. Forward-only: never edit this file once applied.

ALTER TABLE notification_log
	ALTER COLUMN message DROP NOT NULL,
	ADD COLUMN message_deflate bytea,
	ALTER COLUMN message_deflate SET STORAGE EXTERNAL,
	ADD CONSTRAINT notification_log_one_message CHECK ((message IS NULL) <> (message_deflate IS NULL));
