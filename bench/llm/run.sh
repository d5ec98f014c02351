#!/usr/bin/env bash
# maasd vs llama-server (built from the same llama.cpp release by scripts/llama.sh), same ~100M-parameter random
# GGUF model, same thread count and slots: aggregate generated tokens/s and TTFT p50/p99 at 1, 4 and 16 concurrent
# streams. Not part of `make test`. Usage: bench/llm/run.sh [BUILD_DIR] (default build/release)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${1:-$ROOT/build/release}/bin"
PREFIX="$(bash "$ROOT/scripts/llama.sh" --prefix)"
THREADS="${THREADS:-2}"
SLOTS=16
CONTEXT=512
MAX_TOKENS="${MAX_TOKENS:-64}"
PER_STREAM="${PER_STREAM:-4}"
KEY="maas_admintestkey_00000000000000000000000000000000"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN/maas-tiny-gguf" --out "$WORK/bench.gguf" --layers 8 --width 768 --ff 2048 --name bench >&2

"$PREFIX/bin/llama-server" -m "$WORK/bench.gguf" --host 127.0.0.1 --port 18181 -t "$THREADS" -tb "$THREADS" \
  -np "$SLOTS" -c $((SLOTS * CONTEXT)) --no-kv-unified --no-webui --log-disable >"$WORK/llama-server.log" 2>&1 &
MAAS_ADMIN_KEY="$KEY" "$BIN/maasd" --listen 127.0.0.1:18182 --data-dir "$WORK/data" --log-level warn \
  >"$WORK/maasd.log" 2>&1 &
for port in 18181 18182; do
  until curl -sf "127.0.0.1:$port/health" >/dev/null || curl -sf "127.0.0.1:$port/v2/health/live" >/dev/null; do sleep 0.2; done
done
auth=(-H "Authorization: Bearer $KEY" -H "Content-Type: application/json")
curl -sf "${auth[@]}" -X POST 127.0.0.1:18182/api/v1/models -d '{"name":"bench"}' >/dev/null
curl -sf -H "Authorization: Bearer $KEY" -H "Content-Type: application/octet-stream" --data-binary @"$WORK/bench.gguf" \
  127.0.0.1:18182/api/v1/models/bench/versions >/dev/null
curl -sf "${auth[@]}" -X POST 127.0.0.1:18182/v2/repository/models/bench/load \
  -d "{\"parameters\":{\"config\":{\"threads\":$THREADS,\"max_sequences\":$SLOTS,\"context\":$CONTEXT}}}" >/dev/null

echo "model: $("$BIN/maas-tiny-gguf" --help >/dev/null; echo 8 layers x 768, ff 2048, vocab 32000, f16), threads $THREADS, slots $SLOTS, max_tokens $MAX_TOKENS"
for c in 1 4 16; do
  for target in "llama-server 127.0.0.1:18181" "maasd 127.0.0.1:18182"; do
    set -- $target
    # One warm-up request, then the measured run.
    /usr/bin/python3 "$ROOT/bench/llm/load.py" "http://$2" "$KEY" bench 1 1 8 >/dev/null
    echo "$1 $(/usr/bin/python3 "$ROOT/bench/llm/load.py" "http://$2" "$KEY" bench "$c" "$PER_STREAM" "$MAX_TOKENS")"
  done
done
