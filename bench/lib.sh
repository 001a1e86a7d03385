# bench/lib.sh — what bench/run.sh and bench/soak.sh share: a throwaway PostgreSQL 15 and a
# propolis-server on free loopback ports, both stopped by their own pids on exit. Sourced, not run.
# Expects ROOT, BUILD, PG_BIN, SERVER, KEEP; sets TMP, PGPORT, PGURL, PGPID, PORT, HPORT, SERVER_PID.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# bench_build_tools: the bench tools on their own (Release); the server if build/ has none.
bench_build_tools() {
	BENCH_BUILD=$BUILD/bench-standalone
	cmake -S "$ROOT/bench" -B "$BENCH_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$BENCH_BUILD" -j2 >/dev/null
	LOADGEN=$BENCH_BUILD/loadgen
	PGDIRECT=$BENCH_BUILD/pgdirect
	if [ ! -x "$SERVER" ] && [ -f "$BUILD/CMakeCache.txt" ]; then
		log "building propolis-server in $BUILD"
		cmake --build "$BUILD" -j2 --target propolis-server >&2 || true
	fi
	# file limit for many sockets (the server and loadgen inherit it)
	ulimit -Hn 65536 2>/dev/null || true
	ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
}

TMP=""
SERVER_PID=""
EXTRA_PIDS=""
bench_cleanup() {
	set +e
	for p in $EXTRA_PIDS; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$SERVER_PID" 2>/dev/null
	fi
	[ -n "$TMP" ] && [ -f "$TMP/pg/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$TMP/pg" -m fast -w -t 30 stop >/dev/null 2>&1
	if [ -n "$TMP" ]; then
		if [ "${KEEP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
	fi
}

# bench_pg_start: initdb + start in a fresh temp dir, database `propolis`.
bench_pg_start() {
	TMP=$(mktemp -d /tmp/propolis-bench.XXXXXX)
	chmod 755 "$TMP"
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM # so that EXIT's cleanup runs
	PGPORT=$(free_port)
	mkdir -p "$TMP/pg"
	chown postgres "$TMP/pg" 2>/dev/null || true
	as_pg "$PG_BIN/initdb" -D "$TMP/pg" -U postgres -A trust -E UTF8 --no-sync >"$TMP/initdb.log" 2>&1
	as_pg "$PG_BIN/pg_ctl" -D "$TMP/pg" -w -t 60 -l "$TMP/pg/server.log" \
		-o "-p $PGPORT -k $TMP/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB" \
		start >/dev/null
	as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres propolis
	PGURL="postgresql://postgres@127.0.0.1:$PGPORT/propolis"
	PGPID=$(head -n1 "$TMP/pg/postmaster.pid")
	log "PostgreSQL 15 on 127.0.0.1:$PGPORT ($TMP/pg)"
}
psql_q() { "$PG_BIN/psql" -X -A -t -q -d "$PGURL" -c "$1"; }
pg_backends() { psql_q "SELECT count(*) FROM pg_stat_activity WHERE datname = 'propolis' AND pid <> pg_backend_pid()"; }

# bench_server_start MAX_CONNECTIONS: the server (a copy: others may relink build/ meanwhile) with
# the Thrift door on PORT and the HTTP door on HPORT; returns 1 if it never answered getStatus.
bench_server_start() {
	PORT=$(free_port)
	HPORT=$(free_port)
	cat >"$TMP/propolis.conf" <<CONF
[limits]
max_connections = $1
CONF
	cp "$SERVER" "$TMP/propolis-server"
	"$TMP/propolis-server" --database "$PGURL" --listen "127.0.0.1:$PORT" --config "$TMP/propolis.conf" \
		--migrations "$ROOT/migrations" --http-listen "127.0.0.1:$HPORT" --master-key-file "$TMP/master.key" \
		--admin-credentials "$TMP/admin.credentials" >"$TMP/server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 300); do # at most 60 s
		kill -0 "$SERVER_PID" 2>/dev/null || break
		if "$LOADGEN" --port "$PORT" --op get_status --seconds 0.05 --warmup 0 --timeout 2 >/dev/null 2>&1; then
			log "propolis-server pid $SERVER_PID on 127.0.0.1:$PORT (HTTP $HPORT)"
			return 0
		fi
		sleep 0.2
	done
	log "propolis-server did not answer getStatus; its log:"
	tail -n 30 "$TMP/server.log" >&2 || true
	return 1
}
server_rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }
