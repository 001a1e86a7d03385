#!/usr/bin/env python3
"""bench/soak_summary.py FILE — the soak run's curve and verdict (bench/soak.sh writes FILE).

Prints the server's RSS and descriptors every 5 minutes, the operations each worker completed and
failed, and whether memory and descriptors stayed flat: the median of the last 10 minutes of samples
within 10% (RSS) and 2% + 8 (descriptors) of the median of minutes 5-15 (after warm-up: caches and the
heap fill during the first minutes), and descriptors back to their idle level once the load stops.
"""
import json
import statistics
import sys


def main(path):
    samples, runs = [], {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            o = json.loads(line)
            if o.get("soak_sample"):
                samples.append(o)
            elif "soak_worker" in o:
                r = runs.setdefault(o["soak_worker"], {"runs": 0, "ops": 0, "errors": 0})
                r["runs"] += 1
                r["ops"] += int(o.get("ops", 0))
                r["errors"] += int(o.get("errors", 0))
    live = [s for s in samples if not s.get("after_idle")]
    if len(live) < 4:
        print("too few samples")
        return 1
    print("| minute | RSS MB | VmHWM MB | fds | threads | PG backends | load |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    last = -1
    for s in live:
        m = s["t_s"] // 300
        if m != last or s is live[-1]:
            last = m
            print("| %d | %.1f | %.1f | %d | %d | %d | %s |" % (s["t_s"] // 60, s["rss_kb"] / 1024, s["hwm_kb"] / 1024,
                  s["fds"], s["threads"], s["pg_backends"], s.get("loadavg", "")))
    idle = [s for s in samples if s.get("after_idle")]
    for s in idle:
        print("| idle after | %.1f | %.1f | %d | %d | %d | |" % (s["rss_kb"] / 1024, s["hwm_kb"] / 1024, s["fds"],
              s["threads"], s["pg_backends"]))
    print()
    print("| worker | loadgen runs | operations | errors |")
    print("|---|---:|---:|---:|")
    for name, r in sorted(runs.items()):
        print("| %s | %d | %d | %d |" % (name, r["runs"], r["ops"], r["errors"]))
    total = max(s["t_s"] for s in live)
    early = [s for s in live if 300 <= s["t_s"] <= 900] or live[: max(2, len(live) // 4)]
    late = [s for s in live if s["t_s"] >= total - 600] or live[-max(2, len(live) // 4):]
    rss0, rss1 = statistics.median(s["rss_kb"] for s in early), statistics.median(s["rss_kb"] for s in late)
    fd0, fd1 = statistics.median(s["fds"] for s in early), statistics.median(s["fds"] for s in late)
    rss_ok = rss1 <= rss0 * 1.10
    fd_ok = fd1 <= fd0 * 1.02 + 8
    idle_ok = True
    if idle:
        idle_ok = idle[-1]["fds"] <= min(s["fds"] for s in live) + 2
    print()
    print("RSS median %.1f MB (minutes 5-15) -> %.1f MB (last 10): %+.1f%% %s" % (
        rss0 / 1024, rss1 / 1024, (rss1 / rss0 - 1) * 100, "flat" if rss_ok else "GROWING"))
    print("descriptors median %d -> %d: %s" % (fd0, fd1, "flat" if fd_ok else "GROWING"))
    if idle:
        print("after the load: %d descriptors (lowest under load %d): %s" % (
            idle[-1]["fds"], min(s["fds"] for s in live), "released" if idle_ok else "LEAKED"))
    errs = sum(r["errors"] for r in runs.values())
    print("operations %d, errors %d" % (sum(r["ops"] for r in runs.values()), errs))
    return 0 if rss_ok and fd_ok and idle_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
