#!/usr/bin/env python3
# bench/summary.py — turns the raw result lines of bench/run.sh into the comparison table,
# the per-result JSON lines of issue 8 (ours vs. baseline and their ratio), and the targets.
#
#   python3 bench/summary.py RAW.jsonl [--method get_table|get_table_req]
#
# Writes RAW's name with .summary.jsonl beside it; prints the table and the target checks.
import json
import sys

# Our workload → (baseline target, baseline workload) measured in the same run.
BASELINES = {
    "get_table": ("pg-direct", "get_table"),
    "get_all_tables": ("pg-direct", "get_all_tables"),
    "get_database": ("pg-direct", "get_database"),
    "empty_rpc": ("pg-direct", "empty_rpc"),
    "get_status": ("pg-direct", "empty_rpc"),
    "create_drop_table": (None, None),
    "get_partitions": ("pg-direct", "get_partitions"),
    "get_partitions_by_filter": ("pg-direct", "get_partitions_by_filter"),
    "get_partition_names": ("pg-direct", "get_partition_names"),
    "add_partitions": ("pg-direct", "add_partitions"),
    "drop_partitions_req": ("pg-direct", "drop_partitions_req"),
    "iceberg_commit": ("propolis", "get_table"),
    "glue_get_table": ("propolis", "get_table"),
}
# Partition workloads: elements per call, for the per-partition figures.
PER_PART = {"get_partitions": "all", "get_partition_names": "all", "get_partitions_by_filter": "tenth",
            "add_partitions": "batch", "drop_partitions_req": "batch"}


def load(path):
    rows, idle, machine = {}, None, []
    load.extra = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if r.get("workload") == "machine":
                machine.append(r)
                continue
            if r.get("workload") in ("peak_rss", "reply_size") or r.get("unsupported"):
                load.extra.append(r)
                continue
            if r.get("workload") == "idle_connections":
                if "rss_before_kb" in r:
                    idle = r
                continue
            rows[(r["target"], r["workload"], r["clients"])] = r
    return rows, idle, machine


def ratio(a, b):
    return a / b if a and b else None


def fmt(v, spec):
    return format(v, spec) if v is not None else "-"


def main():
    path = sys.argv[1]
    method = sys.argv[sys.argv.index("--method") + 1] if "--method" in sys.argv else "get_table"
    rows, idle, machine = load(path)
    out = []
    for m in machine:
        print("machine %s: %s, %d CPUs, %s, load average %s" % (m["phase"], m["when"], m["cpus"], m["cpu"],
                                                               m["loadavg"]))
    header = ("%-20s %4s %11s %9s %9s %9s  %-21s %11s %9s %7s %7s" %
              ("workload", "c", "ops/s", "p50 ms", "p99 ms", "max ms", "baseline", "base ops/s",
               "base p99", "thr x", "p99 x"))
    print(header)
    print("-" * len(header))
    keys = sorted((k for k in rows if k[0] == "propolis"), key=lambda k: (k[1], k[2]))
    for target, wl, c in keys:
        r = rows[(target, wl, c)]
        bt, bw = BASELINES.get(wl, (None, None))
        if wl == "get_table_with_idle":
            bt, bw = "propolis", "get_table"
        b = rows.get((bt, bw, c)) if bt else None
        res = {"workload": wl, "clients": c, "ops_per_s": r["ops_per_s"], "p50_ms": r["p50_ms"],
               "p99_ms": r["p99_ms"], "max_ms": r["max_ms"], "errors": r["errors"]}
        for f in ("server_cpu_us_per_op", "pg_cpu_us_per_op"):
            if f in r:
                res[f] = r[f]
        if b:
            res.update({"baseline": bt if bt != "propolis" else ("propolis-without-idle" if wl == "get_table_with_idle"
                                                                 else "propolis-get_table"),
                        "baseline_ops_per_s": b["ops_per_s"], "baseline_p99_ms": b["p99_ms"],
                        "ratio": ratio(r["ops_per_s"], b["ops_per_s"]),
                        "p99_ratio": ratio(r["p99_ms"], b["p99_ms"])})
        out.append(res)
        print("%-20s %4d %11.0f %9.3f %9.3f %9.3f  %-21s %11s %9s %7s %7s%s" % (
            wl, c, r["ops_per_s"], r["p50_ms"], r["p99_ms"], r["max_ms"],
            res.get("baseline", "-"), fmt(res.get("baseline_ops_per_s"), ".0f"),
            fmt(res.get("baseline_p99_ms"), ".3f"), fmt(res.get("ratio"), ".2f"),
            fmt(res.get("p99_ratio"), ".2f"), "  ERRORS %d" % r["errors"] if r["errors"] else ""))
    base_keys = sorted((k for k in rows if k[0] != "propolis"), key=lambda k: (k[1], k[2]))
    print("\npg-direct (libpq, the same prepared statements):")
    for target, wl, c in base_keys:
        r = rows[(target, wl, c)]
        print("%-20s %4d %11.0f %9.3f %9.3f %9.3f%s" % (wl, c, r["ops_per_s"], r["p50_ms"], r["p99_ms"],
                                                     r["max_ms"], "  ERRORS %d" % r["errors"] if r["errors"] else ""))
    print("\nCPU per operation in the measured window, microseconds (2 cores = 2 s of CPU per second):")
    print("%-10s %-20s %4s %10s %10s %10s %10s" % ("target", "workload", "c", "client", "server", "postgres",
                                                   "sum"))
    for k in sorted(rows, key=lambda k: (k[1], k[2], k[0] != "propolis")):
        r = rows[k]
        vals = [r.get("client_cpu_us_per_op"), r.get("server_cpu_us_per_op") if k[0] == "propolis" else None,
                r.get("pg_cpu_us_per_op")]
        print("%-10s %-20s %4d %10s %10s %10s %10s" % (k[0], k[1], k[2], *[fmt(v, ".1f") for v in vals],
                                                       fmt(sum(v for v in vals if v is not None), ".1f")))
    if idle:
        out.append(idle)
        print("\nidle connections: %d of %d open; server RSS %d kB before, %d kB with them (+%.1f MB, %s B each),"
              " %d kB after get_table at 64; PostgreSQL backends %d before, %d with them, %d under load" % (
                  idle["open"], idle["requested"], idle["rss_before_kb"], idle["rss_idle_kb"],
                  idle["extra_rss_kb"] / 1024.0, idle["extra_rss_per_conn_bytes"], idle["rss_idle_load_kb"],
                  idle["pg_backends_before"], idle["pg_backends_idle"], idle["pg_backends_idle_load"]))

    def get(t, w, c, f):
        r = rows.get((t, w, c))
        return r[f] if r else None

    extra = load.extra
    sizes = {r["op"]: r for r in extra if r.get("workload") == "reply_size"}
    for r in extra:
        if r.get("workload") == "reply_size":
            print("\nreply size: %s: %d elements, %d bytes (%.0f B each), %.0f ms for one call" % (
                r["op"], r["elements"], r["reply_bytes"], r["reply_bytes"] / max(1, r["elements"]), r["ms"]))
        elif r.get("workload") == "peak_rss":
            full = sizes.get(r["op"], {}).get("reply_bytes")
            r["reply_bytes"] = full
            out.append(r)
            print("peak RSS, 8 clients x %s (%s): before %d kB, peak sampled %d kB, VmHWM %d kB (+%.1f MB); one reply %s"
                  % (r["op"], r["label"], r["rss_before_kb"], r["peak_rss_sampled_kb"], r["vm_hwm_kb"],
                     (max(r["vm_hwm_kb"], r["peak_rss_sampled_kb"]) - r["rss_before_kb"]) / 1024.0,
                     "%.1f MB" % (full / 1048576.0) if full else "?"))
        elif r.get("unsupported"):
            out.append(r)
            print("%s: not measured, the server does not answer it: %s" % (r["workload"], r.get("error")))
    n_all = sizes.get("get_partitions", {}).get("elements")
    n_tenth = sizes.get("get_partitions_by_filter", {}).get("elements")

    def per_part_us(wl, c, n):
        v = get("propolis", wl, c, "p50_ms")
        return v * 1000.0 / n if v is not None and n else None

    def p50_ratio(wl, c):
        return ratio(get("propolis", wl, c, "p50_ms"), get("pg-direct", wl, c, "p50_ms"))

    print("\ntargets (issue 8):")
    checks = [
        ("get_table >= 50% of pg-direct throughput at 8 clients",
         ratio(get("propolis", "get_table", 8, "ops_per_s"), get("pg-direct", "get_table", 8, "ops_per_s")),
         lambda v: v >= 0.5, "%.2f"),
        ("get_table p99 <= 1.5x pg-direct p99 at 64 clients",
         ratio(get("propolis", "get_table", 64, "p99_ms"), get("pg-direct", "get_table", 64, "p99_ms")),
         lambda v: v <= 1.5, "%.2fx"),
        ("get_table single-client p50 <= 0.2045 ms (4.09 ms / 20)",
         get("propolis", "get_table", 1, "p50_ms"), lambda v: v <= 0.2045, "%.3f ms"),
        ("empty RPC single-client p50 <= 0.034 ms (0.68 ms / 20)",
         get("propolis", "empty_rpc", 1, "p50_ms"), lambda v: v <= 0.034, "%.3f ms"),
        ("get_database p50 <= 2x empty-rpc p50 (1 client)",
         ratio(get("propolis", "get_database", 1, "p50_ms"), get("propolis", "empty_rpc", 1, "p50_ms")),
         lambda v: v <= 2, "%.2fx"),
        ("get_all_tables (1,000) throughput vs pg-direct at 8 clients",
         ratio(get("propolis", "get_all_tables", 8, "ops_per_s"), get("pg-direct", "get_all_tables", 8, "ops_per_s")),
         None, "%.2f"),
    ]
    checks += [
        ("get_partitions (all %s) p50 per partition < 10 us, 1 client" % n_all,
         per_part_us("get_partitions", 1, n_all), lambda v: v < 10, "%.1f us"),
        ("get_partitions (all) within 2x pg-direct (p50 ratio, 1 client)", p50_ratio("get_partitions", 1),
         lambda v: v <= 2, "%.2fx"),
        ("get_partitions (all) within 2x pg-direct (p50 ratio, 8 clients)", p50_ratio("get_partitions", 8),
         lambda v: v <= 2, "%.2fx"),
        ("get_partitions_by_filter (%s) within 2x pg-direct (p50, 1 client)" % n_tenth,
         p50_ratio("get_partitions_by_filter", 1), lambda v: v <= 2, "%.2fx"),
        ("get_partitions_by_filter within 2x pg-direct (p50, 8 clients)",
         p50_ratio("get_partitions_by_filter", 8), lambda v: v <= 2, "%.2fx"),
        ("get_partition_names (all) within 2x pg-direct (p50, 1 client)",
         p50_ratio("get_partition_names", 1), lambda v: v <= 2, "%.2fx"),
        ("add_partitions, one call of --batch (10,000 in the full run) < 1 s", get("propolis", "add_partitions", 1, "p50_ms"),
         lambda v: v < 1000, "%.0f ms"),
        ("add_partitions within 2x pg-direct COPY (p50)", p50_ratio("add_partitions", 1), lambda v: v <= 2,
         "%.2fx"),
        ("drop_partitions_req within 2x pg-direct DELETE (p50)", p50_ratio("drop_partitions_req", 1),
         lambda v: v <= 2, "%.2fx"),
        ("iceberg_commit p50 <= 3x get_table p50 (1 client)",
         ratio(get("propolis", "iceberg_commit", 1, "p50_ms"), get("propolis", "get_table", 1, "p50_ms")),
         lambda v: v <= 3, "%.2fx"),
        ("iceberg_commit never WAITING (errors, 1 and 8 clients)",
         (get("propolis", "iceberg_commit", 1, "errors") or 0) + (get("propolis", "iceberg_commit", 8, "errors") or 0)
         if get("propolis", "iceberg_commit", 1, "errors") is not None else None, lambda v: v == 0, "%d"),
        ("glue_get_table throughput vs Thrift get_table at 8 clients",
         ratio(get("propolis", "glue_get_table", 8, "ops_per_s"), get("propolis", "get_table", 8, "ops_per_s")),
         None, "%.2f"),
    ]
    for r in extra:
        if r.get("workload") == "peak_rss":
            checks.append(("peak RSS, 8 x %s: growth over before" % r["op"],
                           (max(r["vm_hwm_kb"], r["peak_rss_sampled_kb"]) - r["rss_before_kb"]) / 1024.0, None,
                           "%.1f MB"))
    if idle:
        checks.append(("idle connections: extra RSS <= 64 MB", idle["extra_rss_kb"] / 1024.0, lambda v: v <= 64,
                       "%.1f MB"))
        checks.append(("idle connections: no extra PostgreSQL backends",
                       idle["pg_backends_idle"] - idle["pg_backends_before"], lambda v: v <= 0, "%+d"))
    for name, v, ok, spec in checks:
        verdict = "n/a" if v is None else ("info" if ok is None else ("met" if ok(v) else "MISSED"))
        print("  %-62s %12s  %s" % (name, spec % v if v is not None else "-", verdict))
    if method != "get_table":
        print("  (get_table was measured with %s: the server does not answer get_table)" % method)

    summary = path[:-6] + ".summary.jsonl" if path.endswith(".jsonl") else path + ".summary.jsonl"
    with open(summary, "w") as f:
        for res in out:
            f.write(json.dumps(res) + "\n")
    print("\nper-result JSON lines: %s" % summary)


if __name__ == "__main__":
    main()
