#!/usr/bin/env bash
# tests/run-all.sh — build Propolis and run the whole test suite (Check unit tests and the
# pytest integration suite, which starts its own PostgreSQL and servers) through ctest.
#
#   tests/run-all.sh              build in build/ (or $BUILD_DIR) and test
#   tests/run-all.sh --sanitize   build in build-asan/ with ASan+UBSan and test the same way
#
# As root on a fresh Debian 12 it first installs what is missing with apt-get. It starts
# nothing itself: every process the tests need is started (and stopped) by the tests.
# Exits non-zero if anything fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SANITIZE=0
CTEST_ARGS=()

usage() {
	sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--sanitize) SANITIZE=1 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; CTEST_ARGS+=("$@"); break ;;
	*) echo "run-all.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done

# Debian's tools first: a pyenv/venv python would not see python3-thrift.
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"

PACKAGES=(cmake make gcc libc6-dev pkg-config thrift-compiler libthrift-c-glib-dev python3 python3-thrift
	python3-pytest check libglib2.0-dev libjson-glib-dev libpq-dev libssl-dev postgresql-15
	postgresql-client-15 util-linux libmicrohttpd-dev python3-botocore python3-boto3 awscli libcurl4-openssl-dev
	python3-pure-sasl openssl zlib1g-dev python3-yaml
	libkrb5-dev krb5-kdc krb5-admin-server krb5-user python3-kerberos)

# Installs whatever of PACKAGES is missing; apt-get update only when something is.
install_missing() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != *'install ok installed'* ]]; then
			missing+=("$p")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "run-all.sh: missing packages: ${missing[*]} (run as root, or install them)" >&2
		exit 1
	fi
	echo "run-all.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_missing

if [ $SANITIZE -eq 1 ]; then
	BUILD="${BUILD_DIR:-$ROOT/build-asan}"
	CMAKE_FLAGS=(-DPROPOLIS_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROPOLIS_WERROR=ON)
	# fast_unwind_on_malloc=0: GLib has no frame pointers; without it leak stacks stop at
	# g_malloc and lsan.supp cannot match library frames.
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:fast_unwind_on_malloc=0:malloc_context_size=30"
	export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
	# GLib 2.74 caches freed slices per thread (magazines), which LSan reports as leaks.
	export G_SLICE=always-malloc G_DEBUG=gc-friendly
	# Sanitized servers start and stop more slowly.
	export PROPOLIS_START_TIMEOUT="${PROPOLIS_START_TIMEOUT:-120}"
	export PROPOLIS_STOP_TIMEOUT="${PROPOLIS_STOP_TIMEOUT:-30}"
	# The 100k-partition scale test runs at 20k here: ASan slows each call several times over.
	export PROPOLIS_SCALE_PARTITIONS="${PROPOLIS_SCALE_PARTITIONS:-20000}"
	# The kill -9 fault test's batch (10k plain): decoding it under ASan takes ~7 ms a partition.
	export PROPOLIS_FAULT_PARTITIONS="${PROPOLIS_FAULT_PARTITIONS:-1000}"
else
	BUILD="${BUILD_DIR:-$ROOT/build}"
	CMAKE_FLAGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROPOLIS_WERROR=ON)
fi
JOBS=$(nproc 2>/dev/null || echo 2)

echo "run-all.sh: configuring $BUILD"
cmake -S "$ROOT" -B "$BUILD" "${CMAKE_FLAGS[@]}"
echo "run-all.sh: building ($JOBS jobs)"
cmake --build "$BUILD" -j "$JOBS"

# The AWS SDK for JavaScript tests (tests/js): exactly what the lock file pins.
if [ -f "$ROOT/tests/js/package-lock.json" ] && command -v npm >/dev/null 2>&1; then
	echo "run-all.sh: npm ci in tests/js"
	(cd "$ROOT/tests/js" && npm ci --no-audit --no-fund)
fi

cd "$BUILD"
# The integration and compat suites are registered only when pytest was found; without
# them we would silently test half the product.
# (the list is read whole first: grep -q exits at its match, and under pipefail the SIGPIPE
# that ctest then gets would read as "not registered")
listed=$(ctest -N)
for suite in integration compat; do
	if ! grep -q "$suite" <<<"$listed"; then
		echo "run-all.sh: the $suite test is not registered (pytest not found at configure time?)" >&2
		exit 1
	fi
done
echo "run-all.sh: running the tests"
ctest --output-on-failure -j "$JOBS" "${CTEST_ARGS[@]}"
echo "run-all.sh: all tests passed ($([ $SANITIZE -eq 1 ] && echo sanitized || echo plain) build in $BUILD)"
