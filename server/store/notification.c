/*
 * notification.c — the notification log: append in the writer's transaction, read in order,
 * count, and trim by age.
 *
 * Gap-free ids: store_event_append() takes the next id from the 'event' counter row with
 * UPDATE ... RETURNING, in the same transaction as the catalog change it records. The row lock
 * is held until that transaction ends, so a concurrent writer (on this or another server)
 * waits and numbers its event only after the first committed or rolled back (a rollback
 * undoes the increment too). A reader therefore never sees event N+1 without N, and a failed
 * change leaves no event and no hole. The caller appends last, just before COMMIT, to hold the
 * row briefly. The current id is the counter minus one: committed with the event it numbers.
 *
 * Message storage (0011_event_deflate.sql): a row holds its JSON message in exactly one of
 * `message` (text) and `message_deflate` (bytea). A message of EVENT_DEFLATE_MIN bytes or more
 * is deflated here and stored as a 4-byte big-endian byte length of the text followed by a
 * zlib stream (RFC 1950, level 1); both columns go to PostgreSQL as binary parameters, so no
 * escaped or hex text is built. store_event_list() reads rows in binary format, inflates, and
 * builds the NotificationEvent array itself; a deflated value that does not inflate to exactly
 * its declared length of valid UTF-8 is STORE_ERROR_INTERNAL, and a declared length beyond
 * what the stored bytes can hold is refused before anything is allocated.
 *
 * Shared beginnings (0012_event_prefix.sql): store_event_append_many_prefixed() stores a batch's
 * common text once in notification_prefixes (with the batch's id range) and each row only the
 * rest; store_event_list() returns prefix || rest. store_event_trim() drops a prefix in the
 * statement after the one that removed the last event of its range, never before.
 */
#include "store/store_internal.h"

#include <string.h>
#include <zlib.h>

/*
 * Messages of at least this many bytes are stored deflated. Nearly every event is one object's
 * JSON, a few KiB, which PostgreSQL stores cheaply as text (and readable in psql). Batches make
 * big ones: an add_partitions of 10,000 carries ~30 MB, whose storing as text costs PostgreSQL
 * 600-900 ms of CPU (fresh pages, TOAST), while zlib level 1 shrinks such JSON ~65x at ~700 MB/s.
 * From 64 KiB on, deflating (< 0.1 ms there) costs less than PostgreSQL's handling of the text.
 */
#define EVENT_DEFLATE_MIN (64 * 1024)

#define EVENT_DEFLATE_HEAD 4 /* the big-endian byte length of the text before the zlib stream */

/* The largest message: a PostgreSQL text or bytea value holds less than 1 GiB. */
#define EVENT_MESSAGE_MAX ((gsize)1024 * 1024 * 1024 - 1)

/* Deflate never shrinks data more than 1032:1 (zlib's FAQ): a length claiming more is corrupt. */
#define EVENT_DEFLATE_MAX_RATIO 1032

#define EVENT_OID_BYTEA 17 /* pg_type.oid of bytea and text, for binary array parameters */
#define EVENT_OID_TEXT 25

/*
 * A message as one of two binary parameters: text (borrowed, len bytes) when short, else
 * deflated (owned: head and zlib stream).
 */
typedef struct {
	const char *text;
	gsize text_len;
	guint8 *deflated;
	gsize deflated_len;
} EventMessage;

static void event_message_clear(EventMessage *m)
{
	g_clear_pointer(&m->deflated, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(EventMessage, event_message_clear)

/* Deflates message (len bytes) into m->deflated; FALSE with STORE_ERROR_INTERNAL if zlib fails. */
static gboolean event_deflate(const char *message, gsize len, EventMessage *m, GError **error)
{
	uLongf packed = compressBound((uLong)len);
	g_autofree guint8 *buf = g_malloc(EVENT_DEFLATE_HEAD + packed); /* only the bytes written get touched */
	guint32 head = GUINT32_TO_BE((guint32)len);
	memcpy(buf, &head, sizeof head);
	int rc = compress2(buf + EVENT_DEFLATE_HEAD, &packed, (const Bytef *)message, (uLong)len, 1);
	if (rc != Z_OK) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
		            "cannot deflate a notification message of %" G_GSIZE_FORMAT " bytes\nzlib error %d", len, rc);
		return FALSE;
	}
	m->deflated = g_steal_pointer(&buf);
	m->deflated_len = EVENT_DEFLATE_HEAD + packed;
	return TRUE;
}

/* Fills m for message (len bytes): deflated from EVENT_DEFLATE_MIN on. FALSE with error. */
static gboolean event_message_pack(const char *message, gsize len, EventMessage *m, GError **error)
{
	if (len > EVENT_MESSAGE_MAX) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
		            "notification message of %" G_GSIZE_FORMAT " bytes is larger than PostgreSQL stores", len);
		return FALSE;
	}
	if (len < EVENT_DEFLATE_MIN) {
		m->text = message;
		m->text_len = len;
		return TRUE;
	}
	return event_deflate(message, len, m, error);
}

/*
 * Inflates a message_deflate value (len bytes) of event id: the text, NUL-terminated, or NULL
 * with STORE_ERROR_INTERNAL when the value is corrupt (short, a length it cannot hold, a zlib
 * error, another length than declared, or not UTF-8 / holding a NUL).
 */
static char *event_inflate(const char *value, gsize len, gint64 id, GError **error)
{
	guint32 head = 0;
	if (len >= EVENT_DEFLATE_HEAD)
		memcpy(&head, value, sizeof head);
	gsize size = GUINT32_FROM_BE(head), packed = len >= EVENT_DEFLATE_HEAD ? len - EVENT_DEFLATE_HEAD : 0;
	if (len < EVENT_DEFLATE_HEAD || size > EVENT_MESSAGE_MAX || size > packed * EVENT_DEFLATE_MAX_RATIO) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
		            "stored message of notification event %" G_GINT64_FORMAT " is corrupt\n%" G_GSIZE_FORMAT
		            " bytes cannot hold a deflated message of %" G_GSIZE_FORMAT " bytes",
		            id, len, size);
		return NULL;
	}
	g_autofree char *text = g_malloc(size + 1);
	uLongf got = size;
	int rc = uncompress((Bytef *)text, &got, (const Bytef *)value + EVENT_DEFLATE_HEAD, packed);
	if (rc != Z_OK || got != size || !g_utf8_validate_len(text, size, NULL)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
		            "stored message of notification event %" G_GINT64_FORMAT " is corrupt\nzlib %d, %lu of %"
		            G_GSIZE_FORMAT " bytes%s",
		            id, rc, (unsigned long)got, size, rc == Z_OK && got == size ? ", not UTF-8" : "");
		return NULL;
	}
	text[size] = '\0';
	return g_steal_pointer(&text);
}

/*
 * Appends an event (type: Hive's event type name; catalog/db/tbl may be NULL; message: JSON text
 * in json-0.2 format) and returns its id, 0 with error.
 */
gint64 store_event_append(StoreConn *conn, const char *catalog, const char *db, const char *tbl, const char *type,
                          const char *message, GError **error)
{
	return store_event_append_len(conn, catalog, db, tbl, type, message, strlen(message), error);
}

/* Runs the append with the message as text (len bytes) or deflated (packed, n bytes); its id, 0 on error. */
static gint64 event_append_packed(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                  const char *type, const char *text, gsize len, const guint8 *packed, gsize n,
                                  GError **error)
{
	static const char sql[] =
		"WITH c AS (UPDATE txn_counters SET next = next + 1 WHERE name = 'event' RETURNING next - 1 AS id)"
		" INSERT INTO notification_log (event_id, event_time, event_type, catalog, db, tbl, message, message_deflate,"
		"  message_format)"
		" SELECT c.id, extract(epoch FROM clock_timestamp())::bigint, $1, $2, $3, $4, $5::text, $6::bytea,"
		"  'json-0.2' FROM c"
		" RETURNING event_id";
	const char *params[] = {type, catalog, db, tbl, packed ? NULL : text, (const char *)packed};
	const int lengths[] = {0, 0, 0, 0, (int)len, (int)n};
	const int formats[] = {0, 0, 0, 0, 1, 1};
	g_autoptr(PGresult) res = store_exec_params(conn, "event_append", sql, 6, params, lengths, formats, 0, error);
	if (res == NULL)
		return 0;
	return PQntuples(res) > 0 ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
}

/* store_event_append of message's first len bytes; the text goes as a binary parameter, no NUL needed. */
gint64 store_event_append_len(StoreConn *conn, const char *catalog, const char *db, const char *tbl, const char *type,
                              const char *message, gsize len, GError **error)
{
	g_auto(EventMessage) m = {0};
	if (!event_message_pack(message, len, &m, error))
		return 0;
	return event_append_packed(conn, catalog, db, tbl, type, m.text, m.text_len, m.deflated, m.deflated_len, error);
}

/* ---- a message written piece by piece (ADD_PARTITION of thousands) ---- */

/*
 * Kept as text until EVENT_DEFLATE_MIN bytes, then deflated as the pieces come: a 30 MB
 * message never exists whole, only its ~0.5 MB deflated form (the same bytes compress2 makes:
 * head, zlib stream at level 1).
 */
struct StoreEventText {
	GString *text;       /* the message while short */
	gboolean deflating;
	z_stream z;
	GByteArray *packed;  /* head (filled in at the end) and the stream */
	gsize total;
	int zerr;            /* a zlib error seen, Z_OK when none */
};

StoreEventText *store_event_text_new(void)
{
	StoreEventText *t = g_new0(StoreEventText, 1);
	t->text = g_string_new(NULL);
	t->zerr = Z_OK;
	return t;
}

void store_event_text_free(StoreEventText *t)
{
	if (t == NULL)
		return;
	if (t->deflating)
		deflateEnd(&t->z);
	g_string_free(t->text, TRUE);
	if (t->packed)
		g_byte_array_unref(t->packed);
	g_free(t);
}

/* Runs deflate over len bytes of s (flush: Z_NO_FLUSH or Z_FINISH), growing packed as needed. */
static void event_text_deflate(StoreEventText *t, const char *s, gsize len, int flush)
{
	t->z.next_in = (Bytef *)s;
	t->z.avail_in = (uInt)len;
	for (;;) {
		gsize used = t->packed->len, room = MAX(64 * 1024, len / 16);
		g_byte_array_set_size(t->packed, (guint)(used + room));
		t->z.next_out = t->packed->data + used;
		t->z.avail_out = (uInt)room;
		int rc = deflate(&t->z, flush);
		g_byte_array_set_size(t->packed, (guint)(used + room - t->z.avail_out));
		if (rc == Z_STREAM_END || (flush == Z_NO_FLUSH && t->z.avail_in == 0 && t->z.avail_out > 0))
			return;
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			t->zerr = rc;
			return;
		}
	}
}

void store_event_text_append(StoreEventText *t, const char *s, gsize len)
{
	if (t->zerr != Z_OK || len == 0)
		return;
	t->total += len;
	if (!t->deflating && t->text->len + len < EVENT_DEFLATE_MIN) {
		g_string_append_len(t->text, s, (gssize)len);
		return;
	}
	if (!t->deflating) {
		t->deflating = TRUE;
		if (deflateInit(&t->z, 1) != Z_OK) {
			t->zerr = Z_STREAM_ERROR;
			return;
		}
		t->packed = g_byte_array_sized_new(256 * 1024);
		g_byte_array_set_size(t->packed, EVENT_DEFLATE_HEAD);
		event_text_deflate(t, t->text->str, t->text->len, Z_NO_FLUSH);
		g_string_truncate(t->text, 0);
	}
	if (len > G_MAXUINT) { /* deflate takes at most uInt bytes a call */
		t->zerr = Z_BUF_ERROR;
		return;
	}
	event_text_deflate(t, s, len, Z_NO_FLUSH);
}

/* Ends t's deflate stream (if any) and writes its head; FALSE with error when zlib failed. */
static gboolean event_text_finish(StoreEventText *t, GError **error)
{
	if (t->deflating && t->zerr == Z_OK)
		event_text_deflate(t, NULL, 0, Z_FINISH);
	if (t->zerr != Z_OK || t->total > EVENT_MESSAGE_MAX) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL,
		            "cannot store a notification message of %" G_GSIZE_FORMAT " bytes\nzlib error %d", t->total,
		            t->zerr);
		return FALSE;
	}
	if (t->deflating) {
		guint32 head = GUINT32_TO_BE((guint32)t->total);
		memcpy(t->packed->data, &head, sizeof head);
	}
	return TRUE;
}

/* store_event_append of a message written with store_event_text_append; see store.h. */
gint64 store_event_append_text(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                               const char *type, StoreEventText *t, GError **error)
{
	if (!event_text_finish(t, error))
		return 0;
	if (!t->deflating)
		return event_append_packed(conn, catalog, db, tbl, type, t->text->str, t->text->len, NULL, 0, error);
	return event_append_packed(conn, catalog, db, tbl, type, NULL, 0, t->packed->data, t->packed->len, error);
}

/* Appends v as a 4-byte big-endian integer, as PostgreSQL's binary formats want it. */
static void event_put_int32(GByteArray *out, gint32 v)
{
	guint32 be = GUINT32_TO_BE((guint32)v);
	g_byte_array_append(out, (const guint8 *)&be, sizeof be);
}

/*
 * The messages of ms as a one-dimensional array in PostgreSQL's binary array format
 * (array_recv): bytea[] of the deflated ones when deflated, else text[] of the others, NULL in
 * the places of the rest.
 */
static GByteArray *event_array_binary(const EventMessage *ms, guint n, gboolean deflated)
{
	GByteArray *out = g_byte_array_new();
	event_put_int32(out, 1); /* dimensions */
	event_put_int32(out, 1); /* may hold NULLs */
	event_put_int32(out, deflated ? EVENT_OID_BYTEA : EVENT_OID_TEXT);
	event_put_int32(out, (gint32)n); /* the dimension's length and lower bound */
	event_put_int32(out, 1);
	for (guint i = 0; i < n; i++) {
		const guint8 *v = deflated ? ms[i].deflated : ms[i].deflated ? NULL : (const guint8 *)ms[i].text;
		gsize len = deflated ? ms[i].deflated_len : ms[i].text_len;
		event_put_int32(out, v ? (gint32)len : -1);
		if (v)
			g_byte_array_append(out, v, (guint)len);
	}
	return out;
}

/*
 * Packs messages (char*) into two binary arrays of their length for append_many: *texts
 * (text[]) and *deflated (bytea[]), each message in exactly one. FALSE with error.
 */
static gboolean event_pack_arrays(GPtrArray *messages, GByteArray **texts, GByteArray **deflated, GError **error)
{
	guint n = messages->len;
	EventMessage *ms = g_new0(EventMessage, n);
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < n; i++) {
		const char *msg = g_ptr_array_index(messages, i);
		ok = event_message_pack(msg, strlen(msg), &ms[i], error);
	}
	if (ok) {
		*texts = event_array_binary(ms, n, FALSE);
		*deflated = event_array_binary(ms, n, TRUE);
	}
	for (guint i = 0; i < n; i++)
		event_message_clear(&ms[i]);
	g_free(ms);
	return ok;
}

/*
 * Appends one event of type per message (JSON texts, char*), with consecutive ids, in one
 * statement; *first_id gets the first id (0 for none). Each message is stored as
 * store_event_append stores it. FALSE with error.
 */
gboolean store_event_append_many(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                 const char *type, GPtrArray *messages, gint64 *first_id, GError **error)
{
	return store_event_append_many_prefixed(conn, catalog, db, tbl, type, NULL, messages, first_id, error);
}

/* store_event_append_many of prefix + each message, the prefix stored once; see store.h. */
gboolean store_event_append_many_prefixed(StoreConn *conn, const char *catalog, const char *db, const char *tbl,
                                          const char *type, const char *prefix, GPtrArray *messages,
                                          gint64 *first_id, GError **error)
{
	static const char sql[] =
		"WITH c AS (UPDATE txn_counters SET next = next + $6::bigint WHERE name = 'event'"
		"  RETURNING next - $6::bigint AS first),"
		" p AS (INSERT INTO notification_prefixes (first_event_id, last_event_id, prefix)"
		"  SELECT c.first, c.first + $6::bigint - 1, $8::text FROM c WHERE $8::text IS NOT NULL RETURNING id),"
		" i AS (INSERT INTO notification_log (event_id, event_time, event_type, catalog, db, tbl, message,"
		"  message_deflate, message_format, prefix_id)"
		"  SELECT c.first + m.ord - 1, extract(epoch FROM clock_timestamp())::bigint,"
		"  $1, $2, $3, $4, m.msg, m.dfl, 'json-0.2', (SELECT id FROM p)"
		"  FROM c, unnest($5::text[], $7::bytea[]) WITH ORDINALITY AS m(msg, dfl, ord) RETURNING event_id)"
		" SELECT min(event_id) FROM i";
	*first_id = 0;
	if (messages->len == 0)
		return TRUE;
	g_autoptr(GByteArray) texts = NULL, deflated = NULL;
	if (!event_pack_arrays(messages, &texts, &deflated, error))
		return FALSE;
	g_autofree char *n = g_strdup_printf("%u", messages->len);
	const char *params[] = {type, catalog, db, tbl, (const char *)texts->data, n, (const char *)deflated->data, prefix};
	const int lengths[] = {0, 0, 0, 0, (int)texts->len, 0, (int)deflated->len, 0};
	const int formats[] = {0, 0, 0, 0, 1, 0, 1, 0};
	g_autoptr(PGresult) res =
		store_exec_params(conn, "event_append_many", sql, 8, params, lengths, formats, 0, error);
	if (res == NULL)
		return FALSE;
	*first_id = PQntuples(res) > 0 ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	return TRUE;
}

/* The columns store_event_list selects, in order. */
enum { EV_ID, EV_TIME, EV_TYPE, EV_DB, EV_TBL, EV_MESSAGE, EV_DEFLATE, EV_FORMAT, EV_CATALOG, EV_PREFIX };

/* A bigint of a binary-format result (8 bytes, big-endian); FALSE with STORE_ERROR_INTERNAL if not that. */
static gboolean event_get_int8(PGresult *res, int row, int col, gint64 *out, GError **error)
{
	guint64 be;
	if (PQgetisnull(res, row, col) || PQgetlength(res, row, col) != (int)sizeof be) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INTERNAL, "notification_log column %d is not a bigint", col);
		return FALSE;
	}
	memcpy(&be, PQgetvalue(res, row, col), sizeof be);
	*out = (gint64)GUINT64_FROM_BE(be);
	return TRUE;
}

/* Sets member to the text of column col unless it is NULL (as json_strip_nulls left it out). */
static void event_set_text(JsonObject *o, const char *member, PGresult *res, int row, int col)
{
	if (!PQgetisnull(res, row, col))
		json_object_set_string_member(o, member, PQgetvalue(res, row, col));
}

/*
 * Row row of a binary-format event_list result as a NotificationEvent object, the deflated
 * message inflated; NULL with STORE_ERROR_INTERNAL if a value is malformed.
 */
static JsonObject *event_row_object(PGresult *res, int row, GError **error)
{
	gint64 id = 0, time = 0;
	if (!event_get_int8(res, row, EV_ID, &id, error) || !event_get_int8(res, row, EV_TIME, &time, error))
		return NULL;
	g_autofree char *inflated = NULL;
	if (PQgetisnull(res, row, EV_MESSAGE)) {
		inflated = event_inflate(PQgetvalue(res, row, EV_DEFLATE), (gsize)PQgetlength(res, row, EV_DEFLATE), id, error);
		if (inflated == NULL)
			return NULL;
	}
	JsonObject *o = json_object_new();
	json_object_set_int_member(o, "eventId", id);
	json_object_set_int_member(o, "eventTime", time);
	event_set_text(o, "eventType", res, row, EV_TYPE);
	event_set_text(o, "dbName", res, row, EV_DB);
	event_set_text(o, "tableName", res, row, EV_TBL);
	const char *rest = inflated ? inflated : PQgetvalue(res, row, EV_MESSAGE);
	if (PQgetisnull(res, row, EV_PREFIX)) {
		json_object_set_string_member(o, "message", rest);
	} else { /* a batch's common beginning, stored once (0012_event_prefix.sql) */
		g_autofree char *whole = g_strconcat(PQgetvalue(res, row, EV_PREFIX), rest, NULL);
		json_object_set_string_member(o, "message", whole);
	}
	event_set_text(o, "messageFormat", res, row, EV_FORMAT);
	event_set_text(o, "catName", res, row, EV_CATALOG);
	return o;
}

/*
 * Events after `after`, by id, at most max (max <= 0: all), leaving out types in skip (char*,
 * may be NULL/empty) and, when given, keeping only catalog / db / tables (char*):
 * [{eventId, eventTime, eventType, dbName?, tableName?, message, messageFormat, catName?}],
 * absent members being NULL columns. NULL with error (STORE_ERROR_INTERNAL for a corrupt row).
 */
JsonArray *store_event_list(StoreConn *conn, gint64 after, gint max, GPtrArray *skip, const char *catalog,
                            const char *db, GPtrArray *tables, GError **error)
{
	static const char sql[] =
		"SELECT e.event_id, e.event_time, e.event_type, e.db, e.tbl, e.message, e.message_deflate, e.message_format,"
		" e.catalog, p.prefix"
		" FROM notification_log e LEFT JOIN notification_prefixes p ON p.id = e.prefix_id WHERE e.event_id > $1::bigint"
		"  AND NOT (e.event_type = ANY($3::text[])) AND ($4::text IS NULL OR e.catalog = $4)"
		"  AND ($5::text IS NULL OR e.db = $5) AND ($6::text[] IS NULL OR e.tbl = ANY($6::text[]))"
		" ORDER BY e.event_id LIMIT CASE WHEN $2::bigint > 0 THEN $2::bigint END";
	g_autofree char *a = g_strdup_printf("%" G_GINT64_FORMAT, after);
	g_autofree char *m = g_strdup_printf("%d", max);
	g_autofree char *sk = store_text_array_literal(skip);
	g_autofree char *tb = tables ? store_text_array_literal(tables) : NULL;
	const char *params[] = {a, m, sk, catalog, db, tb};
	g_autoptr(PGresult) res = store_exec_params(conn, "event_list", sql, 6, params, NULL, NULL, 1, error);
	if (res == NULL)
		return NULL;
	int rows = PQntuples(res);
	g_autoptr(JsonArray) events = json_array_sized_new((guint)rows);
	for (int row = 0; row < rows; row++) {
		JsonObject *o = event_row_object(res, row, error);
		if (o == NULL)
			return NULL;
		json_array_add_object_element(events, o);
	}
	return g_steal_pointer(&events);
}

/* The id of the last event appended (0 before the first). */
gboolean store_event_current(StoreConn *conn, gint64 *out, GError **error)
{
	static const char sql[] = "SELECT next - 1 FROM txn_counters WHERE name = 'event'";
	g_autoptr(PGresult) res = store_exec(conn, "event_current", sql, 0, NULL, error);
	if (res == NULL)
		return FALSE;
	*out = PQntuples(res) > 0 ? g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	return TRUE;
}

/*
 * Number of events of database db (and catalog, tables when given) with from < id <= to
 * (to <= 0: no bound), at most limit (limit <= 0: no bound).
 */
gboolean store_event_count(StoreConn *conn, gint64 from, gint64 to, const char *catalog, const char *db,
                           GPtrArray *tables, gint64 limit, gint64 *out, GError **error)
{
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM notification_log WHERE event_id > $1::bigint"
		" AND ($2::bigint <= 0 OR event_id <= $2::bigint) AND ($3::text IS NULL OR catalog = $3)"
		" AND db = $4 AND ($5::text[] IS NULL OR tbl = ANY($5::text[]))"
		" LIMIT CASE WHEN $6::bigint > 0 THEN $6::bigint END) e";
	g_autofree char *f = g_strdup_printf("%" G_GINT64_FORMAT, from);
	g_autofree char *t = g_strdup_printf("%" G_GINT64_FORMAT, to);
	g_autofree char *tb = tables ? store_text_array_literal(tables) : NULL;
	g_autofree char *l = g_strdup_printf("%" G_GINT64_FORMAT, limit);
	const char *params[] = {f, t, catalog, db, tb, l};
	g_autoptr(PGresult) res = store_exec(conn, "event_count", sql, 6, params, error);
	if (res == NULL)
		return FALSE;
	*out = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	return TRUE;
}

/*
 * The same events as store_event_count (no cap), counted per object: [{catName, dbName,
 * tableName?, n}], so that the catalog can count only the objects the caller sees.
 */
JsonArray *store_event_count_groups(StoreConn *conn, gint64 from, gint64 to, const char *catalog, const char *db,
                                    GPtrArray *tables, GError **error)
{
	static const char sql[] =
		"SELECT coalesce(json_agg(json_strip_nulls(json_build_object('catName', catalog, 'dbName', db,"
		" 'tableName', tbl, 'n', n))), '[]')::text FROM (SELECT catalog, db, tbl, count(*) AS n"
		" FROM notification_log WHERE event_id > $1::bigint AND ($2::bigint <= 0 OR event_id <= $2::bigint)"
		" AND ($3::text IS NULL OR catalog = $3) AND db = $4 AND ($5::text[] IS NULL OR tbl = ANY($5::text[]))"
		" GROUP BY catalog, db, tbl) g";
	g_autofree char *f = g_strdup_printf("%" G_GINT64_FORMAT, from);
	g_autofree char *t = g_strdup_printf("%" G_GINT64_FORMAT, to);
	g_autofree char *tb = tables ? store_text_array_literal(tables) : NULL;
	const char *params[] = {f, t, catalog, db, tb};
	g_autoptr(PGresult) res = store_exec(conn, "event_count_groups", sql, 5, params, error);
	if (res == NULL)
		return NULL;
	return store_json_parse_array(PQgetvalue(res, 0, 0), error);
}

/* Deletes events older than ttl_s seconds (by event time). */
gboolean store_event_trim(StoreConn *conn, guint ttl_s, GError **error)
{
	static const char sql[] = "DELETE FROM notification_log"
	                          " WHERE event_time < extract(epoch FROM clock_timestamp())::bigint - $1::bigint";
	/* prefixes none of whose events is left (each probe is a range of the primary key) */
	static const char sql_prefixes[] =
		"DELETE FROM notification_prefixes p WHERE NOT EXISTS (SELECT 1 FROM notification_log e"
		" WHERE e.event_id BETWEEN p.first_event_id AND p.last_event_id)";
	g_autofree char *t = g_strdup_printf("%u", ttl_s);
	const char *params[] = {t};
	g_autoptr(PGresult) res = store_exec(conn, "event_trim", sql, 1, params, error);
	if (res == NULL)
		return FALSE;
	if (g_strcmp0(PQcmdTuples(res), "0") == 0)
		return TRUE;
	g_autoptr(PGresult) pres = store_exec(conn, "event_trim_prefixes", sql_prefixes, 0, NULL, error);
	return pres != NULL;
}
