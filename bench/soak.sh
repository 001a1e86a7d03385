#!/usr/bin/env bash
# bench/soak.sh — the soak run (issue 9; not in CI): an hour of mixed load from many clients
# against one server, with the server's memory and descriptors sampled; both must be flat.
#
#   bench/soak.sh [--minutes 60] [--out FILE] [--server BIN] [--nice N] [--keep]
#
# Load, each worker a loop of loadgen runs (every run opens fresh connections, so clients come
# and go as transient clusters do): get_table ×8, get_partitions_by_filter ×2 (a tenth of a
# 10,000-partition table), the Iceberg commit ×2 (lock, conditional alter, unlock), create+drop
# table, get_all_tables, Glue GetTable over HTTP + SigV4 ×2, add_partitions + drop_partitions_req
# of 1,000, and a churn of short connections (4 clients, half a second each). Every 15 s: the
# server's VmRSS, VmHWM, open descriptors, threads and PostgreSQL backends. Samples and every
# loadgen result go to --out (JSON lines); bench/soak_summary.py prints the curve and the verdict.
# --nice (10) runs PostgreSQL, the server and the load at lower priority so a shared machine
# stays usable; it slows the load, not what is measured.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD_DIR:-$ROOT/build}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SERVER=${PROPOLIS_BIN:-$BUILD/propolis-server}
MINUTES=60
OUT=$BUILD/soak.jsonl
NICE=10
KEEP=0
while [ $# -gt 0 ]; do
	case "$1" in
	--minutes) MINUTES=$2; shift ;;
	--out) OUT=$2; shift ;;
	--server) SERVER=$2; shift ;;
	--nice) NICE=$2; shift ;;
	--keep) KEEP=1 ;;
	-h | --help) sed -n '2,16p' "$0"; exit 0 ;;
	*) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

. "$HERE/lib.sh"
renice -n "$NICE" $$ >/dev/null 2>&1 || true # everything started from here inherits it
bench_build_tools
[ -x "$SERVER" ] || { log "no server at $SERVER"; exit 1; }
bench_pg_start
bench_server_start 2000 || exit 1
: >"$OUT"

log "setup: 200 tables, bench.soak_parts with 10,000 partitions"
"$LOADGEN" --port "$PORT" --op setup --db bench --tables 200 >/dev/null
"$LOADGEN" --port "$PORT" --op setup_partitions --db bench --ptable soak_parts --parts 10000 --setup-batch 1000 >/dev/null

END=$(($(date +%s) + MINUTES * 60))
worker() { # name pause-seconds loadgen-args...
	local name=$1 pause=$2
	shift 2
	while [ "$(date +%s)" -lt "$END" ]; do
		"$LOADGEN" --warmup 0 --timeout 60 "$@" 2>/dev/null | sed "s/^{/{\"soak_worker\": \"$name\", /" >>"$OUT" || true
		sleep "$pause"
	done
}
T=(--port "$PORT" --db bench)
worker get_table 1 "${T[@]}" --op get_table --tables 200 --clients 8 --seconds 20 &
EXTRA_PIDS="$EXTRA_PIDS $!"
worker filter 2 "${T[@]}" --op get_partitions_by_filter --ptable soak_parts --clients 2 --seconds 20 &
EXTRA_PIDS="$EXTRA_PIDS $!"
worker iceberg 1 "${T[@]}" --op iceberg_commit --clients 2 --seconds 20 &
EXTRA_PIDS="$EXTRA_PIDS $!"
worker create_drop 2 "${T[@]}" --op create_drop_table --clients 1 --seconds 10 &
EXTRA_PIDS="$EXTRA_PIDS $!"
worker all_tables 2 "${T[@]}" --op get_all_tables --tables 200 --clients 1 --seconds 10 &
EXTRA_PIDS="$EXTRA_PIDS $!"
worker glue 1 --port "$HPORT" --db bench --op glue_get_table --tables 200 --clients 2 --seconds 20 \
	--credentials "$TMP/admin.credentials" &
EXTRA_PIDS="$EXTRA_PIDS $!"
worker batch 5 "${T[@]}" --op partition_batch --parts 1000 --rounds 1 &
EXTRA_PIDS="$EXTRA_PIDS $!"
worker churn 0.2 "${T[@]}" --op get_version --clients 4 --seconds 0.5 &
EXTRA_PIDS="$EXTRA_PIDS $!"

T0=$(date +%s)
log "soak: $MINUTES minutes of mixed load; samples every 15 s into $OUT"
while [ "$(date +%s)" -lt "$END" ]; do
	kill -0 "$SERVER_PID" 2>/dev/null || { log "the server died"; exit 1; }
	st=/proc/$SERVER_PID/status
	printf '{"soak_sample": true, "t_s": %d, "rss_kb": %d, "hwm_kb": %d, "fds": %d, "threads": %d, "pg_backends": %d, "loadavg": "%s"}\n' \
		$(($(date +%s) - T0)) "$(awk '/^VmRSS:/ {print $2}' "$st")" "$(awk '/^VmHWM:/ {print $2}' "$st")" \
		"$(ls "/proc/$SERVER_PID/fd" | wc -l)" "$(awk '/^Threads:/ {print $2}' "$st")" "$(pg_backends)" \
		"$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT"
	sleep 15
done
log "load done; waiting for the last runs"
for p in $EXTRA_PIDS; do wait "$p" 2>/dev/null || true; done
EXTRA_PIDS=""
sleep 20 # idle: connections closed, what is left is what the server keeps
st=/proc/$SERVER_PID/status
printf '{"soak_sample": true, "after_idle": true, "t_s": %d, "rss_kb": %d, "hwm_kb": %d, "fds": %d, "threads": %d, "pg_backends": %d}\n' \
	$(($(date +%s) - T0)) "$(awk '/^VmRSS:/ {print $2}' "$st")" "$(awk '/^VmHWM:/ {print $2}' "$st")" \
	"$(ls "/proc/$SERVER_PID/fd" | wc -l)" "$(awk '/^Threads:/ {print $2}' "$st")" "$(pg_backends)" >>"$OUT"
python3 "$HERE/soak_summary.py" "$OUT"
