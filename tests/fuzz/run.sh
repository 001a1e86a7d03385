#!/usr/bin/env bash
# tests/fuzz/run.sh — build the libFuzzer targets (clang, -DPROPOLIS_FUZZ=ON) in build-fuzz/
# and run each for a bounded time over its committed seed corpus; report executions and
# crashes per target. Exits non-zero if any target crashed (or leaked, or timed out).
#
#   tests/fuzz/run.sh                   every target, 30 s each
#   tests/fuzz/run.sh -t 60 fuzz_scan   one target for 60 s (FUZZ_TIME=N also sets the time)
#
# The committed corpus (tests/fuzz/corpus/<target>/) is only read; new inputs go to
# build-fuzz/fuzz-work/<target>/corpus, crashes to build-fuzz/fuzz-work/<target>/. To keep a
# crash as a regression input, copy it into the committed corpus and add a unit test.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
TIME="${FUZZ_TIME:-30}"
TARGETS=()

while [ $# -gt 0 ]; do
	case "$1" in
	-t | --time) TIME="$2"; shift ;;
	-h | --help) sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
	-*) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	*) TARGETS+=("$1") ;;
	esac
	shift
done
if [ ${#TARGETS[@]} -eq 0 ]; then
	for f in "$ROOT"/tests/fuzz/fuzz_*.c; do
		TARGETS+=("$(basename "$f" .c)")
	done
fi

export PATH="/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"
if ! command -v clang >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -q
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang libclang-rt-14-dev
	else
		echo "run.sh: clang is missing (apt-get install clang libclang-rt-14-dev)" >&2
		exit 1
	fi
fi

echo "run.sh: building ${TARGETS[*]} in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER=clang -DPROPOLIS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target "${TARGETS[@]}"

# GLib's slice magazines and one-time type registrations look like leaks to LSan.
export G_SLICE=always-malloc G_DEBUG=gc-friendly
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30"
cat "$ROOT/tests/lsan.supp" "$ROOT/tests/fuzz/lsan.supp" >"$BUILD/fuzz-lsan.supp"
export LSAN_OPTIONS="suppressions=$BUILD/fuzz-lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

failed=0
summary=()
for t in "${TARGETS[@]}"; do
	work="$BUILD/fuzz-work/$t"
	seeds="$ROOT/tests/fuzz/corpus/$t"
	mkdir -p "$work/corpus" "$seeds"
	log="$work/run.log"
	count_artifacts() { find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l; }
	before=$(count_artifacts)
	echo "run.sh: $t for ${TIME}s"
	set +e
	"$BUILD/tests/fuzz/$t" -max_total_time="$TIME" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix="$work/" "$work/corpus" "$seeds" >"$log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	crashes=$(($(count_artifacts) - before))
	if [ "$rc" -ne 0 ]; then
		failed=1
		crashes=$((crashes > 0 ? crashes : 1))
		echo "run.sh: $t FAILED (exit $rc); last lines of $log:" >&2
		tail -n 40 "$log" >&2
	fi
	summary+=("$(printf '%-22s executions %10s  crashes %s  corpus %s' "$t" "${execs:-?}" "$crashes" "$(ls "$work/corpus" | wc -l)")")
done

echo
echo "run.sh: ${TIME}s per target"
printf '  %s\n' "${summary[@]}"
exit $failed
