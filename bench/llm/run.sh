#!/usr/bin/env bash
# maasd vs llama-server (built from the same llama.cpp release by scripts/llama.sh), same ~100M-parameter random
# GGUF model, same thread count and slots: aggregate generated tokens/s and TTFT p50/p99 at 1, 4 and 16 concurrent
# streams. Each measurement is a back-to-back pair (llama-server, then maasd, order swapped every round) so that
# the load of a shared machine falls on both alike; ROUNDS pairs per concurrency. Not part of `make test`.
#
# Usage: bench/llm/run.sh [BUILD_DIR]   (default build/release; BUILD_DIR/bin holds maasd, maas-worker,
# backends/libmaas_backend_gguf.so and maas-tiny-gguf). Environment: THREADS (2), STREAMS ("1 4 16"), ROUNDS (3), MAX_TOKENS (64), PER_STREAM (4),
# LLAMA_PREFIX (scripts/llama.sh's prefix: bin/llama-server, models/ggml-vocab-llama-spm.gguf; without it the
# script builds llama-server there with `scripts/llama.sh --server`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STREAMS="${STREAMS:-1 4 16}"
ROUNDS="${ROUNDS:-3}"
SLOTS=16
CONTEXT=512
PER_STREAM="${PER_STREAM:-4}"
source "$ROOT/bench/llm/common.sh"
# llama-server is built only for this benchmark (make test does not need it): once, into the same prefix.
if [ -z "${LLAMA_PREFIX:-}" ]; then bash "$ROOT/scripts/llama.sh" --server >&2; fi

make_bench_model "$WORK/bench.gguf"

"$PREFIX/bin/llama-server" -m "$WORK/bench.gguf" --host 127.0.0.1 --port 18181 -t "$THREADS" -tb "$THREADS" \
  -np "$SLOTS" -c $((SLOTS * CONTEXT)) --no-kv-unified --no-webui --log-disable >"$WORK/llama-server.log" 2>&1 &
start_maasd
until curl -sf 127.0.0.1:18181/health >/dev/null; do sleep 0.2; done
load_gguf bench "$WORK/bench.gguf" "{\"threads\":$THREADS,\"max_sequences\":$SLOTS,\"context\":$CONTEXT}"

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(uptime | sed 's/.*load/load/')"
echo "model: 8 layers x 768, ff 2048, vocab 32000, f16; threads $THREADS, slots $SLOTS x $CONTEXT, max_tokens $MAX_TOKENS, $PER_STREAM requests per stream"
measure() {  # NAME ADDRESS CONCURRENCY
  /usr/bin/python3 "$ROOT/bench/llm/load.py" "http://$2" "$KEY" bench 1 1 8 >/dev/null  # warm-up
  echo "$1 $(/usr/bin/python3 "$ROOT/bench/llm/load.py" "http://$2" "$KEY" bench "$3" "$PER_STREAM" "$MAX_TOKENS")"
}
for c in $STREAMS; do
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then
      measure llama-server 127.0.0.1:18181 "$c"; measure maasd 127.0.0.1:18182 "$c"
    else
      measure maasd 127.0.0.1:18182 "$c"; measure llama-server 127.0.0.1:18181 "$c"
    fi
  done
done
echo "end: $(uptime | sed 's/.*load/load/')"
