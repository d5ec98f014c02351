#!/usr/bin/env bash
# Runs every libFuzzer target in fuzz/ for a given time and prints, per target, the executions, the coverage reached
# and the crashes found (fuzz/README.md). Builds the `fuzz` preset first (clang 14; scripts/setup.sh fuzz).
#
#   bench/fuzz.sh [seconds] [target ...]   each target (default: all) for `seconds` (default 600)
#   bench/fuzz.sh --build                  only build the targets
#   bench/fuzz.sh --no-build [seconds] ... run what is built
#
# FUZZ_JOBS targets run at once (default 2). Each target starts from its checked-in seeds (fuzz/corpus/<target>)
# plus what earlier runs on this machine found (build/fuzz/corpus/<target>, where new inputs go); a crash, leak or
# sanitizer report leaves its input in build/fuzz/crashes/ and makes the run fail. The table is also written to
# build/fuzz/report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
case "${1:-}" in
  --build) build=only; shift ;;
  --no-build) build=0; shift ;;
esac
if [ "$build" != 0 ]; then
  bash scripts/setup.sh fuzz >/dev/null
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$(nproc)"
  if [ "$build" = only ]; then exit 0; fi
fi

SECONDS_PER_TARGET="${1:-600}"
shift || true
BIN=build/fuzz/bin
WORK=build/fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/*.cc; do targets+=("$(basename "$f" .cc)"); done
fi

# The dictionary each target gets, by its name's prefix.
dict_for() {
  case "$1" in
    logql | alert_expression) echo fuzz/dict/logql.dict ;;
    format_*) echo fuzz/dict/formats.dict ;;
    config_yaml) echo fuzz/dict/yaml.dict ;;
    npy | data_cast | data_grok | data_column_types | data_discover | alert_template | loki_push_gzip) ;;
    *) echo fuzz/dict/json.dict ;;
  esac
}

run_one() {
  local t=$1 seconds=$2 bin=$BIN/fuzz_$1
  [ -x "$bin" ] || { echo "fuzz: no target $bin (build it: bench/fuzz.sh --build)" >&2; return 2; }
  mkdir -p "$WORK/corpus/$t" "$WORK/crashes" "$WORK/logs"
  local dict args=()
  dict=$(dict_for "$t")
  if [ -n "$dict" ]; then args+=("-dict=$dict"); fi
  # -rss_limit_mb: a parser that allocates past 2 GiB on a small input is a finding too.
  "$bin" "${args[@]}" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 -timeout=25 \
    -artifact_prefix="$WORK/crashes/$t-" "$WORK/corpus/$t" "fuzz/corpus/$t" >"$WORK/logs/$t.log" 2>&1 || true
}
export -f run_one dict_for
export BIN WORK

start=$SECONDS
mkdir -p "$WORK/crashes" && touch "$WORK/started"
printf '%s\n' "${targets[@]}" | xargs -P "${FUZZ_JOBS:-2}" -I{} bash -c "run_one {} $SECONDS_PER_TARGET"

crashed=0
{
  printf '%-24s %8s %12s %9s %7s %7s %7s %8s\n' target seconds executions exec/s cov ft corpus crashes
  for t in "${targets[@]}"; do
    log=$WORK/logs/$t.log
    execs=$(awk '/^stat::number_of_executed_units:/ {v = $2} END {print v}' "$log")
    rate=$(awk '/^stat::average_exec_per_sec:/ {v = $2} END {print v}' "$log")
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
    cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
    corpus=$(sed -n 's/.*corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
    crashes=$(find "$WORK/crashes" -name "$t-*" -newer "$WORK/started" | wc -l)
    if grep -qE '^==[0-9]+==ERROR|^SUMMARY: |deadly signal|out-of-memory|timeout after' "$log"; then
      crashes=$((crashes > 0 ? crashes : 1))
    fi
    [ "$crashes" = 0 ] || crashed=1
    # The time it really ran: libFuzzer stops at its first finding.
    ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    if [ -z "$ran" ] && [ -n "$execs" ] && [ "${rate:-0}" -gt 0 ]; then ran=$((execs / rate)); fi
    printf '%-24s %8s %12s %9s %7s %7s %7s %8s\n' "$t" "${ran:-?}" "${execs:-?}" "${rate:-?}" \
      "${cov:-?}" "${ft:-?}" "${corpus:-?}" "$crashes"
  done
  echo "fuzz: ${#targets[@]} targets, $((SECONDS - start)) s wall, ${FUZZ_JOBS:-2} at a time"
  # This block runs in the pipeline's subshell: its exit status (pipefail) is how a finding reaches the caller.
  if [ "$crashed" = 1 ]; then
    echo "fuzz: FAILED: see build/fuzz/logs/<target>.log; the inputs are in build/fuzz/crashes/" >&2
    exit 1
  fi
} | tee "$WORK/report.txt"
