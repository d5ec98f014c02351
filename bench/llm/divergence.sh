#!/usr/bin/env bash
# Divergence of greedy outputs, alone vs 16 at once, in the default and the deterministic mode, on the benchmark's
# ~100M-parameter random model. Not part of `make test`.
# Usage: bench/llm/divergence.sh [BUILD_DIR]  Environment: PROMPTS (64), MAX_TOKENS (64), THREADS (2), LLAMA_PREFIX,
# MODEL_ARGS (maas-tiny-gguf's shape options; e.g. "--layers 2 --width 64" for the tests' model).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PROMPTS="${PROMPTS:-64}"
source "$ROOT/bench/llm/common.sh"

make_bench_model "$WORK/bench.gguf"
start_maasd
for mode in default deterministic; do
  load_gguf "bench-$mode" "$WORK/bench.gguf" \
    "{\"threads\":$THREADS,\"max_sequences\":16,\"context\":512,\"deterministic\":$([ $mode = deterministic ] && echo true || echo false)}"
  /usr/bin/python3 "$ROOT/bench/llm/divergence.py" http://127.0.0.1:18182 "$KEY" "bench-$mode" "$PROMPTS" 16 "$MAX_TOKENS"
done
