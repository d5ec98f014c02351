#!/usr/bin/env bash
# Installs what maas needs from Debian's apt, then llama.cpp and the npm packages of the tests. Idempotent: a second
# run installs nothing and takes a second. Run as root (or with sudo available).
#
#   scripts/setup.sh [test]   what `make test` and `make demo` need: build, run, test
#   scripts/setup.sh lint     clang-format and clang-tidy (scripts/lint.sh calls this)
#   scripts/setup.sh bench    bench/run.sh's load generator and peers (bench/run.sh calls this)
#   scripts/setup.sh fuzz     clang 14 and its libFuzzer runtime (the `fuzz` preset; bench/fuzz.sh calls this)
set -euo pipefail

APT_PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # C++ libraries (Boost 1.74, not 1.81: libboost1.81-dev conflicts with libboost-dev, which python3-scipy needs via pythran)
  libboost-dev nlohmann-json3-dev libsimdjson-dev libsqlite3-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libre2-dev libzstd-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev zlib1g-dev
  # maasd's allocator
  libjemalloc-dev
  # inference backends
  libxgboost-dev libopencv-dnn-dev libtorch-dev
  # reference frameworks: demo model, test fixtures, fidelity checks
  python3 python3-pytest python3-requests python3-numpy python3-sklearn python3-xgboost
  python3-onnx python3-torch
  # the reference for dataset profiles (tests) and the peer of the data bench
  python3-pandas
  # the reference for seasonal decomposition and autocorrelation (tests/integration/test_timeseries_features.py)
  python3-statsmodels
  # the reference the pruners must answer as (tests/integration/test_studies_optuna.py) and bench/hpo's baseline
  python3-optuna
  # JWT tests: tokens made by an independent implementation (PyJWT) with keys from python3-cryptography
  python3-jwt python3-cryptography
  # data sources: libpq (the postgres kind); a PostgreSQL server the source tests start themselves
  libpq-dev postgresql
  # the web console's browser tests: Debian's chromium, headless, driven by npm's playwright-core (console/)
  chromium
  # the gRPC Open Inference Protocol (src/grpc/): libgrpc++ 1.51, protoc and its gRPC C++ plugin; the Python
  # test client's stubs are generated at test time by grpc_tools
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-grpc-tools
  # tools the tests use (openssl: self-signed certificates for the TLS tests; prometheus: promtool checks /metrics
  # and a real Prometheus scrapes maasd; zstd reads archives)
  curl procps openssl prometheus zstd
  # llama.cpp's build and DuckDB (scripts/llama.sh and scripts/duckdb.sh fetch them with npm), the openai SDK tests
  nodejs npm
)
LINT_PACKAGES=(clang-format clang-tidy)
# the fuzz preset (fuzz/): Debian's clang 14; libclang-rt-14-dev holds libFuzzer and the sanitizers' runtimes
FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)
# bench/run.sh: the load generator and the peers maasd is measured against
BENCH_PACKAGES=(wrk nginx python3-fastapi uvicorn python3-uvloop python3-httptools)

GROUP="${1:-test}"
case "$GROUP" in
  test) ;;
  lint) APT_PACKAGES=("${LINT_PACKAGES[@]}") ;;
  bench) APT_PACKAGES=("${BENCH_PACKAGES[@]}") ;;
  fuzz) APT_PACKAGES=("${FUZZ_PACKAGES[@]}") ;;
  *) echo "usage: scripts/setup.sh [test | lint | bench | fuzz]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  # A Node.js from elsewhere (NodeSource's package bundles npm and conflicts with Debian's) will do.
  if [ "$pkg" = nodejs ] && command -v node >/dev/null; then continue; fi
  if [ "$pkg" = npm ] && command -v npm >/dev/null; then continue; fi
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# After apt: llama.cpp from node-llama-cpp's bundled release (built once into a cache), DuckDB's C library and header
# from npm (unpacked once into a cache), and the npm packages of the JavaScript tests (the official openai SDK,
# @grpc/grpc-js and @grpc/proto-loader).
finish() {
  if [ "$GROUP" != test ]; then return; fi
  bash "$SCRIPTS/llama.sh"
  bash "$SCRIPTS/duckdb.sh"
  local js="$SCRIPTS/../tests/js"
  if [ -f "$js/package-lock.json" ] && { [ ! -d "$js/node_modules/openai" ] || [ ! -d "$js/node_modules/@grpc/grpc-js" ]; }; then
    (cd "$SCRIPTS/../tests/js" && npm ci --silent --no-audit --no-fund)
  fi
  # The console's toolchain (esbuild, Preact, uPlot, playwright-core), pinned by its lock file; installed again only
  # when the lock file changes (a copy of it in node_modules says which one was installed).
  local console="$SCRIPTS/../console"
  if [ -f "$console/package-lock.json" ] && ! cmp -s "$console/package-lock.json" "$console/node_modules/.maas-installed-lock"; then
    (cd "$console" && npm ci --silent --no-audit --no-fund && cp package-lock.json node_modules/.maas-installed-lock)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#APT_PACKAGES[@]} apt packages of '$GROUP' present"
  finish
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${#missing[@]} apt packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
finish
echo "setup: done"
