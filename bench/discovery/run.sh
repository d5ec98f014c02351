#!/usr/bin/env bash
# Log template discovery: grouping accuracy per system on the labelled corpus, and throughput.
# Prints the tables of docs/BENCHMARKS.md ("Log template discovery") and writes bench/results/discovery-*.json.
# BENCH_DISCOVERY_LINES: lines per system for the throughput runs (200000).
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake --preset release >/dev/null
cmake --build --preset release --target maas-discovery-eval -j1 >/dev/null
eval_bin=build/release/bin/maas-discovery-eval
lines=${BENCH_DISCOVERY_LINES:-200000}
mkdir -p bench/results
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "== development corpus: held-out templates left out, seeds 1-3 (what the algorithm was tuned on)"
"$eval_bin" --set dev --seeds 1,2,3 --json bench/results/discovery-dev.json
echo
echo "== every template, held-out ones included, seeds 101-103"
"$eval_bin" --set all --seeds 101,102,103 --json bench/results/discovery-heldout.json
echo
echo "== second held-out set (tests/data/logs/holdout: templates written after the algorithm was frozen), seeds 201-203"
"$eval_bin" --corpus tests/data/logs/holdout --set all --seeds 201,202,203 --json bench/results/discovery-holdout2.json
echo
echo "== third held-out set (tests/data/logs/holdout2: written before the changes of data/discovery2; six new styles), seeds 301-303"
"$eval_bin" --corpus tests/data/logs/holdout2 --set all --seeds 301,302,303 --json bench/results/discovery-holdout3.json
echo
echo "== fourth held-out set (tests/data/logs/holdout3: written before the changes of data/brain; six new styles), seeds 401-403"
"$eval_bin" --corpus tests/data/logs/holdout3 --set all --seeds 401,402,403 --json bench/results/discovery-holdout4.json
echo
for threads in 1 2; do
  echo "== throughput: $lines whole lines per system, discover() with $threads thread(s)"
  "$eval_bin" --set all --seeds 1 --lines 100 --threads "$threads" --throughput-lines "$lines" \
    --json "bench/results/discovery-throughput-$threads.json" | tail -1
done
