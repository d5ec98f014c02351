#!/usr/bin/env bash
# The lint step of CI (.ci/run) and `make lint`: clang-format, and clang-tidy with the checks of .clang-tidy.
#
#   scripts/lint.sh            format: the lines changed against the base must be clang-formatted (git clang-format);
#                              tidy: the changed C++ files, failing on findings in changed lines only
#   scripts/lint.sh --strict   format: every tracked .cc/.h file (clang-format --dry-run -Werror), none over 500
#                              lines; tidy: the changed C++ files, failing on every finding in them
# The first mode is for while the tree is not formatted as a whole (reformatting it would collide with every open
# branch); `.ci/run` says which mode CI runs (LINT_MODE), and docs/BUILD.md how to switch.
#
# The base is LINT_BASE, else the merge base with origin/main, else with main; when that is HEAD itself (a run on
# main), the base is HEAD~1, so the last commit or merge is checked. With no base at all (a clone without main or
# history), formatting is checked only with --strict, and clang-tidy checks a fixed set: src/common/ and src/http/,
# the layers every request crosses. A changed header is checked through the .cc beside it.
# clang-tidy costs 1 to 40 s of CPU a file (docs/BUILD.md): it checks at most LINT_TIDY_MAX_FILES files (24) and
# starts none after LINT_TIDY_BUDGET_S seconds (150), naming the files it left out, so that the step stays within
# about 3 minutes on 2 cores.
# Environment: LINT_BASE, LINT_BUILD_DIR (build/release: its compile_commands.json, configured if missing),
# LINT_JOBS (nproc), LINT_TIDY_MAX_FILES, LINT_TIDY_BUDGET_S.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

STRICT=0
case "${1:-}" in
  --strict) STRICT=1 ;;
  "") ;;
  *) echo "usage: scripts/lint.sh [--strict]" >&2; exit 2 ;;
esac
BUILD_DIR="${LINT_BUILD_DIR:-build/release}"
JOBS="${LINT_JOBS:-$(nproc)}"
MAX_FILES="${LINT_TIDY_MAX_FILES:-24}"
BUDGET_S="${LINT_TIDY_BUDGET_S:-150}"
START=$SECONDS

log() { printf 'lint: %s\n' "$*" >&2; }

bash scripts/setup.sh lint >/dev/null

# --- the base and what changed -----------------------------------------------------------------------------------
base="${LINT_BASE:-}"
if [ -z "$base" ]; then
  for ref in origin/main main; do
    if git rev-parse -q --verify "$ref^{commit}" >/dev/null; then
      base="$(git merge-base HEAD "$ref" || true)"
      [ -n "$base" ] && break
    fi
  done
  if [ -n "$base" ] && [ "$base" = "$(git rev-parse HEAD)" ]; then
    base="$(git rev-parse -q --verify 'HEAD~1^{commit}' || true)"
  fi
fi
if [ -n "$base" ]; then
  log "base $(git rev-parse --short "$base")"
  # Changed and added C++ files, committed or not, that still exist.
  mapfile -t changed < <(git diff --name-only --diff-filter=ACMR "$base" -- '*.cc' '*.h' | sort -u)
else
  log "no base (no main, or no history): format only with --strict; clang-tidy on src/common/ and src/http/"
  mapfile -t changed < <(git ls-files 'src/common/*.cc' 'src/http/*.cc')
fi

failed=0

# --- format ------------------------------------------------------------------------------------------------------
if [ "$STRICT" = 1 ]; then
  if ! git ls-files -z '*.cc' '*.h' | xargs -0 clang-format --dry-run -Werror; then
    log "format: the files above are not clang-formatted (make format)"
    failed=1
  fi
  while read -r lines file; do
    [ "$file" = total ] && continue
    if [ "$lines" -gt 500 ]; then log "$file: $lines lines (at most 500: split it by idea)"; failed=1; fi
  done < <(git ls-files -z '*.cc' '*.h' | xargs -0 wc -l)
elif [ -n "$base" ] && [ ${#changed[@]} -gt 0 ]; then
  diff_out="$(git clang-format --diff --extensions cc,h "$base" -- "${changed[@]}" 2>&1 || true)"
  if printf '%s\n' "$diff_out" | grep -q '^diff --git'; then
    printf '%s\n' "$diff_out"
    log "format: changed lines are not clang-formatted (apply the diff above, or run: git clang-format $base)"
    failed=1
  fi
fi

# --- tidy --------------------------------------------------------------------------------------------------------
units=()
for file in "${changed[@]}"; do
  case "$file" in
    *.cc) units+=("$file") ;;
    *.h) if [ -f "${file%.h}.cc" ]; then units+=("${file%.h}.cc"); fi ;;
  esac
done
mapfile -t units < <(printf '%s\n' "${units[@]}" | grep -v '^$' | sort -u)
# clang (Debian 12's) cannot compile LibTorch 1.13's <torch/torch.h> and <torch/script.h> in C++20 mode against
# libstdc++ 12 (c10::IValue is incomplete where <vector> needs it): a file including either, itself or through a
# project header it includes, is compiled and tested but not clang-tidied (its formatting is still checked). GCC
# builds it.
torch_units=()
tidy_units=()
for unit in "${units[@]}"; do
  mapfile -t headers < <(grep -oE '^#include "[^"]+"' "$unit" | sed -E 's|^#include "(.*)"$|src/\1|')
  if grep -qsE '^#include <torch/(torch|script)\.h>' "$unit" "${headers[@]}"; then
    torch_units+=("$unit")
  else
    tidy_units+=("$unit")
  fi
done
if [ ${#torch_units[@]} -gt 0 ]; then log "tidy: leaving out (they include LibTorch's headers): ${torch_units[*]}"; fi
units=("${tidy_units[@]}")
# fuzz/ is compiled only by the fuzz preset (clang): its units are checked with that build's compile commands, and
# left out when it has not been configured (bench/fuzz.sh --build, or cmake --preset fuzz).
FUZZ_BUILD_DIR="${LINT_FUZZ_BUILD_DIR:-build/fuzz}"
if printf '%s\n' "${units[@]}" | grep -q '^fuzz/' && [ ! -f "$FUZZ_BUILD_DIR/compile_commands.json" ]; then
  log "tidy: leaving out fuzz/ ($FUZZ_BUILD_DIR is not configured: cmake --preset fuzz)"
  mapfile -t units < <(printf '%s\n' "${units[@]}" | grep -v '^fuzz/')
fi
if [ ${#units[@]} -gt "$MAX_FILES" ]; then
  log "tidy: ${#units[@]} files to check; checking $MAX_FILES, leaving out: ${units[*]:$MAX_FILES}"
  units=("${units[@]:0:$MAX_FILES}")
fi

if [ ${#units[@]} -gt 0 ]; then
  if [ ! -f "$BUILD_DIR/compile_commands.json" ]; then
    log "tidy: configuring $BUILD_DIR for its compile_commands.json"
    cmake --preset release >/dev/null
  fi
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  deadline=$((START + BUDGET_S))
  log "tidy: ${#units[@]} files with $JOBS jobs"
  # Extra arguments, because clang reads the commands written for GCC: GCC-only warning flags are not errors, and
  # clang's own extra warnings are not the project's (-Wno-error); Asio 1.74 enables co_await for clang only with
  # <experimental/coroutine>, which libstdc++ does not have (its <coroutine> works).
  printf '%s\n' "${units[@]}" | FUZZ_DB="$FUZZ_BUILD_DIR" xargs -P "$JOBS" -n 1 bash -c '
    if [ "$(date +%s)" -ge "$1" ]; then echo "$5" >>"$2/skipped"; exit 0; fi
    db="$3"; case "$5" in fuzz/*) db="$FUZZ_DB" ;; esac
    clang-tidy -p "$db" --quiet --header-filter="^$4/(src|tests|tools|fuzz)/" \
      --extra-arg=-Wno-unknown-warning-option --extra-arg=-Wno-error --extra-arg=-DBOOST_ASIO_HAS_CO_AWAIT=1 \
      "$5" >"$2/$(echo "$5" | tr / _).out" 2>&1 || true' _ \
    "$(($(date +%s) + deadline - SECONDS))" "$out" "$BUILD_DIR" "$ROOT"
  if [ -f "$out/skipped" ]; then
    log "tidy: over the ${BUDGET_S} s budget, left out: $(sort "$out/skipped" | xargs)"
  fi
  # Findings (file:line:col: warning|error: ... [check]), kept when they are in a changed line (or, with --strict or
  # no base, anywhere); an error (clang could not compile the file) is always kept.
  cat "$out"/*.out 2>/dev/null >"$out/all" || true
  if ! /usr/bin/python3 - "$out/all" "$ROOT" "$STRICT" "$base" <<'EOF'; then
import re, subprocess, sys

path, root, strict, base = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
changed = None  # file -> set of changed line numbers; None: every line counts
if not strict and base:
    changed = {}
    diff = subprocess.run(["git", "diff", "-U0", "--no-color", base, "--", "*.cc", "*.h"], cwd=root,
                          capture_output=True, text=True, check=True).stdout
    current = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@") and current:
            m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
            first, count = int(m.group(1)), int(m.group(2) or 1)
            changed.setdefault(f"{root}/{current}", set()).update(range(first, first + count))
finding = re.compile(r"^(/\S+?):(\d+):\d+: (warning|error): .*\[([\w.,-]+)\]$")
shown, seen = 0, set()
block = []  # a finding and the source lines clang-tidy prints under it


def flush():
    global shown
    if block:
        print("\n".join(block))
        shown += 1
    block.clear()


keep = False
for line in open(path, errors="replace"):
    line = line.rstrip("\n")
    m = finding.match(line)
    if m:
        flush()
        file, number, kind = m.group(1), int(m.group(2)), m.group(3)
        keep = (kind == "error" or changed is None or number in changed.get(file, ())) and line not in seen
        seen.add(line)
        if keep:
            block.append(line)
    elif keep and line and not re.match(r"^\d+ (warnings?|errors?)( and \d+ errors?)? generated\.$", line) \
            and not line.startswith(("Suppressed ", "Use -header-filter", "Error while processing")):
        block.append(line)
flush()
sys.exit(1 if shown else 0)
EOF
    log "tidy: findings above (the checks, and why each is on: .clang-tidy)"
    failed=1
  fi
fi

if [ "$failed" = 0 ]; then
  log "ok in $((SECONDS - START)) s (${#changed[@]} changed C++ files, ${#units[@]} checked by clang-tidy)"
fi
exit "$failed"
