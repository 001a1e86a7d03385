/*
 * loadgen.c — a Hive Metastore load generator speaking Thrift's binary protocol itself.
 *
 * Strict TBinaryProtocol, unframed, over plain blocking TCP sockets on loopback: each request is
 * encoded into one reusable buffer and sent with one write; the reply is read through a 64 KiB
 * buffer and decoded only far enough to tell success from an exception and to count a list. No
 * generated code, no GObject, no allocation per request: the client must never be what the
 * benchmark measures. Modes: timed workloads (see usage()), `setup` (a database and its tables
 * through create_database/create_table), `idle` (hold thousands of open connections),
 * `setup_partitions`, `partition_batch` (add/drop rounds), `--probe` (one listing's reply size).
 * The Glue workloads speak HTTP/1.1 keep-alive with JSON bodies, each request signed with SigV4
 * here (libcrypto HMAC-SHA256; the day's signing key cached per connection as the SDKs do).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/hmac.h>
#include <openssl/sha.h>

/* Thrift type ids (TType). */
enum { T_STOP = 0, T_BOOL = 2, T_BYTE = 3, T_DOUBLE = 4, T_I16 = 6, T_I32 = 8, T_I64 = 10, T_STRING = 11,
       T_STRUCT = 12, T_MAP = 13, T_SET = 14, T_LIST = 15 };
/* Message types. */
enum { M_CALL = 1, M_REPLY = 2, M_EXCEPTION = 3 };

#define VERSION_1 0x80010000u
#define MAX_DEPTH 64
#define MAX_CONTAINER 10000000

/* ---- configuration ---- */

typedef struct {
	const char *host;
	int port;
	const char *op;
	const char *db;
	int tables;   /* tables named tbl_00000 .. in db */
	int columns;  /* columns of each created table */
	double timeout_s;
	const char *ptable; /* the partitioned table (dt string, bucket int) the listings read */
	int parts;          /* partitions in ptable, or the batch size of add/drop rounds */
	int expect;         /* listings: the element count a reply must have (-1: any) */
	const char *filter; /* get_partitions_by_filter's filter */
	int rounds;         /* partition_batch mode: fresh tables, each one add + one drop */
	int setup_batch;    /* setup_partitions: partitions per add_partitions call */
	int server_pid, postmaster_pid;
	char access_key[256], secret_key[256]; /* Glue over HTTP: SigV4 credentials */
} LoadgenConfig;

/* ---- one connection: socket, read buffer, request buffer ---- */

typedef struct {
	int fd;
	int index;
	int32_t seqid;
	uint64_t rng;
	const LoadgenConfig *cfg;
	size_t rpos, rlen;
	uint8_t rbuf[65536];
	uint8_t *w;
	size_t wlen, wcap;
	char name[128]; /* scratch for table names */
	uint64_t rx_total; /* bytes received on this connection */
	int ice_ready;     /* iceberg_commit: this client's table exists */
	uint64_t ice_ver;  /* iceberg_commit: the metadata version the table holds */
	int want_lock;     /* r_reply: decode a LockResponse result into lockid/lockstate */
	int64_t lockid;
	int32_t lockstate;
	char sig_date[9];  /* SigV4 signing key of this date, cached as SDKs do */
	uint8_t sig_key[32];
} Conn;

/* ---- encoder: appends to c->w ---- */

static void w_raw(Conn *c, const void *p, size_t n)
{
	if (c->wlen + n > c->wcap) {
		size_t cap = c->wcap ? c->wcap : 4096;
		while (cap < c->wlen + n)
			cap *= 2;
		uint8_t *nw = realloc(c->w, cap);
		if (nw == NULL)
			abort();
		c->w = nw;
		c->wcap = cap;
	}
	memcpy(c->w + c->wlen, p, n);
	c->wlen += n;
}

static void w_u8(Conn *c, uint8_t v) { w_raw(c, &v, 1); }
static void w_i16(Conn *c, int16_t v) { uint16_t b = htons((uint16_t)v); w_raw(c, &b, 2); }
static void w_i32(Conn *c, int32_t v) { uint32_t b = htonl((uint32_t)v); w_raw(c, &b, 4); }
static void w_i64(Conn *c, int64_t v) { w_i32(c, (int32_t)((uint64_t)v >> 32)); w_i32(c, (int32_t)(uint32_t)v); }

static void w_str(Conn *c, const char *s)
{
	size_t n = strlen(s);
	w_i32(c, (int32_t)n);
	w_raw(c, s, n);
}

static void w_field(Conn *c, uint8_t type, int16_t id)
{
	w_u8(c, type);
	w_i16(c, id);
}

static void w_field_str(Conn *c, int16_t id, const char *s)
{
	w_field(c, T_STRING, id);
	w_str(c, s);
}

static void w_field_i32(Conn *c, int16_t id, int32_t v)
{
	w_field(c, T_I32, id);
	w_i32(c, v);
}

static void w_field_i16(Conn *c, int16_t id, int16_t v)
{
	w_field(c, T_I16, id);
	w_i16(c, v);
}

static void w_field_bool(Conn *c, int16_t id, bool v)
{
	w_field(c, T_BOOL, id);
	w_u8(c, v ? 1 : 0);
}

/* A list/map header with its element count. */
static void w_list(Conn *c, uint8_t etype, int32_t n) { w_u8(c, etype); w_i32(c, n); }
static void w_map(Conn *c, uint8_t kt, uint8_t vt, int32_t n) { w_u8(c, kt); w_u8(c, vt); w_i32(c, n); }

/* Starts a call: resets the buffer and writes the strict message header. */
static void w_begin(Conn *c, const char *method)
{
	c->wlen = 0;
	w_i32(c, (int32_t)(VERSION_1 | M_CALL));
	w_str(c, method);
	w_i32(c, ++c->seqid);
}

/* ---- decoder: reads from the socket through c->rbuf ---- */

/* Refills the read buffer; false on EOF, error or timeout. */
static bool r_fill(Conn *c, char *err, size_t errlen)
{
	for (int tries = 0; tries < 1000; tries++) {
		ssize_t n = recv(c->fd, c->rbuf, sizeof c->rbuf, 0);
		if (n > 0) {
			c->rpos = 0;
			c->rlen = (size_t)n;
			c->rx_total += (uint64_t)n;
			return true;
		}
		if (n < 0 && errno == EINTR)
			continue;
		snprintf(err, errlen, "recv: %s", n == 0 ? "connection closed by server" : strerror(errno));
		return false;
	}
	snprintf(err, errlen, "recv: interrupted too often");
	return false;
}

/* Copies n bytes (dst may be NULL to skip them). */
static bool r_bytes(Conn *c, void *dst, size_t n, char *err, size_t errlen)
{
	uint8_t *d = dst;
	while (n > 0) {
		if (c->rpos == c->rlen && !r_fill(c, err, errlen))
			return false;
		size_t k = c->rlen - c->rpos < n ? c->rlen - c->rpos : n;
		if (d) {
			memcpy(d, c->rbuf + c->rpos, k);
			d += k;
		}
		c->rpos += k;
		n -= k;
	}
	return true;
}

static bool r_u8(Conn *c, uint8_t *v, char *e, size_t el) { return r_bytes(c, v, 1, e, el); }

static bool r_i16(Conn *c, int16_t *v, char *e, size_t el)
{
	uint16_t b;
	if (!r_bytes(c, &b, 2, e, el))
		return false;
	*v = (int16_t)ntohs(b);
	return true;
}

static bool r_i32(Conn *c, int32_t *v, char *e, size_t el)
{
	uint32_t b;
	if (!r_bytes(c, &b, 4, e, el))
		return false;
	*v = (int32_t)ntohl(b);
	return true;
}

/* A string: up to cap-1 bytes kept NUL-terminated in out (may be NULL), the rest skipped. */
static bool r_str(Conn *c, char *out, size_t cap, char *e, size_t el)
{
	int32_t n;
	if (!r_i32(c, &n, e, el))
		return false;
	if (n < 0 || n > 256 * 1024 * 1024) {
		snprintf(e, el, "bad string length %d", n);
		return false;
	}
	size_t keep = out && cap > 0 ? ((size_t)n < cap - 1 ? (size_t)n : cap - 1) : 0;
	if (!r_bytes(c, out, keep, e, el) || !r_bytes(c, NULL, (size_t)n - keep, e, el))
		return false;
	if (out && cap > 0)
		out[keep] = '\0';
	return true;
}

static bool r_skip(Conn *c, uint8_t type, int depth, char *e, size_t el);

/* Skips count elements of one type. */
static bool r_skip_n(Conn *c, uint8_t type, int32_t count, int depth, char *e, size_t el)
{
	if (count < 0 || count > MAX_CONTAINER) {
		snprintf(e, el, "bad container size %d", count);
		return false;
	}
	for (int32_t i = 0; i < count; i++)
		if (!r_skip(c, type, depth, e, el))
			return false;
	return true;
}

/* Skips one value of the given type: the generic walk every Thrift reader has. */
static bool r_skip(Conn *c, uint8_t type, int depth, char *e, size_t el)
{
	uint8_t kt, vt;
	int16_t id;
	int32_t n;
	if (depth > MAX_DEPTH) {
		snprintf(e, el, "nesting too deep");
		return false;
	}
	switch (type) {
	case T_BOOL:
	case T_BYTE:
		return r_bytes(c, NULL, 1, e, el);
	case T_I16:
		return r_bytes(c, NULL, 2, e, el);
	case T_I32:
		return r_bytes(c, NULL, 4, e, el);
	case T_DOUBLE:
	case T_I64:
		return r_bytes(c, NULL, 8, e, el);
	case T_STRING:
		return r_str(c, NULL, 0, e, el);
	case T_STRUCT:
		for (int f = 0; f < 100000; f++) {
			if (!r_u8(c, &kt, e, el))
				return false;
			if (kt == T_STOP)
				return true;
			if (!r_i16(c, &id, e, el) || !r_skip(c, kt, depth + 1, e, el))
				return false;
		}
		snprintf(e, el, "struct with too many fields");
		return false;
	case T_MAP:
		if (!r_u8(c, &kt, e, el) || !r_u8(c, &vt, e, el) || !r_i32(c, &n, e, el))
			return false;
		if (n < 0 || n > MAX_CONTAINER) {
			snprintf(e, el, "bad map size %d", n);
			return false;
		}
		for (int32_t i = 0; i < n; i++)
			if (!r_skip(c, kt, depth + 1, e, el) || !r_skip(c, vt, depth + 1, e, el))
				return false;
		return true;
	case T_SET:
	case T_LIST:
		if (!r_u8(c, &vt, e, el) || !r_i32(c, &n, e, el))
			return false;
		return r_skip_n(c, vt, n, depth + 1, e, el);
	default:
		snprintf(e, el, "unknown field type %u", type);
		return false;
	}
}

/* The message text of an exception struct: its first string field (field 1 in Hive's
 * exceptions and in TApplicationException); the rest is skipped. */
static bool r_exception(Conn *c, char *msg, size_t cap, char *e, size_t el)
{
	uint8_t t;
	int16_t id;
	msg[0] = '\0';
	for (int f = 0; f < 1000; f++) {
		if (!r_u8(c, &t, e, el))
			return false;
		if (t == T_STOP)
			return true;
		if (!r_i16(c, &id, e, el))
			return false;
		bool ok = (t == T_STRING && msg[0] == '\0') ? r_str(c, msg, cap, e, el) : r_skip(c, t, 1, e, el);
		if (!ok)
			return false;
	}
	snprintf(e, el, "exception with too many fields");
	return false;
}

static bool r_i64(Conn *c, int64_t *v, char *e, size_t el)
{
	int32_t hi, lo;
	if (!r_i32(c, &hi, e, el) || !r_i32(c, &lo, e, el))
		return false;
	*v = (int64_t)(((uint64_t)(uint32_t)hi << 32) | (uint32_t)lo);
	return true;
}

/* LockResponse{1: i64 lockid, 2: LockState state, 3: errorMessage} into c->lockid/lockstate. */
static bool r_lock_response(Conn *c, char *e, size_t el)
{
	c->lockid = -1;
	c->lockstate = -1;
	for (int f = 0; f < 100; f++) {
		uint8_t t;
		int16_t id;
		if (!r_u8(c, &t, e, el))
			return false;
		if (t == T_STOP)
			return true;
		if (!r_i16(c, &id, e, el))
			return false;
		bool ok = id == 1 && t == T_I64 ? r_i64(c, &c->lockid, e, el)
		          : id == 2 && t == T_I32 ? r_i32(c, &c->lockstate, e, el)
		                                  : r_skip(c, t, 1, e, el);
		if (!ok)
			return false;
	}
	snprintf(e, el, "LockResponse with too many fields");
	return false;
}

/*
 * Reads one reply to c->seqid. BENCH_OK when it is a REPLY whose result holds field 0 (or
 * nothing, for a void method); *list_len receives the element count if field 0 is a list.
 * A declared exception or an EXCEPTION message is a soft error naming the message; anything
 * unreadable is fatal (the stream cannot be trusted any more).
 */
static BenchStatus r_reply(Conn *c, const char *method, int32_t *list_len, char *e, size_t el)
{
	int32_t v, seq;
	char name[128], msg[200];
	if (!r_i32(c, &v, e, el) || !r_str(c, name, sizeof name, e, el) || !r_i32(c, &seq, e, el))
		return BENCH_FATAL;
	if (((uint32_t)v & 0xffff0000u) != VERSION_1) {
		snprintf(e, el, "not a strict binary-protocol reply (0x%08x)", (uint32_t)v);
		return BENCH_FATAL;
	}
	if (seq != c->seqid || strcmp(name, method) != 0) {
		snprintf(e, el, "reply %s/%d to call %s/%d", name, seq, method, c->seqid);
		return BENCH_FATAL;
	}
	if ((v & 0xff) == M_EXCEPTION) {
		if (!r_exception(c, msg, sizeof msg, e, el))
			return BENCH_FATAL;
		snprintf(e, el, "%s: TApplicationException: %s", method, msg);
		return BENCH_SOFT_ERROR;
	}
	if ((v & 0xff) != M_REPLY) {
		snprintf(e, el, "%s: message type %d", method, v & 0xff);
		return BENCH_FATAL;
	}
	BenchStatus st = BENCH_OK;
	for (int f = 0; f < 100; f++) {
		uint8_t t;
		int16_t id;
		if (!r_u8(c, &t, e, el))
			return BENCH_FATAL;
		if (t == T_STOP)
			return st;
		if (!r_i16(c, &id, e, el))
			return BENCH_FATAL;
		if (id == 0 && t == T_STRUCT && c->want_lock) {
			if (!r_lock_response(c, e, el))
				return BENCH_FATAL;
		} else if (id == 0 && t == T_LIST && list_len) {
			uint8_t et;
			if (!r_u8(c, &et, e, el) || !r_i32(c, list_len, e, el) || !r_skip_n(c, et, *list_len, 1, e, el))
				return BENCH_FATAL;
		} else if (id == 0) {
			if (!r_skip(c, t, 0, e, el))
				return BENCH_FATAL;
		} else if (t == T_STRUCT) {
			if (!r_exception(c, msg, sizeof msg, e, el))
				return BENCH_FATAL;
			snprintf(e, el, "%s: exception %d: %s", method, id, msg);
			st = BENCH_SOFT_ERROR;
		} else if (!r_skip(c, t, 0, e, el)) {
			return BENCH_FATAL;
		}
	}
	snprintf(e, el, "%s: result with too many fields", method);
	return BENCH_FATAL;
}

/* Sends the encoded request in c->w and reads its reply. */
static BenchStatus conn_call(Conn *c, const char *method, int32_t *list_len, char *e, size_t el)
{
	size_t off = 0;
	while (off < c->wlen) {
		ssize_t n = send(c->fd, c->w + off, c->wlen - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(e, el, "send: %s", strerror(errno));
			return BENCH_FATAL;
		}
		off += (size_t)n;
	}
	return r_reply(c, method, list_len, e, el);
}

/* ---- the calls ---- */

static const char *table_name(Conn *c, int i)
{
	snprintf(c->name, sizeof c->name, "tbl_%05d", i);
	return c->name;
}

static BenchStatus call_get_status(Conn *c, char *e, size_t el)
{
	w_begin(c, "getStatus");
	w_u8(c, T_STOP);
	return conn_call(c, "getStatus", NULL, e, el);
}

/* fb303 getVersion(): answered from a constant, the empty RPC (getStatus may ping the database). */
static BenchStatus call_get_version(Conn *c, char *e, size_t el)
{
	w_begin(c, "getVersion");
	w_u8(c, T_STOP);
	return conn_call(c, "getVersion", NULL, e, el);
}

static BenchStatus call_get_database(Conn *c, const char *db, char *e, size_t el)
{
	w_begin(c, "get_database");
	w_field_str(c, 1, db);
	w_u8(c, T_STOP);
	return conn_call(c, "get_database", NULL, e, el);
}

static BenchStatus call_get_table(Conn *c, const char *db, const char *tbl, char *e, size_t el)
{
	w_begin(c, "get_table");
	w_field_str(c, 1, db);
	w_field_str(c, 2, tbl);
	w_u8(c, T_STOP);
	return conn_call(c, "get_table", NULL, e, el);
}

/* get_table_req(GetTableRequest{1: dbName, 2: tblName}), what Hive 4 and Trino call first. */
static BenchStatus call_get_table_req(Conn *c, const char *db, const char *tbl, char *e, size_t el)
{
	w_begin(c, "get_table_req");
	w_field(c, T_STRUCT, 1);
	w_field_str(c, 1, db);
	w_field_str(c, 2, tbl);
	w_u8(c, T_STOP);
	w_u8(c, T_STOP);
	return conn_call(c, "get_table_req", NULL, e, el);
}

static BenchStatus call_get_all_tables(Conn *c, const char *db, int expect, char *e, size_t el)
{
	int32_t n = -1;
	w_begin(c, "get_all_tables");
	w_field_str(c, 1, db);
	w_u8(c, T_STOP);
	BenchStatus st = conn_call(c, "get_all_tables", &n, e, el);
	if (st == BENCH_OK && expect >= 0 && n < expect) {
		snprintf(e, el, "get_all_tables: %d names, expected at least %d", n, expect);
		return BENCH_SOFT_ERROR;
	}
	return st;
}

/* Database{1: name, 2: description, 3: locationUri, 4: parameters}. */
static BenchStatus call_create_database(Conn *c, const char *db, char *e, size_t el)
{
	char loc[256];
	snprintf(loc, sizeof loc, "file:/tmp/propolis-bench/warehouse/%s.db", db);
	w_begin(c, "create_database");
	w_field(c, T_STRUCT, 1);
	w_field_str(c, 1, db);
	w_field_str(c, 2, "propolis benchmark database");
	w_field_str(c, 3, loc);
	w_field(c, T_MAP, 4);
	w_map(c, T_STRING, T_STRING, 0);
	w_u8(c, T_STOP);
	w_u8(c, T_STOP);
	return conn_call(c, "create_database", NULL, e, el);
}

/* FieldSchema{1: name, 2: type, 3: comment}. */
static void w_field_schema(Conn *c, const char *name, const char *type, const char *comment)
{
	w_field_str(c, 1, name);
	w_field_str(c, 2, type);
	w_field_str(c, 3, comment);
	w_u8(c, T_STOP);
}

/* StorageDescriptor of a Parquet table with ncols columns at loc (field ids from Hive's IDL). */
static void w_storage_descriptor_at(Conn *c, const char *loc, int ncols)
{
	static const char *const types[] = {"bigint", "string", "double", "timestamp", "int", "decimal(18,2)"};
	char col[32];
	w_field(c, T_LIST, 1);
	w_list(c, T_STRUCT, ncols);
	for (int i = 0; i < ncols; i++) {
		snprintf(col, sizeof col, "col_%d", i);
		w_field_schema(c, col, types[i % 6], "a benchmark column");
	}
	w_field_str(c, 2, loc);
	w_field_str(c, 3, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
	w_field_str(c, 4, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
	w_field_bool(c, 5, false);
	w_field_i32(c, 6, -1);
	w_field(c, T_STRUCT, 7); /* SerDeInfo{1: name, 2: serializationLib, 3: parameters} */
	w_field_str(c, 1, "");
	w_field_str(c, 2, "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
	w_field(c, T_MAP, 3);
	w_map(c, T_STRING, T_STRING, 1);
	w_str(c, "serialization.format");
	w_str(c, "1");
	w_u8(c, T_STOP);
	w_field(c, T_LIST, 8);
	w_list(c, T_STRING, 0);
	w_field(c, T_LIST, 9);
	w_list(c, T_STRUCT, 0);
	w_field(c, T_MAP, 10);
	w_map(c, T_STRING, T_STRING, 0);
	w_u8(c, T_STOP);
}

static void w_storage_descriptor(Conn *c, const char *db, const char *tbl, int ncols)
{
	char loc[256];
	snprintf(loc, sizeof loc, "file:/tmp/propolis-bench/warehouse/%s.db/%s", db, tbl);
	w_storage_descriptor_at(c, loc, ncols);
}

/* Table{...} as field `fid`: an external Parquet table as Spark writes one; partitioned by
 * (dt string, bucket int) when `partitioned`; Iceberg's parameters when ice_loc is set. */
static void w_table(Conn *c, int16_t fid, const char *db, const char *tbl, bool partitioned, const char *ice_loc,
                    const char *ice_prev)
{
	char now[32];
	snprintf(now, sizeof now, "%ld", (long)time(NULL));
	w_field(c, T_STRUCT, fid);
	w_field_str(c, 1, tbl);
	w_field_str(c, 2, db);
	w_field_str(c, 3, "bench");
	w_field_i32(c, 4, (int32_t)time(NULL));
	w_field_i32(c, 5, 0);
	w_field_i32(c, 6, 0);
	w_field(c, T_STRUCT, 7);
	w_storage_descriptor(c, db, tbl, c->cfg->columns);
	w_field(c, T_LIST, 8);
	w_list(c, T_STRUCT, partitioned ? 2 : 0);
	if (partitioned) {
		w_field_schema(c, "dt", "string", "day");
		w_field_schema(c, "bucket", "int", "bucket");
	}
	w_field(c, T_MAP, 9);
	w_map(c, T_STRING, T_STRING, ice_loc ? (ice_prev ? 6 : 5) : 3);
	w_str(c, "EXTERNAL");
	w_str(c, "TRUE");
	w_str(c, "spark.sql.sources.provider");
	w_str(c, "parquet");
	w_str(c, "transient_lastDdlTime");
	w_str(c, now);
	if (ice_loc) {
		w_str(c, "table_type");
		w_str(c, "ICEBERG");
		w_str(c, "metadata_location");
		w_str(c, ice_loc);
		if (ice_prev) {
			w_str(c, "previous_metadata_location");
			w_str(c, ice_prev);
		}
	}
	w_field_str(c, 12, "EXTERNAL_TABLE");
	w_u8(c, T_STOP);
}

/* create_table(Table{...}). */
static BenchStatus call_create_table_ex(Conn *c, const char *db, const char *tbl, bool partitioned,
                                        const char *ice_loc, char *e, size_t el)
{
	w_begin(c, "create_table");
	w_table(c, 1, db, tbl, partitioned, ice_loc, NULL);
	w_u8(c, T_STOP);
	return conn_call(c, "create_table", NULL, e, el);
}

static BenchStatus call_create_table(Conn *c, const char *db, const char *tbl, char *e, size_t el)
{
	return call_create_table_ex(c, db, tbl, false, NULL, e, el);
}

static BenchStatus call_drop_table(Conn *c, const char *db, const char *tbl, char *e, size_t el)
{
	w_begin(c, "drop_table");
	w_field_str(c, 1, db);
	w_field_str(c, 2, tbl);
	w_field_bool(c, 3, false);
	w_u8(c, T_STOP);
	return conn_call(c, "drop_table", NULL, e, el);
}

/* ---- partitions: the table (dt string, bucket int), partition k = day k / 1000, bucket k % 1000 ---- */

/* The values and Hive name of partition k. */
static void part_values(int k, char dt[16], char bucket[16], char *name, size_t cap)
{
	time_t t = (time_t)1704067200 + (time_t)(k / 1000) * 86400; /* 2024-01-01 */
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(dt, 16, "%Y-%m-%d", &tm);
	snprintf(bucket, 16, "%d", k % 1000);
	if (name)
		snprintf(name, cap, "dt=%s/bucket=%s", dt, bucket);
}

/* Partition{1: values, 2: dbName, 3: tableName, 4: createTime, 5: lastAccessTime, 6: sd, 7: parameters}. */
static void w_partition(Conn *c, const char *db, const char *tbl, int k, int32_t now)
{
	char dt[16], bucket[16], name[64], loc[320];
	part_values(k, dt, bucket, name, sizeof name);
	w_field(c, T_LIST, 1);
	w_list(c, T_STRING, 2);
	w_str(c, dt);
	w_str(c, bucket);
	w_field_str(c, 2, db);
	w_field_str(c, 3, tbl);
	w_field_i32(c, 4, now);
	w_field_i32(c, 5, 0);
	snprintf(loc, sizeof loc, "file:/tmp/propolis-bench/warehouse/%s.db/%s/%s", db, tbl, name);
	w_field(c, T_STRUCT, 6);
	w_storage_descriptor_at(c, loc, c->cfg->columns);
	w_field(c, T_MAP, 7);
	w_map(c, T_STRING, T_STRING, 1);
	w_str(c, "transient_lastDdlTime");
	char now_s[16];
	snprintf(now_s, sizeof now_s, "%d", now);
	w_str(c, now_s);
	w_u8(c, T_STOP);
}

/* Encodes add_partitions(list<Partition>) of partitions first .. first+n-1 (sent by conn_call). */
static void w_add_partitions(Conn *c, const char *db, const char *tbl, int first, int n)
{
	int32_t now = (int32_t)time(NULL);
	w_begin(c, "add_partitions");
	w_field(c, T_LIST, 1);
	w_list(c, T_STRUCT, n);
	for (int k = first; k < first + n; k++)
		w_partition(c, db, tbl, k, now);
	w_u8(c, T_STOP);
}

/* Encodes drop_partitions_req(DropPartitionsRequest{db, tbl, parts: {names}, deleteData false,
 * ifExists false, needResult true}) of partitions first .. first+n-1. */
static void w_drop_partitions_req(Conn *c, const char *db, const char *tbl, int first, int n)
{
	char dt[16], bucket[16], name[64];
	w_begin(c, "drop_partitions_req");
	w_field(c, T_STRUCT, 1);
	w_field_str(c, 1, db);
	w_field_str(c, 2, tbl);
	w_field(c, T_STRUCT, 3);
	w_field(c, T_LIST, 1);
	w_list(c, T_STRING, n);
	for (int k = first; k < first + n; k++) {
		part_values(k, dt, bucket, name, sizeof name);
		w_str(c, name);
	}
	w_u8(c, T_STOP);
	w_field_bool(c, 4, false);
	w_field_bool(c, 5, false);
	w_field_bool(c, 8, true);
	w_u8(c, T_STOP);
	w_u8(c, T_STOP);
}

/* A listing: checks the element count against cfg->expect. */
static BenchStatus call_listing(Conn *c, const char *method, char *e, size_t el)
{
	const LoadgenConfig *cfg = c->cfg;
	int32_t n = -1;
	w_begin(c, method);
	w_field_str(c, 1, cfg->db);
	w_field_str(c, 2, cfg->ptable);
	if (strcmp(method, "get_partitions_by_filter") == 0) {
		w_field_str(c, 3, cfg->filter);
		w_field_i16(c, 4, -1);
	} else {
		w_field_i16(c, 3, -1);
	}
	w_u8(c, T_STOP);
	BenchStatus st = conn_call(c, method, &n, e, el);
	if (st == BENCH_OK && cfg->expect >= 0 && n != cfg->expect) {
		snprintf(e, el, "%s: %d elements, expected %d", method, n, cfg->expect);
		return BENCH_SOFT_ERROR;
	}
	return st;
}

/* ---- the Iceberg commit: lock, get_table, conditional alter, unlock ---- */

static BenchStatus call_lock_table(Conn *c, const char *db, const char *tbl, char *e, size_t el)
{
	w_begin(c, "lock");
	w_field(c, T_STRUCT, 1); /* LockRequest */
	w_field(c, T_LIST, 1);
	w_list(c, T_STRUCT, 1);
	w_field_i32(c, 1, 3); /* LockType.EXCLUSIVE */
	w_field_i32(c, 2, 2); /* LockLevel.TABLE */
	w_field_str(c, 3, db);
	w_field_str(c, 4, tbl);
	w_u8(c, T_STOP);
	w_field_str(c, 3, "bench");
	w_field_str(c, 4, "localhost");
	w_u8(c, T_STOP);
	w_u8(c, T_STOP);
	c->want_lock = 1;
	BenchStatus st = conn_call(c, "lock", NULL, e, el);
	c->want_lock = 0;
	return st;
}

static BenchStatus call_unlock(Conn *c, int64_t lockid, char *e, size_t el)
{
	w_begin(c, "unlock");
	w_field(c, T_STRUCT, 1);
	w_field(c, T_I64, 1);
	w_i64(c, lockid);
	w_u8(c, T_STOP);
	w_u8(c, T_STOP);
	return conn_call(c, "unlock", NULL, e, el);
}

static void ice_location(char *buf, size_t cap, const char *tbl, uint64_t v)
{
	snprintf(buf, cap, "file:/tmp/propolis-bench/warehouse/bench.db/%s/metadata/%05llu-bench.metadata.json", tbl,
	         (unsigned long long)v);
}

/* One uncontended Iceberg commit on this client's own table (created at its first call). */
static BenchStatus call_iceberg_commit(Conn *c, char *e, size_t el)
{
	const char *db = c->cfg->db;
	char tbl[64], cur[256], next[256];
	snprintf(tbl, sizeof tbl, "ice_%d_%d", (int)getpid(), c->index);
	if (!c->ice_ready) {
		ice_location(cur, sizeof cur, tbl, 0);
		BenchStatus st = call_create_table_ex(c, db, tbl, false, cur, e, el);
		if (st != BENCH_OK)
			return st;
		c->ice_ready = 1;
		c->ice_ver = 0;
	}
	ice_location(cur, sizeof cur, tbl, c->ice_ver);
	ice_location(next, sizeof next, tbl, c->ice_ver + 1);
	BenchStatus st = call_lock_table(c, db, tbl, e, el);
	if (st != BENCH_OK)
		return st;
	int64_t lockid = c->lockid;
	if (c->lockstate != 1) { /* ACQUIRED */
		snprintf(e, el, "lock: state %d, not ACQUIRED", c->lockstate);
		char e2[256];
		(void)call_unlock(c, lockid, e2, sizeof e2);
		return BENCH_SOFT_ERROR;
	}
	st = call_get_table(c, db, tbl, e, el);
	if (st == BENCH_OK) {
		w_begin(c, "alter_table_with_environment_context");
		w_field_str(c, 1, db);
		w_field_str(c, 2, tbl);
		w_table(c, 3, db, tbl, false, next, cur);
		w_field(c, T_STRUCT, 4); /* EnvironmentContext{1: properties} */
		w_field(c, T_MAP, 1);
		w_map(c, T_STRING, T_STRING, 2);
		w_str(c, "expected_parameter_key");
		w_str(c, "metadata_location");
		w_str(c, "expected_parameter_value");
		w_str(c, cur);
		w_u8(c, T_STOP);
		w_u8(c, T_STOP);
		st = conn_call(c, "alter_table_with_environment_context", NULL, e, el);
		if (st == BENCH_OK)
			c->ice_ver++;
	}
	char e2[256];
	BenchStatus su = call_unlock(c, lockid, e2, sizeof e2);
	if (st == BENCH_OK && su != BENCH_OK) {
		snprintf(e, el, "%s", e2);
		return su;
	}
	return st;
}

/* ---- Glue over HTTP/1.1 keep-alive, signed with SigV4 (OpenSSL HMAC-SHA256) ---- */

static void hex32(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void hmac256(const uint8_t *key, size_t klen, const char *msg, uint8_t out[32])
{
	unsigned int len = 32;
	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &len);
}

/* Reads one line of the response (CRLF stripped) into buf. */
static bool r_line(Conn *c, char *buf, size_t cap, char *e, size_t el)
{
	size_t n = 0;
	for (size_t i = 0; i < 65536; i++) {
		uint8_t ch;
		if (!r_u8(c, &ch, e, el))
			return false;
		if (ch == '\n') {
			if (n > 0 && buf[n - 1] == '\r')
				n--;
			buf[n] = '\0';
			return true;
		}
		if (n + 1 < cap)
			buf[n++] = (char)ch;
	}
	snprintf(e, el, "http: line too long");
	return false;
}

/* Reads a response: OK on 200, a soft error with the body's start otherwise. */
static BenchStatus http_read_response(Conn *c, const char *what, char *e, size_t el)
{
	char line[1024], body[200] = "";
	int status = 0;
	long long clen = -1;
	bool chunked = false;
	if (!r_line(c, line, sizeof line, e, el) || sscanf(line, "HTTP/1.%*d %d", &status) != 1) {
		if (!e[0])
			snprintf(e, el, "http: bad status line");
		return BENCH_FATAL;
	}
	for (int h = 0; h < 200; h++) {
		if (!r_line(c, line, sizeof line, e, el))
			return BENCH_FATAL;
		if (line[0] == '\0')
			break;
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			clen = atoll(line + 15);
		if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 && strcasestr(line, "chunked"))
			chunked = true;
	}
	size_t kept = 0;
	for (int chunk = 0; chunk < 10000000; chunk++) {
		long long n = clen;
		if (chunked) {
			if (!r_line(c, line, sizeof line, e, el))
				return BENCH_FATAL;
			n = strtoll(line, NULL, 16);
		}
		if (n < 0) {
			snprintf(e, el, "http: no Content-Length");
			return BENCH_FATAL;
		}
		size_t keep = kept + (size_t)n < sizeof body - 1 ? (size_t)n : sizeof body - 1 - kept;
		if (!r_bytes(c, body + kept, keep, e, el) || !r_bytes(c, NULL, (size_t)n - keep, e, el))
			return BENCH_FATAL;
		kept += keep;
		body[kept] = '\0';
		if (!chunked)
			break;
		if (!r_line(c, line, sizeof line, e, el))
			return BENCH_FATAL;
		if (n == 0)
			break;
	}
	if (status != 200) {
		snprintf(e, el, "%s: HTTP %d: %s", what, status, body);
		return BENCH_SOFT_ERROR;
	}
	return BENCH_OK;
}

/* POSTs a Glue JSON 1.1 call, signed like the AWS SDKs sign it, and reads the answer. */
static BenchStatus glue_call(Conn *c, const char *op, const char *body, char *e, size_t el)
{
	const LoadgenConfig *cfg = c->cfg;
	char amz[20], date[9], host[64], target[64], bh[65], ch[65], sig[65], canon[1024], sts[512];
	uint8_t d[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(amz, sizeof amz, "%Y%m%dT%H%M%SZ", &tm);
	memcpy(date, amz, 8);
	date[8] = '\0';
	if (strcmp(date, c->sig_date) != 0) { /* the key chain changes once a day */
		char k0[300];
		uint8_t k1[32], k2[32], k3[32];
		snprintf(k0, sizeof k0, "AWS4%s", cfg->secret_key);
		hmac256((const uint8_t *)k0, strlen(k0), date, k1);
		hmac256(k1, 32, "us-east-1", k2);
		hmac256(k2, 32, "glue", k3);
		hmac256(k3, 32, "aws4_request", c->sig_key);
		memcpy(c->sig_date, date, 9);
	}
	snprintf(host, sizeof host, "%s:%d", cfg->host, cfg->port);
	snprintf(target, sizeof target, "AWSGlue.%s", op);
	SHA256((const unsigned char *)body, strlen(body), d);
	hex32(d, bh);
	snprintf(canon, sizeof canon,
	         "POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:%s\nx-amz-date:%s\nx-amz-target:%s\n\n"
	         "content-type;host;x-amz-date;x-amz-target\n%s",
	         host, amz, target, bh);
	SHA256((const unsigned char *)canon, strlen(canon), d);
	hex32(d, ch);
	snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n%s\n%s/us-east-1/glue/aws4_request\n%s", amz, date, ch);
	hmac256(c->sig_key, 32, sts, d);
	hex32(d, sig);
	char head[1024];
	int hn = snprintf(head, sizeof head,
	                  "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-amz-json-1.1\r\n"
	                  "X-Amz-Target: %s\r\nX-Amz-Date: %s\r\nAuthorization: AWS4-HMAC-SHA256 "
	                  "Credential=%s/%s/us-east-1/glue/aws4_request, "
	                  "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=%s\r\n"
	                  "Content-Length: %zu\r\n\r\n",
	                  host, target, amz, cfg->access_key, date, sig, strlen(body));
	c->wlen = 0;
	w_raw(c, head, (size_t)hn);
	w_raw(c, body, strlen(body));
	size_t off = 0;
	while (off < c->wlen) {
		ssize_t n = send(c->fd, c->w + off, c->wlen - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(e, el, "send: %s", strerror(errno));
			return BENCH_FATAL;
		}
		off += (size_t)n;
	}
	return http_read_response(c, op, e, el);
}

/* Reads "aws_access_key_id = X" and "aws_secret_access_key = Y" from an AWS CLI credentials file. */
static int read_credentials(const char *path, LoadgenConfig *cfg)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "credentials %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[512], v[256];
	for (int i = 0; i < 1000 && fgets(line, sizeof line, f); i++) {
		if (sscanf(line, " aws_access_key_id = %255s", v) == 1)
			snprintf(cfg->access_key, sizeof cfg->access_key, "%s", v);
		if (sscanf(line, " aws_secret_access_key = %255s", v) == 1)
			snprintf(cfg->secret_key, sizeof cfg->secret_key, "%s", v);
	}
	fclose(f);
	if (!cfg->access_key[0] || !cfg->secret_key[0]) {
		fprintf(stderr, "credentials %s: no aws_access_key_id / aws_secret_access_key\n", path);
		return -1;
	}
	return 0;
}

/* ---- driver for the runner ---- */

static int conn_open_fd(const LoadgenConfig *cfg, char *e, size_t el)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
	if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1) {
		snprintf(e, el, "host %s is not an IPv4 address", cfg->host);
		return -1;
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(e, el, "socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct timeval tv = {(time_t)cfg->timeout_s, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		snprintf(e, el, "connect %s:%d: %s", cfg->host, cfg->port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void *lg_connect(void *cfgp, int index, char *e, size_t el)
{
	const LoadgenConfig *cfg = cfgp;
	int fd = conn_open_fd(cfg, e, el);
	if (fd < 0)
		return NULL;
	Conn *c = calloc(1, sizeof *c);
	c->fd = fd;
	c->index = index;
	c->cfg = cfg;
	c->rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)(index + 1) * 0x100000001B3ULL) ^ (uint64_t)getpid();
	return c;
}

static void lg_close(void *p)
{
	Conn *c = p;
	close(c->fd);
	free(c->w);
	free(c);
}

/* One operation of the configured workload. */
static BenchStatus lg_op(void *p, uint64_t n, char *e, size_t el)
{
	Conn *c = p;
	const LoadgenConfig *cfg = c->cfg;
	const char *op = cfg->op;
	int pick = cfg->tables > 0 ? (int)(bench_rand(&c->rng) % (uint64_t)cfg->tables) : 0;
	if (strcmp(op, "get_status") == 0)
		return call_get_status(c, e, el);
	if (strcmp(op, "get_version") == 0)
		return call_get_version(c, e, el);
	if (strcmp(op, "get_database") == 0)
		return call_get_database(c, cfg->db, e, el);
	if (strcmp(op, "get_table") == 0)
		return call_get_table(c, cfg->db, table_name(c, pick), e, el);
	if (strcmp(op, "get_table_req") == 0)
		return call_get_table_req(c, cfg->db, table_name(c, pick), e, el);
	if (strcmp(op, "get_all_tables") == 0)
		return call_get_all_tables(c, cfg->db, cfg->tables, e, el);
	if (strcmp(op, "create_drop_table") == 0) {
		snprintf(c->name, sizeof c->name, "cd_%d_%d_%llu", (int)getpid(), c->index, (unsigned long long)n);
		char tbl[128];
		memcpy(tbl, c->name, sizeof tbl);
		BenchStatus st = call_create_table(c, cfg->db, tbl, e, el);
		return st != BENCH_OK ? st : call_drop_table(c, cfg->db, tbl, e, el);
	}
	if (strcmp(op, "get_partitions") == 0 || strcmp(op, "get_partitions_by_filter") == 0 ||
	    strcmp(op, "get_partition_names") == 0)
		return call_listing(c, op, e, el);
	if (strcmp(op, "iceberg_commit") == 0)
		return call_iceberg_commit(c, e, el);
	if (strcmp(op, "glue_get_table") == 0) {
		char body[256];
		snprintf(body, sizeof body, "{\"DatabaseName\":\"%s\",\"Name\":\"%s\"}", cfg->db, table_name(c, pick));
		return glue_call(c, "GetTable", body, e, el);
	}
	if (strcmp(op, "glue_get_partitions") == 0) { /* one page, as an SDK's first request */
		char body[512];
		snprintf(body, sizeof body, "{\"DatabaseName\":\"%s\",\"TableName\":\"%s\",\"MaxResults\":1000}", cfg->db,
		         cfg->ptable);
		return glue_call(c, "GetPartitions", body, e, el);
	}
	snprintf(e, el, "unknown workload %s", op);
	return BENCH_FATAL;
}

static const BenchDriver lg_driver = {lg_connect, lg_op, lg_close};

/* ---- setup and idle modes ---- */

/* Creates cfg->db (unless it is "default") and its tables; existing ones are fine. */
static int lg_setup(LoadgenConfig *cfg)
{
	char e[512] = "";
	Conn *c = lg_connect(cfg, 0, e, sizeof e);
	if (c == NULL) {
		fprintf(stderr, "setup: %s\n", e);
		return 1;
	}
	uint64_t t0 = bench_now_ns();
	int failed = 0;
	if (strcmp(cfg->db, "default") != 0) {
		BenchStatus st = call_create_database(c, cfg->db, e, sizeof e);
		if (st == BENCH_FATAL || (st != BENCH_OK && strstr(e, "exception 1:") == NULL)) {
			fprintf(stderr, "setup: %s\n", e);
			lg_close(c);
			return 1;
		}
	}
	for (int i = 0; i < cfg->tables && failed < 10; i++) {
		char tbl[32];
		snprintf(tbl, sizeof tbl, "tbl_%05d", i);
		BenchStatus st = call_create_table(c, cfg->db, tbl, e, sizeof e);
		if (st == BENCH_FATAL) {
			fprintf(stderr, "setup: %s\n", e);
			lg_close(c);
			return 1;
		}
		if (st != BENCH_OK && strstr(e, "exception 1:") == NULL) { /* o1 = AlreadyExistsException */
			fprintf(stderr, "setup: %s: %s\n", tbl, e);
			failed++;
		}
	}
	fprintf(stderr, "setup: database %s with %d tables in %.2f s\n", cfg->db, cfg->tables,
	        (double)(bench_now_ns() - t0) / 1e9);
	lg_close(c);
	return failed ? 1 : 0;
}

/* Creates cfg->ptable partitioned by (dt, bucket) with cfg->parts partitions, added
 * cfg->setup_batch at a time; an existing table is dropped first. */
static int lg_setup_partitions(LoadgenConfig *cfg)
{
	char e[512] = "";
	Conn *c = lg_connect(cfg, 0, e, sizeof e);
	if (c == NULL) {
		fprintf(stderr, "setup_partitions: %s\n", e);
		return 1;
	}
	uint64_t t0 = bench_now_ns();
	(void)call_drop_table(c, cfg->db, cfg->ptable, e, sizeof e);
	BenchStatus st = call_create_table_ex(c, cfg->db, cfg->ptable, true, NULL, e, sizeof e);
	for (int k = 0; st == BENCH_OK && k < cfg->parts; k += cfg->setup_batch) {
		int n = cfg->parts - k < cfg->setup_batch ? cfg->parts - k : cfg->setup_batch;
		w_add_partitions(c, cfg->db, cfg->ptable, k, n);
		st = conn_call(c, "add_partitions", NULL, e, sizeof e);
	}
	if (st != BENCH_OK)
		fprintf(stderr, "setup_partitions: %s\n", e);
	else
		fprintf(stderr, "setup_partitions: %s.%s with %d partitions in %.2f s\n", cfg->db, cfg->ptable, cfg->parts,
		        (double)(bench_now_ns() - t0) / 1e9);
	lg_close(c);
	return st == BENCH_OK ? 0 : 1;
}

/* One call of cfg->op, printing the element count and the reply's size in bytes. */
static int lg_probe(LoadgenConfig *cfg)
{
	char e[512] = "";
	Conn *c = lg_connect(cfg, 0, e, sizeof e);
	if (c == NULL) {
		fprintf(stderr, "probe: %s\n", e);
		return 1;
	}
	int32_t n = -1;
	uint64_t t0 = bench_now_ns();
	w_begin(c, cfg->op);
	w_field_str(c, 1, cfg->db);
	w_field_str(c, 2, cfg->ptable);
	if (strcmp(cfg->op, "get_partitions_by_filter") == 0)
		w_field_str(c, 3, cfg->filter);
	w_field_i16(c, strcmp(cfg->op, "get_partitions_by_filter") == 0 ? 4 : 3, -1);
	w_u8(c, T_STOP);
	BenchStatus st = conn_call(c, cfg->op, &n, e, sizeof e);
	double ms = (double)(bench_now_ns() - t0) / 1e6;
	if (st == BENCH_OK)
		printf("{\"target\": \"propolis\", \"workload\": \"reply_size\", \"op\": \"%s\", \"elements\": %d, "
		       "\"reply_bytes\": %llu, \"ms\": %.1f}\n",
		       cfg->op, n, (unsigned long long)c->rx_total, ms);
	else
		fprintf(stderr, "probe: %s\n", e);
	lg_close(c);
	return st == BENCH_OK ? 0 : 1;
}

/* CPU seconds of the server and of PostgreSQL now (negative when not asked for). */
static void lg_cpu(const LoadgenConfig *cfg, double out[2])
{
	out[0] = cfg->server_pid > 0 ? bench_proc_cpu_s(cfg->server_pid, 0) : -1;
	out[1] = cfg->postmaster_pid > 0 ? bench_proc_cpu_s(cfg->postmaster_pid, 1) : -1;
}

/*
 * Rounds of: a fresh partitioned table (not timed), add_partitions of cfg->parts partitions in
 * one call (timed), drop_partitions_req of them all by name (timed), drop table (not timed).
 * Requests are encoded before the clock starts. Reports add_partitions and drop_partitions_req.
 */
static int lg_partition_batch(LoadgenConfig *cfg, const BenchRunOptions *run)
{
	char e[512] = "", tbl[64];
	Conn *c = lg_connect(cfg, 0, e, sizeof e);
	if (c == NULL) {
		fprintf(stderr, "partition_batch: %s\n", e);
		return 1;
	}
	uint64_t *ns[2] = {calloc((size_t)cfg->rounds, 8), calloc((size_t)cfg->rounds, 8)};
	double secs[2] = {0, 0}, cpu[2][2] = {{0, 0}, {0, 0}}, a[2], b[2];
	size_t done[2] = {0, 0};
	BenchResult res[2];
	memset(res, 0, sizeof res);
	for (int r = 0; r < cfg->rounds; r++) {
		snprintf(tbl, sizeof tbl, "batch_%d_%d", (int)getpid(), r);
		BenchStatus st = call_create_table_ex(c, cfg->db, tbl, true, NULL, e, sizeof e);
		for (int phase = 0; phase < 2 && st == BENCH_OK; phase++) {
			if (phase == 0)
				w_add_partitions(c, cfg->db, tbl, 0, cfg->parts);
			else
				w_drop_partitions_req(c, cfg->db, tbl, 0, cfg->parts);
			const char *method = phase == 0 ? "add_partitions" : "drop_partitions_req";
			lg_cpu(cfg, a);
			uint64_t t0 = bench_now_ns();
			st = conn_call(c, method, NULL, e, sizeof e);
			uint64_t t1 = bench_now_ns();
			lg_cpu(cfg, b);
			if (st != BENCH_OK) {
				res[phase].errors++;
				snprintf(res[phase].first_error, sizeof res[phase].first_error, "%s", e);
				break;
			}
			ns[phase][done[phase]++] = t1 - t0;
			secs[phase] += (double)(t1 - t0) / 1e9;
			for (int k = 0; k < 2; k++)
				cpu[phase][k] += b[k] - a[k];
		}
		if (st == BENCH_FATAL)
			break;
		(void)call_drop_table(c, cfg->db, tbl, e, sizeof e);
	}
	int rc = 0;
	for (int phase = 0; phase < 2; phase++) {
		BenchRunOptions o = *run;
		o.workload = phase == 0 ? "add_partitions" : "drop_partitions_req";
		o.clients = 1;
		uint64_t errors = res[phase].errors;
		char first[256];
		memcpy(first, res[phase].first_error, sizeof first);
		bench_result_from_samples(ns[phase], done[phase], secs[phase], &res[phase]);
		res[phase].errors = errors;
		memcpy(res[phase].first_error, first, sizeof first);
		res[phase].client_cpu_us = -1;
		res[phase].server_cpu_us = cfg->server_pid > 0 && done[phase] ? cpu[phase][0] * 1e6 / (double)done[phase] : -1;
		res[phase].pg_cpu_us = cfg->postmaster_pid > 0 && done[phase] ? cpu[phase][1] * 1e6 / (double)done[phase] : -1;
		bench_report(&o, &res[phase]);
		rc |= done[phase] == 0;
		free(ns[phase]);
	}
	lg_close(c);
	return rc;
}

static volatile sig_atomic_t lg_stop;
static void lg_on_signal(int sig) { (void)sig; lg_stop = 1; }

/*
 * Opens count connections, makes one getVersion call on each (so the server has taken each
 * one in, without touching PostgreSQL), writes the number open to ready_file, then holds them until hold_s passes or a
 * SIGTERM/SIGINT arrives.
 */
static int lg_idle(LoadgenConfig *cfg, int count, double hold_s, const char *ready_file)
{
	char e[512] = "";
	int *fds = calloc((size_t)count, sizeof *fds);
	int open_n = 0;
	signal(SIGTERM, lg_on_signal);
	signal(SIGINT, lg_on_signal);
	uint64_t t0 = bench_now_ns();
	for (int i = 0; i < count && !lg_stop; i++) {
		Conn *c = lg_connect(cfg, i, e, sizeof e);
		if (c == NULL) {
			fprintf(stderr, "idle: after %d connections: %s\n", open_n, e);
			break;
		}
		BenchStatus st = call_get_version(c, e, sizeof e);
		if (st != BENCH_OK) {
			fprintf(stderr, "idle: connection %d: %s\n", i, e);
			lg_close(c);
			break;
		}
		fds[open_n++] = c->fd;
		c->fd = -1;
		free(c->w);
		free(c);
	}
	fprintf(stderr, "idle: %d connections open in %.2f s\n", open_n, (double)(bench_now_ns() - t0) / 1e9);
	printf("{\"target\": \"propolis\", \"workload\": \"idle_connections\", \"requested\": %d, \"open\": %d}\n", count,
	       open_n);
	fflush(stdout);
	if (ready_file) {
		FILE *f = fopen(ready_file, "w");
		if (f) {
			fprintf(f, "%d\n", open_n);
			fclose(f);
		}
	}
	uint64_t end = bench_now_ns() + (uint64_t)(hold_s * 1e9);
	while (!lg_stop && bench_now_ns() < end)
		usleep(50000);
	for (int i = 0; i < open_n; i++)
		close(fds[i]);
	free(fds);
	return open_n == count ? 0 : 1;
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: loadgen [options] --port PORT --op OP\n"
	        "  OP: get_version | get_status | get_database | get_table | get_table_req | get_all_tables | create_drop_table\n"
	        "      | get_partitions | get_partitions_by_filter | get_partition_names (of --ptable; --expect N)\n"
	        "      | iceberg_commit (lock, get_table, conditional alter, unlock on the client's own table)\n"
	        "      | glue_get_table | glue_get_partitions (HTTP + SigV4 to --port; --credentials FILE)\n"
	        "      | setup (create --db and --tables tables) | idle (hold --connections open)\n"
	        "      | setup_partitions (--ptable with --parts partitions, --setup-batch per call)\n"
	        "      | partition_batch (--rounds fresh tables: add_partitions of --parts, drop_partitions_req)\n"
	        "  --probe            one call of a listing OP: print its element count and reply size\n"
	        "  --ptable NAME (parts_100k)  --parts N (100000)  --filter F (bucket < 100)  --expect N (-1)\n"
	        "  --host ADDR        IPv4 address (127.0.0.1)\n"
	        "  --db NAME          database (default for get_database, bench otherwise)\n"
	        "  --tables N         tables tbl_00000.. in --db (1000); get_table picks one at random\n"
	        "  --columns N        columns per created table (8)\n"
	        "  --clients N        concurrent connections, one thread each (1)\n"
	        "  --seconds S        measured time (3)   --warmup S   warm-up time (1)\n"
	        "  --target NAME      label in the output (propolis)   --label NAME   workload label (OP)\n"
	        "  --connections N    idle mode: connections to hold (10000)\n"
	        "  --hold S           idle mode: hold at most S seconds (600)   --ready-file F   idle mode\n"
	        "  --timeout S        socket timeout (10)\n"
	        "  --server-pid PID, --postmaster-pid PID   also report their CPU time per operation\n"
	           "Prints one JSON object per result on stdout, a readable line on stderr.\n");
}

int main(int argc, char **argv)
{
	LoadgenConfig cfg = {.host = "127.0.0.1", .port = 0, .op = NULL, .db = NULL, .tables = 1000, .columns = 8,
	                     .timeout_s = 10,
	                     .ptable = "parts_100k", .parts = 100000, .expect = -1, .filter = "bucket < 100",
	                     .rounds = 3, .setup_batch = 1000};
	BenchRunOptions run = {.target = "propolis", .clients = 1, .warmup_s = 1, .seconds = 3};
	int connections = 10000;
	double hold = 600;
	const char *ready_file = NULL, *credentials = NULL;
	int probe = 0;
	static const struct option longopts[] = {
	    {"host", 1, 0, 'H'},   {"port", 1, 0, 'p'},    {"op", 1, 0, 'o'},          {"db", 1, 0, 'd'},
	    {"tables", 1, 0, 'n'}, {"columns", 1, 0, 'C'}, {"clients", 1, 0, 'c'},     {"seconds", 1, 0, 's'},
	    {"warmup", 1, 0, 'w'}, {"target", 1, 0, 'T'},  {"label", 1, 0, 'l'},       {"connections", 1, 0, 'N'},
	    {"hold", 1, 0, 'h'},   {"timeout", 1, 0, 't'}, {"ready-file", 1, 0, 'r'},
	    {"server-pid", 1, 0, 'S'}, {"postmaster-pid", 1, 0, 'P'}, {"help", 0, 0, '?'},
	    {"ptable", 1, 0, 'A'}, {"parts", 1, 0, 'B'}, {"expect", 1, 0, 'E'}, {"filter", 1, 0, 'F'},
	    {"rounds", 1, 0, 'R'}, {"setup-batch", 1, 0, 'G'}, {"credentials", 1, 0, 'K'}, {"probe", 0, 0, 'Q'},
	    {0, 0, 0, 0}};
	int ch;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H': cfg.host = optarg; break;
		case 'p': cfg.port = atoi(optarg); break;
		case 'o': cfg.op = optarg; break;
		case 'd': cfg.db = optarg; break;
		case 'n': cfg.tables = atoi(optarg); break;
		case 'C': cfg.columns = atoi(optarg); break;
		case 'c': run.clients = atoi(optarg); break;
		case 's': run.seconds = atof(optarg); break;
		case 'w': run.warmup_s = atof(optarg); break;
		case 'T': run.target = optarg; break;
		case 'l': run.workload = optarg; break;
		case 'N': connections = atoi(optarg); break;
		case 'h': hold = atof(optarg); break;
		case 't': cfg.timeout_s = atof(optarg); break;
		case 'r': ready_file = optarg; break;
		case 'S': run.server_pid = atoi(optarg); break;
		case 'P': run.postmaster_pid = atoi(optarg); break;
		case 'A': cfg.ptable = optarg; break;
		case 'B': cfg.parts = atoi(optarg); break;
		case 'E': cfg.expect = atoi(optarg); break;
		case 'F': cfg.filter = optarg; break;
		case 'R': cfg.rounds = atoi(optarg); break;
		case 'G': cfg.setup_batch = atoi(optarg); break;
		case 'K': credentials = optarg; break;
		case 'Q': probe = 1; break;
		default: usage(ch == '?' ? stdout : stderr); return ch == '?' ? 0 : 2;
		}
	}
	if (cfg.op == NULL || cfg.port <= 0 || run.clients < 1 || run.clients > 4096 || run.seconds <= 0 ||
	    run.seconds > 3600 || run.warmup_s < 0 || run.warmup_s > 600 || connections < 1 || connections > 200000 ||
	    cfg.columns < 1 || cfg.columns > 10000 || cfg.tables < 0 || cfg.parts < 0 || cfg.parts > 10000000 ||
	    cfg.rounds < 1 || cfg.rounds > 1000 || cfg.setup_batch < 1 || cfg.setup_batch > 100000) {
		usage(stderr);
		return 2;
	}
	if (cfg.db == NULL)
		cfg.db = strcmp(cfg.op, "get_database") == 0 ? "default" : "bench";
	if (run.workload == NULL)
		run.workload = cfg.op;
	signal(SIGPIPE, SIG_IGN);
	bench_raise_nofile();
	if (strcmp(cfg.op, "setup") == 0)
		return lg_setup(&cfg);
	if (strcmp(cfg.op, "idle") == 0)
		return lg_idle(&cfg, connections, hold, ready_file);
	if (strcmp(cfg.op, "setup_partitions") == 0)
		return lg_setup_partitions(&cfg);
	if (strcmp(cfg.op, "partition_batch") == 0) {
		cfg.server_pid = run.server_pid;
		cfg.postmaster_pid = run.postmaster_pid;
		return lg_partition_batch(&cfg, &run);
	}
	if (probe)
		return lg_probe(&cfg);
	if (strncmp(cfg.op, "glue_", 5) == 0 && (credentials == NULL || read_credentials(credentials, &cfg) != 0))
		return 2;

	BenchResult res;
	int rc = bench_run(&lg_driver, &cfg, &run, &res);
	bench_report(&run, &res);
	return rc == 0 && res.ops > 0 ? 0 : 1;
}
