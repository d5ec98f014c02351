# Sourced by bench/llm/*.sh with ROOT set and the script's arguments: finds the binaries (BUILD_DIR/bin, default
# build/release) and llama.cpp's prefix (LLAMA_PREFIX), makes a scratch folder removed at exit, and starts a maasd on
# 127.0.0.1:18182 that loads GGUF models.
BIN="${1:-$ROOT/build/release}/bin"
PREFIX="${LLAMA_PREFIX:-$(bash "$ROOT/scripts/llama.sh" --prefix)}"
THREADS="${THREADS:-2}"
MAX_TOKENS="${MAX_TOKENS:-64}"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
KEY="maas_admintestkey_00000000000000000000000000000000"
AUTH=(-H "Authorization: Bearer $KEY" -H "Content-Type: application/json")

start_maasd() {
  MAAS_ADMIN_KEY="$KEY" "$BIN/maasd" --listen 127.0.0.1:18182 --data-dir "$WORK/data" --log-level warn \
    >"$WORK/maasd.log" 2>&1 &
  until curl -sf 127.0.0.1:18182/v2/health/live >/dev/null; do sleep 0.2; done
}

# load_gguf NAME FILE CONFIG_JSON: registers FILE as model NAME's first version and loads it with CONFIG_JSON.
load_gguf() {
  curl -sf "${AUTH[@]}" -X POST 127.0.0.1:18182/api/v1/models -d "{\"name\":\"$1\"}" >/dev/null
  curl -sf -H "Authorization: Bearer $KEY" -H "Content-Type: application/octet-stream" --data-binary @"$2" \
    "127.0.0.1:18182/api/v1/models/$1/versions" >/dev/null
  curl -sf "${AUTH[@]}" -X POST "127.0.0.1:18182/v2/repository/models/$1/load" \
    -d "{\"parameters\":{\"config\":$3}}" >/dev/null
}

# make_bench_model FILE: the ~100M-parameter random llama model of the benchmarks (MODEL_ARGS: another shape).
make_bench_model() {
  # shellcheck disable=SC2086
  "$BIN/maas-tiny-gguf" --vocab "$PREFIX/models/ggml-vocab-llama-spm.gguf" --out "$1" \
    ${MODEL_ARGS:---layers 8 --width 768 --ff 2048} --name bench >&2
}
