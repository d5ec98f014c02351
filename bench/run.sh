#!/usr/bin/env bash
# Benchmarks maasd side by side with its peers on this machine and reports ratios (see docs/BENCHMARKS.md).
#
#   bash bench/run.sh
#
# Builds maasd (release preset), makes the test models, starts maasd, nginx (a static file) and FastAPI + uvicorn
# (bench/fastapi_xgboost.py) on free loopback ports, drives each with wrk (bench/infer.lua) at the same
# concurrency, times the in-process library call (bench/inprocess_xgboost.cc), compares dynamic batching on and off,
# prints a table and writes bench/results/latest.json. Everything it starts is stopped when it exits.
#
# Settings (environment): BENCH_DURATION (s per measurement, 10), BENCH_WARMUP (s, 2), BENCH_CONNECTIONS (16),
# BENCH_BATCH_CONNECTIONS (64), BENCH_WRK_THREADS (1), BENCH_OUTPUT (bench/results/latest.json),
# BENCH_LATENCY_ROUNDS (6) and BENCH_LATENCY_SECONDS (3): the paired one-connection rounds that measure the
# gateway's added latency, BENCH_ONLY=gateway-latency (only those rounds), BENCH_BIN_DIR (use these maasd/maas-worker binaries instead of building the release preset), BENCH_KEEP=1 (keep
# the temporary directory with the logs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
BATCH_CONNECTIONS=${BENCH_BATCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
WRK_TIMEOUT=5s
OUTPUT=${BENCH_OUTPUT:-$ROOT/bench/results/latest.json}
LATENCY_ROUNDS=${BENCH_LATENCY_ROUNDS:-6}
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-3}
ONLY=${BENCH_ONLY:-}
PY=/usr/bin/python3

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

WORK=$(mktemp -d /tmp/maas-bench.XXXXXX)
chmod 755 "$WORK"  # nginx's workers (www-data when started as root) must read the static file
PIDS=()

# Stops every process this script started (TERM, then KILL after 10 s) and removes the temporary directory.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for f in "$WORK"/*.log; do
      [ -s "$f" ] && { log "--- last lines of $(basename "$f")"; tail -n 20 "$f" >&2; }
    done
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for URL: until it answers 200, for at most 60 s.
wait_for() {
  for _ in $(seq 600); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  die "$1 did not answer in 60 s"
}

# api METHOD PATH [curl args...]: a call to maasd that must succeed; prints the body.
api() {
  local method=$1 path=$2
  shift 2
  curl -sS --fail-with-body -X "$method" -H "Authorization: Bearer $ADMIN_KEY" "$MAASD$path" "$@" ||
    die "$method $path failed"
}

# measure NAME URL BODY CONNECTIONS SERVER_PID: warm-up, then the measured run (bench/measure.py); the result goes
# to $WORK/results/NAME.json.
measure() {
  log "measuring $1: $4 connections, ${WARMUP}s warm-up + ${DURATION}s"
  "$PY" "$ROOT/bench/measure.py" "$2" "$3" "$WORK/results/$1.json" --server-pid "$5" --connections "$4" \
    --threads "$WRK_THREADS" --duration "$DURATION" --warmup "$WARMUP" --timeout "$WRK_TIMEOUT"
}

# --- tools -------------------------------------------------------------------------------------------------------
# The peers and wrk are not part of `make test`'s setup: installed here, once.
bash "$ROOT/scripts/setup.sh" bench >&2
for tool in wrk nginx curl g++; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh bench installs it)"
done
"$PY" -c 'import fastapi, uvicorn, xgboost, sklearn' 2>/dev/null ||
  die "$PY lacks fastapi, uvicorn, xgboost or sklearn (scripts/setup.sh installs them)"
mkdir -p "$WORK/results" "$WORK/static" "$WORK/nginx" "$(dirname "$OUTPUT")"

if [ -n "${BENCH_BIN_DIR:-}" ]; then
  BIN_DIR=$(cd "$BENCH_BIN_DIR" && pwd)
else
  log "building maasd and maas-worker (release preset)"
  (cd "$ROOT" && cmake --preset release >"$WORK/build.log" 2>&1 &&
    cmake --build --preset release -j1 --target maasd maas-worker >>"$WORK/build.log" 2>&1) ||
    die "the release build failed: see $WORK/build.log (BENCH_KEEP=1 keeps it)"
  BIN_DIR=$ROOT/build/release/bin
fi

# --- models, requests, the in-process program --------------------------------------------------------------------
log "making the models"
"$PY" "$ROOT/tests/fixtures/make_models.py" "$WORK/models" >"$WORK/make_models.log" 2>&1
# One real row of each model's data set, as the shortest decimals that read back to the same FP32 values.
"$PY" - "$WORK" <<'EOF'
import json, sys
import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris
work = sys.argv[1]
def body(name, row):
    values = [float(str(np.float32(v))) for v in row]
    return {"inputs": [{"name": name, "shape": [1, len(values)], "datatype": "FP32", "data": values}]}
cancer = load_breast_cancer().data[0]
json.dump(body("input", cancer), open(f"{work}/xgb_request.json", "w"), separators=(",", ":"))
json.dump(body("features", load_iris().data[0]), open(f"{work}/mlp_request.json", "w"), separators=(",", ":"))
open(f"{work}/xgb_row.txt", "w").write(",".join(str(np.float32(v)) for v in cancer))
EOF
g++ -O2 -std=c++20 -Wall -Wextra "$ROOT/bench/inprocess_xgboost.cc" -lxgboost -o "$WORK/inprocess_xgboost" ||
  die "cannot compile bench/inprocess_xgboost.cc against libxgboost"

# --- maasd -------------------------------------------------------------------------------------------------------
log "starting maasd from $BIN_DIR"
# Every maasd endpoint but health needs a key: the bench is the first admin (wrk sends BENCH_KEY).
ADMIN_KEY="maas_bench_admin_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export BENCH_KEY=$ADMIN_KEY
MAAS_ADMIN_KEY=$ADMIN_KEY "$BIN_DIR/maasd" --listen 127.0.0.1:0 --data-dir "$WORK/maas-data" --port-file "$WORK/maasd.addr" \
  --log-format json >"$WORK/maasd.log" 2>&1 &
PIDS+=($!)
MAASD_PID=$!
for _ in $(seq 600); do [ -s "$WORK/maasd.addr" ] && break; sleep 0.1; done
[ -s "$WORK/maasd.addr" ] || die "maasd did not start in 60 s"
MAASD="http://$(cat "$WORK/maasd.addr")"
wait_for "$MAASD/v2/health/ready"

# deploy NAME FILE CONFIG: registers NAME, uploads FILE as its version 1 and loads it with CONFIG.
deploy() {
  api POST /api/v1/models -H 'Content-Type: application/json' -d "{\"name\": \"$1\"}" >/dev/null
  api POST "/api/v1/models/$1/versions" -H 'Content-Type: application/octet-stream' --data-binary "@$2" >/dev/null
  api POST "/v2/repository/models/$1/load" -H 'Content-Type: application/json' \
    -d "{\"parameters\": {\"config\": $3}}" >/dev/null
}
# xgb: maasd's default deployment (dynamic batching at its defaults) with one worker of one thread.
deploy xgb "$WORK/models/xgb_breast_cancer.json" '{"instances": 1, "threads": 1}'
deploy xgb_unbatched "$WORK/models/xgb_breast_cancer.json" '{"instances": 1, "threads": 1, "max_batch_size": 0}'
deploy mlp_unbatched "$WORK/models/mlp.onnx" '{"instances": 1, "threads": 1, "max_batch_size": 0}'
deploy mlp_batched "$WORK/models/mlp.onnx" \
  '{"instances": 1, "threads": 1, "max_batch_size": 32, "max_queue_delay_us": 2000}'

# The gateway's whole path: a service over the same loaded version, called with an invoker key that has a rate
# limit and a quota (set far above what the run reaches, so that every check runs and none refuses), with a
# service limit, a per-key limit on the service, a sticky split and the gateway's metrics.
api POST /api/v1/services -H 'Content-Type: application/json' -d '{"name": "xgb-gateway",
  "routes": [{"model": "xgb", "version": 1}], "sticky_header": "x-user",
  "rate_limit": {"rps": 10000000, "burst": 10000000}, "key_rate_limit": {"rps": 10000000, "burst": 10000000}}' \
  >/dev/null
GATEWAY_KEY=$(api POST /api/v1/keys -H 'Content-Type: application/json' -d '{"name": "bench", "role": "invoker",
  "services": ["xgb-gateway"], "rate_limit": {"rps": 10000000, "burst": 10000000},
  "quota": {"daily_requests": 1000000000}}' | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["key"])')

# maasd's answer to the 1-row request is what nginx serves, byte for byte.
api POST /v2/models/xgb/infer -H 'Content-Type: application/json' --data-binary "@$WORK/xgb_request.json" \
  >"$WORK/static/infer.json"
api POST /v2/models/mlp_batched/infer -H 'Content-Type: application/json' \
  --data-binary "@$WORK/mlp_request.json" >/dev/null

# --- nginx: the static response ----------------------------------------------------------------------------------
NGINX_PORT=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  default_type application/json;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/static;
    # The static module refuses POST with 405; answering it with the file lets nginx take the same POST request.
    location / { try_files /infer.json =404; error_page 405 =200 /infer.json; }
  }
}
EOF
log "starting nginx on 127.0.0.1:$NGINX_PORT"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >>"$WORK/nginx.log" 2>&1 &
PIDS+=($!)
NGINX_PID=$!
wait_for "http://127.0.0.1:$NGINX_PORT/"

# --- FastAPI + uvicorn -------------------------------------------------------------------------------------------
FASTAPI_PORT=$(free_port)
log "starting FastAPI + uvicorn on 127.0.0.1:$FASTAPI_PORT"
BENCH_MODEL="$WORK/models/xgb_breast_cancer.json" BENCH_MODEL_NAME=xgb \
  "$PY" -m uvicorn --app-dir "$ROOT/bench" fastapi_xgboost:app --host 127.0.0.1 --port "$FASTAPI_PORT" \
  --workers 1 --no-access-log --log-level warning >"$WORK/fastapi.log" 2>&1 &
PIDS+=($!)
FASTAPI_PID=$!
wait_for "http://127.0.0.1:$FASTAPI_PORT/openapi.json"

# --- the same answer from every peer -----------------------------------------------------------------------------
MAASD_INFER="$MAASD/v2/models/xgb/infer"
NGINX_INFER="http://127.0.0.1:$NGINX_PORT/v2/models/xgb/infer"
FASTAPI_INFER="http://127.0.0.1:$FASTAPI_PORT/v2/models/xgb/infer"
# check NAME URL: the peer's answer to the 1-row request, kept for the comparison below.
check() {
  curl -sS --fail-with-body -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN_KEY" \
    --data-binary "@$WORK/xgb_request.json" "$2" \
    >"$WORK/answer-$1.json" || die "POST $2 failed"
}
check maasd "$MAASD_INFER"
check maasd_unbatched "$MAASD/v2/models/xgb_unbatched/infer"
check maasd_gateway "$MAASD/v2/models/xgb-gateway/infer"
check nginx "$NGINX_INFER"
check fastapi "$FASTAPI_INFER"
"$WORK/inprocess_xgboost" "$WORK/models/xgb_breast_cancer.json" 0.01 "$(cat "$WORK/xgb_row.txt")" \
  | sed -n 's/^BENCH_RESULT //p' >"$WORK/inprocess-check.json"
"$PY" - "$WORK" <<'EOF'
import glob, json, sys
work = sys.argv[1]
expected = json.load(open(f"{work}/inprocess-check.json"))["prediction"]
for path in sorted(glob.glob(f"{work}/answer-*.json")):
    got = json.load(open(path))["outputs"][0]["data"][0]
    if abs(got - expected) > 1e-6:
        sys.exit(f"bench: {path} predicts {got}, the library {expected}")
print(f"bench: every peer predicts {expected:.7g} for the request", file=sys.stderr)
EOF

# --- measurements ------------------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ $ONLY != gateway-latency ]]; then
measure nginx_static "$NGINX_INFER" "$WORK/xgb_request.json" "$CONNECTIONS" "$NGINX_PID"
measure maasd_xgb "$MAASD_INFER" "$WORK/xgb_request.json" "$CONNECTIONS" "$MAASD_PID"
measure maasd_xgb_unbatched "$MAASD/v2/models/xgb_unbatched/infer" "$WORK/xgb_request.json" \
  "$CONNECTIONS" "$MAASD_PID"
BENCH_KEY=$GATEWAY_KEY measure maasd_xgb_gateway "$MAASD/v2/models/xgb-gateway/infer" "$WORK/xgb_request.json" \
  "$CONNECTIONS" "$MAASD_PID"
measure fastapi_xgb "$FASTAPI_INFER" "$WORK/xgb_request.json" "$CONNECTIONS" "$FASTAPI_PID"
log "measuring inprocess_xgb: one thread, ${DURATION}s"
"$WORK/inprocess_xgboost" "$WORK/models/xgb_breast_cancer.json" "$WARMUP" "$(cat "$WORK/xgb_row.txt")" >/dev/null
"$WORK/inprocess_xgboost" "$WORK/models/xgb_breast_cancer.json" "$DURATION" "$(cat "$WORK/xgb_row.txt")" \
  | sed -n 's/^BENCH_RESULT //p' >"$WORK/results/inprocess_xgb.json"
measure maasd_mlp_unbatched "$MAASD/v2/models/mlp_unbatched/infer" "$WORK/mlp_request.json" \
  "$BATCH_CONNECTIONS" "$MAASD_PID"
measure maasd_mlp_batched "$MAASD/v2/models/mlp_batched/infer" "$WORK/mlp_request.json" \
  "$BATCH_CONNECTIONS" "$MAASD_PID"
fi
# The gateway's added latency with nothing queued: one connection, the direct and the service path alternated in
# short rounds (the order swapped each round) so that whatever else runs on the machine falls on both alike;
# report.py reads the median of the rounds' p50 differences.
for round in $(seq 1 "$LATENCY_ROUNDS"); do
  order="direct gateway"
  (( round % 2 )) || order="gateway direct"
  for path in $order; do
    if [[ $path == direct ]]; then
      DURATION=$LATENCY_SECONDS WARMUP=1 measure "latency_direct_$round" "$MAASD_INFER" "$WORK/xgb_request.json" 1 \
        "$MAASD_PID"
    else
      BENCH_KEY=$GATEWAY_KEY DURATION=$LATENCY_SECONDS WARMUP=1 measure "latency_gateway_$round" \
        "$MAASD/v2/models/xgb-gateway/infer" "$WORK/xgb_request.json" 1 "$MAASD_PID"
    fi
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- what maasd saw ----------------------------------------------------------------------------------------------
api GET /v2/models/stats >"$WORK/results/maasd_stats.json"
kill -0 "$MAASD_PID" 2>/dev/null || die "maasd exited during the benchmark"
grep -m1 '^VmHWM' "/proc/$MAASD_PID/status" | awk '{print $2 * 1024}' >"$WORK/results/maasd_peak_rss_bytes"
# Lines maasd logged at warn or error level during the run, and how many access-log lines it wrote.
grep -E '"level":"(warning|warn|error|critical)"' "$WORK/maasd.log" >"$WORK/results/maasd_problems.log" || true
grep -cE '"?type\\?":\\?"access' "$WORK/maasd.log" >"$WORK/results/maasd_access_lines" || true

"$PY" "$ROOT/bench/report.py" "$WORK/results" "$OUTPUT" \
  --setting duration_s="$DURATION" warmup_s="$WARMUP" connections="$CONNECTIONS" \
  batch_connections="$BATCH_CONNECTIONS" wrk_threads="$WRK_THREADS" wrk_timeout="$WRK_TIMEOUT" \
  load_before="$LOAD_BEFORE" load_after="$LOAD_AFTER" response_bytes="$(stat -c %s "$WORK/static/infer.json")" \
  request_bytes="$(stat -c %s "$WORK/xgb_request.json")" maasd_bin="$BIN_DIR/maasd"
