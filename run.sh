#!/usr/bin/env bash
# run.sh — build Propolis and run it with an embedded PostgreSQL, listening on
# 127.0.0.1:9083 (Hive Metastore Thrift). On a fresh Debian 12 as root it first installs
# the build dependencies with apt-get. Extra arguments go to propolis-server, e.g.
#   ./run.sh --log-level debug
#   ./run.sh --listen 0.0.0.0:9083 --warehouse s3a://bucket/warehouse
# Environment: DATA_DIR (default /var/lib/propolis: the embedded PostgreSQL in DATA_DIR/pgdata, the
# keys and, unless --warehouse says otherwise, the warehouse file://DATA_DIR/warehouse),
# BUILD_DIR (default ./build).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA_DIR="${DATA_DIR:-/var/lib/propolis}"
BUILD="${BUILD_DIR:-$ROOT/build}"
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"

PACKAGES=(cmake make gcc libc6-dev pkg-config thrift-compiler libthrift-c-glib-dev check libglib2.0-dev
	libjson-glib-dev libpq-dev libssl-dev libmicrohttpd-dev libcurl4-openssl-dev zlib1g-dev libkrb5-dev postgresql-15 util-linux)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "run.sh: missing packages: ${missing[*]} (run as root, or install them)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target propolis-server propolis

mkdir -p "$DATA_DIR"
echo "run.sh: propolis-server (Thrift 127.0.0.1:9083, Glue HTTP 127.0.0.1:9084 unless overridden), data in $DATA_DIR (Ctrl-C stops it)"
exec "$BUILD/propolis-server" --data-dir "$DATA_DIR" --migrations "$ROOT/migrations" "$@"
