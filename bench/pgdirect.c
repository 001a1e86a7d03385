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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

typedef struct {
	const char *conninfo;
	const char *op;
	const char *catalog;
	const char *db;
	int tables;
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
	             {"select1", sql_select1, 0}};
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
	snprintf(e, el, "unknown workload %s", cfg->op);
	return BENCH_FATAL;
}

static const BenchDriver pg_driver = {pg_connect, pg_op, pg_close};

static void usage(FILE *f)
{
	fprintf(f, "usage: pgdirect --conninfo URL --op OP [options]\n"
	           "  OP: get_table | get_all_tables | get_database | select1\n"
	           "  --catalog NAME   catalog (hive)       --db NAME       database (bench; default for get_database)\n"
	           "  --tables N       tables tbl_00000.. in --db (1000)\n"
	           "  --clients N (1)  --seconds S (3)  --warmup S (1)  --label NAME\n"
	           "  --server-pid PID, --postmaster-pid PID   also report their CPU time per operation\n"
	           "Prints one JSON object per result on stdout, a readable line on stderr.\n");
}

int main(int argc, char **argv)
{
	PgConfig cfg = {.conninfo = NULL, .op = NULL, .catalog = "hive", .db = NULL, .tables = 1000};
	BenchRunOptions run = {.target = "pg-direct", .clients = 1, .warmup_s = 1, .seconds = 3};
	static const struct option longopts[] = {
	    {"conninfo", 1, 0, 'u'}, {"op", 1, 0, 'o'},      {"catalog", 1, 0, 'k'}, {"db", 1, 0, 'd'},
	    {"tables", 1, 0, 'n'},   {"clients", 1, 0, 'c'}, {"seconds", 1, 0, 's'}, {"warmup", 1, 0, 'w'},
	    {"label", 1, 0, 'l'},    {"target", 1, 0, 'T'},  {"server-pid", 1, 0, 'S'},
	    {"postmaster-pid", 1, 0, 'P'}, {"help", 0, 0, '?'},  {0, 0, 0, 0}};
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
		default: usage(ch == '?' ? stdout : stderr); return ch == '?' ? 0 : 2;
		}
	}
	if (cfg.conninfo == NULL || cfg.op == NULL || run.clients < 1 || run.clients > 4096 || run.seconds <= 0 ||
	    run.seconds > 3600 || run.warmup_s < 0 || run.warmup_s > 600 || cfg.tables < 0) {
		usage(stderr);
		return 2;
	}
	if (cfg.db == NULL)
		cfg.db = strcmp(cfg.op, "get_database") == 0 ? "default" : "bench";
	if (run.workload == NULL)
		run.workload = cfg.op;
	BenchResult res;
	int rc = bench_run(&pg_driver, &cfg, &run, &res);
	bench_report(&run, &res);
	return rc == 0 && res.ops > 0 ? 0 : 1;
}
