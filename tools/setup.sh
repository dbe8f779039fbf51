#!/usr/bin/env bash
# Installs the Debian 12 packages ailedger builds with (only those missing), then configures
# and builds into build/. Idempotent: a second run installs nothing and rebuilds only what
# changed. Usage: tools/setup.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config git
  librocksdb-dev libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libsodium-dev libabsl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # libpq: the PostgreSQL store (ledger/storage/postgres_store.h) and bench-vs-postgres;
  # PostgreSQL 15: the private clusters of their tests (tests/testing/pg_cluster.h).
  libpq-dev postgresql-15
  # tools/ha-cluster: PostgreSQL under Patroni in synchronous mode, with etcd (issue 17).
  patroni etcd-server etcd-client
  # libssl-dev: SHA-256 (ledger/merkle/hash.cc, libcrypto) and https witnesses.
  nlohmann-json3-dev openssl libssl-dev libcpp-httplib-dev
  # ailedgerd's metrics (--metrics-addr), and the Prometheus server its test scrapes with.
  prometheus-cpp-dev prometheus
  # The Python client (client/python) and its tests.
  python3 python3-grpcio python3-protobuf python3-nacl python3-yaml python3-pytest
  python3-pip python3-setuptools python3-wheel
  # The HTML reports opened in headless Chromium by the tests, and `report --pdf`.
  chromium fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
cmake -S . -B build -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "$@" >/dev/null
cmake --build build -j"${JOBS:-2}"
