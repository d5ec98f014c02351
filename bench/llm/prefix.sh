#!/usr/bin/env bash
# Prefix caching, on vs off: one maasd serving the same ~100M-parameter random GGUF model twice (prefix_cache true and
# false), streamed chat completions whose every request starts with the same long system prompt (new for each
# measurement) and a distinct question; time to first token p50/p99 and aggregate tokens/s at each concurrency.
# The two versions are measured back to back, order swapped every round. Not part of `make test`.
#
# Usage: bench/llm/prefix.sh [BUILD_DIR]. Environment: THREADS (2), STREAMS ("1 4"), ROUNDS (2), MAX_TOKENS (16),
# PER_STREAM (4), SYSTEM_WORDS (400: about 500 tokens), MODEL_ARGS (maas-tiny-gguf's shape), LLAMA_PREFIX.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STREAMS="${STREAMS:-1 4}"
ROUNDS="${ROUNDS:-2}"
PER_STREAM="${PER_STREAM:-4}"
SYSTEM_WORDS="${SYSTEM_WORDS:-400}"
MAX_TOKENS="${MAX_TOKENS:-16}"
SLOTS=16
CONTEXT=1024
source "$ROOT/bench/llm/common.sh"

make_bench_model "$WORK/bench.gguf"
start_maasd
load_gguf cached "$WORK/bench.gguf" "{\"threads\":$THREADS,\"max_sequences\":$SLOTS,\"context\":$CONTEXT}"
load_gguf uncached "$WORK/bench.gguf" \
  "{\"threads\":$THREADS,\"max_sequences\":$SLOTS,\"context\":$CONTEXT,\"prefix_cache\":false}"

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(uptime | sed 's/.*load/load/')"
echo "model: ${MODEL_ARGS:-8 layers x 768}; threads $THREADS, slots $SLOTS x $CONTEXT, system prompt $SYSTEM_WORDS words, max_tokens $MAX_TOKENS, $PER_STREAM requests per stream"
measure() {  # MODEL CONCURRENCY
  /usr/bin/python3 "$ROOT/bench/llm/load.py" http://127.0.0.1:18182 "$KEY" "$1" 1 1 4 >/dev/null  # warm-up
  echo "$1 $(/usr/bin/python3 "$ROOT/bench/llm/load.py" http://127.0.0.1:18182 "$KEY" "$1" "$2" "$PER_STREAM" \
    "$MAX_TOKENS" "$SYSTEM_WORDS")"
}
for c in $STREAMS; do
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then measure uncached "$c"; measure cached "$c"; else measure cached "$c"; measure uncached "$c"; fi
  done
done
echo "end: $(uptime | sed 's/.*load/load/')"
