/*
 * bench.h — the timed runner shared by loadgen (Thrift) and pgdirect (libpq).
 *
 * A driver opens one client per thread and runs one operation at a time on it. The runner
 * connects every client first (connection set-up is never timed), runs them all for a warm-up,
 * then for a fixed measured window, recording each operation's latency; it then reports
 * throughput and exact percentiles from the sorted samples. Plain C and pthreads only, so the
 * measuring side costs as little as it can. Every loop is bounded in time and in count.
 */
#ifndef PROPOLIS_BENCH_H
#define PROPOLIS_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* What an operation returned: OK, an answer the server gave as an error (counted, the client
 * carries on), or a broken connection (the client stops). */
typedef enum { BENCH_OK = 0, BENCH_SOFT_ERROR = 1, BENCH_FATAL = -1 } BenchStatus;

typedef struct {
	/* Opens client number index; NULL with err filled when it cannot. */
	void *(*connect)(void *cfg, int index, char *err, size_t errlen);
	/* Runs operation number n (0, 1, ...) of this client. */
	BenchStatus (*op)(void *client, uint64_t n, char *err, size_t errlen);
	void (*close)(void *client);
} BenchDriver;

typedef struct {
	const char *workload; /* name printed in the result, e.g. "get_table" */
	const char *target;   /* "propolis", "pg-direct", ... */
	int clients;
	double warmup_s;
	double seconds;
	int server_pid;   /* if > 0: report this process's CPU time per operation */
	int postmaster_pid; /* if > 0: report PostgreSQL's CPU per operation (postmaster and its children) */
} BenchRunOptions;

typedef struct {
	uint64_t ops;    /* operations that started in the measured window and succeeded */
	uint64_t errors; /* soft and fatal errors, warm-up included */
	double secs;     /* length of the measured window */
	double ops_per_s, mean_ms, p50_ms, p99_ms, max_ms;
	/* CPU time used during the measured window, per operation, in microseconds; < 0 if not measured. */
	double client_cpu_us, server_cpu_us, pg_cpu_us;
	char first_error[256];
} BenchResult;

/* Monotonic time in nanoseconds. */
uint64_t bench_now_ns(void);

/* A per-thread pseudo-random number (xorshift64*); *state must start non-zero. */
uint64_t bench_rand(uint64_t *state);

/* Runs the driver as opts says and fills *out. Returns 0, or -1 when no client could connect
 * (the reason is in out->first_error). */
int bench_run(const BenchDriver *driver, void *cfg, const BenchRunOptions *opts, BenchResult *out);

/* Fills *out from n latency samples (ns, sorted in place) of operations that took secs in all:
 * ops, percentiles, mean, and ops_per_s = n / secs. For runs of a few long operations. */
void bench_result_from_samples(uint64_t *ns, size_t n, double secs, BenchResult *out);

/* Prints one human line to stderr and one JSON object line to stdout. */
void bench_report(const BenchRunOptions *opts, const BenchResult *res);

/* CPU seconds process pid has used so far; with tree, its children's too (exited children as
 * reaped by it, live ones from /proc). Negative if pid cannot be read. */
double bench_proc_cpu_s(int pid, int tree);

/* Raises the soft open-file limit to the hard limit (for thousands of sockets). */
void bench_raise_nofile(void);

#endif
