/*
 * pgdirect.c — the pg-direct baseline: the SQL behind each Propolis call, run by bare libpq.
 *
 * One PostgreSQL connection per client thread, each statement prepared once per connection and
 * then run with PQexecPrepared, text results, exactly as server/store/ writes them (the strings
 * below are the store's statements: keep them in step with server/store/table.c and
 * database.c). The ratio propolis ÷ pg-direct is then what our layers (Thrift, translation,
 * JSON, pool, workers) cost on top of the one round trip to the database.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <getopt.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The join server/store/table.c uses to find a table by ($1 catalog, $2 database). */
#define TBL_JOIN                                                                                                       \
	" FROM tables t JOIN databases d ON d.id = t.database_id JOIN catalogs c ON c.id = d.catalog_id"                   \
	" WHERE c.name = $1 AND d.name = $2"

/* store_table_get (get_table). */
static const char sql_get_table[] = "SELECT t.doc::text, t.version" TBL_JOIN " AND t.name = $3";
/* store_table_list, names only, no pattern and no type (get_all_tables). */
static const char sql_list_tables[] = "SELECT t.name" TBL_JOIN
                                      " AND ($3::text IS NULL OR t.name ~* $3) AND ($4::text IS NULL OR"
                                      " t.table_type = $4) ORDER BY t.name";
/* store_database_get (get_database). */
static const char sql_get_database[] = "SELECT d.doc::text FROM databases d JOIN catalogs c ON c.id = d.catalog_id"
                                       " WHERE c.name = $1 AND d.name = $2";
/* The cheapest round trip, the floor under every other figure. */
static const char sql_select1[] = "SELECT 1";

/* ---- partitions: the statements of server/store/partition.c (keep in step with it) ---- */

#define PART_DOC_COLS "p.doc::text, p.location, p.sd_id, p.part_values::text, p.name"
#define PART_NAME_COLS "p.name, p.part_values::text"
#define PART_BATCH "1000" /* server/catalog/partition.c PART_BATCH */
/* store_partition_table */
static const char sql_part_table[] = "SELECT t.id, t.doc::text, t.version FROM tables t JOIN databases d ON d.id ="
                                     " t.database_id JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = $1 AND"
                                     " d.name = $2 AND t.name = $3";
static const char sql_part_count[] = "SELECT count(*) FROM partitions p WHERE p.table_id = $1::bigint";
static const char sql_part_docs_page[] = "SELECT " PART_DOC_COLS " FROM partitions p WHERE p.table_id = $1::bigint"
                                         " ORDER BY p.part_values LIMIT $2::bigint";
static const char sql_part_docs_after[] = "SELECT " PART_DOC_COLS " FROM partitions p WHERE p.table_id = $1::bigint"
                                          " AND p.part_values > $2::text[] ORDER BY p.part_values LIMIT $3::bigint";
static const char sql_part_names_page[] = "SELECT " PART_NAME_COLS " FROM partitions p WHERE p.table_id = $1::bigint"
                                          " ORDER BY p.part_values LIMIT $2::bigint";
static const char sql_part_names_after[] = "SELECT " PART_NAME_COLS " FROM partitions p WHERE p.table_id = $1::bigint"
                                           " AND p.part_values > $2::text[] ORDER BY p.part_values LIMIT $3::bigint";
static const char sql_part_sds[] = "SELECT id, doc::text FROM partition_sds WHERE id = ANY ($1::bigint[])";
/* The filter `bucket < N` on the int key as store/partfilter_sql.c writes it (unnamed statements). */
#define PART_FILTER_BUCKET_LT                                                                                          \
	" AND (((CASE WHEN p.part_values[2] ~ '^-?[0-9]+$' THEN p.part_values[2]::numeric END) < $%d::numeric))"
static const char sql_part_delete[] = "DELETE FROM partitions p WHERE p.table_id = $1::bigint AND p.name = ANY"
                                      " ($2::text[]) RETURNING " PART_DOC_COLS;

typedef struct {
	const char *conninfo;
	const char *op;
	const char *catalog;
	const char *db;
	int tables;
	const char *ptable; /* the partitioned table of bench/loadgen setup_partitions */
	int parts, rounds, expect, bucket_below;
	int postmaster_pid;
} PgConfig;

typedef struct {
	PGconn *pg;
	const PgConfig *cfg;
	uint64_t rng;
	char name[32];
} PgClient;

static void *pg_connect(void *cfgp, int index, char *e, size_t el)
{
	const PgConfig *cfg = cfgp;
	PGconn *pg = PQconnectdb(cfg->conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		snprintf(e, el, "connect: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return NULL;
	}
	static const struct {
		const char *name, *sql;
		int nparams;
	} stmts[] = {{"get_table", sql_get_table, 3},
	             {"get_all_tables", sql_list_tables, 4},
	             {"get_database", sql_get_database, 2},
	             {"select1", sql_select1, 0},
	             {"part_table", sql_part_table, 3},
	             {"part_count", sql_part_count, 1},
	             {"part_docs_page", sql_part_docs_page, 2},
	             {"part_docs_after", sql_part_docs_after, 3},
	             {"part_names_page", sql_part_names_page, 2},
	             {"part_names_after", sql_part_names_after, 3},
	             {"part_sds", sql_part_sds, 1}};
	for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
		PGresult *res = PQprepare(pg, stmts[i].name, stmts[i].sql, stmts[i].nparams, NULL);
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			snprintf(e, el, "prepare %s: %s", stmts[i].name, PQerrorMessage(pg));
		PQclear(res);
		if (!ok) {
			PQfinish(pg);
			return NULL;
		}
	}
	PgClient *c = calloc(1, sizeof *c);
	c->pg = pg;
	c->cfg = cfg;
	c->rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)(index + 1) * 0x100000001B3ULL) ^ (uint64_t)getpid();
	return c;
}

static void pg_close(void *p)
{
	PgClient *c = p;
	PQfinish(c->pg);
	free(c);
}

/* Runs one prepared statement; OK when it returned at least min_rows rows. */
static BenchStatus pg_exec(PgClient *c, const char *stmt, int n, const char *const *params, int min_rows, char *e,
                           size_t el)
{
	PGresult *res = PQexecPrepared(c->pg, stmt, n, params, NULL, NULL, 0);
	BenchStatus st = BENCH_OK;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(e, el, "%s: %s", stmt, PQerrorMessage(c->pg));
		st = PQstatus(c->pg) == CONNECTION_OK ? BENCH_SOFT_ERROR : BENCH_FATAL;
	} else if (PQntuples(res) < min_rows) {
		snprintf(e, el, "%s: %d rows, expected at least %d", stmt, PQntuples(res), min_rows);
		st = BENCH_SOFT_ERROR;
	} else {
		/* Touch what a server would read, so nothing is skipped that Propolis must do. */
		volatile size_t len = 0;
		for (int r = 0; r < PQntuples(res); r++)
			len += (size_t)PQgetlength(res, r, 0);
		(void)len;
	}
	PQclear(res);
	return st;
}


/* Runs a statement (prepared by name, or unnamed text when name is NULL); the result or NULL. */
static PGresult *pg_run(PgClient *c, const char *name, const char *sql, int n, const char *const *params, char *e,
                        size_t el)
{
	PGresult *res = name ? PQexecPrepared(c->pg, name, n, params, NULL, NULL, 0)
	                     : PQexecParams(c->pg, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		snprintf(e, el, "%s: %s", name ? name : "query", PQerrorMessage(c->pg));
		PQclear(res);
		return NULL;
	}
	return res;
}

static bool pg_simple(PgClient *c, const char *sql, char *e, size_t el)
{
	PGresult *res = PQexec(c->pg, sql);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		snprintf(e, el, "%s: %s", sql, PQerrorMessage(c->pg));
	PQclear(res);
	return ok;
}

/* One listing as the server runs it: snapshot, table, count, pages of 1,000 by key, the shared
 * descriptors once, commit. Every value of every row is touched. */
static BenchStatus pg_part_list(PgClient *c, char *e, size_t el)
{
	const PgConfig *cfg = c->cfg;
	bool names = strcmp(cfg->op, "part_names") == 0, filter = strcmp(cfg->op, "part_filter") == 0;
	char after[128] = "", sql[1024], bucket[16];
	snprintf(bucket, sizeof bucket, "%d", cfg->bucket_below);
	if (!pg_simple(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e, el))
		return BENCH_FATAL;
	const char *tp[] = {cfg->catalog, cfg->db, cfg->ptable};
	PGresult *res = pg_run(c, "part_table", NULL, 3, tp, e, el);
	if (res == NULL || PQntuples(res) != 1) {
		if (res)
			snprintf(e, el, "table %s not found", cfg->ptable);
		PQclear(res);
		pg_simple(c, "ROLLBACK", e, el);
		return BENCH_SOFT_ERROR;
	}
	char tid[32];
	snprintf(tid, sizeof tid, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (filter) {
		snprintf(sql, sizeof sql, "%s" PART_FILTER_BUCKET_LT, sql_part_count, 2);
		const char *cp[] = {tid, bucket};
		res = pg_run(c, NULL, sql, 2, cp, e, el);
	} else {
		const char *cp[] = {tid};
		res = pg_run(c, "part_count", NULL, 1, cp, e, el);
	}
	if (res == NULL)
		return BENCH_FATAL;
	long long count = atoll(PQgetvalue(res, 0, 0)), seen = 0;
	PQclear(res);
	bool sds_loaded = names;
	volatile size_t touched = 0;
	for (int page = 0; page < 100000 && seen < count; page++) {
		const char *cols = names ? PART_NAME_COLS : PART_DOC_COLS;
		if (filter) {
			if (after[0]) {
				snprintf(sql, sizeof sql, "SELECT %s FROM partitions p WHERE p.table_id = $1::bigint AND"
				         " p.part_values > $2::text[]" PART_FILTER_BUCKET_LT " ORDER BY p.part_values LIMIT $3::bigint",
				         cols, 4);
				const char *pp[] = {tid, after, PART_BATCH, bucket};
				res = pg_run(c, NULL, sql, 4, pp, e, el);
			} else {
				snprintf(sql, sizeof sql, "SELECT %s FROM partitions p WHERE p.table_id = $1::bigint"
				         PART_FILTER_BUCKET_LT " ORDER BY p.part_values LIMIT $2::bigint", cols, 3);
				const char *pp[] = {tid, PART_BATCH, bucket};
				res = pg_run(c, NULL, sql, 3, pp, e, el);
			}
		} else if (after[0]) {
			const char *pp[] = {tid, after, PART_BATCH};
			res = pg_run(c, names ? "part_names_after" : "part_docs_after", NULL, 3, pp, e, el);
		} else {
			const char *pp[] = {tid, PART_BATCH};
			res = pg_run(c, names ? "part_names_page" : "part_docs_page", NULL, 2, pp, e, el);
		}
		if (res == NULL)
			return BENCH_FATAL;
		int n = PQntuples(res);
		for (int r = 0; r < n; r++)
			for (int f = 0; f < PQnfields(res); f++)
				touched += (size_t)PQgetlength(res, r, f);
		if (!sds_loaded && n > 0) { /* the server loads the descriptors it has not cached */
			char ids[64];
			snprintf(ids, sizeof ids, "{%s}", PQgetvalue(res, 0, 2));
			const char *sp[] = {ids};
			PGresult *sds = pg_run(c, "part_sds", NULL, 1, sp, e, el);
			if (sds == NULL) {
				PQclear(res);
				return BENCH_FATAL;
			}
			touched += (size_t)PQgetlength(sds, 0, 1);
			PQclear(sds);
			sds_loaded = true;
		}
		if (n > 0)
			snprintf(after, sizeof after, "%s", PQgetvalue(res, n - 1, names ? 1 : 3));
		seen += n;
		PQclear(res);
		if (n < 1000)
			break;
	}
	if (!pg_simple(c, "COMMIT", e, el))
		return BENCH_FATAL;
	if (cfg->expect >= 0 && seen != cfg->expect) {
		snprintf(e, el, "%s: %lld rows, expected %d", cfg->op, seen, cfg->expect);
		return BENCH_SOFT_ERROR;
	}
	return BENCH_OK;
}

/* The values and Hive name of partition k, as bench/loadgen.c makes them. */
static void part_values(int k, char dt[16], char bucket[16], char *name, size_t cap)
{
	time_t t = (time_t)1704067200 + (time_t)(k / 1000) * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(dt, 16, "%Y-%m-%d", &tm);
	snprintf(bucket, 16, "%d", k % 1000);
	snprintf(name, cap, "dt=%s/bucket=%s", dt, bucket);
}

/* A single-value text query's answer (new string), or NULL. */
static char *pg_value(PgClient *c, const char *sql, char *e, size_t el)
{
	PGresult *res = PQexec(c->pg, sql);
	char *v = NULL;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		v = strdup(PQgetvalue(res, 0, 0));
	else
		snprintf(e, el, "%s: %s", sql, PQerrorMessage(c->pg));
	PQclear(res);
	return v;
}

/* Appends to a growing buffer. */
typedef struct {
	char *p;
	size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 20;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (b->p == NULL)
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/*
 * The baseline of add_partitions / drop_partitions_req: rounds of a fresh table row (not timed),
 * then, timed: one transaction inserting the shared descriptor and COPYing --parts rows shaped like
 * the server's (document from a row of --ptable, values, name, location, sd_id); then, timed, the
 * store's DELETE ... RETURNING by names; then the table row is deleted (not timed).
 */
static int pg_partition_batch(PgConfig *cfg, const BenchRunOptions *run)
{
	char e[512] = "", sql[1024];
	PgClient *c = pg_connect(cfg, 0, e, sizeof e);
	if (c == NULL) {
		fprintf(stderr, "partition_batch: %s\n", e);
		return 1;
	}
	snprintf(sql, sizeof sql,
	         "SELECT p.doc::text || chr(1) || p.sd_id || chr(1) || t.doc::text FROM partitions p JOIN tables t ON"
	         " t.id = p.table_id WHERE t.name = '%s' LIMIT 1",
	         cfg->ptable);
	char *tmpl = pg_value(c, sql, e, sizeof e);
	if (tmpl == NULL) {
		fprintf(stderr, "partition_batch: no template row: %s\n", e);
		pg_close(c);
		return 1;
	}
	char *sd_id = strchr(tmpl, 1);
	*sd_id++ = '\0';
	char *tdoc = strchr(sd_id, 1);
	*tdoc++ = '\0';
	/* the document around its "Values": [...] */
	char *vs = strstr(tmpl, "\"Values\": [");
	char *ve = vs ? strchr(vs, ']') : NULL;
	if (ve == NULL) {
		fprintf(stderr, "partition_batch: template document without Values: %s\n", tmpl);
		return 1;
	}
	*vs = '\0';
	ve++;
	uint64_t *ns[2] = {calloc((size_t)cfg->rounds, 8), calloc((size_t)cfg->rounds, 8)};
	double secs[2] = {0, 0}, cpu[2] = {0, 0};
	size_t done[2] = {0, 0};
	BenchResult res[2];
	memset(res, 0, sizeof res);
	Buf rows = {0}, names = {0};
	for (int r = 0; r < cfg->rounds; r++) {
		/* the fresh table (not timed) */
		PGresult *q;
		char tname[64], *tid;
		snprintf(tname, sizeof tname, "pgbatch_%d_%d", (int)getpid(), r);
		snprintf(sql, sizeof sql,
		         "INSERT INTO tables (database_id, name, table_type, doc) SELECT d.id, '%s', 'EXTERNAL_TABLE', $1::jsonb"
		         " FROM databases d JOIN catalogs c ON c.id = d.catalog_id WHERE c.name = '%s' AND d.name = '%s'"
		         " RETURNING id",
		         tname, cfg->catalog, cfg->db);
		const char *tp[] = {tdoc};
		q = pg_run(c, NULL, sql, 1, tp, e, sizeof e);
		if (q == NULL || PQntuples(q) != 1) {
			fprintf(stderr, "partition_batch: %s\n", e);
			PQclear(q);
			break;
		}
		tid = strdup(PQgetvalue(q, 0, 0));
		PQclear(q);
		/* the rows, built before the clock starts */
		rows.len = names.len = 0;
		buf_add(&names, "{", 1);
		for (int k = 0; k < cfg->parts; k++) {
			char dt[16], b[16], name[64], line[4096];
			part_values(k, dt, b, name, sizeof name);
			int n = snprintf(line, sizeof line,
			                 "%s\t{%s,%s}\t%s\t%s\"Values\": [\"%s\", \"%s\"]%s\tfile:/tmp/propolis-bench/warehouse/"
			                 "%s.db/%s/%s\t@SD@\n",
			                 tid, dt, b, name, tmpl, dt, b, ve, cfg->db, tname, name);
			buf_add(&rows, line, (size_t)n);
			n = snprintf(line, sizeof line, "%s\"%s\"", k ? "," : "", name);
			buf_add(&names, line, (size_t)n);
		}
		buf_add(&names, "}", 1);
		double c0 = cfg->postmaster_pid > 0 ? bench_proc_cpu_s(cfg->postmaster_pid, 1) : -1;
		uint64_t t0 = bench_now_ns();
		bool ok = pg_simple(c, "BEGIN", e, sizeof e);
		char *new_sd = NULL;
		if (ok) {
			snprintf(sql, sizeof sql,
			         "INSERT INTO partition_sds (table_id, hash, doc) SELECT %s, md5(doc::text), doc FROM partition_sds"
			         " WHERE id = %s RETURNING id",
			         tid, sd_id);
			new_sd = pg_value(c, sql, e, sizeof e);
			ok = new_sd != NULL;
		}
		if (ok) { /* the descriptor id is known only now: patch it in (cheap next to the COPY) */
			q = PQexec(c->pg, "COPY partitions (table_id, part_values, name, doc, location, sd_id) FROM STDIN");
			ok = PQresultStatus(q) == PGRES_COPY_IN;
			PQclear(q);
			size_t sl = strlen(new_sd);
			char *line = rows.p, *end = rows.p + rows.len;
			for (int k = 0; ok && k < cfg->parts && line < end; k++) {
				char *sd = strstr(line, "@SD@");
				ok = PQputCopyData(c->pg, line, (int)(sd - line)) == 1 && PQputCopyData(c->pg, new_sd, (int)sl) == 1 &&
				     PQputCopyData(c->pg, "\n", 1) == 1;
				line = sd + 5;
			}
			ok = ok && PQputCopyEnd(c->pg, NULL) == 1;
			q = PQgetResult(c->pg);
			if (PQresultStatus(q) != PGRES_COMMAND_OK) {
				snprintf(e, sizeof e, "COPY: %s", PQerrorMessage(c->pg));
				ok = false;
			}
			PQclear(q);
			while ((q = PQgetResult(c->pg)) != NULL)
				PQclear(q);
		}
		ok = ok && pg_simple(c, "COMMIT", e, sizeof e);
		uint64_t t1 = bench_now_ns();
		double c1 = cfg->postmaster_pid > 0 ? bench_proc_cpu_s(cfg->postmaster_pid, 1) : -1;
		free(new_sd);
		if (!ok) {
			res[0].errors++;
			snprintf(res[0].first_error, sizeof res[0].first_error, "%s", e);
			pg_simple(c, "ROLLBACK", e, sizeof e);
		} else {
			ns[0][done[0]++] = t1 - t0;
			secs[0] += (double)(t1 - t0) / 1e9;
			cpu[0] += c1 - c0;
			/* drop, timed */
			const char *dp[] = {tid, names.p};
			c0 = cfg->postmaster_pid > 0 ? bench_proc_cpu_s(cfg->postmaster_pid, 1) : -1;
			t0 = bench_now_ns();
			q = pg_run(c, NULL, sql_part_delete, 2, dp, e, sizeof e);
			t1 = bench_now_ns();
			c1 = cfg->postmaster_pid > 0 ? bench_proc_cpu_s(cfg->postmaster_pid, 1) : -1;
			if (q == NULL || PQntuples(q) != cfg->parts) {
				res[1].errors++;
				snprintf(res[1].first_error, sizeof res[1].first_error, "delete: %s",
				         q ? "wrong row count" : e);
			} else {
				ns[1][done[1]++] = t1 - t0;
				secs[1] += (double)(t1 - t0) / 1e9;
				cpu[1] += c1 - c0;
			}
			PQclear(q);
		}
		snprintf(sql, sizeof sql, "DELETE FROM tables WHERE id = %s", tid);
		pg_simple(c, sql, e, sizeof e);
		free(tid);
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
		res[phase].client_cpu_us = res[phase].server_cpu_us = -1;
		res[phase].pg_cpu_us = cfg->postmaster_pid > 0 && done[phase] ? cpu[phase] * 1e6 / (double)done[phase] : -1;
		bench_report(&o, &res[phase]);
		rc |= done[phase] == 0;
		free(ns[phase]);
	}
	free(rows.p);
	free(names.p);
	free(tmpl);
	pg_close(c);
	return rc;
}

static BenchStatus pg_op(void *p, uint64_t n, char *e, size_t el)
{
	PgClient *c = p;
	const PgConfig *cfg = c->cfg;
	(void)n;
	if (strcmp(cfg->op, "get_table") == 0) {
		int pick = cfg->tables > 0 ? (int)(bench_rand(&c->rng) % (uint64_t)cfg->tables) : 0;
		snprintf(c->name, sizeof c->name, "tbl_%05d", pick);
		const char *params[] = {cfg->catalog, cfg->db, c->name};
		return pg_exec(c, "get_table", 3, params, 1, e, el);
	}
	if (strcmp(cfg->op, "get_all_tables") == 0) {
		const char *params[] = {cfg->catalog, cfg->db, NULL, NULL};
		return pg_exec(c, "get_all_tables", 4, params, cfg->tables, e, el);
	}
	if (strcmp(cfg->op, "get_database") == 0) {
		const char *params[] = {cfg->catalog, cfg->db};
		return pg_exec(c, "get_database", 2, params, 1, e, el);
	}
	if (strcmp(cfg->op, "select1") == 0)
		return pg_exec(c, "select1", 0, NULL, 1, e, el);
	if (strcmp(cfg->op, "part_list") == 0 || strcmp(cfg->op, "part_filter") == 0 || strcmp(cfg->op, "part_names") == 0)
		return pg_part_list(c, e, el);
	snprintf(e, el, "unknown workload %s", cfg->op);
	return BENCH_FATAL;
}

static const BenchDriver pg_driver = {pg_connect, pg_op, pg_close};

static void usage(FILE *f)
{
	fprintf(f, "usage: pgdirect --conninfo URL --op OP [options]\n"
	           "  OP: get_table | get_all_tables | get_database | select1\n"
	           "      | part_list | part_filter (bucket < --bucket-below) | part_names: the listing's statements on --ptable\n"
	           "      | partition_batch: --rounds of COPY --parts rows + DELETE them by name (fresh table each)\n"
	           "  --ptable NAME (parts_100k)  --parts N (10000)  --rounds N (3)  --expect N (-1)  --bucket-below N (100)\n"
	           "  --catalog NAME   catalog (hive)       --db NAME       database (bench; default for get_database)\n"
	           "  --tables N       tables tbl_00000.. in --db (1000)\n"
	           "  --clients N (1)  --seconds S (3)  --warmup S (1)  --label NAME\n"
	           "  --server-pid PID, --postmaster-pid PID   also report their CPU time per operation\n"
	           "Prints one JSON object per result on stdout, a readable line on stderr.\n");
}

int main(int argc, char **argv)
{
	PgConfig cfg = {.conninfo = NULL, .op = NULL, .catalog = "hive", .db = NULL, .tables = 1000,
	                .ptable = "parts_100k", .parts = 10000, .rounds = 3, .expect = -1, .bucket_below = 100};
	BenchRunOptions run = {.target = "pg-direct", .clients = 1, .warmup_s = 1, .seconds = 3};
	static const struct option longopts[] = {
	    {"conninfo", 1, 0, 'u'}, {"op", 1, 0, 'o'},      {"catalog", 1, 0, 'k'}, {"db", 1, 0, 'd'},
	    {"tables", 1, 0, 'n'},   {"clients", 1, 0, 'c'}, {"seconds", 1, 0, 's'}, {"warmup", 1, 0, 'w'},
	    {"label", 1, 0, 'l'},    {"target", 1, 0, 'T'},  {"server-pid", 1, 0, 'S'},
	    {"postmaster-pid", 1, 0, 'P'}, {"help", 0, 0, '?'},
	    {"ptable", 1, 0, 'A'}, {"parts", 1, 0, 'B'}, {"rounds", 1, 0, 'R'}, {"expect", 1, 0, 'E'},
	    {"bucket-below", 1, 0, 'F'}, {0, 0, 0, 0}};
	int ch;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u': cfg.conninfo = optarg; break;
		case 'o': cfg.op = optarg; break;
		case 'k': cfg.catalog = optarg; break;
		case 'd': cfg.db = optarg; break;
		case 'n': cfg.tables = atoi(optarg); break;
		case 'c': run.clients = atoi(optarg); break;
		case 's': run.seconds = atof(optarg); break;
		case 'w': run.warmup_s = atof(optarg); break;
		case 'l': run.workload = optarg; break;
		case 'T': run.target = optarg; break;
		case 'S': run.server_pid = atoi(optarg); break;
		case 'P': run.postmaster_pid = atoi(optarg); break;
		case 'A': cfg.ptable = optarg; break;
		case 'B': cfg.parts = atoi(optarg); break;
		case 'R': cfg.rounds = atoi(optarg); break;
		case 'E': cfg.expect = atoi(optarg); break;
		case 'F': cfg.bucket_below = atoi(optarg); break;
		default: usage(ch == '?' ? stdout : stderr); return ch == '?' ? 0 : 2;
		}
	}
	if (cfg.conninfo == NULL || cfg.op == NULL || run.clients < 1 || run.clients > 4096 || run.seconds <= 0 ||
	    run.seconds > 3600 || run.warmup_s < 0 || run.warmup_s > 600 || cfg.tables < 0 || cfg.parts < 1 ||
	    cfg.parts > 1000000 || cfg.rounds < 1 || cfg.rounds > 1000) {
		usage(stderr);
		return 2;
	}
	if (cfg.db == NULL)
		cfg.db = strcmp(cfg.op, "get_database") == 0 ? "default" : "bench";
	if (run.workload == NULL)
		run.workload = cfg.op;
	cfg.postmaster_pid = run.postmaster_pid;
	if (strcmp(cfg.op, "partition_batch") == 0)
		return pg_partition_batch(&cfg, &run);
	BenchResult res;
	int rc = bench_run(&pg_driver, &cfg, &run, &res);
	bench_report(&run, &res);
	return rc == 0 && res.ops > 0 ? 0 : 1;
}
