#!/usr/bin/env bash
# bench/run.sh — one command for the whole benchmark: a throwaway PostgreSQL, the built
# propolis-server on a free loopback port, the data, every workload at 1/8/64 clients against
# Propolis, the pg-direct baseline and the empty RPC, the idle-connections test, then a table.
#
#   bench/run.sh [--quick] [--seconds S] [--warmup S] [--clients "1 8 64"] [--tables N]
#                [--idle N] [--parts N] [--batch N] [--rounds N] [--out FILE] [--server BIN] [--keep]
#
# Partitions: a table of --parts (100,000) partitions, listed whole, filtered to a tenth
# (`bucket < 100`) and by name at 1 and 8 clients; peak server RSS while 8 clients list it;
# --rounds (3) fresh tables each getting add_partitions of --batch (10,000) in one call and
# drop_partitions_req of them by name. Then the Iceberg commit and Glue GetTable over HTTP + SigV4.
#
# Everything listens on 127.0.0.1 only; every wait is bounded; the cluster, the server and the
# idle-connection holder are started here and stopped here (by their own pids) on exit.
# Raw results: one JSON object per line in --out (default build/bench-results.jsonl).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD_DIR:-$ROOT/build}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SERVER=${PROPOLIS_BIN:-$BUILD/propolis-server}
SECONDS_PER_POINT=3
WARMUP=1
CLIENTS="1 8 64"
TABLES=1000
IDLE=10000
PARTS=100000
BATCH=10000
ROUNDS=3
OUT=$BUILD/bench-results.jsonl
KEEP=0

while [ $# -gt 0 ]; do
	case "$1" in
	--quick) SECONDS_PER_POINT=1; WARMUP=0.3; IDLE=1000; PARTS=10000; BATCH=1000; ROUNDS=1 ;;
	--parts) PARTS=$2; shift ;;
	--batch) BATCH=$2; shift ;;
	--rounds) ROUNDS=$2; shift ;;
	--seconds) SECONDS_PER_POINT=$2; shift ;;
	--warmup) WARMUP=$2; shift ;;
	--clients) CLIENTS=$2; shift ;;
	--tables) TABLES=$2; shift ;;
	--idle) IDLE=$2; shift ;;
	--out) OUT=$2; shift ;;
	--server) SERVER=$2; shift ;;
	--keep) KEEP=1 ;;
	-h | --help) sed -n '2,19p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

. "$HERE/lib.sh"

bench_build_tools
HAVE_SERVER=0
[ -x "$SERVER" ] && HAVE_SERVER=1
log "open-file limit $(ulimit -n)"

IDLE_PID=""
bench_pg_start

: >"$OUT"
machine_line() { # what the run ran on, and how busy the machine was (other work skews every figure)
	printf '{"workload": "machine", "when": "%s", "phase": "%s", "cpus": %d, "loadavg": "%s", "kernel": "%s", "cpu": "%s"}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(uname -r)" \
		"$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
}
machine_line start >>"$OUT"
emit() { tee -a "$OUT"; } # JSON lines from loadgen/pgdirect go to the results file and the screen

# ---- the server ----
PORT=""
HPORT=""
if [ "$HAVE_SERVER" = 1 ]; then
	bench_server_start $((IDLE + 1000)) || HAVE_SERVER=0
fi

# ---- data: a database with $TABLES tables ----
GET_TABLE_METHOD=get_table
if [ "$HAVE_SERVER" = 1 ]; then
	log "setup: database bench with $TABLES tables through create_table"
	"$LOADGEN" --port "$PORT" --op setup --db bench --tables "$TABLES"
	# Some IDL versions (Hive 4.0.1+) dropped get_table for get_table_req: use what answers.
	if ! "$LOADGEN" --port "$PORT" --op get_table --db bench --tables "$TABLES" --seconds 0.1 --warmup 0 \
		>/dev/null 2>"$TMP/probe.log"; then
		log "get_table did not answer ($(tail -n1 "$TMP/probe.log")); using get_table_req"
		GET_TABLE_METHOD=get_table_req
	fi
else
	log "no working propolis-server: loading the same rows straight into PostgreSQL for pg-direct"
	for f in "$ROOT"/migrations/[0-9][0-9][0-9][0-9]_*.sql; do "$PG_BIN/psql" -X -q -d "$PGURL" -v ON_ERROR_STOP=1 -f "$f"; done
	psql_q "INSERT INTO catalogs (name) VALUES ('hive');
	        INSERT INTO databases (catalog_id, name, doc) SELECT id, n, jsonb_build_object('Name', n) FROM catalogs, (VALUES ('default'), ('bench')) v(n);
	        INSERT INTO tables (database_id, name, table_type, doc)
	        SELECT d.id, format('tbl_%s', lpad(i::text, 5, '0')), 'EXTERNAL_TABLE',
	               jsonb_build_object('Name', format('tbl_%s', lpad(i::text, 5, '0')), 'TableType', 'EXTERNAL_TABLE',
	                 'StorageDescriptor', jsonb_build_object('Columns', (SELECT jsonb_agg(jsonb_build_object('Name', 'col_' || c, 'Type', 'string')) FROM generate_series(0, 7) c)))
	        FROM databases d, generate_series(0, $TABLES - 1) i WHERE d.name = 'bench'" >/dev/null
fi

# ---- the workloads (each also reports server and PostgreSQL CPU per operation) ----
common=(--seconds "$SECONDS_PER_POINT" --warmup "$WARMUP" --postmaster-pid "$PGPID")
[ -n "$SERVER_PID" ] && common+=(--server-pid "$SERVER_PID")
# Each Propolis point is followed at once by its pg-direct twin, so both see the same machine.
lg() { [ "$HAVE_SERVER" = 1 ] && { "$LOADGEN" --port "$PORT" "${common[@]}" "$@" | emit || true; }; return 0; }
pd() { "$PGDIRECT" --conninfo "$PGURL" "${common[@]}" "$@" | emit || true; }

# ---- partitions: the 100,000-partition table, reply sizes, peak RSS, listings, batches ----
if [ "$HAVE_SERVER" = 1 ]; then
	log "setup: bench.parts_100k with $PARTS partitions (add_partitions of 1,000 per call)"
	"$LOADGEN" --port "$PORT" --op setup_partitions --db bench --ptable parts_100k --parts "$PARTS" --setup-batch 1000 || true
	TENTH=$((PARTS / 10))
	for op in get_partitions get_partitions_by_filter get_partition_names; do
		"$LOADGEN" --port "$PORT" --op "$op" --probe --db bench --ptable parts_100k --timeout 300 | emit || true
	done
	# Peak server RSS while 8 clients list at once: VmHWM reset first (clear_refs 5), VmRSS sampled
	# every 0.1 s while they run. The 10,000-partition filter first, then the whole 100,000: if
	# memory followed the partition count, the second peak would be ~10x the first.
	rss_peak() { # label op expect
		local label=$1 op=$2 expect=$3 rss0 peak=0 r hwm
		echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true
		rss0=$(server_rss_kb)
		"$LOADGEN" --port "$PORT" "${common[@]}" --seconds 0.5 --warmup 0 --clients 8 --op "$op" --db bench \
			--ptable parts_100k --expect "$expect" --timeout 600 >"$TMP/rss.json" &
		local lpid=$!
		for _ in $(seq 1 6000); do # at most 600 s
			kill -0 "$lpid" 2>/dev/null || break
			r=$(server_rss_kb)
			[ "${r:-0}" -gt "$peak" ] && peak=$r
			sleep 0.1
		done
		wait "$lpid" || true
		emit <"$TMP/rss.json"
		hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")
		printf '{"target": "propolis", "workload": "peak_rss", "op": "%s", "label": "%s", "clients": 8, "rss_before_kb": %d, "peak_rss_sampled_kb": %d, "vm_hwm_kb": %d}\n' \
			"$op" "$label" "$rss0" "$peak" "$hwm" | emit
	}
	rss_peak "a tenth" get_partitions_by_filter "$TENTH"
	rss_peak "all" get_partitions "$PARTS"
	# the 8-client points of those two came from the RSS runs; their pg-direct twins:
	pd --clients 8 --seconds 0.5 --warmup 0 --op part_filter --label get_partitions_by_filter --expect "$TENTH"
	pd --clients 8 --seconds 0.5 --warmup 0 --op part_list --label get_partitions --expect "$PARTS"
	for c in 1 8; do
		[ "$c" = 1 ] && lg --clients 1 --seconds 1 --warmup 0 --op get_partitions --db bench --expect "$PARTS" --timeout 300
		[ "$c" = 1 ] && pd --clients 1 --seconds 1 --warmup 0 --op part_list --label get_partitions --expect "$PARTS"
		[ "$c" = 1 ] && lg --clients 1 --seconds 1 --warmup 0 --op get_partitions_by_filter --db bench --expect "$TENTH" --timeout 300
		[ "$c" = 1 ] && pd --clients 1 --seconds 1 --warmup 0 --op part_filter --label get_partitions_by_filter --expect "$TENTH"
		lg --clients "$c" --seconds 1 --warmup 0 --op get_partition_names --db bench --expect "$PARTS" --timeout 300
		pd --clients "$c" --seconds 1 --warmup 0 --op part_names --label get_partition_names --expect "$PARTS"
	done
	log "add_partitions / drop_partitions_req of $BATCH, $ROUNDS rounds"
	"$LOADGEN" --port "$PORT" --op partition_batch --db bench --parts "$BATCH" --rounds "$ROUNDS" --timeout 300 \
		--server-pid "$SERVER_PID" --postmaster-pid "$PGPID" | emit || true
	"$PGDIRECT" --conninfo "$PGURL" --op partition_batch --db bench --ptable parts_100k --parts "$BATCH" \
		--rounds "$ROUNDS" --postmaster-pid "$PGPID" | emit || true
	# The Iceberg commit (each client on its own table: uncontended) and Glue over HTTP.
	for c in 1 8; do
		lg --clients "$c" --op iceberg_commit --db bench
	done
	for c in $CLIENTS; do
		"$LOADGEN" --port "$HPORT" "${common[@]}" --clients "$c" --op glue_get_table --db bench --tables "$TABLES" \
			--credentials "$TMP/admin.credentials" | emit || true
	done
	if ! "$LOADGEN" --port "$HPORT" --op glue_get_partitions --seconds 0.1 --warmup 0 --db bench \
		--credentials "$TMP/admin.credentials" >/dev/null 2>"$TMP/gp.log"; then
		msg=$(grep -o 'first: .*' "$TMP/gp.log" | head -c 300 | tr -d '"\\')
		printf '{"target": "propolis", "workload": "glue_get_partitions", "clients": 1, "unsupported": true, "error": "%s"}\n' "$msg" | emit
	else
		lg_glue_gp=1
		"$LOADGEN" --port "$HPORT" "${common[@]}" --clients 8 --op glue_get_partitions --db bench \
			--credentials "$TMP/admin.credentials" | emit || true
	fi
fi
for c in $CLIENTS; do
	# The empty RPC is fb303 getVersion (a constant); getStatus is measured too: it may ping PostgreSQL.
	lg --clients "$c" --op get_version --label empty_rpc
	pd --clients "$c" --op select1 --label empty_rpc
	lg --clients "$c" --op get_status
	lg --clients "$c" --op get_database --db default
	pd --clients "$c" --op get_database --db default
	lg --clients "$c" --op "$GET_TABLE_METHOD" --label get_table --db bench --tables "$TABLES"
	pd --clients "$c" --op get_table --db bench --tables "$TABLES"
	lg --clients "$c" --op get_all_tables --db bench --tables "$TABLES"
	pd --clients "$c" --op get_all_tables --db bench --tables "$TABLES"
	lg --clients "$c" --op create_drop_table --db bench
done

# ---- idle connections: RSS and PostgreSQL backends before/after, then get_table at 64 ----
if [ "$HAVE_SERVER" = 1 ]; then
	rss0=$(server_rss_kb)
	be0=$(pg_backends)
	"$LOADGEN" --port "$PORT" --op idle --connections "$IDLE" --hold 600 --ready-file "$TMP/idle.ready" \
		>"$TMP/idle.json" &
	IDLE_PID=$!
	EXTRA_PIDS="$IDLE_PID"
	for _ in $(seq 1 1200); do # at most 120 s
		[ -s "$TMP/idle.ready" ] && break
		kill -0 "$IDLE_PID" 2>/dev/null || break
		sleep 0.1
	done
	open=$(cat "$TMP/idle.ready" 2>/dev/null || echo 0)
	sleep 1
	rss1=$(server_rss_kb)
	be1=$(pg_backends)
	"$LOADGEN" --port "$PORT" --clients 64 "${common[@]}" --op "$GET_TABLE_METHOD" \
		--label get_table_with_idle --db bench --tables "$TABLES" | emit || true
	rss2=$(server_rss_kb)
	be2=$(pg_backends)
	kill "$IDLE_PID" 2>/dev/null || true
	wait "$IDLE_PID" 2>/dev/null || true
	IDLE_PID=""
	printf '{"target": "propolis", "workload": "idle_connections", "requested": %d, "open": %d, "rss_before_kb": %d, "rss_idle_kb": %d, "rss_idle_load_kb": %d, "extra_rss_kb": %d, "extra_rss_per_conn_bytes": %.0f, "pg_backends_before": %d, "pg_backends_idle": %d, "pg_backends_idle_load": %d}\n' \
		"$IDLE" "$open" "$rss0" "$rss1" "$rss2" $((rss1 - rss0)) \
		"$(python3 -c "print(($rss1-$rss0)*1024/max(1,$open))")" "$be0" "$be1" "$be2" | emit
fi

machine_line end >>"$OUT"

# ---- the table ----
log "results in $OUT"
python3 "$HERE/summary.py" "$OUT" --method "$GET_TABLE_METHOD"
