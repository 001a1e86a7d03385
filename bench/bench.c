/*
 * bench.c — the timed runner: one thread per client, warm-up, measured window, percentiles.
 *
 * Phases are one shared atomic: CONNECTED threads wait at a barrier, then run; the main thread
 * flips WARMUP → MEASURE → STOP on its own clock. An operation counts when it *started* in the
 * MEASURE phase and succeeded; its latency is kept as a sample (nanoseconds) in the thread's
 * own array, merged and sorted at the end, so percentiles are exact, not bucketed. A thread
 * stops at STOP, on a fatal error, or after BENCH_MAX_OPS operations, whichever comes first.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>
#include <time.h>

#define BENCH_MAX_OPS 200000000ULL   /* per thread, a bound on the loop */
#define BENCH_MAX_SAMPLES 50000000UL /* per thread, a bound on memory (400 MB) */

enum { PHASE_WARMUP = 0, PHASE_MEASURE = 1, PHASE_STOP = 2 };

typedef struct {
	const BenchDriver *driver;
	void *cfg;
	int index;
	void *client;
	pthread_barrier_t *start;
	atomic_int *phase;
	uint64_t *samples;
	size_t n_samples, cap_samples;
	uint64_t errors;
	uint64_t last_end; /* when the last counted operation ended (ns) */
	char first_error[256];
} BenchThread;

uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t bench_rand(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

void bench_raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Reads utime, stime, cutime, cstime (clock ticks) and the parent pid from /proc/pid/stat. */
static int bench_proc_stat(int pid, long long ticks[4], int *ppid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
	if (p == NULL)
		return -1;
	/* after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime ... */
	char state;
	unsigned long skip;
	if (sscanf(p + 1, " %c %d %lu %lu %lu %lu %lu %lu %lu %lu %lu %lld %lld %lld %lld", &state, ppid, &skip, &skip,
	           &skip, &skip, &skip, &skip, &skip, &skip, &skip, &ticks[0], &ticks[1], &ticks[2], &ticks[3]) != 15)
		return -1;
	return 0;
}

double bench_proc_cpu_s(int pid, int tree)
{
	long long t[4];
	int ppid;
	double hz = (double)sysconf(_SC_CLK_TCK);
	if (bench_proc_stat(pid, t, &ppid) != 0)
		return -1;
	long long total = t[0] + t[1] + (tree ? t[2] + t[3] : 0);
	if (tree) {
		DIR *d = opendir("/proc");
		struct dirent *de;
		for (int k = 0; d && k < 1000000 && (de = readdir(d)) != NULL; k++) {
			int child = atoi(de->d_name);
			long long ct[4];
			int cp;
			if (child > 0 && child != pid && bench_proc_stat(child, ct, &cp) == 0 && cp == pid)
				total += ct[0] + ct[1];
		}
		if (d)
			closedir(d);
	}
	return (double)total / hz;
}

/* CPU seconds this process (all its threads) has used. */
static double bench_self_cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec / 1e6;
}

/* Keeps one latency sample; drops it (and says so once) past the per-thread cap. */
static void bench_thread_sample(BenchThread *t, uint64_t ns)
{
	if (t->n_samples == t->cap_samples) {
		size_t cap = t->cap_samples ? t->cap_samples * 2 : 65536;
		if (cap > BENCH_MAX_SAMPLES)
			return;
		uint64_t *s = realloc(t->samples, cap * sizeof *s);
		if (s == NULL)
			return;
		t->samples = s;
		t->cap_samples = cap;
	}
	t->samples[t->n_samples++] = ns;
}

static void bench_thread_error(BenchThread *t, const char *err)
{
	t->errors++;
	if (t->first_error[0] == '\0')
		snprintf(t->first_error, sizeof t->first_error, "client %d: %s", t->index, err[0] ? err : "error");
}

/* One client's loop: wait for the start, then run operations until STOP. */
static void *bench_thread_main(void *arg)
{
	BenchThread *t = arg;
	char err[256];
	pthread_barrier_wait(t->start);
	for (uint64_t n = 0; n < BENCH_MAX_OPS && t->client != NULL; n++) {
		int phase = atomic_load_explicit(t->phase, memory_order_relaxed);
		if (phase == PHASE_STOP)
			break;
		err[0] = '\0';
		uint64_t t0 = bench_now_ns();
		BenchStatus st = t->driver->op(t->client, n, err, sizeof err);
		uint64_t t1 = bench_now_ns();
		if (st == BENCH_OK) {
			if (phase == PHASE_MEASURE) {
				bench_thread_sample(t, t1 - t0);
				t->last_end = t1;
			}
			continue;
		}
		bench_thread_error(t, err);
		if (st == BENCH_FATAL)
			break;
	}
	return NULL;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sleeps for s seconds (fractions allowed), resuming after signals. */
static void bench_sleep(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Merges the threads' samples into *res (sorted percentiles, throughput). */
static void bench_collect(BenchThread *threads, int n, double secs, BenchResult *res)
{
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += threads[i].n_samples;
	uint64_t *all = malloc((total ? total : 1) * sizeof *all);
	size_t k = 0;
	double sum = 0;
	for (int i = 0; i < n; i++) {
		res->errors += threads[i].errors;
		if (res->first_error[0] == '\0' && threads[i].first_error[0])
			memcpy(res->first_error, threads[i].first_error, sizeof res->first_error);
		if (all)
			for (size_t j = 0; j < threads[i].n_samples; j++) {
				all[k++] = threads[i].samples[j];
				sum += (double)threads[i].samples[j];
			}
	}
	res->ops = k;
	res->secs = secs;
	res->ops_per_s = secs > 0 ? (double)k / secs : 0;
	if (k > 0) {
		qsort(all, k, sizeof *all, bench_cmp_u64);
		res->mean_ms = sum / (double)k / 1e6;
		res->p50_ms = (double)all[(k - 1) * 50 / 100] / 1e6;
		res->p99_ms = (double)all[(k - 1) * 99 / 100] / 1e6;
		res->max_ms = (double)all[k - 1] / 1e6;
	}
	free(all);
}

int bench_run(const BenchDriver *driver, void *cfg, const BenchRunOptions *opts, BenchResult *out)
{
	memset(out, 0, sizeof *out);
	int n = opts->clients > 0 ? opts->clients : 1;
	BenchThread *threads = calloc((size_t)n, sizeof *threads);
	pthread_t *tids = calloc((size_t)n, sizeof *tids);
	pthread_barrier_t start;
	/* Without a warm-up the first operations count: long ones (a 100,000-partition listing) would
	 * otherwise all start in a warm-up of a few microseconds and none would be measured. */
	atomic_int phase = opts->warmup_s > 0 ? PHASE_WARMUP : PHASE_MEASURE;
	int connected = 0;

	pthread_barrier_init(&start, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++) {
		char err[256] = "";
		BenchThread *t = &threads[i];
		*t = (BenchThread){.driver = driver, .cfg = cfg, .index = i, .start = &start, .phase = &phase};
		t->client = driver->connect(cfg, i, err, sizeof err);
		if (t->client == NULL)
			bench_thread_error(t, err);
		else
			connected++;
		pthread_create(&tids[i], NULL, bench_thread_main, t);
	}
	if (opts->warmup_s > 0) {
		pthread_barrier_wait(&start);
		bench_sleep(opts->warmup_s);
	}
	double cpu0[3] = {bench_self_cpu_s(), opts->server_pid > 0 ? bench_proc_cpu_s(opts->server_pid, 0) : -1,
	                  opts->postmaster_pid > 0 ? bench_proc_cpu_s(opts->postmaster_pid, 1) : -1};
	uint64_t t0 = bench_now_ns();
	if (opts->warmup_s <= 0)
		pthread_barrier_wait(&start); /* the clients start now, already measured */
	atomic_store(&phase, PHASE_MEASURE);
	bench_sleep(opts->seconds);
	atomic_store(&phase, PHASE_STOP);
	uint64_t t1 = bench_now_ns();
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	/* CPU after the last operation ended: the ones in flight at the window's end are counted. */
	double cpu1[3] = {bench_self_cpu_s(), opts->server_pid > 0 ? bench_proc_cpu_s(opts->server_pid, 0) : -1,
	                  opts->postmaster_pid > 0 ? bench_proc_cpu_s(opts->postmaster_pid, 1) : -1};
	/* Operations longer than the window (a 100,000-partition listing) end after it: the
	 * throughput then counts the time until the last counted one ended. */
	uint64_t t_end = t1;
	for (int i = 0; i < n; i++)
		if (threads[i].last_end > t_end)
			t_end = threads[i].last_end;
	bench_collect(threads, n, (double)(t_end - t0) / 1e9, out);
	double *per_op[3] = {&out->client_cpu_us, &out->server_cpu_us, &out->pg_cpu_us};
	for (int i = 0; i < 3; i++)
		*per_op[i] = cpu0[i] >= 0 && cpu1[i] >= 0 && out->ops > 0 ? (cpu1[i] - cpu0[i]) * 1e6 / (double)out->ops : -1;
	for (int i = 0; i < n; i++) {
		if (threads[i].client)
			driver->close(threads[i].client);
		free(threads[i].samples);
	}
	pthread_barrier_destroy(&start);
	free(threads);
	free(tids);
	return connected > 0 ? 0 : -1;
}

void bench_result_from_samples(uint64_t *ns, size_t n, double secs, BenchResult *out)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)ns[i];
	qsort(ns, n, sizeof *ns, bench_cmp_u64);
	out->ops = n;
	out->secs = secs;
	out->ops_per_s = secs > 0 ? (double)n / secs : 0;
	if (n > 0) {
		out->mean_ms = sum / (double)n / 1e6;
		out->p50_ms = (double)ns[(n - 1) * 50 / 100] / 1e6;
		out->p99_ms = (double)ns[(n - 1) * 99 / 100] / 1e6;
		out->max_ms = (double)ns[n - 1] / 1e6;
	}
}

/* Writes s as a JSON string (the few characters that need escaping in an error text). */
static void bench_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void bench_report(const BenchRunOptions *opts, const BenchResult *r)
{
	fprintf(stderr, "%-10s %-16s c=%-3d %10.0f ops/s  p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms  errors %llu%s%s\n",
	        opts->target, opts->workload, opts->clients, r->ops_per_s, r->p50_ms, r->p99_ms, r->max_ms,
	        (unsigned long long)r->errors, r->first_error[0] ? "  first: " : "", r->first_error);
	printf("{\"target\": \"%s\", \"workload\": \"%s\", \"clients\": %d, \"seconds\": %.3f, \"ops\": %llu, "
	       "\"ops_per_s\": %.1f, \"mean_ms\": %.4f, \"p50_ms\": %.4f, \"p99_ms\": %.4f, \"max_ms\": %.4f, "
	       "\"errors\": %llu",
	       opts->target, opts->workload, opts->clients, r->secs, (unsigned long long)r->ops, r->ops_per_s, r->mean_ms,
	       r->p50_ms, r->p99_ms, r->max_ms, (unsigned long long)r->errors);
	const char *names[3] = {"client_cpu_us_per_op", "server_cpu_us_per_op", "pg_cpu_us_per_op"};
	const double vals[3] = {r->client_cpu_us, r->server_cpu_us, r->pg_cpu_us};
	for (int i = 0; i < 3; i++)
		if (vals[i] >= 0)
			printf(", \"%s\": %.1f", names[i], vals[i]);
	if (r->first_error[0]) {
		printf(", \"first_error\": ");
		bench_json_string(stdout, r->first_error);
	}
	printf("}\n");
	fflush(stdout);
}
